"""个人所得税 on 经营所得: cumulative prepayment per filing period (累计预缴).

At each period end the year-to-date figures are recomputed and the annual table is applied to
the cumulative taxable income (个人所得税法第十二条; 预缴 form A):

- 查账征收: 累计应纳税所得额 = max(0, 累计收入 − 累计成本费用 − 累计减除费用), where 累计收入
  is the year-to-date 不含税销售额, 累计成本费用 the year-to-date deductible 支出 (every category
  except ``layout.NON_DEDUCTIBLE``; refunds, typed negative, reduce it), and 累计减除费用
  5,000 元 × months in business so far (0 when the owner has 综合所得);
- 核定应税所得率: 累计应纳税所得额 = 累计收入 × 应税所得率 (one rounding); no costs and no 减除费用
  (form A: 应纳税所得额 = 收入总额 × 应税所得率);
- then 累计应纳税额 = 累计应纳税所得额 × rate − 速算扣除数 (half-up once), and
  累计减免税额 = 累计应纳税额 × min(所得额, 200万) ÷ 所得额 × 50% (half-up once; the official
  formula with 其他政策减免税额 = 0);
- 本期应补税额 = 累计应纳税额 − 累计减免税额 − 累计已预缴, floored at 0: a quarterly return does
  not refund. What was overpaid stays in 累计已预缴, so later periods pay less, and whatever is
  left is refunded at 汇算清缴 (the annual row). So the periods' 本期应补 plus the annual row's
  汇算 amount always sum to the year's 累计应纳税额 − 累计减免税额.
- 定期定额: 本期应补 = 定额月税额 × months in business in the period; the amount is taken as what
  the tax office collects (its notice already reflects the halving), so no relief is computed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from ..model import Settings
from ..money import Fen, apply_rate
from .rules import PitRules

AUDITED, DEEMED_RATE, FIXED_QUOTA = "查账征收", "核定应税所得率", "定期定额"


@dataclass(frozen=True)
class PitInput:
    """What one period contributes to the prepayment.

    Attributes:
        net_sales: the period's 不含税销售额.
        costs: the period's deductible 支出 (negative when refunds exceed spending).
        active_months: months of the period at or after the start of business.
        quota_sales: 定期定额 only: the sales the 定额 is taken to cover (the VAT threshold).
    """

    net_sales: Fen
    costs: Fen
    active_months: int
    quota_sales: Fen = 0


@dataclass(frozen=True)
class PitFigures:
    """One period's 经营所得 prepayment. ``None`` marks a figure the method does not use.

    Attributes:
        cum_income: 累计收入.
        cum_costs: 累计成本费用 (查账征收 only).
        cum_deduction: 累计减除费用 (查账征收 only).
        cum_taxable: 累计应纳税所得额.
        rate / quick_deduction: the bracket of the annual table applied.
        cum_tax: 累计应纳税额.
        cum_relief: 累计减免税额 (个体工商户 halving).
        cum_prepaid: 累计已预缴 (earlier periods' 本期应补).
        tax_due: 本期应补税额 (``None`` when a needed setting is missing).
        floored: the formula gave a negative amount; 0 is shown and the excess is carried.
        over_quota: 定期定额: sales above the quota by more than the rules' ratio.
    """

    cum_income: Fen
    cum_costs: Fen | None
    cum_deduction: Fen | None
    cum_taxable: Fen | None
    rate: Decimal | None
    quick_deduction: Fen | None
    cum_tax: Fen | None
    cum_relief: Fen | None
    cum_prepaid: Fen | None
    tax_due: Fen | None
    floored: bool = False
    over_quota: bool = False

    @property
    def cum_net_tax(self) -> Fen | None:
        """累计应纳税额 − 累计减免税额 (what the year so far owes)."""
        if self.cum_tax is None:
            return None
        return self.cum_tax - (self.cum_relief or 0)


def table_tax(taxable: Fen, rules: PitRules) -> tuple[Fen, Decimal, Fen]:
    """Tax on an annual (or cumulative) taxable income: (tax, rate, quick deduction), in 分."""
    b = rules.bracket(taxable)
    return apply_rate(taxable, b.rate) - b.quick_deduction, b.rate, b.quick_deduction


def relief(tax: Fen, taxable: Fen, rules: PitRules) -> Fen:
    """累计减免税额 = tax × min(taxable, cap) ÷ taxable × relief rate, half-up to 分 once."""
    if taxable <= 0 or tax <= 0:
        return 0
    part = Decimal(tax) * Decimal(min(taxable, rules.relief_cap)) / Decimal(taxable)
    return int((part * rules.relief_rate).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def prepayments(inputs: Sequence[PitInput], settings: Settings,
                rules: PitRules) -> tuple[PitFigures, ...]:
    """The 经营所得 prepayment of each period of a year, in order."""
    if settings.pit_method == FIXED_QUOTA:
        return _fixed_quota(inputs, settings, rules)
    out: list[PitFigures] = []
    income = costs = months = prepaid = 0
    for p in inputs:
        income += p.net_sales
        costs += p.costs
        months += p.active_months
        if settings.pit_method == DEEMED_RATE:
            if settings.deemed_profit_rate is None:
                out.append(_blank(income))
                continue
            taxable = max(0, apply_rate(income, settings.deemed_profit_rate))
            shown_costs = shown_deduction = None
        else:
            deduction = 0 if settings.has_other_income else rules.monthly_deduction * months
            taxable = max(0, income - costs - deduction)
            shown_costs, shown_deduction = costs, deduction
        tax, rate, quick = table_tax(taxable, rules)
        cut = relief(tax, taxable, rules)
        payable = tax - cut - prepaid
        due = max(0, payable)
        out.append(PitFigures(income, shown_costs, shown_deduction, taxable, rate, quick, tax, cut,
                              prepaid, due, floored=payable < 0))
        prepaid += due
    return tuple(out)


def _fixed_quota(inputs: Sequence[PitInput], settings: Settings,
                 rules: PitRules) -> tuple[PitFigures, ...]:
    out: list[PitFigures] = []
    income = prepaid = 0
    for p in inputs:
        income += p.net_sales
        over = p.net_sales > apply_rate(p.quota_sales, 1 + rules.over_quota_ratio)
        if settings.fixed_monthly_tax is None:
            out.append(_blank(income, over))
            continue
        due = settings.fixed_monthly_tax * p.active_months
        out.append(PitFigures(income, None, None, None, None, None, prepaid + due, None, prepaid,
                              due, over_quota=over))
        prepaid += due
    return tuple(out)


def _blank(income: Fen, over_quota: bool = False) -> PitFigures:
    return PitFigures(income, None, None, None, None, None, None, None, None, None,
                      over_quota=over_quota)
