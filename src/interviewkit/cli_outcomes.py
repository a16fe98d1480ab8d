"""``interviewkit outcomes import FILE [--scale LOW-HIGH]`` and ``interviewkit outcomes list [--json]``: the
outcomes of hires (:mod:`interviewkit.services.outcomes`), from which ``calibrate`` adds the validity.

The import is all or nothing: any problem is one line on stderr naming ``file:line`` for each, exit 2,
and nothing is written. The list is what the acting person (``--as``) may read.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from interviewkit.inputs import one_line
from interviewkit.services import outcomes
from interviewkit.services.access import Actor
from interviewkit.services.errors import ValidationFailed
from interviewkit.storage.db import Database

__all__ = ["OutcomesInputError", "import_file", "print_list"]


class OutcomesInputError(Exception):
    """Bad input for an outcomes command: the message is the one line to print."""


def _out(text: str = "") -> None:
    sys.stdout.write(text + "\n")


def import_file(db: Database, file: str, scale: str | None, *, by: Actor, as_json: bool) -> int:
    """``outcomes import``: record every row of ``file`` or nothing; 0 when recorded."""
    try:
        declared = outcomes.parse_scale(scale) if scale is not None else outcomes.DEFAULT_SCALE
    except ValueError as exc:
        raise OutcomesInputError(f"--scale: {exc}") from None
    try:
        result = outcomes.import_outcomes(db, Path(file).expanduser(), scale=declared, by=by)
    except ValidationFailed as exc:
        raise OutcomesInputError(one_line("; ".join(exc.problems))) from None
    if as_json:
        data = {"file": result.file, "added": result.added, "candidates": result.candidates, "scale": list(declared)}
        sys.stdout.write(json.dumps(data, indent=2) + "\n")
    else:
        _out(one_line(result.summary()))
    return 0


def _flag(value: bool | None) -> str:
    return "-" if value is None else "yes" if value else "no"


def _row_json(r: outcomes.OutcomeRow) -> dict[str, Any]:
    return {
        "id": r.id, "candidate_id": r.candidate_id, "candidate": r.candidate, "opening": r.opening,
        "date": r.reviewed_on.isoformat(), "performance": r.performance, "scale": list(r.scale),
        "left": r.has_left, "regretted": r.regretted, "promoted": r.promoted, "note": r.note,
        "recorded_by": r.recorded_by, "recorded_at": r.recorded_at.isoformat(),
    }


def print_list(db: Database, *, by: Actor, as_json: bool, candidate: int | None = None) -> int:
    """``outcomes list``: one line per review (candidate, date, performance on its scale, left, regretted,
    promoted, who recorded it), or ``--json``."""
    rows = outcomes.list_outcomes(db, by=by, candidate_id=candidate)
    if as_json:
        sys.stdout.write(json.dumps([_row_json(r) for r in rows], indent=2, ensure_ascii=False) + "\n")
        return 0
    if not rows:
        _out("No outcomes recorded. Record them with: interviewkit outcomes import FILE.csv")
        return 0
    for r in rows:
        performance = "-" if r.performance is None else f"{r.performance:g}"
        scale = "-".join(f"{v:g}" for v in r.scale)
        _out(one_line(
            f"#{r.candidate_id} {r.candidate}  {r.reviewed_on}  performance {performance} (of {scale})  "
            f"left {_flag(r.has_left)}  regretted {_flag(r.regretted)}  promoted {_flag(r.promoted)}  "
            f"recorded by {r.recorded_by}"
        ))
    hires = len({r.candidate_id for r in rows})
    _out(f"{len(rows)} outcome{'s' if len(rows) != 1 else ''} of {hires} hire{'s' if hires != 1 else ''}.")
    return 0

