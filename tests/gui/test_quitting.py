"""Quitting a window that owns its project (as the application's windows do) keeps what was
typed but not yet saved, and closes the project only afterwards."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QApplication

from annotator.core import ops
from annotator.core.store import Project
from annotator.gui.main_window import MainWindow
from annotator.gui.session import Session
from annotator.gui.widgets.entity_dialogs import TARGETS


def owning_window(qtbot, path: Path) -> tuple[MainWindow, str]:
    project = Project.create(path)
    session = Session(project, "Ani")
    ops.initialise_settings(project)
    ops.add_document(project, by=session.me, title="Talks", text="Baku insists. Yerevan refuses.")
    window = MainWindow(session, owns_session=True)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    document = session.documents()[0].id
    span = session.perform(ops.create_span, document_id=document, start=0, end=4)
    return window, span.created("spans")[0]


def stored(path: Path, table: str) -> list[dict]:
    project = Project.open(path)
    try:
        return project.all_rows(table)
    finally:
        project.close()


def test_closing_the_window_saves_the_note_being_typed(qtbot, temp_settings, tmp_path) -> None:
    path = tmp_path / "quit.annotator"
    window, span_id = owning_window(qtbot, path)
    window.selection.set_span(span_id)
    note = window.tagging_panel.note
    note.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is note)
    qtbot.keyClicks(note, "Said twice")
    window.close()  # what Ctrl+Q, File → Quit and the title bar's button do
    assert window.session.closed
    assert [row["note"] for row in stored(path, "spans")] == ["Said twice"]


def test_closing_the_window_saves_a_target_being_described(qtbot, temp_settings, tmp_path) -> None:
    path = tmp_path / "quit.annotator"
    window, _ = owning_window(qtbot, path)
    window.session.perform(ops.create_target, name="Draft peace agreement")
    dialog = window.tagging_panel.open_entities(TARGETS)
    dialog.list.setCurrentRow(0)
    dialog.description.setPlainText("Initialled in March 2025")
    window.close()
    [target] = stored(path, "targets")
    assert target["description"] == "Initialled in March 2025"
