"""A screen's reads off the GUI thread: one at a time per kind, the newest wins, a busy state meanwhile.

:class:`Loads` belongs to a :class:`~interviewkit.ui.shell.section.SectionWidget` (its ``fetch``). Every read
runs off the GUI thread (:func:`~interviewkit.ui.widgets.tasks.run_in_background`), on the pool that writes
use too or, quiet, on the quiet lane.
Per kind of read (the list, the record shown, a secondary figure...):

* at most one runs at a time: a request made while one runs waits, and a newer request replaces a waiting
  one, so typing in a filter or a burst of change events never piles work up on the pool;
* only the newest request's result is shown: one started before it is dropped when it ends;
* the screen is busy while a kind that shows its first content is pending; a ``quiet`` kind (what streams
  in after the first content) does not count;
* a ``background`` kind (a quiet read nobody waits for: a loop's reliability, a debrief's adjusted means) runs on
  the quiet lane (:data:`~interviewkit.ui.widgets.tasks.QUIET`, a thread of its own), so that a first page,
  the record selected or the next page of a list never waits behind it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from interviewkit.ui.widgets.tasks import QUIET, run_in_background

__all__ = ["Loads", "Request"]


@dataclass(frozen=True)
class Request:
    """One read: the work (on a worker thread), what to do with its result or failure (GUI thread)."""

    generation: int
    work: Callable[[], Any]
    done: Callable[[Any], None]
    failed: Callable[[BaseException], None]


class Loads:
    """The reads of one screen; ``on_busy(busy)`` is called when the screen starts or stops being busy, and
    ``alive()`` says whether the screen still exists (a read may end after its window was closed)."""

    def __init__(self, on_busy: Callable[[bool], None], alive: Callable[[], bool]) -> None:
        self._on_busy = on_busy
        self._alive = alive
        self._generation: dict[str, int] = {}
        self._pending: set[str] = set()  # kinds whose newest request has not been shown yet
        self._quiet: set[str] = set()
        self._background: set[str] = set()
        self._running: set[str] = set()
        self._waiting: dict[str, Request] = {}

    @property
    def busy(self) -> bool:
        return bool(self._pending - self._quiet)

    def next_generation(self, kind: str) -> int:
        self._generation[kind] = self._generation.get(kind, 0) + 1
        return self._generation[kind]

    def is_current(self, kind: str, generation: int) -> bool:
        return self._generation.get(kind) == generation

    def start(self, kind: str, request: Request, *, quiet: bool = False, background: bool = False) -> None:
        """Run ``request`` now, or after the read of this kind that runs now (replacing one that waits);
        ``background`` implies ``quiet``."""
        (self._quiet.add if quiet or background else self._quiet.discard)(kind)
        (self._background.add if background else self._background.discard)(kind)
        self._mark(kind, pending=True)
        if kind in self._running:
            self._waiting[kind] = request
            return
        self._run(kind, request)

    def _run(self, kind: str, request: Request) -> None:
        self._running.add(kind)

        def ok(result: Any) -> None:
            if self._ended(kind, request):
                request.done(result)

        def refused(exc: BaseException) -> None:
            if self._ended(kind, request):
                request.failed(exc)

        run_in_background(request.work, ok, refused, lane=QUIET if kind in self._background else "")

    def _ended(self, kind: str, request: Request) -> bool:
        """A read of ``kind`` ended: start the one waiting; True when its result is the one to show."""
        self._running.discard(kind)
        if not self._alive():
            return False
        waiting = self._waiting.pop(kind, None)
        if waiting is not None and self.is_current(kind, waiting.generation):
            self._run(kind, waiting)
        if not self.is_current(kind, request.generation):
            return False
        self._mark(kind, pending=False)
        return True

    def cancel(self) -> None:
        """Drop every result to come (the database or the person changed)."""
        for kind in list(self._generation):
            self._generation[kind] += 1
        self._waiting.clear()
        for kind in list(self._pending):
            self._mark(kind, pending=False)

    def _mark(self, kind: str, *, pending: bool) -> None:
        before = self.busy
        (self._pending.add if pending else self._pending.discard)(kind)
        if self.busy != before:
            self._on_busy(self.busy)
