"""Time the foundation at corpus scale: document import, set import and export, search, memory.

    uv run python benchmarks/bench_foundation.py [--quick] [--seed 1] [--keep DIR] [--profile DIR]

In a temporary folder (or ``--keep DIR``), on a synthetic corpus (benchmarks/synthetic.py):

a. import 2,000 documents (~20 MB) into a new project; near-duplicate detection timed apart;
b. write an annotation set of 200,000 spans (+ ~20,000 stances, ~10,000 links) over them and
   import it; baseline: ``executemany`` of the same rows into a fresh project, one transaction;
c. export the project to JSONL and CSV; baseline: one SELECT per table and ``json.dumps`` of
   each row to a file;
d. full-text search over the documents (median of several runs);
e. peak memory.

``--quick`` uses a tenth of the sizes. ``--profile DIR`` also writes a cProfile file per timed
step (times printed in that run include the profiler's overhead). Prints figures and whether
each target is met; asserts nothing about time.
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import json
import resource
import sqlite3
import statistics
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from annotator.core import dedupe
from annotator.core.defaults import create_project
from annotator.core.formats.csv_export import export_csv
from annotator.core.formats.jsonl_export import export_jsonl
from annotator.core.formats.jsonl_import import ImportReport, import_set
from annotator.core.formats.jsonl_read import read_set
from annotator.core.importing import import_documents
from annotator.core.ops import find_annotator
from annotator.core.store import Project
from synthetic import SetDocument, make_annotation_set, write_corpus

T = TypeVar("T")

ANNOTATION_TABLES = ("spans", "span_tags", "stances", "links")
PARENT_TABLES = ("annotators", "documents", "tags", "targets", "actors")
SEARCHES = (
    "ceasefire",
    "Kraków",
    "խաղաղություն",
    "переговоры",
    "border delimitation",
    "absentword",
)
SEARCH_RUNS = 15


@dataclass(frozen=True)
class Sizes:
    documents: int
    chars_per_document: int
    spans: int


FULL = Sizes(documents=2_000, chars_per_document=10_000, spans=200_000)
QUICK = Sizes(documents=200, chars_per_document=10_000, spans=20_000)


@dataclass
class Bench:
    """Where the files go, and the figures gathered so far."""

    folder: Path
    seed: int
    profile_dir: Path | None
    targets: list[tuple[str, bool]] = field(default_factory=list)
    peaks: list[tuple[str, float]] = field(default_factory=list)  # maxrss after each step

    def timed(self, name: str, action: Callable[[], T]) -> tuple[T, float]:
        """Run ``action`` once; under ``--profile`` also write ``name.prof``."""
        profiler = cProfile.Profile() if self.profile_dir else None
        began = time.perf_counter()
        result = profiler.runcall(action) if profiler is not None else action()
        elapsed = time.perf_counter() - began
        if profiler is not None and self.profile_dir is not None:
            profiler.dump_stats(self.profile_dir / f"{name}.prof")
        self.peaks.append((name, peak_memory_mb()))
        return result, elapsed

    def target(self, label: str, met: bool) -> None:
        self.targets.append((label, met))
        print(f"   target {label}: {'met' if met else 'NOT MET'}")


def report(label: str, seconds: float, extra: str = "") -> None:
    print(f"   {label:<44} {seconds:8.2f} s{('   ' + extra) if extra else ''}")


def megabytes(size: int) -> str:
    return f"{size / 1e6:.1f} MB"


def new_project(path: Path) -> tuple[Project, str]:
    project, _ = create_project(path, annotator="bench")
    found = find_annotator(project, "bench")
    assert found is not None
    return project, found.id


# -- a. documents -------------------------------------------------------------------------------


def bench_documents(bench: Bench, project: Project, me: str, sizes: Sizes) -> None:
    print(f"a. import {sizes.documents:,} documents")
    corpus = bench.folder / "corpus"
    files, seconds = bench.timed(
        "generate_corpus",
        lambda: write_corpus(corpus, sizes.documents, sizes.chars_per_document, bench.seed),
    )
    on_disk = sum(f.path.stat().st_size for f in files)
    encodings = ", ".join(f"{e} {n}" for e, n in Counter(f.encoding for f in files).most_common())
    report("(generate the corpus)", seconds, f"{len(files):,} files, {megabytes(on_disk)}")
    print(f"   encodings: {encodings}")
    outcome, seconds = bench.timed(
        "import_documents", lambda: import_documents(project, [corpus], by=me)
    )
    stored = sum(len(t.encode("utf-8")) for _, t in project.document_texts())
    report(
        "import_documents (all of it)",
        seconds,
        f"added {len(outcome.added):,}, {megabytes(stored)} stored, duplicates "
        f"{len(outcome.duplicates)}, near-duplicates {len(outcome.near_duplicates)}, "
        f"skipped {len(outcome.skipped)}",
    )
    for skipped in outcome.skipped[:3]:
        print(f"   skipped: {skipped}")
    bench.target("document import <= 10 s", seconds <= 10.0)
    texts = project.document_texts()
    found, dedupe_seconds = bench.timed(
        "near_duplicates", lambda: dedupe.near_duplicates(texts, [])
    )
    report("  of which near-duplicate detection (alone)", dedupe_seconds, f"{len(found)} pairs")
    report("  the rest (read, decode, hash, insert, FTS)", max(0.0, seconds - dedupe_seconds))


# -- b. annotation set import ---------------------------------------------------------------------


def stored_documents(project: Project) -> list[SetDocument]:
    rows = project.db.conn.execute(
        "SELECT id, title, text FROM documents WHERE deleted_at IS NULL ORDER BY id"
    )
    return [SetDocument(*row) for row in rows]


def bench_set_import(bench: Bench, project: Project, me: str, sizes: Sizes) -> Path:
    print(f"b. import an annotation set of {sizes.spans:,} spans")
    path = bench.folder / "set.jsonl"
    documents = stored_documents(project)
    summary, seconds = bench.timed(
        "generate_set", lambda: make_annotation_set(path, documents, sizes.spans, bench.seed)
    )
    kinds = ", ".join(f"{k} {n:,}" for k, n in summary.counts.items())
    report("(write the set)", seconds, f"{megabytes(path.stat().st_size)}: {kinds}")
    result, read_seconds, import_seconds = read_and_import(bench, project, me, path)
    total = read_seconds + import_seconds
    report("read_set (parse JSON)", read_seconds)
    report("import_set (resolve, anchor, write)", import_seconds)
    report("read_set + import_set", total, f"added {dict(result.added)}")
    problems = result.problems
    print(f"   problems: {len(problems)}" + (f" (first: {problems[0]})" if problems else ""))
    baseline = bare_insert_seconds(bench, project)
    bench.peaks.append(("baseline_insert", peak_memory_mb()))
    report("baseline: executemany of the same rows", baseline)
    ratio = total / baseline
    alone = import_seconds / baseline
    print(f"   ratio import / baseline: {ratio:.2f}x (import_set alone {alone:.2f}x)")
    bench.target("set import within 3x of executemany", ratio <= 3.0)
    return path


def read_and_import(
    bench: Bench, project: Project, me: str, path: Path
) -> tuple[ImportReport, float, float]:
    """(report, read seconds, import seconds); the parsed set and the change set are let go,
    so the baseline's rows do not add to the import's peak memory."""
    parsed, read_seconds = bench.timed("read_set", lambda: read_set(path))
    (result, _changes), import_seconds = bench.timed(
        "import_set", lambda: import_set(project, parsed, by=me)
    )
    return result, read_seconds, import_seconds


def bare_insert_seconds(bench: Bench, project: Project) -> float:
    """``executemany`` of the rows the import wrote into a fresh project with the same parents."""
    rows = {table: _select_all(project.db.conn, table) for table in ANNOTATION_TABLES}
    baseline, _ = new_project(bench.folder / "baseline.annotator")
    try:
        _copy_parents(baseline.db.conn, project.path)
        conn = baseline.db.conn
        began = time.perf_counter()
        conn.execute("BEGIN IMMEDIATE")
        for table in ANNOTATION_TABLES:
            names, values = rows[table]
            columns = ", ".join(f'"{n}"' for n in names)
            marks = ", ".join("?" for _ in names)
            conn.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", values)
        conn.execute("COMMIT")
        return time.perf_counter() - began
    finally:
        baseline.close()


def _select_all(conn: sqlite3.Connection, table: str) -> tuple[list[str], list[tuple[Any, ...]]]:
    cursor = conn.execute(f"SELECT * FROM {table} ORDER BY rowid")
    return [d[0] for d in cursor.description], cursor.fetchall()


def _copy_parents(conn: sqlite3.Connection, source: Path) -> None:
    """Documents, annotators and the codebook, so foreign keys hold as in the real import."""
    conn.execute("ATTACH DATABASE ? AS source", [str(source)])
    conn.execute("BEGIN IMMEDIATE")
    for table in PARENT_TABLES:
        conn.execute(
            f"INSERT INTO {table} SELECT * FROM source.{table} "
            f"WHERE id NOT IN (SELECT id FROM main.{table})"
        )
    conn.execute("COMMIT")
    conn.execute("DETACH DATABASE source")


# -- c. export --------------------------------------------------------------------------------------


def bench_export(bench: Bench, project: Project) -> None:
    print("c. export")
    jsonl, csv_path = bench.folder / "export.jsonl", bench.folder / "export.csv"
    counts, jsonl_seconds = bench.timed("export_jsonl", lambda: _export_jsonl(project, jsonl))
    report("export_jsonl", jsonl_seconds, f"{megabytes(jsonl.stat().st_size)}, {dict(counts)}")
    counts, csv_seconds = bench.timed("export_csv", lambda: _export_csv(project, csv_path))
    report("export_csv", csv_seconds, f"{megabytes(csv_path.stat().st_size)}, {dict(counts)}")
    dumped = bench.folder / "baseline.jsonl"
    lines, baseline = bench.timed("baseline_dumps", lambda: dump_rows(project.db.conn, dumped))
    report("baseline: SELECT + json.dumps per row", baseline, f"{lines:,} lines")
    print(f"   ratio JSONL / baseline: {jsonl_seconds / baseline:.2f}x")
    print(f"   ratio CSV / baseline:   {csv_seconds / baseline:.2f}x")
    bench.target("JSONL export within 2x of json.dumps", jsonl_seconds <= 2 * baseline)
    bench.target("CSV export within 2x of json.dumps", csv_seconds <= 2 * baseline)


def _export_jsonl(project: Project, path: Path) -> dict[str, int]:
    with path.open("w", encoding="utf-8", newline="\n") as out:
        return dict(export_jsonl(project, out))


def _export_csv(project: Project, path: Path) -> dict[str, int]:
    with path.open("w", encoding="utf-8-sig", newline="") as out:
        return dict(export_csv(project, out))


def dump_rows(conn: sqlite3.Connection, path: Path) -> int:
    """Span (with its tag ids), stance and link rows as dicts, one SELECT each, one line each."""
    encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
    tags: dict[str, list[str]] = {}
    for span_id, tag_id in conn.execute("SELECT span_id, tag_id FROM span_tags"):
        tags.setdefault(span_id, []).append(tag_id)
    lines = 0
    with path.open("w", encoding="utf-8", newline="\n") as out:
        for table in ("spans", "stances", "links"):
            cursor = conn.execute(f"SELECT * FROM {table}")
            names = [d[0] for d in cursor.description]
            for values in cursor:
                row = dict(zip(names, values, strict=True))
                if table == "spans":
                    row["tags"] = tags.get(row["id"], [])
                out.write(encode(row))
                out.write("\n")
                lines += 1
    return lines


# -- d. search, e. memory ----------------------------------------------------------------------------


def bench_search(project: Project, queries: Sequence[str] = SEARCHES) -> None:
    print(f"d. full-text search (median of {SEARCH_RUNS} runs)")
    for query in queries:
        hits, runs = [], []
        for _ in range(SEARCH_RUNS):
            began = time.perf_counter()
            hits = project.search_documents(query)
            runs.append(time.perf_counter() - began)
        median = statistics.median(runs) * 1000
        print(f"   {query!r:<44} {median:8.1f} ms   {len(hits)} hits (limit 50)")


def peak_memory_mb() -> float:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 1e6 if sys.platform == "darwin" else peak / 1e3  # bytes on macOS, else KiB


# -- driving ------------------------------------------------------------------------------------------


@contextlib.contextmanager
def work_folder(keep: Path | None) -> Iterator[Path]:
    if keep is not None:
        keep.mkdir(parents=True, exist_ok=False)
        yield keep
        return
    with tempfile.TemporaryDirectory(prefix="annotator-bench-") as name:
        yield Path(name)


def run(bench: Bench, sizes: Sizes) -> None:
    project, me = new_project(bench.folder / "bench.annotator")
    try:
        bench_documents(bench, project, me, sizes)
        bench_set_import(bench, project, me, sizes)
        bench_export(bench, project)
        bench_search(project)
    finally:
        project.close()
    print(f"e. peak memory (maxrss): {peak_memory_mb():,.0f} MB; after each step:")
    print("   " + ", ".join(f"{name} {peak:,.0f}" for name, peak in bench.peaks))
    met = sum(ok for _, ok in bench.targets)
    print(f"targets met: {met} of {len(bench.targets)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a tenth of the sizes")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", type=Path, help="work in this new folder and keep it")
    parser.add_argument("--profile", type=Path, help="write cProfile files here")
    args = parser.parse_args()
    sizes = QUICK if args.quick else FULL
    if args.profile:
        args.profile.mkdir(parents=True, exist_ok=True)
    print(
        f"{sizes.documents:,} documents of ~{sizes.chars_per_document:,} characters, "
        f"{sizes.spans:,} spans, seed {args.seed}, Python {sys.version.split()[0]}, "
        f"SQLite {sqlite3.sqlite_version}"
    )
    with work_folder(args.keep) as folder:
        run(Bench(folder, args.seed, args.profile), sizes)


if __name__ == "__main__":
    main()
