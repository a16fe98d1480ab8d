"""A requirement's priority, stored (issue 20): ``requirement.priority`` is 'must' or 'nice'.

Until now a requirement's priority was found again from its section and text whenever it was read
(``bank.jd_vocabulary.priority_of``). Once people review an imported job description before it is saved
(retag a requirement, move it to another section, merge two), the text no longer says it: the priority
they chose is stored. Rows written before this revision keep NULL, which readers take as "as the section
and text say" (the next bank sync or import of their document writes it).

A plain ADD COLUMN (no table rebuild: foreign keys and views refer to ``requirement``); on PostgreSQL the
column is under the table's policies of revision 0008 (the bank: read by everyone, changed by admins).

Revision ID: 0011
Revises: 0010
Create Date: 2027-01-20
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("requirement", sa.Column("priority", sa.String(8), nullable=True))


def downgrade() -> None:
    op.drop_column("requirement", "priority")
