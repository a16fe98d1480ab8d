"""The live interview in the window: the cockpit's entry in the navigation while a scorecard is open.

The cockpit is no section of the navigation: it appears there (under the sections, named after the
candidate and the stage) when an interview opens, and goes when it closes, returning to My interviews.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from PySide6.QtCore import QObject, QSize
from PySide6.QtWidgets import QApplication, QLabel, QListWidget, QListWidgetItem, QStackedWidget

from interviewkit.ui.shell.registry import COCKPIT

if TYPE_CHECKING:
    from collections.abc import Callable

    from interviewkit.ui.cockpit.cockpit import CockpitView
    from interviewkit.ui.shell.section import SectionWidget

__all__ = ["InterviewEntry"]


class InterviewEntry(QObject):
    """Shows the cockpit in ``navigation`` and ``stack`` while it holds a scorecard."""

    def __init__(
        self,
        navigation: QListWidget,
        stack: QStackedWidget,
        save_label: QLabel,
        section: Callable[[str], SectionWidget],
        home_row: int,
    ) -> None:
        super().__init__(navigation)
        self._navigation = navigation
        self._stack = stack
        self._save_label = save_label
        self._section = section
        self._home_row = home_row
        self.item: QListWidgetItem | None = None

    def wire(self, widget: SectionWidget) -> None:
        """Follow a newly built cockpit."""
        cockpit = cast("CockpitView", widget)
        cockpit.sig_shown.connect(self._shown)
        cockpit.sig_closed.connect(self._closed)
        cockpit.sig_save_status.connect(self._save_label.setText)
        cockpit.sig_submitted.connect(lambda _card: self._save_label.clear())  # a draft's save state, no more

    def owns_row(self, row: int) -> bool:
        return self.item is not None and row == self._navigation.row(self.item)

    def _shown(self, label: str, tooltip: str) -> None:
        if self.item is None:
            self.item = QListWidgetItem(label)
            self.item.setSizeHint(QSize(150, 34))
            self._navigation.addItem(self.item)
        self.item.setText(label)
        self.item.setToolTip(tooltip)
        self._navigation.setCurrentItem(self.item)
        cockpit = self._section(COCKPIT.key)
        self._stack.setCurrentWidget(cockpit)
        focus = QApplication.focusWidget()
        if focus is None or not cockpit.isAncestorOf(focus):
            cockpit.focus_entry()  # what it focused while hidden did not take

    def _closed(self, _card: int) -> None:
        self._save_label.clear()  # the interview's save state goes with it
        if self.item is not None:
            self._navigation.takeItem(self._navigation.row(self.item))
            self.item = None
        self._navigation.setCurrentRow(self._home_row)
