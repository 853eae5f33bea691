"""Near-duplicate candidates without all-pairs comparison: vectorised MinHash and LSH banding.

Each text is a set of word hashes; NUM_PERM universal hashes give its MinHash signature, cut
into BANDS bands of ROWS rows. Two texts become candidates when one band is equal, which for
a word-set Jaccard similarity J happens with probability 1 - (1 - J**ROWS)**BANDS
(about 0.99 at J = 0.7, 0.12 at J = 0.3). Clustering is "leader" style: texts are visited in a
fixed order and only cluster leaders are indexed (at most BUCKET_CAP per bucket), and each text is verified against at most
MAX_CANDIDATES leaders (those sharing the most bands), so the cost grows with the number of texts,
not their pairs.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from itertools import chain
from typing import Callable, Mapping, Sequence

import numpy as np
from rapidfuzz.distance import Indel

from .settings import BANDS, BUCKET_CAP, MAX_CANDIDATES, NUM_PERM
from .text import STOPWORDS, token_hash

ROWS = NUM_PERM // BANDS
_CHUNK = 1 << 16

_rng = np.random.default_rng(20240611)  # fixed: signatures must not change between runs
_A = (_rng.integers(1, 1 << 63, NUM_PERM, dtype=np.uint64) | np.uint64(1))
_B = _rng.integers(0, 1 << 63, NUM_PERM, dtype=np.uint64)


def minhash_signatures(token_sets: Sequence[Sequence[int]]) -> np.ndarray:
    """One row of NUM_PERM 32-bit minimums per set of 32-bit token hashes (all sets must be non-empty)."""
    lengths = np.fromiter((len(s) for s in token_sets), dtype=np.int64, count=len(token_sets))
    flat = np.fromiter((h for s in token_sets for h in s), dtype=np.uint64, count=int(lengths.sum()))
    starts = np.concatenate(([0], np.cumsum(lengths)[:-1])) if len(lengths) else np.zeros(0, np.int64)
    out = np.empty((len(token_sets), NUM_PERM), dtype=np.uint32)
    # Rows are processed in chunks so that the (tokens x NUM_PERM) matrix stays small.
    row = 0
    while row < len(token_sets):
        end = row
        total = 0
        while end < len(token_sets) and (total == 0 or total + lengths[end] <= _CHUNK):
            total += lengths[end]
            end += 1
        lo, hi = starts[row], starts[row] + total
        with np.errstate(over="ignore"):
            hashed = ((flat[lo:hi, None] * _A[None, :] + _B[None, :]) >> np.uint64(32)).astype(np.uint32)
        out[row:end] = np.minimum.reduceat(hashed, starts[row:end] - lo, axis=0)
        row = end
    return out


def shingles(tokens: Sequence[str]) -> list[int]:
    """The word set a text is compared on: content words (stop words only if nothing else is left)."""
    content = {token_hash(t) for t in tokens if t not in STOPWORDS}
    return sorted(content or {token_hash(t) for t in tokens} or {0})


def most_voted(votes: Mapping[int, int], limit: int) -> list[int]:
    """The `limit` candidates with the most votes, fewer votes after more and then smaller numbers first (the
    order of heapq.nsmallest by (-votes, candidate), sorted in C instead of by a key function per candidate)."""
    return sorted(sorted(votes), key=votes.__getitem__, reverse=True)[:limit]


def similarity(left: str, right: str) -> float:
    """Normalised Indel similarity of two comparison texts (1.0 = equal), as rapidfuzz's fuzz.ratio / 100."""
    return Indel.normalized_similarity(left, right)


def _band_keys(signatures: np.ndarray) -> list[list[int]]:
    """One integer key per band and text: the band's rows mixed into 64 bits, salted with the band number."""
    rows = signatures.reshape(len(signatures), BANDS, ROWS).astype(np.uint64)
    keys = np.zeros((len(signatures), BANDS), dtype=np.uint64)
    with np.errstate(over="ignore"):
        for row in range(ROWS):
            keys = keys * np.uint64(0x100000001B3) + rows[:, :, row] + np.uint64(1)
        keys = keys * np.uint64(BANDS) + np.arange(BANDS, dtype=np.uint64)
    return keys.tolist()


@dataclass(frozen=True)
class Link:
    """A text that joined a leader's cluster (or was kept apart by a guard)."""

    member: int
    leader: int
    score: float
    guard: str | None  # the guard that kept them apart, None when merged


def leader_clusters(
    texts: Sequence[str],
    token_lists: Sequence[Sequence[str]],
    signatures: Sequence[tuple],
    threshold: float,
    conflict: Callable[[tuple, tuple], str | None],
    indexed: int | None = None,
) -> tuple[list[int], list[Link]]:
    """Cluster texts (in the given order) whose similarity to a leader is >= threshold and whose guards agree.

    Only the first `indexed` texts (all by default) may become leaders; the rest only look for one. Each text is
    its tokens joined by spaces, so equal texts have equal tokens.
    Returns the leader index of every text and the links: merges, and for each text the closest
    leader a guard kept it apart from.
    """
    if not texts:
        return [], []
    # Texts repeat (a block under several subjects or links): each distinct text is hashed once.
    row_of: dict[str, int] = {}
    distinct: list[Sequence[str]] = []
    rows = []
    for text, tokens in zip(texts, token_lists):
        row = row_of.get(text)
        if row is None:
            row = row_of[text] = len(distinct)
            distinct.append(tokens)
        rows.append(row)
    keys_of_row = _band_keys(minhash_signatures([shingles(t) for t in distinct]))
    band_keys = [keys_of_row[row] for row in rows]
    leader_of = list(range(len(texts)))
    links: list[Link] = []
    buckets: dict[int, list[int]] = {}
    for index, text in enumerate(texts):
        keys = band_keys[index]
        # Counted in C, leaders in the order first met; a text that shares no bucket (most new ones) counts nothing.
        shared = [bucket for bucket in map(buckets.get, keys) if bucket]
        votes = Counter(chain.from_iterable(shared)) if shared else {}
        seen = votes if len(votes) <= MAX_CANDIDATES else most_voted(votes, MAX_CANDIDATES)
        best: tuple[float, int] | None = None
        near_miss: tuple[float, int, str] | None = None  # a leader a guard kept apart (the first one found)
        length = len(text)
        for leader in seen:
            other = texts[leader]
            if 2 * min(length, len(other)) < threshold * (length + len(other)):
                continue  # the lengths alone rule out the threshold
            # The similarity, in C, first: most leaders miss the threshold, and their guards need no asking.
            score = Indel.normalized_similarity(text, other, score_cutoff=threshold)
            if score < threshold:
                continue
            # Equal signatures agree at once; a guard that compares by inclusion may agree with unequal ones.
            guard = None if signatures[index] == signatures[leader] else conflict(signatures[index], signatures[leader])
            if guard is not None:
                if near_miss is not None:
                    continue  # one guarded pair per text is enough for the audit
                near_miss = (score, leader, guard)
            elif best is None or score > best[0]:
                best = (score, leader)
        if near_miss is not None:
            links.append(Link(index, near_miss[1], round(near_miss[0], 4), near_miss[2]))
        if best is not None:
            leader_of[index] = best[1]
            links.append(Link(index, best[1], round(best[0], 4), None))
            continue
        if indexed is not None and index >= indexed:
            continue
        for key in keys:
            bucket = buckets.setdefault(key, [])
            if len(bucket) < BUCKET_CAP:
                bucket.append(index)
    return leader_of, links
