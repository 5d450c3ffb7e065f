"""The parts of the HTML report before the documents: page head and style, codebook, the
actor x target stance table and the links. All text is escaped; links point only within the page.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from html import escape

from annotator.core.formats.html_text import (
    TagStyle,
    attr,
    document_anchor,
    excerpt,
    span_anchor,
    swatch,
)

STYLE = """
body{font:15px/1.5 Georgia,'Times New Roman',serif;color:#1d1d1d;margin:2rem auto;max-width:54rem;padding:0 1rem}
h1,h2,h3{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;line-height:1.25}
h2{border-bottom:1px solid #ccc;padding-bottom:.2rem;margin-top:2.5rem}
table{border-collapse:collapse;margin:.8rem 0;font-size:.92rem}
th,td{border:1px solid #ccc;padding:.25rem .5rem;vertical-align:top;text-align:left}
th{background:#f3f3f3}
td.count{text-align:right}
.swatch{display:inline-block;width:.9em;height:.9em;border:1px solid #777;vertical-align:-.1em;margin-right:.35em}
.meta{color:#555;font-size:.9rem}
dl.details{display:grid;grid-template-columns:max-content 1fr;gap:.1rem 1rem;font-size:.9rem}
dl.details dt{color:#555}
dl.details dd{margin:0}
.legend{font-size:.9rem;margin:.5rem 0}
.legend span{margin-right:1rem;white-space:nowrap}
.text{white-space:pre-wrap;overflow-wrap:break-word;border-left:3px solid #ddd;padding-left:1rem}
mark{color:inherit;border-radius:2px;padding:0}
.quote{font-style:italic}
mark[data-n]::before{content:"[" attr(data-n) "]";font:600 .68em system-ui,sans-serif;vertical-align:super;color:#333;margin-right:.1em}
ol.passages{font-size:.9rem;padding-left:2.6rem;margin-top:1rem}
ol.passages li{margin:.3rem 0;break-inside:avoid}
ol.passages li::marker{content:"[" counter(list-item) "]  ";font-family:system-ui,sans-serif}
ol.passages .tag{margin-left:.6rem;white-space:nowrap}
ol.passages .note{white-space:pre-wrap;margin-left:1rem;color:#333}
nav ul{columns:2}
@media print{
*{-webkit-print-color-adjust:exact;print-color-adjust:exact}
body{margin:0;max-width:none;font-size:11pt}
nav{display:none}
article.document{break-before:page}
a{color:inherit;text-decoration:none}
tr,mark{break-inside:avoid}
}
"""


def head(title: str, styles: Sequence[TagStyle], extra_rules: Sequence[str] = ()) -> str:
    rules = "\n".join([*(s.rules() for s in styles), *extra_rules])
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{escape(title)}</title>\n<style>{STYLE}{rules}\n</style>\n</head>\n<body>\n"
    )


@dataclass
class CodebookRow:
    style: TagStyle
    depth: int
    name: str
    description: str | None
    spans: int


def codebook(rows: Sequence[CodebookRow]) -> str:
    out = ['<section id="codebook">\n<h2>Codebook</h2>']
    if not rows:
        return out[0] + "\n<p>No tags.</p>\n</section>\n"
    out.append("<table>\n<tr><th>Tag</th><th>Description</th><th>Passages</th></tr>")
    for row in rows:
        indent = f' style="padding-left:{0.5 + 1.2 * row.depth:.1f}rem"' if row.depth else ""
        out.append(
            f"<tr><td{indent}>{swatch(row.style)}{escape(row.name)}</td>"
            f"<td>{escape(row.description or '')}</td>"
            f'<td class="count">{row.spans}</td></tr>'
        )
    out.append("</table>\n</section>\n")
    return "\n".join(out)


@dataclass
class StanceTable:
    """Counts of polarities per (actor, target); None as actor: held by no one in particular."""

    labels: dict[int, str]
    cells: dict[tuple[str | None, str], Counter[int]] = field(default_factory=dict)

    def add(self, actor: str | None, target: str, polarity: int) -> None:
        self.cells.setdefault((actor, target), Counter())[polarity] += 1

    def html(self, actor_names: dict[str, str], target_names: dict[str, str]) -> str:
        out = ['<section id="stances">\n<h2>Stances</h2>']
        if not self.cells:
            return out[0] + "\n<p>No stances.</p>\n</section>\n"
        targets = sorted(
            {t for _, t in self.cells}, key=lambda t: target_names.get(t, "").casefold()
        )
        actors = sorted(
            {a for a, _ in self.cells},
            key=lambda a: (a is None, actor_names.get(a or "", "").casefold()),
        )
        out.append('<table class="stances">\n<tr><th>Actor \\ target</th>')
        out += [f"<th>{escape(target_names.get(t, t))}</th>" for t in targets]
        out.append("</tr>")
        for actor in actors:
            name = actor_names.get(actor, actor) if actor else "(no actor)"
            out.append(f"<tr><th>{escape(name)}</th>")
            for target in targets:
                counts = self.cells.get((actor, target), Counter())
                items = [
                    f"{escape(self.label(p))} × {n}"
                    for p, n in sorted(counts.items(), reverse=True)
                ]
                out.append(f"<td>{'<br>'.join(items)}</td>")
            out.append("</tr>")
        out.append("</table>\n</section>\n")
        return "\n".join(out)

    def label(self, polarity: int) -> str:
        sign = f"{polarity:+d}" if polarity else "0"
        return f"{sign} {self.labels.get(polarity, '')}".strip()


@dataclass
class LinkEnd:
    document_id: str
    title: str
    span_id: str | None  # None: the whole document
    quote: str | None
    shown: bool  # the span is highlighted in the report (not orphaned, selected)

    def html(self) -> str:
        target = span_anchor(self.span_id) if self.span_id and self.shown else None
        target = target or document_anchor(self.document_id)
        title = f'<a href="#{attr(document_anchor(self.document_id))}">{escape(self.title)}</a>'
        if self.span_id is None:
            return f'{title}<br><span class="meta">(whole document)</span>'
        quote = excerpt(self.quote or "")
        return f'{title}<br><a class="quote" href="#{attr(target)}">“{escape(quote)}”</a>'


def links(rows: Sequence[tuple[LinkEnd, str, LinkEnd, str | None]]) -> Iterator[str]:
    yield '<section id="links">\n<h2>Links</h2>\n'
    if not rows:
        yield "<p>No links.</p>\n</section>\n"
        return
    cross = sum(a.document_id != b.document_id for a, _, b, _ in rows)
    yield f'<p class="meta">{len(rows)} links, {cross} of them across documents.</p>\n'
    yield "<table>\n<tr><th>From</th><th>Type</th><th>To</th><th>Note</th></tr>\n"
    for source, link_type, target, note in rows:
        yield (
            f"<tr><td>{source.html()}</td><td>{escape(link_type)}</td>"
            f"<td>{target.html()}</td><td>{escape(note or '')}</td></tr>\n"
        )
    yield "</table>\n</section>\n"
