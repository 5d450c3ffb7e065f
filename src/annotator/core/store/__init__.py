"""Storage: the only package that speaks SQL."""

from annotator.core.store.errors import (
    CorruptProjectError,
    InvalidEditError,
    NewerVersionError,
    NotAProjectError,
    ProjectError,
    ProjectLockedError,
    ProjectNotFoundError,
    ProjectReadOnlyError,
    RecordNotFoundError,
    StaleEditError,
    TagInUseError,
)
from annotator.core.store.project import Project
from annotator.core.store.queries import DocumentSummary, SpanSummary
from annotator.core.store.schema import SCHEMA_VERSION

__all__ = [
    "SCHEMA_VERSION",
    "CorruptProjectError",
    "DocumentSummary",
    "InvalidEditError",
    "NewerVersionError",
    "NotAProjectError",
    "Project",
    "ProjectError",
    "ProjectLockedError",
    "ProjectNotFoundError",
    "ProjectReadOnlyError",
    "RecordNotFoundError",
    "SpanSummary",
    "StaleEditError",
    "TagInUseError",
]
