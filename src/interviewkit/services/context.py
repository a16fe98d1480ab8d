"""What a running app works with: the open database, the bank folder and the bank's settings."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from interviewkit.bank.loader import load_settings
from interviewkit.bank.model import BankSettings
from interviewkit.services.access import LOCAL_ADMIN, can
from interviewkit.services.bank_sync import SyncReport, sync_bank
from interviewkit.services.identity import Identity, resolve_actor
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
    # On a team database the login says who is using the app: then nobody may choose to be someone else.
    login_identity: Identity | None = None

    @property
    def scale_labels(self) -> tuple[tuple[int, str], ...]:
        return self.settings.scale.labels

    def describe(self) -> str:
        return f"{self.db.describe()} · bank '{self.settings.name}' v{self.settings.version}"


def open_app(db_location: str, bank_dir: Path, *, default: bool = False) -> tuple[AppContext, SyncReport]:
    """Open the database and bring the bank into it. Raises DatabaseError with a user message.

    On a team database the person is the login's (:func:`~interviewkit.services.identity.resolve_actor`),
    and the bank is brought in only by someone who may change it (an admin, or the database's owner):
    for anyone else the bank stays as the admins last synced it."""
    db = open_database(db_location, default=default)
    try:
        identity = None
        if not db.is_sqlite:
            identity = resolve_actor(db, None, allow_unregistered=True)
        if identity is None:  # an SQLite file: its local operator loads the bank the app ships with
            report = sync_bank(db, bank_dir, by=LOCAL_ADMIN)
        elif can(db, identity.actor, "manage_bank"):
            report = sync_bank(db, bank_dir, by=identity.actor)
        else:
            report = SyncReport(skipped_parse=True)
    except Exception:
        db.dispose()
        raise
    ctx = AppContext(db, Path(bank_dir), load_settings(bank_dir), login_identity=identity)
    if identity is not None and isinstance(identity.actor, int):
        ctx.user_id = identity.actor
    return ctx, report


def resync(ctx: AppContext, *, force: bool = False) -> SyncReport:
    """Sync the bank's files again (File → Sync bank): admins only."""
    report = sync_bank(ctx.db, ctx.bank_dir, by=ctx.user_id, force=force)
    ctx.settings = load_settings(ctx.bank_dir)
    return report
