"""Freshness from the pack's files: retirements.yaml, `retires_with` on items, the checker's flags at D-1 and D,
the citations gathered from items, flashcards and study links, and `certprep pack check --sources` (table, JSON,
exit codes)."""

from __future__ import annotations

import json
import textwrap
from datetime import date, timedelta
from pathlib import Path

import pytest

from certprep.cli import main
from certprep.domain.exam import usable
from certprep.packs.check import check_pack
from certprep.packs.items import load_bank
from certprep.packs.revisions import item_from_json, item_to_json, revision_of
from certprep.packs.sources import citations
from certprep.services.content import get_catalog
from tests.packs.conftest import GOOD, WriteItem

D = date(2027, 3, 31)
RETIREMENTS = """\
retirements:
  - id: classic-release
    title: Classic release pipelines
    date: 2027-03-31
    source: https://learn.microsoft.com/en-us/azure/devops/release-notes/roadmap/
  - id: later-topic
    title: A later topic
    date: 2028-01-01
    source: https://learn.microsoft.com/en-us/azure/devops/
"""
FLASHCARDS = """\
- id: az-400/flashcards/yaml-pipelines/dependson
  objective: yaml-pipelines
  front: "Which keyword makes a stage wait?"
  back: "dependsOn"
  sources:
    - url: https://learn.microsoft.com/en-us/azure/devops/pipelines/process/stages#depends
      checked: 2026-06-01
"""
LINKS = """\
- objective: yaml-pipelines
  title: Stages
  url: https://learn.microsoft.com/en-us/azure/devops/pipelines/process/stages
  checked: 2026-11-20
- objective: yaml-pipelines
  title: Schema
  url: https://learn.microsoft.com/en-us/azure/devops/pipelines/yaml-schema/
"""


def tied(slug: str, topics: str) -> str:
    return GOOD.format(slug=slug).replace("status: reviewed\n", f"status: reviewed\nretires_with: {topics}\n")


def problems(pack: Path, today: date) -> list[str]:
    return [str(p) for p in check_pack(pack, today=today).problems if "answer cue" not in p.message]


def test_an_item_tied_to_a_retiring_topic_is_flagged_before_and_after_never_an_error(
    pack: Path, write_item: WriteItem
) -> None:
    (pack / "retirements.yaml").write_text(RETIREMENTS)
    write_item("pipelines/yaml-pipelines/tied.md", tied("tied", "[later-topic, classic-release]"))
    before = problems(pack, D - timedelta(days=1))
    assert before == [
        "az-400/items/pipelines/yaml-pipelines/tied.md:2: warning: az-400/yaml-pipelines/tied: retires with "
        "'classic-release' (Classic release pipelines) on 2027-03-31: it leaves exams that day; rewrite it or set "
        "status: retired before then"
    ]
    after = check_pack(pack, today=D)
    assert after.errors == ()
    assert [p.message for p in after.warnings if "retired with" in p.message] == [
        "az-400/yaml-pipelines/tied: retired with 'classic-release' (Classic release pipelines) on 2027-03-31: "
        "it is out of exams; rewrite it or set status: retired"
    ]
    [item] = load_bank(pack).bank.items
    assert item.meta.retires_with == ("later-topic", "classic-release") and item.meta.retires_on == D
    outline = get_catalog().outline("AZ-400")
    assert usable(item, outline, on=D - timedelta(days=1)) and not usable(item, outline, on=D)
    assert after.catalog is not None and [r.id for r in after.catalog.retirements] == [
        "classic-release",
        "later-topic",
    ]


def test_retiring_makes_no_new_revision_and_the_stored_json_keeps_it(
    pack: Path, write_item: WriteItem
) -> None:
    write_item("pipelines/yaml-pipelines/plain.md", GOOD.format(slug="plain"))
    [plain] = load_bank(pack).bank.items
    (pack / "retirements.yaml").write_text(RETIREMENTS)
    write_item("pipelines/yaml-pipelines/plain.md", tied("plain", "[classic-release]"))
    [item] = load_bank(pack).bank.items
    assert revision_of(item) == revision_of(plain)  # retirement is metadata, not scored content
    assert item_from_json(item_to_json(item)) == item
    old = json.loads(item_to_json(plain))
    del old["meta"]["retires_with"], old["meta"]["retires_on"]  # a revision stored before retirements existed
    assert item_from_json(json.dumps(old)) == plain


def test_an_unknown_retirement_is_an_error_at_its_line(pack: Path, write_item: WriteItem) -> None:
    write_item("pipelines/yaml-pipelines/x.md", tied("x", "[nope]"))
    errors = [str(p) for p in check_pack(pack, today=D).errors]
    assert errors == [
        "az-400/items/pipelines/yaml-pipelines/x.md:10: retires_with: unknown retirement 'nope' (known: none: "
        "the pack has no retirements.yaml entry)"
    ]


def test_a_case_study_item_inherits_the_case_retirement(pack: Path, write_item: WriteItem) -> None:
    (pack / "retirements.yaml").write_text(RETIREMENTS)
    items = "".join(
        textwrap.indent(
            textwrap.dedent(
                f"""\
                - id: q{n}
                  type: single
                  objective: yaml-pipelines
                  difficulty: 2
                  {"retires_with: [later-topic]" if n == 1 else ""}
                  sources: [{{url: "https://learn.microsoft.com/en-us/azure/devops/pipelines/process/stages", checked: 2026-11-01}}]
                  prompt: "Question {n} about the stages of the pipeline"
                  options:
                    - {{id: a, text: "Answer a{n}", explanation: "Right a"}}
                    - {{id: b, text: "Answer b{n}", explanation: "Wrong b"}}
                    - {{id: c, text: "Answer c{n}", explanation: "Wrong c"}}
                  key: a
                """
            ),
            "  ",
        )
        for n in range(1, 5)
    )
    write_item(
        "pipelines/case-studies/retiring.md",
        '---\nid: az-400/case-studies/retiring\ntype: case-study\ntitle: Retiring\noutline: "2026-07-27"\n'
        "author: tester\nreviewer: reviewer\nstatus: reviewed\nretires_with: [classic-release]\n"
        "tabs:\n  - {title: Overview, body: A team.}\n  - {title: Requirements, body: Ship it.}\nitems:\n"
        + items
        + "---\n",
    )
    loaded = load_bank(pack)
    assert loaded.problems == []
    topics = {i.meta.id: i.meta.retires_with for i in loaded.bank.items}
    assert topics["az-400/case-studies/retiring/q1"] == ("classic-release", "later-topic")
    assert topics["az-400/case-studies/retiring/q2"] == ("classic-release",)
    assert {i.meta.retires_on for i in loaded.bank.items} == {D}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (RETIREMENTS.replace("date: 2027-03-31", "date: someday"), "retirements.yaml:4: retirements.0.date"),
        (
            RETIREMENTS.replace("later-topic", "classic-release"),
            "retirements.yaml:6: retirements.1.id: duplicate",
        ),
        (
            RETIREMENTS.replace("https://learn", "javascript:learn", 1),
            "retirements.yaml:5: retirements.0.source",
        ),
        ("retirements: [", "retirements.yaml:2: YAML does not parse"),
    ],
)
def test_a_broken_retirements_file_is_reported_at_its_line(pack: Path, text: str, expected: str) -> None:
    (pack / "retirements.yaml").write_text(text)
    errors = [str(p) for p in check_pack(pack, today=D).errors]
    assert any(e.startswith(f"az-400/{expected}") for e in errors), errors


def test_citations_come_from_live_items_flashcards_and_study_links(pack: Path, write_item: WriteItem) -> None:
    write_item("pipelines/yaml-pipelines/a.md", GOOD.format(slug="a"))
    write_item(
        "pipelines/yaml-pipelines/gone.md",
        GOOD.format(slug="gone").replace("status: reviewed", "status: retired"),
    )
    (pack / "flashcards").mkdir()
    (pack / "flashcards" / "f.yaml").write_text(FLASHCARDS)
    for old in (pack / "study-links").glob("*.yaml"):
        old.unlink()
    (pack / "study-links" / "s.yaml").write_text(LINKS)
    got = sorted((c.kind, c.ref, c.checked) for c in citations(load_bank(pack).bank))
    assert got == [
        ("flashcard", "az-400/flashcards/yaml-pipelines/dependson", date(2026, 6, 1)),
        ("item", "az-400/yaml-pipelines/a", date(2026, 11, 1)),
        ("study-link", "yaml-pipelines: Schema", None),
        ("study-link", "yaml-pipelines: Stages", date(2026, 11, 20)),
    ]


def test_check_dates_in_the_future_on_flashcards_and_study_links(pack: Path) -> None:
    (pack / "flashcards").mkdir()
    (pack / "flashcards" / "f.yaml").write_text(FLASHCARDS)
    (pack / "study-links" / "s.yaml").write_text(LINKS)
    errors = [p.message for p in check_pack(pack, today=date(2026, 5, 1)).errors]
    assert any(
        "flashcard az-400/flashcards/yaml-pipelines/dependson: source" in m and "future" in m for m in errors
    )
    assert any(m.startswith("study link https://") and "future (2026-11-20)" in m for m in errors)


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def dated_pack(pack: Path, write_item: WriteItem, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """A pack whose every citation has a date: its study links cover the outline and cite the items' page."""
    monkeypatch.setenv("CERTPREP_DATA_DIR", str(tmp_path / "data"))
    write_item("pipelines/yaml-pipelines/a.md", GOOD.format(slug="a"))
    for path in (pack / "study-links").glob("*.yaml"):
        text = path.read_text()
        path.write_text(text.replace("  kind: ", "  checked: 2026-11-01\n  kind: "))
    return pack


def test_sources_json_and_exit_codes(capsys: pytest.CaptureFixture[str], dated_pack: Path) -> None:
    code, out, _ = run(capsys, "pack", "check", str(dated_pack), "--sources", "--max-age", "36500", "--json")
    data = json.loads(out)
    assert code == 0 and data["ok"] is True and data["max_age_days"] == 36500
    assert set(data) == {
        "today",
        "max_age_days",
        "pages",
        "citations",
        "stale_pages",
        "stale_citations",
        "ok",
    }
    page = next(p for p in data["pages"] if p["url"].endswith("/pipelines/process/stages"))
    assert {"kind": "item", "ref": "az-400/yaml-pipelines/a", "checked": "2026-11-01"}.items() <= page[
        "citations"
    ][0].items()
    assert set(page) == {
        "url",
        "last_checked",
        "oldest_checked",
        "age_days",
        "citations",
        "stale",
        "is_stale",
    }
    code, out, _ = run(capsys, "pack", "check", str(dated_pack), "--sources", "--max-age", "0", "--json")
    data = json.loads(out)
    assert code == 1 and data["ok"] is False and data["stale_citations"] == data["citations"]
    code, out, _ = run(capsys, "pack", "check", str(dated_pack), "--sources", "--max-age", "0")
    assert code == 1 and "Cited pages on" in out and "item az-400/yaml-pipelines/a: checked 2026-11-01" in out
    assert "citations older than 0 days or never checked" in out


def test_undated_study_links_are_never_checked(capsys: pytest.CaptureFixture[str], pack: Path) -> None:
    code, out, _ = run(capsys, "pack", "check", str(pack), "--sources", "--json")
    data = json.loads(out)
    assert code == 1 and data["stale_pages"] > 0
    assert all(c["kind"] == "study-link" and c["checked"] is None for p in data["pages"] for c in p["stale"])


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--sources", "--max-age", "-1"], "max age must be 0 to 36500 days, got -1"),
        (["--max-age", "30"], "--max-age goes with --sources"),
        (["--sources", "--max-age", "ten"], "Invalid value"),
    ],
)
def test_bad_max_age(
    capsys: pytest.CaptureFixture[str], dated_pack: Path, args: list[str], message: str
) -> None:
    code, out, err = run(capsys, "pack", "check", str(dated_pack), *args)
    assert code != 0 and message in err and out == ""
