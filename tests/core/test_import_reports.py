"""What an import reports: one problem per item of the file, placed as the file counts it, in
words the user knows (titles, addresses), never an id made up inside the importer."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from annotator.core import ops
from annotator.core.formats import FormatError
from annotator.core.formats.jsonl_import import import_set
from annotator.core.formats.jsonl_read import parse_lines
from annotator.core.formats.w3c_import import read_w3c
from annotator.core.store import Project

from .sample import Sample, snapshot

URL = "https://example.org/illusion"


def hypothesis_row(row_id: str, uri: str, title: str, **fields) -> dict:
    row = {"id": row_id, "created": "2025-05-21T10:00:00+00:00", "user": "acct:lusine@hypothes.is"}
    row |= {"updated": "2025-05-21T10:05:00+00:00", "uri": uri, "tags": []}
    row |= {"document": {"title": [title]}, "target": [{"source": uri}]}
    return row | fields


def quoted(uri: str, exact: str) -> list[dict]:
    return [{"source": uri, "selector": [{"type": "TextQuoteSelector", "exact": exact}]}]


def test_hypothesis_problems_are_numbered_by_annotation_once_each(
    sample: Sample, tmp_path: Path
) -> None:
    p = sample.project
    ops.update_document(p, by=sample.me, document_id=sample.article, source=URL)
    other = "https://example.org/other"
    rows = [
        hypothesis_row("ok", URL, "Illusion", target=quoted(URL, "victor’s peace"), text="n"),
        hypothesis_row("reply", URL, "Illusion", references=["ok"], text="agreed"),
        hypothesis_row("pagenote", URL, "Illusion", text="page note", tags=["x"]),
        hypothesis_row("nowhere", other, "Unknown doc", target=quoted(other, "zzz")),
        hypothesis_row("again", other, "Unknown doc", target=quoted(other, "yyy")),
    ]
    path = tmp_path / "hypothesis.json"
    path.write_text(json.dumps({"total": 5, "rows": rows}), encoding="utf-8")
    report, _ = import_set(p, read_w3c(path), by="Importer")
    missing = f"document 'Unknown doc' ({other}) is not in the project (import the document first)"
    assert report.problems == [
        f"hypothesis.json annotation 4: {missing}",
        f"hypothesis.json annotation 5: {missing}",
    ]
    assert report.added["span"] == 1


def test_a_span_on_a_document_that_failed_points_at_its_line(project: Project) -> None:
    lines = [
        {"kind": "document", "id": "8a0c4a2e-0d7b-4a8e-9f65-3c1f3f0d2b11", "title": "Gone"},
        {"kind": "span", "document": "8a0c4a2e-0d7b-4a8e-9f65-3c1f3f0d2b11", "quote": "x"},
    ]
    texts = [json.dumps(line) for line in lines]
    report, _ = import_set(project, parse_lines(texts, "set.jsonl"), by="Importer")
    assert len(report.problems) == 2
    assert report.problems[0].startswith("set.jsonl line 1: document 'Gone' is not in the project")
    assert (
        report.problems[1] == "set.jsonl line 2: its document was not imported (set.jsonl line 1)"
    )


@pytest.mark.parametrize(
    ("header", "message"),
    [
        ({"stance_scale": {"x": "y"}}, "stance_scale must give a label to each whole number"),
        ({"stance_scale": {"1": ""}}, "stance_scale must give a label to each whole number"),
        ({"stance_scale": {"7": "far"}}, "leave a gap (-2, -1, 0, 1, 2, 7)"),
        ({"link_types": "cites"}, "link_types must be a list of names"),
    ],
)
def test_a_bad_header_refuses_the_set_and_changes_nothing(
    sample: Sample, header: dict, message: str
) -> None:
    lines = [{"kind": "set", **header}, {"kind": "tag", "name": "New"}]
    before = snapshot(sample.project)
    with pytest.raises(FormatError, match=f"^set\\.jsonl: .*{re.escape(message)}"):
        import_set(sample.project, parse_lines(map(json.dumps, lines), "set.jsonl"), by="Ani")
    assert snapshot(sample.project) == before
