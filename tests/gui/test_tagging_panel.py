"""Applying tags from the panel: by click, by key in the article view, by the palette."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from annotator.core.model import Span
from annotator.gui.models.codebook import TAG_ID_ROLE
from annotator.gui.widgets.tag_palette import CREATE_KEY, KEY_ROLE
from annotator.gui.widgets.text_steps import Edge
from tests.gui.tagging_sample import TEXT, FakeAsker, Tagging, tagging_fixture  # noqa: F401  (fixture)


def spans(t: Tagging) -> list[Span]:
    return t.session.spans(t.document)


def click_tag(qtbot, t: Tagging, name: str) -> None:
    tree = t.panel.codebook.tree
    index = t.panel.codebook_model.index_of(t.tags[name])
    tree.scrollTo(index)
    qtbot.mouseClick(
        tree.viewport(), Qt.MouseButton.LeftButton, pos=tree.visualRect(index).center()
    )


def show(qtbot, t: Tagging) -> None:
    t.window.show()
    qtbot.waitExposed(t.window)
    t.window.activateWindow()
    t.view.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is t.view)


def test_clicking_a_tag_highlights_the_selected_text(qtbot, tagging: Tagging) -> None:
    show(qtbot, tagging)
    start, end = tagging.select("Zangezur corridor")
    assert tagging.selection.text_range == (start, end)
    click_tag(qtbot, tagging, "Zangezur corridor")
    [span] = spans(tagging)
    assert (span.start, span.end, span.quote) == (start, end, "Zangezur corridor")
    assert tagging.span_tags(span.id) == {"Zangezur corridor"}
    assert tagging.selection.span_id == span.id
    assert tagging.panel.chips.tag_ids() == [tagging.tags["Zangezur corridor"]]
    assert tagging.panel.codebook_model.count(tagging.tags["Zangezur corridor"]) == 1


def test_digit_and_letter_keys_in_the_article_view_apply_tags(qtbot, tagging: Tagging) -> None:
    show(qtbot, tagging)
    tagging.select("Lachin blockade")
    qtbot.keyClick(tagging.view, Qt.Key.Key_2)
    [span] = spans(tagging)
    assert tagging.span_tags(span.id) == {"Lachin blockade"}
    # The text is still selected and is the new passage: more keys tag it, not copies of it.
    qtbot.keyClick(tagging.view, Qt.Key.Key_F)
    qtbot.keyClick(tagging.view, Qt.Key.Key_1, Qt.KeyboardModifier.KeypadModifier)
    assert [s.id for s in spans(tagging)] == [span.id]
    assert tagging.span_tags(span.id) == {"Lachin blockade", "Framing", "Zangezur corridor"}
    qtbot.keyClick(tagging.view, Qt.Key.Key_F)  # toggles off again
    assert tagging.span_tags(span.id) == {"Lachin blockade", "Zangezur corridor"}


def test_tag_keys_act_only_in_the_article_view(qtbot, tagging: Tagging) -> None:
    show(qtbot, tagging)
    tagging.select("Lachin blockade")
    qtbot.keyClick(tagging.view, Qt.Key.Key_2)
    note = tagging.panel.note
    note.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is note)
    qtbot.keyClicks(note, "41")
    assert note.toPlainText() == "41"
    assert tagging.span_tags(spans(tagging)[0].id) == {"Lachin blockade"}


def test_shortcuts_follow_the_codebook(qtbot, tagging: Tagging) -> None:
    show(qtbot, tagging)
    tagging.panel.codebook.select_tag(tagging.tags["Draft agreement"])
    tagging.panel.codebook.ask = _asker(text="1")
    tagging.panel.codebook.set_shortcut()  # takes 1 from Zangezur corridor
    tagging.view.setFocus()
    tagging.select("treaty")
    qtbot.keyClick(tagging.view, Qt.Key.Key_1)
    assert tagging.span_tags(spans(tagging)[0].id) == {"Draft agreement"}


def test_palette_applies_a_fuzzy_match_and_creates_a_missing_tag(qtbot, tagging: Tagging) -> None:
    show(qtbot, tagging)
    palette = tagging.panel.tag_palette
    assert tagging.panel.palette_action.shortcut().toString() == "Ctrl+T"
    tagging.select("constitution")
    tagging.panel.open_palette()
    qtbot.keyClicks(palette.chooser.query, "constit dem")
    assert palette.chooser.current_key() == tagging.tags["Constitution demand"]
    qtbot.keyClick(palette.chooser.query, Qt.Key.Key_Return)
    assert not palette.isVisible()
    [span] = spans(tagging)
    assert tagging.span_tags(span.id) == {"Constitution demand"}

    tagging.panel.open_palette()
    assert palette.chooser.query.text() == ""
    qtbot.keyClicks(palette.chooser.query, "Peace process/Sequencing")
    first = palette.chooser.results.item(0)
    assert first.data(KEY_ROLE) == CREATE_KEY and "Sequencing" in first.text()
    qtbot.keyClick(palette.chooser.query, Qt.Key.Key_Return)
    created = next(t for t in tagging.session.tags() if t.name == "Sequencing")
    assert created.parent_id == tagging.tags["Peace process"] and created.colour
    assert tagging.span_tags(span.id) == {"Constitution demand", "Sequencing"}


def test_palette_moves_with_arrows_and_closes_with_escape(qtbot, tagging: Tagging) -> None:
    show(qtbot, tagging)
    palette = tagging.panel.tag_palette
    tagging.panel.open_palette()
    qtbot.keyClicks(palette.chooser.query, "corridor")
    first = palette.chooser.current_key()
    qtbot.keyClick(palette.chooser.query, Qt.Key.Key_Down)
    assert palette.chooser.current_key() not in (first, None)
    qtbot.keyClick(palette.chooser.query, Qt.Key.Key_Up)
    assert palette.chooser.current_key() == first
    qtbot.keyClick(palette.chooser.query, Qt.Key.Key_Escape)
    assert not palette.isVisible() and spans(tagging) == []


def test_palette_offers_creation_first_only_when_nothing_matches_well(qtbot, tagging) -> None:
    palette = tagging.panel.tag_palette
    tagging.panel.open_palette()
    palette.chooser.query.setText("Irony")
    assert palette.chooser.current_key() == CREATE_KEY
    palette.chooser.query.setText("zangez")
    keys = [palette.chooser.results.item(i).data(KEY_ROLE) for i in range(palette.chooser.results.count())]  # fmt: skip
    assert keys[0] == tagging.tags["Zangezur corridor"] and keys[-1] == CREATE_KEY
    palette.chooser.query.setText("framing")  # an exact name: nothing to create
    keys = [palette.chooser.results.item(i).data(KEY_ROLE) for i in range(palette.chooser.results.count())]  # fmt: skip
    assert keys[0] == tagging.tags["Framing"] and CREATE_KEY not in keys
    palette.close()


def test_toggling_a_tag_on_the_selected_passage(tagging: Tagging) -> None:
    start = TEXT.index("Baku")
    tagging.selection.set_range(start, start + 4)
    tagging.panel.apply_tag(tagging.tags["Territory"])
    span_id = tagging.selection.span_id
    tagging.selection.clear_range()
    tagging.panel.apply_tag(tagging.tags["Framing"])
    assert tagging.span_tags(span_id) == {"Territory", "Framing"}
    tagging.panel.apply_tag(tagging.tags["Territory"])
    assert tagging.span_tags(span_id) == {"Framing"}
    tagging.panel.apply_tag(tagging.tags["Territory"])  # back on: the old pair revives
    assert tagging.span_tags(span_id) == {"Framing", "Territory"}
    tagging.panel.chips.chip(tagging.tags["Framing"]).click()  # the chip's ✕
    assert tagging.span_tags(span_id) == {"Territory"}
    assert tagging.session.undo_stack.count() == 5


def test_applying_with_nothing_selected_explains(qtbot, tagging: Tagging) -> None:
    show(qtbot, tagging)
    click_tag(qtbot, tagging, "Framing")  # a click with nothing selected just picks the tag
    assert tagging.panel.notice.isHidden()
    assert tagging.panel.codebook.tree.current_tag_id() == tagging.tags["Framing"]
    tagging.view.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is tagging.view)
    qtbot.keyClick(tagging.view, Qt.Key.Key_F)  # a key says it wants to tag: explain why not
    assert spans(tagging) == []
    assert "Select some text" in tagging.panel.notice.text()
    assert not tagging.panel.notice.isHidden()


def test_enter_on_a_tag_applies_it(qtbot, tagging: Tagging) -> None:
    show(qtbot, tagging)
    tagging.select("officials")
    tree = tagging.panel.codebook.tree
    tree.setCurrentIndex(tagging.panel.codebook_model.index_of(tagging.tags["Framing"]))
    tree.setFocus()
    qtbot.keyClick(tree, Qt.Key.Key_Return)
    assert tagging.span_tags(spans(tagging)[0].id) == {"Framing"}
    assert tree.currentIndex().data(TAG_ID_ROLE) == tagging.tags["Framing"]


def test_note_commits_on_ctrl_enter_and_focus_out_and_undo_restores_rows(qtbot, tagging) -> None:
    show(qtbot, tagging)
    tagging.select("Lachin blockade")
    qtbot.keyClick(tagging.view, Qt.Key.Key_2)
    note = tagging.panel.note
    before = tagging.rows("spans")
    steps = tagging.session.undo_stack.count()
    note.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is note)
    qtbot.keyClicks(note, "Cited as proof")
    assert tagging.session.span(tagging.selection.span_id).note is None  # not saved yet
    qtbot.keyClick(note, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert tagging.session.span(tagging.selection.span_id).note == "Cited as proof"
    assert tagging.session.undo_stack.count() == steps + 1
    after_first = tagging.rows("spans")
    qtbot.keyClicks(note, " of bad faith.")
    tagging.view.setFocus()  # leaving the editor saves too
    qtbot.waitUntil(lambda: QApplication.focusWidget() is tagging.view)
    assert tagging.session.span(tagging.selection.span_id).note == "Cited as proof of bad faith."
    assert tagging.session.undo_stack.count() == steps + 2
    tagging.session.undo_stack.undo()
    assert tagging.rows("spans") == after_first
    assert note.toPlainText() == "Cited as proof"  # the editor shows what undo restored
    tagging.session.undo_stack.undo()
    assert tagging.rows("spans") == before and note.toPlainText() == ""


def test_switching_passage_saves_the_note_typed_for_the_previous_one(qtbot, tagging) -> None:
    tagging.selection.set_range(0, 10)
    tagging.panel.apply_tag(tagging.tags["Framing"])
    first = tagging.selection.span_id
    tagging.selection.set_range(20, 30)
    tagging.panel.apply_tag(tagging.tags["Framing"])
    second = tagging.selection.span_id
    tagging.selection.set_span(first)
    tagging.panel.note.setPlainText("first note")
    tagging.selection.set_span(second)
    assert tagging.session.span(first).note == "first note"
    assert tagging.panel.note.toPlainText() == ""


def test_boundaries_move_by_character_and_word(qtbot, tagging: Tagging) -> None:
    show(qtbot, tagging)
    start, end = tagging.select("Zangezur")
    qtbot.keyClick(tagging.view, Qt.Key.Key_1)
    span_id = tagging.selection.span_id
    tagging.view.setFocus()
    qtbot.keyClick(
        tagging.view,
        Qt.Key.Key_Right,
        Qt.KeyboardModifier.ShiftModifier | Qt.KeyboardModifier.AltModifier,
    )
    assert tagging.session.span(span_id).quote == "Zangezur "
    tagging.panel.move_boundary(Edge.END, +1, by_word=True)
    assert tagging.session.span(span_id).quote == "Zangezur corridor"
    tagging.panel.move_boundary(Edge.START, -1, by_word=True)
    assert tagging.session.span(span_id).quote == "The Zangezur corridor"
    tagging.panel.move_boundary(Edge.START, +1)
    span = tagging.session.span(span_id)
    assert (span.start, span.end, span.quote) == (start - 3, end + 9, "he Zangezur corridor")
    assert span.prefix.endswith("\nT") and span.suffix.startswith(" must open")
    tagging.session.undo_stack.undo()
    assert tagging.session.span(span_id).quote == "The Zangezur corridor"
    # The text selected when the passage was made is still selected: keys tag the passage.
    assert tagging.selection.text_range == (start, end)
    qtbot.keyClick(tagging.view, Qt.Key.Key_F)
    assert [s.id for s in spans(tagging)] == [span_id]
    assert tagging.span_tags(span_id) == {"Zangezur corridor", "Framing"}
    tagging.select("must open")  # a new selection is a new request
    qtbot.keyClick(tagging.view, Qt.Key.Key_F)
    assert len(spans(tagging)) == 2


def test_an_undone_passage_is_no_longer_selected(tagging: Tagging) -> None:
    tagging.selection.set_range(0, 10)
    tagging.panel.apply_tag(tagging.tags["Framing"])
    assert tagging.selection.span_id
    tagging.session.undo_stack.undo()
    assert tagging.selection.span_id == "" and spans(tagging) == []
    assert tagging.panel.chips.tag_ids() == []


def _asker(**answers) -> FakeAsker:
    return FakeAsker(**answers)
