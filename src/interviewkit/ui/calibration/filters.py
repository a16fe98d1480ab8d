"""The calibration section's filters: opening, period (or custom dates), competency and interviewer."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import QComboBox, QDateEdit, QHBoxLayout, QLabel, QWidget

from interviewkit.services.calibration_report import CalibrationFilters, FilterOptions

__all__ = ["ALL", "PERIODS", "FilterBar"]

# (label, days back from today; None: all time; -1: custom dates)
PERIODS: tuple[tuple[str, int | None], ...] = (
    ("All time", None),
    ("Last 30 days", 30),
    ("Last 90 days", 90),
    ("Last 12 months", 365),
    ("Custom dates", -1),
)
ALL = "__all__"  # set_filters: leave this filter as it is
CUSTOM = -1


def _combo(name: str, accessible: str, *, width: int = 0) -> QComboBox:
    combo = QComboBox()
    combo.setObjectName(name)
    combo.setAccessibleName(accessible)
    if width:
        combo.setMinimumContentsLength(width)
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    return combo


def _day(when: QDate) -> date:
    return date(when.year(), when.month(), when.day())


def _date_edit(name: str, accessible: str, when: QDate) -> QDateEdit:
    edit = QDateEdit()
    edit.setCalendarPopup(True)
    edit.setObjectName(name)
    edit.setAccessibleName(accessible)
    edit.setDisplayFormat("yyyy-MM-dd")
    edit.setDate(when)
    edit.setVisible(False)
    return edit


class FilterBar(QWidget):
    """The filters in one row (a trailing widget, such as Export PDF…, may be added at its end)."""

    sig_changed = Signal()
    """The person changed a filter (not emitted while the bar fills or sets itself)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._filling = False
        self.opening = _combo("calibrationOpening", "Opening", width=20)  # long titles: whole in the list
        self.period = _combo("calibrationPeriod", "Period")
        for label, days in PERIODS:
            self.period.addItem(label, days)
        today = QDate.currentDate()
        self.since = _date_edit("calibrationSince", "From", today.addDays(-90))
        self.until = _date_edit("calibrationUntil", "To", today)
        self.competency = _combo("calibrationCompetency", "Competency", width=18)
        self.interviewer = _combo("calibrationInterviewer", "Interviewer", width=14)
        self.row = QHBoxLayout(self)
        self.row.setContentsMargins(0, 0, 0, 0)
        self._add("&Opening:", self.opening)
        self._add("&Period:", self.period)
        self.row.addWidget(self.since)
        self.row.addWidget(self.until)
        self._add("Co&mpetency:", self.competency)
        self._add("&Interviewer:", self.interviewer)
        self.row.addStretch(1)
        self.fill_options(None)
        for combo in (self.opening, self.competency, self.interviewer):
            combo.currentIndexChanged.connect(self._changed)
        self.period.currentIndexChanged.connect(self._period_changed)
        self.since.dateChanged.connect(self._changed)
        self.until.dateChanged.connect(self._changed)

    def _add(self, text: str, widget: QWidget) -> None:
        label = QLabel(text)
        label.setBuddy(widget)
        self.row.addWidget(label)
        self.row.addWidget(widget)

    def _changed(self) -> None:
        if not self._filling:
            self.sig_changed.emit()

    def _show_dates(self) -> None:
        custom = self.period.currentData() == CUSTOM
        self.since.setVisible(custom)
        self.until.setVisible(custom)

    def _period_changed(self) -> None:
        self._show_dates()
        self._changed()

    def fill_options(self, options: FilterOptions | None) -> None:
        """The openings and competencies to choose from (none without a database), keeping the choice."""
        self._filling = True
        try:
            keep_opening, keep_comp = self.opening.currentData(), self.competency.currentData()
            self.opening.clear()
            self.opening.addItem("All openings", None)
            self.competency.clear()
            self.competency.addItem("All competencies (overall)", None)
            for oid, title in options.openings if options else ():
                self.opening.addItem(title, oid)
            for cid, name in options.competencies if options else ():
                self.competency.addItem(name, cid)
                self.competency.setItemData(self.competency.count() - 1, name, Qt.ItemDataRole.ToolTipRole)
            self.opening.setCurrentIndex(max(0, self.opening.findData(keep_opening)))
            self.competency.setCurrentIndex(max(0, self.competency.findData(keep_comp)))
            if self.interviewer.count() == 0:
                self.interviewer.addItem("Busiest interviewer", None)
        finally:
            self._filling = False

    def fill_interviewers(self, names: tuple[str, ...]) -> None:
        """The interviewers the report names, keeping the one chosen."""
        self._filling = True
        try:
            keep = self.interviewer.currentData()
            self.interviewer.clear()
            self.interviewer.addItem("All interviewers", None)
            for name in names:
                self.interviewer.addItem(name, name)
            self.interviewer.setCurrentIndex(max(0, self.interviewer.findData(keep)))
        finally:
            self._filling = False

    def focus(self) -> str | None:
        """The interviewer chosen (None: all of them)."""
        chosen = self.interviewer.currentData()
        return str(chosen) if chosen is not None else None

    def filters(self) -> CalibrationFilters:
        """The filters as chosen."""
        days = self.period.currentData()
        since: date | None = None
        until: date | None = None
        if days == CUSTOM:
            since, until = _day(self.since.date()), _day(self.until.date())
        elif days:
            since = date.today() - timedelta(days=int(days))
        return CalibrationFilters(
            opening_id=self.opening.currentData(),
            since=since,
            until=until,
            competency=self.competency.currentData(),
            interviewer=self.focus(),
        )

    def set_filters(
        self, *, opening_id: Any = ALL, competency: Any = ALL, interviewer: Any = ALL, period: str | None = None
    ) -> None:
        """Choose filters from code (tests, links from other screens), without emitting ``sig_changed``."""
        self._filling = True
        try:
            if opening_id != ALL:
                self.opening.setCurrentIndex(max(0, self.opening.findData(opening_id)))
            if competency != ALL:
                self.competency.setCurrentIndex(max(0, self.competency.findData(competency)))
            if interviewer != ALL:
                index = self.interviewer.findData(interviewer)
                if index < 0 and interviewer is not None:
                    self.interviewer.addItem(str(interviewer), interviewer)
                    index = self.interviewer.count() - 1
                self.interviewer.setCurrentIndex(max(0, index))
            if period is not None:
                self.period.setCurrentIndex(max(0, self.period.findText(period)))
                self._show_dates()
        finally:
            self._filling = False
