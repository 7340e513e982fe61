"""Near-duplicate items without comparing every pair: MinHash signatures with locality-sensitive hashing (LSH)
find candidate pairs, and each candidate is then scored exactly.

The score is the cosine similarity of word-count vectors (lowercased words, stop words removed); a pair at or
above the threshold (0.80, docs/pack-format.md) is a near-duplicate. Candidates come from MinHash over each
item's set of words (Broder 1997, "On the resemblance and containment of documents"; banding as in Leskovec,
Rajaraman & Ullman, "Mining of Massive Datasets", ch. 3.4): 128 hash functions in 32 bands of 4 rows, so two
items whose word sets have a Jaccard similarity of 0.5 share a band with probability 1 - (1 - 0.5^4)^32 = 0.87,
and at 0.6 with probability 0.99. A cosine of 0.80 on word counts comes with a set overlap well above that in
item text, so the search misses practically nothing while comparing a few pairs per item instead of n^2/2.
The hashes are fixed (CRC-32 of each word, seeded universal hashing), so results are repeatable.
"""

from __future__ import annotations

import math
import re
import zlib
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

NEAR_DUPLICATE = 0.8
WORD = re.compile(r"[a-z0-9][a-z0-9@._/-]*")
STOP = frozenset(
    [
        "a",
        "an",
        "the",
        "and",
        "or",
        "of",
        "to",
        "in",
        "on",
        "for",
        "with",
        "by",
        "from",
        "at",
        "as",
        "is",
        "are",
        "be",
        "it",
        "its",
        "this",
        "that",
        "these",
        "those",
        "which",
        "what",
        "you",
        "your",
        "we",
        "our",
        "they",
        "their",
        "not",
        "no",
        "do",
        "does",
        "can",
        "should",
        "must",
        "will",
        "would",
        "need",
        "needs",
        "use",
        "uses",
        "using",
        "into",
        "than",
        "then",
        "each",
    ]
)
HASHES, BANDS = 128, 32
_PRIME = (1 << 31) - 1
_rng = np.random.default_rng(20_261_206)
_A = _rng.integers(1, _PRIME, HASHES, dtype=np.uint64)
_B = _rng.integers(0, _PRIME, HASHES, dtype=np.uint64)


@dataclass(frozen=True, slots=True)
class Entry:
    """One item as the detector sees it: id, text (stem and option texts), container (never compared within)."""

    id: str
    text: str
    container: str | None = None


@dataclass(frozen=True, slots=True)
class NearPair:
    first: str
    second: str
    score: float


def word_counts(text: str) -> Counter[str]:
    """Lowercased words without stop words, counted."""
    return Counter(w for w in WORD.findall(text.lower()) if w not in STOP)


def cosine(a: Counter[str], b: Counter[str]) -> float:
    """Cosine similarity of two word-count vectors."""
    if len(b) < len(a):
        a, b = b, a
    dot = sum(n * b[w] for w, n in a.items() if w in b)
    norm = math.sqrt(sum(n * n for n in a.values())) * math.sqrt(sum(n * n for n in b.values()))
    return dot / norm if norm else 0.0


def _signature(words: Counter[str]) -> np.ndarray:
    if not words:
        return np.full(HASHES, _PRIME, dtype=np.uint64)
    h = np.fromiter((zlib.crc32(w.encode()) % _PRIME for w in words), dtype=np.uint64, count=len(words))
    return ((np.outer(_A, h) + _B[:, None]) % _PRIME).min(axis=1)  # type: ignore[no-any-return]


def near_duplicates(
    entries: Sequence[Entry], threshold: float = NEAR_DUPLICATE, *, new_from: int = 0
) -> list[NearPair]:
    """Pairs at or above the threshold, in entry order; with `new_from`, only pairs that involve an entry at or
    after that index (the new items of an import against the bank and each other)."""
    counts = [word_counts(e.text) for e in entries]
    norms = [math.sqrt(sum(n * n for n in c.values())) for c in counts]
    rows = HASHES // BANDS
    buckets: dict[tuple[int, bytes], list[int]] = defaultdict(list)
    for i, c in enumerate(counts):
        if not c:
            continue
        sig = _signature(c)
        for band in range(BANDS):
            buckets[(band, sig[band * rows : (band + 1) * rows].tobytes())].append(i)
    seen: set[tuple[int, int]] = set()
    out: list[NearPair] = []
    for members in buckets.values():
        if len(members) < 2:
            continue
        for x in range(len(members)):
            for y in range(x + 1, len(members)):
                i, j = members[x], members[y]
                if j < new_from or (i, j) in seen:
                    continue
                seen.add((i, j))
                a, b = entries[i], entries[j]
                if a.container and a.container == b.container:
                    continue
                a_counts, b_counts = counts[i], counts[j]
                if len(b_counts) < len(a_counts):
                    a_counts, b_counts = b_counts, a_counts
                dot = sum(n * b_counts[w] for w, n in a_counts.items() if w in b_counts)
                score = dot / (norms[i] * norms[j])
                if score >= threshold:
                    out.append(NearPair(a.id, b.id, score))
    return sorted(out, key=lambda p: (p.first, p.second))
