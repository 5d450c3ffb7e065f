"""A small project for the tagging panel tests: a codebook tree with keys, targets, actors,
two annotators, and a panel wired to an article view the way the main window wires them."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QHBoxLayout, QWidget

from annotator.core import ops
from annotator.core.ops.codebook import WhenUsed
from annotator.core.store import Project
from annotator.core.store.schema import RECORD_TABLES
from annotator.gui.selection import Selection
from annotator.gui.session import Session
from annotator.gui.widgets.article_view import ArticleView
from annotator.gui.widgets.tagging_panel import TaggingPanel

TEXT = (
    "Azerbaijan insists that Armenia change its constitution before any treaty is signed.\n"
    "The Zangezur corridor must open to unimpeded transit, officials in Baku said.\n"
    "Yerevan’s reply: the Lachin blockade showed what such promises are worth."
)
CODEBOOK = [  # name, parent, colour, shortcut
    ("Peace process", None, "#8fd79b", None),
    ("Constitution demand", "Peace process", "#8bfbbf", "4"),
    ("Draft agreement", "Peace process", "#b3d377", None),
    ("Territory", None, "#fbbf73", None),
    ("Zangezur corridor", "Territory", "#f3e383", "1"),
    ("Lachin blockade", "Territory", "#f7d797", "2"),
    ("Framing", None, "#47dfb7", "f"),
]


@dataclass
class Tagging:
    session: Session
    selection: Selection
    panel: TaggingPanel
    view: ArticleView
    window: QWidget
    document: str
    tags: dict[str, str] = field(default_factory=dict)  # name -> id

    @property
    def project(self) -> Project:
        return self.session.project

    def select(self, phrase: str) -> tuple[int, int]:
        """Select ``phrase`` in the article view, as the analyst would."""
        start = TEXT.index(phrase)
        self.view.select_range(start, start + len(phrase))
        return start, start + len(phrase)

    def span_tags(self, span_id: str) -> set[str]:
        names = {tag.id: tag.name for tag in self.session.tags()}
        ids = self.session.tags_by_span(self.document).get(span_id, [])
        return {names.get(t, t) for t in ids}

    def rows(self, *tables: str) -> dict[str, list[dict[str, Any]]]:
        return {t: self.project.all_rows(t) for t in tables or (*RECORD_TABLES, "settings")}


class FakeAsker:
    """Scripted answers to the panels' questions; records what was asked."""

    def __init__(self, **answers: Any) -> None:
        self.answers = answers
        self.asked: list[tuple[str, tuple[Any, ...]]] = []

    def _answer(self, kind: str, *args: Any) -> Any:
        self.asked.append((kind, args))
        answer = self.answers.get(kind)
        return answer(*args) if callable(answer) else answer

    def text(self, *args: Any) -> str | None:
        return self._answer("text", *args)

    def long_text(self, *args: Any) -> str | None:
        return self._answer("long_text", *args)

    def colour(self, *args: Any) -> str | None:
        return self._answer("colour", *args)

    def when_used(self, *args: Any) -> WhenUsed | None:
        return self._answer("when_used", *args)

    def confirm(self, *args: Any) -> bool:
        return bool(self._answer("confirm", *args))

    def pick(self, title: str, prompt: str, choices: list[Any]) -> str | None:
        """``pick`` answers with a name; the key of the choice of that name is returned."""
        self.asked.append(("pick", (title, prompt, choices)))
        name = self.answers.get("pick")
        return next((c.key for c in choices if c.name == name), None)


def make_tagging(qtbot, tmp_path: Path) -> Tagging:
    project = Project.create(tmp_path / "tagging.annotator")
    session = Session(project, "Ani")
    me = session.me
    ops.initialise_settings(project)
    document = ops.add_document(project, by=me, title="Terms", text=TEXT).document.id
    tags: dict[str, str] = {}
    for name, parent, colour, key in CODEBOOK:
        made = ops.create_tag(
            project, by=me, name=name, parent_id=tags.get(parent or ""), colour=colour, shortcut=key
        )
        tags[name] = made.created("tags")[0]
    selection = Selection()
    view = ArticleView()
    view.set_document(TEXT)
    # What the main window does: the view's text selection is the workbench's range.
    view.selection_changed_range.connect(selection.set_range)
    panel = TaggingPanel(session, selection)
    window = QWidget()
    row = QHBoxLayout(window)
    row.addWidget(view, 2)
    row.addWidget(panel, 1)
    window.resize(1000, 700)
    qtbot.addWidget(window)
    panel.install_tag_shortcuts(view)
    selection.set_document(document)
    return Tagging(session, selection, panel, view, window, document, tags)


@pytest.fixture(name="tagging")
def tagging_fixture(qtbot, tmp_path: Path):
    made = make_tagging(qtbot, tmp_path)
    yield made
    made.session.close()
