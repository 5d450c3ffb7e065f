"""What the article view paints, and where it reads it: all at once, or a range at a time.

A long document can carry thousands of spans while a screen shows a few dozen. A
:class:`SpanSource` lets the view read only the spans meeting the text it is about to paint;
:class:`ShownSpans` keeps what was read in an interval index and remembers which stretches of
text it covers (:class:`LoadedRanges`), so each is read once. No Qt here.
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from dataclasses import dataclass

from annotator.core.intervals import IntervalIndex, Segment

BULK_EDIT = 32  # span edits beyond which the index is rebuilt rather than edited
# Code points read on either side of a range whose spans are not known yet: a few screens,
# so scrolling asks the source rarely, and one read stays small.
READ_MARGIN = 16_384
_HEX_COLOUR = re.compile("#[0-9a-fA-F]{6}")


@dataclass(frozen=True, slots=True)
class HighlightSpan:
    """What the view needs of a span; the session layer builds these from core records."""

    id: str
    start: int  # code points, end exclusive
    end: int
    colour: str  # '#rrggbb'
    annotator: str | None = None  # an id: what colours and stacks its underline
    label: str = ""  # shown in the tooltip
    annotator_name: str = ""  # shown in the tooltip


class SpanSource(ABC):
    """The spans of one document, read when the view needs them."""

    @abstractmethod
    def meeting(self, lo: int, hi: int) -> Iterable[HighlightSpan]:
        """Every span meeting code points ``[lo, hi)`` (an empty one where ``lo <= start <
        hi``); a few more do no harm."""

    @abstractmethod
    def every(self) -> Iterable[HighlightSpan]:
        """Every span of the document."""

    @abstractmethod
    def annotators(self, known: set[str]) -> set[str]:
        """The annotators of every span, ``known`` among them (no need to look for those):
        whether and how underlines stack must not depend on which part was read."""


class LoadedRanges:
    """Code point ranges ``[lo, hi)`` already read, kept sorted, disjoint and merged."""

    __slots__ = ("_ends", "_starts")

    def __init__(self) -> None:
        self._starts: list[int] = []
        self._ends: list[int] = []

    def covers(self, lo: int, hi: int) -> bool:
        if hi <= lo:
            return True  # nothing to read
        i = bisect_right(self._starts, lo) - 1
        return i >= 0 and self._ends[i] >= hi

    def add(self, lo: int, hi: int) -> None:
        if hi <= lo:
            return
        first = bisect_left(self._ends, lo)  # the first range touching [lo, hi) from the left
        after = bisect_right(self._starts, hi)  # ranges from here on start beyond it
        if first < after:
            lo, hi = min(lo, self._starts[first]), max(hi, self._ends[after - 1])
        self._starts[first:after] = [lo]
        self._ends[first:after] = [hi]

    def ranges(self) -> list[tuple[int, int]]:
        return list(zip(self._starts, self._ends, strict=True))


class ShownSpans:
    """The spans a view shows over a text of ``length`` code points: given whole, or read
    from a :class:`SpanSource` as ranges of the text are asked about."""

    def __init__(self) -> None:
        self.length = 0
        self._spans: dict[str, HighlightSpan] = {}  # every span, or those read so far
        self._index: IntervalIndex[str] = IntervalIndex()
        self._source: SpanSource | None = None  # None: _spans holds every span
        self._read = LoadedRanges()  # with a source: where _spans is complete
        self._source_annotators: set[str] | None = None  # None: to be asked when needed

    def reset(self, length: int, spans: Iterable[HighlightSpan] | SpanSource) -> None:
        """Replace every span: ``spans`` given, or read from a source when asked about."""
        self.length = length
        if isinstance(spans, SpanSource):
            self._source, self._read = spans, LoadedRanges()
            self._source_annotators = None
            spans = []
        else:
            self._source = None
            spans = self._checked(spans)
        self._spans = {span.id: span for span in spans}
        self._index = IntervalIndex((span.start, span.end, span.id) for span in spans)

    def update(self, spans: Iterable[HighlightSpan], removed_ids: Iterable[str]) -> None:
        """Add or replace ``spans`` and drop ``removed_ids`` (unknown ids are ignored)."""
        spans = self._checked(spans)
        removed_ids = list(removed_ids)
        if removed_ids:
            self._source_annotators = None  # the last span of an annotator may be gone
        self._merge(spans, removed_ids)

    def __contains__(self, span_id: object) -> bool:
        """Whether ``span_id`` is shown and already read (a source is not asked)."""
        return span_id in self._spans

    def __getitem__(self, span_id: str) -> HighlightSpan:
        return self._spans[span_id]

    def every(self) -> list[HighlightSpan]:
        """Every span (read whole from the source if only part was read so far)."""
        if self._source is not None and not self._read.covers(0, self.length + 1):
            self._read_from_source(0, self.length + 1, every=True)
        return list(self._spans.values())

    def at(self, pos: int) -> list[str]:
        """Ids of spans covering ``pos``, by start then length."""
        self.ensure_read(pos, pos + 1)
        return self._index.at(pos)

    def segments(self, lo: int, hi: int) -> list[Segment[str]]:
        """The pieces of ``[lo, hi)`` covered by spans (see ``IntervalIndex.segments``)."""
        self.ensure_read(lo, hi)
        return self._index.segments(lo, hi)

    def annotators(self) -> set[str]:
        """The annotators of every span, read or not. Ask after reading the text in sight:
        the source then looks only for annotators without a span there."""
        present = {span.annotator for span in self._spans.values() if span.annotator}
        if self._source is None:
            return present
        if self._source_annotators is None:
            self._source_annotators = self._source.annotators(present)
        return present | self._source_annotators

    def ensure_read(self, lo: int, hi: int) -> None:
        """Read from the source the spans meeting ``[lo, hi)``, unless read already."""
        if self._source is not None and not self._read.covers(lo, hi):
            # Positions run to the length itself, where an empty span can sit at the end.
            end = self.length + 1
            self._read_from_source(max(0, lo - READ_MARGIN), min(end, hi + READ_MARGIN))

    def _read_from_source(self, lo: int, hi: int, *, every: bool = False) -> None:
        assert self._source is not None
        found = self._source.every() if every else self._source.meeting(lo, hi)
        # Read while painting, where raising would leave the text unpainted: a span the text
        # cannot hold (a store out of step with the text) is left out instead. One already
        # known is kept: edits since reached it through update().
        spans = [
            s
            for s in found
            if 0 <= s.start <= s.end <= self.length
            and _HEX_COLOUR.fullmatch(s.colour)
            and s.id not in self._spans
        ]
        self._merge(spans, [])
        self._read.add(lo, hi)

    def _merge(self, spans: list[HighlightSpan], removed_ids: list[str]) -> None:
        for span_id in removed_ids:
            self._spans.pop(span_id, None)
        self._spans.update((span.id, span) for span in spans)
        if len(spans) + len(removed_ids) > BULK_EDIT:  # one rebuild beats many folds
            self._index = IntervalIndex((s.start, s.end, s.id) for s in self._spans.values())
        else:
            for span_id in removed_ids:
                self._index.discard(span_id)
            for span in spans:
                self._index.add(span.start, span.end, span.id)

    def _checked(self, spans: Iterable[HighlightSpan]) -> list[HighlightSpan]:
        """Refuse now what would otherwise fail later, inside a paint event."""
        spans = list(spans)
        for span in spans:
            if not 0 <= span.start <= span.end <= self.length:
                raise ValueError(f"span {span.id} [{span.start}, {span.end}) outside the text")
        for colour in {span.colour for span in spans}:  # a handful of distinct tag colours
            if not _HEX_COLOUR.fullmatch(colour):
                raise ValueError(f"span colour {colour!r} is not '#rrggbb'")
        return spans
