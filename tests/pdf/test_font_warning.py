"""A script no installed font can draw (issue 16, item 7): the PDF is still written, and one line names the script
and the font package that fixes it, on the command line's stderr and in the app's PDF preview.

The missing font is real in the subprocess test: fontconfig is pointed at a folder with DejaVu only, which has
no Han characters. In-process, the font check is told that nothing draws Han.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from interviewkit.pdf import fonts
from interviewkit.storage.db import Database
from tests.pdf.conftest import Panel, build_panel

DEJAVU = Path("/usr/share/fonts/truetype/dejavu")


def test_scripts_are_named_and_latin_is_never_checked(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fonts, "_drawable", lambda char, script: script not in ("CJK", "HANGUL"))
    assert fonts.missing_scripts(["José Ñúñez · Zoë Ørsted", "王芳", "김민준", "ليلى حداد"]) == (
        "Chinese/Japanese (Han)", "Korean (Hangul)")
    line = fonts.font_warning(["Chinese/Japanese (Han)"])
    assert "Chinese/Japanese (Han) script" in line and "apt install fonts-noto-cjk" in line and "\n" not in line
    assert fonts.font_warning([]) == ""
    assert "fonts-noto-core" in fonts.font_warning(["Arabic"])


@pytest.mark.sqlite_only
@pytest.mark.skipif(not DEJAVU.is_dir(), reason="needs DejaVu fonts to stand for a system without CJK fonts")
def test_the_command_line_warns_in_one_line_and_still_writes(shipped_db: Database, tmp_path: Path) -> None:
    panel = build_panel(shipped_db)  # 王芳 is the third interviewer
    conf = tmp_path / "fonts.conf"
    conf.write_text(f"<?xml version='1.0'?><fontconfig><dir>{DEJAVU}</dir><cachedir>{tmp_path / 'fc'}</cachedir>"
                    "</fontconfig>", encoding="utf-8")
    env = {**os.environ, "FONTCONFIG_FILE": str(conf), "QT_QPA_PLATFORM": "offscreen"}
    out = tmp_path / "card.pdf"
    url = shipped_db.url.render_as_string(hide_password=False)
    done = subprocess.run(
        [sys.executable, "-m", "interviewkit", "--db", url, "export", "scorecard", str(panel.scorecard_ids[2]),
         "-o", str(out)], env=env, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert out.stat().st_size > 1000 and done.stdout.startswith("Wrote ")
    warnings = [line for line in done.stderr.splitlines() if "warning" in line]
    assert len(warnings) == 1 and warnings[0].startswith("interviewkit: warning: no installed font can draw the ")
    assert "Chinese/Japanese (Han)" in warnings[0] and "fonts-noto-cjk" in warnings[0]


def test_the_app_preview_shows_the_warning(qtbot: QtBot, shipped_db: Database, monkeypatch: pytest.MonkeyPatch,
                                           tmp_path: Path) -> None:
    from interviewkit.pdf.exports import export_scorecard_pdf
    from interviewkit.services.access import LOCAL_ADMIN
    from interviewkit.ui.widgets.pdf_preview import PdfOptions, PdfPreviewDialog

    panel: Panel = build_panel(shipped_db)
    monkeypatch.setattr(fonts, "_drawable", lambda char, script: script != "CJK")

    def build(path: Path, options: PdfOptions) -> None:
        export_scorecard_pdf(panel.db, panel.scorecard_ids[2], path, settings=panel.settings, viewer_id=LOCAL_ADMIN,
                             page_size=options.page_size)

    dialog = PdfPreviewDialog("Scorecard", build)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: not dialog.busy and dialog.page_count > 0, timeout=20000)
    assert not dialog.error.isHidden()
    assert dialog.error.text().startswith("⚠ No installed font can draw the Chinese/Japanese (Han) script")
    assert "fonts-noto-cjk" in dialog.error.text()
