"""REFI-QDA from the command line: export a project, import it elsewhere, import MAXQDA's."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from .conftest import Run

SAMPLES = Path(__file__).resolve().parents[2].parent / "shared" / "interop" / "refi-qda" / "samples"
MAXQDA = SAMPLES / "maxqda24-10-sources.qdpx"

CODING = [
    {
        "kind": "span",
        "document": "The Illusion of Peace Between Armenia and Azerbaijan",
        "quote": "victor’s peace",
        "prefix": "behind the concept of a ‘",
        "tags": ["Victor's peace"],
        "note": "The key phrase.",
    },
    {
        "kind": "stance",
        "document": "The Illusion of Peace Between Armenia and Azerbaijan",
        "quote": "victor’s peace",
        "prefix": "behind the concept of a ‘",
        "target": "Draft peace agreement (March 2025)",
        "actor": "Government of Azerbaijan",
        "polarity": -1,
    },
]


def summary(run: Run, project: Path) -> tuple[list, dict]:
    docs = json.loads(run("docs", project, "--json").stdout)
    stats = json.loads(run("stats", project, "--json").stdout)
    return sorted((d["title"], d["sha256"], d["spans"]) for d in docs), stats


def test_export_qdpx_and_import_it_into_a_new_project(run: Run, tmp_path: Path) -> None:
    first = tmp_path / "first.annotator"
    run("init", first, "--sample", "--annotator", "Ani")
    coding = tmp_path / "coding.jsonl"
    coding.write_text("\n".join(json.dumps(c, ensure_ascii=False) for c in CODING), "utf-8")
    run("import", first, coding)
    out = tmp_path / "first.qdpx"
    wrote = run("export", first, "-f", "qdpx", "-o", out)
    assert f"Wrote {out}" in wrote.stderr and "1 spans" in wrote.stderr
    with zipfile.ZipFile(out) as archive:
        assert "project.qde" in archive.namelist()
    second = tmp_path / "second.annotator"
    run("init", second, "--annotator", "Ani")
    imported = run("import", second, out)
    assert "first.qdpx:" in imported.stdout and "1 span" in imported.stdout
    assert imported.stderr == ""
    assert summary(run, second) == summary(run, first)
    codebook = tmp_path / "codes.qdc"
    run("export", first, "-f", "qdc", "-o", codebook)
    third = tmp_path / "third.annotator"
    run("init", third)
    run("import", third, codebook)
    assert summary(run, third)[1]["tags"] == summary(run, first)[1]["tags"]


@pytest.mark.skipif(not MAXQDA.exists(), reason="../shared/interop is absent")
def test_import_the_maxqda_sample(run: Run, tmp_path: Path) -> None:
    project = tmp_path / "p.annotator"
    run("init", project)
    result = run("import", project, MAXQDA)
    assert "10 document" in result.stdout and "307 tag" in result.stdout
    assert result.stderr == "not mapped: sets of sources or codes: 2\n"
    stats = summary(run, project)[1]
    assert stats["documents"] == 10 and stats["tags"] == 307


def test_a_hostile_file_exits_1_with_one_line(run: Run, tmp_path: Path) -> None:
    project = tmp_path / "p.annotator"
    run("init", project)
    evil = tmp_path / "evil.qdpx"
    with zipfile.ZipFile(evil, "w") as archive:
        archive.writestr("project.qde", '<Project xmlns="urn:QDA-XML:project:1.0" name="x"/>')
        archive.writestr("../../escaped.txt", "gotcha")
    before = project.read_bytes()
    result = run("import", project, evil, expect=1)
    assert (
        result.stderr
        == "skipped evil.qdpx: unsafe file name inside the archive: '../../escaped.txt'\n"
    )
    assert "Traceback" not in result.stderr and not (tmp_path.parent / "escaped.txt").exists()
    assert project.read_bytes() == before
