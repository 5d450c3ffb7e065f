"""Recording, editing and deleting stances by keyboard; undo restores the rows exactly."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor, QPalette

from annotator.core import ops
from annotator.core.model import Stance, Target
from annotator.gui.models.stances import Column, StanceListModel
from annotator.gui.widgets.polarity import PolarityPicker
from annotator.gui.widgets.stance_editor import StanceEditor
from tests.gui.linking_sample import Sample, focused, make_sample, show_and_focus, snapshot


@pytest.fixture
def sample(qapp, tmp_path: Path):
    made = make_sample(tmp_path)
    yield made
    made.session.close()


@pytest.fixture
def editor(qtbot, sample: Sample) -> StanceEditor:
    widget = StanceEditor(sample.session, sample.selection)
    widget.resize(520, 560)
    qtbot.addWidget(widget)
    sample.selection.set_document(sample.baku)
    show_and_focus(qtbot, widget, widget.target_picker)
    return widget


def live_stances(sample: Sample) -> list[Stance]:
    return sample.session.stances(sample.baku)


def test_record_on_a_span_by_keyboard_creating_a_target(qtbot, sample, editor) -> None:
    sample.selection.set_span(sample.demand)
    assert "Armenia change its constitution" in editor.heading.text()
    before = snapshot(sample.session.project)
    qtbot.keyClicks(focused(), "Constitutional referendum")
    qtbot.keyClick(focused(), Qt.Key.Key_Up)  # from the first match up to "Create …"
    qtbot.keyClick(focused(), Qt.Key.Key_Return)
    assert focused() is editor.actor_picker
    qtbot.keyClicks(focused(), "Aliev governmnt")  # a typo in an alias
    assert editor.actor_picker.current_choice().id == sample.azerbaijan
    qtbot.keyClick(focused(), Qt.Key.Key_Return)
    assert focused() is editor.polarity
    qtbot.keyClicks(focused(), "-2")
    assert editor.polarity.value == -2 and editor.polarity.caption.text() == "strongly against"
    qtbot.keyClick(focused(), Qt.Key.Key_Return)

    [stance] = live_stances(sample)
    target = sample.session.project.get(Target, stance.target_id)
    assert target.name == "Constitutional referendum"
    assert (stance.span_id, stance.actor_id, stance.polarity) == (
        sample.demand,
        sample.azerbaijan,
        -2,
    )
    assert editor.model.rowCount() == 1 and editor.target_picker.text() == ""
    assert editor.model.index(0, Column.POLARITY).data() == "−2 strongly against"
    sample.session.undo_stack.undo()  # one step: the stance and the target made for it
    assert snapshot(sample.session.project) == before
    assert editor.model.rowCount() == 0


def test_record_on_the_whole_document(qtbot, sample, editor) -> None:
    assert "whole document" in editor.heading.text()
    qtbot.keyClicks(focused(), "draft agrement")
    qtbot.keyClick(focused(), Qt.Key.Key_Return)
    qtbot.keyClick(focused(), Qt.Key.Key_Return)  # no actor
    for _ in range(2):
        qtbot.keyClick(focused(), Qt.Key.Key_Right)  # from the middle: 0, then +1
    qtbot.keyClick(focused(), Qt.Key.Key_Return)
    [stance] = live_stances(sample)
    assert (stance.target_id, stance.span_id, stance.actor_id, stance.polarity) == (
        sample.treaty_target,
        None,
        None,
        1,
    )
    assert editor.model.index(0, Column.EVIDENCE).data() == "whole document"


def test_missing_fields_are_asked_for_not_written(qtbot, sample, editor) -> None:
    before = snapshot(sample.session.project)
    assert editor.record() is None and "target" in editor.message.text()
    editor.target_picker.set_chosen(sample.treaty_target)
    assert editor.record() is None and "polarity" in editor.message.text()
    assert focused() is editor.polarity
    assert snapshot(sample.session.project) == before


def test_edit_and_delete_then_undo_restores_rows(qtbot, sample, editor) -> None:
    session = sample.session
    session.perform(
        ops.create_stance,
        document_id=sample.baku,
        target_id=sample.constitution_target,
        span_id=sample.demand,
        actor_id=sample.azerbaijan,
        polarity=2,
    )
    assert editor.model.rowCount() == 1
    editor.list.setCurrentIndex(editor.model.index(0, 0))
    created = snapshot(session.project)

    editor.list.setFocus()
    qtbot.keyClick(editor.list, Qt.Key.Key_F2)
    assert editor.editing is not None and editor.record_button.text() == "Save stance"
    editor.polarity.setFocus()
    qtbot.keyClicks(editor.polarity, "1")
    editor.note.setText("softened later")
    qtbot.keyClick(editor.note, Qt.Key.Key_Return)
    [stance] = live_stances(sample)
    assert (stance.polarity, stance.note, stance.actor_id) == (
        1,
        "softened later",
        sample.azerbaijan,
    )
    assert editor.editing is None and editor.record_button.text() == "Record stance"
    edited = snapshot(session.project)

    editor.list.setCurrentIndex(editor.model.index(0, 0))
    editor.list.setFocus()
    qtbot.keyClick(editor.list, Qt.Key.Key_Delete)
    assert live_stances(sample) == [] and editor.model.rowCount() == 0

    session.undo_stack.undo()
    assert snapshot(session.project) == edited and editor.model.rowCount() == 1
    session.undo_stack.undo()
    assert snapshot(session.project) == created


def test_escape_cancels_an_edit(qtbot, sample, editor) -> None:
    session = sample.session
    session.perform(
        ops.create_stance, document_id=sample.baku, target_id=sample.treaty_target, polarity=0
    )
    editor.list.setCurrentIndex(editor.model.index(0, 0))
    editor.edit_selected()
    assert editor.cancel_button.isVisible()
    qtbot.keyClick(editor.note, Qt.Key.Key_Escape)
    assert editor.editing is None and editor.target_picker.text() == ""


def test_activating_a_stance_selects_its_evidence(qtbot, sample, editor) -> None:
    sample.session.perform(
        ops.create_stance,
        document_id=sample.baku,
        target_id=sample.treaty_target,
        span_id=sample.corridor,
        polarity=-1,
    )
    index = editor.model.index(0, Column.EVIDENCE)
    assert index.data().startswith("“The Zangezur corridor")
    with qtbot.waitSignal(editor.open_requested) as opened:
        editor.list.activated.emit(index)
    assert sample.selection.span_id == sample.corridor
    assert opened.args == [sample.baku, sample.corridor]
    assert editor.model.index(0, 0).data(Qt.ItemDataRole.FontRole).bold()


def test_stance_model_passes_the_model_tester(qtmodeltester, sample) -> None:
    session = sample.session
    for span, polarity in ((sample.demand, -2), (None, 1)):
        session.perform(
            ops.create_stance,
            document_id=sample.baku,
            target_id=sample.treaty_target,
            span_id=span,
            actor_id=sample.armenia,
            polarity=polarity,
        )
    model = StanceListModel(session)
    model.load(sample.baku)
    assert model.rowCount() == 2 and model.index(0, Column.EVIDENCE).data() == "whole document"
    qtmodeltester.check(model)


def test_polarity_keys_follow_the_scale(qtbot) -> None:
    picker = PolarityPicker()
    qtbot.addWidget(picker)
    picker.set_scale({1: "low", 2: "mid", 3: "high"})
    qtbot.keyClicks(picker, "5")
    assert picker.value is None and "not on the scale" in picker.caption.text()
    qtbot.keyClick(picker, Qt.Key.Key_Left)  # starts from the middle
    assert picker.value == 2
    qtbot.keyClick(picker, Qt.Key.Key_End)
    assert picker.value == 3 and picker.caption.text() == "high"
    qtbot.keyClick(picker, Qt.Key.Key_Delete)
    assert picker.value is None


def test_polarity_buttons_follow_a_palette_change(qtbot) -> None:
    picker = PolarityPicker()
    qtbot.addWidget(picker)
    picker.set_scale({-1: "against", 0: "neutral", 1: "favour"})
    picker.set_value(1)
    picker.show()
    unchosen = picker._buttons[0]

    def middle_colour() -> QColor:
        return unchosen.grab().toImage().pixelColor(unchosen.rect().center() + QPoint(0, 6))

    assert middle_colour().lightness() > 128
    dark = QPalette(picker.palette())
    for role, colour in (
        (QPalette.ColorRole.Button, "#353535"),
        (QPalette.ColorRole.Window, "#2b2b2b"),
    ):
        dark.setColor(role, QColor(colour))
    dark.setColor(QPalette.ColorRole.ButtonText, QColor("#e6e6e6"))
    picker.setPalette(dark)  # as when the desktop turns dark
    assert middle_colour().lightness() < 100
    assert picker.value == 1 and "font-weight: bold" in picker._buttons[1].styleSheet()
