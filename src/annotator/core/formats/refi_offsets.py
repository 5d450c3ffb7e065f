"""Positions counted in a text as another program kept it, carried into the text as we store it.

REFI-QDA positions count code points in the source's own plain text. An imported text is
normalised as every text an annotation set brings (``set_writer.fragment``: ``\\n`` line breaks,
NFC), which can shorten it: ``\\r\\n`` becomes one character, ``e`` + combining acute becomes
``é``. An OffsetMap follows each position through those steps exactly; a position inside
a piece that changed (between ``\\r`` and ``\\n``, or inside a composed letter) moves to the
piece's start for a selection's start and to its end for a selection's end, so a selection
never loses what it covered.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from dataclasses import dataclass, field

_LINE_BREAKS = re.compile("\r\n?")  # as fragment() replaces them (tests check both agree)
# Normalisation only touches non-ASCII characters, and the character just before them.
_NON_ASCII_RUN = re.compile(r".?[^\x00-\x7f]+", re.DOTALL)


@dataclass
class PieceMap:
    """Positions through replacements of non-overlapping pieces, given in text order."""

    old_starts: list[int] = field(default_factory=list)
    pieces: list[tuple[int, int, int, int]] = field(default_factory=list)

    def add(self, old_start: int, old_end: int, new_start: int, new_end: int) -> None:
        self.old_starts.append(old_start)
        self.pieces.append((old_start, old_end, new_start, new_end))

    def __call__(self, position: int, end: bool) -> int:
        index = bisect_right(self.old_starts, position) - 1
        if index < 0:
            return position
        old_start, old_end, new_start, new_end = self.pieces[index]
        if position == old_start:
            return new_start
        if position < old_end:
            return new_end if end else new_start
        return new_end + position - old_end


@dataclass(frozen=True)
class OffsetMap:
    steps: tuple[PieceMap, ...]
    length: int  # of the normalised text

    def start(self, position: int) -> int:
        return self._map(position, end=False)

    def end(self, position: int) -> int:
        return self._map(position, end=True)

    def _map(self, position: int, *, end: bool) -> int:
        position = max(0, position)
        for step in self.steps:
            position = step(position, end)
        return min(position, self.length)


def normalised_with_offsets(raw: str) -> tuple[str, OffsetMap]:
    """The text as an import stores it (equal to ``fragment(raw)``) and the map of positions."""
    steps: list[PieceMap] = []
    text = raw
    if "\r" in text:
        breaks, text = _unify_line_breaks(text)
        steps.append(breaks)
    if not unicodedata.is_normalized("NFC", text):
        text, composition = _compose(text)
        steps.append(composition)
    return text, OffsetMap(tuple(steps), len(text))


def _unify_line_breaks(text: str) -> tuple[PieceMap, str]:
    pieces = PieceMap()
    shift = 0
    for match in _LINE_BREAKS.finditer(text):
        if len(match.group()) == 2:  # "\r\n"; a lone "\r" keeps its place
            new_start = match.start() - shift
            pieces.add(match.start(), match.end(), new_start, new_start + 1)
            shift += 1
    return pieces, _LINE_BREAKS.sub("\n", text)


def _compose(text: str) -> tuple[str, PieceMap]:
    """NFC piece by piece, remembering each piece that changed."""
    pieces = PieceMap()
    out: list[str] = []
    done = 0  # text[:done] is in out already
    shift = 0  # length gained (negative: lost) so far
    for match in _NON_ASCII_RUN.finditer(text):
        if unicodedata.is_normalized("NFC", match.group()):
            continue
        for offset, group in _groups(match.group()):
            composed = unicodedata.normalize("NFC", group)
            if composed == group:
                continue
            old_start = match.start() + offset
            out += [text[done:old_start], composed]
            done = old_start + len(group)
            new_start = old_start + shift
            pieces.add(old_start, done, new_start, new_start + len(composed))
            shift += len(composed) - len(group)
    out.append(text[done:])
    return "".join(out), pieces


def _groups(run: str) -> list[tuple[int, str]]:
    """``run`` cut into (offset, piece) so that normalising the pieces apart gives what
    normalising the run whole does: a base character with its marks, joined to its
    neighbour whenever the two normalise differently together (Hangul syllables, say)."""
    groups: list[tuple[int, str]] = []
    start = 0
    for index in range(1, len(run) + 1):
        if index < len(run) and unicodedata.combining(run[index]):
            continue
        groups.append((start, run[start:index]))
        start = index
        while len(groups) >= 2 and _interact(groups[-2][1], groups[-1][1]):
            (offset, first), (_, second) = groups[-2:]
            groups[-2:] = [(offset, first + second)]
    return groups


def _interact(first: str, second: str) -> bool:
    nfc = unicodedata.normalize
    return nfc("NFC", first + second) != nfc("NFC", first) + nfc("NFC", second)
