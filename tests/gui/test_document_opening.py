"""Opening a long document: the text and the spans in sight first, the rest as needed; the
annotation list after the first paint; orphaned spans listed but never painted."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QObject

from annotator.core import ops
from annotator.core.model import Change, ChangeSet
from annotator.gui.main_window import MainWindow
from annotator.gui.models.annotations import SPAN_ID_ROLE
from annotator.gui.selection import Selection
from annotator.gui.widgets.annotation_list import READING
from annotator.gui.widgets.document_pane import DocumentPane
from tests.gui.long_sample import ORPHANED_AT, LongSample, make_long_sample, placed_spans
from tests.gui.test_article_view_reading import assert_sight_painted_exactly, painted_in_sight


@pytest.fixture
def sample(qapp, tmp_path: Path):
    made = make_long_sample(tmp_path)
    yield made
    made.session.close()


@pytest.fixture
def pane(qtbot, sample: LongSample) -> DocumentPane:
    widget = DocumentPane(sample.session, Selection())
    qtbot.addWidget(widget)
    widget.resize(800, 600)
    widget.show()
    return widget


@pytest.fixture
def window(qtbot, temp_settings, sample: LongSample) -> MainWindow:
    made = MainWindow(sample.session, owns_session=False)
    qtbot.addWidget(made)
    made.show()
    qtbot.waitExposed(made)
    return made


class PaintLog(QObject):
    """Notes, in order, the paints of some widgets and the moments asked to be noted."""

    def __init__(self, **widgets) -> None:
        super().__init__()
        self.names = {widget: name for name, widget in widgets.items()}
        self.events: list[str] = []
        for widget in widgets.values():
            widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and watched in self.names:
            self.events.append(self.names[watched])
        return False


def test_opening_reads_the_spans_in_sight_then_more_as_needed(pane, sample):
    spans = placed_spans(sample)
    pane.show_document(sample.long_id)
    view = pane.view
    view.viewport().grab()  # a paint
    assert_sight_painted_exactly(view, spans)
    read = [s for s in spans if view.has_span(s.id)]
    assert sample.long_span in {s.id for s in read}  # it starts in sight
    assert len(read) < len(spans) / 3  # the rest waits until it comes into sight
    deep = max(spans, key=lambda s: s.start)
    assert not view.has_span(deep.id)

    pane.reveal_span(deep.id)
    view.viewport().grab()
    assert view.has_span(deep.id) and deep.id in painted_in_sight(view)
    assert sample.long_span in painted_in_sight(view)  # began far above, still painted here
    assert_sight_painted_exactly(view, spans)
    assert {s.id for s in view.spans()} == {s.id for s in spans}
    tags = sample.session.tags_by_span(sample.long_id)
    for shown in view.spans()[::50]:
        span = sample.session.span(shown.id)
        assert shown == pane.styler.highlight(span, tags.get(span.id, []))


def test_the_annotator_filter_reads_only_that_annotators_spans(pane, sample):
    pane.show_document(sample.long_id)
    pane.set_annotator_shown(sample.colleague)
    pane.view.viewport().grab()
    theirs = [s for s in placed_spans(sample) if s.created_by == sample.colleague]
    assert_sight_painted_exactly(pane.view, theirs)
    assert {s.id for s in pane.view.spans()} == {s.id for s in theirs}


def test_orphans_are_listed_but_never_painted(qtbot, window, sample):
    session = sample.session
    window.open_document(sample.long_id)
    listing = window.tagging_panel.annotations.model
    qtbot.waitUntil(lambda: not listing.pending)
    listed = {listing.index(r, 0).data(SPAN_ID_ROLE) for r in range(listing.rowCount())}
    assert sample.orphan in listed and sample.deleted not in listed
    view = window.pane.view
    assert sample.orphan not in {s.id for s in view.spans()}
    window.selection.set_span(sample.orphan)  # chosen in the list: nothing to show, no error
    window.pane.reveal_span(sample.orphan)
    assert view.extraSelections() == []
    view.viewport().grab()

    # A span shown until now loses its place (a merge or a text replacement).
    shown = next(s for s in placed_spans(sample) if view.has_span(s.id))
    before = session.project.row("spans", shown.id)
    changes = ChangeSet(
        (Change("spans", shown.id, before, {**before, "orphaned_at": ORPHANED_AT}),), "Orphan"
    )
    session.project.apply(changes)
    session.changed.emit(changes)
    assert not view.has_span(shown.id) and shown.id not in view.span_ids_at(shown.start)
    assert listing.row_of(shown.id) >= 0


def test_the_annotation_list_fills_after_the_text_is_painted(qtbot, window, sample):
    listing = window.tagging_panel.annotations
    model, view = listing.model, window.pane.view
    log = PaintLog(text=view.viewport(), list=listing.view.viewport())
    model.modelReset.connect(lambda: log.events.append("reset"))
    window.open_document(sample.short_id)  # the window opened on the long one
    qtbot.waitUntil(lambda: not model.pending)
    window.open_document(sample.long_id)
    assert view.text() == sample.text
    assert model.pending and model.rowCount() == 0 and listing.count_label.text() == READING
    log.events.clear()
    qtbot.waitUntil(lambda: not model.pending)
    assert "text" in log.events and "list" in log.events
    assert log.events.index("reset") > log.events.index("text")
    total = len(sample.session.span_outlines(sample.long_id))
    assert model.rowCount() == total
    assert listing.count_label.text() == f"{total} annotations"

    # An edit made before the rows are read is in them once they are.
    window.open_document(sample.short_id)
    qtbot.waitUntil(lambda: not model.pending)
    window.open_document(sample.long_id)
    assert model.pending
    span_id = placed_spans(sample)[0].id
    sample.session.perform(ops.update_span, span_id=span_id, note="read later")
    qtbot.waitUntil(lambda: not model.pending)
    row = model.annotation(model.row_of(span_id))
    assert row.span.note == "read later" and model.rowCount() == total


def test_a_hidden_list_reads_its_rows_at_once(qtbot, sample):
    from annotator.gui.models.codebook import CodebookModel
    from annotator.gui.widgets.annotation_list import AnnotationList

    selection = Selection()
    listing = AnnotationList(sample.session, selection, CodebookModel(sample.session))
    qtbot.addWidget(listing)
    selection.set_document(sample.long_id)
    assert not listing.model.pending
    assert listing.model.rowCount() == len(sample.session.span_outlines(sample.long_id))
