"""CSV for spreadsheet authors: single and multiple choice, one row each, problems named by file:line."""

from __future__ import annotations

import csv
import io

from certprep.domain.items import MultipleResponse, SingleChoice
from certprep.interchange.csv_items import read_csv, write_csv
from tests.interchange.packs import builtin_units, defaults

HEAD = "id,objective,difficulty,source,checked,prompt,key,option_a,explanation_a,option_b,explanation_b,option_c,explanation_c,option_d,explanation_d\n"


def test_rows_become_items() -> None:
    text = (
        HEAD
        + 'q1,yaml-pipelines,2,https://learn.microsoft.com/x,2026-11-20,"Which keyword\nwaits?",b,condition,Skips.,dependsOn,Waits.,trigger,Starts.,,\n'
        + ",yaml-pipelines,,,,Pick two,a;c,ubuntu,Hosted.,Default,Self.,windows,Hosted.,Server,Agentless.\n"
    )
    parsed = read_csv(text.encode(), defaults(), "bank.csv")
    assert parsed.problems == ()
    single, multiple = parsed.units
    assert isinstance(single, SingleChoice) and single.meta.id == "az-400/yaml-pipelines/q1"
    assert single.prompt == "Which keyword\nwaits?" and single.key == "b" and single.meta.difficulty == 2
    assert [s.url for s in single.meta.sources] == ["https://learn.microsoft.com/x"]
    assert (
        isinstance(multiple, MultipleResponse)
        and multiple.key == frozenset({"a", "c"})
        and multiple.choose == 2
    )
    assert multiple.meta.id == "az-400/yaml-pipelines/pick-two"
    assert any("difficulty 3" in str(w) for w in parsed.warnings if w.item == multiple.meta.id)


def test_bad_rows_name_their_line() -> None:
    text = (
        HEAD
        + "q1,yaml-pipelines,2,,,Q?,e,a,x,b,y,c,z,,\n"
        + 'q2,yaml-pipelines,9,,,"two\nlines",a,a,x,b,y,c,z,,\n'
        + "q3,yaml-pipelines,2,https://learn.microsoft.com/x,,Q?,a,a,x,b,y,c,z,,\n"
    )
    parsed = read_csv(text.encode(), defaults(), "bank.csv")
    assert parsed.problems == (
        "bank.csv:2: key: 'e' must name options that have text (a, b, c)",
        "bank.csv:3: difficulty: '9' is not valid",
        "bank.csv:5: checked: a source needs the date it was checked (YYYY-MM-DD)",
    )


def test_missing_columns() -> None:
    assert read_csv(b"question,answer\nx,y\n", defaults(), "b.csv").problems == (
        "b.csv:1: missing columns: prompt, key, option_a, option_b (the first row names the columns)",
    )


def test_export_holds_only_choice_items_and_says_so() -> None:
    units = builtin_units()
    written = write_csv(units)
    kinds = {i.type for u in units for i in ((u,) if hasattr(u, "meta") else ())}
    assert "build-list" in kinds
    assert any(
        "not exported: CSV holds single and multiple choice, not build-list" in str(w)
        for w in written.warnings
    )
    assert written.data.startswith(b"\xef\xbb\xbfid,type,objective")


def test_no_exported_cell_runs_as_a_formula_and_the_file_reads_back_as_written() -> None:
    text = (
        HEAD
        + "q1,yaml-pipelines,2,https://learn.microsoft.com/x,2026-11-20,Which variable form?,a,"
        + "=$(Build.BuildId),Macro.,-stage name,Dash.,@workflow,At.,'=quoted,Apostrophe.\n"
    )
    parsed = read_csv(text.encode(), defaults(), "bank.csv")
    assert parsed.problems == ()
    [item] = parsed.units
    written = write_csv(parsed.units)
    rows = list(csv.reader(io.StringIO(written.data.decode("utf-8-sig"))))
    assert all(cell[:1] not in ("=", "+", "-", "@", "\t", "\r") for row in rows for cell in row), rows
    assert "'=$(Build.BuildId)" in rows[1] and "'-stage name" in rows[1] and "'@workflow" in rows[1]
    again = read_csv(written.data, defaults(), "again.csv")
    assert again.problems == () and again.units == parsed.units
    assert isinstance(item, SingleChoice) and item.options[0].text == "=$(Build.BuildId)"
    assert item.options[3].text == "=quoted"  # a spreadsheet's own apostrophe escape is read as one
