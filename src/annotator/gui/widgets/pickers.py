"""Fuzzy pickers: type a few letters (typos welcome), Up/Down, Enter.

:class:`~annotator.gui.widgets.fuzzy.FuzzyIndex` ranks plain :class:`PickerItem` records
(no Qt), the :class:`PickerModel` shows a ranking, and :class:`FuzzyPicker` is a line edit that keeps the
keyboard while its result list either floats under it (forms) or sits in a dialog (the link
picker). An optional last row offers to create a record from the typed name.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QPoint,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QFocusEvent, QFont, QKeyEvent, QPainter, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QLineEdit,
    QListView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

from annotator.gui.widgets.fuzzy import Choice, CreateRequest, FuzzyIndex, PickerItem

__all__ = ["Choice", "CreateRequest", "FuzzyIndex", "FuzzyPicker", "PickerItem", "PickerModel"]

POPUP_ROWS = 8
LARGE_INDEX = 4000  # texts beyond which ranking waits for a pause in typing
TYPING_PAUSE_MS = 120
NAVIGATION_KEYS = {
    Qt.Key.Key_Up,
    Qt.Key.Key_Down,
    Qt.Key.Key_PageUp,
    Qt.Key.Key_PageDown,
    Qt.Key.Key_Return,
    Qt.Key.Key_Enter,
}
Index = QModelIndex | QPersistentModelIndex


class PickerModel(QAbstractListModel):
    """A ranking, plus an optional create row at the end."""

    ChoiceRole = Qt.ItemDataRole.UserRole + 1
    DetailRole = Qt.ItemDataRole.UserRole + 2

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._choices: list[Choice] = []
        self.create_text = "Create “{}”"

    def set_choices(self, choices: Sequence[Choice]) -> None:
        self.beginResetModel()
        self._choices = list(choices)
        self.endResetModel()

    def choice(self, row: int) -> Choice | None:
        return self._choices[row] if 0 <= row < len(self._choices) else None

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._choices)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.model() is not self:
            return None
        choice = self._choices[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            if isinstance(choice, CreateRequest):
                return self.create_text.format(choice.name)
            return choice.label
        if role == self.DetailRole:
            return choice.detail if isinstance(choice, PickerItem) else ""
        if role == Qt.ItemDataRole.ToolTipRole and isinstance(choice, PickerItem):
            return "\n".join(filter(None, [choice.label, choice.detail]))
        if role == Qt.ItemDataRole.FontRole and isinstance(choice, PickerItem) and choice.bold:
            font = QFont()
            font.setBold(True)
            return font
        if role == self.ChoiceRole:
            return choice
        return None


class TwoLineDelegate(QStyledItemDelegate):
    """The label, and under it the detail in a quieter colour (only when there is one)."""

    PAD = 4

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        size = super().sizeHint(option, index)
        lines = 2 if index.data(PickerModel.DetailRole) else 1
        return QSize(size.width(), lines * option.fontMetrics.height() + 2 * self.PAD)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        label, opt.text = opt.text, ""
        widget = opt.widget
        style = widget.style() if widget is not None else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget)
        rect = style.subElementRect(QStyle.SubElement.SE_ItemViewItemText, opt, widget)
        rect = rect.adjusted(self.PAD, self.PAD, -self.PAD, -self.PAD)
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        ink = opt.palette.color(
            QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        )
        metrics = opt.fontMetrics
        line = metrics.height()
        painter.save()
        painter.setFont(opt.font)
        painter.setPen(ink)
        flags = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop
        elide = Qt.TextElideMode.ElideRight
        painter.drawText(rect, flags, metrics.elidedText(label, elide, rect.width()))
        detail = index.data(PickerModel.DetailRole) or ""
        if detail:
            quiet = opt.palette.color(QPalette.ColorRole.PlaceholderText)
            if selected:
                quiet = ink
                quiet.setAlphaF(0.75)
            painter.setPen(quiet)
            below = rect.adjusted(0, line, 0, 0)
            painter.drawText(below, flags, metrics.elidedText(detail, elide, rect.width()))
        painter.restore()


class FuzzyPicker(QLineEdit):
    """A line edit over a fuzzy-ranked list. Type, Up/Down, Enter picks, Esc cancels.

    With ``list_view`` the results show there (and stay visible); without, a list floats under
    the line edit inside its window while there is something to show. The keyboard never
    leaves the line edit, so typing refines the list at any time.
    """

    picked = Signal(object)  # a PickerItem or a CreateRequest
    cancelled = Signal()

    def __init__(
        self,
        parent: QWidget | None = None,
        *,
        create_text: str | None = None,
        list_view: QListView | None = None,
        limit: int = 100,
    ) -> None:
        super().__init__(parent)
        self.limit = limit
        self.create_text = create_text  # e.g. 'Create target “{}”'; None: no create row
        self._index = FuzzyIndex([])
        self._chosen: Choice | None = None
        self.model = PickerModel(self)
        if create_text:
            self.model.create_text = create_text
        self._floating = list_view is None
        self.view = list_view if list_view is not None else self._make_popup()
        self.view.setModel(self.model)
        self.view.setItemDelegate(TwoLineDelegate(self.view))
        if self._floating:  # in a dialog a click only highlights; the dialog decides
            self.view.clicked.connect(lambda index: self._pick_row(index.row()))
        self.setClearButtonEnabled(True)
        self.textEdited.connect(self._text_edited)
        self._pending = QTimer(self)  # large indexes rank once typing pauses, not per key
        self._pending.setSingleShot(True)
        self._pending.setInterval(TYPING_PAUSE_MS)
        self._pending.timeout.connect(lambda: self.refresh(show=bool(self.text().strip())))

    # -- contents ---------------------------------------------------------------------------

    def set_items(self, items: Iterable[PickerItem]) -> None:
        """Replace the items (e.g. the codebook changed); the choice survives if still there."""
        self._index = FuzzyIndex(items)
        if isinstance(self._chosen, PickerItem):
            by_id = {item.id: item for item in self._index.items}
            self._chosen = by_id.get(self._chosen.id)
            if self._chosen is None:
                self.clear()
        if not self._floating or self.view.isVisible():
            self.refresh()

    def items(self) -> list[PickerItem]:
        return list(self._index.items)

    @property
    def chosen(self) -> Choice | None:
        return self._chosen

    def set_chosen(self, choice: Choice | str | None) -> None:
        """Show a choice (or the item with this id, or nothing) without emitting ``picked``."""
        if isinstance(choice, str):
            choice = next((i for i in self._index.items if i.id == choice), None)
        self._chosen = choice
        self.setText(_label(choice) if choice is not None else "")
        self.hide_popup()

    def resolve(self) -> Choice | None:
        """What the field holds now: the picked item, an item named exactly as typed, a
        request to create one (when allowed), or None for an empty field."""
        text = " ".join(self.text().split())
        if self._chosen is not None and _label(self._chosen) == text:
            return self._chosen
        if not text:
            return None
        found = self._index.exact(text)
        if found is not None:
            return found
        return CreateRequest(text) if self.create_text else None

    def refresh(self, *, show: bool = False) -> None:
        """Rank the items against the typed text; ``show`` opens the floating list."""
        self._pending.stop()
        text = self.text().strip()
        choices: list[Choice] = list(self._index.search(text, self.limit))
        if self.create_text and text and self._index.exact(text) is None:
            choices.append(CreateRequest(" ".join(text.split())))
        self.model.set_choices(choices)
        if choices:
            self.view.setCurrentIndex(self.model.index(0, 0))
        if self._floating:
            if choices and (show or self.view.isVisible()):
                self._place_popup()
            else:
                self.hide_popup()

    def current_choice(self) -> Choice | None:
        self._flush()
        return self.model.choice(self.view.currentIndex().row())

    # -- keyboard ---------------------------------------------------------------------------

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if key in NAVIGATION_KEYS:
            self._flush()
        showing = not self._floating or self.view.isVisible()
        moves = {
            Qt.Key.Key_Down: 1,
            Qt.Key.Key_Up: -1,
            Qt.Key.Key_PageDown: POPUP_ROWS,
            Qt.Key.Key_PageUp: -POPUP_ROWS,
        }
        if key in moves:
            if showing and self.model.rowCount():
                self._move(moves[key])
            else:
                self.refresh(show=True)
            return
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and showing:
            row = self.view.currentIndex().row()
            if self.model.choice(row) is not None and self._floating:
                self._pick_row(row)
                return
        if key == Qt.Key.Key_Escape and self._floating and self.view.isVisible():
            self.hide_popup()
            self.cancelled.emit()
            return
        super().keyPressEvent(event)

    def _move(self, step: int) -> None:
        rows = self.model.rowCount()
        row = self.view.currentIndex().row()
        # Single steps wrap, so Up from the top reaches the create row; pages stop at the ends.
        wrapped = abs(step) == 1
        row = (row + step) % rows if wrapped else min(max(row + step, 0), rows - 1)
        self.view.setCurrentIndex(self.model.index(row, 0))

    def _pick_row(self, row: int) -> None:
        choice = self.model.choice(row)
        if choice is None:
            return
        self._chosen = choice
        self.setText(_label(choice))
        self.hide_popup()
        self.picked.emit(choice)

    def _text_edited(self, text: str) -> None:
        if self._index.size() > LARGE_INDEX and text.strip():
            self._pending.start()
        else:
            self.refresh(show=bool(text.strip()))

    def _flush(self) -> None:
        """Rank now what was typed during a pause, before acting on the ranking."""
        if self._pending.isActive():
            self._pending.stop()
            self.refresh(show=True)

    # -- the floating list ------------------------------------------------------------------

    def _make_popup(self) -> QListView:
        view = QListView()
        view.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the line edit keeps the keyboard
        view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        view.setAutoFillBackground(True)
        view.hide()
        return view

    def _place_popup(self) -> None:
        """Float the list under the line edit, inside this window (no extra top-level window,
        which Wayland would refuse to place)."""
        host = self.window()
        if host is self:  # a lone picker (tests): the list becomes a small tool window
            if not self.view.isWindow():
                self.view.setParent(None)
                self.view.setWindowFlags(Qt.WindowType.ToolTip | Qt.WindowType.FramelessWindowHint)
                self.view.setAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating)
            origin = self.mapToGlobal(QPoint(0, self.height()))
            width = max(self.width(), 280)
        else:
            if self.view.parentWidget() is not host:
                self.view.setParent(host)
                host.installEventFilter(self)
            origin = self.mapTo(host, QPoint(0, self.height()))
            width = min(max(self.width(), 280), max(host.width() - origin.x(), self.width()))
        rows = min(self.model.rowCount(), POPUP_ROWS)
        height = sum(self.view.sizeHintForRow(r) for r in range(rows))
        height += 2 * self.view.frameWidth() + 2
        self.view.setGeometry(origin.x(), origin.y(), width, height)
        self.view.show()
        self.view.raise_()
        self.view.scrollTo(self.view.currentIndex())

    def hide_popup(self) -> None:
        if self._floating:
            self.view.hide()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in (QEvent.Type.Resize, QEvent.Type.Move) and self.view.isVisible():
            self._place_popup()
        return False

    def focusOutEvent(self, event: QFocusEvent) -> None:
        if event.reason() != Qt.FocusReason.PopupFocusReason:
            self.hide_popup()
        super().focusOutEvent(event)

    def hideEvent(self, event: Any) -> None:
        self.hide_popup()
        super().hideEvent(event)


def _label(choice: Choice) -> str:
    return choice.name if isinstance(choice, CreateRequest) else choice.label
