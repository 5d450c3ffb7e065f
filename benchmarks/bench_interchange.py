"""Every export format of the registry over one large project: time and peak memory each.

    uv run python benchmarks/bench_interchange.py [--quick] [--project FILE]

The project (2,000 documents, 200,000 spans, with stances and links; --quick: a tenth) is built
once; each export then runs in a fresh process through the registry, exactly as
`annotator export` does, so its peak memory (maxrss) is its own. The first line is that of a
process that only opens the project and reads what every export reads, for comparison.
Target: each export <= 10 s, in memory that does not grow with the number of spans.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

from annotator.core.formats.registry import EXPORTS, output_target
from annotator.core.formats.selection import Selection
from annotator.core.store import Project
from bench_foundation import FULL, QUICK, peak_memory_mb, work_folder
from bench_refi import build_project, child_baseline


def child_export(project_path: Path, name: str, out: Path) -> dict:
    fmt = EXPORTS[name]
    with Project.open(project_path) as project:
        began = time.perf_counter()
        with output_target(fmt, out) as target:
            counts = fmt.write(project, target, Selection(), with_text=True)
        seconds = time.perf_counter() - began
    size = sum(p.stat().st_size for p in out.rglob("*")) if out.is_dir() else out.stat().st_size
    return {"seconds": seconds, "peak_mb": peak_memory_mb(), "bytes": size, "counts": counts}


def in_child(*args: str) -> dict:
    found = subprocess.run(
        [sys.executable, __file__, *args], capture_output=True, text=True, check=True
    )
    return json.loads(found.stdout.splitlines()[-1])


def main() -> None:
    if sys.argv[1:2] == ["--child"]:
        project, name, out = sys.argv[2:5]
        print(json.dumps(child_export(Path(project), name, Path(out))))
        return
    if sys.argv[1:2] == ["--child-build"]:
        sizes = QUICK if sys.argv[3] == "quick" else FULL
        print(json.dumps(str(build_project(Path(sys.argv[2]), sizes, seed=1))))
        return
    if sys.argv[1:2] == ["--child-baseline"]:
        print(json.dumps(child_baseline(Path(sys.argv[2]))))
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a tenth of the sizes")
    parser.add_argument("--project", type=Path, help="export this project instead of a new one")
    args = parser.parse_args()
    with work_folder(None) as folder:
        # Built in a child too: a child process starts from its parent's peak memory.
        size = "quick" if args.quick else "full"
        project = args.project or Path(in_child("--child-build", str(folder), size))
        base = in_child("--child-baseline", str(project))
        print(f"{'read only (baseline)':24} {base['seconds']:6.2f} s  {base['peak_mb']:6.0f} MB")
        for name, fmt in EXPORTS.items():
            out = folder / f"export-{name}{fmt.suffix}"
            found = in_child("--child", str(project), name, str(out))
            spans = found["counts"].get("spans", found["counts"].get("annotations", ""))
            met = "met" if found["seconds"] <= 10 else "MISSED"
            print(
                f"{name + ' (' + fmt.label + ')':24.24} {found['seconds']:6.2f} s  "
                f"{found['peak_mb']:6.0f} MB  {found['bytes'] / 1e6:7.1f} MB written  "
                f"spans {spans}  <= 10 s: {met}"
            )


if __name__ == "__main__":
    main()
