"""Reading a colleague's project for a merge: read-only, untrusted, row by row."""

from __future__ import annotations

import contextlib
import functools
import os
import sqlite3
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import sqlite_utils

from annotator.core.json_input import parse_json
from annotator.core.store import opening, schema
from annotator.core.store.errors import CorruptProjectError, ProjectError
from annotator.core.store.project import Project


class SameProjectError(ProjectError):
    pass


class TheirProject:
    """The other side of a merge. Tables of an older schema read with our columns' defaults."""

    def __init__(self, path: Path, conn: sqlite3.Connection, version: int) -> None:
        self.path = path
        self.conn = conn
        self.version = version
        self._columns: dict[str, set[str]] = {}

    def columns(self, table: str) -> set[str]:
        if table not in self._columns:
            found = self.conn.execute(f"PRAGMA table_info({table})").fetchall()
            self._columns[table] = {row["name"] for row in found}
        return self._columns[table]

    def count(self, table: str) -> int:
        if not self.columns(table):
            return 0
        return self.conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]

    def rows(
        self,
        table: str,
        order_by: str = "id",
        *,
        record_id: str | None = None,
        document_id: str | None = None,
    ) -> Iterator[dict[str, Any]]:
        """Every row (or the one of ``record_id``, or those on ``document_id``), tombstones
        included, with our columns."""
        have = self.columns(table)
        if not have:
            return
        wanted = _our_columns(table)
        select = ", ".join(c if c in have else f"NULL AS {c}" for c in wanted)
        where, params = ("", [])
        if record_id is not None:
            where, params = "WHERE id = ?", [record_id]
        elif document_id is not None:
            where, params = "WHERE document_id = ?", [document_id]
        sql = f"SELECT {select} FROM {table} {where} ORDER BY {order_by}"
        checks = _JSON_COLUMNS.get(table, {})
        for values in self.conn.execute(sql, params):
            row = dict(zip(wanted, values, strict=True))
            for column, valid in checks.items():
                if row[column] is not None and not _holds(row[column], valid):
                    raise CorruptProjectError(
                        f"{self.path}: not a valid project ({table} {row['id']}: {column} "
                        "is not what Annotator writes there); nothing was merged"
                    )
            yield row

    def validate(self) -> None:
        """Refuse what no edit of ours writes and the merge would carry into MINE: a record
        naming one that does not exist, a span outside its document's text, a tag that is its
        own ancestor (its subtree would vanish from the codebook)."""
        found = self.conn.execute("PRAGMA foreign_key_check").fetchone()
        if found is not None:
            self._refuse(f"a record of {found[0]} names a missing record of {found[2]}")
        # Each text's length once, not once per span (length() reads the whole text).
        lengths = dict(self.conn.execute("SELECT id, length(text) FROM documents").fetchall())
        spans = self.conn.execute('SELECT id, document_id, start, "end" FROM spans')
        for span_id, document_id, start, end in spans:
            whole = type(start) is int and type(end) is int  # SQLite would store any value
            if not whole or not 0 <= start <= end <= lengths[document_id]:
                self._refuse(f"span {span_id} lies outside its document's text")
        parents = {row[0]: row[1] for row in self.conn.execute("SELECT id, parent_id FROM tags")}
        acyclic: set[str] = set()
        for tag_id in parents:
            path: list[str] = []
            current: str | None = tag_id
            while current is not None and current not in acyclic:
                if current in path:
                    self._refuse(f"tag {current} is its own ancestor")
                path.append(current)
                current = parents.get(current)
            acyclic.update(path)

    def _refuse(self, what: str) -> None:
        raise CorruptProjectError(f"{self.path}: not a valid project ({what}); nothing was merged")

    def span_times(self, document_id: str) -> dict[str, str]:
        """id -> updated_at of the document's spans, tombstones included."""
        sql = "SELECT id, updated_at FROM spans WHERE document_id = ?"
        return {row[0]: row[1] for row in self.conn.execute(sql, [document_id])}

    def setting(self, key: str) -> str | None:
        found = self.conn.execute("SELECT value FROM settings WHERE key = ?", [key]).fetchone()
        return found[0] if found else None


# Columns holding JSON, and what it must be: read back by every part of the program.
_JSON_COLUMNS: dict[str, dict[str, Callable[[Any], bool]]] = {
    "actors": {"aliases": lambda v: isinstance(v, list) and all(isinstance(a, str) for a in v)},
    "documents": {
        "pages": lambda v: isinstance(v, list) and all(type(p) is int and p >= 0 for p in v)
    },
}


def _holds(text: Any, valid: Callable[[Any], bool]) -> bool:
    try:
        return isinstance(text, str) and valid(parse_json(text))
    except ValueError:
        return False


@functools.cache
def _our_columns(table: str) -> list[str]:
    """The columns the current schema gives ``table``, from a scratch in-memory database."""
    db = sqlite_utils.Database(memory=True)
    with db.atomic():
        schema.migrate(db, 0)
    return [column.name for column in db[table].columns]


@contextlib.contextmanager
def open_theirs(path: Path, mine: Path) -> Iterator[TheirProject]:
    """THEIRS checked whole and opened (``opening.untrusted``), its contents validated; MINE
    itself under another name is refused. Nothing of MINE is opened here: a bad THEIRS is
    refused before MINE could be upgraded."""
    path = Path(path)
    if path.exists() and mine.exists() and os.path.samefile(path, mine):
        raise SameProjectError(f"{path}: is the open project itself; choose a colleague's copy")
    with opening.untrusted(path) as (conn, version):
        theirs = TheirProject(path, conn, version)
        theirs.validate()
        yield theirs


@contextlib.contextmanager
def mine_for_merge(path: Path, *, dry_run: bool) -> Iterator[Project]:
    """MINE, opened for a merge. A dry run of a file an older version made reads an upgraded
    copy: looking must not upgrade (and back up) the analyst's file."""
    if not dry_run or opening.inspect(path) >= schema.SCHEMA_VERSION:
        with Project.open(path) as project:
            yield project
        return
    with tempfile.TemporaryDirectory(prefix="annotator-") as scratch:
        copy = Path(scratch) / path.name
        with opening.read_only(path) as source:
            target = sqlite3.connect(copy)
            source.backup(target)
            target.close()
        with Project.open(copy) as project:
            yield project
