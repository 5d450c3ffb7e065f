"""Polarity on the project's ordinal scale, chosen by keyboard or mouse.

A row of checkable buttons (−2 … +2) with the chosen value's label beside them. Keys: a digit
(after ``-`` for a negative value), Left/Right to step, Home/End for the ends, Delete to clear,
Enter to submit the form.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QFocusEvent, QKeyEvent, QPainter, QPaintEvent, QPalette, QResizeEvent
from PySide6.QtWidgets import (
    QBoxLayout,
    QButtonGroup,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QStyle,
    QStyleOptionFocusRect,
    QToolButton,
    QWidget,
)

from annotator.gui.models.stances import polarity_colour, polarity_text


class PolarityPicker(QWidget):
    value_changed = Signal(object)  # int, or None when cleared
    submitted = Signal()  # Enter: record the stance

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self._scale: dict[int, str] = {}
        self._value: int | None = None
        self._negative = False  # '-' typed, waiting for its digit
        self._buttons: dict[int, QToolButton] = {}
        self._group = QButtonGroup(self)
        self._group.idClicked.connect(self._clicked)
        self._row = QHBoxLayout()
        self._row.setSpacing(2)
        self._row.setContentsMargins(0, 0, 0, 0)
        self.caption = QLabel()
        self.caption.setEnabled(False)  # greyed until a value gives it something to say
        # Narrow docks clip the caption rather than grow to fit it.
        self.caption.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        # The caption sits beside the buttons, or under them when the panel is too narrow.
        self._layout = QBoxLayout(QBoxLayout.Direction.LeftToRight, self)
        self._layout.setContentsMargins(3, 3, 3, 3)
        self._layout.setSpacing(8)
        self._layout.addLayout(self._row)
        self._layout.addWidget(self.caption, 1)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)

    # -- value --------------------------------------------------------------------------------

    def set_scale(self, scale: dict[int, str]) -> None:
        if scale == self._scale:
            return
        self._scale = dict(sorted(scale.items()))
        for button in self._buttons.values():
            self._group.removeButton(button)
            button.deleteLater()
        self._buttons.clear()
        for value, label in self._scale.items():
            button = QToolButton(self)
            button.setText(polarity_text(value))
            button.setToolTip(f"{polarity_text(value)}: {label}")
            button.setCheckable(True)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # this row takes the keys
            button.setMinimumWidth(button.fontMetrics().horizontalAdvance("−20") + 14)
            self._group.addButton(button, value)
            self._row.addWidget(button)
            self._buttons[value] = button
        self.set_value(self._value if self._value in self._scale else None)

    def hint(self) -> str:
        if not self._scale:
            return ""
        low, high = polarity_text(min(self._scale)), polarity_text(max(self._scale))
        return f"type {low} … {high}, or ←/→"

    def scale(self) -> dict[int, str]:
        return dict(self._scale)

    @property
    def value(self) -> int | None:
        return self._value

    def set_value(self, value: int | None) -> None:
        if value is not None and value not in self._scale:
            raise ValueError(f"{value} is not on the scale {list(self._scale)}")
        self._negative = False
        self._group.setExclusive(False)  # an exclusive group cannot uncheck its last button
        for number, button in self._buttons.items():
            button.setChecked(number == value)
        self._group.setExclusive(True)
        self._colour_buttons(value)
        changed = value != self._value
        self._value = value
        self._show_caption()
        if changed:
            self.value_changed.emit(value)

    def clear(self) -> None:
        self.set_value(None)

    # -- keyboard -----------------------------------------------------------------------------

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key, text = event.key(), event.text()
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.submitted.emit()
        elif text in ("-", "−"):
            self._negative = True
            self.caption.setText("−…")
        elif text == "+":
            self._negative = False
        elif text.isdigit():
            wanted = -int(text) if self._negative else int(text)
            if wanted in self._scale:
                self.set_value(wanted)
            else:
                self._negative = False
                self._show_caption(f"{polarity_text(wanted)} is not on the scale")
        elif key in (Qt.Key.Key_Left, Qt.Key.Key_Right):
            self._step(-1 if key == Qt.Key.Key_Left else 1)
        elif key in (Qt.Key.Key_Home, Qt.Key.Key_End) and self._scale:
            self.set_value(min(self._scale) if key == Qt.Key.Key_Home else max(self._scale))
        elif key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            self.set_value(None)
        else:
            super().keyPressEvent(event)

    def _step(self, step: int) -> None:
        values = list(self._scale)
        if not values:
            return
        if self._value is None:  # start from the middle of the scale
            self.set_value(values[len(values) // 2])
            return
        at = values.index(self._value) + step
        self.set_value(values[min(max(at, 0), len(values) - 1)])

    def _clicked(self, value: int) -> None:
        self.set_value(value)
        self.setFocus(Qt.FocusReason.MouseFocusReason)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._place_caption()

    def _place_caption(self) -> None:
        longest = max([self.hint(), *self._scale.values()], key=len, default="")
        needed = (
            self._row.sizeHint().width()
            + 8
            + self.caption.fontMetrics().horizontalAdvance(longest)
            + 6
        )
        wanted = (
            QBoxLayout.Direction.LeftToRight
            if self.width() >= needed
            else QBoxLayout.Direction.TopToBottom
        )
        if self._layout.direction() != wanted:
            self._layout.setDirection(wanted)
            self._layout.setSpacing(8 if wanted == QBoxLayout.Direction.LeftToRight else 2)
            self.updateGeometry()  # the form gives the row its new height

    def _colour_buttons(self, value: int | None) -> None:
        for number, button in self._buttons.items():
            colour = polarity_colour(number, self._scale).name()
            _colour_button(button, colour, number == value, self.palette())

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:  # e.g. the desktop turned dark
            self._colour_buttons(self._value)

    def _show_caption(self, message: str = "") -> None:
        if message:
            self.caption.setText(message)
        elif self._value is None:
            self.caption.setText(self.hint())
        else:
            self.caption.setText(self._scale[self._value])
        self.caption.setEnabled(bool(message) or self._value is not None)

    # -- focus: the buttons take none, so the row shows it ----------------------------------

    def focusInEvent(self, event: QFocusEvent) -> None:
        super().focusInEvent(event)
        self.update()

    def focusOutEvent(self, event: QFocusEvent) -> None:
        self._negative = False
        self._show_caption()
        super().focusOutEvent(event)
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if self.hasFocus():
            option = QStyleOptionFocusRect()
            option.initFrom(self)
            option.backgroundColor = self.palette().color(self.backgroundRole())
            painter = QPainter(self)
            self.style().drawPrimitive(
                QStyle.PrimitiveElement.PE_FrameFocusRect, option, painter, self
            )
            painter.end()


def _colour_button(button: QToolButton, colour: str, checked: bool, palette: QPalette) -> None:
    """The chosen value wears its colour of the scale; the others stay plain. Both states
    share one box model, so choosing a value never shifts the row. Colours are written out
    from ``palette``: a sheet's palette(...) is read once, and a child's palette is not yet
    the new one when its parent hears of a change."""
    box = "border-radius: 3px; padding: 2px 7px;"
    if checked:
        button.setStyleSheet(
            f"QToolButton {{ {box} background: {colour}; color: white; font-weight: bold;"
            f" border: 1px solid {colour}; }}"
        )
    else:
        role = QPalette.ColorRole
        face, ink, edge, hover = (
            palette.color(r).name()
            for r in (role.Button, role.ButtonText, role.Mid, role.Highlight)
        )
        button.setStyleSheet(
            f"QToolButton {{ {box} background: {face}; color: {ink}; border: 1px solid {edge}; }}"
            f" QToolButton:hover {{ border-color: {hover}; }}"
        )
