"""View › Merge conflicts: the records both sides of a merge changed, for review.

Each entry of the conflict log holds the version kept and the one that lost. The analyst
reads them field by field, then dismisses the entry (the kept version stays) or restores the
other version (a new edit; the entry is dismissed with it). Both go through the session, so
Edit › Undo takes them back.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
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
from annotator.gui.widgets.review_table import ReviewPanel, fit_columns, review_table

EMPTY = "No conflicts to review. Merges log here the records both projects changed."
DOCUMENT_TEXT_NOTE = (
    "A document's other text is not restored here: its annotations sit on the kept text. "
    "Use Document › Replace text… to give it the other text, carrying them over."
)


class ConflictsView(ReviewPanel[ConflictRow]):
    orphans_requested = Signal()
    model: ConflictsModel

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(ConflictsModel(session), parent)
        self.setObjectName("conflictsView")
        self.session = session

        self.heading = QLabel(EMPTY, self)
        self.heading.setWordWrap(True)
        self.table.setAccessibleName("Merge conflicts")
        fit_columns(self.table, stretch=2, fixed={1: 150})  # Why takes the room left
        self.fields = FieldsModel(self)
        self.fields_table = review_table(self)
        self.fields_table.setModel(self.fields)
        self.fields_table.setAccessibleName("Kept and lost versions")
        fit_columns(self.fields_table, stretch=-1)
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
        self._current_changed()

    # -- reading ----------------------------------------------------------------------------

    def _read(self) -> None:
        self.model.reload()
        rows = self.model.rowCount()
        count = f"{rows} conflict{'s' * (rows != 1)} to review"
        self.heading.setText(
            f"{count}: records both projects of a merge changed." if rows else EMPTY
        )

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
        self._reload_when_seen()

    def _current_changed(self) -> None:
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
