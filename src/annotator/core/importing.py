"""Bring files into a project: documents (one transaction per batch) and annotation sets."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from annotator.core import corpus, dedupe, ops
from annotator.core.formats import FormatError, registry
from annotator.core.formats.jsonl_import import ImportReport, import_set
from annotator.core.model import Annotator, Change, ChangeSet, Document, is_uuid, now
from annotator.core.ops import document_id_for
from annotator.core.page_numbers import pages_json
from annotator.core.store import Project


@dataclass
class ImportOutcome:
    added: list[Document] = field(default_factory=list)
    files: dict[str, Path] = field(default_factory=dict)  # added document id -> its file
    duplicates: list[tuple[Path, str]] = field(default_factory=list)  # (file, title already here)
    near_duplicates: list[tuple[str, str, float]] = field(default_factory=list)  # new, old, score
    skipped: list[corpus.SkippedFile] = field(default_factory=list)
    sets: list[tuple[Path, ImportReport]] = field(default_factory=list)
    changes: list[ChangeSet] = field(default_factory=list)


def split_paths(paths: Iterable[Path]) -> tuple[list[Path], list[Path]]:
    """(annotation files any registered format reads, document files and folders).

    Folders are also searched for annotation files of the formats that live in folders
    (a folder of brat ``.ann`` files beside their texts, say); their documents stay with the
    document reader.
    """
    sets, documents = [], []
    for path in paths:
        if path.is_dir():
            documents.append(path)
            sets += sorted(
                p
                for p in path.rglob("*")
                if p.is_file()
                and not any(part.startswith(".") for part in p.relative_to(path).parts)
                and registry.import_format(p, in_folder=True) is not None
            )
        elif registry.import_format(path) is not None:
            sets.append(path)
        else:
            documents.append(path)
    return sets, documents


def import_documents(
    project: Project,
    paths: Iterable[Path],
    *,
    by: str,
    progress: Callable[[Path], None] | None = None,
) -> ImportOutcome:
    """Read every file, then add the new texts in one transaction.

    The same text twice (same SHA-256) is skipped with a message; texts that are nearly the
    same as another (rapidfuzz ratio >= 95 after folding whitespace) are added and reported.
    """
    outcome = ImportOutcome()
    stamp = now()
    new: dict[str, Document] = {}
    with project.transaction():
        for item in corpus.read_paths(paths, others=registry.in_folder):
            if progress is not None:
                progress(item.path)
            if isinstance(item, corpus.SkippedFile):
                outcome.skipped.append(item)
                continue
            existing = new.get(item.sha256) or project.document_by_sha256(item.sha256)
            if existing is not None and existing.live:
                outcome.duplicates.append((item.path, existing.title))
                continue
            document = Document(
                id=existing.id if existing is not None else document_id_for(item.sha256),
                title=item.title,
                text=item.text,
                sha256=item.sha256,
                author=item.author,
                date=item.date,
                source=item.source,
                language=item.language,
                pages=pages_json(item.pages),
                created_by=by,
                created_at=stamp,
            )
            new[item.sha256] = document
            outcome.files[document.id] = item.path
        changes = ChangeSet(
            tuple(
                Change("documents", d.id, project.row("documents", d.id), d.row())
                for d in new.values()
            ),
            "Import documents",
        )
        project.apply(changes)
    outcome.added = list(new.values())
    if changes:
        outcome.changes.append(changes)
        titles = {d.id: d.title for d in project.document_summaries()}
        fresh = [(d.id, d.text) for d in outcome.added]
        added_ids = {d.id for d in outcome.added}
        older = [(i, t) for i, t in project.document_texts() if i not in added_ids]
        for new_id, old_id, score in dedupe.near_duplicates(fresh, older):
            outcome.near_duplicates.append((titles[new_id], titles[old_id], score))
    return outcome


def acting_id(project: Project, by: str) -> str:
    """``by`` as an annotator id: an existing annotator's id, else a name (created if new)."""
    if is_uuid(by) and project.get(Annotator, by) is not None:
        return by
    return ops.ensure_annotator(project, by).id


def import_paths(project: Project, paths: Iterable[Path], *, by: str) -> ImportOutcome:
    """Documents first, then annotation sets (which may refer to those documents).

    ``by`` is the acting annotator's id or name; a name is registered only when something
    needs it (see SetWriter), so re-importing one's own export keeps one's original id.
    """
    sets, documents = split_paths(list(paths))
    outcome = (
        import_documents(project, documents, by=acting_id(project, by))
        if documents
        else ImportOutcome()
    )
    for path in sets:
        try:
            fmt = registry.import_format(path)
            assert fmt is not None  # split_paths chose it for that reason
            report, changes = import_set(project, fmt.read(path), by=by)
        except FormatError as error:
            outcome.skipped.append(corpus.SkippedFile(path, str(error)))
            continue
        outcome.sets.append((path, report))
        if changes:
            outcome.changes.append(changes)
    return outcome
