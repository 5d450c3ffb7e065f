"""Long jobs off the GUI thread: imports, exports and merges, each on its own project connection.

SQLite connections belong to one thread, so a job opens the project file again, does its work
in its own transaction and hands plain results back through queued signals. The window then
pushes what an import wrote onto the undo stack, so an import is one undoable step.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import IO, Any

from PySide6.QtCore import QObject, QThread, Signal

from annotator.core.formats import FormatError, registry
from annotator.core.formats.selection import Selection
from annotator.core.importing import ImportOutcome, import_documents, import_paths, split_paths
from annotator.core.merge import MergeOptions, MergeResult, merge_projects
from annotator.core.model import ChangeSet
from annotator.core.store import Project, ProjectError

EXPECTED = (ProjectError, FormatError, OSError, UnicodeError)


class Cancelled(Exception):
    """Raised inside a job's transaction so that nothing of it is written."""


class Job(QThread):
    """Runs ``work(project)`` on its own connection; each kind of job defines ``work``.

    (QThread's metaclass rules out ``abc``; the annotation declares the hook instead.)
    """

    work: Callable[[Project], object]
    progressed = Signal(int, str)  # items done so far, what is being done
    succeeded = Signal(object)  # the job's result
    failed = Signal(str)  # a one-line reason
    cancelled = Signal()

    def __init__(self, project_path: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.project_path = project_path
        self._cancel_requested = False

    def cancel(self) -> None:
        self._cancel_requested = True

    def check(self) -> None:
        if self._cancel_requested:
            raise Cancelled

    def run(self) -> None:
        try:
            with Project.open(self.project_path) as project:
                result = self.work(project)
        except Cancelled:
            self.cancelled.emit()
        except EXPECTED as error:
            self.failed.emit(describe(error))
        except Exception as error:  # a bug must not vanish silently in a thread
            self.failed.emit(f"Unexpected error: {describe(error)}")
        else:
            self.succeeded.emit(result)


class ImportJob(Job):
    """Documents (cancellable until they are written), then annotation sets."""

    def __init__(self, project_path: Path, paths: list[Path], annotator_id: str, parent=None):
        super().__init__(project_path, parent)
        self.paths = paths
        self.annotator_id = annotator_id
        self._read = 0

    def work(self, project: Project) -> ImportOutcome:
        sets, documents = split_paths(self.paths)
        outcome = ImportOutcome()
        if documents:
            outcome = import_documents(
                project, documents, by=self.annotator_id, progress=self._progress
            )
        self.check()  # after this point the documents are committed; sets follow quickly
        if sets:
            more = import_paths(project, sets, by=self.annotator_id)
            outcome.sets += more.sets
            outcome.skipped += more.skipped
            outcome.changes += more.changes
        return outcome

    def _progress(self, path: Path) -> None:
        self.check()  # raising inside the import's transaction rolls it back
        self._read += 1
        self.progressed.emit(self._read, path.name)


@dataclass(frozen=True)
class ExportRequest:
    output: Path
    format: str  # a name in formats.registry.EXPORTS
    selection: Selection
    with_text: bool = False


class ExportJob(Job):
    def __init__(self, project_path: Path, request: ExportRequest, parent=None):
        super().__init__(project_path, parent)
        self.request = request

    def work(self, project: Project) -> dict[str, int]:
        request = self.request
        fmt = registry.export_format(request.format)
        with registry.output_target(fmt, request.output) as target:
            if not isinstance(target, Path):
                target = _CancellableWriter(target, self)
            counts = fmt.write(project, target, request.selection, with_text=request.with_text)
            self.check()  # a folder export, or a short one, is cancelled here: nothing appears
        return dict(counts)


class _CancellableWriter:
    """A text or binary stream that stops the export when cancel is asked, and reports
    progress. Writers use more of the file protocol than ``write`` (zipfile seeks and tells,
    the HTML report writes lines): everything else goes to the real handle."""

    EVERY = 200  # writes between progress reports

    def __init__(self, handle: IO[Any], job: Job) -> None:
        self.handle = handle
        self.job = job
        self.writes = 0

    def write(self, data: Any) -> int:
        self.writes += 1
        if self.writes % self.EVERY == 0:
            self.job.check()
            self.job.progressed.emit(self.writes, "")
        return self.handle.write(data)

    def writelines(self, lines: Any) -> None:
        for line in lines:
            self.write(line)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.handle, name)


class MergeJob(Job):
    """A merge's dry run (``apply`` False: done, reported, rolled back) or the merge itself.

    A cancel raises inside the merge's transaction, so MINE is left exactly as it was. The
    applied merge gathers what it wrote, for the window to push as one undoable step.
    """

    stepped = Signal(int, int)  # rows of theirs done, rows in all

    def __init__(
        self,
        project_path: Path,
        their_path: Path,
        annotator_id: str,
        *,
        apply: bool,
        options: MergeOptions | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(project_path, parent)
        self.their_path = their_path
        self.annotator_id = annotator_id
        self.apply = apply
        self.options = replace(options or MergeOptions(), keep_changes=apply)

    def work(self, project: Project) -> MergeResult:
        self.check()
        return merge_projects(
            project,
            self.their_path,
            by=self.annotator_id,
            apply=self.apply,
            options=self.options,
            progress=self._progress,
        )

    def _progress(self, done: int, total: int) -> None:
        self.check()  # raising inside the merge's transaction rolls it back
        self.stepped.emit(done, total)


def merged(outcome: ImportOutcome) -> ChangeSet:
    """Everything an import wrote, as one undoable change."""
    changes = tuple(change for changeset in outcome.changes for change in changeset.changes)
    added = len(outcome.added)
    label = f"Import {added} document{'s' if added != 1 else ''}" if added else "Import"
    return ChangeSet(changes, label)


def describe(error: BaseException) -> str:
    if isinstance(error, OSError) and error.strerror:
        return f"{error.filename}: {error.strerror}" if error.filename else error.strerror
    return " ".join(str(error).split()) or type(error).__name__
