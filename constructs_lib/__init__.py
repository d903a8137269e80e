"""Reusable cdk8s constructs for a GitOps homelab: one construct and its props per module.

Importing this package first points jsii at a supported Node.js (see :mod:`constructs_lib.node_runtime`),
so it must be imported before ``cdk8s`` itself — which every module here does.
"""

from constructs_lib.node_runtime import ensure_jsii_node

ensure_jsii_node()
