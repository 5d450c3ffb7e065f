"""The HTML report: parsed back, its highlights, tables, anchors and escaping are checked."""

from __future__ import annotations

import io
import re
from pathlib import Path

import lxml.html
import pytest

from annotator.core import ops
from annotator.core.formats.html_report import export_html
from annotator.core.formats.registry import EXPORTS
from annotator.core.formats.selection import resolve_names
from annotator.core.model import Change, ChangeSet, Span, Tag
from annotator.core.store import Project

from .sample import ARTICLE, REBUTTAL, Sample

HOSTILE = '<script>alert(1)</script>"onmouseover=alert(2) x="'
RULE = re.compile(r"mark\.([\w-]+)\{background-color:rgba\((\d+),(\d+),(\d+),[\d.]+\)\}")


def report(project: Project, **chosen: object) -> tuple[lxml.html.HtmlElement, str]:
    out = io.StringIO()
    selection = resolve_names(project, **chosen) if chosen else None  # type: ignore[arg-type]
    export_html(project, out, selection)
    text = out.getvalue()
    return lxml.html.document_fromstring(text), text


def mark_colours(page: lxml.html.HtmlElement) -> dict[str, str]:
    """CSS class -> colour (#rrggbb) of the highlights, from the report's style sheet."""
    style = page.xpath("//style")[0].text
    return {c: f"#{int(r):02x}{int(g):02x}{int(b):02x}" for c, r, g, b in RULE.findall(style)}


def marked_text(page: lxml.html.HtmlElement, span_id: str) -> str:
    return "".join(m.text_content() for m in page.xpath("//mark[@data-span=$s]", s=span_id))


def document_text(page: lxml.html.HtmlElement, document_id: str) -> str:
    (div,) = page.xpath("//article[@id=$d]/div[@class='text']", d=f"d-{document_id}")
    return div.text_content()


def test_registered() -> None:
    html = EXPORTS["html"]
    assert (html.name, html.label, html.suffix, html.shape) == (
        "html",
        "Report (HTML)",
        ".html",
        "text",
    )


def test_every_passage_is_marked_in_its_tag_colour(sample: Sample) -> None:
    p, me = sample.project, sample.me
    ops.update_tag(p, by=me, tag_id=sample.child_tag, colour="#112233")
    ops.tag_span(p, by=me, span_id=sample.span, tag_id=sample.child_tag)
    # Overlapping, nested and identical passages around "victor’s peace".
    start = ARTICLE.index("call it")
    overlaps = [
        (start, start + 20, [sample.child_tag]),
        (start + 8, start + 30, []),
        (start + 10, start + 12, [sample.tag]),
        (start + 10, start + 12, [sample.child_tag]),
    ]
    for a, b, tags in overlaps:
        ops.create_span(p, by=me, document_id=sample.article, start=a, end=b, tags=tags)
    page, _ = report(p)
    colours = mark_colours(page)
    paths = {t.id: ops.tag_path({x.id: x for x in p.records(Tag)}, t.id) for t in p.records(Tag)}
    for span in p.records(Span):
        assert marked_text(page, span.id) == span.quote
        marks = page.xpath("//mark[@data-span=$s]", s=span.id)
        tags = [pair.tag_id for pair in p.live_span_tags(span_id=span.id)]
        expected = {sample.tag: "#aabbcc", sample.child_tag: "#112233"}
        first = next((t for t in (sample.tag, sample.child_tag) if t in tags), None)
        for mark in marks:
            fill = mark.get("class").split()[0]  # its first tag's; the next: its other tags'
            assert colours[fill] == expected.get(first or "", "#c8c8c8")
            title = mark.get("title")
            assert "annotator: Ani" in title and all(paths[t] in title for t in tags)
        (anchor,) = page.xpath("//*[@id=$a]", a=f"s-{span.id}")
        assert anchor.tag == "mark" and anchor.get("data-span") == span.id
    assert document_text(page, sample.article) == ARTICLE  # every character once, in order
    assert document_text(page, sample.rebuttal) == REBUTTAL
    legend = page.xpath("//article[@id=$d]//p[@class='legend']", d=f"d-{sample.article}")[0]
    assert "Peace process/Victor's peace" in legend.text_content()
    rows = {
        row.xpath("td")[0].text_content(): row.xpath("td")[2].text_content()
        for row in page.xpath("//section[@id='codebook']//tr[td]")
    }
    assert rows == {"Peace process": "2", "Victor's peace": "3", "(untagged)": "2"}


def test_stance_table_counts_polarities_with_the_project_labels(sample: Sample) -> None:
    p, me = sample.project, sample.me
    ops.set_stance_scale(p, by=me, labels={-1: "opposes", 0: "neutral", 1: "supports"})
    other = ops.create_target(p, by=me, name="Zangezur corridor").created("targets")[0]
    for polarity, span, actor, target in (
        (-1, sample.span, sample.actor, sample.target),
        (-1, None, sample.actor, sample.target),
        (1, sample.span, sample.actor, sample.target),
        (0, sample.other_span, None, other),
    ):
        document = sample.article if span != sample.other_span else sample.rebuttal
        ops.create_stance(p, by=me, document_id=document, target_id=target, polarity=polarity,
                          span_id=span, actor_id=actor)  # fmt: skip
    page, _ = report(p)
    (table,) = page.xpath("//table[@class='stances']")
    header = [th.text_content() for th in table.xpath("tr[1]/th")]
    assert header == ["Actor \\ target", "Draft peace agreement", "Zangezur corridor"]
    cells = {
        row.xpath("th")[0].text_content(): [td.text_content() for td in row.xpath("td")]
        for row in table.xpath("tr[position() > 1]")
    }
    assert cells == {
        "Government of Azerbaijan": ["+1 supports × 1-1 opposes × 2", ""],
        "(no actor)": ["", "0 neutral × 1"],
    }
    only_rebuttal, _ = report(p, documents=["Rebuttal"])
    rows = only_rebuttal.xpath("//table[@class='stances']/tr[position() > 1]")
    assert [r.xpath("th")[0].text_content() for r in rows] == ["(no actor)"]


def test_links_point_at_the_highlights(sample: Sample) -> None:
    p, me = sample.project, sample.me
    ops.create_link(p, by=me, source=sample.span, target=sample.other_span, type="contradicts",
                    note="they disagree")  # fmt: skip
    ops.create_link(p, by=me, source=sample.rebuttal, target=sample.span, type="responds to")
    page, _ = report(p)
    rows = page.xpath("//section[@id='links']//tr[td]")
    assert len(rows) == 2
    cells = {r.xpath("td")[1].text_content(): r for r in rows}
    contradicts = cells["contradicts"]
    hrefs = [a.get("href") for a in contradicts.xpath(".//a[@class='quote']")]
    assert hrefs == [f"#s-{sample.span}", f"#s-{sample.other_span}"]
    assert "“victor’s peace”" in contradicts.text_content()
    assert "“constitution demand”" in contradicts.text_content()
    assert contradicts.xpath("td")[3].text_content() == "they disagree"
    whole = cells["responds to"].xpath("td")[0]
    assert "(whole document)" in whole.text_content()
    assert whole.xpath(".//a")[0].get("href") == f"#d-{sample.rebuttal}"
    ids = set(page.xpath("//@id"))
    for href in page.xpath("//a/@href"):
        assert href.startswith("#") and href[1:] in ids


def test_hostile_text_stays_text(sample: Sample) -> None:
    p, me = sample.project, sample.me
    ops.update_document(p, by=me, document_id=sample.article, title=HOSTILE, author=HOSTILE,
                        source="javascript:alert(3)")  # fmt: skip
    ops.update_span(p, by=me, span_id=sample.span, note=HOSTILE)
    ops.update_tag(p, by=me, tag_id=sample.tag, name=HOSTILE.replace("/", "|"))
    ops.update_actor(p, by=me, actor_id=sample.actor, name=HOSTILE)
    ops.set_link_types(p, by=me, types=[HOSTILE])
    ops.create_link(p, by=me, source=sample.span, target=sample.other_span, type=HOSTILE,
                    note=HOSTILE)  # fmt: skip
    ops.create_stance(p, by=me, document_id=sample.article, target_id=sample.target,
                      polarity=1, span_id=sample.span, actor_id=sample.actor)  # fmt: skip
    pasted = ops.add_document(p, by=me, title="Pasted", text=f"Before {HOSTILE} after.").document
    ops.create_span(p, by=me, document_id=pasted.id, start=3, end=20, note=HOSTILE)
    tag = p.row("tags", sample.child_tag)
    assert tag is not None  # a colour no edit would accept, as a foreign import might bring
    p.apply(ChangeSet((Change("tags", tag["id"], tag, tag | {"colour": "red}</style><b>"}),)))
    page, raw = report(p)
    assert not page.xpath("//script | //img | //iframe | //object | //embed | //link | //b")
    assert not page.xpath("//@*[starts-with(name(), 'on')] | //@src")
    assert [h for h in page.xpath("//@href") if not h.startswith("#")] == []
    assert "<script>" not in raw and "red}" not in raw
    text = page.text_content()
    assert text.count(HOSTILE) >= 6  # title, author, actor, link type, note and a text, as typed
    assert document_text(page, pasted.id) == pasted.text
    assert page.xpath("//title")[0].text == "Report: test"
    (mark,) = page.xpath("//mark[@data-span=$s]", s=sample.span)
    assert f"note: {HOSTILE}" in mark.get("title")


def test_page_is_self_contained_and_printable(sample: Sample) -> None:
    page, raw = report(sample.project)
    style = page.xpath("//style")[0].text
    assert "@media print" in style and "print-color-adjust:exact" in style
    assert "url(" not in style and "@import" not in style
    assert raw.startswith("<!DOCTYPE html>") and '<meta charset="utf-8">' in raw
    assert page.xpath("//header/h1")[0].text == "Report: test"
    assert re.search(r"Generated \d{4}-\d\d-\d\dT", page.xpath("//header/p")[0].text_content())


def test_selection_and_orphans(sample: Sample) -> None:
    p, me = sample.project, sample.me
    extra = ops.create_span(p, by=sample.colleague, document_id=sample.article, start=0,
                            end=7, tags=[sample.child_tag]).created("spans")[0]  # fmt: skip
    page, _ = report(p, tags=["Victor's peace"])
    assert page.xpath("//mark/@data-span") == [extra]
    page, _ = report(p, annotators=["Lusine"], documents=["Illusion of peace"])
    assert page.xpath("//article/@id") == [f"d-{sample.article}"]
    assert page.xpath("//mark/@data-span") == [extra]
    assert "work of Lusine" in page.xpath("//header")[0].text_content()
    row = p.row("spans", sample.span)
    assert row is not None
    orphaned = row | {"orphaned_at": "2026-01-01T00:00:00.000Z"}
    p.apply(ChangeSet((Change("spans", sample.span, row, orphaned),)))
    page, _ = report(p)
    assert sample.span not in page.xpath("//mark/@data-span")
    details = page.xpath("//article[@id=$d]//dl", d=f"d-{sample.article}")[0].text_content()
    assert "1 passages whose place in the current text is lost" in details
    ops.delete_span(p, by=me, span_id=extra)
    page, _ = report(p)
    assert extra not in page.xpath("//mark/@data-span")


def test_a_link_to_an_orphaned_passage_points_at_nothing_missing(sample: Sample) -> None:
    p, me = sample.project, sample.me
    ops.create_link(p, by=me, source=sample.rebuttal, target=sample.span, type="responds to")
    row = p.row("spans", sample.span)
    p.apply(
        ChangeSet((Change("spans", sample.span, row, row | {"orphaned_at": row["created_at"]}),))
    )
    page, _ = report(p)
    for link in page.xpath("//section[@id='links']//tr[td]"):
        assert "“victor’s peace”" in link.text_content()  # said, if listed at all
    ids = set(page.xpath("//@id"))
    for href in page.xpath("//a/@href"):
        assert href.startswith("#") and href[1:] in ids


@pytest.mark.parametrize("empty", [True, False])
def test_an_empty_selection_is_still_a_page(project: Project, tmp_path: Path, empty: bool) -> None:
    if not empty:
        me = ops.ensure_annotator(project, "Ani").id
        ops.add_document(project, by=me, title="Plain", text="No passages here.")
    page, _ = report(project)
    assert page.xpath("//section[@id='stances']/p")[0].text == "No stances."
    assert len(page.xpath("//article")) == (0 if empty else 1)


def test_print_carries_what_the_tooltips_hold(sample: Sample) -> None:
    """Paper has no hover: each passage is numbered in the text and listed after it with its
    quote, tags, page, annotator and note; one with several tags shows every colour."""
    p, me = sample.project, sample.me
    ops.update_tag(p, by=me, tag_id=sample.child_tag, colour="#112233")
    ops.tag_span(p, by=me, span_id=sample.span, tag_id=sample.child_tag)
    ops.update_span(p, by=me, span_id=sample.span, note=f"Loaded. {HOSTILE}")
    pages = [0, ARTICLE.index("Critics")]
    row = p.row("documents", sample.article)
    p.apply(ChangeSet((Change("documents", row["id"], row, row | {"pages": str(pages)}),)))
    start = ARTICLE.index("Armenia")
    ops.create_span(p, by=sample.colleague, document_id=sample.article, start=start, end=start + 7)
    page, raw = report(p)
    article = page.xpath("//article[@id=$d]", d=f"d-{sample.article}")[0]
    firsts = article.xpath(".//mark[@data-n]")
    assert [m.get("data-n") for m in firsts] == ["1", "2"]  # in the order of the text
    assert firsts[1].get("data-span") == sample.span
    assert 'mark[data-n]::before{content:"[" attr(data-n) "]"' in raw
    items = article.xpath(".//ol[@class='passages']/li")
    assert [i.get("value") for i in items] == ["1", "2"]
    first, second = (i.text_content() for i in items)
    assert "“Armenia”" in first and "(untagged)" in first and "p. 1 · Lusine" in first
    assert "“victor’s peace”" in second and "p. 2 · Ani" in second
    assert "Peace process" in second and "Peace process/Victor's peace" in second
    assert f"Loaded. {HOSTILE}" in second and "<script>" not in raw
    assert items[1].xpath(".//a/@href") == [f"#s-{sample.span}"]
    # Several tags: the fill is the first tag's, the second adds an underline of its colour.
    classes = firsts[1].get("class").split()
    assert len(classes) == 2
    style = page.xpath("//style")[0].text
    assert f"mark.{classes[1]}{{box-shadow:inset 0 -3px 0 #112233}}" in style
    assert "filled in the colour of the first" in article.text_content()
    assert document_text(page, sample.article) == ARTICLE  # the numbers are not in the text


def test_a_document_without_passages_has_no_list(sample: Sample) -> None:
    page, _ = report(sample.project)
    assert page.xpath("//article[@id=$d]//ol", d=f"d-{sample.rebuttal}") != []
    p = sample.project
    other = ops.add_document(p, by=sample.me, title="Bare", text="Nothing marked.").document
    page, _ = report(p)
    assert page.xpath("//article[@id=$d]//ol", d=f"d-{other.id}") == []
