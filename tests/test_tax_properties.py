"""Properties of the tax job (hypothesis): thresholds, monotonicity, the year adds up, money is int."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from sheetbook.model import Settings
from sheetbook.tax import compute_tax, load_rules
from sheetbook.tax.periods import Period
from sheetbook.tax.vat import period_vat
from tax_helpers import expenses, sales

RULES = load_rules(2026)
Q1 = Period("2026Q1", 2026, 1, 3)
MONEY_FIELDS = ("gross_sales", "net_sales", "vat", "urban_tax", "edu_surcharge",
                "local_edu_surcharge", "cum_income", "cum_costs", "cum_deduction", "cum_taxable",
                "quick_deduction", "cum_tax", "cum_relief", "cum_prepaid", "tax_due")

gross = st.integers(min_value=-10**8, max_value=10**10)  # −100万 … 1亿 元 in 分
locations = st.sampled_from(["市区", "县城镇", "其他"])
flags = st.booleans()


@given(gross, locations, flags, flags)
def test_vat_is_zero_below_the_threshold(amount, location, include_vat, inclusive):
    rules = dataclasses.replace(RULES, vat=dataclasses.replace(RULES.vat, threshold_inclusive=inclusive))
    v = period_vat(Q1, amount, location, include_vat, rules)
    if v.net_sales < v.threshold:
        assert v.vat == v.urban_tax == v.edu_surcharge == v.local_edu_surcharge == 0
    else:
        assert v.reached or (not inclusive and v.net_sales == v.threshold)


@given(gross, gross, locations, flags)
def test_vat_and_surcharges_never_decrease_with_sales(a, b, location, include_vat):
    lo, hi = sorted((a, b))
    x = period_vat(Q1, lo, location, include_vat, RULES)
    y = period_vat(Q1, hi, location, include_vat, RULES)
    assert x.net_sales <= y.net_sales
    assert x.vat <= y.vat and x.urban_tax <= y.urban_tax


month_amounts = st.lists(st.integers(min_value=-5 * 10**6, max_value=5 * 10**8), min_size=12, max_size=12)
cost_amounts = st.lists(st.integers(min_value=-10**6, max_value=3 * 10**8), min_size=12, max_size=12)
methods = st.sampled_from(["查账征收", "核定应税所得率", "定期定额"])


def _book(sale_fen: list[int], cost_fen: list[int], start: int):
    """One sale and one expense per month from ``start`` (amounts in 分, via 元 text)."""
    s = sales(*((dt.date(2026, m, 10), _yuan(a)) for m, a in zip(range(1, 13), sale_fen) if m >= start))
    e = expenses(*((dt.date(2026, m, 12), "进货成本", _yuan(a))
                   for m, a in zip(range(1, 13), cost_fen) if m >= start and a))
    return s, e


def _yuan(fen: int) -> str:
    sign, fen = ("-" if fen < 0 else ""), abs(fen)
    return f"{sign}{fen // 100}.{fen % 100:02d}"


@settings(max_examples=60, deadline=None)
@given(month_amounts, cost_amounts, st.integers(min_value=1, max_value=12), methods,
       st.sampled_from(["按季", "按月"]), flags, flags,
       st.decimals(min_value=Decimal("0.01"), max_value=Decimal("0.5"), places=2))
def test_the_year_adds_up_and_money_is_int(sale_fen, cost_fen, start, method, period, other,
                                           include_vat, rate):
    s, e = _book(sale_fen, cost_fen, start)
    st_ = Settings(vat_period=period, pit_method=method, has_other_income=other,
                   prices_include_vat=include_vat, deemed_profit_rate=rate, fixed_monthly_tax=30000)
    r = compute_tax(s, e, st_, 2026)
    annual = r.annual
    # Every money figure is a plain int (never float, Decimal or a numpy scalar) or blank.
    for row in r.rows:
        for key in MONEY_FIELDS:
            value = getattr(row, key)
            assert value is None or type(value) is int, (key, value)
        if row.kind == "period":
            assert row.tax_due >= 0
    # The periods' 本期应补 plus the 汇算 amount on the annual row = the year's tax after relief.
    owed = annual.cum_tax - (annual.cum_relief or 0)
    paid = sum(row.tax_due for row in r.periods)
    assert paid == annual.cum_prepaid
    assert paid + annual.tax_due == owed
    # When no period was floored, the periods alone add up and nothing is left to settle.
    if not any("pit.floored" in row.flags for row in r.periods):
        assert paid == owed and annual.tax_due == 0
    # The annual row's VAT columns are the sums of the periods'.
    for key in ("gross_sales", "net_sales", "vat", "urban_tax", "edu_surcharge", "local_edu_surcharge"):
        assert getattr(annual, key) == sum(getattr(row, key) for row in r.periods)
    # Cumulative income is the running sum of the periods' 不含税销售额.
    assert annual.cum_income == annual.net_sales
