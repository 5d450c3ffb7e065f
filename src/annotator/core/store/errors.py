"""One named exception per way a project file can fail; each message is one user-facing line."""

from __future__ import annotations


class ProjectError(Exception):
    """Base class: ``str(error)`` is a one-line explanation for the user."""


class ProjectNotFoundError(ProjectError):
    pass


class NotAProjectError(ProjectError):
    """An SQLite file of another program, or not SQLite at all."""


class CorruptProjectError(ProjectError):
    pass


class NewerVersionError(ProjectError):
    """Written by a newer Annotator: refused, never touched."""


class ProjectLockedError(ProjectError):
    pass


class ProjectReadOnlyError(ProjectError):
    pass


class StaleEditError(ProjectError):
    """A row is not what an edit (or its undo) expects: another window or process changed it."""


class RecordNotFoundError(ProjectError):
    pass


class InvalidEditError(ProjectError):
    """An edit that would break the project's rules (bad offsets, a tag cycle, ...)."""


class TagInUseError(InvalidEditError):
    pass
