"""Typed Kubernetes pieces (``cdk8s_plus_33.k8s``) as the JSON the API reads, computed in Python.

cdk8s-plus-33 ships the typed L1 classes of the whole Kubernetes 1.33 API (``k8s.EnvVar``,
``k8s.Volume``, ``k8s.Probe``, ``k8s.PodSpec``, ...). Their structs are plain Python objects
(``jsii`` data types), so a construct can take them as props — every field of the API, typed,
a misspelt field a type error — and turn them into JSON without a call into Node.js; only
``k8s.Quantity`` and ``k8s.IntOrString`` hold their value in Node.js (one call each). This module
and the constructs import ``cdk8s_plus_33`` only for type checking: loading it costs a quarter of a
second, paid only by a homelab that uses it.

Keys come out as hand-written manifests have them: ``name`` first, then the fields naming what
the piece refers to (``secretName``, ``claimName``, ...), then the rest in the API's order. A
``Mapping`` is taken as written (keys in its order, ``None`` kept), for pieces pasted from upstream
YAML and for Helm values, which may hold typed pieces too (``additionalVolumes: [k8s.Volume(...)]``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def _key_order(key: str) -> int:
    return 0 if key == "name" else 1 if key.endswith("Name") else 2


def to_json(value: Any) -> Any:
    """``value`` (a typed struct, a mapping, a sequence or a scalar) as plain JSON data."""
    mapping = getattr(type(value), "__jsii_name_mapping__", None)
    if mapping is not None:
        fields = [(mapping[k], to_json(v)) for k, v in value._values.items() if v is not None]
        return dict(sorted(fields, key=lambda kv: _key_order(kv[0])))
    if type(value).__name__ in ("Quantity", "IntOrString") and type(value).__module__.startswith("cdk8s_plus_"):
        return value.value  # held in Node.js (one call)
    if isinstance(value, Mapping):
        return {k: to_json(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [to_json(v) for v in value]
    return value


def name_of(value: Any) -> str:
    """The ``name`` of a typed piece or of a mapping (a volume, a container, an env variable)."""
    return str(to_json(value).get("name", ""))
