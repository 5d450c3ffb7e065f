"""Replace a document's text in place, carrying its spans over (see ``core.reanchor``)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass

from annotator.core import reanchor
from annotator.core.model import ChangeSet, Document, Span, text_sha256
from annotator.core.ops.edit import editing
from annotator.core.ops.spans import quote_fields
from annotator.core.store import InvalidEditError, Project
from annotator.core.text_decoding import normalise_text


@dataclass(frozen=True)
class Retexted:
    changes: ChangeSet
    moved: list[reanchor.Moved]  # spans that moved or became orphans (``method`` "orphaned")


def replace_document_text(
    project: Project,
    *,
    by: str,
    document_id: str,
    text: str,
    pages: Sequence[int] | None = None,
    refuse_losing_all: bool = False,
) -> Retexted:
    """The document gets ``text``; each live span moves to where its quote now is, or becomes
    an orphan for review. Returns the change and every span that moved or was orphaned.

    ``refuse_losing_all``: refuse a text in which none of several spans can be placed (the
    wrong file, most likely), where no Undo is at hand to take it back."""
    text = normalise_text(text)
    if not text.strip():
        raise InvalidEditError("the new text is empty")
    with editing(project, by, "Replace document text") as edit:
        document = project.require(Document, document_id)
        if text == document.text:
            return Retexted(edit.changeset(), [])
        edit.update(
            document,
            text=text,
            sha256=text_sha256(text),
            pages=json.dumps(list(pages)) if pages else None,
        )
        spans = project.spans_of_document(document_id)
        rows = [s.row() for s in spans if s.live]
        changed = []
        by_id = {s.id: s for s in spans}
        for m in reanchor.carry_spans(text, rows, stamp=edit.stamp):
            span = by_id[m.row["id"]]
            fields = {k: m.row[k] for k in reanchor.PLACEMENT}
            if span.replace(**fields) != span:
                edit.place(span, **fields)
                if m.method != "position":
                    changed.append(m)
        orphaned = sum(m.method == "orphaned" for m in changed)
        if refuse_losing_all and len(rows) >= 2 and orphaned == len(rows):
            raise InvalidEditError(
                f"none of the document's {len(rows)} annotations can be found in the new text; "
                "is it the right file? (--force replaces it all the same)"
            )
    return Retexted(edit.changeset(), changed)


def place_orphan(project: Project, *, by: str, span_id: str, start: int, end: int) -> ChangeSet:
    """Anchor an orphaned span where an analyst selected its passage."""
    with editing(project, by, "Anchor annotation here") as edit:
        span = project.require(Span, span_id)
        text = project.require(Document, span.document_id).text
        edit.update(span, orphaned_at=None, **quote_fields(text, start, end))
    return edit.changeset()
