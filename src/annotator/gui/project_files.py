"""The File menu's work for a main window: other projects, imports and exports.

Imports and exports run as :mod:`annotator.gui.jobs` in their own thread and connection, with
a progress dialog that can cancel them; an import then becomes one step on the undo stack.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox, QProgressDialog

from annotator.core import corpus, defaults
from annotator.core.formats import registry
from annotator.core.importing import ImportOutcome
from annotator.core.store import Project, ProjectError
from annotator.gui.jobs import ExportJob, ExportRequest, ImportJob, Job, describe, merged
from annotator.gui.session import AppliedCommand, Session
from annotator.gui.widgets.export_dialog import ExportDialog

if TYPE_CHECKING:
    from annotator.gui.main_window import MainWindow

PROJECT_FILTER = "Annotator projects (*.annotator);;All files (*)"


def _import_filter() -> str:
    """Every suffix the core reads: documents, then the annotation formats of the registry."""
    suffixes = sorted(corpus.SUPPORTED_SUFFIXES) + [
        s for fmt in registry.IMPORTS for s in fmt.suffixes
    ]
    return f"Documents and annotations ({' '.join('*' + s for s in suffixes)});;All files (*)"


DOCUMENT_FILTER = _import_filter()
PROGRESS_DELAY_MS = 400  # quick jobs finish without a dialog flashing up
JOB_STOP_WAIT_MS = 5000


class ProjectFiles(QObject):
    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.jobs: list[Job] = []

    @property
    def session(self) -> Session:
        return self.window.session

    @property
    def folder(self) -> Path:
        return self.session.path.parent

    # -- projects ---------------------------------------------------------------------------

    def new_project(self) -> None:
        chosen, _ = QFileDialog.getSaveFileName(
            self.window, "New project", str(self.folder / "study.annotator"), PROJECT_FILTER
        )
        if not chosen:
            return
        path = Path(chosen)
        if not path.suffix:
            path = path.with_suffix(".annotator")
        try:
            project, _ = defaults.create_project(path, annotator=self.session.annotator.name)
        except (ProjectError, OSError) as error:
            self.window.show_failure(f"Cannot create {path.name}: {describe(error)}")
            return
        self.switch_to(project)

    def choose_project(self) -> None:
        chosen, _ = QFileDialog.getOpenFileName(
            self.window, "Open project", str(self.folder), PROJECT_FILTER
        )
        if chosen:
            self.open_path(Path(chosen))

    def open_path(self, path: Path) -> None:
        if path.resolve() == self.session.path.resolve():
            return
        try:
            project = Project.open(path)
        except ProjectError as error:
            self.window.show_failure(describe(error))
            return
        self.switch_to(project)

    def switch_to(self, project: Project) -> None:
        """Show ``project`` in a new window that takes this one's place."""
        from annotator.gui.main_window import MainWindow  # the window module imports this one

        self.window.save_state()
        successor = MainWindow(Session(project, self.session.annotator.name))
        successor.show()
        self.window.close()

    # -- imports ----------------------------------------------------------------------------

    def choose_documents(self) -> None:
        chosen, _ = QFileDialog.getOpenFileNames(
            self.window, "Import documents", str(self.folder), DOCUMENT_FILTER
        )
        if chosen:
            self.import_paths([Path(p) for p in chosen])

    def choose_folder(self) -> None:
        chosen = QFileDialog.getExistingDirectory(self.window, "Import folder", str(self.folder))
        if chosen:
            self.import_paths([Path(chosen)])

    def import_paths(self, paths: list[Path]) -> ImportJob:
        job = ImportJob(self.session.path, paths, self.session.me, self)
        progress = self._progress_dialog(job, "Importing…")
        job.progressed.connect(
            lambda n, name: progress.setLabelText(f"Read {n} file{'s' * (n != 1)}: {name}")
        )
        job.succeeded.connect(self._imported)
        self._start(job)
        return job

    def _imported(self, outcome: ImportOutcome) -> None:
        changes = merged(outcome)
        if changes:
            # Written by the job's own connection; pushing it makes it one undoable step and
            # tells every view what changed.
            self.session.undo_stack.push(AppliedCommand(self.session, changes))
        else:
            self.session.refresh()  # another process may have imported the same meanwhile
        self.window.statusBar().showMessage(_import_summary(outcome), 8000)
        problems = _import_problems(outcome)
        if problems:
            QMessageBox.information(self.window, "Import", problems)
        if len(outcome.added) >= 1 and not self.window.selection.document_id:
            self.window.open_document(outcome.added[0].id)
        self.window.import_finished.emit(outcome)

    # -- exports ----------------------------------------------------------------------------

    def export(self) -> None:
        dialog = ExportDialog(self.session, self.folder, self.window)
        if dialog.exec():
            self.start_export(dialog.request())

    def start_export(self, request: ExportRequest) -> ExportJob:
        job = ExportJob(self.session.path, request, self)
        progress = self._progress_dialog(job, f"Exporting to {request.output.name}…")
        job.progressed.connect(lambda n, _: progress.setLabelText(f"Wrote {n} records…"))
        job.succeeded.connect(lambda counts: self._exported(request, counts))
        self._start(job)
        return job

    def _exported(self, request: ExportRequest, counts: dict[str, int]) -> None:
        summary = ", ".join(f"{n} {kind}" for kind, n in sorted(counts.items())) or "nothing"
        self.window.statusBar().showMessage(f"Wrote {request.output.name}: {summary}", 8000)
        self.window.export_finished.emit(counts)

    # -- running jobs -----------------------------------------------------------------------

    def _start(self, job: Job) -> None:
        job.failed.connect(self.window.show_failure)
        job.cancelled.connect(lambda: self.window.statusBar().showMessage("Cancelled", 4000))
        job.finished.connect(lambda: self._finished(job))
        self.jobs.append(job)
        job.start()

    def _finished(self, job: Job) -> None:
        if job in self.jobs:
            self.jobs.remove(job)
        job.deleteLater()

    def _progress_dialog(self, job: Job, label: str) -> QProgressDialog:
        progress = QProgressDialog(label, "Cancel", 0, 0, self.window)
        progress.setWindowTitle("Annotator")
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        progress.setMinimumDuration(PROGRESS_DELAY_MS)
        progress.setAutoClose(False)
        progress.canceled.connect(job.cancel)
        job.finished.connect(progress.reset)
        job.finished.connect(progress.deleteLater)
        return progress

    def stop_jobs(self) -> bool:
        """Cancel running jobs before the window closes; False if one will not stop."""
        for job in list(self.jobs):
            job.cancel()
            if not job.wait(JOB_STOP_WAIT_MS):
                return False
        return True


def _import_summary(outcome: ImportOutcome) -> str:
    parts = [f"Imported {len(outcome.added)} document{'s' * (len(outcome.added) != 1)}"]
    if outcome.sets:
        parts.append(f"{len(outcome.sets)} annotation set{'s' * (len(outcome.sets) != 1)}")
    if outcome.duplicates:
        parts.append(f"{len(outcome.duplicates)} already here")
    if outcome.skipped:
        parts.append(f"{len(outcome.skipped)} skipped")
    return ", ".join(parts)


def _import_problems(outcome: ImportOutcome) -> str:
    lines = [f"Skipped {skipped.path.name}: {skipped.reason}" for skipped in outcome.skipped]
    lines += [
        f"{path.name}: {problem}" for path, report in outcome.sets for problem in report.problems
    ]
    lines += [
        f"{path.name}: the text of “{title}” was replaced: {moved} annotation(s) moved, "
        f"{orphaned} orphaned" + (" (View > Orphaned annotations)" if orphaned else "")
        for path, report in outcome.sets
        for title, moved, orphaned in report.retexted
    ]
    lines += [
        f"{path.name}: not mapped: {item}"
        for path, report in outcome.sets
        for item in report.unmapped
    ]
    lines += [
        f"{path.name} has the same text as “{title}”, already in the project"
        for path, title in outcome.duplicates
    ]
    lines += [
        f"“{new}” is nearly the same text as “{old}” ({score:.0f}%)"
        for new, old, score in outcome.near_duplicates
    ]
    return "\n".join(lines[:30]) + ("\n…" if len(lines) > 30 else "")
