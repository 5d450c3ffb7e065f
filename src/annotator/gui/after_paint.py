"""Run work once a widget has painted: what can wait, waits until the user sees the frame.

A zero timer started when a job arrives may run before Qt paints (both sit in the same batch of
events), so the timer starts from the widget's paint event instead: it cannot fire before that
paint, and the rest of the frame, are done. A widget that does not paint (hidden, minimised)
gets the work after :data:`FALLBACK_MS`.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QWidget

FALLBACK_MS = 250


class AfterPaint(QObject):
    """Calls ``work`` after the next paint of ``widget`` once :meth:`arm` asked for it."""

    def __init__(self, widget: QWidget, work: Callable[[], None]) -> None:
        super().__init__(widget)
        self._work = work
        self._armed = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._run)
        widget.installEventFilter(self)

    @property
    def armed(self) -> bool:
        return self._armed

    def arm(self) -> None:
        self._armed = True
        self._timer.start(FALLBACK_MS)

    def cancel(self) -> None:
        self._armed = False
        self._timer.stop()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if self._armed and event.type() == QEvent.Type.Paint:
            self._timer.start(0)
        return False

    def _run(self) -> None:
        if self._armed:
            self._armed = False
            self._work()
