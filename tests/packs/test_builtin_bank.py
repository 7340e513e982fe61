"""The built-in bank, counted straight from its files (plain YAML reads, not the loader), against the issues'
targets and against `certprep pack check --coverage --json`."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest
import yaml

from certprep.cli import main
from certprep.services.content import builtin_pack_path

ROOT = builtin_pack_path()
OUTLINE = yaml.safe_load((ROOT / "outlines" / "2026-07-27.yaml").read_text())
GROUP_OF = {o["id"]: g["id"] for g in OUTLINE["groups"] for s in g["skills"] for o in s["objectives"]}
PIPELINES = "pipelines"


def front(path: Path) -> dict:  # type: ignore[type-arg]
    text = path.read_text()
    return yaml.safe_load(text.split("\n---", 1)[0].removeprefix("---\n"))


def scored() -> list[tuple[str, str, str]]:
    """(objective, type, file) per scored item, retired ones left out."""
    out = []
    for path in sorted((ROOT / "items").rglob("*.md")):
        d = front(path)
        if d.get("status") == "retired":
            continue
        if d["type"] == "case-study":
            out += [
                (i["objective"], i["type"], str(path)) for i in d["items"] if i.get("status") != "retired"
            ]
        elif d["type"] == "yes-no-series":
            out += [(s.get("objective") or d["objective"], "yes-no", str(path)) for s in d["statements"]]
        else:
            out.append((d["objective"], d["type"], str(path)))
    return out


ITEMS = scored()
PER_OBJECTIVE = Counter(o for o, _, _ in ITEMS)


def files_of(kind: str) -> list[dict]:  # type: ignore[type-arg]
    return [d for p in sorted((ROOT / "items").rglob("*.md")) if (d := front(p))["type"] == kind]


def group_items(group: str) -> list[tuple[str, str, str]]:
    return [x for x in ITEMS if GROUP_OF.get(x[0]) == group]


def test_counts_match_pack_check_coverage_json(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["pack", "check", "--coverage", "--json"])
    data = json.loads(capsys.readouterr().out)
    assert code == 0 and data["ok"] is True and data["empty"] == []
    assert {o["objective"]: o["items"] for o in data["objectives"]} == {
        k: PER_OBJECTIVE.get(k, 0) for k in GROUP_OF
    }
    assert data["total"] == len(ITEMS)


def test_every_group_inside_its_weight_range() -> None:
    total = len(ITEMS)
    for group in OUTLINE["groups"]:
        low, high = group["weight"]
        share = 100 * len(group_items(group["id"])) / total
        assert low <= share <= high, (group["id"], round(share, 1))


def test_part_1_pipelines_targets() -> None:
    items = group_items(PIPELINES)
    assert len(items) >= 170
    objectives = [o for o, g in GROUP_OF.items() if g == PIPELINES]
    assert len(objectives) == 35
    assert min(PER_OBJECTIVE[o] for o in objectives) >= 3
    types = Counter(t for _, t, _ in items)
    assert all(
        types[t] >= 10 for t in ("single", "multiple", "build-list", "drag-drop", "hot-area", "yes-no")
    ), types


def test_part_2_other_groups_targets() -> None:
    items = [x for x in ITEMS if GROUP_OF[x[0]] != PIPELINES]
    assert len(items) >= 150
    assert min(PER_OBJECTIVE[o] for o, g in GROUP_OF.items() if g != PIPELINES) >= 2
    types = Counter(t for _, t, _ in items)
    assert all(
        types[t] >= 8 for t in ("single", "multiple", "build-list", "drag-drop", "hot-area", "yes-no")
    ), types


def _in_group(d: dict, group: str) -> bool:  # type: ignore[type-arg]
    objective = d["objective"] if "objective" in d else d["items"][0]["objective"]
    return GROUP_OF[objective] == group


def test_series_and_case_studies() -> None:
    series = files_of("yes-no-series")
    cases = files_of("case-study")
    assert sum(_in_group(s, PIPELINES) for s in series) >= 6
    assert sum(not _in_group(s, PIPELINES) for s in series) >= 6
    assert sum(_in_group(c, PIPELINES) and len(c["items"]) >= 5 for c in cases) >= 3
    assert sum(not _in_group(c, PIPELINES) and len(c["items"]) >= 5 for c in cases) >= 3
    assert len(ITEMS) >= 320 and len(cases) >= 6


def test_flashcards() -> None:
    cards = [c for f in sorted((ROOT / "flashcards").glob("*.yaml")) for c in yaml.safe_load(f.read_text())]
    pipelines = [c for c in cards if GROUP_OF[c["objective"]] == PIPELINES]
    assert len(cards) >= 250 and len(pipelines) >= 130 and len(cards) - len(pipelines) >= 120


def _has_snippet(path: str) -> bool:
    return "```yaml" in Path(path).read_text() or any(
        f"```{lang}" in Path(path).read_text() for lang in ("bicep", "kql", "powershell", "bash", "json")
    )


def test_snippet_items() -> None:
    files = {f for _, _, f in group_items(PIPELINES)}
    others = {f for o, _, f in ITEMS if GROUP_OF[o] != PIPELINES}
    assert sum(_has_snippet(f) for f in files) >= 30
    assert sum(_has_snippet(f) for f in others) >= 15


@pytest.mark.parametrize("group", [PIPELINES, "non-pipelines"])
def test_difficulty_spread(group: str) -> None:
    items = (
        group_items(PIPELINES) if group == PIPELINES else [x for x in ITEMS if GROUP_OF[x[0]] != PIPELINES]
    )
    files = {f for _, _, f in items}
    levels: Counter[int] = Counter()
    for path in files:
        d = front(Path(path))
        if d["type"] == "case-study":
            levels.update(i["difficulty"] for i in d["items"])
        elif d["type"] == "yes-no-series":
            levels.update(s.get("difficulty") or d["difficulty"] for s in d["statements"])
        else:
            levels[d["difficulty"]] += 1
    assert set(levels) == {1, 2, 3, 4, 5}
    assert max(levels.values()) <= sum(levels.values()) / 2


def test_pack_check_passes_on_the_builtin_pack(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["pack", "check"]) == 0
    out, err = capsys.readouterr()
    assert "ok (" in out and "error" not in err
