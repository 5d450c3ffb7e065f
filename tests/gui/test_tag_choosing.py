"""Pure helpers of the tagging panel: fuzzy ranking and moving passage boundaries."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from annotator.gui.widgets.tag_palette import Choice, rank
from annotator.gui.widgets.text_steps import Edge, moved_bounds

CHOICES = [
    Choice("1", "Peace process", "Peace process"),
    Choice("2", "Constitution demand", "Peace process/Constitution demand"),
    Choice("3", "Zangezur corridor (TRIPP)", "Territory/Zangezur corridor (TRIPP)"),
    Choice("4", "Energy and geopolitics", "International actors/Energy and geopolitics"),
    Choice("5", "Lachin corridor blockade", "Territory/Lachin corridor blockade"),
    Choice("6", "Victor's peace", "Framing/Victor's peace"),
]


def keys(query: str) -> list[str]:
    return [c.key for c in rank(query, CHOICES)]


def test_rank_prefers_the_name_then_word_starts() -> None:
    assert keys("")[:3] == ["1", "2", "3"]  # nothing typed: codebook order
    assert keys("zangez")[0] == "3"  # not "Energy and geopolitics"
    assert keys("constit dem")[0] == "2"
    assert keys("blockade lach")[0] == "5"
    assert keys("PEACE")[0] == "1"  # case does not matter; the shortest name wins a tie
    assert keys("qqqq") == []


TEXT = "Baku insists, on a constitutional change. Yerevan’s refusal."


def bounds(phrase: str, edge: Edge, step: int, by_word: bool) -> str | None:
    start = TEXT.index(phrase)
    moved = moved_bounds(TEXT, start, start + len(phrase), edge, step, by_word)
    return TEXT[moved[0] : moved[1]] if moved else None


def test_boundaries_move_by_character_and_word() -> None:
    assert bounds("on", Edge.START, -1, False) == " on"
    assert bounds("on", Edge.END, +1, False) == "on "
    assert bounds("on", Edge.START, -1, True) == "insists, on"
    assert bounds("on", Edge.END, +1, True) == "on a"
    assert bounds("constitutional change", Edge.START, +1, True) == "change"
    assert bounds("constitutional change", Edge.END, -1, True) == "constitutional"
    assert bounds("constitutional change", Edge.END, +1, True) == "constitutional change. Yerevan’s"
    assert bounds("on", Edge.END, -1, True) is None  # the passage would be empty
    assert bounds("Baku", Edge.START, -1, False) is None  # the text starts there
    assert bounds("refusal.", Edge.END, +1, True) is None


@given(
    st.text(alphabet="ab ,.’\n", min_size=2, max_size=40),
    st.data(),
    st.sampled_from(list(Edge)),
    st.sampled_from([-1, 1]),
    st.booleans(),
)
def test_moved_bounds_stay_a_nonempty_range_of_the_text(text, data, edge, step, by_word) -> None:
    start = data.draw(st.integers(0, len(text) - 1))
    end = data.draw(st.integers(start + 1, len(text)))
    moved = moved_bounds(text, start, end, edge, step, by_word)
    if moved is not None:
        assert 0 <= moved[0] < moved[1] <= len(text)
        still = moved[1] if edge == Edge.START else moved[0]
        assert still == (end if edge == Edge.START else start)  # only one edge moves
        assert moved != (start, end)
