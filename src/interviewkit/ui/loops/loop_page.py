"""The selected loop, right of the list: its header, its stages (add, remove, reorder), the selected stage's
editor and the loop's coverage.

It shows the loop it is given, and edits its stages and their plans through the screen's ``write_loop``
(:meth:`~interviewkit.ui.loops.view.LoopsView.write_loop`), which saves off the GUI thread and then shows
the loop as stored.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING, Protocol, TypeVar

from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QListView,
    QMessageBox,
    QSplitter,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from interviewkit.services.bank_queries import CompetencyInfo, QuestionSummary, question_summaries, search_question_ids
from interviewkit.services.changes import Created
from interviewkit.services.context import AppContext
from interviewkit.services.loop_plan import loop_figures, planned_elsewhere, stage_label
from interviewkit.services.loops import (
    BREAK_MINUTES,
    LoopCoverage,
    LoopDetail,
    StageDetail,
    add_stage,
    move_stage,
    remove_stage,
    set_stage_plan,
    update_stage,
)
from interviewkit.ui.loops.coverage_panel import LoopCoveragePanel
from interviewkit.ui.loops.dialogs import show_problems
from interviewkit.ui.loops.models import StageListModel
from interviewkit.ui.loops.picker import QuestionPickerDialog
from interviewkit.ui.loops.reliability_panel import ReliabilityPanel, coverage_tabs
from interviewkit.ui.loops.stage_editor import StageEditor
from interviewkit.ui.widgets.delegates import CardDelegate
from interviewkit.ui.widgets.formatting import local_text, minutes_text, plural
from interviewkit.ui.widgets.roles import IdRole
from interviewkit.ui.widgets.shortcuts import key_of

if TYPE_CHECKING:  # its statistics import in ~0.5 s: the read imports them, off the GUI thread
    from interviewkit.services.loop_reliability import ReliabilityRow

__all__ = ["DEFAULT_STAGE_MINUTES", "Directory", "LoopPage", "WriteLoop", "make_action"]

DEFAULT_STAGE_MINUTES = 45
T = TypeVar("T")


class WriteLoop(Protocol):
    """How the page has the screen save a change to the loop it shows (see ``LoopsView.write_loop``)."""

    def __call__(
        self,
        work: Callable[[AppContext], T],
        *,
        busy: str,
        stage: Callable[[T], int | None],
        stage_problems: bool = False,
        then: Callable[[T], None] | None = None,
        reshow_on_refusal: bool = False,
    ) -> None: ...


def make_action(
    owner: QWidget, text: str, shortcut: str | QKeySequence.StandardKey | None, tip: str, widget: QWidget
) -> QAction:
    """An action of ``owner`` whose shortcut works while the focus is in ``widget``; its tooltip names the key."""
    action = QAction(text, owner)
    if shortcut is not None:
        action.setShortcut(QKeySequence(shortcut))
    action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
    seq = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
    action.setToolTip(f"{tip} ({seq})" if seq else tip)
    action.setStatusTip(tip)
    widget.addAction(action)
    return action


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


@dataclass(frozen=True)
class Directory:
    """What the stage editor offers: the interviewers and the competency framework."""

    people: Sequence[tuple[int, str]] = ()
    competencies: Sequence[CompetencyInfo] = ()

    @property
    def competency_names(self) -> Mapping[str, str]:
        return {c.id: c.name for c in self.competencies}


class LoopPage(QWidget):
    """One loop: header, stages with their buttons, the stage editor, and the coverage under them."""

    def __init__(self, write_loop: WriteLoop, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("loopPage")
        self._write_loop = write_loop
        self.ctx: AppContext | None = None  # the open database (the screen's)
        self._summaries: list[QuestionSummary] | None = None  # the bank, read when the picker first opens
        self.picker: QuestionPickerDialog | None = None
        self.detail: LoopDetail | None = None
        self.coverage: LoopCoverage | None = None
        self.directory = Directory()
        self.may_plan = False  # the person using the app may plan loops (the screen says)
        self._build_header()
        self._build_stages()
        self.stage_editor = StageEditor()
        self.addAction(self.stage_editor.act_add_question)  # Ctrl+K anywhere in the loop
        self.coverage_panel = LoopCoveragePanel()
        self.reliability_panel = ReliabilityPanel()
        self._lay_out()
        self._connect()

    def set_directory(self, ctx: AppContext | None, directory: Directory) -> None:
        """The open database and what the stage editor offers (read again: the bank too)."""
        self.ctx, self.directory, self._summaries = ctx, directory, None

    # -- building ---------------------------------------------------------------------------------------

    def _build_header(self) -> None:
        self.header = QLabel()
        self.header.setObjectName("loopHeader")
        self.header.setProperty("role", "loop-header")
        self.header.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.subheader = QLabel(wordWrap=True)
        self.subheader.setProperty("role", "subtle")
        self.act_delete_loop = QAction("&Delete loop…", self)
        self.act_delete_loop.setIconText("Delete loop…")
        self.act_delete_loop.setToolTip("Delete this loop (only while it has no scorecard)")
        self.act_export_kit = make_action(
            self,
            "&Export kit PDF…",
            key_of("export_pdf"),
            "Print the selected stage's interview kit: questions, probes, rubrics and room for notes",
            self,
        )
        self.act_export_kit.setIconText("Export kit PDF…")
        self.loop_problems = QLabel(wordWrap=True)
        self.loop_problems.setProperty("state", "warning")
        self.loop_problems.setAccessibleName("Problems with this loop")
        self.loop_problems.hide()

    def _build_stages(self) -> None:
        self.stage_model = StageListModel(self)
        self.stage_list = QListView()
        self.stage_list.setObjectName("stageList")
        self.stage_list.setAccessibleName("Stages")
        self.stage_list.setModel(self.stage_model)
        self.stage_list.setItemDelegate(CardDelegate(self.stage_list))
        self.stage_list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.stage_list.setUniformItemSizes(True)
        self.act_add_stage = make_action(
            self, "&Add stage", key_of("add_stage"), "Add a stage at the end of the loop", self
        )
        self.act_remove_stage = make_action(self, "&Remove", None, "Remove the selected stage and its plan", self)
        self.act_stage_up = make_action(self, "Move &up", key_of("stage_earlier"), "Hold the stage earlier", self)
        self.act_stage_down = make_action(self, "Move &down", key_of("stage_later"), "Hold the stage later", self)

    def _stages_pane(self) -> QWidget:
        buttons = QHBoxLayout()
        buttons.setSpacing(2)
        for act in (self.act_add_stage, self.act_remove_stage, self.act_stage_up, self.act_stage_down):
            button = QToolButton()
            button.setDefaultAction(act)
            buttons.addWidget(button)
        buttons.addStretch(1)
        title = QLabel("Stages")
        title.setProperty("role", "pane-title")
        pane = QWidget()
        layout = QVBoxLayout(pane)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(title)
        layout.addWidget(self.stage_list, 1)
        layout.addLayout(buttons)
        return pane

    def _header_row(self) -> QHBoxLayout:
        row = QHBoxLayout()
        column = QVBoxLayout()
        column.setSpacing(0)
        column.addWidget(self.header)
        column.addWidget(self.subheader)
        row.addLayout(column, 1)
        kit_button = QToolButton()
        kit_button.setObjectName("exportKit")
        kit_button.setDefaultAction(self.act_export_kit)
        delete_button = QToolButton()
        delete_button.setDefaultAction(self.act_delete_loop)
        row.addWidget(kit_button, 0, Qt.AlignmentFlag.AlignTop)
        row.addWidget(delete_button, 0, Qt.AlignmentFlag.AlignTop)
        return row

    def _lay_out(self) -> None:
        self.stages_splitter = QSplitter(Qt.Orientation.Horizontal)
        self.stages_splitter.setObjectName("loopStagesSplitter")
        self.stages_splitter.addWidget(self._stages_pane())
        self.stages_splitter.addWidget(self.stage_editor)
        self.stages_splitter.setStretchFactor(0, 2)
        self.stages_splitter.setStretchFactor(1, 5)
        self.stages_splitter.setSizes([240, 640])
        self.stages_splitter.setChildrenCollapsible(False)
        self.page_splitter = QSplitter(Qt.Orientation.Vertical)
        self.page_splitter.setObjectName("loopPageSplitter")
        self.page_splitter.addWidget(self.stages_splitter)
        self.bottom_tabs = coverage_tabs(self.coverage_panel, self.reliability_panel)
        self.page_splitter.addWidget(self.bottom_tabs)
        self.page_splitter.setStretchFactor(0, 3)
        self.page_splitter.setStretchFactor(1, 2)
        self.page_splitter.setSizes([450, 220])
        self.page_splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(self._header_row())
        layout.addWidget(self.loop_problems)
        layout.addWidget(self.page_splitter, 1)
        self.setTabOrder(self.stage_list, self.stage_editor)

    def _connect(self) -> None:
        self.stage_list.selectionModel().currentChanged.connect(lambda *_: self._on_stage_current())
        self.coverage_panel.sig_stage_requested.connect(self.select_stage)
        self.reliability_panel.sig_stage_requested.connect(self.select_stage)
        self.act_add_stage.triggered.connect(self.add_stage)
        self.act_remove_stage.triggered.connect(self.remove_current_stage)
        self.act_stage_up.triggered.connect(lambda: self.move_current_stage(-1))
        self.act_stage_down.triggered.connect(lambda: self.move_current_stage(1))
        self.stage_editor.sig_fields_edited.connect(self._save_stage_fields)
        self.stage_editor.sig_plan_edited.connect(self._save_plan)
        self.stage_editor.sig_add_question_requested.connect(self.add_questions)

    # -- showing ----------------------------------------------------------------------------------------

    def current_stage_id(self) -> int | None:
        index = self.stage_list.currentIndex()
        return int(index.data(IdRole)) if index.isValid() else None

    def stage(self, stage_id: int | None) -> StageDetail | None:
        if self.detail is None or stage_id is None:
            return None
        return next((st for st in self.detail.stages if st.id == stage_id), None)

    def select_stage(self, stage_id: int) -> bool:
        row = self.stage_model.row_of(stage_id)
        if row < 0:
            return False
        self.stage_list.selectionModel().setCurrentIndex(
            self.stage_model.index(row), QItemSelectionModel.SelectionFlag.ClearAndSelect
        )
        return True

    def clear(self) -> None:
        """No loop."""
        self.detail = self.coverage = None
        self.stage_model.set_stages([])
        self.coverage_panel.clear()
        self.reliability_panel.clear()
        self.stage_editor.show_message("")

    def show_problems(self, problems: Sequence[str]) -> None:
        show_problems(self.loop_problems, problems)

    def show_loop(
        self,
        detail: LoopDetail,
        coverage: LoopCoverage,
        stage_id: int | None = None,
        *,
        keep_problems: bool = False,
        reliability: Sequence[ReliabilityRow] = (),
    ) -> None:
        """Show a fresh copy of a loop with its coverage and the reliability of each competency it rates;
        ``stage_id`` (else the stage selected now) stays selected if it still exists, else the first is."""
        same_loop = self.detail is not None and self.detail.id == detail.id
        self.detail, self.coverage = detail, coverage
        self.header.setText(f"{_escape(detail.candidate)} · {_escape(detail.opening)}")
        figures = loop_figures(detail)
        parts = [detail.name, plural(figures.stages, "stage")]
        if detail.stages:
            parts += [minutes_text(figures.minutes), f"{figures.submitted} of {figures.stages} submitted"]
            parts.append(f"starts {local_text(figures.first_at)}" if figures.first_at else "not scheduled yet")
        self.subheader.setText(" · ".join(parts))
        keep = stage_id if stage_id is not None else (self.current_stage_id() if same_loop else None)
        before = self.current_stage_id()
        self.stage_model.set_stages(detail.stages, {sid: len(reqs) for sid, reqs in coverage.result.by_stage.items()})
        if keep is not None and self.stage_model.row_of(keep) >= 0:
            if before != keep or not self.stage_list.currentIndex().isValid():
                self.select_stage(keep)
            else:
                self.show_stage(self.stage(keep), keep_problems=keep_problems)
        elif detail.stages:
            self.select_stage(detail.stages[0].id)
        else:
            self.show_stage(None)
        self.coverage_panel.show_coverage(coverage, detail, self.current_stage_id())
        self.reliability_panel.show_rows(reliability, has_stages=bool(detail.stages))

    def show_stage(self, stage: StageDetail | None, *, keep_problems: bool = False) -> None:
        if stage is None or self.detail is None:
            if self.detail is not None and not self.detail.stages:
                self.stage_editor.show_message("This loop has no stages yet.\nAdd one: Add stage (Ctrl+Shift+N)")
            else:
                self.stage_editor.show_message("Select a stage to edit it.")
            self.coverage_panel.select_stage(None)
            return
        self.stage_editor.show_stage(
            stage,
            stage_count=len(self.detail.stages),
            people=self.directory.people,
            competencies=self.directory.competencies,
            competency_names=self.directory.competency_names,
            keep_problems=keep_problems,
        )
        self.coverage_panel.select_stage(stage.id)

    def _on_stage_current(self) -> None:
        self.show_stage(self.stage(self.current_stage_id()))
        self.update_actions()

    def update_actions(self) -> None:
        """What may be done now: planning needs the right (:attr:`may_plan`), a loop, and a stage for most."""
        may_plan = self.may_plan
        index = self.stage_list.currentIndex()
        has_loop = self.detail is not None
        has_stage = has_loop and index.isValid()
        count = self.stage_model.rowCount()
        self.act_delete_loop.setEnabled(may_plan and has_loop)
        self.act_add_stage.setEnabled(may_plan and has_loop)
        self.act_remove_stage.setEnabled(may_plan and has_stage)
        self.act_export_kit.setEnabled(has_stage)
        self.stage_editor.set_editable(may_plan)
        self.act_stage_up.setEnabled(may_plan and has_stage and index.row() > 0)
        self.act_stage_down.setEnabled(may_plan and has_stage and index.row() < count - 1)

    # -- stages -----------------------------------------------------------------------------------------

    def add_stage(self) -> None:
        """Ctrl+Shift+N: a new stage at the end, after the last one in time; its name is ready to type."""
        detail = self.detail
        if detail is None:
            return
        last = detail.stages[-1] if detail.stages else None
        when = (
            last.scheduled_at + timedelta(minutes=last.minutes + BREAK_MINUTES)
            if last is not None and last.scheduled_at is not None
            else None
        )
        name = f"Stage {len(detail.stages) + 1}"

        def focus_name(_added: Created) -> None:
            self.stage_editor.name.setFocus(Qt.FocusReason.OtherFocusReason)
            self.stage_editor.name.selectAll()

        self._write_loop(
            lambda ctx: add_stage(
                ctx.db, detail.id, name=name, minutes=DEFAULT_STAGE_MINUTES, scheduled_at=when, by=ctx.user_id
            ),
            busy="Adding a stage",
            stage=lambda added: added.id,
            then=focus_name,
        )

    def remove_current_stage(self) -> None:
        stage, detail = self.stage(self.current_stage_id()), self.detail
        if stage is None or detail is None:
            return
        if stage.questions:
            answer = QMessageBox.question(
                self,
                "Remove stage",
                f"Remove stage {stage_label(stage)}, and its plan of {plural(len(stage.questions), 'question')}?",
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
                QMessageBox.StandardButton.Cancel,
            )
            if answer != QMessageBox.StandardButton.Yes:
                return
        row = self.stage_list.currentIndex().row()
        rest = [st.id for st in detail.stages if st.id != stage.id]
        after = rest[min(row, len(rest) - 1)] if rest else None  # the next stage takes its place
        self._write_loop(
            lambda ctx: remove_stage(ctx.db, stage.id, by=ctx.user_id),
            busy="Removing the stage",
            stage=lambda _result: after,
        )

    def move_current_stage(self, delta: int) -> None:
        """Ctrl+Up / Ctrl+Down."""
        stage, detail = self.stage(self.current_stage_id()), self.detail
        if stage is None or detail is None:
            return
        target = stage.position + delta
        if not 1 <= target <= len(detail.stages):
            return
        self._write_loop(
            lambda ctx: move_stage(ctx.db, stage.id, target, by=ctx.user_id),
            busy="Moving the stage",
            stage=lambda _result: stage.id,
        )

    def _save_stage_fields(self) -> None:
        stage = self.stage_editor.stage
        if stage is None:
            return
        f = self.stage_editor.fields()
        if not f.differ_from(stage):
            self.stage_editor.show_problems([])
            return
        self._write_loop(
            lambda ctx: update_stage(
                ctx.db,
                stage.id,
                name=f.name,
                minutes=f.minutes,
                focus=f.focus,
                interviewer_id=f.interviewer_id,
                scheduled_at=f.scheduled_at,
                by=ctx.user_id,
            ),
            busy="Saving the stage",
            stage=lambda _result: stage.id,
            stage_problems=True,
        )

    # -- question plans ---------------------------------------------------------------------------------

    def _save_plan(self, question_ids: Sequence[str], then: Callable[[], None] | None = None) -> None:
        stage, detail = self.stage_editor.stage, self.detail
        if stage is None or detail is None:
            return
        ids = list(question_ids)

        def saved(_result: object) -> None:
            self.stage_editor.after_plan_saved()
            if then is not None:
                then()

        self._write_loop(
            lambda ctx: set_stage_plan(ctx.db, stage.id, ids, by=ctx.user_id),
            busy="Saving the question plan",
            stage=lambda _result: stage.id,
            stage_problems=True,
            then=saved,
            reshow_on_refusal=True,  # the plan was moved on screen already: back to what is stored
        )

    def add_questions(self) -> None:
        """Ctrl+K: the question picker for the selected stage; chosen questions go to the end of its plan."""
        stage, detail, ctx = self.stage_editor.stage, self.detail, self.ctx
        if ctx is None or detail is None or stage is None:
            return
        if self._summaries is None:
            self._summaries = question_summaries(ctx.db)
        dialog = QuestionPickerDialog(
            self._summaries,
            self.directory.competency_names,
            lambda text: search_question_ids(ctx.db, text, ranked=True),
            stage_name=stage_label(stage),
            free_minutes=stage.minutes - stage.planned_minutes,
            planned_here=[q.question_id for q in stage.questions],
            planned_elsewhere=planned_elsewhere(detail, stage.id),
            parent=self,
        )
        self.picker = dialog
        dialog.finished.connect(lambda result: self._picked(dialog, stage.id, result))
        dialog.open()

    def _picked(self, dialog: QuestionPickerDialog, stage_id: int, result: int) -> None:
        chosen = dialog.selected_ids() if result else []
        if self.picker is dialog:
            self.picker = None
        dialog.deleteLater()
        current = self.stage(stage_id)
        if not chosen or current is None:
            return
        plan = [q.question_id for q in current.questions]

        def show_the_last() -> None:
            self.stage_editor.select_question(chosen[-1])
            self.stage_editor.plan_view.setFocus(Qt.FocusReason.OtherFocusReason)

        self._save_plan(plan + [q for q in chosen if q not in plan], then=show_the_last)
