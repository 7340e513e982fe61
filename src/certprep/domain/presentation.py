"""What a learner sees of an item (no key, no explanation), label <-> id mapping, and the revealed answer.

Learners see choices under display labels (A, B, C... for options and values, 1, 2, 3... for targets) in the
form's stored order, never the authored option ids, which could hint at the key. A response in those labels reads
as words through `describe_answer` / `answer_parts` (the terminal and the web report use the same), and hot-area
blanks are numbered from 1 in the order the prompt shows them (`blank_numbers`, `fill_blanks`).
"""

from __future__ import annotations

import re
import string
from collections.abc import Mapping, Sequence
from typing import Any

from certprep.domain.items import (
    BuildList,
    DragDrop,
    HotArea,
    Item,
    MultipleResponse,
    Option,
    Response,
    SingleChoice,
    YesNoStatement,
    max_points,
    response_pairs,
)
from certprep.errors import InvalidInput

Order = tuple[tuple[str, tuple[str, ...]], ...]
LETTERS = string.ascii_uppercase


def _order(order: Order, name: str) -> tuple[str, ...]:
    return dict(order).get(name, ())


def _labelled(
    options: tuple[Option, ...], ids: tuple[str, ...], numbers: bool = False
) -> list[dict[str, str]]:
    by_id = {o.id: o for o in options}
    return [
        {"label": str(n + 1) if numbers else LETTERS[n], "text": by_id[i].text} for n, i in enumerate(ids)
    ]


def _label_map(ids: tuple[str, ...], numbers: bool = False) -> dict[str, str]:
    """display label -> id"""
    return {(str(n + 1) if numbers else LETTERS[n]): i for n, i in enumerate(ids)}


def present(item: Item, order: Order) -> dict[str, Any]:
    """The item as a learner sees it before answering."""
    base: dict[str, Any] = {"type": item.type, "prompt": item.prompt, "points": max_points(item)}
    match item:
        case SingleChoice():
            base["options"] = _labelled(item.options, _order(order, "options"))
        case MultipleResponse():
            base |= {"options": _labelled(item.options, _order(order, "options")), "choose": item.choose}
        case BuildList():
            base |= {"options": _labelled(item.options, _order(order, "options")), "place": len(item.key)}
        case DragDrop():
            base |= {
                "values": _labelled(item.values, _order(order, "values")),
                "targets": _labelled(item.targets, _order(order, "targets"), numbers=True),
                "reuse": item.reuse,
            }
        case HotArea():
            base["blanks"] = [
                {"id": b.id, "options": _labelled(b.options, _order(order, b.id))} for b in item.blanks
            ]
        case YesNoStatement():
            base["statement"] = item.statement
    return base


def to_ids(item: Item, order: Order, raw: Any) -> Any:
    """A response written in display labels -> the same response in option ids (validated afterwards)."""

    def one(mapping: dict[str, str], label: Any, what: str) -> str:
        key = str(label).strip().upper()
        if key not in mapping:
            raise InvalidInput(
                f"{label!r} is not a {what} label of this item (labels: {', '.join(mapping)})",
                item=item.meta.id,
            )
        return mapping[key]

    match item:
        case SingleChoice():
            return one(_label_map(_order(order, "options")), raw, "choice")
        case MultipleResponse() | BuildList():
            if not isinstance(raw, list):
                raise InvalidInput("expected a list of labels", item=item.meta.id)
            m = _label_map(_order(order, "options"))
            return [one(m, x, "choice") for x in raw]
        case DragDrop():
            if not isinstance(raw, dict):
                raise InvalidInput("expected a mapping of target numbers to value labels", item=item.meta.id)
            targets = _label_map(_order(order, "targets"), numbers=True)
            values = _label_map(_order(order, "values"))
            return {one(targets, t, "target"): one(values, v, "value") for t, v in raw.items()}
        case HotArea():
            if not isinstance(raw, dict):
                raise InvalidInput("expected a mapping of blank ids to option labels", item=item.meta.id)
            out = {}
            for blank, label in raw.items():
                if blank not in dict(order):
                    raise InvalidInput(f"{blank!r} is not a blank of this item", item=item.meta.id)
                out[blank] = one(_label_map(_order(order, blank)), label, "choice")
            return out
        case YesNoStatement():
            return raw
    return raw  # pragma: no cover


def to_labels(item: Item, order: Order, response: Response | None) -> Any:
    """A stored response (ids) in the learner's display labels, for feedback and reports."""
    if response is None:
        return None

    def inv(name: str, numbers: bool = False) -> dict[str, str]:
        return {v: k for k, v in _label_map(_order(order, name), numbers).items()}

    match item:
        case SingleChoice():
            return inv("options").get(str(response))
        case MultipleResponse():
            assert isinstance(response, frozenset)
            return sorted(inv("options")[i] for i in response)
        case BuildList():
            assert isinstance(response, tuple)
            return [inv("options")[str(i)] for i in response]
        case DragDrop():
            pairs = response_pairs(response)
            return {inv("targets", True)[t]: inv("values")[v] for t, v in pairs.items()}
        case HotArea():
            pairs = response_pairs(response)
            return {b: {v: k for k, v in _label_map(_order(order, b)).items()}[o] for b, o in pairs.items()}
        case YesNoStatement():
            return "yes" if response else "no"
    return None  # pragma: no cover


def key_response(item: Item) -> Response:
    """The key as a response value (ids)."""
    match item:
        case SingleChoice():
            return item.key
        case MultipleResponse():
            return item.key
        case BuildList():
            return item.key
        case DragDrop():
            return tuple(sorted(item.key))
        case HotArea():
            return tuple(sorted((b.id, b.key) for b in item.blanks))
        case YesNoStatement():
            return item.key
    raise AssertionError(item)  # pragma: no cover


def reveal(item: Item, order: Order) -> dict[str, Any]:
    """The key in display labels, the explanation of every choice, and the sources."""
    out: dict[str, Any] = {
        "key": to_labels(item, order, key_response(item)),
        "explanation": item.meta.explanation,
        "sources": [{"url": s.url, "checked": s.checked.isoformat()} for s in item.meta.sources],
    }
    match item:
        case SingleChoice() | MultipleResponse() | BuildList():
            labels = {v: k for k, v in _label_map(_order(order, "options")).items()}
            out["choices"] = [
                {"label": labels[o.id], "text": o.text, "explanation": o.explanation} for o in item.options
            ]
            out["choices"].sort(key=lambda c: c["label"])
        case DragDrop():
            labels = {v: k for k, v in _label_map(_order(order, "targets"), True).items()}
            out["choices"] = [
                {"label": labels[t.id], "text": t.text, "explanation": t.explanation} for t in item.targets
            ]
        case HotArea():
            out["choices"] = [
                {"label": f"{b.id}:{lab}", "text": o.text, "explanation": o.explanation}
                for b in item.blanks
                for lab, oid in _label_map(_order(order, b.id)).items()
                for o in b.options
                if o.id == oid
            ]
        case YesNoStatement():
            out["explanation"] = item.meta.explanation
    return out


# Responses in words: what a person reads on a report, in feedback and in the terminal --------------------------

BLANK = re.compile(r"\[\[blank:([a-z0-9-]+)\]\]")


def blank_numbers(shown: Mapping[str, Any]) -> dict[str, int]:
    """Hot-area blank id -> the number a person reads (1, 2...), in the order the blanks appear in the prompt."""
    ids = [str(b["id"]) for b in shown.get("blanks", [])]
    in_prompt = [b for b in BLANK.findall(str(shown.get("prompt", ""))) if b in ids]
    return {bid: n + 1 for n, bid in enumerate(dict.fromkeys([*in_prompt, *ids]))}


def fill_blanks(shown: Mapping[str, Any], answer: Any = None) -> str:
    """The prompt with each `[[blank:id]]` written `[1: ____]`, or `[1: chosen text]` once answered."""
    numbers = blank_numbers(shown)
    chosen = answer if isinstance(answer, Mapping) else {}
    texts = {str(b["id"]): _texts(b.get("options", [])) for b in shown.get("blanks", [])}

    def one(m: re.Match[str]) -> str:
        bid = m.group(1)
        if bid not in numbers:
            return m.group(0)
        label = chosen.get(bid)
        value = texts[bid].get(str(label), str(label)) if label is not None else "____"
        return f"[{numbers[bid]}: {value}]"

    return BLANK.sub(one, str(shown.get("prompt", "")))


def _texts(options: Sequence[Mapping[str, Any]]) -> dict[str, str]:
    return {str(o["label"]): str(o["text"]) for o in options}


def _choice(options: Sequence[Mapping[str, Any]], label: Any) -> str:
    text = _texts(options).get(str(label))
    return f"{label}. {text}" if text is not None else str(label)


def answer_parts(shown: Mapping[str, Any], answer: Any) -> tuple[str, ...]:
    """A response in display labels (as `to_labels` gives it) as lines a person reads: 'B. Use a service
    connection'; a build list in order ('1) C. ...'); 'target -> value' pairs; 'Blank 1: A. All'; 'Yes'.
    Nothing for no answer."""
    kind = shown.get("type")
    if answer is None or answer in ("", [], {}):
        return ()
    if kind == "yes-no":
        return ("Yes" if answer in (True, "yes") else "No",)
    options = shown.get("options", [])
    if kind == "single":
        return (_choice(options, answer),)
    if kind == "multiple" and isinstance(answer, list | tuple):
        return tuple(_choice(options, a) for a in answer)
    if kind == "build-list" and isinstance(answer, list | tuple):
        return tuple(f"{n}) {_choice(options, a)}" for n, a in enumerate(answer, 1))
    if kind == "drag-drop" and isinstance(answer, Mapping):
        targets, values = shown.get("targets", []), shown.get("values", [])
        order = sorted(answer, key=lambda t: (len(str(t)), str(t)))
        return tuple(f"{_choice(targets, t)} -> {_choice(values, answer[t])}" for t in order)
    if kind == "hot-area" and isinstance(answer, Mapping):
        numbers = blank_numbers(shown)
        blanks = {str(b["id"]): b.get("options", []) for b in shown.get("blanks", [])}
        order = sorted(answer, key=lambda b: numbers.get(str(b), len(numbers) + 1))
        return tuple(
            f"Blank {numbers.get(str(b), b)}: {_choice(blanks.get(str(b), []), answer[b])}" for b in order
        )
    return (str(answer),)


def describe_answer(shown: Mapping[str, Any], answer: Any) -> str:
    """A response in display labels as one line of words ('no answer' when there is none)."""
    return "; ".join(answer_parts(shown, answer)) or "no answer"


def describe_response(item: Item, order: Order, response: Response | None) -> str:
    """A stored response (ids) as one line of words in the learner's display labels."""
    return describe_answer(present(item, order), to_labels(item, order, response))


def outcome(points: int, max_points: int, answered: bool) -> str:
    """'correct', 'incorrect', 'partial (1/2)' or 'not answered'."""
    if not answered:
        return "not answered"
    if points >= max_points:
        return "correct"
    return f"partial ({points}/{max_points})" if points else "incorrect"


def choice_label(shown: Mapping[str, Any], label: str) -> str:
    """A label from `reveal`'s choices as a person reads it: a hot-area 'blank-id:A' becomes 'blank 1: A'."""
    blank, sep, letter = str(label).partition(":")
    if shown.get("type") != "hot-area" or not sep:
        return str(label)
    return f"blank {blank_numbers(shown).get(blank, blank)}: {letter}"
