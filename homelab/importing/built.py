"""What an app's objects (or a cluster's own) became in the import: builders of construct calls, the constants
holding their props, and what the report says of them (:mod:`homelab.importing.arrange` fills them)."""

from __future__ import annotations

from dataclasses import dataclass, field

from homelab.importing.claims import Claim, SealedEntry


@dataclass(eq=False)
class Call:
    """One construct call of a builder."""

    claim: Claim
    id: str
    key: str = ""
    """``Kind namespace/name`` of its (first) object, as :func:`homelab.importing.arrange._first_key` tells it."""
    constant: str | None = None
    """The module-level constant holding its props (props dataclasses only; :func:`homelab.importing.constants.name_calls`)."""
    sealed: bool = False
    """A SealedConfig reading ``ctx.sealed``."""
    comment: tuple[str, ...] = ()
    """Lines of a comment written above the call (a plain Secret's: how to seal it)."""
    replaces: Call | None = None
    """The call (of the base, or of another cluster) whose object this one's is, changed."""
    clusters: list[str] = field(default_factory=list)
    """The clusters whose builders declare it (none for the base's)."""


@dataclass
class Builder:
    """A builder's body: ``base(scope)`` first when it keeps the base, then its calls."""

    calls: list[Call]
    calls_base: bool = False


@dataclass
class Built:
    """What the objects of one app (or a cluster's own) became."""

    constants: dict[str, object] = field(default_factory=dict)
    base: list[Call] = field(default_factory=list)
    overlays: dict[str, Builder] = field(default_factory=dict)
    sealed: dict[str, list[SealedEntry]] = field(default_factory=dict)
    """Cluster → the entries its store must hold."""
    notes: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    """What must not pass unseen (a plain Secret imported in clear): printed on stderr, counted."""
    plain: set[str] = field(default_factory=set)
    """The plain Secrets warned about (their JSON)."""
    typed: int = 0
    total: int = 0
    constructs: dict[str, str] = field(default_factory=dict)
    """``Kind namespace/name`` → the construct it became."""
    fixes: dict[str, str] = field(default_factory=dict)
    """``Kind namespace/name`` → why it differs from the original on purpose."""
