"""Zip archives (QTI content packages), read safely into memory and written.

Nothing is extracted to disk. Before any member is read: every name must be a plain relative path (no `..`, no
absolute path, drive letter or backslash), no member may be a symbolic link, the member count and the declared
unpacked size must be within the limits; then each member is read with its size checked again as it inflates,
so a zip that lies about sizes or is truncated is a clear error, never a full disk.
"""

from __future__ import annotations

import io
import stat
import zipfile
import zlib

from certprep.interchange.report import MAX_BYTES

MAX_MEMBERS = 30_000


class ArchiveRefused(Exception):
    """A zip that is unsafe or unreadable; the message names the archive and the member."""


def _bad_name(name: str) -> str | None:
    if "\\" in name or name.startswith("/") or (len(name) > 1 and name[1] == ":"):
        return "an absolute path"
    if any(part == ".." for part in name.split("/")):
        return "a path that leaves the archive (..)"
    if "\x00" in name:
        return "a NUL character in its name"
    return None


def read_zip(data: bytes, file: str, *, limit: int = MAX_BYTES) -> dict[str, bytes]:
    """Every file of a zip by its name, or ArchiveRefused saying which rule a member breaks."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise ArchiveRefused(
            f"{file}: not a zip archive, or a truncated one (no central directory)"
        ) from None
    with archive:
        members = archive.infolist()
        if len(members) > MAX_MEMBERS:
            raise ArchiveRefused(f"{file}: {len(members)} members is over the {MAX_MEMBERS} limit")
        total = 0
        for m in members:
            why = _bad_name(m.filename)
            if why:
                raise ArchiveRefused(f"{file}: member {m.filename!r} has {why}")
            if stat.S_ISLNK(m.external_attr >> 16):
                raise ArchiveRefused(f"{file}: member {m.filename!r} is a symbolic link")
            total += m.file_size
            if total > limit:
                raise ArchiveRefused(
                    f"{file}: unpacks to more than {limit // 1_000_000} MB (the import limit)"
                )
        out: dict[str, bytes] = {}
        for m in members:
            if m.is_dir():
                continue
            try:
                with archive.open(m) as stream:
                    body = stream.read(m.file_size + 1)
            except (zipfile.BadZipFile, EOFError, zlib.error, OSError) as exc:
                raise ArchiveRefused(
                    f"{file}: member {m.filename!r} is truncated or corrupt ({exc})"
                ) from None
            if len(body) > m.file_size:
                raise ArchiveRefused(f"{file}: member {m.filename!r} is larger than the archive says")
            out[m.filename] = body
    return out


def write_zip(files: dict[str, bytes]) -> bytes:
    """A deflated zip of the files, in the order given, with fixed timestamps (the same input, the same bytes)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, body in files.items():
            info = zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(
                info, body, compresslevel=1
            )  # many small files: speed over a few percent of size
    return buffer.getvalue()
