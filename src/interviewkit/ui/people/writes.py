"""The writes of the People section's forms: what a dialog's values become, as a service call the screen runs
off the GUI thread (:meth:`SectionWidget.write`)."""

from __future__ import annotations

from collections.abc import Callable

from interviewkit.services import people as svc
from interviewkit.services.context import AppContext
from interviewkit.services.people import CandidateInfo, OpeningInfo, PersonInfo
from interviewkit.ui.people.dialogs import CandidateDialog, OpeningDialog, PersonDialog

__all__ = ["candidate_write", "opening_write", "person_write"]


def person_write(ctx: AppContext, dialog: PersonDialog) -> Callable[[], PersonInfo]:
    """The write of a person's form: create, or update the person it edits."""
    v, person = dialog.values(), dialog.person
    if person is None:
        return lambda: svc.create_person(
            ctx.db, name=v.name, email=v.email, title=v.title, access_role=v.access_role, by=ctx.user_id
        )
    return lambda: svc.update_person(
        ctx.db,
        person.id,
        name=v.name,
        email=v.email,
        title=v.title,
        access_role=v.access_role,
        active=v.active,
        by=ctx.user_id,
    )


def opening_write(ctx: AppContext, dialog: OpeningDialog) -> Callable[[], OpeningInfo]:
    v, opening = dialog.values(), dialog.opening
    if opening is None:
        return lambda: svc.create_opening(
            ctx.db, title=v.title, jd_ids=v.jd_ids, hiring_manager_id=v.hiring_manager_id, by=ctx.user_id
        )
    return lambda: svc.update_opening(
        ctx.db,
        opening.id,
        title=v.title,
        jd_ids=v.jd_ids,
        hiring_manager_id=v.hiring_manager_id,
        status=v.status,
        by=ctx.user_id,
    )


def candidate_write(ctx: AppContext, dialog: CandidateDialog) -> Callable[[], CandidateInfo]:
    v, candidate = dialog.values(), dialog.candidate
    if candidate is None:
        return lambda: svc.create_candidate(
            ctx.db, name=v.name, email=v.email, phone=v.phone, opening_id=v.opening_id, by=ctx.user_id
        )
    return lambda: svc.update_candidate(
        ctx.db, candidate.id, name=v.name, email=v.email, phone=v.phone, opening_id=v.opening_id, by=ctx.user_id
    )
