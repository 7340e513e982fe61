"""The exam page's HTML form <-> an answer in display labels (what `answer_item` takes), and prompts with hot-area
drop-downs placed inside the code they complete.

Every item type is answered with native controls (radio buttons, check boxes, selects), so the keyboard and screen
readers work without any script; `exam.js` only adds dragging with the mouse on top of the same selects.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from markupsafe import Markup, escape

from certprep.domain.presentation import blank_numbers
from certprep.errors import InvalidInput
from certprep.packs.markdown import render_markdown

BLANK = re.compile(r"\[\[blank:([A-Za-z0-9_.-]{1,64})\]\]")


def _one(form: Mapping[str, Sequence[str]], name: str) -> str:
    values = [v for v in form.get(name, []) if v]
    if len(values) > 1:
        raise InvalidInput("this item takes one answer: choose a single option", field=name)
    return values[0] if values else ""


def _build_list(shown: dict[str, Any], form: Mapping[str, Sequence[str]]) -> list[str] | None:
    steps: dict[int, str] = {}
    for option in shown["options"]:
        value = _one(form, f"step-{option['label']}")
        if not value:
            continue
        if not value.isdigit() or not 1 <= int(value) <= len(shown["options"]):
            raise InvalidInput(f"step {value!r} for {option['label']} is not a step number", field="steps")
        if int(value) in steps:
            raise InvalidInput(
                f"{steps[int(value)]} and {option['label']} are both step {value}: give each step one action",
                field="steps",
            )
        steps[int(value)] = option["label"]
    if not steps:
        return None
    missing = [n for n in range(1, max(steps) + 1) if n not in steps]
    if missing:
        raise InvalidInput(
            f"step {missing[0]} has no action: number the steps 1, 2, 3... in order", field="steps"
        )
    return [steps[n] for n in sorted(steps)]


def response_from_form(shown: dict[str, Any], form: Mapping[str, Sequence[str]]) -> Any:
    """The response in display labels, or None when nothing was chosen (the learner only moved or marked)."""
    kind = shown["type"]
    if kind == "single":
        return _one(form, "choice") or None
    if kind == "multiple":
        return sorted({v for v in form.get("choice", []) if v}) or None
    if kind == "build-list":
        return _build_list(shown, form)
    if kind == "drag-drop":
        pairs = {t["label"]: _one(form, f"target-{t['label']}") for t in shown["targets"]}
        return {k: v for k, v in pairs.items() if v} or None
    if kind == "hot-area":
        picks = {b["id"]: _one(form, f"blank-{b['id']}") for b in shown["blanks"]}
        return {k: v for k, v in picks.items() if v} or None
    if kind == "yes-no":
        value = _one(form, "yesno")
        if value and value not in ("yes", "no"):
            raise InvalidInput("answer yes or no", field="yesno")
        return value or None
    raise InvalidInput(f"unknown item type {kind!r}", field="type")  # pragma: no cover


def _select(blank: dict[str, Any], number: int, total: int, chosen: str | None, disabled: bool) -> str:
    options = ['<option value="">choose…</option>'] + [
        f'<option value="{escape(o["label"])}"{" selected" if o["label"] == chosen else ""}>'
        f"{escape(o['text'])}</option>"
        for o in blank["options"]
    ]
    return (
        f'<select class="blank" name="blank-{escape(blank["id"])}" '
        f'aria-label="Blank {number} of {total}"{" disabled" if disabled else ""}>{"".join(options)}</select>'
    )


def prompt_html(shown: dict[str, Any], answer: Any = None, *, disabled: bool = False) -> Markup:
    """The prompt as safe HTML; in a hot-area item each `[[blank:id]]` becomes a drop-down where it stands."""
    html = render_markdown(shown["prompt"])
    blanks = {b["id"]: b for b in shown.get("blanks", [])}
    if not blanks:
        return Markup(html)
    numbers = blank_numbers(shown)  # as the terminal and the reports number them
    chosen = answer if isinstance(answer, dict) else {}

    def control(m: re.Match[str]) -> str:
        blank = blanks.get(m.group(1))
        if blank is None:
            return m.group(0)
        return _select(blank, numbers[blank["id"]], len(blanks), chosen.get(blank["id"]), disabled)

    return Markup(BLANK.sub(control, html))


def markdown_html(text: str) -> Markup:
    """Pack Markdown (case-study tabs, explanations) as safe HTML."""
    return Markup(render_markdown(text))
