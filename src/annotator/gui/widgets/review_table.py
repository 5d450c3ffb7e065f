"""What the review panels (merge conflicts, orphaned annotations) share: a read-only table of
records that is read again after edits, keeping the analyst's place in it.

A hidden panel does not read at every edit: it marks itself stale and reads when next shown.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic

from PySide6.QtCore import QItemSelection
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from annotator.gui.models.rows import RowT, RowTableModel


class ReviewPanel(QWidget, Generic[RowT]):
    """A panel around ``self.table`` showing ``model``; subclasses say how the rows are read
    (:meth:`_read`) and what follows the current row (:meth:`_current_changed`)."""

    # Each panel defines it: fill the model again (and say how many rows it has). Declared,
    # not stubbed: QWidget's metaclass rules out abc, and a raising stub is no contract.
    _read: Callable[[], None]

    def __init__(self, model: RowTableModel[RowT], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._stale = True  # read when next shown: see _reload_when_seen
        self.model = model
        model.setParent(self)  # the panel owns it
        self.table = review_table(self)
        self.table.setModel(model)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)

    def reload(self) -> None:
        """Read the rows again, keeping the current one (or the row it was at)."""
        current = self.current()
        row_number = self.table.currentIndex().row()
        self._read()
        self._stale = False
        rows = self.model.rowCount()
        again = self.model.row_of(self.model.key(current)) if current is not None else -1
        if again < 0 and rows:
            again = min(max(row_number, 0), rows - 1)
        if again >= 0:
            self.table.selectRow(again)
        self._current_changed()

    def current(self) -> RowT | None:
        return self.model.row_at(self.table.currentIndex())

    def select(self, record_id: str) -> bool:
        row = self.model.row_of(record_id)
        if row >= 0:
            self.table.selectRow(row)
        return row >= 0

    def _current_changed(self) -> None:
        """Bring what depends on the current row (buttons, details) up to date."""

    def _reload_when_seen(self) -> None:
        """Read now if shown, else when next shown."""
        if self.isVisible():
            self.reload()
        else:
            self._stale = True

    def showEvent(self, event: QShowEvent) -> None:
        if self._stale:
            self.reload()
        super().showEvent(event)

    def _selection_changed(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        self._current_changed()


def review_table(parent: QWidget) -> QTableView:
    """A table of whole rows, one chosen at a time, read-only, one line a row."""
    view = QTableView(parent)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.setWordWrap(False)
    view.verticalHeader().hide()
    return view


def fit_columns(view: QTableView, *, stretch: int, fixed: dict[int, int] | None = None) -> None:
    """Columns as wide as their contents, ``stretch`` taking the room left (-1: all but the
    first, for the two versions side by side); ``fixed`` ones start at a width."""
    header = view.horizontalHeader()
    header.setStretchLastSection(False)
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    for column, width in (fixed or {}).items():
        header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(column, width)
    columns = range(1, view.model().columnCount()) if stretch < 0 else [stretch]
    for column in columns:
        header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
