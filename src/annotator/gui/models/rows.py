"""A read-only table of plain rows: what the panels' list models share."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt

Index = QModelIndex | QPersistentModelIndex
RowT = TypeVar("RowT")


class RowTableModel(QAbstractTableModel, Generic[RowT]):
    """Rows of one kind with fixed columns; subclasses say how a row is shown in
    :meth:`row_data`.

    ``headers`` maps each column number to its title; ``key`` gives a row's record id so a
    view can find the row of a record again after a reload.
    """

    def __init__(
        self, headers: Mapping[int, str], key: Callable[[RowT], str], parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._headers = dict(headers)
        self._key = key
        self._rows: list[RowT] = []

    def replace_rows(self, rows: list[RowT]) -> None:
        self.beginResetModel()
        self._rows = rows
        self.endResetModel()

    def row(self, number: int) -> RowT | None:
        return self._rows[number] if 0 <= number < len(self._rows) else None

    def rows(self) -> list[RowT]:
        return list(self._rows)

    def key(self, row: RowT) -> str:
        return self._key(row)

    def row_of(self, record_id: str) -> int:
        return next((n for n, r in enumerate(self._rows) if self._key(r) == record_id), -1)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._headers)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self._headers.get(section)
        return None

    def row_at(self, index: Index) -> RowT | None:
        """The row of a valid index of this model (None for anything else)."""
        if not index.isValid() or index.model() is not self:
            return None
        return self.row(index.row())

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        row = self.row_at(index)
        return None if row is None else self.row_data(row, index.column(), role)

    def row_data(self, row: RowT, column: int, role: int) -> Any:
        """What ``row`` shows in ``column`` for ``role`` (None: nothing)."""
        return None


def elide(text: str, limit: int) -> str:
    """``text`` on one line, cut after ``limit`` characters with "…" where it was cut."""
    text = " ".join(text.split())
    return text[:limit] + ("…" if len(text) > limit else "")
