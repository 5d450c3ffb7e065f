"""From core spans to what the article view paints: colour, label and annotator of each span.

Kept apart from the widgets so the document pane and any other view agree on how a span looks.
:class:`DocumentHighlights` is what the pane hands the view: the spans of one document, read
from the session a range at a time as the text comes into sight.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Protocol

from annotator.gui.annotator_colours import annotator_colours
from annotator.gui.session import Session
from annotator.gui.widgets.span_source import HighlightSpan, SpanSource

UNTAGGED_COLOUR = "#ffe066"  # a neutral highlighter yellow
UNNAMED_TAG_COLOUR = "#c8c8c8"  # a tag without a colour of its own (or with an unusable one)
_HEX_COLOUR = re.compile("#[0-9a-fA-F]{6}")

PaintRow = tuple[str, int, int, str | None, str | None, tuple[str, ...]]  # see Session


class SpanLike(Protocol):
    id: str
    start: int
    end: int
    created_by: str | None
    note: str | None


class HighlightStyler:
    """Turns spans into HighlightSpans using the codebook and annotators it last read."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.tag_names: dict[str, str] = {}
        self.tag_colours: dict[str, str] = {}
        self.annotator_names: dict[str, str] = {}
        self.annotator_colours: dict[str, str] = {}  # by id; see annotator_colours
        self._styles: dict[tuple[str, ...], tuple[str, str]] = {}  # see _style
        self.reload()

    def reload(self) -> None:
        """Re-read tags and annotators (after they changed)."""
        tags = self.session.tags()
        self.tag_names = {tag.id: tag.name for tag in tags}
        self.tag_colours = {tag.id: _paintable(tag.colour) for tag in tags}
        self.annotator_names = {a.id: a.name for a in self.session.annotators()}
        self.annotator_colours = annotator_colours(self.annotator_names)
        self._styles = {}

    def highlight(self, span: SpanLike, tag_ids: Iterable[str]) -> HighlightSpan:
        return self.styled(span.id, span.start, span.end, span.created_by, span.note, tag_ids)

    def styled(
        self,
        span_id: str,
        start: int,
        end: int,
        created_by: str | None,
        note: str | None,
        tag_ids: Iterable[str],
    ) -> HighlightSpan:
        colour, names = self._style(tuple(tag_ids))
        return HighlightSpan(
            span_id,
            start,
            end,
            colour,
            created_by,
            f"{names} — {note}" if note else names,
            self.annotator_name(created_by) or "",
        )

    def annotator_name(self, annotator_id: str | None) -> str | None:
        return self.annotator_names.get(annotator_id or "", annotator_id)

    def label(self, span: SpanLike, tag_ids: Iterable[str]) -> str:
        names = self._style(tuple(tag_ids))[1]
        return f"{names} — {span.note}" if span.note else names

    def _style(self, tag_ids: tuple[str, ...]) -> tuple[str, str]:
        """Colour and tag names of spans carrying ``tag_ids``: a document's thousands of
        spans share a few combinations of tags."""
        found = self._styles.get(tag_ids)
        if found is None:
            known = [t for t in tag_ids if t in self.tag_names]  # a deleted tag shows nothing
            colour = self.tag_colours[known[0]] if known else UNTAGGED_COLOUR
            names = ", ".join(self.tag_names[t] for t in known) or "Untagged"
            found = self._styles[tag_ids] = (colour, names)
        return found


class DocumentHighlights(SpanSource):
    """The painted spans of one document: live, placed in its text (an orphan's offsets are
    stale), and made by ``annotator_id`` unless that is "" (everyone)."""

    def __init__(
        self, session: Session, styler: HighlightStyler, document_id: str, annotator_id: str = ""
    ) -> None:
        self.session = session
        self.styler = styler
        self.document_id = document_id
        self.annotator_id = annotator_id

    def meeting(self, lo: int, hi: int) -> list[HighlightSpan]:
        return self._styled(self.session.span_paint_rows(self.document_id, lo, hi))

    def every(self) -> list[HighlightSpan]:
        return self._styled(self.session.span_paint_rows(self.document_id))

    def annotators(self, known: set[str]) -> set[str]:
        if self.annotator_id:  # one annotator's spans: one underline row at most
            return known | {self.annotator_id}
        others = set(self.styler.annotator_names) - known
        if len(known) + len(others) < 2:
            return known  # nobody else could have made any: no underlines either way
        found = self.session.span_annotator_ids(self.document_id, others)
        return known | {i for i in found if i}

    def _styled(self, rows: list[PaintRow]) -> list[HighlightSpan]:
        shown = self.annotator_id
        styled = self.styler.styled
        return [styled(*row) for row in rows if not shown or row[3] == shown]


def _paintable(colour: str | None) -> str:
    """A tag's colour as the view paints it: '#rrggbb', else the colour of unnamed tags."""
    return colour if colour and _HEX_COLOUR.fullmatch(colour) else UNNAMED_TAG_COLOUR
