"""Edits of the codebook (tags) and of stance targets and actors."""

from __future__ import annotations

import json
import re
from enum import StrEnum
from typing import Any

from annotator.core.model import Actor, ChangeSet, Tag, Target, normalise_name
from annotator.core.ops.edit import Edit, editing
from annotator.core.ops.spans import tag_span_in
from annotator.core.store import InvalidEditError, Project, TagInUseError

COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
TAG_FIELDS = ("name", "parent_id", "colour", "description", "shortcut")


class WhenUsed(StrEnum):
    """What deleting a tag does to the spans that carry it."""

    REFUSE = "refuse"
    REMOVE = "remove"  # the spans lose the tag (and keep their other tags)
    MERGE = "merge"  # the spans get another tag instead


def _clean_name(name: str, what: str) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise InvalidEditError(f"a {what} needs a name")
    if what == "tag" and "/" in name:  # "/" separates levels in a tag path (Parent/Child)
        raise InvalidEditError(f"a tag name cannot contain '/' ({name!r})")
    return name


def tag_value_problem(field: str, value: Any) -> str | None:
    """Why ``value`` cannot be a tag's colour or shortcut (None: it can). Imports ask too."""
    if value is None:
        return None
    if field == "colour" and not (isinstance(value, str) and COLOUR.fullmatch(value)):
        return f"colour {value!r} is not of the form #rrggbb"
    if field == "shortcut" and not (isinstance(value, str) and len(value) == 1 and value.isalnum()):
        return f"shortcut {value!r} must be one letter or digit"
    return None


def _check_tag_fields(project: Project, tag_id: str | None, fields: dict[str, Any]) -> None:
    for field in ("colour", "shortcut"):
        problem = tag_value_problem(field, fields.get(field))
        if problem is not None:
            raise InvalidEditError(problem)
    parent = fields.get("parent_id")
    seen = {tag_id}
    while parent is not None:  # walk up: the new parent must not be the tag or below it
        if parent in seen:
            raise InvalidEditError("a tag cannot be placed inside itself")
        seen.add(parent)
        parent = project.require(Tag, parent).parent_id
    if "name" in fields:
        wanted = normalise_name(fields["name"])
        for sibling in project.records(Tag, "parent_id IS ?", [fields.get("parent_id")]):
            if sibling.id != tag_id and normalise_name(sibling.name) == wanted:
                raise InvalidEditError(f"a tag named {sibling.name!r} is already there")


def _take_shortcut(edit: Edit, tag_id: str, shortcut: str | None) -> None:
    """A shortcut belongs to one tag: giving it to this one takes it from the other."""
    if shortcut is None:
        return
    for other in edit.project.records(Tag, "shortcut = ? AND id != ?", [shortcut, tag_id]):
        edit.update(other, shortcut=None)


def create_tag(
    project: Project, *, by: str, name: str, tag_id: str | None = None, **fields: Any
) -> ChangeSet:
    fields = {"name": _clean_name(name, "tag"), **fields}
    fields.setdefault("parent_id", None)
    with editing(project, by, f"Add tag {fields['name']}") as edit:
        _check_tag_fields(project, tag_id, fields)
        tag = Tag(**fields) if tag_id is None else Tag(id=tag_id, **fields)
        _take_shortcut(edit, tag.id, tag.shortcut)
        edit.create(tag)
    return edit.changeset()


def update_tag(project: Project, *, by: str, tag_id: str, **fields: Any) -> ChangeSet:
    """Rename, recolour, reparent, describe or set the shortcut of a tag."""
    unknown = set(fields) - set(TAG_FIELDS)
    if unknown:
        raise InvalidEditError(f"tags have no field {', '.join(sorted(unknown))}")
    with editing(project, by, "Edit tag") as edit:
        tag = project.require(Tag, tag_id)
        if "name" in fields:
            fields["name"] = _clean_name(fields["name"], "tag")
        checked = {"name": tag.name, "parent_id": tag.parent_id, **fields}
        _check_tag_fields(project, tag_id, checked)
        if "shortcut" in fields:
            _take_shortcut(edit, tag_id, fields["shortcut"])
        edit.update(tag, **fields)
    return edit.changeset()


def delete_tag(
    project: Project,
    *,
    by: str,
    tag_id: str,
    when_used: WhenUsed = WhenUsed.REFUSE,
    merge_into: str | None = None,
) -> ChangeSet:
    """Delete a tag; its child tags move up to its parent (or into ``merge_into``)."""
    with editing(project, by, "Delete tag") as edit:
        tag = project.require(Tag, tag_id)
        uses = project.live_span_tags(tag_id=tag_id)
        if when_used == WhenUsed.REFUSE and uses:
            raise TagInUseError(f"tag {tag.name!r} is on {len(uses)} span(s)")
        new_parent = tag.parent_id
        if when_used == WhenUsed.MERGE:
            if merge_into is None or merge_into == tag_id:
                raise InvalidEditError("choose another tag to merge into")
            target = project.require(Tag, merge_into)
            if _is_below(project, target, tag_id):  # it takes the deleted tag's place
                edit.update(target, parent_id=tag.parent_id)
            new_parent = target.id
            for use in uses:
                tag_span_in(edit, use.span_id, target.id)
        for use in uses:
            edit.tombstone(use)
        for child_id in project.child_tag_ids(tag_id):
            if child_id != new_parent:
                edit.update(project.require(Tag, child_id), parent_id=new_parent)
        edit.tombstone(tag)
    return edit.changeset()


def _is_below(project: Project, tag: Tag, ancestor_id: str) -> bool:
    seen: set[str] = set()
    parent = tag.parent_id
    while parent is not None and parent not in seen:
        if parent == ancestor_id:
            return True
        seen.add(parent)
        parent = project.require(Tag, parent).parent_id
    return False


def merge_tags(project: Project, *, by: str, tag_id: str, into: str) -> ChangeSet:
    return delete_tag(project, by=by, tag_id=tag_id, when_used=WhenUsed.MERGE, merge_into=into)


def tag_path(tags: dict[str, Tag], tag_id: str, sep: str = "/") -> str:
    """``Parent/Child`` names of a tag, from a mapping of all tags (live or not)."""
    names: list[str] = []
    seen: set[str] = set()
    current: str | None = tag_id
    while current is not None and current in tags and current not in seen:
        seen.add(current)
        names.append(tags[current].name)
        current = tags[current].parent_id
    return sep.join(reversed(names))


# -- targets and actors -------------------------------------------------------------------------


def _aliases_json(aliases: list[str] | None) -> str:
    cleaned = [" ".join(a.split()) for a in aliases or [] if a and a.strip()]
    return json.dumps(list(dict.fromkeys(cleaned)), ensure_ascii=False)


def create_target(
    project: Project,
    *,
    by: str,
    name: str,
    description: str | None = None,
    target_id: str | None = None,
) -> ChangeSet:
    name = _clean_name(name, "target")
    with editing(project, by, f"Add target {name}") as edit:
        fields: dict[str, Any] = {"name": name, "description": description}
        edit.create(Target(**fields) if target_id is None else Target(id=target_id, **fields))
    return edit.changeset()


def create_actor(
    project: Project,
    *,
    by: str,
    name: str,
    aliases: list[str] | None = None,
    description: str | None = None,
    actor_id: str | None = None,
) -> ChangeSet:
    name = _clean_name(name, "actor")
    fields: dict[str, Any] = {
        "name": name,
        "aliases": _aliases_json(aliases),
        "description": description,
    }
    with editing(project, by, f"Add actor {name}") as edit:
        edit.create(Actor(**fields) if actor_id is None else Actor(id=actor_id, **fields))
    return edit.changeset()


def update_target(project: Project, *, by: str, target_id: str, **fields: Any) -> ChangeSet:
    if "name" in fields:
        fields["name"] = _clean_name(fields["name"], "target")
    with editing(project, by, "Edit target") as edit:
        edit.update(project.require(Target, target_id), **fields)
    return edit.changeset()


def update_actor(project: Project, *, by: str, actor_id: str, **fields: Any) -> ChangeSet:
    if "name" in fields:
        fields["name"] = _clean_name(fields["name"], "actor")
    if "aliases" in fields:
        fields["aliases"] = _aliases_json(fields["aliases"])
    with editing(project, by, "Edit actor") as edit:
        edit.update(project.require(Actor, actor_id), **fields)
    return edit.changeset()


def delete_target(
    project: Project, *, by: str, target_id: str, merge_into: str | None = None
) -> ChangeSet:
    """Refused while stances use the target, unless they move to ``merge_into``."""
    return _delete_referenced(project, by, Target, target_id, "target_id", merge_into)


def delete_actor(
    project: Project, *, by: str, actor_id: str, merge_into: str | None = None
) -> ChangeSet:
    """Refused while stances name the actor, unless they move to ``merge_into``.

    The deleted actor's names become aliases of the one it merges into.
    """
    return _delete_referenced(project, by, Actor, actor_id, "actor_id", merge_into)


def _delete_referenced(
    project: Project,
    by: str,
    cls: type[Target] | type[Actor],
    record_id: str,
    column: str,
    merge_into: str | None,
) -> ChangeSet:
    kind = cls.__name__.lower()
    with editing(project, by, f"Delete {kind}") as edit:
        record = project.require(cls, record_id)
        stances = project.stances_referring(column, record_id)
        if merge_into is None and stances:
            raise InvalidEditError(f"{kind} {record.name!r} is used by {len(stances)} stance(s)")
        if merge_into is not None:
            if merge_into == record_id:
                raise InvalidEditError(f"choose another {kind} to merge into")
            survivor = project.require(cls, merge_into)
            for stance in stances:
                edit.update(stance, **{column: survivor.id})
            if isinstance(record, Actor) and isinstance(survivor, Actor):
                names = [record.name, *json.loads(record.aliases)]
                aliases = [*json.loads(survivor.aliases), *names]
                edit.update(
                    survivor, aliases=_aliases_json([a for a in aliases if a != survivor.name])
                )
        edit.tombstone(record)
    return edit.changeset()


def find_by_name(project: Project, cls: type[Tag] | type[Target] | type[Actor], name: str) -> Any:
    """A live record whose name (or, for actors, an alias) matches, ignoring case and spacing."""
    wanted = normalise_name(name)
    for record in project.records(cls, order_by="created_at, id"):
        names = [record.name]
        if isinstance(record, Actor):
            names += json.loads(record.aliases)
        if any(normalise_name(n) == wanted for n in names):
            return record
    return None
