"""The replay loop behind :mod:`.allocation` (see there for the rules it implements).

Items and credit lots are plain ``int`` ids into the prepared tables, amounts are ``int`` 分,
and every allocation is one tuple appended to a list, so a year of a busy shop replays in one
pass of plain Python.
"""

from __future__ import annotations

import re
from collections import deque
from dataclasses import dataclass, field

from ..text import split_list
from . import exceptions as ex
from .timeline import PAYMENT, SALE, Timeline, norm

RULES = ("单号", "先进先出", "预收冲抵", "退货冲抵")  #: rule codes 0–3, as written in 核销明细
R_INVOICE, R_FIFO, R_CREDIT, R_RETURN = range(4)
ITEM_KINDS = ("invoice", "opening", "refund")  #: what was paid
SOURCES = ("payment", "return", "opening")  #: what paid it
_SEPARATORS = re.compile(r"[;；,，、]")  #: as in :func:`sheetbook.text.split_list`


def _enqueue(queue: deque, entry: tuple[int, int, int, int]) -> None:
    """Insert an open item in age order (scanning from the newest end)."""
    i = len(queue)
    while i and queue[i - 1] > entry:
        i -= 1
    queue.insert(i, entry)


@dataclass
class _State:
    """One customer's ledger while its events are replayed (items and lots are int ids)."""

    #: open items, oldest first: (day, rank, row, item). Events come in date order, so a new
    #: item almost always goes at the end; only a same-day invoice with a lower 单号 goes before.
    queue: deque[tuple[int, int, int, int]] = field(default_factory=deque)
    credit: deque[int] = field(default_factory=deque)  # lots, oldest first
    earmarks: dict[str, list[int]] = field(default_factory=dict)  # 单号 → earmarked lots
    earmarked: dict[str, int] = field(default_factory=dict)  # 单号 → 分 earmarked so far

    def credit_lots(self) -> list[int]:
        """Every lot that may still hold credit (general, then earmarked)."""
        return list(self.credit) + [lot for lots in self.earmarks.values() for lot in lots]


class Engine:
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

    def fifo(self, queue: deque, lot: int, amount: int, rule: int, day: int) -> int:
        """Pay the oldest open items from ``lot``; returns what is left of ``amount``."""
        open_amt, out = self.open_amt, self.out
        while amount and queue:
            item = queue[0][3]
            o = open_amt[item]
            if o <= amount:
                queue.popleft()
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
        amount = self.fifo(st.queue, lot, amount, rule, day)
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
            _enqueue(st.queue, (day, rank, row, item))
        for lot in lots or ():
            if left[lot]:
                self.keep(st, lot, left[lot], R_CREDIT, day)

    def named(self, st: _State, c: int, p: int, amount: int, day: int) -> int:
        """Pay the invoices named in 核销单号; returns what is left of ``amount``."""
        inv, out, cust = self.tl.invoices, self.out, self.tl.customers
        text = self.tl.payments.applies[p]
        one = text.strip()
        names = split_list(text) if _SEPARATORS.search(text) else ((one,) if one else ())
        for name in names:
            if not amount:
                break
            key = norm(name)
            found = inv.by_key.get(key, ())
            own = -1
            for i in found:
                if inv.cust[i] == c:
                    own = i
                    break
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
        open_amt, out, queue, credit = self.open_amt, self.out, st.queue, st.credit
        left = self.left
        for day, kind, ref in zip(days, kinds, refs):
            if kind == PAYMENT:
                amount = pay_amount[ref]
                if amount < 0:
                    self.refund(st, c, ref, day)
                    continue
                if applies[ref]:
                    amount = self.named(st, c, ref, amount, day)
                while amount and queue:  # inline fifo(): the hot path
                    item = queue[0][3]
                    o = open_amt[item]
                    if o <= amount:
                        queue.popleft()
                        if o:
                            out.append((ref, item, o, R_FIFO, day))
                            amount -= o
                            open_amt[item] = 0
                    else:
                        out.append((ref, item, amount, R_FIFO, day))
                        open_amt[item] = o - amount
                        amount = 0
                if amount:
                    left[ref] = amount
                    credit.append(ref)
            elif kind == SALE:
                amount = inv_amount[ref]
                if amount > 0:
                    if credit or st.earmarks:
                        self.feed(st, ref, inv.key[ref], day, inv_rank[ref], inv_row[ref])
                    else:
                        entry = (day, inv_rank[ref], inv_row[ref], ref)
                        if not queue or queue[-1] < entry:
                            queue.append(entry)
                        else:
                            _enqueue(queue, entry)
                elif amount < 0:
                    self.keep(st, self.ret_lot + ref, -amount, R_RETURN, day)
            else:  # OPENING
                amount = self.tl.customers.openings[c]
                if amount > 0:
                    open_amt[self.n_i + c] = amount
                    self.feed(st, self.n_i + c, None, day, -1, self.tl.customers.rows[c])
                else:
                    self.keep(st, self.open_lot + c, -amount, R_CREDIT, day)
        return st
