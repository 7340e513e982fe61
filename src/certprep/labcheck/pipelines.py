"""Azure Pipelines files: read one with its local templates resolved (`load_pipeline`) and lint it (`lint_pipeline`).

Templates: `template: path.yml` is read relative to the file that names it, `/path.yml` (or `path.yml@self`)
relative to the repository root (the `root` given, else the nearest folder above holding `.git`, else the
pipeline's own folder). `path.yml@other` lives in another repository: it is left unexpanded, without a finding.
Parameters are the template's declared defaults overlaid with the values passed; an undeclared parameter and a
missing required one are findings at the place that passes them.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from certprep.labcheck.document import Document, Origin, YList, YMap, read_document
from certprep.labcheck.expressions import has_macro
from certprep.labcheck.findings import Finding, sorted_findings
from certprep.labcheck.pipeline_model import Job, Pipeline, Stage, Step, Variable
from certprep.labcheck.templates import expand

__all__ = ["Job", "Pipeline", "Stage", "Step", "Variable", "lint_pipeline", "load_pipeline"]

MAX_TEMPLATE_DEPTH = 20
_SECTIONS = ("stages", "jobs", "steps", "variables")


def _repo_root(start: Path) -> Path:
    for folder in (start, *start.parents):
        if (folder / ".git").exists():
            return folder
    return start


class _Resolver:
    """Expands templates depth-first, remembering every document read and every finding."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.findings: list[Finding] = []
        self.documents: dict[str, Document] = {}
        self.templates: list[str] = []

    def read(self, path: Path) -> Document:
        shown = os.path.normpath(str(path))
        if shown not in self.documents:
            self.documents[shown] = read_document(path, shown=shown, text_scalars=True)
            self.findings.extend(self.documents[shown].findings)
            for where in self.documents[shown].aliases:
                message = "YAML anchors and aliases are not supported by Azure Pipelines"
                self.findings.append(Finding(*where, message, "yaml-alias"))
        return self.documents[shown]

    def locate(self, reference: str, including: Path) -> Path | None:
        """The file a `template:` names, or None when it lives in another repository."""
        name, _, repository = reference.partition("@")
        if repository and repository != "self":
            return None
        name = name.strip()
        if name.startswith("/"):
            return self.root / name.lstrip("/")
        return including.parent / name

    def resolve(self, node: Any, path: Path, chain: tuple[str, ...], section: str | None = None) -> Any:
        """`node` with every local template reference below it replaced by the template's content."""
        if isinstance(node, YMap):
            out = YMap(node.origin)
            out.key_origins.update(node.key_origins)
            for key, value in node.items():
                out[key] = self.resolve(value, path, chain, key if key in _SECTIONS else None)
            return out
        if isinstance(node, YList):
            out_list = YList(node.origin)
            for index, item in enumerate(node):
                where = node.where(index)
                if section and isinstance(item, YMap) and isinstance(item.get("template"), str):
                    content = self.include(item, section, path, chain)
                    if content is not None:
                        for inner_index, inner in enumerate(content):
                            out_list.append(inner)
                            out_list.item_origins.append(content.where(inner_index))
                        continue
                out_list.append(self.resolve(item, path, chain))
                out_list.item_origins.append(where)
            return out_list
        return node

    def include(self, item: YMap, section: str, path: Path, chain: tuple[str, ...]) -> YList | None:
        """The expanded `section` of the template `item` names (None: leave the reference as written)."""
        body = self.body(item, path, chain)
        if body is None:
            return None
        content = body[0].get(section)
        if isinstance(content, YMap) and section == "variables":
            content = _variable_list(content)
        if not isinstance(content, YList):
            return YList(item.origin)
        resolved: YList = self.resolve(content, body[1], (*chain, str(body[1])), section)
        return resolved

    def body(self, item: YMap, path: Path, chain: tuple[str, ...]) -> tuple[YMap, Path] | None:
        reference = str(item["template"])
        where = item.where("template")
        target = self.locate(reference, path)
        if target is None:
            return None
        if len(chain) >= MAX_TEMPLATE_DEPTH or os.path.normpath(str(target)) in chain:
            message = f'template "{reference}" includes itself or nests more than {MAX_TEMPLATE_DEPTH} deep'
            self.findings.append(Finding(*where, message, "template-cycle"))
            return None
        if not target.is_file():
            self.findings.append(
                Finding(*where, f'template file "{reference}" not found ({target})', "template-missing")
            )
            return None
        document = self.read(target)
        self.templates.append(os.path.normpath(str(target)))
        if not isinstance(document.data, YMap):
            return YMap(item.origin), target
        scope = self.scope(document.data.get("parameters"), item, reference, where)
        expanded = expand(document.data, {"parameters": scope})
        return expanded, target

    def scope(self, declared: Any, item: YMap, reference: str, where: Origin) -> dict[str, Any]:
        """Template parameters: declared defaults overlaid with what `item` passes, checked."""
        given = item.get("parameters")
        given = given if isinstance(given, dict) else {}
        defaults: dict[str, Any] = {}
        required: list[str] = []
        if isinstance(declared, list):
            for entry in declared:
                if isinstance(entry, dict) and isinstance(entry.get("name"), str):
                    if "default" in entry:
                        defaults[entry["name"]] = entry["default"]
                    else:
                        required.append(entry["name"])
        elif isinstance(declared, dict):
            defaults.update(declared)
        known = set(defaults) | set(required)
        if isinstance(declared, list | dict):
            for name in given:
                if name not in known:
                    spot = given.where(name) if isinstance(given, YMap) else where
                    message = f'template "{reference}" has no parameter "{name}" (it declares: {", ".join(sorted(known)) or "none"})'
                    self.findings.append(Finding(*spot, message, "template-parameter"))
        for name in required:
            if name not in given:
                message = f'template "{reference}" needs the parameter "{name}", which is not passed'
                self.findings.append(Finding(*where, message, "template-parameter"))
        return {**defaults, **given}


def _variable_list(mapping: YMap) -> YList:
    """`name: value` variables as the list form (`- name: ..., value: ...`), positions kept."""
    items = YList(mapping.origin)
    for name, value in mapping.items():
        where = mapping.where(name)
        item = YMap(where, {"name": name, "value": value})
        item.key_origins.update({"name": where, "value": where})
        items.append(item)
        items.item_origins.append(where)
    return items


def _root_scope(data: YMap) -> dict[str, Any]:
    declared = data.get("parameters")
    if isinstance(declared, dict):
        return dict(declared)
    scope: dict[str, Any] = {}
    if isinstance(declared, list):
        for entry in declared:
            if isinstance(entry, dict) and isinstance(entry.get("name"), str) and "default" in entry:
                scope[entry["name"]] = entry["default"]
    return scope


def _root_variables(data: YMap) -> dict[str, Any]:
    """Variables the file itself sets to a plain value: template expressions may read them when compiling
    (`${{ variables.env }}`); groups, templates and values holding macros stay unknown."""
    raw = data.get("variables")
    pairs: list[tuple[Any, Any]] = []
    if isinstance(raw, dict):
        pairs = list(raw.items())
    elif isinstance(raw, list):
        pairs = [(e.get("name"), e.get("value")) for e in raw if isinstance(e, dict) and "name" in e]
    return {
        str(name): value
        for name, value in pairs
        if isinstance(name, str)
        and not name.startswith("${{")
        and isinstance(value, str)
        and not has_macro(value)
    }


def load_pipeline(path: Path, *, root: Path | None = None, shown: str | None = None) -> Pipeline:
    """Read a pipeline (or template) with local templates expanded; problems become findings, never exceptions."""
    resolver = _Resolver(root if root is not None else _repo_root(path.resolve().parent))
    name = shown if shown is not None else os.path.normpath(str(path))
    document = read_document(path, shown=name, text_scalars=True)
    resolver.documents[name] = document
    resolver.findings.extend(document.findings)
    for where in document.aliases:
        resolver.findings.append(
            Finding(*where, "YAML anchors and aliases are not supported by Azure Pipelines", "yaml-alias")
        )
    data = document.data
    if data is not None and not isinstance(data, YMap):
        resolver.findings.append(
            Finding(name, 1, 1, "a pipeline must be a YAML mapping (key: value lines)", "schema")
        )
        data = None
    if isinstance(data, YMap):
        expanded = expand(data, {"parameters": _root_scope(data), "variables": _root_variables(data)})
        data = resolver.resolve(expanded, path, (os.path.normpath(str(path)),))
        extends = data.get("extends")
        if isinstance(extends, YMap) and isinstance(extends.get("template"), str):
            body = resolver.body(extends, path, (os.path.normpath(str(path)),))
            if body is not None:
                inner = resolver.resolve(body[0], body[1], (os.path.normpath(str(path)), str(body[1])))
                merged = YMap(data.origin)
                for source in (data, inner):
                    for key, value in source.items():
                        if key not in ("extends", "parameters"):
                            merged[key] = value
                            merged.key_origins[key] = source.where(key)
                data = merged
    return Pipeline(
        name, data, tuple(resolver.findings), tuple(resolver.templates), tuple(resolver.documents.values())
    )


def lint_pipeline(path: Path, *, root: Path | None = None, shown: str | None = None) -> list[Finding]:
    """Every finding for one Azure Pipelines file: YAML, schema, templates and our rules."""
    from certprep.labcheck.pipeline_rules import pipeline_findings

    pipeline = load_pipeline(path, root=root, shown=shown)
    return sorted_findings([*pipeline.findings, *pipeline_findings(pipeline, path)])
