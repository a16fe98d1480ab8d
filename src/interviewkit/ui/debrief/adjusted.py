"""The leniency-adjusted means of the candidate shown, computed by calibration off the GUI thread."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from shiboken6 import isValid

from interviewkit.services.context import AppContext
from interviewkit.services.debrief import Debrief
from interviewkit.ui.widgets.tasks import run_in_background

if TYPE_CHECKING:  # the module itself is imported when needed (see request)
    from interviewkit.services.calibration import CandidateAdjustment

__all__ = ["AdjustedMeans"]


class AdjustedMeans(QObject):
    """Asks calibration for a candidate's adjusted means; says when they are ready."""

    sig_ready = Signal(int, object, str)
    """The adjusted means of this candidate id (competency id -> mean) and the line that explains them."""

    def request(self, ctx: AppContext, d: Debrief) -> None:
        """Compute them for a viewer who sees every scorecard (they draw on the whole panel's ratings)."""
        if d.hidden_count or not d.columns:
            return
        db, user, candidate_id = ctx.db, ctx.user_id, d.candidate_id

        def work() -> CandidateAdjustment | None:
            # Deferred on purpose: the calibration service loads numpy and scipy (seconds), needed only here.
            from interviewkit.services.calibration import candidate_adjustment

            return candidate_adjustment(db, candidate_id, by=user)

        run_in_background(work, self._computed, _ignore)

    def _computed(self, result: CandidateAdjustment | None) -> None:
        if result is not None and isValid(self):
            self.sig_ready.emit(result.candidate_id, dict(result.adjusted), result.explanation)


def _ignore(_exc: BaseException) -> None:
    """The adjusted means are an extra: without them the grid shows the raw means, as it says."""
