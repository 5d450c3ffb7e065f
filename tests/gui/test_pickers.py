"""Fuzzy ranking and the keyboard-driven picker."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QVBoxLayout, QWidget

from annotator.gui.widgets.pickers import (
    CreateRequest,
    FuzzyIndex,
    FuzzyPicker,
    PickerItem,
    PickerModel,
)
from tests.gui.linking_sample import show_and_focus

ITEMS = [
    PickerItem("t1", "The March 2025 draft peace agreement"),
    PickerItem("t2", "Amending Armenia's constitution"),
    PickerItem("t3", "Opening the Zangezur corridor"),
    PickerItem("a1", "Government of Azerbaijan", ("Baku", "Aliyev government")),
]


def test_ranking_forgives_typos_and_finds_aliases() -> None:
    index = FuzzyIndex(ITEMS)
    assert index.search("drft peace agreemnt")[0].id == "t1"
    assert index.search("constitutoin")[0].id == "t2"
    assert index.search("aliyev")[0].id == "a1"
    assert index.search("") == ITEMS and index.search("", limit=2) == ITEMS[:2]
    assert index.search("qqqqxxzz") == []


def test_exact_name_ignores_case_spacing_and_knows_aliases() -> None:
    index = FuzzyIndex(ITEMS)
    assert index.exact("  opening the   ZANGEZUR corridor ").id == "t3"
    assert index.exact("baku").id == "a1"
    assert index.exact("corridor") is None and index.exact(" ") is None


def test_picker_model_passes_the_model_tester(qtmodeltester) -> None:
    model = PickerModel()
    model.set_choices([*ITEMS, CreateRequest("Lachin road")])
    qtmodeltester.check(model)
    assert model.index(4, 0).data() == "Create “Lachin road”"


def make_form(qtbot) -> tuple[QWidget, FuzzyPicker]:
    form = QWidget()
    form.resize(400, 300)
    picker = FuzzyPicker(form, create_text="Create target “{}”")
    QVBoxLayout(form).addWidget(picker)
    picker.set_items(ITEMS)
    qtbot.addWidget(form)
    show_and_focus(qtbot, form, picker)
    return form, picker


def test_type_move_and_enter_picks(qtbot) -> None:
    _, picker = make_form(qtbot)
    picked = []
    picker.picked.connect(picked.append)
    qtbot.keyClicks(picker, "corridor")
    assert picker.view.isVisible()
    assert picker.current_choice().id == "t3"
    qtbot.keyClick(picker, Qt.Key.Key_Down)  # the next match, or the create row
    qtbot.keyClick(picker, Qt.Key.Key_Up)
    qtbot.keyClick(picker, Qt.Key.Key_Return)
    assert [p.id for p in picked] == ["t3"]
    assert picker.text() == "Opening the Zangezur corridor" and not picker.view.isVisible()
    assert picker.resolve().id == "t3"


def test_up_from_the_top_reaches_create_and_escape_cancels(qtbot) -> None:
    _, picker = make_form(qtbot)
    picked, cancelled = [], []
    picker.picked.connect(picked.append)
    picker.cancelled.connect(lambda: cancelled.append(True))
    qtbot.keyClicks(picker, "Lachin corridor")
    qtbot.keyClick(picker, Qt.Key.Key_Escape)
    assert cancelled and not picker.view.isVisible() and not picked
    qtbot.keyClick(picker, Qt.Key.Key_Down)  # opens the list again
    assert picker.view.isVisible()
    qtbot.keyClick(picker, Qt.Key.Key_Up)
    qtbot.keyClick(picker, Qt.Key.Key_Enter)
    assert picked == [CreateRequest("Lachin corridor")]


def test_resolve_without_picking(qtbot) -> None:
    _, picker = make_form(qtbot)
    picker.setText("baku")
    assert picker.resolve().id == "a1"  # an exact alias
    picker.setText("Something new")
    assert picker.resolve() == CreateRequest("Something new")
    picker.create_text = None
    assert picker.resolve() is None
    picker.set_chosen("t2")
    assert picker.text() == "Amending Armenia's constitution" and picker.resolve().id == "t2"
    picker.set_items(ITEMS[:1])  # the chosen item went away
    assert picker.chosen is None and picker.text() == ""


def test_large_lists_rank_after_a_pause_but_enter_never_acts_on_a_stale_ranking(qtbot) -> None:
    filler = [PickerItem(f"f{n}", f"passage number {n} about borders") for n in range(5000)]
    _, picker = make_form(qtbot)
    picker.set_items([*filler, *ITEMS])
    picked = []
    picker.picked.connect(picked.append)
    qtbot.keyClicks(picker, "zangezur")
    assert picker._pending.isActive()  # nothing ranked per keystroke yet
    qtbot.keyClick(picker, Qt.Key.Key_Return)
    assert [p.id for p in picked] == ["t3"]
    qtbot.keyClicks(picker, " x")
    qtbot.waitUntil(lambda: not picker._pending.isActive())
