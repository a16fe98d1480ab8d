"""What the PDF exports print, and how their files are written: a scorecard, a candidate's debrief packet
and a stage's interview kit as documents (:mod:`interviewkit.services.documents`).

Each document gathers its content from the other services (so the same visibility rules apply: a debrief
packet holds only what its viewer may see in the app). The calibration report's document is
:func:`~interviewkit.services.calibration_report.calibration_report` itself. The printer
(:mod:`interviewkit.pdf`, which uses Qt) lays documents out; the command line and the app call it, never
the services.

A PDF file is written whole or not at all (:func:`write_whole`: a temporary file in the same folder, then
renamed), and a path that cannot be written is reported before any work is done (:func:`check_target`).
"""

from __future__ import annotations

import contextlib
import os
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from interviewkit.bank.model import BankSettings
from interviewkit.services.access import LOCAL_ADMIN, Actor
from interviewkit.services.documents import (
    NOT_ASSESSED,
    AnchorDoc,
    AskedQuestionDoc,
    CompetencyRatingDoc,
    DebriefDoc,
    FocusDoc,
    GridColumn,
    GridRow,
    KitCheckDoc,
    KitDoc,
    KitQuestionDoc,
    PdfOptions,
    ScorecardDoc,
)
from interviewkit.services.errors import ServiceError, ValidationFailed
from interviewkit.storage.db import Database

if TYPE_CHECKING:  # the services that fill the documents load with the document that needs them: the calibration
    # PDF, which uses this module's writing only, does without the debrief, scorecards and loops services
    from interviewkit.services import debrief as debrief_service
    from interviewkit.services.loops import LoopDetail

__all__ = [
    "ExportFailed",
    "ExportResult",
    "check_target",
    "debrief_document",
    "debrief_rows",
    "kit_document",
    "pdf_options",
    "scorecard_document",
    "write_whole",
]


class ExportFailed(ServiceError):
    """The PDF could not be written where asked (a missing folder, no permission, a full disk)."""


@dataclass(frozen=True)
class ExportResult:
    """What an export wrote."""

    path: Path
    pages: int
    note: str = ""  # e.g. why some scorecards are not in a debrief packet
    warning: str = ""  # e.g. a script of a name that no installed font can draw (pdf/fonts.py)


# --- content -----------------------------------------------------------------------------------------


def _competency_names(db: Database) -> dict[str, str]:
    from interviewkit.services import bank_queries

    return {c.id: c.name for c in bank_queries.competencies(db)}


def _panel(details: list[LoopDetail]) -> tuple[str, ...]:
    """The interviewers of these loops in stage order, each once (for stable "Interviewer A, B, …")."""
    names = [st.interviewer for d in details for st in d.stages if st.interviewer]
    return tuple(dict.fromkeys(names))


def _candidate_loops(db: Database, candidate_id: int) -> list[LoopDetail]:
    # The panel's names only fix the order of "Interviewer A, B, ..." (--hide-names); the caller has
    # already checked that the viewer may see this candidate.
    from interviewkit.services import loops

    summaries = sorted(loops.loops(db, candidate_id=candidate_id, by=LOCAL_ADMIN), key=lambda summary: summary.id)
    return [loops.loop_detail(db, summary.id, by=LOCAL_ADMIN) for summary in summaries]


def _stage_panel(db: Database, stage_id: int) -> tuple[str, ...]:
    """The panel of the loop a stage belongs to (for a scorecard's "Interviewer A, B, ...")."""
    from interviewkit.services import loops

    return _panel([loops.loop_detail(db, loops.stage_loop_id(db, stage_id), by=LOCAL_ADMIN)])


def scorecard_document(db: Database, scorecard_id: int, *, settings: BankSettings, viewer_id: Actor) -> ScorecardDoc:
    """A scorecard as printed, if ``viewer_id`` may read it
    (:func:`~interviewkit.services.policy.require_scorecard`)."""
    return _scorecard_document(
        db, scorecard_id, settings, viewer_id, _competency_names(db), lambda stage_id: _stage_panel(db, stage_id)
    )


def _scorecard_document(
    db: Database,
    scorecard_id: int,
    settings: BankSettings,
    viewer_id: Actor,
    competency_names: dict[str, str],
    panel_of: Callable[[int], tuple[str, ...]],
) -> ScorecardDoc:
    """:func:`scorecard_document` with the bank's competency names and the panel of a stage's loop given (a
    debrief packet reads them once for all its scorecards)."""
    from interviewkit.services.scorecards import RatingState, scorecard_state

    state = scorecard_state(db, scorecard_id, by=viewer_id)
    names = dict(competency_names)
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
                number=i,
                title=q.title,
                prompt=q.prompt,
                kind=q.kind,
                minutes=q.minutes,
                seconds_spent=q.seconds_spent,
                competencies=tuple(names.get(c, c) for c in q.competencies),
                planned=q.planned,
                notes=q.notes,
                evidence=q.evidence,
                ticks=q.evidence_ticks,
            )
            for i, q in numbered
        ),
        scale=settings.scale.labels,
        recommendations=settings.recommendations,
        panel=panel_of(state.stage_id),
    )


def debrief_rows(d: debrief_service.Debrief) -> tuple[GridRow, ...]:
    """The debrief PDF's grid: per competency each scorecard's rating (None: not rated in that stage), and the
    spread (highest - lowest) of two or more ratings, else None (printed "—", as the screen's grid shows it)."""
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
    return tuple(rows)


def debrief_document(db: Database, candidate_id: int, *, settings: BankSettings, viewer_id: Actor) -> DebriefDoc:
    """A candidate's debrief packet as ``viewer_id`` may see it (the debrief service enforces visibility)."""
    from interviewkit.services import debrief as debrief_service
    from interviewkit.services import people

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
            says_yes=(recommendations.index(c.recommendation) >= yes_from)
            if c.recommendation in recommendations
            else None,
        )
        for c in d.columns
    )
    names = _competency_names(db)
    loops_of_candidate = _candidate_loops(db, candidate_id)
    loop_of_stage = {st.id: detail for detail in loops_of_candidate for st in detail.stages}

    def panel_of(stage_id: int) -> tuple[str, ...]:
        detail = loop_of_stage.get(stage_id)
        return _panel([detail]) if detail is not None else _stage_panel(db, stage_id)

    scorecards = tuple(
        _scorecard_document(db, c.scorecard_id, settings, viewer_id, names, panel_of) for c in d.columns
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
        rows=debrief_rows(d),
        split_recommendation=d.split_recommendation,
        coverage=tuple(d.coverage),
        decision=d.decision,
        history=tuple(d.history),
        scorecards=scorecards,
        scale=settings.scale.labels,
        panel=_panel(loops_of_candidate),
    )


def kit_document(db: Database, stage_id: int, *, settings: BankSettings, by: Actor) -> KitDoc:
    """The interview kit of a stage: its planned questions (the pinned versions) and focus competencies; a
    recruiter's screen, its checklist (what it checks and what to ask, no answers). For whoever may see the
    candidate (their panel, the lead, those who plan loops)."""
    from interviewkit.services import bank_queries, loops, screening

    detail = loops.loop_detail(db, loops.stage_loop_id(db, stage_id), by=by)
    stage = next(st for st in detail.stages if st.id == stage_id)
    checks = screening.checklist_to_ask(db, stage_id) if stage.is_screen else ()
    comps = {c.id: c for c in bank_queries.competencies(db)}
    questions = []
    for i, planned in enumerate(stage.questions, start=1):
        q = bank_queries.question_detail(db, planned.question_id, planned.version)
        if q is None:  # cannot happen for a pinned version; skip rather than print half a question
            continue
        questions.append(
            KitQuestionDoc(
                number=i,
                title=q.title,
                prompt=q.prompt,
                kind=q.kind,
                minutes=q.minutes,
                competencies=tuple(name for _, name in q.competencies),
                follow_ups=q.follow_ups,
                rubric=q.rubric,
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
            FocusDoc(comps[c].name, comps[c].description, comps[c].strong_evidence)
            if c in comps
            else FocusDoc(c, "", "")
            for c in stage.focus
        ),
        questions=tuple(questions),
        scale=settings.scale.labels,
        recommendations=settings.recommendations,
        panel=_panel([detail]),
        checklist=tuple(KitCheckDoc(i.text or i.requirement_id, i.ask) for i in checks),
        is_screen=stage.is_screen,
    )


# --- writing -----------------------------------------------------------------------------------------


def pdf_options(page_size: str, hide_names: bool) -> PdfOptions:
    """The options of a PDF, or ValidationFailed naming a page size that does not exist."""
    try:
        return PdfOptions(page_size=page_size, hide_names=hide_names)
    except ValueError as exc:
        raise ValidationFailed([f"Page size: {exc}"]) from None


def check_target(path: Path | str) -> Path:
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


def _temporary(path: Path) -> tuple[int, Path]:
    """A new file beside ``path`` that nobody else has opened (its descriptor and name)."""
    flags = os.O_CREAT | os.O_EXCL | os.O_WRONLY | getattr(os, "O_BINARY", 0) | getattr(os, "O_NOFOLLOW", 0)
    for _ in range(100):
        tmp = path.parent / f".{path.name}.{secrets.token_hex(6)}.part"
        try:
            return os.open(tmp, flags, 0o666), tmp  # the umask applies
        except FileExistsError:
            continue
        except OSError as exc:
            raise ExportFailed(f"cannot write {path}: {exc.strerror or exc}") from None
    raise ExportFailed(f"cannot write {path}: no free temporary name beside it")


def write_whole(path: Path, data: bytes) -> None:
    """Write the whole file or nothing: a temporary file beside it, then renamed over it.

    The file gets the mode a new file of the person's would get (0o666 less their umask: 0644 under 022,
    0600 under 077), as any program's output does; a PDF holds candidates' data, so it is never made
    more open than the umask says."""
    fd, tmp = _temporary(path)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise ExportFailed(f"cannot write {path}: {exc.strerror or exc}") from None
