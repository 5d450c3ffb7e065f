"""What the brat exporter and reader share: safe names, the type mapping kept in annotation.conf,
escaped notes, and the fragments of a span.

brat type names must match ``[A-Za-z0-9_-]+`` and attribute values may not hold spaces, so tag
paths, link types, annotator names, stance targets and polarity labels are given brat-safe names;
the real names are kept in comment lines of annotation.conf (``#@kind<TAB>name<TAB>JSON``), which
brat skips and the reader uses to map them back.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from annotator.core.json_input import parse_json

CONF_NAME = "annotation.conf"
VISUAL_NAME = "visual.conf"
README_NAME = "README"  # no .txt: brat and our folder import would both take it for a document
MARK = "#@"
FORMAT_MARK = f"{MARK}annotator-brat\t1"
UNTAGGED = "Untagged"  # the brat type of a span without tags
ANNOTATOR_ATTRIBUTE = "Annotator"
STANCE_PREFIX = "Stance_"

# Characters that end a line for str.splitlines (and so for brat reading an .ann): a brat text
# field cannot hold them, so spans are cut into fragments there and notes escape them.
LINE_BREAKS = frozenset("\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")
# Names brat gives a meaning of its own, and ours.
RESERVED_TYPES = (
    "ENTITY-NESTING",
    "SPAN_DEFAULT",
    "ARC_DEFAULT",
    "SEPARATOR",
    "Equiv",
    UNTAGGED,
    ANNOTATOR_ATTRIBUTE,
)
_WINDOWS_DEVICES = {"CON", "PRN", "AUX", "NUL"} | {
    f"{p}{i}" for p in ("COM", "LPT") for i in range(10)
}
_MAX_STEM_BYTES = 120


def storage_form(name: str, fallback: str) -> str:
    """A brat type name or attribute value: accents dropped, other characters become ``_``."""
    ascii_form = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    safe = re.sub(r"_+", "_", re.sub(r"[^A-Za-z0-9_-]", "_", ascii_form)).strip("_-")
    return safe or fallback


class UniqueNames:
    """Hands out names no other key has taken (compared without case: file systems, brat)."""

    def __init__(self, reserved: tuple[str, ...] = ()) -> None:
        self._taken = {name.casefold() for name in reserved}

    def take(self, wanted: str) -> str:
        name, number = wanted, 1
        while name.casefold() in self._taken:
            number += 1
            name = f"{wanted}_{number}"
        self._taken.add(name.casefold())
        return name


def file_stem(title: str) -> str:
    """A file name stem from a title: letters and digits of any script kept, no separators,
    no leading dot, no device names, at most ``_MAX_STEM_BYTES`` bytes of UTF-8."""
    kept = "".join(
        c if c.isalnum() or c in "-_" else "_" for c in unicodedata.normalize("NFC", title)
    )
    stem = re.sub(r"_+", "_", kept).strip("_-")
    while len(stem.encode()) > _MAX_STEM_BYTES:
        stem = stem[:-1]
    stem = stem.rstrip("_-") or "document"
    return f"doc_{stem}" if stem.upper() in _WINDOWS_DEVICES else stem


def escape_note(note: str) -> str:
    """One line of text: backslashes, tabs and line breaks written as escapes."""
    out = []
    for char in note:
        if char == "\\":
            out.append("\\\\")
        elif char == "\n":
            out.append("\\n")
        elif char == "\t":
            out.append("\\t")
        elif char in LINE_BREAKS:
            out.append(f"\\u{ord(char):04x}")
        else:
            out.append(char)
    return "".join(out)


def unescape_note(text: str) -> str:
    return re.sub(
        r"\\(\\|n|t|u[0-9a-f]{4})",
        lambda m: {"\\": "\\", "n": "\n", "t": "\t"}.get(m[1]) or chr(int(m[1][1:], 16)),
        text,
    )


_BREAK_RUN = re.compile("[" + "".join(sorted(LINE_BREAKS)) + "]+")


def fragments(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """``start..end`` cut at line breaks: brat's discontinuous pieces of one span."""
    pieces, piece_start = [], start
    for run in _BREAK_RUN.finditer(text, start, end):
        if run.start() > piece_start:
            pieces.append((piece_start, run.start()))
        piece_start = run.end()
    if end > piece_start:
        pieces.append((piece_start, end))
    return pieces


# -- the mapping kept in annotation.conf ------------------------------------------------------


@dataclass
class TypeMapping:
    """brat names -> ours. ``ours``: the folder was written by Annotator, which keeps its tags,
    annotators, targets and actors whole (ids, times, colours, aliases) so a round trip loses
    none of them; a stance type names its target and actor by id."""

    ours: bool = False
    tags: dict[str, dict[str, Any]] = field(default_factory=dict)  # type -> {"path", record...}
    untagged: str | None = None
    relations: dict[str, str] = field(default_factory=dict)  # type -> link type
    annotators: dict[str, dict[str, Any]] = field(default_factory=dict)  # value -> record
    stances: dict[str, tuple[str, str | None]] = field(default_factory=dict)  # -> target, actor
    targets: dict[str, dict[str, Any]] = field(default_factory=dict)  # id -> record
    actors: dict[str, dict[str, Any]] = field(default_factory=dict)  # id -> record
    polarities: dict[str, tuple[int, str]] = field(default_factory=dict)  # value -> (n, label)
    hierarchy: dict[str, str] = field(default_factory=dict)  # foreign type -> Parent/Child path

    def lines(self) -> list[str]:
        """The comment lines that record this mapping in annotation.conf."""
        out = [FORMAT_MARK]
        if self.untagged:
            out.append(f"{MARK}untagged\t{self.untagged}\tnull")
        out += [f"{MARK}tag\t{k}\t{_json(v)}" for k, v in self.tags.items()]
        out += [f"{MARK}relation\t{k}\t{_json(v)}" for k, v in self.relations.items()]
        out += [f"{MARK}annotator\t{k}\t{_json(v)}" for k, v in self.annotators.items()]
        out += [f"{MARK}target\t{k}\t{_json(v)}" for k, v in self.targets.items()]
        out += [f"{MARK}actor\t{k}\t{_json(v)}" for k, v in self.actors.items()]
        out += [f"{MARK}stance\t{k}\t{_json(list(v))}" for k, v in self.stances.items()]
        out += [f"{MARK}polarity\t{k}\t{_json(list(v))}" for k, v in self.polarities.items()]
        return out

    def tag_of(self, brat_type: str) -> str:
        if self.ours and brat_type in self.tags:
            return self.tags[brat_type]["path"]
        return self.hierarchy.get(brat_type, brat_type)

    def annotator_of(self, value: str) -> str:
        """An annotator id when the folder names one, else the value as a name."""
        record = self.annotators.get(value) if self.ours else None
        return str(record.get("id") or record["name"]) if record else value


def _json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False)


def find_conf(folder: Path) -> Path | None:
    """annotation.conf in the folder or the nearest folder above it, as brat looks for it."""
    for candidate in (folder, *folder.parents):
        conf = candidate / CONF_NAME
        if conf.is_file():
            return conf
    return None


def read_mapping(folder: Path) -> TypeMapping:
    """The mapping from the annotation.conf that applies to ``folder`` (empty when none)."""
    conf = find_conf(folder)
    if conf is None:
        return TypeMapping()
    try:
        lines = conf.read_text(encoding="utf-8-sig", errors="replace").splitlines()
    except OSError:
        return TypeMapping()
    mapping = TypeMapping(ours=FORMAT_MARK in (line.rstrip() for line in lines))
    if mapping.ours:
        for line in lines:
            _read_mark(mapping, line)
    else:
        mapping.hierarchy = _entity_paths(lines)
    return mapping


def _read_mark(mapping: TypeMapping, line: str) -> None:
    parts = line.rstrip("\r\n").split("\t")
    if len(parts) != 3 or not parts[0].startswith(MARK):
        return
    kind, name = parts[0][len(MARK) :], parts[1]
    try:
        value = parse_json(parts[2])
    except ValueError:
        return
    if kind == "untagged":
        mapping.untagged = name
    elif kind == "relation" and isinstance(value, str):
        mapping.relations[name] = value
    elif kind == "tag" and isinstance(value, dict) and isinstance(value.get("path"), str):
        mapping.tags[name] = value
    elif kind in ("annotator", "target", "actor") and isinstance(value, dict):
        if isinstance(value.get("name"), str):
            {"annotator": mapping.annotators, "target": mapping.targets, "actor": mapping.actors}[
                kind
            ][name] = value
    elif kind == "stance" and isinstance(value, list) and len(value) == 2:
        mapping.stances[name] = (str(value[0]), value[1] if isinstance(value[1], str) else None)
    elif (
        kind == "polarity"
        and isinstance(value, list)
        and len(value) == 2
        and isinstance(value[0], int)
        and not isinstance(value[0], bool)
    ):
        mapping.polarities[name] = (value[0], str(value[1]))


def _entity_paths(lines: list[str]) -> dict[str, str]:
    """Nested entity types of a foreign annotation.conf as ``Parent/Child`` tag paths."""
    paths: dict[str, str] = {}
    section, stack = "", []  # stack: (depth, type)
    for line in lines:
        if header := re.match(r"^\s*\[(.*)\]\s*$", line):
            section, stack = header[1].strip(), []
            continue
        if section != "entities" or not line.strip() or re.match(r"^\s*(#|-+\s*$|<)", line):
            continue
        depth = len(line) - len(line.lstrip())
        name = line.split()[0].split("|")[0].lstrip("!")
        while stack and stack[-1][0] >= depth:
            stack.pop()
        if stack:
            paths[name] = f"{paths.get(stack[-1][1], stack[-1][1])}/{name}"
        stack.append((depth, name))
    return paths
