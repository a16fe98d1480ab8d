"""Bank sync: bring the database in line with the bank's files.

New questions are added; a changed question gets a new version (old versions stay, so recorded interviews
always show what was asked); a question whose file is gone is retired, never deleted. Competencies, job
descriptions, requirements, screening items and loop templates follow the same rules. A sync that finds nothing changed
writes nothing: it compares the files' sizes and modification times with what the last sync saw before
parsing anything.

A version keeps the second edition's content (evidence checklist, thresholds, examples, scope,
``variant_of``) and its requirement links marked primary or related. The content hash covers all of
it, so a question re-mapped or given a checklist gets a new version; a first-edition file's content,
and so its version, is what it was.

A bank with errors (any problem of severity "error" that the loader finds, the same as ``bank check``
reports for files) is not synced at all: :class:`BankHasErrors` says how many and which is first, and the
database stays exactly as it was. So a half-edited bank never half-lands, and a file can never take
another question's id (and with it that question's history). The questions are still written batch by
batch while the next are read: the first error stops the writing, and the transaction is rolled back.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import orjson
from sqlalchemy import bindparam, func, select, update
from sqlmodel import Session, col

from interviewkit.bank.loader import BankReader, list_bank
from interviewkit.bank.model import Bank, Problem, Question
from interviewkit.bank.model import Competency as BankCompetency
from interviewkit.inputs import InputError, display_path, one_line, read_bytes
from interviewkit.services.access import Actor, require
from interviewkit.services.changes import Changes
from interviewkit.services.errors import ServiceError
from interviewkit.storage import search
from interviewkit.storage.bulk import Background, insert_rows
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
    ScreeningItem,
    table_of,
    utcnow,
)
from interviewkit.storage.models import Question as QuestionRow

if TYPE_CHECKING:  # annotations only: the job-description readers (lxml, regexes) cost 0.1 s to import
    from interviewkit.bank.jd import ParsedJD

__all__ = ["BankHasErrors", "SyncReport", "bank_fingerprint", "content_hash", "sync_bank"]


class BankHasErrors(ServiceError):
    """The bank's files have errors, so nothing was synced; ``problems`` holds every problem found.

    The message is one line: how many errors, and the first of them.
    """

    def __init__(self, problems: list[Problem]) -> None:
        errors = sorted(p for p in problems if p.severity == "error")
        n = len(errors)
        first = str(errors[0]) if errors else "unknown"
        more = "; run 'interviewkit bank check' to see them all" if n > 1 else ""
        super().__init__(
            one_line(f"the question bank has {n:,} error{'s' if n != 1 else ''}, so nothing was synced; "
                     f"first: {first}{more}")
        )
        self.problems = problems


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

    @property
    def changes(self) -> Changes:
        return Changes(bank=self.wrote)

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
    """A stable hash of JSON-able content: sha256 of its compact JSON with sorted keys, in UTF-8.

    orjson writes the same bytes as ``json.dumps(content, sort_keys=True, ensure_ascii=False,
    separators=(",", ":"))``, five times faster; the standard library takes what orjson refuses (text
    with a lone surrogate, integer keys), so a hash never changes with the library that made it.
    """
    try:
        blob = orjson.dumps(content, option=orjson.OPT_SORT_KEYS)
    except TypeError:
        blob = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode(
            "utf-8", "surrogatepass"
        )
    return hashlib.sha256(blob).hexdigest()


def bank_fingerprint(root: Path) -> dict[str, tuple[int, int]]:
    """(size, mtime_ns) of every file the loader reads, by relative path (one scandir per folder)."""
    return list_bank(Path(root)).fingerprint()


def _file_sha(path: Path) -> str:
    try:
        return hashlib.sha256(read_bytes(path, kind="bank file", limit=64 * 1024 * 1024)).hexdigest()
    except InputError:
        return ""


def _unchanged_since_last_sync(session: Session, root: Path, files: dict[str, tuple[int, int]]) -> bool:
    meta = session.get(Meta, "bank_root")
    if meta is None or meta.value != _root_key(root):
        return False
    seen = {
        row[0]: (row[1], row[2])
        for row in session.execute(select(col(BankFile.path), col(BankFile.size), col(BankFile.mtime_ns)))
    }
    return seen == files


def _root_key(root: Path) -> str:
    """The bank folder as the database remembers it: resolved, and printable (a name that is not UTF-8
    cannot be stored as text)."""
    return display_path(root.resolve())


def sync_bank(db: Database, root: Path, *, by: Actor, force: bool = False) -> SyncReport:
    """Sync the bank in ``root`` into the database; return what changed. Only someone who may change the
    bank (admins; the local operator of an SQLite file, who loads the shipped bank into a new one).

    Raises :class:`BankHasErrors`, having written nothing, when the bank's files have errors.
    """
    require(db, by, "manage_bank")
    root = Path(root)
    if not root.is_dir():
        report = SyncReport()
        report.problems = list(BankReader(root).finish().problems)
        return report
    listing = list_bank(root)
    files = listing.fingerprint()
    with db.session() as session:
        if not force and files and _unchanged_since_last_sync(session, root, files):
            return SyncReport(skipped_parse=True)
    reader = BankReader(root, listing)
    if any(p.severity == "error" for p in reader.problems):
        raise BankHasErrors(reader.finish().problems)  # every question read too, for the whole count
    report = SyncReport()
    with db.transaction() as session:
        renamed = _sync_competencies(session, reader.competencies, report)
        for jd in reader.job_descriptions:
            _sync_jd(session, jd, report)
        bank = _sync_questions(session, reader, report, rebuild_index=renamed)
        if bank.errors:
            raise BankHasErrors(bank.problems)  # rolls back what was written
        _sync_screening(session, bank, report)
        _sync_loops(session, bank, report)
        _remember_files(session, root, files, bank.file_hashes)
    report.problems = list(bank.problems)
    return report


def _sync_competencies(session: Session, competencies: list[BankCompetency], report: SyncReport) -> bool:
    """Bring the competencies up to date; return whether one that existed has a new name."""
    existing = {c.id: c for c in session.scalars(select(Competency))}
    now = utcnow()
    renamed = False
    for c in competencies:
        row = existing.pop(c.id, None)
        values = {
            "name": c.name,
            "description": c.description,
            "strong_evidence": c.strong_evidence,
            "position": c.position,
        }
        if row is None:
            session.add(Competency(id=c.id, name=c.name, description=c.description, strong_evidence=c.strong_evidence,
                                   position=c.position))
            report.other_changes.append(f"competency {c.id} added")
        elif any(getattr(row, k) != v for k, v in values.items()) or row.retired_at is not None:
            renamed = renamed or row.name != c.name
            for k, v in values.items():
                setattr(row, k, v)
            row.retired_at = None
            report.other_changes.append(f"competency {c.id} updated")
    if competencies:  # a broken competencies.yaml must not retire the framework
        for row in existing.values():
            if row.retired_at is None:
                row.retired_at = now
                report.other_changes.append(f"competency {row.id} retired")
    session.flush()
    return renamed


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
    existing = {r.id: r for r in session.scalars(select(Requirement).where(col(Requirement.jd_id) == jd.id))}
    for r in jd.requirements:
        cur = existing.pop(r.id, None)
        if cur is None:
            session.add(
                Requirement(
                    id=r.id, jd_id=jd.id, section=r.section, position=r.position, text=r.text, priority=r.priority
                )
            )
        elif (cur.section, cur.position, cur.text, cur.retired_at, cur.priority) != (
            r.section, r.position, r.text, None, r.priority
        ):
            cur.section, cur.position, cur.text, cur.retired_at = r.section, r.position, r.text, None
            cur.priority = r.priority
    now = utcnow()
    for cur in existing.values():
        if cur.retired_at is None:
            cur.retired_at = now
    session.flush()
    return changes


def _sync_jd(session: Session, jd: ParsedJD, report: SyncReport) -> None:
    report.other_changes.extend(store_jd(session, jd, origin="bank"))


# Questions go to the database in batches of this many; each batch is indexed while the next is read.
_BATCH = 1000


@dataclass
class _Batch:
    """The writes for a run of questions, gathered while reading them."""

    now: datetime
    new_questions: list[dict[str, Any]] = field(default_factory=list)
    new_versions: list[tuple[Question, int, str]] = field(default_factory=list)  # (question, version, hash)
    bumped: list[dict[str, Any]] = field(default_factory=list)  # current_version updates
    unindex: list[str] = field(default_factory=list)  # question ids whose index entries go first
    reindex: list[int] = field(default_factory=list)  # existing version ids to index again

    def __len__(self) -> int:
        return len(self.new_versions) + len(self.bumped) + len(self.reindex)

    def write(self, session: Session, index: search.BulkLoad | None) -> Callable[[Session], None]:
        """Write the rows that others refer to; return the rest (links, index entries) as one job.

        Without ``index`` nothing is indexed (the whole index is rebuilt afterwards).
        """
        if index is not None:
            search.remove(session, self.unindex)  # while their old version is still the current one
        insert_rows(session, table_of(QuestionRow), self.new_questions)
        to_index = list(self.reindex)
        comp_links: list[dict[str, Any]] = []
        req_links: list[dict[str, Any]] = []
        if self.new_versions:
            for (q, _v, _h), vid in zip(self.new_versions, self._insert_versions(session)):
                to_index.append(vid)
                comp_links.extend(
                    {"question_version_id": vid, "competency_id": c, "position": i}
                    for i, c in enumerate(q.competencies)
                )
                req_links.extend(_requirement_links(q, vid))
        if self.bumped:
            table = table_of(QuestionRow)
            session.execute(
                update(table)
                .where(table.c.id == bindparam("qid"))
                .values(current_version=bindparam("v"), retired_at=None),
                self.bumped,
            )

        def links_and_index(session: Session) -> None:
            insert_rows(session, table_of(QuestionCompetency), comp_links, one_statement=True)
            insert_rows(session, table_of(QuestionRequirement), req_links, one_statement=True)
            if index is not None:
                index.index_versions(session, to_index)

        return links_and_index

    def _insert_versions(self, session: Session) -> list[int]:
        """Insert the new versions; return their ids, in order."""
        vtable = table_of(QuestionVersion)
        before = session.execute(select(func.coalesce(func.max(vtable.c.id), 0))).scalar_one()
        insert_rows(
            session,
            vtable,
            [
                {
                    "question_id": q.id, "version": v, "content_hash": h, "title": q.title, "kind": q.kind,
                    "level": q.level, "minutes": q.minutes, "prompt": q.prompt, "follow_ups": list(q.follow_ups),
                    "rubric": {str(k): a for k, a in q.rubric}, "red_flags": list(q.red_flags),
                    "source_path": q.path, "created_at": self.now, **_second_edition(q),
                }
                for q, v, h in self.new_versions
            ],
        )
        # Every id this transaction made is above the old maximum; (question, version) is unique.
        made = {
            (qid, v): vid
            for vid, qid, v in session.execute(
                select(vtable.c.id, vtable.c.question_id, vtable.c.version).where(vtable.c.id > before)
            )
        }
        return [made[(q.id, v)] for q, v, _h in self.new_versions]


def _requirement_links(q: Question, version_id: int) -> list[dict[str, Any]]:
    """A version's requirement links: its primary requirements, then the related ones (never both: the
    loader refuses a related requirement that is also primary)."""
    links = [{"question_version_id": version_id, "requirement_id": r, "is_primary": True}
             for r in dict.fromkeys(q.requirements)]
    links += [{"question_version_id": version_id, "requirement_id": r, "is_primary": False}
              for r in dict.fromkeys(q.related_requirements) if r not in q.requirements]
    return links


def _second_edition(q: Question) -> dict[str, Any]:
    """The second edition's columns of a version (empty for a first-edition question)."""
    return {
        "evidence": list(q.evidence),
        "thresholds": {str(level): rule.text for level, rule in q.thresholds},
        "examples": {str(level): text for level, text in q.examples},
        "scope": q.scope,
        "variant_of": q.variant_of,
    }


def _sync_questions(session: Session, reader: BankReader, report: SyncReport, *, rebuild_index: bool) -> Bank:
    """Read the questions and write what changed, batch by batch; return the whole bank.

    Each batch's rows are written, then its index entries are built in the background while the next
    batch is read (the competencies are synced already, so the index gets their current names).
    """
    # A renamed competency changes the indexed text of every question that assesses it (``rebuild_index``):
    # then the index is built again at the end, from every live question.
    current = {
        row.id: (vid, row.current_version, row.retired_at, h)
        for row, vid, h in session.execute(
            select(QuestionRow, col(QuestionVersion.id), col(QuestionVersion.content_hash)).join(
                QuestionVersion,
                (col(QuestionVersion.question_id) == col(QuestionRow.id))
                & (col(QuestionVersion.version) == col(QuestionRow.current_version)),
            )
        )
    }
    now = utcnow()
    index = None if rebuild_index else search.BulkLoad()

    batch = _Batch(now)
    problems = reader.problems
    checked = 0  # problems looked at so far
    broken = False  # an error was found: read on (to count them all), write nothing more
    with Background(session) as background:

        def flush(batch: _Batch) -> None:  # the rows now; links and index entries while the next batch is read
            if not broken:
                background.start(batch.write(background.session(), index))

        for q in reader.questions():
            if len(problems) > checked:
                broken = broken or any(p.severity == "error" for p in problems[checked:])
                checked = len(problems)
            if broken:
                continue
            h = content_hash(q.content())
            cur = current.pop(q.id, None)
            if cur is None:
                batch.new_questions.append({"id": q.id, "current_version": 1, "created_at": now, "retired_at": None})
                batch.new_versions.append((q, 1, h))
                report.added.append(q.id)
            else:
                vid, version, retired_at, old_hash = cur
                if old_hash != h:
                    batch.new_versions.append((q, version + 1, h))
                    batch.bumped.append({"qid": q.id, "v": version + 1})
                    batch.unindex.append(q.id)
                    report.changed.append(q.id)
                    if retired_at is not None:
                        report.restored.append(q.id)
                elif retired_at is not None:
                    batch.bumped.append({"qid": q.id, "v": version})
                    batch.reindex.append(vid)
                    report.restored.append(q.id)
                else:
                    report.unchanged += 1
            if len(batch) >= _BATCH:
                flush(batch)
                batch = _Batch(now)
        broken = broken or any(p.severity == "error" for p in problems[checked:])
        if len(batch):
            flush(batch)
    bank = reader.finish()
    if bank.errors:
        return bank  # the caller refuses the sync and rolls back

    retire = [qid for qid, (_, _, retired_at, _) in current.items() if retired_at is None]
    report.retired.extend(sorted(retire))
    if retire:
        if index is not None:
            search.remove(session, retire)  # while they are live
        table = table_of(QuestionRow)
        session.execute(update(table).where(table.c.id.in_(retire)).values(retired_at=now))
    if index is None:
        search.rebuild(session)
    else:
        index.finish(session)
    return bank


def _sync_screening(session: Session, bank: Bank, report: SyncReport) -> None:
    """screening.yaml's items: added, changed, retired (a loop's screen answers keep naming their requirement).

    A bank without screening.yaml (or with an empty one) retires every item: coverage then needs questions.
    """
    existing = {row.requirement_id: row for row in session.scalars(select(ScreeningItem))}
    known = set(session.scalars(select(col(Requirement.id))))
    now = utcnow()
    for position, (requirement_id, ask) in enumerate(bank.screening.items(), start=1):
        if requirement_id not in known:
            continue  # the loader reported it; a sync with errors never gets here
        row = existing.pop(requirement_id, None)
        if row is None:
            session.add(ScreeningItem(requirement_id=requirement_id, ask=ask, position=position))
            report.other_changes.append(f"screening item {requirement_id} added")
        elif (row.ask, row.position, row.retired_at) != (ask, position, None):
            row.ask, row.position, row.retired_at = ask, position, None
            report.other_changes.append(f"screening item {requirement_id} updated")
    for row in existing.values():
        if row.retired_at is None:
            row.retired_at = now
            report.other_changes.append(f"screening item {row.requirement_id} retired")
    session.flush()


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
    for row in existing.values():
        if row.retired_at is None:
            row.retired_at = utcnow()
            report.other_changes.append(f"loop template {row.id} retired")


def _remember_files(session: Session, root: Path, files: dict[str, tuple[int, int]], hashes: dict[str, str]) -> None:
    table = table_of(BankFile)  # Core: thousands of rows, no ORM objects needed
    known = {r[0]: (r[1], r[2]) for r in session.execute(select(table.c.path, table.c.size, table.c.mtime_ns))}
    new_rows: list[dict[str, Any]] = []
    changed_rows: list[dict[str, Any]] = []
    for rel, (size, mtime) in files.items():
        seen = known.pop(rel, None)
        if seen == (size, mtime):
            continue
        sha = hashes.get(rel) or _file_sha(root / rel)
        row = {"path": rel, "size": size, "mtime_ns": mtime, "sha256": sha}
        (new_rows if seen is None else changed_rows).append(row)
    if new_rows:
        insert_rows(session, table, new_rows)
    if changed_rows:
        session.execute(
            update(table)
            .where(table.c.path == bindparam("p"))
            .values(size=bindparam("size"), mtime_ns=bindparam("mtime_ns"), sha256=bindparam("sha256")),
            [
                {"p": r["path"], "size": r["size"], "mtime_ns": r["mtime_ns"], "sha256": r["sha256"]}
                for r in changed_rows
            ],
        )
    if known:
        session.execute(table.delete().where(table.c.path.in_(list(known))))
    meta = session.get(Meta, "bank_root")
    resolved = _root_key(root)
    if meta is None:
        session.add(Meta(key="bank_root", value=resolved))
    elif meta.value != resolved:
        meta.value = resolved
