"""The synthetic projects bench_workbench.py measures: long clustered documents, a corpus of
thousands of short ones, two annotators and a codebook of 30 coloured tags."""

from __future__ import annotations

import colorsys
import random
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from annotator.core import ops
from annotator.core.model import Change, ChangeSet, Document, Span, SpanTag, text_sha256
from annotator.core.store import Project

ME, COLLEAGUE = "Ani", "Bek"
N_TAGS = 30
ENGLISH = (
    "the parties agreed that draft peace agreement would be initialled after constitutional "
    "referendum while observers noted continuing disagreement over transit routes border "
    "delimitation and return of displaced persons to their homes sovereignty ceasefire talks "
    "negotiations ministry statement officials said communications unblocking corridor"
)
WORDS = [*ENGLISH.split(), "Հայաստանի", "Հանրապետություն", "Азербайджан", "переговоры", "Bakı"]
EMOJI = ["🇦🇲", "🕊️", "😀"]


def paragraph(rng: random.Random, words: int) -> str:
    chosen = [
        rng.choice(EMOJI) if rng.random() < 0.002 else rng.choice(WORDS) for _ in range(words)
    ]
    return " ".join(chosen).capitalize() + "."


def long_text(rng: random.Random, size: int) -> str:
    parts, total = [], 0
    while total < size:
        parts.append(paragraph(rng, rng.randint(40, 250)))
        total += len(parts[-1]) + 2
    return "\n\n".join(parts)[:size]


def clustered_ranges(rng: random.Random, size: int, count: int) -> list[tuple[int, int]]:
    """Ranges in clusters, so most overlap others; a few are thousands of characters long."""
    ranges: list[tuple[int, int]] = []
    while len(ranges) < count:
        anchor = rng.randrange(size)
        for _ in range(rng.randint(1, 6)):
            start = min(max(0, anchor + rng.randint(-80, 80)), size - 2)
            length = rng.choice([rng.randint(5, 60), rng.randint(20, 600), rng.randint(500, 5000)])
            ranges.append((start, min(size, start + length)))
    return ranges[:count]


def tag_colour(number: int) -> str:
    r, g, b = colorsys.hls_to_rgb((number * 0.618034) % 1.0, 0.62, 0.75)
    return f"#{int(r * 255):02x}{int(g * 255):02x}{int(b * 255):02x}"


@dataclass
class Built:
    path: Path
    annotators: list[str]
    tags: list[str]  # tags[0] has the shortcut "1"
    documents: dict[str, str]  # id -> text
    seconds: float


def build_project(
    path: Path, texts: list[tuple[str, str]], spans_per_doc: Callable[[int, str], int], seed: int
) -> Built:
    """A project with two annotators, 30 tags (keys 1-9 on the first nine) and ``texts``
    as documents carrying clustered spans, written in one bulk ChangeSet."""
    began = time.perf_counter()
    rng = random.Random(seed)
    project = Project.create(path)
    ops.initialise_settings(project)
    annotators = [ops.ensure_annotator(project, name).id for name in (ME, COLLEAGUE)]
    tags: list[str] = []
    for number in range(N_TAGS):
        parent = tags[number % 10] if number >= 10 else None
        done = ops.create_tag(
            project,
            by=annotators[0],
            name=f"Theme {number + 1:02d}",
            colour=tag_colour(number),
            parent_id=parent,
            shortcut=str(number + 1) if number < 9 else None,
        )
        tags.append(done.created("tags")[0])
    documents, spans, span_tags = [], [], []
    for number, (title, text) in enumerate(texts):
        sha = text_sha256(text)
        document = Document(
            id=ops.document_id_for(sha),
            title=title,
            text=text,
            sha256=sha,
            author=f"Author {number % 97}",
            date=f"20{10 + number % 15}-0{1 + number % 9}-1{number % 10}",
            created_by=annotators[0],
        )
        documents.append(document)
        for start, end in clustered_ranges(rng, len(text), spans_per_doc(number, text)):
            span = Span(
                document_id=document.id,
                created_by=rng.choice(annotators),
                **ops.quote_fields(text, start, end),
            )
            spans.append(span)
            for tag_id in rng.sample(tags, 2 if rng.random() < 0.2 else 1):
                span_tags.append(
                    SpanTag(
                        id=ops.span_tag_id(span.id, tag_id),
                        span_id=span.id,
                        tag_id=tag_id,
                        created_by=span.created_by,
                    )
                )
    changes = tuple(
        Change(record.table, record.id, None, record.row())
        for record in (*documents, *spans, *span_tags)
    )
    project.apply(ChangeSet(changes, "Benchmark corpus"), check=False)
    project.close()
    return Built(
        path,
        annotators,
        tags,
        {d.id: d.text for d in documents},
        time.perf_counter() - began,
    )


def corpus_texts(rng: random.Random, count: int, size: int) -> Iterator[tuple[str, str]]:
    pool = [paragraph(rng, rng.randint(40, 250)) for _ in range(400)]
    for number in range(count):
        parts, total = [f"Report {number}: {rng.choice(WORDS)} {rng.choice(WORDS)}"], 0
        while total < size:
            parts.append(rng.choice(pool))
            total += len(parts[-1]) + 2
        yield (
            f"{rng.choice(WORDS).capitalize()} {rng.choice(WORDS)} {number:05d}",
            "\n\n".join(parts)[:size],
        )
