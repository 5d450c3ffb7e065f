"""The interval index against brute force, including after incremental edits."""

from __future__ import annotations

import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.core.intervals import IntervalIndex, Segment

LIMIT = 60

intervals = st.lists(
    st.tuples(st.integers(0, LIMIT), st.integers(0, 25)).map(lambda t: (t[0], t[0] + t[1])),
    max_size=40,
).map(lambda bounds: [(s, e, f"k{i}") for i, (s, e) in enumerate(bounds)])
ranges = st.tuples(st.integers(0, LIMIT + 30), st.integers(0, 40)).map(
    lambda t: (t[0], t[0] + t[1])
)


def ordered(items: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    return sorted(items, key=lambda t: (t[0], t[1]))  # stable: insertion order breaks ties


def brute_overlapping(items, lo, hi) -> list[str]:
    if lo >= hi:
        return []
    return [k for s, e, k in ordered(items) if (s < hi and lo < e) or (s == e and lo <= s < hi)]


def brute_at(items, pos) -> list[str]:
    return [k for s, e, k in ordered(items) if s <= pos < e]


def brute_segments(items, lo, hi) -> list[Segment]:
    pieces: list[Segment] = []
    for pos in range(lo, hi):
        keys = tuple(brute_at(items, pos))
        if pieces and pieces[-1].end == pos and pieces[-1].keys == keys:
            pieces[-1] = Segment(pieces[-1].start, pos + 1, keys)
        elif keys:
            pieces.append(Segment(pos, pos + 1, keys))
    return pieces


def assert_matches(index: IntervalIndex, items, lo: int, hi: int) -> None:
    assert index.overlapping(lo, hi) == brute_overlapping(items, lo, hi)
    assert index.at(lo) == brute_at(items, lo)
    assert index.segments(lo, hi) == brute_segments(items, lo, hi)


@given(intervals, st.lists(ranges, min_size=1, max_size=10))
def test_queries_match_brute_force(items, queries):
    index = IntervalIndex(items)
    for lo, hi in queries:
        assert_matches(index, items, lo, hi)


@settings(max_examples=60)
@given(
    intervals,
    st.lists(
        st.tuples(st.booleans(), st.integers(0, 200), st.integers(0, LIMIT), st.integers(0, 9))
    ),
    st.lists(ranges, min_size=1, max_size=5),
)
def test_edits_match_brute_force(items, edits, queries):
    """Adds, moves and removals, enough of them to fold the side buffer into the arrays."""
    index = IntervalIndex(items)
    live = {k: (s, e) for s, e, k in items}
    for number, (is_add, key_no, start, length) in enumerate(edits * 4):
        key = f"k{key_no}"
        if is_add:
            index.add(start, start + length, key)
            live.pop(key, None)  # a moved key goes to the back of the insertion order
            live[key] = (start, start + length)
        elif key in live:
            index.remove(key)
            del live[key]
        if number % 17 == 0:
            current = [(s, e, k) for k, (s, e) in live.items()]
            for lo, hi in queries:
                assert_matches(index, current, lo, hi)
    current = [(s, e, k) for k, (s, e) in live.items()]
    assert len(index) == len(current) and set(index) == set(live)
    for lo, hi in queries:
        assert_matches(index, current, lo, hi)


def test_segments_give_each_piece_its_keys_in_order():
    index = IntervalIndex([(0, 10, "outer"), (2, 5, "inner"), (5, 8, "next"), (4, 4, "point")])
    assert index.segments(0, 10) == [
        Segment(0, 2, ("outer",)),
        Segment(2, 5, ("outer", "inner")),
        Segment(5, 8, ("outer", "next")),
        Segment(8, 10, ("outer",)),
    ]
    assert index.segments(3, 6) == [
        Segment(3, 5, ("outer", "inner")),
        Segment(5, 6, ("outer", "next")),
    ]
    assert index.at(4) == ["outer", "inner"]  # the zero-length "point" covers nothing
    assert index.overlapping(4, 5) == ["outer", "inner", "point"]  # by start
    assert index.overlapping(4, 4) == []


def test_rejects_bad_intervals_and_duplicate_keys():
    with pytest.raises(ValueError):
        IntervalIndex([(5, 4, "backwards")])
    with pytest.raises(ValueError):
        IntervalIndex([(0, 1, "a"), (2, 3, "a")])
    with pytest.raises(KeyError):
        IntervalIndex().remove("missing")


def test_ten_thousand_spans_build_and_query_fast():
    """Generous bounds: the figures themselves are in benchmarks/bench_article_view.py."""
    import random

    rng = random.Random(7)
    items = []
    for i in range(10_000):
        start = rng.randrange(2_000_000)
        items.append((start, start + rng.choice([rng.randint(1, 300), rng.randint(1, 5000)]), i))
    items.append((0, 2_000_000, "whole document"))
    began = time.perf_counter()
    index = IntervalIndex(items)
    built = time.perf_counter() - began
    began = time.perf_counter()
    for lo in range(0, 2_000_000, 20_000):
        index.segments(lo, lo + 4000)
    per_query = (time.perf_counter() - began) / 100
    assert built < 0.2 and per_query < 0.005
