"""What a W3C export says besides its annotations: documents, the codebook, the scale.

Each function returns a small dict for one record, built from the store's rows; ``Names``
holds what annotations mention by name (annotators, tag paths, targets, actors).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from annotator.core.formats.references import References
from annotator.core.formats.w3c_vocab import ordered, term, urn
from annotator.core.model import Tag
from annotator.core.ops import link_types, stance_scale
from annotator.core.store import Project

Row = Mapping[str, Any]
Node = dict[str, Any]


@dataclass
class Names:
    """What annotations mention by name: annotators, tag paths, targets, actors, the scale."""

    agents: dict[str, Node]
    tag_paths: dict[str, str]
    targets: dict[str, str]
    actors: dict[str, str]
    scale: dict[int, str]

    @classmethod
    def of(cls, project: Project) -> Names:
        refs = References(project)
        agents = {
            annotator_id: {"id": urn(annotator_id), "type": "Person", "name": name}
            for annotator_id, name in project.column_by_id("annotators", "name", live=False).items()
        }
        return cls(
            agents=agents,
            tag_paths={tag_id: refs.tag_path(tag_id) for tag_id in refs.tags},
            targets=project.column_by_id("targets", "name", live=False),
            actors=project.column_by_id("actors", "name", live=False),
            scale=stance_scale(project),
        )

    def lifecycle(self, row: Row) -> Node:
        """W3C ``created``, ``modified`` and ``creator`` of a record."""
        node: Node = {"created": row["created_at"], "modified": row["updated_at"]}
        agent = self.agents.get(row["created_by"] or "")
        if agent is not None:
            node["creator"] = agent
        return node


# -- collection-level descriptions (our namespace) --------------------------------------------


def scale_node(project: Project) -> list[Node]:
    return [{term("polarity"): k, "label": v} for k, v in stance_scale(project).items()]


def link_types_node(project: Project) -> dict[str, list[Any]]:
    return ordered(list(link_types(project)))


def document_node(row: Row, names: Names, *, with_text: bool) -> Node:
    node: Node = {"id": urn(row["id"]), "type": "Text", "format": "text/plain"}
    node["dc:title"] = row["title"]
    for key, column in (("dc:creator", "author"), ("dc:date", "date"), ("dc:source", "source")):
        if row[column]:
            node[key] = row[column]
    if row["language"]:
        node["language"] = row["language"]
    node[term("sha256")] = row["sha256"]
    if row["pages"]:
        node[term("pageStarts")] = ordered(json.loads(row["pages"]))
    node |= names.lifecycle(row)
    if with_text:
        node[term("text")] = row["text"]
    return node


def tag_node(tag: Tag, names: Names) -> Node:
    node: Node = {"id": urn(tag.id), "type": term("Tag"), "label": tag.name}
    if tag.parent_id:
        node[term("parent")] = {"id": urn(tag.parent_id)}
    for key, value in (
        (term("colour"), tag.colour),
        ("dc:description", tag.description),
        (term("shortcut"), tag.shortcut),
    ):
        if value:
            node[key] = value
    return node | names.lifecycle(tag.row())


def target_node(row: Row, names: Names) -> Node:
    node: Node = {"id": urn(row["id"]), "type": term("StanceTarget"), "label": row["name"]}
    if row["description"]:
        node["dc:description"] = row["description"]
    return node | names.lifecycle(row)


def actor_node(row: Row, names: Names) -> Node:
    node: Node = {"id": urn(row["id"]), "type": term("Actor"), "label": row["name"]}
    aliases = json.loads(row["aliases"] or "[]")
    if aliases:
        node[term("aliases")] = aliases
    if row["description"]:
        node["dc:description"] = row["description"]
    return node | names.lifecycle(row)
