"""Read files into document texts: encodings, line breaks, HTML main text, metadata.

Every stored text is normalised the same way (``normalise_text``): Unicode NFC, ``\\n`` as
the only line break, no byte-order mark, no trailing whitespace at the end. Span offsets
are code points (Python ``str`` indices) in that NFC text, so a file read twice, or by two
annotators, gives the same text, the same SHA-256 and the same offsets.

Markdown is kept as its source (rendering would move offsets); HTML is reduced to its
article text with trafilatura. One bad file never stops an import: ``read_paths`` yields
a ``SkippedFile`` with a one-line reason and goes on.
"""

from __future__ import annotations

import codecs
import datetime as dt
import hashlib
import json
import re
import stat
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import ClassVar


class CorpusError(Exception):
    """One file cannot be read; str(e) is a one-line, user-facing reason naming the file."""

    def __init__(self, name: str, reason: str) -> None:
        super().__init__(f"{name}: {reason}")
        self.name = name
        self.reason = reason

    def __reduce__(self) -> tuple[type[CorpusError], tuple[str, str]]:
        return CorpusError, (self.name, self.reason)  # picklable, for worker processes


@dataclass(frozen=True)
class SourceText:
    path: Path
    title: str
    text: str  # normalised: NFC, only "\n" line breaks
    sha256: str  # hex sha256 of text encoded UTF-8
    author: str | None = None
    date: str | None = None  # ISO date "YYYY-MM-DD" when it can be parsed, else as given
    source: str | None = None  # URL or origin
    language: str | None = None


@dataclass(frozen=True)
class SkippedFile:
    """A file left out of an import; ``reason`` does not repeat the file name."""

    path: Path
    reason: str

    @property
    def message(self) -> str:
        return f"{self.path.name}: {self.reason}"


SUPPORTED_SUFFIXES = {".txt", ".md", ".markdown", ".html", ".htm"}
MAX_FILE_BYTES = 64 * 1024 * 1024

METADATA_FIELDS = ("title", "author", "date", "source", "language")
_FIELD_ALIASES = {
    "authors": "author", "by": "author",
    "published": "date", "published_at": "date", "created": "date",
    "url": "source", "link": "source", "origin": "source",
    "lang": "language",
}  # fmt: skip
MANIFEST_NAME = "manifest.json"
SIDECAR_SUFFIX = ".meta.json"
_UNSUPPORTED = "not a supported document type (.txt, .md, .html)"
_BINARY = "looks like a binary file, not text"


# --- text ------------------------------------------------------------------------------


_LINE_BREAKS = re.compile("\r\n?|[\u0085\u2028\u2029]")


def normalise_text(raw: str) -> str:
    """NFC, ``\\n`` line breaks, no leading BOM, no trailing whitespace; all else kept.

    NEL, LINE SEPARATOR and PARAGRAPH SEPARATOR also become ``\\n``: Qt breaks lines at
    them too, and one kind of line break keeps offsets the same on both sides.
    """
    text = _LINE_BREAKS.sub("\n", raw.lstrip("\ufeff"))
    return unicodedata.normalize("NFC", text).rstrip()


def text_sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# --- decoding --------------------------------------------------------------------------

_BOMS = (  # UTF-32 first: its little-endian BOM starts with UTF-16's
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_CONTROL_CHARS = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")
_SAMPLE_CHARS = 65536  # enough text to spot binary data
_SCORED_CHARS = 16384  # enough text to judge an encoding
_MAX_CONTROL_SHARE = 0.01
_CHAOS_TIE = 0.05  # charset-normalizer "mess" scores closer than this cannot be told apart
# Western European, Cyrillic and Central European code pages (latin-1 is cp1252 minus its
# C1 gap): what analysts' legacy files are in. Always tried; they win ties in this order.
_PREFERRED_LEGACY = ("cp1252", "latin_1", "cp1251", "koi8_r", "cp1250")
# Non-ASCII letters of the Latin-script languages that 8-bit files are likely to be in.
_LATIN_ALPHABETS = (
    "àâæçéèêëîïôœùûüÿ",  # French
    "äöüßé",  # German
    "áéíñóúü",  # Spanish
    "àáâãçéêíóôõú",  # Portuguese
    "àèéìíîòóùçïü·",  # Italian, Catalan
    "áäéëíïóöúüè",  # Dutch
    "åæøäöé",  # Danish, Norwegian, Swedish, Finnish
    "áðéíóúýþæö",  # Icelandic
    "áčďéěíňóřšťúůýžäĺľŕô",  # Czech, Slovak
    "ąćęłńóśźż",  # Polish
    "áéíóöőúüű",  # Hungarian
    "ăâîșțşţ",  # Romanian
    "čćđšž",  # Croatian, Slovene
    "çğıöşüâîû",  # Turkish
    "āčēģīķļņšūžąėįųäõöü",  # Baltic
)
# Scripts that share words: Japanese mixes kanji and kana, Korean hangul and hanja.
_SCRIPT_GROUPS = dict.fromkeys(
    ("HIRAGANA", "KATAKANA", "HANGUL", "IDEOGRAPHIC", "FULLWIDTH"), "CJK"
)


def decode_bytes(data: bytes, *, name: str) -> str:
    """Decode a file's bytes: BOM, then strict UTF-8, then detection. Raises CorpusError."""
    text = _decode_with_bom(data, name)
    if text is None:
        if b"\x00" in data:  # no 8-bit text has NULs: UTF-16 without a BOM, or binary
            text = _decode_bomless_utf16(data)
            if text is None:
                raise CorpusError(name, _BINARY)
        else:
            text = _decode_utf8(data)
        if text is None:
            text = _decode_legacy(data, name)
    if not _looks_like_text(text):
        raise CorpusError(name, _BINARY)
    return text


def _decode_with_bom(data: bytes, name: str) -> str | None:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(encoding)
            except UnicodeDecodeError:
                raise CorpusError(name, f"not valid {encoding.upper()} despite its BOM") from None
    return None


def _decode_utf8(data: bytes) -> str | None:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None


def _decode_bomless_utf16(data: bytes) -> str | None:
    """UTF-16 text has zeros in one byte of each pair (ASCII, spaces); binary has both."""
    if len(data) % 2:
        return None
    even_zeros, odd_zeros = data[0::2].count(0), data[1::2].count(0)
    pairs = len(data) // 2
    for zeros, others, encoding in (
        (odd_zeros, even_zeros, "utf-16-le"),
        (even_zeros, odd_zeros, "utf-16-be"),
    ):
        if zeros >= pairs // 20 and others * 20 <= zeros:
            try:
                return data.decode(encoding)
            except UnicodeDecodeError:
                return None
    return None


def _decode_legacy(data: bytes, name: str) -> str:
    """An 8-bit (or East Asian) encoding: charset-normalizer's picks, checked for sense.

    charset-normalizer often rates several encodings equally (short texts, or letters that
    many code pages share), and its first pick can then be wrong: cp1250 for French ("trčs"
    for "très"), Shift-JIS for upper-case Russian, Big5 for "Москва". So its tied picks and
    the preferred code pages are decoded, and the one with the fewest implausible words
    wins; ties go to the preferred code pages, in order.
    """
    candidates = list(dict.fromkeys([*_PREFERRED_LEGACY, *_detected_encodings(data)]))
    sample = data[: _SCORED_CHARS * 4]
    errors = "strict" if len(sample) == len(data) else "ignore"  # a cut may split a char
    ranked: list[tuple[int, int, str]] = []
    for rank, encoding in enumerate(candidates):
        try:
            text = sample.decode(encoding, errors)
        except UnicodeDecodeError:
            continue
        ranked.append((_implausibility(text), rank, encoding))
    for *_, encoding in sorted(ranked):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise CorpusError(name, "cannot tell how the text is encoded (not UTF-8 or UTF-16)")


def _detected_encodings(data: bytes) -> list[str]:
    """charset-normalizer's picks that it cannot tell apart from its best one."""
    from charset_normalizer import from_bytes

    matches = list(from_bytes(data))
    best_chaos = min((match.chaos for match in matches), default=0.0)
    return [match.encoding for match in matches if match.chaos <= best_chaos + _CHAOS_TIE]


def _looks_like_text(text: str) -> bool:
    sample = text[:_SAMPLE_CHARS]
    return len(_CONTROL_CHARS.findall(sample)) <= _MAX_CONTROL_SHARE * len(sample)


_WORD = re.compile(r"\w+")
# Decoded into these, 8-bit text is almost surely mojibake: combining accents (cp1258 turns
# "ì" into "i" + U+0301), box drawing and maths (DOS code pages, Shift-JIS read as KOI8-R).
_ODD_CHARS = re.compile("[\u0300-\u036f\u2200-\u22ff\u2500-\u259f]")


def _implausibility(text: str) -> int:
    """How unlike real writing a decoding looks: mojibake gives itself away in its words,
    and in Latin letters that no one language uses together ("trčs": cp1250 for French)."""
    sample = text[:_SCORED_CHARS]
    penalty = 10 * len(_CONTROL_CHARS.findall(sample)) + len(_ODD_CHARS.findall(sample))
    latin_letters: set[str] = set()
    for word in _WORD.findall(sample):
        if not word.isascii():
            penalty += _word_implausibility(word, latin_letters)
    return penalty + min(len(latin_letters - set(alphabet)) for alphabet in _LATIN_ALPHABETS)


def _word_implausibility(word: str, latin_letters: set[str]) -> int:
    scripts: set[str] = set()
    penalty = non_ascii_letters = 0
    previous_lower = False
    for char in word:
        if not char.isalpha():
            penalty += 0 if char.isascii() else 2  # "czy³": a superscript inside a word
            previous_lower = False
            continue
        script = unicodedata.name(char, "UNKNOWN").split(" ", 1)[0]
        scripts.add(_SCRIPT_GROUPS.get(script, script))
        if not char.isascii():
            non_ascii_letters += 1
            if script == "LATIN":
                latin_letters.add(char.lower())
            elif script == "HALFWIDTH":
                penalty += 1
        if char.isupper() and previous_lower:
            penalty += 1  # "оТВЕТ": KOI8-R read as cp1251 and the like
        previous_lower = char.islower()
    if len(scripts - {"UNKNOWN"}) > 1:
        penalty += len(word)  # "Franзais": Latin and Cyrillic in one word
    if scripts == {"LATIN"} and non_ascii_letters >= 3 and 2 * non_ascii_letters > len(word):
        penalty += non_ascii_letters  # "ÇÀßÂËÅÍÈÅ": Cyrillic or Greek read as cp1252
    return penalty


# --- metadata --------------------------------------------------------------------------

_MONTHS = {
    name: number
    for number, names in enumerate(
        ("january jan", "february feb", "march mar", "april apr", "may", "june jun",
         "july jul", "august aug", "september sep sept", "october oct",
         "november nov", "december dec"),
        start=1,
    )
    for name in names.split()
}  # fmt: skip
_YMD = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?![\d])")
_DMY = re.compile(r"(\d{1,2})[./](\d{1,2})[./](\d{4})$")
_DAY_MONTH_YEAR = re.compile(r"(\d{1,2})(?:st|nd|rd|th)?\s+([a-z]+)\.?,?\s+(\d{4})$")
_MONTH_DAY_YEAR = re.compile(r"([a-z]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})$")


def iso_date(value: str) -> str:
    """``YYYY-MM-DD`` for the common ways of writing a date, else the value as given.

    Handles ISO dates and timestamps, ``20.05.2025`` (day first, as in Europe), slashed
    dates only when unambiguous, and English month names; no locale is consulted.
    """
    text = value.strip()
    lowered = text.lower()
    if match := _YMD.match(lowered):
        year, month, day = match.groups()
    elif match := _DMY.match(lowered):
        day, month, year = match.groups()
        if "/" in lowered and int(day) <= 12 and int(month) <= 12 and day != month:
            return text  # 05/06/2025: June or May? Leave it to a person.
        if "/" in lowered and int(month) > 12:
            day, month = month, day  # 05/20/2025 can only be American
    elif match := _DAY_MONTH_YEAR.match(lowered):
        day, month, year = match.group(1), str(_MONTHS.get(match.group(2), 0)), match.group(3)
    elif match := _MONTH_DAY_YEAR.match(lowered):
        month, day, year = str(_MONTHS.get(match.group(1), 0)), match.group(2), match.group(3)
    else:
        return text
    try:
        return dt.date(int(year), int(month), int(day)).isoformat()
    except ValueError:
        return text


def clean_metadata(raw: Mapping[str, object]) -> dict[str, str]:
    """Known fields only (aliases such as ``url`` and ``lang`` mapped), text values, ISO dates."""
    cleaned: dict[str, str] = {}
    for key, value in raw.items():
        field = _FIELD_ALIASES.get(key.strip().lower(), key.strip().lower())
        if field not in METADATA_FIELDS or value is None:
            continue
        if isinstance(value, list):  # "authors": ["A", "B"]
            value = ", ".join(str(item) for item in value)
        text = " ".join(str(value).split())
        if text:
            cleaned[field] = iso_date(text) if field == "date" else text
    return cleaned


def readable_title(path: Path) -> str:
    """A title from a file name: ``ratelle_interview-2025.txt`` -> ``ratelle interview 2025``."""
    return " ".join(re.sub(r"[_-]+", " ", path.stem).split()) or path.name


# --- one file --------------------------------------------------------------------------


def read_file(path: Path, metadata: Mapping[str, str] | None = None) -> SourceText:
    """Read one document. ``metadata`` (from a manifest) wins over the file's own."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise CorpusError(path.name, _UNSUPPORTED)
    data = _read_bytes(path)
    if suffix in (".html", ".htm"):
        text, own = _html_document(data, path.name)
    else:
        text = normalise_text(decode_bytes(data, name=path.name))
        text, own = _markdown_document(text) if suffix in (".md", ".markdown") else (text, {})
    if not text.strip():
        reason = "the file is empty" if not data.strip() else "no text besides its front matter"
        raise CorpusError(path.name, reason)
    fields = {"title": readable_title(path)} | clean_metadata(own)
    fields |= clean_metadata(metadata or {})
    return SourceText(path=path, text=text, sha256=text_sha256(text), **fields)


def _read_bytes(path: Path) -> bytes:
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            raise CorpusError(path.name, "not a regular file")
        if info.st_size > MAX_FILE_BYTES:  # checked before reading: it may not fit in memory
            raise CorpusError(
                path.name,
                f"the file is too large ({info.st_size / 2**20:.0f} MB; "
                f"the limit is {MAX_FILE_BYTES / 2**20:.0f} MB)",
            )
        data = path.read_bytes()
    except FileNotFoundError:
        raise CorpusError(path.name, "no such file") from None
    except PermissionError:
        raise CorpusError(path.name, "cannot be read (permission denied)") from None
    except OSError as error:
        raise CorpusError(path.name, f"cannot be read ({error.strerror or error})") from None
    if not data:
        raise CorpusError(path.name, "the file is empty")
    return data


_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?)\n(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.DOTALL)
_FRONT_MATTER_LINE = re.compile(r"([A-Za-z_][\w-]*)[ \t]*:[ \t]*(.*)")
_ATX_TITLE = re.compile(r"^#[ \t]+(.+?)(?:[ \t]+#+)?[ \t]*$", re.MULTILINE)


def _markdown_document(text: str) -> tuple[str, dict[str, str]]:
    """Front matter (simple ``key: value`` lines) is metadata, removed from the text; the
    Markdown source is kept as it is, so offsets are offsets into what the file says."""
    metadata: dict[str, str] = {}
    if match := _FRONT_MATTER.match(text):
        for line in match.group(1).splitlines():
            if field := _FRONT_MATTER_LINE.fullmatch(line.strip()):
                key, value = field.groups()
                value = value.strip()
                if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
                    value = value[1:-1]
                metadata[key.lower()] = value
        text = text[match.end() :].lstrip("\n")
    if "title" not in metadata and (heading := _ATX_TITLE.search(text)):
        metadata["title"] = heading.group(1)
    return text, metadata


# --- HTML ------------------------------------------------------------------------------

_DECLARED_CHARSET = re.compile(
    rb"""<meta[^>]*?charset\s*=\s*["']?\s*([\w.:-]+)|<\?xml[^>]*?encoding\s*=\s*["']([\w.:-]+)""",
    re.IGNORECASE,
)


def _decode_html(data: bytes, name: str) -> str:
    """A BOM first, then the page's own ``<meta charset>``, then detection."""
    if not any(data.startswith(bom) for bom, _ in _BOMS) and (
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
                if _looks_like_text(text):
                    return text
    return decode_bytes(data, name=name)


def _html_document(data: bytes, name: str) -> tuple[str, dict[str, str]]:
    """The article text (trafilatura drops navigation, ads, cookie banners...) and metadata."""
    import trafilatura  # slow to import: only when a page is read

    html = _decode_html(data, name)
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


# --- many files ------------------------------------------------------------------------


def read_paths(paths: Iterable[Path]) -> Iterator[SourceText | SkippedFile]:
    """Read files and folders (recursively, in sorted order); never raises for one file.

    In folders, hidden entries and files of other types (JSON included) are passed over
    silently; a file named explicitly but not readable is reported. Metadata comes from a
    ``manifest.json`` in the file's folder or above (``{"documents": {"a/b.txt": {...}}}``,
    names relative to the manifest) and from a sidecar ``NAME.EXT.meta.json``; the nearer
    manifest wins, the sidecar wins over both. A broken manifest or sidecar is reported as
    a ``SkippedFile`` and its files are still read, without that metadata.
    """
    reader = _FolderReader()
    for path in paths:
        path = Path(path)
        if path.is_dir():
            yield from reader.folder(path, path)
        elif path.exists() or path.is_symlink():
            yield from reader.file(path, path.parent, explicit=True)
        else:
            yield SkippedFile(path, "no such file or folder")


class _FolderReader:
    def __init__(self) -> None:
        self._manifests: dict[Path, dict[str, dict[str, str]]] = {}
        self._seen: set[Path] = set()  # resolved files and folders: each is read once

    def folder(self, folder: Path, root: Path) -> Iterator[SourceText | SkippedFile]:
        if folder.resolve() in self._seen:  # named twice, or a symbolic link in a loop
            return
        self._seen.add(folder.resolve())
        yield from self._load_manifest(folder)
        try:
            entries = sorted(
                folder.iterdir(), key=lambda entry: (entry.name.casefold(), entry.name)
            )
        except OSError as error:
            yield SkippedFile(folder, f"cannot open the folder ({error.strerror or error})")
            return
        for entry in entries:
            if entry.name.startswith("."):
                continue
            if entry.is_dir():
                yield from self.folder(entry, root)
            elif entry.suffix.lower() in SUPPORTED_SUFFIXES:
                yield from self.file(entry, root, explicit=False)

    def file(self, path: Path, root: Path, *, explicit: bool) -> Iterator[SourceText | SkippedFile]:
        resolved = path.resolve()
        if resolved in self._seen:  # named twice, or inside a folder also named
            return
        self._seen.add(resolved)
        if explicit:
            yield from self._load_manifest(path.parent)
        metadata: dict[str, str] = {}
        folders = [path.parent, *path.parent.parents]
        for folder in reversed(folders[: folders.index(root) + 1]):  # nearer manifests win
            entries = self._manifests.get(folder, {})
            metadata |= entries.get(path.relative_to(folder).as_posix(), {})
        sidecar = path.with_name(path.name + SIDECAR_SUFFIX)
        if sidecar.is_file():
            try:
                metadata |= _metadata_object(_load_json(sidecar), sidecar.name, "this file")
            except CorpusError as error:
                yield SkippedFile(sidecar, error.reason)
        try:
            yield read_file(path, metadata)
        except CorpusError as error:
            yield SkippedFile(path, error.reason)

    def _load_manifest(self, folder: Path) -> Iterator[SkippedFile]:
        manifest = folder / MANIFEST_NAME
        if folder in self._manifests or not manifest.is_file():
            return
        self._manifests[folder] = {}
        try:
            self._manifests[folder] = _parse_manifest(_load_json(manifest))
        except CorpusError as error:
            yield SkippedFile(manifest, error.reason)


def _load_json(path: Path) -> object:
    """JSON as people save it: UTF-8 with a BOM from Notepad, UTF-16 from PowerShell..."""
    try:
        return json.loads(decode_bytes(path.read_bytes(), name=path.name))
    except OSError as error:
        raise CorpusError(path.name, f"cannot be read ({error.strerror or error})") from None
    except ValueError as error:
        raise CorpusError(path.name, f"not valid JSON ({error})") from None


def _parse_manifest(data: object) -> dict[str, dict[str, str]]:
    documents = data.get("documents") if isinstance(data, dict) else None
    if not isinstance(documents, dict):
        raise CorpusError(MANIFEST_NAME, 'expected {"documents": {"file name": {...}}}')
    return {
        name.replace("\\", "/").removeprefix("./"): _metadata_object(entry, MANIFEST_NAME, name)
        for name, entry in documents.items()
    }


def _metadata_object(entry: object, source: str, what: str) -> dict[str, str]:
    if not isinstance(entry, dict) or not all(
        value is None or isinstance(value, str | int | float | list) for value in entry.values()
    ):
        raise CorpusError(source, f"the metadata for {what} is not an object of texts")
    return clean_metadata(entry)
