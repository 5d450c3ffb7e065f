"""An import never leaves a span pointing at the wrong text, and never stores a value an edit
would refuse, whatever the format."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from annotator.core import ops
from annotator.core.formats.jsonl_import import import_set
from annotator.core.formats.jsonl_read import parse_lines
from annotator.core.model import Change, ChangeSet, Tag
from annotator.core.store import Project

from .format_files import export_file, import_file, misplaced_spans
from .sample import ARTICLE, Sample

EDITED = "An editor's note comes first.\n\n" + ARTICLE.replace("the hardest question", "open")


def import_lines(project: Project, lines: list[dict], by: str = "Importer"):
    texts = [json.dumps(line, ensure_ascii=False) for line in lines]
    return import_set(project, parse_lines(texts, "set.jsonl"), by=by)


def span_at(project: Project, by: str, document_id: str, phrase: str) -> str:
    text = project.row("documents", document_id)["text"]
    start = text.index(phrase)
    changes = ops.create_span(
        project, by=by, document_id=document_id, start=start, end=start + len(phrase)
    )
    return changes.created("spans")[0]


def test_a_replaced_text_orphans_the_spans_it_no_longer_holds(sample: Sample) -> None:
    p = sample.project
    line = {"kind": "document", "id": sample.article, "text": "Totally different text."}
    report, _ = import_lines(p, [line | {"updated_at": "2031-01-01T00:00:00.000Z"}])
    assert report.updated["document"] == 1
    assert p.row("documents", sample.article)["text"] == "Totally different text."
    assert misplaced_spans(p) == []
    assert p.row("spans", sample.span)["orphaned_at"] is not None
    assert report.retexted == [("Illusion of peace", 0, 1)]


def test_a_replaced_text_moves_the_spans_and_undo_restores_them(sample: Sample) -> None:
    p = sample.project
    before = p.row("spans", sample.span)
    line = {"kind": "document", "id": sample.article, "text": EDITED}
    report, changes = import_lines(p, [line])
    after = p.row("spans", sample.span)
    assert after["quote"] == before["quote"] and after["start"] > before["start"]
    assert after["updated_at"] == before["updated_at"]  # moved, not edited: no later merge win
    assert misplaced_spans(p) == [] and report.retexted == [("Illusion of peace", 1, 0)]
    p.apply(changes.inverse())
    assert p.row("spans", sample.span) == before


def test_a_replaced_text_drops_the_old_page_starts(sample: Sample) -> None:
    p = sample.project
    row = p.row("documents", sample.article)
    p.apply(ChangeSet((Change("documents", row["id"], row, row | {"pages": "[0, 60]"}),)))
    import_lines(p, [{"kind": "document", "id": sample.article, "text": "Short."}])
    assert p.row("documents", sample.article)["pages"] is None


def test_an_older_text_changes_nothing(sample: Sample) -> None:
    p = sample.project
    line = {"kind": "document", "id": sample.article, "text": EDITED}
    report, _ = import_lines(p, [line | {"updated_at": "2001-01-01T00:00:00.000Z"}])
    assert report.older["document"] == 1 and report.retexted == []
    assert p.row("documents", sample.article)["text"] == ARTICLE


@pytest.mark.parametrize("fmt", ["jsonl", "w3c", "qdpx"])  # brat: a new text, a new document
def test_a_text_edited_elsewhere_carries_this_projects_spans(
    fmt: str, sample: Sample, tmp_path: Path
) -> None:
    """A colleague's file with a newer text of a shared document: their spans come placed in
    it, ours are carried over or orphaned; none points at the wrong passage."""
    theirs = sample.project
    first = export_file(theirs, fmt, tmp_path, "first")
    with Project.create(tmp_path / "mine.annotator") as mine:
        ops.initialise_settings(mine)
        me = ops.ensure_annotator(mine, "Mine").id
        assert import_file(mine, first, by=me).problems == []
        document = mine.column_by_id("documents", "title")
        article = next(i for i, t in document.items() if t == "Illusion of peace")
        kept = span_at(mine, me, article, "Zangezur corridor")
        lost = span_at(mine, me, article, "hardest question")
        time.sleep(0.01)  # the colleague's edit is later, to the millisecond
        ops.replace_document_text(theirs, by=sample.me, document_id=sample.article, text=EDITED)
        report = import_file(mine, export_file(theirs, fmt, tmp_path, "second"), by=me)
        assert mine.row("documents", article)["text"] == EDITED
        assert misplaced_spans(mine) == []
        assert mine.row("spans", kept)["quote"] == "Zangezur corridor"
        assert mine.row("spans", kept)["orphaned_at"] is None
        assert mine.row("spans", lost)["orphaned_at"] is not None
        assert ("Illusion of peace", 2, 1) in report.retexted  # theirs placed by the file


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("colour", "red;}</style><script>alert(1)</script>"),
        ("colour", "#aabbcc\n"),
        ("shortcut", "F12"),
    ],
)
def test_a_tag_value_an_edit_refuses_is_reported_not_stored(
    sample: Sample, field: str, value: str
) -> None:
    p = sample.project
    report, _ = import_lines(p, [{"kind": "tag", "name": "X", field: value}])
    (tag,) = [t for t in p.records(Tag) if t.name == "X"]
    assert getattr(tag, field) is None
    assert len(report.problems) == 1 and "set.jsonl line 1: tag 'X':" in report.problems[0]
    assert repr(value) in report.problems[0]


def test_a_shortcut_already_taken_stays_with_its_tag(sample: Sample) -> None:
    p = sample.project
    report, _ = import_lines(p, [{"kind": "tag", "name": "X", "shortcut": "1"}])
    assert p.get(Tag, sample.tag).shortcut == "1"
    assert [t.shortcut for t in p.records(Tag) if t.name == "X"] == [None]
    assert "already belongs to tag 'Peace process'" in report.problems[0]


def test_a_w3c_tag_colour_is_checked_too(sample: Sample, tmp_path: Path) -> None:
    p = sample.project
    ops.update_tag(p, by=sample.me, tag_id=sample.tag, colour="#112233")
    path = export_file(p, "w3c", tmp_path, "set")
    path.write_text(path.read_text().replace("#112233", "javascript:evil()"), encoding="utf-8")
    with Project.create(tmp_path / "other.annotator") as other:
        ops.initialise_settings(other)
        report = import_file(other, path, by="Importer")
        assert {t.colour for t in other.records(Tag)} == {None}
        assert any("'javascript:evil()' is not of the form #rrggbb" in m for m in report.problems)


def test_a_document_without_text_is_refused(project: Project) -> None:
    report, _ = import_lines(project, [{"kind": "document", "title": "Empty", "text": ""}])
    assert report.added["document"] == 0
    assert report.problems == ["set.jsonl line 1: document 'Empty' has no text"]


def test_a_tag_is_not_placed_inside_itself(sample: Sample) -> None:
    p = sample.project
    line = {"kind": "tag", "id": sample.tag, "name": "Peace process", "parent": sample.child_tag}
    report, _ = import_lines(p, [line])
    assert p.get(Tag, sample.tag).parent_id is None
    assert report.problems == [
        "set.jsonl line 1: tag 'Peace process' cannot be placed inside itself"
    ]
