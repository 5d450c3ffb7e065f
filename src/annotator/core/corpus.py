"""Read files into document texts: encodings, line breaks, HTML main text, metadata.

Every stored text is normalised the same way (``normalise_text``): Unicode NFC, ``\\n`` as
the only line break, no byte-order mark, no trailing whitespace at the end. Span offsets
are code points (Python ``str`` indices) in that NFC text, so a file read twice, or by two
annotators, gives the same text, the same SHA-256 and the same offsets.

Markdown is kept as its source (rendering would move offsets); HTML is reduced to its
article text with trafilatura; Word and PDF files are read by ``annotator.core.readers``
(PDFs keep where each page starts). One bad file never stops an import: ``read_paths``
yields a ``SkippedFile`` with a one-line reason and goes on.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import stat
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from annotator.core.html_pages import html_document, mhtml_document
from annotator.core.json_input import parse_json
from annotator.core.readers import ExtractedText
from annotator.core.readers.pdf import read_pdf
from annotator.core.readers.word import read_docx
from annotator.core.text_decoding import CorpusError, decode_bytes, normalise_text


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
    pages: tuple[int, ...] | None = None  # paginated sources: each page's start in ``text``


@dataclass(frozen=True)
class SkippedFile:
    """A file left out of an import; ``reason`` does not repeat the file name."""

    path: Path
    reason: str

    @property
    def message(self) -> str:
        return f"{self.path.name}: {self.reason}"


HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
MHTML_SUFFIXES = {".mhtml", ".mht"}
SUPPORTED_SUFFIXES = {".txt", ".md", ".markdown", ".docx", ".pdf"} | HTML_SUFFIXES | MHTML_SUFFIXES
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
_UNSUPPORTED = "not a supported document type (.txt, .md, .html, .docx, .pdf)"
# "Save Page As…, complete" puts a page's images, styles and frames in NAME_files beside
# NAME.html: parts of the page, not documents.
_SAVED_PAGE_FILES = "_files"


def text_sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


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
    extracted = _extract(_read_bytes(path), suffix, path.name)
    fields = {"title": readable_title(path)} | clean_metadata(extracted.metadata)
    fields |= clean_metadata(metadata or {})
    text = extracted.text
    return SourceText(
        path=path, text=text, sha256=text_sha256(text), pages=extracted.pages, **fields
    )


def _extract(data: bytes, suffix: str, name: str) -> ExtractedText:
    if suffix == ".docx":
        return read_docx(data, name)
    if suffix == ".pdf":
        return read_pdf(data, name)
    if suffix in HTML_SUFFIXES:
        text, own = html_document(data, name)
    elif suffix in MHTML_SUFFIXES:
        text, own = mhtml_document(data, name)
    else:
        text = normalise_text(decode_bytes(data, name=name))
        text, own = _markdown_document(text) if suffix in (".md", ".markdown") else (text, {})
    if not text.strip():
        reason = "the file is empty" if not data.strip() else "no text besides its front matter"
        raise CorpusError(name, reason)
    return ExtractedText(text=text, metadata=own)


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


# --- many files ------------------------------------------------------------------------


# What another importer makes of a file found in a folder: None, nothing (it is no file of
# theirs); "" it takes the file; else why the file is not taken from a folder.
OtherImporters = Callable[[Path], str | None]


def read_paths(
    paths: Iterable[Path], *, others: OtherImporters | None = None
) -> Iterator[SourceText | SkippedFile]:
    """Read files and folders (recursively, in sorted order); never raises for one file.

    In folders, hidden entries, metadata files, files taken by ``others`` (an annotation set,
    say) and the ``NAME_files`` folder that a browser saves beside ``NAME.html`` are passed
    over silently; any other file is reported as skipped, with the reason, so nothing is left
    out unsaid. Metadata comes from a
    ``manifest.json`` in the file's folder or above (``{"documents": {"a/b.txt": {...}}}``,
    names relative to the manifest) and from a sidecar ``NAME.EXT.meta.json``; the nearer
    manifest wins, the sidecar wins over both. A broken manifest or sidecar is reported as
    a ``SkippedFile`` and its files are still read, without that metadata.
    """
    reader = _FolderReader(others or (lambda _path: None))
    for path in paths:
        path = Path(path)
        if path.is_dir():
            yield from reader.folder(path, path)
        elif path.exists() or path.is_symlink():
            yield from reader.file(path, path.parent, explicit=True)
        else:
            yield SkippedFile(path, "no such file or folder")


class _FolderReader:
    def __init__(self, others: OtherImporters) -> None:
        self._others = others
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
        names = {entry.name.casefold() for entry in entries}
        for entry in entries:
            if entry.name.startswith(".") or _is_saved_page_folder(entry, names):
                continue
            if entry.is_dir():
                yield from self.folder(entry, root)
            elif entry.suffix.lower() in SUPPORTED_SUFFIXES:
                yield from self.file(entry, root, explicit=False)
            elif entry.name != MANIFEST_NAME and not entry.name.endswith(SIDECAR_SUFFIX):
                reason = self._others(entry)
                if reason != "":
                    yield SkippedFile(entry, reason or _UNSUPPORTED)

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


def _is_saved_page_folder(entry: Path, sibling_names: set[str]) -> bool:
    name = entry.name.casefold()
    if not name.endswith(_SAVED_PAGE_FILES) or not entry.is_dir():
        return False
    page = name.removesuffix(_SAVED_PAGE_FILES)
    return any(page + suffix in sibling_names for suffix in HTML_SUFFIXES | MHTML_SUFFIXES)


def _load_json(path: Path) -> object:
    """JSON as people save it: UTF-8 with a BOM from Notepad, UTF-16 from PowerShell..."""
    try:
        return parse_json(decode_bytes(path.read_bytes(), name=path.name))
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
