"""Pipeline and workflow check kinds, each on a valid and a broken file, with the message the learner sees."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from certprep.domain.labs import Check
from certprep.labcheck.runner import run_check

PIPELINE = """\
trigger:
  branches:
    include: [main, release/*]
  paths:
    include: [src/Api]
    exclude: [docs]
pr:
  branches:
    include: [main]
variables:
  - group: kv-prod
  - name: configuration
    value: Release
stages:
  - stage: Build
    jobs:
      - job: Build
        steps:
          - task: Cache@2
            inputs:
              key: 'nuget | "$(Agent.OS)"'
              path: $(Pipeline.Workspace)/.nuget
          - task: DotNetCoreCLI@2
            inputs:
              command: test
          - task: PublishTestResults@2
            inputs:
              testResultsFormat: VSTest
  - stage: Test
    jobs:
      - deployment: DeployTest
        environment: test.web-vm
        strategy:
          runOnce:
            deploy:
              steps:
                - task: AzureWebApp@1
                  inputs:
                    appName: app
  - stage: Production
    dependsOn: [Test]
    condition: and(succeeded(), eq(variables['Build.SourceBranch'], 'refs/heads/main'))
    jobs:
      - deployment: DeployProd
        environment:
          name: production
        strategy:
          canary:
            increments: [10]
            deploy:
              steps:
                - script: echo deploy
"""

BROKEN = """\
trigger:
  - main
variables:
  dbPassword: 'Sup3r-Secret!'
stages:
  - stage: Build
    jobs:
      - job: Build
        steps:
          - task: Cache@2
            inputs:
              key: npm
  - stage: Production
    dependsOn: []
    jobs:
      - job: Deploy
        steps:
          - script: echo deploy
"""

WORKFLOW = """\
name: ci
on:
  push:
    branches: [main]
permissions:
  contents: read
concurrency:
  group: ci-${{ github.ref }}
  cancel-in-progress: true
jobs:
  build:
    runs-on: ubuntu-latest
    permissions:
      contents: read
      security-events: write
      id-token: write
    steps:
      - uses: actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683
      - uses: github/codeql-action/init@1b549b9259bcf2f18ee5c7e6d5bfb0f4b7e1d3b3
        with:
          languages: csharp
      - uses: ./.github/actions/local
  deploy:
    needs: build
    runs-on: ubuntu-latest
    environment:
      name: production
    steps:
      - run: echo deploy
"""

BROKEN_WORKFLOW = """\
name: ci
on: push
permissions: write-all
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
  deploy:
    runs-on: ubuntu-latest
    permissions:
      contents: write
    steps:
      - run: echo deploy
"""


def run(folder: Path, kind: str, **args: Any) -> tuple[bool, str]:
    r = run_check(Check("c", "c", kind, args, 1, "h", "https://learn.microsoft.com/", 20), folder)
    return r.passed, r.message


@pytest.fixture
def good(tmp_path: Path) -> Path:
    (tmp_path / "p.yml").write_text(PIPELINE)
    (tmp_path / "w.yml").write_text(WORKFLOW)
    return tmp_path


@pytest.fixture
def bad(tmp_path: Path) -> Path:
    folder = tmp_path / "bad"
    folder.mkdir()
    (folder / "p.yml").write_text(BROKEN)
    (folder / "w.yml").write_text(BROKEN_WORKFLOW)
    return folder


@pytest.mark.parametrize(
    ("kind", "args", "good_message", "bad_message"),
    [
        (
            "pipeline-stage-depends",
            {"stage": "Test", "on": "Build"},
            "stage Test follows Build (no dependsOn: the previous stage)",
            "p.yml has no stage Test",
        ),
        (
            "pipeline-stage-depends",
            {"stage": "Production", "on": "Test"},
            "stage Production depends on Test",
            "p.yml has no stage Test",
        ),
        (
            "pipeline-condition",
            {"name": "Production", "matches": "refs/heads/main"},
            "Production runs on condition and(succeeded(), eq(variables['Build.SourceBranch'], 'refs/heads/main'))",
            "Production has no condition",
        ),
        (
            "pipeline-deployment",
            {"environment": "test"},
            "deployment DeployTest deploys to environment test",
            "p.yml has no deployment job (a `deployment:` job records its runs in an environment)",
        ),
        (
            "pipeline-deployment",
            {"environment": "production", "strategy": "canary"},
            "deployment DeployProd deploys to environment production",
            "p.yml has no deployment job (a `deployment:` job records its runs in an environment)",
        ),
        (
            "pipeline-trigger",
            {"branches": ["release/*"], "paths_include": ["src/Api"], "paths_exclude": ["docs"]},
            "trigger has the branches and path filters asked",
            "trigger: branch release/* is not included (included: main)",
        ),
        (
            "pipeline-trigger",
            {"trigger": "pr", "branches": ["main"]},
            "pr has the branches and path filters asked",
            "p.yml has no pr section (without it, every PR runs)",
        ),
        (
            "pipeline-variable-group",
            {"group": "kv-prod"},
            "p.yml uses variable group kv-prod",
            "p.yml does not reference variable group kv-prod (variables: - group: kv-prod)",
        ),
        (
            "pipeline-no-inline-secret",
            {},
            "no secret is written in p.yml",
            "p.yml: variable dbPassword holds a secret in clear text: use a secret variable or a Key Vault group",
        ),
        (
            "pipeline-task",
            {"task": "PublishTestResults@*", "inputs": {"testResultsFormat": "vstest"}},
            "p.yml runs PublishTestResults@2",
            "p.yml has no PublishTestResults@* task",
        ),
        (
            "pipeline-cache",
            {},
            'p.yml caches $(Pipeline.Workspace)/.nuget by key nuget | "$(Agent.OS)"',
            "p.yml: the Cache task needs both key and path inputs",
        ),
    ],
)
def test_pipeline_kinds(
    good: Path, bad: Path, kind: str, args: dict[str, Any], good_message: str, bad_message: str
) -> None:
    assert run(good, kind, file="p.yml", **args) == (True, good_message)
    assert run(bad, kind, file="p.yml", **args) == (False, bad_message)


def test_pipeline_task_inputs_and_count(good: Path) -> None:
    assert run(good, "pipeline-task", file="p.yml", task="DotNetCoreCLI@2", inputs={"command": "build"}) == (
        False,
        "p.yml: DotNetCoreCLI@2 does not set command: build",
    )
    assert run(good, "pipeline-task", file="p.yml", task="AzureWebApp@1", count=2) == (
        False,
        "p.yml has 1 AzureWebApp@1 task(s), 2 asked",
    )


def test_stage_dependencies_that_are_not_there(bad: Path) -> None:
    (bad / "q.yml").write_text(BROKEN.replace("Production", "Test") + "  - stage: Production\n    jobs: []\n")
    assert run(bad, "pipeline-stage-depends", file="q.yml", stage="Test", on="Build") == (
        False,
        "stage Test has dependsOn [], without Build",
    )


def test_pipeline_valid(good: Path, bad: Path) -> None:
    assert run(good, "pipeline-valid", file="p.yml") == (True, "p.yml is a valid pipeline")
    (bad / "x.yml").write_text("steps:\n  - task: Cache@2\n    inputz: {}\n")
    ok, message = run(bad, "pipeline-valid", file="x.yml")
    assert not ok and message.startswith("x.yml:3:")


@pytest.mark.parametrize(
    ("kind", "args", "good_message", "bad_message"),
    [
        (
            "workflow-environment",
            {"environment": "production", "job": "deploy"},
            "job deploy runs in environment production",
            "job deploy runs in environment production (jobs.<id>.environment: production)",
        ),
        (
            "workflow-permissions",
            {"allow_write": ["security-events", "id-token"]},
            "permissions are declared and minimal",
            "the workflow grants write-all write; only id-token, security-events is needed",
        ),
        (
            "workflow-id-token",
            {},
            "job build may request an OpenID Connect token",
            "w.yml: no `id-token: write` permission, so azure/login cannot use OpenID Connect",
        ),
        (
            "workflow-pinned",
            {},
            "every action of w.yml is pinned to a commit SHA",
            "job build: actions/checkout@v4 is not pinned to a full commit SHA",
        ),
        (
            "workflow-uses",
            {"action": "github/codeql-action/*"},
            "job build uses github/codeql-action/init@1b549b9259bcf2f18ee5c7e6d5bfb0f4b7e1d3b3",
            "w.yml does not use github/codeql-action/*",
        ),
        (
            "workflow-concurrency",
            {"cancel_in_progress": True},
            "the workflow runs in concurrency group ci-${{ github.ref }}",
            "w.yml sets no concurrency group",
        ),
    ],
)
def test_workflow_kinds(
    good: Path, bad: Path, kind: str, args: dict[str, Any], good_message: str, bad_message: str
) -> None:
    assert run(good, kind, file="w.yml", **args) == (True, good_message)
    assert run(bad, kind, file="w.yml", **args) == (False, bad_message)


def test_workflow_permissions_per_job(good: Path) -> None:
    assert run(good, "workflow-permissions", file="w.yml") == (
        False,
        "job build grants security-events, id-token write; only read is needed",
    )
    (good / "none.yml").write_text("on: push\njobs:\n  a:\n    runs-on: x\n    steps:\n      - run: echo\n")
    assert run(good, "workflow-permissions", file="none.yml") == (
        False,
        "none.yml sets no permissions: the GITHUB_TOKEN gets the repository's default",
    )


def test_workflow_valid(good: Path, bad: Path) -> None:
    assert run(good, "workflow-valid", file="w.yml") == (True, "w.yml is a valid workflow")
    (bad / "x.yml").write_text("on: push\njobs:\n  a:\n    steps:\n      - run: echo\n")
    ok, message = run(bad, "workflow-valid", file="x.yml")
    assert not ok and message.startswith("x.yml:"), message


def test_file_kinds(tmp_path: Path) -> None:
    (tmp_path / "a.json").write_text(
        '{"FeatureManagement": {"Beta": {"EnabledFor": [{"Name": "Microsoft.Percentage"}]}}, "on": true}'
    )
    assert run(tmp_path, "json", file="a.json", keys=["FeatureManagement.Beta"]) == (
        True,
        "a.json parses and has FeatureManagement.Beta",
    )
    assert run(tmp_path, "json", file="a.json", keys=["FeatureManagement.Alpha"]) == (
        False,
        "a.json has no 'FeatureManagement.Alpha'",
    )
    assert run(
        tmp_path,
        "yaml-value",
        file="a.json",
        path="FeatureManagement.Beta.EnabledFor.0.Name",
        equals="Microsoft.Percentage",
    )[0]
    assert run(tmp_path, "yaml-value", file="a.json", path="on", equals="TRUE")[0]
    assert run(
        tmp_path,
        "yaml-value",
        file="a.json",
        path="FeatureManagement.Beta.EnabledFor.0.Name",
        matches="^Targeting",
    ) == (
        False,
        "a.json: FeatureManagement.Beta.EnabledFor.0.Name is 'Microsoft.Percentage', which does not match '^Targeting'",
    )
    (tmp_path / "b.json").write_text('{"a": 1,}')
    assert run(tmp_path, "json", file="b.json") == (
        False,
        "b.json:1: not valid JSON: Expecting property name enclosed in double quotes",
    )


def test_arm_resource(tmp_path: Path) -> None:
    template = (
        '{"resources": [{"type": "Microsoft.Web/sites", "name": "app", "properties": {"httpsOnly": true},'
        ' "resources": [{"type": "slots", "name": "staging"}]}]}'
    )
    (tmp_path / "t.json").write_text(template)
    assert run(
        tmp_path,
        "arm-resource",
        file="t.json",
        type="Microsoft.Web/sites",
        properties={"properties.httpsOnly": "true"},
    ) == (
        True,
        "t.json declares Microsoft.Web/sites app",
    )
    assert run(tmp_path, "arm-resource", file="t.json", type="microsoft.web/sites/slots") == (
        True,
        "t.json declares microsoft.web/sites/slots staging",
    )
    assert run(
        tmp_path,
        "arm-resource",
        file="t.json",
        type="Microsoft.Web/sites",
        properties={"properties.httpsOnly": "false"},
    ) == (
        False,
        "t.json: no Microsoft.Web/sites has properties.httpsOnly=false",
    )
    (tmp_path / "n.json").write_text('{"a": 1}')
    assert run(tmp_path, "arm-resource", file="n.json", type="x") == (
        False,
        "n.json is not an ARM template (no resources)",
    )


def test_local_templates_are_expanded(tmp_path: Path) -> None:
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "deploy.yml").write_text(
        "parameters:\n  - name: env\n    type: string\njobs:\n  - deployment: Deploy\n    environment: ${{ parameters.env }}\n"
        "    strategy:\n      runOnce:\n        deploy:\n          steps:\n            - script: echo\n"
    )
    (tmp_path / "p.yml").write_text(
        "stages:\n  - stage: Prod\n    jobs:\n      - template: templates/deploy.yml\n        parameters:\n          env: production\n"
    )
    assert run(tmp_path, "pipeline-deployment", file="p.yml", environment="production") == (
        True,
        "deployment Deploy deploys to environment production",
    )


def test_a_template_out_of_the_folder_is_not_read(tmp_path: Path) -> None:
    (tmp_path / "outside.yml").write_text("steps:\n  - task: Cache@2\n    inputs: {key: k, path: p}\n")
    lab = tmp_path / "lab"
    lab.mkdir()
    (lab / "p.yml").write_text("steps:\n  - template: ../outside.yml\n")
    ok, message = run(lab, "pipeline-cache", file="p.yml")
    assert not ok and "outside the lab folder: not read" in message
    (lab / "bad.yml").write_text("steps: [\n")
    ok, message = run(lab, "pipeline-cache", file="bad.yml")
    assert not ok and message.startswith("bad.yml:") and "not valid YAML" in message


def test_secret_names_are_read_by_their_last_words(tmp_path: Path) -> None:
    (tmp_path / "ok.yml").write_text(
        "variables:\n  tokenEndpoint: https://login.example.org/token\n  keyVaultName: kv-shop-prod\n"
        "  passwordLength: 16\n  sqlPassword: $(fromKeyVault)\nsteps:\n  - task: X@1\n    inputs:\n      secretName: db-password\n"
    )
    assert run(tmp_path, "pipeline-no-inline-secret", file="ok.yml") == (
        True,
        "no secret is written in ok.yml",
    )
    (tmp_path / "bad.yml").write_text(
        "steps:\n  - task: X@1\n    inputs:\n      clientSecret: 8Q~abcdefghijklmnop\n"
    )
    assert run(tmp_path, "pipeline-no-inline-secret", file="bad.yml") == (
        False,
        "bad.yml: task X@1 input clientSecret is a secret in clear text",
    )
