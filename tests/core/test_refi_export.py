"""Exporting REFI-QDA: a valid .qdpx and .qdc, code-point offsets, stances, filters, orphans."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from annotator.core import ops
from annotator.core.formats import FormatError
from annotator.core.formats.refi_codebook import ACTORS_GUID, STANCES_GUID, polarity_guid
from annotator.core.formats.refi_common import actor_coding_guid, note_guid
from annotator.core.formats.refi_writing import CompressingWriter
from annotator.core.formats.registry import EXPORTS, output_target
from annotator.core.formats.selection import resolve_names
from annotator.core.model import Span
from annotator.core.store import Project

from .sample import ARTICLE, Sample
from .test_refi_support import CODEBOOK_NS, assert_valid, enrich, export_to, open_qdpx, orphan, q


def selections(root: etree._Element) -> dict[str, etree._Element]:
    return {s.get("guid"): s for s in root.iter(q("PlainTextSelection"))}


def code_refs(element: etree._Element) -> list[str]:
    return [c.find(q("CodeRef")).get("targetGUID") for c in element.findall(q("Coding"))]


def test_a_project_becomes_texts_and_a_valid_project_file(sample: Sample, tmp_path: Path) -> None:
    enrich(sample)
    with (tmp_path / "o.qdpx").open("wb") as handle:
        counts = EXPORTS["qdpx"].write(sample.project, handle, resolve_names(sample.project))
    root, texts = open_qdpx(tmp_path / "o.qdpx")
    assert texts == {
        f"sources/{d}.txt": sample.project.row("documents", d)["text"]
        for d in (sample.article, sample.rebuttal)
    }
    assert dict(counts) == {
        "documents": 2,
        "annotators": 2,
        "tags": 2,
        "targets": 1,
        "actors": 1,
        "spans": 5,
        "stances": 2,
        "links": 2,
        "notes": 4,
    }
    users = {u.get("guid"): u.get("name") for u in root.iter(q("User"))}
    assert users == {sample.me: "Ani", sample.colleague: "Lusine"}
    source = root.find(f"{q('Sources')}/{q('TextSource')}[@guid='{sample.article}']")
    assert source.get("name") == "Illusion of peace"
    assert source.get("plainTextPath") == f"internal://{sample.article}.txt"
    assert source.get("creatingUser") == sample.me and source.get("creationDateTime")
    values = [v.findtext(q("TextValue")) for v in source.iter(q("VariableValue"))]
    assert values == ["Jean-François Ratelle", "2025-03-20"]


def test_positions_count_code_points_in_the_text_file(sample: Sample, tmp_path: Path) -> None:
    ids = enrich(sample)
    root, texts = open_qdpx(export_to(sample.project, tmp_path / "o.qdpx"))
    text = texts[f"sources/{sample.article}.txt"]
    found = selections(root)
    for key in ("emoji", "armenian", "cyrillic"):
        span = sample.project.get(Span, ids[key])
        start, end = (
            int(found[span.id].get("startPosition")),
            int(found[span.id].get("endPosition")),
        )
        assert (start, end) == (
            ARTICLE.index(span.quote),
            ARTICLE.index(span.quote) + len(span.quote),
        )
        assert text[start:end] == span.quote  # code points: the flag and family are 2 and 5


def test_codes_notes_and_the_stance_mapping(sample: Sample, tmp_path: Path) -> None:
    ids = enrich(sample)
    root, _ = open_qdpx(export_to(sample.project, tmp_path / "o.qdpx"))
    codes = {c.get("guid"): c for c in root.iter(q("Code"))}
    assert codes[sample.tag].get("color") == "#aabbcc"
    child = codes[sample.child_tag]
    assert child.getparent() is codes[sample.tag]
    assert (child.get("color"), child.findtext(q("Description"))) == (
        "#112233",
        "A peace imposed by the winner.",
    )
    target = codes[sample.target]
    assert target.getparent() is codes[STANCES_GUID] and target.get("isCodable") == "false"
    assert [c.get("name") for c in target] == [
        "-2 strongly against",
        "-1 against",
        "0 neutral or ambivalent",
        "+1 in favour",
        "+2 strongly in favour",
    ]
    actor = codes[sample.actor]
    assert actor.getparent() is codes[ACTORS_GUID]
    assert actor.findtext(q("Description")) == "Also known as: Baku"

    evidence = selections(root)[sample.span]
    assert code_refs(evidence) == [
        *sorted([sample.tag, sample.child_tag]),
        polarity_guid(sample.target, -2),
        sample.actor,
    ]
    codings = evidence.findall(q("Coding"))
    assert [c.get("guid") for c in codings[2:]] == [ids["stance"], actor_coding_guid(ids["stance"])]
    assert codings[2].find(q("NoteRef")).get("targetGUID") == note_guid(ids["stance"])
    assert evidence.find(q("NoteRef")).get("targetGUID") == note_guid(sample.span)
    notes = {n.get("guid"): n.findtext(q("PlainTextContent")) for n in root.iter(q("Note"))}
    assert notes[note_guid(sample.span)] == "Key phrase.\nSecond line: “quoted”."
    assert notes[note_guid(ids["stance"])] == "Firmly against."
    rebuttal = root.find(f".//{q('TextSource')}[@guid='{sample.rebuttal}']")
    whole = rebuttal.find(q("Coding"))  # a stance on the whole document codes the source
    assert whole.get("guid") == ids["doc_stance"] and whole.get("creatingUser") == sample.colleague
    assert code_refs(rebuttal) == [polarity_guid(sample.target, 1)]


def test_links_join_selections_or_sources(sample: Sample, tmp_path: Path) -> None:
    ids = enrich(sample)
    root, _ = open_qdpx(export_to(sample.project, tmp_path / "o.qdpx"))
    links = {link.get("guid"): link for link in root.iter(q("Link"))}
    passage = links[ids["link"]]
    assert (passage.get("originGUID"), passage.get("targetGUID")) == (
        sample.other_span,
        sample.span,
    )
    assert (passage.get("name"), passage.get("direction")) == ("responds to", "OneWay")
    assert passage.find(q("NoteRef")).get("targetGUID") == note_guid(ids["link"])
    whole = links[ids["doc_link"]]
    assert (whole.get("originGUID"), whole.get("targetGUID")) == (sample.rebuttal, sample.article)


def test_deleted_and_orphaned_spans_are_left_out_with_what_rests_on_them(
    sample: Sample, tmp_path: Path
) -> None:
    ids = enrich(sample)
    lost = orphan(sample)
    ops.create_link(
        sample.project, by=sample.me, source=lost, target=sample.other_span, type="cites"
    )
    root, _ = open_qdpx(export_to(sample.project, tmp_path / "o.qdpx"))
    found = selections(root)
    assert ids["deleted"] not in found and lost not in found and sample.span in found
    assert [c.get("name") for c in root.iter(q("Link"))].count("cites") == 1  # the documents' link
    stance_codes = {polarity_guid(sample.target, p) for p in range(-2, 3)}
    refs = [r.get("targetGUID") for r in root.iter(q("CodeRef"))]
    assert sum(r in stance_codes for r in refs) == 2  # the orphan's stance is left out


def test_filters_choose_documents_and_annotators(sample: Sample, tmp_path: Path) -> None:
    ids = enrich(sample)
    only = resolve_names(sample.project, documents=["Rebuttal"])
    root, texts = open_qdpx(export_to(sample.project, tmp_path / "r.qdpx", only))
    assert list(texts) == [f"sources/{sample.rebuttal}.txt"]
    assert set(selections(root)) == {sample.other_span}
    assert root.find(q("Links")) is None  # each link has an end in the other document
    theirs = resolve_names(sample.project, annotators=["Lusine"])
    root, _ = open_qdpx(export_to(sample.project, tmp_path / "l.qdpx", theirs))
    assert selections(root) == {}
    assert [c.get("guid") for c in root.iter(q("Coding"))] == [ids["doc_stance"]]


def test_an_empty_project_exports_and_an_empty_codebook_is_refused(tmp_path: Path) -> None:
    with Project.create(tmp_path / "empty.annotator") as project:
        root, texts = open_qdpx(export_to(project, tmp_path / "empty.qdpx"))
        assert texts == {} and len(root) == 0
        target = tmp_path / "empty.qdc"
        with (
            pytest.raises(FormatError, match="no tags, targets or actors"),
            output_target(EXPORTS["qdc"], target) as handle,
        ):
            EXPORTS["qdc"].write(project, handle, resolve_names(project))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["empty.annotator", "empty.qdpx"]


def test_the_codebook_alone_is_a_valid_qdc(sample: Sample, tmp_path: Path) -> None:
    enrich(sample)
    path = export_to(sample.project, tmp_path / "codes.qdc")
    root = etree.parse(str(path)).getroot()
    assert_valid(root)
    assert root.tag == f"{{{CODEBOOK_NS}}}CodeBook" and root.get("origin") == "Annotator"
    names = [c.get("name") for c in root.iter(f"{{{CODEBOOK_NS}}}Code")]
    assert names[:2] == ["Peace process", "Victor's peace"]
    assert {"Stances", "Draft peace agreement", "Actors", "Government of Azerbaijan"} <= set(names)


def test_control_characters_cannot_break_the_xml(sample: Sample, tmp_path: Path) -> None:
    ops.update_span(sample.project, by=sample.me, span_id=sample.span, note="bell\x07 and nul\x00")
    root, _ = open_qdpx(export_to(sample.project, tmp_path / "o.qdpx"))
    assert [n.findtext(q("PlainTextContent")) for n in root.iter(q("Note"))] == [
        "bell\ufffd and nul\ufffd"
    ]


def test_the_archive_holds_nothing_else(sample: Sample, tmp_path: Path) -> None:
    path = export_to(sample.project, tmp_path / "o.qdpx")
    with zipfile.ZipFile(path) as archive:
        names = archive.namelist()
        assert all(i.compress_type == zipfile.ZIP_DEFLATED for i in archive.infolist())
    assert sorted(names) == sorted(
        ["project.qde", f"sources/{sample.article}.txt", f"sources/{sample.rebuttal}.txt"]
    )


def test_the_compressing_thread_keeps_order_and_reports_failures() -> None:
    sink = io.BytesIO()
    with CompressingWriter(sink, chunk=7) as stream:
        for number in range(2000):
            stream.write(str(number).encode())
    assert sink.getvalue() == "".join(map(str, range(2000))).encode()

    class FullDisk:
        def write(self, data: bytes) -> int:
            raise OSError(28, "No space left on device")

    with pytest.raises(OSError, match="No space left"), CompressingWriter(FullDisk(), 10) as full:
        for _ in range(100):
            full.write(b"x" * 20)
    assert not full.thread.is_alive()
    with pytest.raises(ValueError), CompressingWriter(io.BytesIO()) as stopped:
        stopped.write(b"half")
        raise ValueError("the export failed")
    assert not stopped.thread.is_alive()
