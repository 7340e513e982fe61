"""Moodle XML (the question bank export format): read and write.

Read (`<quiz>` of `<question type=...>`): multichoice (`single` true -> single choice; false -> multiple response,
the answers with a positive fraction are the keys), truefalse (-> a yes/no statement; a description before it is
the series' scenario), matching (-> drag and drop: subquestions are targets, answers values), ordering (-> build
list in the answers' order), gapselect and ddwtos (-> hot area: each `[[n]]` gap a blank whose options are the
choices of its group), description (-> case-study context, or a series' scenario), category (-> the objective
when its last part names one, else a tag). `idnumber` is the item id, `tags` its tags, `generalfeedback` the
explanation (with a `Sources:` list certprep writes), answer `feedback` the option explanations. Other types
(essay, shortanswer, numerical, ...) are skipped with a warning. HTML text is converted to Markdown (a warning).

Write: every certprep type, text in Moodle's `markdown` format. What Moodle cannot hold is a warning per item:
difficulty, outline, author, reviewer, status, IRT; option ids (matching, ordering, gaps); build-list
distractors; drag-and-drop and hot-area explanations.
"""

from __future__ import annotations

import re
from typing import Any
from xml.etree.ElementTree import Element, SubElement, tostring

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
from certprep.interchange.drafts import Draft, build_units, join_tabs, letters, split_sources, with_sources
from certprep.interchange.markup import to_markdown
from certprep.interchange.report import (
    MAX_ITEMS,
    ImportDefaults,
    Lost,
    Parsed,
    Unit,
    Written,
    check_size,
    unit_items,
)
from certprep.interchange.xmlsafe import XmlRefused, parse_xml, text_of

_GAP = re.compile(r"\[\[(\d+)\]\]")
_BLANK = re.compile(r"\[\[blank:([a-z0-9-]+)\]\]")
SKIPPED = "not in the file, set from the import's defaults"


class _Q:
    """One `<question>` element with the helpers the mappers share."""

    def __init__(self, el: Element, where: str) -> None:
        self.el, self.where = el, where
        self.lost: list[str] = []

    def text(self, name: str, what: str) -> str:
        node = self.el.find(name)
        if node is None:
            return ""
        return to_markdown(text_of(node.find("text")), node.get("format", "html"), self.lost, what)

    def field(self, name: str) -> str:
        node = self.el.find(name)
        return (node.text or "").strip() if node is not None else ""


def read_moodle(data: bytes, defaults: ImportDefaults, file: str = "import.xml") -> Parsed:
    """A Moodle XML file -> units, warnings and problems."""
    too_big = check_size(data, file)
    if too_big:
        return Parsed((), (), (too_big,))
    try:
        root = parse_xml(data, file)
    except XmlRefused as exc:
        return Parsed((), (), (str(exc),))
    if root.tag != "quiz":
        return Parsed((), (), (f"{file}: the root element is <{root.tag}>, not Moodle's <quiz>",))
    questions = root.findall("question")
    if len(questions) > MAX_ITEMS:
        return Parsed((), (), (f"{file}: {len(questions)} questions is over the {MAX_ITEMS} limit",))
    drafts: list[Draft] = []
    skipped: list[Lost] = []
    problems: list[str] = []
    category: str | None = None
    for n, el in enumerate(questions, start=1):
        kind = el.get("type", "")
        if kind == "category":
            category = text_of(el.find("category/text")).strip() or None
            continue
        q = _Q(el, f"{file}: question {n}")
        name = text_of(el.find("name/text")).strip()
        if name:
            q.where += f" ({name})"
        mapper = _MAPPERS.get(kind)
        if mapper is None:
            skipped.append(
                Lost(
                    q.field("idnumber") or name or q.where,
                    f"skipped: Moodle {kind!r} questions have no certprep type",
                )
            )
            continue
        try:
            draft = mapper(q)
        except ValueError as exc:
            problems.append(f"{q.where}: {exc}")
            continue
        draft.ident = q.field("idnumber") or None
        draft.title = name or None
        draft.category = category
        draft.tags = [text_of(t).strip() for t in el.findall("tags/tag/text") if text_of(t).strip()]
        explanation, sources = split_sources(q.text("generalfeedback", "general feedback"))
        draft.explanation = explanation or draft.explanation
        if sources:
            draft.meta = {"sources": sources}
        draft.lost = q.lost
        drafts.append(draft)
    parsed = build_units(drafts, defaults)
    return Parsed(parsed.units, (*skipped, *parsed.warnings), (*problems, *parsed.problems))


def _answers(q: _Q) -> list[tuple[float, Option]]:
    out = []
    for n, (oid, a) in enumerate(
        zip(letters(len(q.el.findall("answer"))), q.el.findall("answer"), strict=True)
    ):
        fraction = float(a.get("fraction", "0") or 0)
        text = to_markdown(text_of(a.find("text")), a.get("format", "html"), q.lost, f"answer {n + 1}")
        fb = a.find("feedback")
        expl = (
            to_markdown(text_of(fb.find("text")), fb.get("format", "html"), q.lost, "feedback")
            if fb is not None
            else ""
        )
        out.append((fraction, Option(oid, text, expl)))
    return out


def _multichoice(q: _Q) -> Draft:
    answers = _answers(q)
    keys = [o.id for f, o in answers if f > 0]
    single = q.field("single").lower() in ("true", "1")
    d = Draft(q.where, "single" if single else "multiple", q.text("questiontext", "question text"))
    d.options, d.key, d.choose = [o for _, o in answers], keys, len(keys)
    if single and len(keys) != 1:
        if not keys:
            raise ValueError("no answer has a positive grade")
        best = max(answers, key=lambda fo: fo[0])[1].id
        q.lost.append(f"partial-credit answers dropped: only the full-credit answer {best!r} is the key")
        d.key = [best]
    if not single and any(f < 0 for f, _ in answers) and len(keys) == 1:
        q.lost.append("negative grades dropped: certprep never takes points away")
    return d


def _truefalse(q: _Q) -> Draft:
    answers = _answers(q)
    right = max(answers, key=lambda fo: fo[0])[1] if answers else None
    if right is None:
        raise ValueError("a true/false question needs its answers")
    d = Draft(q.where, "yes-no", q.text("questiontext", "question text"))
    d.yes = right.text.strip().lower() in ("true", "yes")
    d.explanation = right.explanation
    return d


def _matching(q: _Q) -> Draft:
    d = Draft(q.where, "drag-drop", q.text("questiontext", "question text"))
    values: dict[str, str] = {}
    for sub in q.el.findall("subquestion"):
        answer = text_of(sub.find("answer/text")).strip()
        if answer not in values:
            values[answer] = f"v{len(values) + 1}"
        text = to_markdown(text_of(sub.find("text")), sub.get("format", "html"), q.lost, "subquestion")
        if text:
            tid = f"t{len(d.targets) + 1}"
            d.targets.append(Option(tid, text))
            d.pairs.append((tid, values[answer]))
    d.options = [Option(v, t) for t, v in values.items()]
    used = [v for _, v in d.pairs]
    d.reuse = len(set(used)) != len(used)
    return d


def _ordering(q: _Q) -> Draft:
    answers = _answers(q)
    if len({f for f, _ in answers}) == len(answers):
        answers.sort(key=lambda fo: fo[0])
    d = Draft(q.where, "build-list", q.text("questiontext", "question text"))
    d.options = [o for _, o in answers]
    d.key = [o.id for o in d.options]
    return d


def _gaps(q: _Q, choice_tag: str) -> Draft:
    choices = []
    for c in q.el.findall(choice_tag):
        group = c.findtext("group", "1").strip() or "1"
        choices.append((text_of(c.find("text")).strip(), group))
    prompt = q.text("questiontext", "question text")
    blanks: list[Blank] = []

    def blank(m: re.Match[str]) -> str:
        n = int(m.group(1))
        if not 1 <= n <= len(choices):
            raise ValueError(f"gap [[{n}]] names no choice (there are {len(choices)})")
        group = choices[n - 1][1]
        in_group = [(k, t) for k, (t, g) in enumerate(choices, start=1) if g == group]
        ids = letters(len(in_group))
        key = ids[[k for k, _ in in_group].index(n)]
        bid = f"b{len(blanks) + 1}"
        blanks.append(Blank(bid, tuple(Option(i, t) for i, (_, t) in zip(ids, in_group, strict=True)), key))
        return f"[[blank:{bid}]]"

    d = Draft(q.where, "hot-area", _GAP.sub(blank, prompt))
    d.blanks = blanks
    if choice_tag == "dragbox":
        q.lost.append("drag and drop into text became a hot area (a drop-down per gap)")
    return d


_MAPPERS: dict[str, Any] = {
    "multichoice": _multichoice,
    "truefalse": _truefalse,
    "matching": _matching,
    "ordering": _ordering,
    "gapselect": lambda q: _gaps(q, "selectoption"),
    "ddwtos": lambda q: _gaps(q, "dragbox"),
    "description": lambda q: Draft(q.where, "description", q.text("questiontext", "description")),
}


# Writing ---------------------------------------------------------------------------------------------


def _text(parent: Element, name: str, text: str, fmt: str | None = "markdown") -> Element:
    node = SubElement(parent, name)
    if fmt:
        node.set("format", fmt)
    SubElement(node, "text").text = text
    return node


def _question(quiz: Element, kind: str, name: str, text: str, ident: str | None) -> Element:
    q = SubElement(quiz, "question", type=kind)
    _text(q, "name", name, None)
    _text(q, "questiontext", text)
    if ident:
        SubElement(q, "idnumber").text = ident
    return q


def write_moodle(units: tuple[Unit, ...]) -> Written:
    """Units -> a Moodle XML file, with a warning for everything Moodle cannot hold."""
    quiz = Element("quiz")
    warnings: list[Lost] = []
    count = 0
    category = None
    for unit in units:
        items = unit_items(unit)
        objective = items[0].meta.objective if items else None
        if objective != category:
            cat = SubElement(quiz, "question", type="category")
            _text(cat, "category", f"$course$/top/{objective}", None)
            category = objective
        if isinstance(unit, YesNoSeries):
            _question(quiz, "description", unit.id.rsplit("/", 1)[-1], unit.prompt, unit.id)
        elif isinstance(unit, CaseStudy):
            _question(quiz, "description", unit.title, join_tabs(unit.tabs), unit.id)
        for item in items:
            _item(quiz, item, warnings)
            count += 1
    data = b'<?xml version="1.0" encoding="UTF-8"?>\n' + tostring(
        quiz, encoding="utf-8", xml_declaration=False
    )
    return Written(data, tuple(warnings), count)


def _common(q: Element, item: Item, warnings: list[Lost]) -> None:
    _text(q, "generalfeedback", with_sources(item.meta.explanation, item.meta.sources))
    SubElement(q, "defaultgrade").text = "1"
    SubElement(q, "penalty").text = "0"
    SubElement(q, "hidden").text = "0"
    if item.meta.tags:
        tags = SubElement(q, "tags")
        for t in item.meta.tags:
            SubElement(SubElement(tags, "tag"), "text").text = t
    lost = ["difficulty", "outline", "author", "status"]
    m = item.meta
    lost += [
        name
        for name, v in (
            ("reviewer", m.reviewer),
            ("angoff", m.angoff),
            ("IRT parameters", m.irt),
            ("review note", m.review_note),
        )
        if v
    ]
    if m.scoring != "per-component" or m.pilot:
        lost.append("scoring and pilot flags")
    warnings.append(Lost(m.id, "Moodle XML does not hold: " + ", ".join(lost)))


def _answer(q: Element, fraction: str, text: str, feedback: str) -> None:
    a = SubElement(q, "answer", fraction=fraction, format="markdown")
    SubElement(a, "text").text = text
    _text(a, "feedback", feedback)


def _relettered(item: Item, options: tuple[Option, ...], warnings: list[Lost]) -> None:
    if [o.id for o in options] != letters(len(options)):
        warnings.append(Lost(item.meta.id, "option ids are not kept (re-lettered a, b, c... on import)"))


def _item(quiz: Element, item: Item, warnings: list[Lost]) -> None:
    name = item.meta.id.rsplit("/", 1)[-1]
    match item:
        case SingleChoice() | MultipleResponse():
            q = _question(quiz, "multichoice", name, item.prompt, item.meta.id)
            single = isinstance(item, SingleChoice)
            keys = {item.key} if isinstance(item, SingleChoice) else item.key
            share = f"{100 / len(keys):.5f}".rstrip("0").rstrip(".")
            for o in item.options:
                fraction = share if o.id in keys else ("0" if single else "-100")
                _answer(q, fraction, o.text, o.explanation)
            SubElement(q, "single").text = "true" if single else "false"
            SubElement(q, "shuffleanswers").text = "true"
            SubElement(q, "answernumbering").text = "abc"
            _relettered(item, item.options, warnings)
        case YesNoStatement():
            q = _question(quiz, "truefalse", name, item.statement, item.meta.id)
            _answer(q, "100" if item.key else "0", "true", item.meta.explanation)
            _answer(q, "0" if item.key else "100", "false", item.meta.explanation)
        case BuildList():
            q = _question(quiz, "ordering", name, item.prompt, item.meta.id)
            by_id = {o.id: o for o in item.options}
            for n, k in enumerate(item.key, start=1):
                _answer(q, str(n), by_id[k].text, by_id[k].explanation)
            SubElement(q, "layouttype").text = "VERTICAL"
            SubElement(q, "selecttype").text = "ALL"
            SubElement(q, "gradingtype").text = "LONGEST_ORDERED_SUBSET"
            dropped = [o.id for o in item.options if o.id not in item.key]
            if dropped:
                warnings.append(
                    Lost(
                        item.meta.id,
                        f"distractor actions not kept (Moodle ordering orders every answer): {', '.join(dropped)}",
                    )
                )
            if list(item.key) != letters(len(item.key)):
                warnings.append(
                    Lost(item.meta.id, "option ids are not kept (re-lettered a, b, c... on import)")
                )
        case DragDrop():
            q = _question(quiz, "matching", name, item.prompt, item.meta.id)
            values = {v.id: v.text for v in item.values}
            key = dict(item.key)
            for t in item.targets:
                sub = SubElement(q, "subquestion", format="markdown")
                SubElement(sub, "text").text = t.text
                SubElement(SubElement(sub, "answer"), "text").text = values.get(key.get(t.id, ""), "")
            for v in item.values:
                if v.id not in key.values():
                    sub = SubElement(q, "subquestion", format="markdown")
                    SubElement(sub, "text").text = ""
                    SubElement(SubElement(sub, "answer"), "text").text = v.text
            SubElement(q, "shuffleanswers").text = "true"
            warnings.append(
                Lost(
                    item.meta.id,
                    "target and value explanations and ids are not kept in a Moodle matching question",
                )
            )
            used = list(key.values())
            if item.reuse and len(set(used)) == len(used):
                warnings.append(Lost(item.meta.id, "reuse: true is not kept (no value is used twice)"))
        case HotArea():
            _gapselect(quiz, name, item, warnings)
    _common(quiz[-1], item, warnings)


def _gapselect(quiz: Element, name: str, item: HotArea, warnings: list[Lost]) -> None:
    numbers: dict[str, int] = {}
    choices: list[tuple[str, int]] = []
    for g, b in enumerate(item.blanks, start=1):
        for o in b.options:
            choices.append((o.text, g))
            if o.id == b.key:
                numbers[b.id] = len(choices)
    text = _BLANK.sub(lambda m: f"[[{numbers.get(m.group(1), 0)}]]", item.prompt)
    q = _question(quiz, "gapselect", name, text, item.meta.id)
    SubElement(q, "shuffleanswers").text = "true"
    for t, g in choices:
        opt = SubElement(q, "selectoption")
        SubElement(opt, "text").text = t
        SubElement(opt, "group").text = str(g)
    warnings.append(
        Lost(
            item.meta.id,
            "option explanations and blank and option ids are not kept in a Moodle gapselect question",
        )
    )
