"""Which scripts of a document no installed font can draw: a name in them would print as empty boxes.

Qt falls back from the document's families (:data:`~interviewkit.pdf.layout.FONT_FAMILIES`) to any installed
font that has a glyph; when none has it, the PDF shows a box. :func:`missing_scripts` finds those characters
before anyone reads the PDF, names their script, and :func:`font_warning` says in one line which package
fixes it. Latin text is not checked (every font has it); each other character is checked once per process,
against the fonts Qt says support its writing system (else against every installed family).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from functools import cache

from PySide6.QtGui import QFont, QFontDatabase, QRawFont

__all__ = ["font_warning", "last_warning", "missing_scripts", "remember"]

WS = QFontDatabase.WritingSystem

# A script (the first word of a character's Unicode name) -> (its name in words, Qt's writing system, the Debian
# or Ubuntu package with a font for it).
_SCRIPTS: dict[str, tuple[str, QFontDatabase.WritingSystem | None, str]] = {
    "CJK": ("Chinese/Japanese (Han)", WS.SimplifiedChinese, "fonts-noto-cjk"),
    "HIRAGANA": ("Japanese (kana)", WS.Japanese, "fonts-noto-cjk"),
    "KATAKANA": ("Japanese (kana)", WS.Japanese, "fonts-noto-cjk"),
    "HANGUL": ("Korean (Hangul)", WS.Korean, "fonts-noto-cjk"),
    "BOPOMOFO": ("Chinese (Bopomofo)", WS.TraditionalChinese, "fonts-noto-cjk"),
    "ARABIC": ("Arabic", WS.Arabic, "fonts-noto-core"),
    "HEBREW": ("Hebrew", WS.Hebrew, "fonts-noto-core"),
    "CYRILLIC": ("Cyrillic", WS.Cyrillic, "fonts-noto-core"),
    "GREEK": ("Greek", WS.Greek, "fonts-noto-core"),
    "DEVANAGARI": ("Devanagari", WS.Devanagari, "fonts-noto-core"),
    "BENGALI": ("Bengali", WS.Bengali, "fonts-noto-core"),
    "TAMIL": ("Tamil", WS.Tamil, "fonts-noto-core"),
    "TELUGU": ("Telugu", WS.Telugu, "fonts-noto-core"),
    "KANNADA": ("Kannada", WS.Kannada, "fonts-noto-core"),
    "MALAYALAM": ("Malayalam", WS.Malayalam, "fonts-noto-core"),
    "GUJARATI": ("Gujarati", WS.Gujarati, "fonts-noto-core"),
    "GURMUKHI": ("Gurmukhi", WS.Gurmukhi, "fonts-noto-core"),
    "THAI": ("Thai", WS.Thai, "fonts-noto-core"),
    "LAO": ("Lao", WS.Lao, "fonts-noto-core"),
    "KHMER": ("Khmer", WS.Khmer, "fonts-noto-core"),
    "MYANMAR": ("Myanmar", WS.Myanmar, "fonts-noto-core"),
    "SINHALA": ("Sinhala", WS.Sinhala, "fonts-noto-core"),
    "TIBETAN": ("Tibetan", WS.Tibetan, "fonts-noto-core"),
    "GEORGIAN": ("Georgian", WS.Georgian, "fonts-noto-core"),
    "ARMENIAN": ("Armenian", WS.Armenian, "fonts-noto-core"),
    "ETHIOPIC": ("Ethiopic", None, "fonts-noto-core"),
}
_CJK_PACKAGE = "fonts-noto-cjk"
_OTHER_PACKAGE = "fonts-noto-core"


def _script(char: str) -> str:
    """The script of a character, as the first word of its Unicode name ("CJK", "ARABIC", ...); "" for Latin,
    digits, punctuation, symbols and anything unnamed."""
    if ord(char) < 0x250 or unicodedata.category(char)[0] in "ZCPS":
        return ""
    name = unicodedata.name(char, "")
    if name.startswith("LATIN") or not name:
        return ""
    return name.split()[0]


@cache
def _families(system: QFontDatabase.WritingSystem | None) -> tuple[str, ...]:
    return tuple(QFontDatabase.families(system) if system is not None else QFontDatabase.families())


@cache
def _drawable(char: str, script: str) -> bool:
    """Whether some installed font has a glyph for ``char``."""
    system = _SCRIPTS.get(script, ("", None, ""))[1]
    code = ord(char)
    for family in _families(system) or _families(None):
        raw = QRawFont.fromFont(QFont(family))
        if raw.isValid() and raw.supportsCharacter(code):
            return True
    return False


def missing_scripts(texts: Iterable[str]) -> tuple[str, ...]:
    """The scripts (in words, sorted) of the characters of ``texts`` that no installed font can draw."""
    missing: set[str] = set()
    checked: set[str] = set()
    for text in texts:
        for char in set(text) - checked:
            checked.add(char)
            script = _script(char)
            if script and not _drawable(char, script):
                missing.add(_SCRIPTS.get(script, (script.title(), None, ""))[0])
    return tuple(sorted(missing))


_last: list[tuple[str, ...]] = [()]  # the scripts the last PDF printed in this process could not draw


def remember(scripts: tuple[str, ...]) -> tuple[str, ...]:
    """Keep what the PDF just printed could not draw, for :func:`last_warning`; returns ``scripts``."""
    _last[0] = scripts
    return scripts


def last_warning() -> str:
    """The font warning of the last PDF printed in this process ("" if it drew everything): the app's PDF preview
    shows it after a build, whichever screen's export made the file (PDFs are printed on the GUI thread)."""
    return font_warning(_last[0])


def font_warning(scripts: Iterable[str]) -> str:
    """One line: which scripts print as empty boxes, and the font package that fixes it ("" when none)."""
    names = list(scripts)
    if not names:
        return ""
    packages = {p for _words, _ws, p in _SCRIPTS.values() for n in names if _words == n} or {_OTHER_PACKAGE}
    install = " and ".join(sorted(packages, key=lambda p: p != _CJK_PACKAGE))
    return (f"no installed font can draw the {', '.join(names)} script{'s' if len(names) > 1 else ''} of some names "
            f"or notes: they print as empty boxes in this PDF; install a font for it (Debian/Ubuntu: "
            f"apt install {install}) and export again")
