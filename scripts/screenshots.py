"""Grab screenshots of every screen, with demo data, in light and dark palettes.

    QT_QPA_PLATFORM=offscreen python scripts/screenshots.py [OUT_DIR]

Uses a throw-away database and settings; touches nothing of the user's.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QSettings, Qt  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402

from interviewkit.paths import shipped_bank_dir  # noqa: E402
from interviewkit.services import people  # noqa: E402
from interviewkit.services.context import open_app  # noqa: E402
from interviewkit.services.demo import CANDIDATES, SPLIT, create_demo  # noqa: E402
from interviewkit.ui.app import make_application  # noqa: E402
from interviewkit.ui.main_window import SECTIONS, MainWindow  # noqa: E402
from interviewkit.ui.export.preview import PdfPreviewDialog  # noqa: E402
from interviewkit.ui.theme import apply_theme  # noqa: E402


def wait_until(ready, timeout_ms: int = 20000) -> None:  # type: ignore[no-untyped-def]
    """Let background work finish (the offscreen app has no user to wait for)."""
    from PySide6.QtCore import QDeadlineTimer
    from PySide6.QtWidgets import QApplication

    deadline = QDeadlineTimer(timeout_ms)
    while not ready() and not deadline.hasExpired():
        QApplication.processEvents()
        QTest.qWait(20)


def main() -> int:
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "shots")
    out.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix="ik-shots-"))
    app = make_application()
    ctx, _ = open_app(str(tmp / "shots.sqlite"), shipped_bank_dir())
    create_demo(ctx.db, shipped_bank_dir())
    by_name = {p.name: p.id for p in people.people(ctx.db)}
    lead = next(p.id for p in people.people(ctx.db) if p.access_role == "hiring_manager")
    for theme in ("light", "dark"):
        apply_theme(app, theme)
        settings = QSettings(str(tmp / f"settings-{theme}.ini"), QSettings.Format.IniFormat)
        window = MainWindow(settings)
        window.resize(1280, 800)
        ctx.user_id = by_name["Amara Okafor"]
        window.set_context(ctx)
        window.show()
        app.processEvents()

        def grab(name: str) -> None:
            app.processEvents()
            window.grab().save(str(out / f"{name}-{theme}.png"))

        for key, _title, _module, _cls in SECTIONS:
            window.navigation.setCurrentRow(window.section_index(key))
            if key == "bank":
                window.bank.select_question("realtime-batch-fraud-scoring-gcp")
            if key == "debriefs":  # as the debrief lead (the opening's hiring manager), who sees every scorecard
                ctx.user_id = lead
                window.debriefs.refresh()
                split = next(c.name for c in CANDIDATES if c.scenario == SPLIT)
                window.debriefs.select_candidate(next(c.id for c in people.candidates(ctx.db) if c.name == split))
                wait_until(window.debriefs.grid_model.has_adjusted)
            grab(key)
            ctx.user_id = by_name["Amara Okafor"]
        # The debrief packet's print preview (as the lead).
        ctx.user_id = lead
        window.navigation.setCurrentRow(window.section_index("debriefs"))
        window.debriefs.export()
        dialog = next(w for w in app.topLevelWidgets() if isinstance(w, PdfPreviewDialog))
        pages: list[int] = []
        dialog.sig_rendered.connect(pages.append)
        wait_until(lambda: bool(pages))
        dialog.resize(900, 760)
        QTest.qWait(1500)  # QPdfView renders its pages asynchronously
        dialog.grab().save(str(out / f"pdf-preview-{theme}.png"))
        dialog.reject()
        ctx.user_id = by_name["Amara Okafor"]
        window.navigation.setCurrentRow(window.section_index("bank"))
        window.bank.search.setText("drift retrain")
        grab("bank-search")
        window.bank.search.clear()
        # The live cockpit on today's interview, with some notes and a rating.
        today = next(s for s in window.my_interviews.model._rows if s.status != "submitted")
        window.open_stage(today.stage_id)
        cockpit = window.cockpit
        for line in ("- owned the fraud model's retraining; drift found 3 weeks late via a business report",
                     "- added PSI alerts on the top 20 features, paged at PSI > 0.2"):
            QTest.keyClicks(cockpit.notes, line)
            QTest.keyClick(cockpit.notes, Qt.Key.Key_Return)
        cockpit.rate(3)
        grab("cockpit")
        cockpit.finish()
        grab("cockpit-finish")
        window.leave_interview()
        window.close()
    print(f"screenshots in {out}/")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
