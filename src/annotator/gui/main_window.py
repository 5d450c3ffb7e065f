"""The workbench window: composition only. Documents on the left, the open document in the
centre, tagging and links on the right, stances under the documents; menus from the action table; state kept in
QSettings.
"""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from PySide6.QtCore import QByteArray, QMimeData, QSettings, Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QDockWidget, QFrame, QLabel, QMainWindow, QMessageBox, QWidget

from annotator import __version__
from annotator.core.model import ChangeSet
from annotator.gui.actions import PANEL_KEYS, ShortcutsDialog, build_actions, shortcut_rows
from annotator.gui.focus_ring import FocusRing
from annotator.gui.menus import build_menus
from annotator.gui.merging import Merging
from annotator.gui.navigation import History, Location
from annotator.gui.project_files import ProjectFiles
from annotator.gui.selection import Selection
from annotator.gui.session import Session
from annotator.gui.settings import (
    last_document,
    remember_document,
    remember_project,
    snap_to_words,
    store_snap_to_words,
)
from annotator.gui.widgets.conflicts_view import ConflictsView
from annotator.gui.widgets.document_list import DocumentList
from annotator.gui.widgets.document_pane import DocumentPane
from annotator.gui.widgets.entity_dialogs import EntityDialog
from annotator.gui.widgets.link_picker import make_link_action
from annotator.gui.widgets.links_panel import LinksPanel
from annotator.gui.widgets.orphans_view import OrphansView
from annotator.gui.widgets.stance_editor import StanceEditor
from annotator.gui.widgets.tagging_panel import TaggingPanel

STATE_VERSION = 2  # bump when docks change, so an old saved layout is not applied
DEFAULT_SIZE = (1360, 860)
TEXT_SHORTCUTS_NOTE = (
    "Tag shortcuts (single letters or digits set in the codebook) work while the document "
    "text has the keyboard focus."
)


class MainWindow(QMainWindow):
    import_finished = Signal(object)  # the ImportOutcome, once its changes are in the session
    export_finished = Signal(object)  # {kind: count} written
    open_windows: ClassVar[set[MainWindow]] = set()  # windows alive without a Qt parent

    def __init__(
        self, session: Session, *, owns_session: bool = True, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.owns_session = owns_session
        self.selection = Selection(self)
        self.history = History()
        self._jumping = False  # a navigation records its own history entry
        self.setObjectName("mainWindow")
        self.setAcceptDrops(True)
        self.setDockOptions(
            QMainWindow.DockOption.AnimatedDocks | QMainWindow.DockOption.AllowTabbedDocks
        )

        self.document_list = DocumentList(session, self)
        self.pane = DocumentPane(session, self.selection, self)
        self.setCentralWidget(self.pane)
        self.tagging_panel = TaggingPanel(session, self.selection, self)
        self.stances_panel = StanceEditor(session, self.selection, self)
        self.links_panel = LinksPanel(session, self.selection, self)
        self.documents_dock = self._dock("documentsDock", "Documents", self.document_list)
        self.tagging_dock = self._dock("taggingDock", "Tagging", self.tagging_panel)
        self.stances_dock = self._dock("stancesDock", "Stances", self.stances_panel)
        self.links_dock = self._dock("linksDock", "Links", self.links_panel)
        self.docks = [self.documents_dock, self.tagging_dock, self.links_dock, self.stances_dock]
        # Stances under the documents list: with the tagging panel and the links, the right
        # column would need more than a 768-pixel-high laptop screen. Docks can be moved
        # (and their places are remembered).
        self.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, self.documents_dock)
        self.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, self.stances_dock)
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.tagging_dock)
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.links_dock)
        self.resizeDocks([self.documents_dock], [380], Qt.Orientation.Horizontal)
        self.resizeDocks([self.tagging_dock], [340], Qt.Orientation.Horizontal)
        self.conflicts_view = ConflictsView(session, self)
        self.orphans_view = OrphansView(session, self.selection, self)
        self.conflicts_dock = self._dock("conflictsDock", "Merge conflicts", self.conflicts_view)
        self.orphans_dock = self._dock("orphansDock", "Orphaned annotations", self.orphans_view)
        self.docks += [self.conflicts_dock, self.orphans_dock]
        for dock in (self.conflicts_dock, self.orphans_dock):  # shown on demand, and by a merge
            self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, dock)
            dock.hide()
        self.tabifyDockWidget(self.conflicts_dock, self.orphans_dock)

        self.focus_ring = FocusRing(self)
        self.files = ProjectFiles(self)
        self.merging = Merging(self)
        self.actions = build_actions(self, self._handlers(), self._undo_actions())
        self.actions["snap_to_words"].setChecked(snap_to_words())
        self.pane.addAction(self.actions["delete_span"])  # Delete acts on the text only
        self.extra_actions = self._panel_actions()
        self.menus = build_menus(
            self, self.actions, self.docks, self.files.open_path, self.extra_actions
        )

        self.status_annotator = QLabel(self)
        self.status_project = QLabel(self)
        self.status_counts = QLabel(self)
        for number, label in enumerate(
            (self.status_annotator, self.status_project, self.status_counts)
        ):
            if number:
                self.statusBar().addPermanentWidget(_separator(self))
            self.statusBar().addPermanentWidget(label)

        self.document_list.document_activated.connect(self.open_document)
        self.document_list.reading_requested.connect(lambda: self.focus_panel(self.pane))
        self.selection.document_changed.connect(self._document_changed)
        self.selection.span_changed.connect(self._span_changed)
        self.pane.span_activated.connect(self._evidence_opened)
        self.orphans_view.open_requested.connect(self.go_to)
        self.conflicts_view.orphans_requested.connect(self.actions["orphans"].trigger)
        self.links_panel.open_requested.connect(self.go_to)
        self.stances_panel.open_requested.connect(self.go_to)
        session.changed.connect(self._on_changed)
        session.failed.connect(self.show_failure)

        self._update_title()
        self._update_status()
        self._update_navigation()
        self._default_size()
        self.restore_state()
        remember_project(session.path)
        self._reopen_last_document()
        MainWindow.open_windows.add(self)

    # -- navigation -------------------------------------------------------------------------

    def open_document(self, document_id: str) -> None:
        self.go_to(document_id, "")

    def go_to(self, document_id: str, span_id: str = "", *, record: bool = True) -> None:
        """Open ``document_id``, reveal ``span_id`` in it, and remember the step."""
        self._jumping = True
        try:
            self.selection.set_document(document_id)
            if span_id:
                self.pane.reveal_span(span_id)
        finally:
            self._jumping = False
        if record and self.selection.document_id:
            self.history.push(Location(self.selection.document_id, self.selection.span_id))
        self._update_navigation()

    def go_back(self) -> None:
        self._step(self.history.back)

    def go_forward(self) -> None:
        self._step(self.history.forward)

    def _step(self, move) -> None:
        while (place := move()) is not None:
            if self.session.document(place.document_id) is not None:
                self.go_to(place.document_id, place.span_id, record=False)
                return
            self.history.forget_document(place.document_id)  # deleted since: skip it
        self._update_navigation()

    def _document_changed(self, document_id: str) -> None:
        self.document_list.set_current(document_id)
        if document_id:
            remember_document(self.session.path, document_id)
        if not self._jumping and document_id:  # another panel opened it
            self.history.push(Location(document_id))
            self._update_navigation()

    def _span_changed(self, span_id: str) -> None:
        current = self.history.current
        if not self._jumping and current and current.document_id == self.selection.document_id:
            self.history.replace(Location(current.document_id, span_id))  # back returns here

    def _evidence_opened(self, span_id: str) -> None:
        self.history.push(Location(self.selection.document_id, span_id))
        self._update_navigation()

    def _update_navigation(self) -> None:
        self.actions["back"].setEnabled(self.history.can_go_back)
        self.actions["forward"].setEnabled(self.history.can_go_forward)

    # -- focus ------------------------------------------------------------------------------

    def focus_panel(self, widget: QWidget) -> None:
        for dock in self.docks:
            if dock.widget() is widget:
                dock.show()
                dock.raise_()
        widget.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def find_document(self) -> None:
        self.documents_dock.show()
        self.document_list.focus_filter()

    # -- reacting ---------------------------------------------------------------------------

    def _on_changed(self, changes: ChangeSet) -> None:
        for change in changes.changes:
            if change.table == "documents" and (change.after or {}).get("deleted_at") is not None:
                self.history.forget_document(change.key)
            elif change.table == "documents" and change.after is None:
                self.history.forget_document(change.key)  # an import undone
        self._update_navigation()
        self._update_status()

    def show_failure(self, message: str) -> None:
        QMessageBox.warning(self, "Annotator", message)

    def _update_status(self) -> None:
        self.status_annotator.setText(f"Annotator: {self.session.annotator.name}")
        self.status_project.setText(self.session.path.name)
        self.status_project.setToolTip(str(self.session.path))
        counts = self.session.counts()
        self.status_counts.setText(" · ".join(f"{n} {table}" for table, n in counts.items()))

    def _update_title(self) -> None:
        self.setWindowTitle(f"{self.session.path.name} — Annotator")
        self.setWindowFilePath(str(self.session.path))

    # -- drag and drop ----------------------------------------------------------------------

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if _local_paths(event.mimeData()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        if self.handle_drop(event.mimeData()):
            event.acceptProposedAction()

    def handle_drop(self, mime: QMimeData) -> bool:
        """Import dropped files and folders; False when nothing usable was dropped."""
        paths = _local_paths(mime)
        if paths:
            self.files.import_paths(paths)
        return bool(paths)

    # -- window state -----------------------------------------------------------------------

    def save_state(self) -> None:
        settings = QSettings()
        settings.setValue("window/geometry", self.saveGeometry())
        settings.setValue("window/state", self.saveState(STATE_VERSION))
        settings.setValue("window/taggingSplitter", self.tagging_panel.splitter.saveState())
        settings.setValue("window/documentFilter", self.pane.annotator_shown() == self.session.me)

    def restore_state(self) -> None:
        settings = QSettings()
        geometry = settings.value("window/geometry")
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            self.restoreGeometry(geometry)
        state = settings.value("window/state")
        if isinstance(state, QByteArray) and not state.isEmpty():
            self.restoreState(state, STATE_VERSION)
        splitter = settings.value("window/taggingSplitter")
        if isinstance(splitter, QByteArray) and not splitter.isEmpty():
            self.tagging_panel.restore_splitter(splitter)
        if str(settings.value("window/documentFilter", "false")).lower() == "true":
            self.pane.set_annotator_shown(self.session.me)

    def _default_size(self) -> None:
        """Generous on a large screen, never larger than the one the window opens on."""
        screen = self.screen().availableGeometry()
        self.resize(min(DEFAULT_SIZE[0], screen.width()), min(DEFAULT_SIZE[1], screen.height()))

    def _reopen_last_document(self) -> None:
        """Open the document last read in this project, else the first listed: the analyst
        starts reading, not looking at an empty pane."""
        shown = self.document_list.visible_ids()
        last = last_document(self.session.path)
        start = last if last in shown else (shown[0] if shown else "")
        if start:
            self.open_document(start)

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self.files.stop_jobs():
            event.ignore()
            return
        self.commit_pending_edits()
        self.save_state()
        super().closeEvent(event)
        MainWindow.open_windows.discard(self)
        if self.owns_session:
            self.session.close()

    def commit_pending_edits(self) -> None:
        """Save what was typed but not yet saved (a note, a target's description) while the
        project is still open: their own saving on focus loss would come after it closed."""
        self.tagging_panel.note.commit()
        for dialog in self.findChildren(EntityDialog):
            dialog.commit_pending()

    # -- wiring -----------------------------------------------------------------------------

    def set_snap_to_words(self, on: bool) -> None:
        self.pane.view.snap_to_words = on
        store_snap_to_words(on)

    def _handlers(self):
        return {
            "new_project": self.files.new_project,
            "open_project": self.files.choose_project,
            "import_documents": self.files.choose_documents,
            "import_folder": self.files.choose_folder,
            "export": self.files.export,
            "merge_project": self.merging.choose_project,
            "replace_text": self.merging.choose_text,
            "anchor_orphan": self.orphans_view.anchor_here,
            "conflicts": lambda: self.focus_panel(self.conflicts_view),
            "orphans": lambda: self.focus_panel(self.orphans_view),
            "quit": self.close,
            "delete_span": self.pane.delete_current_span,
            "next_span": lambda: self.pane.step_span(+1),
            "previous_span": lambda: self.pane.step_span(-1),
            "find_document": self.find_document,
            "focus_documents": lambda: self.focus_panel(self.document_list),
            "focus_text": lambda: self.focus_panel(self.pane),
            "focus_tagging": lambda: self.focus_panel(self.tagging_panel),
            "focus_stances": lambda: self.focus_panel(self.stances_panel),
            "focus_links": lambda: self.focus_panel(self.links_panel),
            "back": self.go_back,
            "forward": self.go_forward,
            "refresh": self.session.refresh,
            "snap_to_words": self.set_snap_to_words,
            "shortcuts": self.show_shortcuts,
            "about": self.show_about,
        }

    def _panel_actions(self) -> list[tuple[str, QAction]]:
        """Commands the panels offer for the menus (and the shortcuts dialog)."""
        self.tagging_panel.install_tag_shortcuts(self.pane.view)  # tag keys act in the text
        return [
            ("&Edit", self.tagging_panel.palette_action),
            ("&Edit", make_link_action(self.session, self.selection, self)),
        ]

    def _undo_actions(self):
        stack = self.session.undo_stack
        return {"undo": stack.createUndoAction(self), "redo": stack.createRedoAction(self)}

    def _dock(self, name: str, title: str, widget: QWidget) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(name)  # saveState/restoreState find docks by name
        dock.setWidget(widget)
        return dock

    def show_shortcuts(self) -> None:
        rows = shortcut_rows(self.actions, self.extra_actions)
        rows += self.tagging_panel.shortcut_rows() + list(PANEL_KEYS)
        ShortcutsDialog(rows, TEXT_SHORTCUTS_NOTE, self).exec()

    def show_about(self) -> None:
        QMessageBox.about(
            self,
            "About Annotator",
            f"<b>Annotator {__version__}</b><p>Code policy texts, record stances and link "
            "passages across documents. Everything is saved as you work, in one project file.</p>",
        )


def _separator(parent: QWidget) -> QFrame:
    line = QFrame(parent)
    line.setFrameShape(QFrame.Shape.VLine)
    line.setFrameShadow(QFrame.Shadow.Sunken)
    return line


def _local_paths(mime: QMimeData) -> list[Path]:
    if not mime.hasUrls():
        return []
    return [Path(url.toLocalFile()) for url in mime.urls() if url.isLocalFile()]
