"""Work run off the GUI thread (ui/widgets/tasks.py)."""

from __future__ import annotations

import shiboken6
from pytestqt.qtbot import QtBot

from interviewkit.ui.widgets.tasks import BackgroundTask, _Dispatcher, run_in_background


def test_a_result_comes_back_on_the_gui_thread(qtbot: QtBot) -> None:
    got: list[object] = []
    run_in_background(lambda: 6 * 7, got.append, got.append)
    qtbot.waitUntil(lambda: got == [42])


def test_work_that_ends_after_the_application_quit_says_nothing(qtbot: QtBot) -> None:
    """A read still running when the window closes and the application goes (the dispatcher with it) ended
    with "RuntimeError: Signal source has been deleted" on stderr, from the pool thread."""
    dispatcher = _Dispatcher()
    task = BackgroundTask(1, lambda: "late", dispatcher)
    shiboken6.delete(dispatcher)
    task.run()  # the pool would call this; nothing is raised, nothing delivered
    failing = BackgroundTask(2, lambda: 1 / 0, _gone())
    failing.run()


def _gone() -> _Dispatcher:
    dispatcher = _Dispatcher()
    shiboken6.delete(dispatcher)
    return dispatcher
