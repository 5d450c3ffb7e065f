"""The documents of the project as a table, and a fuzzy filter over it.

The model is a thin adapter over ``session.documents()``: it re-reads them when a change
touches documents, counts annotations that came or went in or out of their documents' rows,
and otherwise leaves itself alone.
"""

from __future__ import annotations

from dataclasses import replace
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
from rapidfuzz import fuzz, utils

from annotator.core.model import ChangeSet
from annotator.core.store import DocumentSummary
from annotator.gui.session import Session

ID_ROLE = Qt.ItemDataRole.UserRole + 1  # the document id, for views that open documents
SORT_ROLE = Qt.ItemDataRole.UserRole + 2  # a value that sorts the way a reader expects
MATCH_THRESHOLD = 70  # rapidfuzz score (0..100) a document needs to pass the filter
RELOAD_TABLES = {"documents", "spans"}  # spans: the annotation counts

Index = QModelIndex | QPersistentModelIndex


class Column(IntEnum):
    TITLE = 0
    AUTHOR = 1
    DATE = 2
    ANNOTATIONS = 3


HEADERS = {
    Column.TITLE: "Title",
    Column.AUTHOR: "Author",
    Column.DATE: "Date",
    Column.ANNOTATIONS: "#",  # narrow: the dock is narrow; the tooltip says what it counts
}
HEADER_TIPS = {Column.ANNOTATIONS: "Annotations"}


class DocumentListModel(QAbstractTableModel):
    def __init__(self, session: Session, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self._documents: list[DocumentSummary] = []
        self._rows: dict[str, int] = {}  # document id -> row
        self._set_documents(session.documents())
        session.changed.connect(self._on_changed)

    # -- reading ----------------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._documents)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(Column)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._documents):
            return None
        document = self._documents[index.row()]
        column = Column(index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            return _display(document, column)
        if role == SORT_ROLE:
            return _sort_key(document, column)
        if role == ID_ROLE:
            return document.id
        if role == Qt.ItemDataRole.ToolTipRole:
            return _tooltip(document)
        if role == Qt.ItemDataRole.TextAlignmentRole and column == Column.ANNOTATIONS:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(Column):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[Column(section)]
        if role == Qt.ItemDataRole.ToolTipRole:
            return HEADER_TIPS.get(Column(section), HEADERS[Column(section)])
        return None

    def document_at(self, row: int) -> DocumentSummary:
        return self._documents[row]

    def row_of(self, document_id: str) -> int | None:
        return self._rows.get(document_id)

    # -- refreshing ---------------------------------------------------------------------------

    def reload(self) -> None:
        documents = self.session.documents()
        if [d.id for d in documents] == [d.id for d in self._documents]:
            # Same rows (an annotation count or a title changed): keep selections and scroll.
            self._set_documents(documents)
            if documents:
                last = self.index(len(documents) - 1, len(Column) - 1)
                self.dataChanged.emit(self.index(0, 0), last)
            return
        self.beginResetModel()
        self._set_documents(documents)
        self.endResetModel()

    def _set_documents(self, documents: list[DocumentSummary]) -> None:
        self._documents = documents
        self._rows = {document.id: row for row, document in enumerate(documents)}

    def _recount(self, changes: ChangeSet) -> None:
        """Only annotations came or went: count them in or out of their documents' rows."""
        deltas: dict[str, int] = {}
        for change in changes.changes:
            if change.table == "spans":
                document_id = (change.after or change.before or {})["document_id"]
                delta = _live(change.after) - _live(change.before)
                deltas[document_id] = deltas.get(document_id, 0) + delta
        for document_id, delta in deltas.items():
            row = self._rows.get(document_id)
            if row is None or not delta:
                continue
            document = self._documents[row]
            self._documents[row] = replace(document, spans=document.spans + delta)
            self.dataChanged.emit(self.index(row, 0), self.index(row, len(Column) - 1))

    def _on_changed(self, changes: ChangeSet) -> None:
        tables = changes.tables()
        if tables and "documents" not in tables and "spans" in tables:
            self._recount(changes)
        elif not tables or tables & RELOAD_TABLES:
            self.reload()


def _live(row: dict[str, Any] | None) -> int:
    return int(row is not None and row.get("deleted_at") is None)


class DocumentFilterProxy(QSortFilterProxyModel):
    """Sortable columns, and a typo-tolerant filter on title and author.

    While a filter is active, the best matches come first whatever column is sorted.
    """

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.setSortRole(SORT_ROLE)
        self.setDynamicSortFilter(True)
        self._query = ""
        self._scores: dict[str, float] = {}  # document id -> score, for the current query

    @property
    def query(self) -> str:
        return self._query

    def set_query(self, text: str) -> None:
        query = " ".join(text.split())
        if query == self._query:
            return
        self._query = query
        self._scores.clear()
        if query and self.sortColumn() < 0:
            self.sort(Column.TITLE)  # scores only order rows while the proxy sorts
        self.invalidate()  # filters and re-sorts: the order by score changed too

    def setSourceModel(self, model: QAbstractTableModel) -> None:  # type: ignore[override]
        old = self.sourceModel()
        if old is not None:
            old.modelReset.disconnect(self._scores.clear)
            old.dataChanged.disconnect(self._scores.clear)
        super().setSourceModel(model)
        # Titles may change under a cached score; scores are cheap to compute again.
        model.modelReset.connect(self._scores.clear)
        model.dataChanged.connect(self._scores.clear)

    def score(self, source_row: int) -> float:
        """How well the document in ``source_row`` matches the query (100 without one)."""
        if not self._query:
            return 100.0
        model = self.sourceModel()
        document_id = model.index(source_row, 0).data(ID_ROLE)
        if document_id not in self._scores:
            title = model.index(source_row, Column.TITLE).data() or ""
            author = model.index(source_row, Column.AUTHOR).data() or ""
            self._scores[document_id] = match_score(self._query, f"{title} {author}")
        return self._scores[document_id]

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        return self.score(source_row) >= MATCH_THRESHOLD

    def lessThan(self, left: Index, right: Index) -> bool:
        if self._query:
            left_score, right_score = self.score(left.row()), self.score(right.row())
            if left_score != right_score:
                # Better matches first in either sort direction.
                descending = self.sortOrder() == Qt.SortOrder.DescendingOrder
                return left_score < right_score if descending else left_score > right_score
        left_key, right_key = left.data(SORT_ROLE), right.data(SORT_ROLE)
        if left_key is None or right_key is None:
            return left_key is None and right_key is not None
        return left_key < right_key


def match_score(query: str, text: str) -> float:
    """0..100: how well the worst-matched word of ``query`` is found in ``text``.

    ``partial_ratio`` finds a word inside a long title despite a typo ("armnia" ~ "Armenia");
    taking the worst word keeps "peace corridor" from matching everything about peace.
    """
    words = query.split()
    if not words:
        return 100.0
    return min(fuzz.partial_ratio(w, text, processor=utils.default_process) for w in words)


def _display(document: DocumentSummary, column: Column) -> str | int:
    if column == Column.TITLE:
        return document.title
    if column == Column.AUTHOR:
        return document.author or ""
    if column == Column.DATE:
        return document.date or ""
    return document.spans


def _sort_key(document: DocumentSummary, column: Column) -> str | int:
    if column == Column.ANNOTATIONS:
        return document.spans
    value = _display(document, column)
    return str(value).casefold()


def _tooltip(document: DocumentSummary) -> str:
    lines = [document.title]
    details = ", ".join(x for x in (document.author, document.date) if x)
    if details:
        lines.append(details)
    if document.source:
        lines.append(document.source)
    lines.append(f"{document.spans} annotations, {document.length:,} characters")
    return "\n".join(lines)
