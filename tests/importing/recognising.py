"""What the recogniser tests share: render constructs, recognise the objects, check the claims."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

from constructs_lib.api_object import api_object
from homelab.importing.claims import Claim, recognise
from tests.conftest import render


def recognised(build: Callable[[Any], Any]) -> tuple[list[dict[str, Any]], list[Claim]]:
    """The objects ``build`` renders and their claims, checked to cover every object exactly once."""
    objects = render(build)
    claims = recognise(objects)
    covered = sorted(i for c in claims for i in c.objects)
    assert covered == list(range(len(objects))), "every object is claimed exactly once"
    assert len({c.id for c in claims}) == len(claims), "ids are unique"
    return objects, claims


def only_claim(build: Callable[[Any], Any]) -> Claim:
    """The one claim of what ``build`` renders, which must be typed."""
    _, claims = recognised(build)
    (claim,) = claims
    assert claim.typed, f"fell back to api_object: {claim.props}"
    return claim


def near_miss(objects: list[dict[str, Any]], index: int, pointer: tuple[str, ...], value: Any) -> list[Claim]:
    """Claims of ``objects`` after setting a field no prop names: that object must fall back to api_object,
    as it is."""
    changed = copy.deepcopy(objects)
    node = changed[index]
    for key in pointer[:-1]:
        node = node.setdefault(key, {})
    node[pointer[-1]] = value
    claims = recognise(changed)
    assert sorted(i for c in claims for i in c.objects) == list(range(len(changed)))
    (fallback,) = [c for c in claims if index in c.objects]
    assert fallback.construct is api_object and fallback.props == changed[index]
    return claims
