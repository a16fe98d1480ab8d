"""Is the database whole? A check before any command or screen uses it.

A table dropped by hand, a column missing, or (SQLite stores what it is given) a score of "x" in a
column of numbers made some commands crash later with a traceback while others did not notice. This
check runs when a database is opened, after any migration, and refuses it with one line naming the table,
the column and how many rows are wrong; nothing is written.

* Every table and column of the current schema must be there (PostgreSQL and SQLite).
* SQLite only (PostgreSQL enforces its types): every value of a numeric, true/false or time column
  must be of that kind. One ``typeof`` scan per table; about 0.1 s per million ratings.
"""

from __future__ import annotations

from sqlalchemy import Boolean, DateTime, Float, Integer, Numeric, inspect, text
from sqlalchemy.engine import Engine
from sqlmodel import SQLModel

from interviewkit.storage import schema

__all__ = ["check_integrity"]

# SQLite's typeof() of a well-formed value, by column type.
_KINDS = ((Boolean, ("integer",)), (Integer, ("integer",)), (Float, ("real", "integer")),
          (Numeric, ("real", "integer")), (DateTime, ("text",)))


def _expected(column_type: object) -> tuple[str, ...] | None:
    column_type = getattr(column_type, "impl_instance", column_type)  # a TypeDecorator's underlying type
    for kind, allowed in _KINDS:
        if isinstance(column_type, kind):
            return allowed
    return None


def check_integrity(engine: Engine, where: str) -> str | None:
    """The first problem found, in one line for the user, or None when the database is whole."""
    tables = {t.name: t for t in SQLModel.metadata.sorted_tables}
    with engine.connect() as conn:
        inspector = inspect(conn)
        present = set(inspector.get_table_names()) | set(inspector.get_view_names())
        missing = [t for t in schema.TABLES if t not in present]
        if missing:
            return (f"{where} is damaged: the table{'s' if len(missing) > 1 else ''} {', '.join(missing)} "
                    f"{'are' if len(missing) > 1 else 'is'} missing. It was not changed; restore a backup.")
        for name, table in tables.items():
            if name not in present:
                continue
            columns = {c["name"] for c in inspector.get_columns(name)}
            lost = [c.name for c in table.columns if c.name not in columns]
            if lost:
                return f"{where} is damaged: the table {name} has no column {', '.join(lost)}. It was not changed."
        if conn.dialect.name != "sqlite":
            return None
        for name, table in tables.items():
            checks = []
            for c in table.columns:
                allowed = _expected(c.type)
                if allowed is not None:
                    kinds = ", ".join(f"'{k}'" for k in allowed)
                    label = "time" if allowed == ("text",) else "number"
                    count = (f'SUM(CASE WHEN "{c.name}" IS NOT NULL AND typeof("{c.name}") '
                             f"NOT IN ({kinds}) THEN 1 ELSE 0 END)")
                    checks.append((c.name, label, count))
            if not checks:
                continue
            row = conn.execute(text(f'SELECT {", ".join(sql for *_, sql in checks)} FROM "{name}"')).one()
            for (column, label, _), bad in zip(checks, row):
                if bad:
                    return (f"{where} is damaged: {bad} row{'s' if bad != 1 else ''} of {name}.{column} "
                            f"hold{'s' if bad == 1 else ''} a value that is not a {label}. "
                            "It was not changed; restore a backup or correct the value.")
    return None
