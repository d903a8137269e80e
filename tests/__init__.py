"""Tests of homelab: jsii runs on the wheel's Node.js, set up before any test module imports cdk8s."""

from constructs_lib._internal.node_runtime import ensure_jsii_node

ensure_jsii_node()
