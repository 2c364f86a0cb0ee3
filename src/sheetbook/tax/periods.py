"""Filing periods (按季 / 按月) of a tax year and their deadlines.

The VAT return, the surcharges and the 经营所得 prepayment share one period: a quarter
(``2026Q1``, the default) or a month (``2026-03``), as set by 设置 增值税申报期. Each is due on
the 15th of the month after the period ends (增值税法第三十条; 个人所得税法第十二条); the
经营所得 汇算清缴 is due on 3月31日 of the next year. A deadline moves only when the rules
file lists its extension (``[deadlines] holidays``): sheetbook does not guess holidays or
weekends, because 调休 makes some weekends working days.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .rules import DeadlineRules

QUARTERLY, MONTHLY = "按季", "按月"


@dataclass(frozen=True)
class Period:
    """One filing period.

    Attributes:
        label: ``2026Q1`` or ``2026-03``.
        year: the tax year.
        first_month / last_month: months of the year it spans (1–12, inclusive).
    """

    label: str
    year: int
    first_month: int
    last_month: int

    @property
    def months(self) -> int:
        """How many months the period spans."""
        return self.last_month - self.first_month + 1

    @property
    def quarterly(self) -> bool:
        """Whether this is a quarter (else a month)."""
        return self.months == 3

    @property
    def start(self) -> dt.date:
        """The first day of the period."""
        return dt.date(self.year, self.first_month, 1)

    @property
    def end(self) -> dt.date:
        """The last day of the period."""
        return _month_end(self.year, self.last_month)


def periods(year: int, vat_period: str) -> tuple[Period, ...]:
    """The filing periods of a year: four quarters (按季) or twelve months (按月)."""
    if vat_period == MONTHLY:
        return tuple(Period(f"{year}-{m:02d}", year, m, m) for m in range(1, 13))
    return tuple(Period(f"{year}Q{q}", year, 3 * q - 2, 3 * q) for q in range(1, 5))


def annual_label(year: int, lang: str = "zh") -> str:
    """The label of the annual row: ``2026全年`` (``2026 full year`` in English)."""
    return f"{year}全年" if lang == "zh" else f"{year} full year"


def filing_deadline(period: Period, rules: DeadlineRules) -> tuple[dt.date, bool]:
    """The period's filing deadline and whether a holiday extension moved it."""
    year, month = (period.year + 1, 1) if period.last_month == 12 else (period.year, period.last_month + 1)
    return _extend(dt.date(year, month, rules.filing_day), rules)


def annual_deadline(year: int, rules: DeadlineRules) -> tuple[dt.date, bool]:
    """The 汇算清缴 deadline for a year (3月31日 of the next year) and whether it was extended."""
    return _extend(dt.date(year + 1, rules.annual_month, rules.annual_day), rules)


def _extend(statutory: dt.date, rules: DeadlineRules) -> tuple[dt.date, bool]:
    extended = rules.holidays.get(statutory)
    return (extended, True) if extended else (statutory, False)


def _month_end(year: int, month: int) -> dt.date:
    nxt = dt.date(year + 1, 1, 1) if month == 12 else dt.date(year, month + 1, 1)
    return nxt - dt.timedelta(days=1)
