"""Fuzzy ranking of things to pick (no Qt): names with aliases, passages with tags and notes.

rapidfuzz does the scoring: ``WRatio`` for names, substring matches for long passages, and
per-keyword matches so that words typed in any order still find a passage.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from rapidfuzz import fuzz, process, utils

from annotator.core.model import normalise_name

MIN_SCORE = 72  # below this a match is noise, not a near-miss
PARTIAL_WEIGHT = 0.9  # what WRatio itself gives a partial match in a somewhat longer text
WORD_CUTOFF = 70  # one keyword's substring match below this counts as absent


@dataclass(frozen=True, slots=True)
class PickerItem:
    """Something to pick: ``label`` is shown and searched, ``search`` holds other texts that
    should find it too (an actor's aliases, a span's note and tags), ``detail`` a second line."""

    id: str
    label: str
    search: tuple[str, ...] = ()
    detail: str = ""
    bold: bool = False  # set apart (e.g. whole documents among passages)


@dataclass(frozen=True, slots=True)
class CreateRequest:
    """The "Create “…”" row was picked: make a new record called ``name``."""

    name: str


Choice = PickerItem | CreateRequest


class FuzzyIndex:
    """Items ranked against a query, best first; each item scores its best-matching text."""

    def __init__(self, items: Iterable[PickerItem]) -> None:
        self.items = list(items)
        self._texts: list[str] = []  # preprocessed once, not on every keystroke
        self._owners: list[int] = []
        for number, item in enumerate(self.items):
            for text in (item.label, *item.search):
                processed = utils.default_process(text or "")
                if processed:
                    self._texts.append(processed)
                    self._owners.append(number)

    def search(self, query: str, limit: int | None = None) -> list[PickerItem]:
        wanted = utils.default_process(query or "")
        if not wanted:
            return self.items[:limit]
        best = self._phrase_scores(wanted)
        for owner, score in self._word_scores(wanted).items():
            best[owner] = max(score, best.get(owner, 0.0))

        def order(number: int) -> tuple[float, bool, int]:
            # Ties (common: partial matches all score 90) go to labels starting with the query.
            label = utils.default_process(self.items[number].label)
            return (-best[number], not label.startswith(wanted), number)

        return [self.items[number] for number in sorted(best, key=order)[:limit]]

    def _phrase_scores(self, wanted: str) -> dict[int, float]:
        """The query as one phrase. WRatio ranks names well but scales a match inside a text
        8+ times longer than the query down to 60%, so a typo in a long quote would fall
        below any sensible cutoff; a substring match therefore also counts, at the weight
        WRatio gives it in moderately longer texts."""
        best: dict[int, float] = {}
        for scorer, weight in ((fuzz.WRatio, 1.0), (fuzz.partial_ratio, PARTIAL_WEIGHT)):
            for _, score, at in process.extract(
                wanted,
                self._texts,
                scorer=scorer,
                processor=None,
                limit=None,
                score_cutoff=MIN_SCORE / weight,
            ):
                owner = self._owners[at]
                best[owner] = max(score * weight, best.get(owner, 0.0))
        return best

    def _word_scores(self, wanted: str) -> dict[int, float]:
        """Keywords in any order and in any of an item's texts ("lachin blockade", "corridor
        melikyan"): each word's best substring match, averaged, so a missing word costs."""
        words = [word for word in dict.fromkeys(wanted.split()) if len(word) > 1]
        if len(words) < 2:
            return {}
        totals: dict[int, float] = {}
        for word in words:
            found: dict[int, float] = {}
            for _, score, at in process.extract(
                word,
                self._texts,
                scorer=fuzz.partial_ratio,
                processor=None,
                limit=None,
                score_cutoff=WORD_CUTOFF,
            ):
                owner = self._owners[at]
                found[owner] = max(score, found.get(owner, 0.0))
            for owner, score in found.items():
                totals[owner] = totals.get(owner, 0.0) + score
        return {
            owner: score
            for owner, total in totals.items()
            if (score := PARTIAL_WEIGHT * total / len(words)) >= MIN_SCORE
        }

    def size(self) -> int:
        """How many texts a search goes through."""
        return len(self._texts)

    def exact(self, name: str) -> PickerItem | None:
        """The item whose label (or other name) is ``name``, ignoring case and spacing."""
        wanted = normalise_name(name)
        if not wanted:
            return None
        for item in self.items:
            if any(normalise_name(text) == wanted for text in (item.label, *item.search)):
                return item
        return None
