"""Which records an export carries: the filters every export format shares.

Exports stream hundreds of thousands of rows, so the filters look at plain row dicts (as the
store yields them) rather than record objects.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from itertools import groupby, islice
from operator import itemgetter
from typing import Any

from annotator.core.formats.references import References, UnknownReferenceError
from annotator.core.model import Tag, Target
from annotator.core.store import Project

Row = Mapping[str, Any]  # a store row (sqlite3.Row) or a plain dict


@dataclass(frozen=True)
class Selection:
    """Ids to keep; an empty set keeps everything of that kind.

    ``targets`` keeps the stances on those targets and, of spans, only their evidence.
    ``since``/``until`` (``YYYY-MM-DD``, inclusive) keep work created in that period; documents
    are kept whatever their date, since the work on them is what is being chosen.
    ``live_only()`` is the coding as it stands: no tombstones, and no orphaned spans (a span a
    merge or a text replacement could not place has stale offsets).
    """

    documents: frozenset[str] = field(default_factory=frozenset)
    tags: frozenset[str] = field(default_factory=frozenset)
    annotators: frozenset[str] = field(default_factory=frozenset)
    targets: frozenset[str] = field(default_factory=frozenset)
    since: str | None = None
    until: str | None = None
    include_deleted: bool = True  # the full history (the JSONL set), not the coding as it stands

    def live_only(self) -> Selection:
        return dataclasses.replace(self, include_deleted=False)

    def keeps_document_id(self, document_id: str) -> bool:
        return not self.documents or document_id in self.documents

    def keeps_document(self, document: Row) -> bool:
        return self.keeps_document_id(document["id"]) and self._alive(document)

    def keeps_span(
        self,
        span: Row,
        tag_ids: Sequence[str],
        document_ids: set[str],
        evidence: set[str] | None = None,
    ) -> bool:
        """``evidence``: ids of spans carrying a stance on a chosen target (with ``targets``)."""
        if span["document_id"] not in document_ids or not self._by_chosen(span):
            return False
        if evidence is not None and span["id"] not in evidence:
            return False
        if not self.include_deleted and span["orphaned_at"] is not None:
            return False  # its offsets are stale until someone places it again
        return not self.tags or any(t in self.tags for t in tag_ids)

    def keeps_stance(self, stance: Row, span_ids: set[str], document_ids: set[str]) -> bool:
        if stance["document_id"] not in document_ids or not self._by_chosen(stance):
            return False
        if self.targets and stance["target_id"] not in self.targets:
            return False
        return stance["span_id"] is None or stance["span_id"] in span_ids

    def keeps_link(self, link: Row, span_ids: set[str], document_ids: set[str]) -> bool:
        if not self._by_chosen(link):
            return False
        ends = (
            (link["from_document_id"], link["from_span_id"]),
            (link["to_document_id"], link["to_span_id"]),
        )
        return all(d in document_ids and (s is None or s in span_ids) for d, s in ends)

    def _by_chosen(self, row: Row) -> bool:
        if not self._alive(row):
            return False
        if self.annotators and row["created_by"] not in self.annotators:
            return False
        if self.since is None and self.until is None:
            return True  # most exports: no need to cut 200,000 dates
        day = row["created_at"][:10]
        return (self.since is None or day >= self.since) and (
            self.until is None or day <= self.until
        )

    def _alive(self, row: Row) -> bool:
        return self.include_deleted or row["deleted_at"] is None


def resolve_names(
    project: Project,
    *,
    documents=(),
    tags=(),
    annotators=(),
    targets=(),
    since: str | None = None,
    until: str | None = None,
) -> Selection:
    """A selection from ids or names as a user types them (titles, tag names or paths)."""
    refs = References(project)
    return Selection(
        documents=frozenset(refs.require_document(d) for d in documents),
        tags=frozenset(t for name in tags for t in refs.require_tag_with_children(name)),
        annotators=frozenset(refs.require_annotator(a) for a in annotators),
        targets=frozenset(refs.require(Target, t) for t in targets),
        since=_day(since, "since"),
        until=_day(until, "until"),
    )


def _day(value: str | None, what: str) -> str | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value).isoformat()
    except ValueError:
        raise UnknownReferenceError(f"{what}: {value!r} is not a date (YYYY-MM-DD)") from None


def tags_parents_first(tags: list[Tag]) -> list[Tag]:
    """A parent always comes before its children, so an importer can resolve ``parent``."""
    by_id = {t.id: t for t in tags}
    ordered: list[Tag] = []
    placed: set[str] = set()

    def place(tag: Tag, trail: frozenset[str] = frozenset()) -> None:
        if tag.id in placed:
            return
        parent = by_id.get(tag.parent_id or "")
        if parent is not None and parent.id not in trail:
            place(parent, trail | {tag.id})
        placed.add(tag.id)
        ordered.append(tag)

    for tag in sorted(tags, key=lambda t: (t.created_at, t.id)):
        place(tag)
    return ordered


def spans_with_tags(
    project: Project, selection: Selection, document_ids: set[str], *, columns: str = "*"
) -> Iterator[tuple[Row, list[str]]]:
    """Selected span rows with their tags; a deleted span keeps the tags deleted along with it.
    ``columns`` as Project.spans_with_tags takes them, those Selection.keeps_span reads among
    them."""
    live_only = not selection.include_deleted
    evidence = None
    if selection.targets:
        evidence = {
            stance["span_id"]
            for stance in project.rows("stances", "span_id IS NOT NULL", live=live_only)
            if stance["target_id"] in selection.targets
        }
    for span, tag_ids in project.spans_with_tags(live=live_only, columns=columns):
        if selection.keeps_span(span, tag_ids, document_ids, evidence):
            yield span, tag_ids


class ByDocument:
    """Rows in document order (as SQLite sorts ids), handed out one document at a time to a
    loop over documents in that order: only the current document's rows are held."""

    def __init__(
        self, rows: Iterable[Any], key: Callable[[Any], str] = itemgetter("document_id")
    ) -> None:
        self._groups = groupby(rows, key=key)
        self._pending = next(self._groups, None)

    def take(self, document_id: str) -> list[Any]:
        """The rows of ``document_id``; those of documents before it are skipped."""
        while self._pending is not None and self._pending[0] < document_id:
            self._pending = next(self._groups, None)
        if self._pending is None or self._pending[0] != document_id:
            return []
        found = list(self._pending[1])
        self._pending = next(self._groups, None)
        return found


def kept_span_ids(
    project: Project, selection: Selection, document_ids: set[str], spans: Iterable[Row]
) -> set[str]:
    """Which of these span rows ``selection`` keeps, as ``spans_with_tags`` would: for an
    export that checks the spans under its stances, notes and links a chunk at a time rather
    than remember every span it wrote."""
    rows = {row["id"]: row for row in spans}
    tags = project.tags_of_spans(list(rows)) if selection.tags else {}
    evidence = None
    if selection.targets:
        on = project.stances_on_spans(list(rows), live=not selection.include_deleted)
        evidence = {s["span_id"] for s in on if s["target_id"] in selection.targets}
    return {
        span_id
        for span_id, row in rows.items()
        if selection.keeps_span(row, tags.get(span_id, []), document_ids, evidence)
    }


def with_kept_spans(
    project: Project,
    selection: Selection,
    document_ids: set[str],
    rows: Iterable[Row],
    span_columns: tuple[str, ...],
) -> Iterator[tuple[Row, set[str]]]:
    """Stance or link rows, each with the ids of the spans it rests on (its ``span_columns``)
    that ``selection`` keeps: what keeps_stance and keeps_link check. Asked a few hundred rows
    at a time, so that memory does not grow with the spans an export has written."""
    iterator = iter(rows)
    while chunk := list(islice(iterator, 500)):
        ends = [row[c] for row in chunk for c in span_columns if row[c]]
        spans = project.rows_by_ids("spans", ends).values()
        kept = kept_span_ids(project, selection, document_ids, spans)
        yield from ((row, kept) for row in chunk)


def orphans_left_out(
    project: Project, selection: Selection, document_ids: set[str]
) -> Iterator[Row]:
    """Orphaned span rows that ``selection`` would keep but for their stale offsets: what an
    export of the coding as it stands leaves out, and says it left out."""
    relaxed = dataclasses.replace(selection, include_deleted=True)  # the rows read are live
    for row in project.rows("spans", "orphaned_at IS NOT NULL"):
        tags = [pair.tag_id for pair in project.live_span_tags(span_id=row["id"])]
        evidence = None
        if selection.targets:
            on = project.stances_referring("span_id", row["id"])
            evidence = {row["id"]} if any(s.target_id in selection.targets for s in on) else set()
        if relaxed.keeps_span(row, tags, document_ids, evidence):
            yield row
