"""Merge properties over random projects: idempotent, order-free, lossless, a no-op on itself.

Each example hands one base project out to colleagues, lets each make random edits through the
core operations (new spans and tags, notes, renames, deletions, stances, links), then merges.
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotator.core import ops
from annotator.core.merge import merge_projects
from annotator.core.merge.rules import was_changed
from annotator.core.model import Span, Tag
from annotator.core.reanchor import PLACEMENT, same_but_placement
from annotator.core.store import Project, ProjectError
from annotator.core.store.schema import RECORD_TABLES

from .sample import ARTICLE, REBUTTAL

EDITS = st.lists(
    st.tuples(
        st.sampled_from(
            ["span", "note", "delete", "tag", "rename", "stance", "link", "untag", "drop", "retext"]
        ),
        st.integers(0, 10_000),
        st.integers(1, 40),
    ),
    max_size=8,
)


def base(folder: Path) -> Path:
    path = folder / "base.annotator"
    with Project.create(path) as project:
        me = ops.ensure_annotator(project, "Ani").id
        ops.initialise_settings(project)
        for title, text in (("Article", ARTICLE), ("Rebuttal", REBUTTAL)):
            doc = ops.add_document(project, by=me, title=title, text=text).document
            ops.create_span(project, by=me, document_id=doc.id, start=0, end=9)
        ops.create_tag(project, by=me, name="Peace process")
        ops.create_target(project, by=me, name="Draft agreement")
    return path


def copy(source: Path, dest: Path) -> Path:
    src, out = sqlite3.connect(source), sqlite3.connect(dest)
    src.backup(out)
    src.close()
    out.close()
    return dest


def edit(path: Path, who: str, edits: list[tuple[str, int, int]]) -> None:
    """Apply random edits as ``who``; an edit the rules refuse is simply skipped."""
    with Project.open(path) as project:
        by = ops.ensure_annotator(project, who).id
        docs = [d.id for d in project.document_summaries()]
        for n, (kind, pick, size) in enumerate(edits):
            if kind == "drop" and size > 30:  # now and then a whole document goes
                with contextlib.suppress(ProjectError):
                    ops.delete_document(project, by=by, document_id=docs[pick % len(docs)])
                continue
            spans = sorted(project.ids("spans"))
            # Oldest first: picks favour the records every side has, where conflicts happen.
            live_spans = [s.id for s in sorted(project.records(Span), key=lambda s: s.created_at)]
            tags = [t.id for t in project.records(Tag)]
            try:
                if kind == "span":
                    doc = docs[pick % len(docs)]
                    length = len(project.document_text(doc) or "")
                    start = pick % (length - 1)
                    end = min(length, start + size)
                    ops.create_span(project, by=by, document_id=doc, start=start, end=end,
                                    tags=tags[:1])  # fmt: skip
                elif kind == "note" and live_spans:
                    span_id = live_spans[pick % min(3, len(live_spans))]
                    ops.update_span(project, by=by, span_id=span_id, note=f"{who} {n}")
                elif kind == "delete" and live_spans:
                    ops.delete_span(
                        project, by=by, span_id=live_spans[pick % min(3, len(live_spans))]
                    )
                elif kind == "tag":
                    ops.create_tag(project, by=by, name=f"{who} theme {n}")
                elif kind == "rename" and tags:
                    ops.update_tag(project, by=by, tag_id=tags[pick % len(tags)],
                                   description=f"{who} {n}")  # fmt: skip
                elif kind == "untag" and tags and live_spans:
                    span_id = live_spans[pick % len(live_spans)]
                    ops.tag_span(project, by=by, span_id=span_id, tag_id=tags[pick % len(tags)])
                elif kind == "stance" and live_spans:
                    target = next(iter(project.ids("targets")))
                    span = project.require(Span, live_spans[pick % len(live_spans)])
                    ops.create_stance(project, by=by, document_id=span.document_id,
                                      target_id=target, polarity=size % 5 - 2, span_id=span.id)  # fmt: skip
                elif kind == "retext":
                    retext(project, by, docs[pick % len(docs)], pick, size, f"{who} {n}")
                elif kind == "link" and len(spans) > 1 and live_spans:
                    ops.create_link(project, by=by, source=live_spans[pick % len(live_spans)],
                                    target=docs[size % len(docs)], type="supports")  # fmt: skip
            except ProjectError:
                pass


def retext(project: Project, by: str, document_id: str, pick: int, size: int, words: str) -> None:
    """Replace the document's text: some words cut (inside a span or not), others put in."""
    text = project.document_text(document_id) or ""
    at = pick % len(text)
    new = text[:at] + (f" {words} " if size % 2 else "") + text[at + size % 12 :]
    if new.strip():
        ops.replace_document_text(project, by=by, document_id=document_id, text=new)


def worked_apart(folder: Path, mine_edits, their_edits) -> tuple[Path, Path]:
    """One base project handed to Ani (a) and Lusine (b), each then editing their copy."""
    start = base(folder)
    a, b = copy(start, folder / "a"), copy(start, folder / "b")
    edit(a, "Ani", mine_edits)
    edit(b, "Lusine", their_edits)
    return a, b


def merge(mine: Path, theirs: Path) -> None:
    with Project.open(mine) as project:
        me = ops.ensure_annotator(project, "Ani").id
        merge_projects(project, theirs, by=me, apply=True)


def rows(path: Path, *, live_only: bool = False) -> dict[str, list[dict]]:
    with Project.open(path) as project:
        found = {t: project.all_rows(t) for t in (*RECORD_TABLES, "settings")}
    if live_only:
        found = {
            t: [r for r in rs if r.get("deleted_at") is None]
            for t, rs in found.items()
            if t != "conflicts"  # entries are stamped with the time of the merge that made them
        }
    return found


PROPERTY = settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROPERTY
@given(EDITS, EDITS)
def test_merging_twice_equals_merging_once(mine_edits, their_edits) -> None:
    with tempfile.TemporaryDirectory() as folder:
        a, b = worked_apart(Path(folder), mine_edits, their_edits)
        merge(a, b)
        once = rows(a)
        merge(a, b)
        assert rows(a) == once


@PROPERTY
@given(EDITS, EDITS, EDITS)
def test_merge_order_does_not_matter(mine_edits, b_edits, c_edits) -> None:
    with tempfile.TemporaryDirectory() as folder:
        start = base(Path(folder))
        a1, b, c = (copy(start, Path(folder) / n) for n in ("a1", "b", "c"))
        edit(a1, "Ani", mine_edits)
        edit(b, "Lusine", b_edits)
        edit(c, "Reviewer", c_edits)
        a2 = copy(a1, Path(folder) / "a2")
        merge(a1, b)
        merge(a1, c)
        merge(a2, c)
        merge(a2, b)
        one, other = rows(a1, live_only=True), rows(a2, live_only=True)
        assert unplaced(one) == unplaced(other)
        assert misplaced(one) == misplaced(other) == []


def unplaced(found: dict[str, list[dict]]) -> dict[str, list[dict]]:
    """Every live record as it is, spans without their place: a span carried through the texts
    of B then C can land elsewhere than one carried from A's straight into C's (each step sees
    only the text it is given); which records there are, and what they say, may not differ."""
    spans = [{k: v for k, v in r.items() if k not in PLACEMENT} for r in found["spans"]]
    return found | {"spans": spans}


def misplaced(found: dict[str, list[dict]]) -> list[dict]:
    """Live spans that are neither orphans nor where their quote is."""
    texts = {d["id"]: d["text"] for d in found["documents"]}
    return [
        r
        for r in found["spans"]
        if r["orphaned_at"] is None
        and r["document_id"] in texts
        and texts[r["document_id"]][r["start"] : r["end"]] != r["quote"]
    ]


@PROPERTY
@given(EDITS, EDITS)
def test_every_live_record_of_either_side_is_kept_or_logged(mine_edits, their_edits) -> None:
    with tempfile.TemporaryDirectory() as folder:
        a, b = worked_apart(Path(folder), mine_edits, their_edits)
        inputs = [rows(a), rows(b)]
        merge(a, b)
        result = rows(a)
        logged = [json.loads(c[side]) for c in result["conflicts"] for side in ("lost", "kept")]
        for side in inputs:
            for table in RECORD_TABLES:
                if table == "conflicts":
                    continue
                merged = {r["id"]: r for r in result[table]}
                for row in side[table]:
                    if row["deleted_at"] is not None:
                        continue
                    assert row["id"] in merged, (table, row)
                    kept = merged[row["id"]]
                    if not same_version(table, kept, row) and was_changed(row):
                        assert any(same_version(table, v, row) for v in logged), (table, row)
        assert dangling(result) == []


def same_version(table: str, kept: dict, row: dict) -> bool:
    """A span carried into another text is the same version in another place."""
    if kept == row:
        return True
    return table == "spans" and kept.keys() == row.keys() and same_but_placement(kept, row)


NAMES = {
    "spans": {"document_id": "documents"},
    "span_tags": {"span_id": "spans", "tag_id": "tags"},
    "stances": {"document_id": "documents", "span_id": "spans", "target_id": "targets"},
    "links": {"from_document_id": "documents", "from_span_id": "spans",
              "to_document_id": "documents", "to_span_id": "spans"},
}  # fmt: skip


def dangling(result: dict[str, list[dict]]) -> list[tuple[str, str, str]]:
    """Live records that name a record that is not live: what a merge must never leave."""
    live = {t: {r["id"] for r in result[t] if r["deleted_at"] is None} for t in RECORD_TABLES}
    return [
        (table, column, row[column])
        for table, columns in NAMES.items()
        for row in result[table]
        if row["deleted_at"] is None
        for column, named in columns.items()
        if row[column] is not None and row[column] not in live[named]
    ]


@PROPERTY
@given(EDITS)
def test_merging_a_project_into_a_copy_of_itself_changes_nothing(edits) -> None:
    with tempfile.TemporaryDirectory() as folder:
        start = base(Path(folder))
        edit(start, "Ani", edits)
        twin = copy(start, Path(folder) / "twin")
        before = rows(start)
        merge(start, twin)
        assert rows(start) == before
        assert json.dumps(before, sort_keys=True)  # the snapshot itself is plain data
