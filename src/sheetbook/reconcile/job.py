"""The reconcile job: balances, allocations, aging and exceptions for every customer.

:func:`reconcile` is a pure function over typed tables (see :mod:`sheetbook.model`);
:func:`reconcile_book` calls it with the valid rows of a :class:`~sheetbook.model.Book`.

Balances do not depend on allocation: 期末应收 = 期初应收 + 本期销售 (returns negative) −
本期收款 (refunds negative), counting every valid row dated up to the as-of date, including
rows dated before the fiscal year (the validator warns about those); a payment whose payer
cannot be matched counts for nobody and is in 待处理 and ``totals``. The
allocation decides which items are open, and so the aging; for every customer
sum(open items) − 未核销预收 = 期末应收.

状态 (status) is the first of these that holds:

1. 冻结 — the customer's 信用状态 is 冻结;
2. 超额度 — 期末应收 is above a set 信用额度;
3. 逾期 — an open item is past its due date;
4. 未到期 — items are open, none overdue;
5. 预收 — nothing open and unapplied credit remains;
6. 已结清 — nothing open, no credit.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..model import Book, Settings
from . import exceptions as ex
from .aging import aging_table, bucket_keys, clean_buckets
from .allocation import Allocation, run
from .payers import resolve_payers
from .timeline import (
    PAYMENT,
    SALE,
    build_timeline,
    days_of,
    from_day,
    read_customers,
    read_invoices,
    read_payments,
    texts,
    to_day,
)

STATUS_EN = {"冻结": "Frozen", "超额度": "Over limit", "逾期": "Overdue", "未到期": "Not due",
             "预收": "Prepaid", "已结清": "Settled"}
RECEIVABLE_COLUMNS = ("customer_id", "name", "opening", "sales", "received", "closing",
                      "unapplied", "credit_limit", "over_limit", "oldest_open",
                      "max_days_overdue", "last_confirmed", "confirm_diff", "status")


@dataclass(frozen=True)
class ReconcileResult:
    """Everything the reconcile job found.

    Attributes:
        as_of: the as-of date. fiscal_year: the book's year. buckets: aging bounds used.
        receivables: one row per customer (:data:`RECEIVABLE_COLUMNS`; money Int64 分, dates
            datetime64, ``status`` the Chinese value — see :data:`STATUS_EN`).
        allocations: see :class:`~sheetbook.reconcile.allocation.Allocation`.
        open_items: items open at the as-of date.
        aging: see :func:`~sheetbook.reconcile.aging.aging_table`.
        exceptions: the 待处理 rows, in tab order.
        payers: per payment row up to the as-of date: pay_row, payer, customer_id (resolved,
            '' when not) and how (id / name / alias / fuzzy / '').
        totals: sums over customers (opening, sales, received, closing, unapplied,
            over_limit, each aging key) and ``unmatched_payments`` (分 counted for nobody).
    """

    as_of: dt.date
    fiscal_year: int
    buckets: tuple[int, ...]
    receivables: pd.DataFrame
    allocations: pd.DataFrame
    open_items: pd.DataFrame
    aging: pd.DataFrame
    exceptions: tuple[ex.Finding, ...]
    payers: pd.DataFrame
    totals: Mapping[str, int] = field(default_factory=dict)


def _empty(columns: tuple[str, ...] = ("_row", "_ok")) -> pd.DataFrame:
    return pd.DataFrame({c: [] for c in columns})


def reconcile(customers: pd.DataFrame, sales: pd.DataFrame, payments: pd.DataFrame,
              confirmations: pd.DataFrame | None, settings: Settings, fiscal_year: int,
              as_of: dt.date) -> ReconcileResult:
    """Run the reconcile job over valid rows of 客户, 销售, 收款 and 对账记录.

    ``confirmations`` may be empty or None (no 对账记录 sheet). Nothing is read or written.
    """
    cust = read_customers(customers)
    end = to_day(as_of)
    if len(payments):
        pdays = days_of(payments["date"])
        payments = payments[(pdays <= end) & (pdays != np.iinfo(np.int64).min)]
    resolution = resolve_payers(cust, payments)
    resolved = payments.assign(customer_id=resolution.customer_id) if len(payments) else payments
    invoices = read_invoices(sales, cust)
    alloc = run(build_timeline(cust, invoices, read_payments(resolved, cust, end),
                               dt.date(fiscal_year, 1, 1), as_of))
    tl = alloc.timeline
    buckets = clean_buckets(settings.aging_buckets)
    aging = aging_table(alloc.open_items, alloc.credit, cust, end, buckets)
    conf = ex.confirmation_findings(tl, confirmations if confirmations is not None else _empty())
    receivables, oldest = _receivables(alloc, conf, end)
    closing = receivables["closing"].astype("int64").tolist()
    findings = (resolution.findings + alloc.findings + ex.sales_findings(tl)
                + ex.duplicate_payment_findings(tl) + conf.findings
                + ex.stale_findings(tl, closing, oldest, conf)
                + ex.credit_findings(tl, alloc.credit, alloc.credit_origin))
    payers = pd.DataFrame({
        "pay_row": payments["_row"].astype(int).to_numpy() if len(payments) else [],
        "payer": pd.Series(texts(payments, "payer"), dtype=str),
        "customer_id": resolution.customer_id.to_numpy(), "how": resolution.how.to_numpy(),
    })
    unmatched = int(sum(a for c, a in zip(tl.payments.cust, tl.payments.amount) if c < 0))
    totals = {k: int(receivables[k].sum()) for k in
              ("opening", "sales", "received", "closing", "unapplied", "over_limit")}
    totals.update({k: int(aging[k].sum()) for k in [*bucket_keys(buckets), "total", "credit"]})
    totals["unmatched_payments"] = unmatched
    return ReconcileResult(as_of, fiscal_year, buckets, receivables, alloc.allocations,
                           alloc.open_items, aging, tuple(ex.sort_findings(findings, cust)),
                           payers, totals)


def _dates(days: list[int | None]) -> np.ndarray:
    """Day numbers (None = blank) as datetime64[s] with NaT."""
    nat = np.iinfo(np.int64).min
    raw = np.array([nat if d is None else d for d in days], dtype=np.int64)
    return raw.astype("datetime64[D]").astype("datetime64[s]")


def _receivables(alloc: Allocation, conf: ex.Confirmations,
                 end: int) -> tuple[pd.DataFrame, list[dt.date | None]]:
    """The 应收汇总 rows, and each customer's oldest open item date."""
    tl = alloc.timeline
    cust = tl.customers
    n = len(cust)
    sales = np.zeros(n, dtype=np.int64)
    received = np.zeros(n, dtype=np.int64)
    is_sale, is_pay = tl.kind == SALE, tl.kind == PAYMENT
    np.add.at(sales, tl.cust[is_sale], tl.signed[is_sale])
    np.add.at(received, tl.cust[is_pay], -tl.signed[is_pay])
    opening = np.array(cust.openings, dtype=np.int64) if n else np.zeros(0, dtype=np.int64)
    closing = (opening + sales - received).tolist()
    oldest: list[int | None] = [None] * n
    earliest_due: list[int | None] = [None] * n
    where = {cid: i for i, cid in enumerate(cust.ids)}
    items = alloc.open_items
    for cid, day, due in zip(items["customer_id"].tolist(),
                             days_of(items["date"]).tolist(), days_of(items["due_date"]).tolist()):
        c = where[cid]
        first, soonest = oldest[c], earliest_due[c]
        oldest[c] = day if first is None else min(first, day)
        earliest_due[c] = due if soonest is None else min(soonest, due)
    over = [max(0, closing[c] - limit) if (limit := cust.limits[c]) is not None else 0
            for c in range(n)]
    overdue = [0 if d is None else max(0, end - d) for d in earliest_due]
    states = [status(cust.statuses[c], over[c], overdue[c], earliest_due[c] is not None,
                     alloc.credit[c]) for c in range(n)]
    confirmed = [None if d is None else to_day(d) for d in conf.last_confirmed]
    money = {"opening": opening.tolist(), "sales": sales.tolist(), "received": received.tolist(),
             "closing": closing, "unapplied": alloc.credit, "credit_limit": cust.limits,
             "over_limit": over}
    frame = pd.DataFrame({
        "customer_id": pd.Series(cust.ids, dtype=str), "name": pd.Series(cust.names, dtype=str),
        **{k: pd.array(v, dtype="Int64") for k, v in money.items()},
        "oldest_open": _dates(oldest), "max_days_overdue": np.array(overdue, dtype=np.int64),
        "last_confirmed": _dates(confirmed), "confirm_diff": pd.array(conf.diff, dtype="Int64"),
        "status": pd.Series(states, dtype=str),
    }, columns=list(RECEIVABLE_COLUMNS))
    return frame, [None if d is None else from_day(d) for d in oldest]


def status(credit_status: str, over_limit: int, days_overdue: int, has_open: bool,
           credit: int) -> str:
    """The 状态 of a customer (the ordered rule in the module docstring)."""
    if credit_status == "冻结":
        return "冻结"
    if over_limit > 0:
        return "超额度"
    if days_overdue > 0:
        return "逾期"
    if has_open:
        return "未到期"
    if credit > 0:
        return "预收"
    return "已结清"


def reconcile_book(book: Book, as_of: dt.date | None = None) -> ReconcileResult:
    """Reconcile a book's valid rows as of a date (default: today, capped at the year end)."""
    def valid(key: str) -> pd.DataFrame:
        """Valid rows of a sheet ('' table when the book has none)."""
        return book.valid(key) if key in book.tables else _empty()

    return reconcile(valid("customers"), valid("sales"), valid("payments"),
                     valid("confirmations"), book.settings, book.fiscal_year,
                     as_of or book.as_of_default())
