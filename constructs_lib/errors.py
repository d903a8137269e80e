"""The one error root for what a user can get wrong, and the error constructs raise for bad props.

The construct library defines the root (it imports nothing of the engine); ``homelab.errors`` re-exports
it, so ``except HomelabError`` catches every mistake a declaration can make, whichever layer found it.
"""

from __future__ import annotations


class HomelabError(Exception):
    """A problem in the user's homelab declaration, tree or repository; the message says where and how to fix it."""


class PropsError(HomelabError, ValueError):
    """Bad input to a construct: the message names the construct, the bad value and the fix.

    The engine prefixes it with the file, line and construct path it came from, so the
    message a user sees reads e.g.
    ``clusters/apps/immich.py:14: immich/base: HelmArgoApp 'immich': version is required ...``.
    """
