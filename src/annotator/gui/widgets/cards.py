"""Rows drawn as small cards: a bold title line with an optional badge, quieter lines below.

Side panels are narrow; four truncated table columns read worse there than two or three short
lines per record. Views give a :class:`CardDelegate` a function from a model index to a
:class:`Card`; the models themselves stay plain tables (and testable as such).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QIcon, QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QListView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

Index = QModelIndex | QPersistentModelIndex
PAD = 5
GAP = 8  # between the title and the badge
SWATCH = 10


@dataclass(frozen=True, slots=True)
class Card:
    title: str
    subtitle: str = ""  # after the title on the same line, in normal weight
    badge: str = ""  # right-aligned on the first line
    badge_colour: str | None = None  # a swatch before the badge
    lines: tuple[tuple[str, bool], ...] = ()  # (text, italic), in a quieter colour
    strong: bool = False  # marked with an accent bar (e.g. it concerns the selected passage)


class CardDelegate(QStyledItemDelegate):
    def __init__(self, card_for: Callable[[Index], Card | None], parent: QWidget) -> None:
        super().__init__(parent)
        self.card_for = card_for

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        card = self.card_for(index)
        lines = 1 + (len(card.lines) if card else 0)
        height = option.fontMetrics.height()
        return QSize(200, 2 * PAD + lines * height + (lines - 1) * 2)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        card = self.card_for(index)
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""
        opt.icon = QIcon()  # the card draws its own swatch
        widget = opt.widget
        style = widget.style() if widget is not None else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget)
        if card is None:
            return
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        palette = opt.palette
        ink = palette.color(
            QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        )
        quiet = QColor(ink) if selected else palette.color(QPalette.ColorRole.PlaceholderText)
        if selected:
            quiet.setAlphaF(0.8)
        rect = opt.rect.adjusted(PAD + 2, PAD, -PAD - 2, -PAD)
        painter.save()
        if card.strong:  # an accent bar, so the emphasis survives selection colours
            accent = palette.color(QPalette.ColorRole.Highlight)
            painter.fillRect(
                QRect(opt.rect.left(), opt.rect.top() + 2, 3, opt.rect.height() - 4),
                ink if selected else accent,
            )
        self._first_line(painter, opt.font, rect, card, ink)
        height = QFontMetrics(opt.font).height()
        top = rect.top() + height + 2
        for text, italic in card.lines:
            font = QFont(opt.font)
            font.setItalic(italic)
            painter.setFont(font)
            painter.setPen(quiet)
            line = QRect(rect.left(), top, rect.width(), height)
            elided = QFontMetrics(font).elidedText(text, Qt.TextElideMode.ElideRight, line.width())
            painter.drawText(
                line, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, elided
            )
            top += height + 2
        painter.restore()

    def _first_line(
        self, painter: QPainter, base: QFont, rect: QRect, card: Card, ink: QColor
    ) -> None:
        height = QFontMetrics(base).height()
        line = QRect(rect.left(), rect.top(), rect.width(), height)
        align = Qt.AlignmentFlag.AlignVCenter
        right = line.right()
        if card.badge:  # the badge keeps its full width; the title gives way
            metrics = QFontMetrics(base)
            width = metrics.horizontalAdvance(card.badge)
            painter.setFont(base)
            painter.setPen(ink)
            badge = QRect(right - width, line.top(), width, height)
            painter.drawText(badge, align | Qt.AlignmentFlag.AlignRight, card.badge)
            right = badge.left() - GAP
            if card.badge_colour:
                swatch = QRect(
                    right + GAP - SWATCH - 4, line.center().y() - SWATCH // 2 + 1, SWATCH, SWATCH
                )
                painter.fillRect(swatch, QColor(card.badge_colour))
                right = swatch.left() - GAP
        bold = QFont(base)
        bold.setBold(True)
        painter.setFont(bold)
        painter.setPen(ink)
        space = max(right - line.left(), 0)
        metrics = QFontMetrics(bold)
        title = metrics.elidedText(card.title, Qt.TextElideMode.ElideRight, space)
        painter.drawText(QRect(line.left(), line.top(), space, height), align, title)
        used = metrics.horizontalAdvance(title)
        if card.subtitle and used < space:
            painter.setFont(base)
            rest = QRect(line.left() + used, line.top(), space - used, height)
            text = QFontMetrics(base).elidedText(
                card.subtitle, Qt.TextElideMode.ElideRight, rest.width()
            )
            painter.drawText(rest, align, text)


class PlaceholderList(QListView):
    """A list that says what to do when it is empty, where the rows would be."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.placeholder = ""

    def set_placeholder(self, text: str) -> None:
        self.placeholder = text
        self.viewport().update()

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        model = self.model()
        if self.placeholder and (model is None or model.rowCount() == 0):
            painter = QPainter(self.viewport())
            painter.setPen(self.palette().color(QPalette.ColorRole.PlaceholderText))
            area = self.viewport().rect().adjusted(12, 12, -12, -12)
            flags = Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap
            painter.drawText(area, int(flags), self.placeholder)
            painter.end()


class CardList(PlaceholderList):
    """Cards, one per row, scrolled smoothly."""

    def __init__(self, card_for: Callable[[Index], Card | None], parent: QWidget) -> None:
        super().__init__(parent)
        self.setItemDelegate(CardDelegate(card_for, self))
        self.setAlternatingRowColors(True)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
