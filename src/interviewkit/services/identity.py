"""Who is acting: resolved once, from the sign-in, ``--as`` or the database login, then passed to every
service call.

* **A team database (PostgreSQL)**: the person whose ``db_login`` is the session's login. Nobody may act as
  someone else there: ``--as`` naming another person is refused (the database's own row-level security
  would apply the login's rights anyway). A login that is in no person's record is refused, unless it
  owns the schema or is a superuser (the database administrator, who can read and change everything in
  any case): that login acts as the local operator, for setting up and migrating.
* **An SQLite file**: whoever can open the file holds all of it, so without ``--as`` the command line
  acts as the file's local operator; ``--as EMAIL`` (or a person id) takes on that person's rights.

Every command that names a person (``--as``, ``people set-key``, ``db set-login``) finds them with
:func:`find_person`: an email address in any case, or a person id.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select, text
from sqlmodel import Session, col

from interviewkit.inputs import one_line
from interviewkit.services.access import LOCAL_ADMIN, Actor
from interviewkit.services.errors import NotFound, PermissionDenied
from interviewkit.storage.db import Database
from interviewkit.storage.models import Person, id_of

__all__ = ["Identity", "database_login", "find_person", "login_is_owner", "resolve_actor", "resolve_person"]

OWNER_ROLE = "interviewkit_owner"


@dataclass(frozen=True)
class Identity:
    """The acting person, and how they were found (for messages and the audit trail)."""

    actor: Actor
    label: str  # "Amara Okafor <amara@...>", or "the local operator"
    via: str  # "sign-in", "--as", "database login 'amara'", "local file"


def find_person(s: Session, who: str) -> Person:
    """The person ``who`` names: a person id (digits), else an email address, compared without regard to
    case. :class:`NotFound` names what was given."""
    text = who.strip() if isinstance(who, str) else ""
    person: Person | None = None
    if text.isascii() and text.isdigit() and len(text) <= 18:
        person = s.get(Person, int(text))
    elif text:
        person = s.scalars(select(Person).where(func.lower(col(Person.email)) == text.lower())).first()
    if person is None:
        shown = one_line(text)[:80] or "(empty)"
        raise NotFound(f"No person '{shown}' in the directory (give an email address or a person id)")
    return person


def resolve_person(db: Database, who: str) -> int:
    """The id of the person ``who`` names (see :func:`find_person`)."""
    with db.session() as s:
        return id_of(find_person(s, who))


def database_login(db: Database) -> str | None:
    """The login of a PostgreSQL session (``session_user``); None for SQLite."""
    if db.is_sqlite:
        return None
    with db.engine.connect() as conn:
        return str(conn.execute(text("SELECT session_user")).scalar())


def login_is_owner(db: Database) -> bool:
    """Whether the PostgreSQL login is a superuser, a member of the team's owner role, or owns the tables
    (a database set up before the team roles): a login the database itself exempts from row-level security."""
    if db.is_sqlite:
        return True
    with db.engine.connect() as conn:
        row = conn.execute(
            text(
                "SELECT r.rolsuper, EXISTS (SELECT 1 FROM pg_roles o WHERE o.rolname = :owner "
                "AND pg_has_role(session_user, o.oid, 'MEMBER')), "
                "EXISTS (SELECT 1 FROM pg_tables t WHERE t.schemaname = 'public' AND t.tablename = 'ik_meta' "
                "AND pg_has_role(session_user, t.tableowner, 'MEMBER')) "
                "FROM pg_roles r WHERE r.rolname = session_user"
            ),
            {"owner": OWNER_ROLE},
        ).first()
    return bool(row and (row[0] or row[1] or row[2]))


def _person_of_login(db: Database, login: str) -> tuple[int, str, str] | None:
    with db.session() as s:
        row = s.execute(
            select(col(Person.id), col(Person.name), col(Person.email)).where(
                func.lower(col(Person.db_login)) == login.lower()
            )
        ).first()
    return (int(row[0]), row[1], row[2]) if row else None


def resolve_actor(db: Database, named: str | None, *, allow_unregistered: bool = False) -> Identity:
    """Who acts on ``db``: see the module's description. ``named`` is ``--as`` (an email or a person id).
    ``allow_unregistered`` (the desktop app's first start on a team database) returns nobody for a login
    that is in no record yet, so that the person can add themselves, instead of refusing."""
    login = database_login(db)
    if login is None:  # SQLite
        if named is None:
            return Identity(LOCAL_ADMIN, "the local operator", "local file")
        try:
            pid = resolve_person(db, named)
        except NotFound as exc:
            raise NotFound(f"--as: {exc}") from None
        return Identity(pid, _label(db, pid), "--as")
    mapped = _person_of_login(db, login)
    if mapped is not None:
        pid, name, email = mapped
        if named is not None:
            try:
                other = resolve_person(db, named)
            except NotFound as exc:
                raise NotFound(f"--as: {exc}") from None
            if other != pid:
                raise PermissionDenied(
                    f"you are signed in to the database as '{login}' ({name}); --as cannot act as someone else "
                    "on a team database"
                )
        return Identity(pid, f"{name} <{email}>", f"database login '{login}'")
    if login_is_owner(db):
        if named is None:
            return Identity(LOCAL_ADMIN, f"the database owner ('{login}')", f"database login '{login}'")
        try:
            pid = resolve_person(db, named)
        except NotFound as exc:
            raise NotFound(f"--as: {exc}") from None
        return Identity(pid, _label(db, pid), "--as")
    if allow_unregistered:
        return Identity(None, f"database login '{login}'", f"database login '{login}'")
    raise PermissionDenied(
        f"the database login '{login}' belongs to nobody in the directory: an admin adds it to your record "
        "(People, or 'interviewkit db set-login EMAIL LOGIN')"
    )


def _label(db: Database, person_id: int) -> str:
    with db.session() as s:
        p = s.get(Person, person_id)
    return f"{p.name} <{p.email}>" if p is not None else f"person {person_id}"
