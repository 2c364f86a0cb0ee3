"""Values the contract derives from other cells, filled once so every job sees the same thing.

- 客户编号 in 销售 / 收款 / 对账记录 resolved to the customer's own id (an exact 客户名称 or an
  alias is accepted with a warning; an unknown id is an error);
- 销售 金额: blank = 数量 × 单价 − 折扣 (Decimal, half-up to 分); when filled it must equal that
  within 0.01 (else a warning naming both figures);
- 销售 到期日: blank = 日期 + the customer's 账期天数.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import numpy as np
import pandas as pd

from . import problems as P
from .model import Book
from .money import format_yuan
from .text import normalize_id, split_list


def customer_index(book: Book) -> tuple[dict[str, str], dict[str, set[str]]]:
    """(normalised id → id as typed in 客户, normalised name or alias → ids)."""
    cust = book.tables["customers"]
    ids: dict[str, str] = {}
    names: dict[str, set[str]] = {}
    for cid, name, aliases in zip(cust["customer_id"], cust["name"], cust["aliases"]):
        key = normalize_id(cid)
        if not key:
            continue
        ids.setdefault(key, cid)
        for n in (name, *split_list(aliases)):
            if normalize_id(n):
                names.setdefault(normalize_id(n), set()).add(cid)
    return ids, names


def resolve_customers(book: Book) -> list[P.Problem]:
    """Rewrite customer ids to the 客户 sheet's spelling; flag unknown ones."""
    ids, names = customer_index(book)
    out: list[P.Problem] = []
    for key in ("sales", "payments", "confirmations"):
        frame = book.tables[key]
        if frame.empty:
            continue
        header = book.sheets[key].headers.get("customer_id", "客户编号")
        raw = frame["customer_id"].tolist()
        verdict: dict[str, tuple[str, str | None]] = {}  # typed → (resolved, problem code)
        for cid in set(raw):
            norm = normalize_id(cid)
            if not norm:
                verdict[cid] = (cid, None)
            elif norm in ids:
                verdict[cid] = (ids[norm], None)
            elif len(names.get(norm, ())) == 1:
                verdict[cid] = (next(iter(names[norm])), "ref.customer_by_name")
            else:
                verdict[cid] = (cid, "ref.unknown_customer")
        flagged = {cid for cid, (_, code) in verdict.items() if code}
        if flagged:  # the rows to report, in order
            for cid, row in zip(raw, frame["_row"].tolist()):
                if cid in flagged:
                    target, code = verdict[cid]
                    out.append(P.make(code, sheet=book.sheet_name(key), cell=book.cell(key, "customer_id", row),
                                      row=row, column=header, value=cid, customer=target))
        resolved = {cid: target for cid, (target, _) in verdict.items()}
        frame["customer_id"] = pd.Series(list(map(resolved.__getitem__, raw)), index=frame.index, dtype=object)
    return out


def _line_amount(qty: float, price: int, discount: int) -> int:
    value = Decimal(repr(float(qty))) * Decimal(int(price)) - Decimal(int(discount))
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def derive_sales(book: Book) -> list[P.Problem]:
    """Fill blank 金额 and 到期日 of 销售; warn when a filled 金额 disagrees with its parts.

    Whole quantities (nearly all) are computed in int64 分 exactly; fractional ones through
    Decimal, half-up.
    """
    sales = book.tables["sales"]
    if sales.empty:
        return []
    out: list[P.Problem] = []
    sheet = book.sheet_name("sales")
    header = book.sheets["sales"].headers.get("amount", "金额")
    qty = sales["quantity"].to_numpy(dtype="float64", na_value=np.nan)
    price = sales["unit_price"]
    disc = sales["discount"].fillna(0).astype("int64").to_numpy()
    computable = ~np.isnan(qty) & price.notna().to_numpy()
    price_v = price.fillna(0).astype("int64").to_numpy()
    whole = computable & (np.mod(qty, 1) == 0) & (np.abs(qty) < 1e9)
    expected = np.zeros(len(sales), dtype=np.int64)
    expected[whole] = qty[whole].astype(np.int64) * price_v[whole] - disc[whole]
    for i in np.flatnonzero(computable & ~whole):
        expected[i] = _line_amount(qty[i], price_v[i], disc[i])
    amount = sales["amount"]
    blank = amount.isna().to_numpy()
    filled_from_parts = blank & computable
    new_amount = amount.copy()
    new_amount[filled_from_parts] = expected[filled_from_parts]
    rows = sales["_row"].to_numpy()
    ok = sales["_ok"].to_numpy()
    for i in np.flatnonzero(blank & ~computable & ok):
        row = int(rows[i])
        out.append(P.make("sales.no_amount", sheet=sheet, cell=book.cell("sales", "amount", row),
                          row=row, column=header))
    have = amount.fillna(0).astype("int64").to_numpy()
    mismatch = ~blank & computable & ok & (np.abs(have - expected) > 1)  # not on rows with unreadable parts
    for i in np.flatnonzero(mismatch):
        row = int(rows[i])
        out.append(P.make("sales.amount_mismatch", sheet=sheet, cell=book.cell("sales", "amount", row),
                          row=row, column=header, value=format_yuan(int(have[i])),
                          expected=format_yuan(int(expected[i]))))
    sales["amount"] = new_amount
    terms = {}
    cust = book.tables["customers"]
    for cid, days in zip(cust["customer_id"], cust["terms_days"]):
        terms.setdefault(cid, 0 if pd.isna(days) or days < 0 else int(days))
    due = sales["due_date"].copy()
    blank = due.isna() & sales["date"].notna()
    if blank.any():
        days = sales.loc[blank, "customer_id"].map(terms).fillna(0).astype("int64")  # unknown id: 0 days
        due.loc[blank] = sales.loc[blank, "date"] + pd.to_timedelta(days.to_numpy(), unit="D")
    sales["due_date"] = due
    return out
