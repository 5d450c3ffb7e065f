"""The menu bar, laid out from the action table, plus the menus that change as you work."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDockWidget, QMainWindow, QMenu

from annotator.gui.actions import ACTIONS, MENUS
from annotator.gui.settings import recent_projects


def build_menus(
    window: QMainWindow,
    actions: dict[str, QAction],
    docks: Sequence[QDockWidget],
    open_recent: Callable[[Path], None],
    extras: Sequence[tuple[str, QAction]] = (),
) -> dict[str, QMenu]:
    """Menus in table order; ``extras`` (menu, action) from the panels follow a separator."""
    menus = {title: window.menuBar().addMenu(title) for title in MENUS}
    for spec in ACTIONS:
        menu = menus[spec.menu]
        if spec.separator_before:
            menu.addSeparator()
        menu.addAction(actions[spec.name])
        if spec.name == "open_project":
            menu.addMenu(RecentProjectsMenu(open_recent, menu))
    for number, (title, action) in enumerate(extras):
        if number == 0 or extras[number - 1][0] != title:
            menus[title].addSeparator()
        menus[title].addAction(action)
    view = menus["&View"]
    view.addSeparator()
    panels = view.addMenu("&Panels")
    for dock in docks:
        panels.addAction(dock.toggleViewAction())
    return menus


class RecentProjectsMenu(QMenu):
    """File > Recent projects, read afresh from QSettings each time it opens."""

    def __init__(self, open_recent: Callable[[Path], None], parent: QMenu) -> None:
        super().__init__("&Recent projects", parent)
        self.setObjectName("recentProjectsMenu")
        self._open_recent = open_recent
        self.aboutToShow.connect(self.refill)
        self.refill()

    def refill(self) -> None:
        self.clear()
        paths = [p for p in recent_projects() if p.exists()]
        for number, path in enumerate(paths, start=1):
            accelerator = f"&{number} " if number < 10 else ""
            action = self.addAction(f"{accelerator}{path.name}")
            action.setToolTip(str(path))
            action.setStatusTip(str(path))
            action.triggered.connect(lambda _checked=False, p=path: self._open_recent(p))
        if not paths:
            self.addAction("(none yet)").setEnabled(False)
