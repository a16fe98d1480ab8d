"""The large demo database (issue 17): how long ``demo --size large`` takes on SQLite and PostgreSQL.

* ``demo-large``: ``python -m interviewkit demo --size large --db NEW`` in a fresh process, spawn to exit
  (imports, the bank sync, 400 people, 60,000 candidates, ~300,000 scorecards, ~1.2 million ratings), on a
  new SQLite file and on a new database of a throwaway PostgreSQL cluster started as the tests start one
  (``tests/pgserver.py``: a private socket, fsync off). Each run takes minutes, so it runs
  ``$INTERVIEWKIT_BENCH_LARGE_RUNS`` times (default 1) per backend, not ``--repeat``; the table gives the
  median, the spread (fastest .. slowest) and the target (5 minutes), MISS when the median is over it.
  ``INTERVIEWKIT_BENCH_LARGE_RUNS=5`` for the issue's spread of five;
  ``INTERVIEWKIT_BENCH_LARGE_BACKENDS=sqlite`` (or ``postgresql``) for one backend only.

The SQLite database is kept in the benchmarks' cache folder (see ``calibration_1m.cache_dir``), keyed by
the demo's seed, a hash of the generator's source and the schema's revision, so that ``db copy``
(``bench_copy.py``) and the screens benchmark reuse it: ``large_sqlite()``.
Without PostgreSQL binaries the PostgreSQL rows say why they are missing.

Run alone: ``python benchmarks/demo_large.py``.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from calibration_1m import cache_dir
from harness import Context, Report, Row, benchmark, format_seconds, timing_row

from interviewkit.services.demo_large import SEED

TARGET = 300.0  # seconds: the demo, and the copy, each under 5 minutes
REPO = Path(__file__).resolve().parent.parent


def _runs() -> int:
    return max(1, int(os.environ.get("INTERVIEWKIT_BENCH_LARGE_RUNS", "1")))


def _cli(args: list[str], src_dir: Path | None, say: Callable[[str], None]) -> float:
    """Run ``python -m interviewkit ARGS``; its progress lines go to ``say``; the wall time in seconds."""
    env = dict(os.environ)
    if src_dir is not None:
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(src_dir), env.get("PYTHONPATH", "")]))
    started = time.perf_counter()
    child = subprocess.Popen([sys.executable, "-m", "interviewkit", *args], env=env, text=True,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert child.stderr is not None
    last = ""
    for line in child.stderr:
        last = line.strip()
        shown = ("demo: 24", "db copy: copied", "db copy: comparing", "db copy: verified")
        if "000 of" in last or last.startswith(shown):
            say(last)
    out = child.stdout.read() if child.stdout else ""
    if child.wait() != 0:
        raise RuntimeError(f"interviewkit {' '.join(args[:2])} exited {child.returncode}: {last or out.strip()}")
    say(out.strip().splitlines()[0] if out.strip() else "")
    return time.perf_counter() - started


def large_sqlite(src_dir: Path | None = None, say: Callable[[str], None] = print) -> tuple[Path, float | None]:
    """The large demo as an SQLite file in the cache (built if missing): (path, seconds it took or None)."""
    import hashlib

    import interviewkit.services.demo_large as generator
    from interviewkit.storage.schema import HEAD

    code = hashlib.sha256(Path(generator.__file__).read_bytes()).hexdigest()[:10]  # a changed generator: rebuilt
    path = cache_dir() / f"demo-large-seed{SEED}-{code}-schema{HEAD}.sqlite"  # and a new schema revision
    if path.exists():
        return path, None
    partial = path.with_suffix(".partial.sqlite")
    partial.unlink(missing_ok=True)
    seconds = _cli(["demo", "--size", "large", "--db", str(partial)], src_dir, say)
    partial.replace(path)
    return path, seconds


def _pg_server() -> object | None:
    sys.path.insert(0, str(REPO))
    from tests.pgserver import PgServer, find_pg_bin

    bin_dir = find_pg_bin()
    if bin_dir is None:
        return None
    server = PgServer(bin_dir)
    server.start()
    return server


def _backends() -> list[str]:
    return os.environ.get("INTERVIEWKIT_BENCH_LARGE_BACKENDS", "sqlite,postgresql").split(",")


@benchmark("demo-large", "demo --size large on SQLite and PostgreSQL, spawn to exit (minutes per run)")
def demo_large(ctx: Context) -> Report:
    rows: list[Row] = []
    if "sqlite" in _backends():
        sqlite_times = []
        for i in range(_runs()):
            path = ctx.fresh_path("large", ".sqlite")
            sqlite_times.append(_cli(["demo", "--size", "large", "--db", str(path)], ctx.src_dir, ctx.log))
            ctx.log(f"SQLite run {i + 1}: {format_seconds(sqlite_times[-1])} ({path.stat().st_size / 1e6:.0f} MB)")
            path.unlink()  # 760 MB a run
        rows.append(timing_row("demo --size large, SQLite", sqlite_times, target=TARGET, spread="minmax"))
    if "postgresql" not in _backends():
        return Report(rows)
    server = _pg_server()
    if server is None:
        rows.append(Row("demo --size large, PostgreSQL", "-", "-", f"<= {format_seconds(TARGET)}", "",
                        "no PostgreSQL binaries"))
        return Report(rows)
    try:
        pg_times = []
        for i in range(_runs()):
            database = server.new_database()  # type: ignore[attr-defined]
            pg_times.append(_cli(["demo", "--size", "large", "--db", server.url(database)],  # type: ignore[attr-defined]
                                 ctx.src_dir, ctx.log))
            ctx.log(f"PostgreSQL run {i + 1}: {format_seconds(pg_times[-1])}")
            server.drop_database(database)  # type: ignore[attr-defined]
        rows.append(timing_row("demo --size large, PostgreSQL", pg_times, target=TARGET, spread="minmax",
                               note=f"n={len(pg_times)}; throwaway cluster, fsync off"))
    finally:
        server.stop()  # type: ignore[attr-defined]
    return Report(rows)


if __name__ == "__main__":
    from harness import Options

    context = Context(Options(), cache_dir(), Path(__file__).resolve().parent.parent / "src")
    print(demo_large(context).rows)
