"""Themes: the system palette by default, or explicit light and dark palettes (Fusion style).

Style sheets live in ``resources/styles/NN_name.qss`` and are joined in order; ``${name}`` variables are
filled from the theme, so state colours stay legible in both palettes (``${icons}`` is the folder of
``resources/icons``, for images such as a combo box's arrow).
"""

from __future__ import annotations

from string import Template
from typing import TYPE_CHECKING

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QStyleFactory

if TYPE_CHECKING:
    from PySide6.QtGui import QPainter
    from PySide6.QtWidgets import QStyle, QStyleOption, QWidget

from interviewkit.paths import resources_dir

__all__ = ["THEMES", "apply_theme", "is_dark", "state_colours"]

THEMES = ("system", "light", "dark")
_system: tuple[str, QPalette] | None = None  # the platform's own style and palette, kept at first use


def _palette(dark: bool) -> QPalette:
    p = QPalette()
    if dark:
        base, window, text, mid = QColor("#1e1f22"), QColor("#2b2d30"), QColor("#e6e6e6"), QColor("#3c3f41")
        p.setColor(QPalette.ColorRole.Window, window)
        p.setColor(QPalette.ColorRole.WindowText, text)
        p.setColor(QPalette.ColorRole.Base, base)
        p.setColor(QPalette.ColorRole.AlternateBase, QColor("#25272a"))
        p.setColor(QPalette.ColorRole.Text, text)
        p.setColor(QPalette.ColorRole.Button, mid)
        p.setColor(QPalette.ColorRole.ButtonText, text)
        p.setColor(QPalette.ColorRole.ToolTipBase, QColor("#3c3f41"))
        p.setColor(QPalette.ColorRole.ToolTipText, text)
        p.setColor(QPalette.ColorRole.Highlight, QColor("#2f65ca"))
        p.setColor(QPalette.ColorRole.HighlightedText, QColor("#ffffff"))
        p.setColor(QPalette.ColorRole.Link, QColor("#7aa7ff"))
        p.setColor(QPalette.ColorRole.PlaceholderText, QColor("#9a9ea4"))
        p.setColor(QPalette.ColorRole.Mid, QColor("#4a4d50"))
        p.setColor(QPalette.ColorRole.Dark, QColor("#18191b"))
        p.setColor(QPalette.ColorRole.Light, QColor("#4a4d50"))
        for role in (QPalette.ColorRole.Text, QPalette.ColorRole.WindowText, QPalette.ColorRole.ButtonText):
            p.setColor(QPalette.ColorGroup.Disabled, role, QColor("#7a7d80"))
    else:
        p = QStyleFactory.create("Fusion").standardPalette()
        p.setColor(QPalette.ColorRole.Window, QColor("#f3f3f3"))
        p.setColor(QPalette.ColorRole.AlternateBase, QColor("#f7f7f9"))
        p.setColor(QPalette.ColorRole.Highlight, QColor("#2f65ca"))
        p.setColor(QPalette.ColorRole.PlaceholderText, QColor("#6b6f76"))
    return p


def _legible_indicators() -> QStyle:
    """Fusion with check boxes and radio buttons whose outline shows on a dark background.

    Fusion draws an indicator's outline from the Window colour darkened, which vanishes on a dark
    base: an unticked box would be invisible. Indicators are drawn with a lighter Window colour.
    (The class is made on first use: creating QProxyStyle's type costs ~17 ms at start in light mode.)
    """
    from PySide6.QtWidgets import QProxyStyle, QStyle

    class LegibleIndicators(QProxyStyle):
        _INDICATORS = (
            QStyle.PrimitiveElement.PE_IndicatorCheckBox,
            QStyle.PrimitiveElement.PE_IndicatorRadioButton,
            QStyle.PrimitiveElement.PE_IndicatorItemViewItemCheck,
        )

        def drawPrimitive(  # noqa: N802 - Qt override
            self, element: QStyle.PrimitiveElement, option: QStyleOption, painter: QPainter,
            widget: QWidget | None = None,
        ) -> None:
            if element in self._INDICATORS:
                option.palette.setColor(QPalette.ColorRole.Window, QColor("#9aa0a6"))
            super().drawPrimitive(element, option, painter, widget)

    return LegibleIndicators("Fusion")


def is_dark(palette: QPalette | None = None) -> bool:
    """Whether the palette in use is dark (its window is darker than its text)."""
    pal = palette or QApplication.palette()
    return pal.color(QPalette.ColorRole.Window).lightness() < pal.color(QPalette.ColorRole.WindowText).lightness()


def state_colours(dark: bool | None = None) -> dict[str, str]:
    """Colours for states, chosen to keep contrast on the current palette."""
    dark = is_dark() if dark is None else dark
    if dark:
        return {"warning": "#ffb454", "danger": "#ff7b72", "ok": "#7ee787", "gap_bg": "#4a2f12", "info": "#79c0ff"}
    return {"warning": "#9a5b00", "danger": "#b42318", "ok": "#1a7f37", "gap_bg": "#fff1db", "info": "#0b57d0"}


def _style_sheet(dark: bool) -> str:
    folder = resources_dir() / "styles"
    parts = [p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.qss"))]
    icons = (resources_dir() / "icons").as_posix()
    return Template("\n".join(parts)).safe_substitute(state_colours(dark), icons=icons)


def apply_theme(app: QApplication, name: str) -> None:
    """Apply ``system``, ``light`` or ``dark``."""
    if name not in THEMES:
        name = "system"
    global _system  # noqa: PLW0603 - the platform's look, kept to return to
    if name == "system":
        # Back to the platform's style and palette if light or dark replaced them (re-creating the same
        # style would repolish everything). At a start in the system theme nothing is touched: the first
        # look at the style or a copy of the palette costs tens of milliseconds in PySide.
        if _system is not None:
            if app.style().name() != _system[0]:
                app.setStyle(_system[0])
            app.setPalette(_system[1])
    else:
        if _system is None:  # app.palette() returns a copy
            _system = (app.style().name(), app.palette())
        app.setStyle(_legible_indicators() if name == "dark" else QStyleFactory.create("Fusion"))
        app.setPalette(_palette(name == "dark"))
    app.setStyleSheet(_style_sheet(is_dark(app.palette())))
