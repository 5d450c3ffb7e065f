"""Merging deletions: what a deletion took along, work the other side went on doing on a
deleted record, and a colleague's file in a folder nobody may write to."""

from __future__ import annotations

import shutil
import subprocess
import time
from pathlib import Path

import pytest

from annotator.core import ops
from annotator.core.model import Conflict, Document, Span, Stance
from annotator.core.store import Project

from .sample import ARTICLE, Sample, snapshot
from .test_merge import hand_out, merge


def live_naming_dead(project: Project) -> list[tuple[str, str]]:
    """What a merge must never leave: live records naming a deleted one."""
    return [
        (table, column)
        for table, column, parent in (
            ("spans", "document_id", "documents"),
            ("span_tags", "span_id", "spans"),
            ("stances", "span_id", "spans"),
            ("stances", "document_id", "documents"),
        )
        if project.live_naming_dead(table, column, parent)
    ]


def reasons(project: Project) -> dict[str, str]:
    return {c.record_table: c.reason for c in project.records(Conflict)}


def test_their_new_span_on_a_document_i_deleted_brings_it_back(sample: Sample, tmp_path) -> None:
    theirs = hand_out(sample, tmp_path)
    ops.delete_document(sample.project, by=sample.me, document_id=sample.article)
    start = ARTICLE.index("Zangezur")
    ops.create_span(theirs, by=sample.colleague, document_id=sample.article, start=start,
                    end=start + 8, tags=[sample.tag])  # fmt: skip
    report = merge(sample.project, theirs)
    document = sample.project.require(Document, sample.article)
    assert document.live and report.counts["documents"]["conflicts"] == 1
    assert "went on using it" in reasons(sample.project)["documents"]
    quotes = {s.quote for s in sample.project.spans_of_document(sample.article)}
    assert {"Zangezur", "victor’s peace"} <= quotes  # mine, deleted with it, came back too
    assert live_naming_dead(sample.project) == []


def test_my_span_on_a_document_they_deleted_keeps_it(sample: Sample, tmp_path) -> None:
    theirs = hand_out(sample, tmp_path)
    ops.delete_document(theirs, by=sample.colleague, document_id=sample.rebuttal)
    ops.create_span(sample.project, by=sample.me, document_id=sample.rebuttal, start=0, end=12)
    merge(sample.project, theirs)
    assert sample.project.require(Document, sample.rebuttal).live
    assert len(sample.project.spans_of_document(sample.rebuttal)) == 2
    assert live_naming_dead(sample.project) == []


def test_a_tag_put_on_before_the_deletion_goes_with_it(sample: Sample, tmp_path) -> None:
    theirs = hand_out(sample, tmp_path)
    ops.tag_span(sample.project, by=sample.me, span_id=sample.span, tag_id=sample.child_tag)
    time.sleep(0.002)  # times count milliseconds; a tie would keep the tag
    ops.delete_span(theirs, by=sample.colleague, span_id=sample.span)  # later than my tag
    merge(sample.project, theirs)
    assert not sample.project.get(Span, sample.span).live
    assert sample.project.live_span_tags(span_id=sample.span) == []
    assert "deleted with it" in reasons(sample.project)["span_tags"]  # my tag, logged
    assert live_naming_dead(sample.project) == []


def test_a_stance_made_after_the_deletion_brings_the_span_back(sample: Sample, tmp_path) -> None:
    theirs = hand_out(sample, tmp_path)
    ops.delete_span(sample.project, by=sample.me, span_id=sample.span)
    ops.create_stance(theirs, by=sample.colleague, document_id=sample.article,
                      target_id=sample.target, polarity=1, span_id=sample.span)  # fmt: skip
    merge(sample.project, theirs)
    span = sample.project.require(Span, sample.span)
    assert span.live and [p.tag_id for p in sample.project.live_span_tags(span_id=span.id)]
    (stance,) = sample.project.records(Stance)
    assert stance.span_id == sample.span
    before = snapshot(sample.project)
    merge(sample.project, tmp_path / "theirs.annotator")  # again: nothing more to do
    assert snapshot(sample.project) == before


def _lock_folder(folder: Path) -> bool:
    """Make ``folder`` unwritable even for root (immutable), if this system allows it."""
    folder.chmod(0o555)
    probe = folder / "probe"
    try:
        probe.touch()
    except OSError:
        return True
    probe.unlink()
    chattr = shutil.which("chattr")
    if chattr is None:
        return False
    return subprocess.run([chattr, "+i", str(folder)], capture_output=True).returncode == 0


def _unlock_folder(folder: Path) -> None:
    if chattr := shutil.which("chattr"):
        subprocess.run([chattr, "-i", str(folder)], capture_output=True)
    folder.chmod(0o755)


def test_a_copy_in_a_folder_nobody_may_write_to_merges(sample: Sample, tmp_path: Path) -> None:
    share = tmp_path / "share"
    share.mkdir()
    theirs = hand_out(sample, share)
    ops.create_span(theirs, by=sample.colleague, document_id=sample.rebuttal, start=0, end=3)
    theirs.close()
    if not _lock_folder(share):
        _unlock_folder(share)
        pytest.skip("cannot make a folder unwritable here")
    try:
        report = merge(sample.project, share / "theirs.annotator")
        assert report.counts["spans"]["new"] == 1
        assert sorted(p.name for p in share.iterdir()) == ["theirs.annotator"]
    finally:
        _unlock_folder(share)


@pytest.mark.parametrize(
    ("my_text", "quote"),
    [
        ("Preface. " + ARTICLE, "Zangezur"),
        # In my text the span would lose its end: their place in their text is kept.
        (ARTICLE.replace("corridor remains", "corrido remains"), "Zangezur corridor"),
    ],
)
def test_a_document_brought_back_with_their_text_holds_their_span_where_they_put_it(
    sample: Sample, tmp_path, my_text: str, quote: str
) -> None:
    theirs = hand_out(sample, tmp_path)
    ops.replace_document_text(
        sample.project, by=sample.me, document_id=sample.article, text=my_text
    )
    ops.delete_document(sample.project, by=sample.me, document_id=sample.article)
    start = ARTICLE.index(quote)
    made = ops.create_span(theirs, by=sample.colleague, document_id=sample.article,
                           start=start, end=start + len(quote))  # fmt: skip
    span_id = made.created("spans")[0]
    merge(sample.project, theirs)
    assert sample.project.document_text(sample.article) == ARTICLE
    span = sample.project.require(Span, span_id)
    assert span.orphaned_at is None and ARTICLE[span.start : span.end] == span.quote == quote
    before = snapshot(sample.project)
    merge(sample.project, tmp_path / "theirs.annotator")
    assert snapshot(sample.project) == before


def test_a_span_brought_back_with_its_document_keeps_my_later_note(
    sample: Sample, tmp_path
) -> None:
    deleting = hand_out(sample, tmp_path, "deleting.annotator")
    editing = hand_out(sample, tmp_path, "editing.annotator")
    ops.update_span(sample.project, by=sample.me, span_id=sample.span, note="careful")
    time.sleep(0.002)  # each edit a moment after the one before
    ops.delete_document(deleting, by=sample.colleague, document_id=sample.article)
    time.sleep(0.002)
    ops.replace_document_text(  # later than the deletion: the document lives on
        editing, by=sample.colleague, document_id=sample.article, text="Preface. " + ARTICLE
    )
    merge(sample.project, deleting)
    assert sample.project.row("spans", sample.span)["deleted_at"]  # gone with its document
    merge(sample.project, editing)
    span = sample.project.require(Span, sample.span)
    assert span.deleted_at is None and span.note == "careful"
    text = sample.project.document_text(sample.article) or ""
    assert text[span.start : span.end] == span.quote
