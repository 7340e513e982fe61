"""Azure Pipelines: real files read, templates expanded, the relaxed schema and our rules, each with its message."""

from __future__ import annotations

from pathlib import Path

import pytest

from certprep.labcheck.expressions import UNKNOWN, evaluate, substitute
from certprep.labcheck.findings import Finding
from certprep.labcheck.pipeline_rules import secret_like
from certprep.labcheck.pipelines import lint_pipeline, load_pipeline

DATA = Path(__file__).parent / "data" / "lint"
VALID = DATA / "valid"
BROKEN = DATA / "broken"


def errors(findings: list[Finding]) -> list[str]:
    return [f.text() for f in findings if f.severity == "error"]


def spots(findings: list[Finding]) -> set[tuple[int, int, str]]:
    return {(f.line, f.column, f.rule) for f in findings}


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "name",
    [
        "multistage/azure-pipelines.yml",
        "multistage/templates/build-steps.yml",
        "multistage/templates/deploy-jobs.yml",
        "multistage/templates/vars.yml",
        "azure-pipelines.matrix.yml",
        "azure-pipelines.extends.yml",
        "templates/secure-stages.yml",
        "azure-pipelines.everything.yml",
        "azure-pipelines.python.yml",
        "azure-pipelines.aks.yml",
        "azure-pipelines.terraform.yml",
    ],
)
def test_our_valid_pipelines_have_no_error(name: str) -> None:
    assert errors(lint_pipeline(VALID / name)) == []


def test_every_feature_file_warns_only_about_tasks_newer_than_the_schema() -> None:
    findings = lint_pipeline(VALID / "azure-pipelines.everything.yml")
    assert [(f.line, f.rule, f.severity) for f in findings] == [
        (124, "task-unknown", "warning"),
        (207, "task-unknown", "warning"),
    ]
    assert findings[0].message.startswith('task "UseNode@1" is not in the published schema')


@pytest.mark.parametrize(
    ("written", "mistake", "line", "message"),
    [
        (
            "fetchDepth: 1",
            "fetchDepht: 1",
            116,
            'unexpected key "fetchDepht"; expected one of checkout, clean,',
        ),
        (
            "maxParallel: 50%",
            "maxParalel: 50%",
            246,
            'unexpected key "maxParalel"; expected one of deploy, maxParallel,',
        ),
        (
            "trigger: manual",
            "trigger: sometimes",
            233,
            '"trigger": "sometimes" is not one of manual, automatic',
        ),
        (
            "lockBehavior: runLatest",
            "lockBehavior: newest",
            235,
            '"lockBehavior": "newest" is not one of sequential, runLatest',
        ),
        ("increments: [25]", "increments: 25", 275, '"increments": expected a list here'),
        (
            "timeoutInMinutes: 0",
            "timeoutInMinutes: {minutes: 0}",
            109,
            '"timeoutInMinutes": expected a value here',
        ),
    ],
)
def test_one_mistake_in_a_big_pipeline_is_named_where_it_is(
    tmp_path: Path, written: str, mistake: str, line: int, message: str
) -> None:
    text = (VALID / "azure-pipelines.everything.yml").read_text().replace(written, mistake, 1)
    path = write(tmp_path, "azure-pipelines.yml", text)
    found = [f for f in lint_pipeline(path) if f.severity == "error"]
    assert [(f.line, f.rule) for f in found] == [(line, "schema")], [f.text() for f in found]
    assert found[0].message.startswith(message)


def test_multistage_pipeline_is_expanded_with_its_templates() -> None:
    pipeline = load_pipeline(VALID / "multistage" / "azure-pipelines.yml")
    assert pipeline.findings == ()
    assert [s.name for s in pipeline.stages()] == ["Build", "Staging", "Production"]
    assert [(s.name, s.depends_on) for s in pipeline.stages()][1:] == [
        ("Staging", ("Build",)),
        ("Production", ("Staging",)),
    ]
    jobs = {(j.stage, j.name): j for j in pipeline.jobs()}
    assert set(jobs) == {
        ("Build", "Compile"),
        ("Build", "Lint"),
        ("Staging", "Deploy_westeurope"),
        ("Staging", "Deploy_northeurope"),
        ("Staging", "SmokeTest"),
        ("Production", "Canary"),
    }
    assert jobs["Staging", "Deploy_westeurope"].environment == "shop-staging"
    assert jobs["Staging", "Deploy_westeurope"].kind == "deployment"
    assert jobs["Staging", "SmokeTest"].depends_on == ("Deploy_westeurope", "Deploy_northeurope")
    assert jobs["Production", "Canary"].environment == "shop-production"
    assert "canary" in (jobs["Production", "Canary"].strategy or {})
    # The parameter passed ("$(buildConfiguration)") replaces the template's default; the if branch is kept.
    scripts = [s.script for s in pipeline.steps() if s.script]
    assert "dotnet test tests/Integration --configuration $(buildConfiguration)" in scripts
    assert {"UseDotNet@2", "Cache@2", "PublishTestResults@2", "PublishCodeCoverageResults@2"} <= set(
        pipeline.task_names()
    )
    # Steps from a template point into the template file; deployment hooks' steps are found.
    cache = next(s for s in pipeline.steps() if s.task == "Cache@2")
    assert cache.origin[0].endswith("build-steps.yml") and cache.origin[1] == 14
    assert 'echo "deploying $(Strategy.Increment) percent"' in scripts and "echo rollback" in scripts
    variables = pipeline.variables()
    assert pipeline.variable_groups() == ["shop-production-keyvault"]
    assert {v.name for v in variables if v.name} == {
        "dotnetVersion",
        "npmCacheFolder",
        "buildConfiguration",
        "dbPassword",
    }
    assert len(pipeline.templates) == 3
    assert pipeline.trigger["paths"]["exclude"] == ["docs/*"]


def test_condition_false_drops_the_branch_and_parameters_override_defaults(tmp_path: Path) -> None:
    write(
        tmp_path,
        "steps.yml",
        "parameters:\n  - name: fast\n    type: boolean\n    default: false\nsteps:\n"
        "  - ${{ if eq(parameters.fast, true) }}:\n      - script: quick\n"
        "  - ${{ else }}:\n      - script: thorough\n",
    )
    main = write(
        tmp_path,
        "azure-pipelines.yml",
        "steps:\n  - template: steps.yml\n  - template: steps.yml\n    parameters:\n      fast: true\n",
    )
    pipeline = load_pipeline(main)
    assert [s.script for s in pipeline.steps()] == ["thorough", "quick"]
    assert errors(lint_pipeline(main)) == []


def test_extends_template_supplies_the_stages() -> None:
    pipeline = load_pipeline(VALID / "azure-pipelines.extends.yml")
    assert pipeline.findings == ()
    steps = pipeline.steps()
    assert [s.kind for s in steps] == ["checkout", "script", "template"]
    assert steps[1].script == "make build" and steps[1].origin[0].endswith("azure-pipelines.extends.yml")
    assert pipeline.trigger == ["main"]


def test_jobs_only_pipeline_has_one_implicit_stage() -> None:
    pipeline = load_pipeline(VALID / "azure-pipelines.matrix.yml")
    assert [s.name for s in pipeline.stages()] == ["__default"]
    assert [(j.name, j.depends_on) for j in pipeline.jobs()] == [("Test", None), ("Container", ("Test",))]
    assert pipeline.trigger == "none" and pipeline.schedules[0]["cron"] == "0 3 * * 1-5"


def test_steps_only_pipeline_has_one_implicit_job(tmp_path: Path) -> None:
    path = write(
        tmp_path, "azure-pipelines.yml", "pool:\n  vmImage: ubuntu-latest\nsteps:\n  - script: echo hi\n"
    )
    pipeline = load_pipeline(path)
    assert [(j.stage, j.name) for j in pipeline.jobs()] == [("__default", "__default")]
    assert [s.script for s in pipeline.steps()] == ["echo hi"]


BROKEN_CASES = [
    (
        "depends-unknown.yml",
        8,
        9,
        "depends-on",
        'job "Test" depends on "Compil", which is not a job of stage "Build"',
    ),
    (
        "depends-unknown.yml",
        12,
        5,
        "depends-on",
        'stage "Deploy" depends on "QA", which is not a stage of this pipeline',
    ),
    ("depends-cycle.yml", 3, 5, "depends-on", "stages depend on each other in a cycle: A -> C -> B -> A"),
    (
        "depends-cycle.yml",
        6,
        9,
        "depends-on",
        'jobs of stage "A" depend on each other in a cycle: One -> Two -> One',
    ),
    ("duplicate-names.yml", 7, 9, "duplicate-name", 'job "Compile" is defined twice in stage "Build"'),
    ("duplicate-names.yml", 10, 5, "duplicate-name", 'stage "Build" is defined twice'),
    (
        "inline-secret.yml",
        3,
        3,
        "inline-secret",
        'variable "sqlAdminPassword" looks like a secret written inline',
    ),
    (
        "inline-secret.yml",
        4,
        3,
        "inline-secret",
        'variable "storageAccountKey" looks like a secret written inline',
    ),
    ("inline-secret.yml", 9, 7, "inline-secret", 'env "SONAR_TOKEN" looks like a secret written inline'),
    (
        "template-missing.yml",
        2,
        5,
        "template-missing",
        'template file "templates/does-not-exist.yml" not found',
    ),
    (
        "template-parameters.yml",
        4,
        9,
        "template-parameter",
        'needs the parameter "environment", which is not passed',
    ),
    (
        "template-parameters.yml",
        6,
        11,
        "template-parameter",
        'has no parameter "enviroment" (it declares: environment, vmImage)',
    ),
    ("schema-errors.yml", 8, 5, "schema", 'unexpected key "timeoutInMinute"; expected one of'),
    (
        "schema-errors.yml",
        11,
        9,
        "schema",
        '"continueOnError": "maybe" is not one of true, y, yes, on, false, n, no, off',
    ),
    ("schema-errors.yml", 16, 9, "schema", 'unexpected key "publishLocation"'),
    ("schema-errors.yml", 18, 5, "schema", '"steps": expected a list here'),
    (
        "bad-names.yml",
        2,
        5,
        "name",
        'stage name "build-and-test" must use only letters, digits and _, and not start',
    ),
    (
        "bad-names.yml",
        4,
        9,
        "name",
        'job name "1st" must use only letters, digits and _, and not start with a digit',
    ),
    ("bad-names.yml", 7, 9, "name", 'a deployment job cannot be named "deploy" (a reserved word)'),
    ("yaml-alias.yml", 4, 8, "yaml-alias", "YAML anchors and aliases are not supported by Azure Pipelines"),
    ("azure-pipelines.syntax.yml", 3, 4, "yaml-syntax", "not valid YAML: while parsing a block collection"),
]


@pytest.mark.parametrize(("name", "line", "column", "rule", "message"), BROKEN_CASES)
def test_broken_pipeline_reports_the_expected_error(
    name: str, line: int, column: int, rule: str, message: str
) -> None:
    findings = lint_pipeline(BROKEN / name)
    found = [f for f in findings if (f.line, f.column, f.rule) == (line, column, rule)]
    assert found, [f.text() for f in findings]
    assert message in found[0].message and found[0].severity == "error"


@pytest.mark.parametrize("name", sorted({case[0] for case in BROKEN_CASES}))
def test_broken_pipelines_report_nothing_unexpected(name: str) -> None:
    expected = {(line, column, rule) for n, line, column, rule, _ in BROKEN_CASES if n == name}
    assert {
        (f.line, f.column, f.rule) for f in lint_pipeline(BROKEN / name) if f.severity == "error"
    } == expected


def test_warnings_deployment_without_environment_and_unknown_tasks() -> None:
    [finding] = lint_pipeline(BROKEN / "deployment-no-environment.yml")
    assert (finding.line, finding.column, finding.rule, finding.severity) == (
        2,
        5,
        "deployment-environment",
        "warning",
    )
    assert 'deployment job "Web" has no environment' in finding.message
    found = lint_pipeline(BROKEN / "azure-pipelines.unknown-task.yml")
    assert [(f.line, f.rule, f.severity) for f in found] == [
        (2, "task-unknown", "warning"),
        (7, "task-input", "warning"),
    ]
    assert 'input "command" of DotNetCoreCLI@2 is "tset", expected one of' in found[1].message


def test_template_from_another_repository_is_skipped_without_error() -> None:
    findings = lint_pipeline(BROKEN / "template-missing.yml")
    assert all("build.yml@tools" not in f.message for f in findings)
    pipeline = load_pipeline(BROKEN / "template-missing.yml")
    assert [(s.kind, s.data.get("template")) for s in pipeline.steps()] == [
        ("template", "templates/does-not-exist.yml"),
        ("template", "build.yml@tools"),
        ("script", None),
    ]


def test_the_service_leniency_is_kept(tmp_path: Path) -> None:
    """Scalars of any YAML type, enums in another case, expressions and macros: all accepted as by the service."""
    path = write(
        tmp_path,
        "azure-pipelines.yml",
        """
parameters:
  - name: image
    default: ubuntu-latest
trigger:
  batch: True
  branches: {include: [main]}
variables:
  retries: 3
  ${{ if eq(parameters.image, 'ubuntu-latest') }}:
    isLinux: true
jobs:
  - job: Build
    timeoutInMinutes: 60
    continueOnError: $(allowFailure)
    workspace:
      clean: ALL
    pool:
      vmImage: ${{ parameters.image }}
    steps:
      - checkout: self
        clean: TRUE
        fetchDepth: 0
        lfs: yes
      - script: echo 1
        enabled: ${{ variables.enabled }}
        retryCountOnTaskFailure: 2
      - task: dotnetcorecli@2
        inputs:
          COMMAND: Build
          publishWebProjects: false
      - ${{ each name in split('a,b', ',') }}:
          - script: echo ${{ name }}
""",
    )
    assert errors(lint_pipeline(path)) == []
    assert [f for f in lint_pipeline(path) if f.rule.startswith("task")] == []


def test_template_paths_rooted_at_the_repository(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    write(tmp_path, "ci/steps.yml", "steps:\n  - script: from-root\n")
    main = write(
        tmp_path,
        "pipelines/app/azure-pipelines.yml",
        "steps:\n  - template: /ci/steps.yml\n  - template: ../../ci/steps.yml@self\n",
    )
    assert [s.script for s in load_pipeline(main).steps()] == ["from-root", "from-root"]
    other = tmp_path / "elsewhere"
    write(other, "ci/steps.yml", "steps:\n  - script: from-given-root\n")
    assert load_pipeline(main, root=other).steps()[0].script == "from-given-root"


def test_a_template_including_itself_is_a_finding_not_a_hang(tmp_path: Path) -> None:
    write(tmp_path, "loop.yml", "steps:\n  - script: once\n  - template: loop.yml\n")
    main = write(tmp_path, "azure-pipelines.yml", "steps:\n  - template: loop.yml\n")
    findings = lint_pipeline(main)
    assert [f.rule for f in findings if f.severity == "error"] == ["template-cycle"]
    assert 'template "loop.yml" includes itself' in findings[0].message and findings[0].path.endswith(
        "loop.yml"
    )


@pytest.mark.parametrize(
    ("content", "rule", "message"),
    [
        (b"\x00\x01binary", "not-yaml", "binary file"),
        (b"steps:\n  - script: caf\xe9\n", "not-yaml", "not UTF-8 text"),
        (b"- just\n- a list\n", "schema", "a pipeline must be a YAML mapping"),
        (b"steps: [" * 5000, "yaml-syntax", "exceeded maximum nesting depth"),
        (b"steps: " + b"[" * 990 + b"]" * 990, "yaml-syntax", "nested more than 100 levels deep"),
        (
            b"a: &a [x, x]\n"
            + b"".join(
                b"b%d: &b%d [*%s, *%s]\n"
                % (i, i, b"a" if i == 0 else b"b%d" % (i - 1), b"a" if i == 0 else b"b%d" % (i - 1))
                for i in range(60)
            ),
            "yaml-syntax",
            "YAML aliases",
        ),
    ],
)
def test_bad_input_is_a_finding_never_a_crash(
    tmp_path: Path, content: bytes, rule: str, message: str
) -> None:
    path = tmp_path / "azure-pipelines.yml"
    path.write_bytes(content)
    findings = lint_pipeline(path)
    assert any(f.rule == rule and message in f.message for f in findings), [f.text() for f in findings]


def test_missing_and_oversized_files(tmp_path: Path) -> None:
    [missing] = lint_pipeline(tmp_path / "nope.yml")
    assert (missing.rule, missing.message) == ("unreadable", "no such file")
    big = tmp_path / "azure-pipelines.yml"
    big.write_text("steps:\n" + "  - script: echo hello world\n" * 40_000)
    [finding] = lint_pipeline(big)
    assert finding.rule == "too-large" and "larger than the 1,000,000-byte limit" in finding.message


def test_finding_text_format() -> None:
    assert Finding("a.yml", 3, 5, "bad", "schema").text() == "a.yml:3:5: bad [schema]"
    assert Finding("a.yml", 3, 5, "hmm", "pin", "warning").text() == "a.yml:3:5: hmm [pin, warning]"


@pytest.mark.parametrize(
    ("expression", "value"),
    [
        ("eq(parameters.env, 'PROD')", True),
        ("and(eq(parameters.flag, true), ne(parameters.env, 'dev'))", True),
        ("or(false, variables.x)", UNKNOWN),
        ("or(true, variables.x)", True),
        ("in(parameters.env, 'test', 'prod')", True),
        ("length(parameters.regions)", 2),
        ("parameters.regions[1]", "b"),
        ("parameters['env']", "prod"),
        ("parameters.missing", UNKNOWN),
        ("notAFunction(1)", UNKNOWN),
        ("eq(1, ", UNKNOWN),
    ],
)
def test_expression_evaluator(expression: str, value: object) -> None:
    scope = {"parameters": {"env": "prod", "flag": "true", "regions": ["a", "b"]}}
    assert evaluate(expression, scope) == value


def test_substitution_keeps_what_only_a_run_knows() -> None:
    scope = {"parameters": {"env": "prod", "steps": [{"script": "x"}]}}
    assert (
        substitute("deploy-${{ parameters.env }}-$(Build.BuildId)", scope) == "deploy-prod-$(Build.BuildId)"
    )
    assert substitute("${{ parameters.steps }}", scope) == [{"script": "x"}]
    assert substitute("${{ variables.x }}", scope) == "${{ variables.x }}"


@pytest.mark.parametrize(
    ("name", "secret"),
    [
        ("dbPassword", True),
        ("API_KEY", True),
        ("sonar-token", True),
        ("clientSecret", True),
        ("storageAccountKey", True),
        ("imagePullSecret", False),
        ("cacheKey", False),
        ("keyVaultName", False),
        ("tokenUrl", False),
    ],
)
def test_secret_like_names(name: str, secret: bool) -> None:
    assert secret_like(name) is secret


def test_names_from_templates_left_unread_are_not_called_unknown(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "azure-pipelines.yml",
        "stages:\n  - template: stages/build.yml@platform\n  - stage: Deploy\n    dependsOn: Build\n    jobs:\n"
        "      - template: jobs/scan.yml@platform\n      - job: Ship\n        dependsOn: Scan\n        steps:\n"
        "          - script: ./ship.sh\n",
    )
    assert [f.text() for f in lint_pipeline(path) if f.severity == "error"] == []
    known = write(
        tmp_path,
        "azure-pipelines.2.yml",
        "stages:\n  - stage: Deploy\n    dependsOn: Build\n    jobs:\n      - job: A\n        steps:\n          - script: a\n",
    )
    assert [f.rule for f in lint_pipeline(known)] == ["depends-on"]


def test_task_inputs_named_like_secrets_must_not_be_literal(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "azure-pipelines.yml",
        "steps:\n  - task: SqlAzureDacpacDeployment@1\n    inputs:\n      azureSubscription: arm\n"
        "      ServerName: shop.database.windows.net\n      DatabaseName: shop\n      SqlUsername: admin\n"
        "      SqlPassword: Hunter2!\n      DacpacFile: db.dacpac\n",
    )
    [finding] = [f for f in lint_pipeline(path) if f.severity == "error"]
    assert (finding.line, finding.column, finding.rule) == (8, 7, "inline-secret")
    assert finding.message.startswith('input "SqlPassword" of SqlAzureDacpacDeployment@1 looks like a secret')
    path.write_text(path.read_text().replace("Hunter2!", "$(sqlPassword)"))
    assert [f for f in lint_pipeline(path) if f.severity == "error"] == []


def test_duplicate_and_complex_keys(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "azure-pipelines.yml",
        "trigger: [main]\nsteps:\n  - script: one\n    displayName: A\n    displayName: B\n? [odd, key]\n: value\n",
    )
    found = {(f.line, f.column, f.rule): f.message for f in lint_pipeline(path) if f.severity == "error"}
    assert found[5, 5, "duplicate-key"] == 'duplicate key "displayName" (first written at line 4)'
    assert found[6, 3, "yaml-syntax"] == "a mapping key must be a plain value, not a list or mapping"


def test_typed_scalars_that_do_not_construct_stay_text(tmp_path: Path) -> None:
    from certprep.labcheck.document import parse_document

    document = parse_document("when: 2024-13-45\nport: 08\non: push\n", "x.yml")
    assert document.findings == [] and document.data == {"when": "2024-13-45", "port": "08", "on": "push"}
    typed = parse_document("n: 3\nflag: yes\n", "x.yml")
    assert typed.data == {"n": 3, "flag": True}
    assert parse_document("n: 3\nflag: yes\n", "x.yml", text_scalars=True).data == {"n": "3", "flag": "yes"}


def test_depends_on_names_are_matched_without_case(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "azure-pipelines.yml",
        "stages:\n  - stage: Build\n    jobs:\n      - job: Compile\n        steps: [{script: make}]\n"
        "      - job: Test\n        dependsOn: compile\n        steps: [{script: make test}]\n"
        "  - stage: Ship\n    dependsOn: BUILD\n    jobs:\n      - job: A\n        steps: [{script: a}]\n",
    )
    assert lint_pipeline(path) == []


def test_cycles_are_found_whatever_the_case(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "azure-pipelines.yml",
        "stages:\n  - stage: A\n    dependsOn: b\n    jobs:\n      - job: One\n        dependsOn: TWO\n"
        "        steps: [{script: a}]\n      - job: Two\n        dependsOn: one\n        steps: [{script: b}]\n"
        "  - stage: B\n    jobs:\n      - job: X\n        steps: [{script: x}]\n",
    )
    assert [f.message for f in lint_pipeline(path)] == [
        "stages depend on each other in a cycle: A -> B -> A",
        'jobs of stage "A" depend on each other in a cycle: One -> Two -> One',
    ]


@pytest.mark.parametrize(
    "name", ["azure-pipelines.python.yml", "azure-pipelines.aks.yml", "azure-pipelines.terraform.yml"]
)
def test_real_world_pipelines_have_no_finding_at_all(name: str) -> None:
    assert lint_pipeline(VALID / name) == []


def test_terraform_pipeline_model() -> None:
    pipeline = load_pipeline(VALID / "azure-pipelines.terraform.yml")
    assert pipeline.variable_groups() == ["terraform-backend"]
    apply = next(j for j in pipeline.jobs() if j.name == "Apply")
    assert (apply.kind, apply.stage, apply.environment) == ("deployment", "Apply", "production-infra")
    assert [s.kind for s in pipeline.steps() if s.job == "Apply"] == ["checkout", "download", "task"]
    assert pipeline.trigger["paths"] == {"include": ["infra"]}
    assert (
        pipeline.stages()[1].condition
        == "and(succeeded(), eq(variables['Build.SourceBranch'], 'refs/heads/main'))"
    )


def test_variables_the_file_sets_decide_template_conditions(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "azure-pipelines.yml",
        "variables:\n  env: prod\n  branch: $(Build.SourceBranchName)\nsteps:\n"
        "  - ${{ if eq(variables.env, 'prod') }}:\n      - script: prod-only\n  - ${{ else }}:\n      - script: other\n"
        "  - ${{ if eq(variables.branch, 'main') }}:\n      - script: main-only\n"
        "  - ${{ if eq(variables['Build.SourceBranch'], 'refs/heads/main') }}:\n      - script: known-at-run\n",
    )
    # env is known; branch holds a macro and Build.SourceBranch is predefined: unknown, so their branch is kept.
    assert [s.script for s in load_pipeline(path).steps()] == ["prod-only", "main-only", "known-at-run"]
