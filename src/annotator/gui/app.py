"""Starting the workbench: a display check, the QApplication, who is annotating, which project.

``run([])`` opens the last project (else the default one, made from the sample corpus on
first run); ``run([PATH])`` opens PATH. A project that cannot be opened is explained in one
line and the default project is offered instead; the file itself is never touched.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import sys
from collections.abc import Mapping
from pathlib import Path

# Debian packages of the libraries Qt's xcb platform plugin loads (see README.md).
XCB_LIBRARIES = {
    "libxcb.so.1": "libxcb1",
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-image.so.0": "libxcb-image0",
    "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxcb-xkb.so.1": "libxcb-xkb1",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    "libxcb-shape.so.0": "libxcb-shape0",
    "libxcb-randr.so.0": "libxcb-randr0",
}


def wayland_socket(env: Mapping[str, str]) -> Path:
    """Where a Wayland client connects: WAYLAND_DISPLAY (default wayland-0), under
    XDG_RUNTIME_DIR unless it is a path of its own."""
    name = env.get("WAYLAND_DISPLAY") or "wayland-0"
    return Path(name) if name.startswith("/") else Path(env.get("XDG_RUNTIME_DIR", "/")) / name


def display_problem(environ: Mapping[str, str] | None = None, platform: str = sys.platform) -> str:
    """Why Qt could not open a window here, in one line; "" when it should be able to.

    Qt aborts the whole process when its platform plugin fails, so we look first.
    """
    env = os.environ if environ is None else environ
    if not platform.startswith("linux"):
        return ""
    chosen = env.get("QT_QPA_PLATFORM", "")
    # A WAYLAND_DISPLAY left over from another session names a socket that is gone: only a
    # live socket means Qt can skip X11.
    wayland = bool(env.get("WAYLAND_DISPLAY")) and wayland_socket(env).exists()
    if not chosen and not env.get("DISPLAY") and not wayland:
        unset = (
            f"DISPLAY is unset and WAYLAND_DISPLAY has no socket at {wayland_socket(env)}"
            if env.get("WAYLAND_DISPLAY")
            else "DISPLAY and WAYLAND_DISPLAY are unset"
        )
        return (
            f"annotator: no display to open a window on ({unset}); "
            "run it in a desktop session, or use the command line: annotator --help"
        )
    if chosen.startswith("wayland") and ";" not in chosen and not wayland_socket(env).exists():
        return (
            f"annotator: no Wayland display at {wayland_socket(env)} (QT_QPA_PLATFORM={chosen}); "
            "run it in a desktop session, or use the command line: annotator --help"
        )
    will_use_xcb = chosen.startswith("xcb") or (not chosen and not wayland)
    if will_use_xcb:
        missing = missing_xcb_packages()
        if missing:
            return (
                "annotator: Qt cannot open an X11 window: system libraries are missing; "
                f"install them with: sudo apt-get install {' '.join(missing)}"
            )
        display = env.get("DISPLAY", "")
        if not x_display_reachable(display):
            return (
                f"annotator: cannot connect to the X display {display!r} "
                "(is the X server running, and may you use it?)"
            )
    return ""


def x_display_reachable(display: str) -> bool:
    """Whether libxcb can connect to ``display``, as Qt's xcb plugin will try to."""
    try:
        xcb = ctypes.CDLL("libxcb.so.1")
    except OSError:
        return True  # reported as a missing package instead
    xcb.xcb_connect.restype = ctypes.c_void_p
    xcb.xcb_connect.argtypes = [ctypes.c_char_p, ctypes.c_void_p]
    xcb.xcb_connection_has_error.argtypes = [ctypes.c_void_p]
    xcb.xcb_disconnect.argtypes = [ctypes.c_void_p]
    connection = xcb.xcb_connect(display.encode() or None, None)
    try:
        return xcb.xcb_connection_has_error(connection) == 0
    finally:
        xcb.xcb_disconnect(connection)  # also frees a connection in error


def missing_xcb_packages() -> list[str]:
    """Debian packages whose libraries the xcb plugin needs but cannot load."""
    missing = []
    for soname, package in XCB_LIBRARIES.items():
        try:
            ctypes.CDLL(soname)
        except OSError:
            # Some systems name the file differently; the linker cache knows.
            name = soname.removeprefix("lib").split(".so")[0]
            if ctypes.util.find_library(name) is None:
                missing.append(package)
    return missing


def run(args: list[str]) -> int:
    """The ``annotator`` command without a subcommand: the workbench. Returns the exit code."""
    problem = display_problem()
    if problem:
        print(problem, file=sys.stderr)
        return 1
    from PySide6.QtWidgets import QApplication  # only once we know Qt can start

    from annotator.gui.settings import name_application

    name_application()
    app = QApplication.instance() or QApplication([sys.argv[0] if sys.argv else "annotator"])
    app.setApplicationDisplayName("Annotator")
    window = open_workbench(args)
    if window is None:
        return 1
    window.show()
    return app.exec()


def open_workbench(args: list[str]):
    """The main window on the project ``args`` names (or the last or default one); None when
    the analyst declined every project offered. Needs a QApplication."""
    from PySide6.QtWidgets import QMessageBox

    from annotator.core import defaults
    from annotator.core.store import Project, ProjectError
    from annotator.gui.main_window import MainWindow
    from annotator.gui.session import Session
    from annotator.gui.settings import name_application, recent_projects

    name_application()
    name = annotator_name()
    wanted = Path(args[0]) if args else _last_project(recent_projects())
    project = None
    if wanted is not None:
        try:
            project = Project.open(wanted)
        except ProjectError as error:
            reason = " ".join(str(error).split())
            QMessageBox.warning(None, "Annotator", f"Cannot open {wanted.name}: {reason}")
            answer = QMessageBox.question(None, "Annotator", "Open your default project instead?")
            if answer != QMessageBox.StandardButton.Yes:
                return None
    if project is None:
        try:
            project, _created = defaults.open_default_project(name)
        except ProjectError as error:
            QMessageBox.critical(None, "Annotator", " ".join(str(error).split()))
            return None
    return MainWindow(Session(project, name))


def annotator_name() -> str:
    """$ANNOTATOR_NAME, else the name given before, else ask once (and remember it)."""
    from PySide6.QtWidgets import QInputDialog, QLineEdit

    from annotator.core import defaults
    from annotator.gui.settings import store_annotator_name, stored_annotator_name

    from_environment = os.environ.get(defaults.NAME_VARIABLE, "").strip()
    if from_environment:
        return from_environment
    stored = stored_annotator_name()
    if stored:
        return stored
    suggested = defaults.default_annotator_name()
    typed, ok = QInputDialog.getText(
        None,
        "Welcome to Annotator",
        "Your name, as your colleagues will see it on your annotations:",
        QLineEdit.EchoMode.Normal,
        suggested,
    )
    name = " ".join(typed.split()) if ok else ""
    name = name or suggested  # cancelling keeps the suggestion; we do not ask again
    store_annotator_name(name)
    return name


def _last_project(recent: list[Path]) -> Path | None:
    """The most recent project that still exists (a moved file is not an error at start)."""
    return next((path for path in recent if path.exists()), None)
