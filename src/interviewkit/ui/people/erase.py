"""Erase a candidate's personal data: a confirmation that names the candidate and says what goes and what stays.

Only admins see the action (People → Candidates → "Erase personal data…"); the service checks again. The
destructive button is not the default one: Enter in the reason field does nothing until a reason is given,
Esc cancels.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QLineEdit, QVBoxLayout, QWidget

from interviewkit.ui.people.forms import ProblemForm, grow_to_fit

if TYPE_CHECKING:
    from interviewkit.services.context import AppContext
    from interviewkit.services.people import CandidateInfo

__all__ = ["EraseCandidateDialog"]


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class EraseCandidateDialog(QDialog):
    """Confirm, with a reason, then erase; :attr:`sig_saved` carries the candidate as stored afterwards."""

    sig_saved = Signal(object)
    """The candidate's personal data was erased (the CandidateInfo as it is now)."""

    def __init__(self, ctx: AppContext, candidate: CandidateInfo, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        from interviewkit.services.privacy import erased_label, erasure_preview

        self._ctx = ctx
        self.candidate = candidate
        self.saved: CandidateInfo | None = None
        self.setWindowTitle("Erase personal data")
        self.setObjectName("eraseCandidateDialog")
        self.setMinimumWidth(520)
        self.fields = erasure_preview(ctx.db, candidate.id, by=ctx.user_id)

        heading = QLabel()
        heading.setObjectName("eraseHeading")
        heading.setProperty("role", "heading")
        heading.setWordWrap(True)
        heading.setTextFormat(Qt.TextFormat.PlainText)
        heading.setText(f"Erase {candidate.name}’s personal data?")
        who = QLabel(f"Candidate {candidate.id} · {candidate.opening_title}")
        who.setProperty("role", "subtle")
        who.setTextFormat(Qt.TextFormat.PlainText)
        items = "".join(f"<li>{_esc(f)}</li>" for f in self.fields)
        self.goes = QLabel(f"<b>What goes, everywhere in the database:</b><ul style='margin-top:2px'>{items}</ul>")
        self.goes.setObjectName("eraseGoes")
        self.goes.setWordWrap(True)
        self.goes.setTextFormat(Qt.TextFormat.RichText)
        self.stays = QLabel(
            f"<b>What stays:</b> ratings, recommendations and the decision’s outcome, under "
            f"“{_esc(erased_label(candidate.id))}”, so interviewer calibration is unchanged.<br><br>"
            "<b>This cannot be undone.</b> The audit trail records who erased the data, when and why, "
            "but not the data."
        )
        self.stays.setWordWrap(True)
        self.stays.setTextFormat(Qt.TextFormat.RichText)
        self.reason = QLineEdit(placeholderText="e.g. Requested by the candidate by email on 30 Nov")
        self.reason.setAccessibleName("Reason for the erasure")
        self.form = ProblemForm()
        self.form.add_row("&Reason:", self.reason, hint="Recorded in the audit trail; do not repeat the name.")

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.erase_button = self.buttons.addButton("&Erase personal data", QDialogButtonBox.ButtonRole.DestructiveRole)
        self.erase_button.setObjectName("eraseButton")
        self.erase_button.setAutoDefault(False)
        self.erase_button.setEnabled(False)
        cancel = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        cancel.setToolTip("Close without erasing anything (Esc)")
        self.erase_button.clicked.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.reason.textChanged.connect(lambda t: self.erase_button.setEnabled(bool(t.strip())))

        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 16, 18, 14)
        layout.setSpacing(10)
        layout.addWidget(heading)
        layout.addWidget(who)
        layout.addWidget(self.goes)
        layout.addWidget(self.stays)
        layout.addWidget(self.form)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        self.setTabOrder(self.reason, self.erase_button)
        self.setTabOrder(self.erase_button, cancel)
        self.reason.setFocus(Qt.FocusReason.OtherFocusReason)

    def accept(self) -> None:
        """Erase; on refusal (no reason, no right, already erased) say why and stay open."""
        from interviewkit.services.errors import ServiceError, ValidationFailed
        from interviewkit.services.people import candidate
        from interviewkit.services.privacy import erase_candidate

        if not self.erase_button.isEnabled():
            return
        try:
            erase_candidate(self._ctx.db, self.candidate.id, by=self._ctx.user_id, reason=self.reason.text())
        except ValidationFailed as exc:
            self.form.show_problems(list(exc.problems))
            grow_to_fit(self)
            return
        except ServiceError as exc:
            self.form.show_problems([str(exc)])
            grow_to_fit(self)
            return
        self.saved = candidate(self._ctx.db, self.candidate.id, by=self._ctx.user_id)
        self.sig_saved.emit(self.saved)
        super().accept()
