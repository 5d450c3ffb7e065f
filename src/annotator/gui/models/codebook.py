"""The codebook as a Qt tree: tag name with a colour swatch, how many passages carry it, its key.

A thin adapter over ``session.tags()`` and ``session.tag_counts()``. Nodes are kept per tag id
across refreshes, so an index Qt still holds never points at a collected object. A refresh
that keeps the same tags (rename, recolour, reparent) is a layout change that carries the
views' selection and expansion along; one that adds or removes tags resets the model.
Tagging passages recounts only the tags it touched.

Dragging a tag onto another makes that one its parent; dropping on empty space makes it
top-level. The move is an undoable core edit; the core refuses cycles and the session reports.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import IntEnum
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QByteArray,
    QMimeData,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QRectF,
    Qt,
)
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap

from annotator.core import ops
from annotator.core.model import ChangeSet, Tag
from annotator.gui.session import Session

TAG_ID_ROLE = Qt.ItemDataRole.UserRole + 1
TAG_PATH_ROLE = Qt.ItemDataRole.UserRole + 2
TAG_MIME = "application/x-annotator-tag-ids"
TAG_TABLES = {"tags"}
COUNT_TABLES = {"span_tags", "spans", "documents"}  # what changes the counts
RECOUNT_SPANS = 64  # spans come or gone beyond which every tag is counted again
NO_COLOUR = "#c8c8c8"  # a tag without a colour still gets a (neutral) swatch

Index = QModelIndex | QPersistentModelIndex


class Column(IntEnum):
    NAME = 0
    COUNT = 1
    SHORTCUT = 2


HEADERS = {Column.NAME: "Tag", Column.COUNT: "Uses", Column.SHORTCUT: "Key"}


def _recounted_tags(session: Session, changes: ChangeSet) -> set[str] | None:
    """The tags whose passage counts ``changes`` (of spans and span tags) may have changed,
    or None when so many spans came or went that counting every tag is quicker.

    A count changes when one of the tag's span tags comes or goes, or when a span carrying
    it does: the tags of such a span are read (a tombstoned span keeps its span tags).
    """
    tags: set[str] = set()
    spans: set[str] = set()
    for change in changes.changes:
        if change.table == "span_tags":
            tags |= {row["tag_id"] for row in (change.before, change.after) if row}
        elif change.table == "spans" and _live(change.before) != _live(change.after):
            spans.add(change.key)
    if len(spans) > RECOUNT_SPANS:
        return None
    for span_id in spans:
        tags.update(session.span_tag_ids(span_id))
    return tags


def _live(row: dict[str, Any] | None) -> bool:
    return row is not None and row.get("deleted_at") is None


def swatch_icon(colour: str | None, size: int = 14) -> QIcon:
    """A rounded colour square with a thin darker rim, visible on light and dark palettes."""
    fill = QColor(colour or NO_COLOUR)
    pixmap = QPixmap(size * 2, size * 2)  # drawn at 2x: crisp on high-density screens
    pixmap.setDevicePixelRatio(2.0)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(fill.darker(160))
    painter.setBrush(fill)
    painter.drawRoundedRect(QRectF(1.5, 1.5, size - 3, size - 3), 3, 3)
    painter.end()
    return QIcon(pixmap)


@dataclass(eq=False)
class _Node:
    tag: Tag | None  # None: the invisible root
    parent: _Node | None = None
    children: list[_Node] = field(default_factory=list)
    row: int = 0


class CodebookModel(QAbstractItemModel):
    def __init__(self, session: Session, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self._root = _Node(None)
        self._nodes: dict[str, _Node] = {}
        self._counts: dict[str, int] = {}
        self._paths: dict[str, str] = {}
        self._icons: dict[str | None, QIcon] = {}
        self._load()
        session.changed.connect(self._on_changed)

    # -- lookups ----------------------------------------------------------------------------

    def tag(self, tag_id: str) -> Tag | None:
        node = self._nodes.get(tag_id)
        return node.tag if node else None

    def tags(self) -> list[Tag]:
        """Every tag, in tree order (parents before their children)."""
        return [node.tag for node in self._walk(self._root) if node.tag is not None]

    def descendants(self, tag_id: str) -> set[str]:
        """Ids of the tags inside ``tag_id``, at any depth."""
        node = self._nodes.get(tag_id)
        return {n.tag.id for n in self._walk(node)} if node else set()  # type: ignore[union-attr]

    def path(self, tag_id: str) -> str:
        return self._paths.get(tag_id, "")

    def count(self, tag_id: str) -> int:
        return self._counts.get(tag_id, 0)

    def index_of(self, tag_id: str, column: int = Column.NAME) -> QModelIndex:
        node = self._nodes.get(tag_id)
        return QModelIndex() if node is None else self.createIndex(node.row, column, node)

    def icon(self, colour: str | None) -> QIcon:
        if colour not in self._icons:
            self._icons[colour] = swatch_icon(colour)
        return self._icons[colour]

    # -- structure --------------------------------------------------------------------------

    def index(self, row: int, column: int, parent: Index = QModelIndex()) -> QModelIndex:  # noqa: B008
        node = self._node(parent)
        if not (0 <= row < len(node.children) and 0 <= column < len(Column)):
            return QModelIndex()
        return self.createIndex(row, column, node.children[row])

    def parent(self, child: Index = QModelIndex()) -> QModelIndex:  # type: ignore[override]  # noqa: B008
        if not child.isValid():
            return QModelIndex()
        up = self._node(child).parent
        if up is None or up is self._root:
            return QModelIndex()
        return self.createIndex(up.row, 0, up)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        if parent.isValid() and parent.column() != 0:
            return 0
        return len(self._node(parent).children)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return len(Column)

    def _node(self, index: Index) -> _Node:
        return index.internalPointer() if index.isValid() else self._root

    # -- data -------------------------------------------------------------------------------

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        tag = self._node(index).tag
        assert tag is not None
        column = index.column()
        if role == TAG_ID_ROLE:
            return tag.id
        if role == TAG_PATH_ROLE:
            return self._paths.get(tag.id, tag.name)
        if role == Qt.ItemDataRole.ToolTipRole:
            path = self._paths.get(tag.id, tag.name)
            return f"{path}\n\n{tag.description}" if tag.description else path
        if column == Column.NAME:
            if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
                return tag.name
            if role == Qt.ItemDataRole.DecorationRole:
                return self.icon(tag.colour)
        elif column == Column.COUNT:
            if role == Qt.ItemDataRole.DisplayRole:
                count = self._counts.get(tag.id, 0)
                return str(count) if count else ""
            if role == Qt.ItemDataRole.TextAlignmentRole:
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        elif column == Column.SHORTCUT:
            if role == Qt.ItemDataRole.DisplayRole:
                return tag.shortcut.upper() if tag.shortcut else ""
            if role == Qt.ItemDataRole.TextAlignmentRole:
                return int(Qt.AlignmentFlag.AlignCenter)
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(Column):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[Column(section)]
        if role == Qt.ItemDataRole.TextAlignmentRole and section == Column.COUNT:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.ItemIsDropEnabled  # empty space: drop to make top-level
        flags = (
            Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsSelectable
            | Qt.ItemFlag.ItemIsDragEnabled
            | Qt.ItemFlag.ItemIsDropEnabled
        )
        if index.column() == Column.NAME:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        """Renaming inline is an undoable edit; the model changes when the session says so."""
        if not index.isValid() or index.column() != Column.NAME:
            return False
        if role != Qt.ItemDataRole.EditRole:
            return False
        tag = self._node(index).tag
        name = str(value).strip()
        if tag is None or not name or name == tag.name:
            return False
        return self.session.perform(ops.update_tag, tag_id=tag.id, name=name) is not None

    # -- drag and drop ----------------------------------------------------------------------

    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def supportedDragActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def mimeTypes(self) -> list[str]:
        return [TAG_MIME]

    def mimeData(self, indexes: list[QModelIndex]) -> QMimeData:
        ids = dict.fromkeys(self._node(i).tag.id for i in indexes if i.isValid())  # type: ignore[union-attr]
        mime = QMimeData()
        mime.setData(TAG_MIME, QByteArray("\n".join(ids).encode()))
        return mime

    def canDropMimeData(
        self, data: QMimeData, action: Qt.DropAction, row: int, column: int, parent: Index
    ) -> bool:
        return data.hasFormat(TAG_MIME) and action in (
            Qt.DropAction.MoveAction,
            Qt.DropAction.CopyAction,
        )

    def dropMimeData(
        self, data: QMimeData, action: Qt.DropAction, row: int, column: int, parent: Index
    ) -> bool:
        """Reparent the dragged tags under ``parent`` (a tag), or to the top level."""
        if action == Qt.DropAction.IgnoreAction:
            return True
        if not self.canDropMimeData(data, action, row, column, parent):
            return False
        new_parent = self._node(parent).tag.id if parent.isValid() else None  # type: ignore[union-attr]
        moving = [
            tag_id
            for tag_id in bytes(data.data(TAG_MIME).data()).decode().split("\n")
            if tag_id in self._nodes and self._nodes[tag_id].tag.parent_id != new_parent  # type: ignore[union-attr]
        ]
        if not moving:
            return False
        stack = self.session.undo_stack
        if len(moving) > 1:
            stack.beginMacro("Move tags")
        try:
            done = [
                self.session.perform(ops.update_tag, tag_id=tag_id, parent_id=new_parent)
                for tag_id in moving
            ]
        finally:
            if len(moving) > 1:
                stack.endMacro()
        # The view may then ask to remove the dragged rows: removeRows is not implemented,
        # so that request is refused and the moved tags stay where the session put them.
        return all(done)

    # -- refreshing -------------------------------------------------------------------------

    def reload(self) -> None:
        """Re-read the codebook and the counts from the session."""
        self._refresh_tags()
        self._refresh_counts()

    def _on_changed(self, changes: ChangeSet) -> None:
        tables = changes.tables()
        if not tables or tables & TAG_TABLES:
            self._refresh_tags()
        if not tables or tables & (TAG_TABLES | {"documents"}):
            self._refresh_counts()
        elif tables & COUNT_TABLES:
            counted = _recounted_tags(self.session, changes)
            if counted is None:
                self._refresh_counts()
            elif counted:
                self._refresh_counts(counted)

    def _load(self) -> None:
        tags = self.session.tags()
        self._counts = self.session.tag_counts()
        self._build(tags)

    def _build(self, tags: list[Tag]) -> None:
        """Lay ``tags`` out as a tree, reusing the node of every tag seen before."""
        old = self._nodes
        self._nodes = {t.id: old.get(t.id) or _Node(t) for t in tags}
        self._root.children = []
        for node in self._nodes.values():
            node.children = []
        for tag in tags:  # session.tags() is sorted by name: children come out sorted too
            node = self._nodes[tag.id]
            node.tag = tag
            node.parent = self._nodes.get(tag.parent_id or "", self._root)
            node.row = len(node.parent.children)
            node.parent.children.append(node)
        by_id = {t.id: t for t in tags}
        self._paths = {t.id: ops.tag_path(by_id, t.id) for t in tags}

    def _refresh_tags(self) -> None:
        tags = self.session.tags()
        if {t.id for t in tags} != set(self._nodes):
            self.beginResetModel()
            self._build(tags)
            self.endResetModel()
            return
        # Same tags: rename, recolour or reparent. A layout change keeps the views' selection
        # and expanded branches (persistent indexes follow their tag to its new place).
        self.layoutAboutToBeChanged.emit()
        persistent = self.persistentIndexList()  # after the signal: views make theirs then
        remember = [(self._node(i), i.column()) for i in persistent]
        self._build(tags)
        self.changePersistentIndexList(
            persistent, [self.createIndex(node.row, column, node) for node, column in remember]
        )
        self.layoutChanged.emit()
        self._emit_all_changed(self._root)

    def _refresh_counts(self, tag_ids: set[str] | None = None) -> None:
        """Count again the passages of every tag, or only of ``tag_ids``."""
        if tag_ids is None:
            counts = self.session.tag_counts()
            if counts == self._counts:
                return
            self._counts = counts
            self._emit_all_changed(self._root, Column.COUNT, Column.COUNT)
            return
        fresh = self.session.tag_counts(tag_ids)
        for tag_id in tag_ids:
            count = fresh.get(tag_id, 0)
            if count == self._counts.get(tag_id, 0):
                continue
            if count:
                self._counts[tag_id] = count
            else:
                self._counts.pop(tag_id, None)
            cell = self.index_of(tag_id, Column.COUNT)
            if cell.isValid():
                self.dataChanged.emit(cell, cell)

    def _emit_all_changed(
        self, node: _Node, first: int = Column.NAME, last: int = Column.SHORTCUT
    ) -> None:
        if node.children:
            self.dataChanged.emit(
                self.createIndex(0, first, node.children[0]),
                self.createIndex(len(node.children) - 1, last, node.children[-1]),
            )
        for child in node.children:
            self._emit_all_changed(child, first, last)

    def _walk(self, node: _Node) -> list[_Node]:
        found = []
        for child in node.children:
            found.append(child)
            found.extend(self._walk(child))
        return found
