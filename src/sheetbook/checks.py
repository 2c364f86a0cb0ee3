"""Cross-sheet and audit checks: plain functions in an immutable registry.

Each check takes the book (after reading, schemas and derivations) and today's date, and
returns problems. None of them changes a table; :func:`sheetbook.validate.validate` marks the
rows with errors so the jobs leave them out. Add a check by writing a function and listing it in
:data:`CHECKS`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

import numpy as np
import pandas as pd

from . import problems as P
from .layout import EXPENSE_CATEGORIES, MONTHS
from .model import Book
from .money import format_yuan
from .text import normalize_id, split_list

Check = Callable[[Book, dt.date], list[P.Problem]]


def _header(book: Book, key: str, col: str, default: str) -> str:
    return book.sheets[key].headers.get(col, default)


def duplicate_customer_ids(book: Book, today: dt.date) -> list[P.Problem]:
    """客户编号 must be unique after normalisation (case and full/half width)."""
    cust = book.tables["customers"]
    first: dict[str, int] = {}
    out = []
    for cid, key, row in zip(cust["customer_id"], _norm_map(cust["customer_id"]), cust["_row"]):
        if not key:
            continue
        if key in first:
            out.append(P.make("customers.duplicate_id", sheet=book.sheet_name("customers"),
                              cell=book.cell("customers", "customer_id", int(row)), row=int(row),
                              column=_header(book, "customers", "customer_id", "客户编号"), value=cid,
                              other=first[key]))
        else:
            first[key] = int(row)
    return out


#: Printable ASCII without spaces: NFKC leaves it alone and there is nothing to trim, so its
#: normalised form (:func:`~sheetbook.text.normalize_id`) is just its lower case.
_PLAIN = re.compile(r"[!-~]*")


def _norm_map(values) -> list[str]:
    """``[normalize_id(v) for v in values]``, normalising each distinct string once."""
    values = values if isinstance(values, list) else list(values)
    plain = _PLAIN.fullmatch
    if values and set(map(type, values)) == {str}:
        joined = "".join(values)
        if joined.isascii() and joined.isprintable() and " " not in joined:  # all plain: lower case
            return "\n".join(values).lower().split("\n")
        memo = {v: v.lower() if plain(v) else normalize_id(v) for v in set(values)}
        return list(map(memo.__getitem__, values))
    memo: dict[str, str] = {}
    out = []
    for v in values:
        if type(v) is str:
            key = memo.get(v)
            if key is None:
                key = memo[v] = v.lower() if plain(v) else normalize_id(v)
            out.append(key)
        else:  # numbers: 1 == 1.0 == True must not share an entry
            out.append(normalize_id(v))
    return out


def invoice_conflicts(book: Book, today: dt.date) -> list[P.Problem]:
    """Rows sharing a 单号 must agree on 日期 and 客户编号 (each row is compared with the first)."""
    sales = book.tables["sales"]
    if sales.empty:
        return []
    inv = _norm_map(sales["invoice_no"].tolist())
    cust = _norm_map(sales["customer_id"].tolist())
    n = len(inv)
    # each group's first row, and its first row with a date (what groupby "first" would pick)
    first_pos = dict(zip(reversed(inv), range(n - 1, -1, -1)))
    stamps = sales["date"].to_numpy()
    has_date = ~pd.isna(stamps)
    day = stamps.view("int64").tolist() if stamps.dtype.kind == "M" else stamps.tolist()
    dated = np.flatnonzero(has_date)[::-1].tolist()
    first_day = dict(zip([inv[i] for i in dated], [day[i] for i in dated]))
    has_date = has_date.tolist()
    positions = [i for i in range(n) if inv[i] != ""]
    flagged_cust = [cust[i] != cust[first_pos[inv[i]]] for i in positions]
    flagged_date = [has_date[i] and inv[i] in first_day and day[i] != first_day[inv[i]] for i in positions]
    if not (any(flagged_date) or any(flagged_cust)):
        return []
    rows = sales["_row"].tolist()
    invs = sales["invoice_no"].tolist()
    custs = sales["customer_id"].tolist()
    dates = sales["date"].tolist()
    pos_of_row = {r: i for i, r in enumerate(rows)}
    sheet = book.sheet_name("sales")
    h_date = _header(book, "sales", "date", "日期")
    h_cust = _header(book, "sales", "customer_id", "客户编号")
    out = []
    for j, i in enumerate(positions):
        if not (flagged_date[j] or flagged_cust[j]):
            continue
        row, r0 = rows[i], int(rows[first_pos[inv[i]]])
        i0 = pos_of_row[r0]
        if flagged_date[j]:
            out.append(P.make("sales.invoice_conflict", sheet=sheet, cell=book.cell("sales", "date", row), row=row,
                              column=h_date, value=dates[i].date().isoformat(), invoice=invs[i], what="日期",
                              what_en="date", other=r0, other_value=dates[i0].date().isoformat()))
        if flagged_cust[j]:
            out.append(P.make("sales.invoice_conflict", sheet=sheet, cell=book.cell("sales", "customer_id", row),
                              row=row, column=h_cust, value=custs[i], invoice=invs[i], what="客户编号",
                              what_en="customer", other=r0, other_value=custs[i0]))
    return out


def payments_without_customer(book: Book, today: dt.date) -> list[P.Problem]:
    """A payment needs a 客户编号 or a 付款人 to be matched."""
    pay = book.tables["payments"]
    out = []
    for cid, payer, row in zip(pay["customer_id"].tolist(), pay["payer"].tolist(), pay["_row"].tolist()):
        if not str(cid).strip() and not str(payer).strip():
            out.append(P.make("payments.no_customer", sheet=book.sheet_name("payments"),
                              cell=book.cell("payments", "customer_id", int(row)), row=int(row),
                              column=_header(book, "payments", "customer_id", "客户编号")))
    return out


def duplicate_txn_ids(book: Book, today: dt.date) -> list[P.Problem]:
    """流水号 is unique when filled (in 收款 and in 支出)."""
    out = []
    for key in ("payments", "expenses"):
        frame = book.tables[key]
        txns, rows = frame["txn_id"].tolist(), frame["_row"].tolist()
        norms = _norm_map(txns)
        first = dict(zip(reversed(norms), range(len(norms) - 1, -1, -1)))  # id → its first position
        for i in [i for i, norm in enumerate(norms) if norm and first[norm] != i]:
            row = int(rows[i])
            out.append(P.make("txn.duplicate", sheet=book.sheet_name(key), cell=book.cell(key, "txn_id", row),
                              row=row, column=_header(book, key, "txn_id", "流水号"), value=txns[i],
                              other=int(rows[first[norms[i]]])))
    return out


def unknown_applies_to(book: Book, today: dt.date) -> list[P.Problem]:
    """Every invoice named in 核销单号 must exist in 销售."""
    invoices = set(_norm_map(book.tables["sales"]["invoice_no"]))
    invoices.discard("")
    pay = book.tables["payments"]
    out = []
    unknown: dict[str, list[str]] = {}  # 核销单号 as typed → the invoices it names that are not in 销售
    for refs, row in zip(pay["applies_to"].tolist(), pay["_row"].tolist()):
        if not refs:
            continue
        missing = unknown.get(refs)
        if missing is None:
            parts = split_list(refs)
            missing = unknown[refs] = [ref for ref, key in zip(parts, _norm_map(parts)) if key not in invoices]
        for ref in missing:
            out.append(P.make("payments.unknown_invoice", sheet=book.sheet_name("payments"),
                              cell=book.cell("payments", "applies_to", int(row)), row=int(row),
                              column=_header(book, "payments", "applies_to", "核销单号"), value=ref))
    return out


def expense_categories(book: Book, today: dt.date) -> list[P.Problem]:
    """支出 类别 must be a listed category or one named in 预算."""
    allowed = {c.zh for c in EXPENSE_CATEGORIES} | {c for c in book.tables["budget"]["category"] if c}
    exp = book.tables["expenses"]
    out = []
    for cat, row in zip(exp["category"], exp["_row"]):
        if cat and cat not in allowed:
            out.append(P.make("cell.bad_choice", sheet=book.sheet_name("expenses"),
                              cell=book.cell("expenses", "category", int(row)), row=int(row),
                              column=_header(book, "expenses", "category", "类别"), value=cat,
                              allowed=" / ".join(c.zh for c in EXPENSE_CATEGORIES[:10]) + "，或 预算 中的类别"))
    return out


def date_ranges(book: Book, today: dt.date) -> list[P.Problem]:
    """Warn about dates after today or outside the fiscal year."""
    year = book.fiscal_year
    start, end = pd.Timestamp(year, 1, 1), pd.Timestamp(year, 12, 31)
    now = pd.Timestamp(today)
    out = []
    for key in ("sales", "payments", "expenses"):
        frame = book.tables[key]
        if frame.empty:
            continue
        dates = frame["date"]
        header = _header(book, key, "date", "日期")
        future = dates > now
        outside = (dates < start) | (dates > end)
        for i in (future | outside)[lambda s: s].index:
            d, row = dates.iat[i], int(frame["_row"].iat[i])
            code = "date.future" if future.iat[i] else "date.outside_year"
            out.append(P.make(code, sheet=book.sheet_name(key), cell=book.cell(key, "date", row), row=row,
                              column=header, value=d.date().isoformat(), year=year))
    return out


def frozen_customer_sales(book: Book, today: dt.date) -> list[P.Problem]:
    """Warn about sales to a customer whose 信用状态 is 冻结 (one warning per invoice)."""
    cust = book.tables["customers"]
    frozen = {normalize_id(c) for c, s in zip(cust["customer_id"], cust["credit_status"]) if s == "冻结"}
    if not frozen:
        return []
    sales = book.tables["sales"]
    seen: set[str] = set()
    out = []
    cids = sales["customer_id"].tolist()
    hits = [i for i, key in enumerate(_norm_map(cids)) if key in frozen]
    invs = sales["invoice_no"].tolist()
    rows = sales["_row"].tolist()
    inv_keys = _norm_map([invs[i] for i in hits])
    for i, inv_key in zip(hits, inv_keys):
        cid, row = cids[i], rows[i]
        if inv_key not in seen:
            seen.add(inv_key)
            out.append(P.make("sales.frozen_customer", sheet=book.sheet_name("sales"),
                              cell=book.cell("sales", "customer_id", int(row)), row=int(row),
                              column=_header(book, "sales", "customer_id", "客户编号"), value=cid))
    return out


_NUMBERED = re.compile(r"^(.*?)(\d+)$")
_ASCII_DIGITS = "0123456789"


def invoice_gaps(book: Book, today: dt.date, max_reports: int = 50) -> list[P.Problem]:
    """Warn about gaps in numeric invoice sequences (``XS2026-00007`` after ``-00005``)."""
    sales = book.tables["sales"]
    series: dict[str, dict[int, tuple[str, int]]] = {}
    invs, rows = sales["invoice_no"].tolist(), sales["_row"].tolist()
    if invs and set(map(type, invs)) == {str}:
        # a string seen again adds nothing (the first row of a number is kept): each distinct
        # string once, in order of first appearance, with the row where it first appears
        first_row = dict(zip(reversed(invs), reversed(rows)))
        pairs = [(inv, first_row[inv]) for inv in dict.fromkeys(invs)]
    else:
        pairs = list(zip(invs, rows))
    for inv, row in pairs:
        text = str(inv).strip()
        head = text.rstrip(_ASCII_DIGITS)
        if len(head) < len(text) and not (head and head[-1].isdecimal()):
            prefix, number = head, int(text[len(head):])  # what _NUMBERED finds, without the regex
        else:
            m = _NUMBERED.match(text)
            if not m:
                continue
            prefix, number = m.group(1), int(m.group(2))
        series.setdefault(prefix, {}).setdefault(number, (text, int(row)))
    out = []
    for prefix, numbers in series.items():
        if len(numbers) < 3:
            continue
        ordered = sorted(numbers)
        width = len(numbers[ordered[0]][0]) - len(prefix)
        for prev, nxt in zip(ordered, ordered[1:]):
            if nxt - prev > 1 and len(out) < max_reports:
                inv, row = numbers[nxt]
                lo, hi = prev + 1, nxt - 1
                missing = f"{prefix}{lo:0{width}d}" + ("" if lo == hi else f"…{prefix}{hi:0{width}d}")
                out.append(P.make("sales.invoice_gap", sheet=book.sheet_name("sales"),
                                  cell=book.cell("sales", "invoice_no", row), row=row,
                                  column=_header(book, "sales", "invoice_no", "单号"), value=inv, missing=missing))
    return out


def suspected_duplicates(book: Book, today: dt.date) -> list[P.Problem]:
    """Warn about payments (and expenses) with the same party, date and amount and no 流水号."""
    out = []
    for key, party in (("payments", "customer_id"), ("expenses", "payee")):
        frame = book.tables[key]
        if frame.empty:
            continue
        first: dict[tuple, int] = {}
        dates = frame["date"]
        amounts = frame["amount"]
        candidates = np.flatnonzero(dates.notna().to_numpy() & amounts.notna().to_numpy())
        txns = frame["txn_id"].to_numpy()
        txn_keys = _norm_map(txns[candidates].tolist())
        candidates = [i for i, t in zip(candidates.tolist(), txn_keys) if not t]
        if not candidates:
            continue
        stamps = dates.to_numpy()
        # same instant ⇔ same integer (NaT is left out above)
        days = stamps.view("int64").tolist() if stamps.dtype.kind == "M" else stamps.tolist()
        cents = amounts.to_numpy(dtype="int64", na_value=0)
        parties = frame[party].to_numpy()
        payers = frame["payer"].to_numpy() if key == "payments" else parties
        rows = frame["_row"].to_numpy()
        who_keys = _norm_map(parties[candidates].tolist())
        payer_keys = _norm_map(payers[candidates].tolist())
        for i, who, payer_key in zip(candidates, who_keys, payer_keys):
            who = who or payer_key
            if not who:
                continue
            amount, row = int(cents[i]), int(rows[i])
            sig = (who, days[i], amount)
            if sig in first:
                out.append(P.make("rows.suspected_duplicate", sheet=book.sheet_name(key),
                                  cell=book.cell(key, "amount", int(row)), row=int(row),
                                  column=_header(book, key, "amount", "金额"), value=format_yuan(int(amount)),
                                  other=first[sig]))
            else:
                first[sig] = int(row)
    return out


def budget_totals(book: Book, today: dt.date) -> list[P.Problem]:
    """预算 全年 must equal the sum of its months."""
    budget = book.tables["budget"]
    out = []
    for i in range(len(budget)):
        total = budget["total"].iat[i]
        if pd.isna(total) or not budget["_ok"].iat[i]:  # an unreadable month is its own error
            continue
        months = sum(int(budget[m].iat[i]) for m in MONTHS if not pd.isna(budget[m].iat[i]))
        if int(total) != months:
            row = int(budget["_row"].iat[i])
            out.append(P.make("budget.total_mismatch", sheet=book.sheet_name("budget"),
                              cell=book.cell("budget", "total", row), row=row,
                              column=_header(book, "budget", "total", "全年"), value=format_yuan(int(total)),
                              expected=format_yuan(months)))
    return out


CHECKS: tuple[Check, ...] = (
    duplicate_customer_ids,
    invoice_conflicts,
    payments_without_customer,
    duplicate_txn_ids,
    unknown_applies_to,
    expense_categories,
    date_ranges,
    frozen_customer_sales,
    invoice_gaps,
    suspected_duplicates,
    budget_totals,
)
