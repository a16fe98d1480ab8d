"""Command-line latency: every ``interviewkit`` command on the demo database, each run in a fresh process.

The demo is made once (``interviewkit --db demo.sqlite demo``, itself timed on fresh files). Each command then
runs ``repeat`` times (default 5) as ``python -m interviewkit --db demo.sqlite ...`` from a cold process and
the median is held against the target of 1 s, spawn to exit; each row also gives the median CPU time of
the child (user + sys), which other work on the machine inflates much less than the wall time. Before the
timed runs, one untimed run of ``--version`` compiles the bytecode (``PYTHONPYCACHEPREFIX`` in the run's
folder), as an installed package has it. Commands that would change the demo (``bank sync`` finds nothing to
do; ``demo`` gets a new file each time) or ask for a password are chosen so that every run does the same
work. A command this version does not have (``interviewkit: error: argument COMMAND: invalid choice``) is
reported as skipped.

    python benchmarks/run.py --only cli-latency
    python benchmarks/cli_latency.py [--repeat R] [--only WORD]    # the same, alone
"""

from __future__ import annotations

import argparse
import os
import resource
import sqlite3
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

if __name__ == "__main__":  # run alone: the harness and this checkout's sources
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    try:
        import interviewkit  # noqa: F401
    except ImportError:
        sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from harness import Context, Options, Report, Row, benchmark, format_seconds, timing_row

TARGET = 1.0  # seconds, spawn to exit


def _env(ctx: Context) -> dict[str, str]:
    env = dict(os.environ)
    env["QT_QPA_PLATFORM"] = "offscreen"
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env.pop("INTERVIEWKIT_DB", None)
    env["PYTHONPYCACHEPREFIX"] = str(ctx.work_dir / "pycache")
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ctx.src_dir), env.get("PYTHONPATH", "")) if p)
    env["HOME"] = str(ctx.work_dir / "home")  # keys and settings of the run, never the user's
    (ctx.work_dir / "home").mkdir(exist_ok=True)
    return env


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _run(args: Sequence[str], env: dict[str, str], cwd: Path) -> tuple[float, subprocess.CompletedProcess[str]]:
    t0 = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "interviewkit", *args], env=env, cwd=cwd, capture_output=True,
                          text=True, timeout=300, check=False)
    return time.perf_counter() - t0, done


def _timed(
    args: Sequence[str], env: dict[str, str], cwd: Path
) -> tuple[float, float, subprocess.CompletedProcess[str]]:
    """(wall seconds, CPU seconds of the child: user + sys, which a loaded machine inflates much less, result)."""
    cpu0 = _children_cpu()
    seconds, done = _run(args, env, cwd)
    return seconds, _children_cpu() - cpu0, done


def _ids(db: Path) -> dict[str, int]:
    """Ids the export commands need: a submitted scorecard, a decided candidate, a stage, an opening."""
    con = sqlite3.connect(db)
    try:
        one = lambda sql: int(con.execute(sql).fetchone()[0])  # noqa: E731
        return {
            "scorecard": one("SELECT min(id) FROM scorecard WHERE submitted_at IS NOT NULL"),
            "candidate": one("SELECT min(candidate_id) FROM interview_loop"),
            "stage": one("SELECT min(s.id) FROM stage s JOIN scorecard c ON c.stage_id = s.id"),
            "opening": one("SELECT min(id) FROM opening"),
            "hiring_manager": one("SELECT min(id) FROM person WHERE access_role = 'hiring_manager'"),
        }
    finally:
        con.close()


def commands(ids: dict[str, int], out: Path) -> list[tuple[str, list[str]]]:
    """(label, arguments after ``--db DEMO``) of every command worth timing on the demo database."""
    hm = ["--as", str(ids["hiring_manager"])]
    return [
        ("--version", ["--version"]),
        ("--help", ["--help"]),
        ("bank check", ["bank", "check"]),
        ("bank coverage", ["bank", "coverage"]),
        ("bank sync", ["bank", "sync"]),
        ("jd list", ["jd", "list"]),
        ("jd suggest", ["jd", "suggest", "ml-eng-manager-profile"]),
        ("list openings", ["list", "openings"]),
        ("list candidates", ["list", "candidates"]),
        ("list stages", ["list", "stages"]),
        ("list scorecards --json", ["list", "scorecards", "--json"]),
        ("list people", ["list", "people"]),
        ("calibrate", ["calibrate"]),
        ("calibrate --json", ["calibrate", "--json"]),
        ("retention --dry-run", ["retention", "--dry-run"]),
        ("db upgrade", ["db", "upgrade"]),
        ("export scorecard", [*hm, "export", "scorecard", str(ids["scorecard"]), "-o", str(out / "s.pdf")]),
        ("export debrief", [*hm, "export", "debrief", str(ids["candidate"]), "-o", str(out / "d.pdf")]),
        ("export kit", ["export", "kit", str(ids["stage"]), "-o", str(out / "k.pdf")]),
        ("export calibration", ["export", "calibration", "-o", str(out / "c.pdf")]),
    ]


def _skipped(done: subprocess.CompletedProcess[str]) -> bool:
    return done.returncode == 2 and "invalid choice" in done.stderr


@benchmark("cli-latency", "every interviewkit command on the demo database, cold process, spawn to exit")
def cli_latency(ctx: Context, only: str | None = None) -> Report:
    env = _env(ctx)
    folder = ctx.work_dir / "cli"
    folder.mkdir(exist_ok=True)
    _run(["--version"], env, folder)  # untimed: compiles the bytecode
    demo_samples: list[float] = []
    for i in range(ctx.options.repeat):
        seconds, done = _run(["--db", f"demo-{i}.sqlite", "demo"], env, folder)
        if done.returncode != 0:
            raise RuntimeError(f"demo failed (exit {done.returncode}): {done.stderr.strip()}")
        demo_samples.append(seconds)
    db = folder / "demo-0.sqlite"
    rows: list[Row] = [timing_row("cli: demo (fresh file)", demo_samples, target=None, spread="minmax")]
    details: list[str] = []
    for label, args in commands(_ids(db), folder):
        if only and only not in label:
            continue
        samples: list[float] = []
        cpus: list[float] = []
        for _ in range(ctx.options.repeat):
            seconds, cpu, done = _timed(["--db", str(db), *args], env, folder)
            if _skipped(done):
                break
            if done.returncode not in (0, 1):
                raise RuntimeError(f"{label} failed (exit {done.returncode}): {done.stderr.strip()}")
            samples.append(seconds)
            cpus.append(cpu)
        if not samples:
            rows.append(Row(f"cli: {label}", "-", "-", f"<= {format_seconds(TARGET)}", "", "not in this version"))
            continue
        cpu_note = f"n={len(samples)}; CPU median {format_seconds(statistics.median(cpus))}"
        rows.append(timing_row(f"cli: {label}", samples, target=TARGET, spread="minmax", note=cpu_note))
        ctx.log(f"{label}: median {format_seconds(statistics.median(samples))}, "
                f"CPU {format_seconds(statistics.median(cpus))}")
    return Report(rows, details)


def main(argv: Sequence[str] | None = None) -> int:
    import tempfile

    import run

    parser = argparse.ArgumentParser(prog="python benchmarks/cli_latency.py", description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, metavar="R", help="runs of each command (default 5)")
    parser.add_argument("--only", metavar="WORD", help="only the commands whose label contains WORD")
    args = parser.parse_args(argv)
    print(run.environment())
    print(f"repeat={args.repeat} | {run.load_average()} at start", flush=True)
    with tempfile.TemporaryDirectory(prefix="interviewkit-cli-") as tmp:
        ctx = Context(Options(repeat=args.repeat), Path(tmp), run.PACKAGE_ROOT)
        report = cli_latency(ctx, only=args.only)
    print(run.format_table(report.rows))
    print(f"{sum(r.status == 'MISS' for r in report.rows)} target(s) missed; {run.load_average()} at end")
    return 0


if __name__ == "__main__":
    sys.exit(main())
