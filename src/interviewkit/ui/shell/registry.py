"""The screens of the window, in navigation order, each imported and built the first time it is shown."""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import TYPE_CHECKING, cast

if TYPE_CHECKING:
    from interviewkit.ui.shell.section import SectionWidget

__all__ = ["COCKPIT", "SECTIONS", "SectionSpec", "spec"]


@dataclass(frozen=True)
class SectionSpec:
    """One screen: its key (for links and settings), its title, and where its class lives."""

    key: str
    title: str
    module: str
    cls: str
    navigable: bool = True  # listed in the navigation (the cockpit appears there only while an interview is open)

    def build(self) -> SectionWidget:
        return cast("SectionWidget", getattr(importlib.import_module(self.module), self.cls)())


SECTIONS: tuple[SectionSpec, ...] = (
    SectionSpec("my_interviews", "My interviews", "interviewkit.ui.my_interviews.view", "MyInterviewsView"),
    SectionSpec("loops", "Loops", "interviewkit.ui.loops.view", "LoopsView"),
    SectionSpec("debriefs", "Debriefs", "interviewkit.ui.debrief.view", "DebriefView"),
    SectionSpec("bank", "Question bank", "interviewkit.ui.bank.browser", "BankBrowser"),
    SectionSpec("coverage", "Coverage", "interviewkit.ui.coverage.view", "CoverageView"),
    SectionSpec("calibration", "Calibration", "interviewkit.ui.calibration.view", "CalibrationView"),
    SectionSpec("people", "People", "interviewkit.ui.people.view", "PeopleView"),
)

#: The live interview: a screen of its own, shown while an interview is open.
COCKPIT = SectionSpec("cockpit", "Interview", "interviewkit.ui.cockpit.cockpit", "CockpitView", navigable=False)


def spec(key: str) -> SectionSpec:
    if key == COCKPIT.key:
        return COCKPIT
    return next(s for s in SECTIONS if s.key == key)
