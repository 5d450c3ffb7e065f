"""Near-duplicate texts, found fast.

``near_duplicates`` reports every pair of texts whose whitespace-normalised forms score at
least ``score`` with ``rapidfuzz.fuzz.ratio``. Comparing all pairs of thousands of 10 KB
texts would take minutes, so a prefilter proposes candidates and only those are verified
with ``fuzz.ratio``.

Why the prefilter does not miss near-duplicates in practice
-----------------------------------------------------------
* Length. ``ratio = 100 * (1 - indel / (len_a + len_b))`` and ``indel >= |len_a - len_b|``,
  so a pair at >= 95 has ``shorter / longer >= 95 / 105`` (about 0.905). Exact, no misses.
* Shared pieces. A score of 95 still allows indel edits on up to ~10% of the characters, but
  real near-duplicates (typo fixes, whitespace, quote styles, a header or paragraph added)
  change far fewer, and an edit only destroys the pieces of text ("shingles") it falls in.
  Two texts become candidates when they share a good fraction of their shingles:

  - ``heads``: for prose, the first 16 non-space characters after each sentence mark
    (``.``, ``?``, ``。``, Armenian ``։`` ...). One C-level ``split`` per mark and ~100
    heads per 10 KB make this cheap (per-word work in Python would cost ~5x more), and
    whitespace inside a head is ignored. Texts beyond ~25 KB keep a bottom-k sample of 256.
  - ``words``: for longer texts with few sentence marks, pairs of consecutive words (tokens
    of 20+ characters as 4-grams), as a bottom-k sample (k = 128) of their hashes.
  - ``qgrams``: for short texts, character 4-grams (bottom-k, k = 64). With ``d`` indel
    edits at least ``len - 4 * d`` 4-grams survive, so even a worst-case pair at 95 shares
    ~40% of them.

  The families overlap (8-31 heads; 200-400 characters) so two near-duplicate texts always
  have a family in common. Random tests with up to ~7% of the characters edited at random
  places found every pair that brute force finds.
* Common shingles, held by ``_COMMON_SHINGLE_TEXTS`` texts or more (boilerplate, stop
  words), are not counted: they cost time and say nothing. A text made mostly of common
  heads or word pairs belongs to a big cluster of copies (wire stories), and for it they
  are counted after all. Short texts do not get that exception (common 4-grams are
  everywhere), so more than ~30 variants of one short text may be missed.

Sketches use Python's per-process ``hash``; they are never stored, so that is fine.
"""

from __future__ import annotations

import itertools
import math
import operator
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from itertools import chain
from typing import TypeVar

from rapidfuzz import fuzz

K = TypeVar("K", bound=Hashable)

NEAR_DUPLICATE_SCORE = 95.0

_SENTENCE_MARKS = (".", "!", "?", ";", ":", "。", "！", "？", "；", "：", "։", "।", "؟", "؛")
_HEAD_WINDOW = 48  # raw characters read after a sentence mark
_HEAD_CHARS = 16  # non-space characters that make a head
_MIN_HEAD_CHARS = 8  # shorter heads ("e.g.", "3.5") are too common to mean anything
_MIN_HEADS = 8  # fewer heads than this: the heads family is not used
_HEADS_ALONE = 32  # this many heads or more: the heads family is used alone

_SHORT_MAX = 400  # normalised texts up to this length get the qgrams family
_WORDS_MIN = 200  # ... and from this length the words family (the ranges overlap on purpose)
_QGRAM = 4
_LONG_TOKEN = 20  # tokens this long are shingled as 4-grams (URLs, unspaced scripts)
_SKETCH_SIZE = 128  # bottom-k sample size for the words and qgrams families
_QGRAM_SKETCH_SIZE = 64
_HEADS_SKETCH_SIZE = 256  # heads are only sampled in long texts (~25 KB and more)

_COMMON_SHINGLE_TEXTS = 32  # a shingle held by this many texts is "common"


@dataclass(frozen=True)
class _Family:
    min_shared: float  # a candidate holds at least this fraction of the query's shingles
    counts_common: bool  # count common shingles for queries made mostly of them


_FAMILIES = {
    "heads": _Family(min_shared=0.1, counts_common=True),
    "words": _Family(min_shared=0.2, counts_common=True),
    # Short texts share common 4-grams all the time; counting them would cost too much.
    "qgrams": _Family(min_shared=0.3, counts_common=False),
}

Sketch = dict[str, frozenset[int]]


def whitespace_normalised(text: str) -> str:
    """Collapse every run of whitespace to one space and strip the ends."""
    return " ".join(text.split())


def min_length_ratio(score: float) -> float:
    """The smallest shorter/longer length ratio at which ``fuzz.ratio`` can reach ``score``."""
    return max(0.0, score / (200.0 - score))


def near_duplicates(
    new: Sequence[tuple[K, str]],
    existing: Sequence[tuple[K, str]],
    *,
    score: float = NEAR_DUPLICATE_SCORE,
) -> list[tuple[K, K, float]]:
    """Pairs ``(new_key, other_key, ratio)`` of near-duplicate texts, ``ratio >= score``.

    Each new text is compared with every existing text and every earlier new text.
    Texts that are exactly equal are not reported (callers find those by hash).
    Results come in the order of ``new``, then of ``existing`` followed by ``new``.
    The prefilter is built for high scores; below ~85 it may start to miss pairs.
    """
    keys: list[K] = []
    texts: list[str] = []
    index = _ShingleIndex()
    for key, text in existing:
        index.add(len(texts), _sketch(text))
        keys.append(key)
        texts.append(text)
    verifier = _Verifier(texts, score)
    found: list[tuple[K, K, float]] = []
    for key, text in new:
        doc = len(texts)
        keys.append(key)
        texts.append(text)
        sketch = _sketch(text)
        for other in index.candidates(sketch):
            ratio = verifier.ratio(doc, other)
            if ratio is not None:
                found.append((key, keys[other], ratio))
        index.add(doc, sketch)
    return found


def best_match(
    text: str, candidates: Sequence[tuple[K, str]], *, score: float = NEAR_DUPLICATE_SCORE
) -> tuple[K, float] | None:
    """The candidate most similar to ``text`` with ``ratio >= score``, or None.

    An exactly equal candidate scores 100. Ties go to the earlier candidate. To match many
    texts at once, call ``near_duplicates`` once instead: it builds its index only once.
    """
    for key, candidate in candidates:
        if candidate == text:
            return key, 100.0
    numbered = [(number, candidate) for number, (_, candidate) in enumerate(candidates)]
    pairs = near_duplicates([(-1, text)], numbered, score=score)
    if not pairs:
        return None
    _, number, ratio = max(pairs, key=lambda pair: pair[2])  # max keeps the first of equals
    return candidates[number][0], ratio


class _Verifier:
    """Scores candidate pairs exactly, normalising each text at most once."""

    def __init__(self, texts: list[str], score: float) -> None:
        self._texts = texts
        self._score = score
        self._length_ratio = min_length_ratio(score)
        self._normalised: dict[int, str] = {}

    def _norm(self, doc: int) -> str:
        norm = self._normalised.get(doc)
        if norm is None:
            norm = self._normalised[doc] = whitespace_normalised(self._texts[doc])
        return norm

    def ratio(self, a: int, b: int) -> float | None:
        if self._texts[a] == self._texts[b]:
            return None
        norm_a, norm_b = self._norm(a), self._norm(b)
        shorter, longer = sorted((len(norm_a), len(norm_b)))
        if longer == 0 or shorter < self._length_ratio * longer:
            return None
        ratio = fuzz.ratio(norm_a, norm_b, score_cutoff=self._score)
        return ratio if ratio and ratio >= self._score else None


class _ShingleIndex:
    """Inverted index from shingle hash to the texts holding it, one per family."""

    def __init__(self) -> None:
        self._families = {name: _FamilyIndex(family) for name, family in _FAMILIES.items()}

    def add(self, doc: int, sketch: Sketch) -> None:
        for family, shingles in sketch.items():
            self._families[family].add(doc, shingles)

    def candidates(self, sketch: Sketch) -> list[int]:
        found: set[int] = set()
        for family, shingles in sketch.items():
            found |= self._families[family].candidates(shingles)
        return sorted(found)


class _FamilyIndex:
    """Postings for one shingle family, kept so that the work per text runs mostly in C.

    Most shingles belong to one text: their owner sits in a plain dict that set operations
    probe and update in bulk; only shingles held by several texts get a list of the others.
    """

    def __init__(self, family: _Family) -> None:
        self._family = family
        self._first: dict[int, int] = {}
        self._others: dict[int, list[int]] = {}
        self._common: set[int] = set()

    def add(self, doc: int, shingles: frozenset[int]) -> None:
        known = shingles & self._first.keys()
        self._first.update(zip(shingles - known, itertools.repeat(doc)))
        if not self._family.counts_common:
            known -= self._common  # their postings are never read again
        for shingle in known:
            others = self._others.setdefault(shingle, [])
            others.append(doc)
            if len(others) + 1 == _COMMON_SHINGLE_TEXTS:
                self._common.add(shingle)

    def candidates(self, shingles: frozenset[int]) -> set[int]:
        """Texts holding at least ``min_shared`` of the query's informative shingles.

        Common shingles are left out, unless most of the query's shingles are common and the
        family counts them then: that query belongs to a big cluster of copies of one text.
        """
        common = shingles & self._common
        if self._family.counts_common and 2 * len(common) > len(shingles):
            considered = shingles
        else:
            considered = shingles - common
        need = max(1, math.ceil(self._family.min_shared * len(considered)))
        present = considered & self._first.keys()
        if len(present) < need:
            return set()
        owners = list(map(self._first.__getitem__, present))
        owners.extend(
            chain.from_iterable(map(self._others.__getitem__, present & self._others.keys()))
        )
        if need == 1:
            return set(owners)
        # Sorted, a text listed ``need`` times or more has itself ``need - 1`` places further on.
        owners.sort()
        return set(itertools.compress(owners, map(operator.eq, owners, owners[need - 1 :])))


def _sketch(text: str) -> Sketch:
    """The shingle families of one text (see the module docstring)."""
    sketch: Sketch = {}
    heads = _sentence_heads(text)
    if len(heads) >= _MIN_HEADS:
        sketch["heads"] = heads
    if len(heads) < _HEADS_ALONE:
        norm = whitespace_normalised(text)
        if len(norm) <= _SHORT_MAX:
            sketch["qgrams"] = _bottom_k(_qgram_hashes(norm), _QGRAM_SKETCH_SIZE)
        if len(norm) >= _WORDS_MIN:
            sketch["words"] = _bottom_k(_word_pair_hashes(norm.split()))
    return sketch


def _sentence_heads(text: str) -> frozenset[int]:
    pieces = chain.from_iterable(text.split(mark) for mark in _SENTENCE_MARKS if mark in text)
    # window -> drop whitespace -> first characters, all in C through map.
    windows = map(operator.itemgetter(slice(_HEAD_WINDOW)), pieces)
    heads = set(map(operator.itemgetter(slice(_HEAD_CHARS)), map("".join, map(str.split, windows))))
    # Keep heads of at least _MIN_HEAD_CHARS: their last required character is non-empty.
    long_enough = map(operator.itemgetter(slice(_MIN_HEAD_CHARS - 1, _MIN_HEAD_CHARS)), heads)
    return _bottom_k(set(map(hash, itertools.compress(heads, long_enough))), _HEADS_SKETCH_SIZE)


def _qgram_hashes(text: str) -> set[int]:
    if len(text) <= _QGRAM:
        return {hash(text)} if text else set()
    starts = range(len(text) - _QGRAM + 1)
    # map/slice keeps the loop in C: q-grams are the costliest shingles per character.
    return set(map(hash, map(text.__getitem__, map(slice, starts, range(_QGRAM, len(text) + 1)))))


def _word_pair_hashes(words: list[str]) -> set[int]:
    """Pairs of consecutive words; tokens of 20+ characters (URLs, unspaced scripts) count as
    their 4-grams, so that one edit does not spoil a whole long token."""
    hashes = set(map(hash, itertools.pairwise(words)))
    if max(map(len, words), default=0) >= _LONG_TOKEN:
        for word in words:
            if len(word) >= _LONG_TOKEN:
                hashes.update(_qgram_hashes(word))
    return hashes


def _bottom_k(hashes: set[int], size: int = _SKETCH_SIZE) -> frozenset[int]:
    """A consistent sample: the ``size`` smallest hashes (bottom-k MinHash)."""
    if len(hashes) <= size:
        return frozenset(hashes)
    return frozenset(sorted(hashes)[:size])  # sorting in C beats heapq.nsmallest here
