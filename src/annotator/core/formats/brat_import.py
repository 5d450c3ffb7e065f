"""Read a brat ``.ann`` file (with the ``.txt`` beside it) as an annotation set; see docs/brat.md.

The text becomes a document record (read and normalised as the document importer reads it, so
both agree on its SHA-256); T lines become spans, joined into one span with several tags when
they mark the same place for the same annotator; R lines become links, ``#`` AnnotatorNotes
notes; A lines written by Annotator become annotators and stances. A discontinuous T line is
imported as one span covering all its fragments. What has no place here (events, normalisations,
equivalences, foreign attributes) is listed in ``unmapped``. A line that is not brat, or a span
outside the text, refuses the whole file: nothing of it is imported.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from annotator.core.corpus import MANIFEST_NAME, MAX_FILE_BYTES, clean_metadata, readable_title
from annotator.core.formats import FormatError
from annotator.core.formats.brat_common import (
    ANNOTATOR_ATTRIBUTE,
    LINE_BREAKS,
    TypeMapping,
    read_mapping,
    unescape_note,
)
from annotator.core.formats.brat_offsets import OffsetMap
from annotator.core.formats.jsonl_read import MAX_SET_BYTES, ParsedSet
from annotator.core.json_input import parse_json
from annotator.core.model import derived_id, text_sha256
from annotator.core.ops import document_id_for
from annotator.core.text_decoding import CorpusError, decode_bytes, normalise_text

_ID = re.compile(r"([A-Za-z]+|#)(\d+)\S*|\*")
_OFFSETS = re.compile(r"([0-9]+) ([0-9]+)")  # ASCII digits only, as brat writes them
_OFFSET_DIGITS = 12  # more would be beyond the end of any text we can read
_EXAMPLES = 5  # ids named in one line of the unmapped list


@dataclass
class _TextBound:
    line: int
    id: str
    type: str
    pieces: list[tuple[int, int]]
    text: str | None
    annotator: str | None = None


@dataclass
class _Lines:
    """An .ann file parsed into its kinds of line; nothing interpreted yet."""

    textbounds: dict[str, _TextBound] = field(default_factory=dict)
    relations: list[tuple[int, str, str, list[tuple[str, str]]]] = field(default_factory=list)
    attributes: list[tuple[int, str, str, str, str | None]] = field(default_factory=list)
    notes: list[tuple[int, str, str, str, str]] = field(default_factory=list)
    others: dict[str, list[str]] = field(default_factory=dict)  # kind -> ids


def read_brat(path: Path) -> ParsedSet:
    """Parse ``path`` and its ``.txt`` before anything is written; FormatError if unusable."""
    name = path.name
    lines = _parse(_read_ann(path), name)
    source = _read_text(path)
    stored = normalise_text(source)
    mapping = read_mapping(path.parent)
    parsed = ParsedSet(name, ids_carried=False)
    details = _manifest_entry(path.parent, path.with_suffix(".txt").name)
    sha = text_sha256(stored)
    document_id = document_id_for(sha)
    document: dict[str, Any] = {"kind": "document", "id": document_id, "text": stored}
    # The file name titles a new document only: a text already here keeps its title.
    document |= {"default_title": readable_title(path.with_suffix(".txt"))} | details
    parsed.lines["document"].append((0, document))
    if mapping.polarities:
        parsed.header["stance_scale"] = {str(n): label for n, label in mapping.polarities.values()}
    kinds = ("annotator", "tag", "target", "actor")
    for kind, records in zip(kinds, (mapping.annotators, mapping.tags, mapping.targets,
                                     mapping.actors), strict=True):  # fmt: skip
        for record in records.values():  # the export lists parents before their children
            fields = {k: v for k, v in record.items() if k != "path"}
            parsed.lines[kind].append((0, {"kind": kind, **fields}))
    _Builder(parsed, lines, mapping, source, stored, sha, document_id).build()
    return parsed


def _read_ann(path: Path) -> str:
    try:
        if path.stat().st_size > MAX_SET_BYTES:
            raise FormatError(f"{path.name}: too large to import ({path.stat().st_size} bytes)")
        return path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise FormatError(f"{path.name}: not UTF-8 text (byte {error.start})") from error
    except OSError as error:
        raise FormatError(f"{path.name}: cannot read ({error.strerror})") from error


def _read_text(path: Path) -> str:
    """The .txt as brat counts it: decoded, a byte-order mark kept as a character."""
    txt = path.with_suffix(".txt")
    if not txt.is_file():
        raise FormatError(f"{path.name}: no {txt.name} beside it (brat keeps the text there)")
    try:
        if txt.stat().st_size > MAX_FILE_BYTES:
            raise FormatError(f"{path.name}: {txt.name} is too large to import")
        data = txt.read_bytes()
        source = decode_bytes(data, name=txt.name)
    except CorpusError as error:
        raise FormatError(f"{path.name}: {error}") from error
    except OSError as error:
        raise FormatError(f"{path.name}: cannot read {txt.name} ({error.strerror})") from error
    if not normalise_text(source):
        raise FormatError(f"{path.name}: {txt.name} is empty")
    return ("\ufeff" + source) if data.startswith(b"\xef\xbb\xbf") else source


def _manifest_entry(folder: Path, txt_name: str) -> dict[str, Any]:
    """Title and details our export keeps in manifest.json (the document importer reads it too)."""
    try:
        data = parse_json((folder / MANIFEST_NAME).read_text(encoding="utf-8-sig"))
        entry = data["documents"][txt_name]
    except (OSError, ValueError, KeyError, TypeError):
        return {}
    if not isinstance(entry, dict):
        return {}
    texts = {k: v for k, v in entry.items() if isinstance(v, str | int | float | list)}
    details: dict[str, Any] = dict(clean_metadata(texts))
    pages = entry.get("pages")
    if isinstance(pages, list) and all(isinstance(p, int) for p in pages):
        details["pages"] = pages
    return details


def _parse(text: str, name: str) -> _Lines:
    parsed = _Lines()
    seen: set[str] = set()
    for number, raw in enumerate(text.split("\n"), start=1):
        line = raw.rstrip("\r")
        if not line.strip():
            continue
        ann_id, _, rest = line.partition("\t")
        match = _ID.fullmatch(ann_id)
        if not rest or match is None:
            raise FormatError(f"{name} line {number}: not a brat annotation (ID, tab, ...)")
        if ann_id in seen and ann_id != "*":
            raise FormatError(f"{name} line {number}: {ann_id} is defined twice")
        seen.add(ann_id)
        kind = "*" if ann_id == "*" else match[1][0]
        try:
            _parse_line(parsed, kind, ann_id, rest, number)
        except ValueError as error:
            raise FormatError(f"{name} line {number}: {ann_id} {error}") from None
    return parsed


def _parse_line(parsed: _Lines, kind: str, ann_id: str, rest: str, number: int) -> None:
    data, _, tail = rest.partition("\t")
    fields = data.split()
    if kind == "T":
        brat_type, _, offsets = data.partition(" ")
        pieces = [_OFFSETS.fullmatch(p.strip()) for p in offsets.split(";")]
        if not brat_type or not all(pieces):
            raise ValueError("needs a type and offsets (TYPE START END;START END)")
        if any(len(p[i]) > _OFFSET_DIGITS for p in pieces if p for i in (1, 2)):
            raise ValueError("has an offset too large for any text")
        spans = [(int(p[1]), int(p[2])) for p in pieces if p]
        if any(s > e for s, e in spans):
            raise ValueError("has a start after its end")
        parsed.textbounds[ann_id] = _TextBound(number, ann_id, brat_type, spans, tail or None)
    elif kind == "R":
        args = [tuple(a.split(":", 1)) for a in fields[1:]]
        if len(args) != 2 or not all(len(a) == 2 for a in args):
            raise ValueError("needs a type and two arguments (TYPE Arg1:ID Arg2:ID)")
        parsed.relations.append((number, ann_id, fields[0], args))  # type: ignore[arg-type]
    elif kind in "AM":
        if len(fields) not in (2, 3):
            raise ValueError("needs a type, the id it marks and perhaps a value")
        value = fields[2] if len(fields) == 3 else None
        parsed.attributes.append((number, ann_id, fields[0], fields[1], value))
    elif kind == "#":
        if len(fields) != 2:
            raise ValueError("needs a type and the id it comments on")
        parsed.notes.append((number, ann_id, fields[0], fields[1], tail))
    else:
        parsed.others.setdefault(kind, []).append(ann_id)


_OTHER_KINDS = {
    "E": "events",
    "N": "normalisations (links to knowledge bases)",
    "*": "equivalences",
}


class _Builder:
    """Turns the parsed lines into span, stance and link records of the set."""

    def __init__(
        self,
        parsed: ParsedSet,
        lines: _Lines,
        mapping: TypeMapping,
        source: str,
        stored: str,
        sha: str,
        document_id: str,
    ) -> None:
        self.parsed, self.lines, self.mapping = parsed, lines, mapping
        self.source, self.stored = source, stored
        self.sha, self.document_id = sha, document_id
        self.unmapped: dict[str, list[str]] = {}
        self.span_of: dict[str, str] = {}  # T id -> span id
        self.spans: dict[str, dict[str, Any]] = {}  # span id -> record
        self.first_line: dict[str, int] = {}  # span id -> line of its first T
        self.links: dict[str, dict[str, Any]] = {}  # R id -> record

    def note(self, what: str, *ann_ids: str) -> None:
        self.unmapped.setdefault(what, []).extend(ann_ids)

    def build(self) -> None:
        self._annotators()
        self._spans()
        self._stances()
        self._links()
        self._notes()
        for kind, ids in self.lines.others.items():
            self.note(f"{_OTHER_KINDS.get(kind, f'{kind} lines')}: no place in Annotator", *ids)
        for what, ids in self.unmapped.items():
            shown = ", ".join(ids[:_EXAMPLES]) + (", …" if len(ids) > _EXAMPLES else "")
            self.parsed.unmapped.append(f"{self.parsed.name}: {len(ids)} {what} ({shown})")
        self.parsed.lines["span"] = [(self.first_line[i], s) for i, s in self.spans.items()]

    def _annotators(self) -> None:
        """Annotators first: they decide which T lines are one span."""
        if not self.mapping.ours:
            return
        for _line, _id, brat_type, target, value in self.lines.attributes:
            bound = self.lines.textbounds.get(target)
            if brat_type == ANNOTATOR_ATTRIBUTE and bound and value:
                bound.annotator = self.mapping.annotator_of(value)

    def _place(self, bound: _TextBound, source: str, offsets: OffsetMap) -> tuple[int, int] | None:
        """Where a T line lies in the stored text: the cover of its fragments."""
        start, end = min(s for s, _ in bound.pieces), max(e for _, e in bound.pieces)
        if end > len(source):
            raise FormatError(
                f"{self.parsed.name} line {bound.line}: {bound.id} ends at {end}, beyond the end "
                f"of the text ({len(source)} characters)"
            )
        pairs = list(zip(bound.pieces, bound.pieces[1:], strict=False))
        if any(after[0] < before[1] for before, after in pairs):
            self.note("annotations with overlapping fragments, imported as their cover", bound.id)
        elif any(set(source[b[1] : a[0]]) - LINE_BREAKS for b, a in pairs):
            # Fragments split only by line breaks are one passage (our export writes those).
            self.note("discontinuous annotations, imported as one span covering them", bound.id)
        placed = offsets.start(start), offsets.end(end)
        if placed[0] >= placed[1]:
            self.note("annotations of nothing but white space at the end, left out", bound.id)
            return None
        return placed

    def _spans(self) -> None:
        source = self._offset_source()
        offsets = OffsetMap(source)
        for bound in self.lines.textbounds.values():
            placed = self._place(bound, source, offsets)
            if placed is None:
                continue
            start, end = placed
            span_id = derived_id(
                "span", json.dumps(["brat", self.sha, start, end, bound.annotator])
            )
            self.span_of[bound.id] = span_id
            untagged = self.mapping.ours and bound.type == self.mapping.untagged
            tag = None if untagged else self.mapping.tag_of(bound.type)
            if span_id in self.spans:  # the same passage under another type: one more tag
                if tag and tag not in self.spans[span_id]["tags"]:
                    self.spans[span_id]["tags"].append(tag)
                continue
            span: dict[str, Any] = {"kind": "span", "id": span_id, "document": self.document_id}
            span |= {"start": start, "end": end, "tags": [tag] if tag else []}
            span["quote"] = self.stored[start:end]
            if bound.annotator:
                span["annotator"] = bound.annotator
            given = bound.text
            if given and len(bound.pieces) == 1 and _shown(source, bound.pieces) != given:
                # The offsets disagree with the text the line shows: anchoring finds the text,
                # near the offsets if it can.
                self.note(
                    "annotations whose text differs from the .txt there, placed by it", bound.id
                )
                span["quote"] = unicodedata.normalize("NFC", given)
            self.spans[span_id] = span
            self.first_line[span_id] = bound.line

    def _offset_source(self) -> str:
        """The .txt as the .ann counted it: brat keeps a byte-order mark and counts CR LF as two
        characters; other tools do neither. The reading that fits most T lines' texts wins."""
        candidates = [self.source]
        if self.source.startswith("\ufeff"):
            candidates.append(self.source[1:])
        if "\r" in self.source:
            candidates += [re.sub("\r\n?", "\n", c) for c in list(candidates)]
        bounds = [b for b in self.lines.textbounds.values() if b.text]

        def fits(candidate: str) -> int:
            return sum(
                max(e for _, e in b.pieces) <= len(candidate)
                and _shown(candidate, b.pieces) == b.text
                for b in bounds
            )

        return max(candidates, key=fits)  # the first of equals: brat's own reading

    def _stances(self) -> None:
        for line, ann_id, brat_type, target, value in self.lines.attributes:
            if self.mapping.ours and brat_type == ANNOTATOR_ATTRIBUTE:
                continue
            stance = self.mapping.stances.get(brat_type) if self.mapping.ours else None
            polarity = self.mapping.polarities.get(value or "")
            span_id = self.span_of.get(target)
            if stance is None or polarity is None or span_id is None:
                self.note(f"attributes ({brat_type}) with no place in Annotator", ann_id)
                continue
            record = {"kind": "stance", "document": self.document_id, "span": span_id}
            record |= {"target": stance[0], "actor": stance[1], "polarity": polarity[0]}
            if annotator := self.spans[span_id].get("annotator"):
                record["annotator"] = annotator
            self.parsed.lines["stance"].append((line, record))

    def _links(self) -> None:
        for line, ann_id, brat_type, args in self.lines.relations:
            ends = [self.span_of.get(ref) for _role, ref in args]
            if ends[0] is None or ends[1] is None:
                self.note("relations to something other than a text annotation, left out", ann_id)
                continue
            link_type = self.mapping.relations.get(brat_type, brat_type)
            record: dict[str, Any] = {"kind": "link", "from": ends[0], "to": ends[1]}
            record["type"] = link_type
            if annotator := self.spans[ends[0]].get("annotator"):
                record["annotator"] = annotator
            self.parsed.lines["link"].append((line, record))
            self.links[ann_id] = record

    def _notes(self) -> None:
        for _line, ann_id, note_type, target, text in self.lines.notes:
            note = unescape_note(text.strip()) if self.mapping.ours else text.strip()
            span_id = self.span_of.get(target)
            record = self.spans[span_id] if span_id else self.links.get(target)
            if note_type != "AnnotatorNotes" or record is None or not note:
                self.note(f"comments ({note_type}) with no place in Annotator", ann_id)
                continue
            given = record.get("note")
            if given and note not in given.split("\n"):
                note = f"{given}\n{note}"
            record["note"] = note


def _shown(text: str, pieces: list[tuple[int, int]]) -> str:
    """A T line's text field as brat writes it: the fragments joined by single spaces."""
    return " ".join(text[s:e] for s, e in pieces)
