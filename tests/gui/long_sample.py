"""A project holding one long document with many overlapping spans, a short one, an orphan
and a deleted span: what opening a long document is tested on."""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path

from annotator.core import ops
from annotator.core.model import Change, ChangeSet, Span, SpanTag
from annotator.core.store import Project
from annotator.gui.session import Session

WORDS = ["peace", "agreement", "Հայաստանի", "Азербайджан", "corridor", "🇦🇲", "border", "talks"]
ORPHANED_AT = "2025-09-01T10:00:00.000Z"


@dataclass
class LongSample:
    session: Session
    long_id: str
    short_id: str
    text: str
    tags: list[str]
    colleague: str
    long_span: str  # from near the start to near the end, by the colleague
    orphan: str  # offsets beyond the text, orphaned_at set
    deleted: str


def long_text(rng: random.Random, paragraphs: int) -> str:
    return "\n\n".join(
        " ".join(rng.choice(WORDS) for _ in range(rng.randint(8, 80))) for _ in range(paragraphs)
    )


def make_long_sample(tmp_path: Path, *, paragraphs: int = 1500, spans: int = 1500) -> LongSample:
    rng = random.Random(17)
    project = Project.create(tmp_path / "long.annotator")
    session = Session(project, "Ani")
    ops.initialise_settings(project)
    colleague = ops.ensure_annotator(project, "Bek").id
    tags = [
        ops.create_tag(project, by=session.me, name=name, colour=colour).created("tags")[0]
        for name, colour in (("Claim", "#f2c14e"), ("Hedge", "#5fa8d3"), ("Actor", "#e4572e"))
    ]
    text = long_text(rng, paragraphs)
    long_id = ops.add_document(project, by=session.me, title="Long", text=text).document.id
    short_id = ops.add_document(
        project, by=session.me, title="Short", text="A short text about peace talks."
    ).document.id
    records: list[Span | SpanTag] = []

    def add(start: int, end: int, by: str, **extra: str) -> str:
        span = Span(
            document_id=long_id, created_by=by, **ops.quote_fields(text, start, end), **extra
        )
        records.append(span)
        for tag_id in rng.sample(tags, rng.choice([0, 1, 1, 2])):
            records.append(
                SpanTag(
                    id=ops.span_tag_id(span.id, tag_id),
                    span_id=span.id,
                    tag_id=tag_id,
                    created_by=by,
                )
            )
        return span.id

    for _ in range(spans):
        start = rng.randrange(len(text) - 1)
        end = min(len(text), start + rng.choice([rng.randint(1, 40), rng.randint(1, 900)]))
        add(start, end, rng.choice([session.me, colleague]))
    long_span = add(5, len(text) - 5, colleague)
    deleted = add(10, 60, session.me, deleted_at=ORPHANED_AT)
    orphan_span = Span(
        document_id=long_id,
        created_by=session.me,
        start=len(text) + 100,  # stale offsets of an older text
        end=len(text) + 130,
        quote="a passage the text no longer has",
        orphaned_at=ORPHANED_AT,
    )
    records.append(orphan_span)
    changes = tuple(Change(r.table, r.id, None, r.row()) for r in records)
    project.apply(ChangeSet(changes, "Sample"), check=False)
    return LongSample(
        session, long_id, short_id, text, tags, colleague, long_span, orphan_span.id, deleted
    )


def placed_spans(sample: LongSample) -> list[Span]:
    """The live spans of the long document that have a place in its text."""
    return [s for s in sample.session.spans(sample.long_id) if s.orphaned_at is None]
