"""Importing a folder of Word files, PDFs and saved pages: one line per skipped file."""

from __future__ import annotations

import csv
import json
import sqlite3
from pathlib import Path

from annotator.core import ops
from annotator.core.store import Project
from tests.core.document_fixtures import NO_TEXT, pdf_bytes, write_docx, write_pdf

from .conftest import Run

PAGES = [
    ["The draft agreement was initialled in March."],
    ["Observers were less sure about the border question."],
    ["A joint commission will meet again in the autumn."],
]
ARTICLE = "".join(
    f"<p>{point} point: the commission met again and discussed the border in detail.</p>"
    for point in ("First", "Second", "Third", "Fourth")
)


def build_folder(folder: Path) -> None:
    write_pdf(folder / "talks.pdf", PAGES, info={"Title": "Talks resume"})
    write_docx(folder / "brief.docx", ["Briefing: Հայաստան, Россия 🕊️."], title="Briefing note")
    write_pdf(folder / "scan.pdf", [NO_TEXT, NO_TEXT])
    (folder / "cut.pdf").write_bytes(pdf_bytes(PAGES)[:400])
    (folder / "old.docx").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(1024))
    page = f"<html><head><title>Saved page</title></head><body><article>{ARTICLE}</article>"
    (folder / "saved.html").write_text(page + "</body></html>", encoding="utf-8")
    (folder / "saved_files").mkdir()
    (folder / "saved_files" / "ad.html").write_text(page.replace("First", "Ad"), "utf-8")


def test_a_folder_imports_the_good_files_and_reports_each_bad_one(run: Run, tmp_path: Path) -> None:
    project = tmp_path / "p.annotator"
    run("init", project)
    build_folder(tmp_path / "in")
    result = run("import", project, tmp_path / "in", expect=1)
    assert sorted(result.stdout.splitlines()) == [
        "added: brief.docx (Briefing note)",
        "added: saved.html (Saved page)",
        "added: talks.pdf (Talks resume)",
    ]
    skipped = sorted(result.stderr.splitlines())
    assert len(skipped) == 3, result.stderr  # nothing else: no library warnings, no traceback
    assert skipped[0].startswith("skipped cut.pdf: damaged or incomplete PDF (")
    assert skipped[1].startswith("skipped old.docx: an old Word (.doc) file")
    assert skipped[2] == "skipped scan.pdf: no text layer (a scanned PDF?); run OCR first"
    listed = json.loads(run("docs", project, "--json").stdout)
    assert sorted(d["title"] for d in listed) == ["Briefing note", "Saved page", "Talks resume"]


def test_pages_are_stored_and_exported_with_each_span(run: Run, tmp_path: Path) -> None:
    project = tmp_path / "p.annotator"
    run("init", project)
    write_pdf(tmp_path / "talks.pdf", [PAGES[0], NO_TEXT, *PAGES[1:]])
    run("import", project, tmp_path / "talks.pdf")
    with sqlite3.connect(project) as conn:
        document_id, text, pages = conn.execute("SELECT id, text, pages FROM documents").fetchone()
    assert json.loads(pages) == [0, 46, 46, 99] and text[46:54] == "Observer"
    with Project.open(project) as opened:
        me = ops.ensure_annotator(opened, "Ani").id
        for quote in ("initialled in March", "border question", "joint commission"):
            start = text.index(quote)
            ops.create_span(
                opened, by=me, document_id=document_id, start=start, end=start + len(quote)
            )
    out = tmp_path / "coding.csv"
    run("export", project, "-f", "csv", "-o", out)
    with out.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert {row["quote"]: row["page"] for row in rows} == {
        "initialled in March": "1",
        "border question": "3",
        "joint commission": "4",
    }
    assert all(text[int(r["start"]) : int(r["end"])] == r["quote"] for r in rows)


def test_files_of_other_types_in_a_folder_are_named_as_skipped(run: Run, tmp_path: Path) -> None:
    project = tmp_path / "p.annotator"
    run("init", project)
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "speech.md").write_text("# The minister's speech\n\nPeace is near.", "utf-8")
    (folder / "photo.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    (folder / "notes.odt").write_bytes(b"PK\x03\x04")
    (folder / "manifest.json").write_text('{"documents": {}}', "utf-8")
    result = run("import", project, folder, expect=1)
    assert result.stdout.splitlines() == ["added: speech.md (The minister's speech)"]
    unsupported = "not a supported document type (.txt, .md, .html, .docx, .pdf)"
    assert sorted(result.stderr.splitlines()) == [
        f"skipped notes.odt: {unsupported}",
        f"skipped photo.png: {unsupported}",
    ]
