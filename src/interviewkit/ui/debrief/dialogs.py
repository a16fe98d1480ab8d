"""The debrief lead's override: see every submitted scorecard before all are in, for a stated reason.

Independent judgement comes first, so the override is deliberate: it asks why, and the reason goes into
the candidate's audit trail. The service decides who may override; a refusal is shown in the dialog.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QLineEdit, QWidget

from interviewkit.ui.widgets.record_dialog import RecordDialog

if TYPE_CHECKING:
    from interviewkit.services.context import AppContext

__all__ = ["OverrideDialog"]


class OverrideDialog(RecordDialog):
    """Ask the reason, then call ``override_independence``; ``sig_saved`` carries the candidate id."""

    def __init__(
        self, ctx: AppContext, candidate_id: int, *, candidate: str, why_hidden: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(
            ctx,
            title="Show the scorecards before all are in",
            ok_text="&Override and show",
            intro=(
                f"{why_hidden}\n\nOverriding shows you every submitted scorecard for {candidate} now. "
                "Your reason is kept in the candidate's audit trail."
            ),
            parent=parent,
        )
        self.setObjectName("overrideDialog")
        self.candidate_id = candidate_id
        self.reason = QLineEdit(placeholderText="e.g. the last interviewer is ill; the panel meets today")
        self.form.add_row("&Reason:", self.reason, hint="Required. Visible to everyone who reads the audit trail.")
        self._finish_tab_order()

    def save(self) -> int:
        from interviewkit.services.debrief import override_independence

        if self._ctx.user_id is None:
            from interviewkit.services.errors import PermissionDenied

            raise PermissionDenied("Choose who you are first (File → Switch person)")
        override_independence(self._ctx.db, self.candidate_id, self._ctx.user_id, self.reason.text())
        return self.candidate_id
