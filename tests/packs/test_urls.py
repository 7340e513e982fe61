"""Every URL a pack gives is http(s): a `javascript:`, `data:` or `vbscript:` URL (in any case, behind spaces or
control characters) in each kind of URL field, and in Markdown links, images and autolinks, is reported by
`certprep pack check` with its file and line; the Markdown renderer never makes such a URL a link or an image."""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path

import pytest

from certprep.domain.links import is_web_url, looks_like_url, url_problem
from certprep.packs.check import check_pack
from certprep.packs.markdown import markdown_links, render_markdown
from certprep.services.content import builtin_pack_path
from tests.packs.conftest import GOOD, WriteItem

TODAY = date(2026, 12, 1)
BAD = [
    "javascript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)",
    " JaVaScRiPt:alert(1)",
    "\x01java\tscript:alert(1)",
    "\njavascript\r:alert(1) ",
]
MARKDOWN_BAD = ["javascript:alert(1)", "data:text/html,x", "vbscript:msgbox(1)", "JaVaScRiPt:alert(1)"]


def _yaml(value: str) -> str:
    """A double-quoted YAML scalar (JSON's escapes are YAML's) holding exactly `value`."""
    return json.dumps(value)


def _inject(path: Path, old: str, new: str) -> int:
    """Replace the first `old` in a file by `new`; the 1-based line where `new` starts."""
    text = path.read_text(encoding="utf-8")
    at = text.index(old)
    path.write_text(text[:at] + new + text[at + len(old) :], encoding="utf-8")
    return text[:at].count("\n") + 1


def _url_errors(pack: Path) -> list[str]:
    result = check_pack(pack, today=TODAY)
    return [str(p) for p in result.errors if "URL must" in p.message or "must be http(s)" in p.message]


def _assert_reported(pack: Path, file: str, line: int, field: str) -> None:
    errors = _url_errors(pack)
    expected = f"az-400/{file}:{line}: {field}"
    assert any(e.startswith(expected) for e in errors), (expected, errors)


@pytest.fixture
def item(write_item: WriteItem) -> Path:
    return write_item("pipelines/yaml-pipelines/urls.md", GOOD.format(slug="urls"))


@pytest.mark.parametrize("bad", BAD)
def test_a_provider_url(pack: Path, item: Path, bad: str) -> None:
    line = _inject(
        pack / "providers.yaml",
        "url: https://learn.microsoft.com/en-us/credentials/certifications/devops-engineer/",
        f"url: {_yaml(bad)}",
    )
    _assert_reported(pack, "providers.yaml", line, "providers.0.url: URL must be http(s), not ")


@pytest.mark.parametrize("bad", BAD)
def test_a_certification_url(pack: Path, item: Path, bad: str) -> None:
    line = _inject(
        pack / "certifications.yaml",
        "url: https://learn.microsoft.com/en-us/credentials/certifications/azure-fundamentals/",
        f"url: {_yaml(bad)}",
    )
    _assert_reported(pack, "certifications.yaml", line, "certifications.0.url: URL must be http(s), not ")


@pytest.mark.parametrize("bad", BAD)
def test_a_fact_source_given_as_a_url(pack: Path, item: Path, bad: str) -> None:
    line = _inject(
        pack / "providers.yaml",
        'source: "az400-facts.md section 2 (study guide useful links)"',
        f"source: {_yaml(bad)}",
    )
    _assert_reported(
        pack, "providers.yaml", line, "providers.0.source: a source given as a URL must be http(s)"
    )


def test_a_fact_source_in_prose_is_not_a_url(pack: Path, item: Path) -> None:
    _inject(
        pack / "providers.yaml",
        'source: "az400-facts.md section 2 (study guide useful links)"',
        'source: "Microsoft Learn: retake policy, https://learn.microsoft.com/x"',
    )
    assert _url_errors(pack) == []


@pytest.mark.parametrize("bad", BAD)
def test_an_item_source(pack: Path, write_item: WriteItem, bad: str) -> None:
    text = GOOD.format(slug="src").replace(
        "url: https://learn.microsoft.com/en-us/azure/devops/pipelines/process/stages", f"url: {_yaml(bad)}"
    )
    path = write_item("pipelines/yaml-pipelines/src.md", text)
    line = path.read_text().splitlines().index(f"  - url: {_yaml(bad)}") + 1
    _assert_reported(
        pack, "items/pipelines/yaml-pipelines/src.md", line, "sources.0.url: URL must be http(s)"
    )


@pytest.mark.parametrize("bad", BAD)
def test_a_study_link(pack: Path, item: Path, bad: str) -> None:
    links = pack / "study-links" / "instrumentation.yaml"
    line = _inject(
        links,
        "url: https://learn.microsoft.com/azure/devops/pipelines/process/approvals",
        f"url: {_yaml(bad)}",
    )
    _assert_reported(pack, "study-links/instrumentation.yaml", line, "0.url: URL must be http(s), not ")


@pytest.mark.parametrize("bad", BAD)
def test_a_flashcard_source(pack: Path, item: Path, bad: str) -> None:
    (pack / "flashcards").mkdir()
    cards = pack / "flashcards" / "processes.yaml"
    shutil.copy(builtin_pack_path() / "flashcards" / "processes.yaml", cards)
    line = _inject(
        cards, "url: https://docs.github.com/en/get-started/using-github/github-flow", f"url: {_yaml(bad)}"
    )
    _assert_reported(pack, "flashcards/processes.yaml", line, "0.sources.0.url: URL must be http(s), not ")


@pytest.mark.parametrize("bad", MARKDOWN_BAD)
@pytest.mark.parametrize(("form", "kind"), [("[see this]({})", "link"), ("![diagram]({})", "image")])
def test_a_markdown_link_or_image_in_an_item_body(
    pack: Path, write_item: WriteItem, bad: str, form: str, kind: str
) -> None:
    text = GOOD.format(slug="body").replace(
        "What should you change?", "What should you change? " + form.format(bad)
    )
    path = write_item("pipelines/yaml-pipelines/body.md", text)
    line = next(i for i, x in enumerate(path.read_text().splitlines(), 1) if "What should you change?" in x)
    _assert_reported(pack, "items/pipelines/yaml-pipelines/body.md", line, f"body: Markdown {kind}: URL must")


@pytest.mark.parametrize("bad", MARKDOWN_BAD)
def test_an_autolink_in_an_option_explanation(pack: Path, write_item: WriteItem, bad: str) -> None:
    text = GOOD.format(slug="opt").replace(
        'explanation: "Wrong: a condition does not add a dependency."',
        f'explanation: "Wrong: see <{bad}>."',
    )
    path = write_item("pipelines/yaml-pipelines/opt.md", text)
    line = next(i for i, x in enumerate(path.read_text().splitlines(), 1) if "Wrong: see <" in x)
    _assert_reported(pack, "items/pipelines/yaml-pipelines/opt.md", line, "options.1.explanation: Markdown")


def test_a_link_in_a_case_study_tab_and_a_flashcard_back(pack: Path, item: Path) -> None:
    case = pack / "items" / "pipelines" / "case-studies" / "retailer-classic-to-yaml.md"
    case.parent.mkdir(parents=True)
    shutil.copy(builtin_pack_path() / "items" / "pipelines" / "case-studies" / case.name, case)
    key_line = _inject(case, "  - title: Overview\n    body: |", "  - title: Overview\n    body: |") + 1
    _inject(
        case,
        "Northwind Outfitters is a clothing",
        "[Northwind](javascript:alert(1)) Outfitters is a clothing",
    )
    (pack / "flashcards").mkdir()
    cards = pack / "flashcards" / "processes.yaml"
    shutil.copy(builtin_pack_path() / "flashcards" / "processes.yaml", cards)
    back = _inject(
        cards,
        'back: "Create a branch,',
        'back: "![x](data:image/svg+xml,<svg/onload=alert(1)>) Create a branch,',
    )
    errors = _url_errors(pack)
    # a block scalar is reported at the line of its key
    case_at = (
        f"az-400/items/pipelines/case-studies/{case.name}:{key_line}: tabs.0.body: Markdown link: URL must"
    )
    card_at = f"az-400/flashcards/processes.yaml:{back}: 0.back: Markdown image: URL must be http(s)"
    assert any(e.startswith(case_at) for e in errors), errors
    assert any(e.startswith(card_at) for e in errors), errors


def test_the_built_in_pack_has_only_web_urls() -> None:
    assert _url_errors(builtin_pack_path()) == []


def test_plan_yaml_has_no_url_fields() -> None:
    """plan.yaml holds wording and numbers only: nothing in it is printed as a link."""
    text = (builtin_pack_path() / "plan.yaml").read_text()
    assert "url:" not in text.lower() and "http" not in text


@pytest.mark.parametrize(
    "bad", [*BAD, "https:/x", "https://", "ftp://x/y", "//evil.example/x", "mailto:a@b.c"]
)
def test_url_problem_refuses(bad: str) -> None:
    assert url_problem(bad) is not None


@pytest.mark.parametrize("good", ["https://learn.microsoft.com/x", "HTTP://example.com/a?b=c#d"])
def test_url_problem_accepts(good: str) -> None:
    assert url_problem(good) is None and is_web_url(good)


@pytest.mark.parametrize(
    ("text", "url"),
    [
        ("javascript:alert(1)", True),
        (" \x01JaVaScRiPt:alert(1)", True),
        ("https://learn.microsoft.com/x (USD 165)", True),
        ("Microsoft Learn: retake policy", False),
        ("az400-facts.md section 3: 'quote'", False),
    ],
)
def test_looks_like_url(text: str, url: bool) -> None:
    assert looks_like_url(text) is url


@pytest.mark.parametrize("bad", MARKDOWN_BAD)
def test_the_renderer_makes_no_link_image_or_autolink_of_a_script_url(bad: str) -> None:
    html = render_markdown(f"[a]({bad}) ![b]({bad}) <{bad}> [c]\n\n[c]: {bad}\n")
    assert "<a " not in html and "<img" not in html
    assert "href=" not in html and "src=" not in html


def test_the_renderer_sees_through_percent_encoding_and_angle_brackets() -> None:
    html = render_markdown(
        "[a](<java script:alert(1)>) [b](%6Aavascript:alert(1)) ![c](<data:image/png;base64,AA>)"
    )
    assert "<a " not in html and "<img" not in html


def test_the_renderer_keeps_web_links_and_images() -> None:
    html = render_markdown(
        "[a](https://learn.microsoft.com/x) ![b](https://example.com/i.png) <https://x.y/z>"
    )
    assert html.count("<a href=") == 2 and '<img src="https://example.com/i.png"' in html


def test_markdown_links_lists_every_destination() -> None:
    found = markdown_links("x [a](javascript:1)\n\n![b](data:x) <vbscript:y>")
    assert found == [(0, "link", "javascript:1"), (2, "image", "data:x"), (2, "autolink", "vbscript:y")]
