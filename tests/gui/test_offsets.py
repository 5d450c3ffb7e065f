"""Code points ↔ Qt positions: the arithmetic, then what a real QTextDocument does."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QPlainTextEdit

from annotator.gui.offsets import OffsetMap, qt_text

FAMILY = "👩\u200d👩\u200d👧\u200d👦"  # one grapheme: 7 code points, 11 UTF-16 units
FLAG = "🇦🇲"
PIECES = [
    "a",
    "Peace ",
    " ",
    "\t",
    "\n",
    "\n\n",
    "e\u0301",  # decomposed é: two code points, kept as they are
    FAMILY,
    FLAG,
    "😀",
    "𝐀",
    "Հայաստանի ",
    "Հանրապետություն",
    "Азербайджан ",
    "ё",
    "\u2028",  # line separator: a line break inside the block
    "\u2029",  # paragraph separator: a block break
    "\ufdd0",  # Qt's own frame marker: also a block break
    "\ufeff",  # dropped by Qt at the start of a text, unless replaced
    "\r",
    "\r\n",  # merged by Qt into one break, unless replaced
    "\x00",
    "\x0b",
]
texts = st.lists(st.sampled_from(PIECES), max_size=40).map("".join)
BLOCK_BREAKS = str.maketrans({"\u2029": "\n", "\ufdd0": "\n", "\ufdd1": "\n"})


def as_shown(text: str) -> str:
    """What Qt reports for ``text``: block separators come back as U+2029."""
    return qt_text(text).translate(BLOCK_BREAKS)


def utf16_length(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def test_text_without_astral_characters_maps_one_to_one():
    offsets = OffsetMap.from_text("Հայաստան e\u0301 Азербайджан\t\n\u2028")
    assert offsets.is_identity
    assert [offsets.to_qt(i) for i in range(15)] == list(range(15))
    assert offsets.to_cp(7) == 7


def test_astral_characters_take_two_positions():
    text = f"a{FLAG}b😀"
    offsets = OffsetMap.from_text(text)
    assert not offsets.is_identity
    assert [offsets.to_qt(i) for i in range(len(text) + 1)] == [0, 1, 3, 5, 6, 8]
    assert offsets.qt_length == 8
    # Position 2 lies between the surrogates of 🇦: round down to it, or up past it.
    assert offsets.to_cp(2) == 1
    assert offsets.to_cp(2, round_up=True) == 2
    assert offsets.to_cp_range(2, 7) == (1, 5)  # 7 is inside 😀


@given(texts)
def test_conversions_are_inverse_and_count_utf16_units(text):
    offsets = OffsetMap.from_text(text)
    for i in range(len(text) + 1):
        qt = offsets.to_qt(i)
        assert qt == utf16_length(text[:i])
        assert offsets.to_cp(qt) == i
        assert offsets.to_cp(qt, round_up=True) == i
    assert offsets.qt_length == utf16_length(text)


def test_qt_text_keeps_the_length_and_removes_what_qt_would_drop():
    text = "\ufeffline\r\nnext\rlast"
    shown = qt_text(text)
    assert len(shown) == len(text)
    assert "\r" not in shown and "\ufeff" not in shown


@settings(max_examples=150, deadline=None)
@given(texts)
def test_every_character_lands_on_its_own_qt_positions(qapp, text):
    """Select each character through the map in a real document: Qt shows that character."""
    editor = QPlainTextEdit()
    editor.setPlainText(qt_text(text))
    document = editor.document()
    offsets = OffsetMap.from_text(text)
    assert document.characterCount() - 1 == offsets.qt_length
    assert document.toPlainText().translate(BLOCK_BREAKS) == as_shown(text).replace("\u2028", "\n")
    cursor = QTextCursor(document)
    for i in range(len(text)):
        cursor.setPosition(offsets.to_qt(i))
        cursor.setPosition(offsets.to_qt(i + 1), QTextCursor.MoveMode.KeepAnchor)
        assert cursor.selectedText().translate(BLOCK_BREAKS) == as_shown(text)[i]
