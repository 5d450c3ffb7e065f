"""An interval index over spans: what overlaps a range, what covers a position, and how a
range splits into pieces covered by the same spans (what painting needs).

Positions are code points and intervals are half-open ``[start, end)``. Non-empty intervals
live in sorted arrays with an implicit augmented binary tree (the layout of Heng Li's
cgranges): the node at index ``i`` stores the largest end in its subtree, so a query visits
O(log n + answers) nodes. Edits go to a small side buffer that is folded into the arrays
once it grows, so tagging one span costs microseconds and the arrays stay exact.

Results come ordered by start, then end (shorter first), then insertion order.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Hashable, Iterable, Iterator
from itertools import pairwise
from typing import Generic, NamedTuple, TypeVar

K = TypeVar("K", bound=Hashable)

_SCAN_LEVEL = 3  # subtrees this low (at most 15 nodes) are scanned rather than descended
_MAX_PENDING = 64  # buffered edits before the sorted arrays are rebuilt


class Segment(NamedTuple, Generic[K]):
    """An elementary piece ``[start, end)`` and the keys covering all of it."""

    start: int
    end: int
    keys: tuple[K, ...]


class IntervalIndex(Generic[K]):
    """Intervals ``(start, end, key)`` with unique keys; queries are read-only."""

    def __init__(self, intervals: Iterable[tuple[int, int, K]] = ()) -> None:
        self._bounds: dict[K, tuple[int, int]] = {}
        for start, end, key in intervals:
            if key in self._bounds:
                raise ValueError(f"duplicate interval key {key!r}")
            self._bounds[key] = _checked(start, end)
        self._rebuild()

    # -- edits ---------------------------------------------------------------------------

    def add(self, start: int, end: int, key: K) -> None:
        """Add an interval, or move it if ``key`` is already present."""
        if key in self._bounds:
            self.remove(key)
        self._bounds[key] = _checked(start, end)
        self._pending[key] = self._bounds[key]
        self._maybe_rebuild()

    def remove(self, key: K) -> None:
        """Remove ``key``; ``KeyError`` if absent."""
        del self._bounds[key]
        if self._pending.pop(key, None) is None:
            self._removed.add(key)
        self._maybe_rebuild()

    def discard(self, key: K) -> None:
        if key in self._bounds:
            self.remove(key)

    # -- inspection ------------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self._bounds)

    def __contains__(self, key: object) -> bool:
        return key in self._bounds

    def __iter__(self) -> Iterator[K]:
        return iter(self._bounds)

    def bounds(self, key: K) -> tuple[int, int]:
        return self._bounds[key]

    # -- queries -----------------------------------------------------------------------------

    def overlapping(self, lo: int, hi: int) -> list[K]:
        """Keys of intervals meeting ``[lo, hi)``: ``start < hi and lo < end``.

        A zero-length interval at ``p`` is included when ``lo <= p < hi`` (a point marker
        inside the range); ``lo == hi`` asks for nothing.
        """
        found = self._nonempty_overlapping(lo, hi)
        first = bisect_left(self._points, (lo,))
        last = bisect_left(self._points, (hi,))
        points = [(p, p, key) for p, _, key in self._points[first:last] if key not in self._removed]
        points += [(s, e, k) for k, (s, e) in self._pending.items() if s == e and lo <= s < hi]
        if points:
            found = sorted(found + points, key=_start_then_end)
        return [key for _, _, key in found]

    def at(self, pos: int) -> list[K]:
        """Keys of intervals covering position ``pos`` (``start <= pos < end``)."""
        return [key for _, _, key in self._nonempty_overlapping(pos, pos + 1)]

    def segments(self, lo: int, hi: int) -> list[Segment[K]]:
        """The maximal pieces of ``[lo, hi)`` covered by at least one interval, in order,
        each with its covering keys (ordered like query results). Gaps are left out."""
        found = self._nonempty_overlapping(lo, hi)
        if not found:
            return []
        clipped = [(max(s, lo), min(e, hi), key) for s, e, key in found]
        cuts = sorted({b for s, e, _ in clipped for b in (s, e)})
        pieces: list[Segment[K]] = []
        active: list[tuple[int, K]] = []  # (end, key), kept in query order
        following = 0
        for left, right in pairwise(cuts):
            active = [(e, k) for e, k in active if e > left]
            while following < len(clipped) and clipped[following][0] <= left:
                active.append((clipped[following][1], clipped[following][2]))
                following += 1
            if active:
                pieces.append(Segment(left, right, tuple(k for _, k in active)))
        return pieces

    # -- internals -----------------------------------------------------------------------------

    def _nonempty_overlapping(self, lo: int, hi: int) -> list[tuple[int, int, K]]:
        if lo >= hi:
            return []
        starts, ends, keys, removed = self._starts, self._ends, self._keys, self._removed
        found = [(starts[i], ends[i], keys[i]) for i in self._tree_query(lo, hi)]
        if removed:
            found = [item for item in found if item[2] not in removed]
        extra = [(s, e, k) for k, (s, e) in self._pending.items() if s < hi and lo < e and s < e]
        if extra:
            found = sorted(found + extra, key=_start_then_end)
        return found

    def _tree_query(self, lo: int, hi: int) -> list[int]:
        """Indices of stored non-empty intervals meeting ``[lo, hi)``, ascending."""
        starts, ends, top, n = self._starts, self._ends, self._max_end, len(self._starts)
        out: list[int] = []
        if n == 0:
            return out
        level = self._root_level
        stack = [((1 << level) - 1, level, False)]
        while stack:
            node, level, left_done = stack.pop()
            if level <= _SCAN_LEVEL:
                i = node >> level << level
                stop = min(i + (1 << (level + 1)) - 1, n)
                while i < stop and starts[i] < hi:
                    if lo < ends[i]:
                        out.append(i)
                    i += 1
            elif not left_done:
                stack.append((node, level, True))
                left = node - (1 << (level - 1))
                if left >= n or top[left] > lo:  # a missing node's subtree may still hold some
                    stack.append((left, level - 1, False))
            elif node < n and starts[node] < hi:
                if lo < ends[node]:
                    out.append(node)
                stack.append((node + (1 << (level - 1)), level - 1, False))
        return out

    def _maybe_rebuild(self) -> None:
        if len(self._pending) + len(self._removed) > _MAX_PENDING:
            self._rebuild()

    def _rebuild(self) -> None:
        keys = list(self._bounds)
        bounds = list(self._bounds.values())
        # Sorting indices by their (start, end) pair is twice as fast as sorting triples.
        order = sorted(range(len(bounds)), key=bounds.__getitem__)
        nonempty = [i for i in order if bounds[i][0] < bounds[i][1]]
        self._points = [(*bounds[i], keys[i]) for i in order if bounds[i][0] == bounds[i][1]]
        self._starts = [bounds[i][0] for i in nonempty]
        self._ends = [bounds[i][1] for i in nonempty]
        self._keys = [keys[i] for i in nonempty]
        self._max_end, self._root_level = _augment(self._ends)
        self._pending: dict[K, tuple[int, int]] = {}
        self._removed: set[K] = set()


def _start_then_end(item: tuple[int, int, object]) -> tuple[int, int]:
    return item[0], item[1]


def _checked(start: int, end: int) -> tuple[int, int]:
    if not 0 <= start <= end:
        raise ValueError(f"bad interval [{start}, {end})")
    return start, end


def _augment(ends: list[int]) -> tuple[list[int], int]:
    """Largest end in each implicit subtree (cgranges' ``cr_index_core``), and the root level.

    Leaves are the even indices; the nodes of level k are ``2**k - 1`` plus multiples of
    ``2**(k+1)``. A tree that is not full has "missing" right children: ``last`` carries the
    largest end of the rightmost existing subtree up the levels in their stead.
    """
    n = len(ends)
    top = list(ends)
    if n == 0:
        return top, 0
    last_i = (n - 1) & ~1
    last = ends[last_i]
    level = 1
    while (1 << level) <= n:
        half = 1 << (level - 1)
        for i in range((half << 1) - 1, n, half << 2):
            right = top[i + half] if i + half < n else last
            top[i] = max(ends[i], top[i - half], right)
        last_i = last_i - half if (last_i >> level) & 1 else last_i + half
        if last_i < n and top[last_i] > last:
            last = top[last_i]
        level += 1
    return top, level - 1
