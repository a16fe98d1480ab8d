"""The ratings: one row per focus competency, [1][2][3][4][n/a], a reason when not assessed, an evidence
note. One row has the keyboard's attention (Alt+↑/↓ moves it, Alt+number rates it)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractButton,
    QButtonGroup,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from interviewkit.services.scorecards import RatingState, ScorecardState

__all__ = ["NA", "RatingPanel", "RatingRow"]

NA = 0  # the button id of "not assessed"


class RatingRow(QWidget):
    """One focus competency: [1][2][3][4][n/a], a reason when not assessed, an evidence note."""

    sig_changed = Signal(str)
    """The rating of this competency changed (its id)."""

    sig_hovered = Signal(int)
    """The level under the cursor (-1 for none)."""

    def __init__(self, competency_id: str, name: str, levels: tuple[int, ...], labels: dict[int, str]) -> None:
        super().__init__()
        self.competency_id = competency_id
        self.setObjectName(f"rating-{competency_id}")
        self._name = name
        self.name_label = QLabel(name)
        self.name_label.setFixedWidth(290)
        self.name_label.setToolTip(name)
        self.group = QButtonGroup(self)
        self.group.setExclusive(False)
        row = QHBoxLayout(self)
        row.setContentsMargins(6, 2, 6, 2)
        row.addWidget(self.name_label)
        self.buttons: dict[int, QToolButton] = {}
        for level in (*levels, NA):
            self.buttons[level] = self._button(level, labels)
            self.group.addButton(self.buttons[level], level)
            row.addWidget(self.buttons[level])
        self.reason = QLineEdit(placeholderText="Why not assessed?")
        self.reason.setAccessibleName(f"Reason {name} was not assessed")
        self.reason.hide()
        self.evidence = QLineEdit(placeholderText="Evidence (optional)")
        self.evidence.setAccessibleName(f"Evidence for {name}")
        row.addWidget(self.reason, 2)
        row.addWidget(self.evidence, 3)
        self.group.idClicked.connect(self.clicked)
        self.reason.textEdited.connect(lambda _t: self.sig_changed.emit(self.competency_id))
        self.evidence.textEdited.connect(lambda _t: self.sig_changed.emit(self.competency_id))

    def _button(self, level: int, labels: dict[int, str]) -> QToolButton:
        b = QToolButton()
        b.setText(str(level) if level else "n/a")
        b.setCheckable(True)
        b.setProperty("role", "rating")
        b.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        tip = f"{level}: {labels.get(level, '')} (Alt+{level})" if level else "Not assessed, with a reason (Alt+0)"
        b.setToolTip(tip)
        b.setAccessibleName(f"{self._name}: {tip}")
        b.installEventFilter(self)
        return b

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if isinstance(obj, QAbstractButton):
            if event.type() == QEvent.Type.Enter:
                self.sig_hovered.emit(self.group.id(obj))
            elif event.type() == QEvent.Type.Leave:
                self.sig_hovered.emit(-1)
        return False

    def set_state(self, r: RatingState) -> None:
        for level, b in self.buttons.items():
            b.setChecked((r.not_assessed and level == NA) or (not r.not_assessed and r.score == level))
        self.reason.setText(r.reason)
        self.reason.setVisible(r.not_assessed)
        self.evidence.setText(r.evidence)

    def clicked(self, level: int) -> None:
        """A level's button was toggled: the others go off; "n/a" shows the reason and puts the cursor there."""
        checked = self.buttons[level].isChecked()
        for lv, b in self.buttons.items():
            b.setChecked(lv == level and checked)
        na = self.buttons[NA].isChecked()
        self.reason.setVisible(na)
        if na:
            self.reason.setFocus()
        self.sig_changed.emit(self.competency_id)

    def toggle(self, level: int) -> bool:
        """Alt+number: give (or take back) ``level``; whether it is now given."""
        self.buttons[level].setChecked(not self.buttons[level].isChecked())
        self.clicked(level)
        return self.buttons[level].isChecked()

    def state(self) -> RatingState:
        na = self.buttons[NA].isChecked()
        score = next((lv for lv, b in self.buttons.items() if lv and b.isChecked()), None)
        return RatingState(
            None if na else score, na, self.reason.text().strip() if na else "", self.evidence.text().strip()
        )

    def set_focused(self, on: bool) -> None:
        self.setProperty("focused", on)
        self.style().unpolish(self)
        self.style().polish(self)
        font = self.name_label.font()
        font.setBold(on)
        self.name_label.setFont(font)
        self.name_label.setText(("▸ " if on else "") + self._name)


class RatingPanel(QFrame):
    """The rows of a scorecard's focus competencies, one of them focused."""

    sig_changed = Signal(str)
    """A competency's rating changed (its id)."""

    sig_hovered = Signal(int)
    """The level under the cursor in any row (-1 for none)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        box = QWidget()
        self._rows_layout = QVBoxLayout(box)
        self._rows_layout.setContentsMargins(0, 0, 0, 0)
        self._rows_layout.setSpacing(0)
        self.suggestion = QLabel(wordWrap=True)
        self.suggestion.setObjectName("cockpitSuggestion")
        self.suggestion.setProperty("role", "subtle")
        self.suggestion.setToolTip(
            "What the evidence you ticked suggests for this question, by its rubric. Only a suggestion: "
            "your rating stays yours."
        )
        self.suggestion.hide()
        self._for_question = True
        outer = QVBoxLayout(self)
        outer.setContentsMargins(4, 4, 4, 4)
        outer.addWidget(self.suggestion)
        outer.addWidget(box)
        self.rows: list[RatingRow] = []
        self.focus_row = 0

    def show_card(
        self, state: ScorecardState, levels: tuple[int, ...], labels: dict[int, str], watch: QObject | None = None
    ) -> None:
        """Rows for ``state``'s focus competencies with its ratings (disabled when it is submitted);
        ``watch`` filters the events of their text boxes (the cockpit's shortcuts win over theirs)."""
        for row in self.rows:
            row.setParent(None)
            row.deleteLater()
        self.rows = []
        for comp in state.focus:
            row = RatingRow(comp.id, comp.name, levels, labels)
            r = state.ratings.get(comp.id)
            if r is not None:
                row.set_state(r)
            row.setEnabled(not state.locked)
            row.sig_changed.connect(self.sig_changed)
            row.sig_hovered.connect(self.sig_hovered)
            if watch is not None:
                row.reason.installEventFilter(watch)
                row.evidence.installEventFilter(watch)
            self._rows_layout.addWidget(row)
            self.rows.append(row)
        self.focus_row = 0
        self.move_focus(0)

    def move_focus(self, step: int) -> None:
        if not self.rows:
            return
        self.focus_row = (self.focus_row + step) % len(self.rows)
        for i, row in enumerate(self.rows):
            row.set_focused(i == self.focus_row)

    def focused(self) -> RatingRow | None:
        return self.rows[self.focus_row] if self.rows else None

    def row(self, competency_id: str) -> RatingRow | None:
        return next((r for r in self.rows if r.competency_id == competency_id), None)

    def set_editable(self, on: bool) -> None:
        for row in self.rows:
            row.setEnabled(on)

    def set_suggestion(self, text: str) -> None:
        """The rating the question's ticks suggest, in words, above the rows ("": none, hidden). Nothing
        here sets a rating: the interviewer's own stays as they gave it."""
        self.suggestion.setText(f"☑ {text}" if text else "")
        self.suggestion.setVisible(bool(text) and self._for_question)

    def set_for_question(self, on: bool) -> None:
        """Whether the panel shows beside a question (the ticks' suggestion is about it) or on the finish
        page, where it rates the whole interview and one question's suggestion would mislead."""
        self._for_question = on
        self.suggestion.setVisible(on and bool(self.suggestion.text()))
