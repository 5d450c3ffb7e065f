"""Their rows in my terms: ids of records matched under another id, rewritten everywhere."""

from __future__ import annotations

from typing import Any

from annotator.core.ops import span_tag_id
from annotator.core.store.schema import RECORD_TABLES

Row = dict[str, Any]

# Which column of which table names a record of which table.
REFERENCES: dict[str, dict[str, str]] = {
    "tags": {"parent_id": "tags"},
    "spans": {"document_id": "documents"},
    "span_tags": {"tag_id": "tags"},
    "stances": {"document_id": "documents", "target_id": "targets", "actor_id": "actors"},
    "links": {"from_document_id": "documents", "to_document_id": "documents"},
}

# Merge order: every record after those it names (foreign keys are deferred, but matching
# and re-anchoring need documents and the codebook first). The schema lists its record tables
# in that order.
TABLES = RECORD_TABLES

# What a report calls a record.
LABELS = {
    "annotators": "name",
    "documents": "title",
    "tags": "name",
    "targets": "name",
    "actors": "name",
    "spans": "quote",
}


class IdMap:
    """their id -> my id, per table; ids not in it are the same on both sides."""

    def __init__(self) -> None:
        self.maps: dict[str, dict[str, str]] = {t: {} for t in TABLES}

    def add(self, table: str, mapping: dict[str, str]) -> None:
        self.maps[table].update(mapping)

    def mine(self, table: str, their_id: str) -> str:
        return self.maps[table].get(their_id, their_id)

    def theirs(self, table: str, my_id: str) -> str:
        """Their id of a record of mine (matched records are few: a scan is enough)."""
        return next((t for t, m in self.maps[table].items() if m == my_id), my_id)

    def rewrite(self, table: str, row: Row) -> Row:
        """``row`` with my ids; only maps that hold something are consulted (most are empty)."""
        row = dict(row)
        own = self.maps[table]
        if own:
            row["id"] = own.get(row["id"], row["id"])
        annotators = self.maps["annotators"]
        if annotators and row["created_by"] is not None:
            row["created_by"] = annotators.get(row["created_by"], row["created_by"])
        for column, target in REFERENCES.get(table, {}).items():
            mapping = self.maps[target]
            if mapping and row[column] is not None:
                row[column] = mapping.get(row[column], row[column])
        if table == "span_tags" and self.maps["tags"]:
            row["id"] = span_tag_id(row["span_id"], row["tag_id"])  # ids follow the pair
        return row


def label(table: str, row: Row) -> str:
    column = LABELS.get(table)
    text = str(row.get(column) or "") if column else ""
    return text[:60] or f"{table} {row['id'][:8]}"
