"""Sets of record keys held as 128-bit digests in sorted numpy runs, for national deliveries.

A loader checks every reference and every duplicate against the keys it has seen, and a
national delivery holds millions of them. As Python strings in sets and dicts each costs some
150 bytes; here each costs its 16-byte digest and a 4-byte value. Runs are merged as they
grow, like a log-structured merge tree: a batch added is a small sorted run, two runs of
about the same size become one, so there are never more than about log2(n) runs to search
and each member is re-sorted about log2(n) times. Two different keys share a digest with odds
of about n² / 2¹²⁹ (under 10⁻²³ for ten million keys).

A digest is a row of two uint64 words; runs sort by the first word, then the second, so that
searches compare machine integers.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

import numpy as np
import numpy.typing as npt

Digests = npt.NDArray[np.uint64]  # shape (n, 2)
Values = npt.NDArray[np.uint32]
Mask = npt.NDArray[np.bool_]


def digests(texts: Iterable[str]) -> Digests:
    """The 128-bit digest of each text, in order (surrogate escapes hash as their bytes)."""
    blake = hashlib.blake2b
    joined = b"".join(
        blake(t.encode("utf-8", "surrogateescape"), digest_size=16).digest() for t in texts
    )
    return np.frombuffer(joined, dtype=np.uint64).reshape(-1, 2)


def first_occurrences(keys: Digests) -> Mask:
    """Which rows hold the first occurrence of their digest."""
    first = np.ones(len(keys), dtype=bool)
    if len(keys) > 1:
        order = np.lexsort((keys[:, 1], keys[:, 0]))  # stable: equal digests keep their order
        ordered = keys[order]
        first[order[1:]] = (ordered[1:] != ordered[:-1]).any(axis=1)
    return first


class DigestSet:
    """Members are digests, each with a uint32 value (a line number, an index)."""

    def __init__(self) -> None:
        self._runs: list[_Run] = []
        self._size = 0

    def __len__(self) -> int:
        return self._size

    def find(self, keys: Digests) -> tuple[Mask, Values]:
        """For each digest: whether it is a member, and its value (0 where it is not)."""
        found = np.zeros(len(keys), dtype=bool)
        values = np.zeros(len(keys), dtype=np.uint32)
        for run in self._runs:
            at = run.search(keys)
            hit = at >= 0
            found |= hit
            values[hit] = run.values[at[hit]]
        return found, values

    def add(self, keys: Digests, values: Values | None = None) -> Mask:
        """Add the digests not yet members, the first of any repeated among them winning;
        return which of them were added."""
        if values is None:
            values = np.zeros(len(keys), dtype=np.uint32)
        added = first_occurrences(keys) & ~self.find(keys)[0]
        if added.any():
            self._push(keys[added], values[added].astype(np.uint32))
        return added

    def _push(self, keys: Digests, values: Values) -> None:
        self._runs.append(_Run(keys[:, 0], keys[:, 1], values))
        self._size += len(keys)
        while len(self._runs) > 1 and len(self._runs[-2]) <= 2 * len(self._runs[-1]):
            b, a = self._runs.pop(), self._runs.pop()
            self._runs.append(a.merged(b))


class _Run:
    """Members sorted by first word, then second, each word in its own contiguous array."""

    def __init__(self, high: npt.NDArray[np.uint64], low: npt.NDArray[np.uint64], values: Values):
        # A stable sort merges two sorted runs in linear time; first words that agree (rare)
        # need the second word to order them.
        order = np.argsort(high, kind="stable")
        if (np.diff(high[order]) == 0).any():
            order = np.lexsort((low, high))
        self.high, self.low, self.values = high[order], low[order], values[order]

    def __len__(self) -> int:
        return len(self.high)

    def merged(self, other: _Run) -> _Run:
        return _Run(
            np.concatenate([self.high, other.high]),
            np.concatenate([self.low, other.low]),
            np.concatenate([self.values, other.values]),
        )

    def search(self, keys: Digests) -> npt.NDArray[np.intp]:
        """Each key's position in the run, or -1 where it is absent."""
        high, low = self.high, self.low
        at = np.searchsorted(high, keys[:, 0]).clip(max=len(high) - 1)
        same_high = high[at] == keys[:, 0]
        hit = same_high & (low[at] == keys[:, 1])
        # Where the first words agree and the second do not, another member may share the
        # first word: search that stretch by the second (odds of about n² / 2⁶⁵).
        for i in np.flatnonzero(same_high & ~hit):
            left = int(np.searchsorted(high, keys[i, 0], "left"))
            right = int(np.searchsorted(high, keys[i, 0], "right"))
            j = left + int(np.searchsorted(low[left:right], keys[i, 1]))
            if j < right and low[j] == keys[i, 1]:
                at[i], hit[i] = j, True
        return np.where(hit, at, -1)
