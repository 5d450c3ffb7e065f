"""Web pages: the article's main text (trafilatura) and its metadata (meta tags).

Metadata that a page states for machines (citation_*, Dublin Core, Open Graph, article:*,
author) wins over what trafilatura guesses from the page; the ``<title>``, the ``lang``
attribute and the address a browser noted when saving the page fill in what is left.
A page saved as one MHTML file (``.mhtml``, Chrome's "Webpage, Single File") is read
through its HTML part.
"""

from __future__ import annotations

import codecs
import email
import email.policy
import re
from html.parser import HTMLParser

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
    return _page_document(decode_html(data, name), name)


def mhtml_document(data: bytes, name: str) -> tuple[str, dict[str, str]]:
    """A page saved as MHTML: its first HTML part, read as a page; the saved address too."""
    message = email.message_from_bytes(data, policy=email.policy.compat32)
    for part in message.walk():
        if part.get_content_type() == "text/html":
            break
    else:
        raise CorpusError(name, "no web page (HTML part) found in the MHTML file")
    payload = part.get_payload(decode=True)
    if not isinstance(payload, bytes) or not payload.strip():
        raise CorpusError(name, "the web page in the MHTML file is empty")
    html = None
    if charset := part.get_content_charset():
        try:
            html = payload.decode(codecs.lookup(charset).name)
        except (LookupError, UnicodeDecodeError):
            html = None  # a wrong label: let the page's own declaration or detection decide
    text, metadata = _page_document(html or decode_html(payload, name), name)
    saved_from = message.get("Snapshot-Content-Location") or part.get("Content-Location")
    if saved_from and "source" not in metadata:
        metadata["source"] = str(saved_from).strip()
    return text, metadata


def _page_document(html: str, name: str) -> tuple[str, dict[str, str]]:
    import trafilatura  # slow to import: only when a page is read

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
    guessed = {
        "title": document.title,
        "author": document.author,
        "date": document.date,
        "source": document.url,
        "language": getattr(document, "language", None),
    }
    return normalise_text(document.text), page_metadata(html, guessed)


# Meta tag names (lower case) for each field, best first. A page often states a field in
# several ways; the scholarly and Dublin Core tags are the most deliberate, Open Graph the
# most common. Keys are matched against name=, property= and itemprop=.
_META_RANKS: dict[str, tuple[str, ...]] = {
    "title": ("citation_title", "dc.title dcterms.title", "og:title", "twitter:title"),
    "author": (
        "citation_author",
        "dc.creator dcterms.creator",
        "author article:author",
        "parsely-author sailthru.author byl",
    ),
    "date": (
        "citation_publication_date citation_date",
        "dc.date.issued dcterms.issued citation_online_date",
        "article:published_time datepublished og:published_time",
        "dc.date dcterms.date dcterms.created",
        "date pubdate publish-date publication_date sailthru.date",
    ),
    "source": ("og:url", "citation_public_url citation_abstract_html_url"),
    "language": (
        "citation_language dc.language dcterms.language",
        "content-language",
        "og:locale",
    ),
}
_META_FIELDS = {
    key: (field, rank)
    for field, ranks in _META_RANKS.items()
    for rank, keys in enumerate(ranks)
    for key in keys.split()
}
_AUTHOR_LIST_RANKS = (0, 1)  # citation_author and dc.creator: one tag per author, all kept
_GUESSED_RANK = 50  # trafilatura's findings: after every stated tag
_FALLBACK_RANK = 90  # <title>, lang=, canonical link, the address noted on saving
_SAVED_FROM = re.compile(r"<!--\s*saved from url=\(\d+\)\s*(\S+?)\s*-->", re.IGNORECASE)


class _MetaTags(HTMLParser):
    """Candidate values for each field from the head, each with its rank (lower wins)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.candidates: dict[str, list[tuple[int, str]]] = {}
        self._title: list[str] | None = None  # the text of the <title> being read
        self._title_read = False  # the first <title> only: SVG icons have titles too

    def offer(self, field: str, rank: int, value: str | None) -> None:
        value = " ".join((value or "").split())
        if value:
            self.candidates.setdefault(field, []).append((rank, value))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {key: value or "" for key, value in attrs}
        if tag == "html":
            self.offer("language", _FALLBACK_RANK, values.get("lang") or values.get("xml:lang"))
        elif tag == "title" and not self._title_read:
            self._title = []
        elif tag == "link" and "canonical" in values.get("rel", "").lower().split():
            self.offer("source", 1, values.get("href"))
        elif tag == "meta":
            key = (
                values.get("name")
                or values.get("property")
                or values.get("itemprop")
                or values.get("http-equiv", "")
            ).lower()
            if key not in _META_FIELDS:
                return
            field, rank = _META_FIELDS[key]
            content = values.get("content", "")
            if field == "author":
                if content.startswith(("http://", "https://")):
                    return  # article:author is often a link to a profile page
                content = re.sub(r"^by\s+", "", content.strip(), flags=re.IGNORECASE)
            self.offer(field, rank, content)

    def handle_data(self, data: str) -> None:
        if self._title is not None:
            self._title.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "title" and self._title is not None:
            self.offer("title", _FALLBACK_RANK, "".join(self._title))
            self._title, self._title_read = None, True


def page_metadata(html: str, guessed: dict[str, str | None] | None = None) -> dict[str, str]:
    """Title, author, date, source and language of a page: stated tags first, then what
    was ``guessed`` from the page (by trafilatura), then fallbacks."""
    parser = _MetaTags()
    head_end = html.lower().find("</head>")
    parser.feed(html if head_end < 0 else html[:head_end])
    parser.close()
    for field, value in (guessed or {}).items():
        parser.offer(field, _GUESSED_RANK, value)
    if saved := _SAVED_FROM.search(html[:4096]):
        parser.offer("source", _FALLBACK_RANK, saved.group(1))
    found: dict[str, str] = {}
    for field, candidates in parser.candidates.items():
        best = min(rank for rank, _ in candidates)
        values = [value for rank, value in candidates if rank == best]
        if field == "author" and best in _AUTHOR_LIST_RANKS:
            found[field] = ", ".join(dict.fromkeys(values))
        else:
            found[field] = values[0]
    if "language" in found:
        found["language"] = found["language"].replace("_", "-")  # og:locale says en_GB
    return found
