"""Time near-duplicate detection on a synthetic corpus; prints figures, asserts nothing.

2,000 new and 2,000 existing texts of ~10 KB (Zipf-distributed pseudo-words in sentences
and paragraphs, so unrelated texts share common words as real ones do), with near-duplicates
planted: typos, whitespace changes, a paragraph dropped, a line added, a copy within ``new``.

    uv run python benchmarks/bench_dedupe.py [--texts 2000] [--size 10000] [--seed 1]
"""

from __future__ import annotations

import argparse
import itertools
import random
import string
import time

from rapidfuzz import fuzz

from annotator.core.dedupe import near_duplicates, whitespace_normalised


def make_vocabulary(rng: random.Random, size: int = 30_000) -> tuple[list[str], list[float]]:
    words = [
        "".join(rng.choices(string.ascii_lowercase, k=rng.randint(1, 11))) for _ in range(size)
    ]
    # Zipf: a few words are everywhere. Cumulative weights, or choices() re-sums them per call.
    return words, list(itertools.accumulate(1.0 / (rank + 1) for rank in range(size)))


def make_text(rng: random.Random, vocabulary: tuple[list[str], list[float]], size: int) -> str:
    words, cumulative_weights = vocabulary
    paragraphs: list[str] = []
    length = 0
    while length < size:
        sentences = []
        for _ in range(rng.randint(2, 7)):
            sentence = rng.choices(words, cum_weights=cumulative_weights, k=rng.randint(6, 28))
            sentence[0] = sentence[0].capitalize()
            if rng.random() < 0.4:
                sentence[rng.randrange(1, len(sentence))] += ","
            sentences.append(" ".join(sentence) + rng.choice(".....?!"))
        paragraphs.append(" ".join(sentences))
        length += len(paragraphs[-1]) + 2
    return "\n\n".join(paragraphs)


def with_typos(rng: random.Random, text: str, count: int) -> str:
    chars = list(text)
    for _ in range(count):
        position = rng.randrange(len(chars))
        chars[position] = rng.choice(string.ascii_lowercase)
    return "".join(chars)


def with_whitespace_changes(rng: random.Random, text: str) -> str:
    text = text.replace("\n\n", "\r\n\r\n")
    words = text.split(" ")
    for _ in range(30):
        words[rng.randrange(len(words))] += rng.choice(["  ", "\n", "\t"])
    return " ".join(words)


def variants(rng: random.Random, text: str) -> list[str]:
    paragraphs = text.split("\n\n")
    dropped = list(paragraphs)
    del dropped[rng.randrange(len(dropped))]
    return [
        with_typos(rng, text, 10),
        with_typos(rng, text, 60),
        with_whitespace_changes(rng, text),
        "\n\n".join(dropped),
        "REPORT OF THE COMMITTEE (copy)\n\n" + with_typos(rng, text, 5),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--texts", type=int, default=2000)
    parser.add_argument("--size", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=3, help="runs; the best time counts")
    args = parser.parse_args()

    rng = random.Random(args.seed)
    vocabulary = make_vocabulary(rng)
    print(f"generating {args.texts} + {args.texts} texts of ~{args.size} characters ...")
    existing = [(f"old{i}", make_text(rng, vocabulary, args.size)) for i in range(args.texts)]
    new = [(f"new{i}", make_text(rng, vocabulary, args.size)) for i in range(args.texts)]

    planted: set[tuple[str, str]] = set()
    slots = iter(rng.sample(range(1, args.texts), 26))
    for old_key, old_text in rng.sample(existing, 4):
        for variant in variants(rng, old_text):
            slot = next(slots)
            new[slot] = (f"new{slot}", variant)
            planted.add((f"new{slot}", old_key))
    for _ in range(3):  # near-duplicates among the new texts themselves
        first, second = sorted((next(slots), next(slots)))
        new[second] = (f"new{second}", with_typos(rng, new[first][1], 20))
        planted.add((f"new{second}", f"new{first}"))

    times = []
    for _ in range(args.repeat):
        started = time.perf_counter()
        pairs = near_duplicates(new, existing)
        times.append(time.perf_counter() - started)

    found = {(a, b) for a, b, _ in pairs}
    texts = dict(existing) | dict(new)
    reachable = {
        pair
        for pair in planted
        if fuzz.ratio(*(whitespace_normalised(texts[key]) for key in pair)) >= 95
    }
    total_chars = sum(len(t) for _, t in existing) + sum(len(t) for _, t in new)
    print(f"corpus: {total_chars / 1e6:.1f} M characters")
    print(f"near_duplicates: {min(times):.2f} s (runs: {', '.join(f'{t:.2f}' for t in times)})")
    print(f"planted pairs scoring >= 95: {len(reachable)}, found: {len(reachable & found)}")
    print(f"planted pairs found in all: {len(planted & found)} of {len(planted)}")
    print(f"pairs reported: {len(pairs)}, others than planted: {len(found - planted)}")
    print("  (the others pair variants of the same text, which score >= 95 too)")


if __name__ == "__main__":
    main()
