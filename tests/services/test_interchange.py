"""The import and export use cases against real pack folders: all or nothing, the checker's rules, atomic writes."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from certprep.errors import InvalidInput, PolicyViolation
from certprep.interchange.qti import write_qti3
from certprep.packs.check import check_pack
from certprep.services.content import builtin_pack_path
from certprep.services.interchange import export_pack, import_items, plan_import
from tests.interchange.packs import TODAY, builtin_units, empty_pack, fingerprint

SOURCE = "https://learn.microsoft.com/en-us/azure/devops/pipelines/"
GIFT = "$CATEGORY: $course$/top/yaml-pipelines\n\n::Wait::Which keyword makes a stage wait for other stages?{\n=dependsOn#Right: it lists the stages.\n~condition#Wrong: it decides whether it runs.\n~trigger#Wrong: it starts a run.\n}\n"


def test_a_qti_export_of_the_bank_imports_into_a_new_pack_that_passes_the_checker(tmp_path: Path) -> None:
    pack = empty_pack(tmp_path)
    data = export_pack(builtin_pack_path(), fmt="qti3").data
    report = import_items(data, fmt="qti3", into=pack, file="bank.zip", today=TODAY)
    assert report.written and len(report.items) == sum(
        len(getattr(u, "items", getattr(u, "statements", (u,)))) for u in builtin_units()
    )
    result = check_pack(pack, today=TODAY)
    assert result.errors == () and result.bank is not None and len(result.bank.items) == len(report.items)
    assert (pack / "items/imported/bank").is_dir() and not list(pack.glob(".import-*"))


def test_retirements_travel_with_items_and_unknown_ones_are_dropped_with_a_warning(tmp_path: Path) -> None:
    data = export_pack(builtin_pack_path(), fmt="qti3").data
    knows = import_items(data, fmt="qti3", into=empty_pack(tmp_path / "a"), file="bank.zip", today=TODAY)
    [tied] = [r.item for r in knows.items if r.item.endswith("/insightsmetrics-top-cpu")]
    kept = check_pack(Path(knows.pack), today=TODAY).bank
    assert kept is not None and kept.item(tied).meta.retires_with == ("vm-insights-map",)  # type: ignore[union-attr]
    bare = empty_pack(tmp_path / "b")
    (bare / "retirements.yaml").unlink()
    report = import_items(data, fmt="qti3", into=bare, file="bank.zip", today=TODAY)
    [row] = [r for r in report.items if r.item == tied]
    assert any("retires_with 'vm-insights-map' dropped" in w for w in row.warnings), row.warnings
    result = check_pack(bare, today=TODAY)
    assert result.errors == () and result.bank is not None
    assert result.bank.item(tied).meta.retires_with == ()  # type: ignore[union-attr]


def test_dry_run_reports_and_writes_nothing(tmp_path: Path) -> None:
    pack = empty_pack(tmp_path)
    before = fingerprint(pack)
    report = import_items(
        GIFT.encode(), fmt="gift", into=pack, file="q.gift", today=TODAY, dry_run=True, source=SOURCE
    )
    assert report.dry_run and not report.written and fingerprint(pack) == before
    [row] = report.items
    assert row.item == "mine/yaml-pipelines/wait" and row.problems == ()
    assert any("set from the import's defaults" in w for w in row.warnings)


def test_the_built_in_pack_is_read_only(tmp_path: Path) -> None:
    with pytest.raises(PolicyViolation, match="built-in pack, which is read-only"):
        import_items(
            GIFT.encode(), fmt="gift", into=builtin_pack_path(), file="q.gift", today=TODAY, source=SOURCE
        )
    report, _ = plan_import(
        GIFT.encode(), fmt="gift", into=builtin_pack_path(), file="q.gift", today=TODAY, source=SOURCE
    )
    assert report.items[0].item == "az-400/yaml-pipelines/wait"


def test_one_bad_item_and_nothing_is_written(tmp_path: Path) -> None:
    pack = empty_pack(tmp_path)
    before = fingerprint(pack)
    bad = GIFT + "\nWhich one?{=a ~b}\n"  # no feedback: every option needs an explanation
    with pytest.raises(InvalidInput, match="nothing was imported") as refused:
        import_items(bad.encode(), fmt="gift", into=pack, file="q.gift", today=TODAY, source=SOURCE)
    assert refused.value.data["problems"] == [
        "item mine/yaml-pipelines/which-one: options.0.explanation: String should have at least 1 character",
        "item mine/yaml-pipelines/which-one: options.1.explanation: String should have at least 1 character",
    ]
    assert fingerprint(pack) == before


def test_ids_already_in_the_pack_and_near_duplicates(tmp_path: Path) -> None:
    pack = empty_pack(tmp_path)
    import_items(GIFT.encode(), fmt="gift", into=pack, file="first.gift", today=TODAY, source=SOURCE)
    with pytest.raises(InvalidInput) as refused:
        import_items(GIFT.encode(), fmt="gift", into=pack, file="again.gift", today=TODAY, source=SOURCE)
    assert (
        "item mine/yaml-pipelines/wait: id 'mine/yaml-pipelines/wait' is already in the pack"
        in refused.value.data["problems"]
    )
    reworded = GIFT.replace("::Wait::", "::Wait again::").replace("Which keyword", "Which YAML keyword")
    report = import_items(
        reworded.encode(), fmt="gift", into=pack, file="b.gift", today=TODAY, source=SOURCE, dry_run=True
    )
    assert any(
        w.startswith("near-duplicate of mine/yaml-pipelines/wait (similarity")
        for w in report.items[0].warnings
    )


def test_a_failed_move_undoes_the_moves_made(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pack = empty_pack(tmp_path)
    before = fingerprint(pack)
    data = write_qti3(builtin_units()[:5]).data
    real, calls = os.replace, []

    def failing(src: str | Path, dst: str | Path) -> None:
        calls.append(dst)
        if len(calls) == 3:
            raise OSError("disk full")
        real(src, dst)

    monkeypatch.setattr("certprep.services.interchange.os.replace", failing)
    with pytest.raises(OSError, match="disk full"):
        import_items(data, fmt="qti3", into=pack, file="b.zip", today=TODAY)
    assert fingerprint(pack) == before


def test_bad_options_are_named(tmp_path: Path) -> None:
    pack = empty_pack(tmp_path)
    with pytest.raises(
        InvalidInput, match="unknown format 'docx'; choose one of: qti3, qti21, moodle, gift, csv"
    ):
        import_items(b"", fmt="docx", into=pack, file="x", today=TODAY)
    with pytest.raises(InvalidInput, match="objective 'nope' is not in the pack's current outline"):
        import_items(GIFT.encode(), fmt="gift", into=pack, file="x.gift", today=TODAY, objective="nope")
    with pytest.raises(InvalidInput, match=r"source: give a https://learn\.microsoft\.com/"):
        import_items(
            GIFT.encode(), fmt="gift", into=pack, file="x.gift", today=TODAY, source="http://example.com"
        )
    with pytest.raises(InvalidInput, match="choose one of: qti3, moodle, gift, csv"):
        export_pack(pack, fmt="qti21")
