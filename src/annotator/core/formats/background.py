"""Work handed to a second thread: compressing, creating files. zlib and the file system let go
of the interpreter while they work, so an export's own thread goes on making the next piece and
two cores are used. The queue is short: memory stays a few pieces whatever the export's size."""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")
_DONE = object()


class Background(Generic[T]):
    """``handle`` called on a second thread with each piece ``put``, in order. A failure there
    is raised in the putting thread at its next ``put`` or when the block ends."""

    def __init__(self, handle: Callable[[T], object], name: str, *, queued: int = 4) -> None:
        self.handle = handle
        self.queue: queue.Queue[object] = queue.Queue(maxsize=queued)
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._drain, name=name, daemon=True)
        self.thread.start()

    def put(self, piece: T) -> None:
        if self.error is not None:
            raise self.error
        self.queue.put(piece)

    def _drain(self) -> None:
        while (piece := self.queue.get()) is not _DONE:
            if self.error is None:  # after a failure the rest is only taken off the queue
                try:
                    self.handle(piece)  # type: ignore[arg-type]
                except BaseException as error:  # raised again in the putting thread
                    self.error = error

    def __enter__(self) -> Background[T]:
        return self

    def __exit__(self, kind: type[BaseException] | None, *rest: object) -> None:
        self.queue.put(_DONE)
        self.thread.join()
        if kind is None and self.error is not None:
            raise self.error
