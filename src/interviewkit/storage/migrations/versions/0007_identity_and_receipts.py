"""Who a database login is, each person's signing key, and receipts that make imports idempotent.

* ``person.db_login``: the PostgreSQL login a person signs in with (a team database maps logins to
  people; the row-level security of revision 0008 reads it). Unique where set.
* ``person.public_key``: the person's Ed25519 public key (``ed25519:`` and 32 bytes in base64), with
  which their scorecard exchange files must be signed.
* ``import_receipt``: one row per imported thing (a ratings CSV file, a scorecard exchange file), keyed by
  a hash of its content, so that the same import twice, or two at once, writes once.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("person") as batch:
        batch.add_column(sa.Column("db_login", sa.String(63), nullable=True))
        batch.add_column(sa.Column("public_key", sa.String(100), nullable=True))
        batch.add_column(sa.Column("key_set_at", sa.DateTime(timezone=True), nullable=True))
        batch.create_unique_constraint("uq_person_db_login", ["db_login"])
    op.create_table(
        "import_receipt",
        sa.Column("content_key", sa.String(64), primary_key=True),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("source", sa.String(300), nullable=False),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor_id", sa.Integer, sa.ForeignKey("person.id"), nullable=True),
        sa.Column("scorecard_id", sa.Integer, sa.ForeignKey("scorecard.id"), nullable=True),
        sa.Column("detail", sa.JSON, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("import_receipt")
    with op.batch_alter_table("person") as batch:
        batch.drop_constraint("uq_person_db_login", type_="unique")
        batch.drop_column("key_set_at")
        batch.drop_column("public_key")
        batch.drop_column("db_login")
