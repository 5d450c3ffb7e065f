"""Every command of the main window in ONE table: menu, text, shortcut, and what it says.

The menus, the shortcuts and the Help > Keyboard shortcuts dialog are all built from
:data:`ACTIONS`, so they cannot disagree. Platform-standard keys (QKeySequence.StandardKey)
come first where Qt has one, so Undo is Cmd+Z on a Mac and Ctrl+Z elsewhere.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from enum import Enum

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

Key = QKeySequence.StandardKey | str


class Scope(Enum):
    WINDOW = "window"  # anywhere in the main window
    TEXT = "text"  # only while the document pane (text, stances) has the focus


@dataclass(frozen=True)
class ActionSpec:
    name: str  # object name and the key of its handler
    menu: str
    text: str
    keys: Sequence[Key] = ()
    tip: str = ""
    scope: Scope = Scope.WINDOW
    separator_before: bool = False
    role: QAction.MenuRole = field(default=QAction.MenuRole.NoRole)
    checkable: bool = False  # a switch: its handler receives the new state


SK = QKeySequence.StandardKey
ACTIONS: tuple[ActionSpec, ...] = (
    ActionSpec("new_project", "&File", "&New project…", [SK.New], "Create an empty project file"),
    ActionSpec("open_project", "&File", "&Open…", [SK.Open], "Open a project file"),
    ActionSpec(
        "import_documents",
        "&File",
        "&Import documents…",
        ["Ctrl+I"],
        "Add documents (.txt .md .html .docx .pdf) or annotations (.jsonl .qdpx .qdc .jsonld .ann); or drop files on the window",
        separator_before=True,
    ),
    ActionSpec(
        "import_folder", "&File", "Import &folder…", ["Ctrl+Shift+I"], "Add every text in a folder"
    ),
    ActionSpec(
        "export",
        "&File",
        "&Export…",
        ["Ctrl+E"],
        "Write the annotations (JSONL, CSV, REFI-QDA, W3C, brat), the codebook or an HTML report",
    ),
    ActionSpec(
        "merge_project",
        "&File",
        "&Merge colleague's project…",
        ["Ctrl+Shift+M"],
        "Bring in a colleague's copy of this project, after reviewing what it would change",
    ),
    ActionSpec(
        "quit",
        "&File",
        "&Quit",
        [SK.Quit, "Ctrl+Q"],
        separator_before=True,
        role=QAction.MenuRole.QuitRole,
    ),
    ActionSpec("undo", "&Edit", "&Undo", [SK.Undo], "Undo the last edit"),
    ActionSpec("redo", "&Edit", "&Redo", [SK.Redo, "Ctrl+Shift+Z"], "Redo what was undone"),
    ActionSpec(
        "delete_span",
        "&Edit",
        "&Delete annotation",
        ["Del"],
        "Delete the selected annotation (with its tags, stances and links)",
        scope=Scope.TEXT,
        separator_before=True,
    ),
    ActionSpec("next_span", "&Edit", "&Next annotation", ["F8"], "Select the next annotation"),
    ActionSpec(
        "previous_span", "&Edit", "&Previous annotation", ["Shift+F8"], "Select the previous one"
    ),
    ActionSpec(
        "find_document",
        "&Edit",
        "&Find document",
        [SK.Find, "Ctrl+F"],
        "Filter the documents list",
        separator_before=True,
    ),
    ActionSpec(
        "replace_text",
        "&Document",
        "&Replace text…",
        ["Ctrl+Shift+R"],
        "Give the open document a new version of its text; its annotations move with it",
    ),
    ActionSpec(
        "anchor_orphan",
        "&Document",
        "&Anchor orphan here",
        ["Ctrl+Shift+H"],
        "Place the orphan chosen in Orphaned annotations on the text selected",
    ),
    ActionSpec("focus_documents", "&View", "Go to &documents", ["Ctrl+1"], "Focus the list"),
    ActionSpec("focus_text", "&View", "Go to the &text", ["Ctrl+2"], "Focus the document text"),
    ActionSpec("focus_tagging", "&View", "Go to &tagging", ["Ctrl+3"], "Focus the tagging panel"),
    ActionSpec("focus_stances", "&View", "Go to &stances", ["Ctrl+4"], "Focus the stances panel"),
    ActionSpec("focus_links", "&View", "Go to &links", ["Ctrl+5"], "Focus the links panel"),
    ActionSpec(
        "conflicts", "&View", "Merge &conflicts", ["Ctrl+6"], "Review what both sides changed"
    ),
    ActionSpec(
        "orphans",
        "&View",
        "&Orphaned annotations",
        ["Ctrl+7"],
        "Annotations a merge or a new text could not place",
    ),
    ActionSpec(
        "back",
        "&View",
        "&Back",
        [SK.Back, "Alt+Left"],
        "Return to the previous place",
        separator_before=True,
    ),
    ActionSpec("forward", "&View", "&Forward", [SK.Forward, "Alt+Right"], "Go forward again"),
    ActionSpec(
        "refresh",
        "&View",
        "&Refresh",
        [SK.Refresh, "F5"],
        "Re-read the project (another window or process may have written to it)",
        separator_before=True,
    ),
    ActionSpec(
        "snap_to_words",
        "&View",
        "&Snap selections to whole words",
        tip="Widen a text selection made with the mouse to whole words",
        separator_before=True,
        checkable=True,
    ),
    ActionSpec("shortcuts", "&Help", "&Keyboard shortcuts", [SK.HelpContents, "F1"]),
    ActionSpec("about", "&Help", "&About Annotator", role=QAction.MenuRole.AboutRole),
)
MENUS = ("&File", "&Edit", "&Document", "&View", "&Help")


def key_sequences(spec: ActionSpec) -> list[QKeySequence]:
    """The spec's keys, standard ones expanded for this platform, without duplicates."""
    found: list[QKeySequence] = []
    for key in spec.keys:
        sequences = QKeySequence.keyBindings(key) if isinstance(key, SK) else [QKeySequence(key)]
        for sequence in sequences:
            if not sequence.isEmpty() and sequence not in found:
                found.append(sequence)
    return found


def configure(action: QAction, spec: ActionSpec) -> QAction:
    """Give ``action`` (made here or by Qt, like the undo stack's) what the table says."""
    action.setObjectName(spec.name)
    if not action.text():
        action.setText(spec.text)
    action.setShortcuts(key_sequences(spec))
    if spec.tip:
        action.setStatusTip(spec.tip)
        action.setToolTip(spec.tip)
    action.setMenuRole(spec.role)
    if spec.scope is Scope.TEXT:
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
    return action


def build_actions(
    parent: QWidget,
    handlers: dict[str, Callable[[], object]],
    made: dict[str, QAction] | None = None,
) -> dict[str, QAction]:
    """One QAction per spec; ``made`` supplies actions Qt creates itself (undo, redo)."""
    made = made or {}
    actions: dict[str, QAction] = {}
    for spec in ACTIONS:
        action = made.get(spec.name) or QAction(spec.text, parent)
        configure(action, spec)
        action.setCheckable(spec.checkable)
        handler = handlers.get(spec.name)
        if handler is not None and spec.checkable:
            action.toggled.connect(handler)
        elif handler is not None:
            action.triggered.connect(lambda _checked=False, run=handler: run())
        actions[spec.name] = action
    return actions


def shortcut_rows(
    actions: dict[str, QAction], extras: Sequence[tuple[str, QAction]] = ()
) -> list[tuple[str, str, str]]:
    """(menu, action, shortcuts) for every action in the table, in menu order, then the
    ``extras`` (menu, action) that panels contribute."""
    rows = []
    for spec in ACTIONS:
        action = actions.get(spec.name)
        keys = action.shortcuts() if action is not None else key_sequences(spec)
        rows.append((_plain(spec.menu), _plain(spec.text), _keys_text(keys)))
    for menu, action in extras:
        rows.append((_plain(menu), _plain(action.text()), _keys_text(action.shortcuts())))
    return rows


# Keys the panels handle themselves, for the shortcuts dialog: (where, what, keys).
PANEL_KEYS = (
    ("Documents", "Open the chosen document and read it", "Enter"),
    ("Codebook", "Apply the chosen tag to the selection", "Enter"),
    ("Note", "Save the note", "Ctrl+Enter"),
    ("Stances", "Move between fields; record the stance", "Enter"),
    ("Stances", "Polarity on the scale", "−2 … +2 typed, or ← →"),
    ("Stances", "Edit / delete the chosen stance", "F2 / Delete"),
    ("Stances", "Show the chosen stance's evidence", "Enter"),
    ("Stances", "Stop editing", "Esc"),
    ("Links", "Go to the other end / delete the link", "Enter / Delete"),
    ("Merge conflicts", "Dismiss the chosen conflict", "Delete"),
)


def _keys_text(keys: Sequence[QKeySequence]) -> str:
    return ", ".join(k.toString(QKeySequence.SequenceFormat.NativeText) for k in keys) or "—"


class ShortcutsDialog(QDialog):
    """Help > Keyboard shortcuts: the table above, as the analyst's keys read on this system."""

    def __init__(
        self, rows: Sequence[tuple[str, str, str]], note: str = "", parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Keyboard shortcuts")
        self.table = QTableWidget(len(rows), 3, self)
        self.table.setHorizontalHeaderLabels(["Menu", "Action", "Shortcut"])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        for row, values in enumerate(rows):
            for column, value in enumerate(values):
                self.table.setItem(row, column, QTableWidgetItem(value))
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        if note:
            hint = QLabel(note, self)
            hint.setWordWrap(True)
            layout.addWidget(hint)
        layout.addWidget(buttons)
        self.resize(560, 560)


def _plain(text: str) -> str:
    return text.replace("&", "").replace("…", "")
