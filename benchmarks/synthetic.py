"""A deterministic synthetic corpus and annotation sets for the benchmarks.

Everything is seeded: the same arguments give the same texts, files and sets, byte for byte.

* ``make_texts``: policy-prose-like word soup, (title, text) pairs. Words follow a Zipf law
  over a few hundred words (English policy vocabulary with Armenian, Cyrillic and accented
  Latin words mixed in); sentences end in ``.``/``?``/``;``, paragraphs are separated by a
  blank line. One document in 40 is in Russian (Cyrillic words only), and one in 100 is a near
  duplicate of the one before it (a few words changed), so duplicate detection has work to do.
* ``write_corpus``: those texts as ``.txt`` files, mostly UTF-8, a few UTF-8 with BOM and CRLF
  line breaks, cp1251 (the Russian ones) and UTF-16, to exercise decoding.
* ``make_annotation_set``: a JSONL annotation set as an export writes it (docs/annotation-sets.md)
  over documents already in a project: header, annotators, documents (without text), a
  two-level codebook of 40 tags, targets, actors, then spans, stances and links.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import random
import uuid
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, NamedTuple, TextIO

CONTEXT_CHARS = 32  # as annotator.core.model.CONTEXT_CHARS
RUSSIAN_EVERY = 40  # every 40th document (offset below) is written in Russian
RUSSIAN_OFFSET = 13
NEAR_DUPLICATE_EVERY = 100  # every 100th document nearly repeats the one before it

LINK_TYPES = ("supports", "contradicts", "responds to", "elaborates", "same claim", "cites")
STANCE_SCALE = {
    "-2": "strongly against",
    "-1": "against",
    "0": "neutral or ambivalent",
    "1": "in favour",
    "2": "strongly in favour",
}

ENGLISH_WORDS = [
    "the",
    "of",
    "and",
    "to",
    "in",
    "a",
    "that",
    "is",
    "for",
    "on",
    "as",
    "by",
    "with",
    "be",
    "this",
    "are",
    "it",
    "from",
    "at",
    "not",
    "or",
    "have",
    "has",
    "was",
    "their",
    "which",
    "its",
    "an",
    "will",
    "been",
    "but",
    "would",
    "they",
    "more",
    "other",
    "also",
    "these",
    "than",
    "can",
    "all",
    "should",
    "may",
    "between",
    "must",
    "under",
    "any",
    "such",
    "only",
    "both",
    "into",
    "new",
    "those",
    "over",
    "about",
    "after",
    "there",
    "who",
    "while",
    "where",
    "because",
    "peace",
    "agreement",
    "treaty",
    "border",
    "borders",
    "delimitation",
    "demarcation",
    "ceasefire",
    "negotiations",
    "talks",
    "settlement",
    "conflict",
    "security",
    "sovereignty",
    "territorial",
    "integrity",
    "government",
    "governments",
    "ministry",
    "minister",
    "president",
    "parliament",
    "opposition",
    "constitution",
    "referendum",
    "election",
    "elections",
    "reform",
    "reforms",
    "policy",
    "policies",
    "strategy",
    "regional",
    "international",
    "national",
    "domestic",
    "foreign",
    "economic",
    "political",
    "military",
    "humanitarian",
    "diplomatic",
    "normalisation",
    "normalization",
    "recognition",
    "relations",
    "dialogue",
    "mediation",
    "mediator",
    "mediators",
    "envoy",
    "summit",
    "declaration",
    "statement",
    "framework",
    "roadmap",
    "process",
    "implementation",
    "commitment",
    "commitments",
    "obligations",
    "guarantees",
    "provisions",
    "clause",
    "article",
    "draft",
    "text",
    "signature",
    "ratification",
    "corridor",
    "transit",
    "route",
    "routes",
    "railway",
    "connectivity",
    "trade",
    "energy",
    "pipeline",
    "sanctions",
    "assistance",
    "aid",
    "refugees",
    "displaced",
    "population",
    "communities",
    "rights",
    "minority",
    "minorities",
    "return",
    "property",
    "justice",
    "accountability",
    "prisoners",
    "detainees",
    "exchange",
    "monitoring",
    "mission",
    "observers",
    "peacekeeping",
    "forces",
    "troops",
    "withdrawal",
    "deployment",
    "escalation",
    "tensions",
    "violence",
    "incidents",
    "shelling",
    "positions",
    "enclave",
    "exclave",
    "region",
    "regions",
    "capital",
    "cities",
    "villages",
    "population",
    "public",
    "opinion",
    "media",
    "narrative",
    "narratives",
    "rhetoric",
    "trust",
    "mistrust",
    "confidence",
    "measures",
    "compromise",
    "concessions",
    "demands",
    "preconditions",
    "leverage",
    "pressure",
    "interests",
    "stakeholders",
    "partners",
    "allies",
    "alliance",
    "neighbours",
    "neighbouring",
    "powers",
    "influence",
    "balance",
    "stability",
    "instability",
    "risk",
    "risks",
    "scenario",
    "scenarios",
    "prospects",
    "outcome",
    "outcomes",
    "future",
    "history",
    "historical",
    "memory",
    "identity",
    "nationalism",
    "polarisation",
    "society",
    "civil",
    "organisations",
    "experts",
    "analysts",
    "report",
    "reports",
    "evidence",
    "data",
    "survey",
    "findings",
    "assessment",
    "analysis",
    "argument",
    "arguments",
    "claims",
    "position",
    "positions",
    "approach",
    "approaches",
    "options",
    "priorities",
    "agenda",
    "timeline",
    "deadline",
    "phase",
    "stage",
    "first",
    "second",
    "third",
    "final",
    "lasting",
    "durable",
    "comprehensive",
    "bilateral",
    "multilateral",
    "trilateral",
    "joint",
    "mutual",
    "direct",
    "indirect",
    "formal",
    "informal",
    "official",
    "unofficial",
    "legal",
    "binding",
    "lasting",
    "fragile",
    "significant",
    "substantial",
    "limited",
    "broader",
    "wider",
    "key",
    "main",
    "central",
    "critical",
    "uncertain",
    "likely",
    "unlikely",
    "possible",
    "necessary",
    "urgent",
    "long",
    "short",
    "term",
    "years",
    "months",
    "weeks",
    "decades",
    "recent",
    "current",
    "Armenia",
    "Azerbaijan",
    "Russia",
    "Turkey",
    "Iran",
    "Georgia",
    "Europe",
    "Union",
    "States",
    "Washington",
    "Moscow",
    "Ankara",
    "Brussels",
    "Tehran",
    "Baku",
    "Yerevan",
    "Tbilisi",
    "Karabakh",
    "Zangezur",
    "Syunik",
    "Nakhchivan",
    "Caucasus",
    "OSCE",
    "Minsk",
]

ARMENIAN_WORDS = [
    "Հայաստան",
    "Ադրբեջան",
    "խաղաղություն",
    "պայմանագիր",
    "սահման",
    "համաձայնագիր",
    "բանակցություններ",
    "կառավարություն",
    "անվտանգություն",
    "ինքնիշխանություն",
    "տարածաշրջան",
    "միջազգային",
    "ժողովուրդ",
    "քաղաքականություն",
    "հանրաքվե",
    "սահմանադրություն",
    "Երևան",
    "Սյունիք",
    "Արցախ",
    "հաշտություն",
]

CYRILLIC_WORDS = [
    "мир",
    "договор",
    "граница",
    "соглашение",
    "переговоры",
    "правительство",
    "безопасность",
    "суверенитет",
    "регион",
    "международный",
    "народ",
    "политика",
    "референдум",
    "конституция",
    "Ереван",
    "Баку",
    "Москва",
    "Армения",
    "Азербайджан",
    "прекращение",
    "огня",
    "миротворцы",
    "коридор",
    "транзит",
    "стороны",
    "заявление",
    "министр",
    "президент",
]

ACCENTED_WORDS = [
    "négociation",
    "sécurité",
    "stabilité",
    "coopération",
    "délimitation",
    "médiation",
    "réconciliation",
    "Jean-François",
    "Müller",
    "Gönül",
    "Ağdam",
    "Şuşa",
    "Gəncə",
    "İlham",
    "Paşinyan",
    "Zoë",
    "Ljubljana",
    "Kraków",
    "São",
    "Paulo",
    "Bogotá",
    "déjà",
    "naïve",
    "résumé",
    "rôle",
    "protégé",
]

RUSSIAN_WORDS = [
    "и",
    "в",
    "не",
    "на",
    "что",
    "с",
    "по",
    "как",
    "а",
    "это",
    "к",
    "но",
    "из",
    "у",
    "за",
    "о",
    "же",
    "от",
    "для",
    "мир",
    "договор",
    "граница",
    "соглашение",
    "переговоры",
    "правительство",
    "безопасность",
    "суверенитет",
    "регион",
    "международный",
    "народ",
    "политика",
    "референдум",
    "конституция",
    "Ереван",
    "Баку",
    "Москва",
    "Армения",
    "Азербайджан",
    "прекращение",
    "огня",
    "миротворцы",
    "коридор",
    "транзит",
    "стороны",
    "заявление",
    "министр",
    "президент",
    "процесс",
    "урегулирование",
    "конфликт",
    "позиция",
    "интересы",
    "давление",
    "доверие",
    "будущее",
    "история",
    "региональный",
    "экономический",
    "военный",
    "вопрос",
    "решение",
    "признание",
    "отношения",
    "диалог",
    "посредник",
    "саммит",
    "декларация",
    "рамки",
    "этап",
]

TITLE_HEADS = (
    "The Illusion of",
    "Beyond",
    "Rethinking",
    "The Limits of",
    "Why",
    "After",
    "Toward",
    "The Cost of",
    "Between",
    "A New Phase in",
    "The Politics of",
    "Lessons from",
)
TITLE_TOPICS = (
    "Peace",
    "the Border Talks",
    "the Draft Agreement",
    "Normalisation",
    "the Corridor Question",
    "Regional Connectivity",
    "the Constitutional Demand",
    "Mediation",
    "the Ceasefire",
    "Sovereignty",
    "Delimitation",
    "Transit Routes",
)
TITLE_TAILS = (
    "",
    " in the South Caucasus",
    " Between Armenia and Azerbaijan",
    ": What Comes Next",
    ": A Sceptical View",
    " and Its Critics",
    " — Խաղաղության հեռանկարներ",
    " (мирный процесс)",
    " après la guerre",
)

CODEBOOK: dict[str, tuple[str, ...]] = {
    "Peace process": ("Victor's peace", "Step-by-step", "Comprehensive deal", "Stalemate"),
    "Security": ("Border incidents", "Peacekeepers", "Military balance", "Arms purchases"),
    "Sovereignty": ("Territorial integrity", "Enclaves", "Constitutional demand", "Recognition"),
    "Connectivity": ("Zangezur corridor", "Railways", "Energy routes", "Trade opening"),
    "External actors": ("Russia", "Türkiye", "European Union", "United States"),
    "Domestic politics": ("Opposition", "Elections", "Public opinion", "Référendum"),
    "Humanitarian": ("Refugees", "Prisoners", "Missing persons", "Property rights"),
    "Narratives": ("Historical grievance", "Mistrust", "Reconciliation", "Խաղաղություն"),
}
TARGETS = (
    "Draft peace agreement",
    "Opening of transport links",
    "Constitutional referendum in Armenia",
    "Dissolution of the OSCE Minsk Group",
    "EU monitoring mission",
    "Border delimitation commission",
    "Return of displaced persons",
    "Russian peacekeeping presence",
    "Договор о мире",
    "Սահմանազատում",
)
ACTORS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Government of Armenia", ("Yerevan", "Երևան")),
    ("Government of Azerbaijan", ("Baku", "Баку")),
    ("Nikol Pashinyan", ("Pashinyan", "Փաշինյան")),
    ("Ilham Aliyev", ("Aliyev", "İlham Əliyev")),
    ("Russian Federation", ("Moscow", "Россия")),
    ("European Union", ("EU", "Brussels")),
    ("United States", ("Washington", "US")),
    ("Republic of Türkiye", ("Ankara", "Turkey")),
    ("Islamic Republic of Iran", ("Tehran",)),
    ("Armenian opposition", ()),
    ("Civil society organisations", ("NGOs",)),
    ("OSCE Minsk Group", ("Minsk Group",)),
)
ANNOTATORS = ("Ani", "Ольга", "Zoë", "Tigran", "Marie-Hélène")


class SetDocument(NamedTuple):
    """A document as stored in a project: the set refers to it and quotes its text."""

    id: str
    title: str
    text: str


@dataclass(frozen=True)
class CorpusFile:
    path: Path
    title: str
    text: str  # as generated, before encoding (and before any CRLF)
    encoding: str


@dataclass(frozen=True)
class SetSummary:
    path: Path
    counts: Counter[str]  # lines written per kind
    span_tags: int  # (span, tag) pairs


# -- texts ------------------------------------------------------------------------------------


class _Vocabulary:
    """Words with cumulative Zipf weights (random.choices re-sums plain weights per call)."""

    def __init__(self, rng: random.Random, words: Sequence[str]) -> None:
        shuffled = list(dict.fromkeys(words))
        head, tail = shuffled[:60], shuffled[60:]  # function words stay the most frequent
        rng.shuffle(tail)
        self.words = head + tail
        self.cumulative = list(
            itertools.accumulate(1.0 / (rank + 1) ** 0.9 for rank in range(len(self.words)))
        )

    def sample(self, rng: random.Random, k: int) -> list[str]:
        return rng.choices(self.words, cum_weights=self.cumulative, k=k)


def _sentence(rng: random.Random, vocabulary: _Vocabulary) -> str:
    words = vocabulary.sample(rng, rng.randint(7, 30))
    words[0] = words[0][:1].upper() + words[0][1:]
    if rng.random() < 0.35:
        words[rng.randrange(1, len(words) - 1)] += ","
    if rng.random() < 0.08:
        at = rng.randrange(1, len(words) - 2)
        words[at], words[at + 1] = "“" + words[at], words[at + 1] + "”"
    if rng.random() < 0.05:
        words.insert(rng.randrange(1, len(words)), f"Article {rng.randint(1, 17)}")
    if rng.random() < 0.04:
        words.insert(rng.randrange(1, len(words)), "—")
    return " ".join(words) + rng.choice("......?;")


def _text(rng: random.Random, vocabulary: _Vocabulary, size: int) -> str:
    paragraphs: list[str] = []
    length = 0
    while length < size:
        paragraph = " ".join(_sentence(rng, vocabulary) for _ in range(rng.randint(2, 7)))
        paragraphs.append(paragraph)
        length += len(paragraph) + 2
    return "\n\n".join(paragraphs)


def _near_duplicate(rng: random.Random, text: str, vocabulary: _Vocabulary) -> str:
    words = text.split(" ")
    for _ in range(max(3, len(words) // 400)):
        words[rng.randrange(len(words))] = vocabulary.sample(rng, 1)[0]
    return " ".join(words)


def _title(rng: random.Random, index: int, taken: set[str]) -> str:
    title = f"{rng.choice(TITLE_HEADS)} {rng.choice(TITLE_TOPICS)}{rng.choice(TITLE_TAILS)}".strip()
    if title in taken:
        title = f"{title}, part {index + 1}"
    taken.add(title)
    return title


def is_russian(index: int) -> bool:
    return index % RUSSIAN_EVERY == RUSSIAN_OFFSET


def make_texts(
    n_docs: int, approx_chars: int, seed: int, *, near_duplicates: bool = True
) -> list[tuple[str, str]]:
    """``n_docs`` (title, text) pairs of about ``approx_chars`` characters each (±50%)."""
    rng = random.Random(seed)
    mixed = _Vocabulary(rng, ENGLISH_WORDS + ARMENIAN_WORDS + CYRILLIC_WORDS + ACCENTED_WORDS)
    russian = _Vocabulary(rng, RUSSIAN_WORDS)
    taken: set[str] = set()
    result: list[tuple[str, str]] = []
    for index in range(n_docs):
        vocabulary = russian if is_russian(index) else mixed
        title = _title(rng, index, taken)
        if near_duplicates and index % NEAR_DUPLICATE_EVERY == NEAR_DUPLICATE_EVERY - 1:
            text = _near_duplicate(rng, result[-1][1], vocabulary)
        else:
            size = rng.randint(approx_chars // 2, approx_chars * 3 // 2)
            text = _text(rng, vocabulary, size)
        result.append((title, text))
    return result


def _encoding(index: int, text: str) -> str:
    if is_russian(index):
        try:
            text.encode("cp1251")
            return "cp1251"
        except UnicodeEncodeError:
            return "utf-8"
    if index % 50 == 29:
        return "utf-16"  # with a byte-order mark
    if index % 25 == 7:
        return "utf-8-sig"  # these also get CRLF line breaks
    return "utf-8"


def _slug(title: str) -> str:
    kept = "".join(c if c.isalnum() else "-" for c in title.casefold())
    return "-".join(part for part in kept.split("-") if part)[:60]


def write_corpus(folder: Path, n_docs: int, approx_chars: int, seed: int) -> list[CorpusFile]:
    """Write ``make_texts`` as ``.txt`` files named ``NNNN-slug.txt``; returns what was written."""
    folder.mkdir(parents=True, exist_ok=True)
    files: list[CorpusFile] = []
    for index, (title, text) in enumerate(make_texts(n_docs, approx_chars, seed)):
        encoding = _encoding(index, text)
        path = folder / f"{index:05d}-{_slug(title)}.txt"
        raw = text.replace("\n", "\r\n") if encoding == "utf-8-sig" else text
        path.write_bytes(raw.encode(encoding))
        files.append(CorpusFile(path, title, text, encoding))
    return files


# -- annotation sets ----------------------------------------------------------------------------


def _uuid(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


_EPOCH = datetime(2025, 1, 1, tzinfo=UTC)
_SPAN_OF_TIME_MS = 500 * 24 * 3600 * 1000


def _stamp(milliseconds: int) -> str:
    moment = _EPOCH + timedelta(milliseconds=milliseconds)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


class _SetWriter:
    """Writes the lines of one set; remembers what later lines refer to."""

    def __init__(self, out: TextIO, rng: random.Random) -> None:
        self.out = out
        self.rng = rng
        self.counts: Counter[str] = Counter()
        self.encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
        self.annotators: list[str] = []

    def line(self, obj: dict[str, Any]) -> None:
        self.counts[obj["kind"]] += 1
        self.out.write(self.encode(obj))
        self.out.write("\n")

    def common(self, *, record_id: str | None = None, annotator: str | None = None) -> dict:
        created = self.rng.randrange(_SPAN_OF_TIME_MS)
        updated = created + (
            self.rng.randrange(30 * 24 * 3600 * 1000) if self.rng.random() < 0.2 else 0
        )
        return {
            "id": record_id or _uuid(self.rng),
            "annotator": annotator or self.rng.choice(self.annotators),
            "created_at": _stamp(created),
            "updated_at": _stamp(updated),
            "deleted_at": None,
        }


def _write_header(writer: _SetWriter) -> None:
    writer.line(
        {
            "kind": "set",
            "format": "annotator-set",
            "version": 1,
            "exported_at": _stamp(_SPAN_OF_TIME_MS),
            "stance_scale": STANCE_SCALE,
            "link_types": list(LINK_TYPES),
        }
    )


def _write_annotators(writer: _SetWriter) -> None:
    for name in ANNOTATORS:
        record_id = _uuid(writer.rng)
        writer.annotators.append(record_id)
        writer.line(
            {
                "kind": "annotator",
                **writer.common(record_id=record_id, annotator=record_id),
                "name": name,
            }
        )


def _write_documents(writer: _SetWriter, documents: Sequence[SetDocument]) -> None:
    for document in documents:
        sha = hashlib.sha256(document.text.encode("utf-8")).hexdigest()
        line = {"kind": "document", **writer.common(record_id=document.id), "title": document.title}
        line |= {"sha256": sha, "author": None, "date": None, "source": None, "language": None}
        writer.line(line)


def _write_codebook(writer: _SetWriter) -> tuple[list[str], list[str]]:
    """Tags parents first; returns (parent ids, leaf ids)."""
    rng = writer.rng
    parents, leaves = [], []
    for number, (parent, children) in enumerate(CODEBOOK.items(), start=1):
        parent_id = _uuid(rng)
        parents.append(parent_id)
        writer.line(_tag_line(writer, parent_id, parent, None, shortcut=str(number)))
        for child in children:
            child_id = _uuid(rng)
            leaves.append(child_id)
            writer.line(_tag_line(writer, child_id, child, parent_id, shortcut=None))
    return parents, leaves


def _tag_line(
    writer: _SetWriter, tag_id: str, name: str, parent: str | None, shortcut: str | None
) -> dict[str, Any]:
    colour = f"#{writer.rng.randrange(0x1000000):06x}"
    return {
        "kind": "tag",
        **writer.common(record_id=tag_id),
        "name": name,
        "parent": parent,
        "colour": colour,
        "description": f"Passages about {name.lower()}." if writer.rng.random() < 0.5 else None,
        "shortcut": shortcut,
    }


def _write_targets_and_actors(writer: _SetWriter) -> tuple[list[str], list[str]]:
    targets, actors = [], []
    for name in TARGETS:
        line = {"kind": "target", **writer.common(), "name": name, "description": None}
        targets.append(line["id"])
        writer.line(line)
    for name, aliases in ACTORS:
        line = {"kind": "actor", **writer.common(), "name": name, "aliases": list(aliases)}
        line["description"] = None
        actors.append(line["id"])
        writer.line(line)
    return targets, actors


def _span_range(rng: random.Random, text: str) -> tuple[int, int] | None:
    """A range of whole words, 2 to ~400 characters, not starting or ending in whitespace."""
    length = len(text)
    start = rng.randrange(length)
    space = text.find(" ", start)
    start = 0 if space < 0 else space + 1
    size = int(rng.lognormvariate(4.3, 0.7))  # median ~75 characters
    end = text.find(" ", min(length, start + max(2, size)))
    end = length if end < 0 else end
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return (start, end) if end - start >= 2 else None


@dataclass(frozen=True)
class _WrittenSpan:
    id: str
    document_id: str


def _write_spans(
    writer: _SetWriter,
    documents: Sequence[SetDocument],
    n_spans: int,
    tags: tuple[list[str], list[str]],
    deleted_share: float,
) -> tuple[list[_WrittenSpan], int]:
    """Returns the live spans (for stances and links) and the number of (span, tag) pairs."""
    rng = writer.rng
    parents, leaves = tags
    live: list[_WrittenSpan] = []
    pairs = 0
    written = 0
    while written < n_spans:
        document = documents[rng.randrange(len(documents))]
        found = _span_range(rng, document.text)
        if found is None:
            continue
        start, end = found
        line = {"kind": "span", **writer.common(), "document": document.id}
        line |= _selectors(document.text, start, end)
        chosen = [rng.choice(leaves if rng.random() < 0.85 else parents)]
        if rng.random() < 0.4:
            chosen.append(rng.choice(leaves))
        line["tags"] = list(dict.fromkeys(chosen))
        line["note"] = "Check the translation." if rng.random() < 0.05 else None
        if rng.random() < deleted_share:
            line["deleted_at"] = line["updated_at"]
        else:
            live.append(_WrittenSpan(line["id"], document.id))
        pairs += len(line["tags"])
        writer.line(line)
        written += 1
    return live, pairs


def _selectors(text: str, start: int, end: int) -> dict[str, Any]:
    return {
        "start": start,
        "end": end,
        "quote": text[start:end],
        "prefix": text[max(0, start - CONTEXT_CHARS) : start],
        "suffix": text[end : end + CONTEXT_CHARS],
    }


def _write_stances(
    writer: _SetWriter,
    spans: Sequence[_WrittenSpan],
    documents: Sequence[SetDocument],
    codes: tuple[list[str], list[str]],
    n_stances: int,
) -> None:
    rng = writer.rng
    targets, actors = codes
    for _ in range(n_stances):
        if rng.random() < 0.9:
            span = rng.choice(spans)
            document_id, span_id = span.document_id, span.id
        else:
            document_id, span_id = rng.choice(documents).id, None
        line = {"kind": "stance", **writer.common(), "document": document_id, "span": span_id}
        line |= {
            "target": rng.choice(targets),
            "actor": rng.choice(actors) if rng.random() < 0.8 else None,
            "polarity": rng.randint(-2, 2),
            "note": None,
        }
        writer.line(line)


def _other_document(rng: random.Random, documents: Sequence[SetDocument], not_id: str) -> str:
    while True:
        document_id = rng.choice(documents).id
        if document_id != not_id:
            return document_id


def _write_links(
    writer: _SetWriter,
    spans: Sequence[_WrittenSpan],
    documents: Sequence[SetDocument],
    n_links: int,
) -> None:
    rng = writer.rng
    for _ in range(n_links):
        first, second = rng.sample(range(len(spans)), 2)
        ends = [spans[first].id, spans[second].id]
        if rng.random() < 0.1:
            ends[1] = _other_document(rng, documents, spans[first].document_id)
        line = {"kind": "link", **writer.common(), "from": ends[0], "to": ends[1]}
        line |= {"type": rng.choice(LINK_TYPES), "note": None}
        writer.line(line)


def make_annotation_set(
    path: Path,
    documents: Iterable[tuple[str, str, str]],
    n_spans: int,
    seed: int,
    *,
    n_stances: int | None = None,
    n_links: int | None = None,
    deleted_share: float = 0.01,
) -> SetSummary:
    """Write a set over ``documents`` ((id, title, text) as stored in the project).

    Stances default to ``n_spans // 10`` (one in ten of a whole document), links to
    ``n_spans // 20`` (one in ten ending at a whole document); ``deleted_share`` of the spans
    are tombstones, as an export carries them. Every offset and quote is exact.
    """
    docs = [SetDocument(*d) for d in documents]
    if len(docs) < 2:
        raise ValueError("an annotation set needs at least two documents to link")
    rng = random.Random(seed)
    with path.open("w", encoding="utf-8", newline="\n") as out:
        writer = _SetWriter(out, rng)
        _write_header(writer)
        _write_annotators(writer)
        _write_documents(writer, docs)
        tags = _write_codebook(writer)
        codes = _write_targets_and_actors(writer)
        spans, pairs = _write_spans(writer, docs, n_spans, tags, deleted_share)
        stances = n_spans // 10 if n_stances is None else n_stances
        links = n_spans // 20 if n_links is None else n_links
        _write_stances(writer, spans, docs, codes, stances)
        _write_links(writer, spans, docs, links)
    return SetSummary(path, writer.counts, pairs)
