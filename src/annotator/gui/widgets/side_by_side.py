"""Both ends of a link, side by side: two read-only article views with each passage selected.

For reading a claim next to its reply. The window follows the project: if the link or one of
its passages goes away (deleted, undone), it says so instead of showing stale text.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QResizeEvent, QShowEvent
from PySide6.QtWidgets import QLabel, QSizePolicy, QSplitter, QVBoxLayout, QWidget

from annotator.core.model import ChangeSet, Document
from annotator.gui.highlights import HighlightStyler
from annotator.gui.session import Session
from annotator.gui.widgets.article_view import ArticleView

STYLE_TABLES = {"tags", "annotators"}  # colours, labels and names of every span
RELOAD_TABLES = {"links", "spans", "span_tags", "documents", *STYLE_TABLES}


class LinkEnd(QWidget):
    """One end: its document's title and text, with the linked passage selected."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = QLabel()
        self.title.setTextFormat(Qt.TextFormat.PlainText)
        # One line, elided: both ends' texts then start at the same height.
        self.title.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self._full_title = ""
        self._pending_scroll: int | None = None
        font = self.title.font()
        font.setBold(True)
        self.title.setFont(font)
        self.view = ArticleView(self)
        scroll_bar = self.view.verticalScrollBar()
        scroll_bar.actionTriggered.connect(self._reader_scrolled)
        scroll_bar.rangeChanged.connect(lambda *_: self._scroll())  # laid out lazily
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(self.view, 1)
        self.document_id = ""
        self.span_id = ""

    def show_end(
        self, session: Session, styler: HighlightStyler, document: Document, span_id: str
    ) -> None:
        tags = session.tags_by_span(document.id)
        placed = [
            s for s in session.spans(document.id) if s.orphaned_at is None
        ]  # no stale offsets
        highlights = [styler.highlight(s, tags.get(s.id, [])) for s in placed]
        self._set_title(document.title + ("" if span_id else "  (whole document)"))
        self.view.set_annotator_colours(styler.annotator_colours)
        if document.id != self.document_id:
            self.view.set_document(document.text, highlights)
        else:
            self.view.set_spans(highlights)
        self.document_id, self.span_id = document.id, span_id
        span = session.span(span_id) if span_id else None
        if span is not None:
            self.view.select_range(span.start, span.end)
            self._pending_scroll = span.start
            self._scroll()

    def clear(self) -> None:
        self.document_id = self.span_id = ""
        self._set_title("")
        self.view.set_document("")

    def _set_title(self, title: str) -> None:
        self._full_title = title
        self.title.setToolTip(title)
        self._elide_title()

    def _elide_title(self) -> None:
        metrics = self.title.fontMetrics()
        width = max(self.title.width(), 40)
        self.title.setText(metrics.elidedText(self._full_title, Qt.TextElideMode.ElideRight, width))

    def _scroll(self) -> None:
        """Bring the passage near the top, with a few lines of context above it. Until the
        reader scrolls, this is repeated whenever the view is resized or its text laid out
        anew: before then the scroll range is too short and the line count wrong."""
        if self._pending_scroll is not None:
            self.view.scroll_to(self._pending_scroll)

    def _reader_scrolled(self, _action: int) -> None:
        self._pending_scroll = None

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        QTimer.singleShot(0, self._scroll)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._elide_title()
        self._scroll()


class SideBySide(QWidget):
    """Shows one link; ``show_link`` again to show another."""

    link_gone = Signal()

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.styler = HighlightStyler(session)
        self.link_id = ""
        self.heading = QLabel()
        self.heading.setTextFormat(Qt.TextFormat.PlainText)
        self.heading.setWordWrap(True)
        self.source = LinkEnd(self)
        self.target = LinkEnd(self)
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(self.source)
        splitter.addWidget(self.target)
        splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addWidget(self.heading)
        layout.addWidget(splitter, 1)
        session.changed.connect(self._session_changed)

    def show_link(self, link_id: str) -> bool:
        """Show the link's two ends; False (and a message) when it no longer exists."""
        self.link_id = link_id
        link = self.session.link(link_id)
        ends = None
        if link is not None and link.live:
            ends = (
                self.session.document(link.from_document_id),
                self.session.document(link.to_document_id),
            )
        if link is None or not link.live or ends is None or None in ends:
            self.heading.setText("This link no longer exists (deleted, or its edit was undone).")
            self.source.clear()
            self.target.clear()
            self.link_gone.emit()
            return False
        source, target = ends
        self.source.show_end(self.session, self.styler, source, link.from_span_id or "")
        self.target.show_end(self.session, self.styler, target, link.to_span_id or "")
        note = f"  ·  Note: {link.note}" if link.note else ""
        self.heading.setText(f"Link: {link.type} (left → right){note}")
        self.setWindowTitle(f"Link: {link.type}")
        return True

    def _session_changed(self, changes: ChangeSet) -> None:
        tables = changes.tables()
        if self.link_id and (not tables or tables & RELOAD_TABLES):
            if not tables or tables & STYLE_TABLES:
                self.styler.reload()
            self.show_link(self.link_id)


def open_side_by_side(session: Session, link_id: str, parent: QWidget | None = None) -> SideBySide:
    """A separate, non-modal window showing ``link_id``; it closes with its parent."""
    window = SideBySide(session, parent)
    window.setWindowFlag(Qt.WindowType.Window, True)
    window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    window.resize(1100, 700)
    window.show_link(link_id)
    window.show()
    return window
