"""A team database on PostgreSQL: setting up its roles, and which login belongs to whom.

:func:`init_team` is the database administrator's one command after creating the database and the
people's logins (docs/team-database.md); :func:`set_db_login` is how an admin maps a person of the
directory to their login later (the database grants the login its role at once).
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from sqlalchemy import func, select, text
from sqlalchemy.exc import IntegrityError
from sqlmodel import col

from interviewkit.services import audit, people, policy
from interviewkit.services.access import Actor, require_in
from interviewkit.services.errors import NotFound, PermissionDenied, ValidationFailed
from interviewkit.storage import team
from interviewkit.storage.db import Database, DatabaseError
from interviewkit.storage.models import Person

__all__ = ["TeamReport", "init_team", "set_db_login"]

TeamReport = team.TeamReport

_LOGIN = re.compile(r"[a-z_][a-z0-9_.$-]{0,62}", re.IGNORECASE)


def _person_by_email(db: Database, email: str) -> int:
    with db.session() as s:
        pid = s.scalar(select(col(Person.id)).where(func.lower(col(Person.email)) == email.strip().lower()))
    if pid is None:
        raise NotFound(f"No person '{email}' in the directory")
    return int(pid)


def init_team(db: Database, *, by: Actor, logins: Mapping[str, str] | None = None) -> TeamReport:
    """Create the team roles, hand the tables to their owner roles and grant each role what it may do;
    map people (by email) to their logins. Only the database's administrator (a login that owns the
    schema or is a superuser: :data:`~interviewkit.services.access.LOCAL_ADMIN` on a team database).
    On an empty directory the people named are added: the first as its admin, the others as
    interviewers (the admin then names and promotes them in the app)."""
    with db.session() as s:
        if not policy.who(s, by).local_admin:
            raise PermissionDenied(f"{policy.who(s, by).name} may not set up the team database: the database "
                                   "administrator runs db init-team with the login that owns it (a superuser)")
    mapping: dict[int, str] = {}
    for login in (logins or {}).values():
        if not _LOGIN.fullmatch(login):
            raise ValidationFailed([f"'{login}' is not a PostgreSQL login name"])
    if logins and not people.people(db, include_inactive=True):
        # An empty directory: its first person is its admin (as in the app), the others interviewers.
        for n, email in enumerate(logins):
            name = " ".join(part.capitalize() for part in re.split(r"[._-]+", email.split("@", 1)[0]) if part)
            people.create_person(db, name=name or email, email=email, access_role="admin" if n == 0 else "interviewer",
                                 by=by)
    for email, login in (logins or {}).items():
        mapping[_person_by_email(db, email)] = login
    try:
        return team.init_team(db, logins=mapping)
    except DatabaseError as exc:
        raise ValidationFailed([str(exc)]) from None


def set_db_login(db: Database, person_id: int, login: str | None, *, by: Actor) -> str | None:
    """Record (or with None, remove) the PostgreSQL login a person signs in with. Admins only; audited.
    On a team database the login must exist, and gets the person's role at once."""
    login = (login or "").strip() or None
    if login is not None and not _LOGIN.fullmatch(login):
        raise ValidationFailed([f"Database login: '{login}' is not a PostgreSQL login name"])
    try:
        with db.transaction() as s:
            require_in(s, by, "manage_people")
            person = s.get(Person, person_id)
            if person is None:
                raise NotFound(f"No person with id {person_id}")
            if login is not None and not db.is_sqlite and not s.execute(
                    text("SELECT 1 FROM pg_roles WHERE rolname = :l"), {"l": login}).first():
                problem = (f"Database login: there is no PostgreSQL login '{login}' (the database "
                           "administrator creates it first)")
                raise ValidationFailed([problem])
            before = person.db_login
            person.db_login = login
            s.flush()
            audit.record(s, actor_id=audit.actor_id(by), entity="person", entity_id=person_id, action="login changed",
                         detail={"before": before, "after": login})
            return login
    except IntegrityError:
        raise ValidationFailed([f"Database login: '{login}' already belongs to someone else"]) from None
