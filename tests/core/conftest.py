from __future__ import annotations

from pathlib import Path

import pytest

from annotator.core import ops
from annotator.core.store import Project

from .sample import ARTICLE, REBUTTAL, Sample


@pytest.fixture
def project(tmp_path: Path) -> Project:
    with Project.create(tmp_path / "test.annotator") as created:
        yield created


@pytest.fixture
def sample(project: Project) -> Sample:
    me = ops.ensure_annotator(project, "Ani").id
    ops.initialise_settings(project)
    article = ops.add_document(project, by=me, title="Illusion of peace", text=ARTICLE).document
    rebuttal = ops.add_document(project, by=me, title="Rebuttal", text=REBUTTAL).document
    tag = ops.create_tag(project, by=me, name="Peace process", colour="#aabbcc", shortcut="1")
    tag_id = tag.created("tags")[0]
    child = ops.create_tag(project, by=me, name="Victor's peace", parent_id=tag_id)
    target = ops.create_target(project, by=me, name="Draft peace agreement").created("targets")[0]
    actor = ops.create_actor(project, by=me, name="Government of Azerbaijan", aliases=["Baku"])
    start = ARTICLE.index("victor’s peace")
    span = ops.create_span(
        project, by=me, document_id=article.id, start=start, end=start + 14, tags=[tag_id]
    ).created("spans")[0]
    other_start = REBUTTAL.index("constitution demand")
    other = ops.create_span(
        project, by=me, document_id=rebuttal.id, start=other_start, end=other_start + 19
    ).created("spans")[0]
    colleague = ops.ensure_annotator(project, "Lusine").id
    return Sample(
        project,
        me,
        article.id,
        rebuttal.id,
        tag_id,
        child.created("tags")[0],
        target,
        actor.created("actors")[0],
        span,
        other,
        colleague,
    )
