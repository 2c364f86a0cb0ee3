"""The reconcile job's input, prepared once: customers, invoices and one sorted event stream.

Everything downstream (allocation, balances, exception checks) reads these arrays instead of
the DataFrames, so the typed tables are scanned once and the per-event work is plain Python on
ints. Dates are whole days since 1970-01-01 (``int``); money is 分 (``int``).

Event order (WORKBOOK "Reconciliation rules" 1): by customer, then date, then kind — the
opening balance first, then sales (invoices), then payments — then the sheet row (``_row``).
销售 and 收款 are different sheets, so "ties: sheet row order" cannot order a sale against a
payment of the same day; sheetbook puts **sales before payments on the same day** (a customer
who pays at the counter pays the invoice just written). Invoices of one day are ordered by the
row of their first line.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..text import normalize_id

EPOCH = dt.date(1970, 1, 1)
OPENING, SALE, PAYMENT = 0, 1, 2  #: event kinds, in same-day order
_NAT = np.iinfo(np.int64).min


def to_day(value: dt.date) -> int:
    """A date as whole days since 1970-01-01."""
    return (value - EPOCH).days


def from_day(day: int) -> dt.date:
    """Whole days since 1970-01-01 as a date."""
    return EPOCH + dt.timedelta(days=int(day))


def days_of(series: pd.Series) -> np.ndarray:
    """A datetime64 column as int days (``NaT`` → the int64 minimum, see :data:`_NAT`)."""
    if len(series) == 0:
        return np.zeros(0, dtype=np.int64)
    values = series.to_numpy()
    if values.dtype.kind != "M":
        values = pd.to_datetime(series).to_numpy()
    return values.astype("datetime64[D]").astype(np.int64)


def money_of(series: pd.Series) -> np.ndarray:
    """An Int64 money column as int64 分 (blank → 0)."""
    return pd.array(series, dtype="Int64").to_numpy(dtype=np.int64, na_value=0)


def column(df: pd.DataFrame, key: str, default: object = "") -> pd.Series:
    """A column of a typed table, or a column of ``default`` when the table lacks it."""
    if key in df.columns:
        return df[key]
    return pd.Series([default] * len(df), index=df.index, dtype=object)


def texts(df: pd.DataFrame, key: str) -> list[str]:
    """A text column as a list of ``str`` ('' for blanks)."""
    values = column(df, key)
    if isinstance(values.dtype, pd.StringDtype):
        return values.fillna("").tolist()
    return ["" if v is None or v != v else str(v) for v in values.tolist()]


def norm(value: str) -> str:
    """:func:`~sheetbook.text.normalize_id` with a fast path for ASCII text (same result)."""
    if value.isascii():
        return " ".join(value.split()).lower()
    return normalize_id(value)


def normalized(values: list[str]) -> list[str]:
    """:func:`norm` of each value, computed once per distinct value."""
    cache = {v: norm(v) for v in set(values)}
    return [cache[v] for v in values]


def normalized_column(df: pd.DataFrame, key: str) -> list[str]:
    """:func:`norm` of a text column, vectorised for printable ASCII (the usual ids)."""
    values = column(df, key)
    if len(values) < 5000:  # pandas string ops cost more than they save on small tables
        return normalized(texts(df, key))
    text = values.fillna("").astype(str)
    plain = text.str.fullmatch(r"[\x20-\x7e]*").to_numpy(dtype=bool)
    out = text.str.replace(" +", " ", regex=True).str.strip(" ").str.lower().tolist()
    if not plain.all():
        raw = text.tolist()
        for i in np.flatnonzero(~plain).tolist():
            out[i] = normalize_id(raw[i])
    return out


_DIGITS = re.compile(r"(\d+)")


def natural_key(text: str) -> tuple:
    """Sort key comparing digit runs as numbers (``INV-9`` before ``INV-10``)."""
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in _DIGITS.split(text) if p)


@dataclass(frozen=True)
class Customers:
    """The 客户 sheet in sheet row order.

    Attributes:
        ids: 客户编号 as typed; keys: their normalized form; index: key → position.
        names, aliases, statuses: text columns (status '' reads as 正常).
        rows: sheet rows. limits: 信用额度 in 分 or None. openings: 期初应收 in 分.
    """

    ids: list[str]
    keys: list[str]
    names: list[str]
    aliases: list[str]
    statuses: list[str]
    rows: list[int]
    limits: list[int | None]
    openings: list[int]
    index: dict[str, int]

    def __len__(self) -> int:
        return len(self.ids)

    def lookup(self, customer_id: str) -> int:
        """Position of a customer id (any case or width), -1 when unknown."""
        return self.index.get(normalize_id(customer_id), -1)


def positions(keys: list[str], customers: Customers) -> np.ndarray:
    """Customer positions of normalized ids (-1 for unknown or blank)."""
    if len(keys) > 5000 and len(set(customers.keys)) == len(customers.keys):
        return pd.Index(customers.keys, dtype=object).get_indexer(
            pd.Index(keys, dtype=object)).astype(np.int64)
    index = customers.index
    return np.array([index.get(k, -1) for k in keys], dtype=np.int64)


def read_customers(customers: pd.DataFrame) -> Customers:
    """Prepare the 客户 table (valid rows) for the job, ordered by sheet row."""
    df = customers.sort_values("_row", kind="stable") if len(customers) else customers
    ids = texts(df, "customer_id")
    keys = normalized(ids)
    limit_col = pd.array(column(df, "credit_limit", None), dtype="Int64")
    index: dict[str, int] = {}
    for i, key in enumerate(keys):
        index.setdefault(key, i)
    return Customers(
        ids=ids, keys=keys, names=texts(df, "name"), aliases=texts(df, "aliases"),
        statuses=[s or "正常" for s in texts(df, "credit_status")],
        rows=[int(r) for r in column(df, "_row", 0).tolist()],
        limits=[None if v is pd.NA else int(v) for v in limit_col],
        openings=money_of(column(df, "opening_balance", None)).tolist(), index=index,
    )


@dataclass(frozen=True)
class Invoices:
    """Sales lines grouped into invoices (one per customer and normalized 单号), all dates.

    Attributes:
        cust: customer position (-1 when the customer is unknown).
        key: normalized 单号; number: 单号 as typed on the invoice's first line.
        day: invoice date (earliest line); due: earliest line due date.
        amount: sum of the line amounts (negative = a return); row: first line's sheet row.
        rank: position of the 单号 in natural order (ties of date are ordered by it).
        by_key: normalized 单号 → invoice positions (normally one).
    """

    cust: list[int]
    key: list[str]
    number: list[str]
    day: list[int]
    due: list[int]
    amount: list[int]
    row: list[int]
    rank: list[int]
    by_key: dict[str, list[int]]

    def __len__(self) -> int:
        return len(self.key)


def read_invoices(sales: pd.DataFrame, customers: Customers) -> Invoices:
    """Group valid sales lines by (customer, normalized 单号) into invoices."""
    if len(sales) == 0:
        return Invoices([], [], [], [], [], [], [], [], {})
    numbers = texts(sales, "invoice_no")
    keys = normalized_column(sales, "invoice_no")
    codes, uniques = pd.factorize(np.array(keys, dtype=object))
    cust = positions(normalized_column(sales, "customer_id"), customers)
    day = days_of(sales["date"])
    due = days_of(column(sales, "due_date", pd.NaT))
    due = np.where(due == _NAT, day, due)
    amount = money_of(column(sales, "amount", None))
    row = column(sales, "_row", 0).to_numpy(dtype=np.int64)
    order = np.argsort(row, kind="stable")  # lines in sheet order
    group = (cust[order] + 1) * (len(uniques) + 1) + codes[order]
    _, first, inverse = np.unique(group, return_index=True, return_inverse=True)
    n = len(first)
    total = np.zeros(n, dtype=np.int64)
    np.add.at(total, inverse, amount[order])
    start = np.full(n, np.iinfo(np.int64).max)
    np.minimum.at(start, inverse, day[order])
    due_first = np.full(n, np.iinfo(np.int64).max)
    np.minimum.at(due_first, inverse, due[order])
    by_row = np.argsort(first, kind="stable")  # invoices in the order of their first line
    lines = order[first[by_row]]
    inv_keys = [keys[i] for i in lines.tolist()]
    by_key: dict[str, list[int]] = {}
    for i, k in enumerate(inv_keys):
        by_key.setdefault(k, []).append(i)
    inv_cust, inv_day = cust[lines], start[by_row]
    return Invoices(
        cust=inv_cust.tolist(), key=inv_keys, number=[numbers[i] for i in lines.tolist()],
        day=inv_day.tolist(), due=due_first[by_row].tolist(), amount=total[by_row].tolist(),
        row=row[lines].tolist(), rank=_same_day_ranks(inv_cust, inv_day, inv_keys),
        by_key=by_key,
    )


def _same_day_ranks(cust: np.ndarray, day: np.ndarray, keys: list[str]) -> list[int]:
    """Order of each invoice among its customer's invoices of the same day, by 单号 (natural).

    Only invoices sharing a customer and a day need a rank (elsewhere the date decides), so
    the natural sort key is computed for those alone.
    """
    rank = [0] * len(keys)
    pair = cust * (1 << 32) + day
    _, inverse, counts = np.unique(pair, return_inverse=True, return_counts=True)
    shared = counts[inverse] > 1
    groups: dict[tuple[int, int], list[int]] = {}
    for i in np.flatnonzero(shared).tolist():
        groups.setdefault((int(cust[i]), int(day[i])), []).append(i)
    for members in groups.values():
        for r, i in enumerate(sorted(members, key=lambda i: natural_key(keys[i]))):
            rank[i] = r
    return rank


@dataclass(frozen=True)
class Payments:
    """Valid payment rows up to the as-of date, in sheet row order.

    Attributes:
        cust: customer position (-1 = not matched to a customer; left out of the books).
        day, amount, row: date, 分 (negative = refund), sheet row.
        txn, applies: 流水号 and the raw 核销单号 text.
    """

    cust: list[int]
    day: list[int]
    amount: list[int]
    row: list[int]
    txn: list[str]
    applies: list[str]


def read_payments(payments: pd.DataFrame, customers: Customers, as_of_day: int) -> Payments:
    """Valid payments dated up to ``as_of_day`` (``customer_id`` already resolved)."""
    if len(payments) == 0:
        return Payments([], [], [], [], [], [])
    day = days_of(payments["date"])
    keep = (day <= as_of_day) & (day != _NAT)
    df = payments[keep]
    order = np.argsort(df["_row"].to_numpy(dtype=np.int64), kind="stable")
    df = df.iloc[order]
    return Payments(
        cust=positions(normalized_column(df, "customer_id"), customers).tolist(),
        day=day[keep][order].tolist(), amount=money_of(df["amount"]).tolist(),
        row=df["_row"].astype(int).tolist(), txn=texts(df, "txn_id"),
        applies=texts(df, "applies_to"),
    )


@dataclass(frozen=True)
class Timeline:
    """Every event that counts, sorted (see the module docstring for the order).

    Attributes:
        customers, invoices, payments: the prepared tables.
        fiscal_start, as_of: days.
        cust, day, kind, ref, signed: per event — customer, date, kind (:data:`OPENING`,
            :data:`SALE`, :data:`PAYMENT`), index into customers/invoices/payments, and the
            change of the receivable (invoice amount, minus the payment amount).
    """

    customers: Customers
    invoices: Invoices
    payments: Payments
    fiscal_start: int
    as_of: int
    cust: np.ndarray
    day: np.ndarray
    kind: np.ndarray
    ref: np.ndarray
    signed: np.ndarray

    def balance_at(self, cust: int, day: int) -> int:
        """The customer's receivable (opening + sales − payments) at the end of ``day``."""
        lo = int(np.searchsorted(self.cust, cust, side="left"))
        hi = int(np.searchsorted(self.cust, cust, side="right"))
        end = lo + int(np.searchsorted(self.day[lo:hi], day, side="right"))
        return int(self.signed[lo:end].sum())


def build_timeline(customers: Customers, invoices: Invoices, payments: Payments,
                   fiscal_start: dt.date, as_of: dt.date) -> Timeline:
    """Merge opening balances, invoices up to ``as_of`` and matched payments into one order."""
    start, end = to_day(fiscal_start), to_day(as_of)
    n_c = len(customers)
    open_pos = np.array([i for i in range(n_c) if customers.openings[i]], dtype=np.int64)
    inv_cust = np.array(invoices.cust, dtype=np.int64)
    inv_day = np.array(invoices.day, dtype=np.int64)
    inv_pos = np.flatnonzero((inv_cust >= 0) & (inv_day <= end))
    pay_cust = np.array(payments.cust, dtype=np.int64)
    pay_pos = np.flatnonzero(pay_cust >= 0)
    cust = np.concatenate([open_pos, inv_cust[inv_pos], pay_cust[pay_pos]])
    day = np.concatenate([np.full(len(open_pos), start, dtype=np.int64), inv_day[inv_pos],
                          np.array(payments.day, dtype=np.int64)[pay_pos]])
    kind = np.concatenate([np.full(len(open_pos), OPENING), np.full(len(inv_pos), SALE),
                           np.full(len(pay_pos), PAYMENT)]).astype(np.int64)
    ref = np.concatenate([open_pos, inv_pos, pay_pos]).astype(np.int64)
    row = np.concatenate([np.array(customers.rows, dtype=np.int64)[open_pos],
                          np.array(invoices.row, dtype=np.int64)[inv_pos],
                          np.array(payments.row, dtype=np.int64)[pay_pos]])
    signed = np.concatenate([np.array(customers.openings, dtype=np.int64)[open_pos],
                             np.array(invoices.amount, dtype=np.int64)[inv_pos],
                             -np.array(payments.amount, dtype=np.int64)[pay_pos]])
    order = np.lexsort((row, kind, day, cust))
    return Timeline(customers, invoices, payments, start, end, cust[order], day[order],
                    kind[order], ref[order], signed[order])
