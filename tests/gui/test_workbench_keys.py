"""The workbench from the keyboard alone: panels by Ctrl+digit, a link made with Ctrl+L and
followed with Enter, Alt+Left / Alt+Right back and forth, a stance's evidence reached by Enter."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QApplication

from annotator.core import ops
from annotator.core.model import Link
from annotator.core.store import Project
from annotator.gui.main_window import MainWindow
from annotator.gui.session import Session
from annotator.gui.widgets.link_picker import LinkPicker

Key, Ctrl, Alt = Qt.Key, Qt.KeyboardModifier.ControlModifier, Qt.KeyboardModifier.AltModifier
CLAIM = "Baku says the corridor must open before any treaty is signed."
REPLY_LINES = [f"Paragraph {n} of the reply, on other matters entirely." for n in range(300)]
REPLY = "\n".join([*REPLY_LINES, "Yerevan answers that sovereignty is not for sale."])


@pytest.fixture
def window(qtbot, temp_settings, tmp_path: Path):
    project = Project.create(tmp_path / "keys.annotator")
    session = Session(project, "Ani")
    ops.initialise_settings(project)
    claim = ops.add_document(project, by=session.me, title="Claim", text=CLAIM).document.id
    reply = ops.add_document(project, by=session.me, title="Reply", text=REPLY).document.id
    start = REPLY.index("sovereignty is not for sale")
    answer = ops.create_span(
        project, by=session.me, document_id=reply, start=start, end=start + 27
    ).created("spans")[0]
    made = MainWindow(session, owns_session=False)
    qtbot.addWidget(made)
    made.show()
    qtbot.waitExposed(made)
    made.activateWindow()
    qtbot.waitUntil(made.isActiveWindow)
    made.ids = {"claim": claim, "reply": reply, "answer": answer}  # type: ignore[attr-defined]
    yield made
    made.close()
    session.close()


def press(qtbot, key, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    qtbot.keyClick(QApplication.focusWidget(), key, modifier)


def span_in_view(window: MainWindow, span_id: str) -> bool:
    span = window.session.span(span_id)
    view = window.pane.view
    cursor = view.textCursor()
    cursor.setPosition(view.offset_map.to_qt(span.start))
    return view.viewport().rect().contains(view.cursorRect(cursor))


def test_panels_take_the_keyboard_where_their_work_starts(qtbot, window: MainWindow) -> None:
    for key, widget in (
        (Key.Key_3, window.tagging_panel.codebook.tree),
        (Key.Key_4, window.stances_panel.target_picker),
        (Key.Key_5, window.links_panel.view),
        (Key.Key_2, window.pane.view),
    ):
        press(qtbot, key, Ctrl)
        qtbot.waitUntil(lambda w=widget: QApplication.focusWidget() is w)


def ring_colours(window: MainWindow, widget) -> set[str]:
    """Colours of the pixels just outside ``widget``'s edges, in the window as painted."""
    image = window.grab().toImage()
    area = widget.rect().translated(widget.mapTo(window, widget.rect().topLeft()))
    middle = area.center()
    points = [(area.left() - 1, middle.y()), (area.right() + 1, middle.y())]
    points += [(middle.x(), area.top() - 1), (middle.x(), area.bottom() + 1)]
    return {image.pixelColor(x, y).name() for x, y in points}


def test_the_list_with_the_keys_wears_a_focus_ring(qtbot, window: MainWindow) -> None:
    links = window.links_panel.view
    assert links.model().rowCount() == 0  # empty: no current row to show the focus
    highlight = window.palette().color(window.palette().ColorRole.Highlight).name()
    assert highlight not in ring_colours(window, links)
    press(qtbot, Key.Key_5, Ctrl)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is links)
    assert window.focus_ring.widget() is links and ring_colours(window, links) == {highlight}
    themed = window.palette()
    themed.setColor(themed.ColorRole.Highlight, QColor("#c0399b"))
    window.setPalette(themed)  # the desktop's theme changed: the ring follows it
    assert ring_colours(window, links) == {"#c0399b"}
    press(qtbot, Key.Key_1, Ctrl)  # to the documents list: the ring follows
    qtbot.waitUntil(lambda: window.focus_ring.widget() is window.document_list.view)
    assert highlight not in ring_colours(window, links)
    press(qtbot, Key.Key_2, Ctrl)  # the text shows its own cursor: no ring
    qtbot.waitUntil(lambda: QApplication.focusWidget() is window.pane.view)
    assert window.focus_ring.widget() is None


def test_link_by_keyboard_then_follow_it_back_and_forth(qtbot, window: MainWindow) -> None:
    ids = window.ids  # type: ignore[attr-defined]
    window.open_document(ids["claim"])
    press(qtbot, Key.Key_2, Ctrl)
    window.pane.view.select_range(CLAIM.index("the corridor"), CLAIM.index(" before"))
    claim_span = _tag_selection_by_palette(qtbot, window, "Corridor")

    def pick() -> None:
        picker = QApplication.activeModalWidget()
        assert isinstance(picker, LinkPicker)
        qtbot.keyClicks(picker.search, "soverignty not for sale")  # a typo is forgiven
        qtbot.keyClick(picker.search, Key.Key_Return)

    QTimer.singleShot(0, pick)
    press(qtbot, Key.Key_L, Ctrl)
    [link] = window.session.project.records(Link)
    assert (link.from_span_id, link.to_span_id) == (claim_span, ids["answer"])
    window.activateWindow()  # the offscreen platform does not hand activation back by itself
    qtbot.waitUntil(window.isActiveWindow)

    press(qtbot, Key.Key_5, Ctrl)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is window.links_panel.view)
    window.links_panel.view.setCurrentIndex(window.links_panel.model.index(0, 0))
    press(qtbot, Key.Key_Return)
    assert window.selection.document_id == ids["reply"]
    assert window.selection.span_id == ids["answer"] and span_in_view(window, ids["answer"])

    press(qtbot, Key.Key_Left, Alt)
    assert (window.selection.document_id, window.selection.span_id) == (ids["claim"], claim_span)
    press(qtbot, Key.Key_Right, Alt)
    assert (window.selection.document_id, window.selection.span_id) == (ids["reply"], ids["answer"])
    assert span_in_view(window, ids["answer"])


def test_enter_on_a_stance_shows_its_evidence_and_back_returns(qtbot, window) -> None:
    ids = window.ids  # type: ignore[attr-defined]
    session = window.session
    target = session.perform(ops.create_target, name="Sovereignty").created("targets")[0]
    session.perform(
        ops.create_stance, document_id=ids["reply"], span_id=ids["answer"], target_id=target,
        polarity=2,
    )  # fmt: skip
    window.open_document(ids["reply"])
    window.pane.view.scroll_to(0)
    window.selection.set_span("")
    assert not span_in_view(window, ids["answer"])
    editor = window.stances_panel
    editor.list.setFocus()
    editor.list.setCurrentIndex(editor.model.index(0, 0))
    press(qtbot, Key.Key_Return)
    assert window.selection.span_id == ids["answer"] and span_in_view(window, ids["answer"])
    assert window.actions["back"].isEnabled()
    window.open_document(ids["claim"])
    press(qtbot, Key.Key_Left, Alt)
    assert (window.selection.document_id, window.selection.span_id) == (ids["reply"], ids["answer"])


def _tag_selection_by_palette(qtbot, window: MainWindow, name: str) -> str:
    """Ctrl+T, a new tag's name, Enter (which creates it): the new span's id."""
    before = {s.id for s in window.session.spans(window.selection.document_id)}
    press(qtbot, Key.Key_T, Ctrl)
    palette = window.tagging_panel.tag_palette
    qtbot.waitUntil(palette.isVisible)
    qtbot.keyClicks(palette.chooser.query, name)
    qtbot.keyClick(palette.chooser.query, Key.Key_Return)
    [made] = {s.id for s in window.session.spans(window.selection.document_id)} - before
    assert window.selection.span_id == made
    return made
