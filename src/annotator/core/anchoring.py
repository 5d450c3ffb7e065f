"""Find a span's quote in a (possibly changed) text: position, then exact, then fuzzy; never guess.

The position is trusted while the text there still equals the quote; else the exact occurrences
are ranked by context and closeness to the expected start; else approximate matches (rapidfuzz,
on a *folded* copy of the text: case, curly/straight quotes, dashes, whitespace runs) ranked by
quote similarity first. The best must lead the runner-up by ``AMBIGUITY_MARGIN`` (0.03: one
different character next to the span is enough, one far from it is not) and a fuzzy match needs
a quote similarity of ``ACCEPT_SCORE`` (0.85: one wrong character in 7, three in 20; below that
short quotes match unrelated places). Otherwise: ``Unanchored`` with the best candidates.
Context similarity averages the whole prefix/suffix and its ``NEAR_CHARS`` next to the span.
``Anchor.score`` is a confidence: quote similarity times context and position agreement; below
``REVIEW_SCORE`` the place contradicts them.

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
from typing import Literal

from rapidfuzz import fuzz
from rapidfuzz.distance import Indel

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

ACCEPT_SCORE = 0.85  # least quote similarity of a fuzzy match
AMBIGUITY_MARGIN = 0.03  # the winner's lead over the runner-up
REVIEW_SCORE = 0.5  # anchors less confident than this contradict their context or position
RIVAL_BAND = 0.10  # matches this far below the threshold still count as rivals
NEAR_CHARS = 8  # context characters next to the span, compared on their own as well
POSITION_SCALE = 64  # closeness halves at this distance (code points) from the expected start
LOCAL_WINDOW = 1024  # exact occurrences this near the expected start are scored first
EXACT_WEIGHTS = (0.0, 0.4, 0.4, 0.2)  # (quote, prefix, suffix, closeness)
FUZZY_WEIGHTS = (0.7, 0.1, 0.1, 0.1)
FULL_SCAN_CHARS = 100_000  # fuzzy search looks everywhere in texts up to this size
MAX_RIVALS, MAX_FOUND = 8, 32  # more near matches, or matches seen: ambiguous, stop
PARTIAL_TOLERANCE = 0.05  # partial_ratio's fixed-length window may score below the fitted match
MAX_REPORTED = 5  # candidates kept in an Unanchored

Weights = tuple[float, float, float, float]


@dataclass(frozen=True)
class Anchor:
    start: int
    end: int
    score: float  # 0..1 confidence
    method: Literal["position", "exact", "fuzzy"]


@dataclass(frozen=True)
class Unanchored:
    reason: Literal["not_found", "ambiguous"]
    candidates: tuple[Anchor, ...] = ()  # best first, for a report or for review


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


# --- Scoring and deciding ---


def _context_similarity(given: str, actual: str, *, near_end: bool) -> float:
    if given == actual:
        return 1.0
    near = (lambda s: s[-NEAR_CHARS:]) if near_end else (lambda s: s[:NEAR_CHARS])
    whole = Indel.normalized_similarity(given, actual)
    return (whole + Indel.normalized_similarity(near(given), near(actual))) / 2


def _closeness(start: int, expected: int) -> float:
    return 1.0 / (1.0 + abs(start - expected) / POSITION_SCALE)


@dataclass(frozen=True)
class _Candidate:
    start: int
    end: int
    method: Literal["exact", "fuzzy"]
    rank: float  # weighted mean of the signals, to choose among candidates
    similarity: float  # of the quote; 1.0 for an exact occurrence
    confidence: float  # reported: similarity times the agreement of context and position

    def anchor(self) -> Anchor:
        return Anchor(self.start, self.end, self.confidence, self.method)


class _Scorer:
    """Scores places for one selector with the signals it has (an absent prefix, suffix or
    position drops out and the other weights grow), its context folded once."""

    def __init__(self, text: str, sel: Selector, expected: int | None, weights: Weights) -> None:
        self.text, self.expected = text, expected
        self.prefix, self.suffix = fold(sel.prefix), fold(sel.suffix)
        present = (True, bool(self.prefix), bool(self.suffix), expected is not None)
        self.weights = self._normalised(weights, present)
        self.agreement_weights = self._normalised(EXACT_WEIGHTS, present)

    @staticmethod
    def _normalised(weights: Weights, present: tuple[bool, ...]) -> Weights:
        kept = [w if p else 0.0 for w, p in zip(weights, present, strict=True)]
        total = sum(kept)
        return tuple(w / total if total else 0.0 for w in kept)  # type: ignore[return-value]

    def bound_beyond(self, distance: int) -> float:
        """The best rank a place this far from the expected start could reach."""
        w_quote, w_prefix, w_suffix, w_close = self.weights
        return w_quote + w_prefix + w_suffix + w_close * _closeness(distance, 0)

    def signals(self, start: int, end: int, similarity: float) -> list[float]:
        signals = [similarity, 0.0, 0.0, 0.0]
        if self.prefix:  # fold a little more text than needed: folding drops characters
            size = len(self.prefix)
            actual = fold(self.text[max(0, start - size - NEAR_CHARS) : start])[-size:]
            signals[1] = _context_similarity(self.prefix, actual, near_end=True)
        if self.suffix:
            size = len(self.suffix)
            actual = fold(self.text[end : end + size + NEAR_CHARS])[:size]
            signals[2] = _context_similarity(self.suffix, actual, near_end=False)
        if self.expected is not None:
            signals[3] = _closeness(start, self.expected)
        return signals

    def candidate(self, start: int, end: int, similarity: float, method: str) -> _Candidate:
        signals = self.signals(start, end, similarity)
        rank, agreement = _mean(self.weights, signals), _mean(self.agreement_weights, signals)
        return _Candidate(start, end, method, rank, similarity, similarity * agreement)  # type: ignore[arg-type]


def _mean(weights: Weights, signals: list[float]) -> float:
    return sum(w * s for w, s in zip(weights, signals, strict=True)) if any(weights) else 1.0


def _unanchored(reason: str, candidates: Sequence[_Candidate]) -> Unanchored:
    ranked = sorted(candidates, key=lambda c: (-c.rank, c.start))
    return Unanchored(reason, tuple(c.anchor() for c in ranked[:MAX_REPORTED]))  # type: ignore[arg-type]


def _decide(
    candidates: Sequence[_Candidate], threshold: float, margin: float, floor: float
) -> Anchor | Unanchored:
    """The best candidate if it is similar enough and clearly ahead of every rival."""
    rivals = sorted((c for c in candidates if c.similarity >= floor), key=lambda c: -c.rank)
    if not rivals:
        return _unanchored("not_found", candidates)
    if rivals[0].similarity < threshold:
        good = any(c.similarity >= threshold for c in rivals)
        return _unanchored("ambiguous" if good else "not_found", rivals)
    if len(rivals) > 1 and rivals[0].rank - rivals[1].rank < margin:
        return _unanchored("ambiguous", rivals)
    return rivals[0].anchor()


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
        self.scorer = _Scorer(index.text, sel, expected, FUZZY_WEIGHTS)
        self.found: list[_Candidate] = []
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
        return _decide(self.found, threshold, margin, floor)

    def best_rank(self, floor: float) -> float:
        return max((c.rank for c in self.found if c.similarity >= floor), default=0.0)

    def too_many(self, threshold: float) -> Unanchored:
        good = any(c.similarity >= threshold for c in self.found)
        return _unanchored("ambiguous" if good else "not_found", self.found)

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
            return _decide(self.found, threshold, margin, floor)
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
        return _decide(self.found, threshold, margin, floor)

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
        exact = self._exact(sel, expected, margin)
        return exact if exact is not None else self._fuzzy(sel, expected, threshold, margin)

    def _exact(
        self, sel: Selector, expected: int | None, margin: float
    ) -> Anchor | Unanchored | None:
        text, quote, scorer = self.text, sel.quote, _Scorer(self.text, sel, expected, EXACT_WEIGHTS)

        def candidates(starts: list[int]) -> list[_Candidate]:
            return [scorer.candidate(i, i + len(quote), 1.0, "exact") for i in starts]

        if expected is not None:  # enough if one nearby wins by the margin over any farther one
            lo, hi = max(0, expected - LOCAL_WINDOW), expected + LOCAL_WINDOW + len(quote)
            local = candidates(_occurrences(text, quote, lo, hi))
            if local and max(c.rank for c in local) - margin >= scorer.bound_beyond(LOCAL_WINDOW):
                return _decide(local, 1.0, margin, 1.0)
        found = candidates(_occurrences(text, quote))
        return _decide(found, 1.0, margin, 1.0) if found else None

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
        if isinstance(result, Anchor) and sel.start is not None and result.score >= REVIEW_SCORE:
            shift = result.start - sel.start
        results[i] = result
    return results
