"""Where custom resources' schemas come from and are kept: the default location and the cache (and the
cache of rendered charts beside it).

Kept apart from :mod:`homelab.validate.schemas` (which loads jsonschema and Kubernetes' schemas) so
that synth can see whether any schema is at hand before paying for loading the validator.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

#: Where custom resources' schemas are looked up unless told otherwise: the CRDs catalog (kubeconform's layout).
DEFAULT_LOCATION = "https://raw.githubusercontent.com/datreeio/CRDs-catalog/main/{group}/{kind}_{version}.json"


def default_locations(schema_dirs: list[Path]) -> list[str]:
    """Where custom resources' schemas are looked up when no ``--schema-location`` is given: the default
    location, unless schema directories (``--crd-schemas``) are given."""
    return [] if schema_dirs else [DEFAULT_LOCATION]


#: A repository's own custom resource schemas (``<group>/<kind>_<version>.json``, as ``--crd-schemas`` takes them):
#: ``homelab validate`` of the repository's homelab looks there first, before the default location.
REPOSITORY_SCHEMAS = "crd-schemas"


def repository_location(root: Path) -> str | None:
    """The ``file://`` location of ``root``'s :data:`REPOSITORY_SCHEMAS` when it has that directory, else None."""
    directory = root / REPOSITORY_SCHEMAS
    return f"file://{directory.resolve()}/{{group}}/{{kind}}_{{version}}.json" if directory.is_dir() else None


def cache_root() -> Path:
    """Where ``homelab validate`` keeps what it fetched: ``$XDG_CACHE_HOME/homelab`` (``~/.cache/homelab``)."""
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "homelab"


def cache_dir() -> Path:
    """Where fetched schemas are kept: ``$XDG_CACHE_HOME/homelab/schemas`` (``~/.cache/...``)."""
    return cache_root() / "schemas"


def charts_cache_dir() -> Path:
    """Where rendered charts are kept (``validate --online``): ``$XDG_CACHE_HOME/homelab/charts``."""
    return cache_root() / "charts"


def cached_schema(template: str, cache_dir: Path, api_version: str, kind: str) -> Path:
    """Where the schema of ``kind`` fetched from ``template`` is kept in ``cache_dir``."""
    group, _, version = api_version.rpartition("/")
    return cache_dir / hashlib.sha256(template.encode()).hexdigest()[:16] / group / f"{kind.lower()}_{version}.json"
