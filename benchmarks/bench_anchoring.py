"""Re-anchor many spans after random edits to their documents, and print what happened.

    uv run python benchmarks/bench_anchoring.py [--docs 200 --spans 10000 --large 2 --seed 1]

Documents are word soup with repeated boilerplate (so that some quotes occur several times with
the same context). Each document gets random insertions, deletions and replacements, some of
them inside spans; every span's true place is followed through the edits, so the figures say
not only how many spans were anchored but how many were anchored in the right place.
Prints figures; asserts nothing about time (target: 10,000 spans in <= 5 s on 2 cores).
"""

from __future__ import annotations

import argparse
import random
import time
from collections import Counter
from dataclasses import dataclass

from annotator.core.anchoring import (
    ACCEPT_CONFIDENCE,
    Anchor,
    Selector,
    context,
    locate_many,
)

BOILERPLATE = [
    "The parties reaffirm their commitment to the ceasefire and to the peaceful settlement of "
    "all outstanding disputes in accordance with international law.",
    "This statement does not necessarily reflect the views of the Ministry.",
    "For further information, please contact the press office.",
    "Both sides agreed to continue the talks at the level of deputy foreign ministers.",
]
EXTRA_WORDS = ["peace", "treaty", "“corridor”", "Baku’s", "Yerevan’s", "—", "delimitation"]


@dataclass
class Truth:
    """Where a span really is after the edits, and whether an edit touched its text."""

    start: int
    end: int
    touched: bool = False

    def follow(self, at: int, deleted: int, inserted: int) -> None:
        """Follow the replacement of ``text[at:at + deleted]`` by ``inserted`` characters."""
        a, b, shift = at, at + deleted, inserted - deleted
        self.touched |= a < self.end and b > self.start and (deleted > 0 or a > self.start)
        if self.start >= b:
            self.start += shift
        elif self.start >= a:
            self.start = a + inserted  # its beginning was replaced
        if self.end >= b and (deleted or self.end > a):
            self.end += shift
        elif self.end > a:
            self.end = a  # its end was deleted
        self.end = max(self.end, self.start)


def vocabulary(rng: random.Random) -> list[str]:
    letters = "abcdefghijklmnopqrstuvwxyz"
    made = ["".join(rng.choices(letters, k=rng.randint(2, 10))) for _ in range(2000)]
    return made + EXTRA_WORDS


def document(rng: random.Random, words: list[str], size: int) -> str:
    parts: list[str] = []
    length = 0
    while length < size:
        if rng.random() < 0.08:
            part = rng.choice(BOILERPLATE)
        else:
            part = " ".join(rng.choices(words, k=rng.randint(6, 25))).capitalize() + "."
        parts.append(part)
        length += len(part) + 1
    return ("\n\n" if rng.random() < 0.2 else " ").join(parts)


def spans(rng: random.Random, text: str, count: int) -> list[tuple[Selector, Truth]]:
    """Spans of 1 to 20 words, stored as a span is: position, quote and context."""
    word_starts = [0] + [i + 1 for i, c in enumerate(text) if c == " "]
    made = []
    for _ in range(count):
        start = end = rng.choice(word_starts[:-25])
        for _ in range(rng.choice([1, 2, 3, 5, 8, 12, 20])):
            end = text.find(" ", end + 1)
        prefix, suffix = context(text, start, end)
        made.append((Selector(text[start:end], prefix, suffix, start, end), Truth(start, end)))
    return made


def edit(rng: random.Random, text: str, words: list[str], truths: list[Truth], count: int) -> str:
    """Insert words, delete 1-20 characters, or replace a word, at random places."""
    for _ in range(count):
        at = rng.randrange(len(text))
        kind = rng.choice(["insert", "delete", "replace"])
        if kind == "insert":
            at = text.rfind(" ", 0, at) + 1
            deleted, inserted = 0, " ".join(rng.choices(words, k=rng.randint(1, 8))) + " "
        elif kind == "delete":
            deleted, inserted = rng.randint(1, 20), ""
        else:
            at = text.rfind(" ", 0, at) + 1
            deleted, inserted = max(1, text.find(" ", at) - at), rng.choice(words)
        text = text[:at] + inserted + text[at + deleted :]
        for truth in truths:
            truth.follow(at, deleted, len(inserted))
    return text


def run(
    label: str, docs: int, size: int, per_doc: int, edits: int, seed: int, positions: bool
) -> None:
    rng = random.Random(seed)
    words = vocabulary(rng)
    corpus = []
    for _ in range(docs):
        text = document(rng, words, size)
        made = spans(rng, text, per_doc)
        edited = edit(rng, text, words, [t for _, t in made], edits)
        if not positions:  # as in a hand-written set: quote and context only
            made = [(Selector(s.quote, s.prefix, s.suffix), t) for s, t in made]
        corpus.append((edited, made))

    began, began_cpu = time.perf_counter(), time.process_time()
    results = [locate_many(edited, [s for s, _ in made]) for edited, made in corpus]
    elapsed, cpu = time.perf_counter() - began, time.process_time() - began_cpu

    methods, reasons, outcome, review = Counter(), Counter(), Counter(), Counter()
    same_quote = anchored = 0
    for (edited, made), found in zip(corpus, results, strict=True):
        for (selector, truth), result in zip(made, found, strict=True):
            state = "edited" if truth.touched else "intact"
            if isinstance(result, Anchor):
                anchored += 1
                methods[result.method] += 1
                same_quote += edited[result.start : result.end] == selector.quote
                exact = (result.start, result.end) == (truth.start, truth.end)
                overlaps = result.start < truth.end and truth.start < result.end
                verdict = "right" if exact else "overlapping" if overlaps else "WRONG"
                outcome[state, verdict] += 1
            else:
                reasons[result.reason] += 1
                outcome[state, result.reason] += 1
                best = result.candidates[0] if result.candidates else None
                if result.reason == "not_found" and best and best.score < ACCEPT_CONFIDENCE:
                    exact = (best.start, best.end) == (truth.start, truth.end)
                    overlaps = best.start < truth.end and truth.start < best.end
                    review["right" if exact else "overlapping" if overlaps else "WRONG"] += 1

    total = sum(len(made) for _, made in corpus)
    kind = "with positions" if positions else "quote and context only"
    print(
        f"== {label}: {docs} docs of ~{size:,} chars, {total:,} spans ({kind}), {edits} edits each"
    )
    print(f"time       {elapsed:.2f} s wall, {cpu:.2f} s CPU ({1e6 * elapsed / total:.0f} µs/span)")
    print(f"methods    {dict(methods)}")
    print(f"unanchored {dict(reasons)} ({sum(reasons.values()) / total:.1%})")
    print(f"same quote {same_quote / max(anchored, 1):.1%} of {anchored:,} anchored spans")
    for state in ("intact", "edited"):  # spans whose own text no edit touched / some edit did
        rows = {k[1]: v for k, v in sorted(outcome.items()) if k[0] == state}
        print(f"{state:10} {rows}")
    print(f"not found, best place below confidence {ACCEPT_CONFIDENCE}: {dict(review)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=200)
    parser.add_argument("--size", type=int, default=10_000)
    parser.add_argument("--spans", type=int, default=10_000)
    parser.add_argument("--edits", type=int, default=12, help="edits per document")
    parser.add_argument("--large", type=int, default=2, help="2 MB documents, 500 edits each")
    parser.add_argument("--no-positions", action="store_true", help="also spans without start")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    per_doc = args.spans // args.docs
    run("small", args.docs, args.size, per_doc, args.edits, args.seed, positions=True)
    if args.large:
        large_per_doc = args.spans // 2 // args.large
        run("large", args.large, 2_000_000, large_per_doc, 500, args.seed, positions=True)
    if args.no_positions:
        run("small", args.docs, args.size, per_doc, args.edits, args.seed, positions=False)


if __name__ == "__main__":
    main()
