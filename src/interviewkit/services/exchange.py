"""Scorecard exchange between machines: one submitted scorecard as one JSON file.

Interviewers often work on their own laptops; the debrief lead imports their files. A file carries a
schema version and a SHA-256 hash of its content, so that:

* importing the same file twice changes nothing;
* a file edited after export is refused as tampered;
* a file for a candidate, stage, interviewer or question version this database does not know is
  explained and not half-imported (each file is one transaction).

Things are matched by what both machines share: the opening's title, the candidate's email (or name),
the stage's position and name, the interviewer's email, and each question's id and content hash.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlmodel import Session

from interviewkit import __version__
from interviewkit.services import audit, policy
from interviewkit.services.access import LOCAL_ADMIN, Actor, require
from interviewkit.services.errors import NotFound, ValidationFailed
from interviewkit.storage.db import Database
from interviewkit.storage.models import (
    AskedQuestion,
    Candidate,
    Competency,
    InterviewLoop,
    Opening,
    Person,
    QuestionVersion,
    Rating,
    Scorecard,
    Stage,
    utcnow,
)

__all__ = ["FORMAT", "SCHEMA_VERSION", "ImportResult", "export_scorecard", "import_files", "import_scorecard", "write_export"]

FORMAT = "interviewkit-scorecard"
SCHEMA_VERSION = 1


@dataclass(frozen=True)
class ImportResult:
    """What happened to one file."""

    path: str
    status: str  # "imported", "unchanged" or "refused"
    message: str
    scorecard_id: int | None = None


class _Refused(Exception):
    pass


def _canonical(data: Any) -> bytes:
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _hash(data: Any) -> str:
    return hashlib.sha256(_canonical(data)).hexdigest()


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def export_scorecard(db: Database, scorecard_id: int, *, by: Actor) -> dict[str, Any]:
    """The exchange document of a submitted scorecard: only its interviewer exports it (the local
    operator of the database may too)."""
    with db.session() as s:
        card = s.get(Scorecard, scorecard_id)
        if card is None:
            raise NotFound(f"No scorecard with id {scorecard_id}")
        policy.require_self(s, by, card.interviewer_id, f"export scorecard {scorecard_id} to a file")
        row = s.execute(
            select(Scorecard, Stage, InterviewLoop, Candidate, Opening, Person)
            .join(Stage, Stage.id == Scorecard.stage_id)
            .join(InterviewLoop, InterviewLoop.id == Stage.loop_id)
            .join(Candidate, Candidate.id == InterviewLoop.candidate_id)
            .join(Opening, Opening.id == Candidate.opening_id)
            .join(Person, Person.id == Scorecard.interviewer_id)
            .where(Scorecard.id == scorecard_id)
        ).first()
        if row is None:
            raise NotFound(f"No scorecard with id {scorecard_id}")
        card, stage, loop, cand, opening, person = row
        if card.status != "submitted":
            raise ValidationFailed(["Only a submitted scorecard can be exported; submit it first"])
        asked = s.execute(
            select(AskedQuestion, QuestionVersion)
            .join(QuestionVersion, QuestionVersion.id == AskedQuestion.question_version_id)
            .where(AskedQuestion.scorecard_id == scorecard_id)
            .order_by(AskedQuestion.position)
        ).all()
        ratings = list(s.scalars(select(Rating).where(Rating.scorecard_id == scorecard_id).order_by(Rating.competency_id)))
        content = {
            "candidate": {"name": cand.name, "email": cand.email},
            "opening": {"title": opening.title},
            "loop": {"name": loop.name},
            "stage": {"name": stage.name, "position": stage.position, "minutes": stage.minutes},
            "interviewer": {"name": person.name, "email": person.email},
            "started_at": _iso(card.started_at),
            "submitted_at": _iso(card.submitted_at),
            "elapsed_seconds": card.elapsed_seconds,
            "recommendation": card.recommendation,
            "summary": card.summary,
            "questions": [
                {
                    "question_id": v.question_id,
                    "version": v.version,
                    "content_hash": v.content_hash,
                    "title": v.title,
                    "position": a.position,
                    "planned": a.planned,
                    "notes": a.notes,
                    "seconds_spent": a.seconds_spent,
                }
                for a, v in asked
            ],
            "ratings": [
                {
                    "competency": r.competency_id,
                    "score": r.score,
                    "not_assessed": r.not_assessed,
                    "reason": r.reason,
                    "evidence": r.evidence,
                }
                for r in ratings
            ],
        }
    return {
        "format": FORMAT,
        "schema_version": SCHEMA_VERSION,
        "exported_by": f"InterviewKit {__version__}",
        "exported_at": utcnow().isoformat(),
        "content_hash": _hash(content),
        "scorecard": content,
    }


def write_export(db: Database, scorecard_id: int, path: Path, *, by: Actor) -> Path:
    """Write a scorecard's exchange file; returns the path."""
    doc = export_scorecard(db, scorecard_id, by=by)
    path = Path(path)
    try:
        path.write_text(json.dumps(doc, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    except OSError as exc:
        raise ValidationFailed([f"{path}: cannot be written ({exc.strerror or exc})"]) from None
    return path


def _read(path: Path) -> dict[str, Any]:
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise _Refused("no such file") from None
    except OSError as exc:
        raise _Refused(f"cannot be read ({exc.strerror or exc})") from None
    try:
        doc = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise _Refused("not an InterviewKit scorecard file (it is not JSON)") from None
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise _Refused("not an InterviewKit scorecard file")
    version = doc.get("schema_version")
    if not isinstance(version, int) or version > SCHEMA_VERSION:
        raise _Refused(f"made by a newer InterviewKit (schema {version}); update InterviewKit to import it")
    content = doc.get("scorecard")
    if not isinstance(content, dict) or _hash(content) != doc.get("content_hash"):
        raise _Refused("refused as tampered: the file was changed after it was exported (its content hash does not match)")
    return content


def _resolve(s: Session, content: dict[str, Any]) -> tuple[Stage, Person, list[tuple[dict[str, Any], int]]]:
    opening_title = content["opening"]["title"]
    cand_info = content["candidate"]
    query = select(Candidate).join(Opening, Opening.id == Candidate.opening_id).where(Opening.title == opening_title)
    if cand_info.get("email"):
        query = query.where(func.lower(Candidate.email) == cand_info["email"].lower())
    else:
        query = query.where(Candidate.name == cand_info["name"])
    candidates = list(s.scalars(query))
    if not candidates:
        who = cand_info["name"] + (f" <{cand_info['email']}>" if cand_info.get("email") else "")
        raise _Refused(
            f"unknown candidate {who} for the opening '{opening_title}': add the candidate and their loop here first"
        )
    stage_info = content["stage"]
    stage = s.scalars(
        select(Stage)
        .join(InterviewLoop, InterviewLoop.id == Stage.loop_id)
        .where(
            InterviewLoop.candidate_id.in_([c.id for c in candidates]),  # type: ignore[attr-defined]
            Stage.position == stage_info["position"],
            Stage.name == stage_info["name"],
        )
    ).first()
    if stage is None:
        raise _Refused(
            f"{cand_info['name']} has no stage {stage_info['position']} '{stage_info['name']}' here: "
            "plan the same loop first (Loops)"
        )
    person = s.scalars(select(Person).where(func.lower(Person.email) == content["interviewer"]["email"].lower())).first()
    if person is None:
        raise _Refused(
            f"unknown interviewer {content['interviewer']['name']} <{content['interviewer']['email']}>: "
            "add them in People first"
        )
    versions = []
    for q in content["questions"]:
        vid = s.scalars(
            select(QuestionVersion.id).where(
                QuestionVersion.question_id == q["question_id"], QuestionVersion.content_hash == q["content_hash"]
            )
        ).first()
        if vid is None:
            raise _Refused(
                f"question '{q['question_id']}' (version {q['version']}) is not in this database's bank: "
                "sync the same question bank first (File → Sync bank)"
            )
        versions.append((q, int(vid)))
    known = set(s.scalars(select(Competency.id)))
    unknown = [r["competency"] for r in content["ratings"] if r["competency"] not in known]
    if unknown:
        raise _Refused(f"unknown competencies {', '.join(unknown)}: sync the same question bank first")
    return stage, person, versions


def _parse_time(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def import_scorecard(db: Database, path: Path, *, by: Actor) -> ImportResult:
    """Import one exchange file, all or nothing (only someone who may import data)."""
    require(db, by, "import_data")
    actor_id = audit.actor_id(by)
    name = str(path)
    try:
        content = _read(Path(path))
        digest = _hash(content)
        with db.transaction() as s:
            stage, person, versions = _resolve(s, content)
            existing = s.scalars(select(Scorecard).where(Scorecard.stage_id == stage.id)).first()
            if existing is not None:
                if existing.imported_hash == digest:
                    return ImportResult(name, "unchanged", "already imported: nothing changed", int(existing.id or 0))
                if existing.status == "submitted" and _hash(
                        export_scorecard(db, int(existing.id or 0), by=LOCAL_ADMIN)["scorecard"]) == digest:
                    return ImportResult(name, "unchanged", "this scorecard is already here, as it is in the file",
                                        int(existing.id or 0))
                state = "submitted" if existing.status == "submitted" else "in progress"
                raise _Refused(
                    f"stage '{stage.name}' already has a scorecard here ({state}, by another source); "
                    "it was not replaced"
                )
            if stage.interviewer_id is not None and stage.interviewer_id != person.id:
                raise _Refused(f"stage '{stage.name}' is assigned to someone else here, not to {person.name}")
            card = Scorecard(
                stage_id=int(stage.id or 0),
                interviewer_id=int(person.id or 0),
                status="submitted",
                recommendation=content["recommendation"],
                summary=content["summary"],
                elapsed_seconds=float(content.get("elapsed_seconds") or 0),
                current_position=0,
                imported_hash=digest,
            )
            started, submitted = _parse_time(content.get("started_at")), _parse_time(content.get("submitted_at"))
            if started:
                card.started_at = started
            if submitted:
                card.submitted_at = submitted
                card.updated_at = submitted
            s.add(card)
            s.flush()
            for q, vid in versions:
                s.add(
                    AskedQuestion(
                        scorecard_id=int(card.id or 0), position=int(q["position"]), question_version_id=vid,
                        planned=bool(q["planned"]), notes=q["notes"], seconds_spent=float(q["seconds_spent"]),
                    )
                )
            for r in content["ratings"]:
                s.add(
                    Rating(
                        scorecard_id=int(card.id or 0), competency_id=r["competency"], score=r["score"],
                        not_assessed=bool(r["not_assessed"]), reason=r["reason"], evidence=r["evidence"],
                    )
                )
            if stage.interviewer_id is None:
                stage.interviewer_id = person.id
            audit.record(
                s, actor_id=actor_id, entity="scorecard", entity_id=int(card.id or 0), action="imported",
                detail={"file": Path(path).name, "content_hash": digest, "interviewer": person.name},
            )
            s.flush()
            return ImportResult(
                name, "imported", f"imported: {person.name}'s scorecard for {content['candidate']['name']}, "
                f"stage {stage.position} ({stage.name})", int(card.id or 0),
            )
    except _Refused as exc:
        return ImportResult(name, "refused", str(exc))
    except (KeyError, TypeError, ValueError) as exc:
        return ImportResult(name, "refused", f"not a complete InterviewKit scorecard file ({exc})")


def import_files(db: Database, paths: Iterable[Path], *, by: Actor) -> list[ImportResult]:
    """Import several files; each is imported or refused on its own. Only someone who may import data;
    the audit trail names them."""
    require(db, by, "import_data")
    return [import_scorecard(db, Path(p), by=by) for p in paths]
