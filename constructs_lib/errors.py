"""The one error type that constructs raise for bad props."""

from __future__ import annotations


class PropsError(ValueError):
    """Bad input to a construct: the message names the construct, the bad value and the fix.

    The engine prefixes it with the file, line and construct path it came from, so the
    message a user sees reads e.g.
    ``clusters/apps/immich.py:14: immich/base: HelmArgoApp 'immich': version is required ...``.
    """
