"""Every command the CLI has is shown in the README and has help of its own."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from annotator.cli import main

README = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", sorted(main.commands))
def test_every_command_is_in_the_readme_with_help(name: str) -> None:
    assert f"uv run annotator {name} " in README
    shown = CliRunner().invoke(main, [name, "--help"])
    assert shown.exit_code == 0 and main.commands[name].help
