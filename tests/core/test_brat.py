"""brat standoff: export a project as a folder, read it back, and read folders other tools wrote."""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from annotator.core import ops
from annotator.core.formats import FormatError
from annotator.core.formats.brat_common import file_stem, fragments
from annotator.core.formats.brat_export import export_brat
from annotator.core.formats.brat_import import read_brat
from annotator.core.formats.brat_offsets import OffsetMap
from annotator.core.formats.references import References
from annotator.core.formats.registry import EXPORTS, IMPORTS
from annotator.core.formats.selection import resolve_names
from annotator.core.importing import import_paths
from annotator.core.model import Change, ChangeSet, Document, Link, Span, Stance, Tag
from annotator.core.store import Project
from annotator.core.text_decoding import normalise_text

from .sample import ARTICLE, Sample, snapshot

BRAT_TYPE = re.compile(r"[A-Za-z0-9_-]+")


def export(project: Project, folder: Path, **chosen: object) -> Counter[str]:
    folder.mkdir()
    selection = resolve_names(project, **chosen) if chosen else None  # type: ignore[arg-type]
    return export_brat(project, folder, selection)


def coded(sample: Sample) -> str:
    """What brat can and cannot say: two tags on a span, a note with line breaks, a passage
    over a paragraph break by another annotator, links within and across documents, a link
    between whole documents, a stance on a passage and one on a whole document. Returns the
    id of the passage over the paragraph break."""
    p, me = sample.project, sample.me
    ops.tag_span(p, by=me, span_id=sample.span, tag_id=sample.child_tag)
    ops.update_span(p, by=me, span_id=sample.span, note='says "victor"\nthen\ta tab \\ slash')
    start, end = ARTICLE.index("Հայաստան"), ARTICLE.index("remains")
    crossing = ops.create_span(
        p, by=sample.colleague, document_id=sample.article, start=start, end=end
    ).created("spans")[0]
    ops.create_link(p, by=me, source=sample.span, target=crossing, type="elaborates", note="why")
    ops.create_link(p, by=me, source=sample.span, target=sample.other_span, type="supports")
    ops.create_link(p, by=me, source=sample.article, target=sample.rebuttal, type="responds to")
    ops.create_stance(p, by=me, document_id=sample.article, target_id=sample.target,
                      polarity=-2, span_id=sample.span, actor_id=sample.actor, note="firm")  # fmt: skip
    ops.create_stance(p, by=me, document_id=sample.rebuttal, target_id=sample.target, polarity=1)
    return crossing


def tag_paths(project: Project, span_id: str) -> list[str]:
    refs = References(project)
    return sorted(refs.tag_path(pair.tag_id) for pair in project.live_span_tags(span_id=span_id))


def files(folder: Path) -> dict[str, str]:
    return {f.name: f.read_text(encoding="utf-8") for f in sorted(folder.iterdir())}


def ann_lines(folder: Path, stem: str) -> list[list[str]]:
    return [line.split("\t") for line in (folder / f"{stem}.ann").read_text().splitlines()]


def test_registered_for_export_and_import() -> None:
    assert EXPORTS["brat"].shape == "folder" and EXPORTS["brat"].suffix == ""
    assert EXPORTS["brat"].label == "brat standoff (folder of .txt and .ann)"
    brat = next(f for f in IMPORTS if f.name == "brat")
    assert brat.suffixes == (".ann",) and brat.in_folders


def test_round_trip_keeps_the_coding_and_is_stable(sample: Sample, tmp_path: Path) -> None:
    crossing_id = coded(sample)
    original = {s.id: s for s in sample.project.records(Span)}
    counts = export(sample.project, tmp_path / "first")
    assert counts["documents"] == 2 and counts["spans"] == 3 and counts["relations"] == 1
    with Project.create(tmp_path / "copy.annotator") as copy:
        # Imported by someone not in the folder: an acting annotator is registered (by name)
        # before the folder's own annotator records are read, and those would join her.
        outcome = import_paths(copy, [tmp_path / "first"], by="Reviewer")
        assert not outcome.skipped
        assert sorted(d.title for d in outcome.added) == ["Illusion of peace", "Rebuttal"]
        assert all(not r.problems and not r.unmapped for _, r in outcome.sets)
        spans = {(s.start, s.end): s for s in copy.records(Span)}
        assert spans.keys() == {(s.start, s.end) for s in original.values()}
        for span in original.values():
            assert spans[(span.start, span.end)].quote == span.quote
            assert spans[(span.start, span.end)].note == span.note
        victor = spans[(original[sample.span].start, original[sample.span].end)]
        crossing = spans[(original[crossing_id].start, original[crossing_id].end)]
        assert tag_paths(copy, victor.id) == ["Peace process", "Peace process/Victor's peace"]
        assert victor.note == 'says "victor"\nthen\ta tab \\ slash'
        names = copy.column_by_id("annotators", "name")
        assert (names[victor.created_by], names[crossing.created_by]) == ("Ani", "Lusine")
        assert victor.created_by == sample.me  # annotators keep their ids
        (link,) = copy.records(Link)
        assert (link.from_span_id, link.to_span_id) == (victor.id, crossing.id)
        assert (link.type, link.note) == ("elaborates", "why")
        (stance,) = copy.records(Stance)
        assert (stance.span_id, stance.polarity, stance.actor_id) == (victor.id, -2, sample.actor)
        tags = {t.name: t for t in copy.records(Tag)}
        assert tags["Peace process"].colour == "#aabbcc" and tags["Peace process"].shortcut == "1"
        assert tags["Peace process"].id == sample.tag  # the codebook keeps its ids
        again = export(copy, tmp_path / "second")
    assert again == counts - Counter({k: n for k, n in counts.items() if "left out" in k})
    first, second = files(tmp_path / "first"), files(tmp_path / "second")
    assert first.keys() == second.keys()
    for name in first:
        if name != "README":  # it says when it was written
            assert first[name] == second[name], name


def test_importing_the_folder_twice_changes_nothing(sample: Sample, tmp_path: Path) -> None:
    coded(sample)
    export(sample.project, tmp_path / "out")
    with Project.create(tmp_path / "copy.annotator") as copy:
        import_paths(copy, [tmp_path / "out"], by="Lusine")
        before = snapshot(copy)
        outcome = import_paths(copy, [tmp_path / "out"], by="Lusine")
        assert not outcome.added and len(outcome.duplicates) == 2
        assert all(not r.added and not r.updated for _, r in outcome.sets)
        assert snapshot(copy) == before


def test_readme_and_counts_say_what_brat_cannot_hold(sample: Sample, tmp_path: Path) -> None:
    coded(sample)
    orphan = ops.create_span(
        sample.project, by=sample.me, document_id=sample.rebuttal, start=4, end=14
    ).created("spans")[0]
    ops.create_link(sample.project, by=sample.me, source=orphan, target=sample.span, type="cites")
    ops.create_stance(sample.project, by=sample.me, document_id=sample.rebuttal,
                      target_id=sample.target, polarity=0, span_id=orphan)  # fmt: skip
    row = sample.project.row("spans", orphan)
    assert row is not None
    orphaned = row | {"orphaned_at": "2026-01-01T00:00:00.000Z"}
    sample.project.apply(ChangeSet((Change("spans", orphan, row, orphaned),)))
    counts = export(sample.project, tmp_path / "out")
    assert counts["stances on left-out spans"] == 1 and counts["links to left-out spans"] == 1
    assert counts["cross-document links left out"] == 1
    assert counts["document links left out"] == 1
    assert counts["document stances left out"] == 1
    assert counts["stance notes left out"] == 1
    assert counts["orphaned spans left out"] == 1 and counts["spans"] == 3
    readme = (tmp_path / "out" / "README").read_text(encoding="utf-8")
    for text in (
        "1  links between passages of different documents",
        "1  links with a whole document at one end",
        "1  stances on a whole document",
        "1  passages whose place in the current text is lost (orphaned)",
    ):
        assert text in readme
    rebuttal = "\n".join("\t".join(line) for line in ann_lines(tmp_path / "out", "Rebuttal"))
    assert "4 14" not in rebuttal  # the orphan's stale offsets are not written


def test_lines_as_brat_reads_them(sample: Sample, tmp_path: Path) -> None:
    crossing_id = coded(sample)
    export(sample.project, tmp_path / "out")
    text = (tmp_path / "out" / "Illusion_of_peace.txt").read_text(encoding="utf-8")
    assert text == ARTICLE
    lines = ann_lines(tmp_path / "out", "Illusion_of_peace")
    bounds = {line[0]: line for line in lines if line[0].startswith("T")}
    for ann_id, brat_type_offsets, shown in bounds.values():
        brat_type, offsets = brat_type_offsets.split(" ", 1)
        assert BRAT_TYPE.fullmatch(brat_type), ann_id
        pieces = [tuple(map(int, p.split())) for p in offsets.split(";")]
        assert shown == " ".join(text[s:e] for s, e in pieces)  # brat checks exactly this
    crossing = sample.project.require(Span, crossing_id)
    (multi,) = [line for line in bounds.values() if ";" in line[1]]
    gap_start, gap_end = ARTICLE.index("🇦🇲👩‍👩‍👧") + 7, ARTICLE.index("The Zangezur")
    assert ARTICLE[gap_start:gap_end] == "\n\n"
    assert multi[1] == f"Untagged {crossing.start} {gap_start};{gap_end} {crossing.end}"
    conf = (tmp_path / "out" / "annotation.conf").read_text(encoding="utf-8")
    sections = re.findall(r"^\[(\w+)\]$", conf, re.MULTILINE)
    assert sections == ["entities", "relations", "events", "attributes"]
    declared = {
        line.split()[0] for line in conf.splitlines() if line.strip() and line[0] not in "#["
    }
    used = {line[1].split()[0] for line in lines if line[0][0] in "TRA"}
    assert used <= declared
    notes = [line for line in lines if line[0].startswith("#")]
    assert ["#1", "AnnotatorNotes T1", 'says "victor"\\nthen\\ta tab \\\\ slash'] in notes


def test_selection_is_honoured(sample: Sample, tmp_path: Path) -> None:
    coded(sample)
    counts = export(sample.project, tmp_path / "one", documents=["Rebuttal"])
    assert counts["documents"] == 1 and counts["spans"] == 1
    assert sorted(f.name for f in (tmp_path / "one").glob("*.ann")) == ["Rebuttal.ann"]
    counts = export(sample.project, tmp_path / "tagged", tags=["Victor's peace"])
    assert counts["spans"] == 1 and counts["T lines"] == 1  # only the chosen tag is written
    (line,) = [x for x in ann_lines(tmp_path / "tagged", "Illusion_of_peace") if x[0] == "T1"]
    assert line[1].startswith("Peace_process-Victor_s_peace ")
    assert ann_lines(tmp_path / "tagged", "Rebuttal") == []


def test_file_and_type_names_are_safe_and_unique(project: Project, tmp_path: Path) -> None:
    me = ops.ensure_annotator(project, "Ani").id
    titles = [
        "../../etc/passwd",
        "a/b\\c",
        "CON",
        "Illusion",
        "illusion",
        "Հայաստան",
        "💥",
        "x" * 300,
    ]
    for number, title in enumerate(titles):
        ops.add_document(project, by=me, title=title, text=f"text number {number}")
    for name in ("Peace process", "Peace_process", "Հայաստան", "Мир", "ENTITY-NESTING"):
        tag = ops.create_tag(project, by=me, name=name).created("tags")[0]
        document = next(project.records(Document))
        ops.create_span(project, by=me, document_id=document.id, start=0, end=4, tags=[tag])
    counts = export(project, tmp_path / "out")
    assert counts["documents"] == len(titles)
    written = sorted(f.name for f in (tmp_path / "out").iterdir())
    stems = [name[:-4] for name in written if name.endswith(".txt")]
    assert len({s.casefold() for s in stems}) == len(titles)
    for stem in stems:
        assert "/" not in stem and "\\" not in stem and not stem.startswith(".")
        assert stem.upper() != "CON" and len(stem.encode()) <= 120
        assert (tmp_path / "out" / f"{stem}.ann").is_file()
    assert "Հայաստան.txt" in written
    lines = [line for f in (tmp_path / "out").glob("*.ann") for line in ann_lines(f.parent, f.stem)]
    types = [line[1].split()[0] for line in lines if line[0].startswith("T")]
    assert len(types) == 5 and len(set(types)) == 5
    assert all(BRAT_TYPE.fullmatch(t) for t in types) and "ENTITY-NESTING" not in types
    with Project.create(tmp_path / "copy.annotator") as copy:
        import_paths(copy, [tmp_path / "out"], by="Ani")
        names = sorted(t.name for t in copy.records(Tag))
        assert names == sorted(
            ["Peace process", "Peace_process", "Հայաստան", "Мир", "ENTITY-NESTING"]
        )
        assert sorted(d.title for d in copy.records(Document)) == sorted(titles)


def test_file_stem_rules() -> None:
    assert file_stem("Illusion of peace: a review?") == "Illusion_of_peace_a_review"
    assert file_stem("..") == "document" and file_stem("nul") == "doc_nul"
    assert file_stem("e\u0301t\u00e9") == "\u00e9t\u00e9"  # NFC


# -- reading folders other tools wrote --------------------------------------------------------


def write_brat(folder: Path, stem: str, text: bytes, ann: str, conf: str | None = None) -> Path:
    folder.mkdir(exist_ok=True)
    (folder / f"{stem}.txt").write_bytes(text)
    (folder / f"{stem}.ann").write_text(ann, encoding="utf-8", newline="")
    if conf is not None:
        (folder / "annotation.conf").write_text(conf, encoding="utf-8")
    return folder / f"{stem}.ann"


def imported(project: Project, path: Path) -> dict[str, Span]:
    outcome = import_paths(project, [path], by="Ani")
    assert not outcome.skipped, outcome.skipped
    assert all(not r.problems for _, r in outcome.sets), outcome.sets
    return {s.quote: s for s in project.records(Span)}


@pytest.mark.parametrize("counted_as", ["brat", "universal newlines"])
def test_crlf_text_offsets_land_exactly(project: Project, tmp_path: Path, counted_as: str) -> None:
    raw = "\ufeffFirst line\r\nBaku demanded a new constitution.\r\n\r\nՀայաստան 🇦🇲 agreed.\r\n"
    counted = raw if counted_as == "brat" else raw[1:].replace("\r\n", "\n")
    quotes = ["Baku demanded", "Հայաստան 🇦🇲", "agreed"]
    ann = "".join(
        f"T{i}\tClaim {counted.index(q)} {counted.index(q) + len(q)}\t{q}\n"
        for i, q in enumerate(quotes, 1)
    )
    path = write_brat(tmp_path / "brat", "talks", raw.encode(), ann)  # with its BOM
    parsed = read_brat(path)
    assert parsed.unmapped == []  # every offset read as it was counted: no text disagreed
    assert [s["quote"] for _, s in parsed.lines["span"]] == quotes
    spans = imported(project, path)
    stored = next(project.records(Document)).text
    assert stored == normalise_text(raw)
    assert sorted(spans) == sorted(quotes)
    for quote, span in spans.items():
        assert stored[span.start : span.end] == quote


def test_decomposed_text_maps_to_the_stored_composed_text(project: Project, tmp_path: Path) -> None:
    raw = "Cafe\u0301 talks in Yerevan: e\u0301lite views."
    quotes = ["Yerevan", "e\u0301lite"]
    ann = "".join(
        f"T{i}\tWord {raw.index(q)} {raw.index(q) + len(q)}\t{q}\n" for i, q in enumerate(quotes, 1)
    )
    spans = imported(project, write_brat(tmp_path / "brat", "nfd", raw.encode(), ann))
    assert sorted(spans) == ["Yerevan", "\u00e9lite"]


def test_text_that_disagrees_with_offsets_is_found_by_anchoring(
    project: Project, tmp_path: Path
) -> None:
    text = "🇦🇲🇦🇿 The corridor question remains open."
    utf16_start = len(text[: text.index("corridor")].encode("utf-16-le")) // 2  # a JS tool's count
    ann = f"T1\tIssue {utf16_start} {utf16_start + 8}\tcorridor\n"
    path = write_brat(tmp_path / "brat", "js", text.encode(), ann)
    parsed = read_brat(path)
    assert any("differs from the .txt" in line for line in parsed.unmapped)
    spans = imported(project, path)
    assert text[spans["corridor"].start : spans["corridor"].end] == "corridor"


def test_foreign_folder_maps_what_it_can_and_lists_the_rest(
    project: Project, tmp_path: Path
) -> None:
    text = "Baku insists on a new constitution. Yerevan refuses the demand.\n"
    conf = "[entities]\n!Actor\n\tGovernment\nClaim\n[relations]\nRejects\tArg1:<ENTITY>, Arg2:<ENTITY>\n[events]\n[attributes]\nNegation\tArg:<ENTITY>\n"
    ann = (
        "T1\tGovernment 0 4\tBaku\n"
        "T2\tClaim 5 34\tinsists on a new constitution\n"
        "T3\tGovernment 36 43\tYerevan\n"
        "T4\tClaim 44 51;56 62\trefuses demand\n"
        "R1\tRejects Arg1:T3 Arg2:T2\n"
        "#1\tAnnotatorNotes T2\tthe core demand\n"
        "#2\tAnnotatorNotes R1\trejected outright\n"
        "A1\tNegation T4\n"
        "E1\tRefusal:T4 Agent:T3\n"
        "N1\tReference T1 Wikidata:Q9248\tBaku\n"
        "*\tEquiv T1 T3\n"
        "#3\tReviewerNotes T1\tcheck\n"
    )
    path = write_brat(tmp_path / "brat", "demand", text.encode(), ann, conf)
    parsed = read_brat(path)
    unmapped = "\n".join(parsed.unmapped)
    for expected in ("events", "normalisations", "equivalences", "attributes (Negation)",
                     "comments (ReviewerNotes)", "discontinuous annotations"):  # fmt: skip
        assert expected in unmapped, expected
    spans = imported(project, path)
    assert sorted(spans) == ["Baku", "Yerevan", "insists on a new constitution",
                             "refuses the demand"]  # fmt: skip
    assert tag_paths(project, spans["Baku"].id) == ["Actor/Government"]
    assert tag_paths(project, spans["refuses the demand"].id) == ["Claim"]
    assert spans["insists on a new constitution"].note == "the core demand"
    (link,) = project.records(Link)
    assert (link.from_span_id, link.to_span_id) == (
        spans["Yerevan"].id,
        spans["insists on a new constitution"].id,
    )
    assert (link.type, link.note) == ("Rejects", "rejected outright")
    assert next(project.records(Document)).title == "demand"


@pytest.mark.parametrize(
    ("ann", "message"),
    [
        ("T1\tClaim 0 4\tBaku\nT2\tClaim 30 900\tfar away\n", "line 2: T2 ends at 900, beyond"),
        ("T1 Claim 0 4 Baku\n", "line 1: not a brat annotation"),
        ("T1\tClaim zero four\tBaku\n", "line 1: T1 needs a type and offsets"),
        ("T1\tClaim 4 0\tBaku\n", "line 1: T1 has a start after its end"),
        ("T1\tClaim 0 4\tBaku\nR1\tRejects Arg1:T1\n", "line 2: R1 needs a type and two arguments"),
        ("T1\tClaim 0 4\tBaku\nT1\tClaim 0 4\tBaku\n", "line 2: T1 is defined twice"),
        ("T1\tClaim 0 " + "9" * 5000 + "\tBaku\n", "line 1: T1 has an offset too large for any"),
        ("T1\tClaim 0 ٤\tBaku\n", "line 1: T1 needs a type and offsets"),  # not an ASCII digit
    ],
)
def test_a_broken_file_is_refused_and_changes_nothing(
    sample: Sample, tmp_path: Path, ann: str, message: str
) -> None:
    path = write_brat(tmp_path / "brat", "bad", b"Baku insists on a new constitution.", ann)
    with pytest.raises(FormatError, match=re.escape(f"bad.ann {message}")):
        read_brat(path)
    before = snapshot(sample.project)
    outcome = import_paths(sample.project, [path], by="Ani")
    assert [s.path.name for s in outcome.skipped] == ["bad.ann"]
    assert snapshot(sample.project) == before


def test_an_ann_without_its_text_is_refused(tmp_path: Path) -> None:
    (tmp_path / "lonely.ann").write_text("T1\tClaim 0 4\tBaku\n", encoding="utf-8")
    with pytest.raises(FormatError, match=r"lonely\.ann: no lonely\.txt beside it"):
        read_brat(tmp_path / "lonely.ann")
    (tmp_path / "binary.ann").write_bytes(b"\xff\xfe\x00garbage")
    (tmp_path / "binary.txt").write_text("text", encoding="utf-8")
    with pytest.raises(FormatError, match=r"binary\.ann: not UTF-8"):
        read_brat(tmp_path / "binary.ann")


# -- offsets and fragments --------------------------------------------------------------------

UNITS = ["a", "Z", " ", ".", "\r\n", "\r", "\n", "\u2028", "e\u0301", "\u00e9", "🇦🇲",
         "👩‍👩‍👧", "Հ", "ж", "\u0915\u094d\u0937", "\t"]  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(
    st.booleans(),
    st.lists(st.sampled_from(UNITS), min_size=1, max_size=40),
    st.data(),
)
def test_offset_map_lands_on_the_same_characters(bom: bool, units: list[str], data) -> None:
    # A lone CR before LF is one line break in the file: no unit boundary between them.
    assume(not any(a == "\r" and b == "\n" for a, b in itertools.pairwise(units)))
    source = ("\ufeff" if bom else "") + "".join(units)
    stored = normalise_text(source)
    mapping = OffsetMap(source)
    i = data.draw(st.integers(0, len(units) - 1))
    j = data.draw(st.integers(i + 1, len(units)))
    before = len(source) - len("".join(units))
    start = before + len("".join(units[:i]))
    end = before + len("".join(units[i:j])) + len("".join(units[:i]))

    def stored_length(k: int) -> int:
        prefix = (
            "".join(units[:k]).replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n")
        )
        return min(len(unicodedata.normalize("NFC", prefix)), len(stored))

    assert mapping.start(start) == stored_length(i)
    assert mapping.end(end) == stored_length(j)


def test_fragments_split_at_every_line_break() -> None:
    text = "ab\ncd\r\n\x0cef\u2028g"
    assert fragments(text, 0, len(text)) == [(0, 2), (3, 5), (8, 10), (11, 12)]
    assert fragments(text, 2, 3) == []


def test_importing_an_export_into_its_own_project_changes_nothing(
    sample: Sample, tmp_path: Path
) -> None:
    coded(sample)
    export(sample.project, tmp_path / "out")
    before = snapshot(sample.project)
    outcome = import_paths(sample.project, [tmp_path / "out"], by="Lusine")
    assert all(not r.added and not r.updated for _, r in outcome.sets), outcome.sets
    assert snapshot(sample.project) == before


def test_a_folder_without_manifest_keeps_the_titles_here(sample: Sample, tmp_path: Path) -> None:
    """The file names title new documents only; a text already here keeps its details."""
    coded(sample)
    export(sample.project, tmp_path / "out")
    (tmp_path / "out" / "manifest.json").unlink()
    ops.update_document(sample.project, by=sample.me, document_id=sample.article,
                        title="The Illusion of Peace", author="J.-F. Ratelle")  # fmt: skip
    titles = {d.id: (d.title, d.author) for d in sample.project.document_summaries()}
    import_paths(sample.project, [tmp_path / "out"], by="Lusine")
    assert {d.id: (d.title, d.author) for d in sample.project.document_summaries()} == titles
    with Project.create(tmp_path / "copy.annotator") as copy:
        import_paths(copy, [tmp_path / "out"], by="Lusine")
        assert {d.title for d in copy.document_summaries()} == {"Illusion of peace", "Rebuttal"}
