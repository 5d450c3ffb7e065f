"""The CSV table: one row per span and tag, readable by Excel and by csv/pandas readers."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from annotator.core import ops
from annotator.core.formats.csv_export import COLUMNS, export_csv
from annotator.core.formats.selection import resolve_names

from .sample import Sample


def table(sample: Sample, tmp_path: Path, **kwargs) -> list[dict[str, str]]:
    path = tmp_path / "out.csv"
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        export_csv(sample.project, handle, **kwargs)
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # Excel needs the BOM to read UTF-8
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline="")))


def test_one_row_per_span_and_tag_with_stances(sample: Sample, tmp_path: Path) -> None:
    p, me = sample.project, sample.me
    ops.tag_span(p, by=me, span_id=sample.span, tag_id=sample.child_tag)
    ops.update_span(p, by=me, span_id=sample.span, note='says "victor", then\na new line')
    ops.create_stance(
        p,
        by=me,
        document_id=sample.article,
        target_id=sample.target,
        polarity=-2,
        span_id=sample.span,
        actor_id=sample.actor,
    )
    rows = table(sample, tmp_path)
    assert list(rows[0]) == list(COLUMNS)
    mine = [r for r in rows if r["span_id"] == sample.span]
    assert sorted(r["tag"] for r in mine) == ["Peace process", "Peace process/Victor's peace"]
    row = mine[0]
    assert row["quote"] == "victor’s peace" and row["note"] == 'says "victor", then\na new line'
    assert row["stance_target"] == "Draft peace agreement"
    assert row["stance_actor"] == "Government of Azerbaijan"
    assert (row["stance_polarity"], row["stance_label"]) == ("-2", "strongly against")
    untagged = [r for r in rows if r["span_id"] == sample.other_span]
    assert len(untagged) == 1 and untagged[0]["tag"] == ""
    assert untagged[0]["document"] == "Rebuttal" and untagged[0]["annotator"] == "Ani"
    assert row["page"] == "" and list(COLUMNS)[4:6] == ["end", "page"]  # a text without pages


def test_filters_and_deleted_spans(sample: Sample, tmp_path: Path) -> None:
    ops.delete_span(sample.project, by=sample.me, span_id=sample.other_span)
    assert [r["span_id"] for r in table(sample, tmp_path)] == [sample.span]
    selection = resolve_names(sample.project, documents=["Rebuttal"])
    assert table(sample, tmp_path, selection=selection) == []
