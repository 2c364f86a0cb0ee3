"""The allocation engine: which invoices each payment, prepayment and return paid.

WORKBOOK "Reconciliation rules", per customer, events in date order (sales before payments on
the same day, then sheet row; see :mod:`.timeline`):

- *Items* (debits) are the opening balance when positive (dated and due the first day of the
  fiscal year), invoices with a positive total, and refunds not covered by credit.
- *Credit lots* are payments (what they could not place), a negative opening balance (a
  prepayment) and returns (invoices with a negative total).
- A payment first pays the invoices named in its 核销单号, in the order listed, each up to its
  open amount (rule ``单号``); the rest pays the oldest open items by date, then 单号 in natural
  order (rule ``先进先出``); what is left is unapplied credit (预收).
- A new item is first paid by credit, oldest lot first: rule ``预收冲抵`` for payment and
  opening credit, ``退货冲抵`` for return credit. A return pays open items at once (``退货冲抵``).
- A payment naming an invoice of its own customer that is dated *after* the payment (a deposit
  for an order) keeps that part as credit earmarked for the invoice, which it pays first when
  the invoice arrives (rule ``单号``); whatever the invoice does not take becomes ordinary credit.
- A refund (negative payment) is an item that credit pays first (general credit, then earmarked
  credit). A refund beyond the credit stays open as a debit item, due on the refund date, which
  later payments pay like any other item; it is reported as "refund with no credit".
- A named invoice that belongs to another customer is not paid (an exception); the amount goes
  to the payer's own oldest items.

Nothing is created or lost: allocated + unapplied credit = payments + credits, and
sum(open items) − unapplied credit = opening + sales − payments (the closing balance).
"""

from __future__ import annotations

import datetime as dt
from collections import deque
from dataclasses import dataclass, field
from heapq import heappop, heappush

import numpy as np
import pandas as pd

from ..text import split_list
from . import exceptions as ex
from .timeline import (
    OPENING,
    SALE,
    Timeline,
    build_timeline,
    norm,
    read_customers,
    read_invoices,
    read_payments,
    to_day,
)

RULES = ("单号", "先进先出", "预收冲抵", "退货冲抵")  #: rule codes 0–3, as written in 核销明细
R_INVOICE, R_FIFO, R_CREDIT, R_RETURN = range(4)
ITEM_KINDS = ("invoice", "opening", "refund")  #: what was paid
SOURCES = ("payment", "return", "opening")  #: what paid it

ALLOCATION_COLUMNS = ("customer_id", "pay_date", "pay_row", "txn_id", "invoice_no", "amount",
                      "rule", "item_kind", "item_row", "applied_on", "source", "source_ref")
OPEN_ITEM_COLUMNS = ("customer_id", "item_kind", "invoice_no", "row", "date", "due_date",
                     "amount", "open")


@dataclass
class _State:
    """One customer's ledger while its events are replayed (items and lots are int ids)."""

    heap: list[tuple[int, int, int, int]] = field(default_factory=list)  # (day, rank, row, item)
    credit: deque[int] = field(default_factory=deque)  # lots, oldest first
    earmarks: dict[str, list[int]] = field(default_factory=dict)  # 单号 → earmarked lots
    earmarked: dict[str, int] = field(default_factory=dict)  # 单号 → 分 earmarked so far

    def credit_lots(self) -> list[int]:
        """Every lot that may still hold credit (general, then earmarked)."""
        return list(self.credit) + [lot for lots in self.earmarks.values() for lot in lots]


class _Engine:
    """Replays a timeline. Ids — items: invoice ``i``, opening ``n_i + c``, refund
    ``n_i + n_c + p``; lots: payment ``p``, return ``n_p + i``, opening ``n_p + n_i + c``,
    earmark ``n_p + n_i + n_c + k``. ``out`` rows are (lot, item, amount, rule, day)."""

    def __init__(self, tl: Timeline):
        self.tl = tl
        inv, pay = tl.invoices, tl.payments
        self.n_i, self.n_c, self.n_p = len(inv), len(tl.customers), len(pay.cust)
        self.ret_lot, self.open_lot = self.n_p, self.n_p + self.n_i
        self.ear_lot = self.n_p + self.n_i + self.n_c
        self.open_amt = list(inv.amount) + [0] * (self.n_c + self.n_p)
        self.left = [0] * self.ear_lot
        self.ear_pay: list[int] = []
        self.out: list[tuple[int, int, int, int, int]] = []
        self.findings: list[ex.Finding] = []

    def rule_of(self, lot: int) -> int:
        """The rule when a stored credit lot pays a new item."""
        return R_RETURN if self.ret_lot <= lot < self.open_lot else R_CREDIT

    def fifo(self, heap: list, lot: int, amount: int, rule: int, day: int) -> int:
        """Pay the oldest open items from ``lot``; returns what is left of ``amount``."""
        open_amt, out = self.open_amt, self.out
        while amount and heap:
            item = heap[0][3]
            o = open_amt[item]
            if o <= amount:
                heappop(heap)
                if o:
                    out.append((lot, item, o, rule, day))
                    amount -= o
                    open_amt[item] = 0
            else:
                out.append((lot, item, amount, rule, day))
                open_amt[item] = o - amount
                amount = 0
        return amount

    def keep(self, st: _State, lot: int, amount: int, rule: int, day: int) -> None:
        """New credit: pay open items first, keep the rest as unapplied credit."""
        amount = self.fifo(st.heap, lot, amount, rule, day)
        self.left[lot] = amount
        if amount:
            st.credit.append(lot)

    def feed(self, st: _State, item: int, key: str | None, day: int, rank: int, row: int,
             refund: bool = False) -> None:
        """A new debit item: its earmarked lots, then credit, pay it; the rest stays open."""
        left, out = self.left, self.out
        o = self.open_amt[item]
        lots = st.earmarks.pop(key, None) if key is not None else None
        for lot in lots or ():
            take = min(left[lot], o)
            if take:
                out.append((lot, item, take, R_INVOICE, day))
                left[lot] -= take
                o -= take
        credit = st.credit
        while o and credit:
            lot = credit[0]
            take = min(left[lot], o)
            out.append((lot, item, take, self.rule_of(lot), day))
            left[lot] -= take
            o -= take
            if not left[lot]:
                credit.popleft()
        if o and refund and st.earmarks:
            for lot in sorted(x for v in st.earmarks.values() for x in v):
                take = min(left[lot], o)
                if take:
                    out.append((lot, item, take, R_CREDIT, day))
                    left[lot] -= take
                    o -= take
            st.earmarks = {k: v for k, v in st.earmarks.items() if any(left[x] for x in v)}
        self.open_amt[item] = o
        if o:
            heappush(st.heap, (day, rank, row, item))
        for lot in lots or ():
            if left[lot]:
                self.keep(st, lot, left[lot], R_CREDIT, day)

    def named(self, st: _State, c: int, p: int, amount: int, day: int) -> int:
        """Pay the invoices named in 核销单号; returns what is left of ``amount``."""
        inv, out, cust = self.tl.invoices, self.out, self.tl.customers
        for name in split_list(self.tl.payments.applies[p]):
            if not amount:
                break
            key = norm(name)
            found = inv.by_key.get(key, ())
            own = next((i for i in found if inv.cust[i] == c), -1)
            if own < 0:
                others = [cust.ids[inv.cust[i]] for i in found if inv.cust[i] >= 0]
                code = "payment.other_customer_invoice" if others else "payment.unknown_invoice"
                self.findings.append(ex.make(
                    code, "payments", self.tl.payments.row[p], "applies_to", cust.ids[c],
                    self.tl.payments.amount[p], invoice=name, other=(others or [""])[0]))
            elif inv.amount[own] <= 0:
                continue
            elif inv.day[own] <= day:  # arrived (sales come before payments on a day)
                take = min(self.open_amt[own], amount)
                if take:
                    out.append((p, own, take, R_INVOICE, day))
                    self.open_amt[own] -= take
                    amount -= take
            else:  # dated after the payment: hold it for that invoice
                take = min(inv.amount[own] - st.earmarked.get(key, 0), amount)
                if take > 0:
                    lot = self.ear_lot + len(self.ear_pay)
                    self.ear_pay.append(p)
                    self.left.append(take)
                    st.earmarks.setdefault(key, []).append(lot)
                    st.earmarked[key] = st.earmarked.get(key, 0) + take
                    amount -= take
        return amount

    def refund(self, st: _State, c: int, p: int, day: int) -> None:
        """A refund: an item that credit pays first; the rest stays open (an exception)."""
        pay = self.tl.payments
        item = self.n_i + self.n_c + p
        self.open_amt[item] = -pay.amount[p]
        before = sum(self.left[lot] for lot in st.credit_lots())
        self.feed(st, item, None, day, 1 << 40, pay.row[p], refund=True)
        if self.open_amt[item]:
            self.findings.append(ex.make(
                "payment.refund_no_credit", "payments", pay.row[p], "amount",
                self.tl.customers.ids[c], self.open_amt[item], refund=-pay.amount[p],
                credit=before))

    def replay(self, c: int, days: list[int], kinds: list[int], refs: list[int]) -> _State:
        """Replay one customer's events (already in order)."""
        st = _State()
        inv, pay = self.tl.invoices, self.tl.payments
        inv_amount, inv_rank, inv_row = inv.amount, inv.rank, inv.row
        pay_amount, applies = pay.amount, pay.applies
        open_amt, out, heap = self.open_amt, self.out, st.heap
        for day, kind, ref in zip(days, kinds, refs):
            if kind == SALE:
                amount = inv_amount[ref]
                if amount > 0:
                    if st.credit or st.earmarks:
                        self.feed(st, ref, inv.key[ref], day, inv_rank[ref], inv_row[ref])
                    else:
                        heappush(heap, (day, inv_rank[ref], inv_row[ref], ref))
                elif amount < 0:
                    self.keep(st, self.ret_lot + ref, -amount, R_RETURN, day)
            elif kind == OPENING:
                amount = self.tl.customers.openings[c]
                if amount > 0:
                    open_amt[self.n_i + c] = amount
                    self.feed(st, self.n_i + c, None, day, -1, self.tl.customers.rows[c])
                else:
                    self.keep(st, self.open_lot + c, -amount, R_CREDIT, day)
            else:
                amount = pay_amount[ref]
                if amount < 0:
                    self.refund(st, c, ref, day)
                    continue
                if applies[ref]:
                    amount = self.named(st, c, ref, amount, day)
                while amount and heap:  # inline fifo(): the hot path
                    item = heap[0][3]
                    o = open_amt[item]
                    if o <= amount:
                        heappop(heap)
                        if o:
                            out.append((ref, item, o, R_FIFO, day))
                            amount -= o
                            open_amt[item] = 0
                    else:
                        out.append((ref, item, amount, R_FIFO, day))
                        open_amt[item] = o - amount
                        amount = 0
                if amount:
                    self.left[ref] = amount
                    st.credit.append(ref)
        return st


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
            (:data:`SOURCES`) and source_ref (the return's 单号).
        open_items: items open at the as-of date (:data:`OPEN_ITEM_COLUMNS`), per customer
            oldest first.
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
    engine = _Engine(timeline)
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
        still_open.extend(e[3] for e in sorted(st.heap) if engine.open_amt[e[3]])
    return Allocation(timeline, _allocations(engine), _open_items(engine, still_open), credit,
                      origin, engine.findings)


def _lot_when(engine: _Engine, lot: int) -> tuple[int, int]:
    sheet, row = _origin(engine, lot)
    tl = engine.tl
    if sheet == "payments":
        return tl.payments.day[_pay_of(engine, lot)], row
    if sheet == "sales":
        return tl.invoices.day[lot - engine.ret_lot], row
    return tl.fiscal_start, row


def _pay_of(engine: _Engine, lot: int) -> int:
    return engine.ear_pay[lot - engine.ear_lot] if lot >= engine.ear_lot else lot


def _origin(engine: _Engine, lot: int) -> tuple[str, int]:
    """Where a lot's money came from: (sheet key, sheet row)."""
    tl = engine.tl
    if lot < engine.ret_lot or lot >= engine.ear_lot:
        return "payments", tl.payments.row[_pay_of(engine, lot)]
    if lot < engine.open_lot:
        return "sales", tl.invoices.row[lot - engine.ret_lot]
    return "customers", tl.customers.rows[lot - engine.open_lot]


def _days(values: np.ndarray) -> np.ndarray:
    return values.astype("datetime64[D]").astype("datetime64[s]")


def _allocations(engine: _Engine) -> pd.DataFrame:
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
    out = np.array(e.out, dtype=np.int64).reshape(-1, 5)
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
        "rule": pd.Series(np.array(RULES, dtype=object)[rule], dtype=str),
        "item_kind": pd.Series(np.array(ITEM_KINDS, dtype=object)[item_kind[item]], dtype=str),
        "item_row": item_row[item],
        "applied_on": _days(day),
        "source": pd.Series(np.array(SOURCES, dtype=object)[lot_src[lot]], dtype=str),
        "source_ref": pd.Series(lot_ref[lot], dtype=str),
    }, columns=list(ALLOCATION_COLUMNS))


def _open_items(engine: _Engine, items: list[int]) -> pd.DataFrame:
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
        "item_kind": pd.Series(np.array(ITEM_KINDS, dtype=object)[kind[idx]], dtype=str),
        "invoice_no": pd.Series(number[idx], dtype=str),
        "row": row[idx], "date": _days(day[idx]), "due_date": _days(due[idx]),
        "amount": pd.array(amount[idx].astype(np.int64), dtype="Int64"),
        "open": pd.array(np.array(e.open_amt, dtype=np.int64)[idx], dtype="Int64"),
    }, columns=list(OPEN_ITEM_COLUMNS))
