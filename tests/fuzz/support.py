"""Fuzzing the files people give InterviewKit, through the real command line (``interviewkit.cli.main``).

Every case writes generated input into a small valid bank (or a job-description file), runs the command
in-process against its own SQLite database, and checks what a user would see:

- no exception escapes ``main`` (no traceback), and no case runs past its budget (:data:`CASE_BUDGET`,
  enforced by a timer signal, so that a read that blocks for ever fails the case instead of the run);
- the exit code is 0, 1 (``bank check`` found problems) or 2, and a failure prints exactly one line,
  ``interviewkit: error: ...``, on stderr;
- when a command refuses its input, the database file is byte-identical to what it was.

The normal run makes a few hundred cases per kind of input (``NORMAL``); the tests marked ``slow`` make
thousands (``THOROUGH``) and run only when asked for: ``pytest tests/fuzz -m slow``.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import signal
import sys
import traceback
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, settings
from hypothesis.control import currently_in_test_context

from interviewkit.cli import main

NORMAL = settings(
    max_examples=200,
    deadline=None,  # the case budget below stands for it, and also stops a call that never returns
    database=None,  # nothing written into the checkout
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.function_scoped_fixture],
)
THOROUGH = settings(NORMAL, max_examples=2500)
CASE_BUDGET = 20.0  # seconds for one command; a hang is a case that runs past it

BANK_YAML = """name: Fuzz bank
version: 1
scale:
  min: 1
  max: 4
  labels: {1: No evidence, 2: Some evidence, 3: Clear evidence, 4: Strong evidence}
recommendations: [Strong no, No, Yes, Strong yes]
levels: [senior, lead, manager]
"""

COMPETENCIES_YAML = """- id: model-serving
  name: Model serving
  description: Running models in production.
  strong_evidence: Gives latency numbers.
- id: hiring
  name: Hiring
  description: Building a team.
  strong_evidence: Names a plan.
- id: data-quality
  name: Data quality
  description: Trustworthy data.
  strong_evidence: Describes checks.
"""

JD_MD = """# Platform lead

## Duties
- Run model serving in production
- Hire and grow engineers
"""

REQUIREMENTS = ("role.duties.01", "role.duties.02")

QUESTION = """---
id: {qid}
title: {title}
competencies: [model-serving, hiring]
requirements: [role.duties.01, role.duties.02]
kind: behavioural
level: lead
minutes: 10
follow_ups:
  - How did you find out?
  - What changed afterwards?
rubric:
  1: Cannot name an example.
  2: Names an example without numbers.
  3: Gives numbers before and after.
  4: As 3, and changed the process.
red_flags:
  - Blames another team
---
{prompt}
"""

LOOP_YAML = """id: fuzz-loop
name: Fuzz loop
job_descriptions: [role]
stages:
  - name: Serving
    minutes: 30
    focus: [model-serving, hiring]
    questions: [serving-story, hiring-story]
"""


def write_bank(root: Path) -> Path:
    """A small bank that ``bank check`` passes without errors: every requirement covered twice."""
    (root / "questions" / "core").mkdir(parents=True)
    (root / "job_descriptions").mkdir()
    (root / "loops").mkdir()
    (root / "bank.yaml").write_text(BANK_YAML, encoding="utf-8")
    (root / "competencies.yaml").write_text(COMPETENCIES_YAML, encoding="utf-8")
    (root / "job_descriptions" / "role.md").write_text(JD_MD, encoding="utf-8")
    (root / "loops" / "fuzz-loop.yaml").write_text(LOOP_YAML, encoding="utf-8")
    for qid, title, prompt in (
        ("serving-story", "A slow model API", "Tell me about a model API that got slower after a release."),
        ("hiring-story", "Growing a team", "Walk me through the last engineer you hired and how you grew them."),
    ):
        (root / "questions" / "core" / f"{qid}.md").write_text(
            QUESTION.format(qid=qid, title=title, prompt=prompt), encoding="utf-8"
        )
    return root


class Hang(BaseException):
    """A command ran past :data:`CASE_BUDGET` (a BaseException, so that no ``except Exception`` eats it)."""


@contextlib.contextmanager
def budget(seconds: float = CASE_BUDGET) -> Iterator[None]:
    """Raise :class:`Hang` in this thread if the block runs longer than ``seconds`` (POSIX; elsewhere no limit)."""
    if not hasattr(signal, "setitimer"):
        yield
        return

    def ring(signum: int, frame: object) -> None:
        raise Hang(f"still running after {seconds:.0f} s")

    previous = signal.signal(signal.SIGALRM, ring)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@dataclass
class Outcome:
    code: int
    out: str
    err: str


def run_cli(capsys: pytest.CaptureFixture[str], *argv: str, allowed: tuple[int, ...] = (0, 1, 2)) -> Outcome:
    """Run ``interviewkit argv`` in-process and check the user-visible contract (see the module docstring)."""
    capsys.readouterr()
    try:
        with budget():
            code = main(list(argv))
    except Hang as exc:
        pytest.fail(f"interviewkit {' '.join(argv)}: hangs ({exc})")
    except BaseException:  # noqa: BLE001 - anything escaping main is what this suite hunts
        pytest.fail(f"interviewkit {' '.join(argv)}: an exception escaped main:\n{traceback.format_exc()}")
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    assert code in allowed, f"exit {code}; stdout: {out[-2000:]!r}; stderr: {err!r}"
    if code == 2:
        lines = err.splitlines()
        assert len(lines) == 1 and lines[0].startswith("interviewkit: error: ") and err.endswith("\n"), repr(err)
    else:
        assert err == "", repr(err)
    return Outcome(code, out, err)


def count(outcome: str) -> None:
    """Tally an outcome in Hypothesis's statistics (``--hypothesis-show-statistics``); nothing outside it."""
    if currently_in_test_context():
        event(outcome)


def db_state(path: Path) -> str:
    """sha256 of the database file and of its write-ahead log if one is left."""
    digest = hashlib.sha256()
    for part in (path, Path(f"{path}-wal")):
        if part.exists():
            digest.update(part.read_bytes())
        digest.update(b"|")
    return digest.hexdigest()


class Workspace:
    """A bank and a database for fuzz cases: both restored to the template before each case."""

    def __init__(self, root: Path, template: tuple[Path, Path]) -> None:
        self.root = root
        self.template_bank, self.template_db = template
        self.bank = root / "bank"
        self.db = root / "case.sqlite"
        self.n = 0

    def fresh(self) -> None:
        """Put the bank and the database back as the template has them."""
        self.n += 1
        if self.bank.exists() or self.bank.is_symlink():
            _remove_tree(self.bank)
        shutil.copytree(self.template_bank, self.bank, symlinks=True)
        for leftover in (self.db, Path(f"{self.db}-wal"), Path(f"{self.db}-shm")):
            if leftover.exists():
                leftover.unlink()
        shutil.copyfile(self.template_db, self.db)
        os.chmod(self.db, 0o600)  # as the app makes a database (a copy would get the umask's 0644)

    def file(self, name: str) -> Path:
        """A path of its own for this case, outside the bank."""
        folder = self.root / f"case-{self.n}"
        folder.mkdir(exist_ok=True)
        return folder / name


def _remove_tree(path: Path) -> None:
    def retry(func, target, _exc):  # type: ignore[no-untyped-def]
        os.chmod(os.path.dirname(target), 0o700)
        func(target)

    if sys.version_info >= (3, 12):
        shutil.rmtree(path, onexc=retry)
    else:
        shutil.rmtree(path, onerror=retry)


