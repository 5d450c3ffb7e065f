"""The document's annotations list: rows, filters by tag and annotator, following the selection."""

from __future__ import annotations

from PySide6.QtCore import Qt

from annotator.core import ops
from annotator.gui.models.annotations import SPAN_ID_ROLE, Column
from annotator.gui.widgets.annotation_list import AnnotationList
from tests.gui.tagging_sample import TEXT, Tagging, tagging_fixture  # noqa: F401  (fixture)


def add_span(t: Tagging, phrase: str, *tags: str, by: str | None = None, note: str | None = None):
    start = TEXT.index(phrase)
    changes = ops.create_span(
        t.project,
        by=by or t.session.me,
        document_id=t.document,
        start=start,
        end=start + len(phrase),
        tags=[t.tags[n] for n in tags],
        note=note,
    )
    t.session.changed.emit(changes)  # as a merge or another window would announce it
    return changes.created("spans")[0]


def shown(t: Tagging) -> list[str]:
    proxy = t.panel.annotations.filter
    return [proxy.index(r, Column.QUOTE).data() for r in range(proxy.rowCount())]


def test_rows_filters_and_activation(qtbot, qtmodeltester, tagging: Tagging) -> None:
    colleague = ops.ensure_annotator(tagging.project, "Bo").id
    lachin = add_span(tagging, "Lachin blockade", "Lachin blockade", note="Proof of bad faith")
    constitution = add_span(tagging, "change its constitution", "Constitution demand", "Framing")
    zangezur = add_span(tagging, "Zangezur corridor", "Zangezur corridor", by=colleague)
    listing = tagging.panel.annotations
    qtmodeltester.check(listing.model)
    qtmodeltester.check(listing.filter)
    assert shown(tagging) == ["change its constitution", "Zangezur corridor", "Lachin blockade"]
    row = listing.model.row_of(constitution)
    assert (
        listing.model.index(row, Column.TAGS).data() == "Framing, Constitution demand"
    )  # codebook order
    assert listing.model.index(listing.model.row_of(zangezur), Column.ANNOTATOR).data() == "Bo"
    assert listing.model.index(listing.model.row_of(lachin), Column.NOTE).data() == "Proof of bad faith"  # fmt: skip

    listing.set_tag_filter(tagging.tags["Territory"])  # a parent keeps its children's passages
    assert shown(tagging) == ["Zangezur corridor", "Lachin blockade"]
    listing.set_annotator_filter(tagging.session.me)
    assert shown(tagging) == ["Lachin blockade"]
    assert listing.count_label.text() == "1 of 3 annotations"
    listing.set_tag_filter("")
    assert shown(tagging) == ["change its constitution", "Lachin blockade"]
    listing.set_annotator_filter("")
    assert len(shown(tagging)) == 3 and listing.count_label.text() == "3 annotations"

    index = listing.filter.index(1, Column.QUOTE)
    rect = listing.view.visualRect(index)
    tagging.window.show()
    qtbot.mouseClick(listing.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert tagging.selection.span_id == zangezur
    tagging.selection.set_span(lachin)  # chosen elsewhere: the row follows
    assert listing.view.currentIndex().data(SPAN_ID_ROLE) == lachin


def test_rows_follow_edits_and_the_document(qtmodeltester, tagging: Tagging) -> None:
    listing = tagging.panel.annotations
    tagging.selection.set_range(0, 10)
    tagging.panel.apply_tag(tagging.tags["Framing"])
    span_id = tagging.selection.span_id
    assert shown(tagging) == ["Azerbaijan"]
    tagging.session.perform(ops.update_tag, tag_id=tagging.tags["Framing"], name="Rhetoric")
    assert listing.model.index(0, Column.TAGS).data() == "Rhetoric"
    assert listing.tag_filter.findText("Rhetoric") >= 0  # the filter lists follow the codebook
    tagging.session.perform(ops.update_span, span_id=span_id, note="opening")
    assert listing.model.index(0, Column.NOTE).data() == "opening"
    qtmodeltester.check(listing.model)
    tagging.selection.set_document("")
    assert shown(tagging) == [] and listing.count_label.text() == "No document open"


def test_the_passage_keeps_most_of_the_width(qtbot, tagging: Tagging) -> None:
    add_span(tagging, "change its constitution", "Constitution demand", "Framing", note="Key")
    listing = AnnotationList(tagging.session, tagging.selection, tagging.panel.codebook_model)
    qtbot.addWidget(listing)
    header = listing.view.horizontalHeader()
    char = listing.view.fontMetrics().averageCharWidth()
    for width in (340, 1200):  # the tagging dock by default; a dock pulled wide
        listing.resize(width, 300)
        listing.show()
        qtbot.waitUntil(lambda w=width: listing.view.viewport().width() > w - 40)
        passage = header.sectionSize(Column.QUOTE)
        assert passage >= listing.view.viewport().width() // 2 and passage >= 25 * char
        for column in (Column.TAGS, Column.ANNOTATOR, Column.NOTE):
            assert 0 < header.sectionSize(column) < passage
