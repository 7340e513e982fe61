"""Readiness use cases: the learner's ability and predicted score after every attempt, and its trend."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import numpy as np
from sqlalchemy.orm import Session

from certprep.db import irt as rows
from certprep.domain.catalog import Catalog, FunctionalGroup, Outline
from certprep.domain.exam import usable_in
from certprep.domain.irt import eap, grid
from certprep.domain.items import Bank, max_points
from certprep.domain.plain import to_plain
from certprep.domain.readiness import (
    Readiness,
    ReferenceForm,
    params_for,
    readiness_from_posterior,
    reference_form,
)
from certprep.domain.scaling import mcc_probability
from certprep.services.content import get_bank
from certprep.services.database import Database


def _reference(
    bank: Bank,
    outline: Outline,
    known: dict[str, rows.StoredParameters],
    type_mix: dict[str, float],
    on: date,
) -> ReferenceForm:
    group_index: dict[str, int] = {o.id: gi for gi, g in enumerate(outline.groups) for o in g.objectives}
    in_outline = frozenset(group_index)
    items = [i for i in bank.items if usable_in(i, in_outline, on=on) and not i.meta.pilot]
    params = params_for(
        [i.meta.id for i in items],
        {k: (v.a, v.d, v.c) for k, v in known.items()},
        {i.meta.id: i.meta.difficulty for i in items},
    )
    return reference_form(
        params,
        [max_points(i) for i in items],
        [group_index[i.meta.objective] for i in items],
        [i.type for i in items],
        [mcc_probability(i) for i in items],
        [(g.weight[0] + g.weight[1]) / 2 for g in outline.groups],
        type_mix,
    )


# Built once per bank, catalog, exam and parameter set; the entry holds the bank and catalog themselves, so their
# ids cannot be reused by other objects while the entry lives.
_FORMS: dict[tuple[int, int, str, int, date], tuple[Bank, Catalog, ReferenceForm]] = {}


def reference_for(
    bank: Bank, catalog: Catalog, exam: str, known: dict[str, rows.StoredParameters], *, on: date
) -> ReferenceForm:
    """The blueprint reference form of an exam over a bank, with current parameters (or author priors); cached,
    since every submission asks for it and it only changes with the bank or a calibration."""
    key = (id(bank), id(catalog), exam, hash(tuple(sorted((k, v.a, v.d, v.c) for k, v in known.items()))), on)
    cached = _FORMS.get(key)
    if cached is not None and cached[0] is bank and cached[1] is catalog:
        return cached[2]
    sim = catalog.certification(exam).exam.simulation
    form = _reference(bank, catalog.outline(exam), known, dict(sim.type_mix) if sim else {"single": 1.0}, on)
    if len(_FORMS) > 64:
        _FORMS.clear()
    _FORMS[key] = (bank, catalog, form)
    return form


def estimate(
    session: Session, *, catalog: Catalog, bank: Bank, learner_id: str, on: date, exam: str = "AZ-400"
) -> Readiness | None:
    """The learner's readiness on a day from every scored response so far (None before the first response)."""
    first = rows.first_scores(session, learner_id)  # the first answer: later repeats are not fresh evidence
    if not first:
        return None
    outline = catalog.outline(exam)
    known = rows.current_parameters(session)
    difficulty = {i.meta.id: i.meta.difficulty for i in bank.items}
    latest = {item: first[item] for item in sorted(first) if item in difficulty}
    ids = list(latest)
    if not ids:
        return None
    params = params_for(ids, {k: (v.a, v.d, v.c) for k, v in known.items()}, difficulty)
    g = grid()
    overall = eap(np.array([[latest[i] for i in ids]]), params, g)
    group_of: dict[str, FunctionalGroup] = {o.id: grp for grp in outline.groups for o in grp.objectives}
    objective = {i.meta.id: i.meta.objective for i in bank.items}
    groups = []
    for grp in outline.groups:
        idx = [n for n, i in enumerate(ids) if group_of.get(objective[i]) is grp]
        if idx:
            sub = eap(np.array([[latest[ids[n]] for n in idx]]), params.take(idx), g)
            groups.append((grp.id, grp.title, float(sub.theta[0]), float(sub.sd[0]), len(idx)))
        else:
            groups.append((grp.id, grp.title, 0.0, 1.0, 0))
    form = reference_for(bank, catalog, exam, known, on=on)
    sim = catalog.certification(exam).exam.simulation
    return readiness_from_posterior(
        overall.posterior[0],
        g,
        form,
        responses=len(ids),
        groups=groups,
        form_items=sim.scored_items if sim else 50,
    )


def record_readiness(
    session: Session, *, catalog: Catalog, bank: Bank, learner_id: str, attempt_id: str | None, now: datetime
) -> dict[str, Any] | None:
    """Estimate and store readiness (called when an attempt ends); returns it as plain data."""
    r = estimate(session, catalog=catalog, bank=bank, learner_id=learner_id, on=now.date())
    if r is None:
        return None
    content: dict[str, Any] = to_plain(r)
    rows.add_readiness(session, learner_id, attempt_id, content, now)
    return content


def get_readiness(
    db: Database, *, catalog: Catalog, learner_id: str, today: date, bank: Bank | None = None
) -> dict[str, Any]:
    """The dashboard: current readiness (recomputed from every response) and the stored trend."""
    with db.transaction() as session:
        current = estimate(session, catalog=catalog, bank=bank or get_bank(), learner_id=learner_id, on=today)
        history = rows.readiness_history(session, learner_id)
    return {"current": to_plain(current) if current else None, "trend": history}
