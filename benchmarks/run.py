"""Run InterviewKit's speed benchmarks and print their figures against the targets.

    python benchmarks/run.py [--questions N] [--repeat R] [--only NAME ...]

Figures, not tests: every benchmark runs, and a table gives each one's median, its spread, the target and
OK or MISS. Everything is written to a temporary folder that is removed at the end; the user's database and
settings are never opened. Progress goes to stderr, results to stdout. The exit status is 1 only when a
benchmark could not run (a missed target is a figure, not an error).

To add a benchmark, write a function decorated with ``harness.benchmark`` in a module and list the module
in :data:`BENCHMARK_MODULES`; see benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import importlib
import os
import platform
import sqlite3
import sys
import tempfile
import time
import traceback
from collections.abc import Sequence
from pathlib import Path

try:
    import interviewkit
except ImportError:  # neither installed nor on PYTHONPATH: use this checkout's sources
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
    import interviewkit

# The folder that holds the package in use, handed to child processes so that they run the same code.
PACKAGE_ROOT = Path(interviewkit.__file__).resolve().parent.parent

from harness import REGISTRY, Context, Options, Report, Row  # noqa: E402

# Modules whose benchmarks are registered, in the order they run.
BENCHMARK_MODULES: tuple[str, ...] = (
    "bench_bank", "bench_startup", "bench_autosave", "bench_recovery", "bench_calibration", "bench_pdf",
    "cli_latency", "suggestions", "calibration_1m", "demo_large", "bench_copy", "bench_screens",
    "bench_calibration_large",
)


def load_benchmarks() -> None:
    for name in BENCHMARK_MODULES:
        importlib.import_module(name)


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python benchmarks/run.py",
        description="Measure InterviewKit's speed targets and print the figures.",
        epilog="benchmarks: " + "; ".join(f"{b.name}: {b.description}" for b in REGISTRY.values()),
    )
    parser.add_argument(
        "--questions", type=int, default=10_000, metavar="N", help="questions in the synthetic bank (default 10000)"
    )
    parser.add_argument("--repeat", type=int, default=5, metavar="R", help="repeats of each measurement (default 5)")
    parser.add_argument(
        "--only",
        action="append",
        choices=list(REGISTRY),
        metavar="NAME",
        help=f"run only this benchmark (may be given more than once): {', '.join(REGISTRY)}",
    )
    parser.add_argument("--seed", type=int, default=Options.seed, help="seed of the synthetic bank")
    args = parser.parse_args(argv)
    if args.questions < 1 or args.repeat < 1:
        parser.error("--questions and --repeat must be at least 1")
    return args


def environment() -> str:
    import PySide6
    import yaml

    from interviewkit import __version__

    return (
        f"InterviewKit {__version__} | Python {platform.python_version()} | {platform.system()} "
        f"{platform.machine()} | {_cpus()} CPUs | SQLite {sqlite3.sqlite_version} | PySide6 {PySide6.__version__} | "
        f"libyaml {'yes' if getattr(yaml, '__with_libyaml__', False) else 'NO'}"
    )


def _cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


def load_average() -> str:
    """The 1-minute load average: other work on the machine makes every figure slower and noisier."""
    try:
        return f"load average {os.getloadavg()[0]:.2f}"
    except (AttributeError, OSError):
        return "load average unknown"


def format_table(rows: Sequence[Row]) -> str:
    header = Row("benchmark", "median", "spread", "target", "status", "note")
    cells = [(r.name, r.median, r.spread, r.target, r.status, r.note) for r in (header, *rows)]
    widths = [max(len(c[i]) for c in cells) for i in range(5)]
    aligns = ["<", ">", ">", ">", "<"]
    lines = []
    for n, c in enumerate(cells):
        line = "  ".join(f"{c[i]:{aligns[i]}{widths[i]}}" for i in range(5)) + ("  " + c[5] if c[5] else "")
        lines.append(line.rstrip())
        if n == 0:
            lines.append("-" * len(lines[0]))
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    load_benchmarks()
    args = parse_args(argv)
    options = Options(questions=args.questions, repeat=args.repeat, seed=args.seed)
    selected = [b for b in REGISTRY.values() if not args.only or b.name in args.only]
    started = time.perf_counter()
    print(environment())
    print(
        f"questions={options.questions} repeat={options.repeat} seed={options.seed} | {load_average()} at start",
        flush=True,
    )

    rows: list[Row] = []
    details: list[str] = []
    failed = False
    with tempfile.TemporaryDirectory(prefix="interviewkit-bench-") as tmp:
        ctx = Context(options, Path(tmp), PACKAGE_ROOT)
        for bench in selected:
            print(f"[{bench.name}] {bench.description}", file=sys.stderr, flush=True)
            t0 = time.perf_counter()
            try:
                report: Report = bench.run(ctx)
            except Exception as exc:  # noqa: BLE001 - report any failure and go on with the other benchmarks
                traceback.print_exc(file=sys.stderr)
                report = Report([Row(bench.name, "-", "-", "-", "ERROR", f"{type(exc).__name__}: {exc}")])
                failed = True
            print(f"  ({time.perf_counter() - t0:.1f} s)", file=sys.stderr, flush=True)
            rows.extend(report.rows)
            details.extend(report.details)

    print()
    for line in details:
        print(line)
    if details:
        print()
    print(format_table(rows))
    misses = sum(1 for r in rows if r.status == "MISS")
    elapsed = time.perf_counter() - started
    print(f"\n{misses} target(s) missed; total time {elapsed:.1f} s; {load_average()} at end")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
