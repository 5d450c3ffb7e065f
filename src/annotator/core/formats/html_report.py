"""A self-contained, printable HTML report of a project (or a selection of it); see
docs/html-report.md.

One file, inline CSS, no scripts, no external resources; the only links are anchors within the
page. The codebook, stance table and links come first; then each document with its passages
highlighted. A first pass over the selected spans gathers counts and the quotes links need; the
documents are then written one at a time, so a large project never sits in memory as HTML.
Live records only; orphaned spans (stale offsets) are not highlighted and are counted instead.
"""

from __future__ import annotations

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
    Highlight,
    Passage,
    TagStyle,
    attr,
    combination_class,
    combination_rule,
    describe,
    document_anchor,
    highlighted,
    passage_list,
    rgb,
    swatch,
)
from annotator.core.formats.selection import (
    Selection,
    orphans_left_out,
    spans_with_tags,
    tags_parents_first,
)
from annotator.core.model import Tag, now
from annotator.core.ops import stance_scale, tag_path
from annotator.core.page_numbers import page_of, page_starts
from annotator.core.store import DocumentSummary, Project

_DETAILS = (("author", "Author"), ("date", "Date"), ("source", "Source"), ("language", "Language"))


class _Survey:
    """What the sections before the documents need, from one pass over the selected spans."""

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
        # Selected span id -> index of its shown tags in ``combinations``: the tags are read
        # once here, not again per document, at the cost of a small int per span.
        self.selected: dict[str, int] = {}
        self.combinations: dict[tuple[str, ...], int] = {}
        self.tag_counts: Counter[str] = Counter()
        self.untagged = 0
        self.links = [
            link
            for link in project.rows("links", order_by="created_at, id")
            if link["from_document_id"] in self.document_ids
            and link["to_document_id"] in self.document_ids
        ]
        ends = {s for link in self.links for s in (link["from_span_id"], link["to_span_id"]) if s}
        self.ends: dict[str, tuple[str, bool]] = {}  # span id -> quote, shown
        for span, tag_ids in spans_with_tags(project, selection, self.document_ids):
            placed = span["orphaned_at"] is None
            if span["id"] in ends:
                self.ends[span["id"]] = (span["quote"], placed)
            if not placed:
                self.selected[span["id"]] = -1
                continue
            shown = tuple(self.shown_tags(tag_ids))
            self.selected[span["id"]] = self.combinations.setdefault(shown, len(self.combinations))
            self.tag_counts.update(shown)
            self.untagged += not shown
        self.tags_of = list(self.combinations)  # index -> shown tags
        self.placed = sum(c >= 0 for c in self.selected.values())
        # Per document: those not highlighted for their stale offsets.
        self.orphans = Counter(
            row["document_id"] for row in orphans_left_out(project, selection, self.document_ids)
        )

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
                    self.tag_counts[tag.id],
                )
            )
        if self.untagged:
            rows.append(CodebookRow(UNTAGGED_STYLE, 0, "(untagged)", None, self.untagged))
        return rows

    def stance_table(self) -> StanceTable:
        table = StanceTable(stance_scale(self.project))
        for stance in self.project.rows("stances", order_by="created_at, id"):
            if self.selection.keeps_stance(stance, self.selected, self.document_ids):
                table.add(stance["actor_id"], stance["target_id"], stance["polarity"])
        return table

    def link_rows(self) -> list[tuple[LinkEnd, str, LinkEnd, str | None]]:
        rows = []
        for link in self.links:
            if self.selection.keeps_link(link, self.selected, self.document_ids):
                source = self._end(link["from_document_id"], link["from_span_id"])
                target = self._end(link["to_document_id"], link["to_span_id"])
                rows.append((source, link["type"], target, link["note"]))
        rows.sort(key=lambda r: (r[0].title.casefold(), r[2].title.casefold(), r[1]))
        return rows

    def _end(self, document_id: str, span_id: str | None) -> LinkEnd:
        quote, shown = self.ends.get(span_id or "", (None, False))
        return LinkEnd(document_id, self.titles[document_id], span_id, quote, shown)


def export_html(project: Project, out: TextIO, selection: Selection | None = None) -> Counter[str]:
    """Write the report to ``out``; returns counts of documents, passages, stances and links."""
    selection = (selection or Selection()).live_only()
    survey = _Survey(project, selection)
    counts: Counter[str] = Counter()
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
        counts["documents"] += 1
        counts["spans"] += _write_document(out, survey, summary)
    out.write("</section>\n</body>\n</html>\n")
    return counts


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


def _write_document(out: TextIO, survey: _Survey, summary: DocumentSummary) -> int:
    """One document's section; returns how many passages it highlights."""
    project = survey.project
    document = project.row("documents", summary.id)
    assert document is not None
    text, pages = document["text"], page_starts(document["pages"])
    highlights: list[Highlight] = []
    passages: list[Passage] = []
    used: dict[str, TagStyle] = {}
    for span in project.span_outlines(summary.id):
        combination = survey.selected.get(span.id, -1)
        if combination < 0:  # not chosen, or orphaned
            continue
        shown = survey.tags_of[combination]
        styles = [survey.styles[t] for t in shown] or [UNTAGGED_STYLE]
        used |= {s.css_class: s for s in styles}
        classes = styles[0].css_class
        if len(shown) > 1:
            classes += " " + combination_class(combination)
        annotator = survey.annotators.get(span.created_by or "")
        title = describe([survey.paths[t] for t in shown], annotator, span.note)
        number = len(highlights) + 1
        highlights.append(Highlight.of(span.id, span.start, span.end, classes, title, number))
        quote = text[span.start : span.end]
        page = page_of(pages, span.start)
        passages.append(Passage(number, span.id, quote, styles, span.note, annotator, page))
    anchor = attr(document_anchor(summary.id))
    out.write(f'<article class="document" id="{anchor}">\n<h2>{escape(summary.title)}</h2>\n')
    out.write(_details(document, summary, len(highlights), survey.orphans[summary.id]))
    if used:
        order = [s.css_class for s in survey.styles.values()] + [UNTAGGED_STYLE.css_class]
        legend = [used[c] for c in order if c in used]
        out.write('<p class="legend">')
        out.write("".join(f"<span>{swatch(s)}{escape(s.path)}</span>" for s in legend))
        out.write("</p>\n")
    if any(len(p.tags) > 1 for p in passages):
        out.write(
            '<p class="meta">A passage with several tags is filled in the colour of the first '
            "and underlined in the colour of each other.</p>\n"
        )
    out.write('<div class="text">' + "".join(highlighted(text, highlights)) + "</div>\n")
    out.writelines(passage_list(passages))
    out.write("</article>\n")
    return len(highlights)


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
