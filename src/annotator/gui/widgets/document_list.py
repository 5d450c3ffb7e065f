"""The documents dock: a filter box over a sortable table; moving through it opens documents."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QItemSelectionModel, QModelIndex, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLineEdit,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from annotator.gui.models.documents import (
    ID_ROLE,
    Column,
    DocumentFilterProxy,
    DocumentListModel,
)
from annotator.gui.session import Session

AUTHOR_WIDTH = 96


class DocumentList(QWidget):
    """Emits ``document_activated(id)`` when the analyst moves to a document (arrows, Enter,
    click); ``set_current`` follows navigation from elsewhere without emitting."""

    document_activated = Signal(str)
    reading_requested = Signal()  # Enter or double-click: the analyst wants to read it now

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = DocumentListModel(session, self)
        self.proxy = DocumentFilterProxy(self)
        self.proxy.setSourceModel(self.model)
        self._current = ""
        self._following = False  # set_current is moving the cursor: do not re-emit

        self.filter = QLineEdit(self)
        self.filter.setPlaceholderText("Filter documents (Ctrl+F)")
        self.filter.setClearButtonEnabled(True)
        self.filter.setAccessibleName("Filter documents")
        self.filter.textChanged.connect(self._filter_changed)
        self.filter.installEventFilter(self)

        self.view = QTreeView(self)
        self.view.setModel(self.proxy)
        self.view.setAccessibleName("Documents")
        self.view.setRootIsDecorated(False)
        self.view.setUniformRowHeights(True)
        self.view.setAlternatingRowColors(True)
        self.view.setAllColumnsShowFocus(True)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setSortingEnabled(True)
        self.view.sortByColumn(Column.TITLE, Qt.SortOrder.AscendingOrder)
        header = self.view.header()
        header.setStretchLastSection(False)
        # The title takes what is left; the others stay narrow so titles stay readable.
        header.setSectionResizeMode(Column.TITLE, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(Column.AUTHOR, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(Column.AUTHOR, AUTHOR_WIDTH)
        for column in (Column.DATE, Column.ANNOTATIONS):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.view.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.view.selectionModel().currentRowChanged.connect(self._current_row_changed)
        self.view.clicked.connect(self._activated)
        self.view.activated.connect(self._activated)
        self.view.activated.connect(self.reading_requested)
        # Rows moving under the cursor (filter, sort, reload) must not open another document.
        for before, after in (
            (self.proxy.modelAboutToBeReset, self.proxy.modelReset),
            (self.proxy.layoutAboutToBeChanged, self.proxy.layoutChanged),
            (self.proxy.rowsAboutToBeRemoved, self.proxy.rowsRemoved),
            (self.proxy.rowsAboutToBeInserted, self.proxy.rowsInserted),
        ):
            before.connect(self._hold)
            after.connect(self._restore_current)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.setSpacing(4)
        layout.addWidget(self.filter)
        layout.addWidget(self.view)
        self.setFocusProxy(self.view)

    # -- API ------------------------------------------------------------------------------

    @property
    def current_id(self) -> str:
        return self._current

    def focus_filter(self) -> None:
        self.filter.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.filter.selectAll()

    def set_current(self, document_id: str) -> None:
        """Show ``document_id`` as the current row (it was opened from elsewhere)."""
        self._current = document_id
        self._restore_current()

    def visible_ids(self) -> list[str]:
        """Document ids in the order the view shows them."""
        return [self.proxy.index(row, 0).data(ID_ROLE) for row in range(self.proxy.rowCount())]

    # -- events -----------------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # From the filter box, Down goes to the list and Enter opens the best match.
        if watched is self.filter and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            if event.key() in (Qt.Key.Key_Down, Qt.Key.Key_PageDown):
                self.view.setFocus(Qt.FocusReason.TabFocusReason)
                if not self.view.currentIndex().isValid() and self.proxy.rowCount():
                    self.view.setCurrentIndex(self.proxy.index(0, 0))
                return True
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.proxy.rowCount():
                first = self.proxy.index(0, 0)
                self.view.setCurrentIndex(first)
                self._activated(first)
                self.reading_requested.emit()
                return True
        return super().eventFilter(watched, event)

    def _filter_changed(self, text: str) -> None:
        self._hold()
        self.proxy.set_query(text)
        self._restore_current()

    def _hold(self, *_args: object) -> None:
        self._following = True

    def _current_row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if not self._following and current.isValid():
            self._activated(current)

    def _activated(self, index: QModelIndex) -> None:
        document_id = index.siblingAtColumn(0).data(ID_ROLE)
        if document_id and document_id != self._current:
            self._current = document_id
            self.document_activated.emit(document_id)

    def _restore_current(self, *_args: object) -> None:
        """Keep the open document's row current across resets, sorts and filters."""
        row = self.model.row_of(self._current) if self._current else None
        index = self.proxy.mapFromSource(self.model.index(row, 0)) if row is not None else None
        self._following = True
        try:
            selection = self.view.selectionModel()
            if index is not None and index.isValid():
                flags = (
                    QItemSelectionModel.SelectionFlag.ClearAndSelect
                    | QItemSelectionModel.SelectionFlag.Rows
                )
                selection.setCurrentIndex(index, flags)
                self.view.scrollTo(index)
            else:
                selection.clearSelection()
        finally:
            self._following = False
