"""``interviewkit calibrate --ratings`` on a CSV of 1,000,000 ratings, end to end, in a cold process.

The file is what five years of a large hiring team export: 50,000 candidates, each rated by 5 of 400
interviewers on 4 competencies, on the shipped 1-4 scale, dated over three years (``candidate,interviewer,
competency,score,date``, 1,000,000 rows, about 50 MB). Scores come from a latent ability per candidate and
competency, each interviewer's leniency (a few planted clearly lenient or harsh) and noise, as in
``bench_calibration.py``. It is written once with a fixed seed and kept in the benchmarks' cache folder
(``$INTERVIEWKIT_BENCH_CACHE``, else ``~/.cache/interviewkit-benchmarks``), keyed by seed and size, so later
runs reuse it.

Timed: ``python -m interviewkit calibrate --ratings FILE`` in a fresh process, spawn to exit (imports,
reading and checking the file, the whole report, printing it), ``repeat`` times after one untimed warm-up
(the file in the page cache, bytecode compiled). Peak memory: the child's ``ru_maxrss``
(``resource.getrusage(RUSAGE_CHILDREN)`` read after each child on its own: a fresh waiter process per run,
so that the maximum is this child's, not the largest of all earlier children).

Run alone: ``python benchmarks/calibration_1m.py [--rows N] [--repeat R]``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
from harness import Context, Report, Row, benchmark, format_seconds, timing_row

TIME_TARGET = 3.0  # seconds, spawn to exit
MEMORY_TARGET_MIB = 400.0
ROWS = 1_000_000
PANEL, COMPETENCIES, POOL = 5, 4, 60
SEED = 20261207

# A waiter that runs the CLI as its only child and prints the child's peak resident memory and wall time.
_WAITER = r"""
import json, resource, subprocess, sys, time
t0 = time.perf_counter()
done = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
elapsed = time.perf_counter() - t0
usage = resource.getrusage(resource.RUSAGE_CHILDREN)  # ru_maxrss: KiB on Linux
print(json.dumps({"rc": done.returncode, "seconds": elapsed, "peak_kib": usage.ru_maxrss,
                  "cpu": usage.ru_utime + usage.ru_stime,
                  "stderr": done.stderr.decode("utf-8", "replace")[-500:]}))
"""


def cache_dir() -> Path:
    """The benchmarks' cache folder (kept between runs): generated inputs keyed by seed and size."""
    root = os.environ.get("INTERVIEWKIT_BENCH_CACHE") or Path.home() / ".cache" / "interviewkit-benchmarks"
    path = Path(root)
    path.mkdir(parents=True, exist_ok=True)
    return path


def ratings_csv(rows: int = ROWS, seed: int = SEED, pool: int = POOL) -> Path:
    """The CSV of ``rows`` synthetic ratings (see the module docstring), generated once and cached."""
    path = cache_dir() / f"ratings-{rows}-pool{pool}-seed{seed}.csv"
    if path.exists():
        return path
    per_candidate = PANEL * COMPETENCIES
    candidates = -(-rows // per_candidate)
    rng = np.random.default_rng(seed)
    leniency = rng.normal(0, 0.12, pool)
    leniency[:4] = (0.6, -0.6, 0.45, -0.45)
    ability = rng.normal(0, 0.7, (candidates, 1)) + rng.normal(0, 0.45, (candidates, COMPETENCIES))
    panels = np.argsort(rng.random((candidates, pool)), axis=1)[:, :PANEL]
    noise = rng.normal(0, 0.55, (candidates, PANEL, COMPETENCIES))
    scores = np.clip(np.rint(2.5 + ability[:, None, :] + leniency[panels][:, :, None] + noise), 1, 4).astype(int)
    start = np.datetime64("2023-01-02")
    days = start + rng.integers(0, 3 * 365, candidates).astype("timedelta64[D]")
    cand = np.repeat(np.arange(candidates), per_candidate)
    who = np.repeat(panels.reshape(-1), COMPETENCIES)
    comp = np.tile(np.arange(COMPETENCIES), candidates * PANEL)
    day = np.repeat(days.astype(str), per_candidate)
    names = np.array([f"interviewer-{i:03d}@example.com" for i in range(pool)])
    comps = np.array(["technical-depth", "system-design", "communication", "ownership"])
    lines = np.char.add(np.char.add(np.char.mod("cand-%06d,", cand), names[who]), ",")
    lines = np.char.add(np.char.add(lines, comps[comp]), ",")
    lines = np.char.add(np.char.add(lines, scores.reshape(-1).astype(str)), ",")
    lines = np.char.add(lines, day)[:rows]
    tmp = path.with_suffix(".tmp")
    with tmp.open("w", encoding="utf-8", newline="") as out:
        out.write("candidate,interviewer,competency,score,date\n")
        out.write("\n".join(lines.tolist()))
        out.write("\n")
    tmp.replace(path)
    return path


def run_once(csv_path: Path, src_dir: Path | None = None) -> tuple[float, float, float]:
    """One cold run of the CLI on ``csv_path``: (seconds, peak MiB, CPU seconds of the CLI process)."""
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # the warm-up compiles the bytecode, as an installed package has it
    env.setdefault("PYTHONPYCACHEPREFIX", str(cache_dir() / "pycache"))
    if src_dir is not None:
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(src_dir), env.get("PYTHONPATH", "")]))
    command = [
        sys.executable,
        "-c",
        _WAITER,
        sys.executable,
        "-m",
        "interviewkit",
        "calibrate",
        "--ratings",
        str(csv_path),
    ]
    done = subprocess.run(command, capture_output=True, text=True, env=env, check=True)
    result = json.loads(done.stdout)
    if result["rc"] != 0:
        raise RuntimeError(f"calibrate exited {result['rc']}: {result['stderr'].strip()}")
    return float(result["seconds"]), float(result["peak_kib"]) / 1024.0, float(result["cpu"])


def measure(
    rows: int, repeat: int, src_dir: Path | None, log: object = print
) -> tuple[list[float], list[float], list[float]]:
    started = time.perf_counter()
    path = ratings_csv(rows)
    say = log if callable(log) else print
    say(f"ratings file {path} ({path.stat().st_size / 1e6:.1f} MB) ready in {time.perf_counter() - started:.1f} s")
    run_once(path, src_dir)  # warm-up: page cache, bytecode (untimed)
    seconds: list[float] = []
    peaks: list[float] = []
    cpus: list[float] = []
    for i in range(repeat):
        t, mib, cpu = run_once(path, src_dir)
        seconds.append(t)
        peaks.append(mib)
        cpus.append(cpu)
        say(f"calibrate --ratings {i + 1}/{repeat}: {format_seconds(t)} (CPU {cpu:.2f} s), peak {mib:.0f} MiB")
    return seconds, peaks, cpus


def memory_row(name: str, peaks: list[float]) -> Row:
    median = sorted(peaks)[len(peaks) // 2]
    return Row(
        name,
        f"{median:.0f} MiB",
        f"{min(peaks):.0f} .. {max(peaks):.0f} MiB",
        f"<= {MEMORY_TARGET_MIB:.0f} MiB",
        "OK" if median <= MEMORY_TARGET_MIB else "MISS",
        f"n={len(peaks)}",
    )


@benchmark(
    "calibration-1m", "interviewkit calibrate --ratings on a CSV of 1,000,000 ratings, cold process, peak memory"
)
def calibration_1m(ctx: Context) -> Report:
    seconds, peaks, cpus = measure(ROWS, ctx.options.repeat, ctx.src_dir, ctx.log)
    return Report(
        [
            timing_row("calibrate --ratings, 1M rows", seconds, target=TIME_TARGET, spread="minmax"),
            memory_row("calibrate --ratings, 1M rows: peak memory", peaks),
            timing_row(
                "calibrate --ratings, 1M rows: CPU (user+sys)",
                cpus,
                spread="minmax",
                note=f"n={len(cpus)}; on a loaded machine the wall time also waits for a CPU",
            ),
        ]
    )


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=ROWS)
    parser.add_argument("--repeat", type=int, default=5)
    opts = parser.parse_args()
    secs, mibs, _cpus = measure(opts.rows, opts.repeat, None)
    print(
        f"median {format_seconds(sorted(secs)[len(secs) // 2])} ({format_seconds(min(secs))} .. "
        f"{format_seconds(max(secs))}); peak median {sorted(mibs)[len(mibs) // 2]:.0f} MiB "
        f"({min(mibs):.0f} .. {max(mibs):.0f})"
    )
