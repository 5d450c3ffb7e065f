"""Write a project (or a selection of it) as a brat standoff folder; see docs/brat.md.

Per document: ``NAME.txt`` (the stored text, UTF-8) and ``NAME.ann``. Spans become T lines (one
per tag, cut into fragments at line breaks), annotators and span stances A lines, links between
two passages of one document R lines, notes ``#`` lines. annotation.conf and visual.conf
describe the types; manifest.json keeps titles and details; README says what brat cannot hold.
Live records only; orphaned spans (stale offsets) are left out and counted. One document at a
time is held in memory.
"""

from __future__ import annotations

import dataclasses
import json
from collections import Counter
from collections.abc import Iterator
from operator import itemgetter
from pathlib import Path
from typing import Any

from annotator.core.formats.background import Background
from annotator.core.formats.brat_common import (
    ANNOTATOR_ATTRIBUTE,
    README_NAME,
    UNTAGGED,
    UniqueNames,
    escape_note,
    file_stem,
    fragments,
)
from annotator.core.formats.brat_conf import (
    Names,
    write_conf,
    write_manifest,
    write_readme,
    write_visual,
)
from annotator.core.formats.selection import (
    ByDocument,
    Row,
    Selection,
    orphans_left_out,
    spans_with_tags,
)
from annotator.core.store import Project

_DETAILS = ("title", "author", "date", "source", "language")


def export_brat(project: Project, folder: Path, selection: Selection | None = None) -> Counter[str]:
    """Fill the (empty) ``folder``; returns counts of what was written and what was left out."""
    selection = (selection or Selection()).live_only()
    names = Names(project)
    titles = {
        i: t for i, t in project.column_by_id("documents", "title").items()
        if selection.keeps_document_id(i)
    }  # fmt: skip
    stems = _file_stems(project, titles)
    writer = _DocumentWriter(project, selection, names, set(titles))
    manifest: dict[str, dict[str, Any]] = {}
    spans = ByDocument(
        spans_with_tags(project, selection, set(titles)), lambda s: s[0]["document_id"]
    )
    # What a document's .ann may hold besides spans, read alongside in document order.
    stances = ByDocument(project.rows("stances", "span_id IS NOT NULL", order_by="document_id"))
    links = ByDocument(
        project.rows(
            "links",
            "from_document_id = to_document_id "
            "AND from_span_id IS NOT NULL AND to_span_id IS NOT NULL",
            order_by="from_document_id",
        ),
        key=itemgetter("from_document_id"),
    )
    # The files are made on a second thread while the next document's lines are.
    with Background(_write_file, "brat-files", queued=8) as files:
        for document in project.rows("documents", order_by="id"):
            if document["id"] not in titles:
                continue
            document_id = document["id"]
            own = (spans.take(document_id), stances.take(document_id), links.take(document_id))
            stem = stems[document_id]
            files.put((folder / f"{stem}.txt", document["text"]))
            files.put((folder / f"{stem}.ann", writer.write(document["text"], *own)))
            manifest[f"{stem}.txt"] = _details(document)
    writer.count_left_out()
    write_manifest(folder, manifest)
    write_conf(folder, names)
    write_visual(folder, names)
    write_readme(folder, project, writer.counts)
    return writer.counts


def _write_file(path_and_text: tuple[Path, str]) -> None:
    path, text = path_and_text
    path.write_text(text, encoding="utf-8", newline="")  # the lines end in "\n" already


def _file_stems(project: Project, titles: dict[str, str]) -> dict[str, str]:
    """Unique file names, given in title order so they do not depend on record ids."""
    hashes = project.column_by_id("documents", "sha256")
    unique = UniqueNames((README_NAME, "annotation", "visual", "manifest"))
    ordered = sorted(titles, key=lambda i: (titles[i].casefold(), titles[i], hashes[i]))
    return {i: unique.take(file_stem(titles[i])) for i in ordered}


def _details(document: Row) -> dict[str, Any]:
    details: dict[str, Any] = {k: document[k] for k in _DETAILS if document[k]}
    if document["pages"]:
        details["pages"] = json.loads(document["pages"])
    return details


class _DocumentWriter:
    """The .ann lines of one document at a time; counts everything written or left out."""

    def __init__(
        self, project: Project, selection: Selection, names: Names, document_ids: set[str]
    ) -> None:
        self.project, self.selection, self.names = project, selection, names
        self.document_ids = document_ids
        self.counts: Counter[str] = Counter()
        # Ends of links that cannot become R lines, to count the left-out ones at the end
        # (the links themselves are read again then).
        self.outside_ends = {
            s
            for link in self._outside_links()
            for s in (link["from_span_id"], link["to_span_id"])
            if s
        }
        self.kept_ends: set[str] = set()
        self.dropped_ends: set[str] = set()

    def write(
        self,
        text: str,
        spans: list[tuple[Row, list[str]]],
        stances: list[Row],
        links: list[Row],
    ) -> str:
        """One document's .ann: its spans, the stances on them and the links between them."""
        self.counts["documents"] += 1
        entries, selected, dropped = [], set(), set()
        tag_types, chosen = self.names.tag_types, self.selection.tags
        for row, tag_ids in spans:
            selected.add(row["id"])
            if row["orphaned_at"]:  # stale offsets; counted with the others in count_left_out
                dropped.add(row["id"])
                continue
            pieces = fragments(text, row["start"], row["end"])
            if not pieces:
                dropped.add(row["id"])
                self.counts["line-break spans left out"] += 1
                continue
            types = [
                tag_types[t] for t in tag_ids if t in tag_types and (not chosen or t in chosen)
            ]
            types = sorted(types) if types else [UNTAGGED]
            annotator = self.names.annotator(row["created_by"])
            key = (row["start"], row["end"], annotator or "", types, row["note"] or "", row["id"])
            entries.append((key, row, pieces, types, annotator))
        for span_id in selected & self.outside_ends:
            (self.dropped_ends if span_id in dropped else self.kept_ends).add(span_id)
        entries.sort(key=itemgetter(0))
        first_t: dict[str, int] = {}
        lines: list[str] = []
        notes: list[tuple[str, str]] = []
        number = 0
        for _key, row, pieces, types, _annotator in entries:
            offsets = ";".join(f"{s} {e}" for s, e in pieces)
            quote = " ".join(text[s:e] for s, e in pieces)
            for brat_type in types:
                number += 1
                first_t.setdefault(row["id"], number)
                lines.append(f"T{number}\t{brat_type} {offsets}\t{quote}")
            if row["note"]:
                notes.append((f"T{first_t[row['id']]}", row["note"]))
        self.counts["spans"] += len(entries)
        self.counts["T lines"] += number
        attributes = self._attributes(entries, first_t, number)
        attributes += self._stances(stances, selected, dropped, first_t)
        lines += [f"A{i}\t{a}" for i, a in enumerate(attributes, start=1)]
        relations = self._relations(links, selected, dropped, first_t)
        for i, (relation, note) in enumerate(relations, start=1):
            lines.append(f"R{i}\t{relation}")
            if note:
                notes.append((f"R{i}", note))
        lines += [
            f"#{i}\tAnnotatorNotes {target}\t{escape_note(note)}"
            for i, (target, note) in enumerate(notes, start=1)
        ]
        return "".join(line + "\n" for line in lines)

    def _attributes(self, entries: list, first_t: dict[str, int], last: int) -> list[str]:
        """The annotator of every T line: the reader joins T lines of one span by it."""
        attributes, number = [], 0
        for _key, _row, _pieces, types, annotator in entries:
            for _ in types:
                number += 1
                if annotator:
                    attributes.append(f"{ANNOTATOR_ATTRIBUTE} T{number} {annotator}")
        assert number == last
        return attributes

    def _stances(
        self, stances: list[Row], selected: set[str], dropped: set[str], first_t: dict[str, int]
    ) -> list[str]:
        found = []
        for stance in stances:
            if not self.selection.keeps_stance(stance, selected, self.document_ids):
                continue
            if stance["span_id"] in dropped:
                self.counts["stances on left-out spans"] += 1
                continue
            brat_type = self.names.stance(stance["target_id"], stance["actor_id"])
            polarity = self.names.polarities.get(stance["polarity"], str(stance["polarity"]))
            found.append((first_t[stance["span_id"]], brat_type, polarity))
            self.counts["stances"] += 1
            if stance["note"]:
                self.counts["stance notes left out"] += 1
        return [f"{t} T{n} {p}" for n, t, p in sorted(found)]

    def _relations(
        self, links: list[Row], selected: set[str], dropped: set[str], first_t: dict[str, int]
    ) -> list[tuple[str, str | None]]:
        found = []
        for link in links:
            if not self.selection.keeps_link(link, selected, self.document_ids):
                continue
            if link["from_span_id"] in dropped or link["to_span_id"] in dropped:
                self.counts["links to left-out spans"] += 1
                continue
            a, b = first_t[link["from_span_id"]], first_t[link["to_span_id"]]
            found.append((a, b, self.names.relation(link["type"]), link["note"]))
            self.counts["relations"] += 1
        found.sort(key=lambda r: (r[0], r[1], r[2], r[3] or ""))
        return [(f"{t} Arg1:T{a} Arg2:T{b}", note) for a, b, t, note in found]

    def _outside_links(self) -> Iterator[Row]:
        return self.project.rows(
            "links",
            "from_document_id != to_document_id OR from_span_id IS NULL OR to_span_id IS NULL",
        )

    def count_left_out(self) -> None:
        """Links and stances brat has no way to say, among those the selection keeps."""
        kept = self.kept_ends | self.dropped_ends
        for link in self._outside_links():
            if not self.selection.keeps_link(link, kept, self.document_ids):
                continue
            ends = {link["from_span_id"], link["to_span_id"]}
            if ends & self.dropped_ends:
                self.counts["links to left-out spans"] += 1
            elif None in ends:
                self.counts["document links left out"] += 1
            else:
                self.counts["cross-document links left out"] += 1
        for stance in self.project.rows("stances", "span_id IS NULL"):
            if self.selection.keeps_stance(stance, set(), self.document_ids):
                self.counts["document stances left out"] += 1
        self._count_orphans()

    def _count_orphans(self) -> None:
        """Orphaned spans the selection would keep but for their stale offsets, and the
        stances and links on them (the selection leaves those out with them)."""
        orphans = {
            row["id"] for row in orphans_left_out(self.project, self.selection, self.document_ids)
        }
        self.counts["orphaned spans left out"] += len(orphans)  # zero counts go at the end
        relaxed = dataclasses.replace(self.selection, include_deleted=True)  # rows are live
        stances, links = set(), set()
        for orphan in orphans:
            for stance in self.project.stances_referring("span_id", orphan):
                if relaxed.keeps_stance(stance.row(), orphans, self.document_ids):
                    stances.add(stance.id)
            for link in self.project.links_touching(span_id=orphan):
                ends = {link.from_span_id, link.to_span_id} - {None}
                if relaxed.keeps_link(link.row(), ends, self.document_ids):
                    links.add(link.id)
        self.counts["stances on left-out spans"] += len(stances)
        self.counts["links to left-out spans"] += len(links)
        for key in [k for k, n in self.counts.items() if not n]:
            del self.counts[key]
