"""Calibration exercises: create one, score one blind (keys 1-4), see how far everyone was from the answer.

Left, the exercises (newest first) and "New exercise…" (Ctrl+N). Right, one of the pages of
:mod:`.exercise_pages`: a new exercise, the answer to score, or the results.

Creating an exercise and submitting a score are writes: they run through the section's
:meth:`~interviewkit.ui.shell.section.SectionWidget.write` (off the GUI thread in the window, with a busy
label), and their results are shown when they are done; a refusal is shown under the form.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol, TypeVar

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QLabel,
    QListView,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from interviewkit.services.bank_queries import question_detail, question_summaries
from interviewkit.services.context import AppContext
from interviewkit.services.errors import NotFound, ServiceError, ValidationFailed
from interviewkit.services.exercises import (
    ExerciseDetail,
    ExerciseResults,
    ExerciseSummary,
    create_exercise,
    exercise,
    exercise_results,
    exercises,
    submit_exercise_score,
)
from interviewkit.ui.calibration.exercise_pages import CreatePage, Levels, ResultsPage, ScorePage, show_state
from interviewkit.ui.calibration.models import ExerciseListModel, IdRole
from interviewkit.ui.widgets.shortcuts import key_of

__all__ = ["ExercisesPanel", "Write"]

T = TypeVar("T")

NO_EXERCISES = (
    "No calibration exercises yet.\n\nWrite one from a real (anonymised) answer: pick a question, paste the "
    "answer, give the rating your panel agreed on. Then everyone scores it blind and sees how far apart you "
    "are.\n\nNew exercise: Ctrl+N"
)


class Write(Protocol):
    """:meth:`SectionWidget.write`: run a service call that writes, then ``done`` with its result."""

    def __call__(
        self,
        work: Callable[[], T],
        done: Callable[[T], None] | None = None,
        *,
        busy: str,
        failed: Callable[[BaseException], None] | None = None,
    ) -> None: ...


def _refusal(exc: BaseException) -> str:
    return str(exc) if isinstance(exc, ServiceError) else f"Unexpected error: {exc}"


class ExercisesPanel(QWidget):
    """The Exercises tab of the calibration section."""

    sig_scored = Signal(int)
    """The user's score of this exercise id was recorded (the results are shown)."""

    sig_created = Signal(int)
    """The user created this exercise id."""

    def __init__(self, write: Write, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("exercisesPanel")
        self._write = write
        self._ctx: AppContext | None = None
        self._detail: ExerciseDetail | None = None
        self.results: ExerciseResults | None = None
        self._questions: list[tuple[str, str]] = []
        self.placeholder = QLabel(alignment=Qt.AlignmentFlag.AlignCenter, wordWrap=True)
        self.placeholder.setObjectName("exercisePlaceholder")
        self.placeholder.setProperty("role", "empty-state")
        self.create_page = CreatePage()
        self.score_page = ScorePage()
        self.results_page = ResultsPage()
        self.pages = QStackedWidget()
        for page in (self.placeholder, self.create_page, self.score_page, self.results_page):
            self.pages.addWidget(page)
        self._build_layout(self._build_list())
        self.create_page.sig_create_requested.connect(self.create_new)
        self.create_page.cancel_button.clicked.connect(self._cancel_create)
        self.create_page.question_combo.currentIndexChanged.connect(self._question_chosen)
        self.score_page.sig_submit_requested.connect(self.submit)
        self._show_placeholder()

    def _build_list(self) -> QWidget:
        self.model = ExerciseListModel(self)
        self.list = QListView()
        self.list.setObjectName("exerciseList")
        self.list.setAccessibleName("Calibration exercises")
        self.list.setModel(self.model)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.setWordWrap(True)
        self.list.setSpacing(2)
        self.new_button = QPushButton("New exercise…")
        self.new_button.setObjectName("newExercise")
        self.new_button.setToolTip("Write a reference answer with its agreed rating (Ctrl+N)")
        self.act_new = QAction("New exercise…", self)
        self.act_new.setShortcut(QKeySequence(key_of("new_exercise")))
        self.act_new.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.addAction(self.act_new)
        self.act_new.triggered.connect(self.new_exercise)
        self.new_button.clicked.connect(self.new_exercise)
        self.list.selectionModel().currentChanged.connect(self._on_current)
        left = QWidget()
        column = QVBoxLayout(left)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.list, 1)
        column.addWidget(self.new_button)
        return left

    def _build_layout(self, left: QWidget) -> None:
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.setObjectName("exercisesSplitter")
        splitter.addWidget(left)
        splitter.addWidget(self.pages)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 3)
        splitter.setSizes([260, 800])
        splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 0, 0)
        layout.addWidget(splitter)

    # -- reading --------------------------------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt override
        """Shown (its tab chosen): the list takes the focus, so that Ctrl+N works without a click first."""
        super().showEvent(event)
        focus = QApplication.focusWidget()
        if focus is None or not self.isAncestorOf(focus):
            self.list.setFocus(Qt.FocusReason.OtherFocusReason)

    def _me(self) -> tuple[AppContext, int] | None:
        """The open database and who is signed in, or None."""
        ctx = self._ctx
        return (ctx, ctx.user_id) if ctx is not None and ctx.user_id is not None else None

    def set_context(self, ctx: AppContext | None) -> None:
        self._ctx = ctx
        self._questions = []
        self.refresh()

    def refresh(self) -> None:
        """Reload the list, keeping the exercise shown."""
        me = self._me()
        if me is None:
            self.model.set_rows([])
            self._show_placeholder()
            return
        keep = self.current_id()
        self.model.set_rows(exercises(me[0].db, me[1]))
        if keep is not None and self.model.row_of(keep) >= 0:
            self.select(keep)
        elif self.pages.currentWidget() is not self.create_page:
            self._show_placeholder()

    def current_id(self) -> int | None:
        index = self.list.currentIndex()
        return int(index.data(IdRole)) if index.isValid() else None

    def select(self, exercise_id: int) -> None:
        row = self.model.row_of(exercise_id)
        if row < 0:
            return
        index = self.model.index(row)
        if self.list.currentIndex() == index:
            self._open(exercise_id)
        else:
            self.list.selectionModel().setCurrentIndex(index, QItemSelectionModel.SelectionFlag.ClearAndSelect)

    def _on_current(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid():
            self._open(int(current.data(IdRole)))

    def _show_placeholder(self) -> None:
        if self._ctx is None:
            text = "No database open."
        elif self._ctx.user_id is None:
            text = "Choose who you are first (File → Switch person): exercises are scored by a person."
        elif self.model.rowCount() == 0:
            text = NO_EXERCISES
        else:
            text = "Select an exercise on the left to score it or see its results."
        self.placeholder.setText(text)
        self.pages.setCurrentWidget(self.placeholder)

    def _open(self, exercise_id: int) -> None:
        me = self._me()
        if me is None:
            return
        ctx, user = me
        try:
            detail = exercise(ctx.db, exercise_id, user)
        except NotFound:
            self.refresh()
            return
        self._detail = detail
        if detail.agreed_score is not None:
            self._show_results(exercise_results(ctx.db, exercise_id, user, settings=ctx.settings))
            return
        self.score_page.show_detail(detail, self._levels(detail.rubric))
        self.pages.setCurrentWidget(self.score_page)
        if detail.may_score and self.isVisible():  # hidden (another section shown), it must not take the keys
            self.score_page.transcript_view.setFocus(Qt.FocusReason.OtherFocusReason)

    def _levels(self, rubric: tuple[tuple[int, str], ...]) -> Levels:
        anchors = dict(rubric)
        scale = self._ctx.scale_labels if self._ctx is not None else ()
        return [(v, label, anchors.get(v, "")) for v, label in scale]

    def _show_results(self, r: ExerciseResults) -> None:
        self.results = r
        me = self._ctx.user_id if self._ctx is not None else None
        self.results_page.show_results(r, self._detail, me)
        self.pages.setCurrentWidget(self.results_page)

    # -- scoring --------------------------------------------------------------------------------------------

    def submit(self) -> None:
        """Submit the chosen rating (final), then show the results."""
        me, detail, page = self._me(), self._detail, self.score_page
        if me is None or detail is None or not detail.may_score:
            return
        score = page.picker.value()
        if score is None:
            show_state(page.info, "Choose a rating first (keys 1–4).", "warning")
            return
        ctx, user = me
        exercise_id, notes = detail.id, page.notes_edit.text()
        page.update_submit(busy=True)
        self._write(
            lambda: submit_exercise_score(ctx.db, exercise_id, user, score, settings=ctx.settings, notes=notes),
            lambda results: self._scored(exercise_id, results),
            busy="Recording your score",
            failed=self._score_refused,
        )

    def _scored(self, exercise_id: int, results: ExerciseResults) -> None:
        me = self._me()
        if me is not None:
            self._list_quietly(exercises(me[0].db, me[1]), exercise_id)
        self._show_results(results)
        self.sig_scored.emit(exercise_id)

    def _score_refused(self, exc: BaseException) -> None:
        show_state(self.score_page.info, _refusal(exc), "warning")
        self.score_page.update_submit()

    def _list_quietly(self, rows: list[ExerciseSummary], current: int) -> None:
        """The list again, with ``current`` selected without opening it (its page is being shown)."""
        self.model.set_rows(rows)
        row = self.model.row_of(current)
        if row >= 0:
            selection = self.list.selectionModel()
            selection.blockSignals(True)
            selection.setCurrentIndex(self.model.index(row), QItemSelectionModel.SelectionFlag.ClearAndSelect)
            selection.blockSignals(False)

    # -- creating -------------------------------------------------------------------------------------------

    def new_exercise(self) -> None:
        """Show the form for a new exercise."""
        me = self._me()
        if me is None:
            return
        if not self._questions:
            self._questions = [(q.id, q.title) for q in question_summaries(me[0].db)]
            self.create_page.set_questions(self._questions)
        self.create_page.clear(self._levels(()))
        self.pages.setCurrentWidget(self.create_page)
        self.create_page.question_combo.setFocus(Qt.FocusReason.OtherFocusReason)

    def choose_question(self, question_id: str) -> None:
        index = self.create_page.question_combo.findData(question_id)
        if index >= 0:
            self.create_page.question_combo.setCurrentIndex(index)

    def _question_chosen(self, index: int) -> None:
        if self._ctx is None or index < 0:
            return
        qid = self.create_page.question_id()
        detail = question_detail(self._ctx.db, qid) if qid else None
        self.create_page.agreed_picker.set_levels(self._levels(detail.rubric if detail else ()))

    def _cancel_create(self) -> None:
        current = self.current_id()
        if current is not None:
            self._open(current)
        else:
            self._show_placeholder()

    def create_new(self) -> None:
        """Create the exercise from the form; problems are listed under it."""
        me, page = self._me(), self.create_page
        if me is None:
            return
        problems = page.problems_found()
        if problems:
            page.show_problems(str(ValidationFailed(problems)))
            return
        ctx, user = me
        qid, agreed = str(page.question_id()), int(page.agreed_picker.value() or 0)
        transcript, rationale, title = (
            page.transcript_edit.toPlainText(),
            page.rationale_edit.toPlainText(),
            page.title_edit.text(),
        )
        page.create_button.setEnabled(False)
        self._write(
            lambda: create_exercise(
                ctx.db,
                question_id=qid,
                transcript=transcript,
                agreed_score=agreed,
                rationale=rationale,
                created_by=user,
                settings=ctx.settings,
                title=title,
            ),
            self._created,
            busy="Creating the exercise",
            failed=self._create_refused,
        )

    def _created(self, made: ExerciseSummary) -> None:
        self.create_page.create_button.setEnabled(True)
        self.create_page.problems.clear()
        self.refresh()
        self.select(made.id)
        self.sig_created.emit(made.id)

    def _create_refused(self, exc: BaseException) -> None:
        self.create_page.create_button.setEnabled(True)
        self.create_page.show_problems(_refusal(exc))
