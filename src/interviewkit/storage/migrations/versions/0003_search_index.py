"""Rebuild the full-text index keyed by question version, with prefix indexes.

The index of 0001 stored the question id as an unindexed column, so removing a question from it
scanned the whole index, and prefix searches ("dep" while typing) walked every term. Now each row's
rowid is the question_version id (found by primary key) and prefixes of 1 to 3 letters are indexed.
The index is derived data: it is rebuilt from the stored question versions.

On PostgreSQL the index is a table of one tsvector per question version with a GIN index (see
interviewkit.storage.search, which makes the lexemes the way FTS5 does).

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22
"""

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

CREATE = (
    "CREATE VIRTUAL TABLE question_fts USING fts5("
    "title, prompt, competencies, rubric, follow_ups, "
    "tokenize='unicode61 remove_diacritics 2', prefix='1 2 3')"
)
FILL = """
INSERT INTO question_fts (rowid, title, prompt, competencies, rubric, follow_ups)
SELECT v.id, v.title, v.prompt,
       COALESCE((SELECT group_concat(c.name, ' ') FROM question_competency qc
                 JOIN competency c ON c.id = qc.competency_id
                 WHERE qc.question_version_id = v.id), ''),
       v.rubric, v.follow_ups || ' ' || v.red_flags
FROM question q JOIN question_version v ON v.question_id = q.id AND v.version = q.current_version
WHERE q.retired_at IS NULL
"""


PG_CREATE = (
    "CREATE TABLE question_fts (version_id INTEGER PRIMARY KEY, doc TSVECTOR NOT NULL)",
    "CREATE INDEX ix_question_fts_doc ON question_fts USING GIN (doc)",
)


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        from interviewkit.storage import search

        op.execute("DROP TABLE IF EXISTS question_fts")
        for statement in PG_CREATE:
            op.execute(statement)
        search.rebuild(op.get_bind())
        return
    if dialect != "sqlite":
        return
    op.execute("DROP TABLE IF EXISTS question_fts")
    op.execute(CREATE)
    op.execute(FILL)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TABLE IF EXISTS question_fts")
        return
    if op.get_bind().dialect.name != "sqlite":
        return
    op.execute("DROP TABLE IF EXISTS question_fts")
    op.execute(
        "CREATE VIRTUAL TABLE question_fts USING fts5("
        "question_id UNINDEXED, title, prompt, competencies, rubric, follow_ups, "
        "tokenize='unicode61 remove_diacritics 2')"
    )
