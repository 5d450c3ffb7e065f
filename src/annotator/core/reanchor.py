"""Carry spans into another version of their document's text.

Used by a merge (spans into whichever text won) and by replacing a document's text in place.
Each span is looked for by its quote, its prefix and suffix, and closeness to where it was (and
to where its neighbours went: see ``anchoring.locate_many``), with the acceptance scores (quote
similarity, and the confidence of all signals together) and the ambiguity margin of
``anchoring``. A span that cannot be placed with confidence becomes an
orphan: kept with its old offsets and quote, and marked ``orphaned_at`` for review.

Where a quote sits follows from the text: carrying a span does not restamp it (``updated_at``
stays), so a merge never takes a move for an edit that outranks a real change of its content.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from annotator.core import anchoring
from annotator.core.model import CONTEXT_CHARS

Row = dict[str, Any]


# The fields that say where a span's quote sits in its document's text.
PLACEMENT = ("start", "end", "quote", "prefix", "suffix", "orphaned_at")


@dataclass(frozen=True)
class Moved:
    """A span's new row and how it was found there (``method`` "orphaned": not found)."""

    row: Row
    score: float
    method: str


def fits(text: str, row: Row) -> bool:
    """The span's offsets still hold its quote in ``text``."""
    start, end = row["start"], row["end"]
    return 0 <= start < end <= len(text) and text[start:end] == row["quote"]


def same_but_placement(a: Row, b: Row) -> bool:
    """``a`` and ``b`` are one version of a span, wherever each has its quote."""
    return all(a[k] == b[k] for k in a.keys() | b.keys() if k not in PLACEMENT)


def placed_at(text: str, row: Row, start: int, end: int) -> Row:
    """``row`` at ``start``..``end`` of ``text``, quote and context taken from there."""
    return row | {
        "start": start,
        "end": end,
        "quote": text[start:end],
        "prefix": text[max(0, start - CONTEXT_CHARS) : start],
        "suffix": text[end : end + CONTEXT_CHARS],
        "orphaned_at": None,
    }


def carry_spans(text: str, rows: Sequence[Row], *, stamp: str) -> list[Moved]:
    """Place every row in ``text``; results in the order given.

    Rows whose offsets still hold their quote stay put. An orphan keeps an earlier
    ``orphaned_at``, else gets ``stamp`` (or its own ``updated_at``, when later): carrying the
    same span into the same text twice gives the same row.
    """
    moved: list[Moved | None] = [None] * len(rows)
    pending = []
    for i, row in enumerate(rows):
        if fits(text, row):
            moved[i] = Moved(placed_at(text, row, row["start"], row["end"]), 1.0, "position")
        else:
            pending.append(i)
    selectors = [
        anchoring.Selector(
            rows[i]["quote"], rows[i]["prefix"], rows[i]["suffix"], rows[i]["start"], rows[i]["end"]
        )
        for i in pending
    ]
    for i, found in zip(pending, anchoring.locate_many(text, selectors), strict=True):
        row = rows[i]
        if isinstance(found, anchoring.Anchor):
            moved[i] = Moved(
                placed_at(text, row, found.start, found.end), found.score, found.method
            )
        else:
            since = row.get("orphaned_at") or max(stamp, row.get("updated_at") or "")
            orphan = row | {"orphaned_at": since}
            moved[i] = Moved(orphan, 0.0, "orphaned")
    return [m for m in moved if m is not None]
