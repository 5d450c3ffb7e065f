"""Aligning a folded quote inside a folded text: refining fuzzy matches and seeding the search."""

from __future__ import annotations

from rapidfuzz.distance import Indel

MAX_SEEDS, SEED_MIN, SEED_MAX = 16, 6, 32  # pieces of a quote searched exactly, their length
LONG_QUOTE = 64  # longer (folded) quotes are aligned from exact hits of pieces of them
MAX_SEED_HITS = 256  # a piece found more often is too common to list every hit of it
MAX_SLACK = 32  # how far one refinement step may move an end of a fuzzy alignment


def refine(
    nt: str, nq: str, a: int, b: int, lo: int, hi: int, slack: int = MAX_SLACK
) -> tuple[int, int, float]:
    """Move the ends of an alignment (partial_ratio's has the quote's length) to fit best."""
    slack, a0, b0 = min(slack, len(nq) // 4 + 2), a, b

    def key(s: int, e: int) -> tuple[float, int]:
        return Indel.normalized_similarity(nq, nt[s:e]), -abs(s - a0) - abs(e - b0)

    best = key(a, b)
    for _ in range(4):
        before = (a, b)
        for e in range(max(a + 1, b - slack), min(hi, b + slack) + 1):
            if (k := key(a, e)) > best:
                best, b = k, e
        for s in range(max(lo, a - slack), min(b, a + slack + 1)):
            if (k := key(s, b)) > best:
                best, a = k, s
        if (a, b) == before:
            break
    return a, b, best[0]


def refine_long(nt: str, nq: str, a: int) -> tuple[int, int, float]:
    """Align a long quote expected to start near ``a``: each end where the quote's own end
    piece fits best (comparing all of a long quote at every shift would be slow), then polish."""
    head, tail, reach = nq[:LONG_QUOTE], nq[-LONG_QUOTE:], 4 * MAX_SLACK

    def fit(piece: str, at: int) -> float:
        return Indel.normalized_similarity(piece, nt[at : at + len(piece)])

    a = min(max(0, a), len(nt))
    starts = range(max(0, a - reach), min(len(nt), a + reach) + 1)
    s = max(starts, key=lambda s: (fit(head, s), -abs(s - a)))
    e0 = s + len(nq)
    ends = range(max(s + 1, e0 - reach), min(len(nt), e0 + reach) + 1)
    e = max(ends, key=lambda e: (fit(tail, e - len(tail)), -abs(e - e0)), default=len(nt))
    return refine(nt, nq, s, e, 0, len(nt), slack=4)


def seed_starts(nt: str, nq: str) -> tuple[list[int], bool]:
    """Where the quote would start, by exact hits of pieces of it, and whether these are all
    (not if the quote is too short to cut or a piece too common to list every hit of it)."""
    size = max(SEED_MIN, min(SEED_MAX, len(nq) // 4))
    count = min(MAX_SEEDS, len(nq) // size)
    starts: list[int] = []
    complete = count >= 2
    for offset in (round(k * (len(nq) - size) / (count - 1)) for k in range(count * complete)):
        piece, hits, i = nq[offset : offset + size], [], -1
        while piece.strip() and len(hits) <= MAX_SEED_HITS and (i := nt.find(piece, i + 1)) >= 0:
            hits.append(i)
        complete &= len(hits) <= MAX_SEED_HITS
        starts += [h - offset for h in hits] if len(hits) <= MAX_SEED_HITS else []
    return starts, complete


def merged(ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for lo, hi in sorted(ranges):
        if merged and lo <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(hi, merged[-1][1]))
        else:
            merged.append((lo, hi))
    return merged
