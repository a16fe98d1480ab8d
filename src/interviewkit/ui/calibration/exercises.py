"""Calibration exercises: create one, score one blind (keys 1-4), see how far everyone was from the answer.

Left, the exercises (newest first) and "New exercise…" (Ctrl+N). Right, one of three pages:

* **New exercise**: pick a question, paste the answer transcript (Markdown), choose the agreed rating
  among the question's rubric anchors and say why.
* **Score**: the question and the transcript; the rating by anchored buttons (each level with its scale
  label and the question's rubric anchor), or the keys 1-4; Ctrl+Enter submits. The agreed rating is not
  on this page: the service does not even return it until one's score is in.
* **Results**: the agreed rating and rationale, each interviewer's score with its deviation, and the
  spread (mean, SD, range).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QComboBox,
    QCompleter,
    QFormLayout,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListView,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTableView,
    QTextBrowser,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from interviewkit.domain.markup import escape, markdown_to_html
from interviewkit.ui.calibration.models import ExerciseListModel, ExerciseScoresModel, IdRole, fmt, signed

if TYPE_CHECKING:
    from interviewkit.services.context import AppContext
    from interviewkit.services.exercises import ExerciseDetail, ExerciseResults

__all__ = ["ExercisesPanel", "RatingPicker"]


def _repolish(widget: QWidget) -> None:
    widget.style().unpolish(widget)
    widget.style().polish(widget)


class RatingPicker(QWidget):
    """The scale's levels as checkable buttons, each beside its label and the question's rubric anchor."""

    sig_chosen = Signal(int)
    """A level was chosen (by click or key)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.group = QButtonGroup(self)
        self.group.setExclusive(True)
        self.buttons: dict[int, QToolButton] = {}
        self._grid = QGridLayout(self)
        self._grid.setContentsMargins(0, 0, 0, 0)
        self._grid.setHorizontalSpacing(10)
        self._grid.setColumnStretch(1, 1)
        self.group.idClicked.connect(self.sig_chosen.emit)

    def set_levels(self, levels: list[tuple[int, str, str]]) -> None:
        """(level, scale label, rubric anchor) for each level, lowest first."""
        keep = self.value()
        for button in self.buttons.values():
            self.group.removeButton(button)
        while self._grid.count():
            item = self._grid.takeAt(0)
            if item.widget() is not None:
                item.widget().hide()
                item.widget().deleteLater()
        self.buttons = {}
        for row, (level, label, anchor) in enumerate(levels):
            button = QToolButton()
            button.setText(str(level))
            button.setCheckable(True)
            button.setProperty("role", "rating")
            button.setToolTip(f"{level}: {label} (key {level})")
            button.setAccessibleName(f"Rating {level}, {label}")
            self.group.addButton(button, level)
            self.buttons[level] = button
            text = QLabel(f"<b>{escape(label)}</b>" + (f" — {escape(anchor)}" if anchor else ""))
            text.setWordWrap(True)
            text.setTextFormat(Qt.TextFormat.RichText)
            self._grid.addWidget(button, row, 0, Qt.AlignmentFlag.AlignTop)
            self._grid.addWidget(text, row, 1)
        if keep in self.buttons:
            self.buttons[keep].setChecked(True)

    def value(self) -> int | None:
        checked = self.group.checkedId()
        return checked if checked in self.buttons else None

    def choose(self, level: int) -> None:
        if level in self.buttons:
            self.buttons[level].setChecked(True)
            self.sig_chosen.emit(level)

    def clear(self) -> None:
        self.group.setExclusive(False)
        for button in self.buttons.values():
            button.setChecked(False)
        self.group.setExclusive(True)


class ExercisesPanel(QWidget):
    """The Exercises tab of the calibration section."""

    sig_scored = Signal(int)
    """The user's score of this exercise id was recorded (the results are shown)."""

    sig_created = Signal(int)
    """The user created this exercise id."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("exercisesPanel")
        self._ctx: AppContext | None = None
        self._detail: ExerciseDetail | None = None
        self.results: ExerciseResults | None = None
        self._questions: list[tuple[str, str]] = []

        # -- list -----------------------------------------------------------------------------------------
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
        self.act_new = QAction("New exercise…", self)
        self.act_new.setShortcut(QKeySequence("Ctrl+N"))
        self.act_new.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.new_button.setToolTip("Write a reference answer with its agreed rating (Ctrl+N)")
        self.addAction(self.act_new)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.list, 1)
        left_layout.addWidget(self.new_button)

        # -- pages ----------------------------------------------------------------------------------------
        self.placeholder = QLabel(alignment=Qt.AlignmentFlag.AlignCenter, wordWrap=True)
        self.placeholder.setObjectName("exercisePlaceholder")
        self.placeholder.setProperty("role", "empty-state")
        self.create_page = self._build_create_page()
        self.score_page = self._build_score_page()
        self.results_page = self._build_results_page()
        self.pages = QStackedWidget()
        for page in (self.placeholder, self.create_page, self.score_page, self.results_page):
            self.pages.addWidget(page)

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

        self.act_new.triggered.connect(self.new_exercise)
        self.new_button.clicked.connect(self.new_exercise)
        self.list.selectionModel().currentChanged.connect(self._on_current)
        self._show_placeholder()

    # -- building -------------------------------------------------------------------------------------

    def _build_create_page(self) -> QWidget:
        page = QWidget()
        page.setObjectName("exerciseCreatePage")
        heading = QLabel("New calibration exercise")
        heading.setProperty("role", "loop-header")
        intro = QLabel(
            "A reference answer with the rating your panel agreed on. Interviewers score it without seeing that "
            "rating; then each sees how far they were from it, and how far apart everyone was."
        )
        intro.setWordWrap(True)
        intro.setProperty("role", "subtle")
        self.question_combo = QComboBox()
        self.question_combo.setObjectName("exerciseQuestion")
        self.question_combo.setAccessibleName("Question")
        self.question_combo.setEditable(True)
        self.question_combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        completer = self.question_combo.completer()
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.title_edit = QLineEdit(placeholderText="Optional (default: “Reference answer: <question>”)")
        self.title_edit.setObjectName("exerciseTitle")
        self.transcript_edit = QPlainTextEdit()
        self.transcript_edit.setObjectName("exerciseTranscript")
        self.transcript_edit.setPlaceholderText("Paste the answer as written or transcribed (Markdown).")
        self.transcript_edit.setTabChangesFocus(True)
        self.agreed_picker = RatingPicker()
        self.agreed_picker.setObjectName("agreedPicker")
        self.rationale_edit = QPlainTextEdit()
        self.rationale_edit.setObjectName("exerciseRationale")
        self.rationale_edit.setPlaceholderText("Why this rating: what in the answer puts it at this anchor and not the next.")
        self.rationale_edit.setTabChangesFocus(True)
        self.rationale_edit.setMaximumHeight(90)
        self.create_problems = QLabel(wordWrap=True)
        self.create_problems.setProperty("role", "problem")
        self.create_button = QPushButton("Create exercise")
        self.create_button.setObjectName("createExercise")
        self.create_button.setDefault(True)
        self.create_button.setToolTip("Create the exercise (Ctrl+Enter)")
        self.cancel_button = QPushButton("Cancel")
        form = QFormLayout()
        form.addRow("&Question:", self.question_combo)
        form.addRow("&Title:", self.title_edit)
        form.addRow("T&ranscript:", self.transcript_edit)
        form.addRow("Agreed rating:", self.agreed_picker)
        form.addRow("Rationale:", self.rationale_edit)
        buttons = QHBoxLayout()
        buttons.addWidget(self.create_problems, 1)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.create_button)
        layout = QVBoxLayout(page)
        layout.addWidget(heading)
        layout.addWidget(intro)
        layout.addLayout(form, 1)
        layout.addLayout(buttons)
        act = QAction(page)
        act.setShortcuts([QKeySequence("Ctrl+Return"), QKeySequence("Ctrl+Enter")])
        act.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        act.triggered.connect(self.create)
        page.addAction(act)
        self.create_button.clicked.connect(self.create)
        self.cancel_button.clicked.connect(self._cancel_create)
        self.question_combo.currentIndexChanged.connect(self._question_chosen)
        for level in range(1, 10):
            key = QAction(page)
            key.setShortcut(QKeySequence(f"Alt+{level}"))
            key.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            key.triggered.connect(lambda _=False, v=level: self.agreed_picker.choose(v))
            page.addAction(key)
        return page

    def _build_score_page(self) -> QWidget:
        page = QWidget()
        page.setObjectName("exerciseScorePage")
        self.score_title = QLabel()
        self.score_title.setProperty("role", "loop-header")
        self.score_title.setWordWrap(True)
        self.score_subtitle = QLabel(wordWrap=True)
        self.score_subtitle.setProperty("role", "subtle")
        self.prompt_view = QTextBrowser()
        self.prompt_view.setObjectName("exercisePrompt")
        self.prompt_view.setAccessibleName("Question")
        self.prompt_view.setMaximumHeight(110)
        self.transcript_view = QTextBrowser()
        self.transcript_view.setObjectName("exerciseTranscriptView")
        self.transcript_view.setAccessibleName("The answer to score")
        self.score_picker = RatingPicker()
        self.score_picker.setObjectName("scorePicker")
        self.notes_edit = QLineEdit(placeholderText="Optional: what decided your rating")
        self.notes_edit.setObjectName("exerciseNotes")
        self.score_info = QLabel(wordWrap=True)
        self.score_info.setObjectName("scoreInfo")
        self.submit_button = QPushButton("Submit my score")
        self.submit_button.setObjectName("submitExerciseScore")
        self.submit_button.setToolTip("Submit your score (Ctrl+Enter); it is final, then the agreed rating is shown")
        rate_box = QFrame()
        rate_box.setFrameShape(QFrame.Shape.StyledPanel)
        rate_layout = QVBoxLayout(rate_box)
        rate_title = QLabel("Your rating (keys 1–4): the agreed rating is shown once your score is in")
        rate_title.setProperty("role", "pane-title")
        rate_layout.addWidget(rate_title)
        rate_layout.addWidget(self.score_picker)
        bottom = QHBoxLayout()
        bottom.addWidget(self.notes_edit, 1)
        bottom.addWidget(self.submit_button)
        rate_layout.addLayout(bottom)
        rate_layout.addWidget(self.score_info)
        label_q = QLabel("Question")
        label_q.setProperty("role", "pane-title")
        label_t = QLabel("Answer")
        label_t.setProperty("role", "pane-title")
        layout = QVBoxLayout(page)
        layout.addWidget(self.score_title)
        layout.addWidget(self.score_subtitle)
        layout.addWidget(label_q)
        layout.addWidget(self.prompt_view)
        layout.addWidget(label_t)
        layout.addWidget(self.transcript_view, 1)
        layout.addWidget(rate_box)
        for level in range(1, 10):
            key = QAction(page)
            key.setShortcut(QKeySequence(str(level)))
            key.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            key.triggered.connect(lambda _=False, v=level: self.score_picker.choose(v))
            page.addAction(key)
        submit = QAction(page)
        submit.setShortcuts([QKeySequence("Ctrl+Return"), QKeySequence("Ctrl+Enter")])
        submit.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        submit.triggered.connect(self.submit)
        page.addAction(submit)
        self.submit_button.clicked.connect(self.submit)
        self.score_picker.sig_chosen.connect(lambda _v: self._update_submit())
        return page

    def _build_results_page(self) -> QWidget:
        page = QWidget()
        page.setObjectName("exerciseResultsPage")
        self.results_title = QLabel()
        self.results_title.setProperty("role", "loop-header")
        self.results_title.setWordWrap(True)
        self.agreed_label = QLabel(wordWrap=True)
        self.agreed_label.setObjectName("agreedRating")
        self.agreed_label.setTextFormat(Qt.TextFormat.RichText)
        self.my_result = QLabel(wordWrap=True)
        self.my_result.setObjectName("myDeviation")
        self.spread_label = QLabel(wordWrap=True)
        self.spread_label.setObjectName("exerciseSpread")
        self.scores_model = ExerciseScoresModel(self)
        self.scores_table = QTableView()
        self.scores_table.setObjectName("exerciseScores")
        self.scores_table.setAccessibleName("Every interviewer's score and deviation")
        self.scores_table.setModel(self.scores_model)
        self.scores_table.verticalHeader().hide()
        self.scores_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.scores_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.scores_table.setAlternatingRowColors(True)
        header = self.scores_table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.results_transcript = QTextBrowser()
        self.results_transcript.setObjectName("resultsTranscript")
        self.results_transcript.setMaximumHeight(160)
        layout = QVBoxLayout(page)
        layout.addWidget(self.results_title)
        layout.addWidget(self.agreed_label)
        layout.addWidget(self.my_result)
        layout.addWidget(self.spread_label)
        layout.addWidget(self.scores_table, 1)
        answer = QLabel("The answer")
        answer.setProperty("role", "pane-title")
        layout.addWidget(answer)
        layout.addWidget(self.results_transcript)
        return page

    # -- data -----------------------------------------------------------------------------------------

    def set_context(self, ctx: AppContext | None) -> None:
        self._ctx = ctx
        self._questions = []
        self.refresh()

    def refresh(self) -> None:
        """Reload the list, keeping the exercise shown."""
        if self._ctx is None or self._ctx.user_id is None:
            self.model.set_rows([])
            self._show_placeholder()
            return
        from interviewkit.services.exercises import exercises

        keep = self.current_id()
        self.model.set_rows(exercises(self._ctx.db, self._ctx.user_id))
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
            text = ("No calibration exercises yet.\n\nWrite one from a real (anonymised) answer: pick a question, "
                    "paste the answer, give the rating your panel agreed on. Then everyone scores it blind and "
                    "sees how far apart you are.\n\nNew exercise: Ctrl+N")
        else:
            text = "Select an exercise on the left to score it or see its results."
        self.placeholder.setText(text)
        self.pages.setCurrentWidget(self.placeholder)

    def _open(self, exercise_id: int) -> None:
        from interviewkit.services.errors import NotFound
        from interviewkit.services.exercises import exercise, exercise_results

        if self._ctx is None or self._ctx.user_id is None:
            return
        try:
            detail = exercise(self._ctx.db, exercise_id, self._ctx.user_id)
        except NotFound:
            self.refresh()
            return
        self._detail = detail
        if detail.agreed_score is not None:
            self._show_results(exercise_results(self._ctx.db, exercise_id, self._ctx.user_id, settings=self._ctx.settings))
            return
        self._show_score_page(detail)

    def _levels(self, rubric: tuple[tuple[int, str], ...]) -> list[tuple[int, str, str]]:
        assert self._ctx is not None
        anchors = dict(rubric)
        return [(v, label, anchors.get(v, "")) for v, label in self._ctx.scale_labels]

    def _show_score_page(self, d: ExerciseDetail) -> None:
        self.score_title.setText(d.title)
        self.score_subtitle.setText(f"{d.question_title} (version {d.question_version}) · written by {d.created_by}")
        self.prompt_view.setHtml(markdown_to_html(d.prompt))
        self.transcript_view.setHtml(markdown_to_html(d.transcript))
        self.score_picker.set_levels(self._levels(d.rubric))
        self.score_picker.clear()
        self.notes_edit.clear()
        self.score_picker.setEnabled(d.may_score)
        self.notes_edit.setEnabled(d.may_score)
        self.score_info.setText(d.why_not_score)
        self.score_info.setProperty("state", "warning" if d.why_not_score else "")
        _repolish(self.score_info)
        self._update_submit()
        self.pages.setCurrentWidget(self.score_page)
        if d.may_score:
            self.transcript_view.setFocus(Qt.FocusReason.OtherFocusReason)

    def _update_submit(self) -> None:
        ok = self._detail is not None and self._detail.may_score and self.score_picker.value() is not None
        self.submit_button.setEnabled(ok)

    def submit(self) -> None:
        """Submit the chosen rating (final) and show the results."""
        from interviewkit.services.errors import ServiceError
        from interviewkit.services.exercises import submit_exercise_score

        if self._ctx is None or self._ctx.user_id is None or self._detail is None or not self._detail.may_score:
            return
        score = self.score_picker.value()
        if score is None:
            self.score_info.setText("Choose a rating first (keys 1–4).")
            self.score_info.setProperty("state", "warning")
            _repolish(self.score_info)
            return
        try:
            results = submit_exercise_score(self._ctx.db, self._detail.id, self._ctx.user_id, score,
                                            settings=self._ctx.settings, notes=self.notes_edit.text())
        except ServiceError as exc:
            self.score_info.setText(str(exc))
            self.score_info.setProperty("state", "warning")
            _repolish(self.score_info)
            return
        exercise_id = self._detail.id
        from interviewkit.services.exercises import exercises

        self.model.set_rows(exercises(self._ctx.db, self._ctx.user_id))
        row = self.model.row_of(exercise_id)
        if row >= 0:
            self.list.selectionModel().blockSignals(True)
            self.list.selectionModel().setCurrentIndex(self.model.index(row), QItemSelectionModel.SelectionFlag.ClearAndSelect)
            self.list.selectionModel().blockSignals(False)
        self._show_results(results)
        self.sig_scored.emit(exercise_id)

    def _show_results(self, r: ExerciseResults) -> None:
        self.results = r
        d = self._detail
        self.results_title.setText(f"Results: {r.title}")
        self.agreed_label.setText(
            f"<p><b>Agreed rating: {r.agreed_score} · {escape(r.agreed_label)}</b></p>"
            f"<p>{escape(r.rationale)}</p>"
        )
        mine = next((s for s in r.scores if self._ctx is not None and s.interviewer_id == self._ctx.user_id), None)
        if mine is not None:
            if mine.deviation == 0:
                words = "✓ You gave the agreed rating."
                state = "ok"
            else:
                words = (f"You gave {mine.score}: {abs(mine.deviation)} point{'s' if abs(mine.deviation) != 1 else ''} "
                         f"{'above' if mine.deviation > 0 else 'below'} the agreed rating "
                         f"({'more generous' if mine.deviation > 0 else 'harsher'}).")
                state = "warning" if abs(mine.deviation) >= 2 else ""
            self.my_result.setText(words)
            self.my_result.setProperty("state", state)
        elif d is not None and d.why_not_score and d.my_score is None:
            self.my_result.setText(f"You have not scored it: {d.why_not_score}")
            self.my_result.setProperty("state", "")
        else:
            self.my_result.setText("")
            self.my_result.setProperty("state", "")
        _repolish(self.my_result)
        if r.n:
            self.spread_label.setText(
                f"{r.n} score{'s' if r.n != 1 else ''} · mean {fmt(r.mean, '.1f')} · SD {fmt(r.sd, '.2f')} · "
                f"range {r.range_text} · mean deviation {signed(r.mean_deviation, '+.1f')} · "
                f"{(r.exact_share or 0):.0%} gave the agreed rating"
            )
        else:
            self.spread_label.setText("Nobody has scored it yet.")
        self.scores_model.me = self._ctx.user_id if self._ctx is not None else None
        self.scores_model.set_rows(r.scores)
        self.results_transcript.setHtml(markdown_to_html(d.transcript) if d is not None else "")
        self.pages.setCurrentWidget(self.results_page)

    # -- creating ---------------------------------------------------------------------------------------

    def new_exercise(self) -> None:
        """Show the form for a new exercise."""
        if self._ctx is None or self._ctx.user_id is None:
            return
        if not self._questions:
            from interviewkit.services.bank_queries import question_summaries

            self._questions = [(q.id, q.title) for q in question_summaries(self._ctx.db)]
            self.question_combo.blockSignals(True)
            self.question_combo.clear()
            for qid, title in self._questions:
                self.question_combo.addItem(f"{title} ({qid})", qid)
            self.question_combo.setCurrentIndex(-1)
            self.question_combo.blockSignals(False)
        self.title_edit.clear()
        self.transcript_edit.clear()
        self.rationale_edit.clear()
        self.create_problems.clear()
        self.agreed_picker.set_levels(self._levels(()))
        self.agreed_picker.clear()
        self.pages.setCurrentWidget(self.create_page)
        self.question_combo.setFocus(Qt.FocusReason.OtherFocusReason)

    def choose_question(self, question_id: str) -> None:
        index = self.question_combo.findData(question_id)
        if index >= 0:
            self.question_combo.setCurrentIndex(index)

    def _question_chosen(self, index: int) -> None:
        if self._ctx is None or index < 0:
            return
        from interviewkit.services.bank_queries import question_detail

        qid = self.question_combo.itemData(index)
        detail = question_detail(self._ctx.db, str(qid)) if qid else None
        self.agreed_picker.set_levels(self._levels(detail.rubric if detail else ()))

    def _cancel_create(self) -> None:
        current = self.current_id()
        if current is not None:
            self._open(current)
        else:
            self._show_placeholder()

    def create(self) -> None:
        """Create the exercise from the form; problems are listed under it."""
        from interviewkit.services.errors import ServiceError
        from interviewkit.services.exercises import create_exercise

        if self._ctx is None or self._ctx.user_id is None:
            return
        qid = self.question_combo.currentData() if self.question_combo.currentIndex() >= 0 else None
        agreed = self.agreed_picker.value()
        problems = []
        if not qid:
            problems.append("Question: pick one from the bank")
        if agreed is None:
            problems.append("Agreed rating: choose one (Alt+1–4)")
        try:
            if problems:
                from interviewkit.services.errors import ValidationFailed

                raise ValidationFailed(problems)
            made = create_exercise(
                self._ctx.db, question_id=str(qid), transcript=self.transcript_edit.toPlainText(),
                agreed_score=int(agreed or 0), rationale=self.rationale_edit.toPlainText(),
                created_by=self._ctx.user_id, settings=self._ctx.settings, title=self.title_edit.text(),
            )
        except ServiceError as exc:
            self.create_problems.setText("⚠ " + str(exc))
            return
        self.create_problems.clear()
        self.refresh()
        self.select(made.id)
        self.sig_created.emit(made.id)
