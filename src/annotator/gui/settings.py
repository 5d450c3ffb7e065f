"""What the workbench remembers between runs (QSettings): the project file holds research only.

Keys live here so the app, the main window and the tests agree on them.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QSettings

ORGANISATION = "Annotator"
APPLICATION = "annotator"
RECENT_KEY = "recent/projects"
NAME_KEY = "annotator/name"
MAX_RECENT = 10


def name_application() -> None:
    """Give QSettings a stable home (it is keyed by organisation and application names)."""
    QCoreApplication.setOrganizationName(ORGANISATION)
    QCoreApplication.setApplicationName(APPLICATION)


def _strings(value: object) -> list[str]:
    # An INI backend returns one string for a one-item list, and None for an empty one.
    if value is None:
        return []
    if isinstance(value, str):
        return [value] if value else []
    return [str(item) for item in value]  # type: ignore[union-attr]


def recent_projects(settings: QSettings | None = None) -> list[Path]:
    settings = settings or QSettings()
    return [Path(p) for p in _strings(settings.value(RECENT_KEY))]


def remember_project(path: Path, settings: QSettings | None = None) -> None:
    """Put ``path`` first in the recent list (absolute, without duplicates)."""
    settings = settings or QSettings()
    path = path.resolve()
    recent = [p for p in recent_projects(settings) if p != path]
    settings.setValue(RECENT_KEY, [str(p) for p in [path, *recent][:MAX_RECENT]])


def forget_project(path: Path, settings: QSettings | None = None) -> None:
    settings = settings or QSettings()
    recent = [str(p) for p in recent_projects(settings) if p != path.resolve()]
    settings.setValue(RECENT_KEY, recent)


def stored_annotator_name(settings: QSettings | None = None) -> str:
    settings = settings or QSettings()
    return str(settings.value(NAME_KEY, "") or "").strip()


def store_annotator_name(name: str, settings: QSettings | None = None) -> None:
    (settings or QSettings()).setValue(NAME_KEY, name)


def _project_key(path: Path) -> str:
    # Paths make poor QSettings keys (slashes nest groups); a digest is stable and flat.
    return "lastDocument/" + hashlib.sha1(str(path.resolve()).encode()).hexdigest()[:16]


def last_document(project_path: Path, settings: QSettings | None = None) -> str:
    """The document last open in this project, so the workbench reopens where you were."""
    return str((settings or QSettings()).value(_project_key(project_path), "") or "")


def remember_document(
    project_path: Path, document_id: str, settings: QSettings | None = None
) -> None:
    (settings or QSettings()).setValue(_project_key(project_path), document_id)


SNAP_KEY = "view/snap_to_words"


def snap_to_words(settings: QSettings | None = None) -> bool:
    return str((settings or QSettings()).value(SNAP_KEY, "false")).lower() == "true"


def store_snap_to_words(on: bool, settings: QSettings | None = None) -> None:
    (settings or QSettings()).setValue(SNAP_KEY, "true" if on else "false")
