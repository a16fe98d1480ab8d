"""The New loop dialog (a candidate, a template or an empty loop, the start, the interviewers) and the small
helpers the Loops section's forms share."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from PySide6.QtCore import QDateTime, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from interviewkit.services.loops import BREAK_MINUTES, TemplateStage, loop_templates, template_stages
from interviewkit.services.people import candidates, people
from interviewkit.ui.widgets.formatting import from_qdatetime, local_text, minutes_text, plural, to_qdatetime

if TYPE_CHECKING:
    from interviewkit.services.context import AppContext

__all__ = ["DATETIME_FORMAT", "NewLoop", "NewLoopDialog", "next_working_morning", "show_problems"]

DATETIME_FORMAT = "ddd d MMM yyyy  HH:mm"


def show_problems(label: QLabel, problems: Sequence[str]) -> None:
    """Put a service's problems in an inline label (icon-like mark and words), or hide it."""
    label.setText("\n".join(f"⚠ {p}" for p in problems))
    label.setVisible(bool(problems))


def next_working_morning(now: datetime | None = None) -> QDateTime:
    """09:00 local time on the next weekday: a sensible first guess for a loop's start."""
    day = (now or datetime.now()).astimezone() + timedelta(days=1)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return to_qdatetime(day.replace(hour=9, minute=0, second=0, microsecond=0))


def _problem_label() -> QLabel:
    label = QLabel(wordWrap=True)
    label.setProperty("state", "warning")
    label.setProperty("role", "problems")
    label.setAccessibleName("Problems")
    label.hide()
    return label


@dataclass(frozen=True)
class NewLoop:
    """The loop the New loop dialog asks for, in the services' terms (``start`` in UTC)."""

    candidate_id: int
    template_id: str | None
    name: str
    start: datetime | None
    interviewers: list[int | None]


class NewLoopDialog(QDialog):
    """Choose the candidate, a template (or an empty loop), the start and an interviewer for each stage.

    It creates nothing itself: "Create loop" emits :attr:`sig_submitted`, the screen creates
    :meth:`new_loop` and calls :meth:`created` (the dialog closes) or :meth:`refused` (it stays, with
    everything typed, and says why).
    """

    sig_submitted = Signal()
    """Create loop was pressed with a candidate chosen: :meth:`new_loop` says what to create."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.loop_id: int | None = None
        self._saving = False
        self._stages: list[TemplateStage] = []
        self._people = [(p.id, p.label) for p in people(ctx.db)]
        self.setWindowTitle("New loop")
        self.setObjectName("newLoopDialog")
        self.setMinimumWidth(560)
        self._build_fields()
        self._build_buttons()
        self._lay_out()
        self.template.currentIndexChanged.connect(self._on_template)
        self.start.dateTimeChanged.connect(self._update_times)
        self._on_template()
        self.candidate.setFocus()

    def _build_fields(self) -> None:
        self.candidate = QComboBox()
        self.candidate.setAccessibleName("Candidate")
        self.candidate.setEditable(True)
        self.candidate.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        for c in candidates(self._ctx.db, by=self._ctx.user_id):
            if not c.erased:
                self.candidate.addItem(f"{c.name} — {c.opening_title}", c.id)
        edit, completer = self.candidate.lineEdit(), self.candidate.completer()
        assert edit is not None and completer is not None  # an editable combo box has both
        edit.setPlaceholderText("Type to find a candidate")
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.template = QComboBox()
        self.template.setAccessibleName("Loop template")
        for t in loop_templates(self._ctx.db):
            self.template.addItem(f"{t.name}  ({plural(t.stages, 'stage')}, {minutes_text(t.minutes)})", t.id)
            tip = (t.description or t.name) + (f"\n\nPartial on purpose: {t.partial}" if t.partial else "")
            self.template.setItemData(self.template.count() - 1, tip, Qt.ItemDataRole.ToolTipRole)
        self.template.addItem("Empty loop: add the stages yourself", "")
        self.name = QLineEdit(placeholderText="Optional: the template's name by default")
        self.name.setAccessibleName("Loop name")
        self.start = QDateTimeEdit(next_working_morning())
        self.start.setAccessibleName("First stage starts")
        self.start.setCalendarPopup(True)
        self.start.setDisplayFormat(DATETIME_FORMAT)
        self.start_hint = QLabel(wordWrap=True)
        self.start_hint.setProperty("role", "subtle")
        self.interviewers_box = QGroupBox("Interviewers")
        self.interviewer_form = QFormLayout(self.interviewers_box)
        self.interviewer_combos: list[QComboBox] = []
        self.problems = _problem_label()

    def _build_buttons(self) -> None:
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.create_button = self.buttons.addButton("Create loop", QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setAutoDefault(False)  # Enter creates
        self.create_button.setDefault(True)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

    def _lay_out(self) -> None:
        form = QFormLayout()
        form.addRow("&Candidate:", self.candidate)
        form.addRow("&Template:", self.template)
        form.addRow("&Name:", self.name)
        form.addRow("&Starts:", self.start)
        form.addRow("", self.start_hint)
        layout = QVBoxLayout(self)
        if self.candidate.count() == 0:
            empty = QLabel(
                "There are no candidates yet. Add the candidate under People first, then create the loop.",
                wordWrap=True,
            )
            empty.setProperty("state", "warning")
            layout.addWidget(empty)
            self.create_button.setEnabled(False)
        layout.addLayout(form)
        layout.addWidget(self.interviewers_box)
        layout.addWidget(self.problems)
        layout.addStretch(1)
        layout.addWidget(self.buttons)

    def select_candidate(self, candidate_id: int) -> None:
        self.candidate.setCurrentIndex(max(self.candidate.findData(candidate_id), 0))

    def select_template(self, template_id: str) -> None:
        """``""`` chooses the empty loop."""
        self.template.setCurrentIndex(max(self.template.findData(template_id), 0))

    def _on_template(self) -> None:
        template_id = self.template.currentData() or ""
        self._stages = template_stages(self._ctx.db, template_id) if template_id else []
        while self.interviewer_form.rowCount():
            self.interviewer_form.removeRow(0)
        self.interviewer_combos = []
        for st in self._stages:
            combo = QComboBox()
            combo.setAccessibleName(f"Interviewer for {st.name}")
            combo.addItem("Assign later", None)
            for pid, label in self._people:
                combo.addItem(label, pid)
            self.interviewer_combos.append(combo)
            self.interviewer_form.addRow(QLabel(), combo)
        self.interviewers_box.setVisible(bool(self._stages))
        self.start.setEnabled(bool(self._stages))
        self._update_times()
        self.adjustSize()

    def _update_times(self) -> None:
        if not self._stages:
            self.start_hint.setText("An empty loop has no stages yet: each stage gets its own date when you add it.")
            return
        when = from_qdatetime(self.start.dateTime())
        total = sum(st.minutes for st in self._stages) + BREAK_MINUTES * (len(self._stages) - 1)
        self.start_hint.setText(
            f"{plural(len(self._stages), 'stage')} back to back with {BREAK_MINUTES}-minute breaks, "
            f"ending around {local_text(when + timedelta(minutes=total))}"
        )
        for i, st in enumerate(self._stages):
            item = self.interviewer_form.itemAt(i, QFormLayout.ItemRole.LabelRole)
            label = item.widget() if item is not None else None
            if isinstance(label, QLabel):
                label.setText(f"{st.position}. {st.name}\n{local_text(when)} · {st.minutes} min")
            when += timedelta(minutes=st.minutes + BREAK_MINUTES)

    # -- creating ---------------------------------------------------------------------------------------

    def new_loop(self) -> NewLoop:
        """The loop to create, as the form says now."""
        template_id = self.template.currentData() or None
        return NewLoop(
            candidate_id=int(self.candidate.currentData()),
            template_id=template_id,
            name=self.name.text().strip(),
            start=from_qdatetime(self.start.dateTime()) if template_id else None,
            interviewers=[c.currentData() for c in self.interviewer_combos],
        )

    def accept(self) -> None:
        """Create loop: a candidate from the list is needed; then the screen creates it (the dialog waits)."""
        if self._saving:
            return
        candidate_id = self.candidate.currentData()
        if candidate_id is None or self.candidate.currentText() != self.candidate.itemText(
            self.candidate.currentIndex()
        ):
            show_problems(self.problems, ["Candidate: choose one from the list"])
            return
        show_problems(self.problems, [])
        self._set_saving(True)
        self.sig_submitted.emit()

    def created(self, loop_id: int) -> None:
        """The loop exists: close."""
        self._set_saving(False)
        self.loop_id = loop_id
        super().accept()

    def refused(self, problems: Sequence[str]) -> None:
        """The services refused: say why, keep everything typed."""
        self._set_saving(False)
        show_problems(self.problems, problems)

    def reject(self) -> None:
        if not self._saving:  # while the loop is being created, Esc waits for the answer
            super().reject()

    def _set_saving(self, on: bool) -> None:
        self._saving = on
        self.create_button.setEnabled(not on)
        self.create_button.setText("Creating…" if on else "Create loop")
