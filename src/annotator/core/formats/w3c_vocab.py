"""Names the W3C Web Annotation export and import share: contexts, our namespace, IRIs, times.

What the W3C model has no word for (stances, link types, the codebook, document texts) is said
with terms of our own namespace, written as compact IRIs (``annotator:polarity``) so that every
annotation's ``@context`` stays one short line. See docs/w3c.md.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from annotator.core.model import is_uuid

ANNO_CONTEXT = "http://www.w3.org/ns/anno.jsonld"
NAMESPACE = "https://w3id.org/annotator/ns#"
PREFIX = "annotator"

ANNOTATION_CONTEXT: list[Any] = [ANNO_CONTEXT, {PREFIX: NAMESPACE}]
# The collection carries its pages after the first one in "pages", an ordered list of our own.
COLLECTION_CONTEXT: list[Any] = [
    ANNO_CONTEXT,
    {PREFIX: NAMESPACE, "pages": {"@id": f"{PREFIX}:pages", "@container": "@list"}},
]

URN_UUID = "urn:uuid:"


def term(name: str) -> str:
    """A key of our namespace as written: ``annotator:name``."""
    return f"{PREFIX}:{name}"


def ours(obj: dict[str, Any], name: str) -> Any:
    """The value of one of our terms, written compact or as a full IRI."""
    value = obj.get(term(name))
    return value if value is not None else obj.get(NAMESPACE + name)


def urn(record_id: str) -> str:
    return URN_UUID + record_id


def uuid_of(iri: Any) -> str | None:
    """The UUID of a ``urn:uuid:`` IRI (how we name every record), else None."""
    if isinstance(iri, str) and iri[:9].lower() == URN_UUID and is_uuid(iri[9:]):
        return iri[9:].lower()
    return None


def ordered(values: list[Any]) -> dict[str, list[Any]]:
    """A JSON-LD list: a plain JSON array would be an unordered set."""
    return {"@list": values}


def unlist(value: Any) -> Any:
    """A plain array from either a JSON-LD list object or an array."""
    if isinstance(value, dict) and "@list" in value:
        return value["@list"]
    return value


def stored_time(value: Any) -> str | None:
    """An ISO 8601 time as the project stores it (UTC, milliseconds, ``Z``), or None.

    Other tools write offsets and microseconds (``2016-04-19T18:07:04.785036+00:00``); the
    project compares times as text, so they are brought to one form.
    """
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"
