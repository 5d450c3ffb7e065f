"""The one conversion between stored offsets (code points) and Qt document positions.

A ``QTextDocument`` position counts UTF-16 code units inside a block plus one per block
separator. The stored text breaks lines with ``"\\n"`` only, which becomes exactly one block
separator, so the two scales differ only by astral characters (above U+FFFF), which take two
units. Checked against Qt 6.12 for every BMP character: each one is one position, including
U+2028 (a line break inside the block), U+2029 and U+FDD0/U+FDD1 (block breaks), tab, NUL
and U+000B/U+000C. Two inputs are not kept as they are: ``"\\r\\n"`` becomes one separator and
a leading U+FEFF is dropped. :func:`qt_text` replaces those before the text reaches Qt.

Pure Python on purpose: it is the boundary, and its arithmetic is tested without a widget.
"""

from __future__ import annotations

import re
from bisect import bisect_left

_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


def qt_text(text: str) -> str:
    """The text to hand to ``setPlainText``: same length, and every code point survives as
    one (or, if astral, two) Qt positions. Stored text has neither replaced character; this
    only stops a stray one from shifting every highlight after it."""
    if "\r" in text:
        text = text.replace("\r", "\n")  # a lone CR shows as the line break it meant
    if "\ufeff" in text:
        text = text.replace("\ufeff", "\u2060")  # WORD JOINER: just as invisible, never dropped
    return text


class OffsetMap:
    """Maps code point offsets of one text to Qt positions and back.

    Without astral characters both directions are the identity (the common case, detected
    once). Otherwise two sorted tables locate the astral characters on each scale and a
    bisection counts how many precede an offset. Offsets outside the text extrapolate.
    """

    __slots__ = ("_astral_cp", "_astral_qt", "length")

    def __init__(self, astral_cp: list[int], length: int) -> None:
        self.length = length
        self._astral_cp = astral_cp
        # Qt position of each astral character's first (high surrogate) unit.
        self._astral_qt = [cp + rank for rank, cp in enumerate(astral_cp)]

    @classmethod
    def from_text(cls, text: str) -> OffsetMap:
        if text.isascii():
            return cls([], len(text))
        return cls([m.start() for m in _ASTRAL.finditer(text)], len(text))  # ~4 ms per MB

    @property
    def is_identity(self) -> bool:
        return not self._astral_cp

    @property
    def qt_length(self) -> int:
        """Qt positions the text occupies (``document.characterCount() - 1``)."""
        return self.length + len(self._astral_cp)

    def to_qt(self, cp: int) -> int:
        if not self._astral_cp:
            return cp
        return cp + bisect_left(self._astral_cp, cp)

    def to_cp(self, qt: int, *, round_up: bool = False) -> int:
        """The code point offset at Qt position ``qt``.

        A position between the two halves of a surrogate pair (Qt cursors avoid them, but
        ``setPosition`` accepts them) rounds down to the start of that character, or up to
        its end with ``round_up`` (use it for range ends so a range never loses half a char).
        """
        if not self._astral_cp:
            return qt
        before = bisect_left(self._astral_qt, qt)  # astral chars starting before ``qt``
        cp = qt - before
        if round_up and before and self._astral_qt[before - 1] + 1 == qt:
            cp += 1
        return cp

    def to_qt_range(self, start: int, end: int) -> tuple[int, int]:
        return self.to_qt(start), self.to_qt(end)

    def to_cp_range(self, qt_start: int, qt_end: int) -> tuple[int, int]:
        """A Qt range widened to whole characters."""
        return self.to_cp(qt_start), self.to_cp(qt_end, round_up=True)
