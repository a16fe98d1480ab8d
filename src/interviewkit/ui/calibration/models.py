"""Item models of the calibration section: question analytics, agreement per competency, exercises.

Thin adapters over the plain values the services return; sorting uses :data:`SortRole` (numbers sort as
numbers, a missing value last). Flags carry words and an icon-like symbol, colour only adds to them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QFont

from interviewkit.ui.calibration.charts import band_colour, chart_colours
from interviewkit.ui.widgets.table import RowTable

if TYPE_CHECKING:
    from interviewkit.services.calibration_report import AgreementRow, QuestionRow
    from interviewkit.services.exercises import ExerciseSummary, ScoreResult

__all__ = [
    "AgreementModel",
    "ExerciseListModel",
    "ExerciseScoresModel",
    "IdRole",
    "QuestionModel",
    "SortRole",
    "fmt",
    "signed",
]

_Index = QModelIndex | QPersistentModelIndex
SortRole = Qt.ItemDataRole.UserRole + 20
IdRole = Qt.ItemDataRole.UserRole + 21
_MISSING = float("inf")
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
_CENTER = int(Qt.AlignmentFlag.AlignCenter)


def fmt(value: float | None, spec: str = ".2f") -> str:
    return "—" if value is None else format(value, spec)


def signed(value: float | None, spec: str = "+.2f") -> str:
    return "—" if value is None else format(value, spec).replace("-", "−")


class QuestionModel(RowTable):
    """One row per question asked in the period: use, exposure, ratings, relation to the decision."""

    COLUMNS = ("Question", "Asked", "Loops", "Exposure", "Mean", "SD", "r with decision")
    TIPS = (
        "The question (its current title)",
        "How many times it was asked in a submitted scorecard",
        "In how many of the period's loops it was asked (share of all loops)",
        "Over-exposed: asked in more than half of the loops, so candidates may come prepared",
        "Mean rating of the competencies it assesses, in the scorecards that asked it",
        "Standard deviation of those ratings: a question everyone scores alike tells candidates apart poorly",
        (
            "Point-biserial correlation of its ratings with the decision (hire 1, no hire 0), with the number of "
            "ratings of decided candidates; needs at least 3"
        ),
    )

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        q: QuestionRow = self._rows[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return (
                q.title,
                str(q.times_asked),
                f"{q.loops} ({q.loop_share:.0%})",
                "⚠ over-exposed" if q.exposed else "ok",
                fmt(q.mean),
                fmt(q.sd),
                f"{signed(q.decision_r)} (n={q.decision_n})" if q.decision_r is not None else f"— (n={q.decision_n})",
            )[col]
        if role == SortRole:
            return (
                q.title.lower(),
                q.times_asked,
                q.loop_share,
                int(q.exposed),
                q.mean if q.mean is not None else -_MISSING,
                q.sd if q.sd is not None else -_MISSING,
                q.decision_r if q.decision_r is not None else -_MISSING,
            )[col]
        if role == IdRole:
            return q.question_id
        if role == Qt.ItemDataRole.ToolTipRole and col == 0:
            return f"{q.title} ({q.question_id}); {q.n_scores} ratings"
        if role == Qt.ItemDataRole.ForegroundRole and col == 3 and q.exposed:
            return QBrush(chart_colours()["warning"])
        if role == Qt.ItemDataRole.FontRole and col == 3 and q.exposed:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.TextAlignmentRole and col > 0:
            return _RIGHT if col != 3 else _CENTER
        return None


class AgreementModel(RowTable):
    """Agreement per competency: the ICC with its interval and Koo & Li band (text and colour), alpha."""

    COLUMNS = ("Competency", "Candidates", "Interviewers", "ICC [95% CI]", "Band (Koo & Li)", "α")
    TIPS = (
        "The competency (Overall: each interviewer's mean over the competencies they rated)",
        "Candidates with a rating of it",
        "Interviewers who rated it",
        "Intraclass correlation of absolute agreement (REML, every rating), with its 95% interval",
        "Koo & Li: poor < 0.5 ≤ moderate < 0.75 ≤ good < 0.9 ≤ excellent, judged on the whole interval",
        "Krippendorff's alpha (interval metric)",
    )

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        a: AgreementRow = self._rows[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if col == 3:
                if a.icc is None:
                    return "not enough data"
                ci = f" [{a.low:.2f}, {a.high:.2f}]" if a.low is not None and a.high is not None else " (no interval)"
                return f"{a.icc:.2f}{ci}"
            if col == 4:
                return a.band if a.icc is not None else "needs 2 interviewers on shared candidates"
            return (a.name, str(a.n_candidates), str(a.n_interviewers), "", "", fmt(a.alpha))[col]
        if role == SortRole:
            return (
                a.name.lower(),
                a.n_candidates,
                a.n_interviewers,
                a.icc if a.icc is not None else -_MISSING,
                a.band,
                a.alpha if a.alpha is not None else -_MISSING,
            )[col]
        if role == Qt.ItemDataRole.ForegroundRole:
            if col == 4 and a.icc is not None:
                return QBrush(band_colour(a.band))
            if a.icc is None and col > 0:
                return QBrush(chart_colours()["muted"])
        if role == Qt.ItemDataRole.FontRole and a.competency is None:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.TextAlignmentRole and col in (1, 2, 3, 5):
            return _RIGHT
        if role == Qt.ItemDataRole.ToolTipRole and col == 0:
            return a.name
        return None


class ExerciseScoresModel(RowTable):
    """Each interviewer's score of an exercise and its deviation from the agreed rating."""

    COLUMNS = ("Interviewer", "Score", "Deviation", "Notes")
    me: int | None = None  # the viewer's own row is in bold

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        r: ScoreResult = self._rows[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if col == 2:
                words = "agrees" if r.deviation == 0 else "more generous" if r.deviation > 0 else "harsher"
                return f"{signed(r.deviation, '+d') if r.deviation else '0'} ({words})"
            return (r.interviewer, str(r.score), "", r.notes)[col]
        if role == Qt.ItemDataRole.ForegroundRole and col == 2 and abs(r.deviation) >= 2:
            return QBrush(chart_colours()["danger"])
        if role == Qt.ItemDataRole.FontRole and r.interviewer_id == self.me:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.TextAlignmentRole and col in (1, 2):
            return _CENTER
        return None


class ExerciseListModel(QAbstractListModel):
    """The exercises, newest first, each with what the viewer has done with it."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[ExerciseSummary] = []

    def set_rows(self, rows: Sequence[ExerciseSummary]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def row_of(self, exercise_id: int) -> int:
        return next((i for i, r in enumerate(self._rows) if r.id == exercise_id), -1)

    def row_at(self, row: int) -> ExerciseSummary:
        return self._rows[row]

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        e = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            if e.is_creator:
                state = "yours (answer key)"
            elif e.my_score is not None:
                state = f"you scored {e.my_score}"
            else:
                state = "to score"
            return f"{e.title}\n{e.scores} score{'s' if e.scores != 1 else ''} · {state}"
        if role == IdRole:
            return e.id
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{e.question_title} · created by {e.created_by}"
        return None
