"""Settings: built once by the entrypoint from the environment and passed in; nothing reads it at import."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import platformdirs

from certprep.errors import ConfigError

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8400


@dataclass(frozen=True, slots=True)
class Settings:
    """Everything configurable; the zero-config default is SQLite in the user's data directory."""

    database_url: str
    data_dir: Path
    host: str = DEFAULT_HOST
    port: int = DEFAULT_PORT
    extra_packs: tuple[Path, ...] = ()
    pack_dir: Path | None = None

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")


def load_settings(environ: Mapping[str, str] | None = None) -> Settings:
    """Build Settings from CERTPREP_* variables; a bad value fails here, naming the variable."""
    env = os.environ if environ is None else environ
    data_dir = Path(env.get("CERTPREP_DATA_DIR") or platformdirs.user_data_dir("certprep", appauthor=False))
    url = env.get("CERTPREP_DATABASE_URL") or f"sqlite:///{data_dir / 'certprep.sqlite3'}"
    if not url.startswith(("sqlite", "postgresql")):
        raise ConfigError(
            "CERTPREP_DATABASE_URL must be a sqlite:/// or postgresql:// URL", setting="CERTPREP_DATABASE_URL"
        )
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    port_text = env.get("CERTPREP_PORT", str(DEFAULT_PORT))
    try:
        port = int(port_text)
    except ValueError:
        raise ConfigError(
            f"CERTPREP_PORT must be a whole number, got {port_text!r}", setting="CERTPREP_PORT"
        ) from None
    if not 0 < port < 65536:
        raise ConfigError(f"CERTPREP_PORT must be between 1 and 65535, got {port}", setting="CERTPREP_PORT")
    packs = tuple(Path(p) for p in env.get("CERTPREP_PACKS", "").split(os.pathsep) if p)
    pack_dir = Path(env["CERTPREP_PACK_DIR"]) if env.get("CERTPREP_PACK_DIR") else None
    if pack_dir is not None and not (pack_dir / "pack.yaml").is_file():
        raise ConfigError(
            f"CERTPREP_PACK_DIR {pack_dir} is not a content pack (no pack.yaml)", setting="CERTPREP_PACK_DIR"
        )
    return Settings(database_url=url, data_dir=data_dir, port=port, extra_packs=packs, pack_dir=pack_dir)
