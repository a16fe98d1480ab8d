"""Loops: where a coordinator plans a candidate's interview loop.

Left, every loop with a search box and "New loop…" (Ctrl+N). Right, the selected loop: its stages (add,
remove, reorder), the selected stage's editor (who, when, how long, focus, the ordered question plan) and
the loop's coverage. Every edit is saved through ``interviewkit.services.loops`` at once, and the coverage
follows. This module is the one place of the section that writes.
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QMessageBox,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from interviewkit.ui.loops.coverage_panel import LoopCoveragePanel
from interviewkit.ui.widgets.delegates import CardDelegate
from interviewkit.ui.loops.dialogs import NewLoopDialog, QuestionPickerDialog, show_problems
from interviewkit.ui.widgets.formatting import local_text, minutes_text, plural
from interviewkit.ui.loops.models import IdRole, LoopFilterProxy, LoopListModel, StageListModel
from interviewkit.ui.loops.stage_editor import StageEditor
from interviewkit.ui.shell.section import SectionWidget
from interviewkit.ui.widgets.layout import list_and_detail

if TYPE_CHECKING:
    from interviewkit.services.bank_queries import CompetencyInfo, QuestionSummary
    from interviewkit.services.context import AppContext
    from interviewkit.services.loops import LoopCoverage, LoopDetail, StageDetail

__all__ = ["EMPTY_TEXT", "LoopsView"]

EMPTY_TEXT = "No loops yet. Create one from a template: Ctrl+N"
DEFAULT_STAGE_MINUTES = 45


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class LoopsView(SectionWidget):
    """Plan interview loops: stages, interviewers, times, question plans, and what they cover."""

    title = "Loops"
    watches = frozenset({"loops", "candidates", "people", "openings", "scorecards", "bank", "erased"})

    sig_loops_changed = Signal(int)
    """A loop was created, edited or deleted (its id); screens that show loops may refresh."""
    sig_kit_export_requested = Signal(int)
    """The user asked for the printable interview kit of this stage id (Export kit PDF…, Ctrl+P)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._may_plan = False  # the person using the app may plan loops (set on refresh)
        self.setObjectName("loopsView")
        self._ctx: AppContext | None = None
        self._detail: LoopDetail | None = None
        self._coverage: LoopCoverage | None = None
        self._people: list[tuple[int, str]] = []
        self._competencies: list[CompetencyInfo] = []
        self._competency_names: dict[str, str] = {}
        self._summaries: list[QuestionSummary] | None = None  # the bank, loaded when the picker first opens
        self.new_loop_dialog: NewLoopDialog | None = None
        self.picker: QuestionPickerDialog | None = None

        # -- the list of loops --------------------------------------------------------------------------
        self.act_new_loop = self._action("&New loop…", QKeySequence.StandardKey.New,
                                         "Plan a loop for a candidate, from a template or empty", self)
        self.act_new_loop.triggered.connect(self.new_loop)
        self.search = QLineEdit(placeholderText="Search loops (Ctrl+F)")
        self.search.setProperty("role", "search")
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName("Search loops")
        self.new_button = QPushButton("New loop…")
        self.new_button.setToolTip(self.act_new_loop.toolTip())
        self.new_button.clicked.connect(self.act_new_loop.trigger)
        self.loop_model = LoopListModel(self)
        self.loop_proxy = LoopFilterProxy(self)
        self.loop_proxy.setSourceModel(self.loop_model)
        self.loop_list = QListView()
        self.loop_list.setObjectName("loopList")
        self.loop_list.setAccessibleName("Loops")
        self.loop_list.setModel(self.loop_proxy)
        self.loop_list.setItemDelegate(CardDelegate(self.loop_list))
        self.loop_list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.loop_list.setUniformItemSizes(True)
        self.loop_empty = QLabel(alignment=Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop, wordWrap=True)
        self.loop_empty.setProperty("role", "empty-state")
        self.loop_stack = QStackedWidget()
        self.loop_stack.addWidget(self.loop_list)
        self.loop_stack.addWidget(self.loop_empty)
        self.loop_count = QLabel()
        self.loop_count.setProperty("role", "subtle")
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.new_button)
        left_layout.addWidget(self.search)
        left_layout.addWidget(self.loop_stack, 1)
        left_layout.addWidget(self.loop_count)

        # -- the selected loop --------------------------------------------------------------------------
        self.header = QLabel()
        self.header.setObjectName("loopHeader")
        self.header.setProperty("role", "loop-header")
        self.header.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.subheader = QLabel(wordWrap=True)
        self.subheader.setProperty("role", "subtle")
        self.act_delete_loop = QAction("&Delete loop…", self)
        self.act_delete_loop.setIconText("Delete loop…")
        self.act_delete_loop.setToolTip("Delete this loop (only while it has no scorecard)")
        self.act_delete_loop.triggered.connect(self.delete_current_loop)
        delete_button = QToolButton()
        delete_button.setDefaultAction(self.act_delete_loop)
        self.loop_problems = QLabel(wordWrap=True)
        self.loop_problems.setProperty("state", "warning")
        self.loop_problems.setAccessibleName("Problems with this loop")
        self.loop_problems.hide()

        self.stage_model = StageListModel(self)
        self.stage_list = QListView()
        self.stage_list.setObjectName("stageList")
        self.stage_list.setAccessibleName("Stages")
        self.stage_list.setModel(self.stage_model)
        self.stage_list.setItemDelegate(CardDelegate(self.stage_list))
        self.stage_list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.stage_list.setUniformItemSizes(True)
        self.loop_page = QWidget()
        self.loop_page.setObjectName("loopPage")
        self.act_add_stage = self._action("&Add stage", "Ctrl+Shift+N", "Add a stage at the end of the loop",
                                          self.loop_page)
        self.act_remove_stage = self._action("&Remove", None, "Remove the selected stage and its plan", self.loop_page)
        self.act_stage_up = self._action("Move &up", "Ctrl+Up", "Hold the selected stage earlier", self.loop_page)
        self.act_stage_down = self._action("Move &down", "Ctrl+Down", "Hold the selected stage later", self.loop_page)
        self.act_add_stage.triggered.connect(self.add_stage)
        self.act_remove_stage.triggered.connect(self.remove_current_stage)
        self.act_stage_up.triggered.connect(lambda: self.move_current_stage(-1))
        self.act_stage_down.triggered.connect(lambda: self.move_current_stage(1))
        self.act_export_kit = self._action("&Export kit PDF…", QKeySequence.StandardKey.Print,
                                           "Print the selected stage's interview kit: questions, probes, rubrics "
                                           "and room for notes", self.loop_page)
        self.act_export_kit.setIconText("Export kit PDF…")
        self.act_export_kit.triggered.connect(self.export_kit)
        stage_buttons = QHBoxLayout()
        stage_buttons.setSpacing(2)
        for act in (self.act_add_stage, self.act_remove_stage, self.act_stage_up, self.act_stage_down):
            button = QToolButton()
            button.setDefaultAction(act)
            stage_buttons.addWidget(button)
        stage_buttons.addStretch(1)
        stages_title = QLabel("Stages")
        stages_title.setProperty("role", "pane-title")
        stages_pane = QWidget()
        stages_layout = QVBoxLayout(stages_pane)
        stages_layout.setContentsMargins(0, 0, 0, 0)
        stages_layout.addWidget(stages_title)
        stages_layout.addWidget(self.stage_list, 1)
        stages_layout.addLayout(stage_buttons)

        self.stage_editor = StageEditor()
        self.loop_page.addAction(self.stage_editor.act_add_question)  # Ctrl+K anywhere in the loop
        self.coverage_panel = LoopCoveragePanel()

        self.stages_splitter = QSplitter(Qt.Orientation.Horizontal)
        self.stages_splitter.setObjectName("loopStagesSplitter")
        self.stages_splitter.addWidget(stages_pane)
        self.stages_splitter.addWidget(self.stage_editor)
        self.stages_splitter.setStretchFactor(0, 2)
        self.stages_splitter.setStretchFactor(1, 5)
        self.stages_splitter.setSizes([240, 640])
        self.stages_splitter.setChildrenCollapsible(False)
        self.page_splitter = QSplitter(Qt.Orientation.Vertical)
        self.page_splitter.setObjectName("loopPageSplitter")
        self.page_splitter.addWidget(self.stages_splitter)
        self.page_splitter.addWidget(self.coverage_panel)
        self.page_splitter.setStretchFactor(0, 3)
        self.page_splitter.setStretchFactor(1, 2)
        self.page_splitter.setSizes([450, 220])
        self.page_splitter.setChildrenCollapsible(False)

        header_row = QHBoxLayout()
        header_col = QVBoxLayout()
        header_col.setSpacing(0)
        header_col.addWidget(self.header)
        header_col.addWidget(self.subheader)
        header_row.addLayout(header_col, 1)
        kit_button = QToolButton()
        kit_button.setObjectName("exportKit")
        kit_button.setDefaultAction(self.act_export_kit)
        header_row.addWidget(kit_button, 0, Qt.AlignmentFlag.AlignTop)
        header_row.addWidget(delete_button, 0, Qt.AlignmentFlag.AlignTop)
        page_layout = QVBoxLayout(self.loop_page)
        page_layout.setContentsMargins(0, 0, 0, 0)
        page_layout.addLayout(header_row)
        page_layout.addWidget(self.loop_problems)
        page_layout.addWidget(self.page_splitter, 1)

        self.placeholder = QLabel(alignment=Qt.AlignmentFlag.AlignCenter, wordWrap=True)
        self.placeholder.setProperty("role", "empty-state")
        self.placeholder_button = QPushButton("New loop…")
        self.placeholder_button.setToolTip(self.act_new_loop.toolTip())
        self.placeholder_button.clicked.connect(self.act_new_loop.trigger)
        placeholder_page = QWidget()
        placeholder_layout = QVBoxLayout(placeholder_page)
        placeholder_layout.addStretch(1)
        placeholder_layout.addWidget(self.placeholder)
        placeholder_layout.addWidget(self.placeholder_button, 0, Qt.AlignmentFlag.AlignHCenter)
        placeholder_layout.addStretch(2)
        self.placeholder_page = placeholder_page
        self.right_stack = QStackedWidget()
        self.right_stack.addWidget(placeholder_page)
        self.right_stack.addWidget(self.loop_page)

        self.splitter = list_and_detail(self, self.title, left, self.right_stack, name="loopsSplitter", stretch=(1, 4),
                                        sizes=(230, 900))

        self.setTabOrder(self.new_button, self.search)
        self.setTabOrder(self.search, self.loop_list)
        self.setTabOrder(self.loop_list, self.stage_list)
        self.setTabOrder(self.stage_list, self.stage_editor)

        self.search.textChanged.connect(self._on_search)
        self.search.returnPressed.connect(lambda: self.loop_list.setFocus(Qt.FocusReason.OtherFocusReason))
        self.loop_list.selectionModel().currentChanged.connect(self._on_loop_current)
        self.stage_list.selectionModel().currentChanged.connect(self._on_stage_current)
        self.stage_editor.sig_fields_edited.connect(self._save_stage_fields)
        self.stage_editor.sig_plan_edited.connect(self._save_plan)
        self.stage_editor.sig_add_question_requested.connect(self.add_questions)
        self.coverage_panel.sig_stage_requested.connect(self.select_stage)
        self._show_no_loop()
        self._update_actions()

    def _action(self, text: str, shortcut: Any, tip: str, widget: QWidget) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        seq = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
        action.setToolTip(f"{tip} ({seq})" if seq else tip)
        action.setStatusTip(tip)
        widget.addAction(action)
        return action

    # -- data -------------------------------------------------------------------------------------------

    def set_context(self, ctx: AppContext | None) -> None:
        self._ctx = ctx
        self._summaries = None
        if ctx is None:
            self.loop_model.set_loops([])
            self._detail = self._coverage = None
            self.loop_empty.setText("No database open.")
            self.loop_stack.setCurrentWidget(self.loop_empty)
            self.loop_count.setText("")
            self._show_no_loop()
            self._update_actions()
            return
        self.refresh()

    def refresh(self) -> None:
        """Reload everything from the database, keeping the selected loop and stage."""
        if self._ctx is None:
            return
        from interviewkit.services import bank_queries as bq
        from interviewkit.services.people import people

        from interviewkit.services.access import permissions

        db = self._ctx.db
        self._may_plan = "plan_loops" in permissions(db, self._ctx.user_id)
        self._people = [(p.id, p.label) for p in people(db)]
        self._competencies = bq.competencies(db)
        self._competency_names = {c.id: c.name for c in self._competencies}
        self._summaries = None
        self._reload_loops(self.current_loop_id())
        self._show_loop(self.current_loop_id(), self.current_stage_id())

    def _reload_loops(self, select: int | None = None) -> None:
        from interviewkit.services.loops import loops

        assert self._ctx is not None
        self.loop_model.set_loops(loops(self._ctx.db, by=self._ctx.user_id))
        if select is not None:
            self.select_loop(select)
        self._after_loop_filter()

    def _after_loop_filter(self) -> None:
        total, shown = self.loop_model.rowCount(), self.loop_proxy.rowCount()
        if total == 0:
            self.loop_empty.setText(EMPTY_TEXT)
            self.loop_stack.setCurrentWidget(self.loop_empty)
        elif shown == 0:
            self.loop_empty.setText(f"No loop matches “{self.search.text().strip()}”.\nClear the search (Esc) to see every loop.")
            self.loop_stack.setCurrentWidget(self.loop_empty)
        else:
            self.loop_stack.setCurrentWidget(self.loop_list)
            if not self.loop_list.currentIndex().isValid():
                self.loop_list.setCurrentIndex(self.loop_proxy.index(0, 0))
        self.loop_count.setText(f"{shown} of {plural(total, 'loop')}" if total and shown != total else
                                plural(total, "loop") if total else "")
        if shown == 0:
            self._show_no_loop()

    # -- selection --------------------------------------------------------------------------------------

    def current_loop_id(self) -> int | None:
        index = self.loop_list.currentIndex()
        return int(index.data(IdRole)) if index.isValid() else None

    def current_stage_id(self) -> int | None:
        index = self.stage_list.currentIndex()
        return int(index.data(IdRole)) if index.isValid() else None

    def select_loop(self, loop_id: int) -> bool:
        """Show ``loop_id``, clearing a search that hides it."""
        row = self.loop_model.row_of(loop_id)
        if row < 0:
            return False
        index = self.loop_proxy.mapFromSource(self.loop_model.index(row))
        if not index.isValid():
            self.search.clear()
            index = self.loop_proxy.mapFromSource(self.loop_model.index(row))
        self.loop_list.selectionModel().setCurrentIndex(index, QItemSelectionModel.SelectionFlag.ClearAndSelect)
        self.loop_list.scrollTo(index)
        return True

    def select_stage(self, stage_id: int) -> bool:
        row = self.stage_model.row_of(stage_id)
        if row < 0:
            return False
        self.stage_list.selectionModel().setCurrentIndex(
            self.stage_model.index(row), QItemSelectionModel.SelectionFlag.ClearAndSelect
        )
        return True

    def _on_loop_current(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid():
            show_problems(self.loop_problems, [])
            self._show_loop(int(current.data(IdRole)))
        else:
            self._show_no_loop()

    def _on_stage_current(self, current: QModelIndex, _previous: QModelIndex) -> None:
        stage = self._stage(int(current.data(IdRole))) if current.isValid() else None
        self._show_stage(stage)
        self._update_actions()

    def _stage(self, stage_id: int | None) -> StageDetail | None:
        if self._detail is None or stage_id is None:
            return None
        return next((st for st in self._detail.stages if st.id == stage_id), None)

    # -- showing ----------------------------------------------------------------------------------------

    def _show_no_loop(self) -> None:
        self._detail = self._coverage = None
        self.stage_model.set_stages([])
        self.coverage_panel.clear()
        self.stage_editor.show_message("")
        if self._ctx is None:
            self.placeholder.setText("No database open.")
        elif self.loop_model.rowCount() == 0:
            self.placeholder.setText(
                "A loop is the set of interviews planned for one candidate: who interviews, when, for how long "
                "and with which questions.\nA template from the bank gives the stages and their question plans."
            )
        else:
            self.placeholder.setText("Select a loop on the left, or create one: Ctrl+N")
        self.placeholder_button.setVisible(self._ctx is not None)
        self.right_stack.setCurrentWidget(self.placeholder_page)
        self._update_actions()

    def _show_loop(self, loop_id: int | None, stage_id: int | None = None, *, keep_problems: bool = False) -> None:
        """Fetch the loop and its coverage and show them; ``stage_id`` stays selected if it still exists."""
        if self._ctx is None or loop_id is None:
            self._show_no_loop()
            return
        from interviewkit.services.errors import NotFound
        from interviewkit.services.loops import loop_coverage, loop_detail

        try:
            detail = loop_detail(self._ctx.db, loop_id, by=self._ctx.user_id)
            coverage = loop_coverage(self._ctx.db, loop_id, by=self._ctx.user_id)
        except NotFound:
            self._reload_loops()
            return
        same_loop = self._detail is not None and self._detail.id == detail.id
        self._detail, self._coverage = detail, coverage
        submitted = sum(1 for st in detail.stages if st.scorecard_status == "submitted")
        self.header.setText(f"{_escape(detail.candidate)} · {_escape(detail.opening)}")
        first = min((st.scheduled_at for st in detail.stages if st.scheduled_at is not None), default=None)
        total = sum(st.minutes for st in detail.stages)
        parts = [detail.name, plural(len(detail.stages), "stage")]
        if detail.stages:
            parts += [minutes_text(total), f"{submitted} of {len(detail.stages)} submitted"]
            parts.append(f"starts {local_text(first)}" if first else "not scheduled yet")
        self.subheader.setText(" · ".join(parts))
        self.right_stack.setCurrentWidget(self.loop_page)

        keep = stage_id if stage_id is not None else (self.current_stage_id() if same_loop else None)
        counts = {sid: len(reqs) for sid, reqs in coverage.result.by_stage.items()}
        before = self.current_stage_id()
        self.stage_model.set_stages(detail.stages, counts)
        if keep is not None and self.stage_model.row_of(keep) >= 0:
            if before != keep or not self.stage_list.currentIndex().isValid():
                self.select_stage(keep)
            else:
                self._show_stage(self._stage(keep), keep_problems=keep_problems)
        elif detail.stages:
            self.select_stage(detail.stages[0].id)
        else:
            self._show_stage(None)
        self.coverage_panel.show_coverage(coverage, detail, self.current_stage_id())
        self._update_actions()

    def _show_stage(self, stage: StageDetail | None, *, keep_problems: bool = False) -> None:
        if stage is None:
            if self._detail is not None and not self._detail.stages:
                self.stage_editor.show_message("This loop has no stages yet.\nAdd one: Add stage (Ctrl+Shift+N)")
            else:
                self.stage_editor.show_message("Select a stage to edit it.")
            self.coverage_panel.select_stage(None)
            return
        assert self._detail is not None
        self.stage_editor.show_stage(
            stage,
            stage_count=len(self._detail.stages),
            people=self._people,
            competencies=self._competencies,
            competency_names=self._competency_names,
            keep_problems=keep_problems,
        )
        self.coverage_panel.select_stage(stage.id)

    def _update_actions(self) -> None:
        has_loop = self._detail is not None
        index = self.stage_list.currentIndex()
        has_stage = has_loop and index.isValid()
        count = self.stage_model.rowCount()
        plan = self._ctx is not None and self._may_plan  # coordinators, hiring managers, admins
        self.act_new_loop.setEnabled(plan)
        self.new_button.setEnabled(plan)
        self.placeholder_button.setEnabled(plan)
        self.act_delete_loop.setEnabled(plan and has_loop)
        self.act_add_stage.setEnabled(plan and has_loop)
        self.act_remove_stage.setEnabled(plan and has_stage)
        self.act_export_kit.setEnabled(has_stage)
        self.stage_editor.set_editable(plan)
        self.act_stage_up.setEnabled(plan and has_stage and index.row() > 0)
        self.act_stage_down.setEnabled(plan and has_stage and index.row() < count - 1)

    # -- behaviour --------------------------------------------------------------------------------------

    def export_kit(self) -> None:
        """Export kit PDF… (Ctrl+P): the interview kit of the selected stage, with a preview."""
        self.export_pdf()

    def export_pdf(self) -> bool:
        """The interview kit of the selected stage, with a preview."""
        stage = self._stage(self.current_stage_id())
        ctx, detail = self._ctx, self._detail
        if stage is None or ctx is None or detail is None:
            return False
        from interviewkit.ui.widgets.pdf_preview import preview_and_save, safe_file_name

        stage_id, title = stage.id, f"{detail.candidate} · {stage.name}"
        self.sig_kit_export_requested.emit(stage_id)

        def write(path: Any, options: Any) -> None:
            from interviewkit.services.exports import export_kit_pdf

            export_kit_pdf(ctx.db, stage_id, path, settings=ctx.settings, by=ctx.user_id,
                           page_size=options.page_size, hide_names=options.hide_names)

        dialog = preview_and_save(self.window(), f"Interview kit · {title}", write,
                                  suggested_name=safe_file_name(f"kit {detail.candidate} {stage.name}"),
                                  settings=self.host.settings)
        dialog.sig_saved.connect(lambda path: self.host.notify(f"Saved {path}"))
        return True

    def focus_search(self) -> bool:
        """Ctrl+F: put the cursor in the loop search with its text selected."""
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()
        return True

    def _on_search(self, text: str) -> None:
        self.loop_proxy.set_text(text)
        self._after_loop_filter()

    def keyPressEvent(self, event: Any) -> None:  # noqa: N802 - Qt override
        if event.key() == Qt.Key.Key_Escape and self.search.hasFocus() and self.search.text():
            self.search.clear()
            return
        super().keyPressEvent(event)

    def _written(self, stage_id: int | None = None, *, keep_problems: bool = False) -> None:
        """After a write: show the loop as stored now, refresh the list, tell the rest of the app."""
        if self._detail is None:
            return
        loop_id = self._detail.id
        self._show_loop(loop_id, stage_id, keep_problems=keep_problems)
        self._reload_loops(loop_id)
        self.sig_loops_changed.emit(loop_id)
        self._announce(loop_id)

    def _announce(self, loop_id: int) -> None:
        from interviewkit.services.changes import Changes

        self.announce(Changes.of(loops=[loop_id]))

    def _run(self, fn: Any, *, stage_problems: bool = False) -> bool:
        """Call a service; show its problems inline (the user's input stays). True when it succeeded."""
        from interviewkit.services.errors import NotFound, ServiceError, ValidationFailed

        try:
            fn()
        except ValidationFailed as exc:
            (self.stage_editor.show_problems if stage_problems else lambda p: show_problems(self.loop_problems, p))(
                exc.problems
            )
            return False
        except NotFound as exc:
            show_problems(self.loop_problems, [f"{exc} (someone else may have changed it): the list was reloaded"])
            self.refresh()
            return False
        except ServiceError as exc:
            show_problems(self.loop_problems, [str(exc)])
            return False
        return True

    # -- loops ------------------------------------------------------------------------------------------

    def new_loop(self) -> None:
        """Ctrl+N: the New loop dialog (window-modal; the loop is created when it is accepted)."""
        if self._ctx is None:
            return
        dialog = NewLoopDialog(self._ctx, self)
        self.new_loop_dialog = dialog

        def finished(result: int) -> None:
            if result and dialog.loop_id is not None:
                self._reload_loops(dialog.loop_id)
                self.loop_list.setFocus(Qt.FocusReason.OtherFocusReason)
                self.sig_loops_changed.emit(dialog.loop_id)
                self._announce(dialog.loop_id)
            if self.new_loop_dialog is dialog:
                self.new_loop_dialog = None
            dialog.deleteLater()

        dialog.finished.connect(finished)
        dialog.open()

    def delete_current_loop(self) -> None:
        if self._ctx is None or self._detail is None:
            return
        from interviewkit.services.loops import delete_loop

        detail = self._detail
        answer = QMessageBox.question(
            self,
            "Delete loop",
            f"Delete the loop for {detail.candidate} ({plural(len(detail.stages), 'stage')} and their plans)?\n"
            "This cannot be undone.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        row = self.loop_list.currentIndex().row()
        if self._run(lambda: delete_loop(self._ctx.db, detail.id, by=self._ctx.user_id)):  # type: ignore[union-attr]
            self._detail = None
            self.loop_model.set_loops([])  # forget the selection: the loop is gone
            self._reload_loops()
            if self.loop_proxy.rowCount():
                self.loop_list.setCurrentIndex(self.loop_proxy.index(min(row, self.loop_proxy.rowCount() - 1), 0))
            self.sig_loops_changed.emit(detail.id)
            self._announce(detail.id)

    # -- stages -----------------------------------------------------------------------------------------

    def add_stage(self) -> None:
        """Ctrl+Shift+N: a new stage at the end, after the last one in time; its name is ready to type."""
        if self._ctx is None or self._detail is None:
            return
        from interviewkit.services.loops import BREAK_MINUTES, add_stage

        detail = self._detail
        last = detail.stages[-1] if detail.stages else None
        when = (last.scheduled_at + timedelta(minutes=last.minutes + BREAK_MINUTES)
                if last is not None and last.scheduled_at is not None else None)
        new_id: list[int] = []
        name = f"Stage {len(detail.stages) + 1}"
        if self._run(lambda: new_id.append(add_stage(self._ctx.db, detail.id, name=name,  # type: ignore[union-attr]
                                                     minutes=DEFAULT_STAGE_MINUTES, scheduled_at=when,
                                                     by=self._ctx.user_id))):  # type: ignore[union-attr]
            self._written(new_id[0])
            self.stage_editor.name.setFocus(Qt.FocusReason.OtherFocusReason)
            self.stage_editor.name.selectAll()

    def remove_current_stage(self) -> None:
        stage = self._stage(self.current_stage_id())
        if self._ctx is None or stage is None:
            return
        from interviewkit.services.loops import remove_stage

        if stage.questions:
            answer = QMessageBox.question(
                self,
                "Remove stage",
                f"Remove stage {stage.position}, {stage.name}, and its plan of {plural(len(stage.questions), 'question')}?",
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
                QMessageBox.StandardButton.Cancel,
            )
            if answer != QMessageBox.StandardButton.Yes:
                return
        row = self.stage_list.currentIndex().row()
        if self._run(lambda: remove_stage(self._ctx.db, stage.id, by=self._ctx.user_id)):  # type: ignore[union-attr]
            assert self._detail is not None
            rest = [st.id for st in self._detail.stages if st.id != stage.id]
            self._written(rest[min(row, len(rest) - 1)] if rest else None)

    def move_current_stage(self, delta: int) -> None:
        """Ctrl+Up / Ctrl+Down."""
        stage = self._stage(self.current_stage_id())
        if self._ctx is None or self._detail is None or stage is None:
            return
        from interviewkit.services.loops import move_stage

        target = stage.position + delta
        if not 1 <= target <= len(self._detail.stages):
            return
        if self._run(lambda: move_stage(self._ctx.db, stage.id, target, by=self._ctx.user_id)):  # type: ignore[union-attr]
            self._written(stage.id)

    def _save_stage_fields(self) -> None:
        stage = self.stage_editor.stage
        if self._ctx is None or stage is None:
            return
        from interviewkit.services.loops import update_stage

        f = self.stage_editor.fields()
        when = int(f.scheduled_at.timestamp()) if f.scheduled_at else None
        before = int(stage.scheduled_at.timestamp()) if stage.scheduled_at else None
        if (f.name, f.minutes, set(f.focus), f.interviewer_id, when) == (
            stage.name, stage.minutes, set(stage.focus), stage.interviewer_id, before
        ):
            self.stage_editor.show_problems([])
            return
        ok = self._run(
            lambda: update_stage(self._ctx.db, stage.id, name=f.name, minutes=f.minutes,  # type: ignore[union-attr]
                                 focus=f.focus, interviewer_id=f.interviewer_id, scheduled_at=f.scheduled_at,
                                 by=self._ctx.user_id),  # type: ignore[union-attr]
            stage_problems=True,
        )
        if ok:
            self._written(stage.id)

    # -- question plans ---------------------------------------------------------------------------------

    def _save_plan(self, question_ids: list[str]) -> None:
        stage = self.stage_editor.stage
        if self._ctx is None or stage is None:
            return
        from interviewkit.services.loops import set_stage_plan

        if self._run(lambda: set_stage_plan(self._ctx.db, stage.id, question_ids, by=self._ctx.user_id), stage_problems=True):  # type: ignore[union-attr]
            self._written(stage.id)
            self.stage_editor.after_plan_saved()
        else:
            self._show_loop(self._detail.id if self._detail else None, stage.id, keep_problems=True)

    def add_questions(self) -> None:
        """Ctrl+K: the question picker for the selected stage; chosen questions go to the end of its plan."""
        stage = self.stage_editor.stage
        if self._ctx is None or self._detail is None or stage is None:
            return
        from interviewkit.services.bank_queries import question_summaries, search_question_ids

        if self._summaries is None:
            self._summaries = question_summaries(self._ctx.db)
        db = self._ctx.db
        elsewhere: dict[str, list[str]] = {}
        for st in self._detail.stages:
            if st.id != stage.id:
                for q in st.questions:
                    elsewhere.setdefault(q.question_id, []).append(f"{st.position}. {st.name}")
        dialog = QuestionPickerDialog(
            self._summaries,
            self._competency_names,
            lambda text: search_question_ids(db, text),
            stage_name=f"{stage.position}. {stage.name}",
            free_minutes=stage.minutes - stage.planned_minutes,
            planned_here=[q.question_id for q in stage.questions],
            planned_elsewhere=elsewhere,
            parent=self,
        )
        self.picker = dialog
        stage_id = stage.id

        def finished(result: int) -> None:
            chosen = dialog.selected_ids() if result else []
            if self.picker is dialog:
                self.picker = None
            dialog.deleteLater()
            current = self._stage(stage_id)
            if not chosen or current is None:
                return
            plan = [q.question_id for q in current.questions]
            self._save_plan(plan + [q for q in chosen if q not in plan])
            self.stage_editor.select_question(chosen[-1])
            self.stage_editor.plan_view.setFocus(Qt.FocusReason.OtherFocusReason)

        dialog.finished.connect(finished)
        dialog.open()
