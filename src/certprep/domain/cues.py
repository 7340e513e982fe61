"""Answer cues: what a learner who knows nothing could exploit, per item and for a whole bank.

A test-wise guesser picks the longest option, the n longest options, the first actions in the order shown, or
"yes" every time (Haladyna, Downing & Rodriguez 2002, "A review of multiple-choice item-writing guidelines",
guidelines 28-31: keep options homogeneous in length and grammar, avoid "all/none of the above", avoid absolute
words that mark distractors). This module measures those cues; `limits_problems` turns the bank-level figures
into messages an author can act on. Lengths are characters of the option text as shown.
"""

from __future__ import annotations

import re
import statistics
from collections.abc import Iterable
from dataclasses import dataclass, replace

from certprep.domain.items import (
    BuildList,
    HotArea,
    Item,
    MultipleResponse,
    Option,
    SingleChoice,
    YesNoStatement,
)

KEY_MARGIN = 1.2  # a key more than 20% longer than every distractor is "longest by a clear margin"
ABSOLUTE = frozenset(
    ["always", "never", "none", "every", "everything", "nothing", "completely", "entirely", "guaranteed"]
)
NEGATION = frozenset(["not", "no", "never", "cannot", "can't", "don't", "doesn't", "isn't", "won't", "n't"])
AUXILIARY = frozenset(["do", "does", "did"])  # "do not enable X" negates "enable X"
ABOVE = re.compile(r"\b(all|none|both|neither) of the (above|options|answers)\b", re.I)
TOKEN = re.compile(r"[a-z0-9']+")


@dataclass(frozen=True, slots=True)
class Limits:
    """Bank-level limits (issue 10; docs/pack-format.md, "Answer cues")."""

    key_longest_share: float = 0.30
    key_rank_share: float = 0.40
    min_items: int = 10  # below this many items of a type, its shares say nothing (per-item cues still apply)
    length_ratio: tuple[float, float] = (0.90, 1.15)
    n_longest_share: float = 0.15
    yes_share: tuple[float, float] = (0.40, 0.60)


LIMITS = Limits()
ORDINAL = ("longest", "second-longest", "third-longest", "fourth-longest", "fifth-longest", "sixth-longest")


@dataclass(frozen=True, slots=True)
class ItemCue:
    item: str
    rule: str
    message: str


@dataclass(frozen=True, slots=True)
class CueFigures:
    """Bank-level cue figures over reviewed, non-pilot scored items."""

    single: int
    single_key_longest: int
    median_length_ratio: float
    multiple: int
    multiple_n_longest: int
    yes_no: int
    yes_keys: int
    build_lists: int
    build_list_authored_as_key: int
    hot_area_blanks: int
    hot_area_key_longest: int
    key_ranks: tuple[int, ...] = ()  # single choice: how many keys are the longest, 2nd longest, ... option

    @property
    def top_rank(self) -> tuple[int, int]:
        """(rank, count) of the length rank that holds the most single-choice keys (0 = longest)."""
        if not self.key_ranks:
            return 0, 0
        count = max(self.key_ranks)
        return self.key_ranks.index(count), count

    @property
    def top_rank_share(self) -> float:
        return self.top_rank[1] / self.single if self.single else 0.0

    @property
    def key_longest_share(self) -> float:
        return self.single_key_longest / self.single if self.single else 0.0

    @property
    def n_longest_share(self) -> float:
        return self.multiple_n_longest / self.multiple if self.multiple else 0.0

    @property
    def yes_share(self) -> float:
        return self.yes_keys / self.yes_no if self.yes_no else 0.5

    @property
    def build_list_authored_share(self) -> float:
        return self.build_list_authored_as_key / self.build_lists if self.build_lists else 0.0

    @property
    def hot_area_key_longest_share(self) -> float:
        return self.hot_area_key_longest / self.hot_area_blanks if self.hot_area_blanks else 0.0


def _length(option: Option) -> int:
    return len(option.text.strip())


def key_is_longest(options: Iterable[Option], key: str) -> bool:
    """The key is strictly longer than every other option."""
    opts = list(options)
    key_len = next(_length(o) for o in opts if o.id == key)
    return all(_length(o) < key_len for o in opts if o.id != key)


def keys_are_n_longest(options: Iterable[Option], keys: frozenset[str]) -> bool:
    """Every key is strictly longer than every distractor (so picking the n longest finds the key)."""
    opts = list(options)
    shortest_key = min(_length(o) for o in opts if o.id in keys)
    return all(_length(o) < shortest_key for o in opts if o.id not in keys)


def key_rank(options: Iterable[Option], key: str) -> int:
    """How many options are strictly longer than the key (0: the key is the longest, ties included)."""
    opts = list(options)
    key_len = next(_length(o) for o in opts if o.id == key)
    return sum(_length(o) > key_len for o in opts if o.id != key)


def length_ratio(options: Iterable[Option], keys: Iterable[str]) -> float | None:
    """Mean key length over mean distractor length."""
    chosen = set(keys)
    opts = list(options)
    k = [_length(o) for o in opts if o.id in chosen]
    d = [_length(o) for o in opts if o.id not in chosen]
    if not k or not d or not statistics.fmean(d):
        return None
    return statistics.fmean(k) / statistics.fmean(d)


def authored_as_key(item: BuildList) -> bool:
    """The authored option order starts with the key's actions in key order."""
    return tuple(o.id for o in item.options[: len(item.key)]) == item.key


def _tokens(text: str) -> list[str]:
    return TOKEN.findall(text.lower().replace("n't", " n't"))


def negation_pairs(options: Iterable[Option]) -> list[tuple[str, str]]:
    """Pairs of options that say the same thing except for a negation."""
    opts = list(options)
    stripped = []
    for o in opts:
        words = _tokens(o.text)
        rest = [t for t in words if t not in NEGATION and t not in AUXILIARY]
        stripped.append((o.id, rest, sum(t in NEGATION for t in words)))
    out = []
    for i, (a, rest_a, neg_a) in enumerate(stripped):
        for b, rest_b, neg_b in stripped[i + 1 :]:
            if rest_a and rest_a == rest_b and neg_a != neg_b:
                out.append((a, b))
    return out


def _keyed(item: Item) -> bool:
    """The item's keys are among its options (a broken key is the key check's to report, not a cue)."""
    match item:
        case SingleChoice():
            return item.key in {o.id for o in item.options} and len(item.options) > 1
        case MultipleResponse():
            ids = {o.id for o in item.options}
            return bool(item.key) and item.key <= ids and len(ids) > len(item.key)
        case HotArea():
            return all(b.key in {o.id for o in b.options} for b in item.blanks)
    return True


def item_cues(item: Item) -> list[ItemCue]:
    """Every cue found in one item, each with a message naming what to change."""
    iid = item.meta.id
    if not _keyed(item):
        return []
    out: list[ItemCue] = []
    match item:
        case SingleChoice():
            key = next(o for o in item.options if o.id == item.key)
            longest_other = max(_length(o) for o in item.options if o.id != item.key)
            if _length(key) > KEY_MARGIN * longest_other:
                out.append(
                    ItemCue(
                        iid,
                        "key-longest",
                        f"the key ({_length(key)} characters) is more than 20% longer than the longest "
                        f"distractor ({longest_other}): make the distractors as specific as the key or "
                        "shorten the key",
                    )
                )
        case MultipleResponse():
            if keys_are_n_longest(item.options, item.key):
                out.append(
                    ItemCue(
                        iid,
                        "keys-longest",
                        f"the {item.choose} keys are the {item.choose} longest options: lengthen some "
                        "distractors or shorten some keys",
                    )
                )
    if isinstance(item, SingleChoice | MultipleResponse):
        keys = {item.key} if isinstance(item, SingleChoice) else set(item.key)
        out.extend(_option_wording(iid, item.options, keys))
    return out


def _option_wording(iid: str, options: tuple[Option, ...], keys: set[str]) -> list[ItemCue]:
    out = []
    for a, b in negation_pairs(options):
        out.append(
            ItemCue(
                iid,
                "negation-pair",
                f"options {a} and {b} differ only by a negation, so one of them is likely the key: "
                "rewrite one as a distinct, plausible alternative",
            )
        )
    for o in options:
        if ABOVE.search(o.text):
            out.append(
                ItemCue(
                    iid,
                    "all-none-of-the-above",
                    f"option {o.id} says {ABOVE.search(o.text).group(0)!r}: write a real alternative instead",  # type: ignore[union-attr]
                )
            )
    in_keys = {w for o in options if o.id in keys for w in _tokens(o.text)} & ABSOLUTE
    in_distractors = {w for o in options if o.id not in keys for w in _tokens(o.text)} & ABSOLUTE
    if in_distractors and not in_keys:
        out.append(
            ItemCue(
                iid,
                "absolute-words",
                f"absolute words ({', '.join(sorted(in_distractors))}) appear only in distractors, which "
                "marks them as wrong: qualify them or use such words in a key too",
            )
        )
    return out


def cue_figures(items: Iterable[Item]) -> CueFigures:
    """The bank-level figures over reviewed, non-pilot items."""
    counted = [i for i in items if i.meta.status == "reviewed" and not i.meta.pilot and _keyed(i)]
    singles = [i for i in counted if isinstance(i, SingleChoice)]
    multiples = [i for i in counted if isinstance(i, MultipleResponse)]
    yes_no = [i for i in counted if isinstance(i, YesNoStatement)]
    builds = [i for i in counted if isinstance(i, BuildList)]
    blanks = [b for i in counted if isinstance(i, HotArea) for b in i.blanks if len(b.options) > 1]
    ratios = [r for i in singles if (r := length_ratio(i.options, [i.key])) is not None]
    ranks = [key_rank(i.options, i.key) for i in singles]
    return CueFigures(
        single=len(singles),
        single_key_longest=sum(key_is_longest(i.options, i.key) for i in singles),
        median_length_ratio=statistics.median(ratios) if ratios else 1.0,
        multiple=len(multiples),
        multiple_n_longest=sum(keys_are_n_longest(i.options, i.key) for i in multiples),
        yes_no=len(yes_no),
        yes_keys=sum(i.key for i in yes_no),
        build_lists=len(builds),
        build_list_authored_as_key=sum(authored_as_key(i) for i in builds),
        hot_area_blanks=len(blanks),
        hot_area_key_longest=sum(key_is_longest(b.options, b.key) for b in blanks),
        key_ranks=tuple(ranks.count(r) for r in range(max(ranks) + 1)) if ranks else (),
    )


def _enough(f: CueFigures, least: int) -> CueFigures:
    """The figures with every type that has fewer than `least` items left out (counted as none)."""
    if f.single < least:
        f = replace(f, single=0, single_key_longest=0, median_length_ratio=1.0, key_ranks=())
    if f.multiple < least:
        f = replace(f, multiple=0, multiple_n_longest=0)
    if f.yes_no < least:
        f = replace(f, yes_no=0, yes_keys=0)
    return f


def limits_problems(f: CueFigures, limits: Limits = LIMITS) -> list[str]:
    """Each bank-level limit the figures break, as a message saying what to change."""
    out = []
    f = _enough(f, limits.min_items)
    if f.key_longest_share > limits.key_longest_share:
        out.append(
            f"the key is the longest option in {f.single_key_longest} of {f.single} single-choice items "
            f"({f.key_longest_share:.0%}; limit {limits.key_longest_share:.0%}): a guesser picking the longest "
            "option gains points; lengthen distractors or shorten keys"
        )
    rank, count = f.top_rank
    if f.top_rank_share > limits.key_rank_share:
        out.append(
            f"the key is the {ORDINAL[rank]} option by length in {count} of {f.single} single-choice items "
            f"({f.top_rank_share:.0%}; limit {limits.key_rank_share:.0%}): a guesser picking that rank gains "
            "points; rewrite options so that which one is longest varies"
        )
    low, high = limits.length_ratio
    if f.single and not low <= f.median_length_ratio <= high:
        out.append(
            f"the median single-choice key is {f.median_length_ratio:.2f} times the mean distractor length "
            f"(allowed {low:.2f}-{high:.2f}): write keys and distractors of similar length"
        )
    if f.n_longest_share > limits.n_longest_share:
        out.append(
            f"the keys are the n longest options in {f.multiple_n_longest} of {f.multiple} multiple-choice "
            f"items ({f.n_longest_share:.0%}; limit {limits.n_longest_share:.0%}): lengthen distractors or "
            "shorten keys"
        )
    low, high = limits.yes_share
    if f.yes_no and not low <= f.yes_share <= high:
        out.append(
            f"{f.yes_keys} of {f.yes_no} yes/no statements are keyed yes ({f.yes_share:.0%}; allowed "
            f"{low:.0%}-{high:.0%}): rewrite some proposed solutions so that their answer changes"
        )
    return out


@dataclass(frozen=True, slots=True)
class CueLine:
    """One bank-level figure as faces show it: what, how many of how many, the value, its limit and verdict."""

    rule: str
    label: str
    count: int
    total: int
    value: float
    limit: str
    ok: bool | None  # None: reported for information, no limit


def cue_lines(f: CueFigures, limits: Limits = LIMITS) -> tuple[CueLine, ...]:
    """The figures with their limits, in the order the checker reports them."""
    low_r, high_r = limits.length_ratio
    low_y, high_y = limits.yes_share
    judged = _enough(f, limits.min_items)

    def verdict(ok: bool, total: int, judged_total: int) -> bool | None:
        return None if total and not judged_total else ok

    lines = (
        CueLine(
            "key-longest",
            "single choice: key is the longest option",
            f.single_key_longest,
            f.single,
            round(f.key_longest_share, 4),
            f"at most {limits.key_longest_share:.0%}",
            verdict(f.key_longest_share <= limits.key_longest_share, f.single, judged.single),
        ),
        CueLine(
            "key-rank",
            f"single choice: key is the {ORDINAL[f.top_rank[0]]} option (the most common rank)",
            f.top_rank[1],
            f.single,
            round(f.top_rank_share, 4),
            f"at most {limits.key_rank_share:.0%}",
            verdict(f.top_rank_share <= limits.key_rank_share, f.single, judged.single),
        ),
        CueLine(
            "length-ratio",
            "single choice: median key length / mean distractor length",
            f.single,
            f.single,
            round(f.median_length_ratio, 4),
            f"{low_r:.2f}-{high_r:.2f}",
            verdict(not f.single or low_r <= f.median_length_ratio <= high_r, f.single, judged.single),
        ),
        CueLine(
            "keys-longest",
            "multiple choice: the keys are the n longest options",
            f.multiple_n_longest,
            f.multiple,
            round(f.n_longest_share, 4),
            f"at most {limits.n_longest_share:.0%}",
            verdict(f.n_longest_share <= limits.n_longest_share, f.multiple, judged.multiple),
        ),
        CueLine(
            "yes-share",
            "yes/no: statements keyed yes",
            f.yes_keys,
            f.yes_no,
            round(f.yes_share, 4),
            f"{low_y:.0%}-{high_y:.0%}",
            verdict(not f.yes_no or low_y <= f.yes_share <= high_y, f.yes_no, judged.yes_no),
        ),
        CueLine(
            "build-list-authored-order",
            "build list: authored order starts with the key (shuffled when shown)",
            f.build_list_authored_as_key,
            f.build_lists,
            round(f.build_list_authored_share, 4),
            "none (the engine shuffles)",
            None,
        ),
        CueLine(
            "hot-area-key-longest",
            "hot area: key is the longest option of its blank",
            f.hot_area_key_longest,
            f.hot_area_blanks,
            round(f.hot_area_key_longest_share, 4),
            "none (chance is 1 in 3 or 4)",
            None,
        ),
    )
    return lines
