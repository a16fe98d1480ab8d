"""Amending a submitted scorecard (with a reason), and the audit trail that records it.

The dialog only gathers the amendment: the cockpit records it (off the GUI thread) and tells the dialog
how it went, so a refused amendment leaves the dialog open with everything typed and the reason why.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from interviewkit.services.audit import audit_trail
from interviewkit.services.context import AppContext
from interviewkit.services.errors import ServiceError, ValidationFailed
from interviewkit.services.interview_views import audit_html
from interviewkit.services.scorecards import RatingState, ScorecardState
from interviewkit.ui.cockpit.checklist import EvidenceList

__all__ = ["AmendDialog", "Amendment", "AuditTrailView"]

NA = 0  # the combo's value for "not assessed"


class AuditTrailView(QTextBrowser):
    """Read-only list of the audit entries of one scorecard."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("auditTrail")
        self.setOpenLinks(False)

    def show_for(self, ctx: AppContext, state: ScorecardState) -> None:
        names = {c.id: c.name for c in state.focus}
        titles = {q.asked_id: q.title for q in state.questions}
        self.setHtml(audit_html(audit_trail(ctx.db, "scorecard", state.id, by=ctx.user_id), names, titles))


@dataclass(frozen=True)
class Amendment:
    """What the person changed (None: unchanged) and why."""

    reason: str
    ratings: dict[str, RatingState] | None
    recommendation: str | None
    summary: str | None
    ticks: dict[int, tuple[int, ...]] | None = None  # asked id -> every evidence item ticked


RECORD_TEXT = "Record amendment"


class RecordingDialog(QDialog):
    """A dialog that asks its page to record what was typed (:meth:`amendment`) and waits: the page runs the
    write off the GUI thread and closes the dialog, or hands the refusal back (:meth:`refused`)."""

    sig_amend_requested = Signal(object)
    """The person asked to record :meth:`amendment`; the dialog waits for :meth:`refused` or closes."""

    ok_button: QPushButton
    problems: QLabel

    def amendment(self) -> object:
        raise NotImplementedError

    def apply(self) -> None:
        """Record amendment: ask the page to record it, and wait."""
        if not self.ok_button.isEnabled():
            return  # already being recorded
        self.problems.setText("")
        self.ok_button.setEnabled(False)
        self.ok_button.setText("Recording…")
        self.sig_amend_requested.emit(self.amendment())

    def refused(self, exc: BaseException) -> None:
        """The amendment was not recorded: say why; everything typed stays."""
        self.ok_button.setEnabled(True)
        self.ok_button.setText(RECORD_TEXT)
        if isinstance(exc, ValidationFailed):
            self.problems.setText("⚠ " + "\n⚠ ".join(exc.problems))
        elif isinstance(exc, ServiceError):
            self.problems.setText(f"⚠ {exc}")
        else:
            self.problems.setText(f"⚠ Not recorded: the database did not answer ({exc}). Try again in a moment.")


class AmendDialog(RecordingDialog):
    """Change ratings, the evidence ticked, recommendation or summary of a submitted scorecard, saying why.
    The ticks are part of the record like the ratings they back: they change here, audited, or not at all."""

    def __init__(self, ctx: AppContext, state: ScorecardState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Amend the submitted scorecard")
        self._state = state
        self.ratings: dict[str, tuple[QComboBox, QLineEdit]] = {}
        form = QFormLayout()
        for comp in state.focus:
            form.addRow(comp.name, self._rating_row(ctx, comp.id, comp.name))
        self.ticks: dict[int, EvidenceList] = {}
        for q in state.questions:
            if q.evidence:
                evidence = EvidenceList()
                evidence.setAccessibleName(f"Evidence heard for {q.title}: Space ticks an item")
                evidence.show_items(q.evidence, q.evidence_ticks)
                evidence.setMaximumHeight(24 * len(q.evidence) + 8)
                self.ticks[q.asked_id] = evidence
                title = QLabel(f"Evidence heard:\n{q.title}", wordWrap=True)
                title.setMaximumWidth(220)
                form.addRow(title, evidence)
        self.recommendation = QComboBox()
        self.recommendation.addItems(list(ctx.settings.recommendations))
        if state.recommendation:
            self.recommendation.setCurrentText(state.recommendation)
        form.addRow("Recommendation", self.recommendation)
        self.summary = QPlainTextEdit(state.summary)
        self.summary.setMaximumHeight(110)
        form.addRow("Summary", self.summary)
        self.reason = QLineEdit(placeholderText="Required: why is the submitted scorecard changing?")
        self.reason.setAccessibleName("Reason for the amendment")
        form.addRow("<b>Reason</b>", self.reason)
        self.problems = QLabel(wordWrap=True)
        self.problems.setProperty("state", "warning")
        self._build(form)
        self.reason.setFocus(Qt.FocusReason.OtherFocusReason)

    def _rating_row(self, ctx: AppContext, competency_id: str, name: str) -> QWidget:
        scale = ctx.settings.scale
        combo = QComboBox()
        combo.setAccessibleName(f"Rating of {name}")
        for level in scale.levels:
            combo.addItem(f"{level} · {scale.label(level)}", level)
        combo.addItem("Not assessed", NA)
        r = self._state.ratings.get(competency_id)
        combo.setCurrentIndex(combo.findData(NA if r and r.not_assessed else (r.score if r else None)))
        reason = QLineEdit(r.reason if r else "", placeholderText="Why not assessed?")
        reason.setVisible(combo.currentData() == NA)
        combo.currentIndexChanged.connect(lambda _i: reason.setVisible(combo.currentData() == NA))
        holder = QWidget()
        row = QVBoxLayout(holder)
        row.addWidget(combo)
        row.addWidget(reason)
        self.ratings[competency_id] = (combo, reason)
        return holder

    def _build(self, form: QFormLayout) -> None:
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button: QPushButton = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("Record amendment")
        buttons.accepted.connect(self.apply)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        note = QLabel("The change, its reason, you and the time go into the scorecard's audit trail.")
        note.setProperty("role", "subtle")
        layout.addWidget(note)
        fields = QWidget()
        fields.setLayout(form)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(fields)
        layout.addWidget(scroll, 1)
        self.resize(760, 640)
        layout.addWidget(self.problems)
        layout.addWidget(buttons)

    def amendment(self) -> Amendment:
        """What differs from the submitted scorecard, and the reason given."""
        ratings = {}
        for cid, (combo, reason) in self.ratings.items():
            level = combo.currentData()
            old = self._state.ratings.get(cid)
            na = level == NA
            ratings[cid] = RatingState(
                None if na else level, na, reason.text().strip() if na else "", old.evidence if old else ""
            )
        changed = {c: r for c, r in ratings.items() if self._state.ratings.get(c) != r}
        rec = self.recommendation.currentText()
        summary = self.summary.toPlainText()
        before = {q.asked_id: q.evidence_ticks for q in self._state.questions}
        ticks = {aid: e.ticked() for aid, e in self.ticks.items() if e.ticked() != before.get(aid)}
        return Amendment(
            reason=self.reason.text(),
            ratings=changed or None,
            recommendation=rec if rec != self._state.recommendation else None,
            summary=summary if summary != self._state.summary else None,
            ticks=ticks or None,
        )
