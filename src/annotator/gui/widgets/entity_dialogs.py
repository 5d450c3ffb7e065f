"""Stance targets and actors: a small list per kind to add, rename, describe, alias, merge, delete.

Each field commits when it loses focus or on Enter, as one undoable edit. Deleting a record
that stances use is refused by the core; the dialog then offers to merge it instead.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFocusEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from annotator.core import ops
from annotator.core.model import Actor, ChangeSet, Target
from annotator.gui.session import Session
from annotator.gui.widgets.codebook_panel import Asker
from annotator.gui.widgets.tag_palette import Choice

ID_ROLE = Qt.ItemDataRole.UserRole + 1


@dataclass(frozen=True)
class EntityKind:
    noun: str  # "target"
    title: str  # "Stance targets"
    table: str
    id_field: str  # the keyword the ops take: target_id / actor_id
    create: Callable[..., ChangeSet]
    update: Callable[..., ChangeSet]
    delete: Callable[..., ChangeSet]
    aliases: bool = False

    def records(self, session: Session) -> list[Any]:
        return session.actors() if self.aliases else session.targets()


TARGETS = EntityKind(
    "target", "Stance targets", "targets", "target_id",
    ops.create_target, ops.update_target, ops.delete_target,
)  # fmt: skip
ACTORS = EntityKind(
    "actor", "Actors", "actors", "actor_id",
    ops.create_actor, ops.update_actor, ops.delete_actor, aliases=True,
)  # fmt: skip


def parse_aliases(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


class _DescriptionEdit(QPlainTextEdit):
    """Emits ``committed`` when it loses focus (descriptions are multi-line: no Enter)."""

    committed = Signal()

    def focusOutEvent(self, event: QFocusEvent) -> None:
        self.committed.emit()
        super().focusOutEvent(event)


class EntityDialog(QDialog):
    """Non-modal manager of one kind (targets or actors)."""

    def __init__(self, session: Session, kind: EntityKind, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.kind = kind
        self.ask = Asker(self)
        self.setWindowTitle(kind.title)
        self.list = QListWidget(self)
        self.list.setAccessibleName(kind.title)
        self.name = QLineEdit(self)
        self.aliases = QLineEdit(self)
        self.aliases.setPlaceholderText("Other names, separated by commas")
        self.description = _DescriptionEdit(self)
        self.description.setTabChangesFocus(True)
        self._build_layout()
        self.list.currentItemChanged.connect(lambda *_: self._show_current())
        self.name.editingFinished.connect(self.save_name)
        self.aliases.editingFinished.connect(self.save_aliases)
        self.description.committed.connect(self.save_description)
        session.changed.connect(self._on_changed)
        self.reload()

    def _build_layout(self) -> None:
        buttons = QHBoxLayout()
        for text, slot in (
            (f"Add {self.kind.noun}…", self.add),
            ("Merge into…", self.merge),
            ("Delete…", self.delete),
        ):
            button = QPushButton(text, self)
            button.setAutoDefault(False)
            button.clicked.connect(slot)
            buttons.addWidget(button)
        form = QFormLayout()
        form.addRow("Name", self.name)
        if self.kind.aliases:
            form.addRow("Aliases", self.aliases)
        else:
            self.aliases.hide()
        form.addRow("Description", self.description)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.list, 1)
        layout.addLayout(buttons)
        layout.addLayout(form)
        layout.addWidget(close)
        self.resize(440, 520)

    # -- reading ----------------------------------------------------------------------------

    def current_id(self) -> str | None:
        item = self.list.currentItem()
        return item.data(ID_ROLE) if item is not None else None

    def current(self) -> Target | Actor | None:
        wanted = self.current_id()
        return next((r for r in self.kind.records(self.session) if r.id == wanted), None)

    def select(self, record_id: str) -> None:
        for row in range(self.list.count()):
            if self.list.item(row).data(ID_ROLE) == record_id:
                self.list.setCurrentRow(row)
                return

    def reload(self) -> None:
        keep = self.current_id()
        self.list.blockSignals(True)
        self.list.clear()
        for record in self.kind.records(self.session):
            item = QListWidgetItem(record.name, self.list)
            item.setData(ID_ROLE, record.id)
            item.setToolTip(self._tooltip(record))
        self.list.blockSignals(False)
        if keep:
            self.select(keep)
        if self.list.currentRow() < 0 and self.list.count():
            self.list.setCurrentRow(0)
        self._show_current()

    def _tooltip(self, record: Target | Actor) -> str:
        lines = [record.name]
        if isinstance(record, Actor) and self.session.actor_aliases(record):
            lines.append("Also: " + ", ".join(self.session.actor_aliases(record)))
        if record.description:
            lines.append(record.description)
        return "\n".join(lines)

    def _show_current(self) -> None:
        record = self.current()
        for field in (self.name, self.aliases, self.description):
            field.setEnabled(record is not None)
        self.name.setText(record.name if record else "")
        aliases = self.session.actor_aliases(record) if isinstance(record, Actor) else []
        self.aliases.setText(", ".join(aliases))
        if self.description.toPlainText() != (record.description or "" if record else ""):
            self.description.setPlainText(record.description or "" if record else "")

    def _on_changed(self, changes: ChangeSet) -> None:
        tables = changes.tables()
        if not tables or self.kind.table in tables:
            self.reload()

    # -- edits ------------------------------------------------------------------------------

    def _update(self, **fields: Any) -> None:
        record_id = self.current_id()
        if record_id:
            self.session.perform(self.kind.update, **{self.kind.id_field: record_id}, **fields)

    def commit_pending(self) -> None:
        """Save every field that differs from the record (before the project closes)."""
        self.save_name()
        self.save_aliases()
        self.save_description()

    def save_name(self) -> None:
        record = self.current()
        name = self.name.text().strip()
        if record and name and name != record.name:
            self._update(name=name)
        elif record and not name:
            self.name.setText(record.name)  # a name is required: put it back

    def save_aliases(self) -> None:
        record = self.current()
        if isinstance(record, Actor):
            aliases = parse_aliases(self.aliases.text())
            if aliases != self.session.actor_aliases(record):
                self._update(aliases=aliases)

    def save_description(self) -> None:
        record = self.current()
        text = self.description.toPlainText().strip() or None
        if record and text != record.description:
            self._update(description=text)

    def add(self) -> None:
        name = self.ask.text(f"Add {self.kind.noun}", f"Name of the new {self.kind.noun}:")
        if name and name.strip():
            done = self.session.perform(self.kind.create, name=name)
            if done:
                self.select(done.created(self.kind.table)[0])

    def merge(self) -> None:
        record = self.current()
        into = self._pick_other(record) if record else None
        if record and into:
            self.session.perform(
                self.kind.delete, **{self.kind.id_field: record.id}, merge_into=into
            )

    def delete(self) -> None:
        record = self.current()
        if record is None:
            return
        args = {self.kind.id_field: record.id}
        used = self.session.stances_naming(self.kind.id_field, record.id)
        if not used:
            self.session.perform(self.kind.delete, **args)
            return
        # Deleting would orphan the stances: merging keeps them, pointing at the chosen record.
        question = (
            f"{used} stance(s) use “{record.name}”, so it cannot simply be deleted. "
            f"Merge it into another {self.kind.noun} instead?"
        )
        if self.ask.confirm(f"Delete {self.kind.noun}", question, "Merge into…"):
            into = self._pick_other(record)
            if into:
                self.session.perform(self.kind.delete, **args, merge_into=into)

    def _pick_other(self, record: Target | Actor) -> str | None:
        choices = [
            Choice(r.id, r.name) for r in self.kind.records(self.session) if r.id != record.id
        ]
        prompt = f"{self.kind.noun.capitalize()} to keep instead of “{record.name}”:"
        return self.ask.pick("Merge into", prompt, choices)
