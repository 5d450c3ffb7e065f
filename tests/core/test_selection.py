"""The export filters every format shares: targets and dates, beside documents, tags, annotators."""

from __future__ import annotations

import pytest

from annotator.core import ops
from annotator.core.formats.references import UnknownReferenceError
from annotator.core.formats.selection import resolve_names, spans_with_tags

from .sample import Sample


def chosen_span_ids(sample: Sample, **filters) -> set[str]:
    project = sample.project
    selection = resolve_names(project, **filters).live_only()
    documents = set(project.ids("documents"))
    return {span["id"] for span, _ in spans_with_tags(project, selection, documents)}


def test_a_target_keeps_only_the_spans_that_are_evidence_of_its_stances(sample: Sample) -> None:
    project = sample.project
    other_target = ops.create_target(project, by=sample.me, name="Corridor").created("targets")[0]
    ops.create_stance(
        project, by=sample.me, document_id=sample.article, target_id=sample.target,
        polarity=-1, span_id=sample.span,
    )  # fmt: skip
    ops.create_stance(
        project, by=sample.me, document_id=sample.rebuttal, target_id=other_target,
        polarity=2, span_id=sample.other_span,
    )  # fmt: skip
    assert chosen_span_ids(sample) == {sample.span, sample.other_span}
    assert chosen_span_ids(sample, targets=["Draft peace agreement"]) == {sample.span}
    assert chosen_span_ids(sample, targets=["Corridor"]) == {sample.other_span}
    selection = resolve_names(project, targets=["Corridor"])
    stances = [
        s
        for s in project.rows("stances")
        if selection.keeps_stance(s, {sample.other_span}, {sample.rebuttal, sample.article})
    ]
    assert [s["target_id"] for s in stances] == [other_target]


def test_dates_are_inclusive_days_of_creation(sample: Sample) -> None:
    day = next(sample.project.rows("spans"))["created_at"][:10]
    assert chosen_span_ids(sample, since=day, until=day) == {sample.span, sample.other_span}
    assert chosen_span_ids(sample, until="2000-01-01") == set()
    assert chosen_span_ids(sample, since="2999-01-01") == set()


def test_a_date_that_is_not_a_day_is_refused(sample: Sample) -> None:
    with pytest.raises(UnknownReferenceError, match="not a date"):
        resolve_names(sample.project, since="last week")


def test_the_coding_as_it_stands_leaves_orphans_out_and_the_full_set_keeps_them(
    sample: Sample,
) -> None:
    from .sample import ARTICLE

    new_text = ARTICLE.replace("victor’s peace", "settlement")
    ops.replace_document_text(
        sample.project, by=sample.me, document_id=sample.article, text=new_text
    )
    assert chosen_span_ids(sample) == {sample.other_span}
    project = sample.project
    full = resolve_names(project)
    kept = {s["id"] for s, _ in spans_with_tags(project, full, set(project.ids("documents")))}
    assert kept == {sample.span, sample.other_span}
