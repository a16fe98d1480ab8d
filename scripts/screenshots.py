"""Grab screenshots of every screen in light and dark palettes (for README and for reviewing).

    QT_QPA_PLATFORM=offscreen python scripts/screenshots.py [OUT_DIR]

Uses a throw-away database and settings; touches nothing of the user's.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QSettings  # noqa: E402

from interviewkit.paths import shipped_bank_dir  # noqa: E402
from interviewkit.services.context import open_app  # noqa: E402
from interviewkit.ui.app import make_application  # noqa: E402
from interviewkit.ui.main_window import MainWindow  # noqa: E402
from interviewkit.ui.theme import apply_theme  # noqa: E402


def main() -> int:
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "shots")
    out.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix="ik-shots-"))
    app = make_application()
    settings = QSettings(str(tmp / "settings.ini"), QSettings.Format.IniFormat)
    ctx, _ = open_app(str(tmp / "shots.sqlite"), shipped_bank_dir())
    for theme in ("light", "dark"):
        apply_theme(app, theme)
        window = MainWindow(settings)
        window.resize(1280, 800)
        window.set_context(ctx)
        window.show()
        window.navigation.setCurrentRow(window.section_index("bank"))
        app.processEvents()
        window.bank.select_question("realtime-batch-fraud-scoring-gcp")
        app.processEvents()
        window.grab().save(str(out / f"bank-{theme}.png"))
        window.bank.search.setText("drift retrain")
        app.processEvents()
        window.grab().save(str(out / f"bank-search-{theme}.png"))
        window.bank.search.clear()
        window.navigation.setCurrentRow(window.section_index("coverage"))
        app.processEvents()
        window.grab().save(str(out / f"coverage-{theme}.png"))
        window.close()
    print(f"screenshots in {out}/")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
