"""Words and local times for the Loops section. Services keep aware UTC datetimes; people read local time."""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtCore import QDateTime, QLocale

__all__ = ["from_qdatetime", "local_text", "minutes_text", "plural", "to_qdatetime"]


def _aware(when: datetime) -> datetime:
    # Services hand out aware UTC values; a naive one can only have come from UTC storage.
    return when if when.tzinfo is not None else when.replace(tzinfo=UTC)


def to_qdatetime(when: datetime) -> QDateTime:
    """The same instant as a QDateTime in local time (what QDateTimeEdit shows)."""
    return QDateTime.fromSecsSinceEpoch(int(_aware(when).timestamp()))


def from_qdatetime(value: QDateTime) -> datetime:
    """The instant a QDateTimeEdit shows, as an aware UTC datetime for the services."""
    return datetime.fromtimestamp(value.toSecsSinceEpoch(), tz=UTC)


def local_text(when: datetime | None, *, empty: str = "not scheduled", now: datetime | None = None) -> str:
    """'Tue 14 Oct, 09:00' in local time; the year only when it is not this year."""
    if when is None:
        return empty
    local = _aware(when).astimezone()
    this_year = (now or datetime.now(UTC)).astimezone().year
    fmt = "ddd d MMM, HH:mm" if local.year == this_year else "ddd d MMM yyyy, HH:mm"
    return QLocale().toString(to_qdatetime(when), fmt)


def plural(n: int, noun: str, nouns: str | None = None) -> str:
    """'1 stage', '3 stages'."""
    return f"{n} {noun if n == 1 else (nouns or noun + 's')}"


def minutes_text(minutes: int) -> str:
    """'45 min', '1 h', '4 h 30 min'."""
    hours, rest = divmod(int(minutes), 60)
    if not hours:
        return f"{rest} min"
    return f"{hours} h" if not rest else f"{hours} h {rest} min"
