"""The tagging panel (right dock): the codebook, the selected passage, the document's annotations.

A tag is applied to what is selected: fresh text becomes a new passage carrying the tag; a
selected passage gets the tag, or loses it if it has it already. The same ``apply_tag`` runs
for a click in the codebook, a digit or letter key in the article view, and the Ctrl+T palette.
"""

from __future__ import annotations

from PySide6.QtCore import QByteArray, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence, QPalette, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QSplitter,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from annotator.core import ops
from annotator.core.model import ChangeSet, normalise_name
from annotator.gui.models.codebook import CodebookModel
from annotator.gui.selection import Selection
from annotator.gui.session import Session
from annotator.gui.widgets.annotation_list import AnnotationList
from annotator.gui.widgets.codebook_panel import CodebookPanel
from annotator.gui.widgets.entity_dialogs import ACTORS, TARGETS, EntityDialog, EntityKind
from annotator.gui.widgets.note_editor import NoteEditor
from annotator.gui.widgets.tag_chips import TagChips
from annotator.gui.widgets.tag_palette import PATH_SEP, TagPalette
from annotator.gui.widgets.text_steps import Edge, moved_bounds

NOTICE_MS = 8000  # how long a refusal stays on screen
QUOTE_CHARS = 140
# Boundary keys act in the article view. Alt+Shift+arrows are free on the major desktops;
# Ctrl+Alt(+Shift)+arrows are not (GNOME switches workspaces), so word steps are buttons.
BOUNDARY_KEYS = {
    (Edge.START, -1): "Shift+Alt+Up",
    (Edge.START, +1): "Shift+Alt+Down",
    (Edge.END, -1): "Shift+Alt+Left",
    (Edge.END, +1): "Shift+Alt+Right",
}


class TaggingPanel(QWidget):
    def __init__(
        self, session: Session, selection: Selection, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.selection = selection
        self.codebook_model = CodebookModel(session, self)
        self.codebook = CodebookPanel(session, self.codebook_model, self)
        self.tag_palette = TagPalette(self.codebook_model, self)
        self.status = QLabel(self)
        self.quote = QLabel(self)
        self.chips = TagChips(self)
        self.note = NoteEditor(session, selection, self)
        self.annotations = AnnotationList(session, selection, self.codebook_model, self)
        self.notice = QLabel(self)
        self._notice_timer = QTimer(self, singleShot=True, interval=NOTICE_MS)
        self._dialogs: dict[str, EntityDialog] = {}
        self._sized = False
        self._range_at_span: tuple[int, int] | None = None  # see fresh_range
        self._shortcut_hosts: list[QWidget] = []
        self._shortcuts: list[QShortcut] = []
        self.boundary_actions: list[QAction] = []
        self.palette_action = QAction("Apply tag by name…", self)
        self.palette_action.setShortcut(QKeySequence("Ctrl+T"))
        self.palette_action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self.palette_action.setToolTip("Find a tag by typing part of its name (Ctrl+T)")
        self.palette_action.triggered.connect(self.open_palette)
        self.addAction(self.palette_action)
        self._build_layout()
        self._connect()
        self._show_selection()

    # -- layout -----------------------------------------------------------------------------

    def _build_layout(self) -> None:
        self.status.setWordWrap(True)
        mute(self.status)  # it explains; it is not content
        self.quote.setWordWrap(True)
        self.quote.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.notice.setWordWrap(True)
        self.notice.setObjectName("notice")
        self.notice.setStyleSheet(
            "#notice { background: rgba(220, 50, 47, 0.16); border: 1px solid "
            "rgba(220, 50, 47, 0.55); border-radius: 4px; padding: 4px 6px; }"
        )
        self.notice.hide()
        self.note.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Expanding)
        self.note.setMaximumHeight(160)  # a note, not an essay: the codebook needs the room

        passage = QWidget(self)
        box = QVBoxLayout(passage)
        box.setContentsMargins(0, 4, 0, 0)
        box.setSpacing(4)
        box.addWidget(_heading("Passage", passage))
        box.addWidget(self.quote)
        box.addWidget(self.chips)
        box.addLayout(self._boundary_controls(passage))
        box.addWidget(self.note, 1)
        box.addStretch(0)  # beyond the note's height, space goes below it, not between rows
        self._passage = passage

        listing = QWidget(self)
        lower = QVBoxLayout(listing)
        lower.setContentsMargins(0, 4, 0, 0)
        lower.setSpacing(4)
        lower.addWidget(_heading("Annotations in this document", listing))
        lower.addWidget(self.annotations, 1)

        codebook = QWidget(self)
        upper = QVBoxLayout(codebook)
        upper.setContentsMargins(0, 0, 0, 0)
        upper.setSpacing(4)
        upper.addWidget(_heading("Codebook", codebook))
        upper.addWidget(self.codebook, 1)

        self.splitter = QSplitter(Qt.Orientation.Vertical, self)
        self.splitter.setChildrenCollapsible(False)
        for part, stretch in ((codebook, 6), (passage, 0), (listing, 4)):
            self.splitter.addWidget(part)
            self.splitter.setStretchFactor(self.splitter.indexOf(part), stretch)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.setSpacing(6)
        layout.addWidget(self.status)
        layout.addWidget(self.notice)
        layout.addWidget(self.splitter, 1)
        self.setFocusProxy(self.codebook.tree)  # Ctrl+3 lands where tags are chosen

    def restore_splitter(self, state: QByteArray) -> None:
        """The heights the analyst gave the codebook, passage and list last time."""
        self._sized = self.splitter.restoreState(state)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._sized:  # once laid out, the codebook gets the room
            self._sized = True
            QTimer.singleShot(0, self._share_height)

    def _share_height(self) -> None:
        passage = self._passage.sizeHint().height()
        rest = max(0, self.splitter.height() - passage)
        self.splitter.setSizes([rest * 3 // 5, passage, rest - rest * 3 // 5])

    def _boundary_controls(self, parent: QWidget) -> QHBoxLayout:
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(0)
        self.boundary_buttons: list[QToolButton] = []
        steps = ((-1, True, "«"), (-1, False, "‹"), (1, False, "›"), (1, True, "»"))
        for edge in (Edge.START, Edge.END):
            label = QLabel("Start" if edge == Edge.START else "End", parent)
            mute(label)
            row.addWidget(label)
            row.addSpacing(4)
            for direction, by_word, text in steps:
                button = QToolButton(parent)
                button.setDefaultAction(self._boundary_action(edge, direction, by_word, text))
                button.setAutoRaise(True)
                button.setMinimumWidth(24)
                font = button.font()
                font.setPointSizeF(font.pointSizeF() * 1.25)
                button.setFont(font)
                row.addWidget(button)
                self.boundary_buttons.append(button)
            row.addSpacing(16)
        row.addStretch(1)
        return row

    def _boundary_action(self, edge: Edge, direction: int, by_word: bool, text: str) -> QAction:
        unit = "word" if by_word else "character"
        way = "earlier" if direction < 0 else "later"
        action = QAction(text, self)
        tip = f"Move the passage's {edge.value} one {unit} {way}"
        key = None if by_word else BOUNDARY_KEYS[(edge, direction)]
        if key:
            action.setShortcut(QKeySequence(key))
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            tip += f" ({QKeySequence(key).toString(QKeySequence.SequenceFormat.NativeText)})"
            self.boundary_actions.append(action)
        action.setToolTip(tip)
        action.triggered.connect(lambda: self.move_boundary(edge, direction, by_word=by_word))
        return action

    def _connect(self) -> None:
        self.codebook.tag_chosen.connect(self._tag_clicked)
        self.codebook.targets_requested.connect(lambda: self.open_entities(TARGETS))
        self.codebook.actors_requested.connect(lambda: self.open_entities(ACTORS))
        self.chips.remove_requested.connect(self.remove_tag)
        self.tag_palette.tag_chosen.connect(self.apply_tag)
        self.tag_palette.create_requested.connect(self.create_and_apply)
        self.selection.document_changed.connect(lambda _: self._show_selection())
        self.selection.span_changed.connect(self._span_chosen)
        self.selection.range_changed.connect(lambda *_: self._show_selection())
        self.session.changed.connect(self._on_changed)
        self._notice_timer.timeout.connect(self.notice.hide)

    # -- applying tags ----------------------------------------------------------------------

    def apply_tag(self, tag_id: str) -> None:
        """Tag the selected text as a new passage, or toggle the tag on the selected passage."""
        span = self.session.span(self.selection.span_id) if self.selection.span_id else None
        fresh = self.fresh_range()
        if fresh and self.selection.document_id:
            start, end = fresh
            done = self.session.perform(
                ops.create_span,
                document_id=self.selection.document_id,
                start=start,
                end=end,
                tags=[tag_id],
            )
            if done:
                self.selection.set_span(done.created("spans")[0])
        elif span is not None:
            has_it = tag_id in self.session.tags_by_span(span_ids=[span.id]).get(span.id, [])
            op = ops.untag_span if has_it else ops.tag_span
            self.session.perform(op, span_id=span.id, tag_id=tag_id)
        else:
            self.show_notice("Select some text or a highlighted passage first.")

    def fresh_range(self) -> tuple[int, int] | None:
        """The selected text, unless it is just the selected passage (or what made it)."""
        selected = self.selection.text_range
        span = self.session.span(self.selection.span_id) if self.selection.span_id else None
        if span is None or selected is None:
            return selected
        # The text selected when the passage was chosen (or created from it) is not a new
        # request, even after the passage's boundaries moved: keys then tag the passage.
        if selected == (span.start, span.end) or selected == self._range_at_span:
            return None
        return selected

    def has_target(self) -> bool:
        """Whether applying a tag would do something: text or a passage is selected."""
        return bool(self.fresh_range() and self.selection.document_id) or bool(
            self.selection.span_id
        )

    def _tag_clicked(self, tag_id: str) -> None:
        # With nothing selected a click only picks the tag (to rename it, say): no warning.
        if self.has_target():
            self.apply_tag(tag_id)

    def remove_tag(self, tag_id: str) -> None:
        if self.selection.span_id:
            self.session.perform(ops.untag_span, span_id=self.selection.span_id, tag_id=tag_id)

    def create_and_apply(self, typed: str) -> None:
        """Create the tag typed in the palette ("Parent/Child" goes under Parent) and apply it."""
        name, parent_id = typed, None
        parent_path, _, leaf = typed.rpartition(PATH_SEP)
        if parent_path and leaf.strip():
            wanted = normalise_name(parent_path)
            for tag in self.codebook_model.tags():
                if normalise_name(self.codebook_model.path(tag.id)) == wanted:
                    name, parent_id = leaf, tag.id
                    break
        tag_id = self.codebook.create_tag(name, parent_id)
        if tag_id:
            self.apply_tag(tag_id)

    def open_palette(self) -> None:
        self.tag_palette.popup(self.window())

    def move_boundary(self, edge: Edge, direction: int, *, by_word: bool = False) -> None:
        """Move the selected passage's start or end by a character or a word."""
        span = self.session.span(self.selection.span_id) if self.selection.span_id else None
        document = self.session.document(span.document_id) if span else None
        if span is None or document is None:
            return
        moved = moved_bounds(document.text, span.start, span.end, edge, direction, by_word)
        if moved is not None and moved != (span.start, span.end):
            self.session.perform(ops.update_span, span_id=span.id, start=moved[0], end=moved[1])

    def shortcut_rows(self) -> list[tuple[str, str, str]]:
        """The keys that act in the text: the passage's boundaries, then each tag's key."""
        native = QKeySequence.SequenceFormat.NativeText
        rows = [
            ("Text", a.toolTip().split(" (")[0], a.shortcut().toString(native))
            for a in self.boundary_actions
        ]
        return rows + [
            ("Text", f"Tag “{tag.name}”", tag.shortcut.upper())
            for tag in self.codebook_model.tags()
            if tag.shortcut
        ]

    def install_tag_shortcuts(self, widget: QWidget) -> None:
        """Tag keys (1–9, letters) and the boundary keys, acting only while ``widget`` (the
        article view) has the focus; kept in step with the codebook."""
        self._shortcut_hosts.append(widget)
        widget.addActions(self.boundary_actions)
        self._make_shortcuts()

    def _make_shortcuts(self) -> None:
        for shortcut in self._shortcuts:
            shortcut.setEnabled(False)
            shortcut.deleteLater()
        self._shortcuts = []
        for tag in self.codebook_model.tags():
            if not tag.shortcut:
                continue
            keys = [QKeySequence(tag.shortcut.upper())]
            if tag.shortcut.isdigit():  # the number pad too
                keys.append(QKeySequence(Qt.KeyboardModifier.KeypadModifier | keys[0][0].key()))
            for host in self._shortcut_hosts:
                for key in keys:
                    shortcut = QShortcut(key, host)
                    shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
                    shortcut.activated.connect(lambda tag_id=tag.id: self.apply_tag(tag_id))
                    self._shortcuts.append(shortcut)

    def open_entities(self, kind: EntityKind) -> EntityDialog:
        dialog = self._dialogs.get(kind.noun)
        if dialog is None:
            dialog = self._dialogs[kind.noun] = EntityDialog(self.session, kind, self.window())
        dialog.show()
        dialog.raise_()
        dialog.activateWindow()
        return dialog

    # -- showing ----------------------------------------------------------------------------

    def show_notice(self, message: str) -> None:
        """A hint in the panel itself. Refused edits are reported by whoever listens to
        ``session.failed`` (the main window); this is for the panel's own hints."""
        self.notice.setText(f"⚠  {message}")
        self.notice.show()
        self._notice_timer.start()

    def _on_changed(self, changes: ChangeSet) -> None:
        tables = changes.tables()
        if self.selection.span_id and self.session.span(self.selection.span_id) is None:
            self.selection.set_span("")  # undone or deleted: nothing is selected any more
        if not tables or "tags" in tables:
            self._make_shortcuts()
        if not tables or tables & {"spans", "span_tags", "tags"}:
            self._show_selection()

    def _span_chosen(self, span_id: str) -> None:
        self._range_at_span = self.selection.text_range if span_id else None
        self._show_selection()

    def _show_selection(self) -> None:
        span = self.session.span(self.selection.span_id) if self.selection.span_id else None
        fresh = self.fresh_range()
        if not self.selection.document_id:
            status = "Open a document to start annotating."
        elif span is not None and fresh is None:
            status = "Click a tag (or press its key) to add or remove it."
        elif fresh:
            size = fresh[1] - fresh[0]
            status = f"{size} character{'s' if size != 1 else ''} selected: click a tag to highlight them."  # fmt: skip
        else:
            status = "Select text in the article, then click a tag or press its key."
        self.status.setText(status)
        self.quote.setText(_quoted(span.quote) if span else "No passage selected.")
        self.quote.setEnabled(span is not None)
        carried = (
            set(self.session.tags_by_span(span_ids=[span.id]).get(span.id, [])) if span else set()
        )
        tags = [t for t in self.codebook_model.tags() if t.id in carried]  # in codebook order
        self.chips.set_tags(tags, {t.id: self.codebook_model.path(t.id) for t in tags})
        for button in self.boundary_buttons:
            button.setEnabled(span is not None)
        for action in self.boundary_actions:
            action.setEnabled(span is not None)


def mute(label: QLabel) -> None:
    """Secondary text: the palette's placeholder colour, which follows light and dark themes
    (a disabled label would be too faint to read)."""
    label.setForegroundRole(QPalette.ColorRole.PlaceholderText)


def _heading(text: str, parent: QWidget) -> QLabel:
    label = QLabel(text, parent)
    font = label.font()
    font.setBold(True)
    label.setFont(font)
    return label


def _quoted(text: str) -> str:
    flat = " ".join(text.split())
    if len(flat) > QUOTE_CHARS:
        flat = flat[: QUOTE_CHARS - 1].rstrip() + "…"
    return f"“{flat}”"
