"""File > Export…: format, file, and the CLI's filters (documents, tags, annotators, targets,
creation dates)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
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

from annotator.core.formats.registry import EXPORTS, ExportFormat
from annotator.core.formats.selection import Selection
from annotator.gui.jobs import ExportRequest
from annotator.gui.session import Session


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
        for fmt in EXPORTS.values():
            self.format.addItem(fmt.label, fmt.name)
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
        self.targets = ChecklistBox(
            "Stance targets", [(t.name, t.id) for t in session.targets()], self
        )
        self.by_date = QCheckBox("Only work &created from", self)
        today = QDate.currentDate()
        self.since, self.until = QDateEdit(today.addMonths(-1), self), QDateEdit(today, self)
        for edit in (self.since, self.until):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.setEnabled(False)
            self.by_date.toggled.connect(edit.setEnabled)
        dates = QHBoxLayout()
        dates.addWidget(self.by_date)
        dates.addWidget(self.since)
        dates.addWidget(QLabel("to", self))
        dates.addWidget(self.until)
        dates.addStretch(1)

        file_row = QHBoxLayout()
        file_row.addWidget(self.output, 1)
        file_row.addWidget(browse)
        form = QFormLayout()
        form.addRow("&Format:", self.format)
        form.addRow("&File:", file_row)
        form.addRow("", self.with_text)
        form.addRow("", dates)
        filters = QHBoxLayout()
        for box in (self.documents, self.tags, self.annotators, self.targets):
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
        self.resize(920, 460)
        self._update_ok()

    def set_format(self, key: str) -> None:
        self.format.setCurrentIndex(self.format.findData(key))

    def chosen_format(self) -> ExportFormat:
        return EXPORTS[self.format.currentData()]

    def request(self) -> ExportRequest:
        fmt = self.chosen_format()
        dated = self.by_date.isChecked()
        return ExportRequest(
            output=Path(self.output.text().strip()).expanduser(),
            format=fmt.name,
            selection=Selection(
                documents=frozenset(self.documents.checked()),
                tags=frozenset(self._with_children(self.tags.checked())),
                annotators=frozenset(self.annotators.checked()),
                targets=frozenset(self.targets.checked()),
                since=self.since.date().toString("yyyy-MM-dd") if dated else None,
                until=self.until.date().toString("yyyy-MM-dd") if dated else None,
            ),
            with_text=self.with_text.isChecked() and "with_text" in fmt.options,
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
        fmt = self.chosen_format()
        self.with_text.setEnabled("with_text" in fmt.options)
        text = self.output.text().strip()
        if text:
            self.output.setText(str(_with_suffix(Path(text), fmt)))

    def _browse(self) -> None:
        fmt = self.chosen_format()
        if fmt.shape == "folder":
            parent = QFileDialog.getExistingDirectory(self, "Export into", self.output.text())
            chosen = str(Path(parent) / Path(self.output.text()).name) if parent else ""
        else:
            pattern = f"{fmt.label} (*{fmt.suffix})"
            chosen, _ = QFileDialog.getSaveFileName(self, "Export to", self.output.text(), pattern)
        if chosen:
            self.output.setText(chosen)

    def _update_ok(self) -> None:
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(bool(self.output.text().strip()))


def _with_suffix(path: Path, fmt: ExportFormat) -> Path:
    """The same name with the format's suffix; a folder export gets a ``-NAME`` folder."""
    stem = path.name.removesuffix(path.suffix) if path.suffix in _SUFFIXES else path.name
    for fmt_other in EXPORTS.values():
        stem = stem.removesuffix(f"-{fmt_other.name}") if not fmt_other.suffix else stem
    if fmt.shape == "folder":
        return path.with_name(f"{stem}-{fmt.name}")
    return path.with_name(stem + fmt.suffix)


_SUFFIXES = {f.suffix for f in EXPORTS.values() if f.suffix}
