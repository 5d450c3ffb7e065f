"""Reviewing after a merge: the conflict log (dismiss, restore), orphaned annotations (anchor
them on a selection), and Document › Replace text… — each undoable."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QFileDialog, QLabel

from annotator.core import ops
from annotator.core.merge import merge_projects
from annotator.core.model import Conflict, Document, Span, Tag
from annotator.core.store import Project
from annotator.gui.main_window import MainWindow
from annotator.gui.session import Session
from annotator.gui.widgets.conflicts_view import DOCUMENT_TEXT_NOTE, ConflictsView
from annotator.gui.widgets.orphans_view import THIS_DOCUMENT
from tests.gui.conftest import ARMENIA_TEXT
from tests.gui.merge_sample import (
    ORPHAN_QUOTE,
    SHOTS,
    STATEMENT,
    Pair,
    main_window,
    make_pair,
    record_warnings,
    snapshot,
)


@pytest.fixture
def merged(tmp_path: Path) -> Pair:
    """MINE after a merge of THEIRS: two conflicts logged, one orphan."""
    pair = make_pair(tmp_path)
    with Project.open(pair.mine) as mine:
        me = ops.ensure_annotator(mine, "Ani").id
        merge_projects(mine, pair.theirs, by=me, apply=True)
    return pair


@pytest.fixture
def warnings(monkeypatch) -> list[str]:
    return record_warnings(monkeypatch)


@pytest.fixture
def window(qtbot, temp_settings, merged: Pair, warnings):
    with main_window(qtbot, merged.mine) as made:
        yield made


def conflict_of(session: Session, record_id: str) -> str:
    (found,) = [c.id for c in session.conflicts() if c.record_id == record_id]
    return found


def review_the_tag_conflict(window: MainWindow, merged: Pair) -> str:
    """Show the conflicts with the one on the tag both edited as current; its id."""
    window.actions["conflicts"].trigger()
    entry = conflict_of(window.session, merged.constitution)
    window.conflicts_view.select(entry)
    return entry


def fields(view: ConflictsView) -> dict[str, tuple[str, str]]:
    model = view.fields
    return {
        model.data(model.index(r, 0)): (
            model.data(model.index(r, 1)),
            model.data(model.index(r, 2)),
        )
        for r in range(model.rowCount())
    }


# -- conflicts ------------------------------------------------------------------------------


def test_the_conflicts_view_lists_the_log_and_both_versions(
    qtbot, qtmodeltester, window: MainWindow, merged: Pair
) -> None:
    view = window.conflicts_view
    assert not window.conflicts_dock.isVisible()
    window.actions["conflicts"].trigger()
    assert window.conflicts_dock.isVisible() and view.table.hasFocus()
    qtmodeltester.check(view.model)
    listed = {
        tuple(view.model.data(view.model.index(r, c)) for c in range(5))[:4]
        for r in range(view.model.rowCount())
    }
    assert listed == {
        (
            "tag",
            "Constitution",
            "changed on both sides; kept their later version",
            "theirs.annotator",
        ),
        (
            "document",
            "Statement",
            "the texts differ; kept this project's text and carried their spans over",
            "theirs.annotator",
        ),
    }
    assert "2 conflicts to review" in view.heading.text()

    assert view.select(conflict_of(window.session, merged.constitution))
    qtmodeltester.check(view.fields)
    shown = fields(view)
    assert shown["Description"] == ("theirs, later", "mine")
    assert shown["Made by"] == ("Ani", "Ani")  # ids read as names
    assert shown["Name"] == ("Constitution", "Constitution")
    assert view.fields.row(0).differs and not view.fields.row(view.fields.rowCount() - 1).differs
    assert view.dismiss_button.isEnabled() and view.restore_button.isEnabled()

    view.select(conflict_of(window.session, merged.statement))
    assert DOCUMENT_TEXT_NOTE in view.reason.text()
    assert fields(view)["Title"] == ("Statement", "Statement (their copy)")

    SHOTS.mkdir(exist_ok=True)
    view.select(conflict_of(window.session, merged.constitution))
    alone = ConflictsView(window.session)
    qtbot.addWidget(alone)
    alone.resize(980, 300)
    alone.show()
    alone.select(conflict_of(window.session, merged.constitution))
    qtbot.wait(50)  # let the layout settle
    alone.grab().save(str(SHOTS / "conflicts_view.png"))
    window.grab().save(str(SHOTS / "window_with_conflicts_dock.png"))


def test_dismiss_with_the_delete_key_and_undo(qtbot, window: MainWindow, merged: Pair) -> None:
    project, view = window.session.project, window.conflicts_view
    entry = review_the_tag_conflict(window, merged)
    before = snapshot(project)
    qtbot.keyClick(view.table, Qt.Key.Key_Delete)
    assert not project.get(Conflict, entry).live  # a tombstone: the log keeps it
    assert project.require(Tag, merged.constitution).description == "theirs, later"
    assert view.model.rowCount() == 1 and view.model.row_of(entry) == -1
    assert view.current() is not None  # the next entry is current: review goes on
    window.actions["undo"].trigger()
    assert snapshot(project) == before and view.model.row_of(entry) >= 0


def test_restore_the_other_version_and_undo(window: MainWindow, merged: Pair) -> None:
    session, project = window.session, window.session.project
    entry = review_the_tag_conflict(window, merged)
    before = snapshot(project)
    window.conflicts_view.restore_button.click()
    assert project.require(Tag, merged.constitution).description == "mine"
    assert not project.get(Conflict, entry).live
    assert session.undo_stack.undoText() == "Restore the other version"
    window.actions["undo"].trigger()
    assert snapshot(project) == before
    assert project.require(Tag, merged.constitution).description == "theirs, later"


def test_a_hidden_view_reads_the_log_when_shown(window: MainWindow, merged: Pair) -> None:
    session = window.session
    session.perform(ops.dismiss_conflict, conflict_id=conflict_of(session, merged.statement))
    window.actions["conflicts"].trigger()
    assert window.conflicts_view.model.rowCount() == 1


def test_the_review_panels_alt_keys_clash_with_nothing_in_the_window(window: MainWindow) -> None:
    window.actions["conflicts"].trigger()
    window.orphans_dock.show()
    letters: Counter[str] = Counter(
        a.text()[a.text().index("&") + 1].lower() for a in window.menuBar().actions()
    )
    mine: list[str] = []
    for widget in [*window.findChildren(QAbstractButton), *window.findChildren(QLabel)]:
        found = re.search(r"&(\w)", widget.text())
        if found and widget.isVisibleTo(window):
            letters[found.group(1).lower()] += 1
            if window.conflicts_view.isAncestorOf(widget) or window.orphans_view.isAncestorOf(
                widget
            ):
                mine.append(found.group(1).lower())
    assert len(mine) == 6 and all(letters[letter] == 1 for letter in mine), letters
    SHOTS.mkdir(exist_ok=True)
    window.grab().save(str(SHOTS / "window_with_both_docks.png"))


# -- orphans --------------------------------------------------------------------------------


def test_orphans_are_listed_opened_and_anchored_on_a_selection(
    qtbot, qtmodeltester, window: MainWindow, merged: Pair
) -> None:
    session, project = window.session, window.session.project
    view = window.orphans_view
    window.actions["orphans"].trigger()
    assert window.orphans_dock.isVisible() and view.table.hasFocus()
    qtmodeltester.check(view.model)
    row = [view.model.data(view.model.index(0, c)) for c in range(4)]
    assert row == ["Statement", f"“{ORPHAN_QUOTE}”", "Lusine", "Corridor"]
    assert "their reading" in view.model.data(view.model.index(0, 1), Qt.ItemDataRole.ToolTipRole)
    SHOTS.mkdir(exist_ok=True)
    qtbot.wait(50)  # let the layout settle
    view.grab().save(str(SHOTS / "orphans_view.png"))

    window.open_document(merged.illusion)
    view.select(merged.orphan_span)
    assert not window.pane.view.has_span(merged.orphan_span)
    qtbot.keyClick(view.table, Qt.Key.Key_Return)  # activated: open its document
    assert window.selection.document_id == merged.statement
    assert window.pane.view.text() == STATEMENT

    before = snapshot(project)
    window.actions["anchor_orphan"].trigger()  # nothing selected in the text yet
    assert snapshot(project) == before and "Select the passage" in view.hint.text()

    start = STATEMENT.index("announced protests")
    window.pane.view.select_range(start, start + len("announced protests"))
    assert window.selection.text_range == (start, start + 18)
    window.actions["anchor_orphan"].trigger()
    span = project.require(Span, merged.orphan_span)
    assert (span.start, span.end, span.quote, span.orphaned_at) == (
        start,
        start + 18,
        "announced protests",
        None,
    )
    assert view.model.rowCount() == 0 and "0 orphans" in view.count.text()
    assert session.undo_stack.undoText() == "Anchor annotation here"
    assert window.selection.span_id == merged.orphan_span

    window.actions["undo"].trigger()
    assert snapshot(project) == before
    assert view.model.row_of(merged.orphan_span) == 0


def test_anchoring_needs_the_orphans_document_open(window: MainWindow, merged: Pair) -> None:
    project = window.session.project
    view = window.orphans_view
    window.actions["orphans"].trigger()
    window.open_document(merged.illusion)
    view.select(merged.orphan_span)
    window.pane.view.select_range(0, 7)
    before = snapshot(project)
    assert not view.anchor_here()
    assert snapshot(project) == before
    assert "Open “Statement”" in window.statusBar().currentMessage()


def test_the_orphans_of_this_document_only(window: MainWindow, merged: Pair) -> None:
    view = window.orphans_view
    window.actions["orphans"].trigger()
    view.set_scope(THIS_DOCUMENT)
    window.open_document(merged.illusion)
    assert view.model.rowCount() == 0
    window.open_document(merged.statement)
    assert view.model.row_of(merged.orphan_span) == 0


# -- replacing a document's text ------------------------------------------------------------


NEW_ARMENIA = "Editor's note: updated after the June talks.\n\n" + ARMENIA_TEXT.replace(
    "Baku insists that Yerevan first change its constitution.", ""
)


def test_replace_text_moves_annotations_reports_orphans_and_undoes(
    qtbot, window: MainWindow, merged: Pair, tmp_path: Path, monkeypatch
) -> None:
    session, project = window.session, window.session.project
    start = ARMENIA_TEXT.index("draft peace agreement")
    made = session.perform(
        ops.create_span, document_id=merged.illusion, start=start, end=start + 21
    )
    kept = made.created("spans")[0]
    (lost,) = [s.id for s in session.spans(merged.illusion) if s.quote == "change its constitution"]
    window.open_document(merged.illusion)
    new_file = tmp_path / "illusion-v2.txt"
    new_file.write_text(NEW_ARMENIA, encoding="utf-8")
    before = snapshot(project)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *_a, **_k: (str(new_file), ""))
    with qtbot.waitSignal(window.merging.retexted) as done:
        window.actions["replace_text"].trigger()

    assert sorted(m.method for m in done.args[0]) == ["exact", "orphaned"]
    assert project.require(Document, merged.illusion).text == NEW_ARMENIA
    assert window.pane.view.text() == NEW_ARMENIA
    moved = project.require(Span, kept)
    assert NEW_ARMENIA[moved.start : moved.end] == "draft peace agreement"
    assert project.require(Span, lost).orphaned_at is not None
    box = window.merging.report_box
    assert box is not None and box.isVisible()
    assert "1 annotation moved" in box.text() and "1 could not be placed" in box.text()
    assert "change its constitution" in box.informativeText()
    SHOTS.mkdir(exist_ok=True)
    box.grab().save(str(SHOTS / "replace_text_report.png"))
    review = [b for b in box.buttons() if "Review orphans" in b.text()]
    review[0].click()
    assert window.orphans_dock.isVisible()
    assert window.orphans_view.model.row_of(lost) >= 0

    assert session.undo_stack.undoText() == "Replace document text"
    window.actions["undo"].trigger()
    assert snapshot(project) == before
    assert window.pane.view.text() == ARMENIA_TEXT


def test_replace_text_refuses_an_unreadable_file(
    window: MainWindow, merged: Pair, tmp_path: Path, warnings: list[str]
) -> None:
    project = window.session.project
    window.open_document(merged.illusion)
    before = snapshot(project)
    odd = tmp_path / "figures.xyz"
    odd.write_bytes(b"\x00\x01")
    assert window.merging.replace_text(odd) is None
    assert len(warnings) == 1 and "figures.xyz" in warnings[0]
    empty = tmp_path / "empty.txt"
    empty.write_text("   \n", encoding="utf-8")
    assert window.merging.replace_text(empty) is None
    assert len(warnings) == 2 and "empty" in warnings[1]
    assert snapshot(project) == before and window.merging.report_box is None


def test_the_same_text_changes_nothing(window: MainWindow, merged: Pair, tmp_path: Path) -> None:
    window.open_document(merged.illusion)
    same = tmp_path / "same.txt"
    same.write_text(ARMENIA_TEXT, encoding="utf-8")
    assert window.merging.replace_text(same) == []
    assert "nothing changed" in window.merging.report_box.text()
    assert not window.session.undo_stack.count()


def test_replace_text_without_a_document_says_so(window: MainWindow, monkeypatch) -> None:
    asked: list[object] = []
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **_k: asked.append(a))
    window.selection.set_document("")
    window.actions["replace_text"].trigger()
    assert not asked and "Open the document" in window.statusBar().currentMessage()
