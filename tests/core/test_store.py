"""Opening, creating and refusing project files; bytes of refused files never change."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from annotator.core import ops
from annotator.core.model import Annotator, Change, ChangeSet
from annotator.core.store import (
    SCHEMA_VERSION,
    CorruptProjectError,
    NewerVersionError,
    NotAProjectError,
    Project,
    ProjectError,
    ProjectNotFoundError,
    StaleEditError,
    schema,
)

from .sample import version_1_file


def refused(path: Path, error: type[Exception]) -> str:
    before = path.read_bytes()
    with pytest.raises(error) as caught:
        Project.open(path)
    assert path.read_bytes() == before
    message = str(caught.value)
    assert "\n" not in message and str(path) in message
    return message


def test_create_sets_schema_version_and_application_id(tmp_path: Path) -> None:
    path = tmp_path / "p.annotator"
    Project.create(path).close()
    conn = sqlite3.connect(path)
    assert schema.read_version(conn) == (schema.APPLICATION_ID, SCHEMA_VERSION)
    names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {"documents", "spans", "span_tags", "stances", "links", "documents_fts"} <= names
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_create_refuses_to_overwrite(tmp_path: Path) -> None:
    path = tmp_path / "p.annotator"
    path.write_text("precious")
    with pytest.raises(ProjectError):
        Project.create(path)
    assert path.read_text() == "precious"


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ProjectNotFoundError):
        Project.open(tmp_path / "nope.annotator")


def test_foreign_sqlite_file_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE notes (body TEXT)")
    conn.execute("INSERT INTO notes VALUES ('keep me')")
    conn.commit()
    conn.close()
    assert "another program" in refused(path, NotAProjectError)


def test_text_file_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "notes.annotator"
    path.write_text("just some text, not a database\n" * 20)
    assert "not an SQLite database" in refused(path, NotAProjectError)


def test_corrupt_file_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "p.annotator"
    with Project.create(path) as project:
        me = ops.ensure_annotator(project, "Ani").id
        for i in range(200):
            ops.add_document(project, by=me, title=f"d{i}", text=f"text number {i} " * 200)
    data = bytearray(path.read_bytes())
    data[4096:12288] = b"\xde\xad\xbe\xef" * 2048  # clobber pages after the header
    path.write_bytes(bytes(data))
    refused(path, (CorruptProjectError, NotAProjectError))


def test_newer_schema_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "p.annotator"
    Project.create(path).close()
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.commit()
    conn.close()
    message = refused(path, NewerVersionError)
    assert "newer Annotator" in message


def test_tampered_schema_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "p.annotator"
    Project.create(path).close()
    conn = sqlite3.connect(path)
    conn.execute("CREATE TRIGGER wipe AFTER INSERT ON tags BEGIN DELETE FROM documents; END")
    conn.commit()
    conn.close()
    assert "trigger wipe" in refused(path, NotAProjectError)


def test_migration_from_empty_matches_expected_schema(tmp_path: Path) -> None:
    path = tmp_path / "p.annotator"
    Project.create(path).close()
    conn = sqlite3.connect(path)
    assert schema.unexpected_schema(conn, SCHEMA_VERSION) == []


def test_older_schema_is_backed_up_then_migrated(tmp_path: Path, monkeypatch) -> None:
    path = tmp_path / "p.annotator"
    Project.create(path).close()
    added = []

    def add_column(db) -> None:
        db.execute("ALTER TABLE documents ADD COLUMN summary TEXT")
        added.append(True)

    monkeypatch.setattr(schema, "MIGRATIONS", [*schema.MIGRATIONS, add_column])
    monkeypatch.setattr(schema, "SCHEMA_VERSION", SCHEMA_VERSION + 1)
    schema.expected_entries.cache_clear()
    try:
        with Project.open(path) as project:
            assert "summary" in project.columns("documents")
        backups = list(tmp_path.glob(f"p.annotator.v{SCHEMA_VERSION}-*.bak"))
        assert added and len(backups) == 1
        old = sqlite3.connect(backups[0])
        assert schema.read_version(old)[1] == SCHEMA_VERSION
    finally:
        schema.expected_entries.cache_clear()


def test_full_text_search_follows_edits(project: Project) -> None:
    me = ops.ensure_annotator(project, "Ani").id
    doc = ops.add_document(
        project, by=me, title="Corridor", text="Zangezur corridor talks"
    ).document
    assert [r[0] for r in project.search_documents("zangezur")] == [doc.id]
    assert project.search_documents('"; DROP TABLE documents; --') == []
    ops.delete_document(project, by=me, document_id=doc.id)
    assert project.search_documents("zangezur") == []


def test_stale_undo_is_refused(project: Project) -> None:
    me = ops.ensure_annotator(project, "Ani").id
    renamed = ops.rename_annotator(project, by=me, annotator_id=me, name="Ani K.")
    ops.rename_annotator(project, by=me, annotator_id=me, name="Ani Karapetyan")
    with pytest.raises(StaleEditError):
        ops.undo(project, renamed)
    assert project.require(Annotator, me).name == "Ani Karapetyan"


def test_failed_change_set_writes_nothing(project: Project) -> None:
    good = Annotator(name="A")
    clash = Annotator(name="B", id=good.id)
    changes = (
        Change("annotators", good.id, None, good.row()),
        Change("annotators", good.id, None, clash.row()),
    )
    with pytest.raises(StaleEditError):
        project.apply(ChangeSet(changes))
    assert project.all_rows("annotators") == []


def test_second_connection_sees_committed_edits(tmp_path: Path) -> None:
    path = tmp_path / "p.annotator"
    with Project.create(path) as first, Project.open(path) as second:
        me = ops.ensure_annotator(first, "Ani").id
        ops.add_document(first, by=me, title="Shared", text="seen by both")
        assert [d.title for d in second.document_summaries()] == ["Shared"]


def test_a_version_1_file_gains_pages_orphans_and_conflicts(tmp_path: Path) -> None:
    path = version_1_file(tmp_path / "old.annotator")
    with Project.open(path) as project:
        assert "pages" in project.columns("documents")
        assert "orphaned_at" in project.columns("spans")
        assert project.all_rows("conflicts") == []
    assert schema.unexpected_schema(sqlite3.connect(path), SCHEMA_VERSION) == []
