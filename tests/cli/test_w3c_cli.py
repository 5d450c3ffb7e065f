"""W3C Web Annotation from the command line: export a coded project, import it elsewhere."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import Run

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
SUITE = SHARED / "interop" / "w3c-web-annotation-tests"
CHECKER = SHARED / "tools" / "w3c_check.py"
ILLUSION = "The Illusion of Peace Between Armenia and Azerbaijan"
DEMANDS = 'Azerbaijan\'s "Peace" Demands: Courage to Surrender, Responsibility to Obey'
CODING = [
    {"kind": "span", "document": ILLUSION, "quote": "victor’s peace",
     "prefix": "behind the concept of a ‘", "tags": ["Victor's peace"], "note": "the frame"},
    {"kind": "stance", "document": ILLUSION,
     "quote": "unlikely that Azerbaijan will moderate its expanding demands",
     "target": "Draft peace agreement (March 2025)", "actor": "Jean-François Ratelle",
     "polarity": -1, "annotator": "Lusine"},
    {"kind": "link",
     "from": {"document": DEMANDS, "quote": "Azerbaijan’s insistence that Armenia amend its constitution"},
     "to": {"document": ILLUSION, "quote": "Azerbaijan’s escalating demands"}, "type": "elaborates"},
]  # fmt: skip


def coded_project(run: Run, tmp_path: Path) -> Path:
    project = tmp_path / "first.annotator"
    run("init", project, "--sample", "--annotator", "Ani")
    coding = tmp_path / "coding.jsonl"
    lines = (json.dumps(line, ensure_ascii=False) for line in CODING)
    coding.write_text("\n".join(lines), encoding="utf-8")
    run("import", project, coding)
    return project


def stable(path: Path) -> dict:
    """An export without its collection's id and label and the page ids made from it."""
    data = json.loads(path.read_text(encoding="utf-8"))
    page = data.pop("first")
    return {k: v for k, v in data.items() if k not in {"id", "label", "last"}} | {
        "items": page["items"]
    }


def test_export_then_import_into_an_empty_project(run: Run, tmp_path: Path) -> None:
    first = coded_project(run, tmp_path)
    out = tmp_path / "out.jsonld"
    written = run("export", first, "-f", "w3c", "-o", out, "--with-text")
    # The stance and the link place their passages: four spans, and a link.
    assert "5 annotations" in written.stderr and "4 spans" in written.stderr
    second = tmp_path / "second.annotator"
    run("init", second)
    imported = run("import", second, out)
    assert imported.stdout.startswith("out.jsonld: ") and "4 span" in imported.stdout
    assert "problem" not in imported.stderr and "not mapped" not in imported.stderr
    again = tmp_path / "again.jsonld"
    run("export", second, "-f", "w3c", "-o", again, "--with-text")
    assert stable(again) == stable(out)
    counts = lambda p: {k: v for k, v in json.loads(run("stats", p, "--json").stdout).items()  # noqa: E731
                        if k in {"documents", "spans", "stances", "links", "annotators"}}  # fmt: skip
    assert counts(second) == counts(first) == {
        "documents": 2, "spans": 4, "stances": 1, "links": 1, "annotators": 2
    }  # fmt: skip


@pytest.mark.skipif(not CHECKER.is_file() or not SUITE.is_dir(), reason="../shared is not here")
def test_export_passes_the_w3c_suite_checker(run: Run, tmp_path: Path) -> None:
    first = coded_project(run, tmp_path)
    out = tmp_path / "out.jsonld"
    run("export", first, "-f", "w3c", "-o", out)
    checked = subprocess.run(
        [sys.executable, str(CHECKER), str(SUITE), str(out)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "5 annotations checked, 0 MUST failures" in checked.stdout


def test_hypothesis_json_imports_when_named_and_folders_skip_json(run: Run, tmp_path: Path) -> None:
    project = tmp_path / "p.annotator"
    run("init", project, "--sample")
    folder = tmp_path / "downloads"
    folder.mkdir()
    hypothesis = folder / "hypothesis.json"
    annotation = {
        "id": "Kx3vb2AnEe-8xQ",
        "created": "2026-02-02T09:00:00.000000+00:00",
        "updated": "2026-02-02T09:00:00.000000+00:00",
        "user": "acct:lusine@hypothes.is",
        "uri": "https://example.org/peace",
        "text": "the core claim",
        "tags": ["Victor's peace"],
        "target": [{"source": "https://example.org/peace", "selector": [
            {"type": "TextQuoteSelector", "exact": "victor’s peace",
             "prefix": "behind the concept of a ‘"}]}],
        "document": {"title": [ILLUSION]},
    }  # fmt: skip
    hypothesis.write_text(json.dumps({"total": 1, "rows": [annotation]}), encoding="utf-8")
    from_folder = run("import", project, folder, expect=1)  # in a folder, .json is not taken
    assert from_folder.stderr == (
        "skipped hypothesis.json: read as annotations only when named on its own, "
        "not from a folder\n"
    )
    assert json.loads(run("stats", project, "--json").stdout)["spans"] == 0
    named = run("import", project, hypothesis)
    assert "hypothesis.json: " in named.stdout and "1 span" in named.stdout
    stats = json.loads(run("stats", project, "--json").stdout)
    assert stats["spans_per_annotator"] == {"lusine": 1}


def test_a_file_that_is_not_annotations_is_refused(run: Run, tmp_path: Path) -> None:
    project = tmp_path / "p.annotator"
    run("init", project)
    bad = tmp_path / "bad.jsonld"
    bad.write_text('{"@context": "http://schema.org", "type": "Person"}', encoding="utf-8")
    result = run("import", project, bad, expect=1)
    assert result.stderr.startswith("skipped bad.jsonld: not W3C Web Annotations")
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert json.loads(run("stats", project, "--json").stdout)["spans"] == 0


@pytest.mark.parametrize(
    "content, reason",
    [
        ('{"type": "AnnotationCollection", "total": ' + "7" * 5000 + "}", "number too long"),
        ("[" * 50_000 + "]" * 50_000, "nested too deeply"),
        ('{"type": "Annotation", ', "Expecting property name"),
    ],
)
def test_json_that_cannot_be_read_is_one_line(
    run: Run, tmp_path: Path, content: str, reason: str
) -> None:
    project = tmp_path / "p.annotator"
    run("init", project)
    before = project.read_bytes()
    bad = tmp_path / "bad.jsonld"
    bad.write_text(content, encoding="utf-8")
    result = run("import", project, bad, expect=1)
    assert (
        result.stderr.startswith("skipped bad.jsonld: not valid JSON") and reason in result.stderr
    )
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert project.read_bytes() == before
