"""Database administration for the command line: copying a whole database to another backend."""

from __future__ import annotations

from collections.abc import Callable

from interviewkit.storage.copy import CopyError, CopyReport, TableCopy, copy_database

__all__ = ["CopyError", "CopyReport", "TableCopy", "copy"]


def copy(source: str, target: str, *, progress: Callable[[str], None] | None = None) -> CopyReport:
    """Copy every row of ``source`` into the new or empty ``target``, then compare both table by table.

    Either may be an SQLite file or a server URL (``postgresql+psycopg://...``). Raises
    :class:`~interviewkit.storage.db.DatabaseError` (e.g. :class:`CopyError`) with a message for the user.
    """
    return copy_database(source, target, progress=progress)
