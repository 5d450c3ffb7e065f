"""Offsets from key to file: text selected with the keyboard in the workbench over astral
characters, Armenian, combining marks and a CRLF-imported line break, tagged with a digit
key, is stored as exactly those characters and painted over exactly them."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from annotator.core import ops
from annotator.core.importing import import_documents
from annotator.gui.main_window import MainWindow
from annotator.gui.session import Session
from annotator.gui.widgets.article_view import ArticleView
from tests.gui.test_article_view import expected_ranges, painted_ranges

FAMILY = "\U0001f468\u200d\U0001f469\u200d\U0001f467\u200d\U0001f466"  # one grapheme, 7 code points
FILE_TEXT = (
    f"The families {FAMILY} crossed at Lachin.\r\n"
    "Հայաստանի կառավարությունը պատասխանեց.\r\n"
    # Marks with no precomposed letter to become (imports compose what they can, NFC).
    "Q\u0307arabag\u0331h talks, x\u0331q\u0307 2025 \U0001f1e6\U0001f1f2 and then the end."
)
SELECTIONS = {  # what the analyst selects: (first characters, last characters)
    "zwj family": (FAMILY, " crossed"),
    "across the imported line break": ("Lachin", "Հայաստանի"),
    "armenian": ("կառավարությունը", "պատասխանեց"),
    "combining marks": ("Q\u0307arabag\u0331h", "x\u0331q\u0307"),
    "flag": ("\U0001f1e6\U0001f1f2", " and"),
}


@pytest.fixture
def workbench(qtbot, temp_settings, tmp_path: Path, two_document_session: Session):
    session = two_document_session
    path = tmp_path / "mixed.txt"
    path.write_bytes(FILE_TEXT.encode("utf-8"))  # CRLF line ends, as a Windows editor saves
    [added] = import_documents(session.project, [path], by=session.me).added
    ops.create_tag(session.project, by=session.me, name="Quoted", colour="#b084cc", shortcut="7")
    window = MainWindow(session, owns_session=False)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.open_document(added.id)
    return window


def cursor_at(view: ArticleView) -> int:
    return view.offset_map.to_cp(view.textCursor().position())


def press_until(qtbot, view: ArticleView, target: int, modifier=Qt.KeyboardModifier.NoModifier):
    for _ in range(200):  # a grapheme per press: never more than the text's length
        if cursor_at(view) == target:
            return
        qtbot.keyClick(view, Qt.Key.Key_Right, modifier)
    raise AssertionError(f"the cursor never reached {target}")


@pytest.mark.parametrize("case", SELECTIONS)
def test_a_keyboard_selection_is_stored_and_painted_exactly(qtbot, workbench, case) -> None:
    window = workbench
    view, session = window.pane.view, window.session
    text = view.text()
    assert text == FILE_TEXT.replace("\r\n", "\n")  # the CRLFs became one \n each
    first, last = SELECTIONS[case]
    start = text.index(first)
    end = text.index(last, start) + len(last)
    window.actions["focus_text"].trigger()
    qtbot.waitUntil(view.hasFocus)
    qtbot.keyClick(view, Qt.Key.Key_Home, Qt.KeyboardModifier.ControlModifier)
    press_until(qtbot, view, start)
    press_until(qtbot, view, end, Qt.KeyboardModifier.ShiftModifier)
    selected = view.textCursor().selectedText().replace("\u2029", "\n")
    assert view.selected_range() == (start, end) and selected == text[start:end]

    qtbot.keyClick(view, Qt.Key.Key_7)
    [span] = session.spans(window.selection.document_id)
    assert (span.start, span.end) == (start, end)
    assert span.quote == text[start:end] == selected
    assert session.tags_by_span(span.document_id)[span.id] == [
        next(t.id for t in session.tags() if t.name == "Quoted")
    ]
    assert painted_ranges(view) == {span.id: expected_ranges(text, start, end)}
