"""Tests of the bundled homelab, the worked example (``clusters/``, ``dist/``): its tree, its sealed stores and
certificates, the reference it was built from, its way to a live cluster and Renovate on it. Everything else
under ``tests/`` tests the language and passes with any homelab in ``clusters/`` and ``dist/``."""
