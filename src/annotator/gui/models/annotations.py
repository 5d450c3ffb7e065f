"""The annotations of one document as a table (quote, tags, annotator, note), and its filter.

A thin adapter over the session's span outlines and tags. Tagging or editing passages
updates just their rows (inserted, removed, repainted or moved), so a key press costs the
same with ten annotations or ten thousand; other changes read the document again. Opening a
document may leave the rows to be read later (``set_document(..., defer=True)``, then
:meth:`AnnotationListModel.fill`), so a long document's text is on screen first.
"""

from __future__ import annotations

from bisect import bisect_left
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
from annotator.core.model import ChangeSet, Tag
from annotator.core.store.queries import SpanOutline
from annotator.gui.models.codebook import swatch_icon
from annotator.gui.session import Session

SPAN_ID_ROLE = Qt.ItemDataRole.UserRole + 1
TAG_IDS_ROLE = Qt.ItemDataRole.UserRole + 2
ANNOTATOR_ID_ROLE = Qt.ItemDataRole.UserRole + 3
RELOAD_TABLES = {"spans", "span_tags", "tags", "annotators", "documents"}
SPAN_TABLES = {"spans", "span_tags"}  # changes that touch rows one by one
BULK_ROWS = 64  # rows touched beyond which the document is read again, in one reset
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
    span: SpanOutline  # the quote is fetched whole only for a tooltip
    tags: tuple[Tag, ...]
    annotator: str  # a display name

    @property
    def tag_names(self) -> str:
        return ", ".join(tag.name for tag in self.tags)


def one_line(text: str, limit: int, *, cut: bool = False) -> str:
    """``text`` on one line, elided to ``limit`` characters (and marked, when ``cut``, as the
    start of something longer)."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit and not cut else flat[: limit - 1].rstrip() + "…"


class AnnotationListModel(QAbstractTableModel):
    def __init__(self, session: Session, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.document_id = ""
        self._rows: list[AnnotationRow] = []  # in text order, see _row_key
        self._by_span: dict[str, AnnotationRow] = {}
        self._pending = False  # the rows of document_id are still to be read
        self._icons: dict[str | None, QIcon] = {}
        # What rows are made with, as last read (a change of tags or annotators reads again).
        self._tags: dict[str, Tag] = {}
        self._paths: dict[str, str] = {}
        self._names: dict[str, str] = {}
        self._tag_rows: dict[tuple[str, ...], tuple[Tag, ...]] = {}  # see _row
        session.changed.connect(self._on_changed)

    def set_document(self, document_id: str, *, defer: bool = False) -> None:
        """Show the rows of ``document_id``; with ``defer``, none until :meth:`fill`."""
        self.document_id = document_id
        self._pending = defer and bool(document_id)
        self.beginResetModel()
        self._rows = [] if self._pending else self._read()
        self.endResetModel()

    @property
    def pending(self) -> bool:
        """Whether the rows of the document are still to be read (see :meth:`fill`)."""
        return self._pending

    def fill(self) -> None:
        """Read the rows a deferred :meth:`set_document` left out (nothing if none)."""
        if self._pending:
            self._pending = False
            rows = self._read()
            self.beginResetModel()
            self._rows = rows
            self.endResetModel()

    def row_of(self, span_id: str) -> int:
        self.fill()
        row = self._by_span.get(span_id)
        return self._position(row) if row is not None else -1

    def annotation(self, row: int) -> AnnotationRow:
        self.fill()
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
            return one_line(row.span.excerpt, QUOTE_CHARS, cut=not row.span.whole)
        if column == Column.TAGS:
            return row.tag_names
        if column == Column.ANNOTATOR:
            return row.annotator
        return one_line(row.span.note or "", QUOTE_CHARS)

    def _tooltip(self, row: AnnotationRow, column: int) -> str | None:
        if column == Column.QUOTE:
            if row.span.whole:
                return row.span.excerpt
            span = self.session.span(row.span.id)
            return span.quote if span is not None else row.span.excerpt
        if column == Column.NOTE:
            return row.span.note
        if column == Column.TAGS:
            return "\n".join(tag.name for tag in row.tags) or None
        return None

    # -- refreshing -------------------------------------------------------------------------

    def _read(self) -> list[AnnotationRow]:
        """Every row of the document (and what rows are made with), read again."""
        self._by_span = {}
        if not self.document_id:
            return []
        self._read_tags()
        self._read_names()
        # Already in text order (see _row_key).
        rows = [
            self._row(span, tags)
            for span, tags in self.session.span_outlines_tagged(self.document_id)
        ]
        self._by_span = {row.span.id: row for row in rows}
        return rows

    def _read_tags(self) -> None:
        self._tags = {tag.id: tag for tag in self.session.tags()}
        self._paths = {t: ops.tag_path(self._tags, t).casefold() for t in self._tags}
        self._tag_rows = {}

    def _read_names(self) -> None:
        self._names = {a.id: a.name for a in self.session.annotators()}

    def _row(self, span: SpanOutline, tag_ids: Iterable[str]) -> AnnotationRow:
        return AnnotationRow(
            span, self._row_tags(tuple(tag_ids)), self._names.get(span.created_by or "", "")
        )

    def _row_tags(self, tag_ids: tuple[str, ...]) -> tuple[Tag, ...]:
        """The tags of ``tag_ids`` in codebook order, as the tagging panel shows them: a
        document's thousands of rows share a few combinations."""
        found = self._tag_rows.get(tag_ids)
        if found is None:
            ordered = sorted((t for t in tag_ids if t in self._tags), key=self._paths.__getitem__)
            found = self._tag_rows[tag_ids] = tuple(self._tags[t] for t in ordered)
        return found

    def _position(self, row: AnnotationRow) -> int:
        return bisect_left(self._rows, _row_key(row), key=_row_key)

    def _on_changed(self, changes: ChangeSet) -> None:
        tables = changes.tables()
        if self._pending or (tables and not tables & RELOAD_TABLES):
            return  # rows still to be read are read as they are by then
        if tables and tables <= SPAN_TABLES:  # tagging and editing passages: only those rows
            touched = self.session.spans_touched(
                changes, self.document_id, self._by_span.__contains__
            )
            if len(touched) <= BULK_ROWS:
                self._update_rows(touched)
                return
        rows = self._read()
        if [r.span.id for r in rows] != [r.span.id for r in self._rows]:
            self.beginResetModel()
            self._rows = rows
            self.endResetModel()
        elif rows != self._rows:
            self._rows = rows
            self.dataChanged.emit(self.index(0, 0), self.index(len(rows) - 1, len(Column) - 1))

    def _update_rows(self, span_ids: set[str]) -> None:
        """Read ``span_ids`` again: rows come, go, change or move to their new place."""
        if not span_ids or not self.document_id:
            return
        tag_ids = self.session.tags_by_span(self.document_id, span_ids)
        spans = {span_id: self.session.span(span_id) for span_id in span_ids}
        # A tag or annotator may have been written without a change of its own (a merge).
        if not {t for ids in tag_ids.values() for t in ids} <= self._tags.keys():
            self._read_tags()
        if not {s.created_by for s in spans.values() if s and s.created_by} <= self._names.keys():
            self._read_names()
        for span_id in sorted(span_ids):
            old = self._by_span.get(span_id)
            span = spans[span_id]
            new = (
                self._row(SpanOutline.of(span), tag_ids.get(span_id, ()))
                if span is not None and span.document_id == self.document_id
                else None
            )
            if old is not None and new is not None and _row_key(old) == _row_key(new):
                if new != old:
                    number = self._position(old)
                    self._rows[number] = self._by_span[span_id] = new
                    self.dataChanged.emit(
                        self.index(number, 0), self.index(number, len(Column) - 1)
                    )
                continue
            if old is not None:
                number = self._position(old)
                self.beginRemoveRows(QModelIndex(), number, number)
                del self._rows[number], self._by_span[span_id]
                self.endRemoveRows()
            if new is not None:
                number = self._position(new)
                self.beginInsertRows(QModelIndex(), number, number)
                self._rows.insert(number, new)
                self._by_span[span_id] = new
                self.endInsertRows()


def _row_key(row: AnnotationRow) -> tuple[int, int, str]:
    return row.span.start, row.span.end, row.span.id


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
        if not self._annotator and not self._tag_ids:
            return True  # asked of every row whenever a document opens
        index = self.sourceModel().index(source_row, 0, source_parent)
        if self._annotator and index.data(ANNOTATOR_ID_ROLE) != self._annotator:
            return False
        return not self._tag_ids or bool(self._tag_ids & set(index.data(TAG_IDS_ROLE) or ()))
