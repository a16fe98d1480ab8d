"""The Loops section's first content is its list (issue 17): the selected loop's detail and coverage are read
after it, quietly, on the thread pool, so a slow loop read (1.4-3.4 s on the large demo) neither keeps the
section busy nor delays the list; the loop then shows as before."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from interviewkit.services.access import LOCAL_ADMIN
from interviewkit.services.loops import create_loop
from interviewkit.ui.loops import view as loops_view
from interviewkit.ui.loops.view import LoopsView
from interviewkit.ui.shell.section import StandaloneHost

from .conftest import Seed


class HeldLoopReads:
    """``read_loop`` made to wait for the test (on its worker thread), recording the threads it ran on."""

    def __init__(self) -> None:
        self.gate = threading.Event()
        self.threads: list[threading.Thread] = []


@pytest.fixture
def held(monkeypatch: pytest.MonkeyPatch) -> Iterator[HeldLoopReads]:
    record = HeldLoopReads()
    real = loops_view.read_loop

    def wrapped(*args: Any, **kwargs: Any) -> Any:
        record.threads.append(threading.current_thread())
        assert record.gate.wait(20), "the test never let the loop's read finish"
        return real(*args, **kwargs)

    monkeypatch.setattr(loops_view, "read_loop", wrapped)
    yield record
    record.gate.set()  # never leave a pool thread waiting


def test_the_list_is_the_first_content_and_the_loop_streams_in_after(
    qtbot: QtBot, seed: Seed, held: HeldLoopReads
) -> None:
    older = create_loop(seed.ctx.db, seed.other_candidate_id, name="Older loop", by=LOCAL_ADMIN).id
    newest = create_loop(seed.ctx.db, seed.candidate_id, name="Newest loop", by=LOCAL_ADMIN).id
    view = LoopsView()
    qtbot.addWidget(view)
    view.set_host(StandaloneHost(view, reads_in_background=True))  # as in the window
    view.resize(1200, 760)
    view.set_context(seed.ctx)
    view.show()
    # The list is shown and the section is no longer busy while the loop's read still waits on a worker.
    qtbot.waitUntil(lambda: not view.loading and view.list_pane.model.rowCount() == 2, timeout=10000)
    qtbot.waitUntil(lambda: bool(held.threads), timeout=10000)
    assert view.current_loop_id() == newest
    assert view.page.detail is None and view.right_stack.currentWidget() is view.placeholder_page
    assert view.placeholder.text() == "Reading the loop…"
    assert all(thread is not threading.main_thread() for thread in held.threads)
    held.gate.set()
    qtbot.waitUntil(lambda: view.page.detail is not None and view.page.detail.id == newest, timeout=10000)
    assert view.right_stack.currentWidget() is view.page
    assert "Newest loop" in view.page.subheader.text() and view.page.isEnabled()
    # Choosing another loop reads it the same way, without a busy section: the loop shown is greyed out
    # until the chosen one is read.
    assert view.select_loop(older)
    assert not view.loading and not view.page.isEnabled()
    qtbot.waitUntil(lambda: view.page.detail is not None and view.page.detail.id == older, timeout=10000)
    assert view.page.isEnabled() and "Older loop" in view.page.subheader.text()


def test_opening_the_section_does_not_import_the_statistics() -> None:
    """The reliability's statistics (domain.calibration, ~0.5 s to import: most of the open stall on the large
    demo) are imported by the reliability read on the thread pool, not when the section is built."""
    code = "import sys; import interviewkit.ui.loops.view; sys.exit('interviewkit.domain.calibration' in sys.modules)"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    assert subprocess.run([sys.executable, "-c", code], check=False, env=env, timeout=120).returncode == 0
