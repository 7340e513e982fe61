"""Quarter-hour arithmetic of the study planner: rounding, proportional shares, and packing pieces into days.

Everything here counts integer quarter hours ("quarters"), so the planner's blocks are exact multiples of
15 minutes and sums never drift the way float hours do. No dates, no planner types: plain integers and lists.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Hashable, Sequence
from typing import TypeVar

QUARTERS_PER_HOUR = 4
MIN_BLOCK = 2  # 0.5 h: shorter than this is not a study block worth opening a page for
MAX_BLOCK = 8  # 2 h: longer blocks are split, attention fades after about two hours

K = TypeVar("K", bound=Hashable)


def quarters_down(hours: float) -> int:
    """Whole quarter hours within `hours` (what a day gives: never more than the learner said)."""
    return max(0, math.floor(hours * QUARTERS_PER_HOUR + 1e-9))


def quarters_up(hours: float) -> int:
    """Quarter hours covering `hours` (what a need takes: never less than asked)."""
    return max(0, math.ceil(hours * QUARTERS_PER_HOUR - 1e-9))


def hours(quarters: int) -> float:
    return quarters / QUARTERS_PER_HOUR


def fmt_hours(quarters: int) -> str:
    """1.5, 0.75, 60: hours as a person writes them."""
    return f"{quarters / QUARTERS_PER_HOUR:g}"


def apportion(total: int, weights: Sequence[float]) -> list[int]:
    """Integers summing to `total`, proportional to `weights` (largest remainder; ties go to the earlier index)."""
    s = sum(w for w in weights if w > 0)
    if total <= 0 or s <= 0:
        return [0] * len(weights)
    raw = [total * max(w, 0.0) / s for w in weights]
    out = [math.floor(r + 1e-12) for r in raw]
    rest = total - sum(out)
    by_remainder = sorted(range(len(raw)), key=lambda i: (-(raw[i] - out[i]), i))
    for i in by_remainder[: max(rest, 0)]:
        out[i] += 1
    return out


def water_fill(total: int, weights: Sequence[float], minimum: int = MIN_BLOCK) -> list[int]:
    """Split `total` ∝ weights with at least `minimum` for every positive weight (small shares are lifted to the
    minimum and the rest is re-split ∝ the others). When `total` cannot give everyone the minimum, the largest
    weights get it first. The result is monotone: a larger weight never gets less."""
    positive = [i for i, w in enumerate(weights) if w > 0]
    out = [0] * len(weights)
    if total <= 0 or not positive:
        return out
    if total < minimum * len(positive):
        # Not enough for everyone: the heaviest (ties: earlier) get a block each; the scrap goes to the first.
        chosen = sorted(positive, key=lambda i: (-weights[i], i))[: total // minimum]
        positive = sorted(chosen)
        if not positive:
            return out
    lifted: set[int] = set()
    while True:
        free = [i for i in positive if i not in lifted]
        rest = total - minimum * len(lifted)
        s = sum(weights[i] for i in free)
        newly = {i for i in free if s <= 0 or rest * weights[i] / s < minimum}
        if not newly:
            break
        lifted |= newly
    for i in lifted:
        out[i] = minimum
    free = [i for i in positive if i not in lifted]
    for i, q in zip(free, apportion(total - minimum * len(lifted), [weights[i] for i in free]), strict=True):
        out[i] = q
    if not free and lifted:  # everyone at the minimum: a 1-quarter scrap goes to the heaviest
        out[min(lifted, key=lambda i: (-weights[i], i))] += total - minimum * len(lifted)
    return out


def chunks(total: int, room: int) -> int:
    """The size of the next piece of `total` quarters in `room`: at most MAX_BLOCK, never leaving a 1-quarter
    scrap behind (it could not be a block of its own); 0 when no valid piece fits."""
    p = min(total, room, MAX_BLOCK)
    if total - p == 1:
        p -= 1
    return p if p >= MIN_BLOCK else 0


def pack(
    pieces: Sequence[tuple[K, int]],
    targets: Sequence[int],
    free: Sequence[int],
    thread: Callable[[K], Hashable] = lambda k: k,
    lookahead: int = 16,
) -> list[tuple[int, K, int]]:
    """Lay pieces (key, quarters) in order into days: each day takes up to its target plus what earlier days
    left unused (never more than it has free), so the work spreads evenly. When the next piece does not fit the
    room left on a day, one of the next `lookahead` pieces that fits may go first, unless an earlier piece of its
    thread (e.g. its objective) is still waiting: that keeps each thread in order (read before practice) while
    filling the day. Returns (day index, key, quarters); pieces that do not fit by the last day are left out."""
    queue = [(k, q) for k, q in pieces if q > 0]
    out: list[tuple[int, K, int]] = []
    left_free = list(free)
    carry = 0
    for day, (target, room_max) in enumerate(zip(targets, free, strict=True)):
        room = min(room_max, target + carry)
        used = 0
        while queue:
            j, p = _next_fitting(queue, room - used, thread, lookahead)
            if not p and room - used >= MIN_BLOCK:
                # Nothing fits exactly (say 0.5 h left and every waiting piece 0.75 h): a piece fills the room and
                # its last quarter moves to the next piece of its thread, rather than wasting the room.
                j, p = _shift_scrap(queue, room - used, thread, lookahead)
            if not p:
                break
            key, left = queue[j]
            out.append((day, key, p))
            used += p
            if p == left:
                del queue[j]
            else:
                queue[j] = (key, left - p)
        carry = max(0, target + carry - used)
        left_free[day] = room_max - used
    return out + _leftovers(queue, out, left_free, thread)


def _leftovers(
    queue: Sequence[tuple[K, int]],
    placed: Sequence[tuple[int, K, int]],
    left_free: list[int],
    thread: Callable[[K], Hashable],
) -> list[tuple[int, K, int]]:
    """Pieces the even spread left over go into whatever room remains, never before their thread's last piece:
    a tight plan loses only what truly does not fit."""
    last_day: dict[Hashable, int] = {thread(k): d for d, k, _ in placed}
    out: list[tuple[int, K, int]] = []
    for key, left in queue:
        t = thread(key)
        for day in range(last_day.get(t, 0), len(left_free)):
            while left > 0 and (p := chunks(left, left_free[day])):
                out.append((day, key, p))
                left_free[day] -= p
                left -= p
                last_day[t] = day
            if left == 0:
                break
        else:
            last_day[t] = len(left_free)  # the rest of this thread cannot come after a piece that did not fit
    return out


def _shift_scrap(
    queue: list[tuple[K, int]], room: int, thread: Callable[[K], Hashable], lookahead: int
) -> tuple[int, int]:
    """The first thread head that would fill `room` but for a 1-quarter scrap, with a later piece of its thread
    to take that quarter: the quarter moves there and (index, room) is returned; (0, 0) when there is none."""
    seen: set[Hashable] = set()
    for j, (key, left) in enumerate(queue[:lookahead]):
        t = thread(key)
        if t in seen:
            continue
        seen.add(t)
        if left - min(left, room, MAX_BLOCK) != 1:
            continue
        for k in range(j + 1, len(queue)):
            if thread(queue[k][0]) == t:
                queue[j] = (key, left - 1)
                queue[k] = (queue[k][0], queue[k][1] + 1)
                return j, min(left - 1, room, MAX_BLOCK)
    return 0, 0


def _next_fitting(
    queue: Sequence[tuple[K, int]], room: int, thread: Callable[[K], Hashable], lookahead: int
) -> tuple[int, int]:
    """The first piece (index, size to place) that fits `room` and heads its thread; (0, 0) when none does."""
    seen: set[Hashable] = set()
    for j, (key, left) in enumerate(queue[:lookahead]):
        t = thread(key)
        if t in seen:
            continue
        seen.add(t)
        p = chunks(left, room)
        if p:
            return j, p
    return 0, 0
