"""A small bank of the second edition (issue 14) for the storage, service and command-line tests.

The mini bank of tests/conftest.py, plus:

* ``screening.yaml`` with two screen-only requirements (:data:`SCREENED`);
* ``serving-design``: one primary requirement, one related (:data:`RELATED`), an evidence checklist with
  thresholds, examples and a scope line; ``serving-design-story`` is its variant;
* the loop template ``mini-loop``: a recruiter screen (the two screening items) and one interview stage
  planning ``latency-regression`` and ``serving-design``.

Nothing here depends on the shipped bank's questions, which are edited meanwhile.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from interviewkit.storage.db import Database
from tests.conftest import write_question

SCREENED = ("ml-eng-manager-profile.technical-expertise.01", "ml-eng-manager-profile.typical-background.01")
PRIMARY = "ml-eng-manager-profile.infrastructure-operations.03"  # serving-design's primary requirement
RELATED = "ml-eng-manager-profile.data-infrastructure.03"  # serving-design only touches it
LATENCY = "ml-eng-manager-profile.production-ml-systems.05"  # latency-regression's and drift-incident's

SCREENING = f"""# Screen-only requirements of the test bank.
items:
  - requirement: {SCREENED[0]}
    ask: Eight or more years of hands-on ML engineering?
  - requirement: {SCREENED[1]}
    ask: A BS or MS in Computer Science or a related field?
"""

DESIGN = f"""---
id: {{qid}}
title: {{title}}
competencies: [model-serving]
requirements:
  - {PRIMARY}
related_requirements:
  - {RELATED}
kind: system-design
level: manager
minutes: 30
follow_ups:
  - What would you measure first?
  - What does it cost per thousand predictions?
rubric:
  1: No design, or a design with no numbers.
  2: Items 1-2 or any two.
  3: Items 1-2 and one of 3-4.
  4: All four items.
red_flags:
  - Scales by buying bigger machines only
evidence:
  - States the latency target and the traffic it must hold
  - Sizes the serving fleet from those numbers
  - Names the cost per prediction and how to bring it down
  - Plans the rollout with a canary and a rollback
thresholds:
  2: any 2
  3: 1, 2 and any 1 of 3-4
  4: all
examples:
  2: We would put the model behind an API and add machines when it gets slow.
  4: At 2,000 requests a second and a 50 ms p99 we need twelve GPU pods; batching halves the cost.
scope: A manager sizes one service; a senior manager sets the budget for several teams' serving.
{{variant}}---
{{prompt}}
"""

LOOP = f"""id: mini-loop
name: Mini loop
job_descriptions: [ml-eng-manager-profile]
stages:
  - name: Recruiter screen
    kind: screen
    minutes: 30
    checklist: [{SCREENED[0]}, {SCREENED[1]}]
  - name: Serving
    minutes: 60
    focus: [model-serving]
    questions: [latency-regression, serving-design]
"""


def write_design(root: Path, qid: str = "serving-design", *, title: str = "Design a model serving fleet",
                 prompt: str = "Design the serving of a fraud model for 2,000 requests a second.",
                 variant_of: str | None = None) -> Path:
    variant = f"variant_of: {variant_of}\n" if variant_of else ""
    text = DESIGN.format(qid=qid, title=title, prompt=prompt, variant=variant)
    return write_question(root, qid, text=text, folder="questions/design")


def make_second_edition(root: Path) -> Path:
    """Turn a copy of the mini bank (``root``) into the second-edition test bank; return ``root``."""
    (root / "screening.yaml").write_text(SCREENING, encoding="utf-8")
    write_design(root)
    write_design(root, "serving-design-story", title="A serving fleet you sized",
                 prompt="Tell me about a serving fleet you sized and what it cost.", variant_of="serving-design")
    (root / "loops").mkdir(exist_ok=True)
    (root / "loops" / "mini-loop.yaml").write_text(LOOP, encoding="utf-8")
    return root


@dataclass(frozen=True)
class World:
    """The second-edition bank synced, five people, an opening and one candidate's loop from ``mini-loop``."""

    db: Database
    admin: int
    recruiter: int  # a coordinator: the screen's interviewer
    interviewer: int  # the interview stage's
    manager: int  # the opening's hiring manager: the debrief lead
    outsider: int  # an interviewer on no panel
    candidate: int
    loop: int
    screen: int  # the screen stage's id
    interview: int  # the interview stage's id


def build_world(db: Database, bank: Path) -> World:
    from interviewkit.services import loops, people
    from interviewkit.services.access import LOCAL_ADMIN
    from interviewkit.services.bank_sync import sync_bank

    sync_bank(db, bank, by=LOCAL_ADMIN)

    def person(name: str, role: str) -> int:
        email = name.lower().replace(" ", ".") + "@example.com"
        return people.create_person(db, name=name, email=email, access_role=role, by=LOCAL_ADMIN).id

    admin = person("Ada Admin", "admin")
    recruiter = person("Rui Recruiter", "coordinator")
    interviewer = person("Ines Interviewer", "interviewer")
    manager = person("Maria Manager", "hiring_manager")
    outsider = person("Otto Outsider", "interviewer")
    opening = people.create_opening(db, title="ML EM", jd_ids=["ml-eng-manager-profile"], hiring_manager_id=manager,
                                    by=LOCAL_ADMIN).id
    candidate = people.create_candidate(db, name="Priya Natarajan", opening_id=opening, email="priya@example.org",
                                        by=LOCAL_ADMIN).id
    loop = loops.create_loop(db, candidate, template_id="mini-loop", interviewers=[recruiter, interviewer],
                             by=LOCAL_ADMIN).id
    screen, interview = (st.id for st in loops.loop_detail(db, loop, by=LOCAL_ADMIN).stages)
    return World(db, admin, recruiter, interviewer, manager, outsider, candidate, loop, screen, interview)
