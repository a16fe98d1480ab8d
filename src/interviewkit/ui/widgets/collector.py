"""Python's cycle collector, run on the GUI thread only.

Python collects reference cycles in whichever thread happens to allocate when a generation's threshold
is crossed: a background task reading rows (ui/widgets/tasks.py), the cockpit's recovery writer. When a
cycle it frees holds a Qt object that lives in the GUI thread (a widget, a model, a signal connection),
that object is destroyed in the wrong thread, and Qt crashes (a segmentation fault, seen in CI while the
debrief's adjusted means were read in the background). So the automatic collector is switched off and
this collector runs the generations that are due from a timer in the GUI thread, as it would have run.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QCoreApplication, QObject, QTimer

__all__ = ["GuiThreadCollector", "collect_due", "install"]

INTERVAL_MS = 500


def collect_due() -> int:
    """Collect the oldest generation whose threshold has been crossed (as the automatic collector would).

    Returns the generation collected, or -1 when none was due.
    """
    thresholds = gc.get_threshold()
    counts = gc.get_count()
    for generation in (2, 1, 0):
        if counts[generation] > thresholds[generation]:
            gc.collect(generation)
            return generation
    return -1


class GuiThreadCollector(QObject):
    """Switches automatic collection off and collects what is due every half second, in the GUI thread."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        gc.disable()
        self._timer = QTimer(self)
        self._timer.setInterval(INTERVAL_MS)
        self._timer.timeout.connect(collect_due)
        self._timer.start()


_installed: GuiThreadCollector | None = None


def install() -> GuiThreadCollector:
    """Install the collector for this application (once); the timer lives as long as the application."""
    global _installed  # noqa: PLW0603 - one per process
    if _installed is None:
        _installed = GuiThreadCollector(QCoreApplication.instance())
    return _installed
