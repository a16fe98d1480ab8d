"""Calibration exercises: score a reference answer blind, then see how far you are from the agreed rating.

An exercise is a written transcript (Markdown) of an answer to one question version, with the rating a
panel agreed on (one whole number on the bank's scale) and the rationale for it. Interviewers read the
question and the transcript and give their own rating; only then do they see the agreed rating, every
interviewer's deviation from it and the spread of the scores.

The rule that keeps the exercise blind lives here, not in a screen: the agreed rating, the rationale and
the other interviewers' scores are returned only to someone who has submitted their own score, to the
person who created the exercise, or to an admin. Everyone else gets ``None`` for them and
:func:`exercise_results` refuses with :class:`PermissionDenied`. A score, once submitted, is final
(changing it after seeing the answer would measure nothing), and the creator does not score their own
exercise (they wrote the answer key).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime

from sqlalchemy import func, select
from sqlmodel import Session, col

from interviewkit.bank.model import BankSettings
from interviewkit.services import audit
from interviewkit.services.changes import NO_CHANGES, Changes
from interviewkit.services.errors import NotFound, PermissionDenied, ValidationFailed
from interviewkit.storage.db import Database
from interviewkit.storage.models import (
    CalibrationExercise,
    ExerciseScore,
    Person,
    Question,
    QuestionVersion,
    id_of,
    utcnow,
)

__all__ = [
    "ExerciseDetail",
    "ExerciseResults",
    "ExerciseSummary",
    "ScoreResult",
    "archive_exercise",
    "create_exercise",
    "exercise",
    "exercise_results",
    "exercises",
    "submit_exercise_score",
]

MAX_TITLE = 300


@dataclass(frozen=True)
class ExerciseSummary:
    """A row of the list of exercises, as one person may see it."""

    id: int
    title: str
    question_title: str
    created_by: str
    created_at: datetime
    scores: int  # how many interviewers have scored it
    my_score: int | None  # the viewer's own score, None if not scored yet
    may_see_answer: bool  # the viewer may see the agreed rating and the results
    is_creator: bool
    changes: Changes = field(default=NO_CHANGES, compare=False, repr=False, kw_only=True)  # what a write changed


@dataclass(frozen=True)
class ExerciseDetail:
    """What the scoring page shows: the question as it was (that version), the transcript, and, only
    for someone allowed to see it, the agreed rating and its rationale."""

    id: int
    title: str
    question_id: str
    question_version: int
    question_title: str
    prompt: str  # Markdown
    rubric: tuple[tuple[int, str], ...]
    transcript: str  # Markdown
    created_by: str
    created_at: datetime
    my_score: int | None
    may_score: bool  # not scored yet and not its creator
    why_not_score: str  # when may_score is False: why
    agreed_score: int | None  # None unless the viewer may see it
    rationale: str | None  # None unless the viewer may see it


@dataclass(frozen=True)
class ScoreResult:
    """One interviewer's score and how far it is from the agreed rating (positive: more generous)."""

    interviewer_id: int
    interviewer: str
    score: int
    deviation: int
    notes: str
    submitted_at: datetime


@dataclass(frozen=True)
class ExerciseResults:
    """The agreed rating, everyone's score with its deviation, and the spread of the scores."""

    exercise_id: int
    title: str
    agreed_score: int
    agreed_label: str
    rationale: str
    scores: tuple[ScoreResult, ...]  # by deviation, most generous first, then by name
    n: int
    mean: float | None
    sd: float | None  # sample SD (n - 1); None with fewer than 2 scores
    low: int | None
    high: int | None
    mean_deviation: float | None  # mean of (score - agreed): the group's bias
    mean_abs_deviation: float | None
    exact_share: float | None  # share of scores equal to the agreed rating
    changes: Changes = field(default=NO_CHANGES, compare=False, repr=False, kw_only=True)  # what a write changed

    @property
    def range_text(self) -> str:
        if self.low is None or self.high is None:
            return "—"
        return str(self.low) if self.low == self.high else f"{self.low}–{self.high}"


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def _viewer(s: Session, viewer_id: int | None) -> Person:
    if viewer_id is None:
        raise PermissionDenied("Nobody is signed in: choose who you are to take part in calibration exercises.")
    person = s.get(Person, viewer_id) if isinstance(viewer_id, int) else None
    if person is None:
        raise NotFound(f"No person with id {viewer_id}")
    if not person.active:
        raise PermissionDenied(f"{person.name} is inactive and may not take part in calibration exercises.")
    return person


def _exercise(s: Session, exercise_id: int) -> CalibrationExercise:
    ex = s.get(CalibrationExercise, exercise_id)
    if ex is None:
        raise NotFound(f"No calibration exercise with id {exercise_id}")
    return ex


def _own_score(s: Session, exercise_id: int, viewer_id: int) -> ExerciseScore | None:
    return s.get(ExerciseScore, (exercise_id, viewer_id))


def _may_see(ex: CalibrationExercise, viewer: Person, scored: bool) -> bool:
    return scored or ex.created_by == viewer.id or viewer.access_role == "admin"


def create_exercise(
    db: Database,
    *,
    question_id: str,
    transcript: str,
    agreed_score: int,
    rationale: str,
    created_by: int,
    settings: BankSettings,
    title: str = "",
    version: int | None = None,
) -> ExerciseSummary:
    """A new exercise on a question (its current version unless ``version`` is given).

    Checks: the question and version exist, the transcript is not empty, the agreed rating is a level of
    the bank's scale, and the rationale says why (an agreed rating nobody can explain does not calibrate
    anyone). Every problem is reported at once.
    """
    problems = []
    if not transcript.strip():
        problems.append("Transcript: paste the answer to be scored")
    if agreed_score not in settings.scale.levels:
        problems.append(
            f"Agreed rating: one of {', '.join(str(v) for v in settings.scale.levels)} (the bank's scale), not "
            f"{agreed_score}"
        )
    if not rationale.strip():
        problems.append("Rationale: say why the panel agreed on this rating")
    if len(title.strip()) > MAX_TITLE:
        problems.append(f"Title: at most {MAX_TITLE} characters")
    with db.transaction() as s:
        creator = _viewer(s, created_by)
        q = s.get(Question, question_id)
        qv = None
        if q is None:
            problems.append(f"Question: no question '{question_id}' in the bank")
        else:
            qv = s.scalars(
                select(QuestionVersion).where(
                    col(QuestionVersion.question_id) == question_id,
                    col(QuestionVersion.version) == (version or q.current_version),
                )
            ).first()
            if qv is None:
                problems.append(f"Question: '{question_id}' has no version {version}")
        if problems:
            raise ValidationFailed(problems)
        assert qv is not None
        ex = CalibrationExercise(
            question_version_id=id_of(qv),
            title=title.strip() or f"Reference answer: {qv.title}"[:MAX_TITLE],
            transcript=transcript.strip(),
            agreed_score=int(agreed_score),
            rationale=rationale.strip(),
            created_by=id_of(creator),
        )
        s.add(ex)
        s.flush()
        audit.record(s, actor_id=creator.id, entity="calibration_exercise", entity_id=id_of(ex), action="created",
                     detail={"question_version_id": ex.question_version_id})
        return ExerciseSummary(id_of(ex), ex.title, qv.title, creator.name, _aware(ex.created_at), 0, None, True, True,
                               changes=Changes.of(exercises=[id_of(ex)]))


def exercises(db: Database, viewer_id: int, *, include_archived: bool = False) -> list[ExerciseSummary]:
    """The exercises, newest first, with the viewer's own score and whether they may see the answer."""
    with db.session() as s:
        viewer = _viewer(s, viewer_id)
        stmt = (
            select(CalibrationExercise, col(QuestionVersion.title), col(Person.name))
            .join(QuestionVersion, col(QuestionVersion.id) == col(CalibrationExercise.question_version_id))
            .join(Person, col(Person.id) == col(CalibrationExercise.created_by))
            .order_by(col(CalibrationExercise.created_at).desc(), col(CalibrationExercise.id).desc())
        )
        if not include_archived:
            stmt = stmt.where(col(CalibrationExercise.archived).is_(False))
        rows = s.execute(stmt).all()
        counts = dict(
            s.execute(
                select(col(ExerciseScore.exercise_id), func.count()).group_by(col(ExerciseScore.exercise_id))
            ).all()
        )
        mine = dict(
            s.execute(
                select(col(ExerciseScore.exercise_id), col(ExerciseScore.score)).where(
                    col(ExerciseScore.interviewer_id) == viewer_id
                )
            ).all()
        )
        out = []
        for ex, qtitle, creator in rows:
            eid = id_of(ex)
            own = mine.get(eid)
            out.append(
                ExerciseSummary(
                    eid,
                    ex.title,
                    qtitle,
                    creator,
                    _aware(ex.created_at),
                    int(counts.get(eid, 0)),
                    None if own is None else int(own),
                    _may_see(ex, viewer, own is not None),
                    ex.created_by == viewer_id,
                )
            )
        return out


def exercise(db: Database, exercise_id: int, viewer_id: int) -> ExerciseDetail:
    """One exercise as ``viewer_id`` may see it: the agreed rating and rationale only once they scored
    (or created it, or are an admin)."""
    with db.session() as s:
        viewer = _viewer(s, viewer_id)
        ex = _exercise(s, exercise_id)
        qv = s.get(QuestionVersion, ex.question_version_id)
        assert qv is not None
        creator = s.get(Person, ex.created_by)
        own = _own_score(s, exercise_id, viewer_id)
        see = _may_see(ex, viewer, own is not None)
        if own is not None:
            why = "You have scored this exercise; a score is final."
        elif ex.created_by == viewer_id:
            why = "You created this exercise and know its agreed rating, so your score would not be blind."
        elif ex.archived:
            why = "This exercise is archived: it no longer takes scores."
        else:
            why = ""
        return ExerciseDetail(
            id=id_of(ex),
            title=ex.title,
            question_id=qv.question_id,
            question_version=qv.version,
            question_title=qv.title,
            prompt=qv.prompt,
            rubric=tuple(sorted((int(k), a) for k, a in qv.rubric.items())),
            transcript=ex.transcript,
            created_by=creator.name if creator else "",
            created_at=_aware(ex.created_at),
            my_score=None if own is None else int(own.score),
            may_score=not why,
            why_not_score=why,
            agreed_score=ex.agreed_score if see else None,
            rationale=ex.rationale if see else None,
        )


def submit_exercise_score(
    db: Database, exercise_id: int, interviewer_id: int, score: int, *, settings: BankSettings, notes: str = ""
) -> ExerciseResults:
    """Record ``interviewer_id``'s blind score and return the results they may now see."""
    with db.transaction() as s:
        person = _viewer(s, interviewer_id)
        ex = _exercise(s, exercise_id)
        if _own_score(s, exercise_id, interviewer_id) is not None:
            raise ValidationFailed(["You have already scored this exercise; a score is final."])
        if ex.created_by == interviewer_id:
            raise PermissionDenied(
                "You created this exercise and know its agreed rating, so your score would not be blind."
            )
        if ex.archived:
            raise ValidationFailed(["This exercise is archived: it no longer takes scores."])
        if score not in settings.scale.levels:
            raise ValidationFailed(
                [f"Score: one of {', '.join(str(v) for v in settings.scale.levels)} (the bank's scale), not {score}"]
            )
        s.add(ExerciseScore(exercise_id=exercise_id, interviewer_id=id_of(person), score=int(score),
                            notes=notes.strip(), submitted_at=utcnow()))
        audit.record(s, actor_id=person.id, entity="calibration_exercise", entity_id=exercise_id, action="scored")
    results = exercise_results(db, exercise_id, interviewer_id, settings=settings)
    return replace(results, changes=Changes.of(exercises=[exercise_id]))


def exercise_results(db: Database, exercise_id: int, viewer_id: int, *, settings: BankSettings) -> ExerciseResults:
    """The agreed rating, each interviewer's score and deviation, and the spread (mean, SD, range).

    Raises :class:`PermissionDenied` for a viewer who has not scored the exercise, unless they created it
    or are an admin: the results would give the answer away.
    """
    with db.session() as s:
        viewer = _viewer(s, viewer_id)
        ex = _exercise(s, exercise_id)
        own = _own_score(s, exercise_id, viewer_id)
        if not _may_see(ex, viewer, own is not None):
            raise PermissionDenied(
                "Score this exercise first: the agreed rating and the results are shown once your score is in."
            )
        rows = s.execute(
            select(ExerciseScore, col(Person.name))
            .join(Person, col(Person.id) == col(ExerciseScore.interviewer_id))
            .where(col(ExerciseScore.exercise_id) == exercise_id)
        ).all()
        agreed = int(ex.agreed_score)
        scores = [
            ScoreResult(
                int(sc.interviewer_id), name, int(sc.score), int(sc.score) - agreed, sc.notes, _aware(sc.submitted_at)
            )
            for sc, name in rows
        ]
        title, rationale = ex.title, ex.rationale
    scores.sort(key=lambda r: (-r.deviation, r.interviewer.lower()))
    values = [r.score for r in scores]
    n = len(values)
    mean = sum(values) / n if n else None
    sd = math.sqrt(sum((v - (mean or 0.0)) ** 2 for v in values) / (n - 1)) if n >= 2 else None
    return ExerciseResults(
        exercise_id=exercise_id,
        title=title,
        agreed_score=agreed,
        agreed_label=settings.scale.label(agreed) if agreed in settings.scale.levels else "",
        rationale=rationale,
        scores=tuple(scores),
        n=n,
        mean=mean,
        sd=sd,
        low=min(values) if values else None,
        high=max(values) if values else None,
        mean_deviation=(mean - agreed) if mean is not None else None,
        mean_abs_deviation=sum(abs(r.deviation) for r in scores) / n if n else None,
        exact_share=sum(1 for r in scores if r.deviation == 0) / n if n else None,
    )


def archive_exercise(db: Database, exercise_id: int, actor_id: int) -> Changes:
    """Stop an exercise taking scores and hide it from the list (its creator or an admin)."""
    with db.transaction() as s:
        actor = _viewer(s, actor_id)
        ex = _exercise(s, exercise_id)
        if ex.created_by != actor_id and actor.access_role != "admin":
            raise PermissionDenied("Only the exercise's creator or an admin can archive it.")
        ex.archived = True
        s.add(ex)
        audit.record(s, actor_id=actor_id, entity="calibration_exercise", entity_id=exercise_id, action="archived")
    return Changes.of(exercises=[exercise_id])
