"""Build 销售 and 支出 typed tables for the tax tests, following :mod:`sheetbook.model`'s contract.

Every column of the layout's sheet is present with its contract dtype: ``_row`` int, ``_ok``
bool, money ``Int64`` 分, dates ``datetime64`` at midnight, ``""`` for blank text, categories
as canonical Chinese values. Money is given as 元 text (``"302999.99"``) so the tests read like
the arithmetic in their comments.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pandas as pd

from sheetbook.layout import SHEETS_BY_KEY
from sheetbook.model import Book, Settings
from sheetbook.money import Fen, to_fen


def fen(yuan: str | int) -> Fen:
    """元 (text or int) → 分, exactly: ``fen("302999.99") == 30299999``."""
    return to_fen(Decimal(str(yuan)))


def _frame(key: str, records: list[dict]) -> pd.DataFrame:
    sheet = SHEETS_BY_KEY[key]
    data: dict[str, object] = {
        "_row": pd.Series([i + 2 for i in range(len(records))], dtype="int64"),
        "_ok": pd.Series([True] * len(records), dtype="bool"),
    }
    for col in sheet.columns:
        values = [r.get(col.key) for r in records]
        if col.kind == "money":
            data[col.key] = pd.array([None if v is None else fen(v) for v in values], dtype="Int64")
        elif col.kind == "date":
            data[col.key] = pd.Series(pd.to_datetime([v for v in values]), dtype="datetime64[ns]")
        elif col.kind == "int":
            data[col.key] = pd.array(values, dtype="Int64")
        elif col.kind == "number":
            data[col.key] = pd.Series([float("nan") if v is None else float(v) for v in values],
                                      dtype="float64")
        else:
            data[col.key] = pd.Series(["" if v is None else str(v) for v in values], dtype="str")
    return pd.DataFrame(data)


def sales(*rows: tuple[str | dt.date, str | int]) -> pd.DataFrame:
    """A 销售 table: one line per ``(date, amount in 元)``, invoice numbers S0001…"""
    return _frame("sales", [
        {"date": d, "invoice_no": f"S{i + 1:04d}", "customer_id": "C001", "amount": a}
        for i, (d, a) in enumerate(rows)
    ])


def expenses(*rows: tuple[str | dt.date, str, str | int]) -> pd.DataFrame:
    """A 支出 table: one line per ``(date, category, amount in 元)``."""
    return _frame("expenses", [{"date": d, "category": c, "amount": a} for d, c, a in rows])


def monthly_sales(year: int, amounts: list[str | int], day: int = 15) -> pd.DataFrame:
    """One sale per month (January first) on ``day``."""
    return sales(*((dt.date(year, m + 1, day), a) for m, a in enumerate(amounts)))


def book(sales_df: pd.DataFrame, expenses_df: pd.DataFrame | None = None,
         settings: Settings | None = None, year: int = 2026, lang: str = "zh") -> Book:
    """A :class:`~sheetbook.model.Book` holding these tables (no file behind it)."""
    return Book(path=Path("test.xlsx"), lang=lang, settings=settings or Settings(),  # type: ignore[arg-type]
                fiscal_year=year,
                tables={"sales": sales_df, "expenses": expenses() if expenses_df is None else expenses_df},
                sheets={})
