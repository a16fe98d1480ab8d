"""Scorecard exchange between machines: one submitted scorecard as one signed JSON file.

Interviewers often work on their own laptops; the debrief lead imports their files. A file (schema
version 2, described by ``schemas/scorecard-exchange-v2.json`` and docs/exchange-files.md) carries the
scorecard and an Ed25519 signature by its interviewer (:mod:`interviewkit.services.signing`), so that:

* a file imports only when signed by the interviewer it names, with the key registered for that person in
  the importing database; a file edited after export, or signed by anyone else, is refused, and so is a
  file whose interviewer has no key registered here (the message says how an admin registers it);
* an admin may re-sign a file on purpose (:func:`resign_file`): the file then names who re-signed it and
  why, and its import is audited with that reason;
* nothing is written before the whole file has passed: read through :mod:`interviewkit.inputs` (a regular
  file of at most 2 MB), parsed with limits (nesting depth, integers, no NaN or Infinity, no key twice),
  checked against the JSON Schema, then against the bank (scores on its scale, recommendations from its
  list, each competency once, times with a time zone). Every refusal is one line naming the problem and
  where in the file it is (a JSON path);
* importing the same file twice, or by two processes at once, writes it once (an import receipt keyed by
  the content's hash, in the same transaction as the data, one import at a time per opening:
  :mod:`interviewkit.services.import_receipts`);
* a file for a candidate, stage, interviewer or question version this database does not know is
  explained and not half-imported (each file is one transaction).

Things are matched by what both machines share: the opening's title, the candidate's email (or name),
the stage's position and name, the interviewer's email, and each question's id and content hash.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import func, select
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlmodel import Session, col

from interviewkit import __version__
from interviewkit.bank.model import BankSettings
from interviewkit.inputs import (
    InputError,
    decode_text,
    display_path,
    one_line,
    read_bytes,
)
from interviewkit.services import audit, policy, signing
from interviewkit.services.access import Actor, require
from interviewkit.services.changes import NO_CHANGES, Changes
from interviewkit.services.errors import NotFound, ValidationFailed
from interviewkit.services.import_receipts import (
    add_receipt,
    find_receipt,
    import_transaction,
)
from interviewkit.storage.db import Database, retry_transient
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
    id_of,
    utcnow,
)

if TYPE_CHECKING:
    from jsonschema import Draft202012Validator

__all__ = [
    "FORMAT",
    "MAX_FILE_BYTES",
    "SCHEMA_VERSION",
    "ImportResult",
    "ResignResult",
    "export_scorecard",
    "import_files",
    "import_scorecard",
    "public_key_from_file",
    "resign_file",
    "schema",
    "sign_document",
    "write_export",
]

FORMAT = "interviewkit-scorecard"
SCHEMA_VERSION = 2
SCHEMA_FILE = "scorecard-exchange-v2.json"
MAX_FILE_BYTES = 2 * 1024 * 1024  # a real file is a few KB; 2 MB holds notes the length of a book
MAX_DEPTH = 16  # the format nests 5 deep
MAX_INTEGER = 2**53  # the largest integer every JSON reader keeps exactly
_KIND = "scorecard file"
_RESIGN_HINT = "an admin may re-sign it on purpose: interviewkit scorecards resign FILE -o NEW_FILE --reason '...'"


@dataclass(frozen=True)
class ImportResult:
    """What happened to one file."""

    path: str
    status: str  # "imported", "unchanged" or "refused"
    message: str
    scorecard_id: int | None = None

    @property
    def changes(self) -> Changes:
        """The scorecard written, when the file was imported."""
        imported = self.status == "imported" and self.scorecard_id is not None
        return Changes.of(scorecards=[self.scorecard_id]) if imported and self.scorecard_id else NO_CHANGES


@dataclass(frozen=True)
class ResignResult:
    """A file re-signed by an admin: where it was written, what the original's check found."""

    path: Path
    original_check: str
    signer: str


class _Refused(Exception):
    pass


def _canonical(data: Any) -> bytes:
    """The bytes that are hashed and signed: JSON with sorted keys, no whitespace, UTF-8."""
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode("utf-8")


def _hash(data: Any) -> str:
    return hashlib.sha256(_canonical(data)).hexdigest()


def _short(value: Any, limit: int = 60) -> str:
    """A value from a file, shown in a message: one line, cut short."""
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)
    text = one_line(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def _iso(value: datetime | None) -> str | None:
    return _aware(value).isoformat() if value is not None else None


# --- the schema and reading a file -----------------------------------------------------------------------


@lru_cache(maxsize=1)
def schema() -> dict[str, Any]:
    """The JSON Schema (Draft 2020-12) of a version-2 exchange file, as shipped in the package."""
    text = (resources.files("interviewkit.services") / "schemas" / SCHEMA_FILE).read_text(encoding="utf-8")
    loaded: dict[str, Any] = json.loads(text)
    return loaded


@lru_cache(maxsize=1)
def _validator() -> Draft202012Validator:
    from jsonschema import Draft202012Validator

    return Draft202012Validator(schema())


_STRINGS = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)
_BRACKETS = re.compile(r"[\[\]{}]")


def _depth(text: str) -> int:
    """How deep the arrays and objects of a JSON text nest (strings left out), without parsing it."""
    depth = most = 0
    for m in _BRACKETS.finditer(_STRINGS.sub("", text)):
        depth += 1 if m.group() in "[{" else -1
        most = max(most, depth)
    return most


def _no_constant(name: str) -> Any:
    raise _Refused(f"{name} is not a number a scorecard file may hold (not JSON)")


def _integer(text: str) -> int:
    if len(text) > 17 or abs(int(text)) > MAX_INTEGER:
        raise _Refused(f"the integer {_short(text, 24)} is too large (at most {MAX_INTEGER})")
    return int(text)


def _number(text: str) -> float:
    value = float(text)
    if value in (float("inf"), float("-inf")):
        raise _Refused(f"the number {_short(text, 24)} is too large")
    return value


def _object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise _Refused(f"the field '{_short(key, 40)}' appears twice in one object")
        out[key] = value
    return out


def _json_path(parts: Iterable[Any]) -> str:
    out = "$"
    for p in parts:
        if isinstance(p, int):
            out += f"[{p}]"
        elif re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", str(p)):
            out += f".{p}"
        else:
            out += f"[{json.dumps(_short(str(p), 40), ensure_ascii=False)}]"
    return out


def _check_text(value: Any, where: tuple[Any, ...] = ()) -> None:
    """Text that a database can hold: no NUL character, no lone surrogate (not Unicode)."""
    if isinstance(value, str):
        if "\x00" in value:
            raise _Refused(f"{_json_path(where)}: holds a NUL character")
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise _Refused(f"{_json_path(where)}: holds text that is not Unicode (a lone surrogate)") from None
    elif isinstance(value, dict):
        for k, v in value.items():
            _check_text(k, where)
            _check_text(v, (*where, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            _check_text(v, (*where, i))


def _parse(data: bytes, path: Path) -> Any:
    """A file's bytes as JSON, within the limits; raises _Refused with the problem."""
    try:
        text = decode_text(data, path, kind=_KIND)
    except InputError as exc:
        raise _Refused(exc.reason) from None
    if not text.lstrip().startswith("{"):
        raise _Refused("not an InterviewKit scorecard file (it is not a JSON object)")
    if _depth(text) > MAX_DEPTH:
        raise _Refused(f"not an InterviewKit scorecard file (its JSON nests deeper than {MAX_DEPTH} levels)")
    try:
        doc = json.loads(text, parse_constant=_no_constant, parse_int=_integer, parse_float=_number,
                         object_pairs_hook=_object)
    except json.JSONDecodeError as exc:
        what = exc.msg.removesuffix(" at")  # "Unterminated string starting at"
        raise _Refused(
            f"not an InterviewKit scorecard file (not JSON: {what} at line {exc.lineno}, column {exc.colno})"
        ) from None
    except (RecursionError, ValueError):
        raise _Refused("not an InterviewKit scorecard file (its JSON cannot be read)") from None
    _check_text(doc)
    return doc


def _read(path: Path) -> Any:
    try:
        data = read_bytes(path, kind=_KIND, limit=MAX_FILE_BYTES)
    except InputError as exc:
        raise _Refused(exc.reason) from None
    return _parse(data, path)


_JSON_TYPES = {"object": "an object", "array": "a list", "string": "text", "integer": "a whole number",
               "number": "a number", "boolean": "true or false", "null": "null"}


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true or false"
    if isinstance(value, int):
        return "a whole number"
    if isinstance(value, float):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    return "an object"


def _schema_problem(err: Any) -> str:
    """One line for a JSON Schema error: where (a JSON path) and what is wrong, without echoing much."""
    where = _json_path(err.absolute_path)
    kind, expected, value = err.validator, err.validator_value, err.instance
    if kind == "type":
        names = [expected] if isinstance(expected, str) else list(expected)
        wanted = " or ".join(_JSON_TYPES.get(n, n) for n in names)
        shown = (
            f" ({_short(value, 30)})" if isinstance(value, (str, int, float)) and not isinstance(value, bool) else ""
        )
        return f"{where}: must be {wanted}, not {_json_type(value)}{shown}"
    if kind == "required":
        missing = [k for k in expected if isinstance(value, dict) and k not in value]
        return f"{where}: the field '{missing[0] if missing else '?'}' is missing"
    if kind == "additionalProperties":
        known = set(err.schema.get("properties", {}))
        extra = sorted(str(k) for k in value if k not in known) if isinstance(value, dict) else []
        return f"{where}: unexpected field '{_short(extra[0] if extra else '?', 40)}'"
    if kind == "const":
        return f"{where}: must be {json.dumps(expected)}, not {_short(value, 30)}"
    if kind == "enum":
        return f"{where}: must be one of {', '.join(json.dumps(e) for e in expected)}"
    if kind == "minItems":
        return f"{where}: must hold at least {expected} item{'s' if expected != 1 else ''}" + (
            " (a scorecard rates at least one competency)" if where.endswith(".ratings") else "")
    if kind == "maxItems":
        return f"{where}: may hold at most {expected} items"
    if kind == "minLength":
        return f"{where}: must not be empty" if expected == 1 else f"{where}: at least {expected} characters"
    if kind == "maxLength":
        return f"{where}: at most {expected} characters"
    if kind in ("minimum", "maximum"):
        return f"{where}: {_short(value, 30)} is {'below' if kind == 'minimum' else 'above'} {expected}"
    if kind == "pattern":
        if where.endswith(("_at", ".at")):
            return (
                f"{where}: '{_short(value, 40)}' is not an ISO 8601 time with a time zone (2025-03-01T09:30:00+00:00)"
            )
        return f"{where}: '{_short(value, 40)}' is not in the expected form"
    return f"{where}: {_short(err.message, 120)}"


def _time(value: str, where: str) -> datetime:
    """An ISO 8601 time with its time zone, in UTC (SQLite keeps times without their offset)."""
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
        if parsed.tzinfo is None:  # the schema's pattern asks for an offset; belt and braces
            raise _Refused(f"{where}: '{_short(value, 40)}' has no time zone")
        return parsed.astimezone(UTC)
    except (ValueError, OverflowError):
        raise _Refused(f"{where}: '{_short(value, 40)}' is not a valid time") from None


def _check_content(content: dict[str, Any], settings: BankSettings | None, prefix: str = "$.scorecard") -> None:
    """What the schema cannot say: times that exist, scores on the bank's scale, recommendations from its
    list, each competency and question once."""
    for key in ("started_at", "submitted_at"):
        _time(content[key], f"{prefix}.{key}")
    levels = settings.scale.levels if settings is not None else None
    scale = f"{settings.scale.min}-{settings.scale.max}" if settings is not None else ""
    seen: dict[str, int] = {}
    for i, r in enumerate(content["ratings"]):
        where = f"{prefix}.ratings[{i}]"
        comp, score = r["competency"], r["score"]
        if comp in seen:
            raise _Refused(f"{where}.competency: '{_short(comp, 40)}' is rated twice (also in ratings[{seen[comp]}])")
        seen[comp] = i
        if r["not_assessed"]:
            if score is not None:
                raise _Refused(f"{where}.score: must be null when not_assessed is true")
            continue
        if score is None:
            raise _Refused(f"{where}.score: missing (null) while not_assessed is false")
        if type(score) is not int:
            raise _Refused(f"{where}.score: {_short(score, 20)} must be written as a whole number (no decimal point)")
        if levels is not None and score not in levels:
            raise _Refused(f"{where}.score: {score} is not on the bank's scale ({scale}, whole numbers)")
    rec = content["recommendation"]
    if rec is not None and settings is not None and rec not in settings.recommendations:
        raise _Refused(
            f"{prefix}.recommendation: '{_short(rec, 40)}' is not one of the bank's recommendations "
            f"({', '.join(settings.recommendations)})"
        )
    positions: dict[int, int] = {}
    versions: dict[tuple[str, str], int] = {}
    for i, q in enumerate(content["questions"]):
        where = f"{prefix}.questions[{i}]"
        if q["position"] in positions:
            raise _Refused(
                f"{where}.position: {q['position']} is taken twice (also by questions[{positions[q['position']]}])"
            )
        positions[q["position"]] = i
        odd = [t for t in q.get("evidence_ticks", []) if type(t) is not int]
        if odd:
            raise _Refused(f"{where}.evidence_ticks: {_short(odd[0], 20)} must be written as a whole number "
                           "(no decimal point)")
        pair = (q["question_id"], q["content_hash"])
        if pair in versions:
            raise _Refused(
                f"{where}: question '{_short(q['question_id'], 40)}' is listed twice (also questions[{versions[pair]}])"
            )
        versions[pair] = i


def _signed_bytes(doc: dict[str, Any]) -> bytes:
    """What a signature covers: the whole document but the signature's own value, canonical."""
    sig = {k: v for k, v in doc["signature"].items() if k != "value"}
    return _canonical({**doc, "signature": sig})


def sign_document(doc: dict[str, Any], key: Ed25519PrivateKey, *, name: str, email: str) -> dict[str, Any]:
    """``doc`` (without a signature) signed by ``key``, whose owner is ``name`` <``email``>."""
    body = {k: v for k, v in doc.items() if k != "signature"}
    body["signature"] = {"algorithm": signing.ALGORITHM, "signer": {"name": name, "email": email},
                         "public_key": signing.public_key_of(key), "value": ""}
    body["signature"]["value"] = signing.sign(key, _signed_bytes(body))
    return body


@dataclass(frozen=True)
class _Checked:
    """A file that passed every check that needs no database."""

    content: dict[str, Any]
    digest: str  # SHA-256 of the scorecard's canonical JSON: the receipt's key
    signer_name: str
    signer_email: str
    public_key: str
    resigned: dict[str, Any] | None


def _check_document(doc: Any, settings: BankSettings | None) -> _Checked:
    """Everything about a parsed file that needs no database: format, version, schema, content, signature."""
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise _Refused("not an InterviewKit scorecard file (no \"format\": \"interviewkit-scorecard\")")
    version = doc.get("schema_version")
    if version == 1:
        raise _Refused(
            "an unsigned version-1 file, made before files were signed: the interviewer exports it again with "
            f"this version, or {_RESIGN_HINT}"
        )
    if type(version) is int and version > SCHEMA_VERSION:
        raise _Refused(f"made by a newer InterviewKit (schema {version}); update InterviewKit to import it")
    from jsonschema.exceptions import best_match

    err = best_match(_validator().iter_errors(doc))
    if err is not None:
        raise _Refused(_schema_problem(err))
    content = doc["scorecard"]
    _time(doc["exported_at"], "$.exported_at")
    _check_content(content, settings)
    sig = doc["signature"]
    if not signing.verify(sig["public_key"], _signed_bytes(doc), sig["value"]):
        raise _Refused("refused as tampered: its signature does not match its content "
                       "(the file was changed after it was signed)")
    signer = sig["signer"]
    resigned = doc.get("resigned")
    if resigned is None:
        if signer["email"].strip().lower() != content["interviewer"]["email"].strip().lower():
            raise _Refused(
                f"signed by {_short(signer['email'], 60)}, not by its interviewer "
                f"{_short(content['interviewer']['email'], 60)}: a file imports only as its interviewer signed it"
            )
    else:
        _time(resigned["at"], "$.resigned.at")
        if signer["email"].strip().lower() != resigned["by"]["email"].strip().lower():
            raise _Refused("$.resigned.by: is not the signer of the file")
    return _Checked(content, _hash(content), signer["name"], signer["email"], sig["public_key"], resigned)


# --- export ----------------------------------------------------------------------------------------------


def _content(s: Session, scorecard_id: int) -> tuple[dict[str, Any], Person]:
    row = s.execute(
        select(Scorecard, Stage, InterviewLoop, Candidate, Opening, Person)
        .join(Stage, col(Stage.id) == col(Scorecard.stage_id))
        .join(InterviewLoop, col(InterviewLoop.id) == col(Stage.loop_id))
        .join(Candidate, col(Candidate.id) == col(InterviewLoop.candidate_id))
        .join(Opening, col(Opening.id) == col(Candidate.opening_id))
        .join(Person, col(Person.id) == col(Scorecard.interviewer_id))
        .where(col(Scorecard.id) == scorecard_id)
    ).first()
    if row is None:
        raise NotFound(f"No scorecard with id {scorecard_id}")
    card, stage, loop, cand, opening, person = row
    asked = s.execute(
        select(AskedQuestion, QuestionVersion)
        .join(QuestionVersion, col(QuestionVersion.id) == col(AskedQuestion.question_version_id))
        .where(col(AskedQuestion.scorecard_id) == scorecard_id)
        .order_by(col(AskedQuestion.position))
    ).all()
    ratings = list(
        s.scalars(select(Rating).where(col(Rating.scorecard_id) == scorecard_id).order_by(col(Rating.competency_id)))
    )
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
        "questions": [_asked_content(a, v) for a, v in asked],
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
    return content, person


def _asked_content(a: AskedQuestion, v: QuestionVersion) -> dict[str, Any]:
    """One question asked, as the file carries it; its evidence ticks only when there are some (a file
    without them is byte for byte what earlier versions wrote)."""
    out: dict[str, Any] = {
        "question_id": v.question_id,
        "version": v.version,
        "content_hash": v.content_hash,
        "title": v.title,
        "position": a.position,
        "planned": a.planned,
        "notes": a.notes,
        "seconds_spent": a.seconds_spent,
    }
    if a.evidence_ticks:
        out["evidence_ticks"] = sorted(a.evidence_ticks)
    return out


def export_scorecard(db: Database, scorecard_id: int, *, by: Actor) -> dict[str, Any]:
    """The signed exchange document of a submitted scorecard. Only its interviewer exports it (or the local
    operator of the database, on that person's machine), and it is signed with the interviewer's private
    key on this machine (:func:`~interviewkit.services.signing.create_key`): none there is an error that
    says to run ``interviewkit keys init``."""
    with db.session() as s:
        card = s.get(Scorecard, scorecard_id)
        if card is None:
            raise NotFound(f"No scorecard with id {scorecard_id}")
        policy.require_self(s, by, card.interviewer_id, f"export scorecard {scorecard_id} to a file")
        if card.status != "submitted":
            raise ValidationFailed(["Only a submitted scorecard can be exported; submit it first"])
        content, person = _content(s, scorecard_id)
    who = f"{person.name} <{person.email}>"
    key = signing.load_private_key(person.email)
    if key is None:
        raise signing.NoSigningKey(
            f"this machine has no signing key for {one_line(who)}, who signs the file: run 'interviewkit keys init' "
            f"as them first (on a shared file: interviewkit --as {one_line(person.email)} keys init), then export again"
        )
    mine = signing.public_key_of(key)
    if person.public_key is not None and person.public_key != mine:
        raise signing.NoSigningKey(
            f"this machine's signing key for {one_line(who)} (fingerprint {signing.fingerprint(mine)}) is not the "
            f"one registered in this database ({signing.fingerprint(person.public_key)}): an admin registers the "
            "right one with 'interviewkit people set-key'"
        )
    doc = {
        "format": FORMAT,
        "schema_version": SCHEMA_VERSION,
        "exported_by": f"InterviewKit {__version__}",
        "exported_at": utcnow().isoformat(),
        "scorecard": content,
    }
    signed = sign_document(doc, key, name=person.name, email=person.email)
    try:
        _check_document(signed, None)
    except _Refused as exc:
        raise ValidationFailed([f"scorecard {scorecard_id} cannot be exported as it is: {exc}"]) from None
    return signed


def _write(path: Path, doc: dict[str, Any]) -> Path:
    path = Path(path)
    try:
        path.write_text(json.dumps(doc, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    except OSError as exc:
        raise ValidationFailed(
            [f"{display_path(path)}: cannot be written ({one_line(exc.strerror or str(exc))})"]
        ) from None
    return path


def write_export(db: Database, scorecard_id: int, path: Path, *, by: Actor) -> Path:
    """Write a scorecard's signed exchange file; returns the path."""
    return _write(path, export_scorecard(db, scorecard_id, by=by))


# --- import ----------------------------------------------------------------------------------------------


def _find_stage(s: Session, content: dict[str, Any]) -> Stage:
    opening_title = content["opening"]["title"]
    cand_info = content["candidate"]
    query = (
        select(Candidate)
        .join(Opening, col(Opening.id) == col(Candidate.opening_id))
        .where(col(Opening.title) == opening_title)
    )
    if cand_info.get("email"):
        query = query.where(func.lower(col(Candidate.email)) == cand_info["email"].lower())
    else:
        query = query.where(col(Candidate.name) == cand_info["name"])
    candidates = list(s.scalars(query))
    name = _short(cand_info["name"], 60)
    if not candidates:
        who = name + (f" <{_short(cand_info['email'], 60)}>" if cand_info.get("email") else "")
        raise _Refused(
            f"unknown candidate {who} for the opening '{_short(opening_title, 60)}': add the candidate and their "
            "loop here first"
        )
    stage_info = content["stage"]
    stage = s.scalars(
        select(Stage)
        .join(InterviewLoop, col(InterviewLoop.id) == col(Stage.loop_id))
        .where(
            col(InterviewLoop.candidate_id).in_([c.id for c in candidates]),
            col(Stage.position) == stage_info["position"],
            col(Stage.name) == stage_info["name"],
        )
    ).first()
    if stage is None:
        raise _Refused(
            f"{name} has no stage {stage_info['position']} '{_short(stage_info['name'], 60)}' here: "
            "plan the same loop first (Loops)"
        )
    return stage


def _person(s: Session, email: str) -> Person | None:
    return s.scalars(select(Person).where(func.lower(col(Person.email)) == email.strip().lower())).first()


def _check_signer(s: Session, checked: _Checked, interviewer: Person | None) -> Person:
    """The person whose registered key signed the file (the interviewer, or an admin who re-signed it)."""
    content = checked.content
    if checked.resigned is None:
        if interviewer is None:
            raise _Refused(
                f"unknown interviewer {_short(content['interviewer']['name'], 60)} "
                f"<{_short(content['interviewer']['email'], 80)}>: add them in People first"
            )
        signer = interviewer
    else:
        found = _person(s, checked.signer_email)
        if found is None or found.access_role != "admin" or not found.active:
            raise _Refused(
                f"re-signed by {_short(checked.signer_name, 60)} <{_short(checked.signer_email, 80)}>, who is not an "
                "active admin in this database: only an admin's re-signed files are imported"
            )
        signer = found
    who = f"{_short(signer.name, 60)} <{_short(signer.email, 80)}>"
    theirs = signing.fingerprint(checked.public_key)
    how = (f"an admin checks the fingerprint {theirs} with them (e.g. by phone: 'interviewkit keys show'), "
           f"then runs: interviewkit people set-key {_short(signer.email, 80)} FILE --reason '...'")
    if signer.public_key is None:
        raise _Refused(f"{who} has no signing key registered in this database: {how}")
    if signer.public_key != checked.public_key:
        raise _Refused(
            f"signed with a key that is not the one registered for {who} (the file's key "
            f"{theirs}, registered {signing.fingerprint(signer.public_key)}); if they have a new key, {how}"
        )
    return signer


def _interviewer_and_signer(s: Session, checked: _Checked) -> tuple[Person, Person]:
    """The file's interviewer here, and the person whose registered key signed it."""
    content = checked.content
    interviewer = _person(s, content["interviewer"]["email"])
    signer = _check_signer(s, checked, interviewer)
    if interviewer is None:
        raise _Refused(
            f"unknown interviewer {_short(content['interviewer']['name'], 60)} "
            f"<{_short(content['interviewer']['email'], 80)}>: add them in People first"
        )
    return interviewer, signer


def _stage_taken(s: Session, checked: _Checked, stage: Stage, name: str) -> ImportResult | None:
    """None when the stage has no scorecard yet; the file "unchanged" when the stage holds this very
    scorecard; refused when it holds another one."""
    existing = s.scalars(select(Scorecard).where(col(Scorecard.stage_id) == stage.id)).first()
    if existing is None:
        return None
    if existing.imported_hash == checked.digest or (
        existing.status == "submitted" and _hash(_content(s, id_of(existing))[0]) == checked.digest
    ):
        return ImportResult(name, "unchanged", "this scorecard is already here, as it is in the file",
                            id_of(existing))
    state = "submitted" if existing.status == "submitted" else "in progress"
    raise _Refused(
        f"stage '{_short(stage.name, 60)}' already has a scorecard here ({state}, by another source); "
        "it was not replaced"
    )


def _bank_versions(s: Session, content: dict[str, Any]) -> list[tuple[dict[str, Any], int]]:
    """Each question of the file with the id of the same version in this bank; and the file's competencies
    checked against the bank's."""
    versions: list[tuple[dict[str, Any], int]] = []
    for i, q in enumerate(content["questions"]):
        row = s.execute(
            select(col(QuestionVersion.id), col(QuestionVersion.evidence)).where(
                col(QuestionVersion.question_id) == q["question_id"],
                col(QuestionVersion.content_hash) == q["content_hash"],
            )
        ).first()
        if row is None:
            raise _Refused(
                f"question '{_short(q['question_id'], 60)}' (version {q['version']}) is not in this database's "
                "bank: sync the same question bank first (File → Sync bank)"
            )
        vid, evidence = row
        beyond = [t for t in q.get("evidence_ticks", []) if t > len(evidence)]
        if beyond:
            raise _Refused(
                f"$.scorecard.questions[{i}].evidence_ticks: item {beyond[0]} is not on the checklist of "
                f"'{_short(q['question_id'], 60)}' ({len(evidence)} items)"
            )
        versions.append((q, int(vid)))
    known = set(s.scalars(select(col(Competency.id))))
    unknown = [r["competency"] for r in content["ratings"] if r["competency"] not in known]
    if unknown:
        raise _Refused(f"unknown competencies {_short(', '.join(unknown), 120)}: sync the same question bank first")
    return versions


def _add_scorecard(
    s: Session, checked: _Checked, stage: Stage, interviewer: Person, versions: list[tuple[dict[str, Any], int]]
) -> int:
    """Write the file's scorecard, its questions and ratings; the stage is the interviewer's if it was no one's."""
    content = checked.content
    submitted = _time(content["submitted_at"], "$.scorecard.submitted_at")
    card = Scorecard(
        stage_id=id_of(stage),
        interviewer_id=id_of(interviewer),
        status="submitted",
        recommendation=content["recommendation"],
        summary=content["summary"],
        elapsed_seconds=float(content["elapsed_seconds"]),
        current_position=0,
        imported_hash=checked.digest,
        started_at=_time(content["started_at"], "$.scorecard.started_at"),
        submitted_at=submitted,
        updated_at=submitted,
    )
    s.add(card)
    s.flush()
    card_id = id_of(card)
    for q, vid in versions:
        s.add(AskedQuestion(scorecard_id=card_id, position=int(q["position"]), question_version_id=vid,
                            planned=bool(q["planned"]), notes=q["notes"], seconds_spent=float(q["seconds_spent"]),
                            evidence_ticks=sorted(q.get("evidence_ticks", []))))
    for r in content["ratings"]:
        s.add(Rating(scorecard_id=card_id, competency_id=r["competency"], score=r["score"],
                     not_assessed=bool(r["not_assessed"]), reason=r["reason"], evidence=r["evidence"]))
    if stage.interviewer_id is None:
        stage.interviewer_id = interviewer.id
    return card_id


def _record_import(
    s: Session, checked: _Checked, name: str, card_id: int, interviewer: Person, signer: Person, actor_id: int | None
) -> None:
    """The import's audit entry (who signed, who re-signed and why) and its receipt."""
    detail: dict[str, Any] = {
        "file": Path(name).name[:200], "content_hash": checked.digest, "interviewer": interviewer.name,
        "signed_by": f"{signer.name} <{signer.email}>", "key_fingerprint": signing.fingerprint(checked.public_key),
    }
    reason = ""
    if checked.resigned is not None:
        reason = checked.resigned["reason"]
        detail["resigned_by"] = f"{signer.name} <{signer.email}>"
        detail["resigned_at"] = checked.resigned["at"]
        detail["original"] = checked.resigned["original"]
    audit.record(s, actor_id=actor_id, entity="scorecard", entity_id=card_id, action="imported", reason=reason,
                 detail=detail)
    add_receipt(s, checked.digest, kind="scorecard_file", source=Path(name).name, actor_id=actor_id,
                scorecard_id=card_id, detail={"interviewer": interviewer.email, "signer": signer.email})


def _imported(
    checked: _Checked, name: str, card_id: int, stage: Stage, interviewer: Person, signer: Person
) -> ImportResult:
    """The result of a file imported: whose scorecard, for whom, at which stage, and who re-signed it."""
    content = checked.content
    what = (f"imported: {_short(interviewer.name, 60)}'s scorecard for {_short(content['candidate']['name'], 60)}, "
            f"stage {stage.position} ({_short(stage.name, 60)})")
    if checked.resigned is not None:
        what += f"; re-signed by {_short(signer.name, 60)}: {_short(checked.resigned['reason'], 120)}"
    return ImportResult(name, "imported", what, card_id)


def _import_checked(db: Database, checked: _Checked, name: str, *, by: Actor) -> ImportResult:
    """The database part of an import: one transaction, one import at a time into the opening."""
    content = checked.content
    actor_id = audit.actor_id(by)
    with import_transaction(db, content["opening"]["title"]) as s:
        receipt = find_receipt(s, checked.digest)
        if receipt is not None:
            when = _aware(receipt.imported_at).strftime("%Y-%m-%d %H:%M UTC")
            return ImportResult(name, "unchanged", f"already imported ({when}): nothing changed", receipt.scorecard_id)
        interviewer, signer = _interviewer_and_signer(s, checked)
        stage = _find_stage(s, content)
        taken = _stage_taken(s, checked, stage, name)
        if taken is not None:
            return taken
        if stage.interviewer_id is not None and stage.interviewer_id != interviewer.id:
            raise _Refused(f"stage '{_short(stage.name, 60)}' is assigned to someone else here, not to "
                           f"{_short(interviewer.name, 60)}")
        versions = _bank_versions(s, content)
        card_id = _add_scorecard(s, checked, stage, interviewer, versions)
        _record_import(s, checked, name, card_id, interviewer, signer, actor_id)
        return _imported(checked, name, card_id, stage, interviewer, signer)


def _default_settings() -> BankSettings:
    from interviewkit.bank.loader import load_settings
    from interviewkit.paths import shipped_bank_dir

    return load_settings(shipped_bank_dir())


def import_scorecard(db: Database, path: Path, *, by: Actor, settings: BankSettings | None = None) -> ImportResult:
    """Import one exchange file, all or nothing (only someone who may import data).

    The file is read and checked completely before the database is touched; scores are checked against
    ``settings`` (the bank's scale and recommendations; by default the shipped bank's). A refusal is an
    :class:`ImportResult` with status "refused" and one line; nothing is written then.
    """
    require(db, by, "import_data")
    name = str(path)
    try:
        checked = _check_document(_read(Path(path)), settings if settings is not None else _default_settings())
        run = retry_transient(_import_checked, also=(IntegrityError,))
        result: ImportResult = run(db, checked, name, by=by)
        return result
    except _Refused as exc:
        return ImportResult(name, "refused", str(exc))
    except DBAPIError as exc:  # still losing a race after every retry, or a value the database refuses
        reason = one_line(
            str(getattr(exc, "orig", exc)).strip().splitlines()[0]
            if str(getattr(exc, "orig", exc)).strip()
            else type(exc).__name__
        )
        return ImportResult(
            name, "refused", f"the database refused it, nothing was written ({_short(reason, 160)}); try again"
        )


def import_files(
    db: Database, paths: Iterable[Path], *, by: Actor, settings: BankSettings | None = None
) -> list[ImportResult]:
    """Import several files; each is imported or refused on its own (each result carries its changes).
    Only someone who may import data; the audit trail names them."""
    require(db, by, "import_data")
    bank = settings if settings is not None else _default_settings()
    return [import_scorecard(db, Path(p), by=by, settings=bank) for p in paths]


def public_key_from_file(path: Path) -> tuple[str, str]:
    """The public key a version-2 file was signed with, and its signer's email, for an admin to register
    (``interviewkit people set-key EMAIL FILE``). The file's signature must verify with that key, so that
    the key is one its holder signs with; whose key it is, the admin checks with the person."""
    shown = display_path(path)
    try:
        doc = _read(Path(path))
        if not isinstance(doc, dict) or doc.get("format") != FORMAT:
            raise _Refused("not an InterviewKit scorecard file")
        if doc.get("schema_version") != SCHEMA_VERSION:
            raise _Refused(f"a file of schema {_short(doc.get('schema_version'), 20)} carries no signing key "
                           f"(version {SCHEMA_VERSION} files do)")
        from jsonschema.exceptions import best_match

        err = best_match(_validator().iter_errors(doc))
        if err is not None:
            raise _Refused(_schema_problem(err))
        sig = doc["signature"]
        if not signing.verify(sig["public_key"], _signed_bytes(doc), sig["value"]):
            raise _Refused("its signature does not match its content (it was changed after it was signed); "
                           "ask for a fresh export")
    except _Refused as exc:
        raise ValidationFailed([f"{shown}: {exc}"]) from None
    return sig["public_key"], sig["signer"]["email"]


# --- re-signing ------------------------------------------------------------------------------------------


def _utc_times(content: Any) -> Any:
    """A version-1 scorecard's times, which SQLite wrote without a time zone, as the UTC they are."""
    if not isinstance(content, dict):
        return content
    out = dict(content)
    for key in ("started_at", "submitted_at"):
        value = out.get(key)
        if isinstance(value, str):
            try:
                parsed = datetime.fromisoformat(value)
            except ValueError:
                continue
            out[key] = _aware(parsed).isoformat()
    return out


def _resigner(db: Database, by: Actor, reason: str) -> tuple[signing.KeyInfo, str, Ed25519PrivateKey]:
    """Who re-signs (someone who may, with their key on this machine) and why, checked before the file is read."""
    with db.session() as s:
        policy.require_action(s, by, "resign_files")
    me = signing.acting_person(db, by, "re-sign a scorecard file")
    why = one_line(reason.strip()) if isinstance(reason, str) else ""
    if not why:
        raise ValidationFailed(
            ["--reason: say why this file is re-signed (it is kept in the file and the audit trail)"]
        )
    if len(why) > 500:
        raise ValidationFailed(["--reason: at most 500 characters"])
    key = signing.load_private_key(me.email)
    if key is None:
        raise signing.NoSigningKey(
            f"this machine has no signing key for {one_line(me.name)} <{one_line(me.email)}>: run 'interviewkit keys "
            "init' first"
        )
    return me, why, key


@dataclass(frozen=True)
class _Original:
    """A file to re-sign, and what its own check found."""

    version: Any  # its schema version: 1 or SCHEMA_VERSION
    scorecard: Any  # its scorecard as it is in the file
    content: Any  # the scorecard to re-sign (a version-1 file's times as the UTC they are)
    check: str  # what its content hash or signature check found
    signer: str | None  # the email of who signed it (version 2)


def _original(doc: Any) -> _Original:
    """The file to re-sign, checked as its version checks it (a version-1 file's hash, a version-2 file's
    signature); a failed check does not refuse it, it is recorded."""
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise _Refused("not an InterviewKit scorecard file")
    version = doc.get("schema_version")
    original = doc.get("scorecard")
    if version == 1:
        check = ("content hash matched" if isinstance(original, dict) and doc.get("content_hash") == _hash(original)
                 else "content hash did NOT match: changed after export")
        signer = None
        content = _utc_times(original)
    elif version == SCHEMA_VERSION:
        sig = doc.get("signature")
        ok = isinstance(sig, dict) and isinstance(sig.get("public_key"), str) and signing.verify(
            sig["public_key"], _signed_bytes(doc), sig.get("value", ""))
        signer_info = sig.get("signer") if isinstance(sig, dict) else None
        signer = (
            signer_info.get("email")
            if isinstance(signer_info, dict) and isinstance(signer_info.get("email"), str)
            else None
        )
        check = "signature valid" if ok else "signature did NOT verify"
        content = original
    else:
        raise _Refused(f"schema version {_short(version, 20)} cannot be re-signed (1 or {SCHEMA_VERSION})")
    return _Original(version, original, content, check, signer)


def _resigned(old: _Original, me: signing.KeyInfo, why: str) -> dict[str, Any]:
    """The new document, not yet signed: the scorecard, who re-signed it, why, and what the original was."""
    signer = old.signer
    return {
        "format": FORMAT,
        "schema_version": SCHEMA_VERSION,
        "exported_by": f"InterviewKit {__version__} (re-signed)",
        "exported_at": utcnow().isoformat(),
        "scorecard": old.content,
        "resigned": {
            "by": {"name": me.name, "email": me.email},
            "reason": why,
            "at": utcnow().isoformat(),
            "original": {"schema_version": old.version, "content_sha256": _hash(old.scorecard),
                         "signer": signer[:320] if signer else None, "check": old.check},
        },
    }


def resign_file(
    db: Database, source: Path, target: Path, *, reason: str, by: Actor, settings: BankSettings | None = None
) -> ResignResult:
    """An admin signs a scorecard file with their own key, on purpose: a version-1 (unsigned) file, or one
    whose interviewer's key is lost. The new file names the admin, the reason and what the original's own
    check found; it must pass every check of an import; the re-signing is audited in ``db``."""
    me, why, key = _resigner(db, by, reason)
    shown = display_path(source)
    try:
        old = _original(_read(Path(source)))
        new = _resigned(old, me, why)
        signed = sign_document(new, key, name=me.name, email=me.email)
        _check_document(signed, settings if settings is not None else _default_settings())
    except _Refused as exc:
        raise ValidationFailed([f"{shown}: cannot be re-signed: {exc}"]) from None
    written = _write(Path(target), signed)
    with db.transaction() as s:
        audit.record(
            s,
            actor_id=me.person_id,
            entity="import",
            entity_id=Path(source).name[:80],
            action="file re-signed",
            reason=why,
            detail={
                "source": Path(source).name[:200],
                "target": Path(target).name[:200],
                "original": new["resigned"]["original"],
                "content_hash": _hash(old.content),
            },
        )
    return ResignResult(written, old.check, f"{me.name} <{me.email}>")
