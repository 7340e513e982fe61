"""Loading content packs: the built-in az-400 pack ships inside the package; the server and the commands load a
pack only once `certprep pack check` finds no error in it (`load_checked_pack`).

Content is untrusted: a pack that fails the checker is refused at start. The check takes about 1.5 s on the
built-in pack, so a pass is remembered by the SHA-256 of the pack's files and of certprep's own code (a new rule
re-checks every pack): in the process, and in `<data dir>/pack-checks/` so that each command of the CLI does not
pay it again. Failures are never remembered: a check date in the future is an error only until that day.
"""

from __future__ import annotations

import hashlib
import logging
import os
import time
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import cache, lru_cache
from importlib.resources import files
from pathlib import Path

import certprep
from certprep.config import Settings
from certprep.domain.catalog import Catalog
from certprep.domain.items import Bank
from certprep.errors import PackInvalid
from certprep.packs.catalog import load_catalog
from certprep.packs.check import check_pack
from certprep.packs.items import load_bank

log = logging.getLogger("certprep.content")
SHOWN_PROBLEMS = 10
_passed: set[tuple[str, str]] = set()


def builtin_pack_path(pack_id: str = "az-400") -> Path:
    return Path(str(files("certprep") / "content" / pack_id))


def is_builtin_pack(root: Path) -> bool:
    """True for the pack shipped in the package (its answer-cue limits are errors, not warnings)."""
    return root.resolve() == builtin_pack_path().resolve()


@dataclass(frozen=True, slots=True)
class CheckedPack:
    """A pack that passed `certprep pack check`: its folder, catalog and item bank."""

    root: Path
    catalog: Catalog
    bank: Bank


def load_checked_pack(settings: Settings, *, today: date | None = None) -> CheckedPack:
    """The pack the settings name (the built-in one by default); PackInvalid when the checker finds an error."""
    root = settings.pack_dir or builtin_pack_path()
    require_checked(root, today=today or datetime.now(UTC).date(), stamps=settings.data_dir / "pack-checks")
    return CheckedPack(root, get_catalog(settings.pack_dir), get_bank(settings.pack_dir))


def require_checked(root: Path, *, today: date, stamps: Path | None = None) -> None:
    """Run `certprep pack check` over a pack unless it passed with the same files; PackInvalid on any error."""
    folder = str(root.resolve())
    fingerprint = pack_fingerprint(root)
    if (folder, fingerprint) in _passed or _stamped(stamps, folder, fingerprint):
        _passed.add((folder, fingerprint))
        return
    started = time.perf_counter()
    result = check_pack(root, today=today, strict_cues=is_builtin_pack(root))
    errors = [str(p) for p in result.errors]
    log.info(
        "content pack %s checked in %.2f s: %d errors, %d warnings",
        root,
        time.perf_counter() - started,
        len(errors),
        len(result.warnings),
    )
    if errors:
        raise _refused(root, errors)
    _passed.add((folder, fingerprint))
    _stamp(stamps, folder, fingerprint)


def _refused(root: Path, errors: list[str]) -> PackInvalid:
    """The start-up error (the first problems; all of them in the log)."""
    count = f"{len(errors)} error{'s' if len(errors) != 1 else ''}"
    message = f"content pack {root} fails the checker: {count} (`certprep pack check {root}` lists them all)"
    log.error("%s\n%s", message, "\n".join(errors))
    shown = errors[:SHOWN_PROBLEMS]
    more = [f"... and {len(errors) - len(shown)} more"] if len(errors) > len(shown) else []
    return PackInvalid(message, [*shown, *more])


def pack_fingerprint(root: Path) -> str:
    """SHA-256 of every file of a pack (path and bytes) and of certprep's code."""
    digest = hashlib.sha256(_code_fingerprint().encode())
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        data = path.read_bytes()
        digest.update(f"\0{path.relative_to(root).as_posix()}\0{len(data)}\0".encode())
        digest.update(data)
    return digest.hexdigest()


@cache
def _code_fingerprint() -> str:
    package = Path(certprep.__file__).parent
    digest = hashlib.sha256(certprep.__version__.encode())
    for path in sorted(package.rglob("*.py")):
        digest.update(f"\0{path.relative_to(package).as_posix()}\0".encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _stamp_path(stamps: Path, folder: str) -> Path:
    return stamps / f"{hashlib.sha256(folder.encode()).hexdigest()[:24]}.pass"


def _stamped(stamps: Path | None, folder: str, fingerprint: str) -> bool:
    if stamps is None:
        return False
    try:
        return _stamp_path(stamps, folder).read_text(encoding="ascii").strip() == fingerprint
    except (OSError, UnicodeDecodeError):
        return False


def _stamp(stamps: Path | None, folder: str, fingerprint: str) -> None:
    """Remember a pass (atomically: other processes may read it now); a read-only data directory only costs time."""
    if stamps is None:
        return
    target = _stamp_path(stamps, folder)
    try:
        stamps.mkdir(parents=True, exist_ok=True)
        tmp = target.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(fingerprint + "\n", encoding="ascii")
        os.replace(tmp, target)
    except OSError as exc:
        log.debug("cannot remember the pack check in %s: %s", stamps, exc)


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
