"""Settings in a merge: the stance scale's labels and the link types are unions (mine first)."""

from __future__ import annotations

from typing import Any

from annotator.core.json_input import parse_json
from annotator.core.model import Change
from annotator.core.ops import link_types, stance_scale
from annotator.core.store import Project
from annotator.core.store.merge_source import TheirProject


def _their_setting(theirs: TheirProject, key: str, kind: type) -> Any:
    """A setting of theirs, or an empty one when it is not what ours would be: their file
    is untrusted, and a damaged setting must not stop (or break) a merge."""
    try:
        value = parse_json(theirs.setting(key) or "null")
    except ValueError:
        return kind()
    return value if isinstance(value, kind) else kind()


def settings_changes(mine: Project, theirs: TheirProject) -> list[Change]:
    """What mine needs to hold the labels and link types only theirs has."""
    changes = []
    scale = {str(k): v for k, v in stance_scale(mine).items()}
    their_scale = _their_setting(theirs, "stance_scale", dict)
    their_scale = {
        k: v for k, v in their_scale.items() if k.lstrip("-").isdigit() and isinstance(v, str)
    }
    if any(k not in scale for k in their_scale):
        merged = {k: v for k, v in their_scale.items() if k not in scale} | scale
        changes.append(mine.setting_change("stance_scale", merged))
    types = link_types(mine)
    their_types = _their_setting(theirs, "link_types", list)
    extra = [t for t in their_types if isinstance(t, str) and t.strip() and t not in types]
    if extra:
        changes.append(mine.setting_change("link_types", types + extra))
    return changes
