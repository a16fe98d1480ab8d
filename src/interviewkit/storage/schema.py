"""What this version of InterviewKit knows of the database schema, without importing Alembic.

Opening a database checks its Alembic revision against these lists; importing Alembic is left for the
rare start that must migrate. A test keeps these lists equal to the migration scripts.
"""

REVISIONS: tuple[str, ...] = (
    "0001", "0002", "0003", "0004", "0005", "0006", "0007", "0008", "0009", "0010", "0011", "0012", "0013",
    "0014", "0015", "0016",
)
HEAD = REVISIONS[-1]

# Tables of the current schema (besides ik_meta and alembic_version).
TABLES: tuple[str, ...] = (
    "job_description",
    "requirement",
    "competency",
    "question",
    "question_version",
    "question_competency",
    "question_requirement",
    "loop_template",
    "bank_file",
    "question_fts",
    "person",
    "opening",
    "opening_jd",
    "candidate",
    "interview_loop",
    "stage",
    "stage_question",
    "scorecard",
    "asked_question",
    "rating",
    "audit_event",
    "decision",
    "calibration_exercise",
    "exercise_score",
    "import_receipt",
    "screening_item",
    "screen_answer",
    "outcome",
    "calibration_stamp",
)

# Views of the current schema (revisions 0008, 0009): what screens and calibration read instead of the rows.
VIEWS: tuple[str, ...] = (
    "scorecard_status", "calibration_rating", "calibration_scorecard", "calibration_asked", "screen_progress"
)
