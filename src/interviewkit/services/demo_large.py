"""``interviewkit demo --size large``: three years of a large team's hiring, generated into an empty database.

What it writes (``scale=1``; a smaller ``scale`` shrinks people, candidates and everything after them):

* 400 interviewers (a few coordinators, 12 hiring managers, one admin), each with a tendency (most near 0, one
  in ten clearly lenient or harsh) that drifts over the years;
* 12 openings over three years, one after another with overlaps, the older ones closed;
* 60,000 candidates (5,000 an opening), each with a loop from the bank's template with the most interview
  stages (its recruiter's screen first), the interviewers drawn from the opening's panel of 60;
* a scorecard for every interview a candidate reached (about 65% reach the end; the others stop after one
  to five): about 300,000 submitted scorecards, each rating its stage's focus competencies and those of its
  planned questions (about 4, 1.2 million ratings, 2% "not assessed" with a reason), with a recommendation
  from the scores, a summary and notes of realistic length (40 to 140 words) on every question asked;
* scores from a latent ability per candidate and competency, the interviewer's tendency and drift, and
  noise; three questions in the bank are "bad": the competencies they rate get much more noise there;
* a decision (hire or no hire, by the hiring manager with the panel) for every candidate who finished, and
  a no hire for one in three of those who stopped; 1% of scorecards amended (a rating moved by one, with a
  reason, audited as the app audits an amendment); every submission audited;
* 24 calibration exercises, each scored blind by 30 to 80 interviewers.

Fixed seed: the same database every time. Rows are written with explicit ids in batches of a few thousand
candidates through :func:`interviewkit.storage.bulk.insert_rows` (tuples to the driver's executemany on
SQLite, SQLAlchemy's insertmanyvalues on PostgreSQL), in one transaction per batch; on PostgreSQL the id
sequences are then set past the highest id. Nothing is signed: a scorecard in the database carries no
signature (signing is for exchange files, :mod:`interviewkit.services.signing`), and the checks the app
runs on opening a database (:func:`interviewkit.storage.integrity.check_integrity`) pass.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import numpy as np
from sqlalchemy import Table, func, select, text
from sqlmodel import SQLModel, col

from interviewkit.bank.model import BankSettings
from interviewkit.services.errors import ValidationFailed
from interviewkit.storage.bulk import insert_rows
from interviewkit.storage.copy import copy_rows
from interviewkit.storage.db import Database
from interviewkit.storage.models import AskedQuestion as Asked
from interviewkit.storage.models import (
    AuditEvent,
    CalibrationExercise,
    Candidate,
    Decision,
    ExerciseScore,
    InterviewLoop,
    LoopTemplate,
    Opening,
    Person,
    QuestionCompetency,
    QuestionVersion,
    Rating,
    Scorecard,
    Stage,
    StageQuestion,
)

__all__ = ["LargeDemoReport", "create_large_demo", "refuse_unless_empty"]

SEED = 20261207
PEOPLE, OPENINGS, CANDIDATES, PANEL = 400, 12, 60_000, 60
EXERCISES = 24
BATCH = 2_000  # candidates written per transaction
START = datetime(2023, 1, 9, 9, 0, tzinfo=UTC)
YEARS = 3.0

_FIRST = (
    "Ana",
    "Bruno",
    "Chen",
    "Dara",
    "Elif",
    "Farid",
    "Grace",
    "Hugo",
    "Ines",
    "Jonas",
    "Kai",
    "Lena",
    "Mateus",
    "Nadia",
    "Omar",
    "Priya",
    "Quentin",
    "Rosa",
    "Sven",
    "Tomás",
    "Uma",
    "Vikram",
    "Wen",
    "Ximena",
    "Yusuf",
    "Zoë",
    "José",
    "Ngozi",
    "Aiko",
    "Björn",
    "Chiara",
    "Dmitri",
    "Emeka",
    "Fatima",
    "Giulia",
    "Hana",
)
_LAST = (
    "Silva",
    "Okafor",
    "Müller",
    "Nakamura",
    "García",
    "Kowalski",
    "Haddad",
    "Johansson",
    "Rossi",
    "Dubois",
    "Ivanova",
    "Mensah",
    "Costa",
    "Novak",
    "Schmidt",
    "Tanaka",
    "Ahmed",
    "Pereira",
    "Nguyen",
    "O'Brien",
    "Fernández",
    "Andersen",
    "Kaur",
    "Yilmaz",
    "Ñúñez",
    "Carvalho",
    "Rahman",
    "Moreau",
    "Lindqvist",
    "Park",
)
_ROLES = (
    "Data Scientist",
    "ML Engineer",
    "Staff ML Engineer",
    "Engineering Manager",
    "Data Engineer",
    "Principal Engineer",
    "Product Manager",
    "Research Scientist",
)
_NOTE_SENTENCES = (
    "Walked through the architecture of the scoring service they owned, starting from the batch features.",
    "Explained why they chose a feature store over recomputing features per request, with numbers on latency.",
    "When pushed on failure modes they named stale features and a silent schema change upstream.",
    "Could not say how the rollback was tested before the incident; it was a manual step at the time.",
    "Gave a concrete example of a drift alert that fired on a holiday and how they tuned the threshold.",
    "Talked mostly about what the team did; when asked about their own part it was the evaluation harness.",
    "Described coaching a junior engineer through their first on-call rotation, with a weekly review.",
    "Strong on trade-offs between precision and recall for the fraud case, tied it to the cost of a review.",
    "Struggled to size the cluster; the estimate was off by an order of magnitude and they did not check it.",
    "Asked good clarifying questions about the traffic pattern before designing anything.",
    "The CI pipeline they described runs data validation, unit tests and a shadow deployment before release.",
    "Mentioned A/B testing but could not explain how they would pick the sample size or the stopping rule.",
    "Handled the stakeholder question well: wrote a one-page memo and agreed the metric before building.",
    "Hiring story was specific: changed the take-home into a paired session and measured the pass-through.",
    "Some hesitation on Kubernetes probes; knew liveness from readiness but not why the distinction matters.",
    "Gave a clear account of a project that failed and what they would do differently, without blaming others.",
    "Talked about model monitoring in general terms; no example of an alert they had acted on themselves.",
    "Good structure: stated assumptions, drew the data flow, then went deep on the part with most risk.",
    "Time ran short on the second question, so the follow-ups on cost were not covered.",
    "Referred to a postmortem they wrote; the actions had owners and dates and were followed up.",
    "Described a disagreement with a product manager and how they used an offline experiment to settle it.",
    "Knew the retraining cadence and why it was weekly, and what would make them move to event-driven.",
    "Vague on ownership of the data contracts; said another team handled that.",
    "Explained grounding and the audit log for the LLM assistant, with a sensible fallback to search.",
)
_SUMMARIES = (
    "Solid evidence on the focus areas; a few gaps noted below.",
    "Mixed: strong on design, thin on operating what was built.",
    "Clear, specific examples throughout; would be a good addition to the team.",
    "Not enough evidence at the level we need for this role.",
    "Strong technically, less evidence on leading people; see the notes.",
    "Answers stayed general; follow-ups did not bring out their own contribution.",
)
_REASONS_NA = ("Ran out of time", "Covered by another stage", "Not enough evidence to rate")
_AMEND_REASONS = (
    "Typo in the score: meant one level higher",
    "Rated after re-reading the notes with the panel",
    "Entered on the wrong competency",
)
_BAD_QUESTIONS = 3  # questions whose competencies get far more noise where they were asked


@dataclass(frozen=True)
class LargeDemoReport:
    people: int
    openings: int
    candidates: int
    scorecards: int
    ratings: int
    notes: int
    decisions: int
    amendments: int
    exercises: int
    seconds: float
    bad_questions: tuple[str, ...]

    def summary(self) -> str:
        return (
            f"Large demo: {self.people:,} people, {self.openings} openings, {self.candidates:,} candidates, "
            f"{self.scorecards:,} submitted scorecards, {self.ratings:,} ratings, {self.notes:,} question notes, "
            f"{self.decisions:,} decisions, {self.amendments:,} amendments, {self.exercises} exercises "
            f"in {self.seconds:.0f} s"
        )


def _table(model: type[SQLModel]) -> Table:
    return SQLModel.metadata.tables[str(model.__tablename__)]


def refuse_unless_empty(db: Database) -> None:
    """ValidationFailed (one line) unless the database holds no people, openings or candidates."""
    with db.session() as s:
        counts = {
            name: int(s.scalar(select(func.count()).select_from(model)) or 0)
            for name, model in (("people", Person), ("openings", Opening), ("candidates", Candidate))
        }
    held = [f"{n:,} {name}" for name, n in counts.items() if n]
    if held:
        raise ValidationFailed(
            [
                (
                    f"{db.describe()} already holds data ({', '.join(held)}); demo --size large writes only into "
                    "an empty database: give a new file or an empty server database with --db"
                )
            ]
        )


@dataclass
class _Bank:
    """What the generator takes from the synced bank: the loop template and the competencies asked."""

    template_id: str
    template_name: str
    stages: list[dict[str, Any]]
    versions: dict[str, int]  # question id -> current version id
    competencies_of: dict[int, list[str]]  # version id -> competencies
    competencies: list[str]


def _bank(db: Database) -> _Bank:
    with db.session() as s:
        templates = list(s.execute(select(col(LoopTemplate.id), col(LoopTemplate.name), col(LoopTemplate.content))))
        if not templates:
            raise ValidationFailed(["the bank has no loop template: sync a bank with loops first (bank sync)"])
        tid, name, content = max(
            templates,
            key=lambda t: sum(1 for st in t[2].get("stages", []) if st.get("kind", "interview") == "interview"),
        )
        latest = select(col(QuestionVersion.question_id), func.max(col(QuestionVersion.id))).group_by(
            col(QuestionVersion.question_id)
        )
        versions = {str(q): int(v) for q, v in s.execute(latest)}
        by_version: dict[int, list[str]] = {}
        for vid, cid in s.execute(
            select(col(QuestionCompetency.question_version_id), col(QuestionCompetency.competency_id))
        ):
            by_version.setdefault(int(vid), []).append(str(cid))
    comps = sorted({c for cs in by_version.values() for c in cs})
    return _Bank(str(tid), str(name), list(content.get("stages", [])), versions, by_version, comps)


class _Ids:
    def __init__(self) -> None:
        self.next: dict[str, int] = {}

    def take(self, table: str, n: int = 1) -> int:
        first = self.next.get(table, 1)
        self.next[table] = first + n
        return first


def create_large_demo(
    db: Database,
    settings: BankSettings,
    *,
    scale: float = 1.0,
    seed: int = SEED,
    progress: Callable[[str], None] | None = None,
) -> LargeDemoReport:
    """Write the large demo (see the module docstring) into ``db``, which must hold a synced bank and no
    people, openings or candidates (else :class:`ValidationFailed`)."""
    started = time.perf_counter()
    say = progress or (lambda _m: None)
    refuse_unless_empty(db)
    bank = _bank(db)
    gen = _Generator(db, settings, bank, scale, seed, say)
    report = gen.run()
    return LargeDemoReport(**report, seconds=time.perf_counter() - started)


class _Generator:
    def __init__(
        self, db: Database, settings: BankSettings, bank: _Bank, scale: float, seed: int, say: Callable[[str], None]
    ) -> None:
        self.db, self.settings, self.bank, self.say = db, settings, bank, say
        self.rng = np.random.default_rng(seed)
        self.py = random.Random(seed)  # per-row draws: a numpy call per number costs microseconds
        self.ids = _Ids()
        self.n_people = max(OPENINGS + 12, round(PEOPLE * scale))
        self.n_candidates = max(OPENINGS * 2, round(CANDIDATES * scale))
        self.panel = min(PANEL, self.n_people - 2)
        self.low, self.high = settings.scale.min, settings.scale.max
        self.counts = {"scorecards": 0, "ratings": 0, "notes": 0, "decisions": 0, "amendments": 0}
        interview = [st for st in bank.stages if st.get("kind", "interview") == "interview"]
        asked_ids = [q for st in interview for q in st.get("questions", []) if q in bank.versions]
        pick = self.rng.choice(len(asked_ids), size=min(_BAD_QUESTIONS, len(asked_ids)), replace=False)
        self.bad = {bank.versions[asked_ids[i]] for i in pick}
        self.bad_names = tuple(sorted(asked_ids[i] for i in pick))

    # --- people, openings -------------------------------------------------------------------------------

    def _people(self) -> None:
        n = self.n_people
        rng = self.rng
        self.tendency = rng.normal(0.0, 0.18, n)
        strong = rng.random(n) < 0.1
        self.tendency[strong] = rng.choice([-0.75, 0.75], size=int(strong.sum()))
        self.drift = rng.normal(0.0, 0.12, n)  # score points per year
        self.leaning, self.drifting = self.tendency.tolist(), self.drift.tolist()
        rows = []
        for i in range(n):
            first, last = _FIRST[i % len(_FIRST)], _LAST[(i * 7 + i // len(_FIRST)) % len(_LAST)]
            role = (
                "admin"
                if i == 0
                else "hiring_manager"
                if 1 <= i <= OPENINGS
                else ("coordinator" if i % 50 == 0 else "interviewer")
            )
            rows.append(
                {
                    "id": i + 1,
                    "name": f"{first} {last}",
                    "email": f"{first}.{last}.{i + 1}@example.com".lower(),
                    "title": _ROLES[i % len(_ROLES)],
                    "access_role": role,
                    "active": i % 97 != 5,
                    "created_at": START - timedelta(days=30),
                    "db_login": None,
                    "public_key": None,
                    "key_set_at": None,
                }
            )
        with self.db.transaction() as s:
            insert_rows(s, _table(Person), rows)
        self.say(f"{n:,} people")

    def _openings(self) -> None:
        n = OPENINGS
        span = YEARS * 365 - 270
        self.opening_start = [START + timedelta(days=span * k / (n - 1)) for k in range(n)]
        rows = [
            {
                "id": k + 1,
                "title": f"{t} ({self.opening_start[k]:%Y})",
                "hiring_manager_id": k + 2,
                "status": "closed" if k < n - 3 else "open",
                "created_at": self.opening_start[k],
            }
            for k, t in enumerate(
                [
                    "ML Engineering Manager",
                    "Senior ML Engineer",
                    "Staff ML Engineer",
                    "ML Platform Lead",
                    "Head of Data Science",
                    "MLOps Engineer",
                ]
                * 2
            )
        ]
        interviewers = (
            np.arange(OPENINGS + 1, self.n_people) if self.n_people > OPENINGS + 4 else np.arange(1, self.n_people)
        )
        self.panels = [
            np.concatenate(
                ([k + 2], self.rng.choice(interviewers, size=min(self.panel, interviewers.size), replace=False))
            )
            for k in range(n)
        ]
        self.panel_lists = [[int(p) for p in panel] for panel in self.panels]
        with self.db.transaction() as s:
            insert_rows(s, _table(Opening), rows)
        self.say(f"{n} openings over {YEARS:.0f} years")

    # --- candidates, in batches -------------------------------------------------------------------------

    def run(self) -> dict[str, Any]:
        self._people()
        self._openings()
        total = self.n_candidates
        for first in range(0, total, BATCH):
            self._batch(first, min(BATCH, total - first))
            self.say(
                f"candidates {min(first + BATCH, total):,} of {total:,}: {self.counts['scorecards']:,} "
                f"scorecards, {self.counts['ratings']:,} ratings"
            )
        self._exercises()
        self._reset_sequences()
        return {
            "people": self.n_people,
            "openings": OPENINGS,
            "candidates": total,
            "exercises": self.n_exercises,
            "bad_questions": self.bad_names,
            **self.counts,
        }

    def _batch(self, first: int, n: int) -> None:
        rng, bank = self.rng, self.bank
        comps = bank.competencies
        rows: dict[str, list[dict[str, Any]]] = {
            t: [] for t in ("candidate", "loop", "stage", "sq", "card", "asked", "rating", "audit", "decision")
        }
        ability = rng.normal(0, 0.6, (n, 1)) + rng.normal(0, 0.4, (n, len(comps)))
        comp_index = {c: j for j, c in enumerate(comps)}
        opening = rng.integers(0, OPENINGS, n)
        arrive = rng.random(n) * 270.0
        interview_stages = [st for st in bank.stages if st.get("kind", "interview") == "interview"]
        reached = np.where(rng.random(n) < 0.65, len(interview_stages), rng.integers(1, len(interview_stages), n))
        for j in range(n):
            cid = first + j + 1
            k = int(opening[j])
            created = self.opening_start[k] + timedelta(days=float(arrive[j]))
            rows["candidate"].append(
                {
                    "id": cid,
                    "name": f"{_FIRST[cid % len(_FIRST)]} {_LAST[(cid // len(_FIRST)) % len(_LAST)]}",
                    "email": f"candidate{cid}@example.net",
                    "phone": "",
                    "opening_id": k + 1,
                    "created_at": created,
                    "erased_at": None,
                }
            )
            rows["loop"].append(
                {
                    "id": cid,
                    "candidate_id": cid,
                    "template_id": bank.template_id,
                    "name": bank.template_name,
                    "created_at": created,
                }
            )
            panel = self.py.sample(self.panel_lists[k], len(bank.stages))
            self._loop(rows, cid, created, panel, ability[j].tolist(), comp_index, int(reached[j]), k)
        self._write(rows)

    def _loop(
        self,
        rows: dict[str, list[dict[str, Any]]],
        cid: int,
        created: datetime,
        panel: list[int],
        ability: list[float],
        comp_index: dict[str, int],
        reached: int,
        opening: int,
    ) -> None:
        done = 0
        marks: list[float] = []
        people: list[int] = []
        when = created + timedelta(days=7)
        for pos, st in enumerate(self.bank.stages):
            stage_id = self.ids.take("stage")
            kind = str(st.get("kind", "interview"))
            who = int(panel[pos])
            rows["stage"].append(
                {
                    "id": stage_id,
                    "loop_id": cid,
                    "position": pos + 1,
                    "name": st["name"],
                    "interviewer_id": who,
                    "scheduled_at": when,
                    "minutes": int(st["minutes"]),
                    "focus": list(st.get("focus", [])) if kind == "interview" else [],
                    "kind": kind,
                    "checklist": [],
                }
            )
            planned = [self.bank.versions[q] for q in st.get("questions", []) if q in self.bank.versions]
            for qpos, vid in enumerate(planned):
                rows["sq"].append(
                    {"id": self.ids.take("sq"), "stage_id": stage_id, "position": qpos + 1, "question_version_id": vid}
                )
            if kind == "interview" and done < reached:
                done += 1
                marks.append(self._scorecard(rows, stage_id, who, when, st, planned, ability, comp_index))
                people.append(who)
            when += timedelta(days=self.py.randrange(1, 6))
        if done == sum(1 for st in self.bank.stages if st.get("kind", "interview") == "interview") or (
            marks and self.py.random() < 0.33
        ):
            hire = done == reached and len(marks) > 0 and sum(marks) / len(marks) >= 2.9
            rows["decision"].append(
                {
                    "id": self.ids.take("decision"),
                    "candidate_id": cid,
                    "outcome": "hire" if hire else "no_hire",
                    "rationale": "Panel agreed: "
                    + ("strong evidence across the loop." if hire else "not enough evidence on the must-haves."),
                    "decided_by": opening + 2,
                    "participants": sorted(set(people)),
                    "decided_at": when + timedelta(days=2),
                    "superseded_by": None,
                    "reopen_reason": "",
                }
            )
            self.counts["decisions"] += 1

    def _ratings(
        self,
        rows: dict[str, list[dict[str, Any]]],
        card: int,
        who: int,
        when: datetime,
        st: dict[str, Any],
        planned: list[int],
        ability: list[float],
        comp_index: dict[str, int],
    ) -> dict[str, int | None]:
        """The scorecard's ratings: ability, the interviewer's tendency and drift, noise (more on a bad question)."""
        bank = self.bank
        rated = list(
            dict.fromkeys([*st.get("focus", []), *(c for v in planned for c in bank.competencies_of.get(v, []))])
        )
        rated = [c for c in rated if c in comp_index][:5]
        years = (when - START).days / 365.0
        bias = self.leaning[who - 1] + self.drifting[who - 1] * years
        noisy = {c for v in planned if v in self.bad for c in bank.competencies_of.get(v, [])}
        scores: dict[str, int | None] = {}
        for c in rated:
            noise = self.py.gauss(0.0, 1.3 if c in noisy else 0.5)
            value = min(self.high, max(self.low, round(2.5 + ability[comp_index[c]] + bias + noise)))
            na = self.py.random() < 0.02
            scores[c] = None if na else value
            rows["rating"].append(
                {
                    "scorecard_id": card,
                    "competency_id": c,
                    "score": None if na else value,
                    "not_assessed": na,
                    "reason": _REASONS_NA[card % 3] if na else "",
                    "evidence": "",
                }
            )
        return scores

    def _scorecard(
        self,
        rows: dict[str, list[dict[str, Any]]],
        stage_id: int,
        who: int,
        when: datetime,
        st: dict[str, Any],
        planned: list[int],
        ability: list[float],
        comp_index: dict[str, int],
    ) -> float:
        card = self.ids.take("card")
        scores = self._ratings(rows, card, who, when, st, planned, ability, comp_index)
        rated = list(scores)
        given = [v for v in scores.values() if v is not None]
        mean = sum(given) / len(given) if given else 2.5
        recs = self.settings.recommendations
        rec = recs[min(len(recs) - 1, max(0, int((mean - self.low) / (self.high - self.low + 1e-9) * len(recs))))]
        submitted = when + timedelta(minutes=int(st["minutes"]) + self.py.randrange(5, 240))
        rows["card"].append(
            {
                "id": card,
                "stage_id": stage_id,
                "interviewer_id": who,
                "status": "submitted",
                "current_position": len(planned),
                "elapsed_seconds": float(st["minutes"]) * 60.0,
                "recommendation": rec,
                "summary": _SUMMARIES[card % len(_SUMMARIES)],
                "started_at": when,
                "updated_at": submitted,
                "submitted_at": submitted,
                "lock_owner": None,
                "lock_heartbeat": None,
                "revision": 1,
                "imported_hash": None,
            }
        )
        for qpos, vid in enumerate(planned):
            note = " ".join(self.py.choices(_NOTE_SENTENCES, k=self.py.randrange(2, 8)))
            rows["asked"].append(
                {
                    "id": self.ids.take("asked"),
                    "scorecard_id": card,
                    "position": qpos + 1,
                    "question_version_id": vid,
                    "planned": True,
                    "notes": note,
                    "seconds_spent": float(self.py.randrange(300, 1500)),
                    "evidence_ticks": [],
                }
            )
        rows["audit"].append(
            {
                "id": self.ids.take("audit"),
                "at": submitted,
                "actor_id": who,
                "entity": "scorecard",
                "entity_id": str(card),
                "action": "submitted",
                "reason": "",
                "detail": {
                    "recommendation": rec,
                    "ratings": {c: (v if v is not None else "n/a") for c, v in scores.items()},
                },
                "redacted_at": None,
            }
        )
        self.counts["scorecards"] += 1
        self.counts["ratings"] += len(rated)
        self.counts["notes"] += len(planned)
        if given and self.py.random() < 0.01:
            self._amend(rows, card, who, submitted, scores)
        return mean

    def _amend(
        self, rows: dict[str, list[dict[str, Any]]], card: int, who: int, at: datetime, scores: dict[str, int | None]
    ) -> None:
        comp = next(c for c, v in scores.items() if v is not None)
        before = scores[comp]
        assert before is not None
        after = before + 1 if before < self.high else before - 1
        for r in reversed(rows["rating"]):
            if r["scorecard_id"] == card and r["competency_id"] == comp:
                r["score"] = after
                break
        rows["card"][-1]["revision"] = 2
        rows["card"][-1]["updated_at"] = at + timedelta(days=1)
        rows["audit"].append(
            {
                "id": self.ids.take("audit"),
                "at": at + timedelta(days=1),
                "actor_id": who,
                "entity": "scorecard",
                "entity_id": str(card),
                "action": "amended",
                "reason": _AMEND_REASONS[card % 3],
                "detail": {f"rating:{comp}": {"before": before, "after": after}},
                "redacted_at": None,
            }
        )
        self.counts["amendments"] += 1

    def _write(self, rows: dict[str, list[dict[str, Any]]]) -> None:
        tables = (
            ("candidate", Candidate),
            ("loop", InterviewLoop),
            ("stage", Stage),
            ("sq", StageQuestion),
            ("card", Scorecard),
            ("asked", Asked),
            ("rating", Rating),
            ("audit", AuditEvent),
            ("decision", Decision),
        )
        with self.db.transaction() as s:
            for key, model in tables:
                if self.db.is_sqlite:
                    insert_rows(s, _table(model), rows[key])
                else:  # COPY FROM STDIN: INSERTs of many rows cost the server most of the run
                    copy_rows(s.connection(), _table(model), rows[key])

    # --- exercises, sequences -----------------------------------------------------------------------------

    def _exercises(self) -> None:
        rng = self.rng
        versions = sorted(set(self.bank.versions.values()))
        n = min(EXERCISES, len(versions))
        self.n_exercises = n
        exercises, scores = [], []
        for e in range(n):
            at = START + timedelta(days=45 * e)
            agreed = int(rng.integers(self.low, self.high + 1))
            exercises.append(
                {
                    "id": e + 1,
                    "question_version_id": versions[(e * 5) % len(versions)],
                    "title": f"Calibration session {e + 1}",
                    "created_by": 1,
                    "created_at": at,
                    "transcript": "\n\n".join(_NOTE_SENTENCES[(e + i) % len(_NOTE_SENTENCES)] for i in range(12)),
                    "agreed_score": agreed,
                    "rationale": "Agreed by the panel after discussion.",
                    "archived": e < n // 3,
                }
            )
            who = rng.choice(
                np.arange(2, self.n_people + 1), size=min(self.n_people - 1, int(rng.integers(30, 81))), replace=False
            )
            for p in who.tolist():
                value = int(np.clip(np.rint(agreed + self.tendency[p - 1] + rng.normal(0, 0.6)), self.low, self.high))
                scores.append(
                    {
                        "exercise_id": e + 1,
                        "interviewer_id": p,
                        "score": value,
                        "notes": "",
                        "submitted_at": at + timedelta(days=int(rng.integers(0, 14))),
                    }
                )
        with self.db.transaction() as s:
            insert_rows(s, _table(CalibrationExercise), exercises)
            insert_rows(s, _table(ExerciseScore), scores)
        self.say(f"{n} calibration exercises, {len(scores):,} blind scores")

    def _reset_sequences(self) -> None:
        """PostgreSQL: the next id of each table comes after the highest one written (explicit ids)."""
        if self.db.is_sqlite:
            return
        tables = (
            Person,
            Opening,
            Candidate,
            InterviewLoop,
            Stage,
            StageQuestion,
            Scorecard,
            Asked,
            AuditEvent,
            Decision,
            CalibrationExercise,
        )
        with self.db.transaction() as s:
            for model in tables:
                name = model.__tablename__
                seq = s.execute(text("SELECT pg_get_serial_sequence(:t, 'id')"), {"t": f'"{name}"'}).scalar()
                if seq:
                    s.execute(text(f'SELECT setval(:s, COALESCE((SELECT MAX(id) FROM "{name}"), 1))'), {"s": seq})
