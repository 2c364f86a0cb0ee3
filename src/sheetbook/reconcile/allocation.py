"""The allocation engine: which invoices each payment, prepayment and return paid.

WORKBOOK "Reconciliation rules", per customer, events in date order (sales before payments on
the same day, then sheet row; see :mod:`.timeline`):

- *Items* (debits) are the opening balance when positive (dated and due the first day of the
  fiscal year), invoices with a positive total, and refunds (negative payments).
- *Credit lots* are payments (what they could not place), a negative opening balance (a
  prepayment) and returns (invoices with a negative total).
- A payment first pays the invoices named in its 核销单号, in the order listed, each up to its
  open amount (rule ``单号``); the rest pays the oldest open items by date, then 单号 in natural
  order (rule ``先进先出``); what is left is unapplied credit (预收).
- A new item is first paid by credit, oldest lot first: rule ``预收冲抵`` for payment and
  opening credit, ``退货冲抵`` for return credit. A return pays open items at once (``退货冲抵``).
- A payment naming an invoice of its own customer that is dated *after* the payment (a deposit
  for an order) keeps that part, up to the invoice's amount, as credit earmarked for the
  invoice, which it pays first when the invoice arrives (rule ``单号``); whatever the invoice
  does not take becomes ordinary credit. (A payment before an invoice it does not name is
  ordinary credit, which pays the invoice when it arrives: ``预收冲抵``.)
- A refund (negative payment) is an item that credit pays first (general credit, then earmarked
  credit). A refund beyond the credit stays open as a debit item, due on the refund date, which
  later payments pay like any other item; it is reported as "refund with no credit".
- A named invoice that belongs to another customer is not paid (an exception); the amount goes
  to the payer's own oldest items. Payments matched to no customer are left out.

Nothing is created or lost: allocated + unapplied credit = payments + credits, and
sum(open items) − unapplied credit = opening + sales − payments (the closing balance).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from itertools import chain

import numpy as np
import pandas as pd

from . import exceptions as ex
from .engine import ITEM_KINDS, RULES, SOURCES, Engine
from .timeline import Timeline, build_timeline, read_customers, read_invoices, read_payments, to_day

__all__ = ["ALLOCATION_COLUMNS", "ITEM_KINDS", "OPEN_ITEM_COLUMNS", "RULES", "SOURCES",
           "Allocation", "allocate", "run"]

ALLOCATION_COLUMNS = ("customer_id", "pay_date", "pay_row", "txn_id", "invoice_no", "amount",
                      "rule", "item_kind", "item_row", "applied_on", "source", "source_ref")
OPEN_ITEM_COLUMNS = ("customer_id", "item_kind", "invoice_no", "row", "date", "due_date",
                     "amount", "open")


@dataclass(frozen=True)
class Allocation:
    """What the engine returns.

    Attributes:
        timeline: the prepared inputs and sorted events (balances and checks read it).
        allocations: one row per (credit, item) pairing, in the order they happened:
            customer_id, pay_date, pay_row (收款 row; ``<NA>`` for return or opening credit),
            txn_id, invoice_no ('' for the opening item or a refund), amount (分), rule
            (:data:`RULES`), item_kind (:data:`ITEM_KINDS`), item_row (the item's sheet row:
            销售 first line, 收款 refund row, 客户 row for the opening), applied_on, source
            (:data:`SOURCES`) and source_ref (the return's 单号). rule, item_kind and source
            are pandas categoricals of those fixed values.
        open_items: items open at the as-of date (:data:`OPEN_ITEM_COLUMNS`; item_kind is a
            categorical), per customer oldest first.
        credit: unapplied credit per customer position (分).
        credit_origin: per customer position, the (sheet key, row) of the newest source of the
            remaining credit, or None.
        findings: exceptions met while allocating.
    """

    timeline: Timeline
    allocations: pd.DataFrame
    open_items: pd.DataFrame
    credit: list[int]
    credit_origin: list[tuple[str, int] | None]
    findings: list[ex.Finding]


def allocate(customers: pd.DataFrame, sales: pd.DataFrame, payments: pd.DataFrame,
             fiscal_start: dt.date, as_of: dt.date) -> Allocation:
    """Allocate payments, prepayments and returns to items for every customer.

    ``payments`` must carry the resolved ``customer_id`` (blank or unknown = left out).
    Only events dated up to ``as_of`` count. One sort, then one pass per customer.
    """
    cust = read_customers(customers)
    invoices = read_invoices(sales, cust)
    pays = read_payments(payments, cust, to_day(as_of))
    return run(build_timeline(cust, invoices, pays, fiscal_start, as_of))


def run(timeline: Timeline) -> Allocation:
    """Replay the timeline's events and collect allocations, open items and credit."""
    engine = Engine(timeline)
    n_c = engine.n_c
    credit, origin = [0] * n_c, [None] * n_c
    still_open: list[int] = []
    cust = timeline.cust
    cuts = np.flatnonzero(np.r_[True, cust[1:] != cust[:-1]]) if len(cust) else np.zeros(0, int)
    bounds = [*cuts.tolist(), len(cust)]
    days, kinds, refs = timeline.day.tolist(), timeline.kind.tolist(), timeline.ref.tolist()
    for lo, hi in zip(bounds, bounds[1:]):
        c = int(cust[lo])
        st = engine.replay(c, days[lo:hi], kinds[lo:hi], refs[lo:hi])
        lots = [lot for lot in st.credit_lots() if engine.left[lot]]
        credit[c] = sum(engine.left[lot] for lot in lots)
        if lots:
            origin[c] = _origin(engine, max(lots, key=lambda x: _lot_when(engine, x)))
        still_open.extend(e[3] for e in st.queue if engine.open_amt[e[3]])
    return Allocation(timeline, _allocations(engine), _open_items(engine, still_open), credit,
                      origin, engine.findings)


def _lot_when(engine: Engine, lot: int) -> tuple[int, int]:
    sheet, row = _origin(engine, lot)
    tl = engine.tl
    if sheet == "payments":
        return tl.payments.day[_pay_of(engine, lot)], row
    if sheet == "sales":
        return tl.invoices.day[lot - engine.ret_lot], row
    return tl.fiscal_start, row


def _pay_of(engine: Engine, lot: int) -> int:
    return engine.ear_pay[lot - engine.ear_lot] if lot >= engine.ear_lot else lot


def _origin(engine: Engine, lot: int) -> tuple[str, int]:
    """Where a lot's money came from: (sheet key, sheet row)."""
    tl = engine.tl
    if lot < engine.ret_lot or lot >= engine.ear_lot:
        return "payments", tl.payments.row[_pay_of(engine, lot)]
    if lot < engine.open_lot:
        return "sales", tl.invoices.row[lot - engine.ret_lot]
    return "customers", tl.customers.rows[lot - engine.open_lot]


def _days(values: np.ndarray) -> np.ndarray:
    return values.astype("datetime64[D]").astype("datetime64[s]")


def _allocations(engine: Engine) -> pd.DataFrame:
    """The ``out`` rows as a DataFrame (vectorised look-ups of each lot's and item's fields)."""
    tl, e = engine.tl, engine
    inv, pay, cu = tl.invoices, tl.payments, tl.customers
    ear = np.array(e.ear_pay, dtype=np.int64)
    pay_cust, pay_day = np.array(pay.cust, dtype=np.int64), np.array(pay.day, dtype=np.int64)
    pay_row = np.array(pay.row, dtype=np.int64)
    txn = np.array(pay.txn, dtype=object)
    blank = np.full(e.n_i + e.n_c, "", dtype=object)
    lot_cust = np.concatenate([pay_cust, inv.cust, np.arange(e.n_c), pay_cust[ear]])
    lot_day = np.concatenate([pay_day, inv.day, np.full(e.n_c, tl.fiscal_start), pay_day[ear]])
    lot_row = np.concatenate([pay_row, np.full(e.n_i + e.n_c, -1), pay_row[ear]])
    lot_txn = np.concatenate([txn, blank, txn[ear]])
    lot_src = np.concatenate([np.zeros(e.n_p, int), np.ones(e.n_i, int), np.full(e.n_c, 2),
                              np.zeros(len(ear), int)])
    lot_ref = np.concatenate([np.full(e.n_p, "", dtype=object), np.array(inv.number, object),
                              np.full(e.n_c + len(ear), "", dtype=object)])
    item_no = np.concatenate([np.array(inv.number, object), np.full(e.n_c + e.n_p, "", object)])
    item_row = np.concatenate([inv.row, cu.rows, pay_row]).astype(np.int64)
    item_kind = np.concatenate([np.zeros(e.n_i, int), np.ones(e.n_c, int), np.full(e.n_p, 2)])
    out = np.fromiter(chain.from_iterable(e.out), dtype=np.int64, count=5 * len(e.out))
    out = out.reshape(-1, 5)
    lot, item, amount, rule, day = out.T
    order = np.argsort(day, kind="stable")
    lot, item, amount, rule, day = lot[order], item[order], amount[order], rule[order], day[order]
    ids = np.array(cu.ids, dtype=object)
    rows = lot_row[lot]
    return pd.DataFrame({
        "customer_id": pd.Series(ids[lot_cust[lot].astype(np.int64)], dtype=str),
        "pay_date": _days(lot_day[lot]),
        "pay_row": pd.arrays.IntegerArray(np.where(rows < 0, 0, rows).astype(np.int64), rows < 0),
        "txn_id": pd.Series(lot_txn[lot], dtype=str),
        "invoice_no": pd.Series(item_no[item], dtype=str),
        "amount": pd.array(amount, dtype="Int64"),
        "rule": pd.Categorical.from_codes(rule, RULES),
        "item_kind": pd.Categorical.from_codes(item_kind[item], ITEM_KINDS),
        "item_row": item_row[item],
        "applied_on": _days(day),
        "source": pd.Categorical.from_codes(lot_src[lot], SOURCES),
        "source_ref": pd.Series(lot_ref[lot], dtype=str),
    }, columns=list(ALLOCATION_COLUMNS))


def _open_items(engine: Engine, items: list[int]) -> pd.DataFrame:
    """Open items (ids, already in customer and age order) as a DataFrame."""
    tl, e = engine.tl, engine
    inv, pay, cu = tl.invoices, tl.payments, tl.customers
    n_c, start = e.n_c, tl.fiscal_start
    pay_day = np.array(pay.day, dtype=np.int64)
    idx = np.array(items, dtype=np.int64)
    cust = np.concatenate([inv.cust, np.arange(n_c), pay.cust]).astype(np.int64)
    day = np.concatenate([inv.day, np.full(n_c, start), pay_day]).astype(np.int64)
    due = np.concatenate([inv.due, np.full(n_c, start), pay_day]).astype(np.int64)
    amount = np.concatenate([inv.amount, cu.openings, -np.array(pay.amount, dtype=np.int64)])
    kind = np.concatenate([np.zeros(e.n_i, int), np.ones(n_c, int), np.full(e.n_p, 2)])
    number = np.concatenate([np.array(inv.number, object), np.full(n_c + e.n_p, "", object)])
    row = np.concatenate([inv.row, cu.rows, pay.row]).astype(np.int64)
    return pd.DataFrame({
        "customer_id": pd.Series(np.array(cu.ids, dtype=object)[cust[idx]], dtype=str),
        "item_kind": pd.Categorical.from_codes(kind[idx], ITEM_KINDS),
        "invoice_no": pd.Series(number[idx], dtype=str),
        "row": row[idx], "date": _days(day[idx]), "due_date": _days(due[idx]),
        "amount": pd.array(amount[idx].astype(np.int64), dtype="Int64"),
        "open": pd.array(np.array(e.open_amt, dtype=np.int64)[idx], dtype="Int64"),
    }, columns=list(OPEN_ITEM_COLUMNS))
