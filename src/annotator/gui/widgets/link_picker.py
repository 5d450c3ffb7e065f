"""Ctrl+L: link the selected passage (or document) to any passage or document in the project.

The dialog lists every live span (and every document, for whole-document links), searched
fuzzily on quote, note, tag names and document title; a combo narrows it to one document.
Enter links to the highlighted result with the chosen type; Esc closes.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from annotator.core import ops
from annotator.core.model import ChangeSet
from annotator.core.store import SpanSummary
from annotator.gui.selection import Selection
from annotator.gui.session import Session
from annotator.gui.widgets.cards import PlaceholderList
from annotator.gui.widgets.pickers import FuzzyPicker, PickerItem

DEFAULT_TYPE = "responds to"
ALL_DOCUMENTS = ""
QUOTE_CHARS = 100


class LinkPicker(QDialog):
    """Pick the other end of a link from ``source`` (a span or a document id)."""

    def __init__(self, session: Session, source: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.source = source
        self.changes: ChangeSet | None = None
        span = session.span(source)
        self.source_document = span.document_id if span is not None else source
        self.source_span = span.id if span is not None else ""
        self.setWindowTitle("Link to…")
        self.resize(720, 520)
        self._build(span.quote if span is not None else "")
        self._load_items()

    def _build(self, source_quote: str) -> None:
        document = self.session.document(self.source_document)
        title = document.title if document is not None else ""
        origin = f"“{_short(source_quote)}” ({title})" if source_quote else f"the document {title}"
        self.origin = QLabel(f"Link from {origin}")
        self.origin.setWordWrap(True)
        self.origin.setTextFormat(Qt.TextFormat.PlainText)

        self.results = PlaceholderList(self)
        self.results.set_placeholder(
            "No passage matches.\nTry other words, fewer of them, or all documents."
        )
        self.results.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.results.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # typing stays in the search
        self.results.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.results.setAlternatingRowColors(True)
        self.search = FuzzyPicker(self, list_view=self.results, limit=200)
        self.search.setPlaceholderText(
            "Search passages: words, tags, notes, titles (typos are fine)"
        )
        self.results.doubleClicked.connect(lambda _: self.accept())

        self.document_filter = QComboBox(self)
        self.document_filter.addItem("All documents", ALL_DOCUMENTS)
        for summary in self.session.documents():
            self.document_filter.addItem(summary.title, summary.id)
        self.document_filter.currentIndexChanged.connect(lambda _: self._load_items())

        self.type_box = QComboBox(self)
        types = self.session.link_types()
        self.type_box.addItems(types)
        self.type_box.setCurrentIndex(types.index(DEFAULT_TYPE) if DEFAULT_TYPE in types else 0)
        self.note = QLineEdit(self)
        self.note.setPlaceholderText("Optional")
        self.message = QLabel()
        self.message.setEnabled(False)

        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Link")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)

        filters = QFormLayout()
        filters.addRow("&Search", self.search)
        filters.addRow("&Document", self.document_filter)
        choices = QFormLayout()
        choices.addRow("Link &type", self.type_box)
        choices.addRow("N&ote", self.note)
        layout = QVBoxLayout(self)
        layout.addWidget(self.origin)
        layout.addLayout(filters)
        layout.addWidget(self.results, 1)
        layout.addLayout(choices)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.search.setFocus()

    def _load_items(self) -> None:
        """Every other passage and document, other documents first (links mostly cross)."""
        wanted = self.document_filter.currentData() or ALL_DOCUMENTS
        tag_names = {tag.id: tag.name for tag in self.session.tags()}
        tags_by_span = self.session.tags_by_span()
        documents = [d for d in self.session.documents() if wanted in (ALL_DOCUMENTS, d.id)]
        documents.sort(key=lambda d: d.id == self.source_document)  # stable: keeps title order
        spans_by_document: dict[str, list[SpanSummary]] = {}
        for span in self.session.span_summaries(wanted or None):
            spans_by_document.setdefault(span.document_id, []).append(span)
        items = []
        for document in documents:
            if document.id != self.source or self.source_span:
                items.append(
                    PickerItem(
                        document.id,
                        f"{document.title} (whole document)",
                        (document.title,),
                        " · ".join(
                            filter(None, ["Whole document", document.author, document.date])
                        ),
                        bold=True,
                    )
                )
            for span in spans_by_document.get(document.id, []):
                if span.id == self.source_span:
                    continue
                tags = [tag_names[t] for t in tags_by_span.get(span.id, []) if t in tag_names]
                # One text for the rest keeps the per-key work down in large projects.
                search = (" ".join(filter(None, [span.note, *tags, document.title])),)
                detail = " · ".join(filter(None, [document.title, ", ".join(tags), span.note]))
                quote = " ".join(span.quote.split())
                items.append(PickerItem(span.id, f"“{quote}”", search, detail))
        self.search.set_items(items)
        self.search.refresh()

    def chosen(self) -> PickerItem | None:
        choice = self.search.current_choice()
        return choice if isinstance(choice, PickerItem) else None

    def accept(self) -> None:
        """Create the link; the dialog stays open when nothing is chosen or the edit fails."""
        target = self.chosen()
        if target is None:
            self.message.setText("Nothing matches: change the search or the document filter.")
            self.message.setEnabled(True)
            return
        self.changes = self.session.perform(
            ops.create_link,
            source=self.source,
            target=target.id,
            type=self.type_box.currentText(),
            note=self.note.text().strip() or None,
        )
        if self.changes is not None:
            super().accept()

    @classmethod
    def pick_and_link(
        cls, session: Session, selection: Selection, parent: QWidget | None = None
    ) -> ChangeSet | None:
        """Ask for the other end of a link from the selected span (or document); the link
        written, or None when there was nothing to link from or the dialog was cancelled."""
        source = selection.span_id or selection.document_id
        if not source:
            return None
        dialog = cls(session, source, parent)
        try:
            return dialog.changes if dialog.exec() == QDialog.DialogCode.Accepted else None
        finally:
            dialog.deleteLater()


class LinkAction(QAction):
    """ "Link to…" (Ctrl+L) for the main window's menu: enabled while a document is open."""

    def __init__(self, session: Session, selection: Selection, parent: QWidget) -> None:
        super().__init__("&Link to…", parent)
        self.session = session
        self.selection = selection
        self.setShortcut(QKeySequence("Ctrl+L"))
        self.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self.setStatusTip("Link the selected passage (or the document) to another passage")
        self.triggered.connect(self.pick_and_link)
        selection.document_changed.connect(lambda _: self._update())
        self._update()

    def pick_and_link(self) -> ChangeSet | None:
        parent = self.parent()
        return LinkPicker.pick_and_link(
            self.session, self.selection, parent if isinstance(parent, QWidget) else None
        )

    def _update(self) -> None:
        self.setEnabled(bool(self.selection.document_id))


def make_link_action(session: Session, selection: Selection, parent: QWidget) -> LinkAction:
    return LinkAction(session, selection, parent)


def _short(quote: str) -> str:
    quote = " ".join(quote.split())
    return quote[:QUOTE_CHARS] + ("…" if len(quote) > QUOTE_CHARS else "")
