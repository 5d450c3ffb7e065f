"""Orphaned annotations as a table: passages a merge or a new text could not place.

An orphan keeps its quote and its tags; its offsets are stale, so the text does not show it.
The table says what it was (the quote), whose it is and how it was tagged, so the analyst can
find its passage again and anchor it there.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum
from typing import Any

from PySide6.QtCore import QObject, Qt

from annotator.gui.models.rows import RowTableModel, elide
from annotator.gui.session import Session

SPAN_ID_ROLE = Qt.ItemDataRole.UserRole + 1
QUOTE_CHARS = 120


class Column(IntEnum):
    DOCUMENT = 0
    PASSAGE = 1
    ANNOTATOR = 2
    TAGS = 3


HEADERS = {
    Column.DOCUMENT: "Document",
    Column.PASSAGE: "Passage (as it was)",
    Column.ANNOTATOR: "Annotator",
    Column.TAGS: "Tags",
}


@dataclass(frozen=True)
class OrphanRow:
    span_id: str
    document_id: str
    document_title: str
    quote: str
    annotator: str
    tags: tuple[str, ...]
    note: str


def orphan_rows(session: Session, document_id: str | None = None) -> list[OrphanRow]:
    """Orphans of one document (or of all), in document order, then where they last were."""
    spans = session.orphans(document_id)
    if not spans:
        return []
    tags = {t.id: t.name for t in session.tags()}
    people = {a.id: a.name for a in session.annotators()}
    applied = session.tags_by_span(span_ids=[s.id for s in spans])
    return [
        OrphanRow(
            span_id=s.id,
            document_id=s.document_id,
            document_title=s.document_title,
            quote=s.quote,
            annotator=people.get(s.created_by or "", "unknown"),
            tags=tuple(tags[t] for t in applied.get(s.id, []) if t in tags),
            note=s.note or "",
        )
        for s in spans
    ]


class OrphansModel(RowTableModel[OrphanRow]):
    def __init__(self, session: Session, parent: QObject | None = None) -> None:
        super().__init__(HEADERS, lambda row: row.span_id, parent)
        self.session = session
        self.document_id: str | None = None  # None: every document's

    def load(self, document_id: str | None) -> None:
        self.document_id = document_id
        self.replace_rows(orphan_rows(self.session, document_id) if document_id != "" else [])

    def reload(self) -> None:
        self.load(self.document_id)

    def span_ids(self) -> set[str]:
        return {row.span_id for row in self._rows}

    def row_data(self, row: OrphanRow, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            return _display(row, Column(column))
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == Column.PASSAGE:
                return row.quote + (f"\n\nNote: {row.note}" if row.note else "")
            return _display(row, Column(column))
        if role == SPAN_ID_ROLE:
            return row.span_id
        return None


def _display(row: OrphanRow, column: Column) -> str:
    if column == Column.DOCUMENT:
        return row.document_title
    if column == Column.PASSAGE:
        return f"“{elide(row.quote, QUOTE_CHARS)}”"
    if column == Column.ANNOTATOR:
        return row.annotator
    return ", ".join(row.tags)
