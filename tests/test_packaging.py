"""The wheel carries every file of the package: templates in sub-folders, the labs' dot-folders (`.github`), the
migrations, the content. A file left out works in the editable install the tests use and breaks the installed app
(the README's run command installs a wheel)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_the_wheel_holds_every_file_of_the_package(tmp_path: Path) -> None:
    tree = tmp_path / "tree"  # a copy: building writes build/ and *.egg-info beside the sources
    shutil.copytree(ROOT / "src", tree / "src", ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, tree / name)
    done = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(tree)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    [wheel] = tmp_path.glob("certprep-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    package = ROOT / "src"
    missing = [
        str(path.relative_to(package))
        for path in (package / "certprep").rglob("*")
        if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc"
        if str(path.relative_to(package)).replace(os.sep, "/") not in names
    ]
    assert missing == []
