import os

# Before anything imports Qt: tests never need a display.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from pathlib import Path

import pytest

ARMENIA_TEXT = (
    "Armenia and Azerbaijan agreed on the text of a draft peace agreement in March 2025.\n\n"
    "Baku insists that Yerevan first change its constitution. 🇦🇲 Observers doubt it."
)
BAKU_TEXT = "The Zangezur corridor must open, officials in Baku said.\n\nPeace is within reach."


@pytest.fixture
def temp_settings(qapp, tmp_path: Path):
    """QSettings (and so window state, recent projects, the annotator's name) in tmp_path."""
    from PySide6.QtCore import QSettings

    from annotator.gui.settings import name_application

    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(
        QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "settings")
    )
    name_application()
    settings = QSettings()
    settings.clear()
    yield settings
    settings.clear()


@pytest.fixture
def two_document_session(qapp, tmp_path: Path):
    """A session over a temporary project: settings, two documents and two coloured tags."""
    from annotator.core import ops
    from annotator.core.store import Project
    from annotator.gui.session import Session

    project = Project.create(tmp_path / "two.annotator")
    session = Session(project, "Ani")
    ops.initialise_settings(project)
    ops.add_document(
        project,
        by=session.me,
        title="The Illusion of Peace Between Armenia and Azerbaijan",
        text=ARMENIA_TEXT,
        author="Jean-François Ratelle",
        date="2025-05-20",
        source="https://example.org/illusion",
    )
    ops.add_document(
        project,
        by=session.me,
        title="Courage to Surrender",
        text=BAKU_TEXT,
        author="Gevorg Melikyan",
        date="2025-08-02",
    )
    ops.create_tag(project, by=session.me, name="Constitution", colour="#f2c14e")
    ops.create_tag(project, by=session.me, name="Corridor", colour="#5fa8d3")
    yield session
    session.close()
