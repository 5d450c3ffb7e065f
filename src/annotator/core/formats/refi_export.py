"""Export a project as a REFI-QDA project (``.qdpx``); the mapping is in docs/refi-qda.md.

The archive holds each document's text as ``sources/<document id>.txt`` (UTF-8) and
``project.qde``, written element by element as the spans stream from the store: memory does not
grow with the number of spans. Live records only; spans whose place in the text was lost
(``orphaned_at``) are left out, with the stances and links that rest on them.
"""

from __future__ import annotations

import re
import zipfile
from collections import Counter
from collections.abc import Iterable, Iterator
from typing import IO, Any

from lxml import etree

from annotator.core.formats.refi_codebook import Codebook, polarity_guid
from annotator.core.formats.refi_common import (
    INTERNAL,
    ORIGIN,
    PROJECT_MEMBER,
    PROJECT_NS,
    SOURCES_FOLDER,
    VARIABLES,
    actor_coding_guid,
    note_guid,
    stamp,
    xml_safe,
)
from annotator.core.formats.refi_writing import (
    CompressingWriter,
    Lazy,
    element,
    empty,
    escaped,
    write_text,
)
from annotator.core.formats.selection import (
    ByDocument,
    Row,
    Selection,
    spans_with_tags,
    with_kept_spans,
)
from annotator.core.model import is_uuid
from annotator.core.ops import span_tag_id
from annotator.core.store import Project

HEAD_FIELDS = ("id", "title", "created_by", "created_at", "updated_at", *VARIABLES)
EXCERPT_CHARS = 60  # of a note, as its name: what other programs list
_TEXT_CHUNK = 2**20
_XSD_DATE_TIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)")


def _q(name: str) -> str:
    return f"{{{PROJECT_NS}}}{name}"


NOTE_REF = _q("NoteRef")


def xsd_time(value: str | None) -> str | None:
    if not value:
        return None
    return value if _XSD_DATE_TIME.fullmatch(value) else stamp(value)


def excerpt(text: str) -> str:
    return xml_safe(" ".join(text[: EXCERPT_CHARS * 2].split())[:EXCERPT_CHARS])


def export_qdpx(
    project: Project, out: IO[bytes], selection: Selection | None = None
) -> Counter[str]:
    """Write the archive to ``out``; returns how many records of each kind it holds."""
    writer = QdpxWriter(project, (selection or Selection()).live_only())
    # The fastest compression: four times faster than the default, an eighth larger.
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        writer.write_texts(archive)
        with archive.open(PROJECT_MEMBER, "w") as member, CompressingWriter(member) as stream:
            writer.write_project(stream)
    return writer.counts


class QdpxWriter:
    def __init__(self, project: Project, selection: Selection) -> None:
        self.project = project
        self.selection = selection
        self.counts: Counter[str] = Counter()
        self.documents: list[dict[str, Any]] = []  # kept documents without their texts
        self.document_ids: set[str] = set()
        # Only ids of what one document holds are kept, whatever the size of the project.
        polarities = set(project.column_by_id("stances", "polarity", live=False).values())
        self.codebook = Codebook.of(project, polarities)
        self.code_refs = {
            t: element("CodeRef", {"targetGUID": escaped(t)}) for t in self.codebook.tag_ids()
        }
        self.target_ids = {t.id for t in self.codebook.targets}
        self.actor_ids = {a.id for a in self.codebook.actors}
        self.user_ids: set[str] = set()  # annotator ids seen to be UUIDs, written 100,000s of times

    def authorship(self, row: Row, *, modified: bool = True) -> dict[str, str]:
        attrs: dict[str, str] = {}
        user = row["created_by"]
        if user in self.user_ids or is_uuid(user):
            self.user_ids.add(user)
            attrs["creatingUser"] = user
        created_at = row["created_at"]
        created = xsd_time(created_at)
        if created:
            attrs["creationDateTime"] = created
        if modified and row["updated_at"] != created_at:
            updated = xsd_time(row["updated_at"])
            if updated and updated != created:
                attrs["modifiedDateTime"] = updated
        return attrs

    # -- texts ------------------------------------------------------------------------------

    def write_texts(self, archive: zipfile.ZipFile) -> None:
        """Each kept document's text, streamed into the archive one at a time."""
        for row in self.project.rows("documents", live=False, order_by="id"):
            if not self.selection.keeps_document(row):
                continue
            with archive.open(f"{SOURCES_FOLDER}{row['id']}.txt", "w") as member:
                text = row["text"]
                for at in range(0, len(text), _TEXT_CHUNK):
                    member.write(text[at : at + _TEXT_CHUNK].encode("utf-8"))
            self.documents.append({k: row[k] for k in HEAD_FIELDS})
            self.document_ids.add(row["id"])
            self.counts["documents"] += 1

    # -- project.qde --------------------------------------------------------------------------

    def write_project(self, stream: IO[bytes]) -> None:
        self.stream = stream  # the selections of each source are written to it as text
        with etree.xmlfile(stream, encoding="utf-8") as xf:
            xf.write_declaration()
            attrs = {"name": xml_safe(self.project.path.stem), "origin": ORIGIN}
            with xf.element(_q("Project"), attrs, nsmap={None: PROJECT_NS}):
                self._users(xf)
                if self.codebook:
                    with xf.element(_q("CodeBook")), xf.element(_q("Codes")):
                        self.codebook.write(xf, PROJECT_NS, self.counts)
                self._variables(xf)
                self._sources(xf)
                self._notes(xf)
                self._links(xf)

    def _users(self, xf: Any) -> None:
        with Lazy(xf, _q("Users")) as users:
            for row in self.project.rows("annotators", order_by="name, id"):
                users.item()
                empty(xf, _q("User"), guid=row["id"], name=xml_safe(row["name"]))
                self.counts["annotators"] += 1

    def _variables(self, xf: Any) -> None:
        used = [f for f in VARIABLES if any(d[f] for d in self.documents)]
        with Lazy(xf, _q("Variables")) as variables:
            for field in used:
                variables.item()
                attrs = {"guid": VARIABLES[field], "name": field.title(), "typeOfVariable": "Text"}
                with xf.element(_q("Variable"), attrs), xf.element(_q("Description")):
                    xf.write(f"The document's {field}.")

    def _sources(self, xf: Any) -> None:
        spans = ByDocument(
            spans_with_tags(self.project, self.selection, self.document_ids),
            lambda pair: pair[0]["document_id"],
        )
        stances = ByDocument(
            self.project.rows("stances", live=False, order_by="document_id, created_at, id")
        )
        with Lazy(xf, _q("Sources")) as sources:
            for document in self.documents:  # in id order, as the spans and stances come
                sources.item()
                attrs = {
                    "guid": document["id"],
                    "name": xml_safe(document["title"]),
                    "plainTextPath": f"{INTERNAL}{document['id']}.txt",
                    **self.authorship(document),
                }
                on_spans: dict[str, list[Row]] = {}
                on_document: list[Row] = []
                for stance in stances.take(document["id"]):
                    if stance["span_id"] is None:
                        on_document.append(stance)
                    else:
                        on_spans.setdefault(stance["span_id"], []).append(stance)
                with xf.element(_q("TextSource"), attrs):
                    xml = [
                        self._selection(span, tag_ids, on_spans.get(span["id"], ()))
                        for span, tag_ids in spans.take(document["id"])
                    ]
                    xml += [self._stance(stance, set()) for stance in on_document]
                    write_text(xf, self.stream, "".join(xml))
                    self._variable_values(xf, document)

    def _variable_values(self, xf: Any, document: dict[str, Any]) -> None:
        for field, guid in VARIABLES.items():
            if document[field]:
                with xf.element(_q("VariableValue")):
                    empty(xf, _q("VariableRef"), targetGUID=guid)
                    with xf.element(_q("TextValue")):
                        xf.write(xml_safe(document[field]))

    def _selection(self, span: Row, tag_ids: list[str], stances: Iterable[Row]) -> str:
        if span["orphaned_at"] is not None:
            self.counts["orphaned spans left out"] += 1
            return ""
        self.counts["spans"] += 1
        # No name (the quote, optional in the schema): it would cost a fifth of the time.
        position = {"startPosition": str(span["start"]), "endPosition": str(span["end"])}
        attrs = {"guid": escaped(span["id"]), **position, **self.authorship(span)}
        # A tag's coding is the span's: its author and time are the selection's already.
        # Sorted: the order tags were applied in is not kept by an import.
        content = [
            f'<Coding guid="{span_tag_id(span["id"], tag_id)}">{self.code_refs[tag_id]}</Coding>'
            for tag_id in sorted(tag_ids)
            if tag_id in self.code_refs
        ]
        content += [self._stance(stance, {span["id"]}) for stance in stances]
        if span["note"]:
            content.append(element("NoteRef", {"targetGUID": note_guid(span["id"])}))
        return element("PlainTextSelection", attrs, "".join(content))

    def _stance(self, stance: Row, span_ids: set[str]) -> str:
        """A coding with the polarity code under the target, and one with the actor's code;
        ``span_ids``: the exported span it rests on, if any."""
        if not self._keeps_stance(stance, span_ids):
            return ""
        self.counts["stances"] += 1
        coding = self.authorship(stance, modified=False)
        content = element(
            "CodeRef", {"targetGUID": polarity_guid(stance["target_id"], stance["polarity"])}
        )
        if stance["note"]:
            content += element("NoteRef", {"targetGUID": note_guid(stance["id"])})
        xml = element("Coding", {"guid": escaped(stance["id"]), **coding}, content)
        if stance["actor_id"] in self.actor_ids:
            actor = element("CodeRef", {"targetGUID": escaped(stance["actor_id"])})
            xml += element("Coding", {"guid": actor_coding_guid(stance["id"]), **coding}, actor)
        return xml

    def _notes(self, xf: Any) -> None:
        with Lazy(xf, _q("Notes")) as notes:
            for owner, with_author in self._noted():
                notes.item()
                self.counts["notes"] += 1
                attrs = {"guid": note_guid(owner["id"]), "name": excerpt(owner["note"])}
                if with_author:
                    attrs |= self.authorship(owner, modified=False)
                with xf.element(_q("Note"), attrs), xf.element(_q("PlainTextContent")):
                    xf.write(xml_safe(owner["note"]))

    def _keeps_stance(self, stance: Row, span_ids: set[str]) -> bool:
        return stance["target_id"] in self.target_ids and self.selection.keeps_stance(
            stance, span_ids, self.document_ids
        )

    def _noted(self) -> Iterator[tuple[Row, bool]]:
        """Exported spans, stances and links with a note; a link's author does not travel.

        Whether a span was exported is asked again, a chunk at a time."""
        # In the order the spans were written.
        has_note = "note IS NOT NULL AND note != ''"  # as the selections' NoteRefs are written
        # "+": sorting the few noted spans beats walking the index of all of them.
        noted = self.project.rows("spans", has_note, order_by="+document_id, start, id")
        for span, kept in self._with_kept_spans(noted, ("id",)):
            if span["id"] in kept:
                yield span, True
        noted = self.project.rows("stances", has_note, live=False, order_by="created_at, id")
        for stance, kept in self._with_kept_spans(noted, ("span_id",)):
            if self._keeps_stance(stance, kept):
                yield stance, True
        for link in self._kept_links("note IS NOT NULL"):
            yield link, False

    def _with_kept_spans(
        self, rows: Iterable[Row], span_columns: tuple[str, ...]
    ) -> Iterator[tuple[Row, set[str]]]:
        return with_kept_spans(self.project, self.selection, self.document_ids, rows, span_columns)

    def _kept_links(self, where: str | None = None) -> Iterator[Row]:
        links = self.project.rows("links", where, live=False, order_by="id")
        for link, kept in self._with_kept_spans(links, ("from_span_id", "to_span_id")):
            if self.selection.keeps_link(link, kept, self.document_ids):
                yield link

    def _links(self, xf: Any) -> None:
        with Lazy(xf, _q("Links")) as links:
            for link in self._kept_links():
                links.item()
                self.counts["links"] += 1
                attrs = {
                    "guid": link["id"],
                    "name": xml_safe(link["type"]),
                    "direction": "OneWay",
                    "originGUID": link["from_span_id"] or link["from_document_id"],
                    "targetGUID": link["to_span_id"] or link["to_document_id"],
                }
                with xf.element(_q("Link"), attrs):
                    if link["note"]:
                        empty(xf, NOTE_REF, targetGUID=note_guid(link["id"]))
