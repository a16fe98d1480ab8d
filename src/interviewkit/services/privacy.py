"""Personal data: erase a candidate on request, and the retention period after a decision.

Erasing a candidate removes what identifies them or was written about them, everywhere, and keeps
what calibration needs:

* the candidate row: the name becomes "Candidate #<id> (erased)", email and phone are emptied;
* every scorecard of their loops, drafts included (the autosaved notes live there): the notes on each
  question, the summary, the evidence and "not assessed" reasons of each rating;
* the free text of their own records (decision rationales and reopening reasons, loop and stage
  names) is scrubbed of everything that identifies them: their name and each part of it, every email
  address, every phone number (and theirs in any formatting: digit sequences are compared, the last
  9 digits), and any run of :data:`SHINGLE_WORDS` words copied from their notes, summaries or rating
  notes. Each scrubbed piece becomes "[erased]"; the outcome stays;
* everybody else's free text (other candidates' decisions and reopening reasons, loop and stage names,
  calibration exercises, other candidates' notes, summaries and rating notes) loses the candidate's full
  name (its parts next to each other, in any order), their email address, their phone number in any
  formatting, and runs of words quoted from their notes. Common phrasing is not theirs and stays: a run
  that is in the question bank or the job descriptions (a rubric anchor copied into notes), or in the
  notes of :data:`COMMON_OWNERS` or more other candidates. In another candidate's own notes a quoted run
  counts only where that text also refers to the candidate (a part of the name, their email or phone):
  there a run shared by two candidates' notes is as often shared phrasing as a quote (an interviewer's
  habits, the demo's template sentences), and scrubbing it would damage the other candidate's record;
* the audit trail: entries about the candidate, their scorecards and decisions, and any other entry
  whose text names or quotes them, are redacted through the one-way path the database allows;
* the recruiter's notes on the answers of their screen stages are emptied (the answers stay, as ratings do);
* the outcomes recorded after they were hired (dated performance reviews, whether they left or were promoted:
  :mod:`interviewkit.services.outcomes`) are deleted whole;
* a new audit entry records the erasure: who, when, which candidate, why, and which kinds of data
  went, never the data itself.

Ratings, recommendations, decisions' outcomes and dates stay, so the calibration statistics do not change. The text
search is linear in the text: words are compared as sets of word tuples ("shingles"), names as word
sets, emails and phone numbers by scanning, never by a regular expression built from what people typed.

What is left of the old text afterwards, and how it goes (docs/personal-data.md has the details):

* SQLite: the erasing connection zeroes freed space (``secure_delete``); then the file is rebuilt and its
  write-ahead log emptied (storage/sqlite_files.py). While another copy of the app reads, this waits for
  it with a progress callback, up to a limit, and otherwise records a pending compaction that the next
  opening of the database completes. The pre-migration backups beside the file hold the data as it was:
  an erasure shreds them.
* PostgreSQL: an UPDATE leaves the old row version in the table file until the table is rewritten
  (``VACUUM FULL``), which only the table's owner may do. The erasure records the tables in ``ik_meta``
  (``pending_rewrite``); ``interviewkit db maintain`` (:func:`maintain`, the database administrator's
  login) rewrites them and checkpoints. When the erasing login owns the tables, it is done at once.

Retention: a period in days (the database's ``ik_meta`` key ``retention_days``, 365 by default) after
the decision in force, after which the candidate is erased as above.
"""

from __future__ import annotations

import functools
import json
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlmodel import Session, col

from interviewkit.services import audit, recovery
from interviewkit.services.access import Actor, require, require_in
from interviewkit.services.changes import Changes
from interviewkit.services.errors import NotFound, PermissionDenied, ValidationFailed
from interviewkit.storage import schema, sqlite_files
from interviewkit.storage.db import Database
from interviewkit.storage.models import (
    DECISION_OUTCOMES,
    AskedQuestion,
    AuditEvent,
    CalibrationExercise,
    Candidate,
    Competency,
    Decision,
    InterviewLoop,
    JobDescription,
    LoopTemplate,
    Meta,
    Opening,
    Outcome,
    QuestionVersion,
    Rating,
    Requirement,
    Scorecard,
    ScreenAnswer,
    Stage,
    id_of,
    utcnow,
)

__all__ = [
    "COMMON_OWNERS",
    "DEFAULT_BACKUP_DAYS",
    "DEFAULT_RETENTION_DAYS",
    "DEFAULT_WAIT",
    "SHINGLE_WORDS",
    "Cleanup",
    "Compaction",
    "DueCandidate",
    "ErasureReport",
    "Maintenance",
    "Retention",
    "apply_retention",
    "backup_days",
    "compact",
    "due_for_retention",
    "erase_candidate",
    "erased_label",
    "erasure_preview",
    "finish_pending_compaction",
    "maintain",
    "pending_compaction",
    "pending_rewrite",
    "retention_days",
    "set_backup_days",
    "set_retention_days",
]

DEFAULT_RETENTION_DAYS = 365
MAX_RETENTION_DAYS = 36500
RETENTION_KEY = "retention_days"
PENDING_REWRITE_KEY = "pending_rewrite"
DEFAULT_BACKUP_DAYS = sqlite_files.DEFAULT_BACKUP_DAYS
MAX_BACKUP_DAYS = sqlite_files.MAX_BACKUP_DAYS
DEFAULT_WAIT = 30.0  # seconds to wait for other copies to let go of an SQLite file before recording it as pending
ERASED = "[erased]"
SHINGLE_WORDS = 6  # a run of this many words shared with the candidate's notes is a quote of them
COMMON_OWNERS = 2  # ... unless the notes of this many other candidates have it too (common phrasing)
PHONE_DIGITS = 9  # phone numbers are compared on their last 9 digits (country and trunk prefixes vary)

Compaction = sqlite_files.Compaction


def erased_label(candidate_id: int) -> str:
    return f"Candidate #{candidate_id} (erased)"


@dataclass(frozen=True)
class DueCandidate:
    """A candidate whose retention period has run out, and what would go."""

    candidate_id: int
    name: str
    opening: str
    outcome: str
    decided_at: datetime
    fields: tuple[str, ...]


@dataclass(frozen=True)
class Cleanup:
    """What became of the old copies of the erased text after the erasure was committed."""

    compacted: bool  # SQLite: file rebuilt and log emptied; PostgreSQL: every changed table rewritten
    waited: float = 0.0  # seconds spent waiting for other copies of the app
    pending: str = ""  # what is left, where and until when, in words ("" when nothing is)
    backups_deleted: tuple[str, ...] = ()  # SQLite: the pre-migration backups shredded (file names)
    rewritten: tuple[str, ...] = ()  # PostgreSQL: tables rewritten at once (the erasing login owns them)
    rewrite_pending: tuple[str, ...] = ()  # PostgreSQL: tables left for 'interviewkit db maintain'


@dataclass(frozen=True)
class ErasureReport:
    candidate_id: int
    label: str
    fields: tuple[str, ...]  # what went, in words ("name", "notes on 6 questions", ...)
    audit_redacted: int
    cleanup: Cleanup = field(default_factory=lambda: Cleanup(False))
    scrubbed: tuple[str, ...] = ()  # the kinds of identifying text scrubbed from free text ("name", "email", ...)

    @property
    def compacted(self) -> bool:
        return self.cleanup.compacted

    @property
    def changes(self) -> Changes:
        """Everything shown about the candidate changed."""
        return Changes.of(erased=[self.candidate_id], candidates=[self.candidate_id])


@dataclass(frozen=True)
class Retention:
    """What applying the retention period erased: a report per candidate (none when nobody was due)."""

    reports: tuple[ErasureReport, ...]

    @property
    def changes(self) -> Changes:
        ids = [r.candidate_id for r in self.reports]
        return Changes.of(erased=ids, candidates=ids)


@dataclass(frozen=True)
class Maintenance:
    """What :func:`maintain` did."""

    rewritten: tuple[str, ...]  # tables rewritten (PostgreSQL) ; ("database file",) on SQLite
    skipped: tuple[tuple[str, str], ...]  # (table, why) left as they were
    checkpointed: bool
    pending_before: tuple[str, ...]  # what was pending when it started
    since: datetime | None  # when the oldest pending erasure was recorded
    compaction: Compaction | None = None  # SQLite


# --- settings ------------------------------------------------------------------------------------------


def retention_days(db: Database) -> int:
    """The retention period in days (default :data:`DEFAULT_RETENTION_DAYS`)."""
    with db.session() as s:
        row = s.get(Meta, RETENTION_KEY)
    try:
        return int(row.value) if row is not None else DEFAULT_RETENTION_DAYS
    except ValueError:
        return DEFAULT_RETENTION_DAYS


def set_retention_days(db: Database, days: int, *, by: Actor) -> Changes:
    if not 1 <= days <= MAX_RETENTION_DAYS:
        raise ValidationFailed([f"Retention: between 1 and {MAX_RETENTION_DAYS} days"])
    with db.transaction() as s:
        require_in(s, by, "run_retention")
        row = s.get(Meta, RETENTION_KEY)
        before = row.value if row is not None else str(DEFAULT_RETENTION_DAYS)
        if row is None:
            s.add(Meta(key=RETENTION_KEY, value=str(days)))
        else:
            row.value = str(days)
        audit.record(s, actor_id=by if isinstance(by, int) else None, entity="settings", entity_id=RETENTION_KEY,
                     action="changed", detail={"before": int(before), "after": days})
    return Changes(settings=True)


def backup_days(db: Database) -> int:
    """Days a pre-migration backup of an SQLite file is kept after a successful upgrade (default 7)."""
    if not db.is_sqlite:
        return 0
    return sqlite_files.backup_days(db.engine)


def set_backup_days(db: Database, days: int, *, by: Actor) -> Changes:
    """Set how long pre-migration backups are kept after a successful upgrade (0: deleted at the next
    opening). Admins only; SQLite files only (InterviewKit makes no backups of a server database)."""
    if not 0 <= days <= MAX_BACKUP_DAYS:
        raise ValidationFailed([f"Backups: between 0 and {MAX_BACKUP_DAYS} days"])
    if not db.is_sqlite:
        raise ValidationFailed([(
            "Backups: InterviewKit makes no copies of a team database on PostgreSQL; its administrator's "
            "backups (pg_dump, base backups, WAL archives) keep erased data as long as they are kept")])
    key = sqlite_files.BACKUP_DAYS_KEY
    with db.transaction() as s:
        require_in(s, by, "run_retention")
        row = s.get(Meta, key)
        before = int(row.value) if row is not None and row.value.isdigit() else DEFAULT_BACKUP_DAYS
        if row is None:
            s.add(Meta(key=key, value=str(days)))
        else:
            row.value = str(days)
        audit.record(s, actor_id=by if isinstance(by, int) else None, entity="settings", entity_id=key,
                     action="changed", detail={"before": before, "after": days})
    return Changes(settings=True)


# --- what identifies a candidate in free text ---------------------------------------------------------------

_WORD = re.compile(r"\w+")
# A phone-like run: digits with the separators people type between them, on one line. No part of it can
# match the same text two ways, so a search is linear.
_PHONE_RUN = re.compile(r"[+(]?\d(?:[\d \t\u00a0().\-/]*\d)?")
_NOT_DIGIT = re.compile(r"\D+")
_EMAIL_LOCAL = frozenset("._%+-")
_NAME_GAP = frozenset(" \t\u00a0,.-'’")


@functools.lru_cache(maxsize=1 << 16)
def _fold(word: str) -> str:
    """A word as compared: case-folded, without accents (José = jose)."""
    decomposed = unicodedata.normalize("NFKD", word.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _tokens(value: str) -> tuple[list[tuple[int, int, str]], list[str]]:
    spans = [(m.start(), m.end(), m.group()) for m in _WORD.finditer(value)]
    return spans, [_fold(w) for _, _, w in spans]


def _shingles(folds: Sequence[str], first: frozenset[str] | None = None) -> Iterator[tuple[int, tuple[str, ...]]]:
    """(position, the :data:`SHINGLE_WORDS` words from there) for every run of words (only those whose
    first word is in ``first``, when given: a cheap filter before a tuple is made)."""
    k = SHINGLE_WORDS
    for i in range(len(folds) - k + 1):
        if first is None or folds[i] in first:
            yield i, tuple(folds[i:i + k])


def _emails(value: str) -> Iterator[tuple[int, int, str]]:
    """Every email address in a text (start, end, address), found from each '@' outwards: linear."""
    n = len(value)
    at = value.find("@")
    while at != -1:
        left = at
        while left > 0 and (value[left - 1].isalnum() or value[left - 1] in _EMAIL_LOCAL):
            left -= 1
        right = at + 1
        while right < n and (value[right].isalnum() or value[right] in ".-"):
            right += 1
        while right > at + 1 and value[right - 1] in ".-":
            right -= 1
        while left < at and value[left] in ".":
            left += 1
        domain = value[at + 1:right]
        if left < at and "." in domain and not domain.startswith("."):
            yield left, right, value[left:right]
        at = value.find("@", max(right, at + 1))


_KIND_WORDS = {"name": "the candidate's name", "email": "an email address", "phone": "a phone number",
               "notes": "text copied from their notes"}
_KIND_ORDER = ("name", "email", "phone", "notes")


def _kinds_words(kinds: Iterable[str]) -> str:
    words = [_KIND_WORDS[k] for k in _KIND_ORDER if k in set(kinds)]
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


class _Finder:
    """What identifies one candidate, and where it is in a text.

    ``own=True`` is for the candidate's own records (their decisions, loop and stage names): every part
    of the name, any email address, any phone-like number of 9 digits or more, every quoted run. Otherwise
    (everyone else's text): the full name (its parts next to each other, in any order), their email
    address, their phone number, and quoted runs that are not common phrasing; where one of these is
    found, the text is about them, and a part of the name on its own ("Helena") goes too.
    """

    def __init__(self, cand: Candidate, own_texts: Iterable[str]) -> None:
        self.candidate_id = id_of(cand)
        raw = _WORD.findall(cand.name)
        folds = [_fold(w) for w in raw]
        self.parts = frozenset(f for f in folds if len(f) >= 3)
        self.short_parts = frozenset(w for w in raw if len(w) <= 2)  # "Li", "da": matched as written
        self.all_parts = frozenset(folds)
        self.email = cand.email.strip().casefold()
        local = self.email.split("@", 1)[0] if "@" in self.email else ""
        local_words = tuple(_fold(w) for w in _WORD.findall(local)) if len(local) >= 3 else ()
        # the address's local part, when it is more than the name (which is matched anyway): "hv1987"; at
        # most 6 words (a longer one is caught as part of the whole address; the search stays linear)
        self.local = local_words if not set(local_words) <= set(folds) and len(local_words) <= 6 else ()
        digits = _NOT_DIGIT.sub("", cand.phone)
        self.phone_key = digits[-PHONE_DIGITS:] if len(digits) >= 6 else ""
        self.shingles: set[tuple[str, ...]] = set()
        for value in own_texts:
            self.shingles.update(key for _, key in _shingles(_tokens(value)[1]))
        self.first_words = frozenset(key[0] for key in self.shingles)
        self.common: set[tuple[str, ...]] = set()

    # -- a cheap first look, for scanning everyone's text --

    def may_be_in(self, glance: _Glance) -> bool:
        """Whether a text might hold something of this candidate's (then :meth:`spans` says exactly)."""
        return bool(
            (self.phone_key and self.phone_key in glance.digits)
            or (self.email and self.email in glance.lowered)
            or not self.all_parts.isdisjoint(glance.words)
            or not self.shingles.isdisjoint(glance.shingles)
        )

    # -- exact spans --

    def spans(self, value: str, *, own: bool, gated: bool = False) -> list[tuple[int, int, str]]:
        """Where the candidate is in ``value``: (start, end, kind). ``gated`` (another candidate's own
        notes) counts quoted runs only when the text also refers to the candidate (a part of the name,
        their email or phone): there a shared run without it is shared phrasing as often as a quote."""
        found: list[tuple[int, int, str]] = []
        for start, end, address in _emails(value):
            if own or (self.email and address.casefold() == self.email):
                found.append((start, end, "email"))
        for m in _PHONE_RUN.finditer(value):
            digits = _NOT_DIGIT.sub("", m.group())
            if (self.phone_key and self.phone_key in digits) or (own and len(digits) >= PHONE_DIGITS):
                found.append((m.start(), m.end(), "phone"))
        words, folds = _tokens(value)
        found += self._names(value, words, folds, own=own)
        if gated and not found and self.parts.isdisjoint(folds):
            return found
        k = SHINGLE_WORDS
        for i, key in _shingles(folds, self.first_words):
            if key in self.shingles and (own or key not in self.common):
                found.append((words[i][0], words[i + k - 1][1], "notes"))
        if found and not own:  # it is about them: a part of the name alone ("Helena") is theirs too
            found += [(start, end, "name") for (start, end, _w), f in zip(words, folds, strict=True)
                      if f in self.parts]
        return found

    def _names(self, value: str, words: list[tuple[int, int, str]], folds: list[str], *, own: bool
               ) -> list[tuple[int, int, str]]:
        found = []
        if own:
            for (start, end, word), f in zip(words, folds, strict=True):
                if f in self.parts or word in self.short_parts:
                    found.append((start, end, "name"))
            n = len(self.local)
            if n:
                for i in range(len(folds) - n + 1):
                    if tuple(folds[i:i + n]) == self.local:
                        found.append((words[i][0], words[i + n - 1][1], "email"))
            return found
        if len(self.all_parts) == 1:  # a one-word name: the word itself
            (only,) = self.all_parts
            if len(only) >= 2:
                found += [(s, e, "name") for (s, e, _), f in zip(words, folds, strict=True) if f == only]
            return found
        i = 0
        while i < len(folds):
            if folds[i] not in self.all_parts:
                i += 1
                continue
            j = i
            seen = {folds[i]}
            while (j + 1 < len(folds) and folds[j + 1] in self.all_parts
                   and _gap_ok(value, words[j][1], words[j + 1][0])):
                j += 1
                seen.add(folds[j])
            if len(seen) >= 2 and any(len(p) >= 3 for p in seen):
                found.append((words[i][0], words[j][1], "name"))
            i = j + 1
        return found

    def scrub(self, value: str, *, own: bool, gated: bool = False) -> tuple[str, frozenset[str]]:
        """The text with every identifying piece replaced by "[erased]", and the kinds replaced."""
        if not value:
            return value, frozenset()
        spans = sorted(self.spans(value, own=own, gated=gated))
        if not spans:
            return value, frozenset()
        out: list[str] = []
        kinds: set[str] = set()
        pos = 0
        cur_start, cur_end = spans[0][0], spans[0][1]
        for start, end, kind in spans:
            kinds.add(kind)
            if start <= cur_end or not value[cur_end:start].strip():
                cur_end = max(cur_end, end)
                continue
            out += [value[pos:cur_start], ERASED]
            pos = cur_end
            cur_start, cur_end = start, end
        out += [value[pos:cur_start], ERASED, value[cur_end:]]
        return "".join(out), frozenset(kinds)


@dataclass(frozen=True)
class _Glance:
    """A text seen once for every candidate being erased: its words, digits, and the runs of words it
    shares with any of their notes."""

    words: frozenset[str]
    lowered: str  # case-folded when it has an '@', else ""
    digits: str
    shingles: frozenset[tuple[str, ...]]


def _glance(value: str, first: frozenset[str], union: set[tuple[str, ...]]) -> _Glance:
    _spans, folds = _tokens(value)
    shared = frozenset(key for _, key in _shingles(folds, first) if key in union) if union else frozenset()
    return _Glance(frozenset(folds), value.casefold() if "@" in value else "", _NOT_DIGIT.sub("", value), shared)


def _gap_ok(value: str, end: int, start: int) -> bool:
    gap = value[end:start]
    return len(gap) <= 3 and all(ch in _NAME_GAP for ch in gap)


# --- what a candidate has -------------------------------------------------------------------------------


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)


@dataclass
class _Change:
    """One text that erasing changes: the row, its attribute, which rules apply, what kinds it holds."""

    row: Any
    attr: str
    own: bool
    kinds: frozenset[str]
    table: str
    gated: bool = False  # another candidate's own notes (see _Finder.spans)


@dataclass
class _Holdings:
    cand: Candidate
    cards: list[Scorecard]
    asked: list[AskedQuestion]
    ratings: list[Rating]
    decisions: list[Decision]
    loops: list[InterviewLoop]
    stages: list[Stage]
    events: list[AuditEvent]  # redacted whole
    finder: _Finder
    changes: list[_Change]  # own records' and others' text to scrub
    backups: list[Path]
    screen_answers: list[ScreenAnswer] = field(default_factory=list)  # of their screen stages: notes emptied
    outcomes: list[Outcome] = field(default_factory=list)  # reviews after hiring: deleted


def _own_texts(cards: list[Scorecard], asked: list[AskedQuestion], ratings: list[Rating]) -> list[str]:
    return ([a.notes for a in asked] + [c.summary for c in cards]
            + [r.evidence for r in ratings] + [r.reason for r in ratings])


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from _strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v)


def _candidate_texts(s: Session) -> Iterator[tuple[Any, str, int, str, Any]]:
    """Every note, summary and rating note in the database, with its candidate:
    (model, attribute, candidate id, text, primary key)."""
    chain = (select(col(InterviewLoop.candidate_id), col(Stage.id).label("stage_id"))
             .join(Stage, col(Stage.loop_id) == col(InterviewLoop.id)).subquery())
    cards = (select(col(Scorecard.id).label("card_id"), chain.c.candidate_id)
             .join(chain, chain.c.stage_id == col(Scorecard.stage_id)).subquery())
    for pk, cid, value in s.execute(
        select(col(AskedQuestion.id), cards.c.candidate_id, col(AskedQuestion.notes))
        .join(cards, cards.c.card_id == col(AskedQuestion.scorecard_id)).where(col(AskedQuestion.notes) != "")
    ):
        yield AskedQuestion, "notes", cid, value, pk
    for pk, cid, value in s.execute(
        select(col(Scorecard.id), cards.c.candidate_id, col(Scorecard.summary))
        .join(cards, cards.c.card_id == col(Scorecard.id)).where(col(Scorecard.summary) != "")
    ):
        yield Scorecard, "summary", cid, value, pk
    for card, comp, cid, evidence, reason in s.execute(
        select(
            col(Rating.scorecard_id),
            col(Rating.competency_id),
            cards.c.candidate_id,
            col(Rating.evidence),
            col(Rating.reason),
        )
        .join(cards, cards.c.card_id == col(Rating.scorecard_id))
        .where((col(Rating.evidence) != "") | (col(Rating.reason) != ""))
    ):
        if evidence:
            yield Rating, "evidence", cid, evidence, (card, comp)
        if reason:
            yield Rating, "reason", cid, reason, (card, comp)


def _record_texts(s: Session) -> Iterator[tuple[Any, str, int | None, str, Any]]:
    """The other free text that may name or quote a candidate: decisions, loop and stage names,
    calibration exercises (model, attribute, candidate id or None, text, primary key)."""
    for pk, cid, rationale, reopen in s.execute(
        select(col(Decision.id), col(Decision.candidate_id), col(Decision.rationale), col(Decision.reopen_reason))
    ):
        yield Decision, "rationale", cid, rationale, pk
        yield Decision, "reopen_reason", cid, reopen, pk
    for pk, cid, name in s.execute(
        select(col(InterviewLoop.id), col(InterviewLoop.candidate_id), col(InterviewLoop.name))
    ):
        yield InterviewLoop, "name", cid, name, pk
    for pk, cid, name in s.execute(
        select(col(Stage.id), col(InterviewLoop.candidate_id), col(Stage.name)).join(
            InterviewLoop, col(InterviewLoop.id) == col(Stage.loop_id)
        )
    ):
        yield Stage, "name", cid, name, pk
    for pk, title, transcript, rationale in s.execute(
        select(col(CalibrationExercise.id), col(CalibrationExercise.title), col(CalibrationExercise.transcript),
               col(CalibrationExercise.rationale))
    ):
        yield CalibrationExercise, "title", None, title, pk
        yield CalibrationExercise, "transcript", None, transcript, pk
        yield CalibrationExercise, "rationale", None, rationale, pk


def _bank_texts(s: Session) -> Iterator[str]:
    """The question bank's and the job descriptions' text: what interviewers copy into notes (a rubric
    anchor, a question's title) is nobody's personal data."""
    for title, prompt, follow_ups, rubric, red_flags in s.execute(
        select(
            col(QuestionVersion.title),
            col(QuestionVersion.prompt),
            col(QuestionVersion.follow_ups),
            col(QuestionVersion.rubric),
            col(QuestionVersion.red_flags),
        )
    ):
        yield title
        yield prompt
        yield from _strings(follow_ups)
        yield from _strings(rubric)
        yield from _strings(red_flags)
    for row in s.execute(select(col(Competency.name), col(Competency.description), col(Competency.strong_evidence))):
        yield from row
    yield from s.scalars(select(col(Requirement.text)))
    yield from s.scalars(select(col(JobDescription.text)))
    for content in s.scalars(select(col(LoopTemplate.content))):
        yield from _strings(content)


def _load(s: Session, cand: Candidate) -> tuple[list[InterviewLoop], list[Stage], list[Scorecard],
                                                list[AskedQuestion], list[Rating], list[Decision]]:
    cid = id_of(cand)
    loops = list(s.scalars(select(InterviewLoop).where(col(InterviewLoop.candidate_id) == cid)))
    loop_ids = [lp.id for lp in loops]
    stages = list(s.scalars(select(Stage).where(col(Stage.loop_id).in_(loop_ids)))) if loop_ids else []
    stage_ids = [st.id for st in stages]
    cards = list(s.scalars(select(Scorecard).where(col(Scorecard.stage_id).in_(stage_ids)))) if stage_ids else []
    card_ids = [id_of(c) for c in cards]
    asked = (
        list(s.scalars(select(AskedQuestion).where(col(AskedQuestion.scorecard_id).in_(card_ids)))) if card_ids else []
    )
    ratings = list(s.scalars(select(Rating).where(col(Rating.scorecard_id).in_(card_ids)))) if card_ids else []
    decisions = list(s.scalars(select(Decision).where(col(Decision.candidate_id) == cid)))
    return loops, stages, cards, asked, ratings, decisions


def _holdings(s: Session, cands: Sequence[Candidate], backups: list[Path]) -> list[_Holdings]:
    """What each candidate has, and where everybody's text names or quotes them: one pass over the
    database's free text for all of them."""
    loaded = [_load(s, c) for c in cands]
    finders = [_Finder(c, _own_texts(cards, asked, ratings))
               for c, (_l, _s, cards, asked, ratings, _d) in zip(cands, loaded, strict=True)]
    targets = {f.candidate_id for f in finders}
    union_first = frozenset().union(*(f.first_words for f in finders)) if finders else frozenset()
    union = set().union(*(f.shingles for f in finders)) if finders else set()
    owners: dict[tuple[str, ...], set[int]] = {}
    hits: list[tuple[Any, str, int | None, str, Any, list[int]]] = []

    def look(model: Any, attr: str, cid: int | None, value: str, pk: Any, *, counts: bool) -> None:
        if not value or not value.strip():
            return
        glance = _glance(value, union_first, union)
        if counts and cid is not None:
            for key in glance.shingles:
                bag = owners.setdefault(key, set())
                if len(bag) <= COMMON_OWNERS + len(targets):
                    bag.add(cid)
        who = [n for n, f in enumerate(finders)
               if (f.candidate_id == cid and model in (Decision, InterviewLoop, Stage))
               or (f.candidate_id != cid and f.may_be_in(glance))]
        if who:
            hits.append((model, attr, cid, value, pk, who))

    for model, attr, cid, value, pk in _candidate_texts(s):
        look(model, attr, cid, value, pk, counts=True)
    for record, field_name, owner, words, key in _record_texts(s):
        look(record, field_name, owner, words, key, counts=False)
    public: set[tuple[str, ...]] = set()
    if union:
        for value in _bank_texts(s):
            if value:
                public |= _glance(value, union_first, union).shingles
    for f in finders:
        f.common = {key for key in f.shingles
                    if key in public or len(owners.get(key, set()) - {f.candidate_id}) >= COMMON_OWNERS}

    changes: list[list[_Change]] = [[] for _ in finders]
    for model, attr, owner, value, pk, who in hits:
        for n in who:
            own = owner == finders[n].candidate_id
            gated = not own and model in (AskedQuestion, Scorecard, Rating)
            kinds = frozenset(kind for *_, kind in finders[n].spans(value, own=own, gated=gated))
            if kinds:
                row = s.get(model, pk)
                if row is not None:
                    changes[n].append(_Change(row, attr, own, kinds, model.__tablename__, gated))

    events = _events(s, cands, loaded, finders, union_first, union)
    return [
        _Holdings(c, cards, asked, ratings, decisions, loops, stages, events[n], finders[n], changes[n], backups,
                  *_screens_and_outcomes(s, id_of(c), stages))
        for n, (c, (loops, stages, cards, asked, ratings, decisions)) in enumerate(zip(cands, loaded, strict=True))
    ]


def _screens_and_outcomes(s: Session, cid: int, stages: list[Stage]) -> tuple[list[ScreenAnswer], list[Outcome]]:
    """A candidate's screen answers (their notes go) and outcomes (deleted)."""
    screen_ids = [id_of(st) for st in stages if st.kind == "screen"]
    answers = (list(s.scalars(select(ScreenAnswer).where(col(ScreenAnswer.stage_id).in_(screen_ids))))
               if screen_ids else [])
    outcomes = list(s.scalars(select(Outcome).where(col(Outcome.candidate_id) == cid)))
    return answers, outcomes


def _events(s: Session, cands: Sequence[Candidate], loaded: list[Any], finders: list[_Finder],
            first: frozenset[str], union: set[tuple[str, ...]]) -> list[list[AuditEvent]]:
    """For each candidate, the audit entries about them or whose text names or quotes them."""
    linked: list[set[tuple[str, str]]] = []
    for cand, (loops, stages, cards, _asked, _ratings, decisions) in zip(cands, loaded, strict=True):
        mine = {("candidate", str(cand.id))}
        mine |= {(kind, str(c.id)) for c in cards for kind in ("scorecard", "db_change")}
        mine |= {("decision", str(d.id)) for d in decisions}
        mine |= {(kind, str(lp.id)) for lp in loops for kind in ("interview_loop", "loop")}
        mine |= {("stage", str(st.id)) for st in stages}
        linked.append(mine)
    out: list[list[AuditEvent]] = [[] for _ in cands]
    for e in s.scalars(select(AuditEvent).where(col(AuditEvent.redacted_at).is_(None))):
        key = (e.entity, e.entity_id)
        texts = [(v, _glance(v, first, union)) for v in (e.reason or "", *_strings(e.detail)) if v.strip()]
        for n, f in enumerate(finders):
            if key in linked[n] or any(f.may_be_in(g) and f.spans(v, own=False) for v, g in texts):
                out[n].append(e)
    return out


def _plural(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else (many or one + 's')}"


def _fields(h: _Holdings) -> tuple[str, ...]:
    """What erasing would remove, in words."""
    out = []
    c = h.cand
    out.append("name")
    if c.email.strip():
        out.append("email")
    if c.phone.strip():
        out.append("phone")
    notes = sum(1 for a in h.asked if a.notes.strip())
    if notes:
        out.append(f"notes on {_plural(notes, 'question')}")
    summaries = sum(1 for card in h.cards if card.summary.strip())
    if summaries:
        out.append(_plural(summaries, "scorecard summary", "scorecard summaries"))
    drafts = sum(1 for card in h.cards if card.status != "submitted")
    if drafts:
        out.append(f"autosaved notes of {_plural(drafts, 'draft scorecard')}")
    evidence = sum(1 for r in h.ratings if r.evidence.strip() or r.reason.strip())
    if evidence:
        out.append(_plural(evidence, "rating note"))
    screen_notes = sum(1 for a in h.screen_answers if a.note.strip())
    if screen_notes:
        out.append(f"the recruiter's notes on {_plural(screen_notes, 'screen answer')}")
    if h.outcomes:
        out.append(f"{_plural(len(h.outcomes), 'outcome')} recorded after hiring (performance reviews), deleted")
    groups: list[tuple[str, list[_Change]]] = [
        ("decision rationale", [ch for ch in h.changes if ch.own and ch.table == "decision"]),
        ("loop or stage name", [ch for ch in h.changes if ch.own and ch.table in ("interview_loop", "stage")]),
        (
            "record about other candidates",
            [ch for ch in h.changes if not ch.own and ch.table != "calibration_exercise"],
        ),
        ("calibration exercise", [ch for ch in h.changes if ch.table == "calibration_exercise"]),
    ]
    for label, group in groups:
        if group:
            rows = {(ch.table, id(ch.row)) for ch in group}
            kinds = frozenset().union(*(ch.kinds for ch in group))
            many = {"record about other candidates": "records about other candidates"}.get(label)
            out.append(f"{_kinds_words(kinds)} in {_plural(len(rows), label, many)}")
    if h.events:
        out.append(f"the text of {_plural(len(h.events), 'audit entry', 'audit entries')}")
    if h.backups:
        out.append(f"{_plural(len(h.backups), 'pre-migration backup')} of the database file "
                   f"({', '.join(p.name for p in h.backups)}), deleted whole: they hold the data as it was")
    return tuple(out)


def _candidate(s: Session, candidate_id: int) -> Candidate:
    cand = s.get(Candidate, candidate_id)
    if cand is None:
        raise NotFound(f"No candidate with id {candidate_id}")
    return cand


def _backups(db: Database) -> list[Path]:
    path = db.path
    return sqlite_files.backups_of(path) if path is not None else []


def erasure_preview(db: Database, candidate_id: int, *, by: Actor) -> tuple[str, ...]:
    """What erasing this candidate would remove, in words (for the confirmation). Admins only."""
    with db.session() as s:
        require_in(s, by, "erase_data")
        cand = _candidate(s, candidate_id)
        if cand.erased_at is not None:
            return ()
        (h,) = _holdings(s, [cand], _backups(db))
        return _fields(h)


# --- erasing ---------------------------------------------------------------------------------------------


def _redact_detail(value: Any, key: str = "") -> Any:
    if isinstance(value, dict):
        return {k: _redact_detail(v, str(k)) for k, v in value.items()}
    if isinstance(value, list):
        return [_redact_detail(v, key) for v in value]
    if isinstance(value, str):
        return value if key in ("outcome", "before") and value in DECISION_OUTCOMES else ERASED
    return value


@dataclass
class _Erased:
    report: ErasureReport
    tables: set[str]


def _erase(s: Session, h: _Holdings, *, actor: Actor, reason: str, kind: str, redacted: set[int]) -> _Erased:
    cand = h.cand
    fields = _fields(h)
    audit.change_reason(s, f"erasure of candidate #{id_of(cand)}'s personal data ({kind})")
    now = utcnow()
    cid = id_of(cand)
    tables = {"candidate"}
    for card in h.cards:
        card.summary = ""
    for a in h.asked:
        a.notes = ""
    for r in h.ratings:
        r.evidence = ""
        r.reason = ""
    if h.cards:
        tables |= {"scorecard", "asked_question", "rating"}
    for answer in h.screen_answers:  # a recruiter's notes on the screen's answers (the answers stay, as ratings do)
        answer.note = ""
        tables.add("screen_answer")
    for outcome in h.outcomes:  # what became of them after they were hired: nothing of it is kept
        s.delete(outcome)
        tables.add("outcome")
    scrubbed: set[str] = set()
    for ch in h.changes:
        before = getattr(ch.row, ch.attr)
        after, kinds = h.finder.scrub(before, own=ch.own, gated=ch.gated)
        if after != before:
            setattr(ch.row, ch.attr, after)
            scrubbed |= kinds
            tables.add(ch.table)
    count = 0
    for e in h.events:
        if e.id in redacted:
            continue
        audit.redact(s, e, reason="", detail=_redact_detail(dict(e.detail)))
        redacted.add(id_of(e))
        count += 1
        tables.add("audit_event")
    cand.name = erased_label(cid)
    cand.email = ""
    cand.phone = ""
    cand.erased_at = now
    s.flush()
    own_reason, _ = h.finder.scrub(reason.strip(), own=True)
    audit.record(
        s, actor_id=actor if isinstance(actor, int) else None, entity="candidate", entity_id=cid, action="erased",
        reason=own_reason,
        detail={"kind": kind, "removed": list(fields), "by": "person" if isinstance(actor, int) else "local admin"},
        at=now,
    )
    report = ErasureReport(cid, erased_label(cid), fields, count,
                           scrubbed=tuple(k for k in _KIND_ORDER if k in scrubbed))
    return _Erased(report, tables)


# --- what is left of the old text: SQLite files, PostgreSQL table files ---------------------------------------------


def compact(db: Database, *, wait: float = DEFAULT_WAIT, progress: Callable[[float], None] | None = None) -> Compaction:
    """SQLite: rebuild the file (VACUUM) and empty its write-ahead log, so erased text is gone from free
    pages and the ``-wal`` file. While another copy of the app reads, wait for it up to ``wait`` seconds
    (``progress(seconds)`` about four times a second), then record it as pending: the next opening of the
    database finishes it. Other databases: nothing to do here (see :func:`maintain`)."""
    if not db.is_sqlite:
        return Compaction(True, 0.0, None)
    return sqlite_files.compact(db.engine, wait=wait, progress=progress)


def pending_compaction(db: Database) -> datetime | None:
    """SQLite: since when erased text waits for a compaction (None: nothing waits)."""
    return sqlite_files.pending_since(db.engine) if db.is_sqlite else None


def finish_pending_compaction(db: Database) -> bool:
    """SQLite: finish a postponed compaction now if no other copy is reading (never waits); True when
    nothing is pending afterwards."""
    return sqlite_files.finish_pending(db.engine) if db.is_sqlite else True


def pending_words(db: Database, since: datetime) -> str:
    """In words: the erased text still in the file's log, and until when."""
    return sqlite_files.pending_words(db.path, since)


def pending_rewrite(db: Database) -> tuple[tuple[str, ...], datetime | None]:
    """PostgreSQL: the tables whose old row versions still hold erased text, and since when."""
    if db.is_sqlite:
        return (), None
    with db.session() as s:
        row = s.get(Meta, PENDING_REWRITE_KEY)
        raw = row.value if row is not None else None
    return _parse_pending(raw)


def _parse_pending(raw: str | None) -> tuple[tuple[str, ...], datetime | None]:
    if not raw:
        return (), None
    try:
        data = json.loads(raw)
        tables = tuple(t for t in data.get("tables", []) if t in schema.TABLES)
        since = datetime.fromisoformat(data["since"]) if data.get("since") else None
    except (ValueError, TypeError, AttributeError, KeyError):
        return (), None
    return tables, since


def _mark_rewrite(s: Session, tables: set[str]) -> None:
    """Record, in the erasure's transaction, the tables that need rewriting (merged with earlier ones)."""
    row = s.get(Meta, PENDING_REWRITE_KEY)
    before, since = _parse_pending(row.value if row is not None else None)
    value = json.dumps({"tables": sorted(set(before) | tables),
                        "since": (since or utcnow()).isoformat(timespec="seconds")})
    if row is None:
        s.add(Meta(key=PENDING_REWRITE_KEY, value=value))
    else:
        row.value = value


def _rewrite_words(tables: Sequence[str]) -> str:
    return (f"the old row versions of the erased text stay in the PostgreSQL table files of {', '.join(tables)} "
            "(and in its write-ahead log) until the database administrator runs 'interviewkit db maintain' "
            "(with the owner's or a superuser's login); the database records that it is pending")


def maintain(db: Database, *, wait: float = DEFAULT_WAIT, progress: Callable[[float], None] | None = None,
             quiet: bool = False) -> Maintenance:
    """Remove the old copies of erased text that the database keeps.

    PostgreSQL: rewrite (``VACUUM FULL``) the tables an erasure left in ``pending_rewrite``, then
    ``CHECKPOINT``, then clear what was done from the mark. Only the tables' owner (a member of the owner
    role) or a superuser may: for anyone else :class:`PermissionDenied`, unless ``quiet`` (an erasure
    trying it at once), which rewrites what the login may and leaves the rest pending.
    SQLite: :func:`compact` (waiting for other copies up to ``wait``)."""
    if db.is_sqlite:
        since = pending_compaction(db)
        done = compact(db, wait=wait, progress=progress)
        return Maintenance(("database file",) if done.done else (), () if done.done else (("database file", "busy"),),
                           done.done, ("database file",) if since else (), since, done)
    with db.session() as s:
        row = s.get(Meta, PENDING_REWRITE_KEY)
        tables, since = _parse_pending(row.value if row is not None else None)
    if not tables:
        return Maintenance((), (), False, (), None)
    with db.engine.connect() as connection:
        conn = connection.execution_options(isolation_level="AUTOCOMMIT")
        superuser = bool(conn.execute(text("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")).scalar())
        conn.exec_driver_sql("SET lock_timeout = '60s'")  # a session that keeps a table busy: skip it, say why
        try:
            rewritten, skipped, checkpointed = _rewrite(conn, tables, since, superuser=superuser, quiet=quiet)
        finally:
            conn.exec_driver_sql("RESET lock_timeout")
    return Maintenance(tuple(rewritten), tuple(skipped), checkpointed, tables, since)


def _rewrite(conn: Any, tables: tuple[str, ...], since: datetime | None, *, superuser: bool, quiet: bool
             ) -> tuple[list[str], list[tuple[str, str]], bool]:
    rewritten: list[str] = []
    skipped: list[tuple[str, str]] = []
    checkpointed = False
    for table in tables:
        owner, mine = conn.execute(text(
            "SELECT pg_get_userbyid(c.relowner), pg_has_role(current_user, c.relowner, 'USAGE') FROM pg_class c "
            "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = current_schema() AND c.relname = :t"
        ), {"t": table}).one_or_none() or (None, False)
        if owner is None:
            rewritten.append(table)  # gone: nothing to rewrite
            continue
        if not (superuser or mine):
            skipped.append((table, f"owned by {owner}: its owner or a superuser rewrites it"))
            continue
        try:
            conn.exec_driver_sql(f'VACUUM (FULL) "{table}"')  # a name from schema.TABLES, never typed
            rewritten.append(table)
        except (OperationalError, DBAPIError) as exc:
            skipped.append((table, str(getattr(exc, "orig", exc)).strip().splitlines()[0]))
    if not rewritten and not quiet and all(why.startswith("owned by") for _t, why in skipped):
        raise PermissionDenied(
            "db maintain rewrites the tables an erasure left (VACUUM FULL), which only their owner may: run it "
            "with the database administrator's login (a member of interviewkit_owner, or a superuser). "
            + "; ".join(f"{t}: {why}" for t, why in skipped))
    if rewritten:
        try:
            conn.exec_driver_sql("CHECKPOINT")
            checkpointed = True
        except (OperationalError, DBAPIError):
            checkpointed = False  # needs a superuser or pg_checkpoint; the next automatic one does it
        left = [t for t in tables if t not in rewritten]
        if left:
            conn.execute(text("UPDATE ik_meta SET value = :v WHERE key = :k"), {
                "k": PENDING_REWRITE_KEY,
                "v": json.dumps({"tables": left, "since": (since or utcnow()).isoformat(timespec="seconds")})})
        else:
            conn.execute(text("DELETE FROM ik_meta WHERE key = :k"), {"k": PENDING_REWRITE_KEY})
    return rewritten, skipped, checkpointed


def _cleanup(db: Database, tables: set[str], *, compact_after: bool, wait: float,
             progress: Callable[[float], None] | None) -> Cleanup:
    """After the erasure's commit: shred the backups, then compact (SQLite) or rewrite (PostgreSQL)."""
    if db.is_sqlite:
        path = db.path
        gone = tuple(p.name for p in sqlite_files.delete_backups(path)) if path is not None else ()
        left = sqlite_files.backups_of(path) if path is not None else []
        stuck = (f"the pre-migration backup{'s' if len(left) > 1 else ''} {', '.join(p.name for p in left)} could "
                 "not be deleted and still hold the erased data: delete them by hand") if left else ""
        if not compact_after:
            return Cleanup(False, pending=stuck, backups_deleted=gone)
        done = compact(db, wait=wait, progress=progress)
        pending = "" if done.done or done.pending_since is None else pending_words(db, done.pending_since)
        return Cleanup(done.done, done.waited, "; ".join(p for p in (pending, stuck) if p), gone)
    if not compact_after:
        waiting, _ = pending_rewrite(db)
        return Cleanup(False, pending=_rewrite_words(waiting) if waiting else "", rewrite_pending=waiting)
    try:
        done_pg = maintain(db, quiet=True)
    except (OperationalError, DBAPIError):
        done_pg = Maintenance((), (), False, (), None)
    waiting, _ = pending_rewrite(db)
    return Cleanup(not waiting, pending=_rewrite_words(waiting) if waiting else "", rewritten=done_pg.rewritten,
                   rewrite_pending=waiting)


def erase_candidate(
    db: Database, candidate_id: int, *, by: Actor, reason: str = "", compact_after: bool = True,
    wait: float = DEFAULT_WAIT, progress: Callable[[float], None] | None = None,
) -> ErasureReport:
    """Erase one candidate's personal data everywhere (see the module's description). Only an admin.

    Then the old copies: ``compact_after`` compacts an SQLite file (waiting up to ``wait`` seconds for
    other copies, see :func:`compact`) or rewrites PostgreSQL's tables when the login may (else records
    them for ``db maintain``). The pre-migration backups of an SQLite file are shredded either way."""
    if not reason.strip():
        raise ValidationFailed(["Reason: say why (e.g. 'erasure requested by the candidate on 2026-11-30')"])
    with db.transaction() as s:
        require_in(s, by, "erase_data")
        cand = _candidate(s, candidate_id)
        if cand.erased_at is not None:
            raise ValidationFailed([f"Candidate #{candidate_id}'s personal data was already erased"])
        if s.get_bind().dialect.name == "sqlite":
            s.execute(text("PRAGMA secure_delete = ON"))  # freed space is zeroed, not left behind
        (h,) = _holdings(s, [cand], _backups(db))
        done = _erase(s, h, actor=by, reason=reason, kind="request", redacted=set())
        if not db.is_sqlite:
            _mark_rewrite(s, done.tables)
        card_ids = [id_of(c) for c in h.cards]
    recovery.forget(db, card_ids)  # what was typed about them on this computer goes too
    cleanup = _cleanup(db, done.tables, compact_after=compact_after, wait=wait, progress=progress)
    r = done.report
    return ErasureReport(r.candidate_id, r.label, r.fields, r.audit_redacted, cleanup, r.scrubbed)


# --- retention -------------------------------------------------------------------------------------------


def _due(s: Session, days: int, now: datetime) -> list[tuple[Candidate, str, Decision]]:
    cutoff = now - timedelta(days=days)
    rows = s.execute(
        select(Candidate, col(Opening.title), Decision)
        .join(Opening, col(Opening.id) == col(Candidate.opening_id))
        .join(Decision, col(Decision.candidate_id) == col(Candidate.id))
        .where(col(Candidate.erased_at).is_(None), col(Decision.superseded_by).is_(None))
        .order_by(col(Decision.decided_at), col(Candidate.id))
    ).all()
    return [(c, title, d) for c, title, d in rows if _aware(d.decided_at) <= cutoff]


def due_for_retention(
    db: Database, *, by: Actor, days: int | None = None, now: datetime | None = None
) -> list[DueCandidate]:
    """Candidates whose decision in force is older than the retention period, with what would go.
    Changes nothing. Admins only (it lists candidates of every opening)."""
    days = retention_days(db) if days is None else days
    now = now or utcnow()
    with db.session() as s:
        require_in(s, by, "run_retention")
        due = _due(s, days, now)
        held = _holdings(s, [c for c, _t, _d in due], _backups(db)) if due else []
        return [
            DueCandidate(id_of(c), c.name, title, d.outcome, _aware(d.decided_at), _fields(h))
            for (c, title, d), h in zip(due, held, strict=True)
        ]


def apply_retention(
    db: Database, *, by: Actor, days: int | None = None, now: datetime | None = None, compact_after: bool = True,
    wait: float = DEFAULT_WAIT, progress: Callable[[float], None] | None = None,
) -> Retention:
    """Erase every candidate due under the retention period; only an admin. One transaction, then the
    old copies as for :func:`erase_candidate` (once for all)."""
    require(db, by, "run_retention")
    days = retention_days(db) if days is None else days
    now = now or utcnow()
    erased: list[_Erased] = []
    with db.transaction() as s:
        due = _due(s, days, now)
        if not due:
            return Retention(())
        if s.get_bind().dialect.name == "sqlite":
            s.execute(text("PRAGMA secure_delete = ON"))
        held = _holdings(s, [c for c, _t, _d in due], _backups(db))
        redacted: set[int] = set()
        for (_c, _title, d), h in zip(due, held, strict=True):
            reason = f"Retention: {days} days after the decision of {_aware(d.decided_at):%Y-%m-%d}"
            erased.append(_erase(s, h, actor=by, reason=reason, kind="retention", redacted=redacted))
        tables = set().union(*(e.tables for e in erased))
        if not db.is_sqlite:
            _mark_rewrite(s, tables)
        card_ids = [id_of(c) for h in held for c in h.cards]
    recovery.forget(db, card_ids)
    cleanup = _cleanup(db, tables, compact_after=compact_after, wait=wait, progress=progress)
    return Retention(tuple(
        ErasureReport(e.report.candidate_id, e.report.label, e.report.fields, e.report.audit_redacted, cleanup,
                      e.report.scrubbed) for e in erased
    ))
