"""The annotations of a W3C export as JSON text: one per span, document stance or link.

They are written as text rather than as dicts to encode: an export writes hundreds of
thousands, and what they share (the ``@context``, each annotator as ``creator``, each tag as a
tagging body) is encoded once here and reused. Every value that varies goes through the JSON
encoder. The shapes are shown in docs/w3c.md.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from annotator.core.formats.w3c_nodes import Names, Node, Row
from annotator.core.formats.w3c_vocab import ANNOTATION_CONTEXT, term, urn
from annotator.core.model import derived_id

_encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), check_circular=False).encode
_text = json.encoder.encode_basestring  # one string as JSON (the C encoder, not ASCII-only)
_CONTEXT = '{"@context":' + _encode(ANNOTATION_CONTEXT)


class Fragments:
    """The encoded parts annotations share, and the names they mention."""

    def __init__(self, names: Names) -> None:
        self.names = names
        self.creators = {i: ',"creator":' + _encode(a) for i, a in names.agents.items()}
        self.tag_bodies = {
            tag_id: _encode(
                {"type": "TextualBody", "purpose": "tagging", "value": path}
                | {term("tag"): {"id": urn(tag_id)}}
            )
            for tag_id, path in names.tag_paths.items()
        }

    def lifecycle(self, row: Row) -> str:
        """``created``, ``modified`` and ``creator`` members."""
        return (
            f',"created":{_text(row["created_at"])},"modified":{_text(row["updated_at"])}'
            + self.creators.get(row["created_by"] or "", "")
        )

    def head(self, annotation_id: str, motivation: str, row: Row) -> str:
        """An annotation's opening members, up to its body (the object is left open)."""
        return (
            f'{_CONTEXT},"id":{_text(urn(annotation_id))},"type":"Annotation",'
            f'"motivation":"{motivation}"' + self.lifecycle(row)
        )


def passage(span: Row, *, naming_span: bool = False) -> str:
    """A span as a SpecificResource: its document and both text selectors (code points)."""
    quote = '{"type":"TextQuoteSelector","exact":' + _text(span["quote"])
    if span["prefix"]:
        quote += ',"prefix":' + _text(span["prefix"])
    if span["suffix"]:
        quote += ',"suffix":' + _text(span["suffix"])
    position = (
        f'{{"type":"TextPositionSelector","start":{int(span["start"])},"end":{int(span["end"])}}}'
    )
    named = f',"{term("span")}":{{"id":{_text(urn(span["id"]))}}}' if naming_span else ""
    return (
        f'{{"type":"SpecificResource","source":{_text(urn(span["document_id"]))}{named},'
        f'"selector":[{quote}}},{position}]}}'
    )


def note_body(note: str) -> str:
    return f'{{"type":"TextualBody","purpose":"commenting","value":{_text(note)},"format":"text/plain"}}'


def stance_body(stance: Row, fragments: Fragments) -> str:
    """A stance as a classifying TextualBody: readable ``value``, exact fields in our terms."""
    names = fragments.names
    polarity = stance["polarity"]
    label = names.scale.get(polarity, "")
    target = names.targets.get(stance["target_id"], "")
    actor = names.actors.get(stance["actor_id"] or "")
    value = f"{target}: {label} ({polarity:+d})" if polarity else f"{target}: {label} (0)"
    # No "id" on the body: the W3C tests take a body with an id for an External Web Resource,
    # which may not carry a purpose. The stance's id is one of our terms instead.
    body: Node = {"type": "TextualBody", "purpose": "classifying"}
    body["value"] = value + (f", held by {actor}" if actor else "")
    body[term("stance")] = {"id": urn(stance["id"])}
    body[term("stanceTarget")] = {"id": urn(stance["target_id"]), "label": target}
    if stance["actor_id"]:
        body[term("actor")] = {"id": urn(stance["actor_id"]), "label": actor or ""}
    body[term("polarity")] = polarity
    if label:
        body[term("polarityLabel")] = label
    if stance["note"]:
        body[term("note")] = stance["note"]
    return _encode(body)[:-1] + fragments.lifecycle(stance) + "}"


def bodies(parts: Sequence[str]) -> str:
    """The ``body`` member. One body is written as itself: the W3C tests read a one-item list
    holding an IRI two ways and fail it."""
    if not parts:
        return ""
    return ',"body":' + (parts[0] if len(parts) == 1 else "[" + ",".join(parts) + "]")


def span_annotation(
    span: Row, tag_ids: Sequence[str], stances: Sequence[Row], fragments: Fragments
) -> str:
    """A span with its tags, note and stances (on it as evidence) as bodies."""
    paths = fragments.names.tag_paths
    # Sorted by path, so two projects holding the same coding write the same bodies.
    tags = [fragments.tag_bodies[t] for t in sorted(tag_ids, key=lambda t: paths.get(t, ""))
            if t in fragments.tag_bodies]  # fmt: skip
    parts = tags + ([note_body(span["note"])] if span["note"] else [])
    parts += [stance_body(stance, fragments) for stance in stances]
    motivation = (
        "tagging" if tags
        else "commenting" if span["note"]
        else "classifying" if stances
        else "highlighting"
    )  # fmt: skip
    head = fragments.head(span["id"], motivation, span)
    return head + bodies(parts) + ',"target":' + passage(span) + "}"


def document_stance_annotation(stance: Row, fragments: Fragments) -> str:
    """A stance on a whole document: the body is the stance, the target the document's IRI."""
    annotation_id = derived_id("w3c-stance-annotation", stance["id"])
    head = fragments.head(annotation_id, "classifying", stance)
    target = _text(urn(stance["document_id"]))
    return head + bodies([stance_body(stance, fragments)]) + f',"target":{target}}}'


def link_end(document_id: str, span: Row | None) -> str:
    return _text(urn(document_id)) if span is None else passage(span, naming_span=True)


def link_annotation(link: Row, ends: tuple[Any, Any], fragments: Fragments) -> str:
    """A link: target its "from" end, body its "to" end (and its note), type in our terms."""
    head = fragments.head(link["id"], "linking", link)
    head += f',"{term("linkType")}":{_text(link["type"])}'
    parts = [link_end(link["to_document_id"], ends[1])]
    if link["note"]:
        parts.append(note_body(link["note"]))
    target = link_end(link["from_document_id"], ends[0])
    return head + bodies(parts) + f',"target":{target}}}'
