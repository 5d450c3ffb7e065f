"""What the REFI-QDA tests share: a richly annotated project, the published schemas when
../shared holds them, and a structural check of our own that needs no schema (tested here)."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from annotator.core import ops
from annotator.core.formats.refi_codebook import export_qdc
from annotator.core.formats.refi_export import export_qdpx
from annotator.core.formats.selection import Selection
from annotator.core.store import Project

from .sample import ARTICLE, Sample

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
REFI = SHARED / "interop" / "refi-qda"
SAMPLES = REFI / "samples"
SCHEMAS = REFI / "schemas"
PROJECT_NS = "urn:QDA-XML:project:1.0"
CODEBOOK_NS = "urn:QDA-XML:codebook:1.0"

GUID = re.compile(
    r"\{?[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\}?"
)
RGB = re.compile(r"#([A-Fa-f0-9]{6}|[A-Fa-f0-9]{3})")
DATE_TIME = re.compile(r"-?\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)?")
GUID_ATTRIBUTES = {
    "guid",
    "targetGUID",
    "originGUID",
    "creatingUser",
    "modifyingUser",
    "creatingUserGUID",
    "modifyingUserGUID",
}
TEXT_SOURCE = (
    "Description",
    "PlainTextContent",
    "PlainTextSelection",
    "Coding",
    "NoteRef",
    "VariableValue",
)
VALUES = ("TextValue", "BooleanValue", "IntegerValue", "FloatValue", "DateValue", "DateTimeValue")
# The children each element may have, in the order the schemas demand (what we write).
ORDER: dict[str, tuple[str, ...]] = {
    "Project": (
        "Users",
        "CodeBook",
        "Variables",
        "Cases",
        "Sources",
        "Notes",
        "Links",
        "Sets",
        "Graphs",
        "Description",
        "NoteRef",
    ),
    "Users": ("User",),
    "User": (),
    "CodeBook": ("Codes", "Sets"),
    "Codes": ("Code",),
    "Code": ("Description", "NoteRef", "Code"),
    "Variables": ("Variable",),
    "Variable": ("Description",),
    "Sources": ("TextSource",),
    "TextSource": TEXT_SOURCE,
    "Note": TEXT_SOURCE,
    "Notes": ("Note",),
    "PlainTextSelection": ("Description", "Coding", "NoteRef"),
    "Coding": ("CodeRef", "NoteRef"),
    "VariableValue": ("VariableRef", *VALUES),
    "Links": ("Link",),
    "Link": ("NoteRef",),
}
NOT_EMPTY = {"Users", "Codes", "Variables", "Sources", "Notes", "Links"}
REQUIRED = {
    "Project": ("name",),
    "User": ("guid",),
    "Code": ("guid", "name", "isCodable"),
    "Variable": ("guid", "name", "typeOfVariable"),
    "TextSource": ("guid",),
    "Note": ("guid",),
    "PlainTextSelection": ("guid", "startPosition", "endPosition"),
    "Coding": ("guid",),
    "CodeRef": ("targetGUID",),
    "NoteRef": ("targetGUID",),
    "VariableRef": ("targetGUID",),
    "Link": ("guid",),
}


def local(element: etree._Element) -> str:
    return etree.QName(element).localname


def structure_problems(root: etree._Element, texts: dict[str, str] | None = None) -> list[str]:
    """Where a project.qde (or a .qdc root) breaks the rules of the schema we rely on, and
    where its references or positions point at nothing. ``texts``: archive member -> text."""
    problems: list[str] = []
    namespace = PROJECT_NS if local(root) == "Project" else CODEBOOK_NS
    by_kind: dict[str, set[str]] = {}
    guids: set[str] = set()
    for element in root.iter(etree.Element):
        name, where = local(element), f"<{local(element)}> line {element.sourceline}"
        if etree.QName(element).namespace != namespace:
            problems.append(f"{where}: not in {namespace}")
        allowed = ORDER.get(name, ())
        positions = [allowed.index(local(c)) if local(c) in allowed else -1 for c in element]
        if -1 in positions:
            problems.append(f"{where}: unexpected child")
        elif positions != sorted(positions):
            problems.append(f"{where}: children out of order")
        if name in NOT_EMPTY and len(element) == 0:
            problems.append(f"{where}: an empty list")
        problems += [f"{where}: no {a}" for a in REQUIRED.get(name, ()) if a not in element.attrib]
        for attribute, value in element.attrib.items():
            if attribute in GUID_ATTRIBUTES and not GUID.fullmatch(value):
                problems.append(f"{where}: {attribute} {value!r} is not a GUID")
            if attribute == "color" and not RGB.fullmatch(value):
                problems.append(f"{where}: colour {value!r}")
            if attribute.endswith("DateTime") and not DATE_TIME.fullmatch(value):
                problems.append(f"{where}: {attribute} {value!r} is not an xsd:dateTime")
        if name == "Code" and element.get("isCodable") not in ("true", "false", "1", "0"):
            problems.append(f"{where}: isCodable")
        if name == "Link" and element.get("direction") not in (
            None,
            "Associative",
            "OneWay",
            "Bidirectional",
        ):
            problems.append(f"{where}: direction")
        if "guid" in element.attrib:
            if element.get("guid") in guids:
                problems.append(f"{where}: GUID {element.get('guid')} used twice")
            guids.add(element.get("guid", ""))
            by_kind.setdefault(name, set()).add(element.get("guid", ""))
    problems += _reference_problems(root, by_kind, texts)
    return problems


def _reference_problems(
    root: etree._Element, by_kind: dict[str, set[str]], texts: dict[str, str] | None
) -> list[str]:
    problems = []
    targets = {"CodeRef": "Code", "NoteRef": "Note", "VariableRef": "Variable"}
    ends = by_kind.get("PlainTextSelection", set()) | by_kind.get("TextSource", set())
    for element in root.iter(etree.Element):
        name = local(element)
        if name in targets and element.get("targetGUID") not in by_kind.get(targets[name], ()):
            problems.append(f"<{name}> line {element.sourceline}: refers to nothing")
        if name == "Link" and not {element.get("originGUID"), element.get("targetGUID")} <= ends:
            problems.append(f"<Link> line {element.sourceline}: an end is no selection or source")
        if name == "TextSource" and texts is not None:
            path = element.get("plainTextPath", "")
            member = "sources/" + path.removeprefix("internal://")
            if not path.startswith("internal://") or member not in texts:
                problems.append(f"<TextSource> {element.get('name')}: no text {path!r}")
                continue
            for selection in element.iter(f"{{{PROJECT_NS}}}PlainTextSelection"):
                start, end = int(selection.get("startPosition")), int(selection.get("endPosition"))
                if not 0 <= start < end <= len(texts[member]):
                    problems.append(f"selection {selection.get('guid')}: {start}..{end} outside")
    return problems


def schema(kind: str) -> etree.XMLSchema | None:
    path = SCHEMAS / f"{kind}-mrt2019.xsd"
    return etree.XMLSchema(etree.parse(str(path))) if path.exists() else None


def assert_valid(root: etree._Element, texts: dict[str, str] | None = None) -> None:
    """Our structural check always; the published schema too when ../shared has it."""
    assert structure_problems(root, texts) == []
    published = schema("Project" if local(root) == "Project" else "Codebook")
    if published is not None:
        assert published.validate(root), published.error_log


def open_qdpx(path: Path) -> tuple[etree._Element, dict[str, str]]:
    """project.qde (checked) and the texts of the archive."""
    with zipfile.ZipFile(path) as archive:
        root = etree.fromstring(archive.read("project.qde"))
        texts = {
            n: archive.read(n).decode("utf-8") for n in archive.namelist() if n != "project.qde"
        }
    assert_valid(root, texts)
    return root, texts


def export_to(project: Project, path: Path, selection: Selection | None = None) -> Path:
    with path.open("wb") as handle:
        (export_qdc if path.suffix == ".qdc" else export_qdpx)(project, handle, selection)
    return path


def q(name: str) -> str:
    return f"{{{PROJECT_NS}}}{name}"


# -- a richly annotated project -----------------------------------------------------------------


def enrich(sample: Sample) -> dict[str, str]:
    """Spans over emoji, Armenian and Cyrillic, notes, stances (with and without a passage or an
    actor), links (passage to passage, document to document), metadata, a child tag's coding,
    a deleted span and an orphaned one. Returns the ids the tests look for."""
    p, me = sample.project, sample.me
    ids: dict[str, str] = {}

    def span(document: str, text: str, quote: str, **fields) -> str:
        start = text.index(quote)
        created = ops.create_span(
            p, by=me, document_id=document, start=start, end=start + len(quote), **fields
        )
        return created.created("spans")[0]

    ops.update_tag(
        p,
        by=me,
        tag_id=sample.child_tag,
        colour="#112233",
        description="A peace imposed by the winner.",
    )
    ops.update_span(p, by=me, span_id=sample.span, note="Key phrase.\nSecond line: “quoted”.")
    ops.tag_span(p, by=me, span_id=sample.span, tag_id=sample.child_tag)
    ids["emoji"] = span(sample.article, ARTICLE, "🇦🇲👩‍👩‍👧", tags=[sample.tag])
    ids["armenian"] = span(sample.article, ARTICLE, "Հայաստան signed", tags=[sample.child_tag])
    ids["cyrillic"] = span(sample.article, ARTICLE, "Азербайджан insisted", note="Cyrillic")
    ids["stance"] = ops.create_stance(
        p,
        by=me,
        document_id=sample.article,
        target_id=sample.target,
        polarity=-2,
        span_id=sample.span,
        actor_id=sample.actor,
        note="Firmly against.",
    ).created("stances")[0]
    ids["doc_stance"] = ops.create_stance(
        p, by=sample.colleague, document_id=sample.rebuttal, target_id=sample.target, polarity=1
    ).created("stances")[0]
    ids["link"] = ops.create_link(
        p,
        by=me,
        source=sample.other_span,
        target=sample.span,
        type="responds to",
        note="Answers it.",
    ).created("links")[0]
    ids["doc_link"] = ops.create_link(
        p, by=me, source=sample.rebuttal, target=sample.article, type="cites"
    ).created("links")[0]
    ops.update_document(
        p, by=me, document_id=sample.article, author="Jean-François Ratelle", date="2025-03-20"
    )
    gone = span(sample.article, ARTICLE, "Zangezur corridor")
    ops.delete_span(p, by=me, span_id=gone)
    ids["deleted"] = gone
    return ids


def orphan(sample: Sample, quote: str = "hardest question") -> str:
    """A span whose text went away when the document was re-texted: an orphan."""
    start = ARTICLE.index(quote)
    span_id = ops.create_span(
        p := sample.project,
        by=sample.me,
        document_id=sample.article,
        start=start,
        end=start + len(quote),
    ).created("spans")[0]
    ops.create_stance(
        p,
        by=sample.me,
        document_id=sample.article,
        target_id=sample.target,
        polarity=0,
        span_id=span_id,
    )
    ops.replace_document_text(
        p,
        by=sample.me,
        document_id=sample.article,
        text=ARTICLE.replace(quote, "question nobody asks"),
    )
    assert p.row("spans", span_id)["orphaned_at"] is not None
    return span_id


# -- the structural check catches what it should ------------------------------------------------


def test_our_export_passes_the_structural_check(sample: Sample, tmp_path: Path) -> None:
    enrich(sample)
    root, texts = open_qdpx(export_to(sample.project, tmp_path / "out.qdpx"))
    assert len(texts) == 2 and local(root) == "Project"


BROKEN = {
    "order": (
        '<Sources><TextSource guid="{S}" plainTextPath="internal://s.txt"/></Sources>'
        '<Users><User guid="{U}"/></Users>',
        "children out of order",
    ),
    "guid": ('<Users><User guid="nope"/></Users>', "is not a GUID"),
    "code_ref": (
        '<Sources><TextSource guid="{S}" plainTextPath="internal://s.txt">'
        '<PlainTextSelection guid="{P}" startPosition="0" endPosition="2">'
        '<Coding guid="{C}"><CodeRef targetGUID="{U}"/></Coding>'
        "</PlainTextSelection></TextSource></Sources>",
        "refers to nothing",
    ),
    "position": (
        '<Sources><TextSource guid="{S}" plainTextPath="internal://s.txt">'
        '<PlainTextSelection guid="{P}" startPosition="1" endPosition="9"/>'
        "</TextSource></Sources>",
        "outside",
    ),
    "empty": ("<Links/>", "an empty list"),
    "link": ('<Links><Link guid="{P}" originGUID="{U}" targetGUID="{C}"/></Links>', "no selection"),
    "colour": (
        '<CodeBook><Codes><Code guid="{C}" name="x" isCodable="true" color="red"/>'
        "</Codes></CodeBook>",
        "colour",
    ),
}


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_the_structural_check_finds_broken_files(case: str) -> None:
    body, expected = BROKEN[case]
    guids = {k: f"0000000{i}-0000-4000-8000-000000000000" for i, k in enumerate("SUPC")}
    xml = f'<Project xmlns="{PROJECT_NS}" name="x">{body.format(**guids)}</Project>'
    problems = structure_problems(
        etree.parse(io.BytesIO(xml.encode())).getroot(), {"sources/s.txt": "hello"}
    )
    assert any(expected in p for p in problems), problems
