"""The calibration section says how far its first read of every rating is (issue 17, point 3): a bar beside
the status, reported from the thread pool, then a moving bar while the statistics are computed; gone once
the report shows. Shown again only when a write has changed the ratings."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from interviewkit.services import people, rating_columns
from interviewkit.services.access import LOCAL_ADMIN
from interviewkit.services.calibration import import_ratings_csv
from interviewkit.services.context import AppContext
from interviewkit.ui.calibration.view import CalibrationView


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
