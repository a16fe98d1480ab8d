"""Predictive validity of the interview: outcomes of hires, read from a CSV file, against interview scores.

:func:`outcomes_from_csv` reads a file with the header ``candidate,date,performance`` and the optional
columns ``left``, ``regretted`` and ``promoted`` (yes/no): one row per hire and review date, the performance
rating on the company's scale (a number), whether the person has left by then (and whether that was a
regretted loss) and whether they were promoted. :func:`validity_of_ratings` relates each hire's latest
performance rating to their interview scores, per competency, question, variant group, stage and
interviewer and for the composite (the overall score), with Thorndike's correction for range restriction
(:mod:`interviewkit.domain.validity`): the applicant pool is every candidate with a score, the hires are
the candidates in the outcomes file. For the composite it also gives the overall score's reliability among
all candidates (:func:`composite_reliability`, Phi from the REML components) and the validity corrected for
that unreliability too (Spearman's correction for attenuation, 1904: ``r_c / sqrt(Phi)``, the validity a
perfectly reliable interview score would have: the ceiling that more interviewers approach), with the
report's ``points`` (each hire's overall score and performance) and ``pool_scores`` for a chart.
:func:`validity_from_db` does the same from the database's ratings and recorded outcomes.

CSV rows are numbered as a spreadsheet shows them: the header is row 1.
"""

from __future__ import annotations

import csv
import io
import math
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

import numpy as np

from interviewkit.bank.model import heads_of_variants
from interviewkit.domain.calibration import Rating, RatingSet, fit_variance_components
from interviewkit.domain.validity import MIN_HIRES, Validity, validity, verdict
from interviewkit.inputs import InputError, one_line, read_bytes
from interviewkit.services import bank_queries
from interviewkit.services.access import Actor
from interviewkit.services.calibration import ratings_from_db
from interviewkit.services.errors import ValidationFailed
from interviewkit.storage.db import Database

__all__ = [
    "OUTCOME_COLUMNS",
    "TRUE_SCORE_MARK",
    "Outcome",
    "ValidityReport",
    "ValidityRow",
    "composite_reliability",
    "outcome_rows",
    "outcomes_from_csv",
    "validity_from_db",
    "validity_of_ratings",
    "variant_groups",
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
    reliability: float | None = None  # the composite's: Phi of the applicants' scores (None elsewhere)
    true_score: float | None = None  # corrected for range restriction and for that unreliability (Spearman)
    true_score_ci: tuple[float, float] | None = None


@dataclass(frozen=True)
class ValidityReport:
    """Every predictor's validity for the hires' latest performance rating."""

    outcome: str
    n_hires: int  # hires with a performance rating
    n_candidates: int  # candidates with an interview score: the applicant pool
    rows: tuple[ValidityRow, ...]
    note: str  # how to read it, in words
    points: tuple[tuple[float, float], ...] = ()  # each hire's (overall interview score, latest performance)
    pool_scores: tuple[float, ...] = ()  # every candidate's overall interview score, hired or not

    @property
    def composite(self) -> ValidityRow | None:
        return next((r for r in self.rows if r.kind == "composite"), None)


Label = Callable[[int], str]


def _row_label(row: int) -> str:
    return f"row {row}"


def _flag(text: str, column: str, at: str, problems: list[str]) -> bool | None:
    value = text.strip().lower()
    if not value:
        return None
    if value in _YES or value in _NO:
        return value in _YES
    problems.append(f"{at}: {column} '{one_line(text.strip())[:40]}' is not yes or no")
    return None


def _outcome_row(record: list[str], where: dict[str, int], at: str, problems: list[str]) -> Outcome | None:
    candidate = record[where["candidate"]].strip()
    if not candidate:
        problems.append(f"{at}: empty candidate")
        return None
    try:
        reviewed = date.fromisoformat(record[where["date"]].strip())
    except ValueError:
        problems.append(f"{at}: date '{one_line(record[where['date']].strip())[:40]}' is not a date (YYYY-MM-DD)")
        return None
    raw = record[where["performance"]].strip()
    performance = None
    if raw:
        try:
            performance = float(raw)
        except ValueError:
            performance = math.nan
        if not math.isfinite(performance):
            problems.append(f"{at}: performance '{one_line(raw)[:40]}' is not a number")
            return None
    flags = {
        name: _flag(record[where[name]], name, at, problems) if name in where else None
        for name in OPTIONAL_OUTCOME_COLUMNS
    }
    return Outcome(candidate, reviewed, performance, flags["left"], flags["regretted"], flags["promoted"])


def outcomes_from_csv(path: Path | str) -> list[Outcome]:
    """The outcomes of a CSV file (see the module docstring); :class:`ValidationFailed` lists every problem
    with its row: a missing column, an empty candidate, a date or number that is not one, a yes/no that is
    neither, the same candidate and date twice."""
    return [o for _, o in outcome_rows(path)]


def outcome_rows(path: Path | str, *, label: Label = _row_label) -> list[tuple[int, Outcome]]:
    """:func:`outcomes_from_csv` with each outcome's row number; ``label(row)`` names a row in the problems
    (default ``row 3``; the import into the database says ``outcomes.csv:3``)."""
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
            f"{label(1)}: missing column(s) {', '.join(missing)}; the header must name {', '.join(OUTCOME_COLUMNS)} "
            f"(and optionally {', '.join(OPTIONAL_OUTCOME_COLUMNS)})"
        )
        raise ValidationFailed([message])
    where = {name: header.index(name) for name in (*OUTCOME_COLUMNS, *OPTIONAL_OUTCOME_COLUMNS) if name in header}
    problems: list[str] = []
    out: list[tuple[int, Outcome]] = []
    seen: dict[tuple[str, date], int] = {}
    try:
        for record in reader:
            row = reader.line_num
            if not any(cell.strip() for cell in record):
                continue
            if len(record) < len(header):
                problems.append(f"{label(row)}: {len(record)} field(s), the header has {len(header)}")
                continue
            found = _outcome_row(record, where, label(row), problems)
            if found is None:
                continue
            if (found.candidate, found.at) in seen:
                problems.append(
                    f"{label(row)}: candidate '{one_line(found.candidate)[:80]}' on {found.at} already given in "
                    f"row {seen[(found.candidate, found.at)]}"
                )
                continue
            seen[(found.candidate, found.at)] = row
            out.append((row, found))
    except csv.Error as exc:
        problems.append(f"{label(reader.line_num)}: not valid CSV ({exc})")
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


def composite_reliability(ratings: Sequence[Rating]) -> float | None:
    """The reliability of the overall interview score (the mean of a candidate's interviewers' overall scores)
    among all candidates: Phi = s2c / (s2c + (s2i + s2e) * mean(1 / k)) from the REML components of the
    overall score, k the number of interviewers of each candidate (leniency counts as error: candidates met
    different interviewers; Brennan 2001). None when the components cannot be estimated."""
    obs = RatingSet.from_ratings(ratings).overall()
    if obs.n < 3:
        return None
    vc = fit_variance_components(obs)
    if vc.candidate is None or vc.residual is None:
        return None
    per_candidate = np.bincount(obs.candidate, minlength=obs.n_candidates)
    inverse_k = float(np.mean(1.0 / per_candidate[per_candidate > 0]))
    error = ((vc.interviewer or 0.0) + vc.residual) * inverse_k
    total = vc.candidate + error
    return vc.candidate / total if total > 0 and vc.candidate > 0 else None


def _disattenuated(v: Validity, reliability: float | None) -> tuple[float | None, tuple[float, float] | None]:
    """Spearman's correction of the range-corrected validity for the unreliability of the interview score:
    r / sqrt(reliability), the interval's ends alike, kept within [-1, 1]."""
    if v.corrected is None or reliability is None or reliability <= 0:
        return None, None
    root = math.sqrt(reliability)

    def clip(x: float) -> float:
        return max(-1.0, min(1.0, x / root))

    ci = (clip(v.corrected_ci[0]), clip(v.corrected_ci[1])) if v.corrected_ci is not None else None
    return clip(v.corrected), ci


#: How the composite's verdict goes on to its reliability (screens that say it otherwise cut the words here).
TRUE_SCORE_MARK = " The overall score's reliability is "


def _true_score_words(reliability: float, true_score: float, ci: tuple[float, float] | None) -> str:
    interval = f" (95% {ci[0]:.2f} to {ci[1]:.2f})" if ci is not None else ""
    return (
        f"{TRUE_SCORE_MARK}{reliability:.2f} (Phi, from the interviewers' agreement); with a "
        f"perfectly reliable score (Spearman's correction) the corrected r would be {true_score:.2f}{interval}: "
        "what more interviewers per candidate could reach at most."
    )


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
    points: tuple[tuple[float, float], ...] = ()
    pool_scores: tuple[float, ...] = ()
    for kind, label, scores in _predictors(ratings, variant_of or {}):
        shown = names.get(label, label) if kind == "competency" else label
        v = validity(scores, performance)
        what = "the overall interview score" if kind == "composite" else f"the {kind} '{shown}' score"
        row = ValidityRow(kind, shown, v, verdict(v, what, "performance"))
        if kind == "composite":
            reliability = composite_reliability(ratings) if v.corrected is not None else None
            true_score, true_ci = _disattenuated(v, reliability)
            words = row.words
            if reliability is not None and true_score is not None and v.n >= MIN_HIRES:
                words += _true_score_words(reliability, true_score, true_ci)
            row = replace(row, words=words, reliability=reliability, true_score=true_score, true_score_ci=true_ci)
            points = tuple((scores[c], performance[c]) for c in sorted(performance) if c in scores)
            pool_scores = tuple(scores[c] for c in sorted(scores))
        rows.append(row)
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
    return ValidityReport(
        "performance (each hire's latest rating)", hires, len(pool), tuple(rows), note, points, pool_scores
    )


# --- from the database ------------------------------------------------------------------------------------------


def variant_groups(parents: Mapping[str, str | None]) -> dict[str, str]:
    """question -> its variant group's head, from each question's ``variant_of`` (a broken chain ends at the
    last question reached, a loop at its smallest id: every question in exactly one group)."""
    return heads_of_variants(parents)


def validity_from_db(
    db: Database, *, by: Actor, opening_id: int | None = None, since: date | None = None, until: date | None = None
) -> ValidityReport | None:
    """The validity of the interview scores in the database for the hires' recorded outcomes, as ``by`` may
    see them: the ratings of :func:`~interviewkit.services.calibration.ratings_from_db` (the same filters and
    access rules as calibration), the outcomes of :func:`~interviewkit.services.outcomes.outcomes_for_validity`.
    None when ``by`` may read no outcome, or none is recorded."""
    # a cycle: services/outcomes.py reads its files with this module's outcome_rows
    from interviewkit.services.outcomes import outcomes_for_validity

    outcomes = outcomes_for_validity(db, by=by)
    if not outcomes:
        return None
    ratings = ratings_from_db(db, by=by, opening_id=opening_id, since=since, until=until)
    names = {c.id: c.name for c in bank_queries.competencies(db)}
    groups = variant_groups({q.id: q.variant_of for q in bank_queries.question_summaries(db)})
    return validity_of_ratings(ratings, outcomes, names=names, variant_of=groups)
