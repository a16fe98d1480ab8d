"""Cycles are collected in the GUI thread, never in a worker (ui/widgets/collector.py)."""

from __future__ import annotations

import gc
import threading
import weakref

from PySide6.QtCore import QObject

from interviewkit.ui.shell.app import make_application


class _Holder(QObject):
    """A Qt object in a reference cycle, as a widget holding a closure over itself is."""

    def __init__(self) -> None:
        super().__init__()
        self.me = self
        self.freed_in: list[str] = []


def test_the_app_switches_automatic_collection_off_and_its_timer_collects_cycles(qtbot) -> None:  # type: ignore[no-untyped-def]
    make_application()
    assert not gc.isenabled()
    ref = weakref.ref(_Holder())
    assert ref() is not None  # only a collection frees a cycle
    # Allocate past generation 0's threshold so that a collection is due, then let the event loop run.
    junk = [[] for _ in range(gc.get_threshold()[0] * 2)]
    qtbot.waitUntil(lambda: ref() is None, timeout=5000)
    del junk


def test_allocating_in_a_worker_thread_collects_nothing() -> None:
    make_application()
    ref = weakref.ref(_Holder())
    seen: list[bool] = []

    def allocate() -> None:
        keep = [[] for _ in range(gc.get_threshold()[0] * 20)]
        seen.append(ref() is not None)
        del keep

    worker = threading.Thread(target=allocate)
    worker.start()
    worker.join()
    assert seen == [True]  # the worker allocated well past every threshold; the cycle was left alone
    gc.collect()
    assert ref() is None
