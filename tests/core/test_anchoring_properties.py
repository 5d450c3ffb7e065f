"""Anchoring properties: edits outside a span never misplace it; anchors stay in the text."""

from __future__ import annotations

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from annotator.core import anchoring
from annotator.core.anchoring import Anchor, Unanchored, context, locate

from .test_anchoring import anchored, occurrences

WORDY = st.lists(
    st.sampled_from(
        ["peace", "treaty", "Baku", "Երևան", "мир", "’", "👩‍👩‍👧", "e\u0301", " ", "\n", "."]
    ),
    min_size=1,
    max_size=40,
).map("".join)
EDITS = st.lists(st.tuples(st.integers(0, 10_000), st.integers(0, 5), WORDY), max_size=4)


def apply_edits(text: str, edits: list[tuple[int, int, str]]) -> str:
    for at, deleted, inserted in edits:
        at %= len(text) + 1
        text = text[:at] + inserted + text[at + deleted :]
    return text


@given(WORDY, st.data(), EDITS, EDITS)
@settings(max_examples=300)
def test_edits_outside_the_span_never_misplace_it_and_lose_it_only_in_other_company(
    text, data, before, after
):
    start = data.draw(st.integers(0, len(text) - 1))
    end = data.draw(st.integers(start + 1, len(text)))
    quote, (prefix, suffix) = text[start:end], context(text, start, end)
    head, tail = apply_edits(text[:start], before), apply_edits(text[end:], after)
    edited = head + quote + tail
    result = locate(edited, quote, prefix=prefix, suffix=suffix, start=start, end=end)
    if isinstance(result, Anchor):
        assert edited[result.start : result.end] == quote
    if len(occurrences(edited, quote)) == 1:
        # Unique, it is found, or its context changed and moved so much that it is offered
        # for review (never a wrong place).
        if isinstance(result, Unanchored):
            assert result.candidates[0].score < anchoring.ACCEPT_CONFIDENCE
            result = result.candidates[0]
        assert result.start == len(head)


@given(st.text(max_size=80), st.text(max_size=20), st.integers(-5, 100), st.integers(-5, 100))
def test_anchors_are_always_inside_the_text(text, quote, start, end):
    for result in (locate(text, quote, start=start, end=end), locate(text + quote[:3], quote)):
        anchors = [result] if isinstance(result, Anchor) else list(result.candidates)
        for anchor in anchors:
            assert 0 <= anchor.start <= anchor.end <= len(text) + 3
            assert 0.0 <= anchor.score <= 1.0


@given(WORDY, st.data())
def test_a_unique_exact_quote_is_found_where_it_is(text, data):
    start = data.draw(st.integers(0, len(text) - 1))
    end = data.draw(st.integers(start + 1, len(text)))
    quote = text[start:end]
    assume(len(occurrences(text, quote)) == 1)
    old_start = data.draw(st.none() | st.integers(0, len(text)))
    result = anchored(locate(text, quote, start=old_start))
    assert (result.start, result.end) == (start, end)
    assert result.method == ("position" if old_start == start else "exact")
