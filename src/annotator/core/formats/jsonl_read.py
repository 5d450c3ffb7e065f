"""Parse an annotation set before anything is written: bad JSON refuses the whole file."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from annotator.core.formats import FormatError
from annotator.core.formats.jsonl_export import FORMAT, VERSION
from annotator.core.json_input import parse_json

KINDS = ("annotator", "document", "tag", "target", "actor", "span", "stance", "link")
MAX_SET_BYTES = 2 * 1024**3


@dataclass
class ParsedSet:
    """The lines of a set by kind, each kept with where it is for reports: its line number
    (0: no line of its own) or, in a format without lines, words such as "annotation 4"."""

    name: str
    header: dict[str, Any] = field(default_factory=dict)
    lines: dict[str, list[tuple[int | str, dict[str, Any]]]] = field(
        default_factory=lambda: {kind: [] for kind in KINDS}
    )
    unmapped: list[str] = field(default_factory=list)  # what a foreign format could not carry over
    ids_carried: bool = True  # False: the reader derived the ids (the format has none)
    # Documents the reader made up from what annotations name (a URL, a title): one not in the
    # project is reported where each annotation names it, not as an entry of its own.
    implied_documents: set[str] = field(default_factory=set)

    def count(self) -> int:
        return sum(len(v) for v in self.lines.values())

    def where(self, place: int | str) -> str:
        """``place`` as a report names it: "set.jsonl line 3", "hyp.json annotation 4"."""
        if isinstance(place, str):
            return f"{self.name} {place}"
        return f"{self.name} line {place}" if place else self.name


def parse_lines(lines: Iterable[str], name: str) -> ParsedSet:
    parsed = ParsedSet(name)
    for number, raw in enumerate(lines, start=1):
        text = raw.strip()
        if number == 1:
            text = text.lstrip("\ufeff")
        if not text or text.startswith("//"):
            continue
        try:
            obj = parse_json(text)
        except ValueError as error:
            raise FormatError(f"{name} line {number}: not valid JSON ({error})") from None
        if not isinstance(obj, dict):
            raise FormatError(f"{name} line {number}: expected a JSON object")
        kind = obj.get("kind")
        if kind == "set":
            _check_header(obj, name, number)
            parsed.header = obj
        elif kind in KINDS:
            parsed.lines[kind].append((number, obj))
        else:
            raise FormatError(
                f"{name} line {number}: unknown kind {kind!r} (expected one of {', '.join(KINDS)})"
            )
    return parsed


def _check_header(obj: dict[str, Any], name: str, number: int) -> None:
    if obj.get("format", FORMAT) != FORMAT:
        raise FormatError(f"{name} line {number}: not an annotation set ({obj.get('format')!r})")
    version = obj.get("version", VERSION)
    if not isinstance(version, int) or version > VERSION:
        raise FormatError(
            f"{name}: written by a newer Annotator (set version {version}; this version reads "
            f"up to {VERSION}); update Annotator to import it"
        )


def read_set(path: Path) -> ParsedSet:
    try:
        if path.stat().st_size > MAX_SET_BYTES:
            raise FormatError(f"{path.name}: too large to import ({path.stat().st_size} bytes)")
        with path.open(encoding="utf-8-sig", errors="strict") as handle:
            return parse_lines(handle, path.name)
    except UnicodeDecodeError as error:
        raise FormatError(f"{path.name}: not UTF-8 text (byte {error.start})") from error
    except OSError as error:
        raise FormatError(f"{path.name}: cannot read ({error.strerror})") from error
