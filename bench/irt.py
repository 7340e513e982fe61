"""IRT speed: 2PL calibration beside girth and PyPI mirt, and next-item selection beside catsim.

    pip install -e ".[bench]" && python -m bench.irt [--quick]

Prints one line per figure; peers that are not installed are reported as such. Runs with one BLAS thread
(threadpoolctl): on this 2-core machine one thread per process beat two under contention.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from typing import Any

import numpy as np
from threadpoolctl import threadpool_limits

from bench.irtdata import rmse, simulate_2pl
from certprep.domain.adaptive import Pool, Session, record, select_next
from certprep.domain.irt import Params, calibrate, grid


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    out = fn()
    return time.perf_counter() - start, out


def girth_2pl(x: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
    try:
        import girth
    except ImportError:
        return None
    data = x.T.copy()
    if np.isnan(data).any():
        data = girth.tag_missing_data(np.where(np.isnan(data), -1, data).astype(int), [0, 1])
    else:
        data = data.astype(int)
    out = girth.twopl_mml(data)
    return np.asarray(out["Discrimination"]), np.asarray(out["Difficulty"])


def mirt_2pl(x: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
    try:
        import mirt
    except ImportError:
        return None
    fit = mirt.fit_mirt(x, model="2PL", n_quadpts=61, compute_standard_errors=False)
    params = fit.model.parameters
    a = np.asarray(params["discrimination"]).reshape(-1)
    b = np.asarray(params["difficulty"]).reshape(-1)
    return a, b


def calibration(sets: list[tuple[str, int, int, int | None]], peers: bool) -> None:
    print(
        "## 2PL calibration (time in s; RMSE of a and b against the generating values; certprep with its default"
    )
    print("## weak prior on log a, SD 0.5, as it calibrates in production)")
    for name, persons, items, per in sets:
        a, b, x = simulate_2pl(persons, items, seed=1, per_person=per)
        t, fit = timed(lambda x=x: calibrate(x))
        ra, rb = rmse(fit.params.a, a), rmse(fit.params.b, b)
        print(f"{name}: certprep {t:.3f} s, {fit.iterations} EM steps, RMSE a {ra:.4f} b {rb:.4f}")
        if not peers:
            continue
        for peer, fn in (("girth", girth_2pl), ("mirt(PyPI)", mirt_2pl)):
            try:
                tp, out = timed(lambda fn=fn, x=x: fn(x))
            except Exception as exc:  # a peer failing is reported, not fatal
                print(f"{name}: {peer} failed: {type(exc).__name__}: {exc}")
                continue
            if out is None:
                print(f"{name}: {peer} not installed")
                continue
            pa, pb = out
            print(
                f"{name}: {peer} {tp:.3f} s, RMSE a {rmse(pa, a):.4f} b {rmse(pb, b):.4f}; "
                f"certprep is {tp / t:.1f}x faster, RMSE ratio a {ra / rmse(pa, a):.3f} b {rb / rmse(pb, b):.3f}"
            )


def bank(n: int, seed: int) -> tuple[Params, np.ndarray]:
    rng = np.random.default_rng(seed)
    return Params.from_b(rng.lognormal(0, 0.3, n), rng.normal(0, 1, n)), rng.integers(0, 5, n)


def selection(sizes: list[int], calls: int, seeds: int, peers: bool) -> None:
    print("## next-item selection with 50 items given (median ms per call over calls x seeds)")
    g = grid()
    shares = np.array([0.125, 0.125, 0.525, 0.125, 0.1])
    for n in sizes:
        plain: list[float] = []
        full: list[float] = []
        updates: list[float] = []
        peer: list[float] = []
        for seed in range(seeds):
            params, groups = bank(n, seed)
            rng = np.random.default_rng(seed)
            pool = Pool(params, groups, shares)
            controlled = Pool(params, groups, shares, exposure=np.full(n, 0.9))
            session = Session.start(pool, g)
            for item in rng.choice(n, 50, replace=False):
                record(pool, session, int(item), float(rng.random() < 0.6), g)
            theta = 0.3
            for _ in range(calls):
                t0 = time.perf_counter()
                select_next(pool, session, theta, rng=rng, balance=False)
                plain.append(time.perf_counter() - t0)
                t0 = time.perf_counter()
                select_next(controlled, session, theta, rng=rng, balance=True, randomesque=5)
                full.append(time.perf_counter() - t0)
                session.clear_set_aside()
            for _ in range(calls):
                probe = Session(
                    session.given.copy(),
                    session.set_aside.copy(),
                    session.counts.copy(),
                    session.log_post.copy(),
                )
                item = int(rng.integers(0, n))
                t0 = time.perf_counter()
                record(pool, probe, item, 1.0, g)
                updates.append(time.perf_counter() - t0)
            if peers:
                peer += catsim_times(params, session, theta, max(calls // 20, 20))
        med = lambda xs: 1000 * statistics.median(xs)  # noqa: E731
        line = (
            f"{n} items: max information {med(plain):.4f} ms; with content balancing, randomesque 5 and "
            f"Sympson-Hetter {med(full):.4f} ms; EAP update {med(updates):.4f} ms"
        )
        if peer:
            line += f"; catsim MaxInfoSelector {med(peer):.2f} ms ({statistics.median(peer) / statistics.median(plain):.0f}x slower)"
        elif peers:
            line += "; catsim not installed"
        print(line)


def catsim_times(params: Params, session: Session, theta: float, calls: int) -> list[float]:
    try:
        from catsim.item_bank import ItemBank
        from catsim.selection import MaxInfoSelector
    except ImportError:
        return []
    items = ItemBank(np.column_stack([params.a, params.b, params.c, np.ones_like(params.a)]))
    given = [int(i) for i in np.flatnonzero(session.given)]
    selector = MaxInfoSelector()
    times = []
    for _ in range(calls):
        t0 = time.perf_counter()
        selector.select(item_bank=items, administered_items=given, est_theta=theta)
        times.append(time.perf_counter() - t0)
    return times


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument(
        "--quick", action="store_true", help="tiny sizes (used by the test that runs benchmarks)"
    )
    parser.add_argument("--no-peers", action="store_true")
    args = parser.parse_args()
    peers = not args.no_peers
    with threadpool_limits(limits=1, user_api="blas"):
        if args.quick:
            calibration([("dense 500x20", 500, 20, None)], peers=False)
            selection([1000], calls=20, seeds=1, peers=False)
            return
        calibration(
            [
                ("dense 5000x100", 5000, 100, None),
                ("dense 20000x200", 20000, 200, None),
                ("sparse 5000x400 (40 each)", 5000, 400, 40),
            ],
            peers,
        )
        selection([10_000, 100_000], calls=1000, seeds=5, peers=peers)


if __name__ == "__main__":
    main()
