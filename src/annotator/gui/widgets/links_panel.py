"""The links of the selected passage (or, with none selected, of the whole document).

Outgoing (→) and incoming (←) links with their type and the other end. Enter or a double
click asks the main window to open the other end (``open_requested``); Delete deletes a link;
the context menu changes a link's type or note. Every edit goes through ``session.perform``.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, QPoint, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QMenu,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from annotator.core import ops
from annotator.core.model import ChangeSet
from annotator.gui.models.links import INCOMING, OUTGOING, LinkRow, LinksModel
from annotator.gui.selection import Selection
from annotator.gui.session import Session
from annotator.gui.widgets.cards import Card, CardList
from annotator.gui.widgets.link_picker import LinkPicker
from annotator.gui.widgets.side_by_side import SideBySide, open_side_by_side

RELOAD_TABLES = {"links", "spans", "documents"}
HEADING_CHARS = 80
LIST_QUOTE_CHARS = 300  # the card elides to its width; this only bounds the work


class LinksPanel(QWidget):
    open_requested = Signal(str, str)  # document id, span id ('' = the whole document)

    def __init__(
        self, session: Session, selection: Selection, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.selection = selection
        self.model = LinksModel(session, self)
        self._build()
        self.reload()
        session.changed.connect(self._session_changed)
        selection.document_changed.connect(lambda _: self.reload())
        selection.span_changed.connect(lambda _: self.reload())

    def _build(self) -> None:
        self.heading = QLabel()
        self.heading.setTextFormat(Qt.TextFormat.PlainText)
        self.heading.setWordWrap(True)
        self.view = CardList(self._card, self)
        self.view.setModel(self.model)
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.link_button = QPushButton("Link to…")
        self.link_button.setToolTip("Link this passage or document to another (Ctrl+L)")
        self.compare_button = QPushButton("Side by side")
        self.compare_button.setToolTip("Read both ends of the link side by side")
        self.open_button = QPushButton("Open")
        self.open_button.setToolTip("Go to the other end (Enter)")
        self.delete_button = QPushButton("Delete")
        self.delete_button.setToolTip("Delete the selected link (Delete)")
        buttons = QHBoxLayout()
        buttons.addWidget(self.link_button)
        buttons.addStretch(1)
        buttons.addWidget(self.compare_button)
        buttons.addWidget(self.open_button)
        buttons.addWidget(self.delete_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.heading)
        layout.addWidget(self.view, 1)
        layout.addLayout(buttons)
        self.setFocusProxy(self.view)  # Ctrl+5 lands on the links, ready for Enter

        self.view.activated.connect(self._open_index)
        self.view.customContextMenuRequested.connect(self._context_menu)
        self.view.selectionModel().selectionChanged.connect(self._update_buttons)
        self.link_button.clicked.connect(self.link)
        self.open_button.clicked.connect(self.open_selected)
        self.compare_button.clicked.connect(self.compare_selected)
        self.delete_button.clicked.connect(self.delete_selected)
        shortcut = QShortcut(QKeySequence(QKeySequence.StandardKey.Delete), self.view)
        shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
        shortcut.activated.connect(self.delete_selected)

    # -- contents -----------------------------------------------------------------------------

    def reload(self) -> None:
        selected = self.selected_row()
        span_id, document_id = self.selection.span_id, self.selection.document_id
        self.model.load(span_id=span_id, document_id=document_id)
        if selected is not None:
            self._select_link(selected.link_id)
        self._update_heading()
        self._update_buttons()

    def _session_changed(self, changes: ChangeSet) -> None:
        tables = changes.tables()
        if not tables or tables & RELOAD_TABLES:
            self.reload()

    def _update_heading(self) -> None:
        span_id, document_id = self.selection.span_id, self.selection.document_id
        span = self.session.span(span_id) if span_id else None
        title = (
            self.session.document_titles([document_id]).get(document_id) if document_id else None
        )
        if span is not None:
            quote = " ".join(span.quote.split())
            short = quote[:HEADING_CHARS] + ("…" if len(quote) > HEADING_CHARS else "")
            self.heading.setText(f"Links of “{short}”")
            self.view.set_placeholder("No links yet.\nCtrl+L links this passage to another.")
        elif title is not None:
            self.heading.setText(f"Links of {title} (all its passages)")
            self.view.set_placeholder("No links yet.\nSelect a passage and press Ctrl+L.")
        else:
            self.heading.setText("Links")
            self.view.set_placeholder("Open a document to see its links.")
        self.link_button.setEnabled(title is not None)

    def _update_buttons(self, *_: Any) -> None:
        has_row = self.selected_row() is not None
        self.open_button.setEnabled(has_row)
        self.compare_button.setEnabled(has_row)
        self.delete_button.setEnabled(has_row)

    def selected_row(self) -> LinkRow | None:
        chosen = self.view.selectionModel().selectedIndexes()
        return self.model.row(chosen[0].row()) if chosen else None

    def _select_link(self, link_id: str) -> None:
        number = self.model.row_of(link_id)
        if number >= 0:
            self.view.setCurrentIndex(self.model.index(number, 0))

    def _card(self, index: QModelIndex) -> Card | None:
        row = self.model.row(index.row())
        # Which passage of this document a link starts from matters only when listing them all.
        return link_card(row, show_here=not self.model.span_id) if row else None

    # -- actions ------------------------------------------------------------------------------

    def link(self) -> ChangeSet | None:
        return LinkPicker.pick_and_link(self.session, self.selection, self)

    def open_selected(self) -> None:
        row = self.selected_row()
        if row is not None:
            self.open_requested.emit(row.other_document_id, row.other_span_id)

    def compare_selected(self) -> SideBySide | None:
        row = self.selected_row()
        return open_side_by_side(self.session, row.link_id, self.window()) if row else None

    def _open_index(self, index: QModelIndex) -> None:
        row = self.model.row(index.row())
        if row is not None:
            self.open_requested.emit(row.other_document_id, row.other_span_id)

    def delete_selected(self) -> ChangeSet | None:
        row = self.selected_row()
        if row is None:
            return None
        return self.session.perform(ops.delete_link, link_id=row.link_id)

    def set_type(self, link_id: str, link_type: str) -> ChangeSet | None:
        return self.session.perform(ops.update_link, link_id=link_id, type=link_type)

    def edit_note(self, row: LinkRow) -> ChangeSet | None:
        note, ok = QInputDialog.getText(self, "Link note", "Note:", text=row.note)
        if not ok or note.strip() == row.note:
            return None
        return self.session.perform(ops.update_link, link_id=row.link_id, note=note.strip() or None)

    def _context_menu(self, point: QPoint) -> None:
        row = self.model.row(self.view.indexAt(point).row())
        if row is None:
            return
        menu = QMenu(self)
        menu.addAction(
            "Open the other end",
            lambda *_: self.open_requested.emit(row.other_document_id, row.other_span_id),
        )
        menu.addAction(
            "Read side by side",
            lambda *_: open_side_by_side(self.session, row.link_id, self.window()),
        )
        types = menu.addMenu("Link type")
        for link_type in self.session.link_types():
            action = types.addAction(
                link_type, lambda *_, chosen=link_type: self.set_type(row.link_id, chosen)
            )
            action.setCheckable(True)
            action.setChecked(link_type == row.type)
        menu.addAction("Edit note…", lambda *_: self.edit_note(row))
        menu.addSeparator()
        menu.addAction(
            "Delete link",
            lambda *_: self.session.perform(ops.delete_link, link_id=row.link_id),
        )
        menu.exec(self.view.viewport().mapToGlobal(point))


def link_card(row: LinkRow, *, show_here: bool = False) -> Card:
    """Direction and type with the other document on top; the other end's passage below."""
    arrow = OUTGOING if row.outgoing else INCOMING
    there = _quoted(row.other_quote) if row.other_span_id else "the whole document"
    lines = [(there, not row.other_span_id)]
    if show_here:
        here = _quoted(row.here_quote) if row.here_span_id else "the whole document"
        lines.append((f"{'from' if row.outgoing else 'to'} {here}", not row.here_span_id))
    if row.note:
        lines.append((f"Note: {row.note}", False))
    return Card(title=f"{arrow} {row.type}", subtitle=f" · {row.other_title}", lines=tuple(lines))


def _quoted(quote: str) -> str:
    quote = " ".join(quote.split())
    return f"“{quote[:LIST_QUOTE_CHARS]}{'…' if len(quote) > LIST_QUOTE_CHARS else ''}”"
