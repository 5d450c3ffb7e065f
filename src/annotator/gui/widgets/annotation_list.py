"""The annotations of the open document, filtered by tag and by annotator.

Choosing a row selects its span (the article view then shows it); selecting a span elsewhere
highlights its row here. A tag filter also keeps the passages of the tags inside it.

While the list is on screen, a newly opened document's rows are read after the next paint, so
a long document's text shows first and its thousands of annotations follow.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QItemSelectionModel, QModelIndex, QObject, Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from annotator.core.model import ChangeSet
from annotator.gui.after_paint import AfterPaint
from annotator.gui.models.annotations import (
    SPAN_ID_ROLE,
    AnnotationFilter,
    AnnotationListModel,
    Column,
)
from annotator.gui.models.codebook import CodebookModel
from annotator.gui.selection import Selection
from annotator.gui.session import Session

ANY = ""  # the id the "all" entries of the filters carry
READING = "Reading annotations…"


class AnnotationList(QWidget):
    def __init__(
        self,
        session: Session,
        selection: Selection,
        codebook: CodebookModel,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.selection = selection
        self.codebook = codebook
        self.model = AnnotationListModel(session, self)
        self.filter = AnnotationFilter(self)
        self.filter.setSourceModel(self.model)
        self.tag_filter = QComboBox(self)
        self.tag_filter.setAccessibleName("Filter by tag")
        self.tag_filter.setMinimumContentsLength(8)
        self.tag_filter.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.annotator_filter = QComboBox(self)
        self.annotator_filter.setAccessibleName("Filter by annotator")
        self.annotator_filter.setMinimumContentsLength(6)
        self.annotator_filter.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.view = self._make_view()
        self._fill_later = AfterPaint(self.view.viewport(), self.model.fill)
        self.count_label = QLabel(self)
        self.count_label.setForegroundRole(QPalette.ColorRole.PlaceholderText)  # muted
        self._build_layout()
        self._fill_filters()
        self.tag_filter.currentIndexChanged.connect(self._apply_filters)
        self.annotator_filter.currentIndexChanged.connect(self._apply_filters)
        self.view.clicked.connect(self._choose)
        self.view.activated.connect(self._choose)
        selection.document_changed.connect(self._show_document)
        selection.span_changed.connect(self._show_span)
        session.changed.connect(self._on_changed)
        self.model.modelReset.connect(self._after_reset)
        self.filter.rowsInserted.connect(self._update_count)
        self.filter.rowsRemoved.connect(self._update_count)
        self._show_document(selection.document_id)

    def _make_view(self) -> QTableView:
        # A table, not a tree: a tree view lays every row out again when one is inserted,
        # which a long document's thousands of annotations make slow at each tagging key.
        view = QTableView(self)
        view.setModel(self.filter)
        view.setShowGrid(False)
        view.setWordWrap(False)
        rows = view.verticalHeader()
        rows.hide()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(view.fontMetrics().height() + 6)
        view.setAlternatingRowColors(True)
        view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        view.setAccessibleName("Annotations")
        view.setTextElideMode(Qt.TextElideMode.ElideRight)
        view.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        header = view.horizontalHeader()
        header.setHighlightSections(False)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setResizeContentsPrecision(0)  # the rows in sight, not a thousand of them
        header.setStretchLastSection(False)
        header.setMinimumSectionSize(view.fontMetrics().averageCharWidth() * 4)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(Column.QUOTE, QHeaderView.ResizeMode.Stretch)
        view.viewport().installEventFilter(self)  # see _fit_columns
        return view

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.view.viewport() and event.type() == QEvent.Type.Resize:
            self._fit_columns()
        return False

    def _fit_columns(self) -> None:
        """Share the width so the passage, what the list is for, keeps at least half of it
        in the narrow tagging dock; tags, annotator and note get what is left, by parts."""
        header = self.view.horizontalHeader()
        width = self.view.viewport().width()
        char = self.view.fontMetrics().averageCharWidth()
        shares = {Column.TAGS: (0.22, 18), Column.ANNOTATOR: (0.12, 10), Column.NOTE: (0.16, 24)}
        for column, (share, most_chars) in shares.items():
            header.resizeSection(column, min(int(width * share), most_chars * char))

    def _build_layout(self) -> None:
        filters = QHBoxLayout()
        filters.setSpacing(4)
        filters.addWidget(self.tag_filter, 3)
        filters.addWidget(self.annotator_filter, 2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addLayout(filters)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.count_label)

    # -- filters ----------------------------------------------------------------------------

    def set_tag_filter(self, tag_id: str) -> None:
        """Show only passages carrying ``tag_id`` or a tag inside it ('' : all)."""
        self.tag_filter.setCurrentIndex(max(0, self.tag_filter.findData(tag_id)))

    def set_annotator_filter(self, annotator_id: str) -> None:
        """Show only passages made by ``annotator_id`` ('' : everybody's)."""
        self.annotator_filter.setCurrentIndex(max(0, self.annotator_filter.findData(annotator_id)))

    def _fill_filters(self) -> None:
        tag_keep = self.tag_filter.currentData() or ANY
        who_keep = self.annotator_filter.currentData() or ANY
        for combo in (self.tag_filter, self.annotator_filter):
            combo.blockSignals(True)
            combo.clear()
        self.tag_filter.addItem("All tags", ANY)
        for tag in self.codebook.tags():
            depth = self.codebook.path(tag.id).count("/")
            icon = self.codebook.icon(tag.colour)
            self.tag_filter.addItem(icon, "    " * depth + tag.name, tag.id)
        self.annotator_filter.addItem("Everyone", ANY)
        for annotator in self.session.annotators():
            self.annotator_filter.addItem(annotator.name, annotator.id)
        self.tag_filter.setCurrentIndex(max(0, self.tag_filter.findData(tag_keep)))
        self.annotator_filter.setCurrentIndex(max(0, self.annotator_filter.findData(who_keep)))
        for combo in (self.tag_filter, self.annotator_filter):
            combo.blockSignals(False)
        self._apply_filters()

    def _apply_filters(self) -> None:
        tag_id = self.tag_filter.currentData() or ANY
        self.filter.set_tags(self._with_descendants(tag_id) if tag_id else ())
        self.filter.set_annotator(self.annotator_filter.currentData() or ANY)
        self._show_span(self.selection.span_id)
        self._update_count()

    def _with_descendants(self, tag_id: str) -> set[str]:
        return {tag_id, *self.codebook.descendants(tag_id)}

    def _update_count(self) -> None:
        shown, total = self.filter.rowCount(), self.model.rowCount()
        if not self.selection.document_id:
            text = "No document open"
        elif self.model.pending:
            text = READING
        elif shown == total:
            text = f"{total} annotation{'s' if total != 1 else ''}"
        else:
            text = f"{shown} of {total} annotations"
        self.count_label.setText(text)

    # -- following the selection ------------------------------------------------------------

    def _choose(self, index: QModelIndex) -> None:
        span_id = index.data(SPAN_ID_ROLE)
        if span_id:
            self.selection.set_span(span_id)

    def _show_document(self, document_id: str) -> None:
        # Hidden, there is no paint to wait for (and nothing to keep responsive).
        later = self.isVisible() and bool(document_id)
        self.model.set_document(document_id, defer=later)
        if later:
            self._fill_later.arm()
        else:
            self._fill_later.cancel()

    def _after_reset(self) -> None:
        self._show_span(self.selection.span_id)
        self._update_count()

    def _show_span(self, span_id: str) -> None:
        if self.model.pending:
            return  # the rows, once read, show the span then (see _after_reset)
        row = self.model.row_of(span_id) if span_id else -1
        index = self.filter.mapFromSource(self.model.index(row, 0)) if row >= 0 else QModelIndex()
        chooser = self.view.selectionModel()
        if not index.isValid():
            chooser.clearSelection()
            return
        flags = (
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows
        )
        chooser.setCurrentIndex(index, flags)
        self.view.scrollTo(index)

    def _on_changed(self, changes: ChangeSet) -> None:
        tables = changes.tables()
        if not tables or tables & {"tags", "annotators"}:
            self._fill_filters()
        self._update_count()
