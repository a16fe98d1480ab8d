"""``db copy`` of the large demo database from SQLite to PostgreSQL (issue 17, point 6): under 5 minutes, every
row's hash matching.

* ``db-copy``: ``python -m interviewkit db copy --from LARGE.sqlite --to postgresql+psycopg://...`` in a fresh
  process, spawn to exit, into a new database of a throwaway PostgreSQL cluster started as the tests start one
  (``tests/pgserver.py``: a private socket, fsync off). The command hashes the source's rows as they stream
  to the target, has PostgreSQL hash the target's rows, compares them chunk by chunk before it commits and
  exits 2 if any differ, which the benchmark treats as an error. Its last progress line gives the phases'
  seconds, which the table shows beside the total: copying (reading, ``COPY``, hashing the source on the
  way) and comparing (PostgreSQL hashing the target, the comparison).

The source is the large demo in the benchmarks' cache (``demo_large.large_sqlite``, built if missing: about
two minutes). A run takes minutes, so it runs ``$INTERVIEWKIT_BENCH_LARGE_RUNS`` times (default 1), not
``--repeat``. Without PostgreSQL binaries the row says why it is missing.

Run alone: ``python benchmarks/bench_copy.py``.
"""

from __future__ import annotations

import re
from pathlib import Path

from demo_large import TARGET, _cli, _pg_server, _runs, large_sqlite
from harness import Context, Report, Row, benchmark, format_seconds, timing_row

_PHASES = re.compile(r"\(copy ([\d.]+) s, of which hashing the source ([\d.]+) s; comparing ([\d.]+) s\)")


@benchmark("db-copy", "db copy of the large demo, SQLite -> PostgreSQL, every row's hash compared (minutes per run)")
def db_copy(ctx: Context) -> Report:
    source, built = large_sqlite(ctx.src_dir, ctx.log)
    if built is not None:
        ctx.log(f"built {source.name} in {format_seconds(built)}")
    name = "db copy large, SQLite -> PostgreSQL"
    server = _pg_server()
    if server is None:
        return Report([Row(name, "-", "-", f"<= {format_seconds(TARGET)}", "", "no PostgreSQL binaries")])
    totals: list[float] = []
    phases: list[tuple[float, float, float]] = []
    try:
        for i in range(_runs()):
            database = server.new_database()  # type: ignore[attr-defined]
            seen: list[str] = []

            def say(line: str, seen: list[str] = seen) -> None:
                seen.append(line)
                ctx.log(line)

            totals.append(_cli(["db", "copy", "--from", str(source), "--to", server.url(database)],  # type: ignore[attr-defined]
                               ctx.src_dir, say))
            found = next((m for m in map(_PHASES.search, seen) if m), None)
            if found is None:
                raise RuntimeError("db copy did not print its phases' seconds")
            phases.append((float(found[1]), float(found[2]), float(found[3])))
            ctx.log(f"copy run {i + 1}: {format_seconds(totals[-1])}, every row's hash equal")
            server.drop_database(database)  # type: ignore[attr-defined]
    finally:
        server.stop()  # type: ignore[attr-defined]
    n = f"n={len(totals)}"
    return Report([
        timing_row(name + ", spawn to exit", totals, target=TARGET, spread="minmax",
                   note=f"{n}; hashes equal (exit 0); throwaway cluster, fsync off"),
        timing_row("  of it copying (read, COPY, hash the source)", [p[0] for p in phases], spread="minmax", note=n),
        timing_row("    of which hashing the source (Python)", [p[1] for p in phases], spread="minmax", note=n),
        timing_row("  of it comparing (PostgreSQL hashes the target)", [p[2] for p in phases], spread="minmax",
                   note=n),
    ])


if __name__ == "__main__":
    from demo_large import cache_dir
    from harness import Options

    context = Context(Options(), cache_dir(), Path(__file__).resolve().parent.parent / "src")
    print(db_copy(context).rows)
