"""Moving a passage's boundaries by a character or a word (pure: no Qt, easy to test)."""

from __future__ import annotations

from enum import StrEnum

_JOINERS = "'’"  # inside a word they do not end it (don't, Baku’s)


class Edge(StrEnum):
    START = "start"
    END = "end"


def is_word_char(text: str, i: int) -> bool:
    char = text[i]
    if char.isalnum() or char == "_":
        return True
    inside = 0 < i < len(text) - 1
    return char in _JOINERS and inside and text[i - 1].isalnum() and text[i + 1].isalnum()


def _skip(text: str, i: int, step: int, word: bool) -> int:
    """From boundary ``i``, pass the characters on side ``step`` while they are (not) word."""
    while 0 <= (i if step > 0 else i - 1) < len(text):
        if is_word_char(text, i if step > 0 else i - 1) != word:
            break
        i += step
    return i


def word_step(text: str, i: int, step: int) -> int:
    """The next word boundary from ``i`` in direction ``step``: the end of the next word
    going right, the start of the previous word going left."""
    return _skip(text, _skip(text, i, step, word=False), step, word=True)


def moved_bounds(
    text: str, start: int, end: int, edge: Edge, step: int, by_word: bool = False
) -> tuple[int, int] | None:
    """``(start, end)`` with one edge moved one character or word; None if it cannot move
    (the text ends there, or the passage would become empty)."""
    original = (start, end)
    if edge == Edge.START:
        if by_word:
            # going right drops the first word: land on the start of the following one
            start = (
                word_step(text, start, -1)
                if step < 0
                else _skip(text, _skip(text, start, 1, word=True), 1, word=False)
            )
        else:
            start += step
    elif by_word:
        # going left drops the last word: land on the end of the preceding one
        end = (
            word_step(text, end, 1)
            if step > 0
            else _skip(text, _skip(text, end, -1, word=True), -1, word=False)
        )
    else:
        end += step
    if not 0 <= start < end <= len(text) or (start, end) == original:
        return None
    return start, end
