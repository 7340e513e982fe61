"""`certprep lint`: output lines, --json, exit codes, folders walked, bad input; once as a real subprocess."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from certprep.cli import main
from certprep.labcheck.lint import kind_of, run_lint

DATA = Path(__file__).parent / "data" / "lint"


def lint(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["lint", *args])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_clean_pipeline_exits_0(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = lint(capsys, str(DATA / "valid" / "azure-pipelines.matrix.yml"))
    assert (code, out) == (0, "")
    assert "0 error(s), 0 warning(s) in 1 file(s)" in err


def test_errors_exit_1_with_file_line_column_lines(capsys: pytest.CaptureFixture[str]) -> None:
    path = DATA / "broken" / "depends-unknown.yml"
    code, out, _ = lint(capsys, str(path))
    assert code == 1
    assert out.splitlines() == [
        f'{path}:8:9: job "Test" depends on "Compil", which is not a job of stage "Build" [depends-on]',
        f'{path}:12:5: stage "Deploy" depends on "QA", which is not a stage of this pipeline [depends-on]',
    ]


def test_warnings_pass_unless_strict(capsys: pytest.CaptureFixture[str]) -> None:
    path = str(DATA / "broken" / "deployment-no-environment.yml")
    code, out, _ = lint(capsys, path)
    assert code == 0 and "[deployment-environment, warning]" in out
    assert lint(capsys, "--strict", path)[0] == 1


def test_json_output(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = lint(capsys, "--json", str(DATA / "broken" / "inline-secret.yml"))
    payload = json.loads(out)
    assert code == 1
    assert (payload["errors"], payload["warnings"], payload["linted"], payload["unlintable"]) == (3, 0, 1, 0)
    first = payload["findings"][0]
    assert first == {
        "path": str(DATA / "broken" / "inline-secret.yml"),
        "line": 3,
        "column": 3,
        "message": first["message"],
        "rule": "inline-secret",
        "severity": "error",
    }
    assert first["message"].startswith('variable "sqlAdminPassword" looks like a secret written inline')


def test_folders_are_walked_and_files_of_other_kinds_skipped(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "k8s.yaml").write_text("apiVersion: v1\nkind: Service\n")
    (tmp_path / "notes.txt").write_text("not yaml at all: [")
    (tmp_path / ".github" / "workflows").mkdir(parents=True)
    (tmp_path / ".github" / "workflows" / "ci.yml").write_text(
        "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps: []\n"
    )
    (tmp_path / "azure-pipelines.yml").write_text("steps:\n  - script: make\n")
    run = run_lint([tmp_path])
    assert run.linted == 2 and run.unlintable == 0
    assert {Path(f.path).name for f in run.findings} <= {"ci.yml"}
    assert lint(capsys, str(tmp_path))[0] == 1  # actionlint: an empty steps list is an error


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (None, "no such file [unreadable]"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "binary file (contains NUL bytes), not YAML [not-yaml]"),
        (
            b"apiVersion: v1\nkind: ConfigMap\n",
            "not recognised as an Azure Pipelines or GitHub Actions file (nothing to lint) [unknown-kind]",
        ),
        (b"key: [unclosed\n", "not valid YAML"),
        (b"x" * 1_000_001, "larger than the 1,000,000-byte limit; not linted [too-large]"),
    ],
)
def test_a_file_that_cannot_be_linted_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: bytes | None, expected: str
) -> None:
    path = tmp_path / "input.yml"
    if content is not None:
        path.write_bytes(content)
    code, out, err = lint(capsys, str(path))
    assert code == 2, out
    assert out.startswith(f"{path}:") and expected in out
    assert "1 file(s) could not be linted" in err


def test_no_argument_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert lint(capsys)[0] == 2


@pytest.mark.parametrize(
    ("name", "text", "kind"),
    [
        (".github/workflows/x.yml", "", "github-actions"),
        ("azure-pipelines.yml", "", "azure-pipelines"),
        ("ci.yml", "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n", "github-actions"),
        ("ci.yml", "jobs:\n  a:\n    runs-on: ubuntu-latest\n", "github-actions"),
        ("ci.yml", "trigger: [main]\npool: {vmImage: ubuntu-latest}\n", "azure-pipelines"),
        ("steps.yml", "parameters:\n  - name: a\nsteps: []\n", "azure-pipelines"),
        ("vars.yml", "variables:\n  a: 1\n", "azure-pipelines"),
        ("compose.yml", "services:\n  web: {image: nginx}\n", None),
        (
            ".gitlab-ci.yml",
            "stages: [build, test]\nimage: python:3.12\nbuild:\n  stage: build\n  script: [make]\n",
            None,
        ),
        (
            "config.yml",
            "version: 2.1\njobs:\n  build:\n    docker: [{image: cimg/base:current}]\n    steps: [checkout]\nworkflows: {}\n",
            None,
        ),
        (
            ".drone.yml",
            "kind: pipeline\ntype: docker\nname: default\nsteps:\n  - name: test\n    image: golang\n",
            None,
        ),
        ("deploy.yml", "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\n", None),
        ("ci.yml", "stages:\n  - stage: Build\n    jobs: []\n", "azure-pipelines"),
        ("setup.yaml", "steps:\n  - commit: first\n  - branch: release/1.0\n", None),
        (
            "steps.yml",
            "steps:\n  - ${{ each s in parameters.steps }}:\n      - ${{ s }}\n",
            "azure-pipelines",
        ),
        ("broken.yml", "a: [", None),
    ],
)
def test_kind_of(name: str, text: str, kind: str | None) -> None:
    assert kind_of(Path(name), text) == kind


def test_real_subprocess(tmp_path: Path) -> None:
    good = subprocess.run(
        [sys.executable, "-m", "certprep", "lint", str(DATA / "valid")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert good.returncode == 0, good.stdout + good.stderr
    assert "0 error(s)" in good.stderr
    bad = subprocess.run(
        [sys.executable, "-m", "certprep", "lint", "--json", str(DATA / "broken")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert bad.returncode == 1, bad.stderr
    rules = {f["rule"] for f in json.loads(bad.stdout)["findings"]}
    assert {
        "depends-on",
        "duplicate-name",
        "inline-secret",
        "template-missing",
        "schema",
        "job-needs",
        "pin-actions",
    } <= rules


def test_pre_commit_hooks_select_the_right_files() -> None:
    import re

    import yaml

    hooks = yaml.safe_load((Path(__file__).resolve().parents[2] / ".pre-commit-hooks.yaml").read_text())
    by_id = {hook["id"]: hook for hook in hooks}
    assert set(by_id) == {"certprep-lint-azure-pipelines", "certprep-lint-github-actions"}
    assert all(hook["entry"] == "certprep lint" and hook["language"] == "python" for hook in hooks)
    azure = re.compile(by_id["certprep-lint-azure-pipelines"]["files"])
    github = re.compile(by_id["certprep-lint-github-actions"]["files"])
    for path in (
        "azure-pipelines.yml",
        "ci/azure-pipelines-release.yaml",
        ".azure-pipelines/templates/steps.yml",
    ):
        assert azure.search(path) and not github.search(path), path
    assert github.search(".github/workflows/ci.yml") and not azure.search(".github/workflows/ci.yml")
    for path in ("docs/mkdocs.yml", ".github/dependabot.yml", ".github/workflows/nested/x.yml"):
        assert not azure.search(path) and not github.search(path), path


def test_ci_annotations(capsys: pytest.CaptureFixture[str]) -> None:
    path = DATA / "broken" / "depends-unknown.yml"
    code, out, _ = lint(capsys, "--annotations", "github", str(path))
    assert code == 1
    assert out.splitlines()[0] == (
        f"::error file={path},line=8,col=9,title=depends-on::"
        'job "Test" depends on "Compil", which is not a job of stage "Build"'
    )
    code, out, _ = lint(
        capsys, "--annotations", "azure", str(DATA / "broken" / "deployment-no-environment.yml")
    )
    assert code == 0
    assert out.startswith(
        "##vso[task.logissue type=warning;sourcepath="
        f"{DATA / 'broken' / 'deployment-no-environment.yml'};linenumber=2;columnnumber=5;code=deployment-environment]"
        'deployment job "Web" has no environment: approvals, checks and deployment history need one'
    )


def test_annotation_escaping() -> None:
    from certprep.cli.lint_cmd import Annotations, annotation
    from certprep.labcheck.findings import Finding

    finding = Finding("a,b:c.yml", 0, 0, "100% wrong; see ]\nnext", "x")
    assert (
        annotation(finding, Annotations.github)
        == "::error file=a%2Cb%3Ac.yml,title=x::100%25 wrong; see ]%0Anext"
    )
    assert annotation(finding, Annotations.azure) == (
        "##vso[task.logissue type=error;sourcepath=a,b:c.yml;code=x]100%AZP25 wrong%3B see %5D%0Anext"
    )


def test_unknown_annotation_system_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = lint(capsys, "--annotations", "gitlab", str(DATA / "valid"))
    assert code == 2 and "gitlab" in err


def test_lint_alone_skips_the_web_app_and_the_database(tmp_path: Path) -> None:
    """Editors and pre-commit hooks start `certprep lint` per file: it must not import the rest of certprep."""
    target = tmp_path / "azure-pipelines.yml"
    target.write_text("steps:\n- script: echo hi\n", encoding="utf-8")
    probe = (
        "import sys\nfrom certprep.cli import main\ncode = main(['lint', sys.argv[1]])\n"
        "heavy = sorted(m for m in ('certprep.web', 'certprep.services', 'sqlalchemy', 'numpy') if m in sys.modules)\n"
        "print(code, heavy)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe, str(target)], capture_output=True, text=True, timeout=120
    )
    assert done.stdout.strip().splitlines()[-1] == "0 []", done.stdout + done.stderr
