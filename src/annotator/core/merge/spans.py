"""Spans in a merge: carried into the text that won wherever theirs and mine differ.

A document's text is decided like any field (``run._Merger._decide``). When theirs replaced
mine, my spans on it are carried into it first; then each of their spans, when their text is
not the one that won, is carried there too before the rules compare it with mine. One version
placed two ways keeps the place found by the side whose text it is.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from itertools import groupby
from typing import Any

from annotator.core import reanchor
from annotator.core.merge import rules
from annotator.core.merge.references import IdMap
from annotator.core.merge.report import MergeReport, MovedSpan
from annotator.core.merge.rules import Decision
from annotator.core.model import Change
from annotator.core.store import Project
from annotator.core.store.merge_source import TheirProject

Row = dict[str, Any]
BATCH = 2000


class SpanCarrying:
    """The span steps of ``run._Merger``, which provides the state named below."""

    mine: Project
    theirs: TheirProject
    ids: IdMap
    report: MergeReport
    retexted: set[str]  # my documents whose text theirs replaced
    their_texts: dict[str, str]  # my document id -> sha256 of their text
    moves: dict[str, reanchor.Moved]  # their spans carried, by id
    theirs_here: bool  # their spans being merged were placed in the text that won
    # and the steps it shares with every other kind of record
    _write: Callable[[list[Change], int], None]
    _merge_rows: Callable[[str, Iterable[list[Row]]], None]

    def _merge_spans(self) -> None:
        for document_id in sorted(self.retexted):
            self._carry_my_spans(document_id)
        rows = (
            self.ids.rewrite("spans", r)
            for r in self.theirs.rows("spans", "document_id, start, id")
        )
        for document_id, group in groupby(rows, key=lambda r: r["document_id"]):
            spans = list(group)
            self._merge_rows("spans", self._carried(document_id, spans))

    def _carry_my_spans(self, document_id: str) -> None:
        """My spans into the text of theirs that replaced mine (or that a document brought
        back has): where theirs hold one of them in that very text, its place there wins."""
        document = self.mine.row("documents", document_id)
        assert document is not None
        rows = [s.row() for s in self.mine.spans_of_document(document_id)]
        if not rows:
            return
        native = {}
        if self.their_texts.get(document_id) == document["sha256"]:
            their_id = self.ids.theirs("documents", document_id)
            found = self.theirs.rows("spans", document_id=their_id)
            native = {r["id"]: r for r in (self.ids.rewrite("spans", r) for r in found)}
        changes = []
        for mine, m in zip(rows, self._carry(document, rows), strict=True):
            theirs = native.get(mine["id"])
            row = m.row
            if theirs is not None and reanchor.same_but_placement(theirs, row):
                row = theirs
            if row != mine:
                changes.append(Change("spans", mine["id"], mine, row))
                self._report_move(m, mine, row)
        self._write(changes, 0)

    def _placed_here(self, row: Row) -> Row:
        """``row``, a version that may come from another text, placed in its document's."""
        document = self.mine.row("documents", row["document_id"])
        assert document is not None
        return self._carry(document, [row])[0].row

    def _carry(self, document: Row, rows: list[Row]) -> list[reanchor.Moved]:
        # An orphan is dated by the text it was lost in: the same whatever the merge order.
        return reanchor.carry_spans(document["text"], rows, stamp=document["updated_at"])

    def _carried(self, document_id: str, spans: list[Row]) -> Iterator[list[Row]]:
        document = self.mine.row("documents", document_id)
        live = [r for r in spans if r["deleted_at"] is None] if document is not None else []
        # In another text even a span that still fits has other context there.
        elsewhere = document is not None and self.their_texts.get(document_id) != document["sha256"]
        self.theirs_here = not elsewhere
        if live and (elsewhere or any(not reanchor.fits(document["text"], r) for r in live)):
            assert document is not None
            moved = {}
            for m in self._carry(document, live):
                moved[m.row["id"]] = m.row
                if m.method != "position":
                    self.moves[m.row["id"]] = m
            spans = [moved.get(r["id"], r) for r in spans]
        for at in range(0, len(spans), BATCH):
            yield spans[at : at + BATCH]

    def _placement(self, mine: Row, theirs: Row) -> Decision:
        """One version of a span, placed in the text two ways. A place beats no place (an
        orphan); then the place found in the text by the side whose text it is beats one
        carried there (mine may have come through other texts first); then mine stays."""
        orphans = (mine["orphaned_at"] is not None, theirs["orphaned_at"] is not None)
        if orphans[0] != orphans[1]:
            theirs_win = orphans[0]
        elif self.theirs_here or theirs["document_id"] in self.retexted:
            # Theirs was made in this text, or both were carried into it just now.
            theirs_win = self.theirs_here or rules.canonical(theirs) > rules.canonical(mine)
        else:
            theirs_win = False
        return (
            Decision("updated", theirs, kept="theirs")
            if theirs_win
            else Decision("unchanged", None)
        )

    def _report_move(self, moved: reanchor.Moved | None, mine: Row | None, row: Row | None) -> None:
        """A span placed anew (or orphaned) in what this merge writes."""
        if moved is None or moved.method == "position" or row is None:
            return
        if mine is not None and all(mine[k] == row[k] for k in reanchor.PLACEMENT):
            return
        self.report.count("spans", "orphaned" if moved.method == "orphaned" else "reanchored")
        self.report.moved.append(
            MovedSpan(row["id"], row["document_id"], row["quote"][:80], round(moved.score, 3),
                      moved.method, row["start"], row["end"])
        )  # fmt: skip
