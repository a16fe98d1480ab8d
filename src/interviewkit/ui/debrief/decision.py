"""The panel's decision on a candidate: the form the debrief lead fills, the decision in force, its history.

Only the debrief lead records a decision; everyone else reads it (who, when, why). Once a decision
exists, changing it is a reopening: the lead must say why, and the new decision supersedes the old one,
both kept in the history and the audit trail. The service enforces all of this; the panel shows its
problems under the fields they concern and never loses what was typed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from interviewkit.services.debrief import Debrief, DecisionInfo
from interviewkit.services.errors import ValidationFailed
from interviewkit.services.people import PersonInfo
from interviewkit.ui.debrief.model import DecisionHistoryModel
from interviewkit.ui.widgets.delegates import CheckDelegate
from interviewkit.ui.widgets.formatting import local_text
from interviewkit.ui.widgets.forms import InlineProblem, ProblemForm, legible_check_boxes
from interviewkit.ui.widgets.shortcuts import key_entry

__all__ = ["LEAD_ONLY", "DecisionPanel", "DecisionRequest"]

LEAD_ONLY = "Only the debrief lead (the opening's hiring manager or an admin) records the decision."
OUTCOMES = (("hire", "Hire"), ("no_hire", "No hire"), ("hold", "Hold"), ("more_information", "More information needed"))


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


@dataclass(frozen=True)
class DecisionRequest:
    """What the form asks to record: the screen runs ``record_decision`` with it."""

    candidate_id: int
    outcome: str
    rationale: str
    participants: tuple[int, ...]
    reopen_reason: str  # "" unless the decision in force is being reopened


class DecisionPanel(QWidget):
    """The decision in force (who, when, why), the form (record, or reopen with a reason), the history.

    The panel does not write: Record asks the screen (:attr:`sig_record_requested`), which runs the write
    and answers with :meth:`show_debrief` (the decision now in force) or :meth:`show_refusal`.
    """

    sig_record_requested = Signal(object)
    """The lead asked to record (or, reopening, amend) the decision: a :class:`DecisionRequest`."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("debriefDecision")
        self._debrief: Debrief | None = None
        self._people: list[PersonInfo] = []
        self._reopening = False
        self.status = QLabel(wordWrap=True)
        self.status.setObjectName("decisionStatus")
        self.status.setTextFormat(Qt.TextFormat.RichText)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.note = QLabel(wordWrap=True)
        self.note.setProperty("role", "subtle")
        self._build_form()
        self._build_participants()
        self._build_buttons()
        self._build_history()
        self._build_layout()
        self._connect()
        self.show_debrief(None, [])

    def _build_form(self) -> None:
        self.outcome_box = QWidget()
        self.outcome_group = QButtonGroup(self)
        self.outcome_group.setExclusive(True)
        self.outcome_buttons: dict[str, QRadioButton] = {}
        outcome_row = QHBoxLayout(self.outcome_box)
        outcome_row.setContentsMargins(0, 0, 0, 0)
        outcome_row.setSpacing(14)
        for key, label in OUTCOMES:
            button = QRadioButton(label)
            button.setObjectName(f"outcome_{key}")
            self.outcome_group.addButton(button)
            self.outcome_buttons[key] = button
            outcome_row.addWidget(button)
        outcome_row.addStretch(1)
        legible_check_boxes(*self.outcome_buttons.values())
        self.rationale = QPlainTextEdit()
        self.rationale.setPlaceholderText("Why the panel decided this, in a few sentences")
        self.rationale.setTabChangesFocus(True)
        self.rationale.setFixedHeight(self.fontMetrics().lineSpacing() * 3 + 12)
        self.reopen_reason = QLineEdit(placeholderText="What changed since the decision was recorded")
        self.form = ProblemForm()
        self.form.add_row("&Outcome:", self.outcome_box)
        self.form.add_row("&Rationale:", self.rationale)
        self.form.add_row(
            "Reopening &reason:",
            self.reopen_reason,
            hint="Required: the new decision supersedes the one in force; both stay in the history.",
        )
        self._reason_row = self.form.layout_.rowCount() - 1

    def _build_participants(self) -> None:
        """Participants stand in a column of their own, beside the form (a debrief screen is wide, not tall)."""
        self.participants = QListWidget()
        self.participants.setObjectName("decisionParticipants")
        self.participants.setAccessibleName("Participants")
        self.participants.setItemDelegate(CheckDelegate(self.participants))
        self.participants.setUniformItemSizes(True)
        self.participants.setMinimumHeight(self.fontMetrics().lineSpacing() * 3 + 12)
        self.participants_box = QWidget()
        layout = QVBoxLayout(self.participants_box)
        layout.setContentsMargins(8, 0, 0, 0)
        layout.setSpacing(3)
        caption = QLabel("&Participants: who took part in the decision")
        caption.setBuddy(self.participants)
        self.participants_problem = InlineProblem()
        layout.addWidget(caption)
        layout.addWidget(self.participants, 1)
        layout.addWidget(self.participants_problem)

    def _build_buttons(self) -> None:
        self.record_button = QPushButton("Record decision")
        self.record_button.setObjectName("recordDecision")
        self.record_button.setDefault(False)
        self.record_button.setToolTip("Record the panel's decision (Ctrl+Enter in the form)")
        self.reopen_button = QPushButton("Reopen…")
        self.reopen_button.setObjectName("reopenDecision")
        self.reopen_button.setToolTip("Change the decision: needs a reason, and keeps the current one in the history")
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setToolTip("Keep the decision in force")

    def _build_history(self) -> None:
        self.history_model = DecisionHistoryModel(self)
        self.history = QTableView()
        self.history.setObjectName("decisionHistory")
        self.history.setAccessibleName("Decision history")
        self.history.setModel(self.history_model)
        self.history.verticalHeader().hide()
        self.history.setShowGrid(False)
        self.history.setWordWrap(True)
        self.history.setAlternatingRowColors(True)
        self.history.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.history.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.history.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        header = self.history.horizontalHeader()
        for col, mode in enumerate(
            (QHeaderView.ResizeMode.ResizeToContents,) * 3 + (QHeaderView.ResizeMode.Stretch,) * 2
        ):
            header.setSectionResizeMode(col, mode)
        header.sectionResized.connect(self._resize_history_rows)
        self.history.setMinimumHeight(self.fontMetrics().lineSpacing() * 5)
        title = QLabel("History (the decision in force and the ones it superseded)")
        title.setProperty("role", "pane-title")
        self.history_pane = QWidget()  # under the decision in force; a form being filled takes the room
        layout = QVBoxLayout(self.history_pane)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.addWidget(title)
        layout.addWidget(self.history, 1)

    def _build_layout(self) -> None:
        """Top to bottom: the decision in force (and Reopen…), the form when one is being filled (its
        participants in a column of their own), the history; all in a scroll area."""
        content = QWidget()
        content.setObjectName("decisionContent")
        content_layout = QVBoxLayout(content)
        content_layout.setContentsMargins(6, 6, 6, 4)
        status_row = QHBoxLayout()
        status_row.addWidget(self.status, 1)
        status_row.addWidget(self.reopen_button, 0, Qt.AlignmentFlag.AlignTop)
        content_layout.addLayout(status_row)
        content_layout.addWidget(self.note)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.record_button)
        form_column = QVBoxLayout()
        form_column.addWidget(self.form)
        form_column.addLayout(buttons)
        form_column.addStretch(1)
        self.form_page = QWidget()
        form_row = QHBoxLayout(self.form_page)
        form_row.setContentsMargins(0, 0, 0, 0)
        form_row.addLayout(form_column, 3)
        form_row.addWidget(self.participants_box, 2)
        content_layout.addWidget(self.form_page)
        content_layout.addWidget(self.history_pane, 1)
        self.scroll_area = QScrollArea()
        self.scroll_area.setObjectName("decisionScroll")
        self.scroll_area.setWidget(content)
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setFrameShape(QScrollArea.Shape.NoFrame)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.scroll_area)

    def _connect(self) -> None:
        self.record_button.clicked.connect(self.record)
        self.reopen_button.clicked.connect(self.start_reopen)
        self.cancel_button.clicked.connect(self.cancel_reopen)
        self.outcome_group.buttonToggled.connect(self._outcome_toggled)
        self.rationale.textChanged.connect(self._rationale_changed)
        self.participants.itemChanged.connect(self._participants_changed)
        for key in key_entry("record_decision").keys:
            shortcut = QShortcut(QKeySequence(key), self.form_page)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(self._record_if_enabled)

    def _resize_history_rows(self, *_args: object) -> None:
        self.history.resizeRowsToContents()

    def _outcome_toggled(self, *_args: object) -> None:
        self._clear_problem("Outcome")

    def _rationale_changed(self) -> None:
        self._clear_problem("Rationale")

    def _participants_changed(self, *_args: object) -> None:
        self.participants_problem.set_text("")

    # -- showing ----------------------------------------------------------------------------------------

    def show_debrief(self, debrief: Debrief | None, people: Sequence[PersonInfo]) -> None:
        """Show a candidate's decision. What is being typed stays when the same decision is shown again."""
        previous = self._debrief
        same = (
            previous is not None
            and debrief is not None
            and previous.candidate_id == debrief.candidate_id
            and _decision_id(previous.decision) == _decision_id(debrief.decision)
            and previous.viewer_id == debrief.viewer_id
        )
        self._debrief, self._people = debrief, list(people)
        self.history_model.set_history(debrief.history if debrief is not None else ())
        self.history.resizeRowsToContents()
        if debrief is None:
            self.status.setText("")
            self.status.hide()
            self._update_mode()
            return
        if not same:
            self._reopening = False
            self._clear_problems()
            self._fill_people(self._default_participants(debrief))
            self.rationale.clear()
            self.reopen_reason.clear()
            self._set_outcome(None)
        else:
            self._fill_people(self.checked_participants())
        self._show_status(debrief)
        self._update_mode()

    def _show_status(self, debrief: Debrief) -> None:
        d = debrief.decision
        self.status.setVisible(d is not None)
        if d is None:
            self.status.setText("")
        else:
            reopened = f"<br>Reopened because: {_esc(d.reopen_reason)}" if d.reopen_reason else ""
            when = _esc(local_text(d.decided_at))
            self.status.setText(
                f"<b>Decision: {_esc(d.label)}</b> · recorded by {_esc(d.decided_by)} on {when}"
                f"<br>Participants: {_esc(', '.join(d.participants) or 'none recorded')}"
                f"<br>Rationale: {_esc(d.rationale)}{reopened}"
            )

    def _update_mode(self) -> None:
        debrief = self._debrief
        lead = debrief is not None and debrief.viewer_is_lead
        decided = debrief is not None and debrief.decision is not None
        editing = lead and (not decided or self._reopening)
        self._set_form_shown(editing)
        self.history_pane.setVisible(bool(debrief is not None and debrief.history) and not editing)
        self.form.layout_.setRowVisible(self._reason_row, editing and decided)
        self.record_button.setVisible(editing)
        self.record_button.setText("Record amended decision" if decided else "Record decision")
        self.reopen_button.setVisible(lead and decided and not self._reopening)
        self.cancel_button.setVisible(lead and decided and self._reopening)
        if debrief is None:
            self.note.setText("")
        elif not lead:
            self.note.setText(LEAD_ONLY + ("" if decided else " It will appear here."))
        else:
            self.note.setText("")
        self.note.setVisible(bool(self.note.text()))

    def _set_form_shown(self, shown: bool) -> None:
        self.form_page.setVisible(shown)

    # -- the form ---------------------------------------------------------------------------------------

    def _default_participants(self, debrief: Debrief) -> set[int]:
        """The interviewers whose scorecards are shown, and the person using the app."""
        me = {debrief.viewer_id} if debrief.viewer_id is not None else set()
        return {c.interviewer_id for c in debrief.columns} | me

    def _fill_people(self, checked: set[int]) -> None:
        self.participants.blockSignals(True)
        self.participants.clear()
        for p in self._people:
            item = QListWidgetItem(p.label)
            item.setData(Qt.ItemDataRole.UserRole, p.id)
            item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if p.id in checked else Qt.CheckState.Unchecked)
            self.participants.addItem(item)
        self.participants.blockSignals(False)

    def checked_participants(self) -> set[int]:
        items = (self.participants.item(i) for i in range(self.participants.count()))
        return {int(it.data(Qt.ItemDataRole.UserRole)) for it in items if it.checkState() == Qt.CheckState.Checked}

    def outcome(self) -> str:
        return next((key for key, b in self.outcome_buttons.items() if b.isChecked()), "")

    def _set_outcome(self, key: str | None) -> None:
        self.outcome_group.setExclusive(False)  # an exclusive group cannot go back to "nothing chosen"
        for k, button in self.outcome_buttons.items():
            button.setChecked(k == key)
        self.outcome_group.setExclusive(True)

    def _clear_problem(self, key: str) -> None:
        if self.form.problem_for(key):
            problems = [p for p in self.form.problems_shown() if not p.startswith(f"{key}:")]
            self.form.show_problems(problems)

    def _clear_problems(self) -> None:
        self.form.clear_problems()
        self.participants_problem.set_text("")

    def start_reopen(self) -> None:
        """Reopen…: the form, filled with the decision in force, and the reason it changes."""
        debrief = self._debrief
        if debrief is None or debrief.decision is None or not debrief.viewer_is_lead:
            return
        d = debrief.decision
        self._reopening = True
        self._clear_problems()
        self._set_outcome(d.outcome)
        self.rationale.setPlainText(d.rationale)
        names = set(d.participants)
        self._fill_people({p.id for p in self._people if p.name in names} or self._default_participants(debrief))
        self.reopen_reason.clear()
        self._update_mode()
        self.reopen_reason.setFocus(Qt.FocusReason.OtherFocusReason)
        self.scroll_area.ensureWidgetVisible(self.reopen_reason)

    def cancel_reopen(self) -> None:
        self._reopening = False
        self._clear_problems()
        self._update_mode()

    def _record_if_enabled(self) -> None:
        if self.record_button.isVisible() and self.record_button.isEnabled():
            self.record()

    def record(self) -> None:
        """Record (or, when reopening, amend) the decision: ask the screen to write it (the button waits)."""
        debrief = self._debrief
        if debrief is None or not self.record_button.isEnabled():
            return
        request = DecisionRequest(
            candidate_id=debrief.candidate_id,
            outcome=self.outcome(),
            rationale=self.rationale.toPlainText(),
            participants=tuple(sorted(self.checked_participants())),
            reopen_reason=self.reopen_reason.text() if self._reopening else "",
        )
        self.set_busy(True)
        self.sig_record_requested.emit(request)

    def set_busy(self, busy: bool) -> None:
        """While the decision is being written, Record waits (a second click would record it twice)."""
        self.record_button.setEnabled(not busy)

    def show_refusal(self, exc: BaseException) -> None:
        """The service refused the decision: its problems under the fields, the form as it was typed."""
        self.set_busy(False)
        self._show_problems(list(exc.problems) if isinstance(exc, ValidationFailed) else [str(exc)])

    def _show_problems(self, problems: list[str]) -> None:
        mine = [p.partition(": ")[2] for p in problems if p.startswith("Participants: ")]
        self.participants_problem.set_text("\n".join(m[:1].upper() + m[1:] for m in mine))
        first = self.form.show_problems([p for p in problems if not p.startswith("Participants: ")])
        if first is None and mine:
            self.participants.setFocus(Qt.FocusReason.OtherFocusReason)
        elif first is not None:
            target: QWidget = first if first is not self.outcome_box else next(iter(self.outcome_buttons.values()))
            target.setFocus(Qt.FocusReason.OtherFocusReason)

    def problems_shown(self) -> list[str]:
        """Every problem on screen, as "Field: message" lines."""
        shown = self.form.problems_shown()
        if self.participants_problem.text():
            shown.append(f"Participants: {self.participants_problem.text()}")
        return shown


def _decision_id(decision: DecisionInfo | None) -> int | None:
    return decision.id if decision is not None else None
