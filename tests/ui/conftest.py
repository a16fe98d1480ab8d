"""Qt fixtures: settings in a temporary file, an AppContext over a fresh database."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings

from interviewkit.bank.loader import load_settings
from interviewkit.services.context import AppContext
from interviewkit.storage.db import Database


@pytest.fixture
def settings(tmp_path: Path) -> QSettings:
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def ctx(bank_db: Database, mini_bank: Path) -> AppContext:
    return AppContext(bank_db, mini_bank, load_settings(mini_bank))
