"""Adaptive practice: next item by maximum Fisher information at the current ability, with content balancing to
the blueprint weights and exposure control, and the stopping rules (standard error, length, a confident
pass/fail decision by the sequential probability ratio test).

Selection (Weiss, 1982, "Improving measurement quality and efficiency with adaptive testing", Applied
Psychological Measurement 6, 473-492): information of every item at the current EAP, restricted to items not yet
given and to the functional group furthest below its blueprint share (Kingsbury and Zara, 1989, Applied
Measurement in Education 2, 359-375). Exposure: randomesque (Kingsbury and Zara, 1989) picks at random among the
k most informative; Sympson-Hetter (1985) admits a selected item with probability k_i, else sets it aside for this
session and selects again. SPRT (Reckase, 1983; Eggen, 1999, Applied Psychological Measurement 23, 249-261):
log L(theta_cut + delta) - log L(theta_cut - delta) against log((1 - beta) / alpha) and log(beta / (1 - alpha)).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
from numpy.typing import NDArray

from certprep.domain.irt import Grid, Params, grid, log_posterior_update, summarize

F = NDArray[np.float64]


@dataclass
class Pool:
    """An item bank as arrays: parameters, functional group of each item, blueprint shares per group.

    The hot arrays are float32 copies: selection only ranks items, and single precision halves the memory
    traffic of every pass.
    """

    params: Params
    groups: NDArray[np.intp]
    shares: F
    exposure: F | None = None  # Sympson-Hetter admission probabilities; None = no such control

    def __post_init__(self) -> None:
        p = self.params
        self._a = p.a.astype(np.float32)
        self._d = p.d.astype(np.float32)
        self._a2 = (p.a**2).astype(np.float32)
        self._three = bool(np.any(p.c))
        self._group_masks = [(self.groups == g).astype(np.float32) for g in range(len(self.shares))]
        self._buf = np.empty(len(p.a), dtype=np.float32)


@dataclass
class Session:
    """An adaptive session's state: what was given and the log-posterior of ability on the grid."""

    given: NDArray[np.bool_]
    set_aside: NDArray[np.bool_]
    counts: NDArray[np.intp]
    log_post: F
    responses: list[tuple[int, float]] = field(default_factory=list)
    available: NDArray[np.float32] = field(default_factory=lambda: np.empty(0, np.float32))

    def __post_init__(self) -> None:
        if self.available.size != self.given.size:
            self.available = (~(self.given | self.set_aside)).astype(np.float32)

    @staticmethod
    def start(pool: Pool, g: Grid) -> Session:
        n = len(pool.params.a)
        return Session(
            np.zeros(n, bool), np.zeros(n, bool), np.zeros(len(pool.shares), np.intp), g.log_weights.copy()
        )

    def block(self, item: int, *, aside: bool = False) -> None:
        (self.set_aside if aside else self.given)[item] = True
        self.available[item] = 0.0

    def clear_set_aside(self) -> None:
        self.available[self.set_aside & ~self.given] = 1.0
        self.set_aside[:] = False


def information_at(pool: Pool, theta: float) -> NDArray[np.float32]:
    """Fisher information of every item at one ability, into a reused buffer (the hot path).

    2PL: a^2 S (1 - S) = a^2 / (2 + 2 cosh(a theta + d)); the 3PL takes the general formula.
    """
    buf = pool._buf
    np.multiply(pool._a, np.float32(theta), out=buf)
    buf += pool._d
    if pool._three:
        p = pool.params
        s = 1.0 / (1.0 + np.exp(-buf.astype(np.float64)))
        prob = p.c + (1 - p.c) * s
        buf[:] = p.a**2 * (prob - p.c) ** 2 * (1 - prob) / ((1 - p.c) ** 2 * prob)
        return buf
    np.cosh(buf, out=buf)
    buf *= np.float32(2.0)
    buf += np.float32(2.0)
    np.divide(pool._a2, buf, out=buf)
    return buf


def select_next(
    pool: Pool,
    session: Session,
    theta: float,
    *,
    rng: np.random.Generator,
    balance: bool = True,
    randomesque: int = 1,
) -> int:
    """The next item: most informative among those allowed, with content balancing and exposure control.

    Information is never negative, so multiplying by the 0/1 availability (and group) masks removes items
    without a separate masking pass; an all-zero result means nothing is left.
    """
    while True:
        info = information_at(pool, theta)
        info *= session.available
        if balance:
            total = session.counts.sum() + 1
            deficit = pool.shares * total - session.counts
            for g in np.argsort(-deficit):
                if np.dot(pool._group_masks[g], session.available) > 0:
                    info *= pool._group_masks[g]
                    break
        choice = int(np.argmax(info))
        if info[choice] <= 0:
            raise ValueError("no item left to give")
        if randomesque > 1:
            best = [choice]
            info[choice] = 0
            for _ in range(randomesque - 1):
                nxt = int(np.argmax(info))
                if info[nxt] <= 0:
                    break
                best.append(nxt)
                info[nxt] = 0
            choice = int(best[int(rng.integers(len(best)))])
        if pool.exposure is None or rng.random() <= pool.exposure[choice]:
            return choice
        session.block(choice, aside=True)


def record(pool: Pool, session: Session, item: int, score: float, g: Grid) -> tuple[float, float]:
    """Add a scored response; returns the new (EAP, posterior SD)."""
    p = pool.params
    session.log_post = log_posterior_update(
        session.log_post, score, float(p.a[item]), float(p.d[item]), float(p.c[item]), g
    )
    session.block(item)
    session.counts[pool.groups[item]] += 1
    session.responses.append((item, score))
    return summarize(session.log_post, g)


Decision = Literal["continue", "precise", "length", "pass", "fail"]


def sprt(
    pool: Pool, session: Session, cut: float, *, delta: float = 0.3, alpha: float = 0.05, beta: float = 0.05
) -> Literal["pass", "fail", "undecided"]:
    """Sequential probability ratio test of ability above or below the cut."""
    p = pool.params
    llr = 0.0
    for item, x in session.responses:
        for sign in (1.0, -1.0):
            z = float(p.a[item]) * (cut + sign * delta) + float(p.d[item])
            pr = float(p.c[item]) + (1 - float(p.c[item])) / (1 + math.exp(-z))
            pr = min(max(pr, 1e-12), 1 - 1e-12)
            llr += sign * (x * math.log(pr) + (1 - x) * math.log(1 - pr))
    if llr >= math.log((1 - beta) / alpha):
        return "pass"
    if llr <= math.log(beta / (1 - alpha)):
        return "fail"
    return "undecided"


def should_stop(
    pool: Pool,
    session: Session,
    sd: float,
    *,
    cut: float | None,
    max_se: float = 0.3,
    max_items: int = 40,
    min_items: int = 5,
) -> Decision:
    """Why the session stops now, or "continue"."""
    n = int(session.given.sum())
    if n >= max_items:
        return "length"
    if n >= min_items and sd <= max_se:
        return "precise"
    if n >= min_items and cut is not None:
        verdict = sprt(pool, session, cut)
        if verdict != "undecided":
            return verdict
    return "continue"


def default_grid() -> Grid:
    return grid()
