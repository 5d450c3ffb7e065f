"""Positions in another program's text, carried through line-break unification and NFC."""

from __future__ import annotations

import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from annotator.core.formats.refi_offsets import normalised_with_offsets
from annotator.core.formats.set_writer import fragment

# Pieces that normalisation changes or must leave alone: decomposed letters, stacked marks in
# either order, Hangul jamo, CRLF and lone CR, emoji sequences, Armenian, Cyrillic.
PIECES = [
    "e\u0301",
    "e\u0323\u0301",
    "e\u0301\u0323",
    "A\u030a",
    "\u212b",
    "\u1100\u1161",
    "\u1100\u1161\u11a8",
    "\r\n",
    "\r",
    "\n",
    "🇦🇲",
    "👩‍👩‍👧",
    "Հայ",
    "Мир",
    "é",
    "a",
    "\u0301",
    "\u0f73",
    " ",
    "\t",
    "\u0308\u0301",
]
# A word starts with a base character; a mark after a space belongs to the space.
WORD = st.lists(st.sampled_from(PIECES), min_size=1, max_size=4).map("".join)
WORDS = st.lists(WORD.filter(lambda w: not unicodedata.combining(w[0])), min_size=1, max_size=12)


@given(st.lists(st.sampled_from(PIECES), max_size=30).map("".join))
def test_the_text_is_the_one_an_import_stores(raw: str) -> None:
    text, offsets = normalised_with_offsets(raw)
    assert text == fragment(raw)
    assert offsets.start(0) == 0 and offsets.end(len(raw)) == len(text)


@given(WORDS)
def test_each_word_lands_on_its_normalised_self(words: list[str]) -> None:
    """Words separated by a space (normalisation never moves a letter across one) land on
    exactly their normalised selves."""
    raw = " ".join(words)
    text, offsets = normalised_with_offsets(raw)
    at = 0
    for word in words:
        start, end = offsets.start(at), offsets.end(at + len(word))
        assert text[start:end] == fragment(word)
        at += len(word) + 1


@given(st.lists(st.sampled_from(PIECES), max_size=30).map("".join), st.data())
def test_positions_never_cross_and_never_lose_what_was_covered(raw: str, data) -> None:
    text, offsets = normalised_with_offsets(raw)
    start = data.draw(st.integers(0, len(raw)))
    end = data.draw(st.integers(start, len(raw)))
    new_start, new_end = offsets.start(start), offsets.end(end)
    assert 0 <= new_start <= new_end <= len(text)
    # Whatever the selection held is inside what it now holds (a half letter grows whole).
    held = unicodedata.normalize("NFD", text[new_start:new_end])
    covered = unicodedata.normalize("NFD", raw[start:end]).replace("\r", "\n")
    assert all(c in held for c in covered if not unicodedata.combining(c))


def test_known_cases() -> None:
    raw = "Cafe\u0301 \r\nA\u030a 각 Հայ 🇦🇲👩‍👩‍👧 end\r\n"
    text, offsets = normalised_with_offsets(raw)
    assert text == "Café \nÅ 각 Հայ 🇦🇲👩‍👩‍👧 end\n"
    for word in ("Cafe\u0301", "A\u030a", "Հայ", "🇦🇲👩‍👩‍👧", "end"):
        at = raw.index(word)
        assert text[offsets.start(at) : offsets.end(at + len(word))] == fragment(word)
    inside = raw.index("\r\nA")
    assert (offsets.start(inside + 1), offsets.end(inside + 1)) == (5, 6)  # between \r and \n
    cut = raw.index("\u0301")  # between "e" and its accent: the start keeps the letter whole
    assert (offsets.start(cut), offsets.end(cut)) == (3, 4)


def test_a_clean_text_maps_to_itself() -> None:
    raw = "Plain NFC text with Հայ and Мир and 🕊️\nlines."
    text, offsets = normalised_with_offsets(raw)
    assert text == raw and offsets.steps == ()
    assert [offsets.start(i) for i in range(len(raw) + 1)] == list(range(len(raw) + 1))
