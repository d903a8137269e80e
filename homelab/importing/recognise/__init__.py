"""The recognisers, one module per construct family, in the order they are tried.

Each is a :data:`~homelab.importing.recognise.base.Recogniser`: it reads the objects of one build and
proposes construct calls; :func:`homelab.importing.claims.recognise` keeps a proposal only when rendering
it gives exactly its objects. Those that claim several objects at once come first, so a Namespace an
app-of-apps triple holds is not taken alone.
"""

from __future__ import annotations

from homelab.importing.recognise.base import Recogniser

RECOGNISERS: tuple[Recogniser, ...] = ()
