"""Calibration's data: read ratings (from a CSV file or the database), import historical ratings.

* :func:`ratings_from_csv` reads a long-format CSV (``candidate,interviewer,competency,score`` and an
  optional ``date``), validating every row.
* :func:`ratings_from_db` reads the ratings of submitted scorecards.
* :func:`pass_through_from_db` and :func:`question_uses_from_db` read recommendations and the questions
  asked; :mod:`interviewkit.services.calibration_report` turns all of it into the calibration report.
* :func:`import_ratings_csv` stores historical ratings from such a CSV in the database, all or nothing.

CSV rows are numbered as a spreadsheet shows them: the header is row 1, the first rating row 2.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray
from sqlalchemy import ARRAY, Integer, String, and_, any_, bindparam, func, select, type_coerce
from sqlmodel import Session, col

from interviewkit.bank.model import BankSettings
from interviewkit.domain.calibration import (
    Column,
    QuestionUse,
    RatingColumns,
    RatingSet,
)
from interviewkit.services import audit
from interviewkit.services.access import Actor, require_in
from interviewkit.services.calibration_csv import (
    DEFAULT_SCALE,
    DUPLICATES,
    REQUIRED_COLUMNS,
    RatingsFile,
    _capped,
    _Row,
    _rows_text,
    parse_scale,
    ratings_from_csv,
    read_ratings_csv,
)
from interviewkit.services.calibration_csv import OPTIONAL_COLUMNS as OPTIONAL_COLUMNS  # re-exported: tests
from interviewkit.services.calibration_csv import _parse_date as _parse_date
from interviewkit.services.calibration_csv import _rating as _rating
from interviewkit.services.calibration_csv import _read_rows as _read_rows
from interviewkit.services.calibration_csv import _repeat_notes as _repeat_notes
from interviewkit.services.calibration_csv import _repeats as _repeats
from interviewkit.services.errors import ValidationFailed
from interviewkit.services.import_receipts import add_receipt, find_receipt, import_transaction
from interviewkit.services.policy import CalibrationScope, calibration_scope
from interviewkit.storage.db import Database
from interviewkit.storage.models import (
    Candidate,
    Competency,
    InterviewLoop,
    Opening,
    Person,
    QuestionCompetency,
    QuestionVersion,
    Scorecard,
    Stage,
    id_of,
    utcnow,
)
from interviewkit.storage.models import Rating as RatingRow
from interviewkit.storage.views import (
    calibration_asked,
    calibration_rating,
    calibration_scorecard,
)

__all__ = [
    "DEFAULT_SCALE",
    "DUPLICATES",
    "IMPORTED_EMAIL_DOMAIN",
    "IMPORT_OPENING_TITLE",
    "REQUIRED_COLUMNS",
    "CandidateAdjustment",
    "ImportReport",
    "RatingsFile",
    "candidate_adjustment",
    "import_ratings_csv",
    "parse_scale",
    "pass_through_from_db",
    "question_uses_from_db",
    "ratings_from_csv",
    "ratings_from_db",
    "read_ratings_csv",
]

IMPORT_OPENING_TITLE = "Imported ratings"
IMPORTED_EMAIL_DOMAIN = "imported.invalid"
NOT_RATED_REASON = "Not rated (imported)"
MAX_IMPORT_BYTES = 20 * 1024 * 1024  # 400,000 ratings; a real history is a few hundred KB


# --- reading the database ------------------------------------------------------------------------------


def _as_utc(moment: datetime | date | None, *, end: bool = False) -> datetime | None:
    """A bound of a period: a date means its start (``end``: the start of the next day); naive is UTC."""
    if moment is None:
        return None
    if not isinstance(moment, datetime):
        day = moment + timedelta(days=1) if end else moment
        return datetime.combine(day, time(0), tzinfo=UTC)
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def _interviewer_labels(people: Iterable[tuple[int, str, str]]) -> dict[int, str]:
    """Each person's name, with the email added where two people share a name."""
    rows = list(people)
    count: dict[str, int] = defaultdict(int)
    for _, name, _ in rows:
        count[name] += 1
    return {pid: (name if count[name] == 1 else f"{name} <{email}>") for pid, name, email in rows}


def _scorecard_filter(
    stmt: Any,
    view: Any,
    *,
    opening_id: int | None,
    since: datetime | date | None,
    until: datetime | date | None,
    interviewer: int | str | None,
) -> Any:
    """Filters on one of the calibration views (submitted scorecards only, by construction). The period is
    on ``held_at``, the stage's scheduled time or else the submission's, which an index serves (revision
    0014)."""
    if opening_id is not None:
        stmt = stmt.where(view.c.opening_id == opening_id)
    stmt = stmt.where(*_period(view.c.held_at, since, until))
    if interviewer is not None:
        if isinstance(interviewer, int):
            stmt = stmt.where(view.c.interviewer_id == interviewer)
        else:
            stmt = stmt.join(Person, col(Person.id) == view.c.interviewer_id).where(
                (col(Person.name) == interviewer) | (col(Person.email) == interviewer)
            )
    return stmt


def _period(when: Any, since: datetime | date | None, until: datetime | date | None) -> list[Any]:
    """The conditions that put ``when`` in the period (``since`` and ``until`` inclusive, a date its whole day)."""
    start, stop = _as_utc(since), _as_utc(until, end=True)
    out = []
    if start is not None:
        out.append(when >= start)
    if stop is not None:
        out.append(when < stop if not isinstance(until, datetime) else when <= stop)
    return out


def _in_scope(stmt: Any, view: Any, scope: CalibrationScope) -> Any:
    """Only the candidates a viewer's calibration may use (see :func:`~interviewkit.services.policy.calibration_scope`;
    on PostgreSQL the views apply the same rule to the login)."""
    if scope.exclude:
        stmt = stmt.where(view.c.candidate_id.not_in(sorted(scope.exclude)))
    if scope.only is not None:
        stmt = stmt.where(view.c.candidate_id.in_(sorted(scope.only)))
    return stmt


def _labels(s: Session, ids: set[int], scope: CalibrationScope) -> dict[int, str]:
    people = (
        s.execute(select(col(Person.id), col(Person.name), col(Person.email)).where(col(Person.id).in_(ids))).all()
        if ids
        else []
    )
    named = _interviewer_labels((int(p[0]), p[1], p[2]) for p in people)
    return {pid: scope.label(pid, label) for pid, label in named.items()}


def ratings_from_db(
    db: Database,
    *,
    by: Actor,
    opening_id: int | None = None,
    since: datetime | date | None = None,
    until: datetime | date | None = None,
    competency: str | None = None,
    interviewer: int | str | None = None,
) -> RatingColumns:
    """The ratings of submitted scorecards, as :class:`Rating` values held in columns
    (:class:`~interviewkit.domain.calibration.RatingColumns`: 1.2 million ratings are no 1.2 million objects).

    The candidate is the candidate's database id (as text: names can be erased, ratings stay), the
    interviewer the name of the person who wrote the scorecard (with their email where two people share
    a name), the time the stage's scheduled time or, failing that, when the scorecard was submitted.
    "Not assessed" ratings come with ``score=None``. ``questions`` is how many of the questions asked in
    that scorecard assess the competency (None: none recorded), and ``question`` the question when it is
    exactly one (the D-study and the validity analysis use them). Filters: an opening, a period (``since`` inclusive,
    ``until`` inclusive; a date covers its whole day; a time without offset is UTC), a competency id,
    and an interviewer (person id, name or email).

    Only the ratings ``by`` may use (:func:`~interviewkit.services.policy.calibration_scope`); for
    someone who may not see colleagues' calibration, colleagues are opaque tags, never names. Read from
    the ``calibration_rating`` view: numbers, never the notes they came with. Served from the columns kept
    per database (:mod:`~interviewkit.services.rating_columns`, see ``wanted``) unless inside
    ``rating_columns.bypass()``.
    """
    from interviewkit.services import calibration_cached, rating_columns

    narrowed = any(x is not None for x in (opening_id, since, until, competency, interviewer))
    if rating_columns.wanted(db, narrowed=narrowed):
        return calibration_cached.ratings(db, by=by, opening_id=opening_id, since=since, until=until,
                                          competency=competency, interviewer=interviewer)  # fmt: skip
    v = calibration_rating
    when = v.c.held_at  # COALESCE(scheduled_at, submitted_at), kept by the database (revision 0014)
    stmt = select(
        v.c.candidate_id, v.c.interviewer_id, v.c.competency_id, v.c.score, v.c.not_assessed,
        type_coerce(when, String),  # as stored (SQLite: text): each distinct time is parsed once, by _utc
        v.c.scorecard_id,
    )  # fmt: skip
    stmt = _scorecard_filter(stmt, v, opening_id=opening_id, since=since, until=until, interviewer=interviewer)
    if competency is not None:
        stmt = stmt.where(v.c.competency_id == competency)
    # The same order as held_at's, written so that no index serves it: SQLite then reads the table in rowid
    # order and sorts (by the held_at index it made 300,000 random lookups, three times slower).
    stmt = stmt.order_by(func.coalesce(v.c.scheduled_at, v.c.submitted_at), v.c.scorecard_id, v.c.competency_id)
    with db.session() as s:
        scope = calibration_scope(s, by)
        rows = s.connection().execute(_in_scope(stmt, v, scope)).all()  # Core: no ORM row loading
        if not rows:
            return _no_ratings()
        columns = list(zip(*rows))
        del rows
        person, person_ids = np.unique(np.array(columns[1], dtype=np.int64), return_inverse=True)
        labels = _labels(s, set(person.tolist()), scope)
        cards = _cards(opening_id=opening_id, since=since, until=until, interviewer=interviewer, scope=scope)
        asked = _questions_asked(s, cards, (since, until))
    cand, cand_ids = np.unique(np.array(columns[0], dtype=np.int64), return_inverse=True)
    who, who_ids = _merged([labels[int(p)] for p in person.tolist()], person_ids.reshape(-1))
    comps, comp_ids = _factorised(columns[2])
    score = np.array(columns[3], dtype=np.float64)  # None: NaN
    score[np.array(columns[4], dtype=bool)] = np.nan  # not assessed
    times, time_ids = _factorised(columns[5])
    card = np.array(columns[6], dtype=np.int64)
    questions, question = _asked_columns(asked, card, comps, comp_ids)
    return RatingColumns(
        tuple(str(c) for c in cand.tolist()), cand_ids.reshape(-1).astype(np.intp), who, who_ids,
        tuple(comps), comp_ids, score, ([_utc(t) for t in times], time_ids), questions, question,
    )  # fmt: skip


def _no_ratings() -> RatingColumns:
    none = np.zeros(0, dtype=np.intp)
    return RatingColumns((), none, (), none, (), none, np.zeros(0))


def _factorised(values: Sequence[Any]) -> tuple[list[Any], NDArray[np.intp]]:
    """The distinct values in order of first appearance, and each value's index among them."""
    index = {value: k for k, value in enumerate(dict.fromkeys(values))}
    return list(index), np.fromiter(map(index.__getitem__, values), dtype=np.intp, count=len(values))


def _merged(labels: list[str], codes: NDArray[np.intp]) -> tuple[tuple[str, ...], NDArray[np.intp]]:
    """Codes into ``labels`` with repeated labels made one (two ids, one tag)."""
    distinct, recode = _factorised(labels)
    return tuple(distinct), recode[codes]


def _utc(stored: Any) -> datetime | None:
    """A time as the database gives it back (SQLite: text), aware, in UTC."""
    at = datetime.fromisoformat(stored) if isinstance(stored, str) else stored
    if isinstance(at, datetime) and at.tzinfo is None:
        at = at.replace(tzinfo=UTC)
    return at if isinstance(at, datetime) else None


def _asked_columns(
    asked: list[tuple[int, str, str]], card: NDArray[np.int64], comps: list[str], comp_ids: NDArray[np.intp]
) -> tuple[Column | None, Column | None]:
    """Per rating, how many distinct questions asked in its scorecard assess its competency (None: none),
    and that question when it is exactly one, as columns; ``asked`` holds (scorecard, competency, question)."""
    where = {c: k for k, c in enumerate(comps)}
    kept = [(a_card, where[a_comp], q) for a_card, a_comp, q in asked if a_comp in where]
    if not kept:
        return None, None
    a_card, a_comp, a_q = zip(*kept)
    qids, q_codes = _factorised(a_q)
    n_comp, n_q = len(comps), len(qids)
    triple = np.unique((np.array(a_card, dtype=np.int64) * n_comp + np.array(a_comp)) * n_q + q_codes)
    pair, first, count = np.unique(triple // n_q, return_index=True, return_counts=True)
    at = np.searchsorted(pair, card * n_comp + comp_ids)
    found = at < pair.size
    found[found] = pair[at[found]] == (card * n_comp + comp_ids)[found]
    n = np.where(found, count[np.minimum(at, pair.size - 1)], 0)
    single = np.where(n == 1, triple[first][np.minimum(at, pair.size - 1)] % n_q + 1, 0)
    most = int(n.max())
    return (
        ([None, *range(1, most + 1)], n.astype(np.intp)),
        ([None, *qids], single.astype(np.intp)),
    )


def _cards(
    *,
    opening_id: int | None,
    since: datetime | date | None,
    until: datetime | date | None,
    interviewer: int | str | None,
    scope: CalibrationScope,
) -> Any:
    """The ids of the submitted scorecards that match the filters, as a subquery: a list of ids in the
    statement would exceed SQLite's limit of 32,766 variables on a large database (300,000 scorecards)."""
    v = calibration_scorecard
    stmt = _scorecard_filter(
        select(v.c.scorecard_id), v, opening_id=opening_id, since=since, until=until, interviewer=interviewer
    )
    return _in_scope(stmt, v, scope)


def _among(s: Session, view: Any, cards: Any, period: tuple[datetime | date | None, datetime | date | None]) -> Any:
    """The rows of ``view`` (a calibration view) of the scorecards ``cards`` selects (:func:`_cards`), in the
    ``period`` (since, until) ``cards`` has. On SQLite the subquery itself: a list of ids would pass SQLite's
    limit of 32,766 variables. On PostgreSQL the ids as one array parameter, and the period again on the
    view's own ``held_at``: the views are security barriers, which let such leakproof comparisons through
    to their tables' indexes, but not the join a subquery makes (that read all of asked_question)."""
    if s.get_bind().dialect.name != "postgresql":
        return view.c.scorecard_id.in_(cards)
    ids = [int(i) for i in s.connection().execute(cards).scalars()]
    return and_(view.c.scorecard_id == any_(bindparam(None, ids, type_=ARRAY(Integer))),
                *_period(view.c.held_at, *period))


def _questions_asked(
    s: Session, cards: Any, period: tuple[datetime | date | None, datetime | date | None]
) -> list[tuple[int, str, str]]:
    """(scorecard, competency, question) for each question asked in a scorecard, per competency it assesses;
    ``cards`` selects the scorecards' ids (:func:`_cards`) of the ``period``."""
    a = calibration_asked
    found = s.connection().execute(
        select(a.c.scorecard_id, col(QuestionCompetency.competency_id), col(QuestionVersion.question_id))
        .join(QuestionCompetency, col(QuestionCompetency.question_version_id) == a.c.question_version_id)
        .join(QuestionVersion, col(QuestionVersion.id) == a.c.question_version_id)
        .where(_among(s, a, cards, period))
    ).all()
    return [(int(card), comp, question) for card, comp, question in found]


def pass_through_from_db(
    db: Database,
    settings: BankSettings,
    *,
    by: Actor,
    opening_id: int | None = None,
    since: datetime | date | None = None,
    until: datetime | date | None = None,
    interviewer: int | str | None = None,
) -> list[tuple[str, bool]]:
    """(interviewer, said yes) for each submitted scorecard with a recommendation; "yes" is the upper
    half of the bank's recommendations (Yes and Strong yes on the shipped bank)."""
    recs = list(settings.recommendations)
    yes = set(recs[len(recs) // 2 :])
    from interviewkit.services import calibration_cached, rating_columns

    if rating_columns.wanted(db, narrowed=any(x is not None for x in (opening_id, since, until, interviewer))):
        return calibration_cached.pass_through(db, yes, by=by, opening_id=opening_id, since=since, until=until,
                                               interviewer=interviewer)  # fmt: skip
    v = calibration_scorecard
    stmt = select(v.c.interviewer_id, v.c.recommendation).where(v.c.recommendation.is_not(None))
    stmt = _scorecard_filter(stmt, v, opening_id=opening_id, since=since, until=until, interviewer=interviewer)
    stmt = stmt.order_by(v.c.scorecard_id)  # the report lists interviewers as first met: one order everywhere
    with db.session() as s:
        scope = calibration_scope(s, by)
        rows = s.connection().execute(_in_scope(stmt, v, scope)).all()  # Core: no ORM row loading
        labels = _labels(s, {int(r[0]) for r in rows}, scope)
    return [(labels[int(pid)], rec in yes) for pid, rec in rows]


def question_uses_from_db(
    db: Database,
    *,
    by: Actor,
    opening_id: int | None = None,
    since: datetime | date | None = None,
    until: datetime | date | None = None,
) -> tuple[list[QuestionUse], int]:
    """Every question asked in a submitted scorecard, with the ratings (in that scorecard) of the
    competencies it assesses and the candidate's decision in force (hire / no hire / other), and the
    number of loops with a submitted scorecard in the period."""
    from interviewkit.services import calibration_cached, rating_columns

    if rating_columns.wanted(db, narrowed=any(x is not None for x in (opening_id, since, until))):
        return calibration_cached.question_uses(db, by=by, opening_id=opening_id, since=since, until=until)
    v = calibration_scorecard
    base = select(v.c.scorecard_id, v.c.loop_id, v.c.candidate_id, v.c.outcome)
    base = _scorecard_filter(base, v, opening_id=opening_id, since=since, until=until, interviewer=None)
    with db.session() as s:
        scope = calibration_scope(s, by)
        base = _in_scope(base, v, scope)
        found = s.connection().execute(base).all()
        if not found:
            return [], 0
        cards = {int(c): (int(loop), int(cand)) for c, loop, cand, _ in found}
        outcome = {int(cand): result for _, _, cand, result in found if result is not None}
        card_ids = _cards(opening_id=opening_id, since=since, until=until, interviewer=None, scope=scope)
        a = calibration_asked
        asked = s.connection().execute(
            select(a.c.scorecard_id, a.c.question_version_id, col(QuestionVersion.question_id))
            .join(QuestionVersion, col(QuestionVersion.id) == a.c.question_version_id)
            .where(_among(s, a, card_ids, (since, until)))
        ).all()
        version_ids = {int(x[1]) for x in asked}
        assesses: dict[int, set[str]] = defaultdict(set)
        if version_ids:
            for vid, cid in s.execute(
                select(col(QuestionCompetency.question_version_id), col(QuestionCompetency.competency_id)).where(
                    col(QuestionCompetency.question_version_id).in_(version_ids)
                )
            ):
                assesses[int(vid)].add(cid)
        scores: dict[int, dict[str, float]] = defaultdict(dict)
        r = calibration_rating
        for card, comp, score, not_assessed in s.connection().execute(
            select(r.c.scorecard_id, r.c.competency_id, r.c.score, r.c.not_assessed).where(
                _among(s, r, card_ids, (since, until))
            )
        ):
            if score is not None and not not_assessed:
                scores[int(card)][comp] = float(score)
    uses = []
    for card, vid, qid in asked:
        loop, cand = cards[int(card)]
        rated = tuple(v for c, v in scores[int(card)].items() if c in assesses[int(vid)])
        decided = outcome.get(cand)
        hired = True if decided == "hire" else False if decided == "no_hire" else None
        uses.append(QuestionUse(qid, str(loop), rated, hired))
    return uses, len({loop for loop, _ in cards.values()})


# --- importing historical ratings ------------------------------------------------------------------------


@dataclass(frozen=True)
class ImportReport:
    """What :func:`import_ratings_csv` wrote."""

    file: str
    rows: int
    candidates_added: int
    interviewers_added: int
    scorecards_added: int
    ratings_added: int
    already_imported: int  # (candidate, interviewer) scorecards skipped: imported before, same ratings
    opening_id: int | None = None
    skipped_pairs: tuple[tuple[str, str], ...] = field(default=(), repr=False)
    imported_before: str | None = None  # when this very file was imported (ISO 8601): nothing was written

    def summary(self) -> str:
        if self.imported_before is not None:
            return (
                f"Nothing imported from {self.file}: this file was already imported "
                f"({self.imported_before[:16].replace('T', ' ')} "
                f"UTC); its {self.already_imported} scorecards are there."
            )
        if not self.scorecards_added:
            return (
                f"Nothing imported from {self.file}: all {self.already_imported} scorecards were imported before "
                "with the same ratings."
            )
        skipped = (
            f"; {self.already_imported} scorecards skipped (imported before with the same ratings)"
            if self.already_imported
            else ""
        )
        return (
            f"Imported {self.ratings_added} ratings from {self.file}: {self.scorecards_added} scorecards, "
            f"{self.candidates_added} new candidates, {self.interviewers_added} new interviewers{skipped}."
        )


def imported_email(interviewer: str) -> str:
    """The placeholder email of an imported interviewer: ``<id>@imported.invalid`` (``.invalid`` is
    reserved, RFC 2606). An id that is not a plain email local part gets a slug and a short hash."""
    if re.fullmatch(r"[A-Za-z0-9](?:[A-Za-z0-9._-]{0,62}[A-Za-z0-9])?", interviewer) and ".." not in interviewer:
        local = interviewer
    else:
        slug = re.sub(r"[^A-Za-z0-9]+", "-", interviewer).strip("-")[:40] or "interviewer"
        local = f"{slug}-{hashlib.sha1(interviewer.encode('utf-8')).hexdigest()[:8]}"
    return f"{local}@{IMPORTED_EMAIL_DOMAIN}"


def _validate_for_import(rows: Sequence[_Row], settings: BankSettings, known: set[str]) -> list[str]:
    problems: list[str] = []
    levels = set(settings.scale.levels)
    scale = f"{settings.scale.min}-{settings.scale.max}"
    for r in rows:
        if r.score is not None and (r.score != int(r.score) or int(r.score) not in levels):
            problems.append(f"row {r.row}: score {r.score:g} is not on the bank's scale ({scale}, whole numbers)")
    unknown: dict[str, list[int]] = defaultdict(list)
    for r in rows:
        if r.competency not in known:
            unknown[r.competency].append(r.row)
    for comp, where in unknown.items():
        problems.append(
            f"{_rows_text(where)}: unknown competency '{comp}' (the database has {len(known)} competencies; "
            "see competencies.yaml, or sync the bank first)"
        )
    seen: dict[tuple[str, str, str], int] = {}
    for r in rows:
        key = (r.candidate, r.interviewer, r.competency)
        if key in seen:
            problems.append(
                f"row {r.row}: candidate '{r.candidate}', interviewer '{r.interviewer}', competency "
                f"'{r.competency}' already given in row {seen[key]}"
            )
        else:
            seen[key] = r.row
    return problems


def _existing_imports(s: Session, opening_id: int) -> dict[tuple[str, str], dict[str, tuple[int | None, bool]]]:
    """The ratings already imported, by (candidate name, interviewer email)."""
    out: dict[tuple[str, str], dict[str, tuple[int | None, bool]]] = defaultdict(dict)
    rows = s.execute(
        select(
            col(Candidate.name),
            col(Person.email),
            col(RatingRow.competency_id),
            col(RatingRow.score),
            col(RatingRow.not_assessed),
        )
        .join(InterviewLoop, col(InterviewLoop.candidate_id) == col(Candidate.id))
        .join(Stage, col(Stage.loop_id) == col(InterviewLoop.id))
        .join(Scorecard, col(Scorecard.stage_id) == col(Stage.id))
        .join(Person, col(Person.id) == col(Scorecard.interviewer_id))
        .outerjoin(RatingRow, col(RatingRow.scorecard_id) == col(Scorecard.id))
        .where(col(Candidate.opening_id) == opening_id)
    ).all()
    for cand, email, comp, score, not_assessed in rows:
        entry = out[(cand, email)]
        if comp is not None:
            entry[comp] = (score, bool(not_assessed))
    return out


def import_ratings_csv(db: Database, path: Path | str, settings: BankSettings, *, by: Actor) -> ImportReport:
    """Store the historical ratings of a CSV file (see :func:`ratings_from_csv`) in the database.

    How a historical rating is stored: one opening titled "Imported ratings" (created once, status
    "closed"); a candidate per CSV candidate id (its name is the id); a person per CSV interviewer id
    (name = id, email ``<id>@imported.invalid``, see :func:`imported_email`; an existing person with
    that email is reused); one loop per candidate; and per (candidate, interviewer) one stage (focus: the
    competencies rated, scheduled at the row's date if any) with one submitted scorecard holding the
    ratings. An empty score is stored as "not assessed" (reason "Not rated (imported)"). The
    scorecard's submission time is the latest date of its rows, or the time of the import. One audit
    event records the import.

    Validation, all or nothing: every row must be valid CSV (as :func:`ratings_from_csv`), have a whole
    score on the bank's scale (``settings.scale``), name a competency that exists in the database (sync
    the bank first), and not repeat a (candidate, interviewer, competency) of the file. Every problem is
    reported with its row number in one :class:`ValidationFailed` and nothing is written; the writing
    is one transaction.

    Importing again: a (candidate, interviewer) scorecard that was imported before is skipped when its
    ratings are the same (so re-importing a file, or a file that grew, adds only what is new, and says
    how many scorecards were skipped); when they differ, the import is refused with the row numbers,
    since history is not rewritten by an import.

    Once: the file is read through :mod:`interviewkit.inputs` (a regular file of at most
    :data:`MAX_IMPORT_BYTES`), and its receipt (the SHA-256 of its bytes) is written in the same
    transaction as its ratings, one import into "Imported ratings" at a time
    (:func:`~interviewkit.services.import_receipts.import_transaction`). The same file imported again, or
    by two processes at once, is written once: the other import reports that the file was already
    imported (:attr:`ImportReport.imported_before`) and writes nothing.
    """
    from sqlalchemy.exc import IntegrityError

    from interviewkit.inputs import InputError, read_bytes
    from interviewkit.services.import_receipts import content_key
    from interviewkit.storage.db import retry_transient

    path = Path(path)
    with db.session() as s:
        require_in(s, by, "import_history")
    try:  # bounded: a FIFO, a device or a huge file is refused at once, with one line
        data = read_bytes(path, kind="ratings file", limit=MAX_IMPORT_BYTES)
    except InputError as exc:
        raise ValidationFailed([str(exc)]) from None
    rows = _read_rows(path)
    try:
        same = read_bytes(path, kind="ratings file", limit=MAX_IMPORT_BYTES) == data
    except InputError:
        same = False
    if not same:  # the receipt must name the bytes that were parsed
        raise ValidationFailed([f"{path.name}: the file changed while it was being read; import it again"])
    if not rows:
        raise ValidationFailed([f"{path.name}: no ratings to import (only a header)"])
    store = retry_transient(_store_ratings, also=(IntegrityError,))
    report: ImportReport = store(db, path, rows, content_key(data), settings, by=by)
    return report


def _store_ratings(
    db: Database, path: Path, rows: list[_Row], key: str, settings: BankSettings, *, by: Actor
) -> ImportReport:
    """The writing part of :func:`import_ratings_csv`: one transaction, under the import lock."""
    with import_transaction(db, IMPORT_OPENING_TITLE) as s:
        require_in(s, by, "import_history")
        receipt = find_receipt(s, key)
        if receipt is not None:
            at = receipt.imported_at if receipt.imported_at.tzinfo else receipt.imported_at.replace(tzinfo=UTC)
            return ImportReport(
                file=path.name,
                rows=len(rows),
                candidates_added=0,
                interviewers_added=0,
                scorecards_added=0,
                ratings_added=0,
                already_imported=len({(r.candidate, r.interviewer) for r in rows}),
                opening_id=receipt.detail.get("opening_id") if isinstance(receipt.detail, dict) else None,
                imported_before=at.astimezone(UTC).isoformat(),
            )
        problems = _validate_for_import(rows, settings, set(s.scalars(select(col(Competency.id)))))
        if problems:
            raise ValidationFailed(_capped(problems))
        opening_id = _import_opening(s)
        new_pairs, skipped = _new_pairs(rows, _existing_imports(s, opening_id))
        people, people_added = _imported_people(s, [who for _, who in new_pairs])
        candidates, candidates_added = _imported_candidates(s, opening_id, [cand for cand, _ in new_pairs])
        cards = _imported_scorecards(s, path, new_pairs, people, candidates)
        report = ImportReport(
            file=path.name,
            rows=len(rows),
            candidates_added=candidates_added,
            interviewers_added=people_added,
            scorecards_added=len(cards),
            ratings_added=_imported_ratings(s, cards),
            already_imported=len(skipped),
            opening_id=opening_id,
            skipped_pairs=tuple(skipped),
        )
        if cards:
            _record_import(s, path, key, report, by)
    return report


def _import_opening(s: Session) -> int:
    """The id of the "Imported ratings" opening, made (closed) on the first import."""
    opening = s.scalars(
        select(Opening).where(col(Opening.title) == IMPORT_OPENING_TITLE).order_by(col(Opening.id))
    ).first()
    if opening is None:
        opening = Opening(title=IMPORT_OPENING_TITLE, status="closed")
        s.add(opening)
        s.flush()
    return id_of(opening)


def _new_pairs(
    rows: list[_Row], existing: dict[tuple[str, str], dict[str, tuple[int | None, bool]]]
) -> tuple[dict[tuple[str, str], list[_Row]], list[tuple[str, str]]]:
    """The (candidate, interviewer) scorecards to write, and those imported before with the same ratings;
    ValidationFailed for those imported before with different ones (history is not rewritten)."""
    pairs: dict[tuple[str, str], list[_Row]] = defaultdict(list)
    for r in rows:
        pairs[(r.candidate, r.interviewer)].append(r)
    new_pairs: dict[tuple[str, str], list[_Row]] = {}
    conflicts: list[str] = []
    skipped: list[tuple[str, str]] = []
    for (cand, who), items in pairs.items():
        before = existing.get((cand, imported_email(who)))
        if before is None:
            new_pairs[(cand, who)] = items
            continue
        wanted = {r.competency: (None if r.score is None else int(r.score), r.score is None) for r in items}
        if wanted == before:
            skipped.append((cand, who))
        else:
            conflicts.append(
                f"{_rows_text([r.row for r in items])}: candidate '{cand}' and interviewer '{who}' were imported "
                "before with different ratings; an import does not change history (amend the scorecard instead)"
            )
    if conflicts:
        raise ValidationFailed(_capped(conflicts))
    return new_pairs, skipped


def _imported_people(s: Session, interviewers: list[str]) -> tuple[dict[str, Person], int]:
    """Each interviewer's person (by their placeholder email; inactive when new), and how many are new."""
    emails = {who: imported_email(who) for who in interviewers}
    people = {p.email: p for p in s.scalars(select(Person).where(col(Person.email).in_(set(emails.values()))))}
    added = 0
    for who, email in emails.items():
        if email not in people:
            person = Person(name=who, email=email, access_role="interviewer", active=False)
            s.add(person)
            people[email] = person
            added += 1
    return {who: people[email] for who, email in emails.items()}, added


def _imported_candidates(s: Session, opening_id: int, names: list[str]) -> tuple[dict[str, Candidate], int]:
    """Each CSV candidate's candidate in the import's opening, and how many are new (flushed: they have ids)."""
    candidates = {c.name: c for c in s.scalars(select(Candidate).where(col(Candidate.opening_id) == opening_id))}
    added = 0
    for cand in names:
        if cand not in candidates:
            candidates[cand] = Candidate(name=cand, opening_id=opening_id)
            s.add(candidates[cand])
            added += 1
    s.flush()
    return candidates, added


def _imported_loops(s: Session, candidate_ids: list[int]) -> tuple[dict[int, InterviewLoop], dict[int, int]]:
    """Each candidate's loop (made where missing), and how many stages each loop already has."""
    loops = {
        int(row.candidate_id): row
        for row in s.scalars(
            select(InterviewLoop).where(col(InterviewLoop.candidate_id).in_(sorted(set(candidate_ids))))
        )
    }
    positions: dict[int, int] = {}
    if loops:
        counted = s.execute(
            select(col(Stage.loop_id), func.count(col(Stage.id)))
            .where(col(Stage.loop_id).in_([id_of(loop) for loop in loops.values()]))
            .group_by(col(Stage.loop_id))
        )
        positions = {int(loop_id): int(n) for loop_id, n in counted}
    for cid in candidate_ids:
        if cid not in loops:
            loops[cid] = InterviewLoop(candidate_id=cid, name=IMPORT_OPENING_TITLE)
            s.add(loops[cid])
    s.flush()
    return loops, positions


def _imported_scorecards(
    s: Session,
    path: Path,
    new_pairs: dict[tuple[str, str], list[_Row]],
    people: dict[str, Person],
    candidates: dict[str, Candidate],
) -> list[tuple[Scorecard, list[_Row]]]:
    """Per (candidate, interviewer): a stage of the candidate's loop and its submitted scorecard."""
    loops, positions = _imported_loops(s, [id_of(candidates[cand]) for cand, _ in new_pairs])
    now = utcnow()
    stages: list[tuple[Stage, Person, list[_Row], datetime | None]] = []
    for (cand, who), items in new_pairs.items():
        lid = id_of(loops[id_of(candidates[cand])])
        pos = positions.get(lid, 0)
        positions[lid] = pos + 1
        dates = [r.at for r in items if r.at is not None]
        when = max(dates) if dates else None
        focus = list(dict.fromkeys(r.competency for r in items))
        person = people[who]
        stage = Stage(
            loop_id=lid,
            position=pos,
            name=f"Imported: {who}",
            interviewer_id=person.id,
            scheduled_at=when,
            focus=focus,
        )
        s.add(stage)
        stages.append((stage, person, items, when))
    s.flush()
    cards = []
    for stage, person, items, when in stages:
        card = Scorecard(
            stage_id=id_of(stage),
            interviewer_id=id_of(person),
            status="submitted",
            summary=f"Imported from {path.name}",
            submitted_at=when or now,
            started_at=when or now,
            updated_at=now,
        )
        s.add(card)
        cards.append((card, items))
    s.flush()
    return cards


def _imported_ratings(s: Session, cards: list[tuple[Scorecard, list[_Row]]]) -> int:
    """The ratings of the new scorecards (an empty score: not assessed); how many were written."""
    added = 0
    for card, items in cards:
        for r in items:
            s.add(
                RatingRow(
                    scorecard_id=id_of(card),
                    competency_id=r.competency,
                    score=None if r.score is None else int(r.score),
                    not_assessed=r.score is None,
                    reason=NOT_RATED_REASON if r.score is None else "",
                )
            )
            added += 1
    return added


def _record_import(s: Session, path: Path, key: str, report: ImportReport, by: Actor) -> None:
    """The import's audit event and the file's receipt (so that the same file is never imported twice)."""
    detail = {
        "rows": report.rows,
        "scorecards": report.scorecards_added,
        "ratings": report.ratings_added,
        "candidates_added": report.candidates_added,
        "interviewers_added": report.interviewers_added,
        "skipped_scorecards": report.already_imported,
        "opening_id": report.opening_id,
    }
    audit.record(
        s,
        actor_id=audit.actor_id(by),
        entity="import",
        entity_id=path.name[:80],
        action="ratings imported",
        detail={**detail, "content_sha256": key},
    )
    add_receipt(s, key, kind="ratings_csv", source=path.name, actor_id=audit.actor_id(by), detail=detail)


@dataclass(frozen=True)
class CandidateAdjustment:
    """A candidate's leniency-adjusted mean per competency, with the one line that explains it."""

    candidate_id: int
    adjusted: dict[str, float]  # competency id -> adjusted mean (only where leniency could be estimated)
    raw: dict[str, float]
    explanation: str


def candidate_adjustment(db: Database, candidate_id: int, *, by: Actor) -> CandidateAdjustment | None:
    """Leniency-adjusted scores of one candidate, per competency, from every submitted rating.

    Each competency's interviewer effects are fitted (additive model, :func:`fit_leniency`) on all the
    submitted ratings of that competency; the candidate's adjusted mean is the mean of their ratings minus
    each interviewer's effect. A competency is left out where this candidate's interviewers share no other
    candidate (nothing to compare them on). None when nothing can be adjusted, or when ``by`` may not
    read every submitted scorecard of the candidate (the adjustment is computed from them).
    """
    from interviewkit.services import policy

    with db.session() as s:
        vis = policy.require_debrief(s, by, candidate_id)
    if vis.hidden:
        return None
    from interviewkit.domain.calibration.leniency import LeniencyByCompetency
    from interviewkit.services import calibration_cached, rating_columns

    if rating_columns.enabled():  # the fits kept with the columns: a second candidate costs no fit
        fits = calibration_cached.leniency_by_competency(db, by=by)
    else:
        fits = LeniencyByCompetency(RatingSet.from_ratings(ratings_from_db(db, by=by)))
    key = str(candidate_id)
    adjusted: dict[str, float] = {}
    raw: dict[str, float] = {}
    peers = 0
    for comp in fits.competencies_of(key):
        fit = fits.fit(comp)
        j = fit.index.get(key)
        if j is None:
            continue
        shared = int(fit.shared[j])
        if shared < 2:
            continue
        score = fit.scores[j]
        adjusted[comp] = score.adjusted
        raw[comp] = score.raw
        peers = max(peers, shared - 1)
    if not adjusted:
        return None
    explanation = (
        f"Adjusted: each rating minus its interviewer's leniency, estimated by comparing the interviewers on "
        f"{peers} other candidate{'s' if peers != 1 else ''} they rated; a check on the raw means, not a verdict."
    )
    return CandidateAdjustment(candidate_id, adjusted, raw, explanation)
