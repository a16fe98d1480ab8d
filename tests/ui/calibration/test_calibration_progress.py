"""The calibration section says how far its first read of every rating is (issue 17, point 3): a bar beside
the status, reported from the thread pool, then a moving bar while the statistics are computed; gone once
the report shows. Shown again only when a write has changed the ratings."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QEvent
from pytestqt.qtbot import QtBot
from shiboken6 import isValid

from interviewkit.services import people, rating_columns
from interviewkit.services.access import LOCAL_ADMIN
from interviewkit.services.calibration import import_ratings_csv
from interviewkit.services.context import AppContext
from interviewkit.ui.calibration import view as view_module
from interviewkit.ui.calibration.view import CalibrationView
from interviewkit.ui.shell.section import StandaloneHost
from interviewkit.ui.widgets.tasks import pools


def _ratings(tmp_path: Path, name: str, candidates: range) -> Path:
    rows = ["candidate,interviewer,competency,score"]
    for c in candidates:
        for i, who in enumerate(("ann", "bob", "cy")):
            rows.append(f"c{c},{who},model-serving,{1 + (c + i) % 4}")
    path = tmp_path / name
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def test_the_first_read_shows_its_progress(qtbot: QtBot, ctx: AppContext, tmp_path: Path) -> None:
    import_ratings_csv(ctx.db, _ratings(tmp_path, "a.csv", range(6)), ctx.settings, by=LOCAL_ADMIN)
    ctx.user_id = people.create_person(
        ctx.db, name="Lena Lead", email="lena@example.com", access_role="admin", by=LOCAL_ADMIN
    ).id
    rating_columns.forget(ctx.db)
    view = CalibrationView()
    qtbot.addWidget(view)
    seen: list[tuple[float, str, bool]] = []
    view.sig_progress.connect(lambda _g, share, _what: seen.append((share, view.status.text(),
                                                                    not view.progress.isHidden())))  # fmt: skip
    with qtbot.waitSignal(view.sig_updated, timeout=20000):
        view.set_context(ctx)
    shares = [share for share, _, _ in seen]
    assert shares[0] == 0.0 and shares[-1] == -1.0 and 0 < len(shares) <= 6, seen
    assert all(shown for _, _, shown in seen) and seen[0][1] == "Reading the ratings…"
    assert seen[-1][1] == "Computing the statistics…"
    assert view.progress.isHidden() and "18 ratings" in view.status.text()

    # nothing written: no read, only the statistics' bar
    seen.clear()
    with qtbot.waitSignal(view.sig_updated, timeout=20000):
        view.refresh()
    assert [share for share, _, _ in seen] == [-1.0]

    # new ratings: read again, and shown
    import_ratings_csv(ctx.db, _ratings(tmp_path, "b.csv", range(6, 9)), ctx.settings, by=LOCAL_ADMIN)
    seen.clear()
    with qtbot.waitSignal(view.sig_updated, timeout=20000):
        view.refresh()
    assert seen[0][0] == 0.0 and "27 ratings" in view.status.text() and view.progress.isHidden()


def test_a_report_that_ends_after_its_window_is_gone_is_dropped(
    qtbot: QtBot, ctx: AppContext, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Found by the screens benchmark: a report (or its failure) that ended after its window was closed and
    deleted called the deleted progress bar ('Internal C++ object already deleted', on the GUI thread)."""
    import_ratings_csv(ctx.db, _ratings(tmp_path, "a.csv", range(6)), ctx.settings, by=LOCAL_ADMIN)
    ctx.user_id = people.create_person(
        ctx.db, name="Lena Lead", email="lena@example.com", access_role="admin", by=LOCAL_ADMIN
    ).id
    gate, calls = threading.Event(), list[int]()

    def held(*_args: object, **_kw: object) -> object:
        calls.append(1)
        gate.wait(10)
        if len(calls) == 1:
            raise RuntimeError("the database went away")
        return None

    monkeypatch.setattr(view_module, "calibration_report", held)
    for started in (1, 2):  # the failure, then a result
        view = CalibrationView()
        view.set_context(ctx)
        qtbot.waitUntil(lambda started=started: len(calls) == started, timeout=10000)  # computing
        view.deleteLater()
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        assert not isValid(view)
        gate.set()
        for pool in pools():
            pool.waitForDone(10000)
        gate.clear()
        QCoreApplication.processEvents()  # the results are delivered to nobody: no error
    assert len(calls) == 2


def test_the_filter_options_are_read_off_the_gui_thread(
    qtbot: QtBot, ctx: AppContext, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One query per opening (a dozen on the large demo, ~30 ms at load): the window's open does not wait."""
    import_ratings_csv(ctx.db, _ratings(tmp_path, "a.csv", range(6)), ctx.settings, by=LOCAL_ADMIN)
    people.create_opening(ctx.db, title="Remote EM", jd_ids=["ml-eng-manager-profile"], by=LOCAL_ADMIN)
    ctx.user_id = people.create_person(
        ctx.db, name="Lena Lead", email="lena@example.com", access_role="admin", by=LOCAL_ADMIN
    ).id
    threads: list[int] = []
    real = view_module.filter_options

    def spied(db: object) -> object:
        threads.append(threading.get_ident())
        return real(db)  # type: ignore[arg-type]

    monkeypatch.setattr(view_module, "filter_options", spied)
    view = CalibrationView()
    qtbot.addWidget(view)
    view.set_host(StandaloneHost(view, reads_in_background=True))
    with qtbot.waitSignal(view.sig_updated, timeout=20000):
        view.set_context(ctx)
    qtbot.waitUntil(lambda: view.filter_bar.opening.findText("Remote EM") >= 0, timeout=10000)
    assert threads and threading.get_ident() not in threads
