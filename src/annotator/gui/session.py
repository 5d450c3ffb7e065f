"""The open project as the GUI sees it: reads as plain records, edits as undoable commands.

Widgets never hold the database; they ask the session and listen to ``changed``. Every edit
runs a core operation (already one transaction on disk) and then goes on the undo stack.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Collection, Iterable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from annotator.core import ops
from annotator.core.model import (
    Actor,
    Annotator,
    ChangeSet,
    Conflict,
    Document,
    Link,
    Span,
    Stance,
    Tag,
    Target,
)
from annotator.core.store import DocumentSummary, Project, ProjectError, SpanSummary
from annotator.core.store.queries import SpanOutline

EVERYTHING = ChangeSet((), "Refresh")  # a change whose tables() is empty: views reload all


class AppliedCommand(QUndoCommand):
    """An edit already written by a core operation; undo writes its inverse, redo writes it again."""

    def __init__(self, session: Session, changes: ChangeSet) -> None:
        super().__init__(changes.label)
        self.session = session
        self.changes = changes
        self._written = True  # QUndoStack.push calls redo() once: the edit is on disk already

    def redo(self) -> None:
        if self._written:
            self._written = False
            self.session.changed.emit(self.changes)
            return
        if not self.session.write(self.changes):
            self.setObsolete(True)

    def undo(self) -> None:
        if not self.session.write(self.changes.inverse()):
            self.setObsolete(True)


class Session(QObject):
    changed = Signal(object)  # the ChangeSet just written (or EVERYTHING)
    failed = Signal(str)  # a one-line reason for a dialog; nothing was changed

    def __init__(
        self, project: Project, annotator_name: str, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.project = project
        self.annotator = ops.ensure_annotator(project, annotator_name)
        self.undo_stack = QUndoStack(self)
        self._reads: dict[tuple[str, str], Any] = {}  # see _read_once
        self._reads_stamp: tuple[int, int] | None = None
        self.closed = False

    @property
    def me(self) -> str:
        return self.annotator.id

    # -- edits ------------------------------------------------------------------------------

    def perform(self, op: Callable[..., Any], /, **kwargs: Any) -> ChangeSet | None:
        """Run ``op(project, by=me, **kwargs)``; on success push it for undo, else report why.

        Once the session is closed nothing is written: a widget saving on its way out (a note
        losing focus as the window goes) must not reach a closed connection.
        """
        if self.closed:
            return None
        try:
            result = op(self.project, by=self.me, **kwargs)
        except ProjectError as error:
            self.failed.emit(str(error))
            return None
        changes = result if isinstance(result, ChangeSet) else result.changes
        if changes:
            self.undo_stack.push(AppliedCommand(self, changes))
        return changes

    def write(self, changes: ChangeSet) -> bool:
        """Apply an undo or redo; a stale one (changed elsewhere since) is refused and reported."""
        if self.closed:
            return False
        try:
            self.project.apply(changes)
        except ProjectError as error:
            self.failed.emit(f"Cannot {changes.label.lower() or 'undo'}: {error}")
            return False
        self.changed.emit(changes)
        return True

    def refresh(self) -> None:
        """Re-read everything: another window or process may have written to the file."""
        self.changed.emit(EVERYTHING)

    def close(self) -> None:
        if self.closed:
            return
        self.closed = True
        self.undo_stack.clear()
        self.project.close()

    def spans_touched(
        self, changes: ChangeSet, document_id: str, known: Callable[[str], bool]
    ) -> set[str]:
        """Spans of ``document_id`` that ``changes`` added, changed, retagged or removed.

        ``known(span_id)`` says whether the caller already shows a span (so no read is needed
        to learn which document a retagged span belongs to).
        """
        touched: set[str] = set()
        for change in changes.changes:
            row = change.after or change.before or {}
            if change.table == "spans" and row.get("document_id") == document_id:
                touched.add(change.key)
            elif change.table == "span_tags":
                span_id = row.get("span_id", "")
                if known(span_id) or (
                    (span := self.span(span_id)) is not None and span.document_id == document_id
                ):
                    touched.add(span_id)
        return touched

    # -- reads ------------------------------------------------------------------------------

    def documents(self) -> list[DocumentSummary]:
        return self.project.document_summaries()

    def document(self, document_id: str) -> Document | None:
        found = self.project.get(Document, document_id)
        return found if found is not None and found.live else None

    def spans(self, document_id: str) -> list[Span]:
        return self.project.spans_of_document(document_id)

    def span_outlines(self, document_id: str) -> list[SpanOutline]:
        """The document's live spans without their context, for highlighting and listing."""
        return list(self._read_once(("outlines", document_id), self.project.span_outlines))

    def span_outlines_tagged(self, document_id: str) -> list[tuple[SpanOutline, tuple[str, ...]]]:
        """The document's live spans (orphans too) with their tag ids: what its list shows."""
        return list(self._read_once(("tagged", document_id), self.project.span_outlines_tagged))

    def span_paint_rows(
        self, document_id: str, lo: int | None = None, hi: int | None = None
    ) -> list[tuple[str, int, int, str | None, str | None, tuple[str, ...]]]:
        """(id, start, end, created_by, note, tag ids) of the document's live spans that have
        a place in its text, all or those meeting ``[lo, hi)``: what its text paints."""
        return self.project.span_paint_rows(document_id, lo, hi)

    def span_annotator_ids(
        self, document_id: str, among: Collection[str] | None = None
    ) -> set[str | None]:
        """Who made the document's live spans that have a place in its text (of ``among``)."""
        return self.project.span_annotator_ids(document_id, among)

    def _read_once(self, key: tuple[str, str], read: Callable[[str], Any]) -> Any:
        """``read(key[1])``, shared by the panels that all ask it when one document opens.

        Kept while the project's read stamp holds (no row written through this connection,
        no commit by another one), so it is exactly what reading again would return.
        """
        stamp = self.project.read_stamp()
        if self._reads_stamp != stamp:
            self._reads_stamp, self._reads = stamp, {}
        if key not in self._reads:
            self._reads = {k: v for k, v in self._reads.items() if k[1] == key[1]}  # one document
            self._reads[key] = read(key[1])
        return self._reads[key]

    def span(self, span_id: str) -> Span | None:
        found = self.project.get(Span, span_id)
        return found if found is not None and found.live else None

    def tags_by_span(
        self, document_id: str | None = None, span_ids: Iterable[str] | None = None
    ) -> dict[str, list[str]]:
        """Tag ids of live spans (of one document, or only of ``span_ids``), first applied first."""
        if span_ids is not None:
            return self.project.tag_ids_by_span(document_id, set(span_ids))
        if document_id is None:
            return self.project.tag_ids_by_span()
        return dict(self._read_once(("tags", document_id), self.project.tag_ids_by_span))

    def span_tag_ids(self, span_id: str) -> list[str]:
        """Tags applied to a span (live pairs), even while the span itself is deleted."""
        return [span_tag.tag_id for span_tag in self.project.live_span_tags(span_id=span_id)]

    def tags(self) -> list[Tag]:
        return list(self.project.records(Tag, order_by="name COLLATE NOCASE, id"))

    def targets(self) -> list[Target]:
        return list(self.project.records(Target, order_by="name COLLATE NOCASE, id"))

    def actors(self) -> list[Actor]:
        return list(self.project.records(Actor, order_by="name COLLATE NOCASE, id"))

    def actor_aliases(self, actor: Actor) -> list[str]:
        return list(json.loads(actor.aliases))

    def annotators(self) -> list[Annotator]:
        return list(self.project.records(Annotator, order_by="name COLLATE NOCASE, id"))

    def stances(self, document_id: str) -> list[Stance]:
        return self.project.stances_referring("document_id", document_id)

    def stances_naming(self, column: str, record_id: str) -> int:
        """How many live stances name the target or actor (``column``: target_id, actor_id)."""
        return len(self.project.stances_referring(column, record_id))

    def links(self, *, span_id: str | None = None, document_id: str | None = None) -> list[Link]:
        return self.project.links_touching(span_id=span_id, document_id=document_id)

    def link(self, link_id: str) -> Link | None:
        found = self.project.get(Link, link_id)
        return found if found is not None and found.live else None

    def span_summaries(self, document_id: str | None = None) -> list[SpanSummary]:
        """Every live span (of one document, or of all) with its document's title."""
        return self.project.span_summaries(document_id)

    def counts(self) -> dict[str, int]:
        """Live documents, spans, stances and links: what the status bar shows."""
        return {t: self.project.count_live(t) for t in ("documents", "spans", "stances", "links")}

    @property
    def path(self) -> Path:
        return self.project.path

    def stance_scale(self) -> dict[int, str]:
        return ops.stance_scale(self.project)

    def link_types(self) -> list[str]:
        return ops.link_types(self.project)

    def tag_counts(self, tag_ids: Iterable[str] | None = None) -> dict[str, int]:
        """Live passages per tag (tags without any are left out), optionally of some tags."""
        return self.project.span_counts_by_tag(None if tag_ids is None else set(tag_ids))

    def document_titles(self, document_ids: Iterable[str]) -> dict[str, str]:
        """Titles of the live documents among ``document_ids``, without their texts."""
        return self.project.document_titles(set(document_ids))

    def conflicts(self) -> list[Conflict]:
        """Unreviewed entries of the merge conflict log (a reviewed one is a tombstone),
        newest first."""
        return list(self.project.records(Conflict, order_by="created_at DESC, id"))

    def orphans(self, document_id: str | None = None) -> list[SpanSummary]:
        """Live annotations without a place in their document's current text, of one
        document or of all (a merge or a new text could not carry them over)."""
        return self.project.orphan_summaries(document_id)
