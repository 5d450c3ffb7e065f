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

import functools
import itertools
import re
from collections.abc import Sequence
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


def combination_class(index: int) -> str:
    return f"c{index}"


def combination_rule(index: int, extra: Sequence[TagStyle]) -> str:
    """Stacked underlines, one per tag after the first, for the spans carrying that
    combination of tags (``index``)."""
    lines = ",".join(f"inset 0 -{3 * (i + 1)}px 0 {s.hex}" for i, s in enumerate(extra))
    return f"mark.{combination_class(index)}{{box-shadow:{lines}}}"


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


class Look:
    """How the passages carrying one combination of tags show, made once per combination
    rather than once per span: their CSS classes, the escaped tags of their tooltip and their
    tag labels in the passage list."""

    def __init__(self, index: int, styles: Sequence[TagStyle], paths: Sequence[str]) -> None:
        self.styles = tuple(styles) or (UNTAGGED_STYLE,)
        self.classes = self.styles[0].css_class
        if len(paths) > 1:
            self.classes += " " + combination_class(index)
        self.tooltip = escape("tags: " + (", ".join(paths) or "(none)"))
        self.labels = "".join(
            f'<span class="tag">{swatch(s)}{escape(s.path)}</span>' for s in self.styles
        )


# (start, end, span id, number in the passage list, first opening tag, later opening tag):
# a span cut at many boundaries reopens many times, so its tags are made once.
Mark = tuple[int, int, str, int, str, str]


def marked_passage(
    text: str,
    span: tuple[str, int, int, str | None],
    look: Look,
    annotator: str | None,
    number: int,
    page: int | None,
    *,
    plain: bool = False,
) -> tuple[Mark, str]:
    """A span (id, start, end, note) as its marks in the text and its item in the passage
    list; ``plain``: the text holds nothing to escape. Escaping the pieces of the tooltip is
    escaping the tooltip: no entity spans two."""
    span_id, start, end, note = span
    key = attr(span_id)
    anchor = span_anchor(key)
    title = look.tooltip
    if annotator:
        title += _escaped("\nannotator: " + annotator)
    if note:
        title += escape("\nnote: " + note)
    shared = f'<mark class="{look.classes}" data-span="{key}"'
    tail = f' title="{title}">'
    first = f'{shared} id="{anchor}" data-n="{number}"{tail}'
    quote = excerpt(text[start:end])
    facts = ([f"p. {page}"] if page else []) + ([annotator] if annotator else [])
    item = (
        f'<li value="{number}" id="{passage_anchor(key)}">'
        f'<a class="quote" href="#{anchor}">“{quote if plain else escape(quote)}”</a>'
        f" {look.labels}"
        + (f' <span class="meta">{_escaped(" · ".join(facts))}</span>' if facts else "")
        + (f'<div class="note">{escape(note)}</div>' if note else "")
        + "</li>\n"
    )
    return (start, end, span_id, number, first, shared + tail), item


@functools.lru_cache(maxsize=4096)
def _escaped(text: str) -> str:
    """Escaped, for the few texts every span repeats (annotators' names, pages)."""
    return escape(text)


def needs_escaping(text: str) -> bool:
    return any(c in text for c in "&<>\"'")


def passage_list(items: Sequence[str]) -> str:
    """The numbered passages of a document: quote, tags, page, annotator, note."""
    return '<ol class="passages">\n' + "".join(items) + "</ol>\n" if items else ""


def highlighted(text: str, marks: Sequence[Mark]) -> str:
    """``text`` as HTML with every mark (offsets in code points) in place."""
    boundaries = sorted({0, len(text)} | {m[0] for m in marks} | {m[1] for m in marks})
    starting: dict[int, list[Mark]] = {}
    for mark in marks:
        starting.setdefault(mark[0], []).append(mark)
    # Most texts hold nothing to escape; those are cut without escaping every piece.
    plain = not needs_escaping(text)
    active: list[Mark] = []
    anchored: set[int] = set()
    pieces = []
    for left, right in itertools.pairwise(boundaries):
        if left in starting:
            active += starting[left]
        if active:
            active = [m for m in active if m[1] > left]
        piece = text[left:right] if plain else escape(text[left:right], quote=True)
        if not active:
            pieces.append(piece)
            continue
        # Longer spans outside, so a span nested in another reads as nested.
        if len(active) > 1:
            active.sort(key=_outer_first)
        for mark in active:
            pieces.append(mark[5] if mark[3] in anchored else mark[4])
            anchored.add(mark[3])
        pieces.append(piece)
        pieces.append("</mark>" * len(active))
    return "".join(pieces)


def _outer_first(mark: Mark) -> tuple[int, int, str]:
    return mark[0], -mark[1], mark[2]
