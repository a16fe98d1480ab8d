"""Outcomes of hires: dated reviews of the people we hired, which calibration relates to their interview scores.

An outcome is one review of a hired candidate on a date: the performance rating on the company's scale
(the scale's ends are stored with it: ``1-5`` by default, declared by whoever records or imports), whether
the person has left by then (and whether that was a regretted loss), whether they were promoted, an
optional note, who recorded it and when. One review per candidate and date.

The rules, the same as the database's own on a team database (revision 0010's ``ik_may_read_outcome`` and
``ik_may_write_outcome``):

* An admin records, imports and reads outcomes of any candidate; the lead of a candidate's opening (its
  hiring manager) records and reads theirs; other hiring managers, who see everyone's calibration, read
  every outcome. Interviewers and coordinators neither record nor read them. The local operator of an
  SQLite file does everything.
* Nothing is recorded about a candidate whose personal data was erased; erasing a candidate deletes their
  outcomes (:mod:`interviewkit.services.privacy`).

:func:`import_outcomes` reads the CSV file of :func:`interviewkit.services.validity.outcome_rows` (header
``candidate,date,performance`` and optionally ``left,regretted,promoted``); ``candidate`` is the
candidate's id (``12`` or ``#12``) or email. Every problem is named with ``file:line``, and nothing is
written unless every row is right.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col

from interviewkit.inputs import one_line
from interviewkit.services import policy
from interviewkit.services.access import Actor
from interviewkit.services.changes import Changes, Created
from interviewkit.services.errors import NotFound, PermissionDenied, ValidationFailed
from interviewkit.services.validity import Outcome as ValidityOutcome
from interviewkit.services.validity import outcome_rows
from interviewkit.storage.db import Database, retry_transient
from interviewkit.storage.models import Candidate, Decision, Opening, Outcome, Person, id_of, utcnow

__all__ = [
    "DEFAULT_SCALE",
    "MAX_NOTE",
    "ImportedOutcomes",
    "OutcomeRow",
    "Scale",
    "import_outcomes",
    "list_outcomes",
    "may_read_outcomes",
    "may_record_outcomes",
    "outcomes_for_validity",
    "parse_scale",
    "record_outcome",
    "recordable_candidates",
]

Scale = tuple[float, float]
#: The performance scale when none is declared: most companies rate performance 1 to 5.
DEFAULT_SCALE: Scale = (1.0, 5.0)
#: The longest note an outcome keeps, in characters.
MAX_NOTE = 2000
_MAX_PROBLEMS = 20


@dataclass(frozen=True)
class OutcomeRow:
    """One recorded review, as the person asking may see it."""

    id: int
    candidate_id: int
    candidate: str  # the candidate's name ("Erased candidate #n" never appears: erasing deletes outcomes)
    opening: str
    reviewed_on: date
    performance: float | None
    scale: Scale
    has_left: bool | None
    regretted: bool | None
    promoted: bool | None
    note: str
    recorded_by: str  # the name of who recorded it ("the local operator" when no person did)
    recorded_at: datetime


@dataclass(frozen=True)
class ImportedOutcomes:
    """What an import wrote: ``added`` reviews of ``candidates`` hires, from ``file``."""

    file: str
    added: int
    candidates: int
    changes: Changes

    def summary(self) -> str:
        hires = f"{self.candidates} hire{'s' if self.candidates != 1 else ''}"
        return f"Imported {self.added} outcome{'s' if self.added != 1 else ''} of {hires} from {self.file}."


def parse_scale(text: str) -> Scale:
    """``"1-5"``, ``"0-100"`` or ``"1.0-4.5"``: the performance scale's lowest and highest rating."""
    match = re.fullmatch(r"\s*(-?\d+(?:\.\d+)?)\s*-\s*(-?\d+(?:\.\d+)?)\s*", text)
    if match is None:
        raise ValueError(f"'{one_line(text)[:40]}' is not a scale such as 1-5 (lowest-highest)")
    low, high = float(match.group(1)), float(match.group(2))
    if not low < high:
        raise ValueError(f"'{one_line(text)[:40]}': the lowest rating must be below the highest")
    return low, high


def _scale_text(scale: Scale) -> str:
    return "-".join(f"{v:g}" for v in scale)


# --- who may ---------------------------------------------------------------------------------------------------


def _leads(w: policy.Who, opening: Opening) -> bool:
    return w.signed_in and w.person_id is not None and opening.hiring_manager_id == w.person_id


def _may_write(w: policy.Who, opening: Opening) -> bool:
    return w.admin or _leads(w, opening)


def _may_read(w: policy.Who, opening: Opening) -> bool:
    return _may_write(w, opening) or (w.signed_in and w.role == "hiring_manager")


_WRITERS = "an admin or the hiring manager of the candidate's opening"
_READERS = "admins, hiring managers and the hiring manager of the candidate's opening"


def _refuse(w: policy.Who, what: str, who_may: str = _WRITERS) -> PermissionDenied:
    if not w.signed_in:
        return PermissionDenied(
            f"{w.name} may not {what}" + (": they are inactive" if w.person_id is not None else ": choose who you are")
        )
    return PermissionDenied(f"{w.name} may not {what}: only {who_may} may.")


def _leads_some(s: Session, w: policy.Who) -> bool:
    return w.signed_in and w.person_id is not None and bool(s.scalar(
        select(func.count()).select_from(Opening).where(col(Opening.hiring_manager_id) == w.person_id)))


def may_record_outcomes(db: Database, *, by: Actor) -> bool:
    """Whether ``by`` may record an outcome of some candidate (an admin, or the hiring manager of an opening)."""
    with db.session() as s:
        w = policy.who(s, by)
        return w.admin or _leads_some(s, w)


def may_read_outcomes(db: Database, *, by: Actor) -> bool:
    """Whether ``by`` may read some outcomes (an admin, a hiring manager, or the hiring manager of an opening)."""
    with db.session() as s:
        w = policy.who(s, by)
        return w.admin or (w.signed_in and w.role == "hiring_manager") or _leads_some(s, w)


def recordable_candidates(db: Database, *, by: Actor) -> tuple[tuple[int, str], ...]:
    """(id, "name · opening") of each candidate ``by`` may record an outcome of, hires first (a decision to
    hire in force), then by name; erased candidates are left out."""
    with db.session() as s:
        w = policy.who(s, by)
        stmt = (
            select(col(Candidate.id), col(Candidate.name), col(Opening.title), col(Opening.hiring_manager_id))
            .join(Opening, col(Opening.id) == col(Candidate.opening_id))
            .where(col(Candidate.erased_at).is_(None))
        )
        if not w.admin:
            if not w.signed_in or w.person_id is None:
                return ()
            stmt = stmt.where(col(Opening.hiring_manager_id) == w.person_id)
        rows = s.execute(stmt).all()
        hired = set(s.scalars(select(col(Decision.candidate_id)).where(
            col(Decision.outcome) == "hire", col(Decision.superseded_by).is_(None))))
    ordered = sorted(rows, key=lambda r: (r[0] not in hired, str(r[1]).lower(), r[0]))
    return tuple(
        (int(cid), f"{name} · {title}" + (" (hired)" if cid in hired else "")) for cid, name, title, _ in ordered
    )


# --- writing --------------------------------------------------------------------------------------------------


def _check_values(performance: float | None, scale: Scale, note: str, at: str) -> list[str]:
    problems = []
    low, high = scale
    if not low < high:
        problems.append(f"{at}scale {_scale_text(scale)}: the lowest rating must be below the highest")
    elif performance is not None and not low <= performance <= high:
        problems.append(f"{at}performance {performance:g} is outside the scale {_scale_text(scale)}")
    if len(note) > MAX_NOTE:
        problems.append(f"{at}note of {len(note):,} characters; an outcome's note keeps at most {MAX_NOTE:,}")
    return problems


def _candidate_and_opening(s: Session, candidate_id: int) -> tuple[Candidate, Opening]:
    row = s.execute(
        select(Candidate, Opening).join(Opening, col(Opening.id) == col(Candidate.opening_id))
        .where(col(Candidate.id) == candidate_id)
    ).first()
    if row is None:
        raise NotFound(f"No candidate with id {candidate_id}")
    return row[0], row[1]


def _already(s: Session, pairs: Iterable[tuple[int, date]]) -> set[tuple[int, date]]:
    wanted = set(pairs)
    ids = sorted({c for c, _ in wanted})
    if not ids:
        return set()
    found = s.execute(select(col(Outcome.candidate_id), col(Outcome.reviewed_on))
                      .where(col(Outcome.candidate_id).in_(ids))).all()
    return {(int(c), d) for c, d in found} & wanted


@retry_transient(also=(IntegrityError,))  # two windows recording the same review at once: the rerun refuses
def record_outcome(
    db: Database,
    candidate_id: int,
    reviewed_on: date,
    performance: float | None,
    *,
    by: Actor,
    scale: Scale = DEFAULT_SCALE,
    has_left: bool | None = None,
    regretted: bool | None = None,
    promoted: bool | None = None,
    note: str = "",
) -> Created:
    """Record one review of a hire (see the module's description). A second review of the same candidate on
    the same date is refused (correct it by erasing the first through the database administrator, or record
    the review under its own date)."""
    problems = _check_values(performance, scale, note, "")
    if regretted and has_left is False:
        problems.append("regretted: only a person who left is a regretted loss")
    with db.transaction() as s:
        w = policy.who(s, by)
        cand, opening = _candidate_and_opening(s, candidate_id)
        if not _may_write(w, opening):
            raise _refuse(w, f"record the outcome of candidate #{candidate_id}")
        if cand.erased_at is not None:
            problems.append("This candidate's personal data was erased: no outcome is recorded about them")
        if _already(s, [(candidate_id, reviewed_on)]):
            problems.append(f"{cand.name} already has an outcome reviewed on {reviewed_on.isoformat()}")
        if problems:
            raise ValidationFailed([p[:1].upper() + p[1:] for p in problems])
        row = Outcome(
            candidate_id=candidate_id, reviewed_on=reviewed_on, performance=performance, scale_low=scale[0],
            scale_high=scale[1], has_left=has_left, regretted=regretted, promoted=promoted, note=note,
            recorded_by=w.person_id, recorded_at=utcnow(),
        )
        s.add(row)
        s.flush()
        return Created(id_of(row), Changes.of(candidates=[candidate_id]))


def _resolve(s: Session, references: Iterable[str]) -> dict[str, tuple[Candidate, Opening]]:
    """Each reference of a file (an id, ``#id`` or an email) -> its candidate and opening; unknown ones left out."""
    refs = set(references)
    ids = {r: int(r.lstrip("#")) for r in refs if re.fullmatch(r"#?\d{1,9}", r)}
    emails = {r.lower(): r for r in refs if "@" in r}
    rows = s.execute(
        select(Candidate, Opening).join(Opening, col(Opening.id) == col(Candidate.opening_id)).where(
            col(Candidate.id).in_(sorted(set(ids.values()))) | func.lower(col(Candidate.email)).in_(sorted(emails))
        )
    ).all()
    by_id = {id_of(c): (c, o) for c, o in rows}
    out = {r: by_id[i] for r, i in ids.items() if i in by_id}
    by_email: dict[str, list[tuple[Candidate, Opening]]] = {}
    for c, o in rows:
        if c.email.strip():
            by_email.setdefault(c.email.strip().lower(), []).append((c, o))
    for key, ref in emails.items():
        if len(by_email.get(key, [])) == 1:  # an email two candidates share names neither
            out[ref] = by_email[key][0]
    return out


def _import_problems(
    s: Session, w: policy.Who, name: str, rows: Sequence[tuple[int, ValidityOutcome]], scale: Scale,
    known: dict[str, tuple[Candidate, Opening]],
) -> list[str]:
    problems = []
    for row, o in rows:
        at = f"{name}:{row}: "
        found = known.get(o.candidate)
        if found is None:
            problems.append(f"{at}unknown candidate '{one_line(o.candidate)[:80]}' (give the candidate's id or email)")
            continue
        cand, opening = found
        if not _may_write(w, opening):
            problems.append(f"{at}{w.name} may not record the outcome of candidate #{id_of(cand)}: only an admin "
                            f"or the hiring manager of '{one_line(opening.title)[:80]}' may")
        elif cand.erased_at is not None:
            problems.append(f"{at}candidate #{id_of(cand)}'s personal data was erased: no outcome is recorded")
        problems += _check_values(o.performance, scale, "", at)
        if o.regretted and o.left is False:
            problems.append(f"{at}regretted is yes but left is no: only a person who left is a regretted loss")
    pairs = {(id_of(known[o.candidate][0]), o.at): row for row, o in rows if o.candidate in known}
    for cid, day in sorted(_already(s, pairs)):
        problems.append(f"{name}:{pairs[(cid, day)]}: candidate #{cid} already has an outcome reviewed on {day}")
    seen: dict[tuple[int, date], int] = {}
    for row, o in rows:  # one candidate named twice (by id and by email) on one date
        if o.candidate in known:
            key = (id_of(known[o.candidate][0]), o.at)
            if key in seen:
                problems.append(f"{name}:{row}: candidate #{key[0]} on {o.at} already given in line {seen[key]}")
            seen.setdefault(key, row)
    return problems


@retry_transient(also=(IntegrityError,))
def import_outcomes(db: Database, path: Path | str, *, by: Actor, scale: Scale = DEFAULT_SCALE) -> ImportedOutcomes:
    """Record every review of an outcomes CSV file (see the module's description), all or nothing:
    :class:`ValidationFailed` lists each problem as ``file:line: ...`` (at most 20, then how many more)."""
    path = Path(path)
    name = path.name
    rows = outcome_rows(path, label=lambda row: f"{name}:{row}")
    if not rows:
        raise ValidationFailed([f"{name}: no outcomes (only a header)"])
    with db.transaction() as s:
        w = policy.who(s, by)
        if not (w.admin or (w.signed_in and w.person_id is not None)):
            raise _refuse(w, "import outcomes")
        known = _resolve(s, (o.candidate for _, o in rows))
        problems = _import_problems(s, w, name, rows, scale, known)
        if problems:
            extra = len(problems) - _MAX_PROBLEMS
            raise ValidationFailed(problems[:_MAX_PROBLEMS] + ([f"... and {extra} more"] if extra > 0 else []))
        now = utcnow()
        for _, o in rows:
            s.add(Outcome(
                candidate_id=id_of(known[o.candidate][0]), reviewed_on=o.at, performance=o.performance,
                scale_low=scale[0], scale_high=scale[1], has_left=o.left, regretted=o.regretted,
                promoted=o.promoted, recorded_by=w.person_id, recorded_at=now,
            ))
        s.flush()
        ids = {id_of(known[o.candidate][0]) for _, o in rows}
    return ImportedOutcomes(name, len(rows), len(ids), Changes.of(candidates=ids))


# --- reading --------------------------------------------------------------------------------------------------


def list_outcomes(db: Database, *, by: Actor, candidate_id: int | None = None) -> tuple[OutcomeRow, ...]:
    """The outcomes ``by`` may read (see the module's description), by candidate and date. Someone who may read
    none is refused; ``candidate_id`` narrows to one candidate."""
    with db.session() as s:
        w = policy.who(s, by)
        if not w.signed_in:
            raise _refuse(w, "read outcomes", _READERS)
        stmt = (
            select(Outcome, Candidate, Opening, col(Person.name))
            .join(Candidate, col(Candidate.id) == col(Outcome.candidate_id))
            .join(Opening, col(Opening.id) == col(Candidate.opening_id))
            .outerjoin(Person, col(Person.id) == col(Outcome.recorded_by))
            .order_by(col(Candidate.name), col(Candidate.id), col(Outcome.reviewed_on))
        )
        if candidate_id is not None:
            _, opening = _candidate_and_opening(s, candidate_id)
            if not _may_read(w, opening):
                raise _refuse(w, f"read the outcomes of candidate #{candidate_id}", _READERS)
            stmt = stmt.where(col(Outcome.candidate_id) == candidate_id)
        elif not (w.admin or w.role == "hiring_manager"):
            leads = s.scalar(select(func.count()).select_from(Opening)
                             .where(col(Opening.hiring_manager_id) == w.person_id))
            if not leads:
                raise _refuse(w, "read outcomes", _READERS)
            stmt = stmt.where(col(Opening.hiring_manager_id) == w.person_id)
        rows = s.execute(stmt).all()
        return tuple(
            OutcomeRow(
                id=id_of(o), candidate_id=id_of(c), candidate=c.name, opening=op.title, reviewed_on=o.reviewed_on,
                performance=o.performance, scale=(o.scale_low, o.scale_high), has_left=o.has_left,
                regretted=o.regretted, promoted=o.promoted, note=o.note,
                recorded_by=recorder or "the local operator", recorded_at=o.recorded_at,
            )
            for o, c, op, recorder in rows
            if _may_read(w, op)
        )


def outcomes_for_validity(db: Database, *, by: Actor) -> list[ValidityOutcome]:
    """The outcomes ``by`` may read as the validity analysis takes them: the candidate is the database id as
    text (as :func:`~interviewkit.services.calibration.ratings_from_db` gives it), the performance rating
    rescaled to 0-1 when reviews were recorded on different scales (else as recorded). Someone who may read
    no outcome gets none (no refusal: calibration goes on without them)."""
    with db.session() as s:
        w = policy.who(s, by)
        if not w.signed_in:
            return []
    try:
        rows = list_outcomes(db, by=by)
    except PermissionDenied:
        return []
    mixed = len({r.scale for r in rows}) > 1
    out = []
    for r in rows:
        value = r.performance
        if value is not None and mixed:
            value = (value - r.scale[0]) / (r.scale[1] - r.scale[0])
        out.append(ValidityOutcome(str(r.candidate_id), r.reviewed_on, value, r.has_left, r.regretted, r.promoted))
    return out
