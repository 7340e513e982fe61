"""Adaptive practice: one item at a time, chosen by maximum information at the learner's current ability, balanced
to the blueprint, with randomesque exposure control; stops when precise, long enough, or the pass/fail decision
is confident (SPRT against the cut ability). Items and answers are stored like any attempt's."""

from __future__ import annotations

import random
import secrets
from dataclasses import dataclass
from datetime import date, datetime

import numpy as np

from certprep.db import attempts as rows
from certprep.db import irt as irt_rows
from certprep.domain.adaptive import Pool, Session, record, select_next, should_stop
from certprep.domain.attempt import Attempt, check_open
from certprep.domain.catalog import Catalog
from certprep.domain.exam import Form, FormEntry, Section, choice_order, usable
from certprep.domain.irt import grid
from certprep.domain.items import Bank, Item
from certprep.domain.readiness import params_for
from certprep.errors import InvalidInput
from certprep.packs.revisions import revision_of
from certprep.services.attempts import AttemptView, open_attempt, submit_row, view_attempt
from certprep.services.bank import store_revisions
from certprep.services.content import get_bank
from certprep.services.database import Database
from certprep.services.forms import store_attempt
from certprep.services.readiness import reference_for


@dataclass(frozen=True, slots=True)
class NextStep:
    position: int | None
    decision: str
    theta: float
    sd: float
    given: int


def start_adaptive(
    db: Database,
    *,
    catalog: Catalog,
    learner_id: str,
    now: datetime,
    max_items: int = 30,
    max_se: float = 0.3,
    exam: str = "AZ-400",
    seed: int | None = None,
    bank: Bank | None = None,
) -> AttemptView:
    """Open an adaptive practice session (its items are chosen one by one by `next_adaptive_item`)."""
    if not 5 <= max_items <= 100:
        raise InvalidInput("an adaptive session gives 5 to 100 items", field="max_items")
    if not 0.1 <= max_se <= 1.0:
        raise InvalidInput("the target standard error must lie between 0.1 and 1.0", field="max_se")
    cert = catalog.certification(exam)
    outline = catalog.outline(cert.exam.code)
    attempt = Attempt(
        id=secrets.token_hex(8),
        learner_id=learner_id,
        mode="adaptive",
        exam=cert.exam.code,
        outline=outline.version,
        status="in-progress",
        started_at=now,
        deadline=None,
        current_section=0,
        sections=(Section(0, "questions", "Adaptive practice"),),
        seed=seed if seed is not None else secrets.randbelow(2**31),
    )
    with db.transaction() as session:
        return store_attempt(
            session,
            attempt=attempt,
            form=Form(attempt.sections, ()),
            items={},
            pack_id=catalog.pack_id,
            extension=0,
            options={"max_items": max_items, "max_se": max_se},
            history={},  # an adaptive session starts with no items: each is added with its history
            now=now,
        )


def _pool_items(bank: Bank, catalog: Catalog, exam: str, *, on: date) -> list[Item]:
    """Standalone, scored items the exam engine would also use on a day (reviewed, on the current outline, not
    retired): the session's first day, so the pool stays the same for the whole session."""
    outline = catalog.outline(exam)
    return [
        i for i in bank.items if usable(i, outline, on=on) and i.meta.container is None and not i.meta.pilot
    ]


def next_adaptive_item(
    db: Database,
    *,
    catalog: Catalog,
    learner_id: str,
    attempt_id: str,
    now: datetime,
    bank: Bank | None = None,
) -> NextStep:
    """The position of the item to answer next (the same one until it is answered), or the end of the session."""
    bank = bank or get_bank()
    g = grid()
    with db.transaction() as session:
        row = open_attempt(
            session,
            learner_id=learner_id,
            attempt_id=attempt_id,
            catalog=catalog,
            now=now,
            bank=bank,
            lock=True,
        )
        attempt = rows.to_attempt(row)
        if attempt.mode != "adaptive":
            raise InvalidInput(f"attempt {attempt_id} is not an adaptive session", field="attempt")
        entries = rows.form_rows(session, attempt_id)
        responses = rows.response_rows(session, attempt_id)
        items = _pool_items(bank, catalog, attempt.exam, on=attempt.started_at.date())
        index = {i.meta.id: n for n, i in enumerate(items)}
        known = irt_rows.current_parameters(session)
        params = params_for(
            [i.meta.id for i in items],
            {k: (v.a, v.d, v.c) for k, v in known.items()},
            {i.meta.id: i.meta.difficulty for i in items},
        )
        outline = catalog.outline(attempt.exam)
        group_index: dict[str, int] = {
            o.id: gi for gi, grp in enumerate(outline.groups) for o in grp.objectives
        }
        shares = np.array([(grp.weight[0] + grp.weight[1]) / 2 for grp in outline.groups], dtype=np.float64)
        pool = Pool(
            params,
            np.array([group_index[i.meta.objective] for i in items], dtype=np.intp),
            shares / shares.sum(),
        )
        state = Session.start(pool, g)
        theta, sd = 0.0, 1.0
        for e in entries:
            if e.position in responses and e.item_id in index:
                theta, sd = record(
                    pool,
                    state,
                    index[e.item_id],
                    responses[e.position].points / max(responses[e.position].max_points, 1),
                    g,
                )
        if attempt.status == "submitted":
            return NextStep(None, row.options.get("decision", "submitted"), theta, sd, len(entries))
        check_open(attempt, now)
        pending = [e for e in entries if e.position not in responses]
        if pending:
            return NextStep(pending[0].position, "continue", theta, sd, len(entries))
        options = row.options
        cut = reference_for(bank, catalog, attempt.exam, known, on=attempt.started_at.date()).cut_ability
        decision = should_stop(
            pool, state, sd, cut=cut, max_se=options["max_se"], max_items=options["max_items"]
        )
        if decision != "continue":
            row.options = {**options, "decision": decision}
            submit_row(session, row, catalog=catalog, bank=bank, at=now, expired=False)
            return NextStep(None, decision, theta, sd, len(entries))
        rng = np.random.default_rng(attempt.seed + len(entries))
        for e in entries:
            if e.item_id in index:
                state.block(index[e.item_id])
        choice = items[select_next(pool, state, theta, rng=rng, balance=True, randomesque=3)]
        position = len(entries)
        # in the same transaction, under the attempt's lock: the revision, the exposure facts and the new entry
        store_revisions(session, items=[choice], pack_id=catalog.pack_id, now=now)
        _, history = rows.item_history(session, learner_id)
        order = choice_order(choice, random.Random(attempt.seed + position))
        entry = FormEntry(position, 0, choice.meta.id, order)
        rows.add_form(session, attempt, [entry], {choice.meta.id: revision_of(choice)}, history)
    return NextStep(position, "continue", theta, sd, position)


__all__ = ["NextStep", "next_adaptive_item", "start_adaptive", "view_attempt"]
