"""The merge report of a dry run, for review before anything is written.

The analyst sees what merging would do (counts per kind of record and outcome), which of
their documents were taken for one of ours, which names look alike, which passages move or
lose their place, and which edits clash; unticks a doubtful document match, ticks a name to
map, then merges or cancels. The ticks become the merge's options.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from PySide6.QtCore import QAbstractItemModel, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from annotator.core.merge import MergeOptions, MergeReport
from annotator.gui.models.merge_report import (
    CountsModel,
    ReportTableModel,
    conflicts_model,
    documents_model,
    moved_model,
    orphans_model,
    similar_model,
)

DOCUMENTS_HINT = (
    "Documents of theirs taken for one of this project's. Untick a match made on nearly the "
    "same text to bring their document in as a separate one."
)
NAMES_HINT = (
    "Their names close to one of this project's. They stay separate unless ticked; a ticked "
    "one is merged into this project's."
)
MOVED_HINT = (
    "Their annotations on a document whose text differs here, carried to where their "
    "passage is in this project's text."
)
ORPHANS_HINT = (
    "Their annotations whose passage is not in this project's text. They are kept, marked "
    "as orphans: anchor them by hand afterwards (View › Orphaned annotations)."
)
CONFLICTS_HINT = (
    "Records both projects changed. The later edit is kept; the other version goes to the "
    "conflict log (View › Merge conflicts), where it can be restored."
)


class MergeDialog(QDialog):
    def __init__(
        self,
        report: MergeReport,
        titles: Mapping[str, str],
        parent: QWidget | None = None,
    ) -> None:
        """``titles``: this project's document titles by id (the report names only ids)."""
        super().__init__(parent)
        self.setObjectName("mergeDialog")
        self.report = report
        theirs, mine = Path(report.theirs).name, Path(report.mine).name
        self.setWindowTitle(f"Merge {theirs}")
        heading = QLabel(f"<b>Merge “{theirs}” into “{mine}”</b>", self)
        self.summary = QLabel(summary_text(report), self)
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.PlainText)

        self.counts = CountsModel(report, self)
        self.documents = documents_model(report, titles, self)
        self.similar = similar_model(report, self)
        self.moved = moved_model([m for m in report.moved if m.method != "orphaned"], titles, self)
        self.orphans = orphans_model(report.orphans, titles, self)
        self.conflicts = conflicts_model(report, self)

        self.tabs = QTabWidget(self)
        self.counts_view = self._tab("&Summary", self.counts, "")
        self.documents_view = self._tab("&Documents", self.documents, DOCUMENTS_HINT)
        self.similar_view = self._tab("Similar &names", self.similar, NAMES_HINT)
        self.moved_view = self._tab("Mo&ved", self.moved, MOVED_HINT)
        self.orphans_view = self._tab("&Orphans", self.orphans, ORPHANS_HINT)
        self.conflicts_view = self._tab("&Conflicts", self.conflicts, CONFLICTS_HINT)
        self.counts_view.verticalHeader().show()
        self.counts_view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.counts_view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)

        buttons = QDialogButtonBox(self)
        self.merge_button = buttons.addButton("&Merge", QDialogButtonBox.ButtonRole.AcceptRole)
        self.merge_button.setDefault(True)
        self.cancel_button = buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        note = QLabel(
            "Nothing has been written yet. Merging backs this project up first and can be "
            "undone (Edit › Undo).",
            self,
        )
        note.setWordWrap(True)

        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(self.summary)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(note)
        layout.addWidget(buttons)
        self.resize(860, 560)
        self.tabs.setFocus()

    def options(self) -> MergeOptions:
        """The merge as reviewed: untick fuzzy matches refused, ticked similar names mapped."""
        refused = frozenset(m.their_id for m in self.documents.unticked_rows())
        names = {n.their_id: n.my_id for n in self.similar.ticked_rows()}
        return MergeOptions(refused_documents=refused, names=names)

    def tab_titles(self) -> list[str]:
        return [self.tabs.tabText(i) for i in range(self.tabs.count())]

    def _tab(self, title: str, model: QAbstractItemModel, hint: str) -> QTableView:
        page = QWidget(self.tabs)
        view = QTableView(page)
        view.setModel(model)
        view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        view.setAlternatingRowColors(True)
        view.setWordWrap(False)
        view.verticalHeader().hide()
        header = view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        stretch = model.stretch_column() if isinstance(model, ReportTableModel) else -1
        if stretch >= 0:
            header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
        layout = QVBoxLayout(page)
        if hint:
            label = QLabel(hint, page)
            label.setWordWrap(True)
            layout.addWidget(label)
        layout.addWidget(view, 1)
        rows = model.rowCount()
        counted = f"{title} ({rows})" if hint else title
        self.tabs.addTab(page, counted)
        self.tabs.setTabEnabled(self.tabs.count() - 1, rows > 0 or not hint)
        page.setFocusProxy(view)
        return view


def summary_text(report: MergeReport) -> str:
    """One paragraph: what merging would add, change and leave for review."""
    new, updated = report.total("new"), report.total("updated")
    conflicts, orphans = report.total("conflicts"), report.total("orphaned")
    moved = report.total("reanchored")
    parts = [f"{new} new record{_s(new)}", f"{updated} updated"]
    if moved:
        parts.append(f"{moved} annotation{_s(moved)} moved to this project's text")
    text = "Merging would bring in " + ", ".join(parts) + "."
    review = []
    if conflicts:
        review.append(f"{conflicts} conflict{_s(conflicts)} (both sides changed a record)")
    if orphans:
        review.append(f"{orphans} orphaned annotation{_s(orphans)} (passage not found)")
    if report.similar:
        review.append(f"{len(report.similar)} similar name{_s(len(report.similar))} to decide")
    if review:
        text += " To review: " + "; ".join(review) + "."
    elif not new and not updated:
        text = "This project already holds everything in theirs: merging would change nothing."
    return text


def _s(n: int) -> str:
    return "" if n == 1 else "s"
