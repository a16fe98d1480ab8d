"""One item of a recruiter's screen: the requirement, what to ask, Yes / No / Unclear and a note.

The row itself takes the keyboard (1 or Y yes, 2 or N no, 3 or U unclear, ↑/↓ the next item, Enter or Tab
the note); in the note, Alt+1..3 (or Alt+Y/N/U) answer, ↑/↓ move on and Shift+Tab goes back to the row. The
row only says what changed; the page saves it.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QButtonGroup, QFrame, QHBoxLayout, QLabel, QLineEdit, QToolButton, QVBoxLayout, QWidget

from interviewkit.services.screening import ANSWER_WORDS, ScreenItem
from interviewkit.ui.widgets.shortcuts import key_matches

__all__ = ["ANSWER_KEYS", "ScreenRow"]

#: The answers in their order (the button ids 1, 2, 3) and the letter of each.
ANSWERS = ("yes", "no", "unclear")
ANSWER_KEYS: dict[int, str] = {
    Qt.Key.Key_1: "yes",
    Qt.Key.Key_Y: "yes",
    Qt.Key.Key_2: "no",
    Qt.Key.Key_N: "no",
    Qt.Key.Key_3: "unclear",
    Qt.Key.Key_U: "unclear",
}
_NO_MODIFIER = (Qt.KeyboardModifier.NoModifier, Qt.KeyboardModifier.KeypadModifier)


class ScreenRow(QFrame):
    """One checklist item: its requirement and question, the answer buttons, the note, and who answered."""

    sig_answered = Signal(str)
    """The interviewer chose an answer (the requirement id)."""

    sig_note_edited = Signal(str)
    """The note was typed into (the requirement id)."""

    sig_move = Signal(int)
    """Go to the previous (-1) or next (+1) item."""

    def __init__(self, number: int, item: ScreenItem, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.requirement_id = item.requirement_id
        self.setObjectName("screenItem")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        text = item.text or item.requirement_id
        self.setAccessibleName(f"Item {number}: {text}. Answer 1 or Y yes, 2 or N no, 3 or U unclear")
        self.title = QLabel(wordWrap=True)
        self.title.setTextFormat(Qt.TextFormat.PlainText)
        self.title.setText(f"{number}. {text}")
        font = self.title.font()
        font.setBold(True)
        self.title.setFont(font)
        self.ask = QLabel(f"Ask: {item.ask}" if item.ask else "", wordWrap=True)
        self.ask.setTextFormat(Qt.TextFormat.PlainText)
        self.ask.setVisible(bool(item.ask))
        self.group = QButtonGroup(self)
        self.buttons: dict[str, QToolButton] = {}
        for n, answer in enumerate(ANSWERS, start=1):
            b = QToolButton()
            b.setText(f"{ANSWER_WORDS[answer]} ({n})")
            b.setCheckable(True)
            b.setProperty("role", "rating")
            b.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            b.setToolTip(f"{ANSWER_WORDS[answer]}: key {n} or {answer[0].upper()} on the item, Alt+{n} in the note")
            self.group.addButton(b, n)
            self.buttons[answer] = b
        self.note = QLineEdit(placeholderText="Note (optional): what the CV or the call said")
        self.note.setAccessibleName(f"Note for item {number}")
        self.note.setMaxLength(4000)
        self.note.installEventFilter(self)
        self.status = QLabel()
        self.status.setProperty("role", "subtle")
        self._build()
        self.set_item(item)
        self.group.idClicked.connect(lambda n: self.sig_answered.emit(self.requirement_id))
        self.note.textEdited.connect(lambda _t: self.sig_note_edited.emit(self.requirement_id))

    def _build(self) -> None:
        answers = QHBoxLayout()
        for b in self.buttons.values():
            answers.addWidget(b)
        answers.addWidget(self.note, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        layout.setSpacing(3)
        layout.addWidget(self.title)
        layout.addWidget(self.ask)
        layout.addLayout(answers)
        layout.addWidget(self.status)

    def set_item(self, item: ScreenItem) -> None:
        """Show ``item``'s answer, note and who gave it (without emitting anything)."""
        if item.answer in self.buttons:
            self.buttons[item.answer].setChecked(True)
        self.note.setText(item.note)
        if item.answer is not None and item.answered_at is not None:
            when = item.answered_at.astimezone().strftime("%d %b %H:%M")
            self.status.setText(f"Answered by {item.answered_by or 'someone'}, {when}")
        else:
            self.status.setText("Not answered yet")

    @property
    def answer(self) -> str | None:
        n = self.group.checkedId()
        return ANSWERS[n - 1] if 1 <= n <= len(ANSWERS) else None

    def choose(self, answer: str) -> None:
        """Answer (a key or a click): nothing when the row is read-only."""
        if not self.isEnabled() or self.note.isReadOnly():
            return
        self.buttons[answer].setChecked(True)
        self.sig_answered.emit(self.requirement_id)

    def set_marked(self, on: bool) -> None:
        """Mark the item the keyboard is on (a highlight frame and ▸ before its title)."""
        self.setStyleSheet("#screenItem { border: 2px solid palette(highlight); border-radius: 3px; }" if on else "")
        text = self.title.text().removeprefix("▸ ")
        self.title.setText(f"▸ {text}" if on else text)

    def set_editable(self, on: bool) -> None:
        self.note.setReadOnly(not on)
        for b in self.buttons.values():
            b.setEnabled(on)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        key, mods = event.key(), event.modifiers()
        if key in ANSWER_KEYS and mods in _NO_MODIFIER:
            self.choose(ANSWER_KEYS[key])
        elif key_matches(event, "screen_move"):
            self.sig_move.emit(-1 if key == Qt.Key.Key_Up else 1)
        elif key_matches(event, "screen_note"):
            self.note.setFocus(Qt.FocusReason.ShortcutFocusReason)
        else:
            super().keyPressEvent(event)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        """In the note: Alt+1..3 or Alt+Y/N/U answer (the note claims them before the window's shortcuts),
        ↑/↓ go to the neighbouring item."""
        if obj is not self.note or not isinstance(event, QKeyEvent):
            return False
        key, mods = event.key(), event.modifiers()
        answering = key in ANSWER_KEYS and mods == Qt.KeyboardModifier.AltModifier
        if event.type() == QEvent.Type.ShortcutOverride and answering:
            event.accept()
            return True
        if event.type() == QEvent.Type.KeyPress:
            if answering:
                self.choose(ANSWER_KEYS[key])
                return True
            if key_matches(event, "screen_move"):
                self.sig_move.emit(-1 if key == Qt.Key.Key_Up else 1)
                return True
        return False
