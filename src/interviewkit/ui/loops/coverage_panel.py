"""What a loop's plan assesses: requirements assessed, gaps, what each stage covers, repeats and overruns."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QModelIndex, QSize, Qt, Signal
from PySide6.QtGui import QPainter, QPalette
from PySide6.QtWidgets import QAbstractItemView, QHBoxLayout, QLabel, QListView, QSplitter, QVBoxLayout, QWidget

from interviewkit.services.loop_plan import coverage_figures, overruns, repeats, requirement_words, stage_label
from interviewkit.services.loops import LoopCoverage, LoopDetail
from interviewkit.ui.loops.models import IdRole, Note, NoteListModel
from interviewkit.ui.widgets.delegates import WrapDelegate
from interviewkit.ui.widgets.formatting import plural

__all__ = ["ElidedLabel", "LoopCoveragePanel", "plan_problems"]


def _join(names: Sequence[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def plan_problems(coverage: LoopCoverage, detail: LoopDetail) -> list[Note]:
    """Overruns and questions planned twice, in stage order, each in words."""
    notes = [
        Note(
            f"Stage {o.label} does not fit: planned {o.planned} of {o.minutes} minutes, "
            f"{plural(o.over, 'minute')} over",
            "warning",
            "Make the stage longer, or take a question out of its plan.",
            stage_id=o.stage_id,
            key=f"overrun:{o.stage_id}",
        )
        for o in overruns(coverage, detail)
    ]
    notes += [
        Note(
            f"“{r.title}” is planned twice: in {_join(r.labels)}",
            "warning",
            f"{r.question_id}\nThe candidate would hear the same question again; keep it in one stage.",
            stage_id=r.first_stage_id,
            key=f"repeat:{r.question_id}",
        )
        for r in repeats(coverage, detail)
    ]
    return notes


class ElidedLabel(QLabel):
    """A one-line label that elides what does not fit (the full text is its tooltip)."""

    def setText(self, text: str) -> None:  # noqa: N802 - Qt override
        super().setText(text)
        self.setToolTip(text)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return QSize(40, super().minimumSizeHint().height())

    def paintEvent(self, event: Any) -> None:  # noqa: N802 - Qt override
        painter = QPainter(self)
        rect = self.contentsRect()
        text = self.fontMetrics().elidedText(self.text(), Qt.TextElideMode.ElideRight, rect.width())
        painter.setPen(self.palette().color(QPalette.ColorRole.WindowText))
        painter.drawText(rect, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), text)


class LoopCoveragePanel(QWidget):
    """The loop's coverage in numbers and words; warnings carry an icon and say what to do."""

    sig_stage_requested = Signal(int)
    """The user activated a warning about a stage: show that stage (its id)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("loopCoverage")
        self._coverage: LoopCoverage | None = None
        self._detail: LoopDetail | None = None
        self._stage_id: int | None = None

        self.summary = QLabel(wordWrap=True)  # a long line wraps: it never widens the loop's page
        self.summary.setObjectName("coverageSummary")
        self.summary.setAccessibleName("Requirements assessed")

        self.problems_model = NoteListModel(self)
        self.problems_view = self._list("Plan problems", self.problems_model)
        self.unassessed_label = ElidedLabel()
        self.unassessed_model = NoteListModel(self)
        self.unassessed_view = self._list("Requirements not assessed", self.unassessed_model)
        self.stage_label = ElidedLabel()
        self.stage_model = NoteListModel(self)
        self.stage_view = self._list("Requirements the selected stage assesses", self.stage_model)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.setObjectName("loopCoverageSplitter")
        splitter.setChildrenCollapsible(False)
        problems_label = ElidedLabel("Plan checks")
        for label, view in (
            (problems_label, self.problems_view),
            (self.unassessed_label, self.unassessed_view),
            (self.stage_label, self.stage_view),
        ):
            label.setProperty("role", "pane-title")
            box = QWidget()
            box_layout = QVBoxLayout(box)
            box_layout.setContentsMargins(0, 0, 0, 0)
            box_layout.setSpacing(3)
            box_layout.addWidget(label)
            box_layout.addWidget(view, 1)
            splitter.addWidget(box)
        for i in range(3):
            splitter.setStretchFactor(i, 1)
        self.splitter = splitter

        head = QHBoxLayout()
        head.addWidget(self.summary, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 0, 0)
        layout.addLayout(head)
        layout.addWidget(splitter, 1)
        self.problems_view.activated.connect(self._on_problem)
        self.problems_view.clicked.connect(self._on_problem)

    def _list(self, name: str, model: NoteListModel) -> QListView:
        view = QListView()
        view.setAccessibleName(name)
        view.setModel(model)
        view.setItemDelegate(WrapDelegate(view))
        view.setUniformItemSizes(False)
        view.setResizeMode(QListView.ResizeMode.Adjust)
        view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        view.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        return view

    def clear(self) -> None:
        self._coverage = self._detail = None
        self.summary.setText("")
        for model in (self.problems_model, self.unassessed_model, self.stage_model):
            model.set_notes([])
        self.unassessed_label.setText("")
        self.stage_label.setText("")

    def show_coverage(self, coverage: LoopCoverage, detail: LoopDetail, stage_id: int | None) -> None:
        """Show a fresh coverage of ``detail``; ``stage_id`` is the stage selected in the editor."""
        self._coverage, self._detail = coverage, detail
        result, figures = coverage.result, coverage_figures(coverage)
        missing = coverage.unassessed  # neither assessed by a planned question nor checked by the screen
        if result.total == 0:
            text, state = "⚠ The opening has no requirements: give it a job description under People.", "warning"
        else:  # '⚠ 23 of 112 requirements assessed · 8 checked by the screen · 81 not assessed · ...'
            text, state = figures.sentence(), "warning" if missing else "ok"
            if missing and text.startswith("· "):  # words and a mark, not only the colour, say it (UX.md)
                text = "⚠ " + text[2:]
        self.summary.setText(text)
        self.summary.setProperty("state", state)
        self.summary.style().unpolish(self.summary)
        self.summary.style().polish(self.summary)

        problems = plan_problems(coverage, detail)
        if not problems and detail.stages:
            problems = [Note("Every stage fits its length, and no question is planned twice.", "ok")]
        self.problems_model.set_notes(problems)
        self.unassessed_label.setText(f"Not assessed ({len(missing)})")
        self.unassessed_model.set_notes(
            [self._requirement_note(r) for r in missing]
            or (
                [Note("Every requirement is assessed by a planned question or the screen.", "ok")]
                if result.total
                else []
            )
        )
        self.select_stage(stage_id)

    def select_stage(self, stage_id: int | None) -> None:
        """List what ``stage_id`` assesses."""
        self._stage_id = stage_id
        if self._coverage is None or self._detail is None:
            return
        stage = next((st for st in self._detail.stages if st.id == stage_id), None)
        if stage is None:
            self.stage_label.setText("Assessed by a stage: select one")
            self.stage_model.set_notes([])
            return
        if stage.is_screen:
            checked = [r for r, ids in self._coverage.screened.items() if stage.id in ids]
            self.stage_label.setText(f"Checked by {stage_label(stage)} ({len(checked)})")
            notes = [self._requirement_note(r) for r in checked]
            self.stage_model.set_notes(notes or [Note("Its checklist is empty.", "info")])
            return
        reqs = self._coverage.result.by_stage.get(stage.id, [])
        only_here = [r for r in reqs if self._coverage.result.stages_of.get(r) == [stage.id]]
        self.stage_label.setText(
            f"Assessed in {stage_label(stage)} ({len(reqs)}" + (f", {len(only_here)} only there)" if reqs else ")")
        )
        notes = [self._requirement_note(r) for r in reqs]
        if not reqs:
            notes = [Note("Nothing yet: plan questions for this stage.", "info")]
        self.stage_model.set_notes(notes)

    def _requirement_note(self, requirement_id: str) -> Note:
        """A requirement with how the loop covers it in words ('not assessed (a must-have); touched on in 3.
        Delivery (not counted)'); an unassessed must-have carries a warning."""
        assert self._coverage is not None and self._detail is not None
        text = self._coverage.requirement_text.get(requirement_id, requirement_id)
        words = requirement_words(self._coverage, self._detail, requirement_id)
        state = "warning" if requirement_id in self._coverage.must_haves_unassessed else ""
        return Note(text, state, f"{text}\n{requirement_id}\n{words[:1].upper()}{words[1:]}", key=requirement_id)

    def _on_problem(self, index: QModelIndex) -> None:
        stage_id = index.data(IdRole) if index.isValid() else None
        if stage_id is not None:
            self.sig_stage_requested.emit(int(stage_id))
