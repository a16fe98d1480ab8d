"""What the People section shows besides the candidates, read in one go off the GUI thread
(:meth:`SectionWidget.fetch`); the candidates are read a page at a time (:mod:`interviewkit.services.paging`)."""

from __future__ import annotations

from dataclasses import dataclass

from interviewkit.services import paging
from interviewkit.services import people as svc
from interviewkit.services.access import permissions
from interviewkit.services.bank_queries import job_descriptions
from interviewkit.services.context import AppContext
from interviewkit.services.people import CandidateInfo, OpeningInfo, PersonInfo
from interviewkit.ui.widgets.paged_model import CountSource, PageQuery, PageSource

__all__ = ["PeopleRead", "candidate_counts", "candidate_pages", "read_people"]


@dataclass(frozen=True)
class PeopleRead:
    """The directory's and the openings' records and what the person may do with them."""

    allowed: frozenset[str]
    people: list[PersonInfo]
    openings: list[OpeningInfo]
    jd_titles: dict[str, str]


def read_people(ctx: AppContext, user_id: int | None) -> PeopleRead:
    """The people and openings the section shows, and what ``user_id`` may do (on a worker thread)."""
    db = ctx.db
    return PeopleRead(
        permissions(db, user_id),
        svc.people(db, include_inactive=True),
        svc.openings(db),
        {jd.id: jd.title for jd in job_descriptions(db)},
    )


def candidate_pages(ctx: AppContext, opening_id: int | None) -> PageSource:
    """The candidates' page source (of one opening, or all) as the person signed in now may see them: a page
    at a time, searched and sorted in the database (on a worker thread)."""
    db, user = ctx.db, ctx.user_id

    def page(q: PageQuery) -> paging.Page[CandidateInfo]:
        return paging.candidate_page(
            db,
            by=user,
            offset=q.offset,
            limit=q.limit,
            search=q.search,
            sort=q.sort,
            descending=q.descending,
            opening_id=opening_id,
            count=False,  # counted after the page is shown: candidate_counts
        )

    return page


def candidate_counts(ctx: AppContext, opening_id: int | None) -> CountSource:
    """How many candidates match a query of :func:`candidate_pages`, and how many the person may see in all
    (on a worker thread, after the first page is shown)."""
    db, user = ctx.db, ctx.user_id

    def count(q: PageQuery) -> tuple[int, int | None]:
        return paging.candidate_count(db, by=user, search=q.search, opening_id=opening_id)

    return count
