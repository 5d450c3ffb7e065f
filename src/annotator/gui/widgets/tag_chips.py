"""The tags of the selected passage as removable chips, wrapped over as many lines as needed."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QMargins, QPoint, QRect, QSize, Qt, Signal
from PySide6.QtWidgets import QLayout, QLayoutItem, QSizePolicy, QToolButton, QWidget

from annotator.core.model import Tag
from annotator.gui.models.codebook import swatch_icon


class FlowLayout(QLayout):
    """Lays items out left to right, wrapping to a new line when the width runs out."""

    def __init__(self, parent: QWidget | None = None, spacing: int = 4) -> None:
        super().__init__(parent)
        self._items: list[QLayoutItem] = []
        self._gap = spacing
        self.setContentsMargins(QMargins(0, 0, 0, 0))

    def addItem(self, item: QLayoutItem) -> None:
        self._items.append(item)

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int) -> QLayoutItem | None:  # type: ignore[override]
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> QLayoutItem | None:  # type: ignore[override]
        return self._items.pop(index) if 0 <= index < len(self._items) else None

    def expandingDirections(self) -> Qt.Orientation:
        return Qt.Orientation(0)

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return self._arrange(QRect(0, 0, width, 0), move=False)

    def setGeometry(self, rect: QRect) -> None:
        super().setGeometry(rect)
        self._arrange(rect, move=True)

    def sizeHint(self) -> QSize:
        return self.minimumSize()

    def minimumSize(self) -> QSize:
        size = QSize()
        for item in self._items:
            size = size.expandedTo(item.minimumSize())
        margins = self.contentsMargins()
        return size + QSize(margins.left() + margins.right(), margins.top() + margins.bottom())

    def _arrange(self, rect: QRect, *, move: bool) -> int:
        margins = self.contentsMargins()
        area = rect.marginsRemoved(margins)
        x, y, line_height = area.x(), area.y(), 0
        for item in self._items:
            hint = item.sizeHint()
            if x + hint.width() > area.right() + 1 and line_height > 0:
                x, y = area.x(), y + line_height + self._gap
                line_height = 0
            if move:
                item.setGeometry(QRect(QPoint(x, y), hint))
            x += hint.width() + self._gap
            line_height = max(line_height, hint.height())
        return y + line_height - rect.y() + margins.bottom()


class TagChips(QWidget):
    """One chip per tag; ``remove_requested(tag id)`` when a chip's × is clicked."""

    remove_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._layout = FlowLayout(self)
        policy = QSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)
        self._tag_ids: list[str] = []

    def tag_ids(self) -> list[str]:
        return list(self._tag_ids)

    def chip(self, tag_id: str) -> QToolButton | None:
        return self.findChild(QToolButton, f"chip-{tag_id}")

    def set_tags(self, tags: Sequence[Tag], paths: dict[str, str] | None = None) -> None:
        ids = [tag.id for tag in tags]
        while (item := self._layout.takeAt(0)) is not None:
            widget = item.widget()
            if widget is not None:
                widget.hide()  # hidden and renamed at once: deleteLater only frees it later
                widget.setObjectName("")
                widget.deleteLater()
        self._tag_ids = ids
        for tag in tags:
            self._layout.addWidget(self._make_chip(tag, (paths or {}).get(tag.id, tag.name)))
        self.updateGeometry()

    def _make_chip(self, tag: Tag, path: str) -> QToolButton:
        chip = QToolButton(self)
        chip.setObjectName(f"chip-{tag.id}")
        chip.setText(f"{tag.name}  ✕")
        chip.setIcon(swatch_icon(tag.colour, 12))
        chip.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        chip.setToolTip(f"{path}\nClick to remove this tag from the passage")
        chip.setAccessibleName(f"Remove tag {tag.name}")
        chip.setCursor(Qt.CursorShape.PointingHandCursor)
        chip.clicked.connect(lambda: self.remove_requested.emit(tag.id))
        return chip
