"""The 税务 job: 增值税, 附加税费 and 经营所得 prepayments for one year, as a pure function.

:func:`compute_tax` takes the valid 销售 and 支出 rows, the 设置 and a year, and returns a
:class:`TaxResult`: one :class:`TaxRow` per filing period (``2026Q1`` … or ``2026-01`` …) and an
annual row (``2026全年``), each holding the 税务 tab's columns, its 依据 text and flags.
:func:`tax_book` runs it on a read :class:`~sheetbook.model.Book`.

Decisions where the sources are silent (each is also stated in the rows' 依据):

- sales count in the period of their 日期; 不含税销售额 is computed on each period's total and
  the annual row adds the periods (so its columns sum);
- the 减除费用 months run from the first month of the year with any entry (a sale or an
  expense) to the period end; a book with entries before the year, or with no entry in the
  year, counts from January. 定期定额 months count the same way;
- the annual row's 本期应补税额 is the 汇算清缴 amount: 累计应纳税额 − 累计减免税额 − 累计已预缴
  (negative = refund); 累计已预缴 there is the sum of the periods' 本期应补.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

import pandas as pd

from ..layout import NON_DEDUCTIBLE
from ..model import Book, Settings
from ..money import Fen
from . import basis
from .periods import Period, annual_deadline, annual_label, filing_deadline, periods
from .pit import PitFigures, PitInput, prepayments
from .rules import LOCATIONS, Rules, load_rules
from .vat import VatFigures, period_vat

SMALL_SCALE = "小规模纳税人"


@dataclass(frozen=True)
class Note:
    """A warning about the whole result, in two languages.

    Attributes:
        code: stable identifier tests assert on (``tax.general_taxpayer`` …).
        zh / en: the message.
    """

    code: str
    zh: str
    en: str

    def text(self, lang: str) -> str:
        """The message in a language."""
        return self.en if lang == "en" else self.zh


@dataclass(frozen=True)
class TaxRow:
    """One row of the 税务 tab (a filing period or the year). ``None`` = not applicable.

    Attributes mirror ``layout.RESULT_TABS_BY_KEY['tax']`` columns (money in 分, rate a
    Decimal fraction, deadline a date), plus:
        kind: ``period`` or ``annual``.
        start / end: the dates the row covers.
        basis_zh / basis_en: the 依据 text.
        flags: codes such as ``vat.near_threshold``, ``pit.floored``, ``pit.over_quota``.
    """

    period: str
    kind: str
    start: dt.date
    end: dt.date
    gross_sales: Fen
    net_sales: Fen | None
    threshold_reached: bool | None
    vat: Fen | None
    urban_tax: Fen | None
    edu_surcharge: Fen | None
    local_edu_surcharge: Fen | None
    cum_income: Fen | None
    cum_costs: Fen | None
    cum_deduction: Fen | None
    cum_taxable: Fen | None
    rate: Decimal | None
    quick_deduction: Fen | None
    cum_tax: Fen | None
    cum_relief: Fen | None
    cum_prepaid: Fen | None
    tax_due: Fen | None
    deadline: dt.date
    basis_zh: str
    basis_en: str
    flags: tuple[str, ...] = ()

    def basis(self, lang: str) -> str:
        """The 依据 text in a language."""
        return self.basis_en if lang == "en" else self.basis_zh


@dataclass(frozen=True)
class TaxResult:
    """The 税务 job's output for one year.

    Attributes:
        year: the tax year.
        rules: the rules applied.
        settings: the settings used.
        rows: the periods in order, then the annual row.
        notes: warnings about the whole result.
    """

    year: int
    rules: Rules
    settings: Settings
    rows: tuple[TaxRow, ...]
    notes: tuple[Note, ...] = field(default_factory=tuple)

    @property
    def periods(self) -> tuple[TaxRow, ...]:
        """The period rows (without the annual row)."""
        return self.rows[:-1]

    @property
    def annual(self) -> TaxRow:
        """The annual row."""
        return self.rows[-1]


def compute_tax(sales: pd.DataFrame, expenses: pd.DataFrame, settings: Settings, year: int,
                rules: Rules | None = None) -> TaxResult:
    """Estimate a year's 增值税, 附加税费 and 经营所得 prepayments from valid 销售 and 支出 rows.

    ``sales`` and ``expenses`` follow the typed-table contract of :mod:`sheetbook.model`
    (``date`` datetime64, ``amount`` Int64 分, ``category`` canonical Chinese); rows outside
    ``year`` are ignored. ``rules`` defaults to :func:`~sheetbook.tax.rules.load_rules`.
    """
    rules = rules or load_rules(year)
    notes = list(_setting_notes(settings))
    location = settings.location if settings.location in LOCATIONS else "市区"
    sales_by_month = _monthly(sales, year)
    costs_by_month = _monthly(expenses, year, exclude=NON_DEDUCTIBLE)
    start = _start_month(year, sales, expenses)
    plan = periods(year, settings.vat_period)
    small_scale = settings.taxpayer_type == SMALL_SCALE

    vats = [period_vat(p, sum(sales_by_month[p.first_month - 1:p.last_month]), location,
                       settings.prices_include_vat, rules) for p in plan]
    inputs = [PitInput(v.net_sales, sum(costs_by_month[p.first_month - 1:p.last_month]),
                       max(0, p.last_month - max(p.first_month, start) + 1), v.threshold)
              for p, v in zip(plan, vats)]
    pits = prepayments(inputs, settings, rules.pit)
    rows = [_period_row(p, v, f, settings, rules, small_scale, location)
            for p, v, f in zip(plan, vats, pits)]
    rows.append(_annual_row(year, rows, pits, settings, rules, small_scale))
    if not rules.deadlines.holidays:
        notes.append(Note("tax.no_holidays", "申报截止日未按节假日顺延（规则文件未配置顺延日期）",
                          "Filing deadlines are not moved for holidays (none configured)"))
    return TaxResult(year, rules, settings, tuple(rows), tuple(notes))


def tax_book(book: Book, year: int | None = None, rules: Rules | None = None) -> TaxResult:
    """Run :func:`compute_tax` on a book's valid rows (``year`` defaults to its 会计年度)."""
    return compute_tax(book.valid("sales"), book.valid("expenses"), book.settings,
                       year or book.fiscal_year, rules)


# ----------------------------------------------------------------------------- inputs


def _dates(df: pd.DataFrame | None) -> pd.Series | None:
    if df is None or not len(df) or "date" not in df:
        return None
    return pd.to_datetime(df["date"])


def _monthly(df: pd.DataFrame, year: int, exclude: frozenset[str] = frozenset()) -> list[Fen]:
    """Sum of ``amount`` per month of ``year`` (12 ints in 分), leaving out ``exclude`` categories."""
    dates = _dates(df)
    if dates is None or "amount" not in df:
        return [0] * 12
    keep = (dates.dt.year == year) & df["amount"].notna()
    if exclude and "category" in df:
        keep &= ~df["category"].isin(exclude)
    sums = df.loc[keep, "amount"].astype("int64").groupby(dates[keep].dt.month).sum()
    return [int(sums.get(m, 0)) for m in range(1, 13)]


def _start_month(year: int, sales: pd.DataFrame, expenses: pd.DataFrame) -> int:
    """The first month of ``year`` with any sale or expense; 1 when there is none in the year
    or when any entry is dated before the year (the business was already running)."""
    months: list[int] = []
    for dates in (_dates(sales), _dates(expenses)):
        if dates is None:
            continue
        if (dates.dt.year < year).any():
            return 1
        months.extend(dates[dates.dt.year == year].dt.month.tolist())
    return int(min(months)) if months else 1


def _setting_notes(settings: Settings) -> list[Note]:
    notes = []
    if settings.taxpayer_type != SMALL_SCALE:
        notes.append(Note("tax.general_taxpayer",
                          "一般纳税人的增值税需要进项抵扣，本表只估算小规模纳税人；增值税和个税未计算",
                          "VAT of a general taxpayer needs input credits; only small-scale "
                          "taxpayers are estimated, so VAT and income tax are left blank"))
    if settings.pit_method == "核定应税所得率" and settings.deemed_profit_rate is None:
        notes.append(Note("tax.missing_deemed_rate", "个税征收方式为 核定应税所得率，但 设置 中没有填写 核定应税所得率",
                          "Income tax method is deemed rate but Settings has no deemed profit rate"))
    if settings.pit_method == "定期定额" and settings.fixed_monthly_tax is None:
        notes.append(Note("tax.missing_fixed_tax", "个税征收方式为 定期定额，但 设置 中没有填写 定额月税额",
                          "Income tax method is fixed quota but Settings has no monthly fixed tax"))
    if settings.location not in LOCATIONS:
        notes.append(Note("tax.unknown_location", f"所在地区 {settings.location} 无法识别，按 市区 计算",
                          f"Location {settings.location} is not recognised; 市区 (city) is used"))
    return notes


# ----------------------------------------------------------------------------- rows


def _period_row(p: Period, v: VatFigures, f: PitFigures, settings: Settings, rules: Rules,
                small_scale: bool, location: str) -> TaxRow:
    deadline, extended = filing_deadline(p, rules.deadlines)
    flags = tuple(code for code, on in (
        ("vat.near_threshold", v.near_threshold), ("vat.at_threshold", v.at_threshold),
        ("vat.edu_exempt", v.edu_exempt), ("pit.floored", f.floored),
        ("pit.over_quota", f.over_quota), ("deadline.extended", extended),
    ) if on)
    if not small_scale:
        return TaxRow(p.label, "period", p.start, p.end, v.gross_sales, *([None] * 16),
                      deadline, *basis.general_taxpayer(rules), flags=())
    zh, en = basis.period_basis(p, v, f, settings, rules, location, flags)
    return TaxRow(
        p.label, "period", p.start, p.end, v.gross_sales, v.net_sales, v.reached, v.vat,
        v.urban_tax, v.edu_surcharge, v.local_edu_surcharge, f.cum_income, f.cum_costs,
        f.cum_deduction, f.cum_taxable, f.rate, f.quick_deduction, f.cum_tax, f.cum_relief,
        f.cum_prepaid, f.tax_due, deadline, zh, en, flags,
    )


def _annual_row(year: int, rows: list[TaxRow], pits: tuple[PitFigures, ...], settings: Settings,
                rules: Rules, small_scale: bool) -> TaxRow:
    deadline, extended = annual_deadline(year, rules.deadlines)
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    gross = sum(r.gross_sales for r in rows)
    if not small_scale:
        return TaxRow(annual_label(year), "annual", start, end, gross, *([None] * 16), deadline,
                      *basis.general_taxpayer(rules))
    last = pits[-1]
    paid = [r.tax_due for r in rows]
    prepaid = None if any(x is None for x in paid) else sum(paid)
    owed = last.cum_net_tax
    settle = None if owed is None or prepaid is None else owed - prepaid
    flags = ("deadline.extended",) if extended else ()
    zh, en = basis.annual_basis(year, settings, rules, settle)
    return TaxRow(
        annual_label(year), "annual", start, end, gross,
        sum(r.net_sales or 0 for r in rows), None, sum(r.vat or 0 for r in rows),
        sum(r.urban_tax or 0 for r in rows), sum(r.edu_surcharge or 0 for r in rows),
        sum(r.local_edu_surcharge or 0 for r in rows), last.cum_income, last.cum_costs,
        last.cum_deduction, last.cum_taxable, last.rate, last.quick_deduction, last.cum_tax,
        last.cum_relief, prepaid, settle, deadline, zh, en, flags,
    )
