"""Tests of the bundled homelab, the worked example (``clusters/``): its tree, its way to a live cluster and
Renovate on it. Everything else under ``tests/`` tests the language; some of those tests take the bundled
homelab as a realistic input, and none of them depends on its particular apps."""
