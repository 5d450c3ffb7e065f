"""The layering rules of docs and design: the core never imports Qt, the CLI never the GUI."""

from __future__ import annotations

import ast
import pkgutil
import subprocess
import sys
from pathlib import Path

import annotator

PACKAGE = Path(annotator.__file__).parent


def imported_modules(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
    return found


def test_core_imports_no_qt_gui_or_cli() -> None:
    for path in (PACKAGE / "core").rglob("*.py"):
        for module in imported_modules(path):
            assert not module.startswith(("PySide6", "annotator.gui", "annotator.cli")), (
                path,
                module,
            )


def test_cli_does_not_import_gui_and_gui_not_cli() -> None:
    assert not any(m.startswith("annotator.gui") for m in imported_modules(PACKAGE / "cli.py"))
    for path in (PACKAGE / "gui").rglob("*.py"):
        assert not any(m.startswith("annotator.cli") for m in imported_modules(path)), path


def test_importing_every_core_module_loads_no_qt() -> None:
    names = [m.name for m in pkgutil.walk_packages([str(PACKAGE / "core")], "annotator.core.")]
    code = (
        "import importlib, sys\n"
        f"for name in {names!r}: importlib.import_module(name)\n"
        "import annotator.cli\n"
        "assert not [m for m in sys.modules if m.startswith('PySide6')], 'Qt was imported'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
