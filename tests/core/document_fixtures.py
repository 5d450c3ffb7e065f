"""Word and PDF files built at test time: small, valid, and exactly known.

PDFs are written by hand (one Helvetica font, WinAnsi text, one content stream per page)
so that each page's text layer is known to the letter; .docx files are written with
python-docx, the library the reader uses, but read back through the XML of the package.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from pathlib import Path

NO_TEXT = None  # a page drawn without any text, as a scanner makes them


_FI_LIGATURE_CODE = 31  # mapped to the glyph "fi" by the font's /Differences


def _pdf_string(text: str) -> bytes:
    """A PDF literal string in WinAnsi (cp1252), with the three special bytes escaped;
    the "ﬁ" ligature, which WinAnsi lacks, gets a code of its own."""
    raw = text.replace("\ufb01", chr(_FI_LIGATURE_CODE)).encode("cp1252")
    return b"(" + raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"


def _info_string(text: str) -> bytes:
    """A document information string: UTF-16BE with its byte-order mark, as hex."""
    return b"<FEFF" + text.encode("utf-16-be").hex().upper().encode("ascii") + b">"


def _content_stream(lines: Sequence[str] | None) -> bytes:
    if lines is None:  # a "scanned" page: only graphics, no text operators
        return b"q 0.5 g 72 72 468 648 re f Q\n0 0 m 612 792 l S\n"
    parts = [b"BT /F1 12 Tf 14 TL 72 720 Td"]
    for number, line in enumerate(lines):
        parts.append((b"" if number == 0 else b"T* ") + _pdf_string(line) + b" Tj")
    parts.append(b"ET")
    return b"\n".join(parts) + b"\n"


def pdf_bytes(
    pages: Sequence[Sequence[str] | None],
    *,
    info: Mapping[str, str] | None = None,
    encryption: bytes | None = None,
    file_id: bytes = b"",
) -> bytes:
    """A PDF with one page per item: a list of text lines, or ``NO_TEXT``.

    ``info`` holds document information entries without their slash (``Title``,
    ``Author``, ``CreationDate``...); dates are written as given, other values as UTF-16.
    ``encryption`` is an encryption dictionary object to add to the trailer.
    """
    objects: list[bytes] = []  # object n is objects[n - 1]
    page_count = len(pages)
    font_number = 3
    first_page = 4
    kids = b" ".join(b"%d 0 R" % (first_page + 2 * i) for i in range(page_count))
    objects.append(b"<< /Type /Catalog /Pages 2 0 R >>")
    objects.append(b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, page_count))
    objects.append(
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding << /Type /Encoding "
        b"/BaseEncoding /WinAnsiEncoding /Differences [%d /fi] >> >>" % _FI_LIGATURE_CODE
    )
    for index, lines in enumerate(pages):
        content_number = first_page + 2 * index + 1
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
            b"/Resources << /Font << /F1 %d 0 R >> >> /Contents %d 0 R >>"
            % (font_number, content_number)
        )
        stream = _content_stream(lines)
        objects.append(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream))
    info_number = None
    if info:
        entries = b" ".join(
            b"/" + key.encode("ascii") + b" "
            + (_pdf_string(value) if key.endswith("Date") else _info_string(value))
            for key, value in info.items()
        )  # fmt: skip
        objects.append(b"<< " + entries + b" >>")
        info_number = len(objects)
    if encryption is not None:
        objects.append(encryption)

    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref_at = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    trailer = b"/Size %d /Root 1 0 R" % (len(objects) + 1)
    if info_number is not None:
        trailer += b" /Info %d 0 R" % info_number
    if encryption is not None:
        trailer += b" /Encrypt %d 0 R /ID [<%s> <%s>]" % (
            len(objects),
            file_id.hex().encode(),
            file_id.hex().encode(),
        )
    out += b"trailer\n<< " + trailer + b" >>\nstartxref\n%d\n%%%%EOF\n" % xref_at
    return bytes(out)


def write_pdf(path: Path, pages: Sequence[Sequence[str] | None], **kwargs) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(pdf_bytes(pages, **kwargs))
    return path


def encrypted_pdf(path: Path, source: bytes, *, user_password: str, algorithm: str) -> Path:
    """``source`` encrypted by pypdf's writer (RC4 works without extra packages)."""
    import io

    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(source)))
    writer.encrypt(user_password=user_password, owner_password="owner", algorithm=algorithm)
    with path.open("wb") as handle:
        writer.write(handle)
    return path


def write_docx(
    path: Path,
    blocks: Sequence[str | Sequence[Sequence[str]]],
    *,
    title: str | None = None,
    author: str | None = None,
    created: dt.datetime | None = None,
    header: str | None = None,
    footer: str | None = None,
) -> Path:
    """A Word document: a string is a paragraph (``"# "`` makes it a heading, ``"<"`` makes
    it WordprocessingML for the body, as Word writes it), a list of rows is a table. Core
    properties are cleared first so only the given ones are set."""
    import docx
    from docx.oxml import parse_xml

    document = docx.Document()
    properties = document.core_properties
    properties.title, properties.author = title or "", author or ""
    properties.created = created or dt.datetime(2000, 1, 1)  # the template has its own
    properties.last_modified_by = ""
    for block in blocks:
        if isinstance(block, str):
            if block.startswith("<"):
                document.element.body.sectPr.addprevious(parse_xml(block))
            elif block.startswith("# "):
                document.add_heading(block[2:], level=1)
            else:
                document.add_paragraph(block)
        else:
            table = document.add_table(rows=len(block), cols=len(block[0]))
            for row, cells in zip(table.rows, block, strict=True):
                for cell, text in zip(row.cells, cells, strict=True):
                    cell.text = text
    section = document.sections[0]
    if header:
        section.header.paragraphs[0].text = header
    if footer:
        section.footer.paragraphs[0].text = footer
    path.parent.mkdir(parents=True, exist_ok=True)
    document.save(str(path))
    return path
