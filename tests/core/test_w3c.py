"""W3C Web Annotation: the export passes the W3C test suite's MUST assertions and a structural
check of our own, round trips through an empty project, honours the filters; the import reads
ours, other tools' and Hypothesis annotations, and refuses what is not annotations."""

from __future__ import annotations

import json
import re
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotator.core import ops
from annotator.core.formats import FormatError
from annotator.core.formats.jsonl_import import import_set
from annotator.core.formats.references import References
from annotator.core.formats.registry import EXPORTS, import_format
from annotator.core.formats.selection import Selection
from annotator.core.formats.w3c_export import export_w3c
from annotator.core.formats.w3c_import import read_w3c
from annotator.core.formats.w3c_vocab import ANNO_CONTEXT, uuid_of
from annotator.core.importing import import_paths, split_paths
from annotator.core.model import Change, ChangeSet, Span, now
from annotator.core.store import Project

from .sample import ARTICLE, REBUTTAL, Sample, snapshot

SUITE = (
    Path(__file__).resolve().parents[2].parent / "shared" / "interop" / "w3c-web-annotation-tests"
)
MOTIVATIONS = {"classifying", "commenting", "highlighting", "linking", "tagging"}
URL = "https://example.org/illusion-of-peace"


@pytest.fixture
def coded(sample: Sample) -> Sample:
    """The sample with every kind of record: several tags, a note, stances on a span and on a
    document, links across documents, emoji and Armenian passages, a deleted and an orphaned
    span (with a stance and a link that need it)."""
    p, me, colleague = sample.project, sample.me, sample.colleague
    ops.tag_span(p, by=me, span_id=sample.span, tag_id=sample.child_tag)
    ops.update_span(p, by=me, span_id=sample.span, note="A loaded phrase: «victor’s peace».")
    ops.create_stance(p, by=colleague, document_id=sample.article, span_id=sample.span,
                      target_id=sample.target, actor_id=sample.actor, polarity=-1, note="implied")  # fmt: skip
    ops.create_stance(p, by=me, document_id=sample.rebuttal, target_id=sample.target, polarity=2)
    ops.create_link(p, by=colleague, source=sample.other_span, target=sample.span,
                    type="contradicts", note="answers it")  # fmt: skip
    ops.create_link(p, by=me, source=sample.rebuttal, target=sample.article, type="responds to")
    flag = ARTICLE.index("🇦🇲")
    ops.create_span(p, by=colleague, document_id=sample.article, start=flag,
                    end=flag + len("🇦🇲👩‍👩‍👧"), tags=[sample.tag])  # fmt: skip
    armenian = ARTICLE.index("Հայաստան")
    ops.create_span(p, by=me, document_id=sample.article, start=armenian, end=armenian + 8)
    gone = ops.create_span(p, by=me, document_id=sample.article, start=0, end=7)
    ops.delete_span(p, by=me, span_id=gone.created("spans")[0])
    corridor = ARTICLE.index("Zangezur")
    orphan = ops.create_span(p, by=me, document_id=sample.article, start=corridor,
                             end=corridor + 8).created("spans")[0]  # fmt: skip
    ops.create_stance(p, by=me, document_id=sample.article, span_id=orphan,
                      target_id=sample.target, polarity=1)  # fmt: skip
    ops.create_link(p, by=me, source=orphan, target=sample.other_span, type="supports")
    before = p.row("spans", orphan)
    p.apply(ChangeSet((Change("spans", orphan, before, before | {"orphaned_at": now()}),)))
    return sample


def export(project: Project, path: Path, selection: Selection | None = None, **options) -> dict:
    with path.open("w", encoding="utf-8", newline="") as out:
        counts = export_w3c(project, out, selection, **options)
    data = json.loads(path.read_text(encoding="utf-8"))
    data["counts"] = counts
    return data


def pages(collection: dict) -> list[dict]:
    return [collection["first"], *collection["pages"]]


def annotations(collection: dict) -> list[dict]:
    return [item for page in pages(collection) for item in page["items"]]


def texts_of(project: Project) -> dict[str, str]:
    return {f"urn:uuid:{i}": t for i, t in project.document_texts()}


def as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def new_project(folder: Path, name: str) -> Project:
    project = Project.create(folder / name)
    ops.initialise_settings(project)
    return project


# -- a structural check of our own: runs everywhere ----------------------------------------------


def check_selectors(resource: dict, texts: dict[str, str]) -> None:
    assert resource["type"] == "SpecificResource" and resource["source"] in texts
    text = texts[resource["source"]]
    by_type = {s["type"]: s for s in resource["selector"]}
    quote, position = by_type["TextQuoteSelector"], by_type["TextPositionSelector"]
    start, end = position["start"], position["end"]
    assert isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(text)
    assert text[start:end] == quote["exact"]
    assert text[:start].endswith(quote.get("prefix", ""))
    assert text[end:].startswith(quote.get("suffix", ""))


def check_body(body: Any, texts: dict[str, str]) -> None:
    if isinstance(body, str):
        assert body in texts  # a whole document, as a link end
        return
    if body["type"] == "SpecificResource":
        check_selectors(body, texts)
        return
    assert body["type"] == "TextualBody" and isinstance(body["value"], str)
    assert body["purpose"] in {"tagging", "commenting", "classifying"}
    assert "id" not in body  # with an id and a purpose the W3C tests fail it (see w3c_nodes)
    if body["purpose"] == "classifying":
        assert isinstance(body["annotator:polarity"], int)
        assert uuid_of(body["annotator:stanceTarget"]["id"])


def check_structure(collection: dict, texts: dict[str, str]) -> None:
    """Required keys and types of the collection, its pages and annotations (as the W3C model
    asks), and every selector consistent with the stored text."""
    assert ANNO_CONTEXT in collection["@context"]
    assert uuid_of(collection["id"]) and collection["type"] == "AnnotationCollection"
    assert isinstance(collection["label"], str)
    all_pages = pages(collection)
    assert collection["last"] == all_pages[-1]["id"]
    index = 0
    for number, page in enumerate(all_pages):
        assert page["@context"] == ANNO_CONTEXT and page["type"] == "AnnotationPage"
        assert page["partOf"] == {"id": collection["id"]} and page["startIndex"] == index
        assert page.get("prev") == (all_pages[number - 1]["id"] if number else None)
        following = all_pages[number + 1]["id"] if number + 1 < len(all_pages) else None
        assert page.get("next") == following
        index += len(page["items"])
    assert collection["total"] == index
    for annotation in annotations(collection):
        assert ANNO_CONTEXT in annotation["@context"] and annotation["type"] == "Annotation"
        assert uuid_of(annotation["id"]) and annotation["motivation"] in MOTIVATIONS
        assert annotation["created"] <= annotation["modified"]
        assert isinstance(annotation["creator"]["name"], str)
        assert "bodyValue" not in annotation
        for body in as_list(annotation.get("body", [])):
            check_body(body, texts)
        target = annotation["target"]
        if isinstance(target, str):
            assert target in texts and annotation["motivation"] in {"classifying", "linking"}
        else:
            check_selectors(target, texts)


def test_export_has_the_structure_of_the_model_and_exact_selectors(
    coded: Sample, tmp_path: Path
) -> None:
    collection = export(coded.project, tmp_path / "out.jsonld", page_size=2)
    check_structure(collection, texts_of(coded.project))
    assert len(collection["pages"]) == 3  # 7 annotations, 2 to a page, the first apart
    counts = collection["counts"]
    assert counts["spans"] == 4 and counts["stances"] == 2 and counts["links"] == 2
    assert counts["annotations"] == 7 == collection["total"] and counts["pages"] == 4


def test_emoji_and_armenian_offsets_are_code_points(coded: Sample, tmp_path: Path) -> None:
    collection = export(coded.project, tmp_path / "out.jsonld")
    exact = {
        a["target"]["selector"][0]["exact"]: a["target"]["selector"][1]
        for a in annotations(collection)
        if isinstance(a["target"], dict) and a["motivation"] != "linking"
    }
    flag, armenian = ARTICLE.index("🇦🇲"), ARTICLE.index("Հայաստան")
    assert exact["🇦🇲👩‍👩‍👧"] == {"type": "TextPositionSelector", "start": flag, "end": flag + 7}
    assert exact["Հայաստան"]["start"] == armenian and exact["Հայաստան"]["end"] == armenian + 8


def test_only_live_placed_records_are_exported(coded: Sample, tmp_path: Path) -> None:
    collection = export(coded.project, tmp_path / "out.jsonld")
    ids = {uuid_of(a["id"]) for a in annotations(collection)}
    live = {s.id for s in coded.project.records(Span) if not s.orphaned_at}
    spans = {a for a in ids if coded.project.get(Span, a) is not None}
    assert spans == live
    [orphan] = [s.id for s in coded.project.records(Span) if s.orphaned_at]
    needing = {r["id"] for r in coded.project.all_rows("stances") if r["span_id"] == orphan}
    needing |= {r["id"] for r in coded.project.all_rows("links") if r["from_span_id"] == orphan}
    assert len(needing) == 2 and not needing & (ids | exported_ids_of(collection)["stances"])


# -- the W3C test suite's MUST assertions (needs ../shared) --------------------------------------


def must_schemas(test_file: str) -> list[dict]:
    listed = json.loads((SUITE / test_file).read_text(encoding="utf-8"))["assertions"]
    return [json.loads((SUITE / name).read_text(encoding="utf-8")) for name in listed]


def w3c_failures(collection: dict) -> list[str]:
    jsonschema = pytest.importorskip("jsonschema")
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT4

    schemas = [json.loads(p.read_text(encoding="utf-8")) for p in SUITE.rglob("*.json")]
    registry = Registry().with_resources(
        (s["id"], Resource.from_contents(s, default_specification=DRAFT4))
        for s in schemas
        if isinstance(s, dict) and "id" in s
    )

    def failures(obj: dict, test_file: str, what: str) -> Iterator[str]:
        for schema in must_schemas(test_file):
            validator = jsonschema.Draft4Validator(schema, registry=registry)
            failing = str(schema.get("onUnexpectedResult", "")).startswith("fail")
            if failing and not validator.is_valid(obj):
                yield f"{what}: {schema['id']}"

    found = list(failures(collection, "collections/collectionMusts.test", "collection"))
    for page in pages(collection):
        found += failures(page, "collections/pages/pageMusts.test", page["id"])
    for annotation in annotations(collection):
        found += failures(annotation, "annotations/annotationMusts.test", annotation["id"])
    return found


@pytest.mark.skipif(not SUITE.is_dir(), reason="the W3C test suite (../shared) is not here")
def test_export_passes_the_w3c_must_assertions(coded: Sample, tmp_path: Path) -> None:
    collection = export(coded.project, tmp_path / "out.jsonld", page_size=3, with_text=True)
    del collection["counts"]
    assert len(annotations(collection)) == 7
    assert w3c_failures(collection) == []


@pytest.mark.skipif(not SUITE.is_dir(), reason="the W3C test suite (../shared) is not here")
def test_the_w3c_check_fails_a_broken_annotation(coded: Sample, tmp_path: Path) -> None:
    collection = export(coded.project, tmp_path / "out.jsonld")
    del collection["counts"]
    collection["first"]["items"][0]["target"]["selector"][1]["start"] = "83"
    del collection["first"]["items"][1]["@context"]
    failing = {failure.split(": ")[0] for failure in w3c_failures(collection)}
    assert failing == {item["id"] for item in collection["first"]["items"][:2]}


# -- round trips ------------------------------------------------------------------------------


def stable(collection: dict) -> dict:
    """Without what differs between two exports of the same coding from two projects: the
    label, which names the project file (the collection's id follows what is exported)."""
    return {k: v for k, v in collection.items() if k not in {"label", "counts"}}


def live_records(project: Project) -> dict[str, Any]:
    """What an export of the coding as it stands must carry, by table (without import times)."""
    orphans = {r["id"] for r in project.all_rows("spans") if r["orphaned_at"]}
    rows = {t: [r for r in project.all_rows(t) if r.get("deleted_at") is None]
            for t in ("annotators", "documents", "tags", "targets", "actors", "spans",
                      "span_tags", "stances", "links")}  # fmt: skip
    rows["spans"] = [r for r in rows["spans"] if r["id"] not in orphans]
    rows["span_tags"] = sorted(
        (r["span_id"], r["tag_id"]) for r in rows["span_tags"] if r["span_id"] not in orphans
    )
    rows["stances"] = [r for r in rows["stances"] if r["span_id"] not in orphans]
    rows["links"] = [r for r in rows["links"] if not {r["from_span_id"], r["to_span_id"]} & orphans]
    rows["annotators"] = sorted((r["id"], r["name"]) for r in rows["annotators"])
    return rows


def test_round_trip_through_an_empty_project_is_stable(coded: Sample, tmp_path: Path) -> None:
    first = export(coded.project, tmp_path / "first.jsonld", with_text=True)
    with new_project(tmp_path, "copy.annotator") as copy:
        report, _ = import_set(copy, read_w3c(tmp_path / "first.jsonld"), by="Ani")
        assert report.problems == [] and report.unmapped == []
        again = export(copy, tmp_path / "again.jsonld", with_text=True)
        assert stable(again) == stable(first)
        assert again["counts"] == first["counts"]
        original, copied = live_records(coded.project), live_records(copy)
        for table in ("annotators", "documents", "tags", "targets", "actors", "span_tags"):
            assert copied[table] == original[table], table
        for table in ("spans", "stances", "links"):
            assert copied[table] == original[table], table


def test_importing_twice_changes_nothing(coded: Sample, tmp_path: Path) -> None:
    export(coded.project, tmp_path / "out.jsonld", with_text=True)
    with new_project(tmp_path, "copy.annotator") as copy:
        import_set(copy, read_w3c(tmp_path / "out.jsonld"), by="Ani")
        before = snapshot(copy)
        report, changes = import_set(copy, read_w3c(tmp_path / "out.jsonld"), by="Ani")
        assert not changes and snapshot(copy) == before and not report.added


def test_without_texts_documents_are_found_by_id_or_title(coded: Sample, tmp_path: Path) -> None:
    export(coded.project, tmp_path / "out.jsonld")
    with new_project(tmp_path, "other.annotator") as other:
        me = ops.ensure_annotator(other, "Lusine").id
        # The same article under another id (its text differs by a final newline): by title.
        article = ops.add_document(other, by=me, title="Illusion of peace", text=ARTICLE + " ")
        assert article.document.id != coded.article
        ops.add_document(other, by=me, title="Rebuttal", text=REBUTTAL)  # same text: same id
        report, _ = import_set(other, read_w3c(tmp_path / "out.jsonld"), by="Lusine")
        assert report.problems == []
        assert len(list(other.records(Span))) == 4
        assert sum(report.anchored.values()) == 4  # each passage found again in the text


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(
        st.tuples(st.integers(0, len(ARTICLE) - 1), st.integers(1, 40)), min_size=1, max_size=6
    )
)
def test_any_passage_survives_the_round_trip(tmp_path: Path, ranges: list[tuple[int, int]]) -> None:
    with tempfile.TemporaryDirectory(dir=tmp_path) as folder:
        with new_project(Path(folder), "a.annotator") as project:
            me = ops.ensure_annotator(project, "Ani").id
            document = ops.add_document(project, by=me, title="Article", text=ARTICLE).document
            for start, length in ranges:
                end = min(start + length, len(ARTICLE))
                ops.create_span(project, by=me, document_id=document.id, start=start, end=end)
            placed = sorted((s.start, s.end, s.quote) for s in project.records(Span))
            export(project, Path(folder) / "out.jsonld", with_text=True)
        with new_project(Path(folder), "b.annotator") as copy:
            report, _ = import_set(copy, read_w3c(Path(folder) / "out.jsonld"), by="Ani")
            assert report.problems == []
            assert sorted((s.start, s.end, s.quote) for s in copy.records(Span)) == placed


# -- filters ----------------------------------------------------------------------------------


def exported_ids_of(collection: dict) -> dict[str, set[str]]:
    """Ids of the documents, spans, stances and links a collection carries."""
    found: dict[str, set[str]] = {"spans": set(), "stances": set(), "links": set()}
    found["documents"] = {uuid_of(d["id"]) for d in collection["annotator:documents"]}
    for annotation in annotations(collection):
        if annotation["motivation"] == "linking":
            found["links"].add(uuid_of(annotation["id"]))
        elif isinstance(annotation["target"], dict):  # a passage; else a whole document
            found["spans"].add(uuid_of(annotation["id"]))
        for body in as_list(annotation.get("body", [])):
            if isinstance(body, dict) and "annotator:stance" in body:
                found["stances"].add(uuid_of(body["annotator:stance"]["id"]))
    return found


def exported_ids(project: Project, path: Path, selection: Selection) -> dict[str, set[str]]:
    return exported_ids_of(export(project, path, selection))


def test_filters_by_document_tag_and_annotator_are_honoured(coded: Sample, tmp_path: Path) -> None:
    p = coded.project
    only_rebuttal = exported_ids(
        p, tmp_path / "d.jsonld", Selection(documents=frozenset({coded.rebuttal}))
    )
    assert only_rebuttal["documents"] == {coded.rebuttal}
    assert coded.other_span in only_rebuttal["spans"] and coded.span not in only_rebuttal["spans"]
    assert only_rebuttal["links"] == set()  # every link reaches the article

    child = exported_ids(p, tmp_path / "t.jsonld", Selection(tags=frozenset({coded.child_tag})))
    whole = {r["id"] for r in p.all_rows("links") if r["from_span_id"] is None}
    assert child["spans"] == {coded.span} and child["links"] == whole  # it needs no span
    assert len(child["stances"]) == 2  # Lusine's on that span, and Ani's on the rebuttal

    hers = exported_ids(
        p, tmp_path / "a.jsonld", Selection(annotators=frozenset({coded.colleague}))
    )
    made_by_her = {s.id for s in p.records(Span) if s.created_by == coded.colleague}
    assert hers["spans"] == made_by_her and len(hers["links"]) == 0  # her link needs Ani's spans
    assert hers["stances"] == set()  # her stance is on Ani's span, which is not exported


# -- import of other tools' annotations -------------------------------------------------------


def hypothesis_row(**changes: Any) -> dict[str, Any]:
    """One annotation as the Hypothesis API returns it (positions count the web page's text)."""
    quote = "Հայաստան signed; Азербайджан"
    row = {
        "id": "utalbWjUQZK5ifydnohjmA",
        "created": "2026-03-01T10:07:04.785036+00:00",
        "updated": "2026-03-01T12:08:00.000000+02:00",
        "user": "acct:lusine@hypothes.is",
        "user_info": {"display_name": "Lusine"},
        "uri": URL,
        "text": "Armenian and Russian side by side",
        "tags": ["Peace process/Scripts", "Languages"],
        "group": "__world__",
        "target": [
            {
                "source": URL,
                "selector": [
                    {
                        "type": "RangeSelector",
                        "startContainer": "/main[1]/p[2]",
                        "startOffset": 34,
                        "endContainer": "/main[1]/p[2]",
                        "endOffset": 61,
                    },
                    {"type": "TextPositionSelector", "start": 1034, "end": 1061},
                    {
                        "type": "TextQuoteSelector",
                        "exact": quote,
                        "prefix": "victor’s peace. ",
                        "suffix": " insisted",
                    },
                ],
            }
        ],
        "document": {"title": ["The Illusion of Peace | Example"]},
        "links": {"html": "https://hypothes.is/a/utalbWjUQZK5ifydnohjmA"},
    }
    return row | changes


def write_json(path: Path, data: Any) -> Path:
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def set_source(project: Project, document_id: str, source: str) -> None:
    before = project.row("documents", document_id)
    project.apply(
        ChangeSet((Change("documents", document_id, before, before | {"source": source}),))
    )


def test_hypothesis_annotations_anchor_by_quote_on_the_document_at_their_url(
    sample: Sample, tmp_path: Path
) -> None:
    p = sample.project
    set_source(p, sample.article, URL)
    reply = hypothesis_row(id="reply1", text="agreed", tags=[], references=["utalbWjUQZK5ifydnohjmA"],
                           target=[{"source": URL}])  # fmt: skip
    page_note = hypothesis_row(id="note1", text="whole page", tags=[], target=[{"source": URL}])
    path = write_json(
        tmp_path / "hypothesis.json", {"total": 3, "rows": [hypothesis_row(), reply, page_note]}
    )
    parsed = read_w3c(path)
    assert any(line.startswith("RangeSelector") for line in parsed.unmapped)
    assert any(line.startswith("replies") for line in parsed.unmapped)
    assert any(line.startswith("tags and notes on a whole document") for line in parsed.unmapped)
    report, _ = import_set(p, parsed, by="Ani")
    assert report.problems == []
    [span] = [s for s in p.records(Span) if s.note == "Armenian and Russian side by side"]
    start = ARTICLE.index("Հայաստան")
    length = len("Հայաստան signed; Азербайджан")
    assert (span.document_id, span.start, span.end) == (sample.article, start, start + length)
    assert span.created_by == sample.colleague  # Lusine, by her display name
    assert (span.created_at, span.updated_at) == (
        "2026-03-01T10:07:04.785Z",
        "2026-03-01T10:08:00.000Z",
    )
    paths = References(p)
    tags = {paths.tag_path(t) for t in p.tag_ids_by_span(span_ids=[span.id])[span.id]}
    assert tags == {"Peace process/Scripts", "Languages"}  # "Scripts" under the existing tag
    before = snapshot(p)
    import_set(p, read_w3c(path), by="Ani")
    assert snapshot(p) == before  # importing the same file again changes nothing


@pytest.mark.parametrize("match", ["title", "url"])
def test_hypothesis_documents_are_matched_by_title_or_url(
    sample: Sample, tmp_path: Path, match: str
) -> None:
    row = hypothesis_row(
        uri="https://elsewhere.example/x", document={"title": ["Illusion of peace"]}
    )
    row["target"][0]["source"] = row["uri"]
    if match == "url":
        set_source(sample.project, sample.article, URL)
        row = hypothesis_row()
    report, _ = import_set(
        sample.project, read_w3c(write_json(tmp_path / "h.json", [row])), by="Ani"
    )
    assert report.problems == [] and report.added["span"] == 1


def test_annotations_on_unknown_documents_are_reported(sample: Sample, tmp_path: Path) -> None:
    row = hypothesis_row(uri="https://unknown.example/", document={"title": ["Nothing like it"]})
    row["target"][0]["source"] = row["uri"]
    before = len(list(sample.project.records(Span)))
    report, _ = import_set(
        sample.project, read_w3c(write_json(tmp_path / "h.json", [row])), by="Ani"
    )
    assert any("Nothing like it" in problem for problem in report.problems)
    assert len(list(sample.project.records(Span))) == before


def quoting(exact: str) -> dict[str, Any]:
    """A specific resource: the passage ``exact`` of the page at URL, found by its quote."""
    return {"source": URL, "selector": {"type": "TextQuoteSelector", "exact": exact}}


def test_other_tools_w3c_annotations_map_comments_tags_and_links(
    sample: Sample, tmp_path: Path
) -> None:
    set_source(sample.project, sample.article, URL)
    commented = {
        "@context": ANNO_CONTEXT,
        "id": "http://example.org/anno1",
        "type": "Annotation",
        "motivation": "commenting",
        "creator": {"id": "http://example.org/user/ani", "type": "Person", "nickname": "ani"},
        "body": [
            {"type": "TextualBody", "value": "Who is the victor?"},
            {"type": "TextualBody", "purpose": "tagging", "value": "Victor's peace"},
        ],
        "target": quoting("victor’s peace"),
    }
    linking = {
        "@context": ANNO_CONTEXT,
        "id": "http://example.org/anno2",
        "type": "Annotation",
        "motivation": "linking",
        "body": quoting("Zangezur corridor"),
        "target": quoting("draft agreement"),
    }
    identifying = {
        "@context": ANNO_CONTEXT,
        "id": "http://example.org/anno3",
        "type": "Annotation",
        "motivation": "identifying",
        "body": "http://www.wikidata.org/entity/Q399",
        "target": {"source": URL, "selector": {"type": "XPathSelector", "value": "/p[1]"}},
    }
    page = {"@context": ANNO_CONTEXT, "id": "http://example.org/page1", "type": "AnnotationPage",
            "items": [commented, linking, identifying]}  # fmt: skip
    parsed = read_w3c(write_json(tmp_path / "page.jsonld", page))
    assert any("motivation 'identifying'" in line for line in parsed.unmapped)
    assert any("XPathSelector" in line for line in parsed.unmapped)
    assert any("linkType" in line for line in parsed.unmapped)
    report, _ = import_set(sample.project, parsed, by="Ani")
    assert report.problems == []
    notes = [s for s in sample.project.records(Span) if s.note == "Who is the victor?"]
    assert len(notes) == 1 and notes[0].quote == "victor’s peace"
    [link] = [row for row in sample.project.all_rows("links")]
    assert link["type"] == "links to" and link["from_document_id"] == sample.article
    assert sample.project.row("spans", link["to_span_id"])["quote"] == "Zangezur corridor"


# -- bad input ----------------------------------------------------------------------------------

BAD_FILES = {
    "not json": "{oops",
    "not annotations": '{"name": "package", "version": "1.0"}',
    "an empty list": "[]",
    "a list of numbers": "[1, 2]",
    "a string": '"annotations"',
    "no target": '{"type": "Annotation", "id": "urn:x:1"}',
    "a numeric target": '{"type": "Annotation", "target": 5}',
    "a textual position": '{"type": "Annotation", "target": {"source": "urn:x:d", "selector": '
    '{"type": "TextPositionSelector", "start": "3", "end": 9}}}',
    "a backwards position": '{"type": "Annotation", "target": {"source": "urn:x:d", "selector": '
    '{"type": "TextPositionSelector", "start": 9, "end": 3}}}',
    "a numeric body value": '{"type": "Annotation", "target": "urn:x:d", "body": '
    '{"type": "TextualBody", "value": 7}}',
    "a numeric motivation": '{"type": "Annotation", "target": "urn:x:d", "motivation": 4}',
    "pages that are not a list": '{"type": "AnnotationCollection", "first": {"type": '
    '"AnnotationPage", "items": []}, "pages": {}}',
    "items that are not a list": '{"type": "AnnotationPage", "items": "none"}',
    "a textual polarity": '{"type": "Annotation", "target": "urn:x:d", "body": {"type": '
    '"TextualBody", "value": "x", "annotator:polarity": "high", "annotator:stanceTarget": {}}}',
    "hypothesis tags that are not a list": '{"uri": "https://x.example", "target": [], "tags": "a"}',
    "a collection whose pages are elsewhere": '{"type": "AnnotationCollection", "total": 3, '
    '"first": "https://example.org/page1"}',
}


@pytest.mark.parametrize("problem", list(BAD_FILES))
def test_bad_files_are_refused_in_one_line_and_change_nothing(
    sample: Sample, tmp_path: Path, problem: str
) -> None:
    path = tmp_path / "bad.jsonld"
    path.write_text(BAD_FILES[problem], encoding="utf-8")
    with pytest.raises(FormatError) as refused:
        read_w3c(path)
    message = str(refused.value)
    assert message.startswith("bad.jsonld: ") and "\n" not in message
    before = snapshot(sample.project)
    outcome = import_paths(sample.project, [path], by="Ani")
    assert [s.path for s in outcome.skipped] == [path] and outcome.sets == []
    assert snapshot(sample.project) == before


def test_non_utf8_and_oversized_files_are_refused(tmp_path: Path) -> None:
    latin = tmp_path / "latin.jsonld"
    latin.write_bytes('{"type": "Annotation", "target": "café"}'.encode("latin-1"))
    with pytest.raises(FormatError, match=r"latin\.jsonld: not UTF-8"):
        read_w3c(latin)
    huge = tmp_path / "huge.jsonld"
    with huge.open("wb") as handle:  # sparse: no 2 GB written
        handle.truncate(2 * 1024**3 + 1)
    with pytest.raises(FormatError, match=r"huge\.jsonld: too large to import"):
        read_w3c(huge)


# -- registry ---------------------------------------------------------------------------------


def test_registered_for_export_and_import_json_only_when_named(tmp_path: Path) -> None:
    assert EXPORTS["w3c"].suffix == ".jsonld" and "with_text" in EXPORTS["w3c"].options
    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("coding.jsonld", "manifest.json", "article.txt"):
        (folder / name).write_text("{}", encoding="utf-8")
    sets, documents = split_paths([folder, folder / "manifest.json"])
    assert sets == [folder / "coding.jsonld", folder / "manifest.json"] and documents == [folder]
    assert import_format(folder / "manifest.json", in_folder=True) is None


def test_the_documented_example_imports_into_the_sample(sample: Sample, tmp_path: Path) -> None:
    """docs/w3c.md shows a real annotation: the sample article's id follows its text."""
    docs = Path(__file__).resolve().parents[2] / "docs" / "w3c.md"
    [example] = re.findall(r"```json\n(.*?)```", docs.read_text(encoding="utf-8"), re.DOTALL)
    parsed = read_w3c(write_json(tmp_path / "example.jsonld", json.loads(example)))
    assert parsed.unmapped == []
    report, _ = import_set(sample.project, parsed, by="Ani")
    assert report.problems == [] and report.added["span"] == 1 and report.added["stance"] == 1
    [span] = [s for s in sample.project.records(Span) if s.note]
    assert span.quote == "victor’s peace" and span.document_id == sample.article
    assert span.created_by == sample.me  # "Ani", matched by name
