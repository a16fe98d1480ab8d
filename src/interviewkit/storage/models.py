"""The database schema, as SQLModel tables.

One coherent schema grows with the app; each release adds tables through an Alembic migration.

Bank content (revision 0001):
    job_description -> requirement
    competency
    question -> question_version (immutable; a changed file makes a new version)
    question_version <-> competency, question_version <-> requirement
    loop_template (the template's content as JSON)
    bank_file (what a sync last saw of each file, so an unchanged bank syncs without parsing)

Later revisions add, on the same keys: person (interviewers and their roles), opening (a role's job
descriptions), candidate, interview_loop -> stage -> stage_question (pinned question versions),
scorecard -> asked_question / rating, decision, audit_event. Anything recorded points at a
``question_version``, never at the mutable ``question``, so the text that was asked can always be shown.

Revision 0009 (the bank's second edition, issue 14): a question version's requirement links are primary
(counted as assessed) or related (``is_primary`` false); a version keeps its evidence checklist,
thresholds, examples, scope and ``variant_of``; ``screening_item`` holds screening.yaml; a stage has a
``kind`` (interview or screen) and a screen's ``checklist``, answered in ``screen_answer``; a question in a
scorecard keeps the evidence items the interviewer ticked.

Revision 0010 (issue 18): ``outcome``, dated reviews of hires (performance on the company's scale, left,
regretted, promoted), which calibration relates to interview scores.

Revision 0013 (issue 14): a screen stage's ``finished_at`` and ``finished_by``.
"""

# No ``from __future__ import annotations`` here: with the annotations as objects, pydantic and SQLAlchemy's
# declarative scan do not compile and evaluate about 300 strings when the 29 tables are made (every command
# that opens the database pays for that import). Every annotation below must therefore exist when it is read.

from datetime import UTC, date, datetime
from typing import Any, Protocol

from sqlalchemy import JSON, BigInteger, CheckConstraint, Column, Index, Table, Text, UniqueConstraint, inspect
from sqlmodel import Field, SQLModel
from sqlmodel.main import SQLModelConfig

__all__ = [
    "APPLICATION_ID",
    "SCREEN_ANSWERS",
    "BankFile",
    "Competency",
    "JobDescription",
    "LoopTemplate",
    "Meta",
    "Outcome",
    "Question",
    "QuestionCompetency",
    "QuestionRequirement",
    "QuestionVersion",
    "Requirement",
    "ScreenAnswer",
    "ScreeningItem",
    "UnsavedRow",
    "id_of",
    "table_of",
    "utcnow",
]

APPLICATION_ID = "interviewkit"


def utcnow() -> datetime:
    """The current time in UTC, timezone-aware."""
    return datetime.now(UTC)


class _Keyed(Protocol):
    """A row with a database-made integer key (``None`` until the row is flushed)."""

    @property
    def id(self) -> int | None: ...


class UnsavedRow(RuntimeError):
    """The id of a row was asked for before the database gave it one: a bug, never bad input."""


def id_of(row: _Keyed) -> int:
    """The id of a row that is in the database (loaded, or added and flushed).

    SQLModel types such a key ``int | None`` because a new row has none until it is flushed; asking for
    the id of a row that has none is a bug, and fails here rather than going on with a made-up 0.
    """
    if row.id is None:
        raise UnsavedRow(f"{type(row).__name__} has no id yet: it was not flushed to the database")
    return row.id


def table_of(model: type[SQLModel]) -> Table:
    """The Core table of a table model, for statements on many rows that need no ORM objects."""
    table = inspect(model).local_table
    if not isinstance(table, Table):
        raise TypeError(f"{model.__name__} is not a table model")
    return table


class _Table(SQLModel):
    """The base of every table model: pydantic builds a table's validator and serializer on first use, not
    when the class is made. Table models are not validated when constructed (SQLModel sets their attributes
    through SQLAlchemy), and nothing here asks pydantic to validate or dump a row, so a command pays for none
    of the 29 schemas (about a fifth of importing this module) and pydantic's scan of the installed packages
    for plugins is not run; ``Model.model_validate`` still works, building that model's schema then."""

    model_config = SQLModelConfig(defer_build=True)


class Meta(_Table, table=True):
    """Key/value facts about the database itself: which application made it, and with what version."""

    __tablename__ = "ik_meta"
    key: str = Field(primary_key=True, max_length=64)
    value: str = Field(sa_column=Column(Text, nullable=False))


class JobDescription(_Table, table=True):
    """A job description, stored verbatim, with where it came from."""

    __tablename__ = "job_description"
    id: str = Field(primary_key=True, max_length=120)
    title: str = Field(max_length=300)
    source_name: str = Field(default="", max_length=300)
    text: str = Field(sa_column=Column(Text, nullable=False))
    content_hash: str = Field(max_length=64)
    origin: str = Field(default="bank", max_length=16)  # "bank" (synced) or "import"
    imported_at: datetime = Field(default_factory=utcnow)
    retired_at: datetime | None = None


class Requirement(_Table, table=True):
    """One requirement of a job description."""

    __tablename__ = "requirement"
    id: str = Field(primary_key=True, max_length=200)
    jd_id: str = Field(foreign_key="job_description.id", index=True, max_length=120)
    section: str = Field(max_length=300)
    position: int
    text: str = Field(sa_column=Column(Text, nullable=False))
    retired_at: datetime | None = None
    # Revision 0011: "must" or "nice" as imported (reviewed); None on rows written before it, whose priority
    # is found from the section and text (bank.jd_vocabulary.priority_of).
    priority: str | None = Field(default=None, max_length=8)


class Competency(_Table, table=True):
    """A competency of the framework."""

    __tablename__ = "competency"
    id: str = Field(primary_key=True, max_length=80)
    name: str = Field(max_length=200)
    description: str = Field(sa_column=Column(Text, nullable=False))
    strong_evidence: str = Field(sa_column=Column(Text, nullable=False))
    position: int = 0
    retired_at: datetime | None = None


class Question(_Table, table=True):
    """A question's identity; its content lives in versions."""

    __tablename__ = "question"
    id: str = Field(primary_key=True, max_length=120)
    current_version: int = 1
    created_at: datetime = Field(default_factory=utcnow)
    retired_at: datetime | None = None


class QuestionVersion(_Table, table=True):
    """The exact content of a question at one point in time. Never changed once written."""

    __tablename__ = "question_version"
    __table_args__ = (UniqueConstraint("question_id", "version"),)
    id: int | None = Field(default=None, primary_key=True)
    question_id: str = Field(foreign_key="question.id", index=True, max_length=120)
    version: int
    content_hash: str = Field(max_length=64)
    title: str = Field(max_length=300)
    kind: str = Field(max_length=32)
    level: str = Field(default="", max_length=40)
    minutes: int
    prompt: str = Field(sa_column=Column(Text, nullable=False))
    follow_ups: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    rubric: dict[str, str] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    red_flags: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    source_path: str = Field(default="", max_length=500)
    created_at: datetime = Field(default_factory=utcnow)
    # Revision 0009: the second edition's content (empty on a first-edition version).
    evidence: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    thresholds: dict[str, str] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))  # level -> rule
    examples: dict[str, str] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))  # level -> text
    scope: str = Field(default="", sa_column=Column(Text, nullable=False))
    variant_of: str | None = Field(default=None, max_length=120)


class QuestionCompetency(_Table, table=True):
    """A question version assesses a competency."""

    __tablename__ = "question_competency"
    question_version_id: int = Field(foreign_key="question_version.id", primary_key=True)
    competency_id: str = Field(foreign_key="competency.id", primary_key=True, max_length=80)
    position: int = 0


class QuestionRequirement(_Table, table=True):
    """A question version gathers evidence for a requirement: built to (``is_primary``, counted as assessed)
    or only touching it (a related requirement, listed apart and never counted). Versions written before
    revision 0009 keep every link primary: that is how they were counted when they were asked."""

    __tablename__ = "question_requirement"
    __table_args__ = (Index("ix_question_requirement_requirement", "requirement_id"),)
    question_version_id: int = Field(foreign_key="question_version.id", primary_key=True)
    requirement_id: str = Field(foreign_key="requirement.id", primary_key=True, max_length=200)
    is_primary: bool = True


class ScreeningItem(_Table, table=True):
    """A requirement a recruiter's screen checks instead of an interview question (screening.yaml)."""

    __tablename__ = "screening_item"
    requirement_id: str = Field(foreign_key="requirement.id", primary_key=True, max_length=200)
    ask: str = Field(sa_column=Column(Text, nullable=False))
    position: int = 0
    retired_at: datetime | None = None


class LoopTemplate(_Table, table=True):
    """An interview loop template from the bank."""

    __tablename__ = "loop_template"
    id: str = Field(primary_key=True, max_length=120)
    name: str = Field(max_length=300)
    content: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    content_hash: str = Field(max_length=64)
    retired_at: datetime | None = None


class BankFile(_Table, table=True):
    """What the last sync saw of one bank file: lets an unchanged bank sync without parsing it."""

    __tablename__ = "bank_file"
    path: str = Field(primary_key=True, max_length=500)
    size: int
    mtime_ns: int = Field(sa_type=BigInteger)  # nanoseconds since 1970 exceed 32 bits (PostgreSQL checks)
    sha256: str = Field(max_length=64)


# --- Revision 0002: people, openings, candidates, loops, scorecards, audit ----------------------------

ACCESS_ROLES = ("interviewer", "coordinator", "hiring_manager", "admin")


class Person(_Table, table=True):
    """Someone who interviews, plans loops or decides: the local directory of interviewers."""

    __tablename__ = "person"
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=200)
    email: str = Field(max_length=320, unique=True)
    title: str = Field(default="", max_length=200)  # job title, optional ("Staff ML Engineer")
    access_role: str = Field(default="interviewer", max_length=20)
    active: bool = True
    created_at: datetime = Field(default_factory=utcnow)
    db_login: str | None = Field(default=None, max_length=63, unique=True)  # their PostgreSQL login (0007)
    public_key: str | None = Field(default=None, max_length=100)  # "ed25519:<base64>": signs their files (0007)
    key_set_at: datetime | None = None


class Opening(_Table, table=True):
    """A role being hired for; its requirements come from one or more job descriptions."""

    __tablename__ = "opening"
    id: int | None = Field(default=None, primary_key=True)
    title: str = Field(max_length=300)
    hiring_manager_id: int | None = Field(default=None, foreign_key="person.id")
    status: str = Field(default="open", max_length=20)  # open | closed
    created_at: datetime = Field(default_factory=utcnow)


class OpeningJD(_Table, table=True):
    """An opening draws requirements from a job description."""

    __tablename__ = "opening_jd"
    opening_id: int = Field(foreign_key="opening.id", primary_key=True)
    jd_id: str = Field(foreign_key="job_description.id", primary_key=True, max_length=120)


class Candidate(_Table, table=True):
    """A candidate for an opening. Personal fields can be erased while ratings stay for calibration."""

    __tablename__ = "candidate"
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=200)
    email: str = Field(default="", max_length=320)
    phone: str = Field(default="", max_length=60)
    opening_id: int = Field(foreign_key="opening.id", index=True)
    created_at: datetime = Field(default_factory=utcnow)
    erased_at: datetime | None = None


class InterviewLoop(_Table, table=True):
    """The interviews planned for one candidate."""

    __tablename__ = "interview_loop"
    id: int | None = Field(default=None, primary_key=True)
    candidate_id: int = Field(foreign_key="candidate.id", index=True)
    template_id: str | None = Field(default=None, max_length=120)
    name: str = Field(default="", max_length=300)
    created_at: datetime = Field(default_factory=utcnow)


class Stage(_Table, table=True):
    """One interview of a loop: who, when, how long, what it assesses."""

    __tablename__ = "stage"
    id: int | None = Field(default=None, primary_key=True)
    loop_id: int = Field(foreign_key="interview_loop.id", index=True)
    position: int
    name: str = Field(max_length=200)
    interviewer_id: int | None = Field(default=None, foreign_key="person.id", index=True)
    scheduled_at: datetime | None = None
    minutes: int = 60
    focus: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    kind: str = Field(default="interview", max_length=20)  # "interview" | "screen" (revision 0009)
    checklist: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))  # screen: requirements
    # A screen stage, once finished (revision 0013): its answers are then the record, amended only with a reason.
    finished_at: datetime | None = None
    finished_by: int | None = Field(default=None, foreign_key="person.id")


class StageQuestion(_Table, table=True):
    """A planned question of a stage, pinned to the version that was current when planned."""

    __tablename__ = "stage_question"
    __table_args__ = (UniqueConstraint("stage_id", "position"),)
    id: int | None = Field(default=None, primary_key=True)
    stage_id: int = Field(foreign_key="stage.id", index=True)
    position: int
    question_version_id: int = Field(foreign_key="question_version.id")


class Scorecard(_Table, table=True):
    """An interviewer's record of one stage: the draft while interviewing, locked once submitted."""

    __tablename__ = "scorecard"
    id: int | None = Field(default=None, primary_key=True)
    stage_id: int = Field(foreign_key="stage.id", unique=True)
    interviewer_id: int = Field(foreign_key="person.id", index=True)
    status: str = Field(default="draft", max_length=20)  # draft | submitted
    current_position: int = 0
    elapsed_seconds: float = 0.0
    recommendation: str | None = Field(default=None, max_length=40)
    summary: str = Field(default="", sa_column=Column(Text, nullable=False))
    started_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)
    submitted_at: datetime | None = None
    lock_owner: str | None = Field(default=None, max_length=80)  # which app instance has it open
    lock_heartbeat: datetime | None = None
    revision: int = 0  # bumped by every save: detects writes from elsewhere
    imported_hash: str | None = Field(default=None, max_length=64)  # content hash of an imported export


class AskedQuestion(_Table, table=True):
    """A question in a scorecard (planned or added live) with the notes taken on it."""

    __tablename__ = "asked_question"
    __table_args__ = (UniqueConstraint("scorecard_id", "question_version_id"),)
    id: int | None = Field(default=None, primary_key=True)
    scorecard_id: int = Field(foreign_key="scorecard.id", index=True)
    position: int
    question_version_id: int = Field(foreign_key="question_version.id")
    planned: bool = True
    notes: str = Field(default="", sa_column=Column(Text, nullable=False))
    seconds_spent: float = 0.0
    # The evidence items (numbered from 1) the interviewer ticked as heard (revision 0009).
    evidence_ticks: list[int] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))


class Rating(_Table, table=True):
    """A rating of one competency in a scorecard, or an explicit 'not assessed' with its reason."""

    __tablename__ = "rating"
    scorecard_id: int = Field(foreign_key="scorecard.id", primary_key=True)
    competency_id: str = Field(foreign_key="competency.id", primary_key=True, max_length=80)
    score: int | None = None
    not_assessed: bool = False
    reason: str = Field(default="", sa_column=Column(Text, nullable=False))
    evidence: str = Field(default="", sa_column=Column(Text, nullable=False))


class AuditEvent(_Table, table=True):
    """One entry of the append-only audit trail. The database refuses updates and deletes, except
    the one-way redaction of personal data that an erasure performs."""

    __tablename__ = "audit_event"
    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=utcnow, index=True)
    actor_id: int | None = Field(default=None, foreign_key="person.id")
    entity: str = Field(max_length=40)  # "scorecard", "decision", "candidate", ...
    entity_id: str = Field(max_length=80, index=True)
    action: str = Field(max_length=40)  # "submitted", "amended", "override", "erased", ...
    reason: str = Field(default="", sa_column=Column(Text, nullable=False))
    detail: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    redacted_at: datetime | None = None


# --- Revision 0004: decisions and scorecard exchange ------------------------------------------------

DECISION_OUTCOMES = ("hire", "no_hire", "hold", "more_information")


class Decision(_Table, table=True):
    """A hiring panel's decision on a candidate. A reopened decision is superseded, never changed."""

    __tablename__ = "decision"
    id: int | None = Field(default=None, primary_key=True)
    candidate_id: int = Field(foreign_key="candidate.id", index=True)
    outcome: str = Field(max_length=30)
    rationale: str = Field(sa_column=Column(Text, nullable=False))
    decided_by: int = Field(foreign_key="person.id")
    participants: list[int] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    decided_at: datetime = Field(default_factory=utcnow)
    superseded_by: int | None = Field(default=None, foreign_key="decision.id")
    reopen_reason: str = Field(default="", sa_column=Column(Text, nullable=False))


# --- Revision 0005: calibration exercises -----------------------------------------------------------


class CalibrationExercise(_Table, table=True):
    """A reference answer (a written transcript) to a question version, with the rating a panel agreed
    on and why. Interviewers score it blind; the agreed rating is shown once they have scored."""

    __tablename__ = "calibration_exercise"
    id: int | None = Field(default=None, primary_key=True)
    question_version_id: int = Field(foreign_key="question_version.id", index=True)
    title: str = Field(max_length=300)
    transcript: str = Field(sa_column=Column(Text, nullable=False))  # Markdown
    agreed_score: int
    rationale: str = Field(default="", sa_column=Column(Text, nullable=False))
    created_by: int = Field(foreign_key="person.id")
    created_at: datetime = Field(default_factory=utcnow)
    archived: bool = False


class ExerciseScore(_Table, table=True):
    """One interviewer's blind score of a calibration exercise (one per interviewer, final once sent)."""

    __tablename__ = "exercise_score"
    exercise_id: int = Field(foreign_key="calibration_exercise.id", primary_key=True)
    interviewer_id: int = Field(foreign_key="person.id", primary_key=True, index=True)
    score: int
    notes: str = Field(default="", sa_column=Column(Text, nullable=False))
    submitted_at: datetime = Field(default_factory=utcnow)


# --- Revision 0007: who a login is, signing keys, import receipts ------------------------------------


class ImportReceipt(_Table, table=True):
    """One imported thing (a ratings CSV, a scorecard file), keyed by a hash of its content: the same
    content imported twice, or by two processes at once, is written once."""

    __tablename__ = "import_receipt"
    content_key: str = Field(primary_key=True, max_length=64)
    kind: str = Field(max_length=20)  # "ratings_csv" | "scorecard_file"
    source: str = Field(max_length=300)  # the file name it came from
    imported_at: datetime = Field(default_factory=utcnow)
    actor_id: int | None = Field(default=None, foreign_key="person.id")
    scorecard_id: int | None = Field(default=None, foreign_key="scorecard.id")
    detail: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))


# --- Revision 0009: the recruiter's screen ---------------------------------------------------------------

SCREEN_ANSWERS = ("yes", "no", "unclear")


class ScreenAnswer(_Table, table=True):
    """The answer to one item of a screen stage's checklist: yes, no or unclear, with a note, who and when.
    Written by the stage's interviewer (or an admin); read like a scorecard, by the panel and the lead."""

    __tablename__ = "screen_answer"
    __table_args__ = (CheckConstraint("answer IN ('yes', 'no', 'unclear')", name="ck_screen_answer_answer"),)
    stage_id: int = Field(foreign_key="stage.id", primary_key=True)
    requirement_id: str = Field(foreign_key="requirement.id", primary_key=True, max_length=200)
    answer: str = Field(max_length=10)
    note: str = Field(default="", sa_column=Column(Text, nullable=False))
    answered_by: int | None = Field(default=None, foreign_key="person.id")
    answered_at: datetime = Field(default_factory=utcnow)


# --- Revision 0010: outcomes of hires -----------------------------------------------------------------------


class Outcome(_Table, table=True):
    """One dated review of a hired candidate: the performance rating on the company's scale (its ends stored
    with it), whether they have left (regretted or not) and were promoted, who recorded it and when. Read by
    hiring managers, admins and the opening's lead; written by admins and the lead (services/outcomes.py)."""

    __tablename__ = "outcome"
    __table_args__ = (
        UniqueConstraint("candidate_id", "reviewed_on", name="uq_outcome_candidate_date"),
        CheckConstraint("scale_low < scale_high", name="ck_outcome_scale"),
        CheckConstraint(
            "performance IS NULL OR (performance >= scale_low AND performance <= scale_high)",
            name="ck_outcome_performance",
        ),
    )
    id: int | None = Field(default=None, primary_key=True)
    candidate_id: int = Field(foreign_key="candidate.id", index=True)
    reviewed_on: date
    performance: float | None = None
    scale_low: float
    scale_high: float
    has_left: bool | None = None
    regretted: bool | None = None
    promoted: bool | None = None
    note: str = Field(default="", sa_column=Column(Text, nullable=False, server_default=""))
    recorded_by: int | None = Field(default=None, foreign_key="person.id")
    recorded_at: datetime = Field(default_factory=utcnow)
