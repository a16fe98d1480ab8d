"""The top of a candidate's debrief: who and how many scorecards are in, the decision in a line, the colour
scale, Export PDF…, and the banner that says why some scorecards are hidden (with the lead's override)."""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QStyle, QVBoxLayout, QWidget

from interviewkit.domain.markup import escape
from interviewkit.services.debrief import Debrief
from interviewkit.ui.debrief.model import legend_html
from interviewkit.ui.widgets.formatting import plural

__all__ = ["DebriefHeader"]


class DebriefHeader(QWidget):
    """The candidate, the opening and the scorecards in; the decision; the legend; the hidden scorecards."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = QLabel()
        self.title.setObjectName("debriefHeader")
        self.title.setProperty("role", "loop-header")
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.subheader = QLabel(wordWrap=True)
        self.subheader.setProperty("role", "subtle")
        self.legend = QLabel()  # the colour scale, above the grid at the right
        self.legend.setObjectName("debriefLegend")
        self.legend.setTextFormat(Qt.TextFormat.RichText)
        self.legend.setToolTip(
            "The colour scale of the grid. A rating marked n/a shows – and its reason in the tooltip."
        )
        self.export_button = QPushButton("Export PDF…")
        self.export_button.setObjectName("exportDebrief")
        self._build_banner()
        title_row = QHBoxLayout()
        title_row.addWidget(self.title, 1)
        title_row.addWidget(self.export_button, 0, Qt.AlignmentFlag.AlignTop)
        subheader_row = QHBoxLayout()
        subheader_row.addWidget(self.subheader, 1)
        subheader_row.addWidget(self.legend, 0, Qt.AlignmentFlag.AlignBottom)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addLayout(title_row)
        layout.addLayout(subheader_row)
        layout.addWidget(self.banner)

    def _build_banner(self) -> None:
        """Why some scorecards are hidden, and the lead's override."""
        self.banner = QFrame()
        self.banner.setObjectName("debriefBanner")
        self.banner.setAccessibleName("Hidden scorecards")
        icon_size = self.style().pixelMetric(QStyle.PixelMetric.PM_SmallIconSize)
        icon = QLabel()
        info = self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxInformation)
        icon.setPixmap(info.pixmap(icon_size, icon_size))
        icon.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.banner_text = QLabel(wordWrap=True)
        self.banner_text.setObjectName("debriefBannerText")
        self.override_button = QPushButton("Override (reason required)…")
        self.override_button.setObjectName("overrideButton")
        self.override_button.setToolTip("See every submitted scorecard now; your reason goes into the audit trail")
        row = QHBoxLayout(self.banner)
        row.setContentsMargins(10, 8, 10, 8)
        row.addWidget(icon, 0, Qt.AlignmentFlag.AlignTop)
        row.addWidget(self.banner_text, 1)
        row.addWidget(self.override_button, 0, Qt.AlignmentFlag.AlignVCenter)
        self.banner.hide()

    def show_debrief(self, d: Debrief, labels: Mapping[int, str]) -> None:
        self.title.setText(
            f"{escape(d.candidate)} · {escape(d.opening)} · {d.submitted_count} of {d.stage_count} scorecards submitted"
        )
        parts = []
        if d.decision is not None:
            parts.append(f"Decision: {d.decision.label}, by {d.decision.decided_by}")  # when and why: Decision tab
        else:
            parts.append("No decision yet")
        parts.append("you lead this debrief" if d.viewer_is_lead else "the debrief lead records the decision")
        if d.override:
            parts.append("scorecards shown early by the lead's override (in the audit trail)")
        self.subheader.setText(" · ".join(parts))
        self.legend.setText(legend_html(labels))
        self.legend.setVisible(bool(d.columns))
        self._show_banner(d)

    def _show_banner(self, d: Debrief) -> None:
        if not d.hidden_count:
            self.banner.hide()
            return
        hidden = plural(d.hidden_count, "submitted scorecard")
        verb = "is" if d.hidden_count == 1 else "are"
        self.banner_text.setText(f"<b>{hidden} {verb} hidden from you.</b> {escape(d.why_hidden)}")
        self.override_button.setVisible(d.viewer_is_lead)
        self.banner.show()
