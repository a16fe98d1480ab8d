"""Reads a person waits for never wait behind statistics nobody waits for (issue 17, point 2).

A screen's ``background`` reads (a loop's reliability, a debrief's adjusted means: seconds to minutes over every
rating on a large database) run on the quiet lane, one at a time; a first page runs on the pool writes use,
even while every thread of that pool's size is taken by background reads held open by the test (no sleeps).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QThreadPool
from pytestqt.qtbot import QtBot

from interviewkit.ui.shell.section import SectionWidget, StandaloneHost
from interviewkit.ui.widgets import tasks


class Gates:
    """Background work that waits for the test: each call counts as started, then waits for ``release``."""

    def __init__(self) -> None:
        self.started = 0
        self.lock = threading.Lock()
        self.gate = threading.Event()

    def work(self, name: str) -> str:
        with self.lock:
            self.started += 1
        assert self.gate.wait(20), "the test never let the read finish"
        return name


@pytest.fixture
def gates() -> Iterator[Gates]:
    held = Gates()
    yield held
    held.gate.set()  # never leave a pool thread waiting
    for pool in tasks.pools():
        pool.waitForDone(20000)


def _section(qtbot: QtBot) -> SectionWidget:
    section = SectionWidget()
    qtbot.addWidget(section)
    section.set_host(StandaloneHost(section, reads_in_background=True))  # as in the window
    return section


def test_a_first_page_is_read_while_background_reads_hold_their_lane(qtbot: QtBot, gates: Gates) -> None:
    section = _section(qtbot)
    shown: list[str] = []
    stalled = QThreadPool.globalInstance().maxThreadCount() + 1  # more than the pool a first page runs on
    for i in range(stalled):
        section.fetch(lambda i=i: gates.work(f"statistic {i}"), shown.append, kind=f"statistic {i}", background=True)
    assert not section.loading  # background reads are quiet: the screen shows no busy state for them
    section.fetch(lambda: "first page", shown.append, kind="list")
    assert section.loading
    qtbot.waitUntil(lambda: shown == ["first page"], timeout=10000)
    assert not section.loading
    assert gates.started == 1  # one background read at a time: the others wait on their lane
    gates.gate.set()
    qtbot.waitUntil(lambda: len(shown) == stalled + 1, timeout=20000)
    assert sorted(shown[1:]) == sorted(f"statistic {i}" for i in range(stalled))
