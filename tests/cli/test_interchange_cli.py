"""`certprep pack import` and `certprep pack export`, run as the user runs them (a real subprocess)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from certprep.services.content import builtin_pack_path
from tests.interchange.packs import empty_pack, fingerprint

SOURCE = "https://learn.microsoft.com/en-us/azure/devops/pipelines/"


def certprep(*args: str | Path, data: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "CERTPREP_DATA_DIR": str(data), "COLUMNS": "200"}
    return subprocess.run(
        [sys.executable, "-m", "certprep", *map(str, args)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )


def test_export_then_import_a_moodle_file(tmp_path: Path) -> None:
    out = tmp_path / "bank.xml"
    done = certprep("pack", "export", builtin_pack_path(), out, "--format", "moodle", data=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "exported 334 items to" in done.stdout or "exported" in done.stdout
    assert "warning: item az-400/" in done.stderr and "Moodle XML does not hold" in done.stderr
    pack = empty_pack(tmp_path)
    before = fingerprint(pack)
    refused = certprep("pack", "import", out, "--format", "moodle", "--into", pack, data=tmp_path)
    assert refused.returncode == 1
    assert "error: item mine/" in refused.stderr and "nothing was imported" in refused.stderr
    assert fingerprint(pack) == before


def test_dry_run_then_import_a_gift_file(tmp_path: Path) -> None:
    gift = tmp_path / "wait.gift"
    gift.write_text(
        "$CATEGORY: $course$/top/yaml-pipelines\n\n::Wait::Which keyword makes a stage wait?{\n"
        "=dependsOn#Right: it lists the stages.\n~condition#Wrong: it decides whether it runs.\n"
        "~trigger#Wrong: it starts a run.\n}\n",
        encoding="utf-8",
    )
    pack = empty_pack(tmp_path)
    before = fingerprint(pack)
    dry = certprep(
        "pack",
        "import",
        gift,
        "--format",
        "gift",
        "--into",
        pack,
        "--dry-run",
        "--source",
        SOURCE,
        data=tmp_path,
    )
    assert dry.returncode == 0, dry.stderr
    assert "mine/yaml-pipelines/wait" in dry.stdout and "dry run: 1 items would be written" in dry.stdout
    assert fingerprint(pack) == before
    done = certprep(
        "pack", "import", gift, "--format", "gift", "--into", pack, "--source", SOURCE, data=tmp_path
    )
    assert done.returncode == 0, done.stderr
    assert (pack / "items/imported/wait/yaml-pipelines/wait.md").is_file()
    check = certprep("pack", "check", pack, data=tmp_path)
    assert check.returncode == 0, check.stderr


def test_refusals_name_what_is_wrong(tmp_path: Path) -> None:
    gift = tmp_path / "q.gift"
    gift.write_text("Q?{=a ~b ~c}\n", encoding="utf-8")
    builtin = certprep("pack", "import", gift, "--format", "gift", data=tmp_path)
    assert builtin.returncode == 1 and "is the built-in pack, which is read-only" in builtin.stderr
    fmt = certprep("pack", "import", gift, "--format", "docx", data=tmp_path)
    assert fmt.returncode == 1 and "unknown format 'docx'" in fmt.stderr
    missing = certprep("pack", "import", tmp_path / "nope.gift", "--format", "gift", data=tmp_path)
    assert missing.returncode == 1 and "nope.gift: no such file" in missing.stderr
    bad_zip = tmp_path / "p.zip"
    bad_zip.write_bytes(b"PK\x03\x04 truncated")
    pack = empty_pack(tmp_path)
    zipped = certprep("pack", "import", bad_zip, "--format", "qti3", "--into", pack, data=tmp_path)
    assert zipped.returncode == 1 and "p.zip: not a zip archive, or a truncated one" in zipped.stderr
