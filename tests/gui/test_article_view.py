"""The article view shows exactly the stored characters and paints exactly the stored spans."""

from __future__ import annotations

import random
import sys
from collections import Counter, defaultdict

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PySide6.QtCore import QEvent, QPoint, Qt
from PySide6.QtGui import QColor, QHelpEvent, QPalette, QTextCursor
from PySide6.QtWidgets import QApplication, QPlainTextEdit, QToolTip

from annotator.core.words import snap_to_word_bounds
from annotator.gui.blending import MIN_CONTRAST, blend_background, contrast, rgb
from annotator.gui.offsets import qt_text
from annotator.gui.widgets.article_view import SPAN_IDS_PROPERTY, ArticleView, HighlightSpan

FAMILY = "👩\u200d👩\u200d👧\u200d👦"
WORDS = [
    "peace",
    "agreement",
    "Հայաստանի",
    "Հանրապետություն",
    "Азербайджан",
    "заявил",
    "cafe\u0301",  # decomposed é stays two code points
    FAMILY,
    "🇦🇲",
    "😀",
    "\tindented",
    "Baku’s",
]
BLOCK_BREAKS = str.maketrans({"\u2029": "\n", "\ufdd0": "\n", "\ufdd1": "\n"})
BREAK_CHARS = "\n\r\u2029\ufdd0\ufdd1"
COLOURS = ["#f2c14e", "#5fa8d3", "#e4572e", "#76b041", "#b084cc"]
FUZZ = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)

paragraph = st.lists(st.sampled_from(WORDS), min_size=1, max_size=12).map(" ".join)
texts = st.lists(paragraph, min_size=1, max_size=8).map("\n\n".join)


@pytest.fixture
def view(qtbot):
    widget = ArticleView()
    qtbot.addWidget(widget)
    widget.resize(640, 420)
    return widget


def make_spans(text: str, count: int, seed: int) -> list[HighlightSpan]:
    rng = random.Random(seed)
    spans = []
    for i in range(count):
        start = rng.randrange(len(text) + 1)
        end = min(len(text), start + rng.choice([0, 1, rng.randint(1, 40), rng.randint(1, 400)]))
        annotator = rng.choice(["anna", "bek", None])
        spans.append(HighlightSpan(f"s{i}", start, end, rng.choice(COLOURS), annotator, f"tag {i}"))
    return spans


def big_text(paragraphs: int = 300, seed: int = 1) -> str:
    rng = random.Random(seed)
    return "\n\n".join(
        " ".join(rng.choice(WORDS) for _ in range(rng.randint(5, 60))) for _ in range(paragraphs)
    )


def painted_ranges(view: ArticleView) -> dict[str, list[tuple[int, int]]]:
    """For every span id, the code point ranges the blocks' layout formats paint it over."""
    offsets = view.offset_map
    painted: dict[str, list[tuple[int, int]]] = defaultdict(list)
    block = view.document().firstBlock()
    while block.isValid():
        view.ensure_block_formats(block)
        for piece in block.layout().formats():
            first = block.position() + piece.start
            start, end = offsets.to_cp_range(first, first + piece.length)
            assert piece.format.background().color().name() == view.highlight_colour_at(start)
            for span_id in piece.format.property(SPAN_IDS_PROPERTY):
                painted[span_id].append((start, end))
        block = block.next()
    return {span_id: merged(ranges) for span_id, ranges in painted.items()}


def merged(ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for start, end in sorted(ranges):
        if out and out[-1][1] == start:
            out[-1] = (out[-1][0], end)
        else:
            out.append((start, end))
    return out


def expected_ranges(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """A span's characters as painted: everything but the invisible block breaks."""
    out, run = [], start
    for i in range(start, end):
        if text[i] in BREAK_CHARS:
            if run < i:
                out.append((run, i))
            run = i + 1
    if run < end:
        out.append((run, end))
    return out


def assert_spans_painted_exactly(view: ArticleView) -> None:
    painted = painted_ranges(view)
    text = view.text()
    for span in view.spans():
        assert painted.get(span.id, []) == expected_ranges(text, span.start, span.end), span
    assert set(painted) <= {span.id for span in view.spans()}


def assert_selection_round_trips(view: ArticleView, start: int, end: int) -> None:
    """Select through Qt positions; the view reports the same code points and characters."""
    cursor = QTextCursor(view.document())
    cursor.setPosition(view.offset_map.to_qt(start))
    cursor.setPosition(view.offset_map.to_qt(end), QTextCursor.MoveMode.KeepAnchor)
    view.setTextCursor(cursor)
    assert view.selected_range() == ((start, end) if start < end else None)
    shown = qt_text(view.text()[start:end]).translate(BLOCK_BREAKS)
    assert cursor.selectedText().translate(BLOCK_BREAKS) == shown


def char_point(view: ArticleView, pos: int) -> QPoint:
    """The middle of the character at code point ``pos``, in viewport coordinates."""
    qt = view.offset_map.to_qt(pos)
    block = view.document().findBlock(qt)
    origin = view.blockBoundingGeometry(block).translated(view.contentOffset()).topLeft()
    line = block.layout().lineForTextPosition(qt - block.position())
    left = line.cursorToX(qt - block.position())[0]
    right = line.cursorToX(view.offset_map.to_qt(pos + 1) - block.position())[0]
    return QPoint(
        int(origin.x() + (left + right) / 2), int(origin.y() + line.y() + line.height() / 2)
    )


# -- exactness -----------------------------------------------------------------------------


@FUZZ
@given(texts, st.integers(0, 30), st.integers(0, 10**6), st.data())
def test_random_texts_select_and_paint_exactly(view, text, count, seed, data):
    view.set_document(text, make_spans(text, count, seed))
    assert_spans_painted_exactly(view)
    for _ in range(5):
        start = data.draw(st.integers(0, len(text)))
        end = data.draw(st.integers(start, len(text)))
        assert_selection_round_trips(view, start, end)


def test_hundreds_of_paragraphs_select_and_paint_exactly(view):
    text = big_text()
    spans = make_spans(text, 600, seed=3)
    view.set_document(text, spans)
    view.show()
    assert view.document().blockCount() == 599
    assert_spans_painted_exactly(view)
    for span in spans[::37]:
        assert_selection_round_trips(view, span.start, span.end)
        view.select_range(span.start, span.end)
        assert view.selected_range() == ((span.start, span.end) if span.start < span.end else None)


def test_visible_blocks_get_their_formats_when_painted(view):
    text = big_text(40)
    view.set_document(text, make_spans(text, 80, seed=5))
    view.show()
    view.viewport().grab()  # a paint
    block = view.firstVisibleBlock()
    assert block.layout().lineCount() > 0
    assert any(block.layout().formats() for block in _blocks(view)[:5])
    before = [(f.start, f.length) for f in block.layout().formats()]
    view.ensure_block_formats(block)  # already current: nothing changes
    assert [(f.start, f.length) for f in block.layout().formats()] == before
    view.resize(300, 500)  # a relayout keeps the formats
    view.viewport().grab()
    assert [(f.start, f.length) for f in block.layout().formats()] == before


def test_palette_change_recolours_for_the_new_page(view):
    text = "Dark mode keeps highlighted text readable."
    view.set_document(text, [HighlightSpan("a", 5, 9, "#f2c14e")])
    light = view.highlight_colour_at(5)
    palette = view.palette()
    palette.setColor(QPalette.ColorRole.Base, QColor("#1f1f24"))
    palette.setColor(QPalette.ColorRole.Text, QColor("#e6e6e6"))
    view.setPalette(palette)
    dark = view.highlight_colour_at(5)
    assert dark != light and dark == blend_background(("#f2c14e",), "#1f1f24", "#e6e6e6")
    assert painted_ranges(view) == {"a": [(5, 9)]}


def _blocks(view: ArticleView) -> list:
    out, block = [], view.document().firstBlock()
    while block.isValid():
        out.append(block)
        block = block.next()
    return out


def test_edits_repaint_only_what_changed(view):
    text = f"{FAMILY} one two three\n\nfour five six"
    view.set_document(text, [HighlightSpan("a", 8, 11, "#f2c14e", "anna")])
    assert painted_ranges(view) == {"a": [(8, 11)]}
    view.add_span(HighlightSpan("b", 10, 25, "#5fa8d3", "bek"))  # across an empty paragraph
    assert painted_ranges(view) == {"a": [(8, 11)], "b": [(10, 21), (23, 25)]}
    assert view.span_ids_at(10) == ["a", "b"]
    assert view.highlight_colour_at(10) != view.highlight_colour_at(9)
    view.update_spans([HighlightSpan("a", 8, 11, "#e4572e", "anna")], removed_ids=["b"])
    assert painted_ranges(view) == {"a": [(8, 11)]}
    assert view.highlight_colour_at(9) == blend_background(("#e4572e",), "#ffffff", "#000000")
    view.remove_span("a")
    assert painted_ranges(view) == {}
    with pytest.raises(ValueError):
        view.add_span(HighlightSpan("c", 0, len(text) + 1, "#000000"))
    with pytest.raises(ValueError):
        view.add_span(HighlightSpan("c", 0, 1, "yellow"))
    assert view.spans() == []


# -- pixels, input and signals -----------------------------------------------------------


def test_highlight_pixels_have_the_blended_colour(view):
    text = "Plain words first, then highlighted words, then plain again."
    start = text.index("highlighted")
    spans = [
        HighlightSpan("a", start, start + len("highlighted"), "#f2c14e", "anna"),
        HighlightSpan("b", start, start + len("highlighted words"), "#5fa8d3", "bek"),
    ]
    view.set_document(text, spans)
    view.show()
    image = view.grab().toImage()
    offset = view.viewport().mapTo(view, QPoint(0, 0))

    def colours_over(word_start: int, word_end: int) -> Counter:
        first, last = char_point(view, word_start), char_point(view, word_end - 1)
        return Counter(
            image.pixelColor(x + offset.x(), y + offset.y()).name()
            for x in range(first.x(), last.x() + 1)
            for y in range(first.y() - 5, first.y() + 6)
        )

    both = view.highlight_colour_at(start)
    assert both == blend_background(("#f2c14e", "#5fa8d3"), "#ffffff", "#000000")
    assert colours_over(start, start + 11).most_common(1)[0][0] == both
    plain = colours_over(0, 5)
    assert plain.most_common(1)[0][0] == "#ffffff" and both not in plain
    # Two annotators: each draws its own underline under the shared word.
    underline = {
        image.pixelColor(char_point(view, start + 5).x() + offset.x(), y).name()
        for y in range(image.height())
    }
    assert {view.annotator_colour("anna"), view.annotator_colour("bek")} <= underline


def test_shift_arrow_selects_whole_graphemes(view, qtbot):
    text = f"{FAMILY} family and 🇦🇲 flag"
    view.set_document(text, [])
    view.show()
    view.setFocus()
    with qtbot.waitSignal(view.selection_changed_range) as changed:
        qtbot.keyClick(view, Qt.Key.Key_Right, Qt.KeyboardModifier.ShiftModifier)
    assert view.selected_range() == (0, 7)  # the ZWJ family is one character to a reader
    assert changed.args == [0, 7]
    for _ in range(2):
        qtbot.keyClick(view, Qt.Key.Key_Right, Qt.KeyboardModifier.ShiftModifier)
    assert view.selected_range() == (0, 9)
    qtbot.keyClick(view, Qt.Key.Key_End, Qt.KeyboardModifier.ShiftModifier)
    assert view.selected_range() == (0, len(text))


def test_click_reports_spans_under_the_mouse_and_tooltip_names_them(view, qtbot):
    text = "Armenia and Azerbaijan agreed the text of a draft peace agreement."
    start = text.index("draft")
    spans = [
        HighlightSpan("outer", text.index("agreed"), len(text) - 1, "#f2c14e", "anna", "Claim"),
        HighlightSpan("inner", start, start + 5, "#5fa8d3", "bek", "Hedge <draft>"),
    ]
    view.set_document(text, spans)
    view.show()
    with qtbot.waitSignal(view.span_clicked) as clicked:
        qtbot.mouseClick(
            view.viewport(), Qt.MouseButton.LeftButton, pos=char_point(view, start + 2)
        )
    assert clicked.args == [["outer", "inner"]]
    with qtbot.waitSignal(view.span_clicked) as clicked:
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=char_point(view, 1))
    assert clicked.args == [[]]
    point = char_point(view, start + 1)
    tip = QHelpEvent(QEvent.Type.ToolTip, point, view.viewport().mapToGlobal(point))
    QApplication.sendEvent(view.viewport(), tip)
    assert "Claim — anna" in QToolTip.text() and "Hedge &lt;draft&gt; — bek" in QToolTip.text()


def test_mouse_drag_snaps_to_words_when_asked(view, qtbot):
    text = "The draft peace agreement was initialled in Washington."
    view.set_document(text, [])
    view.snap_to_words = True
    view.show()
    viewport = view.viewport()
    with qtbot.waitSignal(view.selection_changed_range) as changed:
        qtbot.mousePress(viewport, Qt.MouseButton.LeftButton, pos=char_point(view, 6))
        qtbot.mouseMove(viewport, char_point(view, 12))
        qtbot.mouseRelease(viewport, Qt.MouseButton.LeftButton, pos=char_point(view, 12))
    assert view.selected_range() == (4, 15)  # "draft peace"
    assert changed.args == [4, 15]


def test_scroll_to_brings_a_deep_passage_into_view(view):
    text = big_text(300)
    view.set_document(text, [])
    view.show()
    target = len(text) * 2 // 3
    view.scroll_to(target)
    view.viewport().grab()
    y = char_point(view, target).y()
    assert 0 <= y < view.viewport().height()
    assert view.selected_range() is None


@pytest.mark.skipif(sys.version_info >= (3, 12), reason="None and bools are immortal there")
def test_qt_calls_do_not_steal_references_to_none_and_bools(qapp):
    """PySide6 6.12.0 on CPython 3.11 returns None/True from void calls and Signal.emit
    without a reference, and Python aborts after a few thousand calls; pyproject keeps
    PySide6 below 6.12 for that reason. This fails if a broken release is installed."""
    view = QPlainTextEdit()
    before = [sys.getrefcount(x) for x in (None, True, False)]
    for _ in range(2000):
        view.setPlainText("x")
        view.textChanged.emit()
    after = [sys.getrefcount(x) for x in (None, True, False)]
    assert all(a >= b - 50 for a, b in zip(after, before, strict=True)), (before, after)


# -- pure helpers ------------------------------------------------------------------------


def test_snap_to_word_bounds():
    text = "The cafe\u0301 in Baku’s centre,  then"
    assert snap_to_word_bounds(text, 6, 7) == (4, 9)  # keeps the combining accent
    assert snap_to_word_bounds(text, 13, 16) == (13, 19)  # Baku’s is one word
    assert snap_to_word_bounds(text, 3, 5) == (4, 9)  # leading space trimmed
    assert snap_to_word_bounds(text, 27, 29) == (27, 29)  # only white space: left alone
    assert snap_to_word_bounds(text, 0, len(text)) == (0, len(text))


colour = st.integers(0, 0xFFFFFF).map(lambda v: f"#{v:06x}")


@given(st.lists(colour, min_size=1, max_size=6))
def test_blends_keep_text_readable_on_light_and_dark_pages(colours):
    for page, ink in (("#ffffff", "#000000"), ("#1f1f24", "#e6e6e6"), ("#f7f3e8", "#202020")):
        background = blend_background(tuple(colours), page, ink)
        assert contrast(rgb(background), rgb(ink)) >= MIN_CONTRAST - 0.01
