"""Write a new workbook from the layout: the empty template, ``init``, and the demo book.

Everything here is derived from :mod:`sheetbook.layout`; no sheet or header name is typed.
Decisions:

- Every input sheet is an Excel Table (``tblSales`` …) with the header in row 1. The empty
  template's tables hold **one blank row**; the number formats are also set on the **whole
  columns**, and the dropdowns cover the columns down to Excel's last row, so rows typed below a
  table (or appended to it, which Excel does itself) are formatted and checked the same way.
  Only 预算 gets :data:`BUDGET_TEMPLATE_ROWS` rows, because its 全年 cells carry a formula.
- 全年 is a plain ``=SUM(C2:N2)`` per row (columns found from the layout), not a structured
  reference: WPS and LibreOffice read it the same as Excel does, and it survives columns being
  renamed. Written with its value cached so readers that do not recalculate see the total.
- 客户编号 dropdowns in 销售/收款/对账记录 use the defined name ``CustomerIds`` (the 客户
  sheet's id column, rows 2 … :data:`CUSTOMER_LIST_ROWS` + 1) with the *warning* style, so a
  payment that only names its payer, or a new customer, can still be typed.
- id and text columns are formatted as text (``@``), so a 28-digit 微信 流水号 or a phone
  number typed in stays exactly as typed; Excel's "number stored as text" mark is switched off
  for those columns.
- Output is deterministic: a fixed creation date, and xlsxwriter's fixed zip timestamps.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import xlsxwriter
from xlsxwriter.utility import xl_col_to_name
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from . import guide
from .dates import EXCEL_EPOCH
from .errors import ExistsError
from .layout import (
    FORMATS,
    GUIDE_SHEET,
    INPUT_TAB_COLOR,
    MONTHS,
    SETTINGS,
    SHEETS,
    SHEETS_BY_KEY,
    Column,
    Lang,
    Setting,
    Sheet,
)
from .text import quote_sheet

#: Creation date stamped in every generated book (keeps output byte-for-byte reproducible).
CREATED = dt.datetime(2026, 1, 1, 0, 0, 0)
TABLE_STYLE = "Table Style Medium 2"
#: Excel's last row (0-based index), the bottom of dropdowns and column-wide checks.
LAST_ROW = 1_048_575
CUSTOMER_LIST_ROWS = 5000
CUSTOMER_IDS_NAME = "CustomerIds"
BUDGET_TEMPLATE_ROWS = 20
TEXT_FORMAT = "@"
_TEXT_KINDS = ("id", "text")
_XLSX_OPTIONS = {
    "constant_memory": False,
    "strings_to_numbers": False,
    "strings_to_formulas": False,
    "strings_to_urls": False,
}

Rows = Sequence[Mapping[str, Any]]


def table_name(sheet: Sheet) -> str:
    """The ASCII Table (ListObject) name of an input sheet: ``tblSales``."""
    return "tbl" + "".join(part.capitalize() for part in sheet.key.split("_"))


def column_format(col: Column) -> str | None:
    """The number format of a column's data cells in the template."""
    if col.kind in _TEXT_KINDS:
        return TEXT_FORMAT
    return col.number_format


def settings_columns() -> tuple[Column, ...]:
    """The 设置 sheet's columns: the layout's 项目/值 plus a 说明 (help) column.

    The help column is taken from the layout when it declares one (key ``help``); until then it
    borrows the guide sheet's name, which is the same word (说明 / Guide).
    """
    sheet = SHEETS_BY_KEY["settings"]
    if any(c.key == "help" for c in sheet.columns):
        return sheet.columns
    helper = Column("help", GUIDE_SHEET["zh"], "Help", width=50,
                    help_zh="这一项的说明", help_en="What this setting means")
    return (*sheet.columns, helper)


def build_book(
    path: str | Path,
    lang: Lang = "zh",
    shop_name: str | None = None,
    data: Mapping[str, Rows] | None = None,
    *,
    fiscal_year: int | None = None,
) -> Path:
    """Write a new workbook at ``path`` and return the path.

    Args:
        path: the .xlsx file to create (overwritten if it exists; see :func:`init_book`).
        lang: ``zh`` (Chinese sheet and column names) or ``en``.
        shop_name: fills 设置 店铺名称 and the document's company.
        data: optional rows per sheet key, each a dict keyed by column key: ``str``; ``int`` 分
            for money columns (or ``str`` for an amount typed as text); ``datetime.date``;
            ``int``/``float`` for numbers. Choice values are the canonical Chinese ones.
            ``data["settings"]`` rows are ``{"item": setting key, "value": ...}``.
        fiscal_year: fills 设置 会计年度.
    """
    path = Path(path)
    data = data or {}
    wb = xlsxwriter.Workbook(str(path), _XLSX_OPTIONS)
    fmt = _Formats(wb)
    text = guide.TEXT[lang]
    title = text["title"].format(shop=shop_name or "sheetbook")
    wb.set_properties({
        "title": title, "subject": text["subject"], "author": "sheetbook",
        "company": shop_name or "", "created": CREATED, "comments": "sheetbook template",
    })
    _write_guide(wb, fmt, lang, shop_name)
    customers = SHEETS_BY_KEY["customers"]
    id_col = xl_col_to_name(_index(customers, "customer_id"))
    wb.define_name(
        CUSTOMER_IDS_NAME,
        f"={quote_sheet(customers.name(lang))}!${id_col}$2:${id_col}${CUSTOMER_LIST_ROWS + 1}",
    )
    for sheet in SHEETS:
        if sheet.key == "settings":
            _write_settings(wb, fmt, lang, shop_name, fiscal_year, data.get("settings", ()))
        else:
            _write_input_sheet(wb, fmt, sheet, lang, data.get(sheet.key, ()))
    wb.close()
    return path


def write_template(path: str | Path, lang: Lang = "zh") -> Path:
    """Write the empty template (what ``sheetbook template --out`` produces)."""
    return build_book(path, lang)


def init_book(path: str | Path, lang: Lang = "zh", shop_name: str | None = None) -> Path:
    """Create a new empty book for a shop; never overwrites an existing file."""
    path = Path(path)
    if path.exists():
        raise ExistsError(
            f"文件已存在，不会覆盖：{path}。请换一个文件名，或先把旧文件移走。",
            f"File exists and will not be overwritten: {path}. Choose another name or move it.",
        )
    return build_book(path, lang, shop_name)


# ---------------------------------------------------------------------------- formats


class _Formats:
    """The workbook's cell formats, created once."""

    def __init__(self, wb: Workbook) -> None:
        self.wb = wb
        self._by_num: dict[str | None, Any] = {}
        base = {"font_name": "等线", "font_size": 11, "valign": "vcenter"}
        wrap = {**base, "text_wrap": True, "valign": "top"}
        self.guide = {
            "title": wb.add_format({**base, "bold": True, "font_size": 18, "font_color": "#2E7D32"}),
            "h1": wb.add_format({**base, "bold": True, "font_size": 14, "bottom": 2,
                                 "bottom_color": "#2E7D32"}),
            "h2": wb.add_format({**wrap, "bold": True, "font_color": "#1565C0", "underline": 1}),
            "p": wb.add_format(wrap),
            "code": wb.add_format({**wrap, "font_name": "Consolas", "bg_color": "#F2F2F2"}),
            "th": wb.add_format({**wrap, "bold": True, "bg_color": "#E8F5E9", "border": 1}),
            "td": wb.add_format({**wrap, "border": 1}),
        }
        self.h2_text = wb.add_format({**wrap, "italic": True})
        # Explicit header formats: LibreOffice and WPS do not draw Excel table styles.
        head = {**base, "bold": True, "font_color": "#FFFFFF", "border": 1,
                "border_color": "#FFFFFF", "align": "center", "text_wrap": True}
        self.header = {
            True: wb.add_format({**head, "bg_color": "#" + INPUT_TAB_COLOR}),
            False: wb.add_format({**head, "bg_color": "#66BB6A"}),
        }

    def num(self, num_format: str | None) -> Any:
        """A data-cell format with this number format (None = General)."""
        if num_format not in self._by_num:
            props = {"num_format": num_format} if num_format else {}
            self._by_num[num_format] = self.wb.add_format(props) if props else None
        return self._by_num[num_format]


# ---------------------------------------------------------------------------- input sheets


def _index(sheet: Sheet, key: str) -> int:
    return [c.key for c in sheet.columns].index(key)


def _limit(text: str, n: int) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def _help(col: Column, lang: Lang) -> str:
    return (col.help_en or col.help_zh) if lang == "en" else col.help_zh


def _start_sheet(wb: Workbook, name: str, landscape: bool, lang: Lang) -> Worksheet:
    ws = wb.add_worksheet(name)
    ws.set_tab_color("#" + INPUT_TAB_COLOR)
    ws.freeze_panes(1, 0)
    ws.set_paper(9)
    if landscape:
        ws.set_landscape()
    else:
        ws.set_portrait()
    ws.fit_to_pages(1, 0)
    ws.repeat_rows(0)
    ws.set_footer(guide.TEXT[lang]["footer"])
    return ws


def _header_messages(ws: Worksheet, columns: Sequence[Column], lang: Lang) -> None:
    """An input message with the help text on each header cell."""
    mark = guide.TEXT[lang]["required"]
    for j, col in enumerate(columns):
        message = _help(col, lang)
        if not message or message == col.name(lang):
            continue
        title = col.name(lang) + (mark if col.required else "")
        ws.data_validation(0, j, 0, j, {
            "validate": "any", "input_title": _limit(title, 32),
            "input_message": _limit(message, 255),
        })


def _choice_validation(col: Column, lang: Lang) -> dict[str, Any]:
    values = col.choice_values(lang)
    text = guide.TEXT[lang]
    shown = " / ".join(values)
    if col.open_choices:
        return {"validate": "list", "source": values, "error_type": "warning",
                "error_title": _limit(text["choice_error_title"], 32),
                "error_message": _limit(text["open_choice_error"].format(values=shown), 255)}
    return {"validate": "list", "source": values, "error_type": "stop",
            "error_title": _limit(text["choice_error_title"], 32),
            "error_message": _limit(text["choice_error"].format(values=shown), 255)}


def _column_validations(ws: Worksheet, sheet: Sheet, lang: Lang) -> None:
    """Dropdowns for choice, yes/no and 客户编号 columns, down to the last row."""
    text = guide.TEXT[lang]
    for j, col in enumerate(sheet.columns):
        if col.choices:
            ws.data_validation(1, j, LAST_ROW, j, _choice_validation(col, lang))
        elif col.key == "customer_id" and sheet.key != "customers":
            ws.data_validation(1, j, LAST_ROW, j, {
                "validate": "list", "source": "=" + CUSTOMER_IDS_NAME, "error_type": "warning",
                "error_title": _limit(text["customer_error_title"], 32),
                "error_message": _limit(text["customer_error"], 255),
            })


def _text_columns(ws: Worksheet, columns: Sequence[Column]) -> None:
    ranges = [f"{xl_col_to_name(j)}1:{xl_col_to_name(j)}{LAST_ROW + 1}"
              for j, col in enumerate(columns) if column_format(col) == TEXT_FORMAT]
    if ranges:
        ws.ignore_errors({"number_stored_as_text": " ".join(ranges)})


def _write_input_sheet(wb: Workbook, fmt: _Formats, sheet: Sheet, lang: Lang, rows: Rows) -> None:
    ws = _start_sheet(wb, sheet.name(lang), sheet.landscape, lang)
    cols = sheet.columns
    formats = [fmt.num(column_format(c)) for c in cols]
    for j, col in enumerate(cols):
        ws.set_column(j, j, col.width, formats[j])
    n_rows = len(rows)
    if sheet.key == "budget":
        n_rows = max(n_rows, BUDGET_TEMPLATE_ROWS)
    ws.add_table(0, 0, max(n_rows, 1), len(cols) - 1, {
        "name": table_name(sheet), "style": TABLE_STYLE,
        "columns": [{"header": c.name(lang), "format": f, "header_format": fmt.header[c.required]}
                    for c, f in zip(cols, formats)],
    })
    _header_messages(ws, cols, lang)
    _column_validations(ws, sheet, lang)
    _text_columns(ws, cols)
    for i in range(len(rows) + 1, max(n_rows, 1) + 1):
        for j, f in enumerate(formats):  # the empty rows of the table, formatted
            if f is not None:
                ws.write_blank(i, j, None, f)
    translate = _choice_translator(cols, lang)
    for j, col in enumerate(cols):
        _write_column(ws, j, col, rows, formats[j], translate.get(j))
    if sheet.key == "budget":
        _budget_totals(ws, sheet, rows, n_rows, formats[_index(sheet, "total")])


def _choice_translator(cols: Sequence[Column], lang: Lang) -> dict[int, dict[str, str]]:
    if lang == "zh":
        return {}
    return {j: {c.zh: c.en for c in col.choices} for j, col in enumerate(cols) if col.choices}


def _write_column(
    ws: Worksheet, j: int, col: Column, rows: Rows, cell_format: Any,
    names: dict[str, str] | None,
) -> None:
    """Write one column of data rows (the hot loop of a 100,000-row demo book).

    Plain types take a fast path (dates as serial numbers in the column's date format, which
    is what ``write_datetime`` stores); anything else goes through :func:`_write_cell`.
    """
    key, money = col.key, col.kind == "money"
    write_string, write_number = ws.write_string, ws.write_number
    for i, row in enumerate(rows, start=1):
        value = row.get(key)
        if value is None:
            continue
        kind = type(value)
        if kind is str:
            if value:
                write_string(i, j, names.get(value, value) if names else value, cell_format)
        elif kind is int:
            write_number(i, j, fen_to_float(value) if money else value, cell_format)
        elif kind is dt.date:
            write_number(i, j, (value - EXCEL_EPOCH).days, cell_format)
        elif kind is float and not money:
            write_number(i, j, value, cell_format)
        else:
            _write_cell(ws, i, j, value, col.kind, cell_format)


def _write_cell(ws: Worksheet, r: int, c: int, value: Any, kind: str, cell_format: Any) -> None:
    if isinstance(value, str):
        ws.write_string(r, c, value, cell_format)
    elif isinstance(value, bool):
        raise TypeError(f"boolean cell value at row {r}, column {c}")
    elif isinstance(value, dt.date):
        ws.write_datetime(r, c, value, cell_format)
    elif kind == "money":
        ws.write_number(r, c, fen_to_float(value), cell_format)
    else:
        ws.write_number(r, c, value, cell_format)


def fen_to_float(fen: int) -> float:
    """分 as the float of 元 an Excel cell stores.

    ``fen / 100`` is the correctly rounded (nearest) double of the exact decimal for any
    |fen| < 2**53, i.e. the same float as ``float(Decimal(fen) / 100)``; a test checks it.
    """
    if not isinstance(fen, int):
        raise TypeError(f"money must be int 分, got {type(fen).__name__}")
    return fen / 100


def _budget_totals(ws: Worksheet, sheet: Sheet, rows: Rows, n_rows: int, total_format) -> None:
    """全年 = SUM of the month columns on every budget row, with the cached value."""
    first = xl_col_to_name(_index(sheet, MONTHS[0]))
    last = xl_col_to_name(_index(sheet, MONTHS[-1]))
    tcol = _index(sheet, "total")
    for i in range(1, n_rows + 1):
        row = rows[i - 1] if i <= len(rows) else {}
        cached = sum(v for k in MONTHS if isinstance(v := row.get(k), int))
        ws.write_formula(i, tcol, f"=SUM({first}{i + 1}:{last}{i + 1})", total_format,
                         fen_to_float(cached))


# ---------------------------------------------------------------------------- 设置


def _setting_value(s: Setting, lang: Lang) -> str:
    return guide.setting_default(s, lang)


def _write_settings(
    wb: Workbook, fmt: _Formats, lang: Lang, shop_name: str | None,
    fiscal_year: int | None, rows: Rows,
) -> None:
    sheet = SHEETS_BY_KEY["settings"]
    cols = settings_columns()
    ws = _start_sheet(wb, sheet.name(lang), sheet.landscape, lang)
    for j, col in enumerate(cols):
        ws.set_column(j, j, col.width, fmt.num(column_format(col) if j != 1 else None))
    given: dict[str, Any] = {}
    by_name = {s.zh: s.key for s in SETTINGS}
    for row in rows:
        item = str(row.get("item", ""))
        given[by_name.get(item, item)] = row.get("value")
    if shop_name is not None:
        given["shop_name"] = shop_name
    if fiscal_year is not None:
        given["fiscal_year"] = fiscal_year
    ws.add_table(0, 0, len(SETTINGS), len(cols) - 1, {
        "name": table_name(sheet), "style": TABLE_STYLE,
        "columns": [{"header": c.name(lang), "header_format": fmt.header[c.required]}
                    for c in cols],
    })
    _header_messages(ws, cols, lang)
    text = guide.TEXT[lang]
    for i, s in enumerate(SETTINGS, start=1):
        ws.write_string(i, 0, s.name(lang))
        value = given.get(s.key, _setting_value(s, lang))
        if lang == "en" and s.choices and isinstance(value, str):
            value = {c.zh: c.en for c in s.choices}.get(value, value)
        cell_format = fmt.num(TEXT_FORMAT if s.kind == "text" else FORMATS.get(s.kind))
        if value not in (None, ""):
            _write_cell(ws, i, 1, value, s.kind, cell_format)
        else:
            ws.write_blank(i, 1, None, cell_format)
        help_text = (getattr(s, "help_en", "") or s.help_zh) if lang == "en" else s.help_zh
        if help_text:
            ws.write_string(i, 2, help_text, fmt.num(TEXT_FORMAT))
        if s.choices:
            values = [c.zh if lang == "zh" else c.en for c in s.choices]
            ws.data_validation(i, 1, i, 1, {
                "validate": "list", "source": values, "error_type": "stop",
                "error_title": _limit(text["choice_error_title"], 32),
                "error_message": _limit(text["choice_error"].format(values=" / ".join(values)), 255),
            })
    _text_columns(ws, cols[:1])


# ---------------------------------------------------------------------------- 说明


_GUIDE_WIDTHS = (18, 14, 12, 16, 12, 12, 14)


def _display_width(text: str) -> float:
    return sum(1.9 if ord(ch) > 0x2E80 else 1.0 for ch in text)


def _row_height(text: str, width: float) -> float:
    lines = sum(max(1, math.ceil(_display_width(part) / max(width - 1, 4)))
                for part in text.split("\n"))
    return 16.5 * lines + 3


def _write_guide(wb: Workbook, fmt: _Formats, lang: Lang, shop_name: str | None) -> None:
    ws = wb.add_worksheet(GUIDE_SHEET[lang])
    ws.hide_gridlines(2)
    ws.set_paper(9)
    ws.set_portrait()
    ws.fit_to_pages(1, 0)
    ws.set_footer(guide.TEXT[lang]["footer"])
    for j, width in enumerate(_GUIDE_WIDTHS):
        ws.set_column(j, j, width)
    last = len(_GUIDE_WIDTHS) - 1
    for r, (style, cells, link) in enumerate(guide.guide_rows(lang, shop_name)):
        cell_format = fmt.guide[style]
        height = 0.0
        for j, value in enumerate(cells):
            merged_to = last if j == len(cells) - 1 else j
            width = sum(_GUIDE_WIDTHS[j: merged_to + 1])
            f = fmt.h2_text if style == "h2" and j > 0 else cell_format
            if merged_to > j:
                ws.merge_range(r, j, r, merged_to, "", f)
            if j == 0 and link:
                ws.write_url(r, j, f"internal:{quote_sheet(link)}!A1", f, string=value)
            else:
                ws.write_string(r, j, value, f)
            height = max(height, _row_height(value, width))
        if style == "title":
            height = 30
        ws.set_row(r, max(height, 18))
