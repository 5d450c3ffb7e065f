"""The project schema as numbered migrations.

``PRAGMA application_id`` marks a file as an Annotator project and ``PRAGMA user_version``
holds the schema version. Each migration runs inside the caller's transaction, so a failed
upgrade leaves the file as it was.
"""

from __future__ import annotations

import functools
import sqlite3
from collections.abc import Callable

import sqlite_utils

APPLICATION_ID = 0x414E4E54  # "ANNT"

# Columns every record table shares. Foreign keys are deferred so that one transaction may
# write rows in any order (undo, import and merge write whole change sets).
_RECORD_COLUMNS = """
    id TEXT PRIMARY KEY NOT NULL,
    created_by TEXT REFERENCES annotators(id) DEFERRABLE INITIALLY DEFERRED,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    deleted_at TEXT"""


def _ref(table: str) -> str:
    return f"REFERENCES {table}(id) DEFERRABLE INITIALLY DEFERRED"


_V1_TABLES = [
    f"""CREATE TABLE annotators ({_RECORD_COLUMNS},
    name TEXT NOT NULL
)""",
    f"""CREATE TABLE documents ({_RECORD_COLUMNS},
    title TEXT NOT NULL,
    text TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    author TEXT,
    date TEXT,
    source TEXT,
    language TEXT
)""",
    f"""CREATE TABLE tags ({_RECORD_COLUMNS},
    name TEXT NOT NULL,
    parent_id TEXT {_ref("tags")},
    colour TEXT,
    description TEXT,
    shortcut TEXT,
    CHECK (parent_id IS NULL OR parent_id != id)
)""",
    f"""CREATE TABLE targets ({_RECORD_COLUMNS},
    name TEXT NOT NULL,
    description TEXT
)""",
    f"""CREATE TABLE actors ({_RECORD_COLUMNS},
    name TEXT NOT NULL,
    aliases TEXT NOT NULL DEFAULT '[]',
    description TEXT
)""",
    f"""CREATE TABLE spans ({_RECORD_COLUMNS},
    document_id TEXT NOT NULL {_ref("documents")},
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    quote TEXT NOT NULL,
    prefix TEXT NOT NULL DEFAULT '',
    suffix TEXT NOT NULL DEFAULT '',
    note TEXT,
    CHECK (start >= 0 AND "end" >= start)
)""",
    f"""CREATE TABLE span_tags ({_RECORD_COLUMNS},
    span_id TEXT NOT NULL {_ref("spans")},
    tag_id TEXT NOT NULL {_ref("tags")},
    UNIQUE (span_id, tag_id)
)""",
    f"""CREATE TABLE stances ({_RECORD_COLUMNS},
    document_id TEXT NOT NULL {_ref("documents")},
    target_id TEXT NOT NULL {_ref("targets")},
    polarity INTEGER NOT NULL,
    span_id TEXT {_ref("spans")},
    actor_id TEXT {_ref("actors")},
    note TEXT
)""",
    f"""CREATE TABLE links ({_RECORD_COLUMNS},
    from_document_id TEXT NOT NULL {_ref("documents")},
    to_document_id TEXT NOT NULL {_ref("documents")},
    type TEXT NOT NULL,
    from_span_id TEXT {_ref("spans")},
    to_span_id TEXT {_ref("spans")},
    note TEXT
)""",
    """CREATE TABLE settings (
    key TEXT PRIMARY KEY NOT NULL,
    value TEXT NOT NULL
)""",
]

_V1_INDEXES = [
    "CREATE INDEX documents_sha256 ON documents(sha256)",
    "CREATE INDEX tags_parent ON tags(parent_id)",
    "CREATE INDEX spans_document ON spans(document_id, start)",
    "CREATE INDEX span_tags_tag ON span_tags(tag_id)",
    "CREATE INDEX stances_document ON stances(document_id)",
    "CREATE INDEX stances_span ON stances(span_id)",
    "CREATE INDEX stances_target ON stances(target_id)",
    "CREATE INDEX stances_actor ON stances(actor_id)",
    "CREATE INDEX links_from ON links(from_document_id, from_span_id)",
    "CREATE INDEX links_to ON links(to_document_id, to_span_id)",
]


def _migrate_to_1(db: sqlite_utils.Database) -> None:
    for statement in _V1_TABLES + _V1_INDEXES:
        db.execute(statement)
    db["documents"].enable_fts(
        ["title", "text"], fts_version="FTS5", create_triggers=True, tokenize="unicode61"
    )


_V2_STATEMENTS = [
    # Start offsets (code points) of each page of a paginated source such as a PDF, as a JSON
    # list, so a quote can be cited by page.
    "ALTER TABLE documents ADD COLUMN pages TEXT",
    # Set when a span could not be placed with confidence in its document's current text
    # (a merge or a text replacement); its offsets are then the old ones, kept for review.
    "ALTER TABLE spans ADD COLUMN orphaned_at TEXT",
    # The losing side of every record that two merged projects both changed.
    f"""CREATE TABLE conflicts ({_RECORD_COLUMNS},
    record_table TEXT NOT NULL,
    record_id TEXT NOT NULL,
    kept TEXT NOT NULL,
    lost TEXT NOT NULL,
    reason TEXT NOT NULL,
    source TEXT
)""",
    "CREATE INDEX conflicts_record ON conflicts(record_table, record_id)",
]


def _migrate_to_2(db: sqlite_utils.Database) -> None:
    for statement in _V2_STATEMENTS:
        db.execute(statement)


# Index i migrates from version i to i + 1.
MIGRATIONS: list[Callable[[sqlite_utils.Database], None]] = [_migrate_to_1, _migrate_to_2]
SCHEMA_VERSION = len(MIGRATIONS)

# Every record's table after those its rows name: merging reads them in this order.
RECORD_TABLES = (
    "annotators",
    "documents",
    "tags",
    "targets",
    "actors",
    "spans",
    "span_tags",
    "stances",
    "links",
    "conflicts",
)


def primary_key(table: str) -> str:
    return "key" if table == "settings" else "id"


def read_version(conn: sqlite3.Connection) -> tuple[int, int]:
    """(application_id, user_version) of an open file."""
    app_id = conn.execute("PRAGMA application_id").fetchone()[0]
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    return app_id, version


def schema_entries(conn: sqlite3.Connection) -> dict[tuple[str, str], str]:
    """(type, name) -> normalised SQL of every schema object that can hold or run code.

    FTS5 makes its shadow tables itself, with SQL that varies between SQLite releases,
    so only their names are compared.
    """
    entries = {}
    rows = conn.execute("SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'")
    for kind, name, sql in rows:
        shadow = kind == "table" and name.startswith("documents_fts_")
        entries[(kind, name)] = "" if shadow or sql is None else " ".join(sql.split())
    return entries


@functools.cache
def expected_entries(version: int) -> dict[tuple[str, str], str]:
    """What our own migrations create up to ``version``, built in memory."""
    db = sqlite_utils.Database(memory=True)
    with db.atomic():
        for step in range(version):
            MIGRATIONS[step](db)
    return schema_entries(db.conn)


def unexpected_schema(conn: sqlite3.Connection, version: int) -> list[str]:
    """Names of schema objects that differ from ours: such a file is not trusted."""
    found, expected = schema_entries(conn), expected_entries(version)
    return sorted(
        f"{kind} {name}"
        for kind, name in found.keys() | expected.keys()
        if found.get((kind, name)) != expected.get((kind, name))
    )


def migrate(db: sqlite_utils.Database, from_version: int) -> None:
    """Bring the schema up to ``SCHEMA_VERSION``; the caller owns the transaction."""
    for version in range(from_version, SCHEMA_VERSION):
        MIGRATIONS[version](db)
        db.execute(f"PRAGMA user_version = {version + 1}")
    db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
