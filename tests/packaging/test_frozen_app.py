"""The standalone app (scripts/build_app.py): built once, unpacked from its archive into another folder, and
run there with no Python environment around it, offscreen: it must behave as the installed app does.

Slow (a build takes one to two minutes); needs PyInstaller (``pip install -e ".[build]"``). `.ci/run` runs it.

The demo, the PDF export and the window use a small bank written here (nine questions on three competencies,
enough for the demo's loop), not the shipped one: the shipped bank is checked by ``bank check``, whose result
must be the installed app's on the same files, whatever state the bank is in.
"""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import tarfile
import time
from pathlib import Path

import pytest
from pypdf import PdfReader

from interviewkit import __version__
from interviewkit.storage import schema
from tests.conftest import QUESTION

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
BUILD_SCRIPT = ROOT / "scripts" / "build_app.py"
# What Qt's offscreen platform says when a window sets its size hints; it has no window manager to pass them
# to. Every other line on stderr is a failure.
OFFSCREEN_NOTICE = "This plugin does not support propagateSizeHints()"


@pytest.fixture(scope="module")
def frozen(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The app built by the one documented command, then unpacked from its archive elsewhere: its folder."""
    pytest.importorskip("PyInstaller", reason='the build needs PyInstaller: pip install -e ".[build]"')
    work = tmp_path_factory.mktemp("build")
    result = subprocess.run(
        [sys.executable, str(BUILD_SCRIPT), "--out", str(work / "dist"), "--build-dir", str(work / "app")],
        check=False, cwd=ROOT, capture_output=True, text=True, timeout=1200,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    (archive,) = (work / "dist").iterdir()
    assert archive.name.startswith(f"InterviewKit-{__version__}-")
    assert archive.name.endswith(".zip" if sys.platform == "win32" else ".tar.gz")
    if sys.platform == "win32":
        pytest.skip("the frozen app's checks below run on Linux and macOS")
    unpacked = tmp_path_factory.mktemp("unpacked")
    with tarfile.open(archive) as tar:
        tar.extractall(unpacked, filter="tar")
    shutil.rmtree(work / "app")  # nothing of the build is left to lean on
    (app,) = unpacked.iterdir()
    assert app.name == archive.name.removesuffix(".tar.gz")
    return app


@pytest.fixture
def home(tmp_path: Path) -> Path:
    folder = tmp_path / "home"
    folder.mkdir()
    return folder


def _env(home: Path) -> dict[str, str]:
    """No Python around the app, nothing of the person's: a home of its own, and Qt offscreen."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("PYTHON", "VIRTUAL_ENV", "INTERVIEWKIT", "XDG_", "QT_"))}
    env.update(HOME=str(home), QT_QPA_PLATFORM="offscreen", PATH="/usr/bin:/bin")
    return env


def _run(app: Path, home: Path, *args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(app / "interviewkit"), *args], check=False, env=_env(home), cwd=home,
                          capture_output=True, text=True, timeout=timeout)


@pytest.fixture
def small_bank(tmp_path: Path) -> Path:
    """The shipped settings, competencies and job descriptions with nine questions of the tests' sample, three
    on each of the competencies of three of the demo's stages."""
    root = tmp_path / "bank"
    shipped = ROOT / "question_bank"
    root.mkdir()
    for name in ("bank.yaml", "competencies.yaml"):
        shutil.copy(shipped / name, root / name)
    shutil.copytree(shipped / "job_descriptions", root / "job_descriptions")
    topics = {"model-serving": "a model API", "monitoring-drift": "a drift alert", "people-leadership": "a report"}
    for competency, topic in topics.items():
        for n in range(3):
            qid = f"{competency}-{n}"
            text = QUESTION.format(qid=qid, title=f"{topic.capitalize()} {n}",
                                   prompt=f"Question {n} about {topic} ({competency}): what did you do and why?")
            path = root / "questions" / competency / f"{qid}.md"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text.replace("competencies: [model-serving]", f"competencies: [{competency}]"),
                            encoding="utf-8")
    return root


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def test_version(frozen: Path, home: Path) -> None:
    result = _run(frozen, home, "--version")
    assert (result.returncode, result.stdout, result.stderr) == (0, f"InterviewKit {__version__}\n", "")


def test_bank_check_of_the_bundled_bank_says_what_the_installed_app_says(frozen: Path, home: Path) -> None:
    bundled = frozen / "_internal" / "interviewkit" / "question_bank"
    assert _files(bundled) == _files(ROOT / "question_bank")
    result = _run(frozen, home, "bank", "check")
    installed = subprocess.run([sys.executable, "-m", "interviewkit", "bank", "check"], check=False, cwd=home,
                               env=dict(os.environ, PYTHONPATH=str(ROOT / "src")), capture_output=True, text=True,
                               timeout=300)
    assert result.returncode in (0, 1), result.stderr  # 2 would be a bank it cannot find or read
    assert (result.returncode, result.stdout) == (installed.returncode, installed.stdout)
    assert "Traceback" not in result.stderr


def test_demo_then_a_debrief_packet_as_pdf(frozen: Path, home: Path, small_bank: Path) -> None:
    db = home / "demo.sqlite"
    demo = _run(frozen, home, "--db", str(db), "--bank", str(small_bank), "demo")
    assert demo.returncode == 0, demo.stderr
    assert "Demo created" in demo.stdout and demo.stderr == ""
    con = sqlite3.connect(db)
    try:
        assert con.execute("SELECT version_num FROM alembic_version").fetchone() == (schema.HEAD,)
        (cand_id,) = con.execute("SELECT id FROM candidate WHERE name = 'Aisha Rahman'").fetchone()
    finally:
        con.close()
    pdf = home / "debrief.pdf"
    export = _run(frozen, home, "--db", str(db), "--bank", str(small_bank), "export", "debrief", str(cand_id),
                  "-o", str(pdf))
    assert export.returncode == 0, export.stderr
    reader = PdfReader(pdf)
    words = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    assert len(reader.pages) >= 2
    assert "Debrief packet · Aisha R. · ML Engineering Manager" in words  # the header names people in short


def test_the_window_opens_loads_the_bank_and_stays_up(frozen: Path, home: Path, small_bank: Path) -> None:
    """First start on an empty database: the window shows, the bank is loaded into the new database in the
    background, and the app is still running 3 s later with nothing on stderr."""
    db = home / "first.sqlite"
    log = home / "stderr.txt"
    with log.open("w") as err, _Started(frozen, home, err, "--db", str(db), "--bank", str(small_bank)) as proc:
        deadline = time.monotonic() + 120
        while _questions(db) < 9:
            assert proc.poll() is None, log.read_text()
            assert time.monotonic() < deadline, "the bank was not loaded within 120 s"
            time.sleep(0.2)
        time.sleep(3)
        assert proc.poll() is None, log.read_text()
    problems = [line for line in log.read_text().splitlines() if line.strip() and line != OFFSCREEN_NOTICE]
    assert problems == []


class _Started:
    """The app's window process, ended with SIGTERM (then SIGKILL) on the way out."""

    def __init__(self, app: Path, home: Path, err: object, *args: str) -> None:
        self.proc = subprocess.Popen([str(app / "interviewkit"), *args], env=_env(home), cwd=home,
                                     stdout=subprocess.DEVNULL, stderr=err)  # type: ignore[arg-type]

    def __enter__(self) -> subprocess.Popen[bytes]:
        return self.proc

    def __exit__(self, *exc: object) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def _questions(db: Path) -> int:
    if not db.exists():
        return 0
    try:
        con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1)
        try:
            return int(con.execute("SELECT COUNT(*) FROM question").fetchone()[0])
        finally:
            con.close()
    except sqlite3.Error:
        return 0  # not made yet, or mid-migration


def test_the_desktop_entry_installs_for_one_person(frozen: Path, home: Path) -> None:
    data = home / "share"
    env = dict(_env(home), XDG_DATA_HOME=str(data))
    result = subprocess.run(["sh", str(frozen / "install-desktop-entry.sh")], check=False, env=env, capture_output=True,
                            text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    entry = data / "applications" / "org.interviewkit.InterviewKit.desktop"
    lines = entry.read_text(encoding="utf-8").splitlines()
    assert f'Exec="{frozen}/interviewkit"' in lines and f"TryExec={frozen}/interviewkit" in lines
    for size in (16, 32, 48, 64, 128, 256, 512):
        assert (data / "icons" / "hicolor" / f"{size}x{size}" / "apps" / "org.interviewkit.InterviewKit.png").is_file()
    assert (data / "metainfo" / "org.interviewkit.InterviewKit.metainfo.xml").is_file()
    if shutil.which("desktop-file-validate"):
        check = subprocess.run(["desktop-file-validate", str(entry)], check=False, capture_output=True, text=True)
        assert check.returncode == 0 and check.stdout == "", check.stdout
    removed = subprocess.run(["sh", str(frozen / "install-desktop-entry.sh"), "--uninstall"], check=False,
                             env=env, capture_output=True, text=True, timeout=60)
    assert removed.returncode == 0 and not entry.exists()
    assert not list((data / "icons").rglob("*.png"))
