"""Code fences inside prompts: YAML must parse; pipelines and workflows must pass their published schemas.

The schemas are the ones `check-jsonschema` vendors (Azure Pipelines service schema, SchemaStore's GitHub
workflow schema), read from the installed package: nothing is fetched at run time.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from typing import Any

import yaml
from jsonschema import Draft7Validator, validators
from jsonschema.exceptions import best_match

FENCE = re.compile(
    r"^(?P<indent>[ \t]*)```(?P<info>[^\n`]*)\n(?P<body>.*?)^(?P=indent)```[ \t]*$", re.S | re.M
)
SCHEMAS = {"azure-pipelines": "azure-pipelines.json", "github-workflow": "github-workflows.json"}


class _Yaml12Loader(yaml.SafeLoader):
    """YAML 1.2 booleans: only true/false. GitHub reads `on:` as a key, where YAML 1.1 would read True."""


_Yaml12Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.copy().items()
}
_Yaml12Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


class _StringLoader(yaml.SafeLoader):
    """Every scalar a string, as Azure Pipelines reads YAML."""


_StringLoader.yaml_implicit_resolvers = {}


def _is_boolean(_checker: Any, value: Any) -> bool:
    return isinstance(value, bool) or (isinstance(value, str) and value.lower() in ("true", "false"))


def _is_number(_checker: Any, value: Any) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, int | float):
        return True
    return isinstance(value, str) and re.fullmatch(r"-?\d+(\.\d+)?", value) is not None


def _enum_any_case(validator: Any, enums: Any, instance: Any, schema: Any) -> Iterator[Any]:
    if isinstance(instance, str) and any(isinstance(e, str) and e.lower() == instance.lower() for e in enums):
        return
    yield from _draft7_enum(validator, enums, instance, schema)


# Azure Pipelines reads every scalar as a string and compares enum values without case; its published schema
# is stricter (booleans or numbers where the service takes "true" or "3", enum values in one case). A file the
# service accepts must not be reported invalid: snippets are read with every scalar a string, and the validator
# accepts "true"/"false" as booleans, numeric strings as numbers and enum values in any case.
_draft7_enum = Draft7Validator.VALIDATORS["enum"]
_LENIENT_TYPES = Draft7Validator.TYPE_CHECKER.redefine_many(
    {"boolean": _is_boolean, "number": _is_number, "integer": _is_number}
)
LenientValidator = validators.extend(Draft7Validator, {"enum": _enum_any_case}, type_checker=_LENIENT_TYPES)


@dataclass(frozen=True, slots=True)
class Snippet:
    info: str
    body: str
    line: int

    @property
    def language(self) -> str:
        return self.info.split()[0] if self.info.split() else ""

    @property
    def flags(self) -> tuple[str, ...]:
        return tuple(self.info.split()[1:])


def fences(markdown: str) -> Iterator[Snippet]:
    """Every fenced code block with the 0-based line offset of its first content line."""
    for m in FENCE.finditer(markdown):
        start = markdown.count("\n", 0, m.start("body"))
        body = "\n".join(line.removeprefix(m.group("indent")) for line in m.group("body").splitlines())
        yield Snippet(m.group("info").strip(), body, start)


STEP_KEYS = (
    "displayName",
    "name",
    "condition",
    "continueOnError",
    "enabled",
    "env",
    "timeoutInMinutes",
    "retryCountOnTaskFailure",
    "target",
)


@cache
def known_tasks() -> frozenset[str]:
    """Every task@version the vendored Azure Pipelines schema lists (lowercase)."""
    text = (files("check_jsonschema.builtin_schemas.vendor") / SCHEMAS["azure-pipelines"]).read_text(
        encoding="utf-8"
    )
    return frozenset(t.lower() for t in re.findall(r'"([A-Za-z0-9_.-]+@\d+)"', text))


def _set_aside_unknown_tasks(node: Any, found: list[str]) -> Any:
    """Steps whose task the schema does not list (new tasks, new major versions) are checked as plain steps."""
    if isinstance(node, list):
        return [_set_aside_unknown_tasks(x, found) for x in node]
    if isinstance(node, dict):
        task = node.get("task")
        if isinstance(task, str) and "$" not in task and task.lower() not in known_tasks():
            found.append(task)
            return {"script": "echo placeholder", **{k: v for k, v in node.items() if k in STEP_KEYS}}
        return {k: _set_aside_unknown_tasks(v, found) for k, v in node.items()}
    return node


@cache
def _validator(schema: str) -> Any:
    text = (files("check_jsonschema.builtin_schemas.vendor") / SCHEMAS[schema]).read_text(encoding="utf-8")
    cls = LenientValidator if schema == "azure-pipelines" else Draft7Validator
    return cls(json.loads(text))


def snippet_problems(snippet: Snippet) -> list[tuple[int, str, str]]:
    """(line offset within the snippet, message, severity) for a snippet that does not parse or fails its schema.

    A task version the vendored schema does not list yet (tasks get new major versions) is a warning, not an error.
    """
    if snippet.language not in ("yaml", "yml") or "invalid" in snippet.flags:
        return []
    schema = next((f for f in snippet.flags if f in SCHEMAS), None)
    loader = _StringLoader if schema == "azure-pipelines" else _Yaml12Loader
    try:
        data: Any = yaml.load(snippet.body, Loader=loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        return [(mark.line if mark else 0, f"YAML snippet does not parse: {exc.problem}", "error")]
    if schema is None:
        return []
    unknown: list[str] = []
    if schema == "azure-pipelines":
        data = _set_aside_unknown_tasks(data, unknown)
    notes = [
        (
            0,
            f"{schema} snippet: task {t!r} is not in the published schema; its inputs are not checked",
            "warning",
        )
        for t in unknown
    ]
    errors = sorted(_validator(schema).iter_errors(data), key=lambda e: len(list(e.absolute_path)))
    if not errors:
        return notes
    leaf = _closest(best_match(errors))[0]
    where = "/".join(str(p) for p in leaf.absolute_path) or "(top)"
    path = list(leaf.absolute_path)
    if path and path[-1] == "task" and leaf.validator == "pattern":
        return [
            (
                0,
                f"{schema} snippet: task {leaf.instance!r} is not in the published schema; check its version",
                "warning",
            )
        ]
    return [(0, f"{schema} snippet fails the published schema at {where}: {_short(leaf.message)}", "error")]


def _closest(error: Any) -> list[Any]:
    """The leaf errors of the oneOf/anyOf branch that came closest (fewest leaf errors, then deepest path)."""
    if not error.context:
        return [error]
    branches: dict[Any, list[Any]] = {}
    for sub in error.context:
        branches.setdefault(sub.schema_path[0] if sub.schema_path else 0, []).append(sub)
    candidates = [[leaf for sub in subs for leaf in _closest(sub)] for subs in branches.values()]
    return min(candidates, key=lambda leaves: (len(leaves), -max(len(leaf.absolute_path) for leaf in leaves)))


def _short(message: str) -> str:
    return message if len(message) < 200 else message[:197] + "..."
