"""`annotator merge` and `annotator reanchor` as a user runs them."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

from annotator.core import ops
from annotator.core.store import Project

from .conftest import Run


def colleague_copy(run: Run, tmp_path: Path) -> tuple[Path, Path]:
    mine = tmp_path / "mine.annotator"
    run("init", mine, "--sample")
    theirs = tmp_path / "theirs.annotator"
    shutil.copy(mine, theirs)
    with Project.open(theirs) as project:
        lusine = ops.ensure_annotator(project, "Lusine").id
        doc = project.document_summaries()[0].id
        text = project.document_text(doc) or ""
        at = text.index("peace")
        ops.create_span(project, by=lusine, document_id=doc, start=at, end=at + 5)
        ops.create_tag(project, by=lusine, name="Zangezur coridor")
    with Project.open(mine) as project:
        ops.create_tag(
            project, by=ops.ensure_annotator(project, "Ani").id, name="Zangezur corridor"
        )
    return mine, theirs


def test_dry_run_reports_counts_and_changes_nothing(run: Run, tmp_path: Path) -> None:
    mine, theirs = colleague_copy(run, tmp_path)
    before = mine.read_bytes()
    report = json.loads(run("merge", mine, theirs, "--dry-run", "--json").stdout)
    for kind in ("spans", "tags", "annotators"):
        assert set(report["counts"][kind]) >= {
            "new",
            "updated",
            "unchanged",
            "conflicts",
            "reanchored",
            "orphaned",
        }
    assert report["counts"]["spans"]["new"] == 1 and not report["applied"]
    assert [s["their_name"] for s in report["similar_names"]] == ["Zangezur coridor"]
    assert mine.read_bytes() == before


def test_merge_applies_maps_similar_names_and_backs_up(run: Run, tmp_path: Path) -> None:
    mine, theirs = colleague_copy(run, tmp_path)
    out = run("merge", mine, theirs, "--map-similar").stdout
    assert "Backup of the project before the merge" in out and "spans" in out
    assert list(tmp_path.glob("mine.annotator.before-merge-*.bak"))
    stats = json.loads(run("stats", mine, "--json").stdout)
    assert stats["spans_per_annotator"].get("Lusine") == 1
    again = json.loads(run("merge", mine, theirs, "--json", "--map-similar").stdout)
    assert sum(c["new"] + c["updated"] for c in again["counts"].values()) == 0


def test_a_mapping_file_joins_names(run: Run, tmp_path: Path) -> None:
    mine, theirs = colleague_copy(run, tmp_path)
    mapping = tmp_path / "names.json"
    mapping.write_text(json.dumps({"Zangezur coridor": "Zangezur corridor"}), encoding="utf-8")
    report = json.loads(run("merge", mine, theirs, "--mapping", mapping, "--json").stdout)
    assert report["counts"]["tags"]["new"] == 0 and report["similar_names"] == []
    # Names in the file are matched as names are: case and spacing do not matter.
    mapping.write_text(json.dumps({" zangezur  CORIDOR": "ZANGEZUR corridor "}), encoding="utf-8")
    report = json.loads(run("merge", mine, theirs, "--mapping", mapping, "--json").stdout)
    assert report["counts"]["tags"]["new"] == 0 and report["similar_names"] == []
    mapping.write_text("[1, 2", encoding="utf-8")
    bad = run("merge", mine, theirs, "--mapping", mapping, expect=1)
    assert bad.stderr.startswith("Error:") and bad.stderr.count("\n") == 1


def test_bad_inputs_are_one_line_and_change_nothing(run: Run, tmp_path: Path) -> None:
    mine, _ = colleague_copy(run, tmp_path)
    before = mine.read_bytes()
    junk = tmp_path / "junk.annotator"
    junk.write_bytes(b"\x00binary" * 100)
    for other in (junk, mine, tmp_path / "missing.annotator"):
        result = run("merge", mine, other, expect=1)
        assert result.stderr.startswith("Error:") and result.stderr.count("\n") == 1
        assert "Traceback" not in result.stderr
    assert mine.read_bytes() == before


def test_reanchor_replaces_a_text_and_lists_orphans(run: Run, tmp_path: Path) -> None:
    project = tmp_path / "p.annotator"
    run("init", project)
    original = tmp_path / "talks.txt"
    original.write_text("Talks resumed in Geneva. The corridor is disputed.\n", encoding="utf-8")
    run("import", project, original)
    with Project.open(project) as opened:
        me = ops.ensure_annotator(opened, "Ani").id
        doc = opened.document_summaries()[0].id
        ops.create_span(opened, by=me, document_id=doc, start=14, end=23)  # "in Geneva"
        ops.create_span(opened, by=me, document_id=doc, start=29, end=37)  # "corridor"
    edited = tmp_path / "edited.txt"
    edited.write_text(
        "Preface.\r\nTalks resumed in Geneva. The road is disputed.\r\n", encoding="utf-8"
    )
    out = run("reanchor", project, "talks", edited).stdout
    assert "1 span(s) moved, 1 orphaned" in out
    with Project.open(project) as opened:
        text = opened.document_text(doc)
        quotes = {s.quote: (s.start, s.orphaned_at) for s in opened.spans_of_document(doc)}
    assert text is not None and text.startswith("Preface.\nTalks")
    assert text[quotes["in Geneva"][0] :].startswith("in Geneva")
    assert quotes["corridor"][1] is not None
    listed = run("orphans", project)
    assert "talks: 'corridor'" in listed.stdout and "1 orphaned annotation(s)" in listed.stdout
    assert [o["quote"] for o in json.loads(run("orphans", project, "--json").stdout)] == [
        "corridor"
    ]
    bad = run("reanchor", project, "talks", tmp_path / "p.annotator", expect=1)
    assert bad.stderr.count("\n") == 1


def test_every_kind_is_counted_and_similar_people_stay_two(run: Run, tmp_path: Path) -> None:
    mine, theirs = colleague_copy(run, tmp_path)
    with Project.open(mine) as project:
        ops.ensure_annotator(project, "Lusine Hakobyan")
    with Project.open(theirs) as project:
        ops.ensure_annotator(project, "Lusine Hakobian")
    report = json.loads(run("merge", mine, theirs, "--map-similar", "--json").stdout)
    assert {"stances", "links", "conflicts", "span_tags"} <= set(report["counts"])
    assert report["counts"]["stances"]["new"] == 0
    assert not any(n["table"] == "annotators" and n["their_name"] == "Lusine Hakobian"
                   for n in report["matched_by_name"])  # fmt: skip
    with Project.open(mine) as project:
        names = {a["name"] for a in project.all_rows("annotators")}
    assert {"Lusine Hakobyan", "Lusine Hakobian"} <= names


def test_a_mapping_entry_that_names_nothing_stops_the_merge(run: Run, tmp_path: Path) -> None:
    mine, theirs = colleague_copy(run, tmp_path)
    before = mine.read_bytes()
    mapping = tmp_path / "names.json"
    mapping.write_text(json.dumps({"Zangezur cordor": "Zangezur corridor"}), encoding="utf-8")
    refused = run("merge", mine, theirs, "--mapping", mapping, expect=1)
    assert "names nothing" in refused.stderr and "'Zangezur cordor'" in refused.stderr
    assert refused.stderr.count("\n") == 1 and mine.read_bytes() == before
    assert not list(tmp_path.glob("*.bak"))  # a refused merge leaves no backup behind


def test_refusals_and_dry_runs_never_upgrade_an_older_file(run: Run, tmp_path: Path) -> None:
    from tests.core.sample import version_1_file

    mine = version_1_file(tmp_path / "old.annotator")
    theirs = tmp_path / "theirs.annotator"
    run("init", theirs, "--sample")
    before = mine.read_bytes()
    junk = tmp_path / "junk.annotator"
    junk.write_text("not a project", encoding="utf-8")
    run("merge", mine, junk, expect=1)
    report = json.loads(run("merge", mine, theirs, "--dry-run", "--json").stdout)
    assert report["mine"] == str(mine) and report["counts"]["documents"]["new"] == 2
    assert mine.read_bytes() == before and not list(tmp_path.glob("*.bak"))
    # Whole-file checks of THEIRS come before MINE is opened: a bad THEIRS never upgrades it.
    cyclic = tmp_path / "cyclic.annotator"
    shutil.copy(theirs, cyclic)
    conn = sqlite3.connect(cyclic)
    (child, parent) = conn.execute(
        "SELECT id, parent_id FROM tags WHERE parent_id IS NOT NULL"
    ).fetchone()
    conn.execute("UPDATE tags SET parent_id = ? WHERE id = ?", [child, parent])
    conn.commit()
    conn.close()
    refused = run("merge", mine, cyclic, expect=1)
    assert f"{cyclic}: not a valid project" in refused.stderr
    assert "its own ancestor" in refused.stderr and refused.stderr.count("\n") == 1
    assert mine.read_bytes() == before and not list(tmp_path.glob("*.bak"))


def test_reanchor_refuses_a_text_that_would_orphan_everything(run: Run, tmp_path: Path) -> None:
    project = tmp_path / "p.annotator"
    run("init", project, "--sample")
    with Project.open(project) as opened:
        doc = opened.document_summaries()[0]
        me = ops.ensure_annotator(opened, "Ani").id
        for start in (10, 40, 70):
            ops.create_span(opened, by=me, document_id=doc.id, start=start, end=start + 12)
        spans = len(opened.spans_of_document(doc.id))
    wrong = tmp_path / "shopping.txt"
    wrong.write_text("Bread, milk, three onions and a bag of rice.\n", encoding="utf-8")
    before = project.read_bytes()
    refused = run("reanchor", project, doc.id, wrong, expect=1)
    assert f"none of the document's {spans} annotations" in refused.stderr
    assert refused.stderr.count("\n") == 1 and project.read_bytes() == before
    forced = run("reanchor", project, doc.id, wrong, "--force")
    assert f"0 span(s) moved, {spans} orphaned" in forced.stdout


def test_conflicts_are_listed_until_reviewed(run: Run, tmp_path: Path) -> None:
    mine, theirs = colleague_copy(run, tmp_path)
    for path, who, note in ((mine, "Ani", "mine"), (theirs, "Lusine", "theirs, later")):
        with Project.open(path) as project:
            tag = next(t for t in project.all_rows("tags") if t["name"] == "Constitution demand")
            ops.update_tag(project, by=ops.ensure_annotator(project, who).id, tag_id=tag["id"],
                           description=note)  # fmt: skip
    run("merge", mine, theirs)
    listed = run("conflicts", mine).stdout
    assert "tags 'Constitution demand' (from theirs.annotator): changed on both sides" in listed
    [entry] = json.loads(run("conflicts", mine, "--json").stdout)
    assert (entry["kept"]["description"], entry["lost"]["description"]) == ("theirs, later", "mine")
