"""brat folders and the HTML report through the installed commands, on real files."""

from __future__ import annotations

import json
from pathlib import Path

import lxml.html

from .conftest import Run

TALKS = (
    "Peace talks resumed in Washington.\r\n"
    "Baku demanded a new constitution for Armenia.\r\n\r\n"
    "Հայաստան refused; Азербайджан insisted. 🇦🇲\r\n"
)
REPLY = "The ambassador says the constitution demand is coercion.\n"


def coded_project(run: Run, tmp_path: Path) -> Path:
    """A project made as an analyst would: texts imported, then a hand-written coding set."""
    project = tmp_path / "team.annotator"
    run("init", project, "--annotator", "Ani")
    texts = tmp_path / "texts"
    texts.mkdir()
    (texts / "talks.txt").write_bytes(TALKS.encode("utf-8"))
    (texts / "reply.txt").write_text(REPLY, encoding="utf-8")
    run("import", project, texts)
    lines = [
        {"kind": "span", "document": "talks", "quote": "Baku demanded a new constitution",
         "tags": ["Demands/Constitution"], "note": "the core demand"},
        {"kind": "span", "document": "talks", "quote": "Washington.\nBaku", "tags": ["Place"]},
        {"kind": "span", "document": "talks", "quote": "Հայաստան refused", "tags": ["Refusal"],
         "annotator": "Lusine"},
        {"kind": "span", "document": "reply", "quote": "constitution demand is coercion"},
        {"kind": "link", "from": {"document": "talks", "quote": "Washington.\nBaku"},
         "to": {"document": "talks", "quote": "Baku demanded a new constitution"},
         "type": "responds to"},
        {"kind": "link", "from": {"document": "reply", "quote": "constitution demand is coercion"},
         "to": {"document": "talks", "quote": "Baku demanded a new constitution"},
         "type": "contradicts"},
        {"kind": "stance", "document": "talks", "quote": "Baku demanded a new constitution",
         "target": "Constitutional change", "actor": "Government of Azerbaijan", "polarity": 2},
    ]  # fmt: skip
    coding = tmp_path / "coding.jsonl"
    coding.write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in lines), "utf-8")
    run("import", project, coding)
    return project


def spans_per_document(run: Run, project: Path) -> dict[str, int]:
    return {d["title"]: d["spans"] for d in json.loads(run("docs", project, "--json").stdout)}


def test_brat_folder_round_trip(run: Run, tmp_path: Path) -> None:
    project = coded_project(run, tmp_path)
    folder = tmp_path / "brat"
    exported = run("export", project, "-f", "brat", "-o", folder)
    assert "Wrote" in exported.stderr and "1 cross-document links left out" in exported.stderr
    assert sorted(p.name for p in folder.iterdir()) == [
        "README", "annotation.conf", "manifest.json", "reply.ann", "reply.txt", "talks.ann",
        "talks.txt", "visual.conf",
    ]  # fmt: skip
    assert (folder / "talks.txt").read_bytes() == TALKS.replace("\r\n", "\n").rstrip().encode()
    assert "1  links between passages of different documents" in (folder / "README").read_text()
    talks = (folder / "talks.ann").read_text(encoding="utf-8")
    assert "\tPlace 23 34;35 39\tWashington. Baku\n" in talks  # a passage over a line break

    copy = tmp_path / "copy.annotator"
    run("init", copy)
    result = run("import", copy, folder)
    assert "added: talks" in result.stdout and "added: reply" in result.stdout
    assert "talks.ann: " in result.stdout and "reply.ann: " in result.stdout
    assert "problem" not in result.stderr and "skipped" not in result.stderr
    assert (
        spans_per_document(run, copy)
        == spans_per_document(run, project)
        == {
            "reply": 1,
            "talks": 3,
        }
    )  # each document once, with its spans
    stats = json.loads(run("stats", copy, "--json").stdout)
    assert stats["links"] == 1 and stats["stances"] == 1
    assert stats["spans_per_annotator"] == {"Ani": 3, "Lusine": 1}

    again = run("import", copy, folder)
    assert "skipped talks.txt: same text as 'talks'" in again.stdout
    assert "talks.ann: nothing new" in again.stdout
    assert spans_per_document(run, copy) == {"reply": 1, "talks": 3}


def test_brat_files_that_cannot_be_read_are_reported(run: Run, tmp_path: Path) -> None:
    project = tmp_path / "team.annotator"
    run("init", project, "--annotator", "Ani")
    folder = tmp_path / "brat"
    folder.mkdir()
    (folder / "lonely.ann").write_text("T1\tClaim 0 4\tBaku\n", encoding="utf-8")
    (folder / "far.txt").write_text("Baku insists.", encoding="utf-8")
    (folder / "far.ann").write_text("T1\tClaim 0 400\tBaku\n", encoding="utf-8")
    result = run("import", project, folder, expect=1)
    assert "skipped lonely.ann: no lonely.txt beside it" in result.stderr
    assert "skipped far.ann line 1: T1 ends at 400, beyond the end of the text" in result.stderr
    assert spans_per_document(run, project) == {"far": 0}  # its text is a document all the same


def test_html_report_file_and_standard_output(run: Run, tmp_path: Path) -> None:
    project = coded_project(run, tmp_path)
    output = tmp_path / "report.html"
    result = run("export", project, "-f", "html", "-o", output)
    assert "Wrote" in result.stderr and "2 documents" in result.stderr
    page = lxml.html.document_fromstring(output.read_text(encoding="utf-8"))
    assert page.xpath("//h1")[0].text == "Report: team"
    assert len(page.xpath("//article")) == 2
    marked: dict[str, str] = {}
    for mark in page.xpath("//mark"):
        marked[mark.get("data-span")] = marked.get(mark.get("data-span"), "") + mark.text_content()
    assert sorted(marked.values()) == [
        "Baku demanded a new constitution",
        "Washington.\nBaku",
        "constitution demand is coercion",
        "Հայաստան refused",
    ]
    cell = page.xpath("//table[@class='stances']//td")[0].text_content()
    assert cell == "+2 strongly in favour × 1"
    piped = run("export", project, "-f", "html", "-o", "-", "--doc", "reply")
    only = lxml.html.document_fromstring(piped.stdout)
    assert [a.xpath("h2")[0].text for a in only.xpath("//article")] == ["reply"]


def test_brat_export_replaces_only_an_earlier_export(run: Run, tmp_path: Path) -> None:
    project = coded_project(run, tmp_path)
    folder = tmp_path / "brat"
    run("export", project, "-f", "brat", "-o", folder)
    (folder / "talks.ann").write_text("stale", encoding="utf-8")
    run("export", project, "-f", "brat", "-o", folder)  # an earlier export is replaced whole
    assert (folder / "talks.ann").read_text(encoding="utf-8") != "stale"

    theses = tmp_path / "theses"
    theses.mkdir()
    (theses / "chapter.docx").write_bytes(b"someone's work")
    refused = run("export", project, "-f", "brat", "-o", theses, expect=1)
    assert "not an earlier brat export" in refused.stderr and "Traceback" not in refused.stderr
    assert [p.name for p in theses.iterdir()] == ["chapter.docx"]
    assert (theses / "chapter.docx").read_bytes() == b"someone's work"

    empty = tmp_path / "empty"
    empty.mkdir()
    run("export", project, "-f", "brat", "-o", empty)
    assert (empty / "manifest.json").is_file()
    assert "is a folder" in run("export", project, "-f", "csv", "-o", empty, expect=1).stderr
    assert "is a file" in run("export", project, "-f", "brat", "-o", tmp_path / "coding.jsonl",
                              expect=1).stderr  # fmt: skip
