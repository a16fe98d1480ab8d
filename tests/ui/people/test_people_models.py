"""The People item models without a view: what each column shows, how it sorts, how search filters."""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtCore import Qt

from interviewkit.services.people import ROLE_LABELS, CandidateInfo, OpeningInfo, PersonInfo
from interviewkit.ui.people.models import (
    CandidateTableModel,
    OpeningTableModel,
    PersonTableModel,
    RecordFilterProxy,
    RecordRole,
)


def _people() -> list[PersonInfo]:
    return [
        PersonInfo(1, "Ana Ortiz", "ana@example.com", "Head of Data Science", "hiring_manager", True),
        PersonInfo(2, "Bo Chen", "bo@example.com", "Staff ML Engineer", "interviewer", False),
    ]


def test_person_rows_show_role_labels_and_activity_in_words(qtbot) -> None:  # type: ignore[no-untyped-def]
    model = PersonTableModel()
    model.set_role_labels(ROLE_LABELS)
    model.set_rows(_people())
    assert model.rowCount() == 2 and model.columnCount() == 5
    assert [model.index(0, c).data() for c in range(5)] == [
        "Ana Ortiz",
        "ana@example.com",
        "Head of Data Science",
        "Hiring manager",
        "Yes",
    ]
    assert model.index(1, 4).data() == "No (inactive)"
    assert model.index(1, 0).data(Qt.ItemDataRole.ForegroundRole) is not None  # subdued, with the words above
    assert model.index(1, 0).data(RecordRole).id == 2
    assert model.row_of(2) == 1 and model.row_of(99) == -1


def test_the_filter_needs_every_word_and_sorts_by_value(qtbot) -> None:  # type: ignore[no-untyped-def]
    model = PersonTableModel()
    model.set_role_labels(ROLE_LABELS)
    model.set_rows(_people())
    proxy = RecordFilterProxy()
    proxy.setSourceModel(model)
    proxy.set_text("ML bo")
    assert proxy.rowCount() == 1 and proxy.index(0, 0).data() == "Bo Chen"
    proxy.set_text("hiring manager")  # role labels are searchable
    assert proxy.rowCount() == 1 and proxy.index(0, 0).data() == "Ana Ortiz"
    proxy.set_text("")
    proxy.set_record_filter(lambda p: p.active)
    assert proxy.rowCount() == 1
    proxy.set_record_filter(None)
    proxy.sort(PersonTableModel.ACTIVE, Qt.SortOrder.AscendingOrder)
    assert proxy.index(0, 0).data() == "Bo Chen"


def test_openings_and_candidates_columns(qtbot) -> None:  # type: ignore[no-untyped-def]
    openings = OpeningTableModel()
    openings.set_jd_titles({"a": "Profile A", "b": "Advert B"})
    openings.set_rows(
        [
            OpeningInfo(1, "EM", None, "", "open", ("a", "b"), 12),
            OpeningInfo(2, "Lead", 1, "Ana Ortiz", "closed", ("b",), 3),
        ]
    )
    assert openings.index(0, 1).data() == "—"
    assert openings.index(0, 2).data() == "2 · Profile A; Advert B"
    assert openings.index(1, 2).data() == "Advert B"
    assert openings.index(1, 3).data() == "Closed"
    proxy = RecordFilterProxy()
    proxy.setSourceModel(openings)
    proxy.sort(OpeningTableModel.CANDIDATES, Qt.SortOrder.AscendingOrder)  # as numbers, not text
    assert [proxy.index(r, 4).data() for r in range(2)] == ["3", "12"]

    candidates = CandidateTableModel()
    added = datetime(2026, 3, 14, 12, 0, tzinfo=UTC)
    candidates.set_rows(
        [
            CandidateInfo(1, "Priya", "", "", 1, "EM", added, 2, False),
            CandidateInfo(2, "", "", "", 1, "EM", added.replace(tzinfo=None), 0, True),
        ]
    )
    shown = candidates.index(0, 4).data()  # the local date, in the user's locale ("14 Mar 2026")
    assert "14" in shown and "2026" in shown
    assert candidates.index(0, 5).data() == "2"
    assert candidates.index(1, 0).data() == "Erased candidate"


def test_the_same_rows_again_leave_the_views_alone(qtbot) -> None:  # type: ignore[no-untyped-def]
    """A refresh that found nothing new (the window refreshes every built section when the person changes) does
    not reset the model, so the sorting proxy and the table are not rebuilt; a changed row does."""
    model = PersonTableModel()
    model.set_rows(_people())
    resets: list[bool] = []
    model.modelReset.connect(lambda: resets.append(True))
    model.set_rows(list(_people()))
    assert resets == []
    changed = [_people()[0], PersonInfo(2, "Bo Chen", "bo@example.com", "Staff ML Engineer", "interviewer", True)]
    model.set_rows(changed)
    assert resets == [True] and model.record(1).active


def test_the_model_keeps_its_rows_sorted_and_the_selection_follows(qtbot) -> None:  # type: ignore[no-untyped-def]
    """A header click sorts the record model itself (a key a row, in Python); new rows come in that order; the
    proxy keeps it; the current row stays on its record."""
    from PySide6.QtCore import QItemSelectionModel
    from PySide6.QtWidgets import QTableView

    model, proxy, view = PersonTableModel(), RecordFilterProxy(), QTableView()
    qtbot.addWidget(view)
    proxy.setSourceModel(model)
    view.setModel(proxy)
    view.setSortingEnabled(True)
    view.sortByColumn(PersonTableModel.NAME, Qt.SortOrder.DescendingOrder)
    model.set_rows(_people())

    def names() -> list[str]:
        return [proxy.index(r, 0).data() for r in range(proxy.rowCount())]

    assert names() == ["Bo Chen", "Ana Ortiz"]
    flags = QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
    view.selectionModel().setCurrentIndex(proxy.index(0, 0), flags)
    view.sortByColumn(PersonTableModel.NAME, Qt.SortOrder.AscendingOrder)
    assert names() == ["Ana Ortiz", "Bo Chen"]
    assert view.currentIndex().row() == 1 and view.currentIndex().data(RecordRole).id == 2
    proxy.set_text("chen")
    assert names() == ["Bo Chen"]
