"""Screenshots of the workbench on the sample corpus, for the README and for looking at.

    QT_QPA_PLATFORM=offscreen uv run python resources/screenshots/make_screenshots.py

Builds a throwaway project from the sample corpus and a colleague's copy of it, annotates
both through the same operations the workbench uses (overlapping passages, a stance, a link
across the two articles), and writes PNGs next to this script: merge-report.png (the review
of merging the colleague's copy), then main-window.png (light palette) and
main-window-dark.png (dark palette) of the merged project, two annotators' passages shown.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from collections import Counter
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QColor, QImage, QPalette
from PySide6.QtWidgets import QApplication, QStyleFactory, QWidget

from annotator.core import defaults, ops
from annotator.core.merge import merge_projects
from annotator.core.model import Document, Tag
from annotator.core.store import Project
from annotator.gui.main_window import MainWindow
from annotator.gui.session import Session
from annotator.gui.settings import name_application
from annotator.gui.widgets.merge_dialog import MergeDialog

HERE = Path(__file__).resolve().parent
SIZE = (1360, 860)  # the window's default size
MERGE_SIZE = (860, 560)
RATELLE, MELIKYAN = "The Illusion", "Azerbaijan's"
# (article, phrase, tag names): overlaps included
MINE = [
    (RATELLE, "agreed on the text of a draft agreement", ["Draft peace agreement (March 2025)"]),
    (RATELLE, "including a roadmap to peace", ["Peace process"]),
    (RATELLE, "conflict mindset continues to prevail", ["Top-down vs inclusive peace"]),
    (RATELLE, "ethnic polarization and deep-seated mistrust", []),
    (RATELLE, "deep-seated mistrust", ["Transitional justice"]),
]
THEIRS = [
    (RATELLE, "a draft agreement, including a roadmap", ["Peace process"]),
    (RATELLE, "precarious position and the impossible choice", ["Power asymmetry"]),
    (MELIKYAN, "peace is equated with Armenia’s full capitulation", ["Victor's peace"]),
    (
        MELIKYAN,
        "the illusion that both sides are negotiating on equal footing",
        ["Power asymmetry"],
    ),
]
SHARED_TAG = "Power asymmetry"  # both recolour it: a conflict for the review


def dark_palette() -> QPalette:
    """A dark palette whose disabled texts, buttons and bevels look disabled (Fusion draws
    with every role, so each must be dark-friendly, not the light defaults)."""
    palette = QPalette()
    roles = {
        QPalette.ColorRole.Window: "#2b2b2b",
        QPalette.ColorRole.WindowText: "#e6e6e6",
        QPalette.ColorRole.Base: "#1e1e1e",
        QPalette.ColorRole.AlternateBase: "#262626",
        QPalette.ColorRole.Text: "#e6e6e6",
        QPalette.ColorRole.Button: "#353535",
        QPalette.ColorRole.ButtonText: "#e6e6e6",
        QPalette.ColorRole.BrightText: "#ff6b6b",
        QPalette.ColorRole.Light: "#4a4a4a",
        QPalette.ColorRole.Midlight: "#3c3c3c",
        QPalette.ColorRole.Mid: "#2f2f2f",
        QPalette.ColorRole.Dark: "#1f1f1f",
        QPalette.ColorRole.Shadow: "#121212",
        QPalette.ColorRole.Highlight: "#3d7ad6",
        QPalette.ColorRole.HighlightedText: "#ffffff",
        QPalette.ColorRole.PlaceholderText: "#a0a0a0",
        QPalette.ColorRole.ToolTipBase: "#353535",
        QPalette.ColorRole.ToolTipText: "#e6e6e6",
        QPalette.ColorRole.Link: "#7fb2ff",
    }
    for role, colour in roles.items():
        palette.setColor(role, QColor(colour))
    disabled = {
        QPalette.ColorRole.WindowText: "#7a7a7a",
        QPalette.ColorRole.Text: "#7a7a7a",
        QPalette.ColorRole.ButtonText: "#6e6e6e",
        QPalette.ColorRole.Button: "#2e2e2e",
        QPalette.ColorRole.Base: "#252525",
        QPalette.ColorRole.Light: "#2b2b2b",  # no bright etching under disabled text
        QPalette.ColorRole.Highlight: "#4a4a4a",
        QPalette.ColorRole.HighlightedText: "#9a9a9a",
        QPalette.ColorRole.PlaceholderText: "#6a6a6a",
    }
    for role, colour in disabled.items():
        palette.setColor(QPalette.ColorGroup.Disabled, role, QColor(colour))
    return palette


def annotate(project: Project, who: str, passages: list) -> dict[str, str]:
    """Highlight ``passages`` as ``who``; their span ids by phrase."""
    by = ops.ensure_annotator(project, who).id
    tags = {tag.name: tag.id for tag in _tags(project)}
    made = {}
    for article, phrase, names in passages:
        document = _document(project, article)
        start = document.text.index(phrase)
        made[phrase] = ops.create_span(
            project,
            by=by,
            document_id=document.id,
            start=start,
            end=start + len(phrase),
            tags=[tags[name] for name in names],
        ).created("spans")[0]
    return made


def _tags(project: Project) -> list[Tag]:
    return list(project.records(Tag))


def _document(project: Project, title_start: str) -> Document:
    return next(d for d in project.records(Document) if d.title.startswith(title_start))


def recolour(project: Project, who: str, colour: str) -> None:
    tag = next(t for t in _tags(project) if t.name == SHARED_TAG)
    ops.update_tag(project, by=ops.ensure_annotator(project, who).id, tag_id=tag.id, colour=colour)


def stance_and_link(session: Session, mine: dict[str, str]) -> str:
    """Ani's stance on her first passage and a link to Lusine's reading of the other
    article; returns the passage to show selected."""
    evidence = mine[MINE[0][1]]
    ratelle = _document(session.project, RATELLE)
    target = session.perform(ops.create_target, name="The March 2025 draft peace agreement")
    actor = session.perform(ops.create_actor, name="Jean-François Ratelle")
    session.perform(
        ops.create_stance,
        document_id=ratelle.id,
        span_id=evidence,
        target_id=target.created("targets")[0],
        actor_id=actor.created("actors")[0],
        polarity=-1,
        note="Doubts the agreement will hold",
    )
    melikyan = _document(session.project, MELIKYAN)
    answer = next(s for s in session.spans(melikyan.id) if "capitulation" in s.quote)
    session.perform(ops.create_link, source=evidence, target=answer.id, type="supports")
    return evidence


def shoot(widget: QWidget, app: QApplication, path: Path) -> None:
    for _ in range(5):
        app.processEvents()
    image = widget.grab().toImage().convertToFormat(QImage.Format.Format_RGB32)
    small = image.convertToFormat(
        QImage.Format.Format_Indexed8, common_colours(image), Qt.ImageConversionFlag.AvoidDither
    )
    small.save(str(path), "PNG", 0)  # quality 0: the strongest compression
    print(f"wrote {path} ({path.stat().st_size // 1024} KB)")


def common_colours(image: QImage, count: int = 256) -> list[int]:
    """A palette of ``count`` colours for a screenshot: the commonest colour of each of the
    commonest neighbourhoods (4 bits a channel). Text's many anti-aliasing greys share a few
    neighbourhoods, so small swatches of tag colours still get their own entry."""
    pixels = Counter(memoryview(image.constBits()).cast("I"))
    best: dict[int, tuple[int, int]] = {}  # neighbourhood -> (pixels in it, its commonest)
    for colour, n in pixels.most_common():
        area = (colour >> 4) & 0x0F0F0F
        total, first = best.get(area, (0, colour))
        best[area] = (total + n, first)
    ranked = sorted(best.values(), reverse=True)
    return [first for _, first in ranked[:count]]


def main() -> int:
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        QSettings.setDefaultFormat(QSettings.Format.IniFormat)
        QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, scratch)
        name_application()
        app = QApplication.instance() or QApplication(sys.argv[:1])
        fusion = QStyleFactory.create("Fusion")  # offscreen has no desktop style of its own
        if fusion is not None:
            app.setStyle(fusion)
        mine_path, theirs_path = folder / "sample.annotator", folder / "lusine.annotator"
        project, _ = defaults.create_project(mine_path, annotator="Ani Petrosyan", sample=True)
        project.close()
        shutil.copy(mine_path, theirs_path)  # the colleague starts from the same project
        with Project.open(theirs_path) as theirs:
            annotate(theirs, "Lusine Hakobyan", THEIRS)
            recolour(theirs, "Lusine Hakobyan", "#e07a5f")
        project = Project.open(mine_path)
        mine = annotate(project, "Ani Petrosyan", MINE)
        recolour(project, "Ani Petrosyan", "#9c89b8")
        session = Session(project, "Ani Petrosyan")

        window = MainWindow(session)
        window.resize(*SIZE)
        report = merge_projects(project, theirs_path, by=session.me, apply=False).report
        titles = session.document_titles(m.my_id for m in report.documents)
        dialog = MergeDialog(report, titles, window)
        dialog.resize(*MERGE_SIZE)
        dialog.show()
        shoot(dialog, app, HERE / "merge-report.png")
        dialog.close()

        merge_projects(project, theirs_path, by=session.me, apply=True)
        session.refresh()
        evidence = stance_and_link(session, mine)
        window.show()
        window.open_document(_document(project, RATELLE).id)
        window.pane.reveal_span(evidence)
        window.focus_panel(window.pane)  # reading: the keys go to the text
        shoot(window, app, HERE / "main-window.png")
        app.setPalette(dark_palette())
        shoot(window, app, HERE / "main-window-dark.png")
        window.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
