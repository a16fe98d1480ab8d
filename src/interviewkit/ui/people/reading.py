"""What the People section shows, read in one go off the GUI thread (:meth:`SectionWidget.fetch`)."""

from __future__ import annotations

from dataclasses import dataclass

from interviewkit.services import people as svc
from interviewkit.services.access import permissions
from interviewkit.services.bank_queries import job_descriptions
from interviewkit.services.context import AppContext
from interviewkit.services.people import CandidateInfo, OpeningInfo, PersonInfo

__all__ = ["PeopleRead", "read_people"]


@dataclass(frozen=True)
class PeopleRead:
    """The three tabs' records and what the person may do with them."""

    allowed: frozenset[str]
    people: list[PersonInfo]
    openings: list[OpeningInfo]
    jd_titles: dict[str, str]
    candidates: list[CandidateInfo]


def read_people(ctx: AppContext, user_id: int | None) -> PeopleRead:
    """Everything the section shows, as ``user_id`` may see it (on a worker thread)."""
    db = ctx.db
    return PeopleRead(
        permissions(db, user_id),
        svc.people(db, include_inactive=True),
        svc.openings(db),
        {jd.id: jd.title for jd in job_descriptions(db)},
        svc.candidates(db, by=user_id),
    )
