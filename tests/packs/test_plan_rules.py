"""The pack's plan.yaml: the built-in one loads; a bad id or value is reported with file, line and key."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from certprep.domain.planner import PRESETS, adjustments_for, objective_weights, prerequisite_hours_for
from certprep.errors import PackInvalid
from certprep.packs.plan import load_plan_rules
from certprep.services.content import builtin_pack_path, get_catalog


@pytest.fixture
def pack(tmp_path: Path) -> Path:
    """A copy of the built-in pack's catalog files and plan.yaml (items are not needed)."""
    src = builtin_pack_path()
    root = tmp_path / "az-400"
    shutil.copytree(src / "outlines", root / "outlines")
    for f in src.glob("*.yaml"):
        shutil.copy(f, root / f.name)
    return root


def replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def line_of(path: Path, needle: str) -> int:
    return next(i for i, line in enumerate(path.read_text().splitlines(), 1) if needle in line)


def test_the_builtin_plan_rules_load() -> None:
    rules = load_plan_rules(builtin_pack_path())
    assert rules.prerequisite_hours == 20
    assert set(rules.prerequisite_certifications) == {
        "azure-administrator-associate",
        "azure-developer-associate",
    }
    assert [p.name for p in rules.presets] == list(PRESETS)
    outline = get_catalog().outline("AZ-400")
    weights = objective_weights(
        [(g.id, g.weight, [(o.id, o.code, o.text) for o in g.objectives]) for g in outline.groups]
    )
    admin = adjustments_for(rules, ["azure-administrator-associate"], weights)
    dev = adjustments_for(rules, ["azure-developer-associate"], weights)
    assert admin["yaml-pipelines"] > 1 > dev["feature-flags-app-configuration"]
    assert admin["branch-strategy"] == 1.3  # from the group entry
    assert dev["agent-infrastructure"] > 1 > admin["agent-infrastructure"]
    assert prerequisite_hours_for(rules, "comprehensive", []) == 20
    assert prerequisite_hours_for(rules, "comprehensive", ["azure-developer-associate"]) == 0


def test_an_unknown_objective_is_named_with_file_line_and_key(pack: Path) -> None:
    plan = pack / "plan.yaml"
    replace(plan, "      yaml-pipelines: 1.3", "      yaml-pipeline: 1.3")
    with pytest.raises(PackInvalid) as err:
        load_plan_rules(pack)
    line = line_of(plan, "yaml-pipeline: 1.3")
    expected = (
        f"az-400/plan.yaml:{line}: prerequisite_adjustments.azure-administrator-associate.objectives.yaml-pipeline: "
        "unknown objective 'yaml-pipeline'"
    )
    assert err.value.problems == [expected]
    assert expected in err.value.message and "az-400/plan.yaml" in str(err.value)


def test_unknown_certification_and_group_are_each_reported(pack: Path) -> None:
    plan = pack / "plan.yaml"
    replace(plan, "  azure-developer-associate:\n    groups:", "  azure-dev-associate:\n    groups:")
    replace(plan, "      instrumentation: 0.8", "      monitoring: 0.8")
    replace(plan, "satisfied_by: [azure-administrator-associate,", "satisfied_by: [azure-admin,")
    with pytest.raises(PackInvalid) as err:
        load_plan_rules(pack)
    assert err.value.problems == [
        f"az-400/plan.yaml:{line_of(plan, 'satisfied_by')}: prerequisite.satisfied_by.0: unknown certification "
        "'azure-admin'",
        f"az-400/plan.yaml:{line_of(plan, 'monitoring: 0.8')}: prerequisite_adjustments.azure-administrator-associate"
        ".groups.monitoring: unknown functional group 'monitoring'",
        f"az-400/plan.yaml:{line_of(plan, 'azure-dev-associate:')}: prerequisite_adjustments.azure-dev-associate: "
        "unknown certification 'azure-dev-associate'",
    ]


def test_a_bad_value_and_a_missing_preset_are_reported(pack: Path) -> None:
    plan = pack / "plan.yaml"
    replace(plan, "      yaml-pipelines: 1.3", "      yaml-pipelines: 13")
    replace(plan, "  intensive:\n", "  intense:\n")
    with pytest.raises(PackInvalid) as err:
        load_plan_rules(pack)
    problems = "\n".join(err.value.problems)
    assert f"az-400/plan.yaml:{line_of(plan, 'yaml-pipelines: 13')}: prerequisite_adjustments." in problems
    assert "objectives.yaml-pipelines: Input should be less than or equal to 5" in problems
    assert "presets.intensive: Field required" in problems
    assert (
        f"az-400/plan.yaml:{line_of(plan, 'intense:')}: presets.intense: Extra inputs are not permitted"
        in problems
    )


def test_yaml_that_does_not_parse_is_reported_with_its_line(pack: Path) -> None:
    (pack / "plan.yaml").write_text("presets:\n  intensive: [\n", encoding="utf-8")
    with pytest.raises(PackInvalid, match=r"az-400/plan.yaml:3: YAML does not parse"):
        load_plan_rules(pack)


def test_a_pack_without_plan_rules_gets_the_defaults(pack: Path) -> None:
    (pack / "plan.yaml").unlink()
    rules = load_plan_rules(pack)
    assert rules.prerequisite_hours == 0 and dict(rules.adjustments) == {}
    assert [p.description for p in rules.presets] == [p.description for p in PRESETS.values()]


def test_pack_check_reports_a_bad_plan_file_with_file_and_line(pack: Path) -> None:
    from datetime import date

    from certprep.packs.check import check_pack

    plan = pack / "plan.yaml"
    plan.write_text(plan.read_text().replace("azure-developer-associate:", "azure-dancer-associate:", 1))
    errors = [str(p) for p in check_pack(pack, today=date(2026, 12, 6)).errors]
    assert any(e.startswith("az-400/plan.yaml:") and "azure-dancer-associate" in e for e in errors), errors
