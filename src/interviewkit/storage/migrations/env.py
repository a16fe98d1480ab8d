"""Alembic environment: InterviewKit always passes an open connection in ``config.attributes``."""

from alembic import context
from sqlmodel import SQLModel

import interviewkit.storage.models  # noqa: F401  (registers the tables)

config = context.config
connection = config.attributes.get("connection")
if connection is None:  # pragma: no cover - the app always passes one
    raise RuntimeError("InterviewKit migrations run from interviewkit.storage.migrate.upgrade()")

context.configure(
    connection=connection,
    target_metadata=SQLModel.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
