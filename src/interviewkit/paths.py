"""Where the app finds its shipped data and the user's database.

The question bank and resources ship inside the package, so they are found the same way from a source
checkout, an editable install or a wheel.
"""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["DB_ENV", "database_location", "resources_dir", "shipped_bank_dir"]

DB_ENV = "INTERVIEWKIT_DB"
_PACKAGE = Path(__file__).resolve().parent


def shipped_bank_dir() -> Path:
    """The question bank that ships with the app."""
    return _PACKAGE / "question_bank"


def resources_dir() -> Path:
    """Style sheets, icons and templates."""
    return _PACKAGE / "resources"


def database_location(cli_value: str | None) -> tuple[str, bool]:
    """The database to open and whether it is the default location.

    Order: the ``--db`` option, then the ``INTERVIEWKIT_DB`` environment variable, then a file in the
    per-user data directory.
    """
    if cli_value:
        return cli_value, False
    env = os.environ.get(DB_ENV, "").strip()
    if env:
        return env, False
    from interviewkit.storage.db import default_db_path

    return str(default_db_path()), True
