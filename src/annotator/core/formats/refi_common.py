"""What the REFI-QDA (QDA-XML) reader and writers share: namespaces, GUIDs, colours, times, and
safe reading of files from elsewhere.

A ``.qdpx`` is a zip archive from another program. It is never extracted: the members we need
are read into memory through byte limits, after their names, declared sizes and compression
ratios have been checked, and XML is parsed without DTDs, entities or network access. Every
refusal is a FormatError with one line naming the file and the problem.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType

from lxml import etree

from annotator.core.formats import FormatError
from annotator.core.model import derived_id

PROJECT_NS = "urn:QDA-XML:project:1.0"
CODEBOOK_NS = "urn:QDA-XML:codebook:1.0"
ORIGIN = "Annotator"
PROJECT_MEMBER = "project.qde"
SOURCES_FOLDER = "sources/"
INTERNAL = "internal://"

# Limits on what one archive may make us read (docs/refi-qda.md). Real exports are far below
# them: a project.qde of 100,000 codings is about 50 MB; texts and XML both compress about 4 to
# 6 times (GUIDs do not compress). So a small archive cannot make us parse a huge tree: 5 MB
# unpack to 250 MB at most.
MAX_MEMBERS = 100_000
MAX_XML_BYTES = 256 * 2**20  # about 500,000 codings
MAX_TEXT_BYTES = 64 * 2**20  # as for a document file (corpus.MAX_FILE_BYTES)
MAX_TOTAL_BYTES = 2 * 2**30  # of every member read from one archive
MAX_RATIO = 50  # uncompressed / compressed size, checked for members above RATIO_FLOOR
RATIO_FLOOR = 2**20
_CHUNK = 2**20

# Document metadata travels as text variables of the sources (MAXQDA's document variables).
VARIABLES = {f: derived_id("refi-variable", f) for f in ("author", "date", "source", "language")}

_GUID = re.compile(
    r"\{?([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})\}?"
)
_OUR_STAMP = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z")
_COLOUR = re.compile(r"#?([0-9a-fA-F]{6}|[0-9a-fA-F]{3})")
_DRIVE = re.compile(r"^[A-Za-z]:")
# Characters XML 1.0 cannot carry at all (C0 controls but tab and line breaks; non-characters).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_safe(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)


# -- values ----------------------------------------------------------------------------------


def canonical_guid(value: str | None) -> str | None:
    """A GUID as we store ids: lower case, no braces; None when it is not a GUID."""
    if value is None:
        return None
    found = _GUID.fullmatch(value.strip())
    return found.group(1).lower() if found else None


def guid_or_derived(value: str | None, fallback: str) -> str:
    """The element's GUID, or a stable id derived from where it was (imports stay idempotent)."""
    return canonical_guid(value) or derived_id("refi-guid", f"{value}:{fallback}")


def note_guid(owner_id: str) -> str:
    """The Note holding a span's, stance's or link's note."""
    return derived_id("refi-note", owner_id)


def actor_coding_guid(stance_id: str) -> str:
    """The coding that names a stance's actor: the importer pairs the two by it."""
    return derived_id("refi-actor-coding", stance_id)


def colour(value: str | None) -> str | None:
    """``#rrggbb`` (lower case) from ``#RGB``, ``#RRGGBB`` or either without ``#``."""
    if not value:
        return None
    found = _COLOUR.fullmatch(value.strip())
    if found is None:
        return None
    digits = found.group(1).lower()
    return "#" + ("".join(c * 2 for c in digits) if len(digits) == 3 else digits)


def stamp(value: str | None) -> str | None:
    """An xsd:dateTime as our stamps are written (UTC, milliseconds, ``Z``); None if unreadable.

    A time without a zone is taken as UTC, as REFI-QDA exports in the wild mean it.
    """
    if not value:
        return None
    if _OUR_STAMP.fullmatch(value):
        return value
    try:
        moment = datetime.fromisoformat(value.strip().replace("z", "Z"))
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def polarity_name(polarity: int, label: str) -> str:
    """The code that stands for one polarity: ``-2 strongly against``, ``0 neutral``, ``+1 ...``."""
    number = f"{polarity:+d}" if polarity else "0"
    return f"{number} {label}".strip()


_POLARITY = re.compile(r"\s*([+\-\u2212]?\d{1,3})(?:\s+(.*?))?\s*")


def parse_polarity_name(name: str) -> tuple[int, str] | None:
    found = _POLARITY.fullmatch(name)
    if found is None:
        return None
    return int(found.group(1).replace("\u2212", "-")), found.group(2) or ""


# -- XML -------------------------------------------------------------------------------------


def local(element: etree._Element) -> str:
    """An element's name without its namespace: tools differ in how they declare it."""
    tag = element.tag
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def children(element: etree._Element | None, name: str) -> Iterator[etree._Element]:
    if element is None:
        return
    for item in element:
        if local(item) == name:
            yield item


def elements(element: etree._Element | None) -> list[etree._Element]:
    """The child elements (an lxml element's truth value is not whether it exists)."""
    return [] if element is None else [item for item in element if isinstance(item.tag, str)]


def grouped(element: etree._Element) -> dict[str, list[etree._Element]]:
    """An element's children by name, each list in document order: one pass for all names."""
    groups: dict[str, list[etree._Element]] = {}
    for item in element:
        tag = item.tag
        if isinstance(tag, str):
            groups.setdefault(tag[tag.rfind("}") + 1 :], []).append(item)
    return groups


def child(element: etree._Element | None, name: str) -> etree._Element | None:
    return next(children(element, name), None)


def child_text(element: etree._Element | None, name: str) -> str | None:
    found = child(element, name)
    return found.text if found is not None else None


def _parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )


_DTD_MARKERS = (b"<!DOCTYPE", "<!DOCTYPE".encode("utf-16-le"), "<!DOCTYPE".encode("utf-16-be"))


def parse_xml(data: bytes, where: str) -> etree._Element:
    """The root of an XML document; DTDs (and so entities) are refused, not just ignored."""
    try:
        root = etree.fromstring(data, _parser())
    except etree.XMLSyntaxError as error:
        if any(marker in data[:65536] for marker in _DTD_MARKERS):
            raise FormatError(f"{where}: declares a DTD or entities, which are refused") from None
        raise FormatError(f"{where}: not well-formed XML ({_first_line(error)})") from None
    docinfo = root.getroottree().docinfo
    if docinfo.doctype or docinfo.internalDTD is not None:
        raise FormatError(f"{where}: declares a DTD or entities, which are refused")
    return root


def _first_line(error: Exception) -> str:
    return str(error).splitlines()[0] if str(error) else type(error).__name__


def read_xml_file(path: Path, limit: int = MAX_XML_BYTES) -> etree._Element:
    """A plain XML file (a ``.qdc``), refused when larger than ``limit``."""
    try:
        with path.open("rb") as handle:
            data = handle.read(limit + 1)
    except OSError as error:
        raise FormatError(f"{path.name}: cannot read ({error.strerror})") from error
    if len(data) > limit:
        raise FormatError(f"{path.name}: larger than {limit // 2**20} MB; refused")
    return parse_xml(data, path.name)


# -- archives --------------------------------------------------------------------------------


def safe_member_name(name: str) -> bool:
    """A relative path that stays inside the archive, written with ``/``."""
    if not name or "\\" in name or "\x00" in name or name.startswith("/") or _DRIVE.match(name):
        return False
    return ".." not in name.split("/")


class Archive:
    """A zip archive from elsewhere, read member by member into memory, within limits."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.read_so_far = 0
        try:
            self.zip = zipfile.ZipFile(path)
        except zipfile.BadZipFile:
            raise FormatError(f"{path.name}: not a zip archive (a .qdpx is one)") from None
        except OSError as error:
            raise FormatError(f"{path.name}: cannot read ({error.strerror})") from error
        try:
            self.members = self._check_members()
        except BaseException:
            self.zip.close()
            raise

    def _check_members(self) -> dict[str, zipfile.ZipInfo]:
        infos = self.zip.infolist()
        if len(infos) > MAX_MEMBERS:
            raise FormatError(f"{self.path.name}: {len(infos)} files inside; refused")
        members: dict[str, zipfile.ZipInfo] = {}
        for info in infos:
            if not safe_member_name(info.filename):
                raise FormatError(
                    f"{self.path.name}: unsafe file name inside the archive: {info.filename!r}"
                )
            members[info.filename] = info
        return members

    def __enter__(self) -> Archive:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.zip.close()

    def find(self, name: str) -> str | None:
        """The member called ``name``, matched without regard to case as Windows tools write."""
        if name in self.members:
            return name
        folded = name.casefold()
        return next((m for m in self.members if m.casefold() == folded), None)

    def read(self, name: str, limit: int) -> bytes:
        """A member's bytes; refused when its declared or actual size, or its compression
        ratio, is beyond the limits."""
        info = self.members[name]
        where = f"{self.path.name}: {name}"
        if info.flag_bits & 0x1:
            raise FormatError(f"{where} is encrypted; refused")
        if info.file_size > limit or self.read_so_far + info.file_size > MAX_TOTAL_BYTES:
            raise FormatError(f"{where} declares {info.file_size} bytes, beyond the limit")
        if info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise FormatError(
                f"{where} is compressed {info.file_size // max(info.compress_size, 1)} to 1 "
                "(a zip bomb?); refused"
            )
        chunks: list[bytes] = []
        size = 0
        try:
            with self.zip.open(info) as member:
                while chunk := member.read(_CHUNK):
                    size += len(chunk)
                    if size > info.file_size or size > limit:
                        raise FormatError(f"{where} is larger than it declares; refused")
                    chunks.append(chunk)
        # zipfile raises NotImplementedError for a compression method it does not know
        except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, NotImplementedError) as error:
            raise FormatError(f"{where} cannot be read ({_first_line(error)})") from None
        except OSError as error:
            raise FormatError(f"{where} cannot be read ({error.strerror or error})") from None
        self.read_so_far += size
        return b"".join(chunks)


def internal_member(path: str, where: str) -> str | None:
    """The archive member of an ``internal://`` path; None for a text kept outside the archive
    (``relative://``, ``absolute://`` or anything else), which is never read. An internal path
    that climbs out of the archive is refused: no honest program writes one."""
    if not path.startswith(INTERNAL):
        return None
    relative = path[len(INTERNAL) :]
    if not safe_member_name(relative):
        raise FormatError(f"{where}: unsafe text path {path!r}; refused")
    return SOURCES_FOLDER + relative


def unmapped_lines(counts: dict[str, int]) -> list[str]:
    """One line per kind of thing a file held that the project cannot carry, with its count."""
    return [f"{what}: {n}" for what, n in counts.items() if n]
