"""The codebook model and panel: every management action is one undoable core edit."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import QLineEdit

from annotator.core import ops
from annotator.gui.models.codebook import TAG_ID_ROLE, TAG_MIME, CodebookModel, Column
from annotator.gui.widgets.codebook_panel import CodebookPanel, next_colour
from tests.gui.tagging_sample import FakeAsker, Tagging, tagging_fixture  # noqa: F401  (fixture)


def model_of(t: Tagging) -> CodebookModel:
    return t.panel.codebook_model


def panel_of(t: Tagging, **answers) -> CodebookPanel:
    panel = t.panel.codebook
    panel.ask = FakeAsker(**answers)
    return panel


def tag(t: Tagging, name: str):
    return next(x for x in t.session.tags() if x.name == name)


def tagged_span(t: Tagging, *names: str, start: int = 0, end: int = 10) -> str:
    done = t.session.perform(
        ops.create_span,
        document_id=t.document,
        start=start,
        end=end,
        tags=[t.tags[n] for n in names],
    )
    return done.created("spans")[0]


def drop(model: CodebookModel, tag_id: str, onto: QModelIndex) -> bool:
    mime = model.mimeData([model.index_of(tag_id)])
    assert mime.hasFormat(TAG_MIME)
    return model.dropMimeData(mime, Qt.DropAction.MoveAction, -1, -1, onto)


def test_model_passes_the_model_tester_through_edits(qtmodeltester, tagging: Tagging) -> None:
    model = model_of(tagging)
    qtmodeltester.check(model)
    assert [model.index(r, 0).data() for r in range(model.rowCount())] == [
        "Framing",
        "Peace process",
        "Territory",
    ]
    territory = model.index_of(tagging.tags["Territory"])
    assert [model.index(r, 0, territory).data() for r in range(model.rowCount(territory))] == [
        "Lachin blockade",
        "Zangezur corridor",
    ]
    zangezur = model.index_of(tagging.tags["Zangezur corridor"])
    assert zangezur.siblingAtColumn(Column.SHORTCUT).data() == "1"
    assert zangezur.data(Qt.ItemDataRole.DecorationRole) is not None
    assert model.path(tagging.tags["Zangezur corridor"]) == "Territory/Zangezur corridor"
    tagged_span(tagging, "Zangezur corridor")
    assert zangezur.siblingAtColumn(Column.COUNT).data() == "1"
    align = zangezur.siblingAtColumn(Column.COUNT).data(Qt.ItemDataRole.TextAlignmentRole)
    assert align & Qt.AlignmentFlag.AlignRight
    tagging.session.perform(ops.update_tag, tag_id=tagging.tags["Framing"], name="Rhetoric")
    tagging.session.perform(ops.create_tag, name="Actors")
    tagging.session.perform(ops.delete_tag, tag_id=tagging.tags["Draft agreement"])
    tagging.session.undo_stack.undo()
    tagging.session.refresh()
    qtmodeltester.check(model)


def test_rename_inline_keeps_selection_and_undoes(qtbot, tagging: Tagging) -> None:
    model = model_of(tagging)
    tree = tagging.panel.codebook.tree
    framing = model.index_of(tagging.tags["Framing"])
    tree.setCurrentIndex(framing)
    kept = QPersistentModelIndex(framing)
    assert model.setData(framing, "Zeitgeist framing")  # re-sorts after Territory
    assert tag(tagging, "Zeitgeist framing").id == tagging.tags["Framing"]
    assert kept.isValid() and kept.data() == "Zeitgeist framing" and kept.row() == 2
    assert tree.currentIndex().data(TAG_ID_ROLE) == tagging.tags["Framing"]
    assert not model.setData(kept, "   ")  # a name is required; nothing happens
    tagging.session.undo_stack.undo()
    assert model.index_of(tagging.tags["Framing"]).data() == "Framing"


def test_rename_through_the_tree_editor(qtbot, tagging: Tagging) -> None:
    tagging.window.show()
    qtbot.waitExposed(tagging.window)
    panel = panel_of(tagging)
    panel.select_tag(tagging.tags["Lachin blockade"])
    panel.tree.setFocus()
    qtbot.keyClick(panel.tree, Qt.Key.Key_F2)
    editor = panel.tree.viewport().findChild(QLineEdit)
    assert isinstance(editor, QLineEdit) and editor.text() == "Lachin blockade"
    editor.selectAll()
    qtbot.keyClicks(editor, "Lachin corridor blockade")
    qtbot.keyClick(editor, Qt.Key.Key_Return)  # the delegate commits on a queued call
    qtbot.waitUntil(lambda: panel.tree.state() != panel.tree.State.EditingState)
    assert tag(tagging, "Lachin corridor blockade").id == tagging.tags["Lachin blockade"]
    assert tagging.session.undo_stack.count() == 1


def test_recolour_describe_and_shortcut(tagging: Tagging) -> None:
    panel = panel_of(tagging, colour="#123456", long_text="  How a text frames things.  ")
    panel.select_tag(tagging.tags["Framing"])
    panel.recolour_tag()
    panel.describe_tag()
    framing = tag(tagging, "Framing")
    assert (framing.colour, framing.description) == ("#123456", "How a text frames things.")
    panel.ask = FakeAsker(text="2")  # Lachin blockade has it: it moves here
    panel.set_shortcut()
    assert tag(tagging, "Framing").shortcut == "2"
    assert tag(tagging, "Lachin blockade").shortcut is None
    panel.ask = FakeAsker(text="")  # empty: no key
    panel.set_shortcut()
    assert tag(tagging, "Framing").shortcut is None
    panel.ask = FakeAsker(colour=None)  # cancelled: nothing happens
    steps = tagging.session.undo_stack.count()
    panel.recolour_tag()
    assert tagging.session.undo_stack.count() == steps == 4


def test_add_tag_inside_the_selected_one_with_a_fresh_colour(tagging: Tagging) -> None:
    panel = panel_of(tagging, text="Sequencing")
    panel.select_tag(tagging.tags["Peace process"])
    panel.add_tag()
    made = tag(tagging, "Sequencing")
    assert made.parent_id == tagging.tags["Peace process"]
    used = {t.colour for t in tagging.session.tags() if t.id != made.id}
    assert made.colour and made.colour not in used
    assert panel.tree.current_tag_id() == made.id
    assert panel.tree.isExpanded(model_of(tagging).index_of(tagging.tags["Peace process"]))
    panel.ask = FakeAsker(text="Economy")
    panel.add_top_tag()
    assert tag(tagging, "Economy").parent_id is None
    assert next_colour(["#FFD27F"]) == "#9fd8f5"


def test_drag_and_drop_reparents_and_refuses_cycles(qtmodeltester, tagging: Tagging) -> None:
    model = model_of(tagging)
    qtmodeltester.check(model)
    framing, territory = tagging.tags["Framing"], tagging.tags["Territory"]
    assert drop(model, framing, model.index_of(territory))
    assert tag(tagging, "Framing").parent_id == territory
    assert model.index_of(framing).parent().data(TAG_ID_ROLE) == territory
    assert drop(model, framing, QModelIndex())  # empty space: top level again
    assert tag(tagging, "Framing").parent_id is None
    failures: list[str] = []
    tagging.session.failed.connect(failures.append)
    before = tagging.rows("tags")
    assert not drop(model, territory, model.index_of(tagging.tags["Zangezur corridor"]))
    assert failures and "inside itself" in failures[0]
    assert tagging.rows("tags") == before
    assert not drop(model, territory, QModelIndex())  # already top-level: nothing to do
    tagging.session.undo_stack.undo()
    assert tag(tagging, "Framing").parent_id == territory
    qtmodeltester.check(model)


def test_delete_an_unused_tag_moves_its_children_up(tagging: Tagging) -> None:
    panel = panel_of(tagging)
    panel.select_tag(tagging.tags["Territory"])
    panel.delete_tag()
    assert panel.ask.asked == []  # nothing to lose: no question, and Undo is there
    assert tag(tagging, "Zangezur corridor").parent_id is None
    assert "Territory" not in {t.name for t in tagging.session.tags()}


def test_delete_a_used_tag_removing_it_from_its_passages(tagging: Tagging) -> None:
    span = tagged_span(tagging, "Framing", "Zangezur corridor")
    panel = panel_of(tagging, when_used=ops.WhenUsed.REMOVE)
    panel.select_tag(tagging.tags["Framing"])
    before = tagging.rows()
    panel.delete_tag()
    assert panel.ask.asked[0] == ("when_used", ("Framing", 1))
    assert tagging.span_tags(span) == {"Zangezur corridor"}
    tagging.session.undo_stack.undo()
    assert tagging.rows() == before


def test_delete_a_used_tag_merging_its_passages_or_cancelling(tagging: Tagging) -> None:
    span = tagged_span(tagging, "Lachin blockade")
    panel = panel_of(tagging, when_used=None)
    panel.select_tag(tagging.tags["Lachin blockade"])
    before = tagging.rows()
    panel.delete_tag()  # cancelled
    assert tagging.rows() == before
    panel.ask = FakeAsker(when_used=ops.WhenUsed.MERGE, pick="Territory")
    panel.delete_tag()
    assert tagging.span_tags(span) == {"Territory"}
    choices = {c.name for c in panel.ask.asked[-1][1][2]}
    assert "Lachin blockade" not in choices and "Territory" in choices


def test_merge_into_another_tag(tagging: Tagging) -> None:
    span = tagged_span(tagging, "Draft agreement", "Constitution demand")
    panel = panel_of(tagging, pick="Constitution demand")
    panel.select_tag(tagging.tags["Draft agreement"])
    panel.merge_tag()
    assert tagging.span_tags(span) == {"Constitution demand"}
    assert "Draft agreement" not in {t.name for t in tagging.session.tags()}
    assert model_of(tagging).count(tagging.tags["Constitution demand"]) == 1
    # A tag's own descendants are not offered: merging into them would strand them.
    panel.ask = FakeAsker(pick=None)
    panel.select_tag(tagging.tags["Territory"])
    panel.merge_tag()
    offered = {c.name for c in panel.ask.asked[-1][1][2]}
    assert offered.isdisjoint({"Territory", "Zangezur corridor", "Lachin blockade"})


def test_tag_actions_are_disabled_without_a_current_tag(tagging: Tagging) -> None:
    panel = panel_of(tagging)
    panel.tree.setCurrentIndex(QModelIndex())
    assert not panel.delete_action.isEnabled() and panel.add_action.isEnabled()
    panel.select_tag(tagging.tags["Framing"])
    assert panel.delete_action.isEnabled()
