"""A merge report as item models: the counts (record kind × outcome), and tables of the
documents matched, the names offered, the passages moved or orphaned and the conflicts.

Rows the analyst decides on (a fuzzy document match, a similar name) carry a tick in their
first column; the dialog reads the ticks back as merge options.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, Qt
from PySide6.QtGui import QPalette

from annotator.core.merge.report import (
    OUTCOMES,
    ConflictNote,
    DocumentMatch,
    MergeReport,
    MovedSpan,
    NameMatch,
)
from annotator.gui.models.rows import Index, RowTableModel, elide

T = TypeVar("T")
QUOTE_CHARS = 90

KIND_LABELS = {
    "annotators": "Annotators",
    "documents": "Documents",
    "tags": "Tags",
    "targets": "Targets",
    "actors": "Actors",
    "spans": "Annotations",
    "span_tags": "Tags on annotations",
    "stances": "Stances",
    "links": "Links",
    "conflicts": "Conflict log",
}
OUTCOME_LABELS = {
    "new": "New",
    "updated": "Updated",
    "unchanged": "Unchanged",
    "conflicts": "Conflicts",
    "reanchored": "Moved",
    "orphaned": "Orphaned",
}
HOW_LABELS = {"id": "same record", "hash": "same text", "fuzzy": "nearly the same text"}
METHOD_LABELS = {"exact": "found exactly", "fuzzy": "found approximately", "orphaned": "not found"}
TABLE_LABELS = {
    "annotators": "annotator",
    "documents": "document",
    "tags": "tag",
    "targets": "target",
    "actors": "actor",
    "spans": "annotation",
    "span_tags": "tag on an annotation",
    "stances": "stance",
    "links": "link",
}


class CountsModel(QAbstractTableModel):
    """Rows: kinds of record in the order the merge met them; columns: OUTCOMES."""

    def __init__(self, report: MergeReport, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._kinds = [k for k in KIND_LABELS if k in report.counts]
        self._kinds += [k for k in report.counts if k not in KIND_LABELS]
        self._counts = {k: dict(report.counts[k]) for k in self._kinds}

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._kinds)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(OUTCOMES)

    def count(self, kind: str, outcome: str) -> int:
        return self._counts.get(kind, {}).get(outcome, 0)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.model() is not self:
            return None
        n = self.count(self._kinds[index.row()], OUTCOMES[index.column()])
        if role == Qt.ItemDataRole.DisplayRole:
            return str(n)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole and n == 0:
            return QPalette().color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text)
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(OUTCOMES):
            return OUTCOME_LABELS[OUTCOMES[section]]
        if orientation == Qt.Orientation.Vertical and 0 <= section < len(self._kinds):
            return KIND_LABELS.get(self._kinds[section], self._kinds[section])
        return None


@dataclass(frozen=True)
class Column(Generic[T]):
    title: str
    text: Callable[[T], str]
    tip: Callable[[T], str] | None = None
    number: bool = False  # aligned right
    stretch: bool = False  # takes the width the others leave


class ReportTableModel(RowTableModel[T]):
    """Rows of one report list; with ``choosable``, those rows get a tick in column 0."""

    def __init__(
        self,
        columns: Sequence[Column[T]],
        rows: list[T],
        key: Callable[[T], str],
        *,
        choosable: Callable[[T], bool] | None = None,
        ticked: bool = False,
        parent: QObject | None = None,
    ) -> None:
        super().__init__({n: c.title for n, c in enumerate(columns)}, key, parent)
        self._columns = list(columns)
        self._choosable = choosable
        self._ticked = {key(r) for r in rows if choosable and choosable(r) and ticked}
        self.replace_rows(rows)

    def stretch_column(self) -> int:
        """The column that takes the room left, or -1."""
        return next((n for n, c in enumerate(self._columns) if c.stretch), -1)

    def choosable(self, row: T) -> bool:
        return self._choosable is not None and self._choosable(row)

    def is_ticked(self, row: T) -> bool:
        return self._key(row) in self._ticked

    def ticked_rows(self) -> list[T]:
        return [r for r in self._rows if self.choosable(r) and self.is_ticked(r)]

    def unticked_rows(self) -> list[T]:
        return [r for r in self._rows if self.choosable(r) and not self.is_ticked(r)]

    def row_data(self, row: T, column: int, role: int) -> Any:
        shown = self._columns[column]
        if role == Qt.ItemDataRole.DisplayRole:
            return shown.text(row)
        if role == Qt.ItemDataRole.ToolTipRole:
            return shown.tip(row) if shown.tip else shown.text(row)
        if role == Qt.ItemDataRole.TextAlignmentRole and shown.number:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.CheckStateRole and column == 0 and self.choosable(row):
            return Qt.CheckState.Checked if self.is_ticked(row) else Qt.CheckState.Unchecked
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        found = super().flags(index)
        row = self.row_at(index)
        if row is not None and index.column() == 0 and self.choosable(row):
            found |= Qt.ItemFlag.ItemIsUserCheckable
        return found

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        row = self.row_at(index)
        if role != Qt.ItemDataRole.CheckStateRole or row is None or index.column() != 0:
            return False
        if not self.choosable(row):
            return False
        if Qt.CheckState(value) == Qt.CheckState.Checked:
            self._ticked.add(self._key(row))
        else:
            self._ticked.discard(self._key(row))
        self.dataChanged.emit(index, index, [Qt.ItemDataRole.CheckStateRole])
        return True

    def set_ticked(self, row_number: int, ticked: bool) -> None:
        state = Qt.CheckState.Checked if ticked else Qt.CheckState.Unchecked
        self.setData(self.index(row_number, 0), state, Qt.ItemDataRole.CheckStateRole)


def documents_model(
    report: MergeReport, titles: Mapping[str, str], parent: QObject | None = None
) -> ReportTableModel[DocumentMatch]:
    """Their documents that are one of mine; fuzzy matches ticked until the analyst says no."""
    columns = [
        Column[DocumentMatch]("Their document", lambda m: m.title, stretch=True),
        Column[DocumentMatch]("This project's", lambda m: titles.get(m.my_id, m.title)),
        Column[DocumentMatch]("Matched by", lambda m: HOW_LABELS.get(m.how, m.how)),
        Column[DocumentMatch]("Score", lambda m: f"{m.score:.1f}", number=True),
        Column[DocumentMatch](
            "Text",
            lambda m: "differs (this project's is kept)" if m.text_differs else "the same",
        ),
    ]
    rows = sorted(report.documents, key=lambda m: (m.how != "fuzzy", m.title.casefold()))
    return ReportTableModel(
        columns, rows, lambda m: m.their_id, choosable=lambda m: m.how == "fuzzy", ticked=True,
        parent=parent,
    )  # fmt: skip


def similar_model(
    report: MergeReport, parent: QObject | None = None
) -> ReportTableModel[NameMatch]:
    """Names of theirs close to one of mine: kept apart unless the analyst ticks them."""
    columns = [
        Column[NameMatch]("Their name", lambda n: n.their_name),
        Column[NameMatch]("This project's", lambda n: n.my_name),
        Column[NameMatch]("Kind", lambda n: TABLE_LABELS.get(n.table, n.table)),
        Column[NameMatch]("Score", lambda n: f"{n.score:.0f}", number=True),
    ]
    return ReportTableModel(
        columns, list(report.similar), lambda n: f"{n.table}:{n.their_id}",
        choosable=lambda _n: True, ticked=False, parent=parent,
    )  # fmt: skip


def moved_model(
    spans: list[MovedSpan], titles: Mapping[str, str], parent: QObject | None = None
) -> ReportTableModel[MovedSpan]:
    columns = [
        *_passage_columns(titles),
        Column[MovedSpan]("Found", lambda m: METHOD_LABELS.get(m.method, m.method)),
        Column[MovedSpan]("Confidence", lambda m: f"{m.score:.0%}", number=True),
    ]
    return ReportTableModel(columns, spans, lambda m: m.span_id, parent=parent)


def orphans_model(
    spans: list[MovedSpan], titles: Mapping[str, str], parent: QObject | None = None
) -> ReportTableModel[MovedSpan]:
    return ReportTableModel(_passage_columns(titles), spans, lambda m: m.span_id, parent=parent)


def _passage_columns(titles: Mapping[str, str]) -> list[Column[MovedSpan]]:
    """Where a moved or orphaned passage is: its quote and its document."""
    return [
        Column[MovedSpan](
            "Passage", lambda m: _quote(m.quote), tip=lambda m: m.quote, stretch=True
        ),
        Column[MovedSpan]("Document", lambda m: titles.get(m.document_id, "")),
    ]


def conflicts_model(
    report: MergeReport, parent: QObject | None = None
) -> ReportTableModel[ConflictNote]:
    columns = [
        Column[ConflictNote]("Kind", lambda c: TABLE_LABELS.get(c.table, c.table)),
        Column[ConflictNote]("Record", lambda c: _quote(c.label), tip=lambda c: c.label),
        Column[ConflictNote](
            "Kept", lambda c: "their version" if c.kept == "theirs" else "this project's"
        ),
        Column[ConflictNote]("Why", lambda c: c.reason, stretch=True),
    ]
    return ReportTableModel(
        columns, list(report.conflicts), lambda c: f"{c.table}:{c.record_id}", parent=parent
    )


def _quote(text: str) -> str:
    return elide(text, QUOTE_CHARS)
