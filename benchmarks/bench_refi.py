"""Time REFI-QDA: importing a real MAXQDA export, and exporting a large project as .qdpx.

    uv run python benchmarks/bench_refi.py [--quick] [--seed 1] [--keep DIR] [--project FILE]

a. read + import_set of ../shared/interop/refi-qda/samples/maxqda24-10-sources.qdpx (10 texts,
   307 codes) into a fresh project, best and median of 5 runs (skipped when ../shared is absent);
b. a synthetic project of 2,000 documents and 200,000 spans (+ ~20,000 stances, ~10,000 links;
   benchmarks/synthetic.py) exported as .qdpx, each export in a fresh process so that its peak
   memory is its own: all documents, then a tenth of them (memory should not grow with
   the spans written); baseline: a process that reads the same rows and texts and writes nothing;
c. that .qdpx read and imported into a new project.

``--quick`` uses a tenth of the sizes; ``--project FILE`` exports that project instead of
building one (a kept ``large.annotator``, say). Prints figures and whether each target is met;
asserts nothing about time.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from annotator.core.formats.jsonl_export import export_jsonl
from annotator.core.formats.jsonl_import import import_set
from annotator.core.formats.jsonl_read import read_set
from annotator.core.formats.refi_export import export_qdpx
from annotator.core.formats.refi_import import read_qdpx
from annotator.core.formats.selection import Selection, spans_with_tags
from annotator.core.importing import import_documents
from annotator.core.store import Project
from bench_foundation import FULL, QUICK, Sizes, new_project, stored_documents, work_folder
from synthetic import make_annotation_set, write_corpus

SAMPLE = (
    Path(__file__).resolve().parents[1].parent
    / "shared/interop/refi-qda/samples/maxqda24-10-sources.qdpx"
)
RUNS = 5


def peak_mb() -> float:
    """This process's peak resident memory. On Linux from VmHWM: ru_maxrss would include the
    parent's peak, which a child inherits across fork and exec."""
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1e3
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 1e6 if sys.platform == "darwin" else peak / 1e3


def report(label: str, seconds: float, extra: str = "") -> None:
    print(f"   {label:<46} {seconds:8.2f} s{('   ' + extra) if extra else ''}")


def target(label: str, met: bool) -> None:
    print(f"   target {label}: {'met' if met else 'NOT MET'}")


# -- a. the MAXQDA sample -------------------------------------------------------------------------


def bench_sample(folder: Path) -> None:
    print("a. import the MAXQDA sample (read + import_set)")
    if not SAMPLE.exists():
        print(f"   skipped: {SAMPLE} is absent")
        return
    times, reading = [], []
    for run in range(RUNS):
        began = time.perf_counter()
        parsed = read_qdpx(SAMPLE)
        read = time.perf_counter()
        with Project.create(folder / f"sample-{run}.annotator") as project:
            result, _ = import_set(project, parsed, by="bench")
        times.append(time.perf_counter() - began)
        reading.append(read - began)
    added = ", ".join(f"{k} {n}" for k, n in result.added.items())
    report("read_qdpx (best)", min(reading))
    report("read + import (best)", min(times), f"median {statistics.median(times):.2f} s; {added}")
    print(f"   not mapped: {result.unmapped}; problems: {len(result.problems)}")
    target("MAXQDA sample import <= 2 s", statistics.median(times) <= 2.0)


# -- b. export in a fresh process -----------------------------------------------------------------


def child_export(project_path: Path, out: Path, share: float) -> dict[str, Any]:
    with Project.open(project_path) as project:
        ids = sorted(project.column_by_id("documents", "title"))
        chosen = frozenset(ids[: max(1, int(len(ids) * share))]) if share < 1 else frozenset()
        opened = peak_mb()
        began = time.perf_counter()
        with out.open("wb") as handle:
            counts = export_qdpx(project, handle, Selection(documents=chosen))
        seconds = time.perf_counter() - began
    return {"seconds": seconds, "opened_mb": opened, "peak_mb": peak_mb(), "counts": counts}


def child_jsonl(project_path: Path, out: Path) -> dict[str, Any]:
    """The JSONL set of the same project, for comparison: the reference export."""
    with Project.open(project_path) as project:
        opened = peak_mb()
        began = time.perf_counter()
        with out.open("w", encoding="utf-8", newline="\n") as handle:
            export_jsonl(project, handle, Selection().live_only())
        seconds = time.perf_counter() - began
    return {"seconds": seconds, "opened_mb": opened, "peak_mb": peak_mb()}


def child_baseline(project_path: Path) -> dict[str, Any]:
    """Read what an export must read (texts, span rows with tags, stances, links); write nothing."""
    with Project.open(project_path) as project:
        opened = peak_mb()
        began = time.perf_counter()
        selection = Selection().live_only()
        ids = set()
        for row in project.rows("documents", order_by="id"):
            ids.add(row["id"])
            row["text"].encode("utf-8")
        spans = sum(1 for _ in spans_with_tags(project, selection, ids))
        rows = sum(1 for t in ("stances", "links") for _ in project.rows(t))
        seconds = time.perf_counter() - began
    return {"seconds": seconds, "opened_mb": opened, "peak_mb": peak_mb(), "rows": spans + rows}


def in_child(*args: str) -> dict[str, Any]:
    found = subprocess.run(
        [sys.executable, __file__, *args], capture_output=True, text=True, check=True
    )
    return json.loads(found.stdout.splitlines()[-1])


def build_project(folder: Path, sizes: Sizes, seed: int) -> Path:
    path = folder / "large.annotator"
    project, me = new_project(path)
    try:
        began = time.perf_counter()
        write_corpus(folder / "corpus", sizes.documents, sizes.chars_per_document, seed)
        import_documents(project, [folder / "corpus"], by=me)
        documents = stored_documents(project)
        make_annotation_set(folder / "set.jsonl", documents, sizes.spans, seed)
        result, _ = import_set(project, read_set(folder / "set.jsonl"), by=me)
        report("(build the project)", time.perf_counter() - began, f"{dict(result.added)}")
    finally:
        project.close()
    return path


def bench_export(folder: Path, sizes: Sizes, seed: int, given: Path | None) -> Path:
    if given is None:
        print(f"b. export {sizes.documents:,} documents and {sizes.spans:,} spans as .qdpx")
    else:
        print(f"b. export {given} as .qdpx")
    path = given or build_project(folder, sizes, seed)
    out = folder / "large.qdpx"
    whole = in_child("--child-export", str(path), str(out), "1")
    size = out.stat().st_size / 1e6
    counts = ", ".join(f"{k} {n:,}" for k, n in whole["counts"].items())
    report("export_qdpx (all)", whole["seconds"], f"{size:.1f} MB: {counts}")
    tenth = in_child("--child-export", str(path), str(folder / "tenth.qdpx"), "0.1")
    report("export_qdpx (a tenth of the documents)", tenth["seconds"])
    jsonl = in_child("--child-jsonl", str(path), str(folder / "large.jsonl"))
    report("reference: export_jsonl (live records)", jsonl["seconds"])
    base = in_child("--child-baseline", str(path))
    report("baseline: read the same rows, write nothing", base["seconds"], f"{base['rows']:,} rows")
    print(
        f"   ratio export / baseline: {whole['seconds'] / base['seconds']:.2f}x; "
        f"export / JSONL export: {whole['seconds'] / jsonl['seconds']:.2f}x"
    )
    for label, figures in (("all", whole), ("a tenth", tenth), ("baseline", base)):
        grown = figures["peak_mb"] - figures["opened_mb"]
        print(
            f"   peak memory, {label}: {figures['peak_mb']:,.0f} MB "
            f"(+{grown:,.0f} MB after opening)"
        )
    target("qdpx export <= 10 s", whole["seconds"] <= 10.0)
    return out


# -- c. import it back ----------------------------------------------------------------------------


def bench_reimport(folder: Path, qdpx: Path) -> None:
    print("c. import that .qdpx into a new project")
    began = time.perf_counter()
    parsed = read_qdpx(qdpx)
    read = time.perf_counter() - began
    project, _ = new_project(folder / "reimported.annotator")
    with project:
        result, _ = import_set(project, parsed, by="bench")
    report("read_qdpx", read)
    report("read + import_set", time.perf_counter() - began, f"{dict(result.added)}")
    print(f"   problems: {len(result.problems)}; not mapped: {result.unmapped}")


def main() -> None:
    if sys.argv[1:2] == ["--child-export"]:
        project, out, share = sys.argv[2:5]
        print(json.dumps(child_export(Path(project), Path(out), float(share))))
        return
    if sys.argv[1:2] == ["--child-jsonl"]:
        print(json.dumps(child_jsonl(Path(sys.argv[2]), Path(sys.argv[3]))))
        return
    if sys.argv[1:2] == ["--child-baseline"]:
        print(json.dumps(child_baseline(Path(sys.argv[2]))))
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a tenth of the sizes")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", type=Path, help="work in this new folder and keep it")
    parser.add_argument("--project", type=Path, help="export this project instead of a new one")
    args = parser.parse_args()
    sizes = QUICK if args.quick else FULL
    print(f"Python {sys.version.split()[0]}, seed {args.seed}")
    with work_folder(args.keep) as folder:
        bench_sample(folder)
        qdpx = bench_export(folder, sizes, args.seed, args.project)
        bench_reimport(folder, qdpx)


if __name__ == "__main__":
    main()
