"""The session: edits go on the undo stack, and undo/redo restore the database rows exactly."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.core import ops
from annotator.core.store import Project
from annotator.core.store.schema import RECORD_TABLES
from annotator.gui.session import EVERYTHING, Session

TEXT = "Baku insists on a constitutional change. Yerevan refuses. 🇦🇲 Հայաստան"


def rows(project: Project) -> dict:
    return {t: project.all_rows(t) for t in (*RECORD_TABLES, "settings")}


@pytest.fixture
def session(qapp, tmp_path: Path):
    project = Project.create(tmp_path / "s.annotator")
    made = Session(project, "Ani")
    ops.initialise_settings(project)
    ops.add_document(project, by=made.me, title="Talks", text=TEXT)
    yield made
    made.close()


def test_undo_and_redo_restore_rows_exactly(session: Session) -> None:
    doc = session.documents()[0].id
    seen = []
    session.changed.connect(seen.append)
    states = [rows(session.project)]
    tag = session.perform(ops.create_tag, name="Constitution", colour="#ffd27f").created("tags")[0]
    states.append(rows(session.project))
    session.perform(ops.create_span, document_id=doc, start=0, end=4, tags=[tag])
    states.append(rows(session.project))
    session.perform(ops.delete_tag, tag_id=tag, when_used=ops.WhenUsed.REMOVE)
    states.append(rows(session.project))
    assert session.undo_stack.count() == 3 and len(seen) == 3
    for expected in reversed(states[:-1]):
        session.undo_stack.undo()
        assert rows(session.project) == expected
    for expected in states[1:]:
        session.undo_stack.redo()
        assert rows(session.project) == expected
    assert len(seen) == 9


def test_failed_edit_reports_and_pushes_nothing(session: Session) -> None:
    messages = []
    session.failed.connect(messages.append)
    doc = session.documents()[0].id
    before = rows(session.project)
    assert session.perform(ops.create_span, document_id=doc, start=5, end=5) is None
    assert messages and "outside the text" in messages[0]
    assert session.undo_stack.count() == 0 and rows(session.project) == before


def test_stale_undo_is_refused_not_forced(session: Session, tmp_path: Path) -> None:
    messages = []
    session.failed.connect(messages.append)
    tag = session.perform(ops.create_tag, name="Corridor").created("tags")[0]
    with Project.open(session.project.path) as other:  # a second window or process
        ops.update_tag(other, by=session.me, tag_id=tag, name="Zangezur corridor")
    session.undo_stack.undo()
    assert messages and "changed elsewhere" in messages[0]
    assert [t.name for t in session.tags()] == ["Zangezur corridor"]


def test_refresh_announces_everything(session: Session) -> None:
    seen = []
    session.changed.connect(seen.append)
    session.refresh()
    assert seen == [EVERYTHING] and not EVERYTHING.tables()


def test_a_closed_session_refuses_edits_without_touching_the_file(session: Session) -> None:
    doc = session.documents()[0].id
    messages = []
    session.failed.connect(messages.append)
    session.close()
    assert session.perform(ops.create_span, document_id=doc, start=0, end=4) is None
    assert session.write(EVERYTHING) is False
    session.close()  # a second close is harmless
    assert messages == []
    reopened = Project.open(session.path)
    assert reopened.all_rows("spans") == []
    reopened.close()
