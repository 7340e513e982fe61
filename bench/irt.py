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
from certprep.domain.irt import NO_PRIORS, Params, calibrate, grid


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    out = fn()
    return time.perf_counter() - start, out


def _girth() -> Any:
    try:
        import girth
    except ImportError:
        return None
    return girth


def _mirt() -> Any:
    try:
        import mirt
    except ImportError:
        return None
    return mirt


def girth_2pl(girth: Any, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    data = x.T.copy()
    if np.isnan(data).any():
        data = girth.tag_missing_data(np.where(np.isnan(data), -1, data).astype(int), [0, 1])
    else:
        data = data.astype(int)
    out = girth.twopl_mml(data)
    return np.asarray(out["Discrimination"]), np.asarray(out["Difficulty"])


def mirt_2pl(mirt: Any, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    fit = mirt.fit_mirt(x, model="2PL", n_quadpts=61, compute_standard_errors=False)
    params = fit.model.parameters
    return np.asarray(params["discrimination"]).reshape(-1), np.asarray(params["difficulty"]).reshape(-1)


def calibration(sets: list[tuple[str, int, int, int | None]], peers: bool, runs: int) -> None:
    """Each contender's median time over `runs` interleaved runs (peers imported and warmed up before any timing),
    and recovery (RMSE of a and b against the generating values) with certprep's default weak prior on log a and
    with no prior (the prior's mode a = 1 sits at the simulator's median slope, which flatters it on sparse data)."""
    print(
        "## 2PL calibration: median time of interleaved runs (s), RMSE of a and b against the generating values"
    )
    contenders: list[tuple[str, Callable[[np.ndarray], tuple[np.ndarray, np.ndarray]]]] = [
        ("certprep", lambda x: _ab(calibrate(x))),
        ("certprep, no priors", lambda x: _ab(calibrate(x, priors=NO_PRIORS))),
    ]
    if peers:
        for name, module, fn in (("girth", _girth(), girth_2pl), ("mirt(PyPI)", _mirt(), mirt_2pl)):
            if module is None:
                print(f"{name}: not installed")
                continue
            contenders.append((name, lambda x, m=module, f=fn: f(m, x)))
    _, _, warm_x = simulate_2pl(200, 10, seed=0)
    for _, fn in contenders:  # imports, JIT and caches outside the timing
        fn(warm_x)
    for name, persons, items, per in sets:
        a, b, x = simulate_2pl(persons, items, seed=1, per_person=per)
        times: dict[str, list[float]] = {c: [] for c, _ in contenders}
        results: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        for run in range(runs):
            order = contenders[run % len(contenders) :] + contenders[: run % len(contenders)]
            for contender, fn in order:
                try:
                    t, out = timed(lambda fn=fn, x=x: fn(x))
                except Exception as exc:  # a peer failing is reported, not fatal
                    print(f"{name}: {contender} failed: {type(exc).__name__}: {exc}")
                    continue
                times[contender].append(t)
                results[contender] = out
        base = statistics.median(times["certprep"])
        ra, rb = rmse(results["certprep"][0], a), rmse(results["certprep"][1], b)
        for contender, ts in times.items():
            if not ts:
                continue
            t = statistics.median(ts)
            pa, pb = rmse(results[contender][0], a), rmse(results[contender][1], b)
            line = f"{name}: {contender} {t:.3f} s (median of {len(ts)}), RMSE a {pa:.4f} b {pb:.4f}"
            if not contender.startswith("certprep"):
                line += (
                    f"; certprep is {t / base:.1f}x faster; RMSE ratio certprep/{contender}: with prior "
                    f"a {ra / pa:.3f} b {rb / pb:.3f}, without prior a "
                    f"{rmse(results['certprep, no priors'][0], a) / pa:.3f} "
                    f"b {rmse(results['certprep, no priors'][1], b) / pb:.3f}"
                )
            print(line)


def _ab(fit: Any) -> tuple[np.ndarray, np.ndarray]:
    return fit.params.a, fit.params.b


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
    parser.add_argument(
        "--runs", type=int, default=3, help="interleaved runs per contender (median reported)"
    )
    args = parser.parse_args()
    peers = not args.no_peers
    with threadpool_limits(limits=1, user_api="blas"):
        if args.quick:
            calibration([("dense 500x20", 500, 20, None)], peers=False, runs=1)
            selection([1000], calls=20, seeds=1, peers=False)
            return
        calibration(
            [
                ("dense 5000x100", 5000, 100, None),
                ("dense 20000x200", 20000, 200, None),
                ("sparse 5000x400 (40 each)", 5000, 400, 40),
            ],
            peers,
            args.runs,
        )
        selection([10_000, 100_000], calls=1000, seeds=5, peers=peers)


if __name__ == "__main__":
    main()
