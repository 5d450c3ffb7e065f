"""Merging a colleague's project: matching, the rules, re-anchoring, safety."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from annotator.core import ops
from annotator.core.merge import MergeOptions, merge_projects
from annotator.core.merge.references import REFERENCES, TABLES
from annotator.core.model import Conflict, Span, Tag
from annotator.core.store import Project, ProjectError
from annotator.core.store import schema as store_schema

from .sample import ARTICLE, REBUTTAL, Sample, snapshot, version_1_file


def hand_out(sample: Sample, tmp_path: Path, name: str = "theirs.annotator") -> Project:
    """A colleague's copy of the project, as handed out (the SQLite backup API copies it)."""
    path = tmp_path / name
    dest = sqlite3.connect(path)
    sample.project.db.conn.backup(dest)
    dest.close()
    return Project.open(path)


def both_describe_the_tag(sample: Sample, tmp_path: Path, their_description: str) -> Project:
    """A colleague's copy; then I describe the shared tag as "mine", and they, after me, as
    ``their_description``."""
    theirs = hand_out(sample, tmp_path)
    ops.update_tag(sample.project, by=sample.me, tag_id=sample.tag, description="mine")
    ops.update_tag(theirs, by=sample.colleague, tag_id=sample.tag, description=their_description)
    return theirs


def merge(mine: Project, theirs: Project | Path, **options) -> object:
    path = theirs.path if isinstance(theirs, Project) else theirs
    if isinstance(theirs, Project):
        theirs.close()
    me = ops.ensure_annotator(mine, "Ani").id
    return merge_projects(mine, path, by=me, apply=True, options=MergeOptions(**options)).report


def test_a_colleagues_new_work_comes_in_attributed_and_twins_stay_two(
    sample: Sample, tmp_path: Path
) -> None:
    theirs = hand_out(sample, tmp_path)
    lusine = sample.colleague
    start = ARTICLE.index("Zangezur corridor")
    for project, who in ((theirs, lusine), (sample.project, sample.me)):
        ops.create_span(
            project, by=who, document_id=sample.article, start=start, end=start + 17,
            tags=[sample.tag],
        )  # fmt: skip
    report = merge(sample.project, theirs)
    assert report.counts["spans"]["new"] == 1 and report.counts["spans"]["unchanged"] == 2
    assert report.total("conflicts") == 0
    twins = [s for s in sample.project.records(Span) if s.quote == "Zangezur corridor"]
    assert sorted(s.created_by for s in twins) == sorted([lusine, sample.me])
    assert Path(report.backup).exists()


def test_both_changed_the_later_wins_and_the_other_is_logged_once(
    sample: Sample, tmp_path: Path
) -> None:
    theirs = both_describe_the_tag(sample, tmp_path, "theirs, later")
    report = merge(sample.project, theirs)
    assert sample.project.require(Tag, sample.tag).description == "theirs, later"
    assert report.counts["tags"]["conflicts"] == 1 and report.conflicts[0].kept == "theirs"
    (logged,) = sample.project.records(Conflict)
    assert json.loads(logged.lost)["description"] == "mine"
    before = snapshot(sample.project)
    again = merge(sample.project, tmp_path / "theirs.annotator")
    assert snapshot(sample.project) == before
    assert again.total("new") == 0 and again.total("updated") == 0


def test_a_deletion_carries_unless_the_other_side_edited_later(
    sample: Sample, tmp_path: Path
) -> None:
    theirs = hand_out(sample, tmp_path)
    ops.delete_span(theirs, by=sample.colleague, span_id=sample.other_span)  # deleted there
    ops.delete_span(sample.project, by=sample.me, span_id=sample.span)  # deleted here, first
    ops.update_span(theirs, by=sample.colleague, span_id=sample.span, note="edited after")
    report = merge(sample.project, theirs)
    assert not sample.project.get(Span, sample.other_span).live  # the deletion came in
    kept = sample.project.require(Span, sample.span)
    assert kept.live and kept.note == "edited after"  # the later edit beat the deletion
    assert report.counts["spans"]["conflicts"] == 1
    logged = {c.record_table: c for c in sample.project.records(Conflict)}
    assert json.loads(logged["spans"].lost)["deleted_at"] is not None
    # its tag, deleted with it here, came back with it (and the log says so)
    assert "deleted with a record whose deletion lost" in logged["span_tags"].reason
    assert [t.tag_id for t in sample.project.live_span_tags(span_id=sample.span)] == [sample.tag]


def test_names_match_by_normalised_name_and_similar_ones_are_offered(
    sample: Sample, tmp_path: Path
) -> None:
    theirs = hand_out(sample, tmp_path)
    mine_tag = ops.create_tag(sample.project, by=sample.me, name="Zangezur Corridor")
    mine_id = mine_tag.created("tags")[0]
    same = ops.create_tag(theirs, by=sample.colleague, name="zangezur  corridor").created("tags")[0]
    typo = ops.create_tag(theirs, by=sample.colleague, name="Zangezur coridor").created("tags")[0]
    ops.tag_span(theirs, by=sample.colleague, span_id=sample.span, tag_id=same)
    ops.tag_span(theirs, by=sample.colleague, span_id=sample.other_span, tag_id=typo)
    theirs.close()
    path = tmp_path / "theirs.annotator"
    me = sample.me
    dry = merge_projects(sample.project, path, by=me, apply=False).report
    assert [(n.their_id, n.my_id) for n in dry.names if n.table == "tags"] == [(same, mine_id)]
    assert [(n.their_id, n.my_id) for n in dry.similar] == [(typo, mine_id)]
    report = merge(sample.project, path, names={typo: mine_id})
    assert sample.project.get(Tag, same) is None and sample.project.get(Tag, typo) is None
    tagged = {s for s, t, gone in sample.project.span_tag_rows() if t == mine_id and not gone}
    assert tagged == {sample.span, sample.other_span}
    assert report.counts["tags"]["new"] == 0


def test_a_similar_tag_placed_elsewhere_is_offered_but_not_one_under_another_parent(
    sample: Sample, tmp_path: Path
) -> None:
    theirs = hand_out(sample, tmp_path)
    framing = ops.create_tag(sample.project, by=sample.me, name="Framing").created("tags")[0]
    nested = ops.create_tag(sample.project, by=sample.me, name="Power asymmetry", parent_id=framing)
    other = ops.create_tag(sample.project, by=sample.me, name="Other", parent_id=framing)
    top = ops.create_tag(theirs, by=sample.colleague, name="Power asymetry").created("tags")[0]
    rhetoric = ops.create_tag(theirs, by=sample.colleague, name="Rhetoric").created("tags")[0]
    ops.create_tag(theirs, by=sample.colleague, name="Others", parent_id=rhetoric)
    theirs.close()
    dry = merge_projects(sample.project, tmp_path / "theirs.annotator", by=sample.me, apply=False)
    offered = [(n.their_id, n.my_id) for n in dry.report.similar if n.table == "tags"]
    assert offered == [(top, nested.created("tags")[0])]
    assert other.created("tags")[0] not in {my for _, my in offered}


def test_a_slightly_different_text_matches_and_spans_move_or_become_orphans(
    sample: Sample, tmp_path: Path
) -> None:
    theirs_path = tmp_path / "theirs.annotator"
    with Project.create(theirs_path) as theirs:
        lusine = ops.ensure_annotator(theirs, "Lusine").id
        ops.initialise_settings(theirs)
        # Their import of the same article: other spacing, a word changed, a word added.
        text = ARTICLE.replace("agreed on", "agreed  on").replace("hardest", "toughest")
        text += " Oslo."
        doc = ops.add_document(theirs, by=lusine, title="Illusion", text=text).document
        start = text.index("victor’s peace")
        moved = ops.create_span(theirs, by=lusine, document_id=doc.id, start=start, end=start + 14)
        start = text.index("toughest question")
        lost = ops.create_span(theirs, by=lusine, document_id=doc.id, start=start, end=start + 17)
        start = text.index("Oslo.")
        gone = ops.create_span(theirs, by=lusine, document_id=doc.id, start=start, end=start + 5)
    report = merge(sample.project, theirs_path)
    (match,) = [m for m in report.documents if m.how == "fuzzy"]
    assert match.my_id == sample.article and match.score >= 95 and match.text_differs
    moved_id = moved.created("spans")[0]
    carried = sample.project.require(Span, moved_id)
    assert carried.document_id == sample.article
    assert ARTICLE[carried.start : carried.end] == "victor’s peace" and carried.orphaned_at is None
    by_id = {m.span_id: m for m in report.moved}
    assert by_id[moved_id].method in ("exact", "fuzzy") and by_id[moved_id].score > 0.85
    for orphan_id in (gone.created("spans")[0],):
        orphan = sample.project.require(Span, orphan_id)
        assert orphan.orphaned_at is not None and by_id[orphan_id].method == "orphaned"
    assert report.counts["spans"]["reanchored"] >= 1 and report.counts["spans"]["orphaned"] >= 1
    del lost
    # Their near-identical text is kept in the log; the document keeps this project's text.
    (note,) = [c for c in report.conflicts if c.table == "documents"]
    assert note.kept == "mine" and note.record_id == sample.article
    logged = [c for c in sample.project.records(Conflict) if c.record_table == "documents"]
    assert json.loads(logged[0].lost)["text"].endswith("Oslo.")
    assert sample.project.document_text(sample.article) == ARTICLE


def test_a_dry_run_and_a_cancel_change_nothing(sample: Sample, tmp_path: Path) -> None:
    theirs = hand_out(sample, tmp_path)
    ops.create_tag(theirs, by=sample.colleague, name="New theme")
    theirs.close()
    before = snapshot(sample.project)
    dry = merge_projects(sample.project, theirs.path, by=sample.me, apply=False).report
    assert dry.counts["tags"]["new"] == 1 and not dry.applied
    assert snapshot(sample.project) == before

    def cancel(done: int, total: int) -> None:
        if done:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        merge_projects(sample.project, theirs.path, by=sample.me, apply=True, progress=cancel)
    assert snapshot(sample.project) == before


def newer_file(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {store_schema.SCHEMA_VERSION + 1}")
    conn.close()


def trojan_file(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TRIGGER t AFTER INSERT ON tags BEGIN DELETE FROM spans; END")
    conn.close()


def garbled_aliases(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("UPDATE actors SET aliases = '{not json'")
    conn.commit()
    conn.close()


@pytest.mark.parametrize(
    ("spoil", "message"),
    [
        (garbled_aliases, "aliases is not what Annotator writes"),
        (lambda p: p.write_bytes(b"not a database at all"), "not an Annotator project"),
        (
            lambda p: p.write_bytes(b"SQLite format 3\x00" + b"\x00" * 84 + b"junk" * 900),
            "damaged|not an Annotator project",
        ),
        (newer_file, "newer Annotator"),
        (trojan_file, "unexpected schema"),
    ],
)
def test_bad_files_are_refused_and_mine_is_untouched(
    sample: Sample, tmp_path: Path, spoil, message: str
) -> None:
    theirs = hand_out(sample, tmp_path)
    theirs.close()
    spoil(theirs.path)
    before = snapshot(sample.project)
    with pytest.raises(ProjectError, match=message):
        merge(sample.project, theirs.path)
    assert snapshot(sample.project) == before
    assert not list(tmp_path.glob("*.before-merge-*.bak"))


def test_mine_itself_is_refused(sample: Sample) -> None:
    with pytest.raises(ProjectError, match="open project itself"):
        merge(sample.project, sample.project.path)


def test_an_older_schema_merges_with_defaults(sample: Sample, tmp_path: Path) -> None:
    path = version_1_file(
        tmp_path / "old.annotator",
        (
            "INSERT INTO annotators VALUES (?, NULL, ?, ?, NULL, 'Lusine')",
            ["0d9e5c1a-3b0a-4f7e-9d10-2c3d4e5f6a7b", "2026-01-01T00:00:00.000Z"] * 1
            + ["2026-01-01T00:00:00.000Z"],
        ),
    )
    report = merge(sample.project, path)
    assert report.counts["annotators"]["new"] == 1  # "Lusine" here may be another Lusine
    (offered,) = [n for n in report.similar if n.table == "annotators"]
    assert offered.their_name == offered.my_name == "Lusine" and offered.score == 100
    assert path.read_bytes()[:16] == b"SQLite format 3\x00"


def test_replacing_a_text_carries_spans_and_orphans_what_is_gone(sample: Sample) -> None:
    project = sample.project
    before = snapshot(project)
    new_text = ARTICLE.replace(
        "Critics call it a victor’s peace.", "Critics, again, call it a victor’s peace."
    )
    new_text = new_text.replace("Zangezur corridor", "route")
    start = ARTICLE.index("Zangezur corridor")
    created = ops.create_span(
        project, by=sample.me, document_id=sample.article, start=start, end=start + 17
    )
    doomed = created.created("spans")[0]
    result = ops.replace_document_text(
        project, by=sample.me, document_id=sample.article, text=new_text
    )
    span = project.require(Span, sample.span)
    assert new_text[span.start : span.end] == "victor’s peace" and span.start > 0
    orphan = project.require(Span, doomed)
    assert orphan.orphaned_at is not None and orphan.quote == "Zangezur corridor"
    assert {m.row["id"]: m.method for m in result.moved}[doomed] == "orphaned"
    at = new_text.index("route")
    placed = ops.place_orphan(project, by=sample.me, span_id=doomed, start=at, end=at + 5)
    anchored = project.require(Span, doomed)
    assert anchored.orphaned_at is None and anchored.quote == "route"
    for change in (placed, result.changes, created):
        ops.undo(project, change)
    assert snapshot(project) == before


def test_a_name_mapped_record_keeps_mine_and_logs_theirs_without_clashing(
    sample: Sample, tmp_path: Path
) -> None:
    # Both edit the shared tag (a conflict on its id), and they also have a near-duplicate of it
    # that the analyst maps onto it: two of their rows now speak for one of mine.
    theirs = both_describe_the_tag(sample, tmp_path, "theirs")
    twin = ops.create_tag(theirs, by=sample.colleague, name="Peace processes", colour="#000000")
    twin_id = twin.created("tags")[0]
    ops.tag_span(theirs, by=sample.colleague, span_id=sample.other_span, tag_id=twin_id)
    report = merge(sample.project, theirs, names={twin_id: sample.tag})
    tag = sample.project.require(Tag, sample.tag)
    assert tag.name == "Peace process" and tag.colour == "#aabbcc"
    assert sample.project.get(Tag, twin_id) is None
    lost = [json.loads(c.lost) for c in sample.project.records(Conflict)]
    assert {"Peace processes", "Peace process"} <= {row["name"] for row in lost}
    assert report.counts["tags"]["conflicts"] == 2
    tagged = {s for s, t, gone in sample.project.span_tag_rows() if t == sample.tag and not gone}
    assert sample.other_span in tagged


def test_every_table_merges_after_the_tables_it_names() -> None:
    order = {table: n for n, table in enumerate(TABLES)}
    for table, columns in REFERENCES.items():
        for named in set(columns.values()) - {table}:  # a tag's parent is read with the tags
            assert order[named] < order[table], (table, named)


def test_their_later_text_replaces_mine_and_my_spans_are_carried_into_it(
    sample: Sample, tmp_path: Path
) -> None:
    theirs = hand_out(sample, tmp_path)
    ops.update_document(theirs, by=sample.colleague, document_id=sample.rebuttal, title="Reply")
    new_text = "A preface.\n\n" + REBUTTAL.replace("coercion", "pressure")
    ops.replace_document_text(
        theirs, by=sample.colleague, document_id=sample.rebuttal, text=new_text
    )
    theirs.close()
    gone = REBUTTAL.index("coercion")
    mine = ops.create_span(
        sample.project, by=sample.me, document_id=sample.rebuttal, start=gone, end=gone + 8
    ).created("spans")[0]
    report = merge(sample.project, tmp_path / "theirs.annotator")
    assert report.counts["documents"]["updated"] == 1 and report.total("conflicts") == 0
    assert sample.project.document_text(sample.rebuttal) == new_text
    assert {d.title for d in sample.project.document_summaries()} >= {"Reply"}
    span = sample.project.require(Span, sample.other_span)
    assert new_text[span.start : span.end] == "constitution demand"
    assert sample.project.require(Span, mine).orphaned_at is not None
    assert {m.span_id: m.method for m in report.moved}[mine] == "orphaned"
    assert report.counts["spans"]["orphaned"] == 1


def test_my_later_text_is_kept_their_earlier_one_logged_and_a_second_merge_is_silent(
    sample: Sample, tmp_path: Path
) -> None:
    theirs = hand_out(sample, tmp_path)
    their_text = "A preface.\n\n" + REBUTTAL
    ops.replace_document_text(
        theirs, by=sample.colleague, document_id=sample.rebuttal, text=their_text
    )
    gone = their_text.index("preface")
    theirs_only = ops.create_span(
        theirs, by=sample.colleague, document_id=sample.rebuttal, start=gone, end=gone + 7
    ).created("spans")[0]
    theirs.close()
    my_text = REBUTTAL + "\n\nA closing line."
    ops.replace_document_text(
        sample.project, by=sample.me, document_id=sample.rebuttal, text=my_text
    )
    report = merge(sample.project, tmp_path / "theirs.annotator")
    assert sample.project.document_text(sample.rebuttal) == my_text
    assert report.counts["documents"]["conflicts"] == 1
    (note,) = report.conflicts
    assert note.kept == "mine" and "texts differ" in note.reason
    logged = [json.loads(c.lost) for c in sample.project.records(Conflict)]
    assert any(row.get("text") == their_text for row in logged)
    orphan = sample.project.require(Span, theirs_only)
    assert orphan.orphaned_at is not None and orphan.quote == "preface"
    before = snapshot(sample.project)
    again = merge(sample.project, tmp_path / "theirs.annotator")
    assert snapshot(sample.project) == before
    assert again.moved == [] and again.conflicts == []
    assert again.total("new") == again.total("updated") == again.total("conflicts") == 0


def test_their_later_text_replacement_does_not_outrank_my_earlier_note(
    sample: Sample, tmp_path: Path
) -> None:
    theirs = hand_out(sample, tmp_path)
    ops.update_span(sample.project, by=sample.me, span_id=sample.other_span, note="careful")
    new_text = "A preface.\n\n" + REBUTTAL
    ops.replace_document_text(
        theirs, by=sample.colleague, document_id=sample.rebuttal, text=new_text
    )
    report = merge(sample.project, theirs)
    span = sample.project.require(Span, sample.other_span)
    assert span.note == "careful" and new_text[span.start : span.end] == "constitution demand"
    assert report.total("conflicts") == 0 and list(sample.project.records(Conflict)) == []


def test_two_people_of_one_name_stay_two_unless_the_analyst_joins_them(
    sample: Sample, tmp_path: Path
) -> None:
    laptops = [hand_out(sample, tmp_path, f"laptop{n}.annotator") for n in (1, 2)]
    start = ARTICLE.index("Zangezur corridor")
    for laptop in laptops:
        user = ops.ensure_annotator(laptop, "user").id  # the login name on both laptops
        ops.create_span(laptop, by=user, document_id=sample.article, start=start, end=start + 17)
    merge(sample.project, laptops[0])
    report = merge(sample.project, laptops[1])
    assert [(n.their_name, n.my_name) for n in report.similar] == [("user", "user")]
    assert report.names == []
    users = [a for a in sample.project.all_rows("annotators") if a["name"] == "user"]
    assert len(users) == 2
    twins = [s for s in sample.project.records(Span) if s.quote == "Zangezur corridor"]
    assert len({s.created_by for s in twins}) == 2
