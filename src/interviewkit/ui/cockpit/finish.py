"""The end of the interview (F10): the ratings with their evidence, the overall recommendation, the summary,
what still stops the submission, and Submit; for a submitted scorecard, Amend… and the audit trail."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QButtonGroup,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from interviewkit.ui.cockpit.amend import AuditTrailView
from interviewkit.ui.widgets.shortcuts import key_entry, key_of

__all__ = ["FinishPage"]

SUBMIT_TEXT = "Submit scorecard (Ctrl+Enter)"


class FinishPage(QWidget):
    """The finish page; the rating panel is lent to it while it shows (:meth:`take_ratings`)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rec_group = QButtonGroup(self)
        self.rec_row = QHBoxLayout()
        self.summary = QPlainTextEdit()
        self.summary.setObjectName("cockpitSummary")
        self.summary.setAccessibleName("Summary")
        self.summary.setTabChangesFocus(True)  # Tab goes on to Submit, as in every other form; no tab characters
        self.summary.setPlaceholderText("Summary: strengths, concerns, and why you recommend what you do.")
        self.problems = QLabel(wordWrap=True)
        self.problems.setObjectName("cockpitProblems")
        self.problems.setProperty("state", "warning")
        self.submit_button = QPushButton(SUBMIT_TEXT)
        self.submit_button.setDefault(True)
        self.submit_button.setToolTip("Submit: the scorecard is then locked; later changes are amendments")
        self.back_button = QPushButton("Back to the questions (Esc)")
        amend = key_entry("amend").label
        self.amend_button = QPushButton(f"Amend… ({amend})")
        self.amend_button.setShortcut(QKeySequence(key_of("amend")))
        self.amend_button.setToolTip(f"Change the submitted scorecard, with a reason ({amend})")
        self.audit_view = AuditTrailView()
        self.audit_label = QLabel("<b>Audit trail</b>")
        self._layout = QVBoxLayout(self)
        self._ratings_slot = 0
        self._build()

    def _build(self) -> None:
        page = self._layout
        heading = QLabel("Finish the scorecard")
        heading.setProperty("role", "heading")
        page.addWidget(heading)
        page.addWidget(
            QLabel("<b>Ratings</b>: each focus competency needs a rating, or “n/a” with a reason (Alt+↑/↓ to move)")
        )
        self._ratings_slot = page.count()
        page.addWidget(QLabel("<b>Overall recommendation</b> (Ctrl+1..4)"))
        page.addLayout(self.rec_row)
        page.addWidget(QLabel("<b>Summary</b>"))
        page.addWidget(self.summary, 2)
        page.addWidget(self.problems)
        page.addWidget(self.audit_label)
        page.addWidget(self.audit_view, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.back_button)
        buttons.addStretch(1)
        buttons.addWidget(self.amend_button)
        buttons.addWidget(self.submit_button)
        page.addLayout(buttons)

    def take_ratings(self, panel: QWidget) -> None:
        """Show the rating panel on this page (it goes back to the questions' page with them)."""
        self._layout.insertWidget(self._ratings_slot, panel)

    def set_recommendations(self, choices: Sequence[str], current: str | None) -> None:
        """One radio button per recommendation of the bank's settings (Ctrl+1 for the first...)."""
        for b in self.rec_group.buttons():
            self.rec_group.removeButton(b)
            b.setParent(None)
            b.deleteLater()
        for i, rec in enumerate(choices, start=1):
            b = QRadioButton(f"{rec}  (Ctrl+{i})")
            b.setProperty("recommendation", rec)
            self.rec_group.addButton(b, i)
            self.rec_row.addWidget(b)
            b.setChecked(rec == current)

    def recommendation(self, button_id: int) -> str | None:
        b = self.rec_group.button(button_id)
        return None if b is None else str(b.property("recommendation"))

    def set_submitted(self, locked: bool) -> None:
        """A draft offers Submit; a submitted scorecard, Amend… and its audit trail."""
        self.submit_button.setVisible(not locked)
        self.amend_button.setVisible(locked)
        self.audit_label.setVisible(locked)
        self.audit_view.setVisible(locked)
        self.set_editable(not locked)

    def set_editable(self, on: bool) -> None:
        self.summary.setReadOnly(not on)
        self.submit_button.setEnabled(on)
        for b in self.rec_group.buttons():
            b.setEnabled(on)

    def set_busy(self, text: str | None) -> None:
        """While a submission runs: say so on the button, which waits (None: done)."""
        self.submit_button.setText(f"{text}…" if text else SUBMIT_TEXT)
        self.set_editable(text is None)

    def show_problems(self, lines: Sequence[str], heading: str = "") -> None:
        """What stops the submission, in words (nothing: clear)."""
        if not lines:
            self.problems.setText("")
        elif heading:
            self.problems.setText(f"⚠ {heading}\n• " + "\n• ".join(lines))
        else:
            self.problems.setText("⚠ " + "\n⚠ ".join(lines))
