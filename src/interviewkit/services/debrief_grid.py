"""The debrief grid as plain values, for any screen or document that shows it.

Rows: the competencies rated in any visible scorecard, then "Overall" (each recommendation). Columns: one
per visible scorecard, in stage order, then "Spread" (where the ratings of a competency are two or more
points apart; "split" on the Overall row when the recommendations fall on both sides of hire), "Mean" (the
raw mean, n/a not counted) and, given the leniency adjustment of calibration, "Adjusted". Each cell carries
what it shows, explains (tooltip) and says to a screen reader, and where it sits on the colour scale, so
that the desktop's item model only maps them to roles. With no visible scorecard the grid is empty.

The requirement coverage's lines and summary are here too: the same debrief, read another way.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from interviewkit.services.debrief import CoverageEntry, Debrief, ScorecardColumn
from interviewkit.services.debrief_html import rating_tip, recommendation_tip

__all__ = [
    "ADJUSTED",
    "EXTRA_TITLES",
    "MEAN",
    "NOT_ASSESSED",
    "NO_SPREAD",
    "OVERALL",
    "SPREAD",
    "Cell",
    "CoverageSummary",
    "DebriefGrid",
    "GridColumn",
    "GridRow",
    "assessed_lines",
    "coverage_summary",
    "coverage_tip",
    "debrief_grid",
    "short_name",
]

NOT_ASSESSED = "–"  # an en dash: rated "n/a" (the reason is in the tooltip)
OVERALL = "overall"  # the key of the recommendations' row
SPREAD, MEAN, ADJUSTED = "spread", "mean", "adjusted"  # the keys of the computed columns, left to right
EXTRA_TITLES = {SPREAD: "Spread", MEAN: "Mean", ADJUSTED: "Adjusted"}
_EXTRA_TIPS = {
    SPREAD: "How far apart the ratings are (highest − lowest; — with fewer than two): 2 or more points apart is "
    "flagged, and a split panel on the Overall row",
    MEAN: "The plain mean of the ratings in this row (n/a not counted)",
    ADJUSTED: "Means adjusted for each interviewer's leniency",
}

#: How a date is written for people (the desktop passes its locale's way).
TimeText = Callable[[datetime | None], str]


def _plain_time(when: datetime | None) -> str:
    return when.strftime("%d %b %Y, %H:%M") if when is not None else "not submitted"


def short_name(name: str) -> str:
    """'Ana Ortiz' -> 'A. Ortiz'; a one-word name (or one in a script without spaces) stays whole."""
    parts = name.split()
    if len(parts) < 2:
        return name
    return f"{parts[0][0]}. {parts[-1]}"


@dataclass(frozen=True)
class Cell:
    """One cell: its text (None: empty), tooltip, spoken text, and how it looks."""

    text: str | None = None
    tip: str = ""
    spoken: str = ""
    level: float | None = None  # on the colour scale: 0 the lowest level, 1 the highest; None: no colour
    warning: bool = False  # a disagreement or a split panel: a warning icon, colour and bold type
    bold: bool = False
    centred: bool = False


@dataclass(frozen=True)
class GridColumn:
    """A column: a scorecard (``card``), or a computed column (``key`` SPREAD, MEAN or ADJUSTED)."""

    key: int | str  # the scorecard id, or the computed column's key
    title: str
    tip: str
    spoken: str = ""
    card: ScorecardColumn | None = None


@dataclass(frozen=True)
class GridRow:
    """A competency (``key`` its id) or the Overall row (``key`` OVERALL), with its figures."""

    key: str
    title: str
    tip: str
    cells: tuple[Cell, ...]
    warning: bool = False  # the competency's ratings disagree
    bold: bool = False
    scores: tuple[int, ...] = ()  # the ratings given (n/a left out)
    mean: float | None = None
    spread: int | None = None  # max - min, where it is 2 or more
    adjusted: float | None = None


@dataclass(frozen=True)
class DebriefGrid:
    """The grid of one debrief (empty when the viewer may see no scorecard)."""

    columns: tuple[GridColumn, ...] = ()
    rows: tuple[GridRow, ...] = ()
    recommendation_counts: tuple[tuple[str, int], ...] = ()  # strongest yes first, only options chosen
    flags: str = ""  # one line: the disagreements and a split panel, or that there is none
    flags_state: str = ""  # "warning", "ok", or "" for an empty grid
    adjusted_note: str = ""  # how the adjusted means were made
    has_adjusted: bool = False

    @property
    def card_count(self) -> int:
        return sum(1 for c in self.columns if c.card is not None)

    @property
    def split_words(self) -> str:
        """'Strong yes 1 · Yes 3 · No 2'."""
        return " · ".join(f"{r} {n}" for r, n in self.recommendation_counts)

    def cell(self, row: int, column: int) -> Cell:
        return self.rows[row].cells[column]

    def card_at(self, column: int) -> ScorecardColumn | None:
        return self.columns[column].card if 0 <= column < len(self.columns) else None

    def extra_at(self, column: int) -> str | None:
        """The computed column's key (SPREAD, MEAN, ADJUSTED) at ``column``; None for a scorecard."""
        if 0 <= column < len(self.columns) and self.columns[column].card is None:
            return str(self.columns[column].key)
        return None

    def column_of(self, key: int | str) -> int:
        """The column of a scorecard id or a computed column's key; -1 when absent."""
        return next((i for i, c in enumerate(self.columns) if c.key == key), -1)

    def row_of(self, key: str) -> int:
        """The row of a competency id, or of OVERALL; -1 when absent."""
        return next((i for i, r in enumerate(self.rows) if r.key == key), -1)

    def competency_at(self, row: int) -> tuple[str, str] | None:
        """(id, name) of a competency row; None for the Overall row or outside."""
        if 0 <= row < len(self.rows) and self.rows[row].key != OVERALL:
            return self.rows[row].key, self.rows[row].title
        return None


def debrief_grid(
    debrief: Debrief | None,
    *,
    scale_labels: Mapping[int, str] | Iterable[tuple[int, str]] = (),
    recommendations: Sequence[str] = (),
    adjusted: Mapping[str, float] | None = None,
    adjusted_note: str = "",
    when: TimeText = _plain_time,
) -> DebriefGrid:
    """The grid of a debrief. ``recommendations`` is the settings' scale, weakest first; ``adjusted`` the
    leniency-adjusted means per competency id (None: no Adjusted column); ``when`` writes a date."""
    if debrief is None or not debrief.columns:
        return DebriefGrid()
    labels = dict(scale_labels)
    levels = sorted(labels) or [1, 4]
    note = adjusted_note if adjusted is not None else ""
    extras = (SPREAD, MEAN, ADJUSTED) if adjusted is not None else (SPREAD, MEAN)
    counts = _recommendation_counts(debrief.columns, recommendations)
    rows = [
        _competency_row(debrief, cid, name, labels, (levels[0], levels[-1]), extras, adjusted, note)
        for cid, name in debrief.competencies
    ]
    rows.append(_overall_row(debrief, recommendations, extras, counts))
    flags, state = _flags(debrief, counts)
    return DebriefGrid(
        columns=_columns(debrief.columns, extras, note, when),
        rows=tuple(rows),
        recommendation_counts=counts,
        flags=flags,
        flags_state=state,
        adjusted_note=note,
        has_adjusted=adjusted is not None,
    )


def _columns(
    cards: Sequence[ScorecardColumn], extras: Sequence[str], note: str, when: TimeText
) -> tuple[GridColumn, ...]:
    columns = [
        GridColumn(
            key=card.scorecard_id,
            title=f"{short_name(card.interviewer)}\nStage {card.stage_position}",
            tip=(
                f"{card.interviewer}\nStage {card.stage_position}: {card.stage_name}\n"
                f"Recommendation: {card.recommendation or 'none'} · submitted {when(card.submitted_at)}\n"
                "Click for the summary of this scorecard."
            ),
            spoken=f"{card.interviewer}, stage {card.stage_position}, {card.stage_name}",
            card=card,
        )
        for card in cards
    ]
    tips = {**_EXTRA_TIPS, ADJUSTED: note or _EXTRA_TIPS[ADJUSTED]}
    columns.extend(GridColumn(key=extra, title=EXTRA_TITLES[extra], tip=tips[extra]) for extra in extras)
    return tuple(columns)


def _recommendation_counts(cards: Sequence[ScorecardColumn], scale: Sequence[str]) -> tuple[tuple[str, int], ...]:
    chosen = [c.recommendation for c in cards if c.recommendation]
    order = list(reversed(scale)) + sorted(set(chosen) - set(scale))
    return tuple((r, chosen.count(r)) for r in order if chosen.count(r))


def _competency_row(
    d: Debrief,
    cid: str,
    name: str,
    labels: Mapping[int, str],
    levels: tuple[int, int],
    extras: Sequence[str],
    adjusted: Mapping[str, float] | None,
    note: str,
) -> GridRow:
    scores = tuple(d.ratings_of(cid))
    spread = d.disagreements.get(cid)
    mean = statistics.fmean(scores) if scores else None
    value = adjusted.get(cid) if adjusted is not None else None
    cells = [_rating_cell(card, cid, name, labels, levels) for card in d.columns]
    for extra in extras:
        if extra == SPREAD:
            cells.append(_spread_cell(name, scores, spread))
        elif extra == MEAN:
            cells.append(_mean_cell(scores, mean))
        else:
            cells.append(_adjusted_cell(value, note))
    return GridRow(
        key=cid,
        title=name,
        tip=f"{name}\nClick to compare every interviewer's evidence for it.",
        cells=tuple(cells),
        warning=spread is not None,
        scores=scores,
        mean=mean,
        spread=spread,
        adjusted=value,
    )


def _rating_cell(
    card: ScorecardColumn, cid: str, name: str, labels: Mapping[int, str], levels: tuple[int, int]
) -> Cell:
    tip = rating_tip(card, cid, name, labels)
    if cid not in card.ratings:
        return Cell("", tip, f"{name}, {card.interviewer}: not rated in this stage", centred=True)
    score = card.ratings[cid]
    if score is None:
        return Cell(NOT_ASSESSED, tip, f"{name}, {card.interviewer}: not assessed", centred=True)
    lo, hi = levels
    level = (score - lo) / (hi - lo) if hi > lo else 1.0
    spoken = f"{name}, {card.interviewer}: {score}, {labels.get(score, '')}"
    return Cell(str(score), tip, spoken, level=level, centred=True)


#: The spread's cell with fewer than two ratings (the debrief PDF prints the same): a spread needs two.
NO_SPREAD = "—"


def _spread_cell(name: str, scores: Sequence[int], spread: int | None) -> Cell:
    if len(scores) < 2:
        why = "No rating" if not scores else "Only one rating"
        return Cell(NO_SPREAD, f"{why}: a spread needs two ratings.", f"{name}: no spread, {why.lower()}", centred=True)
    if spread is None:  # within one point: the number, calm, as the PDF prints it
        low, high = min(scores), max(scores)
        return Cell(str(high - low), f"Ratings within one point ({low}–{high}).", centred=True)
    tip = (
        f"{name}: the ratings range from {min(scores)} to {max(scores)}, {spread} points apart.\n"
        "Talk it through: click to compare each interviewer's evidence."
    )
    return Cell(f"spread {spread}", tip, f"{name}: disagreement, spread {spread}", warning=True)


def _mean_cell(scores: Sequence[int], mean: float | None) -> Cell:
    if mean is None:
        return Cell(NOT_ASSESSED, "No rating: every interviewer marked it n/a.", centred=True)
    ratings = f"{len(scores)} rating{'s' if len(scores) != 1 else ''}"
    tip = f"Mean of {ratings}: {', '.join(map(str, scores))} (n/a not counted)"
    return Cell(f"{mean:.1f}", tip, centred=True)


def _adjusted_cell(value: float | None, note: str) -> Cell:
    if value is None:
        return Cell(NOT_ASSESSED, "No adjusted mean for this competency.", centred=True)
    return Cell(f"{value:.1f}", note, centred=True)


def _overall_row(
    d: Debrief, scale: Sequence[str], extras: Sequence[str], counts: tuple[tuple[str, int], ...]
) -> GridRow:
    cells = []
    for card in d.columns:
        rec = card.recommendation or ""
        level = None
        if rec in scale:
            level = scale.index(rec) / (len(scale) - 1) if len(scale) > 1 else 1.0
        spoken = f"Overall, {card.interviewer}: {rec or 'no recommendation'}"
        cells.append(Cell(rec or NOT_ASSESSED, recommendation_tip(card), spoken, level=level, bold=True, centred=True))
    words = " · ".join(f"{r} {n}" for r, n in counts)
    for extra in extras:
        if extra == SPREAD and d.split_recommendation:
            tip = f"Split panel: the recommendations fall on both sides of hire ({words})."
            cells.append(Cell("split", tip, f"Split recommendations: {words}", warning=True))
        else:
            cells.append(Cell())
    return GridRow(
        key=OVERALL,
        title="Overall",
        tip="Each interviewer's recommendation. Click a name for their summary.",
        cells=tuple(cells),
        bold=True,
    )


def _flags(d: Debrief, counts: tuple[tuple[str, int], ...]) -> tuple[str, str]:
    names = dict(d.competencies)
    parts = []
    if d.disagreements:
        rows = ", ".join(f"{names.get(cid, cid)} (spread {s})" for cid, s in d.disagreements.items())
        parts.append(f"⚠ Ratings 2 or more points apart: {rows}")
    if d.split_recommendation:
        parts.append("⚠ Split panel: " + " · ".join(f"{r} {n}" for r, n in counts))
    if parts:
        return "    ".join(parts), "warning"
    return "✓ No disagreement of 2 points or more, and the recommendations agree.", "ok"


# --- coverage ----------------------------------------------------------------------------------------


def assessed_lines(entry: CoverageEntry) -> list[str]:
    """'A. Ortiz (Production ML): Monitoring, drift and retraining 3', once per interviewer and stage."""
    lines: list[str] = []
    for interviewer, stage, _question, ratings in entry.assessed_by:
        line = f"{short_name(interviewer)} ({stage}): {ratings or 'not rated'}"
        if line not in lines:
            lines.append(line)
    return lines


def coverage_tip(entry: CoverageEntry) -> str:
    """Who assessed a requirement, with which question and ratings (or that nobody did)."""
    who = (
        "\n".join(f"{i} · {s}: “{q}” ({r or 'not rated'})" for i, s, q, r in entry.assessed_by)
        if entry.assessed
        else "No question asked in this loop assesses it."
    )
    return f"{entry.text}\n{entry.section} · {entry.requirement_id}\n\n{who}"


@dataclass(frozen=True)
class CoverageSummary:
    """One line on the coverage of the role's requirements, its state ("ok" or "warning") and the gaps."""

    text: str
    state: str
    missing: int


def coverage_summary(d: Debrief) -> CoverageSummary:
    """How many of the role's requirements the visible scorecards assessed."""
    total, missing = len(d.coverage), len(d.unassessed)
    partial = f" (from the {_plural(len(d.columns), 'scorecard')} you can see)" if d.hidden_count else ""
    if total == 0:
        return CoverageSummary("The opening has no job description with requirements.", "warning", 0)
    if missing:
        text = f"⚠ {total - missing} of {total} requirements assessed · {missing} not assessed{partial}"
        return CoverageSummary(text, "warning", missing)
    return CoverageSummary(f"✓ All {total} requirements assessed{partial}", "ok", 0)


def _plural(n: int, noun: str) -> str:
    return f"{n} {noun if n == 1 else noun + 's'}"
