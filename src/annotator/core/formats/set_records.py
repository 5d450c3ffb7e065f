"""Importing the records a set's annotations point at: annotators, documents, the codebook,
targets and actors. Values are checked as the edit operations check them; a document whose
text changes carries its stored spans into the new text, as replacing a text does."""

from __future__ import annotations

import json
from typing import Any

from annotator.core import reanchor
from annotator.core.formats.references import UnknownReferenceError
from annotator.core.formats.set_writer import SetWriter, SkipRecord, fragment, text_field
from annotator.core.model import (
    Actor,
    Annotator,
    Change,
    Tag,
    Target,
    derived_id,
    new_id,
    text_sha256,
)
from annotator.core.ops.codebook import tag_value_problem

_NAMING = ("name", "parent_id")  # always given by a line, if only as null


def pages_field(obj: dict[str, Any], length: int) -> str | None:
    """Page start offsets as stored (JSON text), or None; nonsense is refused, not kept."""
    pages = obj.get("pages")
    if pages is None:
        return None
    if (
        not isinstance(pages, list)
        or not all(isinstance(p, int) and 0 <= p <= length for p in pages)
        or pages != sorted(pages)
    ):
        raise SkipRecord("pages must be a rising list of offsets into the text")
    return json.dumps(pages)


class RecordImporter(SetWriter):
    """Handlers for the kinds of line that stand on their own."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.retexted: dict[str, str] = {}  # document id -> title, whose text this import changes
        # span id -> where the set places it in its document's text (even when the span is
        # otherwise unchanged): in a text the set replaces, the set's own place wins
        self.placed: dict[str, dict[str, Any]] = {}
        self.warnings: list[str] = []  # a value left out of a record that was imported all the same
        self.implied_documents: set[str] = set()  # see ParsedSet

    def import_annotator(self, obj: dict[str, Any]) -> None:
        name = " ".join((text_field(obj, "name") or "").split())
        if not name:
            raise SkipRecord("an annotator needs a name")
        given = obj.get("id")
        if given and given in self.refs.ids(Annotator):
            record_id = given
        else:
            found = self.refs.find(Annotator, name)
            if given and found:
                self.aliases[given] = found  # the same person, known here under another id
            record_id = found or given or new_id()
        author = obj.get("annotator")
        author = self.aliases.get(author, author)
        if author not in self.refs.ids(Annotator):
            author = record_id  # its author is not here (yet): it stands for itself
        row, timed = self.common({**obj, "id": record_id}, author=author)
        row["name"] = name
        self.write("annotators", row, "annotator", timed=timed)
        self.refs.remember(Annotator.from_row(row))

    def import_document(self, obj: dict[str, Any]) -> None:
        text = text_field(obj, "text")
        given_id = obj.get("id")
        if text is None:
            found = self.refs.document(given_id) if given_id else None
            found = (
                found
                or self._by_sha(obj.get("sha256"))
                or self.refs.document(obj.get("title") or "")
                or self.refs.document_by_source(obj.get("source"))
            )
            if found is None:
                raise SkipRecord(self._not_here(obj))
            if given_id and given_id != found:
                self.aliases[given_id] = found
            self.report.unchanged["document"] += 1
            return
        text = fragment(text)
        if not text:  # as adding a document refuses it (a blank text is still a text)
            raise SkipRecord(f"document {obj.get('title') or given_id!r} has no text")
        sha = text_sha256(text)
        same_text = self._by_sha(sha)
        record_id = same_text or given_id or derived_id("document", sha)
        if given_id and given_id != record_id:
            self.aliases[given_id] = record_id
        row, timed = self.common({**obj, "id": record_id})
        fields = {k: text_field(obj, k) for k in ("title", "author", "date", "source", "language")}
        fields["pages"] = pages_field(obj, len(text))
        current = self.current("documents", record_id)
        if current is not None:  # a field the line does not mention keeps its stored value
            fields |= {k: current[k] for k in fields if k not in obj}
            if current["text"] != text and "pages" not in obj:
                fields["pages"] = None  # where pages started in the old text, not in this one
        title = (fields["title"] or "").strip() or text_field(obj, "default_title") or "Untitled"
        row |= fields | {"title": title, "text": text, "sha256": sha}
        self.write("documents", row, "document", timed=timed)
        written = self.pending.get(("documents", record_id)) is row
        if written and current is not None and current["text"] != text:
            self.retexted[record_id] = title
        self.refs.remember_document(record_id, title)

    def _not_here(self, obj: dict[str, Any]) -> str:
        title, source = obj.get("title"), obj.get("source")
        if obj.get("id") in self.implied_documents:  # named by a web annotation: no text to give
            named = " ".join(filter(None, [title and repr(title), source and f"({source})"]))
            return f"document {named} is not in the project (import the document first)"
        return (
            f"document {title or obj.get('id')!r} is not in the project and the file carries "
            "no text (import the document first, or export the set with --with-text)"
        )

    def carry_retexted_spans(self) -> None:
        """The stored spans of each document whose text this import replaced, and that the set
        itself did not write anew, take the place the set gives them in the new text, else move
        to where their quotes now are or become orphans: as ``ops.replace_document_text`` does,
        inside this import's one change set. A move is not an edit of the span: its
        ``updated_at`` stays, so it never outranks a colleague's change in a later merge."""
        for document_id, title in self.retexted.items():
            text = self.pending[("documents", document_id)]["text"]
            rows = [
                s.row()
                for s in self.project.spans_of_document(document_id)
                if ("spans", s.id) not in self.pending
            ]
            given = [(r, self.placed[r["id"]], "given") for r in rows if r["id"] in self.placed]
            carried = reanchor.carry_spans(
                text, [r for r in rows if r["id"] not in self.placed], stamp=self.stamp
            )
            stored = {r["id"]: r for r in rows}
            moved = orphaned = 0
            for row, place, method in given + [(c.row, c.row, c.method) for c in carried]:
                before = stored[row["id"]]
                after = before | {k: place[k] for k in reanchor.PLACEMENT}
                if after == before:
                    continue
                self.changes.append(Change("spans", before["id"], before, after))
                self.pending[("spans", before["id"])] = after
                if method == "orphaned":
                    orphaned += before["orphaned_at"] is None
                else:
                    moved += method != "position"
            self.report.retexted.append((title, moved, orphaned))

    def import_tag(self, obj: dict[str, Any]) -> None:
        name = text_field(obj, "name")
        if not name or not name.strip():
            raise SkipRecord("a tag needs a name")
        if "/" in name:
            raise SkipRecord(f"a tag name cannot contain '/' ({name!r}); give its parent instead")
        parent = self.named(Tag, obj["parent"]) if obj.get("parent") else None
        fields = {
            "name": " ".join(name.split()),
            "parent_id": parent,
            "colour": text_field(obj, "colour"),
            "description": text_field(obj, "description"),
            "shortcut": text_field(obj, "shortcut"),
        }
        for field in ("colour", "shortcut"):
            problem = tag_value_problem(field, fields[field])
            if problem is not None:  # the tag is still wanted, only without that value
                self.warnings.append(f"tag {fields['name']!r}: {problem}; left out")
                fields[field] = None
                obj = {k: v for k, v in obj.items() if k != field}
        self._import_named(Tag, obj, fields)

    def import_target(self, obj: dict[str, Any]) -> None:
        self._import_named(
            Target,
            obj,
            {
                "name": " ".join((text_field(obj, "name") or "").split()),
                "description": text_field(obj, "description"),
            },
        )

    def import_actor(self, obj: dict[str, Any]) -> None:
        aliases = obj.get("aliases") or []
        if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
            raise SkipRecord("aliases must be a list of names")
        self._import_named(
            Actor,
            obj,
            {
                "name": " ".join((text_field(obj, "name") or "").split()),
                "aliases": json.dumps(aliases, ensure_ascii=False),
                "description": text_field(obj, "description"),
            },
        )

    def _import_named(
        self,
        cls: type[Tag] | type[Target] | type[Actor],
        obj: dict[str, Any],
        fields: dict[str, Any],
    ) -> None:
        if not fields["name"]:
            raise SkipRecord(f"a {cls.__name__.lower()} needs a name")
        given = obj.get("id")
        by_name = self._same_name(cls, fields)
        record_id = given if given and given in self.refs.ids(cls) else by_name or given
        if given and by_name and given != by_name and given not in self.refs.ids(cls):
            self.aliases[given] = by_name  # already here under its name: do not fork it
        if record_id is None:
            key = f"{fields.get('parent_id') or ''}/{fields['name'].casefold()}"
            record_id = derived_id(cls.table, key)
        current = self.current(cls.table, record_id)
        if current is not None:  # a field the line does not mention keeps its stored value
            fields |= {k: current[k] for k in fields if k not in obj and k not in _NAMING}
        if cls is Tag:
            self._check_tag_place(record_id, fields)
        row, timed = self.common({**obj, "id": record_id})
        row |= fields
        self.write(cls.table, row, cls.__name__.lower(), timed=timed)
        self.refs.remember(cls.from_row(row))

    def _check_tag_place(self, tag_id: str, fields: dict[str, Any]) -> None:
        """No tag inside itself; a shortcut already held by another tag here stays with it (an
        edit would move it, but an import should not quietly re-key the analyst's codebook)."""
        parent, seen = fields["parent_id"], {tag_id}
        while parent is not None and parent in self.refs.tags:
            if parent in seen:
                raise SkipRecord(f"tag {fields['name']!r} cannot be placed inside itself")
            seen.add(parent)
            parent = self.refs.tags[parent].parent_id
        if fields["shortcut"] is None:
            return
        holder = next(
            (
                t
                for t in self.refs.tags.values()
                if t.id != tag_id and t.live and t.shortcut == fields["shortcut"]
            ),
            None,
        )
        if holder is not None:
            self.warnings.append(
                f"tag {fields['name']!r}: shortcut {fields['shortcut']!r} already belongs to "
                f"tag {holder.name!r}; left out"
            )
            fields["shortcut"] = None

    def _same_name(
        self, cls: type[Tag] | type[Target] | type[Actor], fields: dict[str, Any]
    ) -> str | None:
        name = fields["name"]
        if cls is Tag and fields.get("parent_id"):
            name = f"{self.refs.tag_path(fields['parent_id'])}/{name}"
        try:
            found = self.refs.find(cls, name)
        except UnknownReferenceError:
            return None
        if cls is Tag and found and self.refs.tags[found].parent_id != fields.get("parent_id"):
            return None
        return found
