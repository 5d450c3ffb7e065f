"""View › Orphaned annotations: annotations a merge or a new text could not place.

Choosing one opens its document. The analyst finds the passage, selects it in the text and
presses Anchor here (Document › Anchor orphan here): the annotation takes the selection as its
new place, through the session, so Edit › Undo makes it an orphan again.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from annotator.core import ops
from annotator.core.model import ChangeSet
from annotator.gui.models.orphans import OrphanRow, OrphansModel
from annotator.gui.models.rows import elide
from annotator.gui.selection import Selection
from annotator.gui.session import Session
from annotator.gui.widgets.review_table import ReviewPanel, fit_columns

THIS_DOCUMENT, ALL_DOCUMENTS = "document", "all"
NAME_TABLES = {"documents", "tags", "annotators"}  # what the rows show by name
QUOTE_CHARS = 60  # of the passage named in the hint and the status bar
HINT = "Choose an annotation, select its passage in the text, then press Anchor here."


class OrphansView(ReviewPanel[OrphanRow]):
    open_requested = Signal(str, str)  # document id, span id: show this orphan's document
    model: OrphansModel

    def __init__(self, session: Session, selection: Selection, parent: QWidget | None = None):
        super().__init__(OrphansModel(session), parent)
        self.setObjectName("orphansView")
        self.session = session
        self.selection = selection

        self.scope = QComboBox(self)
        self.scope.addItem("In this document", THIS_DOCUMENT)
        self.scope.addItem("In all documents", ALL_DOCUMENTS)
        self.scope.setCurrentIndex(1)
        self.scope.currentIndexChanged.connect(lambda _n: self.reload())
        # Alt+letters unlike the menu bar's and the other panels' (Alt+S is the text's Show).
        scope_label = QLabel("Sho&w orphans:", self)
        scope_label.setBuddy(self.scope)
        self.count = QLabel(self)

        self.table.setAccessibleName("Orphaned annotations")
        fit_columns(self.table, stretch=1, fixed={0: 180})  # the passage takes the room left
        self.table.activated.connect(self._activated)

        self.hint = QLabel(HINT, self)
        self.hint.setWordWrap(True)
        self.open_button = QPushButton("Open doc&ument", self)
        self.open_button.setToolTip("Show the chosen annotation's document (Enter)")
        self.open_button.clicked.connect(self.open_current)
        self.anchor_button = QPushButton("An&chor here", self)
        self.anchor_button.setToolTip("Place the chosen annotation on the text selected")
        self.anchor_button.clicked.connect(self.anchor_here)

        top = QHBoxLayout()
        top.addWidget(scope_label)
        top.addWidget(self.scope)
        top.addStretch(1)
        top.addWidget(self.count)
        buttons = QHBoxLayout()
        buttons.addWidget(self.hint, 1)
        buttons.addWidget(self.open_button)
        buttons.addWidget(self.anchor_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        self.setFocusProxy(self.table)

        session.changed.connect(self._on_changed)
        selection.document_changed.connect(self._document_changed)
        self._current_changed()

    # -- reading ----------------------------------------------------------------------------

    def set_scope(self, scope: str) -> None:
        self.scope.setCurrentIndex(max(self.scope.findData(scope), 0))

    def _read(self) -> None:
        if self.scope.currentData() == THIS_DOCUMENT:
            self.model.load(self.selection.document_id)  # "" (no document): none
        else:
            self.model.load(None)
        rows = self.model.rowCount()
        self.count.setText(f"{rows} orphan{'s' * (rows != 1)}")

    # -- acting -----------------------------------------------------------------------------

    def open_current(self) -> None:
        current = self.current()
        if current is not None:
            self.open_requested.emit(current.document_id, current.span_id)
            self._say(
                f"Select where “{elide(current.quote, QUOTE_CHARS)}” belongs, then Anchor here."
            )

    def anchor_here(self) -> bool:
        """Place the chosen orphan on the text selected in its document; False (and why,
        in the hint and the status bar) when that cannot be done yet."""
        if self._stale:
            self.reload()
        current = self.current()
        if current is None:
            return self._say("Choose an orphaned annotation first (View › Orphaned annotations).")
        if self.selection.document_id != current.document_id:
            return self._say(f"Open “{current.document_title}” and select the passage first.")
        chosen = self.selection.text_range
        if chosen is None:
            return self._say("Select the passage in the text first, then Anchor here.")
        changes = self.session.perform(
            ops.place_orphan, span_id=current.span_id, start=chosen[0], end=chosen[1]
        )
        if not changes:
            return False  # refused; the session has said why
        self.selection.set_span(current.span_id)  # the text underlines where it now is
        self._say(f"Anchored “{elide(current.quote, QUOTE_CHARS)}”.")
        return True

    # -- reacting ---------------------------------------------------------------------------

    def _on_changed(self, changes: ChangeSet) -> None:
        if self._concerns(changes):
            self._reload_when_seen()

    def _concerns(self, changes: ChangeSet) -> bool:
        """Whether ``changes`` may add, remove or rename an orphan: most edits do not."""
        tables = changes.tables()
        if not tables or tables & NAME_TABLES:
            return True
        shown = self.model.span_ids()
        for change in changes.changes:
            if change.table == "spans" and any(
                (row or {}).get("orphaned_at") for row in (change.before, change.after)
            ):
                return True
            if (
                change.table == "span_tags"
                and (change.after or change.before or {}).get("span_id") in shown
            ):
                return True
        return False

    def _document_changed(self, _document_id: str) -> None:
        if self.scope.currentData() == THIS_DOCUMENT:
            self._reload_when_seen()

    def _activated(self, _index: QModelIndex) -> None:
        self.open_current()

    def _current_changed(self) -> None:
        chosen = self.current() is not None
        self.open_button.setEnabled(chosen)
        self.anchor_button.setEnabled(chosen)

    def _say(self, message: str) -> bool:
        self.hint.setText(message)
        window = self.window()
        if isinstance(window, QMainWindow):  # docked: the analyst may be looking elsewhere
            window.statusBar().showMessage(message, 6000)
        return False
