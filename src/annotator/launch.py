"""The ``annotator`` command: the workbench for no arguments or one project file, else the CLI.

Kept apart from both so that the command line never imports Qt and the GUI never imports click.
"""

from __future__ import annotations

import sys


def wants_workbench(args: list[str]) -> bool:
    from annotator.cli import main as cli

    if not args:
        return True
    return len(args) == 1 and not args[0].startswith("-") and args[0] not in cli.commands


def main() -> None:
    args = sys.argv[1:]
    if wants_workbench(args):
        from annotator.gui.app import run

        sys.exit(run(args))
    from annotator.cli import main as cli

    cli()
