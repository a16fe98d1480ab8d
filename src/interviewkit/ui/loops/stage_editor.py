"""The editor of one stage: name, interviewer, date and time, length, focus and the ordered question plan.

It shows a stage and says what the user changed; :class:`~interviewkit.ui.loops.view.LoopsView` saves it.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QAbstractSpinBox,
    QCheckBox,
    QComboBox,
    QDateTimeEdit,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QSpinBox,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from interviewkit.ui.loops.dialogs import DATETIME_FORMAT, next_working_morning, show_problems
from interviewkit.ui.loops.models import CompetencyCheckModel, PlanModel
from interviewkit.ui.loops.plan_view import PlanListView
from interviewkit.ui.widgets.delegates import CardDelegate, CheckDelegate
from interviewkit.ui.widgets.formatting import from_qdatetime, plural, to_qdatetime
from interviewkit.ui.widgets.roles import state_icon
from interviewkit.ui.widgets.shortcuts import key_of

if TYPE_CHECKING:
    from interviewkit.services.bank_queries import CompetencyInfo
    from interviewkit.services.loops import StageDetail

__all__ = ["StageEditor", "StageFields", "planned_text"]


@dataclass(frozen=True)
class StageFields:
    """What the editor's fields say, in the services' terms (UTC time)."""

    name: str
    minutes: int
    focus: list[str]
    interviewer_id: int | None
    scheduled_at: datetime | None

    def differ_from(self, stage: StageDetail) -> bool:
        """Whether saving these fields would change ``stage`` (times to the second, focus in any order)."""

        def second(when: datetime | None) -> int | None:
            return int(when.timestamp()) if when is not None else None

        mine = (self.name, self.minutes, set(self.focus), self.interviewer_id, second(self.scheduled_at))
        return mine != (stage.name, stage.minutes, set(stage.focus), stage.interviewer_id, second(stage.scheduled_at))


def planned_text(planned: int, minutes: int) -> tuple[str, str]:
    """('Planned 52 of 60 minutes', state): the words say it all, the state only styles it."""
    if planned > minutes:
        return f"Planned {planned} of {minutes} minutes: {plural(planned - minutes, 'minute')} over", "warning"
    free = minutes - planned
    extra = f", {free} free" if free else ""
    return f"Planned {planned} of {minutes} minutes{extra}", "ok" if planned else ""


class StageEditor(QWidget):
    """Edit the selected stage. Every change is reported at once; there is no Save button."""

    sig_fields_edited = Signal()
    """The name, interviewer, date and time, length or focus changed; ``fields()`` has the values."""

    sig_plan_edited = Signal(list)
    """The plan's question ids in their new order (after a move or a removal)."""

    sig_add_question_requested = Signal()
    """The user asked to add questions to the plan (Add question…, Ctrl+K)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("stageEditor")
        self._stage: StageDetail | None = None
        self._heading = ""
        self._pending_current: int | None = None  # the plan row to select after a removal is saved
        self._editable = True  # False for someone who may not plan loops: everything shows, nothing edits
        self._build_fields()
        self._build_focus()
        self._build_plan()
        self._build_actions()
        self._lay_out()
        self._connect()
        self.show_message("Select a stage to edit it.")

    # -- building ---------------------------------------------------------------------------------------

    def _build_fields(self) -> None:
        self.heading = QLabel()
        self.heading.setProperty("role", "pane-title")
        self.name = QLineEdit()
        self.interviewer = QComboBox()
        self.interviewer.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.interviewer.setMinimumContentsLength(14)
        self.scheduled = QCheckBox()
        self.scheduled.setToolTip("Clear to leave the stage unscheduled")
        self.when = QDateTimeEdit()
        self.when.setCalendarPopup(True)
        self.when.setDisplayFormat(DATETIME_FORMAT)
        self.when.setKeyboardTracking(False)
        self.minutes = QSpinBox()
        self.minutes.setRange(5, 480)
        self.minutes.setSingleStep(5)
        self.minutes.setSuffix(" min")
        self.minutes.setKeyboardTracking(False)
        self.minutes.setCorrectionMode(QAbstractSpinBox.CorrectionMode.CorrectToNearestValue)
        for widget, name in (
            (self.name, "Stage name"),
            (self.interviewer, "Interviewer"),
            (self.scheduled, "Scheduled"),
            (self.when, "Date and time"),
            (self.minutes, "Length in minutes"),
        ):
            widget.setAccessibleName(name)
        self.problems = QLabel(wordWrap=True)
        self.problems.setProperty("state", "warning")
        self.problems.setAccessibleName("Problems with this stage")
        self.problems.hide()

    def _build_focus(self) -> None:
        self.focus_model = CompetencyCheckModel(self)
        self.focus_view = QListView()
        self.focus_view.setObjectName("focusList")
        self.focus_view.setAccessibleName("Focus competencies")
        self.focus_view.setModel(self.focus_model)
        self.focus_view.setItemDelegate(CheckDelegate(self.focus_view))
        self.focus_view.setUniformItemSizes(True)
        self.focus_view.setMinimumWidth(150)
        self.focus_view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.focus_view.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.focus_summary = QLabel(wordWrap=True)
        self.focus_summary.setProperty("role", "subtle")

    def _build_plan(self) -> None:
        self.plan_model = PlanModel(self)
        self.plan_view = PlanListView()
        self.plan_view.setObjectName("planList")
        self.plan_view.setAccessibleName("Question plan")
        self.plan_view.setModel(self.plan_model)
        self.plan_view.setItemDelegate(CardDelegate(self.plan_view))
        self.plan_view.setUniformItemSizes(False)
        self.plan_view.setToolTip("Drag a question, or use Alt+Up and Alt+Down, to change the order")
        self.planned_icon = QLabel()
        self.planned_icon.setFixedSize(QSize(18, 18))
        self.planned = QLabel(wordWrap=True)
        self.planned.setAccessibleName("Planned minutes")
        self.planned.setObjectName("plannedMinutes")

    def _build_actions(self) -> None:
        self.act_add_question = self._action(
            "&Add question…", key_of("plan_add_question"), "Add questions from the bank", self
        )
        self.act_remove_question = self._action(
            "&Remove", key_of("remove_question"), "Remove the selected question from the plan", self.plan_view
        )
        self.act_question_up = self._action(
            "Move &up", key_of("question_earlier"), "Ask the selected question earlier", self.plan_view
        )
        self.act_question_down = self._action(
            "Move &down", key_of("question_later"), "Ask the selected question later", self.plan_view
        )
        self.act_add_question.setIconText("Add question…")
        self.act_add_question.triggered.connect(self.sig_add_question_requested)
        self.act_remove_question.triggered.connect(self.remove_current_question)
        self.act_question_up.triggered.connect(lambda: self.move_current_question(-1))
        self.act_question_down.triggered.connect(lambda: self.move_current_question(1))

    def _fields_grid(self) -> QGridLayout:
        when_row = QHBoxLayout()
        when_row.setContentsMargins(0, 0, 0, 0)
        when_row.addWidget(self.scheduled)
        when_row.addWidget(self.when, 1)
        grid = QGridLayout()
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(8)
        for col, (text, field) in enumerate((("&Name:", self.name), ("&Interviewer:", self.interviewer))):
            label = QLabel(text)
            label.setBuddy(field)
            grid.addWidget(label, 0, col * 2)
            grid.addWidget(field, 0, col * 2 + 1)
        when_label = QLabel("&Date and time:")
        when_label.setBuddy(self.when)
        length_label = QLabel("&Length:")
        length_label.setBuddy(self.minutes)
        grid.addWidget(when_label, 1, 0)
        grid.addLayout(when_row, 1, 1)
        grid.addWidget(length_label, 1, 2)
        grid.addWidget(self.minutes, 1, 3)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(3, 1)
        return grid

    def _plan_box(self) -> QVBoxLayout:
        plan_label = QLabel("Question plan")
        plan_label.setProperty("role", "pane-title")
        plan_head = QHBoxLayout()
        plan_head.setSpacing(4)
        plan_head.addWidget(self.planned_icon)
        plan_head.addWidget(self.planned, 1)
        buttons = QHBoxLayout()
        buttons.setSpacing(2)
        for act in (self.act_add_question, self.act_remove_question, self.act_question_up, self.act_question_down):
            button = QToolButton()
            button.setDefaultAction(act)
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
            buttons.addWidget(button)
        buttons.addStretch(1)
        plan_box = QVBoxLayout()
        plan_box.setSpacing(3)
        plan_box.addWidget(plan_label)
        plan_box.addLayout(plan_head)
        plan_box.addWidget(self.plan_view, 1)
        plan_box.addLayout(buttons)
        return plan_box

    def _focus_box(self) -> QVBoxLayout:
        focus_label = QLabel("&Focus, rated in this stage")
        focus_label.setProperty("role", "pane-title")
        focus_label.setBuddy(self.focus_view)
        focus_box = QVBoxLayout()
        focus_box.setSpacing(3)
        focus_box.addWidget(focus_label)
        focus_box.addWidget(self.focus_view, 1)
        focus_box.addWidget(self.focus_summary)
        return focus_box

    def _lay_out(self) -> None:
        bottom = QHBoxLayout()
        bottom.addLayout(self._plan_box(), 5)
        bottom.addSpacing(6)
        bottom.addLayout(self._focus_box(), 2)
        self.page = QWidget()
        layout = QVBoxLayout(self.page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.heading)
        layout.addLayout(self._fields_grid())
        layout.addWidget(self.problems)
        layout.addSpacing(4)
        layout.addLayout(bottom, 1)
        self.empty = QLabel(alignment=Qt.AlignmentFlag.AlignCenter, wordWrap=True)
        self.empty.setProperty("role", "empty-state")
        self.stack = QStackedWidget()
        self.stack.addWidget(self.page)
        self.stack.addWidget(self.empty)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.stack)
        chain = [self.name, self.interviewer, self.scheduled, self.when, self.minutes, self.focus_view, self.plan_view]
        for first, second in itertools.pairwise(chain):
            self.setTabOrder(first, second)

    def _connect(self) -> None:
        self.name.editingFinished.connect(self._edited)
        self.interviewer.currentIndexChanged.connect(self._edited)
        self.scheduled.toggled.connect(self._on_scheduled)
        self.when.dateTimeChanged.connect(self._edited)
        self.minutes.valueChanged.connect(self._edited)
        self.focus_model.dataChanged.connect(self._on_focus)
        self.plan_view.sig_reordered.connect(self._plan_edited)
        self.plan_view.selectionModel().currentChanged.connect(self._update_plan_actions)
        self.plan_model.modelReset.connect(self._update_plan_actions)
        self.plan_model.rowsMoved.connect(self._update_plan_actions)

    def _action(self, text: str, shortcut: Any, tip: str, widget: QWidget) -> QAction:
        action = QAction(text, self)
        action.setShortcut(QKeySequence(shortcut))
        action.setShortcutContext(
            Qt.ShortcutContext.WidgetWithChildrenShortcut if widget is self else Qt.ShortcutContext.WidgetShortcut
        )
        seq = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
        action.setToolTip(f"{tip} ({seq})")
        widget.addAction(action)
        return action

    # -- showing ----------------------------------------------------------------------------------------

    @property
    def stage(self) -> StageDetail | None:
        return self._stage

    def show_message(self, text: str) -> None:
        """No stage to edit: say what to do instead."""
        self._stage = None
        self.empty.setText(text)
        self.stack.setCurrentWidget(self.empty)
        self.act_add_question.setEnabled(False)
        self._update_plan_actions()

    def show_stage(
        self,
        stage: StageDetail,
        *,
        stage_count: int,
        people: Sequence[tuple[int, str]],
        competencies: Sequence[CompetencyInfo],
        competency_names: Mapping[str, str],
        keep_problems: bool = False,
    ) -> None:
        """Fill the fields from ``stage`` (a fresh copy from the database)."""
        same = self._stage is not None and self._stage.id == stage.id
        current_question = self.current_question_id() if same else None
        self._stage = stage
        self.stack.setCurrentWidget(self.page)
        status = {"draft": " · scorecard in progress", "submitted": " · scorecard submitted"}.get(
            stage.scorecard_status or "", ""
        )
        self._heading = f"Stage {stage.position} of {stage_count}{status}"
        widgets = (self.name, self.interviewer, self.scheduled, self.when, self.minutes)
        for w in widgets:
            w.blockSignals(True)
        try:
            if self.name.text() != stage.name:
                self.name.setText(stage.name)
            self.interviewer.clear()
            self.interviewer.addItem("No interviewer yet", None)
            for pid, label in people:
                self.interviewer.addItem(label, pid)
            if stage.interviewer_id is not None and self.interviewer.findData(stage.interviewer_id) < 0:
                self.interviewer.addItem(f"{stage.interviewer} (inactive)", stage.interviewer_id)
            self.interviewer.setCurrentIndex(max(self.interviewer.findData(stage.interviewer_id), 0))
            # once a scorecard exists it belongs to its interviewer: the stage cannot change hands
            self.interviewer.setEnabled(stage.scorecard_status is None)
            self.interviewer.setToolTip(
                ""
                if stage.scorecard_status is None
                else f"{stage.interviewer} has a scorecard for this stage: the interviewer cannot change"
            )
            self.scheduled.setChecked(stage.scheduled_at is not None)
            self.when.setEnabled(stage.scheduled_at is not None)
            self.when.setDateTime(to_qdatetime(stage.scheduled_at) if stage.scheduled_at else next_working_morning())
            self.minutes.setValue(stage.minutes)
        finally:
            for w in widgets:
                w.blockSignals(False)
        self.focus_model.set_competencies(competencies, stage.focus)  # a reset: no edit is reported
        self._update_focus_summary()
        self.plan_model.set_questions(stage.questions, competency_names)
        self._update_planned()
        if current_question is not None:
            self.select_question(current_question)
        if not keep_problems:
            show_problems(self.problems, [])
        self._apply_editable()

    def set_editable(self, on: bool) -> None:
        """Let the person edit the stage, or show it read-only (for those who may not plan loops)."""
        if on != self._editable:
            self._editable = on
            if self._stage is not None:
                self._apply_editable()

    @property
    def editable(self) -> bool:
        return self._editable

    def _apply_editable(self) -> None:
        on, stage = self._editable, self._stage
        self.heading.setText(self._heading + ("" if on else " · read-only"))
        self.heading.setToolTip("" if on else "Only coordinators, hiring managers and admins plan loops.")
        for w in (self.name, self.when, self.minutes):
            w.setReadOnly(not on)
        self.scheduled.setEnabled(on)
        if stage is not None:
            self.interviewer.setEnabled(on and stage.scorecard_status is None)
            self.when.setEnabled(stage.scheduled_at is not None)
        screen = stage is not None and stage.is_screen
        self.focus_view.setEnabled(on and not screen)
        self.plan_view.setDragDropMode(
            QAbstractItemView.DragDropMode.InternalMove if on else QAbstractItemView.DragDropMode.NoDragDrop
        )
        self.act_add_question.setEnabled(on and stage is not None and not screen)
        self._update_plan_actions()

    def show_problems(self, problems: Sequence[str]) -> None:
        show_problems(self.problems, problems)

    def _update_planned(self) -> None:
        planned = sum(q.minutes for q in self.plan_model.values())
        text, state = planned_text(planned, self.minutes.value())
        if not self.plan_model.rowCount():
            text = f"No questions planned yet for these {self.minutes.value()} minutes: Add question… (Ctrl+K)"
        if self._stage is not None and self._stage.is_screen:  # a checklist from the template, not questions
            items, answered = plural(len(self._stage.checklist), "checklist item"), self._stage.screen_answered
            text, state = f"A recruiter's screen: {items}, {answered} answered; no questions to plan", ""
        self.planned.setText(text)
        self.planned.setProperty("state", state)
        self.planned.style().unpolish(self.planned)
        self.planned.style().polish(self.planned)
        icon = state_icon("warning") if state == "warning" else None
        self.planned_icon.setPixmap(icon.pixmap(16, 16) if icon is not None else QLabel().pixmap())
        self.planned_icon.setVisible(icon is not None)

    def _update_focus_summary(self) -> None:
        n = len(self.focus_model.checked_ids())
        if n:
            text = f"{plural(n, 'competency', 'competencies')} rated in this stage"
        elif self._stage is not None and self._stage.is_screen:
            text = "A screen rates no competency"
        else:
            text = "⚠ No focus: the interviewer will rate nothing"
        self.focus_summary.setText(text)

    # -- reading ----------------------------------------------------------------------------------------

    def fields(self) -> StageFields:
        return StageFields(
            name=self.name.text(),
            minutes=self.minutes.value(),
            focus=self.focus_model.checked_ids(),
            interviewer_id=self.interviewer.currentData(),
            scheduled_at=from_qdatetime(self.when.dateTime()) if self.scheduled.isChecked() else None,
        )

    def current_question_id(self) -> str | None:
        index = self.plan_view.currentIndex()
        return self.plan_model.value(index.row()).question_id if index.isValid() else None

    def select_question(self, question_id: str) -> bool:
        row = self.plan_model.row_of(question_id)
        if row < 0:
            return False
        self.plan_view.setCurrentIndex(self.plan_model.index(row))
        return True

    # -- editing ----------------------------------------------------------------------------------------

    def _edited(self, *args: Any) -> None:
        if self._stage is not None:
            self._update_planned()
            self.sig_fields_edited.emit()

    def _on_scheduled(self, on: bool) -> None:
        self.when.setEnabled(on)
        self._edited()

    def _on_focus(self, *args: Any) -> None:
        self._update_focus_summary()
        self._edited()

    def _plan_edited(self) -> None:
        self._update_planned()
        self._update_plan_actions()
        self.sig_plan_edited.emit(self.plan_model.question_ids())

    def move_current_question(self, delta: int) -> None:
        """Alt+Up / Alt+Down."""
        index = self.plan_view.currentIndex()
        if index.isValid() and self.plan_model.move_row(index.row(), delta):
            self.plan_view.scrollTo(self.plan_view.currentIndex())
            self._plan_edited()

    def remove_current_question(self) -> None:
        """Delete: take the selected question out of the plan; the next one becomes current."""
        index = self.plan_view.currentIndex()
        if not index.isValid():
            return
        ids = self.plan_model.question_ids()
        del ids[index.row()]
        self._pending_current = min(index.row(), len(ids) - 1)
        self.sig_plan_edited.emit(ids)

    def after_plan_saved(self) -> None:
        """Keep the place in the plan after a removal was saved and the stage shown again."""
        row = self._pending_current
        if row is not None and 0 <= row < self.plan_model.rowCount():
            self.plan_view.setCurrentIndex(self.plan_model.index(row))
        self._pending_current = None
        self._update_plan_actions()

    def _update_plan_actions(self, *args: Any) -> None:
        index = self.plan_view.currentIndex()
        rows = self.plan_model.rowCount()
        has = self._editable and self._stage is not None and index.isValid()
        self.act_remove_question.setEnabled(has)
        self.act_question_up.setEnabled(has and index.row() > 0)
        self.act_question_down.setEnabled(has and index.row() < rows - 1)
