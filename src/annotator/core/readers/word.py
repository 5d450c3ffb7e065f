"""Word (.docx): the body's paragraphs and tables in reading order, and core properties.

python-docx opens the package; the body's XML is then walked directly, because
python-docx's own paragraph text leaves out tracked insertions and content controls (where
Word keeps tables of contents and form fields). Paragraphs are separated by a blank line,
as in the project's plain-text documents; a table row is one line, its cells joined by
`` | ``. Headers, footers, footnotes, comments, text boxes and deleted (tracked) text are
not part of the body text and are left out.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from typing import TYPE_CHECKING

from annotator.core.readers import ExtractedText
from annotator.core.text_decoding import CorpusError, normalise_text

if TYPE_CHECKING:
    from docx.document import Document
    from lxml.etree import _Element

MAX_UNPACKED_BYTES = 256 * 1024 * 1024  # a small zip can unpack to gigabytes
PARAGRAPH_SEPARATOR = "\n\n"
CELL_SEPARATOR = " | "

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_PARAGRAPH, _TABLE, _ROW, _CELL = f"{_W}p", f"{_W}tbl", f"{_W}tr", f"{_W}tc"
_RUN, _TEXT = f"{_W}r", f"{_W}t"
_CONTENT_CONTROL, _CONTROL_CONTENT = f"{_W}sdt", f"{_W}sdtContent"
# Elements that only wrap others (links, tracked insertions, smart tags, simple fields...):
# their text is the paragraph's text. Deletions (w:del, w:moveFrom) are not among them.
_WRAPPERS = {
    f"{_W}{name}"
    for name in ("hyperlink", "ins", "moveTo", "smartTag", "fldSimple", "customXml",
                 "sdtContent", "dir", "bdo")
}  # fmt: skip
_RUN_CHARACTERS = {
    f"{_W}tab": "\t", f"{_W}ptab": "\t", f"{_W}br": "\n", f"{_W}cr": "\n",
    f"{_W}noBreakHyphen": "-",
}  # fmt: skip
_OLD_WORD_OR_ENCRYPTED = b"\xd0\xcf\x11\xe0"  # an OLE compound file, not a zip


def read_docx(data: bytes, name: str) -> ExtractedText:
    """The body text of a Word document and its core properties. Raises CorpusError."""
    _check_package(data, name)
    import docx  # imported on first use: most imports have no Word files

    try:
        document = docx.Document(io.BytesIO(data))
        blocks = list(_blocks(document.element.body))
        metadata = _core_properties(document)
    except Exception as error:  # python-docx and lxml raise many kinds on broken packages
        message = " ".join(str(error).split())[:160] or type(error).__name__
        if "is not a Word file" in message:
            raise CorpusError(name, "not a Word document (another kind of Office file?)") from None
        raise CorpusError(name, f"damaged Word document ({message})") from None
    text = normalise_text(PARAGRAPH_SEPARATOR.join(blocks))
    if not text:
        raise CorpusError(name, "no text in the document body (headers, text boxes are not read)")
    return ExtractedText(text=text, metadata=metadata)


def _check_package(data: bytes, name: str) -> None:
    if data.startswith(_OLD_WORD_OR_ENCRYPTED):
        raise CorpusError(
            name,
            "an old Word (.doc) file or a password-protected one, not a .docx package; "
            "save it from Word as .docx without a password",
        )
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            members = package.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise CorpusError(name, "not a valid .docx (not a zip package, or a damaged one)") from None
    if not any(member.filename == "[Content_Types].xml" for member in members):
        raise CorpusError(name, "not a Word document (a zip file without the parts of one)")
    unpacked = sum(member.file_size for member in members)
    if unpacked > MAX_UNPACKED_BYTES:
        raise CorpusError(
            name,
            f"too large when unpacked ({unpacked / 2**20:.0f} MB; "
            f"the limit is {MAX_UNPACKED_BYTES / 2**20:.0f} MB)",
        )


def _blocks(container: _Element) -> Iterator[str]:
    """Paragraphs and tables of a body or table cell, in order, as texts (blank ones left out)."""
    for child in container.iterchildren():
        if child.tag == _PARAGRAPH:
            text = _paragraph_text(child).rstrip()
            if text.strip():
                yield text
        elif child.tag == _TABLE:
            if table := _table_text(child):
                yield table
        elif child.tag in _WRAPPERS or child.tag == _CONTENT_CONTROL:
            yield from _blocks(_unwrapped(child))


def _unwrapped(element: _Element) -> _Element:
    """A content control's content; any other wrapper is its own content."""
    if element.tag == _CONTENT_CONTROL:
        content = element.find(_CONTROL_CONTENT)
        return content if content is not None else element
    return element


def _paragraph_text(paragraph: _Element) -> str:
    parts: list[str] = []
    _collect_inline(paragraph, parts)
    return "".join(parts)


def _collect_inline(element: _Element, parts: list[str]) -> None:
    for child in element.iterchildren():
        if child.tag == _RUN:
            for item in child.iterchildren():
                if item.tag == _TEXT:
                    parts.append(item.text or "")
                elif item.tag in _RUN_CHARACTERS:
                    parts.append(_RUN_CHARACTERS[item.tag])
                # Anything else in a run (drawings and their text boxes, field codes,
                # deleted text, soft hyphens) is not shown as body text.
        elif child.tag in _WRAPPERS or child.tag == _CONTENT_CONTROL:
            _collect_inline(_unwrapped(child), parts)


def _table_text(table: _Element) -> str:
    """One line per row; a cell's paragraphs (and nested tables) joined by spaces. Empty
    cells are kept between others, where they show which column a value is in."""
    lines = []
    for row in _descendants_through_wrappers(table, _ROW):
        cells = []
        for cell in _descendants_through_wrappers(row, _CELL):
            cells.append(" ".join(" ".join(block.split()) for block in _blocks(cell)))
        while cells and not cells[-1]:  # empty cells at the end would leave a dangling "|"
            cells.pop()
        if cells:
            lines.append(CELL_SEPARATOR.join(cells))
    return "\n".join(lines)


def _descendants_through_wrappers(element: _Element, tag: str) -> Iterator[_Element]:
    """Children with ``tag``, also those inside content controls or custom XML."""
    for child in element.iterchildren():
        if child.tag == tag:
            yield child
        elif child.tag in _WRAPPERS or child.tag == _CONTENT_CONTROL:
            yield from _descendants_through_wrappers(_unwrapped(child), tag)


def _core_properties(document: Document) -> dict[str, str]:
    """Title, author, creation date and language, when the file has core properties.

    python-docx invents properties (title "Word Document") for a package without them, so
    their presence is checked first.
    """
    from docx.opc.constants import RELATIONSHIP_TYPE

    package = document.part.package
    try:
        properties = package.part_related_by(RELATIONSHIP_TYPE.CORE_PROPERTIES).core_properties
    except KeyError:
        return {}
    metadata: dict[str, str] = {}
    for field, value in (
        ("title", properties.title),
        ("author", properties.author),
        ("language", properties.language),
    ):
        if value and value.strip():
            metadata[field] = value
    try:
        created = properties.created
    except ValueError:  # a date that is not a date
        created = None
    if created is not None:
        metadata["date"] = created.date().isoformat()
    return metadata
