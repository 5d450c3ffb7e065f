"""Read-only questions the operations, the CLI and the GUI ask of a project."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Collection
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from annotator.core.model import Document, Link, Span, SpanTag, Stance
from annotator.core.store.span_views import SpanOutline as SpanOutline  # still imported from here
from annotator.core.store.span_views import SpanViewQueries

if TYPE_CHECKING:
    import sqlite_utils


@dataclass(frozen=True)
class DocumentSummary:
    """A document without its text: what lists show."""

    id: str
    title: str
    author: str | None
    date: str | None
    source: str | None
    language: str | None
    sha256: str
    length: int
    spans: int


@dataclass(frozen=True)
class SpanSummary:
    """A span with its document's title: what project-wide pickers list."""

    id: str
    document_id: str
    document_title: str
    start: int
    end: int
    quote: str
    note: str | None
    created_by: str | None


# What makes a span, stance or link the same one when a file carries no ids: where it is
# (its document first) and who made it.
PLACE_COLUMNS = {
    "spans": ("document_id", "start", "end", "created_by"),
    "stances": ("document_id", "span_id", "target_id", "actor_id", "created_by"),
    "links": (
        "from_document_id", "from_span_id", "to_document_id", "to_span_id", "type", "created_by"
    ),
}  # fmt: skip


class QueryMixin(SpanViewQueries):
    db: sqlite_utils.Database

    def _rows(self, sql: str, params: Any = ()) -> list[sqlite3.Row]:
        cursor = self.db.conn.execute(sql, params)
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, r, strict=True)) for r in cursor]  # type: ignore[misc]

    def _scalar(self, sql: str, params: Any = ()) -> Any:
        return self.db.conn.execute(sql, params).fetchone()[0]

    def read_stamp(self) -> tuple[int, int]:
        """A value that changes whenever what this connection reads may have changed: a row
        written through it (even uncommitted or rolled back) or a commit by another one."""
        return self.db.conn.total_changes, self._scalar("PRAGMA data_version")

    def document_summaries(self) -> list[DocumentSummary]:
        rows = self._rows(
            """SELECT d.id, d.title, d.author, d.date, d.source, d.language, d.sha256,
                      length(d.text) AS length,
                      (SELECT count(*) FROM spans s
                        WHERE s.document_id = d.id AND s.deleted_at IS NULL) AS spans
               FROM documents d WHERE d.deleted_at IS NULL
               ORDER BY d.title COLLATE NOCASE, d.id"""
        )
        return [DocumentSummary(**r) for r in rows]

    def document_by_sha256(self, sha256: str) -> Document | None:
        rows = self._rows(
            "SELECT * FROM documents WHERE sha256 = ? ORDER BY deleted_at IS NOT NULL, id LIMIT 1",
            [sha256],
        )
        return Document.from_row(rows[0]) if rows else None

    def rows_by_ids(self, table: str, ids: Collection[str]) -> dict[str, dict[str, Any]]:
        """Rows (tombstones included) of the given ids, by id; asked in chunks SQLite accepts."""
        found: dict[str, dict[str, Any]] = {}
        wanted = list(ids)
        for at in range(0, len(wanted), 500):
            chunk = wanted[at : at + 500]
            marks = ", ".join("?" for _ in chunk)
            for row in self._rows(f"SELECT * FROM {table} WHERE id IN ({marks})", chunk):
                found[row["id"]] = row
        return found

    def document_text(self, document_id: str) -> str | None:
        found = self.db.conn.execute("SELECT text FROM documents WHERE id = ?", [document_id])
        row = found.fetchone()
        return row[0] if row else None

    def document_identities(self) -> list[tuple[str, str, str]]:
        """(id, sha256, title) of every document, tombstones included: for matching."""
        return list(self.db.conn.execute("SELECT id, sha256, title FROM documents"))

    def document_texts(self) -> list[tuple[str, str]]:
        """(id, text) of every live document: for near-duplicate checks."""
        cursor = self.db.conn.execute("SELECT id, text FROM documents WHERE deleted_at IS NULL")
        return list(cursor)

    def search_documents(self, query: str, limit: int = 50) -> list[tuple[str, str, str]]:
        """Full-text search: (document id, title, snippet), best first. User input is quoted."""
        if not query.strip():
            return []
        sql = """SELECT d.id, d.title,
                        snippet(documents_fts, 1, '[', ']', '…', 12) AS snippet
                 FROM documents_fts JOIN documents d ON d.rowid = documents_fts.rowid
                 WHERE documents_fts MATCH ? AND d.deleted_at IS NULL
                 ORDER BY rank LIMIT ?"""
        phrase = " ".join('"' + word.replace('"', '""') + '"' for word in query.split())
        return [(r["id"], r["title"], r["snippet"]) for r in self._rows(sql, [phrase, limit])]

    def live_span_tags(
        self, *, span_id: str | None = None, tag_id: str | None = None
    ) -> list[SpanTag]:
        where, params = _where(span_id=span_id, tag_id=tag_id)
        rows = self._rows(f"SELECT * FROM span_tags WHERE deleted_at IS NULL{where}", params)
        return [SpanTag.from_row(r) for r in rows]

    def span_tag(self, span_id: str, tag_id: str) -> SpanTag | None:
        rows = self._rows(
            "SELECT * FROM span_tags WHERE span_id = ? AND tag_id = ?", [span_id, tag_id]
        )
        return SpanTag.from_row(rows[0]) if rows else None

    def tag_ids_by_span(
        self, document_id: str | None = None, span_ids: Collection[str] | None = None
    ) -> dict[str, list[str]]:
        """Live tags of live spans, optionally of one document and/or only of ``span_ids``,
        in the order they were applied."""
        sql = """SELECT st.span_id, st.tag_id FROM span_tags st
                 JOIN spans s ON s.id = st.span_id
                 WHERE st.deleted_at IS NULL AND s.deleted_at IS NULL"""
        params: list[str] = []
        if document_id is not None:
            # With span ids given, "+" keeps SQLite from walking every span of the document.
            sql += " AND +s.document_id = ?" if span_ids is not None else " AND s.document_id = ?"
            params.append(document_id)
        if span_ids is not None:
            sql += " AND st.span_id IN (SELECT value FROM json_each(?))"
            params.append(json.dumps(list(span_ids)))
        result: dict[str, list[str]] = {}
        for span_id, tag_id in self.db.conn.execute(sql + " ORDER BY st.created_at, st.id", params):
            result.setdefault(span_id, []).append(tag_id)
        return result

    def span_counts_by_tag(self, tag_ids: Collection[str] | None = None) -> dict[str, int]:
        """Live spans of live documents carrying each tag (tag id -> count), optionally only
        for ``tag_ids`` (a tag no live span carries is left out)."""
        sql = """SELECT st.tag_id, count(*) FROM span_tags st
                 JOIN spans s ON s.id = st.span_id AND s.deleted_at IS NULL
                 JOIN documents d ON d.id = s.document_id AND d.deleted_at IS NULL
                 WHERE st.deleted_at IS NULL"""
        params: list[str] = []
        if tag_ids is not None:
            sql += " AND st.tag_id IN (SELECT value FROM json_each(?))"
            params.append(json.dumps(list(tag_ids)))
        return dict(self.db.conn.execute(sql + " GROUP BY st.tag_id", params).fetchall())

    def document_titles(self, document_ids: Collection[str]) -> dict[str, str]:
        """Titles of the live documents among ``document_ids``, without reading their texts."""
        sql = """SELECT id, title FROM documents
                 WHERE deleted_at IS NULL AND id IN (SELECT value FROM json_each(?))"""
        return dict(self.db.conn.execute(sql, [json.dumps(list(document_ids))]).fetchall())

    def span_summaries(self, document_id: str | None = None) -> list[SpanSummary]:
        """Live spans of live documents, in document and text order."""
        sql = """SELECT s.id, s.document_id, d.title AS document_title, s.start, s."end",
                        s.quote, s.note, s.created_by
                 FROM spans s JOIN documents d ON d.id = s.document_id AND d.deleted_at IS NULL
                 WHERE s.deleted_at IS NULL"""
        params: list[str] = []
        if document_id is not None:
            sql += " AND s.document_id = ?"
            params.append(document_id)
        rows = self._rows(sql + " ORDER BY d.title COLLATE NOCASE, s.start, s.id", params)
        return [SpanSummary(**r) for r in rows]

    def span_tag_rows(self) -> list[tuple[str, str, str | None]]:
        """(span id, tag id, deleted_at) of every pair, in the order tags were applied."""
        sql = "SELECT span_id, tag_id, deleted_at FROM span_tags ORDER BY created_at, id"
        return list(self.db.conn.execute(sql))

    def spans_of_document(self, document_id: str) -> list[Span]:
        rows = self._rows(
            """SELECT * FROM spans WHERE document_id = ? AND deleted_at IS NULL
               ORDER BY start, "end", id""",
            [document_id],
        )
        return [Span.from_row(r) for r in rows]

    def stances_referring(self, column: str, record_id: str) -> list[Stance]:
        assert column in {"document_id", "span_id", "target_id", "actor_id"}
        rows = self._rows(
            f"SELECT * FROM stances WHERE {column} = ? AND deleted_at IS NULL", [record_id]
        )
        return [Stance.from_row(r) for r in rows]

    def stances_on_spans(self, span_ids: Collection[str], *, live: bool = True) -> list[dict]:
        """Stances (only live ones, with ``live``) resting on any of ``span_ids``."""
        sql = "SELECT * FROM stances WHERE span_id IN (SELECT value FROM json_each(?))"
        if live:
            sql += " AND deleted_at IS NULL"
        return self._rows(sql, [json.dumps(list(span_ids))])

    def tags_of_spans(self, span_ids: Collection[str]) -> dict[str, list[str]]:
        """The tags of ``span_ids`` as ``spans_with_tags`` gives them: live ones, and of a
        deleted span those deleted along with it; first applied first."""
        sql = """SELECT st.span_id, st.tag_id FROM span_tags st JOIN spans s ON s.id = st.span_id
                 WHERE st.span_id IN (SELECT value FROM json_each(?))
                 AND (st.deleted_at IS NULL OR st.deleted_at = s.deleted_at)
                 ORDER BY st.created_at, st.id"""
        found: dict[str, list[str]] = {}
        for span_id, tag_id in self.db.conn.execute(sql, [json.dumps(list(span_ids))]):
            found.setdefault(span_id, []).append(tag_id)
        return found

    def links_touching(
        self, *, span_id: str | None = None, document_id: str | None = None
    ) -> list[Link]:
        """Live links with either end at the span, or anywhere in the document."""
        if span_id is not None:
            cond, params = "from_span_id = ? OR to_span_id = ?", [span_id, span_id]
        else:
            cond, params = "from_document_id = ? OR to_document_id = ?", [document_id, document_id]
        rows = self._rows(f"SELECT * FROM links WHERE ({cond}) AND deleted_at IS NULL", params)
        return [Link.from_row(r) for r in rows]

    def child_tag_ids(self, tag_id: str) -> list[str]:
        return [
            r[0]
            for r in self.db.conn.execute(
                "SELECT id FROM tags WHERE parent_id = ? AND deleted_at IS NULL", [tag_id]
            )
        ]

    def live_ids_by_place(self, table: str, document_id: str) -> dict[tuple[Any, ...], str]:
        """The live records of ``document_id`` by where they are and who made them (see
        PLACE_COLUMNS); of several at one place, the oldest."""
        columns = PLACE_COLUMNS[table]
        orphans = " AND orphaned_at IS NULL" if table == "spans" else ""
        cursor = self.db.conn.execute(
            f"""SELECT id, {", ".join(f'"{c}"' for c in columns)} FROM {table}
                WHERE {columns[0]} = ? AND deleted_at IS NULL{orphans}
                ORDER BY created_at DESC, id DESC""",
            [document_id],
        )
        return {tuple(row[1:]): row[0] for row in cursor}

    def ids(self, table: str) -> list[str]:
        """Every id of a table, tombstones included."""
        return [r[0] for r in self.db.conn.execute(f"SELECT id FROM {table}")]

    def count_live(self, table: str) -> int:
        return self._scalar(f"SELECT count(*) FROM {table} WHERE deleted_at IS NULL")

    def stats(self) -> dict[str, Any]:
        tables = (
            "documents",
            "tags",
            "spans",
            "stances",
            "links",
            "annotators",
            "targets",
            "actors",
        )
        counts: dict[str, Any] = {t: self.count_live(t) for t in tables}
        live_spans = "JOIN spans s ON s.id = st.span_id AND s.deleted_at IS NULL"
        counts["spans_per_annotator"] = {
            r["name"]: r["n"]
            for r in self._rows(
                """SELECT a.name, count(s.id) AS n FROM annotators a
                   JOIN spans s ON s.created_by = a.id AND s.deleted_at IS NULL
                   GROUP BY a.id ORDER BY a.name"""
            )
        }
        counts["spans_per_tag"] = {
            r["name"]: r["n"]
            for r in self._rows(
                f"""SELECT t.name, count(DISTINCT st.span_id) AS n FROM tags t
                    JOIN span_tags st ON st.tag_id = t.id AND st.deleted_at IS NULL {live_spans}
                    WHERE t.deleted_at IS NULL GROUP BY t.id ORDER BY t.name"""
            )
        }
        return counts

    def orphan_summaries(self, document_id: str | None = None) -> list[SpanSummary]:
        """Live orphaned spans (no place in their document's current text) of live documents,
        of one document or all, in document order and then by where they last were."""
        sql = """SELECT s.id, s.document_id, d.title AS document_title, s.start, s."end",
                        s.quote, s.note, s.created_by
                 FROM spans s JOIN documents d ON d.id = s.document_id AND d.deleted_at IS NULL
                 WHERE s.deleted_at IS NULL AND s.orphaned_at IS NOT NULL"""
        params: list[str] = []
        if document_id is not None:
            sql += " AND s.document_id = ?"
            params.append(document_id)
        rows = self._rows(sql + " ORDER BY d.title COLLATE NOCASE, d.id, s.start, s.id", params)
        return [SpanSummary(**r) for r in rows]


def _where(**columns: str | None) -> tuple[str, list[str]]:
    given = {k: v for k, v in columns.items() if v is not None}
    return "".join(f" AND {k} = ?" for k in given), list(given.values())
