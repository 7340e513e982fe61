"""Readiness: a predicted scaled score with an 80% interval and the probability of passing, from the learner's
ability posterior and the item parameters of a blueprint form.

The reference form is the bank's scored items weighted to the blueprint: items fall in cells c (functional group x
item type) weighted W_c = (group share) x (type share) of the exam's simulation data, and the expected share of
points is f(theta) = sum_c W_c M_c Pbar_c(theta) / sum_c W_c M_c, with M_c the cell's mean points per item and
Pbar_c its points-weighted mean probability: what a blueprint form drawn by the exam engine earns on average. Its
cut is the same weighting of the items' minimally-competent probabilities (the engine's cut,
`scaling.mcc_probability`), so the mock exam and the prediction rest on one cut: the cut ability theta_c solves
f(theta_c) = cut. The predicted score at ability theta is `scaling.scale(f(theta), 1, cut)`; the posterior median
of theta gives the prediction and the posterior mass at or above theta_c the pass probability. The posterior on the
grid is read as mass spread evenly over each node's cell (edges halfway between nodes), so a posterior centred on
the cut gives exactly 50% and 700.

The 80% interval is predictive: where the score of a freshly drawn mock exam falls, with the ability's uncertainty
and the form's own variance. At ability theta a form of n items drawn n_c = n W_c from each cell earns points T with
mean sum_c n_c E_c[m p] and variance sum_c n_c (E_c[m p (1 - p)] + f_c Var_c[m p]) (each component right with
probability p; items drawn at random without replacement within a cell of N_c items: the law of total variance
with the finite-population factor f_c = (N_c - n_c) / (N_c - 1)), out of sum_c n_c E_c[m] points.
The share's distribution is the posterior mixture of these normals; its 10% and 90% quantiles, scaled, are the
interval. `expected_low`/`expected_high` are the narrower interval of the expected score (ability only).

Readiness is shown to learners only once the evidence supports it (`evidence_gap`): enough scored items overall
and in every functional group, and a posterior SD small enough that the interval means something.

Before any data, item parameters come from the author's difficulty rating: a = 1, c = 0 and
b_k = 0.5 - logit(p_k), with p_k the engine's minimally-competent probability for difficulty k. A candidate at
theta = 0.5 (about the 69th percentile of N(0, 1)) then answers each item with exactly the engine's probability:
the author prior and the cut table agree by construction.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np
from numpy.typing import NDArray

from certprep.domain.irt import Grid, Params, prob
from certprep.domain.scaling import DIFFICULTY_TABLE, scale

F = NDArray[np.float64]
MCC_THETA = 0.5


def author_prior(difficulty: int) -> tuple[float, float, float]:
    """(a, d, c) for an uncalibrated item of a difficulty rating (see the module docstring)."""
    p = DIFFICULTY_TABLE[difficulty]
    b = MCC_THETA - math.log(p / (1 - p))
    return 1.0, -b, 0.0


@dataclass(frozen=True)
class ReferenceForm:
    """The bank seen as a blueprint form: items grouped in cells (functional group x item type), each cell
    weighted by the blueprint's group share times the type mix, and by its mean points per item."""

    params: Params
    points: F
    cells: NDArray[np.intp]
    weights: F  # per cell: share of the form's items
    mcc: F

    @cached_property
    def _coefficients(self) -> F:
        """k_i = W_c M_c m_i / (sum of m over cell c) / sum_c W_c M_c: the combination is linear in the items."""
        k = np.zeros(len(self.points))
        den = 0.0
        for cell, w in enumerate(self.weights):
            mask = self.cells == cell
            if not mask.any() or w == 0:
                continue
            pts = self.points[mask]
            mean_points = float(pts.mean())
            k[mask] = w * mean_points * pts / pts.sum()
            den += w * mean_points
        return k / den

    def _combine(self, per_item: F) -> F:
        """sum_c W_c M_c mean_c(per_item, points-weighted) / sum_c W_c M_c, for rows of per_item values."""
        return np.asarray(self._coefficients @ per_item, dtype=np.float64)

    def share(self, theta: F) -> F:
        """Expected share of the form's points at each theta."""
        return self._combine(prob(theta, self.params))

    @cached_property
    def cut(self) -> float:
        return float(self._combine(self.mcc))

    @cached_property
    def cut_ability(self) -> float:
        return self.cut_theta()

    def cut_theta(self, lo: float = -6.0, hi: float = 6.0) -> float:
        """The ability whose expected share equals the cut (bisection; the curve is monotone)."""
        target = self.cut
        for _ in range(60):
            mid = (lo + hi) / 2
            if float(self.share(np.array([mid]))[0]) < target:
                lo = mid
            else:
                hi = mid
        return (lo + hi) / 2

    def scaled(self, theta: F) -> NDArray[np.intp]:
        cut = self.cut
        return np.array([scale(float(s), 1.0, cut) for s in self.share(theta)])

    def share_moments(self, theta: F, items: int) -> tuple[F, F]:
        """Mean and SD of the share of points on a freshly drawn `items`-item form, at each theta."""
        p = prob(theta, self.params).T  # (thetas, items)
        expected = p * self.points
        variance = expected * (1 - p)
        mean_points, total_mean, total_var = 0.0, np.zeros(len(theta)), np.zeros(len(theta))
        for cell, w in enumerate(self.weights):
            mask = self.cells == cell
            if not mask.any() or w == 0:
                continue
            n_c, size = items * w, int(mask.sum())
            e = expected[:, mask]
            finite = max(size - n_c, 0.0) / (size - 1) if size > 1 else 0.0  # drawn without replacement
            total_mean += n_c * e.mean(axis=1)
            total_var += n_c * (
                variance[:, mask].mean(axis=1) + finite * e.var(axis=1, ddof=1 if size > 1 else 0)
            )
            mean_points += n_c * float(self.points[mask].mean())
        return total_mean / mean_points, np.sqrt(total_var) / mean_points


def reference_form(
    params: Params,
    points: Sequence[float],
    groups: Sequence[int],
    types: Sequence[str],
    mcc: Sequence[float],
    group_weights: Sequence[float],
    type_mix: Mapping[str, float],
) -> ReferenceForm:
    """Cells of (group, type) weighted by the blueprint; cells the bank lacks drop out and the rest renormalise."""
    kinds = sorted(type_mix)
    index = {(g, k): n for n, (g, k) in enumerate((g, k) for g in range(len(group_weights)) for k in kinds)}
    cells = np.array(
        [index[(g, t if t in type_mix else kinds[0])] for g, t in zip(groups, types, strict=True)],
        dtype=np.intp,
    )
    weights = np.array(
        [group_weights[g] * type_mix[k] for g in range(len(group_weights)) for k in kinds], dtype=np.float64
    )
    present = np.array([np.any(cells == c) for c in range(len(weights))])
    weights = np.where(present, weights, 0.0)
    return ReferenceForm(
        params, np.asarray(points, float), cells, weights / weights.sum(), np.asarray(mcc, float)
    )


MIN_ITEMS = 30  # scored items before readiness is shown to a learner
MIN_PER_GROUP = 3  # ... with at least this many in every functional group
MAX_SD = 0.5  # ... and an ability posterior SD at most this (about +-80 scaled points at the cut)
INFO_PER_ITEM = 0.2  # Fisher information of a typical item near the cut (a = 1, p between 0.3 and 0.7)


@dataclass(frozen=True)
class GroupReadiness:
    """A functional group in words: `level` says where the learner stands against the pass level."""

    group: str
    title: str
    theta: float
    sd: float
    items: int
    level: str


@dataclass(frozen=True)
class Readiness:
    """`low`-`high`: where 80% of fresh mock exam scores fall (predictive); `expected_low`-`expected_high`: the 80%
    interval of the expected score (ability uncertainty only). `supported` is False until the evidence is enough to
    show readiness to a learner; `missing` then says what to do."""

    theta: float
    sd: float
    predicted: int
    low: int
    high: int
    pass_probability: float
    cut_theta: float
    responses: int
    groups: tuple[GroupReadiness, ...] = ()
    expected_low: int = 0
    expected_high: int = 0
    supported: bool = True
    missing: str = ""
    interval: str = "low-high: where 8 in 10 scores of freshly drawn mock exams fall (predictive, 80%)"


def group_level(theta: float, sd: float, items: int, cut_theta: float) -> str:
    """Where a group stands, in words: the posterior probability that the group ability is at or above the cut."""
    if items < MIN_PER_GROUP:
        return "too few answers yet"
    above = 1.0 - float(_normal_cdf(np.array([(cut_theta - theta) / max(sd, 1e-9)]))[0])
    if above >= 0.8:
        return "above the pass level"
    if above <= 0.2:
        return "below the pass level"
    return "near the pass level"


def evidence_gap(responses: int, sd: float, groups: Sequence[tuple[str, int]]) -> str:
    """What is missing before readiness means something ("" when nothing is): items overall, items in the groups
    with too few, and precision (items needed for the SD to reach MAX_SD at INFO_PER_ITEM each)."""
    short = [(title, MIN_PER_GROUP - n) for title, n in groups if n < MIN_PER_GROUP]
    for_groups = sum(k for _, k in short)
    for_precision = math.ceil((1 / MAX_SD**2 - 1 / max(sd, 1e-9) ** 2) / INFO_PER_ITEM) if sd > MAX_SD else 0
    more = max(MIN_ITEMS - responses, for_groups, for_precision, 0)
    if more == 0:
        return ""
    more = max(5, 5 * math.ceil(more / 5))
    text = f"Answer about {more} more questions"
    if short:
        text += " across these groups: " + ", ".join(f"{title} ({k} more)" for title, k in short)
    return text + ". Readiness is shown once there is enough evidence for it to mean something."


def cell_cdf(nodes: F, post: F) -> tuple[F, F]:
    """Cell edges (halfway between nodes, half a step beyond the ends) and the posterior's CDF at each edge."""
    half = np.diff(nodes) / 2
    edges = np.concatenate(([nodes[0] - half[0]], nodes[:-1] + half, [nodes[-1] + half[-1]]))
    return edges, np.concatenate(([0.0], np.cumsum(post)))


def _quantile(nodes: F, post: F, q: float) -> float:
    edges, cdf = cell_cdf(nodes, post)
    return float(np.interp(q, cdf, edges))


def _normal_cdf(z: F) -> F:
    """Phi(z), elementwise (math.erf: numpy has no erf and scipy is not needed for one function)."""
    return np.array([0.5 * (1.0 + math.erf(float(x) / math.sqrt(2.0))) for x in z], dtype=np.float64)


def _mixture_quantile(weights: F, means: F, sds: F, q: float) -> float:
    """The q-quantile of sum_j w_j N(mean_j, sd_j^2) (bisection; the CDF is monotone)."""
    keep = weights > 1e-12
    w, m, s = weights[keep], means[keep], np.maximum(sds[keep], 1e-9)
    lo, hi = float((m - 8 * s).min()), float((m + 8 * s).max())
    for _ in range(60):
        mid = (lo + hi) / 2
        if float(w @ _normal_cdf((mid - m) / s)) < q:
            lo = mid
        else:
            hi = mid
    return (lo + hi) / 2


def readiness_from_posterior(
    post: F,
    g: Grid,
    form: ReferenceForm,
    *,
    responses: int,
    groups: Sequence[tuple[str, str, float, float, int]] = (),
    form_items: int = 50,
) -> Readiness:
    """Prediction, intervals and pass probability from a posterior over the grid (see the module docstring)."""
    post = post / post.sum()
    theta = float(post @ g.nodes)
    sd = float(np.sqrt(max(float(post @ g.nodes**2) - theta**2, 0.0)))
    median, low, high = (_quantile(g.nodes, post, q) for q in (0.5, 0.1, 0.9))
    scores = form.scaled(np.array([median, low, high]))
    cut_theta = form.cut_ability
    edges, cdf = cell_cdf(g.nodes, post)
    cdf_at_cut = float(np.interp(cut_theta, edges, cdf))
    means, sds = form.share_moments(g.nodes, form_items)
    share_low, share_high = (_mixture_quantile(post, means, sds, q) for q in (0.1, 0.9))
    cut = form.cut
    predictive = [scale(min(max(x, 0.0), 1.0), 1.0, cut) for x in (share_low, share_high)]
    missing = evidence_gap(responses, sd, [(title, n) for _, title, _, _, n in groups]) if groups else ""
    if not groups and responses < MIN_ITEMS:
        missing = evidence_gap(responses, sd, [])
    return Readiness(
        theta,
        sd,
        int(scores[0]),
        min(predictive[0], int(scores[1])),
        max(predictive[1], int(scores[2])),
        max(0.0, min(1.0, 1.0 - cdf_at_cut)),
        cut_theta,
        responses,
        tuple(
            GroupReadiness(gid, title, t, s_, n, group_level(t, s_, n, cut_theta))
            for gid, title, t, s_, n in groups
        ),
        int(scores[1]),
        int(scores[2]),
        not missing,
        missing,
    )


def params_for(
    items: Sequence[str], known: Mapping[str, tuple[float, float, float]], difficulty: Mapping[str, int]
) -> Params:
    """Parameters for items: calibrated where known, else the author prior from the difficulty rating."""
    rows = [known.get(i) or author_prior(difficulty[i]) for i in items]
    a, d, c = (
        (np.array(x, dtype=np.float64) for x in zip(*rows, strict=True)) if rows else (np.array([]),) * 3
    )
    return Params(a, d, c)


READINESS_VS_EXAM = (
    "Why this can differ from the exam's score: the score is the result of one form of about 50 questions, while "
    "readiness combines every answer you have given so far and is the better guide to the real exam."
)


def readiness_sentence(r: Mapping[str, Any]) -> str:
    """Readiness in a learner's words (no ability values), from its stored plain form; every face uses it."""
    if "supported" not in r:  # stored before the predictive interval existed: say what it was
        return (
            f"Readiness then: predicted score {r['predicted']} (80% interval of the expected score "
            f"{r['low']}-{r['high']}), probability of passing {r['pass_probability']:.0%}."
        )
    if not r["supported"]:
        return f"Readiness: not enough evidence yet ({r['responses']} questions answered). {r['missing']}"
    return (
        f"Readiness: predicted score {r['predicted']}; on a new mock exam you would score between {r['low']} and "
        f"{r['high']} 8 times in 10; probability of passing {r['pass_probability']:.0%} "
        f"(from {r['responses']} questions answered)."
    )
