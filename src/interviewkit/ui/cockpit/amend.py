"""Amending a submitted scorecard (with a reason), and the audit trail that records it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

if TYPE_CHECKING:
    from interviewkit.services.audit import AuditEntry
    from interviewkit.services.context import AppContext
    from interviewkit.services.scorecards import ScorecardState

__all__ = ["AmendDialog", "AuditTrailView", "audit_html"]

ACTION_WORDS = {
    "started": "started the scorecard",
    "submitted": "submitted",
    "amended": "amended",
    "override": "overrode independent judgement",
    "decided": "recorded a decision",
    "erased": "erased personal data",
}


def _value(v: Any) -> str:
    if isinstance(v, dict):
        if v.get("not_assessed"):
            return f"n/a ({v.get('reason', '')})"
        return str(v.get("score")) + (f", evidence: {v['evidence']}" if v.get("evidence") else "")
    return "—" if v in (None, "") else str(v)


def audit_html(entries: list[AuditEntry], competency_names: dict[str, str]) -> str:
    """The audit trail as HTML: who, when (local time), what, why, and each change before → after."""
    from interviewkit.domain.markup import escape

    if not entries:
        return "<p>No entries.</p>"
    parts = []
    for e in entries:
        when = e.at.astimezone().strftime("%d %b %Y %H:%M")
        line = f"<p><b>{escape(when)}</b> · {escape(e.actor)} {escape(ACTION_WORDS.get(e.action, e.action))}"
        if e.reason:
            line += f" — <i>“{escape(e.reason)}”</i>"
        line += "</p>"
        parts.append(line)
        if e.action == "amended":
            parts.append("<ul>")
            for key, change in e.detail.items():
                kind, _, rest = key.partition(":")
                label = {
                    "rating": f"Rating of {competency_names.get(rest, rest)}",
                    "notes": "Notes of a question",
                    "recommendation": "Recommendation",
                    "summary": "Summary",
                }.get(kind, key)
                parts.append(
                    f"<li>{escape(label)}: {escape(_value(change.get('before')))} → "
                    f"<b>{escape(_value(change.get('after')))}</b></li>"
                )
            parts.append("</ul>")
    return "".join(parts)


class AuditTrailView(QTextBrowser):
    """Read-only list of the audit entries of one scorecard."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("auditTrail")
        self.setOpenLinks(False)

    def show_for(self, ctx: AppContext, state: ScorecardState) -> None:
        from interviewkit.services.audit import audit_trail

        names = {c.id: c.name for c in state.focus}
        self.setHtml(audit_html(audit_trail(ctx.db, "scorecard", state.id, by=ctx.user_id), names))


class AmendDialog(QDialog):
    """Change ratings, recommendation or summary of a submitted scorecard, saying why."""

    sig_amended = Signal(object)
    """The amended ScorecardState."""

    def __init__(self, ctx: AppContext, state: ScorecardState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Amend the submitted scorecard")
        self._ctx, self._state = ctx, state
        form = QFormLayout()
        self.ratings: dict[str, tuple[QComboBox, QLineEdit]] = {}
        for comp in state.focus:
            combo = QComboBox()
            combo.setAccessibleName(f"Rating of {comp.name}")
            for level in ctx.settings.scale.levels:
                combo.addItem(f"{level} · {ctx.settings.scale.label(level)}", level)
            combo.addItem("Not assessed", 0)
            r = state.ratings.get(comp.id)
            combo.setCurrentIndex(combo.findData(0 if r and r.not_assessed else (r.score if r else None)))
            reason = QLineEdit(r.reason if r else "", placeholderText="Why not assessed?")
            reason.setVisible(combo.currentData() == 0)
            combo.currentIndexChanged.connect(lambda _i, c=combo, e=reason: e.setVisible(c.currentData() == 0))
            row = QVBoxLayout()
            row.addWidget(combo)
            row.addWidget(reason)
            holder = QWidget()
            holder.setLayout(row)
            form.addRow(comp.name, holder)
            self.ratings[comp.id] = (combo, reason)
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
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Record amendment")
        buttons.accepted.connect(self.apply)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        note = QLabel("The change, its reason, you and the time go into the scorecard's audit trail.")
        note.setProperty("role", "subtle")
        layout.addWidget(note)
        layout.addLayout(form)
        layout.addWidget(self.problems)
        layout.addWidget(buttons)
        self.reason.setFocus(Qt.FocusReason.OtherFocusReason)

    def apply(self) -> None:
        from interviewkit.services import scorecards as svc
        from interviewkit.services.errors import ServiceError, ValidationFailed

        ratings = {}
        for cid, (combo, reason) in self.ratings.items():
            level = combo.currentData()
            old = self._state.ratings.get(cid)
            evidence = old.evidence if old else ""
            ratings[cid] = svc.RatingState(None if level == 0 else level, level == 0, reason.text().strip() if level == 0 else "", evidence)
        changed_ratings = {c: r for c, r in ratings.items() if self._state.ratings.get(c) != r}
        rec = self.recommendation.currentText()
        summary = self.summary.toPlainText()
        try:
            state = svc.amend(
                self._ctx.db,
                self._state.id,
                self._ctx.user_id or self._state.interviewer_id,
                reason=self.reason.text(),
                ratings=changed_ratings or None,
                recommendation=rec if rec != self._state.recommendation else None,
                summary=summary if summary != self._state.summary else None,
                settings=self._ctx.settings,
            )
        except ValidationFailed as exc:
            self.problems.setText("⚠ " + "\n⚠ ".join(exc.problems))
            return
        except ServiceError as exc:
            self.problems.setText(f"⚠ {exc}")
            return
        self.sig_amended.emit(state)
        self.accept()
