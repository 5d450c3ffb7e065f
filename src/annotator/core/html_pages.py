"""Web pages: the article's main text (trafilatura) and its metadata (meta tags)."""

from __future__ import annotations

import codecs
import re
from html.parser import HTMLParser
from typing import ClassVar

from annotator.core.text_decoding import (
    BOMS,
    CorpusError,
    decode_bytes,
    looks_like_text,
    normalise_text,
)

_DECLARED_CHARSET = re.compile(
    rb"""<meta[^>]*?charset\s*=\s*["']?\s*([\w.:-]+)|<\?xml[^>]*?encoding\s*=\s*["']([\w.:-]+)""",
    re.IGNORECASE,
)


def decode_html(data: bytes, name: str) -> str:
    """A BOM first, then the page's own ``<meta charset>``, then detection."""
    if not any(data.startswith(bom) for bom, _ in BOMS) and (
        match := _DECLARED_CHARSET.search(data[:4096])
    ):
        label = (match.group(1) or match.group(2)).decode("ascii").lower()
        try:
            encoding = codecs.lookup(label).name
        except LookupError:
            encoding = ""
        if encoding in ("latin-1", "iso8859-1", "ascii"):
            encoding = "cp1252"  # as browsers do: pages labelled latin-1 are Windows-1252
        if encoding and not encoding.startswith("utf-16"):
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError:
                pass  # a wrong label: detect instead
            else:
                if looks_like_text(text):
                    return text
    return decode_bytes(data, name=name)


def html_document(data: bytes, name: str) -> tuple[str, dict[str, str]]:
    """The article text (trafilatura drops navigation, ads, cookie banners...) and metadata."""
    import trafilatura  # slow to import: only when a page is read

    html = decode_html(data, name)
    document = None
    for favor_precision in (True, False):  # precision first; recall if that finds nothing
        try:
            document = trafilatura.bare_extraction(
                html,
                favor_precision=favor_precision,
                include_comments=False,
                include_tables=True,
                with_metadata=True,
            )
        except Exception as error:  # the parser failing on one page must not end an import
            raise CorpusError(name, f"cannot read the page ({error})") from None
        if document is not None and (document.text or "").strip():
            break
    if document is None or not (document.text or "").strip():
        raise CorpusError(name, "no article text found in the page")
    metadata = _html_meta(html)
    for field, value in (
        ("title", document.title),
        ("author", document.author),
        ("date", document.date),
        ("source", document.url),
        ("language", getattr(document, "language", None)),
    ):
        if value:
            metadata[field] = value
    return normalise_text(document.text), metadata


class _MetaTags(HTMLParser):
    """Fallback metadata from the head: Open Graph, ``<title>``, author, dates, ``lang``."""

    _NAMES: ClassVar[dict[str, str]] = {
        "og:title": "title", "og:url": "source",
        "author": "author", "article:author": "author", "dc.creator": "author",
        "article:published_time": "date", "date": "date", "dc.date": "date",
        "og:locale": "language", "content-language": "language",
    }  # fmt: skip

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: dict[str, str] = {}
        self._title: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {key: value or "" for key, value in attrs}
        if tag == "html" and values.get("lang"):
            self.found.setdefault("language", values["lang"])
        elif tag == "title" and "title" not in self.found:
            self._title = []
        elif tag == "link" and "canonical" in values.get("rel", "").split():
            self.found.setdefault("source", values.get("href", ""))
        elif tag == "meta":
            key = values.get("property") or values.get("name") or values.get("http-equiv", "")
            field = self._NAMES.get(key.lower())
            # Open Graph beats plain tags: og:title is the headline, <title> adds the site.
            if (
                field
                and values.get("content")
                and (key.startswith("og:") or field not in self.found)
            ):
                self.found[field] = values["content"]

    def handle_data(self, data: str) -> None:
        if self._title is not None:
            self._title.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "title" and self._title is not None:
            self.found.setdefault("title", "".join(self._title))
            self._title = None


def _html_meta(html: str) -> dict[str, str]:
    parser = _MetaTags()
    head_end = html.lower().find("</head>")
    parser.feed(html if head_end < 0 else html[:head_end])
    parser.close()
    found = {key: value for key, value in parser.found.items() if value.strip()}
    if "language" in found:
        found["language"] = found["language"].replace("_", "-")  # og:locale says en_GB
    return found
