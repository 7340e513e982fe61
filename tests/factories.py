"""A generated item bank over the real current outline: any size, every type, series and case studies.

Items are written the way authors write them: the key first (single, multiple, hot area), a build list's actions
in key order with its distractors last, drag-and-drop values in target order. Whatever a learner sees must not
depend on that order, so a leak of the authored order fails the tests that use these items.
"""

from __future__ import annotations

from datetime import date

from certprep.domain.catalog import Outline
from certprep.domain.items import (
    Bank,
    Blank,
    BuildList,
    CaseStudy,
    DragDrop,
    HotArea,
    Item,
    ItemMeta,
    MultipleResponse,
    Option,
    SingleChoice,
    Source,
    YesNoSeries,
    YesNoStatement,
)

SRC = (Source("https://learn.microsoft.com/en-us/azure/devops/", date(2026, 11, 1)),)
TYPES = ("single", "multiple", "build-list", "drag-drop", "hot-area")


def meta(
    item_id: str, objective: str, difficulty: int, container: str | None = None, **kw: object
) -> ItemMeta:
    return ItemMeta(
        id=item_id,
        objective=objective,
        outline=date(2026, 7, 27),
        difficulty=difficulty,
        author="gen",
        reviewer="gen",
        status="reviewed",
        sources=SRC,
        container=container,
        **kw,
    )  # type: ignore[arg-type]


def opts(prefix: str, n: int) -> tuple[Option, ...]:
    return tuple(Option(f"o{i}", f"{prefix} option {i}", f"why {i}") for i in range(n))


def make_item(kind: str, item_id: str, objective: str, difficulty: int, container: str | None = None) -> Item:
    m = meta(item_id, objective, difficulty, container)
    prompt = f"Generated question {item_id}"
    if kind == "single":
        return SingleChoice(m, prompt, opts(item_id, 4), "o0")
    if kind == "multiple":
        return MultipleResponse(m, prompt, opts(item_id, 5), frozenset({"o0", "o1"}), 2)
    if kind == "build-list":
        return BuildList(m, prompt, opts(item_id, 5), ("o0", "o1", "o2"))
    if kind == "drag-drop":
        return DragDrop(
            m,
            prompt,
            opts(item_id, 4),
            tuple(Option(f"t{i}", f"target {i}", "why") for i in range(3)),
            (("t0", "o0"), ("t1", "o1"), ("t2", "o2")),
            reuse=False,
        )
    return HotArea(
        m,
        prompt + " [[blank:b1]] [[blank:b2]]",
        (Blank("b1", opts("b1", 3), "o0"), Blank("b2", opts("b2", 3), "o0")),
    )


def generated_bank(
    outline: Outline,
    *,
    per_objective: int = 4,
    series_per_group: int = 2,
    cases: int = 2,
    difficulty: int | None = None,
) -> Bank:
    items: list[Item] = []
    for n, obj in enumerate(outline.objectives):
        for k in range(per_objective):
            kind = TYPES[(n + k) % len(TYPES)]
            items.append(make_item(kind, f"gen/{obj.id}/{k}", obj.id, difficulty or (n + k) % 5 + 1))
    series = []
    for g in outline.groups:
        for s in range(series_per_group):
            sid = f"gen/{g.id}/series-{s}"
            statements = tuple(
                YesNoStatement(
                    meta(f"{sid}/s{i}", g.objectives[0].id, difficulty or 3, sid),
                    f"Scenario {sid}",
                    f"Solution {i}",
                    i % 2 == 0,
                    i,
                )
                for i in range(3)
            )
            series.append(YesNoSeries(sid, f"Scenario {sid}", statements))
            items.extend(statements)
    case_list = []
    pipelines = next(g for g in outline.groups if g.id == "pipelines")
    for c in range(cases):
        cid = f"gen/case-studies/case-{c}"
        case_items = tuple(
            make_item(TYPES[i % len(TYPES)], f"{cid}/q{i}", pipelines.objectives[i].id, difficulty or 3, cid)
            for i in range(6)
        )
        case_list.append(
            CaseStudy(cid, f"Case {c}", (("Overview", "A company."), ("Requirements", "Needs.")), case_items)
        )
        items.extend(case_items)
    return Bank(tuple(items), tuple(series), tuple(case_list))


def key_answer(item: Item, shown: dict) -> object:  # type: ignore[type-arg]
    """The key written in the labels the learner was shown (tests only: the server never sends the key early)."""

    def label(options: list[dict], text: str) -> str:  # type: ignore[type-arg]
        return next(o["label"] for o in options if o["text"] == text)

    if isinstance(item, SingleChoice):
        return label(shown["options"], next(o.text for o in item.options if o.id == item.key))
    if isinstance(item, MultipleResponse | BuildList):
        texts = {o.id: o.text for o in item.options}
        keys = sorted(item.key) if isinstance(item, MultipleResponse) else list(item.key)
        return [label(shown["options"], texts[k]) for k in keys]
    if isinstance(item, DragDrop):
        values = {v.id: v.text for v in item.values}
        targets = {t.id: t.text for t in item.targets}
        return {label(shown["targets"], targets[t]): label(shown["values"], values[v]) for t, v in item.key}
    if isinstance(item, HotArea):
        out = {}
        for b, sb in zip(item.blanks, shown["blanks"], strict=True):
            out[b.id] = label(sb["options"], next(o.text for o in b.options if o.id == b.key))
        return out
    assert isinstance(item, YesNoStatement)
    return "yes" if item.key else "no"
