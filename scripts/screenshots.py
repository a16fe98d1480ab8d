"""Grab screenshots of every screen, with demo data, in light and dark palettes.

    QT_QPA_PLATFORM=offscreen python scripts/screenshots.py [OUT_DIR] [--size 1280x800] [--suffix TEXT]

Uses a throw-away database and settings; touches nothing of the user's. ``--size`` sets the window's size
(1280x800 by default; 1366x768 is the other small laptop screen the layouts must fit), ``--suffix`` is
added to every file name (e.g. ``-1366x768``).
"""

from __future__ import annotations

import argparse
import os
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QSettings, Qt
from PySide6.QtTest import QTest

from interviewkit.paths import shipped_bank_dir
from interviewkit.services import people
from interviewkit.services.access import LOCAL_ADMIN
from interviewkit.services.context import open_app
from interviewkit.services.demo import CANDIDATES, SPLIT, create_demo
from interviewkit.services.loops import my_interviews
from interviewkit.ui.shell.app import make_application
from interviewkit.ui.shell.window import SECTIONS, MainWindow
from interviewkit.ui.widgets.pdf_preview import PdfPreviewDialog
from interviewkit.ui.widgets.theme import apply_theme


def wait_until(ready, timeout_ms: int = 20000) -> None:  # type: ignore[no-untyped-def]
    """Let background work finish (the offscreen app has no user to wait for)."""
    from PySide6.QtCore import QDeadlineTimer
    from PySide6.QtWidgets import QApplication

    deadline = QDeadlineTimer(timeout_ms)
    while not ready() and not deadline.hasExpired():
        QApplication.processEvents()
        QTest.qWait(20)


def _calibration_shots(app, ctx, by_name, size, save) -> None:  # type: ignore[no-untyped-def]
    """The calibration dashboard as the hiring manager sees it, and an exercise being scored blind."""
    from PySide6.QtCore import QThreadPool

    from interviewkit.services.exercises import create_exercise, exercises, submit_exercise_score
    from interviewkit.ui.calibration.view import CalibrationView

    lead = by_name["Rita Figueiredo"]
    if not exercises(ctx.db, lead):
        made = create_exercise(
            ctx.db,
            question_id="drift-incident-retraining",
            created_by=lead,
            settings=ctx.settings,
            agreed_score=3,
            transcript="**Candidate:** Our fraud model's precision fell from 0.91 to 0.78 over three weeks; finance "
            "noticed first.\n\n- I added PSI checks on the top 20 features, alerting at 0.2\n- We moved to weekly "
            "retraining with a shadow evaluation\n\nI didn't change who gets paged.",
            rationale=(
                "Numbers and a fix that would catch it next time; detection still hangs on one alert, so not a 4."
            ),
        )
        for who, score in (("José Ñúñez", 2), ("Kwame Asante", 3), ("王芳", 4)):
            submit_exercise_score(ctx.db, made.id, by_name[who], score, settings=ctx.settings)
    view = CalibrationView()
    view.resize(*size)
    ctx.user_id = lead
    view.set_context(ctx)
    view.show()
    while view.busy:
        app.processEvents()
        QThreadPool.globalInstance().waitForDone(50)
    for _ in range(3):
        app.processEvents()
    save("calibration", view)
    ctx.user_id = by_name["Amara Okafor"]
    view.tabs.setCurrentWidget(view.exercises)
    view.exercises.refresh()
    view.exercises.select(exercises(ctx.db, ctx.user_id)[0].id)
    view.exercises.score_page.picker.choose(3)
    app.processEvents()
    save("calibration-exercise", view)
    view.close()


def open_interview(ctx, first: int) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    """(person, stage) of an interview still to be done: ``first``'s if they have one, else the first
    person's who has (the demo decides who has interviews left)."""
    everyone = [first] + [p.id for p in people.people(ctx.db) if p.id != first]
    for person in everyone:
        for stage in my_interviews(ctx.db, person):
            if stage.kind != "screen" and stage.status != "submitted":
                return person, stage.stage_id
    raise SystemExit("the demo left no interview to open in the cockpit")


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Screenshots of every screen with demo data, light and dark.")
    parser.add_argument("out", nargs="?", default="shots", help="the folder to write the PNGs to")
    parser.add_argument("--size", default="1280x800", help="the window's size, WIDTHxHEIGHT (default 1280x800)")
    parser.add_argument("--suffix", default="", help="added to every file name, before the theme")
    args = parser.parse_args()
    try:
        width, height = (int(v) for v in args.size.lower().split("x"))
    except ValueError:
        parser.error(f"--size {args.size!r}: expected WIDTHxHEIGHT, e.g. 1366x768")
    args.width, args.height = width, height
    return args


def main() -> int:
    args = _arguments()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    size, suffix = (args.width, args.height), args.suffix
    tmp = Path(tempfile.mkdtemp(prefix="ik-shots-"))
    app = make_application()
    ctx, _ = open_app(str(tmp / "shots.sqlite"), shipped_bank_dir())
    create_demo(ctx.db, shipped_bank_dir(), by=LOCAL_ADMIN)
    by_name = {p.name: p.id for p in people.people(ctx.db)}
    lead = next(p.id for p in people.people(ctx.db) if p.access_role == "hiring_manager")
    admin = next(p.id for p in people.people(ctx.db) if p.access_role == "admin")
    for theme in ("light", "dark"):
        apply_theme(app, theme)
        settings = QSettings(str(tmp / f"settings-{theme}.ini"), QSettings.Format.IniFormat)
        window = MainWindow(settings)
        window.resize(*size)
        ctx.user_id = by_name["Amara Okafor"]
        window.set_context(ctx)
        window.show()
        app.processEvents()

        def grab(name: str) -> None:
            app.processEvents()
            window.grab().save(str(out / f"{name}{suffix}-{theme}.png"))  # noqa: B023 - used within this iteration

        # Each section as the person who uses it most: the admin plans loops and keeps People, the
        # debrief lead (the opening's hiring manager) sees every scorecard, an interviewer the rest.
        users = {"loops": admin, "people": admin, "debriefs": lead}
        for key in [section.key for section in SECTIONS]:
            if key == "calibration":
                continue  # shot on its own above, with exercises
            ctx.user_id = users.get(key, by_name["Amara Okafor"])
            window.session.sig_person_changed.emit()  # as after signing in: the status bar names them
            window.navigation.setCurrentRow(window.section_index(key))
            if key == "bank":
                window.bank.select_question("realtime-batch-fraud-scoring-gcp")
            if key == "debriefs":
                split = next(c.name for c in CANDIDATES if c.scenario == SPLIT)
                window.debriefs.select_candidate(
                    next(c.id for c in people.candidates(ctx.db, by=LOCAL_ADMIN) if c.name == split)
                )
                wait_until(window.debriefs.grid_model.has_adjusted)
            grab(key)
            if key == "debriefs":  # the decision tab, with its Record decision button
                window.debriefs.tabs.setCurrentIndex(window.debriefs.tabs.count() - 1)
                grab("debriefs-decision")
                window.debriefs.tabs.setCurrentIndex(0)
            ctx.user_id = by_name["Amara Okafor"]
        # The debrief packet's print preview (as the lead).
        ctx.user_id = lead
        window.navigation.setCurrentRow(window.section_index("debriefs"))
        window.debriefs.export()
        dialog = next(w for w in app.topLevelWidgets() if isinstance(w, PdfPreviewDialog))
        pages: list[int] = []
        dialog.sig_rendered.connect(pages.append)
        wait_until(lambda: bool(pages))  # noqa: B023 - waited for within this iteration
        dialog.resize(900, 760)
        QTest.qWait(1500)  # QPdfView renders its pages asynchronously
        dialog.grab().save(str(out / f"pdf-preview{suffix}-{theme}.png"))
        dialog.reject()
        ctx.user_id = by_name["Amara Okafor"]
        window.navigation.setCurrentRow(window.section_index("bank"))
        window.bank.search.setText("drift retrain")
        grab("bank-search")
        window.bank.search.clear()
        # The live cockpit on an interview still to be done, with some notes and a rating.
        ctx.user_id, stage_id = open_interview(ctx, by_name["Amara Okafor"])
        window.session.sig_person_changed.emit()
        window.open_stage(stage_id)
        cockpit = window.cockpit
        wait_until(lambda: window.stack.currentWidget() is cockpit and not cockpit.busy)  # noqa: B023 - now
        lines = (
            "- owned the fraud model's retraining; drift found 3 weeks late via a business report",
            "- added PSI alerts on the top 20 features, paged at PSI > 0.2",
        )
        for line in lines if not cockpit.notes.toPlainText().strip() else ():  # typed once, kept for the dark shot
            QTest.keyClicks(cockpit.notes, line)
            QTest.keyClick(cockpit.notes, Qt.Key.Key_Return)
        cockpit.rate(3)
        grab("cockpit")
        cockpit.finish()
        grab("cockpit-finish")
        window.leave_interview()
        wait_until(lambda: not cockpit.busy)  # noqa: B023 - waited for now
        ctx.user_id = by_name["Amara Okafor"]
        _calibration_shots(
            app,
            ctx,
            by_name,
            size,
            lambda name, widget: widget.grab().save(str(out / f"{name}{suffix}-{theme}.png")),  # noqa: B023 - called now
        )
        window.close()
    print(f"screenshots in {out}/")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
