"""How sure ``anchoring`` is of a place: the signals, the confidence, and the verdict.

A place is scored on four signals: the quote's similarity (1.0 for an exact occurrence), the
prefix and suffix (the whole context and its ``NEAR_CHARS`` next to the span), and closeness to
the expected start (halving every ``POSITION_SCALE`` code points). ``rank`` weighs them to choose
among places; ``confidence`` is the quote similarity times the agreement of context and
position. A place below ``ACCEPT_CONFIDENCE`` contradicts what is known of the span (its
sentence is gone and the words stand elsewhere, in other company): it is not accepted, however
alone it is, and the span becomes an orphan for review rather than a wrong highlight.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from rapidfuzz.distance import Indel

from annotator.core.textfold import fold

if TYPE_CHECKING:
    from annotator.core.anchoring import Selector

# Below this the place contradicts the span's context and position. On the anchoring benchmark
# no right placement scores below it, and most wrong ones do.
ACCEPT_CONFIDENCE = 0.5
NEAR_CHARS = 8  # context characters next to the span, compared on their own as well
POSITION_SCALE = 64  # closeness halves at this distance (code points) from the expected start
EXACT_WEIGHTS = (0.0, 0.4, 0.4, 0.2)  # (quote, prefix, suffix, closeness)
FUZZY_WEIGHTS = (0.7, 0.1, 0.1, 0.1)
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


def context_similarity(given: str, actual: str, *, near_end: bool) -> float:
    if given == actual:
        return 1.0
    near = (lambda s: s[-NEAR_CHARS:]) if near_end else (lambda s: s[:NEAR_CHARS])
    whole = Indel.normalized_similarity(given, actual)
    return (whole + Indel.normalized_similarity(near(given), near(actual))) / 2


def closeness(start: int, expected: int) -> float:
    return 1.0 / (1.0 + abs(start - expected) / POSITION_SCALE)


@dataclass(frozen=True)
class Candidate:
    start: int
    end: int
    method: Literal["exact", "fuzzy"]
    rank: float  # weighted mean of the signals, to choose among candidates
    similarity: float  # of the quote; 1.0 for an exact occurrence
    confidence: float  # reported: similarity times the agreement of context and position

    def anchor(self) -> Anchor:
        return Anchor(self.start, self.end, self.confidence, self.method)


class Scorer:
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
        return w_quote + w_prefix + w_suffix + w_close * closeness(distance, 0)

    def signals(self, start: int, end: int, similarity: float) -> list[float]:
        signals = [similarity, 0.0, 0.0, 0.0]
        if self.prefix:  # fold a little more text than needed: folding drops characters
            size = len(self.prefix)
            actual = fold(self.text[max(0, start - size - NEAR_CHARS) : start])[-size:]
            signals[1] = context_similarity(self.prefix, actual, near_end=True)
        if self.suffix:
            size = len(self.suffix)
            actual = fold(self.text[end : end + size + NEAR_CHARS])[:size]
            signals[2] = context_similarity(self.suffix, actual, near_end=False)
        if self.expected is not None:
            signals[3] = closeness(start, self.expected)
        return signals

    def candidate(self, start: int, end: int, similarity: float, method: str) -> Candidate:
        signals = self.signals(start, end, similarity)
        rank, agreement = mean(self.weights, signals), mean(self.agreement_weights, signals)
        return Candidate(start, end, method, rank, similarity, similarity * agreement)  # type: ignore[arg-type]


def mean(weights: Weights, signals: list[float]) -> float:
    return sum(w * s for w, s in zip(weights, signals, strict=True)) if any(weights) else 1.0


def unanchored(reason: str, candidates: Sequence[Candidate]) -> Unanchored:
    ranked = sorted(candidates, key=lambda c: (-c.rank, c.start))
    return Unanchored(reason, tuple(c.anchor() for c in ranked[:MAX_REPORTED]))  # type: ignore[arg-type]


def decide(
    candidates: Sequence[Candidate], threshold: float, margin: float, floor: float
) -> Anchor | Unanchored:
    """The best candidate if it is similar enough and clearly ahead of every rival."""
    rivals = sorted((c for c in candidates if c.similarity >= floor), key=lambda c: -c.rank)
    if not rivals:
        return unanchored("not_found", candidates)
    if rivals[0].similarity < threshold:
        good = any(c.similarity >= threshold for c in rivals)
        return unanchored("ambiguous" if good else "not_found", rivals)
    if len(rivals) > 1 and rivals[0].rank - rivals[1].rank < margin:
        return unanchored("ambiguous", rivals)
    return rivals[0].anchor()
