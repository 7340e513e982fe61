"""Loading content packs: the built-in az-400 pack ships inside the package."""

from __future__ import annotations

from functools import lru_cache
from importlib.resources import files
from pathlib import Path

from certprep.domain.catalog import Catalog
from certprep.domain.items import Bank
from certprep.errors import PackInvalid
from certprep.packs.catalog import load_catalog
from certprep.packs.items import load_bank


def builtin_pack_path(pack_id: str = "az-400") -> Path:
    return Path(str(files("certprep") / "content" / pack_id))


def load_pack_catalog(root: Path) -> Catalog:
    """A pack's catalog, or PackInvalid listing every problem as file:line: message."""
    catalog, problems = load_catalog(root)
    errors = [p for p in problems if p.severity == "error"]
    if catalog is None or errors:
        raise PackInvalid(
            f"content pack {root} is invalid ({len(errors)} problems)", [str(p) for p in errors]
        )
    return catalog


@lru_cache(maxsize=8)
def _cached(root: str) -> Catalog:
    return load_pack_catalog(Path(root))


def get_catalog(root: Path | None = None) -> Catalog:
    """The catalog of a pack (the built-in one by default), read once per process."""
    return _cached(str(root or builtin_pack_path()))


@lru_cache(maxsize=8)
def _cached_bank(root: str) -> Bank:
    loaded = load_bank(Path(root))
    errors = [p for p in loaded.problems if p.severity == "error"]
    if errors:
        raise PackInvalid(
            f"content pack {root} has invalid items ({len(errors)} problems)", [str(p) for p in errors]
        )
    return loaded.bank


def get_bank(root: Path | None = None) -> Bank:
    """The item bank of a pack (the built-in one by default), read once per process."""
    return _cached_bank(str(root or builtin_pack_path()))
