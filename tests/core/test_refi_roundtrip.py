"""A project through .qdpx into a new project keeps its coding; a second export is the same."""

from __future__ import annotations

import json
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotator.core import ops
from annotator.core.formats.jsonl_import import import_set
from annotator.core.formats.refi_codebook import read_qdc
from annotator.core.formats.refi_import import read_qdpx
from annotator.core.store import Project

from .sample import Sample, snapshot
from .test_refi_support import enrich, export_to, open_qdpx, orphan


def coding(project: Project) -> dict[str, dict]:
    """Everything the mapping carries, by id, with annotators by name."""
    names = project.column_by_id("annotators", "name", live=False)
    tags = project.tag_ids_by_span()

    def rows(table: str, *columns: str) -> dict[str, tuple]:
        return {r["id"]: tuple(r[c] for c in columns) for r in project.rows(table)}

    spans = {
        r["id"]: (
            r["document_id"],
            r["start"],
            r["end"],
            r["quote"],
            r["prefix"],
            r["suffix"],
            r["note"],
            sorted(tags.get(r["id"], [])),
            names[r["created_by"]],
            r["created_at"],
            r["updated_at"],
        )
        for r in project.rows("spans")
        if r["orphaned_at"] is None
    }
    stances = {
        r["id"]: (
            r["document_id"],
            r["span_id"],
            r["target_id"],
            r["actor_id"],
            r["polarity"],
            r["note"],
            names[r["created_by"]],
            r["created_at"],
        )
        for r in project.rows("stances")
        if r["span_id"] is None or r["span_id"] in spans
    }
    links = {
        r["id"]: (
            r["from_document_id"],
            r["from_span_id"],
            r["to_document_id"],
            r["to_span_id"],
            r["type"],
            r["note"],
        )
        for r in project.rows("links")
        if {r["from_span_id"], r["to_span_id"]} - {None} <= set(spans)
    }
    return {
        "documents": rows(
            "documents", "title", "text", "sha256", "author", "date", "created_at", "updated_at"
        ),
        "tags": rows("tags", "name", "parent_id", "colour", "description"),
        "targets": rows("targets", "name", "description"),
        "actors": {
            r["id"]: (r["name"], json.loads(r["aliases"]), r["description"])
            for r in project.rows("actors")
        },
        "annotators": rows("annotators", "name"),
        "spans": spans,
        "stances": stances,
        "links": links,
    }


def import_file(project: Project, path: Path, by: str = "Ani"):
    reader = read_qdc if path.suffix == ".qdc" else read_qdpx
    report, _ = import_set(project, reader(path), by=by)
    assert report.problems == []
    return report


@contextmanager
def round_trip(project: Project, path: Path, by: str = "Ani") -> Iterator[tuple[Project, Any]]:
    """``project`` exported to ``path`` and imported into a new project beside it: the new
    project, open, and the import's report."""
    export_to(project, path)
    with Project.create(path.parent / "copy.annotator") as copy:
        yield copy, import_file(copy, path, by=by)


def test_everything_survives_the_trip(sample: Sample, tmp_path: Path) -> None:
    enrich(sample)
    orphan(sample)
    with round_trip(sample.project, tmp_path / "out.qdpx", by="Somebody else") as (copy, report):
        assert report.unmapped == []
        theirs = coding(copy)
    mine = coding(sample.project)
    somebody = {k for k, v in theirs["annotators"].items() if v == ("Somebody else",)}
    assert {k: v for k, v in theirs["annotators"].items() if k not in somebody} == mine[
        "annotators"
    ]
    for kind in ("documents", "tags", "targets", "actors", "spans", "stances", "links"):
        assert theirs[kind] == mine[kind], kind
    assert len(mine["spans"]) == 5 and len(mine["stances"]) == 2 and len(mine["links"]) == 2


def test_a_second_export_is_the_same(sample: Sample, tmp_path: Path) -> None:
    enrich(sample)
    first = tmp_path / "first.qdpx"
    with round_trip(sample.project, first) as (copy, _report):
        second = export_to(copy, tmp_path / "second.qdpx")
    (one, one_texts), (two, two_texts) = open_qdpx(first), open_qdpx(second)
    assert one_texts == two_texts
    # Only the project's name differs: it is the project file's.
    assert (one.get("name"), two.get("name")) == ("test", "copy")
    with zipfile.ZipFile(first) as a, zipfile.ZipFile(second) as b:
        one_bytes, two_bytes = a.read("project.qde"), b.read("project.qde")
    assert one_bytes.replace(b'name="test"', b'name="copy"', 1) == two_bytes


def test_importing_twice_changes_nothing(sample: Sample, tmp_path: Path) -> None:
    enrich(sample)
    path = tmp_path / "out.qdpx"
    with round_trip(sample.project, path) as (copy, _report):
        before = snapshot(copy)
        again = import_file(copy, path)
        assert dict(again.added) == {} and dict(again.updated) == {}
        assert snapshot(copy) == before


def test_the_codebook_alone_round_trips(sample: Sample, tmp_path: Path) -> None:
    enrich(sample)
    first = tmp_path / "codes.qdc"
    with round_trip(sample.project, first) as (copy, _report):
        theirs = coding(copy)
        second = export_to(copy, tmp_path / "again.qdc")
    assert second.read_bytes() == first.read_bytes()
    mine = coding(sample.project)
    for kind in ("tags", "targets", "actors"):
        assert theirs[kind] == mine[kind]
    assert theirs["documents"] == {} and theirs["spans"] == {}


ALPHABET = st.sampled_from(["a", "b", " ", "\n", "\t", "Հայ", "Мир", "🕊️", "🇦🇲", "👩‍👩‍👧", "é"])


@settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(st.lists(ALPHABET, min_size=1, max_size=30).map("".join), min_size=1, max_size=3),
    st.data(),
)
def test_random_spans_keep_their_offsets(tmp_path_factory, texts: list[str], data) -> None:
    folder = tmp_path_factory.mktemp("refi")
    with Project.create(folder / "a.annotator") as project:
        me = ops.ensure_annotator(project, "Ani").id
        expected = set()
        for number, text in enumerate(dict.fromkeys(texts)):
            document = ops.add_document(project, by=me, title=f"d{number}", text=text).document
            for _ in range(data.draw(st.integers(1, 3))):
                start = data.draw(st.integers(0, len(text) - 1))
                end = data.draw(st.integers(start + 1, len(text)))
                ops.create_span(project, by=me, document_id=document.id, start=start, end=end)
                expected.add((document.id, start, end, text[start:end]))
        path = export_to(project, folder / "a.qdpx")
    with Project.create(folder / "b.annotator") as copy:
        import_file(copy, path)
        found = {(r["document_id"], r["start"], r["end"], r["quote"]) for r in copy.rows("spans")}
        assert found == expected
        assert {r["text"] for r in copy.rows("documents")} == set(texts)
