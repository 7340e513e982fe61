"""Settings: built once by the entrypoint from the environment and passed in; nothing reads it at import."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import platformdirs

from certprep.errors import ConfigError

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8400
# Host names accepted on any port: loopback (`certprep serve` binds nothing else until accounts exist; a DNS
# rebinding page cannot make a browser send them) and "testserver", the host of Starlette's TestClient.
ANY_PORT_HOSTS = ("127.0.0.1", "localhost", "[::1]", "testserver")
_DEFAULT_PORTS = {"http": 80, "https": 443}
_HOSTNAME = re.compile(r"[a-z0-9]([a-z0-9.-]*[a-z0-9])?|[0-9a-f:.]*:[0-9a-f:.]*")  # a DNS name, IPv4 or IPv6


@dataclass(frozen=True, slots=True)
class Settings:
    """Everything configurable; the zero-config default is SQLite in the user's data directory."""

    database_url: str
    data_dir: Path
    host: str = DEFAULT_HOST
    port: int = DEFAULT_PORT
    extra_packs: tuple[Path, ...] = ()
    pack_dir: Path | None = None
    public_url: str | None = None
    trust_proxy_headers: bool = False

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    @property
    def public_origin(self) -> str | None:
        """The public URL as a browser writes an Origin: scheme://host[:port], the default port left out."""
        if self.public_url is None:
            return None
        parts = urlsplit(self.public_url)
        return f"{parts.scheme}://{_host_port(parts.scheme, parts.hostname or '', parts.port)}"

    @property
    def allowed_hosts(self) -> tuple[str, ...]:
        """Host header values served: the public URL's host[:port] exactly, and `name:*` (any port or none)."""
        exact = () if self.public_origin is None else (self.public_origin.split("://", 1)[1],)
        return (*exact, *(f"{name}:*" for name in ANY_PORT_HOSTS))


def _host_port(scheme: str, host: str, port: int | None) -> str:
    name = f"[{host}]" if ":" in host else host
    return name if port is None or port == _DEFAULT_PORTS.get(scheme) else f"{name}:{port}"


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
    return Settings(
        database_url=url,
        data_dir=data_dir,
        port=port,
        extra_packs=packs,
        pack_dir=pack_dir,
        public_url=_public_url(env.get("CERTPREP_PUBLIC_URL", "")),
        trust_proxy_headers=_flag(env, "CERTPREP_TRUST_PROXY_HEADERS"),
    )


def _public_url(text: str) -> str | None:
    """`https://host[:port]` (a trailing `/` is dropped); anything else names CERTPREP_PUBLIC_URL."""
    if not text:
        return None
    if not _is_origin_url(text):
        raise ConfigError(
            f"CERTPREP_PUBLIC_URL must be http(s)://host[:port] with no path, query or user, got {text[:200]!r}",
            setting="CERTPREP_PUBLIC_URL",
        )
    return text.removesuffix("/")


def _is_origin_url(text: str) -> bool:
    try:
        parts = urlsplit(text)
        port = parts.port  # a port that is not 0-65535 raises ValueError
    except ValueError:
        return False
    return (
        parts.scheme in _DEFAULT_PORTS
        and _HOSTNAME.fullmatch(parts.hostname or "") is not None
        and port != 0
        and parts.path in ("", "/")
        and not (parts.query or parts.fragment or "@" in parts.netloc or text.endswith(("?", "#")))
    )


def _flag(env: Mapping[str, str], name: str) -> bool:
    value = env.get(name, "").strip().lower()
    if value in ("", "0", "false", "no", "off"):
        return False
    if value in ("1", "true", "yes", "on"):
        return True
    raise ConfigError(f"{name} must be 1 or 0, got {value[:40]!r}", setting=name)
