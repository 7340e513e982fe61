"""YAML documents with positions: mappings and lists that remember where each key and item was written.

`read_document` never raises for a bad file: a missing, huge, binary, undecodable or unparsable file comes back
as a `Document` whose `findings` say what is wrong, with `data` None. Mapping keys are always the text written
(so a GitHub `on:` key stays "on", not True); values are typed YAML scalars, or, with `text_scalars`, the text as
written (Azure Pipelines reads every scalar as a string: `1.10` stays "1.10").
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from certprep.labcheck.findings import Finding

MAX_BYTES = 1_000_000
MAX_ALIASES = 100
MAX_DEPTH = 100
_NULLS = frozenset({"", "~", "null", "Null", "NULL"})

Origin = tuple[str, int, int]
"""(path, line, column), counting from 1."""


class YMap(dict[str, Any]):
    """A YAML mapping that knows where it and each of its keys were written."""

    __slots__ = ("key_origins", "origin")

    def __init__(self, origin: Origin, items: Any = ()) -> None:
        super().__init__(items)
        self.origin = origin
        self.key_origins: dict[str, Origin] = {}

    def where(self, key: str) -> Origin:
        """Where `key` was written, or where the mapping starts."""
        return self.key_origins.get(key, self.origin)


class YList(list[Any]):
    """A YAML sequence that knows where it and each of its items were written."""

    __slots__ = ("item_origins", "origin")

    def __init__(self, origin: Origin, items: Any = ()) -> None:
        super().__init__(items)
        self.origin = origin
        self.item_origins: list[Origin] = []

    def where(self, index: int) -> Origin:
        """Where item `index` was written, or where the sequence starts."""
        if 0 <= index < len(self.item_origins):
            return self.item_origins[index]
        return self.origin


@dataclass(slots=True)
class Document:
    """One YAML file read: its data (None when unreadable), its text, and what went wrong."""

    path: str
    data: Any
    text: str = ""
    findings: list[Finding] = field(default_factory=list)
    aliases: list[Origin] = field(default_factory=list)


def _child(node: Any, part: Any) -> tuple[Origin, Any] | None:
    if isinstance(node, YMap) and isinstance(part, str) and part in node:
        return node.where(part), node[part]
    if isinstance(node, YList) and isinstance(part, int) and 0 <= part < len(node):
        return node.where(part), node[part]
    return None


def locate(data: Any, path: Any, fallback: Origin) -> Origin:
    """Where the value at `path` (keys and indexes from the root) was written: its key, else the nearest above."""
    node, where = data, fallback
    for part in path:
        found = _child(node, part)
        if found is None:
            break
        where, node = found
    return where


def read_text(path: Path, shown: str) -> tuple[str | None, list[Finding]]:
    """A file's text, or the finding saying why it cannot be read as a small UTF-8 text file."""
    try:
        size = path.stat().st_size
        if not path.is_file():
            return None, [Finding(shown, 0, 0, "not a regular file", "unreadable")]
        if size > MAX_BYTES:
            message = f"file is {size:,} bytes, larger than the {MAX_BYTES:,}-byte limit; not linted"
            return None, [Finding(shown, 0, 0, message, "too-large")]
        with path.open("rb") as handle:
            raw = handle.read(MAX_BYTES + 1)  # never more, even if the file grows meanwhile
        if len(raw) > MAX_BYTES:
            message = f"file is larger than the {MAX_BYTES:,}-byte limit; not linted"
            return None, [Finding(shown, 0, 0, message, "too-large")]
    except FileNotFoundError:
        return None, [Finding(shown, 0, 0, "no such file", "unreadable")]
    except OSError as exc:
        return None, [Finding(shown, 0, 0, f"cannot read the file: {exc.strerror or exc}", "unreadable")]
    if b"\x00" in raw[:8192]:
        return None, [Finding(shown, 0, 0, "binary file (contains NUL bytes), not YAML", "not-yaml")]
    try:
        return raw.decode("utf-8-sig"), []
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        return None, [Finding(shown, line, column, "not UTF-8 text: invalid byte sequence", "not-yaml")]


def read_document(path: Path, *, shown: str | None = None, text_scalars: bool = False) -> Document:
    """Read and parse one YAML file with positions; problems become findings, never exceptions."""
    name = shown if shown is not None else str(path)
    text, problems = read_text(path, name)
    if text is None:
        return Document(name, None, findings=problems)
    return parse_document(text, name, text_scalars=text_scalars)


def parse_document(text: str, name: str, *, text_scalars: bool = False) -> Document:
    """Parse YAML text with positions; problems become findings."""
    doc = Document(name, None, text)
    try:
        node = yaml.compose(text, Loader=yaml.CSafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark is not None else (0, 0)
        problem = " ".join(str(part) for part in (exc.context, exc.problem) if part)
        doc.findings.append(Finding(name, line, column, f"not valid YAML: {problem}", "yaml-syntax"))
        return doc
    except yaml.YAMLError as exc:
        doc.findings.append(Finding(name, 0, 0, f"not valid YAML: {exc}", "yaml-syntax"))
        return doc
    if node is None:
        return doc
    if "*" in text:
        doc.aliases.extend(
            (name, event.start_mark.line + 1, event.start_mark.column + 1)
            for event in yaml.parse(text, Loader=yaml.CSafeLoader)
            if isinstance(event, yaml.AliasEvent) and event.start_mark is not None
        )
        if len(doc.aliases) > MAX_ALIASES:
            message = (
                f"{len(doc.aliases)} YAML aliases; more than {MAX_ALIASES} are not expanded (an alias bomb?)"
            )
            doc.findings.append(Finding(name, *doc.aliases[0][1:], message, "yaml-syntax"))
            return doc
    deepest = _deepest(node)
    if deepest is not None:
        where = (name, deepest.start_mark.line + 1, deepest.start_mark.column + 1)
        doc.findings.append(
            Finding(*where, f"YAML nested more than {MAX_DEPTH} levels deep; not checked", "yaml-syntax")
        )
        return doc
    doc.data = _Builder(doc, text_scalars).build(node)
    return doc


def _deepest(root: yaml.Node) -> yaml.Node | None:
    """The first node nested deeper than MAX_DEPTH (walked without recursion), or None."""
    stack: list[tuple[yaml.Node, int]] = [(root, 0)]
    seen: set[int] = set()
    while stack:
        node, depth = stack.pop()
        if depth > MAX_DEPTH:
            return node
        if id(node) in seen or isinstance(node, yaml.ScalarNode):
            continue
        seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            stack.extend((child, depth + 1) for pair in node.value for child in pair)
        elif isinstance(node, yaml.SequenceNode):
            stack.extend((child, depth + 1) for child in node.value)
    return None


class _Builder:
    """Turns composed YAML nodes into YMap/YList/scalars, recording positions and duplicate keys."""

    def __init__(self, doc: Document, text_scalars: bool) -> None:
        self.doc = doc
        self.text_scalars = text_scalars
        self.constructor = yaml.constructor.SafeConstructor()

    def origin(self, node: yaml.Node) -> Origin:
        return (self.doc.path, node.start_mark.line + 1, node.start_mark.column + 1)

    def build(self, node: yaml.Node) -> Any:
        if isinstance(node, yaml.MappingNode):
            return self.mapping(node)
        if isinstance(node, yaml.SequenceNode):
            items = YList(self.origin(node))
            for child in node.value:
                items.append(self.build(child))
                items.item_origins.append(self.origin(child))
            return items
        return self.scalar(node)

    def scalar(self, node: yaml.Node) -> Any:
        if self.text_scalars:
            if getattr(node, "style", None) is None and node.value in _NULLS:
                return None
            return str(node.value)
        try:
            return self.constructor.construct_object(node, deep=True)
        except (yaml.YAMLError, ValueError, TypeError, OverflowError):  # 2024-13-45: a date that is not one
            return str(node.value)

    def mapping(self, node: yaml.MappingNode) -> YMap:
        result = YMap(self.origin(node))
        for key_node, value_node in node.value:
            where = self.origin(key_node)
            if not isinstance(key_node, yaml.ScalarNode):
                message = "a mapping key must be a plain value, not a list or mapping"
                self.doc.findings.append(Finding(*where, message, "yaml-syntax"))
                continue
            key = str(key_node.value)
            if key in result:
                first = result.key_origins[key]
                message = f'duplicate key "{key}" (first written at line {first[1]})'
                self.doc.findings.append(Finding(*where, message, "duplicate-key"))
            result[key] = self.build(value_node)
            result.key_origins[key] = where
        return result
