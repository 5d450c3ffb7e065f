"""The parts of one W3C annotation as plain values: its passage, bodies and creator.

Values of the wrong JSON type raise :class:`Malformed` (the whole file is refused); what is
well formed but has no equivalent here is returned in ``unused`` for the report.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from annotator.core.formats.w3c_vocab import ours, stored_time, uuid_of

NOTE_PURPOSES = {
    None,
    "commenting",
    "describing",
    "replying",
    "questioning",
    "assessing",
    "editing",
}
TAG_PURPOSES = {"tagging", "classifying"}


class Malformed(ValueError):
    """A value of the wrong type: the message says where, without the file name."""


def types_of(obj: dict[str, Any]) -> set[str]:
    kind = obj.get("type")
    if isinstance(kind, str):
        return {kind}
    if isinstance(kind, list):
        return {k for k in kind if isinstance(k, str)}
    return set()


def as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def text_of(obj: dict[str, Any], key: str, where: str) -> str | None:
    value = obj.get(key)
    if value is None:
        return None
    if isinstance(value, list) and len(value) == 1:
        value = value[0]  # JSON-LD may write any single value as a one-item array
    if not isinstance(value, str):
        raise Malformed(f"{where}: {key} must be text")
    return value


def whole_number(obj: dict[str, Any], key: str, where: str) -> int | None:
    value = obj.get(key)
    if value is None:
        return None
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise Malformed(f"{where}: {key} must be a whole number, not {value!r}")
    return value


def node_id(value: Any, where: str) -> str | None:
    """The id of a node reference, written ``{"id": IRI}`` or as the IRI alone."""
    if value is None:
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        return text_of(value, "id", where)
    raise Malformed(f"{where}: expected an IRI or an object with an id")


@dataclass
class Passage:
    """Where an annotation points: a document IRI, and a passage of it when selectors say."""

    source: str
    exact: str | None = None
    prefix: str | None = None
    suffix: str | None = None
    start: int | None = None
    end: int | None = None
    span_id: str | None = None  # ours: the span this passage is
    title: str | None = None  # of the document, when the source describes itself
    selectors: int = 0  # given, usable or not
    unused: list[str] = field(default_factory=list)

    @property
    def whole(self) -> bool:
        """No passage: the whole document, or selectors none of which can be used."""
        return self.exact is None and self.start is None


def passage(value: Any, where: str) -> Passage:
    """A target (or link body): an IRI, an External Web Resource or a SpecificResource."""
    if isinstance(value, str):
        return Passage(value)
    if not isinstance(value, dict):
        raise Malformed(f"{where}: must be an IRI or an object")
    if "source" not in value:
        iri = text_of(value, "id", where)
        if iri is None:
            raise Malformed(f"{where}: has neither a source nor an id")
        return Passage(iri, title=_title(value, where))
    source = value["source"]
    found = Passage("", span_id=uuid_of(node_id(ours(value, "span"), where)))
    if isinstance(source, dict):
        found.title = _title(source, where)
        source = source.get("id")
    if not isinstance(source, str):
        raise Malformed(f"{where}: source must be an IRI or an object with an id")
    found.source = source
    for selector in as_list(value.get("selector")):
        _select(found, selector, where)
    for key in ("state", "scope", "refinedBy"):
        if key in value:
            found.unused.append(f"{key} on a target")
    return found


def _title(obj: dict[str, Any], where: str) -> str | None:
    for key in ("title", "dc:title", "dcterms:title", "label"):
        title = text_of(obj, key, where)
        if title:
            return title
    return None


def _select(found: Passage, selector: Any, where: str) -> None:
    found.selectors += 1
    if not isinstance(selector, dict):
        if isinstance(selector, str):
            found.unused.append("selectors given by IRI")
            return
        raise Malformed(f"{where}: a selector must be an object")
    kind = types_of(selector)
    if "TextQuoteSelector" in kind and found.exact is None:
        found.exact = text_of(selector, "exact", f"{where} TextQuoteSelector")
        if found.exact is None:
            raise Malformed(f"{where}: a TextQuoteSelector needs exact")
        found.prefix = text_of(selector, "prefix", f"{where} TextQuoteSelector")
        found.suffix = text_of(selector, "suffix", f"{where} TextQuoteSelector")
    elif "TextPositionSelector" in kind and found.start is None:
        position = f"{where} TextPositionSelector"
        start, end = (
            whole_number(selector, "start", position),
            whole_number(selector, "end", position),
        )
        if start is None or end is None or start > end:
            raise Malformed(f"{position}: needs start <= end")
        found.start, found.end = start, end
    else:
        found.unused.append(next(iter(sorted(kind)), "a selector without a type"))
        return
    if "refinedBy" in selector:
        found.unused.append("refinedBy on a selector")


@dataclass
class Stance:
    fields: dict[str, Any]  # target, actor (refs), polarity, note, id
    body: dict[str, Any]  # for its own creator and times


@dataclass
class Bodies:
    tags: list[str] = field(default_factory=list)  # tag ids (ours) or names and paths
    tag_ids: dict[str, str] = field(default_factory=dict)  # path -> tag id, when ours
    notes: list[str] = field(default_factory=list)
    stances: list[Stance] = field(default_factory=list)
    resources: list[Passage] = field(default_factory=list)  # not text: link ends
    unused: list[str] = field(default_factory=list)


def bodies(annotation: dict[str, Any], where: str) -> Bodies:
    found = Bodies()
    body_value = text_of(annotation, "bodyValue", where)
    if body_value:
        found.notes.append(body_value)
    for number, body in enumerate(as_list(annotation.get("body")), start=1):
        _body(found, body, f"{where} body {number}")
    return found


def _body(found: Bodies, body: Any, where: str) -> None:
    if isinstance(body, str):
        found.resources.append(Passage(body))
        return
    if not isinstance(body, dict):
        raise Malformed(f"{where}: must be an IRI or an object")
    kind = types_of(body)
    if kind & {"Choice", "Composite", "List", "Independents"} or "items" in body:
        found.unused.append(f"{'/'.join(sorted(kind)) or 'multiplicity'} bodies")
        return
    if "value" not in body and "TextualBody" not in kind:
        found.resources.append(passage(body, where))
        return
    value = text_of(body, "value", where) or ""
    purposes = [p for p in as_list(body.get("purpose")) if isinstance(p, str)] or [None]
    if ours(body, "polarity") is not None:
        found.stances.append(Stance(stance_fields(body, where), body))
    elif any(p in TAG_PURPOSES for p in purposes):
        if value.strip():
            found.tags.append(value)
            tag_id = uuid_of(node_id(ours(body, "tag"), where))
            if tag_id:
                found.tag_ids[value] = tag_id
    elif any(p in NOTE_PURPOSES for p in purposes):
        if value.strip():
            found.notes.append(value)
    else:
        found.unused.append(f"text bodies with purpose {purposes[0]!r}")


def stance_fields(body: dict[str, Any], where: str) -> dict[str, Any]:
    """Our stance terms on a classifying body: target, actor, polarity, note and its id."""
    polarity = ours(body, "polarity")
    if not isinstance(polarity, int) or isinstance(polarity, bool):
        raise Malformed(f"{where}: annotator:polarity must be a whole number")
    fields: dict[str, Any] = {
        "polarity": polarity,
        "id": uuid_of(node_id(ours(body, "stance"), where)),
    }
    for key, term_name in (("target", "stanceTarget"), ("actor", "actor")):
        node = ours(body, term_name)
        if node is None:
            fields[key] = None
            continue
        if not isinstance(node, dict):
            raise Malformed(f"{where}: annotator:{term_name} must be an object with id and label")
        fields[key] = (uuid_of(text_of(node, "id", where)), text_of(node, "label", where))
    if fields["target"] is None:
        raise Malformed(f"{where}: a stance needs annotator:stanceTarget")
    note = ours(body, "note")
    if note is not None and not isinstance(note, str):
        raise Malformed(f"{where}: annotator:note must be text")
    fields["note"] = note
    return fields


@dataclass
class Lifecycle:
    annotator: str | None = None  # a UUID (with a name in ``named``) or a name
    named: tuple[str, str] | None = None  # (id, name) of an annotator to create
    created_at: str | None = None
    updated_at: str | None = None
    bad_times: int = 0

    def fields(self) -> dict[str, Any]:
        found = {
            "annotator": self.annotator,
            "created_at": self.created_at,
            "updated_at": self.updated_at,
        }
        return {k: v for k, v in found.items() if v is not None}


def lifecycle(obj: dict[str, Any], where: str, *, modified_key: str = "modified") -> Lifecycle:
    """Who made a resource and when: ``creator``, ``created`` and ``modified``."""
    found = Lifecycle()
    for key, attribute in (("created", "created_at"), (modified_key, "updated_at")):
        raw = text_of(obj, key, where)
        if raw is not None:
            when = stored_time(raw)
            found.bad_times += when is None
            setattr(found, attribute, when)
    creators = as_list(obj.get("creator"))
    if creators:
        found.annotator, found.named = creator(creators[0], where)
    return found


def creator(value: Any, where: str) -> tuple[str | None, tuple[str, str] | None]:
    """An Agent (or its IRI) as an annotator reference: our UUID with its name, or a name."""
    if isinstance(value, str):
        return account_name(value), None
    if not isinstance(value, dict):
        raise Malformed(f"{where}: creator must be an IRI or an Agent object")
    name = text_of(value, "name", f"{where} creator") or text_of(value, "nickname", where)
    iri = text_of(value, "id", f"{where} creator")
    annotator_id = uuid_of(iri)
    if annotator_id and name and name.strip():
        return annotator_id, (annotator_id, name)
    if name and name.strip():
        return name, None
    return (account_name(iri) if iri else None), None


def account_name(iri: str) -> str:
    """A readable name from an account IRI: ``acct:ani@hypothes.is`` -> ``ani``."""
    for scheme in ("acct:", "mailto:"):
        if iri.startswith(scheme):
            return iri[len(scheme) :].split("@", 1)[0] or iri
    return iri
