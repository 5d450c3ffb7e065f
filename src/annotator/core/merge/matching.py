"""Which of their records are which of mine: documents by id, text hash or near-identical text;
tags, targets and actors by id, else by normalised name (tags: by their path); annotators by id
only (two people may share a name, "user" on two laptops most of all: a same or similar name is
offered, never joined unasked)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from rapidfuzz import fuzz, process

from annotator.core import dedupe
from annotator.core.json_input import parse_json
from annotator.core.merge.report import DocumentMatch, NameMatch
from annotator.core.model import normalise_name
from annotator.core.store import Project
from annotator.core.store.merge_source import TheirProject

# rapidfuzz ratio on whitespace-folded text: a re-import, a fixed typo or other spacing score
# above this; two different articles on one subject score far below.
DOCUMENT_MATCH_SCORE = dedupe.NEAR_DUPLICATE_SCORE
# Names this close (ratio of normalised names) are offered for mapping, never mapped unasked.
SIMILAR_NAME_SCORE = 85.0
NAMED_TABLES = ("annotators", "tags", "targets", "actors")

Row = dict[str, Any]


def match_documents(
    mine: Project, theirs: TheirProject, *, fuzzy: bool = True, refused: Iterable[str] = ()
) -> tuple[dict[str, str], list[DocumentMatch]]:
    """(their id -> my id, for every matched document; the matches, for the report).

    ``refused``: their document ids an analyst chose not to match fuzzily (they come in new).
    """
    my_ids: dict[str, tuple[str, str]] = {}
    my_by_sha: dict[str, str] = {}
    for doc_id, sha, title in mine.document_identities():
        my_ids[doc_id] = (sha, title)
        my_by_sha.setdefault(sha, doc_id)
    idmap: dict[str, str] = {}
    matches: list[DocumentMatch] = []
    unmatched: list[tuple[str, str, str]] = []  # (id, title, text)
    for row in theirs.rows("documents"):
        their_id, sha = row["id"], row["sha256"]
        if their_id in my_ids:
            differs = my_ids[their_id][0] != sha
            matches.append(DocumentMatch(their_id, their_id, row["title"], "id", 100.0, differs))
        elif sha in my_by_sha:
            idmap[their_id] = my_by_sha[sha]
            matches.append(
                DocumentMatch(their_id, my_by_sha[sha], row["title"], "hash", 100.0, False)
            )
        elif row["deleted_at"] is None:
            unmatched.append((their_id, row["title"], row["text"]))
    if fuzzy and unmatched:
        taken = set(idmap.values()) | {m.my_id for m in matches}
        candidates = [(i, t) for i, t in mine.document_texts() if i not in taken]
        refused = set(refused)
        offered = [(i, text) for i, _, text in unmatched if i not in refused]
        titles = {i: title for i, title, _ in unmatched}
        for their_id, my_id, score in _best_pairs(offered, candidates):
            idmap[their_id] = my_id
            matches.append(DocumentMatch(their_id, my_id, titles[their_id], "fuzzy", score, True))
    return idmap, matches


def _best_pairs(
    offered: list[tuple[str, str]], candidates: list[tuple[str, str]]
) -> list[tuple[str, str, float]]:
    """One of mine for each of theirs at most, best scores first (a greedy assignment)."""
    mine_ids = {i for i, _ in candidates}
    pairs = [
        (their, my, score)
        for their, my, score in dedupe.near_duplicates(
            offered, candidates, score=DOCUMENT_MATCH_SCORE
        )
        if my in mine_ids
    ]
    chosen: list[tuple[str, str, float]] = []
    used_theirs: set[str] = set()
    used_mine: set[str] = set()
    for their, my, score in sorted(pairs, key=lambda p: (-p[2], p[0], p[1])):
        if their not in used_theirs and my not in used_mine:
            chosen.append((their, my, round(score, 2)))
            used_theirs.add(their)
            used_mine.add(my)
    return chosen


def name_keys(table: str, rows: Mapping[str, Row]) -> dict[str, str]:
    """id -> the normalised name that identifies it (a tag's whole path: "Other" under two
    parents is two tags)."""

    def tag_path(tag_id: str) -> str:
        names, seen, current = [], set(), rows.get(tag_id)
        while current is not None and current["id"] not in seen:
            seen.add(current["id"])
            names.append(normalise_name(current["name"]))
            current = rows.get(current["parent_id"] or "")
        return "/".join(reversed(names))

    if table == "tags":
        return {i: tag_path(i) for i in rows}
    return {i: normalise_name(r["name"]) for i, r in rows.items()}


def match_names(
    table: str,
    mine: Mapping[str, Row],
    theirs: Mapping[str, Row],
    chosen: Mapping[str, str],
) -> tuple[dict[str, str], list[NameMatch], list[NameMatch]]:
    """(their id -> my id, matched by name; those matches; similar names offered).

    ``chosen``: their id -> my id, mappings an analyst accepted (GUI ticks, a mapping file).
    """
    my_live = {i: r for i, r in mine.items() if r["deleted_at"] is None}
    my_keys = name_keys(table, mine)
    by_key = {my_keys[i]: i for i in sorted(my_live)}
    their_keys = name_keys(table, theirs)
    idmap: dict[str, str] = {}
    matched: list[NameMatch] = []
    similar: list[NameMatch] = []
    for their_id, row in sorted(theirs.items(), key=lambda item: their_keys[item[0]]):
        if their_id in mine or row["deleted_at"] is not None:
            continue
        my_id = chosen.get(their_id)
        if my_id is None and table != "annotators":
            my_id = by_key.get(their_keys[their_id])
        if my_id is not None and my_id in mine:
            idmap[their_id] = my_id
            score = (
                100.0
                if my_keys[my_id] == their_keys[their_id]
                else _ratio(my_keys[my_id], their_keys[their_id])
            )
            matched.append(_note(table, row, mine[my_id], score))
            continue
        found = process.extractOne(
            their_keys[their_id],
            {i: my_keys[i] for i in my_live},
            scorer=fuzz.ratio,
            score_cutoff=SIMILAR_NAME_SCORE,
        )
        if found is None and table == "tags":
            found = _similar_leaf(row, theirs, my_live)
        if found is not None:
            _, score, my_id = found
            similar.append(_note(table, row, mine[my_id], round(score, 2)))
    return idmap, matched, similar


def _similar_leaf(
    tag: Row, theirs: Mapping[str, Row], my_live: Mapping[str, Row]
) -> tuple[str, float, str] | None:
    """A tag whose path matches none of mine may still be a near-duplicate placed elsewhere
    ("Power asymetry" at the top, "Framing / Power asymmetry" here): its own name is compared
    with the tags where one of the two has no parent. Two tags under different parents ("Other"
    here and there) are different tags and are not offered."""
    their_parent = theirs.get(tag["parent_id"] or "")
    candidates = {
        i: normalise_name(r["name"])
        for i, r in my_live.items()
        if their_parent is None or not r["parent_id"]
    }
    return process.extractOne(
        normalise_name(tag["name"]), candidates, scorer=fuzz.ratio, score_cutoff=SIMILAR_NAME_SCORE
    )


def _ratio(a: str, b: str) -> float:
    return round(fuzz.ratio(a, b), 2)


def _note(table: str, theirs: Row, mine: Row, score: float) -> NameMatch:
    return NameMatch(table, theirs["id"], theirs["name"], mine["id"], mine["name"], score)


def read_mapping_file(text: str) -> dict[str, str]:
    """A mapping file: a JSON object, their name (or id) -> my name (or id)."""
    data = parse_json(text)
    if not isinstance(data, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in data.items()
    ):
        raise ValueError('a mapping file is a JSON object of names: {"their name": "my name"}')
    return data
