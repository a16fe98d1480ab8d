"""Dialogs of the Loops section: a new loop for a candidate, and a question picker for a stage's plan."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QDateTime, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QCompleter,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from interviewkit.ui.widgets.question_model import KIND_LABELS, QuestionFilterProxy, QuestionTableModel, SummaryRole
from interviewkit.ui.widgets.formatting import from_qdatetime, local_text, minutes_text, plural, to_qdatetime
from interviewkit.ui.loops.models import state_icon

if TYPE_CHECKING:
    from interviewkit.services.bank_queries import QuestionSummary
    from interviewkit.services.context import AppContext
    from interviewkit.services.loops import TemplateStage

__all__ = ["NewLoopDialog", "QuestionPickerDialog", "next_working_morning", "show_problems"]

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


class NewLoopDialog(QDialog):
    """Choose the candidate, a template (or an empty loop), the start and an interviewer for each stage."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        from interviewkit.services.loops import loop_templates
        from interviewkit.services.people import candidates, people

        self._ctx = ctx
        self.loop_id: int | None = None
        self._stages: list[TemplateStage] = []
        self.setWindowTitle("New loop")
        self.setObjectName("newLoopDialog")
        self.setMinimumWidth(560)

        self.candidate = QComboBox(accessibleName="Candidate")
        self.candidate.setEditable(True)
        self.candidate.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.candidate.lineEdit().setPlaceholderText("Type to find a candidate")
        for c in candidates(ctx.db, by=ctx.user_id):
            if not c.erased:
                self.candidate.addItem(f"{c.name} — {c.opening_title}", c.id)
        completer = self.candidate.completer()
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.template = QComboBox(accessibleName="Loop template")
        for t in loop_templates(ctx.db):
            self.template.addItem(f"{t.name}  ({plural(t.stages, 'stage')}, {minutes_text(t.minutes)})", t.id)
            self.template.setItemData(self.template.count() - 1, t.description or t.name, Qt.ItemDataRole.ToolTipRole)
        self.template.addItem("Empty loop: add the stages yourself", "")
        self.name = QLineEdit(placeholderText="Optional: the template's name by default", accessibleName="Loop name")
        self.start = QDateTimeEdit(next_working_morning(), accessibleName="First stage starts")
        self.start.setCalendarPopup(True)
        self.start.setDisplayFormat(DATETIME_FORMAT)
        self.start_hint = QLabel(wordWrap=True)
        self.start_hint.setProperty("role", "subtle")

        self._people = [(p.id, p.label) for p in people(ctx.db)]
        self.interviewers_box = QGroupBox("Interviewers")
        self.interviewer_form = QFormLayout(self.interviewers_box)
        self.interviewer_combos: list[QComboBox] = []

        self.problems = _problem_label()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.create_button = self.buttons.addButton("Create loop", QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setAutoDefault(False)  # Enter creates
        self.create_button.setDefault(True)

        form = QFormLayout()
        form.addRow("&Candidate:", self.candidate)
        form.addRow("&Template:", self.template)
        form.addRow("&Name:", self.name)
        form.addRow("&Starts:", self.start)
        form.addRow("", self.start_hint)
        layout = QVBoxLayout(self)
        if self.candidate.count() == 0:
            empty = QLabel("There are no candidates yet. Add the candidate under People first, then create the loop.",
                           wordWrap=True)
            empty.setProperty("state", "warning")
            layout.addWidget(empty)
            self.create_button.setEnabled(False)
        layout.addLayout(form)
        layout.addWidget(self.interviewers_box)
        layout.addWidget(self.problems)
        layout.addStretch(1)
        layout.addWidget(self.buttons)

        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.template.currentIndexChanged.connect(self._on_template)
        self.start.dateTimeChanged.connect(self._update_times)
        self._on_template()
        self.candidate.setFocus()

    def select_candidate(self, candidate_id: int) -> None:
        self.candidate.setCurrentIndex(max(self.candidate.findData(candidate_id), 0))

    def select_template(self, template_id: str) -> None:
        """``""`` chooses the empty loop."""
        self.template.setCurrentIndex(max(self.template.findData(template_id), 0))

    def _on_template(self) -> None:
        from interviewkit.services.loops import template_stages

        template_id = self.template.currentData() or ""
        self._stages = template_stages(self._ctx.db, template_id) if template_id else []
        while self.interviewer_form.rowCount():
            self.interviewer_form.removeRow(0)
        self.interviewer_combos = []
        for st in self._stages:
            combo = QComboBox(accessibleName=f"Interviewer for {st.name}")
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
        from interviewkit.services.loops import BREAK_MINUTES

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
            label = self.interviewer_form.itemAt(i, QFormLayout.ItemRole.LabelRole)
            if label is not None and isinstance(label.widget(), QLabel):
                label.widget().setText(f"{st.position}. {st.name}\n{local_text(when)} · {st.minutes} min")
            when += timedelta(minutes=st.minutes + BREAK_MINUTES)

    def accept(self) -> None:
        """Create the loop; problems stay in the dialog with everything typed kept."""
        from interviewkit.services.errors import ServiceError, ValidationFailed
        from interviewkit.services.loops import create_loop

        candidate_id = self.candidate.currentData()
        if candidate_id is None or self.candidate.currentText() != self.candidate.itemText(self.candidate.currentIndex()):
            show_problems(self.problems, ["Candidate: choose one from the list"])
            return
        template_id = self.template.currentData() or None
        try:
            self.loop_id = create_loop(
                self._ctx.db,
                int(candidate_id),
                template_id=template_id,
                name=self.name.text().strip(),
                start=from_qdatetime(self.start.dateTime()) if template_id else None,
                interviewers=[c.currentData() for c in self.interviewer_combos],
                by=self._ctx.user_id,
            )
        except ValidationFailed as exc:
            show_problems(self.problems, exc.problems)
            return
        except ServiceError as exc:
            show_problems(self.problems, [str(exc)])
            return
        super().accept()


class _PickerProxy(QuestionFilterProxy):
    """The bank browser's filter, without the stage's own questions; questions planned elsewhere are marked."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.exclude: set[str] = set()
        self.elsewhere: dict[str, list[str]] = {}

    def filterAcceptsRow(self, source_row: int, source_parent: Any) -> bool:
        q = self.sourceModel().data(self.sourceModel().index(source_row, 0, source_parent), SummaryRole)
        return q is not None and q.id not in self.exclude and super().filterAcceptsRow(source_row, source_parent)

    def data(self, index: Any, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        marked = (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.DecorationRole, Qt.ItemDataRole.ToolTipRole)
        if index.isValid() and index.column() == 0 and role in marked:
            q = super().data(index, SummaryRole)
            stages = self.elsewhere.get(q.id) if q is not None else None
            if stages:
                if role == Qt.ItemDataRole.DecorationRole:
                    return state_icon("warning")
                if role == Qt.ItemDataRole.DisplayRole:
                    return f"{q.title} (already in {', '.join(stages)})"
                return f"{q.title}\nAlready planned in: {', '.join(stages)}"
        return super().data(index, role)


class QuestionPickerDialog(QDialog):
    """Search the bank as you type, filter by competency and kind, and add questions to a stage's plan."""

    def __init__(
        self,
        questions: Sequence[QuestionSummary],
        competency_names: Mapping[str, str],
        search: Callable[[str], list[str]],
        *,
        stage_name: str,
        free_minutes: int,
        planned_here: Sequence[str] = (),
        planned_elsewhere: Mapping[str, list[str]] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._search = search
        self._free = free_minutes
        self.setWindowTitle(f"Add questions to {stage_name}")
        self.setObjectName("questionPicker")
        self.resize(860, 560)

        self.search = QLineEdit(placeholderText="Search questions: title, prompt, rubric, competency")
        self.search.setProperty("role", "search")
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName("Search questions")
        self.competency = QComboBox(accessibleName="Filter by competency")
        self.competency.addItem("All competencies", "")
        for cid, name in competency_names.items():
            self.competency.addItem(name, cid)
        self.kind = QComboBox(accessibleName="Filter by kind")
        self.kind.addItem("All kinds", "")
        for key, label in KIND_LABELS.items():
            self.kind.addItem(label, key)

        self.model = QuestionTableModel(self)
        self.model.set_questions(questions, dict(competency_names))
        self.proxy = _PickerProxy(self)
        self.proxy.exclude = set(planned_here)
        self.proxy.elsewhere = dict(planned_elsewhere or {})
        self.proxy.setSourceModel(self.model)
        self.table = QTableView()
        self.table.setObjectName("pickerTable")
        self.table.setModel(self.proxy)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.setShowGrid(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.setColumnWidth(1, 200)
        self.table.setColumnWidth(2, 100)
        self.table.setColumnWidth(3, 44)
        self.table.setColumnWidth(4, 44)
        self.table.setColumnHidden(5, True)
        self.count_label = QLabel()
        self.count_label.setProperty("role", "subtle")
        self.budget = QLabel()
        self.budget.setAccessibleName("Time left in this stage")

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.add_button = self.buttons.addButton("Add to plan", QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.button(QDialogButtonBox.StandardButton.Close).setAutoDefault(False)  # Enter adds
        self.add_button.setDefault(True)
        self.add_button.setToolTip("Add the selected questions at the end of the plan (Enter)")

        filters = QHBoxLayout()
        filters.addWidget(self.search, 3)
        filters.addWidget(self.competency, 1)
        filters.addWidget(self.kind)
        bottom = QHBoxLayout()
        bottom.addWidget(self.count_label)
        bottom.addStretch(1)
        bottom.addWidget(self.budget)
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addLayout(bottom)
        layout.addWidget(self.buttons)

        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.search.textChanged.connect(self._on_search)
        self.competency.currentIndexChanged.connect(self._on_filters)
        self.kind.currentIndexChanged.connect(self._on_filters)
        self.table.doubleClicked.connect(lambda _index: self.accept())
        self.table.selectionModel().selectionChanged.connect(self._update_labels)
        QShortcut(QKeySequence(Qt.Key.Key_Down), self.search, self._focus_table, context=Qt.ShortcutContext.WidgetShortcut)
        self._after_filter()
        self.search.setFocus()

    def selected_ids(self) -> list[str]:
        """The chosen questions, in the order they are listed."""
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        return [self.proxy.index(r, 0).data(SummaryRole).id for r in rows]

    def select_question(self, question_id: str) -> bool:
        for r in range(self.proxy.rowCount()):
            if self.proxy.index(r, 0).data(SummaryRole).id == question_id:
                self.table.selectRow(r)
                return True
        return False

    def _on_search(self, text: str) -> None:
        self.proxy.set_search_hits(self._search(text) if text.strip() else None)
        self._after_filter()

    def _on_filters(self) -> None:
        self.proxy.set_filters(competency=self.competency.currentData() or "", kind=self.kind.currentData() or "")
        self._after_filter()

    def _after_filter(self) -> None:
        if not self.table.selectionModel().selectedRows() and self.proxy.rowCount():
            self.table.selectRow(0)
        self._update_labels()

    def _focus_table(self) -> None:
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)
        if not self.table.currentIndex().isValid() and self.proxy.rowCount():
            self.table.selectRow(0)

    def _update_labels(self, *args: Any) -> None:
        shown, total = self.proxy.rowCount(), self.model.rowCount() - len(self.proxy.exclude)
        self.count_label.setText(
            f"{shown} of {total} questions" if shown else "No question matches: clear the search or the filters"
        )
        chosen = sum(self.proxy.index(i.row(), 0).data(SummaryRole).minutes
                     for i in self.table.selectionModel().selectedRows())
        left = self._free - chosen
        if left < 0:
            self.budget.setText(f"⚠ The selection takes {chosen} min: {-left} min more than this stage has left")
            self.budget.setProperty("state", "warning")
        else:
            self.budget.setText(f"{self._free} min left in this stage" + (f", {left} after these" if chosen else ""))
            self.budget.setProperty("state", "")
        self.budget.style().unpolish(self.budget)
        self.budget.style().polish(self.budget)
        self.add_button.setEnabled(bool(self.table.selectionModel().selectedRows()))

    def keyPressEvent(self, event: Any) -> None:  # noqa: N802 - Qt override
        # Enter in the search box moves to the results (as in the bank browser); Enter there adds.
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.search.hasFocus():
            self._focus_table()
            return
        if event.key() == Qt.Key.Key_Escape and self.search.text():
            self.search.clear()
            self.search.setFocus()
            return
        super().keyPressEvent(event)

