"""From core spans to what the article view paints: colour, label and annotator of each span.

Kept apart from the widgets so the document pane and any other view agree on how a span looks.
"""

from __future__ import annotations

from collections.abc import Iterable

from annotator.core.model import Span
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
        self.reload()

    def reload(self) -> None:
        """Re-read tags and annotators (after they changed)."""
        tags = self.session.tags()
        self.tag_names = {tag.id: tag.name for tag in tags}
        self.tag_colours = {tag.id: tag.colour or UNNAMED_TAG_COLOUR for tag in tags}
        self.annotator_names = {a.id: a.name for a in self.session.annotators()}

    def highlight(self, span: Span, tag_ids: Iterable[str]) -> HighlightSpan:
        tag_ids = [t for t in tag_ids if t in self.tag_names]  # a deleted tag shows nothing
        colour = self.tag_colours[tag_ids[0]] if tag_ids else UNTAGGED_COLOUR
        return HighlightSpan(
            id=span.id,
            start=span.start,
            end=span.end,
            colour=colour,
            annotator=self.annotator_names.get(span.created_by or "", span.created_by),
            label=self.label(span, tag_ids),
        )

    def label(self, span: Span, tag_ids: Iterable[str]) -> str:
        names = ", ".join(self.tag_names[t] for t in tag_ids if t in self.tag_names)
        label = names or "Untagged"
        if span.note:
            label += f" — {span.note}"
        return label
