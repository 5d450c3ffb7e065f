"""Driving and probing the real main window for bench_workbench.py: paints timed to their end,
documents activated as the list does it, painted blocks checked against the file."""

from __future__ import annotations

import cProfile
import gc
import os
import pstats
import sqlite3
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QEvent, QObject, QSettings, qInstallMessageHandler
from PySide6.QtWidgets import QAbstractScrollArea, QApplication

import annotator.gui  # noqa: F401  (pins None/True/False before PySide6 is used)
from annotator.core.store import Project
from annotator.gui.main_window import MainWindow
from annotator.gui.session import Session
from annotator.gui.settings import name_application

ME = "Ani"


class PaintCounter(QObject):
    """Counts paint events reaching a scroll area's viewport and notes when each one ended.

    It hands the event to the scroll area itself (what Qt's own viewport filter does, so
    nothing is painted twice) and reads the clock once the widget has painted."""

    def __init__(self, area: QAbstractScrollArea) -> None:
        super().__init__(area)
        self.area = area
        self.count = 0
        self.ended = 0.0  # perf_counter() at the end of the last paint
        area.viewport().installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.Paint:
            return False
        self.area.viewportEvent(event)
        self.count += 1
        self.ended = time.perf_counter()
        return True


def quiet_offscreen_plugin() -> None:
    """Drop the offscreen plugin's one-line complaint about size hints; keep the rest."""

    def handler(_kind, _context, message: str) -> None:
        if "propagateSizeHints" not in message:
            print(message, file=sys.stderr)

    qInstallMessageHandler(handler)


def settle(app: QApplication) -> None:
    for _ in range(3):
        app.processEvents()


def use_temporary_settings(folder: Path) -> None:
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(folder))
    name_application()
    QSettings().clear()


def open_window(app: QApplication, path: Path) -> tuple[MainWindow, float]:
    began = time.perf_counter()
    window = MainWindow(Session(Project.open(path), ME))
    window.show()
    settle(app)
    return window, time.perf_counter() - began


def close(app: QApplication, window: MainWindow) -> None:
    """Close the window and collect its garbage now, not during the next part's timings."""
    window.close()
    window.deleteLater()
    settle(app)
    gc.collect()


def activate_in_list(window: MainWindow, document_id: str) -> None:
    """What the arrow keys or a click in the documents dock do: make its row current."""
    documents = window.document_list
    row = documents.model.row_of(document_id)
    assert row is not None, document_id
    documents.view.setCurrentIndex(documents.proxy.mapFromSource(documents.model.index(row, 0)))


def painted_after(app: QApplication, counter: PaintCounter, widget) -> bool:
    """Let Qt deliver what the action posted (it paints there); force a paint if it did not.
    True when the paint came by itself; ``counter.ended`` is then when it ended."""
    before = counter.count
    app.processEvents()
    if counter.count > before:
        return True
    widget.viewport().repaint()
    return False


def when_done(app: QApplication, done: Callable[[], bool], timeout: float = 30.0) -> float:
    """Process events until ``done()``; the perf_counter() at which it first held."""
    give_up = time.perf_counter() + timeout
    while not done():
        if time.perf_counter() > give_up:
            raise TimeoutError("the workbench did not finish opening the document")
        app.processEvents()
    return time.perf_counter()


def repainted_with(view, span_id: str, start: int, end: int) -> bool:
    """Whether a block of ``[start, end)`` was painted since the spans last changed, with
    ``span_id`` among its highlights (the blocks out of sight are not painted, by design)."""
    block = view.document().findBlock(view.offset_map.to_qt(start))
    last = view.document().findBlock(view.offset_map.to_qt(end - 1)).blockNumber()
    while block.isValid() and block.blockNumber() <= last:
        state = view._blocks.get(block.blockNumber())
        if state is not None and state.version == view._version:
            return any(span_id in piece.ids for piece in state.pieces)
        block = block.next()
    return False


class Profiler:
    def __init__(self, enabled: bool) -> None:
        self.profile = cProfile.Profile() if enabled else None

    def __enter__(self) -> Profiler:
        if self.profile:
            self.profile.enable()
        return self

    def __exit__(self, *exc: object) -> None:
        if self.profile:
            self.profile.disable()

    def report(self, title: str) -> None:
        if self.profile:
            print(f"\n--- profile: {title} (cumulative, top 30) ---")
            pstats.Stats(self.profile).sort_stats("cumulative").print_stats(30)


def min_median(seconds: list[float]) -> str:
    return f"{ms(min(seconds))} / {ms(statistics.median(seconds))}"


def live_spans(path: Path, document_id: str) -> dict[str, tuple[int, int]]:
    """The spans the view should paint, read through a connection of its own."""
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as checker:
        rows = checker.execute(
            'SELECT id, start, "end" FROM spans WHERE document_id = ? AND deleted_at IS NULL '
            "AND orphaned_at IS NULL",
            [document_id],
        ).fetchall()
    return {span_id: (start, end) for span_id, start, end in rows}


def check_painted_blocks(view, spans: dict[str, tuple[int, int]]) -> None:
    """Every block painted so far carries exactly the spans of the file that meet it."""
    checked, offsets, offset = 0, view.offset_map, view.contentOffset()
    block = view.firstVisibleBlock()
    bottom = view.viewport().height()
    while block.isValid() and view.blockBoundingGeometry(block).translated(offset).top() < bottom:
        state = view._blocks.get(block.blockNumber())
        assert state is not None and state.version == view._version, "a visible block unpainted"
        lo = offsets.to_cp(block.position())
        hi = offsets.to_cp(block.position() + block.length() - 1)
        shown = {span_id for piece in state.pieces for span_id in piece.ids}
        # An empty block (between two line breaks) shows no character to paint.
        expected = {i for i, (s, e) in spans.items() if s < hi and lo < e} if lo < hi else set()
        assert shown == expected, (block.blockNumber(), shown ^ expected)
        checked += 1
        block = block.next()
    assert checked, "no block in sight"


def ms(seconds: float) -> str:
    return f"{seconds * 1000:8.1f} ms"


def verdict(ok: bool) -> str:
    return "MET" if ok else "MISSED"
