"""The note of the selected passage: typed freely, saved as one undoable edit per commit.

A commit happens on Ctrl+Enter, when the editor loses focus, and before another passage is
shown, so a note is never lost by clicking elsewhere. While the analyst is typing, a change
from elsewhere (an undo, a colleague's merge) does not overwrite the unsaved text.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QFocusEvent, QKeyEvent
from PySide6.QtWidgets import QPlainTextEdit, QWidget

from annotator.core import ops
from annotator.core.model import ChangeSet
from annotator.gui.selection import Selection
from annotator.gui.session import Session

PLACEHOLDER = "Note on this passage… (Ctrl+Enter saves)"
NO_SPAN = "Select a highlighted passage to write a note"


class NoteEditor(QPlainTextEdit):
    def __init__(
        self, session: Session, selection: Selection, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.selection = selection
        self._span_id = ""
        self._saved = ""  # the note as stored, to tell unsaved typing from a shown note
        self.setTabChangesFocus(True)
        self.setAccessibleName("Note")
        self.setMinimumHeight(48)
        selection.span_changed.connect(self._show_span)
        session.changed.connect(self._on_changed)
        self._show_span(selection.span_id)

    def sizeHint(self) -> QSize:
        lines = self.fontMetrics().lineSpacing() * 4  # room for a few lines; it scrolls
        return QSize(super().sizeHint().width(), lines + 2 * self.frameWidth() + 8)

    @property
    def span_id(self) -> str:
        return self._span_id

    def is_dirty(self) -> bool:
        return bool(self._span_id) and self.toPlainText() != self._saved

    def commit(self) -> bool:
        """Save the typed note if it differs from the stored one; True if an edit was made."""
        if not self.is_dirty():
            return False
        text = self.toPlainText()
        note = text if text.strip() else None  # an emptied note is no note
        done = self.session.perform(ops.update_span, span_id=self._span_id, note=note)
        if done is not None:
            self._saved = text
        return done is not None

    # -- events ---------------------------------------------------------------------------

    def keyPressEvent(self, event: QKeyEvent) -> None:
        enter = event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        if enter and event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            self.commit()
            event.accept()
            return
        super().keyPressEvent(event)

    def focusOutEvent(self, event: QFocusEvent) -> None:
        self.commit()
        super().focusOutEvent(event)

    # -- following the selection and the project -----------------------------------------

    def _show_span(self, span_id: str) -> None:
        if span_id != self._span_id:
            self.commit()  # the previous passage keeps what was typed for it
        self._span_id = span_id
        self._load(force=True)

    def _on_changed(self, changes: ChangeSet) -> None:
        tables = changes.tables()
        if tables and "spans" not in tables:
            return
        if self._span_id and self.session.span(self._span_id) is None:
            self._span_id = ""  # deleted (or undone): nothing left to write about
            self._load(force=True)
        elif not self.is_dirty():
            self._load(force=False)

    def _load(self, *, force: bool) -> None:
        span = self.session.span(self._span_id) if self._span_id else None
        note = (span.note or "") if span else ""
        self.setEnabled(span is not None)
        self.setPlaceholderText(PLACEHOLDER if span else NO_SPAN)
        if force or note != self.toPlainText():
            self.setPlainText(note)
        self._saved = note
