"""Template expansion for Azure Pipelines: `${{ if }}`, `${{ each }}`, `${{ insert }}` and parameter values.

`expand` copies a YAML tree (keeping every position) with the expressions we can evaluate filled in. A condition
we cannot evaluate (it reads a variable only a run knows) counts as true for its `if` branch and false for the `elseif`/`else`
that follow, so a pipeline is read the way its first branch builds it and names are never seen twice.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from certprep.labcheck.document import YList, YMap
from certprep.labcheck.expressions import UNKNOWN, evaluate, substitute, truthy

_DIRECTIVE = re.compile(
    r"^\s*\$\{\{\s*(if|elseif|else|each|insert)\b(.*?)\}\}\s*$", re.DOTALL | re.IGNORECASE
)
_EACH = re.compile(r"^\s*([A-Za-z_]\w*)\s+in\s+(.+)$", re.DOTALL)


def directive(key: str) -> tuple[str, str] | None:
    """("if" | "elseif" | "else" | "each" | "insert", the rest) for a template directive key."""
    match = _DIRECTIVE.match(key)
    return (match.group(1).lower(), match.group(2).strip()) if match else None


class _Chain:
    """The state of an if/elseif/else chain: None (no chain), "open" (nothing taken yet), "taken"."""

    __slots__ = ("state",)

    def __init__(self) -> None:
        self.state: str | None = None


def _branches(
    kind: str, rest: str, value: Any, scope: Mapping[str, Any], chain: _Chain
) -> Iterator[tuple[Any, Mapping[str, Any]]]:
    if kind in ("if", "elseif"):
        if kind == "elseif" and chain.state == "taken":
            return
        condition = truthy(evaluate(rest, scope))
        if condition is False:
            chain.state = "open"
            return
        chain.state = "taken"
        yield value, scope
    elif kind == "else":
        taken = chain.state == "taken"
        chain.state = None
        if not taken:
            yield value, scope
    elif kind == "each":
        chain.state = None
        match = _EACH.match(rest)
        collection = evaluate(match.group(2), scope) if match else UNKNOWN
        if match is None or collection is UNKNOWN:
            return
        if isinstance(collection, dict):
            collection = [{"key": key, "value": item} for key, item in collection.items()]
        if isinstance(collection, list):
            for item in collection:
                yield value, {**scope, match.group(1): item}
    else:
        chain.state = None
        yield value, scope


def expand(node: Any, scope: Mapping[str, Any]) -> Any:
    """A copy of `node` with template directives applied and known expressions filled in."""
    if isinstance(node, YMap):
        return _expand_map(node, scope)
    if isinstance(node, YList):
        return _expand_list(node, scope)
    if isinstance(node, str):
        return substitute(node, scope)
    return node


def _expand_map(node: YMap, scope: Mapping[str, Any]) -> YMap:
    out = YMap(node.origin)
    chain = _Chain()
    for key, value in node.items():
        found = directive(key)
        if found is None:
            chain.state = None
            new_key = substitute(key, scope) if "${{" in key else key
            new_key = new_key if isinstance(new_key, str) else key
            out[new_key] = expand(value, scope)
            out.key_origins[new_key] = node.where(key)
            continue
        for branch, branch_scope in _branches(*found, value, scope, chain):
            expanded = expand(branch, branch_scope)
            if isinstance(expanded, dict):
                out.update(expanded)
                if isinstance(expanded, YMap):
                    out.key_origins.update(expanded.key_origins)
    return out


def _expand_list(node: YList, scope: Mapping[str, Any]) -> YList:
    out = YList(node.origin)
    chain = _Chain()
    for index, item in enumerate(node):
        where = node.where(index)
        found = directive(next(iter(item))) if isinstance(item, YMap) and len(item) == 1 else None
        if found is None:
            chain.state = None
            expanded = expand(item, scope)
            if isinstance(item, str) and isinstance(expanded, list):
                _splice(out, expanded, where)
            else:
                out.append(expanded)
                out.item_origins.append(where)
            continue
        value = next(iter(item.values()))
        for branch, branch_scope in _branches(*found, value, scope, chain):
            expanded = expand(branch, branch_scope)
            if isinstance(expanded, list):
                _splice(out, expanded, where)
            elif isinstance(expanded, dict):
                out.append(expanded)
                out.item_origins.append(where)
    return out


def _splice(out: YList, items: list[Any], where: tuple[str, int, int]) -> None:
    for index, item in enumerate(items):
        out.append(item)
        out.item_origins.append(items.where(index) if isinstance(items, YList) else where)
