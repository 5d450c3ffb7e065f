"""Word boundaries in stored text, for snapping a selection to whole words."""

from __future__ import annotations

import unicodedata

_JOINERS = "'’\u200c\u200d"  # inside a word they do not end it (don't, Azerbaijan’s)


def snap_to_word_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """Widen ``[start, end)`` to whole words and trim surrounding white space (a range of
    nothing but white space is left alone).

    A word is a run of letters, digits, marks (so decomposed accents stay with their base)
    and connector punctuation, with apostrophes and zero-width joiners inside it.
    """
    if text[start:end].isspace() or start == end:
        return start, end
    while text[start].isspace():
        start += 1
    while text[end - 1].isspace():
        end -= 1
    while start > 0 and _in_word(text, start - 1) and _in_word(text, start):
        start -= 1
    while end < len(text) and _in_word(text, end - 1) and _in_word(text, end):
        end += 1
    return start, end


def _is_word_char(char: str) -> bool:
    return unicodedata.category(char)[0] in "LMN" or char == "_"


def _in_word(text: str, i: int) -> bool:
    if _is_word_char(text[i]):
        return True
    inside = 0 < i < len(text) - 1
    return (
        text[i] in _JOINERS and inside and _is_word_char(text[i - 1]) and _is_word_char(text[i + 1])
    )
