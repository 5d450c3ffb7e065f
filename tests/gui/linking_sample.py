"""A small two-document project for the stance and link tests: targets, actors, tags, spans."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtWidgets import QApplication, QWidget

from annotator.core import ops
from annotator.core.store import Project
from annotator.core.store.schema import RECORD_TABLES
from annotator.gui.selection import Selection
from annotator.gui.session import Session

BAKU_TEXT = (
    "Azerbaijan insists that Armenia change its constitution before any treaty is signed.\n"
    "The Zangezur corridor must open to unimpeded transit, officials in Baku said.\n"
    "Peace, they argue, is within reach if Yerevan accepts these terms."
)
YEREVAN_TEXT = (
    "Yerevan rejects the demand for a constitutional amendment as interference.\n"
    "Armenian officials describe the corridor plan as a threat to sovereignty.\n"
    "The March 2025 draft treaty, they say, was already a painful compromise."
)


@dataclass
class Sample:
    session: Session
    selection: Selection
    baku: str  # document ids
    yerevan: str
    demand: str  # span ids
    corridor: str
    rejection: str
    sovereignty: str
    treaty_target: str
    constitution_target: str
    azerbaijan: str  # actor ids
    armenia: str


def first(changes, table: str) -> str:
    return changes.created(table)[0]


def make_sample(tmp_path: Path) -> Sample:
    project = Project.create(tmp_path / "linking.annotator")
    session = Session(project, "Ani")
    ops.initialise_settings(project)
    baku = ops.add_document(project, by=session.me, title="Baku's terms", text=BAKU_TEXT)
    yerevan = ops.add_document(project, by=session.me, title="Yerevan's reply", text=YEREVAN_TEXT)
    baku_id, yerevan_id = baku.document.id, yerevan.document.id
    me = session.me
    tag = first(ops.create_tag(project, by=me, name="Constitution demand"), "tags")

    def span(doc: str, text: str, phrase: str, tags: list[str] = ()) -> str:
        start = text.index(phrase)
        made = ops.create_span(
            project, by=me, document_id=doc, start=start, end=start + len(phrase), tags=tags
        )
        return first(made, "spans")

    demand = span(baku_id, BAKU_TEXT, "Armenia change its constitution", [tag])
    corridor = span(baku_id, BAKU_TEXT, "The Zangezur corridor must open to unimpeded transit")
    rejection = span(
        yerevan_id, YEREVAN_TEXT, "rejects the demand for a constitutional amendment", [tag]
    )
    sovereignty = span(yerevan_id, YEREVAN_TEXT, "a threat to sovereignty")
    treaty = first(
        ops.create_target(project, by=me, name="The March 2025 draft peace agreement"), "targets"
    )
    constitution = first(
        ops.create_target(project, by=me, name="Amending Armenia's constitution"), "targets"
    )
    azerbaijan = first(
        ops.create_actor(
            project, by=me, name="Government of Azerbaijan", aliases=["Baku", "Aliyev government"]
        ),
        "actors",
    )
    armenia = first(
        ops.create_actor(project, by=me, name="Government of Armenia", aliases=["Yerevan"]),
        "actors",
    )
    return Sample(
        session=session,
        selection=Selection(),
        baku=baku_id,
        yerevan=yerevan_id,
        demand=demand,
        corridor=corridor,
        rejection=rejection,
        sovereignty=sovereignty,
        treaty_target=treaty,
        constitution_target=constitution,
        azerbaijan=azerbaijan,
        armenia=armenia,
    )


def snapshot(project: Project) -> dict:
    return {table: project.all_rows(table) for table in (*RECORD_TABLES, "settings")}


def show_and_focus(qtbot, widget: QWidget, focus: QWidget) -> None:
    """Show ``widget`` as an active window and put the keyboard on ``focus``."""
    widget.show()
    qtbot.waitExposed(widget)
    widget.activateWindow()
    qtbot.waitUntil(lambda: widget.isActiveWindow())
    focus.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is focus)


def focused() -> QWidget:
    widget = QApplication.focusWidget()
    assert widget is not None
    return widget
