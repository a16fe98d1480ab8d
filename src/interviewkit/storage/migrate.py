"""Alembic, run from inside the app: bring a database to the newest schema."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import text
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import OperationalError

from interviewkit.storage.db import DatabaseError

__all__ = ["MigrationFailed", "alembic_config", "script_revisions", "upgrade"]

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


class MigrationFailed(DatabaseError):
    """A migration step failed; its transaction was rolled back, so the database is as it was before."""

    def __init__(self, before: str | None, target: str, reason: str, *, where: str = "the database",
                 backup: Path | None = None) -> None:
        self.before, self.target, self.reason = before, target, reason
        was = before or "none"
        said = (f"upgrading {where} from schema {was} to {target} failed ({reason}). Nothing was changed: the "
                f"upgrade was undone and the database is still at schema {was}, as the InterviewKit that made it "
                "left it.")
        if backup is not None:
            said += f" The copy made before the upgrade is {backup}."
        super().__init__(said + " Please report this message; until then keep using the version you had.")

    def at(self, where: str, backup: Path | None) -> MigrationFailed:
        """The same failure, said of the database ``where`` with the copy made before the upgrade."""
        return MigrationFailed(self.before, self.target, self.reason, where=where, backup=backup)


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Migrate the database behind ``engine`` to ``revision``, in one transaction.

    Copies of the app that start at once on a new database take turns: each waits for the migration
    lock (PostgreSQL: an advisory lock; SQLite: the write lock, taken up front with BEGIN IMMEDIATE so
    that the DDL is inside the transaction too), then finds the schema the first one made and has
    nothing left to do.

    A step that fails (a migration script's error, a constraint the existing rows break) rolls the whole
    transaction back, DDL included, and raises :class:`MigrationFailed` naming both schemas and the reason.
    The database is then exactly as it was (storage.db makes a copy beside an SQLite file first all the
    same). Only another writer holding the database too long is raised as it was (storage.db describes it).
    """
    cfg = alembic_config()
    found: list[str | None] = [None]  # the schema the database was at, once the lock is held
    try:
        with engine.connect() as conn:
            sqlite = conn.dialect.name == "sqlite"
            if sqlite:
                _enforce_foreign_keys(conn, False)
            try:
                _migrate(conn, cfg, revision, found)
            finally:
                if sqlite:
                    _enforce_foreign_keys(conn, True)
    except DatabaseError:
        raise
    except Exception as exc:  # any failure of a step: rolled back above, said in one line
        if _is_lock(exc):
            raise
        target = ScriptDirectory.from_config(cfg).get_current_head() if revision == "head" else revision
        raise MigrationFailed(found[0], str(target), _reason(exc)) from exc


def _enforce_foreign_keys(conn: Connection, on: bool) -> None:
    """SQLite: switch the enforcement of foreign keys (outside a transaction, where SQLite ignores it).

    Off while migrating: Alembic's batch mode changes a table by copying it, dropping the original and
    renaming the copy, and with enforcement on, dropping a table that other rows point to fails ("FOREIGN
    KEY constraint failed": every database with people in it, from schema 0006 to 0007). The rows are
    checked before the migration commits instead (:func:`_migrate`).
    """
    conn.exec_driver_sql(f"PRAGMA foreign_keys={'ON' if on else 'OFF'}")
    conn.commit()


def _migrate(conn: Connection, cfg: Config, revision: str, found: list[str | None]) -> None:
    """The migration's transaction; ``found[0]`` gets the schema it started from."""
    with conn.begin():
        team = False
        if conn.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _MIGRATION_LOCK})
            team = _as_team_owner(conn)
        elif conn.dialect.name == "sqlite":
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        found[0] = MigrationContext.configure(conn).get_current_revision()
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)
        if conn.dialect.name == "sqlite":
            broken = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
            if broken:
                table, _rowid, parent, _fk = broken[0]
                raise RuntimeError(f"{len(broken)} row(s) would point to missing rows, the first in {table} "
                                   f"to {parent}")
        if team:
            from interviewkit.storage.team import apply_grants

            apply_grants(conn)


def _is_lock(exc: BaseException) -> bool:
    """Another writer kept the database (SQLite's busy timeout ran out): nothing to do with the migration."""
    return isinstance(exc, OperationalError) and "locked" in str(exc.orig)


def _reason(exc: BaseException) -> str:
    """The failure in one short line: the driver's message, else the exception's type and text."""
    orig = getattr(exc, "orig", None)
    lines = str(orig if orig is not None else exc).strip().splitlines()
    first = lines[0] if lines else ""
    named = first if orig is not None else f"{type(exc).__name__}: {first}" if first else type(exc).__name__
    return named if len(named) <= 200 else named[:199] + "…"


def _as_team_owner(conn: Connection) -> bool:
    """On a team database (set up by ``db init-team``), migrate as its owner role, so that new tables
    belong to it and get their grants; a person's own login may not migrate it."""
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
