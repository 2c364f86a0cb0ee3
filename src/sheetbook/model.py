"""What the reader hands to the jobs: typed tables, settings, and where each row came from.

Typed tables (one pandas DataFrame per input sheet, columns named by the layout's keys):

- ``_row`` (int): the sheet row the record came from (1-based), so problems can name cells;
- ``_ok`` (bool): the row has no error; jobs use :meth:`Book.valid`;
- money columns: ``Int64`` (nullable) 分;
- date columns: ``datetime64`` at midnight, ``NaT`` when blank;
- int columns: ``Int64``; number columns (数量): ``float64``;
- text, id, choice and yes/no columns: Python ``str`` values in an ``object`` column, ``""``
  when blank; choice values are the canonical Chinese value (``微信``) whatever the book's
  language.

Derived values (filled by :func:`sheetbook.validate.validate`, so every job sees the same thing;
jobs therefore take a validated book, as :func:`sheetbook.pipeline.load` returns):
``sales.amount`` (数量×单价−折扣 when blank), ``sales.due_date`` (日期 + 账期天数 when blank),
and ``customer_id`` in 销售/收款/对账记录 resolved to the customer's own id when it was typed as a
name or alias (with a warning).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import pandas as pd

from .layout import SHEETS_BY_KEY, Lang
from .problems import Problem
from .text import column_letter


@dataclass(frozen=True)
class Settings:
    """The 设置 sheet, typed, with defaults applied.

    Attributes mirror ``layout.SETTINGS``; money in 分, rates as Decimal fractions.
    """

    shop_name: str = ""
    owner: str = ""
    credit_code: str = ""
    phone: str = ""
    bank_account: str = ""
    taxpayer_type: str = "小规模纳税人"
    vat_period: str = "按季"
    pit_method: str = "查账征收"
    deemed_profit_rate: Decimal | None = None
    fixed_monthly_tax: int | None = None
    prices_include_vat: bool = True
    location: str = "市区"
    has_other_income: bool = False
    fiscal_year: int | None = None
    aging_buckets: tuple[int, ...] = (30, 60, 90)
    statement_note: str = ""


@dataclass
class SheetInfo:
    """Where an input sheet sits in the book.

    Attributes:
        key: layout key.
        name: the sheet's name in the book ('' when the sheet is absent).
        header_row: the 1-based row of the header (0 when absent).
        letters: column key → column letter in the book.
        headers: column key → header text as typed in the book.
    """

    key: str
    name: str = ""
    header_row: int = 0
    letters: dict[str, str] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)

    @property
    def present(self) -> bool:
        """Whether the book has this sheet."""
        return bool(self.name)


@dataclass
class Book:
    """A workbook as read: typed tables, settings, problems found while reading.

    Attributes:
        path: the file read.
        lang: the language of the book's sheet names (``zh`` unless they are English).
        settings: the 设置 sheet.
        fiscal_year: 会计年度 (set, or the year of the latest entry).
        tables: layout key → typed DataFrame (all rows read; see the module docstring).
        sheets: layout key → where the sheet is.
        problems: problems found so far (reading, schemas, checks).
        sheet_order: every sheet name in the book, in order.
        password: the password that opened an encrypted book (to write it back encrypted).
    """

    path: Path
    lang: Lang
    settings: Settings
    fiscal_year: int
    tables: dict[str, pd.DataFrame]
    sheets: dict[str, SheetInfo]
    problems: list[Problem] = field(default_factory=list)
    sheet_order: list[str] = field(default_factory=list)
    password: str | None = None

    def valid(self, key: str) -> pd.DataFrame:
        """The rows of a sheet without errors (what the jobs run on)."""
        df = self.tables[key]
        return df[df["_ok"]].reset_index(drop=True) if len(df) else df

    def left_out(self, key: str) -> int:
        """How many data rows of a sheet were left out because of errors."""
        df = self.tables[key]
        return int((~df["_ok"]).sum()) if len(df) else 0

    def sheet_name(self, key: str) -> str:
        """The sheet's name in the book, or its layout name in the book's language."""
        info = self.sheets.get(key)
        return info.name if info and info.name else SHEETS_BY_KEY[key].name(self.lang)

    def cell(self, key: str, column: str, row: int) -> str:
        """The cell address (``F12``) of a column of a record."""
        info = self.sheets.get(key)
        letter = info.letters.get(column) if info else None
        if letter is None:
            sheet = SHEETS_BY_KEY[key]
            idx = [c.key for c in sheet.columns].index(column)
            letter = column_letter(idx)
        return f"{letter}{row}"

    def as_of_default(self, today: dt.date | None = None) -> dt.date:
        """Today, capped at the fiscal year end."""
        today = today or dt.date.today()
        end = dt.date(self.fiscal_year, 12, 31)
        return min(today, end)
