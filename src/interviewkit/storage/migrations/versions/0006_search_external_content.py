"""The full-text index keeps no copy of the text: it reads it from the stored question versions.

Until now the FTS5 table held its own copy of every indexed text (a fifth of the database). Now its
content is the view ``question_fts_source``, which makes those texts from ``question_version`` the way
the index sees them (title, prompt, competency names, rubric anchors, then probes and red flags), and
the index is filled from that view. The database shrinks by the size of the texts and a bank sync writes
them once instead of twice. Prefixes of 1 and 2 letters keep their own indexes; a 3-letter prefix is
looked up among the few words that start with it (about 1 ms more for 10,000 questions), which builds the
index a tenth faster.

The index must hold exactly the current version of every live question, since FTS5 reads a row's text
from the view to take the row out again (see interviewkit.storage.search). PostgreSQL's index (a tsvector
per version, 0003) holds no copy of the text and does not change.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-30
"""

from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

VIEW = """
CREATE VIEW question_fts_source AS
SELECT v.id AS id, v.title AS title, v.prompt AS prompt,
       COALESCE((SELECT group_concat(name, ' ') FROM (
           SELECT c.name AS name FROM question_competency qc JOIN competency c ON c.id = qc.competency_id
           WHERE qc.question_version_id = v.id ORDER BY qc.position)), '') AS competencies,
       COALESCE((SELECT group_concat(value, ' ') FROM (
           SELECT value FROM json_each(v.rubric) ORDER BY CAST(key AS INTEGER))), '') AS rubric,
       COALESCE((SELECT group_concat(value, char(10)) FROM json_each(v.follow_ups)), '') || char(10)
       || COALESCE((SELECT group_concat(value, char(10)) FROM json_each(v.red_flags)), '') AS follow_ups
FROM question_version v
"""
CREATE = (
    "CREATE VIRTUAL TABLE question_fts USING fts5("
    "title, prompt, competencies, rubric, follow_ups, "
    "tokenize='unicode61 remove_diacritics 2', prefix='1 2', "
    "content='question_fts_source', content_rowid='id')"
)
FILL = """
INSERT INTO question_fts (rowid, title, prompt, competencies, rubric, follow_ups)
SELECT s.id, s.title, s.prompt, s.competencies, s.rubric, s.follow_ups
FROM question q JOIN question_version v ON v.question_id = q.id AND v.version = q.current_version
JOIN question_fts_source s ON s.id = v.id
WHERE q.retired_at IS NULL
"""

# As 0003 made them.
CREATE_0003 = (
    "CREATE VIRTUAL TABLE question_fts USING fts5("
    "title, prompt, competencies, rubric, follow_ups, "
    "tokenize='unicode61 remove_diacritics 2', prefix='1 2 3')"
)


def _replace_index(create: str) -> None:
    """Make the index again with ``create`` and fill it from the view."""
    op.execute("DROP TABLE IF EXISTS question_fts")
    op.execute(create)
    op.execute(FILL)


def upgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    op.execute("DROP VIEW IF EXISTS question_fts_source")
    op.execute(VIEW)
    _replace_index(CREATE)


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    _replace_index(CREATE_0003)  # 0003's table keeps its own copy of the texts: the view can go
    op.execute("DROP VIEW question_fts_source")
