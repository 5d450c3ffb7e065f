"""Folding text for fuzzy matching: case, curly quotes, dashes, invisible characters and
whitespace runs, with an exact map from the folded copy back to original code points."""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from dataclasses import dataclass
from itertools import accumulate

_WHITESPACE = "\t\n\r\x0b\x0c\x1c\x1d\x1e\x1f\x85\xa0\u1680\u2028\u2029\u202f\u205f\u3000"
_FOLD_MAP = {
    **{c: " " for c in _WHITESPACE + "".join(map(chr, range(0x2000, 0x200B)))},
    **dict.fromkeys("‘’‚‛′ʼ`´", "'"),
    **dict.fromkeys("“”„‟″«»", '"'),
    **dict.fromkeys("‐‑‒–—―−", "-"),
}
# A regex replaces the few such characters of a text faster than str.translate visits them all.
_FOLDABLE = re.compile("[" + re.escape("".join(_FOLD_MAP)) + "]")
# Dropped after the 1:1 replacements: invisible characters, and spaces after a space.
_DROP = re.compile(r"[\u00ad\u200b\u2060\ufeff]+|(?<= ) +")


def _fold_characters(s: str) -> str:
    """Replace typographic variants and whitespace, and lower the case, keeping every offset."""
    s = _FOLDABLE.sub(lambda m: _FOLD_MAP[m.group()], s)
    return s.replace("İ", "i").lower()  # "İ" is the one character whose lower case is two


@dataclass(frozen=True)
class NormalisedText:
    """A folded text; from folded index ``cuts[k]`` on, ``shifts[k]`` original characters have
    been dropped (a piecewise-constant offset map; ``original_cuts[k]`` is where they were)."""

    text: str
    cuts: tuple[int, ...]
    original_cuts: tuple[int, ...]
    shifts: tuple[int, ...]

    def to_original(self, i: int) -> int:
        """The original index of folded character ``i`` (or of the end, for ``len(text)``)."""
        k = bisect_right(self.cuts, i)
        return i + (self.shifts[k - 1] if k else 0)

    def end_to_original(self, i: int) -> int:
        """An exclusive end: just after the original of folded character ``i - 1``."""
        return self.to_original(i - 1) + 1 if i > 0 else 0

    def to_normalised(self, j: int) -> int:
        """The folded index of original index ``j`` (the next kept one if ``j`` was dropped)."""
        k = bisect_right(self.original_cuts, j)
        return max(self.cuts[k - 1], j - self.shifts[k - 1]) if k else j


def normalise(text: str) -> NormalisedText:
    """Fold case, quotes, dashes and whitespace runs, keeping a map to the original offsets."""
    folded = _fold_characters(text)
    drops = [m.span() for m in _DROP.finditer(folded)]
    shifts = tuple(accumulate(end - start for start, end in drops))
    cuts = tuple(s - shift + (e - s) for (s, e), shift in zip(drops, shifts, strict=True))
    return NormalisedText(_DROP.sub("", folded), cuts, tuple(s for s, _ in drops), shifts)


def fold(s: str) -> str:
    """The folded form of a short string (a quote or a context), NFC first as stored texts are."""
    return _DROP.sub("", _fold_characters(unicodedata.normalize("NFC", s)))
