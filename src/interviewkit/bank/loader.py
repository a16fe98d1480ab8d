"""Read a question bank folder and validate all of it.

Every problem is collected with the file, line and field it concerns, and loading goes on: what is valid
is still loaded, so one broken file never hides the rest of the bank.

Front matter is parsed with yaml-rs (a Rust YAML 1.2 parser, six times faster than PyYAML's C loader on
question files, and free of YAML 1.1's "No means false" trap). PyYAML is used only to find the line of a
field when there is a problem to report, and as the parser where yaml-rs is not installed.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import yaml

try:  # the fast parser; the loader works without it
    import yaml_rs
except ImportError:  # pragma: no cover - exercised where the wheel is unavailable
    yaml_rs = None

from interviewkit.bank.jd import JDError, ParsedJD, read_jd_file
from interviewkit.bank.model import (
    KINDS,
    Bank,
    BankSettings,
    Competency,
    LoopStageTemplate,
    LoopTemplate,
    Problem,
    Question,
    RatingScale,
)

__all__ = ["BankReader", "load_bank", "load_settings", "parse_question_file", "parse_question_text", "JD_SUFFIXES"]

JD_SUFFIXES = (".md", ".markdown", ".txt")
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


class _Doc:
    """A parsed YAML document that can say on which line each key and item stands.

    The data comes from the fast parser; the node tree that knows line numbers is built only when a
    problem needs a line.
    """

    def __init__(self, text: str, data: Any, first_line: int, node: yaml.Node | None = None) -> None:
        self.text = text
        self.data = data
        self.first_line = first_line  # file line of the document's first line
        self._node = node
        self._composed = node is not None

    @property
    def node(self) -> yaml.Node | None:
        if not self._composed:
            self._composed = True
            try:
                self._node = yaml.compose(self.text, Loader=_Loader)
            except yaml.YAMLError:
                self._node = None
        return self._node

    def line_of(self, *path: str | int) -> int:
        node = self.node
        if node is None:
            return self._scan_line(path)
        line = node.start_mark.line
        for step in path:
            if isinstance(node, yaml.MappingNode):
                found = None
                for key, value in node.value:
                    if key.value == str(step):
                        found = (key, value)
                        break
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
        """Without a node tree: the line where the top-level key starts."""
        if path and isinstance(path[0], str):
            for no, line in enumerate(self.text.split("\n")):
                if line.startswith(f"{path[0]}:"):
                    return self.first_line + no
        return self.first_line


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
                err.problem_mark = yaml.Mark("", 0, int(found.group(1)) - 1, 0, None, None)
            raise err from None
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    finally:
        loader.dispose()
    return _Doc(text, data, first_line, node)


def _yaml_problem(path: str, exc: yaml.YAMLError, first_line: int) -> Problem:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    line = first_line + mark.line if mark is not None else first_line
    problem = getattr(exc, "problem", None) or str(exc)
    context = getattr(exc, "context", None)
    message = f"bad YAML: {problem}" + (f" ({context})" if context else "")
    return Problem(path, line, "", message)


def _text(value: Any) -> str | None:
    """A non-empty string, or None. Numbers are accepted as text; booleans are not (YAML 'yes')."""
    if type(value) is str:  # the common case, first
        stripped = value.strip()
        if not stripped:
            return None
        return " ".join(stripped.split()) if "\n" in stripped else stripped
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, str) and value.strip():
        return " ".join(value.split()) if "\n" in value.strip() else value.strip()
    return None


def _text_list(
    value: Any, doc: _Doc, rel: str, fieldname: str, problems: list[Problem]
) -> tuple[str, ...] | None:
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        problems.append(Problem(rel, doc.line_of(fieldname), fieldname, "must be a list of texts"))
        return None
    out = []
    for i, item in enumerate(value):
        text = _text(item)
        if isinstance(item, bool):
            problems.append(
                Problem(
                    rel, doc.line_of(fieldname, i), fieldname,
                    f"item {i + 1} reads as {str(item).lower()} in YAML (yes/no/on/off do); put it in quotes",
                )
            )
            return None
        if text is None:
            problems.append(
                Problem(rel, doc.line_of(fieldname, i), fieldname, f"item {i + 1} is empty or not text")
            )
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
    text = text.lstrip("\ufeff").replace("\r\n", "\n")
    split = _split_front_matter(text)
    if split is None:
        problems.append(
            Problem(rel, 1, "", "no YAML front matter: the file must start with a '---' line")
        )
        return None
    front, body, _body_line = split
    try:
        doc = _parse_yaml(front, 2)
    except yaml.YAMLError as exc:
        problems.append(_yaml_problem(rel, exc, 2))
        return None
    data = doc.data
    if not isinstance(data, dict):
        problems.append(Problem(rel, 2, "", "the front matter must be a mapping of fields"))
        return None

    before = len(problems)

    def err(fieldname: str, message: str, *path: str | int) -> None:
        problems.append(Problem(rel, doc.line_of(fieldname, *path), fieldname, message))

    def warn(fieldname: str, message: str) -> None:
        problems.append(Problem(rel, doc.line_of(fieldname), fieldname, message, "warning"))

    for key in data:
        if key not in _QUESTION_FIELD_SET:
            warn(str(key), "unknown field (ignored)")

    for required in QUESTION_FIELDS:
        if required not in data and required not in ("red_flags", "level"):
            problems.append(Problem(rel, 2, required, "missing field"))

    qid = _text(data.get("id"))
    if "id" in data and (qid is None or not _ID.match(qid)):
        err("id", "must be a kebab-case id such as 'serving-latency-regression'")
        qid = None
    elif qid and _stem(rel) != qid:
        warn("id", f"does not match the file name '{rel.rsplit('/', 1)[-1]}'")

    title = _text(data.get("title"))
    if "title" in data and title is None:
        err("title", "must not be empty")

    comps = _text_list(data.get("competencies"), doc, rel, "competencies", problems)
    if comps is not None and "competencies" in data:
        if not 1 <= len(comps) <= 3:
            err("competencies", f"needs 1 to 3 competencies, has {len(comps)}")
        if competencies is not None:
            known = competencies if isinstance(competencies, (set, frozenset)) else set(competencies)
            for i, c in enumerate(comps):
                if c not in known:
                    err("competencies", f"unknown competency '{c}'", i)

    reqs = _text_list(data.get("requirements"), doc, rel, "requirements", problems)
    if reqs is not None:
        if not reqs and "requirements" in data:
            warn("requirements", "covers no requirement")
        if requirements is not None:
            known_r = requirements if isinstance(requirements, (set, frozenset)) else set(requirements)
            for i, r in enumerate(reqs):
                if r not in known_r:
                    err("requirements", f"unknown requirement '{r}'", i)
        if len(set(reqs)) != len(reqs):
            warn("requirements", "lists a requirement twice")

    kind = _text(data.get("kind"))
    if "kind" in data and kind not in KINDS:
        err("kind", f"must be one of {', '.join(KINDS)} (got {data.get('kind')!r})")

    level = _text(data.get("level")) or ""
    if settings.levels and "level" in data and level not in settings.levels:
        err("level", f"must be one of {', '.join(settings.levels)} (got {data.get('level')!r})")

    minutes = data.get("minutes")
    if "minutes" in data and (
        isinstance(minutes, bool) or not isinstance(minutes, int) or not 1 <= minutes <= 240
    ):
        err("minutes", "must be a whole number of minutes from 1 to 240")

    follow_ups = _text_list(data.get("follow_ups"), doc, rel, "follow_ups", problems)
    if follow_ups is not None and "follow_ups" in data and not 2 <= len(follow_ups) <= 4:
        warn("follow_ups", f"has {len(follow_ups)} probes; 2 to 4 are expected")

    red_flags = _text_list(data.get("red_flags"), doc, rel, "red_flags", problems)

    rubric_raw = data.get("rubric")
    rubric: dict[int, str] = {}
    scale_levels = settings.scale.levels
    if "rubric" in data:
        if not isinstance(rubric_raw, dict):
            err("rubric", "must map each level of the scale to an anchor")
        else:
            for key, anchor in rubric_raw.items():
                try:
                    level_no = int(key)
                except (TypeError, ValueError):
                    err("rubric", f"'{key}' is not a level of the scale", str(key))
                    continue
                if level_no not in scale_levels:
                    err(
                        "rubric",
                        f"level {level_no} is outside the scale "
                        f"{settings.scale.min}..{settings.scale.max}",
                        str(key),
                    )
                    continue
                anchor_text = _text(anchor)
                if anchor_text is None:
                    err("rubric", f"the anchor of level {level_no} is empty", str(key))
                    continue
                rubric[level_no] = anchor_text
            missing = [lv for lv in scale_levels if lv not in rubric]
            if missing and all(
                str(k).isdigit() and int(k) in scale_levels for k in rubric_raw
            ):
                err(
                    "rubric",
                    "missing rubric level " + ", ".join(str(m) for m in missing),
                )
            seen: dict[str, int] = {}
            for lv, anchor_text in sorted(rubric.items()):
                norm = anchor_text.lower()
                if "  " in norm or not norm.isprintable():  # other white space than single spaces
                    norm = " ".join(norm.split())
                if norm in seen:
                    err(
                        "rubric",
                        f"the anchors of levels {seen[norm]} and {lv} are the same; "
                        "each level needs its own evidence",
                        str(lv),
                    )
                seen[norm] = lv

    prompt = body.strip()
    if not prompt:
        problems.append(Problem(rel, _body_line, "prompt", "empty prompt: write the question below the front matter"))

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
        minutes=int(minutes),  # type: ignore[arg-type]
        follow_ups=follow_ups or (),
        rubric=tuple(sorted(rubric.items())),
        red_flags=red_flags or (),
        prompt=prompt,
        path=rel,
    )


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
        with open(path, "rb") as fh:
            raw = fh.read()
    except OSError as exc:
        problems.append(Problem(rel, 0, "", f"cannot be read ({exc.strerror or exc})"))
        return None
    if hashes is not None:
        hashes[rel] = hashlib.sha256(raw).hexdigest()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        problems.append(Problem(rel, 0, "", f"not UTF-8 text (byte {exc.start})"))
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


def _read_yaml_file(path: Path, root: Path, problems: list[Problem]) -> _Doc | None:
    rel = _rel(path, root)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        problems.append(Problem(rel, 0, "", f"cannot be read ({exc})"))
        return None
    try:
        return _parse_yaml(text, 1)
    except yaml.YAMLError as exc:
        problems.append(_yaml_problem(rel, exc, 1))
        return None


def _load_settings(root: Path, problems: list[Problem]) -> BankSettings:
    path = root / "bank.yaml"
    if not path.exists():
        return BankSettings()
    doc = _read_yaml_file(path, root, problems)
    if doc is None or doc.data is None:
        return BankSettings()
    data = doc.data
    rel = "bank.yaml"
    if not isinstance(data, dict):
        problems.append(Problem(rel, 1, "", "must be a mapping of settings"))
        return BankSettings()
    defaults = BankSettings()
    scale = defaults.scale
    raw_scale = data.get("scale")
    if raw_scale is not None:
        try:
            lo, hi = int(raw_scale.get("min", 1)), int(raw_scale.get("max", 4))
            if not (0 <= lo < hi <= 10):
                raise ValueError
            labels_raw = raw_scale.get("labels") or {}
            labels = tuple((int(k), str(v)) for k, v in sorted(labels_raw.items()))
            scale = RatingScale(lo, hi, labels or tuple((i, str(i)) for i in range(lo, hi + 1)))
        except (AttributeError, TypeError, ValueError):
            problems.append(
                Problem(rel, doc.line_of("scale"), "scale", "needs whole numbers min < max within 0..10")
            )
    recs = data.get("recommendations", list(defaults.recommendations))
    if not isinstance(recs, list) or len(recs) < 2 or not all(_text(r) for r in recs):
        problems.append(
            Problem(rel, doc.line_of("recommendations"), "recommendations", "needs a list of at least 2 texts")
        )
        recs = list(defaults.recommendations)
    levels = data.get("levels", [])
    if not isinstance(levels, list):
        problems.append(Problem(rel, doc.line_of("levels"), "levels", "must be a list"))
        levels = []
    return BankSettings(
        name=_text(data.get("name")) or defaults.name,
        version=str(data.get("version", defaults.version)),
        scale=scale,
        recommendations=tuple(str(r) for r in recs),
        levels=tuple(str(lv) for lv in levels),
    )


def load_settings(root: Path) -> BankSettings:
    """Only the bank's settings (scale, recommendations, levels); problems are ignored here."""
    return _load_settings(Path(root), [])


def _load_competencies(root: Path, problems: list[Problem]) -> list[Competency]:
    path = root / "competencies.yaml"
    rel = "competencies.yaml"
    if not path.exists():
        problems.append(Problem(rel, 0, "", "missing: a bank needs its competency framework"))
        return []
    doc = _read_yaml_file(path, root, problems)
    if doc is None:
        return []
    data = doc.data
    if not isinstance(data, list):
        problems.append(Problem(rel, 1, "", "must be a list of competencies"))
        return []
    out: list[Competency] = []
    seen: dict[str, int] = {}
    for i, item in enumerate(data):
        line = doc.line_of(i)
        if not isinstance(item, dict):
            problems.append(Problem(rel, line, "", f"entry {i + 1} must be a mapping"))
            continue
        cid = _text(item.get("id"))
        ok = True
        if not cid or not _ID.match(cid):
            problems.append(Problem(rel, doc.line_of(i, "id"), "id", "needs a kebab-case id"))
            ok = False
        elif cid in seen:
            problems.append(
                Problem(rel, doc.line_of(i, "id"), "id", f"duplicate id '{cid}' (first at line {seen[cid]})")
            )
            ok = False
        for fieldname in ("name", "description", "strong_evidence"):
            if not _text(item.get(fieldname)):
                problems.append(Problem(rel, doc.line_of(i, fieldname) if fieldname in item else line, fieldname, "missing or empty"))
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
    return out


def _load_job_descriptions(root: Path, problems: list[Problem]) -> list[ParsedJD]:
    folder = root / "job_descriptions"
    out: list[ParsedJD] = []
    if not folder.is_dir():
        problems.append(Problem("job_descriptions/", 0, "", "missing: a bank needs at least one job description", "warning"))
        return out
    seen: set[str] = set()
    for path in sorted(folder.iterdir()):
        if path.suffix.lower() not in JD_SUFFIXES or not path.is_file():
            continue
        rel = _rel(path, root)
        try:
            jd = read_jd_file(path)
        except JDError as exc:
            problems.append(Problem(rel, 0, "", str(exc).replace(f"{path}: ", "")))
            continue
        if jd.id in seen:
            problems.append(Problem(rel, 0, "", f"another file has the document id '{jd.id}'"))
            continue
        seen.add(jd.id)
        out.append(jd)
    return out


def _load_loops(
    root: Path,
    problems: list[Problem],
    *,
    competencies: set[str],
    questions: dict[str, Question],
    all_question_ids: set[str],
    jds: set[str],
) -> list[LoopTemplate]:
    folder = root / "loops"
    out: list[LoopTemplate] = []
    if not folder.is_dir():
        return out
    seen: set[str] = set()
    for path in sorted(folder.glob("*.y*ml")):
        rel = _rel(path, root)
        doc = _read_yaml_file(path, root, problems)
        if doc is None:
            continue
        data = doc.data
        if not isinstance(data, dict):
            problems.append(Problem(rel, 1, "", "a loop template must be a mapping"))
            continue
        before = len(problems)

        def err(message: str, *where: str | int, fieldname: str = "") -> None:
            problems.append(Problem(rel, doc.line_of(*where), fieldname, message))

        lid = _text(data.get("id"))
        if not lid or not _ID.match(lid):
            err("needs a kebab-case id", "id", fieldname="id")
        elif lid in seen:
            err(f"duplicate loop id '{lid}'", "id", fieldname="id")
        name = _text(data.get("name"))
        if not name:
            err("missing or empty", "name", fieldname="name")
        jd_ids = data.get("job_descriptions") or []
        if not isinstance(jd_ids, list):
            err("must be a list of job-description ids", "job_descriptions", fieldname="job_descriptions")
            jd_ids = []
        for i, j in enumerate(jd_ids):
            if str(j) not in jds:
                err(f"unknown job description '{j}'", "job_descriptions", i, fieldname="job_descriptions")
        stages_raw = data.get("stages")
        stages: list[LoopStageTemplate] = []
        used: dict[str, str] = {}
        if not isinstance(stages_raw, list) or not stages_raw:
            err("needs a list of stages", "stages", fieldname="stages")
            stages_raw = []
        for si, st in enumerate(stages_raw):
            if not isinstance(st, dict):
                err(f"stage {si + 1} must be a mapping", "stages", si, fieldname="stages")
                continue
            sname = _text(st.get("name")) or f"Stage {si + 1}"
            if not _text(st.get("name")):
                err(f"stage {si + 1} needs a name", "stages", si, fieldname="name")
            minutes = st.get("minutes")
            if isinstance(minutes, bool) or not isinstance(minutes, int) or not 5 <= minutes <= 480:
                err(f"stage '{sname}': minutes must be a whole number from 5 to 480", "stages", si, "minutes", fieldname="minutes")
                minutes = 0
            focus = st.get("focus") or []
            if not isinstance(focus, list) or not focus:
                err(f"stage '{sname}' needs focus competencies", "stages", si, "focus", fieldname="focus")
                focus = []
            for fi, f in enumerate(focus):
                if str(f) not in competencies:
                    err(f"stage '{sname}': unknown competency '{f}'", "stages", si, "focus", fi, fieldname="focus")
            qids = st.get("questions") or []
            if not isinstance(qids, list):
                err(f"stage '{sname}': questions must be a list of ids", "stages", si, "questions", fieldname="questions")
                qids = []
            planned = 0
            for qi, q in enumerate(qids):
                q = str(q)
                if q not in all_question_ids:
                    err(f"stage '{sname}': unknown question '{q}'", "stages", si, "questions", qi, fieldname="questions")
                elif q not in questions:
                    err(f"stage '{sname}': question '{q}' has errors of its own", "stages", si, "questions", qi, fieldname="questions")
                else:
                    planned += questions[q].minutes
                if q in used:
                    err(
                        f"question '{q}' is planned twice (also in stage '{used[q]}')",
                        "stages", si, "questions", qi, fieldname="questions",
                    )
                used[q] = sname
            if minutes and planned > minutes:
                err(
                    f"stage '{sname}' plans {planned} minutes of questions but lasts {minutes}",
                    "stages", si, "minutes", fieldname="minutes",
                )
            stages.append(
                LoopStageTemplate(
                    name=sname,
                    minutes=int(minutes or 0),
                    focus=tuple(str(f) for f in focus),
                    questions=tuple(str(q) for q in qids),
                )
            )
        if any(p.severity == "error" for p in problems[before:]) or not lid or not name:
            continue
        seen.add(lid)
        out.append(
            LoopTemplate(
                id=lid,
                name=name,
                job_descriptions=tuple(str(j) for j in jd_ids),
                stages=tuple(stages),
                path=rel,
                description=_text(data.get("description")) or "",
            )
        )
    return out


def question_files(root: Path) -> list[str]:
    """The paths of a bank's question files, in a stable order (sorted by relative path)."""
    folder = root / "questions"
    if not folder.is_dir():
        return []
    found: list[str] = []
    stack = [str(folder)]
    while stack:
        with os.scandir(stack.pop()) as entries:
            for entry in entries:
                if entry.name.startswith("."):
                    continue
                if entry.is_dir(follow_symlinks=False):
                    stack.append(entry.path)
                elif entry.name.endswith(".md"):
                    found.append(entry.path)
    found.sort(key=lambda p: p.split(os.sep))
    return found


class BankReader:
    """Reads a bank in two steps, so that a caller can work on each question while the next is read.

    Creating it reads the framework (settings, competencies, job descriptions); :meth:`questions` then
    yields each valid question in file order; :meth:`finish` reads the loop templates (which refer to the
    questions) and returns the whole :class:`Bank`. :func:`load_bank` does all three.
    """

    def __init__(self, root: Path) -> None:
        self.root = root = Path(root)
        self.problems: list[Problem] = []
        self.exists = root.is_dir()
        if not self.exists:
            self.problems.append(Problem(str(root), 0, "", "no such folder"))
            self.settings, self.competencies, self.job_descriptions = BankSettings(), [], []
        else:
            self.settings = _load_settings(root, self.problems)
            self.competencies = _load_competencies(root, self.problems)
            self.job_descriptions = _load_job_descriptions(root, self.problems)
        self._questions: list[Question] = []
        self._unloaded: list[str] = []
        self._hashes: dict[str, str] = {}
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
        for path in question_files(root):
            q = parse_question_file(
                path, root, settings=self.settings, competencies=comp_ids, requirements=req_ids,
                problems=problems, hashes=self._hashes,
            )
            if q is None:
                rel = _rel(path, root)
                self._all_ids.add(_stem(rel))
                self._unloaded.append(rel)
                continue
            self._all_ids.add(q.id)
            if q.id in first_seen:
                problems.append(
                    Problem(q.path, _line_of_field(path, "id"), "id", f"duplicate id '{q.id}' (also in {first_seen[q.id]})")
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
            self.root,
            self.problems,
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
        with open(path, encoding="utf-8") as fh:
            text = fh.read()
        for no, line in enumerate(text.split("\n"), start=1):
            if line.startswith(f"{fieldname}:"):
                return no
    except OSError:
        pass
    return 0
