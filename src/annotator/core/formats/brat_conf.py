"""The files that describe an exported brat folder, and the names they give.

annotation.conf declares the types (with comment lines mapping them back, see brat_common),
visual.conf their full names and colours, manifest.json each document's title and details
(the document importer reads it too), README what brat cannot hold.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from annotator.core.formats.brat_common import (
    ANNOTATOR_ATTRIBUTE,
    CONF_NAME,
    MARK,
    README_NAME,
    RESERVED_TYPES,
    STANCE_PREFIX,
    UNTAGGED,
    VISUAL_NAME,
    TypeMapping,
    UniqueNames,
    storage_form,
)
from annotator.core.formats.selection import Row, tags_parents_first
from annotator.core.model import Tag, now
from annotator.core.ops import stance_scale
from annotator.core.store import Project

MANIFEST_NAME = "manifest.json"  # the corpus reader takes titles and details from it
LEFT_OUT = {
    "cross-document links left out": "links between passages of different documents",
    "document links left out": "links with a whole document at one end",
    "document stances left out": "stances on a whole document",
    "stance notes left out": "notes of stances on passages (the stances themselves are kept)",
    "orphaned spans left out": "passages whose place in the current text is lost (orphaned)",
    "line-break spans left out": "passages of nothing but line breaks",
    "links to left-out spans": "links touching the passages above",
    "stances on left-out spans": "stances whose evidence is among the passages above",
}


class Names:
    """brat-safe names for everything the export mentions, and the mapping back."""

    def __init__(self, project: Project) -> None:
        self.project = project
        self.unique = UniqueNames(RESERVED_TYPES)
        self.mapping = TypeMapping(ours=True, untagged=UNTAGGED)
        self.tags = list(tags_parents_first(list(project.records(Tag))))
        by_id = {t.id: t for t in self.tags}
        self.paths = {t.id: _path(by_id, t.id) for t in self.tags}
        self.tag_types: dict[str, str] = {}
        for tag in self.tags:
            brat_type = self.unique.take(storage_form(self.paths[tag.id].replace("/", "-"), "Tag"))
            self.tag_types[tag.id] = brat_type
            self.mapping.tags[brat_type] = {"path": self.paths[tag.id], **_tag_record(tag)}
        self.annotator_rows = {r["id"]: r for r in project.rows("annotators", live=False)}
        self.annotator_values: dict[str, str] = {}
        self.values = UniqueNames()
        self.relations: dict[str, str] = {}
        self.stances: dict[tuple[str, str | None], str] = {}
        self.targets = {r["id"]: r for r in project.rows("targets", live=False)}
        self.actors = {r["id"]: r for r in project.rows("actors", live=False)}
        polarity_values = UniqueNames()
        self.polarities: dict[int, str] = {}
        for value, label in stance_scale(project).items():
            name = polarity_values.take(storage_form(label, f"p{value}".replace("-", "m")))
            self.polarities[value] = name
            self.mapping.polarities[name] = (value, label)

    def annotator(self, annotator_id: str | None) -> str | None:
        if annotator_id is None or annotator_id not in self.annotator_rows:
            return None
        if annotator_id not in self.annotator_values:
            row = self.annotator_rows[annotator_id]
            value = self.values.take(storage_form(row["name"], "annotator"))
            self.annotator_values[annotator_id] = value
            self.mapping.annotators[value] = {"name": row["name"], **_times(row)}
        return self.annotator_values[annotator_id]

    def relation(self, link_type: str) -> str:
        if link_type not in self.relations:
            self.relations[link_type] = self.unique.take(storage_form(link_type, "Link"))
            self.mapping.relations[self.relations[link_type]] = link_type
        return self.relations[link_type]

    def stance(self, target_id: str, actor_id: str | None) -> str:
        key = (target_id, actor_id)
        if key not in self.stances:
            target, actor = self.targets[target_id], self.actors.get(actor_id or "")
            wanted = STANCE_PREFIX + storage_form(target["name"], "target")
            self.mapping.targets[target_id] = _named_record(target, "description")
            if actor:
                wanted += "__" + storage_form(actor["name"], "actor")
                self.mapping.actors[actor["id"]] = _named_record(actor, "aliases", "description")
            self.stances[key] = self.unique.take(wanted)
            self.mapping.stances[self.stances[key]] = key
        return self.stances[key]


def _times(row: Row) -> dict[str, Any]:
    """Identity and history, as the JSONL set carries them: a round trip keeps them."""
    return {k: row[k] for k in ("id", "created_at", "updated_at", "deleted_at")} | {
        "annotator": row["created_by"]
    }


def _named_record(row: Row, *fields: str) -> dict[str, Any]:
    record = {"name": row["name"]} | {k: row[k] for k in fields} | _times(row)
    if "aliases" in record:
        record["aliases"] = json.loads(record["aliases"])
    return record


def _tag_record(tag: Tag) -> dict[str, Any]:
    fields = {"name": tag.name, "parent": tag.parent_id, "colour": tag.colour}
    return fields | {"description": tag.description, "shortcut": tag.shortcut} | _times(tag.row())


def _path(by_id: dict[str, Tag], tag_id: str) -> str:
    names, seen, current = [], set(), by_id.get(tag_id)
    while current is not None and current.id not in seen:
        seen.add(current.id)
        names.append(current.name)
        current = by_id.get(current.parent_id or "")
    return "/".join(reversed(names))


def write_manifest(folder: Path, manifest: dict[str, dict[str, Any]]) -> None:
    text = json.dumps({"documents": manifest}, ensure_ascii=False, indent=1, sort_keys=True)
    (folder / MANIFEST_NAME).write_text(text + "\n", encoding="utf-8")


def _conf_lines(names: Names) -> Iterator[str]:
    yield "# brat configuration written by Annotator. Lines starting with #@ map brat's names"
    yield "# back to Annotator's on import (brat reads them as comments)."
    yield from names.mapping.lines()
    yield "[entities]"
    yield UNTAGGED
    by_id = {t.id: t for t in names.tags}
    for tag in names.tags:
        yield "\t" * _depth(by_id, tag) + names.tag_types[tag.id]
    yield "[relations]"
    for relation in names.relations.values():
        yield f"{relation}\tArg1:<ENTITY>, Arg2:<ENTITY>"
    yield "[events]"
    yield "[attributes]"
    if names.annotator_values:
        values = "|".join(names.annotator_values.values())
        yield f"{ANNOTATOR_ATTRIBUTE}\tArg:<ENTITY>, Value:{values}"
    polarities = "|".join(names.polarities.values())
    for brat_type in names.stances.values():
        yield f"{brat_type}\tArg:<ENTITY>, Value:{polarities}"


def _depth(by_id: dict[str, Tag], tag: Tag) -> int:
    depth, seen, current = 0, {tag.id}, by_id.get(tag.parent_id or "")
    while current is not None and current.id not in seen:
        seen.add(current.id)
        depth += 1
        current = by_id.get(current.parent_id or "")
    return depth


def write_conf(folder: Path, names: Names) -> None:
    text = "\n".join(_conf_lines(names)) + "\n"
    (folder / CONF_NAME).write_text(text, encoding="utf-8", newline="\n")


def _label(name: str) -> str:
    return " ".join(name.replace("|", "/").split())  # "|" separates labels in visual.conf


def write_visual(folder: Path, names: Names) -> None:
    lines = ["# Display names and colours of the types in annotation.conf.", "[labels]"]
    lines.append(f"{UNTAGGED} | (untagged)")
    lines += [f"{t} | {_label(names.paths[i])}" for i, t in names.tag_types.items()]
    lines += [f"{t} | {_label(name)}" for name, t in names.relations.items()]
    for (target, actor), brat_type in names.stances.items():
        label = f"Stance on {names.targets[target]['name']}"
        if actor:
            label += f" ({names.actors[actor]['name']})"
        lines.append(f"{brat_type} | {_label(label)}")
    lines.append("[drawing]")
    for tag in names.tags:
        colour = tag.colour or ""
        if len(colour) == 7 and colour.startswith("#"):
            lines.append(f"{names.tag_types[tag.id]}\tbgColor:{colour}")
    (folder / VISUAL_NAME).write_text("\n".join(lines) + "\n", encoding="utf-8", newline="\n")


def write_readme(folder: Path, project: Project, counts: Counter[str]) -> None:
    lines = [
        f"brat standoff export of {project.path.stem}, written by Annotator at {now()}.",
        "",
        "Each document is a .txt file (its text, UTF-8) with a .ann file of the same name",
        "(brat standoff). Offsets count Unicode code points of the .txt, end exclusive.",
        "A passage that crosses a line break is written in fragments, one per line.",
        f"{CONF_NAME} declares the types, {VISUAL_NAME} gives their full names and colours,",
        f"{MANIFEST_NAME} keeps each document's title and details. Lines of {CONF_NAME}",
        f"starting with {MARK} map the brat names back when Annotator imports this folder:",
        "    annotator import PROJECT FOLDER",
        "",
        "What brat cannot express, and was left out of this folder:",
    ]
    left = [f"    {counts[key]:>7}  {text}" for key, text in LEFT_OUT.items() if counts[key]]
    lines += left or ["    nothing"]
    lines += [
        "",
        "Also not carried: the ids and times of passages, stances and links, and who made",
        "each stance and link (read back as made by the annotator of its passage). The",
        "codebook, the annotators, and the targets and actors of the exported stances are",
        "carried whole in annotation.conf.",
    ]
    (folder / README_NAME).write_text("\n".join(lines) + "\n", encoding="utf-8", newline="\n")
