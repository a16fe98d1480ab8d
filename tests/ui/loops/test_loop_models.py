"""The Loops item models and helpers, without any view."""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtCore import QMimeData, QModelIndex, QPersistentModelIndex, Qt
from pytestqt.qtbot import QtBot

from interviewkit.services.bank_queries import CompetencyInfo
from interviewkit.services.loops import LoopSummary, PlannedQuestion
from interviewkit.ui.loops.models import PLAN_MIME, CompetencyCheckModel, LoopFilterProxy, LoopListModel, PlanModel
from interviewkit.ui.loops.stage_editor import planned_text
from interviewkit.ui.widgets.formatting import from_qdatetime, minutes_text, to_qdatetime
from interviewkit.ui.widgets.roles import SubtitleRole, TrailingRole


def _question(qid: str, minutes: int = 10) -> PlannedQuestion:
    return PlannedQuestion(qid, 1, 1, qid.title(), minutes, "technical", ("model-serving",), False)


def _plan(*ids: str) -> PlanModel:
    model = PlanModel()
    model.set_questions([_question(q) for q in ids], {"model-serving": "Model serving"})
    return model


def test_plan_rows_show_order_minutes_and_competencies(qtbot: QtBot) -> None:
    model = _plan("a", "b")
    assert model.index(1).data() == "2. B"
    assert model.index(1).data(TrailingRole) == "10 min"
    assert model.index(1).data(SubtitleRole) == "Technical · Model serving"


def test_plan_rows_move_and_keep_their_identity(qtbot: QtBot) -> None:
    model = _plan("a", "b", "c", "d")
    tracked = QPersistentModelIndex(model.index(0))
    assert model.move_row(0, 1)
    assert model.question_ids() == ["b", "a", "c", "d"] and tracked.row() == 1
    assert not model.move_row(0, -1) and not model.move_row(3, 1)
    assert model.move_rows_to([3], 0)  # drop "d" above the first row
    assert model.question_ids() == ["d", "b", "a", "c"]
    assert model.move_rows_to([0], 4)  # and below the last one
    assert model.question_ids() == ["b", "a", "c", "d"]
    assert not model.move_rows_to([1], 1) and not model.move_rows_to([1], 2)  # dropped onto itself
    assert model.move_rows_to([0, 2], 4)  # two rows keep their order
    assert model.question_ids() == ["a", "d", "b", "c"]
    assert model.index(0).data() == "1. A"


def test_a_drag_carries_rows_and_only_plan_drags_are_accepted(qtbot: QtBot) -> None:
    model = _plan("a", "b", "c")
    data = model.mimeData([model.index(2)])
    assert data.hasFormat(PLAN_MIME) and PlanModel.rows_in(data) == [2]
    assert model.canDropMimeData(data, Qt.DropAction.MoveAction, 0, 0, QModelIndex())
    assert model.dropMimeData(data, Qt.DropAction.MoveAction, 0, 0, QModelIndex())
    assert model.question_ids() == ["c", "a", "b"]
    foreign = QMimeData()
    foreign.setText("c")
    assert not model.canDropMimeData(foreign, Qt.DropAction.MoveAction, 0, 0, QModelIndex())
    assert not model.dropMimeData(foreign, Qt.DropAction.MoveAction, 0, 0, QModelIndex())
    assert not model.flags(model.index(0)) & Qt.ItemFlag.ItemIsDropEnabled  # drops land between rows


def test_focus_check_boxes(qtbot: QtBot) -> None:
    model = CompetencyCheckModel()
    comps = [CompetencyInfo("a", "Alpha", "", ""), CompetencyInfo("b", "Beta", "", "")]
    model.set_competencies(comps, ["b", "gone"])
    assert [model.index(r).data() for r in range(3)] == ["Alpha", "Beta", "gone (retired)"]
    changed: list[int] = []
    model.dataChanged.connect(lambda top, *_: changed.append(top.row()))
    assert model.setData(model.index(0), Qt.CheckState.Checked.value, Qt.ItemDataRole.CheckStateRole)
    assert not model.setData(model.index(0), Qt.CheckState.Checked, Qt.ItemDataRole.CheckStateRole)  # no change
    assert model.setData(model.index(1), Qt.CheckState.Unchecked, Qt.ItemDataRole.CheckStateRole)
    assert model.checked_ids() == ["a", "gone"] and changed == [0, 1]


def test_loop_list_updates_in_place_and_search_ignores_accents(qtbot: QtBot) -> None:
    when = datetime(2030, 3, 4, 8, 0, tzinfo=UTC)
    rows = [
        LoopSummary(1, "Standard", "Tomás Reyes", "ML EM", 6, 2, when),
        LoopSummary(2, "Standard", "Priya N.", "ML EM", 0, 0, None),
    ]
    model = LoopListModel()
    model.set_loops(rows)
    tracked = QPersistentModelIndex(model.index(1))
    model.set_loops([rows[0], LoopSummary(2, "Standard", "Priya N.", "ML EM", 1, 0, None)])
    assert tracked.isValid() and tracked.row() == 1  # same loops: no reset, the selection survives
    assert "2 of 6 submitted" in model.index(0).data(SubtitleRole)
    assert "0 of 1 submitted · not scheduled" in model.index(1).data(SubtitleRole)
    proxy = LoopFilterProxy()
    proxy.setSourceModel(model)
    proxy.set_text("tomas ml")
    assert proxy.rowCount() == 1 and proxy.index(0, 0).data() == "Tomás Reyes"


def test_words_for_time() -> None:
    assert planned_text(52, 60) == ("Planned 52 of 60 minutes, 8 free", "ok")
    assert planned_text(60, 60) == ("Planned 60 of 60 minutes", "ok")
    assert planned_text(0, 60) == ("Planned 0 of 60 minutes, 60 free", "")
    assert planned_text(61, 60) == ("Planned 61 of 60 minutes: 1 minute over", "warning")
    assert [minutes_text(m) for m in (45, 60, 270)] == ["45 min", "1 h", "4 h 30 min"]
    when = datetime(2030, 3, 4, 8, 15, tzinfo=UTC)
    assert from_qdatetime(to_qdatetime(when)) == when
