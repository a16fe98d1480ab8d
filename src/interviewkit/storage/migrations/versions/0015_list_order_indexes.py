"""Lists read a page at a time, newest first (issue 17): ``interview_loop`` and ``candidate`` by creation.

The Loops list shows loops newest first (``created_at`` descending, then ``id``), the Debriefs list
candidates newest first. Read a page at a time (``services/loop_pages.py``, ``services/debrief_pages.py``),
a page is the next rows of an index in that order, read until the page is full: without one, every loop
(60,000 on the large demo) or every candidate with a submitted scorecard was read and sorted for each page.
``ix_interview_loop_created`` and ``ix_candidate_created`` are (created_at, id), the lists' order.

Indexes only: no table, column or row changes, so row-level security (revision 0008) is as it was.

Revision ID: 0015
Revises: 0014
Create Date: 2027-02-09
"""

from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None

INDEXES = (
    ("ix_interview_loop_created", "interview_loop"),
    ("ix_candidate_created", "candidate"),
)


def upgrade() -> None:
    for name, table in INDEXES:
        op.create_index(name, table, ["created_at", "id"])


def downgrade() -> None:
    for name, table in INDEXES:
        op.drop_index(name, table_name=table)
