from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

Run = Callable[..., subprocess.CompletedProcess]


@pytest.fixture
def run(tmp_path: Path) -> Run:
    """Run ``python -m annotator`` (the installed command) with a private data folder."""
    env = os.environ | {"ANNOTATOR_DATA_DIR": str(tmp_path / "data"), "ANNOTATOR_NAME": "Ani"}

    def invoke(*args: object, expect: int | None = 0, **extra: str) -> subprocess.CompletedProcess:
        result = subprocess.run(
            [sys.executable, "-m", "annotator", *map(str, args)],
            capture_output=True,
            text=True,
            encoding="utf-8",
            env=env | extra,
            cwd=tmp_path,
            stdin=subprocess.DEVNULL,
            timeout=120,
        )
        if expect is not None:
            assert result.returncode == expect, result.stderr + result.stdout
        return result

    return invoke
