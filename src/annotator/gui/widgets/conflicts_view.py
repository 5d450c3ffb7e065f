"""View › Merge conflicts: the records both sides of a merge changed, for review.

Each entry of the conflict log holds the version kept and the one that lost. The analyst
reads them field by field, then dismisses the entry (the kept version stays) or restores the
other version (a new edit; the entry is dismissed with it). Both go through the session, so
Edit › Undo takes them back.
"""

from __future__ import annotations

from PySide6.QtCore import QItemSelection, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from annotator.core import ops
from annotator.core.model import ChangeSet
from annotator.gui.models.conflicts import (
    ConflictRow,
    ConflictsModel,
    FieldsModel,
    Names,
    field_rows,
)
from annotator.gui.session import Session

EMPTY = "No conflicts to review. Merges log here the records both projects changed."
DOCUMENT_TEXT_NOTE = (
    "A document's other text is not restored here: its annotations sit on the kept text. "
    "Use Document › Replace text… to give it the other text, carrying them over."
)


class ConflictsView(QWidget):
    orphans_requested = Signal()

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("conflictsView")
        self.session = session
        self._stale = True  # reloaded when next shown: hidden, it does not read at every edit

        self.heading = QLabel(EMPTY, self)
        self.heading.setWordWrap(True)
        self.model = ConflictsModel(session, self)
        self.table = _table(self)
        self.table.setModel(self.model)
        self.table.setAccessibleName("Merge conflicts")
        _fit_columns(self.table, stretch=2, fixed={1: 150})  # Why takes the room left
        self.table.selectionModel().selectionChanged.connect(self._current_changed)
        self.fields = FieldsModel(self)
        self.fields_table = _table(self)
        self.fields_table.setModel(self.fields)
        self.fields_table.setAccessibleName("Kept and lost versions")
        _fit_columns(self.fields_table, stretch=-1)
        self.reason = QLabel(self)
        self.reason.setWordWrap(True)
        self.reason.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        # Alt+letters unlike the menu bar's and the other panels' (Alt+D opens Document).
        self.dismiss_button = QPushButton("D&ismiss", self)
        self.dismiss_button.setToolTip("Mark reviewed: the kept version stays (Delete)")
        self.dismiss_button.clicked.connect(self.dismiss)
        self.restore_button = QPushButton("&Restore the other version", self)
        self.restore_button.setToolTip("Make the version that lost the current one again")
        self.restore_button.clicked.connect(self.restore)
        self.orphans_button = QPushButton("Show &orphans", self)
        self.orphans_button.setToolTip("Annotations a merge could not place in the text")
        self.orphans_button.clicked.connect(self.orphans_requested)
        dismiss_key = QShortcut(QKeySequence(QKeySequence.StandardKey.Delete), self.table)
        dismiss_key.setContext(Qt.ShortcutContext.WidgetShortcut)  # Delete elsewhere is not ours
        dismiss_key.activated.connect(self.dismiss)

        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(self.table)
        details = QWidget(splitter)
        details_layout = QVBoxLayout(details)
        details_layout.setContentsMargins(0, 0, 0, 0)
        details_layout.addWidget(self.reason)
        details_layout.addWidget(self.fields_table, 1)
        splitter.addWidget(details)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        buttons = QHBoxLayout()
        for button in (self.dismiss_button, self.restore_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.orphans_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(splitter, 1)
        layout.addLayout(buttons)
        self.setFocusProxy(self.table)

        session.changed.connect(self._on_changed)
        self._update_details()

    # -- reading ----------------------------------------------------------------------------

    def reload(self) -> None:
        """Read the log again, keeping the current entry (or the row it was at)."""
        current = self.current()
        row_number = self.table.currentIndex().row()
        self.model.reload()
        self._stale = False
        rows = self.model.rowCount()
        count = f"{rows} conflict{'s' * (rows != 1)} to review"
        self.heading.setText(
            f"{count}: records both projects of a merge changed." if rows else EMPTY
        )
        again = self.model.row_of(current.id) if current else -1
        if again < 0 and rows:
            again = min(max(row_number, 0), rows - 1)
        if again >= 0:
            self.table.selectRow(again)
        self._update_details()

    def current(self) -> ConflictRow | None:
        return self.model.row_at(self.table.currentIndex())

    def select(self, conflict_id: str) -> bool:
        row = self.model.row_of(conflict_id)
        if row >= 0:
            self.table.selectRow(row)
        return row >= 0

    # -- acting -----------------------------------------------------------------------------

    def dismiss(self) -> None:
        current = self.current()
        if current is not None:
            self.session.perform(ops.dismiss_conflict, conflict_id=current.id)

    def restore(self) -> None:
        current = self.current()
        if current is not None:
            self.session.perform(ops.restore_lost_version, conflict_id=current.id)

    # -- reacting ---------------------------------------------------------------------------

    def _on_changed(self, changes: ChangeSet) -> None:
        tables = changes.tables()
        if tables and "conflicts" not in tables:
            return  # names shown may be older; they refresh with the next log change
        if self.isVisible():
            self.reload()
        else:
            self._stale = True

    def showEvent(self, event: QShowEvent) -> None:
        if self._stale:
            self.reload()
        super().showEvent(event)

    def _current_changed(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        self._update_details()

    def _update_details(self) -> None:
        current = self.current()
        self.dismiss_button.setEnabled(current is not None)
        self.restore_button.setEnabled(current is not None)
        if current is None:
            self.fields.replace_rows([])
            self.reason.setText("")
            return
        names = Names(self.session, [current.kept, current.lost])
        self.fields.replace_rows(field_rows(current, names))
        text = f"{current.label}: {current.reason}."
        if current.source:
            text += f" Merged from {current.source}."
        if current.table == "documents" and current.kept.get("sha256") != current.lost.get(
            "sha256"
        ):
            text += " " + DOCUMENT_TEXT_NOTE
        self.reason.setText(text)


def _table(parent: QWidget) -> QTableView:
    view = QTableView(parent)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.setWordWrap(False)
    view.verticalHeader().hide()
    return view


def _fit_columns(view: QTableView, *, stretch: int, fixed: dict[int, int] | None = None) -> None:
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
