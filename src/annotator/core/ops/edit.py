"""The unit of every user edit: collect row changes, then apply them in one transaction."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any, TypeVar

from annotator.core.model import Change, ChangeSet, Record, now
from annotator.core.store import Project

R = TypeVar("R", bound=Record)


class Edit:
    """Records made, changed or tombstoned by one edit, stamped with one time and one author.

    Touching the same row twice keeps one change (first ``before``, last ``after``), so the
    inverse of the edit is always exact.
    """

    def __init__(self, project: Project, by: str, label: str) -> None:
        self.project = project
        self.by = by
        self.label = label
        self.stamp = now()
        self._changes: dict[tuple[str, str], Change] = {}

    def _record(self, change: Change) -> None:
        key = (change.table, change.key)
        earlier = self._changes.get(key)
        if earlier is not None:
            change = Change(change.table, change.key, earlier.before, change.after)
        if change.before == change.after:
            self._changes.pop(key, None)
            return
        self._changes[key] = change

    def current(self, record: R) -> R:
        """The record as this edit has left it so far."""
        change = self._changes.get((record.table, record.id))
        if change is not None and change.after is not None:
            return type(record).from_row(change.after)
        return record

    def create(self, record: R) -> R:
        record = record.replace(created_by=self.by, created_at=self.stamp, updated_at=self.stamp)
        self._record(Change(record.table, record.id, None, record.row()))
        return record

    def update(self, record: R, **fields: Any) -> R:
        record = self.current(record)
        changed = record.replace(**fields)
        if changed == record:
            return record
        changed = changed.replace(updated_at=max(self.stamp, record.updated_at))
        self._record(Change(record.table, record.id, record.row(), changed.row()))
        return changed

    def place(self, record: R, **fields: Any) -> R:
        """Change fields that follow from another edit of this one (a span carried into its
        document's new text) without restamping the record: it was not edited itself."""
        record = self.current(record)
        changed = record.replace(**fields)
        if changed != record:
            self._record(Change(record.table, record.id, record.row(), changed.row()))
        return changed

    def tombstone(self, record: R) -> R:
        if not self.current(record).live:
            return record
        return self.update(record, deleted_at=self.stamp)

    def revive(self, record: R, **fields: Any) -> R:
        return self.update(record, deleted_at=None, **fields)

    def setting(self, key: str, value: Any) -> None:
        self._record(self.project.setting_change(key, value))

    def changeset(self) -> ChangeSet:
        return ChangeSet(tuple(self._changes.values()), self.label)


@contextlib.contextmanager
def editing(project: Project, by: str, label: str) -> Iterator[Edit]:
    """Read, decide and write inside one transaction, so the edit sees a consistent project."""
    with project.transaction():
        edit = Edit(project, by, label)
        yield edit
        project.apply(edit.changeset(), check=False)


def undo(project: Project, changeset: ChangeSet) -> None:
    project.apply(changeset.inverse())


def redo(project: Project, changeset: ChangeSet) -> None:
    project.apply(changeset)
