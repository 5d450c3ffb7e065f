"""The annotation-set examples in README.md and docs/ import cleanly into the sample project."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from annotator.core.defaults import create_project
from annotator.core.formats.jsonl_import import import_set
from annotator.core.formats.jsonl_read import parse_lines
from annotator.core.model import Span

ROOT = Path(__file__).resolve().parents[2]
DOCUMENTS = [ROOT / "README.md", ROOT / "docs" / "annotation-sets.md"]


def example_lines(path: Path) -> list[str]:
    blocks = re.findall(r"```json\n(.*?)```", path.read_text(encoding="utf-8"), re.DOTALL)
    lines = [line for block in blocks for line in block.splitlines() if line.strip()]
    return [line for line in lines if json.loads(line).get("kind") in {"span", "stance", "link"}]


@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda p: p.name)
def test_examples_import_without_problems(tmp_path: Path, path: Path) -> None:
    lines = example_lines(path)
    assert lines, f"{path.name} shows no span, stance or link example"
    project, _ = create_project(tmp_path / "sample.annotator", annotator="Reader", sample=True)
    with project:
        report, _ = import_set(project, parse_lines(lines, path.name), by="Reader")
        assert report.problems == []
        for span in project.records(Span):
            text = project.document_by_sha256(
                next(d.sha256 for d in project.document_summaries() if d.id == span.document_id)
            ).text
            assert span.quote == text[span.start : span.end]
