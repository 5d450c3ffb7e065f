"""A self-contained, printable HTML report of a project (or a selection of it); see
docs/html-report.md.

One file, inline CSS, no scripts, no external resources; the only links are anchors within the
page. The codebook, stance table and links come first; then each document with its passages
highlighted. A first pass over the selected spans gathers the counts and combinations of tags
the sections before the documents need; the documents are then written one at a time, each
reading its own spans again, so neither the spans nor the HTML of a large project sit in memory.
Live records only; orphaned spans (stale offsets) are not highlighted and are counted instead.
"""

from __future__ import annotations

import tempfile
from collections import Counter
from html import escape
from typing import TextIO

from annotator.core.formats.html_sections import (
    CodebookRow,
    LinkEnd,
    StanceTable,
    codebook,
    head,
    links,
)
from annotator.core.formats.html_text import (
    PALETTE,
    UNTAGGED_STYLE,
    Look,
    Mark,
    TagStyle,
    attr,
    combination_rule,
    document_anchor,
    highlighted,
    marked_passage,
    needs_escaping,
    passage_list,
    rgb,
    swatch,
)
from annotator.core.formats.selection import (
    ByDocument,
    Row,
    Selection,
    orphans_left_out,
    spans_with_tags,
    tags_parents_first,
    with_kept_spans,
)
from annotator.core.model import Tag, now
from annotator.core.ops import stance_scale, tag_path
from annotator.core.page_numbers import page_of, page_starts
from annotator.core.store import DocumentSummary, Project

# The span columns Selection.keeps_span reads.
_KEPT_BY = "id, document_id, created_by, created_at, deleted_at, orphaned_at"
_DETAILS = (("author", "Author"), ("date", "Date"), ("source", "Source"), ("language", "Language"))


class _Survey:
    """What the report needs besides the spans, and what the sections before the documents
    gather from them as the documents are written."""

    def __init__(self, project: Project, selection: Selection) -> None:
        self.project, self.selection = project, selection
        self.documents: list[DocumentSummary] = [
            d for d in project.document_summaries() if selection.keeps_document_id(d.id)
        ]
        self.document_ids = {d.id for d in self.documents}
        self.titles = {d.id: d.title for d in self.documents}
        tags = tags_parents_first(list(project.records(Tag)))
        by_id = {t.id: t for t in tags}
        self.tags = tags
        self.paths = {t.id: tag_path(by_id, t.id) for t in tags}
        self.styles = {
            t.id: TagStyle(f"t{i}", self.paths[t.id], rgb(t.colour, PALETTE[i % len(PALETTE)]))
            for i, t in enumerate(tags)
        }
        self.order = {t.id: i for i, t in enumerate(tags)}
        self.annotators = project.column_by_id("annotators", "name", live=False)
        # Filled as the documents are written (see _spool_documents): only counts and the
        # combinations of tags are kept of the spans, for the sections before the documents.
        self.combinations: dict[tuple[str, ...], int] = {}
        self.looks: list[Look] = []  # by combination
        self.spans_with: list[int] = []  # chosen spans by combination
        self._by_tag_ids: dict[tuple[str, ...], int] = {}  # a span's tags -> its combination
        # Per document: those not highlighted for their stale offsets.
        self.orphans = Counter(
            row["document_id"] for row in orphans_left_out(project, selection, self.document_ids)
        )

    def combination(self, tag_ids: list[str]) -> int:
        """The index of a chosen span's combination of shown tags, counting the span."""
        found = self._by_tag_ids.get(tuple(tag_ids))
        if found is None:
            shown = tuple(self.shown_tags(tag_ids))
            found = self.combinations.get(shown)
            if found is None:
                found = self.combinations[shown] = len(self.combinations)
                styles = [self.styles[t] for t in shown]
                self.looks.append(Look(found, styles, [self.paths[t] for t in shown]))
                self.spans_with.append(0)
            self._by_tag_ids[tuple(tag_ids)] = found
        self.spans_with[found] += 1
        return found

    @property
    def placed(self) -> int:
        return sum(self.spans_with)

    def shown_tags(self, tag_ids: list[str]) -> list[str]:
        """The span's tags the report names (the chosen ones, when tags were chosen), in
        codebook order: the first gives the highlight its colour."""
        shown = [
            t
            for t in tag_ids
            if t in self.styles and (not self.selection.tags or t in self.selection.tags)
        ]
        return sorted(shown, key=self.order.__getitem__)

    def codebook_rows(self) -> list[CodebookRow]:
        tag_counts: Counter[str] = Counter()
        for shown, i in self.combinations.items():
            for tag_id in shown:
                tag_counts[tag_id] += self.spans_with[i]
        untagged = self.spans_with[self.combinations[()]] if () in self.combinations else 0
        depth: dict[str, int] = {}
        rows = []
        for tag in self.tags:
            depth[tag.id] = depth.get(tag.parent_id or "", -1) + 1 if tag.parent_id else 0
            rows.append(
                CodebookRow(
                    self.styles[tag.id],
                    depth[tag.id],
                    tag.name,
                    tag.description,
                    tag_counts[tag.id],
                )
            )
        if untagged:
            rows.append(CodebookRow(UNTAGGED_STYLE, 0, "(untagged)", None, untagged))
        return rows

    def stance_table(self) -> StanceTable:
        table = StanceTable(stance_scale(self.project))
        stances = self.project.rows("stances", order_by="created_at, id")
        keeps = self.selection.keeps_stance
        for stance, kept in with_kept_spans(
            self.project, self.selection, self.document_ids, stances, ("span_id",)
        ):
            if keeps(stance, kept, self.document_ids):
                table.add(stance["actor_id"], stance["target_id"], stance["polarity"])
        return table

    def link_rows(self) -> list[tuple[LinkEnd, str, LinkEnd, str | None]]:
        ids = self.document_ids
        rows = self.project.rows("links", order_by="created_at, id")
        chosen = [
            link
            for link, kept in with_kept_spans(
                self.project, self.selection, ids, rows, ("from_span_id", "to_span_id")
            )
            if link["from_document_id"] in ids
            and link["to_document_id"] in ids
            and self.selection.keeps_link(link, kept, ids)
        ]
        # A chosen link's spans are chosen; shown (a place to point at) unless orphaned.
        ends = {s for link in chosen for s in (link["from_span_id"], link["to_span_id"]) if s}
        quotes = {
            i: (row["quote"], row["orphaned_at"] is None)
            for i, row in self.project.rows_by_ids("spans", ends).items()
        }
        found = [
            (
                self._end(link["from_document_id"], link["from_span_id"], quotes),
                link["type"],
                self._end(link["to_document_id"], link["to_span_id"], quotes),
                link["note"],
            )
            for link in chosen
        ]
        found.sort(key=lambda r: (r[0].title.casefold(), r[2].title.casefold(), r[1]))
        return found

    def _end(
        self, document_id: str, span_id: str | None, quotes: dict[str, tuple[str, bool]]
    ) -> LinkEnd:
        quote, shown = quotes.get(span_id or "", (None, False))
        return LinkEnd(document_id, self.titles[document_id], span_id, quote, shown)


def export_html(project: Project, out: TextIO, selection: Selection | None = None) -> Counter[str]:
    """Write the report to ``out``; returns counts of documents, passages, stances and links."""
    selection = (selection or Selection()).live_only()
    survey = _Survey(project, selection)
    counts: Counter[str] = Counter()
    # The documents are written first, to a temporary file, in one pass over the spans in
    # the order SQLite keeps them; the sections before them (counts, codebook, styles) come
    # out of that pass, and the documents are then copied after them in the order of titles.
    with tempfile.TemporaryFile("w+", encoding="utf-8", newline="") as spool:
        places = _spool_documents(spool, survey)
        title = f"Report: {project.path.stem}"
        several = [
            combination_rule(i, [survey.styles[t] for t in tags[1:]])
            for tags, i in survey.combinations.items()
            if len(tags) > 1
        ]
        out.write(head(title, [*survey.styles.values(), UNTAGGED_STYLE], several))
        out.write(_header(title, project, survey))
        out.write(codebook(survey.codebook_rows()))
        stances = survey.stance_table()
        counts["stances"] = sum(sum(c.values()) for c in stances.cells.values())
        targets = project.column_by_id("targets", "name", live=False)
        actors = project.column_by_id("actors", "name", live=False)
        out.write(stances.html(actors, targets))
        link_rows = survey.link_rows()
        counts["links"] = len(link_rows)
        out.writelines(links(link_rows))
        out.write('<section id="documents">\n<h2>Documents</h2>\n')
        for summary in survey.documents:
            at, length, passages = places[summary.id]
            spool.seek(at)
            out.write(spool.read(length))
            counts["documents"] += 1
            counts["spans"] += passages
    out.write("</section>\n</body>\n</html>\n")
    return counts


def _spool_documents(spool: TextIO, survey: _Survey) -> dict[str, tuple[int, int, int]]:
    """Write every document's section to ``spool`` in the order of ids; returns where each
    is: (position, length in characters, passages highlighted)."""
    chosen = spans_with_tags(
        survey.project,
        survey.selection,
        survey.document_ids,
        columns=_KEPT_BY + ', start, "end", note',
    )
    spans = ByDocument(chosen, key=lambda pair: pair[0]["document_id"])
    summaries = {d.id: d for d in survey.documents}
    places = {}
    for document_id in sorted(summaries):
        # Combinations are numbered in the order spans come, before a document's are sorted.
        found = [(span, survey.combination(tags)) for span, tags in spans.take(document_id)]
        found.sort(key=lambda pair: (pair[0]["start"], pair[0]["end"], pair[0]["id"]))
        section = _document(survey, summaries[document_id], found)
        places[document_id] = (spool.tell(), len(section), len(found))
        spool.write(section)
    return places


def _header(title: str, project: Project, survey: _Survey) -> str:
    out = [f"<header>\n<h1>{escape(title)}</h1>"]
    out.append(
        f'<p class="meta">Generated {escape(now())} (UTC) from {escape(project.path.name)}: '
        f"{len(survey.documents)} documents, {survey.placed} passages.</p>"
    )
    if chosen := _filters(project, survey):
        out.append(f'<p class="meta">Only: {escape(chosen)}.</p>')
    out.append("</header>\n<nav>\n<h2>Contents</h2>\n<ul>")
    for anchor, label in (("codebook", "Codebook"), ("stances", "Stances"), ("links", "Links")):
        out.append(f'<li><a href="#{anchor}">{label}</a></li>')
    out += [
        f'<li><a href="#{attr(document_anchor(d.id))}">{escape(d.title)}</a></li>'
        for d in survey.documents
    ]
    out.append("</ul>\n</nav>\n")
    return "\n".join(out)


def _filters(project: Project, survey: _Survey) -> str:
    """The selection in words, so a reader knows what the report leaves out."""
    selection, parts = survey.selection, []
    if selection.documents:
        parts.append(f"{len(selection.documents)} chosen documents")
    if selection.tags:
        parts.append("tags " + ", ".join(sorted(survey.paths.get(t, t) for t in selection.tags)))
    if selection.annotators:
        names = sorted(survey.annotators.get(a, a) for a in selection.annotators)
        parts.append("work of " + ", ".join(names))
    if selection.targets:
        targets = project.column_by_id("targets", "name", live=False)
        parts.append(
            "stances on " + ", ".join(sorted(targets.get(t, t) for t in selection.targets))
        )
    if selection.since or selection.until:
        parts.append(f"created {selection.since or '…'} to {selection.until or '…'}")
    return "; ".join(parts)


def _document(survey: _Survey, summary: DocumentSummary, chosen: list[tuple[Row, int]]) -> str:
    """One document's section, with its chosen spans (in text order, with their combination
    of tags) highlighted."""
    project = survey.project
    document = project.row("documents", summary.id)
    assert document is not None
    text, pages = document["text"], page_starts(document["pages"])
    plain = not needs_escaping(text)
    marks: list[Mark] = []
    items: list[str] = []
    used: set[int] = set()  # combinations of tags
    for span, combination in chosen:
        used.add(combination)
        annotator = survey.annotators.get(span["created_by"] or "")
        page = page_of(pages, span["start"]) if pages else None
        mark, item = marked_passage(
            text,
            (span["id"], span["start"], span["end"], span["note"]),
            survey.looks[combination],
            annotator,
            len(marks) + 1,
            page,
            plain=plain,
        )
        marks.append(mark)
        items.append(item)
    anchor = attr(document_anchor(summary.id))
    parts = [f'<article class="document" id="{anchor}">\n<h2>{escape(summary.title)}</h2>\n']
    parts.append(_details(document, summary, len(marks), survey.orphans[summary.id]))
    looks = [survey.looks[c] for c in used]
    if looks:
        shown = {s.css_class for look in looks for s in look.styles}
        legend = [s for s in [*survey.styles.values(), UNTAGGED_STYLE] if s.css_class in shown]
        parts.append('<p class="legend">')
        parts.append("".join(f"<span>{swatch(s)}{escape(s.path)}</span>" for s in legend))
        parts.append("</p>\n")
    if any(len(look.styles) > 1 for look in looks):
        parts.append(
            '<p class="meta">A passage with several tags is filled in the colour of the first '
            "and underlined in the colour of each other.</p>\n"
        )
    parts.append('<div class="text">' + highlighted(text, marks) + "</div>\n")
    parts.append(passage_list(items))
    parts.append("</article>\n")
    return "".join(parts)


def _details(document: dict, summary: DocumentSummary, shown: int, orphans: int) -> str:
    out = ['<dl class="details">']
    for key, label in _DETAILS:
        if document[key]:
            out.append(f"<dt>{label}</dt><dd>{escape(str(document[key]))}</dd>")
    out.append(f"<dt>Length</dt><dd>{summary.length} characters</dd>")
    out.append(f"<dt>Passages</dt><dd>{shown} highlighted</dd>")
    if orphans:
        out.append(
            f"<dt>Not shown</dt><dd>{orphans} passages whose place in the current text "
            "is lost (orphaned)</dd>"
        )
    out.append("</dl>\n")
    return "\n".join(out)
