"""From core spans to what the article view paints: colour, label and annotator of each span.

Kept apart from the widgets so the document pane and any other view agree on how a span looks.
"""

from __future__ import annotations

from collections.abc import Iterable

from annotator.core.model import Span
from annotator.core.store.queries import SpanOutline
from annotator.gui.session import Session
from annotator.gui.widgets.article_view import HighlightSpan

UNTAGGED_COLOUR = "#ffe066"  # a neutral highlighter yellow
UNNAMED_TAG_COLOUR = "#c8c8c8"  # a tag without a colour of its own


class HighlightStyler:
    """Turns spans into HighlightSpans using the codebook and annotators it last read."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.tag_names: dict[str, str] = {}
        self.tag_colours: dict[str, str] = {}
        self.annotator_names: dict[str, str] = {}
        self._styles: dict[tuple[str, ...], tuple[str, str]] = {}  # see _style
        self.reload()

    def reload(self) -> None:
        """Re-read tags and annotators (after they changed)."""
        tags = self.session.tags()
        self.tag_names = {tag.id: tag.name for tag in tags}
        self.tag_colours = {tag.id: tag.colour or UNNAMED_TAG_COLOUR for tag in tags}
        self.annotator_names = {a.id: a.name for a in self.session.annotators()}
        self._styles = {}

    def highlight(self, span: Span | SpanOutline, tag_ids: Iterable[str]) -> HighlightSpan:
        colour, names = self._style(tuple(tag_ids))
        return HighlightSpan(
            id=span.id,
            start=span.start,
            end=span.end,
            colour=colour,
            annotator=self.annotator_names.get(span.created_by or "", span.created_by),
            label=f"{names} — {span.note}" if span.note else names,
        )

    def label(self, span: Span | SpanOutline, tag_ids: Iterable[str]) -> str:
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
