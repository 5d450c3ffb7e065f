"""The session's reads for painting and listing a document agree with its plain reads."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from annotator.core.store.queries import SpanOutline
from tests.gui.long_sample import LongSample, make_long_sample, placed_spans


@pytest.fixture
def sample(qapp, tmp_path: Path):
    made = make_long_sample(tmp_path, paragraphs=300, spans=400)
    yield made
    made.session.close()


def test_paint_rows_of_a_range_are_the_placed_spans_meeting_it(sample: LongSample):
    session = sample.session
    spans = placed_spans(sample)
    tags = session.tags_by_span(sample.long_id)
    every = session.span_paint_rows(sample.long_id)
    assert {row[0]: row for row in every} == {
        s.id: (s.id, s.start, s.end, s.created_by, s.note, tuple(tags.get(s.id, ()))) for s in spans
    }
    rng = random.Random(5)
    for _ in range(40):
        lo = rng.randrange(len(sample.text))
        hi = min(len(sample.text) + 1, lo + rng.choice([1, 50, 3000]))
        found = {row[0] for row in session.span_paint_rows(sample.long_id, lo, hi)}
        meeting = {s.id for s in spans if s.start < hi and lo < s.end}
        touching = {s.id for s in spans if s.end == lo}  # allowed, not required
        assert meeting <= found <= meeting | touching
        assert sample.long_span in found
    assert sample.orphan not in {row[0] for row in every}
    assert sample.deleted not in {row[0] for row in every}


def test_listing_rows_are_the_outlines_with_their_tags(sample: LongSample):
    session = sample.session
    tags = session.tags_by_span(sample.long_id)
    outlines = session.span_outlines(sample.long_id)
    assert session.span_outlines_tagged(sample.long_id) == [
        (outline, tuple(tags.get(outline.id, ()))) for outline in outlines
    ]
    assert sample.orphan in {outline.id for outline in outlines}  # listed for review
    for outline in outlines:
        span = session.span(outline.id)
        assert outline == SpanOutline.of(span)


def test_annotators_of_the_placed_spans(sample: LongSample):
    session = sample.session
    assert session.span_annotator_ids(sample.long_id) == {session.me, sample.colleague}
    assert session.span_annotator_ids(sample.short_id) == set()
    for among in ({sample.colleague}, {session.me, sample.colleague}, {"nobody"}, set()):
        assert session.span_annotator_ids(sample.long_id, among) == among - {"nobody"}
        assert session.span_annotator_ids(sample.short_id, among) == set()
