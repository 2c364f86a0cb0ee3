"""Values the contract derives from other cells, filled once so every job sees the same thing.

- 客户编号 in 销售 / 收款 / 对账记录 resolved to the customer's own id (an exact 客户名称 or an
  alias is accepted with a warning; an unknown id is an error);
- 销售 金额: blank = 数量 × 单价 − 折扣 (Decimal, half-up to 分); when filled it must equal that
  within 0.01 (else a warning naming both figures);
- 销售 到期日: blank = 日期 + the customer's 账期天数.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

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
        resolved = []
        header = book.sheets[key].headers.get("customer_id", "客户编号")
        for cid, row in zip(frame["customer_id"], frame["_row"]):
            norm = normalize_id(cid)
            if not norm:
                resolved.append(cid)
                continue
            if norm in ids:
                resolved.append(ids[norm])
                continue
            cell = book.cell(key, "customer_id", int(row))
            by_name = names.get(norm, set())
            if len(by_name) == 1:
                target = next(iter(by_name))
                resolved.append(target)
                out.append(P.make("ref.customer_by_name", sheet=book.sheet_name(key), cell=cell, row=int(row),
                                  column=header, value=cid, customer=target))
            else:
                resolved.append(cid)
                out.append(P.make("ref.unknown_customer", sheet=book.sheet_name(key), cell=cell, row=int(row),
                                  column=header, value=cid))
        frame["customer_id"] = pd.Series(resolved, index=frame.index, dtype=object)
    return out


def _line_amount(qty: float, price: int, discount: int) -> int:
    value = Decimal(repr(float(qty))) * Decimal(int(price)) - Decimal(int(discount))
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def derive_sales(book: Book) -> list[P.Problem]:
    """Fill blank 金额 and 到期日 of 销售; warn when a filled 金额 disagrees with its parts."""
    sales = book.tables["sales"]
    if sales.empty:
        return []
    out: list[P.Problem] = []
    sheet = book.sheet_name("sales")
    header = book.sheets["sales"].headers.get("amount", "金额")
    amounts = sales["amount"].copy()
    for i in range(len(sales)):
        qty, price = sales["quantity"].iat[i], sales["unit_price"].iat[i]
        disc = sales["discount"].iat[i]
        disc = 0 if pd.isna(disc) else int(disc)
        computable = not pd.isna(qty) and not pd.isna(price)
        row = int(sales["_row"].iat[i])
        if pd.isna(amounts.iat[i]):
            if computable:
                amounts.iat[i] = _line_amount(qty, price, disc)
            elif sales["_ok"].iat[i]:
                out.append(P.make("sales.no_amount", sheet=sheet, cell=book.cell("sales", "amount", row),
                                  row=row, column=header))
        elif computable:
            expected = _line_amount(qty, price, disc)
            if abs(int(amounts.iat[i]) - expected) > 1:
                out.append(P.make("sales.amount_mismatch", sheet=sheet, cell=book.cell("sales", "amount", row),
                                  row=row, column=header, value=format_yuan(int(amounts.iat[i])),
                                  expected=format_yuan(expected)))
    sales["amount"] = amounts
    terms = {}
    cust = book.tables["customers"]
    for cid, days in zip(cust["customer_id"], cust["terms_days"]):
        terms.setdefault(cid, 0 if pd.isna(days) or days < 0 else int(days))
    due = sales["due_date"].copy()
    blank = due.isna() & sales["date"].notna()
    if blank.any():
        days = sales.loc[blank, "customer_id"].map(lambda c: terms.get(c, 0)).astype("int64")
        due.loc[blank] = sales.loc[blank, "date"] + pd.to_timedelta(days.to_numpy(), unit="D")
    sales["due_date"] = due
    return out
