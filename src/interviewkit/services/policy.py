"""Who may see and change which record: the object-level rules, in one place.

:mod:`interviewkit.services.access` answers "may someone with this role do this kind of thing?" (the
permission table of :mod:`interviewkit.domain.access`). This module answers the questions about one
record: may this person read this scorecard, this candidate's debrief, this decision, these calibration
rows, this audit trail? Every service that reads or changes people's work asks here, inside its own
session, so the app, the command line and any other front end get the same answers. The PostgreSQL
row-level security policies (:mod:`interviewkit.storage.team`) encode the same rules for direct database
logins; ``tests/services/test_access_table.py`` checks every service against ``tests/services/access_table.csv``.

The rules:

* **Scorecards.** Your own, always (draft or submitted). Someone else's draft, never. Someone else's
  submitted scorecard for a candidate once your own scorecard for that candidate is submitted; the debrief
  lead (the opening's hiring manager, or an admin) once every scorecard of the candidate is submitted (one
  per interview stage: a recruiter's screen stage has answers, not a scorecard), or earlier after an
  audited override. The local operator of an SQLite file reads everything.
* **Debriefs** are for the panel (whoever has a stage in the candidate's loops) and the lead.
* **Decisions** (outcome and rationale: a rationale quotes colleagues' ratings) are shown to the lead, and
  to panel members who may read every submitted scorecard of the candidate (their own is in).
* **Candidates** are seen by those who plan loops or keep candidates (coordinators, hiring managers,
  admins), the lead, and the candidate's panel.
* **Screens** (a recruiter's screen stage, its yes/no/unclear answers and notes): answered, finished and
  amended by the stage's interviewer or an admin. That a screen was finished (by whom, when) is seen by
  the candidate's panel and the lead at any time; its answers and notes by who may answer it, who finished
  it, the lead (the opening's hiring manager, or an admin), and a panel member only once their own
  scorecard for the candidate is submitted (as with colleagues' scorecards: no anchoring on the screen).
  Revision 0013's ``ik_may_read_screen`` is the same rule on PostgreSQL.
* **Calibration.** Those who may see everyone's calibration (hiring managers, admins) get every submitted
  rating except those of candidates whose panel they sit on without having submitted; everyone else gets
  only their own rows, computed from the scorecards they may read, and never a colleague's name.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass

from sqlalchemy import select
from sqlmodel import Session, col

from interviewkit.domain.access import effective_permissions
from interviewkit.services import list_access
from interviewkit.services.access import LOCAL_ADMIN, Actor, require_in
from interviewkit.services.errors import NotFound, PermissionDenied
from interviewkit.storage.models import AuditEvent, Candidate, InterviewLoop, Opening, Person, Scorecard, Stage, id_of
from interviewkit.storage.views import scorecard_status

__all__ = [
    "CalibrationScope",
    "ScreenAccess",
    "Visibility",
    "Who",
    "calibration_scope",
    "candidate_visible",
    "readable_candidate_ids",
    "require_candidate",
    "require_debrief",
    "require_scorecard",
    "require_self",
    "screen_access",
    "visibility",
    "who",
]


@dataclass(frozen=True)
class Who:
    """The acting person as the rules see them."""

    person_id: int | None  # None for the local operator and for nobody
    name: str
    role: str
    active: bool
    local_admin: bool = False

    @property
    def signed_in(self) -> bool:
        return self.local_admin or (self.person_id is not None and self.active)

    @property
    def admin(self) -> bool:
        return self.local_admin or (self.signed_in and self.role == "admin")

    def may(self, action: str, *, leads: bool | None = None) -> bool:
        if self.local_admin:
            return True
        if not self.signed_in:
            return False
        return action in effective_permissions(self.role, leads=leads)


_NOBODY = Who(None, "nobody", "", False)
_LOCAL = Who(None, "the local operator", "admin", True, local_admin=True)


def who(s: Session, by: Actor) -> Who:
    """Resolve an actor inside a session. An unknown person is nobody; an inactive one may do nothing."""
    if by is LOCAL_ADMIN:
        return _LOCAL
    if by is None or not isinstance(by, int):
        return _NOBODY
    person = s.get(Person, by)
    if person is None:
        return _NOBODY
    return Who(id_of(person), person.name, person.access_role, bool(person.active))


def _signed_in_or_refuse(w: Who, what: str) -> None:
    if w.signed_in:
        return
    if w.person_id is not None:
        raise PermissionDenied(f"{w.name} is inactive and may not {what}.")
    raise PermissionDenied(f"Nobody is signed in: choose who you are to {what}.")


def require_self(s: Session, by: Actor, person_id: int, what: str, *, admin_too: bool = False) -> Who:
    """The actor must be ``person_id`` (or, with ``admin_too``, an admin): for a person's own work."""
    w = who(s, by)
    _signed_in_or_refuse(w, what)
    if w.person_id == person_id or w.local_admin or (admin_too and w.admin):
        return w
    raise PermissionDenied(f"{w.name} may not {what}: only that person may.")


# --- candidates, panels, scorecards ----------------------------------------------------------------------


def _candidate(s: Session, candidate_id: int) -> tuple[Candidate, Opening]:
    row = s.execute(
        select(Candidate, Opening)
        .join(Opening, col(Opening.id) == col(Candidate.opening_id))
        .where(col(Candidate.id) == candidate_id)
    ).first()
    if row is None:
        raise NotFound(f"No candidate with id {candidate_id}")
    return row[0], row[1]


def _leads(w: Who, opening: Opening) -> bool:
    """Whether this person leads debriefs of this opening: its hiring manager, or an admin."""
    if w.local_admin:
        return True
    if not w.signed_in:
        return False
    return w.may("record_decision", leads=opening.hiring_manager_id == w.person_id)


@dataclass(frozen=True)
class _Card:
    id: int
    interviewer_id: int
    status: str


def _panel(s: Session, candidate_id: int) -> tuple[list[_Card], list[Stage]]:
    """The candidate's scorecards (who and in what state, from the ``scorecard_status`` view: a team
    database shows a login that much of the scorecards it may not read) and stages."""
    stages = list(
        s.scalars(select(Stage).join(InterviewLoop, col(InterviewLoop.id) == col(Stage.loop_id))
                  .where(col(InterviewLoop.candidate_id) == candidate_id))
    )
    rows = s.execute(
        select(scorecard_status.c.id, scorecard_status.c.interviewer_id, scorecard_status.c.status)
        .where(scorecard_status.c.candidate_id == candidate_id)
    ).all()
    return [_Card(int(i), int(p), str(st)) for i, p, st in rows], stages


def _overridden(s: Session, candidate_id: int) -> bool:
    return (
        s.scalars(
            select(col(AuditEvent.id))
            .where(
                col(AuditEvent.entity) == "candidate",
                col(AuditEvent.entity_id) == str(candidate_id),
                col(AuditEvent.action) == "override",
            )
            .limit(1)
        ).first()
        is not None
    )


@dataclass(frozen=True)
class Visibility:
    """What one person may see of one candidate's panel."""

    candidate_id: int
    opening_id: int
    visible: frozenset[int]  # submitted scorecards this person may read (their own among them)
    own: frozenset[int]  # this person's own scorecards for the candidate, draft or submitted
    hidden: int  # submitted scorecards this person may not read yet
    why_hidden: str
    lead: bool
    override: bool
    on_panel: bool
    own_submitted: bool
    stage_count: int
    submitted_count: int
    local_admin: bool = False

    @property
    def may_view_debrief(self) -> bool:
        return self.local_admin or self.lead or self.on_panel

    @property
    def decision_visible(self) -> bool:
        """The decision's outcome and rationale: the lead's own record, and the panel's once they may
        read every submitted scorecard (a rationale quotes colleagues' ratings)."""
        if self.local_admin or self.lead:
            return True
        return self.on_panel and self.own_submitted and self.hidden == 0

    def may_read(self, scorecard_id: int) -> bool:
        return scorecard_id in self.visible or scorecard_id in self.own


def visibility(s: Session, by: Actor, candidate_id: int) -> Visibility:
    """The rules of :mod:`this module <interviewkit.services.policy>` applied to one candidate."""
    _cand, opening = _candidate(s, candidate_id)
    w = who(s, by)
    cards, stages = _panel(s, candidate_id)
    submitted = [c for c in cards if c.status == "submitted"]
    mine = [c for c in cards if w.person_id is not None and c.interviewer_id == w.person_id] if w.signed_in else []
    on_panel = w.signed_in and w.person_id is not None and (
        bool(mine) or any(st.interviewer_id == w.person_id for st in stages)
    )
    lead = _leads(w, opening)
    override = _overridden(s, candidate_id)
    interviews = [st for st in stages if st.kind != "screen"]  # a screen stage never has a scorecard
    all_done = bool(submitted) and len(submitted) == len(interviews)
    own_submitted = any(c.status == "submitted" for c in mine)
    ids = {id_of(c) for c in submitted}
    if w.local_admin or (lead and (all_done or override)) or own_submitted:
        visible, why = ids, ""
    else:
        visible = {id_of(c) for c in mine if c.status == "submitted"}
        if lead:
            why = (
                f"{len(submitted)} of {len(interviews)} scorecards are submitted. As debrief lead you see them all "
                "once every scorecard is in, or now by overriding (recorded in the audit trail)."
            )
        elif on_panel:
            why = "Other interviewers' scorecards stay hidden until you submit your own: independent judgement first."
        else:
            why = "You are not on this candidate's panel."
    hidden = len(ids - visible)
    return Visibility(
        candidate_id=candidate_id, opening_id=id_of(opening), visible=frozenset(visible),
        own=frozenset(id_of(c) for c in mine), hidden=hidden, why_hidden=why if hidden else "", lead=lead,
        override=override, on_panel=on_panel, own_submitted=own_submitted, stage_count=len(interviews),
        submitted_count=len(submitted), local_admin=w.local_admin,
    )


def require_debrief(s: Session, by: Actor, candidate_id: int) -> Visibility:
    """The candidate's visibility for someone who may see their debrief (the panel, the lead)."""
    vis = visibility(s, by, candidate_id)
    if vis.may_view_debrief:
        return vis
    w = who(s, by)
    _signed_in_or_refuse(w, "see a debrief")
    raise PermissionDenied(
        f"{w.name} may not see candidate #{candidate_id}'s debrief: only the panel and the debrief lead "
        "(the opening's hiring manager or an admin) may."
    )


def require_scorecard(s: Session, by: Actor, scorecard_id: int) -> Scorecard:
    """A scorecard this person may read (:class:`PermissionDenied` naming the rule otherwise)."""
    card = s.get(Scorecard, scorecard_id)
    if card is None:
        raise NotFound(f"No scorecard with id {scorecard_id}")
    w = who(s, by)
    if w.local_admin or (w.signed_in and card.interviewer_id == w.person_id):
        return card
    _signed_in_or_refuse(w, "read a scorecard")
    if card.status == "submitted":
        candidate_id = s.scalar(
            select(col(InterviewLoop.candidate_id)).join(Stage, col(Stage.loop_id) == col(InterviewLoop.id))
            .where(col(Stage.id) == card.stage_id)
        )
        if candidate_id is not None and visibility(s, by, int(candidate_id)).may_read(scorecard_id):
            return card
    raise PermissionDenied(
        f"Scorecard {scorecard_id} is not visible to {w.name}: other interviewers' scorecards are shown once "
        "your own for the candidate is submitted (the debrief lead sees them once all are in)."
    )


def readable_candidate_ids(s: Session, by: Actor) -> frozenset[int] | None:
    """The candidates this person may see (None: every candidate); the rule is
    :func:`~interviewkit.services.list_access.readable_candidates`, which lists read a page at a time use."""
    ids = list_access.readable_candidates(who(s, by))
    if ids is None:
        return None
    return frozenset(int(i) for i in s.scalars(ids))


def candidate_visible(s: Session, by: Actor, candidate_id: int) -> bool:
    ids = readable_candidate_ids(s, by)
    return ids is None or candidate_id in ids


def require_candidate(s: Session, by: Actor, candidate_id: int) -> Candidate:
    """A candidate this person may see."""
    cand, _ = _candidate(s, candidate_id)
    if candidate_visible(s, by, candidate_id):
        return cand
    w = who(s, by)
    _signed_in_or_refuse(w, "see candidates")
    raise PermissionDenied(
        f"{w.name} may not see candidate #{candidate_id}: only their panel, the debrief lead and those who plan "
        "loops or keep candidates may."
    )


# --- screens -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ScreenAccess:
    """What one person may do with one screen stage (see the module's description)."""

    write: bool  # answer, finish, amend: the stage's interviewer or an admin
    read: bool  # its answers and notes
    see: bool  # the screen itself: its checklist's items and whether, when and by whom it was finished
    why_hidden: str  # why the answers are not shown to someone who sees the screen ("" when they are)


_SCREEN_WAIT = ("The screen's answers and notes are shown once your own scorecard for this candidate is submitted: "
                "independent judgement first.")


def screen_access(s: Session, by: Actor, *, interviewer_id: int | None, finished_by: int | None,
                  candidate_id: int) -> ScreenAccess:
    """The rule for screens, for a screen stage of ``candidate_id`` run by ``interviewer_id`` and finished by
    ``finished_by`` (None: not finished)."""
    w = who(s, by)
    if w.admin or (w.signed_in and w.person_id is not None and w.person_id == interviewer_id):
        return ScreenAccess(True, True, True, "")
    if not w.signed_in:
        return ScreenAccess(False, False, False, "")
    vis = visibility(s, by, candidate_id)
    read = vis.lead or (finished_by is not None and w.person_id == finished_by) or vis.own_submitted
    see = read or vis.on_panel
    return ScreenAccess(False, read, see, "" if read or not see else _SCREEN_WAIT)


# --- calibration -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CalibrationScope:
    """Which ratings a calibration may use, and whose rows it may show."""

    everyone: bool  # may show every interviewer's rows, by name
    person_id: int | None  # the viewer (None: the local operator)
    only: frozenset[int] | None  # use only these candidates' ratings (None: no such limit)
    exclude: frozenset[int]  # never these candidates' ratings

    def allows(self, candidate_id: int) -> bool:
        return candidate_id not in self.exclude and (self.only is None or candidate_id in self.only)

    def label(self, person_id: int, name: str) -> str:
        """The label of a rating's interviewer: their name, or for a restricted viewer a colleague's
        opaque, unguessable tag (rows are filtered to the viewer's own before anything is shown)."""
        if self.everyone or person_id == self.person_id:
            return name
        salt = _SALT
        return "colleague-" + hashlib.sha256(salt + str(person_id).encode()).hexdigest()[:10]


_SALT = os.urandom(16)


def calibration_scope(s: Session, by: Actor) -> CalibrationScope:
    """The calibration this person may see (see the module's description)."""
    w = who(s, by)
    if w.local_admin:
        return CalibrationScope(True, None, None, frozenset())
    _signed_in_or_refuse(w, "see calibration")
    pid = w.person_id
    stages = s.execute(
        select(col(InterviewLoop.candidate_id), col(Scorecard.status))
        .join(Stage, col(Stage.loop_id) == col(InterviewLoop.id))
        .outerjoin(Scorecard, (col(Scorecard.stage_id) == col(Stage.id)) & (col(Scorecard.interviewer_id) == pid))
        # interview stages: a recruiter's screen has no scorecard to keep independent (revision 0012)
        .where((col(Stage.interviewer_id) == pid) | (col(Scorecard.interviewer_id) == pid))
        .where(col(Stage.kind) != "screen")
    ).all()
    submitted = {int(c) for c, status in stages if status == "submitted"}
    pending = {int(c) for c, status in stages if status != "submitted"} - submitted
    if w.may("view_calibration_others"):
        return CalibrationScope(True, pid, None, frozenset(pending))
    return CalibrationScope(False, pid, frozenset(submitted), frozenset(pending))


def require_action(s: Session, by: Actor, action: str, **scope: int | None) -> Who:
    """:func:`~interviewkit.services.access.require_in`, returning who acts."""
    require_in(s, by, action, **scope)
    return who(s, by)
