"""Merge a colleague's project into mine: one transaction, nothing lost, everything reported.

Their file is opened read-only and checked whole first (see ``store.merge_source``). Records
match by UUID; documents also by text hash and near-identical text; codebook entries also by
normalised name (annotators by UUID only: a same name is offered). Each record then follows ``rules.decide``, a document's
text included; spans are carried into the text that won wherever theirs and mine differ
(``reanchor``): theirs into mine, or mine into theirs. A dry run does all of it and rolls
back, so its report is exactly what applying would do.
"""

from __future__ import annotations

import contextlib
import json
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from annotator.core import reanchor
from annotator.core.merge import matching, rules
from annotator.core.merge.cascades import Revivals, StillUsed
from annotator.core.merge.references import TABLES, IdMap, label
from annotator.core.merge.report import ConflictNote, MergeReport
from annotator.core.merge.rules import Decision
from annotator.core.merge.settings import settings_changes
from annotator.core.merge.spans import BATCH, SpanCarrying
from annotator.core.model import Change, ChangeSet, normalise_name, now
from annotator.core.store import Project, ProjectError
from annotator.core.store.merge_source import TheirProject, open_theirs
from annotator.core.store.opening import backup

Row = dict[str, Any]
Progress = Callable[[int, int], None]  # (rows done, rows in all); raise in it to cancel


@dataclass(frozen=True)
class MergeOptions:
    fuzzy_documents: bool = True
    refused_documents: frozenset[str] = frozenset()  # their ids not to match fuzzily
    names: Mapping[str, str] = field(default_factory=dict)  # their id or name -> my id or name
    map_similar: bool = False  # accept every similar codebook name offered (not annotators)
    keep_changes: bool = False  # gather what was written, for undo (the GUI)


@dataclass
class MergeResult:
    report: MergeReport
    changes: ChangeSet | None


class _DryRun(Exception):
    pass


class MappingError(ProjectError):
    """A mapping entry whose name is in neither project: nothing was merged."""


def merge_projects(
    mine: Project,
    their_path: Path | TheirProject,
    *,
    by: str,
    apply: bool,
    options: MergeOptions | None = None,
    progress: Progress | None = None,
) -> MergeResult:
    """Merge the project at ``their_path`` (or one ``open_theirs`` opened) into ``mine``;
    ``by`` is the acting annotator's id.

    With ``apply``, MINE is backed up first (SQLite backup API); a failure or a cancel (an
    exception raised by ``progress``) leaves it unchanged.
    """
    options = options or MergeOptions()
    with _opened(their_path, mine.path) as theirs:
        report = MergeReport(str(mine.path), str(theirs.path))
        saved = backup(mine.path, 0, reason="before-merge") if apply else None
        report.backup = str(saved) if saved else None
        merger = _Merger(mine, theirs, by, options, report, progress)
        try:
            with mine.transaction():
                merger.run()
                if not apply:
                    raise _DryRun
        except _DryRun:
            pass
        except BaseException:
            if saved is not None:  # nothing changed: the copy of the unchanged file can go
                saved.unlink(missing_ok=True)
            raise
    report.applied = apply
    changes = ChangeSet(tuple(merger.kept), "Merge colleague's project") if merger.kept else None
    return MergeResult(report, changes if options.keep_changes and apply else None)


@contextlib.contextmanager
def _opened(theirs: Path | TheirProject, mine: Path) -> Iterator[TheirProject]:
    if isinstance(theirs, TheirProject):  # checked and opened by the caller
        yield theirs
        return
    with open_theirs(Path(theirs), mine) as opened:
        yield opened


class _Merger(SpanCarrying):
    def __init__(
        self,
        mine: Project,
        theirs: TheirProject,
        by: str,
        options: MergeOptions,
        report: MergeReport,
        progress: Progress | None,
    ) -> None:
        self.mine, self.theirs, self.by = mine, theirs, by
        self.options, self.report, self.progress = options, report, progress
        self.ids = IdMap()
        self.stamp = now()
        self.source = theirs.path.name
        self.kept: list[Change] = []
        self.logged: set[str] = set()  # conflict entries written by this merge
        # What the span steps keep (see ``SpanCarrying``).
        self.retexted, self.their_texts, self.moves, self.theirs_here = set(), {}, {}, True
        self.revivals = Revivals(self._logged_lost)
        self.mapped: set[str] = set()  # keys of the analyst's mapping that named something
        self.total = sum(theirs.count(t) for t in TABLES)
        for table in TABLES:  # every kind in the report, with zeros where nothing happened
            report.counts.setdefault(table, Counter())
        self.done = 0

    def run(self) -> None:
        self._match_named("annotators")
        for table in ("tags", "targets", "actors"):  # a mapping that names nothing is a typo
            self._chosen_names(table, {r["id"]: r for r in self.mine.all_rows(table)},
                               {r["id"]: r for r in self.theirs.rows(table)})  # fmt: skip
        unused = sorted(set(self.options.names) - self.mapped)
        if unused:
            shown = ", ".join(f"{k!r} → {self.options.names[k]!r}" for k in unused[:3])
            raise MappingError(
                f"the mapping names nothing in these projects: {shown}"
                + (f" and {len(unused) - 3} more" if len(unused) > 3 else "")
            )
        self._match_documents()
        for table in ("annotators", "documents"):
            self._merge_rows(table, self._batches(table))
        for table in ("tags", "targets", "actors"):
            self._match_named(table)
            self._merge_rows(table, self._batches(table))
        self._merge_spans()
        for table in ("span_tags", "stances", "links", "conflicts"):
            self._merge_rows(table, self._batches(table))
        still_used = StillUsed(
            self.revivals, self.mine.live_naming_dead, self.mine.deleted_with, self._versions,
            self._bring_back,
        )  # fmt: skip
        still_used.run(self.mine.row)
        self._write(settings_changes(self.mine, self.theirs), 0)

    # -- matching ---------------------------------------------------------------------------

    def _match_documents(self) -> None:
        idmap, matches = matching.match_documents(
            self.mine,
            self.theirs,
            fuzzy=self.options.fuzzy_documents,
            refused=self.options.refused_documents,
        )
        self.ids.add("documents", idmap)
        self.report.documents = matches

    def _match_named(self, table: str) -> None:
        mine = {r["id"]: r for r in self.mine.all_rows(table)}
        theirs = {r["id"]: r for r in self.theirs.rows(table)}
        if table == "tags":  # a parent matched by name makes its children's paths agree
            theirs = {i: self.ids.rewrite(table, r) | {"id": i} for i, r in theirs.items()}
        chosen = self._chosen_names(table, mine, theirs)
        idmap, matched, similar = matching.match_names(table, mine, theirs, chosen)
        if self.options.map_similar and table != "annotators":
            # Codebook entries only: two people with similar names are still two people.
            idmap |= {s.their_id: s.my_id for s in similar}
            matched, similar = matched + similar, []
        self.ids.add(table, idmap)
        self.report.names += matched
        self.report.similar += similar

    def _chosen_names(self, table: str, mine: Mapping[str, Row], theirs: Mapping[str, Row]):
        """The analyst's mapping, by id or by name (case and spacing aside, as names match),
        resolved to ids of this table."""
        names = self.options.names
        if not names:
            return {}
        keys = {normalise_name(k): k for k in names}
        my_ids = {normalise_name(r["name"]): i for i, r in mine.items() if r["deleted_at"] is None}
        my_ids |= {i: i for i in mine}
        chosen = {}
        for their_id, row in theirs.items():
            key = their_id if their_id in names else keys.get(normalise_name(row["name"]))
            if key is None:
                continue
            wanted = my_ids.get(names[key]) or my_ids.get(normalise_name(names[key]))
            if wanted is not None:
                chosen[their_id] = wanted
                self.mapped.add(key)
        return chosen

    # -- merging ----------------------------------------------------------------------------

    def _batches(self, table: str) -> Iterator[list[Row]]:
        batch: list[Row] = []
        joined = self.ids.maps[table]
        for row in self.theirs.rows(table):
            if table == "documents":
                self.their_texts[self.ids.mine(table, row["id"])] = row["sha256"]
            if row["id"] in joined:
                self._write(self._joined(table, self.ids.rewrite(table, row)), 1)
                continue
            batch.append(self.ids.rewrite(table, row))
            if len(batch) >= BATCH:
                yield batch
                batch = []
        if batch:
            yield batch

    def _merge_rows(self, table: str, batches: Iterable[list[Row]]) -> None:
        for batch in batches:
            mine = self.mine.rows_by_ids(table, [r["id"] for r in batch])
            changes = []
            for theirs in batch:
                changes += self._decide(table, mine.get(theirs["id"]), theirs)
            self._write(changes, len(batch))

    def _decide(self, table: str, mine: Row | None, theirs: Row) -> list[Change]:
        changes: list[Change] = []
        if table == "conflicts" and mine is not None:
            self.report.count(table, "unchanged")  # a log entry never changes
            return changes
        decision = (
            self._lost_before(table, mine, theirs)
            or self.revivals.decide(table, mine, theirs)
            or rules.decide(mine, theirs, placed=table == "spans")
        )
        self.revivals.note(table, decision, mine)
        if table == "documents":
            decision = self._text_decided(mine, decision)
        if table == "spans":
            row = decision.row
            if row is not None and row is not theirs and row["deleted_at"] is None:
                decision = replace(decision, row=self._placed_here(row))  # an earlier version
            if mine is not None and mine != theirs and reanchor.same_but_placement(mine, theirs):
                decision = self._placement(mine, theirs)
            self._report_move(self.moves.pop(theirs["id"], None), mine, decision.row)
        winner = decision.row if decision.row is not None else mine
        if decision.lost is not None and winner is not None:
            reason = rules.describe(decision)
            logged = self._log_conflict(table, winner, decision.lost, reason)
            if not logged and decision.row is None:  # an earlier merge logged it: nothing new
                decision = Decision("unchanged", None)
            else:
                changes += logged
                self.report.conflicts.append(
                    ConflictNote(table, winner["id"], label(table, winner), reason, decision.kept)
                )
        self.report.count(table, decision.outcome)
        if decision.row is not None:
            changes.insert(0, Change(table, decision.row["id"], mine, decision.row))
        return changes

    def _text_decided(self, mine: Row | None, decision: Decision) -> Decision:
        """A document's text follows the rule of every field; when theirs replaces mine, my
        spans on it are carried into it (``_carry_my_spans``)."""
        if mine is None:
            return decision
        kept = decision.row if decision.row is not None else mine
        if kept["sha256"] != mine["sha256"]:
            self.retexted.add(mine["id"])
        lost = decision.lost
        if lost is None or lost["sha256"] == kept["sha256"]:
            return decision
        whose, carried = ("their", "this project's")
        if decision.kept == "mine":
            whose, carried = carried, whose
        reason = f"the texts differ; kept {whose} later text and carried {carried} spans over"
        return replace(decision, reason=reason)

    def _lost_before(self, table: str, mine: Row | None, theirs: Row) -> Decision | None:
        """Their deletion that an earlier merge already logged as lost does not win now."""
        if mine is None or mine["deleted_at"] is not None or theirs["deleted_at"] is None:
            return None
        if self.mine.row("conflicts", rules.conflict_id(table, mine["id"], theirs)) is None:
            return None
        self.revivals.deleted_at[mine["id"]] = theirs["deleted_at"]
        return Decision("unchanged", None)

    def _bring_back(self, table: str, before: Row, after: Row, reason: str) -> None:
        """``after`` replaces ``before`` (a deletion undone, or done), and the log says why."""
        if table == "spans" and after["deleted_at"] is None:  # a version from another text
            after = self._placed_here(after)
        self.report.count(table, "conflicts")
        self.report.conflicts.append(ConflictNote(table, after["id"], label(table, after), reason,
                                                  "mine"))  # fmt: skip
        changes = [Change(table, after["id"], before, after)]
        self._write(changes + self._log_conflict(table, after, before, reason), 0)
        if table == "documents" and after["sha256"] != before["sha256"]:
            self._carry_my_spans(after["id"])  # they sit in the text it had

    def _logged_lost(self, table: str, record_id: str) -> list[Row]:
        return [json.loads(lost) for lost in self.mine.lost_versions(table, record_id)]

    def _versions(self, table: str, record_id: str) -> list[Row]:
        """Versions of a record: theirs, and those the conflict log holds as lost."""
        their_id = self.ids.theirs(table, record_id)
        found = [self.ids.rewrite(table, r) for r in self.theirs.rows(table, record_id=their_id)]
        found += self._logged_lost(table, record_id)
        return [r for r in found if r["id"] == record_id]

    def _joined(self, table: str, theirs: Row) -> list[Change]:
        """A record of theirs matched to one of mine under another id (same name, same or
        near-identical text): mine stays as it is, and their version, if it says something
        else, goes to the log."""
        mine = self.mine.row(table, theirs["id"])
        assert mine is not None  # matching only maps onto records of mine
        ignored = {"id", "created_by", "created_at", "updated_at", "name"}
        if all(mine[k] == v for k, v in theirs.items() if k not in ignored):
            self.report.count(table, "unchanged")
            return []
        reason = "matched to a record of this project under another id; kept this project's"
        if table == "documents" and theirs["sha256"] != mine["sha256"]:
            reason = "the texts differ; kept this project's text and carried their spans over"
        logged = self._log_conflict(table, mine, theirs, reason)
        if not logged:  # an earlier merge logged it: nothing new
            self.report.count(table, "unchanged")
            return []
        self.report.count(table, "conflicts")
        self.report.conflicts.append(
            ConflictNote(table, mine["id"], label(table, mine), reason, "mine")
        )
        return logged

    def _log_conflict(self, table: str, kept: Row, lost: Row, reason: str) -> list[Change]:
        row = rules.conflict_row(
            table, kept, lost, reason, source=self.source, by=self.by, stamp=self.stamp
        )
        if row["id"] in self.logged or self.mine.row("conflicts", row["id"]) is not None:
            return []
        self.logged.add(row["id"])
        return [Change("conflicts", row["id"], None, row)]

    def _write(self, changes: list[Change], rows_read: int) -> None:
        if changes:
            self.mine.apply(ChangeSet(tuple(changes)), check=False)
            if self.options.keep_changes:
                self.kept += changes
        self.done += rows_read
        if self.progress is not None:
            self.progress(self.done, self.total)
