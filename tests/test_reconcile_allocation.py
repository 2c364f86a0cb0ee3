"""Hand-worked reconciliations: balances, allocations and open items to the 分.

Amounts in the tables are 元; expected figures are 分. Every ``run`` also checks the invariants
(``reconcile_helpers.check_invariants``).
"""

from __future__ import annotations

import pandas as pd

from reconcile_helpers import (
    alloc_rows,
    codes,
    customers,
    d,
    fen,
    open_rows,
    payments,
    receivable,
    run,
    sales,
)
from sheetbook.reconcile.allocation import allocate

A = ("invoice_no", "amount", "rule")
C1 = customers([{"customer_id": "C1", "name": "张三五金店"}])
C12 = customers([{"customer_id": "C1", "name": "张三五金店"},
                 {"customer_id": "C2", "name": "李四建材"}])


def sale(day: str, no: str, amount: object, cust: str = "C1", **kw) -> dict:
    return {"date": day, "invoice_no": no, "customer_id": cust, "amount": amount, **kw}


def pay(day: str, amount: object, cust: str = "C1", **kw) -> dict:
    return {"date": day, "customer_id": cust, "amount": amount, **kw}


def test_partial_payment():
    r = run(C1, sales([sale("2026-01-10", "S1", 1000)]), payments([pay("2026-01-20", 400)]),
            as_of="2026-03-31")
    assert alloc_rows(r, "pay_date", "pay_row", *A) == [("2026-01-20", 2, "S1", 40000, "先进先出")]
    assert open_rows(r) == [("C1", "S1", 60000)]
    rec = receivable(r, "C1")
    assert (rec["sales"], rec["received"], rec["closing"], rec["unapplied"]) == (
        100000, 40000, 60000, 0)
    assert rec["max_days_overdue"] == 80 and rec["status"] == "逾期"
    assert rec["oldest_open"] == pd.Timestamp("2026-01-10")


def test_overpayment_leaves_credit_and_an_exception():
    r = run(C1, sales([sale("2026-01-10", "S1", 1000)]), payments([pay("2026-01-20", 1200)]))
    assert alloc_rows(r, *A) == [("S1", 100000, "先进先出")]
    rec = receivable(r, "C1")
    assert (rec["closing"], rec["unapplied"], rec["status"]) == (-20000, 20000, "预收")
    (f,) = r.exceptions
    assert (f.code, f.sheet, f.row, f.column, f.amount) == (
        "customer.unapplied_credit", "payments", 2, "amount", 20000)
    assert open_rows(r) == []


def test_prepayment_by_negative_opening_balance():
    cust = customers([{"customer_id": "C1", "name": "张三", "opening_balance": -300}])
    r = run(cust, sales([sale("2026-02-01", "S1", 500)]))
    assert alloc_rows(r, "pay_date", "pay_row", "applied_on", *A, "source") == [
        ("2026-01-01", None, "2026-02-01", "S1", 30000, "预收冲抵", "opening")]
    assert open_rows(r) == [("C1", "S1", 20000)]
    assert receivable(r, "C1")["closing"] == 20000


def test_positive_opening_balance_is_the_oldest_item():
    cust = customers([{"customer_id": "C1", "name": "张三", "opening_balance": 300}])
    r = run(cust, sales([sale("2026-01-01", "S1", 500)]), payments([pay("2026-01-02", 400)]),
            as_of="2026-01-31")
    assert alloc_rows(r, "invoice_no", "item_kind", "item_row", "amount") == [
        ("", "opening", 2, 30000), ("S1", "invoice", 2, 10000)]
    assert open_rows(r) == [("C1", "S1", 40000)]


def test_refund_uses_credit_first():
    r = run(C1, None, payments([pay("2026-01-05", 500), pay("2026-01-10", -200)]))
    assert alloc_rows(r, "pay_row", "item_kind", "item_row", "amount", "rule") == [
        (2, "refund", 3, 20000, "预收冲抵")]
    rec = receivable(r, "C1")
    assert (rec["received"], rec["closing"], rec["unapplied"]) == (30000, -30000, 30000)
    assert "payment.refund_no_credit" not in codes(r)


def test_refund_beyond_credit_reopens_as_a_debit_and_is_an_exception():
    r = run(C1, None, payments([pay("2026-01-05", 50), pay("2026-01-10", -200),
                                pay("2026-01-20", 100)]), as_of="2026-01-31")
    assert alloc_rows(r, "pay_row", "item_kind", "amount", "rule") == [
        (2, "refund", 5000, "预收冲抵"), (4, "refund", 10000, "先进先出")]
    assert open_rows(r) == [("C1", "refund", 5000)]
    assert receivable(r, "C1")["closing"] == 5000
    (f,) = [f for f in r.exceptions if f.code == "payment.refund_no_credit"]
    assert (f.row, f.column, f.amount) == (3, "amount", 15000)
    assert "200.00" in f.detail_zh and "50.00" in f.detail_zh


def test_return_pays_open_items():
    r = run(C1, sales([sale("2026-01-10", "S1", 1000),
                       sale("2026-01-15", "R1", None, quantity=-3, unit_price=100)]))
    assert alloc_rows(r, "pay_date", "pay_row", *A, "source", "source_ref") == [
        ("2026-01-15", None, "S1", 30000, "退货冲抵", "return", "R1")]
    assert open_rows(r) == [("C1", "S1", 70000)]
    assert receivable(r, "C1")["sales"] == 70000


def test_return_before_any_sale_is_credit_for_the_next_invoice():
    r = run(C1, sales([sale("2026-01-05", "R1", -300), sale("2026-01-20", "S2", 1000)]))
    assert alloc_rows(r, "applied_on", *A) == [("2026-01-20", "S2", 30000, "退货冲抵")]
    assert open_rows(r) == [("C1", "S2", 70000)]


def test_reference_to_another_customers_invoice_is_not_paid():
    r = run(C12, sales([sale("2026-01-10", "S1", 1000, "C1"), sale("2026-01-11", "S2", 500, "C2")]),
            payments([pay("2026-01-20", 300, "C2", applies_to="S1")]))
    assert alloc_rows(r, "customer_id", *A) == [("C2", "S2", 30000, "先进先出")]
    assert open_rows(r) == [("C1", "S1", 100000), ("C2", "S2", 20000)]
    (f,) = [f for f in r.exceptions if f.code == "payment.other_customer_invoice"]
    assert (f.sheet, f.row, f.column, f.customer_id, f.amount) == (
        "payments", 2, "applies_to", "C2", 30000)
    assert "C1" in f.detail_zh and "S1" in f.detail_en


def test_payment_before_its_invoice_becomes_credit_then_pays_it():
    r = run(C1, sales([sale("2026-01-10", "S1", 800)]), payments([pay("2026-01-05", 500)]))
    assert alloc_rows(r, "pay_date", "pay_row", "applied_on", *A) == [
        ("2026-01-05", 2, "2026-01-10", "S1", 50000, "预收冲抵")]
    assert open_rows(r) == [("C1", "S1", 30000)]


def test_deposit_naming_a_later_invoice_waits_for_it():
    r = run(C1, sales([sale("2026-01-02", "S0", 400), sale("2026-01-10", "S1", 1000)]),
            payments([pay("2026-01-05", 300, applies_to="S1")]))
    assert alloc_rows(r, "applied_on", *A) == [("2026-01-10", "S1", 30000, "单号")]
    assert open_rows(r) == [("C1", "S0", 40000), ("C1", "S1", 70000)]


def test_deposit_is_held_only_up_to_the_named_invoice_amount():
    r = run(C1, sales([sale("2026-01-02", "S0", 400), sale("2026-01-10", "S1", 100)]),
            payments([pay("2026-01-05", 300, applies_to="S1")]))
    assert alloc_rows(r, "applied_on", *A) == [
        ("2026-01-05", "S0", 20000, "先进先出"), ("2026-01-10", "S1", 10000, "单号")]
    assert open_rows(r) == [("C1", "S0", 20000)]


def test_one_payment_several_invoices_oldest_first():
    r = run(C1, sales([sale("2026-01-01", "S1", 100), sale("2026-01-02", "S2", 200),
                       sale("2026-01-03", "S3", 300)]), payments([pay("2026-01-10", 450)]))
    assert alloc_rows(r, *A) == [("S1", 10000, "先进先出"), ("S2", 20000, "先进先出"),
                                 ("S3", 15000, "先进先出")]
    assert open_rows(r) == [("C1", "S3", 15000)]


def test_named_invoices_first_in_the_order_listed_then_oldest():
    r = run(C1, sales([sale("2026-01-01", "S1", 100), sale("2026-01-02", "S2", 200),
                       sale("2026-01-03", "S3", 300)]),
            payments([pay("2026-01-10", 450, applies_to="s3； S1")]))
    assert alloc_rows(r, *A) == [("S3", 30000, "单号"), ("S1", 10000, "单号"),
                                 ("S2", 5000, "先进先出")]


def test_one_invoice_several_payments():
    r = run(C1, sales([sale("2026-01-01", "S1", 1000)]),
            payments([pay("2026-01-05", 300), pay("2026-01-06", 300), pay("2026-01-07", 400)]))
    assert alloc_rows(r, "pay_row", *A) == [(2, "S1", 30000, "先进先出"), (3, "S1", 30000, "先进先出"),
                                            (4, "S1", 40000, "先进先出")]
    rec = receivable(r, "C1")
    assert (rec["closing"], rec["status"]) == (0, "已结清")


def test_sales_come_before_payments_on_the_same_day():
    r = run(C1, sales([sale("2026-01-05", "S1", 100)]),
            payments([pay("2026-01-05", 100, _row=2)]))
    assert alloc_rows(r, *A) == [("S1", 10000, "先进先出")]
    assert receivable(r, "C1")["unapplied"] == 0


def test_same_day_invoices_are_paid_in_natural_invoice_order():
    r = run(C1, sales([sale("2026-01-05", "INV-10", 100), sale("2026-01-05", "INV-9", 100)]),
            payments([pay("2026-01-06", 100)]))
    assert alloc_rows(r, *A) == [("INV-9", 10000, "先进先出")]


def test_invoice_lines_group_by_normalized_number():
    r = run(C1, sales([
        {"date": "2026-01-05", "invoice_no": "s1", "customer_id": "C1", "amount": 100,
         "due_date": "2026-02-04"},
        {"date": "2026-01-05", "invoice_no": "Ｓ1 ", "customer_id": "c1", "amount": 50,
         "due_date": "2026-01-20"}]), as_of="2026-01-31")
    assert open_rows(r) == [("C1", "s1", 15000)]
    assert r.open_items["due_date"].iloc[0] == pd.Timestamp("2026-01-20")
    assert receivable(r, "C1")["max_days_overdue"] == 11


def test_as_of_cuts_later_events():
    r = run(C1, sales([sale("2026-01-10", "S1", 100), sale("2026-02-10", "S2", 100)]),
            payments([pay("2026-01-31", 30), pay("2026-02-01", 50)]), as_of="2026-01-31")
    rec = receivable(r, "C1")
    assert (rec["sales"], rec["received"], rec["closing"]) == (10000, 3000, 7000)
    assert alloc_rows(r, "pay_row", *A) == [(2, "S1", 3000, "先进先出")]


def test_rows_with_errors_are_left_out():
    r = run(C1, sales([sale("2026-01-10", "S1", 100), sale("2026-01-11", "S2", 999, _ok=False)]),
            payments([pay("2026-01-12", 50, _ok=False)]))
    assert receivable(r, "C1")["closing"] == 10000


def test_allocate_on_its_own():
    s = sales([sale("2026-01-10", "S1", fen(12345))])
    p = payments([pay("2026-01-11", fen(345))])
    a = allocate(C1, s, p, d("2026-01-01"), d("2026-12-31"))
    assert a.allocations["amount"].tolist() == [345]
    assert a.open_items["open"].tolist() == [12000]
    assert a.credit == [0] and a.findings == []


def test_customer_without_events_is_settled():
    r = run(C12, sales([sale("2026-01-10", "S1", 100)]))
    rec = receivable(r, "C2")
    assert (rec["closing"], rec["status"], rec["max_days_overdue"]) == (0, "已结清", 0)
    assert pd.isna(rec["oldest_open"])
    assert r.aging["customer_id"].tolist() == ["C1"]


def test_two_deposits_for_one_invoice_hold_no_more_than_it():
    r = run(C1, sales([sale("2026-01-10", "S1", 100)]),
            payments([pay("2026-01-05", 60, applies_to="S1"), pay("2026-01-06", 60, applies_to="S1")]))
    assert alloc_rows(r, "pay_row", *A) == [(2, "S1", 6000, "单号"), (3, "S1", 4000, "单号")]
    assert receivable(r, "C1")["unapplied"] == 2000


def test_refund_before_the_deposit_invoice_uses_the_deposit():
    r = run(C1, sales([sale("2026-01-10", "S1", 300)]),
            payments([pay("2026-01-05", 100, applies_to="S1"), pay("2026-01-06", -80)]))
    assert alloc_rows(r, "pay_row", "item_kind", *A) == [
        (2, "refund", "", 8000, "预收冲抵"), (2, "invoice", "S1", 2000, "单号")]
    assert open_rows(r) == [("C1", "S1", 28000)]
    assert "payment.refund_no_credit" not in codes(r)


def test_blank_applies_to_is_oldest_first():
    r = run(C1, sales([sale("2026-01-01", "S1", 100)]),
            payments([pay("2026-01-10", 40, applies_to="  "), pay("2026-01-11", 10, applies_to="；")]))
    assert alloc_rows(r, *A) == [("S1", 4000, "先进先出"), ("S1", 1000, "先进先出")]
    assert codes(r) == []
