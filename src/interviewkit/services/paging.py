"""Long lists a page at a time (issue 17): the People section's candidates, searched and sorted in SQL.

:func:`~interviewkit.services.people.candidates` reads every candidate a person may see (60,000 on the large
demo). :func:`candidate_page` gives the same rows a page at a time: ``limit`` rows from ``offset`` of the
list in the order asked (``CANDIDATE_SORTS``; by default newest first, the full list's order, read along
``ix_candidate_created``, revision 0015), matching the search, with each page's loops counted for that page
only. Who may see which candidate is the rule :func:`~interviewkit.services.people.candidates` applies
(:func:`~interviewkit.services.policy.readable_candidate_ids`), taken as SQL from
:func:`~interviewkit.services.list_access.readable_candidates`, the one copy of it. The search is the People
section's: every typed word in the name as shown ("Erased candidate" once erased), the email, the phone or the
opening's title, case and accents ignored (:mod:`~interviewkit.services.folded_search`).

A screen reads these through :class:`~interviewkit.ui.widgets.paged_model.PagedModel`, which takes a
:class:`Page` (``rows``, ``more``, ``total``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sqlalchemy import ColumnElement, Select, case, func, literal, select
from sqlmodel import Session, col

from interviewkit.services import list_access, policy
from interviewkit.services.access import Actor
from interviewkit.services.errors import NotFound, ValidationFailed
from interviewkit.services.folded_search import matches_words, prepare
from interviewkit.services.people import CandidateInfo
from interviewkit.storage.db import Database
from interviewkit.storage.models import Candidate, InterviewLoop, Opening

__all__ = ["CANDIDATE_SORTS", "MAX_PAGE", "PAGE_SIZE", "Page", "candidate_count", "candidate_info", "candidate_page"]

PAGE_SIZE = 200
MAX_PAGE = 5000
T = TypeVar("T")


@dataclass(frozen=True)
class Page(Generic[T]):
    """Rows of a list from ``offset``: ``more`` says whether rows follow, ``total`` how many match in all (None:
    not counted with this page), ``unfiltered`` how many there are without the search and filters (None: not
    counted)."""

    rows: tuple[T, ...]
    offset: int
    more: bool
    total: int | None = None
    unfiltered: int | None = None


_ERASED_NAME = "Erased candidate"  # what the list shows for an erased candidate's name


def _loops() -> ColumnElement[int]:
    """The candidate's loops, counted for the rows of the page only (by ``interview_loop.candidate_id``)."""
    return (
        select(func.count(col(InterviewLoop.id)))
        .where(col(InterviewLoop.candidate_id) == col(Candidate.id))
        .scalar_subquery()
    )


def _shown_name() -> ColumnElement[str]:
    return case((col(Candidate.erased_at).is_not(None), literal(_ERASED_NAME)), else_=col(Candidate.name))


#: The orders a candidate list may be read in: sort key -> the column (ties go by id, the same way).
CANDIDATE_SORTS: dict[str, Any] = {
    "added": lambda: col(Candidate.created_at),  # ix_candidate_created (created_at, id)
    "name": lambda: func.lower(_shown_name()),
    "email": lambda: func.lower(col(Candidate.email)),
    "phone": lambda: col(Candidate.phone),
    "opening": lambda: func.lower(col(Opening.title)),
    "loops": _loops,
}


def _listed(s: Session, by: Actor, search: str, opening_id: int | None) -> Select[*tuple[Any, ...]]:
    """The candidates this person may see that the search matches (of one opening, or all), unordered."""
    q: Select[*tuple[Any, ...]] = (
        select(
            col(Candidate.id),
            col(Candidate.name),
            col(Candidate.email),
            col(Candidate.phone),
            col(Candidate.opening_id),
            col(Opening.title),
            col(Candidate.created_at),
            col(Candidate.erased_at),
        )
        .select_from(Candidate)
        .join(Opening, col(Opening.id) == col(Candidate.opening_id))
    )
    visible = list_access.readable_candidates(policy.who(s, by))
    if visible is not None:
        q = q.where(col(Candidate.id).in_(visible))
    if opening_id is not None:
        q = q.where(col(Candidate.opening_id) == opening_id)
    if search.strip():
        prepare(s)
        space = literal(" ")
        text = _shown_name() + space + col(Candidate.email) + space + col(Candidate.phone) + space + col(Opening.title)
        q = q.where(matches_words(s, text, search))
    return q


def _check(offset: int, limit: int, sort: str) -> None:
    problems = []
    if sort not in CANDIDATE_SORTS:
        problems.append(f"Sort: one of {', '.join(CANDIDATE_SORTS)}, not '{sort}'")
    if offset < 0:
        problems.append("Offset: 0 or more")
    if not 1 <= limit <= MAX_PAGE:
        problems.append(f"Limit: 1 to {MAX_PAGE}")
    if problems:
        raise ValidationFailed(problems)


def candidate_page(
    db: Database,
    *,
    by: Actor,
    offset: int = 0,
    limit: int = PAGE_SIZE,
    search: str = "",
    sort: str = "added",
    descending: bool = True,
    opening_id: int | None = None,
    count: bool | None = None,
) -> Page[CandidateInfo]:
    """``limit`` of the candidates this person may see from ``offset``, in ``sort`` order (ties by id, in the
    same direction), matching ``search``, of ``opening_id`` or all; ``count`` (by default on the first page
    only) says how many match in all, and with a search or an opening how many the person may see without
    them. The default order is :func:`~interviewkit.services.people.candidates`'s."""
    _check(offset, limit, sort)
    key = CANDIDATE_SORTS[sort]()
    order = (key.desc(), col(Candidate.id).desc()) if descending else (key.asc(), col(Candidate.id).asc())
    with db.session() as s:
        q = _listed(s, by, search, opening_id)
        rows = s.execute(q.add_columns(_loops()).order_by(*order).limit(limit + 1).offset(offset)).all()
        total = unfiltered = None
        if count if count is not None else offset == 0:
            total = _count(s, q)
            narrowed = bool(search.strip()) or opening_id is not None
            unfiltered = _count(s, _listed(s, by, "", None)) if narrowed else total
    more = len(rows) > limit
    return Page(tuple(_info(row) for row in rows[:limit]), offset, more, total, unfiltered)


def candidate_count(db: Database, *, by: Actor, search: str = "", opening_id: int | None = None) -> tuple[int, int]:
    """How many candidates this person may see match ``search`` (of ``opening_id`` or all), and how many they
    may see without the search and the opening: what :func:`candidate_page` counts on a first page, for a
    screen that shows the page first and counts after it (a person's thousands of candidates take a while)."""
    with db.session() as s:
        total = _count(s, _listed(s, by, search, opening_id))
        narrowed = bool(search.strip()) or opening_id is not None
        return total, (_count(s, _listed(s, by, "", None)) if narrowed else total)


def _count(s: Session, q: Select[*tuple[Any, ...]]) -> int:
    return int(s.scalar(select(func.count()).select_from(q.subquery())) or 0)


def _info(row: Any) -> CandidateInfo:
    i, name, email, phone, opening_id, title, created, erased, loops = row
    return CandidateInfo(int(i), name, email, phone, int(opening_id), title, created, int(loops), erased is not None)


def candidate_info(db: Database, candidate_id: int, *, by: Actor) -> CandidateInfo:
    """One candidate as the list shows them, if this person may see them (what
    :func:`~interviewkit.services.people.candidate` gives, without reading the whole list)."""
    with db.session() as s:
        policy.require_candidate(s, by, candidate_id)
        q = _listed(s, by, "", None).where(col(Candidate.id) == candidate_id)
        row = s.execute(q.add_columns(_loops())).first()
    if row is None:
        raise NotFound(f"No candidate with id {candidate_id}")
    return _info(row)
