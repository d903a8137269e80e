"""``Deployment``: identical pods kept running, from a :class:`~constructs_lib.pod.PodSpec` (or a typed
``k8s.PodSpec``), rendered as written (see :mod:`constructs_lib.pod` for why not cdk8s-plus)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from constructs_lib._internal.construct import Construct, ConstructScope
from constructs_lib._internal.k8s_json import to_json
from constructs_lib._internal.runtime_types import type_checked
from constructs_lib.api_object import Manifest, api_object
from constructs_lib.errors import PropsError
from constructs_lib.object_meta import ObjectMeta, metadata_of
from constructs_lib.pod import PodSpec, pod_json

if TYPE_CHECKING:
    from cdk8s_plus_33 import k8s  # only for types


@type_checked
@dataclass(frozen=True, kw_only=True)
class DeploymentProps(ObjectMeta):
    """A Deployment of identical pods."""

    selector: Mapping[str, str]
    """Labels selecting the pods; also the pods' labels unless ``pod_labels`` is given."""
    pod: PodSpec | k8s.PodSpec
    """What runs: a :class:`PodSpec`, or a typed ``k8s.PodSpec`` for every field of the API."""
    replicas: int | None = None
    """How many pods to keep running; not written when left out (Kubernetes: 1), so an autoscaler or
    ``kubectl scale`` owns the number."""
    pod_labels: Mapping[str, str] | None = None
    """Labels of the pods; ``selector`` when left out."""
    pod_annotations: Mapping[str, str] = field(default_factory=dict)
    strategy: Literal["RollingUpdate", "Recreate"] | k8s.DeploymentStrategy | None = None
    """Left out by default (Kubernetes: ``RollingUpdate``); ``Recreate`` for single-writer volumes; a
    ``k8s.DeploymentStrategy`` for a rolling update's ``maxSurge``/``maxUnavailable``."""

    def __post_init__(self) -> None:
        owner = self.check("Deployment")
        if not self.selector:
            raise PropsError(f"{owner}: selector must hold at least one label, e.g. {{'app': {self.name!r}}}")
        labels = self.pod_labels if self.pod_labels is not None else self.selector
        missing = {k: v for k, v in self.selector.items() if labels.get(k) != v}
        if missing:
            raise PropsError(f"{owner}: pod_labels must include the selector's {missing}, or no pod would match")
        if self.replicas is not None and self.replicas < 0:
            raise PropsError(f"{owner}: replicas must be 0 or more, got {self.replicas}")


class Deployment(Construct):
    """The Deployment for ``props``; the object is ``resource``.

    Escape hatch for a field no prop exposes: ``.resource.set_field('/spec/...', value)``.
    """

    def __init__(self, scope: ConstructScope, id: str, props: DeploymentProps) -> None:
        super().__init__(scope, id)
        self.props = props
        template_meta = metadata_of(
            None, None, props.pod_labels if props.pod_labels is not None else props.selector, props.pod_annotations
        )
        spec: dict[str, Any] = {} if props.replicas is None else {"replicas": props.replicas}
        spec["selector"] = {"matchLabels": dict(props.selector)}
        if isinstance(props.strategy, str):
            spec["strategy"] = {"type": props.strategy}
        elif props.strategy is not None:
            spec["strategy"] = to_json(props.strategy)
        spec["template"] = {"metadata": template_meta, "spec": pod_json(props.pod)}
        self.resource: Manifest = api_object(
            self, "Resource", api_version="apps/v1", kind="Deployment", metadata=props.metadata(), spec=spec
        )
