"""File → Personal data retention…: the period, who is due (a dry run), and erasing them (admins only)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot

from interviewkit.services import people
from interviewkit.services.access import LOCAL_ADMIN
from interviewkit.services.privacy import due_for_retention, retention_days
from interviewkit.ui.people.retention import RetentionDialog
from interviewkit.ui.people.view import PeopleView
from interviewkit.ui.shell.actions import ActionId
from interviewkit.ui.shell.window import MainWindow
from tests.ui.debrief.conftest import Demo, seeded  # noqa: F401 - the demo's hiring round


@pytest.fixture
def decided(seeded: Demo) -> Demo:  # noqa: F811
    """Two of the demo's candidates decided 400 days ago (past the default year), one yesterday."""
    from datetime import timedelta

    from interviewkit.services import demo
    from interviewkit.services.debrief import record_decision
    from interviewkit.storage.models import utcnow

    for scenario, days in ((demo.STRONG, 400), (demo.SPLIT, 400), (demo.NO_HIRE, 1)):
        record_decision(
            seeded.db,
            seeded.candidates[scenario],
            seeded.lead_id,
            outcome="hire" if days > 1 else "no_hire",
            rationale="The panel's evidence.",
            participants=[seeded.lead_id],
            now=utcnow() - timedelta(days=days),
        )
    return seeded


def _window(qtbot: QtBot, settings: QSettings, ctx) -> MainWindow:  # type: ignore[no-untyped-def]
    window = MainWindow(settings)
    qtbot.addWidget(window)
    window.set_context(ctx)
    return window


def _retention(qtbot: QtBot, ctx) -> RetentionDialog:  # type: ignore[no-untyped-def]
    """The dialog as File → Personal data retention… opens it: the People screen's."""
    view = PeopleView()
    qtbot.addWidget(view)
    view.set_context(ctx)
    dialog = view.open_retention()
    assert isinstance(dialog, RetentionDialog)
    return dialog


def test_only_admins_get_the_retention_dialog(qtbot: QtBot, settings: QSettings, seeded: Demo) -> None:  # noqa: F811
    window = _window(qtbot, settings, seeded.as_person("Amara Okafor"))
    assert not window.actions_by_id[ActionId.RETENTION].isEnabled()
    window.set_context(seeded.as_person("Sofia Marques"))
    assert window.actions_by_id[ActionId.RETENTION].isEnabled()
    window.actions_by_id[ActionId.RETENTION].trigger()
    dialog = window.people.dialog  # People's dialog: that screen runs its writes
    assert isinstance(dialog, RetentionDialog) and dialog.isVisible()
    dialog.close()


def test_the_list_is_a_dry_run_and_erase_takes_what_is_due(
    qtbot: QtBot, decided: Demo, monkeypatch: pytest.MonkeyPatch
) -> None:
    dialog = _retention(qtbot, decided.as_person("Sofia Marques"))
    due = due_for_retention(decided.db, by=LOCAL_ADMIN)
    assert len(due) == 2, "the two decided 400 days ago, not yesterday's"
    assert [r.candidate_id for r in dialog.model.rows()] == [d.candidate_id for d in due]
    assert f"{len(due)} candidate" in dialog.summary.text()
    names_before = {c.id: c.name for c in people.candidates(decided.db, by=LOCAL_ADMIN)}

    dialog.days.setValue(36500)  # a longer period: nobody is due, and nothing was changed
    assert dialog.model.rowCount() == 0 and not dialog.erase_button.isEnabled()
    assert dialog.save_days.isEnabled() and retention_days(decided.db) == 365
    assert {c.id: c.name for c in people.candidates(decided.db, by=LOCAL_ADMIN)} == names_before

    dialog.days.setValue(365)
    monkeypatch.setattr(RetentionDialog, "confirm", lambda self, rows: False)  # Cancel: nothing goes
    dialog.erase_button.click()
    assert {c.id: c.name for c in people.candidates(decided.db, by=LOCAL_ADMIN)} == names_before

    monkeypatch.setattr(RetentionDialog, "confirm", lambda self, rows: True)
    with qtbot.waitSignal(dialog.sig_erased) as erased:
        dialog.erase_button.click()
    assert erased.args == [len(due)]
    after = {c.id: c.name for c in people.candidates(decided.db, by=LOCAL_ADMIN)}
    for d in due:
        assert d.name not in after[d.candidate_id]
    assert dialog.model.rowCount() == 0 and due_for_retention(decided.db, by=LOCAL_ADMIN) == []
    assert "Erased the personal data of" in dialog.summary.text()


def test_an_interviewer_cannot_erase_even_with_the_dialog(
    qtbot: QtBot, decided: Demo, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtWidgets import QMessageBox

    warned: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _parent, _title, text, *a: warned.append(text))
    monkeypatch.setattr(RetentionDialog, "confirm", lambda self, rows: True)
    dialog = _retention(qtbot, decided.as_person("Amara Okafor"))
    names = {c.id: c.name for c in people.candidates(decided.db, by=LOCAL_ADMIN)}
    # Who is due names candidates of every opening: she is told why she sees none, and cannot erase.
    assert "may not set or apply the retention period" in dialog.summary.text()
    assert dialog.model.rowCount() == 0 and not dialog.erase_button.isEnabled()
    dialog.erase_due()  # as if the button had been left enabled: nothing is due for her, nothing goes
    assert {c.id: c.name for c in people.candidates(decided.db, by=LOCAL_ADMIN)} == names
