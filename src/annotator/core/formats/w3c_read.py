"""Find the annotations in a JSON file: a W3C collection, page, list or single annotation, or
Hypothesis API annotations (one, a list, or a search response with ``rows``).

Hypothesis annotations are rewritten into the W3C shape here, so one translator serves both.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from annotator.core.formats import FormatError
from annotator.core.formats.jsonl_read import MAX_SET_BYTES
from annotator.core.formats.w3c_parts import Malformed, as_list, text_of, types_of
from annotator.core.json_input import parse_json

NOT_ANNOTATIONS = (
    "not W3C Web Annotations nor Hypothesis annotations "
    "(expected an Annotation, AnnotationPage or AnnotationCollection)"
)


@dataclass
class Found:
    annotations: list[dict[str, Any]] = field(default_factory=list)
    collection: dict[str, Any] | None = None  # ours carries documents and the codebook
    by_reference: int = 0  # page items given only by IRI: not in the file
    pages_elsewhere: bool = False


def load(path: Path) -> Any:
    try:
        size = path.stat().st_size
        if size > MAX_SET_BYTES:
            raise FormatError(f"{path.name}: too large to import ({size} bytes)")
        raw = path.read_bytes()
    except OSError as error:
        raise FormatError(f"{path.name}: cannot read ({error.strerror})") from error
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise FormatError(f"{path.name}: not UTF-8 text (byte {error.start})") from error
    del raw  # a large file is held once, not twice, while it is parsed
    try:
        return parse_json(text)
    except ValueError as error:
        raise FormatError(f"{path.name}: not valid JSON ({error})") from None
    except RecursionError:
        raise FormatError(f"{path.name}: JSON nested too deeply") from None


def find_annotations(data: Any) -> Found:
    """The annotations of the file, in order; raises Malformed when there are none to find."""
    found = Found()
    if isinstance(data, list):
        if not data:
            raise Malformed("an empty list holds no annotations")
        _items(found, data, "list")
    elif not isinstance(data, dict):
        raise Malformed(NOT_ANNOTATIONS)
    elif "AnnotationCollection" in types_of(data):
        found.collection = data
        first = data.get("first")
        pages = [first] if isinstance(first, dict) else []
        found.pages_elsewhere = isinstance(first, str)
        extra = data.get("pages", [])
        if not isinstance(extra, list):
            raise Malformed("pages must be a list of AnnotationPage objects")
        for number, page in enumerate([*pages, *extra], start=1):
            _page(found, page, f"page {number}")
    elif "AnnotationPage" in types_of(data):
        _page(found, data, "page")
    elif is_annotation(data) or is_hypothesis(data):
        _items(found, [data], "file")
    elif isinstance(data.get("rows"), list):
        _items(found, data["rows"], "rows")
    else:
        raise Malformed(NOT_ANNOTATIONS)
    return found


def _page(found: Found, page: Any, where: str) -> None:
    if not isinstance(page, dict) or "AnnotationPage" not in types_of(page):
        raise Malformed(f"{where}: not an AnnotationPage")
    items = page.get("items")
    if not isinstance(items, list):
        raise Malformed(f"{where}: items must be a list")
    _items(found, items, where)


def _items(found: Found, items: list[Any], where: str) -> None:
    for number, item in enumerate(items, start=1):
        if isinstance(item, str):
            found.by_reference += 1
        elif isinstance(item, dict) and is_annotation(item):
            found.annotations.append(item)
        elif isinstance(item, dict) and is_hypothesis(item):
            found.annotations.append(from_hypothesis(item, f"{where} item {number}"))
        else:
            raise Malformed(f"{where} item {number}: {NOT_ANNOTATIONS}")


def is_annotation(obj: dict[str, Any]) -> bool:
    return "Annotation" in types_of(obj)


def is_hypothesis(obj: dict[str, Any]) -> bool:
    """The Hypothesis API's own shape: no type, a ``uri`` and a list of targets."""
    return "type" not in obj and "uri" in obj and isinstance(obj.get("target", []), list)


def from_hypothesis(h: dict[str, Any], where: str) -> dict[str, Any]:
    """A Hypothesis API annotation in W3C terms: text and tags become bodies, user a creator."""
    uri = text_of(h, "uri", where)
    annotation: dict[str, Any] = {"type": "Annotation", "id": h.get("id")}
    for key, w3c_key in (("created", "created"), ("updated", "modified")):
        if h.get(key) is not None:
            annotation[w3c_key] = text_of(h, key, where)
    user_info = h.get("user_info")
    name = text_of(user_info, "display_name", where) if isinstance(user_info, dict) else None
    user = text_of(h, "user", where)
    if name or user:
        annotation["creator"] = {"type": "Person", "id": user, "name": name} if name else user
    bodies: list[dict[str, Any]] = []
    text = text_of(h, "text", where)
    if text and text.strip():
        bodies.append({"type": "TextualBody", "purpose": "commenting", "value": text})
    tags = h.get("tags") or []
    if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
        raise Malformed(f"{where}: tags must be a list of texts")
    bodies += [{"type": "TextualBody", "purpose": "tagging", "value": t} for t in tags]
    annotation["body"] = bodies
    targets = []
    title = _hypothesis_title(h)
    for target in as_list(h.get("target")):
        if not isinstance(target, dict):
            raise Malformed(f"{where}: a target must be an object")
        source = target.get("source", uri)
        if isinstance(source, list) and len(source) == 1:
            source = source[0]  # some clients send the source as a one-item list
        targets.append({**target, "source": {"id": source, "title": title}})
    annotation["target"] = targets or [{"source": {"id": uri, "title": title}}]
    if h.get("references"):
        annotation["motivation"] = "replying"  # a reply in a discussion thread
    return annotation


def _hypothesis_title(h: dict[str, Any]) -> str | None:
    document = h.get("document")
    if not isinstance(document, dict):
        return None
    titles = document.get("title")
    if isinstance(titles, list):
        titles = next((t for t in titles if isinstance(t, str) and t.strip()), None)
    return titles if isinstance(titles, str) else None
