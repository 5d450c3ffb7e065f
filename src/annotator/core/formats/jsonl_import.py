"""Import an annotation set: references by id or name, quote-only spans anchored, one transaction.

Malformed input is refused before anything is written (see jsonl_read). A record that cannot be
placed (an unknown document, a quote found nowhere or in several places) is reported with its
line number and skipped; the rest imports. Importing the same set twice changes nothing.
"""

from __future__ import annotations

import json
import re
from typing import Any

from annotator.core import anchoring
from annotator.core.formats import FormatError
from annotator.core.formats.jsonl_read import ParsedSet
from annotator.core.formats.references import UnknownReferenceError
from annotator.core.formats.set_records import RecordImporter
from annotator.core.formats.set_writer import ImportReport, SkipRecord, fragment, text_field
from annotator.core.model import Actor, Change, ChangeSet, Tag, Target, derived_id, is_uuid
from annotator.core.ops import quote_fields, span_tag_id
from annotator.core.store import InvalidEditError, Project

_WHOLE = re.compile(r"[+-]?[0-9]{1,6}")


class SetImporter(RecordImporter):
    """One handler per kind of line, run in the order references need."""

    def apply_header(self, header: dict[str, Any], name: str) -> None:
        """The set's scale values and link types join the project's; checked as the settings
        edits check them, and a bad header refuses the whole set."""
        scale = header.get("stance_scale") or {}
        if not isinstance(scale, dict) or not all(
            _WHOLE.fullmatch(str(k)) and isinstance(v, str) and v.strip() for k, v in scale.items()
        ):
            raise FormatError(f"{name}: stance_scale must give a label to each whole number")
        for key, label in scale.items():
            self.scale.setdefault(str(int(key)), label)
        values = sorted(int(k) for k in self.scale)
        if values != list(range(values[0], values[-1] + 1)):
            raise FormatError(
                f"{name}: its stance scale and the project's together leave a gap "
                f"({', '.join(map(str, values))}); a scale has no gaps"
            )
        types = header.get("link_types") or []
        if not isinstance(types, list) or not all(isinstance(t, str) and t.strip() for t in types):
            raise FormatError(f"{name}: link_types must be a list of names")
        for link_type in types:
            link_type = " ".join(link_type.split())
            if link_type not in self.link_types:
                self.link_types.append(link_type)

    def import_span(self, obj: dict[str, Any]) -> str:
        document_id = self.document(obj.get("document"))
        text = self.text_of(document_id)
        quote = fragment(text_field(obj, "quote") or "")
        start, end = obj.get("start"), obj.get("end")
        if (
            not quote
            and isinstance(start, int)
            and isinstance(end, int)
            and 0 <= start < end <= len(text)
        ):
            quote = text[start:end]  # offsets alone are enough when they fit
        prefix, suffix = (
            fragment(text_field(obj, "prefix") or ""),
            fragment(text_field(obj, "suffix") or ""),
        )
        if obj.get("orphaned_at"):
            return self._import_orphan(obj, document_id, quote, prefix, suffix)
        found = anchoring.locate(
            text,
            quote,
            prefix=prefix,
            suffix=suffix,
            start=start if isinstance(start, int) else None,
            end=end if isinstance(end, int) else None,
        )
        if isinstance(found, anchoring.Unanchored):
            where = "; ".join(f"{c.start}..{c.end}" for c in found.candidates[:3])
            reason = (
                "matches several places equally well"
                if found.reason == "ambiguous"
                else "was not found"
            )
            raise SkipRecord(
                f"quote {quote[:40]!r} {reason} in the document" + (f" ({where})" if where else "")
            )
        self.report.anchored[found.method] += 1
        row, timed = self._span_common(obj, [document_id, quote, prefix, suffix, start, end])
        row |= quote_fields(text, found.start, found.end) | {
            "document_id": document_id,
            "note": text_field(obj, "note"),
            "orphaned_at": None,
        }
        return self._write_span(obj, row, timed)

    def _import_orphan(
        self, obj: dict[str, Any], document_id: str, quote: str, prefix: str, suffix: str
    ) -> str:
        """A span kept for review: its offsets are stale by definition, so none is checked."""
        if not quote:
            raise SkipRecord("an orphaned span needs its quote")
        start, end = obj.get("start"), obj.get("end")
        if not (isinstance(start, int) and isinstance(end, int) and 0 <= start <= end):
            start = end = 0
        row, timed = self._span_common(obj, [document_id, quote, prefix, suffix, start, end])
        row |= {"document_id": document_id, "start": start, "end": end, "quote": quote}
        row |= {"prefix": prefix, "suffix": suffix, "note": text_field(obj, "note")}
        row["orphaned_at"] = text_field(obj, "orphaned_at")
        self.report.anchored["orphaned"] += 1
        return self._write_span(obj, row, timed)

    def _span_common(self, obj: dict[str, Any], identity: list[Any]) -> tuple[dict[str, Any], bool]:
        """The fields every span has; a line without an id gets one derived from ``identity``
        (where it is, as the line says) and its annotator, so importing it again matches."""
        annotator = self.annotator(obj.get("annotator"))
        return self.common(
            obj,
            lambda: derived_id("span", json.dumps([*identity, annotator], ensure_ascii=False)),
            author=annotator,
        )

    def _write_span(self, obj: dict[str, Any], row: dict[str, Any], timed: bool) -> str:
        tags = obj.get("tags") or []
        if not isinstance(tags, list):
            raise SkipRecord("tags must be a list")
        tag_ids = list(dict.fromkeys(self.named(Tag, t) for t in tags))
        self.settle("spans", row, obj, timed=timed)
        span_id = self.write("spans", row, "span", timed=timed)
        if row["document_id"] in self.retexted:
            self.placed[span_id] = row
        span = self.pending.get(("spans", span_id)) or row
        self._write_span_tags(span, tag_ids, only_add=not timed and "tags" not in obj)
        return span_id

    def _write_span_tags(self, span: dict[str, Any], tag_ids: list[str], only_add: bool) -> None:
        wanted = set(tag_ids)
        for tag_id in tag_ids:
            key = span_tag_id(span["id"], tag_id)
            before = (
                self.current("span_tags", key) if span["id"] in self.existing_ids["spans"] else None
            )
            row = {
                "id": key,
                "created_by": span["created_by"],
                "created_at": span["created_at"],
                "updated_at": span["updated_at"],
                "deleted_at": span["deleted_at"],
                "span_id": span["id"],
                "tag_id": tag_id,
            }
            if before is None:
                self.changes.append(Change("span_tags", key, None, row))
                self.pending[("span_tags", key)] = row
            elif before["deleted_at"] != span["deleted_at"]:
                after = before | {
                    "deleted_at": span["deleted_at"],
                    "updated_at": span["updated_at"],
                }
                self.changes.append(Change("span_tags", key, before, after))
        if span["id"] in self.existing_ids["spans"] and not only_add:
            for pair in self.project.live_span_tags(span_id=span["id"]):
                if pair.tag_id not in wanted and ("spans", span["id"]) in self.pending:
                    gone = pair.replace(deleted_at=self.stamp, updated_at=self.stamp)
                    self.changes.append(Change("span_tags", pair.id, pair.row(), gone.row()))

    def span_ref(self, obj: dict[str, Any], ref: Any) -> str | None:
        """A span given by id, or by a quote object that is located (and created if new)."""
        if ref is None:
            return None
        if isinstance(ref, dict):
            return self.import_span({"annotator": obj.get("annotator"), **ref})
        if isinstance(ref, str) and is_uuid(ref):
            span_id = self.aliases.get(ref, ref)
            if self.current("spans", span_id) is None:
                raise SkipRecord(f"no span with id {ref}")
            return span_id
        raise SkipRecord("a span reference must be a span id or an object with document and quote")

    def import_stance(self, obj: dict[str, Any]) -> None:
        span_id = self.span_ref(obj, obj.get("span"))
        if span_id is None and obj.get("quote"):
            span_id = self.span_ref(
                obj, {k: obj.get(k) for k in ("document", "quote", "prefix", "suffix")}
            )
        document_id = (
            self.current("spans", span_id)["document_id"]
            if span_id
            else self.document(obj.get("document"))
        )
        polarity = obj.get("polarity")
        if (
            not isinstance(polarity, int)
            or isinstance(polarity, bool)
            or str(polarity) not in self.scale
        ):
            raise SkipRecord(
                f"polarity must be a whole number on the scale ({', '.join(sorted(self.scale, key=int))})"
            )
        target = self.named(Target, obj.get("target"))
        actor = self.named(Actor, obj["actor"]) if obj.get("actor") else None
        annotator = self.annotator(obj.get("annotator"))
        row, timed = self.common(
            obj,
            lambda: derived_id(
                "stance", json.dumps([document_id, span_id, target, actor, annotator])
            ),
            author=annotator,
        )
        row |= {
            "document_id": document_id,
            "span_id": span_id,
            "target_id": target,
            "actor_id": actor,
            "polarity": polarity,
            "note": text_field(obj, "note"),
        }
        self.settle("stances", row, obj, timed=timed)
        self.write("stances", row, "stance", timed=timed)

    def link_end(self, obj: dict[str, Any], ref: Any) -> tuple[str, str | None]:
        if isinstance(ref, dict) and not ref.get("quote"):
            return self.document(ref.get("document")), None
        if isinstance(ref, dict) or (
            isinstance(ref, str) and self.current("spans", self.aliases.get(ref, ref))
        ):
            span_id = self.span_ref(obj, ref)
            assert span_id is not None
            return self.current("spans", span_id)["document_id"], span_id
        return self.document(ref), None

    def import_link(self, obj: dict[str, Any]) -> None:
        link_type = " ".join(str(obj.get("type") or "").split())
        if not link_type:
            raise SkipRecord("a link needs a type")
        if link_type not in self.link_types:
            self.link_types.append(link_type)
        from_doc, from_span = self.link_end(obj, obj.get("from"))
        to_doc, to_span = self.link_end(obj, obj.get("to"))
        if (from_doc, from_span) == (to_doc, to_span):
            raise SkipRecord("a link needs two different ends")
        annotator = self.annotator(obj.get("annotator"))
        identity = [from_doc, from_span, to_doc, to_span, link_type, annotator]
        row, timed = self.common(
            obj, lambda: derived_id("link", json.dumps(identity)), author=annotator
        )
        row |= {
            "from_document_id": from_doc,
            "from_span_id": from_span,
            "to_document_id": to_doc,
            "to_span_id": to_span,
            "type": link_type,
            "note": text_field(obj, "note"),
        }
        self.settle("links", row, obj, timed=timed)
        self.write("links", row, "link", timed=timed)

    # -- driving ----------------------------------------------------------------------------

    def run(self, parsed: ParsedSet) -> ImportReport:
        self.ids_carried = parsed.ids_carried
        self.apply_header(parsed.header, parsed.name)
        self.report.unmapped.extend(parsed.unmapped)
        handlers = {
            "annotator": self.import_annotator,
            "document": self.import_document,
            "tag": self.import_tag,
            "target": self.import_target,
            "actor": self.import_actor,
            "span": self.import_span,
            "stance": self.import_stance,
            "link": self.import_link,
        }
        self.implied_documents = parsed.implied_documents
        for kind, handler in handlers.items():
            for place, obj in parsed.lines[kind]:
                try:
                    handler(obj)
                except (SkipRecord, InvalidEditError, UnknownReferenceError) as error:
                    if kind != "document" or not self.document_missing(obj, error, parsed, place):
                        self.warnings.append(str(error))
                self.report.problems += [f"{parsed.where(place)}: {w}" for w in self.warnings]
                self.warnings.clear()
        self.carry_retexted_spans()
        for key, value in (("stance_scale", self.scale), ("link_types", self.link_types)):
            if value != self.project.setting(key):
                self.changes.append(self.project.setting_change(key, value))
        return self.report

    def document_missing(
        self, obj: dict[str, Any], error: Exception, parsed: ParsedSet, place: int | str
    ) -> bool:
        """Remember a document that was not imported, so that each record on it says so once
        in words (not by an id the user never saw); True: no report of its own is due, since
        the reader made it up from what the annotations name."""
        document_id = obj.get("id")
        if not isinstance(document_id, str):
            return False
        implied = document_id in parsed.implied_documents
        self.missing_documents[document_id] = (
            str(error) if implied else f"its document was not imported ({parsed.where(place)})"
        )
        return implied

    def changeset(self) -> ChangeSet:
        return ChangeSet(tuple(self.changes), "Import annotation set")


def import_set(project: Project, parsed: ParsedSet, *, by: str) -> tuple[ImportReport, ChangeSet]:
    """Import in one transaction; returns the report and what was written (undoable)."""
    with project.transaction():
        importer = SetImporter(project, by)
        report = importer.run(parsed)
        changes = importer.changeset()
        project.apply(changes, check=False)
    return report, changes
