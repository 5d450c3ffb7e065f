"""Near-duplicate detection: the prefilter must never lose what brute force finds."""

from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st
from rapidfuzz import fuzz

from annotator.core.dedupe import (
    NEAR_DUPLICATE_SCORE,
    best_match,
    min_length_ratio,
    near_duplicates,
    whitespace_normalised,
)

ARTICLE = """\
The Ministry of Foreign Affairs said on Thursday that the peace talks would resume in May.
According to the spokesperson, the draft agreement initialled in March remains the basis
for any further discussion. "We are ready to host the ministers," she told reporters.

Observers note that the two capitals have not yet settled the question of the border,
nor that of the constitutional amendment demanded by one side. Trade routes through the
region were discussed at length; no decision was taken. A joint commission will meet again
after the summer, and its members are expected to present a timetable for demarcation.

Critics in both parliaments called the process opaque. Some asked for the full text of the
draft to be published before any signature, while others warned that publication now could
derail the negotiations. The government replied that it would consult the opposition.
"""

OTHER_ARTICLE = """\
Heavy rain flooded the lower town on Sunday night, and the river rose above its banks for
the first time in a decade. Emergency services evacuated three schools and a hospital wing.
The mayor said the new dikes had held where they were finished, and promised a review.

Farmers upstream reported losses of up to half of the harvest. Insurance companies have
opened a hotline, and the regional council will vote on an emergency fund next week. The
weather service expects more rain on Wednesday, though less than over the weekend.
"""


def brute_force(new, existing, score=NEAR_DUPLICATE_SCORE):
    """The reference: every pair, fuzz.ratio on the normalised texts."""
    found = []
    earlier = list(existing)
    for key, text in new:
        for other_key, other_text in earlier:
            if text == other_text:
                continue
            ratio = fuzz.ratio(whitespace_normalised(text), whitespace_normalised(other_text))
            if ratio >= score:
                found.append((key, other_key, ratio))
        earlier.append((key, text))
    return found


def with_typos(text: str, positions: list[int]) -> str:
    chars = list(text)
    for position in positions:
        chars[position] = "x" if chars[position] != "x" else "y"
    return "".join(chars)


def prose(rng: random.Random, sentences: int) -> str:
    words = ["".join(rng.choices("abcdefghijklmnop", k=rng.randint(2, 9))) for _ in range(500)]
    return " ".join(
        " ".join(rng.choices(words, k=rng.randint(8, 20))).capitalize() + "."
        for _ in range(sentences)
    )


def test_whitespace_normalised_collapses_all_runs() -> None:
    assert whitespace_normalised("  a\tb \r\n\n c\u00a0 d  ") == "a b c d"
    assert whitespace_normalised("") == ""


def test_min_length_ratio_matches_the_ratio_formula() -> None:
    # A string and its prefix: ratio = 200 * short / (short + long).
    assert fuzz.ratio("a" * 905, "a" * 1000) >= 95
    assert fuzz.ratio("a" * 904, "a" * 1000) < 95
    assert 0.904 < min_length_ratio(95) < 0.905


def test_typos_and_whitespace_changes_are_found() -> None:
    variant = with_typos(ARTICLE, [40, 300, 801]).replace("\n", "\r\n").replace(". ", ".  ")
    pairs = near_duplicates([("new", variant)], [("old", ARTICLE), ("other", OTHER_ARTICLE)])
    assert [(a, b) for a, b, _ in pairs] == [("new", "old")]
    expected = fuzz.ratio(whitespace_normalised(variant), whitespace_normalised(ARTICLE))
    assert pairs[0][2] == expected >= 95


def test_whitespace_only_difference_scores_100() -> None:
    reflowed = ARTICLE.replace("\n", " ")
    assert near_duplicates([("new", reflowed)], [("old", ARTICLE)]) == [("new", "old", 100.0)]


def test_different_texts_are_not_reported() -> None:
    assert near_duplicates([("new", OTHER_ARTICLE)], [("old", ARTICLE)]) == []


def test_a_heavily_edited_text_is_not_reported() -> None:
    rng = random.Random(3)
    edited = with_typos(ARTICLE, rng.sample(range(len(ARTICLE)), len(ARTICLE) // 10))
    assert near_duplicates([("new", edited)], [("old", ARTICLE)]) == []


def test_exact_duplicates_are_not_reported() -> None:
    assert near_duplicates([("new", ARTICLE)], [("old", ARTICLE)]) == []
    assert near_duplicates([("a", ARTICLE), ("b", ARTICLE)], []) == []


def test_earlier_new_texts_are_compared() -> None:
    variant = with_typos(ARTICLE, [10, 500])
    pairs = near_duplicates([("first", ARTICLE), ("second", variant)], [])
    assert [(a, b) for a, b, _ in pairs] == [("second", "first")]


def test_every_pair_is_reported_in_order() -> None:
    variants = [with_typos(ARTICLE, [position]) for position in (5, 200, 700)]
    new = [("n0", variants[0]), ("unrelated", OTHER_ARTICLE), ("n1", variants[1])]
    existing = [("o0", ARTICLE), ("o1", variants[2])]
    pairs = [(a, b) for a, b, _ in near_duplicates(new, existing)]
    assert pairs == [("n0", "o0"), ("n0", "o1"), ("n1", "o0"), ("n1", "o1"), ("n1", "n0")]


def test_lower_score_finds_more() -> None:
    rng = random.Random(5)
    edited = with_typos(ARTICLE, rng.sample(range(len(ARTICLE)), len(ARTICLE) // 14))
    ratio = fuzz.ratio(whitespace_normalised(edited), whitespace_normalised(ARTICLE))
    assert 85 < ratio < 95
    assert near_duplicates([("new", edited)], [("old", ARTICLE)]) == []
    assert near_duplicates([("new", edited)], [("old", ARTICLE)], score=85) == [
        ("new", "old", ratio)
    ]


def test_long_texts_without_sentence_marks_or_spaces() -> None:
    rng = random.Random(7)
    unspaced = "".join(
        rng.choice("的一是不了人我在有他这中大来上国个到说们为子和你地出道也时年")
        for _ in range(3000)
    )
    words = " ".join("".join(rng.choices("abcdefgh", k=rng.randint(2, 9))) for _ in range(800))
    for text in (unspaced, words):
        variant = with_typos(text, rng.sample(range(len(text)), 20))
        assert [(a, b) for a, b, _ in near_duplicates([("new", variant)], [("old", text)])] == [
            ("new", "old")
        ]


def test_short_texts() -> None:
    existing = [("hello", "Hello world"), ("long", "Internationalisation"), ("x", "abc")]
    new = [("a", "Hello worlds"), ("b", "Internationalization"), ("c", "abd")]
    assert near_duplicates(new, existing) == brute_force(new, existing)
    assert {(a, b) for a, b, _ in near_duplicates(new, existing)} == {
        ("a", "hello"),
        ("b", "long"),
    }


def test_boilerplate_shared_by_many_texts_does_not_hide_a_pair() -> None:
    rng = random.Random(11)
    footer = " ".join(f"Footer sentence number {n} of the site." for n in range(40))

    def page() -> str:
        sentences = (
            " ".join("".join(rng.choices("abcdefghij", k=rng.randint(2, 9))) for _ in range(12))
            for _ in range(60)
        )
        return ". ".join(sentences) + ". " + footer

    existing = [(n, page()) for n in range(300)]
    variant = with_typos(existing[123][1], rng.sample(range(len(existing[123][1])), 30))
    assert [(a, b) for a, b, _ in near_duplicates([("new", variant)], existing)] == [("new", 123)]


def test_a_big_cluster_of_copies_is_found_whole() -> None:
    # Wire stories: many outlets print the same article with small edits. Past a few dozen
    # copies every sentence head is "common"; the cluster must still be found.
    rng = random.Random(13)
    article = prose(rng, 60)
    copies = [with_typos(article, rng.sample(range(len(article)), 3)) for _ in range(70)]
    existing = [(f"old{n}", text) for n, text in enumerate(copies[:45])]
    new = [(f"new{n}", text) for n, text in enumerate(copies[45:])]
    pairs = near_duplicates(new, existing)
    assert len(pairs) == 25 * 45 + 25 * 24 // 2
    assert sorted(pairs) == sorted(brute_force(new, existing))


def test_best_match() -> None:
    candidates = [("other", OTHER_ARTICLE), ("close", with_typos(ARTICLE, [9, 99]))]
    closer = with_typos(ARTICLE, [9])
    ratio = fuzz.ratio(whitespace_normalised(ARTICLE), whitespace_normalised(candidates[1][1]))
    assert best_match(ARTICLE, candidates) == ("close", ratio)
    assert best_match(ARTICLE, [*candidates, ("closer", closer)])[0] == "closer"
    assert best_match(ARTICLE, [*candidates, ("same", ARTICLE)]) == ("same", 100.0)
    assert best_match(OTHER_ARTICLE, candidates[1:]) is None
    assert best_match(ARTICLE, []) is None


# --- property: the prefilter never misses a pair that brute force finds --------------------

ALPHABETS = [
    "abcdefghijklmnopqrstuvwxyz",
    "абвгдежзиклмнопрстуфхцчшщыэюя",
    "աբգդեզէըթժիլխծկհձղճմյնշոչպջռսվտրցւփքօֆ",
]


def random_text(rng: random.Random) -> str:
    """Words of one alphabet; sometimes sentences, sometimes no spaces at all."""
    alphabet = rng.choice(ALPHABETS)
    length = rng.choice([rng.randint(10, 300), rng.randint(300, 1500), rng.randint(1500, 6000)])
    space_rate, mark_rate = rng.choice([(0.0, 0.0), (0.15, 0.0), (0.15, 0.02), (0.2, 0.06)])
    chars = []
    for _ in range(length):
        roll = rng.random()
        if roll < mark_rate:
            chars.append(rng.choice(".?!։。") + " ")
        elif roll < mark_rate + space_rate:
            chars.append(rng.choice("   \n"))
        else:
            chars.append(rng.choice(alphabet))
    return "".join(chars)


def random_edit(rng: random.Random, text: str) -> str:
    """Change at most 2% of the characters: typos, insertions, deletions, whitespace, a block."""
    budget = max(1, len(text) // 50)
    chars = list(text)
    while budget > 0:
        kind = rng.choice(["substitute", "insert", "delete", "space", "block"])
        position = rng.randrange(len(chars) + 1)
        if kind == "block":
            size = rng.randint(1, budget)
            chars[position : position + size] = rng.choice([[], ["z"] * size])
            budget -= size
            continue
        if kind == "insert" or position == len(chars):
            chars.insert(position, rng.choice("xyzщ"))
        elif kind == "substitute":
            chars[position] = rng.choice("xyzщ")
        elif kind == "delete":
            del chars[position]
        else:
            chars.insert(position, rng.choice(" \n\t"))
        budget -= 1
    return "".join(chars)


@settings(max_examples=300, deadline=None)
@given(st.integers(min_value=0, max_value=2**32), st.integers(min_value=1, max_value=4))
def test_prefilter_finds_what_brute_force_finds(seed: int, copies: int) -> None:
    # A seeded generator rather than st.randoms(): texts take thousands of draws.
    rng = random.Random(seed)
    original = random_text(rng)
    decoys = [random_text(rng) for _ in range(3)]
    existing = [("original", original)] + [(f"decoy{n}", text) for n, text in enumerate(decoys)]
    new = [(f"copy{n}", random_edit(rng, original)) for n in range(copies)]
    assert sorted(near_duplicates(new, existing)) == sorted(brute_force(new, existing))
