"""Time: stored in UTC, shown in the shop's zone (WIB, WITA or WIT).

Indonesia has no daylight saving, so fixed offsets are exact and need no
tz database (which Windows lacks).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

ZONES = {
    "WIB": timezone(timedelta(hours=7), "WIB"),
    "WITA": timezone(timedelta(hours=8), "WITA"),
    "WIT": timezone(timedelta(hours=9), "WIT"),
}


def utcnow() -> datetime:
    """Naive UTC, as stored in the database."""
    return datetime.now(UTC).replace(tzinfo=None)


def to_local(moment: datetime, zone: str) -> datetime:
    """A stored UTC time in the shop's zone."""
    aware = moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment
    return aware.astimezone(ZONES.get(zone, ZONES["WIB"]))


def local_today(zone: str) -> date:
    return to_local(utcnow(), zone).date()


def local_day_bounds(day: date, zone: str) -> tuple[datetime, datetime]:
    """The UTC start (inclusive) and end (exclusive) of a local calendar day."""
    tz = ZONES.get(zone, ZONES["WIB"])
    start = datetime(day.year, day.month, day.day, tzinfo=tz).astimezone(UTC)
    start = start.replace(tzinfo=None)
    return start, start + timedelta(days=1)
