"""Read W3C Web Annotations (ours, other tools', Hypothesis API JSON) as an annotation set.

Every annotation becomes records of our own annotation set (docs/annotation-sets.md), which the
set importer writes in one transaction, anchoring each passage by its quote (and position) in
the stored text. Documents are matched by their ``urn:uuid:`` IRI, or else by title or source
URL. A file that is not JSON, not annotations, or holds values of the wrong type is refused
before anything is written; what has no equivalent here is listed in ``unmapped``. The report
names what it speaks of as the file counts it ("annotation 4", "tag 2" of the collection's
list), since JSON has no lines to speak of.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

from annotator.core.formats import FormatError
from annotator.core.formats.jsonl_read import ParsedSet
from annotator.core.formats.w3c_parts import (
    Bodies,
    Lifecycle,
    Malformed,
    Passage,
    Stance,
    as_list,
    bodies,
    lifecycle,
    node_id,
    passage,
    text_of,
)
from annotator.core.formats.w3c_read import Found, find_annotations, load
from annotator.core.formats.w3c_vocab import ours, unlist, uuid_of
from annotator.core.model import derived_id

DEFAULT_LINK_TYPE = "links to"
MAPPED_MOTIVATIONS = {"highlighting", "commenting", "tagging", "classifying", "describing"}


def read_w3c(path: Path) -> ParsedSet:
    data = load(path)
    try:
        found = find_annotations(data)
        translator = Translator(path.name)
        if found.collection is not None:
            translator.collection(found.collection)
        for number, annotation in enumerate(found.annotations, start=1):
            translator.annotation(number, annotation)
        translator.finish(found)
    except Malformed as error:
        raise FormatError(f"{path.name}: {error}") from error
    return translator.parsed


def our_text(obj: dict[str, Any], name: str, where: str) -> str | None:
    value = ours(obj, name)
    if value is not None and not isinstance(value, str):
        raise Malformed(f"{where}: annotator:{name} must be text")
    return value


def clean_path(value: str) -> str:
    """A tag path without empty steps: "A / /B" -> "A/B"."""
    return "/".join(part.strip() for part in value.split("/") if part.strip())


class Translator:
    """Turns annotations into set records, remembering what the file describes."""

    def __init__(self, name: str) -> None:
        self.parsed = ParsedSet(name)
        self.skipped: Counter[str] = Counter()
        self.known: dict[str, set[str]] = {"tag": set(), "target": set(), "actor": set()}
        self.annotators: set[str] = set()
        self.foreign_documents: dict[str, dict[str, Any]] = {}  # IRI -> document record
        self.first_named: dict[str, str] = {}  # IRI -> the annotation that first names it
        self.reading = "the collection"  # the annotation being read, for reports
        self.bad_times = 0

    def add(self, kind: str, where: str, record: dict[str, Any]) -> None:
        self.parsed.lines[kind].append((where, {"kind": kind, **record}))

    def skip(self, what: str, count: int = 1) -> None:
        self.skipped[what] += count

    def lifecycle(self, obj: dict[str, Any], where: str) -> Lifecycle:
        """Who and when; a creator of ours becomes an annotator record (once)."""
        found = lifecycle(obj, where)
        self.bad_times += found.bad_times
        if found.named and found.named[0] not in self.annotators:
            self.annotators.add(found.named[0])
            self.add("annotator", where, {"id": found.named[0], "name": found.named[1]})
        return found

    # -- our collection's descriptions ------------------------------------------------------

    def collection(self, collection: dict[str, Any]) -> None:
        scale = ours(collection, "stanceScale")
        if scale is not None:
            self.parsed.header["stance_scale"] = _scale(scale)
        link_types = unlist(ours(collection, "linkTypes"))
        if link_types is not None:
            if not isinstance(link_types, list) or not all(isinstance(t, str) for t in link_types):
                raise Malformed("annotator:linkTypes must be a list of texts")
            self.parsed.header["link_types"] = link_types
        for kind, term_name, handler in (
            ("document", "documents", self.document),
            ("tag", "tags", self.tag),
            ("target", "targets", self.named),
            ("actor", "actors", self.named),
        ):
            nodes = ours(collection, term_name) or []
            if not isinstance(nodes, list):
                raise Malformed(f"annotator:{term_name} must be a list")
            for number, node in enumerate(nodes, start=1):
                where = f"{kind} {number}"
                if not isinstance(node, dict):
                    raise Malformed(f"{where}: must be an object")
                record_id = uuid_of(text_of(node, "id", where))
                if record_id is None:
                    raise Malformed(f"{where}: id must be a urn:uuid: IRI")
                record = {"id": record_id} | self.lifecycle(node, where).fields()
                handler(kind, node, record, where)
                if kind in self.known:
                    self.known[kind].add(record_id)

    def document(self, kind: str, node: dict[str, Any], record: dict[str, Any], where: str) -> None:
        for key, source in (("title", "dc:title"), ("author", "dc:creator"), ("date", "dc:date"),
                            ("source", "dc:source"), ("language", "language")):  # fmt: skip
            record[key] = text_of(node, source, where)
        record["sha256"] = our_text(node, "sha256", where)
        record["text"] = our_text(node, "text", where)
        pages = unlist(ours(node, "pageStarts"))
        if pages is not None and not isinstance(pages, list):
            raise Malformed(f"{where}: annotator:pageStarts must be a list")
        record["pages"] = pages
        self.add(kind, where, record)

    def tag(self, kind: str, node: dict[str, Any], record: dict[str, Any], where: str) -> None:
        record["name"] = text_of(node, "label", where)
        record["parent"] = uuid_of(node_id(ours(node, "parent"), where))
        record["colour"] = our_text(node, "colour", where)
        record["description"] = text_of(node, "dc:description", where)
        record["shortcut"] = our_text(node, "shortcut", where)
        self.add(kind, where, record)

    def named(self, kind: str, node: dict[str, Any], record: dict[str, Any], where: str) -> None:
        record["name"] = text_of(node, "label", where)
        record["description"] = text_of(node, "dc:description", where)
        if kind == "actor":
            aliases = ours(node, "aliases") or []
            if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
                raise Malformed(f"{where}: annotator:aliases must be a list of texts")
            record["aliases"] = aliases
        self.add(kind, where, record)

    # -- annotations ------------------------------------------------------------------------

    def annotation(self, number: int, annotation: dict[str, Any]) -> None:
        where = self.reading = f"annotation {number}"
        motivations = _motivations(annotation, where)
        if "replying" in motivations:
            self.skip("replies to other annotations (not imported)")
            return
        life = self.lifecycle(annotation, where)
        targets = as_list(annotation.get("target"))
        if not targets:
            raise Malformed(f"{where}: has no target")
        if len(targets) > 1:
            self.skip("annotations with several targets (only the first is imported)")
        target = passage(targets[0], f"{where} target")
        found = bodies(annotation, where)
        for what in target.unused:
            self.skip(f"{what} (not used; passages are placed by quote and position)")
        for what in found.unused:
            self.skip(f"{what} (not imported)")
        if "linking" in motivations:
            self.link(number, annotation, target, found, life)
            return
        for motivation in sorted(motivations - MAPPED_MOTIVATIONS):
            self.skip(f"motivation {motivation!r} (imported as a passage with its tags and notes)")
        if found.resources:
            self.skip("bodies that are resources, not text (not imported)", len(found.resources))
        if target.whole:
            self.whole_document(number, target, found, life)
            return
        document = self.document_ref(target)
        span_id = _record_id(annotation, where) or derived_id(
            "w3c-annotation",
            json.dumps([target.source, target.exact, target.prefix, target.suffix,
                        target.start, target.end, life.annotator], ensure_ascii=False),
        )  # fmt: skip
        span = {"id": span_id, "document": document, "start": target.start, "end": target.end}
        span |= {"quote": target.exact, "prefix": target.prefix, "suffix": target.suffix}
        span |= {"tags": self.tag_refs(found), "note": "\n\n".join(found.notes) or None}
        self.add("span", where, span | life.fields())
        for stance in found.stances:
            self.stance(number, stance, document, span_id, life)

    def whole_document(self, number: int, target: Passage, found: Bodies, life: Lifecycle) -> None:
        if target.selectors:
            self.skip("annotations without a TextQuoteSelector or TextPositionSelector")
            return
        for stance in found.stances:
            self.stance(number, stance, self.document_ref(target), None, life)
        if found.tags or found.notes:
            self.skip("tags and notes on a whole document (only passages carry them here)")
        elif not found.stances:
            self.skip("annotations of a whole document without a stance")

    def stance(
        self, number: int, stance: Stance, document: str, span_id: str | None, life: Lifecycle
    ) -> None:
        fields = stance.fields
        own = self.lifecycle(stance.body, f"annotation {number} stance")
        record = {"id": fields["id"], "document": document, "span": span_id}
        record |= {"polarity": fields["polarity"], "note": fields["note"]}
        record["target"] = self.reference("target", fields["target"])
        record["actor"] = self.reference("actor", fields["actor"])
        self.add("stance", f"annotation {number}", record | life.fields() | own.fields())

    def link(
        self,
        number: int,
        annotation: dict[str, Any],
        target: Passage,
        found: Bodies,
        life: Lifecycle,
    ) -> None:
        """A linking annotation: from its target to its (first) body resource."""
        if not found.resources:
            self.skip("linking annotations without a resource to link to")
            return
        if len(found.resources) > 1:
            self.skip("linking annotations with several resources (only the first is linked)")
        link_type = our_text(annotation, "linkType", f"annotation {number}")
        if not link_type:
            self.skip(f"links without annotator:linkType (imported as {DEFAULT_LINK_TYPE!r})")
        record = {"id": _record_id(annotation, f"annotation {number}")}
        record |= {"from": self.link_end(target), "to": self.link_end(found.resources[0])}
        record |= {"type": link_type or DEFAULT_LINK_TYPE, "note": "\n\n".join(found.notes) or None}
        self.add("link", f"annotation {number}", record | life.fields())

    def link_end(self, end: Passage) -> str | dict[str, Any]:
        if end.span_id:
            return end.span_id
        document = self.document_ref(end)
        if end.exact is None:
            if not end.whole:
                self.skip("link ends without a TextQuoteSelector (linked to the whole document)")
            return document
        return {"document": document, "quote": end.exact, "prefix": end.prefix,
                "suffix": end.suffix, "start": end.start, "end": end.end}  # fmt: skip

    # -- references -------------------------------------------------------------------------

    def document_ref(self, target: Passage) -> str:
        """Our document id, or an id standing for a foreign IRI (matched by title or URL)."""
        found = uuid_of(target.source)
        if found:
            return found
        record = self.foreign_documents.setdefault(
            target.source,
            {
                "id": derived_id("w3c-document", target.source),
                "title": None,
                "source": target.source,
            },
        )
        record["title"] = record["title"] or target.title
        self.first_named.setdefault(target.source, self.reading)
        return record["id"]

    def reference(self, kind: str, node: tuple[str | None, str | None] | None) -> str | None:
        """The id when the file describes that record, else its name (created if new)."""
        if node is None:
            return None
        record_id, label = node
        if record_id and (record_id in self.known[kind] or not label):
            return record_id
        return label

    def tag_refs(self, found: Bodies) -> list[str]:
        refs: list[str] = []
        for value in found.tags:
            tag_id = found.tag_ids.get(value)
            ref = tag_id if tag_id in self.known["tag"] else clean_path(value)
            if ref and ref not in refs:
                refs.append(ref)
        return refs

    def finish(self, found: Found) -> None:
        if found.pages_elsewhere and not found.annotations:
            raise Malformed("the collection's pages are not in the file (first is a link)")
        if found.by_reference:
            self.skip("annotations given only by their IRI (not in the file)", found.by_reference)
        total = (found.collection or {}).get("total")
        if isinstance(total, int) and total != len(found.annotations) + found.by_reference:
            self.skip(f"annotations the collection counts but the file lacks ({total} counted)")
        if self.bad_times:
            self.skip("times not in ISO 8601 (the import time is used)", self.bad_times)
        for source, record in self.foreign_documents.items():
            self.add("document", self.first_named[source], record)
            self.parsed.implied_documents.add(record["id"])
        self.parsed.unmapped += [f"{what}: {n}" for what, n in sorted(self.skipped.items())]


def _motivations(annotation: dict[str, Any], where: str) -> set[str]:
    motivations = as_list(annotation.get("motivation"))
    if not all(isinstance(m, str) for m in motivations):
        raise Malformed(f"{where}: motivation must be text")
    return set(motivations)


def _record_id(annotation: dict[str, Any], where: str) -> str | None:
    """Our UUID, or one derived from a foreign id so that importing twice changes nothing."""
    given = annotation.get("id")
    if given is None:
        return None
    if not isinstance(given, str) or not given.strip():
        raise Malformed(f"{where}: id must be an IRI")
    return uuid_of(given) or derived_id("w3c-annotation", given)


def _scale(scale: Any) -> dict[str, str]:
    if not isinstance(scale, list):
        raise Malformed("annotator:stanceScale must be a list")
    labels: dict[str, str] = {}
    for entry in scale:
        polarity = ours(entry, "polarity") if isinstance(entry, dict) else None
        label = entry.get("label") if isinstance(entry, dict) else None
        if (
            not isinstance(polarity, int)
            or isinstance(polarity, bool)
            or not isinstance(label, str)
        ):
            raise Malformed(
                "annotator:stanceScale entries need a whole-number polarity and a label"
            )
        labels[str(polarity)] = label
    return labels
