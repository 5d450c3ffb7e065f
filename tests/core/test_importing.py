"""Importing files into a project: one transaction, duplicates skipped, near-duplicates reported."""

from __future__ import annotations

from pathlib import Path

from annotator.core import ops
from annotator.core.importing import import_documents, import_paths
from annotator.core.store import Project

from .sample import snapshot

PARAGRAPH = (
    "In March 2025, Armenia and Azerbaijan signaled significant progress toward normalizing "
    "their diplomatic relations, raising hopes for a forthcoming peace accord. "
)


def test_duplicates_skipped_near_duplicates_reported(project: Project, tmp_path: Path) -> None:
    me = ops.ensure_annotator(project, "Ani").id
    folder = tmp_path / "in"
    folder.mkdir()
    text = PARAGRAPH * 20
    (folder / "a.txt").write_text(text, encoding="utf-8")
    (folder / "b.txt").write_text(text.replace("\n", "\r\n"), encoding="utf-16")  # same text
    (folder / "c.txt").write_text(text.replace("signaled", "signalled", 3), encoding="cp1251")
    (folder / "d.txt").write_text("Something else entirely, about the Lachin corridor.", "utf-8")
    outcome = import_documents(project, [folder], by=me)
    assert sorted(d.title for d in outcome.added) == ["a", "c", "d"]
    assert [(p.name, title) for p, title in outcome.duplicates] == [("b.txt", "a")]
    assert [(new, old) for new, old, _ in outcome.near_duplicates] == [("c", "a")]
    assert outcome.near_duplicates[0][2] >= 95
    again = import_documents(project, [folder], by=me)
    assert not again.added and len(again.duplicates) == 4


def test_a_bad_file_does_not_stop_the_others_and_a_bad_set_changes_nothing(
    project: Project, tmp_path: Path
) -> None:
    me = ops.ensure_annotator(project, "Ani").id
    (tmp_path / "ok.md").write_text("---\ntitle: Fine\nauthor: A. Author\n---\nBody text.", "utf-8")
    (tmp_path / "bad.txt").write_bytes(b"\x00\x01\x02" * 100)
    (tmp_path / "bad.jsonl").write_text('{"kind": "tag", "name": "x"}\nnot json\n', "utf-8")
    outcome = import_paths(project, [tmp_path / "ok.md", tmp_path / "bad.txt"], by=me)
    assert [(d.title, d.author) for d in outcome.added] == [("Fine", "A. Author")]
    assert [s.path.name for s in outcome.skipped] == ["bad.txt"]
    before = snapshot(project)
    outcome = import_paths(project, [tmp_path / "bad.jsonl"], by=me)
    assert "line 2" in outcome.skipped[0].reason and snapshot(project) == before


def test_import_is_one_undoable_change(project: Project, tmp_path: Path) -> None:
    me = ops.ensure_annotator(project, "Ani").id
    before = snapshot(project)
    for i in range(3):
        (tmp_path / f"{i}.txt").write_text(f"Document number {i}.", encoding="utf-8")
    outcome = import_documents(project, [tmp_path], by=me)
    assert len(outcome.changes) == 1 and len(outcome.added) == 3
    ops.undo(project, outcome.changes[0])
    assert snapshot(project) == before
