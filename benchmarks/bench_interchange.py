"""Every export format of the registry over a large project and one a tenth its size: time,
CPU time and peak memory each.

    uv run python benchmarks/bench_interchange.py [--quick] [--project FILE]
        [--small-project FILE] [--keep DIR]

The large project (2,000 documents, 200,000 spans, with stances and links; --quick: a tenth) and
the small one (a tenth of that) are built once, each in a process of its own; each export then
runs in a fresh process through the registry, exactly as `annotator export` does. Every process
measures itself the same way: wall and CPU time (user + system, all threads) of the export,
and peak resident memory from VmHWM (ru_maxrss would carry the parent's peak across fork and
exec). The first line is a process that only opens the project and reads what every export
reads, for comparison. Target: each export <= 10 s, in memory that does not grow with the
number of spans: the peak of the large project against the small one's shows it.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from annotator.core.formats.registry import EXPORTS, output_target
from annotator.core.formats.selection import Selection
from annotator.core.store import Project
from bench_foundation import FULL, QUICK, Sizes, work_folder
from bench_refi import build_project, child_baseline, peak_mb


def cpu_seconds() -> float:
    used = resource.getrusage(resource.RUSAGE_SELF)
    return used.ru_utime + used.ru_stime


def child_export(project_path: Path, name: str, out: Path) -> dict[str, Any]:
    fmt = EXPORTS[name]
    with Project.open(project_path) as project:
        opened = peak_mb()
        cpu, began = cpu_seconds(), time.perf_counter()
        with output_target(fmt, out) as target:
            counts = fmt.write(project, target, Selection(), with_text=True)
        seconds, cpu = time.perf_counter() - began, cpu_seconds() - cpu
    size = sum(p.stat().st_size for p in out.rglob("*")) if out.is_dir() else out.stat().st_size
    return {"seconds": seconds, "cpu": cpu, "opened_mb": opened, "peak_mb": peak_mb(),
            "bytes": size, "counts": counts}  # fmt: skip


def child_read_only(project_path: Path) -> dict[str, Any]:
    cpu = cpu_seconds()
    figures = child_baseline(project_path)
    return figures | {"cpu": cpu_seconds() - cpu}  # opening included: a few milliseconds


def in_child(*args: str) -> dict[str, Any]:
    found = subprocess.run(
        [sys.executable, __file__, *args], capture_output=True, text=True, check=True
    )
    return json.loads(found.stdout.splitlines()[-1])


def build(folder: Path, sizes: Sizes) -> Path:
    """A project of ``sizes`` in ``folder``, built in a child so no export inherits its peak."""
    folder.mkdir(parents=True, exist_ok=True)
    return Path(in_child("--child-build", str(folder), *map(str, vars(sizes).values())))


def line(label: str, large: dict[str, Any], small: dict[str, Any], *, target: bool = True) -> str:
    figures = (
        f"{label:24.24} {large['seconds']:6.2f} s {large['cpu']:6.2f} s  "
        f"{large['peak_mb']:5.0f} MB {small['peak_mb']:5.0f} MB "
        f"{large['peak_mb'] - small['peak_mb']:+5.0f} MB"
    )
    return figures + (f"  <= 10 s: {'met' if large['seconds'] <= 10 else 'MISSED'}" * target)


def main() -> None:
    if sys.argv[1:2] == ["--child"]:
        project, name, out = sys.argv[2:5]
        print(json.dumps(child_export(Path(project), name, Path(out))))
        return
    if sys.argv[1:2] == ["--child-build"]:
        sizes = Sizes(*map(int, sys.argv[3:6]))
        print(json.dumps(str(build_project(Path(sys.argv[2]), sizes, seed=1))))
        return
    if sys.argv[1:2] == ["--child-baseline"]:
        print(json.dumps(child_read_only(Path(sys.argv[2]))))
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a tenth of the sizes")
    parser.add_argument("--project", type=Path, help="export this project instead of a new one")
    parser.add_argument("--small-project", type=Path, help="the small project, if built before")
    parser.add_argument("--keep", type=Path, help="work in this new folder and keep it")
    args = parser.parse_args()
    sizes = QUICK if args.quick else FULL
    tenth = Sizes(sizes.documents // 10, sizes.chars_per_document, sizes.spans // 10)
    with work_folder(args.keep) as folder:
        large = args.project or build(folder / "large", sizes)
        small = args.small_project or build(folder / "small", tenth)
        print(f"large: {large}\nsmall (a tenth): {small}")
        print(f"{'':24} {'wall':>8} {'CPU':>8}  {'peak, large':>11} {'small':>8} {'growth':>8}")
        base = [in_child("--child-baseline", str(p)) for p in (large, small)]
        print(line("read only (baseline)", *base, target=False))
        for name, fmt in EXPORTS.items():
            found = [
                in_child("--child", str(p), name, str(folder / f"export-{size}-{name}{fmt.suffix}"))
                for size, p in (("large", large), ("small", small))
            ]
            print(line(f"{name} ({fmt.label})", *found))
            counts = found[0]["counts"]
            spans = counts.get("spans", counts.get("span", counts.get("annotations", "-")))
            print(f"{'':24} {found[0]['bytes'] / 1e6:7.1f} MB written, spans {spans}")
        print(
            "Growth from the small project to the large one is SQLite's page cache and sorters\n"
            "filling up to their bound (the store's CACHE_KIB each), not rows held by exports."
        )


if __name__ == "__main__":
    main()
