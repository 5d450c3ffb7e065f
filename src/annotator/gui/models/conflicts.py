"""The merge conflict log as item models: the unreviewed entries, and one entry's two versions
side by side, field by field.

A conflict keeps both versions as JSON rows. Ids in them (who made it, which tag, which
document) are shown by name where the project still knows the record.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QFont, QPalette

from annotator.core.merge.references import label
from annotator.core.model import Conflict
from annotator.gui.models.merge_report import TABLE_LABELS
from annotator.gui.models.rows import RowTableModel, elide
from annotator.gui.session import Session

CONFLICT_ID_ROLE = Qt.ItemDataRole.UserRole + 1
VALUE_CHARS = 160
HEADERS = {0: "Kind", 1: "Record", 2: "Why", 3: "From", 4: "Logged"}
FIELD_HEADERS = {0: "Field", 1: "Kept (current)", 2: "Lost (other version)"}
FIELD_LABELS = {
    "created_by": "Made by",
    "created_at": "Made",
    "updated_at": "Last changed",
    "deleted_at": "Deleted",
    "orphaned_at": "Orphaned",
    "sha256": "Text checksum",
}
# Columns naming another record, and the table it is in.
REFERENCE_COLUMNS = {
    "created_by": "annotators",
    "parent_id": "tags",
    "tag_id": "tags",
    "target_id": "targets",
    "actor_id": "actors",
    "document_id": "documents",
    "from_document_id": "documents",
    "to_document_id": "documents",
    "span_id": "spans",
    "from_span_id": "spans",
    "to_span_id": "spans",
}


@dataclass(frozen=True)
class ConflictRow:
    id: str
    table: str
    record_id: str
    label: str
    reason: str
    source: str
    logged: str  # when the merge logged it, "YYYY-MM-DD HH:MM" (UTC)
    kept: dict[str, Any] = field(compare=False)
    lost: dict[str, Any] = field(compare=False)


@dataclass(frozen=True)
class FieldRow:
    name: str
    kept: str
    lost: str

    @property
    def differs(self) -> bool:
        return self.kept != self.lost


class Names:
    """Names of the records a conflict's versions refer to, read once per reload."""

    def __init__(self, session: Session, rows: Iterable[dict[str, Any]]) -> None:
        self.session = session
        rows = list(rows)
        wanted = {c: {r[c] for r in rows if r.get(c)} for c in REFERENCE_COLUMNS}
        documents = set().union(
            *(wanted[c] for c, t in REFERENCE_COLUMNS.items() if t == "documents")
        )
        self.by_table: dict[str, dict[str, str]] = {
            "annotators": {a.id: a.name for a in session.annotators()},
            "tags": {t.id: t.name for t in session.tags()},
            "targets": {t.id: t.name for t in session.targets()},
            "actors": {a.id: a.name for a in session.actors()},
            "documents": session.document_titles(documents),
            "spans": {},
        }
        for span_id in set().union(
            *(wanted[c] for c, t in REFERENCE_COLUMNS.items() if t == "spans")
        ):
            span = session.span(span_id)
            if span is not None:
                self.by_table["spans"][span_id] = f"“{elide(span.quote, 60)}”"

    def of(self, column: str, value: Any) -> str | None:
        table = REFERENCE_COLUMNS.get(column)
        return self.by_table.get(table, {}).get(value) if table and value else None

    def record(self, table: str, row: dict[str, Any]) -> str:
        """What to call a record in a list: its name, title or quote, else what it joins."""
        if table == "span_tags":
            tag = self.of("tag_id", row.get("tag_id")) or "a tag"
            span = self.of("span_id", row.get("span_id")) or "an annotation"
            return f"{tag} on {span}"
        if table == "stances":
            return f"stance on {self.of('target_id', row.get('target_id')) or 'a target'}"
        if table == "links":
            return f"“{row.get('type', '')}” link"
        return label(table, row)


def conflict_rows(session: Session) -> list[ConflictRow]:
    conflicts: list[Conflict] = session.conflicts()
    versions = [(json.loads(c.kept), json.loads(c.lost)) for c in conflicts]
    names = Names(session, [row for pair in versions for row in pair])
    return [
        ConflictRow(
            id=c.id,
            table=c.record_table,
            record_id=c.record_id,
            label=names.record(c.record_table, kept),
            reason=c.reason,
            source=c.source or "",
            logged=c.created_at[:16].replace("T", " "),
            kept=kept,
            lost=lost,
        )
        for c, (kept, lost) in zip(conflicts, versions, strict=True)
    ]


def field_rows(row: ConflictRow, names: Names) -> list[FieldRow]:
    """Every field of the two versions but the id; those that differ first."""
    keys = [k for k in {**row.kept, **row.lost} if k != "id"]
    fields = [
        FieldRow(
            _field_label(k), _value(k, row.kept.get(k), names), _value(k, row.lost.get(k), names)
        )
        for k in keys
    ]
    return sorted(fields, key=lambda f: not f.differs)  # stable: schema order within each


class ConflictsModel(RowTableModel[ConflictRow]):
    def __init__(self, session: Session, parent: QObject | None = None) -> None:
        super().__init__(HEADERS, lambda row: row.id, parent)
        self.session = session

    def reload(self) -> None:
        self.replace_rows(conflict_rows(self.session))

    def row_data(self, row: ConflictRow, column: int, role: int) -> Any:
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return (
                TABLE_LABELS.get(row.table, row.table),
                row.label,
                row.reason,
                row.source,
                row.logged,
            )[column]
        if role == CONFLICT_ID_ROLE:
            return row.id
        return None


class FieldsModel(RowTableModel[FieldRow]):
    """One conflict's versions; the fields that differ in bold, the others dimmed."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(FIELD_HEADERS, lambda row: row.name, parent)

    def row_data(self, row: FieldRow, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            text = (row.name, row.kept, row.lost)[column]
            return elide(text, VALUE_CHARS) if column else text
        if role == Qt.ItemDataRole.ToolTipRole:
            return (row.name, row.kept, row.lost)[column]
        if role == Qt.ItemDataRole.FontRole and row.differs:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.ForegroundRole and not row.differs:
            return QPalette().color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text)
        return None


def _field_label(key: str) -> str:
    if key in FIELD_LABELS:
        return FIELD_LABELS[key]
    words = key.removesuffix("_id").replace("_", " ")
    return words[:1].upper() + words[1:]


def _value(key: str, value: Any, names: Names) -> str:
    if value is None:
        return "—"
    named = names.of(key, value)
    if named is not None:
        return named
    if key.endswith("_at") and isinstance(value, str):
        return value.replace("T", " ").removesuffix("Z")  # UTC, to the millisecond
    return str(value)
