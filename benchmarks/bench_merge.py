"""Merge and re-anchoring speed: two projects of 2,000 documents and 100,000 spans each, half
shared, merged with `merge_projects`; compared with a bare INSERT OR IGNORE of the same rows
timed in the same run; then 10,000 spans carried over after edits to their documents.

    uv run python benchmarks/bench_merge.py [--documents 2000] [--spans 100000]

Each measurement runs in its own process, so its peak memory (maxrss) is its own.
Targets: merge <= 10 s and <= 5x the bare insert; re-anchor 10,000 spans <= 5 s; peak <= 500 MB.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from annotator.core import ops
from annotator.core.merge import merge_projects
from annotator.core.model import Change, ChangeSet, derived_id, now, text_sha256
from annotator.core.ops import span_tag_id
from annotator.core.store import Project
from annotator.core.store.schema import RECORD_TABLES

WORDS = [
    "peace",
    "agreement",
    "corridor",
    "border",
    "delimitation",
    "constitution",
    "Armenia",
    "Azerbaijan",
    "Baku",
    "Yerevan",
    "talks",
    "treaty",
    "draft",
    "demands",
    "sovereignty",
    "mediation",
    "ceasefire",
    "region",
    "trade",
    "road",
    "security",
    "guarantees",
    "negotiators",
    "recognition",
    "enclave",
    "transit",
    "population",
    "refugees",
]


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e3


def text_for(rng: random.Random, words: int) -> str:
    sentences, sentence = [], []
    for _ in range(words):
        sentence.append(rng.choice(WORDS))
        if len(sentence) >= rng.randint(8, 20):
            sentences.append(" ".join(sentence).capitalize() + ".")
            sentence = []
    return " ".join(sentences) + "\n"


def span_rows(rng: random.Random, doc_id: str, text: str, n: int, who: str, tag: str, salt: str):
    stamp = now()
    for i in range(n):
        start = rng.randrange(0, len(text) - 60)
        end = start + rng.randint(5, 50)
        span_id = derived_id("bench-span", f"{salt}:{doc_id}:{i}")
        yield Change("spans", span_id, None, {
            "id": span_id, "created_by": who, "created_at": stamp, "updated_at": stamp,
            "deleted_at": None, "document_id": doc_id, "start": start, "end": end,
            "quote": text[start:end], "prefix": text[max(0, start - 32) : start],
            "suffix": text[end : end + 32], "note": None, "orphaned_at": None,
        })  # fmt: skip
        pair = span_tag_id(span_id, tag)
        yield Change("span_tags", pair, None, {
            "id": pair, "created_by": who, "created_at": stamp, "updated_at": stamp,
            "deleted_at": None, "span_id": span_id, "tag_id": tag,
        })  # fmt: skip


def build(folder: Path, documents: int, spans: int) -> None:
    """base -> mine and theirs; each adds its own half of the spans to the shared half."""
    rng = random.Random(7)
    base = folder / "base.annotator"
    per_doc = max(1, spans // 2 // documents)
    with Project.create(base) as project:
        me = ops.ensure_annotator(project, "Ani").id
        ops.initialise_settings(project)
        tag = ops.create_tag(project, by=me, name="Theme").created("tags")[0]
        stamp, changes, texts = now(), [], {}
        for d in range(documents):
            text = text_for(rng, 800)
            doc_id = derived_id("document", text_sha256(text))
            texts[doc_id] = text
            changes.append(Change("documents", doc_id, None, {
                "id": doc_id, "created_by": me, "created_at": stamp, "updated_at": stamp,
                "deleted_at": None, "title": f"Document {d}", "text": text,
                "sha256": text_sha256(text), "author": None, "date": None, "source": None,
                "language": "en", "pages": None,
            }))  # fmt: skip
        for doc_id, text in texts.items():
            changes += span_rows(rng, doc_id, text, per_doc, me, tag, "shared")
        project.apply(ChangeSet(tuple(changes)), check=False)
    for side, who in (("mine", "Ani"), ("theirs", "Lusine")):
        path = folder / f"{side}.annotator"
        shutil.copy(base, path)
        with Project.open(path) as project:
            by = ops.ensure_annotator(project, who).id
            changes = []
            for doc_id, text in texts.items():
                changes += span_rows(rng, doc_id, text, per_doc, by, tag, side)
            project.apply(ChangeSet(tuple(changes)), check=False)
    # Their side edited some shared notes, and re-imported 50 documents with small edits.
    with Project.open(folder / "theirs.annotator") as project:
        by = ops.ensure_annotator(project, "Lusine").id
        for span_id in list(project.ids("spans"))[:500]:
            ops.update_span(project, by=by, span_id=span_id, note="checked")
        for doc_id in list(texts)[:50]:
            edited = "Editor's note: revised.\n\n" + texts[doc_id].replace(
                " treaty ", " accord ", 3
            )
            ops.replace_document_text(project, by=by, document_id=doc_id, text=edited)


def measure_merge(folder: Path) -> dict:
    target = folder / "merge-target.annotator"
    shutil.copy(folder / "mine.annotator", target)
    with Project.open(target) as project:
        me = ops.ensure_annotator(project, "Ani").id
        began = time.perf_counter()
        report = merge_projects(project, folder / "theirs.annotator", by=me, apply=True).report
        seconds = time.perf_counter() - began
    counts = {k: dict(v) for k, v in report.counts.items()}
    return {"seconds": seconds, "peak_mb": peak_mb(), "counts": counts}


def measure_bare(folder: Path) -> dict:
    """The same rows, INSERT OR IGNORE'd without looking at them: the floor of any merge."""
    target = folder / "bare-target.annotator"
    shutil.copy(folder / "mine.annotator", target)
    began = time.perf_counter()
    theirs = sqlite3.connect(
        f"{(folder / 'theirs.annotator').resolve().as_uri()}?mode=ro", uri=True
    )
    mine = sqlite3.connect(target, isolation_level=None)
    mine.execute("PRAGMA foreign_keys = ON")
    mine.execute("BEGIN IMMEDIATE")
    for table in RECORD_TABLES:
        cursor = theirs.execute(f"SELECT * FROM {table}")
        names = [d[0] for d in cursor.description]
        marks = ", ".join("?" for _ in names)
        quoted = ", ".join(f'"{n}"' for n in names)
        mine.executemany(f"INSERT OR IGNORE INTO {table} ({quoted}) VALUES ({marks})", cursor)
    mine.execute("COMMIT")
    seconds = time.perf_counter() - began
    return {"seconds": seconds, "peak_mb": peak_mb()}


def measure_reanchor(folder: Path, spans: int) -> dict:
    """Carry ``spans`` spans into edited versions of their documents (replace_document_text)."""
    target = folder / "reanchor-target.annotator"
    shutil.copy(folder / "mine.annotator", target)
    rng = random.Random(11)
    with Project.open(target) as project:
        me = ops.ensure_annotator(project, "Ani").id
        chosen, carried = [], 0
        for summary in project.document_summaries():
            if carried >= spans:
                break
            chosen.append(summary.id)
            carried += summary.spans
        edits = {}
        for doc_id in chosen:
            text = project.document_text(doc_id) or ""
            cut = rng.randrange(len(text) // 2)
            edits[doc_id] = "A new opening paragraph.\n\n" + text[:cut] + " (sic) " + text[cut:]
        began = time.perf_counter()
        moved = orphaned = 0
        for doc_id, text in edits.items():
            result = ops.replace_document_text(project, by=me, document_id=doc_id, text=text)
            moved += sum(m.method != "orphaned" for m in result.moved)
            orphaned += sum(m.method == "orphaned" for m in result.moved)
        seconds = time.perf_counter() - began
    return {"seconds": seconds, "spans": carried, "moved": moved, "orphaned": orphaned,
            "documents": len(edits), "peak_mb": peak_mb()}  # fmt: skip


def child(step: str, folder: Path, *extra: str) -> dict:
    out = subprocess.run(
        [sys.executable, __file__, "--step", step, "--folder", str(folder), *extra],
        check=True, capture_output=True, text=True,
    )  # fmt: skip
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--documents", type=int, default=2000)
    parser.add_argument("--spans", type=int, default=100_000)
    parser.add_argument("--reanchor", type=int, default=10_000)
    parser.add_argument("--step", choices=["build", "merge", "bare", "reanchor"])
    parser.add_argument("--folder", type=Path)
    args = parser.parse_args()
    if args.step:
        steps = {
            "build": lambda: build(args.folder, args.documents, args.spans) or {},
            "merge": lambda: measure_merge(args.folder),
            "bare": lambda: measure_bare(args.folder),
            "reanchor": lambda: measure_reanchor(args.folder, args.reanchor),
        }
        print(json.dumps(steps[args.step]()))
        return
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        began = time.perf_counter()
        child("build", folder, "--documents", str(args.documents), "--spans", str(args.spans))
        print(f"built two projects of {args.documents:,} documents and {args.spans:,} spans "
              f"each (half shared) in {time.perf_counter() - began:.1f} s")  # fmt: skip
        bare = child("bare", folder)
        merged = child("merge", folder)
        carried = child("reanchor", folder, "--reanchor", str(args.reanchor))
    ratio = merged["seconds"] / bare["seconds"]
    print(f"bare INSERT OR IGNORE of their rows: {bare['seconds']:.2f} s")
    print(f"merge (applied, with backup):        {merged['seconds']:.2f} s = {ratio:.1f}x bare; "
          f"peak {merged['peak_mb']:.0f} MB")  # fmt: skip
    for kind, counts in merged["counts"].items():
        print(f"   {kind:11} {counts}")
    print(f"re-anchor {carried['spans']:,} spans in {carried['documents']} edited documents: "
          f"{carried['seconds']:.2f} s ({carried['moved']} moved, {carried['orphaned']} orphaned); "
          f"peak {carried['peak_mb']:.0f} MB")  # fmt: skip
    print("targets: merge <= 10 s:", merged["seconds"] <= 10, "| <= 5x bare:", ratio <= 5,
          "| re-anchor <= 5 s:", carried["seconds"] <= 5,
          "| peak <= 500 MB:", max(merged["peak_mb"], carried["peak_mb"]) <= 500)  # fmt: skip


if __name__ == "__main__":
    main()
