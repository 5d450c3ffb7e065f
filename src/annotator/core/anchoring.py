"""Find a span's quote in a (possibly changed) text: position, then exact, then fuzzy; never guess.

The position is trusted while the text there still equals the quote; else the exact occurrences
are ranked by context and closeness to the expected start; else approximate matches (rapidfuzz,
on a *folded* copy of the text: case, curly/straight quotes, dashes, whitespace runs) ranked by
quote similarity first. The best must lead the runner-up by ``AMBIGUITY_MARGIN`` (0.03: one
different character next to the span is enough, one far from it is not) and a fuzzy match needs
a quote similarity of ``ACCEPT_SCORE`` (0.85: one wrong character in 7, three in 20; below that
short quotes match unrelated places). Otherwise: ``Unanchored`` with the best candidates.
``Anchor.score`` is a confidence: quote similarity times the agreement of context and position
(see ``anchor_scoring``); a place below ``ACCEPT_CONFIDENCE`` (0.5) contradicts the span's
prefix and suffix, and is not accepted even when it is the only one: ``Unanchored("not_found")``
with it as candidate. A selector without context (a hand-written set) has only a position, often
stale, to contradict a place: it is judged by its quote and the ambiguity check alone.

Work is bounded (branch and bound: places are examined nearest the expected start first, and
farther ones only for what their closeness still allows). Quotes up to ``LONG_QUOTE`` are looked
for everywhere in texts up to ``FULL_SCAN_CHARS``; longer quotes, and quotes in longer texts,
only near the expected start and near exact hits of pieces of the quote: a place altered in
every piece goes unseen there.
"""

from __future__ import annotations

import heapq
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property

from rapidfuzz import fuzz

from annotator.core.anchor_scoring import (
    ACCEPT_CONFIDENCE,
    EXACT_WEIGHTS,
    FUZZY_WEIGHTS,
    MAX_REPORTED,
    Anchor,
    Candidate,
    Scorer,
    Unanchored,
    decide,
    unanchored,
)
from annotator.core.fuzzy_align import (
    LONG_QUOTE,
    MAX_SLACK,
    merged,
    refine,
    refine_long,
    seed_starts,
)
from annotator.core.model import CONTEXT_CHARS, Span
from annotator.core.textfold import NormalisedText, fold, normalise

__all__ = [
    "ACCEPT_CONFIDENCE", "ACCEPT_SCORE", "AMBIGUITY_MARGIN", "MAX_REPORTED", "Anchor", "Selector",
    "TextIndex", "Unanchored", "context", "fold", "locate", "locate_many", "normalise",
]  # fmt: skip

ACCEPT_SCORE = 0.85  # least quote similarity of a fuzzy match
AMBIGUITY_MARGIN = 0.03  # the winner's lead over the runner-up
RIVAL_BAND = 0.10  # matches this far below the threshold still count as rivals
LOCAL_WINDOW = 1024  # exact occurrences this near the expected start are scored first
FULL_SCAN_CHARS = 100_000  # fuzzy search looks everywhere in texts up to this size
MAX_RIVALS, MAX_FOUND = 8, 32  # more near matches, or matches seen: ambiguous, stop
PARTIAL_TOLERANCE = 0.05  # partial_ratio's fixed-length window may score below the fitted match


@dataclass(frozen=True)
class Selector:
    """What is known of a span: its quote, context and (possibly stale) position."""

    quote: str
    prefix: str = ""
    suffix: str = ""
    start: int | None = None
    end: int | None = None

    @classmethod
    def of(cls, span: Span) -> Selector:
        return cls(span.quote, span.prefix, span.suffix, span.start, span.end)


def context(text: str, start: int, end: int, size: int = CONTEXT_CHARS) -> tuple[str, str]:
    """The prefix and suffix of ``text[start:end]``, at most ``size`` code points each."""
    if not 0 <= start <= end <= len(text):
        raise ValueError(f"span {start}:{end} outside a text of length {len(text)}")
    return text[max(0, start - size) : start], text[end : end + size]


def _occurrences(text: str, quote: str, lo: int = 0, hi: int | None = None) -> list[int]:
    """Starts of ``quote`` within ``text[lo:hi]``, overlapping ones included."""
    found, i = [], text.find(quote, lo, hi)
    while i >= 0:
        found.append(i)
        i = text.find(quote, i + 1, hi)
    return found


# --- Fuzzy search over the folded text ---


class _FuzzySearch:
    """Branch and bound. partial_ratio reports only the single best match of a range, so each
    match found splits its range and the pieces are searched again, nearest first, each for the
    least similarity that could still rank within the margin of the best found so far given the
    closeness reachable there: far and hopeless ranges cost little."""

    def __init__(self, index: TextIndex, sel: Selector, nq: str, expected: int | None) -> None:
        self.norm, self.nq = index.normalised, nq
        self.centre = None if expected is None else self.norm.to_normalised(max(0, expected))
        self.scorer = Scorer(index.text, sel, expected, FUZZY_WEIGHTS)
        self.found: list[Candidate] = []
        self.places: list[tuple[int, int]] = []  # the same, in the folded text

    def add(self, a: int, b: int, similarity: float) -> None:
        """Keep a match unless it is empty or a better one overlaps it (the same place)."""
        start, end = self.norm.to_original(a), self.norm.end_to_original(b)
        same = [k for k, (s, e) in enumerate(self.places) if a < e and s < b]
        if start >= end or any(self.found[k].similarity >= similarity for k in same):
            return
        for k in reversed(same):
            del self.found[k], self.places[k]
        self.found.append(self.scorer.candidate(start, end, similarity, "fuzzy"))
        self.places.append((a, b))

    def run_long(self, starts: list[int], threshold: float, margin: float) -> Anchor | Unanchored:
        """A long quote: aligned where pieces of it were found and where it is expected,
        nearest first, until farther places could not compete any more."""
        floor, aligned = threshold - RIVAL_BAND, []
        near = [self.centre] if self.centre is not None else []
        votes = Counter(a // MAX_SLACK for a in starts)  # pieces agreeing on a place
        places = {*starts, *near}
        for a in sorted(places, key=lambda a: (self._distance(a, a), -votes[a // MAX_SLACK], a)):
            reachable = self.scorer.bound_beyond(self._distance(a, a))
            if self.found and reachable < self.best_rank(floor) - margin:
                break  # and so are all farther ones
            if all(abs(a - b) > MAX_SLACK for b in aligned):  # one alignment per place
                aligned.append(a)
                self.add(*refine_long(self.norm.text, self.nq, a))
            if len(self.found) > MAX_FOUND:
                return self.too_many(threshold)
        return decide(self.found, threshold, margin, floor)

    def best_rank(self, floor: float) -> float:
        return max((c.rank for c in self.found if c.similarity >= floor), default=0.0)

    def too_many(self, threshold: float) -> Unanchored:
        good = any(c.similarity >= threshold for c in self.found)
        return unanchored("ambiguous" if good else "not_found", self.found)

    def cutoff(self, distance: int, floor: float, margin: float) -> float:
        """The least partial_ratio score with which a match this far away could compete."""
        if not self.found:
            return 0.0  # the first match is kept whatever its score, for the report
        w_quote, best = self.scorer.weights[0], self.best_rank(floor)
        needed = 1.0 - (self.scorer.bound_beyond(distance) - (best - margin)) / w_quote
        return max(floor, needed) - PARTIAL_TOLERANCE

    def run(
        self, ranges: list[tuple[int, int]], threshold: float, margin: float
    ) -> Anchor | Unanchored:
        nt, nq, floor = self.norm.text, self.nq, threshold - RIVAL_BAND
        if len(nt) < len(nq):  # partial_ratio would look for the text inside the quote
            self.add(*refine(nt, nq, 0, len(nt), 0, len(nt)))
            return decide(self.found, threshold, margin, floor)
        ranges = [(lo, min(hi, len(nt))) for lo, hi in ranges]
        heap = [(self._distance(lo, hi), lo, hi) for lo, hi in ranges]
        heapq.heapify(heap)
        while heap:
            best = self.best_rank(floor)
            near = sum(c.similarity >= floor and c.rank >= best - margin for c in self.found)
            if len(self.found) > MAX_FOUND or near > MAX_RIVALS:  # too many alike: no guess
                return self.too_many(threshold)
            distance, lo, hi = heapq.heappop(heap)
            cutoff = self.cutoff(distance, floor, margin)
            if hi - lo < len(nq) or cutoff > 1.0:
                continue
            r = fuzz.partial_ratio_alignment(nq, nt[lo:hi], score_cutoff=100 * max(0.0, cutoff))
            if r is None or r.score < 100 * cutoff or r.score == 0:
                continue
            a, b, similarity = refine(nt, nq, lo + r.dest_start, lo + r.dest_end, lo, hi)
            self.add(a, b, similarity)
            for piece in ((lo, a), (b, hi)):
                heapq.heappush(heap, (self._distance(*piece), *piece))
        return decide(self.found, threshold, margin, floor)

    def _distance(self, lo: int, hi: int) -> int:
        return 0 if self.centre is None else max(lo - self.centre, self.centre - hi, 0)


# --- The index and the three steps ---


class TextIndex:
    """One text prepared for locating many spans in it (the folded copy is built once, lazily)."""

    def __init__(self, text: str) -> None:
        self.text = text

    @cached_property
    def normalised(self) -> NormalisedText:
        return normalise(self.text)

    def locate(
        self,
        selector: Selector,
        *,
        expected_start: int | None = None,
        threshold: float = ACCEPT_SCORE,
        margin: float = AMBIGUITY_MARGIN,
        confidence: float = ACCEPT_CONFIDENCE,
    ) -> Anchor | Unanchored:
        """Anchor ``selector``; closeness counts from ``expected_start`` (default: its start)."""
        sel, text = selector, self.text
        if not sel.quote:
            return Unanchored("not_found")
        end = sel.end if sel.end is not None else (sel.start or 0) + len(sel.quote)
        in_range = sel.start is not None and 0 <= sel.start <= end <= len(text)
        if in_range and text[sel.start : end] == sel.quote:
            return Anchor(sel.start, end, 1.0, "position")
        expected = expected_start if expected_start is not None else sel.start
        # Without context a stale position (a hand-written set) contradicts nothing.
        floor = confidence if sel.prefix or sel.suffix else 0.0
        found = self._exact(sel, expected, margin)
        if found is None:
            found = self._fuzzy(sel, expected, threshold, margin)
        if isinstance(found, Anchor) and found.score < floor:
            return Unanchored("not_found", (found,))
        return found

    def _exact(
        self, sel: Selector, expected: int | None, margin: float
    ) -> Anchor | Unanchored | None:
        text, quote, scorer = self.text, sel.quote, Scorer(self.text, sel, expected, EXACT_WEIGHTS)

        def candidates(starts: list[int]) -> list[Candidate]:
            return [scorer.candidate(i, i + len(quote), 1.0, "exact") for i in starts]

        if expected is not None:  # enough if one nearby wins by the margin over any farther one
            lo, hi = max(0, expected - LOCAL_WINDOW), expected + LOCAL_WINDOW + len(quote)
            local = candidates(_occurrences(text, quote, lo, hi))
            if local and max(c.rank for c in local) - margin >= scorer.bound_beyond(LOCAL_WINDOW):
                return decide(local, 1.0, margin, 1.0)
        found = candidates(_occurrences(text, quote))
        return decide(found, 1.0, margin, 1.0) if found else None

    def _fuzzy(
        self, sel: Selector, expected: int | None, threshold: float, margin: float
    ) -> Anchor | Unanchored:
        nq = fold(sel.quote)
        if not nq.strip():
            return Unanchored("not_found")
        search = _FuzzySearch(self, sel, nq, expected)
        if len(nq) > LONG_QUOTE:
            return search.run_long(seed_starts(self.normalised.text, nq)[0], threshold, margin)
        return search.run(self._fuzzy_ranges(nq, search.centre), threshold, margin)

    def _fuzzy_ranges(self, nq: str, centre: int | None) -> list[tuple[int, int]]:
        """Where to look: in a long text, around every exact hit of a piece of the quote and
        its expected start; else near the expected start, then (for what the distance still
        allows) everywhere else."""
        nt, window, pad = self.normalised.text, 2 * len(nq) + 32, len(nq) // 3 + 8
        near = [] if centre is None else [(max(0, centre - window), centre + window)]
        starts, complete = seed_starts(nt, nq) if len(nt) > FULL_SCAN_CHARS else ([], False)
        if complete:
            return merged([*near, *((max(0, s - pad), s + len(nq) + pad) for s in starts)])
        if not near:
            return [(0, len(nt))]
        (lo, hi), overlap = near[0], len(nq) + 2 * MAX_SLACK
        return [(lo, hi), (0, lo + overlap), (max(0, hi - overlap), len(nt))]


def locate(
    text: str,
    quote: str,
    *,
    prefix: str = "",
    suffix: str = "",
    start: int | None = None,
    end: int | None = None,
    threshold: float = ACCEPT_SCORE,
    margin: float = AMBIGUITY_MARGIN,
) -> Anchor | Unanchored:
    """Find ``quote`` in ``text``: at ``start``/``end`` if still there, else the one exact
    occurrence or the one whose context is clearly best, else the best fuzzy match."""
    selector = Selector(quote, prefix, suffix, start, end)
    return TextIndex(text).locate(selector, threshold=threshold, margin=margin)


def locate_many(
    text: str,
    selectors: Sequence[Selector],
    *,
    threshold: float = ACCEPT_SCORE,
    margin: float = AMBIGUITY_MARGIN,
) -> list[Anchor | Unanchored]:
    """Anchor many spans in one text; results in the order given.

    Spans are visited in order of their stored start, and each is expected at its stored start
    moved as far as the last confidently anchored span before it moved: after an insertion a
    span is looked for where its neighbours went, not where it was.
    """
    index = TextIndex(text)
    results: list[Anchor | Unanchored] = [Unanchored("not_found")] * len(selectors)
    order = sorted(
        range(len(selectors)), key=lambda i: (selectors[i].start is None, selectors[i].start or 0)
    )
    shift = 0
    for i in order:
        sel = selectors[i]
        expected = sel.start + shift if sel.start is not None else None
        result = index.locate(sel, expected_start=expected, threshold=threshold, margin=margin)
        if isinstance(result, Anchor) and sel.start is not None:
            shift = result.start - sel.start
        results[i] = result
    return results
