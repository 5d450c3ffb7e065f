"""The codebook both ways: tags, and the stance and actor branches (see docs/refi-qda.md).

Tags become a tree of codes (id = GUID, colour, description). Stances need codes too, since a
REFI-QDA coding can only say "this passage has this code": a branch "Stances" holds one code per
target with one codable child per polarity of the scale ("-2 strongly against" ... "+2 strongly
in favour"), and a branch "Actors" one codable code per actor, aliases on the last line of its
description. A ``.qdc`` is this codebook alone.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Collection, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from lxml import etree

from annotator.core.formats import FormatError
from annotator.core.formats.jsonl_read import ParsedSet
from annotator.core.formats.refi_common import (
    CODEBOOK_NS,
    ORIGIN,
    canonical_guid,
    child,
    children,
    colour,
    guid_or_derived,
    local,
    parse_polarity_name,
    polarity_name,
    read_xml_file,
    unmapped_lines,
    xml_safe,
)
from annotator.core.formats.selection import Selection
from annotator.core.model import Actor, Tag, Target, derived_id, normalise_name
from annotator.core.ops import stance_scale
from annotator.core.store import Project

STANCES_GUID = derived_id("refi-branch", "stances")
ACTORS_GUID = derived_id("refi-branch", "actors")
STANCES_NAME = "Stances"
ACTORS_NAME = "Actors"
ALIASES_PREFIX = "Also known as: "
ALIASES_JOIN = "; "
STANCES_ABOUT = (
    "Stances toward targets: code a passage with a polarity under a target, and with the actor "
    "who holds the stance under Actors."
)
ACTORS_ABOUT = "Who holds a stance; the same passage also carries the stance's polarity code."
NO_TAG_SLASH = "\u2215"  # a tag name cannot hold "/" (it separates a path): DIVISION SLASH


def polarity_guid(target_id: str, polarity: int) -> str:
    return derived_id("refi-polarity", f"{target_id}:{polarity}")


def polarity_colour(polarity: int, extreme: int) -> str:
    """Red for against, blue for in favour (readable by the colour-blind), grey for neutral."""
    if polarity == 0:
        return "#bababa"
    pale, dark = (0xF7, 0xF7, 0xF7), ((0xB2, 0x18, 0x2B) if polarity < 0 else (0x21, 0x66, 0xAC))
    share = min(1.0, abs(polarity) / max(abs(extreme), 1))
    mixed = (round(p + (d - p) * share) for p, d in zip(pale, dark, strict=True))
    return "#" + "".join(f"{c:02x}" for c in mixed)


def describe_actor(actor: Actor, aliases: list[str]) -> str | None:
    lines = [actor.description] if actor.description else []
    if aliases:
        lines.append(ALIASES_PREFIX + ALIASES_JOIN.join(aliases))
    return "\n".join(lines) or None


def split_aliases(description: str | None) -> tuple[str | None, list[str]]:
    if not description:
        return None, []
    head, _, last = description.rpartition("\n")
    if not last.startswith(ALIASES_PREFIX):
        return description, []
    aliases = [a.strip() for a in last[len(ALIASES_PREFIX) :].split(ALIASES_JOIN.strip())]
    return head or None, [a for a in aliases if a]


def _by_name(record: Tag | Target | Actor) -> tuple[str, str]:
    return normalise_name(record.name), record.id


# -- writing ---------------------------------------------------------------------------------


@dataclass
class Codebook:
    """The live tags, targets and actors of a project and the polarities of its scale."""

    tags: list[Tag]
    targets: list[Target]
    actors: list[Actor]
    polarities: dict[int, str]

    @classmethod
    def of(cls, project: Project, more_polarities: Collection[int] = ()) -> Codebook:
        polarities = stance_scale(project)
        for polarity in set(more_polarities) - set(polarities):
            polarities[polarity] = ""
        return cls(
            sorted(project.records(Tag), key=_by_name),
            sorted(project.records(Target), key=_by_name),
            sorted(project.records(Actor), key=_by_name),
            dict(sorted(polarities.items())),
        )

    def __bool__(self) -> bool:
        return bool(self.tags or self.targets or self.actors)

    def tag_ids(self) -> set[str]:
        return {t.id for t in self.tags}

    def write(self, xf: Any, namespace: str, counts: Counter[str]) -> None:
        """The Code elements of every tag, then the stance and actor branches."""
        out = CodeWriter(xf, namespace)
        live = {t.id for t in self.tags}
        below: dict[str | None, list[Tag]] = {}
        for tag in self.tags:
            parent = tag.parent_id if tag.parent_id in live and tag.parent_id != tag.id else None
            below.setdefault(parent, []).append(tag)
        written: set[str] = set()

        def write_tag(tag: Tag) -> None:
            written.add(tag.id)
            counts["tags"] += 1
            attrs = {"guid": tag.id, "name": xml_safe(tag.name), "isCodable": "true"}
            if colour(tag.colour):
                attrs["color"] = colour(tag.colour) or ""
            with out.code(attrs, tag.description):
                for child_tag in below.get(tag.id, []):
                    if child_tag.id not in written:
                        write_tag(child_tag)

        for tag in below.get(None, []):
            write_tag(tag)
        for tag in self.tags:  # only a corrupt parent cycle leaves any: show them at the top
            if tag.id not in written:
                write_tag(tag)
        if self.targets:
            branch = {"guid": STANCES_GUID, "name": STANCES_NAME, "isCodable": "false"}
            with out.code(branch, STANCES_ABOUT):
                for target in self.targets:
                    self._write_target(out, target, counts)
        if self.actors:
            branch = {"guid": ACTORS_GUID, "name": ACTORS_NAME, "isCodable": "false"}
            with out.code(branch, ACTORS_ABOUT):
                for actor in self.actors:
                    counts["actors"] += 1
                    attrs = {"guid": actor.id, "name": xml_safe(actor.name), "isCodable": "true"}
                    with out.code(attrs, describe_actor(actor, json.loads(actor.aliases))):
                        pass

    def _write_target(self, out: CodeWriter, target: Target, counts: Counter[str]) -> None:
        counts["targets"] += 1
        lowest, highest = min(self.polarities, default=-1), max(self.polarities, default=1)
        attrs = {"guid": target.id, "name": xml_safe(target.name), "isCodable": "false"}
        with out.code(attrs, target.description):
            for polarity, label in self.polarities.items():
                code = {
                    "guid": polarity_guid(target.id, polarity),
                    "name": xml_safe(polarity_name(polarity, label)),
                    "isCodable": "true",
                    "color": polarity_colour(polarity, lowest if polarity < 0 else highest),
                }
                with out.code(code):
                    pass


class CodeWriter:
    """Code elements into an lxml ``xmlfile``, in a project's or a codebook's namespace."""

    def __init__(self, xf: Any, namespace: str) -> None:
        self.xf = xf
        self.tag = f"{{{namespace}}}Code"
        self.description = f"{{{namespace}}}Description"

    @contextmanager
    def code(self, attrs: dict[str, str], about: str | None = None) -> Iterator[None]:
        """A Code with its description; what the block writes goes inside it."""
        with self.xf.element(self.tag, attrs):
            if about:
                with self.xf.element(self.description):
                    self.xf.write(xml_safe(about))
            yield


def export_qdc(
    project: Project, out: IO[bytes], selection: Selection | None = None
) -> Counter[str]:
    """The whole codebook (as the JSONL set carries it, whatever the filters choose)."""
    codebook = Codebook.of(project)
    if not codebook:
        raise FormatError("nothing to export: the project has no tags, targets or actors")
    counts: Counter[str] = Counter()
    with etree.xmlfile(out, encoding="utf-8") as xf:
        xf.write_declaration()
        root = f"{{{CODEBOOK_NS}}}CodeBook"
        codes = f"{{{CODEBOOK_NS}}}Codes"
        with xf.element(root, nsmap={None: CODEBOOK_NS}, origin=ORIGIN), xf.element(codes):
            codebook.write(xf, CODEBOOK_NS, counts)
    return counts


# -- reading ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class CodeMeaning:
    """What a code of the file stands for here."""

    kind: str  # "tag", "target", "polarity", "actor" or "branch"
    record_id: str | None = None  # the tag, target (for a polarity too) or actor
    polarity: int | None = None


class CodebookReader:
    """Codes as tag, target and actor lines of a ParsedSet, and what each code means."""

    def __init__(
        self,
        parsed: ParsedSet,
        unmapped: Counter[str],
        notes_of: Callable[[etree._Element], list[str]] = lambda element: [],
    ) -> None:
        self.parsed = parsed
        self.unmapped = unmapped
        self.notes_of = notes_of  # the texts of a code's NoteRefs (a project file has them)
        self.meanings: dict[str, CodeMeaning] = {}
        self.scale: dict[str, str] = {}

    def read(self, codes: etree._Element | None) -> None:
        top = list(children(codes, "Code"))
        stances = next((c for c in top if _is_stance_branch(c)), None)
        for code in top:
            if code is stances:
                self._read_stances(code)
            elif _is_actor_branch(code, stances is not None):
                self._read_actors(code)
            else:
                self._read_tag(code, None, "")

    def header(self) -> dict[str, Any]:
        return {"stance_scale": self.scale} if self.scale else {}

    def _line(self, kind: str, element: etree._Element, fields: dict[str, Any]) -> None:
        self.parsed.lines[kind].append((element.sourceline or 0, {"kind": kind, **fields}))

    def _about(self, code: etree._Element) -> str | None:
        parts = [_text(child(code, "Description")), *self.notes_of(code)]
        return "\n\n".join(p for p in parts if p and p.strip()) or None

    def _read_tag(self, code: etree._Element, parent: str | None, path: str) -> None:
        name = (code.get("name") or "").strip().replace("/", NO_TAG_SLASH) or "Untitled code"
        path = f"{path}/{name}"
        tag_id = guid_or_derived(code.get("guid"), f"code:{path}")
        self.meanings[tag_id] = CodeMeaning("tag", tag_id)
        self._line(
            "tag",
            code,
            {
                "id": tag_id,
                "name": name,
                "parent": parent,
                "colour": colour(code.get("color")),
                "description": self._about(code),
            },
        )
        for below in children(code, "Code"):
            self._read_tag(below, tag_id, path)

    def _read_stances(self, branch: etree._Element) -> None:
        self.meanings[guid_or_derived(branch.get("guid"), "stances")] = CodeMeaning("branch")
        for target in children(branch, "Code"):
            name = (target.get("name") or "").strip() or "Untitled target"
            target_id = guid_or_derived(target.get("guid"), f"target:{name}")
            self.meanings[target_id] = CodeMeaning("target", target_id)
            self._line(
                "target",
                target,
                {"id": target_id, "name": name, "description": self._about(target)},
            )
            for code in children(target, "Code"):
                found = parse_polarity_name(code.get("name") or "")
                if found is None:
                    self.unmapped["codes under Stances that are no polarity"] += 1
                    continue
                polarity, label = found
                code_id = guid_or_derived(code.get("guid"), f"polarity:{target_id}:{polarity}")
                self.meanings[code_id] = CodeMeaning("polarity", target_id, polarity)
                self.scale.setdefault(str(polarity), label or str(polarity))

    def _read_actors(self, branch: etree._Element) -> None:
        self.meanings[guid_or_derived(branch.get("guid"), "actors")] = CodeMeaning("branch")
        for code in children(branch, "Code"):
            name = (code.get("name") or "").strip() or "Untitled actor"
            actor_id = guid_or_derived(code.get("guid"), f"actor:{name}")
            self.meanings[actor_id] = CodeMeaning("actor", actor_id)
            description, aliases = split_aliases(self._about(code))
            self._line(
                "actor",
                code,
                {"id": actor_id, "name": name, "aliases": aliases, "description": description},
            )
            if child(code, "Code") is not None:
                self.unmapped["codes under an actor"] += 1


def _text(element: etree._Element | None) -> str | None:
    return element.text if element is not None else None


def _is_stance_branch(code: etree._Element) -> bool:
    """Ours by its GUID; another program's copy of it by its name and polarity codes."""
    if canonical_guid(code.get("guid")) == STANCES_GUID:
        return True
    if (code.get("name") or "").strip().casefold() != STANCES_NAME.casefold():
        return False
    polarities = [p for target in children(code, "Code") for p in children(target, "Code")]
    return bool(polarities) and all(parse_polarity_name(p.get("name") or "") for p in polarities)


def _is_actor_branch(code: etree._Element, with_stances: bool) -> bool:
    if canonical_guid(code.get("guid")) == ACTORS_GUID:
        return True
    return with_stances and (code.get("name") or "").strip().casefold() == "actors"


def read_qdc(path: Path) -> ParsedSet:
    """A REFI-QDA codebook (``.qdc``) as an annotation set of tags, targets and actors."""
    root = read_xml_file(path)
    if local(root) != "CodeBook":
        raise FormatError(f"{path.name}: not a REFI-QDA codebook (its root is <{local(root)}>)")
    parsed = ParsedSet(path.name)
    unmapped: Counter[str] = Counter()
    reader = CodebookReader(parsed, unmapped)
    reader.read(child(root, "Codes"))
    unmapped["sets of codes"] += len(list(children(child(root, "Sets"), "Set")))
    parsed.header = reader.header()
    parsed.unmapped = unmapped_lines(unmapped)
    return parsed
