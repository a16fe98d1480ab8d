"""The three pages of a calibration exercise: writing one, scoring one blind, and its results.

* :class:`CreatePage`: pick a question, paste the answer transcript (Markdown), choose the agreed rating among
  the question's rubric anchors (Alt+1-4) and say why; Ctrl+Enter creates it.
* :class:`ScorePage`: the question and the transcript; the rating by anchored buttons or the keys 1-4;
  Ctrl+Enter submits. The agreed rating is not on this page: the service does not even return it until
  one's score is in.
* :class:`ResultsPage`: the agreed rating and rationale, each interviewer's score with its deviation, and
  the spread (mean, SD, range).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QCompleter,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTableView,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from interviewkit.domain.markup import escape, markdown_to_html
from interviewkit.services.exercises import ExerciseDetail, ExerciseResults
from interviewkit.ui.calibration.common import repolish
from interviewkit.ui.calibration.models import ExerciseScoresModel, fmt, signed
from interviewkit.ui.calibration.rating_picker import RatingPicker
from interviewkit.ui.widgets.shortcuts import key_entry

__all__ = ["CreatePage", "Levels", "ResultsPage", "ScorePage"]

Levels = list[tuple[int, str, str]]  # (level, scale label, rubric anchor), lowest first


def _title(text: str) -> QLabel:
    label = QLabel(text)
    label.setProperty("role", "pane-title")
    return label


def _keys(page: QWidget, keys: Sequence[str], slot: Callable[[], object]) -> None:
    """Shortcuts active anywhere on ``page``."""
    action = QAction(page)
    action.setShortcuts([QKeySequence(k) for k in keys])
    action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
    action.triggered.connect(lambda _checked=False: slot())
    page.addAction(action)


def _level_keys(page: QWidget, name: str, picker: RatingPicker) -> None:
    """The registry entry ``name``'s keys (1-9, or Alt+1-9) choose that level of ``picker``."""
    for level, key in enumerate(key_entry(name).keys, start=1):
        _keys(page, [key], partial(picker.choose, level))


def show_state(label: QLabel, text: str, state: str) -> None:
    """Words under a form, with their state (``warning``, ``ok`` or none) for the style sheet."""
    label.setText(text)
    label.setProperty("state", state)
    repolish(label)


class CreatePage(QWidget):
    """A new exercise: question, title, transcript, agreed rating and rationale."""

    sig_create_requested = Signal()
    """Create exercise (the button or Ctrl+Enter)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("exerciseCreatePage")
        heading = QLabel("New calibration exercise")
        heading.setProperty("role", "loop-header")
        intro = QLabel(
            "A reference answer with the rating your panel agreed on. Interviewers score it without seeing that "
            "rating; then each sees how far they were from it, and how far apart everyone was."
        )
        intro.setWordWrap(True)
        intro.setProperty("role", "subtle")
        self._build_fields()
        self.problems = QLabel(wordWrap=True)
        self.problems.setProperty("role", "problem")
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
        buttons.addWidget(self.problems, 1)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.create_button)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(intro)
        layout.addLayout(form, 1)
        layout.addLayout(buttons)
        _keys(self, key_entry("create_exercise").keys, self.sig_create_requested.emit)
        self.create_button.clicked.connect(self.sig_create_requested)
        _level_keys(self, "agreed_rating", self.agreed_picker)

    def _build_fields(self) -> None:
        self.question_combo = QComboBox()
        self.question_combo.setObjectName("exerciseQuestion")
        self.question_combo.setAccessibleName("Question")
        self.question_combo.setEditable(True)
        self.question_combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        completer = self.question_combo.completer()
        if completer is not None:  # an editable combo box has one
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
        self.rationale_edit.setPlaceholderText(
            "Why this rating: what in the answer puts it at this anchor and not the next."
        )
        self.rationale_edit.setTabChangesFocus(True)
        self.rationale_edit.setMaximumHeight(90)

    def set_questions(self, questions: list[tuple[str, str]]) -> None:
        """The bank's questions to choose from, (id, title); none chosen."""
        self.question_combo.blockSignals(True)
        self.question_combo.clear()
        for qid, title in questions:
            self.question_combo.addItem(f"{title} ({qid})", qid)
        self.question_combo.setCurrentIndex(-1)
        self.question_combo.blockSignals(False)

    def clear(self, levels: Levels) -> None:
        self.title_edit.clear()
        self.transcript_edit.clear()
        self.rationale_edit.clear()
        self.problems.clear()
        self.agreed_picker.set_levels(levels)
        self.agreed_picker.clear()

    def question_id(self) -> str | None:
        if self.question_combo.currentIndex() < 0:
            return None
        chosen = self.question_combo.currentData()
        return str(chosen) if chosen else None

    def show_problems(self, text: str) -> None:
        """What stops the exercise, under the form; the focus goes to the first field it names ("Rationale: say
        why…"), where the next keystroke fixes it."""
        self.problems.setText("⚠ " + text)
        fields: dict[str, QWidget] = {
            "Question": self.question_combo,
            "Title": self.title_edit,
            "Transcript": self.transcript_edit,
            "Rationale": self.rationale_edit,
        }
        named = fields.get(text.split(":", 1)[0].strip())
        if named is None and text.startswith("Agreed rating"):  # its first level button takes the keys
            named = next(iter(self.agreed_picker.buttons.values()), None)
        if named is not None:
            named.setFocus(Qt.FocusReason.OtherFocusReason)

    def problems_found(self) -> list[str]:
        """What is missing before the exercise can be created (the service checks the rest)."""
        problems = []
        if not self.question_id():
            problems.append("Question: pick one from the bank")
        if self.agreed_picker.value() is None:
            problems.append("Agreed rating: choose one (Alt+1–4)")
        return problems


class ScorePage(QWidget):
    """The answer to score blind, and the rating buttons."""

    sig_submit_requested = Signal()
    """Submit my score (the button or Ctrl+Enter)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("exerciseScorePage")
        self.title = QLabel()
        self.title.setProperty("role", "loop-header")
        self.title.setWordWrap(True)
        self.subtitle = QLabel(wordWrap=True)
        self.subtitle.setProperty("role", "subtle")
        self.prompt_view = QTextBrowser()
        self.prompt_view.setObjectName("exercisePrompt")
        self.prompt_view.setAccessibleName("Question")
        self.prompt_view.setMaximumHeight(110)
        self.transcript_view = QTextBrowser()
        self.transcript_view.setObjectName("exerciseTranscriptView")
        self.transcript_view.setAccessibleName("The answer to score")
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.subtitle)
        layout.addWidget(_title("Question"))
        layout.addWidget(self.prompt_view)
        layout.addWidget(_title("Answer"))
        layout.addWidget(self.transcript_view, 1)
        layout.addWidget(self._build_rating())
        _level_keys(self, "exercise_score", self.picker)
        _keys(self, key_entry("submit_exercise_score").keys, self.sig_submit_requested.emit)
        self.submit_button.clicked.connect(self.sig_submit_requested)
        self.picker.sig_chosen.connect(lambda _v: self.update_submit())
        self.may_score = False

    def _build_rating(self) -> QFrame:
        self.picker = RatingPicker()
        self.picker.setObjectName("scorePicker")
        self.notes_edit = QLineEdit(placeholderText="Optional: what decided your rating")
        self.notes_edit.setObjectName("exerciseNotes")
        self.info = QLabel(wordWrap=True)
        self.info.setObjectName("scoreInfo")
        self.submit_button = QPushButton("Submit my score")
        self.submit_button.setObjectName("submitExerciseScore")
        self.submit_button.setToolTip("Submit your score (Ctrl+Enter); it is final, then the agreed rating is shown")
        box = QFrame()
        box.setFrameShape(QFrame.Shape.StyledPanel)
        rate = QVBoxLayout(box)
        rate.addWidget(_title("Your rating (keys 1–4): the agreed rating is shown once your score is in"))
        rate.addWidget(self.picker)
        bottom = QHBoxLayout()
        bottom.addWidget(self.notes_edit, 1)
        bottom.addWidget(self.submit_button)
        rate.addLayout(bottom)
        rate.addWidget(self.info)
        return box

    def show_detail(self, d: ExerciseDetail, levels: Levels) -> None:
        self.title.setText(d.title)
        self.subtitle.setText(f"{d.question_title} (version {d.question_version}) · written by {d.created_by}")
        self.prompt_view.setHtml(markdown_to_html(d.prompt))
        self.transcript_view.setHtml(markdown_to_html(d.transcript))
        self.picker.set_levels(levels)
        self.picker.clear()
        self.notes_edit.clear()
        self.may_score = d.may_score
        self.picker.setEnabled(d.may_score)
        self.notes_edit.setEnabled(d.may_score)
        show_state(self.info, d.why_not_score, "warning" if d.why_not_score else "")
        self.update_submit()

    def update_submit(self, *, busy: bool = False) -> None:
        self.submit_button.setEnabled(not busy and self.may_score and self.picker.value() is not None)


class ResultsPage(QWidget):
    """The agreed rating, how far the viewer was from it, everyone's scores and the spread."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("exerciseResultsPage")
        self.title = QLabel()
        self.title.setProperty("role", "loop-header")
        self.title.setWordWrap(True)
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
        for column in range(3):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.transcript = QTextBrowser()
        self.transcript.setObjectName("resultsTranscript")
        self.transcript.setMaximumHeight(160)
        layout = QVBoxLayout(self)
        for widget in (self.title, self.agreed_label, self.my_result, self.spread_label):
            layout.addWidget(widget)
        layout.addWidget(self.scores_table, 1)
        layout.addWidget(_title("The answer"))
        layout.addWidget(self.transcript)

    def show_results(self, r: ExerciseResults, detail: ExerciseDetail | None, me: int | None) -> None:
        self.title.setText(f"Results: {r.title}")
        self.agreed_label.setText(
            f"<p><b>Agreed rating: {r.agreed_score} · {escape(r.agreed_label)}</b></p><p>{escape(r.rationale)}</p>"
        )
        self._show_mine(r, detail, me)
        if r.n == 1:  # one score has no spread: no SD, no range
            self.spread_label.setText(
                f"1 score so far ({r.low}) · deviation {signed(r.mean_deviation, '+.1f')}: the spread shows from "
                "the second score"
            )
        elif r.n:
            self.spread_label.setText(
                f"{r.n} score{'s' if r.n != 1 else ''} · mean {fmt(r.mean, '.1f')} · SD {fmt(r.sd, '.2f')} · "
                f"range {r.range_text} · mean deviation {signed(r.mean_deviation, '+.1f')} · "
                f"{(r.exact_share or 0):.0%} gave the agreed rating"
            )
        else:
            self.spread_label.setText("Nobody has scored it yet.")
        self.scores_model.me = me
        self.scores_model.set_rows(r.scores)
        self.transcript.setHtml(markdown_to_html(detail.transcript) if detail is not None else "")

    def _show_mine(self, r: ExerciseResults, detail: ExerciseDetail | None, me: int | None) -> None:
        mine = next((s for s in r.scores if me is not None and s.interviewer_id == me), None)
        if mine is None:
            why = (
                f"You have not scored it: {detail.why_not_score}"
                if detail is not None and detail.why_not_score and detail.my_score is None
                else ""
            )
            show_state(self.my_result, why, "")
        elif mine.deviation == 0:
            show_state(self.my_result, "✓ You gave the agreed rating.", "ok")
        else:
            points = abs(mine.deviation)
            words = (
                f"You gave {mine.score}: {points} point{'s' if points != 1 else ''} "
                f"{'above' if mine.deviation > 0 else 'below'} the agreed rating "
                f"({'more generous' if mine.deviation > 0 else 'harsher'})."
            )
            show_state(self.my_result, words, "warning" if points >= 2 else "")
