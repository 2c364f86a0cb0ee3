"""Typed tables built inline, exactly in the :mod:`sheetbook.model` contract.

Each helper takes a list of dicts keyed by column key (only the cells that matter) and returns
a DataFrame with every column of the sheet: ``_row`` (default: 2, 3, … — the header is row 1),
``_ok`` (True), money as ``Int64`` 分 (give 元 as int/str/Decimal via ``yuan``, or 分 via
``fen``), dates as ``datetime64`` (``'2026-03-05'`` strings or ``date``), ``''`` for blank text.
Money values in the dicts are 元 (``12.5`` → 1250 分) unless given as ``fen(1250)``.
Derived values as the reader fills them: ``sales.amount`` (数量×单价−折扣 when blank) and
``sales.due_date`` (日期 + the customer's 账期天数 when blank; pass ``terms`` for it).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pandas as pd

from sheetbook.layout import SHEETS_BY_KEY
from sheetbook.model import Book, Settings, SheetInfo
from sheetbook.money import parse_money
from sheetbook.text import column_letter


class fen(int):  # noqa: N801 - reads like a unit
    """An amount already in 分."""


def _money(value: object) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, fen):
        return int(value)
    if isinstance(value, float):
        return parse_money(Decimal(repr(value)))
    return parse_money(value)


def _date(value: object) -> pd.Timestamp:
    if value is None or value == "":
        return pd.NaT
    return pd.Timestamp(value)


def table(key: str, rows: list[dict], first_row: int = 2) -> pd.DataFrame:
    """A typed table of sheet ``key`` from partial rows."""
    sheet = SHEETS_BY_KEY[key]
    data: dict[str, object] = {}
    for col in sheet.columns:
        values = [r.get(col.key) for r in rows]
        if col.kind == "money":
            data[col.key] = pd.array([_money(v) for v in values], dtype="Int64")
        elif col.kind == "date":
            data[col.key] = pd.Series([_date(v) for v in values], dtype="datetime64[us]")
        elif col.kind == "int":
            data[col.key] = pd.array([None if v in (None, "") else int(v) for v in values],
                                     dtype="Int64")
        elif col.kind == "number":
            data[col.key] = pd.Series([float("nan") if v in (None, "") else float(v)
                                       for v in values], dtype="float64")
        else:
            data[col.key] = pd.Series(["" if v is None else str(v) for v in values], dtype=str)
    data["_row"] = [int(r.get("_row", first_row + i)) for i, r in enumerate(rows)]
    data["_ok"] = [bool(r.get("_ok", True)) for r in rows]
    return pd.DataFrame(data, index=pd.RangeIndex(len(rows)))


def customers(rows: list[dict]) -> pd.DataFrame:
    """客户: give customer_id and name at least."""
    return table("customers", rows)


def sales(rows: list[dict], terms: dict[str, int] | None = None) -> pd.DataFrame:
    """销售 with amount and due_date filled as the reader does."""
    filled = []
    for r in rows:
        r = dict(r)
        if r.get("amount") in (None, ""):
            q = Decimal(str(r.get("quantity", 1)))
            price = Decimal(str(r.get("unit_price", 0)))
            r["amount"] = fen(int((q * price * 100).to_integral_value())
                              - (_money(r.get("discount")) or 0))
        if r.get("due_date") in (None, ""):
            days = (terms or {}).get(r["customer_id"], 0)
            r["due_date"] = pd.Timestamp(r["date"]) + pd.Timedelta(days=days)
        filled.append(r)
    return table("sales", filled)


def payments(rows: list[dict]) -> pd.DataFrame:
    """收款: give date, amount and customer_id or payer."""
    return table("payments", rows)


def confirmations(rows: list[dict]) -> pd.DataFrame:
    """对账记录: give customer_id and as_of."""
    return table("confirmations", rows)


def settings(**kw: object) -> Settings:
    """设置 with defaults."""
    return Settings(**kw)  # type: ignore[arg-type]


def d(text: str) -> dt.date:
    """``'2026-03-05'`` → a date."""
    return dt.date.fromisoformat(text)


def book(tables: dict[str, pd.DataFrame], lang: str = "zh", fiscal_year: int = 2026,
         settings_: Settings | None = None, letters: dict[str, dict[str, str]] | None = None,
         names: dict[str, str] | None = None, absent: tuple[str, ...] = ()) -> Book:
    """A :class:`~sheetbook.model.Book` over typed tables (rows with ``_ok`` False are left out).

    Every input sheet is present with the template's column letters unless ``letters`` or
    ``names`` say otherwise or the key is in ``absent``; missing tables are empty.
    """
    sheets = {}
    full = {}
    for key, sheet in SHEETS_BY_KEY.items():
        full[key] = tables[key] if key in tables else table(key, [])
        if key in absent:
            sheets[key] = SheetInfo(key)
            continue
        cols = (letters or {}).get(key) or {c.key: column_letter(i)
                                            for i, c in enumerate(sheet.columns)}
        sheets[key] = SheetInfo(key, (names or {}).get(key, sheet.name(lang)), 1, dict(cols))
    return Book(Path("test.xlsx"), lang, settings_ or Settings(), fiscal_year,  # type: ignore[arg-type]
                full, sheets)


def run(cust: pd.DataFrame, sale: pd.DataFrame | None = None, pay: pd.DataFrame | None = None,
        conf: pd.DataFrame | None = None, as_of: str = "2026-12-31", buckets=(30, 60, 90),
        fiscal_year: int = 2026):
    """Run the reconcile job over inline tables (only ``_ok`` rows, as ``Book.valid`` gives)."""
    from sheetbook.reconcile import reconcile

    def ok(df: pd.DataFrame | None, key: str) -> pd.DataFrame:
        df = table(key, []) if df is None else df
        return df[df["_ok"]].reset_index(drop=True)

    result = reconcile(ok(cust, "customers"), ok(sale, "sales"), ok(pay, "payments"),
                       ok(conf, "confirmations"), Settings(aging_buckets=tuple(buckets)),
                       fiscal_year, d(as_of))
    check_invariants(result)
    return result


def check_invariants(result) -> None:
    """Per customer: sum(open items) − unapplied credit = 期末应收; allocations ≥ 0 and never
    more than an item's amount; 期末应收 = 期初 + 销售 − 收款; aging 合计 = 期末应收."""
    rec = result.receivables.set_index("customer_id")
    open_by = result.open_items.groupby("customer_id")["open"].sum()
    for cid, r in rec.iterrows():
        assert int(r["closing"]) == int(r["opening"]) + int(r["sales"]) - int(r["received"])
        assert int(open_by.get(cid, 0)) - int(r["unapplied"]) == int(r["closing"]), cid
    assert (result.allocations["amount"] > 0).all()
    assert (result.open_items["open"] > 0).all()
    assert (result.open_items["open"] <= result.open_items["amount"]).all()
    aging = result.aging.set_index("customer_id")
    for cid, r in aging.iterrows():
        assert int(r["total"]) == int(rec.loc[cid, "closing"])
    assert result.totals["closing"] == result.totals["total"]


def alloc_rows(result, *cols: str) -> list[tuple]:
    """Allocation rows as tuples of the given columns (dates as ISO text, NA as None)."""
    out = []
    for rec in result.allocations[list(cols)].to_dict("records"):
        row = []
        for c in cols:
            v = rec[c]
            if isinstance(v, pd.Timestamp):
                v = v.date().isoformat()
            elif v is pd.NA:
                v = None
            elif hasattr(v, "item"):
                v = v.item()
            row.append(v)
        out.append(tuple(row))
    return out


def open_rows(result) -> list[tuple]:
    """Open items as (customer_id, invoice_no or item kind, open 分)."""
    return [(r["customer_id"], r["invoice_no"] or r["item_kind"], int(r["open"]))
            for r in result.open_items.to_dict("records")]


def receivable(result, customer_id: str) -> dict:
    """The 应收汇总 row of a customer as a dict."""
    rows = result.receivables[result.receivables["customer_id"] == customer_id]
    return rows.to_dict("records")[0]


def codes(result) -> list[str]:
    """The finding codes, in tab order."""
    return [f.code for f in result.exceptions]
