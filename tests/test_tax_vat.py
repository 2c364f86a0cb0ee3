"""增值税 and 附加税费: worked examples computed by hand (the arithmetic is in the comments)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal

import pytest

from sheetbook.model import Settings
from sheetbook.tax import compute_tax, load_rules
from sheetbook.tax.periods import Period, filing_deadline, periods
from sheetbook.tax.vat import net_of_vat, period_vat, surcharge
from tax_helpers import expenses, fen, sales

RULES = load_rules(2026)
Q1 = Period("2026Q1", 2026, 1, 3)
JAN = Period("2026-01", 2026, 1, 1)


def _rules(**vat_or_surcharge):
    """RULES with some VAT or surcharge fields replaced."""
    vat = {k: v for k, v in vat_or_surcharge.items() if hasattr(RULES.vat, k)}
    sur = {k: v for k, v in vat_or_surcharge.items() if hasattr(RULES.surcharges, k)}
    return dataclasses.replace(RULES, vat=dataclasses.replace(RULES.vat, **vat),
                               surcharges=dataclasses.replace(RULES.surcharges, **sur))


def _q1(gross: str, rules=RULES, location="市区", include_vat=True):
    return period_vat(Q1, fen(gross), location, include_vat, rules)


def test_just_below_the_quarterly_threshold():
    # 含税 302,999.99 ÷ 1.01 = 299,999.990099… → 299,999.99 < 300,000: not reached, no VAT.
    v = _q1("302999.99")
    assert v.net_sales == fen("299999.99")
    assert not v.reached
    assert (v.vat, v.urban_tax, v.edu_surcharge, v.local_edu_surcharge) == (0, 0, 0, 0)
    # |299,999.99 − 300,000| = 0.01 ≤ 1% × 300,000 = 3,000: flagged as near the threshold.
    assert v.near_threshold and not v.at_threshold


def test_exactly_at_the_threshold_is_reached_by_default():
    # 含税 303,000.00 ÷ 1.01 = 300,000.00 exactly; threshold_inclusive = true → reached.
    v = _q1("303000.00")
    assert v.net_sales == fen("300000.00") and v.reached and v.at_threshold
    # VAT on the WHOLE amount: 300,000.00 × 1% = 3,000.00.
    assert v.vat == fen("3000.00")
    # 城建税 3,000.00 × 7% × 50% = 105.00.
    assert v.urban_tax == fen("105.00")
    # 财税〔2016〕12号 (≤ 30万 a quarter) exempts the education surcharges at exactly 30万.
    assert (v.edu_surcharge, v.local_edu_surcharge) == (0, 0) and v.edu_exempt


def test_exactly_at_the_threshold_with_the_switch_off_is_not_reached():
    # threshold_inclusive = false (the old 含本数 reading): 300,000.00 is not > 300,000.00.
    v = _q1("303000.00", _rules(threshold_inclusive=False))
    assert not v.reached and v.vat == 0 and v.at_threshold


def test_at_the_threshold_without_the_education_exemption():
    # education_exemption = false: 教育费附加 3,000 × 3% × 50% = 45.00; 地方 3,000 × 2% × 50% = 30.00.
    v = _q1("303000.00", _rules(education_exemption=False))
    assert (v.urban_tax, v.edu_surcharge, v.local_edu_surcharge) == (
        fen("105.00"), fen("45.00"), fen("30.00"))
    assert not v.edu_exempt


def test_just_above_the_threshold():
    # 含税 303,000.01 ÷ 1.01 = 300,000.0099… → 300,000.01 ≥ 300,000: reached.
    v = _q1("303000.01")
    assert v.net_sales == fen("300000.01") and v.reached and not v.at_threshold
    # VAT 300,000.01 × 1% = 3,000.0001 → 3,000.00; above 30万 the 12号 exemption is gone:
    # 城建 105.00, 教育 3,000 × 1.5% = 45.00, 地方 3,000 × 1% = 30.00.
    assert v.vat == fen("3000.00")
    assert (v.urban_tax, v.edu_surcharge, v.local_edu_surcharge) == (
        fen("105.00"), fen("45.00"), fen("30.00"))


def test_far_from_the_threshold_is_not_flagged():
    # 296,999.99 ÷ 1.01 → 294,059.40: 5,940.60 below 30万, more than 1% (3,000) away.
    assert not _q1("296999.99").near_threshold
    # 1% band on the other side: 303,000.00 net (= 306,030.00 含税) is exactly 3,000 above.
    assert _q1("306030.00").near_threshold and not _q1("306030.02").near_threshold


@pytest.mark.parametrize("location, urban", [
    # VAT 3,123.00 (net 312,300.00): 3,123.00 × 7% × 50% = 109.305 → 109.31 (half-up);
    ("市区", "109.31"),
    # × 5% × 50% = 78.075 → 78.08 (half-up);
    ("县城镇", "78.08"),
    # × 1% × 50% = 15.615 → 15.62 (half-up).
    ("其他", "15.62"),
])
def test_surcharges_by_location_round_half_up(location, urban):
    # prices_include_vat = 否: 不含税 = the 销售 amounts themselves = 312,300.00.
    v = _q1("312300.00", location=location, include_vat=False)
    assert v.net_sales == fen("312300.00") and v.gross_sales == fen("312300.00")
    assert v.vat == fen("3123.00")
    assert v.urban_tax == fen(urban)
    # 教育费附加 3,123.00 × 3% × 50% = 46.845 → 46.85; 地方教育附加 × 2% × 50% = 31.23.
    assert (v.edu_surcharge, v.local_edu_surcharge) == (fen("46.85"), fen("31.23"))


def test_each_surcharge_is_one_product_rounded_once():
    # VAT 3,123.50 (net 312,350.00): 城建 3,123.50 × 0.035 = 109.3225 → 109.32.
    # Rounding after each factor would give 3,123.50 × 7% = 218.645 → 218.65, × 50% = 109.325
    # → 109.33: one 分 too many.
    v = _q1("312350.00", include_vat=False)
    assert v.vat == fen("3123.50")
    assert v.urban_tax == fen("109.32")
    # 地方教育附加 3,123.50 × 2% × 50% = 31.235 → 31.24 (half-up).
    assert v.local_edu_surcharge == fen("31.24")
    # The same on a tiny amount: 1.50 × 0.035 = 0.0525 → 0.05 (twice-rounded: 0.11 × 0.5 → 0.06).
    assert surcharge(150, Decimal("0.07"), Decimal("0.5")) == 5


def test_prices_include_vat_no_keeps_the_amounts():
    # 设置 销售额含税 = 否: 300,000.00 typed is 300,000.00 不含税 → reached, VAT 3,000.00.
    assert net_of_vat(fen("300000.00"), False, RULES) == fen("300000.00")
    v = _q1("300000.00", include_vat=False)
    assert v.reached and v.vat == fen("3000.00")
    # The same typed amount with prices including VAT: 300,000 ÷ 1.01 = 297,029.70, not reached.
    assert _q1("300000.00").vat == 0


def test_a_monthly_filer():
    settings = Settings(vat_period="按月")
    result = compute_tax(sales(
        ("2026-01-10", "101000.00"),       # ÷ 1.01 = 100,000.00: reached at exactly 10万
        ("2026-02-10", "101000.01"),       # ÷ 1.01 = 100,000.0099 → 100,000.01
        ("2026-03-10", "100000.00"),       # ÷ 1.01 = 99,009.90: below 10万
        ("2026-03-20", "2000.00"),         # …
        ("2026-03-21", "-2000.00"),        # … and its return: nets to nothing
    ), expenses(), settings, 2026)
    jan, feb, mar = result.periods[:3]
    assert [r.period for r in result.periods] == [f"2026-{m:02d}" for m in range(1, 13)]
    # Jan: VAT 1,000.00; 城建 1,000 × 3.5% = 35.00; 12号 (≤ 10万/month) exempts the rest.
    assert (jan.net_sales, jan.threshold_reached, jan.vat) == (fen("100000.00"), True, fen("1000.00"))
    assert (jan.urban_tax, jan.edu_surcharge, jan.local_edu_surcharge) == (fen("35.00"), 0, 0)
    # Feb: 100,000.01 × 1% = 1,000.0001 → 1,000.00; 教育 15.00, 地方 10.00.
    assert (feb.vat, feb.urban_tax, feb.edu_surcharge, feb.local_edu_surcharge) == (
        fen("1000.00"), fen("35.00"), fen("15.00"), fen("10.00"))
    assert (mar.gross_sales, mar.net_sales, mar.vat) == (fen("100000.00"), fen("99009.90"), 0)
    assert jan.deadline == dt.date(2026, 2, 15) and result.periods[-1].deadline == dt.date(2027, 1, 15)
    # The same sales filed quarterly: 302,000.01 ÷ 1.01 = 299,009.9109… → 299,009.91 < 30万:
    # no VAT at all (but within 1% of it, so flagged).
    quarterly = compute_tax(sales(("2026-01-10", "101000.00"), ("2026-02-10", "101000.01"),
                                  ("2026-03-10", "100000.00")), expenses(), Settings(), 2026)
    q1 = quarterly.periods[0]
    assert q1.net_sales == fen("299009.91") and q1.vat == 0 and "vat.near_threshold" in q1.flags


def test_sales_count_in_the_period_of_their_date():
    result = compute_tax(sales(("2026-03-31", "100.00"), ("2026-04-01", "200.00"),
                               ("2025-12-31", "999.00"), ("2027-01-01", "999.00")),
                         expenses(), Settings(), 2026)
    assert [r.gross_sales for r in result.periods] == [fen("100.00"), fen("200.00"), 0, 0]
    # 100.00 ÷ 1.01 = 99.0099 → 99.01; 200.00 ÷ 1.01 = 198.0198 → 198.02.
    assert [r.net_sales for r in result.periods[:2]] == [fen("99.01"), fen("198.02")]


def test_quarterly_deadlines_and_labels():
    plan = periods(2026, "按季")
    assert [p.label for p in plan] == ["2026Q1", "2026Q2", "2026Q3", "2026Q4"]
    assert [filing_deadline(p, RULES.deadlines)[0] for p in plan] == [
        dt.date(2026, 4, 15), dt.date(2026, 7, 15), dt.date(2026, 10, 15), dt.date(2027, 1, 15)]
    assert plan[0].end == dt.date(2026, 3, 31) and plan[3].end == dt.date(2026, 12, 31)
    assert JAN.end == dt.date(2026, 1, 31) and not JAN.quarterly
