"""Merge a colleague's project into mine: one transaction, nothing lost, everything reported.

Their file is opened read-only and checked whole first (see ``store.merge_source``). Records
match by UUID; documents also by text hash and near-identical text; codebook entries and
annotators also by normalised name. Each record then follows ``rules.decide``; spans are
carried into my text when it differs from theirs (``reanchor``). A dry run does all of it
and rolls back, so its report is exactly what applying would do.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from itertools import groupby
from pathlib import Path
from typing import Any

from annotator.core import reanchor
from annotator.core.json_input import parse_json
from annotator.core.merge import matching, rules
from annotator.core.merge.cascades import Revivals, StillUsed
from annotator.core.merge.references import TABLES, IdMap, label
from annotator.core.merge.report import ConflictNote, MergeReport, MovedSpan
from annotator.core.merge.rules import Decision
from annotator.core.model import Change, ChangeSet, now
from annotator.core.ops import link_types, stance_scale
from annotator.core.store import Project, ProjectError
from annotator.core.store.merge_source import TheirProject, open_theirs
from annotator.core.store.opening import backup

Row = dict[str, Any]
Progress = Callable[[int, int], None]  # (rows done, rows in all); raise in it to cancel
BATCH = 2000


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
    their_path: Path,
    *,
    by: str,
    apply: bool,
    options: MergeOptions | None = None,
    progress: Progress | None = None,
) -> MergeResult:
    """Merge the project at ``their_path`` into ``mine``; ``by`` is the acting annotator's id.

    With ``apply``, MINE is backed up first (SQLite backup API); a failure or a cancel (an
    exception raised by ``progress``) leaves it unchanged.
    """
    options = options or MergeOptions()
    report = MergeReport(str(mine.path), str(their_path))
    with open_theirs(Path(their_path), mine) as theirs:
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


class _Merger:
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
        self._merge_settings()

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
        """The analyst's mapping, by id or by name, resolved to ids of this table."""
        if not self.options.names:
            return {}
        my_ids = {r["name"]: i for i, r in mine.items() if r["deleted_at"] is None} | {
            i: i for i in mine
        }
        chosen = {}
        for their_id, row in theirs.items():
            key = their_id if their_id in self.options.names else row["name"]
            wanted = self.options.names.get(key)
            if wanted is not None and wanted in my_ids:
                chosen[their_id] = my_ids[wanted]
                self.mapped.add(key)
        return chosen

    # -- merging ----------------------------------------------------------------------------

    def _batches(self, table: str) -> Iterator[list[Row]]:
        batch: list[Row] = []
        joined = self.ids.maps[table]
        for row in self.theirs.rows(table):
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
        changes = []
        other_text = None
        if table == "documents" and mine is not None and theirs["sha256"] != mine["sha256"]:
            # A document keeps my text (my spans sit on it); theirs goes to the log, and
            # their spans are carried into mine.
            other_text = theirs
            theirs = theirs | {k: mine[k] for k in ("text", "sha256", "pages")}
        if table == "conflicts" and mine is not None:
            self.report.count(table, "unchanged")  # a log entry never changes
            return changes
        decision = (
            self._lost_before(table, mine, theirs)
            or self.revivals.decide(table, mine, theirs)
            or rules.decide(mine, theirs)
        )
        self.revivals.note(table, decision, mine)
        if other_text is not None:  # logged whatever became of the other fields
            reason = "the texts differ; kept this project's text and carried their spans over"
            kept = decision.row if decision.row is not None else mine
            assert kept is not None
            changes += self._log_conflict(table, kept, other_text, reason)
            self.report.conflicts.append(
                ConflictNote(table, kept["id"], label(table, kept), reason, "mine")
            )
        outcome = "conflicts" if other_text is not None else decision.outcome
        self.report.count(table, outcome)
        if decision.row is not None:
            changes.append(Change(table, decision.row["id"], mine, decision.row))
        if decision.lost is not None:
            winner = decision.row if decision.row is not None else mine
            assert winner is not None
            changes += self._log_conflict(table, winner, decision.lost, rules.describe(decision))
            self.report.conflicts.append(
                ConflictNote(
                    table, winner["id"], label(table, winner), rules.describe(decision),
                    decision.kept,
                )
            )  # fmt: skip
        return changes

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
        self.report.count(table, "conflicts")
        self.report.conflicts.append(ConflictNote(table, after["id"], label(table, after), reason,
                                                  "mine"))  # fmt: skip
        changes = [Change(table, after["id"], before, after)]
        self._write(changes + self._log_conflict(table, after, before, reason), 0)

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
        self.report.count(table, "conflicts")
        self.report.conflicts.append(
            ConflictNote(table, mine["id"], label(table, mine), reason, "mine")
        )
        return self._log_conflict(table, mine, theirs, reason)

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

    # -- spans: carried into my text where it differs -------------------------------------

    def _merge_spans(self) -> None:
        rows = (
            self.ids.rewrite("spans", r)
            for r in self.theirs.rows("spans", "document_id, start, id")
        )
        for document_id, group in groupby(rows, key=lambda r: r["document_id"]):
            spans = list(group)
            text = self.mine.document_text(document_id)
            self._merge_rows("spans", self._carried(document_id, text, spans))

    def _carried(self, document_id: str, text: str | None, spans: list[Row]) -> Iterator[list[Row]]:
        live = [r for r in spans if r["deleted_at"] is None] if text is not None else []
        if live and any(not reanchor.fits(text, r) for r in live):
            assert text is not None
            moved = {}
            for m in reanchor.carry_spans(text, live, stamp=self.stamp):
                moved[m.row["id"]] = m.row
                if m.method != "position":
                    self.report.count(
                        "spans", "orphaned" if m.method == "orphaned" else "reanchored"
                    )
                    self.report.moved.append(
                        MovedSpan(m.row["id"], document_id, m.row["quote"][:80], round(m.score, 3),
                                  m.method, m.row["start"], m.row["end"])
                    )  # fmt: skip
            spans = [moved.get(r["id"], r) for r in spans]
        for at in range(0, len(spans), BATCH):
            yield spans[at : at + BATCH]

    # -- settings: scale labels and link types are unions -----------------------------------

    def _their_setting(self, key: str, kind: type) -> Any:
        """A setting of theirs, or an empty one when it is not what ours would be: their file
        is untrusted, and a damaged setting must not stop (or break) a merge."""
        try:
            value = parse_json(self.theirs.setting(key) or "null")
        except ValueError:
            return kind()
        return value if isinstance(value, kind) else kind()

    def _merge_settings(self) -> None:
        changes = []
        scale = {str(k): v for k, v in stance_scale(self.mine).items()}
        theirs = self._their_setting("stance_scale", dict)
        theirs = {k: v for k, v in theirs.items() if k.lstrip("-").isdigit() and isinstance(v, str)}
        if any(k not in scale for k in theirs):
            merged = {k: v for k, v in theirs.items() if k not in scale} | scale
            changes.append(self.mine.setting_change("stance_scale", merged))
        types = link_types(self.mine)
        their_types = self._their_setting("link_types", list)
        extra = [t for t in their_types if isinstance(t, str) and t.strip() and t not in types]
        if extra:
            changes.append(self.mine.setting_change("link_types", types + extra))
        self._write(changes, 0)
