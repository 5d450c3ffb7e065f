"""What a merge did, or would do: counts per record kind, and the details an analyst reviews."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

OUTCOMES = ("new", "updated", "unchanged", "conflicts", "reanchored", "orphaned")


@dataclass(frozen=True)
class DocumentMatch:
    their_id: str
    my_id: str
    title: str
    how: str  # "id", "hash" or "fuzzy"
    score: float  # 100 for id and hash; rapidfuzz ratio on whitespace-folded text for fuzzy
    text_differs: bool


@dataclass(frozen=True)
class NameMatch:
    """A tag, target, actor or annotator of theirs and the one of mine it is, or may be."""

    table: str
    their_id: str
    their_name: str
    my_id: str
    my_name: str
    score: float  # 100: the same normalised name


@dataclass(frozen=True)
class MovedSpan:
    span_id: str
    document_id: str
    quote: str
    score: float  # 0..1 anchoring confidence; 0 for an orphan
    method: str  # "exact", "fuzzy" or "orphaned"
    start: int
    end: int


@dataclass(frozen=True)
class ConflictNote:
    table: str
    record_id: str
    label: str
    reason: str
    kept: str  # "mine" or "theirs"


@dataclass
class MergeReport:
    mine: str
    theirs: str
    applied: bool = False
    counts: dict[str, Counter[str]] = field(default_factory=dict)  # kind -> outcome -> n
    documents: list[DocumentMatch] = field(default_factory=list)
    names: list[NameMatch] = field(default_factory=list)  # matched by name (UUIDs differ)
    similar: list[NameMatch] = field(default_factory=list)  # offered, mapped only if chosen
    moved: list[MovedSpan] = field(default_factory=list)  # re-anchored and orphaned spans
    conflicts: list[ConflictNote] = field(default_factory=list)
    backup: str | None = None

    def count(self, kind: str, outcome: str, n: int = 1) -> None:
        counter = self.counts.get(kind)
        if counter is None:
            counter = self.counts[kind] = Counter()
        counter[outcome] += n

    def total(self, outcome: str) -> int:
        return sum(c[outcome] for c in self.counts.values())

    @property
    def orphans(self) -> list[MovedSpan]:
        return [m for m in self.moved if m.method == "orphaned"]

    def as_dict(self) -> dict[str, Any]:
        return {
            "mine": self.mine,
            "theirs": self.theirs,
            "applied": self.applied,
            "backup": self.backup,
            "counts": {
                kind: {outcome: counter[outcome] for outcome in OUTCOMES}
                for kind, counter in self.counts.items()
            },
            "documents": [vars(d) for d in self.documents],
            "matched_by_name": [vars(n) for n in self.names],
            "similar_names": [vars(n) for n in self.similar],
            "reanchored": [vars(m) for m in self.moved if m.method != "orphaned"],
            "orphaned": [vars(m) for m in self.orphans],
            "conflicts": [vars(c) for c in self.conflicts],
        }
