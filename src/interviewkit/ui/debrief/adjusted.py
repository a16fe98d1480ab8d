"""The leniency-adjusted means of the candidate shown, computed by calibration off the GUI thread.

They are an extra, and dear: every submitted rating of the database is fitted (seconds of CPU per candidate on
a large database). So they are asked for only once a candidate has stayed shown for :attr:`AdjustedMeans.SETTLE_MS`
(moving through the list or typing in its search starts none) while the section is shown (behind another
section, or in a window closed meanwhile, they wait until it shows again), on the quiet lane
(:meth:`SectionWidget.fetch` with ``background``: one at a time, behind nothing a person waits for), and a newer
request replaces one still waiting.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QTimer, Signal

from interviewkit.services.context import AppContext
from interviewkit.services.debrief import Debrief

if TYPE_CHECKING:  # the module itself is imported when needed (see _start)
    from interviewkit.services.calibration import CandidateAdjustment
    from interviewkit.ui.shell.section import SectionWidget

__all__ = ["AdjustedMeans"]


class AdjustedMeans(QObject):
    """Asks calibration for a candidate's adjusted means for ``section``; says when they are ready, if
    ``context()`` (the section's database and person) is still the one they were computed for."""

    SETTLE_MS = 400

    sig_ready = Signal(int, object, str)
    """The adjusted means of this candidate id (competency id -> mean) and the line that explains them."""

    def __init__(self, section: SectionWidget, context: Callable[[], AppContext | None]) -> None:
        super().__init__(section)
        self._section, self._context = section, context
        self._wanted: tuple[AppContext, Debrief] | None = None
        self.settle_ms = self.SETTLE_MS  # how long a candidate stays shown before its means are asked for
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._start)
        section.installEventFilter(self)  # shown again: what is still wanted is asked for

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if watched is self._section and event.type() == QEvent.Type.Show and self._wanted is not None:
            self._timer.start(self.settle_ms)
        return False

    @property
    def waiting(self) -> bool:
        """A request is waiting for its candidate to settle."""
        return self._timer.isActive()

    def request(self, ctx: AppContext, d: Debrief) -> None:
        """Compute them for a viewer who sees every scorecard (they draw on the whole panel's ratings), once
        this candidate has stayed shown a moment."""
        if d.hidden_count or not d.columns:
            self.cancel()
            return
        self._wanted = (ctx, d)
        self._timer.start(self.settle_ms)  # again: only the candidate a person stays on is computed

    def cancel(self) -> None:
        """Nothing to compute (none shown, or another person or database)."""
        self._wanted = None
        self._timer.stop()

    def _start(self) -> None:
        if self._wanted is None or not self._section.isVisible():
            return  # (hidden: kept for when the section shows again)
        ctx, d = self._wanted
        self._wanted = None
        db, user, candidate_id = ctx.db, ctx.user_id, d.candidate_id

        def work() -> CandidateAdjustment | None:
            # Deferred on purpose: the calibration service loads numpy and scipy (seconds), needed only here.
            from interviewkit.services.calibration import candidate_adjustment

            return candidate_adjustment(db, candidate_id, by=user)

        def computed(result: CandidateAdjustment | None) -> None:
            now = self._context()
            if result is not None and now is ctx and now.user_id == user:
                self.sig_ready.emit(result.candidate_id, dict(result.adjusted), result.explanation)

        self._section.fetch(work, computed, kind="adjusted", failed=_ignore, background=True)


def _ignore(_exc: BaseException) -> None:
    """The adjusted means are an extra: without them the grid shows the raw means, as it says."""
