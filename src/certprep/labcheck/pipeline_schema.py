"""The published Azure Pipelines schema, loaded from the installed check-jsonschema package and made as lenient
as the service.

The schema (azure-pipelines-vscode's service-schema.json, vendored by check-jsonschema) is read once per process,
never fetched. It is stricter than the service, so it is relaxed here:
- every scalar is checked as the text written (Azure reads YAML scalars as strings), so `true` or `3` pass where
  a string is expected;
- enums and literal patterns compare case-insensitively, as the service does;
- a value holding an expression or macro (`${{ }}`, `$( )`, `$[ ]`) passes any check, since only a run knows it;
- `${{ if }}`/`${{ each }}` keys are expanded before checking (see templates.py);
- tasks are looked up by name (case-insensitive): an unknown task may come from an installed extension and is a
  warning, and a task's inputs (names case-insensitive, aliases allowed) give warnings only, since the
  service lets pick lists be edited.
`anyOf` branches are chosen by their first key (task, script, job, deployment, stage, template, ...), so a
message names what is wrong with the step written rather than "not valid under any of the given schemas".
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from jsonschema import Draft7Validator, ValidationError, validators

from certprep.labcheck.document import Origin, YList, YMap, locate
from certprep.labcheck.expressions import has_macro, is_expression
from certprep.labcheck.findings import Finding

_LITERAL = re.compile(r"^\^[A-Za-z0-9_.\- ]+\$$")
_TYPE_WORDS = {"object": "a mapping", "array": "a list", "string": "a value", "boolean": "true or false"}


@dataclass(frozen=True, slots=True)
class TaskSpec:
    """One task version from the schema: its inputs (lower-cased name -> schema), aliases and required inputs."""

    name: str
    inputs: dict[str, dict[str, Any]]
    aliases: dict[str, str]
    required: tuple[str, ...]
    deprecated: str | None


def _raw_schema() -> dict[str, Any]:
    source = resources.files("check_jsonschema").joinpath("builtin_schemas/vendor/azure-pipelines.json")
    loaded: dict[str, Any] = json.loads(source.read_text(encoding="utf-8"))
    return loaded


def _discriminator(branch: dict[str, Any]) -> str | None:
    first = branch.get("firstProperty")
    if isinstance(first, list) and first:
        return str(first[0])
    required = branch.get("required")
    if isinstance(required, list) and len(required) == 1:
        return str(required[0])
    return None


@cache
def schema_parts() -> tuple[dict[str, Any], dict[str, TaskSpec]]:
    """The relaxed schema and the task table (loaded once per process)."""
    schema = _raw_schema()
    definitions = schema["definitions"]
    tasks: dict[str, TaskSpec] = {}
    for branch in definitions["task"]["anyOf"]:
        pattern = branch.get("properties", {}).get("task", {}).get("pattern", "")
        name = pattern.strip("^$")
        inputs_schema = branch.get("properties", {}).get("inputs", {})
        inputs = {key.lower(): value for key, value in inputs_schema.get("properties", {}).items()}
        aliases = {
            alias.lower(): key.lower()
            for key, value in inputs_schema.get("properties", {}).items()
            for alias in value.get("aliases", [])
        }
        required = tuple(key.lower() for key in inputs_schema.get("required", []))
        tasks.setdefault(
            name.lower(), TaskSpec(name, inputs, aliases, required, branch.get("deprecationMessage"))
        )
    base = definitions["taskBase"]["properties"]
    definitions["task"] = {
        "type": "object",
        "properties": {**base, "task": {"type": "string"}, "inputs": {"type": "object"}},
        "additionalProperties": False,
        "firstProperty": ["task"],
        "required": ["task"],
    }
    definitions["step"]["anyOf"][0] = {"$ref": "#/definitions/task", "firstProperty": ["task"]}
    _inline_references(schema)
    return schema, tasks


def _inline_references(schema: dict[str, Any]) -> None:
    """Replace every `{"$ref": "#/definitions/x"}` by the definition itself (the same object, so recursive
    definitions become a cyclic graph): validation then never resolves a reference, which halves its cost.
    Draft 7 ignores a reference's sibling keywords, so dropping them changes nothing."""
    definitions = schema["definitions"]

    def target(node: Any) -> Any:
        if isinstance(node, dict) and isinstance(node.get("$ref"), str):
            name = node["$ref"].removeprefix("#/definitions/")
            found = definitions[name]
            if name == "task":  # the step branch's first key travels with it
                return {**found, "firstProperty": node.get("firstProperty", found.get("firstProperty"))}
            return found
        return node

    seen: set[int] = set()
    stack: list[Any] = [schema]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, dict):
            for key, value in node.items():
                if key in ("enum", "firstProperty", "required", "aliases"):
                    continue
                node[key] = target(value)
                stack.append(node[key])
        elif isinstance(node, list):
            for index, value in enumerate(node):
                node[index] = target(value)
                stack.append(node[index])


def _lenient(instance: Any) -> bool:
    return is_expression(instance) or has_macro(instance)


def _valid(validator: Any, instance: Any, schema: dict[str, Any]) -> bool:
    return next(iter(validator.descend(instance, schema)), None) is None


def _any_of(
    validator: Any, branches: list[dict[str, Any]], instance: Any, schema: dict[str, Any]
) -> Iterator[ValidationError]:
    if _lenient(instance):
        return
    if isinstance(instance, dict):
        picked = [b for b in branches if (key := _discriminator(b)) is not None and key in instance]
        if picked:
            errors = list(validator.descend(instance, picked[0]))
            if errors and len(picked) > 1:
                for other in picked[1:]:
                    if not _valid(validator, instance, other):
                        continue
                    return
            yield from errors
            return
    for branch in branches:
        if _valid(validator, instance, branch):
            return
    shape = "object" if isinstance(instance, dict) else "array" if isinstance(instance, list) else None
    if shape is not None:
        fitting = [b for b in branches if b.get("type", shape) == shape]
        if isinstance(instance, dict) and len(fitting) > 1:
            # No first key decides: the branch that knows most of the keys written explains the error best.
            overlap = [len(set(instance) & set(b.get("properties", {}))) for b in fitting]
            best = max(overlap)
            if best and overlap.count(best) == 1:
                fitting = [fitting[overlap.index(best)]]
        if len(fitting) == 1:
            yield from validator.descend(instance, fitting[0])
            return
    keys = [k for b in branches if (k := _discriminator(b))]
    if isinstance(instance, dict) and keys:
        message = f"expected one of the keys {', '.join(sorted(set(keys)))}"
    else:
        kinds = {_TYPE_WORDS.get(b.get("type", ""), "") for b in branches} - {""}
        message = f"expected {' or '.join(sorted(kinds))}" if kinds else "not an accepted value here"
        if isinstance(instance, str):
            literals = [b["pattern"].strip("^$") for b in branches if _LITERAL.match(b.get("pattern", ""))]
            if literals and len(literals) == len(branches):
                message = f'"{instance}" is not one of {", ".join(literals)}'
    yield ValidationError(message)


def _type(validator: Any, types: Any, instance: Any, schema: dict[str, Any]) -> Iterator[ValidationError]:
    wanted = types if isinstance(types, list) else [types]
    if _lenient(instance) and not isinstance(instance, dict | list):
        return
    if isinstance(instance, str | bool | int | float) and ("string" in wanted or "boolean" in wanted):
        return
    if instance is None and "string" in wanted:
        return
    if any(validator.is_type(instance, kind) for kind in wanted):
        return
    words = " or ".join(_TYPE_WORDS.get(str(kind), str(kind)) for kind in wanted)
    yield ValidationError(f"expected {words} here")


def _enum(
    validator: Any, enums: list[Any], instance: Any, schema: dict[str, Any]
) -> Iterator[ValidationError]:
    if _lenient(instance) or instance is None:
        return
    text = str(instance).lower()
    if any(str(choice).lower() == text for choice in enums):
        return
    yield ValidationError(f'"{instance}" is not one of {", ".join(str(c) for c in enums)}')


def _pattern(
    validator: Any, pattern: str, instance: Any, schema: dict[str, Any]
) -> Iterator[ValidationError]:
    if not isinstance(instance, str) or _lenient(instance):
        return
    flags = re.IGNORECASE if schema.get("ignoreCase") or _LITERAL.match(pattern) else 0
    if re.search(pattern, instance, flags) is None:
        if _LITERAL.match(pattern):
            yield ValidationError(f'"{instance}" is not {pattern.strip("^$")}')
        else:
            yield ValidationError(f'"{instance}" does not match the expected form {pattern}')


def _additional(
    validator: Any, allowed: Any, instance: Any, schema: dict[str, Any]
) -> Iterator[ValidationError]:
    if allowed is not False or not isinstance(instance, dict):
        return
    known = schema.get("properties", {})
    for key in instance:
        if key not in known and not key.lstrip().startswith("${{"):
            choices = ", ".join(sorted(known))
            yield ValidationError(f'unexpected key "{key}"; expected one of {choices}', path=[key])


def _required(
    validator: Any, required: list[str], instance: Any, schema: dict[str, Any]
) -> Iterator[ValidationError]:
    if not isinstance(instance, dict):
        return
    for key in required:
        if key not in instance:
            yield ValidationError(f'missing the key "{key}"')


def _skip_lenient(function: Any) -> Any:
    def check(validator: Any, value: Any, instance: Any, schema: dict[str, Any]) -> Iterator[ValidationError]:
        if _lenient(instance):
            return iter(())
        return function(validator, value, instance, schema)  # type: ignore[no-any-return]

    return check


@cache
def _validator() -> Any:
    schema, _ = schema_parts()
    keywords = {key: _skip_lenient(fn) for key, fn in Draft7Validator.VALIDATORS.items()}
    keywords.update(
        {
            "anyOf": _any_of,
            "oneOf": _any_of,
            "type": _type,
            "enum": _enum,
            "pattern": _pattern,
            "additionalProperties": _additional,
            "required": _required,
        }
    )
    cls = validators.extend(Draft7Validator, keywords)
    return cls(schema)


def warm_up() -> None:
    """Load the schema and build the validator now (the first lint otherwise pays for it)."""
    _validator()


def schema_findings(data: Any, name: str, definition: str | None = None) -> list[Finding]:
    """Schema problems of one (expanded) pipeline or template document, at the key that is wrong."""
    validator = _validator()
    fallback: Origin = (name, 1, 1)
    if definition is not None:
        schema, _ = schema_parts()
        errors = validator.evolve(schema=schema["definitions"][definition]).iter_errors(data)
    else:
        errors = validator.iter_errors(data)
    findings = []
    for error in errors:
        path = list(error.absolute_path)
        where = locate(data, path, fallback)
        named = next((part for part in reversed(path) if isinstance(part, str)), None)
        message = (
            error.message
            if named is None or error.message.startswith("unexpected key")
            else f'"{named}": {error.message}'
        )
        findings.append(Finding(*where, message, "schema"))
    findings.extend(task_findings(data, fallback))
    return findings


def _walk_steps(node: Any) -> Iterator[tuple[YMap, Origin]]:
    if isinstance(node, YMap):
        if isinstance(node.get("task"), str):
            yield node, node.where("task")
        for value in node.values():
            yield from _walk_steps(value)
    elif isinstance(node, YList):
        for item in node:
            yield from _walk_steps(item)


def task_findings(data: Any, fallback: Origin) -> list[Finding]:
    """Warnings for tasks the schema does not know and for their inputs."""
    _, tasks = schema_parts()
    findings: list[Finding] = []
    for step, where in _walk_steps(data):
        name = str(step["task"]).strip()
        if _lenient(name):
            continue
        spec = tasks.get(name.lower())
        if spec is None:
            versions = sorted(
                t.name for key, t in tasks.items() if key.split("@")[0] == name.lower().split("@")[0]
            )
            known = f" (it knows {', '.join(versions)})" if versions else ""
            message = f'task "{name}" is not in the published schema{known}; fine if it is newer or an installed extension provides it'
            findings.append(Finding(*where, message, "task-unknown", "warning"))
            continue
        inputs = step.get("inputs")
        findings.extend(_input_findings(spec, inputs if isinstance(inputs, YMap) else None, step, where))
    return findings


def _input_findings(spec: TaskSpec, inputs: YMap | None, step: YMap, where: Origin) -> Iterator[Finding]:
    # Required inputs are not checked: the schema cannot say which are hidden by another input's value.
    for key, value in (inputs or {}).items():
        spot = inputs.where(key) if inputs is not None else where
        lowered = spec.aliases.get(key.lower(), key.lower())
        schema = spec.inputs.get(lowered)
        if schema is None:
            if not key.lstrip().startswith("${{"):
                yield Finding(*spot, f'task {spec.name} has no input "{key}"', "task-input", "warning")
            continue
        choices = schema.get("enum")
        accepted = {str(c).lower() for c in choices or ()}
        if choices and value is not None and not _lenient(value) and str(value).lower() not in accepted:
            listed = ", ".join(str(c) for c in choices)
            message = f'input "{key}" of {spec.name} is "{value}", expected one of {listed}'
            yield Finding(*spot, message, "task-input", "warning")
