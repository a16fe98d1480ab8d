"""Predictive validity of the interview: outcomes of hires, read from a CSV file, against interview scores.

:func:`outcomes_from_csv` reads a file with the header ``candidate,date,performance`` and the optional
columns ``left``, ``regretted`` and ``promoted`` (yes/no): one row per hire and review date, the performance
rating on the company's scale (a number), whether the person has left by then (and whether that was a
regretted loss) and whether they were promoted. :func:`validity_of_ratings` relates each hire's latest
performance rating to their interview scores, per competency, question, variant group, stage and
interviewer and for the composite (the overall score), with Thorndike's correction for range restriction
(:mod:`interviewkit.domain.validity`): the applicant pool is every candidate with a score, the hires are
the candidates in the outcomes file.

CSV rows are numbered as a spreadsheet shows them: the header is row 1.
"""

from __future__ import annotations

import csv
import io
import math
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from interviewkit.domain.calibration import Rating
from interviewkit.domain.validity import Validity, validity, verdict
from interviewkit.services.errors import ValidationFailed

__all__ = [
    "OUTCOME_COLUMNS",
    "Outcome",
    "ValidityReport",
    "ValidityRow",
    "outcomes_from_csv",
    "validity_of_ratings",
]

OUTCOME_COLUMNS = ("candidate", "date", "performance")
OPTIONAL_OUTCOME_COLUMNS = ("left", "regretted", "promoted")
_YES, _NO = {"yes", "y", "true", "1"}, {"no", "n", "false", "0"}
MAX_OUTCOME_BYTES = 5 * 1024 * 1024
KINDS = ("composite", "competency", "question", "variant group", "stage", "interviewer")


@dataclass(frozen=True)
class Outcome:
    """One review of a hire: the performance rating at ``at`` (None: not rated then), and their status."""

    candidate: str
    at: date
    performance: float | None
    left: bool | None = None
    regretted: bool | None = None
    promoted: bool | None = None


@dataclass(frozen=True)
class ValidityRow:
    """The validity of one predictor: ``kind`` (composite, competency, question, variant group, stage,
    interviewer), ``label`` (which one), the figures and the verdict in words."""

    kind: str
    label: str
    validity: Validity
    words: str


@dataclass(frozen=True)
class ValidityReport:
    """Every predictor's validity for the hires' latest performance rating."""

    outcome: str
    n_hires: int  # hires with a performance rating
    n_candidates: int  # candidates with an interview score: the applicant pool
    rows: tuple[ValidityRow, ...]
    note: str  # how to read it, in words

    @property
    def composite(self) -> ValidityRow | None:
        return next((r for r in self.rows if r.kind == "composite"), None)


def _flag(text: str, column: str, row: int, problems: list[str]) -> bool | None:
    value = text.strip().lower()
    if not value:
        return None
    if value in _YES or value in _NO:
        return value in _YES
    problems.append(f"row {row}: {column} '{text.strip()}' is not yes or no")
    return None


def _outcome_row(record: list[str], where: dict[str, int], row: int, problems: list[str]) -> Outcome | None:
    candidate = record[where["candidate"]].strip()
    if not candidate:
        problems.append(f"row {row}: empty candidate")
        return None
    try:
        at = date.fromisoformat(record[where["date"]].strip())
    except ValueError:
        problems.append(f"row {row}: date '{record[where['date']].strip()}' is not a date (YYYY-MM-DD)")
        return None
    raw = record[where["performance"]].strip()
    performance = None
    if raw:
        try:
            performance = float(raw)
        except ValueError:
            performance = math.nan
        if not math.isfinite(performance):
            problems.append(f"row {row}: performance '{raw}' is not a number")
            return None
    flags = {
        name: _flag(record[where[name]], name, row, problems) if name in where else None
        for name in OPTIONAL_OUTCOME_COLUMNS
    }
    return Outcome(candidate, at, performance, flags["left"], flags["regretted"], flags["promoted"])


def outcomes_from_csv(path: Path | str) -> list[Outcome]:
    """The outcomes of a CSV file (see the module docstring); :class:`ValidationFailed` lists every problem
    with its row: a missing column, an empty candidate, a date or number that is not one, a yes/no that is
    neither, the same candidate and date twice."""
    from interviewkit.inputs import InputError, read_bytes

    path = Path(path)
    try:
        data = read_bytes(path, kind="outcomes file", limit=MAX_OUTCOME_BYTES)
        text = data.decode("utf-8-sig")
    except InputError as exc:
        raise ValidationFailed([str(exc)]) from None
    except UnicodeDecodeError:
        raise ValidationFailed([f"{path.name}: not UTF-8 text; save the file as 'CSV UTF-8'"]) from None
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [h.strip().lower() for h in next(reader, [])]
    except csv.Error as exc:
        raise ValidationFailed([f"{path.name}: not a readable CSV file ({exc})"]) from None
    missing = [c for c in OUTCOME_COLUMNS if c not in header]
    if missing:
        message = (
            f"row 1: missing column(s) {', '.join(missing)}; the header must name {', '.join(OUTCOME_COLUMNS)} "
            f"(and optionally {', '.join(OPTIONAL_OUTCOME_COLUMNS)})"
        )
        raise ValidationFailed([message])
    where = {name: header.index(name) for name in (*OUTCOME_COLUMNS, *OPTIONAL_OUTCOME_COLUMNS) if name in header}
    problems: list[str] = []
    out: list[Outcome] = []
    seen: dict[tuple[str, date], int] = {}
    try:
        for record in reader:
            row = reader.line_num
            if not any(cell.strip() for cell in record):
                continue
            if len(record) < len(header):
                problems.append(f"row {row}: {len(record)} field(s), the header has {len(header)}")
                continue
            found = _outcome_row(record, where, row, problems)
            if found is None:
                continue
            if (found.candidate, found.at) in seen:
                problems.append(
                    f"row {row}: candidate '{found.candidate}' on {found.at} already given in row "
                    f"{seen[(found.candidate, found.at)]}"
                )
                continue
            seen[(found.candidate, found.at)] = row
            out.append(found)
    except csv.Error as exc:
        problems.append(f"row {reader.line_num}: not valid CSV ({exc})")
    if problems:
        raise ValidationFailed(problems[:50])
    return out


def latest_performance(outcomes: Iterable[Outcome]) -> dict[str, float]:
    """Each hire's latest performance rating (reviews without one skipped)."""
    latest: dict[str, tuple[date, float]] = {}
    for o in outcomes:
        if o.performance is not None and (o.candidate not in latest or o.at >= latest[o.candidate][0]):
            latest[o.candidate] = (o.at, o.performance)
    return {c: value for c, (_, value) in latest.items()}


def _means(ratings: Iterable[Rating], key: Callable[[Rating], str | None]) -> dict[str, dict[str, float]]:
    """group -> candidate -> mean score over the group's ratings (each interviewer's mean first)."""
    cells: dict[tuple[str, str, str], list[float]] = defaultdict(list)
    for r in ratings:
        group = key(r)
        if group is not None and r.score is not None:
            cells[(group, r.candidate, r.interviewer)].append(r.score)
    per: dict[tuple[str, str], list[float]] = defaultdict(list)
    for (group, cand, _), values in cells.items():
        per[(group, cand)].append(sum(values) / len(values))
    out: dict[str, dict[str, float]] = defaultdict(dict)
    for (group, cand), values in per.items():
        out[group][cand] = sum(values) / len(values)
    return dict(out)


def _overall(ratings: Sequence[Rating]) -> dict[str, dict[str, float]]:
    """interviewer -> candidate -> their overall score (mean of competency means), as calibration has it."""
    comp: dict[tuple[str, str, str], list[float]] = defaultdict(list)
    for r in ratings:
        if r.score is not None:
            comp[(r.interviewer, r.candidate, r.competency)].append(r.score)
    per: dict[tuple[str, str], list[float]] = defaultdict(list)
    for (who, cand, _), values in comp.items():
        per[(who, cand)].append(sum(values) / len(values))
    out: dict[str, dict[str, float]] = defaultdict(dict)
    for (who, cand), values in per.items():
        out[who][cand] = sum(values) / len(values)
    return dict(out)


def _predictors(
    ratings: Sequence[Rating], variant_of: Mapping[str, str]
) -> list[tuple[str, str, dict[str, float]]]:
    """(kind, label, candidate -> score) for every predictor the ratings allow."""
    by_interviewer = _overall(ratings)
    composite: dict[str, list[float]] = defaultdict(list)
    for scores in by_interviewer.values():
        for cand, value in scores.items():
            composite[cand].append(value)
    out = [("composite", "overall score", {c: sum(v) / len(v) for c, v in composite.items()})]
    groupings: list[tuple[str, Callable[[Rating], str | None]]] = [
        ("competency", lambda r: r.competency),
        ("question", lambda r: r.question),
        ("variant group", lambda r: variant_of.get(r.question, r.question) if r.question else None),
        ("stage", lambda r: r.stage),
    ]
    asked = {r.question for r in ratings if r.question}
    for kind, key in groupings:
        if kind == "variant group" and not any(variant_of.get(q, q) != q for q in asked):
            continue  # no question has a variant: the groups would repeat the questions
        out += [(kind, label, scores) for label, scores in sorted(_means(ratings, key).items())]
    out += [("interviewer", who, scores) for who, scores in sorted(by_interviewer.items(), key=lambda x: x[0].lower())]
    return out


def validity_of_ratings(
    ratings: Sequence[Rating],
    outcomes: Iterable[Outcome],
    *,
    names: Mapping[str, str] | None = None,
    variant_of: Mapping[str, str] | None = None,
) -> ValidityReport:
    """The validity of the interview scores in ``ratings`` for the hires' latest performance rating (see the
    module docstring). ``names`` maps competency ids to names; ``variant_of`` maps a question to its variant
    group's head (questions of one group pooled)."""
    performance = latest_performance(outcomes)
    names = names or {}
    rows = []
    for kind, label, scores in _predictors(ratings, variant_of or {}):
        shown = names.get(label, label) if kind == "competency" else label
        v = validity(scores, performance)
        what = "the overall interview score" if kind == "composite" else f"the {kind} '{shown}' score"
        rows.append(ValidityRow(kind, shown, v, verdict(v, what, "performance")))
    pool = {r.candidate for r in ratings if r.score is not None}
    note = (
        "Each hire's latest performance rating against their interview scores. Only hires have outcomes, and "
        "they were hired for scoring high, so among them the spread of scores is narrow and the raw correlation "
        "understates the interview's validity; the corrected figure (Thorndike's case II) uses the spread of "
        "all candidates' scores. Fewer than 20 hires: too few to say."
    )
    hires = sum(1 for c in performance if c in pool)
    unmatched = len(performance) - hires
    if unmatched:
        note += (
            f" {unmatched} hire{'s' if unmatched != 1 else ''} of the outcomes "
            f"{'have' if unmatched != 1 else 'has'} no interview score here and {'are' if unmatched != 1 else 'is'} "
            "left out."
        )
    return ValidityReport("performance (each hire's latest rating)", hires, len(pool), tuple(rows), note)
