"""Scorecard exchange: export on a laptop, signed by the interviewer; import on the lead's machine.

The probes of issues 12 and 13: every forged or malformed file is refused with one line and the lead's
database is left exactly as it was (SQLite: the same bytes; PostgreSQL: the same rows in every table).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import func, select
from sqlmodel import SQLModel

from interviewkit.services import people, signing
from interviewkit.services import scorecards as svc
from interviewkit.services.access import LOCAL_ADMIN
from interviewkit.services.audit import audit_trail
from interviewkit.services.errors import PermissionDenied, ValidationFailed
from interviewkit.services.exchange import (
    export_scorecard,
    import_files,
    import_scorecard,
    resign_file,
    sign_document,
    write_export,
)
from interviewkit.storage.db import Database, open_database
from interviewkit.storage.models import ImportReceipt
from tests.ui.cockpit.conftest import Planned, plan_stage

ANA = "ana@example.com"


def state(db: Database) -> tuple[str, dict[str, int]]:
    """What a refused import must leave as it was: the SQLite file's bytes (and its log), and the number of
    rows of every table (on PostgreSQL, the rows alone)."""
    digest = hashlib.sha256()
    if db.path is not None:
        for part in (db.path, Path(f"{db.path}-wal")):
            digest.update(part.read_bytes() if part.exists() else b"")
            digest.update(b"|")
    with db.engine.connect() as conn:
        counts = {t.name: int(conn.execute(select(func.count()).select_from(t)).scalar_one())
                  for t in SQLModel.metadata.sorted_tables}
    return digest.hexdigest(), counts


def submit(p: Planned) -> int:
    db, settings = p.ctx.db, p.ctx.settings
    card = svc.open_scorecard(db, p.stage_id, p.interviewer_id, p.ctx.instance_id)
    svc.save_draft(
        db,
        card.id,
        p.ctx.instance_id,
        svc.DraftChanges(
            notes={card.questions[0].asked_id: "Detected via PSI alerts; 王芳 reviewed the runbook."},
            ratings={
                "monitoring-drift": svc.RatingState(3, evidence="clear alerting"),
                "mlops-cicd": svc.RatingState(None, True, "no time"),
            },
            recommendation="Yes",
            summary="Solid on monitoring.",
        ),
        by=p.interviewer_id,
    )
    return svc.submit(db, card.id, p.interviewer_id, settings).id


def write(path: Path, doc: Any) -> Path:
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return path


def resign(doc: dict[str, Any], key: Ed25519PrivateKey, name: str = "Ana Ortiz", email: str = ANA) -> dict[str, Any]:
    """The document signed again, as a forger who holds ``key`` would."""
    return sign_document({k: v for k, v in doc.items() if k != "signature"}, key, name=name, email=email)


class Machines:
    def __init__(self, laptop: Planned, lead: Planned, key: Ed25519PrivateKey) -> None:
        self.laptop, self.lead, self.key = laptop, lead, key

    @property
    def lead_db(self) -> Database:
        return self.lead.ctx.db

    def register(self) -> None:
        """The lead's admin registers Ana's key (after checking its fingerprint with her)."""
        signing.set_person_key(self.lead_db, ANA, signing.public_key_of(self.key), reason="checked by phone",
                               by=LOCAL_ADMIN)


@pytest.fixture
def machines(shipped_db_template: Path, tmp_path: Path, make_db):  # type: ignore[no-untyped-def]
    """Two databases with the same bank, people, candidate and loop: a laptop (an SQLite file) and the
    lead's (on each backend: the team's database may be on PostgreSQL). Ana has a key on the laptop."""
    dbs = []
    planned = []
    laptop = tmp_path / "laptop.sqlite"
    shutil.copy(shipped_db_template, laptop)
    for where in (str(laptop), make_db("lead", "shipped")):
        db = open_database(where)
        dbs.append(db)
        planned.append(plan_stage(db))
    key, created = signing.create_key(ANA)
    assert created
    yield Machines(planned[0], planned[1], key)
    for db in dbs:
        db.dispose()


def test_export_then_import_then_import_again(machines: Machines, tmp_path: Path) -> None:
    laptop, lead = machines.laptop, machines.lead
    machines.register()
    card = submit(laptop)
    path = write_export(laptop.ctx.db, card, tmp_path / "card.json", by=LOCAL_ADMIN)
    doc = json.loads(path.read_text(encoding="utf-8"))
    assert doc["schema_version"] == 2 and "content_hash" not in doc
    assert doc["signature"]["signer"] == {"name": "Ana Ortiz", "email": ANA}
    assert doc["signature"]["public_key"] == signing.public_key_of(machines.key)
    assert doc["scorecard"]["submitted_at"].endswith("+00:00")
    importer = people.create_person(
        lead.ctx.db, name="Rita Lead", email="rita@example.com", access_role="hiring_manager", by=LOCAL_ADMIN
    ).id
    (result,) = import_files(lead.ctx.db, [path], by=importer)
    assert result.status == "imported", result.message
    imported = svc.scorecard_state(lead.ctx.db, result.scorecard_id or 0, by=LOCAL_ADMIN)
    assert imported.status == "submitted" and imported.recommendation == "Yes"
    assert imported.questions[0].notes == "Detected via PSI alerts; 王芳 reviewed the runbook."
    assert imported.ratings["monitoring-drift"].score == 3 and imported.ratings["mlops-cicd"].not_assessed
    (entry,) = [
        e
        for e in audit_trail(lead.ctx.db, "scorecard", result.scorecard_id or 0, by=LOCAL_ADMIN)
        if e.action == "imported"
    ]
    assert entry.actor == "Rita Lead" and entry.detail["signed_by"] == f"Ana Ortiz <{ANA}>"
    before = state(lead.ctx.db)
    again = import_scorecard(lead.ctx.db, path, by=importer)
    assert again.status == "unchanged" and again.message.startswith("already imported")
    assert state(lead.ctx.db) == before
    with lead.ctx.db.session() as s:
        (receipt,) = s.scalars(select(ImportReceipt)).all()
    assert receipt.kind == "scorecard_file" and receipt.scorecard_id == result.scorecard_id


# --- signatures ----------------------------------------------------------------------------------------


def test_an_edited_file_is_refused_however_its_checks_are_redone(machines: Machines, tmp_path: Path) -> None:
    """Issue 12: edit the file and recompute its hash, and it imported (4 of 4). Now: edited and left as it
    is, re-signed with someone else's key under Ana's name, signed openly by someone else, or turned into an
    old unsigned file with a fresh hash: refused, and nothing written."""
    machines.register()
    doc = export_scorecard(machines.laptop.ctx.db, submit(machines.laptop), by=LOCAL_ADMIN)
    edited = json.loads(json.dumps(doc))
    edited["scorecard"]["ratings"][1]["score"] = 4  # someone "improves" a rating
    edited["scorecard"]["ratings"][1]["not_assessed"] = False
    mallory = Ed25519PrivateKey.generate()
    from interviewkit.services.exchange import _hash

    old_style = {k: v for k, v in edited.items() if k != "signature"} | {"schema_version": 1,
                                                                          "content_hash": _hash(edited["scorecard"])}
    cases = {
        "edited": (edited, "refused as tampered: its signature does not match its content"),
        "resigned-as-ana": (resign(edited, mallory), "signed with a key that is not the one registered for Ana Ortiz"),
        "signed-by-mallory": (resign(edited, mallory, "Mallory", "mallory@example.com"),
                              "signed by mallory@example.com, not by its interviewer ana@example.com"),
        "version-1-with-new-hash": (old_style, "an unsigned version-1 file"),
    }
    before = state(machines.lead_db)
    for name, (forged, message) in cases.items():
        result = import_scorecard(machines.lead_db, write(tmp_path / f"{name}.json", forged), by=LOCAL_ADMIN)
        assert result.status == "refused" and message in result.message, (name, result.message)
        assert "\n" not in result.message
    assert state(machines.lead_db) == before


def test_a_file_whose_interviewer_has_no_key_here_says_how_to_register_it(machines: Machines, tmp_path: Path) -> None:
    doc = export_scorecard(machines.laptop.ctx.db, submit(machines.laptop), by=LOCAL_ADMIN)
    path = write(tmp_path / "card.json", doc)
    before = state(machines.lead_db)
    result = import_scorecard(machines.lead_db, path, by=LOCAL_ADMIN)
    fp = signing.fingerprint(signing.public_key_of(machines.key))
    assert result.status == "refused"
    assert result.message == (
        f"Ana Ortiz <{ANA}> has no signing key registered in this database: an admin checks the fingerprint {fp} "
        "with them (e.g. by phone: 'interviewkit keys show'), then runs: "
        f"interviewkit people set-key {ANA} FILE --reason '...'"
    )
    assert state(machines.lead_db) == before
    machines.register()
    assert import_scorecard(machines.lead_db, path, by=LOCAL_ADMIN).status == "imported"


# --- forged and malformed content ------------------------------------------------------------------------


def _probes(doc: dict[str, Any], key: Ed25519PrivateKey) -> dict[str, tuple[str, str]]:
    """name -> (the file's text, what the refusal says). Each file is signed with Ana's real, registered key
    wherever a signature can be made, so that only the checks of the content stop it."""

    def signed(change: Any) -> str:
        d = json.loads(json.dumps(doc))
        change(d["scorecard"])
        return json.dumps(resign(d, key))

    def rating(field: str, value: Any) -> Any:
        def change(c: dict[str, Any]) -> None:
            c["ratings"][1][field] = value  # monitoring-drift, rated 3 (ratings[0] is "not assessed")
        return change

    def raw(text: str, old: str, new: str) -> str:
        assert old in text
        return text.replace(old, new, 1)

    base = json.dumps(resign(doc, key))
    score = '"score": 3'
    return {
        "score 99": (signed(rating("score", 99)), "$.scorecard.ratings[1].score: 99 is not on the bank's scale (1-4"),
        "score -5": (signed(rating("score", -5)), "$.scorecard.ratings[1].score: -5 is not on the bank's scale (1-4"),
        "score 3.7": (
            signed(rating("score", 3.7)),
            "$.scorecard.ratings[1].score: must be a whole number or null, not a number (3.7)",
        ),
        "score 3.0": (
            signed(rating("score", 3.0)),
            "$.scorecard.ratings[1].score: 3.0 must be written as a whole number",
        ),
        "score NaN": (raw(base, score, '"score": NaN'), "NaN is not a number a scorecard file may hold"),
        "score Infinity": (
            raw(base, score, '"score": -Infinity'),
            "-Infinity is not a number a scorecard file may hold",
        ),
        'score "x"': (
            signed(rating("score", "x")),
            "$.scorecard.ratings[1].score: must be a whole number or null, not text (x)",
        ),
        "score true": (
            signed(rating("score", True)),
            "$.scorecard.ratings[1].score: must be a whole number or null, not true or false",
        ),
        "score 2^63": (signed(rating("score", 2**63)), "the integer 9223372036854775808 is too large"),
        "score 1e400": (raw(base, score, '"score": 1e400'), "the number 1e400 is too large"),
        "score null, assessed": (
            signed(rating("score", None)),
            "$.scorecard.ratings[1].score: missing (null) while not_assessed is false",
        ),
        "ratings []": (signed(lambda c: c.update(ratings=[])), "$.scorecard.ratings: must hold at least 1 item"),
        "rating null": (
            signed(lambda c: c["ratings"].__setitem__(0, None)),
            "$.scorecard.ratings[0]: must be an object, not null",
        ),
        "ratings a dict": (
            signed(lambda c: c.update(ratings={"a": 1})),
            "$.scorecard.ratings: must be a list, not an object",
        ),
        "scorecard null": (
            json.dumps(resign({**doc, "scorecard": None}, key)),
            "$.scorecard: must be an object, not null",
        ),
        "competency twice": (
            signed(lambda c: c["ratings"].__setitem__(1, dict(c["ratings"][0]))),
            "$.scorecard.ratings[1].competency: 'mlops-cicd' is rated twice",
        ),
        "unknown recommendation": (
            signed(lambda c: c.update(recommendation="Maybe")),
            "$.scorecard.recommendation: 'Maybe' is not one of the bank's recommendations",
        ),
        "stage position 2^63": (
            signed(lambda c: c["stage"].update(position=2**63)),
            "the integer 9223372036854775808 is too large",
        ),
        "stage position text": (
            signed(lambda c: c["stage"].update(position="1")),
            "$.scorecard.stage.position: must be a whole number, not text (1)",
        ),
        "interviewer a list": (
            signed(lambda c: c.update(interviewer=["ana"])),
            "$.scorecard.interviewer: must be an object, not a list",
        ),
        "candidate name null": (
            signed(lambda c: c["candidate"].update(name=None)),
            "$.scorecard.candidate.name: must be text, not null",
        ),
        "naive time": (
            signed(lambda c: c.update(submitted_at="2025-03-01T09:30:00")),
            "$.scorecard.submitted_at: '2025-03-01T09:30:00' is not an ISO 8601 time with a time zone",
        ),
        "impossible time": (
            signed(lambda c: c.update(started_at="2025-02-30T09:30:00+00:00")),
            "$.scorecard.started_at: '2025-02-30T09:30:00+00:00' is not a valid time",
        ),
        "unknown field": (signed(lambda c: c.update(bonus=1)), "$.scorecard: unexpected field 'bonus'"),
        "missing field": (signed(lambda c: c.pop("ratings")), "$.scorecard: the field 'ratings' is missing"),
        "NUL in notes": (signed(lambda c: c.update(summary="a\x00b")), "$.scorecard.summary: holds a NUL character"),
        "lone surrogate": (
            raw(base, '"summary": "', '"summary": "\\ud800'),
            "$.scorecard.summary: holds text that is not Unicode",
        ),
        "key twice": (raw(base, '"summary":', '"summary": "first", "summary":'), "the field 'summary' appears twice"),
        "nested 10,000 deep": (
            raw(base, '"summary": "', '"deep": ' + "[" * 10_000 + "]" * 10_000 + ', "summary": "'),
            "its JSON nests deeper than 16 levels",
        ),
        "not JSON": ('{"format": "interviewkit-scorecard", ', "not JSON: Expecting property name"),
        "a list": ("[1, 2, 3]", "not a JSON object"),
        "empty": ("", "not a JSON object"),
        "another format": (json.dumps({"format": "x"}), "not an InterviewKit scorecard file"),
        "schema 3": (
            raw(base, '"schema_version": 2', '"schema_version": 3'),
            "made by a newer InterviewKit (schema 3)",
        ),
    }


def test_forged_and_malformed_files_are_refused_in_one_line_and_write_nothing(
    machines: Machines, tmp_path: Path
) -> None:
    machines.register()
    doc = export_scorecard(machines.laptop.ctx.db, submit(machines.laptop), by=LOCAL_ADMIN)
    probes = _probes(doc, machines.key)
    before = state(machines.lead_db)
    files = []
    for i, (text, _) in enumerate(probes.values()):
        files.append(tmp_path / f"probe-{i}.json")
        files[-1].write_text(text, encoding="utf-8", errors="surrogatepass")
    results = import_files(machines.lead_db, files, by=LOCAL_ADMIN, settings=machines.lead.ctx.settings)
    for (name, (_, message)), result in zip(probes.items(), results):
        assert result.status == "refused", (name, result.message)
        assert message in result.message, (name, result.message)
        assert "\n" not in result.message and len(result.message) < 400, (name, result.message)
    assert state(machines.lead_db) == before
    # and the genuine file still imports: the probes did not fail for some other reason
    (ok,) = import_files(
        machines.lead_db, [write(tmp_path / "genuine.json", resign(doc, machines.key))], by=LOCAL_ADMIN
    )
    assert ok.status == "imported", ok.message


def test_files_that_are_no_regular_files_or_too_large_are_refused(machines: Machines, tmp_path: Path) -> None:
    big = tmp_path / "big.json"
    big.write_bytes(b"{" + b" " * (3 * 1024 * 1024) + b"}")
    fifo = tmp_path / "pipe.json"
    os.mkfifo(fifo)
    junk = tmp_path / "photo.jpg"
    junk.write_bytes(b"\xff\xd8\xff\xe0 not json")
    before = state(machines.lead_db)
    results = import_files(machines.lead_db, [big, fifo, tmp_path, junk, tmp_path / "missing.json"], by=LOCAL_ADMIN)
    assert [r.status for r in results] == ["refused"] * 5
    assert "a scorecard file may be at most 2 MB" in results[0].message
    assert "named pipe" in results[1].message
    assert "is a folder" in results[2].message
    assert "is not UTF-8 text" in results[3].message
    assert "no such file" in results[4].message
    assert state(machines.lead_db) == before


# --- matching the lead's database --------------------------------------------------------------------------


def test_unknown_candidate_stage_or_question_is_explained_and_nothing_written(
    machines: Machines, tmp_path: Path
) -> None:
    machines.register()
    doc = export_scorecard(machines.laptop.ctx.db, submit(machines.laptop), by=LOCAL_ADMIN)
    cases = {
        "candidate": (
            lambda c: c.update(candidate={"name": "Nobody Known", "email": "nobody@example.com"}),
            "unknown candidate Nobody Known <nobody@example.com>",
        ),
        "stage": (
            lambda c: c.update(stage={"name": "Origami", "position": 9, "minutes": 30}),
            "has no stage 9 'Origami'",
        ),
        "question": (lambda c: c["questions"][0].update(content_hash="0" * 64), "is not in this database's bank"),
        "competency": (lambda c: c["ratings"][0].update(competency="telepathy"), "unknown competencies telepathy"),
        "interviewer": (
            lambda c: c.update(interviewer={"name": "Zed", "email": "zed@example.com"}),
            "signed by ana@example.com, not by its interviewer zed@example.com",
        ),
    }
    before = state(machines.lead_db)
    for key, (change, message) in cases.items():
        changed = json.loads(json.dumps(doc))
        change(changed["scorecard"])
        result = import_scorecard(machines.lead_db, write(tmp_path / f"{key}.json", resign(changed, machines.key)),
                                  by=LOCAL_ADMIN)
        assert result.status == "refused" and message in result.message, result.message
    assert state(machines.lead_db) == before


# --- exporting ---------------------------------------------------------------------------------------------


def test_only_submitted_scorecards_export(machines: Machines) -> None:
    laptop = machines.laptop
    card = svc.open_scorecard(laptop.ctx.db, laptop.stage_id, laptop.interviewer_id, laptop.ctx.instance_id)
    with pytest.raises(ValidationFailed, match="submitted"):
        export_scorecard(laptop.ctx.db, card.id, by=LOCAL_ADMIN)


def test_export_needs_the_interviewers_key_on_this_machine_and_the_interviewer(machines: Machines, tmp_path: Path,
                                                                               _key_store: Path) -> None:
    laptop = machines.laptop
    card = submit(laptop)
    other = people.create_person(laptop.ctx.db, name="Bo Other", email="bo@example.com", by=LOCAL_ADMIN).id
    with pytest.raises(PermissionDenied):
        export_scorecard(laptop.ctx.db, card, by=other)
    for f in _key_store.iterdir():
        f.unlink()
    with pytest.raises(signing.NoSigningKey, match="run 'interviewkit keys init'"):
        write_export(laptop.ctx.db, card, tmp_path / "x.json", by=laptop.interviewer_id)
    assert not (tmp_path / "x.json").exists()
    # a key here that is not the one this database has for Ana: refused rather than signing a file that
    # would not import
    signing.set_person_key(laptop.ctx.db, ANA, signing.public_key_of(machines.key), reason="old key", by=LOCAL_ADMIN)
    signing.create_key(ANA)
    with pytest.raises(signing.NoSigningKey, match="is not the one registered in this database"):
        export_scorecard(laptop.ctx.db, card, by=laptop.interviewer_id)


# --- re-signing by an admin --------------------------------------------------------------------------------


def test_an_admin_resigns_an_old_file_on_purpose_and_its_import_is_audited(machines: Machines, tmp_path: Path) -> None:
    laptop, lead = machines.laptop, machines.lead
    doc = export_scorecard(laptop.ctx.db, submit(laptop), by=LOCAL_ADMIN)
    from interviewkit.services.exchange import _hash

    content = json.loads(json.dumps(doc["scorecard"]))
    for key in ("started_at", "submitted_at"):  # version 1 on SQLite wrote times without their zone
        content[key] = content[key].replace("+00:00", "")
    v1 = {"format": "interviewkit-scorecard", "schema_version": 1, "exported_by": "InterviewKit 0.0.9",
          "exported_at": "2025-03-01T10:00:00", "content_hash": _hash(content), "scorecard": content}
    old = write(tmp_path / "old.json", v1)
    assert import_scorecard(lead.ctx.db, old, by=LOCAL_ADMIN).status == "refused"

    admin = people.create_person(
        lead.ctx.db, name="Lee Admin", email="lee@example.com", access_role="admin", by=LOCAL_ADMIN
    ).id
    coordinator = people.create_person(lead.ctx.db, name="Cy Coord", email="cy@example.com", access_role="coordinator",
                                       by=LOCAL_ADMIN).id
    with pytest.raises(PermissionDenied, match="resign_files"):
        resign_file(lead.ctx.db, old, tmp_path / "x.json", reason="lost key", by=coordinator)
    with pytest.raises(PermissionDenied, match="--as"):
        resign_file(lead.ctx.db, old, tmp_path / "x.json", reason="lost key", by=LOCAL_ADMIN)
    lee_key, _ = signing.create_key("lee@example.com")
    signing.register_own_key(lead.ctx.db, signing.public_key_of(lee_key), by=admin)
    with pytest.raises(ValidationFailed, match="--reason"):
        resign_file(lead.ctx.db, old, tmp_path / "x.json", reason="  ", by=admin)
    out = resign_file(lead.ctx.db, old, tmp_path / "resigned.json", reason="exported before 0.2; checked with Ana",
                      by=admin)
    assert out.original_check == "content hash matched" and out.signer == "Lee Admin <lee@example.com>"
    resigned = json.loads(out.path.read_text(encoding="utf-8"))
    assert resigned["resigned"]["by"] == {"name": "Lee Admin", "email": "lee@example.com"}
    assert resigned["resigned"]["reason"] == "exported before 0.2; checked with Ana"
    # Ana's own key is not registered here: the admin's signature stands in for it.
    result = import_scorecard(lead.ctx.db, out.path, by=LOCAL_ADMIN)
    assert result.status == "imported", result.message
    assert "re-signed by Lee Admin: exported before 0.2; checked with Ana" in result.message
    (entry,) = [e for e in audit_trail(lead.ctx.db, "scorecard", result.scorecard_id or 0, by=LOCAL_ADMIN)
                if e.action == "imported"]
    assert entry.reason == "exported before 0.2; checked with Ana"
    assert entry.detail["resigned_by"] == "Lee Admin <lee@example.com>"
    assert entry.detail["original"]["schema_version"] == 1
    resign_entries = audit_trail(lead.ctx.db, "import", "old.json", by=LOCAL_ADMIN)
    assert [(e.action, e.actor, e.reason) for e in resign_entries] == [
        ("file re-signed", "Lee Admin", "exported before 0.2; checked with Ana")
    ]

    # A re-signed file whose signer is no longer an admin here is refused.
    people.create_person(lead.ctx.db, name="Max Admin", email="max@example.com", access_role="admin", by=LOCAL_ADMIN)
    people.update_person(lead.ctx.db, admin, name="Lee Admin", email="lee@example.com", access_role="coordinator",
                         by=LOCAL_ADMIN)
    again = resign(json.loads(json.dumps(resigned)) | {"scorecard": resigned["scorecard"] | {"summary": "other"}},
                   lee_key, "Lee Admin", "lee@example.com")
    lead2 = import_scorecard(lead.ctx.db, write(tmp_path / "again.json", again), by=LOCAL_ADMIN)
    assert lead2.status == "refused" and "who is not an active admin in this database" in lead2.message
