"""The article text view: one document, its highlights painted exactly, only where visible.

Highlights are per-block additional formats (``QTextLayout.setFormats``, the mechanism
``QSyntaxHighlighter`` uses), computed from an interval index when a block is about to be
painted and only when its spans changed. Setting formats clears that block's line layout,
and ``QPlainTextEdit`` lays a block out lazily when it paints it, so a highlight edit costs
one relayout of the visible blocks it touches and nothing for the rest of the document.

Overlaps: each elementary piece gets one background blended from all its spans, deeper the
more spans overlap (see :func:`blend_background`), then pulled toward the page colour until
the text keeps WCAG AA contrast, on light and dark palettes alike. Annotators: when spans come
from two or more people, each person's spans also get a thin underline in their own colour
and row, stacked under the text line.

Spans come whole or from a :class:`SpanSource`, which the view asks for the spans meeting the
text it is about to paint (a few screens at a time) and for all of them only when someone
needs all (:meth:`ArticleView.spans`). Opening a long document therefore costs its text and
the spans in sight, not its thousands of others.

Offsets in this API are code points of the stored text; :mod:`annotator.gui.offsets` is the
only place they meet Qt positions.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence

from PySide6.QtCore import QEvent, QPoint, QRect, Qt, Signal
from PySide6.QtGui import (
    QFont,
    QHelpEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QTextBlock,
    QTextCursor,
    QTextLine,
    QTextOption,
)
from PySide6.QtWidgets import QApplication, QPlainTextEdit, QToolTip, QWidget

from annotator.core.words import snap_to_word_bounds
from annotator.gui.annotator_colours import annotator_colours
from annotator.gui.blending import blend_background
from annotator.gui.offsets import OffsetMap, qt_text
from annotator.gui.widgets.highlight_paint import (
    MARK_ROWS,
    SPAN_IDS_PROPERTY,
    BlockPaint,
    Piece,
    format_range,
    paint_marks,
)
from annotator.gui.widgets.span_source import HighlightSpan, ShownSpans, SpanSource

__all__ = ["SPAN_IDS_PROPERTY", "ArticleView", "HighlightSpan", "SpanSource"]

CONTEXT_LINES = 3  # lines kept above a passage scrolled to
READING_FONTS = ["Source Serif 4", "Noto Serif", "Charter", "Georgia", "DejaVu Serif", "serif"]


class ArticleView(QPlainTextEdit):
    """A read-only, wrapped reading view of one document with its span highlights."""

    span_clicked = Signal(list)  # ids under a plain click, by start then length; may be empty
    selection_changed_range = Signal(int, int)  # code points; start == end when nothing

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.snap_to_words = False  # widen mouse selections to whole words
        self.underline_annotators = True  # only drawn when two or more annotators are present
        self._text = ""
        self._map = OffsetMap([], 0)
        self._spans = ShownSpans()
        self._version = 0
        self._blocks: dict[int, BlockPaint] = {}
        self._annotator_colours: dict[str, str] = {}  # annotator id -> colour, from the project
        self._rows: dict[str, int] | None = {}  # annotator -> underline row; None: to compute
        self._press: QPoint | None = None
        self._selection_moved = False
        self._read_palette()
        self.setReadOnly(True)
        self.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        self.setUndoRedoEnabled(False)
        self.setWordWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        self.setFont(_reading_font())
        self.document().setDocumentMargin(16)
        self.selectionChanged.connect(self._selection_changed)

    # -- content -------------------------------------------------------------------------

    def set_document(self, text: str, spans: Sequence[HighlightSpan] | SpanSource = ()) -> None:
        """Show ``text`` (the stored text) with ``spans``, given or read from a source as
        they come into sight; the view scrolls to the top."""
        self._text = text
        self._map = OffsetMap.from_text(text)
        self._blocks.clear()
        self.set_spans(spans)
        self.setPlainText(qt_text(text))

    def set_spans(self, spans: Iterable[HighlightSpan] | SpanSource) -> None:
        """Replace every span (e.g. a filter changed) without reloading the text: with
        ``spans`` given, or with a source read again as the text comes into sight."""
        self._spans.reset(len(self._text), spans)
        self._spans_changed()

    def update_spans(
        self, spans: Iterable[HighlightSpan] = (), removed_ids: Iterable[str] = ()
    ) -> None:
        """Add or replace ``spans`` and drop ``removed_ids`` (unknown ids are ignored)."""
        self._spans.update(spans, removed_ids)
        self._spans_changed()

    def add_span(self, span: HighlightSpan) -> None:
        self.update_spans([span])

    def remove_span(self, span_id: str) -> None:
        self.update_spans(removed_ids=[span_id])

    def text(self) -> str:
        return self._text

    def spans(self) -> list[HighlightSpan]:
        """Every span (read whole from the source if only part was read so far)."""
        return self._spans.every()

    def has_span(self, span_id: str) -> bool:
        """Whether ``span_id`` is shown and already read (a source is not asked)."""
        return span_id in self._spans

    @property
    def offset_map(self) -> OffsetMap:
        return self._map

    # -- queries (also the test hooks) ------------------------------------------------------

    def span_ids_at(self, pos: int) -> list[str]:
        """Ids of spans covering code point ``pos``, by start then length."""
        return self._spans.at(pos)

    def highlight_colour_at(self, pos: int) -> str | None:
        """The background painted under code point ``pos``, or None where nothing is."""
        ids = self.span_ids_at(pos)
        return self._piece_colour(tuple(ids)) if ids else None

    def annotator_colour(self, annotator: str) -> str:
        """The underline colour of ``annotator``: the project's choice (see
        :meth:`set_annotator_colours`), else by the sorted order of the annotators shown."""
        colour = self._annotator_colours.get(annotator)
        if colour is None:
            colour = annotator_colours(self._annotator_rows()).get(annotator, "#808080")
        return colour

    def set_annotator_colours(self, colours: dict[str, str]) -> None:
        """Colours by annotator id, for every annotator of the project."""
        if colours != self._annotator_colours:
            self._annotator_colours = dict(colours)
            self._spans_changed()

    def char_at(self, point: QPoint) -> int | None:
        """Code point under viewport ``point``; None past a line's end or off the text."""
        block = self.cursorForPosition(point).block()
        origin = self.blockBoundingGeometry(block).translated(self.contentOffset()).topLeft()
        x, y = point.x() - origin.x(), point.y() - origin.y()  # layout coordinates
        layout = block.layout()
        for i in range(layout.lineCount()):
            line = layout.lineAt(i)
            rect = line.naturalTextRect()
            if rect.top() <= y < rect.bottom() and rect.left() <= x < rect.right():
                pos = line.xToCursor(x, QTextLine.CursorPosition.CursorOnCharacter)
                if pos < block.length() - 1:
                    return self._map.to_cp(block.position() + pos)
        return None

    # -- selection and scrolling ------------------------------------------------------------

    def selected_range(self) -> tuple[int, int] | None:
        cursor = self.textCursor()
        if not cursor.hasSelection():
            return None
        return self._map.to_cp_range(cursor.selectionStart(), cursor.selectionEnd())

    def select_range(self, start: int, end: int) -> None:
        """Select code points ``[start, end)`` and bring them into view."""
        if not 0 <= start <= end <= len(self._text):
            raise ValueError(f"range [{start}, {end}) outside a text of {len(self._text)}")
        cursor = QTextCursor(self.document())
        cursor.setPosition(self._map.to_qt(start))
        cursor.setPosition(self._map.to_qt(end), QTextCursor.MoveMode.KeepAnchor)
        self.setTextCursor(cursor)

    def scroll_to(self, start: int) -> None:
        """Scroll so code point ``start`` is near the top, leaving the selection alone."""
        qt = self._map.to_qt(min(max(start, 0), len(self._text)))
        block = self.document().findBlock(qt)
        self.blockBoundingRect(block)  # lays the block out, so its line numbers are real
        line = block.layout().lineForTextPosition(qt - block.position())
        # QPlainTextEdit scrolls by visual line: the scroll bar value is the top line.
        top_line = block.firstLineNumber() + (line.lineNumber() if line.isValid() else 0)
        self.verticalScrollBar().setValue(max(0, top_line - CONTEXT_LINES))

    # -- painting -------------------------------------------------------------------------

    def ensure_block_formats(self, block: QTextBlock) -> None:
        """Give ``block`` the formats of its current spans, if it does not have them."""
        number = block.blockNumber()
        state = self._blocks.get(number)
        if state is not None and state.version == self._version:
            return
        pieces = self._block_pieces(block)
        had_formats = state is not None and bool(state.pieces)
        self._blocks[number] = BlockPaint(self._version, pieces)
        if (state is not None and state.pieces == pieces) or (not pieces and not had_formats):
            return
        # Clears the block's lines; the next paint lays it out again, with the formats.
        block.layout().setFormats([format_range(piece) for piece in pieces])

    def paintEvent(self, event: QPaintEvent) -> None:
        visible = self._prepare_blocks(event.rect())
        super().paintEvent(event)
        if self.underline_annotators and len(self._annotator_rows()) > 1:
            painter = QPainter(self.viewport())
            x0 = self.contentOffset().x()
            for block, top in visible:
                state = self._blocks.get(block.blockNumber())
                if state is not None:
                    paint_marks(painter, block, state.pieces, (x0, top), event.rect())
            painter.end()

    def _prepare_blocks(self, rect: QRect) -> list[tuple[QTextBlock, float]]:
        """Bring the blocks meeting ``rect`` (viewport coordinates) up to date; return them
        with their tops. Formats go on before a block is measured, so none is laid out twice."""
        found = []
        block, top = self.firstVisibleBlock(), self.contentOffset().y()
        while block.isValid() and top <= rect.bottom():
            self.ensure_block_formats(block)
            height = self.blockBoundingRect(block).height()
            if top + height >= rect.top():
                found.append((block, top))
            top += height
            block = block.next()
        return found

    def _block_pieces(self, block: QTextBlock) -> tuple[Piece, ...]:
        first = block.position()
        to_qt = self._map.to_qt
        lo = self._map.to_cp(first)
        hi = self._map.to_cp(first + block.length() - 1)  # the separator shows no text
        return tuple(
            Piece(
                to_qt(s) - first, to_qt(e) - first, self._piece_colour(ids), ids, self._marks(ids)
            )
            for s, e, ids in self._spans.segments(lo, hi)
        )

    def _marks(self, ids: tuple[str, ...]) -> tuple[tuple[int, str], ...]:
        rows: dict[int, str] = {}
        annotator_rows = self._annotator_rows()
        for span_id in ids:
            who = self._spans[span_id].annotator
            if who in annotator_rows:
                rows.setdefault(min(annotator_rows[who], MARK_ROWS - 1), self.annotator_colour(who))
        return tuple(sorted(rows.items()))

    def _piece_colour(self, ids: tuple[str, ...]) -> str:
        colours = tuple(self._spans[span_id].colour for span_id in ids)
        return blend_background(colours, self._page, self._ink)

    # -- events ---------------------------------------------------------------------------

    def viewportEvent(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            tip = self._tooltip_at(event.pos())
            if tip:
                QToolTip.showText(event.globalPos(), tip, self.viewport())
            else:
                QToolTip.hideText()
            return True
        return super().viewportEvent(event)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self._press = event.position().toPoint()
        super().mousePressEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        super().mouseReleaseEvent(event)
        press, self._press = self._press, None
        if press is None or event.button() != Qt.MouseButton.LeftButton:
            return
        if self._selection_moved:
            if self.snap_to_words:
                self._snap_selection()
            self._selection_moved = False
            self._selection_changed()
        if self.textCursor().hasSelection():
            return
        moved = (event.position().toPoint() - press).manhattanLength()
        if moved < QApplication.startDragDistance():
            pos = self.char_at(event.position().toPoint())
            self.span_clicked.emit(self.span_ids_at(pos) if pos is not None else [])

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.StyleChange):
            self._read_palette()
            self._spans_changed()

    # -- internals ------------------------------------------------------------------------

    def _spans_changed(self) -> None:
        self._version += 1
        self._rows = None  # worked out when painting, once the text in sight has been read
        self.viewport().update()

    def _annotator_rows(self) -> dict[str, int]:
        if self._rows is None:  # in the colours' order: the same stacking in every view
            annotators = sorted(self._spans.annotators())
            self._rows = {who: row for row, who in enumerate(annotators)}
        return self._rows

    def _read_palette(self) -> None:
        self._page = self.palette().color(QPalette.ColorRole.Base).name()
        self._ink = self.palette().color(QPalette.ColorRole.Text).name()

    def _selection_changed(self) -> None:
        if self._press is not None:
            self._selection_moved = True  # a mouse gesture reports once, on release
            return
        selected = self.selected_range()
        if selected is None:
            here = self._map.to_cp(self.textCursor().position())
            selected = (here, here)
        self.selection_changed_range.emit(*selected)

    def _snap_selection(self) -> None:
        selected = self.selected_range()
        if selected is not None:
            snapped = snap_to_word_bounds(self._text, *selected)
            if snapped != selected:
                self.select_range(*snapped)

    def _tooltip_at(self, point: QPoint) -> str:
        pos = self.char_at(point)
        if pos is None:
            return ""
        lines = []
        for span_id in self.span_ids_at(pos):
            span = self._spans[span_id]
            name = span.annotator_name or span.annotator
            who = f" — {name}" if name else ""
            lines.append(html.escape(f"{span.label or span.id}{who}"))
        return "<br>".join(lines)


def _reading_font() -> QFont:
    font = QFont(QApplication.font())
    font.setFamilies(READING_FONTS)
    font.setStyleHint(QFont.StyleHint.Serif)
    font.setPointSizeF(max(font.pointSizeF() * 1.2, 12.0))
    return font
