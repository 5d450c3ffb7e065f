"""Resolve what people write (a UUID, a title, a tag name or path, an alias) to record ids."""

from __future__ import annotations

import json
from collections.abc import Iterable

from annotator.core.model import (
    Actor,
    Annotator,
    Record,
    Tag,
    Target,
    is_uuid,
    normalise_name,
)
from annotator.core.store import Project


class UnknownReferenceError(LookupError):
    """A reference that names nothing, or more than one thing."""


class _Names:
    """Normalised name -> ids, remembering every record with that name."""

    def __init__(self) -> None:
        self.ids: dict[str, list[str]] = {}

    def add(self, name: str, record_id: str) -> None:
        bucket = self.ids.setdefault(normalise_name(name), [])
        if record_id not in bucket:
            bucket.append(record_id)

    def find(self, name: str, what: str) -> str | None:
        found = self.ids.get(normalise_name(name), [])
        if len(found) > 1:
            raise UnknownReferenceError(
                f"{what} {name!r} is ambiguous ({len(found)} match); use its id"
            )
        return found[0] if found else None


class References:
    """Live records of a project by id and by name; extended as an import creates more."""

    def __init__(self, project: Project) -> None:
        self.by_id: dict[str, dict[str, Record]] = {}
        self.names: dict[str, _Names] = {}
        self.tags: dict[str, Tag] = {}
        for cls in (Annotator, Tag, Target, Actor):
            for record in project.records(cls):
                self.remember(record)
        self.document_titles = _Names()
        self.document_ids: set[str] = set()
        for document_id, title in project.column_by_id("documents", "title").items():
            self.remember_document(document_id, title)
        self.document_sources = _Names()  # web annotations name a document by its URL
        for document_id, source in project.column_by_id("documents", "source").items():
            if source:
                self.document_sources.add(source, document_id)

    def remember(self, record: Record) -> None:
        table = record.table
        self.by_id.setdefault(table, {})[record.id] = record
        names = self.names.setdefault(table, _Names())
        if isinstance(record, Tag):
            self.tags[record.id] = record
            names.add(self.tag_path(record.id), record.id)
            names.add(record.name, record.id)
        else:
            names.add(record.name, record.id)  # type: ignore[attr-defined]
        if isinstance(record, Actor):
            for alias in json.loads(record.aliases):
                names.add(alias, record.id)

    def remember_document(self, document_id: str, title: str) -> None:
        self.document_ids.add(document_id)
        self.document_titles.add(title, document_id)

    def tag_path(self, tag_id: str) -> str:
        names, seen, current = [], set(), self.tags.get(tag_id)
        while current is not None and current.id not in seen:
            seen.add(current.id)
            names.append(current.name)
            current = self.tags.get(current.parent_id or "")
        return "/".join(reversed(names))

    # -- lookups: None when nothing matches, UnknownReferenceError when ambiguous ------------------

    def find(self, cls: type[Record], ref: str) -> str | None:
        if is_uuid(ref):
            return ref if ref in self.by_id.get(cls.table, {}) else None
        names = self.names.get(cls.table)
        return names.find(ref, cls.__name__.lower()) if names else None

    def document(self, ref: str) -> str | None:
        if is_uuid(ref):
            return ref if ref in self.document_ids else None
        return self.document_titles.find(ref, "document")

    def document_by_source(self, source: object) -> str | None:
        """The one document whose source (URL or origin) is ``source``, if exactly one is."""
        if not isinstance(source, str):
            return None
        found = self.document_sources.ids.get(normalise_name(source), [])
        return found[0] if len(found) == 1 else None

    def require_document(self, ref: str) -> str:
        found = self.document(ref)
        if found is None:
            raise UnknownReferenceError(f"no document {ref!r} in the project")
        return found

    def require(self, cls: type[Record], ref: str) -> str:
        found = self.find(cls, ref)
        if found is None:
            raise UnknownReferenceError(f"no {cls.__name__.lower()} {ref!r} in the project")
        return found

    def require_annotator(self, ref: str) -> str:
        return self.require(Annotator, ref)

    def require_tag_with_children(self, ref: str) -> list[str]:
        """The tag and every tag below it: filtering by a theme includes its sub-codes."""
        root = self.require(Tag, ref)
        found, frontier = [root], [root]
        while frontier:
            parent = frontier.pop()
            children = [t.id for t in self.tags.values() if t.parent_id == parent]
            found += children
            frontier += children
        return found

    def ids(self, cls: type[Record]) -> Iterable[str]:
        return self.by_id.get(cls.table, {}).keys()
