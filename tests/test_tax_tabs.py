"""The 税务 tab, its ``--json`` twin, and the job run on a book."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json

import pandas as pd

from sheetbook.layout import BANNER, RESULT_TABS_BY_KEY
from sheetbook.model import Settings, SheetInfo
from sheetbook.tax import compute_tax, load_rules, tax_book, tax_json, tax_tabs
from tax_helpers import book, expenses, fen, monthly_sales, sales

RUN_AT = dt.datetime(2026, 7, 1, 9, 30)
RULES = load_rules(2026)


def _result(settings: Settings | None = None):
    # Q1 含税 303,000.00 → 300,000.00 exactly at the threshold (warning); Q2 60,600 → 60,000.
    return compute_tax(sales(("2026-01-15", "303000.00"), ("2026-04-15", "60600.00")),
                       expenses(("2026-02-01", "房租", "6000")), settings or Settings(), 2026)


def test_the_tab_has_exactly_the_contract_columns_in_both_languages():
    for lang in ("zh", "en"):
        (tab,) = tax_tabs(_result(), None, lang, RUN_AT)
        assert [c.header for c in tab.columns] == RESULT_TABS_BY_KEY["tax"].headers(lang)
    (tab,) = tax_tabs(_result(), None, "zh", RUN_AT)
    assert tab.key == "tax" and tab.name == "税务"
    assert tab.columns[0].header == "期间" and tab.columns[-1].header == "依据"


def test_rows_styles_and_cells():
    (tab,) = tax_tabs(_result(), None, "zh", RUN_AT)
    recs = tab.as_records()
    assert [r["period"] for r in recs] == ["2026Q1", "2026Q2", "2026Q3", "2026Q4", "2026全年"]
    assert tab.row_styles == {0: "warning", 4: "total"}
    q1 = recs[0]
    assert (q1["threshold_reached"], q1["vat"], q1["urban_tax"]) == ("是", fen(3000), fen(105))
    assert q1["deadline"] == dt.date(2026, 4, 15)
    assert recs[1]["threshold_reached"] == "否" and recs[4]["threshold_reached"] == ""
    assert "2026年第10号" in q1["basis"] and "2023年第12号" in q1["basis"]
    assert "个人所得税法第十二条" in q1["basis"] and "未按节假日顺延" in q1["basis"]
    for rec in recs:
        for col in tab.columns:
            if col.kind == "money" and rec[col.key] is not None:
                assert type(rec[col.key]) is int, (col.key, rec[col.key])


def test_the_banner_says_these_are_estimates():
    (tab,) = tax_tabs(_result(), None, "zh", RUN_AT)
    assert tab.banner.startswith(BANNER["zh"])
    assert "估算" in tab.banner and "电子税务局" in tab.banner and "cn-2026" in tab.banner
    assert "2026-07-01 09:30" in tab.banner
    (en,) = tax_tabs(_result(), None, "en", RUN_AT)
    assert en.banner.startswith(BANNER["en"]) and "estimates" in en.banner
    assert "e-Tax Bureau" in en.banner


def test_the_english_tab():
    (tab,) = tax_tabs(_result(), None, "en", RUN_AT)
    recs = tab.as_records()
    assert recs[0]["threshold_reached"] == "Yes" and recs[1]["threshold_reached"] == "No"
    assert recs[-1]["period"] == "2026 full year"
    assert "MOF/STA Announcement 2026 No. 10" in recs[0]["basis"]


def test_json_has_money_as_yuan_strings():
    doc = tax_json(_result())
    json.dumps(doc, ensure_ascii=False)  # serialisable as is
    q1, annual = doc["rows"][0], doc["rows"][-1]
    assert list(q1)[:20] == [c.key for c in RESULT_TABS_BY_KEY["tax"].columns]
    assert (q1["gross_sales"], q1["net_sales"], q1["vat"]) == ("303000.00", "300000.00", "3000.00")
    assert q1["urban_tax"] == "105.00" and q1["edu_surcharge"] == "0.00"
    assert q1["threshold_reached"] is True and q1["deadline"] == "2026-04-15"
    assert q1["rate"] == "0.20" and "vat.at_threshold" in q1["flags"]
    assert annual["period"] == "2026全年" and annual["kind"] == "annual"
    assert annual["threshold_reached"] is None and annual["deadline"] == "2027-03-31"
    assert doc["rules"] == {"name": "cn-2026", "valid_from": "2026-01-01", "valid_to": "2027-12-31"}
    assert doc["year"] == 2026 and doc["settings"]["vat_period"] == "按季"


def test_json_negative_and_blank_money():
    # 定期定额 without the amount: income tax is blank (null), not 0.
    doc = tax_json(_result(Settings(pit_method="定期定额")))
    assert doc["rows"][0]["tax_due"] is None and doc["rows"][0]["cum_income"] == "300000.00"
    assert "tax.missing_fixed_tax" in [n["code"] for n in doc["notes"]]
    # A refund at 汇算 is a negative string.
    refund = compute_tax(sales(("2026-01-10", "202000.00")),
                         expenses(("2026-04-10", "进货成本", "150000")), Settings(), 2026)
    assert tax_json(refund)["rows"][-1]["tax_due"] == "-13250.00"


def test_tax_book_uses_valid_rows_and_the_fiscal_year():
    s = sales(("2026-01-15", "1010.00"), ("2026-02-15", "999999.00"))
    s.loc[1, "_ok"] = False  # a row with an error is left out
    b = book(s, settings=Settings(location="县城镇"), year=2026)
    result = tax_book(b)
    assert result.year == 2026 and result.periods[0].gross_sales == fen("1010.00")
    (tab,) = tax_tabs(result, b, None, RUN_AT)
    assert tab.name == "税务" and "销售 1 行因错误未计入" in tab.banner
    assert tax_book(b, 2027).year == 2027


def test_a_book_without_expenses_says_so():
    b = book(sales(("2026-01-15", "1010.00")))
    b.sheets["expenses"] = SheetInfo("expenses")  # absent: no name
    (tab,) = tax_tabs(tax_book(b), b, "zh", RUN_AT)
    assert "没有 支出 表" in tab.banner


def test_holiday_extensions_move_deadlines_when_configured():
    rules = dataclasses.replace(RULES, deadlines=dataclasses.replace(
        RULES.deadlines, holidays={dt.date(2026, 10, 15): dt.date(2026, 10, 23),
                                   dt.date(2027, 3, 31): dt.date(2027, 4, 2)}))
    r = compute_tax(sales(), expenses(), Settings(), 2026, rules)
    q3 = r.periods[2]
    assert q3.deadline == dt.date(2026, 10, 23) and "deadline.extended" in q3.flags
    assert "顺延" in q3.basis_zh and "第一百零九条" in q3.basis_zh
    assert r.periods[1].deadline == dt.date(2026, 7, 15) and "顺延" not in r.periods[1].basis_zh
    assert r.annual.deadline == dt.date(2027, 4, 2)
    assert "tax.no_holidays" not in [n.code for n in r.notes]
    assert "tax.no_holidays" in [n.code for n in compute_tax(sales(), expenses(), Settings(), 2026).notes]


def test_a_general_taxpayer_is_not_estimated():
    r = compute_tax(monthly_sales(2026, ["1000"] * 12), expenses(),
                    Settings(taxpayer_type="一般纳税人"), 2026)
    assert "tax.general_taxpayer" in [n.code for n in r.notes]
    assert all(row.vat is None and row.tax_due is None for row in r.rows)
    assert r.annual.gross_sales == fen(12000)
    (tab,) = tax_tabs(r, None, "zh", RUN_AT)
    assert "一般纳税人" in tab.as_records()[0]["basis"]


def test_an_unknown_location_falls_back_to_the_city_rate_with_a_note():
    r = compute_tax(sales(("2026-01-15", "404000.00")), expenses(), Settings(location="火星"), 2026)
    # 400,000 × 1% = 4,000; × 3.5% = 140.00 (市区).
    assert r.periods[0].urban_tax == fen(140)
    assert "tax.unknown_location" in [n.code for n in r.notes]


def test_input_frames_are_not_modified():
    s, e = sales(("2026-01-15", "100")), expenses(("2026-01-16", "房租", "10"))
    before_s, before_e = s.copy(), e.copy()
    compute_tax(s, e, Settings(), 2026)
    pd.testing.assert_frame_equal(s, before_s)
    pd.testing.assert_frame_equal(e, before_e)
