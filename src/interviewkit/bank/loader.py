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
import itertools
import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any

from interviewkit.bank.model import (
    EXAMPLE_KINDS,
    KINDS,
    MAX_COMPETENCY_ID,
    MAX_ID,
    MAX_LABEL,
    MAX_NAME,
    MAX_PARTIAL,
    MAX_PATH,
    MAX_PRIMARY_REQUIREMENTS,
    MAX_TITLE,
    SCOPE_COMPETENCIES,
    SCOPE_LEVELS,
    STAGE_KINDS,
    Bank,
    BankSettings,
    Competency,
    LoopStageTemplate,
    LoopTemplate,
    Problem,
    Question,
    RatingScale,
    variant_heads,
)
from interviewkit.domain.evidence import MAX_ITEMS, Rule, RuleError, parse_rule
from interviewkit.inputs import (
    FolderEntry,
    InputError,
    Refusal,
    decode_text,
    one_line,
    read_bytes,
    scan_folder,
)

if TYPE_CHECKING:  # reading job descriptions (pdf, docx readers) loads only where a bank's documents are read
    import yaml

    from interviewkit.bank.jd import ParsedJD

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


# PyYAML is imported where it is used, not with this module: with yaml-rs it only finds the line numbers of a
# problem and makes the errors, so a command that reads a valid bank.yaml (every PDF export, calibrate) does
# not load it (18 modules, about 7 ms).


def _safe_loader() -> Any:
    import yaml

    return getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _yaml_error() -> type[yaml.YAMLError]:
    """PyYAML's error class, for an ``except`` clause (evaluated only when something was raised)."""
    import yaml

    return yaml.YAMLError

JD_SUFFIXES = (".md", ".markdown", ".txt")
LOOP_SUFFIXES = (".yaml", ".yml")
_ID = re.compile(r"^[a-z0-9]+(?:[-_.][a-z0-9]+)*$")

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
# The second edition's fields (docs/bank-format.md); a first-edition file has none of them.
QUESTION_FIELDS_2 = ("related_requirements", "evidence", "thresholds", "examples", "scope", "variant_of")
_QUESTION_FIELD_SET = frozenset(QUESTION_FIELDS + QUESTION_FIELDS_2)
# How many evidence items a question's checklist has.
EVIDENCE_ITEMS = (3, 7)

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
                import yaml

                self._node = yaml.compose(self.text, Loader=_safe_loader())
            except Exception:  # noqa: BLE001 - only for line numbers: a parser that disagrees must not stop the report
                self._node = None
        return self._node

    def _entry(self, node: yaml.MappingNode, key: str) -> tuple[yaml.Node, yaml.Node] | None:
        import yaml

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
        import yaml

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
            import yaml

            message = str(exc).strip().splitlines()
            found = _RS_LINE.search(message[0]) if message else None
            err = yaml.MarkedYAMLError(problem=message[-1] if message else "not valid YAML")
            if found:
                err.problem_mark = yaml.Mark("", 0, int(found.group(1)) - 1, 0, None, 0)
            raise err from None
        except Exception as exc:  # noqa: BLE001 - a foreign parser on untrusted text: any failure is bad input
            raise _not_yaml(exc) from None
    import yaml

    loader = _safe_loader()(text)
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
    import yaml

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
    second = _second_edition(data, settings, report, requirements, reqs, qid)
    _asked_of_examples_and_scope(data, report, second, settings, kind, level, comps)
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
        related_requirements=second.related,
        evidence=second.evidence,
        thresholds=tuple(sorted(second.thresholds.items())),
        examples=tuple(sorted(second.examples.items())),
        scope=second.scope,
        variant_of=second.variant_of,
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
    except _yaml_error() as exc:
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
        if not reqs and "requirements" in data and "evidence" not in data and "thresholds" not in data:
            report.warn("requirements", "covers no requirement")  # (the second edition makes it an error)
        if requirements is not None:
            known_r = requirements if isinstance(requirements, (set, frozenset)) else set(requirements)
            for i, r in enumerate(reqs):
                if r not in known_r:
                    report.add("requirements", f"unknown requirement {_show(r)}", i)
        if len(set(reqs)) != len(reqs):
            report.warn("requirements", "lists a requirement twice")
    return reqs


@dataclass
class _SecondEdition:
    """What a question file says in the second edition's fields (empty for a first-edition file)."""

    related: tuple[str, ...] = ()
    evidence: tuple[str, ...] = ()
    thresholds: dict[int, Rule] = field(default_factory=dict)
    examples: dict[int, str] = field(default_factory=dict)
    scope: str = ""
    variant_of: str | None = None


def _second_edition(
    data: dict[Any, Any],
    settings: BankSettings,
    report: _Report,
    requirements: Iterable[str] | None,
    reqs: tuple[str, ...] | None,
    qid: str | None,
) -> _SecondEdition:
    """The second edition's fields: related requirements, the evidence checklist and its thresholds, the
    example answers, scope and variant_of. A file with neither ``evidence`` nor ``thresholds`` is still in
    the first edition: it loads with a warning (its requirements are not yet cut to the primary ones)."""
    out = _SecondEdition()
    converted = "evidence" in data or "thresholds" in data
    if not converted:
        many = len(reqs or ()) > MAX_PRIMARY_REQUIREMENTS
        cut = f"; then cut its {len(reqs or ()):,} requirements to 1 to 3 primary ones" if many else ""
        report.warn("evidence", f"no evidence checklist yet: add evidence and thresholds{cut}")
    elif reqs is not None and not 1 <= len(reqs) <= MAX_PRIMARY_REQUIREMENTS:
        report.add(
            "requirements",
            f"has {len(reqs):,} primary requirements; a question is built for 1 to {MAX_PRIMARY_REQUIREMENTS} "
            "(move the others to related_requirements)",
        )
    out.related = _related_requirements(data, report, requirements, reqs) or ()
    evidence = _text_list(data.get("evidence"), report, "evidence") if "evidence" in data else ()
    lo, hi = EVIDENCE_ITEMS
    if evidence and "evidence" in data and not lo <= len(evidence) <= hi:
        report.add("evidence", f"needs {lo} to {hi} evidence items, has {len(evidence):,}")
    elif evidence is not None and "evidence" in data and not evidence:
        report.add("evidence", f"needs {lo} to {hi} evidence items, has none")
    out.evidence = evidence or ()
    if evidence:
        _check_repeated_items(evidence, report)
    if "thresholds" in data:
        out.thresholds = _thresholds(data.get("thresholds"), settings, report, len(evidence or ()))
    elif converted:
        report.add("thresholds", "missing: every level above the lowest needs a rule of ticked evidence items")
    out.examples = _level_texts(data, "examples", settings, report)
    out.scope, out.variant_of = _scope_and_variant(data, report, qid)
    return out


def _related_requirements(
    data: dict[Any, Any], report: _Report, requirements: Iterable[str] | None, reqs: tuple[str, ...] | None
) -> tuple[str, ...] | None:
    """Requirements an answer may touch (never counted as assessed): known ids, none of them primary."""
    if "related_requirements" not in data:
        return ()
    related = _text_list(data.get("related_requirements"), report, "related_requirements")
    if related is None:
        return None
    known = None if requirements is None else (
        requirements if isinstance(requirements, (set, frozenset)) else set(requirements)
    )
    primary = set(reqs or ())
    seen: set[str] = set()
    for i, r in enumerate(related):
        if known is not None and r not in known:
            report.add("related_requirements", f"unknown requirement {_show(r)}", i)
        elif r in primary:
            report.add("related_requirements", f"{_show(r)} is a primary requirement already (requirements)", i)
        elif r in seen:
            report.add("related_requirements", f"lists requirement {_show(r)} twice", i)
        seen.add(r)
    return related


def _check_repeated_items(evidence: tuple[str, ...], report: _Report) -> None:
    """Two evidence items that say the same thing would be two boxes for one observation."""
    first: dict[str, int] = {}
    for i, item in enumerate(evidence):
        norm = item.lower()
        if norm in first:
            report.add("evidence", f"items {first[norm] + 1} and {i + 1} are the same", i)
        first.setdefault(norm, i)


def _thresholds(raw: Any, settings: BankSettings, report: _Report, n_items: int) -> dict[int, Rule]:
    """The rule of each level above the scale's lowest (every one of them), parsed against the checklist;
    a higher level must need at least as many ticked items as a lower one."""
    lo, hi = settings.scale.min, settings.scale.max
    if not isinstance(raw, dict):
        report.add("thresholds", f"must map each level from {lo + 1} to {hi} to a rule such as 'any 2 of 1-4'")
        return {}
    if not 1 <= n_items <= MAX_ITEMS:
        report.add("thresholds", "the rules need an evidence checklist to count items of (evidence)")
        return {}
    rules: dict[int, Rule] = {}
    every_key_a_level = True
    for key, value in raw.items():
        level = _scale_level(key, "thresholds", settings, report)
        if level is None:
            every_key_a_level = False
            continue
        if level == lo:
            report.add("thresholds", f"level {lo} is the lowest: it needs no rule (no rule met rates {lo})", _key(key))
        elif level in rules:
            report.add("thresholds", f"level {level} has two rules", _key(key))
        elif _text(value) is None:
            report.add("thresholds", f"the rule of level {level} is empty or not text", _key(key))
        else:
            try:
                rules[level] = parse_rule(str(_text(value)), n_items)
            except RuleError as exc:
                report.add("thresholds", f"level {level}: {exc}", _key(key))
                every_key_a_level = False
    missing = [lv for lv in range(lo + 1, hi + 1) if lv not in rules]
    if missing and every_key_a_level:
        report.add("thresholds", "no rule for level " + ", ".join(str(m) for m in missing))
    _check_rising(rules, raw, report)
    return rules


def _check_rising(rules: dict[int, Rule], raw: dict[Any, Any], report: _Report) -> None:
    """A higher level's rule can never be met with fewer ticked items than a lower level's."""
    key_of = {_level_key(k): k for k in raw}
    levels = sorted(rules)
    for lower, higher in itertools.pairwise(levels):
        need_low, need_high = rules[lower].min_ticks, rules[higher].min_ticks
        if need_high < need_low:
            report.add(
                "thresholds",
                f"level {higher} ('{rules[higher].text}') can be met with {need_high} ticked item(s) but level "
                f"{lower} ('{rules[lower].text}') needs {need_low}: a higher level needs at least as many",
                _key(key_of.get(higher, higher)),
            )


def _scale_level(key: Any, fieldname: str, settings: BankSettings, report: _Report) -> int | None:
    """A mapping key that names a level of the scale, or None with the problem reported."""
    lo, hi = settings.scale.min, settings.scale.max
    level = key if type(key) is int else _level_key(key)
    if level is None:
        message = f"{_show(key)} is not a level of the scale: levels are whole numbers from {lo} to {hi}"
        report.add(fieldname, message, _key(key))
        return None
    if not lo <= level <= hi:
        report.add(fieldname, f"level {_show(level)} is outside the scale {lo}..{hi}", _key(key))
        return None
    return level


def _level_texts(data: dict[Any, Any], fieldname: str, settings: BankSettings, report: _Report) -> dict[int, str]:
    """A mapping of levels of the scale to texts (the example answers)."""
    if fieldname not in data:
        return {}
    raw = data.get(fieldname)
    if not isinstance(raw, dict):
        report.add(fieldname, "must map levels of the scale to texts")
        return {}
    out: dict[int, str] = {}
    for key, value in raw.items():
        level = _scale_level(key, fieldname, settings, report)
        if level is None:
            continue
        text = _text(value)
        if level in out:
            report.add(fieldname, f"level {level} is given twice", _key(key))
        elif text is None:
            report.add(fieldname, f"the text of level {level} is empty", _key(key))
        else:
            out[level] = text
    return out


def _scope_and_variant(data: dict[Any, Any], report: _Report, qid: str | None) -> tuple[str, str | None]:
    """The scope line (a text) and the id of the question this one is a variant of (not itself)."""
    scope = _text(data.get("scope")) or ""
    if "scope" in data and not scope:
        report.add("scope", "must be a text: what scope each level shows (team size, span, budget)")
    variant_of = None
    if "variant_of" in data:
        variant_of = _text(data.get("variant_of"))
        if variant_of is None or not _ID.match(variant_of) or len(variant_of) > MAX_ID:
            report.add("variant_of", "must be the id of another question")
            variant_of = None
        elif variant_of == qid:
            report.add("variant_of", "a question cannot be a variant of itself")
            variant_of = None
    return scope, variant_of


def _asked_of_examples_and_scope(
    data: dict[Any, Any],
    report: _Report,
    second: _SecondEdition,
    settings: BankSettings,
    kind: str | None,
    level: str,
    comps: tuple[str, ...] | None,
) -> None:
    """Warn where the second edition asks for example answers (levels 2 and 4 of a 1-4 scale, on technical,
    system-design and work-sample questions) or a scope line (manager questions on leadership competencies).
    Warnings while the files are converted."""
    if not second.evidence:
        return  # the first edition's warning says all there is to say
    wanted = [settings.scale.min + 1, settings.scale.max]
    missing = [lv for lv in dict.fromkeys(wanted) if lv not in second.examples]
    if kind in EXAMPLE_KINDS and missing:
        report.warn(
            "examples",
            f"no example answer for level {' and '.join(str(m) for m in missing)} "
            f"({', '.join(EXAMPLE_KINDS)} questions show what levels {wanted[0]} and {wanted[1]} sound like)",
        )
    leads = sorted(set(comps or ()) & set(SCOPE_COMPETENCIES))
    if level in SCOPE_LEVELS and leads and not second.scope and "scope" not in data:
        report.warn(
            "scope",
            f"missing: a {level} question on {', '.join(leads)} says what scope each level shows "
            "(team size, span, budget)",
        )


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
    except _yaml_error() as exc:
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
    from interviewkit.bank.jd import JDError, jd_from_bytes

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


SCREENING = "screening.yaml"


@dataclass
class _Screening:
    """screening.yaml as read: what the recruiter asks for each screen-only requirement, and its line."""

    asks: dict[str, str] = field(default_factory=dict)
    lines: dict[str, int] = field(default_factory=dict)


def _load_screening(
    entry: FolderEntry | None, problems: list[Problem], hashes: dict[str, str], requirements: set[str]
) -> _Screening:
    """The screen-only requirements (optional file): ``items``, each a known requirement, once, with an ask."""
    out = _Screening()
    if entry is None:
        return out
    doc = _read_yaml_file(entry, problems, hashes)
    if doc is None or doc.data is None:
        return out
    report = _Report(SCREENING, doc, problems)
    items = doc.data.get("items") if isinstance(doc.data, dict) else None
    if not isinstance(items, list):
        report.add("items", "screening.yaml must be a mapping with a list of items (requirement, ask)", line=1)
        report.close()
        return out
    for i, item in enumerate(items):
        if not isinstance(item, dict):
            report.add("items", f"item {i + 1} must be a mapping with requirement and ask",
                       line=doc.line_of("items", i))
            continue
        for key in item:
            if key not in ("requirement", "ask"):
                report.add(_key(key), "unknown field (ignored)", severity="warning",
                           line=doc.line_of("items", i, _key(key)))
        rid, ask = _ref(item.get("requirement")), _text(item.get("ask"))
        line = doc.line_of("items", i, "requirement") if "requirement" in item else doc.line_of("items", i)
        if rid is None or rid not in requirements:
            report.add("requirement", f"unknown requirement {_show(item.get('requirement'))}", line=line)
        elif rid in out.asks:
            report.add("requirement", f"'{rid}' is listed twice (first at line {out.lines[rid]})", line=line)
        elif ask is None:
            report.add("ask", f"item {i + 1} needs the question the recruiter asks", line=doc.line_of("items", i))
        else:
            out.asks[rid], out.lines[rid] = ask, line
    report.close()
    return out


def _check_screen_only(questions: list[Question], screening: _Screening, problems: list[Problem]) -> None:
    """A screen-only requirement is no question's primary requirement (a warning for a first-edition file,
    whose requirements are not yet cut to the primary ones)."""
    for q in questions:
        for rid in q.requirements:
            if rid in screening.asks:
                problems.append(
                    Problem(
                        SCREENING,
                        screening.lines[rid],
                        "requirement",
                        f"'{rid}' is screen-only, but question '{q.id}' ({q.path}) has it as a primary "
                        "requirement: take it off the screen or make it a related requirement there",
                        "error" if q.evidence else "warning",
                    )
                )


def _check_variants(questions: list[Question], all_ids: set[str], root: Path, problems: list[Problem]) -> None:
    """``variant_of`` names a question of the bank, and following it never comes back to where it started."""
    parent = {q.id: q.variant_of for q in questions}
    by_id = {q.id: q for q in questions}
    reported: set[str] = set()
    for q in questions:
        if q.variant_of is None:
            continue
        if q.variant_of not in all_ids:
            problems.append(
                Problem(q.path, _line_of_field(root / q.path, "variant_of"), "variant_of",
                        f"unknown question '{q.variant_of}'")
            )
            continue
        chain = [q.id]
        at: str | None = q.variant_of
        while at is not None and at not in chain:
            chain.append(at)
            at = parent.get(at)
        if at is None or at != q.id or q.id in reported:
            continue  # no loop, or one that does not come back to q (reported from its own members)
        reported.update(chain)
        first = min(chain, key=lambda qid: by_id[qid].path)
        problems.append(
            Problem(by_id[first].path, _line_of_field(root / by_id[first].path, "variant_of"), "variant_of",
                    "variant_of makes a loop: " + " -> ".join([*chain, q.id]) + "; a group has one head")
        )


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
    screening: set[str] = field(default_factory=set)  # the requirements of screening.yaml
    heads: dict[str, str] = field(default_factory=dict)  # question id -> the head of its variant group


@dataclass
class _Planned:
    """What the stages of one loop read so far plan: each question's stage, each variant group's question."""

    stage_of: dict[str, str] = field(default_factory=dict)
    question_of_group: dict[str, str] = field(default_factory=dict)


def _load_loops(
    files: BankFiles, problems: list[Problem], hashes: dict[str, str], refs: _LoopRefs
) -> list[LoopTemplate]:
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
    partial = _loop_partial(data, report)
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
        partial=partial,
    )


def _loop_partial(data: dict[Any, Any], report: _Report) -> str:
    """``partial``: why the loop leaves must-haves unassessed on purpose, in a sentence ("" when absent)."""
    if "partial" not in data:
        return ""
    raw = data.get("partial")
    text = _text(raw) if isinstance(raw, str) else None
    if text is None or len(text) > MAX_PARTIAL:
        report.at("partial", "must say in a sentence why the loop leaves must-haves unassessed, at most "
                  f"{MAX_PARTIAL} characters (leave it out for a loop meant to assess every must-have)", "partial")
        return ""
    return " ".join(text.split())


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
    used = _Planned()
    if not isinstance(stages_raw, list) or not stages_raw:
        report.at("stages", "needs a list of stages", "stages")
        stages_raw = []
    for si, st in enumerate(stages_raw):
        if not isinstance(st, dict):
            report.at("stages", f"stage {si + 1} must be a mapping", "stages", si)
            continue
        stages.append(_loop_stage(si, st, report, refs, used))
    return stages


def _loop_stage(si: int, st: dict[Any, Any], report: _Report, refs: _LoopRefs, used: _Planned) -> LoopStageTemplate:
    """Stage ``si`` of a loop: a name, 5 to 480 minutes that its questions' minutes fit in, focus, questions;
    or, for a screen stage, a name, minutes and the checklist."""
    sname = _text(st.get("name"))
    if not sname or len(sname) > MAX_TITLE:
        report.at("name", f"stage {si + 1} needs a name of at most {MAX_TITLE} characters", "stages", si)
        sname = f"Stage {si + 1}"
    shown = _clip(sname, 60)
    minutes = _whole(st.get("minutes"))
    if minutes is None or not 5 <= minutes <= 480:
        report.at("minutes", f"stage '{shown}': minutes must be a whole number from 5 to 480", "stages", si, "minutes")
        minutes = 0
    kind = _text(st.get("kind")) if "kind" in st else "interview"
    if kind not in STAGE_KINDS:
        report.at("kind", f"stage '{shown}': kind must be interview or screen (got {_show(st.get('kind'))})",
                  "stages", si, "kind")
    if kind == "screen":
        checklist = _screen_checklist(si, st, shown, report, refs.screening)
        return LoopStageTemplate(sname, int(minutes or 0), (), (), kind="screen", checklist=checklist)
    if "checklist" in st:
        report.at("checklist", f"stage '{shown}': only a screen stage (kind: screen) has a checklist",
                  "stages", si, "checklist")
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


def _screen_checklist(
    si: int, st: dict[Any, Any], shown: str, report: _Report, screening: set[str]
) -> tuple[str, ...]:
    """A screen stage's checklist: requirement ids of screening.yaml, at least one; no questions or focus."""
    for fieldname in ("questions", "focus"):
        if st.get(fieldname):
            report.at(fieldname, f"stage '{shown}' is a screen: it has a checklist, not {fieldname}",
                      "stages", si, fieldname)
    raw = st.get("checklist")
    if not isinstance(raw, list) or not raw:
        report.at("checklist", f"stage '{shown}' is a screen: it needs a checklist of requirement ids from "
                  "screening.yaml", "stages", si, "checklist" if "checklist" in st else "name")
        return ()
    out: list[str] = []
    for ci, item in enumerate(raw):
        ref = _ref(item)
        if ref is None or ref not in screening:
            report.at("checklist", f"stage '{shown}': {_show(item)} is not a requirement of screening.yaml",
                      "stages", si, "checklist", ci)
        elif ref in out:
            report.at("checklist", f"stage '{shown}': {_show(item)} is listed twice", "stages", si, "checklist", ci)
        else:
            out.append(ref)
    return tuple(out)


def _stage_questions(
    si: int, st: dict[Any, Any], sname: str, report: _Report, refs: _LoopRefs, used: _Planned
) -> tuple[list[str], int]:
    """The ids of the questions a stage plans (each a question of the bank, not planned in another stage,
    one per variant group in the whole loop) and their minutes; ``used`` records what was planned so far."""
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
        if q in used.stage_of:
            report.at(
                "questions",
                f"question '{q}' is planned twice (also in stage '{_clip(used.stage_of[q], 60)}')",
                "stages", si, "questions", qi,
            )
        else:
            _check_one_per_group(q, si, qi, report, refs, used)
        used.stage_of[q] = sname
        qids.append(q)
    return qids, planned


def _check_one_per_group(q: str, si: int, qi: int, report: _Report, refs: _LoopRefs, used: _Planned) -> None:
    """A loop plans one question per variant group: a sibling of a question planned before is an error."""
    head = refs.heads.get(q, q)
    other = used.question_of_group.setdefault(head, q)
    if other != q:
        report.at(
            "questions",
            f"question '{q}' is a variant of '{other}' (group of '{head}'), planned in stage "
            f"'{_clip(used.stage_of[other], 60)}': a loop plans one question per variant group",
            "stages", si, "questions", qi,
        )


@dataclass
class BankFiles:
    """The files of a bank folder that the loader reads, found fit to read, and what was refused there."""

    settings: FolderEntry | None = None  # bank.yaml (optional)
    competencies: FolderEntry | None = None  # competencies.yaml
    screening: FolderEntry | None = None  # screening.yaml (optional)
    job_descriptions: list[FolderEntry] = field(default_factory=list)
    questions: list[FolderEntry] = field(default_factory=list)
    loops: list[FolderEntry] = field(default_factory=list)
    refused: list[Refusal] = field(default_factory=list)
    has_job_descriptions: bool = False

    def fingerprint(self) -> dict[str, tuple[int, int]]:
        """(size, mtime_ns) of every file, by relative path; a refused one counts with (-1, -1), so that a
        bank with a refused file never looks unchanged since a sync."""
        out = {r.rel: (-1, -1) for r in self.refused}
        for entry in (
            self.settings, self.competencies, self.screening, *self.job_descriptions, *self.questions, *self.loops
        ):
            if entry is not None:
                out[entry.rel] = (entry.size, entry.mtime_ns)
        return out


def list_bank(root: Path, *, only_settings: bool = False) -> BankFiles:
    """Find the files of the bank in ``root`` (see :func:`interviewkit.inputs.scan_folder` for what is
    refused): bank.yaml, competencies.yaml, screening.yaml, job_descriptions/*.{md,markdown,txt},
    questions/**/*.md and loops/*.{yaml,yml}. A sub-folder that is a symbolic link is refused, not followed."""
    files = BankFiles()
    top, refused = scan_folder(root, suffixes=(), names=("bank.yaml", "competencies.yaml", "screening.yaml"))
    files.refused.extend(refused)
    for entry in top:
        if entry.rel == "bank.yaml":
            files.settings = entry
        elif entry.rel == "competencies.yaml":
            files.competencies = entry
        else:
            files.screening = entry
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
            self.screening = _Screening()
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
            known = {r.id for jd in self.job_descriptions for r in jd.requirements}
            self.screening = _load_screening(files.screening, self.problems, self._hashes, known)
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
        _check_variants(self._questions, self._all_ids, self.root, self.problems)
        _check_screen_only(self._questions, self.screening, self.problems)
        _check_example_questions(self.root, {q.id for q in self._questions}, self.problems)
        refs = _LoopRefs(
            competencies={c.id for c in self.competencies},
            questions={q.id: q for q in self._questions},
            all_question_ids=self._all_ids,
            jds={jd.id for jd in self.job_descriptions},
            screening=set(self.screening.asks),
            heads=variant_heads(self._questions),
        )
        loops = _load_loops(self.files, self.problems, self._hashes, refs)
        return Bank(
            self.root, self.settings, self.competencies, self.job_descriptions, self._questions, loops,
            self.problems, self._unloaded, self._hashes, dict(self.screening.asks),
        )


EXAMPLES_FILE = "competency_examples.yaml"


def _check_example_questions(root: Path, question_ids: set[str], problems: list[Problem]) -> None:
    """The question ids that competency_examples.yaml's entries name as on topic (``questions:``, what the
    suggestions' label transfer votes for) are the bank's: a renamed or deleted question is an error at its line,
    not a vote that silently goes nowhere. (What else is wrong with the file, ``jd suggest`` says when it reads it.)"""
    try:
        text = (root / EXAMPLES_FILE).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return
    if "questions:" not in text:
        return
    import yaml

    try:
        node = yaml.compose(text, Loader=_safe_loader())
    except yaml.YAMLError:
        return
    entries = node.value if isinstance(node, yaml.SequenceNode) else []
    for entry in entries:
        pairs = entry.value if isinstance(entry, yaml.MappingNode) else []
        for key, value in pairs:
            if key.value != "questions":
                continue
            items = value.value if isinstance(value, yaml.SequenceNode) else [value]
            for item in items:
                if not isinstance(item, yaml.ScalarNode) or item.value not in question_ids:
                    shown = _clip(str(item.value)) if isinstance(item, yaml.ScalarNode) else "a list or mapping"
                    line = item.start_mark.line + 1
                    problems.append(Problem(EXAMPLES_FILE, line, "questions", f"no question {shown!r} in the bank"))


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
