"""Anchoring: find a span's quote again in a (changed) text, never guessing."""

from __future__ import annotations

import random
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from annotator.core import anchoring
from annotator.core.anchoring import (
    Anchor,
    Selector,
    TextIndex,
    Unanchored,
    context,
    fold,
    locate,
    locate_many,
    normalise,
)
from annotator.core.model import CONTEXT_CHARS, Span

TEXT = (
    "The Illusion of Peace. Baku calls it a victor’s peace; Yerevan calls it a truce. "
    "Observers said the deal was fragile. Observers said the border was quiet. "
    "Pursuant to Article 5 of the agreement, troops withdraw. "
    "Pursuant to Article 6 of the agreement, trade resumes."
)


def occurrences(text: str, quote: str) -> list[int]:
    found, i = [], text.find(quote)
    while i >= 0:
        found.append(i)
        i = text.find(quote, i + 1)
    return found


def span_of(text: str, quote: str, nth: int = 0) -> tuple[int, int, str, str]:
    """start, end, prefix, suffix of the nth occurrence, as a span would store them."""
    start = occurrences(text, quote)[nth]
    return (start, start + len(quote), *context(text, start, start + len(quote)))


def anchored(result: Anchor | Unanchored) -> Anchor:
    assert isinstance(result, Anchor), result
    return result


# --- context ---


def test_context_is_at_most_size_code_points_each_side():
    text = "ab👩‍👩‍👧cdefgh"
    start = text.index("c")
    assert context(text, start, start + 2, size=3) == ("👩‍👧", "efg")
    assert context(text, 0, len(text)) == ("", "")
    assert context("x" * 100, 50, 51) == ("x" * CONTEXT_CHARS, "x" * CONTEXT_CHARS)


def test_context_refuses_a_range_outside_the_text():
    with pytest.raises(ValueError):
        context("abc", 2, 4)


# --- position and exact ---


def test_position_is_trusted_while_the_text_there_equals_the_quote():
    start = TEXT.index("Observers said the deal")
    result = locate(TEXT, "Observers said", start=start, end=start + 14)
    assert result == Anchor(start, start + 14, 1.0, "position")


def test_stale_position_falls_back_to_the_single_exact_occurrence():
    start, end, prefix, suffix = span_of(TEXT, "a truce")
    edited = "Editor's note: updated. " + TEXT
    result = anchored(locate(edited, "a truce", prefix=prefix, suffix=suffix, start=start, end=end))
    assert (result.method, edited[result.start : result.end]) == ("exact", "a truce")
    assert result.start == start + len("Editor's note: updated. ")


def test_repeated_quote_chosen_by_prefix():
    start, end, prefix, _ = span_of(TEXT, "of the agreement", nth=1)
    result = anchored(locate(TEXT, "of the agreement", prefix=prefix))
    assert (result.start, result.end, result.method) == (start, end, "exact")


def test_one_different_character_next_to_the_span_is_enough():
    result = anchored(locate(TEXT, "of the agreement", prefix="Article 5 "))
    assert result.start == TEXT.index("of the agreement")


def test_a_difference_next_to_the_span_counts_more_than_one_far_from_it():
    prefix = "the ministers signed Article 5 of "
    far, near = "X" + prefix[1:], prefix[:-3] + "X" + prefix[-2:]  # one character each
    text = f"{far}the agreement. {near}the agreement."
    result = anchored(locate(text, "the agreement", prefix=prefix))
    assert result.start == len(far)


def test_repeated_quote_chosen_by_suffix():
    start, _, _, suffix = span_of(TEXT, "Observers said the", nth=1)
    assert anchored(locate(TEXT, "Observers said the", suffix=suffix)).start == start


def test_repeated_quote_chosen_by_old_position():
    start = occurrences(TEXT, "Observers said")[1]
    result = anchored(locate(TEXT, "Observers said", start=start + 3, end=start + 17))
    assert (result.start, result.method) == (start, "exact")


def test_repeated_quote_without_context_is_ambiguous():
    result = locate(TEXT, "Observers said")
    assert isinstance(result, Unanchored) and result.reason == "ambiguous"
    assert {c.start for c in result.candidates} == set(occurrences(TEXT, "Observers said"))


def test_identical_contexts_far_from_the_old_position_are_ambiguous():
    boiler = "All parties reaffirm their commitment. "
    text = boiler + "x" * 500 + boiler + "y" * 500 + boiler
    start, _, prefix, suffix = span_of(text, "reaffirm", nth=1)
    # The span was in the middle copy; both outer copies are 500+ characters away and alike.
    result = locate(text, "reaffirm", prefix="All parties ", suffix=" their", start=start + 2000)
    assert isinstance(result, Unanchored) and result.reason == "ambiguous"
    assert anchored(locate(text, "reaffirm", prefix=prefix, suffix=suffix, start=start)).start == (
        start
    )


def test_overlapping_occurrences_count():
    result = locate("ababab", "abab")
    assert isinstance(result, Unanchored) and {c.start for c in result.candidates} == {0, 2}


def test_absent_and_empty_quotes_are_not_found():
    absent = locate(TEXT, "a completely different sentence about fisheries")
    assert isinstance(absent, Unanchored) and absent.reason == "not_found"
    assert locate(TEXT, "", start=0, end=0) == Unanchored("not_found")
    assert isinstance(locate("", "peace"), Unanchored)


# --- fuzzy ---


def test_typo_inside_the_quote_is_found_with_the_texts_offsets():
    result = anchored(locate(TEXT, "Observers siad the deal was fragile"))
    assert result.method == "fuzzy" and result.score >= anchoring.ACCEPT_SCORE
    assert TEXT[result.start : result.end] == "Observers said the deal was fragile"


def test_missing_and_extra_letters_move_the_ends_to_fit():
    result = anchored(locate(TEXT, "Yerevan calls it a trruce"))
    assert TEXT[result.start : result.end] == "Yerevan calls it a truce"
    result = anchored(locate(TEXT, "aku calls it a victor's peace; Yrevan"))
    assert TEXT[result.start : result.end] == "aku calls it a victor’s peace; Yerevan"


def test_hand_typed_straight_quotes_find_curly_ones():
    result = anchored(locate(TEXT, "a victor's peace"))
    assert TEXT[result.start : result.end] == "a victor’s peace" and result.score == 1.0
    text = "He said “no deal” — twice.\n\nThen   left."
    result = anchored(locate(text, 'said "no deal" - twice. Then left'))
    assert text[result.start : result.end] == "said “no deal” — twice.\n\nThen   left"


def test_edited_text_inside_a_span_is_found_by_its_context_and_position():
    start, end, prefix, suffix = span_of(TEXT, "the deal was fragile")
    edited = "New intro. " + TEXT.replace("the deal was fragile", "the deal was very fragile")
    result = anchored(locate(edited, TEXT[start:end], prefix=prefix, suffix=suffix, start=start))
    assert edited[result.start : result.end] == "the deal was very fragile"


def test_a_short_quote_with_a_typo_is_not_accepted():
    result = locate(TEXT, "peece")
    assert isinstance(result, Unanchored) and result.reason == "not_found"


def test_equally_near_fuzzy_matches_are_ambiguous_and_a_nearer_one_wins():
    text = "alpha bxta gamma ... alpha byta gamma"
    result = locate(text, "alpha beta gamma")
    assert isinstance(result, Unanchored) and result.reason == "ambiguous"
    assert {c.start for c in result.candidates} == {0, 21}
    result = anchored(locate(text.replace("byta", "beta"), "alpha bet gamma"))
    assert result.start == 21


def test_threshold_and_margin_can_be_tightened():
    assert isinstance(locate(TEXT, "Yerevan calls it a trruce", threshold=0.99), Unanchored)
    assert isinstance(locate(TEXT, "of the agreement", prefix="Article 5 ", margin=0.5), Unanchored)


# --- scripts, emoji, combining marks ---

MIXED = (
    "Family 👩‍👩‍👧 and flag 🇦🇲 first. Հայաստան և Ադրբեջան. Мирный договор подписан. Café crème, Ǹ."
)


@pytest.mark.parametrize(
    "quote", ["👩‍👩‍👧 and flag 🇦🇲", "Հայաստան և Ադրբեջան", "Мирный договор", "Café crème"]
)
def test_exact_offsets_are_code_points(quote):
    start = MIXED.index(quote)
    result = anchored(locate("🙂" + MIXED, quote, start=start))
    assert ("🙂" + MIXED)[result.start : result.end] == quote and result.start == start + 1


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("Հայաստան ե Ադրբեջան", "Հայաստան և Ադրբեջան"),
        ("Мирный догвор подписан", "Мирный договор подписан"),
        ("👩‍👩‍👧 and flg 🇦🇲 first", "👩‍👩‍👧 and flag 🇦🇲 first"),
        (unicodedata.normalize("NFD", "Café crème, Ǹ"), "Café crème, Ǹ"),
    ],
)
def test_fuzzy_offsets_are_code_points(typed, meant):
    text = "👩‍👩‍👧" * 3 + MIXED
    result = anchored(locate(text, typed))
    assert result.method == "fuzzy" and text[result.start : result.end] == meant


def test_capital_dotted_i_keeps_offsets():
    text = "İstanbul talks: the İzmir memorandum was signed."
    result = anchored(locate(text, "the izmir memorandum"))
    assert text[result.start : result.end] == "the İzmir memorandum"


# --- the folded copy and its offset map ---


def test_fold_maps_typography_case_and_whitespace():
    assert fold("“Victor’s”  peace —\u00adtwo\n\tlines") == '"victor\'s" peace -two lines'
    assert fold("e\u0301") == "é"


FOLDABLE = st.lists(
    st.sampled_from([*"aZ İ’“”—\n\t\u00a0\u00ad\u200b", "👩‍👧", "é", "Ֆ"]), max_size=60
).map("".join)


@given(FOLDABLE)
def test_offset_map_is_exact(text):
    norm = normalise(text)
    dropped = set("\u00ad\u200b\ufeff\u2060")
    previous = -1
    for i, char in enumerate(norm.text):
        j = norm.to_original(i)
        assert fold(text[j]) == char or (char == " " and text[j].isspace())
        assert norm.to_normalised(j) == i
        # Whatever was skipped between two kept characters was dropped whitespace or invisible.
        assert all(c.isspace() or c in dropped for c in text[previous + 1 : j])
        previous = j
    assert norm.to_original(len(norm.text)) <= len(text)
    if norm.text:
        assert norm.end_to_original(len(norm.text)) == previous + 1


# --- many spans in one text ---


def test_locate_many_keeps_the_order_and_follows_shifts():
    boiler = "The parties reaffirm their commitment to the ceasefire. "
    words = random.Random(7).choices(["border", "trade", "talks", "envoy", "draft", "vote"], k=400)
    chunks = [" ".join(words[i : i + 40]) + ". " for i in range(0, 400, 40)]
    text = "".join(chunk + boiler for chunk in chunks)
    selectors = []
    for nth in range(10):
        start, end, prefix, suffix = span_of(text, "reaffirm their commitment", nth=nth)
        selectors.append(Selector(text[start:end], prefix, suffix, start, end))
    selectors.reverse()
    # Every copy of the boilerplate now has the same context; only the shift tells them apart.
    edited = "Preface added by the editor. " + text.replace("trade", "commerce")
    results = locate_many(edited, selectors)
    expected = sorted(occurrences(edited, "reaffirm their commitment"), reverse=True)
    assert [anchored(r).start for r in results] == expected


def test_selector_of_a_span():
    span = Span(document_id="d", start=3, end=8, quote="peace", prefix="a ", suffix=".")
    assert Selector.of(span) == Selector("peace", "a ", ".", 3, 8)


def word_soup(seed: int, words: int) -> str:
    rng = random.Random(seed)
    letters = "abcdefghijklmnopqrstuvwxyz"
    vocabulary = ["".join(rng.choices(letters, k=rng.randint(2, 9))) for _ in range(3000)]
    return " ".join(rng.choices(vocabulary, k=words))


def typos(quote: str, *at: int) -> str:
    for i in at:
        quote = quote[:i] + "#" + quote[i + 1 :]
    return quote


LONG_TEXT = word_soup(1, 40_000)


@pytest.mark.parametrize("length", [20, 40, 63, 70, 300, 2000])
@pytest.mark.parametrize("text", [word_soup(2, 1_500), LONG_TEXT], ids=["10 KB", "250 KB"])
def test_fuzzy_matches_of_any_length_in_short_and_long_texts(text, length):
    rng, index = random.Random(length), TextIndex(text)
    word_starts = [i + 1 for i, c in enumerate(text) if c == " "]
    for start in rng.sample(word_starts[: -length // 2], 5):
        end = text.index(" ", start + length)
        quote = text[start:end]
        # At both ends and inside; a short quote so altered would have no piece intact to be
        # found by in a long text (the documented trade-off), so it gets one typo only.
        at = (2, len(quote) // 2, len(quote) - 3) if length > 30 else (len(quote) // 2,)
        edited = typos(quote, *at)
        for old_start in (None, start + 40, start - 500):
            result = anchored(index.locate(Selector(edited, start=old_start)))
            assert (result.start, result.end, result.method) == (start, end, "fuzzy")


def test_a_short_quote_with_a_typo_in_a_long_text_is_found_near_its_old_position():
    assert len(LONG_TEXT) > anchoring.FULL_SCAN_CHARS  # pieces of 5 characters say nothing
    index, start = TextIndex(LONG_TEXT), LONG_TEXT.index(" ", 123_456) + 1
    short = LONG_TEXT[start : LONG_TEXT.index(" ", start + 8)]
    result = anchored(index.locate(Selector(typos(short, 4), start=start - 7)))
    assert (result.start, result.end) == (start, start + len(short))


def test_a_repeated_passage_with_a_typo_and_no_context_is_ambiguous_in_a_long_text():
    boiler = "The parties reaffirm their commitment to the ceasefire. "
    text = boiler.join(LONG_TEXT[i : i + 20_000] for i in range(0, len(LONG_TEXT), 20_000))
    result = locate(text, "reaffirm their commitmnt to the")
    assert isinstance(result, Unanchored) and result.reason == "ambiguous"
    assert len(result.candidates) == anchoring.MAX_REPORTED


def test_whitespace_quotes_are_not_found_fuzzily():
    assert locate("a  b", "   ") == Unanchored("not_found")


def test_locate_many_agrees_with_locate_for_spans_without_a_position():
    selectors = [Selector("Observers said the"), Selector("victor's peace"), Selector("absent")]
    assert locate_many(TEXT, selectors) == [locate(TEXT, s.quote) for s in selectors]
