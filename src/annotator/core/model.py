"""Plain records of a project: frozen dataclasses, one per table, plus the change record.

Every record carries a UUID, who made it and when, and a ``deleted_at`` tombstone.
Offsets are Unicode code points (Python ``str`` indices), end exclusive.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import re
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, ClassVar, Self

# Fixed namespace so that ids derived from content (a document's text hash, a tag's name)
# agree between projects that never met.
NAMESPACE = uuid.UUID("6f1c2a8e-3b7d-5e4f-9a10-2c3d4e5f6a7b")

_NAMESPACE_BYTES = NAMESPACE.bytes
_VARIANT_DIGIT = {d: "89ab"[int(d, 16) & 3] for d in "0123456789abcdef"}
_UUID_TEXT = re.compile(
    r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
)

CONTEXT_CHARS = 32  # prefix/suffix length kept with every span (W3C TextQuoteSelector context)


def new_id() -> str:
    return str(uuid.uuid4())


@functools.cache
def _hashed_kind(kind: str) -> Any:
    """The SHA-1 state after the namespace and ``kind:``, copied for every id of that kind."""
    return hashlib.sha1(_NAMESPACE_BYTES + f"{kind}:".encode())


def derived_id(kind: str, key: str) -> str:
    """A stable id that follows content: the same kind and key give the same id everywhere.

    This is ``uuid5(NAMESPACE, f"{kind}:{key}")``, computed without building UUID objects
    because imports derive hundreds of thousands of them.
    """
    digest = _hashed_kind(kind).copy()
    digest.update(key.encode())
    h = digest.hexdigest()
    # Version 5 in the 13th digit; the RFC 4122 variant in the top bits of the 17th.
    return f"{h[:8]}-{h[8:12]}-5{h[13:16]}-{_VARIANT_DIGIT[h[16]]}{h[17:20]}-{h[20:32]}"


def text_sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def now() -> str:
    """UTC, ISO 8601 with milliseconds: sorts as text in time order."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def normalise_name(name: str) -> str:
    """The identity of a tag, target or actor name: case and spacing do not matter."""
    return " ".join(name.casefold().split())


def is_uuid(value: object) -> bool:
    """A UUID in its standard text form (8-4-4-4-12 hexadecimal digits)."""
    return isinstance(value, str) and _UUID_TEXT.fullmatch(value) is not None


@functools.cache
def _field_order(cls: type) -> tuple[str, ...]:
    return tuple(f.name for f in dataclasses.fields(cls))


@functools.cache
def _field_names(cls: type) -> frozenset[str]:
    return frozenset(f.name for f in dataclasses.fields(cls))


@dataclass(frozen=True, kw_only=True)
class Record:
    """Columns every record shares. Subclasses name their table."""

    table: ClassVar[str]
    id: str = field(default_factory=new_id)
    created_by: str | None = None
    created_at: str = field(default_factory=now)
    updated_at: str = ""
    deleted_at: str | None = None

    def __post_init__(self) -> None:
        if not self.updated_at:
            object.__setattr__(self, "updated_at", self.created_at)

    @property
    def live(self) -> bool:
        return self.deleted_at is None

    def row(self) -> dict[str, Any]:
        # Every field is a plain value (text, number, None), so a shallow copy is the row;
        # dataclasses.asdict would deep-copy each one, several times slower.
        return {name: getattr(self, name) for name in _field_order(type(self))}

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Self:
        names = _field_names(cls)
        return cls(**{k: v for k, v in row.items() if k in names})

    def replace(self, **changes: Any) -> Self:
        return dataclasses.replace(self, **changes)


@dataclass(frozen=True, kw_only=True)
class Annotator(Record):
    table: ClassVar[str] = "annotators"
    name: str


@dataclass(frozen=True, kw_only=True)
class Document(Record):
    table: ClassVar[str] = "documents"
    title: str
    text: str
    sha256: str
    author: str | None = None
    date: str | None = None
    source: str | None = None
    language: str | None = None
    pages: str | None = None  # JSON list of each page's start offset (paginated sources)


@dataclass(frozen=True, kw_only=True)
class Tag(Record):
    table: ClassVar[str] = "tags"
    name: str
    parent_id: str | None = None
    colour: str | None = None
    description: str | None = None
    shortcut: str | None = None


@dataclass(frozen=True, kw_only=True)
class Target(Record):
    """What a stance is about: a proposition or policy."""

    table: ClassVar[str] = "targets"
    name: str
    description: str | None = None


@dataclass(frozen=True, kw_only=True)
class Actor(Record):
    """Who holds a stance. ``aliases`` is a JSON list of other names."""

    table: ClassVar[str] = "actors"
    name: str
    aliases: str = "[]"
    description: str | None = None


@dataclass(frozen=True, kw_only=True)
class Span(Record):
    table: ClassVar[str] = "spans"
    document_id: str
    start: int
    end: int
    quote: str
    prefix: str = ""
    suffix: str = ""
    note: str | None = None
    orphaned_at: str | None = None  # could not be placed in the current text; offsets are stale


@dataclass(frozen=True, kw_only=True)
class SpanTag(Record):
    """A tag applied to a span; its id is derived from the pair so both sides of a merge agree."""

    table: ClassVar[str] = "span_tags"
    span_id: str
    tag_id: str


@dataclass(frozen=True, kw_only=True)
class Stance(Record):
    """A position toward a target, on a span (evidence) or on a whole document."""

    table: ClassVar[str] = "stances"
    document_id: str
    target_id: str
    polarity: int
    span_id: str | None = None
    actor_id: str | None = None
    note: str | None = None


@dataclass(frozen=True, kw_only=True)
class Link(Record):
    """A typed, directed relation; each end is a span (with its document) or a whole document."""

    table: ClassVar[str] = "links"
    from_document_id: str
    to_document_id: str
    type: str
    from_span_id: str | None = None
    to_span_id: str | None = None
    note: str | None = None


@dataclass(frozen=True, kw_only=True)
class Conflict(Record):
    """A record both merged projects changed: the version kept and the one that lost (JSON rows).

    Deleting a conflict (a tombstone, as always) marks it reviewed.
    """

    table: ClassVar[str] = "conflicts"
    record_table: str
    record_id: str
    kept: str
    lost: str
    reason: str
    source: str | None = None


RECORD_TYPES: tuple[type[Record], ...] = (
    Annotator,
    Document,
    Tag,
    Target,
    Actor,
    Span,
    SpanTag,
    Stance,
    Link,
    Conflict,
)
RECORD_BY_TABLE: dict[str, type[Record]] = {t.table: t for t in RECORD_TYPES}


@dataclass(frozen=True)
class Change:
    """One row written: ``before`` None means created, ``after`` None means removed.

    ``key`` is the row's primary key (``id``, or ``key`` for settings).
    """

    table: str
    key: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None

    def inverted(self) -> Change:
        return Change(self.table, self.key, self.after, self.before)


@dataclass(frozen=True)
class ChangeSet:
    """What one edit did, in order; applying ``inverse()`` restores the rows exactly."""

    changes: tuple[Change, ...] = ()
    label: str = ""

    def inverse(self) -> ChangeSet:
        return ChangeSet(tuple(c.inverted() for c in reversed(self.changes)), self.label)

    def __bool__(self) -> bool:
        return bool(self.changes)

    def tables(self) -> set[str]:
        return {c.table for c in self.changes}

    def created(self, table: str) -> list[str]:
        return [c.key for c in self.changes if c.table == table and c.before is None]


DEFAULT_SCALE: dict[str, str] = {
    "-2": "strongly against",
    "-1": "against",
    "0": "neutral or ambivalent",
    "1": "in favour",
    "2": "strongly in favour",
}

DEFAULT_LINK_TYPES: tuple[str, ...] = (
    "supports",
    "contradicts",
    "responds to",
    "elaborates",
    "same claim",
    "cites",
)
