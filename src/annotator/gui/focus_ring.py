"""A ring in the highlight colour around the list or table that has the keyboard focus.

Item views show focus only through their current row, so an empty list (or one without a
current row) reached with Ctrl+1…5 looked exactly as before: the ring says where the keys go.
"""

from __future__ import annotations

from PySide6.QtGui import QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import QAbstractItemView, QApplication, QFocusFrame, QWidget


class FocusRing(QFocusFrame):
    """Follows the focus among the item views inside ``window``; hidden elsewhere."""

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self.window_shown = window
        app = QApplication.instance()
        assert isinstance(app, QApplication)
        app.focusChanged.connect(self._focus_changed)  # let go of when the ring is deleted

    def paintEvent(self, event: QPaintEvent) -> None:
        # The style masks the frame to a ring; filled in today's palette, it follows a theme.
        painter = QPainter(self)
        painter.fillRect(self.rect(), self.palette().color(QPalette.ColorRole.Highlight))
        painter.end()

    def _focus_changed(self, _old: QWidget | None, new: QWidget | None) -> None:
        shown = (
            isinstance(new, QAbstractItemView)
            and new.window() is self.window_shown
            and new.isVisible()
        )
        self.setWidget(new if shown else None)
