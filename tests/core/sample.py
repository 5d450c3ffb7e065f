"""A small annotated project shared by the core tests."""

from __future__ import annotations

from dataclasses import dataclass

from annotator.core.store import Project
from annotator.core.store.schema import RECORD_TABLES

ARTICLE = (
    "Armenia and Azerbaijan agreed on the text of a draft agreement.\n\n"
    "Critics call it a victor’s peace. Հայաստան signed; Азербайджан insisted. 🇦🇲👩‍👩‍👧\n\n"
    "The Zangezur corridor remains the hardest question."
)
REBUTTAL = "The ambassador says peace is within reach.\n\nThe constitution demand is coercion."


@dataclass
class Sample:
    project: Project
    me: str
    article: str
    rebuttal: str
    tag: str
    child_tag: str
    target: str
    actor: str
    span: str
    other_span: str
    colleague: str


def snapshot(project: Project) -> dict[str, list[dict]]:
    return {t: project.all_rows(t) for t in (*RECORD_TABLES, "settings")}
