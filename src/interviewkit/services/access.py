"""Access control for the services: who is acting, and may they do this?

Every service that changes data or reveals other people's work takes the acting person (``by``) and
calls :func:`require` before doing anything. The permission table itself is pure data in
:mod:`interviewkit.domain.access`.

The acting person is a person id, ``None`` (nobody is signed in: may do nothing), or
:data:`LOCAL_ADMIN`: the local operator of an SQLite file (or the owner of a team database), with full
rights. Who acts is resolved once, by :mod:`interviewkit.services.identity` (the command line) or the
sign-in (the app), and passed to every service explicitly: no service defaults to an actor. Which
records a person may see is :mod:`interviewkit.services.policy`.
"""

from __future__ import annotations

from typing import Final

from sqlalchemy import select
from sqlmodel import Session, col

from interviewkit.domain.access import (
    ACTION_LABELS,
    ACTIONS,
    OPENING_SCOPED,
    ROLE_LABELS,
    effective_permissions,
    roles_allowed,
)
from interviewkit.services.errors import NotFound, PermissionDenied
from interviewkit.storage.db import Database
from interviewkit.storage.models import Candidate, Opening, Person, id_of

__all__ = [
    "LOCAL_ADMIN",
    "Actor",
    "can",
    "permissions",
    "require",
    "require_in",
]


class _LocalAdmin:
    """The local operator (command line, scripts): may do everything."""

    _instance: _LocalAdmin | None = None

    def __new__(cls) -> _LocalAdmin:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "LOCAL_ADMIN"


LOCAL_ADMIN: Final = _LocalAdmin()
Actor = int | None | _LocalAdmin


def _leads(s: Session, person_id: int, opening_id: int | None) -> bool:
    q = select(col(Opening.id)).where(col(Opening.hiring_manager_id) == person_id)
    if opening_id is not None:
        q = q.where(col(Opening.id) == opening_id)
    return s.scalars(q.limit(1)).first() is not None


def _opening_of(s: Session, *, opening_id: int | None, candidate_id: int | None) -> int | None:
    if candidate_id is not None:
        cand = s.get(Candidate, candidate_id)
        if cand is None:
            raise NotFound(f"No candidate with id {candidate_id}")
        return cand.opening_id
    return opening_id


def _permissions(s: Session, person: Person, opening_id: int | None) -> frozenset[str]:
    if not person.active:
        return frozenset()
    return effective_permissions(person.access_role, leads=_leads(s, id_of(person), opening_id))


def permissions(
    db: Database, person_id: Actor, *, opening_id: int | None = None, candidate_id: int | None = None
) -> frozenset[str]:
    """What this person may do (for one opening or candidate's opening, if given): for showing only
    what is allowed. Nobody signed in, an unknown or an inactive person: nothing."""
    if person_id is LOCAL_ADMIN:
        return frozenset(ACTIONS)
    if person_id is None:
        return frozenset()
    with db.session() as s:
        person = s.get(Person, person_id)
        if person is None:
            return frozenset()
        return _permissions(s, person, _opening_of(s, opening_id=opening_id, candidate_id=candidate_id))


def can(db: Database, person_id: Actor, action: str, **scope: int | None) -> bool:
    return action in permissions(db, person_id, **scope)


def require_in(
    s: Session, person_id: Actor, action: str, *, opening_id: int | None = None, candidate_id: int | None = None
) -> None:
    """:func:`require` inside the caller's session."""
    if action not in ACTION_LABELS:
        raise KeyError(f"unknown action {action!r}")
    if person_id is LOCAL_ADMIN:
        return
    what = ACTION_LABELS[action]
    if person_id is None:
        raise PermissionDenied(f"Nobody is signed in: choose who you are (File → Switch person) to {what}.")
    person = s.get(Person, person_id)
    if person is None:
        raise PermissionDenied(f"Person {person_id} is not in the directory, so they may not {what}.")
    opening = _opening_of(s, opening_id=opening_id, candidate_id=candidate_id)
    if action in _permissions(s, person, opening):
        return
    role = ROLE_LABELS.get(person.access_role, person.access_role)
    if not person.active:
        raise PermissionDenied(f"{person.name} ({role}) is inactive and may not {what}.")
    allowed = [ROLE_LABELS[r].lower() + "s" for r in roles_allowed(action)]
    who = (
        "the opening's hiring manager or an admin"
        if action in OPENING_SCOPED
        else " or ".join(", ".join(allowed).rsplit(", ", 1)) if allowed else "nobody"
    )
    raise PermissionDenied(f"{person.name} ({role}) may not {what} (action '{action}'): only {who} may.")


def require(
    db: Database, person_id: Actor, action: str, *, opening_id: int | None = None, candidate_id: int | None = None
) -> None:
    """Raise :class:`PermissionDenied`, naming the person, their role and the action, unless they may
    do ``action`` (for this opening, or this candidate's opening, where given)."""
    with db.session() as s:
        require_in(s, person_id, action, opening_id=opening_id, candidate_id=candidate_id)
