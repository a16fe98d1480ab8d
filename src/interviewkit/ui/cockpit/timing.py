"""The interview's clocks: the stage's running time and each question's, on the monotonic clock."""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping

__all__ = ["InterviewClock", "format_clock"]


def format_clock(seconds: float) -> str:
    """m:ss, or h:mm:ss past an hour."""
    seconds = max(0, int(seconds))
    h, rest = divmod(seconds, 3600)
    m, s = divmod(rest, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"


class InterviewClock:
    """Time spent on a scorecard: ``base_elapsed`` (saved) plus the time since it started running here,
    and the seconds spent on each question (by asked id) plus the time on the current one."""

    def __init__(self, now: Callable[[], float] = time.monotonic) -> None:
        self._now = now
        self.base_elapsed = 0.0
        self.seconds: dict[int, float] = {}
        self._run_started: float | None = None
        self._question_started: float | None = None

    def reset(self, elapsed: float, seconds: Mapping[int, float], *, running: bool) -> None:
        """Start from a scorecard's saved times; ``running`` for a draft (a submitted one stands still)."""
        self.base_elapsed = elapsed
        self.seconds = dict(seconds)
        now = self._now()
        self._run_started = now if running else None
        self._question_started = now if running else None

    def stop(self) -> None:
        self._run_started = self._question_started = None

    @property
    def running(self) -> bool:
        return self._question_started is not None

    def elapsed(self) -> float:
        extra = self._now() - self._run_started if self._run_started is not None else 0.0
        return self.base_elapsed + extra

    def question_seconds(self, asked_id: int | None) -> float:
        """The time on a question, counting the running stretch (which belongs to the current question)."""
        if asked_id is None:
            return 0.0
        running = self._now() - self._question_started if self._question_started is not None else 0.0
        return self.seconds.get(asked_id, 0.0) + running

    def leave(self, asked_id: int) -> float | None:
        """Close the current question's running stretch; its new total (None when the clock stands still)."""
        if self._question_started is None:
            return None
        now = self._now()
        self.seconds[asked_id] = self.seconds.get(asked_id, 0.0) + (now - self._question_started)
        self._question_started = now
        return self.seconds[asked_id]
