"""Startup benchmark: wall time from spawning the process to the first window shown, InterviewKit against a
bare PySide6 QMainWindow measured in the same run.

Each run is a fresh ``python startup_child.py ...`` with ``QT_QPA_PLATFORM=offscreen``. The two kinds of run
alternate so that any drift of the machine affects both alike. One untimed pair runs first to warm the
operating system's file cache and the bytecode cache. Bytecode goes to a cache folder in the run's temporary
folder (``PYTHONPYCACHEPREFIX``), so an environment with ``PYTHONDONTWRITEBYTECODE`` still measures
startup with compiled modules, as an installed app has, and nothing is written next to the sources.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from harness import Context, Report, benchmark, format_seconds, ratio_row, timing_row

STARTUP_RATIO_TARGET = 1.5  # InterviewKit's median over the bare window's median
MIN_RUNS = 15  # start-up times on a shared 2-core machine spread by a factor of 2: medians of 7 moved by 0.3x
CHILD = Path(__file__).resolve().with_name("startup_child.py")


def _child_env(ctx: Context) -> dict[str, str]:
    env = dict(os.environ)
    env["QT_QPA_PLATFORM"] = "offscreen"
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(ctx.work_dir / "pycache")
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ctx.src_dir), env.get("PYTHONPATH", "")) if p)
    if not env.get("XDG_RUNTIME_DIR"):
        runtime = ctx.work_dir / "xdg-runtime"
        runtime.mkdir(mode=0o700, exist_ok=True)
        env["XDG_RUNTIME_DIR"] = str(runtime)
    return env


def _time_to_window(args: list[str], env: dict[str, str]) -> float:
    """Seconds from just before the spawn to the child's report that its window was shown."""
    started = time.time()
    done = subprocess.run(
        [sys.executable, str(CHILD), *args], env=env, capture_output=True, text=True, timeout=120, check=False
    )
    shown = [line for line in done.stdout.splitlines() if line.startswith("SHOWN ")]
    if done.returncode != 0 or not shown:
        raise RuntimeError(
            f"startup child {' '.join(args)} failed (exit {done.returncode}):\n{done.stdout}{done.stderr}"
        )
    return float(shown[-1].split()[1]) - started


@benchmark("startup", "process start to first window shown, InterviewKit vs a bare QMainWindow")
def startup(ctx: Context) -> Report:
    env = _child_env(ctx)
    settings = ctx.fresh_path("settings", ".ini")
    bare_args, app_args = ["bare"], ["app", str(settings)]
    _time_to_window(bare_args, env)  # warm-up pair
    _time_to_window(app_args, env)
    runs = max(MIN_RUNS, ctx.options.repeat)
    bare: list[float] = []
    app: list[float] = []
    for i in range(runs):
        bare.append(_time_to_window(bare_args, env))
        app.append(_time_to_window(app_args, env))
        ctx.log(f"startup {i + 1}/{runs}: bare {format_seconds(bare[-1])}, app {format_seconds(app[-1])}")
    ratio = statistics.median(app) / statistics.median(bare)
    extra = statistics.median(app) - statistics.median(bare)
    return Report(
        [
            timing_row("startup: bare QMainWindow", bare, spread="minmax"),
            timing_row("startup: InterviewKit window", app, spread="minmax"),
            ratio_row(
                "startup: InterviewKit / bare",
                ratio,
                target=STARTUP_RATIO_TARGET,
                note=f"+{format_seconds(extra)} over bare (medians)",
            ),
        ]
    )
