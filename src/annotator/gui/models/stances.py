"""The stances of one document as a table: target, actor, polarity, evidence.

Rows are plain :class:`StanceRow` records built from the session's reads; the model re-reads
them when told to (the stance editor decides when a change concerns it).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum
from typing import Any

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QColor, QFont

from annotator.gui.models.rows import RowTableModel, elide
from annotator.gui.session import Session

STANCE_ID_ROLE = Qt.ItemDataRole.UserRole + 1
SPAN_ID_ROLE = Qt.ItemDataRole.UserRole + 2
QUOTE_CHARS = 120  # evidence shown in the list; the tooltip has all of it

# A diverging scale that colour-blind readers can tell apart: vermillion against, blue for.
AGAINST_COLOUR = QColor("#d55e00")
FAVOUR_COLOUR = QColor("#0072b2")
NEUTRAL_COLOUR = QColor("#8c8c8c")


class Column(IntEnum):
    TARGET = 0
    ACTOR = 1
    POLARITY = 2
    EVIDENCE = 3


HEADERS = {
    Column.TARGET: "Target",
    Column.ACTOR: "Actor",
    Column.POLARITY: "Polarity",
    Column.EVIDENCE: "Evidence",
}


@dataclass(frozen=True, slots=True)
class StanceRow:
    stance_id: str
    target_id: str
    target: str
    actor_id: str | None
    actor: str
    polarity: int
    polarity_label: str
    span_id: str | None  # None: the stance is on the whole document
    quote: str
    start: int  # where the evidence starts (-1 for the whole document), for ordering
    note: str


def polarity_text(value: int) -> str:
    """-2 → '−2', 1 → '+1', 0 → '0' (a real minus sign, and a plus so signs line up)."""
    return f"−{-value}" if value < 0 else (f"+{value}" if value > 0 else "0")


def polarity_colour(value: int, scale: dict[int, str]) -> QColor:
    """Stronger colour the further from the middle of the scale."""
    if not scale:
        return NEUTRAL_COLOUR
    low, high = min(scale), max(scale)
    middle = (low + high) / 2
    reach = max(high - middle, 1e-9)
    strength = min(abs(value - middle) / reach, 1.0)
    if strength == 0:
        return NEUTRAL_COLOUR
    end = FAVOUR_COLOUR if value > middle else AGAINST_COLOUR
    mix = 0.2 + 0.8 * strength  # never so faint that it reads as neutral

    def channel(a: int, b: int) -> int:
        return round(a + (b - a) * mix)

    return QColor(
        channel(NEUTRAL_COLOUR.red(), end.red()),
        channel(NEUTRAL_COLOUR.green(), end.green()),
        channel(NEUTRAL_COLOUR.blue(), end.blue()),
    )


def stance_rows(session: Session, document_id: str) -> list[StanceRow]:
    """The live stances of a document: whole-document ones first, then in text order."""
    if not document_id:
        return []
    targets = {t.id: t.name for t in session.targets()}
    actors = {a.id: a.name for a in session.actors()}
    scale = session.stance_scale()
    stances = session.stances(document_id)
    spans = {s.span_id: session.span(s.span_id) for s in stances if s.span_id}  # the evidence
    rows = []
    for stance in stances:
        span = spans.get(stance.span_id) if stance.span_id else None
        if span is not None and span.document_id != document_id:
            span = None
        rows.append(
            StanceRow(
                stance_id=stance.id,
                target_id=stance.target_id,
                target=targets.get(stance.target_id, "(deleted target)"),
                actor_id=stance.actor_id,
                actor=actors.get(stance.actor_id, "(deleted actor)") if stance.actor_id else "",
                polarity=stance.polarity,
                polarity_label=scale.get(stance.polarity, ""),
                span_id=stance.span_id,
                quote=span.quote if span else "",
                start=span.start if span else -1,
                note=stance.note or "",
            )
        )
    rows.sort(key=lambda r: (r.start, r.target.casefold(), r.stance_id))
    return rows


class StanceListModel(RowTableModel[StanceRow]):
    def __init__(self, session: Session, parent: QObject | None = None) -> None:
        super().__init__(HEADERS, lambda row: row.stance_id, parent)
        self.session = session
        self.document_id = ""
        self.current_span_id = ""  # its stances are shown in bold
        self._scale: dict[int, str] = {}

    def load(self, document_id: str) -> None:
        self.document_id = document_id
        self._scale = self.session.stance_scale()
        self.replace_rows(stance_rows(self.session, document_id))

    def reload(self) -> None:
        self.load(self.document_id)

    def set_current_span(self, span_id: str) -> None:
        self.current_span_id = span_id
        if self._rows:
            last = self.index(len(self._rows) - 1, len(Column) - 1)
            self.dataChanged.emit(self.index(0, 0), last, [Qt.ItemDataRole.FontRole])

    def scale(self) -> dict[int, str]:
        return dict(self._scale)

    def row_data(self, row: StanceRow, column: int, role: int) -> Any:
        column = Column(column)
        if role == Qt.ItemDataRole.DisplayRole:
            return _display(row, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return _tooltip(row)
        if role == Qt.ItemDataRole.DecorationRole and column == Column.POLARITY:
            return polarity_colour(row.polarity, self._scale)
        if role == Qt.ItemDataRole.FontRole:
            return _font(row, column, self.current_span_id)
        if role == STANCE_ID_ROLE:
            return row.stance_id
        if role == SPAN_ID_ROLE:
            return row.span_id or ""
        return None


def _display(row: StanceRow, column: Column) -> str:
    if column == Column.TARGET:
        return row.target
    if column == Column.ACTOR:
        return row.actor or "—"
    if column == Column.POLARITY:
        return f"{polarity_text(row.polarity)} {row.polarity_label}".strip()
    if not row.span_id:
        return "whole document"
    return f"“{elide(row.quote, QUOTE_CHARS)}”"


def _tooltip(row: StanceRow) -> str:
    who = f"{row.actor}: " if row.actor else ""
    lines = [f"{who}{polarity_text(row.polarity)} {row.polarity_label} — {row.target}"]
    lines.append(f"“{row.quote}”" if row.span_id else "On the whole document")
    if row.note:
        lines.append(f"Note: {row.note}")
    return "\n".join(lines)


def _font(row: StanceRow, column: Column, current_span_id: str) -> QFont | None:
    if column == Column.EVIDENCE and not row.span_id:
        font = QFont()
        font.setItalic(True)
        return font
    if current_span_id and row.span_id == current_span_id:
        font = QFont()
        font.setBold(True)
        return font
    return None
