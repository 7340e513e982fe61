"""GIFT (Moodle's plain-text question format): read and write.

Read: `parse_gift` gives each question as GIFT states it (type MC, TF, Matching, Description, Category, Essay,
Short, Numerical; title, format, stem, choices with weight and feedback, `// [id:...]` and `// [tag:...]`
comments); `read_gift` maps them: one `=` answer -> single choice; several positive `%weight%` answers ->
multiple response (choose = their number); TRUE/FALSE -> yes/no statement (a description before them is the
series' scenario); matching -> drag and drop (targets = the left sides, values = the right sides; a value used
twice -> reuse); a missing-word question (`text {=a ~b} text`) -> hot area with one blank; `$CATEGORY:` -> the
objective when its last part names one (else a tag). Essay, short answer and numerical are skipped with a warning.

Write: single, multiple (weights 100/n for keys, -100 for the others), yes/no series (a description, then
TRUE/FALSE questions), drag and drop (matching; unused values as `= -> value`), hot areas of one blank (missing
word), case studies (a description, then the items). Build lists and hot areas of several blanks have no GIFT
form: skipped with a warning. Text is written as `[markdown]` with GIFT's escapes (`\\n` for a line break).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from certprep.domain.items import (
    BuildList,
    CaseStudy,
    DragDrop,
    HotArea,
    Item,
    MultipleResponse,
    Option,
    SingleChoice,
    YesNoSeries,
)
from certprep.interchange.drafts import Draft, build_units, join_tabs, letters
from certprep.interchange.markup import to_markdown
from certprep.interchange.report import (
    MAX_ITEMS,
    ImportDefaults,
    Lost,
    Parsed,
    Unit,
    Written,
    import_text,
)

_SPECIAL = "~=#{}:"
_FORMAT = re.compile(r"^\[(html|moodle|plain|markdown)\]")
_META = re.compile(r"\[(id|tag):([^\]]+)\]")
_WEIGHT = re.compile(r"^%(-?\d+(?:\.\d+)?)%")


@dataclass
class GiftChoice:
    text: str
    correct: bool
    weight: float | None
    feedback: str | None
    match: str | None = None


@dataclass
class GiftQuestion:
    type: str
    line: int
    title: str | None = None
    format: str = "moodle"
    stem: str = ""
    ident: str | None = None
    tags: list[str] = field(default_factory=list)
    choices: list[GiftChoice] = field(default_factory=list)
    is_true: bool = False
    true_feedback: str | None = None
    false_feedback: str | None = None
    global_feedback: str | None = None
    embedded: bool = False
    tail: str = ""


def unescape(text: str, keep_lines: bool = False) -> str:
    """GIFT escapes resolved; a line break in moodle/plain text (with the indentation around it) reads as one
    space, while markdown and html text keep their lines."""
    if not keep_lines:
        text = re.sub(r"[ \t]*\n\s*", " ", text)
    out, i = [], 0
    while i < len(text):
        c = text[i]
        if c == "\\" and i + 1 < len(text):
            nxt = text[i + 1]
            if nxt == "n":
                out.append("\n")
                i += 2
                continue
            if nxt in _SPECIAL or nxt == "\\":
                out.append(nxt)
                i += 2
                continue
        out.append(c)
        i += 1
    return "".join(out)


def escape(text: str) -> str:
    out = text.replace("\\", "\\\\")
    for c in _SPECIAL:
        out = out.replace(c, "\\" + c)
    return out.replace("\r", "").replace("\n", "\\n")


def _find(text: str, chars: str, start: int = 0) -> int:
    """Index of the first unescaped character of `chars` from start, or -1."""
    i = start
    while i < len(text):
        if text[i] == "\\":
            i += 2
            continue
        if text[i] in chars:
            return i
        i += 1
    return -1


def _blocks(text: str) -> list[tuple[int, list[str], str]]:
    """(first line, comment lines, text) per question: blank lines outside braces separate questions."""
    out: list[tuple[int, list[str], str]] = []
    lines: list[str] = []
    comments: list[str] = []
    depth, first = 0, 0
    for n, raw in enumerate(text.replace("\r\n", "\n").split("\n"), start=1):
        stripped = raw.strip()
        if depth == 0 and stripped.startswith("//"):
            comments.append(stripped)
            continue
        if not stripped and depth == 0:
            if lines:
                out.append((first, comments, "\n".join(lines)))
                comments = []
            lines = []
            continue
        if not lines:
            first = n
        lines.append(raw)
        i = 0
        while i < len(raw):
            if raw[i] == "\\":
                i += 2
                continue
            depth += {"{": 1, "}": -1}.get(raw[i], 0)
            i += 1
        depth = max(depth, 0)
    if lines:
        out.append((first, comments, "\n".join(lines)))
    return out


def parse_gift(text: str) -> list[GiftQuestion]:
    """Every question of a GIFT text, as the file states it."""
    questions = []
    for line, comments, block in _blocks(text):
        q = _question(block.strip(), line)
        for c in comments:
            for kind, value in _META.findall(c):
                if kind == "id":
                    q.ident = value.strip()
                else:
                    q.tags.append(value.strip())
        questions.append(q)
    return questions


def _question(block: str, line: int) -> GiftQuestion:
    if block.startswith("$CATEGORY:"):
        return GiftQuestion("Category", line, title=block[len("$CATEGORY:") :].strip())
    q = GiftQuestion("Description", line)
    rest = block
    if rest.startswith("::"):
        end = rest.find("::", 2)
        while end != -1 and rest[end - 1] == "\\":
            end = rest.find("::", end + 1)
        if end != -1:
            q.title = unescape(rest[2:end].strip())
            rest = rest[end + 2 :].lstrip()
    m = _FORMAT.match(rest)
    if m:
        q.format = m.group(1)
        rest = rest[m.end() :]
    open_at = _find(rest, "{")
    if open_at == -1:
        q.stem = unescape(rest.strip(), q.format in ("markdown", "html"))
        return q
    close_at = _find(rest, "}", open_at)
    close_at = len(rest) if close_at == -1 else close_at
    keep = q.format in ("markdown", "html")
    q.stem = unescape(rest[:open_at].strip(), keep)
    q.tail = unescape(rest[close_at + 1 :].strip(), keep)
    q.embedded = bool(q.tail)
    if q.embedded:
        q.stem = f"{q.stem} _____ {q.tail}"
    _answers(q, rest[open_at + 1 : close_at].strip(), keep)
    return q


def _answers(q: GiftQuestion, body: str, keep: bool) -> None:
    general = body.find("####")
    if general != -1:
        q.global_feedback = unescape(body[general + 4 :].strip()) or None
        body = body[:general].strip()
    if not body:
        q.type = "Essay"
        return
    tf = re.match(r"^(TRUE|FALSE|T|F)\b", body)
    if tf:
        q.type = "TF"
        q.is_true = tf.group(1).startswith("T")
        feedback = _split(body[tf.end() :], "#")
        parts = [unescape(f).strip() or None for f in feedback[1:]]
        q.true_feedback = parts[0] if parts else None
        q.false_feedback = parts[1] if len(parts) > 1 else None
        return
    if body.startswith("#"):
        q.type = "Numerical"
        return
    starts = [i for i in _positions(body, "~=")]
    for k, at in enumerate(starts):
        piece = body[at + 1 : starts[k + 1] if k + 1 < len(starts) else len(body)].strip()
        q.choices.append(_choice(piece, body[at] == "=", keep))
    wrong = any(body[at] == "~" for at in starts)
    if not wrong and any("->" in c.text for c in q.choices):
        q.type = "Matching"
        for c in q.choices:
            left, _, right = c.text.partition("->")
            c.text, c.match = left.strip(), right.strip()
    else:
        q.type = "MC" if wrong else "Short"


def _positions(text: str, chars: str) -> list[int]:
    out: list[int] = []
    i = 0
    while True:
        i = _find(text, chars, i)
        if i == -1:
            return out
        out.append(i)
        i += 1


def _split(text: str, char: str) -> list[str]:
    parts, start = [], 0
    for at in _positions(text, char):
        parts.append(text[start:at])
        start = at + 1
    parts.append(text[start:])
    return parts


def _choice(piece: str, correct: bool, keep: bool) -> GiftChoice:
    weight = None
    m = _WEIGHT.match(piece)
    if m:
        weight = float(m.group(1))
        weight = int(weight) if weight.is_integer() else weight
        piece = piece[m.end() :]
    feedback = None
    hash_at = _find(piece, "#")
    if hash_at != -1:
        feedback = unescape(_FORMAT.sub("", piece[hash_at + 1 :].strip()), keep).strip() or None
        piece = piece[:hash_at]
    piece = piece.strip()
    m = _FORMAT.match(piece)
    if m:
        keep = m.group(1) in ("markdown", "html")
    text = unescape(_FORMAT.sub("", piece).strip(), keep)
    return GiftChoice(text, correct and weight is None, weight, feedback)


# Reading into certprep ------------------------------------------------------------------------------


def read_gift(data: bytes, defaults: ImportDefaults, file: str = "import.gift") -> Parsed:
    """A GIFT file -> units, warnings and problems."""
    text, problem = import_text(data, file)
    if problem is not None:
        return Parsed((), (), (problem,))
    assert text is not None
    questions = parse_gift(text)
    if len(questions) > MAX_ITEMS:
        return Parsed((), (), (f"{file}: {len(questions)} questions is over the {MAX_ITEMS} limit",))
    drafts: list[Draft] = []
    skipped: list[Lost] = []
    category: str | None = None
    for q in questions:
        if q.type == "Category":
            category = q.title
            continue
        d = _draft(q, f"{file}:{q.line}", category)
        if d is None:
            skipped.append(
                Lost(
                    q.ident or q.title or f"{file}:{q.line}",
                    f"skipped: GIFT {q.type} questions have no certprep type",
                )
            )
        else:
            drafts.append(d)
    parsed = build_units(drafts, defaults)
    return Parsed(parsed.units, (*skipped, *parsed.warnings), parsed.problems)


def _draft(q: GiftQuestion, where: str, category: str | None) -> Draft | None:
    lost: list[str] = []
    stem = to_markdown(q.stem, q.format, lost, "question text")
    d = Draft(where, "description", stem, ident=q.ident, title=q.title, category=category, tags=list(q.tags))
    d.explanation = to_markdown(q.global_feedback or "", q.format, lost, "general feedback")
    d.lost = lost
    if q.type == "Description":
        return d
    if q.type == "TF":
        d.kind, d.yes = "yes-no", q.is_true
        right = q.true_feedback if q.is_true else q.false_feedback
        d.explanation = d.explanation or right or q.true_feedback or q.false_feedback or ""
        return d
    ids = letters(len(q.choices))
    opts = [
        Option(
            i,
            to_markdown(c.text, q.format, lost, "answer text"),
            to_markdown(c.feedback or "", q.format, lost, "feedback"),
        )
        for i, c in zip(ids, q.choices, strict=True)
    ]
    if q.type == "MC" and q.embedded:
        before = to_markdown(q.stem.rsplit(" _____ ", 1)[0], q.format, lost, "question text")
        d.kind, d.prompt = "hot-area", f"{before} [[blank:b1]] {q.tail}".strip()
        from certprep.domain.items import Blank

        key = next((i for i, c in zip(ids, q.choices, strict=True) if c.correct), "")
        d.blanks = [Blank("b1", tuple(opts), key)]
        return d
    if q.type == "MC":
        positive = [i for i, c in zip(ids, q.choices, strict=True) if c.correct or (c.weight or 0) > 0]
        d.options = opts
        d.key = positive
        if len(positive) == 1:
            d.kind = "single"
        else:
            d.kind, d.choose = "multiple", len(positive)
            if any(c.weight is not None and c.weight < 0 for c in q.choices):
                lost.append("negative weights dropped: certprep never takes points away")
        return d
    if q.type == "Matching":
        return _matching(d, q, lost)
    return None


def _matching(d: Draft, q: GiftQuestion, lost: list[str]) -> Draft:
    values: dict[str, str] = {}
    targets: list[Option] = []
    pairs: list[tuple[str, str]] = []
    for c in q.choices:
        answer = c.match or ""
        if answer not in values:
            values[answer] = f"v{len(values) + 1}"
        if c.text:
            tid = f"t{len(targets) + 1}"
            targets.append(
                Option(tid, to_markdown(c.text, q.format, lost, "matching text"), c.feedback or "")
            )
            pairs.append((tid, values[answer]))
    d.kind = "drag-drop"
    d.options = [Option(vid, text) for text, vid in values.items()]
    d.targets, d.pairs = targets, pairs
    used = [v for _, v in pairs]
    d.reuse = len(set(used)) != len(used)
    return d


# Writing ---------------------------------------------------------------------------------------------


def write_gift(units: tuple[Unit, ...]) -> Written:
    """Units -> a GIFT text (UTF-8), with a warning for everything GIFT cannot hold."""
    out: list[str] = []
    warnings: list[Lost] = []
    count = 0
    category = None
    for unit in units:
        items = (
            unit.statements
            if isinstance(unit, YesNoSeries)
            else unit.items
            if isinstance(unit, CaseStudy)
            else (unit,)
        )
        objective = items[0].meta.objective if items else None
        if objective != category:
            out.append(f"$CATEGORY: $course$/top/{objective}\n")
            category = objective
        if isinstance(unit, YesNoSeries):
            out.append(f"// [id:{unit.id}]\n[markdown]{escape(unit.prompt)}\n")
            for s in unit.statements:
                warnings.extend(_meta_lost(s, "GIFT"))
                expl = escape(s.meta.explanation)
                out.append(
                    f"// [id:{s.meta.id}]\n[markdown]{escape(s.statement)}{{{'TRUE' if s.key else 'FALSE'}#{expl}#{expl}}}\n"
                )
                count += 1
            continue
        if isinstance(unit, CaseStudy):
            out.append(
                f"// [id:{unit.id}]\n::{escape(unit.title)}::[markdown]{escape(join_tabs(unit.tabs))}\n"
            )
        for item in items:
            text = _item(item, warnings)
            if text is not None:
                out.append(text)
                count += 1
    return Written("\n".join(out).encode("utf-8"), tuple(warnings), count)


def _meta_lost(item: Item, fmt: str) -> list[Lost]:
    return [
        Lost(
            item.meta.id,
            f"{fmt} does not hold difficulty, outline, author, reviewer, status, sources, angoff or IRT "
            "parameters (an import sets them from its defaults)",
        )
    ]


def _item(item: Item, warnings: list[Lost]) -> str | None:
    head = f"// [id:{item.meta.id}]\n" + "".join(f"// [tag:{t}]\n" for t in item.meta.tags)
    general = f"\n####{escape(item.meta.explanation)}" if item.meta.explanation else ""
    match item:
        case SingleChoice():
            answers = "".join(
                f"\n{'=' if o.id == item.key else '~'}{escape(o.text)}#{escape(o.explanation)}"
                for o in item.options
            )
        case MultipleResponse():
            w = _weight(100 / item.choose)
            answers = "".join(
                f"\n~%{w if o.id in item.key else '-100'}%{escape(o.text)}#{escape(o.explanation)}"
                for o in item.options
            )
            if 100 % item.choose:
                warnings.append(Lost(item.meta.id, f"weights rounded to {w}% (GIFT weights are decimals)"))
        case DragDrop():
            answers = _matching_out(item, warnings)
        case HotArea() if len(item.blanks) == 1:
            b = item.blanks[0]
            before, _, after = item.prompt.partition(f"[[blank:{b.id}]]")
            opts = "".join(
                f"{'=' if o.id == b.key else '~'}{escape(o.text)}#{escape(o.explanation)} " for o in b.options
            )
            warnings.extend(_meta_lost(item, "GIFT"))
            warnings.append(
                Lost(item.meta.id, "option and blank ids are not kept (re-lettered a, b, c... on import)")
            )
            return f"{head}[markdown]{escape(before.rstrip())} {{{opts.strip()}{general}}} {escape(after.lstrip())}\n"
        case HotArea() | BuildList():
            why = "a hot area of several blanks" if isinstance(item, HotArea) else "a build list"
            warnings.append(Lost(item.meta.id, f"not exported: GIFT cannot hold {why}"))
            return None
        case _:
            return None
    warnings.extend(_meta_lost(item, "GIFT"))
    if [o.id for o in getattr(item, "options", ())] != letters(len(getattr(item, "options", ()))):
        warnings.append(Lost(item.meta.id, "option ids are not kept (re-lettered a, b, c... on import)"))
    return f"{head}[markdown]{escape(item.prompt)}{{{answers}{general}\n}}\n"


def _weight(w: float) -> str:
    return str(int(w)) if float(w).is_integer() else f"{w:.5f}"


def _matching_out(item: DragDrop, warnings: list[Lost]) -> str:
    values = {v.id: v.text for v in item.values}
    lines = [
        f"\n={escape(t.text)} -> {escape(values[dict(item.key)[t.id]])}"
        for t in item.targets
        if t.id in dict(item.key)
    ]
    used = set(dict(item.key).values())
    lines += [f"\n= -> {escape(v.text)}" for v in item.values if v.id not in used]
    warnings.append(
        Lost(
            item.meta.id,
            "target explanations, value explanations and ids are not kept in a GIFT matching question",
        )
    )
    used_list = list(dict(item.key).values())
    if item.reuse and len(set(used_list)) == len(used_list):
        warnings.append(Lost(item.meta.id, "reuse: true is not kept (no value is used twice)"))
    return "".join(lines)


def gift_plain(q: GiftQuestion) -> dict[str, Any]:
    """A question in the shape of the GIFT grammar's test expectations (for comparing parses)."""
    return {"type": q.type, "title": q.title, "stem": q.stem, "id": q.ident, "tags": q.tags or None}
