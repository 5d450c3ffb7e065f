"""Deletions that must not win, because the other side went on working with what they took.

Deleting a document, span, tag, target or actor tombstones what hangs off it in the same edit,
at the same time (``ops.cascade``). Two things follow for a merge:

- when the other side edited the record after that deletion, the record lives on (the rules),
  and so must what was deleted with it, or the edit that won would come back stripped;
- when one side deleted a record and the other went on using it (a new span on the document,
  a new stance on the span), the deletion loses: the record and what was deleted with it come
  back, and a conflict is logged. Nothing live is ever left naming a deleted record.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from annotator.core.merge.rules import Decision, canonical

Row = dict[str, Any]

# Which column of which table names a record whose deletion takes the row along.
PARENTS: dict[str, dict[str, str]] = {
    "tags": {"parent_id": "tags"},
    "spans": {"document_id": "documents"},
    "span_tags": {"span_id": "spans", "tag_id": "tags"},
    "stances": {"document_id": "documents", "span_id": "spans", "target_id": "targets",
                "actor_id": "actors"},
    "links": {"from_document_id": "documents", "from_span_id": "spans",
              "to_document_id": "documents", "to_span_id": "spans"},
}  # fmt: skip
STILL_USED = "deleted on one side while the other side went on using it; kept it"
WITH_PARENT = "deleted with a record whose deletion lost; kept it"
TAKEN_ALONG = "made before what it belongs to was deleted on the other side; deleted with it"
MOST_LINKS = 8  # a stance's span's document: chains of revival are short


class Revivals:
    """Deletions that lost, by record id, with their time; live versions deletions replaced.

    ``logged_lost(table, id)``: the versions of a record the conflict log holds as lost, so a
    deletion an earlier merge overruled stays overruled.
    """

    def __init__(self, logged_lost: Callable[[str, str], list[Row]]) -> None:
        self.deleted_at: dict[str, str] = {}
        self.tables: dict[str, str] = {}  # id -> table of each record whose deletion lost
        self.live_versions: dict[str, Row] = {}  # mine, before their deletion won over it
        self.logged_lost = logged_lost

    def lost(self, table: str, record_id: str, deleted_at: str) -> bool:
        """Whether the record's deletion at ``deleted_at`` lost, in this merge or an earlier."""
        if self.deleted_at.get(record_id) == deleted_at:
            return True
        return any(r["deleted_at"] == deleted_at for r in self.logged_lost(table, record_id))

    def note(self, table: str, decision: Decision, mine: Row | None) -> None:
        lost, winner = decision.lost, decision.row if decision.row is not None else mine
        if lost and lost["deleted_at"] and winner is not None and winner["deleted_at"] is None:
            self.deleted_at[winner["id"]] = lost["deleted_at"]
            self.tables[winner["id"]] = table
        written = decision.row
        if written and written["deleted_at"] and mine is not None and mine["deleted_at"] is None:
            self.live_versions[mine["id"]] = mine

    def decide(self, table: str, mine: Row | None, theirs: Row) -> Decision | None:
        """The live version wins when the other is a tombstone its parent's lost deletion made."""
        if mine is None or bool(mine["deleted_at"]) == bool(theirs["deleted_at"]):
            return None
        dead, live = (mine, theirs) if mine["deleted_at"] else (theirs, mine)
        columns = PARENTS.get(table, {}).items()
        if not any(
            dead.get(c) and self.lost(named, dead[c], dead["deleted_at"]) for c, named in columns
        ):
            return None
        if live is theirs:
            # My own later edit, which lost to that deletion in an earlier merge, comes back
            # rather than their older version: the same as had theirs come in first.
            mine_before = [v for v in self.logged_lost(table, mine["id"]) if not v["deleted_at"]]
            latest = max([theirs, *mine_before], key=lambda r: (r["updated_at"], canonical(r)))
            return Decision("conflicts", latest, mine, "theirs", WITH_PARENT)
        return Decision("conflicts", None, theirs, "mine", WITH_PARENT)


class StillUsed:
    """After a merge: bring back every deleted record that a live record still names.

    ``dangling(table, column, parent_table)`` lists (child id, parent id) of live rows naming
    a tombstone; ``deleted_with(table, column, parent_id, deleted_at)`` the tombstones that
    went with a parent; ``versions(table, id)`` the versions known of a
    record (theirs, the conflict log's);
    ``revive(table, before, after, reason)`` writes a row back (or deletes it) and logs why.
    """

    def __init__(
        self,
        revivals: Revivals,
        dangling: Callable[[str, str, str], list[tuple[str, str]]],
        deleted_with: Callable[[str, str, str, str], list[Row]],
        versions: Callable[[str, str], list[Row]],
        revive: Callable[[str, Row, Row, str], None],
    ) -> None:
        self.revivals = revivals
        self.dangling, self.deleted_with = dangling, deleted_with
        self.versions, self.revive = versions, revive

    def run(self, row_of: Callable[[str, str], Row | None]) -> None:
        """A live record naming a deleted one: made after the deletion, it brings the record
        back; made before, the deletion takes it along (a deletion beats older edits)."""
        # Records the rules kept live against a deletion: what it took along here comes back.
        for record_id, table in sorted(self.revivals.tables.items()):
            self._bring_back_along(table, record_id, self.revivals.deleted_at[record_id])
        used_at: dict[str, str] = {}
        for _ in range(MOST_LINKS):
            pairs = sorted(set(self._named_dead()))
            if not pairs:
                return
            later, earlier = set(), []
            for child_table, child_id, parent_table, parent_id in pairs:
                child, parent = row_of(child_table, child_id), row_of(parent_table, parent_id)
                assert child is not None and parent is not None
                # A record brought back for a newer one below it is as new as that one.
                when = max(child["updated_at"], used_at.get(child_id, ""))
                if when >= parent["deleted_at"]:  # a tie keeps the work
                    later.add((parent_table, parent_id))
                    used_at[parent_id] = max(when, used_at.get(parent_id, ""))
                else:
                    earlier.append((child_table, child, parent["deleted_at"]))
            for table, record_id in sorted(later):
                tombstone = row_of(table, record_id)
                if tombstone is not None and tombstone["deleted_at"] is not None:
                    self._bring_back(table, tombstone, required=True)
            if not later:  # only then: a parent brought back keeps its older children too
                for table, child, deleted_at in earlier:
                    gone = child | {"deleted_at": deleted_at, "updated_at": deleted_at}
                    self.revive(table, child, gone, TAKEN_ALONG)

    def _named_dead(self) -> Iterator[tuple[str, str, str, str]]:
        for table, columns in PARENTS.items():
            for column, parent_table in columns.items():
                for child, parent in self.dangling(table, column, parent_table):
                    yield table, child, parent_table, parent

    def _bring_back(self, table: str, tombstone: Row, *, required: bool) -> None:
        """``tombstone`` live again as its latest known live version, and what its deletion
        took along, unless the latest known version of that is another deletion (someone
        deleted it on purpose before)."""
        record_id = tombstone["id"]
        known = [v for v in self.versions(table, record_id) if v != tombstone]
        if record_id in self.revivals.live_versions:
            known.append(self.revivals.live_versions[record_id])
        # The latest: the same whichever order colleagues' projects are merged in.
        known.sort(key=lambda r: (r["updated_at"], canonical(r)))
        if not required and (not known or known[-1]["deleted_at"] is not None):
            return
        live = next((v for v in reversed(known) if v["deleted_at"] is None), None)
        reason = STILL_USED if required else WITH_PARENT
        self.revive(table, tombstone, live or tombstone | {"deleted_at": None}, reason)
        self.revivals.deleted_at[record_id] = tombstone["deleted_at"]
        self._bring_back_along(table, record_id, tombstone["deleted_at"])

    def _bring_back_along(self, table: str, record_id: str, deleted_at: str) -> None:
        for child_table, columns in PARENTS.items():  # what its deletion took along
            for column, parent_table in columns.items():
                if parent_table == table:
                    for child in self.deleted_with(child_table, column, record_id, deleted_at):
                        self._bring_back(child_table, child, required=False)
