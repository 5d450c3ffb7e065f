"""Readers of document formats that are not plain text: Word (.docx) and PDF.

Each reader turns a file's bytes into an ``ExtractedText``: the text to store (already
normalised, see ``normalise_text``), the file's own metadata, and for paginated formats the
start offset of every page. A file that cannot be read raises ``CorpusError`` with a
one-line reason; no reader lets a library's exception through.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class ExtractedText:
    text: str  # normalised: NFC, only "\n" line breaks, nothing trailing
    metadata: dict[str, str] = field(default_factory=dict)  # raw: corpus cleans it
    pages: tuple[int, ...] | None = None  # start offset of each page in ``text``
