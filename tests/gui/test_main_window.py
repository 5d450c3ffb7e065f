"""The main window: composition, menus from one table, state kept, imports, exports, undo."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from PySide6.QtCore import QDate, QMimeData, Qt, QUrl
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QDialog, QMessageBox

from annotator.core import ops
from annotator.core.formats.registry import EXPORTS
from annotator.gui.actions import ACTIONS, ShortcutsDialog
from annotator.gui.main_window import MainWindow
from annotator.gui.session import Session
from annotator.gui.settings import recent_projects
from annotator.gui.widgets.export_dialog import ExportDialog
from tests.gui.conftest import ARMENIA_TEXT, BAKU_TEXT

IMPORT_TIMEOUT_MS = 20_000


@pytest.fixture
def window(qtbot, temp_settings, two_document_session: Session) -> MainWindow:
    made = MainWindow(two_document_session, owns_session=False)
    qtbot.addWidget(made)
    made.show()
    return made


def doc_ids(session: Session) -> tuple[str, str]:
    by_text = {session.document(d.id).text: d.id for d in session.documents()}
    return by_text[ARMENIA_TEXT], by_text[BAKU_TEXT]


def menu_texts(window: MainWindow, title: str) -> list[str]:
    return [a.text() for a in window.menus[title].actions() if not a.isSeparator()]


def test_menus_hold_every_action_of_the_table(window: MainWindow) -> None:
    for spec in ACTIONS:
        assert window.actions[spec.name] in window.menus[spec.menu].actions(), spec.name
    assert "&Recent projects" in menu_texts(window, "&File")
    assert window.actions["undo"].shortcuts()[0] == QKeySequence("Ctrl+Z")
    assert QKeySequence("Ctrl+Shift+Z") in window.actions["redo"].shortcuts()
    assert window.actions["refresh"].shortcuts()[0] == QKeySequence("F5")
    assert QKeySequence("Alt+Left") in window.actions["back"].shortcuts()
    every = [*window.actions.values(), *(action for _, action in window.extra_actions)]
    shortcuts = [k.toString() for a in every for k in a.shortcuts()]
    assert len(shortcuts) == len(set(shortcuts)), "two actions share a shortcut"


def test_shortcuts_dialog_lists_every_action(window: MainWindow, monkeypatch) -> None:
    window.session.perform(ops.create_tag, name="Sovereignty", shortcut="s")
    shown: list[ShortcutsDialog] = []
    monkeypatch.setattr(ShortcutsDialog, "exec", lambda self: shown.append(self) or 0)
    window.actions["shortcuts"].trigger()
    table = shown[0].table
    listed = {table.item(row, 1).text() for row in range(table.rowCount())}
    assert {"Undo", "Redo", "Refresh", "Back", "Import documents", "Delete annotation"} <= listed
    assert table.rowCount() >= len(ACTIONS)
    keys = {table.item(row, 1).text(): table.item(row, 2).text() for row in range(table.rowCount())}
    assert keys["Edit / delete the chosen stance"] == "F2 / Delete"
    assert "Move the passage's start one character earlier" in keys
    tagged = {t.name: t.shortcut for t in window.session.tags() if t.shortcut}
    assert tagged and all(keys[f"Tag “{n}”"] == k.upper() for n, k in tagged.items())


def test_status_bar_shows_who_where_and_counts(window: MainWindow) -> None:
    session = window.session
    assert window.status_annotator.text() == "Annotator: Ani"
    assert window.status_project.text() == "two.annotator"
    assert window.status_counts.text() == "2 documents · 0 spans · 0 stances · 0 links"
    armenia, _ = doc_ids(session)
    session.perform(ops.create_span, document_id=armenia, start=0, end=7)
    assert "1 spans" in window.status_counts.text()


def test_opening_documents_and_going_back_and_forward(window: MainWindow) -> None:
    session = window.session
    armenia, baku = doc_ids(session)
    assert not window.actions["back"].isEnabled()
    window.open_document(armenia)
    assert window.pane.view.text() == ARMENIA_TEXT
    assert window.document_list.current_id == armenia
    window.open_document(baku)
    assert window.actions["back"].isEnabled()
    window.actions["back"].trigger()
    assert window.selection.document_id == armenia and window.pane.view.text() == ARMENIA_TEXT
    assert window.document_list.current_id == armenia
    window.actions["forward"].trigger()
    assert window.selection.document_id == baku
    assert not window.actions["forward"].isEnabled()


def test_a_panel_asking_to_open_a_span_is_followed(window: MainWindow) -> None:
    session = window.session
    armenia, baku = doc_ids(session)
    made = session.perform(ops.create_span, document_id=armenia, start=0, end=7)
    span = made.created("spans")[0]
    window.open_document(baku)
    window.go_to(armenia, span)  # what LinksPanel.open_requested is wired to
    assert window.selection.document_id == armenia and window.selection.span_id == span
    window.go_back()
    assert window.selection.document_id == baku


def test_undo_and_redo_from_the_edit_menu(window: MainWindow) -> None:
    session = window.session
    armenia, _ = doc_ids(session)
    window.open_document(armenia)
    session.perform(ops.create_span, document_id=armenia, start=0, end=7)
    assert len(window.pane.view.spans()) == 1
    undo, redo = window.actions["undo"], window.actions["redo"]
    assert undo in window.menus["&Edit"].actions() and undo.isEnabled()
    assert "Highlight passage" in undo.text()
    undo.trigger()
    assert session.spans(armenia) == [] and window.pane.view.spans() == []
    redo.trigger()
    assert len(session.spans(armenia)) == 1 and len(window.pane.view.spans()) == 1


def test_delete_key_deletes_the_selected_span(qtbot, window: MainWindow) -> None:
    session = window.session
    armenia, _ = doc_ids(session)
    window.open_document(armenia)
    span = session.perform(ops.create_span, document_id=armenia, start=0, end=7).created("spans")[0]
    window.pane.reveal_span(span)
    window.activateWindow()
    window.pane.view.setFocus()
    window.actions["delete_span"].trigger()
    assert session.span(span) is None and window.selection.span_id == ""


def test_window_state_persists_across_windows(qtbot, temp_settings, two_document_session) -> None:
    first = MainWindow(two_document_session, owns_session=False)
    qtbot.addWidget(first)
    first.show()
    first.links_dock.hide()
    first.stances_dock.hide()
    qtbot.wait(10)  # let the layout shrink its minimum size
    first.resize(760, 640)  # within the offscreen screen (800 wide), which clamps geometry
    assert (first.width(), first.height()) == (760, 640)
    first.resizeDocks([first.documents_dock], [222], Qt.Orientation.Horizontal)
    qtbot.wait(10)
    width = first.documents_dock.width()
    splitter = first.tagging_panel.splitter
    heights = [sum(splitter.sizes()) - 2 * 80, 80, 80]  # the codebook given most of the room
    splitter.setSizes(heights)
    heights = splitter.sizes()
    first.close()
    second = MainWindow(two_document_session, owns_session=False)
    qtbot.addWidget(second)
    second.show()
    assert (second.width(), second.height()) == (760, 640)
    assert second.links_dock.isHidden() and second.stances_dock.isHidden()
    assert not second.documents_dock.isHidden()
    assert second.documents_dock.width() == width
    qtbot.wait(10)  # past the first layout, which must not undo the kept heights
    assert second.tagging_panel.splitter.sizes() == heights
    assert recent_projects()[0] == two_document_session.project.path.resolve()


def test_dropping_a_text_file_imports_it_as_one_undoable_step(qtbot, window, tmp_path) -> None:
    session = window.session
    dropped = tmp_path / "statement.txt"
    dropped.write_text("The foreign ministry welcomed the initialled treaty.\n", encoding="utf-8")
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(dropped))])
    with qtbot.waitSignal(window.import_finished, timeout=IMPORT_TIMEOUT_MS) as finished:
        assert window.handle_drop(mime)
    assert [d.title for d in finished.args[0].added] == ["statement"]
    titles = [d.title for d in session.documents()]
    assert "statement" in titles and len(titles) == 3
    assert window.document_list.model.rowCount() == 3
    assert "3 documents" in window.status_counts.text()
    window.actions["undo"].trigger()
    assert len(session.documents()) == 2 and window.document_list.model.rowCount() == 2
    assert not window.handle_drop(QMimeData())


def test_export_dialog_writes_a_csv(qtbot, window, tmp_path, monkeypatch) -> None:
    session = window.session
    armenia, baku = doc_ids(session)
    tags = {t.name: t.id for t in session.tags()}
    start = ARMENIA_TEXT.index("change its constitution")
    session.perform(
        ops.create_span,
        document_id=armenia,
        start=start,
        end=start + 23,
        tags=[tags["Constitution"]],
    )
    session.perform(ops.create_span, document_id=baku, start=4, end=21, tags=[tags["Corridor"]])
    output = tmp_path / "coding.csv"

    def fill_and_accept(dialog: ExportDialog) -> int:
        dialog.set_format("csv")
        dialog.output.setText(str(output))
        dialog.tags.set_checked({tags["Constitution"]})
        return QDialog.DialogCode.Accepted.value

    monkeypatch.setattr(ExportDialog, "exec", fill_and_accept)
    with qtbot.waitSignal(window.export_finished, timeout=IMPORT_TIMEOUT_MS):
        window.actions["export"].trigger()
    with output.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 1 and "constitution" in str(rows[0])
    assert not output.with_name("coding.csv.partial").exists()


def test_export_dialog_request_carries_the_filters(qtbot, two_document_session, tmp_path) -> None:
    session = two_document_session
    parent = session.perform(ops.create_tag, name="Security").created("tags")[0]
    child = session.perform(ops.create_tag, name="Force", parent_id=parent).created("tags")[0]
    dialog = ExportDialog(session, tmp_path)
    qtbot.addWidget(dialog)
    dialog.set_format("jsonl")
    dialog.with_text.setChecked(True)
    dialog.tags.set_checked({parent})
    dialog.documents.set_checked({doc_ids(session)[0]})
    request = dialog.request()
    assert request.format == "jsonl" and request.with_text
    assert request.selection.tags == {parent, child}  # a tag stands for its branch
    assert request.selection.documents == {doc_ids(session)[0]}
    assert request.selection.annotators == frozenset()
    dialog.set_format("csv")
    assert dialog.request().output.suffix == ".csv" and not dialog.request().with_text
    assert request.selection.since is None and request.selection.targets == frozenset()


def test_export_dialog_offers_every_format_and_the_target_and_date_filters(
    qtbot, two_document_session, tmp_path
) -> None:
    session = two_document_session
    target = session.perform(ops.create_target, name="Corridor").created("targets")[0]
    dialog = ExportDialog(session, tmp_path)
    qtbot.addWidget(dialog)
    offered = {dialog.format.itemData(i) for i in range(dialog.format.count())}
    assert offered == set(EXPORTS)
    dialog.targets.set_checked({target})
    dialog.by_date.setChecked(True)
    dialog.since.setDate(QDate(2026, 1, 1))
    dialog.until.setDate(QDate(2026, 2, 1))
    selection = dialog.request().selection
    assert selection.targets == {target}
    assert (selection.since, selection.until) == ("2026-01-01", "2026-02-01")


def test_failures_are_shown_in_a_message_box(window: MainWindow, monkeypatch) -> None:
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _parent, _title, text: shown.append(text))
    armenia, _ = doc_ids(window.session)
    window.session.perform(ops.create_span, document_id=armenia, start=5, end=5)
    assert shown and "outside the text" in shown[0]


def test_find_document_focuses_the_filter(qtbot, window: MainWindow) -> None:
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=2000)
    window.actions["find_document"].trigger()
    assert window.document_list.filter.hasFocus()


def test_refresh_rereads_what_another_connection_wrote(window: MainWindow, tmp_path: Path) -> None:
    from annotator.core.store import Project

    with Project.open(window.session.project.path) as other:
        by = ops.ensure_annotator(other, "Lilit").id
        ops.add_document(
            other, by=by, title="Written elsewhere", text="Another process wrote this."
        )
    assert window.document_list.model.rowCount() == 2
    window.actions["refresh"].trigger()
    assert window.document_list.model.rowCount() == 3
    assert window.pane.annotator_filter.findText("Lilit") >= 0


def test_the_last_document_read_is_reopened(qtbot, temp_settings, two_document_session) -> None:
    armenia, baku = doc_ids(two_document_session)
    first = MainWindow(two_document_session, owns_session=False)
    qtbot.addWidget(first)
    shown_first = first.selection.document_id  # nothing remembered: the first listed
    assert shown_first == first.document_list.visible_ids()[0]
    first.open_document(baku if shown_first == armenia else armenia)
    chosen = first.selection.document_id
    first.close()
    second = MainWindow(two_document_session, owns_session=False)
    qtbot.addWidget(second)
    assert second.selection.document_id == chosen and second.document_list.current_id == chosen


def test_keys_reach_their_actions(qtbot, window: MainWindow) -> None:
    session = window.session
    armenia, _ = doc_ids(session)
    window.open_document(armenia)
    span = session.perform(ops.create_span, document_id=armenia, start=0, end=7).created("spans")[0]
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=2000)
    window.pane.view.setFocus()
    qtbot.keyClick(window.pane.view, Qt.Key.Key_F8)  # next annotation
    assert window.selection.span_id == span
    qtbot.keyClick(window.pane.view, Qt.Key.Key_Delete)
    assert session.span(span) is None
    qtbot.keyClick(window.pane.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert session.span(span) is not None
    window.document_list.filter.setFocus()
    qtbot.keyClick(window.document_list.filter, Qt.Key.Key_Delete)  # the filter's own Delete
    assert session.span(span) is not None


def test_word_snapping_is_a_remembered_view_switch(qtbot, temp_settings, two_document_session):
    first = MainWindow(two_document_session, owns_session=False)
    qtbot.addWidget(first)
    switch = first.actions["snap_to_words"]
    assert switch.isCheckable() and not switch.isChecked() and not first.pane.view.snap_to_words
    switch.trigger()
    assert first.pane.view.snap_to_words
    second = MainWindow(two_document_session, owns_session=False)
    qtbot.addWidget(second)
    assert second.actions["snap_to_words"].isChecked() and second.pane.view.snap_to_words


def test_an_imported_annotation_file_says_what_it_could_not_map(
    qtbot, window, tmp_path, monkeypatch
) -> None:
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda _p, _t, text: shown.append(text))
    armenia, _ = doc_ids(window.session)
    text = window.session.project.document_text(armenia) or ""
    quote = text[:20]
    annotation = {
        "@context": "http://www.w3.org/ns/anno.jsonld",
        "id": "urn:uuid:6b1f7f55-9a63-4c3e-8d2b-0a7c2f0e9d11",
        "type": "Annotation",
        "motivation": "bookmarking",
        "target": {
            "source": f"urn:uuid:{armenia}",
            "selector": {"type": "TextQuoteSelector", "exact": quote},
        },
    }
    dropped = tmp_path / "bookmarks.jsonld"
    dropped.write_text(json.dumps(annotation), encoding="utf-8")
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(dropped))])
    with qtbot.waitSignal(window.import_finished, timeout=IMPORT_TIMEOUT_MS) as finished:
        assert window.handle_drop(mime)
    ((_, report),) = finished.args[0].sets
    assert report.unmapped
    assert shown and "bookmarks.jsonld: not mapped:" in shown[0]


def test_an_imported_newer_text_says_what_became_of_the_annotations(
    qtbot, window, tmp_path, monkeypatch
) -> None:
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda _p, _t, text: shown.append(text))
    session = window.session
    armenia, _ = doc_ids(session)
    start = ARMENIA_TEXT.index("change its constitution")
    session.perform(ops.create_span, document_id=armenia, start=start, end=start + 23)
    title = next(d.title for d in session.documents() if d.id == armenia)
    newer = {"kind": "document", "id": armenia, "text": "A preface.\n\n" + ARMENIA_TEXT}
    dropped = tmp_path / "corrected.jsonl"
    dropped.write_text(json.dumps(newer | {"updated_at": "2031-01-01T00:00:00.000Z"}) + "\n")
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(dropped))])
    with qtbot.waitSignal(window.import_finished, timeout=IMPORT_TIMEOUT_MS):
        assert window.handle_drop(mime)
    assert (
        shown
        and f"the text of “{title}” was replaced: 1 annotation(s) moved, 0 orphaned" in (shown[0])
    )
    [span] = session.project.spans_of_document(armenia)
    assert session.project.document_text(armenia)[span.start : span.end] == (
        "change its constitution"
    )
