"""Tax rules as data: load the ``rules/*.toml`` file that covers a year into frozen records.

A new tax year, or a new announcement, is a new TOML file in ``rules/`` (or in a folder passed
as ``directory``), never new code. Each file declares ``[validity] valid_from / valid_to``;
:func:`load_rules` picks the file whose validity covers the whole year (the latest
``valid_from`` wins when several do) and raises :class:`RulesError` when none does.

The loader is strict so that a typo cannot silently change a tax: rates must be strings of
decimal fractions (``"0.01"``; TOML floats are refused), money is whole 元 or a string with at
most two decimals, and the 经营所得 quick deductions must agree with the brackets.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

from ..errors import SheetbookError
from ..money import Fen

RULES_DIR = Path(__file__).parent / "rules"
LOCATIONS = ("市区", "县城镇", "其他")


class RulesError(SheetbookError):
    """No rules file covers the year, or a rules file is malformed."""


@dataclass(frozen=True)
class Source:
    """A citation printed in the 依据 column.

    Attributes:
        zh: the Chinese citation, e.g. ``财政部 税务总局公告2026年第10号``.
        en: the English citation.
    """

    zh: str
    en: str

    def text(self, lang: str) -> str:
        """The citation in a language (``zh`` or ``en``)."""
        return self.en if lang == "en" else self.zh


@dataclass(frozen=True)
class VatRules:
    """VAT for a small-scale taxpayer.

    Attributes:
        statutory_rate: the law's levy rate (3%).
        levy_rate: the reduced rate actually charged (1%).
        threshold_monthly / threshold_quarterly: 起征点 in 分 of VAT-exclusive sales.
        threshold_inclusive: sales of exactly the threshold count as reached.
        near_threshold_band: fraction of the threshold within which a period is flagged.
    """

    statutory_rate: Decimal
    levy_rate: Decimal
    threshold_monthly: Fen
    threshold_quarterly: Fen
    threshold_inclusive: bool
    near_threshold_band: Decimal
    statutory_source: Source
    levy_source: Source
    threshold_source: Source


@dataclass(frozen=True)
class SurchargeRules:
    """附加税费 on the VAT payable.

    Attributes:
        urban_rate: 城市维护建设税 rate by 所在地区 (市区 / 县城镇 / 其他).
        education_rate / local_education_rate: 教育费附加 3%, 地方教育附加 2%.
        halving: the 六税两费 reduction (0.5 = pay half).
        education_exemption: 财税〔2016〕12号 applies.
        education_exemption_monthly / _quarterly: its limits in 分 (inclusive).
    """

    urban_rate: dict[str, Decimal]
    education_rate: Decimal
    local_education_rate: Decimal
    halving: Decimal
    education_exemption: bool
    education_exemption_monthly: Fen
    education_exemption_quarterly: Fen
    urban_source: Source
    education_source: Source
    local_education_source: Source
    halving_source: Source
    education_exemption_source: Source


@dataclass(frozen=True)
class Bracket:
    """One bracket of the annual 经营所得 table.

    Attributes:
        upto: inclusive upper bound of annual taxable income in 分 (``None`` = no bound).
        rate: the marginal rate.
        quick_deduction: 速算扣除数 in 分.
    """

    upto: Fen | None
    rate: Decimal
    quick_deduction: Fen


@dataclass(frozen=True)
class PitRules:
    """Individual income tax on 经营所得.

    Attributes:
        brackets: the annual table, ascending.
        monthly_deduction: 减除费用 per month in 分 (5,000 元).
        relief_rate: the 个体工商户 halving (0.5).
        relief_cap: taxable income the halving covers, in 分 (200万).
        over_quota_ratio: 定期定额 over-quota fraction before a period is flagged (unverified).
    """

    brackets: tuple[Bracket, ...]
    monthly_deduction: Fen
    relief_rate: Decimal
    relief_cap: Fen
    over_quota_ratio: Decimal
    brackets_source: Source
    deduction_source: Source
    relief_source: Source
    prepay_source: Source
    over_quota_source: Source

    def bracket(self, taxable: Fen) -> Bracket:
        """The bracket an annual (or cumulative) taxable income falls in."""
        for b in self.brackets:
            if b.upto is None or taxable <= b.upto:
                return b
        return self.brackets[-1]  # pragma: no cover - the loader requires an open last bracket


@dataclass(frozen=True)
class DeadlineRules:
    """Filing deadlines.

    Attributes:
        filing_day: day of the month after the period by which to file (15).
        annual_month / annual_day: 汇算清缴 deadline in the next year (3月31日).
        holidays: statutory deadline → extended deadline (empty: no extension applied).
    """

    filing_day: int
    annual_month: int
    annual_day: int
    holidays: dict[dt.date, dt.date]
    filing_source: Source
    annual_source: Source
    holidays_source: Source


@dataclass(frozen=True)
class Rules:
    """A whole rules file.

    Attributes:
        name: e.g. ``cn-2026``.
        title: a one-line description.
        valid_from / valid_to: the dates the file covers.
        path: the file it was read from.
    """

    name: str
    title: str
    valid_from: dt.date
    valid_to: dt.date
    path: Path
    vat: VatRules
    surcharges: SurchargeRules
    pit: PitRules
    deadlines: DeadlineRules

    def covers(self, year: int) -> bool:
        """Whether the file is valid for the whole calendar year."""
        return self.valid_from <= dt.date(year, 1, 1) and dt.date(year, 12, 31) <= self.valid_to


def load_rules(year: int, directory: Path | None = None) -> Rules:
    """The rules for a tax year, from the ``*.toml`` file in ``directory`` that covers it.

    Raises :class:`RulesError` when no file covers the year or a file is malformed.
    """
    folder = directory or RULES_DIR
    candidates = [read_rules(p) for p in sorted(folder.glob("*.toml"))]
    covering = [r for r in candidates if r.covers(year)]
    if not covering:
        known = [f"{r.name} {r.valid_from}–{r.valid_to}" for r in candidates]
        raise RulesError(
            f"没有适用于 {year} 年的税务规则文件（已有：{'、'.join(known) or '无'}）；"
            f"请在 {folder} 添加新的规则文件",
            f"No tax rules file covers {year} (have: {', '.join(known) or 'none'}); "
            f"add a new rules file to {folder}",
        )
    return max(covering, key=lambda r: r.valid_from)


def read_rules(path: Path) -> Rules:
    """Read and check one rules file."""
    try:
        with path.open("rb") as fh:
            raw = tomllib.load(fh)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise RulesError(f"无法读取税务规则文件 {path}：{exc}",
                         f"Cannot read tax rules file {path}: {exc}") from exc
    r = _Reader(raw, path)
    validity = r.table("validity")
    rules = Rules(
        name=r.text(raw, "name"), title=str(raw.get("title", "")),
        valid_from=r.date(validity, "valid_from"), valid_to=r.date(validity, "valid_to"),
        path=path, vat=_vat(r), surcharges=_surcharges(r), pit=_pit(r),
        deadlines=_deadlines(r),
    )
    if rules.valid_to < rules.valid_from:
        raise r.error("validity", "valid_to 早于 valid_from", "valid_to is before valid_from")
    return rules


def _vat(r: _Reader) -> VatRules:
    t = r.table("vat")
    return VatRules(
        statutory_rate=r.rate(t, "statutory_rate"), levy_rate=r.rate(t, "levy_rate"),
        threshold_monthly=r.money(t, "threshold_monthly"),
        threshold_quarterly=r.money(t, "threshold_quarterly"),
        threshold_inclusive=r.flag(t, "threshold_inclusive"),
        near_threshold_band=r.rate(t, "near_threshold_band"),
        statutory_source=r.source(t, "statutory"), levy_source=r.source(t, "levy"),
        threshold_source=r.source(t, "threshold"),
    )


def _surcharges(r: _Reader) -> SurchargeRules:
    t = r.table("surcharges")
    urban = t.get("urban_rate")
    if not isinstance(urban, dict) or set(urban) != set(LOCATIONS):
        raise r.error("surcharges.urban_rate", f"须为 {LOCATIONS} 各一个税率",
                      f"needs one rate for each of {LOCATIONS}")
    return SurchargeRules(
        urban_rate={k: r.rate(urban, k) for k in LOCATIONS},
        education_rate=r.rate(t, "education_rate"),
        local_education_rate=r.rate(t, "local_education_rate"),
        halving=r.rate(t, "halving"),
        education_exemption=r.flag(t, "education_exemption"),
        education_exemption_monthly=r.money(t, "education_exemption_monthly"),
        education_exemption_quarterly=r.money(t, "education_exemption_quarterly"),
        urban_source=r.source(t, "urban"), education_source=r.source(t, "education"),
        local_education_source=r.source(t, "local_education"),
        halving_source=r.source(t, "halving"),
        education_exemption_source=r.source(t, "education_exemption"),
    )


def _pit(r: _Reader) -> PitRules:
    t = r.table("pit")
    rows = t.get("brackets")
    if not isinstance(rows, list) or not rows:
        raise r.error("pit.brackets", "缺少税率表", "the bracket table is missing")
    brackets = tuple(
        Bracket(r.money(b, "upto") if "upto" in b else None, r.rate(b, "rate"),
                r.money(b, "quick_deduction"))
        for b in rows
    )
    _check_brackets(r, brackets)
    return PitRules(
        brackets=brackets, monthly_deduction=r.money(t, "monthly_deduction"),
        relief_rate=r.rate(t, "relief_rate"), relief_cap=r.money(t, "relief_cap"),
        over_quota_ratio=r.rate(t, "over_quota_ratio"),
        brackets_source=r.source(t, "brackets"), deduction_source=r.source(t, "deduction"),
        relief_source=r.source(t, "relief"), prepay_source=r.source(t, "prepay"),
        over_quota_source=r.source(t, "over_quota"),
    )


def _check_brackets(r: _Reader, brackets: tuple[Bracket, ...]) -> None:
    """Ascending bounds, an open last bracket, and quick deductions that make the tax continuous."""
    bad = brackets[-1].upto is not None or any(b.upto is None for b in brackets[:-1])
    prev_upto, prev_rate, prev_quick = 0, Decimal(0), 0
    for b in brackets:
        expected = prev_quick + Decimal(prev_upto) * (b.rate - prev_rate)
        if b.quick_deduction != expected or (b.upto is not None and b.upto <= prev_upto):
            bad = True
        prev_upto, prev_rate, prev_quick = b.upto or 0, b.rate, b.quick_deduction
    if bad:
        raise r.error("pit.brackets", "税率表的上限或速算扣除数不一致",
                      "bracket bounds or quick deductions are inconsistent")


def _deadlines(r: _Reader) -> DeadlineRules:
    t = r.table("deadlines")
    holidays: dict[dt.date, dt.date] = {}
    for item in t.get("holidays", []):
        if not isinstance(item, dict):
            raise r.error("deadlines.holidays", "每项须为 {statutory = 日期, extended = 日期}",
                          "each item must be {statutory = date, extended = date}")
        holidays[r.date(item, "statutory")] = r.date(item, "extended")
    return DeadlineRules(
        filing_day=r.integer(t, "filing_day"), annual_month=r.integer(t, "annual_month"),
        annual_day=r.integer(t, "annual_day"), holidays=holidays,
        filing_source=r.source(t, "filing"), annual_source=r.source(t, "annual"),
        holidays_source=r.source(t, "holidays"),
    )


class _Reader:
    """Typed access to the raw TOML with errors that name the file and the key."""

    def __init__(self, raw: dict, path: Path) -> None:
        self.raw, self.path = raw, path

    def error(self, key: str, zh: str, en: str) -> RulesError:
        return RulesError(f"税务规则文件 {self.path.name} 的 {key} 无效：{zh}",
                          f"Tax rules file {self.path.name}: {key} is invalid: {en}")

    def table(self, key: str) -> dict:
        value = self.raw.get(key)
        if not isinstance(value, dict):
            raise self.error(key, "缺少该节", "the table is missing")
        return value

    def _get(self, t: dict, key: str) -> object:
        if key not in t:
            raise self.error(key, "缺少该项", "the key is missing")
        return t[key]

    def text(self, t: dict, key: str) -> str:
        value = self._get(t, key)
        if not isinstance(value, str) or not value:
            raise self.error(key, "须为文字", "must be text")
        return value

    def rate(self, t: dict, key: str) -> Decimal:
        value = self._get(t, key)
        try:
            rate = Decimal(value) if isinstance(value, str) else None
        except InvalidOperation:
            rate = None
        if rate is None or not rate.is_finite() or not 0 <= rate <= 1:
            raise self.error(key, "税率须写成 0 到 1 之间的小数字符串，如 \"0.01\"",
                             'a rate must be a string fraction between 0 and 1, e.g. "0.01"')
        return rate

    def money(self, t: dict, key: str) -> Fen:
        value = self._get(t, key)
        try:
            amount = Decimal(value) if isinstance(value, int | str) and not isinstance(value, bool) else None
        except InvalidOperation:
            amount = None
        if amount is None or not amount.is_finite() or amount < 0 or amount != amount.quantize(Decimal("0.01")):
            raise self.error(key, "金额须为整数元或最多两位小数的字符串",
                             "money must be whole 元 or a string with at most two decimals")
        return int(amount * 100)

    def integer(self, t: dict, key: str) -> int:
        value = self._get(t, key)
        if not isinstance(value, int) or isinstance(value, bool):
            raise self.error(key, "须为整数", "must be a whole number")
        return value

    def flag(self, t: dict, key: str) -> bool:
        value = self._get(t, key)
        if not isinstance(value, bool):
            raise self.error(key, "须为 true 或 false", "must be true or false")
        return value

    def date(self, t: dict, key: str) -> dt.date:
        value = self._get(t, key)
        if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
            raise self.error(key, "须为日期，如 2026-01-01", "must be a date such as 2026-01-01")
        return value

    def source(self, t: dict, prefix: str) -> Source:
        return Source(self.text(t, f"{prefix}_source"), self.text(t, f"{prefix}_source_en"))
