"""Positions in a brat .txt (as decoded) -> positions in the text as stored.

The stored text is ``normalise_text`` of the file: leading byte-order marks dropped, every line
break made ``\\n``, NFC, trailing white space cut. Where a step changes lengths, a position
inside the change widens to its edges; elsewhere positions shift by what came before.
"""

from __future__ import annotations

import bisect
import re
import unicodedata

_BREAK_RUNS = re.compile("\r\n?|[\u0085\u2028\u2029]")


class _Edits:
    """A position map given by the places where lengths change; elsewhere positions shift."""

    def __init__(self) -> None:
        self.starts: list[int] = []  # source start of each changed piece, rising
        self.pieces: list[tuple[int, int, int, int]] = []  # source start, end, target start, end

    def add(self, start: int, end: int, target_start: int, target_end: int) -> None:
        self.starts.append(start)
        self.pieces.append((start, end, target_start, target_end))

    def map(self, position: int, *, is_end: bool) -> int:
        index = bisect.bisect_right(self.starts, position) - 1
        if index < 0:
            return position
        start, end, target_start, target_end = self.pieces[index]
        if position >= end:
            return target_end + position - end
        if position == start:
            return target_start
        return target_end if is_end else target_start  # inside a changed piece: widen the span


class OffsetMap:
    """Positions in a file's decoded text -> positions in ``normalise_text`` of it (the stored
    text): leading byte-order marks dropped, line breaks made ``\\n``, NFC, trailing space cut."""

    def __init__(self, source: str) -> None:
        self.breaks = _Edits()
        bom = len(source) - len(source.lstrip("\ufeff"))
        if bom:
            self.breaks.add(0, bom, 0, 0)
        shift = -bom
        for match in _BREAK_RUNS.finditer(source, bom):
            if match.end() - match.start() != 1:
                target = match.start() + shift
                self.breaks.add(match.start(), match.end(), target, target + 1)
                shift += 1 - (match.end() - match.start())
        broken = _BREAK_RUNS.sub("\n", source[bom:])
        self.composed = _nfc_edits(broken)
        self.length = len(unicodedata.normalize("NFC", broken).rstrip())

    def start(self, position: int) -> int:
        return self._map(position, is_end=False)

    def end(self, position: int) -> int:
        return self._map(position, is_end=True)

    def _map(self, position: int, *, is_end: bool) -> int:
        middle = self.breaks.map(position, is_end=is_end)
        return min(self.composed.map(middle, is_end=is_end), self.length)


def _nfc_edits(text: str) -> _Edits:
    """Where NFC changes lengths, cut at characters nothing before them can combine with."""
    edits = _Edits()
    if unicodedata.is_normalized("NFC", text):
        return edits
    normalize, combining = unicodedata.normalize, unicodedata.combining
    target = piece_start = 0
    for position in range(1, len(text) + 1):
        if position < len(text):
            char = text[position]
            if char >= "\x80":  # ASCII never combines with what precedes it
                if combining(char) or combining(normalize("NFD", char)[0]):
                    continue
                before = text[piece_start:position]
                if normalize("NFC", before + char) != normalize("NFC", before) + normalize(
                    "NFC", char
                ):
                    continue
        length = len(normalize("NFC", text[piece_start:position]))
        if length != position - piece_start:
            edits.add(piece_start, position, target, target + length)
        target += length
        piece_start = position
    return edits
