"""Every interchange format by name or file suffix, so the CLI, the GUI and imports share one list.

Exporters are called as ``write(project, target, selection, **options) -> Counter``, where the
target is a text stream, a binary stream or a folder to fill, as the format's ``shape`` says.
Readers are called as ``read(path) -> ParsedSet``: every foreign format becomes an annotation set
(see docs/annotation-sets.md), so one importer resolves references, anchors quotes and keeps
imports idempotent for all of them. Modules are imported on first use: a format's libraries
cost nothing until it is used.
"""

from __future__ import annotations

import importlib
import os
import shutil
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, Literal

from annotator.core.formats import FormatError
from annotator.core.formats.brat_common import CONF_NAME, README_NAME, VISUAL_NAME

if TYPE_CHECKING:
    from annotator.core.formats.jsonl_read import ParsedSet
    from annotator.core.formats.selection import Selection
    from annotator.core.store import Project

Shape = Literal["text", "binary", "folder"]


def _load(spec: str) -> Callable[..., Any]:
    module, name = spec.split(":")
    return getattr(importlib.import_module(module), name)


@dataclass(frozen=True)
class ExportFormat:
    name: str
    label: str
    suffix: str  # of the file written ("" for a folder)
    shape: Shape
    writer: str  # "module:function"
    encoding: str = "utf-8"
    options: frozenset[str] = field(default_factory=frozenset)  # keyword options it accepts
    marker: str = ""  # a folder format's own file: a folder holding it is an earlier export

    def write(
        self, project: Project, target: Any, selection: Selection, **options: Any
    ) -> Counter[str]:
        accepted = {k: v for k, v in options.items() if k in self.options}
        return _load(self.writer)(project, target, selection, **accepted)


@dataclass(frozen=True)
class ImportFormat:
    name: str
    label: str
    suffixes: tuple[str, ...]
    reader: str  # "module:function" taking a path, returning a ParsedSet
    in_folders: bool = True  # picked up when a folder is imported (False: only when named)
    companions: tuple[str, ...] = ()  # names of files the reader reads beside its own

    def read(self, path: Path) -> ParsedSet:
        return _load(self.reader)(path)


_F = "annotator.core.formats"
EXPORTS: dict[str, ExportFormat] = {
    f.name: f
    for f in (
        ExportFormat(
            "jsonl",
            "Annotation set (JSONL)",
            ".jsonl",
            "text",
            f"{_F}.jsonl_export:export_jsonl",
            options=frozenset({"with_text"}),
        ),
        ExportFormat(
            "csv", "Table (CSV)", ".csv", "text", f"{_F}.csv_export:export_csv", "utf-8-sig"
        ),
        ExportFormat(
            "qdpx",
            "REFI-QDA project (QDPX)",
            ".qdpx",
            "binary",
            f"{_F}.refi_export:export_qdpx",
        ),
        ExportFormat(
            "qdc", "REFI-QDA codebook (QDC)", ".qdc", "binary", f"{_F}.refi_codebook:export_qdc"
        ),
        ExportFormat(
            "w3c",
            "W3C Web Annotation (JSON-LD)",
            ".jsonld",
            "text",
            f"{_F}.w3c_export:export_w3c",
            options=frozenset({"with_text"}),
        ),
        ExportFormat(
            "brat",
            "brat standoff (folder of .txt and .ann)",
            "",
            "folder",
            f"{_F}.brat_export:export_brat",
            marker="manifest.json",
        ),
        ExportFormat("html", "Report (HTML)", ".html", "text", f"{_F}.html_report:export_html"),
    )
}

IMPORTS: list[ImportFormat] = [
    ImportFormat(
        "jsonl", "Annotation set (JSONL)", (".jsonl", ".ndjson"), f"{_F}.jsonl_read:read_set"
    ),
    ImportFormat("w3c", "W3C Web Annotation (JSON-LD)", (".jsonld",), f"{_F}.w3c_import:read_w3c"),
    # Plain .json (Hypothesis API files) only when named: folders hold manifest.json and the like.
    ImportFormat(
        "w3c",
        "W3C Web Annotation or Hypothesis (JSON)",
        (".json",),
        f"{_F}.w3c_import:read_w3c",
        in_folders=False,
    ),
    ImportFormat("qdpx", "REFI-QDA project (QDPX)", (".qdpx",), f"{_F}.refi_import:read_qdpx"),
    ImportFormat("qdc", "REFI-QDA codebook (QDC)", (".qdc",), f"{_F}.refi_codebook:read_qdc"),
    ImportFormat(
        "brat",
        "brat standoff (.ann)",
        (".ann",),
        f"{_F}.brat_import:read_brat",
        companions=(CONF_NAME, VISUAL_NAME, README_NAME),
    ),
]


def export_format(name: str) -> ExportFormat:
    try:
        return EXPORTS[name]
    except KeyError:
        raise FormatError(f"unknown export format {name!r} (one of {', '.join(EXPORTS)})") from None


def in_folder(path: Path) -> str | None:
    """What the annotation formats make of a file in a folder being imported (see
    ``corpus.OtherImporters``): "" when one reads it, or reads it beside its own files (brat's
    annotation.conf); why not, when its format is read only from a file named on its own."""
    if import_format(path, in_folder=True) is not None:
        return ""
    if any(path.name in fmt.companions for fmt in IMPORTS):
        return ""
    if import_format(path) is not None:
        return "read as annotations only when named on its own, not from a folder"
    return None


def import_format(path: Path, *, in_folder: bool = False) -> ImportFormat | None:
    """The format that reads ``path``, or None for a document (or a file no format claims)."""
    suffix = path.suffix.lower()
    for fmt in IMPORTS:
        if suffix in fmt.suffixes and (fmt.in_folders or not in_folder):
            return fmt
    return None


@contextmanager
def output_target(fmt: ExportFormat, output: Path) -> Iterator[IO[Any] | Path]:
    """A stream or folder to write ``output`` through; it appears only when writing succeeded.

    Everything goes to a ``.partial`` neighbour first and is renamed at the end, so a failed or
    cancelled export never leaves half a file, nor replaces a good one.
    """
    _check_replaceable(fmt, output)
    partial = output.with_name(output.name + ".partial")
    try:
        if fmt.shape == "folder":
            shutil.rmtree(partial, ignore_errors=True)
            partial.mkdir(parents=False)
            yield partial
            if output.is_dir():
                shutil.rmtree(output)
            os.replace(partial, output)
        elif fmt.shape == "binary":
            with partial.open("wb") as handle:
                yield handle
            os.replace(partial, output)
        else:
            with partial.open("w", encoding=fmt.encoding, newline="") as handle:
                yield handle
            os.replace(partial, output)
    finally:
        if partial.is_dir():
            shutil.rmtree(partial, ignore_errors=True)
        else:
            partial.unlink(missing_ok=True)


def _check_replaceable(fmt: ExportFormat, output: Path) -> None:
    """Refuse to replace what is not an earlier export of this format: it may be someone's work."""
    if fmt.shape != "folder":
        if output.is_dir():
            raise FormatError(f"{output} is a folder; {fmt.name} writes a file")
        return
    if output.exists() and not output.is_dir():
        raise FormatError(f"{output} is a file; {fmt.name} writes a folder")
    if not output.is_dir():
        return
    entries = list(output.iterdir())
    earlier_export = (output / fmt.marker).is_file() and all(e.is_file() for e in entries)
    if entries and not earlier_export:
        raise FormatError(
            f"{output} is a folder that is not an earlier {fmt.name} export; "
            "choose an empty or new folder"
        )
