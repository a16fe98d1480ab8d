"""Amending a finished screen: one item's answer and note, with a reason (issue 14).

The dialog only gathers the amendment: the screen page records it
(:func:`~interviewkit.services.screening.amend_screen_answer`, off the GUI thread) and tells the dialog how
it went, so a refused amendment leaves the dialog open with everything typed and the reason why.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from interviewkit.services.screening import ANSWER_WORDS, ScreenChecklist
from interviewkit.ui.cockpit.amend import RECORD_TEXT, RecordingDialog

__all__ = ["ScreenAmendDialog", "ScreenAmendment"]


@dataclass(frozen=True)
class ScreenAmendment:
    """The item, its new answer and note, and why."""

    requirement_id: str
    answer: str
    note: str
    reason: str


class ScreenAmendDialog(RecordingDialog):
    """Change one answer of a finished screen, saying why (the item shown first is the one the keyboard is on)."""

    def __init__(self, checklist: ScreenChecklist, current: str | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Amend the finished screen")
        self._checklist = checklist
        self.item = QComboBox()
        self.item.setAccessibleName("Item to amend")
        for n, it in enumerate(checklist.items, start=1):
            self.item.addItem(f"{n}. {it.text or it.requirement_id}", it.requirement_id)
        self.answer = QComboBox()
        self.answer.setAccessibleName("New answer")
        for value, word in ANSWER_WORDS.items():
            self.answer.addItem(word, value)
        self.note = QLineEdit()
        self.note.setAccessibleName("Note")
        self.reason = QLineEdit(placeholderText="Required: why is the finished screen's answer changing?")
        self.reason.setAccessibleName("Reason for the amendment")
        self.problems = QLabel(wordWrap=True)
        self.problems.setObjectName("screenAmendProblems")
        self.problems.setProperty("state", "warning")
        self.item.currentIndexChanged.connect(self._show_item)
        self._build()
        index = self.item.findData(current) if current is not None else -1
        self.item.setCurrentIndex(max(index, 0))
        self._show_item()
        self.answer.setFocus(Qt.FocusReason.OtherFocusReason)

    def _build(self) -> None:
        form = QFormLayout()
        form.addRow("&Item", self.item)
        form.addRow("&Answer", self.answer)
        form.addRow("N&ote", self.note)
        form.addRow("<b>&Reason</b>", self.reason)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button: QPushButton = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(RECORD_TEXT)
        buttons.accepted.connect(self.apply)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        note = QLabel("The change, its reason, you and the time go into the screen's audit trail.", wordWrap=True)
        note.setProperty("role", "subtle")
        layout.addWidget(note)
        layout.addLayout(form)
        layout.addWidget(self.problems)
        layout.addWidget(buttons)
        self.resize(620, 260)

    def _show_item(self) -> None:
        """The chosen item's answer and note as they stand, to change."""
        rid = self.item.currentData()
        it = next((i for i in self._checklist.items if i.requirement_id == rid), None)
        if it is None:
            return
        self.answer.setCurrentIndex(max(self.answer.findData(it.answer), 0))
        self.note.setText(it.note)

    def amendment(self) -> ScreenAmendment:
        return ScreenAmendment(
            str(self.item.currentData()), str(self.answer.currentData()), self.note.text(), self.reason.text()
        )
