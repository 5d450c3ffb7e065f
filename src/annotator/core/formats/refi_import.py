"""Read a REFI-QDA project (``.qdpx``) as an annotation set; the mapping is in docs/refi-qda.md.

Users become annotators, the codebook tags (and targets and actors, see refi_codebook), text
sources documents, selections spans with their codes as tags, notes span, stance and link notes,
and links links. Positions are carried from the source's own text into the stored one exactly
(refi_offsets). What has no place here (pictures, PDFs, audio, video, cases, sets, graphs,
project memos) is counted in ``unmapped``. Nothing is written while reading: the importer
(jsonl_import.import_set) writes the set in one transaction.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from lxml import etree

from annotator.core.formats import FormatError
from annotator.core.formats.jsonl_read import ParsedSet
from annotator.core.formats.refi_codebook import CodebookReader, CodeMeaning
from annotator.core.formats.refi_common import (
    MAX_TEXT_BYTES,
    MAX_XML_BYTES,
    PROJECT_MEMBER,
    VARIABLES,
    Archive,
    actor_coding_guid,
    canonical_guid,
    child,
    children,
    elements,
    grouped,
    guid_or_derived,
    internal_member,
    local,
    parse_xml,
    stamp,
    unmapped_lines,
)
from annotator.core.formats.refi_offsets import OffsetMap, normalised_with_offsets
from annotator.core.formats.set_writer import fragment

OTHER_SOURCES = {
    "PDFSource": "PDF sources",
    "PictureSource": "picture sources",
    "AudioSource": "audio sources",
    "VideoSource": "video sources",
}
VALUE_ELEMENTS = (
    "TextValue",
    "DateValue",
    "DateTimeValue",
    "IntegerValue",
    "FloatValue",
    "BooleanValue",
)


def read_qdpx(path: Path) -> ParsedSet:
    with Archive(path) as archive:
        member = archive.find(PROJECT_MEMBER) or _only_qde(archive)
        if member is None:
            raise FormatError(f"{path.name}: no project.qde inside; not a REFI-QDA project")
        root = parse_xml(archive.read(member, MAX_XML_BYTES), f"{path.name}: {member}")
        if local(root) != "Project":
            raise FormatError(
                f"{path.name}: {member} is not a REFI-QDA project (its root is <{local(root)}>)"
            )
        return ProjectReader(path.name, archive, root, member).read()


def _only_qde(archive: Archive) -> str | None:
    found = [m for m in archive.members if "/" not in m and m.casefold().endswith(".qde")]
    return found[0] if len(found) == 1 else None


def _joined(parts: list[str | None]) -> str | None:
    return "\n\n".join(p for p in parts if p and p.strip()) or None


def authored(element: etree._Element) -> dict[str, Any]:
    """Who made an element and when, as a set line says it; left out when the file does not."""
    fields: dict[str, Any] = {}
    user = canonical_guid(element.get("creatingUser"))
    if user:
        fields["annotator"] = user
    created = stamp(element.get("creationDateTime"))
    updated = stamp(element.get("modifiedDateTime")) or created
    if updated:
        fields |= {"created_at": created or updated, "updated_at": max(updated, created or "")}
    return fields


class TextElsewhere(Exception):
    """A source's or note's text is kept outside the archive (at ``path``)."""

    def __init__(self, path: str) -> None:
        super().__init__(path)
        self.path = path


class ProjectReader:
    def __init__(self, name: str, archive: Archive, root: etree._Element, member: str) -> None:
        self.name = name
        self.archive = archive
        self.root = root
        self.parsed = ParsedSet(f"{name}: {member}")  # problems name lines of project.qde
        self.unmapped: Counter[str] = Counter()
        self.notes: dict[str, str] = {}  # Note GUID -> its text
        self.used_notes: set[str] = set()
        self.codes: dict[str, CodeMeaning] = {}
        self.variables: dict[str, str] = {}  # Variable GUID -> document field
        self.ends: set[str] = set()  # documents and spans read: what links may join
        self.elsewhere: list[str] = []  # sources skipped, since their text is not in the archive

    def read(self) -> ParsedSet:
        self._users()
        self._notes()
        codebook = CodebookReader(self.parsed, self.unmapped, self._notes_of)
        codebook.read(child(child(self.root, "CodeBook"), "Codes"))
        self.codes = codebook.meanings
        self._variables()
        for source in elements(child(self.root, "Sources")):
            if local(source) == "TextSource":
                self._text_source(source)
            else:
                self.unmapped[OTHER_SOURCES.get(local(source), "other sources")] += 1
        self._links()
        self._the_rest()
        self.parsed.header = codebook.header()
        self.parsed.unmapped = self.elsewhere + unmapped_lines(self.unmapped)
        return self.parsed

    def _line(self, kind: str, element: etree._Element, fields: dict[str, Any]) -> None:
        self.parsed.lines[kind].append((element.sourceline or 0, {"kind": kind, **fields}))

    # -- people, notes, variables -----------------------------------------------------------

    def _users(self) -> None:
        for user in children(child(self.root, "Users"), "User"):
            guid = guid_or_derived(user.get("guid"), f"user:{user.get('name')}")
            name = " ".join((user.get("name") or "").split()) or f"user {guid[:8]}"
            self._line("annotator", user, {"id": guid, "name": name})

    def _notes(self) -> None:
        for note in children(child(self.root, "Notes"), "Note"):
            guid = canonical_guid(note.get("guid"))
            if guid is not None:
                try:
                    text = self._text_of(note, f"{self.name}: note {note.get('name') or guid!r}")
                except TextElsewhere:
                    self.unmapped["notes whose text is outside the archive (not read)"] += 1
                    continue
                self.notes[guid] = fragment(text or "")

    def _notes_of(self, element: etree._Element) -> list[str]:
        """The texts of an element's NoteRefs (a memo on a code, a selection, a coding, ...)."""
        return self._notes_from(children(element, "NoteRef"))

    def _notes_from(self, refs: Iterable[etree._Element]) -> list[str]:
        found = []
        for ref in refs:
            guid = canonical_guid(ref.get("targetGUID"))
            if guid in self.notes:
                self.used_notes.add(guid)
                found.append(self.notes[guid])
            else:
                self.unmapped["references to notes that are not in the file"] += 1
        return found

    def _variables(self) -> None:
        for variable in children(child(self.root, "Variables"), "Variable"):
            field = (variable.get("name") or "").strip().casefold()
            guid = canonical_guid(variable.get("guid"))
            if guid and field in VARIABLES:
                self.variables[guid] = field

    def _metadata(self, source: etree._Element) -> dict[str, str]:
        fields: dict[str, str] = {}
        for value in children(source, "VariableValue"):
            variable = child(value, "VariableRef")
            ref = canonical_guid(variable.get("targetGUID")) if variable is not None else None
            text = next((v.text for v in value if local(v) in VALUE_ELEMENTS and v.text), None)
            if ref in self.variables and text and text.strip():
                fields[self.variables[ref]] = " ".join(text.split())
            else:
                self.unmapped["values of variables other than author, date, source, language"] += 1
        return fields

    # -- texts ------------------------------------------------------------------------------

    def _text_of(self, source: etree._Element, where: str) -> str | None:
        """A source's or note's text: a file inside the archive, or its PlainTextContent.
        Raises TextElsewhere for a text kept outside the archive."""
        path = source.get("plainTextPath")
        if path:
            member = internal_member(path, where)
            if member is None:
                raise TextElsewhere(path)
            found = self.archive.find(member)
            if found is None:
                raise FormatError(f"{where}: its text {path!r} is missing from the archive")
            data = self.archive.read(found, MAX_TEXT_BYTES)
            try:
                return data.decode("utf-8-sig")
            except UnicodeDecodeError as error:
                raise FormatError(f"{where}: its text is not UTF-8 (byte {error.start})") from None
        content = child(source, "PlainTextContent")
        return None if content is None else content.text or ""

    def _text_source(self, source: etree._Element) -> None:
        title = " ".join((source.get("name") or "").split()) or "Untitled source"
        try:
            raw = self._text_of(source, f"{self.name}: source {title!r}")
        except TextElsewhere as elsewhere:
            self.elsewhere.append(
                f"source {title!r} and its codings: its text is outside the archive "
                f"({elsewhere.path}) and is not read"
            )
            return
        if not raw:
            self.unmapped["text sources without text"] += 1
            return
        document_id = guid_or_derived(source.get("guid"), f"source:{title}")
        text, offsets = normalised_with_offsets(raw)
        fields = {"id": document_id, "title": title, "text": text, **authored(source)}
        self._line("document", source, fields | self._metadata(source))
        self.ends.add(document_id)
        parts = grouped(source)
        for selection in parts.get("PlainTextSelection", ()):
            self._selection(selection, document_id, text, offsets, len(raw))
        tags, stances, _ = self._codings(parts.get("Coding", []), f"source:{document_id}")
        if tags:
            self.unmapped["codes applied to whole sources (tags mark passages)"] += len(tags)
        for stance in stances:
            self._line("stance", source, {**stance, "document": document_id, "span": None})
        if "Description" in parts or "NoteRef" in parts:
            self.unmapped["descriptions and notes of whole sources"] += 1
            self._notes_from(parts.get("NoteRef", ()))

    def _selection(
        self,
        selection: etree._Element,
        document_id: str,
        text: str,
        offsets: OffsetMap,
        raw_length: int,
    ) -> None:
        try:
            start, end = int(selection.get("startPosition")), int(selection.get("endPosition"))
        except (TypeError, ValueError):
            self.unmapped["selections without valid positions"] += 1
            return
        if not 0 <= start < end <= raw_length:
            self.unmapped["selections beyond their source's text"] += 1
            return
        start, end = offsets.start(start), offsets.end(end)
        if start >= end:
            self.unmapped["selections that cover nothing"] += 1
            return
        span_id = guid_or_derived(selection.get("guid"), f"selection:{document_id}:{start}:{end}")
        parts = grouped(selection)
        tags, stances, coding_notes = self._codings(parts.get("Coding", []), span_id)
        described = [d.text for d in parts.get("Description", ())]
        notes = self._notes_from(parts.get("NoteRef", ()))
        note = _joined([*described, *notes, *coding_notes])
        fields = {
            "id": span_id,
            "document": document_id,
            "start": start,
            "end": end,
            "quote": text[start:end],
            "tags": tags,
            "note": note,
            **authored(selection),
        }
        self._line("span", selection, fields)
        self.ends.add(span_id)
        for stance in stances:
            self._line("stance", selection, {**stance, "document": document_id, "span": span_id})

    def _codings(
        self, codings: list[etree._Element], owner: str
    ) -> tuple[list[str], list[dict[str, Any]], list[str]]:
        """(tag ids, stance fields, notes of the tag codings) of a selection's or source's codings.

        A polarity coding is a stance; its actor is the actor coding whose GUID we derived from
        the stance's, else the element's only actor coding (another program's export).
        """
        tags: list[str] = []
        notes: list[str] = []
        polar: list[tuple[etree._Element, CodeMeaning]] = []
        actors: list[tuple[str | None, str]] = []
        for coding in codings:
            ref = child(coding, "CodeRef")
            meaning = self.codes.get(
                canonical_guid(ref.get("targetGUID")) if ref is not None else ""
            )
            if meaning is None:
                self.unmapped["codings with a code that is not in the codebook"] += 1
            elif meaning.kind == "tag" and meaning.record_id:
                tags.append(meaning.record_id)
                if len(coding) > 1:
                    notes += self._notes_of(coding)
            elif meaning.kind == "polarity":
                polar.append((coding, meaning))
            elif meaning.kind == "actor" and meaning.record_id:
                actors.append((canonical_guid(coding.get("guid")), meaning.record_id))
            else:
                self.unmapped["codings with a target or branch code"] += 1
        stances = []
        for index, (coding, meaning) in enumerate(polar):
            stance_id = guid_or_derived(coding.get("guid"), f"stance:{owner}:{index}")
            paired = [a for guid, a in actors if guid == actor_coding_guid(stance_id)]
            actor = paired[0] if paired else actors[0][1] if len(actors) == 1 else None
            stances.append(
                {
                    "id": stance_id,
                    "target": meaning.record_id,
                    "actor": actor,
                    "polarity": meaning.polarity,
                    "note": _joined(list(self._notes_of(coding))),
                    **authored(coding),
                }
            )
        if actors and not polar:
            self.unmapped["actor codings without a stance"] += len(actors)
        return list(dict.fromkeys(tags)), stances, notes

    # -- links and the rest -----------------------------------------------------------------

    def _links(self) -> None:
        for link in children(child(self.root, "Links"), "Link"):
            origin = canonical_guid(link.get("originGUID"))
            target = canonical_guid(link.get("targetGUID"))
            if origin not in self.ends or target not in self.ends or origin == target:
                self.unmapped["links that do not join two text passages or sources"] += 1
                continue
            link_type = " ".join((link.get("name") or "").split()) or "related"
            guid = guid_or_derived(link.get("guid"), f"link:{origin}:{target}:{link_type}")
            note = _joined(list(self._notes_of(link)))
            self._line(
                "link",
                link,
                {"id": guid, "from": origin, "to": target, "type": link_type, "note": note},
            )

    def _the_rest(self) -> None:
        root = self.root
        for name, what in (
            ("Cases", "cases"),
            ("Sets", "sets of sources or codes"),
            ("Graphs", "graphs"),
        ):
            self.unmapped[what] += len(elements(child(root, name)))
        if child(root, "Description") is not None or child(root, "NoteRef") is not None:
            self._notes_of(root)
            self.unmapped["the project's description and notes"] += 1
        loose = len(set(self.notes) - self.used_notes)
        self.unmapped["notes attached to nothing that is mapped"] += loose
