"""Starting the workbench: which project, whose name, and a clear line when there is no display."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtWidgets import QInputDialog, QMessageBox

from annotator.core import defaults, ops
from annotator.gui import app
from annotator.gui.main_window import MainWindow
from annotator.gui.settings import NAME_KEY, recent_projects


@pytest.fixture
def first_run(monkeypatch, tmp_path: Path, temp_settings):
    """A fresh data folder, no name in the environment, and a recorder for the name dialog."""
    monkeypatch.setenv(defaults.DATA_DIR_VARIABLE, str(tmp_path / "data"))
    monkeypatch.delenv(defaults.NAME_VARIABLE, raising=False)
    asked: list[str] = []

    def answer(_parent, _title, _label, _echo, suggested):
        asked.append(suggested)
        return "Ani Petrosyan", True

    monkeypatch.setattr(QInputDialog, "getText", answer)
    return asked


def opened(qtbot, args: list[str]) -> MainWindow:
    window = app.open_workbench(args)
    assert window is not None
    qtbot.addWidget(window)
    return window


def test_first_run_makes_the_default_project_and_asks_the_name_once(qtbot, first_run) -> None:
    window = opened(qtbot, [])
    path = defaults.default_project_path()
    assert window.session.project.path == path and path.exists()
    titles = {d.title for d in window.session.documents()}  # the sample corpus
    assert "The Illusion of Peace Between Armenia and Azerbaijan" in titles
    assert window.session.annotator.name == "Ani Petrosyan"
    assert first_run == [defaults.default_annotator_name()]
    assert recent_projects()[0] == path.resolve()
    window.close()
    again = opened(qtbot, [])  # the last project, and no second question
    assert again.session.project.path == path and again.session.annotator.name == "Ani Petrosyan"
    assert len(first_run) == 1
    again.close()


def test_the_name_in_the_environment_is_used_without_asking(qtbot, first_run, monkeypatch):
    monkeypatch.setenv(defaults.NAME_VARIABLE, "Lilit")
    window = opened(qtbot, [])
    assert window.session.annotator.name == "Lilit" and first_run == []
    window.close()


def test_cancelling_the_name_keeps_the_suggestion(qtbot, first_run, monkeypatch, temp_settings):
    monkeypatch.setattr(QInputDialog, "getText", lambda *a: ("", False))
    window = opened(qtbot, [])
    assert window.session.annotator.name == defaults.default_annotator_name()
    assert temp_settings.value(NAME_KEY) == defaults.default_annotator_name()
    window.close()


def test_a_given_project_is_opened(qtbot, first_run, tmp_path: Path) -> None:
    path = tmp_path / "study.annotator"
    project, _ = defaults.create_project(path, annotator="Ani")
    ops.add_document(project, by=ops.ensure_annotator(project, "Ani").id, title="T", text="Text.")
    project.close()
    window = opened(qtbot, [str(path)])
    assert window.session.project.path == path
    assert [d.title for d in window.session.documents()] == ["T"]
    assert not defaults.default_project_path().exists()
    window.close()


@pytest.mark.parametrize("accept_default", [True, False])
def test_an_unopenable_project_is_explained_then_the_default_offered(
    qtbot, first_run, monkeypatch, tmp_path: Path, accept_default: bool
) -> None:
    broken = tmp_path / "notes.annotator"
    broken.write_bytes(b"this is not a database\n" * 10)
    before = broken.read_bytes()
    warnings: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text: warnings.append(text))
    answer = QMessageBox.StandardButton.Yes if accept_default else QMessageBox.StandardButton.No
    monkeypatch.setattr(QMessageBox, "question", lambda *a: answer)
    window = app.open_workbench([str(broken)])
    assert len(warnings) == 1 and "notes.annotator" in warnings[0] and "\n" not in warnings[0]
    assert broken.read_bytes() == before  # never touched
    if accept_default:
        assert window is not None and window.session.project.path == defaults.default_project_path()
        qtbot.addWidget(window)
        window.close()
    else:
        assert window is None


def test_display_problem_on_linux(tmp_path: Path) -> None:
    assert "no display" in app.display_problem({}, "linux")
    assert app.display_problem({"QT_QPA_PLATFORM": "offscreen"}, "linux") == ""
    wayland = {"WAYLAND_DISPLAY": "wayland-0", "XDG_RUNTIME_DIR": str(tmp_path)}
    (tmp_path / "wayland-0").touch()
    assert app.display_problem(wayland, "linux") == ""
    assert app.display_problem({}, "darwin") == ""


def test_a_stale_wayland_display_is_not_taken_for_a_display(tmp_path: Path, monkeypatch) -> None:
    stale = {"WAYLAND_DISPLAY": "wayland-bogus", "XDG_RUNTIME_DIR": str(tmp_path)}
    message = app.display_problem(stale, "linux")
    assert "no display" in message and "wayland-bogus" in message and "\n" not in message
    # With an X display as well, Qt falls back to X11: that display is what gets checked.
    monkeypatch.setattr(app, "missing_xcb_packages", list)
    monkeypatch.setattr(app, "x_display_reachable", lambda display: display == ":0")
    assert app.display_problem(stale | {"DISPLAY": ":0"}, "linux") == ""
    assert "X display ':7'" in app.display_problem(stale | {"DISPLAY": ":7"}, "linux")


def test_a_wayland_platform_without_its_socket_is_explained(tmp_path: Path) -> None:
    env = {"QT_QPA_PLATFORM": "wayland", "XDG_RUNTIME_DIR": str(tmp_path)}
    assert "no Wayland display at" in app.display_problem(env, "linux")
    (tmp_path / "wayland-0").touch()
    assert app.display_problem(env, "linux") == ""
    assert app.display_problem(env | {"WAYLAND_DISPLAY": "wayland-1"}, "linux") != ""


def test_missing_xcb_libraries_name_the_packages(monkeypatch) -> None:
    monkeypatch.setattr(app, "missing_xcb_packages", lambda: ["libxcb-cursor0"])
    message = app.display_problem({"DISPLAY": ":0"}, "linux")
    assert "sudo apt-get install libxcb-cursor0" in message and "\n" not in message
    monkeypatch.setattr(app, "missing_xcb_packages", list)
    monkeypatch.setattr(app, "x_display_reachable", lambda display: display == ":0")
    assert app.display_problem({"DISPLAY": ":0"}, "linux") == ""
    assert "cannot connect to the X display ':7'" in app.display_problem({"DISPLAY": ":7"}, "linux")


def test_an_unreachable_x_display_is_detected() -> None:
    assert not app.x_display_reachable(":4242")  # no X server listens there


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the display check is Linux's")
@pytest.mark.parametrize("stale_wayland", [False, True])
def test_without_a_display_the_command_says_so_in_one_line(tmp_path: Path, stale_wayland) -> None:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"QT_QPA_PLATFORM", "DISPLAY", "WAYLAND_DISPLAY"}
    }
    env[defaults.DATA_DIR_VARIABLE] = str(tmp_path)
    if stale_wayland:  # left over from a session that has ended: no socket behind it
        env |= {"WAYLAND_DISPLAY": "wayland-bogus", "QT_QPA_PLATFORM": ""}
    done = subprocess.run(
        [sys.executable, "-m", "annotator"], env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 1
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "display" in lines[0], done.stderr
    assert "Aborted" not in done.stderr and not list(tmp_path.iterdir())
