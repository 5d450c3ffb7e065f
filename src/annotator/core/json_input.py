"""JSON from files other people wrote: every way it can fail becomes one ValueError."""

from __future__ import annotations

import json
from typing import Any


def parse_json(text: str) -> Any:
    """The value in ``text``; a ValueError whose message reads after "not valid JSON: " for bad
    syntax, a number too long to convert, or nesting too deep to follow."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise ValueError(f"{error.msg} at line {error.lineno}, column {error.colno}") from None
    except ValueError:  # Python refuses integers of more than 4,300 digits
        raise ValueError("a number too long to read") from None
    except RecursionError:
        raise ValueError("nested too deeply to read") from None
