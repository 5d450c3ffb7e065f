"""The annotations of one document as a table (quote, tags, annotator, note), and its filter.

A thin adapter over the session's spans and tags. A change that keeps the same spans only
repaints; one that adds or removes spans resets the table (it is one document's worth).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import IntEnum
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QIcon

from annotator.core import ops
from annotator.core.model import ChangeSet, Span, Tag
from annotator.gui.models.codebook import swatch_icon
from annotator.gui.session import Session

SPAN_ID_ROLE = Qt.ItemDataRole.UserRole + 1
TAG_IDS_ROLE = Qt.ItemDataRole.UserRole + 2
ANNOTATOR_ID_ROLE = Qt.ItemDataRole.UserRole + 3
RELOAD_TABLES = {"spans", "span_tags", "tags", "annotators", "documents"}
QUOTE_CHARS = 90  # what the quote column shows; the tooltip has the whole passage

Index = QModelIndex | QPersistentModelIndex


class Column(IntEnum):
    QUOTE = 0
    TAGS = 1
    ANNOTATOR = 2
    NOTE = 3


HEADERS = {
    Column.QUOTE: "Passage",
    Column.TAGS: "Tags",
    Column.ANNOTATOR: "By",
    Column.NOTE: "Note",
}


@dataclass(frozen=True)
class AnnotationRow:
    span: Span
    tags: tuple[Tag, ...]
    annotator: str  # a display name

    @property
    def tag_names(self) -> str:
        return ", ".join(tag.name for tag in self.tags)


def one_line(text: str, limit: int) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


class AnnotationListModel(QAbstractTableModel):
    def __init__(self, session: Session, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.document_id = ""
        self._rows: list[AnnotationRow] = []
        self._icons: dict[str | None, QIcon] = {}
        session.changed.connect(self._on_changed)

    def set_document(self, document_id: str) -> None:
        self.document_id = document_id
        self.beginResetModel()
        self._rows = self._read()
        self.endResetModel()

    def row_of(self, span_id: str) -> int:
        return next((i for i, r in enumerate(self._rows) if r.span.id == span_id), -1)

    def annotation(self, row: int) -> AnnotationRow:
        return self._rows[row]

    # -- Qt model ---------------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(Column)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[Column(section)] if 0 <= section < len(Column) else None
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        column = index.column()
        if role == SPAN_ID_ROLE:
            return row.span.id
        if role == TAG_IDS_ROLE:
            return [tag.id for tag in row.tags]
        if role == ANNOTATOR_ID_ROLE:
            return row.span.created_by or ""
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(row, column)
        if role == Qt.ItemDataRole.DecorationRole and column == Column.TAGS and row.tags:
            colour = row.tags[0].colour
            if colour not in self._icons:
                self._icons[colour] = swatch_icon(colour, 12)
            return self._icons[colour]
        return None

    def _display(self, row: AnnotationRow, column: int) -> str:
        if column == Column.QUOTE:
            return one_line(row.span.quote, QUOTE_CHARS)
        if column == Column.TAGS:
            return row.tag_names
        if column == Column.ANNOTATOR:
            return row.annotator
        return one_line(row.span.note or "", QUOTE_CHARS)

    def _tooltip(self, row: AnnotationRow, column: int) -> str | None:
        if column == Column.QUOTE:
            return row.span.quote
        if column == Column.NOTE:
            return row.span.note
        if column == Column.TAGS:
            return "\n".join(tag.name for tag in row.tags) or None
        return None

    # -- refreshing -------------------------------------------------------------------------

    def _read(self) -> list[AnnotationRow]:
        if not self.document_id:
            return []
        tags = {tag.id: tag for tag in self.session.tags()}
        paths = {tag_id: ops.tag_path(tags, tag_id).casefold() for tag_id in tags}
        names = {a.id: a.name for a in self.session.annotators()}
        tag_ids = self.session.tags_by_span(self.document_id)
        rows = [
            AnnotationRow(
                span,
                tuple(  # in codebook order, as the tagging panel shows them
                    tags[t] for t in sorted(tag_ids.get(span.id, ()), key=paths.get) if t in tags
                ),
                names.get(span.created_by or "", ""),
            )
            for span in self.session.spans(self.document_id)
        ]
        rows.sort(key=lambda r: (r.span.start, r.span.end, r.span.id))
        return rows

    def _on_changed(self, changes: ChangeSet) -> None:
        tables = changes.tables()
        if tables and not tables & RELOAD_TABLES:
            return
        rows = self._read()
        if [r.span.id for r in rows] != [r.span.id for r in self._rows]:
            self.beginResetModel()
            self._rows = rows
            self.endResetModel()
        elif rows != self._rows:
            self._rows = rows
            self.dataChanged.emit(self.index(0, 0), self.index(len(rows) - 1, len(Column) - 1))


class AnnotationFilter(QSortFilterProxyModel):
    """Keeps the annotations carrying one of some tags and/or made by one annotator."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._tag_ids: frozenset[str] = frozenset()
        self._annotator = ""

    def set_tags(self, tag_ids: Iterable[str]) -> None:
        """Only rows carrying at least one of ``tag_ids`` (none given: every row)."""
        self._refilter(lambda: setattr(self, "_tag_ids", frozenset(tag_ids)))

    def set_annotator(self, annotator_id: str) -> None:
        """Only rows made by ``annotator_id`` ('' : everybody's)."""
        self._refilter(lambda: setattr(self, "_annotator", annotator_id))

    def _refilter(self, change: Callable[[], None]) -> None:
        begin = getattr(self, "beginFilterChange", None)  # Qt 6.9+; older ones invalidate
        if begin is None:
            change()
            self.invalidateRowsFilter()
            return
        begin()
        change()
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        index = self.sourceModel().index(source_row, 0, source_parent)
        if self._annotator and index.data(ANNOTATOR_ID_ROLE) != self._annotator:
            return False
        return not self._tag_ids or bool(self._tag_ids & set(index.data(TAG_IDS_ROLE) or ()))
