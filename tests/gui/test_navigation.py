"""History: browser-like back/forward, checked against a two-stack model."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from annotator.gui.navigation import History, Location

A, B, C = (Location("doc-a"), Location("doc-b", "span-1"), Location("doc-c"))


def test_back_and_forward_walk_the_visits() -> None:
    history = History()
    assert history.back() is None and history.current is None
    for place in (A, B, C):
        history.push(place)
    assert history.back() == B and history.back() == A and history.back() is None
    assert history.current == A
    assert history.forward() == B and history.current == B


def test_push_after_back_drops_the_forward_branch() -> None:
    history = History()
    for place in (A, B, C):
        history.push(place)
    history.back()
    history.back()
    history.push(C)
    assert history.entries() == [A, C] and not history.can_go_forward


def test_same_place_twice_is_one_step_and_length_is_bounded() -> None:
    history = History(limit=3)
    for place in (A, A, B, B, C, A):
        history.push(place)
    assert history.entries() == [B, C, A]
    assert history.back() == C and history.back() == B and history.back() is None


def test_replace_and_forget_document() -> None:
    history = History()
    history.push(A)
    history.push(B)
    history.replace(Location("doc-b", "span-2"))
    assert history.entries() == [A, Location("doc-b", "span-2")]
    history.replace(A)  # would make two consecutive A's
    assert history.entries() == [A] and history.current == A
    history.push(B)
    history.push(C)
    history.back()
    history.forget_document("doc-b")
    assert history.entries() == [A, C] and history.current == A


def test_limit_must_be_positive() -> None:
    with pytest.raises(ValueError):
        History(limit=0)


places = st.builds(Location, st.sampled_from(["d1", "d2", "d3"]), st.sampled_from(["", "s1", "s2"]))


class HistoryVersusTwoStacks(RuleBasedStateMachine):
    """The model: places behind, the current place, places ahead."""

    def __init__(self) -> None:
        super().__init__()
        self.limit = 5
        self.history = History(limit=self.limit)
        self.behind: list[Location] = []
        self.here: Location | None = None
        self.ahead: list[Location] = []

    @rule(place=places)
    def push(self, place: Location) -> None:
        self.history.push(place)
        if place == self.here:
            return
        if self.here is not None:
            self.behind.append(self.here)
        self.here = place
        self.ahead.clear()
        del self.behind[: max(0, len(self.behind) + 1 - self.limit)]

    @rule()
    def back(self) -> None:
        went = self.history.back()
        if not self.behind:
            assert went is None
            return
        self.ahead.append(self.here)
        self.here = self.behind.pop()
        assert went == self.here

    @rule()
    def forward(self) -> None:
        went = self.history.forward()
        if not self.ahead:
            assert went is None
            return
        self.behind.append(self.here)
        self.here = self.ahead.pop()
        assert went == self.here

    @invariant()
    def agrees_with_the_model(self) -> None:
        assert self.history.current == self.here
        expected = [*self.behind, *([self.here] if self.here else []), *reversed(self.ahead)]
        assert self.history.entries() == expected
        assert self.history.can_go_back == bool(self.behind)
        assert self.history.can_go_forward == bool(self.ahead)

    @invariant()
    def bounded_without_consecutive_repeats(self) -> None:
        entries = self.history.entries()
        assert len(entries) <= self.limit
        assert all(a != b for a, b in itertools.pairwise(entries))


TestHistoryVersusTwoStacks = HistoryVersusTwoStacks.TestCase
