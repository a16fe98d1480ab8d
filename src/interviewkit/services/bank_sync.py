"""Bank sync: bring the database in line with the bank's files.

New questions are added; a changed question gets a new version (old versions stay, so recorded interviews
always show what was asked); a question whose file is gone is retired, never deleted. Competencies, job
descriptions, requirements and loop templates follow the same rules. A sync that finds nothing changed
writes nothing: it compares the files' sizes and modification times with what the last sync saw before
parsing anything.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import bindparam, insert, select, update
from sqlmodel import Session

from interviewkit.bank.jd import ParsedJD
from interviewkit.bank.loader import load_bank
from interviewkit.bank.model import Bank, Problem, Question
from interviewkit.storage import search
from interviewkit.storage.db import Database
from interviewkit.storage.models import (
    BankFile,
    Competency,
    JobDescription,
    LoopTemplate,
    Meta,
    QuestionCompetency,
    QuestionRequirement,
    QuestionVersion,
    Requirement,
    utcnow,
)
from interviewkit.storage.models import Question as QuestionRow

__all__ = ["SyncReport", "bank_fingerprint", "content_hash", "sync_bank"]


@dataclass
class SyncReport:
    """What a sync did."""

    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)  # got a new version
    retired: list[str] = field(default_factory=list)
    restored: list[str] = field(default_factory=list)  # retired before, back in the bank now
    unchanged: int = 0
    other_changes: list[str] = field(default_factory=list)  # competencies, documents, loops
    problems: list[Problem] = field(default_factory=list)
    skipped_parse: bool = False  # the fast path: no file changed since the last sync

    @property
    def wrote(self) -> bool:
        return bool(self.added or self.changed or self.retired or self.restored or self.other_changes)

    def summary(self) -> str:
        if self.skipped_parse:
            return "Bank unchanged since the last sync: nothing written."
        parts = [
            f"{len(self.added)} added",
            f"{len(self.changed)} changed (new version)",
            f"{len(self.retired)} retired",
            f"{self.unchanged} unchanged",
        ]
        if self.restored:
            parts.append(f"{len(self.restored)} restored")
        if self.other_changes:
            parts.append(f"{len(self.other_changes)} other updates")
        errors = sum(1 for p in self.problems if p.severity == "error")
        if errors:
            parts.append(f"{errors} file problem(s) (run 'interviewkit bank check')")
        return "Questions: " + ", ".join(parts) + "."


def content_hash(content: Any) -> str:
    """A stable hash of JSON-able content."""
    blob = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


_SUFFIXES = (".md", ".markdown", ".txt", ".yaml", ".yml")


def bank_fingerprint(root: Path) -> dict[str, tuple[int, int]]:
    """(size, mtime_ns) of every file of the bank, by relative path (one scandir per folder)."""
    out: dict[str, tuple[int, int]] = {}
    stack = [("", os.fspath(root))]
    while stack:
        prefix, folder = stack.pop()
        with os.scandir(folder) as entries:
            for entry in entries:
                name = entry.name
                if name.startswith((".", "__")):
                    continue
                if entry.is_dir(follow_symlinks=False):
                    stack.append((f"{prefix}{name}/", entry.path))
                elif name.endswith(_SUFFIXES):
                    st = entry.stat()
                    out[prefix + name] = (st.st_size, st.st_mtime_ns)
    return out


def _file_sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _unchanged_since_last_sync(session: Session, root: Path, files: dict[str, tuple[int, int]]) -> bool:
    meta = session.get(Meta, "bank_root")
    if meta is None or meta.value != str(root.resolve()):
        return False
    seen = {row[0]: (row[1], row[2]) for row in session.execute(select(BankFile.path, BankFile.size, BankFile.mtime_ns))}
    return seen == files


def _index_row(q: Question, version_id: int, names: dict[str, str]) -> search.IndexedQuestion:
    return search.IndexedQuestion(
        version_id=version_id,
        question_id=q.id,
        title=q.title,
        prompt=q.prompt,
        competencies=" ".join(names.get(c, c) for c in q.competencies),
        rubric=" ".join(a for _, a in q.rubric),
        follow_ups="\n".join(q.follow_ups) + "\n" + "\n".join(q.red_flags),
    )


def sync_bank(db: Database, root: Path, *, force: bool = False) -> SyncReport:
    """Sync the bank in ``root`` into the database; return what changed."""
    root = Path(root)
    files = bank_fingerprint(root) if root.is_dir() else {}
    with db.session() as session:
        if not force and files and _unchanged_since_last_sync(session, root, files):
            return SyncReport(skipped_parse=True)
    bank = load_bank(root)
    report = SyncReport(problems=list(bank.problems))
    if not root.is_dir():
        return report
    with db.transaction() as session:
        _sync_competencies(session, bank, report)
        for jd in bank.job_descriptions:
            _sync_jd(session, jd, report)
        _sync_questions(session, bank, report)
        _sync_loops(session, bank, report)
        _remember_files(session, root, files, bank.file_hashes)
    return report


def _sync_competencies(session: Session, bank: Bank, report: SyncReport) -> None:
    existing = {c.id: c for c in session.scalars(select(Competency))}
    now = utcnow()
    for c in bank.competencies:
        row = existing.pop(c.id, None)
        values = dict(name=c.name, description=c.description, strong_evidence=c.strong_evidence, position=c.position)
        if row is None:
            session.add(Competency(id=c.id, **values))
            report.other_changes.append(f"competency {c.id} added")
        elif any(getattr(row, k) != v for k, v in values.items()) or row.retired_at is not None:
            for k, v in values.items():
                setattr(row, k, v)
            row.retired_at = None
            report.other_changes.append(f"competency {c.id} updated")
    if bank.competencies:  # a broken competencies.yaml must not retire the framework
        for row in existing.values():
            if row.retired_at is None:
                row.retired_at = now
                report.other_changes.append(f"competency {row.id} retired")
    session.flush()


def store_jd(session: Session, jd: ParsedJD, *, origin: str) -> list[str]:
    """Insert or update a job description and its requirements; return what changed, in words."""
    changes: list[str] = []
    h = content_hash({"title": jd.title, "text": jd.text})
    row = session.get(JobDescription, jd.id)
    if row is None:
        session.add(
            JobDescription(
                id=jd.id, title=jd.title, source_name=jd.source_name, text=jd.text, content_hash=h, origin=origin
            )
        )
        changes.append(f"job description {jd.id} added")
    elif row.content_hash != h or row.retired_at is not None:
        row.title, row.text, row.content_hash, row.retired_at = jd.title, jd.text, h, None
        row.source_name = jd.source_name or row.source_name
        changes.append(f"job description {jd.id} updated")
    session.flush()
    existing = {r.id: r for r in session.scalars(select(Requirement).where(Requirement.jd_id == jd.id))}
    for r in jd.requirements:
        cur = existing.pop(r.id, None)
        if cur is None:
            session.add(Requirement(id=r.id, jd_id=jd.id, section=r.section, position=r.position, text=r.text))
        elif (cur.section, cur.position, cur.text, cur.retired_at) != (r.section, r.position, r.text, None):
            cur.section, cur.position, cur.text, cur.retired_at = r.section, r.position, r.text, None
    now = utcnow()
    for cur in existing.values():
        if cur.retired_at is None:
            cur.retired_at = now
    session.flush()
    return changes


def _sync_jd(session: Session, jd: ParsedJD, report: SyncReport) -> None:
    report.other_changes.extend(store_jd(session, jd, origin="bank"))


def _sync_questions(session: Session, bank: Bank, report: SyncReport) -> None:
    names = {c.id: c.name for c in bank.competencies}
    current = {
        row.id: (row.current_version, row.retired_at, h)
        for row, h in session.execute(
            select(QuestionRow, QuestionVersion.content_hash).join(
                QuestionVersion,
                (QuestionVersion.question_id == QuestionRow.id)
                & (QuestionVersion.version == QuestionRow.current_version),
            )
        )
    }
    now = utcnow()
    new_versions: list[tuple[Question, int, str]] = []  # (question, version number, content hash)
    new_questions: list[dict[str, Any]] = []
    bumped: list[dict[str, Any]] = []
    for q in bank.questions:
        h = content_hash(q.content())
        cur = current.pop(q.id, None)
        if cur is None:
            new_questions.append({"id": q.id, "current_version": 1, "created_at": now, "retired_at": None})
            new_versions.append((q, 1, h))
            report.added.append(q.id)
            continue
        version, retired_at, old_hash = cur
        if old_hash != h:
            new_versions.append((q, version + 1, h))
            bumped.append({"qid": q.id, "v": version + 1})
            report.changed.append(q.id)
            if retired_at is not None:
                report.restored.append(q.id)
        elif retired_at is not None:
            bumped.append({"qid": q.id, "v": version})
            report.restored.append(q.id)
        else:
            report.unchanged += 1

    unloaded_ids = {Path(p).stem for p in bank.unloaded}
    retire = [qid for qid, (_, retired_at, _) in current.items() if retired_at is None and qid not in unloaded_ids]
    report.retired.extend(sorted(retire))

    qtable = QuestionRow.__table__
    if new_questions:
        session.execute(insert(qtable), new_questions)
    if new_versions:
        rows = [
            {
                "question_id": q.id,
                "version": v,
                "content_hash": h,
                "title": q.title,
                "kind": q.kind,
                "level": q.level,
                "minutes": q.minutes,
                "prompt": q.prompt,
                "follow_ups": list(q.follow_ups),
                "rubric": {str(k): a for k, a in q.rubric},
                "red_flags": list(q.red_flags),
                "source_path": q.path,
                "created_at": now,
            }
            for q, v, h in new_versions
        ]
        vtable = QuestionVersion.__table__
        ids = session.execute(
            insert(vtable).returning(vtable.c.id, sort_by_parameter_order=True), rows
        ).scalars().all()
        comp_links = []
        req_links = []
        for (q, _v, _h), vid in zip(new_versions, ids):
            comp_links.extend(
                {"question_version_id": vid, "competency_id": c, "position": i} for i, c in enumerate(q.competencies)
            )
            req_links.extend({"question_version_id": vid, "requirement_id": r} for r in dict.fromkeys(q.requirements))
        if comp_links:
            session.execute(insert(QuestionCompetency.__table__), comp_links)
        if req_links:
            session.execute(insert(QuestionRequirement.__table__), req_links)
    table = qtable  # Core statements: executemany without ORM session sync
    if bumped:
        session.execute(
            update(table).where(table.c.id == bindparam("qid")).values(current_version=bindparam("v"), retired_at=None),
            bumped,
        )
    if retire:
        session.execute(update(table).where(table.c.id.in_(retire)).values(retired_at=now))
        search.remove(session, retire)
    competency_renamed = any(c.startswith("competency") for c in report.other_changes)
    if competency_renamed:
        to_index = list(bank.questions)
    else:
        touched = {q.id for q, _v, _h in new_versions} | set(report.restored)
        to_index = [q for q in bank.questions if q.id in touched]
    if to_index:
        current_ids = dict(
            session.execute(
                select(QuestionVersion.question_id, QuestionVersion.id).join(
                    QuestionRow,
                    (QuestionRow.id == QuestionVersion.question_id) & (QuestionRow.current_version == QuestionVersion.version),
                )
            ).all()
        )
        if not new_questions or len(new_questions) != len(to_index):
            search.remove(session, [q.id for q in to_index])
        search.insert(session, (_index_row(q, int(current_ids[q.id]), names) for q in to_index))


def _sync_loops(session: Session, bank: Bank, report: SyncReport) -> None:
    existing = {t.id: t for t in session.scalars(select(LoopTemplate))}
    for loop in bank.loops:
        content = loop.content()
        h = content_hash(content)
        row = existing.pop(loop.id, None)
        if row is None:
            session.add(LoopTemplate(id=loop.id, name=loop.name, content=content, content_hash=h))
            report.other_changes.append(f"loop template {loop.id} added")
        elif row.content_hash != h or row.retired_at is not None:
            row.name, row.content, row.content_hash, row.retired_at = loop.name, content, h, None
            report.other_changes.append(f"loop template {loop.id} updated")
    broken = {Path(p.path).stem for p in bank.problems if p.path.startswith("loops/")}
    for row in existing.values():
        if row.retired_at is None and row.id not in broken:
            row.retired_at = utcnow()
            report.other_changes.append(f"loop template {row.id} retired")


def _remember_files(session: Session, root: Path, files: dict[str, tuple[int, int]], hashes: dict[str, str]) -> None:
    table = BankFile.__table__  # Core: thousands of rows, no ORM objects needed
    known = {r[0]: (r[1], r[2]) for r in session.execute(select(table.c.path, table.c.size, table.c.mtime_ns))}
    new_rows, changed_rows = [], []
    for rel, (size, mtime) in files.items():
        seen = known.pop(rel, None)
        if seen == (size, mtime):
            continue
        sha = hashes.get(rel) or _file_sha(root / rel)
        row = {"path": rel, "size": size, "mtime_ns": mtime, "sha256": sha}
        (new_rows if seen is None else changed_rows).append(row)
    if new_rows:
        session.execute(insert(table), new_rows)
    if changed_rows:
        session.execute(
            update(table).where(table.c.path == bindparam("p")).values(
                size=bindparam("size"), mtime_ns=bindparam("mtime_ns"), sha256=bindparam("sha256")
            ),
            [{"p": r["path"], "size": r["size"], "mtime_ns": r["mtime_ns"], "sha256": r["sha256"]} for r in changed_rows],
        )
    if known:
        session.execute(table.delete().where(table.c.path.in_(list(known))))
    meta = session.get(Meta, "bank_root")
    resolved = str(root.resolve())
    if meta is None:
        session.add(Meta(key="bank_root", value=resolved))
    elif meta.value != resolved:
        meta.value = resolved
