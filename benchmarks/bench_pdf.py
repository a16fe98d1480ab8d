"""PDF export: a candidate's debrief packet with 6 submitted scorecards full of long notes.

A fresh database with the shipped bank; a candidate interviewed through the shipped 'ml-em-standard' loop
(6 stages) by 6 interviewers whose names are in four scripts; every question carries about 450 words of
Markdown notes (paragraphs, lists, emphasis). Timed: ``export_debrief_pdf`` as the hiring manager sees it,
from the database query to the file on disk (grid, disagreements, coverage of every requirement, the 6
scorecards). The first export of the run is untimed: it loads fonts, which a running app has done already.
"""

from __future__ import annotations

import os
import random
import time

from harness import (
    Context,
    Report,
    benchmark,
    format_seconds,
    timing_row,
    within_budget,
)

from interviewkit.services.access import LOCAL_ADMIN

TARGET = 1.0  # seconds
WORDS_PER_QUESTION = 450
BUDGET, MINIMUM, MAXIMUM = 20.0, 5, 15

_NAMES = ("José Ñúñez", "Zoë Ørsted", "王芳", "Priya Raghunathan", "Kwame Asante", "Mateus Carvalho")
_WORDS = (
    "the candidate described how the team detected drift on the fraud model using population stability "
    "alerts on the top features then traced the cause to an upstream schema change and added a contract test "
    "latency budget p99 rollback canary registry lineage retraining gate stakeholder roadmap estimate "
    "feasibility spike ownership on-call postmortem feature store point-in-time join backfill budget"
).split()


def _notes(rng: random.Random, words: int) -> str:
    """Markdown notes: a few paragraphs and a list, with emphasis, about ``words`` words long."""
    out, count = [], 0
    while count < words:
        n = rng.randint(25, 60)
        sentence = " ".join(rng.choice(_WORDS) for _ in range(n)).capitalize() + "."
        if rng.random() < 0.3:
            out.append("\n".join(f"- **{rng.choice(_WORDS)}**: " + " ".join(rng.choice(_WORDS) for _ in range(12))
                                 for _ in range(3)))
        else:
            out.append(sentence.replace(" p99 ", " *p99* "))
        count += n
    return "\n\n".join(out)


def _setup(ctx: Context):  # type: ignore[no-untyped-def]
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from interviewkit.bank.loader import load_settings
    from interviewkit.paths import shipped_bank_dir
    from interviewkit.services import loops, people
    from interviewkit.services import scorecards as svc
    from interviewkit.services.bank_sync import sync_bank
    from interviewkit.storage.db import open_database

    settings = load_settings(shipped_bank_dir())
    db = open_database(ctx.fresh_path("pdf", ".sqlite"))
    sync_bank(db, shipped_bank_dir(), by=LOCAL_ADMIN)
    hm = people.create_person(
        db, name="Rita Figueiredo", email="rita@example.com", access_role="hiring_manager", by=LOCAL_ADMIN
    )
    panel = [
        people.create_person(db, name=n, email=f"i{i}@example.com", by=LOCAL_ADMIN).id for i, n in enumerate(_NAMES)
    ]
    opening = people.create_opening(
        db,
        title="ML Engineering Manager",
        jd_ids=["ml-eng-manager-profile", "ml-lead-lisbon-ad"],
        hiring_manager_id=hm.id,
        by=LOCAL_ADMIN,
    )
    cand = people.create_candidate(db, name="ليلى حداد", opening_id=opening.id, by=LOCAL_ADMIN)
    loop_id = loops.create_loop(db, cand.id, template_id="ml-em-standard", interviewers=list(panel), by=LOCAL_ADMIN).id
    stages = loops.loop_detail(db, loop_id, by=LOCAL_ADMIN).stages
    rng = random.Random(20240611)
    for n, stage in enumerate(stages):
        person = stage.interviewer_id or panel[n % len(panel)]
        state = svc.open_scorecard(db, stage.id, person, f"bench:{n}")
        changes = svc.DraftChanges(
            notes={q.asked_id: _notes(rng, WORDS_PER_QUESTION) for q in state.questions},
            seconds={q.asked_id: 600.0 for q in state.questions},
            ratings={c.id: svc.RatingState(score=rng.randint(1, 4), evidence=_notes(rng, 40)) for c in state.focus},
            recommendation=rng.choice(settings.recommendations),
            summary=_notes(rng, 120),
        )
        svc.save_draft(db, state.id, f"bench:{n}", changes, by=person)
        svc.submit(db, state.id, person, settings)
    return db, settings, cand.id, hm.id, len(stages)


@benchmark("pdf-debrief", "debrief packet PDF: 6 scorecards with long notes, grid, coverage")
def pdf_debrief(ctx: Context) -> Report:
    from interviewkit.pdf.exports import export_debrief_pdf
    from interviewkit.services.exports import debrief_document

    db, settings, candidate_id, viewer_id, stage_count = _setup(ctx)
    try:
        doc = debrief_document(db, candidate_id, settings=settings, viewer_id=viewer_id)
        words = sum(len(q.notes.split()) for card in doc.scorecards for q in card.questions)
        first = export_debrief_pdf(db, candidate_id, ctx.fresh_path("packet", ".pdf"), settings=settings,
                                   viewer_id=viewer_id)  # untimed: loads the fonts
        samples: list[float] = []
        started = time.perf_counter()
        while within_budget(len(samples), minimum=MINIMUM, maximum=MAXIMUM, started=started, budget=BUDGET):
            path = ctx.fresh_path("packet", ".pdf")
            t0 = time.perf_counter()
            result = export_debrief_pdf(db, candidate_id, path, settings=settings, viewer_id=viewer_id)
            samples.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        debrief_document(db, candidate_id, settings=settings, viewer_id=viewer_id)
        gather = time.perf_counter() - t0
    finally:
        db.dispose()
    size = result.path.stat().st_size
    details = [
        (f"pdf-debrief: {len(doc.scorecards)} of {stage_count} scorecards, {words:,} words of notes, "
         f"{len(doc.coverage)} requirements -> {result.pages} pages, {size / 1024:.0f} KiB "
         f"(first export {first.pages} pages); gathering the data from the services: {format_seconds(gather)}"),
    ]
    return Report([timing_row("pdf-debrief", samples, target=TARGET, spread="minmax")], details)
