"""The machinery of a set import: resolve references, decide insert/update/keep, collect rows."""

from __future__ import annotations

import unicodedata
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from annotator.core.formats.references import References, UnknownReferenceError
from annotator.core.model import (
    DEFAULT_LINK_TYPES,
    DEFAULT_SCALE,
    Actor,
    Annotator,
    Change,
    Tag,
    Target,
    derived_id,
    is_uuid,
    new_id,
    now,
)
from annotator.core.store import Project
from annotator.core.store.queries import PLACE_COLUMNS

_SAID_OR_KEPT = ("note",)  # a hand-written line that leaves this out keeps the stored value


class SkipRecord(Exception):
    """This line cannot be imported; the message says why."""


@dataclass
class ImportReport:
    added: Counter[str] = field(default_factory=Counter)
    updated: Counter[str] = field(default_factory=Counter)
    unchanged: Counter[str] = field(default_factory=Counter)
    older: Counter[str] = field(default_factory=Counter)
    anchored: Counter[str] = field(default_factory=Counter)
    problems: list[str] = field(default_factory=list)
    unmapped: list[str] = field(default_factory=list)
    # (title, spans moved, spans orphaned) of each document whose text the import replaced
    retexted: list[tuple[str, int, int]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            name: dict(getattr(self, name))
            for name in ("added", "updated", "unchanged", "older", "anchored")
        } | {
            "problems": self.problems,
            "unmapped": self.unmapped,
            "retexted": [{"title": t, "moved": m, "orphaned": o} for t, m, o in self.retexted],
        }


def fragment(text: str) -> str:
    """Quotes typed or copied by hand follow the stored text's rules: NFC, "\\n" breaks."""
    return unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))


def text_field(obj: dict[str, Any], key: str) -> str | None:
    value = obj.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise SkipRecord(f"{key} must be text")
    return value


class SetWriter:
    """Rows an import will write, and the references it has resolved so far."""

    def __init__(self, project: Project, by: str) -> None:
        """``by``: the acting annotator's id, or a name looked up (or created) only when a
        record needs it, after the set's own annotators: a set exported by "Ani" and imported
        by "Ani" keeps her original id."""
        self.project = project
        self._acting = by
        self._acting_id: str | None = None
        self.stamp = now()
        self.refs = References(project)
        self.report = ImportReport()
        self.changes: list[Change] = []
        self.pending: dict[tuple[str, str], dict[str, Any]] = {}  # rows written by this import
        self.existing_ids = {t: set(project.ids(t)) for t in ("spans", "stances", "links")}
        self.ids_carried = True  # the file gives records ids of its own (False: derived here)
        self.places: dict[tuple[str, str], dict[tuple[Any, ...], str]] = {}
        self.texts: dict[str, str] = {}
        self.aliases: dict[str, str] = {}  # an id in the set -> the id it became here
        self.missing_documents: dict[str, str] = {}  # id in the set -> why it is not here
        self.scale = dict(project.setting("stance_scale", DEFAULT_SCALE))
        self.link_types = list(project.setting("link_types", list(DEFAULT_LINK_TYPES)))

    # -- writing ----------------------------------------------------------------------------

    def current(self, table: str, key: str) -> dict[str, Any] | None:
        if (table, key) in self.pending:
            return self.pending[(table, key)]
        if table in self.existing_ids and key not in self.existing_ids[table]:
            return None  # skip a query per new span on large imports
        return self.project.row(table, key)

    def settle(self, table: str, row: dict[str, Any], line: dict[str, Any], *, timed: bool) -> None:
        """Match a line to the record it stands for. A file without ids of its own (brat, a
        hand-written line) names a span, stance or link by where it is and who made it, so an
        export read back into its own project matches its records; and a hand-written line's
        unsaid note keeps the stored one."""
        key = row["id"]
        own_id = self.ids_carried and "id" in line
        if not own_id and key not in self.existing_ids[table] and (table, key) not in self.pending:
            found = self._at_place(table, row)
            if found is not None:
                self.aliases[line.get("id") or key] = row["id"] = found
        current = self.current(table, row["id"])
        if not timed and current is not None:
            row |= {k: current[k] for k in _SAID_OR_KEPT if k in row and k not in line}

    def _at_place(self, table: str, row: dict[str, Any]) -> str | None:
        columns = PLACE_COLUMNS[table]
        index = self.places.get((table, row[columns[0]]))
        if index is None:
            index = self.project.live_ids_by_place(table, row[columns[0]])
            self.places[(table, row[columns[0]])] = index
        return index.get(tuple(row[c] for c in columns))

    def write(self, table: str, row: dict[str, Any], kind: str, *, timed: bool) -> str:
        """Insert, update or keep ``row`` by the set's rules; returns its id."""
        key = row["id"]
        before = self.current(table, key)
        if before is None:
            self.report.added[kind] += 1
        elif not timed:  # hand-written: keep history, replace content when it differs
            row |= {k: before[k] for k in ("created_by", "created_at", "updated_at")}
            if row == before:
                self.report.unchanged[kind] += 1
                return key
            row["updated_at"] = max(self.stamp, before["updated_at"])
            self.report.updated[kind] += 1
        elif row == before:
            self.report.unchanged[kind] += 1
            return key
        elif row["updated_at"] <= before["updated_at"]:
            self.report.older[kind] += 1
            return key
        else:
            self.report.updated[kind] += 1
        self.changes.append(Change(table, key, before, row))
        self.pending[(table, key)] = row
        return key

    def common(
        self,
        obj: dict[str, Any],
        derive_id: Callable[[], str] | None = None,
        *,
        author: str | None = None,
    ) -> tuple[dict[str, Any], bool]:
        """id, author and times of a line; ``timed`` says whether the line carried its times.

        A line without an id gets ``derive_id()`` (computed only then: exports carry ids).
        """
        record_id = obj.get("id") or (derive_id() if derive_id else new_id())
        if not is_uuid(record_id):
            raise SkipRecord(f"id {record_id!r} is not a UUID")
        timed = bool(obj.get("updated_at"))
        created = obj.get("created_at") or obj.get("updated_at") or self.stamp
        row = {
            "id": self.aliases.get(record_id, record_id),
            "created_by": author or self.annotator(obj.get("annotator")),
            "created_at": created,
            "updated_at": obj.get("updated_at") or created,
            "deleted_at": obj.get("deleted_at"),
        }
        return row, timed

    # -- references -------------------------------------------------------------------------

    @property
    def by(self) -> str:
        """The acting annotator's id, resolved (and created if new) at first use."""
        if self._acting_id is None:
            self._acting_id = self.annotator(self._acting, creator=None)
        return self._acting_id

    def annotator(self, ref: Any, *, creator: str | None = "acting") -> str:
        """An annotator by id or name; an unknown name is created (by ``creator``, or itself)."""
        if ref is None:
            return self.by
        ref = self.aliases.get(str(ref), str(ref))
        found = self.refs.find(Annotator, ref)
        if found is not None:
            return found
        name = f"annotator {ref[:8]}" if is_uuid(ref) else " ".join(ref.split())
        record_id = ref if is_uuid(ref) else new_id()
        author = self.by if creator == "acting" else record_id
        record = Annotator(id=record_id, name=name, created_by=author, created_at=self.stamp)
        self.write("annotators", record.row(), "annotator", timed=True)
        self.refs.remember(record)
        return record.id

    def named(self, cls: type[Tag] | type[Target] | type[Actor], ref: Any) -> str:
        """A tag, target or actor by id or name; an unknown name is created."""
        if not isinstance(ref, str) or not ref.strip():
            raise SkipRecord(f"a {cls.__name__.lower()} reference must be a name or an id")
        ref = self.aliases.get(ref, ref)
        try:
            found = self.refs.find(cls, ref)
        except UnknownReferenceError as error:
            raise SkipRecord(str(error)) from error
        if found is not None:
            return found
        if is_uuid(ref):
            raise SkipRecord(f"no {cls.__name__.lower()} with id {ref}")
        parent, name = None, ref
        if cls is Tag and "/" in ref:
            parent_path, name = ref.rsplit("/", 1)
            parent = self.named(Tag, parent_path)
        return self.add_named(
            cls,
            {"name": name.strip(), "parent_id": parent} if cls is Tag else {"name": name.strip()},
        )

    def add_named(self, cls: type[Tag] | type[Target] | type[Actor], fields: dict[str, Any]) -> str:
        key = f"{fields.get('parent_id') or ''}/{fields['name'].casefold()}"
        record = cls(
            id=derived_id(cls.table, key), created_by=self.by, created_at=self.stamp, **fields
        )
        self.write(cls.table, record.row(), cls.__name__.lower(), timed=True)
        self.refs.remember(record)
        return record.id

    def document(self, ref: Any) -> str:
        if not isinstance(ref, str):
            raise SkipRecord("a document reference must be a title or an id")
        if ref in self.missing_documents:
            raise SkipRecord(self.missing_documents[ref])
        try:
            found = self.refs.document(self.aliases.get(ref, ref))
        except UnknownReferenceError as error:
            raise SkipRecord(str(error)) from error
        if found is None:
            raise SkipRecord(f"no document {ref!r} in the project")
        return found

    def text_of(self, document_id: str) -> str:
        if document_id not in self.texts:
            pending = self.pending.get(("documents", document_id))
            row = pending or self.project.row("documents", document_id)
            self.texts[document_id] = row["text"] if row else ""
        return self.texts[document_id]

    # -- kinds ------------------------------------------------------------------------------

    def _by_sha(self, sha: Any) -> str | None:
        if not isinstance(sha, str):
            return None
        found = self.project.document_by_sha256(sha)
        return found.id if found is not None and found.live else None
