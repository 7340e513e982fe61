"""Check kinds on plain files: a file exists, text patterns present or absent, YAML or JSON that parses with keys
present, a value at a dotted path, a resource in an ARM template (JSON; Bicep has no Python parser, so Bicep files
are checked with `text-contains`), and the secret-looking literals other kinds refuse.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from typing import Any

from certprep.labcheck.labdir import CheckFailed, KindFn, LabDir, Outcome
from certprep.labcheck.pipeline_rules import secret_like

SECRET_VALUE = (
    re.compile(r"AccountKey=[A-Za-z0-9+/=]{20,}"),
    re.compile(r"-----BEGIN (RSA |EC |OPENSSH )?PRIVATE KEY-----"),
    re.compile(r"\bgh[pousr]_[A-Za-z0-9]{30,}"),
    re.compile(r"\bAKIA[0-9A-Z]{16}\b"),
    re.compile(r"\bxox[baprs]-[A-Za-z0-9-]{10,}"),
)
REFERENCE = re.compile(r"^\s*(\$\(|\$\{\{|\$\[|\$\{|var\.|local\.|data\.|azurerm_|random_|module\.)")


def secret_literal(key: str, value: Any) -> bool:
    """True when a key whose last words name a secret (the lint engine's `secret_like`: dbPassword, API_KEY,
    client_secret) holds a literal, not a reference to a variable, secret or resource."""
    if not isinstance(value, str | int) or isinstance(value, bool):
        return False
    text = str(value).strip()
    if not secret_like(key):
        return False
    return len(text) >= 6 and not REFERENCE.match(text) and " " not in text


def secret_patterns(text: str) -> list[int]:
    """1-based lines of text carrying a well-known credential shape (storage key, private key, token)."""
    return sorted({text.count("\n", 0, m.start()) + 1 for p in SECRET_VALUE for m in p.finditer(text)})


def walk(data: Any, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], Any]]:
    """Every (key path, value) of nested mappings and lists (lists add their index)."""
    if isinstance(data, dict):
        for k, v in data.items():
            yield (*path, str(k)), v
            yield from walk(v, (*path, str(k)))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            yield (*path, str(i)), v
            yield from walk(v, (*path, str(i)))


def lookup(data: Any, dotted: str) -> tuple[bool, Any]:
    """(found, value) at a dotted path; list indexes are numbers (`jobs.0.steps`)."""
    here = data
    for part in dotted.split("."):
        if isinstance(here, dict) and part in here:
            here = here[part]
        elif isinstance(here, list) and part.isdigit() and int(part) < len(here):
            here = here[int(part)]
        else:
            return False, None
    return True, here


def load_json(lab: LabDir, rel: str) -> Any:
    text = lab.text(rel)
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise CheckFailed(f"{rel}:{exc.lineno}: not valid JSON: {exc.msg}") from None
    except RecursionError:
        raise CheckFailed(f"{rel}: nested too deeply to be read") from None


def load_data(lab: LabDir, rel: str) -> Any:
    return load_json(lab, rel) if rel.endswith(".json") else lab.yaml(rel)


def file_exists(lab: LabDir, args: Mapping[str, Any]) -> Outcome:
    lab.path(args["file"])
    return True, f"{args['file']} is there"


def text_contains(lab: LabDir, args: Mapping[str, Any]) -> Outcome:
    rel = args["file"]
    text = lab.text(rel)
    flags = re.M | (re.I if args.get("ignore_case") else 0)
    for pattern in args.get("patterns", []):
        if not re.search(pattern, text, flags):
            return False, f"{rel} has nothing matching `{pattern}`"
    for pattern in args.get("absent", []):
        if m := re.search(pattern, text, flags):
            line = text.count("\n", 0, m.start()) + 1
            return False, f"{rel}:{line} still has `{m.group(0)[:60]}`"
    return True, f"{rel} has what is asked"


def _keys(data: Any, rel: str, keys: list[str]) -> Outcome:
    for key in keys:
        if not lookup(data, key)[0]:
            return False, f"{rel} has no {key!r}"
    return True, f"{rel} parses" + (f" and has {', '.join(keys)}" if keys else "")


def yaml_file(lab: LabDir, args: Mapping[str, Any]) -> Outcome:
    return _keys(lab.yaml(args["file"]), args["file"], list(args.get("keys", [])))


def json_file(lab: LabDir, args: Mapping[str, Any]) -> Outcome:
    return _keys(load_json(lab, args["file"]), args["file"], list(args.get("keys", [])))


def _same(value: Any, expected: str) -> bool:
    if isinstance(value, bool):
        return str(value).lower() == expected.lower()
    return str(value) == expected


def yaml_value(lab: LabDir, args: Mapping[str, Any]) -> Outcome:
    rel, path = args["file"], args["path"]
    found, value = lookup(load_data(lab, rel), path)
    if not found:
        return False, f"{rel} has no {path!r}"
    if "equals" in args and not _same(value, args["equals"]):
        return False, f"{rel}: {path} is {value!r}, not {args['equals']!r}"
    if "matches" in args and not re.search(args["matches"], str(value)):
        return False, f"{rel}: {path} is {value!r}, which does not match {args['matches']!r}"
    return True, f"{rel}: {path} is {value!r}"


def _arm_resources(resources: Any) -> Iterator[dict[str, Any]]:
    """ARM resources, nested ones included (a child's type is its parent's type plus its own)."""
    # languageVersion 2.0 templates hold a mapping of symbolic names to resources
    items = list(resources.values()) if isinstance(resources, dict) else resources
    for r in items if isinstance(items, list) else []:
        if isinstance(r, dict):
            yield r
            for child in _arm_resources(r.get("resources", [])):
                yield {**child, "type": f"{r.get('type')}/{child.get('type')}"}


def arm_resource(lab: LabDir, args: Mapping[str, Any]) -> Outcome:
    rel, kind = args["file"], args["type"]
    data = load_json(lab, rel)
    if not isinstance(data, dict) or "resources" not in data:
        return False, f"{rel} is not an ARM template (no resources)"
    wanted = args.get("properties", {})
    candidates = [
        r for r in _arm_resources(data["resources"]) if str(r.get("type", "")).lower() == kind.lower()
    ]
    if not candidates:
        return False, f"{rel} declares no resource of type {kind}"
    for r in candidates:
        if all(_same(lookup(r, k)[1], str(v)) and lookup(r, k)[0] for k, v in wanted.items()):
            return True, f"{rel} declares {kind} {r.get('name', '')}".rstrip()
    shown = ", ".join(f"{k}={v}" for k, v in wanted.items())
    return False, f"{rel}: no {kind} has {shown}"


FUNCTIONS: dict[str, KindFn] = {
    "file-exists": file_exists,
    "text-contains": text_contains,
    "yaml": yaml_file,
    "json": json_file,
    "yaml-value": yaml_value,
    "arm-resource": arm_resource,
}
