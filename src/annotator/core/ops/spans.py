"""Edits of spans and their tags, of stances and of links."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from annotator.core.model import (
    CONTEXT_CHARS,
    Actor,
    ChangeSet,
    Document,
    Link,
    Span,
    SpanTag,
    Stance,
    Tag,
    Target,
    derived_id,
)
from annotator.core.ops.cascade import tombstone_span
from annotator.core.ops.edit import Edit, editing
from annotator.core.ops.settings import link_types, stance_scale
from annotator.core.store import InvalidEditError, Project, RecordNotFoundError


def span_tag_id(span_id: str, tag_id: str) -> str:
    """One row per (span, tag) pair, with an id both sides of a merge agree on."""
    return derived_id("span-tag", f"{span_id}:{tag_id}")


def quote_fields(text: str, start: int, end: int) -> dict[str, Any]:
    """The W3C position and quote selectors of ``text[start:end]``."""
    if not 0 <= start < end <= len(text):
        raise InvalidEditError(f"span {start}..{end} is outside the text (length {len(text)})")
    return {
        "start": start,
        "end": end,
        "quote": text[start:end],
        "prefix": text[max(0, start - CONTEXT_CHARS) : start],
        "suffix": text[end : end + CONTEXT_CHARS],
    }


def tag_span_in(edit: Edit, span_id: str, tag_id: str) -> None:
    """Apply a tag within an edit, reviving the pair if it was removed before."""
    existing = edit.project.span_tag(span_id, tag_id)
    if existing is None:
        edit.create(SpanTag(id=span_tag_id(span_id, tag_id), span_id=span_id, tag_id=tag_id))
    else:
        edit.revive(existing)


def create_span(
    project: Project,
    *,
    by: str,
    document_id: str,
    start: int,
    end: int,
    tags: Sequence[str] = (),
    note: str | None = None,
    span_id: str | None = None,
) -> ChangeSet:
    with editing(project, by, "Highlight passage") as edit:
        document = project.require(Document, document_id)
        fields = quote_fields(document.text, start, end)
        span = Span(document_id=document_id, note=note or None, **fields)
        span = edit.create(span if span_id is None else span.replace(id=span_id))
        for tag_id in dict.fromkeys(tags):
            project.require(Tag, tag_id)
            tag_span_in(edit, span.id, tag_id)
    return edit.changeset()


def update_span(
    project: Project,
    *,
    by: str,
    span_id: str,
    start: int | None = None,
    end: int | None = None,
    **fields: Any,
) -> ChangeSet:
    """Change a span's note, or move its boundaries (quote and context follow)."""
    if set(fields) - {"note"}:
        raise InvalidEditError("a span's own fields are its boundaries and its note")
    with editing(project, by, "Edit annotation") as edit:
        span = project.require(Span, span_id)
        if start is not None or end is not None:
            text = project.require(Document, span.document_id).text
            fields |= quote_fields(
                text, span.start if start is None else start, span.end if end is None else end
            )
        edit.update(span, **fields)
    return edit.changeset()


def delete_span(project: Project, *, by: str, span_id: str) -> ChangeSet:
    with editing(project, by, "Delete annotation") as edit:
        tombstone_span(edit, project.require(Span, span_id))
    return edit.changeset()


def tag_span(project: Project, *, by: str, span_id: str, tag_id: str) -> ChangeSet:
    with editing(project, by, "Tag annotation") as edit:
        project.require(Span, span_id)
        project.require(Tag, tag_id)
        tag_span_in(edit, span_id, tag_id)
    return edit.changeset()


def untag_span(project: Project, *, by: str, span_id: str, tag_id: str) -> ChangeSet:
    with editing(project, by, "Remove tag") as edit:
        existing = project.span_tag(span_id, tag_id)
        if existing is None or not existing.live:
            raise RecordNotFoundError("the annotation does not carry that tag")
        edit.tombstone(existing)
    return edit.changeset()


# -- stances ----------------------------------------------------------------------------------


def _check_polarity(project: Project, polarity: int) -> None:
    scale = stance_scale(project)
    if not isinstance(polarity, int) or polarity not in scale:
        raise InvalidEditError(f"polarity must be one of {', '.join(map(str, scale))}")


def _check_stance_refs(project: Project, fields: dict[str, Any]) -> None:
    project.require(Document, fields["document_id"])
    project.require(Target, fields["target_id"])
    if fields.get("actor_id") is not None:
        project.require(Actor, fields["actor_id"])
    if fields.get("span_id") is not None:
        span = project.require(Span, fields["span_id"])
        if span.document_id != fields["document_id"]:
            raise InvalidEditError("the evidence span is in another document")
    _check_polarity(project, fields["polarity"])


def create_stance(
    project: Project,
    *,
    by: str,
    document_id: str,
    target_id: str,
    polarity: int,
    span_id: str | None = None,
    actor_id: str | None = None,
    note: str | None = None,
    stance_id: str | None = None,
) -> ChangeSet:
    fields = {
        "document_id": document_id,
        "target_id": target_id,
        "polarity": polarity,
        "span_id": span_id,
        "actor_id": actor_id,
        "note": note or None,
    }
    with editing(project, by, "Record stance") as edit:
        _check_stance_refs(project, fields)
        stance = Stance(**fields)
        edit.create(stance if stance_id is None else stance.replace(id=stance_id))
    return edit.changeset()


def update_stance(project: Project, *, by: str, stance_id: str, **fields: Any) -> ChangeSet:
    allowed = {"target_id", "polarity", "span_id", "actor_id", "note"}
    if set(fields) - allowed:
        raise InvalidEditError(f"a stance's editable fields are {', '.join(sorted(allowed))}")
    with editing(project, by, "Edit stance") as edit:
        stance = project.require(Stance, stance_id)
        _check_stance_refs(project, stance.row() | fields)
        edit.update(stance, **fields)
    return edit.changeset()


def delete_stance(project: Project, *, by: str, stance_id: str) -> ChangeSet:
    with editing(project, by, "Delete stance") as edit:
        edit.tombstone(project.require(Stance, stance_id))
    return edit.changeset()


# -- links ------------------------------------------------------------------------------------


def endpoint(project: Project, record_id: str) -> tuple[str, str | None]:
    """(document id, span id or None) of a link end given as a span or a document id."""
    span = project.get(Span, record_id)
    if span is not None and span.live:
        return span.document_id, span.id
    document = project.require(Document, record_id)
    return document.id, None


def create_link(
    project: Project,
    *,
    by: str,
    source: str,
    target: str,
    type: str,
    note: str | None = None,
    link_id: str | None = None,
) -> ChangeSet:
    """A typed, directed link from ``source`` to ``target`` (each a span or document id)."""
    if type not in link_types(project):
        raise InvalidEditError(f"unknown link type {type!r}; add it to the project's link types")
    with editing(project, by, f"Link ({type})") as edit:
        from_doc, from_span = endpoint(project, source)
        to_doc, to_span = endpoint(project, target)
        if (from_doc, from_span) == (to_doc, to_span):
            raise InvalidEditError("a link needs two different ends")
        link = Link(
            from_document_id=from_doc,
            from_span_id=from_span,
            to_document_id=to_doc,
            to_span_id=to_span,
            type=type,
            note=note or None,
        )
        edit.create(link if link_id is None else link.replace(id=link_id))
    return edit.changeset()


def update_link(project: Project, *, by: str, link_id: str, **fields: Any) -> ChangeSet:
    if set(fields) - {"type", "note"}:
        raise InvalidEditError("a link's editable fields are its type and note")
    if "type" in fields and fields["type"] not in link_types(project):
        raise InvalidEditError(f"unknown link type {fields['type']!r}")
    with editing(project, by, "Edit link") as edit:
        edit.update(project.require(Link, link_id), **fields)
    return edit.changeset()


def delete_link(project: Project, *, by: str, link_id: str) -> ChangeSet:
    with editing(project, by, "Delete link") as edit:
        edit.tombstone(project.require(Link, link_id))
    return edit.changeset()
