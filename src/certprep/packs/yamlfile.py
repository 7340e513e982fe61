"""YAML reading that remembers where every key sits, so problems can be reported as file:line."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

Path_ = tuple[str | int, ...]


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong in a pack, located by file and line; severity error or warning."""

    file: str
    line: int
    message: str
    severity: str = "error"

    def __str__(self) -> str:
        prefix = "" if self.severity == "error" else "warning: "
        return f"{self.file}:{self.line}: {prefix}{self.message}"


@dataclass
class Located:
    """Parsed YAML data plus the line of each key path (1-based)."""

    data: Any
    lines: dict[Path_, int] = field(default_factory=dict)
    line_offset: int = 0

    def line_of(self, path: Sequence[str | int]) -> int:
        """The line of the deepest known prefix of a key path."""
        p = tuple(path)
        while p:
            if p in self.lines:
                return self.lines[p] + self.line_offset
            p = p[:-1]
        return 1 + self.line_offset


class YamlError(Exception):
    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


# libyaml's C parser when PyYAML was built with it (the wheels are), else the pure-Python one: the node tree is
# composed once, kept for line numbers, then constructed into data.
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def parse_yaml(text: str, *, line_offset: int = 0) -> Located:
    """Parse YAML text; raise YamlError with a line number when it does not parse."""
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = (mark.line + 1 if mark else 1) + line_offset
        raise YamlError(line, f"YAML does not parse: {exc.problem or exc}") from exc
    finally:
        loader.dispose()
    lines: dict[Path_, int] = {}
    if node is not None:
        _index(node, (), lines)
    return Located(data, lines, line_offset)


def read_yaml(path: Path) -> Located:
    return parse_yaml(path.read_text(encoding="utf-8"))


def _index(node: yaml.Node, path: Path_, lines: dict[Path_, int]) -> None:
    lines.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else str(key_node.start_mark)
            lines[(*path, key)] = key_node.start_mark.line + 1
            _index(value_node, (*path, key), lines)
    elif isinstance(node, yaml.SequenceNode):
        for i, child in enumerate(node.value):
            _index(child, (*path, i), lines)


def validation_problems(
    exc: ValidationError, located: Located, file: str, base: Path_ = (), tags: frozenset[str] = frozenset()
) -> list[Problem]:
    """Pydantic errors as file:line problems naming the field path (union tags in `tags` left out)."""
    problems = []
    for err in exc.errors():
        loc = tuple(
            x for x in err["loc"] if not (isinstance(x, str) and x.startswith(("function-", "tagged-")))
        )
        loc = tuple(x for x in loc if x not in tags)
        dotted = ".".join(str(x) for x in (*base, *loc)) or "(top level)"
        problems.append(Problem(file, located.line_of((*base, *loc)), f"{dotted}: {err['msg']}"))
    return problems
