"""Every interchange format: project -> file -> new project -> file gives the same file.

The copy lives in a project file of the same name (a W3C collection's label names it), and is
imported by the annotator who made the coding, as when one moves one's work to a new laptop.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest

from annotator.core import ops
from annotator.core.store import Project

from .format_files import export_file, import_file
from .sample import Sample

# When the file was written: the one thing that rightly differs between two exports.
EXPORT_TIME = re.compile(rb'"exported_at":"[^"]*"|written by Annotator at \S+')


def contents(path: Path) -> dict[str, bytes]:
    """A file's bytes but its export time; an archive's or a folder's by member (a zip records
    times of its own)."""
    if path.is_dir():
        found = {str(p.relative_to(path)): p.read_bytes() for p in sorted(path.rglob("*"))}
    elif zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as archive:
            found = {name: archive.read(name) for name in sorted(archive.namelist())}
    else:
        found = {path.name: path.read_bytes()}
    return {name: EXPORT_TIME.sub(b"", data) for name, data in found.items()}


def copied(sample: Sample, tmp_path: Path, fmt: str) -> tuple[Path, Path]:
    """The sample exported as ``fmt``, and its copy (made through ``fmt``) exported again."""
    p = sample.project
    ops.update_span(p, by=sample.me, span_id=sample.span, note="A loaded phrase.")
    ops.create_stance(p, by=sample.me, document_id=sample.article, span_id=sample.span,
                      target_id=sample.target, actor_id=sample.actor, polarity=-1)  # fmt: skip
    ops.create_link(p, by=sample.me, source=sample.other_span, target=sample.span, type="cites")
    (tmp_path / "first").mkdir()
    first = export_file(p, fmt, tmp_path / "first", "out")
    folder = tmp_path / "copy"
    folder.mkdir()
    with Project.create(folder / p.path.name) as copy:
        ops.initialise_settings(copy)
        report = import_file(copy, first, by="Ani")
        assert report.problems == []
        (tmp_path / "second").mkdir()
        second = export_file(copy, fmt, tmp_path / "second", "out")
    return first, second


@pytest.mark.parametrize("fmt", ["jsonl", "w3c", "qdpx", "qdc", "brat"])
def test_a_copy_made_through_a_file_exports_the_same_file(
    fmt: str, sample: Sample, tmp_path: Path
) -> None:
    first, second = copied(sample, tmp_path, fmt)
    before, after = contents(first), contents(second)
    if fmt == "brat":  # its README lists what the first project held and brat could not carry
        assert b"links between passages of different documents" in before.pop("README")
        assert b"left out of this folder:\n    nothing" in after.pop("README")
    assert after == before


def test_csv_of_a_copy_is_the_same(sample: Sample, tmp_path: Path) -> None:
    """CSV is only written: the copy is made through the full set, then both are tabulated."""
    copied(sample, tmp_path, "jsonl")
    with Project.open(tmp_path / "copy" / sample.project.path.name) as copy:
        again = export_file(copy, "csv", tmp_path / "second", "table")
    table = export_file(sample.project, "csv", tmp_path / "first", "table")
    assert again.read_bytes() == table.read_bytes()
