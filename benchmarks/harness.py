"""The benchmark harness: a registry of benchmarks, the shared context they run in, and result rows.

A benchmark is a function that takes the :class:`Context` and returns a :class:`Report` (the rows of the
summary table, plus optional detail lines). Register it with the :func:`benchmark` decorator in a module
listed in ``run.BENCHMARK_MODULES``::

    @benchmark("autosave", "save an interview's notes while typing")
    def autosave(ctx: Context) -> Report:
        samples = [...]
        return Report([timing_row("autosave", samples, target=0.05)])

Everything a benchmark writes goes under ``ctx.work_dir``, a temporary folder removed at the end of the
run; the synthetic bank and a fully synced database are built at most once per run and shared.
"""

from __future__ import annotations

import math
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from synthetic_bank import SyntheticBank, generate_bank

from interviewkit.services.access import LOCAL_ADMIN

if TYPE_CHECKING:
    from interviewkit.services.bank_sync import SyncReport

__all__ = [
    "REGISTRY",
    "Benchmark",
    "Context",
    "Options",
    "Report",
    "Row",
    "benchmark",
    "check_full_sync",
    "format_seconds",
    "percentile",
    "ratio_row",
    "timing_row",
    "within_budget",
]

Spread = Literal["p90", "p99", "minmax"]


# -- results ---------------------------------------------------------------------------------------------


def percentile(samples: Sequence[float], p: float) -> float:
    """The ``p``-th percentile (0..100) with linear interpolation between the closest ranks."""
    if not samples:
        raise ValueError("no samples")
    ordered = sorted(samples)
    k = (len(ordered) - 1) * p / 100.0
    lo, hi = math.floor(k), math.ceil(k)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def format_seconds(seconds: float) -> str:
    """A duration with a unit that keeps three significant figures readable."""
    if seconds >= 1.0:
        return f"{seconds:.2f} s"
    if seconds >= 0.001:
        return f"{seconds * 1e3:.1f} ms"
    return f"{seconds * 1e6:.0f} µs"


def within_budget(done: int, *, minimum: int, maximum: int, started: float, budget: float) -> bool:
    """Whether to take another sample: always up to ``minimum``, never past ``maximum``, and in between
    only while less than ``budget`` seconds (``time.perf_counter``) have passed since ``started``.

    This keeps a run short when the code under test is far slower than its target; the number of
    samples taken is shown in the table.
    """
    if done >= maximum:
        return False
    return done < minimum or time.perf_counter() - started < budget


@dataclass(frozen=True)
class Row:
    """One line of the summary table. ``status`` is OK, MISS, or empty for a figure without a target."""

    name: str
    median: str
    spread: str
    target: str
    status: str
    note: str = ""


def timing_row(
    name: str,
    samples: Sequence[float],
    *,
    target: float | None = None,
    spread: Spread = "p90",
    note: str = "",
) -> Row:
    """A row for durations in seconds; OK when the median is at most ``target``."""
    med = statistics.median(samples)
    if spread == "minmax":
        spread_text = f"{format_seconds(min(samples))} .. {format_seconds(max(samples))}"
    else:
        spread_text = f"{spread} {format_seconds(percentile(samples, float(spread[1:])))}"
    return Row(
        name=name,
        median=format_seconds(med),
        spread=spread_text,
        target=f"<= {format_seconds(target)}" if target is not None else "",
        status=("OK" if med <= target else "MISS") if target is not None else "",
        note=note or f"n={len(samples)}",
    )


def ratio_row(name: str, ratio: float, *, target: float, note: str = "") -> Row:
    """A row for a dimensionless ratio; OK when it is at most ``target``."""
    return Row(name, f"{ratio:.2f}x", "", f"<= {target:.2f}x", "OK" if ratio <= target else "MISS", note)


@dataclass
class Report:
    """What one benchmark found: summary rows and optional detail lines printed before the table."""

    rows: list[Row]
    details: list[str] = field(default_factory=list)


# -- context ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Options:
    questions: int = 10_000
    repeat: int = 5
    seed: int = 20240611


class Context:
    """What benchmarks share during one run: options, a temporary folder, the synthetic bank, a database."""

    def __init__(self, options: Options, work_dir: Path, src_dir: Path) -> None:
        self.options = options
        self.work_dir = work_dir
        self.src_dir = src_dir  # the package sources, for benchmarks that start subprocesses
        self._bank: SyntheticBank | None = None
        self._synced_db: Path | None = None
        self._counter = 0

    def log(self, message: str) -> None:
        """Progress, on stderr so that stdout holds only the results."""
        print(f"  {message}", file=sys.stderr, flush=True)

    def fresh_path(self, stem: str, suffix: str = "") -> Path:
        """A path in the work folder that nothing uses yet."""
        self._counter += 1
        return self.work_dir / f"{stem}-{self._counter:03d}{suffix}"

    @property
    def bank(self) -> SyntheticBank:
        """The synthetic bank of ``options.questions`` questions, generated on first use."""
        if self._bank is None:
            started = time.perf_counter()
            self._bank = generate_bank(self.work_dir / "bank", self.options.questions, seed=self.options.seed)
            self.log(
                f"generated {self._bank.question_count} questions in {self._bank.folder_count} folders "
                f"({self._bank.total_bytes / 1e6:.1f} MB) in {time.perf_counter() - started:.1f} s"
            )
        return self._bank

    def set_synced_database(self, path: Path) -> None:
        """Remember a database file that holds a complete sync of :attr:`bank`."""
        self._synced_db = path

    def synced_database(self) -> Path:
        """A database file with the synthetic bank fully synced into it (built, untimed, if needed)."""
        if self._synced_db is None:
            from interviewkit.services.bank_sync import sync_bank
            from interviewkit.storage.db import open_database

            path = self.fresh_path("synced", ".sqlite")
            db = open_database(path)
            try:
                started = time.perf_counter()
                report = sync_bank(db, self.bank.root, by=LOCAL_ADMIN)
                self.log(f"synced the bank into {path.name} in {time.perf_counter() - started:.1f} s")
                check_full_sync(report, self.bank.question_count)
            finally:
                db.dispose()
            self._synced_db = path
        return self._synced_db


def check_full_sync(report: SyncReport, expected: int) -> None:
    """Raise unless a sync report says every question was added and no file had an error."""
    added = len(report.added)
    errors = [p for p in report.problems if p.severity == "error"]
    if added != expected or errors:
        first = f"; first problem: {errors[0]}" if errors else ""
        raise RuntimeError(f"the sync added {added} of {expected} questions with {len(errors)} error(s){first}")


# -- registry --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Benchmark:
    name: str
    description: str
    run: Callable[[Context], Report]


REGISTRY: dict[str, Benchmark] = {}


def benchmark(name: str, description: str) -> Callable[[Callable[[Context], Report]], Callable[[Context], Report]]:
    """Register a benchmark under ``name``; benchmarks run in the order they are registered."""

    def register(func: Callable[[Context], Report]) -> Callable[[Context], Report]:
        if name in REGISTRY:
            raise ValueError(f"two benchmarks are called {name!r}")
        REGISTRY[name] = Benchmark(name, description, func)
        return func

    return register
