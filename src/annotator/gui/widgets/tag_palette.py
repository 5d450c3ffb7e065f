"""Fuzzy choosing: the Ctrl+T tag palette, and a small picker dialog for "merge into…".

Both are a line edit over a list ranked with rapidfuzz as the user types; Up/Down move in the
list while typing continues, Enter chooses, Esc closes. The palette also offers to create the
tag typed when nothing matches it well ("Parent/Child" creates under an existing parent).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QObject, QPoint, QPointF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QIcon, QKeyEvent, QPainter, QPalette, QPen, QPixmap
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFrame,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)
from rapidfuzz import fuzz, utils

from annotator.core.model import normalise_name
from annotator.gui.models.codebook import CodebookModel, swatch_icon

LISTED = 60  # rapidfuzz score a choice needs to stay in the list
GOOD_MATCH = 80  # below this for every choice, creating the typed tag comes first
PATH_SEP = "/"
KEY_ROLE = Qt.ItemDataRole.UserRole + 1
CREATE_KEY = "\0create"  # the key of the "Create tag …" row (never a record id)


@dataclass(frozen=True)
class Choice:
    key: str  # a record id
    name: str  # what the user would type
    path: str = ""  # "Parent/Child" for tags; empty for flat lists
    colour: str | None = None
    hint: str = ""  # shown after the label, e.g. a shortcut key

    @property
    def label(self) -> str:
        return (self.path or self.name).replace(PATH_SEP, " › ")


def score(query: str, choice: Choice) -> float:
    """How well ``query`` names ``choice``, 0..100: its own name first, then its path."""
    q = utils.default_process(query)
    if not q:
        return 100.0
    name = utils.default_process(choice.name)
    best = fuzz.WRatio(q, name)
    if len(q) >= 3:  # a short query inside a long name ("zangez") is a strong hint
        best = max(best, fuzz.partial_ratio(q, name))
    if choice.path:
        best = max(best, 0.9 * fuzz.WRatio(q, utils.default_process(choice.path)))
    if _word_prefixes(q.split(), name.split()):  # "constit dem" → Constitution demand
        best = max(best, 95.0)
    if name.startswith(q) or f" {q}" in f" {name}":
        best += 5  # a word start beats a match in the middle
    return min(best, 100.0)


def _word_prefixes(query: list[str], words: list[str]) -> bool:
    """Each query word starts a word of the name, in order."""
    remaining = iter(words)
    return bool(query) and all(any(w.startswith(q) for w in remaining) for q in query)


def rank(query: str, choices: Sequence[Choice], cutoff: float = LISTED) -> list[Choice]:
    """Choices matching ``query``, best first (shorter labels first among equals)."""
    if not query.strip():
        return list(choices)
    scored = [(score(query, c), c) for c in choices]
    kept = [(s, c) for s, c in scored if s >= cutoff]
    kept.sort(key=lambda sc: (-sc[0], len(sc[1].label), sc[1].label.casefold()))
    return [c for _, c in kept]


def plus_icon(colour: QColor, size: int = 14) -> QIcon:
    """A "+" the size of a swatch, so the "Create …" row lines up with the tags."""
    pixmap = QPixmap(size * 2, size * 2)
    pixmap.setDevicePixelRatio(2.0)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(QPen(colour, 1.6))
    middle = size / 2
    painter.drawLine(QPointF(3, middle), QPointF(size - 3, middle))
    painter.drawLine(QPointF(middle, 3), QPointF(middle, size - 3))
    painter.end()
    return QIcon(pixmap)


class FuzzyChooser(QWidget):
    """A line edit driving a ranked list. ``chosen(key)`` on Enter or a click."""

    chosen = Signal(str)
    cancelled = Signal()

    def __init__(self, placeholder: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.query = QLineEdit(self)
        self.query.setPlaceholderText(placeholder)
        self.query.setClearButtonEnabled(True)
        self.results = QListWidget(self)
        self.results.setIconSize(QSize(14, 14))
        self.results.setTextElideMode(Qt.TextElideMode.ElideMiddle)  # keeps the tag's own name
        self.results.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.results.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # typing stays in the line edit
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.query)
        layout.addWidget(self.results)
        self._choices: list[Choice] = []
        self._icons: dict[str | None, QIcon] = {}
        self._plus = plus_icon(self.palette().color(QPalette.ColorRole.Text))
        self.query.textChanged.connect(self.refilter)
        self.query.installEventFilter(self)
        self.results.itemClicked.connect(lambda item: self.chosen.emit(item.data(KEY_ROLE)))

    def set_choices(self, choices: Sequence[Choice]) -> None:
        self._choices = list(choices)
        self.refilter()

    def extra_rows(self, query: str, ranked: list[Choice]) -> tuple[list[Choice], list[Choice]]:
        """Rows to put (before, after) the ranked ones; the palette adds "Create …"."""
        return [], []

    def refilter(self) -> None:
        query = self.query.text()
        row_height = self.fontMetrics().height() + 8
        ranked = rank(query, self._choices)
        before, after = self.extra_rows(query, ranked)
        self.results.clear()
        for choice in [*before, *ranked, *after]:
            text = choice.label + (f"   (key {choice.hint})" if choice.hint else "")
            item = QListWidgetItem(text, self.results)
            item.setData(KEY_ROLE, choice.key)
            item.setToolTip(choice.path or choice.name)
            item.setSizeHint(QSize(0, row_height))
            item.setIcon(self._plus if choice.key == CREATE_KEY else self._icon(choice.colour))
        if self.results.count():
            self.results.setCurrentRow(0)

    def current_key(self) -> str | None:
        item = self.results.currentItem()
        return item.data(KEY_ROLE) if item is not None else None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.query and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            return self._key(event)
        return super().eventFilter(watched, event)

    def _key(self, event: QKeyEvent) -> bool:
        key = event.key()
        steps = {
            Qt.Key.Key_Down: 1,
            Qt.Key.Key_Up: -1,
            Qt.Key.Key_PageDown: 8,
            Qt.Key.Key_PageUp: -8,
        }
        if key in steps and self.results.count():
            row = self.results.currentRow() + steps[Qt.Key(key)]
            self.results.setCurrentRow(max(0, min(row, self.results.count() - 1)))
            return True
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            chosen = self.current_key()
            if chosen is not None:
                self.chosen.emit(chosen)
            return True
        if key == Qt.Key.Key_Escape:
            self.cancelled.emit()
            return True
        return False

    def _icon(self, colour: str | None) -> QIcon:
        if colour not in self._icons:
            self._icons[colour] = swatch_icon(colour)
        return self._icons[colour]


class _TagChooser(FuzzyChooser):
    """Adds the "Create tag …" row when the typed name is not an existing tag."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Type a tag name…", parent)
        self.create_label = ""

    def extra_rows(self, query: str, ranked: list[Choice]) -> tuple[list[Choice], list[Choice]]:
        name = " ".join(query.split())
        self.create_label = ""
        if not name:
            return [], []
        wanted = normalise_name(name)
        paths = {normalise_name(c.path or c.name) for c in self._choices}
        names = {normalise_name(c.name) for c in self._choices}
        if wanted in paths or (PATH_SEP not in name and wanted in names):
            return [], []  # it exists: choosing it is the right answer
        self.create_label = name
        row = Choice(CREATE_KEY, f"Create tag “{name.replace(PATH_SEP, ' › ')}”")
        parent, _, leaf = name.rpartition(PATH_SEP)
        under_known = bool(parent) and normalise_name(parent) in paths and bool(leaf.strip())
        weak = not ranked or score(query, ranked[0]) < GOOD_MATCH
        return ([row], []) if weak or under_known else ([], [row])


class TagPalette(QFrame):
    """The Ctrl+T popup: ``tag_chosen(id)`` or ``create_requested(typed name)``."""

    tag_chosen = Signal(str)
    create_requested = Signal(str)

    def __init__(self, model: CodebookModel, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Popup | Qt.WindowType.FramelessWindowHint)
        self.model = model
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.chooser = _TagChooser(self)
        hint = QLabel("↑↓ to move · Enter to apply · Esc to close", self)
        hint.setForegroundRole(QPalette.ColorRole.PlaceholderText)  # muted, in any theme
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 6)
        layout.setSpacing(4)
        layout.addWidget(self.chooser)
        layout.addWidget(hint)
        self.resize(460, 360)
        self.chooser.chosen.connect(self._chosen)
        self.chooser.cancelled.connect(self.close)

    def tag_choices(self) -> list[Choice]:
        return [
            Choice(t.id, t.name, self.model.path(t.id), t.colour, (t.shortcut or "").upper())
            for t in self.model.tags()
        ]

    def popup(self, anchor: QWidget | None = None) -> None:
        """Show below the top of ``anchor``'s window (centred), empty, ready for typing."""
        self.chooser.query.clear()
        self.chooser.set_choices(self.tag_choices())
        if anchor is not None:
            window = anchor.window()
            top = window.mapToGlobal(QPoint(0, 0))
            x = top.x() + max(0, (window.width() - self.width()) // 2)
            self.move(x, top.y() + min(80, window.height() // 8))
        self.show()
        self.raise_()
        self.activateWindow()
        self.chooser.query.setFocus(Qt.FocusReason.PopupFocusReason)

    def _chosen(self, key: str) -> None:
        name = self.chooser.create_label
        self.close()
        if key == CREATE_KEY:
            self.create_requested.emit(name)
        else:
            self.tag_chosen.emit(key)


class PickDialog(QDialog):
    """Choose one of some records by typing part of its name."""

    def __init__(
        self, title: str, prompt: str, choices: Sequence[Choice], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.chosen_key: str | None = None
        self.chooser = FuzzyChooser("Type to filter…", self)
        self.chooser.set_choices(choices)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        layout = QVBoxLayout(self)
        label = QLabel(prompt, self)
        label.setWordWrap(True)
        layout.addWidget(label)
        layout.addWidget(self.chooser)
        layout.addWidget(buttons)
        self.resize(420, 360)
        self.chooser.chosen.connect(self._choose)
        self.chooser.cancelled.connect(self.reject)
        buttons.accepted.connect(lambda: self._choose(self.chooser.current_key()))
        buttons.rejected.connect(self.reject)

    def _choose(self, key: str | None) -> None:
        if key:
            self.chosen_key = key
            self.accept()


def pick(title: str, prompt: str, choices: Sequence[Choice], parent: QWidget | None) -> str | None:
    """The key the user picks, or None if they cancel."""
    dialog = PickDialog(title, prompt, choices, parent)
    return dialog.chosen_key if dialog.exec() == QDialog.DialogCode.Accepted else None
