"""A small annotated project shared by the core tests."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import sqlite_utils

from annotator.core.store import Project
from annotator.core.store import schema as store_schema
from annotator.core.store.schema import RECORD_TABLES

ARTICLE = (
    "Armenia and Azerbaijan agreed on the text of a draft agreement.\n\n"
    "Critics call it a victor’s peace. Հայաստան signed; Азербайджан insisted. 🇦🇲👩‍👩‍👧\n\n"
    "The Zangezur corridor remains the hardest question."
)
REBUTTAL = "The ambassador says peace is within reach.\n\nThe constitution demand is coercion."


@dataclass
class Sample:
    project: Project
    me: str
    article: str
    rebuttal: str
    tag: str
    child_tag: str
    target: str
    actor: str
    span: str
    other_span: str
    colleague: str


def snapshot(project: Project) -> dict[str, list[dict]]:
    return {t: project.all_rows(t) for t in (*RECORD_TABLES, "settings")}


def version_1_file(path: Path, *statements: tuple[str, Sequence[object]]) -> Path:
    """A project file as the first schema made it, with ``statements`` (SQL and parameters)
    run in it: what an older Annotator left behind."""
    conn = sqlite3.connect(path)
    with conn:
        store_schema.MIGRATIONS[0](sqlite_utils.Database(conn))
        conn.execute("PRAGMA user_version = 1")
        conn.execute(f"PRAGMA application_id = {store_schema.APPLICATION_ID}")
        for sql, parameters in statements:
            conn.execute(sql, parameters)
    conn.close()
    return path
