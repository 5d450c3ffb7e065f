"""The commands end to end, on real files, as an analyst would type them."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from pathlib import Path

import pytest

from .conftest import Run

ARTICLE = "Peace talks resumed in Washington.\r\nBaku demanded a new constitution for Armenia.\r\n"


def test_first_run_creates_default_project_from_sample(run: Run, tmp_path: Path) -> None:
    first = run("info")
    assert "Created your default project" in first.stdout
    assert (tmp_path / "data" / "default.annotator").exists()
    assert "documents: 2" in first.stdout and "tags: 25" in first.stdout
    second = run("info")
    assert "Created" not in second.stdout and "documents: 2" in second.stdout


def test_init_import_docs_stats_export(run: Run, tmp_path: Path) -> None:
    project = tmp_path / "team.annotator"
    run("init", project, "--annotator", "Ani")
    (tmp_path / "texts").mkdir()
    (tmp_path / "texts" / "talks.txt").write_bytes(ARTICLE.encode("utf-16"))
    (tmp_path / "texts" / "copy.txt").write_bytes(ARTICLE.encode("utf-8-sig"))
    imported = run("import", project, tmp_path / "texts")
    assert "added: copy.txt (copy)" in imported.stdout  # files import in name order
    assert "skipped talks.txt: same text as 'copy'" in imported.stdout
    set_file = tmp_path / "coding.jsonl"
    set_file.write_text(
        "\n".join(
            json.dumps(line, ensure_ascii=False)
            for line in [
                {
                    "kind": "span",
                    "document": "copy",
                    "quote": "Baku demanded a new constitution",
                    "tags": ["Constitution demand"],
                },
                {
                    "kind": "stance",
                    "document": "copy",
                    "quote": "Baku demanded a new constitution",
                    "target": "Constitutional change",
                    "actor": "Government of Azerbaijan",
                    "polarity": 2,
                },
            ]
        ),
        encoding="utf-8",
    )
    result = run("import", project, set_file)
    assert "coding.jsonl" in result.stdout
    docs = json.loads(run("docs", project, "--json").stdout)
    assert [d["title"] for d in docs] == ["copy"] and docs[0]["spans"] == 1
    stats = json.loads(run("stats", project, "--json").stdout)
    for key in ("documents", "tags", "spans", "stances", "links", "annotators"):
        assert key in stats
    assert stats["spans"] == 1 and stats["stances"] == 1
    assert stats["spans_per_annotator"] == {"Ani": 1}
    assert stats["spans_per_tag"] == {"Constitution demand": 1}

    out = tmp_path / "out.csv"
    run("export", project, "-f", "csv", "-o", out, "--tag", "Constitution demand")
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8-sig"), newline="")))
    assert rows[0]["quote"] == "Baku demanded a new constitution"
    assert rows[0]["stance_actor"] == "Government of Azerbaijan"
    jsonl = run("export", project, "-f", "jsonl", "-o", "-", "--with-text").stdout
    kinds = [json.loads(line)["kind"] for line in jsonl.splitlines()]
    assert kinds[0] == "set" and {"span", "stance", "document"} <= set(kinds)
    on_target = tmp_path / "target.csv"
    run("export", project, "-f", "csv", "-o", on_target, "--target", "Constitutional change")
    assert "Baku demanded" in on_target.read_text(encoding="utf-8-sig")
    run("export", project, "-f", "csv", "-o", on_target, "--since", "2999-01-01")
    assert len(on_target.read_text(encoding="utf-8-sig").splitlines()) == 1  # the header alone
    refused = run("export", project, "-f", "csv", "-o", on_target, "--until", "soon", expect=1)
    assert refused.stderr.count("\n") == 1 and "not a date" in refused.stderr


def test_export_round_trips_through_a_new_project(run: Run, tmp_path: Path) -> None:
    first = tmp_path / "first.annotator"
    run("init", first, "--sample")
    exported = tmp_path / "all.jsonl"
    run("export", first, "-f", "jsonl", "-o", exported, "--with-text")
    second = tmp_path / "second.annotator"
    run("init", second)
    run("import", second, exported)
    again = tmp_path / "again.jsonl"
    run("export", second, "-f", "jsonl", "-o", again, "--with-text")
    body = lambda p: p.read_text(encoding="utf-8").splitlines()[1:]  # noqa: E731
    assert body(again) == body(exported)


def corrupt_file(path: Path) -> None:
    path.write_bytes(b"SQLite format 3\x00" + b"\x00" * 84 + b"garbage" * 500)


def foreign_file(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    conn.close()


def newer_file(run: Run, path: Path) -> None:
    run("init", path)
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA user_version = 999")
    conn.commit()
    conn.close()


@pytest.mark.parametrize("kind", ["corrupt", "foreign", "newer", "text", "missing"])
def test_bad_project_files_are_refused_in_one_line(run: Run, tmp_path: Path, kind: str) -> None:
    path = tmp_path / "bad.annotator"
    if kind == "corrupt":
        corrupt_file(path)
    elif kind == "foreign":
        foreign_file(path)
    elif kind == "newer":
        newer_file(run, path)
    elif kind == "text":
        path.write_text("hello")
    before = path.read_bytes() if path.exists() else None
    result = run("stats", path, expect=1)
    assert result.stderr.startswith("Error: ") and result.stderr.count("\n") == 1
    assert "Traceback" not in result.stderr and result.stdout == ""
    assert (path.read_bytes() if path.exists() else None) == before


def test_bad_inputs_report_and_keep_the_good_ones(run: Run, tmp_path: Path) -> None:
    project = tmp_path / "p.annotator"
    run("init", project)
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.txt").write_text(
        "A perfectly fine article about the corridor.", encoding="utf-8"
    )
    (folder / "empty.txt").write_text("", encoding="utf-8")
    (folder / "binary.txt").write_bytes(bytes(range(256)) * 40)
    bad_set = tmp_path / "broken.jsonl"
    bad_set.write_text('{"kind": "tag", "name": "x"}\n{oops\n', encoding="utf-8")
    result = run("import", project, folder, bad_set, expect=1)
    assert "added: good.txt (good)" in result.stdout
    assert "empty.txt" in result.stderr and "binary.txt" in result.stderr
    assert "broken.jsonl line 2" in result.stderr and "Traceback" not in result.stderr
    stats = json.loads(run("stats", project, "--json").stdout)
    assert stats["documents"] == 1 and stats["tags"] == 0


def test_usage_errors_exit_2_and_verbose_shows_traceback(run: Run, tmp_path: Path) -> None:
    assert run("export", tmp_path / "x.annotator", "-f", "pdf", "-o", "x", expect=2).returncode == 2
    result = run("--verbose", "stats", tmp_path / "missing.annotator", expect=1)
    assert "Traceback" in result.stderr


def test_unknown_filter_names_are_errors(run: Run, tmp_path: Path) -> None:
    project = tmp_path / "p.annotator"
    run("init", project, "--sample")
    result = run(
        "export", project, "-f", "csv", "-o", tmp_path / "x.csv", "--tag", "No such tag", expect=1
    )
    assert "No such tag" in result.stderr
    assert not (tmp_path / "x.csv").exists()


def test_a_reader_that_stops_early_is_not_an_error(run: Run, tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    project = tmp_path / "p.annotator"
    run("init", project)
    big = tmp_path / "long.txt"  # larger than any pipe buffer, so the writer must meet the close
    big.write_text("Peace talks resumed in Washington. " * 30_000, encoding="utf-8")
    run("import", project, big)
    env = os.environ | {"ANNOTATOR_DATA_DIR": str(tmp_path / "data")}
    export = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "annotator",
            "export",
            str(project),
            "-f",
            "jsonl",
            "-o",
            "-",
            "--with-text",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    )
    assert export.stdout is not None
    export.stdout.readline()
    export.stdout.close()  # like `| head -1`
    assert export.wait(timeout=60) == 0
    assert b"Error" not in export.stderr.read()


def test_an_imported_new_text_reports_the_annotations_it_moved(run: Run, tmp_path: Path) -> None:
    project = tmp_path / "p.annotator"
    run("init", project, "--annotator", "Ani")
    (tmp_path / "talks.txt").write_text("The talks resumed in March.", encoding="utf-8")
    run("import", project, tmp_path / "talks.txt")
    (document,) = json.loads(run("docs", project, "--json").stdout)
    first = tmp_path / "first.jsonl"
    span = {"kind": "span", "document": "talks", "quote": "resumed"}
    first.write_text(json.dumps(span), encoding="utf-8")
    run("import", project, first)
    second = tmp_path / "second.jsonl"
    text = "After a pause, the talks resumed in March."
    second.write_text(json.dumps({"kind": "document", "id": document["id"], "text": text}), "utf-8")
    result = run("import", project, second)
    assert "text replaced: 'talks': 1 moved, 0 orphaned" in result.stdout
