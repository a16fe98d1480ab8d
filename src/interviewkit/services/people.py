"""People, openings and candidates: the directory a coordinator keeps up to date."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import datetime

from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col

from interviewkit.services import policy
from interviewkit.services.access import Actor, require_in
from interviewkit.services.changes import NO_CHANGES, Changes
from interviewkit.services.errors import NotFound, ValidationFailed
from interviewkit.storage.db import Database
from interviewkit.storage.models import (
    ACCESS_ROLES,
    Candidate,
    InterviewLoop,
    JobDescription,
    Opening,
    OpeningJD,
    Person,
    id_of,
)

__all__ = [
    "ACCESS_ROLES",
    "CandidateInfo",
    "OpeningInfo",
    "PersonInfo",
    "candidate",
    "candidates",
    "create_candidate",
    "create_opening",
    "create_person",
    "opening",
    "openings",
    "people",
    "person",
    "register_self",
    "update_candidate",
    "update_opening",
    "update_person",
]

ROLE_LABELS = {
    "interviewer": "Interviewer",
    "coordinator": "Coordinator",
    "hiring_manager": "Hiring manager",
    "admin": "Admin",
}
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


@dataclass(frozen=True)
class PersonInfo:
    id: int
    name: str
    email: str
    title: str
    access_role: str
    active: bool
    changes: Changes = field(default=NO_CHANGES, compare=False, repr=False, kw_only=True)  # what a write changed

    @property
    def label(self) -> str:
        return f"{self.name} ({self.title})" if self.title else self.name


@dataclass(frozen=True)
class OpeningInfo:
    id: int
    title: str
    hiring_manager_id: int | None
    hiring_manager: str
    status: str
    jd_ids: tuple[str, ...]
    candidate_count: int
    changes: Changes = field(default=NO_CHANGES, compare=False, repr=False, kw_only=True)  # what a write changed


@dataclass(frozen=True)
class CandidateInfo:
    id: int
    name: str
    email: str
    phone: str
    opening_id: int
    opening_title: str
    created_at: datetime
    loop_count: int
    erased: bool
    changes: Changes = field(default=NO_CHANGES, compare=False, repr=False, kw_only=True)  # what a write changed


def _person_info(p: Person) -> PersonInfo:
    return PersonInfo(id_of(p), p.name, p.email, p.title, p.access_role, p.active)


def _check_person(name: str, email: str, role: str) -> list[str]:
    problems = []
    if not name.strip():
        problems.append("Name: required")
    if not _EMAIL.match(email.strip()):
        problems.append("Email: enter an address such as name@example.com")
    if role not in ACCESS_ROLES:
        problems.append(f"Role: one of {', '.join(ACCESS_ROLES)}")
    return problems


def people(db: Database, *, include_inactive: bool = False) -> list[PersonInfo]:
    """The directory, by name."""
    with db.session() as s:
        q = select(Person).order_by(func.lower(col(Person.name)))
        if not include_inactive:
            q = q.where(col(Person.active).is_(True))
        return [_person_info(p) for p in s.scalars(q)]


def person(db: Database, person_id: int) -> PersonInfo:
    with db.session() as s:
        p = s.get(Person, person_id)
        if p is None:
            raise NotFound(f"No person with id {person_id}")
        return _person_info(p)


def create_person(
    db: Database, *, name: str, email: str, title: str = "", access_role: str = "interviewer", by: Actor
) -> PersonInfo:
    """Add someone to the directory (an admin's job). The email must be unique."""
    problems = _check_person(name, email, access_role)
    if problems:
        raise ValidationFailed(problems)
    try:
        with db.transaction() as s:
            require_in(s, by, "manage_people")
            p = Person(name=name.strip(), email=email.strip().lower(), title=title.strip(), access_role=access_role)
            s.add(p)
            s.flush()
            return replace(_person_info(p), changes=Changes.of(people=[id_of(p)]))
    except IntegrityError:
        raise ValidationFailed([f"Email: {email.strip()} is already in the directory"]) from None


def update_person(
    db: Database, person_id: int, *, name: str, email: str, title: str = "", access_role: str = "interviewer",
    active: bool = True, by: Actor,
) -> PersonInfo:
    problems = _check_person(name, email, access_role)
    if problems:
        raise ValidationFailed(problems)
    try:
        with db.transaction() as s:
            require_in(s, by, "manage_people")
            p = s.get(Person, person_id)
            if p is None:
                raise NotFound(f"No person with id {person_id}")
            if p.access_role == "admin" and p.active and (access_role != "admin" or not active):
                others = s.scalar(
                    select(func.count(col(Person.id))).where(
                        col(Person.access_role) == "admin", col(Person.active).is_(True), col(Person.id) != person_id
                    )
                )
                if not others:
                    raise ValidationFailed(["Role: the directory needs an active admin; make someone else admin first"])
            p.name, p.email, p.title, p.access_role, p.active = (
                name.strip(), email.strip().lower(), title.strip(), access_role, active
            )
            s.flush()
            return replace(_person_info(p), changes=Changes.of(people=[person_id]))
    except IntegrityError:
        raise ValidationFailed([f"Email: {email.strip()} is already in the directory"]) from None


def register_self(db: Database, *, name: str, email: str, title: str = "") -> PersonInfo:
    """A newcomer adds themselves (first start): as an interviewer, or as the admin of an empty directory."""
    problems = _check_person(name, email, "interviewer")
    if problems:
        raise ValidationFailed(problems)
    try:
        with db.transaction() as s:
            first = s.scalars(select(col(Person.id)).limit(1)).first() is None
            p = Person(
                name=name.strip(), email=email.strip().lower(), title=title.strip(),
                access_role="admin" if first else "interviewer",
            )
            s.add(p)
            s.flush()
            return replace(_person_info(p), changes=Changes.of(people=[id_of(p)]))
    except IntegrityError:
        raise ValidationFailed([f"Email: {email.strip()} is already in the directory"]) from None


def openings(db: Database) -> list[OpeningInfo]:
    """Every opening, open ones first."""
    with db.session() as s:
        rows = s.scalars(select(Opening).order_by(col(Opening.status).desc(), col(Opening.title))).all()
        return [_opening_info(s, o) for o in rows]


def opening(db: Database, opening_id: int) -> OpeningInfo:
    with db.session() as s:
        o = s.get(Opening, opening_id)
        if o is None:
            raise NotFound(f"No opening with id {opening_id}")
        return _opening_info(s, o)


def _opening_info(s: Session, o: Opening) -> OpeningInfo:
    jds = tuple(
        s.scalars(select(col(OpeningJD.jd_id)).where(col(OpeningJD.opening_id) == o.id).order_by(col(OpeningJD.jd_id)))
    )
    count = s.scalar(select(func.count(col(Candidate.id))).where(col(Candidate.opening_id) == o.id)) or 0
    hm = s.get(Person, o.hiring_manager_id) if o.hiring_manager_id else None
    return OpeningInfo(id_of(o), o.title, o.hiring_manager_id, hm.name if hm else "", o.status, jds, int(count))


def _check_opening(s: Session, title: str, jd_ids: list[str], hiring_manager_id: int | None) -> list[str]:
    problems = []
    if not title.strip():
        problems.append("Title: required")
    if not jd_ids:
        problems.append("Job descriptions: choose at least one; the opening's requirements come from them")
    for jd in jd_ids:
        if s.get(JobDescription, jd) is None:
            problems.append(f"Job descriptions: no job description '{jd}' (import it first)")
    if hiring_manager_id is not None and s.get(Person, hiring_manager_id) is None:
        problems.append("Hiring manager: not in the directory")
    return problems


def create_opening(
    db: Database, *, title: str, jd_ids: list[str], hiring_manager_id: int | None = None, by: Actor
) -> OpeningInfo:
    """Open a role (an admin's job: its hiring manager decides on its candidates). Its requirements come
    from the job descriptions given."""
    with db.transaction() as s:
        require_in(s, by, "manage_openings")
        problems = _check_opening(s, title, jd_ids, hiring_manager_id)
        if problems:
            raise ValidationFailed(problems)
        o = Opening(title=title.strip(), hiring_manager_id=hiring_manager_id)
        s.add(o)
        s.flush()
        for jd in dict.fromkeys(jd_ids):
            s.add(OpeningJD(opening_id=id_of(o), jd_id=jd))
        s.flush()
        return replace(_opening_info(s, o), changes=Changes.of(openings=[id_of(o)]))


def update_opening(
    db: Database, opening_id: int, *, title: str, jd_ids: list[str], hiring_manager_id: int | None = None,
    status: str = "open", by: Actor,
) -> OpeningInfo:
    with db.transaction() as s:
        require_in(s, by, "manage_openings")
        o = s.get(Opening, opening_id)
        if o is None:
            raise NotFound(f"No opening with id {opening_id}")
        problems = _check_opening(s, title, jd_ids, hiring_manager_id)
        if status not in ("open", "closed"):
            problems.append("Status: open or closed")
        if problems:
            raise ValidationFailed(problems)
        o.title, o.hiring_manager_id, o.status = title.strip(), hiring_manager_id, status
        s.execute(delete(OpeningJD).where(col(OpeningJD.opening_id) == opening_id))
        for jd in dict.fromkeys(jd_ids):
            s.add(OpeningJD(opening_id=opening_id, jd_id=jd))
        s.flush()
        return replace(_opening_info(s, o), changes=Changes.of(openings=[opening_id]))


def candidates(db: Database, opening_id: int | None = None, *, by: Actor) -> list[CandidateInfo]:
    """The candidates this person may see (of one opening, or all), newest first: everyone for those who
    plan loops or keep candidates; for others, the candidates whose panel they are on or whose debrief
    they lead."""
    with db.session() as s:
        visible = policy.readable_candidate_ids(s, by)
        q = (
            select(Candidate, col(Opening.title), func.count(col(InterviewLoop.id)))
            .join(Opening, col(Opening.id) == col(Candidate.opening_id))
            .outerjoin(InterviewLoop, col(InterviewLoop.candidate_id) == col(Candidate.id))
            .group_by(col(Candidate.id), col(Opening.title))
            .order_by(col(Candidate.created_at).desc(), col(Candidate.id).desc())
        )
        if opening_id is not None:
            q = q.where(col(Candidate.opening_id) == opening_id)
        if visible is not None:
            q = q.where(col(Candidate.id).in_(sorted(visible)))
        return [_candidate_info(c, t, n) for c, t, n in s.execute(q)]


def candidate(db: Database, candidate_id: int, *, by: Actor) -> CandidateInfo:
    """One candidate, if this person may see them."""
    with db.session() as s:
        policy.require_candidate(s, by, candidate_id)
    for c in candidates(db, by=by):
        if c.id == candidate_id:
            return c
    raise NotFound(f"No candidate with id {candidate_id}")


def _candidate_info(c: Candidate, opening_title: str, loops: int) -> CandidateInfo:
    return CandidateInfo(
        id_of(c),
        c.name,
        c.email,
        c.phone,
        c.opening_id,
        opening_title,
        c.created_at,
        int(loops),
        c.erased_at is not None,
    )


def _check_candidate(s: Session, name: str, email: str, opening_id: int) -> list[str]:
    problems = []
    if not name.strip():
        problems.append("Name: required")
    if email.strip() and not _EMAIL.match(email.strip()):
        problems.append("Email: enter an address such as name@example.com, or leave it empty")
    if s.get(Opening, opening_id) is None:
        problems.append("Opening: choose the role the candidate is interviewing for")
    return problems


def create_candidate(
    db: Database, *, name: str, opening_id: int, email: str = "", phone: str = "", by: Actor
) -> CandidateInfo:
    with db.transaction() as s:
        require_in(s, by, "manage_candidates")
        problems = _check_candidate(s, name, email, opening_id)
        if problems:
            raise ValidationFailed(problems)
        c = Candidate(name=name.strip(), email=email.strip(), phone=phone.strip(), opening_id=opening_id)
        s.add(c)
        s.flush()
        o = s.get(Opening, opening_id)
        made = Changes.of(candidates=[id_of(c)], openings=[opening_id])  # the opening's count of candidates
        return replace(_candidate_info(c, o.title if o else "", 0), changes=made)


def update_candidate(
    db: Database, candidate_id: int, *, name: str, opening_id: int, email: str = "", phone: str = "",
    by: Actor,
) -> CandidateInfo:
    with db.transaction() as s:
        require_in(s, by, "manage_candidates")
        c = s.get(Candidate, candidate_id)
        if c is None:
            raise NotFound(f"No candidate with id {candidate_id}")
        if c.erased_at is not None:
            raise ValidationFailed(["This candidate's personal data was erased: their record can no longer be changed"])
        problems = _check_candidate(s, name, email, opening_id)
        if problems:
            raise ValidationFailed(problems)
        moved_from = c.opening_id
        c.name, c.email, c.phone, c.opening_id = name.strip(), email.strip(), phone.strip(), opening_id
        s.flush()
        o = s.get(Opening, opening_id)
        loops = (
            s.scalar(select(func.count(col(InterviewLoop.id))).where(col(InterviewLoop.candidate_id) == candidate_id))
            or 0
        )
        moved = [moved_from, opening_id] if moved_from != opening_id else None  # both openings' counts change
        made = Changes.of(candidates=[candidate_id], openings=moved)
        return replace(_candidate_info(c, o.title if o else "", int(loops)), changes=made)
