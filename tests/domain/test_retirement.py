"""An item tied to a topic retiring on day D is in exams on D-1 and out from D: one rule (`usable_in`), used by
form assembly, practice, adaptive sessions and the readiness reference form."""

from __future__ import annotations

import dataclasses
import random
from datetime import date, timedelta

from certprep.domain.catalog import Outline
from certprep.domain.exam import assemble_form, blueprint_for, usable, usable_in
from certprep.domain.items import Bank, CaseStudy, Item, in_service
from certprep.services.content import get_catalog
from tests.factories import generated_bank

D = date(2027, 3, 31)


def tie(item: Item, on: date = D) -> Item:
    return dataclasses.replace(
        item, meta=dataclasses.replace(item.meta, retires_with=("topic",), retires_on=on)
    )


def test_in_service_the_day_before_and_not_on_the_day() -> None:
    outline = get_catalog().outline("AZ-400")
    item = tie(generated_bank(outline, per_objective=1).items[0])
    objectives = frozenset(o.id for o in outline.objectives)
    assert in_service(item.meta, D - timedelta(days=1)) and not in_service(item.meta, D)
    assert usable_in(item, objectives, on=D - timedelta(days=1))
    assert not usable_in(item, objectives, on=D) and not usable_in(item, objectives, on=D + timedelta(days=1))
    assert usable(item, outline, on=D - timedelta(days=1)) and not usable(item, outline, on=D)
    untied = generated_bank(outline, per_objective=1).items[0]
    assert usable_in(untied, objectives, on=date(2999, 1, 1))


def _tied_bank(outline: Outline) -> tuple[Bank, set[str]]:
    """Half of the standalone items, and one item of every case study, tied to a topic retiring on D."""
    bank = generated_bank(outline)
    standalone = [i for i in bank.items if i.meta.container is None]
    tied = {i.meta.id for i in standalone[::2]}
    cases = [CaseStudy(c.id, c.title, c.tabs, (tie(c.items[0]), *c.items[1:])) for c in bank.case_studies]
    tied |= {c.items[0].meta.id for c in cases}
    in_cases = {i.meta.id: i for c in cases for i in c.items}
    items = tuple(in_cases.get(i.meta.id) or (tie(i) if i.meta.id in tied else i) for i in bank.items)
    return dataclasses.replace(bank, items=items, case_studies=tuple(cases)), tied


def test_forms_draw_tied_items_the_day_before_and_none_on_the_day() -> None:
    catalog = get_catalog()
    outline = catalog.outline("AZ-400")
    sim = catalog.certification("AZ-400").exam.simulation
    assert sim is not None
    bank, tied = _tied_bank(outline)
    case_ids = {c.id for c in bank.case_studies}
    before, on_day = set(), set()
    for seed in range(6):
        bp = blueprint_for(outline, sim, scored_items=40)
        _, used = assemble_form(bank, outline, bp, rng=random.Random(seed), last_seen={}, on=D - timedelta(1))
        before |= set(used)
        _, used = assemble_form(bank, outline, bp, rng=random.Random(seed), last_seen={}, on=D)
        on_day |= set(used)
    case_firsts = {c.items[0].meta.id for c in bank.case_studies}
    assert (
        before & (tied - case_firsts) and before & case_firsts
    )  # the day before: drawn, standalone and in cases
    assert not on_day & tied  # on the day, none is
    assert not any(i.startswith(tuple(case_ids)) for i in on_day)  # a case study leaves whole, not in part
