"""The centre of the workbench: one document's header, its text with highlights, its stances.

It follows the shared :class:`Selection` (which document is open) and feeds it back (which span
was clicked, which text is selected). On a change of spans it repaints only those spans. The
view reads a document's spans as its text comes into sight (see :class:`DocumentHighlights`),
so opening a long document costs its text and the spans on screen; spans without a place in
the current text (orphans) are never painted.
"""

from __future__ import annotations

import html

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont, QPalette, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QSizePolicy,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from annotator.core import ops
from annotator.core.model import ChangeSet, Document, Span
from annotator.gui.highlights import DocumentHighlights, HighlightStyler
from annotator.gui.selection import Selection
from annotator.gui.session import Session
from annotator.gui.widgets.article_view import ArticleView

EVERYONE = ""  # the annotator filter's "no filter"
SPAN_TABLES = {"spans", "span_tags"}
STYLE_TABLES = {"tags", "annotators"}  # colours, labels and names of every span
STANCE_TABLES = {"stances", "targets", "actors", "settings"}
STANCE_ROWS = 3  # stance lines shown before the list scrolls
EMPTY_TITLE = "No document open"
EMPTY_HINT = "Choose a document in the list on the left (Ctrl+F filters it)."


class DocumentPane(QWidget):
    span_activated = Signal(str)  # a stance's evidence was opened: the span to reveal

    def __init__(self, session: Session, selection: Selection, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self.selection = selection
        self.styler = HighlightStyler(session)
        self.document: Document | None = None
        self._last_click: list[str] = []

        self.title = QLabel(EMPTY_TITLE, self)
        self.title.setWordWrap(True)
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        title_font = QFont(self.title.font())
        title_font.setPointSizeF(title_font.pointSizeF() * 1.35)
        title_font.setBold(True)
        self.title.setFont(title_font)
        self.details = QLabel(EMPTY_HINT, self)
        self.details.setWordWrap(True)
        self.details.setOpenExternalLinks(True)
        self.details.setTextFormat(Qt.TextFormat.RichText)
        self.details.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.annotator_filter = QComboBox(self)
        self.annotator_filter.setAccessibleName("Show annotations of")
        self.annotator_filter.setToolTip("Whose annotations to show")
        self.annotator_filter.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self._fill_annotator_filter()
        self.annotator_filter.currentIndexChanged.connect(self._filter_changed)

        self.view = ArticleView(self)
        self.view.setAccessibleName("Document text")
        self.view.span_clicked.connect(self._span_clicked)
        self.view.selection_changed_range.connect(self._range_selected)

        self.stances = QListWidget(self)
        self.stances.setAccessibleName("Stances in this document")
        self.stances.setToolTip("Stances recorded on this document (Enter shows the evidence)")
        self.stances.setUniformItemSizes(True)
        self.stances.setFrameShape(QFrame.Shape.NoFrame)  # part of the header, not a form field
        self.stances.viewport().setBackgroundRole(QPalette.ColorRole.Window)
        self.stances.hide()
        self.stances.itemActivated.connect(self._stance_activated)
        header = QHBoxLayout()
        titles = QVBoxLayout()
        titles.setSpacing(2)
        titles.addWidget(self.title)
        titles.addWidget(self.details)
        header.addLayout(titles, 1)
        show = QLabel("&Show:", self)
        show.setBuddy(self.annotator_filter)
        header.addWidget(show, 0, Qt.AlignmentFlag.AlignTop)
        header.addWidget(self.annotator_filter, 0, Qt.AlignmentFlag.AlignTop)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 4)
        layout.addLayout(header)
        layout.addWidget(self.stances)  # above the text: what this document argues, at a glance
        layout.addWidget(self.view, 1)
        self.title.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        self.setFocusProxy(self.view)

        selection.document_changed.connect(self.show_document)
        selection.span_changed.connect(self._mark_current_span)
        session.changed.connect(self._on_changed)

    # -- showing ----------------------------------------------------------------------------

    @property
    def document_id(self) -> str:
        return self.document.id if self.document is not None else ""

    def show_document(self, document_id: str) -> None:
        """Open ``document_id`` ("" closes); the shared selection follows."""
        if document_id != self.document_id or self.document is None:
            self._load(self.session.document(document_id) if document_id else None)
        self.selection.set_document(self.document_id)

    def annotator_shown(self) -> str:
        """The annotator whose spans are shown, or EVERYONE."""
        return self.annotator_filter.currentData() or EVERYONE

    def set_annotator_shown(self, annotator_id: str) -> None:
        index = self.annotator_filter.findData(annotator_id)
        self.annotator_filter.setCurrentIndex(max(index, 0))

    def reveal_span(self, span_id: str) -> None:
        """Make ``span_id`` the current span and scroll to it if it is out of sight."""
        span = self.session.span(span_id)
        if span is None or span.document_id != self.document_id:
            return
        self.selection.set_span(span_id)
        if span.orphaned_at is not None:
            return  # its offsets are stale: there is no place in the text to show
        rect = self.view.cursorRect(self._cursor(span.start, span.start))
        if not self.view.viewport().rect().contains(rect):
            self.view.scroll_to(span.start)

    def step_span(self, step: int) -> None:
        """Go to the next (+1) or previous (-1) shown span in reading order."""
        spans = sorted(self.view.spans(), key=lambda s: (s.start, s.end, s.id))
        if not spans:
            return
        ids = [s.id for s in spans]
        current = self.selection.span_id
        if current in ids:
            target = ids[(ids.index(current) + step) % len(ids)]
        else:
            here = self.view.offset_map.to_cp(self.view.textCursor().position())
            after = [s.id for s in spans if s.start >= here]
            target = (after[0] if after else ids[0]) if step > 0 else ids[-1]
        self.reveal_span(target)

    def delete_current_span(self) -> None:
        if self.selection.span_id:
            self.session.perform(ops.delete_span, span_id=self.selection.span_id)

    # -- loading ----------------------------------------------------------------------------

    def _load(self, document: Document | None) -> None:
        self.document = document
        self._last_click = []
        self._show_header()
        if document is None:
            self.view.set_document("")
        else:
            self.view.set_document(document.text, self._highlights())
        self._show_stances()
        self._mark_current_span(self.selection.span_id)

    def _reload(self) -> None:
        """Read the open document again; with its text unchanged, only what is said about it,
        so the reader keeps their place and their selection."""
        fresh = self.session.document(self.document_id) if self.document_id else None
        if fresh is None or self.document is None or fresh.text != self.document.text:
            self._load(fresh)
            return
        self.document = fresh
        self._show_header()
        self.view.set_spans(self._highlights())
        self._show_stances()
        current = self.session.span(self.selection.span_id) if self.selection.span_id else None
        if self.selection.span_id and (current is None or not self._visible(current)):
            self.selection.set_span("")  # deleted elsewhere meanwhile
        self._mark_current_span(self.selection.span_id)

    def _show_header(self) -> None:
        document = self.document
        if document is None:
            self.title.setText(EMPTY_TITLE)
            self.details.setText(html.escape(EMPTY_HINT))
            return
        self.title.setText(document.title)
        parts = [html.escape(x) for x in (document.author, document.date) if x]
        if document.source:
            parts.append(_source_html(document.source))
        self.details.setText(" · ".join(parts) or "&nbsp;")

    def _visible(self, span: Span) -> bool:
        """Whether the text shows ``span``: placed in it, and by the annotator shown."""
        shown = self.annotator_shown()
        return span.orphaned_at is None and (shown == EVERYONE or span.created_by == shown)

    def _highlights(self) -> DocumentHighlights:
        """The document's spans as the view reads them: as they come into sight."""
        self.view.set_annotator_colours(self.styler.annotator_colours)
        return DocumentHighlights(
            self.session, self.styler, self.document_id, self.annotator_shown()
        )

    def _refresh_spans(self, span_ids: set[str]) -> None:
        """Repaint only ``span_ids`` (added, changed, retagged or gone)."""
        tags = self.session.tags_by_span(self.document_id, span_ids)
        updated, removed = [], []
        for span_id in span_ids:
            span = self.session.span(span_id)
            if span is not None and span.document_id == self.document_id and self._visible(span):
                updated.append(self.styler.highlight(span, tags.get(span_id, [])))
            else:
                removed.append(span_id)
        self.view.update_spans(updated, removed)
        if self.selection.span_id in removed:
            self.selection.set_span("")

    def _show_stances(self) -> None:
        self.stances.clear()
        stances = self.session.stances(self.document_id) if self.document is not None else []
        targets = {t.id: t.name for t in self.session.targets()}
        actors = {a.id: a.name for a in self.session.actors()}
        scale = self.session.stance_scale()
        for stance in stances:
            target = targets.get(stance.target_id, "(deleted target)")
            actor = actors.get(stance.actor_id or "", "unattributed")
            label = scale.get(stance.polarity, "")
            where = "passage" if stance.span_id else "whole document"
            text = f"Stance: {actor} on {target}: {label} ({stance.polarity:+d}), {where}"
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, stance.span_id or "")
            item.setToolTip(stance.note or "")
            self.stances.addItem(item)
        # Compact: a few rows, then it scrolls; with nothing to list, the text gets the room.
        self.stances.setVisible(bool(stances))
        rows = min(len(stances), STANCE_ROWS)
        row_height = self.stances.sizeHintForRow(0) if stances else 0
        self.stances.setFixedHeight(rows * row_height + 2 * self.stances.frameWidth())

    def _fill_annotator_filter(self) -> None:
        shown = self.annotator_filter.currentData() or EVERYONE
        self.annotator_filter.blockSignals(True)  # refilling is not the analyst choosing
        self.annotator_filter.clear()
        self.annotator_filter.addItem("Everyone", EVERYONE)
        self.annotator_filter.addItem(f"Mine ({self.session.annotator.name})", self.session.me)
        for annotator in self.session.annotators():
            if annotator.id != self.session.me:
                self.annotator_filter.addItem(annotator.name, annotator.id)
        self.annotator_filter.setCurrentIndex(max(self.annotator_filter.findData(shown), 0))
        self.annotator_filter.blockSignals(False)

    # -- reacting ---------------------------------------------------------------------------

    def _on_changed(self, changes: ChangeSet) -> None:
        tables = changes.tables()
        if not tables:  # everything may have changed (refresh, another process)
            self.styler.reload()
            self._fill_annotator_filter()
            self._reload()
            return
        if self.document is None:
            return
        if "documents" in tables and self._document_changed(changes):
            return
        if tables & STYLE_TABLES:
            self.styler.reload()
            if "annotators" in tables:
                self._fill_annotator_filter()
            self.view.set_spans(self._highlights())
        elif tables & SPAN_TABLES:
            touched = self.session.spans_touched(changes, self.document_id, self.view.has_span)
            if touched:
                self._refresh_spans(touched)
        if tables & STANCE_TABLES:
            self._show_stances()

    def _document_changed(self, changes: ChangeSet) -> bool:
        """Follow an edit of the shown document; True when it was reloaded whole."""
        if not any(c.table == "documents" and c.key == self.document_id for c in changes.changes):
            return False
        fresh = self.session.document(self.document_id)
        if fresh is None or self.document is None or fresh.text != self.document.text:
            self._load(fresh)
            self.selection.set_document(self.document_id)
            return True
        self.document = fresh
        self._show_header()
        return False

    def _filter_changed(self) -> None:
        if self.document is not None:
            self.view.set_spans(self._highlights())
            span_id = self.selection.span_id
            current = self.session.span(span_id) if span_id else None
            if span_id and (current is None or not self._visible(current)):
                self.selection.set_span("")

    def _span_clicked(self, ids: list[str]) -> None:
        """A click picks the span under it; clicking again there cycles through overlaps."""
        current = self.selection.span_id
        if ids and ids == self._last_click and current in ids:
            chosen = ids[(ids.index(current) + 1) % len(ids)]
        else:
            chosen = ids[0] if ids else ""
        self._last_click = list(ids)
        self.selection.set_span(chosen)

    def _range_selected(self, start: int, end: int) -> None:
        self.selection.set_range(start, end)
        if end > start:
            self.selection.set_span("")  # selecting new text is about a new passage

    def _stance_activated(self, item: QListWidgetItem) -> None:
        span_id = item.data(Qt.ItemDataRole.UserRole)
        if span_id:
            self.reveal_span(span_id)
            self.span_activated.emit(span_id)

    def _mark_current_span(self, span_id: str) -> None:
        """Underline the current span in the highlight colour (its tag colour stays visible)."""
        span = self.session.span(span_id) if span_id else None
        if span is None or span.document_id != self.document_id or span.orphaned_at is not None:
            self.view.setExtraSelections([])
            return
        mark = QTextEdit.ExtraSelection()
        mark.cursor = self._cursor(span.start, span.end)  # type: ignore[attr-defined]
        fmt = QTextCharFormat()
        fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.SingleUnderline)
        fmt.setUnderlineColor(self.palette().color(QPalette.ColorRole.Highlight))
        fmt.setFontUnderline(True)
        mark.format = fmt  # type: ignore[attr-defined]
        self.view.setExtraSelections([mark])

    def _cursor(self, start: int, end: int) -> QTextCursor:
        to_qt = self.view.offset_map.to_qt
        cursor = QTextCursor(self.view.document())
        cursor.setPosition(to_qt(start))
        cursor.setPosition(to_qt(end), QTextCursor.MoveMode.KeepAnchor)
        return cursor


def _source_html(source: str) -> str:
    text = html.escape(source)
    if source.startswith(("http://", "https://")):
        return f'<a href="{text}">{text}</a>'
    return text
