"""One pandera schema per input sheet, generated from the layout and run lazily.

The reader has already converted each cell by its type (unreadable cells are problems of their
own); the schemas check what can be said of a single column: required cells filled, values in
their allowed lists, no negative credit limits or terms, no payments or expenses of 0. Every
failure case becomes a :class:`~sheetbook.problems.Problem` naming its cell: pandera's
``failure_cases.index`` is the table row, whose ``_row`` is the sheet row.
"""

from __future__ import annotations

from functools import cache

import pandas as pd
import pandera.pandas as pa

from . import problems as P
from .layout import SHEETS_BY_KEY, Column, Sheet
from .model import Book

#: check name → problem code
CODES = {"required": "cell.required", "choice": "cell.bad_choice", "non_negative": "cell.negative",
         "payments.nonzero": "payments.zero_amount", "expenses.nonzero": "expenses.zero_amount"}


def _filled(s: pd.Series) -> pd.Series:
    if s.dtype == object:
        return s.fillna("").astype(str).str.strip() != ""
    return s.notna()


def _column_checks(sheet: Sheet, col: Column) -> list[pa.Check]:
    checks: list[pa.Check] = []
    if col.required:
        checks.append(pa.Check(_filled, name="required", ignore_na=False))
    if col.kind in ("choice", "yesno") and col.choices and not col.open_choices:
        allowed = {c.zh for c in col.choices} | {""}
        checks.append(pa.Check(lambda s, allowed=allowed: s.isin(allowed), name="choice"))
    if col.key in ("credit_limit", "terms_days"):
        checks.append(pa.Check(lambda s: s.isna() | (s >= 0), name="non_negative", ignore_na=False))
    if col.key == "amount" and sheet.key in ("payments", "expenses"):
        checks.append(pa.Check(lambda s: s.isna() | (s != 0), name=f"{sheet.key}.nonzero", ignore_na=False))
    return checks


@cache
def schema_for(sheet_key: str) -> pa.DataFrameSchema:
    """The pandera schema of an input sheet (built once from the layout)."""
    sheet = SHEETS_BY_KEY[sheet_key]
    columns = {col.key: pa.Column(checks=_column_checks(sheet, col), nullable=True, required=True,
                                  coerce=False)
               for col in sheet.columns}
    return pa.DataFrameSchema(columns, name=sheet.zh, strict=False, unique_column_names=False)


def check_schema(book: Book, sheet_key: str) -> list[P.Problem]:
    """Run one sheet's schema lazily; every failure case becomes a problem with its cell."""
    frame = book.tables[sheet_key]
    if frame.empty:
        return []
    try:
        schema_for(sheet_key).validate(frame, lazy=True)
        return []
    except pa.errors.SchemaErrors as err:
        cases = err.failure_cases
    sheet = SHEETS_BY_KEY[sheet_key]
    info = book.sheets[sheet_key]
    out: list[P.Problem] = []
    for rec in cases.itertuples(index=False):
        idx = rec.index
        if idx is None or pd.isna(idx) or rec.check not in CODES:
            continue
        row = int(frame["_row"].iat[int(idx)])
        col = sheet.column(rec.column)
        header = info.headers.get(col.key, col.name(book.lang))
        value = "" if rec.failure_case is None or pd.isna(rec.failure_case) else rec.failure_case
        if col.kind == "money" and value != "":
            from .money import format_yuan

            value = format_yuan(int(value))
        out.append(P.make(CODES[rec.check], sheet=info.name, cell=book.cell(sheet_key, col.key, row),
                          row=row, column=header, value=value,
                          allowed=" / ".join(col.choice_values(book.lang))))
    return out
