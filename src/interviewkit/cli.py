"""The ``interviewkit`` command: the desktop app, and the command line over the services.

With no subcommand it opens the desktop app. Errors are one clear line on stderr and an exit code:
1 when a check finds problems, 2 when the input or the database cannot be used.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from interviewkit import __version__
from interviewkit.paths import DB_ENV, database_location, shipped_bank_dir

if TYPE_CHECKING:  # annotations only: the command line imports the database layer when a command needs it
    from datetime import date

    from interviewkit.bank.model import Bank, LoopTemplate
    from interviewkit.services.access import Actor
    from interviewkit.services.calibration_report import CalibrationReport
    from interviewkit.storage.db import Database

__all__ = ["gui_main", "main"]

EXIT_OK, EXIT_PROBLEMS, EXIT_BAD_INPUT = 0, 1, 2


class CliError(Exception):
    """An error for the user; the CLI prints it and exits with ``code``."""

    def __init__(self, message: str, code: int = EXIT_BAD_INPUT) -> None:
        super().__init__(message)
        self.code = code


def _out(text: str = "") -> None:
    sys.stdout.write(text + "\n")


def _json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")


def _bank_dir(args: argparse.Namespace) -> Path:
    try:
        bank = Path(args.bank).expanduser() if args.bank else shipped_bank_dir()
    except RuntimeError as exc:  # "~nosuchuser/bank"
        raise CliError(f"--bank {args.bank!r}: {exc}") from None
    if not bank.is_dir():
        raise CliError(f"bank folder not found: {bank}")
    return bank


def _signed_in(where: str) -> str:
    """A server URL with the person's password when the server wants one (keyring, else getpass)."""
    from interviewkit.services.credentials import sign_in, terminal_prompt

    signed = sign_in(where, terminal_prompt)
    if signed is None:
        if not (sys.stdin and sys.stdin.isatty()):
            return where  # nobody to ask: opening it says what is missing (PGPASSWORD, ~/.pgpass)
        raise CliError("sign-in cancelled: no password was given")
    return signed


def _open_db(args: argparse.Namespace) -> Database:
    from interviewkit.storage.db import DatabaseError, open_database

    where, is_default = database_location(args.db)
    try:
        db = open_database(_signed_in(where), default=is_default)
    except DatabaseError as exc:
        raise CliError(str(exc)) from None
    for notice in db.notices:  # files made private, backups kept or deleted, a postponed compaction
        sys.stderr.write(f"interviewkit: {notice}\n")
    return db


@contextmanager
def _database(args: argparse.Namespace) -> Iterator[Database]:
    """The database of ``--db`` for one command: a service's refusal becomes a one-line error, and the
    database is let go of whatever happens."""
    from interviewkit.services.errors import ServiceError

    db = _open_db(args)
    try:
        yield db
    except ServiceError as exc:
        raise CliError(str(exc)) from None
    finally:
        db.dispose()


def _actor(args: argparse.Namespace, db: Database) -> Actor:
    """Who acts, resolved once per command (:func:`~interviewkit.services.identity.resolve_actor`): on a
    team database the person of the database login; on an SQLite file the person named by ``--as``
    (email or id), else the file's local operator."""
    from interviewkit.services.errors import ServiceError
    from interviewkit.services.identity import resolve_actor

    cached = getattr(args, "_identity", None)
    if cached is not None and cached[0] is db:
        actor: Actor = cached[1].actor
        return actor
    try:
        identity = resolve_actor(db, getattr(args, "acting_as", None))
    except ServiceError as exc:
        raise CliError(str(exc)) from None
    args._identity = (db, identity)
    return identity.actor


def _confirm(question: str, args: argparse.Namespace) -> bool:
    """--yes, or a "y" typed at a terminal; without a terminal, --yes is required."""
    if args.yes:
        return True
    if not sys.stdin.isatty():
        raise CliError("nothing was changed: add --yes to confirm (no terminal to ask on)")
    sys.stdout.write(f"{question} [y/N] ")
    sys.stdout.flush()
    return sys.stdin.readline().strip().lower() in ("y", "yes")


def _ensure_bank(args: argparse.Namespace, db: Database) -> None:
    """Load the bank into a database that has none yet (the app does the same at start)."""
    from interviewkit.services.bank_queries import has_live_questions

    if not has_live_questions(db):
        from interviewkit.services.bank_sync import sync_bank  # the loader and its checks: only for a first load

        sync_bank(db, _bank_dir(args), by=_actor(args, db))


# --- bank ------------------------------------------------------------------------------------------


def cmd_bank_check(args: argparse.Namespace) -> int:
    from interviewkit.bank.checks import check_bank, requirement_coverage
    from interviewkit.bank.loader import load_bank
    from interviewkit.bank.thesaurus import thesaurus_problems

    bank = load_bank(_bank_dir(args))
    problems = sorted(bank.problems) + check_bank(bank) + thesaurus_problems(bank.root)
    errors = [p for p in problems if p.severity == "error"]
    warnings = [p for p in problems if p.severity == "warning"]
    if args.json:
        _json(
            {
                "questions": len(bank.questions),
                "errors": [p.__dict__ for p in errors],
                "warnings": [p.__dict__ for p in warnings],
                "loops": [_loop_report(bank, loop) for loop in bank.loops],
            }
        )
        return EXIT_PROBLEMS if errors else EXIT_OK
    for p in problems:
        _out(str(p))
    cov = requirement_coverage(bank)
    covered = sum(1 for c in cov if c.count >= 1)
    screened = sum(1 for c in cov if c.screen)
    screen = f" by primary links, {screened} checked by the screen" if screened else ""
    _out(
        f"{len(bank.questions)} questions, {len(bank.competencies)} competencies, "
        f"{len(bank.job_descriptions)} job descriptions, {covered} of {len(cov)} requirements covered{screen}, "
        f"{len(bank.loops)} loop templates."
    )
    if bank.loops:
        _out("Loop templates (information: coverage and minutes per question; a must-have left unassessed is a "
             "warning above unless the loop says why, partial:):")
    for loop in bank.loops:
        _print_loop(_loop_report(bank, loop))
    _out(f"{len(errors)} error(s), {len(warnings)} warning(s).")
    return EXIT_PROBLEMS if errors else EXIT_OK


def _loop_report(bank: Bank, loop: LoopTemplate) -> dict[str, Any]:
    """A loop template as ``bank check`` reports it: its coverage by primary links, what its screen checks,
    the must-haves it leaves unassessed, and the minutes of each planned question by stage."""
    from interviewkit.bank.checks import loop_coverage

    lc = loop_coverage(bank, loop)
    kinds = {q.id: q.kind for q in bank.questions}
    return {
        "id": loop.id,
        "stages": [
            {"name": st.name, "kind": st.kind, "minutes": st.minutes, "planned": st.planned,
             "questions": [{"id": qid, "kind": kinds.get(qid, ""), "minutes": m} for qid, m in st.questions],
             "checklist": list(st.checklist)}
            for st in lc.stages
        ],
        "minutes": sum(st.minutes for st in loop.stages),
        "requirements": lc.total,
        "assessed": len(lc.covered),
        "screened": len(lc.screened),
        "unassessed": list(lc.uncovered),
        "related_only": sorted(lc.related),
        "must_haves_unassessed": list(lc.must_haves_unassessed),
        "partial": loop.partial,
    }


def _print_loop(r: dict[str, Any]) -> None:
    questions = sum(len(st["questions"]) for st in r["stages"])
    screen = f", {r['screened']} checked by the screen" if r["screened"] else ""
    _out(
        f"Loop '{r['id']}': {len(r['stages'])} stages, {r['minutes']} minutes, {questions} questions, "
        f"assesses {r['assessed']} of {r['requirements']} requirements by primary links{screen}."
    )
    for st in r["stages"]:
        if st["kind"] == "screen":
            _out(f"  {st['name']} (screen, {st['minutes']} min): {len(st['checklist'])} checklist items")
            continue
        each = ", ".join(f"{q['id']} {q['minutes']}" for q in st["questions"]) or "no questions"
        _out(f"  {st['name']} ({st['planned']} of {st['minutes']} min planned): {each}")
    must = r["must_haves_unassessed"]
    _out(f"  Must-haves unassessed ({len(must)}): {', '.join(must)}" if must else "  Must-haves unassessed: none")
    if r["partial"]:
        _out(f"  Partial on purpose: {r['partial']}")


def cmd_bank_coverage(args: argparse.Namespace) -> int:
    from interviewkit.bank.checks import MIN_QUESTIONS_PER_REQUIREMENT, requirement_coverage
    from interviewkit.bank.loader import load_bank
    from interviewkit.inputs import one_line

    bank = load_bank(_bank_dir(args))
    cov = requirement_coverage(bank, [args.jd] if args.jd else None)
    if args.jd and not cov:
        raise CliError(f"no job description '{args.jd}' in the bank")
    if args.json:
        _json(
            [
                {"id": c.id, "document": c.document, "section": c.section, "text": c.text,
                 "questions": list(c.questions), "count": c.count, "related_questions": list(c.related_questions),
                 "screen": c.screen, "must_have": c.must_have}
                for c in cov
            ]
        )
        return EXIT_OK
    doc = None
    for c in cov:
        if c.document != doc:
            doc = c.document
            _out(f"\n{doc}")
        mark = "S" if c.screen else " " if c.count >= MIN_QUESTIONS_PER_REQUIREMENT else ("!" if c.count else "✗")
        _out(f" {mark} {c.count:2d}  {c.id}  {one_line(c.text)}")
        if args.verbose and (c.questions or c.related_questions or c.screen):
            if c.screen:
                _out("          checked by the screen (screening.yaml)")
            if c.questions:
                _out(f"          {', '.join(c.questions)}")
            if c.related_questions:
                _out(f"          related, not counted: {', '.join(c.related_questions)}")
    covered = sum(1 for c in cov if c.count)
    twice = sum(1 for c in cov if c.count >= MIN_QUESTIONS_PER_REQUIREMENT)
    screened = sum(1 for c in cov if c.screen)
    _out()
    _out(
        f"{covered} of {len(cov)} requirements covered; {twice} by at least {MIN_QUESTIONS_PER_REQUIREMENT} questions"
        + (f"; {screened} checked by the screen." if screened else ".")
    )
    uncovered = [c.id for c in cov if not c.count and not c.screen]
    if uncovered:
        _out("Not covered: " + ", ".join(uncovered))
    return EXIT_OK


def cmd_bank_sync(args: argparse.Namespace) -> int:
    from interviewkit.services.bank_sync import sync_bank

    with _database(args) as db:
        report = sync_bank(db, _bank_dir(args), by=_actor(args, db), force=args.force)
    if args.json:
        _json(
            {
                "added": report.added,
                "changed": report.changed,
                "retired": report.retired,
                "restored": report.restored,
                "unchanged": report.unchanged,
                "other_changes": report.other_changes,
                "wrote": report.wrote,
                "problems": [str(p) for p in report.problems],
            }
        )
    else:
        for p in report.problems:
            if p.severity == "error":
                _out(str(p))
        for name, items in (("added", report.added), ("new version", report.changed), ("retired", report.retired)):
            for qid in items:
                _out(f"{name}: {qid}")
        _out(report.summary())
    return EXIT_OK


# --- jd --------------------------------------------------------------------------------------------


def cmd_jd_import(args: argparse.Namespace) -> int:
    import os

    from interviewkit.bank.jd import JDError
    from interviewkit.bank.suggest import ThesaurusError
    from interviewkit.cli_jd import print_import
    from interviewkit.services.jd import Suggestion, import_jd, replacement_of, save_jd, suggest_for_texts

    try:  # the whole file is read and parsed before the database is opened: a refused file writes nothing
        jd, _ = import_jd(None, Path(os.path.expanduser(args.file)), doc_id=args.id)
    except JDError as exc:
        raise CliError(str(exc)) from None
    changes: list[str] = []
    suggestions: list[Suggestion] = []
    if not args.dry_run or args.suggest:
        with _database(args) as db:
            try:
                if not args.dry_run:  # a document already there is refused unless --replace (nothing written)
                    jd = replacement_of(db, jd) if args.replace else jd
                    changes = save_jd(db, jd, by=_actor(args, db), replace_existing=args.replace)
                if args.suggest:
                    _ensure_bank(args, db)
                    suggestions = suggest_for_texts(db, jd, bank_dir=_bank_dir(args))
            except (JDError, ThesaurusError) as exc:
                raise CliError(str(exc)) from None
    print_import(jd, changes, suggestions, dry_run=args.dry_run, as_json=args.json)
    return EXIT_OK


def cmd_jd_list(args: argparse.Namespace) -> int:
    from interviewkit.services.bank_queries import job_descriptions

    with _database(args) as db:
        _ensure_bank(args, db)
        docs = job_descriptions(db)
    if args.json:
        _json([d.__dict__ for d in docs])
        return EXIT_OK
    for d in docs:
        _out(f"{d.id:32s} {d.requirement_count:4d} requirements  [{d.origin}]  {d.title}")
    return EXIT_OK


def cmd_jd_suggest(args: argparse.Namespace) -> int:
    from interviewkit.bank.suggest import ThesaurusError
    from interviewkit.cli_jd import print_suggestions
    from interviewkit.services.bank_queries import job_descriptions
    from interviewkit.services.jd import suggest_questions

    if not 1 <= args.limit <= 20:
        raise CliError(f"--limit {args.limit}: give 1 to 20 questions per requirement")
    with _database(args) as db:
        _ensure_bank(args, db)
        if args.jd_id not in {d.id for d in job_descriptions(db)}:
            raise CliError(
                f"no job description '{args.jd_id}' in {db.describe()}; import it first with "
                "'interviewkit jd import FILE' (see 'interviewkit jd list')"
            )
        try:
            suggestions = suggest_questions(db, args.jd_id, per_requirement=args.limit, bank_dir=_bank_dir(args))
        except ThesaurusError as exc:
            raise CliError(str(exc)) from None
    print_suggestions(suggestions, as_json=args.json)
    return EXIT_OK


# --- demo ------------------------------------------------------------------------------------------


def _progress(what: str) -> Callable[[str], None]:
    """Progress lines on stderr (stdout keeps the result)."""
    return lambda message: print(f"{what}: {message}", file=sys.stderr, flush=True)


def cmd_demo(args: argparse.Namespace) -> int:
    from interviewkit.services.bank_sync import sync_bank
    from interviewkit.services.demo import create_demo

    bank = _bank_dir(args)
    if args.size == "large":  # issue 17: a large team's three years, into an empty database
        from interviewkit.bank.loader import load_settings
        from interviewkit.services.demo_large import create_large_demo, refuse_unless_empty
        from interviewkit.services.errors import ValidationFailed

        with _database(args) as db:
            try:
                refuse_unless_empty(db)
                sync_bank(db, bank, by=_actor(args, db))
                large = create_large_demo(db, load_settings(bank), progress=_progress("demo"))
            except ValidationFailed as exc:
                raise CliError(str(exc)) from None
        _out(large.summary())
        return EXIT_OK
    with _database(args) as db:
        sync_bank(db, bank, by=_actor(args, db))
        report = create_demo(db, bank, by=_actor(args, db))
        where = db.describe()
    _out(report.summary())
    for name, state in report.candidate_states:
        _out(f"  {name}: {state}")
    if sum(report.earlier):
        _out(f"  {sum(report.earlier)} earlier candidates for the second opening: {report.earlier[0]} hired, "
             f"{report.earlier[1]} not")
    db_words = [] if not args.db else ["--db", args.db if "://" not in args.db else where]
    _out(f"Open it with: {_launch_command(db_words)}")
    return EXIT_OK


def _launch_command(arguments: list[str]) -> str:
    """The command that starts InterviewKit again, from the user's folder, the way this process was started:
    ``interviewkit`` when that name on PATH is this program, else its path (relative when under the current
    folder, as ``.venv/bin/interviewkit``), else ``PYTHON -m interviewkit``."""
    import os
    import shlex
    import shutil

    def shown(path: str) -> str:
        relative = os.path.relpath(path)
        return relative if not relative.startswith("..") else os.path.abspath(path)

    script = sys.argv[0] if sys.argv else ""
    if Path(script).name.startswith("interviewkit") and Path(script).is_file():
        on_path = shutil.which(Path(script).name)
        same = on_path is not None and os.path.samefile(on_path, script)
        words = [Path(script).name if same else shown(script)]
    else:  # python -m interviewkit, or main() called from another program
        on_path = shutil.which(Path(sys.executable).name)
        same = on_path is not None and os.path.samefile(on_path, sys.executable)
        words = [Path(sys.executable).name if same else shown(sys.executable), "-m", "interviewkit"]
    return " ".join(shlex.quote(w) for w in [*words, *arguments])


# --- list ------------------------------------------------------------------------------------------


def cmd_list(args: argparse.Namespace) -> int:
    from interviewkit.cli_list import list_records

    with _database(args) as db:
        return list_records(db, args.what, by=_actor(args, db), as_json=args.json, opening=args.opening,
                            candidate=args.candidate)


# --- scorecards ------------------------------------------------------------------------------------


def cmd_scorecards_export(args: argparse.Namespace) -> int:
    from interviewkit.inputs import display_path
    from interviewkit.services.exchange import write_export

    with _database(args) as db:
        path = write_export(db, args.scorecard_id, Path(args.output).expanduser(), by=_actor(args, db))
    _out(f"Exported scorecard {args.scorecard_id} to {display_path(path)}, signed by its interviewer.")
    return EXIT_OK


def cmd_scorecards_import_files(args: argparse.Namespace) -> int:
    from interviewkit.bank.loader import load_settings
    from interviewkit.inputs import display_path, one_line
    from interviewkit.services.exchange import import_files

    settings = load_settings(_bank_dir(args))
    with _database(args) as db:
        results = import_files(db, [Path(f).expanduser() for f in args.files], by=_actor(args, db), settings=settings)
    if args.json:
        _json([r.__dict__ for r in results])
    else:
        for r in results:
            _out(f"{r.status:9s} {display_path(r.path)}: {one_line(r.message)}")
        counts = {k: sum(1 for r in results if r.status == k) for k in ("imported", "unchanged", "refused")}
        _out(f"{counts['imported']} imported, {counts['unchanged']} unchanged, {counts['refused']} refused.")
    return EXIT_PROBLEMS if any(r.status == "refused" for r in results) else EXIT_OK


def cmd_scorecards_resign(args: argparse.Namespace) -> int:
    from interviewkit.bank.loader import load_settings
    from interviewkit.inputs import display_path
    from interviewkit.services.exchange import resign_file

    settings = load_settings(_bank_dir(args))
    with _database(args) as db:
        result = resign_file(db, Path(args.file).expanduser(), Path(args.output).expanduser(), reason=args.reason,
                             by=_actor(args, db), settings=settings)
    _out(f"Re-signed {display_path(args.file)} as {result.signer} into {display_path(result.path)} "
         f"(the original: {result.original_check}). Its import will be audited with your reason.")
    return EXIT_OK


# --- signing keys ----------------------------------------------------------------------------------


def cmd_keys_init(args: argparse.Namespace) -> int:
    from interviewkit.services import signing

    with _database(args) as db:
        actor = _actor(args, db)
        me = signing.acting_person(db, actor, "make a signing key")
        key, created = signing.create_key(me.email)
        public = signing.public_key_of(key)
        reg = signing.register_own_key(db, public, by=actor)
        where = db.describe()
    verb = "Made a new signing key" if created else "This machine already has a signing key"
    _out(f"{verb} for {me.name} <{me.email}>, kept in {signing.key_location(me.email)}.")
    _out(f"Fingerprint: {signing.fingerprint(public)}")
    _out(f"Public key:  {public}")
    if reg.status == "registered":
        _out(f"Registered in {where}: scorecard files you export are checked with it.")
    elif reg.status == "unchanged":
        _out(f"Already registered in {where}.")
    else:
        sys.stderr.write(
            f"interviewkit: error: {where} has another key registered for {me.email} (fingerprint "
            f"{signing.fingerprint(reg.previous or '')}); replacing it needs an admin, who checks the fingerprint "
            f"above with you and runs: interviewkit people set-key {me.email} {public} --reason '...'\n"
        )
        return EXIT_PROBLEMS
    return EXIT_OK


def cmd_keys_show(args: argparse.Namespace) -> int:
    from interviewkit.services import signing

    with _database(args) as db:
        me = signing.acting_person(db, _actor(args, db), "show a signing key")
    key = signing.load_private_key(me.email)
    if key is None:
        raise CliError(f"this machine has no signing key for {me.name} <{me.email}>: run 'interviewkit keys init'")
    public = signing.public_key_of(key)
    _out(f"Signing key of {me.name} <{me.email}>, kept in {signing.key_location(me.email)}")
    _out(f"Fingerprint: {signing.fingerprint(public)}")
    _out(f"Public key:  {public}")
    if me.public_key == public:
        _out("Registered in this database.")
    elif me.public_key is None:
        _out("Not registered in this database: 'interviewkit keys init' registers it.")
    else:
        _out(f"This database has another key registered for you (fingerprint {signing.fingerprint(me.public_key)}).")
    return EXIT_OK


def cmd_people_set_key(args: argparse.Namespace) -> int:
    from interviewkit.inputs import display_path
    from interviewkit.services import signing
    from interviewkit.services.exchange import public_key_from_file

    given = args.key.strip()
    signed_by = None
    if given.startswith("ed25519:"):
        key, source = given, "typed"
    else:
        key, signed_by = public_key_from_file(Path(given).expanduser())
        source = Path(given).name
    with _database(args) as db:
        reg = signing.set_person_key(db, args.person, key, reason=args.reason, by=_actor(args, db), source=source,
                                     signed_by=signed_by)
    who = f"{reg.person.name} <{reg.person.email}>"
    origin = "" if source == "typed" else f" (taken from {display_path(given)})"
    if reg.status == "unchanged":
        _out(f"{who} already has this key registered: fingerprint {signing.fingerprint(key)}. Nothing changed.")
    else:
        _out(f"{'Replaced' if reg.status == 'replaced' else 'Registered'} the signing key of {who}{origin}: "
             f"fingerprint {signing.fingerprint(key)}"
             + (f" (was {signing.fingerprint(reg.previous)})" if reg.previous else "") + ". Audited with your reason.")
    return EXIT_OK


# --- calibration -----------------------------------------------------------------------------------


def _iso_date(text: str | None, option: str) -> date | None:
    from datetime import date

    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CliError(f"{option} {text!r} is not a date (YYYY-MM-DD)") from None


def _fmt(value: float | None, spec: str = ".2f") -> str:
    return "-" if value is None else format(value, spec)


def _fmt_ci(ci: tuple[float, float] | None) -> str:
    return "" if ci is None else f"[{ci[0]:.2f}, {ci[1]:.2f}]"


def _print_agreement(report: CalibrationReport) -> None:
    blocks = [(a.competency or "", a) for a in report.competencies]
    if report.overall is not None:
        blocks.append(("overall", report.overall))
    width = max([len("competency"), len("overall")] + [len(name) for name, _ in blocks])
    _out(f"{'competency':{width}s}  ratings  cand.  int.  alpha int  alpha ord  ICC abs [95% CI]        band")
    for name, a in blocks:
        vc = a.variance
        icc = f"{_fmt(vc.icc_absolute)} {_fmt_ci(vc.icc_absolute_ci)}"
        _out(
            f"{name:{width}s}  {a.n_ratings:7d}  {a.n_candidates:5d}  {a.n_interviewers:4d}  "
            f"{_fmt(a.alpha):>9s}  {_fmt(a.alpha_ordinal):>9s}  {icc:22s}  {vc.band_absolute}"
        )
    _out(
        "ICC abs: agreement between two interviewers' scores of the same candidate (REML on every rating; "
        "leniency counts as disagreement). Band: Koo & Li, judged on the whole 95% interval."
    )
    where: dict[str, list[str]] = {}  # each note once, with the competencies it applies to
    for name, a in blocks:
        for note in a.notes:
            where.setdefault(note, []).append(name)
    if where:
        _out()
        _out("What could not be estimated, and how intervals were found where the usual way fails:")
        for note, names in where.items():
            _out(f"  {', '.join(names)}: {note}")


def _print_calibration(report: CalibrationReport, source: str) -> None:
    """``interviewkit calibrate``'s words: agreement per competency, flagged interviewers, connectivity."""
    _out(
        f"Calibration of {report.n_ratings} ratings from {source}: {report.n_candidates} candidates, "
        f"{report.n_interviewers} interviewers, {len(report.competencies)} competencies."
    )
    for note in report.input_notes:
        _out(note)
    _out()
    if not report.enough:
        _out(f"Not enough data for calibration. {report.why_not}")
        return
    _print_agreement(report)
    flagged = sorted(report.flagged, key=lambda r: (-abs(r.shrunk or 0.0), r.interviewer))
    margin = report.margin if math.isfinite(report.margin) else None
    _out()
    _out(
        f"Interviewer leniency on the overall score (flagged when n >= {report.min_ratings} and the 95% "
        f"interval of the shrunk effect lies beyond +-{_fmt(margin)}, a fifth of the candidates' SD):"
    )
    if not flagged:
        _out("  No interviewer is flagged.")
    for note in report.leniency_notes:
        _out(f"  {note}")
    for r in flagged:
        side = "more lenient" if (r.shrunk or 0.0) > 0 else "harsher"
        interval = (r.low, r.high) if r.low is not None and r.high is not None else None
        _out(
            f"  {r.interviewer}: n={r.n}, effect {_fmt(r.effect, '+.2f')} (se {_fmt(r.se)}), shrunk "
            f"{_fmt(r.shrunk, '+.2f')} {_fmt_ci(interval)}: {side} than colleagues on the same candidates"
        )
    if not report.connected:
        sizes = ", ".join(str(n) for n in report.group_sizes)
        _out()
        _out(
            f"The interviewers are not all connected: they form {report.n_groups} groups that share no "
            f"candidates (interviewers per group: {sizes}). Leniency is comparable only within a group."
        )
    _print_d_study(report)
    _print_validity(report)


def _print_validity(report: CalibrationReport) -> None:
    """Did the people we hired turn out as we scored them: each predictor's validity, in words."""
    v = report.validity
    if v is None:
        return
    _out()
    _out(f"Predictive validity: {v.n_hires} hires with a performance rating, {v.n_candidates} candidates scored.")
    _out(f"  {v.note}")
    for row in v.rows:
        _out(f"  {row.kind} {row.label}: {row.words}")


def _print_d_study(report: CalibrationReport) -> None:
    """How many interviewers a competency needs: the D-study's reliability for 1 to 5 interviewers."""
    curves = [a.d_study for a in report.competencies if a.d_study is not None]
    if not curves:
        return
    _out()
    _out("How many interviewers: the reliability of a competency's score from 1 to 5 interviewers (Phi, "
         "leniency counted as error; Brennan 2001):")
    width = max(len("competency"), *(len(c.competency) for c in curves))
    _out(f"  {'competency':{width}s}  " + "  ".join(f"{n:>4d}" for n in range(1, 6)))
    for c in curves:
        _out(f"  {c.competency:{width}s}  " + "  ".join(f"{_fmt(p.absolute):>4s}" for p in c.points))
    for c in curves:
        _out(f"  {c.words(1)}")


def _calibration_of_file(args: argparse.Namespace) -> CalibrationReport:
    """The report of ``--ratings FILE.csv``, checked against ``--scale`` with ``--duplicates``."""
    from interviewkit.services.calibration_csv import DEFAULT_SCALE, parse_scale, read_ratings_csv  # no database
    from interviewkit.services.calibration_report import calibration_of_ratings
    from interviewkit.services.errors import ValidationFailed

    try:
        levels = parse_scale(args.scale or DEFAULT_SCALE)
    except ValueError as exc:
        raise CliError(f"--scale: {exc}") from None
    try:
        found = read_ratings_csv(Path(args.ratings).expanduser(), scale=levels, duplicates=args.duplicates or "refuse")
        outcomes = None
        if args.outcomes:
            from interviewkit.services.validity import outcomes_from_csv  # imports the database's modules

            outcomes = outcomes_from_csv(Path(args.outcomes).expanduser())
    except ValidationFailed as exc:
        raise CliError(str(exc)) from None
    variant_of = None
    if outcomes is not None and any(r.question for r in found.ratings):
        from interviewkit.bank.loader import load_bank
        from interviewkit.bank.model import variant_heads

        variant_of = variant_heads(load_bank(_bank_dir(args)).questions)
    return calibration_of_ratings(
        found.ratings, scale=levels, input_notes=found.notes, outcomes=outcomes, variant_of=variant_of
    )


def cmd_calibrate(args: argparse.Namespace) -> int:
    from interviewkit.services.calibration_json import report_json
    from interviewkit.services.calibration_report import CalibrationFilters, calibration_report

    since, until = _iso_date(args.since, "--since"), _iso_date(args.until, "--until")
    if args.ratings:
        if args.opening is not None or since is not None or until is not None:
            raise CliError("--opening, --since and --until select ratings in the database; not with --ratings")
        report = _calibration_of_file(args)
        source = args.ratings
    else:
        from interviewkit.bank.loader import load_settings

        if args.scale is not None or args.duplicates is not None:
            raise CliError("--scale and --duplicates check a --ratings file; the database has the bank's scale")
        if args.outcomes is not None:
            raise CliError("--outcomes goes with --ratings: the database's outcomes (interviewkit outcomes import) "
                           "are included by themselves")
        settings = load_settings(_bank_dir(args))
        with _database(args) as db:
            filters = CalibrationFilters(opening_id=args.opening, since=since, until=until)
            report = calibration_report(db, settings, filters, viewer=_actor(args, db))  # with outcomes: validity
            source = db.describe()
    if not report.n_ratings:
        raise CliError(f"no ratings to calibrate in {source}" + ("" if args.ratings else " (submitted scorecards)"))
    if args.json:
        _json(report_json(report))
    else:
        _print_calibration(report, source)
    return EXIT_OK


def cmd_scorecards_import(args: argparse.Namespace) -> int:
    from interviewkit.bank.loader import load_settings
    from interviewkit.inputs import one_line
    from interviewkit.services.calibration import import_ratings_csv

    bank = _bank_dir(args)
    with _database(args) as db:
        actor = _actor(args, db)
        _ensure_bank(args, db)
        report = import_ratings_csv(db, Path(args.file).expanduser(), load_settings(bank), by=actor)
    if args.json:
        data = dict(report.__dict__)
        data["skipped_pairs"] = [list(p) for p in report.skipped_pairs]
        _json(data)
    else:
        _out(one_line(report.summary()))
    return EXIT_OK


# --- outcomes --------------------------------------------------------------------------------------


def cmd_outcomes_import(args: argparse.Namespace) -> int:
    from interviewkit.cli_outcomes import OutcomesInputError, import_file

    with _database(args) as db:
        try:
            return import_file(db, args.file, args.scale, by=_actor(args, db), as_json=args.json)
        except OutcomesInputError as exc:
            raise CliError(str(exc)) from None


def cmd_outcomes_list(args: argparse.Namespace) -> int:
    from interviewkit.cli_outcomes import print_list

    with _database(args) as db:
        return print_list(db, by=_actor(args, db), as_json=args.json, candidate=args.candidate)


# --- personal data ---------------------------------------------------------------------------------


class _Waiting:
    """A progress callback that says, on stderr, how long the command has waited (each whole second; on a
    terminal the line is rewritten in place); :meth:`done` ends the line."""

    def __init__(self, label: str) -> None:
        self.label = label
        self.shown = 0
        self.tty = sys.stderr.isatty()

    def __call__(self, seconds: float) -> None:
        if int(seconds) > self.shown:
            self.shown = int(seconds)
            start, end = ("\r", "") if self.tty else ("", "\n")
            sys.stderr.write(f"{start}{self.label}: {self.shown} s{end}")
            sys.stderr.flush()

    def done(self) -> None:
        if self.tty and self.shown:
            sys.stderr.write("\n")


def _waiting(label: str = "waiting for other copies to let go of the database") -> _Waiting:
    """A progress callback for the commands that wait for other copies of the app."""
    return _Waiting(label)


def _say_cleanup(cleanup: Any) -> None:
    """What became of the old copies of the erased text, in words (see privacy.Cleanup)."""
    if cleanup.backups_deleted:
        _out(f"Deleted the pre-migration backup{'s' if len(cleanup.backups_deleted) > 1 else ''} "
             f"{', '.join(cleanup.backups_deleted)} beside the database file: they held the erased data as it was.")
    if cleanup.rewritten:
        _out(f"Rewrote {', '.join(cleanup.rewritten)} (VACUUM FULL) and checkpointed: the old row versions are gone "
             "from the table files; the write-ahead log keeps them until PostgreSQL recycles its segments "
             "(docs/personal-data.md).")
    if cleanup.pending:
        _out(f"Note: {cleanup.pending}.")
    elif cleanup.compacted and not cleanup.rewritten:
        waited = f" after waiting {cleanup.waited:.0f} s for other copies to let go" if cleanup.waited >= 1 else ""
        _out(f"The database file was rebuilt and its log emptied{waited}: no erased text is left in it.")


def _wait_seconds(args: argparse.Namespace) -> float:
    if not 0 <= args.wait <= 3600:
        raise CliError(f"--wait {args.wait:g}: give seconds between 0 and 3600")
    return float(args.wait)


def cmd_erase(args: argparse.Namespace) -> int:
    from interviewkit.services import privacy
    from interviewkit.services.access import require
    from interviewkit.services.people import candidate

    wait = _wait_seconds(args)
    with _database(args) as db:
        actor = _actor(args, db)
        require(db, actor, "erase_data")
        who = candidate(db, args.candidate_id, by=actor)
        if who.erased:
            raise CliError(f"candidate {args.candidate_id}'s personal data was already erased")
        fields = privacy.erasure_preview(db, args.candidate_id, by=actor)
        _out(f"Erasing {who.name} (candidate {who.id}, {who.opening_title}) removes: {', '.join(fields)}.")
        _out("Ratings, recommendations and the decision's outcome stay, without the name.")
        if not _confirm("Erase this candidate's personal data? This cannot be undone.", args):
            _out("Nothing was changed.")
            return EXIT_OK
        progress = _waiting()
        report = privacy.erase_candidate(db, args.candidate_id, by=actor, reason=args.reason, wait=wait,
                                         progress=progress)
        progress.done()
    _out(f"Erased: {report.label}; {report.audit_redacted} audit entries redacted; an audit entry records the erasure.")
    _say_cleanup(report.cleanup)
    return EXIT_OK


def cmd_retention(args: argparse.Namespace) -> int:
    from interviewkit.services import privacy
    from interviewkit.services.access import require

    wait = _wait_seconds(args)
    with _database(args) as db:
        actor = _actor(args, db)
        require(db, actor, "run_retention")
        if args.days is not None and not args.dry_run:
            privacy.set_retention_days(db, args.days, by=actor)
        if args.backup_days is not None and not args.dry_run:
            privacy.set_backup_days(db, args.backup_days, by=actor)
        days = args.days if args.days is not None else privacy.retention_days(db)
        kept = args.backup_days if args.backup_days is not None else privacy.backup_days(db)
        due = privacy.due_for_retention(db, by=actor, days=days)
        if args.json:
            _json({"days": days, "backup_days": kept if db.is_sqlite else None, "dry_run": args.dry_run, "due": [
                {"candidate_id": d.candidate_id, "name": d.name, "opening": d.opening, "outcome": d.outcome,
                 "decided_at": d.decided_at.isoformat(), "fields": list(d.fields)} for d in due]})
        else:
            _out(f"Retention period: {days} days after the decision. {len(due)} candidate(s) due.")
            if db.is_sqlite:
                _out(f"Pre-migration backups of the database file are kept {kept} day{'s' if kept != 1 else ''} "
                     "after a successful upgrade.")
            for d in due:
                _out(f"  {d.candidate_id:5d}  {d.name}  ({d.opening}; {d.outcome}, decided {d.decided_at:%Y-%m-%d})")
                _out(f"         removes: {', '.join(d.fields)}")
        if args.dry_run or not due:
            return EXIT_OK
        if not _confirm(f"Erase the personal data of {len(due)} candidate(s)? This cannot be undone.", args):
            _out("Nothing was erased.")
            return EXIT_OK
        progress = _waiting()
        reports = privacy.apply_retention(db, by=actor, days=days, wait=wait, progress=progress).reports
        progress.done()
    if not args.json:
        _out(f"Erased {len(reports)} candidate(s).")
        if reports:
            _say_cleanup(reports[0].cleanup)
    return EXIT_OK


# --- export (PDF) ----------------------------------------------------------------------------------


def _prepare_qt() -> None:
    """PDFs are printed with Qt, which needs a platform plugin: offscreen unless the user chose one."""
    import os

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def _export_pdf(args: argparse.Namespace, run: Callable[..., Any]) -> int:
    """Open the database, run one PDF export, and report it in one line."""
    from interviewkit.bank.loader import load_settings

    _prepare_qt()
    settings = load_settings(_bank_dir(args))
    with _database(args) as db:
        result = run(db, settings)
    _out(f"Wrote {result.path} ({result.pages} page{'s' if result.pages != 1 else ''}, {args.page_size}).")
    if result.note:
        _out(f"Note: {result.note}")
    if result.warning:  # e.g. names in a script no installed font has: one line, the file is still written
        sys.stderr.write(f"interviewkit: warning: {result.warning}\n")
    return EXIT_OK


def cmd_export_scorecard(args: argparse.Namespace) -> int:
    from interviewkit.pdf.exports import export_scorecard_pdf

    return _export_pdf(args, lambda db, settings: export_scorecard_pdf(
        db, args.scorecard_id, args.output, settings=settings, viewer_id=_actor(args, db), page_size=args.page_size,
        hide_names=args.hide_names,
    ))


def cmd_export_debrief(args: argparse.Namespace) -> int:
    from interviewkit.pdf.exports import export_debrief_pdf

    return _export_pdf(args, lambda db, settings: export_debrief_pdf(
        db, args.candidate_id, args.output, settings=settings, viewer_id=_actor(args, db),
        page_size=args.page_size, hide_names=args.hide_names,
    ))


def cmd_export_kit(args: argparse.Namespace) -> int:
    from interviewkit.pdf.exports import export_kit_pdf

    return _export_pdf(args, lambda db, settings: export_kit_pdf(
        db, args.stage_id, args.output, settings=settings, by=_actor(args, db), page_size=args.page_size,
        hide_names=args.hide_names,
    ))


def cmd_export_calibration(args: argparse.Namespace) -> int:
    from interviewkit.pdf.exports import export_calibration_pdf
    from interviewkit.services.calibration_report import CalibrationFilters

    since, until = _iso_date(args.since, "--since"), _iso_date(args.until, "--until")
    filters = CalibrationFilters(opening_id=args.opening, since=since, until=until, competency=args.competency)
    return _export_pdf(args, lambda db, settings: export_calibration_pdf(
        db, args.output, settings=settings, filters=filters, page_size=args.page_size, hide_names=args.hide_names,
        viewer=_actor(args, db),
    ))


# --- db --------------------------------------------------------------------------------------------


def cmd_db_copy(args: argparse.Namespace) -> int:
    from interviewkit.services.database import copy
    from interviewkit.services.errors import ServiceError
    from interviewkit.storage.db import DatabaseError

    try:
        report = copy(_signed_in(args.source), _signed_in(args.target), named=args.acting_as,
                      progress=_progress("db copy"))
    except (DatabaseError, ServiceError) as exc:
        raise CliError(str(exc)) from None
    if args.json:
        _json({"source": report.source, "target": report.target, "revision": report.revision, "ok": report.ok,
               "rows": report.rows, "indexed_questions": report.indexed_questions,
               "tables": [{"table": t.name, "source_rows": t.source_rows, "target_rows": t.target_rows,
                           "source_sha256": t.source_sha256, "target_sha256": t.target_sha256, "ok": t.ok}
                          for t in report.tables]})
        return EXIT_OK if report.ok else EXIT_PROBLEMS
    _out(f"Copied {report.source} to {report.target} (schema {report.revision}): {report.rows} rows in "
         f"{len(report.tables)} tables; search index rebuilt for {report.indexed_questions} questions.")
    width = max(len(t.name) for t in report.tables)
    _out(f"{'table':<{width}}  {'rows':>7}  sha256 of the rows (source = target)")
    for t in report.tables:
        mark = t.source_sha256[:16] if t.ok else (
            f"MISMATCH: {t.source_rows} rows {t.source_sha256[:16]} in the source, "
            f"{t.target_rows} rows {t.target_sha256[:16]} in the target")
        _out(f"{t.name:<{width}}  {t.target_rows:>7}  {mark}")
    if report.ok:
        _out("Verified: every table has the same number of rows and the same content in both databases.")
        return EXIT_OK
    sys.stderr.write("interviewkit: error: the copy differs from the source in the tables marked MISMATCH\n")
    return EXIT_PROBLEMS


def cmd_db_init_team(args: argparse.Namespace) -> int:
    from interviewkit.services.team import init_team

    logins: dict[str, str] = {}
    for item in args.login or []:
        email, sep, login = item.partition("=")
        if not sep or not email.strip() or not login.strip():
            raise CliError(f"--login {item!r}: give EMAIL=LOGIN (the person's email in the directory, their login)")
        logins[email.strip()] = login.strip()
    with _database(args) as db:
        if db.is_sqlite:
            raise CliError("db init-team sets up a PostgreSQL team database; an SQLite file has no logins")
        report = init_team(db, by=_actor(args, db), logins=logins)
    _out(f"Team roles of {report.database} are set up"
         + (f" (created: {', '.join(report.roles_created)})" if report.roles_created else "") + ".")
    for name, login, granted in report.logins:
        _out(f"  {login:20s} {name}: {granted}")
    for login in report.owners_revoked:
        _out(f"  {login} is no longer a member of the owner roles (it was: the old setup made every login the owner)")
    if not report.logins:
        _out("No person has a database login yet: map them with --login EMAIL=LOGIN or 'interviewkit db set-login'.")
    return EXIT_OK


def cmd_db_upgrade(args: argparse.Namespace) -> int:
    from interviewkit.services.database import upgrade

    with _database(args) as db:
        revision = upgrade(db, by=_actor(args, db))
        where = db.describe()
    _out(f"{where} is at schema {revision}, the newest this InterviewKit knows.")
    return EXIT_OK


def cmd_db_set_login(args: argparse.Namespace) -> int:
    from interviewkit.services.errors import NotFound
    from interviewkit.services.identity import resolve_person
    from interviewkit.services.team import set_db_login

    with _database(args) as db:
        try:
            person = resolve_person(db, args.person)
        except NotFound as exc:
            raise CliError(str(exc)) from None
        login = set_db_login(db, person, None if args.none else args.login, by=_actor(args, db))
    _out(f"{args.person} signs in as '{login}'." if login else f"{args.person} has no database login any more.")
    return EXIT_OK


def cmd_db_maintain(args: argparse.Namespace) -> int:
    from interviewkit.services import privacy
    from interviewkit.services.errors import ServiceError

    wait = _wait_seconds(args)
    with _database(args) as db:
        progress = _waiting()
        try:
            done = privacy.maintain(db, wait=wait, progress=progress)
        except ServiceError as exc:
            raise CliError(str(exc)) from None
        finally:
            progress.done()
        where = db.describe()
    if db.is_sqlite:
        compaction = done.compaction
        if compaction is not None and compaction.done:
            _out(f"Rebuilt {where} and emptied its log: no erased text is left in the file or its -wal.")
            return EXIT_OK
        since = compaction.pending_since if compaction is not None else None
        _out(f"Note: {privacy.pending_words(db, since) if since else 'another copy kept the file busy'}.")
        return EXIT_PROBLEMS
    if not done.pending_before:
        _out(f"Nothing to rewrite in {where}: no erasure is waiting for it.")
        return EXIT_OK
    when = f" (pending since {done.since:%Y-%m-%d %H:%M} UTC)" if done.since else ""
    _out(f"Rewrote {', '.join(done.rewritten) or 'nothing'} with VACUUM FULL{when}: the erased text's old row "
         "versions are gone from these tables' files.")
    _out("Checkpointed." if done.checkpointed else
         "Not checkpointed: CHECKPOINT needs a superuser (or pg_checkpoint); the next automatic checkpoint "
         "(checkpoint_timeout) writes the rest.")
    _out("The write-ahead log (pg_wal), WAL archives, replicas and backups keep old versions until they are "
         "recycled or expire: see docs/personal-data.md.")
    for table, why in done.skipped:
        _out(f"Not rewritten: {table}: {why}.")
    return EXIT_OK if not done.skipped else EXIT_PROBLEMS


# --- parser ----------------------------------------------------------------------------------------


class _Parser(argparse.ArgumentParser):
    """argparse, with a usage error in one line (what is wrong, and where the help is), exit code 2."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_BAD_INPUT, f"interviewkit: error: {message} (see '{self.prog} --help')\n")


def _global_options(parser: argparse.ArgumentParser, *, suppress: bool) -> None:
    default = argparse.SUPPRESS if suppress else None
    parser.add_argument(
        "--as", dest="acting_as", metavar="EMAIL_OR_ID", default=default,
        help="act as this person (email or person id), with their role's rights. On an SQLite file the default "
        "is the file's local operator; on a team database you are the person of your database login",
    )
    parser.add_argument(
        "--db",
        metavar="URL_OR_PATH",
        default=default,
        help=f"the database: an SQLite file or an SQLAlchemy URL (default: ${DB_ENV}, else a file in your data folder)",
    )
    parser.add_argument(
        "--bank",
        metavar="DIR",
        default=default,
        help="the question-bank folder (default: the bank shipped with the app)",
    )


_Handler = Callable[[argparse.Namespace], int]
_Add = Callable[[Any, str, _Handler, str], argparse.ArgumentParser]


def _command_adder(common: argparse.ArgumentParser) -> _Add:
    """``add(parent, name, handler, help_)``: a command that takes the global options and runs ``handler``."""

    def add(parent: Any, name: str, handler: _Handler, help_: str) -> argparse.ArgumentParser:
        p: argparse.ArgumentParser = parent.add_parser(name, parents=[common], help=help_, description=help_)
        p.set_defaults(handler=handler)
        return p

    return add


def _add_bank_commands(sub: Any, add: _Add) -> None:
    """bank check, coverage, sync."""
    bank = sub.add_parser("bank", help="check, sync and report on the question bank")
    bank_sub = bank.add_subparsers(dest="bank_command", metavar="COMMAND", required=True)
    p = add(bank_sub, "check", cmd_bank_check, "validate the whole bank; exit 1 when there are errors")
    p.add_argument("--json", action="store_true", help="print the problems as JSON")
    p = add(bank_sub, "coverage", cmd_bank_coverage, "list each requirement with the questions that cover it")
    p.add_argument("--json", action="store_true", help="print one entry per requirement as JSON")
    p.add_argument("--jd", metavar="JD_ID", help="only this job description")
    p.add_argument("-v", "--verbose", action="store_true", help="list the question ids under each requirement")
    p = add(bank_sub, "sync", cmd_bank_sync, "load the bank's files into the database (new, changed, retired)")
    p.add_argument("--force", action="store_true", help="parse every file even if none changed")
    p.add_argument("--json", action="store_true", help="print what changed as JSON")


def _add_jd_commands(sub: Any, add: _Add) -> None:
    """jd import, list, suggest."""
    jd = sub.add_parser("jd", help="import job descriptions and map them onto the bank")
    jd_sub = jd.add_subparsers(dest="jd_command", metavar="COMMAND", required=True)
    p = add(
        jd_sub, "import", cmd_jd_import,
        "extract the requirements of a job description (Markdown, text, web page, PDF or Word .docx) and store it",
    )
    p.add_argument("file", metavar="FILE")
    p.add_argument("--dry-run", action="store_true", help="show what would be imported; write nothing")
    p.add_argument("--json", action="store_true", help="print the document and its requirements as JSON")
    p.add_argument("--id", metavar="DOC_ID", help="the document id (default: from the file name)")
    p.add_argument(
        "--replace", action="store_true",
        help="store the file as a new version of the document already in the database (same id or same text)",
    )
    p.add_argument("--suggest", action="store_true", help="list the bank questions that fit each requirement")
    p = add(jd_sub, "list", cmd_jd_list, "list the job descriptions in the database")
    p.add_argument("--json", action="store_true")
    p = add(jd_sub, "suggest", cmd_jd_suggest, "propose bank questions for each requirement of a job description")
    p.add_argument("jd_id", metavar="JD_ID")
    p.add_argument("--json", action="store_true")
    p.add_argument("--limit", type=int, default=3, help="questions per requirement (default 3)")


def _add_data_commands(sub: Any, add: _Add) -> None:
    """demo, erase, retention: the top-level commands that fill or empty the database."""
    p = add(sub, "demo", cmd_demo, "fill an empty database with a sample opening, candidates, loops and scorecards")
    p.add_argument("--size", choices=("small", "large"), default="small",
                   help="small: a few candidates to look around (default); large: three years of a 400-person team, "
                        "300,000 scorecards (minutes; an empty database only)")
    p = add(sub, "erase", cmd_erase,
            "erase a candidate's personal data everywhere (ratings stay for calibration); admins only")
    p.add_argument("candidate_id", type=int, metavar="CANDIDATE_ID")
    p.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    p.add_argument("--reason", default="Erasure requested by the candidate", help="why, for the audit trail")
    p.add_argument("--wait", type=float, default=30, metavar="SECONDS",
                   help="how long to wait for other copies of the app to let go of an SQLite file before the "
                   "erased text's removal from its log is left to the next command or app start (default 30)")
    p = add(sub, "retention", cmd_retention,
            "erase the personal data of candidates decided longer ago than the retention period; admins only")
    p.add_argument("--days", type=int, metavar="N", help="set the retention period to N days (default 365)")
    p.add_argument("--dry-run", action="store_true", help="list who is due and what would go; change nothing")
    p.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    p.add_argument("--json", action="store_true", help="print who is due as JSON")
    p.add_argument("--backup-days", type=int, metavar="N",
                   help="keep the pre-migration backups of an SQLite database N days after a successful upgrade "
                   "(default 7; 0 deletes them at the next opening)")
    p.add_argument("--wait", type=float, default=30, metavar="SECONDS",
                   help="how long to wait for other copies of the app to let go of an SQLite file (default 30)")


def _add_list_command(sub: Any, add: _Add) -> None:
    """list openings|candidates|stages|scorecards|people."""
    p = add(sub, "list", cmd_list, "list the openings, candidates, stages, scorecards or people you may see, "
            "with the ids the other commands take")
    p.add_argument("what", choices=["openings", "candidates", "stages", "scorecards", "people"], metavar="WHAT",
                   help="openings, candidates, stages, scorecards or people")
    p.add_argument("--opening", type=int, metavar="ID", help="candidates: only this opening's")
    p.add_argument("--candidate", type=int, metavar="ID", help="stages, scorecards: only this candidate's")
    p.add_argument("--json", action="store_true", help="print the list as JSON")


def _add_scorecards_commands(sub: Any, add: _Add) -> None:
    """scorecards export, import-files, import, resign."""
    sc = sub.add_parser("scorecards", help="move submitted scorecards between machines")
    sc_sub = sc.add_subparsers(dest="scorecards_command", metavar="COMMAND", required=True)
    p = add(sc_sub, "export", cmd_scorecards_export,
            "write a submitted scorecard to one JSON file, signed with its interviewer's key (see 'keys init')")
    p.add_argument("scorecard_id", type=int, metavar="ID")
    p.add_argument("-o", "--output", required=True, metavar="FILE")
    p = add(
        sc_sub,
        "import-files",
        cmd_scorecards_import_files,
        "import signed scorecard files from other machines; each file all or nothing, once; exit 1 if any is refused",
    )
    p.add_argument("files", nargs="+", metavar="FILE")
    p.add_argument("--json", action="store_true")
    p = add(sc_sub, "import", cmd_scorecards_import,
            "load historical ratings from a CSV (candidate,interviewer,competency,score[,date]); all or nothing, once")
    p.add_argument("file", metavar="FILE.csv")
    p.add_argument("--json", action="store_true", help="print what was imported as JSON")
    p = add(sc_sub, "resign", cmd_scorecards_resign,
            "admins: sign a scorecard file with your own key, on purpose (an unsigned version-1 file, a lost key); "
            "the file and the audit trail keep your name and reason")
    p.add_argument("file", metavar="FILE")
    p.add_argument("-o", "--output", required=True, metavar="NEW_FILE")
    p.add_argument("--reason", required=True, help="why you re-sign it (kept in the file and the audit trail)")


def _add_keys_commands(sub: Any, add: _Add) -> None:
    """keys init, show."""
    keys = sub.add_parser("keys", help="your signing key, which signs the scorecard files you export")
    keys_sub = keys.add_subparsers(dest="keys_command", metavar="COMMAND", required=True)
    add(keys_sub, "init", cmd_keys_init,
        "make your signing key on this machine if there is none, and register its public half in the database "
        "when none is registered for you")
    add(keys_sub, "show", cmd_keys_show, "print your key's fingerprint and public key (to read out to an admin)")


def _add_people_commands(sub: Any, add: _Add) -> None:
    """people set-key."""
    people_cmd = sub.add_parser("people", help="the directory of people")
    people_sub = people_cmd.add_subparsers(dest="people_command", metavar="COMMAND", required=True)
    p = add(people_sub, "set-key", cmd_people_set_key,
            "admins: register someone's public signing key after checking its fingerprint with them (audited)")
    p.add_argument("person", metavar="EMAIL", help="the person (email or person id)")
    p.add_argument("key", metavar="KEY_OR_FILE",
                   help="the public key (ed25519:...), or a scorecard file they signed, to take its key from")
    p.add_argument("--reason", required=True, help="why, e.g. 'fingerprint checked by phone' (audited)")


def _add_outcomes_commands(sub: Any, add: _Add) -> None:
    """outcomes import, list."""
    out = sub.add_parser("outcomes", help="outcomes of hires (performance reviews), for the interview's validity")
    out_sub = out.add_subparsers(dest="outcomes_command", metavar="COMMAND", required=True)
    p = add(out_sub, "import", cmd_outcomes_import,
            "admins and the opening's hiring manager: record hires' reviews from a CSV "
            "(candidate,date,performance[,left,regretted,promoted]; candidate: id or email); all or nothing")
    p.add_argument("file", metavar="FILE.csv")
    p.add_argument("--scale", metavar="LOW-HIGH", help="the performance ratings' scale (default 1-5)")
    p.add_argument("--json", action="store_true", help="print what was imported as JSON")
    p = add(out_sub, "list", cmd_outcomes_list, "the outcomes you may read (admins and hiring managers)")
    p.add_argument("--candidate", type=int, metavar="ID", help="only this candidate's")
    p.add_argument("--json", action="store_true")


def _add_calibrate_command(sub: Any, add: _Add) -> None:
    """calibrate."""
    p = add(sub, "calibrate", cmd_calibrate,
            "interviewer calibration: agreement (Krippendorff's alpha, ICCs), variance components, leniency")
    p.add_argument("--ratings", metavar="FILE.csv",
                   help="read ratings from a CSV (candidate,interviewer,competency,score) instead of the database")
    p.add_argument("--opening", type=int, metavar="ID", help="only this opening's candidates (database)")
    p.add_argument("--since", metavar="DATE", help="only interviews on or after this day, YYYY-MM-DD (database)")
    p.add_argument("--until", metavar="DATE", help="only interviews on or before this day, YYYY-MM-DD (database)")
    p.add_argument("--scale", metavar="MIN-MAX",
                   help="the --ratings file's scale: every score a whole number in it (default 1-4, the bank's)")
    p.add_argument("--duplicates", choices=["refuse", "report"],
                   help="a --ratings row that repeats a candidate, interviewer and competency: refuse the file "
                        "(default), or keep repeats as two stages' ratings and report them")
    p.add_argument("--outcomes", metavar="FILE.csv",
                   help="with --ratings: hires' outcomes (candidate,date,performance[,left,regretted,promoted]) "
                        "for the interview's predictive validity")
    p.add_argument("--json", action="store_true", help="print the whole report as JSON")


def _pdf_options(p: argparse.ArgumentParser) -> None:
    """The options every PDF export takes: the file, the paper size, names hidden."""
    p.add_argument("-o", "--output", metavar="FILE", required=True, help="the PDF file to write")
    p.add_argument("--page-size", choices=["A4", "Letter"], default="A4", help="paper size (default A4)")
    p.add_argument("--hide-names", action="store_true",
                   help="replace interviewer names with 'Interviewer A, B, ...' throughout")


def _add_export_commands(sub: Any, add: _Add) -> None:
    """export scorecard, debrief, kit, calibration (PDFs)."""
    export = sub.add_parser(
        "export", help="print a scorecard, a debrief packet, an interview kit or the calibration report as a PDF"
    )
    export_sub = export.add_subparsers(dest="export_command", metavar="COMMAND", required=True)
    p = add(
        export_sub, "scorecard", cmd_export_scorecard, "a scorecard: ratings with rubric anchors, notes, recommendation"
    )
    p.add_argument("scorecard_id", metavar="ID", type=int)
    _pdf_options(p)
    p = add(export_sub, "debrief", cmd_export_debrief,
            "a candidate's debrief packet: grid, disagreements, coverage, decision and every scorecard")
    p.add_argument("candidate_id", metavar="CANDIDATE_ID", type=int)
    _pdf_options(p)
    p = add(export_sub, "kit", cmd_export_kit,
            "the interview kit of a stage: questions, probes, rubric, red flags and space for notes")
    p.add_argument("stage_id", metavar="STAGE_ID", type=int)
    _pdf_options(p)
    p = add(export_sub, "calibration", cmd_export_calibration,
            "the calibration report: leniency, agreement per competency, distributions, drift, question analytics")
    _pdf_options(p)
    p.add_argument("--opening", type=int, metavar="ID", help="only this opening's candidates")
    p.add_argument("--since", metavar="DATE", help="only interviews on or after this day, YYYY-MM-DD")
    p.add_argument("--until", metavar="DATE", help="only interviews on or before this day, YYYY-MM-DD")
    p.add_argument("--competency", metavar="ID", help="only this competency's ratings")


def _add_db_commands(sub: Any, add: _Add) -> None:
    """db copy, init-team, upgrade, set-login, maintain."""
    dbp = sub.add_parser("db", help="database administration: copy a whole database to another (SQLite, PostgreSQL)")
    db_sub = dbp.add_subparsers(dest="db_command", metavar="COMMAND", required=True)
    p = add(db_sub, "copy", cmd_db_copy,
            "copy every row into a new or empty database (SQLite <-> PostgreSQL), then verify counts and hashes")
    p.add_argument("--from", dest="source", required=True, metavar="URL_OR_PATH", help="the database to copy")
    p.add_argument("--to", dest="target", required=True, metavar="URL_OR_PATH",
                   help="a new or empty database (created and migrated to the source's schema)")
    p.add_argument("--json", action="store_true", help="print the counts and hashes per table as JSON")
    p = add(db_sub, "init-team", cmd_db_init_team,
            "PostgreSQL: create the team roles, hand the tables to their owner roles, grant each role what it may do "
            "(run by the database administrator)")
    p.add_argument("--login", action="append", metavar="EMAIL=LOGIN",
                   help="this person of the directory signs in with this PostgreSQL login (repeatable)")
    add(
        db_sub,
        "upgrade",
        cmd_db_upgrade,
        "migrate the database to this InterviewKit's schema (the administrator's login)",
    )
    p = add(db_sub, "set-login", cmd_db_set_login,
            "record the PostgreSQL login a person signs in with (admins; the login gets the person's role)")
    p.add_argument("person", metavar="EMAIL_OR_ID")
    group = p.add_mutually_exclusive_group(required=True)
    group.add_argument("login", metavar="LOGIN", nargs="?")
    group.add_argument("--none", action="store_true", help="remove the person's login")
    p = add(db_sub, "maintain", cmd_db_maintain,
            "remove the old copies of erased text the database keeps: PostgreSQL rewrites the tables erasures left "
            "(VACUUM FULL, then CHECKPOINT; the owner's or a superuser's login); SQLite rebuilds the file and "
            "empties its log")
    p.add_argument("--wait", type=float, default=30, metavar="SECONDS",
                   help="SQLite: how long to wait for other copies of the app to let go of the file (default 30)")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="interviewkit",
        description="Structured hiring interviews: question bank, live interviews, debriefs, calibration. "
        "With no command, opens the desktop app.",
    )
    parser.add_argument("--version", action="version", version=f"InterviewKit {__version__}")
    _global_options(parser, suppress=False)
    common = argparse.ArgumentParser(add_help=False)
    _global_options(common, suppress=True)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    add = _command_adder(common)
    # In this order: it is the order of the commands in --help.
    _add_bank_commands(sub, add)
    _add_jd_commands(sub, add)
    _add_data_commands(sub, add)
    _add_list_command(sub, add)
    _add_scorecards_commands(sub, add)
    _add_keys_commands(sub, add)
    _add_people_commands(sub, add)
    _add_calibrate_command(sub, add)
    _add_outcomes_commands(sub, add)
    _add_export_commands(sub, add)
    _add_db_commands(sub, add)
    return parser


QUIET_START = 2.0  # seconds a command runs before the cyclic collector starts (_QuietStart)


class _QuietStart:
    """The cyclic collector of a command: off for its first ``seconds``, then on with large generations.

    A command's first second is mostly imports (SQLAlchemy and the table classes, Qt, numpy): about a million
    objects that live until the process ends, and next to no cyclic garbage. Each automatic collection walks
    the young ones: at generations of (50,000, 20, 100) still 15-20 collections a command, 0.03-0.06 s of CPU
    spent finding nothing. So a command starts with automatic collection off; one still running after
    ``seconds`` freezes what exists by then (never walked again: at most those seconds' cycles are never freed)
    and collects at (50,000, 20, 100) from there on. At Python's default (700, 10, 10) the collector ran
    200-250 times a command. :meth:`end` gives the caller of main() (a test, a script) its collector back as
    it was: enabled or not, its thresholds, nothing frozen, and what the command made in the oldest generation.
    """

    def __init__(self, seconds: float) -> None:
        import gc
        import threading

        self._was_enabled = gc.isenabled()
        self._thresholds = gc.get_threshold()
        self._lock = threading.Lock()
        self._started = self._ended = False
        gc.set_threshold(50_000, 20, 100)
        gc.disable()
        self._timer = threading.Timer(seconds, self.start_collecting)
        self._timer.daemon = True
        self._timer.start()

    def start_collecting(self) -> None:
        """Freeze what exists and turn automatic collection on (the timer's thread, or a test)."""
        import gc

        with self._lock:
            if self._ended or self._started:
                return
            gc.freeze()
            self._started = True
            gc.enable()

    def end(self) -> None:
        import gc

        self._timer.cancel()
        with self._lock:
            self._ended = True
            # Everything the command made goes to the oldest generation: left young, the caller's next
            # collection (or the one at exit) would walk all of it at once, 0.03-0.05 s.
            gc.freeze()
            gc.unfreeze()
            gc.set_threshold(*self._thresholds)
            if self._was_enabled:
                gc.enable()
            else:
                gc.disable()


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    for name in ("db", "bank", "acting_as"):
        if not hasattr(args, name):
            setattr(args, name, None)
    if args.command is None:
        from interviewkit.ui.shell.app import run_app

        return run_app(db=args.db, bank=args.bank)
    import os  # before numpy loads: OpenBLAS threads on small matrices only contend (docs/performance.md)

    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    quiet = _QuietStart(QUIET_START)
    try:
        return int(args.handler(args))
    except CliError as exc:
        sys.stderr.write(f"interviewkit: error: {exc}\n")
        return exc.code
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader went away (e.g. "| head"): stop quietly, as Unix tools do.
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    finally:
        quiet.end()


def gui_main() -> int:
    """Entry point of the GUI launcher (no console window on Windows)."""
    return main([])
