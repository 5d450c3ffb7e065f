"""One row per span and tag, for spreadsheets and statistics (Excel, pandas, R).

UTF-8 with a byte-order mark so Excel detects the encoding; standard quoting keeps line breaks
inside quotes intact. Live records only: the CSV reports the coding as it stands. A span's stances
share one cell per column, joined by " | " in the same order across the columns. ``page`` is the
page (1-based) where a span starts, for documents that have pages (PDFs); empty for the others.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from typing import TextIO

from annotator.core.formats.references import References
from annotator.core.formats.selection import ByDocument, Row, Selection, spans_with_tags
from annotator.core.ops import stance_scale
from annotator.core.page_numbers import page_of, page_starts
from annotator.core.store import Project

COLUMNS = (
    "document",
    "document_id",
    "span_id",
    "start",
    "end",
    "page",
    "quote",
    "tag",
    "tag_id",
    "note",
    "annotator",
    "created_at",
    "stance_target",
    "stance_actor",
    "stance_polarity",
    "stance_label",
)
JOIN = " | "


def export_csv(project: Project, out: TextIO, selection: Selection | None = None) -> Counter[str]:
    """Write the rows to ``out`` (open it with newline=""); returns counts of spans and rows."""
    selection = (selection or Selection()).live_only()
    refs = References(project)
    paths = {tag_id: refs.tag_path(tag_id) for tag_id in refs.tags}
    annotators = project.column_by_id("annotators", "name", live=False)
    targets = project.column_by_id("targets", "name", live=False)
    actors = project.column_by_id("actors", "name", live=False)
    titles = {
        i: t
        for i, t in project.column_by_id("documents", "title").items()
        if selection.keeps_document_id(i)
    }
    starts = {i: page_starts(p) for i, p in project.column_by_id("documents", "pages").items() if p}
    labels = stance_scale(project)
    # Stances on spans come a document at a time, as the spans do: only its cells are held.
    stances = ByDocument(
        project.rows("stances", "span_id IS NOT NULL", order_by="document_id, created_at, id")
    )
    document_id: str | None = None
    stance_cells: dict[str, list[str]] = {}
    no_stance = ["", "", "", ""]

    # Rows gather in a buffer written a few hundred kilobytes at a time: a write per row
    # costs a second on 200,000 spans.
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    counts: Counter[str] = Counter()
    # Only the columns written or filtered on: not the context around the quote.
    columns = 'id, document_id, start, "end", quote, note, created_by, created_at, deleted_at, '
    columns += "orphaned_at"
    for span, tag_ids in spans_with_tags(project, selection, set(titles), columns=columns):
        if span["document_id"] != document_id:
            document_id = span["document_id"]
            stance_cells = _stance_cells(stances.take(document_id), targets, actors, labels)
        counts["spans"] += 1
        pages = starts.get(span["document_id"])
        page = page_of(pages, span["start"]) if pages else None
        start = [
            titles[span["document_id"]],
            span["document_id"],
            span["id"],
            span["start"],
            span["end"],
            "" if page is None else page,
            span["quote"],
        ]
        end = [span["note"] or "", annotators.get(span["created_by"] or "", ""), span["created_at"]]
        end += stance_cells.get(span["id"], no_stance)
        shown = [t for t in tag_ids if not selection.tags or t in selection.tags] or [""]
        writer.writerows([*start, paths.get(tag_id, ""), tag_id, *end] for tag_id in shown)
        counts["rows"] += len(shown)
        if buffer.tell() >= 2**18:
            out.write(buffer.getvalue())
            buffer.seek(0)
            buffer.truncate()
    out.write(buffer.getvalue())
    return counts


def _stance_cells(
    stances: list[Row], targets: dict[str, str], actors: dict[str, str], labels: dict[int, str]
) -> dict[str, list[str]]:
    """Span id -> the target, actor, polarity and label cells of the stances on it."""
    held: dict[str, list[Row]] = {}
    for stance in stances:
        held.setdefault(stance["span_id"], []).append(stance)
    return {
        span_id: [
            JOIN.join(targets.get(s["target_id"], "") for s in on),
            JOIN.join(actors.get(s["actor_id"] or "", "") for s in on),
            JOIN.join(str(s["polarity"]) for s in on),
            JOIN.join(labels.get(s["polarity"], "") for s in on),
        ]
        for span_id, on in held.items()
    }
