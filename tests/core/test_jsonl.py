"""Annotation sets: export -> import -> export is stable; hand-written sets anchor exactly."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotator.core import ops
from annotator.core.formats import FormatError
from annotator.core.formats.jsonl_export import export_jsonl
from annotator.core.formats.jsonl_import import import_set
from annotator.core.formats.jsonl_read import parse_lines, read_set
from annotator.core.formats.selection import Selection, resolve_names
from annotator.core.model import Document, Span, Stance, Tag
from annotator.core.store import Project

from .sample import Sample, snapshot


def exported(project: Project, **kwargs) -> list[dict]:
    buffer = io.StringIO()
    export_jsonl(project, buffer, **kwargs)
    return [json.loads(line) for line in buffer.getvalue().splitlines()]


def records(lines: list[dict], importer: str | None = None) -> list[dict]:
    """The records of a set, without the header and without the importing annotator."""
    return [r for r in lines[1:] if not (r["kind"] == "annotator" and r["name"] == importer)]


def import_lines(project: Project, lines: list, by: str, name: str = "set.jsonl"):
    texts = [
        line if isinstance(line, str) else json.dumps(line, ensure_ascii=False) for line in lines
    ]
    return import_set(project, parse_lines(texts, name), by=by)


def fresh(
    tmp_path: Path, name: str = "copy.annotator", who: str = "Importer"
) -> tuple[Project, str]:
    project = Project.create(tmp_path / name)
    return project, ops.ensure_annotator(project, who).id


def test_export_import_export_gives_the_same_records(sample: Sample, tmp_path: Path) -> None:
    p, me = sample.project, sample.me
    ops.create_stance(
        p,
        by=me,
        document_id=sample.article,
        target_id=sample.target,
        polarity=-2,
        span_id=sample.span,
        actor_id=sample.actor,
        note="firmly",
    )
    ops.create_stance(p, by=me, document_id=sample.rebuttal, target_id=sample.target, polarity=1)
    ops.create_link(p, by=me, source=sample.other_span, target=sample.span, type="responds to")
    ops.create_link(p, by=me, source=sample.rebuttal, target=sample.article, type="cites")
    gone = ops.create_span(p, by=me, document_id=sample.article, start=0, end=7, tags=[sample.tag])
    ops.delete_span(p, by=me, span_id=gone.created("spans")[0])
    first = exported(p, with_text=True)
    copy, importer = fresh(tmp_path)
    with copy:
        report, _ = import_lines(copy, first, importer)
        assert report.problems == []
        second = exported(copy, with_text=True)
    assert records(second, "Importer") == records(first)
    kinds = {r["kind"] for r in first}
    assert kinds == {
        "set",
        "annotator",
        "document",
        "tag",
        "target",
        "actor",
        "span",
        "stance",
        "link",
    }
    assert any(r["deleted_at"] for r in first if r["kind"] == "span")


def test_importing_twice_changes_nothing(sample: Sample) -> None:
    lines = exported(sample.project, with_text=True)
    before = snapshot(sample.project)
    report, changes = import_lines(sample.project, lines, sample.me)
    assert not changes and not report.added and snapshot(sample.project) == before


def test_set_without_texts_needs_the_documents(sample: Sample, tmp_path: Path) -> None:
    lines = exported(sample.project)
    assert all("text" not in r for r in lines if r["kind"] == "document")
    copy, importer = fresh(tmp_path)
    with copy:
        report, _ = import_lines(copy, lines, importer)
        assert any("not in the project" in p for p in report.problems)
        assert list(copy.records(Span)) == []


HAND_TEXT = (
    "Երևանը պնդում է, որ խաղաղությունը հնարավոր է։\r\n"
    "Москва предлагает посредничество снова.\r\n"
    "Peace 🕊️ talks 👩‍👩‍👧 resume; peace talks resume again.\r\n"
)


def test_hand_written_set_anchors_quotes(tmp_path: Path) -> None:
    project, me = fresh(tmp_path)
    with project:
        doc = ops.add_document(project, by=me, title="Mixed", text=HAND_TEXT.replace("\r\n", "\n"))
        text = project.require(Document, doc.document.id).text
        lines = [
            {"kind": "span", "document": "Mixed", "quote": "խաղաղությունը", "tags": ["Peace"]},
            {
                "kind": "span",
                "document": "Mixed",
                "quote": "Москва предлагает",
                "tags": ["Mediation/Russia"],
                "annotator": "Lusine",
            },
            {
                "kind": "span",
                "document": "Mixed",
                "quote": "снова.\r\nPeace 🕊️",
                "note": "across a CRLF break",
            },
            {"kind": "span", "document": "Mixed", "quote": "talks 👩‍👩‍👧 resume"},
            {
                "kind": "span",
                "document": "Mixed",
                "quote": "peace talks resume",
                "prefix": "resume; ",
            },
            {
                "kind": "span",
                "document": "Mixed",
                "quote": "Москва предлагаeт посредничество",
            },  # a typo
            {
                "kind": "stance",
                "document": "Mixed",
                "quote": "Москва предлагает посредничество",
                "target": "Mediation offer",
                "actor": "Russia",
                "polarity": 1,
            },
            {
                "kind": "link",
                "from": {"document": "Mixed", "quote": "Երևանը պնդում"},
                "to": "Mixed",
                "type": "responds to",
            },
        ]
        report, _ = import_lines(project, lines, me)
        assert report.problems == []
        spans = list(project.records(Span))
        assert len(spans) == 8
        for span in spans:
            assert span.quote == text[span.start : span.end]
            assert text[: span.start].endswith(span.prefix) and text[span.end :].startswith(
                span.suffix
            )
        quotes = {s.quote for s in spans}
        assert "снова.\nPeace 🕊️" in quotes and "Москва предлагает посредничество" in quotes
        second = next(s for s in spans if s.quote == "peace talks resume")
        assert second.start == text.index("peace talks resume")
        assert report.anchored["fuzzy"] >= 1
        russia = next(t for t in project.records(Tag) if t.name == "Russia")
        assert project.require(Tag, russia.parent_id).name == "Mediation"
        stance = next(project.records(Stance))
        assert stance.polarity == 1 and stance.span_id is not None
        again, changes = import_lines(project, lines, me)
        assert not changes and not again.added


def test_ambiguous_and_missing_quotes_are_reported_not_guessed(tmp_path: Path) -> None:
    project, me = fresh(tmp_path)
    with project:
        ops.add_document(
            project, by=me, title="Echo", text="Peace now. Peace now. Nothing else here at all."
        )
        lines = [
            {"kind": "span", "document": "Echo", "quote": "Peace now."},
            {
                "kind": "span",
                "document": "Echo",
                "quote": "completely absent sentence about tariffs",
            },
            {"kind": "span", "document": "Nowhere", "quote": "Peace"},
        ]
        report, _ = import_lines(project, lines, me)
        assert len(report.problems) == 3
        assert "line 1" in report.problems[0] and "several places" in report.problems[0]
        assert "not found" in report.problems[1] and "Nowhere" in report.problems[2]
        assert list(project.records(Span)) == []


def test_newer_hand_edit_updates_older_is_kept(sample: Sample) -> None:
    lines = exported(sample.project)
    span_line = next(r for r in lines if r["kind"] == "span")
    newer = span_line | {"note": "edited elsewhere", "updated_at": "2999-01-01T00:00:00.000Z"}
    older = span_line | {"note": "stale", "updated_at": "2000-01-01T00:00:00.000Z"}
    report, _ = import_lines(sample.project, [older], sample.me)
    assert report.older["span"] == 1
    report, _ = import_lines(sample.project, [newer], sample.me)
    assert report.updated["span"] == 1
    assert sample.project.require(Span, span_line["id"]).note == "edited elsewhere"


@pytest.mark.parametrize(
    "content, message",
    [
        ('{"kind": "tag", "name": "ok"}\n{"kind": "tag", "name": ', "line 2: not valid JSON"),
        ('["a list"]\n', "expected a JSON object"),
        ('{"kind": "sticker"}\n', "unknown kind"),
        ('{"kind": "set", "format": "annotator-set", "version": 99}\n', "newer Annotator"),
        ("\xff\xfe broken", "not UTF-8"),
        ('{"kind": "tag", "name": "n", "x": ' + "9" * 5000 + "}\n", "number too long"),
        ("[" * 100_000 + "]" * 100_000 + "\n", "nested too deeply"),
    ],
)
def test_malformed_sets_change_nothing(
    sample: Sample, tmp_path: Path, content: str, message: str
) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_bytes(content.encode("latin-1") if content.startswith("\xff") else content.encode())
    before = snapshot(sample.project)
    with pytest.raises(FormatError, match=message):
        import_set(sample.project, read_set(path), by=sample.me)
    assert snapshot(sample.project) == before


def test_export_filters(sample: Sample) -> None:
    p = sample.project
    only_child = resolve_names(p, tags=["Victor's peace"])
    assert [r for r in exported(p, selection=only_child) if r["kind"] == "span"] == []
    by_theme = resolve_names(p, tags=["Peace process"])
    assert [r["id"] for r in exported(p, selection=by_theme) if r["kind"] == "span"] == [
        sample.span
    ]
    rebuttal_only = resolve_names(p, documents=["Rebuttal"])
    spans = [r for r in exported(p, selection=rebuttal_only) if r["kind"] == "span"]
    assert [s["id"] for s in spans] == [sample.other_span]
    assert exported(p, selection=Selection(annotators=frozenset({"nobody"})))[-1]["kind"] == "actor"


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(
        st.text(alphabet=st.sampled_from("abc Հայ Мир🕊️\n\t"), min_size=1, max_size=40),
        min_size=1,
        max_size=4,
    ),
    st.data(),
)
def test_random_projects_round_trip(tmp_path_factory, texts: list[str], data) -> None:
    folder = tmp_path_factory.mktemp("rt")
    project, me = fresh(folder, "a.annotator", who="Author")
    with project:
        for i, text in enumerate(dict.fromkeys(t for t in texts if t)):
            document = ops.add_document(project, by=me, title=f"d{i}", text=text).document
            start = data.draw(st.integers(0, len(text) - 1))
            end = data.draw(st.integers(start + 1, len(text)))
            ops.create_span(project, by=me, document_id=document.id, start=start, end=end)
        first = exported(project, with_text=True)
    copy, importer = fresh(folder, "b.annotator")
    with copy:
        import_lines(copy, first, importer)
        assert records(exported(copy, with_text=True), "Importer") == records(first)


def test_a_line_that_does_not_mention_a_field_keeps_its_stored_value(sample: Sample) -> None:
    project = sample.project
    lines = [{"kind": "tag", "name": "Peace process", "description": "from a codebook file"}]
    report, _ = import_lines(project, lines, sample.me)
    assert report.problems == []
    tag = project.require(Tag, sample.tag)
    assert tag.description == "from a codebook file"
    assert (tag.shortcut, tag.colour) == ("1", "#aabbcc")


def test_a_span_written_by_hand_matches_the_one_already_in_its_place(sample: Sample) -> None:
    """No id, the same place and annotator: the same span, its note and tags kept unless said."""
    project = sample.project
    ops.update_span(project, by=sample.me, span_id=sample.span, note="kept")
    span = project.require(Span, sample.span)
    before = snapshot(project)
    line = {"kind": "span", "document": span.document_id, "quote": span.quote,
            "start": span.start, "end": span.end, "annotator": "Ani"}  # fmt: skip
    report, _ = import_lines(project, [line], sample.me)
    assert report.added == {} and report.updated == {} and snapshot(project) == before
    report, _ = import_lines(project, [line | {"note": "said"}], sample.me)
    assert report.added == {} and report.updated == {"span": 1}
    assert project.require(Span, sample.span).note == "said"
    assert {p.tag_id for p in project.live_span_tags(span_id=sample.span)} == {sample.tag}
    report, _ = import_lines(project, [line | {"annotator": "Lusine"}], sample.me)
    assert report.added == {"span": 1}  # a colleague's identical span is a span of hers


def test_a_title_shared_by_two_documents_is_a_problem_for_that_line_only(sample: Sample) -> None:
    project = sample.project
    ops.add_document(project, by=sample.me, title="Rebuttal", text="Another text entirely.")
    lines = [
        {"kind": "document", "title": "Rebuttal"},
        {"kind": "tag", "name": "Still imported"},
    ]
    report, _ = import_lines(project, lines, sample.me)
    assert len(report.problems) == 1 and "Rebuttal" in report.problems[0]
    assert report.added["tag"] == 1
