"""The recovery journal: every draft change is on this computer's disk within half a second, whether or not
the database answers.

The live cockpit records each change here before the database sees it. One append-only file per open
scorecard (JSON lines) lives in the user's data folder (``user_data_dir("InterviewKit")/journal``, or the
folder named by ``INTERVIEWKIT_JOURNAL_DIR``); the folder is private (0700) and so are its files (0600).
A writer thread merges what came in, appends it and fsyncs the file no later than ``flush_after``
(0.25 s) after the first unwritten change; the caller never waits for the disk.

Lines, each one JSON object with a kind ``k``:

* ``header`` (first line): the database, scorecard, stage and person; the candidate and question titles for
  the words shown to people; the scorecard revision the journal started from.
* ``change``: ``seq`` (the highest change number it holds; changes between two lines are merged, newer
  values winning), ``at`` (Unix time) and the changes (only the fields given, values absolute).
* ``writing``: a database write of everything up to ``seq`` has started.
* ``failed``: that write certainly did not commit (it was refused, or lost a lock race).
* ``applied``: everything up to ``seq`` is in the database, which returned scorecard ``revision``.

Replay applies the changes numbered above the last ``applied`` line, once: fields the database already
holds are left out, so a replay after a write that committed just before the app died writes nothing. A
journal is not replayed (it is set aside in ``journal/kept`` with a plain-text copy, and the person is told
in words) when the scorecard was submitted meanwhile, is someone else's, or was changed elsewhere since: its
revision moved past what this journal's own writes can explain (another window took it over and saved).
A last line cut short by a kill is ignored. A live journal holds an advisory lock on its file, so another
copy of the app can tell a crashed window's journal (to replay) from a running one's (to leave alone).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import math
import os
import secrets
import stat
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from types import ModuleType
from typing import Any

from sqlalchemy.exc import SQLAlchemyError

from interviewkit.services.access import Actor
from interviewkit.services.changes import NO_CHANGES, Changes
from interviewkit.services.errors import NotFound, PermissionDenied, ScorecardLocked, ServiceError
from interviewkit.services.scorecards import DraftChanges, RatingState, ScorecardState, save_draft, scorecard_state
from interviewkit.storage.db import Database, is_transient

__all__ = [
    "ENV_DIR",
    "FLUSH_AFTER",
    "Journal",
    "JournalContents",
    "Kept",
    "Opened",
    "Pending",
    "ReplayResult",
    "database_key",
    "decode_changes",
    "describe_changes",
    "encode_changes",
    "is_database_error",
    "journal_dir",
    "journals_for",
    "open_journal",
    "overlay",
    "pending_journals",
    "read_journal",
    "refusal",
    "replay",
    "still_to_write",
]

ENV_DIR = "INTERVIEWKIT_JOURNAL_DIR"
FLUSH_AFTER = 0.25  # seconds from the first unwritten change to its fsync; half of the promised half second
VERSION = 1
MAX_TICKS = 64  # ticked items per question in a journal line (a checklist has at most 12)
COMPACT_AT = 2_000_000  # bytes appended since the last rewrite before the file is rewritten with only what is unapplied
_RETRY_AFTER_ERROR = 1.0  # seconds before writing again after the disk refused (full, gone)
_O_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)  # never append through a link planted in the folder
_O_CLOEXEC = getattr(os, "O_CLOEXEC", 0)


def _fcntl() -> ModuleType | None:
    """The fcntl module; None on Windows, which has no advisory locks (see _owner_alive)."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows
        return None
    return fcntl


fcntl = _fcntl()


# -- where -------------------------------------------------------------------------------------------------


def journal_dir() -> Path:
    """The journal folder: ``INTERVIEWKIT_JOURNAL_DIR`` if set, else ``journal`` in the user's data folder."""
    raw = os.environ.get(ENV_DIR, "").strip()
    if raw:
        return Path(raw).expanduser()
    from platformdirs import user_data_dir

    return Path(user_data_dir("InterviewKit", appauthor=False)) / "journal"


def _private_dir(path: Path) -> Path:
    """Create a folder only its owner can enter (0700), or narrow an existing one to that."""
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    if os.name == "posix":
        st = path.lstat()
        if not stat.S_ISDIR(st.st_mode):
            raise NotADirectoryError(f"{path} is not a folder")
        if st.st_uid == os.getuid() and stat.S_IMODE(st.st_mode) & 0o077:
            os.chmod(path, 0o700)
    return path


def database_key(db: Database) -> str:
    """A short name for a database in file names: a hash of its URL without the password."""
    where = db.url.render_as_string(hide_password=True)
    return hashlib.sha256(where.encode("utf-8")).hexdigest()[:16]


def journals_for(directory: Path, db: Database, scorecard_id: int | None = None) -> list[Path]:
    """The journal files of a database (of one scorecard), oldest first; kept ones are not listed."""
    pattern = f"{database_key(db)}-scorecard-{scorecard_id if scorecard_id is not None else '*'}-*.jsonl"
    try:
        found = [p for p in directory.glob(pattern) if p.is_file() and not p.is_symlink()]
    except OSError:
        return []
    return sorted(found, key=lambda p: (_mtime(p), p.name))


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0


def _fsync_dir(path: Path) -> None:
    if os.name != "posix":
        return
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def is_database_error(exc: BaseException) -> bool:
    """Whether an exception came from the database (busy, unreachable, gone), not from a rule or a bug."""
    return isinstance(exc, SQLAlchemyError)


def _certainly_uncommitted(exc: BaseException) -> bool:
    """A write that failed this way did not commit: it was refused inside its transaction, or lost a lock
    race and was rolled back. Anything else (a connection lost during COMMIT) may have committed."""
    return isinstance(exc, ServiceError) or is_transient(exc)


# -- changes as JSON ---------------------------------------------------------------------------------------


def encode_changes(changes: DraftChanges) -> dict[str, Any]:
    """The fields given in a DraftChanges as plain JSON values (asked ids become strings)."""
    out: dict[str, Any] = {}
    if changes.notes:
        out["notes"] = {str(k): v for k, v in changes.notes.items()}
    if changes.seconds:
        out["seconds"] = {str(k): float(v) for k, v in changes.seconds.items() if math.isfinite(v)}
    if changes.ticks:
        out["ticks"] = {str(k): [int(i) for i in v] for k, v in changes.ticks.items()}
    if changes.order is not None:
        out["order"] = list(changes.order)
    if changes.current_position is not None:
        out["current_position"] = changes.current_position
    if changes.elapsed_seconds is not None and math.isfinite(changes.elapsed_seconds):
        out["elapsed_seconds"] = float(changes.elapsed_seconds)
    if changes.ratings:
        out["ratings"] = {
            cid: {"score": r.score, "not_assessed": r.not_assessed, "reason": r.reason, "evidence": r.evidence}
            for cid, r in changes.ratings.items()
        }
    if changes.recommendation is not None or changes.clear_recommendation:
        out["recommendation"] = changes.recommendation
        out["clear_recommendation"] = changes.clear_recommendation
    if changes.summary is not None:
        out["summary"] = changes.summary
    return out


def _int(value: Any, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"{what} is not a whole number")
    return value


def _key(value: Any, what: str) -> int:
    if not isinstance(value, str) or not value.isascii() or not value.isdigit() or len(value) > 18:
        raise ValueError(f"{what} is not an id")
    return int(value)


def _float(value: Any, what: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise ValueError(f"{what} is not a number")
    return float(value)


def _str(value: Any, what: str) -> str:
    if not isinstance(value, str):
        raise ValueError(f"{what} is not text")
    return value


def _dict(value: Any, what: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ValueError(f"{what} is not an object")
    return value


def decode_changes(data: Any) -> DraftChanges:
    """A DraftChanges from :func:`encode_changes`' JSON; ValueError names the first field that is wrong."""
    d = _dict(data, "changes")
    unknown = set(d) - {"notes", "seconds", "ticks", "order", "current_position", "elapsed_seconds", "ratings",
                        "recommendation", "clear_recommendation", "summary"}
    if unknown:
        raise ValueError(f"unknown field {sorted(unknown)[0]!r}")
    c = DraftChanges()
    c.notes = {_key(k, "a notes key"): _str(v, "notes") for k, v in _dict(d.get("notes", {}), "notes").items()}
    c.seconds = {_key(k, "a seconds key"): max(0.0, _float(v, "seconds"))
                 for k, v in _dict(d.get("seconds", {}), "seconds").items()}
    for k, v in _dict(d.get("ticks", {}), "ticks").items():
        if not isinstance(v, list) or len(v) > MAX_TICKS:
            raise ValueError("ticks are not a list of item numbers")
        c.ticks[_key(k, "a ticks key")] = tuple(_int(i, "a ticked item") for i in v)
    if d.get("order") is not None:
        if not isinstance(d["order"], list):
            raise ValueError("order is not a list")
        c.order = [_int(x, "order") for x in d["order"]]
    if d.get("current_position") is not None:
        c.current_position = _int(d["current_position"], "current_position")
    if d.get("elapsed_seconds") is not None:
        c.elapsed_seconds = max(0.0, _float(d["elapsed_seconds"], "elapsed_seconds"))
    for cid, value in _dict(d.get("ratings", {}), "ratings").items():
        r = _dict(value, "a rating")
        score = r.get("score")
        c.ratings[_str(cid, "a competency")] = RatingState(
            None if score is None else _int(score, "score"),
            bool(r.get("not_assessed", False) is True),
            _str(r.get("reason", ""), "reason"),
            _str(r.get("evidence", ""), "evidence"),
        )
    if "recommendation" in d or "clear_recommendation" in d:
        rec = d.get("recommendation")
        c.recommendation = None if rec is None else _str(rec, "recommendation")
        c.clear_recommendation = d.get("clear_recommendation") is True
    if d.get("summary") is not None:
        c.summary = _str(d["summary"], "summary")
    return c


def _copy(changes: DraftChanges) -> DraftChanges:
    """A copy that merging into does not change the original (DraftChanges.merge mutates)."""
    return replace(
        changes, notes=dict(changes.notes), seconds=dict(changes.seconds), ticks=dict(changes.ticks),
        ratings=dict(changes.ratings),
        order=None if changes.order is None else list(changes.order),
    )


def _line(record: Mapping[str, Any]) -> bytes:
    # ASCII only: any text (even a lone surrogate from a paste) survives, and a line is one write.
    return (json.dumps(record, ensure_ascii=True, separators=(",", ":"), allow_nan=False) + "\n").encode("ascii")


# -- reading a journal ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Header:
    """Who and what a journal is about (its first line)."""

    scorecard_id: int
    stage_id: int
    person_id: int
    database: str
    candidate: str
    stage_name: str
    stage_position: int
    questions: dict[int, str]  # asked id -> question title, for the words shown to people
    revision: int  # the scorecard's revision when the journal started
    instance: str
    created: float

    def record(self) -> dict[str, Any]:
        return {
            "k": "header", "v": VERSION, "scorecard": self.scorecard_id, "stage": self.stage_id,
            "person": self.person_id, "database": self.database, "candidate": self.candidate,
            "stage_name": self.stage_name, "stage_position": self.stage_position,
            "questions": {str(k): v for k, v in self.questions.items()}, "revision": self.revision,
            "instance": self.instance, "created": self.created,
        }

    @classmethod
    def parse(cls, d: dict[str, Any]) -> Header:
        if d.get("k") != "header" or d.get("v") != VERSION:
            raise ValueError("not an InterviewKit journal of this version")
        return cls(
            scorecard_id=_int(d.get("scorecard"), "scorecard"), stage_id=_int(d.get("stage"), "stage"),
            person_id=_int(d.get("person"), "person"), database=_str(d.get("database", ""), "database"),
            candidate=_str(d.get("candidate", ""), "candidate"), stage_name=_str(d.get("stage_name", ""), "stage_name"),
            stage_position=_int(d.get("stage_position", 0), "stage_position"),
            questions={
                _key(k, "question"): _str(v, "title") for k, v in _dict(d.get("questions", {}), "questions").items()
            },
            revision=_int(d.get("revision"), "revision"), instance=_str(d.get("instance", ""), "instance"),
            created=_float(d.get("created", 0.0), "created"),
        )

    @classmethod
    def of(cls, db: Database, state: ScorecardState, person_id: int, instance: str) -> Header:
        return cls(
            scorecard_id=state.id, stage_id=state.stage_id, person_id=person_id, database=db.describe(),
            candidate=state.candidate, stage_name=state.stage_name, stage_position=state.stage_position,
            questions={q.asked_id: q.title for q in state.questions}, revision=state.revision, instance=instance,
            created=time.time(),
        )

    def where(self) -> str:
        """'Priya N., Stage 2 (Production ML)'"""
        return f"{self.candidate}, Stage {self.stage_position} ({self.stage_name})"


@dataclass(frozen=True)
class JournalContents:
    """What a journal file holds, read without changing it."""

    path: Path
    header: Header | None  # None: not a journal (its first line is damaged or foreign)
    pending: DraftChanges | None  # the changes after the last applied line, merged; None when all are applied
    last_seq: int
    applied_seq: int
    known_revision: int  # the revision of the last applied line (or the header's)
    open_writes: int  # writes started since then that may have committed
    first_at: float | None  # when the first and last pending changes were typed (Unix time)
    last_at: float | None
    torn: bool  # the last line was cut short (a kill during a write) and is ignored
    damaged: int  # other lines that could not be read and were skipped
    good_end: int  # the byte offset just after the last complete line


def read_journal(path: Path) -> JournalContents:
    """Read a journal. A last line without its newline is torn and ignored; other bad lines are counted."""
    header: Header | None = None
    entries: list[tuple[int, float, DraftChanges]] = []
    last_seq = applied = 0
    known = -1
    open_writes = 0
    torn = False
    damaged = 0
    good_end = 0
    flags = os.O_RDONLY | _O_NOFOLLOW | _O_CLOEXEC
    with os.fdopen(os.open(path, flags), "rb") as f:
        offset = 0
        for raw in f:
            start, offset = offset, offset + len(raw)
            if not raw.endswith(b"\n"):
                torn = True
                break
            good_end = offset
            try:
                d = _dict(json.loads(raw), "a line")
                kind = d.get("k")
                if start == 0:
                    header = Header.parse(d)
                    known = header.revision
                elif kind == "change":
                    seq = _int(d.get("seq"), "seq")
                    entries.append((seq, _float(d.get("at", 0.0), "at"), decode_changes(d.get("changes"))))
                    last_seq = max(last_seq, seq)
                elif kind == "writing":
                    _int(d.get("seq"), "seq")
                    open_writes += 1
                elif kind == "failed":
                    _int(d.get("seq"), "seq")
                    open_writes = max(0, open_writes - 1)
                elif kind == "applied":
                    seq, rev = _int(d.get("seq"), "seq"), _int(d.get("revision"), "revision")
                    if seq >= applied:
                        applied, known, open_writes = seq, rev, 0
                        entries = [e for e in entries if e[0] > seq]
                else:
                    raise ValueError(f"unknown kind {kind!r}")
            except (ValueError, TypeError, RecursionError):
                if start == 0:
                    break  # not a journal: read nothing more
                damaged += 1
    pending: DraftChanges | None = None
    times: list[float] = []
    for seq, at, changes in entries:
        if seq <= applied:
            continue
        times.append(at)
        if pending is None:
            pending = changes
        else:
            pending.merge(changes)
    if pending is not None and pending.is_empty():
        pending = None
    return JournalContents(
        path=path, header=header, pending=pending, last_seq=max(last_seq, applied), applied_seq=applied,
        known_revision=known, open_writes=open_writes, first_at=min(times) if times else None,
        last_at=max(times) if times else None, torn=torn, damaged=damaged, good_end=good_end,
    )


# -- judging and applying ------------------------------------------------------------------------------------


ERASED = "the candidate's personal data was erased meanwhile, so nothing written about them is kept."
#: How much earlier than the scorecard's start a journal may say it was made (clocks of two computers on a
#: team database differ a little); a journal older than that belongs to an earlier database at the same place.
CLOCK_SLACK = 60.0


def _erased(state: ScorecardState) -> bool:
    from interviewkit.services.privacy import erased_label

    return state.candidate == erased_label(state.candidate_id)


def _made_before(created: float, started: datetime | None) -> bool:
    """Whether a journal made at ``created`` (Unix time) predates a scorecard started at ``started``."""
    if not created or started is None:
        return False
    if started.tzinfo is None:  # stored times are UTC
        started = started.replace(tzinfo=UTC)
    return created < started.timestamp() - CLOCK_SLACK


def refusal(contents: JournalContents, state: ScorecardState, person_id: Actor) -> str | None:
    """Why a journal's pending changes must not be applied to this scorecard, in words; None when they may."""
    h = contents.header
    if h is None:
        return "the file is not an InterviewKit journal that this version can read."
    if h.scorecard_id != state.id:
        return "the file belongs to another scorecard."
    if _made_before(h.created, state.started_at):
        # Journals are named by the database's place and the scorecard's id: a database made again at the same
        # place (a new demo) has scorecards with the old ids, whose journals would fill them with another
        # interview's notes and times (a question at 11:05 beside a stage total of 1:25, issue 16).
        return "they were typed before this scorecard existed, in an earlier database at the same place."
    if _erased(state):
        return ERASED
    if h.person_id != person_id or state.interviewer_id != person_id:
        return "they were typed by someone else; only the scorecard's interviewer may add them."
    if state.locked:
        return "the scorecard was submitted meanwhile; a change now needs an amendment with a reason."
    moved = state.revision - contents.known_revision
    if moved < 0 or moved > contents.open_writes:
        return "the scorecard was changed in another window since they were typed."
    return None


def still_to_write(state: ScorecardState, changes: DraftChanges) -> DraftChanges:
    """The part of ``changes`` that the scorecard does not hold yet (what a replay still has to write)."""
    asked = {q.asked_id: q for q in state.questions}
    out = DraftChanges()
    out.notes = {a: t for a, t in changes.notes.items() if a in asked and asked[a].notes != t}
    out.seconds = {a: s for a, s in changes.seconds.items() if a in asked and abs(asked[a].seconds_spent - s) > 1e-6}
    out.ticks = {a: t for a, t in changes.ticks.items()
                 if a in asked and asked[a].evidence_ticks != tuple(sorted(set(t)))}
    if changes.order is not None:
        now = [q.asked_id for q in state.questions]
        wanted = [a for a in changes.order if a in asked] + [a for a in now if a not in changes.order]
        if wanted != now:
            out.order = list(changes.order)
    if changes.current_position is not None and changes.current_position != state.current_position:
        out.current_position = changes.current_position
    if changes.elapsed_seconds is not None and abs(changes.elapsed_seconds - state.elapsed_seconds) > 1e-6:
        out.elapsed_seconds = changes.elapsed_seconds
    out.ratings = {c: r for c, r in changes.ratings.items() if state.ratings.get(c) != r}
    if changes.recommendation is not None or changes.clear_recommendation:
        target = None if changes.clear_recommendation and changes.recommendation is None else changes.recommendation
        if target != state.recommendation:
            out.recommendation, out.clear_recommendation = target, target is None
    if changes.summary is not None and changes.summary != state.summary:
        out.summary = changes.summary
    return out


def overlay(state: ScorecardState, changes: DraftChanges) -> ScorecardState:
    """The scorecard as it will be once ``changes`` are written: what the cockpit shows after a recovery."""
    questions = [
        replace(q, notes=changes.notes.get(q.asked_id, q.notes),
                seconds_spent=changes.seconds.get(q.asked_id, q.seconds_spent),
                evidence_ticks=tuple(sorted(set(changes.ticks[q.asked_id]))) if q.asked_id in changes.ticks
                else q.evidence_ticks)
        for q in state.questions
    ]
    if changes.order is not None:
        rank = {a: i for i, a in enumerate(changes.order)}
        questions.sort(key=lambda q: (rank.get(q.asked_id, len(rank) + q.position), q.position))
        questions = [replace(q, position=i) for i, q in enumerate(questions)]
    recommendation = state.recommendation
    if changes.recommendation is not None or changes.clear_recommendation:
        recommendation = changes.recommendation
    return replace(
        state,
        questions=tuple(questions),
        ratings={**state.ratings, **changes.ratings},
        current_position=state.current_position if changes.current_position is None else changes.current_position,
        elapsed_seconds=state.elapsed_seconds if changes.elapsed_seconds is None else changes.elapsed_seconds,
        recommendation=recommendation,
        summary=state.summary if changes.summary is None else changes.summary,
    )


def _plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def describe_changes(changes: DraftChanges) -> str:
    """What a set of changes holds, in words: 'notes for 2 questions, 1 rating and the summary'."""
    parts = []
    if changes.notes:
        parts.append("notes for " + _plural(len(changes.notes), "question", "questions"))
    if changes.ticks:
        parts.append("evidence ticked for " + _plural(len(changes.ticks), "question", "questions"))
    if changes.ratings:
        parts.append(_plural(len(changes.ratings), "rating", "ratings"))
    if changes.recommendation is not None or changes.clear_recommendation:
        parts.append("the recommendation")
    if changes.summary is not None:
        parts.append("the summary")
    if not parts:
        parts.append("the interview clock and position" if (changes.seconds or changes.elapsed_seconds is not None
                                                             or changes.current_position is not None
                                                             or changes.order is not None) else "nothing")
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


# -- setting a journal aside ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Kept:
    """A journal that was not applied, moved to ``journal/kept`` with a plain-text copy next to it (or
    deleted, without paths, when the candidate's personal data was erased)."""

    path: Path | None
    text_path: Path | None
    reason: str
    what: str
    where: str

    @property
    def message(self) -> str:
        what = f"{self.what[:1].upper()}{self.what[1:]} typed on this computer for {self.where}"
        if self.text_path is None:
            return f"{what} were deleted: {self.reason}"
        return f"{what} were not added to the scorecard: {self.reason} They are kept in {self.text_path}."


def _local(ts: float | None) -> str:
    return datetime.fromtimestamp(ts).strftime("%Y-%m-%d %H:%M:%S") if ts else "unknown time"


def _plain_text(contents: JournalContents, reason: str) -> str:
    h, c = contents.header, contents.pending
    lines = ["InterviewKit kept these changes: they were typed on this computer but not added to the scorecard.",
             f"Why: {reason}"]
    if h is not None:
        lines += [f"Candidate: {h.candidate} · Stage {h.stage_position}: {h.stage_name}", f"Database: {h.database}"]
    lines += [f"Typed between {_local(contents.first_at)} and {_local(contents.last_at)} (local time).", ""]
    if c is not None:
        titles = h.questions if h is not None else {}
        for aid, text in c.notes.items():
            lines += [f"Notes, {titles.get(aid, f'question {aid}')}:", text, ""]
        for aid, items in c.ticks.items():
            ticked = ", ".join(str(i) for i in sorted(set(items))) or "none"
            lines += [f"Evidence items ticked, {titles.get(aid, f'question {aid}')}: {ticked}", ""]
        for cid, r in c.ratings.items():
            level = "not assessed" + (f" ({r.reason})" if r.reason else "") if r.not_assessed else (r.score or "none")
            lines.append(f"Rating, {cid}: {level}" + (f"; evidence: {r.evidence}" if r.evidence else ""))
        if c.recommendation is not None or c.clear_recommendation:
            lines.append(f"Recommendation: {c.recommendation or 'none'}")
        if c.summary is not None:
            lines += ["", "Summary:", c.summary]
    return "\n".join(lines).rstrip() + "\n"


def _write_private(path: Path, data: bytes) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _O_NOFOLLOW | _O_CLOEXEC, 0o600)
    try:
        os.write(fd, data)
        os.fsync(fd)
    finally:
        os.close(fd)


def _set_aside(contents: JournalContents, reason: str) -> Kept:
    """Move a journal into ``kept/`` (it is never replayed from there) and write a readable copy beside it."""
    kept_dir = _private_dir(contents.path.parent / "kept")
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    target = kept_dir / f"{contents.path.stem}-{stamp}.jsonl"
    n = 1
    while target.exists() or target.with_suffix(".txt").exists():
        n += 1
        target = kept_dir / f"{contents.path.stem}-{stamp}-{n}.jsonl"
    text_path = target.with_suffix(".txt")
    _write_private(text_path, _plain_text(contents, reason).encode("utf-8"))
    os.replace(contents.path, target)
    _fsync_dir(kept_dir)
    _fsync_dir(contents.path.parent)
    h = contents.header
    return Kept(
        path=target, text_path=text_path, reason=reason,
        what=describe_changes(contents.pending) if contents.pending is not None else "changes",
        where=h.where() if h is not None else "a scorecard",
    )


def _refuse(contents: JournalContents, reason: str, state: ScorecardState | None = None) -> Kept:
    """Set a journal aside; for a candidate whose personal data was erased, delete it instead."""
    if state is None or not _erased(state):
        return _set_aside(contents, reason)
    contents.path.unlink(missing_ok=True)
    what = describe_changes(contents.pending) if contents.pending is not None else "changes"
    return Kept(None, None, ERASED, what, f"{state.candidate}, Stage {state.stage_position}")


def _append(path: Path, records: list[dict[str, Any]]) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | _O_NOFOLLOW | _O_CLOEXEC)
    try:
        os.write(fd, b"".join(_line(r) for r in records))
        os.fsync(fd)
    finally:
        os.close(fd)


# -- who holds a journal ---------------------------------------------------------------------------------------


@contextlib.contextmanager
def _claimed(path: Path) -> Iterator[bool]:
    """Hold a journal's advisory lock for a moment: True when no running copy of the app writes to it."""
    if fcntl is None:  # pragma: no cover - Windows: a journal is taken to be a crashed window's
        yield True
        return
    try:
        fd = os.open(path, os.O_RDONLY | _O_NOFOLLOW | _O_CLOEXEC)
    except OSError:
        yield False
        return
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            yield False  # a live journal
            return
        yield True
    finally:
        os.close(fd)  # also lets go of the lock


def _nothing_to_keep(contents: JournalContents) -> bool:
    """Everything in it is in the database, or it is empty (the app died before the header was written)."""
    return contents.pending is None and (contents.header is not None or contents.good_end == 0)


# -- replay (without the cockpit) ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReplayResult:
    """What a replay did."""

    revision: int | None = None  # the scorecard's revision after a write; None when nothing was written
    kept: tuple[Kept, ...] = ()
    waiting: str | None = None  # the database did not answer: the journal stays for the next try (why)
    changes: Changes = NO_CHANGES  # the scorecard, when changes were written

    @property
    def applied(self) -> bool:
        return self.revision is not None


KEPT_DAYS = 30  # how long changes that could not be applied stay in journal/kept (they hold personal data)


def purge_kept(directory: Path | None = None, *, older_than_days: float = KEPT_DAYS, now: float | None = None) -> int:
    """Delete the set-aside journals (and their plain-text copies) older than ``older_than_days``: they
    hold notes about candidates and must not outlive their use. Returns how many files went."""
    kept_dir = (journal_dir() if directory is None else directory) / "kept"
    cutoff = (time.time() if now is None else now) - older_than_days * 86400
    gone = 0
    try:
        candidates = [p for p in kept_dir.iterdir() if p.is_file() and not p.is_symlink()]
    except OSError:
        return 0
    for path in candidates:
        if _mtime(path) < cutoff:
            path.unlink(missing_ok=True)
            gone += 1
    return gone


def forget(db: Database, scorecard_ids: Iterable[int], directory: Path | None = None) -> int:
    """Delete this computer's journals, applied or set aside, of these scorecards of ``db`` (an erasure:
    nothing typed about the candidate stays on this computer either). Returns how many files went."""
    directory = journal_dir() if directory is None else directory
    ids = set(scorecard_ids)
    prefix = f"{database_key(db)}-scorecard-"
    gone = 0
    for folder in (directory, directory / "kept"):
        try:
            names = [p for p in folder.iterdir() if p.is_file() and not p.is_symlink() and p.name.startswith(prefix)]
        except OSError:
            continue
        for path in names:
            number = path.name[len(prefix):].split("-", 1)[0]
            if number.isdigit() and int(number) in ids:
                path.unlink(missing_ok=True)
                gone += 1
    return gone


def replay(
    db: Database, scorecard_id: int, instance_id: str, *, by: Actor, directory: Path | None = None,
) -> ReplayResult:
    """Apply the unapplied changes of a scorecard's journals (those of windows no longer running) once.

    ``instance_id`` is this window's, which must hold the scorecard (it opened it). A journal whose
    changes may not be applied (see :func:`refusal`, or the write is refused) is set aside and reported
    in ``kept``; when the database does not answer, every journal stays as it was (``waiting``).
    """
    directory = journal_dir() if directory is None else directory
    purge_kept(directory)
    written: int | None = None
    kept: list[Kept] = []
    for path in journals_for(directory, db, scorecard_id):
        with _claimed(path) as free:
            if not free:
                continue
            contents = read_journal(path)
            if _nothing_to_keep(contents):
                path.unlink(missing_ok=True)
                continue
            try:
                state = scorecard_state(db, scorecard_id, by=by)
            except (PermissionDenied, NotFound) as exc:
                kept.append(_set_aside(contents, f"{exc}."))
                continue
            except SQLAlchemyError as exc:
                return ReplayResult(written, tuple(kept), f"the database did not answer ({_short(exc)})",
                                    _written(scorecard_id, written))
            why = refusal(contents, state, by)
            if why is not None:
                kept.append(_refuse(contents, why, state))
                continue
            assert contents.pending is not None
            todo = still_to_write(state, contents.pending)
            seq = contents.last_seq
            if todo.is_empty():
                _append(path, [{"k": "applied", "seq": seq, "revision": state.revision}])
                path.unlink(missing_ok=True)
                continue
            _append(path, [{"k": "writing", "seq": seq}])
            try:
                revision = save_draft(db, scorecard_id, instance_id, todo, by=by).revision
            except (ScorecardLocked, PermissionDenied, NotFound) as exc:
                _append(path, [{"k": "failed", "seq": seq}])
                kept.append(_set_aside(read_journal(path), str(exc)))
                continue
            except SQLAlchemyError as exc:
                if _certainly_uncommitted(exc):
                    _append(path, [{"k": "failed", "seq": seq}])
                return ReplayResult(written, tuple(kept), f"the database did not answer ({_short(exc)})",
                                    _written(scorecard_id, written))
            _append(path, [{"k": "applied", "seq": seq, "revision": revision}])
            path.unlink(missing_ok=True)
            written = revision
    return ReplayResult(written, tuple(kept), changes=_written(scorecard_id, written))


def _written(scorecard_id: int, revision: int | None) -> Changes:
    return Changes.of(scorecards=[scorecard_id]) if revision is not None else NO_CHANGES


def _short(exc: BaseException) -> str:
    text = str(getattr(exc, "orig", None) or exc).strip().splitlines()
    return text[0][:200] if text else type(exc).__name__


# -- journals left behind, for the list of interviews -----------------------------------------------------------


@dataclass(frozen=True)
class Pending:
    """A crashed window's journal holding changes that have not reached the database."""

    path: Path
    scorecard_id: int
    stage_id: int
    candidate: str
    stage_name: str
    stage_position: int
    what: str
    last_at: float | None


def pending_journals(directory: Path, db: Database, person_id: int) -> list[Pending]:
    """This person's journals on this computer, for this database, with changes not yet in it (newest last).
    Journals of running windows are left out; files that cannot be read are skipped."""
    found = []
    for path in journals_for(directory, db):
        try:
            with _claimed(path) as free:
                if not free:
                    continue
                c = read_journal(path)
        except OSError:
            continue
        h = c.header
        if h is None or h.person_id != person_id or c.pending is None:
            continue
        found.append(Pending(path, h.scorecard_id, h.stage_id, h.candidate, h.stage_name, h.stage_position,
                             describe_changes(c.pending), c.last_at))
    return found


# -- the live journal ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Opened:
    """What :func:`open_journal` found and made for a scorecard being opened."""

    journal: Journal | None  # None for a read-only (submitted) scorecard
    recovered: DraftChanges | None  # changes from crashed windows the database does not hold yet
    kept: tuple[Kept, ...]
    recovered_seq: int = 0  # their number in ``journal``, for the write that applies them


def open_journal(
    directory: Path, db: Database, state: ScorecardState, person_id: int, instance_id: str, *,
    writable: bool = True, start: bool = True, flush_after: float = FLUSH_AFTER,
    clock: Callable[[], float] = time.monotonic, fsync: Callable[[int], None] = os.fsync,
) -> Opened:
    """Gather what crashed windows left for this scorecard and start this window's journal.

    Journals of windows that are no longer running are read: those that may be applied (see
    :func:`refusal`) give ``recovered`` (only what the database does not hold yet; the caller shows it and
    saves it, which this window's journal records), the others are set aside (``kept``). With ``writable``
    false (a submitted scorecard) no journal is started. OSError when the folder cannot be used.
    """
    _private_dir(directory)
    recovered: DraftChanges | None = None
    kept: list[Kept] = []
    leftovers: list[Path] = []
    for path in journals_for(directory, db, state.id):
        with _claimed(path) as free:
            if not free:
                continue  # another running window's: it sets its own aside when it finds it cannot save
            contents = read_journal(path)
            if _nothing_to_keep(contents):
                path.unlink(missing_ok=True)
                continue
            why = refusal(contents, state, person_id)
            if why is not None:
                kept.append(_refuse(contents, why, state))
                continue
            assert contents.pending is not None
            todo = still_to_write(state if recovered is None else overlay(state, recovered), contents.pending)
            if recovered is None:
                recovered = todo
            else:
                recovered.merge(todo)
            leftovers.append(path)
    if recovered is not None and recovered.is_empty():
        recovered = None
    journal = None
    seq = 0
    if writable:
        journal = Journal.create(directory, db, state, person_id, instance_id, flush_after=flush_after,
                                 clock=clock, fsync=fsync)
        if recovered is not None:
            seq = journal.record(recovered)
            journal.sync()  # the recovered changes are in this journal before the old ones are removed
        if start:
            journal.start()
    for path in leftovers:
        if journal is not None or recovered is None:
            path.unlink(missing_ok=True)
    return Opened(journal, recovered, tuple(kept), seq)


class Journal:
    """This window's journal of one scorecard: :meth:`record` from the GUI thread, a writer thread fsyncs.

    The writer thread writes what was recorded within ``flush_after`` seconds of the first unwritten
    change (``flush_if_due`` is the same step for a caller with its own clock). :meth:`writing`,
    :meth:`applied` and :meth:`failed` are called around each database write, from the thread that writes.
    ``on_durable(seq)`` is called (on the writer thread) once everything up to ``seq`` is on disk, and
    ``on_error(exc)`` when the disk refuses; the journal then tries again a second later.
    """

    def __init__(self, path: Path, fd: int, header: Header, *, flush_after: float, clock: Callable[[], float],
                 fsync: Callable[[int], None]) -> None:
        self.path = path
        self.header = header
        self._fd: int | None = fd
        self._flush_after = flush_after
        self._clock = clock
        self._fsync = fsync
        self._cond = threading.Condition()
        self._io = threading.Lock()  # one writer of the file at a time (the writer thread, the saving thread)
        self._buffer: DraftChanges | None = None
        self._buffer_at = 0.0  # time.time() of the newest change in the buffer
        self._due: float | None = None
        self._seq = 0
        self._buffer_seq = 0
        self._written_seq = 0
        self.durable_seq = 0
        self.applied_seq = 0
        self.known_revision = header.revision
        self._unapplied: list[tuple[int, float, DraftChanges]] = []  # written, not yet in the database
        self._appended = 0
        self._open_writes = 0  # writes started since the last applied one that may have committed
        self._thread: threading.Thread | None = None
        self._closed = False
        self.error: OSError | None = None
        self.on_durable: Callable[[int], None] | None = None
        self.on_error: Callable[[OSError], None] | None = None

    @classmethod
    def create(cls, directory: Path, db: Database, state: ScorecardState, person_id: int, instance_id: str, *,
               flush_after: float = FLUSH_AFTER, clock: Callable[[], float] = time.monotonic,
               fsync: Callable[[int], None] = os.fsync) -> Journal:
        """A new journal file for this window, its header on disk; the caller starts the thread."""
        _private_dir(directory)
        header = Header.of(db, state, person_id, instance_id)
        flags = os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_EXCL | _O_NOFOLLOW | _O_CLOEXEC
        while True:
            path = directory / f"{database_key(db)}-scorecard-{state.id}-{secrets.token_hex(4)}.jsonl"
            try:
                fd = os.open(path, flags, 0o600)
                break
            except FileExistsError:
                continue
        try:
            if fcntl is not None:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # held while this window runs
            os.write(fd, _line(header.record()))
            fsync(fd)
            _fsync_dir(directory)
        except BaseException:
            os.close(fd)
            path.unlink(missing_ok=True)
            raise
        return cls(path, fd, header, flush_after=flush_after, clock=clock, fsync=fsync)

    # -- the GUI thread -------------------------------------------------------------------------------------

    def record(self, changes: DraftChanges) -> int:
        """Take a change (never waits for the disk); returns its number, for :meth:`applied`."""
        with self._cond:
            self._seq += 1
            if self._buffer is None:
                self._buffer = _copy(changes)
                self._due = self._clock() + self._flush_after
            else:
                self._buffer.merge(changes)
            self._buffer_seq = self._seq
            self._buffer_at = time.time()
            self._cond.notify()
            return self._seq

    @property
    def last_seq(self) -> int:
        """The number of the newest change recorded."""
        return self._seq

    @property
    def has_unapplied(self) -> bool:
        """Whether some recorded change is not known to be in the database."""
        return self._seq > self.applied_seq

    @property
    def due(self) -> float | None:
        """When (on the journal's clock) the buffered changes must be on disk; None when nothing waits."""
        return self._due

    # -- writing ---------------------------------------------------------------------------------------------

    def start(self) -> None:
        """Start the writer thread."""
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="journal", daemon=True)
            self._thread.start()

    def _run(self) -> None:
        with self._cond:
            while not self._closed:
                if self._due is None:
                    self._cond.wait()
                    continue
                delay = self._due - self._clock()
                if delay > 0:
                    self._cond.wait(delay)
                    continue
                self._cond.release()
                try:
                    self.sync()
                finally:
                    self._cond.acquire()

    def flush_if_due(self, now: float | None = None) -> bool:
        """Write and fsync the buffered changes if their time has come; True when it wrote."""
        due = self._due
        if due is None or (self._clock() if now is None else now) < due:
            return False
        return self.sync()

    def sync(self) -> bool:
        """Write and fsync the buffered changes now (any thread); True when everything recorded is on disk."""
        with self._io:  # taking the buffer and writing it is one step, so two callers keep changes in order
            with self._cond:
                batch, seq, at = self._buffer, self._buffer_seq, self._buffer_at
                self._buffer, self._due = None, None
            if self._fd is None:
                return False
            try:
                if batch is not None:
                    data = _line({"k": "change", "seq": seq, "at": at, "changes": encode_changes(batch)})
                    os.write(self._fd, data)
                    self._appended += len(data)
                    self._written_seq = seq
                    if seq > self.applied_seq:
                        self._unapplied.append((seq, at, batch))
                    batch = None
                self._fsync(self._fd)
                if self._appended > COMPACT_AT:
                    self._compact()
            except OSError as exc:
                self._failed_to_write(exc, batch, seq, at)
                return False
            written = self._written_seq
        with self._cond:
            self.error = None
            self.durable_seq = max(self.durable_seq, written)
            self._cond.notify_all()
            done = self.durable_seq >= self._seq
        self._tell(self.on_durable, written)
        return done

    def _failed_to_write(self, exc: OSError, batch: DraftChanges | None, seq: int, at: float) -> None:
        with self._cond:
            self.error = exc
            if batch is not None:  # keep it (older) under what came since (newer)
                if self._buffer is not None:
                    batch.merge(self._buffer)
                    seq, at = self._buffer_seq, self._buffer_at
                self._buffer, self._buffer_seq, self._buffer_at = batch, seq, at
            if self._buffer is not None:
                self._due = self._clock() + _RETRY_AFTER_ERROR
            self._cond.notify_all()
        self._tell(self.on_error, exc)

    @staticmethod
    def _tell(callback: Callable[[Any], None] | None, value: Any) -> None:
        if callback is not None:
            with contextlib.suppress(Exception):  # a closed window's callback must not stop the journal
                callback(value)

    def wait_durable(self, seq: int, timeout: float) -> bool:
        """Wait until everything up to ``seq`` is on disk (True) or ``timeout`` seconds pass (False)."""
        with self._cond:
            return self._cond.wait_for(lambda: self.durable_seq >= seq, timeout)

    def _compact(self) -> None:
        """Rewrite the file with the header and only what is not in the database yet (caller holds _io)."""
        assert self._fd is not None
        header = replace(self.header, revision=self.known_revision)
        records: list[dict[str, Any]] = [header.record()]
        if self._unapplied:
            merged = _copy(self._unapplied[0][2])
            for _seq, _at, changes in self._unapplied[1:]:
                merged.merge(changes)
            seq, at = self._unapplied[-1][0], self._unapplied[-1][1]
            records.append({"k": "change", "seq": seq, "at": at, "changes": encode_changes(merged)})
            self._unapplied = [(seq, at, merged)]
        records += [{"k": "writing", "seq": self.applied_seq}] * self._open_writes
        tmp = self.path.with_name(self.path.name + ".tmp")
        tmp.unlink(missing_ok=True)
        fd = os.open(tmp, os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_EXCL | _O_NOFOLLOW | _O_CLOEXEC, 0o600)
        try:
            if fcntl is not None:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            os.write(fd, b"".join(_line(r) for r in records))
            self._fsync(fd)
            os.replace(tmp, self.path)
            _fsync_dir(self.path.parent)
        except BaseException:
            os.close(fd)
            tmp.unlink(missing_ok=True)
            raise
        os.close(self._fd)
        self._fd = fd
        self.header = header
        self._appended = 0

    # -- around database writes (the saving thread) -----------------------------------------------------------

    def _marker(self, record: dict[str, Any]) -> None:
        """Append a line about a database write (caller holds _io); no fsync: the next one takes it along."""
        if self._fd is None:
            return
        try:
            data = _line(record)
            os.write(self._fd, data)
            self._appended += len(data)
        except OSError as exc:
            self._tell(self.on_error, exc)

    def writing(self, seq: int) -> None:
        """A database write of every change up to ``seq`` starts now."""
        with self._io:
            self._open_writes += 1
            self._marker({"k": "writing", "seq": seq})

    def failed(self, seq: int, exc: BaseException) -> None:
        """That write failed; if it certainly did not commit, say so (a later replay then expects one fewer)."""
        if _certainly_uncommitted(exc):
            with self._io:
                self._open_writes = max(0, self._open_writes - 1)
                self._marker({"k": "failed", "seq": seq})

    def applied(self, seq: int, revision: int) -> None:
        """Every change up to ``seq`` is in the database, now at ``revision``."""
        with self._io:
            self.applied_seq = max(self.applied_seq, seq)
            self.known_revision = revision
            self._open_writes = 0
            self._unapplied = [e for e in self._unapplied if e[0] > seq]
            self._marker({"k": "applied", "seq": seq, "revision": revision})

    # -- the end ---------------------------------------------------------------------------------------------

    def close(self, *, remove: bool = False) -> None:
        """Write what is buffered, stop the thread and close the file; with ``remove``, delete the file if
        everything in it is in the database (otherwise it stays for the next start to replay)."""
        if self._fd is not None:
            self.sync()
        with self._cond:
            self._closed = True
            self._cond.notify_all()
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(timeout=5)
        with self._io:
            fd, self._fd = self._fd, None
            if fd is not None:
                os.close(fd)
        if remove and not self.has_unapplied:
            self.path.unlink(missing_ok=True)

    def set_aside(self, reason: str) -> Kept | None:
        """Close, and move the file to ``kept/`` with a readable copy (the scorecard cannot take these
        changes any more); None when every change was already in the database (the file is removed)."""
        self.close()
        contents = read_journal(self.path)
        if contents.pending is None:
            self.path.unlink(missing_ok=True)
            return None
        return _set_aside(contents, reason)
