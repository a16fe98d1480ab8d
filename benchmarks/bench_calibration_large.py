"""The Calibration screen's service calls over the large demo database (issue 17, point 3).

``calibration-large``: on the database of ``demo --size large`` (about 1.23 million ratings of 300,000
scorecards, built once and kept in the benchmarks' cache by ``demo_large.large_sqlite``), the calls the
Calibration screen makes (``ui/calibration/view.py``): ``filter_options`` when it opens, then
``calibration_report`` over every rating, and again with each filter the screen offers: an opening, a
period (the last 90 days of interviews), a competency and an interviewer (the busiest). The ratings are
kept in memory as columns (``services/rating_columns``) until a write moves the database's calibration
stamp, so each case is timed in the state it meets on the screen, ``--repeat`` times in one process (the
app's process is warm: imports and the first connection are not counted), as the local administrator:

* ``read``: the first read of every rating after a change (the columns forgotten before each call);
* ``cold``: the whole report after a change (columns, every remembered answer and every kept table's
  statistics forgotten: a restart, or a write that changed every table);
* ``all``: the whole report when nothing changed (the screen refreshed, shown again);
* each filter: its first computation since the change (remembered answers forgotten, columns kept); the
  interviewer is chosen on a report already shown (the list of interviewers comes from it), so its case
  keeps the remembered statistics, as the screen does.

Targets: the whole report 1.5 s, a filter 0.5 s.

The calls run in a child process on the code under test (``PYTHONPATH``), with OpenBLAS on one thread as
the command line runs it. ``INTERVIEWKIT_BENCH_CALIBRATION_PG=postgresql+psycopg://...`` names a PostgreSQL
database that holds the same demo (``interviewkit db copy`` or ``demo --size large --db URL``): the same
calls are timed there too; without it the PostgreSQL row says so.

Run alone: ``python benchmarks/bench_calibration_large.py [--repeat R] [--db PATH_OR_URL]``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from harness import Context, Report, Row, benchmark, timing_row

REPORT_TARGET = 1.5  # seconds: the whole report
FILTER_TARGET = 0.5  # seconds: one filter
CASES = ("options", "read", "cold", "all", "opening", "period", "competency", "interviewer")
LABELS = {
    "options": ("filter_options (the screen opens)", None),
    "read": ("first read of every rating (after a change)", None),
    "cold": ("calibration_report, every rating, after a change", REPORT_TARGET),
    "all": ("calibration_report, every rating, nothing changed", REPORT_TARGET),
    "opening": ("  filter: one opening", FILTER_TARGET),
    "period": ("  filter: last 90 days", FILTER_TARGET),
    "competency": ("  filter: one competency", FILTER_TARGET),
    "interviewer": ("  filter: one interviewer (focus)", FILTER_TARGET),
}

# The child: opens the database, picks the filters' values from it, times each call ``repeat`` times and
# prints {"case": [seconds, ...], "n_ratings": N, "cpu": {...}} as JSON on its last line.
_CHILD = r"""
import json, os, sys, time
from datetime import timedelta
from sqlalchemy import func, select
from interviewkit.bank.loader import load_settings
from interviewkit.paths import shipped_bank_dir
from interviewkit.services.access import LOCAL_ADMIN
from interviewkit.services import calibration_cached, rating_columns
from interviewkit.services.calibration_report import (CalibrationFilters, calibration_report, filter_options,
                                                      forget_statistics)
from interviewkit.storage.db import open_database
from interviewkit.storage.views import calibration_scorecard as v

url, repeat = sys.argv[1], int(sys.argv[2])
db = open_database(url)
settings = load_settings(shipped_bank_dir())
options = filter_options(db)
with db.session() as s:
    last = s.execute(select(func.max(func.coalesce(v.c.scheduled_at, v.c.submitted_at)))).scalar_one()
    opening = s.execute(select(v.c.opening_id, func.count()).group_by(v.c.opening_id)
                        .order_by(func.count().desc())).first()[0]
if isinstance(last, str):
    from datetime import datetime
    last = datetime.fromisoformat(last)
whole = calibration_report(db, settings, viewer=LOCAL_ADMIN)  # untimed: the busiest interviewer, a competency
busiest = max(whole.leniency, key=lambda r: r.n).interviewer
competency = whole.competencies[0].competency
filters = {
    "all": CalibrationFilters(),
    "opening": CalibrationFilters(opening_id=int(opening)),
    "period": CalibrationFilters(since=(last - timedelta(days=90)).date(), until=last.date()),
    "competency": CalibrationFilters(competency=competency),
    "interviewer": CalibrationFilters(interviewer=busiest),
}
out = {"n_ratings": whole.n_ratings, "cpu": {}}
for case in ["options", "read", "cold", *filters]:
    times, cpu = [], 0.0
    for _ in range(repeat):
        if case in ("read", "cold"):
            rating_columns.forget(db)
        if case not in ("all", "interviewer"):
            calibration_cached.forget_answers()
            forget_statistics()  # no table's statistics kept from an earlier call: as after a restart
        if case == "interviewer":  # the focus is chosen on the report shown: computed (untimed) and kept
            calibration_report(db, settings, filters["all"], viewer=LOCAL_ADMIN)
        t0, c0 = time.perf_counter(), time.process_time()
        if case == "options":
            filter_options(db)
        elif case == "read":
            rating_columns.columns(db)
        else:
            calibration_report(db, settings, filters["all" if case == "cold" else case], viewer=LOCAL_ADMIN)
        times.append(time.perf_counter() - t0)
        cpu += time.process_time() - c0
        print(f"{case}: {times[-1]:.2f} s", file=sys.stderr, flush=True)
    out[case] = times
    out["cpu"][case] = cpu / repeat
print(json.dumps(out))
"""


def measure(url: str, repeat: int, src_dir: Path | None, say: object = print) -> dict[str, object]:
    """The child's timings of every case on the database ``url`` (a path or a URL)."""
    env = dict(os.environ, OPENBLAS_NUM_THREADS="1")
    if src_dir is not None:
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(src_dir), env.get("PYTHONPATH", "")]))
    child = subprocess.Popen([sys.executable, "-c", _CHILD, url, str(repeat)], env=env, text=True,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    log = say if callable(say) else print
    assert child.stderr is not None and child.stdout is not None
    for line in child.stderr:
        log("  " + line.rstrip())
    out = child.stdout.read()
    if child.wait() != 0:
        raise RuntimeError(f"the calibration child exited {child.returncode}")
    result: dict[str, object] = json.loads(out.strip().splitlines()[-1])
    return result


def rows(result: dict[str, object], backend: str) -> list[Row]:
    cpu = result["cpu"]
    assert isinstance(cpu, dict)
    out = []
    for case in CASES:
        label, target = LABELS[case]
        samples = result[case]
        assert isinstance(samples, list)
        out.append(timing_row(f"calibration, {backend}: {label}", samples, target=target, spread="minmax",
                              note=f"n={len(samples)}; CPU {cpu[case]:.2f} s a call"))
    return out


@benchmark("calibration-large", "the Calibration screen's service calls over the large demo (1.2M ratings)")
def calibration_large(ctx: Context) -> Report:
    from demo_large import large_sqlite

    path, built = large_sqlite(ctx.src_dir, ctx.log)
    if built is not None:
        ctx.log(f"built the large demo in {built:.0f} s: {path}")
    result = measure(str(path), ctx.options.repeat, ctx.src_dir, ctx.log)
    report = rows(result, "SQLite")
    url = os.environ.get("INTERVIEWKIT_BENCH_CALIBRATION_PG")
    if url:
        report += rows(measure(url, ctx.options.repeat, ctx.src_dir, ctx.log), "PostgreSQL")
    else:
        report.append(Row("calibration, PostgreSQL", "-", "-", "-", "",
                          "set INTERVIEWKIT_BENCH_CALIBRATION_PG to a database holding the large demo"))
    return Report(report, [f"calibration-large: {result['n_ratings']} ratings scored (SQLite)"])


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--db", help="a database holding the large demo (default: the cached SQLite one)")
    opts = parser.parse_args()
    if opts.db:
        found = measure(opts.db, opts.repeat, None)
    else:
        from demo_large import large_sqlite

        found = measure(str(large_sqlite()[0]), opts.repeat, None)
    for row in rows(found, "SQLite" if not opts.db or "://" not in opts.db else "PostgreSQL"):
        print(row)
