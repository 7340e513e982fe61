"""Each checker rule catches a broken fixture with the expected message, at the right file and line."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from certprep.packs.check import check_pack
from tests.packs.conftest import GOOD, WriteItem

TODAY = date(2026, 11, 26)


def messages(pack: Path, severity: str = "error") -> list[str]:
    return [str(p) for p in check_pack(pack, today=TODAY).problems if p.severity == severity]


def test_a_good_item_passes(pack: Path, write_item: WriteItem) -> None:
    write_item("pipelines/yaml-pipelines/good.md", GOOD.format(slug="good"))
    result = check_pack(pack, today=TODAY)
    assert result.errors == () and len(result.bank.items) == 1  # type: ignore[union-attr]


def test_no_front_matter(pack: Path, write_item: WriteItem) -> None:
    write_item("pipelines/x.md", "Just a question?\n")
    assert messages(pack) == [
        "az-400/items/pipelines/x.md:1: no YAML front matter: the file must start with a line '---'"
    ]


def test_schema_error_names_field_and_line(pack: Path, write_item: WriteItem) -> None:
    write_item(
        "pipelines/yaml-pipelines/bad.md", GOOD.format(slug="bad").replace("difficulty: 3", "difficulty: 7")
    )
    [m] = messages(pack)
    assert m.startswith("az-400/items/pipelines/yaml-pipelines/bad.md:6: difficulty")
    assert "less than or equal to 5" in m


def test_missing_explanation(pack: Path, write_item: WriteItem) -> None:
    text = GOOD.format(slug="noexp").replace(
        '    explanation: "Wrong: a condition does not add a dependency."\n', ""
    )
    write_item("pipelines/yaml-pipelines/noexp.md", text)
    [m] = messages(pack)
    assert "options.1.explanation: Field required" in m and ":17:" in m


def test_missing_source_and_check_date(pack: Path, write_item: WriteItem) -> None:
    text = GOOD.format(slug="nodate").replace("    checked: 2026-11-01\n", "")
    write_item("pipelines/yaml-pipelines/nodate.md", text)
    assert any("sources.0.checked: Field required" in m for m in messages(pack))
    text = GOOD.format(slug="badurl").replace("https://learn.microsoft.com/", "https://example.com/")
    write_item("pipelines/yaml-pipelines/nodate.md", text)
    assert any("sources.0.url: String should match pattern" in m for m in messages(pack))


def test_check_date_in_future(pack: Path, write_item: WriteItem) -> None:
    write_item(
        "pipelines/yaml-pipelines/f.md",
        GOOD.format(slug="f").replace("checked: 2026-11-01", "checked: 2027-01-01"),
    )
    [m] = messages(pack)
    assert "check date in the future (2027-01-01)" in m


def test_duplicate_ids(pack: Path, write_item: WriteItem) -> None:
    write_item("pipelines/yaml-pipelines/one.md", GOOD.format(slug="same"))
    write_item(
        "pipelines/yaml-pipelines/two.md", GOOD.format(slug="same").replace("Build, Test", "Compile, Verify")
    )
    assert any("duplicate item id 'az-400/yaml-pipelines/same'" in m for m in messages(pack))


def test_unknown_objective(pack: Path, write_item: WriteItem) -> None:
    write_item(
        "pipelines/yaml-pipelines/u.md",
        GOOD.format(slug="u").replace("objective: yaml-pipelines", "objective: yaml-pipeline"),
    )
    assert any("unknown objective 'yaml-pipeline'" in m for m in messages(pack))


def test_objective_dropped_from_current_outline_is_a_warning(pack: Path, write_item: WriteItem) -> None:
    old = pack / "outlines" / "2026-04-24.yaml"
    old.write_text(
        old.read_text().replace(
            "          - id: dependabot-alerts\n",
            '          - id: licensing-analysis\n            code: "4.3.7"\n            text: "Analyze licensing"\n'
            "          - id: dependabot-alerts\n",
        )
    )
    write_item(
        "security/licensing-analysis/l.md",
        GOOD.format(slug="l").replace("objective: yaml-pipelines", "objective: licensing-analysis"),
    )
    assert messages(pack) == []
    [w] = messages(pack, "warning")
    assert (
        "'licensing-analysis' was in the 2026-04-24 outline but is not in the current 2026-07-27 outline" in w
    )


def test_key_not_an_option(pack: Path, write_item: WriteItem) -> None:
    write_item("pipelines/yaml-pipelines/k.md", GOOD.format(slug="k").replace("key: a", "key: z"))
    [m] = messages(pack)
    assert m.endswith("key: 'z' is not an option id") and ":2:" in m


MULTI = (
    GOOD.replace("type: single", "type: multiple\nchoose: 2")
    .replace("key: a", "key: [a]\n")
    .replace(
        "options:\n",
        'options:\n  - id: d\n    text: "Use a deployment job with an environment"\n    explanation: "Right."\n',
    )
)


def test_choose_two_needs_two_keys(pack: Path, write_item: WriteItem) -> None:
    write_item("pipelines/yaml-pipelines/m.md", MULTI.format(slug="m"))
    assert any("key: 'choose 2' needs 2 keys, got 1" in m for m in messages(pack))


BUILD = """\
---
id: az-400/yaml-pipelines/{slug}
type: build-list
objective: yaml-pipelines
outline: "2026-07-27"
difficulty: 2
author: t
reviewer: r
status: reviewed
sources: [{{url: "https://learn.microsoft.com/en-us/azure/devops/pipelines/agents/linux-agent", checked: 2026-11-01}}]
options:
  - {{id: a, text: "Create a personal access token", explanation: "First."}}
  - {{id: b, text: "Download and configure the agent", explanation: "Second."}}
  - {{id: c, text: "Run the agent as a service", explanation: "Third."}}
  - {{id: d, text: "Open inbound port 443 to the agent", explanation: "Not needed: agents poll outbound."}}
key: {key}
---
Put the steps in order.
"""


def test_order_must_be_a_permutation_of_chosen_options(pack: Path, write_item: WriteItem) -> None:
    write_item("pipelines/yaml-pipelines/o.md", BUILD.format(slug="o", key="[a, b, b]"))
    assert any("key: an order must list each chosen option once" in m for m in messages(pack))
    write_item("pipelines/yaml-pipelines/o.md", BUILD.format(slug="o", key="[a, b, x]"))
    assert any("key: 'x' is not an option id" in m for m in messages(pack))


DRAG = """\
---
id: az-400/deployment-strategy/{slug}
type: drag-drop
objective: deployment-strategy
outline: "2026-07-27"
difficulty: 2
author: t
reviewer: r
status: reviewed
sources: [{{url: "https://learn.microsoft.com/en-us/azure/devops/pipelines/process/deployment-jobs", checked: 2026-11-01}}]
values:
  - {{id: canary, text: Canary}}
  - {{id: blue-green, text: Blue-green}}
  - {{id: rolling, text: Rolling}}
targets:
  - {{id: t1, text: "Expose a new version to 5% of users first", explanation: "Canary."}}
  - {{id: t2, text: "Switch all traffic between two identical environments", explanation: "Blue-green."}}
key: {key}
reuse: false
---
Match each requirement to a strategy.
"""


def test_drag_drop_key_sanity(pack: Path, write_item: WriteItem) -> None:
    write_item("pipelines/deployment-strategy/d.md", DRAG.format(slug="d", key="{t1: canary}"))
    assert any("key: target 't2' has no value" in m for m in messages(pack))
    write_item("pipelines/deployment-strategy/d.md", DRAG.format(slug="d", key="{t1: canary, t2: canary}"))
    assert any("key: a value is used twice but reuse is false" in m for m in messages(pack))


HOT = """\
---
id: az-400/yaml-pipelines/{slug}
type: hot-area
objective: yaml-pipelines
outline: "2026-07-27"
difficulty: 3
author: t
reviewer: r
status: reviewed
sources: [{{url: "https://learn.microsoft.com/en-us/azure/devops/pipelines/yaml-schema/stages-stage", checked: 2026-11-01}}]
blanks:
  - id: b1
    key: a
    options:
      - {{id: a, text: "dependsOn", explanation: "Right."}}
      - {{id: b, text: "{wrong}", explanation: "Wrong."}}
---
Complete the pipeline.

```yaml azure-pipelines
stages:
- stage: Build
  jobs:
  - job: B
    steps:
    - script: echo build
- stage: Deploy
  [[blank:b1]]: Build
  jobs:
  - job: D
    steps:
    - script: echo deploy
```
"""


def test_hot_area_blank_mismatch(pack: Path, write_item: WriteItem) -> None:
    write_item(
        "pipelines/yaml-pipelines/h.md",
        HOT.format(slug="h", wrong="after").replace("[[blank:b1]]", "[[blank:b2]]"),
    )
    assert any("blanks: the prompt has ['b2'] but the item defines ['b1']" in m for m in messages(pack))


def test_hot_area_filled_with_key_must_pass_the_pipeline_schema(pack: Path, write_item: WriteItem) -> None:
    write_item("pipelines/yaml-pipelines/h.md", HOT.format(slug="h", wrong="after"))
    assert messages(pack) == []
    broken = HOT.format(slug="h", wrong="after").replace('text: "dependsOn"', 'text: "dependOn"')
    write_item("pipelines/yaml-pipelines/h.md", broken)
    [m] = messages(pack)
    assert "azure-pipelines snippet fails the published schema at stages/1" in m
    assert m.startswith("az-400/items/pipelines/yaml-pipelines/h.md:21:")


def test_yaml_snippet_that_does_not_parse(pack: Path, write_item: WriteItem) -> None:
    text = GOOD.format(slug="y") + "\n```yaml\nkey: [unclosed\nother: 1\n```\n"
    write_item("pipelines/yaml-pipelines/y.md", text)
    [m] = messages(pack)
    assert "YAML snippet does not parse" in m


def test_yaml_snippet_marked_invalid_is_not_checked(pack: Path, write_item: WriteItem) -> None:
    write_item(
        "pipelines/yaml-pipelines/y.md", GOOD.format(slug="y") + "\n```yaml invalid\nkey: [unclosed\n```\n"
    )
    assert messages(pack) == []


WORKFLOW = """
```yaml github-workflow
name: ci
on:
  push:
    branches: [main]
permissions:
  contents: read
jobs:
  build:
    runs-on: ubuntu-latest
    {steps}:
      - uses: actions/checkout@v4
```
"""


def test_workflow_snippet_checked_against_schema_with_on_as_a_key(pack: Path, write_item: WriteItem) -> None:
    write_item("pipelines/yaml-pipelines/w.md", GOOD.format(slug="w") + WORKFLOW.format(steps="steps"))
    assert messages(pack) == []
    write_item("pipelines/yaml-pipelines/w.md", GOOD.format(slug="w") + WORKFLOW.format(steps="stepz"))
    [m] = messages(pack)
    assert "github-workflow snippet fails the published schema at jobs/build" in m


def test_service_accepted_pipeline_is_not_reported(pack: Path, write_item: WriteItem) -> None:
    """The service reads scalars as strings and enums without case; the published schema is stricter."""
    snippet = """
```yaml azure-pipelines
trigger:
  batch: true
  branches:
    include: [main]
jobs:
- job: T
  strategy:
    parallel: 3
  pool:
    vmImage: ubuntu-latest
  steps:
  - task: AzureWebApp@1
    inputs:
      azureSubscription: sc
      appType: WEBAPP
      appName: shop
      deployToSlotOrASE: true
      resourceGroupName: rg
      slotName: staging
```
"""
    write_item("pipelines/yaml-pipelines/s.md", GOOD.format(slug="s") + snippet)
    assert messages(pack) == []


def test_raw_html_is_refused(pack: Path, write_item: WriteItem) -> None:
    write_item("pipelines/yaml-pipelines/r.md", GOOD.format(slug="r") + "\n<script>alert(1)</script>\n")
    [m] = messages(pack)
    assert "raw HTML is not allowed" in m
    write_item(
        "pipelines/yaml-pipelines/r.md", GOOD.format(slug="r") + "\nUse `<stage>` or `a < b` in code.\n"
    )
    assert messages(pack) == []


def test_reworded_copy_is_a_near_duplicate(pack: Path, write_item: WriteItem) -> None:
    write_item("pipelines/yaml-pipelines/a.md", GOOD.format(slug="a"))
    copy = GOOD.format(slug="b").replace(
        "A pipeline has Build, Test and Deploy stages. Deploy must start only after both Build and Test succeed.",
        "Your pipeline contains Build, Test and Deploy stages; the Deploy stage may run only once Build and Test both succeed.",
    )
    write_item("pipelines/yaml-pipelines/b.md", copy)
    [m] = messages(pack, "warning")
    assert "az-400/yaml-pipelines/b is a near-duplicate of az-400/yaml-pipelines/a" in m


def test_two_distinct_items_on_one_objective_pass(pack: Path, write_item: WriteItem) -> None:
    write_item("pipelines/yaml-pipelines/a.md", GOOD.format(slug="a"))
    write_item("pipelines/yaml-pipelines/h.md", HOT.format(slug="h", wrong="after"))
    write_item("pipelines/yaml-pipelines/o.md", BUILD.format(slug="o", key="[a, b, c]"))
    assert messages(pack) == []


def test_missing_study_link_for_an_objective(pack: Path, write_item: WriteItem) -> None:
    write_item("pipelines/yaml-pipelines/a.md", GOOD.format(slug="a"))
    for f in (pack / "study-links").glob("*.yaml"):
        f.write_text(f.read_text().replace("objective: kql-queries", "objective: yaml-pipelines"))
    assert "study-links:1: objective 'kql-queries' (5.2.4) has no study link" in messages(pack)


@pytest.mark.parametrize("key", ['"yes"', "yes", "no"])
def test_yes_no_keys_accept_yaml_booleans(pack: Path, write_item: WriteItem, key: str) -> None:
    series = f"""\
---
id: az-400/yaml-pipelines/series
type: yes-no-series
objective: yaml-pipelines
outline: "2026-07-27"
difficulty: 3
author: t
reviewer: r
status: reviewed
sources: [{{url: "https://learn.microsoft.com/en-us/azure/devops/pipelines/process/stages", checked: 2026-11-01}}]
statements:
  - {{id: s1, text: "Solution: add dependsOn to Deploy.", key: {key}, explanation: "Because."}}
  - {{id: s2, text: "Solution: rename the stages.", key: "no", explanation: "Names do not order stages."}}
---
Deploy must wait for Build and Test. Does the solution meet the goal?
"""
    write_item("pipelines/yaml-pipelines/series.md", series)
    result = check_pack(pack, today=TODAY)
    assert result.errors == ()
    assert [i.meta.id for i in result.bank.items] == [
        "az-400/yaml-pipelines/series/s1",
        "az-400/yaml-pipelines/series/s2",
    ]  # type: ignore[union-attr]


def test_task_unknown_to_the_schema_is_a_warning_and_the_rest_is_still_checked(
    pack: Path, write_item: WriteItem
) -> None:
    snippet = """
```yaml azure-pipelines
steps:
- task: AdvancedSecurity-Codeql-Init@1
  inputs:
    languages: csharp
- {step}: echo build
```
"""
    write_item("pipelines/yaml-pipelines/t.md", GOOD.format(slug="t") + snippet.format(step="script"))
    assert messages(pack) == []
    [w] = messages(pack, "warning")
    assert "task 'AdvancedSecurity-Codeql-Init@1' is not in the published schema" in w
    write_item("pipelines/yaml-pipelines/t.md", GOOD.format(slug="t") + snippet.format(step="scrpt"))
    [e] = messages(pack)
    assert "azure-pipelines snippet fails the published schema at steps/1" in e


WORDS = [
    "alpha",
    "bravo",
    "charlie",
    "delta",
    "echo",
    "foxtrot",
    "golf",
    "hotel",
    "india",
    "juliet",
    "kilo",
    "lima",
    "mike",
    "november",
    "oscar",
    "papa",
]


def cue_item(n: int) -> str:
    """A single-choice item whose key is far longer than its distractors, in words no other such item uses."""
    w = [f"{word}{n}" for word in WORDS]
    return f"""\
---
id: az-400/yaml-pipelines/cue-{n}
type: single
objective: yaml-pipelines
outline: "2026-07-27"
difficulty: 3
author: tester
reviewer: reviewer
status: reviewed
sources:
  - url: https://learn.microsoft.com/en-us/azure/devops/pipelines/process/stages
    checked: 2026-11-01
options:
  - id: a
    text: "{" ".join(w[0:9])}"
    explanation: "Right."
  - id: b
    text: "{" ".join(w[9:11])}"
    explanation: "Wrong."
  - id: c
    text: "{" ".join(w[11:13])}"
    explanation: "Wrong."
  - id: d
    text: "{" ".join(w[13:15])}"
    explanation: "Wrong."
key: a
---
Which one? {w[15]}
"""


def test_answer_cues_per_item_are_warnings_and_pack_limits_errors_only_when_strict(
    pack: Path, write_item: WriteItem
) -> None:
    for n in range(10):
        write_item(f"pipelines/yaml-pipelines/cue-{n}.md", cue_item(n))
    relaxed = check_pack(pack, today=TODAY)
    assert relaxed.errors == ()
    per_item = sorted(str(w) for w in relaxed.warnings if "answer cue:" in w.message)
    assert len(per_item) == 10
    assert per_item[0].startswith(
        "az-400/items/pipelines/yaml-pipelines/cue-0.md:2: warning: az-400/yaml-pipelines/cue-0:"
    )
    assert "is more than 20% longer than the longest distractor" in per_item[0]
    pack_level = [str(w) for w in relaxed.warnings if w.message.startswith("answer cues:")]
    assert any(
        "key is the longest option in 10 of 10 single-choice items (100%; limit 30%)" in m for m in pack_level
    )
    assert any("median single-choice key is" in m for m in pack_level)
    assert any("the key is the longest option by length in 10 of 10" in m for m in pack_level)
    strict = check_pack(pack, today=TODAY, strict_cues=True)
    assert sorted(str(e) for e in strict.errors) == sorted(m.replace("warning: ", "") for m in pack_level)


def test_pack_limits_wait_for_ten_items_of_a_type(pack: Path, write_item: WriteItem) -> None:
    for n in range(9):
        write_item(f"pipelines/yaml-pipelines/cue-{n}.md", cue_item(n))
    result = check_pack(pack, today=TODAY, strict_cues=True)
    assert result.errors == ()
    assert len([w for w in result.warnings if "answer cue:" in w.message]) == 9


def test_a_pack_without_cues_has_no_cue_problems(pack: Path, write_item: WriteItem) -> None:
    write_item("pipelines/yaml-pipelines/good.md", GOOD.format(slug="good"))
    result = check_pack(pack, today=TODAY, strict_cues=True)
    assert result.problems == ()
