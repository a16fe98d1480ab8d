"""Work that waits for a window's first paint: the window appears first, then fills in."""

from __future__ import annotations

from PySide6.QtGui import QPaintEvent
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from interviewkit.ui.shell.first_paint import AfterFirstPaint


class _Counting(QWidget):
    def __init__(self) -> None:
        super().__init__()
        self.paints = 0

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        self.paints += 1
        super().paintEvent(event)


def test_work_runs_after_the_first_paint_in_the_order_given(qtbot: QtBot) -> None:
    window = _Counting()
    qtbot.addWidget(window)
    after = AfterFirstPaint(window, fallback_ms=60_000)  # no fallback within the test
    ran: list[tuple[str, int]] = []
    after.call(lambda: ran.append(("menus", window.paints)))
    after.call(lambda: ran.append(("section", window.paints)))
    window.show()
    qtbot.waitUntil(lambda: len(ran) == 2)
    assert [name for name, _ in ran] == ["menus", "section"]
    assert all(paints >= 1 for _, paints in ran)  # the window had been painted before
    after.call(lambda: ran.append(("later", window.paints)))  # after the first paint: on the next turn
    assert len(ran) == 2
    qtbot.waitUntil(lambda: len(ran) == 3)


def test_a_window_that_is_never_painted_gets_the_work_after_the_fallback(qtbot: QtBot) -> None:
    window = _Counting()
    qtbot.addWidget(window)
    after = AfterFirstPaint(window, fallback_ms=50)
    ran: list[int] = []
    after.call(lambda: ran.append(window.paints))
    qtbot.waitUntil(lambda: ran == [0])  # never shown, never painted
