"""The rules of :mod:`~interviewkit.services.policy` about candidates, as SQL a list's query filters with.

A list read a page at a time (the Loops list, the Debriefs list) cannot ask :func:`policy.visibility
<interviewkit.services.policy.visibility>` row by row, nor bind every id a person may see: it filters in
the database. These are the rules for such lists, given the person as :func:`policy.who
<interviewkit.services.policy.who>` resolved them; :func:`policy.readable_candidate_ids
<interviewkit.services.policy.readable_candidate_ids>` reads :func:`readable_candidates` too, so there is
one copy of each. ``tests/services/test_loop_pages.py`` checks them against ``policy.visibility``.

Each gives the ids of the candidates concerned as a subquery (a semi-join: the database reads the person's
own stages and scorecards by their indexes), or None when the person may see every candidate.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import ColumnElement, CompoundSelect, Select, false, or_, select, true, union
from sqlalchemy.orm import Mapped
from sqlmodel import col

from interviewkit.storage.models import Candidate, InterviewLoop, Opening, Scorecard, Stage
from interviewkit.storage.views import scorecard_status

if TYPE_CHECKING:
    from interviewkit.services.policy import Who

__all__ = ["CandidateIds", "debrief_candidates", "decision_visible", "readable_candidates"]

CandidateIds = Select[Any] | CompoundSelect
Column = ColumnElement[Any] | Mapped[Any]


def _nobody() -> Select[Any]:
    return select(col(Candidate.id)).where(false())


def _panel(person_id: int) -> list[Select[Any]]:
    """The candidates on this person's panel: a stage of their loops is theirs, or a scorecard is."""
    staged = (
        select(col(InterviewLoop.candidate_id))
        .join(Stage, col(Stage.loop_id) == col(InterviewLoop.id))
        .where(col(Stage.interviewer_id) == person_id)
    )
    carded = (
        select(col(InterviewLoop.candidate_id))
        .join(Stage, col(Stage.loop_id) == col(InterviewLoop.id))
        .join(Scorecard, col(Scorecard.stage_id) == col(Stage.id))
        .where(col(Scorecard.interviewer_id) == person_id)
    )
    return [staged, carded]


def _led(person_id: int) -> Select[Any]:
    """The candidates of the openings this person is the hiring manager of."""
    openings = select(col(Opening.id)).where(col(Opening.hiring_manager_id) == person_id)
    return select(col(Candidate.id)).where(col(Candidate.opening_id).in_(openings))  # by ix_candidate_opening_id


def readable_candidates(w: Who) -> CandidateIds | None:
    """The candidates this person may see: those who plan loops or keep candidates (and admins) see all
    (None); others their panel's and their openings' (policy's "Candidates" rule)."""
    if w.local_admin or w.admin or w.may("manage_candidates") or w.may("plan_loops"):
        return None
    if not w.signed_in or w.person_id is None:
        return _nobody()
    return union(*_panel(w.person_id), _led(w.person_id))


def _leads_every_opening(w: Who) -> bool:
    return w.local_admin or w.may("record_decision", leads=False)


def debrief_candidates(w: Who) -> CandidateIds | None:
    """The candidates whose debrief this person may see (``Visibility.may_view_debrief``): their panel's, and
    those they lead (an admin every candidate: None; a hiring manager their openings')."""
    if _leads_every_opening(w):
        return None
    if not w.signed_in or w.person_id is None:
        return _nobody()
    parts = _panel(w.person_id)
    if w.may("record_decision", leads=True):
        parts.append(_led(w.person_id))
    return union(*parts)


def decision_visible(w: Who, candidate_id: Column, hiring_manager_id: Column) -> ColumnElement[bool]:
    """``Visibility.decision_visible`` as a condition on a candidate's row: the lead sees the decision, and a
    panel member once their own scorecard is submitted (they may then read every submitted one)."""
    if _leads_every_opening(w):
        return true()
    if not w.signed_in or w.person_id is None:
        return false()
    # a list of the person's submitted scorecards' candidates, read once (correlated, it was read per row)
    own_submitted = candidate_id.in_(
        select(scorecard_status.c.candidate_id).where(
            scorecard_status.c.interviewer_id == w.person_id, scorecard_status.c.status == "submitted"
        )
    )
    if w.may("record_decision", leads=True):
        return or_(hiring_manager_id == w.person_id, own_submitted)
    return own_submitted
