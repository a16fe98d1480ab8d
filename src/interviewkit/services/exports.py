"""PDF exports: a scorecard, a candidate's debrief packet and a stage's interview kit.

Each export gathers its content from the other services (so the same visibility rules apply: a debrief
packet holds only what its viewer may see in the app) into the plain values of
:mod:`interviewkit.export.model`, then prints them with :mod:`interviewkit.export.pdf`. That module
uses Qt, so it is imported inside the functions: the services stay free of Qt until a PDF is asked for.

The file is written whole or not at all (a temporary file in the same folder, then renamed), and a path
that cannot be written is reported before any work is done.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from interviewkit.bank.model import BankSettings
from interviewkit.export.model import (
    NOT_ASSESSED,
    AnchorDoc,
    AskedQuestionDoc,
    CalibrationDoc,
    CompetencyRatingDoc,
    CoverageDoc,
    DebriefDoc,
    DecisionDoc,
    DistributionDoc,
    FocusDoc,
    GridColumn,
    GridRow,
    IntervalRow,
    KitDoc,
    KitQuestionDoc,
    PdfOptions,
    QuestionStatsDoc,
    ScorecardDoc,
)
from interviewkit.services import bank_queries, loops, people
from interviewkit.services import debrief as debrief_service
from interviewkit.services.access import LOCAL_ADMIN, Actor
from interviewkit.services.errors import ServiceError, ValidationFailed
from interviewkit.services.scorecards import RatingState, scorecard_state
from interviewkit.storage.db import Database

__all__ = [
    "ExportFailed",
    "ExportResult",
    "calibration_document",
    "debrief_document",
    "export_calibration_pdf",
    "export_debrief_pdf",
    "export_kit_pdf",
    "export_scorecard_pdf",
    "kit_document",
    "scorecard_document",
]


class ExportFailed(ServiceError):
    """The PDF could not be written where asked (a missing folder, no permission, a full disk)."""


@dataclass(frozen=True)
class ExportResult:
    """What an export wrote."""

    path: Path
    pages: int
    note: str = ""  # e.g. why some scorecards are not in a debrief packet


# --- content -----------------------------------------------------------------------------------------


def _competency_names(db: Database) -> dict[str, str]:
    return {c.id: c.name for c in bank_queries.competencies(db)}


def _panel(details: list[loops.LoopDetail]) -> tuple[str, ...]:
    """The interviewers of these loops in stage order, each once (for stable "Interviewer A, B, …")."""
    names = [st.interviewer for d in details for st in d.stages if st.interviewer]
    return tuple(dict.fromkeys(names))


def _candidate_panel(db: Database, candidate_id: int) -> tuple[str, ...]:
    # The panel's names only fix the order of "Interviewer A, B, ..." (--hide-names); the caller has
    # already checked that the viewer may see this candidate.
    summaries = sorted(loops.loops(db, candidate_id=candidate_id, by=LOCAL_ADMIN), key=lambda summary: summary.id)
    return _panel([loops.loop_detail(db, summary.id, by=LOCAL_ADMIN) for summary in summaries])


def scorecard_document(db: Database, scorecard_id: int, *, settings: BankSettings, viewer_id: Actor) -> ScorecardDoc:
    """A scorecard as printed, if ``viewer_id`` may read it (:func:`~interviewkit.services.policy.require_scorecard`)."""
    state = scorecard_state(db, scorecard_id, by=viewer_id)
    names = _competency_names(db)
    names.update({c.id: c.name for c in state.focus})
    numbered = [(i, q) for i, q in enumerate(state.questions, start=1)]
    ratings = []
    for comp in state.focus:
        r = state.ratings.get(comp.id, RatingState())
        anchors: tuple[AnchorDoc, ...] = ()
        if r.score is not None and not r.not_assessed:
            anchors = tuple(
                AnchorDoc(i, q.title, dict(q.rubric).get(r.score, "")) for i, q in numbered if comp.id in q.competencies
            )
        ratings.append(
            CompetencyRatingDoc(
                competency=comp.name,
                score=None if r.not_assessed else r.score,
                label=settings.scale.label(r.score) if r.score is not None and not r.not_assessed else "",
                not_assessed=r.not_assessed,
                reason=r.reason,
                evidence=r.evidence,
                anchors=anchors,
            )
        )
    return ScorecardDoc(
        candidate=state.candidate,
        opening=state.opening,
        stage=state.stage_name,
        stage_position=state.stage_position,
        stage_count=state.stage_count,
        interviewer=state.interviewer,
        status=state.status,
        started_at=state.started_at,
        submitted_at=state.submitted_at,
        recommendation=state.recommendation,
        summary=state.summary,
        ratings=tuple(ratings),
        questions=tuple(
            AskedQuestionDoc(
                number=i, title=q.title, prompt=q.prompt, kind=q.kind, minutes=q.minutes, seconds_spent=q.seconds_spent,
                competencies=tuple(names.get(c, c) for c in q.competencies), planned=q.planned, notes=q.notes,
            )
            for i, q in numbered
        ),
        scale=settings.scale.labels,
        recommendations=settings.recommendations,
        panel=_panel([loops.loop_detail(db, loops.stage_loop_id(db, state.stage_id), by=LOCAL_ADMIN)]),
    )


def debrief_document(db: Database, candidate_id: int, *, settings: BankSettings, viewer_id: Actor) -> DebriefDoc:
    """A candidate's debrief packet as ``viewer_id`` may see it (the debrief service enforces visibility)."""
    d = debrief_service.debrief(db, candidate_id, viewer_id, settings)
    viewer_name = people.person(db, viewer_id).name if isinstance(viewer_id, int) else "the database's local operator"
    recommendations = list(settings.recommendations)
    yes_from = max(len(recommendations) // 2, 1)
    columns = tuple(
        GridColumn(
            interviewer=c.interviewer,
            stage=c.stage_name,
            stage_position=c.stage_position,
            recommendation=c.recommendation,
            says_yes=(recommendations.index(c.recommendation) >= yes_from) if c.recommendation in recommendations else None,
        )
        for c in d.columns
    )
    rows = []
    for cid, name in d.competencies:
        cells: list[int | str | None] = []
        for col in d.columns:
            if cid not in col.ratings:
                cells.append(None)
            else:
                score = col.ratings[cid]
                cells.append(NOT_ASSESSED if score is None else score)
        scores = [c for c in cells if isinstance(c, int)]
        spread = max(scores) - min(scores) if len(scores) >= 2 else None
        rows.append(GridRow(name, tuple(cells), spread, cid in d.disagreements))

    def decision(info: debrief_service.DecisionInfo) -> DecisionDoc:
        return DecisionDoc(
            outcome=debrief_service.OUTCOME_LABELS.get(info.outcome, info.outcome),
            rationale=info.rationale,
            decided_by=info.decided_by,
            participants=info.participants,
            decided_at=info.decided_at,
            superseded=info.superseded,
            reopen_reason=info.reopen_reason,
        )

    return DebriefDoc(
        candidate=d.candidate,
        opening=d.opening,
        viewer=viewer_name,
        stage_count=d.stage_count,
        submitted_count=d.submitted_count,
        hidden_count=d.hidden_count,
        why_hidden=d.why_hidden,
        columns=columns,
        rows=tuple(rows),
        split_recommendation=d.split_recommendation,
        coverage=tuple(CoverageDoc(c.requirement_id, c.text, c.section, c.assessed_by) for c in d.coverage),
        decision=decision(d.decision) if d.decision else None,
        history=tuple(decision(h) for h in d.history),
        scorecards=tuple(scorecard_document(db, c.scorecard_id, settings=settings, viewer_id=viewer_id) for c in d.columns),
        scale=settings.scale.labels,
        panel=_candidate_panel(db, candidate_id),
    )


def kit_document(db: Database, stage_id: int, *, settings: BankSettings, by: Actor) -> KitDoc:
    """The interview kit of a stage: its planned questions (the pinned versions) and focus competencies.
    For whoever may see the candidate (their panel, the lead, those who plan loops)."""
    detail = loops.loop_detail(db, loops.stage_loop_id(db, stage_id), by=by)
    stage = next(st for st in detail.stages if st.id == stage_id)
    comps = {c.id: c for c in bank_queries.competencies(db)}
    questions = []
    for i, planned in enumerate(stage.questions, start=1):
        q = bank_queries.question_detail(db, planned.question_id, planned.version)
        if q is None:  # cannot happen for a pinned version; skip rather than print half a question
            continue
        questions.append(
            KitQuestionDoc(
                number=i, title=q.title, prompt=q.prompt, kind=q.kind, minutes=q.minutes,
                competencies=tuple(name for _, name in q.competencies), follow_ups=q.follow_ups, rubric=q.rubric,
                red_flags=q.red_flags,
            )
        )
    return KitDoc(
        candidate=detail.candidate,
        opening=detail.opening,
        stage=stage.name,
        stage_position=stage.position,
        stage_count=len(detail.stages),
        interviewer=stage.interviewer,
        scheduled_at=stage.scheduled_at,
        minutes=stage.minutes,
        focus=tuple(
            FocusDoc(comps[c].name, comps[c].description, comps[c].strong_evidence) if c in comps else FocusDoc(c, "", "")
            for c in stage.focus
        ),
        questions=tuple(questions),
        scale=settings.scale.labels,
        recommendations=settings.recommendations,
        panel=_panel([detail]),
    )


# --- writing -----------------------------------------------------------------------------------------


def _options(page_size: str, hide_names: bool) -> PdfOptions:
    try:
        return PdfOptions(page_size=page_size, hide_names=hide_names)
    except ValueError as exc:
        raise ValidationFailed([f"Page size: {exc}"]) from None


def _printed(printer: Callable[[Any, PdfOptions], Any], doc: object, options: PdfOptions) -> Any:
    """Run a printer of export.pdf; Qt failing to start the PDF writer becomes an ExportFailed."""
    try:
        return printer(doc, options)
    except RuntimeError as exc:
        raise ExportFailed(f"the PDF could not be printed: {exc}") from None


def _check_target(path: Path) -> Path:
    """Fail fast, with a clear message, when ``path`` cannot be written."""
    path = Path(path).expanduser()
    if path.is_dir():
        raise ExportFailed(f"cannot write {path}: it is a folder")
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise ExportFailed(f"cannot write {path}: the folder {folder} does not exist")
    if not os.access(folder, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
        raise ExportFailed(f"cannot write {path}: permission denied")
    return path


def _write(path: Path, data: bytes) -> None:
    """Write the whole file or nothing: a temporary file beside it, then renamed over it.

    The file gets the mode a new file of the person's would get (0o666 less their umask: 0644 under 022,
    0600 under 077), as any program's output does; a PDF holds candidates' data, so it is never made
    more open than the umask says."""
    flags = os.O_CREAT | os.O_EXCL | os.O_WRONLY | getattr(os, "O_BINARY", 0) | getattr(os, "O_NOFOLLOW", 0)
    for _ in range(100):
        tmp = path.parent / f".{path.name}.{secrets.token_hex(6)}.part"
        try:
            fd = os.open(tmp, flags, 0o666)  # the umask applies
            break
        except FileExistsError:
            continue
        except OSError as exc:
            raise ExportFailed(f"cannot write {path}: {exc.strerror or exc}") from None
    else:
        raise ExportFailed(f"cannot write {path}: no free temporary name beside it")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except OSError as exc:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise ExportFailed(f"cannot write {path}: {exc.strerror or exc}") from None


def export_scorecard_pdf(
    db: Database,
    scorecard_id: int,
    path: Path | str,
    *,
    settings: BankSettings,
    viewer_id: Actor,
    page_size: str = "A4",
    hide_names: bool = False,
) -> ExportResult:
    """Write one scorecard as a PDF, if ``viewer_id`` may read it."""
    options = _options(page_size, hide_names)
    target = _check_target(Path(path))
    doc = scorecard_document(db, scorecard_id, settings=settings, viewer_id=viewer_id)
    from interviewkit.export.pdf import scorecard_pdf

    result = _printed(scorecard_pdf, doc, options)
    _write(target, result.data)
    return ExportResult(target, result.pages)


def export_debrief_pdf(
    db: Database,
    candidate_id: int,
    path: Path | str,
    *,
    settings: BankSettings,
    viewer_id: Actor,
    page_size: str = "A4",
    hide_names: bool = False,
) -> ExportResult:
    """Write a candidate's debrief packet as ``viewer_id`` may see it: grid, disagreements, decision,
    requirement coverage and every visible scorecard."""
    options = _options(page_size, hide_names)
    target = _check_target(Path(path))
    doc = debrief_document(db, candidate_id, settings=settings, viewer_id=viewer_id)
    from interviewkit.export.pdf import debrief_pdf

    result = _printed(debrief_pdf, doc, options)
    _write(target, result.data)
    note = f"{doc.hidden_count} submitted scorecard(s) left out: {doc.why_hidden}" if doc.hidden_count else ""
    return ExportResult(target, result.pages, note)


def export_kit_pdf(
    db: Database,
    stage_id: int,
    path: Path | str,
    *,
    settings: BankSettings,
    by: Actor,
    page_size: str = "A4",
    hide_names: bool = False,
) -> ExportResult:
    """Write the interview kit of a stage: the plan, the focus competencies, each question with its probes,
    rubric and red flags, and ruled space for handwritten notes."""
    options = _options(page_size, hide_names)
    target = _check_target(Path(path))
    doc = kit_document(db, stage_id, settings=settings, by=by)
    from interviewkit.export.pdf import kit_pdf

    result = _printed(kit_pdf, doc, options)
    _write(target, result.data)
    return ExportResult(target, result.pages)



# --- calibration report --------------------------------------------------------------------------------


def calibration_document(db: Database, *, settings: BankSettings, filters: Any = None, viewer: Actor) -> CalibrationDoc:
    """The calibration report for ``filters`` (a :class:`~interviewkit.services.calibration_dashboard.
    DashboardFilters`; default: every submitted scorecard), from the same data as the dashboard, as
    ``viewer`` may see it (an interviewer gets only their own rows)."""
    from interviewkit.services.calibration_dashboard import dashboard

    d = dashboard(db, settings, filters, viewer=viewer)
    # The subject is printed in the header and title: it names nobody, so "Hide interviewer names" holds.
    subject = d.subject if d.restricted_to is None else f"{d.subject} (one interviewer's own rows)"
    base: dict[str, Any] = {
        "subject": subject, "enough": d.enough, "why_not": d.why_not, "n_ratings": d.n_ratings,
        "n_candidates": d.n_candidates, "n_interviewers": d.n_interviewers, "shared_candidates": d.shared_candidates,
        "scale": settings.scale.labels,
    }
    if not d.enough:
        return CalibrationDoc(**base)
    leniency = tuple(
        IntervalRow(r.interviewer, r.shrunk, r.low, r.high, r.flagged,
                    f"group {r.component + 1}" if d.n_groups > 1 else "",
                    f"{r.n} candidate{'s' if r.n != 1 else ''}" + (f", fewer than {d.min_ratings}" if r.few_ratings else ""))
        for r in d.leniency
    )
    rows = ([d.overall] if d.overall is not None and d.filters.competency is None else []) + list(d.agreement)
    drift = [IntervalRow(who, slope, low, high, False, "",
                         f"{n} dated candidate{'s' if n != 1 else ''}") for who, n, slope, low, high in d.trends]
    return CalibrationDoc(
        **base,
        leniency=leniency,
        margin=d.margin,
        connected=d.connected,
        n_groups=d.n_groups,
        min_ratings=d.min_ratings,
        agreement=tuple(IntervalRow(a.name, a.icc, a.low, a.high, False, a.band) for a in rows),
        agreement_alpha=tuple(a.alpha for a in rows),
        agreement_counts=tuple((a.n_candidates, a.n_interviewers) for a in rows),
        pool=DistributionDoc("Everyone", d.pool.n, d.pool.shares, d.pool.mean, d.pool.sd) if d.pool else None,
        distributions=tuple(DistributionDoc(x.interviewer or "", x.n, x.shares, x.mean, x.sd) for x in d.distributions),
        drift=tuple(drift),
        questions=tuple(
            QuestionStatsDoc(q.title, q.times_asked, q.loops, q.loop_share, q.exposed, q.mean, q.sd, q.decision_r,
                             q.decision_n)
            for q in d.questions
        ),
        total_loops=d.total_loops,
    )


def export_calibration_pdf(
    db: Database,
    path: Path | str,
    *,
    settings: BankSettings,
    filters: Any = None,
    opening_id: int | None = None,
    page_size: str = "A4",
    hide_names: bool = False,
    viewer: Actor,
) -> ExportResult:
    """Write the calibration report as a PDF: leniency (forest plot and table), agreement per competency
    with Koo & Li bands, rating distributions, drift and question analytics. ``filters`` (a
    ``DashboardFilters``) or just ``opening_id`` choose the scorecards; with too little data the PDF says
    what is missing. ``viewer`` (default: the local operator) is who the report is printed for: an
    interviewer's copy holds only their own leniency, distribution and drift."""
    from interviewkit.services.calibration_dashboard import DashboardFilters

    options = _options(page_size, hide_names)
    target = _check_target(Path(path))
    if filters is None:
        filters = DashboardFilters(opening_id=opening_id)
    doc = calibration_document(db, settings=settings, filters=filters, viewer=viewer)
    from interviewkit.export.pdf import calibration_pdf

    result = _printed(calibration_pdf, doc, options)
    _write(target, result.data)
    return ExportResult(target, result.pages, "" if doc.enough else doc.why_not)
