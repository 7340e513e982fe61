"""Readiness: a predicted scaled score with an 80% interval and the probability of passing, from the learner's
ability posterior and the item parameters of a blueprint form.

The reference form is the bank's scored items weighted to the blueprint: items fall in cells c (functional group x
item type) weighted W_c = (group share) x (type share) of the exam's simulation data, and the expected share of
points is f(theta) = sum_c W_c M_c Pbar_c(theta) / sum_c W_c M_c, with M_c the cell's mean points per item and
Pbar_c its points-weighted mean probability: what a blueprint form drawn by the exam engine earns on average. Its
cut is the same weighting of the items' minimally-competent probabilities (the engine's cut,
`scaling.mcc_probability`), so the mock exam and the prediction rest on one cut: the cut ability theta_c solves
f(theta_c) = cut. The predicted score at ability theta is `scaling.scale(f(theta), 1, cut)`; the
posterior median of theta gives the prediction, its 10% and 90% quantiles the 80% interval (the map is monotone),
and the posterior mass at or above theta_c the pass probability.

Before any data, item parameters come from the author's difficulty rating: a = 1, c = 0 and
b_k = 0.5 - logit(p_k), with p_k the engine's minimally-competent probability for difficulty k. A candidate at
theta = 0.5 (about the 69th percentile of N(0, 1)) then answers each item with exactly the engine's probability:
the author prior and the cut table agree by construction.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

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

    def _combine(self, per_item: F) -> F:
        """sum_c W_c M_c mean_c(per_item, points-weighted) / sum_c W_c M_c, for rows of per_item values."""
        num = np.zeros(per_item.shape[1:]) if per_item.ndim > 1 else 0.0
        den = 0.0
        for cell, w in enumerate(self.weights):
            mask = self.cells == cell
            if not mask.any() or w == 0:
                continue
            pts = self.points[mask]
            mean_points = float(pts.mean())
            value = (per_item[mask] * (pts[:, None] if per_item.ndim > 1 else pts)).sum(axis=0) / pts.sum()
            num = num + w * mean_points * value
            den += w * mean_points
        return np.asarray(num / den, dtype=np.float64)

    def share(self, theta: F) -> F:
        """Expected share of the form's points at each theta."""
        return self._combine(prob(theta, self.params))

    @property
    def cut(self) -> float:
        return float(self._combine(self.mcc))

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


@dataclass(frozen=True)
class Readiness:
    theta: float
    sd: float
    predicted: int
    low: int
    high: int
    pass_probability: float
    cut_theta: float
    responses: int
    groups: tuple[tuple[str, float, float, int], ...] = ()


def _quantile(nodes: F, post: F, q: float) -> float:
    cdf = np.cumsum(post)
    return float(np.interp(q, cdf, nodes))


def readiness_from_posterior(
    post: F,
    g: Grid,
    form: ReferenceForm,
    *,
    responses: int,
    groups: Sequence[tuple[str, float, float, int]] = (),
) -> Readiness:
    """Prediction, interval and pass probability from a posterior over the grid."""
    post = post / post.sum()
    theta = float(post @ g.nodes)
    sd = float(np.sqrt(max(float(post @ g.nodes**2) - theta**2, 0.0)))
    median, low, high = (_quantile(g.nodes, post, q) for q in (0.5, 0.1, 0.9))
    scores = form.scaled(np.array([median, low, high]))
    cut_theta = form.cut_theta()
    cdf_at_cut = float(np.interp(cut_theta, g.nodes, np.cumsum(post)))
    return Readiness(
        theta,
        sd,
        int(scores[0]),
        int(scores[1]),
        int(scores[2]),
        max(0.0, min(1.0, 1.0 - cdf_at_cut)),
        cut_theta,
        responses,
        tuple(groups),
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
