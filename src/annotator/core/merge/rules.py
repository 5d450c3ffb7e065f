"""Which version of a record both projects hold survives, and what the loser leaves behind.

Without a common ancestor, "changed on both sides" is read from the records themselves: a
version was changed on its side when it was edited or deleted after it was made
(``updated_at`` past ``created_at``, or a tombstone). The later ``updated_at`` wins; equal
times go to the greater canonical JSON, so every merge order picks the same winner. A losing
version that was itself a change is kept in the conflict log; one that was merely the version
both started from is not a conflict. A deletion is a change like any other: a tombstone wins
over an older edit, and an edit made after the deletion wins over it (and the deletion is
logged).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any, Literal

from annotator.core.model import derived_id
from annotator.core.reanchor import same_but_placement

Row = dict[str, Any]


@dataclass(frozen=True)
class Decision:
    outcome: Literal["new", "updated", "unchanged", "conflicts"]
    row: Row | None  # what to write, None when mine stays as it is
    lost: Row | None = None  # the losing version, when it goes to the conflict log
    kept: Literal["mine", "theirs"] = "mine"
    reason: str = ""  # why, when the general rule below is not what decided


def canonical(row: Row) -> str:
    return json.dumps(row, sort_keys=True, ensure_ascii=False, default=str)


def was_changed(row: Row) -> bool:
    return row["deleted_at"] is not None or row["updated_at"] != row["created_at"]


def _another_birth_deleted(winner: Row, loser: Row) -> bool:
    """A deletion of a record the loser made on its own (ids derived from content, as a tag on
    a span, meet without a shared past): it is not the version both started from."""
    births = (
        (winner["created_at"], winner["created_by"]),
        (loser["created_at"], loser["created_by"]),
    )
    return winner["deleted_at"] is not None and births[0] != births[1]


def decide(mine: Row | None, theirs: Row, *, placed: bool = False) -> Decision:
    """``placed``: spans carried into the same text, whose places follow from it; a version
    differing only there is the same version, and mine (already in the text) stays."""
    if mine is None:
        return Decision("new", theirs, kept="theirs")
    if mine == theirs or (placed and same_but_placement(mine, theirs)):
        return Decision("unchanged", None)
    theirs_win = (theirs["updated_at"], canonical(theirs)) > (mine["updated_at"], canonical(mine))
    winner, loser = (theirs, mine) if theirs_win else (mine, theirs)
    kept: Literal["mine", "theirs"] = "theirs" if theirs_win else "mine"
    if was_changed(loser) or _another_birth_deleted(winner, loser):
        return Decision("conflicts", winner if theirs_win else None, loser, kept)
    return Decision("updated", winner, kept=kept) if theirs_win else Decision("unchanged", None)


def conflict_id(table: str, record_id: str, lost: Row) -> str:
    """The same lost version gives the same log entry, so merging twice logs it once."""
    digest = hashlib.sha256(canonical(lost).encode()).hexdigest()
    return derived_id("conflict", f"{table}:{record_id}:{digest}")


def conflict_row(
    table: str, kept: Row, lost: Row, reason: str, *, source: str, by: str, stamp: str
) -> Row:
    return {
        "id": conflict_id(table, kept["id"], lost),
        "created_by": by,
        "created_at": stamp,
        "updated_at": stamp,
        "deleted_at": None,
        "record_table": table,
        "record_id": kept["id"],
        "kept": canonical(kept),
        "lost": canonical(lost),
        "reason": reason,
        "source": source,
    }


def describe(decision: Decision) -> str:
    """Why the loser lost, for the log and the report."""
    assert decision.lost is not None
    if decision.reason:
        return decision.reason
    winner = "their" if decision.kept == "theirs" else "this project's"
    if decision.lost["deleted_at"] is not None:
        return f"deleted on one side and edited later on the other; kept {winner} edit"
    if decision.row is not None and decision.row.get("deleted_at") is not None:
        return "edited on one side and deleted later on the other; kept the deletion"
    return f"changed on both sides; kept {winner} later version"
