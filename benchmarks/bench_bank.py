"""Question-bank benchmarks: full sync, sync with nothing changed, and search over the synced bank.

All three use the synthetic bank of the run (see :mod:`synthetic_bank`) and SQLite files in the run's
temporary folder. Only the call under test is timed: opening (and migrating) a database is not.
"""

from __future__ import annotations

import gc
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import ParamSpec, TypeVar

from harness import (
    Context,
    Report,
    benchmark,
    check_full_sync,
    format_seconds,
    percentile,
    timing_row,
    within_budget,
)

from interviewkit.services.access import LOCAL_ADMIN
from interviewkit.services.bank_queries import search_version_ids
from interviewkit.services.bank_sync import sync_bank
from interviewkit.storage.db import open_database

SYNC_FULL_TARGET = 3.0  # seconds, 10,000 questions into a fresh database
SYNC_UNCHANGED_TARGET = 0.3  # seconds
SEARCH_TARGET = 0.010  # seconds, median of each query

# Time budgets: past them, no new repeat starts once the minimum number of samples is taken.
SYNC_FULL_BUDGET, SYNC_FULL_MIN = 25.0, 3
SEARCH_BUDGET, SEARCH_MIN_ROUNDS = 12.0, 10

# What people type in the bank browser's search box, which searches on every keystroke: single words,
# the prefixes typed on the way to them, and short phrases.
SEARCH_QUERIES: tuple[str, ...] = (
    "d",
    "de",
    "dep",
    "depl",
    "deploy",
    "deployment",
    "drift",
    "drift retrain",
    "retraining",
    "st",
    "stake",
    "stakeholder",
    "stakeholder comm",
    "stakeholder communication",
    "latency",
    "latency regression",
    "feature store",
    "canary rollback",
    "on-call rotation",
    "postmortem",
    "gov",
    "governance audit",
    "hiring plan",
    "interview loop",
    "cloud budget",
    "fraud detection model",
    "data quality incident",
    "model registry",
    "a/b test",
    "kubernetes quantum",
)


P = ParamSpec("P")
T = TypeVar("T")


def _timed(func: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> tuple[float, T]:
    """(seconds, result) of one call, started from a clean heap; the collector stays on, as in the app."""
    gc.collect()
    started = time.perf_counter()
    result = func(*args, **kwargs)
    return time.perf_counter() - started, result


@benchmark("sync-full", "sync the synthetic bank into a fresh SQLite database")
def sync_full(ctx: Context) -> Report:
    bank = ctx.bank
    repeat = ctx.options.repeat
    samples: list[float] = []
    kept: Path | None = None
    started = time.perf_counter()
    minimum = min(SYNC_FULL_MIN, repeat)
    while within_budget(len(samples), minimum=minimum, maximum=repeat, started=started, budget=SYNC_FULL_BUDGET):
        path = ctx.fresh_path("full", ".sqlite")
        db = open_database(path)
        try:
            seconds, report = _timed(sync_bank, db, bank.root, by=LOCAL_ADMIN)
        finally:
            db.dispose()
        check_full_sync(report, bank.question_count)
        samples.append(seconds)
        ctx.log(f"sync-full {len(samples)}/{repeat}: {format_seconds(seconds)}")
        if kept is not None:  # keep only the newest database (each is tens of MB)
            for leftover in kept.parent.glob(kept.name + "*"):
                leftover.unlink()
        kept = path
        ctx.set_synced_database(path)
    name = f"sync: full, {bank.question_count:,} questions"
    note = f"n={len(samples)}" + (f" of {repeat} (time budget)" if len(samples) < repeat else "")
    return Report([timing_row(name, samples, target=SYNC_FULL_TARGET, spread="minmax", note=note)])


@benchmark("sync-unchanged", "sync the same bank again into the same database (nothing changed)")
def sync_unchanged(ctx: Context) -> Report:
    path = ctx.synced_database()
    samples: list[float] = []
    for i in range(ctx.options.repeat):
        db = open_database(path)  # as at each app start: a new engine on the existing file
        try:
            seconds, report = _timed(sync_bank, db, ctx.bank.root, by=LOCAL_ADMIN)
        finally:
            db.dispose()
        if not report.skipped_parse:
            raise RuntimeError(f"the second sync did not take the fast path: {report.summary()}")
        samples.append(seconds)
        ctx.log(f"sync-unchanged {i + 1}/{ctx.options.repeat}: {format_seconds(seconds)}")
    name = f"sync: unchanged, {ctx.bank.question_count:,} questions"
    return Report([timing_row(name, samples, target=SYNC_UNCHANGED_TARGET, spread="minmax")])


@benchmark("search", "full-text search of the synced bank, as the bank browser runs it while you type")
def search(ctx: Context) -> Report:
    db = open_database(ctx.synced_database())
    max_rounds = max(20, 10 * ctx.options.repeat)
    per_query: dict[str, list[float]] = {q: [] for q in SEARCH_QUERIES}
    hits: dict[str, int] = {}
    rounds = 0
    try:
        for query in SEARCH_QUERIES:
            # What the bank browser calls on every keystroke: the matching current versions, unranked.
            hits[query] = len(search_version_ids(db, query) or ())  # warm-up, untimed
        started = time.perf_counter()
        # Rounds interleave the queries, so that no query gets only warm or only cold runs.
        while within_budget(
            rounds, minimum=SEARCH_MIN_ROUNDS, maximum=max_rounds, started=started, budget=SEARCH_BUDGET
        ):
            for query in SEARCH_QUERIES:
                t0 = time.perf_counter()
                search_version_ids(db, query)
                per_query[query].append(time.perf_counter() - t0)
            rounds += 1
    finally:
        db.dispose()

    medians = {q: statistics.median(s) for q, s in per_query.items()}
    width = max(len(q) for q in SEARCH_QUERIES) + 2
    details = [
        (
            f"search: {len(SEARCH_QUERIES)} queries x {rounds} runs over {ctx.bank.question_count:,} questions "
            f"(target: median of each query <= {format_seconds(SEARCH_TARGET)})"
        ),
        f"  {'query':<{width}} {'hits':>6} {'median':>9} {'p99':>9}  status",
    ]
    for query in SEARCH_QUERIES:
        samples = per_query[query]
        status = "OK" if medians[query] <= SEARCH_TARGET else "MISS"
        details.append(
            f"  {query!r:<{width}} {hits[query]:>6} {format_seconds(medians[query]):>9} "
            f"{format_seconds(percentile(samples, 99)):>9}  {status}"
        )
    everything = [s for samples in per_query.values() for s in samples]
    worst = max(medians, key=lambda q: medians[q])
    misses = sum(1 for m in medians.values() if m > SEARCH_TARGET)
    all_row = timing_row("search: all queries", everything, spread="p99")
    worst_row = timing_row(
        "search: slowest query (median)",
        per_query[worst],
        target=SEARCH_TARGET,
        spread="p99",
        note=f"{worst!r}, {hits[worst]} hits; {misses}/{len(medians)} queries over target",
    )
    return Report([all_row, worst_row], details)
