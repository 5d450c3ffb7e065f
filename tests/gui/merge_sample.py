"""Two copies of one project worked on apart, for the merge and review tests: MINE (Ani's)
and THEIRS (Lusine's), with a conflict on a tag, a near-duplicate tag, a passage that moves
and one that cannot be placed; and the main window over a project."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QMessageBox

from annotator.core import ops
from annotator.core.store import Project
from annotator.core.store.schema import RECORD_TABLES
from annotator.gui.main_window import MainWindow
from annotator.gui.session import Session
from tests.gui.conftest import ARMENIA_TEXT, BAKU_TEXT

SHOTS = Path("/tmp/shots")

STATEMENT = (
    "The foreign ministry welcomed the initialled treaty and called on both parliaments to "
    "ratify it before the end of the year. The text settles the border commissions, opens "
    "the railway through Meghri and leaves the question of enclaves to a later protocol.\n\n"
    "Opposition leaders in Yerevan called the text a capitulation and announced protests. "
    "Officials in Baku said the constitution must change first, or nothing will be signed. "
    "Observers in Brussels and Washington urged restraint and promised funds for the road."
)
# Their own import of the statement: a word added, and a clause my copy does not have.
THEIR_STATEMENT = STATEMENT.replace("welcomed", "warmly welcomed").replace(
    "announced protests.", "announced protests, with a referendum in spring."
)
MOVED_QUOTE = "called the text a capitulation"
ORPHAN_QUOTE = "with a referendum in spring"


@dataclass
class Pair:
    """MINE (Ani's project) and THEIRS (Lusine's copy of it, worked on apart)."""

    mine: Path
    theirs: Path
    illusion: str
    courage: str
    statement: str  # my statement
    their_statement: str
    constitution: str  # a tag both edited
    corridor: str
    near_twin: str  # their "Corridors"
    new_span: str  # theirs, on a document both have
    moved_span: str  # theirs, on their statement: moves into mine
    orphan_span: str  # theirs, on a clause my statement lacks

    def project_rows(self, project: Project) -> dict[str, list[dict[str, Any]]]:
        return snapshot(project)


def snapshot(project: Project) -> dict[str, list[dict[str, Any]]]:
    return {t: project.all_rows(t) for t in (*RECORD_TABLES, "settings")}


def span_at(project: Project, *, by: str, document_id: str, text: str, quote: str, **kw) -> str:
    start = text.index(quote)
    made = ops.create_span(
        project, by=by, document_id=document_id, start=start, end=start + len(quote), **kw
    )
    return made.created("spans")[0]


def make_pair(folder: Path) -> Pair:
    mine_path, theirs_path = folder / "mine.annotator", folder / "theirs.annotator"
    with Project.create(mine_path) as mine:
        ani = ops.ensure_annotator(mine, "Ani").id
        ops.initialise_settings(mine)
        illusion = ops.add_document(mine, by=ani, title="Illusion", text=ARMENIA_TEXT).document.id
        courage = ops.add_document(mine, by=ani, title="Courage", text=BAKU_TEXT).document.id
        constitution = ops.create_tag(mine, by=ani, name="Constitution", colour="#f2c14e")
        constitution_id = constitution.created("tags")[0]
        corridor = ops.create_tag(mine, by=ani, name="Corridor", colour="#5fa8d3")
        corridor_id = corridor.created("tags")[0]
        span_at(
            mine, by=ani, document_id=illusion, text=ARMENIA_TEXT,
            quote="change its constitution", tags=[constitution_id],
        )  # fmt: skip
        copy = sqlite3.connect(theirs_path)  # handed out: the SQLite backup API copies it
        mine.db.conn.backup(copy)
        copy.close()
        ops.update_tag(mine, by=ani, tag_id=constitution_id, description="mine")
        statement = ops.add_document(mine, by=ani, title="Statement", text=STATEMENT).document.id
    time.sleep(0.01)  # their edit of the tag is the later one, whatever the clock's grain
    with Project.open(theirs_path) as theirs:
        lusine = ops.ensure_annotator(theirs, "Lusine").id
        ops.update_tag(theirs, by=lusine, tag_id=constitution_id, description="theirs, later")
        near_twin = ops.create_tag(theirs, by=lusine, name="Corridors").created("tags")[0]
        new_span = span_at(
            theirs, by=lusine, document_id=courage, text=BAKU_TEXT,
            quote="Zangezur corridor", tags=[corridor_id],
        )  # fmt: skip
        added = ops.add_document(
            theirs, by=lusine, title="Statement (their copy)", text=THEIR_STATEMENT
        )
        their_statement = added.document.id
        moved = span_at(
            theirs, by=lusine, document_id=their_statement, text=THEIR_STATEMENT,
            quote=MOVED_QUOTE, tags=[near_twin],
        )  # fmt: skip
        orphan = span_at(
            theirs, by=lusine, document_id=their_statement, text=THEIR_STATEMENT,
            quote=ORPHAN_QUOTE, tags=[corridor_id], note="their reading",
        )  # fmt: skip
    return Pair(
        mine_path, theirs_path, illusion, courage, statement, their_statement,
        constitution_id, corridor_id, near_twin, new_span, moved, orphan,
    )  # fmt: skip


def record_warnings(monkeypatch) -> list[str]:
    """Message boxes recorded, not shown: a modal box would stall a test until it times out."""
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text: shown.append(text))
    return shown


@contextmanager
def main_window(qtbot, path: Path) -> Iterator[MainWindow]:
    """The workbench shown over the project at ``path``, as Ani."""
    session = Session(Project.open(path), "Ani")
    made = MainWindow(session, owns_session=False)
    qtbot.addWidget(made)
    made.show()
    yield made
    made.close()
    session.close()
