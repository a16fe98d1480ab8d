"""``interviewkit list openings|candidates|stages|scorecards|people [--json]``: the ids other commands take.

Each list is what the acting person (``--as``) may see, as in the app (:mod:`interviewkit.services.listing`).
Text is one row per record, the id first; ``--json`` is a list of objects with the same fields.
"""

from __future__ import annotations

import json
import sys
from dataclasses import asdict
from datetime import datetime
from typing import Any

from interviewkit.inputs import one_line
from interviewkit.services import listing
from interviewkit.services.access import Actor
from interviewkit.storage.db import Database

__all__ = ["KINDS", "list_records"]

KINDS = ("openings", "candidates", "stages", "scorecards", "people")


def _when(value: datetime | None) -> str:
    return f"{value:%Y-%m-%d %H:%M}" if value is not None else "-"


def _rows(db: Database, kind: str, by: Actor, opening: int | None, candidate: int | None) -> list[Any]:
    if kind == "openings":
        return listing.list_openings(db, by=by)
    if kind == "candidates":
        return listing.list_candidates(db, by=by, opening_id=opening)
    if kind == "stages":
        return listing.list_stages(db, by=by, candidate_id=candidate)
    if kind == "scorecards":
        return listing.list_scorecards(db, by=by, candidate_id=candidate)
    return listing.list_people(db, by=by)


def _line(kind: str, r: Any) -> str:
    if kind == "openings":
        hm = f", hiring manager {r.hiring_manager}" if r.hiring_manager else ""
        return f"{r.id:5d}  {r.title} ({r.status}{hm}; {r.candidates} candidates)"
    if kind == "candidates":
        return f"{r.id:5d}  {r.name}  (opening {r.opening_id}: {r.opening})"
    if kind == "stages":
        who = r.interviewer or "no interviewer"
        screen = ", screen" if r.kind == "screen" else ""
        return (f"{r.id:5d}  candidate {r.candidate_id} {r.candidate}: {r.position}. {r.name}{screen} "
                f"({who}, {_when(r.scheduled_at)})")
    if kind == "scorecards":
        when = f", submitted {_when(r.submitted_at)}" if r.submitted_at else ""
        return f"{r.id:5d}  candidate {r.candidate_id} {r.candidate}: {r.stage} by {r.interviewer} ({r.status}{when})"
    inactive = ", inactive" if not r.active else ""
    return f"{r.id:5d}  {r.name} <{r.email}> ({r.role}{inactive})"


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, datetime) else value


def list_records(db: Database, kind: str, *, by: Actor, as_json: bool, opening: int | None = None,
                 candidate: int | None = None) -> int:
    """Print the list of ``kind`` as ``by`` may see it; the exit code."""
    rows = _rows(db, kind, by, opening, candidate)
    if as_json:
        data = [{k: _plain(v) for k, v in asdict(r).items()} for r in rows]
        sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
        return 0
    for r in rows:
        sys.stdout.write(one_line(_line(kind, r)) + "\n")
    if not rows:
        sys.stdout.write(f"No {kind} you may see.\n")
    return 0
