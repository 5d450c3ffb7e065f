"""File > Export…: format, file, and the CLI's filters (documents, tags, annotators)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from annotator.core.formats.selection import Selection
from annotator.gui.jobs import ExportRequest
from annotator.gui.session import Session

FORMATS = {"jsonl": "JSONL annotation set (*.jsonl)", "csv": "CSV table (*.csv)"}


class ChecklistBox(QWidget):
    """A titled list of ticks; nothing ticked means everything, as with the CLI's filters."""

    def __init__(self, title: str, items: list[tuple[str, str]], parent: QWidget | None = None):
        super().__init__(parent)
        self.list = QListWidget(self)
        self.list.setAccessibleName(title)
        for label, value in items:
            item = QListWidgetItem(label, self.list)
            item.setData(Qt.ItemDataRole.UserRole, value)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
        caption = QLabel(f"{title} (none ticked = all)", self)
        caption.setBuddy(self.list)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(caption)
        layout.addWidget(self.list)

    def checked(self) -> list[str]:
        return [
            self.list.item(row).data(Qt.ItemDataRole.UserRole)
            for row in range(self.list.count())
            if self.list.item(row).checkState() == Qt.CheckState.Checked
        ]

    def set_checked(self, values: set[str]) -> None:
        for row in range(self.list.count()):
            item = self.list.item(row)
            ticked = item.data(Qt.ItemDataRole.UserRole) in values
            item.setCheckState(Qt.CheckState.Checked if ticked else Qt.CheckState.Unchecked)


class ExportDialog(QDialog):
    def __init__(self, session: Session, start_folder: Path, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Export annotations")
        self.session = session
        self._tags = session.tags()
        self.format = QComboBox(self)
        for key, label in FORMATS.items():
            self.format.addItem(label, key)
        self.format.currentIndexChanged.connect(self._format_changed)
        self.output = QLineEdit(self)
        self.output.setText(str(start_folder / f"{session.path.stem}-annotations.jsonl"))
        self.output.textChanged.connect(self._update_ok)
        browse = QPushButton("&Browse…", self)
        browse.clicked.connect(self._browse)
        self.with_text = QCheckBox("Include the documents' full &texts", self)
        self.documents = ChecklistBox(
            "Documents", [(d.title, d.id) for d in session.documents()], self
        )
        self.tags = ChecklistBox(
            "Tags (with the tags below them)", [(t.name, t.id) for t in self._tags], self
        )
        self.annotators = ChecklistBox(
            "Annotators", [(a.name, a.id) for a in session.annotators()], self
        )

        file_row = QHBoxLayout()
        file_row.addWidget(self.output, 1)
        file_row.addWidget(browse)
        form = QFormLayout()
        form.addRow("&Format:", self.format)
        form.addRow("&File:", file_row)
        form.addRow("", self.with_text)
        filters = QHBoxLayout()
        for box in (self.documents, self.tags, self.annotators):
            filters.addWidget(box)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("&Export")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addLayout(filters, 1)
        layout.addWidget(self.buttons)
        self.resize(760, 420)
        self._update_ok()

    def set_format(self, key: str) -> None:
        self.format.setCurrentIndex(self.format.findData(key))

    def request(self) -> ExportRequest:
        return ExportRequest(
            output=Path(self.output.text().strip()).expanduser(),
            format=self.format.currentData(),
            selection=Selection(
                documents=frozenset(self.documents.checked()),
                tags=frozenset(self._with_children(self.tags.checked())),
                annotators=frozenset(self.annotators.checked()),
            ),
            with_text=self.with_text.isChecked() and self.format.currentData() == "jsonl",
        )

    def _with_children(self, tag_ids: list[str]) -> set[str]:
        """A tag stands for its whole branch, as ``annotator export --tag`` does."""
        chosen = set(tag_ids)
        grew = True
        while grew:
            below = {t.id for t in self._tags if t.parent_id in chosen} - chosen
            chosen |= below
            grew = bool(below)
        return chosen

    def _format_changed(self) -> None:
        key = self.format.currentData()
        self.with_text.setEnabled(key == "jsonl")
        text = self.output.text().strip()
        if text:
            self.output.setText(str(Path(text).with_suffix(f".{key}")))

    def _browse(self) -> None:
        key = self.format.currentData()
        chosen, _ = QFileDialog.getSaveFileName(self, "Export to", self.output.text(), FORMATS[key])
        if chosen:
            self.output.setText(chosen)

    def _update_ok(self) -> None:
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(bool(self.output.text().strip()))
