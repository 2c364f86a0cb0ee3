"""One pandera schema per input sheet, generated from the layout and run lazily.

The reader has already converted each cell by its type (unreadable cells are problems of their
own); the schemas check what can be said of a single column: required cells filled, values in
their allowed lists, no negative credit limits or terms, no payments or expenses of 0. Every
failure case becomes a :class:`~sheetbook.problems.Problem` naming its cell: pandera's
``failure_cases.index`` is the table row, whose ``_row`` is the sheet row.

Most sheets pass every check, and pandera costs about a second per process to import and set
up, so each check function is first run directly on its column: when every check of a sheet
passes (no False, no missing result), pandera has nothing to report and is not asked; otherwise
the sheet is validated by pandera as always, which alone decides the failure cases.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import TYPE_CHECKING

import pandas as pd

from . import problems as P
from .layout import SHEETS_BY_KEY, Column, Sheet
from .model import Book

if TYPE_CHECKING:
    import pandera.pandas as pa

#: check name → problem code
CODES = {"required": "cell.required", "choice": "cell.bad_choice", "non_negative": "cell.negative",
         "payments.nonzero": "payments.zero_amount", "expenses.nonzero": "expenses.zero_amount"}

#: (check name, vectorised function of the column, ignore_na) — the source of the pandera checks
CheckSpec = tuple[str, Callable[[pd.Series], pd.Series], bool]


def _filled(s: pd.Series) -> pd.Series:
    if s.dtype == object:
        return s.fillna("").astype(str).str.strip() != ""
    return s.notna()


def _check_specs(sheet: Sheet, col: Column) -> list[CheckSpec]:
    checks: list[CheckSpec] = []
    if col.required:
        checks.append(("required", _filled, False))
    if col.kind in ("choice", "yesno") and col.choices and not col.open_choices:
        allowed = {c.zh for c in col.choices} | {""}
        checks.append(("choice", lambda s, allowed=allowed: s.isin(allowed), True))
    if col.key in ("credit_limit", "terms_days"):
        checks.append(("non_negative", lambda s: s.isna() | (s >= 0), False))
    if col.key == "amount" and sheet.key in ("payments", "expenses"):
        checks.append((f"{sheet.key}.nonzero", lambda s: s.isna() | (s != 0), False))
    return checks


def _column_checks(sheet: Sheet, col: Column) -> list[pa.Check]:
    import pandera.pandas as pa

    return [pa.Check(fn, name=name, ignore_na=ignore_na) for name, fn, ignore_na in _check_specs(sheet, col)]


@cache
def schema_for(sheet_key: str) -> pa.DataFrameSchema:
    """The pandera schema of an input sheet (built once from the layout)."""
    import pandera.pandas as pa

    sheet = SHEETS_BY_KEY[sheet_key]
    columns = {col.key: pa.Column(checks=_column_checks(sheet, col), nullable=True, required=True,
                                  coerce=False)
               for col in sheet.columns}
    return pa.DataFrameSchema(columns, name=sheet.zh, strict=False, unique_column_names=False)


def passes(frame: pd.DataFrame, sheet_key: str) -> bool:
    """Whether every check of the sheet surely passes on ``frame`` (False when unsure)."""
    sheet = SHEETS_BY_KEY[sheet_key]
    for col in sheet.columns:
        specs = _check_specs(sheet, col)
        if not specs:
            continue
        if col.key not in frame.columns or not frame.columns.is_unique:
            return False
        s = frame[col.key]
        for _name, fn, ignore_na in specs:
            try:
                ok = fn(s)
                if ignore_na:
                    ok = ok | s.isna()
                if not isinstance(ok, pd.Series) or len(ok) != len(s) or ok.isna().any() or not ok.all():
                    return False
            except Exception:  # noqa: BLE001 - let pandera report whatever this is
                return False
    return True


def check_schema(book: Book, sheet_key: str) -> list[P.Problem]:
    """Run one sheet's schema lazily; every failure case becomes a problem with its cell."""
    frame = book.tables[sheet_key]
    if frame.empty or passes(frame, sheet_key):
        return []
    import pandera.pandas as pa

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
