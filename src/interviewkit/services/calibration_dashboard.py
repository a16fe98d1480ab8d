"""The calibration dashboard's data: the figures of :mod:`interviewkit.domain.calibration`, ready to draw.

The dashboard (and the calibration PDF) show, for the submitted scorecards that match some filters
(an opening, a period, a competency):

* interviewer leniency: each interviewer's shrunk effect with its 95% interval, the flag, and whether
  all interviewers are connected through shared candidates (effects in different groups are not
  comparable);
* rating distributions: the share of each scale level for each interviewer, and for everyone;
* agreement per competency: the ICC of absolute agreement (REML, every rating) with its 95% interval and
  Koo & Li band, and Krippendorff's alpha;
* drift: one interviewer's leniency on each candidate over time (their score minus the candidate's
  leniency-adjusted score) with the fitted trend;
* question analytics: times asked, over-exposure, mean and spread of the ratings, relation to the decision.

Everything is plain frozen values, computed in one call (:func:`dashboard`) that screens run off the GUI
thread. What a person sees follows :mod:`interviewkit.services.access`: without the permission
``view_calibration_others`` (interviewers), the statistics are still computed from everyone's ratings
(a leniency is relative to colleagues) but only the viewer's own leniency, distribution, drift and
pass-through are returned; agreement and question analytics name nobody and stay. When there is not enough data to compare interviewers at all, :attr:`Dashboard.enough` is False
and :attr:`Dashboard.why_not` says what is missing, in words for the person looking at it.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any

from interviewkit.bank.model import BankSettings
from interviewkit.domain.calibration import MIN_RATINGS, Rating, calibrate, question_analytics
from interviewkit.services import access, bank_queries
from interviewkit.services import people as people_service
from interviewkit.services.calibration import (
    pass_through_from_db,
    question_uses_from_db,
    ratings_from_db,
)
from interviewkit.storage.db import Database

__all__ = [
    "AgreementRow",
    "Dashboard",
    "DashboardFilters",
    "DistributionRow",
    "DriftSeries",
    "FilterOptions",
    "LeniencyRow",
    "QuestionRow",
    "band_level",
    "dashboard",
    "filter_options",
]

MIN_CANDIDATES = 2  # fewer and nobody can be compared with anybody


@dataclass(frozen=True)
class DashboardFilters:
    """Which submitted scorecards to analyse. ``interviewer`` (a label as the dashboard shows it) does
    not narrow the data, it picks whose distribution and drift are shown in detail."""

    opening_id: int | None = None
    since: date | datetime | None = None
    until: date | datetime | None = None
    competency: str | None = None
    interviewer: str | None = None

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
    few_ratings: bool  # under MIN_RATINGS candidates: never flagged, whatever the interval


@dataclass(frozen=True)
class DistributionRow:
    """How one interviewer (or everyone, ``interviewer=None``) uses the scale."""

    interviewer: str | None
    n: int
    shares: tuple[float, ...]  # per level of ``Dashboard.levels``
    mean: float | None
    sd: float | None


@dataclass(frozen=True)
class AgreementRow:
    """Agreement on one competency (``competency=None``: the overall score)."""

    competency: str | None
    name: str
    n_candidates: int
    n_interviewers: int
    n_ratings: int
    icc: float | None  # absolute agreement of single ratings (REML)
    low: float | None
    high: float | None
    band: str  # Koo & Li, judged on the interval: "poor", "moderate to good", "unknown", ...
    alpha: float | None  # Krippendorff's alpha, interval metric

    @property
    def enough(self) -> bool:
        return self.icc is not None and self.n_interviewers >= 2 and self.n_candidates >= 2


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
class Dashboard:
    """Everything the calibration dashboard and its PDF show, for one set of filters."""

    filters: DashboardFilters
    subject: str  # the filters in words
    enough: bool
    why_not: str  # when not enough: what is missing and what to do
    n_ratings: int = 0
    n_candidates: int = 0
    n_interviewers: int = 0
    shared_candidates: int = 0  # candidates seen by at least two interviewers
    levels: tuple[int, ...] = ()
    level_labels: tuple[str, ...] = ()
    leniency: tuple[LeniencyRow, ...] = ()
    connected: bool = True
    n_groups: int = 1
    margin: float = 0.0
    min_ratings: int = MIN_RATINGS
    pool: DistributionRow | None = None
    distributions: tuple[DistributionRow, ...] = ()
    agreement: tuple[AgreementRow, ...] = ()
    overall: AgreementRow | None = None
    interviewers: tuple[str, ...] = ()  # every interviewer in the data, by name
    focus: str | None = None  # whose distribution and drift are shown (the filter, else the busiest)
    drift: DriftSeries | None = None
    trends: tuple[tuple[str, int, float | None, float | None, float | None], ...] = ()  # every interviewer's
    # drift: (interviewer, dated candidates, slope per 30 days, low, high)
    questions: tuple[QuestionRow, ...] = ()
    total_loops: int = 0
    pass_through: dict[str, tuple[int, int]] = field(default_factory=dict)  # interviewer -> (yes, n)
    restricted_to: str | None = None  # the viewer may see only their own rows: their name as labelled

    @property
    def flagged(self) -> tuple[LeniencyRow, ...]:
        return tuple(r for r in self.leniency if r.flagged)


def band_level(band: str) -> str:
    """The lowest Koo & Li band a band text reaches ("poor to good" -> "poor"): what its colour shows."""
    return band.split(" to ")[0] if band else "unknown"


def filter_options(db: Database) -> FilterOptions:
    """The openings and competencies the filters offer."""
    return FilterOptions(
        openings=tuple((o.id, o.title) for o in people_service.openings(db)),
        competencies=tuple((c.id, c.name) for c in bank_queries.competencies(db)),
    )


def _num(value: Any) -> float | None:
    if value is None:
        return None
    try:
        out = float(value)
    except (TypeError, ValueError):
        return None
    return out if out == out and out not in (float("inf"), float("-inf")) else None


def _drift_series(ratings: list[Rating], who: str, adjusted: dict[str, float], slope: float | None,
                  ci: tuple[float, float] | None) -> DriftSeries | None:
    cells: dict[str, list[float]] = defaultdict(list)
    when: dict[str, datetime] = {}
    for r in ratings:
        if r.interviewer != who or r.score is None or r.at is None:
            continue
        cells[r.candidate].append(r.score)
        when[r.candidate] = max(when.get(r.candidate, r.at), r.at)
    points = sorted(
        (when[c], sum(v) / len(v) - adjusted[c]) for c, v in cells.items() if c in adjusted
    )
    if not points:
        return None
    line = None
    if slope is not None and len(points) >= 2:
        t0 = points[0][0].timestamp()
        ts = [p[0].timestamp() for p in points]
        ys = [p[1] for p in points]
        tm, ym = sum(ts) / len(ts), sum(ys) / len(ys)
        per_second = slope / (30 * 86400.0)
        start, end = points[0][0], points[-1][0]
        line = ((start, ym + per_second * (t0 - tm)), (end, ym + per_second * (end.timestamp() - tm)))
    return DriftSeries(who, tuple(points), _num(slope), _num(ci[0]) if ci else None, _num(ci[1]) if ci else None, line)


def _own_labels(db: Database, viewer: access.Actor) -> set[str]:
    if not isinstance(viewer, int):
        return set()
    try:
        p = people_service.person(db, viewer)
    except Exception:
        return set()
    return {p.name, f"{p.name} <{p.email}>"}


def dashboard(
    db: Database,
    settings: BankSettings,
    filters: DashboardFilters | None = None,
    *,
    viewer: access.Actor,
) -> Dashboard:
    """The calibration dashboard for the submitted scorecards that match ``filters``, as ``viewer`` may
    see it (:func:`~interviewkit.services.policy.calibration_scope`: which ratings, whose rows)."""
    filters = filters or DashboardFilters()
    full = _dashboard(db, settings, filters, viewer)
    if access.can(db, viewer, "view_calibration_others", opening_id=filters.opening_id):
        return full
    own = _own_labels(db, viewer)
    mine = next((who for who in full.interviewers if who in own), None)
    if mine is not None and full.enough and full.focus != mine:
        full = _dashboard(db, settings, replace(filters, interviewer=mine), viewer)
    return replace(
        full,
        leniency=tuple(r for r in full.leniency if r.interviewer in own),
        distributions=tuple(d for d in full.distributions if d.interviewer in own),
        interviewers=tuple(who for who in full.interviewers if who in own),
        focus=mine,
        drift=full.drift if mine is not None and full.focus == mine else None,
        trends=tuple(t for t in full.trends if t[0] in own),
        pass_through={k: v for k, v in full.pass_through.items() if k in own},
        restricted_to=mine or (sorted(own)[0] if own else ""),
    )


def _dashboard(db: Database, settings: BankSettings, filters: DashboardFilters, viewer: access.Actor) -> Dashboard:
    options = filter_options(db)
    names = dict(options.competencies)
    subject = filters.describe(dict(options.openings), names)
    period = {"opening_id": filters.opening_id, "since": filters.since, "until": filters.until}
    ratings = ratings_from_db(db, by=viewer, competency=filters.competency, **period)
    scored = [r for r in ratings if r.score is not None]
    candidates = {r.candidate for r in scored}
    seen_by: dict[str, set[str]] = defaultdict(set)
    for r in scored:
        seen_by[r.candidate].add(r.interviewer)
    shared = sum(1 for who in seen_by.values() if len(who) >= 2)
    interviewers = tuple(sorted({r.interviewer for r in scored}, key=str.lower))
    base: dict[str, Any] = {
        "filters": filters, "subject": subject, "n_ratings": len(scored), "n_candidates": len(candidates),
        "n_interviewers": len(interviewers), "shared_candidates": shared, "interviewers": interviewers,
    }
    if not scored:
        why = (
            "No submitted scorecard has a rating yet" if not any((filters.opening_id, filters.since, filters.until,
                                                                  filters.competency))
            else f"No submitted rating matches these filters ({subject})"
        )
        filtered = any((filters.opening_id, filters.since, filters.until, filters.competency))
        return Dashboard(enough=False, why_not=f"{why}. Calibration compares interviewers who rated the same "
                         "candidates: it needs submitted scorecards from at least two interviewers for at least "
                         "two candidates. " + ("Widen the filters, or import" if filtered else "Import")
                         + " past ratings (interviewkit scorecards import).", **base)
    if len(interviewers) < 2 or len(candidates) < MIN_CANDIDATES or shared == 0:
        have = (f"{len(scored)} rating{'s' if len(scored) != 1 else ''} from {len(interviewers)} "
                f"interviewer{'s' if len(interviewers) != 1 else ''} on {len(candidates)} "
                f"candidate{'s' if len(candidates) != 1 else ''}")
        return Dashboard(enough=False, why_not=f"Not enough to compare interviewers yet: {have}, and no candidate "
                         "was rated by two of them. Leniency and agreement need at least two candidates each seen "
                         "by two or more interviewers.", **base)

    levels = tuple(settings.scale.levels)
    result = calibrate(ratings, scale=levels)
    lenient = result.leniency
    leniency = []
    for e in lenient.interviewers:
        lo, hi = (e.ci if e.ci is not None else (None, None))
        n_ratings = int(e.n_ratings if e.n_ratings is not None else e.n)
        leniency.append(LeniencyRow(e.id, e.n, n_ratings, _num(e.effect), _num(e.se), _num(e.shrunk_effect),
                                    _num(lo), _num(hi), bool(e.flag), int(e.component), e.n < result.min_ratings))
    leniency.sort(key=lambda r: (r.component, -(r.shrunk if r.shrunk is not None else -1e9), r.interviewer.lower()))

    def dist(d: Any) -> DistributionRow:
        return DistributionRow(d.id, d.n, tuple(float(d.proportions.get(float(v), 0.0)) for v in levels),
                               _num(d.mean), _num(d.sd))

    def agreement(b: Any, name: str) -> AgreementRow:
        vc = b.variance
        ci = vc.icc_absolute_ci
        return AgreementRow(b.competency, name, b.n_candidates, b.n_interviewers, b.n_ratings, _num(vc.icc_absolute),
                            _num(ci[0]) if ci else None, _num(ci[1]) if ci else None, b.band_absolute,
                            _num(b.alpha_interval))

    agree = tuple(agreement(b, names.get(b.competency or "", b.competency or "")) for b in result.competencies)
    agree = tuple(sorted(agree, key=lambda a: (not a.enough, -(a.icc or 0.0), a.name.lower())))
    counts = {r.interviewer: r.n_ratings for r in leniency}
    focus = filters.interviewer if filters.interviewer in interviewers else None
    if focus is None:
        focus = max(interviewers, key=lambda who: (counts.get(who, 0), who)) if interviewers else None
    drift = None
    if focus is not None:
        d = next((x for x in result.drift if x.id == focus), None)
        adjusted = {a.candidate: a.adjusted for a in result.adjusted}
        drift = _drift_series(ratings, focus, adjusted, d.slope_per_30_days if d else None, d.ci if d else None)
    uses, loops = question_uses_from_db(db, by=viewer, **period)
    if filters.competency is not None:
        bank = {q.id: q for q in bank_queries.question_summaries(db)}
        uses = [u for u in uses if filters.competency in (bank[u.question].competencies if u.question in bank else ())]
    titles = {q.id: q.title for q in bank_queries.question_summaries(db)}
    questions = tuple(
        QuestionRow(q.question, titles.get(q.question, q.question), q.times_asked, q.loops, q.loop_share, q.exposed,
                    _num(q.mean), _num(q.sd), q.n_scores, _num(q.decision_r), q.decision_n)
        for q in question_analytics(uses, loops)
    )
    passes: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for who, yes in pass_through_from_db(db, settings, by=viewer, **period):
        passes[who][0] += int(yes)
        passes[who][1] += 1
    return Dashboard(
        enough=True,
        why_not="",
        levels=levels,
        level_labels=tuple(settings.scale.label(v) for v in levels),
        leniency=tuple(leniency),
        connected=bool(lenient.connected),
        n_groups=int(lenient.n_components),
        margin=float(lenient.margin),
        min_ratings=result.min_ratings,
        pool=dist(result.pool_distribution),
        distributions=tuple(sorted((dist(d) for d in result.distributions), key=lambda d: (d.interviewer or "").lower())),
        agreement=agree,
        overall=agreement(result.overall, "Overall score"),
        focus=focus,
        drift=drift,
        trends=tuple(
            (t.id, t.n, _num(t.slope_per_30_days), _num(t.ci[0]) if t.ci else None, _num(t.ci[1]) if t.ci else None)
            for t in sorted(result.drift, key=lambda t: t.id.lower())
        ),
        questions=questions,
        total_loops=loops,
        pass_through={k: (v[0], v[1]) for k, v in passes.items()},
        **base,
    )
