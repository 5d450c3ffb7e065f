"""The mechanics of writing a large project.qde: lists opened at their first item, empty
elements, elements written as text where lxml would be too slow, and compression on a second
thread."""

from __future__ import annotations

import re
from contextlib import ExitStack
from typing import IO, Any

from annotator.core.formats.background import Background
from annotator.core.formats.refi_common import xml_safe

# As libxml2 escapes attribute values, so text written here reads as lxml's own.
_SPECIAL = re.compile('[&<>"\n\r\t\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]')
_ATTRIBUTE_ESCAPES = str.maketrans(
    {
        "&": "&amp;",
        "<": "&lt;",
        ">": "&gt;",
        '"': "&quot;",
        "\n": "&#10;",
        "\r": "&#13;",
        "\t": "&#9;",
    }
)


def escaped(value: str) -> str:
    """A value from the project as libxml2 writes it in an attribute; ids need no escaping."""
    if _SPECIAL.search(value) is None:
        return value
    if xml_safe(value) != value:
        raise ValueError("All strings must be XML compatible")  # as lxml would say
    return value.translate(_ATTRIBUTE_ESCAPES)


def element(tag: str, attrs: dict[str, str], content: str = "") -> str:
    """An element (of the default namespace) as text, the way lxml's xmlfile writes it.

    Attribute values go in as given: ``escaped`` those that are not ids derived here,
    numbers or checked times (escaping every value would cost a second on 200,000 spans)."""
    pairs = "".join([f' {name}="{value}"' for name, value in attrs.items()])
    return f"<{tag}{pairs}>{content}</{tag}>"


def write_text(xf: Any, stream: IO[bytes], xml: str) -> None:
    """Elements made by ``element`` into the current one of ``xf``, which writes to ``stream``.

    Two hundred thousand spans written through lxml's context managers take seconds; as text
    a fraction of that."""
    xf.flush()
    stream.write(xml.encode("utf-8"))


def empty(xf: Any, tag: str, **attrs: str) -> None:
    """An element without content. (An lxml Element written whole would declare the namespace
    again on every one.)"""
    with xf.element(tag, attrs):
        pass


class Lazy:
    """A list element opened at its first item: the schema wants no empty lists."""

    def __init__(self, xf: Any, tag: str) -> None:
        self.xf, self.tag, self.stack = xf, tag, ExitStack()
        self.opened = False

    def item(self) -> None:
        if not self.opened:
            self.stack.enter_context(self.xf.element(self.tag))
            self.opened = True

    def __enter__(self) -> Lazy:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stack.close()


class CompressingWriter:
    """Passes what lxml writes, a megabyte at a time, to a thread that compresses it into the
    archive (see Background): writing the XML and compressing it use two cores."""

    def __init__(self, member: IO[bytes], chunk: int = 2**20) -> None:
        self.chunk = chunk
        self.pending: list[bytes] = []
        self.size = 0
        self.background: Background[bytes] = Background(member.write, "qdpx-compress")
        self.thread = self.background.thread

    def write(self, data: bytes) -> int:
        self.pending.append(data)
        self.size += len(data)
        if self.size >= self.chunk:
            self._hand_over()
        return len(data)

    def _hand_over(self) -> None:
        self.background.put(b"".join(self.pending))
        self.pending, self.size = [], 0

    def __enter__(self) -> CompressingWriter:
        return self

    def __exit__(self, kind: type[BaseException] | None, *rest: object) -> None:
        with self.background:
            if kind is None:
                self._hand_over()
