"""The article view reading its spans from a source, a range at a time: the same pixels and
formats as spans given whole, but only the text in sight is read when a document opens."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from PySide6.QtGui import QTextBlock

from annotator.gui.widgets.article_view import SPAN_IDS_PROPERTY, ArticleView, HighlightSpan
from annotator.gui.widgets.span_source import READ_MARGIN, LoadedRanges, SpanSource
from tests.gui.test_article_view import (
    FUZZ,
    big_text,
    char_point,
    expected_ranges,
    make_spans,
    merged,
    painted_ranges,
    texts,
)


@pytest.fixture
def view(qtbot):
    widget = ArticleView()
    qtbot.addWidget(widget)
    widget.resize(640, 420)
    return widget


class ListSource(SpanSource):
    """A store of spans in a list that answers exactly what a range asks, and counts asks."""

    def __init__(self, spans: list[HighlightSpan]) -> None:
        self.spans = list(spans)
        self.asked: list[tuple[int, int]] = []
        self.every_calls = 0
        self.annotator_calls = 0

    def meeting(self, lo: int, hi: int) -> list[HighlightSpan]:
        self.asked.append((lo, hi))
        return [
            s
            for s in self.spans
            if s.start < hi and (lo < s.end or (s.start == s.end and lo <= s.start))
        ]

    def every(self) -> list[HighlightSpan]:
        self.every_calls += 1
        return list(self.spans)

    def annotators(self, known: set[str]) -> set[str]:
        self.annotator_calls += 1
        return known | {s.annotator for s in self.spans if s.annotator}


def blocks_in_sight(view: ArticleView) -> list[tuple[int, int, QTextBlock]]:
    """(first, end) code points and the block, of each block meeting the viewport."""
    found, offsets = [], view.offset_map
    block = view.firstVisibleBlock()
    while (
        block.isValid()
        and view.blockBoundingGeometry(block).translated(view.contentOffset()).top()
        < view.viewport().height()
    ):
        first = offsets.to_cp(block.position())
        found.append((first, offsets.to_cp(block.position() + block.length() - 1), block))
        block = block.next()
    return found


def painted_in_sight(view: ArticleView) -> dict[str, list[tuple[int, int]]]:
    """Like painted_ranges, over the blocks in sight only (so nothing more is read)."""
    found: dict[str, list[tuple[int, int]]] = {}
    for _, _, block in blocks_in_sight(view):
        for piece in block.layout().formats():
            first = block.position() + piece.start
            start, end = view.offset_map.to_cp_range(first, first + piece.length)
            for span_id in piece.format.property(SPAN_IDS_PROPERTY):
                found.setdefault(span_id, []).append((start, end))
    return {span_id: merged(ranges) for span_id, ranges in found.items()}


def assert_sight_painted_exactly(view: ArticleView, spans: list[HighlightSpan]) -> None:
    blocks = blocks_in_sight(view)
    assert blocks
    text, expected = view.text(), {}
    for span in spans:
        ranges = [
            (max(s, lo), min(e, hi))
            for s, e in expected_ranges(text, span.start, span.end)
            for lo, hi, _ in blocks
            if s < hi and lo < e
        ]
        if ranges:
            expected[span.id] = merged(ranges)
    assert painted_in_sight(view) == expected


@FUZZ
@given(texts, st.integers(0, 30), st.integers(0, 10**6))
def test_a_source_paints_exactly_what_spans_given_whole_paint(view, text, count, seed):
    spans = make_spans(text, count, seed)
    view.set_document(text, spans)
    whole = painted_ranges(view)
    source = ListSource(spans)
    view.set_document(text, source)
    assert painted_ranges(view) == whole
    assert source.every_calls == 0
    for pos in range(0, len(text), 7):
        assert sorted(view.span_ids_at(pos)) == sorted(
            s.id for s in spans if s.start <= pos < s.end
        )
    assert sorted(s.id for s in view.spans()) == sorted(s.id for s in spans)


def test_opening_reads_only_the_text_in_sight(view):
    text = big_text(2000, seed=4)
    assert len(text) > 8 * READ_MARGIN
    long_one = HighlightSpan("long", 10, len(text) - 10, "#b084cc", "anna", "A long one")
    spans = [*make_spans(text, 3000, seed=8), long_one]
    source = ListSource(spans)
    view.set_document(text, source)
    view.show()
    view.viewport().grab()  # a paint
    assert source.every_calls == 0 and len(source.asked) == 1
    lo, hi = source.asked[0]
    in_sight = blocks_in_sight(view)[-1][1]
    assert lo == 0 and in_sight <= hi <= in_sight + 2 * READ_MARGIN
    read = [s for s in spans if view.has_span(s.id)]
    assert 0 < len(read) < len(spans) / 4
    assert_sight_painted_exactly(view, spans)

    deep = len(text) * 3 // 5  # the long span began far before: it still shows
    view.scroll_to(deep)
    view.viewport().grab()
    assert len(source.asked) == 2 and source.asked[1][0] <= deep < source.asked[1][1]
    assert "long" in painted_in_sight(view)
    assert_sight_painted_exactly(view, spans)
    view.viewport().grab()  # painted again: nothing more to read
    assert len(source.asked) == 2 and source.every_calls == 0
    assert sorted(s.id for s in view.spans()) == sorted(s.id for s in spans)
    assert source.every_calls == 1


def test_edits_before_a_range_is_read_are_neither_lost_nor_doubled(view):
    text = big_text(1200, seed=6)
    spans = make_spans(text, 800, seed=2)
    source = ListSource(spans)
    view.set_document(text, source)
    view.show()
    view.viewport().grab()
    deep = len(text) - 200
    assert not view.has_span("new")
    # What the store now holds, announced to the view before it read that far.
    added = HighlightSpan("new", deep, deep + 50, "#e4572e", "bek", "Added")
    gone = next(s for s in spans if s.start > deep - 5000 and not view.has_span(s.id))
    moved = next(s for s in spans if s.start > deep - 9000 and s.id != gone.id)
    moved_to = HighlightSpan(moved.id, 3, 9, moved.colour, moved.annotator, moved.label)
    source.spans = [moved_to if s is moved else s for s in spans if s is not gone] + [added]
    view.update_spans([added, moved_to], removed_ids=[gone.id])
    painted = painted_ranges(view)  # every block, reading the rest
    assert gone.id not in painted
    assert painted["new"] == expected_ranges(text, deep, deep + 50)
    assert painted[moved.id] == expected_ranges(text, 3, 9)
    assert sorted(s.id for s in view.spans()) == sorted(s.id for s in source.spans)


def test_underlines_count_every_annotator_of_the_document_not_only_those_in_sight(view):
    text = big_text(1200, seed=9)
    start = text.index(" ", 40) + 1
    mine = HighlightSpan("mine", start, start + 6, "#f2c14e", "anna", "Mine")
    theirs = HighlightSpan("theirs", len(text) - 20, len(text) - 5, "#5fa8d3", "bek", "Theirs")
    source = ListSource([mine, theirs])
    view.set_document(text, source)
    view.show()
    underline = view.annotator_colour("anna")
    assert underline in colours_under(view, start + 2)  # bek's span, out of sight, counts
    assert not view.has_span("theirs")
    source.spans = [mine]  # the store lost bek's only span, never read here
    view.remove_span("theirs")
    assert underline not in colours_under(view, start + 2)
    source.spans = [mine, theirs]  # and got it back (an undo)
    view.add_span(theirs)
    assert underline in colours_under(view, start + 2)


def colours_under(view: ArticleView, pos: int) -> set[str]:
    image = view.viewport().grab().toImage()
    x = char_point(view, pos).x()
    return {image.pixelColor(x, y).name() for y in range(image.height())}


def test_spans_the_text_cannot_hold_are_left_out_when_read(view):
    text = "A short text, read through a source."
    good = HighlightSpan("good", 2, 7, "#f2c14e")
    beyond = HighlightSpan("beyond", 30, 400, "#f2c14e")  # stale offsets from a store
    unusable = HighlightSpan("unusable", 8, 12, "yellow")
    view.set_document(text, ListSource([good, beyond, unusable]))
    view.show()
    view.viewport().grab()  # no exception inside the paint
    assert painted_ranges(view) == {"good": [(2, 7)]}
    assert [s.id for s in view.spans()] == ["good"]


@given(st.lists(st.tuples(st.integers(0, 40), st.integers(0, 12)), max_size=12), st.data())
def test_loaded_ranges_cover_exactly_what_was_added(added, data):
    ranges, points = LoadedRanges(), set()
    for lo, length in added:
        ranges.add(lo, lo + length)
        points |= set(range(lo, lo + length))
    starts = [s for s, _ in ranges.ranges()]
    assert starts == sorted(starts)
    for (_, end), (start, _) in zip(ranges.ranges(), ranges.ranges()[1:], strict=False):
        assert end < start  # disjoint and merged
    for _ in range(20):
        lo = data.draw(st.integers(0, 55))
        hi = data.draw(st.integers(lo + 1, 56))
        assert ranges.covers(lo, hi) == (set(range(lo, hi)) <= points)
