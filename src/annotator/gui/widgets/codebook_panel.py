"""The codebook: a tree of tags to apply with a click or Enter, and to manage from a menu.

Every change (add, rename, recolour, shortcut, description, move, merge, delete) is one core
edit through the session, so it can be undone. Questions to the user go through ``Asker``,
which tests replace with scripted answers.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QModelIndex, QPoint, QRect, QRectF, Qt, Signal
from PySide6.QtGui import QAction, QColor, QKeyEvent, QMouseEvent, QPainter, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QColorDialog,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLineEdit,
    QMenu,
    QMessageBox,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QToolButton,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from annotator.core import ops
from annotator.core.model import Tag
from annotator.gui.models.codebook import TAG_ID_ROLE, CodebookModel, Column
from annotator.gui.session import Session
from annotator.gui.widgets.tag_palette import Choice, pick

# Light highlighter tints: dark text stays readable on them, and the article view tones them
# down on a dark page. A new tag takes the first one not in use yet.
NEW_TAG_COLOURS = (
    "#ffd27f", "#9fd8f5", "#b8e68f", "#f7a8b8", "#d4b8f0", "#ffb48a",
    "#8ee0d0", "#f5e17a", "#c0c8d8", "#e8c39e", "#a8e6a1", "#f0b0e0",
)  # fmt: skip


def next_colour(used: Sequence[str | None]) -> str:
    taken = {c.lower() for c in used if c}
    return next((c for c in NEW_TAG_COLOURS if c not in taken), NEW_TAG_COLOURS[len(taken) % 12])


class Asker:
    """The questions the codebook and entity editors ask, as standard dialogs."""

    def __init__(self, parent: QWidget) -> None:
        self.parent = parent

    def text(self, title: str, label: str, value: str = "") -> str | None:
        text, ok = QInputDialog.getText(self.parent, title, label, QLineEdit.EchoMode.Normal, value)
        return text if ok else None

    def long_text(self, title: str, label: str, value: str = "") -> str | None:
        text, ok = QInputDialog.getMultiLineText(self.parent, title, label, value)
        return text if ok else None

    def colour(self, title: str, value: str | None) -> str | None:
        chosen = QColorDialog.getColor(QColor(value or "#ffd27f"), self.parent, title)
        return chosen.name() if chosen.isValid() else None

    def when_used(self, name: str, count: int) -> ops.WhenUsed | None:
        box = QMessageBox(self.parent)
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle("Delete tag")
        box.setText(f"“{name}” is on {count} passage{'s' if count != 1 else ''}.")
        box.setInformativeText("What should become of those passages?")
        remove = box.addButton("Remove the tag from them", QMessageBox.ButtonRole.DestructiveRole)
        merge = box.addButton("Give them another tag…", QMessageBox.ButtonRole.AcceptRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.exec()
        clicked = box.clickedButton()
        return {remove: ops.WhenUsed.REMOVE, merge: ops.WhenUsed.MERGE}.get(clicked)

    def confirm(self, title: str, text: str, action: str) -> bool:
        box = QMessageBox(QMessageBox.Icon.Question, title, text, parent=self.parent)
        yes = box.addButton(action, QMessageBox.ButtonRole.AcceptRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.exec()
        return box.clickedButton() is yes

    def pick(self, title: str, prompt: str, choices: Sequence[Choice]) -> str | None:
        return pick(title, prompt, choices, self.parent)


class _MutedDelegate(QStyledItemDelegate):
    """Counts in a quieter colour; shortcut keys drawn as a small key cap."""

    def initStyleOption(self, option: QStyleOptionViewItem, index: QModelIndex) -> None:  # type: ignore[override]
        super().initStyleOption(option, index)
        if index.column() == Column.COUNT:
            muted = option.palette.color(QPalette.ColorRole.PlaceholderText)
            option.palette.setColor(QPalette.ColorRole.Text, muted)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex) -> None:  # type: ignore[override]
        key = index.data() if index.column() == Column.SHORTCUT else ""
        if not key:
            super().paint(painter, option, index)
            return
        self.initStyleOption(option, index)
        option.text = ""
        widget = option.widget
        style = widget.style() if widget else None
        if style is not None:  # selection and focus background, without the text
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, option, painter, widget)
        side = min(option.fontMetrics.height() + 2, option.rect.height())
        cap = QRect(0, 0, side, side)
        cap.moveCenter(option.rect.center())
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(option.palette.color(QPalette.ColorRole.Mid))
        painter.setBrush(option.palette.color(QPalette.ColorRole.Button))
        painter.drawRoundedRect(QRectF(cap).adjusted(0.5, 0.5, -0.5, -0.5), 3, 3)
        painter.setPen(option.palette.color(QPalette.ColorRole.ButtonText))
        painter.drawText(cap, Qt.AlignmentFlag.AlignCenter, str(key))
        painter.restore()


class TagTree(QTreeView):
    """``tag_chosen(id)`` on a plain left click on a tag, or Enter; F2 renames in place."""

    tag_chosen = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setUniformRowHeights(True)
        self.setAllColumnsShowFocus(True)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.EditKeyPressed)
        self.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.setDropIndicatorShown(True)
        self.setItemDelegate(_MutedDelegate(self))
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.setAccessibleName("Codebook")
        self._press: QPoint | None = None

    def current_tag_id(self) -> str | None:
        index = self.currentIndex()
        return index.data(TAG_ID_ROLE) if index.isValid() else None

    def mousePressEvent(self, event: QMouseEvent) -> None:
        plain = event.modifiers() == Qt.KeyboardModifier.NoModifier
        left = event.button() == Qt.MouseButton.LeftButton
        self._press = event.position().toPoint() if plain and left else None
        super().mousePressEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        press, self._press = self._press, None
        super().mouseReleaseEvent(event)
        point = event.position().toPoint()
        if press is None or event.button() != Qt.MouseButton.LeftButton:
            return
        index = self.indexAt(point)
        on_branch = point.x() < self.visualRect(index.siblingAtColumn(0)).x()
        if index.isValid() and not on_branch and index == self.indexAt(press):
            self.tag_chosen.emit(index.data(TAG_ID_ROLE))

    def startDrag(self, supportedActions: Qt.DropAction) -> None:
        self._press = None  # a drag is not a click: its release never reaches the view
        super().startDrag(supportedActions)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        editing = self.state() == QAbstractItemView.State.EditingState
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not editing:
            tag_id = self.current_tag_id()
            if tag_id:
                self.tag_chosen.emit(tag_id)
                event.accept()
                return
        super().keyPressEvent(event)


class CodebookPanel(QWidget):
    """The tag tree with its management actions; ``tag_chosen(id)`` asks to apply a tag."""

    tag_chosen = Signal(str)
    targets_requested = Signal()
    actors_requested = Signal()

    def __init__(
        self, session: Session, model: CodebookModel | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.model = model or CodebookModel(session, self)
        self.ask = Asker(self)
        self.tree = TagTree(self)
        self.tree.setModel(self.model)
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(Column.NAME, QHeaderView.ResizeMode.Stretch)
        for column in (Column.COUNT, Column.SHORTCUT):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self._collapsed: set[str] = set()
        self._make_actions()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addLayout(self._toolbar())
        layout.addWidget(self.tree)
        self.tree.tag_chosen.connect(self.tag_chosen)
        self.tree.customContextMenuRequested.connect(self._context_menu)
        self.tree.expanded.connect(lambda i: self._collapsed.discard(i.data(TAG_ID_ROLE)))
        self.tree.collapsed.connect(lambda i: self._collapsed.add(i.data(TAG_ID_ROLE)))
        self.model.modelReset.connect(self._restore_expansion)
        self.tree.selectionModel().currentChanged.connect(self._update_actions)
        self._restore_expansion()

    # -- layout -----------------------------------------------------------------------------

    def _make_actions(self) -> None:
        def action(text: str, slot: Callable[[], None], tip: str, shortcut: str = "") -> QAction:
            made = QAction(text, self)
            made.setToolTip(tip)
            made.triggered.connect(slot)
            if shortcut:
                made.setShortcut(shortcut)
                made.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
                self.tree.addAction(made)
            return made

        self.add_action = action("Add tag…", self.add_tag, "Add a tag inside the selected one")
        self.add_top_action = action("Add top-level tag…", self.add_top_tag, "Add a top-level tag")
        self.rename_action = action("Rename", self.rename_tag, "Rename the tag in place", "F2")
        self.tree.removeAction(self.rename_action)  # F2 is the view's own edit key
        self.recolour_action = action("Colour…", self.recolour_tag, "Choose the tag's colour")
        self.shortcut_action = action("Shortcut key…", self.set_shortcut, "A key 1–9 or a letter")
        self.describe_action = action("Description…", self.describe_tag, "What the tag means")
        self.merge_action = action(
            "Merge into…", self.merge_tag, "Move its passages to another tag"
        )
        self.delete_action = action("Delete…", self.delete_tag, "Delete the tag", "Del")
        self.tag_actions = [
            self.rename_action, self.recolour_action, self.shortcut_action,
            self.describe_action, self.merge_action, self.delete_action,
        ]  # fmt: skip
        self._update_actions()

    def _toolbar(self) -> QHBoxLayout:
        row = QHBoxLayout()
        row.setSpacing(4)
        add = QToolButton(self)
        add.setDefaultAction(self.add_action)
        add.setText("+ Tag")
        edit = QToolButton(self)
        edit.setText("Edit")
        edit.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(edit)
        menu.addActions([self.add_top_action, *self.tag_actions])
        edit.setMenu(menu)
        row.addWidget(add)
        row.addWidget(edit)
        row.addStretch(1)
        for text, signal, tip in (
            ("Targets…", self.targets_requested, "Stance targets: what positions are about"),
            ("Actors…", self.actors_requested, "Actors: who holds positions"),
        ):
            button = QToolButton(self)
            button.setText(text)
            button.setToolTip(tip)
            button.clicked.connect(signal)
            row.addWidget(button)
        return row

    def _context_menu(self, point: QPoint) -> None:
        index = self.tree.indexAt(point)
        if not index.isValid():
            self.tree.setCurrentIndex(QModelIndex())
        menu = QMenu(self)
        menu.addActions([self.add_action, self.add_top_action])
        if index.isValid():
            menu.addSeparator()
            menu.addActions(self.tag_actions)
        menu.exec(self.tree.viewport().mapToGlobal(point))

    def _update_actions(self) -> None:
        has_tag = self.tree.current_tag_id() is not None
        for made in self.tag_actions:
            made.setEnabled(has_tag)

    def _restore_expansion(self) -> None:
        self.tree.expandAll()
        for tag_id in self._collapsed:
            self.tree.collapse(self.model.index_of(tag_id))

    def select_tag(self, tag_id: str) -> None:
        index = self.model.index_of(tag_id)
        if index.isValid():
            self.tree.setCurrentIndex(index)
            self.tree.scrollTo(index)

    # -- tag actions --------------------------------------------------------------------------

    def current_tag(self) -> Tag | None:
        tag_id = self.tree.current_tag_id()
        return self.model.tag(tag_id) if tag_id else None

    def create_tag(self, name: str, parent_id: str | None = None) -> str | None:
        """Create a tag with a fresh colour; its id, or None if the core refused."""
        colour = next_colour([t.colour for t in self.model.tags()])
        done = self.session.perform(ops.create_tag, name=name, parent_id=parent_id, colour=colour)
        if not done:
            return None
        tag_id = done.created("tags")[0]
        self.select_tag(tag_id)
        return tag_id

    def add_tag(self) -> None:
        parent = self.current_tag()
        where = f" inside “{parent.name}”" if parent else ""
        name = self.ask.text("Add tag", f"Name of the new tag{where}:")
        if name and name.strip():
            self.create_tag(name, parent.id if parent else None)

    def add_top_tag(self) -> None:
        name = self.ask.text("Add tag", "Name of the new top-level tag:")
        if name and name.strip():
            self.create_tag(name)

    def rename_tag(self) -> None:
        index = self.tree.currentIndex()
        if index.isValid():
            self.tree.edit(index.siblingAtColumn(Column.NAME))

    def recolour_tag(self) -> None:
        tag = self.current_tag()
        colour = self.ask.colour(f"Colour of “{tag.name}”", tag.colour) if tag else None
        if tag and colour and colour != tag.colour:
            self.session.perform(ops.update_tag, tag_id=tag.id, colour=colour)

    def set_shortcut(self) -> None:
        tag = self.current_tag()
        if tag is None:
            return
        prompt = "Key (1–9 or a letter; empty for none).\nA key used by another tag moves here."
        key = self.ask.text(f"Shortcut for “{tag.name}”", prompt, tag.shortcut or "")
        if key is None:
            return
        key = key.strip().lower() or None
        if key != tag.shortcut:
            self.session.perform(ops.update_tag, tag_id=tag.id, shortcut=key)

    def describe_tag(self) -> None:
        tag = self.current_tag()
        text = self.ask.long_text("Description", f"What “{tag.name}” means:", tag.description or "") if tag else None  # fmt: skip
        if tag and text is not None and (text.strip() or None) != tag.description:
            self.session.perform(ops.update_tag, tag_id=tag.id, description=text.strip() or None)

    def merge_tag(self) -> None:
        tag = self.current_tag()
        into = self._pick_other(tag, "Merge into", "merge into") if tag else None
        if tag and into:
            self.session.perform(ops.merge_tags, tag_id=tag.id, into=into)

    def delete_tag(self) -> None:
        tag = self.current_tag()
        if tag is None:
            return
        count = self.model.count(tag.id)
        if not count:  # nothing is lost, and Undo brings it back
            self.session.perform(ops.delete_tag, tag_id=tag.id)
            return
        choice = self.ask.when_used(tag.name, count)
        if choice == ops.WhenUsed.REMOVE:
            self.session.perform(ops.delete_tag, tag_id=tag.id, when_used=choice)
        elif choice == ops.WhenUsed.MERGE:
            into = self._pick_other(tag, "Delete tag", "give its passages instead")
            if into:
                self.session.perform(
                    ops.delete_tag, tag_id=tag.id, when_used=choice, merge_into=into
                )

    def _pick_other(self, tag: Tag, title: str, verb: str) -> str | None:
        """Another tag, not inside this one (its children move to the chosen tag)."""
        below = self.model.descendants(tag.id)
        choices = [
            Choice(t.id, t.name, self.model.path(t.id), t.colour)
            for t in self.model.tags()
            if t.id != tag.id and t.id not in below
        ]
        return self.ask.pick(title, f"Tag to {verb} instead of “{tag.name}”:", choices)
