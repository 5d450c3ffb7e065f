"""Bringing outside work into the project: File › Merge colleague's project… and
Document › Replace text….

A merge runs twice as a :class:`MergeJob` (own thread and connection, progress, cancel): first
a dry run whose exact report the analyst reviews in a :class:`MergeDialog`, then the merge as
reviewed, which the window pushes as ONE undoable step. A new text for a document goes through
``session.perform`` like any edit, and says which annotations moved or lost their place.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox, QProgressDialog

from annotator.core import ops
from annotator.core.corpus import SUPPORTED_SUFFIXES, read_file
from annotator.core.merge import MergeOptions, MergeReport, MergeResult
from annotator.core.model import ChangeSet
from annotator.core.reanchor import Moved
from annotator.core.store import Project
from annotator.core.text_decoding import CorpusError
from annotator.gui.jobs import MergeJob, describe
from annotator.gui.models.rows import elide
from annotator.gui.session import AppliedCommand, Session
from annotator.gui.widgets.merge_dialog import MergeDialog

if TYPE_CHECKING:
    from annotator.gui.main_window import MainWindow

PROJECT_FILTER = "Annotator projects (*.annotator);;All files (*)"
TEXT_FILTER = (
    "Documents (" + " ".join(f"*{s}" for s in sorted(SUPPORTED_SUFFIXES)) + ");;All files (*)"
)
PROGRESS_DELAY_MS = 400  # a quick merge finishes without a dialog flashing up
STATUS_MS = 15_000
LISTED_ORPHANS = 12
QUOTE_CHARS = 80  # of each orphan listed


class Merging(QObject):
    job_started = Signal(object)  # a MergeJob about to start (tests reach its signals here)
    reviewing = Signal(object)  # the MergeDialog just opened, with a dry run's report
    merged = Signal(object)  # the MergeReport of an applied merge, its changes on the stack
    retexted = Signal(object)  # the annotations a new text moved or orphaned (list[Moved])

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.dialog: MergeDialog | None = None
        self.progress: QProgressDialog | None = None
        self.report_box: QMessageBox | None = None

    @property
    def session(self) -> Session:
        return self.window.session

    # -- merging ----------------------------------------------------------------------------

    def choose_project(self) -> None:
        chosen, _ = QFileDialog.getOpenFileName(
            self.window, "Merge colleague's project", str(self.session.path.parent), PROJECT_FILTER
        )
        if chosen:
            self.preview(Path(chosen))

    def preview(self, their_path: Path) -> MergeJob:
        """Dry-run a merge of ``their_path``; its report opens for review when it is done."""
        job = self._run(their_path, apply=False, options=MergeOptions())
        job.succeeded.connect(lambda result: self._review(their_path, result.report))
        return job

    def apply(self, their_path: Path, options: MergeOptions) -> MergeJob:
        job = self._run(their_path, apply=True, options=options)
        job.succeeded.connect(self._applied)
        return job

    def _review(self, their_path: Path, report: MergeReport) -> None:
        wanted = {m.my_id for m in report.documents} | {m.document_id for m in report.moved}
        dialog = MergeDialog(report, self.session.document_titles(wanted), self.window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self.apply(their_path, dialog.options()))
        dialog.destroyed.connect(lambda: setattr(self, "dialog", None))
        self.dialog = dialog
        dialog.open()  # window-modal, not a nested event loop: the jobs keep reporting
        self.reviewing.emit(dialog)

    def _applied(self, result: MergeResult) -> None:
        report = result.report
        name = Path(report.theirs).name
        if result.changes:
            # Written by the job's own connection; on the stack it is one undoable step, and
            # pushing it tells every view what changed.
            changes = ChangeSet(result.changes.changes, f"Merge {name}")
            self.session.undo_stack.push(AppliedCommand(self.session, changes))
        else:
            self.session.refresh()
        backup = Path(report.backup).name if report.backup else "none"
        self.window.statusBar().showMessage(
            f"Merged {name}: {_outcomes(report)}. Backup: {backup}", STATUS_MS
        )
        if report.total("conflicts"):
            self._show_dock("conflicts_dock")
        if report.orphans:
            self._show_dock("orphans_dock")
        self.merged.emit(report)

    def _show_dock(self, name: str) -> None:
        dock = getattr(self.window, name, None)
        if dock is not None:
            dock.show()
            dock.raise_()

    def _run(self, their_path: Path, *, apply: bool, options: MergeOptions) -> MergeJob:
        job = MergeJob(
            self.session.path, their_path, self.session.me, apply=apply, options=options,
            parent=self,
        )  # fmt: skip
        what = "Merging" if apply else "Comparing with"
        progress = QProgressDialog(f"{what} {their_path.name}…", "Cancel", 0, 0, self.window)
        progress.setWindowTitle("Merge")
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        progress.setMinimumDuration(PROGRESS_DELAY_MS)
        progress.setAutoClose(False)
        progress.setAutoReset(False)
        progress.canceled.connect(job.cancel)
        job.stepped.connect(lambda done, total: _step(progress, done, total))
        job.finished.connect(progress.reset)
        job.finished.connect(progress.deleteLater)
        self.progress = progress
        job.failed.connect(self.window.show_failure)
        job.cancelled.connect(
            lambda: self.window.statusBar().showMessage(
                "Merge cancelled: nothing was changed", STATUS_MS
            )
        )
        job.finished.connect(lambda: self._finished(job))
        # Closing the window stops it (and waits) like an import.
        self.window.files.jobs.append(job)
        self.job_started.emit(job)
        job.start()
        return job

    def _finished(self, job: MergeJob) -> None:
        if job in self.window.files.jobs:
            self.window.files.jobs.remove(job)
        self.progress = None
        job.deleteLater()

    # -- a new text for a document ----------------------------------------------------------

    def choose_text(self) -> None:
        if not self.window.selection.document_id:
            self.window.statusBar().showMessage("Open the document whose text to replace", 5000)
            return
        chosen, _ = QFileDialog.getOpenFileName(
            self.window, "Replace the document's text", str(self.session.path.parent), TEXT_FILTER
        )
        if chosen:
            self.replace_text(Path(chosen))

    def replace_text(self, path: Path) -> list[Moved] | None:
        """Give the open document the text of ``path``; None when nothing was replaced."""
        document = self.session.document(self.window.selection.document_id)
        if document is None:
            return None
        try:
            with _waiting():
                source = read_file(path)  # a PDF may take a moment
        except (CorpusError, OSError) as error:
            self.window.show_failure(f"Cannot read {path.name}: {describe(error)}")
            return None
        moved: list[Moved] = []

        def replace(project: Project, *, by: str, **options: Any) -> ChangeSet:
            result = ops.replace_document_text(project, by=by, **options)
            moved.extend(result.moved)  # session.perform keeps only the change set
            return result.changes

        changes = self.session.perform(
            replace,
            document_id=document.id,
            text=source.text,
            pages=list(source.pages) if source.pages else None,
        )
        if changes is None:
            return None  # refused; the session has said why
        self._report_retext(document.title, path, moved, bool(changes))
        self.retexted.emit(moved)
        return moved

    def _report_retext(self, title: str, path: Path, moved: list[Moved], changed: bool) -> None:
        orphans = [m for m in moved if m.method == "orphaned"]
        box = QMessageBox(self.window)
        box.setWindowTitle("Replace text")
        box.setIcon(QMessageBox.Icon.Information)
        if not changed:
            box.setText(f"“{title}” already has the text of {path.name}: nothing changed.")
        else:
            shifted = len(moved) - len(orphans)
            box.setText(
                f"“{title}” now has the text of {path.name}.\n\n"
                f"{shifted} annotation{_s(shifted)} moved with the text; "
                f"{len(orphans)} could not be placed and {_kept_as(len(orphans))}. "
                "Edit › Undo brings the old text back."
            )
        if orphans:
            lines = [f"• “{elide(m.row['quote'], QUOTE_CHARS)}”" for m in orphans[:LISTED_ORPHANS]]
            lines += ["…"] if len(orphans) > LISTED_ORPHANS else []
            box.setInformativeText("Orphaned:\n" + "\n".join(lines))
            review = box.addButton("&Review orphans", QMessageBox.ButtonRole.ActionRole)
            review.clicked.connect(self._review_orphans)
        box.addButton(QMessageBox.StandardButton.Ok)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.destroyed.connect(lambda: setattr(self, "report_box", None))
        self.report_box = box
        box.open()

    def _review_orphans(self) -> None:
        action = self.window.actions.get("orphans")
        if action is not None:
            action.trigger()


@contextlib.contextmanager
def _waiting() -> Iterator[None]:
    QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        yield
    finally:
        QApplication.restoreOverrideCursor()


def _step(progress: QProgressDialog, done: int, total: int) -> None:
    if progress.maximum() != total:
        progress.setMaximum(max(total, 1))
    progress.setValue(min(done, max(total, 1)))


def _outcomes(report: MergeReport) -> str:
    parts = [f"{report.total('new')} new", f"{report.total('updated')} updated"]
    for outcome, word in (("conflicts", "conflict"), ("orphaned", "orphaned")):
        n = report.total(outcome)
        if n:
            parts.append(f"{n} {word}{_s(n) if word == 'conflict' else ''}")
    return ", ".join(parts)


def _s(n: int) -> str:
    return "" if n == 1 else "s"


def _kept_as(n: int) -> str:
    return "was kept as an orphan" if n == 1 else "were kept as orphans"
