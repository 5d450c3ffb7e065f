"""Write a project (or a selection of it) as a JSONL annotation set; see docs/annotation-sets.md."""

from __future__ import annotations

import json
from collections import Counter
from typing import Any, TextIO

from annotator.core.formats.selection import Selection, spans_with_tags, tags_parents_first
from annotator.core.model import Actor, Annotator, Document, Link, Record, Stance, Tag, Target, now
from annotator.core.ops import link_types, stance_scale
from annotator.core.store import Project

FORMAT = "annotator-set"
VERSION = 1


def _common(record: Record) -> dict[str, Any]:
    return {
        "id": record.id,
        "annotator": record.created_by,
        "created_at": record.created_at,
        "updated_at": record.updated_at,
        "deleted_at": record.deleted_at,
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


def document_line(document: Document, *, with_text: bool) -> dict[str, Any]:
    line = {
        "kind": "document",
        **_common(document),
        "title": document.title,
        "sha256": document.sha256,
    }
    line |= {"author": document.author, "date": document.date, "source": document.source}
    line["language"] = document.language
    if with_text:
        line["text"] = document.text
    return line


def record_lines(project: Project, selection: Selection, *, with_text: bool = False):
    """Every line of the set, in the order an importer needs them (referenced before referring)."""
    yield header(project)
    live_only = not selection.include_deleted
    for annotator in project.records(Annotator, live=live_only, order_by="created_at, id"):
        yield {"kind": "annotator", **_common(annotator), "name": annotator.name}
    documents = [
        d
        for d in project.records(Document, live=False, order_by="created_at, id")
        if selection.keeps_document(d)
    ]
    document_ids = {d.id for d in documents}
    for document in documents:
        yield document_line(document, with_text=with_text)
    for tag in tags_parents_first(list(project.records(Tag, live=live_only))):
        yield {
            "kind": "tag",
            **_common(tag),
            "name": tag.name,
            "parent": tag.parent_id,
            "colour": tag.colour,
            "description": tag.description,
            "shortcut": tag.shortcut,
        }
    for target in project.records(Target, live=live_only, order_by="created_at, id"):
        yield {
            "kind": "target",
            **_common(target),
            "name": target.name,
            "description": target.description,
        }
    for actor in project.records(Actor, live=live_only, order_by="created_at, id"):
        yield {
            "kind": "actor",
            **_common(actor),
            "name": actor.name,
            "aliases": json.loads(actor.aliases),
            "description": actor.description,
        }
    span_ids: set[str] = set()
    for span, tag_ids in spans_with_tags(project, selection, document_ids):
        span_ids.add(span.id)
        yield {
            "kind": "span",
            **_common(span),
            "document": span.document_id,
            "start": span.start,
            "end": span.end,
            "quote": span.quote,
            "prefix": span.prefix,
            "suffix": span.suffix,
            "tags": tag_ids,
            "note": span.note,
        }
    for stance in project.records(Stance, live=live_only, order_by="created_at, id"):
        if selection.keeps_stance(stance, span_ids, document_ids):
            yield {
                "kind": "stance",
                **_common(stance),
                "document": stance.document_id,
                "span": stance.span_id,
                "target": stance.target_id,
                "actor": stance.actor_id,
                "polarity": stance.polarity,
                "note": stance.note,
            }
    for link in project.records(Link, live=live_only, order_by="created_at, id"):
        if selection.keeps_link(link, span_ids, document_ids):
            yield {
                "kind": "link",
                **_common(link),
                "from": link.from_span_id or link.from_document_id,
                "to": link.to_span_id or link.to_document_id,
                "type": link.type,
                "note": link.note,
            }


def export_jsonl(
    project: Project, out: TextIO, selection: Selection | None = None, *, with_text: bool = False
) -> Counter[str]:
    """Stream the set to ``out``; returns how many records of each kind were written."""
    counts: Counter[str] = Counter()
    encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
    for line in record_lines(project, selection or Selection(), with_text=with_text):
        counts[line["kind"]] += 1
        out.write(encode(line))
        out.write("\n")
    counts.pop("set", None)
    return counts
