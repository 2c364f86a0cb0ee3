"""The 待处理 checks: credit limit, frozen customers, duplicate payments, confirmations,
long-unconfirmed receivables, status rule."""

from __future__ import annotations

import pandas as pd

from reconcile_helpers import codes, confirmations, customers, payments, receivable, run, sales
from sheetbook.reconcile.exceptions import CATALOG, add_years, make
from sheetbook.reconcile.job import status


def sale(day: str, no: str, amount: object, cust: str = "C1") -> dict:
    return {"date": day, "invoice_no": no, "customer_id": cust, "amount": amount}


def only(result, code: str):
    found = [f for f in result.exceptions if f.code == code]
    assert len(found) == 1, codes(result)
    return found[0]


def test_sale_that_takes_the_customer_over_its_limit():
    cust = customers([{"customer_id": "C1", "name": "张三", "credit_limit": 1000}])
    r = run(cust, sales([sale("2026-01-05", "S1", 800), sale("2026-01-06", "S2", 500)]),
            as_of="2026-01-31")
    f = only(r, "sales.over_limit")
    assert (f.sheet, f.row, f.column, f.amount) == ("sales", 3, "amount", 30000)
    assert "S2" in f.detail_zh and "1,300.00" in f.detail_zh and "1,000.00" in f.detail_en
    rec = receivable(r, "C1")
    assert (rec["over_limit"], rec["status"]) == (30000, "超额度")


def test_same_day_payment_at_the_counter_clears_the_limit():
    cust = customers([{"customer_id": "C1", "name": "张三", "credit_limit": 1000}])
    r = run(cust, sales([sale("2026-01-05", "S1", 1500)]),
            payments([{"date": "2026-01-05", "customer_id": "C1", "amount": 600}]))
    assert "sales.over_limit" not in codes(r)


def test_blank_limit_is_no_limit_and_zero_limit_is_cash_only():
    cust = customers([{"customer_id": "C1", "name": "张三"},
                      {"customer_id": "C2", "name": "李四", "credit_limit": 0}])
    r = run(cust, sales([sale("2026-01-05", "S1", 10**6), sale("2026-01-05", "S2", 1, "C2")]))
    assert only(r, "sales.over_limit").customer_id == "C2"
    assert pd.isna(receivable(r, "C1")["credit_limit"])


def test_sale_to_a_frozen_customer_but_not_a_return():
    cust = customers([{"customer_id": "C1", "name": "张三", "credit_status": "冻结"}])
    r = run(cust, sales([sale("2026-01-05", "S1", 100), sale("2026-01-06", "R1", -100)]))
    f = only(r, "sales.frozen_customer")
    assert (f.row, f.column, f.amount) == (2, "customer_id", 10000)
    assert receivable(r, "C1")["status"] == "冻结"


def test_suspected_duplicate_payments():
    cust = customers([{"customer_id": "C1", "name": "张三"}])
    r = run(cust, None, payments([
        {"date": "2026-01-05", "customer_id": "C1", "amount": 100},
        {"date": "2026-01-05", "customer_id": "C1", "amount": 100},          # dup of row 2
        {"date": "2026-01-06", "customer_id": "C1", "amount": 100, "txn_id": "T1"},
        {"date": "2026-01-06", "customer_id": "C1", "amount": 100, "txn_id": "T2"},  # distinct
        {"date": "2026-01-07", "customer_id": "C1", "amount": 70},           # dup of row 7
        {"date": "2026-01-07", "customer_id": "C1", "amount": 70, "txn_id": "T3"},
    ]))
    dups = [(f.row, f.detail_zh) for f in r.exceptions if f.code == "payment.duplicate"]
    assert [row for row, _ in dups] == [3, 6]
    assert "第 2 行" in dups[0][1] and "第 7 行" in dups[1][1]


def test_confirmation_difference_shows_both_figures():
    cust = customers([{"customer_id": "C1", "name": "张三"}])
    r = run(cust, sales([sale("2026-01-05", "S1", 600), sale("2026-02-05", "S2", 50)]),
            conf=confirmations([{"customer_id": "C1", "as_of": "2026-01-31",
                                 "confirmed_on": "2026-02-10", "confirmed_balance": 500}]),
            as_of="2026-03-31")
    f = only(r, "confirmation.difference")
    assert (f.sheet, f.row, f.column, f.amount) == ("confirmations", 2, "confirmed_balance", 10000)
    assert "500.00" in f.detail_zh and "600.00" in f.detail_zh
    rec = receivable(r, "C1")
    assert rec["confirm_diff"] == 10000
    assert rec["last_confirmed"] == pd.Timestamp("2026-02-10")


def test_matching_confirmation_is_quiet_and_latest_decides_the_diff():
    cust = customers([{"customer_id": "C1", "name": "张三"}])
    r = run(cust, sales([sale("2026-01-05", "S1", 600)]),
            conf=confirmations([
                {"customer_id": "C1", "as_of": "2026-01-04", "confirmed_balance": 1},
                {"customer_id": "C1", "as_of": "2026-01-31", "confirmed_balance": 600},
                {"customer_id": "C1", "as_of": "2027-01-31", "confirmed_balance": 9}]))
    assert codes(r) == ["confirmation.difference"]  # the 2026-01-04 one; 2027 is after as-of
    assert receivable(r, "C1")["confirm_diff"] == 0


def test_disputed_statement():
    cust = customers([{"customer_id": "C1", "name": "张三"}])
    r = run(cust, conf=confirmations([{"customer_id": "C1", "as_of": "2026-01-31",
                                       "result": "不符", "notes": "少记一笔退货"}]))
    assert "少记一笔退货" in only(r, "confirmation.disputed").detail_zh


def test_no_confirmation_for_more_than_two_years():
    cust = customers([{"customer_id": "C1", "name": "张三"}, {"customer_id": "C2", "name": "李四"},
                      {"customer_id": "C3", "name": "王五"}])
    r = run(cust, sales([sale("2023-11-01", "S1", 100), sale("2023-11-01", "S2", 100, "C2"),
                         sale("2023-11-01", "S3", 100, "C3")]),
            conf=confirmations([{"customer_id": "C2", "as_of": "2024-12-31",
                                 "sent_on": "2025-01-05"},
                                {"customer_id": "C3", "as_of": "2023-12-31",
                                 "sent_on": "2024-01-05", "confirmed_on": "2024-01-10"}]),
            as_of="2026-03-31")
    found = {f.customer_id: f for f in r.exceptions if f.code == "customer.no_confirmation"}
    assert sorted(found) == ["C1", "C3"]
    assert found["C1"].sheet == "customers" and found["C1"].row == 2
    assert "2023-11-01" in found["C1"].detail_zh and "2026-11-01" in found["C1"].detail_zh
    assert "2024-01-10" in found["C3"].detail_zh and "2027-01-10" in found["C3"].detail_en


def test_add_years_leap_day():
    assert str(add_years(pd.Timestamp("2024-02-29").date(), 2)) == "2026-02-28"


def test_status_rule_order():
    assert status("冻结", 5, 5, True, 0) == "冻结"
    assert status("正常", 5, 5, True, 0) == "超额度"
    assert status("关注", 0, 5, True, 0) == "逾期"
    assert status("正常", 0, 0, True, 9) == "未到期"
    assert status("正常", 0, 0, False, 9) == "预收"
    assert status("正常", 0, 0, False, 0) == "已结清"


def test_every_code_renders_in_both_languages():
    for code in CATALOG:
        f = make(code, "payments", 5, "amount", "C1", 1234, payer="x", near="", near_en="",
                 candidates="a", candidates_en="a", customer="C1", score="95", invoice="S1",
                 other="C2", refund=100, credit=50, as_of="2026-01-31", invoice_amount=1,
                 balance=2, limit=1, theirs=1, ours=2, diff=1, notes="n", since="2024-01-01",
                 basis="b", basis_en="b", deadline="2027-01-01", payer_en="x")
        assert f.type_zh and f.type_en and f.detail_zh and f.detail_en
        assert "{" not in f.detail_zh + f.detail_en
