"""Dates: read any way a shop owner types one, and refuse to guess.

Accepted: Excel dates (``datetime``/``date`` from the reader), Excel serial numbers, and text
``2026-03-05``, ``2026/3/5``, ``2026.3.5``, ``2026年3月5日``, ``20260305``, each optionally with a
time part (``2026-03-05 14:30:00``). Two-digit years, day-first forms such as ``05/03/2026``
and impossible dates (``2026-02-30``) are errors: the reader names the cell.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata

EXCEL_EPOCH = dt.date(1899, 12, 30)
#: Serial numbers outside this range are not plausible bookkeeping dates (1954 … 2173).
SERIAL_MIN, SERIAL_MAX = 20000, 100000

_TEXT = re.compile(
    r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?"
    r"(?:[ T]+\d{1,2}[:：]\d{2}(?:[:：]\d{2}(?:\.\d+)?)?)?$"
)
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})(?:\s*\d{1,2}:\d{2}(?::\d{2})?)?$")


class DateError(ValueError):
    """A value that cannot be read as a date without guessing."""


def from_serial(serial: float) -> dt.date:
    """An Excel serial day number (1900 system) as a date."""
    if not SERIAL_MIN <= serial <= SERIAL_MAX:
        raise DateError(str(serial))
    return EXCEL_EPOCH + dt.timedelta(days=int(math.floor(serial)))


def parse_date(value: object) -> dt.date | None:
    """Read a cell as a date; ``None`` for an empty cell; :class:`DateError` when unreadable."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, bool):
        raise DateError(str(value))
    if isinstance(value, int | float):
        if isinstance(value, float) and math.isnan(value):
            return None
        if isinstance(value, int) or float(value).is_integer():
            n = int(value)
            if 19000101 <= n <= 21991231:
                return _ymd(str(n)[:4], str(n)[4:6], str(n)[6:], value)
        return from_serial(float(value))
    if isinstance(value, dt.timedelta):
        raise DateError(str(value))
    if not isinstance(value, str):
        raise DateError(str(value))
    text = unicodedata.normalize("NFKC", value).strip()
    if not text:
        return None
    m = _TEXT.match(text) or _COMPACT.match(text)
    if m:
        return _ymd(m.group(1), m.group(2), m.group(3), value)
    raise DateError(value)


def _ymd(y: str, m: str, d: str, original: object) -> dt.date:
    try:
        return dt.date(int(y), int(m), int(d))
    except ValueError as exc:
        raise DateError(str(original)) from exc


def add_days(day: dt.date, days: int) -> dt.date:
    """``day`` plus a number of days."""
    return day + dt.timedelta(days=int(days))
