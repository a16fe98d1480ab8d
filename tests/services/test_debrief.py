"""Debrief: independent judgement first, enforced in the service; decisions and their history."""

from __future__ import annotations

import pytest

from interviewkit.bank.loader import load_settings
from interviewkit.paths import shipped_bank_dir
from interviewkit.services import loops, people
from interviewkit.services.access import LOCAL_ADMIN
from interviewkit.services.audit import audit_trail
from interviewkit.services.debrief import (
    debrief,
    debrief_candidates,
    decisions,
    override_independence,
    record_decision,
    visible_scorecard_ids,
)
from interviewkit.services.demo import create_demo
from interviewkit.services.errors import PermissionDenied, ValidationFailed
from interviewkit.storage.db import Database

SETTINGS = load_settings(shipped_bank_dir())


@pytest.fixture
def demo(shipped_db: Database) -> Database:
    create_demo(shipped_db, shipped_bank_dir(), by=LOCAL_ADMIN)
    return shipped_db


def _ids(db: Database) -> tuple[dict[str, int], dict[str, int]]:
    persons = {p.name: p.id for p in people.people(db)}
    cands = {c.name: c.id for c in people.candidates(db, by=LOCAL_ADMIN)}
    return persons, cands


def test_no_one_sees_others_scorecards_before_submitting_their_own(demo: Database) -> None:
    persons, cands = _ids(demo)
    mid = cands["Tomasz Nowak"]  # 2 submitted, one draft, others planned
    lead = next(p.id for p in people.people(demo) if p.access_role == "hiring_manager")
    panel = {st.interviewer_id for lp in loops.loops(demo, candidate_id=mid, by=LOCAL_ADMIN)
             for st in loops.loop_detail(demo, lp.id, by=LOCAL_ADMIN).stages}
    admins = {p.id for p in people.people(demo) if p.access_role == "admin"}
    for name, pid in persons.items():
        seen = visible_scorecard_ids(demo, mid, pid)
        if pid not in panel and pid != lead and pid not in admins:
            assert seen == set(), name  # not on the panel: no debrief at all
            with pytest.raises(PermissionDenied, match="only the panel and the debrief lead"):
                debrief(demo, mid, pid, SETTINGS)
            continue
        d = debrief(demo, mid, pid, SETTINGS)
        own = {c.scorecard_id for c in d.columns if c.interviewer_id == pid}
        if pid == lead or pid in admins:
            assert seen == set() and d.hidden_count == 2 and "overrid" in d.why_hidden, name
        elif own:
            assert len(seen) == 2, name  # submitted their own: sees the submitted ones
        else:
            assert seen == set(), name
            assert d.columns == () and d.hidden_count == 2


def test_the_lead_overrides_with_a_reason_in_the_audit_trail(demo: Database) -> None:
    persons, cands = _ids(demo)
    mid = cands["Tomasz Nowak"]
    lead = next(p.id for p in people.people(demo) if p.access_role == "hiring_manager")
    interviewer = persons["Kwame Asante"]
    with pytest.raises(ValidationFailed):
        override_independence(demo, mid, lead, "  ")
    with pytest.raises(PermissionDenied):
        override_independence(demo, mid, interviewer, "I want to peek")
    override_independence(demo, mid, lead, "Offer deadline on Friday")
    assert len(visible_scorecard_ids(demo, mid, lead)) == 2
    (entry,) = [e for e in audit_trail(demo, "candidate", mid, by=LOCAL_ADMIN) if e.action == "override"]
    assert entry.reason == "Offer deadline on Friday"


def test_a_finished_loop_shows_grid_disagreements_and_coverage(demo: Database) -> None:
    _persons, cands = _ids(demo)
    lead = next(p.id for p in people.people(demo) if p.access_role == "hiring_manager")
    split = debrief(demo, cands["Aisha Rahman"], lead, SETTINGS)
    (summary,) = loops.loops(demo, candidate_id=cands["Aisha Rahman"], by=LOCAL_ADMIN)
    interviews = [st for st in loops.loop_detail(demo, summary.id, by=LOCAL_ADMIN).stages if not st.is_screen]
    assert len(split.columns) == len(interviews) == split.stage_count and split.hidden_count == 0
    assert split.split_recommendation
    assert split.disagreements and max(split.disagreements.values()) >= 2
    assert len(split.coverage) == 112
    # assessed: only by the primary links of the questions asked; checked by the screen: what it answered
    plan = loops.loop_coverage(demo, summary.id, by=LOCAL_ADMIN)
    assert {c.requirement_id for c in split.coverage if c.assessed} <= set(plan.result.stages_of)
    assert {c.requirement_id for c in split.coverage if c.checked_by_screen} == set(plan.screened)
    assert {c.requirement_id for c in split.unassessed} >= set(plan.unassessed)
    col = split.columns[0]
    some = next(c for c in col.ratings if col.ratings[c] is not None)
    assert col.evidence_for(some)  # notes of the questions that assessed it
    strong = debrief(demo, cands["Helena Vasconcelos"], lead, SETTINGS)
    assert not strong.split_recommendation
    listed = {c[0]: c for c in debrief_candidates(demo, lead)}
    assert set(listed) >= {cands["Aisha Rahman"], cands["Helena Vasconcelos"]}
    # The list counts as the debrief does: the scorecards of the interviews, not the recruiter's screen.
    assert listed[cands["Aisha Rahman"]][3:5] == (split.submitted_count, split.stage_count)


def test_decisions_are_recorded_and_reopened_with_a_reason(demo: Database) -> None:
    persons, cands = _ids(demo)
    cand = cands["Tomasz Nowak"]  # mid-loop: the demo has decided on Helena, Marcus and Aisha already
    lead = next(p.id for p in people.people(demo) if p.access_role == "hiring_manager")
    with pytest.raises(PermissionDenied):
        record_decision(demo, cand, persons["Kwame Asante"], outcome="hire", rationale="x", participants=[lead])
    with pytest.raises(ValidationFailed) as info:
        record_decision(demo, cand, lead, outcome="maybe", rationale="", participants=[])
    assert len(info.value.problems) == 3
    first = record_decision(
        demo,
        cand,
        lead,
        outcome="hire",
        rationale="Strong across the loop",
        participants=[lead, persons["Kwame Asante"]],
    )
    assert first.label == "Hire"
    with pytest.raises(ValidationFailed, match="Reopening reason"):
        record_decision(demo, cand, lead, outcome="hold", rationale="Budget freeze", participants=[lead])
    second = record_decision(
        demo,
        cand,
        lead,
        outcome="hold",
        rationale="Budget freeze",
        participants=[lead],
        reopen_reason="Headcount frozen until Q1",
    )
    history = decisions(demo, cand, by=LOCAL_ADMIN)
    assert [(d.outcome, d.superseded) for d in history] == [("hire", True), ("hold", False)]
    assert debrief(demo, cand, lead, SETTINGS).decision == second
    actions = [e.action for e in audit_trail(demo, "candidate", cand, by=LOCAL_ADMIN)]
    assert actions == ["decided", "decision reopened"]


def test_after_an_override_and_a_decision_an_interviewer_who_has_not_submitted_sees_no_rationale(
    demo: Database,
) -> None:
    persons, cands = _ids(demo)
    tomasz, rita, amara = cands["Tomasz Nowak"], persons["Rita Figueiredo"], persons["Amara Okafor"]
    override_independence(demo, tomasz, rita, "the panel meets today")
    record_decision(demo, tomasz, rita, outcome="hold", participants=[rita],
                    rationale="José rated system design 2 and 王芳 rated MLOps 3: we hold until the work sample.")
    seen = debrief(demo, tomasz, amara, SETTINGS)
    assert seen.decision is None and seen.history == () and seen.decision_hidden
    assert decisions(demo, tomasz, by=amara) == []
    assert "José rated" not in repr(seen)
    with pytest.raises(PermissionDenied, match="audit trail is shown with the decision"):
        audit_trail(demo, "candidate", tomasz, by=amara)
    assert debrief(demo, tomasz, rita, SETTINGS).decision is not None  # the lead sees what she recorded
