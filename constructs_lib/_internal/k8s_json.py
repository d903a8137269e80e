"""Typed Kubernetes pieces (``cdk8s_plus_33.k8s``) as the JSON the API reads, computed in Python.

cdk8s-plus-33 ships the typed L1 classes of the whole Kubernetes 1.33 API (``k8s.EnvVar``,
``k8s.Volume``, ``k8s.Probe``, ``k8s.PodSpec``, ...). Their structs are plain Python objects
(``jsii`` data types), so a construct can take them as props — every field of the API, typed,
a misspelt field a type error — and turn them into JSON without a call into Node.js; only
``k8s.Quantity`` and ``k8s.IntOrString`` hold their value in Node.js (one call each). This module
and the constructs import ``cdk8s_plus_33`` only for type checking: loading it costs a quarter of a
second, paid only by a homelab that uses it.

A struct's jsii names (``host_ipc`` is ``hostIpc``, which :data:`API_NAMES` makes ``hostIPC``) and its set fields are read from what jsii's
``@jsii.data_type`` keeps on the generated class and instance (``__jsii_name_mapping__``, ``_values``):
jsii has no public reader for them. pyproject pins jsii to the 1.x range this is tested with, and
``tests/constructs/test_k8s_json.py`` checks it, so a jsii that changes them fails a test, not a homelab.

Keys come out as hand-written manifests have them: ``name`` first, then the fields naming what
the piece refers to (``secretName``, ``claimName``, ...), then the rest in the API's order. A
``Mapping`` is taken as written (keys in its order, ``None`` kept), for pieces pasted from upstream
YAML and for Helm values, which may hold typed pieces too (``additionalVolumes: [k8s.Volume(...)]``).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from constructs_lib.errors import PropsError

#: The fields whose Kubernetes name is not the jsii name of cdk8s-plus-33's structs (``hostIpc`` is
#: ``hostIPC``): cdk8s-plus renames them in Node.js (its ``toJson_*`` functions), which this module
#: does not call. tests/constructs/test_k8s_json.py checks the table against cdk8s-plus's own code.
API_NAMES = {
    "clusterIp": "clusterIP",
    "datasetUuid": "datasetUUID",
    "diskUri": "diskURI",
    "externalId": "externalID",
    "hostIp": "hostIP",
    "hostIpc": "hostIPC",
    "hostPid": "hostPID",
    "insecureSkipTlsVerify": "insecureSkipTLSVerify",
    "loadBalancerIp": "loadBalancerIP",
    "nodeId": "nodeID",
    "nonResourceUrLs": "nonResourceURLs",
    "pdId": "pdID",
    "podCidr": "podCIDR",
    "podCidRs": "podCIDRs",
    "providerId": "providerID",
    "setHostnameAsFqdn": "setHostnameAsFQDN",
    "storagePolicyId": "storagePolicyID",
    "targetCpuUtilizationPercentage": "targetCPUUtilizationPercentage",
    "targetWwNs": "targetWWNs",
    "volumeId": "volumeID",
    "ref": "$ref",
    "schema": "$schema",
    "xKubernetesEmbeddedResource": "x-kubernetes-embedded-resource",
    "xKubernetesIntOrString": "x-kubernetes-int-or-string",
    "xKubernetesListMapKeys": "x-kubernetes-list-map-keys",
    "xKubernetesListType": "x-kubernetes-list-type",
    "xKubernetesMapType": "x-kubernetes-map-type",
    "xKubernetesPreserveUnknownFields": "x-kubernetes-preserve-unknown-fields",
    "xKubernetesValidations": "x-kubernetes-validations",
}


def _api_name(jsii_name: str) -> str:
    return API_NAMES.get(jsii_name, jsii_name)


def _key_order(key: str) -> int:
    return 0 if key == "name" else 1 if key.endswith("Name") else 2


#: What a value written to a manifest may be, in words (:func:`json_problem`).
JSON_ALLOWED = "str, a finite number, bool, None, a list or a dict with string keys"


def _is_cdk8s_value(value: Any) -> bool:
    """A ``k8s.Quantity`` or ``k8s.IntOrString``: its value held in Node.js."""
    return type(value).__name__ in ("Quantity", "IntOrString") and type(value).__module__.startswith("cdk8s_plus_")


def json_problem(value: Any, path: str) -> str | None:
    """What in ``value`` (named ``path``) is not JSON data, e.g. ``values['auth']['key'] is bytes``; None if
    nothing. Typed pieces (:func:`to_json`) are data too. Names the type and where, never the value (it may
    be a secret); only a number that is not finite is shown (``nan``)."""
    if value is None or isinstance(value, str | bool | int):
        return None
    if isinstance(value, float):
        return None if math.isfinite(value) else f"{path} is float {value!r}, not a finite number"
    mapping = getattr(type(value), "__jsii_name_mapping__", None)
    if mapping is not None:
        value = {mapping[k]: v for k, v in value._values.items()}
    elif _is_cdk8s_value(value):
        return None
    if isinstance(value, Mapping):
        for key, item in value.items():
            if not isinstance(key, str):
                return f"{path} has a key of type {type(key).__name__}, not str"
            problem = json_problem(item, f"{path}[{key!r}]")
            if problem:
                return problem
        return None
    if isinstance(value, list | tuple):
        for i, item in enumerate(value):
            problem = json_problem(item, f"{path}[{i}]")
            if problem:
                return problem
        return None
    return f"{path} is {type(value).__name__}"


def not_json(owner: str, problem: str) -> PropsError:
    """The error for a value of ``owner`` (``HelmArgoAppProps.values``) that is not JSON data."""
    return PropsError(f"{owner}: {problem}; allowed: {JSON_ALLOWED}")


def check_json(value: Any, path: str, owner: str) -> None:
    """Raise :func:`not_json` when ``value`` (named ``path``) is not JSON data."""
    problem = json_problem(value, path)
    if problem:
        raise not_json(owner, problem)


def to_json(value: Any) -> Any:
    """``value`` (a typed struct, a mapping, a sequence or a scalar) as plain JSON data."""
    mapping = getattr(type(value), "__jsii_name_mapping__", None)  # a jsii struct (see the module)
    if mapping is not None:
        fields = [(_api_name(mapping[k]), to_json(v)) for k, v in value._values.items() if v is not None]
        return dict(sorted(fields, key=lambda kv: _key_order(kv[0])))
    if _is_cdk8s_value(value):
        return value.value  # held in Node.js (one call)
    if isinstance(value, Mapping):
        return {k: to_json(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [to_json(v) for v in value]
    return value


def name_of(value: Any) -> str:
    """The ``name`` of a typed piece or of a mapping (a volume, a container, an env variable)."""
    return str(to_json(value).get("name", ""))
