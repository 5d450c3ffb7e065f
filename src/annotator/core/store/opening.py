"""Open, create and upgrade project files without ever damaging one we refuse.

A file is inspected through a read-only connection first; only a file that passes is opened
for writing. Upgrades back the file up (SQLite backup API) before migrating in one transaction.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
import tempfile
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import sqlite_utils

from annotator.core.store import schema
from annotator.core.store.errors import (
    CorruptProjectError,
    NewerVersionError,
    NotAProjectError,
    ProjectError,
    ProjectLockedError,
    ProjectNotFoundError,
    ProjectReadOnlyError,
)

SQLITE_MAGIC = b"SQLite format 3\x00"
BUSY_TIMEOUT_MS = 5000
CACHE_KIB = 65536  # SQLite's default 2 MiB cache thrashes on large imports and exports


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


def describe_sqlite_error(path: Path, error: sqlite3.Error) -> ProjectError:
    """Turn a driver error into the one-line project error a user can act on."""
    message = str(error).lower()
    if "locked" in message or "busy" in message:
        return ProjectLockedError(f"{path}: the project is busy in another program; try again")
    if "readonly" in message or "read-only" in message:
        return ProjectReadOnlyError(f"{path}: cannot write here (the file or folder is read-only)")
    if "unable to open" in message:
        return ProjectReadOnlyError(
            f"{path}: cannot open the file (check the folder exists and is writable)"
        )
    if "malformed" in message or "not a database" in message or "corrupt" in message:
        return CorruptProjectError(f"{path}: the project file is damaged ({_one_line(error)})")
    return ProjectError(f"{path}: {_one_line(error)}")


@contextlib.contextmanager
def _private_copy(path: Path) -> Iterator[Path]:
    """A copy of the database ``path`` and of its journal (which holds the latest edits) in a
    private folder, removed afterwards."""
    with tempfile.TemporaryDirectory(prefix="annotator-") as scratch:
        copy = Path(scratch) / path.name
        for suffix in ("", "-wal"):
            if Path(f"{path}{suffix}").exists():
                shutil.copyfile(f"{path}{suffix}", f"{copy}{suffix}")
        yield copy


@contextlib.contextmanager
def read_only(path: Path) -> Iterator[sqlite3.Connection]:
    """A read-only connection. A project in a folder nobody may write to (a share, a locked
    USB stick) cannot be read in place: SQLite needs a shared-memory file beside a WAL
    database. Then a private copy of it (and of its journal) is read instead."""
    try:
        conn = _connectread_only(path)
    except sqlite3.OperationalError as error:
        if "unable to open" not in str(error).lower() or not os.access(path, os.R_OK):
            raise
        with contextlib.ExitStack() as stack:
            try:
                copy = stack.enter_context(_private_copy(path))
            except OSError:
                raise error from None
            conn = _connectread_only(copy)
            try:
                yield conn
            finally:
                conn.close()
        return
    try:
        yield conn
    finally:
        conn.close()


def _connectread_only(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()  # opens the WAL index
    except sqlite3.Error:
        conn.close()
        raise
    return conn


def inspect(path: Path) -> int:
    """Check that ``path`` is a project this version can open; return its schema version.

    Reads only. The schema must be exactly what our migrations make for its version, so the
    triggers that keep full-text search current are ours and safe to run. Raises a
    ProjectError subclass with a one-line reason otherwise.
    """
    _check_sqlite_file(path)
    try:
        with read_only(path) as conn:
            return _check_open_file(path, conn)
    except sqlite3.Error as error:
        raise describe_sqlite_error(path, error) from error


def _check_sqlite_file(path: Path) -> None:
    """The refusals that need no database connection: missing, a folder, not SQLite."""
    if not path.exists():
        raise ProjectNotFoundError(f"{path}: no such project file")
    if path.is_dir():
        raise NotAProjectError(f"{path}: is a folder, not a project file")
    try:
        with path.open("rb") as handle:
            magic = handle.read(len(SQLITE_MAGIC))
    except OSError as error:
        raise ProjectError(f"{path}: cannot read the file ({error.strerror})") from error
    if magic != SQLITE_MAGIC:
        raise NotAProjectError(f"{path}: not an Annotator project (not an SQLite database)")


def _check_open_file(path: Path, conn: sqlite3.Connection, *, full: bool = False) -> int:
    app_id, version = schema.read_version(conn)
    if app_id != schema.APPLICATION_ID:
        tables = conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
        what = "an SQLite database of another program" if tables else "an empty SQLite database"
        raise NotAProjectError(f"{path}: not an Annotator project ({what})")
    if version > schema.SCHEMA_VERSION:
        raise NewerVersionError(
            f"{path}: made by a newer Annotator (schema {version}; this version reads up to "
            f"{schema.SCHEMA_VERSION}); update Annotator to open it"
        )
    check = "integrity_check" if full else "quick_check"
    problem = conn.execute(f"PRAGMA {check}(1)").fetchone()[0]
    if problem != "ok":
        raise CorruptProjectError(f"{path}: the project file is damaged ({_one_line(problem)})")
    unexpected = schema.unexpected_schema(conn, version)
    if unexpected:
        # Triggers and views run code on every write: only our own schema is trusted.
        raise NotAProjectError(
            f"{path}: not a valid Annotator project "
            f"(unexpected schema: {', '.join(unexpected[:3])})"
        )
    return version


def connect(path: Path) -> sqlite_utils.Database:
    """A read-write connection with the project's pragmas; autocommit, transactions explicit."""
    try:
        conn = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False)
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = NORMAL")
        conn.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
    except sqlite3.Error as error:
        raise describe_sqlite_error(path, error) from error
    return sqlite_utils.Database(conn)


def backup(path: Path, version: int, *, reason: str = "") -> Path:
    """Copy the file through the SQLite backup API (consistent even with a WAL)."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
    label = reason or f"v{version}"
    target = path.with_name(f"{path.name}.{label}-{stamp}.bak")
    for n in range(2, 1000):  # two in one second: the first is kept
        if not target.exists():
            break
        target = path.with_name(f"{path.name}.{label}-{stamp}-{n}.bak")
    with read_only(path) as source:
        dest = sqlite3.connect(str(target))
        try:
            source.backup(dest)
        finally:
            dest.close()
    return target


def create(path: Path) -> sqlite_utils.Database:
    """Make a new, empty project file; refuse to overwrite anything."""
    if path.exists():
        raise ProjectError(f"{path}: a file of that name already exists")
    if not path.parent.is_dir():
        raise ProjectError(f"{path.parent}: no such folder")
    if not os.access(path.parent, os.W_OK):
        raise ProjectReadOnlyError(f"{path.parent}: the folder is read-only")
    db = connect(path)
    try:
        with db.atomic():
            schema.migrate(db, 0)
    except sqlite3.Error as error:
        db.close()
        path.unlink(missing_ok=True)
        raise describe_sqlite_error(path, error) from error
    return db


def open_existing(path: Path) -> sqlite_utils.Database:
    """Open a project for writing, upgrading an older schema after a backup."""
    version = inspect(path)
    if version < schema.SCHEMA_VERSION:
        backup(path, version)
    db = connect(path)
    if version < schema.SCHEMA_VERSION:
        try:
            db.execute("BEGIN IMMEDIATE")
            schema.migrate(db, version)
            db.execute("COMMIT")
        except sqlite3.Error as error:
            db.rollback()
            db.close()
            raise describe_sqlite_error(path, error) from error
    return db


@contextlib.contextmanager
def untrusted(path: Path) -> Iterator[tuple[sqlite3.Connection, int]]:
    """Another person's project, opened to be read only: (connection, schema version).

    Read through a private copy: even a read-only connection leaves ``-shm`` and ``-wal`` files
    beside a WAL database, and their folder must stay byte for byte as it was. ``trusted_schema``
    is off and ``query_only`` on before any statement reads their schema, so nothing in it can
    run or be written; the file is then checked whole (``integrity_check``, our exact schema,
    not newer). Every refusal names ``path``, never the copy.
    """
    _check_sqlite_file(path)
    with contextlib.ExitStack() as stack:
        try:
            copy = stack.enter_context(_private_copy(path))
        except OSError as error:
            raise ProjectError(f"{path}: cannot read the file ({error.strerror})") from error
        try:
            conn = sqlite3.connect(f"{copy.as_uri()}?mode=ro", uri=True)
            try:
                conn.execute("PRAGMA trusted_schema = OFF")
                conn.execute("PRAGMA query_only = ON")
                version = _check_open_file(path, conn, full=True)
                conn.row_factory = sqlite3.Row
                yield conn, version
            finally:
                conn.close()
        except sqlite3.Error as error:
            raise describe_sqlite_error(path, error) from error
