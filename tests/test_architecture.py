"""What the import contracts in pyproject.toml cannot say: the window shows before the database layer loads.

The layers themselves (imports point down, no Qt below the screens and the printer, screens independent of each
other, the screens off the database) are import-linter contracts, run by tests/test_static_checks.py."""

from __future__ import annotations

import subprocess
import sys


def test_the_window_shows_before_the_database_layer_is_imported() -> None:
    """Importing SQLAlchemy costs more than a bare window: what the app imports to show its window (the
    shell, the window and what they import) leaves it out; the screens, built after the first paint, may
    import the services that load it."""
    code = (
        "import sys, interviewkit.ui.shell.app, interviewkit.ui.shell.window, interviewkit.cli; "
        "print(sorted(m for m in ('sqlalchemy', 'sqlmodel', 'alembic') if m in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"
