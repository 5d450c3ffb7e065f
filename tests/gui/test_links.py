"""The link picker (Ctrl+L) and the links panel."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QDialog, QWidget

from annotator.core import ops
from annotator.core.model import Link
from annotator.gui.models.links import Column, LinksModel
from annotator.gui.widgets.link_picker import LinkAction, LinkPicker
from annotator.gui.widgets.links_panel import LinksPanel, link_card
from tests.gui.linking_sample import Sample, make_sample, show_and_focus, snapshot


@pytest.fixture
def sample(qapp, tmp_path: Path):
    made = make_sample(tmp_path)
    yield made
    made.session.close()


def live_links(sample: Sample) -> list[Link]:
    return list(sample.session.project.records(Link))


def open_picker(qtbot, sample: Sample, source: str) -> LinkPicker:
    dialog = LinkPicker(sample.session, source)
    qtbot.addWidget(dialog)
    show_and_focus(qtbot, dialog, dialog.search)
    return dialog


# -- the picker --------------------------------------------------------------------------------


def test_typo_query_finds_a_span_in_another_document_and_links_it(qtbot, sample) -> None:
    dialog = open_picker(qtbot, sample, sample.demand)
    assert "Armenia change its constitution" in dialog.origin.text()
    qtbot.keyClicks(dialog.search, "constitutinal amendmnt")
    assert dialog.chosen().id == sample.rejection
    dialog.type_box.setCurrentText("contradicts")
    dialog.note.setText("direct reply")
    qtbot.keyClick(dialog.search, Qt.Key.Key_Return)
    assert dialog.result() == QDialog.DialogCode.Accepted
    [link] = live_links(sample)
    assert (link.from_span_id, link.to_span_id, link.to_document_id) == (
        sample.demand,
        sample.rejection,
        sample.yerevan,
    )
    assert (link.type, link.note) == ("contradicts", "direct reply")


def test_search_reaches_tags_and_the_type_defaults_to_responds_to(qtbot, sample) -> None:
    dialog = open_picker(qtbot, sample, sample.corridor)
    assert dialog.type_box.currentText() == "responds to"
    qtbot.keyClicks(dialog.search, "constitution demand")  # a tag name, not in either quote
    found = [dialog.search.model.choice(r).id for r in range(dialog.search.model.rowCount())]
    assert sample.demand in found and sample.rejection in found
    assert sample.corridor not in found  # never the source itself


def test_document_filter_and_linking_to_a_whole_document(qtbot, sample) -> None:
    dialog = open_picker(qtbot, sample, sample.demand)
    dialog.document_filter.setCurrentIndex(dialog.document_filter.findData(sample.yerevan))
    ids = {item.id for item in dialog.search.items()}
    assert ids == {sample.yerevan, sample.rejection, sample.sovereignty}
    qtbot.keyClicks(dialog.search, "yerevans reply")
    assert dialog.chosen().id == sample.yerevan
    qtbot.keyClick(dialog.search, Qt.Key.Key_Enter)
    [link] = live_links(sample)
    assert (link.to_document_id, link.to_span_id) == (sample.yerevan, None)


def test_down_moves_and_nothing_chosen_keeps_the_dialog_open(qtbot, sample) -> None:
    dialog = open_picker(qtbot, sample, sample.demand)
    first = dialog.chosen()
    qtbot.keyClick(dialog.search, Qt.Key.Key_Down)
    assert dialog.chosen() != first
    qtbot.keyClicks(dialog.search, "zzzzqqqq")
    qtbot.keyClick(dialog.search, Qt.Key.Key_Return)
    assert dialog.isVisible() and "Nothing matches" in dialog.message.text()
    assert live_links(sample) == []


def test_link_action_needs_a_document(qtbot, sample) -> None:
    window = QWidget()
    qtbot.addWidget(window)
    action = LinkAction(sample.session, sample.selection, window)
    assert action.shortcut() == QKeySequence("Ctrl+L")
    assert action.shortcutContext() == Qt.ShortcutContext.WindowShortcut
    assert not action.isEnabled() and action.pick_and_link() is None
    sample.selection.set_document(sample.baku)
    assert action.isEnabled()


# -- the panel ---------------------------------------------------------------------------------


@pytest.fixture
def linked(sample: Sample) -> Sample:
    """demand → rejection (contradicts), sovereignty → demand (responds to),
    demand → Yerevan's reply as a whole (cites)."""
    perform = sample.session.perform
    perform(ops.create_link, source=sample.demand, target=sample.rejection, type="contradicts")
    perform(ops.create_link, source=sample.sovereignty, target=sample.demand, type="responds to")
    perform(ops.create_link, source=sample.demand, target=sample.yerevan, type="cites", note="n")
    return sample


@pytest.fixture
def panel(qtbot, linked: Sample) -> LinksPanel:
    widget = LinksPanel(linked.session, linked.selection)
    widget.resize(700, 300)
    qtbot.addWidget(widget)
    linked.selection.set_document(linked.baku)
    linked.selection.set_span(linked.demand)
    show_and_focus(qtbot, widget, widget.view)
    return widget


def cells(panel: LinksPanel, *columns: Column) -> list[tuple]:
    model = panel.model
    return [tuple(model.index(r, c).data() for c in columns) for r in range(model.rowCount())]


def test_panel_lists_outgoing_and_incoming_with_quotes(panel, linked) -> None:
    assert "Armenia change its constitution" in panel.heading.text()
    columns = (Column.DIRECTION, Column.TYPE, Column.DOCUMENT, Column.PASSAGE, Column.NOTE)
    assert cells(panel, *columns) == [
        ("→", "cites", "Yerevan's reply", "whole document", "n"),
        (
            "→",
            "contradicts",
            "Yerevan's reply",
            "“rejects the demand for a constitutional amendment”",
            "",
        ),
        ("←", "responds to", "Yerevan's reply", "“a threat to sovereignty”", ""),
    ]
    card = link_card(panel.model.row(2))
    assert (card.title, card.subtitle) == ("← responds to", " · Yerevan's reply")
    assert card.lines == (("“a threat to sovereignty”", False),)


def test_activating_a_row_opens_the_other_end(qtbot, panel, linked) -> None:
    panel.view.setCurrentIndex(panel.model.index(2, 0))
    with qtbot.waitSignal(panel.open_requested) as opened:
        qtbot.keyClick(panel.view, Qt.Key.Key_Return)
    assert opened.args == [linked.yerevan, linked.sovereignty]
    with qtbot.waitSignal(panel.open_requested) as opened:
        panel.view.activated.emit(panel.model.index(0, Column.PASSAGE))
    assert opened.args == [linked.yerevan, ""]


def test_delete_key_removes_a_link_and_undo_restores_it(qtbot, panel, linked) -> None:
    before = snapshot(linked.session.project)
    panel.view.setCurrentIndex(panel.model.index(1, 0))
    qtbot.keyClick(panel.view, Qt.Key.Key_Delete)
    assert panel.model.rowCount() == 2 and len(live_links(linked)) == 2
    linked.session.undo_stack.undo()
    assert snapshot(linked.session.project) == before and panel.model.rowCount() == 3


def test_without_a_span_the_document_lists_every_link(panel, linked) -> None:
    linked.selection.set_span("")
    assert "Baku's terms" in panel.heading.text()
    card = panel._card(panel.model.index(0, 0))  # cites: a whole document, so "from" matters
    assert card.lines == (
        ("the whole document", True),
        ("from “Armenia change its constitution”", False),
        ("Note: n", False),
    )
    assert len(cells(panel, Column.TYPE)) == 3
    linked.selection.set_document(linked.yerevan)
    rows = cells(panel, Column.DIRECTION, Column.TYPE, Column.PASSAGE, Column.HERE)
    assert rows == [
        ("→", "responds to", "“Armenia change its constitution”", "“a threat to sovereignty”"),
        ("←", "cites", "“Armenia change its constitution”", "whole document"),
        (
            "←",
            "contradicts",
            "“Armenia change its constitution”",
            "“rejects the demand for a constitutional amendment”",
        ),
    ]


def test_panel_follows_new_links_and_type_changes(panel, linked) -> None:
    linked.session.perform(
        ops.create_link, source=linked.corridor, target=linked.demand, type="elaborates"
    )
    assert panel.model.rowCount() == 4
    row = panel.model.row(0)
    panel.set_type(row.link_id, "supports")
    assert panel.model.row(panel.model.row_of(row.link_id)).type == "supports"


def test_links_model_passes_the_model_tester(qtmodeltester, linked) -> None:
    model = LinksModel(linked.session)
    model.load(span_id=linked.demand, document_id=linked.baku)
    assert model.rowCount() == 3
    qtmodeltester.check(model)
    model.load(document_id=linked.yerevan)
    qtmodeltester.check(model)


def test_side_by_side_shows_both_ends_selected_and_notices_deletion(qtbot, panel, linked) -> None:
    panel.view.setCurrentIndex(panel.model.index(1, 0))  # demand → rejection (contradicts)
    window = panel.compare_selected()
    qtbot.addWidget(window)
    assert window.source.view.selected_range() is not None
    source_text = window.source.view.textCursor().selectedText()
    target_text = window.target.view.textCursor().selectedText()
    assert source_text == "Armenia change its constitution"
    assert target_text == "rejects the demand for a constitutional amendment"
    assert "contradicts" in window.heading.text()
    assert window.target.title.text() == "Yerevan's reply"
    with qtbot.waitSignal(window.link_gone):
        panel.delete_selected()
    assert "no longer exists" in window.heading.text()
    linked.session.undo_stack.undo()
    assert window.target.view.textCursor().selectedText() == target_text
