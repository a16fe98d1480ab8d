"""The panel debrief: every scorecard side by side, disagreements, requirement coverage, the decision.

Independent judgement first: an interviewer sees other interviewers' scorecards for a candidate only once
their own is submitted. The debrief lead (the opening's hiring manager, or an admin) sees them all once
every scorecard is submitted, or earlier by an explicit override that goes into the audit trail. This is
enforced here, in the queries, not only by hiding widgets.

Coverage counts the PRIMARY requirements of the questions asked as assessed; the requirements a question
only touches (related) are listed apart and never counted; what a recruiter's screen stage answered is
"checked by the screen". The screen's answers are read by the panel and the lead, as the debrief is.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import datetime

from sqlalchemy import func, select
from sqlmodel import Session, col

from interviewkit.bank.model import BankSettings
from interviewkit.services import audit, policy
from interviewkit.services.access import Actor, require_in
from interviewkit.services.changes import NO_CHANGES, Changes
from interviewkit.services.errors import NotFound, ValidationFailed
from interviewkit.storage.db import Database
from interviewkit.storage.models import (
    DECISION_OUTCOMES,
    AskedQuestion,
    Candidate,
    Competency,
    Decision,
    InterviewLoop,
    Opening,
    OpeningJD,
    Person,
    QuestionCompetency,
    QuestionRequirement,
    QuestionVersion,
    Rating,
    Requirement,
    Scorecard,
    ScreenAnswer,
    Stage,
    id_of,
    utcnow,
)
from interviewkit.storage.views import scorecard_status

__all__ = [
    "OUTCOME_LABELS",
    "CoverageEntry",
    "Debrief",
    "DecisionInfo",
    "Evidence",
    "ScorecardColumn",
    "can_lead",
    "debrief",
    "debrief_candidates",
    "decisions",
    "override_independence",
    "record_decision",
    "visible_scorecard_ids",
]

OUTCOME_LABELS = {
    "hire": "Hire",
    "no_hire": "No hire",
    "hold": "Hold",
    "more_information": "More information needed",
}


@dataclass(frozen=True)
class Evidence:
    """One question asked in a scorecard, with its notes."""

    question_id: str
    title: str
    notes: str
    competencies: tuple[str, ...]
    requirements: tuple[str, ...]  # primary: what the question assesses
    related_requirements: tuple[str, ...] = ()  # touched on, not counted


@dataclass(frozen=True)
class ScorecardColumn:
    """One submitted scorecard as a column of the debrief grid."""

    scorecard_id: int
    stage_id: int
    stage_name: str
    stage_position: int
    interviewer_id: int
    interviewer: str
    submitted_at: datetime | None
    recommendation: str | None
    summary: str
    ratings: dict[str, int | None]  # competency -> score (None: not assessed)
    not_assessed: dict[str, str]  # competency -> reason
    rating_evidence: dict[str, str]  # competency -> evidence note
    questions: tuple[Evidence, ...]

    def evidence_for(self, competency_id: str) -> list[Evidence]:
        return [q for q in self.questions if competency_id in q.competencies]


@dataclass(frozen=True)
class CoverageEntry:
    """A requirement of the role and who assessed it in this candidate's loop, with what rating.

    ``assessed_by`` counts the questions asked that have it as a PRIMARY requirement; ``related_by`` lists
    apart the questions asked that only touch it (never counted); ``screened_by`` the screen stages whose
    checklist answered it, and ``on_screen`` whether a screen of the loop checks it at all.
    """

    requirement_id: str
    text: str
    section: str
    assessed_by: tuple[tuple[str, str, str, str], ...]  # (interviewer, stage, question title, ratings text)
    related_by: tuple[tuple[str, str], ...] = ()  # (stage, question title): touched on, not counted
    screened_by: tuple[tuple[str, str], ...] = ()  # (screen stage, answer: "yes", "no" or "unclear")
    on_screen: bool = False

    @property
    def assessed(self) -> bool:
        """Assessed by a question asked (a primary link)."""
        return bool(self.assessed_by)

    @property
    def checked_by_screen(self) -> bool:
        """A screen of the loop answered it."""
        return bool(self.screened_by)

    @property
    def covered(self) -> bool:
        return self.assessed or self.checked_by_screen

    def words(self) -> str:
        """What covered it, in words: 'assessed in 2 stages', 'checked by the screen (Recruiter screen: yes)',
        'not assessed; touched on in Production ML: “Drift incident” (not counted)'."""
        parts = []
        if self.assessed:
            stages = list(dict.fromkeys(stage for _, stage, _, _ in self.assessed_by))
            parts.append("assessed in " + ", ".join(stages))
        if self.screened_by:
            answers = ", ".join(f"{stage}: {answer}" for stage, answer in self.screened_by)
            parts.append(f"checked by the screen ({answers})")
        elif self.on_screen and not self.assessed:
            parts.append("on the screen's checklist, not answered yet")
        if not parts:
            parts.append("not assessed")
        if self.related_by:
            touched = ", ".join(f"{stage}: “{title}”" for stage, title in self.related_by)
            parts.append(f"touched on in {touched} (not counted)")
        return "; ".join(parts)


@dataclass(frozen=True)
class DecisionInfo:
    id: int
    outcome: str
    rationale: str
    decided_by: str
    participants: tuple[str, ...]
    decided_at: datetime
    superseded: bool
    reopen_reason: str
    changes: Changes = field(default=NO_CHANGES, compare=False, repr=False, kw_only=True)  # what a write changed

    @property
    def label(self) -> str:
        return OUTCOME_LABELS.get(self.outcome, self.outcome)


@dataclass(frozen=True)
class Debrief:
    """Everything the debrief view and the debrief packet show, as the viewer may see it."""

    candidate_id: int
    candidate: str
    opening_id: int
    opening: str
    viewer_id: int | None  # None: the local operator
    viewer_is_lead: bool
    stage_count: int
    submitted_count: int
    columns: tuple[ScorecardColumn, ...]  # the scorecards the viewer may see
    hidden_count: int  # submitted scorecards the viewer may not see yet
    why_hidden: str
    competencies: tuple[tuple[str, str], ...]  # (id, name) rated in any visible scorecard, framework order
    disagreements: dict[str, int]  # competency -> spread (max - min) where >= 2
    split_recommendation: bool
    coverage: tuple[CoverageEntry, ...]
    decision: DecisionInfo | None
    history: tuple[DecisionInfo, ...] = field(default_factory=tuple)
    override: bool = False
    decision_hidden: bool = False  # a decision exists, but this viewer may not see it yet

    def ratings_of(self, competency_id: str) -> list[int]:
        return [score for c in self.columns if (score := c.ratings.get(competency_id)) is not None]

    @property
    def unassessed(self) -> list[CoverageEntry]:
        """Requirements neither assessed by a question asked (primary links) nor checked by the screen."""
        return [c for c in self.coverage if not c.covered]

    @property
    def screened(self) -> list[CoverageEntry]:
        """Requirements the screen checked and no question asked assessed."""
        return [c for c in self.coverage if c.checked_by_screen and not c.assessed]


def _candidate(s: Session, candidate_id: int) -> tuple[Candidate, Opening]:
    row = s.execute(
        select(Candidate, Opening)
        .join(Opening, col(Opening.id) == col(Candidate.opening_id))
        .where(col(Candidate.id) == candidate_id)
    ).first()
    if row is None:
        raise NotFound(f"No candidate with id {candidate_id}")
    return row[0], row[1]


def can_lead(db: Database, candidate_id: int, person_id: Actor) -> bool:
    """Whether this person leads the candidate's debrief (the opening's hiring manager or an admin)."""
    with db.session() as s:
        return policy.visibility(s, person_id, candidate_id).lead


def _scorecards(s: Session, candidate_id: int) -> list[Scorecard]:
    return list(
        s.scalars(
            select(Scorecard)
            .join(Stage, col(Stage.id) == col(Scorecard.stage_id))
            .join(InterviewLoop, col(InterviewLoop.id) == col(Stage.loop_id))
            .where(col(InterviewLoop.candidate_id) == candidate_id)
        )
    )


def visible_scorecard_ids(db: Database, candidate_id: int, viewer_id: Actor) -> set[int]:
    """The submitted scorecards of a candidate that this person may read (their own always)."""
    with db.session() as s:
        return set(policy.visibility(s, viewer_id, candidate_id).visible)


def override_independence(db: Database, candidate_id: int, lead_id: Actor, reason: str) -> Changes:
    """Let the debrief lead see every submitted scorecard before all are in; written to the audit trail.
    What the candidate's debrief shows changes."""
    if not reason.strip():
        raise ValidationFailed(["Reason: say why the panel needs the scorecards before all are submitted"])
    with db.transaction() as s:
        _, opening = _candidate(s, candidate_id)
        require_in(s, lead_id, "override_independence", opening_id=opening.id)
        audit.record(s, actor_id=audit.actor_id(lead_id), entity="candidate", entity_id=candidate_id,
                     action="override", reason=reason.strip())
    return Changes.of(candidates=[candidate_id])


def _decision_infos(s: Session, candidate_id: int) -> list[DecisionInfo]:
    names = {p.id: p.name for p in s.scalars(select(Person))}
    rows = s.scalars(
        select(Decision)
        .where(col(Decision.candidate_id) == candidate_id)
        .order_by(col(Decision.decided_at), col(Decision.id))
    )
    return [
        DecisionInfo(
            id_of(d),
            d.outcome,
            d.rationale,
            names.get(d.decided_by, "?"),
            tuple(names.get(p, "?") for p in d.participants),
            d.decided_at,
            d.superseded_by is not None,
            d.reopen_reason,
        )
        for d in rows
    ]


def decisions(db: Database, candidate_id: int, *, by: Actor) -> list[DecisionInfo]:
    """Every decision on a candidate, oldest first (the last one not superseded is in force), if this
    person may see them (see :mod:`~interviewkit.services.policy`); otherwise none."""
    with db.session() as s:
        vis = policy.require_debrief(s, by, candidate_id)
        return _decision_infos(s, candidate_id) if vis.decision_visible else []


def record_decision(
    db: Database,
    candidate_id: int,
    decided_by: Actor,
    *,
    outcome: str,
    rationale: str,
    participants: list[int],
    reopen_reason: str = "",
    now: datetime | None = None,
) -> DecisionInfo:
    """Record the panel's decision. Changing a decision (reopening) needs a reason and supersedes the old one.

    ``now`` is when the panel decided (default: now), for decisions recorded after the meeting or imported.
    """
    problems = []
    if outcome not in DECISION_OUTCOMES:
        problems.append(f"Outcome: one of {', '.join(OUTCOME_LABELS.values())}")
    if not rationale.strip():
        problems.append("Rationale: say why the panel decided this")
    if not participants:
        problems.append("Participants: who took part in the decision?")
    with db.transaction() as s:
        _, opening = _candidate(s, candidate_id)
        require_in(s, decided_by, "record_decision", opening_id=opening.id)
        current = s.scalars(
            select(Decision).where(col(Decision.candidate_id) == candidate_id, col(Decision.superseded_by).is_(None))
        ).first()
        if current is not None and not reopen_reason.strip():
            problems.append("Reopening reason: this candidate already has a decision; say why it changes")
        unknown = [p for p in participants if s.get(Person, p) is None]
        if unknown:
            problems.append("Participants: not in the directory")
        if problems:
            raise ValidationFailed(problems)
        if not isinstance(decided_by, int):
            raise ValidationFailed(["Decided by: a decision is recorded by a person of the directory (use --as)"])
        decision = Decision(
            candidate_id=candidate_id, outcome=outcome, rationale=rationale.strip(), decided_by=decided_by,
            participants=sorted(set(participants)), reopen_reason=reopen_reason.strip(),
            decided_at=now or utcnow(),
        )
        s.add(decision)
        s.flush()
        detail: dict[str, object] = {"outcome": outcome, "participants": sorted(set(participants))}
        action = "decided"
        if current is not None:
            current.superseded_by = decision.id
            detail["before"] = current.outcome
            action = "decision reopened"
        audit.record(
            s, actor_id=decided_by, entity="candidate", entity_id=candidate_id, action=action,
            reason=reopen_reason.strip() or rationale.strip(), detail=detail,
        )
        s.flush()
        made = next(d for d in _decision_infos(s, candidate_id) if d.id == decision.id)
        return replace(made, changes=Changes.of(decisions=[candidate_id]))


def _loop_stages(s: Session, candidate_id: int) -> list[Stage]:
    """The stages of the candidate's loops, in loop and stage order."""
    return list(
        s.scalars(
            select(Stage)
            .join(InterviewLoop)
            .where(col(InterviewLoop.candidate_id) == candidate_id)
            .order_by(col(Stage.loop_id), col(Stage.position))
        )
    )


def _question_links(
    s: Session, vids: list[int]
) -> tuple[dict[int, list[str]], dict[int, list[str]], dict[int, list[str]]]:
    """Per question version, the competencies, the requirements it assesses (primary) and those it touches."""
    comps: dict[int, list[str]] = defaultdict(list)
    reqs: dict[int, list[str]] = defaultdict(list)
    related: dict[int, list[str]] = defaultdict(list)
    if vids:
        for vid, cid in s.execute(
            select(col(QuestionCompetency.question_version_id), col(QuestionCompetency.competency_id)).where(
                col(QuestionCompetency.question_version_id).in_(vids)
            )
        ):
            comps[vid].append(cid)
        for vid, rid, primary in s.execute(
            select(col(QuestionRequirement.question_version_id), col(QuestionRequirement.requirement_id),
                   col(QuestionRequirement.is_primary))
            .where(col(QuestionRequirement.question_version_id).in_(vids))
        ):
            (reqs if primary else related)[vid].append(rid)
    return comps, reqs, related


def _column(s: Session, card: Scorecard, st: Stage | None, names: dict[int | None, str]) -> ScorecardColumn:
    """One visible scorecard as a column: its ratings, and the questions asked that hold notes or time."""
    ratings = list(s.scalars(select(Rating).where(col(Rating.scorecard_id) == card.id)))
    asked = s.execute(
        select(AskedQuestion, QuestionVersion)
        .join(QuestionVersion, col(QuestionVersion.id) == col(AskedQuestion.question_version_id))
        .where(col(AskedQuestion.scorecard_id) == card.id)
        .order_by(col(AskedQuestion.position))
    ).all()
    comps, reqs, related = _question_links(s, [id_of(v) for _, v in asked])
    return ScorecardColumn(
        scorecard_id=id_of(card),
        stage_id=card.stage_id,
        stage_name=st.name if st else "",
        stage_position=st.position if st else 0,
        interviewer_id=card.interviewer_id,
        interviewer=names.get(card.interviewer_id, "?"),
        submitted_at=card.submitted_at,
        recommendation=card.recommendation,
        summary=card.summary,
        ratings={r.competency_id: (None if r.not_assessed else r.score) for r in ratings},
        not_assessed={r.competency_id: r.reason for r in ratings if r.not_assessed},
        rating_evidence={r.competency_id: r.evidence for r in ratings if r.evidence},
        questions=tuple(
            Evidence(v.question_id, v.title, a.notes, tuple(comps[id_of(v)]), tuple(reqs[id_of(v)]),
                     tuple(related[id_of(v)]))
            for a, v in asked
            if a.notes.strip() or a.seconds_spent > 0
        ),
    )


def _disagreements(columns: list[ScorecardColumn], competencies: tuple[tuple[str, str], ...]) -> dict[str, int]:
    """Per competency, the spread of its scores (highest - lowest) where it is two points or more."""
    disagreements = {}
    for cid, _name in competencies:
        scores = [score for column in columns if (score := column.ratings.get(cid)) is not None]
        if len(scores) >= 2 and max(scores) - min(scores) >= 2:
            disagreements[cid] = max(scores) - min(scores)
    return disagreements


def _split_recommendation(columns: list[ScorecardColumn], settings: BankSettings) -> bool:
    """Whether the recommendations fall on both sides of the bank's list (its upper half is the yes side)."""
    yes_from = max(len(settings.recommendations) // 2, 1)
    sides = {
        settings.recommendations.index(c.recommendation) >= yes_from
        for c in columns
        if c.recommendation in settings.recommendations
    }
    return len(sides) > 1


def _coverage(
    s: Session, opening: Opening, columns: list[ScorecardColumn], comp_names: dict[str, str], stages: list[Stage],
    hidden: frozenset[int] = frozenset(),
) -> tuple[CoverageEntry, ...]:
    """The opening's requirements in force, each with who assessed it through which question (primary links)
    and the ratings, the questions that only touched it, and what the loop's screens answered (not what the
    screens of ``hidden`` answered: the viewer may not read them yet, services/policy.screen_access)."""
    jd_ids = list(s.scalars(select(col(OpeningJD.jd_id)).where(col(OpeningJD.opening_id) == opening.id)))
    requirements = list(
        s.scalars(
            select(Requirement)
            .where(col(Requirement.jd_id).in_(jd_ids), col(Requirement.retired_at).is_(None))
            .order_by(col(Requirement.jd_id), col(Requirement.position))
        )
    )
    assessed: dict[str, list[tuple[str, str, str, str]]] = defaultdict(list)
    touched: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for column in columns:
        for q in column.questions:
            shown = ", ".join(
                f"{comp_names.get(c, c)} {column.ratings[c] if column.ratings.get(c) is not None else 'n/a'}"
                for c in q.competencies
                if c in column.ratings
            )
            for rid in q.requirements:
                assessed[rid].append((column.interviewer, column.stage_name, q.title, shown))
            for rid in q.related_requirements:
                if (column.stage_name, q.title) not in touched[rid]:
                    touched[rid].append((column.stage_name, q.title))
    screens = [st for st in stages if st.kind == "screen"]
    on_screen = {r for st in screens for r in st.checklist}
    answered: dict[str, list[tuple[str, str]]] = defaultdict(list)
    if screens:
        by_id = {id_of(st): st for st in screens}
        for stage_id, rid, answer in s.execute(
            select(col(ScreenAnswer.stage_id), col(ScreenAnswer.requirement_id), col(ScreenAnswer.answer))
            .where(col(ScreenAnswer.stage_id).in_(list(by_id)))
            .order_by(col(ScreenAnswer.stage_id))
        ):
            if rid in by_id[stage_id].checklist:  # an answer to an item taken off the checklist is not shown
                answered[rid].append((by_id[stage_id].name, _SCREEN_HIDDEN if stage_id in hidden else answer))
    return tuple(
        CoverageEntry(r.id, r.text, r.section, tuple(assessed.get(r.id, ())), tuple(touched.get(r.id, ())),
                      tuple(answered.get(r.id, ())), r.id in on_screen)
        for r in requirements
    )


_SCREEN_HIDDEN = "answered, shown once your own scorecard is in"


def _hidden_screens(s: Session, viewer_id: Actor, candidate_id: int, stages: list[Stage]) -> frozenset[int]:
    """The screen stages whose answers the viewer may not read yet (a panel member before submitting)."""
    return frozenset(
        id_of(st) for st in stages if st.kind == "screen" and not policy.screen_access(
            s, viewer_id, interviewer_id=st.interviewer_id, finished_by=st.finished_by, candidate_id=candidate_id
        ).read
    )


def _decisions_seen(
    s: Session, candidate_id: int, vis: policy.Visibility
) -> tuple[list[DecisionInfo], DecisionInfo | None, bool]:
    """The decisions the viewer may see, the one in force, and whether one exists that they may not see yet."""
    history = _decision_infos(s, candidate_id) if vis.decision_visible else []
    current = next((d for d in reversed(history) if not d.superseded), None)
    decision_hidden = not vis.decision_visible and s.scalars(
        select(col(Decision.id)).where(col(Decision.candidate_id) == candidate_id).limit(1)
    ).first() is not None
    return history, current, decision_hidden


def debrief(db: Database, candidate_id: int, viewer_id: Actor, settings: BankSettings) -> Debrief:
    """The debrief of a candidate as ``viewer_id`` may see it (the panel and the lead only)."""
    with db.session() as s:
        cand, opening = _candidate(s, candidate_id)
        vis = policy.require_debrief(s, viewer_id, candidate_id)
        visible, hidden, why, lead, override = vis.visible, vis.hidden, vis.why_hidden, vis.lead, vis.override
        stages = _loop_stages(s, candidate_id)
        cards = [c for c in _scorecards(s, candidate_id) if id_of(c) in visible]
        stage_of = {st.id: st for st in stages}
        names = {p.id: p.name for p in s.scalars(select(Person))}
        comp_rows = list(s.scalars(select(Competency).order_by(col(Competency.position))))
        comp_names = {c.id: c.name for c in comp_rows}
        columns = [
            _column(s, card, stage_of.get(card.stage_id), names)
            for card in sorted(cards, key=lambda c: (stage_of[c.stage_id].position if c.stage_id in stage_of else 0))
        ]
        rated = {c for column in columns for c in column.ratings}
        competencies = tuple((c.id, c.name) for c in comp_rows if c.id in rated)
        hidden_screens = _hidden_screens(s, viewer_id, candidate_id, stages)
        coverage = _coverage(s, opening, columns, comp_names, stages, hidden_screens)
        history, current, decision_hidden = _decisions_seen(s, candidate_id, vis)
        submitted_count = vis.submitted_count
        return Debrief(
            candidate_id=candidate_id,
            candidate=cand.name,
            opening_id=id_of(opening),
            opening=opening.title,
            viewer_id=viewer_id if isinstance(viewer_id, int) else None,
            viewer_is_lead=lead,
            stage_count=sum(1 for st in stages if st.kind != "screen"),  # a screen has no scorecard
            submitted_count=submitted_count,
            columns=tuple(columns),
            hidden_count=hidden,
            why_hidden=why,
            competencies=competencies,
            disagreements=_disagreements(columns, competencies),
            split_recommendation=_split_recommendation(columns, settings),
            coverage=coverage,
            decision=current,
            history=tuple(history),
            override=override,
            decision_hidden=decision_hidden,
        )


def debrief_candidates(db: Database, viewer_id: Actor) -> list[tuple[int, str, str, int, int, str | None]]:
    """The candidates whose debrief this person may see (their panel's, the ones they lead) with at least
    one submitted scorecard: (id, name, opening, submitted, stages, decision in force if they may see it)."""
    with db.session() as s:
        rows = s.execute(
            select(col(Candidate.id), col(Candidate.name), col(Opening.title))
            .join(Opening, col(Opening.id) == col(Candidate.opening_id))
            .order_by(col(Candidate.created_at).desc(), col(Candidate.id).desc())
        ).all()
        out = []
        for cid, name, title in rows:
            submitted = s.scalar(select(func.count(scorecard_status.c.id)).where(
                scorecard_status.c.candidate_id == cid, scorecard_status.c.status == "submitted")) or 0
            stage_count = s.scalar(  # the stages that have a scorecard: a recruiter's screen has none
                select(func.count(col(Stage.id)))
                .join(InterviewLoop)
                .where(col(InterviewLoop.candidate_id) == cid, col(Stage.kind) != "screen")
            ) or 0
            if not submitted:
                continue
            vis = policy.visibility(s, viewer_id, int(cid))
            if not vis.may_view_debrief:
                continue
            current = (
                None
                if not vis.decision_visible
                else s.scalars(
                    select(col(Decision.outcome)).where(
                        col(Decision.candidate_id) == cid, col(Decision.superseded_by).is_(None)
                    )
                ).first()
            )
            out.append((int(cid), name, title, submitted, stage_count, current))
        return out

