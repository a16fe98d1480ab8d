"""Personal data: erasure leaves no trace in the database file, retention erases exactly what is due."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import text

from interviewkit.bank.loader import load_settings
from interviewkit.paths import shipped_bank_dir
from interviewkit.services import calibration, people, privacy, scorecards
from interviewkit.services.access import LOCAL_ADMIN
from interviewkit.services.audit import audit_trail
from interviewkit.services.debrief import decisions, record_decision
from interviewkit.services.demo import create_demo
from interviewkit.services.errors import PermissionDenied, ValidationFailed
from interviewkit.storage.db import Database
from interviewkit.storage.models import utcnow

SETTINGS = load_settings(shipped_bank_dir())


@pytest.fixture
def demo(shipped_db: Database) -> Database:
    create_demo(shipped_db, shipped_bank_dir(), by=LOCAL_ADMIN)
    return shipped_db


def _ids(db: Database) -> tuple[dict[str, int], dict[str, int]]:
    return {p.name: p.id for p in people.people(db)}, {c.name: c.id for c in people.candidates(db, by=LOCAL_ADMIN)}


def _admin(db: Database) -> int:
    return people.create_person(
        db, name="Lee Admin", email="lee.admin@example.com", access_role="admin", by=LOCAL_ADMIN
    ).id


def _lead(db: Database) -> int:
    return next(p.id for p in people.people(db) if p.access_role == "hiring_manager")


def _texts(db: Database, candidate_id: int) -> list[str]:
    """The free text written about a candidate: notes, summaries, rating evidence."""
    with db.engine.connect() as conn:
        rows = conn.execute(text(
            "SELECT aq.notes FROM asked_question aq JOIN scorecard sc ON sc.id = aq.scorecard_id "
            "JOIN stage st ON st.id = sc.stage_id JOIN interview_loop l ON l.id = st.loop_id "
            "WHERE l.candidate_id = :c UNION ALL "
            "SELECT sc.summary FROM scorecard sc JOIN stage st ON st.id = sc.stage_id "
            "JOIN interview_loop l ON l.id = st.loop_id WHERE l.candidate_id = :c UNION ALL "
            "SELECT r.evidence FROM rating r JOIN scorecard sc ON sc.id = r.scorecard_id "
            "JOIN stage st ON st.id = sc.stage_id JOIN interview_loop l ON l.id = st.loop_id WHERE l.candidate_id = :c"
        ), {"c": candidate_id}).scalars().all()
    return [t for t in rows if t and t.strip()]


def _submitted_card(db: Database, candidate_id: int) -> int:
    with db.engine.connect() as conn:
        return int(conn.execute(text(
            "SELECT sc.id FROM scorecard sc JOIN stage st ON st.id = sc.stage_id JOIN interview_loop l "
            "ON l.id = st.loop_id WHERE l.candidate_id = :c AND sc.status = 'submitted' ORDER BY sc.id LIMIT 1"
        ), {"c": candidate_id}).scalar_one())


def _elsewhere(db: Database, snippet: str, candidate_id: int) -> bool:
    """Whether the demo wrote the same words about another candidate (its notes come from templates)."""
    with db.engine.connect() as conn:
        others = conn.execute(text("SELECT id FROM candidate WHERE id != :c"), {"c": candidate_id}).scalars().all()
    return any(snippet in t for o in others for t in _texts(db, o))


def _raw_bytes(db: Database) -> bytes:
    """The SQLite file and its logs, as bytes (b"" on a server database: its files are not ours to read)."""
    path = db.path
    if path is None:
        return b""
    data = path.read_bytes()
    for suffix in ("-wal", "-journal"):
        extra = path.with_name(path.name + suffix)
        if extra.exists():
            data += extra.read_bytes()
    return data


_REDECIDED = "Decided again for the test"  # the demo decided on Helena, Marcus and Aisha already


def _current(db: Database, candidate_id: int):  # type: ignore[no-untyped-def]
    """The decision in force (the demo's own, reopened by a test, is kept as superseded)."""
    (current,) = [d for d in decisions(db, candidate_id, by=LOCAL_ADMIN) if not d.superseded]
    return current


def _decided_longer_ago(db: Database, days: int, skip: set[int]) -> dict[int, str]:
    """The demo's earlier candidates whose decision is older than ``days``: {id: name}."""
    limit = utcnow() - timedelta(days=days)
    out = {}
    for c in people.candidates(db, by=LOCAL_ADMIN):
        if c.id in skip or not decisions(db, c.id, by=LOCAL_ADMIN):
            continue
        when = _current(db, c.id).decided_at
        if when.replace(tzinfo=None) < limit.replace(tzinfo=None):
            out[c.id] = c.name
    return out


def _decide(db: Database, candidate_id: int, name: str, *, days_ago: int = 0) -> None:
    lead = _lead(db)
    record_decision(
        db,
        candidate_id,
        lead,
        outcome="hire",
        rationale=f"{name} was strongest on system design; {name.split()[0]} also led the hiring loop well.",
        participants=[lead],
        reopen_reason=_REDECIDED if decisions(db, candidate_id, by=LOCAL_ADMIN) else "",
    )
    if days_ago:
        with db.engine.begin() as conn:
            conn.execute(text("UPDATE decision SET decided_at = :t WHERE candidate_id = :c"),
                         {"t": utcnow() - timedelta(days=days_ago), "c": candidate_id})


def test_erasure_leaves_no_trace_in_the_file(demo: Database) -> None:
    _, cands = _ids(demo)
    name = "Helena Vasconcelos"
    cid = cands[name]
    cand = people.candidate(demo, cid, by=LOCAL_ADMIN)
    other = cands["Marcus Lindqvist"]
    people.update_candidate(
        demo, cid, name=name, opening_id=cand.opening_id, email=cand.email, phone="+351 912 345 678", by=LOCAL_ADMIN
    )
    _decide(demo, cid, name)
    assert len(_texts(demo, cid)) > 10
    # what an interviewer might write about her, in a note (amended: the audit trail holds it too)
    admin = _admin(demo)
    card = _submitted_card(demo, cid)
    state = scorecards.scorecard_state(demo, card, by=LOCAL_ADMIN)
    private = "Helena mentioned her move to Porto-4711 for her partner's job"
    scorecards.amend(demo, card, admin, reason="Add a remark on Porto-4711 plans", settings=SETTINGS,
                     notes={state.questions[0].asked_id: private}, summary="Summary: relocating, Porto-4711 office")
    notes = [t for t in _texts(demo, cid) if not _elsewhere(demo, t[:40], cid)]
    assert private in notes
    # another candidate's notes that mention her: the mention goes, the rest stays
    with demo.engine.begin() as conn:
        if not demo.is_sqlite:  # a submitted scorecard changes only with a reason (revision 0008)
            conn.execute(text("SELECT set_config('interviewkit.change_reason', 'test: plant a mention', true)"))
        conn.execute(text(
            "UPDATE scorecard SET summary = summary || ' Compared with Helena Vasconcelos: calmer.' WHERE id = ("
            "SELECT sc.id FROM scorecard sc JOIN stage st ON st.id = sc.stage_id JOIN interview_loop l "
            "ON l.id = st.loop_id WHERE l.candidate_id = :o AND sc.status = 'submitted' LIMIT 1)"
        ), {"o": other})
    ratings_before = calibration.ratings_from_db(demo, by=LOCAL_ADMIN)

    preview = privacy.erasure_preview(demo, cid, by=LOCAL_ADMIN)
    assert preview[:3] == ("name", "email", "phone") and any("notes on" in f for f in preview)
    report = privacy.erase_candidate(demo, cid, by=admin, reason=f"Request from {name} by email, 30 Nov")
    assert report.compacted and report.fields == preview
    assert not demo.is_sqlite or not demo.path.with_name(demo.path.name + "-wal").stat().st_size  # type: ignore[union-attr]

    raw = _raw_bytes(demo)
    secrets = [name, cand.email, "+351 912 345 678", "Porto-4711", *(t[:40] for t in notes)]
    for secret in secrets:
        assert secret.encode("utf-8") not in raw, secret
        assert secret.encode("unicode_escape") not in raw, secret  # as JSON would escape it
    # the audit trail records the erasure, without the data
    (entry,) = [e for e in audit_trail(demo, "candidate", cid, by=LOCAL_ADMIN) if e.action == "erased"]
    assert entry.actor == "Lee Admin" and "Vasconcelos" not in entry.reason and "[erased]" in entry.reason
    assert entry.detail["kind"] == "request" and "name" in entry.detail["removed"]
    # what calibration needs stays: the same ratings, the outcome
    assert calibration.ratings_from_db(demo, by=LOCAL_ADMIN) == ratings_before
    d = _current(demo, cid)
    assert d.outcome == "hire" and "[erased]" in d.rationale and "system design" in d.rationale
    erased = people.candidate(demo, cid, by=LOCAL_ADMIN)
    assert erased.erased and erased.name == f"Candidate #{cid} (erased)" and (erased.email, erased.phone) == ("", "")
    # the other candidate keeps their notes, minus the mention
    assert "calmer." in " ".join(_texts(demo, other))
    with pytest.raises(ValidationFailed, match="already erased"):
        privacy.erase_candidate(demo, cid, by=admin, reason="again")


def test_only_an_admin_erases_and_a_reason_is_needed(demo: Database) -> None:
    persons, cands = _ids(demo)
    cid = cands["Aisha Rahman"]
    for pid in (_lead(demo), persons["Amara Okafor"]):
        with pytest.raises(PermissionDenied, match="erase_data"):
            privacy.erase_candidate(demo, cid, by=pid, reason="asked")
    with pytest.raises(ValidationFailed, match="Reason"):
        privacy.erase_candidate(demo, cid, by=_admin(demo), reason=" ")
    assert people.candidate(demo, cid, by=LOCAL_ADMIN).name == "Aisha Rahman"


def test_draft_notes_go_too(demo: Database) -> None:
    _, cands = _ids(demo)
    cid = cands["Tomasz Nowak"]  # mid-loop: a draft scorecard with autosaved notes
    notes = [t for t in _texts(demo, cid) if not _elsewhere(demo, t[:40], cid)]
    assert notes
    with demo.engine.connect() as conn:
        drafts = conn.execute(text(
            "SELECT COUNT(*) FROM scorecard sc JOIN stage st ON st.id = sc.stage_id JOIN interview_loop l "
            "ON l.id = st.loop_id WHERE l.candidate_id = :c AND sc.status = 'draft'"), {"c": cid}).scalar()
    assert drafts
    report = privacy.erase_candidate(demo, cid, reason="request", by=LOCAL_ADMIN)
    assert any("draft" in f for f in report.fields)
    assert _texts(demo, cid) == []
    raw = _raw_bytes(demo)
    for t in notes:
        assert t[:40].encode() not in raw


def test_retention_dry_run_lists_exactly_the_due_and_changes_nothing(demo: Database) -> None:
    _, cands = _ids(demo)
    assert privacy.retention_days(demo) == privacy.DEFAULT_RETENTION_DAYS == 365
    _decide(demo, cands["Helena Vasconcelos"], "Helena Vasconcelos", days_ago=400)
    _decide(demo, cands["Marcus Lindqvist"], "Marcus Lindqvist", days_ago=100)
    with demo.engine.connect() as conn:
        before = conn.execute(text("SELECT id, name, email FROM candidate ORDER BY id")).all()
        audit_before = conn.execute(text("SELECT COUNT(*) FROM audit_event")).scalar()

    due = privacy.due_for_retention(demo, by=LOCAL_ADMIN)
    assert [d.name for d in due] == ["Helena Vasconcelos"]
    assert due[0].outcome == "hire" and "email" in due[0].fields
    assert "the candidate's name in 1 decision rationale" in due[0].fields
    ours = {cands["Helena Vasconcelos"], cands["Marcus Lindqvist"]}
    earlier = _decided_longer_ago(demo, 90, skip=ours)  # the demo's second opening: decided 7-27 weeks ago
    assert earlier
    assert {d.name for d in privacy.due_for_retention(demo, days=90, by=LOCAL_ADMIN)} == {
        "Helena Vasconcelos", "Marcus Lindqvist", *earlier.values()}
    with demo.engine.connect() as conn:
        assert conn.execute(text("SELECT id, name, email FROM candidate ORDER BY id")).all() == before
        assert conn.execute(text("SELECT COUNT(*) FROM audit_event")).scalar() == audit_before

    privacy.set_retention_days(demo, 90, by=LOCAL_ADMIN)
    assert privacy.retention_days(demo) == 90
    with pytest.raises(PermissionDenied, match="run_retention"):
        privacy.apply_retention(demo, by=_lead(demo))
    retention = privacy.apply_retention(demo, by=_admin(demo))
    due = sorted([*ours, *earlier])
    assert sorted(r.candidate_id for r in retention.reports) == due
    assert sorted(retention.changes.erased) == due  # every screen showing them is told
    again = {d.candidate_id for d in privacy.due_for_retention(demo, days=1, by=LOCAL_ADMIN)}
    assert not again & set(due)  # the erased are never due again (the demo's more recent decisions are, at 1 day)
    names = {c.name for c in people.candidates(demo, by=LOCAL_ADMIN)}
    assert "Aisha Rahman" in names and "Helena Vasconcelos" not in names
    (entry,) = [
        e for e in audit_trail(demo, "candidate", cands["Helena Vasconcelos"], by=LOCAL_ADMIN) if e.action == "erased"
    ]
    assert entry.detail["kind"] == "retention" and entry.reason.startswith("Retention: 90 days")


def test_retention_days_are_validated_and_admin_only(db: Database) -> None:
    with pytest.raises(ValidationFailed):
        privacy.set_retention_days(db, 0, by=LOCAL_ADMIN)
    coordinator = people.create_person(
        db, name="Cy", email="cy@example.com", access_role="coordinator", by=LOCAL_ADMIN
    ).id
    with pytest.raises(PermissionDenied):
        privacy.set_retention_days(db, 30, by=coordinator)


def test_erasure_works_without_compaction_on_a_busy_file(demo: Database) -> None:
    _, cands = _ids(demo)
    report = privacy.erase_candidate(
        demo, cands["Kenji Watanabe"], reason="request", compact_after=False, by=LOCAL_ADMIN
    )
    assert not report.compacted
    assert privacy.compact(demo).done


QUOTE = "her move to Porto-4711 for her partner's job"


def _plant_in_card(db: Database, card_id: int, column: str, suffix: str) -> None:
    """Add text to another candidate's submitted scorecard, as an interviewer might have typed it."""
    with db.engine.begin() as conn:
        if not db.is_sqlite:  # a submitted scorecard changes only with a reason (revision 0008)
            conn.execute(text("SELECT set_config('interviewkit.change_reason', 'test: plant text', true)"))
        conn.execute(text(f"UPDATE scorecard SET {column} = {column} || :t WHERE id = :i"), {"t": suffix, "i": card_id})


def test_free_text_about_them_loses_every_identifying_piece(demo: Database) -> None:
    """Issue 12: a rationale kept copied note text, a phone number and '[erased].r@gmail.com'."""
    _, cands = _ids(demo)
    name, cid, other = "Helena Vasconcelos", cands["Helena Vasconcelos"], cands["Marcus Lindqvist"]
    cand = people.candidate(demo, cid, by=LOCAL_ADMIN)
    people.update_candidate(demo, cid, name=name, opening_id=cand.opening_id, email="helena.r@gmail.com",
                            phone="+351 912 345 678", by=LOCAL_ADMIN)
    admin = _admin(demo)
    card = _submitted_card(demo, cid)
    state = scorecards.scorecard_state(demo, card, by=LOCAL_ADMIN)
    scorecards.amend(demo, card, admin, reason="remark", settings=SETTINGS,
                     notes={state.questions[0].asked_id: f"Helena mentioned {QUOTE} at the university hospital."})
    lead = _lead(demo)
    record_decision(demo, cid, lead, outcome="hire", participants=[lead], reopen_reason=_REDECIDED, rationale=(
        f"Helena Vasconcelos (helena.r@gmail.com, tel. 912-345-678 or 00351 912345678; backup ingrid.k@example.org) "
        f"was strongest on system design. From the notes: \"{QUOTE.upper()}\". Vasconcelos also led the loop well."))
    # another candidate's decision quotes her without naming her; another's notes quote her, once naming her
    record_decision(demo, other, lead, outcome="no_hire", participants=[lead], reopen_reason=_REDECIDED,
                    rationale=f"Unlike the other finalist ({QUOTE}), Marcus stayed vague on delivery.")
    other_card = _submitted_card(demo, other)
    _plant_in_card(demo, other_card, "summary", f" Helena, the other finalist, spoke of {QUOTE}.")
    ratings_before = calibration.ratings_from_db(demo, by=LOCAL_ADMIN)

    preview = privacy.erasure_preview(demo, cid, by=LOCAL_ADMIN)
    assert ("the candidate's name, an email address, a phone number and text copied from their notes "
            "in 1 decision rationale") in preview
    assert any(f.startswith("the candidate's name and text copied from their notes in 2 records about other")
               for f in preview), " | ".join(preview)
    report = privacy.erase_candidate(demo, cid, by=admin, reason="Request from helena.r@gmail.com, 30 Nov")
    assert report.fields == preview and report.scrubbed == ("name", "email", "phone", "notes")

    mine = _current(demo, cid)
    rationale = mine.rationale
    for gone in ("Helena", "Vasconcelos", "helena", "gmail", "@", "912", "345", "Porto", "PARTNER", "ingrid"):
        assert gone not in rationale, (gone, rationale)
    assert "was strongest on system design" in rationale and "also led the loop well" in rationale
    assert mine.outcome == "hire"
    theirs = _current(demo, other)
    assert "Porto" not in theirs.rationale and "Marcus stayed vague on delivery" in theirs.rationale
    summary = scorecards.scorecard_state(demo, other_card, by=LOCAL_ADMIN).summary
    assert "Helena" not in summary and "Porto" not in summary and "the other finalist" in summary
    (entry,) = [e for e in audit_trail(demo, "candidate", cid, by=LOCAL_ADMIN) if e.action == "erased"]
    assert "helena" not in entry.reason.lower() and "gmail" not in entry.reason
    assert calibration.ratings_from_db(demo, by=LOCAL_ADMIN) == ratings_before
    raw = _raw_bytes(demo)
    for secret in ("Porto-4711", "PORTO-4711", "helena.r@gmail.com", "912-345-678", "912345678", "Vasconcelos"):
        assert secret.encode() not in raw, secret


def test_shared_phrasing_and_unrelated_text_stay(demo: Database) -> None:
    """A run the bank's rubric holds, or one another candidate's note shares without naming her, is not hers."""
    _, cands = _ids(demo)
    cid, other = cands["Helena Vasconcelos"], cands["Marcus Lindqvist"]
    shared = "Walked through the incident timeline and the rollback plan in detail"
    card, other_card = _submitted_card(demo, cid), _submitted_card(demo, other)
    state = scorecards.scorecard_state(demo, card, by=LOCAL_ADMIN)
    anchor = state.questions[0].rubric[-1][1]  # a rubric anchor copied into a note
    scorecards.amend(demo, card, _admin(demo), reason="remark", settings=SETTINGS,
                     notes={state.questions[0].asked_id: f"{shared}. {anchor}"})
    _plant_in_card(demo, other_card, "summary", f" {shared}. {anchor}")
    lead = _lead(demo)
    record_decision(demo, other, lead, outcome="hire", participants=[lead], reopen_reason=_REDECIDED,
                    rationale=f"Good: {anchor} Call him on 0044 20 7946 0958 (his own number).")
    privacy.erase_candidate(demo, cid, by=LOCAL_ADMIN, reason="request")
    summary = scorecards.scorecard_state(demo, other_card, by=LOCAL_ADMIN).summary
    assert summary.endswith(f" {shared}. {anchor}")
    theirs = _current(demo, other)
    assert theirs.rationale == f"Good: {anchor} Call him on 0044 20 7946 0958 (his own number)."


@pytest.mark.sqlite_only
def test_a_reader_that_lets_go_while_the_erasure_waits(demo: Database) -> None:
    """Issue 13: another copy reading kept compact() from emptying the log; now it waits, with progress."""
    import sqlite3
    import threading

    _, cands = _ids(demo)
    cid = cands["Aisha Rahman"]
    notes = [t for t in _texts(demo, cid) if not _elsewhere(demo, t[:40], cid)]
    path = demo.path
    assert path is not None
    reader = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
    reader.execute("BEGIN")
    assert reader.execute("SELECT COUNT(*) FROM asked_question").fetchone()[0] > 0
    ticks: list[float] = []
    waited = threading.Event()

    def progress(seconds: float) -> None:
        ticks.append(seconds)
        if len(ticks) == 3:
            waited.set()

    def let_go() -> None:
        waited.wait(30)
        reader.execute("COMMIT")

    thread = threading.Thread(target=let_go)
    thread.start()
    try:
        report = privacy.erase_candidate(demo, cid, by=LOCAL_ADMIN, reason="request", wait=30, progress=progress)
    finally:
        thread.join()
        reader.close()
    assert report.compacted and report.cleanup.pending == "" and len(ticks) >= 3
    assert ticks == sorted(ticks) and report.cleanup.waited >= ticks[2]
    assert privacy.pending_compaction(demo) is None
    raw = _raw_bytes(demo)
    for t in notes:
        assert t[:40].encode() not in raw


@pytest.mark.sqlite_only
def test_a_pdf_follows_the_umask(demo: Database, tmp_path) -> None:  # type: ignore[no-untyped-def]
    import os
    import stat

    from interviewkit.pdf.exports import export_kit_pdf

    with demo.engine.connect() as conn:
        stage = int(conn.execute(text("SELECT id FROM stage ORDER BY id LIMIT 1")).scalar_one())
    for umask, mode in ((0o077, 0o600), (0o022, 0o644)):
        old = os.umask(umask)
        try:
            out = tmp_path / f"kit-{umask:o}.pdf"
            export_kit_pdf(demo, stage, out, settings=SETTINGS, by=LOCAL_ADMIN)
        finally:
            os.umask(old)
        assert stat.S_IMODE(out.stat().st_mode) == mode, (oct(umask), oct(out.stat().st_mode))
        assert not list(tmp_path.glob(".*.part"))
