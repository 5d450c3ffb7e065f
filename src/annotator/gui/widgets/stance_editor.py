"""Record stances on the selected span (the evidence) or on the whole document, and list them.

Keyboard path: type a target (fuzzy; "Create …" for a new one), Enter; an actor or nothing,
Enter; a polarity (``-2``, ``1``, ←/→), Enter records. In the list, Enter goes to a stance's
evidence, F2 edits it, Delete deletes it. Every edit goes through ``session.perform``.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from annotator.core import ops
from annotator.core.model import ChangeSet
from annotator.gui.models.stances import (
    Column,
    StanceListModel,
    StanceRow,
    polarity_colour,
    polarity_text,
)
from annotator.gui.selection import Selection
from annotator.gui.session import Session
from annotator.gui.widgets.cards import Card, CardList
from annotator.gui.widgets.pickers import CreateRequest, FuzzyPicker, PickerItem
from annotator.gui.widgets.polarity import PolarityPicker

RELOAD_TABLES = {"stances", "targets", "actors", "spans", "documents", "settings"}
HEADING_CHARS = 90
LIST_QUOTE_CHARS = 200  # the card elides to its width; this only bounds the work


class StanceEditor(QWidget):
    # A stance's evidence was activated: (document id, span id). The span is already the
    # selected one; the main window may scroll to it and record the step in its history.
    open_requested = Signal(str, str)

    def __init__(
        self, session: Session, selection: Selection, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.selection = selection
        self.editing: StanceRow | None = None  # the stance the form is changing, if any
        self._build()
        self._reload_choices()
        self._document_changed(selection.document_id)
        session.changed.connect(self._session_changed)
        selection.document_changed.connect(self._document_changed)
        selection.span_changed.connect(self._span_changed)

    # -- layout -----------------------------------------------------------------------------

    def _build(self) -> None:
        self.heading = QLabel()
        self.heading.setWordWrap(True)
        self.heading.setTextFormat(Qt.TextFormat.PlainText)
        self.target_picker = FuzzyPicker(self, create_text="Create target “{}”")
        self.target_picker.setPlaceholderText("What the stance is about")
        self.actor_picker = FuzzyPicker(self, create_text="Create actor “{}”")
        self.actor_picker.setPlaceholderText("Who holds it (optional)")
        self.polarity = PolarityPicker(self)
        self.note = QLineEdit(self)
        self.note.setPlaceholderText("Note (optional)")
        self.record_button = QPushButton("Record stance")
        self.record_button.setToolTip("Record the stance (Enter)")
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setToolTip("Stop editing this stance (Esc)")
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setEnabled(False)

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setContentsMargins(0, 0, 0, 0)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        form.addRow("&Target", self.target_picker)
        form.addRow("&Actor", self.actor_picker)
        form.addRow("&Polarity", self.polarity)
        form.addRow("&Note", self.note)
        buttons = QHBoxLayout()
        buttons.addWidget(self.message, 1)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.record_button)

        self.model = StanceListModel(self.session, self)
        self.list = CardList(self._card, self)
        self.list.setModel(self.model)
        self.list_heading = QLabel("Stances in this document")
        self.edit_button = QPushButton("Edit")
        self.edit_button.setToolTip("Edit the selected stance (F2)")
        self.delete_button = QPushButton("Delete")
        self.delete_button.setToolTip("Delete the selected stance (Delete)")
        list_buttons = QHBoxLayout()
        list_buttons.addWidget(self.list_heading, 1)
        list_buttons.addWidget(self.edit_button)
        list_buttons.addWidget(self.delete_button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.heading)
        layout.addLayout(form)
        layout.addLayout(buttons)
        layout.addSpacing(4)
        layout.addLayout(list_buttons)
        layout.addWidget(self.list, 1)
        self.setFocusProxy(self.target_picker)  # Ctrl+4 starts a stance

        self.target_picker.picked.connect(lambda _: self.actor_picker.setFocus())
        self.target_picker.returnPressed.connect(self.actor_picker.setFocus)
        self.actor_picker.picked.connect(lambda _: self.polarity.setFocus())
        self.actor_picker.returnPressed.connect(self.polarity.setFocus)
        self.polarity.submitted.connect(self.record)
        self.note.returnPressed.connect(self.record)
        self.record_button.clicked.connect(self.record)
        self.cancel_button.clicked.connect(self.cancel_edit)
        self.edit_button.clicked.connect(self.edit_selected)
        self.delete_button.clicked.connect(self.delete_selected)
        self.list.activated.connect(self._go_to_evidence)
        self.list.selectionModel().selectionChanged.connect(self._update_buttons)
        for key, slot in (
            (Qt.Key.Key_F2, self.edit_selected),
            (QKeySequence.StandardKey.Delete, self.delete_selected),
        ):
            shortcut = QShortcut(QKeySequence(key), self.list)
            shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
            shortcut.activated.connect(slot)

    # -- what the form applies to -------------------------------------------------------------

    def _reload_choices(self) -> None:
        self.target_picker.set_items(
            PickerItem(t.id, t.name, detail=t.description or "") for t in self.session.targets()
        )
        actors = []
        for actor in self.session.actors():
            aliases = tuple(self.session.actor_aliases(actor))
            detail = f"also {', '.join(aliases)}" if aliases else (actor.description or "")
            actors.append(PickerItem(actor.id, actor.name, aliases, detail))
        self.actor_picker.set_items(actors)
        self.polarity.set_scale(self.session.stance_scale())

    def _document_changed(self, document_id: str) -> None:
        self.cancel_edit()
        self.model.load(document_id)
        self._update_heading()
        self._update_buttons()

    def _span_changed(self, span_id: str) -> None:
        self.model.set_current_span(span_id)
        self._update_heading()

    def _session_changed(self, changes: ChangeSet) -> None:
        tables = changes.tables()
        if tables and not tables & RELOAD_TABLES:
            return
        if not tables or tables & {"targets", "actors", "settings"}:
            self._reload_choices()
        selected = self.selected_row()
        self.model.reload()
        if self.editing is not None and self.model.row_of(self.editing.stance_id) < 0:
            self.cancel_edit()  # undone or deleted elsewhere
        if selected is not None:
            self._select_stance(selected.stance_id)
        self._update_heading()
        self._update_buttons()

    def _update_heading(self) -> None:
        document_id = self.selection.document_id
        enabled = bool(document_id) and bool(self.session.document_titles([document_id]))
        for widget in (self.target_picker, self.actor_picker, self.polarity, self.note):
            widget.setEnabled(enabled)
        self.record_button.setEnabled(enabled)
        self.cancel_button.setVisible(self.editing is not None)
        self.record_button.setText("Save stance" if self.editing else "Record stance")
        self.list.set_placeholder("No stances in this document yet." if enabled else "")
        if not enabled:
            self.heading.setText("Open a document to record stances.")
            return
        if self.editing is not None:
            where = _quoted(self.editing.quote) if self.editing.span_id else "the whole document"
            self.heading.setText(f"Editing the stance on {where}")
            return
        span = self.session.span(self.selection.span_id) if self.selection.span_id else None
        if span is not None and span.document_id == document_id:
            self.heading.setText(f"Stance on {_quoted(span.quote)}")
        else:
            self.heading.setText("Stance on the whole document (select a passage for evidence)")

    def _update_buttons(self, *_: Any) -> None:
        has_row = self.selected_row() is not None
        self.edit_button.setEnabled(has_row)
        self.delete_button.setEnabled(has_row)

    # -- edits --------------------------------------------------------------------------------

    def record(self) -> ChangeSet | None:
        """Record the stance the form describes (or save the one being edited)."""
        document_id = self.selection.document_id
        target, actor = self.target_picker.resolve(), self.actor_picker.resolve()
        if not document_id:
            return None
        if target is None:
            return self._refuse("Choose a target.", self.target_picker)
        if self.actor_picker.text().strip() and actor is None:
            return self._refuse("Choose an actor, or leave it empty.", self.actor_picker)
        if self.polarity.value is None:
            return self._refuse("Choose a polarity.", self.polarity)
        creates = isinstance(target, CreateRequest) or isinstance(actor, CreateRequest)
        label = "Edit stance" if self.editing else "Record stance"
        if creates:  # one undo step takes back the stance and the names made for it
            self.session.undo_stack.beginMacro(label)
        try:
            target_id = self._ensure(target, ops.create_target, "targets")
            actor_id = self._ensure(actor, ops.create_actor, "actors") if actor else None
            if target_id is None or (actor is not None and actor_id is None):
                return None
            fields = {
                "target_id": target_id,
                "actor_id": actor_id,
                "polarity": self.polarity.value,
                "note": self.note.text().strip() or None,
            }
            changes = self._write(document_id, fields)
        finally:
            if creates:
                self.session.undo_stack.endMacro()
        if changes is not None:
            self.clear_form()
            self.target_picker.setFocus()
        return changes

    def _write(self, document_id: str, fields: dict[str, Any]) -> ChangeSet | None:
        if self.editing is None:
            span = self.session.span(self.selection.span_id) if self.selection.span_id else None
            span_id = span.id if span is not None and span.document_id == document_id else None
            return self.session.perform(
                ops.create_stance, document_id=document_id, span_id=span_id, **fields
            )
        old = self.editing
        before = {
            "target_id": old.target_id,
            "actor_id": old.actor_id,
            "polarity": old.polarity,
            "note": old.note or None,
        }
        changed = {k: v for k, v in fields.items() if before[k] != v}
        if not changed:
            self.cancel_edit()
            return ChangeSet()
        return self.session.perform(ops.update_stance, stance_id=old.stance_id, **changed)

    def _ensure(
        self, choice: PickerItem | CreateRequest | None, create: Any, table: str
    ) -> str | None:
        if isinstance(choice, PickerItem):
            return choice.id
        if choice is None:
            return None
        changes = self.session.perform(create, name=choice.name)
        return changes.created(table)[0] if changes else None

    def _refuse(self, message: str, widget: QWidget) -> None:
        self.message.setText(message)
        self.message.setEnabled(True)
        widget.setFocus()
        return None

    def clear_form(self) -> None:
        self.editing = None
        self.target_picker.set_chosen(None)
        self.actor_picker.set_chosen(None)
        self.polarity.clear()
        self.note.clear()
        self.message.clear()
        self._update_heading()

    def edit_selected(self) -> None:
        row = self.selected_row()
        if row is None:
            return
        self.editing = row
        self.target_picker.set_chosen(row.target_id)
        self.actor_picker.set_chosen(row.actor_id)
        if self.polarity.scale().get(row.polarity) is not None:
            self.polarity.set_value(row.polarity)
        self.note.setText(row.note)
        self.message.clear()
        self._update_heading()
        self.target_picker.setFocus()

    def cancel_edit(self) -> None:
        if self.editing is not None:
            self.clear_form()

    def delete_selected(self) -> ChangeSet | None:
        row = self.selected_row()
        if row is None:
            return None
        if self.editing is not None and self.editing.stance_id == row.stance_id:
            self.clear_form()
        return self.session.perform(ops.delete_stance, stance_id=row.stance_id)

    # -- the list -----------------------------------------------------------------------------

    def selected_row(self) -> StanceRow | None:
        chosen = self.list.selectionModel().selectedIndexes()
        return self.model.row(chosen[0].row()) if chosen else None

    def _card(self, index: QModelIndex) -> Card | None:
        row = self.model.row(index.row())
        if row is None:
            return None
        return stance_card(row, self.model.scale(), row.span_id == self.selection.span_id)

    def _select_stance(self, stance_id: str) -> None:
        number = self.model.row_of(stance_id)
        if number >= 0:
            self.list.setCurrentIndex(self.model.index(number, Column.TARGET))

    def _go_to_evidence(self, index: QModelIndex) -> None:
        row = self.model.row(index.row())
        if row is not None and row.span_id:
            self.selection.set_span(row.span_id)
            self.open_requested.emit(self.model.document_id, row.span_id)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape and self.editing is not None:
            self.cancel_edit()
            return
        super().keyPressEvent(event)


def stance_card(row: StanceRow, scale: dict[int, str], strong: bool = False) -> Card:
    """Target (bold) and polarity on top; who, and the evidence, underneath."""
    evidence = _quoted(row.quote, LIST_QUOTE_CHARS) if row.span_id else "on the whole document"
    lines = [(f"{row.actor} — {evidence}" if row.actor else evidence, not row.span_id)]
    if row.note:
        lines.append((f"Note: {row.note}", False))
    return Card(
        title=row.target,
        badge=f"{polarity_text(row.polarity)} {row.polarity_label}".strip(),
        badge_colour=polarity_colour(row.polarity, scale).name(),
        lines=tuple(lines),
        strong=strong,
    )


def _quoted(quote: str, limit: int = HEADING_CHARS) -> str:
    quote = " ".join(quote.split())
    return f"“{quote[:limit]}{'…' if len(quote) > limit else ''}”"
