"""What the document view and its annotation list read of a document's spans, often and fast."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator, Sequence
from itertools import groupby
from operator import itemgetter
from typing import TYPE_CHECKING, Any, NamedTuple

from annotator.core.model import Span

if TYPE_CHECKING:
    import sqlite_utils

EXCERPT_CHARS = 400  # of a quote, in a SpanOutline


class SpanOutline(NamedTuple):
    """A live span without its context and with only the start of its quote: what
    highlighting and listing a long document's thousands of spans need, read several times
    faster than whole spans."""

    id: str
    start: int
    end: int
    created_by: str | None
    note: str | None
    excerpt: str  # the quote's first EXCERPT_CHARS characters
    whole: bool  # the excerpt is the whole quote

    @classmethod
    def of(cls, span: Span) -> SpanOutline:
        excerpt = span.quote[:EXCERPT_CHARS]
        return cls(
            span.id,
            span.start,
            span.end,
            span.created_by,
            span.note,
            excerpt,
            excerpt == span.quote,
        )


class SpanViewQueries:
    db: sqlite_utils.Database

    def span_outlines(self, document_id: str) -> list[SpanOutline]:
        """The live spans of a document as outlines, in the order of spans_of_document."""
        # One character more than an excerpt tells whether the quote is longer, without a
        # second pass of length() over long quotes.
        cursor = self.db.conn.execute(
            """SELECT id, start, "end", created_by, note, substr(quote, 1, ?)
               FROM spans WHERE document_id = ? AND deleted_at IS NULL
               ORDER BY start, "end", id""",
            [EXCERPT_CHARS + 1, document_id],
        )
        return [_outline(row) for row in cursor]

    def span_outlines_tagged(self, document_id: str) -> list[tuple[SpanOutline, tuple[str, ...]]]:
        """The live spans of a document as outlines with their live tags (first applied
        first), in the order of spans_of_document: one read for listing them all."""
        cursor = self.db.conn.execute(
            """SELECT s.id, s.start, s."end", s.created_by, s.note, substr(s.quote, 1, ?),
                      st.tag_id
               FROM spans s
               LEFT JOIN span_tags st ON st.span_id = s.id AND st.deleted_at IS NULL
               WHERE s.document_id = ? AND s.deleted_at IS NULL
               ORDER BY s.start, s."end", s.id, st.created_at, st.id""",
            [EXCERPT_CHARS + 1, document_id],
        )
        found: list[tuple[SpanOutline, tuple[str, ...]]] = []
        for span_rows in _by_span(cursor):
            tags = tuple(row[6] for row in span_rows if row[6] is not None)
            found.append((_outline(span_rows[0]), tags))
        return found

    def span_paint_rows(
        self, document_id: str, lo: int | None = None, hi: int | None = None
    ) -> list[tuple[str, int, int, str | None, str | None, tuple[str, ...]]]:
        """(id, start, end, created_by, note, tag ids) of the live spans of a document that
        have a place in its current text (orphans' offsets are stale), tags first applied
        first. With ``lo`` and ``hi``: only spans meeting ``[lo, hi)``, and perhaps some
        ending at ``lo``; served by the index on (document_id, start), so a range near the
        start of a long document costs next to nothing."""
        sql = """SELECT s.id, s.start, s."end", s.created_by, s.note, st.tag_id
                 FROM spans s
                 LEFT JOIN span_tags st ON st.span_id = s.id AND st.deleted_at IS NULL
                 WHERE s.document_id = ? AND s.deleted_at IS NULL AND s.orphaned_at IS NULL"""
        params: list[Any] = [document_id]
        if lo is not None and hi is not None:
            # No lower bound on start: a long span may begin far before the range.
            sql += ' AND s.start < ? AND s."end" >= ?'
            params += [hi, lo]
        cursor = self.db.conn.execute(sql + " ORDER BY s.id, st.created_at, st.id", params)
        return [
            (*span_rows[0][:5], tuple(row[5] for row in span_rows if row[5] is not None))
            for span_rows in _by_span(cursor)
        ]

    def span_annotator_ids(
        self, document_id: str, among: Collection[str] | None = None
    ) -> set[str | None]:
        """Who made the live spans of a document that have a place in its text (only those
        ``among`` some annotators, when given)."""
        live = "document_id = ? AND deleted_at IS NULL AND orphaned_at IS NULL"
        if among is not None and len(among) <= 1:
            # Stops at the first span found, where the scan below reads them all.
            sql = f"SELECT EXISTS (SELECT 1 FROM spans WHERE {live} AND created_by = ?)"
            return {a for a in among if self.db.conn.execute(sql, [document_id, a]).fetchone()[0]}
        sql = f"SELECT DISTINCT created_by FROM spans WHERE {live}"
        found = {row[0] for row in self.db.conn.execute(sql, [document_id])}
        return found if among is None else found & set(among)


def _outline(row: Sequence[Any]) -> SpanOutline:
    """A SpanOutline from (id, start, end, created_by, note, the quote's first
    EXCERPT_CHARS + 1 characters)."""
    return SpanOutline(*row[:5], row[5][:EXCERPT_CHARS], len(row[5]) <= EXCERPT_CHARS)


def _by_span(rows: Iterable[Sequence[Any]]) -> Iterator[list[Sequence[Any]]]:
    """Rows grouped by their first column (a span id), for rows that keep a span's together."""
    for _, group in groupby(rows, key=itemgetter(0)):
        yield list(group)
