"""The open project: transactions, writing change sets, and reading records. The only SQL."""

from __future__ import annotations

import contextlib
import json
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any, TypeVar

import sqlite_utils

from annotator.core.model import Change, ChangeSet, Record
from annotator.core.store import opening, queries
from annotator.core.store.errors import RecordNotFoundError, StaleEditError
from annotator.core.store.references_check import ReferenceQueries
from annotator.core.store.schema import primary_key

R = TypeVar("R", bound=Record)


def _quote(name: str) -> str:
    return f'"{name}"'


class Project(queries.QueryMixin, ReferenceQueries):
    """One project file. Every write goes through :meth:`apply` inside :meth:`transaction`."""

    def __init__(self, path: Path, db: sqlite_utils.Database) -> None:
        self.path = path
        self.db = db
        self._columns: dict[str, list[str]] = {}
        self._insert_plans: dict[str, tuple[str, Callable[[dict[str, Any]], tuple]]] = {}

    @classmethod
    def open(cls, path: str | Path) -> Project:
        path = Path(path)
        return cls(path, opening.open_existing(path))

    @classmethod
    def create(cls, path: str | Path) -> Project:
        path = Path(path)
        return cls(path, opening.create(path))

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Project:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- transactions -----------------------------------------------------------------------

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        """One atomic unit; nested uses join the outer one. Takes the write lock at once."""
        conn = self.db.conn
        if conn.in_transaction:
            with self.db.atomic():
                yield
            return
        try:
            conn.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as error:
            raise opening.describe_sqlite_error(self.path, error) from error
        try:
            yield
            conn.execute("COMMIT")
        except sqlite3.Error as error:
            self.db.rollback()
            raise opening.describe_sqlite_error(self.path, error) from error
        except BaseException:
            self.db.rollback()
            raise

    # -- writing ----------------------------------------------------------------------------

    def columns(self, table: str) -> list[str]:
        if table not in self._columns:
            self._columns[table] = [c.name for c in self.db[table].columns]
        return self._columns[table]

    def apply(self, changeset: ChangeSet, *, check: bool = True) -> None:
        """Write a change set in one transaction.

        With ``check``, each updated or removed row must still equal its ``before``: an undo
        never overwrites what another window or process wrote since.
        """
        with self.transaction():
            # Inserts are gathered per table until the next update or removal: foreign keys
            # are deferred, so this order is as good as the given one, and bulk imports make
            # one executemany per table instead of one per row.
            inserts: dict[str, list[dict[str, Any]]] = {}
            for change in changeset.changes:
                if change.before is None and change.after is not None:
                    inserts.setdefault(change.table, []).append(change.after)
                    continue
                self._insert_all(inserts)
                if check:
                    self._expect(change)
                if change.after is None:
                    self._delete(change)
                else:
                    self._update(change)
            self._insert_all(inserts)

    def _insert_all(self, inserts: dict[str, list[dict[str, Any]]]) -> None:
        for table, rows in inserts.items():
            self._insert(table, rows)
        inserts.clear()

    def _insert(self, table: str, rows: Sequence[dict[str, Any]]) -> None:
        sql, values = self._insert_plan(table)
        try:
            self.db.conn.executemany(sql, map(values, rows))
        except sqlite3.IntegrityError as error:
            raise StaleEditError(f"cannot add to {table}: {error}") from error

    def _insert_plan(self, table: str) -> tuple[str, Callable[[dict[str, Any]], tuple]]:
        """The INSERT statement of a table and a function giving a row's values in its order."""
        if table not in self._insert_plans:
            names = self.columns(table)
            sql = (
                f"INSERT INTO {table} ({', '.join(map(_quote, names))}) "
                f"VALUES ({', '.join('?' for _ in names)})"
            )
            self._insert_plans[table] = (sql, lambda row: tuple(row.get(n) for n in names))
        return self._insert_plans[table]

    def _update(self, change: Change) -> None:
        assert change.after is not None
        names = [n for n in self.columns(change.table) if n != primary_key(change.table)]
        assignments = ", ".join(f"{_quote(n)} = ?" for n in names)
        self.db.conn.execute(
            f"UPDATE {change.table} SET {assignments} WHERE {primary_key(change.table)} = ?",
            [*(change.after.get(n) for n in names), change.key],
        )

    def _delete(self, change: Change) -> None:
        self.db.conn.execute(
            f"DELETE FROM {change.table} WHERE {primary_key(change.table)} = ?", [change.key]
        )

    def _expect(self, change: Change) -> None:
        current = self.row(change.table, change.key)
        if current != change.before:
            raise StaleEditError(
                f"{change.table} {change.key} was changed elsewhere; refresh and try again"
            )

    # -- reading ----------------------------------------------------------------------------

    def row(self, table: str, key: str) -> dict[str, Any] | None:
        cursor = self.db.conn.execute(
            f"SELECT * FROM {table} WHERE {primary_key(table)} = ?", [key]
        )
        found = cursor.fetchone()
        if found is None:
            return None
        return dict(zip([d[0] for d in cursor.description], found, strict=True))

    def get(self, cls: type[R], record_id: str) -> R | None:
        found = self.row(cls.table, record_id)
        return cls.from_row(found) if found else None

    def require(self, cls: type[R], record_id: str) -> R:
        record = self.get(cls, record_id)
        if record is None or not record.live:
            raise RecordNotFoundError(f"no {cls.__name__.lower()} with id {record_id}")
        return record

    def records(
        self,
        cls: type[R],
        where: str | None = None,
        params: Iterable[Any] = (),
        *,
        live: bool = True,
        order_by: str | None = None,
    ) -> Iterator[R]:
        for row in self.rows(cls.table, where, params, live=live, order_by=order_by):
            yield cls.from_row(dict(row))

    def rows(
        self,
        table: str,
        where: str | None = None,
        params: Iterable[Any] = (),
        *,
        live: bool = True,
        order_by: str | None = None,
    ) -> Iterator[sqlite3.Row]:
        """Rows streamed as ``sqlite3.Row`` (``row["column"]``, ``dict(row)``): exports read
        hundreds of thousands, and a Row costs far less to make than a dict."""
        clauses = [c for c in (where, "deleted_at IS NULL" if live else None) if c]
        sql = f"SELECT * FROM {table}"
        if clauses:
            sql += " WHERE " + " AND ".join(f"({c})" for c in clauses)
        if order_by:
            sql += f" ORDER BY {order_by}"
        cursor = self.db.conn.cursor()
        cursor.row_factory = sqlite3.Row
        yield from cursor.execute(sql, list(params))

    def spans_with_tags(
        self, *, live: bool = True, columns: str = "*"
    ) -> Iterator[tuple[sqlite3.Row, list[str]]]:
        """Span rows in document and text order, each with its tag ids in the order they were
        applied; a deleted span keeps the tags deleted along with it. ``columns`` (of spans,
        ``id`` among them): fewer to read when a caller needs few.

        The tags come from a second query in the same span order and are merged as they come:
        memory does not grow with the number of spans."""
        live_spans = "s.deleted_at IS NULL" if live else "1"
        in_order = "ORDER BY s.document_id, s.start, s.id"
        spans = self.db.conn.cursor()
        spans.row_factory = sqlite3.Row
        spans.execute(f"SELECT {columns} FROM spans s WHERE {live_spans} {in_order}")
        pairs = self.db.conn.execute(
            f"""SELECT st.span_id, st.tag_id
                FROM spans s JOIN span_tags st ON st.span_id = s.id
                WHERE {live_spans} AND (st.deleted_at IS NULL OR st.deleted_at = s.deleted_at)
                {in_order}, st.created_at, st.id"""
        )
        pending = next(pairs, None)
        for row in spans:
            span_id, tag_ids = row["id"], []
            # Every pair's span is among these spans (same filter), in the same order.
            while pending is not None and pending[0] == span_id:
                tag_ids.append(pending[1])
                pending = next(pairs, None)
            yield row, tag_ids

    def column_by_id(self, table: str, column: str, *, live: bool = True) -> dict[str, Any]:
        """id -> one column of every (live) row, without reading the others (documents' texts)."""
        assert column.isidentifier()
        sql = f"SELECT id, {_quote(column)} FROM {table}"
        if live:
            sql += " WHERE deleted_at IS NULL"
        return dict(self.db.conn.execute(sql).fetchall())

    def all_rows(self, table: str) -> list[dict[str, Any]]:
        """Every row of a table, tombstones included, in primary-key order (tests, exports)."""
        key = primary_key(table)
        cursor = self.db.conn.execute(f"SELECT * FROM {table} ORDER BY {key}")
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, values, strict=True)) for values in cursor]

    # -- settings ---------------------------------------------------------------------------

    def setting(self, key: str, default: Any = None) -> Any:
        found = self.row("settings", key)
        return json.loads(found["value"]) if found else default

    def setting_change(self, key: str, value: Any) -> Change:
        before = self.row("settings", key)
        after = {"key": key, "value": json.dumps(value, ensure_ascii=False, sort_keys=True)}
        return Change("settings", key, before, after)
