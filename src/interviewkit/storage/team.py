"""A team database on PostgreSQL: its roles, who owns what, and what each role may do.

The rules themselves are in the database since revision 0008 (row-level security policies and the
functions they ask); this module sets up the roles they rely on, once, as the database administrator:

* ``interviewkit_owner`` (NOLOGIN) owns the tables, views and functions. The administrator who migrates
  is a member of it (or a superuser); nobody who uses the app is.
* ``interviewkit_audit`` (NOLOGIN) owns the audit trail and the two functions that write and redact it.
  Nobody signs in as it and no login is a member of it, so no app login can insert into the trail,
  rewrite or delete an entry, or disable its triggers.
* ``interviewkit_user`` (NOLOGIN), and one role per app role, each a member of it:
  ``interviewkit_interviewer``, ``interviewkit_coordinator``, ``interviewkit_hiring_manager`` and
  ``interviewkit_admin``, with the table privileges of :data:`GRANTS`. A person's login is granted the role
  of their access role, and only while they are active (a trigger keeps this in step with the
  directory; :func:`init_team` does it for everyone at once).

Row-level security then narrows every table to the rows the person may see and change.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from sqlalchemy import text
from sqlalchemy.engine import Connection

from interviewkit.storage.db import Database, DatabaseError

__all__ = [
    "APP_ROLES",
    "AUDIT_ROLE",
    "GRANTS",
    "OWNER_ROLE",
    "USER_ROLE",
    "TeamReport",
    "apply_grants",
    "init_team",
    "is_team_database",
]

OWNER_ROLE = "interviewkit_owner"
AUDIT_ROLE = "interviewkit_audit"
USER_ROLE = "interviewkit_user"
APP_ROLES = {r: f"interviewkit_{r}" for r in ("interviewer", "coordinator", "hiring_manager", "admin")}

_AUDIT_FUNCTIONS = (
    (
        "ik_audit_record(p_entity text, p_entity_id text, p_action text, p_reason text, p_detail json, "
        "p_at timestamp with time zone, p_actor integer)"
    ),
    "ik_audit_redact(p_id integer, p_reason text, p_detail json)",
)
_AUDIT_OWNED = (*_AUDIT_FUNCTIONS, "ik_audit_append_only()")
_LOOPS = ("interview_loop", "stage", "stage_question")
_BANK = ("job_description", "requirement", "competency", "question", "question_version", "question_competency",
         "question_requirement", "loop_template", "bank_file", "question_fts", "screening_item")

#: role -> [(privileges, tables)]: what each role may do to whole tables; row-level security narrows it.
GRANTS: Mapping[str, tuple[tuple[str, tuple[str, ...]], ...]] = {
    USER_ROLE: (
        ("INSERT, UPDATE", ("scorecard", "asked_question", "rating", "calibration_exercise", "decision",
                            "screen_answer")),
        ("INSERT", ("exercise_score",)),
        ("INSERT, UPDATE, DELETE", ("outcome",)),  # an admin or the opening's lead (row-level security)
        ("UPDATE", ("person",)),  # their own signing key, once (a trigger checks)
        # to lock their own stage when starting its scorecard; to finish the screen they run (revision 0013)
        ("UPDATE (interviewer_id, finished_at, finished_by)", ("stage",)),
    ),
    APP_ROLES["coordinator"]: (
        ("INSERT, UPDATE", ("candidate",)),
        ("INSERT, UPDATE, DELETE", _LOOPS),
        ("INSERT", ("import_receipt",)),
    ),
    APP_ROLES["hiring_manager"]: (
        ("INSERT, UPDATE, DELETE", _LOOPS),
        ("INSERT", ("import_receipt",)),
    ),
    APP_ROLES["admin"]: (
        ("INSERT, UPDATE", ("person", "opening", "candidate", "ik_meta")),
        ("INSERT, UPDATE, DELETE", ("opening_jd", *_LOOPS, *_BANK)),
        ("INSERT", ("import_receipt",)),
    ),
}


@dataclass
class TeamReport:
    """What :func:`init_team` did."""

    database: str
    roles_created: list[str] = field(default_factory=list)
    logins: list[tuple[str, str, str]] = field(default_factory=list)  # (person, login, role granted or why not)
    owners_revoked: list[str] = field(default_factory=list)  # logins that were members of the owner role


def _role_exists(conn: Connection, name: str) -> bool:
    return bool(conn.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :n"), {"n": name}).first())


def is_team_database(conn: Connection) -> bool:
    """Whether :func:`init_team` has set this database up (its tables belong to the owner role)."""
    owner = conn.execute(text("SELECT tableowner FROM pg_tables WHERE schemaname = 'public' AND tablename = 'ik_meta'"))
    return owner.scalar() == OWNER_ROLE


def _ours(conn: Connection) -> tuple[list[str], list[str], list[str], list[str]]:
    """(tables, views, sequences, ik_* functions as 'name(args)') of the public schema."""
    tables = list(conn.execute(text("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")).scalars())
    views = list(conn.execute(text("SELECT viewname FROM pg_views WHERE schemaname = 'public'")).scalars())
    sequences = list(conn.execute(text(
        "SELECT sequencename FROM pg_sequences WHERE schemaname = 'public'")).scalars())
    functions = list(conn.execute(text(
        "SELECT p.proname || '(' || pg_get_function_identity_arguments(p.oid) || ')' FROM pg_proc p "
        "JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = 'public' AND p.proname LIKE 'ik\\_%'"
    )).scalars())
    return tables, views, sequences, functions


def apply_grants(conn: Connection) -> None:
    """Grant each team role what :data:`GRANTS` says, on every table and function there is now (again
    after a migration: new tables need their grants). Idempotent."""
    tables, views, sequences, functions = _ours(conn)
    quoted = ", ".join(f'"{t}"' for t in tables + views)
    conn.execute(text(f"GRANT USAGE ON SCHEMA public TO {USER_ROLE}"))
    if quoted:
        conn.execute(text(f"GRANT SELECT ON {quoted} TO {USER_ROLE}"))
    if sequences:
        conn.execute(text(f"GRANT USAGE, SELECT ON SEQUENCE {', '.join(sequences)} TO {USER_ROLE}"))
    for fn in functions:
        conn.execute(text(f"GRANT EXECUTE ON FUNCTION {fn} TO {USER_ROLE}, {OWNER_ROLE}"))
    existing = set(tables)
    for role, grants in GRANTS.items():
        for privileges, names in grants:
            present = [n for n in names if n in existing]
            if present:
                conn.execute(text(f"GRANT {privileges} ON {', '.join(present)} TO {role}"))


def _create_roles(conn: Connection, report: TeamReport) -> None:
    for name in (OWNER_ROLE, AUDIT_ROLE, USER_ROLE, *APP_ROLES.values()):
        if not _role_exists(conn, name):
            conn.execute(text(f"CREATE ROLE {name} NOLOGIN"))
            report.roles_created.append(name)
    for role in APP_ROLES.values():
        conn.execute(text(f"GRANT {USER_ROLE} TO {role}"))
        # The owner keeps logins' roles in step with the directory (a trigger on person).
        conn.execute(text(f"GRANT {role} TO {OWNER_ROLE} WITH ADMIN OPTION"))


def _hand_over(conn: Connection) -> None:
    """Give everything to the owner role, and the audit trail to the audit role."""
    tables, views, _sequences, functions = _ours(conn)
    conn.execute(text(f"GRANT USAGE, CREATE ON SCHEMA public TO {OWNER_ROLE}"))
    for t in tables:
        conn.execute(text(f'ALTER TABLE "{t}" OWNER TO {AUDIT_ROLE if t == "audit_event" else OWNER_ROLE}'))
    for v in views:
        conn.execute(text(f'ALTER VIEW "{v}" OWNER TO {OWNER_ROLE}'))
    for fn in functions:
        owner = AUDIT_ROLE if fn in _AUDIT_OWNED else OWNER_ROLE
        conn.execute(text(f"ALTER FUNCTION {fn} OWNER TO {owner}"))
    # The audit role reads the directory through the owner's functions; the owner reads the trail
    # (a lead's override is part of the rules).
    conn.execute(text(f"GRANT SELECT ON audit_event TO {OWNER_ROLE}"))
    conn.execute(text(f"REVOKE ALL ON FUNCTION {', '.join(_AUDIT_FUNCTIONS)} FROM PUBLIC"))


def init_team(db: Database, *, logins: Mapping[int, str] | None = None) -> TeamReport:
    """Set up (or bring up to date) the team roles of a PostgreSQL database; map people to their logins.

    Run by the database administrator (a superuser, or a role that may create roles and owns the tables).
    ``logins`` maps person ids to their PostgreSQL login names (the logins must exist: ``CREATE ROLE
    name LOGIN PASSWORD ...``). Idempotent: running it again after a migration or a change of the
    directory puts everything in step again.
    """
    if db.is_sqlite:
        raise DatabaseError("db init-team sets up a PostgreSQL team database; an SQLite file has no logins")
    report = TeamReport(db.describe())
    with db.engine.begin() as conn:
        if not conn.execute(
            text("SELECT rolsuper OR rolcreaterole FROM pg_roles WHERE rolname = session_user")
        ).scalar():
            raise DatabaseError(
                "db init-team must be run by the database administrator (a superuser, or a role with CREATEROLE "
                "that owns the tables), not by a person's own login"
            )
        _create_roles(conn, report)
        _hand_over(conn)
        apply_grants(conn)
        for person_id, login in (logins or {}).items():
            if not _role_exists(conn, login):
                raise DatabaseError(f"there is no PostgreSQL login '{login}': create it first (CREATE ROLE {login} "
                                    "LOGIN PASSWORD '...')")
            conn.execute(text("UPDATE person SET db_login = NULL WHERE lower(db_login) = lower(:l) AND id <> :p"),
                         {"l": login, "p": person_id})
            found = conn.execute(text("UPDATE person SET db_login = :l WHERE id = :p RETURNING id"),
                                 {"l": login, "p": person_id}).first()
            if found is None:
                raise DatabaseError(f"no person with id {person_id} in the directory")
        dbname = conn.execute(text("SELECT current_database()")).scalar()
        rows = conn.execute(
            text("SELECT id, name, db_login, access_role, active FROM person WHERE db_login IS NOT NULL ORDER BY id")
        ).all()
        for _pid, name, login, role, active in rows:
            if not _role_exists(conn, login):
                report.logins.append((name, login, "no such login: create it, then run db init-team again"))
                continue
            for group in (OWNER_ROLE, AUDIT_ROLE):
                member = conn.execute(text(
                    "SELECT pg_has_role(:l, :g, 'MEMBER') AND NOT (SELECT rolsuper FROM pg_roles WHERE rolname = :l)"),
                    {"l": login, "g": group}).scalar()
                if member:
                    conn.execute(text(f'REVOKE {group} FROM "{login}"'))
                    report.owners_revoked.append(login)
            conn.execute(text(f'ALTER ROLE "{login}" IN DATABASE "{dbname}" RESET role'))
            for app_role in APP_ROLES.values():
                conn.execute(text(f'REVOKE {app_role} FROM "{login}"'))
            if active:
                conn.execute(text(f'GRANT {APP_ROLES[role]} TO "{login}"'))
                report.logins.append((name, login, APP_ROLES[role]))
            else:
                report.logins.append((name, login, "inactive: no role"))
    return report
