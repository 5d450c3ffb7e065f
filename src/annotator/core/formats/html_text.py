"""A document's text as HTML with its spans highlighted; tag colours as CSS classes; and the
numbered list of its passages that follows it.

Overlapping spans stay visible: the text is cut at every span boundary and each piece is wrapped
in one ``<mark>`` per span covering it (outer spans first), with translucent colours that blend
where they overlap. A span with several tags is filled in its first tag's colour and underlined
in each other's (a CSS class per combination of tags). Every mark carries ``data-span`` (the span
id) and a ``title`` (tags, annotator, note); the first mark of a span carries its anchor ``id``
and ``data-n``, its number in the passage list, which the style sheet prints before it: what a
tooltip holds never reaches paper, so the list says it all again.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from html import escape

PALETTE = ("#f4c542", "#7fb3f0", "#9ad17a", "#f28b82", "#c79df2", "#f7a65a", "#6fd1c6", "#e6a0c4")
UNTAGGED_COLOUR = "#c8c8c8"
UNTAGGED_CLASS = "t-none"
MARK_ALPHA = 0.45
_HEX = re.compile(r"#([0-9a-fA-F]{3}|[0-9a-fA-F]{6})")


def attr(value: object) -> str:
    return escape(str(value), quote=True)


def rgb(colour: str | None, fallback: str) -> tuple[int, int, int]:
    """A tag's colour as numbers; anything but ``#rgb``/``#rrggbb`` gets the fallback, so no
    stored text ever reaches the style sheet."""
    match = _HEX.fullmatch(colour or "") or _HEX.fullmatch(fallback)
    assert match is not None
    digits = match[1] if len(match[1]) == 6 else "".join(c * 2 for c in match[1])
    return int(digits[0:2], 16), int(digits[2:4], 16), int(digits[4:6], 16)


@dataclass(frozen=True)
class TagStyle:
    css_class: str
    path: str
    colour: tuple[int, int, int]

    @property
    def hex(self) -> str:
        return "#{:02x}{:02x}{:02x}".format(*self.colour)

    def rules(self) -> str:
        r, g, b = self.colour
        return (
            f"mark.{self.css_class}{{background-color:rgba({r},{g},{b},{MARK_ALPHA})}}"
            f".swatch.{self.css_class}{{background-color:rgb({r},{g},{b})}}"
        )


UNTAGGED_STYLE = TagStyle(UNTAGGED_CLASS, "(untagged)", rgb(UNTAGGED_COLOUR, UNTAGGED_COLOUR))


@dataclass(frozen=True)
class Highlight:
    """One span as the text shows it: its opening tag, with and without its anchor, made once
    (a span cut at many boundaries reopens many times)."""

    id: str
    start: int
    end: int
    first: str  # the opening tag of its first piece, with the anchor id
    again: str  # the opening tag of its other pieces

    @classmethod
    def of(
        cls,
        span_id: str,
        start: int,
        end: int,
        classes: str,
        title: str,
        number: int,
    ) -> Highlight:
        shared = f'<mark class="{classes}" data-span="{attr(span_id)}"'
        tail = f' title="{attr(title)}">'
        anchored = f'{shared} id="{attr(span_anchor(span_id))}" data-n="{number}"{tail}'
        return cls(span_id, start, end, anchored, shared + tail)


def combination_class(index: int) -> str:
    return f"c{index}"


def combination_rule(index: int, extra: Sequence[TagStyle]) -> str:
    """Stacked underlines, one per tag after the first, for the spans carrying that
    combination of tags (``index``)."""
    lines = ",".join(f"inset 0 -{3 * (i + 1)}px 0 {s.hex}" for i, s in enumerate(extra))
    return f"mark.{combination_class(index)}{{box-shadow:{lines}}}"


@dataclass(frozen=True)
class Passage:
    """A highlighted span as its document's passage list gives it."""

    number: int
    span_id: str
    quote: str
    tags: Sequence[TagStyle]
    note: str | None
    annotator: str | None
    page: int | None


def passage_list(passages: Sequence[Passage]) -> Iterator[str]:
    """The numbered passages of a document: quote, tags, page, annotator, note."""
    if not passages:
        return
    yield '<ol class="passages">\n'
    for p in passages:
        tags = "".join(f'<span class="tag">{swatch(s)}{escape(s.path)}</span>' for s in p.tags)
        facts = ([f"p. {p.page}"] if p.page else []) + ([p.annotator] if p.annotator else [])
        yield (
            f'<li value="{p.number}" id="{attr(passage_anchor(p.span_id))}">'
            f'<a class="quote" href="#{attr(span_anchor(p.span_id))}">“{escape(excerpt(p.quote))}”</a>'
            f" {tags}"
            + (f' <span class="meta">{escape(" · ".join(facts))}</span>' if facts else "")
            + (f'<div class="note">{escape(p.note)}</div>' if p.note else "")
            + "</li>\n"
        )
    yield "</ol>\n"


def swatch(style: TagStyle) -> str:
    return f'<span class="swatch {style.css_class}"></span>'


def excerpt(quote: str, limit: int = 300) -> str:
    return quote if len(quote) <= limit else quote[:limit].rstrip() + "…"


def passage_anchor(span_id: str) -> str:
    return f"p-{span_id}"


def span_anchor(span_id: str) -> str:
    return f"s-{span_id}"


def document_anchor(document_id: str) -> str:
    return f"d-{document_id}"


def highlighted(text: str, highlights: Sequence[Highlight]) -> Iterator[str]:
    """Pieces of HTML for ``text`` with every highlight marked (offsets in code points)."""
    boundaries = sorted(
        {0, len(text)} | {h.start for h in highlights} | {h.end for h in highlights}
    )
    starting: dict[int, list[Highlight]] = {}
    for highlight in highlights:
        starting.setdefault(highlight.start, []).append(highlight)
    active: list[Highlight] = []
    anchored: set[str] = set()
    for left, right in itertools.pairwise(boundaries):
        if left in starting:
            active += starting[left]
        active = [h for h in active if h.end > left]
        piece = escape(text[left:right], quote=True)
        if not active:
            yield piece
            continue
        # Longer spans outside, so a span nested in another reads as nested.
        active.sort(key=lambda h: (h.start, -h.end, h.id))
        opened = []
        for h in active:
            opened.append(h.again if h.id in anchored else h.first)
            anchored.add(h.id)
        yield "".join(opened) + piece + "</mark>" * len(active)


def describe(tags: Iterable[str], annotator: str | None, note: str | None) -> str:
    """The tooltip of a highlight."""
    parts = ["tags: " + (", ".join(tags) or "(none)")]
    if annotator:
        parts.append(f"annotator: {annotator}")
    if note:
        parts.append(f"note: {note}")
    return "\n".join(parts)
