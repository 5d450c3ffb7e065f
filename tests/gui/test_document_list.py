"""The documents list: a sound item model, sortable columns, a typo-tolerant filter."""

from __future__ import annotations

from PySide6.QtCore import Qt

from annotator.core import ops
from annotator.gui.models.documents import (
    ID_ROLE,
    Column,
    DocumentFilterProxy,
    DocumentListModel,
    match_score,
)
from annotator.gui.widgets.document_list import DocumentList

ARMENIA = "The Illusion of Peace Between Armenia and Azerbaijan"


def titles(widget: DocumentList) -> list[str]:
    proxy = widget.proxy
    return [proxy.index(row, Column.TITLE).data() for row in range(proxy.rowCount())]


def test_models_pass_the_model_tester(qtmodeltester, two_document_session) -> None:
    model = DocumentListModel(two_document_session)
    qtmodeltester.check(model)
    proxy = DocumentFilterProxy()
    proxy.setSourceModel(model)
    proxy.sort(Column.DATE, Qt.SortOrder.DescendingOrder)
    proxy.set_query("armnia")
    qtmodeltester.check(proxy)
    assert proxy.rowCount() == 1


def test_columns_show_title_author_date_and_annotation_count(two_document_session) -> None:
    session = two_document_session
    model = DocumentListModel(session)
    row = model.row_of(next(d.id for d in session.documents() if d.title == ARMENIA))
    values = [model.index(row, c).data() for c in Column]
    assert values == [ARMENIA, "Jean-François Ratelle", "2025-05-20", 0]
    assert model.headerData(0, Qt.Orientation.Horizontal) == "Title"
    session.perform(ops.create_span, document_id=model.document_at(row).id, start=0, end=7)
    assert model.index(row, Column.ANNOTATIONS).data() == 1


def test_fuzzy_filter_finds_a_typo_and_ranks_matches(qtbot, two_document_session) -> None:
    widget = DocumentList(two_document_session)
    qtbot.addWidget(widget)
    assert titles(widget) == ["Courage to Surrender", ARMENIA]  # sorted by title
    qtbot.keyClicks(widget.filter, "armnia")
    assert titles(widget) == [ARMENIA]
    widget.filter.clear()
    qtbot.keyClicks(widget.filter, "melikian")  # the author, misspelt
    assert titles(widget) == ["Courage to Surrender"]
    widget.filter.setText("zzqx")
    assert titles(widget) == []
    widget.filter.clear()
    assert len(titles(widget)) == 2


def test_match_score_needs_every_word() -> None:
    assert match_score("peace armnia", ARMENIA) >= 70
    assert match_score("peace corridor", ARMENIA) < 70
    assert match_score("", ARMENIA) == 100


def test_sorting_by_annotations(qtbot, two_document_session) -> None:
    session = two_document_session
    widget = DocumentList(session)
    qtbot.addWidget(widget)
    armenia = next(d.id for d in session.documents() if d.title == ARMENIA)
    session.perform(ops.create_span, document_id=armenia, start=0, end=7)
    widget.view.sortByColumn(Column.ANNOTATIONS, Qt.SortOrder.DescendingOrder)
    assert titles(widget)[0] == ARMENIA
    widget.view.sortByColumn(Column.ANNOTATIONS, Qt.SortOrder.AscendingOrder)
    assert titles(widget)[0] == "Courage to Surrender"


def test_arrows_and_enter_open_documents_and_filtering_does_not(qtbot, two_document_session):
    widget = DocumentList(two_document_session)
    qtbot.addWidget(widget)
    widget.show()
    opened: list[str] = []
    reading: list[bool] = []
    widget.document_activated.connect(opened.append)
    widget.reading_requested.connect(lambda: reading.append(True))
    ids = widget.visible_ids()
    widget.view.setFocus()
    qtbot.keyClick(widget.view, Qt.Key.Key_Down)
    assert opened == [ids[0]]
    qtbot.keyClick(widget.view, Qt.Key.Key_Down)
    assert opened == ids
    qtbot.keyClicks(widget.filter, "courage")  # hides the open one: nothing else opens
    assert opened == ids and widget.current_id == ids[1]
    qtbot.keyClick(widget.filter, Qt.Key.Key_Return)  # Enter opens the best match
    assert opened == [*ids, ids[0]] and reading == [True]


def test_set_current_follows_without_emitting(qtbot, two_document_session) -> None:
    widget = DocumentList(two_document_session)
    qtbot.addWidget(widget)
    opened: list[str] = []
    widget.document_activated.connect(opened.append)
    target = widget.visible_ids()[1]
    widget.set_current(target)
    assert widget.view.currentIndex().data(ID_ROLE) == target and opened == []
    two_document_session.refresh()  # a reload keeps the row current
    assert widget.view.currentIndex().data(ID_ROLE) == target and opened == []


def test_while_filtering_the_best_match_comes_first(qtbot, two_document_session) -> None:
    session = two_document_session
    session.perform(ops.add_document, title="Azerbajan report", text="A report.")
    widget = DocumentList(session)
    qtbot.addWidget(widget)
    widget.view.sortByColumn(Column.TITLE, Qt.SortOrder.DescendingOrder)
    assert titles(widget)[0] == ARMENIA
    widget.filter.setText("azerbajan")  # exact in the report, a near miss in the other title
    assert titles(widget) == ["Azerbajan report", ARMENIA]
    widget.filter.clear()
    assert titles(widget) == [ARMENIA, "Courage to Surrender", "Azerbajan report"]
