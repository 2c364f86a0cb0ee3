"""Time the reconcile job on a busy shop's year: 100k sales lines, 100k payments, 2,000 customers.

Run: ``python benchmarks/bench_reconcile.py [--sales N] [--payments N] [--customers N]``.
The frames are built synthetically in the :mod:`sheetbook.model` contract (no workbook is read),
so this times the job alone: payer resolution, allocation, aging, checks and the result tabs.
Each payment pays about its share of one invoice (80–120%), from 5 days before to 60 days after it; about 10% of
payments carry no 客户编号 (matched by 付款人 name or alias), 20% name their invoice in 核销单号,
2% are refunds, 3% of invoices are returns.
"""

from __future__ import annotations

import argparse
import datetime as dt
import time
from pathlib import Path

import numpy as np
import pandas as pd

from sheetbook.model import Book, Settings
from sheetbook.reconcile import reconcile, reconcile_json, reconcile_tabs


def frames(n_sales: int, n_pay: int, n_cust: int, seed: int = 1):
    """Synthetic typed 客户 / 销售 / 收款 / 对账记录 tables."""
    rng = np.random.default_rng(seed)
    ids = [f"C{i:04d}" for i in range(n_cust)]
    customers = pd.DataFrame({
        "customer_id": pd.Series(ids, dtype=str),
        "name": pd.Series([f"客户{i:04d}商行" for i in range(n_cust)], dtype=str),
        "credit_limit": pd.array(rng.choice([None, 2_000_000, 5_000_000], n_cust), dtype="Int64"),
        "terms_days": pd.array(rng.choice([0, 30, 60], n_cust), dtype="Int64"),
        "credit_status": pd.Series(rng.choice(["", "正常", "关注", "冻结"], n_cust,
                                              p=[.6, .3, .08, .02]), dtype=str),
        "aliases": pd.Series([f"微信{i:04d};a***{i:04d}" for i in range(n_cust)], dtype=str),
        "opening_balance": pd.array(rng.integers(-50_000, 300_000, n_cust), dtype="Int64"),
        "_row": np.arange(2, n_cust + 2), "_ok": True,
    })
    lines_per = 2
    n_inv = n_sales // lines_per
    inv_cust = rng.integers(0, n_cust, n_inv)
    inv_day = np.sort(rng.integers(0, 365, n_inv))
    start = np.datetime64("2026-01-01")
    amount = rng.integers(1_000, 200_000, n_sales)
    inv_of_line = np.repeat(np.arange(n_inv), lines_per)[:n_sales]
    returns = rng.random(n_inv) < 0.03
    amount = np.where(returns[inv_of_line], -amount // 4, amount)
    dates = start + inv_day[inv_of_line].astype("timedelta64[D]")
    sales = pd.DataFrame({
        "date": dates.astype("datetime64[us]"),
        "invoice_no": pd.Series([f"XS{i:06d}" for i in inv_of_line], dtype=str),
        "customer_id": pd.Series(np.array(ids)[inv_cust[inv_of_line]], dtype=str),
        "amount": pd.array(amount, dtype="Int64"),
        "due_date": (dates + np.array(rng.choice([0, 30, 60], n_sales), dtype="timedelta64[D]"))
        .astype("datetime64[us]"),
        "_row": np.arange(2, n_sales + 2), "_ok": True,
    })
    inv_total = np.bincount(inv_of_line, weights=amount, minlength=n_inv).astype(np.int64)
    paid = rng.integers(0, n_inv, n_pay)  # each payment pays (part of) one invoice
    pay_cust = inv_cust[paid]
    blank = rng.random(n_pay) < 0.10
    share = max(1, n_pay // max(n_inv, 1))  # payments per invoice on average
    pay_amount = np.maximum(np.abs(inv_total[paid]) * rng.integers(80, 121, n_pay) // (100 * share), 100)
    pay_amount = np.where(rng.random(n_pay) < 0.02, -pay_amount // 10, pay_amount)
    pay_day = np.minimum(inv_day[paid] + rng.integers(-5, 60, n_pay), 364).clip(0)
    named = rng.random(n_pay) < 0.20
    applies = np.where(named, np.char.add("XS", np.char.zfill(paid.astype(str), 6)), "")
    payer_pick = rng.integers(0, 3, n_pay)
    payer = np.where(payer_pick == 0, np.char.add("客户", np.char.add(np.char.zfill(
        pay_cust.astype(str), 4), "商行")), np.where(payer_pick == 1, np.char.add(
            "微信", np.char.zfill(pay_cust.astype(str), 4)), np.char.add("a***", np.char.zfill(
                pay_cust.astype(str), 4))))
    payments = pd.DataFrame({
        "date": (start + pay_day.astype("timedelta64[D]")).astype("datetime64[us]"),
        "customer_id": pd.Series(np.where(blank, "", np.array(ids)[pay_cust]), dtype=str),
        "payer": pd.Series(payer, dtype=str),
        "amount": pd.array(pay_amount, dtype="Int64"),
        "txn_id": pd.Series([f"T{i:08d}" if i % 3 else "" for i in range(n_pay)], dtype=str),
        "applies_to": pd.Series(applies, dtype=str),
        "_row": np.arange(2, n_pay + 2), "_ok": True,
    })
    conf_cust = rng.choice(n_cust, 200, replace=False)
    confirmations = pd.DataFrame({
        "customer_id": pd.Series(np.array(ids)[conf_cust], dtype=str),
        "as_of": pd.Series([dt.datetime(2026, 6, 30)] * 200, dtype="datetime64[us]"),
        "sent_on": pd.Series([dt.datetime(2026, 7, 2)] * 200, dtype="datetime64[us]"),
        "confirmed_on": pd.Series([dt.datetime(2026, 7, 9)] * 200, dtype="datetime64[us]"),
        "confirmed_balance": pd.array(rng.integers(0, 1_000_000, 200), dtype="Int64"),
        "result": pd.Series(["相符"] * 200, dtype=str), "notes": pd.Series([""] * 200, dtype=str),
        "_row": np.arange(2, 202), "_ok": True,
    })
    return customers, sales, payments, confirmations


def calibrate() -> float:
    """Seconds for a fixed pure-Python loop (to compare machines: ~0.45 s on a recent laptop)."""
    t0 = time.perf_counter()
    sum(i * i for i in range(10**7))
    return time.perf_counter() - t0


def main() -> None:
    """Build the frames, run the job a few times, print the best time."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sales", type=int, default=100_000)
    ap.add_argument("--payments", type=int, default=100_000)
    ap.add_argument("--customers", type=int, default=2_000)
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    customers, sales, payments, confirmations = frames(args.sales, args.payments, args.customers)
    best, calib = float("inf"), float("inf")
    for _ in range(args.repeat):
        calib = min(calib, calibrate())
        t0 = time.perf_counter()
        result = reconcile(customers, sales, payments, confirmations, Settings(), 2026,
                           dt.date(2026, 12, 31))
        best = min(best, time.perf_counter() - t0)
    t0 = time.perf_counter()
    reconcile_json(result)
    t_json = time.perf_counter() - t0
    book = Book(Path("bench.xlsx"), "zh", Settings(), 2026,
                {"customers": customers, "sales": sales, "payments": payments,
                 "confirmations": confirmations}, {})
    t0 = time.perf_counter()
    reconcile_tabs(result, book, "zh", dt.datetime(2026, 12, 31))
    t_tabs = time.perf_counter() - t0
    print(f"reconcile: {args.sales:,} sales lines, {args.payments:,} payments, "
          f"{args.customers:,} customers: best of {args.repeat} = {best:.3f} s "
          f"(tabs {t_tabs:.3f} s, json {t_json:.3f} s)")
    print(f"  calibration loop {calib:.3f} s (job / calibration = {best / calib:.2f})")
    print(f"  allocations {len(result.allocations):,}, open items {len(result.open_items):,}, "
          f"exceptions {len(result.exceptions):,}, closing {result.totals['closing'] / 100:,.2f}")


if __name__ == "__main__":
    main()
