"""Dates as a seller types them: day first, any separator, or none at all.

Used by the CLI and by the app's date field (``ui/widgets/date_field.py``), so
the same text means the same day everywhere. Accepted, for 6 June 2027:
``06-06-2027``, ``6/6/27``, ``6.6.2027``, ``06062027``, ``060627``, ``6 Juni 2027``,
``6 Jun 27`` and ISO ``2027-06-06``.

A month and year alone (``06/2027``, ``062027``, ``Juni 2027``) is what food packaging
prints as "best before end": it means the month's **last** day when it closes a
period (an expiry, the end of a range) and its **first** day when it opens one (a
production date, the start of a range). A single day (a sales day) needs the day.

Two-digit years are 2000-2099; the day always comes first (Indonesian and European
order), so ``12/31/2027`` is refused with a hint rather than read the American way.
"""

from __future__ import annotations

import calendar
import re
from datetime import date, datetime
from enum import Enum

from shopdesk.errors import ValidationError
from shopdesk.i18n import _


class Month(Enum):
    """What a month-and-year alone stands for."""

    REFUSED = "refused"  # a single day is asked for
    FIRST_DAY = "first"  # opens a period: production date, "from"
    LAST_DAY = "last"  # closes a period: expiry ("best before end"), "until"


EARLIEST_YEAR = 2000
LATEST_YEAR = 2099
DISPLAY_FORMAT = "%d-%m-%Y"
MAX_TEXT = 30  # "Wednesday, 30 September 2027" fits; longer is no date

# Indonesian and English month names and their usual short forms (lower case).
_MONTH_NAMES = {
    **{
        name: number
        for number, names in enumerate(
            (
                ("januari", "january", "jan"),
                ("februari", "february", "feb", "pebruari"),
                ("maret", "march", "mar"),
                ("april", "apr"),
                ("mei", "may"),
                ("juni", "june", "jun"),
                ("juli", "july", "jul"),
                ("agustus", "august", "agu", "agt", "ags", "aug"),
                ("september", "sep", "sept"),
                ("oktober", "october", "okt", "oct"),
                ("november", "nov", "nop"),
                ("desember", "december", "des", "dec"),
            ),
            start=1,
        )
        for name in names
    }
}
_TOKEN = re.compile(r"\d+|[a-z]+")
_SEPARATORS = re.compile(r"^[-/., ]*$")


class _Ambiguous(Exception):
    """Two numbers that may be a day and month or a month and year."""


def format_day(day: date | None) -> str:
    """A day as the app shows it and as the parser reads it back: ``06-06-2027``."""
    return day.strftime(DISPLAY_FORMAT) if day else ""


def parse_day(value: object, *, field: str, month: Month = Month.REFUSED) -> date | None:
    """The day ``value`` names (a date, or text as typed); empty is None.

    Raises ``ValidationError`` with a message naming ``field`` and what was wrong.
    """
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip().lower()
    if not text:
        return None
    if len(text) > MAX_TEXT:
        raise _not_a_date(str(value).strip()[:MAX_TEXT] + "…", field)
    try:
        parts = _split(text)
    except _Ambiguous:
        raise ValidationError(
            _(
                "“{text}” is not clear for {field}: type the whole date, like 06-06-2027, "
                "or a month with its 4-digit year, like 06/2027."
            ).format(text=str(value).strip(), field=field)
        ) from None
    if parts is None:
        raise _not_a_date(str(value).strip(), field)
    return _build(parts, str(value).strip(), field=field, month=month)


def _split(text: str) -> tuple[int | None, int, int] | None:
    """(day or None, month, year as typed) from the text's shape; None when no shape fits."""
    tokens = _TOKEN.findall(text)
    if not tokens or not _SEPARATORS.match(_TOKEN.sub("", text)) or tokens[-1].isalpha():
        return None
    if len(tokens) == 1:
        return _split_digits(tokens[0])
    if len(tokens) == 2:  # a month and year: 06/2027, Juni 2027, Jun 27, 2027-06
        return _split_month(tokens)
    if len(tokens) != 3 or not tokens[0].isdigit():
        return None
    if len(tokens[0]) == 4:  # 2027-06-06, ISO
        tokens.reverse()
    month = _month_number(tokens[1])
    return None if month is None else (int(tokens[0]), month, int(tokens[2]))


def _split_month(tokens: list[str]) -> tuple[int | None, int, int] | None:
    first, second = tokens
    if len(first) == 4 and first.isdigit():
        return None, int(second), int(first)
    if first.isalpha():
        month = _month_number(first)
        return None if month is None else (None, month, int(second))
    if len(second) == 4:
        return None, int(first), int(second)
    raise _Ambiguous  # 06/27: the sixth of a month with no year, or June 2027?


def _split_digits(text: str) -> tuple[int | None, int, int] | None:
    if len(text) == 8:  # 06062027, else 20270606
        if EARLIEST_YEAR <= int(text[4:]) <= LATEST_YEAR:
            return int(text[:2]), int(text[2:4]), int(text[4:])
        return int(text[6:]), int(text[4:6]), int(text[:4])
    if len(text) == 6:  # 060627 (day month year), else 062027 (month and a 4-digit year)
        if not 1 <= int(text[2:4]) <= 12:
            return None, int(text[:2]), int(text[2:])
        return int(text[:2]), int(text[2:4]), int(text[4:])
    return None


def _month_number(text: str) -> int | None:
    if text.isdigit():
        return int(text)
    return _MONTH_NAMES.get(text)


def _build(parts: tuple[int | None, int, int], typed: str, *, field: str, month: Month) -> date:
    day, month_number, year = parts
    if year < 100:
        year += 2000
    if not 1 <= month_number <= 12:
        raise ValidationError(
            _(
                "“{text}” is not a date for {field}: there is no month {month}. "
                "Type the day first, then the month: 31-12-2027."
            ).format(text=typed, field=field, month=month_number)
        )
    if not EARLIEST_YEAR <= year <= LATEST_YEAR:
        raise ValidationError(
            _("“{text}” is not a date for {field}: the year must be {first} to {last}.").format(
                text=typed, field=field, first=EARLIEST_YEAR, last=LATEST_YEAR
            )
        )
    last_day = calendar.monthrange(year, month_number)[1]
    if day is None:
        if month is Month.REFUSED:
            raise ValidationError(
                _("“{text}” names a month; {field} needs the day too, like 06-06-2027.").format(
                    text=typed, field=field
                )
            )
        return date(year, month_number, last_day if month is Month.LAST_DAY else 1)
    if not 1 <= day <= last_day:
        raise ValidationError(
            _("“{text}” is not a date for {field}: that month has days 1 to {last} only.").format(
                text=typed, field=field, last=last_day
            )
        )
    return date(year, month_number, day)


def _not_a_date(typed: str, field: str) -> ValidationError:
    return ValidationError(
        _(
            "“{text}” is not a date for {field}. Type the day, month and year, "
            "like 06-06-2027, 06062027 or 6/6/27."
        ).format(text=typed, field=field)
    )
