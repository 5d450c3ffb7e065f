"""The mechanics of writing a large project.qde: lists opened at their first item, empty
elements, and compression on a second thread."""

from __future__ import annotations

import queue
import threading
from contextlib import ExitStack
from typing import IO, Any


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
    """Passes what lxml writes to a thread that compresses it into the archive. zlib lets go of
    the interpreter while it works, so writing the XML and compressing it use two cores; the
    queue is short, so memory stays a few megabytes whatever the size of the export."""

    def __init__(self, member: IO[bytes], chunk: int = 2**20) -> None:
        self.member, self.chunk = member, chunk
        self.pending: list[bytes] = []
        self.size = 0
        self.queue: queue.Queue[bytes | None] = queue.Queue(maxsize=4)
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._drain, name="qdpx-compress", daemon=True)
        self.thread.start()

    def write(self, data: bytes) -> int:
        self.pending.append(data)
        self.size += len(data)
        if self.size >= self.chunk:
            self._hand_over()
        return len(data)

    def _hand_over(self) -> None:
        if self.error is not None:
            raise self.error
        self.queue.put(b"".join(self.pending))
        self.pending, self.size = [], 0

    def _drain(self) -> None:
        while (data := self.queue.get()) is not None:
            if self.error is None:
                try:
                    self.member.write(data)
                except BaseException as error:  # raised again in the writing thread
                    self.error = error

    def __enter__(self) -> CompressingWriter:
        return self

    def __exit__(self, kind: type[BaseException] | None, *rest: object) -> None:
        try:
            if kind is None:
                self._hand_over()
        finally:
            self.queue.put(None)
            self.thread.join()
        if kind is None and self.error is not None:
            raise self.error
