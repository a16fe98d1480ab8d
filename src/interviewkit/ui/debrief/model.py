"""Item models for the Debriefs section: candidates, the scorecard grid, requirement coverage, decisions.

Each model is a thin adapter over the plain values of ``interviewkit.services.debrief``; none fetches
anything. The grid's colour scale comes from :func:`rating_colours`, which has one set of colours for the
light palette and one for the dark, each keeping the number legible; a rating is never shown by colour
alone (the number, the scale label in the tooltip, and icons with words for disagreements).
"""

from __future__ import annotations

import html
import statistics
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QAbstractListModel, QAbstractTableModel, QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import QApplication, QStyle

from interviewkit.ui.widgets.formatting import local_text
from interviewkit.ui.widgets.roles import IdRole, SearchTextRole, SubtitleRole, TrailingRole
from interviewkit.ui.widgets.theme import is_dark, state_colours
from interviewkit.ui.widgets.table import RowTable

if TYPE_CHECKING:
    from interviewkit.services.debrief import CoverageEntry, Debrief, DecisionInfo, ScorecardColumn

__all__ = [
    "EXTRA_ADJUSTED",
    "EXTRA_MEAN",
    "EXTRA_SPREAD",
    "NOT_ASSESSED",
    "CandidateFilterProxy",
    "CandidateListModel",
    "CandidateRow",
    "CoverageFilterProxy",
    "CoverageTableModel",
    "DebriefGridModel",
    "DecisionHistoryModel",
    "IdRole",
    "SubtitleRole",
    "TrailingRole",
    "contrast_ratio",
    "rating_colours",
    "short_name",
]

_Index = QModelIndex | QPersistentModelIndex
NOT_ASSESSED = "–"  # an en dash: rated "n/a" (the reason is in the tooltip)
EXTRA_SPREAD, EXTRA_MEAN, EXTRA_ADJUSTED = "spread", "mean", "adjusted"
EXTRA_TITLES = {EXTRA_SPREAD: "Spread", EXTRA_MEAN: "Mean", EXTRA_ADJUSTED: "Adjusted"}

# Four steps from "no evidence" to "strong evidence": orange for low, blue for high (readable by people who
# cannot tell red from green), each as (background, text). The light steps are pale tints under dark text,
# the dark steps deep tints under light text; tests/ui/debrief check the contrast (WCAG AA, >= 4.5:1).
_LIGHT_SCALE = (("#f1a37f", "#3b1205"), ("#fbdcc9", "#3b1d0c"), ("#d3e6f3", "#0c2a40"), ("#8fc0e0", "#082238"))
_DARK_SCALE = (("#8a3b1e", "#ffe9e0"), ("#5a4030", "#fbe3d3"), ("#24435c", "#dcecff"), ("#1d5f96", "#ffffff"))


def rating_colours(dark: bool | None = None) -> tuple[tuple[str, str], ...]:
    """The grid's colour scale, lowest first, as (background, text) pairs for the palette in use."""
    dark = is_dark() if dark is None else dark
    return _DARK_SCALE if dark else _LIGHT_SCALE


def _step(position: float, dark: bool) -> tuple[QColor, QColor]:
    """Colours for a position between 0 (lowest level) and 1 (highest)."""
    scale = rating_colours(dark)
    bg, fg = scale[round(max(0.0, min(1.0, position)) * (len(scale) - 1))]
    return QColor(bg), QColor(fg)


def contrast_ratio(a: str, b: str) -> float:
    """The WCAG contrast ratio between two colours (1 to 21)."""

    def luminance(colour: str) -> float:
        c = QColor(colour)
        channels = [c.redF(), c.greenF(), c.blueF()]
        r, g, b_ = (x / 12.92 if x <= 0.03928 else ((x + 0.055) / 1.055) ** 2.4 for x in channels)
        return 0.2126 * r + 0.7152 * g + 0.0722 * b_

    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def short_name(name: str) -> str:
    """'Ana Ortiz' -> 'A. Ortiz'; a one-word name (or one in a script without spaces) stays whole."""
    parts = name.split()
    if len(parts) < 2:
        return name
    return f"{parts[0][0]}. {parts[-1]}"


def folded(text: str) -> str:
    """Lower case without accents: "Nunez" finds "Ñúñez"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _icon(pixmap: QStyle.StandardPixmap) -> Any:
    return QApplication.style().standardIcon(pixmap)


_WARNING_ROLES = (Qt.ItemDataRole.DecorationRole, Qt.ItemDataRole.ForegroundRole, Qt.ItemDataRole.FontRole)


def _warning_look(role: int) -> Any:
    """How a warning cell (a spread, a split panel) looks: the warning icon, colour and bold type."""
    if role == Qt.ItemDataRole.DecorationRole:
        return _icon(QStyle.StandardPixmap.SP_MessageBoxWarning)
    if role == Qt.ItemDataRole.ForegroundRole:
        return QBrush(QColor(state_colours()["warning"]))
    font = QFont()
    font.setBold(True)
    return font


def _esc(text: str) -> str:
    return html.escape(text, quote=False)


def _clip(text: str, limit: int = 180) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


# --- candidates ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CandidateRow:
    """A candidate with at least one submitted scorecard (from ``debrief_candidates``)."""

    id: int
    name: str
    opening: str
    submitted: int
    stages: int
    decision: str  # the decision's label ("Hire"), or "" when none is recorded


class CandidateListModel(QAbstractListModel):
    """The candidates whose debrief can start: name, opening, scorecards in, decision."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[CandidateRow] = []

    def set_candidates(self, rows: Sequence[CandidateRow]) -> None:
        rows = list(rows)
        if rows and [r.id for r in rows] == [r.id for r in self._rows]:
            self._rows = rows  # same candidates: update in place, the selection stays
            self.dataChanged.emit(self.index(0), self.index(len(rows) - 1))
            return
        self.beginResetModel()
        self._rows = rows
        self.endResetModel()

    def row_of(self, candidate_id: int) -> int:
        return next((i for i, r in enumerate(self._rows) if r.id == candidate_id), -1)

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008, N802 - Qt override
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        progress = f"{row.submitted} of {row.stages} submitted"
        if role == Qt.ItemDataRole.DisplayRole:
            return row.name
        if role == SubtitleRole:
            return f"{row.opening}\n{progress}"
        if role == TrailingRole:
            return row.decision
        if role == Qt.ItemDataRole.ToolTipRole:
            decided = f"Decision: {row.decision}" if row.decision else "No decision recorded yet"
            return f"{row.name} · {row.opening}\n{progress}\n{decided}"
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{row.name}, {row.opening}, {progress}, {row.decision or 'no decision yet'}"
        if role == IdRole:
            return row.id
        if role == SearchTextRole:
            return f"{row.name} {row.opening} {row.decision}"
        return None


class CandidateFilterProxy(QSortFilterProxyModel):
    """Keeps the candidates whose name, opening or decision contains every typed word (accents ignored)."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._words: list[str] = []

    def set_text(self, text: str) -> None:
        self.beginFilterChange()
        self._words = folded(text).split()
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def is_filtering(self) -> bool:
        return bool(self._words)

    def filterAcceptsRow(self, source_row: int, source_parent: _Index) -> bool:  # noqa: N802 - Qt override
        if not self._words:
            return True
        text = folded(str(self.sourceModel().index(source_row, 0, source_parent).data(SearchTextRole) or ""))
        return all(w in text for w in self._words)


# --- the grid ------------------------------------------------------------------------------------------


class DebriefGridModel(QAbstractTableModel):
    """Rows: the competencies rated in any visible scorecard, then "Overall" (each recommendation).

    Columns: one per visible scorecard, in stage order, then "Spread" (an icon and "spread 2" where
    the ratings of a competency are two or more points apart; "split" on the Overall row when the panel's
    recommendations fall on both sides), "Mean" (the raw mean of the ratings) and, once
    :meth:`set_adjusted` gives them, "Adjusted" (leniency-adjusted means from calibration). With no visible
    scorecard the grid has no rows and no columns: the view says why instead.
    """

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._debrief: Debrief | None = None
        self._columns: tuple[ScorecardColumn, ...] = ()
        self._competencies: tuple[tuple[str, str], ...] = ()
        self._labels: dict[int, str] = {}
        self._levels: tuple[int, int] = (1, 4)
        self._recommendations: tuple[str, ...] = ()
        self._adjusted: dict[str, float] | None = None
        self._adjusted_note = ""

    # -- contents ---------------------------------------------------------------------------------------

    def set_debrief(
        self,
        debrief: Debrief | None,
        *,
        scale_labels: Sequence[tuple[int, str]] = (),
        recommendations: Sequence[str] = (),
    ) -> None:
        """Show a debrief (None: nothing). Adjusted scores belong to one candidate: they are cleared."""
        self.beginResetModel()
        self._debrief = debrief
        self._columns = debrief.columns if debrief is not None else ()
        self._competencies = debrief.competencies if debrief is not None and debrief.columns else ()
        self._labels = dict(scale_labels)
        levels = sorted(self._labels) or [1, 4]
        self._levels = (levels[0], levels[-1])
        self._recommendations = tuple(recommendations)
        self._adjusted = None
        self._adjusted_note = ""
        self.endResetModel()

    def set_adjusted(self, scores: Mapping[str, float] | None, explanation: str = "") -> None:
        """Add the "Adjusted" column with these leniency-adjusted means per competency (None removes it)."""
        self.beginResetModel()
        self._adjusted = dict(scores) if scores is not None else None
        self._adjusted_note = explanation if scores is not None else ""
        self.endResetModel()

    @property
    def debrief(self) -> Debrief | None:
        return self._debrief

    def has_adjusted(self) -> bool:
        return self._adjusted is not None

    def extras(self) -> tuple[str, ...]:
        """The computed columns at the right, in order."""
        if not self._columns:
            return ()
        return (EXTRA_SPREAD, EXTRA_MEAN, EXTRA_ADJUSTED) if self._adjusted is not None else (EXTRA_SPREAD, EXTRA_MEAN)

    def card_count(self) -> int:
        return len(self._columns)

    def card_at(self, column: int) -> ScorecardColumn | None:
        return self._columns[column] if 0 <= column < len(self._columns) else None

    def extra_at(self, column: int) -> str | None:
        extras = self.extras()
        i = column - len(self._columns)
        return extras[i] if 0 <= i < len(extras) else None

    def column_of_extra(self, extra: str) -> int:
        extras = self.extras()
        return len(self._columns) + extras.index(extra) if extra in extras else -1

    def competency_at(self, row: int) -> tuple[str, str] | None:
        """(id, name) of a competency row; None for the Overall row."""
        return self._competencies[row] if 0 <= row < len(self._competencies) else None

    def is_overall(self, row: int) -> bool:
        return bool(self._columns) and row == len(self._competencies)

    def overall_row(self) -> int:
        return len(self._competencies) if self._columns else -1

    def row_of(self, competency_id: str) -> int:
        return next((i for i, (cid, _n) in enumerate(self._competencies) if cid == competency_id), -1)

    def scale_label(self, score: int) -> str:
        return self._labels.get(score, "")

    def scores(self, competency_id: str) -> list[int]:
        return [s for c in self._columns if (s := c.ratings.get(competency_id)) is not None]

    def mean(self, competency_id: str) -> float | None:
        scores = self.scores(competency_id)
        return statistics.fmean(scores) if scores else None

    def recommendation_counts(self) -> list[tuple[str, int]]:
        """How many scorecards recommend each option, strongest yes first (only options someone chose)."""
        chosen = [c.recommendation for c in self._columns if c.recommendation]
        order = list(reversed(self._recommendations)) + sorted(set(chosen) - set(self._recommendations))
        return [(r, chosen.count(r)) for r in order if chosen.count(r)]

    def split_words(self) -> str:
        """'Strong yes 1 · Yes 3 · No 2'."""
        return " · ".join(f"{r} {n}" for r, n in self.recommendation_counts())

    # -- Qt ---------------------------------------------------------------------------------------------

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008, N802 - Qt override
        if parent.isValid() or not self._columns:
            return 0
        return len(self._competencies) + 1

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008, N802 - Qt override
        return 0 if parent.isValid() else len(self._columns) + len(self.extras())

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal:
            return self._column_header(section, role)
        return self._row_header(section, role)

    def _column_header(self, section: int, role: int) -> Any:
        card = self.card_at(section)
        if card is not None:
            if role == Qt.ItemDataRole.DisplayRole:
                return f"{short_name(card.interviewer)}\nStage {card.stage_position}"
            if role == Qt.ItemDataRole.ToolTipRole:
                when = local_text(card.submitted_at, empty="not submitted")
                return (
                    f"{card.interviewer}\nStage {card.stage_position}: {card.stage_name}\n"
                    f"Recommendation: {card.recommendation or 'none'} · submitted {when}\n"
                    "Click for the summary of this scorecard."
                )
            if role == Qt.ItemDataRole.AccessibleTextRole:
                return f"{card.interviewer}, stage {card.stage_position}, {card.stage_name}"
            return None
        extra = self.extra_at(section)
        if extra is None:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return EXTRA_TITLES[extra]
        if role == Qt.ItemDataRole.ToolTipRole:
            return {
                EXTRA_SPREAD: "Competencies whose ratings are 2 or more points apart, and a split panel on the Overall row",
                EXTRA_MEAN: "The plain mean of the ratings in this row (n/a not counted)",
                EXTRA_ADJUSTED: self._adjusted_note or "Means adjusted for each interviewer's leniency",
            }[extra]
        return None

    def _row_header(self, section: int, role: int) -> Any:
        comp = self.competency_at(section)
        if comp is None:
            if not self.is_overall(section):
                return None
            if role == Qt.ItemDataRole.DisplayRole:
                return "Overall"
            if role == Qt.ItemDataRole.ToolTipRole:
                return "Each interviewer's recommendation. Click a name for their summary."
            if role == Qt.ItemDataRole.FontRole:
                font = QFont()
                font.setBold(True)
                return font
            return None
        cid, name = comp
        if role == Qt.ItemDataRole.DisplayRole:
            return name
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{name}\nClick to compare every interviewer's evidence for it."
        if role == Qt.ItemDataRole.DecorationRole and self._debrief is not None and cid in self._debrief.disagreements:
            return _icon(QStyle.StandardPixmap.SP_MessageBoxWarning)
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or self._debrief is None:
            return None
        row, col = index.row(), index.column()
        card = self.card_at(col)
        if self.is_overall(row):
            return self._overall(card, self.extra_at(col), role)
        comp = self.competency_at(row)
        if comp is None:
            return None
        if card is not None:
            return self._rating(card, comp, role)
        return self._computed(comp, self.extra_at(col), role)

    def _rating(self, card: ScorecardColumn, comp: tuple[str, str], role: int) -> Any:
        cid, name = comp
        rated = cid in card.ratings
        score = card.ratings.get(cid)
        if role == Qt.ItemDataRole.DisplayRole:
            if not rated:
                return ""
            return NOT_ASSESSED if score is None else str(score)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignCenter)
        if role in (Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.ForegroundRole) and score is not None:
            lo, hi = self._levels
            bg, fg = _step((score - lo) / (hi - lo) if hi > lo else 1.0, is_dark())
            return QBrush(bg if role == Qt.ItemDataRole.BackgroundRole else fg)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._rating_tip(card, cid, name)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            value = "not rated in this stage" if not rated else "not assessed" if score is None else (
                f"{score}, {self.scale_label(score)}"
            )
            return f"{name}, {card.interviewer}: {value}"
        return None

    def _rating_tip(self, card: ScorecardColumn, cid: str, name: str) -> str:
        who = f"{_esc(card.interviewer)} · Stage {card.stage_position}: {_esc(card.stage_name)}"
        if cid not in card.ratings:
            return f"<p><b>{_esc(name)}</b><br>{who}</p><p>Not rated in this stage.</p>"
        score = card.ratings[cid]
        if score is None:
            reason = card.not_assessed.get(cid, "") or "No reason given."
            return f"<p><b>{_esc(name)}: not assessed</b><br>{who}</p><p>Reason: {_esc(reason)}</p>"
        parts = [f"<p><b>{score} · {_esc(self.scale_label(score))}</b> — {_esc(name)}<br>{who}</p>"]
        evidence = card.rating_evidence.get(cid, "")
        if evidence:
            parts.append(f"<p><i>Evidence:</i> {_esc(_clip(evidence, 320))}</p>")
        for q in card.evidence_for(cid)[:3]:
            lines = [ln.lstrip("-* ").strip() for ln in q.notes.splitlines() if ln.strip()]
            notes = "<br>".join("· " + _esc(_clip(ln, 140)) for ln in lines[:3])
            parts.append(f"<p><i>{_esc(q.title)}</i><br>{notes or '(no notes)'}</p>")
        parts.append("<p>Click or press Enter for the full notes.</p>")
        return "".join(parts)

    def _computed(self, comp: tuple[str, str], extra: str | None, role: int) -> Any:
        cid, name = comp
        assert self._debrief is not None
        if extra == EXTRA_SPREAD:
            spread = self._debrief.disagreements.get(cid)
            if spread is None:
                if role == Qt.ItemDataRole.ToolTipRole:
                    scores = self.scores(cid)
                    return "Only one rating." if len(scores) < 2 else f"Ratings within one point ({min(scores)}–{max(scores)})."
                return None
            if role == Qt.ItemDataRole.DisplayRole:
                return f"spread {spread}"
            if role in _WARNING_ROLES:
                return _warning_look(role)
            if role == Qt.ItemDataRole.ToolTipRole:
                scores = self.scores(cid)
                return (
                    f"{name}: the ratings range from {min(scores)} to {max(scores)}, {spread} points apart.\n"
                    "Talk it through: click to compare each interviewer's evidence."
                )
            if role == Qt.ItemDataRole.AccessibleTextRole:
                return f"{name}: disagreement, spread {spread}"
            return None
        if extra == EXTRA_MEAN:
            mean = self.mean(cid)
            if role == Qt.ItemDataRole.DisplayRole:
                return f"{mean:.1f}" if mean is not None else NOT_ASSESSED
            if role == Qt.ItemDataRole.TextAlignmentRole:
                return int(Qt.AlignmentFlag.AlignCenter)
            if role == Qt.ItemDataRole.ToolTipRole:
                scores = self.scores(cid)
                if not scores:
                    return "No rating: every interviewer marked it n/a."
                return f"Mean of {len(scores)} rating{'s' if len(scores) != 1 else ''}: {', '.join(map(str, scores))} (n/a not counted)"
            return None
        if extra == EXTRA_ADJUSTED and self._adjusted is not None:
            value = self._adjusted.get(cid)
            if role == Qt.ItemDataRole.DisplayRole:
                return f"{value:.1f}" if value is not None else NOT_ASSESSED
            if role == Qt.ItemDataRole.TextAlignmentRole:
                return int(Qt.AlignmentFlag.AlignCenter)
            if role == Qt.ItemDataRole.ToolTipRole:
                return self._adjusted_note if value is not None else "No adjusted mean for this competency."
            return None
        return None

    def _overall(self, card: ScorecardColumn | None, extra: str | None, role: int) -> Any:
        assert self._debrief is not None
        if card is not None:
            rec = card.recommendation or ""
            if role == Qt.ItemDataRole.DisplayRole:
                return rec or NOT_ASSESSED
            if role == Qt.ItemDataRole.TextAlignmentRole:
                return int(Qt.AlignmentFlag.AlignCenter)
            if role == Qt.ItemDataRole.FontRole:
                font = QFont()
                font.setBold(True)
                return font
            if role in (Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.ForegroundRole) and rec in self._recommendations:
                n = len(self._recommendations)
                bg, fg = _step(self._recommendations.index(rec) / (n - 1) if n > 1 else 1.0, is_dark())
                return QBrush(bg if role == Qt.ItemDataRole.BackgroundRole else fg)
            if role == Qt.ItemDataRole.ToolTipRole:
                summary = _clip(card.summary, 400) if card.summary else "No summary."
                return (
                    f"<p><b>{_esc(card.interviewer)}: {_esc(rec or 'no recommendation')}</b><br>"
                    f"Stage {card.stage_position}: {_esc(card.stage_name)}</p><p>{_esc(summary)}</p>"
                    "<p>Click or press Enter for the whole summary.</p>"
                )
            if role == Qt.ItemDataRole.AccessibleTextRole:
                return f"Overall, {card.interviewer}: {rec or 'no recommendation'}"
            return None
        if extra == EXTRA_SPREAD and self._debrief.split_recommendation:
            if role == Qt.ItemDataRole.DisplayRole:
                return "split"
            if role in _WARNING_ROLES:
                return _warning_look(role)
            if role == Qt.ItemDataRole.ToolTipRole:
                return f"Split panel: the recommendations fall on both sides of hire ({self.split_words()})."
            if role == Qt.ItemDataRole.AccessibleTextRole:
                return f"Split recommendations: {self.split_words()}"
        return None


# --- coverage ------------------------------------------------------------------------------------------


class CoverageTableModel(RowTable):
    """The requirements of the role: who assessed each in this loop, and with what rating.

    A requirement nobody assessed reads "Not assessed" with a warning icon and a tinted row.
    """

    COLUMNS = ("Requirement", "Assessed by")

    def set_entries(self, entries: Sequence[CoverageEntry]) -> None:
        self.set_rows(entries)

    def entry(self, row: int) -> CoverageEntry:
        return self._rows[row]  # type: ignore[no-any-return]

    @staticmethod
    def assessed_lines(entry: CoverageEntry) -> list[str]:
        """'A. Ortiz (Production ML): Monitoring, drift and retraining 3', once per interviewer and stage."""
        lines: list[str] = []
        for interviewer, stage, _question, ratings in entry.assessed_by:
            line = f"{short_name(interviewer)} ({stage}): {ratings or 'not rated'}"
            if line not in lines:
                lines.append(line)
        return lines

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        entry = self._rows[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if col == 0:
                return entry.text
            return "\n".join(self.assessed_lines(entry)) if entry.assessed else "Not assessed by anyone in this loop"
        if role == Qt.ItemDataRole.DecorationRole and col == 1 and not entry.assessed:
            return _icon(QStyle.StandardPixmap.SP_MessageBoxWarning)
        if role == Qt.ItemDataRole.BackgroundRole and not entry.assessed:
            return QBrush(QColor(state_colours()["gap_bg"]))
        if role == Qt.ItemDataRole.FontRole and col == 1 and not entry.assessed:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.ToolTipRole:
            who = (
                "\n".join(f"{i} · {s}: “{q}” ({r or 'not rated'})" for i, s, q, r in entry.assessed_by)
                if entry.assessed
                else "No question asked in this loop assesses it."
            )
            return f"{entry.text}\n{entry.section} · {entry.requirement_id}\n\n{who}"
        if role == IdRole:
            return entry.requirement_id
        return None


class CoverageFilterProxy(QSortFilterProxyModel):
    """Shows every requirement, or only those nobody assessed."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.only_unassessed = False

    def set_only_unassessed(self, on: bool) -> None:
        self.beginFilterChange()
        self.only_unassessed = on
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: _Index) -> bool:  # noqa: N802 - Qt override
        if not self.only_unassessed:
            return True
        model = self.sourceModel()
        assert isinstance(model, CoverageTableModel)
        return not model.entry(source_row).assessed


# --- decisions -----------------------------------------------------------------------------------------


class DecisionHistoryModel(RowTable):
    """Every decision on a candidate, oldest first: the one in force and the ones it superseded."""

    COLUMNS = ("When", "Outcome", "By", "Rationale", "Reopening reason")

    def set_history(self, rows: Sequence[DecisionInfo]) -> None:
        self.set_rows(rows)

    def decision(self, row: int) -> DecisionInfo:
        return self._rows[row]  # type: ignore[no-any-return]

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        d = self._rows[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return (
                local_text(d.decided_at),
                f"{d.label} (superseded)" if d.superseded else f"{d.label} (in force)",
                d.decided_by,
                " ".join(d.rationale.split()),
                " ".join(d.reopen_reason.split()),
            )[col]
        if role == Qt.ItemDataRole.ForegroundRole and d.superseded:
            return QBrush(QApplication.palette().color(QApplication.palette().ColorRole.PlaceholderText))
        if role == Qt.ItemDataRole.FontRole and col == 1 and not d.superseded:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.ToolTipRole:
            lines = [
                f"{d.label}{' (superseded)' if d.superseded else ''}, recorded by {d.decided_by} on {local_text(d.decided_at)}",
                f"Participants: {', '.join(d.participants) or 'none recorded'}",
                f"Rationale: {d.rationale}",
            ]
            if d.reopen_reason:
                lines.append(f"Reopened because: {d.reopen_reason}")
            return "\n".join(lines)
        if role == IdRole:
            return d.id
        return None
