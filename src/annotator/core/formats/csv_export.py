"""One row per span and tag, for spreadsheets and statistics (Excel, pandas, R).

UTF-8 with a byte-order mark so Excel detects the encoding; standard quoting keeps line breaks
inside quotes intact. Live records only: the CSV reports the coding as it stands. A span's stances
share one cell per column, joined by " | " in the same order across the columns.
"""

from __future__ import annotations

import csv
from collections import Counter
from typing import TextIO

from annotator.core.formats.references import References
from annotator.core.formats.selection import Selection, spans_with_tags
from annotator.core.model import Actor, Annotator, Stance, Target
from annotator.core.ops import stance_scale
from annotator.core.store import Project

COLUMNS = (
    "document",
    "document_id",
    "span_id",
    "start",
    "end",
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
    selection = selection or Selection()
    selection = Selection(
        selection.documents, selection.tags, selection.annotators, include_deleted=False
    )
    refs = References(project)
    names = {
        kind: {r.id: r.name for r in project.records(kind)} for kind in (Annotator, Target, Actor)
    }
    titles = {
        d.id: d.title for d in project.document_summaries() if selection.keeps_document_id(d.id)
    }
    labels = stance_scale(project)
    stances: dict[str, list[Stance]] = {}
    for stance in project.records(Stance, "span_id IS NOT NULL", order_by="created_at, id"):
        stances.setdefault(stance.span_id or "", []).append(stance)

    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    counts: Counter[str] = Counter()
    for span, tag_ids in spans_with_tags(project, selection, set(titles)):
        counts["spans"] += 1
        held = stances.get(span.id, [])
        stance_cells = [
            JOIN.join(names[Target].get(s.target_id, "") for s in held),
            JOIN.join(names[Actor].get(s.actor_id or "", "") for s in held),
            JOIN.join(str(s.polarity) for s in held),
            JOIN.join(labels.get(s.polarity, "") for s in held),
        ]
        shown = [t for t in tag_ids if not selection.tags or t in selection.tags] or [""]
        for tag_id in shown:
            writer.writerow(
                [
                    titles[span.document_id],
                    span.document_id,
                    span.id,
                    span.start,
                    span.end,
                    span.quote,
                    refs.tag_path(tag_id) if tag_id else "",
                    tag_id,
                    span.note or "",
                    names[Annotator].get(span.created_by or "", ""),
                    span.created_at,
                    *stance_cells,
                ]
            )
            counts["rows"] += 1
    return counts
