"""Reviewing the merge conflict log: dismiss an entry, or bring the losing version back."""

from __future__ import annotations

import json

from annotator.core.model import RECORD_BY_TABLE, ChangeSet, Conflict
from annotator.core.ops.edit import editing
from annotator.core.store import InvalidEditError, Project


def dismiss_conflict(project: Project, *, by: str, conflict_id: str) -> ChangeSet:
    """Mark an entry reviewed (a tombstone: the log keeps it)."""
    with editing(project, by, "Dismiss conflict") as edit:
        edit.tombstone(project.require(Conflict, conflict_id))
    return edit.changeset()


def restore_lost_version(project: Project, *, by: str, conflict_id: str) -> ChangeSet:
    """Make the version that lost the current one again (as a new edit), and dismiss the entry.

    A document's lost text is not restored this way: its spans sit on the kept text (use
    Replace document text, which carries them over).
    """
    with editing(project, by, "Restore the other version") as edit:
        conflict = project.require(Conflict, conflict_id)
        cls = RECORD_BY_TABLE.get(conflict.record_table)
        if cls is None:
            raise InvalidEditError(f"cannot restore a record of {conflict.record_table}")
        current = project.require(cls, conflict.record_id)
        lost = json.loads(conflict.lost)
        fields = {
            k: v
            for k, v in lost.items()
            if k not in ("id", "created_by", "created_at", "updated_at")
            and not (cls.table == "documents" and k in ("text", "sha256", "pages"))
        }
        edit.update(current, **fields)
        edit.tombstone(conflict)
    return edit.changeset()
