"""IMS QTI content packages: QTI 3.0 read and write, QTI 2.1 read (zip with `imsmanifest.xml`).

Mapping (either version; QTI 3 names `qti-choice-interaction`, QTI 2.1 `choiceInteraction`):
- choice interaction, max-choices 1 -> single choice; more -> multiple response (choose = the correct values);
- order interaction -> build list (with `max-choices` below the number of choices the others are distractors);
- match interaction (and associate, read only) -> drag and drop (first match set = values, second = targets;
  a value's `match-max` other than 1 -> reuse);
- inline choice interactions in the body -> a hot area, one blank each; gap match -> a hot area whose blanks
  each offer every gap text (read only);
- a shared stimulus (`qti-assessment-stimulus-ref`) -> a case study (its `## ` headings are tabs) or, when all
  its items are yes/no statements, a yes/no series; a yes/no statement is a choice between `yes` and `no`.

certprep writes each item's metadata (objective, outline, difficulty, author, review, sources, tags, IRT,
explanations per option) as JSON in the manifest's resource metadata (`<certprep:item>`, namespace
`urn:certprep:qti:1`), and the prompt's Markdown verbatim in `<div data-certprep="markdown">`, so a QTI 3 round
trip keeps everything. A package from another tool has none of that: HTML bodies are converted to Markdown, and
the import's defaults fill the metadata (warnings say so). Other interaction types are skipped with a warning.
"""

from __future__ import annotations

import json
import posixpath
import re
from typing import Any
from xml.etree.ElementTree import Element, SubElement, register_namespace, tostring

from certprep.domain.items import (
    Blank,
    BuildList,
    CaseStudy,
    DragDrop,
    HotArea,
    Item,
    MultipleResponse,
    Option,
    SingleChoice,
    YesNoSeries,
    YesNoStatement,
)
from certprep.interchange.archive import ArchiveRefused, read_zip, write_zip
from certprep.interchange.drafts import Draft, build_units, join_tabs
from certprep.interchange.itemfile import meta_plain
from certprep.interchange.markup import html_to_markdown
from certprep.interchange.report import MAX_ITEMS, ImportDefaults, Lost, Parsed, Unit, Written, check_size
from certprep.interchange.xmlsafe import XmlRefused, local, parse_xml, text_of

CP3 = "http://www.imsglobal.org/xsd/qti/qtiv3p0/imscp_v1p1"
ASI3 = "http://www.imsglobal.org/xsd/imsqtiasi_v3p0"
EXT = "urn:certprep:qti:1"
MATCH_CORRECT = "https://purl.imsglobal.org/spec/qti/v3p0/rptemplates/match_correct"
_BLANK = re.compile(r"\[\[blank:([a-z0-9-]+)\]\]")
_NAME = re.compile(r"[^A-Za-z0-9_.-]")

register_namespace("", ASI3)


def _ident(text: str) -> str:
    """A QTI identifier (an XML name) from a certprep id."""
    out = _NAME.sub("_", text.replace("/", "."))
    return out if out[:1].isalpha() or out[:1] == "_" else f"i_{out}"


# Writing (QTI 3.0) ------------------------------------------------------------------------------------


def write_qti3(units: tuple[Unit, ...]) -> Written:
    """Units -> a QTI 3.0 content package (zip bytes); lossless for every certprep type."""
    files: dict[str, bytes] = {}
    resources: list[Element] = []
    count = 0
    for unit in units:
        stimulus: str | None = None
        container: dict[str, Any] | None = None
        if isinstance(unit, YesNoSeries | CaseStudy):
            stimulus = _ident(unit.id)
            title = unit.title if isinstance(unit, CaseStudy) else unit.id.rsplit("/", 1)[-1]
            body = join_tabs(unit.tabs) if isinstance(unit, CaseStudy) else unit.prompt
            href = f"stimuli/{stimulus}.xml"
            files[href] = _stimulus(stimulus, title, body)
            resources.append(_resource(stimulus, "imsqti_stimulus_xmlv3p0", href, None, None))
            container = {
                "kind": "series" if isinstance(unit, YesNoSeries) else "case",
                "id": unit.id,
                "title": title,
            }
        items = (
            unit.statements
            if isinstance(unit, YesNoSeries)
            else unit.items
            if isinstance(unit, CaseStudy)
            else (unit,)
        )
        for item in items:
            ident = _ident(item.meta.id)
            href = f"items/{ident}.xml"
            files[href] = _item(item, ident, stimulus)
            extension = _extension(item, container)
            resources.append(_resource(ident, "imsqti_item_xmlv3p0", href, stimulus, extension))
            count += 1
    manifest = Element(f"{{{CP3}}}manifest", identifier="certprep-export")
    SubElement(SubElement(manifest, f"{{{CP3}}}metadata"), f"{{{CP3}}}schema").text = "QTI Package"
    SubElement(manifest, f"{{{CP3}}}organizations")
    res = SubElement(manifest, f"{{{CP3}}}resources")
    res.extend(resources)
    package = {"imsmanifest.xml": _xml(manifest), **files}
    return Written(write_zip(package), (), count)


def _xml(el: Element) -> bytes:
    body: bytes = tostring(el, encoding="utf-8", xml_declaration=False)
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + body


def _resource(
    ident: str, kind: str, href: str, stimulus: str | None, extension: dict[str, Any] | None
) -> Element:
    r = Element(f"{{{CP3}}}resource", identifier=ident, type=kind, href=href)
    if extension is not None:
        meta = SubElement(r, f"{{{CP3}}}metadata")
        SubElement(meta, f"{{{EXT}}}item").text = json.dumps(extension, ensure_ascii=False, sort_keys=True)
    SubElement(r, f"{{{CP3}}}file", href=href)
    if stimulus:
        SubElement(r, f"{{{CP3}}}dependency", identifierref=stimulus)
    return r


def _extension(item: Item, container: dict[str, Any] | None) -> dict[str, Any]:
    meta = meta_plain(item.meta)
    if item.meta.retires_on is not None:  # the exporting pack's date for them, so a round trip is lossless
        meta["retires_on"] = item.meta.retires_on.isoformat()
    out: dict[str, Any] = {"id": item.meta.id, "type": item.type, "meta": meta}
    out["explanation"] = item.meta.explanation
    if container:
        out["container"] = container
    match item:
        case SingleChoice() | MultipleResponse() | BuildList():
            out["explanations"] = {o.id: o.explanation for o in item.options}
        case DragDrop():
            out["explanations"] = {o.id: o.explanation for o in (*item.values, *item.targets)}
        case HotArea():
            out["explanations"] = {f"{b.id}/{o.id}": o.explanation for b in item.blanks for o in b.options}
    return out


def _stimulus(ident: str, title: str, body: str) -> bytes:
    s = Element(f"{{{ASI3}}}qti-assessment-stimulus", identifier=ident, title=title)
    s.set("xml:lang", "en")
    div = SubElement(SubElement(s, f"{{{ASI3}}}qti-stimulus-body"), f"{{{ASI3}}}div")
    div.set("data-certprep", "markdown")
    div.text = body
    return _xml(s)


def _declare(root: Element, ident: str, cardinality: str, base: str, values: list[str]) -> None:
    d = SubElement(root, f"{{{ASI3}}}qti-response-declaration", identifier=ident, cardinality=cardinality)
    d.set("base-type", base)
    correct = SubElement(d, f"{{{ASI3}}}qti-correct-response")
    for v in values:
        SubElement(correct, f"{{{ASI3}}}qti-value").text = v


def _item(item: Item, ident: str, stimulus: str | None) -> bytes:
    root = Element(f"{{{ASI3}}}qti-assessment-item", identifier=ident, title=item.meta.id.rsplit("/", 1)[-1])
    root.set("adaptive", "false")
    root.set("time-dependent", "false")
    root.set("xml:lang", "en")
    a = f"{{{ASI3}}}"
    match item:
        case SingleChoice() | MultipleResponse() | YesNoStatement():
            keys = (
                [item.key]
                if isinstance(item, SingleChoice)
                else (["yes" if item.key else "no"] if isinstance(item, YesNoStatement) else sorted(item.key))
            )
            _declare(
                root,
                "RESPONSE",
                "single" if len(keys) == 1 and not isinstance(item, MultipleResponse) else "multiple",
                "identifier",
                keys,
            )
        case BuildList():
            _declare(root, "RESPONSE", "ordered", "identifier", list(item.key))
        case DragDrop():
            _declare(root, "RESPONSE", "multiple", "directedPair", [f"{v} {t}" for t, v in item.key])
        case HotArea():
            for b in item.blanks:
                _declare(root, f"B-{b.id}", "single", "identifier", [b.key])
    outcome = SubElement(root, f"{a}qti-outcome-declaration", identifier="SCORE", cardinality="single")
    outcome.set("base-type", "float")
    if stimulus:
        SubElement(
            root, f"{a}qti-assessment-stimulus-ref", identifier=stimulus, href=f"../stimuli/{stimulus}.xml"
        )
    body = SubElement(root, f"{a}qti-item-body")
    prompt = item.statement if isinstance(item, YesNoStatement) else item.prompt
    if not isinstance(item, HotArea):
        div = SubElement(body, f"{a}div")
        div.set("data-certprep", "markdown")
        div.text = prompt
    match item:
        case SingleChoice() | MultipleResponse() | YesNoStatement():
            choice = SubElement(
                body, f"{a}qti-choice-interaction", {"response-identifier": "RESPONSE", "shuffle": "true"}
            )
            choice.set("max-choices", str(item.choose if isinstance(item, MultipleResponse) else 1))
            options = (
                (Option("yes", "Yes"), Option("no", "No"))
                if isinstance(item, YesNoStatement)
                else item.options
            )
            for o in options:
                SubElement(choice, f"{a}qti-simple-choice", identifier=o.id).text = o.text
        case BuildList():
            order = SubElement(
                body, f"{a}qti-order-interaction", {"response-identifier": "RESPONSE", "shuffle": "true"}
            )
            if len(item.key) < len(item.options):
                order.set("max-choices", str(len(item.key)))
                order.set("min-choices", "1")
            for o in item.options:
                SubElement(order, f"{a}qti-simple-choice", identifier=o.id).text = o.text
        case DragDrop():
            match = SubElement(
                body, f"{a}qti-match-interaction", {"response-identifier": "RESPONSE", "shuffle": "true"}
            )
            match.set("max-associations", str(len(item.targets)))
            values = SubElement(match, f"{a}qti-simple-match-set")
            for v in item.values:
                SubElement(
                    values,
                    f"{a}qti-simple-associable-choice",
                    {"identifier": v.id, "match-max": "0" if item.reuse else "1"},
                ).text = v.text
            targets = SubElement(match, f"{a}qti-simple-match-set")
            for t in item.targets:
                SubElement(
                    targets, f"{a}qti-simple-associable-choice", {"identifier": t.id, "match-max": "1"}
                ).text = t.text
        case HotArea():
            _inline(body, item)
    SubElement(root, f"{a}qti-response-processing", template=MATCH_CORRECT)
    return _xml(root)


def _inline(body: Element, item: HotArea) -> None:
    a = f"{{{ASI3}}}"
    div = SubElement(body, f"{a}div")
    div.set("data-certprep", "markdown")
    blanks = {b.id: b for b in item.blanks}
    parts = _BLANK.split(item.prompt)
    div.text = parts[0]
    last: Element | None = None
    for k in range(1, len(parts), 2):
        b = blanks.get(parts[k])
        if b is None:
            continue
        last = SubElement(
            div, f"{a}qti-inline-choice-interaction", {"response-identifier": f"B-{b.id}", "shuffle": "true"}
        )
        for o in b.options:
            SubElement(last, f"{a}qti-inline-choice", identifier=o.id).text = o.text
        last.tail = parts[k + 1]


# Reading (QTI 3.0 and 2.1) ------------------------------------------------------------------------------


def read_qti(
    data: bytes, defaults: ImportDefaults, file: str = "import.zip", *, version: str = "3"
) -> Parsed:
    """A QTI content package (zip) -> units, warnings and problems."""
    too_big = check_size(data, file)
    if too_big:
        return Parsed((), (), (too_big,))
    try:
        files = read_zip(data, file)
    except ArchiveRefused as exc:
        return Parsed((), (), (str(exc),))
    if "imsmanifest.xml" not in files:
        return Parsed(
            (), (), (f"{file}: no imsmanifest.xml at the top of the package (not a QTI content package)",)
        )
    try:
        manifest = parse_xml(files["imsmanifest.xml"], f"{file}/imsmanifest.xml")
        drafts, skipped = _drafts(files, manifest, file, version)
    except XmlRefused as exc:
        return Parsed((), (), (str(exc),))
    except ValueError as exc:
        return Parsed((), (), (str(exc),))
    parsed = build_units(drafts, defaults)
    return Parsed(parsed.units, (*skipped, *parsed.warnings), parsed.problems)


def _drafts(
    files: dict[str, bytes], manifest: Element, file: str, version: str
) -> tuple[list[Draft], list[Lost]]:
    resources = [r for r in manifest.iter() if local(r.tag) == "resource"]
    items = [r for r in resources if "item" in (r.get("type") or "")]
    if len(items) > MAX_ITEMS:
        raise ValueError(f"{file}: {len(items)} items is over the {MAX_ITEMS} limit")
    drafts: list[Draft] = []
    skipped: list[Lost] = []
    stimuli_seen: set[str] = set()
    for r in items:
        href = r.get("href") or next((f.get("href") for f in r if local(f.tag) == "file"), None)
        if not href or href not in files:
            raise ValueError(
                f"{file}/imsmanifest.xml: resource {r.get('identifier')!r} names no file of the package ({href})"
            )
        where = f"{file}/{href}"
        root = parse_xml(files[href], where)
        ext = _extension_of(r)
        for ref in root.iter():
            if local(ref.tag) in ("qti-assessment-stimulus-ref", "assessmentStimulusRef"):
                sid = ref.get("identifier") or ""
                if sid not in stimuli_seen:
                    stimuli_seen.add(sid)
                    target = posixpath.normpath(
                        posixpath.join(posixpath.dirname(href), ref.get("href") or "")
                    )
                    drafts.append(_stimulus_draft(files, target, sid, ext, file))
        draft = _draft(root, where, ext, version)
        if draft is None:
            skipped.append(Lost(root.get("identifier") or where, "skipped: no interaction certprep can map"))
            continue
        for ref in root.iter():
            if local(ref.tag) in ("qti-assessment-stimulus-ref", "assessmentStimulusRef"):
                draft.group = ref.get("identifier")
        drafts.append(draft)
    return drafts, skipped


def _extension_of(resource: Element) -> dict[str, Any] | None:
    for el in resource.iter():
        if el.tag == f"{{{EXT}}}item":
            try:
                value = json.loads(el.text or "")
            except json.JSONDecodeError:
                return None
            return value if isinstance(value, dict) else None
    return None


def _stimulus_draft(
    files: dict[str, bytes], href: str, sid: str, ext: dict[str, Any] | None, file: str
) -> Draft:
    if href not in files:
        raise ValueError(f"{file}: stimulus {sid!r} refers to {href}, which is not in the package")
    root = parse_xml(files[href], f"{file}/{href}")
    lost: list[str] = []
    body = _markdown(
        next((e for e in root.iter() if local(e.tag) in ("qti-stimulus-body", "stimulusBody")), root), lost
    )
    container = (ext or {}).get("container") or {}
    d = Draft(
        f"{file}/{href}",
        "description",
        body,
        ident=container.get("id"),
        title=container.get("title") or root.get("title"),
    )
    d.group, d.lost = sid, lost
    return d


def _markdown(el: Element, lost: list[str]) -> str:
    """The body's text: certprep's Markdown verbatim, or another tool's XHTML converted (noted in `lost`)."""
    for div in el.iter():
        if div.get("data-certprep") == "markdown":
            return div.text or ""
    parts = []
    for child in el:
        if "interaction" in local(child.tag).lower() or "Interaction" in child.tag:
            continue
        raw = tostring(child, encoding="unicode")
        parts.append(re.sub(r"<(/?)(?:\w+:)?(\w+)[^>]*?(/?)>", r"<\1\2\3>", raw))
    html = (el.text or "") + "".join(parts)
    md, dropped = html_to_markdown(html)
    note = "HTML body converted to Markdown" + (
        f" (dropped: {', '.join(sorted(dropped))})" if dropped else ""
    )
    if md:
        lost.append(note)
    return md


def _find_all(root: Element, *names: str) -> list[Element]:
    return [e for e in root.iter() if local(e.tag) in names]


def _correct(root: Element, ident: str) -> list[str]:
    for d in _find_all(root, "qti-response-declaration", "responseDeclaration"):
        if d.get("identifier") == ident:
            return [text_of(v).strip() for v in _find_all(d, "qti-value", "value")]
    return []


def _attr(el: Element, name3: str, name21: str) -> str | None:
    return el.get(name3) or el.get(name21)


def _draft(root: Element, where: str, ext: dict[str, Any] | None, version: str) -> Draft | None:
    body = next(iter(_find_all(root, "qti-item-body", "itemBody")), None)
    if body is None:
        return None
    lost: list[str] = []
    expl = (ext or {}).get("explanations") or {}
    kind = (ext or {}).get("type")
    d = Draft(
        where, "single", "", ident=(ext or {}).get("id") or root.get("identifier"), title=root.get("title")
    )
    d.meta = (ext or {}).get("meta")
    d.explanation = (ext or {}).get("explanation") or ""
    d.lost = lost
    inline = _find_all(body, "qti-inline-choice-interaction", "inlineChoiceInteraction")
    gap = _find_all(body, "qti-gap-match-interaction", "gapMatchInteraction")
    if inline:
        return _hot_area(d, root, body, inline, expl)
    if gap:
        return _gap_match(d, root, gap[0], lost)
    d.prompt = _markdown(body, lost)
    for el in body.iter():
        name = local(el.tag)
        if name in ("qti-choice-interaction", "choiceInteraction"):
            return _choice(d, root, el, expl, kind, lost)
        if name in ("qti-order-interaction", "orderInteraction"):
            d.kind = "build-list"
            d.options = _choices(el, ("qti-simple-choice", "simpleChoice"), expl, lost)
            d.key = _correct(
                root, el.get("responseIdentifier") or el.get("response-identifier") or "RESPONSE"
            )
            return d
        if name in (
            "qti-match-interaction",
            "matchInteraction",
            "qti-associate-interaction",
            "associateInteraction",
        ):
            return _match(d, root, el, expl, lost)
    return None


def _choices(el: Element, names: tuple[str, ...], expl: dict[str, str], lost: list[str]) -> list[Option]:
    out = []
    for c in _find_all(el, *names):
        cid = c.get("identifier") or ""
        text = _markdown(c, lost) if len(c) else (c.text or "").strip()
        out.append(Option(cid, text, expl.get(cid, "")))
    return out


def _prompt_of(el: Element, lost: list[str]) -> str:
    p = next(iter(_find_all(el, "qti-prompt", "prompt")), None)
    return _markdown(p, lost) if p is not None else ""


def _choice(
    d: Draft, root: Element, el: Element, expl: dict[str, str], kind: str | None, lost: list[str]
) -> Draft:
    rid = _attr(el, "response-identifier", "responseIdentifier") or "RESPONSE"
    options = _choices(el, ("qti-simple-choice", "simpleChoice"), expl, lost)
    keys = _correct(root, rid)
    if not d.prompt:
        d.prompt = _prompt_of(el, lost)
    if kind == "yes-no":
        d.kind, d.yes = "yes-no", keys == ["yes"]
        return d
    d.options, d.key = options, keys
    max_choices = int(_attr(el, "max-choices", "maxChoices") or "1")
    if max_choices == 1 and len(keys) == 1:
        d.kind = "single"
    else:
        d.kind, d.choose = "multiple", len(keys)
    return d


def _match(d: Draft, root: Element, el: Element, expl: dict[str, str], lost: list[str]) -> Draft:
    rid = _attr(el, "response-identifier", "responseIdentifier") or "RESPONSE"
    if not d.prompt:
        d.prompt = _prompt_of(el, lost)
    sets = _find_all(el, "qti-simple-match-set", "simpleMatchSet")
    names = ("qti-simple-associable-choice", "simpleAssociableChoice")
    if len(sets) == 2:
        values, targets = (_choices(s, names, expl, lost) for s in sets)
        reuse = any((_attr(c, "match-max", "matchMax") or "1") != "1" for c in _find_all(sets[0], *names))
    else:
        every = _choices(el, names, expl, lost)
        pairs = [v.split() for v in _correct(root, rid)]
        firsts = {p[0] for p in pairs if len(p) == 2}
        values = [o for o in every if o.id in firsts or o.id not in {p[1] for p in pairs if len(p) == 2}]
        targets = [o for o in every if o not in values]
        reuse = False
        lost.append("associate interaction read as drag and drop (the first of each pair is the value)")
    ids = {o.id for o in values}
    pairs_out = []
    for v in _correct(root, rid):
        a, _, b = v.partition(" ")
        pairs_out.append((b, a) if a in ids else (a, b))
    d.kind, d.options, d.targets, d.pairs, d.reuse = "drag-drop", values, targets, pairs_out, reuse
    return d


def _hot_area(d: Draft, root: Element, body: Element, inline: list[Element], expl: dict[str, str]) -> Draft:
    blanks: list[Blank] = []
    ids: dict[int, str] = {}
    for el in inline:
        rid = _attr(el, "response-identifier", "responseIdentifier") or ""
        bid = (
            rid[2:]
            if rid.startswith("B-")
            else _NAME.sub("-", rid.lower()).strip("-") or f"b{len(blanks) + 1}"
        )
        ids[id(el)] = bid
        options = tuple(
            Option(
                c.get("identifier") or "", text_of(c).strip(), expl.get(f"{bid}/{c.get('identifier')}", "")
            )
            for c in _find_all(el, "qti-inline-choice", "inlineChoice")
        )
        key = next(iter(_correct(root, rid)), "")
        blanks.append(Blank(bid, options, key))
    holder = next((e for e in body.iter() if e.get("data-certprep") == "markdown"), None)
    if holder is not None:
        text = [holder.text or ""]
        for child in holder:
            text.append(f"[[blank:{ids.get(id(child), 'x')}]]" if id(child) in ids else "")
            text.append(child.tail or "")
        d.prompt = "".join(text)
    else:
        for el in inline:
            tail = el.tail
            el.clear()
            el.tag, el.text, el.tail = "span", f"[[blank:{ids[id(el)]}]]", tail
        d.prompt = _markdown(body, d.lost)
    d.kind, d.blanks = "hot-area", blanks
    return d


def _gap_match(d: Draft, root: Element, el: Element, lost: list[str]) -> Draft:
    rid = _attr(el, "response-identifier", "responseIdentifier") or "RESPONSE"
    texts = [
        (c.get("identifier") or "", text_of(c).strip()) for c in _find_all(el, "qti-gap-text", "gapText")
    ]
    correct: dict[str, str] = {}
    for v in _correct(root, rid):
        text_id, _, gap_id = v.partition(" ")
        correct[gap_id] = text_id
    blanks = []
    for n, g in enumerate(_find_all(el, "qti-gap", "gap"), start=1):
        gid = g.get("identifier") or f"g{n}"
        bid = _NAME.sub("-", gid.lower()).strip("-") or f"b{n}"
        blanks.append(Blank(bid, tuple(Option(t, x) for t, x in texts), correct.get(gid, "")))
        g.tag, g.text = "span", f"[[blank:{bid}]]"
    for c in _find_all(el, "qti-gap-text", "gapText"):
        tail = c.tail
        c.clear()
        c.tail = tail
    d.prompt = _markdown(el, lost)
    lost.append("gap match read as a hot area: each gap offers every gap text as a drop-down")
    d.kind, d.blanks = "hot-area", blanks
    return d
