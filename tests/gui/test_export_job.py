"""File → Export… runs an ExportJob: every registered format is written through it, and a
cancel leaves nothing behind, whatever the format."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from annotator.core import ops
from annotator.core.formats.registry import EXPORTS
from annotator.core.formats.selection import Selection
from annotator.gui import jobs
from annotator.gui.jobs import ExportJob, ExportRequest
from annotator.gui.session import Session
from tests.gui.conftest import ARMENIA_TEXT, BAKU_TEXT

ZIPPED = {"qdpx"}


@pytest.fixture
def annotated(two_document_session: Session) -> Session:
    """Passages, a stance and a link across the two documents: something in every format."""
    session = two_document_session
    by_text = {session.document(d.id).text: d.id for d in session.documents()}
    armenia, baku = by_text[ARMENIA_TEXT], by_text[BAKU_TEXT]
    tags = {t.name: t.id for t in session.tags()}
    start = ARMENIA_TEXT.index("change its constitution")
    first = session.perform(
        ops.create_span,
        document_id=armenia,
        start=start,
        end=start + 23,
        tags=[tags["Constitution"]],
    ).created("spans")[0]
    second = session.perform(
        ops.create_span, document_id=baku, start=4, end=21, tags=[tags["Corridor"]]
    ).created("spans")[0]
    target = session.perform(ops.create_target, name="Draft peace agreement").created("targets")[0]
    session.perform(
        ops.create_stance, document_id=armenia, span_id=first, target_id=target, polarity=-1
    )
    session.perform(ops.create_link, source=first, target=second, type="responds to")
    return session


def run_export(session: Session, fmt: str, output: Path, *, cancel: bool = False) -> list:
    job = ExportJob(session.path, ExportRequest(output, fmt, Selection()))
    outcome: list = []
    job.succeeded.connect(lambda counts: outcome.append(("done", counts)))
    job.failed.connect(lambda reason: outcome.append(("failed", reason)))
    job.cancelled.connect(lambda: outcome.append(("cancelled", None)))
    if cancel:
        job.cancel()
    job.run()  # in this thread: the signals arrive at once
    return outcome


@pytest.mark.parametrize("fmt", sorted(EXPORTS))
def test_every_format_exports_through_the_job(annotated: Session, tmp_path: Path, fmt) -> None:
    output = tmp_path / f"out{EXPORTS[fmt].suffix}"
    [(result, detail)] = run_export(annotated, fmt, output)
    assert result == "done", detail
    assert output.exists() and not output.with_name(output.name + ".partial").exists()
    if fmt in ZIPPED:
        assert zipfile.is_zipfile(output)
    elif output.is_file():
        assert output.stat().st_size > 0
    else:
        assert any(output.iterdir())


@pytest.mark.parametrize("fmt", sorted(EXPORTS))
def test_a_cancelled_export_writes_nothing(annotated, tmp_path, monkeypatch, fmt) -> None:
    monkeypatch.setattr(jobs._CancellableWriter, "EVERY", 1)  # check at the first write
    output = tmp_path / f"out{EXPORTS[fmt].suffix}"
    assert run_export(annotated, fmt, output, cancel=True) == [("cancelled", None)]
    assert not output.exists() and not output.with_name(output.name + ".partial").exists()
