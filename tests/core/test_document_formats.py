"""Word, PDF, saved web pages and Markdown: text, pages, metadata, and clear refusals."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from annotator.core import corpus, ops
from annotator.core.corpus import CorpusError, SkippedFile, SourceText, read_file, read_paths
from annotator.core.formats.csv_export import export_csv
from annotator.core.importing import import_documents
from annotator.core.page_numbers import join_pages, page_of
from annotator.core.readers import pdf as pdf_reader
from annotator.core.store import Project
from annotator.core.text_decoding import normalise_text

from .document_fixtures import (
    NO_TEXT,
    encrypted_pdf,
    pdf_bytes,
    write_docx,
    write_pdf,
)

PAGE_ONE = ["The draft agreement was initialled in March.", "Both sides called it “historic”."]
PAGE_TWO = ["Observers were less sure — the border was not settled."]
PAGE_THREE = ["A joint commission will meet again in the autumn; café talk aside."]
MULTILINGUAL = "Հայաստանի կառավարություն 🇦🇲 — Правительство России 🕊️ said 😀 𝄞."


def expected_pages(*pages: list[str]) -> list[str]:
    return ["\n".join(lines) for lines in pages]


# --- PDF --------------------------------------------------------------------------------


def test_pdf_text_is_read_page_by_page_with_page_starts(tmp_path: Path) -> None:
    path = write_pdf(
        tmp_path / "talks.pdf",
        [PAGE_ONE, PAGE_TWO, PAGE_THREE],
        info={
            "Title": "Talks resume",
            "Author": "Anna Petrosyan",
            "CreationDate": "D:20250520093000+04'00'",
        },
    )
    document = read_file(path)
    one, two, three = expected_pages(PAGE_ONE, PAGE_TWO, PAGE_THREE)
    assert document.text == f"{one}\n\n{two}\n\n{three}"
    assert document.pages == (0, len(one) + 2, len(one) + len(two) + 4)
    for number, page in enumerate((one, two, three)):
        start = document.pages[number]
        assert document.text[start : start + len(page)] == page
    assert (document.title, document.author, document.date) == (
        "Talks resume",
        "Anna Petrosyan",
        "2025-05-20",
    )


def test_a_page_without_text_keeps_the_page_numbers(tmp_path: Path) -> None:
    document = read_file(write_pdf(tmp_path / "report.pdf", [PAGE_ONE, NO_TEXT, PAGE_THREE]))
    one, three = expected_pages(PAGE_ONE, PAGE_THREE)
    assert document.text == f"{one}\n\n{three}"
    assert document.pages == (0, len(one) + 2, len(one) + 2)
    assert page_of(document.pages, document.text.index("joint commission")) == 3
    assert page_of(document.pages, 0) == 1


def test_pdf_metadata_written_by_office_tools_and_in_other_scripts(tmp_path: Path) -> None:
    generated = write_pdf(
        tmp_path / "minutes-2025.pdf",
        [PAGE_ONE],
        info={"Title": "Microsoft Word - draft3.docx", "CreationDate": "D:2025"},
    )
    document = read_file(generated)
    assert (document.title, document.date) == ("minutes 2025", "2025")  # the file name
    armenian = write_pdf(tmp_path / "a.pdf", [PAGE_ONE], info={"Title": "Խաղաղության գործընթաց"})
    assert read_file(armenian).title == "Խաղաղության գործընթաց"


def test_ligatures_are_spelt_out(tmp_path: Path) -> None:
    document = read_file(write_pdf(tmp_path / "l.pdf", [["The ﬁnal text of the ﬁrst draft."]]))
    assert document.text == "The final text of the first draft."


@pytest.mark.parametrize(
    "pages",
    [[NO_TEXT, NO_TEXT, NO_TEXT], [["1"], ["2"], NO_TEXT]],  # stamped page numbers only
    ids=["no-text", "page-numbers-only"],
)
def test_a_scanned_pdf_is_skipped_with_a_reason(tmp_path: Path, pages: list) -> None:
    with pytest.raises(CorpusError) as caught:
        read_file(write_pdf(tmp_path / "scan.pdf", pages))
    assert str(caught.value) == "scan.pdf: no text layer (a scanned PDF?); run OCR first"


def test_an_encrypted_pdf_that_opens_without_a_password_is_read(tmp_path: Path) -> None:
    source = pdf_bytes([PAGE_ONE, PAGE_TWO])
    path = encrypted_pdf(tmp_path / "locked.pdf", source, user_password="", algorithm="RC4-128")
    assert path.read_bytes() != source and b"initialled" not in path.read_bytes()
    document = read_file(path)
    assert document.text == "\n\n".join(expected_pages(PAGE_ONE, PAGE_TWO))


def test_a_pdf_that_needs_a_password_is_skipped(tmp_path: Path) -> None:
    path = encrypted_pdf(
        tmp_path / "secret.pdf", pdf_bytes([PAGE_ONE]), user_password="s3cret", algorithm="RC4-128"
    )
    with pytest.raises(CorpusError, match=r"^secret\.pdf: the PDF is protected by a password"):
        read_file(path)


def test_damaged_and_fake_pdfs_are_skipped_with_a_reason(tmp_path: Path) -> None:
    data = pdf_bytes([PAGE_ONE, PAGE_TWO])
    (tmp_path / "cut.pdf").write_bytes(data[: len(data) // 2])
    (tmp_path / "fake.pdf").write_text("This is not a PDF at all.", encoding="utf-8")
    (tmp_path / "junk.pdf").write_bytes(b"%PDF-1.4\n" + bytes(range(256)) * 4)
    results = {r.path.name: r for r in read_paths([tmp_path])}
    assert all(isinstance(r, SkippedFile) for r in results.values())
    assert results["cut.pdf"].reason.startswith("damaged or incomplete PDF (")
    assert results["fake.pdf"].reason == "not a PDF file (no %PDF header)"
    assert results["junk.pdf"].reason.startswith("damaged or incomplete PDF (")
    assert all("\n" not in r.reason for r in results.values())


@given(cut=st.integers(min_value=1, max_value=1500))
def test_a_pdf_cut_anywhere_is_read_or_refused_in_one_line(cut: int) -> None:
    data = pdf_bytes([PAGE_ONE, PAGE_TWO, PAGE_THREE])
    try:
        extracted = pdf_reader.read_pdf(data[: len(data) - cut], "cut.pdf")
    except CorpusError as error:
        assert "\n" not in str(error) and str(error).startswith("cut.pdf: ")
    else:  # pypdf repairs some cuts: then the pages it found must be exact
        for start in extracted.pages or ():
            assert extracted.text[start:] in "\n\n".join(
                expected_pages(PAGE_ONE, PAGE_TWO, PAGE_THREE)
            )


def test_too_many_pages_and_too_large_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write_pdf(tmp_path / "long.pdf", [PAGE_ONE, PAGE_TWO, PAGE_THREE])
    monkeypatch.setattr(pdf_reader, "MAX_PAGES", 2)
    with pytest.raises(CorpusError, match=r"^long\.pdf: too many pages \(3; the limit is 2"):
        read_file(path)
    monkeypatch.setattr(corpus, "MAX_FILE_BYTES", 100)
    docx = write_docx(tmp_path / "big.docx", ["Text"])
    with pytest.raises(CorpusError, match=r"^big\.docx: the file is too large"):
        read_file(docx)


# --- pages ------------------------------------------------------------------------------


def test_page_of_at_page_boundaries() -> None:
    starts = [0, 10, 25]
    cases = {0: 1, 9: 1, 10: 2, 24: 2, 25: 3, 400: 3, -1: None}
    for offset, page in cases.items():
        assert page_of(starts, offset) == page
        assert page_of(json.dumps(starts), offset) == page
    assert page_of(None, 5) is None and page_of("", 5) is None and page_of("[oops", 5) is None
    assert page_of([0, 4, 4, 9], 4) == 3  # page 2 has no text: offset 4 begins page 3


page_texts = st.lists(
    st.text(alphabet=st.sampled_from("ab é\u0301\r\n\t\ufeff\u2028Ա😀"), max_size=12), max_size=6
)


@given(page_texts)
def test_joined_pages_are_normalised_and_every_page_is_exact(raw_pages: list[str]) -> None:
    text, starts = join_pages(raw_pages)
    assert normalise_text(text) == text
    assert len(starts) == len(raw_pages) and (not starts or starts[0] == 0)
    assert list(starts) == sorted(starts)
    segments = []
    for number, raw in enumerate(raw_pages, start=1):
        content = normalise_text(raw).strip(" \t\n\ufeff")
        start = starts[number - 1]
        later = [s for s in starts[number:] if start < s < len(text)]  # pages with text
        segment = text[start : later[0] - 2 if later else len(text)]
        if content:  # the page's own text, and nothing of its neighbours
            assert segment.strip(" \t\n\ufeff") == content
            assert page_of(starts, start) == page_of(starts, start + len(segment) - 1) == number
            segments.append(segment)
    assert text == "\n\n".join(segments)


# --- Word -------------------------------------------------------------------------------


def test_docx_paragraphs_and_tables_in_order_without_headers(tmp_path: Path) -> None:
    path = write_docx(
        tmp_path / "brief.docx",
        [
            "# Negotiations in 2025",
            "The first paragraph.",
            "",  # an empty paragraph (Enter pressed twice) adds no blank lines
            [["Party", "Position"], ["Armenia", "In favour"], ["Azerbaijan", "Conditions"]],
            MULTILINGUAL,
        ],
        title="Briefing note",
        author="Policy Unit",
        created=dt.datetime(2025, 5, 20, 9, 30),
        header="CONFIDENTIAL header",
        footer="Page footer",
    )
    document = read_file(path)
    assert document.text == (
        "Negotiations in 2025\n\nThe first paragraph.\n\n"
        "Party | Position\nArmenia | In favour\nAzerbaijan | Conditions\n\n" + MULTILINGUAL
    )
    assert (document.title, document.author, document.date) == (
        "Briefing note",
        "Policy Unit",
        "2025-05-20",
    )
    assert document.pages is None


W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
V = 'xmlns:v="urn:schemas-microsoft-com:vml"'


def test_docx_tracked_changes_content_controls_breaks_and_text_boxes(tmp_path: Path) -> None:
    paragraphs = [
        f'<w:p {W}><w:r><w:t xml:space="preserve">Kept </w:t></w:r>'
        '<w:ins w:id="1" w:author="A"><w:r><w:t>inserted</w:t></w:r></w:ins>'
        '<w:del w:id="2" w:author="A"><w:r><w:delText> deleted</w:delText></w:r></w:del></w:p>',
        f"<w:sdt {W}><w:sdtContent><w:p><w:r><w:t>In a content control</w:t></w:r></w:p>"
        "</w:sdtContent></w:sdt>",
        f"<w:p {W}><w:r><w:t>Line one</w:t><w:br/><w:t>line two</w:t><w:tab/><w:t>tabbed</w:t>"
        "</w:r></w:p>",
        f"<w:p {W} {V}><w:r><w:t>Before the box.</w:t></w:r><w:r><w:pict><v:textbox>"
        "<w:txbxContent><w:p><w:r><w:t>Boxed</w:t></w:r></w:p></w:txbxContent></v:textbox>"
        "</w:pict></w:r></w:p>",
    ]
    document = read_file(write_docx(tmp_path / "edits.docx", paragraphs))
    assert document.text == (
        "Kept inserted\n\nIn a content control\n\nLine one\nline two\ttabbed\n\nBefore the box."
    )


def test_docx_merged_and_nested_cells_appear_once(tmp_path: Path) -> None:
    import docx

    path = write_docx(tmp_path / "t.docx", [[["Merged heading", ""], ["left", "right"]]])
    document = docx.Document(str(path))
    table = document.tables[0]
    table.cell(0, 0).merge(table.cell(0, 1))
    table.cell(1, 1).add_table(rows=1, cols=2).rows[0].cells[0].text = "nested"
    document.save(str(path))
    assert read_file(path).text == "Merged heading\nleft | right nested"


def test_docx_without_properties_is_named_after_its_file(tmp_path: Path) -> None:
    document = read_file(write_docx(tmp_path / "field_notes-2025.docx", ["Notes."]))
    assert (document.title, document.author) == ("field notes 2025", None)


def test_bad_word_files_are_skipped_with_a_reason(tmp_path: Path) -> None:
    import zipfile

    (tmp_path / "text.docx").write_text("Plain text with the wrong name.", encoding="utf-8")
    (tmp_path / "old.docx").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512))
    with zipfile.ZipFile(tmp_path / "archive.docx", "w") as archive:
        archive.writestr("readme.txt", "A zip file, not a document.")
    good = write_docx(tmp_path / "good.docx", ["Fine."])
    (tmp_path / "cut.docx").write_bytes(good.read_bytes()[:2000])
    write_docx(tmp_path / "empty.docx", [""])
    results = {r.path.name: r for r in read_paths([tmp_path])}
    assert isinstance(results.pop("good.docx"), SourceText)
    reasons = {name: r.reason for name, r in results.items()}
    assert reasons == {
        "archive.docx": "not a Word document (a zip file without the parts of one)",
        "cut.docx": "not a valid .docx (not a zip package, or a damaged one)",
        "empty.docx": "no text in the document body (headers, text boxes are not read)",
        "old.docx": "an old Word (.doc) file or a password-protected one, not a .docx package; "
        "save it from Word as .docx without a password",
        "text.docx": "not a valid .docx (not a zip package, or a damaged one)",
    }


# --- web pages and Markdown -------------------------------------------------------------

ARTICLE = "".join(
    f"<p>{sentence} The commission met again and discussed the border in detail.</p>"
    for sentence in ("First point.", "Second point.", "Third point.", "Fourth point.")
)


def test_web_page_metadata_from_stated_tags_first(tmp_path: Path) -> None:
    head = (
        "<title>Page title | Site</title>"
        '<meta property="og:title" content="Open Graph title">'
        '<meta name="citation_title" content="Scholarly title">'
        '<meta name="citation_author" content="Ratelle, Jean-François">'
        '<meta name="citation_author" content="Melikyan, Gevorg">'
        '<meta property="article:author" content="https://social.example/profile">'
        '<meta name="citation_publication_date" content="2025/05/20">'
        '<meta name="DC.language" content="hy">'
    )
    page = f"<!-- saved from url=(0031)https://example.org/article -->\n<html><head>{head}</head>"
    page += f"<body><article><h1>Heading</h1>{ARTICLE}</article></body></html>"
    (tmp_path / "page.html").write_text(page, encoding="utf-8")
    document = read_file(tmp_path / "page.html")
    assert document.title == "Scholarly title"
    assert document.author == "Ratelle, Jean-François, Melikyan, Gevorg"
    assert (document.date, document.language) == ("2025-05-20", "hy")
    assert document.source == "https://example.org/article"  # noted by the browser on saving
    assert "Third point. The commission met again" in document.text


def test_a_page_saved_complete_imports_without_its_files_folder(tmp_path: Path) -> None:
    page = (
        f"<html><head><title>Saved</title></head><body><article>{ARTICLE}</article></body></html>"
    )
    (tmp_path / "Talks.html").write_text(page, encoding="utf-8")
    parts = tmp_path / "Talks_files"
    parts.mkdir()
    (parts / "frame.html").write_text(page.replace("First", "Framed"), encoding="utf-8")
    (parts / "style.css").write_text("p { color: red }", encoding="utf-8")
    (tmp_path / "notes_files").mkdir()  # no notes.html beside it: an ordinary folder
    (tmp_path / "notes_files" / "n.txt").write_text("Ordinary notes.", encoding="utf-8")
    results = list(read_paths([tmp_path]))
    assert [r.path.name for r in results] == ["n.txt", "Talks.html"]
    named = {r.path.name: type(r).__name__ for r in read_paths([parts])}  # named: read
    assert named == {"frame.html": "SourceText", "style.css": "SkippedFile"}


def test_a_page_saved_as_one_mhtml_file(tmp_path: Path) -> None:
    message = MIMEMultipart("related")
    message["Snapshot-Content-Location"] = "https://example.org/talks"
    html = f"<html><head><title>Պատմություն</title></head><body><article>{ARTICLE}"
    html += f"<p>{MULTILINGUAL}</p></article></body></html>"
    message.attach(MIMEText(html, "html", "utf-8"))
    (tmp_path / "talks.mhtml").write_bytes(message.as_bytes())
    document = read_file(tmp_path / "talks.mhtml")
    assert (document.title, document.source) == ("Պատմություն", "https://example.org/talks")
    assert MULTILINGUAL in document.text


def test_markdown_keeps_headings_and_emphasis_as_written(tmp_path: Path) -> None:
    source = (
        "# The draft agreement\n\nIt is *not* final, says **the ministry**.\n\n"
        "## Next steps\n\n- a joint commission\n- a timetable\n"
    )
    (tmp_path / "draft.md").write_text(source, encoding="utf-8")
    document = read_file(tmp_path / "draft.md")
    assert document.text == source.rstrip() and document.title == "The draft agreement"
    start = document.text.index("*not*")
    assert document.text[start : start + 5] == "*not*"


# --- into a project ---------------------------------------------------------------------


def test_import_stores_pages_and_spans_quote_the_stored_text(
    project: Project, tmp_path: Path
) -> None:
    me = ops.ensure_annotator(project, "Ani").id
    folder = tmp_path / "in"
    write_pdf(folder / "talks.pdf", [PAGE_ONE, NO_TEXT, PAGE_THREE])
    write_docx(folder / "brief.docx", ["# Heading", MULTILINGUAL, [["a", "b"]]])
    write_pdf(folder / "scan.pdf", [NO_TEXT])
    (folder / "broken.docx").write_bytes(b"PK\x03\x04 broken")
    outcome = import_documents(project, [folder], by=me)
    assert sorted(d.title for d in outcome.added) == ["brief", "talks"]
    assert sorted((s.path.name, s.reason[:20]) for s in outcome.skipped) == [
        ("broken.docx", "not a valid .docx (n"),
        ("scan.pdf", "no text layer (a sca"),
    ]
    rows = {row["title"]: row for row in project.rows("documents")}
    pdf_text = rows["talks"]["text"]
    page_three = pdf_text.index("A joint")
    assert json.loads(rows["talks"]["pages"]) == [0, page_three, page_three]
    assert rows["brief"]["pages"] is None
    quotes = {}
    for title, quote in (("talks", "joint commission"), ("brief", "🇦🇲 — Правительство")):
        text = rows[title]["text"]
        start = text.index(quote)
        span = ops.create_span(
            project, by=me, document_id=rows[title]["id"], start=start, end=start + len(quote)
        ).created("spans")[0]
        stored = project.row("spans", span)
        assert stored["quote"] == text[stored["start"] : stored["end"]] == quote
        quotes[quote] = title
    out = io.StringIO(newline="")
    export_csv(project, out)
    table = list(csv.DictReader(io.StringIO(out.getvalue(), newline="")))
    pages = {row["quote"]: row["page"] for row in table}
    assert pages == {"joint commission": "3", "🇦🇲 — Правительство": ""}
    assert list(table[0])[3:6] == ["start", "end", "page"]
    again = import_documents(project, [folder / "talks.pdf"], by=me)
    assert [(p.name, t) for p, t in again.duplicates] == [("talks.pdf", "talks")]


def test_an_aes_encrypted_pdf_that_opens_without_a_password_is_read(tmp_path: Path) -> None:
    import io

    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf_bytes([PAGE_ONE]))))
    writer.encrypt(user_password="", owner_password="owner", algorithm="AES-256")
    with (tmp_path / "aes.pdf").open("wb") as handle:
        writer.write(handle)
    document = read_file(tmp_path / "aes.pdf")
    assert document.text == "\n\n".join(expected_pages(PAGE_ONE))
