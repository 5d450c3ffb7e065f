"""Browser-like back and forward over the places an analyst has looked at.

Pure Python (no Qt): the main window pushes a :class:`Location` whenever the analyst jumps
somewhere (opens a document, follows a link, activates a stance's evidence) and binds
Alt+Left / Alt+Right to :meth:`History.back` / :meth:`History.forward`.
"""

from __future__ import annotations

from dataclasses import dataclass

DEFAULT_LIMIT = 100


@dataclass(frozen=True, slots=True)
class Location:
    """A document, and optionally one span in it ('' = the document as a whole)."""

    document_id: str
    span_id: str = ""


class History:
    """Visited locations with a cursor; pushing after going back drops the forward branch."""

    def __init__(self, limit: int = DEFAULT_LIMIT) -> None:
        if limit < 1:
            raise ValueError("a history holds at least one location")
        self.limit = limit
        self._entries: list[Location] = []
        self._index = -1  # the current entry; -1 while empty

    @property
    def current(self) -> Location | None:
        return self._entries[self._index] if self._entries else None

    @property
    def can_go_back(self) -> bool:
        return self._index > 0

    @property
    def can_go_forward(self) -> bool:
        return self._index < len(self._entries) - 1

    def entries(self) -> list[Location]:
        """Oldest first (a copy)."""
        return list(self._entries)

    def push(self, location: Location) -> None:
        """Visit ``location``: it becomes current and there is nothing to go forward to."""
        if location == self.current:
            return  # re-selecting where we are is not a step back-able
        del self._entries[self._index + 1 :]
        self._entries.append(location)
        overflow = len(self._entries) - self.limit
        if overflow > 0:  # forget the oldest places, as browsers do
            del self._entries[:overflow]
        self._index = len(self._entries) - 1

    def replace(self, location: Location) -> None:
        """Refine the current location (e.g. another span selected in the same document)
        without adding a step; pushes when the history is empty."""
        if not self._entries:
            self.push(location)
            return
        self._entries[self._index] = location
        self._drop_consecutive_duplicates()

    def back(self) -> Location | None:
        """Step back and return where to go, or None (and stay) at the oldest entry."""
        if not self.can_go_back:
            return None
        self._index -= 1
        return self._entries[self._index]

    def forward(self) -> Location | None:
        if not self.can_go_forward:
            return None
        self._index += 1
        return self._entries[self._index]

    def forget_document(self, document_id: str) -> None:
        """Drop every location in a deleted document, keeping the cursor on a sensible place."""
        kept: list[Location] = []
        new_index = -1
        for i, entry in enumerate(self._entries):
            if entry.document_id != document_id:
                kept.append(entry)
            if i == self._index:
                new_index = len(kept) - 1
        self._entries = kept
        self._index = max(new_index, 0) if kept else -1
        self._drop_consecutive_duplicates()

    def clear(self) -> None:
        self._entries.clear()
        self._index = -1

    def _drop_consecutive_duplicates(self) -> None:
        kept: list[Location] = []
        new_index = -1
        for i, entry in enumerate(self._entries):
            if not kept or kept[-1] != entry:
                kept.append(entry)
            if i == self._index:
                new_index = len(kept) - 1
        self._entries = kept
        self._index = new_index if kept else -1

    def __len__(self) -> int:
        return len(self._entries)
