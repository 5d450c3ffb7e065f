"""Write a project (or a selection of it) as a JSONL annotation set; see docs/annotation-sets.md."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from typing import Any, TextIO

from annotator.core.formats.selection import (
    Selection,
    spans_with_tags,
    tags_parents_first,
    with_kept_spans,
)
from annotator.core.model import Tag, now
from annotator.core.ops import link_types, stance_scale
from annotator.core.store import Project

FORMAT = "annotator-set"
_WRITE_CHARS = 2**18
VERSION = 1


def _common(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": row["id"],
        "annotator": row["created_by"],
        "created_at": row["created_at"],
        "updated_at": row["updated_at"],
        "deleted_at": row["deleted_at"],
    }


def header(project: Project) -> dict[str, Any]:
    return {
        "kind": "set",
        "format": FORMAT,
        "version": VERSION,
        "exported_at": now(),
        "stance_scale": {str(k): v for k, v in stance_scale(project).items()},
        "link_types": link_types(project),
    }


def document_line(document: dict[str, Any], *, with_text: bool) -> dict[str, Any]:
    line = {"kind": "document", **_common(document)}
    line |= {k: document[k] for k in ("title", "sha256", "author", "date", "source", "language")}
    line["pages"] = json.loads(document["pages"]) if document["pages"] else None
    if with_text:
        line["text"] = document["text"]
    return line


def record_lines(project: Project, selection: Selection, *, with_text: bool = False):
    """Every line of the set, in the order an importer needs them (referenced before referring).

    Lines are built from the store's rows directly: a set can hold hundreds of thousands.
    """
    yield header(project)
    live_only = not selection.include_deleted
    for row in project.rows("annotators", live=live_only, order_by="created_at, id"):
        yield {"kind": "annotator", **_common(row), "name": row["name"]}
    document_ids: set[str] = set()
    for row in project.rows("documents", live=False, order_by="created_at, id"):
        if selection.keeps_document(row):
            document_ids.add(row["id"])
            yield document_line(row, with_text=with_text)
    yield from _codebook_lines(project, live_only)
    for row, tag_ids in spans_with_tags(project, selection, document_ids):
        yield {"kind": "span", **_common(row), "document": row["document_id"], "start": row["start"],
               "end": row["end"], "quote": row["quote"], "prefix": row["prefix"],
               "suffix": row["suffix"], "tags": tag_ids, "note": row["note"],
               "orphaned_at": row["orphaned_at"]}  # fmt: skip
    # Whether a stance's or link's spans were written is asked again, a chunk at a time:
    # remembering every span id would grow with the set.
    stances = project.rows("stances", live=live_only, order_by="created_at, id")
    for row, kept in with_kept_spans(project, selection, document_ids, stances, ("span_id",)):
        if selection.keeps_stance(row, kept, document_ids):
            yield {"kind": "stance", **_common(row), "document": row["document_id"],
                   "span": row["span_id"], "target": row["target_id"], "actor": row["actor_id"],
                   "polarity": row["polarity"], "note": row["note"]}  # fmt: skip
    links = project.rows("links", live=live_only, order_by="created_at, id")
    ends = ("from_span_id", "to_span_id")
    for row, kept in with_kept_spans(project, selection, document_ids, links, ends):
        if selection.keeps_link(row, kept, document_ids):
            yield {"kind": "link", **_common(row), "from": row["from_span_id"] or row["from_document_id"],
                   "to": row["to_span_id"] or row["to_document_id"], "type": row["type"],
                   "note": row["note"]}  # fmt: skip


def _codebook_lines(project: Project, live_only: bool) -> Iterator[dict[str, Any]]:
    for tag in tags_parents_first(list(project.records(Tag, live=live_only))):
        yield {"kind": "tag", **_common(tag.row()), "name": tag.name, "parent": tag.parent_id,
               "colour": tag.colour, "description": tag.description, "shortcut": tag.shortcut}  # fmt: skip
    for row in project.rows("targets", live=live_only, order_by="created_at, id"):
        yield {
            "kind": "target",
            **_common(row),
            "name": row["name"],
            "description": row["description"],
        }
    for row in project.rows("actors", live=live_only, order_by="created_at, id"):
        yield {"kind": "actor", **_common(row), "name": row["name"],
               "aliases": json.loads(row["aliases"]), "description": row["description"]}  # fmt: skip


def export_jsonl(
    project: Project, out: TextIO, selection: Selection | None = None, *, with_text: bool = False
) -> Counter[str]:
    """Stream the set to ``out``; returns how many records of each kind were written."""
    counts: Counter[str] = Counter()
    encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
    pending: list[str] = []  # lines written a few hundred kilobytes at a time: each write costs
    size = 0
    for line in record_lines(project, selection or Selection(), with_text=with_text):
        counts[line["kind"]] += 1
        pending.append(encode(line) + "\n")
        size += len(pending[-1])
        if size >= _WRITE_CHARS:
            out.write("".join(pending))
            pending, size = [], 0
    out.write("".join(pending))
    counts.pop("set", None)
    return counts
