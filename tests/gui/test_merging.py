"""File › Merge colleague's project…: dry run, review, merge as one undoable step, cancel,
refusals; Document › Replace text… is in test_conflicts_orphans.py."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QFileDialog

from annotator.core.model import Span, Tag
from annotator.core.store import Project
from annotator.gui.main_window import MainWindow
from annotator.gui.widgets.merge_dialog import MergeDialog
from tests.gui.merge_sample import (
    MOVED_QUOTE,
    ORPHAN_QUOTE,
    SHOTS,
    STATEMENT,
    Pair,
    main_window,
    make_pair,
    record_warnings,
    snapshot,
)

JOB_TIMEOUT_MS = 20_000


@pytest.fixture
def pair(tmp_path: Path) -> Pair:
    return make_pair(tmp_path)


@pytest.fixture(autouse=True)
def warnings(monkeypatch) -> list[str]:
    return record_warnings(monkeypatch)


@pytest.fixture
def window(qtbot, temp_settings, pair: Pair):
    with main_window(qtbot, pair.mine) as made:
        yield made


def review(qtbot, window: MainWindow, their_path: Path, monkeypatch) -> MergeDialog:
    """Merge through the action, the file chosen in the (scripted) file dialog."""
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *_a, **_k: (str(their_path), ""))
    with qtbot.waitSignal(window.merging.reviewing, timeout=JOB_TIMEOUT_MS) as opened:
        window.actions["merge_project"].trigger()
    dialog = opened.args[0]
    assert isinstance(dialog, MergeDialog) and dialog.isVisible()
    return dialog


def merge(qtbot, window: MainWindow, dialog: MergeDialog):
    with qtbot.waitSignal(window.merging.merged, timeout=JOB_TIMEOUT_MS) as done:
        dialog.merge_button.click()
    qtbot.waitUntil(lambda: not window.files.jobs, timeout=JOB_TIMEOUT_MS)
    return done.args[0]


def cells(model) -> list[list[str]]:
    return [
        [model.data(model.index(r, c)) for c in range(model.columnCount())]
        for r in range(model.rowCount())
    ]


def test_the_action_sits_in_the_file_menu_with_its_shortcut(window: MainWindow) -> None:
    action = window.actions["merge_project"]
    assert action in window.menus["&File"].actions()
    assert action.shortcuts()[0] == QKeySequence("Ctrl+Shift+M")
    assert window.actions["replace_text"] in window.menus["&Document"].actions()
    assert window.actions["conflicts"] in window.menus["&View"].actions()


def test_a_dry_run_opens_the_report_and_changes_nothing(
    qtbot, qtmodeltester, window: MainWindow, pair: Pair, monkeypatch
) -> None:
    project = window.session.project
    before = snapshot(project)
    backups = set(pair.mine.parent.glob("*.bak"))
    dialog = review(qtbot, window, pair.theirs, monkeypatch)
    assert snapshot(project) == before and set(pair.mine.parent.glob("*.bak")) == backups

    for model in (dialog.counts, dialog.documents, dialog.similar, dialog.moved):
        qtmodeltester.check(model)
    qtmodeltester.check(dialog.orphans)
    qtmodeltester.check(dialog.conflicts)
    outcomes = [dialog.counts.headerData(c, Qt.Orientation.Horizontal) for c in range(6)]
    assert outcomes == ["New", "Updated", "Unchanged", "Conflicts", "Moved", "Orphaned"]
    assert dialog.counts.count("spans", "new") == 3
    assert dialog.counts.count("spans", "reanchored") == 1
    assert dialog.counts.count("spans", "orphaned") == 1
    assert dialog.counts.count("tags", "conflicts") == 1
    assert dialog.counts.count("documents", "conflicts") == 1  # their text differs: logged
    assert "2 conflicts" in dialog.summary.text()

    (fuzzy,) = [m for m in dialog.documents.rows() if m.how == "fuzzy"]
    assert (fuzzy.their_id, fuzzy.my_id) == (pair.their_statement, pair.statement)
    row = dialog.documents.row_of(pair.their_statement)
    assert dialog.documents.data(dialog.documents.index(row, 1)) == "Statement"
    assert dialog.documents.data(
        dialog.documents.index(row, 0), Qt.ItemDataRole.CheckStateRole
    ) == (Qt.CheckState.Checked)
    exact_row = dialog.documents.row_of(pair.illusion)
    assert not dialog.documents.flags(dialog.documents.index(exact_row, 0)) & (
        Qt.ItemFlag.ItemIsUserCheckable
    )
    assert cells(dialog.similar) == [["Corridors", "Corridor", "tag", "94"]]
    assert dialog.similar.data(dialog.similar.index(0, 0), Qt.ItemDataRole.CheckStateRole) == (
        Qt.CheckState.Unchecked
    )
    assert [r[0] for r in cells(dialog.moved)] == [f"{MOVED_QUOTE}"]
    assert cells(dialog.moved)[0][1:3] == ["Statement", "found exactly"]
    assert cells(dialog.orphans) == [[ORPHAN_QUOTE, "Statement"]]
    document_conflict, conflict = sorted(cells(dialog.conflicts))
    assert document_conflict[:3] == ["document", "Statement", "this project's"]
    assert conflict[:3] == ["tag", "Constitution", "their version"]
    assert "changed on both sides" in conflict[3]
    assert dialog.options().refused_documents == frozenset() and not dialog.options().names

    SHOTS.mkdir(exist_ok=True)
    dialog.grab().save(str(SHOTS / "merge_report_summary.png"))
    dialog.tabs.setCurrentIndex(1)
    dialog.grab().save(str(SHOTS / "merge_report_documents.png"))
    for number, name in ((2, "names"), (3, "moved"), (4, "orphans"), (5, "conflicts")):
        dialog.tabs.setCurrentIndex(number)
        dialog.grab().save(str(SHOTS / f"merge_report_{name}.png"))
    dialog.reject()  # Cancel: nothing merged
    qtbot.wait(50)
    assert snapshot(project) == before and not window.session.undo_stack.count()


def test_the_merge_is_one_undoable_step_and_names_its_backup(
    qtbot, window: MainWindow, pair: Pair, monkeypatch
) -> None:
    session, project = window.session, window.session.project
    before = snapshot(project)
    dialog = review(qtbot, window, pair.theirs, monkeypatch)
    report = merge(qtbot, window, dialog)

    assert report.applied and Path(report.backup).exists()
    assert Path(report.backup).name in window.statusBar().currentMessage()
    assert snapshot(Project.open(Path(report.backup))) == before
    spans = {s.id: s for s in project.records(Span)}
    lusine = {a.name: a.id for a in session.annotators()}["Lusine"]
    assert spans[pair.new_span].created_by == lusine
    moved = spans[pair.moved_span]
    assert moved.document_id == pair.statement and STATEMENT[moved.start : moved.end] == MOVED_QUOTE
    assert spans[pair.orphan_span].orphaned_at is not None
    assert project.require(Tag, pair.constitution).description == "theirs, later"
    logged = {c.record_id: c.record_table for c in session.conflicts()}
    assert logged == {pair.constitution: "tags", pair.statement: "documents"}  # texts differ
    assert project.get(Tag, pair.near_twin) is not None  # not mapped unless ticked
    assert session.undo_stack.count() == 1
    assert session.undo_stack.undoText() == "Merge theirs.annotator"
    assert "4 spans" in window.status_counts.text()  # 1 of mine, 3 of theirs
    assert window.conflicts_dock.isVisible() or window.orphans_dock.isVisible()
    after = snapshot(project)

    window.actions["undo"].trigger()
    assert snapshot(project) == before
    assert "1 spans" in window.status_counts.text()
    window.actions["redo"].trigger()
    assert snapshot(project) == after


def test_untick_a_document_and_tick_a_name_and_the_merge_follows(
    qtbot, window: MainWindow, pair: Pair, monkeypatch
) -> None:
    project = window.session.project
    dialog = review(qtbot, window, pair.theirs, monkeypatch)
    # Keyboard first: Space toggles the current row's tick.
    dialog.tabs.setCurrentIndex(1)
    row = dialog.documents.row_of(pair.their_statement)
    dialog.documents_view.setCurrentIndex(dialog.documents.index(row, 0))
    qtbot.keyClick(dialog.documents_view, Qt.Key.Key_Space)
    assert dialog.documents.unticked_rows()[0].their_id == pair.their_statement
    dialog.similar.set_ticked(0, True)
    options = dialog.options()
    assert options.refused_documents == frozenset({pair.their_statement})
    assert dict(options.names) == {pair.near_twin: pair.corridor}
    merge(qtbot, window, dialog)

    titles = sorted(d.title for d in window.session.documents())
    assert titles == ["Courage", "Illusion", "Statement", "Statement (their copy)"]
    moved = project.require(Span, pair.moved_span)
    assert moved.document_id == pair.their_statement and moved.orphaned_at is None
    assert project.require(Span, pair.orphan_span).orphaned_at is None  # its text came too
    assert project.get(Tag, pair.near_twin) is None
    assert window.session.tags_by_span(span_ids=[pair.moved_span]) == {
        pair.moved_span: [pair.corridor]
    }
    assert window.document_list.model.rowCount() == 4


def test_cancel_during_the_merge_leaves_the_project_unchanged(
    qtbot, window: MainWindow, pair: Pair, monkeypatch
) -> None:
    project = window.session.project
    before = snapshot(project)
    dialog = review(qtbot, window, pair.theirs, monkeypatch)
    cancelled: list[bool] = []
    merged: list[object] = []
    window.merging.merged.connect(merged.append)

    def cancel_after_the_first_batch(job) -> None:
        # In the job's own thread, as the progress dialog's Cancel would while it runs.
        job.stepped.connect(lambda *_: job.cancel(), Qt.ConnectionType.DirectConnection)
        job.cancelled.connect(lambda: cancelled.append(True))

    window.merging.job_started.connect(cancel_after_the_first_batch)
    dialog.merge_button.click()
    qtbot.waitUntil(lambda: bool(cancelled) and not window.files.jobs, timeout=JOB_TIMEOUT_MS)
    assert snapshot(project) == before and not merged
    assert not window.session.undo_stack.count()
    assert "cancelled" in window.statusBar().currentMessage()


@pytest.mark.parametrize("case", ["not a project", "the same file", "newer", "missing"])
def test_a_bad_file_is_refused_in_a_message_box(
    qtbot, window: MainWindow, pair: Pair, monkeypatch, warnings: list[str], case: str
) -> None:
    project = window.session.project
    before = snapshot(project)
    shown = warnings
    reviewing: list[object] = []
    window.merging.reviewing.connect(reviewing.append)
    folder = pair.mine.parent
    if case == "not a project":
        path = folder / "notes.annotator"
        path.write_text("Meeting notes, not a project.\n", encoding="utf-8")
    elif case == "the same file":
        path = pair.mine
    elif case == "newer":
        path = pair.theirs
        with sqlite3.connect(path) as conn:
            conn.execute("PRAGMA user_version = 999")
        conn.close()
    else:
        path = folder / "gone.annotator"
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *_a, **_k: (str(path), ""))
    window.actions["merge_project"].trigger()
    qtbot.waitUntil(lambda: bool(shown) and not window.files.jobs, timeout=JOB_TIMEOUT_MS)
    assert len(shown) == 1 and "\n" not in shown[0]
    expected = {
        "not a project": "not",
        "the same file": "open project itself",
        "newer": "newer",
        "missing": "no such",
    }[case]
    assert expected in shown[0].lower(), shown[0]
    assert not reviewing and snapshot(project) == before
    assert not list(folder.glob("*.bak"))


def test_choosing_no_file_does_nothing(window: MainWindow, monkeypatch) -> None:
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *_a, **_k: ("", ""))
    window.actions["merge_project"].trigger()
    assert not window.files.jobs and window.merging.dialog is None
