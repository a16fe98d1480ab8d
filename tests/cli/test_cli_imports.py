"""What a command loads before it works (issue 16: every command on the demo database under a second, cold).

The timings themselves are benchmarks/cli_latency.py's; these tests keep the structure that makes them: a PDF
export loads Qt only after the database layer and the services (PySide6 reads the source of every module
imported after it, about 0.1-0.2 s per export), and the commands that never compare texts or read job
descriptions leave numpy, the bank's checks, the suggestions and the document readers unloaded.
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

HEAVY_BANK = (
    "numpy",
    "interviewkit.bank.checks",
    "interviewkit.bank.suggest",
    "interviewkit.bank.jd",
    "interviewkit.bank.jd_readers",
    "interviewkit.services.bank_sync",
)


def _loaded(code: str) -> dict[str, object]:
    """Run ``code`` in a fresh interpreter; it leaves its answer as JSON on stdout."""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120)
    result: dict[str, object] = json.loads(done.stdout)
    return result


@pytest.mark.parametrize("printer", ["scorecard", "debrief", "kit"])
def test_pdf_exports_load_qt_last_and_leave_the_bank_tools_alone(printer: str) -> None:
    code = (
        "import json, sys\n"
        "import interviewkit.pdf.exports, interviewkit.bank.loader, interviewkit.storage.integrity\n"
        "before = sorted(m for m in sys.modules if m.startswith('PySide6'))\n"
        f"import interviewkit.pdf.{printer}\n"
        "print(json.dumps({'qt_before_printer': before, 'db_layer': 'sqlalchemy' in sys.modules,\n"
        f"  'heavy': [m for m in {HEAVY_BANK!r} if m in sys.modules]}}))\n"
    )
    found = _loaded(code)
    assert found == {"qt_before_printer": [], "db_layer": True, "heavy": []}


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from interviewkit.cli import main

    path = tmp_path_factory.mktemp("exports") / "demo.sqlite"
    assert main(["--db", str(path), "demo"]) == 0
    return path


@pytest.mark.parametrize("export", ["scorecard", "debrief", "kit"])
def test_a_pdf_export_makes_its_document_before_it_loads_qt(export: str, demo_file: Path, tmp_path: Path) -> None:
    """Once PySide6 is loaded it reads the source of every module named by an import run after it
    (shibokensupport's __feature__ check): an export makes its document first, so the database layer and the
    services it needs load before Qt, and only the printer's own imports are read (24-27 files; 45-52 when
    the document was made after the printer loaded)."""
    ids = {"scorecard": ("SELECT min(id) FROM scorecard WHERE submitted_at IS NOT NULL", ["--as", "1"]),
           "debrief": ("SELECT min(candidate_id) FROM interview_loop", ["--as", "1"]),
           "kit": ("SELECT min(s.id) FROM stage s JOIN scorecard c ON c.stage_id = s.id", [])}
    sql, acting = ids[export]
    con = sqlite3.connect(demo_file)
    try:
        number = str(con.execute(sql).fetchone()[0])
    finally:
        con.close()
    argv = ["--db", str(demo_file), *acting, "export", export, number, "-o", str(tmp_path / "out.pdf")]
    code = (
        "import contextlib, inspect, io, json, sys\n"
        "read = []\n"
        "source = inspect.getsource\n"
        "inspect.getsource = lambda o: (read.append(getattr(o, '__name__', '?')), source(o))[1]\n"
        "from interviewkit.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        f"    code = main({argv!r})\n"
        "print(json.dumps({'code': code, 'read': read}))\n"
    )
    found = _loaded(code)
    assert found["code"] == 0
    read = [str(m) for m in found["read"]]  # type: ignore[union-attr]
    assert "interviewkit.pdf.layout" in read  # the check itself ran
    assert not [m for m in read if m.startswith(("interviewkit.storage", "interviewkit.bank", "sqlalchemy",
                                                 "interviewkit.services.scorecards", "interviewkit.services.loops",
                                                 "interviewkit.services.people", "interviewkit.services.access"))]


def test_calibration_and_lists_leave_the_bank_tools_alone() -> None:
    code = (
        "import json, sys\n"
        "import interviewkit.services.calibration_report, interviewkit.services.calibration_json\n"
        "import interviewkit.cli_list, interviewkit.bank.loader\n"
        f"print(json.dumps({{'heavy': [m for m in {HEAVY_BANK[1:]!r} if m in sys.modules],\n"
        "  'qt': 'PySide6' in sys.modules}))\n"
    )
    assert _loaded(code) == {"heavy": [], "qt": False}


def test_jd_suggest_leaves_the_bank_sync_alone() -> None:
    code = (
        "import json, sys\n"
        "import interviewkit.services.jd, interviewkit.cli_jd\n"
        "print(json.dumps({'sync': 'interviewkit.services.bank_sync' in sys.modules}))\n"
    )
    assert _loaded(code) == {"sync": False}


def test_bank_sync_leaves_the_job_description_readers_alone() -> None:
    """A sync that finds the bank unchanged reads no job description; one that finds one changed loads the
    readers then (bank.loader does, when it parses the file)."""
    code = (
        "import json, sys\n"
        "import interviewkit.services.bank_sync\n"
        "print(json.dumps({'readers': [m for m in ('interviewkit.bank.jd', 'interviewkit.bank.jd_readers',\n"
        "  'interviewkit.bank.jd_vocabulary', 'lxml') if m in sys.modules]}))\n"
    )
    assert _loaded(code) == {"readers": []}


def test_markdown_reads_no_entry_points_and_loads_its_extensions_before_qt() -> None:
    """The PDFs' Markdown converters are built from extension objects: by name, Python-Markdown looks each
    one up among every installed package's entry points (about 35 ms of each export), and the extensions'
    modules loaded after Qt, which reads the source of every module imported after it."""
    code = (
        "import json, sys\n"
        "import markdown.util\n"
        "import interviewkit.domain.markup as markup\n"
        "loaded = 'markdown.extensions.fenced_code' in sys.modules and 'markdown.extensions.nl2br' in sys.modules\n"
        "html = markup.notes_to_html('a\\nb') + markup.markdown_to_html('```\\nx\\n```\\n\\n| a |\\n|---|\\n| 1 |')\n"
        "print(json.dumps({'scanned': markdown.util.get_installed_extensions.cache_info().currsize,\n"
        "  'loaded_with_markup': loaded, 'html': ['<br' in html, '<pre><code>' in html, '<table>' in html]}))\n"
    )
    assert _loaded(code) == {"scanned": 0, "loaded_with_markup": True, "html": [True, True, True]}


def test_reading_the_bank_settings_leaves_pyyaml_unloaded() -> None:
    """Every PDF export and calibrate read bank.yaml's settings; with yaml-rs, PyYAML is needed only to place a
    problem on its line, so a valid file does not load it. A broken one still gets its line."""
    code = (
        "import json, sys, tempfile, pathlib\n"
        "from interviewkit.bank.loader import load_settings, load_bank\n"
        "from interviewkit.paths import shipped_bank_dir\n"
        "settings = load_settings(shipped_bank_dir())\n"
        "clean = 'yaml' not in sys.modules\n"
        "folder = pathlib.Path(tempfile.mkdtemp())\n"
        "(folder / 'bank.yaml').write_text('scale:\\n  min: 1\\n  max: [\\n', encoding='utf-8')\n"
        "problems = [(p.path, p.line) for p in load_bank(folder).problems if p.path == 'bank.yaml']\n"
        "print(json.dumps({'clean': clean, 'levels': settings.scale.max, 'problems': problems}))\n"
    )
    found = _loaded(code)
    assert found["clean"] is True and found["levels"] == 4
    assert found["problems"] and all(line >= 3 for _, line in found["problems"])  # type: ignore[union-attr]


def test_a_command_runs_with_a_lazier_collector_and_gives_the_thresholds_back(monkeypatch: pytest.MonkeyPatch) -> None:
    """The cyclic collector walked a command's modules and classes 200-250 times (0.05-0.15 s of CPU); a
    command starts with automatic collection off (its first second is imports), with larger generations for
    when it comes on, and main() restores the caller's collector, also after an error."""
    import gc

    from interviewkit import cli

    seen: list[tuple[bool, tuple[int, ...]]] = []

    def handler(args: object) -> int:
        seen.append((gc.isenabled(), gc.get_threshold()))
        raise cli.CliError("stop here")

    monkeypatch.setattr(cli, "cmd_calibrate", handler)
    was_enabled = gc.isenabled()
    gc.enable()  # as in a fresh interpreter (the test session's Qt application may have switched it off)
    try:
        before = gc.get_threshold()
        assert cli.main(["calibrate"]) == cli.EXIT_BAD_INPUT
        assert seen == [(False, (50_000, 20, 100))]
        assert gc.isenabled() and gc.get_threshold() == before and gc.get_freeze_count() == 0
    finally:
        if not was_enabled:
            gc.disable()


def test_a_long_command_collects_after_its_quiet_start_and_unfreezes_at_the_end() -> None:
    """Past its first second a command collects cycles again; what existed by then is frozen (never walked
    again) until the command ends."""
    import gc
    import weakref

    from interviewkit import cli

    class Cycle:
        def __init__(self) -> None:
            self.me = self

    enabled = gc.isenabled()
    quiet = cli._QuietStart(3600.0)  # the timer will not fire during the test: start_collecting is its call
    try:
        assert not gc.isenabled()
        quiet.start_collecting()
        assert gc.isenabled() and gc.get_freeze_count() > 0
        ref = weakref.ref(Cycle())
        junk = [[] for _ in range(2 * gc.get_threshold()[0])]  # past generation 0's threshold: collected
        del junk
        assert ref() is None
    finally:
        quiet.end()
    assert gc.get_freeze_count() == 0 and gc.isenabled() == enabled


def test_the_calibration_pdf_leaves_the_document_services_alone() -> None:
    """The calibration PDF uses the exports' writing only: the services that fill the other documents (debrief,
    scorecards, loops, and the policy behind them) are not its to load."""
    code = (
        "import json, sys\n"
        "import interviewkit.pdf.exports, interviewkit.services.calibration_report\n"
        "import interviewkit.services.documents\n"
        "names = ('interviewkit.services.debrief', 'interviewkit.services.scorecards', 'interviewkit.services.loops')\n"
        "print(json.dumps({'loaded': [m for m in names if m in sys.modules]}))\n"
    )
    assert _loaded(code) == {"loaded": []}
