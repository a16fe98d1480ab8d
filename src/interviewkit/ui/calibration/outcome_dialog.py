"""Record one outcome of a hire: the form (candidate, review date, performance on its scale, left, regretted,
promoted, note). The dialog only collects the values; the Calibration section records them through its
host (off the GUI thread) and says what the service refused."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from itertools import pairwise

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QCompleter,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from interviewkit.ui.widgets.forms import ProblemForm

__all__ = ["FLAG_CHOICES", "OutcomeInput", "RecordOutcomeDialog"]

FLAG_CHOICES = (("Not known", None), ("No", False), ("Yes", True))


@dataclass(frozen=True)
class OutcomeInput:
    """What the form holds, as the service takes it."""

    candidate_id: int
    reviewed_on: date
    performance: float | None
    scale: tuple[float, float]
    has_left: bool | None
    regretted: bool | None
    promoted: bool | None
    note: str


def _flag_box() -> QComboBox:
    box = QComboBox()
    for label, value in FLAG_CHOICES:
        box.addItem(label, value)
    return box


def _spin(value: float) -> QDoubleSpinBox:
    spin = QDoubleSpinBox()
    spin.setRange(-1000.0, 1000.0)
    spin.setDecimals(1)
    spin.setValue(value)
    return spin


class RecordOutcomeDialog(QDialog):
    """The form of one outcome; :meth:`values` once accepted."""

    def __init__(self, candidates: tuple[tuple[int, str], ...], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Record an outcome")
        self.setObjectName("recordOutcomeDialog")
        self.setMinimumWidth(480)
        self.form = ProblemForm()
        self._build_fields(candidates)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("&Record")
        self.ok_button.setToolTip("Record this outcome (Enter)")
        self.ok_button.setEnabled(bool(candidates))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        intro = QLabel(
            "One review of a hire: their performance rating on your company's scale on that date, and whether they "
            "have left or were promoted by then. Calibration relates each hire's latest rating to their interview "
            "scores. Only admins, hiring managers and the opening's hiring manager see outcomes.",
            wordWrap=True,
        )
        intro.setProperty("role", "subtle")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 16, 18, 14)
        layout.setSpacing(12)
        layout.addWidget(intro)
        layout.addWidget(self.form)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        chain = [*self.form.fields(), *self.buttons.buttons()]
        for first, second in pairwise(chain):
            self.setTabOrder(first, second)

    def _build_fields(self, candidates: tuple[tuple[int, str], ...]) -> None:
        self.candidate = QComboBox()
        self.candidate.setEditable(True)
        self.candidate.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        for cid, label in candidates:
            self.candidate.addItem(f"#{cid} {label}", cid)
        completer = self.candidate.completer()
        if completer is not None:
            completer.setFilterMode(Qt.MatchFlag.MatchContains)
            completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.reviewed = QDateEdit(QDate.currentDate())
        self.reviewed.setCalendarPopup(True)
        self.reviewed.setDisplayFormat("yyyy-MM-dd")
        self.performance = _spin(3.0)
        self.not_rated = QCheckBox("Not rated at this review")
        self.not_rated.toggled.connect(lambda on: self.performance.setEnabled(not on))
        rating = QWidget()
        row = QHBoxLayout(rating)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.performance)
        row.addWidget(self.not_rated)
        row.addStretch(1)
        self.scale_low, self.scale_high = _spin(1.0), _spin(5.0)
        scale = QWidget()
        ends = QHBoxLayout(scale)
        ends.setContentsMargins(0, 0, 0, 0)
        for widget in (self.scale_low, QLabel("to"), self.scale_high):
            ends.addWidget(widget)
        ends.addStretch(1)
        self.left, self.regretted, self.promoted = _flag_box(), _flag_box(), _flag_box()
        self.note = QPlainTextEdit()
        self.note.setFixedHeight(70)
        self.form.add_row(
            "&Candidate:",
            self.candidate,
            hint=""
            if candidates
            else "No candidate whose outcome you may record (an admin, or the opening's hiring manager).",
        )
        self.form.add_row("&Review date:", self.reviewed)
        self.form.add_row("&Performance:", rating)
        self.form.add_row("&Scale:", scale, hint="Your company's performance scale, lowest to highest")
        self.form.add_row("&Left by then:", self.left)
        self.form.add_row("Re&gretted loss:", self.regretted)
        self.form.add_row("&Promoted:", self.promoted)
        self.form.add_row("&Note:", self.note)

    def values(self) -> OutcomeInput:
        """The form's values (the candidate chosen in the list)."""
        day = self.reviewed.date()
        return OutcomeInput(
            candidate_id=int(self.candidate.currentData()),
            reviewed_on=date(day.year(), day.month(), day.day()),
            performance=None if self.not_rated.isChecked() else self.performance.value(),
            scale=(self.scale_low.value(), self.scale_high.value()),
            has_left=self.left.currentData(),
            regretted=self.regretted.currentData(),
            promoted=self.promoted.currentData(),
            note=self.note.toPlainText().strip(),
        )

    def accept(self) -> None:
        if self.candidate.currentData() is None:
            self.form.show_problems(["Candidate: choose a candidate from the list"])
            return
        super().accept()
