"""The cockpit's header: who and which stage, the stage clock, the question's place and clock, the pacing
hint in words, the quiet save text, and a warning line for work kept on this computer or a refused change."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QVBoxLayout, QWidget

from interviewkit.domain.interview import pacing
from interviewkit.domain.markup import escape
from interviewkit.services.scorecards import AskedState, ScorecardState
from interviewkit.ui.cockpit.timing import format_clock

__all__ = ["CockpitHeader"]

PACE_WORDS = {"ok": "", "amber": " · over time", "red": " · well over time"}


def _warning_label(name: str) -> QLabel:
    label = QLabel(wordWrap=True)
    label.setObjectName(name)
    label.setProperty("state", "warning")
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.hide()
    return label


class CockpitHeader(QWidget):
    """Three lines over the interview: who and the stage clock; the question's place and clock; pacing and
    "Saved"; then, when there is one, a warning."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.who = QLabel(wordWrap=True)
        self.who.setProperty("role", "cockpit-who")
        self.clock = QLabel()
        self.clock.setProperty("role", "cockpit-clock")
        self.clock.setAccessibleName("Stage time, elapsed of total")
        self.position_label = QLabel()
        self.progress = QProgressBar()
        self.progress.setTextVisible(False)
        self.progress.setMaximumHeight(8)
        self.question_clock = QLabel()
        self.question_clock.setProperty("role", "question-clock")
        self.pacing_label = QLabel()
        self.pacing_label.setProperty("role", "subtle")
        self.saved_label = QLabel()
        self.saved_label.setProperty("role", "subtle")
        self.recovery_label = _warning_label("cockpitRecovery")  # work kept on this computer
        self.notice = _warning_label("cockpitNotice")  # a change the database refused, until the next one
        self.refused = _warning_label("cockpitRefused")  # this window can no longer save: a banner over all
        self.refused.setAccessibleName("This window no longer saves this scorecard")
        self._build_layout()

    def _build_layout(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.refused)
        rows = (
            ((self.who, 1), (self.clock, 0)),
            ((self.position_label, 0), (self.progress, 1), (self.question_clock, 0)),
            ((self.pacing_label, 1), (self.saved_label, 0)),
        )
        for widgets in rows:
            row = QHBoxLayout()
            for widget, stretch in widgets:
                row.addWidget(widget, stretch)
            layout.addLayout(row)
        layout.addWidget(self.recovery_label)
        layout.addWidget(self.notice)

    def show_card(self, state: ScorecardState) -> None:
        self.who.setText(
            f"<b>{escape(state.candidate)}</b> · {escape(state.opening)} · Stage {state.stage_position} of "
            f"{state.stage_count}: {escape(state.stage_name)}"
        )
        self.who.setToolTip(f"{state.candidate} · {state.opening} · {state.stage_name}")

    def show_position(self, index: int, total: int) -> None:
        self.position_label.setText(f"Q{index + 1} of {total}" if total else "No questions")
        self.progress.setMaximum(max(total, 1))
        self.progress.setValue(index + 1 if total else 0)

    def show_time(self, state: ScorecardState, index: int, elapsed: float, question_seconds: float) -> None:
        """The stage clock; the question's time against its budget (coloured and in words past it); pacing."""
        self.clock.setText(f"{format_clock(elapsed)} / {format_clock(state.stage_minutes * 60)}")
        if not state.questions:
            return
        q: AskedState = state.questions[index]
        p = pacing(
            stage_minutes=state.stage_minutes,
            elapsed_seconds=elapsed,
            question_seconds=question_seconds,
            question_budget_minutes=q.minutes,
            budgets_after_current=[x.minutes for x in state.questions[index + 1 :]],
        )
        self.question_clock.setText(
            f"this question {format_clock(question_seconds)} of {format_clock(q.minutes * 60)}"
            f"{PACE_WORDS[p.question_state]}"
        )
        if self.question_clock.property("pace") != p.question_state:
            self.question_clock.setProperty("pace", p.question_state)
            self.question_clock.style().unpolish(self.question_clock)
            self.question_clock.style().polish(self.question_clock)
        self.pacing_label.setText(p.hint)

    def set_saved(self, text: str, tooltip: str = "") -> None:
        self.saved_label.setText(text)
        self.saved_label.setToolTip(tooltip)

    def show_kept(self, message: str) -> None:
        """Work kept on this computer (or not kept at all): stays until another scorecard is shown."""
        self.recovery_label.setText("⚠ " + message)
        self.recovery_label.show()

    def show_notice(self, message: str) -> None:
        """A refused change, in words; gone with the next change that goes through (:meth:`clear_notice`)."""
        self.notice.setText("⚠ " + message)
        self.notice.show()

    def show_refused(self, reason: str) -> None:
        """The scorecard can no longer be saved from this window (another copy took it over, it was submitted
        elsewhere): a banner above everything, until another scorecard is shown."""
        reason = reason.strip().removesuffix(".")
        self.refused.setText(
            f"⛔ {reason}. Nothing typed here is saved any more: what was not saved is kept on this computer. "
            "Leave the interview (Ctrl+W) and open it again to take it back."
        )
        self.refused.show()

    def clear_notice(self) -> None:
        self.notice.hide()
        self.notice.setText("")

    def clear(self) -> None:
        self.recovery_label.hide()
        self.recovery_label.setText("")
        self.refused.hide()
        self.refused.setText("")
        self.clear_notice()
