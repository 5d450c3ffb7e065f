"""Each annotator's underline colour follows their id: the same in every window, view and
session, and different for two people who share a name."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.core import ops
from annotator.core.store import Project
from annotator.gui.annotator_colours import ANNOTATOR_COLOURS, annotator_colours
from annotator.gui.selection import Selection
from annotator.gui.session import Session
from annotator.gui.widgets.article_view import ArticleView
from annotator.gui.widgets.document_pane import DocumentPane
from annotator.gui.widgets.side_by_side import SideBySide
from tests.gui.conftest import ARMENIA_TEXT, BAKU_TEXT
from tests.gui.test_article_view import char_point


def test_colours_follow_sorted_ids_whatever_order_they_come_in() -> None:
    ids = ["c", "a", "b"]
    assert annotator_colours(ids) == annotator_colours(reversed(ids))
    assert annotator_colours(ids) == dict(zip("abc", ANNOTATOR_COLOURS, strict=False))
    six = annotator_colours(str(n) for n in range(6))
    assert len(set(six.values())) == 6


@pytest.fixture
def two_lusines(two_document_session: Session) -> dict[str, str]:
    """Ani, and two colleagues both called Lusine (one renamed to it), each with passages:
    in the Armenia text the second Lusine comes first, in the Baku text the first."""
    session = two_document_session
    project = session.project
    first = ops.ensure_annotator(project, "Lusine").id
    second = ops.ensure_annotator(project, "Lusine (laptop)").id
    ops.rename_annotator(project, by=second, annotator_id=second, name="Lusine")
    by_text = {session.document(d.id).text: d.id for d in session.documents()}
    armenia, baku = by_text[ARMENIA_TEXT], by_text[BAKU_TEXT]
    for who, document, text, phrase in (
        (second, armenia, ARMENIA_TEXT, "Armenia and Azerbaijan"),
        (first, armenia, ARMENIA_TEXT, "draft peace agreement"),
        (session.me, armenia, ARMENIA_TEXT, "change its constitution"),
        (first, baku, BAKU_TEXT, "Zangezur corridor"),
        (second, baku, BAKU_TEXT, "Peace is within reach"),
    ):
        start = text.index(phrase)
        ops.create_span(project, by=who, document_id=document, start=start, end=start + 8)
    return {"me": session.me, "first": first, "second": second, "armenia": armenia, "baku": baku}


def shown_pane(qtbot, session: Session, *document_ids: str) -> DocumentPane:
    pane = DocumentPane(session, Selection())
    qtbot.addWidget(pane)
    pane.resize(800, 500)
    pane.show()
    for document_id in document_ids:
        pane.show_document(document_id)
    return pane


def underlines(view: ArticleView, pos: int) -> set[str]:
    image = view.viewport().grab().toImage()
    x = char_point(view, pos).x()
    return {image.pixelColor(x, y).name() for y in range(image.height())}


def test_every_view_gives_an_annotator_the_same_colour(qtbot, two_document_session, two_lusines):
    session, people = two_document_session, two_lusines
    expected = annotator_colours(a.id for a in session.annotators())
    one = shown_pane(qtbot, session, people["armenia"])
    other = shown_pane(qtbot, session, people["baku"], people["armenia"])  # met in another order
    for who in ("me", "first", "second"):
        colour = expected[people[who]]
        assert one.view.annotator_colour(people[who]) == colour
        assert other.view.annotator_colour(people[who]) == colour
    assert expected[people["first"]] != expected[people["second"]]  # same name, not one person
    painted = underlines(one.view, ARMENIA_TEXT.index("Armenia and") + 2)
    assert expected[people["second"]] in painted and expected[people["first"]] not in painted

    link = session.perform(
        ops.create_link,
        source=session.spans(people["armenia"])[0].id,
        target=session.spans(people["baku"])[0].id,
        type="responds to",
    ).created("links")[0]
    side = SideBySide(session)
    qtbot.addWidget(side)
    side.show_link(link)
    for view in (side.source.view, side.target.view):
        for who in ("first", "second"):
            assert view.annotator_colour(people[who]) == expected[people[who]]


def test_a_reopened_project_keeps_the_colours(qtbot, two_document_session, two_lusines, tmp_path):
    session, people = two_document_session, two_lusines
    before = shown_pane(qtbot, session, people["baku"]).view.annotator_colour(people["second"])
    reopened = Session(Project.open(Path(session.path)), "Lusine")
    try:
        pane = shown_pane(qtbot, reopened, people["baku"])
        assert pane.view.annotator_colour(people["second"]) == before
    finally:
        reopened.close()
