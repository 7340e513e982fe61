"""Content is untrusted: the server and the commands refuse a pack that fails `certprep pack check`, and a page
never prints a URL that is not http(s) in an href (the `safe_url` filter on every template)."""

from __future__ import annotations

import logging
import os
import re
import shutil
import socket
import subprocess
import sys
from datetime import date
from importlib.resources import files
from pathlib import Path

import pytest

from certprep.cli import main
from certprep.config import Settings
from certprep.domain.items import Flashcard, Source
from certprep.domain.links import safe_url
from certprep.errors import PackInvalid
from certprep.services.content import builtin_pack_path, load_checked_pack, pack_fingerprint
from certprep.web import create_app

PROVIDER_URL = "url: https://learn.microsoft.com/en-us/credentials/certifications/devops-engineer/"
TEMPLATES = Path(str(files("certprep.web") / "templates"))


def _small_pack(root: Path, *, provider_url: str | None = None) -> Path:
    """The built-in catalog, outlines, plan and study links without items: a pack that passes the checker."""
    pack = root / "az-400"
    pack.mkdir(parents=True)
    src = builtin_pack_path()
    for name in (
        "pack.yaml",
        "certifications.yaml",
        "paths.yaml",
        "roles.yaml",
        "providers.yaml",
        "plan.yaml",
    ):
        shutil.copy(src / name, pack / name)
    shutil.copytree(src / "outlines", pack / "outlines")
    shutil.copytree(src / "study-links", pack / "study-links")
    if provider_url is not None:
        _bad_provider(pack, provider_url)
    return pack


def _bad_provider(pack: Path, url: str) -> None:
    providers = pack / "providers.yaml"
    providers.write_text(providers.read_text().replace(PROVIDER_URL, f'url: "{url}"', 1))


def _settings(tmp: Path, pack: Path | None) -> Settings:
    return Settings(database_url=f"sqlite:///{tmp}/x.sqlite3", data_dir=tmp, pack_dir=pack)


def test_create_app_refuses_a_pack_that_fails_the_checker(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    pack = _small_pack(tmp_path / "bad", provider_url="javascript:alert(1)")
    with caplog.at_level(logging.ERROR, logger="certprep.content"), pytest.raises(PackInvalid) as caught:
        create_app(_settings(tmp_path, pack))
    assert caught.value.message.startswith(f"content pack {pack} fails the checker: 1 error")
    assert f"certprep pack check {pack}" in caught.value.message
    assert caught.value.problems == [
        "az-400/providers.yaml:7: providers.0.url: URL must be http(s), not 'javascript:alert(1)'"
    ]
    assert "az-400/providers.yaml:7: providers.0.url" in caplog.text  # the problems are in the log too


def test_serve_exits_non_zero_with_the_problems(tmp_path: Path) -> None:
    pack = _small_pack(tmp_path / "bad", provider_url=" JaVaScRiPt:alert(1)")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "CERTPREP_DATA_DIR": str(tmp_path), "CERTPREP_PACK_DIR": str(pack)}
    env.pop("CERTPREP_DATABASE_URL", None)
    done = subprocess.run(
        [sys.executable, "-m", "certprep", "serve", "--port", str(port)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert done.returncode == 1
    assert f"error: content pack {pack} fails the checker: 1 error" in done.stderr
    assert (
        "az-400/providers.yaml:7: providers.0.url: URL must be http(s), not ' JaVaScRiPt:alert(1)'"
        in done.stderr
    )
    assert "serving on" not in done.stdout


def test_a_command_refuses_the_pack_too(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    pack = _small_pack(tmp_path / "bad", provider_url="data:text/html,<script>alert(1)</script>")
    monkeypatch.setenv("CERTPREP_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("CERTPREP_PACK_DIR", str(pack))
    monkeypatch.delenv("CERTPREP_DATABASE_URL", raising=False)
    assert main(["cards", "--json"]) == 1
    err = capsys.readouterr().err
    assert f"error: content pack {pack} fails the checker" in err and "providers.0.url" in err


def test_a_pass_is_remembered_until_a_file_changes(tmp_path: Path) -> None:
    pack = _small_pack(tmp_path / "good")
    settings = _settings(tmp_path, pack)
    assert load_checked_pack(settings, today=date(2027, 1, 4)).catalog.pack_id == "az-400"
    stamps = list((tmp_path / "pack-checks").glob("*.pass"))
    assert len(stamps) == 1 and stamps[0].read_text().strip() == pack_fingerprint(pack)
    _bad_provider(pack, "vbscript:msgbox(1)")
    with pytest.raises(PackInvalid, match="fails the checker"):
        load_checked_pack(settings, today=date(2027, 1, 4))


def test_the_built_in_pack_passes_and_is_checked_once(tmp_path: Path) -> None:
    first = load_checked_pack(_settings(tmp_path, None))
    assert first.root == builtin_pack_path() and first.bank.items
    assert load_checked_pack(_settings(tmp_path, None)).catalog is first.catalog


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        " JaVaScRiPt:alert(1)",
        "\x01java\tscript:alert(1)",
        "java\nscript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "vbscript:msgbox(1)",
        "//evil.example/x",
        "",
        None,
        42,
    ],
)
def test_safe_url_refuses(url: object) -> None:
    assert safe_url(url) == "#"


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("https://learn.microsoft.com/x", "https://learn.microsoft.com/x"),
        ("  HTTPS://learn.microsoft.com/x\n", "HTTPS://learn.microsoft.com/x"),
        ("ht\ttp://example.com/a", "http://example.com/a"),
    ],
)
def test_safe_url_keeps_web_urls_as_a_browser_reads_them(url: str, shown: str) -> None:
    assert safe_url(url) == shown


def test_a_template_does_not_print_a_stored_script_url(tmp_path: Path) -> None:
    app = create_app(_settings(tmp_path, None))
    card = Flashcard(
        "az-400/flashcards/x/y",
        "yaml-pipelines",
        "front",
        "back",
        (
            Source(" JaVaScRiPt:alert(1)", date(2026, 11, 1)),
            Source("https://learn.microsoft.com/ok", date(2026, 11, 1)),
        ),
    )
    html = app.state.templates.get_template("partials/cards_card.html").render(c=card, html=str)
    hrefs = re.findall(r'href="([^"]*)"', html)
    assert hrefs == ["#", "https://learn.microsoft.com/ok"]
    assert "JaVaScRiPt:alert(1)</a>" in html  # shown as text, escaped, never as a link


def test_every_template_href_and_src_goes_through_safe_url() -> None:
    """A new template printing a URL into href or src without the filter fails here (url_for is the app's own)."""
    unfiltered = []
    for path in sorted(TEMPLATES.rglob("*.html")):
        for n, line in enumerate(path.read_text().splitlines(), 1):
            for value in re.findall(r'(?:href|src|action|formaction)="([^"]*\{\{[^"]*)"', line):
                inner = re.findall(r"\{\{(.*?)\}\}", value)
                if value.startswith("{{") and not all("safe_url" in x or "url_for(" in x for x in inner):
                    unfiltered.append(f"{path.relative_to(TEMPLATES)}:{n}: {value}")
    assert unfiltered == []
