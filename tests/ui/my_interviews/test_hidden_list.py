"""A person switch refreshes every built section, My interviews too when another section is shown (issue 17,
point 2). Qt sizes its columns from "the rows in view", which for a hidden table is every row: the busiest
interviewer's 3,471 stages were 111,000 ``data()`` calls on the GUI thread (the 1-3 s switch stalls of the
screens benchmark). Hidden, the columns are sized from a few rows; shown, from the rows in view."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import QLabel, QStackedWidget
from pytestqt.qtbot import QtBot

from interviewkit.services.loops import MyStage
from interviewkit.ui.my_interviews import view as view_module
from interviewkit.ui.my_interviews.view import MyInterviewsModel, MyInterviewsView
from tests.ui.cockpit.conftest import Planned

STAGES = 3000


def _stages() -> list[MyStage]:
    start = datetime(2026, 12, 8, 9, tzinfo=UTC)
    return [
        MyStage(i, i // 5, f"Candidate {i}", "ML Engineering Manager", "Technical depth", 2, 6,
                start + timedelta(hours=i), 45, "not started", None)
        for i in range(1, STAGES + 1)
    ]  # fmt: skip


def test_a_long_list_read_behind_another_section_asks_for_a_few_rows_only(
    qtbot: QtBot, planned: Planned, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(view_module, "my_interviews", lambda _db, _person: _stages())
    cells: list[int] = []
    real = MyInterviewsModel.data

    def counted(self: MyInterviewsModel, index: QModelIndex | QPersistentModelIndex, role: int = 0) -> Any:
        cells.append(index.row())
        return real(self, index, role)

    monkeypatch.setattr(MyInterviewsModel, "data", counted)
    stack = QStackedWidget()
    qtbot.addWidget(stack)
    view, other = MyInterviewsView(), QLabel("Another section")
    stack.addWidget(view)
    stack.addWidget(other)
    stack.setCurrentWidget(other)
    stack.resize(1280, 800)
    stack.show()
    qtbot.waitExposed(stack)
    view.set_context(planned.ctx)  # read at once (no window): the list is filled behind the other section
    assert view.model.rowCount() == STAGES and view.table.currentIndex().row() == 0
    assert len(set(cells)) < 100, f"{len(cells)} cells of {len(set(cells))} rows asked for while hidden"
    cells.clear()
    stack.setCurrentWidget(view)
    qtbot.waitUntil(view.table.isVisible)
    qtbot.waitUntil(lambda: bool(cells))  # painted: the rows in view, not the whole list
    assert max(cells) < 100
    first = view.model.index(0, 1)
    assert view.table.columnWidth(0) >= view.table.sizeHintForColumn(0)  # 'When' fits the rows in view
    assert first.data(Qt.ItemDataRole.DisplayRole) == "Candidate 1 · ML Engineering Manager"
