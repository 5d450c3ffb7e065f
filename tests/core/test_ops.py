"""Every edit is one transaction whose inverse restores the exact rows."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from annotator.core import ops
from annotator.core.model import Actor, ChangeSet, Link, Span, SpanTag, Stance, Tag
from annotator.core.store import InvalidEditError, TagInUseError

from .sample import ARTICLE, Sample, snapshot

EDITS: dict[str, Callable[[Sample], ChangeSet]] = {
    "add document": lambda s: (
        ops.add_document(s.project, by=s.me, title="New", text="Fresh text about Lachin.").changes
    ),
    "update document": lambda s: ops.update_document(
        s.project, by=s.me, document_id=s.article, title="Renamed", author="J.-F. Ratelle"
    ),
    "delete document": lambda s: ops.delete_document(s.project, by=s.me, document_id=s.article),
    "create tag": lambda s: ops.create_tag(s.project, by=s.me, name="Lachin", shortcut="1"),
    "update tag": lambda s: ops.update_tag(
        s.project, by=s.me, tag_id=s.child_tag, name="Victor’s peace", colour="#112233"
    ),
    "reparent tag": lambda s: ops.update_tag(
        s.project, by=s.me, tag_id=s.child_tag, parent_id=None
    ),
    "delete tag removing": lambda s: ops.delete_tag(
        s.project, by=s.me, tag_id=s.tag, when_used=ops.WhenUsed.REMOVE
    ),
    "merge tags": lambda s: ops.merge_tags(s.project, by=s.me, tag_id=s.tag, into=s.child_tag),
    "create target": lambda s: ops.create_target(s.project, by=s.me, name="Constitution"),
    "update target": lambda s: ops.update_target(
        s.project, by=s.me, target_id=s.target, description="The March 2025 text"
    ),
    "create actor": lambda s: ops.create_actor(s.project, by=s.me, name="EU", aliases=["Brussels"]),
    "update actor": lambda s: ops.update_actor(
        s.project, by=s.me, actor_id=s.actor, aliases=["Baku", "Azerbaijani government"]
    ),
    "create span": lambda s: ops.create_span(
        s.project, by=s.me, document_id=s.article, start=0, end=7, tags=[s.tag, s.child_tag]
    ),
    "move span": lambda s: ops.update_span(s.project, by=s.me, span_id=s.span, start=3, end=20),
    "note span": lambda s: ops.update_span(s.project, by=s.me, span_id=s.span, note="key claim"),
    "delete span": lambda s: ops.delete_span(s.project, by=s.me, span_id=s.span),
    "tag span": lambda s: ops.tag_span(s.project, by=s.me, span_id=s.span, tag_id=s.child_tag),
    "untag span": lambda s: ops.untag_span(s.project, by=s.me, span_id=s.span, tag_id=s.tag),
    "create stance": lambda s: ops.create_stance(
        s.project,
        by=s.me,
        document_id=s.article,
        target_id=s.target,
        polarity=-2,
        span_id=s.span,
        actor_id=s.actor,
    ),
    "create link": lambda s: ops.create_link(
        s.project, by=s.me, source=s.other_span, target=s.span, type="responds to"
    ),
    "stance scale": lambda s: ops.set_stance_scale(
        s.project, by=s.me, labels={-1: "against", 0: "neutral", 1: "for"}
    ),
    "link types": lambda s: ops.set_link_types(s.project, by=s.me, types=["rebuts", "cites"]),
    "delete annotator": lambda s: ops.delete_annotator(
        s.project, by=s.me, annotator_id=s.colleague
    ),
    "rename annotator": lambda s: ops.rename_annotator(
        s.project, by=s.me, annotator_id=s.me, name="Ani K."
    ),
}


@pytest.mark.parametrize("name", sorted(EDITS))
def test_edit_then_inverse_restores_exact_rows(sample: Sample, name: str) -> None:
    before = snapshot(sample.project)
    changes = EDITS[name](sample)
    assert changes, "the edit changed nothing"
    after = snapshot(sample.project)
    assert after != before
    ops.undo(sample.project, changes)
    assert snapshot(sample.project) == before
    ops.redo(sample.project, changes)
    assert snapshot(sample.project) == after


def test_stances_and_links_edits_round_trip(sample: Sample) -> None:
    p, me = sample.project, sample.me
    stance = ops.create_stance(
        p, by=me, document_id=sample.article, target_id=sample.target, polarity=1
    ).created("stances")[0]
    link = ops.create_link(
        p, by=me, source=sample.rebuttal, target=sample.span, type="contradicts"
    ).created("links")[0]
    for edit in (
        lambda: ops.update_stance(p, by=me, stance_id=stance, polarity=-1, actor_id=sample.actor),
        lambda: ops.delete_stance(p, by=me, stance_id=stance),
        lambda: ops.update_link(p, by=me, link_id=link, type="supports", note="agrees"),
        lambda: ops.delete_link(p, by=me, link_id=link),
        lambda: ops.delete_actor(p, by=me, actor_id=sample.actor),
    ):
        before = snapshot(p)
        changes = edit()
        ops.undo(p, changes)
        assert snapshot(p) == before


def test_span_stores_quote_and_context_in_code_points(sample: Sample) -> None:
    span = sample.project.require(Span, sample.span)
    assert span.quote == ARTICLE[span.start : span.end] == "victor’s peace"
    assert ARTICLE[: span.start].endswith(span.prefix) and ARTICLE[span.end :].startswith(
        span.suffix
    )
    emoji_start = ARTICLE.index("🇦🇲")
    changes = ops.create_span(
        sample.project,
        by=sample.me,
        document_id=sample.article,
        start=emoji_start,
        end=emoji_start + 2,
    )
    made = sample.project.require(Span, changes.created("spans")[0])
    assert made.quote == "🇦🇲"


def test_delete_span_cascades_to_tags_stances_links(sample: Sample) -> None:
    p, me = sample.project, sample.me
    ops.create_stance(
        p,
        by=me,
        document_id=sample.article,
        target_id=sample.target,
        polarity=2,
        span_id=sample.span,
    )
    ops.create_link(p, by=me, source=sample.other_span, target=sample.span, type="responds to")
    ops.delete_span(p, by=me, span_id=sample.span)
    assert p.get(Span, sample.span).deleted_at is not None
    assert p.live_span_tags(span_id=sample.span) == []
    assert list(p.records(Stance)) == [] and list(p.records(Link)) == []
    assert len(p.all_rows("stances")) == 1  # tombstoned, not removed


def test_delete_used_tag_refuses_by_default(sample: Sample) -> None:
    before = snapshot(sample.project)
    with pytest.raises(TagInUseError):
        ops.delete_tag(sample.project, by=sample.me, tag_id=sample.tag)
    assert snapshot(sample.project) == before


def test_merge_tag_moves_spans_and_children(sample: Sample) -> None:
    p, me = sample.project, sample.me
    other = ops.create_tag(p, by=me, name="Other").created("tags")[0]
    ops.merge_tags(p, by=me, tag_id=sample.tag, into=other)
    assert [t.tag_id for t in p.live_span_tags(span_id=sample.span)] == [other]
    assert p.require(Tag, sample.child_tag).parent_id == other


@pytest.mark.parametrize("depth", [1, 2])
def test_merging_into_a_descendant_lifts_it_into_place(sample: Sample, depth: int) -> None:
    p, me = sample.project, sample.me
    into = sample.child_tag
    if depth == 2:
        into = ops.create_tag(p, by=me, name="Deeper", parent_id=sample.child_tag).created("tags")[
            0
        ]
    before = snapshot(p)
    changes = ops.merge_tags(p, by=me, tag_id=sample.tag, into=into)
    survivor = p.require(Tag, into)
    assert survivor.parent_id is None  # where the merged tag was
    live = {t.id: t for t in p.records(Tag)}
    for tag in live.values():  # no tag points at a deleted one, no cycles
        assert tag.parent_id is None or tag.parent_id in live
    if depth == 2:
        assert live[sample.child_tag].parent_id == into
    assert [t.tag_id for t in p.live_span_tags(span_id=sample.span)] == [into]
    ops.undo(p, changes)
    assert snapshot(p) == before


def test_delete_tag_removing_keeps_spans_and_lifts_children(sample: Sample) -> None:
    p = sample.project
    ops.delete_tag(p, by=sample.me, tag_id=sample.tag, when_used=ops.WhenUsed.REMOVE)
    assert p.require(Span, sample.span).live
    assert p.live_span_tags(span_id=sample.span) == []
    assert p.require(Tag, sample.child_tag).parent_id is None


def test_shortcut_moves_to_the_new_tag(sample: Sample) -> None:
    p = sample.project
    ops.update_tag(p, by=sample.me, tag_id=sample.child_tag, shortcut="1")
    assert p.require(Tag, sample.tag).shortcut is None
    assert p.require(Tag, sample.child_tag).shortcut == "1"


def test_merge_actor_keeps_names_as_aliases(sample: Sample) -> None:
    p, me = sample.project, sample.me
    other = ops.create_actor(p, by=me, name="Azerbaijan").created("actors")[0]
    ops.create_stance(
        p, by=me, document_id=sample.article, target_id=sample.target, polarity=1, actor_id=other
    )
    with pytest.raises(InvalidEditError):
        ops.delete_actor(p, by=me, actor_id=other)
    ops.delete_actor(p, by=me, actor_id=other, merge_into=sample.actor)
    assert "Azerbaijan" in p.require(Actor, sample.actor).aliases
    assert [s.actor_id for s in p.records(Stance)] == [sample.actor]


@pytest.mark.parametrize(
    "edit",
    [
        lambda s: ops.create_span(s.project, by=s.me, document_id=s.article, start=5, end=5),
        lambda s: ops.create_span(s.project, by=s.me, document_id=s.article, start=0, end=10**6),
        lambda s: ops.update_tag(s.project, by=s.me, tag_id=s.tag, parent_id=s.child_tag),
        lambda s: ops.create_tag(s.project, by=s.me, name="x", colour="red"),
        lambda s: ops.create_tag(s.project, by=s.me, name="peace  PROCESS"),
        lambda s: ops.create_tag(s.project, by=s.me, name="US/EU mediation"),
        lambda s: ops.create_stance(
            s.project, by=s.me, document_id=s.article, target_id=s.target, polarity=7
        ),
        lambda s: ops.create_stance(
            s.project,
            by=s.me,
            document_id=s.rebuttal,
            target_id=s.target,
            polarity=1,
            span_id=s.span,
        ),
        lambda s: ops.create_link(s.project, by=s.me, source=s.span, target=s.span, type="cites"),
        lambda s: ops.create_link(
            s.project, by=s.me, source=s.span, target=s.other_span, type="loves"
        ),
    ],
)
def test_invalid_edits_change_nothing(sample: Sample, edit) -> None:
    before = snapshot(sample.project)
    with pytest.raises(InvalidEditError):
        edit(sample)
    assert snapshot(sample.project) == before


def test_same_text_twice_is_a_duplicate(sample: Sample) -> None:
    added = ops.add_document(sample.project, by=sample.me, title="Again", text=ARTICLE)
    assert added.duplicate_of is not None and not added.changes
    assert added.document.id == sample.article


def test_records_carry_identity_author_and_times(sample: Sample) -> None:
    span_tag = next(sample.project.records(SpanTag))
    assert span_tag.id == ops.span_tag_id(sample.span, sample.tag)
    for table in ("documents", "tags", "spans", "span_tags", "targets", "actors"):
        for row in sample.project.all_rows(table):
            assert row["created_by"] == sample.me
            assert row["created_at"].endswith("Z") and row["updated_at"] >= row["created_at"]
