"""Simulated 2PL data sets shared by the IRT benchmark and the recovery tests (so both see the same data)."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

F = NDArray[np.float64]


def simulate_2pl(persons: int, items: int, *, seed: int, per_person: int | None = None) -> tuple[F, F, F]:
    """(a, b, responses): a ~ logN(0, 0.3), b ~ N(0, 1), theta ~ N(0, 1); NaN where an item was not given."""
    rng = np.random.default_rng(seed)
    a, b, theta = rng.lognormal(0, 0.3, items), rng.normal(0, 1, items), rng.normal(0, 1, persons)
    p = 1 / (1 + np.exp(-(a[None, :] * (theta[:, None] - b[None, :]))))
    x = (rng.random((persons, items)) < p).astype(float)
    if per_person:
        keep = np.argsort(rng.random((persons, items)), axis=1)[:, :per_person]
        mask = np.zeros_like(x, dtype=bool)
        np.put_along_axis(mask, keep, True, axis=1)
        x[~mask] = np.nan
    return a, b, x


def rmse(x: F, y: F) -> float:
    return float(np.sqrt(np.mean((np.asarray(x) - np.asarray(y)) ** 2)))
