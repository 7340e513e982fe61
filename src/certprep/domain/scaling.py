"""Cut score and scaled score: certprep's documented method (Microsoft's own scaling is not public).

Cut score (raw points): the sum over scored items of the expected points of a minimally competent candidate,
p_i * max_i, where p_i is the item's Angoff rating when it has one, otherwise DIFFICULTY_TABLE[difficulty]. A form
of hard items therefore has a lower raw cut than a form of easy ones (modified Angoff standard setting: Angoff,
W. H. (1971), "Scales, norms, and equivalent scores", in Educational Measurement, 2nd ed., pp. 508-600).

Scaled score: piecewise linear through (0, 1), (cut, 700) and (max, 1000), floored to a whole number, so that
exactly the cut scores 700, anything below it scores at most 699, and the scale is monotone in points.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

from certprep.domain.items import Item, max_points

METHOD_VERSION = "certprep-scaled-v1"
PASS = 700
DIFFICULTY_TABLE = {1: 0.85, 2: 0.75, 3: 0.62, 4: 0.50, 5: 0.38}


def mcc_probability(item: Item) -> float:
    """P(a minimally competent candidate answers correctly): the Angoff rating, else the difficulty table."""
    return item.meta.angoff if item.meta.angoff is not None else DIFFICULTY_TABLE[item.meta.difficulty]


def cut_score(items: Iterable[Item]) -> float:
    """The raw cut of a form: expected points of a minimally competent candidate."""
    return sum(mcc_probability(i) * max_points(i) for i in items)


def scale(raw: float, max_raw: float, cut: float) -> int:
    """Raw points -> 1..1000 with exactly 700 at the cut."""
    if max_raw <= 0:
        return 1
    raw = min(max(raw, 0.0), max_raw)
    cut = min(max(cut, 1e-9), max_raw)
    if math.isclose(raw, cut, rel_tol=0, abs_tol=1e-9):
        return PASS
    if raw < cut:
        value = 1 + (PASS - 1) * raw / cut
        return max(1, min(PASS - 1, math.floor(value + 1e-9)))
    value = PASS + (1000 - PASS) * (raw - cut) / (max_raw - cut) if max_raw > cut else 1000
    return max(PASS, min(1000, math.floor(value + 1e-9)))
