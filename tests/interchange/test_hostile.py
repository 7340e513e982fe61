"""Hostile files: each is refused with a clear message, and the target pack is left exactly as it was."""

from __future__ import annotations

import io
import stat
import zipfile
from pathlib import Path

import pytest

from certprep.errors import InvalidInput
from certprep.interchange.archive import write_zip
from certprep.services.interchange import import_items
from tests.interchange.packs import TODAY, empty_pack, fingerprint

BOMB = b"""<?xml version="1.0"?>
<!DOCTYPE quiz [
 <!ENTITY a "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa">
 <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
 <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
 <!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">
 <!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;">
]>
<quiz><question type="description"><questiontext><text>&e;&e;&e;&e;</text></questiontext></question></quiz>"""
EXTERNAL = b"""<?xml version="1.0"?>
<!DOCTYPE quiz [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<quiz><question type="description"><questiontext><text>&secret;</text></questiontext></question></quiz>"""
MANIFEST = b'<manifest xmlns="http://www.imsglobal.org/xsd/qti/qtiv3p0/imscp_v1p1"><resources/></manifest>'


def _zip_with(name: str, body: bytes, mode: int = 0o644) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("imsmanifest.xml", MANIFEST)
        info = zipfile.ZipInfo(name)
        info.external_attr = mode << 16
        z.writestr(info, body)
    return buffer.getvalue()


def _big_member() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as z:
        z.writestr("imsmanifest.xml", MANIFEST)
        z.writestr("items/huge.xml", b"\0" * (60 * 1024 * 1024))
    return buffer.getvalue()


CASES = {
    "entity bomb": (
        "moodle",
        lambda: BOMB,
        "bomb.xml: XML with a document type declaration (DTD) is refused",
    ),
    "external entity": (
        "moodle",
        lambda: EXTERNAL,
        "ext.xml: XML with a document type declaration (DTD) is refused",
    ),
    "path traversal": (
        "qti3",
        lambda: _zip_with("../../evil.xml", b"<x/>"),
        "pkg.zip: member '../../evil.xml' has a path that leaves the archive (..)",
    ),
    "absolute path": (
        "qti3",
        lambda: _zip_with("/etc/evil.xml", b"<x/>"),
        "pkg.zip: member '/etc/evil.xml' has an absolute path",
    ),
    "symbolic link": (
        "qti3",
        lambda: _zip_with("items/link.xml", b"/etc/passwd", stat.S_IFLNK | 0o777),
        "pkg.zip: member 'items/link.xml' is a symbolic link",
    ),
    "truncated zip": (
        "qti3",
        lambda: write_zip({"imsmanifest.xml": MANIFEST * 50})[:-40],
        "pkg.zip: not a zip archive, or a truncated one (no central directory)",
    ),
    "unpacks too large": ("qti3", _big_member, "pkg.zip: unpacks to more than 50 MB (the import limit)"),
    "100 MB file": (
        "gift",
        lambda: b"Q?{=a ~b ~c}\n\n" * (100 * 1024 * 1024 // 14),
        "big.gift: 104.9 MB is over the 50 MB import limit",
    ),
}
NAMES = {"entity bomb": "bomb.xml", "external entity": "ext.xml", "100 MB file": "big.gift"}


@pytest.mark.parametrize("case", CASES)
def test_hostile_input_is_refused_and_the_pack_is_unchanged(case: str, tmp_path: Path) -> None:
    fmt, make, message = CASES[case]
    pack = empty_pack(tmp_path)
    before = fingerprint(pack)
    with pytest.raises(InvalidInput) as refused:
        import_items(make(), fmt=fmt, into=pack, file=NAMES.get(case, "pkg.zip"), today=TODAY)
    assert any(p.startswith(message) for p in refused.value.data["problems"]), refused.value.data["problems"]
    assert "nothing was imported" in refused.value.message
    assert fingerprint(pack) == before
    assert not (tmp_path / "evil.xml").exists() and not list(tmp_path.rglob("evil.xml"))
