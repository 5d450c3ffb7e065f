"""Pages of paginated documents (PDF): where each page starts in the stored text.

A document's ``pages`` is a JSON list of start offsets, one per page, in code points into
the stored text, first element 0, never decreasing. A page without text starts where the
next one does, so every offset belongs to exactly one page that has text, and page numbers
stay those of the original (page 3 stays page 3 even when page 2 is a blank image).
"""

from __future__ import annotations

import bisect
import json
import re
from collections.abc import Sequence

from annotator.core.text_decoding import normalise_text

PAGE_SEPARATOR = "\n\n"  # the same blank line that separates paragraphs in stored texts
# Blank lines (and byte-order marks) before a page's first line of text.
_LEADING_BLANK_LINES = re.compile(r"\A[\s\ufeff]*\n")


def join_pages(raw_pages: Sequence[str]) -> tuple[str, tuple[int, ...]]:
    """The stored text of a paginated document and the start offset of every page.

    Each page is normalised on its own (NFC, ``\\n`` line breaks, no blank lines around it)
    before the pages are joined, so the offsets are exact in the final text: joining
    normalised pages with a line break between them gives text that normalises to itself.
    """
    pages = [
        _LEADING_BLANK_LINES.sub("", normalise_text(page)).lstrip("\ufeff") for page in raw_pages
    ]
    pages = [page if page.strip(" \t\n\ufeff") else "" for page in pages]  # no text: empty
    starts: list[int] = []
    pending: list[int] = []  # pages without text, waiting for the next page that has some
    position = 0
    for page in pages:
        if not page:
            pending.append(len(starts))
            starts.append(-1)
            continue
        if position:
            position += len(PAGE_SEPARATOR)
        for index in pending:
            starts[index] = position
        pending.clear()
        starts.append(position)
        position += len(page)
    for index in pending:  # trailing pages without text start at the end of the text
        starts[index] = position
    text = PAGE_SEPARATOR.join(page for page in pages if page)
    if starts:
        starts[0] = 0
    return text, tuple(starts)


def pages_json(starts: Sequence[int] | None) -> str | None:
    """The form stored in ``documents.pages``; None for texts without pages."""
    return json.dumps(list(starts)) if starts else None


def page_starts(pages: str | Sequence[int] | None) -> list[int]:
    """Page starts from the stored JSON text or a list; [] for none or unreadable JSON."""
    if pages is None or pages == "":
        return []
    if isinstance(pages, str):
        try:
            pages = json.loads(pages)
        except ValueError:
            return []
        if not isinstance(pages, list):
            return []
    if not all(isinstance(start, int) and not isinstance(start, bool) for start in pages):
        return []
    return list(pages)


def page_of(pages: str | Sequence[int] | None, offset: int) -> int | None:
    """The 1-based number of the page holding ``offset``; None when there are no pages.

    An offset at a page's first character belongs to that page; an offset in the separator
    between two pages belongs to the page before. Where pages share a start (pages without
    text), the last of them, the one whose text begins there, is given.
    """
    starts = page_starts(pages) if isinstance(pages, str | None) else pages  # lists: as given
    if not starts or offset < 0:
        return None
    return max(bisect.bisect_right(starts, offset), 1)
