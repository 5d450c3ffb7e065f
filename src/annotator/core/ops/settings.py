"""The project's stance scale and link types."""

from __future__ import annotations

from annotator.core.model import DEFAULT_LINK_TYPES, DEFAULT_SCALE, ChangeSet
from annotator.core.ops.edit import editing
from annotator.core.store import InvalidEditError, Project


def stance_scale(project: Project) -> dict[int, str]:
    """The ordinal polarity scale: value -> label, ascending."""
    labels = project.setting("stance_scale", DEFAULT_SCALE)
    return {int(k): v for k, v in sorted(labels.items(), key=lambda kv: int(kv[0]))}


def link_types(project: Project) -> list[str]:
    return list(project.setting("link_types", list(DEFAULT_LINK_TYPES)))


def set_stance_scale(project: Project, *, by: str, labels: dict[int, str]) -> ChangeSet:
    if not labels or any(not str(v).strip() for v in labels.values()):
        raise InvalidEditError("the stance scale needs at least one labelled value")
    values = sorted(int(k) for k in labels)
    if values != list(range(values[0], values[-1] + 1)):
        raise InvalidEditError("the stance scale must be consecutive whole numbers")
    with editing(project, by, "Change stance scale") as edit:
        edit.setting("stance_scale", {str(int(k)): str(v) for k, v in labels.items()})
    return edit.changeset()


def set_link_types(project: Project, *, by: str, types: list[str]) -> ChangeSet:
    cleaned = list(dict.fromkeys(" ".join(t.split()) for t in types if t.strip()))
    if not cleaned:
        raise InvalidEditError("a project needs at least one link type")
    with editing(project, by, "Change link types") as edit:
        edit.setting("link_types", cleaned)
    return edit.changeset()


def initialise_settings(project: Project) -> ChangeSet:
    """Write the defaults into a new project so the file says which scale it uses."""
    with editing(project, "", "Project settings") as edit:  # settings carry no author
        if project.setting("stance_scale") is None:
            edit.setting("stance_scale", DEFAULT_SCALE)
        if project.setting("link_types") is None:
            edit.setting("link_types", list(DEFAULT_LINK_TYPES))
    return edit.changeset()
