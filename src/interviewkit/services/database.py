"""Database administration for the command line: copying a whole database to another backend."""

from __future__ import annotations

from collections.abc import Callable

from interviewkit.services.access import Actor, require
from interviewkit.services.identity import resolve_actor
from interviewkit.storage.copy import CopyError, CopyReport, TableCopy, copy_database
from interviewkit.storage.db import Database, attach

__all__ = ["CopyError", "CopyReport", "TableCopy", "copy", "upgrade"]


def copy(
    source: str, target: str, *, named: str | None = None, progress: Callable[[str], None] | None = None
) -> CopyReport:
    """Copy every row of ``source`` into the new or empty ``target``, then compare both table by table.

    Either may be an SQLite file or a server URL (``postgresql+psycopg://...``). Only the source's
    administrator copies it (:func:`~interviewkit.services.identity.resolve_actor`: the local operator of
    an SQLite file unless ``named`` says who, the owner's login or an admin's on a team database): a
    person's own login would copy only the part the database shows them, which is not a copy. Raises
    :class:`~interviewkit.storage.db.DatabaseError` (e.g. :class:`CopyError`) or a service error with a
    message for the user.
    """
    db = attach(source)
    try:
        require(db, resolve_actor(db, named).actor, "administer_database")
    finally:
        db.dispose()
    return copy_database(source, target, progress=progress)


def upgrade(db: Database, *, by: Actor) -> str:
    """Say that ``db`` is at this version's schema (opening it migrated it: on a team database only the
    administrator's login may), for its administrator; returns the schema revision."""
    from interviewkit.storage import schema

    require(db, by, "administer_database")
    return schema.HEAD
