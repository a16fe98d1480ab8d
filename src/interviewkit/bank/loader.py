"""Read a question bank folder and validate all of it.

Every problem is collected with the file, line and field it concerns, and loading goes on: what is valid
is still loaded, so one broken file never hides the rest of the bank.

Front matter is parsed with yaml-rs (a Rust YAML 1.2 parser, six times faster than PyYAML's C loader on
question files, and free of YAML 1.1's "No means false" trap). PyYAML is used only to find the line of a
field when there is a problem to report, and as the parser where yaml-rs is not installed.

Files come from people and tools, so nothing in them is trusted: each is read through
:mod:`interviewkit.inputs` (a regular file of bounded size, UTF-8; a link out of the bank, a dangling or
looping link, a name that is not UTF-8 is a problem of its own), every value is checked for its type and
range before it is used (a rubric level is a whole number of the scale, not 1.5 or .inf), and the work is
linear in the size of a file, however many unknown fields or bad items it holds (the first few are
reported, then how many more).
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

import yaml

from interviewkit.bank.jd import JDError, ParsedJD, jd_from_bytes
from interviewkit.bank.model import (
    KINDS,
    MAX_COMPETENCY_ID,
    MAX_ID,
    MAX_LABEL,
    MAX_NAME,
    MAX_PATH,
    MAX_TITLE,
    Bank,
    BankSettings,
    Competency,
    LoopStageTemplate,
    LoopTemplate,
    Problem,
    Question,
    RatingScale,
)
from interviewkit.inputs import (
    FolderEntry,
    InputError,
    Refusal,
    decode_text,
    one_line,
    read_bytes,
    scan_folder,
)

__all__ = [
    "JD_SUFFIXES",
    "BankFiles",
    "BankReader",
    "list_bank",
    "load_bank",
    "load_settings",
    "parse_question_file",
    "parse_question_text",
    "question_files",
]


def _fast_parser() -> ModuleType | None:
    """yaml-rs, the fast parser, where its wheel is installed; the loader works without it."""
    try:
        import yaml_rs
    except ImportError:  # pragma: no cover - exercised where the wheel is unavailable
        return None
    return yaml_rs


yaml_rs = _fast_parser()

JD_SUFFIXES = (".md", ".markdown", ".txt")
LOOP_SUFFIXES = (".yaml", ".yml")
_ID = re.compile(r"^[a-z0-9]+(?:[-_.][a-z0-9]+)*$")
_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

QUESTION_FIELDS = (
    "id",
    "title",
    "competencies",
    "requirements",
    "kind",
    "level",
    "minutes",
    "follow_ups",
    "rubric",
    "red_flags",
)
_QUESTION_FIELD_SET = frozenset(QUESTION_FIELDS)

# Problems of one kind reported one by one in a file (unknown fields, unknown ids in a list, bad rubric
# levels); past that, one more line says how many more there are. 20,000 unknown fields make 6 lines.
_SHOWN = 5
# The scale of bank.yaml: whole numbers within these bounds (a scale of more than 11 levels is not one a
# person rates on).
SCALE_BOUNDS = (0, 10)


class _Doc:
    """A parsed YAML document that can say on which line each key and item stands.

    The data comes from the fast parser; the node tree that knows line numbers is built only when a
    problem needs a line, and each mapping's keys are indexed once, so that a line is found in constant
    time however many keys the mapping has.
    """

    def __init__(self, text: str, data: Any, first_line: int, node: yaml.Node | None = None) -> None:
        self.text = text
        self.data = data
        self.first_line = first_line  # file line of the document's first line
        self._node = node
        self._composed = node is not None
        self._keys: dict[int, dict[str, tuple[yaml.Node, yaml.Node]]] = {}
        self._top_lines: dict[str, int] | None = None

    @property
    def node(self) -> yaml.Node | None:
        if not self._composed:
            self._composed = True
            try:
                self._node = yaml.compose(self.text, Loader=_Loader)
            except Exception:  # noqa: BLE001 - only for line numbers: a parser that disagrees must not stop the report
                self._node = None
        return self._node

    def _entry(self, node: yaml.MappingNode, key: str) -> tuple[yaml.Node, yaml.Node] | None:
        index = self._keys.get(id(node))
        if index is None:
            index = {}
            for k, v in node.value:
                if isinstance(k, yaml.ScalarNode):
                    index.setdefault(k.value, (k, v))
            self._keys[id(node)] = index
        return index.get(key)

    def line_of(self, *path: str | int) -> int:
        node = self.node
        if node is None:
            return self._scan_line(path)
        line = node.start_mark.line
        for step in path:
            if isinstance(node, yaml.MappingNode):
                found = self._entry(node, str(step))
                if found is None:
                    break
                line = found[0].start_mark.line
                node = found[1]
            elif isinstance(node, yaml.SequenceNode) and isinstance(step, int):
                if step >= len(node.value):
                    break
                node = node.value[step]
                line = node.start_mark.line
            else:
                break
        return self.first_line + line

    def _scan_line(self, path: tuple[str | int, ...]) -> int:
        """Without a node tree: the line where the top-level key starts (all of them indexed in one pass)."""
        if not path or not isinstance(path[0], str):
            return self.first_line
        if self._top_lines is None:
            self._top_lines = {}
            for no, line in enumerate(self.text.split("\n")):
                colon = line.find(":")
                while colon > 0:
                    self._top_lines.setdefault(line[:colon], no)
                    colon = line.find(":", colon + 1)
        return self.first_line + self._top_lines.get(path[0], 0)


_RS_LINE = re.compile(r"line (\d+)")


def _parse_yaml(text: str, first_line: int) -> _Doc:
    """Parse YAML text; raises yaml.YAMLError (with a mark where possible) when it is not valid."""
    if yaml_rs is not None:
        try:
            return _Doc(text, yaml_rs.loads(text), first_line)
        except yaml_rs.YAMLDecodeError as exc:
            message = str(exc).strip().splitlines()
            found = _RS_LINE.search(message[0]) if message else None
            err = yaml.MarkedYAMLError(problem=message[-1] if message else "not valid YAML")
            if found:
                err.problem_mark = yaml.Mark("", 0, int(found.group(1)) - 1, 0, None, 0)
            raise err from None
        except Exception as exc:  # noqa: BLE001 - a foreign parser on untrusted text: any failure is bad input
            raise _not_yaml(exc) from None
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.YAMLError:
        raise
    except Exception as exc:  # noqa: BLE001 - e.g. RecursionError, or an integer of thousands of digits
        raise _not_yaml(exc) from None
    finally:
        loader.dispose()
    return _Doc(text, data, first_line, node)


def _not_yaml(exc: BaseException) -> yaml.YAMLError:
    if isinstance(exc, ValueError) and "digits" in str(exc):
        return yaml.MarkedYAMLError(problem="a number with more than 4,300 digits")
    return yaml.MarkedYAMLError(problem=f"cannot be read ({type(exc).__name__})")


def _yaml_problem(path: str, exc: yaml.YAMLError, first_line: int) -> Problem:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    line = first_line + mark.line if mark is not None else first_line
    problem = getattr(exc, "problem", None) or str(exc)
    context = getattr(exc, "context", None)
    message = f"bad YAML: {problem}" + (f" ({context})" if context else "")
    return Problem(path, line, "", _clip(message, 300))


def _clip(text: str, most: int = 80) -> str:
    """``text`` on one line and at most ``most`` characters."""
    text = one_line(text)
    return text if len(text) <= most else text[: most - 3] + "..."


def _show(value: Any) -> str:
    """A short, one-line rendering of any value from a YAML file, for a message."""
    if isinstance(value, bool) or value is None or isinstance(value, float):
        return repr(value)
    if isinstance(value, int):
        return repr(value) if value.bit_length() <= 64 else "a number too large to show"
    if isinstance(value, str):
        return repr(_clip(value, 60))
    if isinstance(value, (list, tuple)):
        return f"a list of {len(value)} items"
    if isinstance(value, (dict, frozenset)):
        return "a mapping"
    return f"a {type(value).__name__}"


def _key(value: Any) -> str:
    """A mapping key as text for a field name or a line lookup: short, one line, never failing."""
    if isinstance(value, str):
        return _clip(value, 60)
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > 64:
        return ""
    if isinstance(value, (bool, int, float)) or value is None:
        return str(value)
    return _show(value)


def _has_surrogate(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _text(value: Any) -> str | None:
    """A non-empty string, or None. Numbers are accepted as text; booleans are not (YAML 'yes').

    Text with a NUL character or a lone surrogate (YAML escapes can make both) is not text: no database
    keeps the first everywhere, no encoder writes the second.
    """
    if type(value) is str:  # the common case, first
        stripped = value.strip()
        if not stripped:
            return None
        # (a surrogate cannot hide in ASCII text, and isascii() costs nothing: it is a flag of the string)
        if "\x00" in stripped or (not stripped.isascii() and _has_surrogate(stripped)):
            return None
        return " ".join(stripped.split()) if "\n" in stripped else stripped
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int):
        return str(value) if value.bit_length() <= 64 else None
    if isinstance(value, float):
        return str(value)
    if isinstance(value, str):
        return _text(str(value))
    return None


def _whole(value: Any) -> int | None:
    """A whole number written as one (``3``), or None (booleans, 1.5, .inf, '3', lists...)."""
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _level_key(key: Any) -> int | None:
    """A rubric key as a level: a whole number, or up to three ASCII digits in quotes; else None."""
    if isinstance(key, int) and not isinstance(key, bool):
        return key
    if isinstance(key, str) and 0 < len(key) <= 3 and key.isascii() and key.isdigit():
        return int(key)
    return None


class _Report:
    """Problems of one file, with at most :data:`_SHOWN` of one kind (field) reported one by one."""

    def __init__(self, rel: str, doc: _Doc, problems: list[Problem]) -> None:
        self.rel, self.doc, self.problems = rel, doc, problems
        self.counts: dict[tuple[str, str], int] = {}

    def add(
        self, fieldname: str, message: str, *path: str | int, severity: str = "error", line: int | None = None
    ) -> None:
        key = (fieldname, severity)
        n = self.counts[key] = self.counts.get(key, 0) + 1
        if n <= _SHOWN:
            where = line if line is not None else self.doc.line_of(fieldname, *path)
            self.problems.append(Problem(self.rel, where, fieldname, message, severity))

    def warn(self, fieldname: str, message: str) -> None:
        self.add(fieldname, message, severity="warning")

    def at(self, fieldname: str, message: str, *where: str | int) -> None:
        """An error at the line of ``where``, a path of keys and indexes from the top of the document."""
        self.add(fieldname, message, line=self.doc.line_of(*where))

    def close(self) -> None:
        """Say how many problems of each kind were not reported one by one."""
        for (fieldname, severity), n in self.counts.items():
            if n > _SHOWN:
                self.problems.append(
                    Problem(self.rel, self.doc.line_of(fieldname), fieldname,
                            f"and {n - _SHOWN:,} more problems like these", severity)
                )
        self.counts.clear()


def _text_list(
    value: Any, report: _Report, fieldname: str
) -> tuple[str, ...] | None:
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        report.add(fieldname, "must be a list of texts")
        return None
    out = []
    for i, item in enumerate(value):
        text = _text(item)
        if isinstance(item, bool):
            report.add(
                fieldname,
                f"item {i + 1} reads as {str(item).lower()} in YAML (yes/no/on/off do); put it in quotes",
                i,
            )
            return None
        if text is None:
            report.add(fieldname, f"item {i + 1} is empty or not text", i)
            return None
        out.append(text)
    return tuple(out)


# The line that closes the front matter: '---' or '...', with nothing else but spaces (matched from the
# newline before it, which lets the regex engine skip ahead to each newline).
_FRONT_MATTER_END = re.compile(r"\n[^\S\n]*(?:---|\.\.\.)[^\S\n]*(?=\n|$)")


def _split_front_matter(text: str) -> tuple[str, str, int] | None:
    """(front matter, body, file line where the body starts) or None without front matter."""
    first_end = text.find("\n")
    if first_end < 0 or text[:first_end].strip() != "---":
        return None
    end = _FRONT_MATTER_END.search(text, first_end)
    if end is None:
        return None
    front = text[first_end + 1 : end.start()]
    body = text[end.end() + 1 :]
    return front, body, text.count("\n", 0, end.start()) + 3


def _stem(rel: str) -> str:
    """The file name of a relative path without its last suffix (as ``Path(rel).stem``, without the cost)."""
    name = rel.rsplit("/", 1)[-1]
    dot = name.rfind(".")
    return name[:dot] if dot > 0 else name


def parse_question_text(
    text: str,
    rel: str,
    *,
    settings: BankSettings,
    competencies: Iterable[str] | None,
    requirements: Iterable[str] | None,
    problems: list[Problem],
) -> Question | None:
    """Validate one question file's text; append problems; return the question if it is usable.

    ``competencies``/``requirements`` are the known ids; None skips that check.
    """
    front_matter = _read_front_matter(text, rel, problems)
    if front_matter is None:
        return None
    doc, data, body, body_line = front_matter
    before = len(problems)
    report = _Report(rel, doc, problems)
    _check_field_names(data, report)
    qid, title = _question_header(data, rel, report, problems)
    comps = _question_competencies(data, report, competencies)
    reqs = _question_requirements(data, report, requirements)
    kind, level, minutes = _question_format(data, settings, report)
    follow_ups = _text_list(data.get("follow_ups"), report, "follow_ups")
    if follow_ups is not None and "follow_ups" in data and not 2 <= len(follow_ups) <= 4:
        report.warn("follow_ups", f"has {len(follow_ups):,} probes; 2 to 4 are expected")
    red_flags = _text_list(data.get("red_flags"), report, "red_flags")
    rubric = _rubric(data, settings, report) if "rubric" in data else {}
    prompt = body.strip()
    if not prompt:
        problems.append(Problem(rel, body_line, "prompt", "empty prompt: write the question below the front matter"))

    report.close()
    if any(p.severity == "error" for p in problems[before:]):
        return None
    assert qid and title and kind and comps is not None and reqs is not None
    return Question(
        id=qid,
        title=title,
        competencies=comps,
        requirements=reqs,
        kind=kind,
        level=level,
        minutes=int(minutes or 0),
        follow_ups=follow_ups or (),
        rubric=tuple(sorted(rubric.items())),
        red_flags=red_flags or (),
        prompt=prompt,
        path=rel,
    )


def _read_front_matter(text: str, rel: str, problems: list[Problem]) -> tuple[_Doc, dict[Any, Any], str, int] | None:
    """(the front matter, its fields, the body, the body's first line), or None with the problem appended."""
    text = text.lstrip("\ufeff").replace("\r\n", "\n")
    split = _split_front_matter(text)
    if split is None:
        problems.append(
            Problem(rel, 1, "", "no YAML front matter: the file must start with a '---' line")
        )
        return None
    front, body, body_line = split
    try:
        doc = _parse_yaml(front, 2)
    except yaml.YAMLError as exc:
        problems.append(_yaml_problem(rel, exc, 2))
        return None
    data = doc.data
    if not isinstance(data, dict):
        problems.append(Problem(rel, 2, "", "the front matter must be a mapping of fields"))
        return None
    return doc, data, body, body_line


def _check_field_names(data: dict[Any, Any], report: _Report) -> None:
    """Warn of unknown fields (the first few one by one, then how many more); report missing ones."""
    rel, doc, problems = report.rel, report.doc, report.problems
    unknown = [key for key in data if key not in _QUESTION_FIELD_SET]
    for key in unknown[:_SHOWN]:
        report.warn(_key(key), "unknown field (ignored)")
    if len(unknown) > _SHOWN:
        problems.append(
            Problem(rel, doc.line_of(_key(unknown[_SHOWN])), "",
                    f"and {len(unknown) - _SHOWN:,} more unknown fields (ignored)", "warning")
        )

    for required in QUESTION_FIELDS:
        if required not in data and required not in ("red_flags", "level"):
            problems.append(Problem(rel, 2, required, "missing field"))


def _question_header(
    data: dict[Any, Any], rel: str, report: _Report, problems: list[Problem]
) -> tuple[str | None, str | None]:
    """The question's id (None if it is not a valid one) and title; the file's path must not be too long."""
    qid = _text(data.get("id"))
    name = rel.rsplit("/", 1)[-1]
    if "id" in data and (qid is None or not _ID.match(qid)):
        report.add("id", "must be a kebab-case id such as 'serving-latency-regression'")
        qid = None
    elif qid and len(qid) > MAX_ID:
        report.add("id", f"is {len(qid)} characters long; at most {MAX_ID} are allowed")
        qid = None
    elif qid and _stem(rel) != qid:
        # The id is the file's name: a file cannot take another question's id (and so its history).
        report.add(
            "id", f"'{qid}' does not match the file name '{_clip(name)}': a question's id is its file name without .md"
        )
    if len(rel) > MAX_PATH:
        problems.append(Problem(rel[:MAX_PATH] + "...", 0, "", f"the file's path is longer than {MAX_PATH} characters"))

    title = _text(data.get("title"))
    if "title" in data and title is None:
        report.add("title", "must not be empty")
    elif title is not None and len(title) > MAX_TITLE:
        report.add("title", f"is {len(title):,} characters long; at most {MAX_TITLE} are allowed")
    return qid, title


def _question_competencies(
    data: dict[Any, Any], report: _Report, competencies: Iterable[str] | None
) -> tuple[str, ...] | None:
    """The competencies the question assesses: 1 to 3 of the known ones (None skips that check), each once."""
    comps = _text_list(data.get("competencies"), report, "competencies")
    if comps is not None and "competencies" in data:
        if not 1 <= len(comps) <= 3:
            report.add("competencies", f"needs 1 to 3 competencies, has {len(comps):,}")
        if competencies is not None:
            known = competencies if isinstance(competencies, (set, frozenset)) else set(competencies)
            for i, c in enumerate(comps):
                if c not in known:
                    report.add("competencies", f"unknown competency {_show(c)}", i)
        if len(set(comps)) != len(comps):
            seen_c: set[str] = set()
            for i, c in enumerate(comps):
                if c in seen_c:
                    report.add("competencies", f"lists competency {_show(c)} twice", i)
                seen_c.add(c)
    return comps


def _question_requirements(
    data: dict[Any, Any], report: _Report, requirements: Iterable[str] | None
) -> tuple[str, ...] | None:
    """The requirements the question covers: known ones (None skips that check); none or twice is a warning."""
    reqs = _text_list(data.get("requirements"), report, "requirements")
    if reqs is not None:
        if not reqs and "requirements" in data:
            report.warn("requirements", "covers no requirement")
        if requirements is not None:
            known_r = requirements if isinstance(requirements, (set, frozenset)) else set(requirements)
            for i, r in enumerate(reqs):
                if r not in known_r:
                    report.add("requirements", f"unknown requirement {_show(r)}", i)
        if len(set(reqs)) != len(reqs):
            report.warn("requirements", "lists a requirement twice")
    return reqs


def _question_format(
    data: dict[Any, Any], settings: BankSettings, report: _Report
) -> tuple[str | None, str, int | None]:
    """The question's kind, level (one of the bank's levels, if it lists any) and minutes (1 to 240)."""
    kind = _text(data.get("kind"))
    if "kind" in data and kind not in KINDS:
        report.add("kind", f"must be one of {', '.join(KINDS)} (got {_show(data.get('kind'))})")

    level = _text(data.get("level")) or ""
    if settings.levels and "level" in data and level not in settings.levels:
        report.add("level", f"must be one of {', '.join(settings.levels)} (got {_show(data.get('level'))})")
    elif len(level) > MAX_LABEL:
        report.add("level", f"is {len(level):,} characters long; at most {MAX_LABEL} are allowed")

    minutes = _whole(data.get("minutes"))
    if "minutes" in data and (minutes is None or not 1 <= minutes <= 240):
        report.add("minutes", "must be a whole number of minutes from 1 to 240")
    return kind, level, minutes


def _rubric(data: dict[Any, Any], settings: BankSettings, report: _Report) -> dict[int, str]:
    """The rubric's anchors by level; every key must be a whole number of the scale."""
    raw = data.get("rubric")
    if not isinstance(raw, dict):
        report.add("rubric", "must map each level of the scale to an anchor")
        return {}
    lo, hi = settings.scale.min, settings.scale.max
    rubric: dict[int, str] = {}
    every_key_a_level = True
    for key, anchor in raw.items():
        level_no = key if type(key) is int else _level_key(key)  # the common case without a call
        if level_no is None:
            every_key_a_level = False
            report.add(
                "rubric",
                f"{_show(key)} is not a level of the scale: levels are whole numbers from {lo} to {hi}",
                _key(key),
            )
            continue
        if not lo <= level_no <= hi:
            every_key_a_level = False
            report.add("rubric", f"level {_show(level_no)} is outside the scale {lo}..{hi}", _key(key))
            continue
        if level_no in rubric:
            report.add("rubric", f"level {level_no} has two anchors", _key(key))
            continue
        anchor_text = _text(anchor)
        if anchor_text is None:
            report.add("rubric", f"the anchor of level {level_no} is empty", _key(key))
            continue
        rubric[level_no] = anchor_text
    missing = [lv for lv in settings.scale.levels if lv not in rubric]
    if missing and every_key_a_level:
        report.add("rubric", "missing rubric level " + ", ".join(str(m) for m in missing))
    seen: dict[str, int] = {}
    for lv, anchor_text in sorted(rubric.items()):
        norm = anchor_text.lower()
        if "  " in norm or not norm.isprintable():  # other white space than single spaces
            norm = " ".join(norm.split())
        if norm in seen:
            report.add(
                "rubric",
                f"the anchors of levels {seen[norm]} and {lv} are the same; each level needs its own evidence",
                str(lv),
            )
        seen[norm] = lv
    return rubric


def parse_question_file(
    path: str | os.PathLike[str],
    root: Path,
    *,
    settings: BankSettings,
    competencies: Iterable[str] | None,
    requirements: Iterable[str] | None,
    problems: list[Problem],
    hashes: dict[str, str] | None = None,
) -> Question | None:
    """Read and validate one question file (see :func:`parse_question_text`); record its hash."""
    rel = _rel(path, root)
    try:
        raw = read_bytes(path, kind="question file")
    except InputError as exc:
        problems.append(Problem(rel, 0, "", exc.reason))
        return None
    if hashes is not None:
        hashes[rel] = hashlib.sha256(raw).hexdigest()
    try:
        text = decode_text(raw, path, kind="question file")
    except InputError as exc:
        problems.append(Problem(rel, 0, "", exc.reason))
        return None
    return parse_question_text(
        text,
        rel,
        settings=settings,
        competencies=competencies,
        requirements=requirements,
        problems=problems,
    )


def _rel(path: str | os.PathLike[str], root: Path) -> str:
    full, base = os.fspath(path), os.fspath(root).rstrip(os.sep) + os.sep
    if full.startswith(base):
        return full[len(base):].replace(os.sep, "/")
    return Path(full).as_posix()


def _read_yaml_file(entry: FolderEntry, problems: list[Problem], hashes: dict[str, str] | None = None) -> _Doc | None:
    try:
        raw = read_bytes(entry.path, kind="bank file")
        if hashes is not None:
            hashes[entry.rel] = hashlib.sha256(raw).hexdigest()
        text = decode_text(raw, entry.path, kind="bank file")
    except InputError as exc:
        problems.append(Problem(entry.rel, 0, "", exc.reason))
        return None
    try:
        return _parse_yaml(text, 1)
    except yaml.YAMLError as exc:
        problems.append(_yaml_problem(entry.rel, exc, 1))
        return None


def _load_settings(
    entry: FolderEntry | None, problems: list[Problem], hashes: dict[str, str] | None = None
) -> BankSettings:
    if entry is None:
        return BankSettings()
    doc = _read_yaml_file(entry, problems, hashes)
    if doc is None or doc.data is None:
        return BankSettings()
    data = doc.data
    rel = entry.rel
    if not isinstance(data, dict):
        problems.append(Problem(rel, 1, "", "must be a mapping of settings"))
        return BankSettings()
    defaults = BankSettings()

    def err(fieldname: str, message: str) -> None:
        problems.append(Problem(rel, doc.line_of(fieldname), fieldname, message))

    scale = defaults.scale
    raw_scale = data.get("scale")
    if raw_scale is not None:
        scale = _scale(raw_scale, defaults.scale, err)
    recs = data.get("recommendations", list(defaults.recommendations))
    texts = [_text(r) for r in recs] if isinstance(recs, list) and len(recs) <= 10 else []
    if not 2 <= len(texts) <= 10 or not all(texts) or any(len(t or "") > MAX_LABEL for t in texts):
        err("recommendations", f"needs a list of 2 to 10 texts of at most {MAX_LABEL} characters")
        texts = list(defaults.recommendations)
    levels = data.get("levels", [])
    level_texts = [_text(lv) for lv in levels] if isinstance(levels, list) else None
    if level_texts is None or not all(level_texts) or any(len(t or "") > MAX_LABEL for t in level_texts):
        err("levels", f"must be a list of texts of at most {MAX_LABEL} characters")
        level_texts = []
    name = _text(data.get("name"))
    if "name" in data and (name is None or len(name) > MAX_TITLE):
        err("name", f"must be a text of at most {MAX_TITLE} characters")
        name = None
    version = _text(data.get("version", defaults.version))
    if version is None or len(version) > MAX_LABEL:
        err("version", f"must be a text or number of at most {MAX_LABEL} characters")
        version = None
    return BankSettings(
        name=name or defaults.name,
        version=version or defaults.version,
        scale=scale,
        recommendations=tuple(str(r) for r in texts),
        levels=tuple(str(lv) for lv in level_texts),
    )


def _scale(raw: Any, default: RatingScale, err: Any) -> RatingScale:
    """The rating scale of bank.yaml: whole numbers ``min`` < ``max`` within :data:`SCALE_BOUNDS`, and labels."""
    floor, ceiling = SCALE_BOUNDS
    if not isinstance(raw, dict):
        err("scale", "must be a mapping with min, max and labels")
        return default
    lo, hi = _whole(raw.get("min", 1)), _whole(raw.get("max", 4))
    if lo is None or hi is None or not floor <= lo < hi <= ceiling:
        err("scale", f"needs whole numbers min < max within {floor}..{ceiling}")
        return default
    labels_raw = raw.get("labels") or {}
    if not isinstance(labels_raw, dict):
        err("scale", "labels must map levels to texts")
        return default
    labels: dict[int, str] = {}
    for key, value in labels_raw.items():
        level = _level_key(key)
        text = _text(value)
        if level is None or not lo <= level <= hi:
            err("scale", f"label {_show(key)} is not a level of the scale {lo}..{hi}")
            return default
        if text is None or len(text) > MAX_NAME:
            err("scale", f"the label of level {level} must be a text of at most {MAX_NAME} characters")
            return default
        labels[level] = text
    return RatingScale(lo, hi, tuple(sorted(labels.items())) or tuple((i, str(i)) for i in range(lo, hi + 1)))


def load_settings(root: Path) -> BankSettings:
    """Only the bank's settings (scale, recommendations, levels); problems are ignored here."""
    files = list_bank(Path(root), only_settings=True)
    return _load_settings(files.settings, [])


def _load_competencies(entry: FolderEntry | None, problems: list[Problem], hashes: dict[str, str]) -> list[Competency]:
    rel = "competencies.yaml"
    if entry is None:
        problems.append(Problem(rel, 0, "", "missing: a bank needs its competency framework"))
        return []
    doc = _read_yaml_file(entry, problems, hashes)
    if doc is None:
        return []
    data = doc.data
    if not isinstance(data, list):
        problems.append(Problem(rel, 1, "", "must be a list of competencies"))
        return []
    report = _Report(rel, doc, problems)
    out: list[Competency] = []
    seen: dict[str, int] = {}
    for i, item in enumerate(data):
        if not isinstance(item, dict):
            report.add("", f"entry {i + 1} must be a mapping", line=doc.line_of(i))
            continue
        cid = _text(item.get("id"))
        ok = True
        if not cid or not _ID.match(cid) or len(cid) > MAX_COMPETENCY_ID:
            report.add(
                "id", f"needs a kebab-case id of at most {MAX_COMPETENCY_ID} characters", line=doc.line_of(i, "id")
            )
            ok = False
        elif cid in seen:
            report.add("id", f"duplicate id '{cid}' (first at line {seen[cid]})", line=doc.line_of(i, "id"))
            ok = False
        for fieldname in ("name", "description", "strong_evidence"):
            value = _text(item.get(fieldname))
            if not value:
                line = doc.line_of(i, fieldname) if fieldname in item else doc.line_of(i)
                report.add(fieldname, "missing or empty", line=line)
                ok = False
            elif fieldname == "name" and len(value) > MAX_NAME:
                report.add(fieldname, f"is {len(value):,} characters long; at most {MAX_NAME} are allowed",
                           line=doc.line_of(i, fieldname))
                ok = False
        if ok and cid:
            seen[cid] = doc.line_of(i, "id")
            out.append(
                Competency(
                    id=cid,
                    name=str(_text(item["name"])),
                    description=str(_text(item["description"])),
                    strong_evidence=str(_text(item["strong_evidence"])),
                    position=len(out) + 1,
                )
            )
    report.close()
    return out


def _load_job_descriptions(
    files: BankFiles, problems: list[Problem], hashes: dict[str, str]
) -> list[ParsedJD]:
    out: list[ParsedJD] = []
    if not files.has_job_descriptions:
        problems.append(
            Problem("job_descriptions/", 0, "", "missing: a bank needs at least one job description", "warning")
        )
        return out
    seen: set[str] = set()
    for entry in files.job_descriptions:
        try:
            data = read_bytes(entry.path, kind="job description")
            hashes[entry.rel] = hashlib.sha256(data).hexdigest()
            jd = jd_from_bytes(data, entry.rel)
        except InputError as exc:
            problems.append(Problem(entry.rel, 0, "", exc.reason))
            continue
        except JDError as exc:
            problems.append(Problem(entry.rel, 0, "", str(exc).removeprefix(f"{entry.rel}: ")))
            continue
        if jd.id in seen:
            problems.append(Problem(entry.rel, 0, "", f"another file has the document id '{jd.id}'"))
            continue
        seen.add(jd.id)
        out.append(jd)
    return out


def _ref(value: Any) -> str | None:
    """An id that refers to something (a question, a competency, a job description): text, or None."""
    text = _text(value)
    return text if text is not None and len(text) <= 200 else None


@dataclass(frozen=True)
class _LoopRefs:
    """What the loop templates of a bank may refer to."""

    competencies: set[str]
    questions: dict[str, Question]  # the questions without errors, by id
    all_question_ids: set[str]  # the ids of every question file, with errors or not
    jds: set[str]


def _load_loops(
    files: BankFiles,
    problems: list[Problem],
    hashes: dict[str, str],
    *,
    competencies: set[str],
    questions: dict[str, Question],
    all_question_ids: set[str],
    jds: set[str],
) -> list[LoopTemplate]:
    refs = _LoopRefs(competencies, questions, all_question_ids, jds)
    out: list[LoopTemplate] = []
    seen: set[str] = set()
    for entry in files.loops:
        loop = _load_loop(entry, problems, hashes, refs, seen)
        if loop is not None:
            seen.add(loop.id)
            out.append(loop)
    return out


def _load_loop(
    entry: FolderEntry, problems: list[Problem], hashes: dict[str, str], refs: _LoopRefs, seen: set[str]
) -> LoopTemplate | None:
    """One loop template file, or None if it has an error (``seen``: the ids of the templates read before)."""
    rel = entry.rel
    doc = _read_yaml_file(entry, problems, hashes)
    if doc is None:
        return None
    data = doc.data
    if not isinstance(data, dict):
        problems.append(Problem(rel, 1, "", "a loop template must be a mapping"))
        return None
    before = len(problems)
    report = _Report(rel, doc, problems)
    lid = _text(data.get("id"))
    if not lid or not _ID.match(lid) or len(lid) > MAX_ID:
        report.at("id", f"needs a kebab-case id of at most {MAX_ID} characters", "id")
    elif lid in seen:
        report.at("id", f"duplicate loop id '{lid}'", "id")
    name = _text(data.get("name"))
    if not name or len(name) > MAX_TITLE:
        report.at("name", f"missing, empty or longer than {MAX_TITLE} characters", "name")
    jd_ids = _loop_job_descriptions(data, report, refs.jds)
    stages = _loop_stages(data, report, refs)
    report.close()
    if any(p.severity == "error" for p in problems[before:]) or not lid or not name:
        return None
    return LoopTemplate(
        id=lid,
        name=name,
        job_descriptions=tuple(jd_ids),
        stages=tuple(stages),
        path=rel,
        description=_text(data.get("description")) or "",
    )


def _loop_job_descriptions(data: dict[Any, Any], report: _Report, jds: set[str]) -> list[str]:
    """The ids of the job descriptions a loop is for: a list of known ids (none is fine)."""
    jd_raw = data.get("job_descriptions") or []
    if not isinstance(jd_raw, list):
        report.at("job_descriptions", "must be a list of job-description ids", "job_descriptions")
        jd_raw = []
    jd_ids: list[str] = []
    for i, j in enumerate(jd_raw):
        ref = _ref(j)
        if ref is None or ref not in jds:
            report.at("job_descriptions", f"unknown job description {_show(j)}", "job_descriptions", i)
        else:
            jd_ids.append(ref)
    return jd_ids


def _loop_stages(data: dict[Any, Any], report: _Report, refs: _LoopRefs) -> list[LoopStageTemplate]:
    """A loop's stages (at least one), each a mapping; a question may be planned in one stage only."""
    stages_raw = data.get("stages")
    stages: list[LoopStageTemplate] = []
    used: dict[str, str] = {}  # question id -> the name of the stage that plans it
    if not isinstance(stages_raw, list) or not stages_raw:
        report.at("stages", "needs a list of stages", "stages")
        stages_raw = []
    for si, st in enumerate(stages_raw):
        if not isinstance(st, dict):
            report.at("stages", f"stage {si + 1} must be a mapping", "stages", si)
            continue
        stages.append(_loop_stage(si, st, report, refs, used))
    return stages


def _loop_stage(
    si: int, st: dict[Any, Any], report: _Report, refs: _LoopRefs, used: dict[str, str]
) -> LoopStageTemplate:
    """Stage ``si`` of a loop: a name, 5 to 480 minutes that its questions' minutes fit in, focus, questions."""
    sname = _text(st.get("name"))
    if not sname or len(sname) > MAX_TITLE:
        report.at("name", f"stage {si + 1} needs a name of at most {MAX_TITLE} characters", "stages", si)
        sname = f"Stage {si + 1}"
    shown = _clip(sname, 60)
    minutes = _whole(st.get("minutes"))
    if minutes is None or not 5 <= minutes <= 480:
        report.at("minutes", f"stage '{shown}': minutes must be a whole number from 5 to 480", "stages", si, "minutes")
        minutes = 0
    focus = _stage_focus(si, st, shown, report, refs.competencies)
    qids, planned = _stage_questions(si, st, sname, report, refs, used)
    if minutes and planned > minutes:
        report.at(
            "minutes",
            f"stage '{shown}' plans {planned} minutes of questions but lasts {minutes}",
            "stages", si, "minutes",
        )
    return LoopStageTemplate(name=sname, minutes=int(minutes or 0), focus=tuple(focus), questions=tuple(qids))


def _stage_focus(si: int, st: dict[Any, Any], shown: str, report: _Report, competencies: set[str]) -> list[str]:
    """The competencies a stage focuses on: a list of known ids, at least one."""
    focus_raw = st.get("focus") or []
    if not isinstance(focus_raw, list) or not focus_raw:
        report.at("focus", f"stage '{shown}' needs focus competencies", "stages", si, "focus")
        focus_raw = []
    focus: list[str] = []
    for fi, f in enumerate(focus_raw):
        ref = _ref(f)
        if ref is None or ref not in competencies:
            report.at("focus", f"stage '{shown}': unknown competency {_show(f)}", "stages", si, "focus", fi)
        else:
            focus.append(ref)
    return focus


def _stage_questions(
    si: int, st: dict[Any, Any], sname: str, report: _Report, refs: _LoopRefs, used: dict[str, str]
) -> tuple[list[str], int]:
    """The ids of the questions a stage plans (each a question of the bank, not planned in another stage)
    and their minutes; ``used`` records the stage of each question planned so far."""
    shown = _clip(sname, 60)
    qids_raw = st.get("questions") or []
    if not isinstance(qids_raw, list):
        report.at("questions", f"stage '{shown}': questions must be a list of ids", "stages", si, "questions")
        qids_raw = []
    planned = 0
    qids: list[str] = []
    for qi, q_raw in enumerate(qids_raw):
        q = _ref(q_raw)
        if q is None or q not in refs.all_question_ids:
            report.at("questions", f"stage '{shown}': unknown question {_show(q_raw)}", "stages", si, "questions", qi)
            continue
        if q not in refs.questions:
            report.at(
                "questions", f"stage '{shown}': question '{q}' has errors of its own", "stages", si, "questions", qi
            )
        else:
            planned += refs.questions[q].minutes
        if q in used:
            report.at(
                "questions",
                f"question '{q}' is planned twice (also in stage '{_clip(used[q], 60)}')",
                "stages", si, "questions", qi,
            )
        used[q] = sname
        qids.append(q)
    return qids, planned


@dataclass
class BankFiles:
    """The files of a bank folder that the loader reads, found fit to read, and what was refused there."""

    settings: FolderEntry | None = None  # bank.yaml (optional)
    competencies: FolderEntry | None = None  # competencies.yaml
    job_descriptions: list[FolderEntry] = field(default_factory=list)
    questions: list[FolderEntry] = field(default_factory=list)
    loops: list[FolderEntry] = field(default_factory=list)
    refused: list[Refusal] = field(default_factory=list)
    has_job_descriptions: bool = False

    def fingerprint(self) -> dict[str, tuple[int, int]]:
        """(size, mtime_ns) of every file, by relative path; a refused one counts with (-1, -1), so that a
        bank with a refused file never looks unchanged since a sync."""
        out = {r.rel: (-1, -1) for r in self.refused}
        for entry in (self.settings, self.competencies, *self.job_descriptions, *self.questions, *self.loops):
            if entry is not None:
                out[entry.rel] = (entry.size, entry.mtime_ns)
        return out


def list_bank(root: Path, *, only_settings: bool = False) -> BankFiles:
    """Find the files of the bank in ``root`` (see :func:`interviewkit.inputs.scan_folder` for what is
    refused): bank.yaml, competencies.yaml, job_descriptions/*.{md,markdown,txt}, questions/**/*.md and
    loops/*.{yaml,yml}. A sub-folder that is a symbolic link is refused, not followed."""
    files = BankFiles()
    top, refused = scan_folder(root, suffixes=(), names=("bank.yaml", "competencies.yaml"))
    files.refused.extend(refused)
    for entry in top:
        if entry.rel == "bank.yaml":
            files.settings = entry
        else:
            files.competencies = entry
    if only_settings:
        return files
    for folder in ("job_descriptions", "questions", "loops"):
        where = os.path.join(root, folder)
        if os.path.islink(where):
            files.refused.append(Refusal(folder + "/", "is a symbolic link; links to folders are not followed"))
            continue
        if not os.path.isdir(where):
            if os.path.lexists(where):
                files.refused.append(Refusal(folder, "is not a folder"))
            elif folder == "questions":  # without it every question would be retired
                files.refused.append(Refusal("questions/", "missing: a bank keeps its questions in this folder"))
            continue
        if folder == "job_descriptions":
            files.has_job_descriptions = True
            found, refused = scan_folder(root, folder, suffixes=JD_SUFFIXES, ignore_case=True)
            files.job_descriptions = found
        elif folder == "questions":
            found, refused = scan_folder(root, folder, suffixes=(".md",), recursive=True)
            files.questions = found
        else:
            found, refused = scan_folder(root, folder, suffixes=LOOP_SUFFIXES)
            files.loops = found
        files.refused.extend(refused)
    return files


def question_files(root: Path) -> list[str]:
    """The paths of a bank's question files that can be read, in a stable order (sorted by relative path)."""
    return [entry.path for entry in list_bank(Path(root)).questions]


class BankReader:
    """Reads a bank in two steps, so that a caller can work on each question while the next is read.

    Creating it reads the framework (settings, competencies, job descriptions); :meth:`questions` then
    yields each valid question in file order; :meth:`finish` reads the loop templates (which refer to the
    questions) and returns the whole :class:`Bank`. :func:`load_bank` does all three. ``files`` is the
    bank's listing when the caller has made it already (:func:`list_bank`).
    """

    def __init__(self, root: Path, files: BankFiles | None = None) -> None:
        self.root = root = Path(root)
        self.problems: list[Problem] = []
        self._hashes: dict[str, str] = {}
        self.exists = root.is_dir()
        if not self.exists:
            self.problems.append(Problem(one_line(str(root)), 0, "", "no such folder"))
            self.settings = BankSettings()
            self.competencies: list[Competency] = []
            self.job_descriptions: list[ParsedJD] = []
            self.files = BankFiles()
        else:
            self.files = files = files if files is not None else list_bank(root)
            self.problems.extend(Problem(r.rel, 0, "", r.message) for r in files.refused)
            self.settings = _load_settings(files.settings, self.problems, self._hashes)
            refused = {r.rel for r in files.refused}
            if files.competencies is None and "competencies.yaml" in refused:
                self.competencies = []
            else:
                self.competencies = _load_competencies(files.competencies, self.problems, self._hashes)
            self.job_descriptions = _load_job_descriptions(files, self.problems, self._hashes)
        self._questions: list[Question] = []
        self._unloaded: list[str] = []
        self._all_ids: set[str] = set()
        self._read = not self.exists

    def questions(self) -> Iterator[Question]:
        """Each valid question, in the order of :func:`question_files`; a duplicate id keeps the first file."""
        if self._read:
            raise RuntimeError("the questions of this bank were read already")
        self._read = True
        root, problems = self.root, self.problems
        comp_ids = frozenset(c.id for c in self.competencies)
        req_ids = frozenset(r.id for jd in self.job_descriptions for r in jd.requirements)
        first_seen: dict[str, str] = {}
        for entry in self.files.questions:
            q = parse_question_file(
                entry.path, root, settings=self.settings, competencies=comp_ids, requirements=req_ids,
                problems=problems, hashes=self._hashes,
            )
            if q is None:
                self._all_ids.add(_stem(entry.rel))
                self._unloaded.append(entry.rel)
                continue
            self._all_ids.add(q.id)
            if q.id in first_seen:
                problems.append(
                    Problem(
                        q.path,
                        _line_of_field(entry.path, "id"),
                        "id",
                        f"duplicate id '{q.id}' (also in {first_seen[q.id]})",
                    )
                )
                self._unloaded.append(q.path)
                continue
            first_seen[q.id] = q.path
            self._questions.append(q)
            yield q

    def finish(self) -> Bank:
        """The whole bank, once every question has been read."""
        if not self._read:
            for _ in self.questions():
                pass
        if not self.exists:
            return Bank(self.root, self.settings, [], [], [], [], self.problems)
        loops = _load_loops(
            self.files,
            self.problems,
            self._hashes,
            competencies={c.id for c in self.competencies},
            questions={q.id: q for q in self._questions},
            all_question_ids=self._all_ids,
            jds={jd.id for jd in self.job_descriptions},
        )
        return Bank(
            self.root, self.settings, self.competencies, self.job_descriptions, self._questions, loops,
            self.problems, self._unloaded, self._hashes,
        )


def load_bank(root: Path) -> Bank:
    """Load and validate the bank in ``root``; problems are collected, never raised."""
    return BankReader(root).finish()


def _line_of_field(path: str | os.PathLike[str], fieldname: str) -> int:
    try:
        text = decode_text(read_bytes(path, kind="question file"), path, kind="question file")
    except InputError:
        return 0
    for no, line in enumerate(text.split("\n"), start=1):
        if line.startswith(f"{fieldname}:"):
            return no
    return 0
