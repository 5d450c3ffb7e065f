"""Reading again what the file holds (F5, an import that added nothing, a merge that changed
nothing) keeps the reader's place and selection when the open document's text is unchanged."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QMimeData, QUrl
from PySide6.QtWidgets import QMessageBox

from annotator.core import ops
from annotator.core.store import Project
from annotator.gui.main_window import MainWindow
from annotator.gui.session import Session

LONG_TEXT = "\n\n".join(
    f"Paragraph {n}: the negotiators met again and the border commission reported."
    for n in range(400)
)
IMPORT_TIMEOUT_MS = 20_000


@pytest.fixture
def reading(qtbot, temp_settings, two_document_session: Session) -> tuple[MainWindow, str]:
    """A window reading far down a long document, with a passage selected there."""
    session = two_document_session
    long_id = ops.add_document(session.project, by=session.me, title="Long", text=LONG_TEXT)
    window = MainWindow(session, owns_session=False)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.open_document(long_id.document.id)
    start = LONG_TEXT.index("Paragraph 300:")
    span = session.perform(
        ops.create_span, document_id=long_id.document.id, start=start, end=start + 13
    ).created("spans")[0]
    window.pane.reveal_span(span)
    assert window.pane.view.verticalScrollBar().value() > 0
    return window, span


def test_f5_keeps_the_scroll_and_selection_and_shows_new_spans(reading) -> None:
    window, span = reading
    view = window.pane.view
    scrolled = view.verticalScrollBar().value()
    document = window.selection.document_id
    start = LONG_TEXT.index("Paragraph 301:")
    with Project.open(window.session.path) as other:  # a colleague's process, say
        by = ops.ensure_annotator(other, "Lusine").id
        ops.create_span(other, by=by, document_id=document, start=start, end=start + 13)
    window.actions["refresh"].trigger()
    assert view.verticalScrollBar().value() == scrolled
    assert window.selection.span_id == span
    assert view.span_ids_at(start)  # what the other process wrote is shown


def test_a_span_deleted_elsewhere_is_unselected_on_refresh(reading) -> None:
    window, span = reading
    scrolled = window.pane.view.verticalScrollBar().value()
    with Project.open(window.session.path) as other:
        ops.delete_span(other, by=window.session.me, span_id=span)
    window.actions["refresh"].trigger()
    assert window.selection.span_id == "" and not window.pane.view.has_span(span)
    assert window.pane.view.verticalScrollBar().value() == scrolled


def test_an_import_that_adds_nothing_keeps_the_place(qtbot, reading, tmp_path, monkeypatch):
    told: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda _, __, text: told.append(text))
    window, span = reading
    again = tmp_path / "long.txt"
    again.write_text(LONG_TEXT, encoding="utf-8")  # the open document, already imported
    scrolled = window.pane.view.verticalScrollBar().value()
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(again))])
    with qtbot.waitSignal(window.import_finished, timeout=IMPORT_TIMEOUT_MS) as finished:
        window.handle_drop(mime)
    assert not finished.args[0].added and "already in the project" in told[0]
    assert window.pane.view.verticalScrollBar().value() == scrolled
    assert window.selection.span_id == span


def test_a_text_changed_elsewhere_is_shown_anew(reading) -> None:
    window, _ = reading
    shorter = LONG_TEXT[: LONG_TEXT.index("Paragraph 5:")] + "The rest was cut."
    with Project.open(window.session.path) as other:
        ops.replace_document_text(
            other, by=window.session.me, document_id=window.selection.document_id, text=shorter
        )
    window.actions["refresh"].trigger()
    assert window.pane.view.text() == shorter
