"""Writing and reading interchange files through the format registry, as the CLI does."""

from __future__ import annotations

from pathlib import Path

from annotator.core.formats.jsonl_import import import_set
from annotator.core.formats.registry import EXPORTS, import_format, output_target
from annotator.core.formats.selection import Selection
from annotator.core.formats.set_writer import ImportReport
from annotator.core.store import Project

SUFFIXES = {"jsonl": ".jsonl", "csv": ".csv", "w3c": ".jsonld", "qdpx": ".qdpx", "qdc": ".qdc"}


def export_file(project: Project, fmt: str, folder: Path, name: str) -> Path:
    """``project`` exported as ``fmt`` into ``folder``; the file (or brat folder) written."""
    output = folder / (name + SUFFIXES.get(fmt, ""))
    with output_target(EXPORTS[fmt], output) as target:
        EXPORTS[fmt].write(project, target, Selection(), with_text=True)
    return output


def import_file(project: Project, path: Path, *, by: str) -> ImportReport:
    """An exported file (a brat folder: each of its .ann files) imported into ``project``."""
    paths = sorted(path.glob("*.ann")) if path.is_dir() else [path]
    reports = []
    for each in paths:
        fmt = import_format(each)
        assert fmt is not None
        reports.append(import_set(project, fmt.read(each), by=by)[0])
    report = reports[0]
    for other in reports[1:]:
        report.problems += other.problems
        report.retexted += other.retexted
    return report


def misplaced_spans(project: Project) -> list[dict]:
    """Live, placed spans whose offsets do not hold their quote: what must never be."""
    texts = {r["id"]: r["text"] for r in project.rows("documents")}
    return [
        r
        for r in project.rows("spans")
        if r["deleted_at"] is None
        and r["orphaned_at"] is None
        and texts[r["document_id"]][r["start"] : r["end"]] != r["quote"]
    ]
