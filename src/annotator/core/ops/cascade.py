"""Deleting a record tombstones what would dangle without it, inside the same edit."""

from __future__ import annotations

from annotator.core.model import Document, Span
from annotator.core.ops.edit import Edit


def tombstone_span(edit: Edit, span: Span) -> None:
    """The span, its tags, the stances it evidences and the links that start or end at it."""
    project = edit.project
    for span_tag in project.live_span_tags(span_id=span.id):
        edit.tombstone(span_tag)
    for stance in project.stances_referring("span_id", span.id):
        edit.tombstone(stance)
    for link in project.links_touching(span_id=span.id):
        edit.tombstone(link)
    edit.tombstone(span)


def tombstone_document(edit: Edit, document: Document) -> None:
    project = edit.project
    for span in project.spans_of_document(document.id):
        tombstone_span(edit, span)
    for stance in project.stances_referring("document_id", document.id):
        edit.tombstone(stance)
    for link in project.links_touching(document_id=document.id):
        edit.tombstone(link)
    edit.tombstone(document)
