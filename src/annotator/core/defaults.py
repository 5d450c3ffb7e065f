"""Where the default project lives, and how the first run makes it from the sample corpus."""

from __future__ import annotations

import getpass
import json
import os
from importlib import resources
from pathlib import Path

import platformdirs

from annotator.core import ops
from annotator.core.importing import ImportOutcome, import_documents, import_paths
from annotator.core.store import Project

APP_NAME = "annotator"
DATA_DIR_VARIABLE = "ANNOTATOR_DATA_DIR"  # tests and portable setups point this elsewhere
NAME_VARIABLE = "ANNOTATOR_NAME"


def data_dir() -> Path:
    override = os.environ.get(DATA_DIR_VARIABLE)
    return Path(override) if override else platformdirs.user_data_path(APP_NAME, appauthor=False)


def default_project_path() -> Path:
    return data_dir() / "default.annotator"


def default_annotator_name() -> str:
    """``ANNOTATOR_NAME``, else the operating-system user."""
    name = os.environ.get(NAME_VARIABLE, "").strip()
    if name:
        return name
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "analyst"


def sample_corpus_dir() -> Path:
    """The sample corpus: packaged in a wheel, or at the top of a source checkout."""
    packaged = resources.files("annotator") / "sample_corpus"
    if packaged.is_dir():
        return Path(str(packaged))
    return Path(__file__).resolve().parents[3] / "sample_corpus"


def create_project(
    path: Path, *, annotator: str | None = None, sample: bool = False
) -> tuple[Project, ImportOutcome | None]:
    """A new project with default settings, optionally holding the sample corpus and codebook.

    ``annotator`` is registered now when given; otherwise the first person to act is (so a
    set exported elsewhere and imported here keeps its annotators' ids).
    """
    project = Project.create(path)
    try:
        ops.initialise_settings(project)
        if annotator is not None:
            ops.ensure_annotator(project, annotator)
        outcome = import_sample(project, annotator or default_annotator_name()) if sample else None
    except BaseException:
        project.close()
        path.unlink(missing_ok=True)
        raise
    return project, outcome


def import_sample(project: Project, annotator: str) -> ImportOutcome:
    """The documents the sample manifest lists (not its README), then its codebook."""
    me = ops.ensure_annotator(project, annotator).id
    folder = sample_corpus_dir()
    listed = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))["documents"]
    outcome = import_documents(project, [folder / name for name in listed], by=me)
    codebook = import_paths(project, sorted(folder.glob("*.jsonl")), by=me)
    outcome.sets += codebook.sets
    outcome.skipped += codebook.skipped
    return outcome


def open_default_project(annotator: str | None = None) -> tuple[Project, bool]:
    """The default project, made from the sample corpus on first run; (project, created)."""
    path = default_project_path()
    if path.exists():
        return Project.open(path), False
    path.parent.mkdir(parents=True, exist_ok=True)
    project, _ = create_project(path, annotator=annotator or default_annotator_name(), sample=True)
    return project, True
