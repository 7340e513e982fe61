"""Item response theory: Rasch, 2PL and 3PL models, marginal maximum likelihood calibration by EM, EAP ability,
item information and the test characteristic curve. Pure numpy, vectorised over items, persons and nodes.

Model (slope-intercept form, as R mirt reports it):
    P_i(theta) = c_i + (1 - c_i) / (1 + exp(-(a_i * theta + d_i))),   difficulty b_i = -d_i / a_i
Rasch: a_i = 1, c_i = 0; 2PL: c_i = 0. Partial-credit items enter as the fraction of points earned, x in [0, 1],
with the fractional Bernoulli likelihood x log P + (1 - x) log(1 - P) (a quasi-likelihood that keeps every item
on one response function; see docs/scoring.md).

Calibration: marginal maximum likelihood with theta ~ N(0, 1) integrated on a fixed quadrature grid (61 points on
[-6, 6] by default: fewer loses accuracy with many items), by the EM algorithm of Bock and Aitkin (1981,
Psychometrika 46, 443-459). The E-step gives, per item and node, the expected number of responses n_iq and of
correct responses r_iq from each person's posterior over the grid, using only the responses a person gave
(missing = not administered, as in a sparse bank). The M-step is one Fisher-scoring step per item on
sum_q r_iq log P_iq + (n_iq - r_iq) log(1 - P_iq) plus optional log-priors (log-normal on a, Beta on c, normal
on d), all items at once. SQUAREM (Varadhan and Roland, 2008, Scand. J. Statist. 35, 335-353) accelerates the EM
map. Items listed in `fixed` keep their parameters: calibrating new items with well-calibrated anchors fixed keeps
them on the existing scale.

Ability: expected a posteriori (EAP) estimate and posterior standard deviation on the same grid (Bock and Mislevy,
1982, Applied Psychological Measurement 6, 431-444). Information: for the 3PL,
I_i(theta) = a^2 (P - c)^2 (1 - P) / ((1 - c)^2 P), which is a^2 P (1 - P) for c = 0 (Lord, 1980, Applications of
Item Response Theory to Practical Testing Problems, eq. 4-9 [scaled with D = 1]).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
from numpy.typing import NDArray

from certprep.domain.irt_se import observed_information
from certprep.errors import InvalidInput

Model = Literal["rasch", "2pl", "3pl"]
F = NDArray[np.float64]
QUAD_POINTS = 61
QUAD_BOUND = 6.0


@dataclass(frozen=True)
class Grid:
    """Quadrature nodes and the log of the N(0, 1) weights (normalised to sum to one)."""

    nodes: F
    log_weights: F


def population_grid(nodes: F, mean: float, sd: float) -> Grid:
    """The grid's nodes weighted by N(mean, sd) (normalised), for a population that is not N(0, 1)."""
    logw = -0.5 * ((nodes - mean) / sd) ** 2
    logw -= np.log(np.exp(logw - logw.max()).sum()) + logw.max()
    return Grid(nodes, logw)


def grid(points: int = QUAD_POINTS, bound: float = QUAD_BOUND) -> Grid:
    nodes = np.linspace(-bound, bound, points)
    logw = -0.5 * nodes**2
    logw -= np.log(np.exp(logw).sum())
    return Grid(nodes, logw)


@dataclass(frozen=True)
class Params:
    """Item parameters as arrays (one entry per item)."""

    a: F
    d: F
    c: F

    @property
    def b(self) -> F:
        return np.asarray(-self.d / self.a, dtype=np.float64)

    @staticmethod
    def from_b(a: F, b: F, c: F | None = None) -> Params:
        a = np.asarray(a, dtype=np.float64)
        b = np.asarray(b, dtype=np.float64)
        return Params(a, -a * b, np.zeros_like(a) if c is None else np.asarray(c, dtype=np.float64))

    def take(self, index: NDArray[np.intp] | list[int]) -> Params:
        return Params(self.a[index], self.d[index], self.c[index])


def prob(theta: F, p: Params) -> F:
    """P(correct) for every item (rows) at every theta (columns)."""
    z = np.outer(p.a, theta) + p.d[:, None]
    s = 1.0 / (1.0 + np.exp(-z))
    return np.asarray(p.c[:, None] + (1.0 - p.c[:, None]) * s, dtype=np.float64)


def information(theta: F, p: Params) -> F:
    """Fisher information of each item (rows) at each theta (columns); never negative."""
    pr = np.clip(prob(theta, p), 1e-12, 1 - 1e-12)
    c = p.c[:, None]
    return np.asarray(
        (p.a[:, None] ** 2) * ((pr - c) ** 2) * (1 - pr) / (((1 - c) ** 2) * pr), dtype=np.float64
    )


def expected_score(theta: F, p: Params, points: F | None = None) -> F:
    """Test characteristic curve: expected points at each theta (points per item default to 1)."""
    w = np.ones_like(p.a) if points is None else np.asarray(points, dtype=np.float64)
    return np.asarray(w @ prob(theta, p), dtype=np.float64)


@dataclass(frozen=True)
class Priors:
    """Weak priors keep small samples sane: log a ~ N(0, a_sd) (a penalty on log a, so its mode is a = 1),
    c ~ Beta(c_alpha, c_beta), d ~ N(0, d_sd)."""

    a_sd: float | None = 0.5
    c_alpha: float = 5.0
    c_beta: float = 17.0
    d_sd: float | None = None


NO_PRIORS = Priors(a_sd=None, d_sd=None)


B_LIMIT = 6.0  # |b| is capped at the grid's edge: beyond it the data say only "too easy" or "too hard"
MIN_COLUMN = 2  # responses an item needs before it is estimated at all


@dataclass(frozen=True)
class Calibration:
    """`held`: items left at their start parameters and why (no variance, too few responses, an estimate at the
    b limit); `population`: mean and SD of ability (estimated when anchors fix the scale, else N(0, 1))."""

    params: Params
    se: Params
    log_likelihood: float
    iterations: int
    converged: bool
    model: Model
    held: tuple[tuple[int, str], ...] = ()
    population: tuple[float, float] = (0.0, 1.0)


def check_responses(responses: F) -> F:
    """A persons x items matrix of fractions in 0..1 (NaN = not administered), or InvalidInput saying where not."""
    try:
        x = np.asarray(responses, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise InvalidInput(f"responses must be numbers: {exc}", field="responses") from None
    if x.ndim != 2 or x.shape[0] == 0 or x.shape[1] == 0:
        raise InvalidInput(
            f"responses must be a non-empty persons x items matrix, got shape {x.shape}", field="responses"
        )
    bad = ~np.isnan(x) & ~((x >= 0) & (x <= 1))
    if bad.any():
        i, j = (int(v) for v in np.argwhere(bad)[0])
        raise InvalidInput(
            f"response of person {i} to item {j} is {x[i, j]}: scores are fractions in 0..1 (NaN = not "
            f"administered); {int(bad.sum())} such values",
            field="responses",
        )
    return x


def degenerate_columns(x: F, min_responses: int = MIN_COLUMN) -> dict[int, str]:
    """Items whose responses cannot identify parameters: too few, or all the same score."""
    observed = ~np.isnan(x)
    counts = observed.sum(axis=0)
    low = np.where(observed, x, np.inf).min(axis=0)
    high = np.where(observed, x, -np.inf).max(axis=0)
    out: dict[int, str] = {}
    for j in np.flatnonzero((counts < min_responses) | (low == high)):
        if counts[j] < min_responses:
            out[int(j)] = f"only {counts[j]} responses (at least {min_responses} needed)"
        else:
            out[int(j)] = f"no variance: every response scored {low[j]:g}"
    return out


@dataclass
class _Data:
    """Responses laid out for matrix products, in float32 (a dense matrix skips the mask products)."""

    xm: NDArray[np.float32]  # x where observed, else 0
    m: NDArray[np.float32] | None  # 1 where observed; None when every response is observed (dense)

    def counts(self, post: NDArray[np.float32]) -> tuple[F, F]:
        """Expected correct (r) and total (n) responses per item and node."""
        r = (self.xm.T @ post).astype(np.float64)
        if self.m is None:
            n = np.broadcast_to(post.sum(axis=0, dtype=np.float64), r.shape).copy()
        else:
            n = (self.m.T @ post).astype(np.float64)
        return r, n


def _prepare(responses: F) -> _Data:
    x = np.asarray(responses, dtype=np.float64)
    observed = ~np.isnan(x)
    x0 = np.where(observed, x, 0.0)
    dense = bool(observed.all())
    return _Data(x0.astype(np.float32), None if dense else observed.astype(np.float32))


def _log_lik_grid(data: _Data, p: Params, g: Grid) -> NDArray[np.float32]:
    """log P(responses | theta_q) per person and node: x log P + (1 - x) log(1 - P) = x logit(P) + log(1 - P).

    The two big products run in float32 (about three times faster here; the EM's fixed point moves by less than
    1e-5 in any parameter); log-likelihood totals are summed in float64.
    """
    pr = np.clip(prob(g.nodes, p), 1e-12, 1 - 1e-12)
    log1m = np.log1p(-pr)
    ll = data.xm @ (np.log(pr) - log1m).astype(np.float32)
    if data.m is None:
        ll += log1m.sum(axis=0).astype(np.float32)[None, :]
    else:
        ll += data.m @ log1m.astype(np.float32)
    return np.asarray(ll, dtype=np.float32)


def _posterior(ll: NDArray[np.float32], g: Grid) -> tuple[NDArray[np.float32], float]:
    joint = ll + g.log_weights.astype(np.float32)
    top = joint.max(axis=1, keepdims=True)
    joint -= top
    # Nodes more than e^-80 below the mode carry no weight; clipping keeps exp() out of subnormal floats,
    # which made the products that follow ten times slower.
    np.maximum(joint, -80.0, out=joint)
    np.exp(joint, out=joint)
    total = joint.sum(axis=1, keepdims=True, dtype=np.float64)
    joint /= total.astype(np.float32)
    return joint, float((np.log(total) + top).sum())


def _free(model: Model) -> list[str]:
    return {"rasch": ["d"], "2pl": ["a", "d"], "3pl": ["a", "d", "c"]}[model]


def _m_step(
    r: F, n: F, p: Params, g: Grid, model: Model, priors: Priors, free_items: NDArray[np.bool_]
) -> tuple[Params, F]:
    """One Fisher-scoring step for every free item; returns new parameters and the information's inverse diagonal."""
    names = _free(model)
    theta = g.nodes[None, :]
    z = p.a[:, None] * theta + p.d[:, None]
    s = 1.0 / (1.0 + np.exp(-z))
    c = p.c[:, None]
    pr = np.clip(c + (1 - c) * s, 1e-10, 1 - 1e-10)
    ds = (1 - c) * s * (1 - s)
    derivs = {"a": ds * theta, "d": ds, "c": 1.0 - s}
    resid = (r - n * pr) / (pr * (1 - pr))
    weight = n / (pr * (1 - pr))
    k = len(names)
    score = np.stack([(resid * derivs[x]).sum(axis=1) for x in names], axis=1)
    info = np.empty((len(p.a), k, k))
    for i, x in enumerate(names):
        for j, y in enumerate(names[i:], start=i):
            info[:, i, j] = info[:, j, i] = (weight * derivs[x] * derivs[y]).sum(axis=1)
    values = {"a": p.a.copy(), "d": p.d.copy(), "c": p.c.copy()}
    if "a" in names and priors.a_sd is not None:
        ia = names.index("a")
        la = np.log(values["a"])
        # Normal prior on log a (mode a = 1), as a penalty in a: -(log a)^2 / (2 sd^2).
        score[:, ia] += -la / (priors.a_sd**2 * values["a"])
        info[:, ia, ia] += np.maximum(1.0 - la, 0.1) / (priors.a_sd**2 * values["a"] ** 2)
    if "d" in names and priors.d_sd is not None:
        idd = names.index("d")
        score[:, idd] += -values["d"] / priors.d_sd**2
        info[:, idd, idd] += 1.0 / priors.d_sd**2
    if "c" in names:
        ic = names.index("c")
        cc = np.clip(values["c"], 1e-4, 1 - 1e-4)
        score[:, ic] += (priors.c_alpha - 1) / cc - (priors.c_beta - 1) / (1 - cc)
        info[:, ic, ic] += (priors.c_alpha - 1) / cc**2 + (priors.c_beta - 1) / (1 - cc) ** 2
    info += np.eye(k)[None, :, :] * 1e-9
    step = np.linalg.solve(info, score[:, :, None])[:, :, 0]
    step = np.clip(step, -1.0, 1.0)
    for i, x in enumerate(names):
        values[x] = np.where(free_items, values[x] + step[:, i], values[x])
    values["a"] = np.clip(values["a"], 0.05, 8.0)
    values["d"] = np.clip(values["d"], -B_LIMIT * values["a"], B_LIMIT * values["a"])
    values["c"] = np.clip(values["c"], 0.0, 0.6)
    inv_diag = np.asarray(np.linalg.inv(info).diagonal(axis1=1, axis2=2), dtype=np.float64)
    return Params(values["a"], values["d"], values["c"]), inv_diag


def _prior_hessian(p: Params, names: list[str], priors: Priors) -> F:
    """Minus the Hessian of the log-prior per item (the terms the M-step adds to its information)."""
    k = len(names)
    out = np.zeros((len(p.a), k, k))
    if "a" in names and priors.a_sd is not None:
        ia = names.index("a")
        out[:, ia, ia] = np.maximum(1.0 - np.log(p.a), 0.1) / (priors.a_sd**2 * p.a**2)
    if "d" in names and priors.d_sd is not None:
        idd = names.index("d")
        out[:, idd, idd] = 1.0 / priors.d_sd**2
    if "c" in names:
        ic = names.index("c")
        cc = np.clip(p.c, 1e-4, 1 - 1e-4)
        out[:, ic, ic] = (priors.c_alpha - 1) / cc**2 + (priors.c_beta - 1) / (1 - cc) ** 2
    return out


def _pack(p: Params) -> F:
    return np.concatenate([p.a, p.d, p.c])


def _unpack(v: F, n: int) -> Params:
    a = np.clip(v[:n], 0.05, 8.0)
    return Params(a, np.clip(v[n : 2 * n], -B_LIMIT * a, B_LIMIT * a), np.clip(v[2 * n :], 0.0, 0.6))


def calibrate(
    responses: F,
    *,
    model: Model = "2pl",
    priors: Priors = Priors(),
    start: Params | None = None,
    fixed: Mapping[int, tuple[float, float, float]] | None = None,
    points: int = QUAD_POINTS,
    max_iter: int = 500,
    tol: float = 1e-4,
    accelerate: bool = True,
    progress: Callable[[int, float], None] | None = None,
    estimate_population: bool | None = None,
) -> Calibration:
    """Marginal maximum likelihood item parameters from a persons x items matrix (NaN = not administered).

    Degenerate columns (too few responses, no variance) are held at their start parameters and left out of the
    likelihood; estimates are capped at |b| = B_LIMIT, and an item ending there is held too. With anchors
    (`fixed`) the scale is theirs, so the ability distribution's mean and SD are estimated along (a normal
    N(mu, sigma) re-weighting the grid after every E-step) instead of assuming N(0, 1).
    """
    x = check_responses(responses)
    held = {j: why for j, why in degenerate_columns(x).items() if not (fixed and j in fixed)}
    if held:
        x = x.copy()
        x[:, list(held)] = np.nan
    data = _prepare(x)
    n_items = data.xm.shape[1]
    g = grid(points)
    estimate_population = bool(fixed) if estimate_population is None else estimate_population
    mu, sigma = 0.0, 1.0
    if start is None:
        seen = (
            data.m.sum(axis=0) if data.m is not None else np.full(n_items, data.xm.shape[0], dtype=np.float64)
        )
        facility = np.clip(data.xm.sum(axis=0) / np.maximum(seen, 1), 0.02, 0.98)
        start = Params(
            np.ones(n_items),
            np.log(facility / (1 - facility)) * 1.1,
            np.full(n_items, 0.15 if model == "3pl" else 0.0),
        )
    free = np.ones(n_items, dtype=bool)
    free[list(held)] = False
    p = start
    if fixed:
        a, d, c = p.a.copy(), p.d.copy(), p.c.copy()
        for i, (fa, fd, fc) in fixed.items():
            a[i], d[i], c[i] = fa, fd, fc
            free[i] = False
        p = Params(a, d, c)
    if model == "rasch":
        p = Params(np.where(free, 1.0, p.a), p.d, p.c)

    def em(q: Params) -> tuple[Params, float]:
        nonlocal g, mu, sigma
        post, loglik = _posterior(_log_lik_grid(data, q, g), g)
        r, n = data.counts(post)
        new, _ = _m_step(r, n, q, g, model, priors, free)
        if estimate_population:
            weights = post.sum(axis=0, dtype=np.float64)
            mu = float(weights @ g.nodes / weights.sum())
            sigma = float(np.sqrt(max(float(weights @ g.nodes**2 / weights.sum()) - mu**2, 0.05)))
            g = population_grid(g.nodes, mu, sigma)
        return new, loglik

    loglik = -np.inf
    converged = False
    iteration = 0
    while iteration < max_iter:
        iteration += 1
        p1, loglik = em(p)
        if accelerate:
            p2, _ = em(p1)
            v0, v1, v2 = _pack(p), _pack(p1), _pack(p2)
            r_ = v1 - v0
            v_ = v2 - v1 - r_
            vn = float(np.linalg.norm(v_))
            alpha = -float(np.linalg.norm(r_)) / vn if vn > 0 else -1.0
            alpha = min(alpha, -1.0)
            candidate = _unpack(v0 - 2 * alpha * r_ + alpha**2 * v_, n_items)
            if fixed:
                candidate = Params(
                    np.where(free, candidate.a, p.a),
                    np.where(free, candidate.d, p.d),
                    np.where(free, candidate.c, p.c),
                )
            if model == "rasch":
                candidate = Params(np.where(free, 1.0, candidate.a), candidate.d, candidate.c)
            new, ll_new = em(candidate)
            if not np.isfinite(ll_new) or ll_new < loglik - 1e-6 * abs(loglik):
                new = p2
            iteration += 2
        else:
            new = p1
        change = float(np.max(np.abs(_pack(new) - _pack(p))))
        p = new
        if progress:
            progress(iteration, loglik)
        if change < tol:
            converged = True
            break
    post, loglik = _posterior(_log_lik_grid(data, p, g), g)
    names = _free(model)
    m = data.m.astype(np.float64) if data.m is not None else np.ones(data.xm.shape)
    se_vals = observed_information(
        data.xm.astype(np.float64),
        m,
        post.astype(np.float64),
        g.nodes,
        (p.a, p.d, p.c),
        names,
        free,
        _prior_hessian(p, names, priors),
    )
    se = {name: np.zeros(n_items) for name in ("a", "d", "c")}
    for i, name in enumerate(names):
        se[name] = np.where(free, se_vals[:, i], 0.0)
    at_limit = free & (np.abs(p.b) >= B_LIMIT - 1e-6)
    for j in np.flatnonzero(at_limit):
        hard = "hard" if p.b[j] > 0 else "easy"
        held[int(j)] = f"estimate at the limit b = {p.b[j]:+.0f}: too {hard} for these learners"
    return Calibration(
        p,
        Params(se["a"], se["d"], se["c"]),
        loglik,
        iteration,
        converged,
        model,
        tuple(sorted(held.items())),
        (mu, sigma),
    )


@dataclass(frozen=True)
class Ability:
    theta: F
    sd: F
    posterior: F = field(repr=False)


def eap(responses: F, p: Params, g: Grid | None = None) -> Ability:
    """EAP ability and posterior SD for each person (rows of responses; NaN = not administered)."""
    g = g or grid()
    x = np.atleast_2d(np.asarray(responses, dtype=np.float64))
    post32, _ = _posterior(_log_lik_grid(_prepare(x), p, g), g)
    post = post32.astype(np.float64)
    post /= post.sum(axis=1, keepdims=True)
    mean = post @ g.nodes
    sd = np.sqrt(np.maximum(post @ g.nodes**2 - mean**2, 0.0))
    return Ability(mean, sd, post)


def log_posterior_update(log_post: F, x: float, a: float, d: float, c: float, g: Grid) -> F:
    """One response added to a log-posterior over the grid (adaptive testing keeps one per session)."""
    s = 1.0 / (1.0 + np.exp(-(a * g.nodes + d)))
    pr = np.clip(c + (1 - c) * s, 1e-12, 1 - 1e-12)
    return np.asarray(log_post + x * np.log(pr) + (1 - x) * np.log1p(-pr), dtype=np.float64)


def summarize(log_post: F, g: Grid) -> tuple[float, float]:
    """(EAP, posterior SD) of a log-posterior over the grid."""
    w = np.exp(log_post - log_post.max())
    w /= w.sum()
    mean = float(w @ g.nodes)
    return mean, float(np.sqrt(max(float(w @ g.nodes**2) - mean**2, 0.0)))
