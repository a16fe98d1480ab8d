"""The calibration report: one result, for the command line, the Calibration screen and its PDF.

:func:`calibration_report` computes, for the submitted scorecards that match some filters (an opening, a
period, a competency), the figures of :mod:`interviewkit.domain.calibration` as plain frozen values:

* agreement per competency and on the overall score: Krippendorff's alpha, the Shrout & Fleiss ICCs of a
  complete block, and the REML variance components with the ICC of absolute agreement, its 95% interval
  and Koo & Li band;
* interviewer leniency: each interviewer's shrunk effect with its 95% interval and flag, and whether all
  interviewers are connected through shared candidates (effects in different groups are not comparable);
* rating distributions (each interviewer's and everyone's), halo, drift (every interviewer's trend, and
  one interviewer's points over time: the filter's, else the busiest), pass-through, and question
  analytics (times asked, over-exposure, mean and spread of the ratings, relation to the decision).

:func:`calibration_of_ratings` computes the same from ratings read from a CSV file (the person's own file:
no database, so no access rules, no questions and no pass-through);
:func:`~interviewkit.services.calibration_json.report_json` writes either as ``interviewkit calibrate --json``.

Who sees what is decided here, once, for every reader (:mod:`interviewkit.services.access`): the ratings a
viewer may use (:func:`~interviewkit.services.policy.calibration_scope`), and, without the permission
``view_calibration_others`` (interviewers), only the viewer's own leniency, distribution, halo, drift and
pass-through: the statistics are still computed from every rating they may use (a leniency is relative to
colleagues), and agreement and question analytics, which name nobody, stay (with no colleague behind an
ICC's complete block). When there is not enough data to compare interviewers, :attr:`CalibrationReport.enough`
is False and :attr:`CalibrationReport.why_not` says what is missing, in words for the person reading it.
"""

from __future__ import annotations

import math
import threading
import weakref
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any

import numpy as np

from interviewkit.bank.model import BankSettings
from interviewkit.domain.calibration import (
    ICC_KEYS,
    MIN_RATINGS,
    BlockStats,
    Calibration,
    Distribution,
    Rating,
    RatingColumns,
    RatingSet,
    calibrate,
    koo_li_band,
    pass_through,
    question_analytics,
)
from interviewkit.domain.calibration.gstudy import g_study
from interviewkit.domain.calibration.profiles import QuestionStats
from interviewkit.domain.calibration.summary import BlockCache
from interviewkit.services.reliability import ReliabilityCurve, curve

if TYPE_CHECKING:  # the database's modules are imported where they are used: a file's report needs none
    from interviewkit.services import access
    from interviewkit.services.validity import Outcome, ValidityReport
    from interviewkit.storage.db import Database

__all__ = [
    "AgreementRow",
    "CalibrationFilters",
    "CalibrationReport",
    "DistributionRow",
    "DriftRow",
    "DriftSeries",
    "FilterOptions",
    "HaloRow",
    "IccBlock",
    "LeniencyRow",
    "PassThrough",
    "PassThroughRow",
    "QuestionRow",
    "VarianceRow",
    "band_level",
    "calibration_of_ratings",
    "calibration_report",
    "filter_options",
    "forget_statistics",
]

MIN_CANDIDATES = 2  # fewer and nobody can be compared with anybody

Interval = tuple[float, float]


# --- the values ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CalibrationFilters:
    """Which submitted scorecards to analyse. ``interviewer`` (a label as the report shows it) does not
    narrow the data, it picks whose drift is shown in detail (and whose distribution the screen shows)."""

    opening_id: int | None = None
    since: date | datetime | None = None
    until: date | datetime | None = None
    competency: str | None = None
    interviewer: str | None = None

    @property
    def narrowed(self) -> bool:
        """Whether a filter other than ``interviewer`` is set."""
        return any((self.opening_id, self.since, self.until, self.competency))

    def describe(self, openings: dict[int, str] | None = None, competencies: dict[str, str] | None = None) -> str:
        parts = []
        if self.opening_id is not None:
            parts.append(f"opening {(openings or {}).get(self.opening_id, f'#{self.opening_id}')}")
        if self.since is not None or self.until is not None:
            since = self.since.isoformat()[:10] if self.since else "the start"
            until = self.until.isoformat()[:10] if self.until else "today"
            parts.append(f"interviews from {since} to {until}")
        if self.competency is not None:
            parts.append(f"competency {(competencies or {}).get(self.competency, self.competency)}")
        return ", ".join(parts) if parts else "all submitted scorecards"


@dataclass(frozen=True)
class FilterOptions:
    """What the filters can choose from."""

    openings: tuple[tuple[int, str], ...]
    competencies: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class LeniencyRow:
    """One interviewer on the forest plot (effects in score points, positive: more generous)."""

    interviewer: str
    n: int  # candidates shared with others (cells)
    n_ratings: int
    effect: float | None  # raw least-squares effect
    se: float | None
    shrunk: float | None
    low: float | None  # 95% interval of the shrunk effect
    high: float | None
    flagged: bool
    component: int  # 0 is the largest group of connected interviewers
    few_ratings: bool  # under the report's min_ratings candidates: never flagged, whatever the interval


@dataclass(frozen=True)
class DistributionRow:
    """How one interviewer (or everyone, ``interviewer=None``) uses the scale."""

    interviewer: str | None
    n: int
    shares: tuple[float, ...]  # per level of ``CalibrationReport.levels``
    mean: float | None
    sd: float | None
    proportions: tuple[tuple[float, float], ...] = ()  # (score, share) over the scale or the scores seen
    central_tendency: float | None = None  # share of middle ratings, relative to everyone's


@dataclass(frozen=True)
class VarianceRow:
    """The REML variance components of one competency (or the overall score), with their ICCs."""

    candidate: float | None
    interviewer: float | None
    residual: float | None
    icc_absolute: float | None
    icc_consistency: float | None
    icc_absolute_ci: Interval | None
    icc_consistency_ci: Interval | None
    band_absolute: str  # Koo & Li, judged on the interval: "poor", "moderate to good", "unknown", ...
    band_consistency: str
    candidate_se: float | None
    interviewer_se: float | None
    residual_se: float | None
    method: str
    converged: bool
    ci_method: str = ""  # how the ICC intervals were found: "Wald (logit)", "profile likelihood", ...


@dataclass(frozen=True)
class IccBlock:
    """The complete block (every interviewer rated every candidate) Shrout & Fleiss's ICCs were computed on:
    the whole table on a complete design, else the largest block the greedy search found (a subset, for
    comparison only: the headline ICCs then come from the REML components)."""

    n_candidates: int
    interviewers: tuple[str, ...]  # empty in a report restricted to one interviewer's own rows
    whole: bool = True  # the block is the whole table (a complete design)
    values: dict[str, float | None] = field(default_factory=dict)  # Shrout & Fleiss on the block
    ci: dict[str, Interval | None] = field(default_factory=dict)


@dataclass(frozen=True)
class AgreementRow:
    """Agreement on one competency (``competency=None``: the overall score)."""

    competency: str | None
    name: str
    n_candidates: int
    n_interviewers: int
    n_ratings: int
    alpha: float | None  # Krippendorff's alpha, interval metric
    alpha_ordinal: float | None
    variance: VarianceRow
    coefficients: dict[str, float | None]  # the headline ICC1 ... ICC3k (all None when not estimable)
    coefficients_ci: dict[str, Interval | None]
    coefficient_bands: dict[str, str]
    coefficients_from: str  # "anova" (Shrout & Fleiss, complete design), "reml" (incomplete design) or ""
    raters_per_candidate: float | None  # the k of the (.,k) forms
    block: IccBlock | None
    notes: tuple[str, ...] = ()  # in words: what could not be estimated here and why
    d_study: ReliabilityCurve | None = None  # the reliability of this score from 1 to 5 interviewers

    @property
    def icc(self) -> float | None:
        """The ICC of absolute agreement of single ratings (REML, every rating)."""
        return self.variance.icc_absolute

    @property
    def low(self) -> float | None:
        ci = self.variance.icc_absolute_ci
        return ci[0] if ci else None

    @property
    def high(self) -> float | None:
        ci = self.variance.icc_absolute_ci
        return ci[1] if ci else None

    @property
    def band(self) -> str:
        return self.variance.band_absolute

    @property
    def enough(self) -> bool:
        return self.icc is not None and self.n_interviewers >= 2 and self.n_candidates >= 2


@dataclass(frozen=True)
class HaloRow:
    """How much one interviewer's ratings of a scorecard move together across competencies."""

    interviewer: str
    ratio: float | None  # their spread within a scorecard, relative to everyone's
    inter_competency_r: float | None


@dataclass(frozen=True)
class DriftRow:
    """One interviewer's leniency trend: points per 30 days with its 95% interval."""

    interviewer: str
    n: int  # dated candidates
    slope_per_30_days: float | None
    low: float | None
    high: float | None


@dataclass(frozen=True)
class DriftSeries:
    """One interviewer's leniency on each candidate over time, and the fitted trend."""

    interviewer: str
    points: tuple[tuple[datetime, float], ...]  # (interview time, score - candidate's adjusted score)
    slope_per_30_days: float | None
    low: float | None
    high: float | None
    line: tuple[tuple[datetime, float], tuple[datetime, float]] | None  # the fitted trend's ends


@dataclass(frozen=True)
class QuestionRow:
    """One question's use and ratings in the period."""

    question_id: str
    title: str
    times_asked: int
    loops: int
    loop_share: float
    exposed: bool
    mean: float | None
    sd: float | None
    n_scores: int
    decision_r: float | None  # point-biserial r of its ratings with hire (1) / no hire (0)
    decision_n: int


@dataclass(frozen=True)
class PassThroughRow:
    """How often an interviewer (``None``: the panel) recommended yes, with the Wilson 95% interval."""

    interviewer: str | None
    n: int
    yes: int
    rate: float | None
    ci: Interval | None
    differs: bool = False  # the interval excludes the panel's rate


@dataclass(frozen=True)
class PassThrough:
    panel: PassThroughRow
    interviewers: tuple[PassThroughRow, ...]


@dataclass(frozen=True)
class CalibrationReport:
    """Everything calibration shows, for one set of filters, as one viewer may see it."""

    filters: CalibrationFilters
    subject: str  # the filters in words
    enough: bool  # enough to compare interviewers (else only why_not is worth showing)
    why_not: str  # when not enough: what is missing and what to do
    n_ratings: int = 0
    n_candidates: int = 0
    n_interviewers: int = 0
    shared_candidates: int = 0  # candidates seen by at least two interviewers
    levels: tuple[int, ...] = ()
    level_labels: tuple[str, ...] = ()
    competencies: tuple[AgreementRow, ...] = ()  # in the order computed (see ``agreement`` for the shown one)
    overall: AgreementRow | None = None  # None when nothing was rated: no statistics at all
    leniency: tuple[LeniencyRow, ...] = ()  # by group, most lenient first
    connected: bool = True
    n_groups: int = 1
    group_sizes: tuple[int, ...] = ()  # interviewers per group (every interviewer, even in a restricted report)
    margin: float = 0.0
    min_ratings: int = MIN_RATINGS
    shrinkage_tau2: float | None = None
    shrinkage_tau2_source: str = ""
    residual_variance: float | None = None
    pool: DistributionRow | None = None
    distributions: tuple[DistributionRow, ...] = ()  # by name
    halo: tuple[HaloRow, ...] = ()
    trends: tuple[DriftRow, ...] = ()  # every interviewer's drift, by name
    interviewers: tuple[str, ...] = ()  # every interviewer in the data, by name
    focus: str | None = None  # whose drift is shown (the filter, else the busiest)
    drift: DriftSeries | None = None
    questions: tuple[QuestionRow, ...] | None = None  # None: not read (ratings from a file name no questions)
    total_loops: int = 0
    pass_through: PassThrough | None = None  # None: not read (a file has no recommendations)
    restricted_to: str | None = None  # only the viewer's own rows: their label ("" if they have none)
    input_notes: tuple[str, ...] = ()  # what reading the ratings found worth saying (a file's repeated rows)
    validity: ValidityReport | None = None  # None: no outcomes were given
    leniency_notes: tuple[str, ...] = ()  # in words: why nobody is flagged, when that is not the whole story

    @property
    def flagged(self) -> tuple[LeniencyRow, ...]:
        return tuple(r for r in self.leniency if r.flagged)

    @property
    def agreement(self) -> tuple[AgreementRow, ...]:
        """The competencies as shown: those with an ICC first, the closest agreement first."""
        return tuple(sorted(self.competencies, key=lambda a: (not a.enough, -(a.icc or 0.0), a.name.lower())))

    @property
    def agreement_rows(self) -> tuple[AgreementRow, ...]:
        """The rows of an agreement table: the overall score first (unless one competency is chosen)."""
        overall = (self.overall,) if self.overall is not None and self.filters.competency is None else ()
        return overall + self.agreement

    def busiest_distributions(self, limit: int, focus: str | None = None) -> tuple[tuple[DistributionRow, ...], int]:
        """The distributions to draw: ``focus``'s alone, or the ``limit`` interviewers with the most
        ratings, by name; and how many there were to choose from."""
        rows = [r for r in self.distributions if r.interviewer == focus] if focus else list(self.distributions)
        rows.sort(key=lambda r: -r.n)
        shown = sorted(rows[:limit], key=lambda r: (r.interviewer or "").lower())
        return tuple(shown), len(rows)


def band_level(band: str) -> str:
    """The lowest Koo & Li band a band text reaches ("poor to good" -> "poor"): what its colour shows."""
    return band.split(" to ")[0] if band else "unknown"


def filter_options(db: Database) -> FilterOptions:
    """The openings and competencies the filters offer."""
    from interviewkit.services import bank_queries
    from interviewkit.services import people as people_service

    return FilterOptions(
        openings=tuple((o.id, o.title) for o in people_service.openings(db)),
        competencies=tuple((c.id, c.name) for c in bank_queries.competencies(db)),
    )


# --- computing ---------------------------------------------------------------------------------------------


def _num(value: Any) -> float | None:
    """A finite float, or None (NaN, infinities and missing values)."""
    if value is None:
        return None
    try:
        out = float(value)
    except (TypeError, ValueError):
        return None
    return out if math.isfinite(out) else None


def _pair(values: Sequence[float] | None) -> Interval | None:
    if values is None:
        return None
    low, high = _num(values[0]), _num(values[1])
    return None if low is None or high is None else (low, high)


@dataclass(frozen=True)
class _Inputs:
    """What a report is computed from, besides the ratings."""

    filters: CalibrationFilters
    subject: str
    scale: tuple[int, ...] | None  # the bank's levels; None: the scores seen (a file)
    level_labels: tuple[str, ...] = ()
    names: dict[str, str] | None = None  # competency id -> name
    questions: tuple[QuestionRow, ...] | None = None
    total_loops: int = 0
    recommendations: list[tuple[str, bool]] | None = None  # (interviewer, said yes) per scorecard


def calibration_report(
    db: Database,
    settings: BankSettings,
    filters: CalibrationFilters | None = None,
    *,
    viewer: access.Actor,
) -> CalibrationReport:
    """The calibration of the submitted scorecards that match ``filters`` (default: all of them), as
    ``viewer`` may see it (see the module's description), with the interview's predictive validity when
    outcomes of hires are recorded that the viewer may read."""
    from interviewkit.services import access, bank_queries
    from interviewkit.services.calibration import pass_through_from_db, ratings_from_db
    from interviewkit.services.validity import validity_from_db

    filters = filters or CalibrationFilters()
    options = filter_options(db)
    names = dict(options.competencies)
    period: dict[str, Any] = {"opening_id": filters.opening_id, "since": filters.since, "until": filters.until}
    ratings = ratings_from_db(db, by=viewer, competency=filters.competency, **period)
    summaries = bank_queries.question_summaries(db)
    stats, loops = _question_stats(db, viewer, filters, summaries, period)
    inputs = _Inputs(
        filters=filters,
        subject=filters.describe(dict(options.openings), names),
        scale=tuple(settings.scale.levels),
        level_labels=tuple(settings.scale.label(v) for v in settings.scale.levels),
        names=names,
        questions=_question_rows(stats, {q.id: q.title for q in summaries}),
        total_loops=loops,
        recommendations=pass_through_from_db(db, settings, by=viewer, **period),
    )
    sees_everyone = access.can(db, viewer, "view_calibration_others", opening_id=filters.opening_id)
    table, calibrated = _remembered(ratings, inputs.scale)
    report = _report(table, inputs, None if sees_everyone else _own_labels(db, viewer), calibrated)
    validity = validity_from_db(db, by=viewer, **period)  # the hires' outcomes the viewer may read, if any
    return report if validity is None else replace(report, validity=validity)


# The statistics of the sets of ratings read from the database, by the ratings' identity: the kept columns
# give the same RatingColumns object for the same filters and scope while the database has not changed
# (calibration_cached.ratings), so a second report (another interviewer in focus, the screen shown again)
# reuses them. An entry goes with its ratings (weakref.finalize: RatingColumns is not hashable).
_statistics_of: dict[int, tuple[RatingSet, dict[Any, Calibration]]] = {}
_statistics_lock = threading.Lock()
# The agreement tables' statistics by their content, across writes: after a write (new columns, new
# RatingColumns) only the tables the write changed are fitted again (domain BlockCache).
_blocks = BlockCache()


def forget_statistics() -> None:
    """Drop every kept table's statistics (the benchmark times a report as after a restart)."""
    _blocks.clear()


def _remembered(
    ratings: Sequence[Rating], scale: tuple[int, ...] | None
) -> tuple[RatingSet, Callable[[RatingSet], Calibration]]:
    """The RatingSet of ``ratings`` and a function computing its statistics, both remembered per ratings."""
    if not isinstance(ratings, RatingColumns):
        return RatingSet.from_ratings(ratings), lambda t: calibrate(t, scale=scale)
    with _statistics_lock:
        kept = _statistics_of.get(id(ratings))
    if kept is None:
        kept = (RatingSet.from_ratings(ratings), {})
        with _statistics_lock:
            _statistics_of[id(ratings)] = kept
        weakref.finalize(ratings, _statistics_of.pop, id(ratings), None)
    table, results = kept

    def calibrated(t: RatingSet) -> Calibration:
        with _statistics_lock:
            found = results.get(scale)
        if found is None:
            found = calibrate(t, scale=scale, blocks=_blocks)
            with _statistics_lock:
                results[scale] = found
        return found

    return table, calibrated


def calibration_of_ratings(
    ratings: Sequence[Rating],
    *,
    scale: Sequence[int] | None = None,
    input_notes: Sequence[str] = (),
    outcomes: Sequence[Outcome] | None = None,
    variant_of: Mapping[str, str] | None = None,
) -> CalibrationReport:
    """The calibration of ratings read from a file (:func:`~interviewkit.services.calibration.ratings_from_csv`):
    every row is the reader's own, so nothing is hidden; there are no questions and no recommendations.
    ``input_notes`` are what reading the file found worth saying (e.g. repeated ratings kept); with
    ``outcomes`` (of hires, :func:`~interviewkit.services.validity.outcomes_from_csv`) the report has the
    interview's predictive validity (``variant_of``: question -> its variant group's head)."""
    inputs = _Inputs(CalibrationFilters(), "", tuple(scale) if scale is not None else None)
    report = replace(_report(RatingSet.from_ratings(ratings), inputs), input_notes=tuple(input_notes))
    if outcomes is not None:
        from interviewkit.services.validity import validity_of_ratings

        report = replace(report, validity=validity_of_ratings(ratings, outcomes, variant_of=variant_of))
    return report


def _question_stats(
    db: Database, viewer: access.Actor, filters: CalibrationFilters, summaries: Sequence[Any], period: dict[str, Any]
) -> tuple[list[QuestionStats], int]:
    """The question analytics of the filters, and the number of loops: over the kept columns
    (:func:`~interviewkit.services.calibration_cached.question_stats`), or from each question asked."""
    from interviewkit.services import calibration_cached, rating_columns
    from interviewkit.services.calibration import question_uses_from_db
    from interviewkit.services.validity import variant_groups

    groups = variant_groups({q.id: q.variant_of for q in summaries})
    only = None if filters.competency is None else {q.id for q in summaries if filters.competency in q.competencies}
    if rating_columns.wanted(db, narrowed=any(period.get(k) is not None for k in ("opening_id", "since", "until"))):
        return calibration_cached.question_stats(db, by=viewer, groups=groups, only=only, **period)
    uses, loops = question_uses_from_db(db, by=viewer, **period)
    if only is not None:
        uses = [u for u in uses if u.question in only]
    return question_analytics(uses, loops, groups=groups), loops


def _question_rows(stats: Iterable[QuestionStats], titles: dict[str, str]) -> tuple[QuestionRow, ...]:
    """The question analytics' rows; exposure counted per variant group."""
    return tuple(
        QuestionRow(
            q.question,
            titles.get(q.question, q.question),
            q.times_asked,
            q.loops,
            q.loop_share,
            q.exposed,
            _num(q.mean),
            _num(q.sd),
            q.n_scores,
            _num(q.decision_r),
            q.decision_n,
        )
        for q in stats
    )


def _why_not(inputs: _Inputs, scored: int, interviewers: int, candidates: int, shared: int) -> str:
    """What is missing to compare interviewers, in words; "" when nothing is."""
    if not scored:
        why = (
            f"No submitted rating matches these filters ({inputs.subject})"
            if inputs.filters.narrowed
            else "No submitted scorecard has a rating yet"
        )
        return (
            f"{why}. Calibration compares interviewers who rated the same candidates: it needs submitted "
            "scorecards from at least two interviewers for at least two candidates. "
            + ("Widen the filters, or import" if inputs.filters.narrowed else "Import")
            + " past ratings (interviewkit scorecards import)."
        )
    if interviewers < 2 or candidates < MIN_CANDIDATES or shared == 0:
        have = (
            f"{scored} rating{'s' if scored != 1 else ''} from {interviewers} "
            f"interviewer{'s' if interviewers != 1 else ''} on {candidates} "
            f"candidate{'s' if candidates != 1 else ''}"
        )
        return (
            f"Not enough to compare interviewers yet: {have}, and no candidate was rated by two of them. "
            "Leniency and agreement need at least two candidates each seen by two or more interviewers."
        )
    return ""


def _shared_candidates(table: RatingSet) -> int:
    """How many candidates two or more interviewers scored."""
    obs = table.all
    low = np.full(obs.n_candidates, obs.n_interviewers, dtype=np.intp)
    high = np.full(obs.n_candidates, -1, dtype=np.intp)
    np.minimum.at(low, obs.candidate, obs.interviewer)
    np.maximum.at(high, obs.candidate, obs.interviewer)
    return int(np.count_nonzero(high > low))  # two interviewers at least: the first and the last differ


def _report(
    table: RatingSet,
    inputs: _Inputs,
    own: set[str] | None = None,
    calibrated: Callable[[RatingSet], Calibration] | None = None,
) -> CalibrationReport:
    """The report of the scored ratings in ``table``; with ``own`` (the viewer's labels), only the viewer's own
    rows; ``calibrated`` computes (or remembers) ``calibrate(table)``."""
    scored, candidates = table.all.n, table.all.n_candidates
    shared = _shared_candidates(table)
    interviewers = tuple(sorted(table.all.interviewers, key=lambda who: (who.lower(), who)))
    why_not = _why_not(inputs, scored, len(interviewers), candidates, shared)
    report = CalibrationReport(
        filters=inputs.filters,
        subject=inputs.subject,
        enough=not why_not,
        why_not=why_not,
        n_ratings=scored,
        n_candidates=candidates,
        n_interviewers=len(interviewers),
        shared_candidates=shared,
        interviewers=interviewers,
        levels=inputs.scale or (),
        level_labels=inputs.level_labels,
        questions=inputs.questions,
        total_loops=inputs.total_loops,
        pass_through=_pass_through(inputs.recommendations) if inputs.recommendations is not None else None,
    )
    if not report.enough:  # one rule for every reader: no statistics from too little
        return _only_own(report, own) if own is not None else report
    result = calibrated(table) if calibrated is not None else calibrate(table, scale=inputs.scale)
    report = replace(report, **_statistics(result, inputs))
    if own is not None:
        report = _only_own(report, own)
        focus = report.filters.interviewer
    else:
        counts = {r.interviewer: r.n_ratings for r in report.leniency}
        focus = inputs.filters.interviewer if inputs.filters.interviewer in interviewers else None
        if focus is None:
            focus = max(interviewers, key=lambda who: (counts.get(who, 0), who))
    if not report.enough or focus is None:
        return replace(report, focus=focus if report.enough else None)
    trend = next((t for t in report.trends if t.interviewer == focus), None)
    return replace(report, focus=focus, drift=_drift_series(focus, result, trend))


def _statistics(result: Calibration, inputs: _Inputs) -> dict[str, Any]:
    """The fields of a report that come from :func:`~interviewkit.domain.calibration.calibrate`."""
    lenient = result.leniency
    names = inputs.names or {}
    leniency = sorted(
        (_leniency_row(e, result.min_ratings) for e in lenient.interviewers),
        # Equal effects (a symmetric design) differ only by rounding, which must not order them: to 12 places
        key=lambda r: (r.component, -round(r.shrunk if r.shrunk is not None else -1e9, 12), r.interviewer.lower()),
    )
    sizes: dict[int, int] = defaultdict(int)
    for e in lenient.interviewers:
        sizes[e.component] += 1
    levels = inputs.scale or ()
    return {
        "competencies": tuple(
            _agreement(b, names.get(b.competency or "", b.competency or "")) for b in result.competencies
        ),
        "overall": _agreement(result.overall, "Overall score"),
        "leniency": tuple(leniency),
        "connected": bool(lenient.connected),
        "n_groups": int(lenient.n_components),
        "group_sizes": tuple(sizes[k] for k in range(lenient.n_components)),
        "margin": float(lenient.margin),
        "min_ratings": result.min_ratings,
        "shrinkage_tau2": _num(lenient.tau2),
        "shrinkage_tau2_source": lenient.tau2_source,
        "residual_variance": _num(lenient.residual_variance),
        "pool": _distribution(result.pool_distribution, levels),
        "distributions": tuple(
            sorted(
                (_distribution(d, levels) for d in result.distributions), key=lambda d: (d.interviewer or "").lower()
            )
        ),
        "halo": tuple(HaloRow(h.id, _num(h.ratio), _num(h.inter_competency_r)) for h in result.halo),
        "leniency_notes": _leniency_notes(result),
        "trends": tuple(
            DriftRow(t.id, t.n, _num(t.slope_per_30_days), *(_pair(t.ci) or (None, None)))
            for t in sorted(result.drift, key=lambda t: t.id.lower())
        ),
    }


def _leniency_notes(result: Calibration) -> tuple[str, ...]:
    """Why no interviewer is (or can be) flagged, when the reason is not in the intervals themselves."""
    lenient = result.leniency
    notes = []
    estimable = [e for e in lenient.interviewers if e.effect is not None]
    if not estimable:
        notes.append(
            "No interviewer's leniency can be estimated: no two interviewers rated a candidate in common."
        )
    elif not any(e.n >= result.min_ratings for e in estimable):
        notes.append(
            f"Nobody can be flagged yet: a flag needs at least {result.min_ratings} candidates rated, and the "
            f"most anyone rated is {max(e.n for e in estimable)}."
        )
    if estimable and lenient.tau2 == 0:
        notes.append(
            "The interviewer variance is 0: these ratings show no difference in leniency between interviewers "
            "beyond noise, so every effect is shrunk to 0 and nobody is flagged."
        )
    return tuple(notes)


def _leniency_row(e: Any, min_ratings: int) -> LeniencyRow:
    low, high = _pair(e.ci) or (None, None)
    n_ratings = int(e.n_ratings if e.n_ratings is not None else e.n)
    return LeniencyRow(
        e.id,
        e.n,
        n_ratings,
        _num(e.effect),
        _num(e.se),
        _num(e.shrunk_effect),
        low,
        high,
        bool(e.flag),
        int(e.component),
        e.n < min_ratings,
    )


def _distribution(d: Distribution, levels: Sequence[int]) -> DistributionRow:
    return DistributionRow(
        d.id,
        d.n,
        tuple(float(d.proportions.get(float(v), 0.0)) for v in levels),
        _num(d.mean),
        _num(d.sd),
        tuple((float(k), float(v)) for k, v in d.proportions.items()),
        _num(d.central_tendency),
    )


def _agreement(b: BlockStats, name: str) -> AgreementRow:
    vc, icc, co = b.variance, b.icc, b.coefficients
    variance = VarianceRow(
        _num(vc.candidate),
        _num(vc.interviewer),
        _num(vc.residual),
        _num(vc.icc_absolute),
        _num(vc.icc_consistency),
        _pair(vc.icc_absolute_ci),
        _pair(vc.icc_consistency_ci),
        b.band_absolute,
        b.band_consistency,
        _num(vc.candidate_se),
        _num(vc.interviewer_se),
        _num(vc.residual_se),
        vc.method,
        bool(vc.converged),
        vc.ci_method or "",
    )
    block = None
    if icc is not None:
        block = IccBlock(
            icc.n,
            tuple(b.icc_raters),
            b.complete,
            {key: _num(icc.values[key]) for key in ICC_KEYS},
            {key: _pair(icc.ci[key]) for key in ICC_KEYS},
        )
    return AgreementRow(
        b.competency,
        name,
        b.n_candidates,
        b.n_interviewers,
        b.n_ratings,
        _num(b.alpha_interval),
        _num(b.alpha_ordinal),
        variance,
        {key: (_num(co.values[key]) if co else None) for key in ICC_KEYS},
        {key: (_pair(co.ci[key]) if co else None) for key in ICC_KEYS},
        {key: koo_li_band(co.ci[key] if co else None) for key in ICC_KEYS},
        co.source if co else "",
        _num(co.k) if co else None,
        block,
        b.notes,
        curve(b.competency or "overall", name, g_study(
            vc, questions_per_rating=b.questions_per_rating, question_share_=b.question_share
        )),
    )


_passes: list[tuple[object, PassThrough]] = []  # the last few lists (held: an id is not reused) and their rows


def _pass_through(recommendations: Iterable[tuple[str, bool]]) -> PassThrough:
    """The pass-through rows; remembered for the last lists given (the kept columns give the same list for the
    same filters while the database has not changed: 300,000 scorecards on the large demo)."""
    with _statistics_lock:
        found = next((done for given, done in _passes if given is recommendations), None)
    if found is None:
        found = _pass_through_rows(recommendations)
        with _statistics_lock:
            _passes[:] = [*_passes[-7:], (recommendations, found)]
    return found


def _pass_through_rows(recommendations: Iterable[tuple[str, bool]]) -> PassThrough:
    panel, per = pass_through(recommendations)

    def row(p: Any) -> PassThroughRow:
        return PassThroughRow(p.id, p.n, p.yes, _num(p.rate), _pair(p.ci), bool(p.differs))

    return PassThrough(row(panel), tuple(row(p) for p in per))


def _drift_series(who: str, result: Calibration, trend: DriftRow | None) -> DriftSeries | None:
    """``who``'s score minus each candidate's leniency-adjusted score, by interview time, with the trend: the
    very points the slope was fitted to (:attr:`~interviewkit.domain.calibration.Drift.points`), so the line
    passes through their mean."""
    fitted = next((d for d in result.drift if d.id == who), None)
    if fitted is None or not fitted.points:
        return None
    points = tuple((datetime.fromtimestamp(t, UTC), value) for t, value in fitted.points)
    slope = trend.slope_per_30_days if trend else None
    line = None
    if slope is not None and len(points) >= 2:
        ts = [t for t, _ in fitted.points]
        tm, ym = sum(ts) / len(ts), sum(v for _, v in fitted.points) / len(ts)
        per_second = slope / (30 * 86400.0)
        line = ((points[0][0], ym + per_second * (ts[0] - tm)), (points[-1][0], ym + per_second * (ts[-1] - tm)))
    return DriftSeries(who, points, slope, trend.low if trend else None, trend.high if trend else None, line)


# --- what one viewer may see -------------------------------------------------------------------------------


def _own_labels(db: Database, viewer: access.Actor) -> set[str]:
    """The labels the viewer's own ratings carry (their name, or name and email where names repeat)."""
    from interviewkit.services import people as people_service
    from interviewkit.services.errors import NotFound

    if not isinstance(viewer, int):
        return set()
    try:
        p = people_service.person(db, viewer)
    except NotFound:
        return set()
    return {p.name, f"{p.name} <{p.email}>"}


def _only_own(report: CalibrationReport, own: set[str]) -> CalibrationReport:
    """The report with only the viewer's own rows (and no colleague behind an ICC's complete block)."""

    def anonymous(a: AgreementRow) -> AgreementRow:
        return replace(a, block=replace(a.block, interviewers=())) if a.block is not None else a

    mine = next((who for who in report.interviewers if who in own), None)
    pt = report.pass_through
    return replace(
        report,
        filters=replace(report.filters, interviewer=mine),
        competencies=tuple(anonymous(a) for a in report.competencies),
        overall=anonymous(report.overall) if report.overall is not None else None,
        leniency=tuple(r for r in report.leniency if r.interviewer in own),
        distributions=tuple(d for d in report.distributions if d.interviewer in own),
        halo=tuple(h for h in report.halo if h.interviewer in own),
        trends=tuple(t for t in report.trends if t.interviewer in own),
        interviewers=tuple(who for who in report.interviewers if who in own),
        pass_through=replace(pt, interviewers=tuple(p for p in pt.interviewers if p.interviewer in own))
        if pt
        else None,
        restricted_to=mine or (sorted(own)[0] if own else ""),
    )
