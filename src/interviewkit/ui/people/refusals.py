"""What the People screen says when a person asks to edit a record they may not change (Enter or a double-click
on a row): one status-bar line that says why and whom to ask, instead of nothing at all."""

from __future__ import annotations

from collections.abc import Sequence

from interviewkit.domain.access import ACTION_LABELS, ROLE_LABELS, roles_allowed
from interviewkit.services.people import CandidateInfo, OpeningInfo, PersonInfo

__all__ = ["ACTION_OF", "why_not"]

#: The right each tab's records need to be changed.
ACTION_OF = {PersonInfo: "manage_people", OpeningInfo: "manage_openings", CandidateInfo: "manage_candidates"}


def _with_article(label: str) -> str:
    return f"{'an' if label[:1].lower() in 'aeiou' else 'a'} {label.lower()}"


def why_not(record: PersonInfo | OpeningInfo | CandidateInfo, people: Sequence[PersonInfo], me: int | None) -> str:
    """Why ``record`` cannot be changed by the person signed in (``me``), and who may change it."""
    if isinstance(record, CandidateInfo) and record.erased:
        return "This candidate's personal data was erased: the record can no longer be changed."
    name = record.title if isinstance(record, OpeningInfo) else record.name
    action = ACTION_OF[type(record)]
    roles = roles_allowed(action)
    who = " or ".join(_with_article(ROLE_LABELS[r]) for r in roles)
    asked = [p.name for p in people if p.active and p.access_role in roles and p.id != me]
    ask = f"; ask {', '.join(asked[:2])}{'…' if len(asked) > 2 else ''}" if asked else ""
    return f"{name}: only {who} may {ACTION_LABELS[action]}{ask}."  # short: the status bar shares its width
