"""A small panel to print: names in four scripts, three submitted scorecards, a disagreement and a split.

Also helpers to read a PDF back with pypdf: its text (with Arabic put back in logical order), its fonts.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import pytest
from pypdf import PdfReader

from interviewkit.bank.loader import load_settings
from interviewkit.bank.model import BankSettings
from interviewkit.paths import shipped_bank_dir
from interviewkit.services import debrief, loops, people, scorecards
from interviewkit.services.access import LOCAL_ADMIN
from interviewkit.services.scorecards import DraftChanges, RatingState
from interviewkit.storage.db import Database

CANDIDATE = "ليلى حداد"  # Layla Haddad
INTERVIEWERS = ("José Ñúñez", "Zoë Ørsted", "王芳")
HIRING_MANAGER = "Ana Ortiz"
SETTINGS = load_settings(shipped_bank_dir())

# (stage name, focus, questions, ratings: competency -> score or reason when not assessed, recommendation)
STAGES = (
    (
        "Production ML",
        ["monitoring-drift", "mlops-cicd"],
        ["drift-incident-retraining", "ml-cicd-pipeline-you-built", "model-rollback-decision"],
        {"monitoring-drift": 2, "mlops-cicd": 3},
        "No",
    ),
    (
        "ML system design",
        ["ml-system-design", "model-serving", "monitoring-drift"],
        ["realtime-batch-fraud-scoring-gcp", "model-api-latency-slo-miss"],
        {"ml-system-design": 3, "model-serving": "Ran out of time before the serving question", "monitoring-drift": 4},
        "Yes",
    ),
    (
        "People leadership",
        ["people-leadership"],
        ["hard-feedback-to-strong-engineer", "underperformer-turnaround-ml-engineer"],
        {"people-leadership": 3},
        "Strong yes",
    ),
)


def long_notes(tag: str, words: int) -> str:
    """Markdown notes of about ``words`` words, every sentence numbered (``<tag>w0001``) so none can hide."""
    sentences = []
    for i in range(1, words // 12 + 1):
        sentences.append(f"{tag}w{i:04d} the candidate walked through the incident timeline and the alert thresholds.")
    paragraphs = [" ".join(sentences[i : i + 6]) for i in range(0, len(sentences), 6)]
    return "\n\n".join(paragraphs)


@dataclass
class Panel:
    db: Database
    settings: BankSettings
    candidate_id: int
    opening_id: int
    hiring_manager_id: int
    interviewer_ids: tuple[int, ...]
    loop_id: int
    stage_ids: tuple[int, ...]
    scorecard_ids: tuple[int, ...]


def build_panel(db: Database, *, notes_words: int = 0, submit: int = 3, with_decision: bool = False) -> Panel:
    """Plan three stages for the candidate, interview them and submit the first ``submit`` scorecards."""
    hm = people.create_person(
        db, name=HIRING_MANAGER, email="ana@example.com", access_role="hiring_manager", by=LOCAL_ADMIN
    )
    ids = tuple(
        people.create_person(db, name=name, email=f"p{i}@example.com", title="Interviewer", by=LOCAL_ADMIN).id
        for i, name in enumerate(INTERVIEWERS)
    )
    opening = people.create_opening(
        db,
        title="ML Engineering Manager",
        jd_ids=["ml-eng-manager-profile", "ml-lead-lisbon-ad"],
        hiring_manager_id=hm.id,
        by=LOCAL_ADMIN,
    )
    cand = people.create_candidate(db, name=CANDIDATE, opening_id=opening.id, by=LOCAL_ADMIN)
    loop_id = loops.create_loop(db, cand.id, name="Onsite", by=LOCAL_ADMIN).id
    stage_ids, card_ids = [], []
    for n, ((name, focus, questions, ratings, rec), person) in enumerate(zip(STAGES, ids)):
        stage = loops.add_stage(
            db, loop_id, name=name, minutes=60, focus=focus, interviewer_id=person, by=LOCAL_ADMIN
        ).id
        loops.set_stage_plan(db, stage, questions, by=LOCAL_ADMIN)
        stage_ids.append(stage)
        state = scorecards.open_scorecard(db, stage, person, f"test:{n}")
        notes = {}
        for k, q in enumerate(state.questions):
            text = f"- Marker **S{n}Q{k}** noted in detail\n- Said *exactly* what the rubric wants"
            if n == 0 and k == 0:
                text += f"\n- Agreed with {INTERVIEWERS[1]} after the session; Zoë asked the follow-up"
            if notes_words:
                text += "\n\n" + long_notes(f"s{n}q{k}", notes_words)
            notes[q.asked_id] = text
        changes = DraftChanges(
            notes=notes,
            seconds={q.asked_id: 420.0 for q in state.questions},
            ratings={
                c: (
                    RatingState(score=v, evidence=f"Evidence for {c} in stage {n}")
                    if isinstance(v, int)
                    else RatingState(not_assessed=True, reason=v)
                )
                for c, v in ratings.items()
            },
            recommendation=rec,
            summary=f"Summary of stage {n}: a clear account, checked against the rubric.",
        )
        scorecards.save_draft(db, state.id, f"test:{n}", changes, by=person)
        if n < submit:
            scorecards.submit(db, state.id, person, SETTINGS)
        card_ids.append(state.id)
    if with_decision:
        debrief.record_decision(
            db, cand.id, hm.id, outcome="hold", rationale="Wait for the reference check.", participants=[hm.id, ids[0]]
        )
        debrief.record_decision(
            db,
            cand.id,
            hm.id,
            outcome="hire",
            rationale="References were strong.",
            participants=[hm.id, ids[0], ids[2]],
            reopen_reason="The references came back.",
        )
    return Panel(db, SETTINGS, cand.id, opening.id, hm.id, ids, loop_id, tuple(stage_ids), tuple(card_ids))


@pytest.fixture
def panel(shipped_db: Database) -> Panel:
    return build_panel(shipped_db, with_decision=True)


# --- reading PDFs back -------------------------------------------------------------------------------

_ARABIC = re.compile(r"[\u0600-\u06ff\ufb50-\ufdff\ufe70-\ufeff]")


def pdf_text(path: Path) -> str:
    """All the text of a PDF, whitespace collapsed; Arabic words (extracted in visual order, as
    presentation forms) reversed and normalised back to their logical letters."""
    reader = PdfReader(str(path))
    words = []
    for page in reader.pages:
        for extracted in page.extract_text().split():
            word = extracted[::-1] if _ARABIC.search(extracted) else extracted
            words.append(unicodedata.normalize("NFKC", word))
    return " ".join(words)


def page_texts(path: Path) -> list[str]:
    return [" ".join(p.extract_text().split()) for p in PdfReader(str(path)).pages]


def pdf_fonts(path: Path) -> set[str]:
    """The base names of the fonts the pages use."""
    names = set()
    for page in PdfReader(str(path)).pages:
        fonts = page.get("/Resources", {}).get("/Font", {})
        for ref in fonts.values():
            names.add(str(ref.get_object().get("/BaseFont", "")))
    return names
