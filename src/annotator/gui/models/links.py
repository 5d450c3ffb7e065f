"""The links of one span (or one document) as a table, seen from that end.

Each row is a :class:`LinkRow`: the direction (outgoing from here, or incoming), the type, and
the other end (its document and, unless it is a whole document, its passage).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum
from typing import Any

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QFont

from annotator.core.model import Link
from annotator.gui.models.rows import RowTableModel, elide
from annotator.gui.session import Session

LINK_ID_ROLE = Qt.ItemDataRole.UserRole + 1
QUOTE_CHARS = 140
OUTGOING, INCOMING = "→", "←"


class Column(IntEnum):
    DIRECTION = 0
    TYPE = 1
    DOCUMENT = 2
    PASSAGE = 3
    NOTE = 4
    HERE = 5  # this end's passage: only informative when listing a whole document's links


HEADERS = {
    Column.DIRECTION: "",
    Column.TYPE: "Link",
    Column.DOCUMENT: "Document",
    Column.PASSAGE: "Passage",
    Column.NOTE: "Note",
    Column.HERE: "From here",
}


@dataclass(frozen=True, slots=True)
class LinkRow:
    link_id: str
    outgoing: bool
    type: str
    note: str
    other_document_id: str
    other_title: str
    other_span_id: str  # '' when the other end is a whole document
    other_quote: str
    other_start: int  # -1 for a whole document
    here_span_id: str
    here_quote: str


def link_rows(session: Session, *, span_id: str = "", document_id: str = "") -> list[LinkRow]:
    """Links touching the span, or (with no span) anywhere in the document; outgoing first."""
    if span_id:
        links = session.links(span_id=span_id)
    elif document_id:
        links = session.links(document_id=document_id)
    else:
        return []
    ends = {d for link in links for d in (link.from_document_id, link.to_document_id)}
    titles = session.document_titles(ends)  # live ones: not every document's text
    spans: dict[str, tuple[str, int]] = {}  # span id -> (quote, start)

    def span_of(end_span_id: str | None) -> tuple[str, int]:
        if not end_span_id:
            return "", -1  # a whole document sorts before its passages
        if end_span_id not in spans:
            span = session.span(end_span_id)
            spans[end_span_id] = (span.quote, span.start) if span else ("(deleted passage)", -1)
        return spans[end_span_id]

    rows = []
    for link in links:
        outgoing = _starts_here(link, span_id, document_id)
        here = (link.from_document_id, link.from_span_id)
        there = (link.to_document_id, link.to_span_id)
        if not outgoing:
            here, there = there, here
        rows.append(
            LinkRow(
                link_id=link.id,
                outgoing=outgoing,
                type=link.type,
                note=link.note or "",
                other_document_id=there[0],
                other_title=titles.get(there[0], "(deleted document)"),
                other_span_id=there[1] or "",
                other_quote=span_of(there[1])[0],
                other_start=span_of(there[1])[1],
                here_span_id=here[1] or "",
                here_quote=span_of(here[1])[0],
            )
        )
    rows.sort(
        key=lambda r: (not r.outgoing, r.other_title.casefold(), r.other_start, r.type, r.link_id)
    )
    return rows


def _starts_here(link: Link, span_id: str, document_id: str) -> bool:
    if span_id:
        return link.from_span_id == span_id
    return link.from_document_id == document_id


def describe(row: LinkRow) -> str:
    """A sentence for the tooltip: which end does what to which."""
    there = (
        f"“{_short(row.other_quote)}” in {row.other_title}"
        if row.other_span_id
        else (f"the document {row.other_title}")
    )
    here = f"“{_short(row.here_quote)}”" if row.here_span_id else "this document"
    sentence = f"{here} {row.type} {there}" if row.outgoing else f"{there} {row.type} {here}"
    sentence = sentence[0].upper() + sentence[1:]
    return f"{sentence}\nNote: {row.note}" if row.note else sentence


class LinksModel(RowTableModel[LinkRow]):
    def __init__(self, session: Session, parent: QObject | None = None) -> None:
        super().__init__(HEADERS, lambda row: row.link_id, parent)
        self.session = session
        self.span_id = ""
        self.document_id = ""

    def load(self, *, span_id: str = "", document_id: str = "") -> None:
        self.span_id, self.document_id = span_id, document_id
        self.replace_rows(link_rows(self.session, span_id=span_id, document_id=document_id))

    def reload(self) -> None:
        self.load(span_id=self.span_id, document_id=self.document_id)

    def row_data(self, row: LinkRow, column: int, role: int) -> Any:
        column = Column(column)
        if role == Qt.ItemDataRole.DisplayRole:
            return _display(row, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return describe(row)
        if role == Qt.ItemDataRole.FontRole and _is_whole_document(row, column):
            font = QFont()
            font.setItalic(True)
            return font
        if role == Qt.ItemDataRole.TextAlignmentRole and column == Column.DIRECTION:
            return int(Qt.AlignmentFlag.AlignCenter)
        if role == LINK_ID_ROLE:
            return row.link_id
        return None


def _is_whole_document(row: LinkRow, column: Column) -> bool:
    return (column == Column.PASSAGE and not row.other_span_id) or (
        column == Column.HERE and not row.here_span_id
    )


def _display(row: LinkRow, column: Column) -> str:
    if column == Column.DIRECTION:
        return OUTGOING if row.outgoing else INCOMING
    if column == Column.TYPE:
        return row.type
    if column == Column.DOCUMENT:
        return row.other_title
    if column == Column.PASSAGE:
        return f"“{_short(row.other_quote)}”" if row.other_span_id else "whole document"
    if column == Column.NOTE:
        return row.note
    return f"“{_short(row.here_quote)}”" if row.here_span_id else "whole document"


def _short(quote: str) -> str:
    return elide(quote, QUOTE_CHARS)
