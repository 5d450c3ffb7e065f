"""How the article view paints one block's highlights: blended backgrounds as layout formats,
annotators' underlines stacked under the lines.

Pieces are computed once per block and span version (see ``ArticleView.ensure_block_formats``);
these helpers turn them into what Qt paints.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from typing import NamedTuple

from PySide6.QtCore import QRect, QRectF
from PySide6.QtGui import QColor, QPainter, QTextBlock, QTextCharFormat, QTextFormat, QTextLayout

# Painted formats carry the ids of the spans they show, so tests (and debugging) can read
# back exactly what Qt paints without inspecting pixels.
SPAN_IDS_PROPERTY = QTextFormat.Property.UserProperty.value + 1

MARK_THICKNESS = 2.0
MARK_ROWS = 3  # annotators beyond the third share the last underline row


class Piece(NamedTuple):
    """One elementary piece of a block, in Qt positions relative to the block."""

    start: int
    end: int
    colour: str  # the blended background
    ids: tuple[str, ...]  # spans covering it, by start then length
    marks: tuple[tuple[int, str], ...]  # (underline row, annotator colour)


@dataclass(slots=True)
class BlockPaint:
    version: int  # the view's span version these pieces were computed at
    pieces: tuple[Piece, ...]


def format_range(piece: Piece) -> QTextLayout.FormatRange:
    fmt = QTextCharFormat()
    fmt.setBackground(QColor(piece.colour))
    fmt.setProperty(SPAN_IDS_PROPERTY, list(piece.ids))
    painted = QTextLayout.FormatRange()
    painted.start, painted.length, painted.format = piece.start, piece.end - piece.start, fmt
    return painted


def paint_marks(
    painter: QPainter,
    block: QTextBlock,
    pieces: tuple[Piece, ...],
    origin: tuple[float, float],
    rect: QRect,
) -> None:
    """Stacked underlines, one row per annotator, under the ``pieces`` of ``block`` on the
    lines that meet ``rect``; ``origin`` is where the block's layout starts (x, top)."""
    marked = [piece for piece in pieces if piece.marks]
    layout = block.layout()
    x0, top = origin
    lines = [layout.lineAt(i) for i in range(layout.lineCount())] if marked else []
    lines = [
        ln
        for ln in lines
        if rect.top() <= top + ln.rect().bottom() and top + ln.y() <= rect.bottom()
    ]
    if not lines:
        return
    starts = [line.textStart() for line in lines]
    for piece in marked:
        i = max(0, bisect_right(starts, piece.start) - 1)
        while i < len(lines) and starts[i] < piece.end:
            line = lines[i]
            i += 1
            left, right = (
                max(piece.start, line.textStart()),
                min(piece.end, line.textStart() + line.textLength()),
            )
            if left >= right:
                continue
            x1, x2 = sorted((line.cursorToX(left)[0], line.cursorToX(right)[0]))
            baseline = top + line.y() + line.ascent()
            for row, colour in piece.marks:
                y = baseline + 1 + row * (MARK_THICKNESS + 1)
                painter.fillRect(QRectF(x0 + x1, y, x2 - x1, MARK_THICKNESS), QColor(colour))
