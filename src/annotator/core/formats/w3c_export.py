"""Write a project (or a selection of it) as one W3C Web Annotation collection (JSON-LD).

The file is an AnnotationCollection: its first AnnotationPage embedded in ``first``, the pages
after it in ``pages`` (a term of our namespace), ``total`` and ``last`` at the end, since they
are known only then. One annotation per line. The JSON is written as it goes, a page at a time:
besides one page of text the export holds only the current document's stances on spans and a
few hundred links with the spans they rest on: nothing per span, never the collection.

Live records only: the coding as it stands (``Selection.live_only``). Orphaned spans (their
offsets no longer fit the text) are left out with the stances and links that need them, since
a TextPositionSelector would point at the wrong passage. See docs/w3c.md.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterator
from itertools import islice
from typing import Any, TextIO

from annotator.core.formats.selection import (
    ByDocument,
    Row,
    Selection,
    spans_with_tags,
    tags_parents_first,
    with_kept_spans,
)
from annotator.core.formats.w3c_annotations import (
    Fragments,
    document_stance_annotation,
    link_annotation,
    span_annotation,
)
from annotator.core.formats.w3c_nodes import (
    Names,
    Node,
    actor_node,
    document_node,
    link_types_node,
    scale_node,
    tag_node,
    target_node,
)
from annotator.core.formats.w3c_vocab import ANNO_CONTEXT, COLLECTION_CONTEXT, term, urn
from annotator.core.model import Tag, derived_id
from annotator.core.store import Project

PAGE_SIZE = 1000  # annotations per AnnotationPage

Encode = Callable[[Any], str]


class _Annotations:
    """The annotations of a selection, in document and text order, then links; with counts."""

    def __init__(self, project: Project, selection: Selection, names: Names) -> None:
        self.project = project
        self.selection = selection
        self.fragments = Fragments(names)
        self.document_ids: set[str] = set()
        self.counts: Counter[str] = Counter()

    def __iter__(self) -> Iterator[str]:
        yield from self._spans()
        yield from self._document_stances()
        yield from self._links()

    def _spans(self) -> Iterator[str]:
        # Stances on spans come a document at a time, as the spans do: one document's are held.
        stances = ByDocument(
            self.project.rows(
                "stances", "span_id IS NOT NULL", order_by="document_id, created_at, id"
            )
        )
        document_id: str | None = None
        held: dict[str, list[Row]] = {}
        keeps = self.selection.keeps_stance
        for span, tag_ids in spans_with_tags(self.project, self.selection, self.document_ids):
            if span["document_id"] != document_id:
                document_id = span["document_id"]
                held = {}
                for stance in stances.take(document_id):
                    held.setdefault(stance["span_id"], []).append(stance)
            stances_kept = []
            if on := held.get(span["id"]):
                # The span is written: its stances are checked against it alone.
                here = {span["id"]}
                stances_kept = [s for s in on if keeps(s, here, self.document_ids)]
            self.counts["spans"] += 1
            self.counts["stances"] += len(stances_kept)
            yield span_annotation(span, tag_ids, stances_kept, self.fragments)

    def _document_stances(self) -> Iterator[str]:
        for stance in self.project.rows("stances", "span_id IS NULL", order_by="created_at, id"):
            if self.selection.keeps_stance(stance, set(), self.document_ids):
                self.counts["stances"] += 1
                yield document_stance_annotation(stance, self.fragments)

    def _links(self) -> Iterator[str]:
        rows = self.project.rows("links", order_by="created_at, id")
        ends = ("from_span_id", "to_span_id")
        checked = with_kept_spans(self.project, self.selection, self.document_ids, rows, ends)
        kept = (
            link
            for link, spans in checked
            if self.selection.keeps_link(link, spans, self.document_ids)
        )
        # The spans at their ends are read a few hundred links at a time, not one by one.
        while chunk := list(islice(kept, 500)):
            spans = self.project.rows_by_ids(
                "spans", [link[e] for link in chunk for e in ends if link[e]]
            )
            for link in chunk:
                self.counts["links"] += 1
                source, target = (spans.get(link[e] or "") for e in ends)
                yield link_annotation(link, (source, target), self.fragments)


class _CollectionWriter:
    """Writes the collection's JSON piece by piece, pages as the annotations come."""

    def __init__(self, out: TextIO, collection_id: str) -> None:
        self.out = out
        self.collection_id = collection_id
        self.encode: Encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode

    def page_id(self, number: int) -> str:
        return urn(derived_id("w3c-page", f"{self.collection_id}/{number}"))

    def open_object(self, head: Node) -> None:
        """Write ``head`` without its closing brace, so more members can follow."""
        self.out.write(self.encode(head)[:-1])

    def member_list(self, key: str, nodes: Iterator[Node]) -> int:
        self.out.write(f",\n{self.encode(key)}:[")
        count = 0
        for node in nodes:
            self.out.write(("\n" if count == 0 else ",\n") + self.encode(node))
            count += 1
        self.out.write("]")
        return count

    def pages(self, annotations: Iterator[str], page_size: int) -> tuple[int, int]:
        """Write ``first`` and ``pages``; returns (annotations, pages) written."""
        pending = next(annotations, None)
        total = number = 0
        self.out.write(',\n"first":')
        while True:
            head: Node = {"@context": ANNO_CONTEXT, "id": self.page_id(number)}
            # partOf as an object: the W3C page tests check the collection's keys inside it.
            head |= {"type": "AnnotationPage", "partOf": {"id": self.collection_id}}
            head["startIndex"] = total
            if number:
                head["prev"] = self.page_id(number - 1)
            self.open_object(head)
            items: list[str] = []  # one write per page: many small writes cost more
            while pending is not None and len(items) < page_size:
                items.append(pending)
                pending = next(annotations, None)
            total += len(items)
            self.out.write(',"items":[' + ("\n" if items else "") + ",\n".join(items) + "]")
            if pending is not None:
                self.out.write(f',"next":{self.encode(self.page_id(number + 1))}')
            self.out.write("}")
            self.out.write(',\n"pages":[' if number == 0 else "")
            if pending is None:
                break
            self.out.write("\n" if number == 0 else ",\n")
            number += 1
        self.out.write("]")
        return total, number + 1


def export_w3c(
    project: Project,
    out: TextIO,
    selection: Selection | None = None,
    *,
    with_text: bool = False,
    page_size: int = PAGE_SIZE,
) -> Counter[str]:
    """Stream the collection to ``out``; returns counts of what was written."""
    selection = (selection or Selection()).live_only()
    names = Names.of(project)
    collection_id = urn(_collection_id(project, selection, with_text))
    writer = _CollectionWriter(out, collection_id)
    writer.open_object(
        {
            "@context": COLLECTION_CONTEXT,
            "id": collection_id,
            "type": "AnnotationCollection",
            "label": f"Annotations of {project.path.stem}",
            term("stanceScale"): scale_node(project),
            term("linkTypes"): link_types_node(project),
        }
    )
    annotations = _Annotations(project, selection, names)
    counts = annotations.counts
    counts["documents"] = writer.member_list(
        term("documents"), _documents(project, selection, names, annotations, with_text)
    )
    tags = tags_parents_first(list(project.records(Tag)))
    writer.member_list(term("tags"), (tag_node(t, names) for t in tags))
    rows = project.rows
    writer.member_list(term("targets"), (target_node(r, names) for r in rows("targets")))
    writer.member_list(term("actors"), (actor_node(r, names) for r in rows("actors")))
    total, pages = writer.pages(iter(annotations), page_size)
    out.write(f',\n"total":{total},\n"last":{writer.encode(writer.page_id(pages - 1))}}}\n')
    counts["annotations"] = total
    counts["pages"] = pages
    return counts


def _collection_id(project: Project, selection: Selection, with_text: bool) -> str:
    """Derived from what is exported (the documents, the filters), not drawn at random: the
    same coding exported again, here or from a project it was imported into, is the same
    collection, and its pages keep their ids."""
    documents = project.column_by_id("documents", "title")
    chosen = sorted(i for i in documents if selection.keeps_document_id(i))
    filters = [sorted(selection.tags), sorted(selection.annotators), sorted(selection.targets)]
    identity = [chosen, filters, selection.since, selection.until, with_text]
    return derived_id("w3c-collection", json.dumps(identity))


def _documents(
    project: Project,
    selection: Selection,
    names: Names,
    annotations: _Annotations,
    with_text: bool,
) -> Iterator[Node]:
    for row in project.rows("documents", order_by="created_at, id"):
        if selection.keeps_document(row):
            annotations.document_ids.add(row["id"])
            yield document_node(row, names, with_text=with_text)
