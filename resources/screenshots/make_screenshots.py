"""Screenshots of the workbench on the sample corpus, for the README and for looking at.

    QT_QPA_PLATFORM=offscreen uv run python resources/screenshots/make_screenshots.py

Builds a throwaway project from the sample corpus, highlights a few passages through the
session (as the analyst would), and writes PNGs next to this script: main-window.png (light
palette) and main-window-dark.png (dark palette).
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QSettings
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QStyleFactory

from annotator.core import defaults, ops
from annotator.gui.main_window import MainWindow
from annotator.gui.session import Session
from annotator.gui.settings import name_application

HERE = Path(__file__).resolve().parent
SIZE = (1400, 860)
# (phrase, tag names): passages of the Ratelle article worth showing, overlaps included
PASSAGES = [
    ("agreed on the text of a draft agreement", ["Draft peace agreement (March 2025)"]),
    ("including a roadmap to peace", ["Peace process"]),
    ("conflict mindset continues to prevail", ["Top-down vs inclusive peace"]),
    ("ethnic polarization and deep-seated mistrust", []),
    ("deep-seated mistrust", ["Transitional justice"]),
]


def dark_palette() -> QPalette:
    palette = QPalette()
    roles = {
        QPalette.ColorRole.Window: "#2b2b2b",
        QPalette.ColorRole.WindowText: "#e6e6e6",
        QPalette.ColorRole.Base: "#1e1e1e",
        QPalette.ColorRole.AlternateBase: "#262626",
        QPalette.ColorRole.Text: "#e6e6e6",
        QPalette.ColorRole.Button: "#353535",
        QPalette.ColorRole.ButtonText: "#e6e6e6",
        QPalette.ColorRole.Highlight: "#3d7ad6",
        QPalette.ColorRole.HighlightedText: "#ffffff",
        QPalette.ColorRole.PlaceholderText: "#a0a0a0",
        QPalette.ColorRole.ToolTipBase: "#353535",
        QPalette.ColorRole.ToolTipText: "#e6e6e6",
        QPalette.ColorRole.Link: "#7fb2ff",
    }
    for role, colour in roles.items():
        palette.setColor(role, QColor(colour))
    return palette


def annotate(session: Session) -> tuple[str, str]:
    """Highlight PASSAGES in the first article; return (document id, a span to select)."""
    tags = {tag.name: tag.id for tag in session.tags()}
    document = next(d for d in session.documents() if d.title.startswith("The Illusion"))
    text = session.document(document.id).text
    made = []
    for phrase, tag_names in PASSAGES:
        start = text.index(phrase)
        changes = session.perform(
            ops.create_span,
            document_id=document.id,
            start=start,
            end=start + len(phrase),
            tags=[tags[name] for name in tag_names],
        )
        made.append(changes.created("spans")[0])
    target = session.perform(ops.create_target, name="The March 2025 draft peace agreement")
    actor = session.perform(ops.create_actor, name="Jean-François Ratelle")
    session.perform(
        ops.create_stance,
        document_id=document.id,
        span_id=made[0],
        target_id=target.created("targets")[0],
        actor_id=actor.created("actors")[0],
        polarity=-1,
        note="Doubts the agreement will hold",
    )
    return document.id, made[0]


def shoot(window: MainWindow, app: QApplication, path: Path) -> None:
    for _ in range(5):
        app.processEvents()
    window.grab().save(str(path))
    print(f"wrote {path}")


def main() -> int:
    with tempfile.TemporaryDirectory() as scratch:
        QSettings.setDefaultFormat(QSettings.Format.IniFormat)
        QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, scratch)
        name_application()
        app = QApplication.instance() or QApplication(sys.argv[:1])
        fusion = QStyleFactory.create("Fusion")  # offscreen has no desktop style of its own
        if fusion is not None:
            app.setStyle(fusion)
        project, _ = defaults.create_project(
            Path(scratch) / "sample.annotator", annotator="Ani Petrosyan", sample=True
        )
        session = Session(project, "Ani Petrosyan")
        document_id, span_id = annotate(session)
        window = MainWindow(session)
        window.resize(*SIZE)
        window.show()
        window.open_document(document_id)
        window.pane.reveal_span(span_id)
        shoot(window, app, HERE / "main-window.png")
        app.setPalette(dark_palette())
        shoot(window, app, HERE / "main-window-dark.png")
        window.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
