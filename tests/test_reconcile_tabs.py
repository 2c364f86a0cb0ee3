"""The reconcile result tabs (TabSpec) and the ``--json`` document."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from reconcile_helpers import book, customers, payments, sales
from sheetbook.layout import RESULT_TABS_BY_KEY
from sheetbook.model import Settings
from sheetbook.reconcile import reconcile_book, reconcile_json, reconcile_tabs
from sheetbook.tabspec import Link

#: The contract columns, copied from WORKBOOK.md.
WORKBOOK_ZH = {
    "receivables": ["客户编号", "客户名称", "期初应收", "本期销售", "本期收款", "期末应收",
                    "未核销预收", "信用额度", "超出额度", "最早未结单日期", "最长逾期天数",
                    "最近确认日期", "确认差异", "状态"],
    "allocations": ["收款日期", "收款行", "流水号", "客户编号", "单号", "核销金额", "规则"],
    "aging": ["客户编号", "客户名称", "未到期", "1-30天", "31-60天", "61-90天", "90天以上", "合计"],
    "exceptions": ["类型", "工作表", "单元格", "客户编号", "金额", "说明"],
}
RUN_AT = dt.datetime(2026, 4, 1, 9, 30)


def make_book(lang: str = "zh", **kw):
    cust = customers([
        {"customer_id": "C1", "name": "张三五金店", "credit_limit": 500},
        {"customer_id": "C2", "name": "李四建材", "opening_balance": -100},
        {"customer_id": "C3", "name": "王五", "credit_status": "冻结"},
    ])
    sale = sales([
        {"date": "2026-01-05", "invoice_no": "S1", "customer_id": "C1", "amount": 250},
        {"date": "2026-01-05", "invoice_no": "S1", "customer_id": "C1", "amount": 50},
        {"date": "2026-02-01", "invoice_no": "S2", "customer_id": "C2", "amount": 300},
        {"date": "2026-02-10", "invoice_no": "S3", "customer_id": "C1", "amount": 400},
        {"date": "2026-02-11", "invoice_no": "S4", "customer_id": "C1", "amount": 9, "_ok": False},
    ])
    pay = payments([
        {"date": "2026-01-20", "customer_id": "C1", "amount": 100, "txn_id": "T1"},
        {"date": "2026-02-15", "customer_id": "C2", "amount": 250, "applies_to": "S1"},
        {"date": "2026-03-01", "payer": "陌生人", "amount": 50},
        {"date": "2026-03-02", "customer_id": "C2", "amount": 1, "_ok": False},
        {"date": "2026-03-03", "customer_id": "C2", "amount": 2, "_ok": False},
    ])
    return book({"customers": cust, "sales": sale, "payments": pay}, lang=lang, **kw)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_contract_columns_first_in_both_languages(lang):
    b = make_book(lang)
    tabs = reconcile_tabs(reconcile_book(b, dt.date(2026, 3, 31)), b, lang, RUN_AT)
    assert [t.key for t in tabs] == ["receivables", "allocations", "aging", "exceptions"]
    for tab in tabs:
        expected = (WORKBOOK_ZH[tab.key] if lang == "zh"
                    else RESULT_TABS_BY_KEY[tab.key].headers("en"))
        headers = [c.header for c in tab.columns]
        assert headers[:len(expected)] == expected
        assert tab.name == RESULT_TABS_BY_KEY[tab.key].name(lang)
        assert all(len(row) == len(tab.columns) for row in tab.rows)


def test_english_aging_headers():
    b = make_book("en")
    aging = reconcile_tabs(reconcile_book(b, dt.date(2026, 3, 31)), b, "en")[2]
    assert [c.header for c in aging.columns] == [
        "Customer ID", "Name", "Not due", "1-30 days", "31-60 days", "61-90 days",
        "Over 90 days", "Total", "Credit"]


def test_receivables_total_row_and_styles():
    b = make_book()
    tab = reconcile_tabs(reconcile_book(b, dt.date(2026, 3, 31)), b, "zh", RUN_AT)[0]
    recs = tab.as_records()
    body, total = recs[:-1], recs[-1]
    assert [r["customer_id"] for r in body] == ["C1", "C3", "C2"]  # largest 期末应收 first
    assert total["customer_id"] == "合计"
    for key in ("opening", "sales", "received", "closing", "unapplied", "over_limit"):
        assert total[key] == sum(r[key] for r in body), key
    assert total["closing"] == 60000 - 5000 + 0
    assert tab.row_styles == {0: "warning", 1: "muted", 3: "total"}
    assert body[0]["status"] == "超额度" and body[1]["status"] == "冻结"
    assert body[0]["oldest_open"] == dt.date(2026, 1, 5)


def test_banner_says_as_of_and_rows_left_out():
    b = make_book()
    tab = reconcile_tabs(reconcile_book(b, dt.date(2026, 3, 31)), b, "zh", RUN_AT)[0]
    assert tab.banner.startswith("由 sheetbook 生成")
    assert "2026-04-01 09:30" in tab.banner and "截至 2026-03-31" in tab.banner
    assert "销售 1 行" in tab.banner and "收款 2 行" in tab.banner
    en = reconcile_tabs(reconcile_book(b, dt.date(2026, 3, 31)), b, "en", RUN_AT)[0]
    assert "As of 2026-03-31" in en.banner and "left out because of errors" in en.banner


def test_allocation_links_point_to_the_payment_amount_cell():
    letters = {"payments": {"date": "A", "customer_id": "B", "payer": "C", "amount": "F"}}
    b = make_book("en", letters=letters, names={"payments": "My Payments"})
    tab = reconcile_tabs(reconcile_book(b, dt.date(2026, 3, 31)), b, "en", RUN_AT)[1]
    recs = tab.as_records()
    linked = [r for r in recs if isinstance(r["pay_row"], Link)]
    assert linked and all(r["pay_row"].sheet == "My Payments" for r in linked)
    first = next(r for r in linked if r["customer_id"] == "C1")
    assert (first["pay_row"].text, first["pay_row"].cell) == ("2", "F2")
    assert first["pay_row"].location == "'My Payments'!F2"
    opening = next(r for r in recs if r["source"] == "Opening prepayment")
    assert opening["pay_row"] is None and opening["rule"] == "Credit"


def test_exception_links_and_code_column():
    b = make_book()
    tab = reconcile_tabs(reconcile_book(b, dt.date(2026, 3, 31)), b, "zh", RUN_AT)[3]
    by_code = {r["code"]: r for r in tab.as_records()}
    unmatched = by_code["payer.unmatched"]
    assert unmatched["sheet"] == "收款"
    assert unmatched["cell"] == Link("收款!C4", "收款", "C4")
    other = by_code["payment.other_customer_invoice"]
    assert other["cell"].cell == "G3" and other["customer_id"] == "C2"
    assert by_code["sales.over_limit"]["cell"] == Link("销售!H5", "销售", "H5")


def test_missing_confirmations_sheet_is_said_in_the_exceptions_banner():
    b = make_book(absent=("confirmations",))
    tab = reconcile_tabs(reconcile_book(b, dt.date(2026, 3, 31)), b, "zh", RUN_AT)[3]
    assert "无 对账记录 表" in tab.banner


def test_aging_tab_total_row_chart_and_custom_buckets():
    b = make_book(settings_=Settings(aging_buckets=(45, 90)))
    result = reconcile_book(b, dt.date(2026, 3, 31))
    tab = reconcile_tabs(result, b, "zh", RUN_AT)[2]
    assert [c.header for c in tab.columns] == ["客户编号", "客户名称", "未到期", "1-45天", "46-90天",
                                               "90天以上", "合计", "预收"]
    recs = tab.as_records()
    assert recs[-1]["customer_id"] == "合计" and tab.row_styles == {len(recs) - 1: "total"}
    for key in ("not_due", "b1", "b2", "b3", "total", "credit"):
        assert recs[-1][key] == sum(r[key] for r in recs[:-1])
    assert recs[-1]["total"] == result.totals["closing"]
    (chart,) = tab.charts
    assert chart.kind == "column" and chart.category == "name"
    assert chart.series == ("not_due", "b1", "b2", "b3")
    assert (chart.first_row, chart.last_row) == (0, len(recs) - 2)


def test_reconcile_json():
    b = make_book()
    doc = reconcile_json(reconcile_book(b, dt.date(2026, 3, 31)))
    json.dumps(doc)  # serialisable as is
    assert doc["as_of"] == "2026-03-31" and doc["money"] == "yuan"
    assert doc["totals"]["closing"] == "550.00"
    assert doc["totals"]["unmatched_payments"] == "50.00"
    c1, c2, c3 = doc["customers"]
    assert (c1["customer_id"], c1["closing"], c1["over_limit"], c1["status_en"]) == (
        "C1", "600.00", "100.00", "Over limit")
    assert c1["aging"] == {"not_due": "0.00", "b1": "0.00", "b2": "400.00", "b3": "200.00",
                           "b4": "0.00", "total": "600.00", "credit": "0.00"}
    assert c2["aging"]["credit"] == "-50.00" and c2["unapplied"] == "50.00"
    assert c2["opening"] == "-100.00" and c2["credit_limit"] is None
    assert c1["oldest_open"] == "2026-01-05" and c1["last_confirmed"] is None
    assert doc["exceptions"]["payer.unmatched"] == 1
    assert doc["aging_columns"]["b4"] == {"zh": "90天以上", "en": "Over 90 days"}
    assert doc["counts"]["customers"] == 3


def test_empty_book():
    b = book({})
    result = reconcile_book(b, dt.date(2026, 3, 31))
    assert len(result.receivables) == 0 and len(result.allocations) == 0
    assert result.totals["closing"] == 0 and result.exceptions == ()
    tabs = reconcile_tabs(result, b, "zh", RUN_AT)
    assert [len(t.rows) for t in tabs] == [1, 0, 1, 0]  # the 合计 rows
    assert tabs[2].charts == ()
    assert reconcile_json(result)["customers"] == []
