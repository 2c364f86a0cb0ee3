"""The 待处理 (Exceptions) rows: things in the books a person should look at.

Each exception is a :class:`Finding` — a frozen record with a stable ``code`` (tests assert on
it), the place it is about (input sheet key, sheet row, column key: the tab links to that cell),
the customer, an amount, and its type and detail in Chinese and English. Texts live in
:data:`CATALOG`, one entry per code, in the order the tab lists them.

The checks over the whole book live here too (the allocation engine and payer resolution add
their own findings as they meet them). Only events dated up to the as-of date are examined.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..money import format_yuan
from .timeline import SALE, Customers, Timeline, column, days_of, from_day, money_of, texts

#: code → (type zh, type en, detail zh, detail en); details are str.format templates.
CATALOG: dict[str, tuple[str, str, str, str]] = {
    "payer.unmatched": (
        "付款人未匹配", "Payer not matched",
        "付款人 {payer} 无法匹配到客户{near}；未计入任何客户。请填写客户编号，或把它加入客户的 别名",
        "Payer {payer_en} matches no customer{near_en}; counted for nobody. Fill in the customer "
        "ID, or add it to a customer's aliases"),
    "payer.ambiguous": (
        "付款人有多个候选", "Payer ambiguous",
        "付款人 {payer} 可能是：{candidates}；未计入任何客户。请填写客户编号",
        "Payer {payer} could be: {candidates_en}; counted for nobody. Fill in the customer ID"),
    "payer.fuzzy": (
        "付款人相似匹配", "Payer matched by similarity",
        "付款人 {payer} 按相似度（{score}）计入 {customer}；如正确，请填写客户编号或把它加入别名",
        "Payer {payer} counted for {customer} by similarity ({score}); if right, fill in the "
        "customer ID or add it to the aliases"),
    "payment.unknown_customer": (
        "客户不存在", "Unknown customer",
        "客户编号 {customer} 不在 客户 表中；该笔收款未计入",
        "Customer ID {customer} is not in Customers; the payment is not counted"),
    "payment.other_customer_invoice": (
        "核销他人单据", "Pays another customer's invoice",
        "核销单号 {invoice} 属于客户 {other}，未核销；该笔收款改为先还本客户最早的欠款",
        "Invoice {invoice} belongs to customer {other} and was not paid; the payment paid "
        "this customer's oldest items instead"),
    "payment.unknown_invoice": (
        "核销单号不存在", "Unknown invoice",
        "核销单号 {invoice} 不在 销售 表中；该笔收款改为先还最早的欠款",
        "Invoice {invoice} is not in Sales; the payment paid the oldest items instead"),
    "payment.refund_no_credit": (
        "退款无预收", "Refund with no credit",
        "退款 {refund} 元，但当时可用预收只有 {credit} 元，超出部分重新记为客户欠款（客户仍欠款时"
        "退款，或退货已先冲抵了欠款）",
        "Refund of {refund} with only {credit} of credit at the time; the excess is owed by "
        "the customer again (a refund while the customer still owed, or a return that already "
        "paid off debts)"),
    "payment.duplicate": (
        "疑似重复收款", "Suspected duplicate payment",
        "与第 {other} 行客户、日期、金额相同，且没有流水号；如确是两笔，请填写流水号或备注",
        "Same customer, date and amount as row {other}, with no txn ID; if they are two "
        "payments, fill in a txn ID"),
    "customer.unapplied_credit": (
        "预收未核销", "Unapplied credit",
        "截至 {as_of} 有 {amount} 元预收/多收款未核销（将冲抵以后的销售，或退还客户）",
        "{amount} of prepayment or overpayment unapplied at {as_of} (pays later sales, or "
        "is refunded)"),
    "sales.over_limit": (
        "超信用额度", "Over credit limit",
        "单号 {invoice}（{invoice_amount} 元）后应收 {balance} 元，超过信用额度 {limit} 元",
        "After invoice {invoice} ({invoice_amount}) the customer owes {balance}, over the "
        "credit limit of {limit}"),
    "sales.frozen_customer": (
        "冻结客户销售", "Sale to a frozen customer",
        "客户信用状态为 冻结，仍有销售单 {invoice}",
        "Invoice {invoice} to a customer whose credit is frozen"),
    "confirmation.difference": (
        "对账差异", "Confirmation differs",
        "{as_of} 客户确认余额 {theirs} 元，账面余额 {ours} 元，差额 {diff} 元",
        "At {as_of} the customer confirmed {theirs}; the books say {ours}; difference {diff}"),
    "confirmation.disputed": (
        "对账不符", "Statement disputed",
        "客户对 {as_of} 的对账单回复 不符：{notes}",
        "The customer disputed the statement as of {as_of}: {notes}"),
    "customer.no_confirmation": (
        "长期未对账", "No confirmation for 2 years",
        "应收 {amount} 元，自 {since}（{basis}）起超过 2 年没有对账确认；诉讼时效 3 年，约于 "
        "{deadline} 届满。请发送对账单并取得确认",
        "{amount} owed with no statement or confirmation since {since} ({basis_en}); the "
        "3-year limitation period ends about {deadline}. Send a statement and get it confirmed"),
}
CODES: tuple[str, ...] = tuple(CATALOG)
#: Template fields holding 分, shown as 元 text.
MONEY_FIELDS = frozenset({"refund", "credit", "balance", "limit", "invoice_amount", "theirs",
                          "ours", "diff", "amount"})


@dataclass(frozen=True)
class Finding:
    """One 待处理 row.

    Attributes:
        code: stable identifier (a key of :data:`CATALOG`).
        sheet: input sheet key (``payments``, ``sales``, ``customers``, ``confirmations``).
        row: sheet row (1-based). column: column key of the cell to link to.
        customer_id: the customer concerned ('' when none could be matched).
        amount: 分 (or None).
        type_zh / type_en: the 类型 text. detail_zh / detail_en: the 说明 text.
    """

    code: str
    sheet: str
    row: int
    column: str
    customer_id: str
    amount: int | None
    type_zh: str
    type_en: str
    detail_zh: str
    detail_en: str

    def type(self, lang: str = "zh") -> str:
        """类型 in a language."""
        return self.type_en if lang == "en" else self.type_zh

    def detail(self, lang: str = "zh") -> str:
        """说明 in a language."""
        return self.detail_en if lang == "en" else self.detail_zh


class _Blank(dict):
    def __missing__(self, key: str) -> str:
        return ""


def make(code: str, sheet: str, row: int, column_key: str, customer_id: str,
         amount: int | None, **params: object) -> Finding:
    """Build a finding from its catalog entry (``MONEY_FIELDS`` params are 分 → 元 text)."""
    type_zh, type_en, zh, en = CATALOG[code]
    fields = _Blank({k: format_yuan(v) if k in MONEY_FIELDS and isinstance(v, int) else str(v)
                     for k, v in params.items()})
    fields.setdefault("amount", "" if amount is None else format_yuan(amount))
    return Finding(code, sheet, int(row), column_key, customer_id, amount, type_zh, type_en,
                   zh.format_map(fields), en.format_map(fields))


def sort_findings(findings: list[Finding], customers: Customers) -> list[Finding]:
    """Catalog order, then customer order, then sheet row."""
    order = {c: i for i, c in enumerate(CODES)}
    return sorted(findings, key=lambda f: (order[f.code], customers.lookup(f.customer_id)
                                           if f.customer_id else -1, f.sheet, f.row))


def add_years(day: dt.date, years: int) -> dt.date:
    """The same calendar day ``years`` later (29 Feb → 28 Feb)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def running_balances(tl: Timeline) -> tuple[np.ndarray, np.ndarray]:
    """Per event: the balance after it, and the balance at the end of its day."""
    if len(tl.cust) == 0:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty
    cum = np.cumsum(tl.signed)
    starts = np.searchsorted(tl.cust, tl.cust, side="left")
    after = cum - (cum[starts] - tl.signed[starts])
    last = np.flatnonzero(np.r_[(tl.cust[1:] != tl.cust[:-1]) | (tl.day[1:] != tl.day[:-1]), True])
    end_of_day = after[last[np.searchsorted(last, np.arange(len(after)), side="left")]]
    return after, end_of_day


def sales_findings(tl: Timeline) -> list[Finding]:
    """Sales over the credit limit, and sales to frozen customers.

    A sale is over the limit when the balance after the invoice (event order) exceeds 信用额度
    *and* is still above it at the end of that day (a same-day payment at the counter clears it).
    """
    cust, inv = tl.customers, tl.invoices
    after, end_of_day = running_balances(tl)
    limits = np.array([-1 if x is None else x for x in cust.limits] or [0], dtype=np.int64)
    sale = (tl.kind == SALE) & (tl.signed > 0)
    lim = limits[tl.cust] if len(tl.cust) else np.zeros(0, dtype=np.int64)
    over = sale & (lim >= 0) & (after > lim) & (end_of_day > lim)
    out = []
    for i in np.flatnonzero(over).tolist():
        c, ref = int(tl.cust[i]), int(tl.ref[i])
        out.append(make("sales.over_limit", "sales", inv.row[ref], "amount", cust.ids[c],
                        int(after[i] - lim[i]), invoice=inv.number[ref],
                        invoice_amount=inv.amount[ref], balance=int(after[i]), limit=int(lim[i])))
    frozen = {i for i, s in enumerate(cust.statuses) if s == "冻结"}
    if frozen:
        for i in np.flatnonzero(sale).tolist():
            c, ref = int(tl.cust[i]), int(tl.ref[i])
            if c in frozen:
                out.append(make("sales.frozen_customer", "sales", inv.row[ref], "customer_id",
                                cust.ids[c], inv.amount[ref], invoice=inv.number[ref]))
    return out


def duplicate_payment_findings(tl: Timeline) -> list[Finding]:
    """Payments with the same customer, date and amount where one has no 流水号.

    In each such group the anchor is the first row with a 流水号 (else the first row); every
    other row without a 流水号 is reported against the anchor's row.
    """
    pay = tl.payments
    if len(pay.cust) > 20000:  # vectorised first pass: only rows with a twin
        frame = pd.DataFrame({"cust": pay.cust, "day": pay.day, "amount": pay.amount})
        candidates = np.flatnonzero((frame.duplicated(keep=False) & (frame["cust"] >= 0))
                                    .to_numpy()).tolist()
    else:
        candidates = [i for i, c in enumerate(pay.cust) if c >= 0]
    groups: dict[tuple[int, int, int], list[int]] = {}
    for i in candidates:
        groups.setdefault((pay.cust[i], pay.day[i], pay.amount[i]), []).append(i)
    out = []
    for (c, _day, amount), idx in groups.items():
        if len(idx) < 2:
            continue
        idx.sort(key=lambda i: pay.row[i])
        anchor = next((i for i in idx if pay.txn[i]), idx[0])
        for i in idx:
            if i != anchor and not pay.txn[i]:
                out.append(make("payment.duplicate", "payments", pay.row[i], "amount",
                                tl.customers.ids[c], amount, other=pay.row[anchor]))
    return out


@dataclass(frozen=True)
class Confirmations:
    """What 对账记录 says per customer position (up to the as-of date).

    Attributes:
        last_confirmed: latest 确认日期 (or None).
        last_contact: latest 确认日期 or 发送日期 (or None).
        diff: our balance − the confirmed balance, for the latest confirmation with a
            balance (or None).
        findings: differences and disputes.
    """

    last_confirmed: list[dt.date | None]
    last_contact: list[dt.date | None]
    diff: list[int | None]
    findings: list[Finding]


def confirmation_findings(tl: Timeline, confirmations: pd.DataFrame) -> Confirmations:
    """Compare each confirmed balance with the books at its 对账截止日."""
    n = len(tl.customers)
    last_confirmed: list[dt.date | None] = [None] * n
    last_contact: list[dt.date | None] = [None] * n
    diff: list[int | None] = [None] * n
    latest: dict[int, tuple[int, int]] = {}
    out: list[Finding] = []
    if len(confirmations) == 0:
        return Confirmations(last_confirmed, last_contact, diff, out)
    df = confirmations.sort_values("_row", kind="stable")
    as_of = days_of(df["as_of"]).tolist()
    sent = days_of(column(df, "sent_on", pd.NaT)).tolist()
    confirmed = days_of(column(df, "confirmed_on", pd.NaT)).tolist()
    balance = pd.array(column(df, "confirmed_balance", None), dtype="Int64")
    has_balance = (~balance.isna()).tolist() if len(balance) else []
    theirs = money_of(column(df, "confirmed_balance", None)).tolist()
    result, notes, ids = texts(df, "result"), texts(df, "notes"), texts(df, "customer_id")
    rows = df["_row"].astype(int).tolist()
    nat = np.iinfo(np.int64).min
    for k in range(len(df)):
        c = tl.customers.lookup(ids[k])
        if c < 0 or as_of[k] == nat or as_of[k] > tl.as_of:
            continue
        for day, is_confirm in ((sent[k], False), (confirmed[k], True)):
            if day != nat and day <= tl.as_of:
                d = from_day(day)
                last_contact[c] = max(last_contact[c] or d, d)
                if is_confirm:
                    last_confirmed[c] = max(last_confirmed[c] or d, d)
        when = from_day(as_of[k]).isoformat()
        if has_balance[k]:
            ours = tl.balance_at(c, as_of[k])
            delta = ours - theirs[k]
            if (as_of[k], rows[k]) >= latest.get(c, (nat, 0)):
                latest[c] = (as_of[k], rows[k])
                diff[c] = delta
            if delta:
                out.append(make("confirmation.difference", "confirmations", rows[k],
                                "confirmed_balance", tl.customers.ids[c], delta, as_of=when,
                                theirs=theirs[k], ours=ours, diff=delta))
                continue
        if result[k] == "不符":
            out.append(make("confirmation.disputed", "confirmations", rows[k], "result",
                            tl.customers.ids[c], None, as_of=when, notes=notes[k] or "—"))
    return Confirmations(last_confirmed, last_contact, diff, out)


def stale_findings(tl: Timeline, closing: list[int], oldest_open: list[dt.date | None],
                   conf: Confirmations) -> list[Finding]:
    """Receivables with no statement sent or confirmed for more than 2 years.

    Measured from the latest 确认日期 or 发送日期 in 对账记录; a customer with none is measured
    from its oldest open item. 诉讼时效 is 3 years (民法典 188, interrupted per 195).
    """
    as_of, cust, out = from_day(tl.as_of), tl.customers, []
    for c, owed in enumerate(closing):
        if owed <= 0:
            continue
        since, basis = conf.last_contact[c], ("最近对账", "last statement")
        if since is None:
            since, basis = oldest_open[c], ("最早未结单", "oldest open item")
        if since is None or add_years(since, 2) >= as_of:
            continue
        out.append(make("customer.no_confirmation", "customers", cust.rows[c], "customer_id",
                        cust.ids[c], owed, since=since.isoformat(), basis=basis[0],
                        basis_en=basis[1], deadline=add_years(since, 3).isoformat()))
    return out


_ORIGIN_COLUMN = {"payments": "amount", "sales": "amount", "customers": "opening_balance"}


def credit_findings(tl: Timeline, credit: list[int],
                    origin: list[tuple[str, int] | None]) -> list[Finding]:
    """Customers holding unapplied credit at the as-of date (linked to its newest source)."""
    out, cust = [], tl.customers
    when = from_day(tl.as_of).isoformat()
    for c, amount in enumerate(credit):
        if amount > 0:
            sheet, row = origin[c] or ("customers", cust.rows[c])
            out.append(make("customer.unapplied_credit", sheet, row, _ORIGIN_COLUMN[sheet],
                            cust.ids[c], amount, as_of=when))
    return out
