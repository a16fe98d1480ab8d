"""What a running app works with: the open database, the bank folder and the bank's settings."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from interviewkit.bank.loader import load_settings
from interviewkit.bank.model import BankSettings
from interviewkit.services.bank_sync import SyncReport, sync_bank
from interviewkit.services.scorecards import new_instance_id
from interviewkit.storage.db import Database, DatabaseError, open_database

__all__ = ["AppContext", "DatabaseError", "open_app", "resync"]


@dataclass
class AppContext:
    """Passed to every screen; screens call services with it."""

    db: Database
    bank_dir: Path
    settings: BankSettings
    user_id: int | None = None  # the person using the app (chosen at first start, kept in QSettings)
    instance_id: str = field(default_factory=new_instance_id)  # this running copy, for scorecard locks

    @property
    def scale_labels(self) -> tuple[tuple[int, str], ...]:
        return self.settings.scale.labels

    def describe(self) -> str:
        return f"{self.db.describe()} · bank '{self.settings.name}' v{self.settings.version}"


def open_app(db_location: str, bank_dir: Path, *, default: bool = False) -> tuple[AppContext, SyncReport]:
    """Open the database and bring the bank into it. Raises DatabaseError with a user message."""
    db = open_database(db_location, default=default)
    try:
        report = sync_bank(db, bank_dir)
    except Exception:
        db.dispose()
        raise
    return AppContext(db, Path(bank_dir), load_settings(bank_dir)), report


def resync(ctx: AppContext, *, force: bool = False) -> SyncReport:
    """Sync the bank's files again (File → Sync bank)."""
    report = sync_bank(ctx.db, ctx.bank_dir, force=force)
    ctx.settings = load_settings(ctx.bank_dir)
    return report
