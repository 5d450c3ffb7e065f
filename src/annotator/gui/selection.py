"""The workbench's current selection: which document, which span, which stretch of text.

One small QObject shared by every panel, so the tagging and links panels follow what the analyst
is looking at without knowing about each other or the main window. Setters emit only on change,
so panels may call them freely while reacting to one another's signals.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

NO_RANGE: tuple[int, int] = (-1, -1)


class Selection(QObject):
    document_changed = Signal(str)  # "" = no document
    span_changed = Signal(str)  # "" = no span
    range_changed = Signal(int, int)  # code points, end exclusive; (-1, -1) = no range

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._document_id = ""
        self._span_id = ""
        self._range = NO_RANGE

    @property
    def document_id(self) -> str:
        return self._document_id

    @property
    def span_id(self) -> str:
        return self._span_id

    @property
    def text_range(self) -> tuple[int, int] | None:
        """The selected text as (start, end) in code points, or None when nothing is selected."""
        return None if self._range == NO_RANGE else self._range

    def set_document(self, document_id: str) -> None:
        """Show another document; its span and range selections no longer apply."""
        document_id = document_id or ""
        if document_id == self._document_id:
            return
        self._document_id = document_id
        self.set_span("")
        self.set_range(*NO_RANGE)
        self.document_changed.emit(document_id)

    def set_span(self, span_id: str | None) -> None:
        span_id = span_id or ""
        if span_id == self._span_id:
            return
        self._span_id = span_id
        self.span_changed.emit(span_id)

    def set_range(self, start: int, end: int) -> None:
        new = NO_RANGE if start < 0 or end <= start else (start, end)
        if new == self._range:
            return
        self._range = new
        self.range_changed.emit(*new)

    def clear_range(self) -> None:
        self.set_range(*NO_RANGE)
