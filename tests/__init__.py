"""Tests of homelab. Importing constructs_lib first points jsii at a supported Node.js before cdk8s loads."""

import constructs_lib  # noqa: F401
