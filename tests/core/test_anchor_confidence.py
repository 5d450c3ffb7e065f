"""A place that contradicts what is known of a span is not accepted, in every use of anchoring."""

from __future__ import annotations

from annotator.core import anchoring, ops
from annotator.core.anchoring import Selector, Unanchored, context, locate, locate_many
from annotator.core.model import Span

from .sample import Sample
from .test_anchoring import TEXT, anchored, span_of

OLD = (
    "Critics call it a victor's peace. Baku insists on unimpeded access through Syunik. "
    "Yerevan says the border must be delimited first."
)
NEW = (
    "Critics call it a victor's peace. Yerevan says the border must be delimited first. "
    "Observers in Baku were not surprised, " + "and the talks went on for months. " * 5
)


def test_a_place_that_contradicts_the_context_and_position_is_not_accepted_even_alone():
    start, _, prefix, suffix = span_of(TEXT, "a truce")
    agreeing = anchored(locate(TEXT, "a truce", prefix=prefix, suffix=suffix, start=start + 9))
    assert agreeing.score > 0.8
    moved = locate(TEXT, "a truce", prefix="nothing like it ", suffix=" at all", start=0)
    assert isinstance(moved, Unanchored) and moved.reason == "not_found"
    (doubtful,) = moved.candidates
    assert doubtful.start == start and doubtful.score < anchoring.ACCEPT_CONFIDENCE


def test_a_span_whose_sentence_was_deleted_is_orphaned_not_moved_to_a_lone_namesake():
    start = OLD.index("Baku")
    prefix, suffix = context(OLD, start, start + 4)
    (found,) = locate_many(NEW, [Selector("Baku", prefix, suffix, start, start + 4)])
    assert isinstance(found, Unanchored) and found.reason == "not_found"


def test_replacing_a_text_orphans_a_span_whose_sentence_was_deleted(sample: Sample) -> None:
    project = sample.project
    doc = ops.add_document(project, by=sample.me, title="Talks", text=OLD).document
    start = OLD.index("Baku")
    span = ops.create_span(project, by=sample.me, document_id=doc.id, start=start, end=start + 4)
    span_id = span.created("spans")[0]
    moved = ops.replace_document_text(project, by=sample.me, document_id=doc.id, text=NEW).moved
    assert [m.method for m in moved] == ["orphaned"]
    assert project.require(Span, span_id).orphaned_at is not None
