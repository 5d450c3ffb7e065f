"""The shared selection emits only on change, and a new document resets span and range."""

from __future__ import annotations

from annotator.gui.selection import Selection


def test_setters_emit_only_on_change(qapp) -> None:
    selection = Selection()
    seen: list[tuple] = []
    selection.document_changed.connect(lambda d: seen.append(("doc", d)))
    selection.span_changed.connect(lambda s: seen.append(("span", s)))
    selection.range_changed.connect(lambda a, b: seen.append(("range", a, b)))
    selection.set_document("d1")
    selection.set_document("d1")
    selection.set_span("s1")
    selection.set_span("s1")
    selection.set_range(3, 9)
    selection.set_range(3, 9)
    assert selection.text_range == (3, 9) and selection.span_id == "s1"
    selection.set_range(4, 4)  # an empty range is no range
    assert selection.text_range is None
    selection.set_range(2, 5)
    selection.set_document("d2")  # another document: its span and range no longer apply
    assert seen == [
        ("doc", "d1"),
        ("span", "s1"),
        ("range", 3, 9),
        ("range", -1, -1),
        ("range", 2, 5),
        ("span", ""),
        ("range", -1, -1),
        ("doc", "d2"),
    ]
    assert selection.document_id == "d2" and selection.span_id == "" and not selection.text_range
    selection.set_span(None)
    assert seen[-1] == ("doc", "d2")
