"""`annotator conflicts` and `annotator orphans`: what a merge left for review, listed."""

from __future__ import annotations

import json
from pathlib import Path

import click

from annotator.core.merge.references import label
from annotator.core.model import Conflict
from annotator.core.store import Project


def add_review_commands(main: click.Group) -> None:
    from annotator.cli import emit_json, json_option, project_argument

    @main.command()
    @project_argument
    @json_option
    def conflicts(project: Path, as_json: bool) -> None:
        """List the merge conflicts of PROJECT not yet reviewed: what was kept, what lost."""
        with Project.open(project) as opened:
            entries = sorted(opened.records(Conflict), key=lambda c: (c.created_at, c.id))
        rows = [
            {
                "id": c.id,
                "kind": c.record_table,
                "record": c.record_id,
                "label": " ".join(label(c.record_table, json.loads(c.kept)).split()),
                "reason": c.reason,
                "from": c.source,
                "logged_at": c.created_at,
                "kept": json.loads(c.kept),
                "lost": json.loads(c.lost),
            }
            for c in entries
        ]
        if as_json:
            emit_json(rows)
            return
        for row in rows:
            click.echo(f"{row['kind']} {row['label']!r} (from {row['from']}): {row['reason']}")
        click.echo(f"{len(rows)} conflict(s) to review (in the workbench: View > Merge conflicts)")

    @main.command()
    @project_argument
    @json_option
    def orphans(project: Path, as_json: bool) -> None:
        """List the annotations of PROJECT that lost their place in a changed text."""
        with Project.open(project) as opened:
            found = opened.orphan_summaries()
        if as_json:
            emit_json([vars(s) for s in found])
            return
        for s in found:
            click.echo(f"{s.document_title}: {' '.join(s.quote.split())[:70]!r}")
        click.echo(
            f"{len(found)} orphaned annotation(s) (in the workbench: View > Orphaned annotations, "
            "then select the passage and Anchor here)"
        )
