"""Screens on the large database (issue 17, points 2 and 5): time to first content and the longest GUI stall.

The real :class:`~interviewkit.ui.shell.window.MainWindow`, offscreen, over the large demo (``demo --size
large``: 400 people, 60,000 candidates, ~300,000 scorecards, ~1.2 million ratings), signed in as the admin and
as the ordinary interviewer with the most interviews. For every section of the navigation (Ctrl+1..7, in
:data:`~interviewkit.ui.shell.registry.SECTIONS` order) and every run, a new window is made and opened on the
database (its first section, My interviews, loads then), and then:

* **open**: the section is chosen in the navigation (built, given the database, reading; My interviews, the
  first section, is shown with the window and reads when the window gets the database); *first content* is
  the time until it has nothing left to load (``SectionWidget.loading`` false, and for the calibration
  section its report computed): its first rows or figures are on screen, not a busy state;
* **refresh**: ``refresh()``, what a change made elsewhere triggers;
* **filter**: the section's search field (``focus_search``) gets three keystrokes 120 ms apart, then the
  time until the section is idle again;
* **switch person**: the window's person changes to the other role (File → Switch person), which refreshes
  every built section (My interviews and this one).

During each of these a 5 ms ``QTimer`` on the GUI thread records the longest gap between its ticks: the
stall a person would feel. Targets: first content <= 150 ms, stall <= 50 ms.

The database is the large demo's SQLite file in the benchmarks' cache folder (``demo_large.large_sqlite``:
``$INTERVIEWKIT_BENCH_CACHE``, else ``~/.cache/interviewkit-benchmarks``, keyed by the demo's seed and a hash
of its generator; built once, ~2-5 minutes), copied into the run's temporary folder so the cached file is
never written. With ``INTERVIEWKIT_BENCH_SCREENS_PG=1`` and PostgreSQL server binaries, the same runs
happen on a throwaway cluster (``tests/pgserver.py``) the large database is copied into with ``db copy``.

Run alone: ``python benchmarks/bench_screens.py [--repeat N] [--section KEY ...] [--role admin|interviewer]
[--postgresql] [--profile]`` (``--profile``: where the GUI thread was during each stall over 40 ms, from a
sampler of its stack, ``stall_sampler.py``).
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from harness import Context, Report, Row, benchmark, format_seconds, within_budget

FIRST_CONTENT_TARGET = 0.150
STALL_TARGET = 0.050
TICK_MS = 5
KEY_GAP = 0.12  # seconds between keystrokes in a filter (a brisk typist)
OP_TIMEOUT = 120.0  # seconds: an operation that takes longer is cut short and counted as this long
SECTION_BUDGET = 60.0  # seconds of runs per section and role after the first two
QUERY = "ana"
OPS = ("open", "refresh", "filter", "switch")
PROFILE_GAP = 0.040  # seconds: with --profile, the gaps whose samples are counted


@dataclass
class Samples:
    """One section's figures for one role: first content, and the stall and time of each operation."""

    first: list[float] = field(default_factory=list)
    stall: dict[str, list[float]] = field(default_factory=lambda: {op: [] for op in OPS})
    took: dict[str, list[float]] = field(default_factory=lambda: {op: [] for op in OPS})
    cpu: dict[str, list[float]] = field(default_factory=lambda: {op: [] for op in OPS})  # the GUI thread's
    notes: set[str] = field(default_factory=set)


class Watchdog:
    """A 5 ms timer on the GUI thread; ``longest`` is the longest gap between two ticks since ``reset``."""

    def __init__(self, sampler: Any = None) -> None:
        from PySide6.QtCore import QTimer

        self.sampler = sampler  # a stall_sampler.StallSampler (``--profile``): where the GUI thread was

        self.timer = QTimer()
        self.timer.setInterval(TICK_MS)
        self.timer.timeout.connect(self._tick)
        self.last = time.perf_counter()
        self.longest = 0.0
        self.timer.start()

    def _tick(self) -> None:
        now = time.perf_counter()
        self.longest = max(self.longest, now - self.last)
        if self.sampler is not None and now - self.last > PROFILE_GAP:
            self.sampler.stall(self.last, now)
        self.last = now

    def label(self, text: str) -> None:
        if self.sampler is not None:
            self.sampler.label = text

    def reset(self) -> None:
        self.last = time.perf_counter()
        self.longest = 0.0

    def gap(self) -> float:
        """The longest gap, counting the one still open (work that has not yielded yet)."""
        return max(self.longest, time.perf_counter() - self.last)


def loading(widget: Any) -> bool:
    """Whether a section still has reads under way (its busy state)."""
    return bool(getattr(widget, "loading", False)) or getattr(widget, "busy", False) is True


class Driver:
    """Drives one window: waits for idleness while the watchdog ticks, times operations."""

    def __init__(self, app: Any, watchdog: Watchdog) -> None:
        self.app = app
        self.watchdog = watchdog
        self.cpu = 0.0  # the GUI thread's CPU time during the last operation timed (seconds)

    def pump(self, seconds: float) -> None:
        from PySide6.QtCore import QEventLoop

        end = time.perf_counter() + seconds
        while time.perf_counter() < end:
            self.app.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents)

    def drain(self) -> None:
        """Let reads still running for a closed window end (a quiet read streams in after the first content),
        so that the next run starts on an idle thread pool."""
        from PySide6.QtCore import QCoreApplication, QEvent

        from interviewkit.ui.widgets.tasks import pools

        # The closed window goes, as the application's event loop would delete it (processEvents does not):
        # its timers must not start work during the next run.
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        for pool in pools():  # the reads a person waits for, and the quiet lane's statistics
            pool.waitForDone(int(OP_TIMEOUT * 1000))
        self.pump(0.02)

    def wait_idle(self, window: Any) -> float:
        """Process events until no built section is loading and no write runs; the seconds it took."""
        from PySide6.QtCore import QEventLoop

        started = time.perf_counter()
        while any(loading(w) for w in window.built_sections()) or window.operations.busy:
            if time.perf_counter() - started > OP_TIMEOUT:
                break
            self.app.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents)
        return time.perf_counter() - started

    def timed(self, window: Any, action: Callable[[], None]) -> tuple[float, float]:
        """(seconds until idle, longest stall) of ``action`` and what it started."""
        self.pump(0.03)
        self.watchdog.reset()
        started, cpu = time.perf_counter(), time.thread_time()
        action()
        self.wait_idle(window)
        took = time.perf_counter() - started
        self.cpu = time.thread_time() - cpu
        stall = self.watchdog.gap()
        self.pump(0.02)  # a last tick closes a gap still open when the work ended
        return took, max(stall, self.watchdog.longest)

    def type_filter(self, window: Any, section: Any) -> tuple[float, float] | None:
        """Three keystrokes in the section's search field: (last key to idle, longest stall), or None."""
        from PySide6.QtTest import QTest
        from PySide6.QtWidgets import QApplication, QLineEdit

        if not section.focus_search():
            return None
        field_ = QApplication.focusWidget()
        if not isinstance(field_, QLineEdit):
            return None
        self.pump(0.03)
        self.watchdog.reset()
        cpu = time.thread_time()
        for char in QUERY:
            QTest.keyClicks(field_, char)
            self.pump(KEY_GAP)
        started = time.perf_counter()
        self.wait_idle(window)
        took = time.perf_counter() - started
        self.cpu = time.thread_time() - cpu
        stall = self.watchdog.gap()
        self.pump(0.02)
        field_.clear()
        self.wait_idle(window)
        return took, max(stall, self.watchdog.longest)


@dataclass(frozen=True)
class Who:
    role: str
    person_id: int
    other_id: int


def people_of(db_path: Path) -> tuple[Who, Who]:
    """The admin, and the interviewer with the most interview stages (each switching to the other)."""
    con = sqlite3.connect(db_path)
    try:
        admin = con.execute("SELECT min(id) FROM person WHERE access_role = 'admin' AND active").fetchone()[0]
        busiest = con.execute(
            "SELECT s.interviewer_id FROM stage s JOIN person p ON p.id = s.interviewer_id "
            "WHERE p.access_role = 'interviewer' AND p.active GROUP BY s.interviewer_id "
            "ORDER BY count(*) DESC, s.interviewer_id LIMIT 1"
        ).fetchone()[0]
    finally:
        con.close()
    return Who("admin", admin, busiest), Who("interviewer", busiest, admin)


def one_run(driver: Driver, make_window: Callable[[], Any], ctx: Any, who: Who, index: int, out: Samples) -> None:
    """A new window signed in as ``who``; the section at ``index`` opened, refreshed, filtered, switched."""
    from interviewkit.ui.shell.registry import SECTIONS

    key = SECTIONS[index].key
    ctx.user_id = who.person_id
    mark = driver.watchdog.label
    mark(f"{who.role} {key} setup")
    window = make_window()
    try:
        mark(f"{who.role} {key} open")
        if index == 0:  # the first section, shown with the window: it reads when the database is open
            took, stall = driver.timed(window, lambda: window.set_context(ctx))
        else:
            window.set_context(ctx)
            driver.wait_idle(window)
            took, stall = driver.timed(window, lambda: window.navigation.setCurrentRow(index))
        section = window.section(key)
        out.first.append(took)
        out.stall["open"].append(stall)
        out.took["open"].append(took)
        out.cpu["open"].append(driver.cpu)
        mark(f"{who.role} {key} refresh")
        took, stall = driver.timed(window, section.refresh)
        out.stall["refresh"].append(stall)
        out.took["refresh"].append(took)
        out.cpu["refresh"].append(driver.cpu)
        mark(f"{who.role} {key} filter")
        typed = driver.type_filter(window, section)
        if typed is None:
            out.notes.add("no filter field")
        else:
            out.took["filter"].append(typed[0])
            out.cpu["filter"].append(driver.cpu)
            out.stall["filter"].append(typed[1])

        def switch() -> None:
            ctx.user_id = who.other_id
            window.session.sig_person_changed.emit()

        mark(f"{who.role} {key} switch")
        took, stall = driver.timed(window, switch)
        out.stall["switch"].append(stall)
        out.took["switch"].append(took)
        out.cpu["switch"].append(driver.cpu)
    finally:
        mark(f"{who.role} {key} teardown")
        ctx.user_id = who.person_id
        window.session.ctx = None  # the database stays open for the next window
        window.close()
        window.deleteLater()
        driver.drain()


def _rows(backend: str, who: Who, title: str, s: Samples) -> tuple[list[Row], list[str]]:
    name = f"screens {backend} {who.role} {title}"
    first = statistics.median(s.first)
    rows = [
        Row(
            f"{name}: first content",
            format_seconds(first),
            f"{format_seconds(min(s.first))} .. {format_seconds(max(s.first))}",
            f"<= {format_seconds(FIRST_CONTENT_TARGET)}",
            "OK" if first <= FIRST_CONTENT_TARGET else "MISS",
            f"n={len(s.first)}",
        )
    ]
    medians = {op: statistics.median(v) for op, v in s.stall.items() if v}
    worst = max(medians, key=lambda op: medians[op])
    spread = s.stall[worst]
    rows.append(
        Row(
            f"{name}: longest stall",
            format_seconds(medians[worst]),
            f"{format_seconds(min(spread))} .. {format_seconds(max(spread))}",
            f"<= {format_seconds(STALL_TARGET)}",
            "OK" if medians[worst] <= STALL_TARGET else "MISS",
            f"worst while {worst}; " + ", ".join(f"{op} {format_seconds(m)}" for op, m in medians.items())
            + ("; " + ", ".join(sorted(s.notes)) if s.notes else ""),
        )
    )
    detail = f"{name}: " + "; ".join(
        f"{op} done in {format_seconds(statistics.median(v))} (stall {format_seconds(medians[op])}, "
        f"GUI thread CPU {format_seconds(statistics.median(s.cpu[op]))})"
        for op, v in s.took.items()
        if v
    )
    return rows, [detail]


def measure(
    db_location: str, people: tuple[Who, ...], repeat: int, say: Callable[[str], None],
    backend: str = "sqlite", sections: tuple[str, ...] = (), sampler: Any = None,
) -> Report:
    """Every section, for each of ``people``, ``repeat`` runs each (fewer when they are slow)."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from interviewkit.paths import shipped_bank_dir
    from interviewkit.services.context import open_app
    from interviewkit.ui.shell.app import make_application
    from interviewkit.ui.shell.registry import SECTIONS
    from interviewkit.ui.shell.window import MainWindow

    app = QApplication.instance() or make_application([])
    ctx, _report = open_app(db_location, shipped_bank_dir())
    watchdog = Watchdog(sampler)
    driver = Driver(app, watchdog)
    settings = Path(tempfile.gettempdir()) / f"ik-screens-{os.getpid()}.ini"  # removed at the end

    def make_window() -> Any:
        settings.unlink(missing_ok=True)
        window = MainWindow(QSettings(str(settings), QSettings.Format.IniFormat))
        window.resize(1280, 800)
        window.show()
        driver.pump(0.05)
        return window

    rows: list[Row] = []
    details: list[str] = []
    try:
        for who in people:
            for index, spec in enumerate(SECTIONS):
                if sections and spec.key not in sections:
                    continue
                samples = Samples()
                started = time.perf_counter()
                while within_budget(len(samples.first), minimum=2, maximum=repeat, started=started,
                                    budget=SECTION_BUDGET):
                    try:
                        one_run(driver, make_window, ctx, who, index, samples)
                    except Exception as exc:  # noqa: BLE001 - a section that fails is a figure too
                        samples.notes.add(f"ERROR {type(exc).__name__}: {str(exc)[:120]}")
                        break
                if not samples.first:
                    rows.append(Row(f"screens {backend} {who.role} {spec.title}", "-", "-", "-", "ERROR",
                                    "; ".join(sorted(samples.notes))))
                    continue
                first = format_seconds(statistics.median(samples.first))
                stalls = ", ".join(f"{op} {format_seconds(max(v))}" for op, v in samples.stall.items() if v)
                say(f"{backend} {who.role} {spec.title}: first content {first}, stalls {stalls}")
                found, lines = _rows(backend, who, spec.title, samples)
                rows.extend(found)
                details.extend(lines)
    finally:
        watchdog.timer.stop()
        ctx.db.dispose()
        settings.unlink(missing_ok=True)
    return Report(rows, details)


def _sqlite_copy(ctx: Context) -> Path:
    from demo_large import large_sqlite

    cached, built = large_sqlite(ctx.src_dir, ctx.log)
    if built is not None:
        ctx.log(f"built the large demo in {built:.0f} s: {cached}")
    path = ctx.work_dir / "screens-large.sqlite"
    shutil.copyfile(cached, path)
    return path


@benchmark("screens", "every section on the large demo: time to first content and the longest GUI stall")
def screens(ctx: Context) -> Report:
    path = _sqlite_copy(ctx)
    people = people_of(path)
    report = measure(str(path), people, ctx.options.repeat, ctx.log)
    if os.environ.get("INTERVIEWKIT_BENCH_SCREENS_PG") == "1":
        report = _with_postgresql(ctx, path, people, report)
    else:
        report.rows.append(Row("screens postgresql", "-", "-", "-", "", "set INTERVIEWKIT_BENCH_SCREENS_PG=1"))
    return report


def _with_postgresql(
    ctx: Context,
    path: Path,
    people: tuple[Who, ...],
    report: Report,
    sections: tuple[str, ...] = (),
    sampler: Any = None,
) -> Report:
    """The same runs on a throwaway PostgreSQL cluster holding a ``db copy`` of the SQLite file (the copy's
    time is a row of its own: the copy verifies every row's hash, and fails the run if one differs)."""
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from demo_large import _cli

    from tests.pgserver import PgServer, find_pg_bin

    bin_dir = find_pg_bin()
    if bin_dir is None:
        report.rows.append(Row("screens postgresql", "-", "-", "-", "", "no PostgreSQL server binaries"))
        return report
    server = PgServer(bin_dir)
    server.start()
    try:
        url = server.url(server.new_database(None))
        took = _cli(["db", "copy", "--from", str(path), "--to", url], ctx.src_dir, ctx.log)
        ctx.log(f"copied the large demo to PostgreSQL in {took:.0f} s")
        copied = Row("screens postgresql: db copy of the large demo", format_seconds(took), "", "", "",
                     "spawn to exit, every row's hash compared; throwaway cluster")
        more = measure(url, people, ctx.options.repeat, ctx.log, backend="postgresql", sections=sections,
                       sampler=sampler)
    finally:
        server.stop()
    return Report([*report.rows, copied, *more.rows], report.details + more.details)


def main() -> None:
    import argparse

    from harness import Options
    from run import PACKAGE_ROOT, format_table

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--section", action="append", default=[], help="a section key (my_interviews, loops...)")
    parser.add_argument("--role", choices=("admin", "interviewer"), action="append", default=[])
    parser.add_argument("--db", help="an SQLite file of the large demo to use as it is (default: the cached one)")
    parser.add_argument("--profile", action="store_true",
                        help="sample the GUI thread's stack and print where it was during stalls over 40 ms")
    parser.add_argument("--postgresql", action="store_true",
                        help="on PostgreSQL only: a throwaway cluster holding a db copy of the SQLite file")
    args = parser.parse_args()
    sampler = None
    if args.profile:
        from stall_sampler import StallSampler

        sampler = StallSampler()
    with tempfile.TemporaryDirectory(prefix="interviewkit-bench-") as tmp:
        ctx = Context(Options(repeat=args.repeat), Path(tmp), PACKAGE_ROOT)
        path = Path(args.db) if args.db else _sqlite_copy(ctx)
        people = tuple(w for w in people_of(path) if not args.role or w.role in args.role)
        if args.postgresql:
            report = _with_postgresql(ctx, path, people, Report([]), tuple(args.section), sampler)
        else:
            report = measure(str(path), people, args.repeat, ctx.log, sections=tuple(args.section), sampler=sampler)
    if sampler is not None:
        sampler.stop()
        print(sampler.report())
    print("\n".join(report.details))
    print(format_table(report.rows))


if __name__ == "__main__":
    main()
