"""Their file is untrusted: what no edit of ours writes is refused, naming their file, and
their folder is left exactly as it was."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from annotator.core import ops
from annotator.core.merge import merge_projects
from annotator.core.store import ProjectError

from .sample import Sample, snapshot
from .test_merge import hand_out, merge


def tamper(path: Path, *statements: str) -> None:
    conn = sqlite3.connect(path)
    for sql in statements:
        conn.execute(sql)
    conn.commit()
    conn.close()


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (
            lambda s: [
                f"UPDATE tags SET parent_id = '{s.child_tag}' WHERE id = '{s.tag}'",
            ],
            "is its own ancestor",
        ),
        (
            lambda s: [f"UPDATE spans SET \"end\" = 100000 WHERE id = '{s.span}'"],
            "outside its document's text",
        ),
        (
            lambda s: [
                "UPDATE spans SET document_id = '00000000-0000-0000-0000-000000000000' "
                f"WHERE id = '{s.span}'"
            ],
            "names a missing record of documents",
        ),
        (
            lambda s: [f"UPDATE spans SET start = 'one', \"end\" = 'two' WHERE id = '{s.span}'"],
            "outside its document's text",
        ),
    ],
    ids=["tag cycle", "span beyond the text", "dangling reference", "offset not a number"],
)
def test_invalid_data_in_their_file_is_refused_naming_it(
    sample: Sample, tmp_path: Path, damage, message: str
) -> None:
    theirs = hand_out(sample, tmp_path)
    theirs.close()
    tamper(theirs.path, *damage(sample))
    before = snapshot(sample.project)
    with pytest.raises(ProjectError, match=message) as refused:
        merge(sample.project, theirs.path)
    assert str(refused.value).startswith(f"{theirs.path}: ")
    assert "\n" not in str(refused.value)
    assert snapshot(sample.project) == before
    assert not list(tmp_path.glob("*.before-merge-*.bak"))


def folder_state(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


@pytest.mark.parametrize("apply", [False, True], ids=["dry run", "merge"])
def test_their_folder_is_left_byte_for_byte_as_it_was(
    sample: Sample, tmp_path: Path, apply: bool
) -> None:
    folder = tmp_path / "colleague"
    folder.mkdir()
    theirs = hand_out(sample, folder)
    ops.update_tag(theirs, by=sample.colleague, tag_id=sample.tag, description="theirs")
    theirs.close()
    before = folder_state(folder)
    me = ops.ensure_annotator(sample.project, "Ani").id
    report = merge_projects(sample.project, theirs.path, by=me, apply=apply).report
    assert report.counts["tags"]["updated"] == 1
    assert folder_state(folder) == before


def test_a_journal_beside_their_file_is_read_and_left_alone(sample: Sample, tmp_path: Path) -> None:
    # A colleague's workbench still open: their latest edit sits in the -wal file.
    folder = tmp_path / "colleague"
    folder.mkdir()
    theirs = hand_out(sample, folder)
    theirs.db.conn.execute("PRAGMA wal_autocheckpoint = 0")
    ops.update_tag(theirs, by=sample.colleague, tag_id=sample.tag, description="theirs")
    assert Path(f"{theirs.path}-wal").exists()
    before = folder_state(folder)
    try:
        report = merge(sample.project, theirs.path)
        after = folder_state(folder)
    finally:
        theirs.close()
    assert report.counts["tags"]["updated"] == 1
    assert after == before
