"""Edits of annotators, documents and project settings."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from annotator.core.model import (
    Annotator,
    ChangeSet,
    Document,
    derived_id,
    normalise_name,
    text_sha256,
)
from annotator.core.ops.cascade import tombstone_document
from annotator.core.ops.edit import editing
from annotator.core.store import InvalidEditError, Project

DOCUMENT_FIELDS = ("title", "author", "date", "source", "language")


def document_id_for(sha256: str) -> str:
    """Documents are identified by their text, so independent imports of one article agree."""
    return derived_id("document", sha256)


# -- annotators -------------------------------------------------------------------------------


def find_annotator(project: Project, name: str) -> Annotator | None:
    wanted = normalise_name(name)
    for annotator in project.records(Annotator, order_by="created_at, id"):
        if normalise_name(annotator.name) == wanted:
            return annotator
    return None


def ensure_annotator(project: Project, name: str) -> Annotator:
    """The annotator of that name, created (as its own author) the first time it acts."""
    name = " ".join(name.split())
    if not name:
        raise InvalidEditError("an annotator needs a name")
    with project.transaction():
        found = find_annotator(project, name)
        if found is not None:
            return found
        annotator = Annotator(name=name)
        with editing(project, annotator.id, f"Add annotator {name}") as edit:
            annotator = edit.create(annotator)
    return annotator


def rename_annotator(project: Project, *, by: str, annotator_id: str, name: str) -> ChangeSet:
    name = " ".join(name.split())
    if not name:
        raise InvalidEditError("an annotator needs a name")
    with editing(project, by, "Rename annotator") as edit:
        edit.update(project.require(Annotator, annotator_id), name=name)
    return edit.changeset()


def delete_annotator(project: Project, *, by: str, annotator_id: str) -> ChangeSet:
    """Tombstone an annotator (their records stay, attributed to them); not oneself."""
    if annotator_id == by:
        raise InvalidEditError("you cannot remove yourself as an annotator")
    with editing(project, by, "Remove annotator") as edit:
        edit.tombstone(project.require(Annotator, annotator_id))
    return edit.changeset()


# -- documents --------------------------------------------------------------------------------


@dataclass(frozen=True)
class DocumentAdded:
    document: Document
    changes: ChangeSet
    duplicate_of: Document | None = None  # set when the same text is already in the project


def add_document(
    project: Project,
    *,
    by: str,
    title: str,
    text: str,
    author: str | None = None,
    date: str | None = None,
    source: str | None = None,
    language: str | None = None,
    document_id: str | None = None,
) -> DocumentAdded:
    """Add a document; the same text twice is reported as a duplicate and not added again."""
    if not text:
        raise InvalidEditError(f"{title}: the document has no text")
    sha256 = text_sha256(text)
    with editing(project, by, f"Import {title}") as edit:
        existing = project.document_by_sha256(sha256)
        if existing is not None and existing.live:
            return DocumentAdded(existing, ChangeSet(), duplicate_of=existing)
        meta = {"title": title or "Untitled", "author": author, "date": date}
        meta |= {"source": source, "language": language}
        if existing is not None:  # deleted before: bring it back rather than fork its identity
            document = edit.revive(existing, **meta)
        else:
            document = edit.create(
                Document(
                    id=document_id or document_id_for(sha256), text=text, sha256=sha256, **meta
                )
            )
    return DocumentAdded(document, edit.changeset())


def update_document(project: Project, *, by: str, document_id: str, **fields: Any) -> ChangeSet:
    unknown = set(fields) - set(DOCUMENT_FIELDS)
    if unknown:
        raise InvalidEditError(f"documents have no field {', '.join(sorted(unknown))}")
    if "title" in fields and not (fields["title"] or "").strip():
        raise InvalidEditError("a document needs a title")
    with editing(project, by, "Edit document details") as edit:
        edit.update(project.require(Document, document_id), **fields)
    return edit.changeset()


def delete_document(project: Project, *, by: str, document_id: str) -> ChangeSet:
    """Tombstone the document with its spans, stances and links."""
    with editing(project, by, "Delete document") as edit:
        tombstone_document(edit, project.require(Document, document_id))
    return edit.changeset()
