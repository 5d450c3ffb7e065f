"""PDF: the text layer of every page (pypdf), page starts, and the document information.

Only text that the PDF carries as text is read; scanned pages are images and need OCR
first. Pages are joined with a blank line and their start offsets kept (``join_pages``).
"""

from __future__ import annotations

import datetime as dt
import io
import logging
import re
from typing import TYPE_CHECKING

from annotator.core.page_numbers import join_pages
from annotator.core.readers import ExtractedText
from annotator.core.text_decoding import CorpusError

if TYPE_CHECKING:
    from pypdf import PdfReader

MAX_PAGES = 5000
# Fewer letters and digits than this per page on average: the pages are pictures of text
# (a scan), perhaps with a stamped page number; importing them would give an empty text.
MIN_CHARACTERS_PER_PAGE = 10
# More unreadable characters than this share: fonts without a map to Unicode, so the text
# layer is a code of glyph numbers, not the words.
MAX_UNDECODED_SHARE = 0.3
NO_TEXT_LAYER = "no text layer (a scanned PDF?); run OCR first"

# pypdf reports the repairs it makes to sloppy files as log warnings; without a handler
# Python would print them, one stray line per repair, in the middle of an import report.
logging.getLogger("pypdf").addHandler(logging.NullHandler())

_CONTROL_CHARS = re.compile("[\x00-\x08\x0b-\x0c\x0e-\x1f\x7f]")
# Typographic ligatures: PDFs map them to one character, and "ﬁnal" would never match a
# search for "final". NFC leaves them alone, so they are spelt out here.
_LIGATURES = str.maketrans(
    {"\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi", "\ufb04": "ffl",
     "\ufb05": "st", "\ufb06": "st"}
)  # fmt: skip
_UNDECODED = re.compile("[\ufffd\ue000-\uf8ff]")
_PDF_DATE = re.compile(r"(?:D:)?\s*(\d{4})(\d{2})?(\d{2})?")
_GENERATED_TITLE = re.compile(
    r"(?i)untitled(?:\s*\d*)|document\s*\d*|slide\s*\d+|.*\.(?:docx?|rtf|odt|pptx?|pdf|indd|tex)"
)
_OFFICE_PREFIX = re.compile(r"^Microsoft (?:Word|PowerPoint|Excel) - ")


def read_pdf(data: bytes, name: str) -> ExtractedText:
    """The text of every page of a PDF and its metadata. Raises CorpusError."""
    if b"%PDF-" not in data[:1024]:  # the header may follow some junk, but not much
        raise CorpusError(name, "not a PDF file (no %PDF header)")
    from pypdf import PdfReader  # imported on first use: most imports have no PDFs
    from pypdf.errors import DependencyError, FileNotDecryptedError

    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            _decrypt(reader, name)
        page_count = len(reader.pages)
        if page_count > MAX_PAGES:
            raise CorpusError(
                name, f"too many pages ({page_count}; the limit is {MAX_PAGES} per file)"
            )
        if page_count == 0:
            raise CorpusError(name, "the PDF has no pages")
        raw_pages = [_page_text(reader, number, name) for number in range(page_count)]
        metadata = _metadata(reader)
    except CorpusError:
        raise
    except DependencyError:
        raise CorpusError(name, _AES_REASON) from None
    except FileNotDecryptedError:
        raise CorpusError(name, _PASSWORD_REASON) from None
    except RecursionError:
        raise CorpusError(name, "damaged PDF (its objects refer to each other in a loop)") from None
    except Exception as error:  # pypdf raises many kinds on broken files: all mean damage
        raise CorpusError(name, f"damaged or incomplete PDF ({_one_line(error)})") from None
    text, pages = join_pages(raw_pages)
    _check_text_layer(text, page_count, name)
    return ExtractedText(text=text, metadata=metadata, pages=pages)


_PASSWORD_REASON = "the PDF is protected by a password; save an unprotected copy first"
_AES_REASON = (
    "the PDF is encrypted (AES) and this installation cannot decrypt it; "
    "install the 'cryptography' package, or save an unprotected copy"
)


def _decrypt(reader: PdfReader, name: str) -> None:
    """Many PDFs are encrypted only to restrict printing or copying, with an empty password
    to open them: those are read. A password to open cannot be guessed."""
    from pypdf import PasswordType

    if reader.decrypt("") == PasswordType.NOT_DECRYPTED:
        raise CorpusError(name, _PASSWORD_REASON)


def _page_text(reader: PdfReader, number: int, name: str) -> str:
    page = reader.pages[number]
    try:
        text = page.extract_text() or ""
    except (RecursionError, MemoryError):
        raise CorpusError(name, f"page {number + 1} cannot be read (damaged)") from None
    return _CONTROL_CHARS.sub("", text).translate(_LIGATURES)


def _check_text_layer(text: str, page_count: int, name: str) -> None:
    characters = sum(1 for char in text if char.isalnum())
    if characters < MIN_CHARACTERS_PER_PAGE * page_count:
        raise CorpusError(name, NO_TEXT_LAYER)
    visible = sum(1 for char in text if not char.isspace())
    if len(_UNDECODED.findall(text)) > MAX_UNDECODED_SHARE * visible:
        raise CorpusError(
            name, "the text layer cannot be decoded (fonts without a Unicode map); run OCR first"
        )


def _metadata(reader: PdfReader) -> dict[str, str]:
    """Title, author and creation date from the document information; language from the
    catalogue. Values that are not text (broken files) are passed over."""
    metadata: dict[str, str] = {}
    try:
        info = reader.metadata or {}
    except Exception:  # a damaged information dictionary does not make the text unreadable
        info = {}
    title = _text_value(info.get("/Title"))
    if title:
        title = _OFFICE_PREFIX.sub("", title).strip()
        if title and not _GENERATED_TITLE.fullmatch(title):
            metadata["title"] = title
    if author := _text_value(info.get("/Author")):
        metadata["author"] = author
    if date := _pdf_date(_text_value(info.get("/CreationDate"))):
        metadata["date"] = date
    try:
        language = reader.trailer["/Root"].get("/Lang")
    except Exception:
        language = None
    if language := _text_value(language):
        metadata["language"] = language
    return metadata


def _text_value(value: object) -> str | None:
    try:
        value = value.get_object() if hasattr(value, "get_object") else value
    except Exception:
        return None
    if not isinstance(value, str):  # bytes that are not text, numbers, dictionaries...
        return None
    return " ".join(value.replace("\x00", "").split()) or None


def _pdf_date(value: str | None) -> str | None:
    """``D:20250520093000+04'00'`` -> ``2025-05-20`` (the date as written, its own zone)."""
    if not value or not (match := _PDF_DATE.match(value)):
        return None
    year, month, day = match.groups()
    try:
        if day:
            return dt.date(int(year), int(month), int(day)).isoformat()
        if month and 1 <= int(month) <= 12:
            return f"{year}-{month}"
    except ValueError:
        return None
    return year if int(year) > 1000 else None


def _one_line(error: Exception) -> str:
    message = " ".join(str(error).split()) or type(error).__name__
    return message[:160]
