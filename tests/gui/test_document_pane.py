"""The document pane: the right text and highlights, incremental repaints, the selection."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QTextCursor

from annotator.core import ops
from annotator.gui.highlights import UNTAGGED_COLOUR
from annotator.gui.selection import Selection
from annotator.gui.session import Session
from annotator.gui.widgets.document_pane import DocumentPane
from tests.gui.conftest import ARMENIA_TEXT, BAKU_TEXT


@pytest.fixture
def pane(qtbot, two_document_session: Session) -> DocumentPane:
    widget = DocumentPane(two_document_session, Selection())
    qtbot.addWidget(widget)
    widget.resize(800, 600)
    widget.show()
    return widget


def doc_ids(session: Session) -> tuple[str, str]:
    by_text = {session.document(d.id).text: d.id for d in session.documents()}
    return by_text[ARMENIA_TEXT], by_text[BAKU_TEXT]


def tag_id(session: Session, name: str) -> str:
    return next(t.id for t in session.tags() if t.name == name)


def span(session: Session, doc: str, text: str, phrase: str, tags=()) -> str:
    start = text.index(phrase)
    changes = session.perform(
        ops.create_span, document_id=doc, start=start, end=start + len(phrase), tags=list(tags)
    )
    return changes.created("spans")[0]


def click_at(qtbot, pane: DocumentPane, pos: int) -> None:
    view = pane.view
    cursor = QTextCursor(view.document())
    cursor.setPosition(view.offset_map.to_qt(pos))
    rect = view.cursorRect(cursor)
    qtbot.mouseClick(
        view.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(rect.x() + 3, rect.center().y())
    )


def test_switching_documents_shows_their_text_and_highlights(pane, two_document_session):
    session = two_document_session
    armenia, baku = doc_ids(session)
    constitution = tag_id(session, "Constitution")
    first = span(session, armenia, ARMENIA_TEXT, "change its constitution", [constitution])
    span(session, baku, BAKU_TEXT, "Zangezur corridor")
    pane.selection.set_document(armenia)
    assert pane.view.text() == ARMENIA_TEXT and pane.title.text().startswith("The Illusion")
    assert (
        "Ratelle" in pane.details.text()
        and 'href="https://example.org/illusion"' in pane.details.text()
    )
    assert [s.id for s in pane.view.spans()] == [first]
    shown = pane.view.spans()[0]
    assert shown.colour == "#f2c14e" and shown.label == "Constitution"
    assert (shown.annotator, shown.annotator_name) == (session.me, "Ani")
    assert pane.view.highlight_colour_at(ARMENIA_TEXT.index("constitution")) is not None
    pane.show_document(baku)
    assert pane.selection.document_id == baku and pane.view.text() == BAKU_TEXT
    (only,) = pane.view.spans()
    assert only.colour == UNTAGGED_COLOUR and only.label == "Untagged"
    assert pane.view.highlight_colour_at(0) is None
    assert pane.view.highlight_colour_at(BAKU_TEXT.index("Zangezur")) is not None


def test_span_edits_repaint_only_those_spans(pane, two_document_session, monkeypatch):
    session = two_document_session
    armenia, baku = doc_ids(session)
    pane.show_document(armenia)
    reloads, full, partial = [], [], []
    monkeypatch.setattr(pane.view, "set_document", lambda *a: reloads.append(a))
    original_set, original_update = pane.view.set_spans, pane.view.update_spans
    monkeypatch.setattr(pane.view, "set_spans", lambda s: (full.append(1), original_set(s)))
    monkeypatch.setattr(
        pane.view,
        "update_spans",
        lambda u=(), r=(): (partial.append((list(u), list(r))), original_update(u, r)),
    )
    made = span(session, armenia, ARMENIA_TEXT, "Baku insists")
    assert [s.id for s in partial[-1][0]] == [made]
    session.perform(ops.tag_span, span_id=made, tag_id=tag_id(session, "Corridor"))
    assert pane.view.spans()[0].colour == "#5fa8d3" and pane.view.spans()[0].label == "Corridor"
    session.perform(ops.update_span, span_id=made, note="a demand")
    assert pane.view.spans()[0].label == "Corridor — a demand"
    span(session, baku, BAKU_TEXT, "Peace")  # another document: nothing here to repaint
    assert len(partial) == 3
    session.undo_stack.undo()
    session.undo_stack.undo()
    session.undo_stack.undo()
    session.undo_stack.undo()
    assert pane.view.spans() == [] and reloads == [] and full == []
    session.perform(ops.update_tag, tag_id=tag_id(session, "Corridor"), colour="#76b041")
    assert full == [1]  # a colour change restyles every span, without reloading the text
    assert reloads == []


def test_annotator_filter_shows_mine_or_a_colleagues(pane, two_document_session, tmp_path):
    session = two_document_session
    armenia, _ = doc_ids(session)
    mine = span(session, armenia, ARMENIA_TEXT, "Armenia")
    colleague = ops.ensure_annotator(session.project, "Lilit").id
    theirs = ops.create_span(
        session.project, by=colleague, document_id=armenia, start=0, end=7
    ).created("spans")[0]
    session.refresh()
    pane.show_document(armenia)
    assert {s.id for s in pane.view.spans()} == {mine, theirs}
    pane.set_annotator_shown(session.me)
    assert [s.id for s in pane.view.spans()] == [mine]
    pane.set_annotator_shown(colleague)
    assert [s.id for s in pane.view.spans()] == [theirs]
    assert pane.annotator_filter.currentText() == "Lilit"
    pane.set_annotator_shown("")
    assert len(pane.view.spans()) == 2


def test_clicks_select_spans_and_cycle_through_overlaps(qtbot, pane, two_document_session):
    session = two_document_session
    armenia, _ = doc_ids(session)
    outer = span(session, armenia, ARMENIA_TEXT, "Armenia and Azerbaijan agreed")
    inner = span(session, armenia, ARMENIA_TEXT, "Azerbaijan")
    pane.show_document(armenia)
    spans_seen: list[str] = []
    pane.selection.span_changed.connect(spans_seen.append)
    at = ARMENIA_TEXT.index("Azerbaijan") + 2
    click_at(qtbot, pane, at)
    click_at(qtbot, pane, at)
    click_at(qtbot, pane, at)
    assert spans_seen == [outer, inner, outer]
    assert pane.view.extraSelections()  # the current span is marked
    click_at(qtbot, pane, ARMENIA_TEXT.index("constitution"))  # plain text: no span
    assert pane.selection.span_id == "" and pane.view.extraSelections() == []


def test_selecting_text_sets_the_range_and_delete_removes_the_span(
    qtbot, pane, two_document_session
):
    session = two_document_session
    armenia, _ = doc_ids(session)
    pane.show_document(armenia)
    pane.view.select_range(4, 12)
    assert pane.selection.text_range == (4, 12)
    made = span(session, armenia, ARMENIA_TEXT, "draft peace agreement")
    pane.reveal_span(made)
    assert pane.selection.span_id == made
    pane.delete_current_span()
    assert session.span(made) is None and pane.view.spans() == []
    assert pane.selection.span_id == ""


def test_next_and_previous_walk_spans_in_reading_order(pane, two_document_session):
    session = two_document_session
    armenia, _ = doc_ids(session)
    later = span(session, armenia, ARMENIA_TEXT, "Observers")
    earlier = span(session, armenia, ARMENIA_TEXT, "Armenia")
    pane.show_document(armenia)
    pane.step_span(+1)
    assert pane.selection.span_id == earlier
    pane.step_span(+1)
    assert pane.selection.span_id == later
    pane.step_span(+1)
    assert pane.selection.span_id == earlier
    pane.step_span(-1)
    assert pane.selection.span_id == later


def test_stances_are_listed_and_deleting_the_document_clears_the_pane(pane, two_document_session):
    session = two_document_session
    armenia, _ = doc_ids(session)
    evidence = span(session, armenia, ARMENIA_TEXT, "change its constitution")
    target = session.perform(ops.create_target, name="Constitutional change").created("targets")[0]
    actor = session.perform(ops.create_actor, name="Government of Azerbaijan").created("actors")[0]
    pane.show_document(armenia)
    session.perform(
        ops.create_stance,
        document_id=armenia,
        target_id=target,
        polarity=2,
        span_id=evidence,
        actor_id=actor,
    )
    assert pane.stances.count() == 1
    text = pane.stances.item(0).text()
    assert "Constitutional change" in text and "Government of Azerbaijan" in text and "+2" in text
    revealed: list[str] = []
    pane.span_activated.connect(revealed.append)
    pane.stances.itemActivated.emit(pane.stances.item(0))
    assert revealed == [evidence] and pane.selection.span_id == evidence
    session.perform(ops.delete_document, document_id=armenia)
    assert pane.document is None and pane.selection.document_id == "" and pane.view.text() == ""
