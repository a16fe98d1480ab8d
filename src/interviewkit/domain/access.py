"""Who may do what: the permission table of the four access roles (pure data, no database).

Roles (``Person.access_role``):

* **interviewer**: interviews, reads colleagues' scorecards under the debrief rules (only after
  submitting their own), sees their own calibration only.
* **coordinator**: as an interviewer, and plans loops and keeps the candidates up to date.
* **hiring_manager**: as an interviewer, and plans loops, sees everyone's calibration, imports
  scorecards; leads the debrief of the openings they manage (records the decision, may override the
  independence rule).
* **admin**: everything, including the directory and openings, erasure and retention.

Two actions are scoped to an opening (:data:`OPENING_SCOPED`): a hiring manager holds them only for
the openings they manage, and whoever is named an opening's hiring manager holds them for that opening,
whatever their role. An admin holds them everywhere.

Openings are admin-only on purpose: naming an opening's hiring manager hands out the right to decide
on its candidates.
"""

from __future__ import annotations

from types import MappingProxyType

__all__ = [
    "ACTIONS",
    "ACTION_LABELS",
    "OPENING_SCOPED",
    "ROLES",
    "ROLE_LABELS",
    "ROLE_PERMISSIONS",
    "effective_permissions",
    "is_allowed",
    "roles_allowed",
]

ROLES: tuple[str, ...] = ("interviewer", "coordinator", "hiring_manager", "admin")

ROLE_LABELS = MappingProxyType(
    {"interviewer": "Interviewer", "coordinator": "Coordinator", "hiring_manager": "Hiring manager", "admin": "Admin"}
)

#: Every action, with the words used in messages ("... may not <label>").
ACTION_LABELS = MappingProxyType(
    {
        "interview": "conduct interviews and write their own scorecards",
        "view_others_scorecards": "read colleagues' scorecards (under the debrief rules)",
        "override_independence": "show the panel's scorecards before all are submitted",
        "record_decision": "record hiring decisions",
        "plan_loops": "plan interview loops",
        "manage_people": "add or change people in the directory",
        "manage_openings": "open or change openings",
        "manage_candidates": "add or change candidates",
        "view_calibration_others": "see other interviewers' calibration",
        "import_data": "import scorecard files",
        "import_history": "import historical ratings (which adds people, an opening and candidates)",
        "export_data": "export scorecards and debrief packets",
        "erase_data": "erase a candidate's personal data",
        "run_retention": "set or apply the retention period",
        "manage_bank": "sync the question bank or import job descriptions",
        "administer_database": "copy the database or set up a team database",
        "resign_files": "re-sign a scorecard file on purpose (audited)",
    }
)
ACTIONS: tuple[str, ...] = tuple(ACTION_LABELS)

#: Actions a hiring manager holds only for the openings they manage.
OPENING_SCOPED: frozenset[str] = frozenset({"record_decision", "override_independence"})

_EVERYONE = frozenset({"interview", "view_others_scorecards", "export_data"})

ROLE_PERMISSIONS = MappingProxyType(
    {
        "interviewer": _EVERYONE,
        "coordinator": _EVERYONE | {"plan_loops", "manage_candidates", "import_data"},
        "hiring_manager": _EVERYONE
        | {"plan_loops", "view_calibration_others", "import_data", "record_decision", "override_independence"},
        "admin": frozenset(ACTIONS),
    }
)


def effective_permissions(role: str, *, leads: bool | None = None) -> frozenset[str]:
    """What someone with ``role`` may do.

    ``leads`` says whether they are the hiring manager of the opening in question: True or False for
    one opening, None when no opening is in question (then a hiring manager keeps the scoped actions,
    meaning "for the openings they lead"). An unknown role may do nothing.
    """
    granted = set(ROLE_PERMISSIONS.get(role, frozenset()))
    if role == "admin":
        return frozenset(granted)
    if leads is False:
        granted -= OPENING_SCOPED
    elif leads is True:
        granted |= OPENING_SCOPED
    return frozenset(granted)


def is_allowed(role: str, action: str, *, leads: bool | None = None) -> bool:
    if action not in ACTION_LABELS:
        raise KeyError(f"unknown action {action!r}")
    return action in effective_permissions(role, leads=leads)


def roles_allowed(action: str) -> tuple[str, ...]:
    """The roles that hold ``action`` (scoped actions count), for messages: 'Coordinator, Admin'."""
    return tuple(r for r in ROLES if action in ROLE_PERMISSIONS[r])
