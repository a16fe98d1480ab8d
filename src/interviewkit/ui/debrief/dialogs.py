"""The debrief lead's override: see every submitted scorecard before all are in, for a stated reason.

Independent judgement comes first, so the override is deliberate: it asks why, and the reason goes into
the candidate's audit trail. The dialog does not write: OK hands the reason to the screen
(:attr:`OverrideDialog.sig_submitted`), which runs ``override_independence`` off the GUI thread and answers
with :meth:`OverrideDialog.done_saving` or :meth:`OverrideDialog.refuse` (the service decides who may
override; a refusal is shown in the dialog, with the reason as typed).
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDialog, QLineEdit, QWidget

from interviewkit.services.context import AppContext
from interviewkit.services.errors import ValidationFailed
from interviewkit.ui.widgets.record_dialog import RecordDialog

__all__ = ["OverrideDialog"]


class OverrideDialog(RecordDialog):
    """Ask the reason; ``sig_submitted`` carries the candidate id and the reason, ``sig_saved`` the candidate
    id once the override is recorded."""

    sig_submitted = Signal(int, str)
    """OK: override for this candidate id with this reason (the screen runs the write)."""

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

    def accept(self) -> None:
        """OK (Enter): hand the reason to the screen; the dialog waits, open, for the answer."""
        if not self.ok_button.isEnabled():
            return
        self.ok_button.setEnabled(False)
        self.sig_submitted.emit(self.candidate_id, self.reason.text())

    def done_saving(self) -> None:
        """The override is recorded: close."""
        self.ok_button.setEnabled(True)
        self.form.clear_problems()
        self.saved = self.candidate_id
        self.sig_saved.emit(self.candidate_id)
        QDialog.accept(self)

    def refuse(self, exc: BaseException) -> None:
        """The service refused: its problems under the fields, the dialog open with the reason as typed."""
        self.ok_button.setEnabled(True)
        self._show_problems(list(exc.problems) if isinstance(exc, ValidationFailed) else [str(exc)])
