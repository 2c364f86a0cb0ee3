"""经营所得 cumulative prepayments: worked examples computed by hand (arithmetic in comments).

Unless a test says otherwise: 按季, 查账征收, no 综合所得, sales typed VAT-inclusive, 市区.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal

from sheetbook.model import Settings
from sheetbook.tax import compute_tax, load_rules
from sheetbook.tax.pit import relief, table_tax
from tax_helpers import expenses, fen, monthly_sales, sales

RULES = load_rules(2026)


def _year_of_expenses():
    """Each month: 进货成本 20,000 + 房租 3,000 (deductible), 个人消费 1,000 (not deductible)."""
    rows = []
    for m in range(1, 13):
        day = dt.date(2026, m, 20)
        rows += [(day, "进货成本", "20000"), (day, "房租", "3000"), (day, "个人消费", "1000")]
    return expenses(*rows)


# 50,500.00 含税 a month → 151,500.00 a quarter ÷ 1.01 = 150,000.00 不含税: below 30万, no VAT.
STEADY = monthly_sales(2026, ["50500.00"] * 12)


def _due(result):
    return [r.tax_due for r in result.periods]


def test_a_full_year_of_cumulative_prepayments():
    r = compute_tax(STEADY, _year_of_expenses(), Settings(), 2026)
    q1, q2, q3, q4 = r.periods
    # Q1: 收入 150,000; 成本 3 × 23,000 = 69,000; 减除 3 × 5,000 = 15,000; 所得 66,000
    #     → 10%: 6,600 − 1,500 = 5,100; 减免 50% = 2,550; 应补 2,550.
    assert (q1.cum_income, q1.cum_costs, q1.cum_deduction, q1.cum_taxable) == (
        fen(150000), fen(69000), fen(15000), fen(66000))
    assert (q1.rate, q1.quick_deduction, q1.cum_tax, q1.cum_relief) == (
        Decimal("0.10"), fen(1500), fen(5100), fen(2550))
    assert (q1.cum_prepaid, q1.tax_due) == (0, fen(2550))
    # Q2: 300,000 − 138,000 − 30,000 = 132,000 → 20%: 26,400 − 10,500 = 15,900; 减免 7,950;
    #     已预缴 2,550 → 应补 5,400.
    assert (q2.cum_taxable, q2.cum_tax, q2.cum_relief, q2.cum_prepaid, q2.tax_due) == (
        fen(132000), fen(15900), fen(7950), fen(2550), fen(5400))
    # Q3: 450,000 − 207,000 − 45,000 = 198,000 → 39,600 − 10,500 = 29,100; 减免 14,550;
    #     已预缴 7,950 → 6,600.
    assert (q3.cum_taxable, q3.cum_tax, q3.cum_relief, q3.tax_due) == (
        fen(198000), fen(29100), fen(14550), fen(6600))
    # Q4: 600,000 − 276,000 − 60,000 = 264,000 → 52,800 − 10,500 = 42,300; 减免 21,150;
    #     已预缴 14,550 → 6,600.
    assert (q4.cum_taxable, q4.cum_tax, q4.cum_relief, q4.cum_prepaid, q4.tax_due) == (
        fen(264000), fen(42300), fen(21150), fen(14550), fen(6600))
    # Year: 2,550 + 5,400 + 6,600 + 6,600 = 21,150 = 42,300 − 21,150; nothing left to settle.
    a = r.annual
    assert a.period == "2026全年" and a.kind == "annual"
    assert (a.cum_prepaid, a.tax_due) == (fen(21150), 0)
    assert sum(_due(r)) == a.cum_tax - a.cum_relief
    assert a.deadline == dt.date(2027, 3, 31)
    assert (a.gross_sales, a.net_sales, a.vat) == (fen(606000), fen(600000), 0)
    assert not any("pit.floored" in row.flags for row in r.rows)


def test_with_other_income_there_is_no_basic_deduction():
    r = compute_tax(STEADY, _year_of_expenses(), Settings(has_other_income=True), 2026)
    q1, q4 = r.periods[0], r.periods[3]
    # Q1: 150,000 − 69,000 − 0 = 81,000 → 8,100 − 1,500 = 6,600; 减免 3,300.
    assert (q1.cum_deduction, q1.cum_taxable, q1.cum_tax, q1.tax_due) == (
        0, fen(81000), fen(6600), fen(3300))
    # Q4: 600,000 − 276,000 = 324,000 → 30%: 97,200 − 40,500 = 56,700; 减免 28,350.
    assert (q4.cum_taxable, q4.rate, q4.cum_tax, q4.cum_relief) == (
        fen(324000), Decimal("0.30"), fen(56700), fen(28350))
    assert sum(_due(r)) == fen(28350) and r.annual.tax_due == 0
    assert "有综合所得" in q1.basis_zh


def test_the_halving_covers_only_the_first_two_million():
    # One sale in January, typed without VAT: 3,015,000.00. Q1 所得 3,015,000 − 15,000 = 3,000,000.
    r = compute_tax(sales(("2026-01-05", "3015000.00")), expenses(),
                    Settings(prices_include_vat=False), 2026)
    q1 = r.periods[0]
    # 3,000,000 × 35% − 65,500 = 984,500.
    assert (q1.cum_taxable, q1.rate, q1.cum_tax) == (fen(3000000), Decimal("0.35"), fen(984500))
    # 减免 = 984,500 × 2,000,000 ÷ 3,000,000 × 50% = 328,166.666… → 328,166.67 (not 984,500 / 2).
    assert q1.cum_relief == fen("328166.67")
    assert q1.tax_due == fen("656333.33")
    # VAT: 3,015,000 × 1% = 30,150; 城建 × 3.5% = 1,055.25; 教育 × 1.5% = 452.25; 地方 301.50.
    assert (q1.vat, q1.urban_tax, q1.edu_surcharge, q1.local_edu_surcharge) == (
        fen(30150), fen("1055.25"), fen("452.25"), fen("301.50"))
    # Later quarters add 15,000 of deductions each and no income: the cumulative tax falls, so
    # nothing more is prepaid (floored at 0) and the excess is refunded at 汇算.
    assert _due(r)[1:] == [0, 0, 0]
    assert all("pit.floored" in p.flags for p in r.periods[1:])
    a = r.annual
    # Year: 所得 3,015,000 − 60,000 = 2,955,000; 税 2,955,000 × 35% − 65,500 = 968,750;
    # 减免 968,750 × 2,000,000 ÷ 2,955,000 × 50% = 327,834.179… → 327,834.18.
    assert (a.cum_taxable, a.cum_tax, a.cum_relief) == (fen(2955000), fen(968750), fen("327834.18"))
    # 汇算: 968,750 − 327,834.18 − 656,333.33 = −15,417.51 (a refund).
    assert a.tax_due == fen("-15417.51") and "可退" in a.basis_zh
    assert sum(_due(r)) + a.tax_due == a.cum_tax - a.cum_relief


def test_relief_at_and_below_two_million_is_half_the_tax():
    # 2,000,000 × 35% − 65,500 = 634,500 → 减免 317,250.
    tax, _, _ = table_tax(fen(2000000), RULES.pit)
    assert tax == fen(634500) and relief(tax, fen(2000000), RULES.pit) == fen(317250)
    # An odd 分 rounds half-up: tax 0.05 → 减免 0.025 → 0.03.
    assert relief(5, 100, RULES.pit) == 3
    assert relief(0, 0, RULES.pit) == 0


def test_deemed_profit_rate():
    settings = Settings(pit_method="核定应税所得率", deemed_profit_rate=Decimal("0.10"))
    r = compute_tax(STEADY, _year_of_expenses(), settings, 2026)
    q1, q2, q3, q4 = r.periods
    # No costs and no 减除费用: 所得 = 收入 × 10%.
    # Q1: 150,000 × 10% = 15,000 → 5%: 750; 减免 375; 应补 375.
    assert (q1.cum_costs, q1.cum_deduction) == (None, None)
    assert (q1.cum_taxable, q1.cum_tax, q1.cum_relief, q1.tax_due) == (
        fen(15000), fen(750), fen("375"), fen(375))
    # Q2: 30,000 (the top of the 5% bracket, inclusive) → 1,500; 减免 750; 应补 375.
    assert (q2.cum_taxable, q2.rate, q2.cum_tax, q2.tax_due) == (
        fen(30000), Decimal("0.05"), fen(1500), fen(375))
    # Q3: 45,000 → 10%: 4,500 − 1,500 = 3,000; 减免 1,500; 已预缴 750 → 750.
    assert (q3.cum_tax, q3.tax_due) == (fen(3000), fen(750))
    # Q4: 60,000 → 6,000 − 1,500 = 4,500; 减免 2,250; 已预缴 1,500 → 750.
    assert (q4.cum_tax, q4.cum_relief, q4.tax_due) == (fen(4500), fen(2250), fen(750))
    assert sum(_due(r)) == fen(2250) and r.annual.tax_due == 0
    assert "核定应税所得率 10%" in q1.basis_zh


def test_deemed_profit_rate_missing_leaves_income_tax_blank():
    r = compute_tax(STEADY, expenses(), Settings(pit_method="核定应税所得率"), 2026)
    assert all(row.tax_due is None and row.cum_tax is None for row in r.rows)
    assert r.periods[0].vat == 0  # VAT is still estimated
    assert "tax.missing_deemed_rate" in [n.code for n in r.notes]


def test_fixed_quota_and_a_period_over_quota():
    settings = Settings(pit_method="定期定额", fixed_monthly_tax=fen(300))
    # Q1: 404,000.00 含税 ÷ 1.01 = 400,000.00 > the 30万 quota (× (1 + 0)): over quota.
    r = compute_tax(sales(("2026-01-05", "404000.00"), ("2026-05-01", "1000.00")), expenses(),
                    settings, 2026)
    q1, q2 = r.periods[:2]
    # 本期应补 = 300 × 3 months = 900 each quarter; no table, no relief (the 定额 is final).
    assert [row.tax_due for row in r.periods] == [fen(900)] * 4
    assert (q1.cum_tax, q1.cum_relief, q1.cum_taxable, q1.rate) == (fen(900), None, None, None)
    assert (q2.cum_prepaid, q2.cum_tax) == (fen(900), fen(1800))
    assert "pit.over_quota" in q1.flags and "pit.over_quota" not in q2.flags
    assert "超过定额" in q1.basis_zh and "未核实" in q1.basis_zh
    assert (r.annual.cum_tax, r.annual.cum_prepaid, r.annual.tax_due) == (fen(3600), fen(3600), 0)


def test_fixed_quota_over_quota_ratio_is_a_rules_parameter():
    rules = dataclasses.replace(RULES, pit=dataclasses.replace(RULES.pit, over_quota_ratio=Decimal("0.5")))
    settings = Settings(pit_method="定期定额", fixed_monthly_tax=fen(300))
    # 400,000 ≤ 300,000 × 1.5 = 450,000: not flagged with a 50% margin.
    r = compute_tax(sales(("2026-02-01", "404000.00")), expenses(), settings, 2026, rules)
    assert "pit.over_quota" not in r.periods[0].flags


def test_a_year_with_no_sales_is_all_zeros():
    r = compute_tax(sales(), expenses(), Settings(), 2026)
    for row in r.rows:
        assert (row.gross_sales, row.net_sales, row.vat, row.urban_tax, row.cum_income,
                row.cum_taxable, row.cum_tax, row.cum_relief, row.tax_due) == (0,) * 9
    # No entry at all: the 减除费用 counts from January.
    assert r.annual.cum_deduction == fen(60000)
    assert r.annual.cum_prepaid == 0
    # Frames with no columns at all do not crash either.
    import pandas as pd
    assert compute_tax(pd.DataFrame(), pd.DataFrame(), Settings(), 2026).annual.tax_due == 0


def test_a_business_that_starts_mid_year():
    # First entry: a sale on 2026-05-10 (101,000 含税 → 100,000). June: 房租 10,000, a refund of
    # 1,000 on 进货成本 (negative = refund received), 个人消费 5,000 (not deductible).
    r = compute_tax(
        sales(("2026-05-10", "101000.00")),
        expenses(("2026-06-01", "房租", "10000"), ("2026-06-02", "进货成本", "-1000"),
                 ("2026-06-03", "个人消费", "5000")),
        Settings(), 2026)
    q1, q2, q3, q4 = r.periods
    assert (q1.cum_deduction, q1.cum_taxable, q1.tax_due) == (0, 0, 0)
    # Q2: 减除 May + June = 2 × 5,000 = 10,000; 成本 10,000 − 1,000 = 9,000;
    #     所得 100,000 − 9,000 − 10,000 = 81,000 → 8,100 − 1,500 = 6,600; 减免 3,300; 应补 3,300.
    assert (q2.cum_costs, q2.cum_deduction, q2.cum_taxable) == (fen(9000), fen(10000), fen(81000))
    assert (q2.cum_tax, q2.cum_relief, q2.tax_due) == (fen(6600), fen(3300), fen(3300))
    # Q3: 减除 25,000 → 所得 66,000 → 5,100; 减免 2,550; 2,550 − 3,300 < 0 → 0, carried.
    assert (q3.cum_deduction, q3.cum_tax, q3.tax_due) == (fen(25000), fen(5100), 0)
    assert "pit.floored" in q3.flags
    # Q4: 减除 40,000 → 所得 51,000 → 3,600; 减免 1,800 → 0 again.
    assert (q4.cum_deduction, q4.cum_taxable, q4.tax_due) == (fen(40000), fen(51000), 0)
    # 汇算: 3,600 − 1,800 − 3,300 = −1,500 refunded; periods + 汇算 = the year's 1,800.
    a = r.annual
    assert (a.cum_deduction, a.cum_prepaid, a.tax_due) == (fen(40000), fen(3300), fen(-1500))
    assert sum(_due(r)) + a.tax_due == fen(1800)


def test_an_entry_before_the_year_means_the_business_was_running_in_january():
    r = compute_tax(sales(("2025-12-20", "10.00"), ("2026-05-10", "101000.00")), expenses(),
                    Settings(), 2026)
    # 6 months (Jan–Jun) × 5,000 = 30,000 by the end of Q2.
    assert r.periods[1].cum_deduction == fen(30000)


def test_a_mid_year_fixed_quota_counts_months_in_business():
    settings = Settings(pit_method="定期定额", fixed_monthly_tax=fen(300))
    r = compute_tax(sales(("2026-05-10", "100.00")), expenses(), settings, 2026)
    # Q1 nothing; Q2 May + June = 600; Q3, Q4 900 each.
    assert _due(r) == [0, fen(600), fen(900), fen(900)]


def test_a_loss_period_is_floored_and_settled_at_year_end():
    # Q1 profit, Q2 a large purchase: the cumulative income falls below Q1's.
    r = compute_tax(sales(("2026-01-10", "202000.00")),
                    expenses(("2026-04-10", "进货成本", "150000")), Settings(), 2026)
    q1, q2 = r.periods[:2]
    # Q1: 200,000 − 0 − 15,000 = 185,000 → 37,000 − 10,500 = 26,500; 减免 13,250.
    assert (q1.cum_taxable, q1.tax_due) == (fen(185000), fen(13250))
    # Q2: 200,000 − 150,000 − 30,000 = 20,000 → 1,000; 减免 500; 500 − 13,250 < 0 → 0.
    assert (q2.cum_taxable, q2.cum_tax, q2.tax_due) == (fen(20000), fen(1000), 0)
    # Q4: 200,000 − 150,000 − 60,000 < 0 → 0; 汇算 refunds all 13,250.
    assert (r.annual.cum_taxable, r.annual.tax_due) == (0, fen(-13250))
