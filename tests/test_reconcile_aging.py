"""Aging buckets: inclusive upper bounds, 未到期 at 0 days, other bucket lists, credit column."""

from __future__ import annotations

import datetime as dt

import pytest

from reconcile_helpers import customers, payments, run, sales
from sheetbook.reconcile.aging import bucket_headers, bucket_keys, bucket_of, clean_buckets

AS_OF = dt.date(2026, 6, 30)
C1 = customers([{"customer_id": "C1", "name": "张三"}])


def due_in(days_overdue: int) -> str:
    return (AS_OF - dt.timedelta(days=days_overdue)).isoformat()


@pytest.mark.parametrize(("days", "bucket"), [
    (-5, 0), (0, 0), (1, 1), (30, 1), (31, 2), (60, 2), (61, 3), (90, 3), (91, 4), (400, 4)])
def test_bucket_of_inclusive_upper_bounds(days, bucket):
    assert bucket_of(days, (30, 60, 90)) == bucket


def test_buckets_in_the_job():
    overdue = [0, 1, 30, 31, 60, 61, 90, 91, -3]
    rows = [{"date": "2026-01-01", "invoice_no": f"S{i}", "customer_id": "C1", "amount": 1 + i,
             "due_date": due_in(days)} for i, days in enumerate(overdue)]
    r = run(C1, sales(rows), as_of=AS_OF.isoformat())
    (row,) = r.aging.to_dict("records")
    yuan = [100 * (1 + i) for i in range(len(overdue))]
    assert row["not_due"] == yuan[0] + yuan[8]
    assert row["b1"] == yuan[1] + yuan[2]
    assert row["b2"] == yuan[3] + yuan[4]
    assert row["b3"] == yuan[5] + yuan[6]
    assert row["b4"] == yuan[7]
    assert row["total"] == sum(yuan) and row["credit"] == 0
    assert r.receivables["max_days_overdue"].tolist() == [91]


def test_other_bucket_lists_rename_and_resize():
    assert bucket_keys((45, 90)) == ["not_due", "b1", "b2", "b3"]
    assert bucket_headers((45, 90), "zh") == ["未到期", "1-45天", "46-90天", "90天以上"]
    assert bucket_headers((30, 60, 90), "en") == [
        "Not due", "1-30 days", "31-60 days", "61-90 days", "Over 90 days"]
    assert bucket_headers((15, 30, 60, 120), "zh")[-1] == "120天以上"
    rows = [{"date": "2026-01-01", "invoice_no": "S1", "customer_id": "C1", "amount": 5,
             "due_date": due_in(46)}]
    r = run(C1, sales(rows), as_of=AS_OF.isoformat(), buckets=(45, 90))
    assert list(r.aging.columns) == ["customer_id", "name", "not_due", "b1", "b2", "b3", "total",
                                     "credit"]
    assert r.aging["b2"].tolist() == [500]


def test_clean_buckets():
    assert clean_buckets((90, 30, 60, 30)) == (30, 60, 90)
    assert clean_buckets(()) == (30, 60, 90)
    assert clean_buckets((0, -1)) == (30, 60, 90)


def test_credit_has_its_own_negative_column_and_total_is_the_closing_balance():
    cust = customers([{"customer_id": "C1", "name": "张三"}, {"customer_id": "C2", "name": "李四"}])
    r = run(cust, sales([{"date": "2026-06-01", "invoice_no": "S1", "customer_id": "C2",
                          "amount": 100}]),
            payments([{"date": "2026-06-01", "customer_id": "C1", "amount": 250}]),
            as_of=AS_OF.isoformat())
    rows = {x["customer_id"]: x for x in r.aging.to_dict("records")}
    assert rows["C1"]["credit"] == -25000 and rows["C1"]["total"] == -25000
    assert rows["C2"]["b1"] == 10000 and rows["C2"]["total"] == 10000
    assert r.aging["customer_id"].tolist() == ["C2", "C1"]  # largest total first
    assert r.totals["total"] == r.totals["closing"] == -15000
