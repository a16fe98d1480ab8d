"""Alembic, run from inside the app: bring a database to the newest schema."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import text
from sqlalchemy.engine import Connection, Engine

__all__ = ["alembic_config", "script_revisions", "upgrade"]

MIGRATIONS = Path(__file__).with_name("migrations")


def alembic_config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return cfg


def script_revisions() -> list[str]:
    """The revisions of the migration scripts, oldest first."""
    script = ScriptDirectory.from_config(alembic_config())
    return [rev.revision for rev in reversed(list(script.walk_revisions()))]


# PostgreSQL advisory lock key: one migration at a time per database ("IK" + "mig").
_MIGRATION_LOCK = 0x494B6D6967


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Migrate the database behind ``engine`` to ``revision``, in one transaction.

    Copies of the app that start at once on a new database take turns: each waits for the migration
    lock (PostgreSQL: an advisory lock; SQLite: the write lock, taken up front with BEGIN IMMEDIATE so
    that the DDL is inside the transaction too), then finds the schema the first one made and has
    nothing left to do.
    """
    cfg = alembic_config()
    with engine.begin() as conn:
        team = False
        if conn.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _MIGRATION_LOCK})
            team = _as_team_owner(conn)
        elif conn.dialect.name == "sqlite":
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)
        if team:
            from interviewkit.storage.team import apply_grants

            apply_grants(conn)


def _as_team_owner(conn: Connection) -> bool:
    """On a team database (set up by ``db init-team``), migrate as its owner role, so that new tables
    belong to it and get their grants; a person's own login may not migrate it."""
    from interviewkit.storage.db import DatabaseError
    from interviewkit.storage.team import OWNER_ROLE, is_team_database

    if not is_team_database(conn):
        return False
    may = conn.execute(text("SELECT pg_has_role(session_user, :r, 'MEMBER')"), {"r": OWNER_ROLE}).scalar()
    if not may:
        login = conn.execute(text("SELECT session_user")).scalar()
        raise DatabaseError(
            f"the team database's schema is older than this InterviewKit's, and the login '{login}' may not "
            "upgrade it: the database administrator runs 'interviewkit --db URL db upgrade' with the owner's login"
        )
    conn.execute(text(f"SET LOCAL ROLE {OWNER_ROLE}"))
    return True
