"""Importing REFI-QDA from other programs: the real exports in ../shared, and files written here
the way MAXQDA, ATLAS.ti, NVivo and QualCoder write them (CRLF and decomposed texts, braces and
upper-case GUIDs, notes, sources and parts we cannot map)."""

from __future__ import annotations

import unicodedata
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from annotator.core import ops
from annotator.core.formats.jsonl_import import import_set
from annotator.core.formats.refi_codebook import read_qdc
from annotator.core.formats.refi_import import read_qdpx
from annotator.core.formats.set_writer import fragment
from annotator.core.importing import import_paths, split_paths
from annotator.core.model import Span, Stance
from annotator.core.store import Project

from .test_refi_support import CODEBOOK_NS, PROJECT_NS, SAMPLES

MAXQDA = SAMPLES / "maxqda24-10-sources.qdpx"
ATLAS_CODEBOOK = SAMPLES / "atlasti23-codebook.qdpx"
ATLAS_BLANK = SAMPLES / "atlasti23-blank.qdpx"
needs_samples = pytest.mark.skipif(not MAXQDA.exists(), reason="../shared/interop is absent")


def imported(path: Path, folder: Path, by: str = "Ani") -> Project:
    project = Project.create(folder / f"{path.stem}.annotator")
    reader = read_qdc if path.suffix == ".qdc" else read_qdpx
    report, _ = import_set(project, reader(path), by=by)
    assert report.problems == []
    project.report = report  # type: ignore[attr-defined]
    return project


def make_qdpx(path: Path, qde: str, members: dict[str, bytes] | None = None) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("project.qde", qde.encode("utf-8"))
        for name, data in (members or {}).items():
            archive.writestr(name, data)
    return path


# -- the real exports -----------------------------------------------------------------------------


@needs_samples
def test_the_maxqda_export_comes_in_whole(tmp_path: Path) -> None:
    with zipfile.ZipFile(MAXQDA) as archive:
        root = etree.fromstring(archive.read("project.qde"))
        texts = {
            source.get("guid").lower(): fragment(
                archive.read(f"sources/{source.get('guid')}.txt").decode()
            )
            for source in root.iter(f"{{{PROJECT_NS}}}TextSource")
        }
    codes = {
        code.get("guid").lower(): (
            code.getparent().get("guid", "").lower() or None,
            code.get("name"),
            code.get("color").lower(),
            code.findtext(f"{{{PROJECT_NS}}}Description"),
        )
        for code in root.iter(f"{{{PROJECT_NS}}}Code")
    }
    assert len(texts) == 10 and len(codes) == 307
    with imported(MAXQDA, tmp_path) as project:
        stored = {r["id"]: r["text"] for r in project.rows("documents")}
        tags = {
            r["id"]: (r["parent_id"], r["name"], r["colour"], r["description"])
            for r in project.rows("tags")
        }
        assert stored == texts
        assert tags == codes
        assert sum(parent is None for parent, *_ in tags.values()) == len(
            root.find(f"{{{PROJECT_NS}}}CodeBook")[0]
        )
        users = {r["id"]: r["name"] for r in project.rows("annotators")}
        first_user = root.find(f"{{{PROJECT_NS}}}Users")[0]
        assert users[first_user.get("guid").lower()] == first_user.get("name")
        documents = project.rows("documents", order_by="title")
        assert all(d["created_by"] == first_user.get("guid").lower() for d in documents)
        assert project.report.unmapped == ["sets of sources or codes: 2"]


@needs_samples
def test_the_atlas_codebook_and_the_blank_project(tmp_path: Path) -> None:
    with imported(ATLAS_CODEBOOK, tmp_path) as project:
        tags = {r["name"]: r["parent_id"] for r in project.rows("tags")}
        parents = [name for name, parent in tags.items() if parent is None]
        assert len(tags) == 3 and len(parents) == 1
        parent_id = next(r["id"] for r in project.rows("tags") if r["name"] == parents[0])
        assert sorted(tags.values(), key=str) == sorted([None, parent_id, parent_id], key=str)
    with imported(ATLAS_BLANK, tmp_path) as project:
        assert project.count_live("documents") == project.count_live("tags") == 0
        assert project.count_live("annotators") == 2 and project.report.unmapped == []


# -- files of other programs, written here --------------------------------------------------------

U1, U2 = "{AB2C1D3E-0F4A-4B5C-8D6E-7F8091A2B3C4}", "0D1E2F30-4152-4637-8899-AABBCCDDEEFF"
G = {
    k: f"{i:08X}-1111-4222-8333-444455556666"
    for i, k in enumerate(
        [
            "src_a",
            "src_b",
            "code_a",
            "code_b",
            "stances",
            "target",
            "minus",
            "plus",
            "actors",
            "actor",
            "sel_1",
            "sel_2",
            "sel_3",
            "sel_4",
            "sel_5",
            "note_1",
            "note_2",
            "link_1",
            "link_2",
            "var_author",
            "var_year",
            "pdf",
            "cod_1",
            "cod_2",
            "cod_3",
            "cod_4",
            "cod_5",
            "cod_6",
            "code_memo",
        ]
    )
}
# A: CRLF line breaks and a decomposed é (e + U+0301), as Windows programs write them.
TEXT_A = "Premie\u0301re ligne.\r\nLa paix est proche.\r\nМир близок — Հայաստան 🇦🇲.\r\n"
TEXT_B = "A second source, inline."


def at(text: str, quote: str) -> tuple[int, int]:
    start = text.index(quote)
    return start, start + len(quote)


def foreign_qde() -> str:
    (s1, e1), (s2, e2), (s3, e3) = (
        at(TEXT_A, "La paix est proche."),
        at(TEXT_A, "Мир близок — Հայաստան 🇦🇲"),
        at(TEXT_B, "second"),
    )
    sel = (
        '<PlainTextSelection guid="{g}" startPosition="{s}" endPosition="{e}" '
        'creatingUser="{u}" creationDateTime="2024-10-18T23:23:46">'
    ).format
    return f"""<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="{PROJECT_NS}" name="elsewhere" origin="Another program 1.0">
 <Users><User guid="{U1}" name="Ani"/><User guid="{U2}"/></Users>
 <CodeBook><Codes>
  <Code guid="{G["code_a"]}" name="Peace/War" isCodable="true" color="#F00">
   <Description>Both at once.</Description><NoteRef targetGUID="{G["code_memo"]}"/>
   <Code guid="{G["code_b"]}" name="Hope" isCodable="true" color="#00aa00"/>
  </Code>
  <Code guid="{G["stances"]}" name="Stances" isCodable="false">
   <Code guid="{G["target"]}" name="Ceasefire" isCodable="false">
    <Code guid="{G["minus"]}" name="-1 against" isCodable="true"/>
    <Code guid="{G["plus"]}" name="+1 for it" isCodable="true"/>
   </Code>
  </Code>
  <Code guid="{G["actors"]}" name="Actors" isCodable="false">
   <Code guid="{G["actor"]}" name="Government of Armenia" isCodable="true">
    <Description>Also known as: Yerevan</Description>
   </Code>
  </Code>
 </Codes></CodeBook>
 <Variables>
  <Variable guid="{G["var_author"]}" name="Author" typeOfVariable="Text"/>
  <Variable guid="{G["var_year"]}" name="Year" typeOfVariable="Integer"/>
 </Variables>
 <Cases><Case guid="{G["link_2"]}" name="A case"/></Cases>
 <Sources>
  <TextSource guid="{G["src_a"]}" name="Source A" plainTextPath="internal://{G["src_a"]}.txt"
   creatingUser="{U1}" creationDateTime="2024-10-18T23:23:46Z"
   modifiedDateTime="2024-10-19T08:00:00+02:00">
   {sel(g=G["sel_1"], s=s1, e=e1, u=U1)}
    <Description>Said twice.</Description>
    <Coding guid="{G["cod_1"]}">
     <CodeRef targetGUID="{G["code_b"].lower()}"/><NoteRef targetGUID="{G["note_2"]}"/>
    </Coding>
    <Coding guid="{G["cod_2"]}"><CodeRef targetGUID="{G["plus"]}"/></Coding>
    <Coding guid="{G["cod_3"]}"><CodeRef targetGUID="{G["actor"]}"/></Coding>
    <NoteRef targetGUID="{G["note_1"]}"/>
   </PlainTextSelection>
   {sel(g=G["sel_2"], s=s2, e=e2, u=U2)}
    <Coding guid="{G["cod_4"]}"><CodeRef targetGUID="{G["code_a"]}"/></Coding>
    <Coding guid="{G["cod_5"]}"><CodeRef targetGUID="{G["pdf"]}"/></Coding>
   </PlainTextSelection>
   {sel(g=G["sel_4"], s=0, e=999, u=U1)}</PlainTextSelection>
   <Coding guid="{G["cod_6"]}"><CodeRef targetGUID="{G["minus"]}"/></Coding>
   <VariableValue>
    <VariableRef targetGUID="{G["var_author"]}"/><TextValue>Lusine</TextValue>
   </VariableValue>
   <VariableValue>
    <VariableRef targetGUID="{G["var_year"]}"/><IntegerValue>2024</IntegerValue>
   </VariableValue>
  </TextSource>
  <TextSource guid="{G["src_b"]}" name="Source B">
   <PlainTextContent>{TEXT_B}</PlainTextContent>
   {sel(g=G["sel_3"], s=s3, e=e3, u=U1)}</PlainTextSelection>
  </TextSource>
  <PDFSource guid="{G["pdf"]}" name="A scan" path="internal://scan.pdf"/>
  <PictureSource guid="{G["sel_5"]}" name="A map" path="internal://map.png"/>
 </Sources>
 <Notes>
  <Note guid="{G["note_1"]}" name="memo"><PlainTextContent>Check the date.</PlainTextContent></Note>
  <Note guid="{G["note_2"]}" name="coding memo" plainTextPath="internal://{G["note_2"]}.txt"/>
  <Note guid="{G["code_memo"]}" name="code memo">
   <PlainTextContent>Use sparingly.</PlainTextContent>
  </Note>
  <Note guid="{G["link_1"]}" name="loose">
   <PlainTextContent>A project memo.</PlainTextContent>
  </Note>
 </Notes>
 <Links>
  <Link guid="{G["cod_1"]}" name="supports" direction="Associative"
   originGUID="{G["sel_3"]}" targetGUID="{G["sel_1"]}"/>
  <Link guid="{G["cod_2"]}" originGUID="{G["src_b"]}" targetGUID="{G["src_a"]}"/>
  <Link guid="{G["cod_3"]}" name="about" originGUID="{G["sel_1"]}" targetGUID="{G["code_a"]}"/>
 </Links>
 <Sets><Set guid="{G["cod_4"]}" name="Some"><MemberSource targetGUID="{G["src_a"]}"/></Set></Sets>
</Project>"""


def foreign_qdpx(folder: Path) -> Path:
    return make_qdpx(
        folder / "elsewhere.qdpx",
        foreign_qde(),
        {
            f"sources/{G['src_a']}.txt": TEXT_A.encode("utf-8"),
            f"sources/{G['note_2']}.txt": "Hope, in\r\nso many words.".encode("utf-8-sig"),
            "sources/scan.pdf": b"%PDF-1.4 not read",
        },
    )


def test_another_programs_project_maps_exactly(tmp_path: Path) -> None:
    with imported(foreign_qdpx(tmp_path), tmp_path, by="Ani") as project:
        g = {k: v.lower() for k, v in G.items()}
        a = project.row("documents", g["src_a"])
        assert a["text"] == unicodedata.normalize("NFC", TEXT_A.replace("\r\n", "\n"))
        assert (a["title"], a["author"]) == ("Source A", "Lusine")
        assert (a["created_at"], a["updated_at"]) == (
            "2024-10-18T23:23:46.000Z",
            "2024-10-19T06:00:00.000Z",
        )
        assert project.row("documents", g["src_b"])["text"] == TEXT_B
        first, second = project.get(Span, g["sel_1"]), project.get(Span, g["sel_2"])
        assert (
            first.quote == "La paix est proche."
            and a["text"][first.start : first.end] == first.quote
        )
        assert second.quote == "Мир близок — Հայաստան 🇦🇲"
        assert first.note == "Said twice.\n\nCheck the date.\n\nHope, in\nso many words."
        assert first.created_by == U1.strip("{}").lower()
        assert project.row("annotators", U1.strip("{}").lower())["name"] == "Ani"
        assert first.created_at == "2024-10-18T23:23:46.000Z"
        tags = {r["id"]: r for r in project.rows("tags")}
        assert (
            tags[g["code_a"]]["name"] == "Peace\u2215War"
            and tags[g["code_a"]]["colour"] == "#ff0000"
        )
        assert tags[g["code_a"]]["description"] == "Both at once.\n\nUse sparingly."
        assert tags[g["code_b"]]["parent_id"] == g["code_a"]
        assert project.tag_ids_by_span() == {g["sel_1"]: [g["code_b"]], g["sel_2"]: [g["code_a"]]}
        stance = project.get(Stance, g["cod_2"])
        assert (stance.span_id, stance.target_id, stance.actor_id, stance.polarity) == (
            g["sel_1"],
            g["target"],
            g["actor"],
            1,
        )
        whole = project.get(Stance, g["cod_6"])
        assert (whole.span_id, whole.document_id, whole.polarity) == (None, g["src_a"], -1)
        actor = project.row("actors", g["actor"])
        assert actor["aliases"] == '["Yerevan"]' and actor["description"] is None
        links = {r["id"]: r for r in project.rows("links")}
        assert set(links) == {g["cod_1"], g["cod_2"]}
        assert (
            links[g["cod_1"]]["from_span_id"],
            links[g["cod_1"]]["to_span_id"],
            links[g["cod_1"]]["type"],
        ) == (g["sel_3"], g["sel_1"], "supports")
        assert (links[g["cod_2"]]["from_span_id"], links[g["cod_2"]]["type"]) == (None, "related")
        assert sorted(project.report.unmapped) == sorted(
            [
                "codings with a code that is not in the codebook: 1",
                "selections beyond their source's text: 1",
                "values of variables other than author, date, source, language: 1",
                "PDF sources: 1",
                "picture sources: 1",
                "links that do not join two text passages or sources: 1",
                "cases: 1",
                "sets of sources or codes: 1",
                "notes attached to nothing that is mapped: 1",
            ]
        )
        assert project.row("settings", "stance_scale") is not None


def test_a_text_already_in_the_project_is_recognised(tmp_path: Path) -> None:
    path = foreign_qdpx(tmp_path)
    with Project.create(tmp_path / "mine.annotator") as project:
        me = ops.ensure_annotator(project, "Ani").id
        text = unicodedata.normalize("NFC", TEXT_A.replace("\r\n", "\n"))
        mine = ops.add_document(project, by=me, title="My copy", text=text).document
        report, _ = import_set(project, read_qdpx(path), by="Ani")
        assert report.problems == [] and project.count_live("documents") == 2
        assert {s.document_id for s in project.spans_of_document(mine.id)} == {mine.id}
        assert len(project.spans_of_document(mine.id)) == 2


def test_a_foreign_codebook(tmp_path: Path) -> None:
    path = tmp_path / "codes.qdc"
    path.write_text(
        f'<?xml version="1.0" encoding="utf-8"?><CodeBook xmlns="{CODEBOOK_NS}" origin="X">'
        f'<Codes><Code guid="{G["code_a"]}" name="Theme" isCodable="false">'
        f'<Code guid="{G["code_b"]}" name="Sub" isCodable="true" color="#123456">'
        "<Description>d</Description></Code></Code></Codes>"
        f'<Sets><Set guid="{G["cod_1"]}" name="S"><MemberCode guid="{G["code_b"]}"/></Set></Sets>'
        "</CodeBook>",
        encoding="utf-8",
    )
    with imported(path, tmp_path) as project:
        tags = {
            r["name"]: (r["parent_id"], r["colour"], r["description"]) for r in project.rows("tags")
        }
        assert tags == {"Theme": (None, None, None), "Sub": (G["code_a"].lower(), "#123456", "d")}
        assert project.report.unmapped == ["sets of codes: 1"]


def test_folders_are_searched_for_qdpx_and_qdc(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    foreign_qdpx(folder)
    (folder / "notes.txt").write_text("A plain document.", encoding="utf-8")
    sets, documents = split_paths([folder])
    assert [p.name for p in sets] == ["elsewhere.qdpx"] and documents == [folder]
    with Project.create(tmp_path / "p.annotator") as project:
        outcome = import_paths(project, [folder], by="Ani")
        assert outcome.skipped == [] and [p.name for p, _ in outcome.sets] == ["elsewhere.qdpx"]
        assert project.count_live("documents") == 3
