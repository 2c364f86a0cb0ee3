"""The 税务 result tab and the ``sheetbook tax --json`` document, from a :class:`TaxResult`.

The tab has exactly the contract columns of ``layout.RESULT_TABS_BY_KEY['tax']``: one row per
filing period, then the annual row (style ``total``). Periods near or exactly at the VAT
threshold, and 定期定额 periods over the quota, are styled ``warning``. The banner says the
figures are estimates to check against the 电子税务局 and names the rules file.
"""

from __future__ import annotations

import datetime as dt

from ..layout import RESULT_TABS_BY_KEY, Lang
from ..model import Book
from ..money import Fen, fen_to_decimal
from ..tabspec import RowStyle, TabSpec, banner_text, standard_columns, tab_name
from ..validate import left_out_note
from .job import TaxResult, TaxRow
from .periods import annual_label

ESTIMATE = {
    "zh": "以下税额为估算，申报前请在电子税务局核对",
    "en": "These taxes are estimates; check them in the e-Tax Bureau (电子税务局) before filing",
}
WARNING_FLAGS = frozenset({"vat.near_threshold", "vat.at_threshold", "pit.over_quota"})
_YES_NO = {"zh": ("是", "否"), "en": ("Yes", "No")}


def tax_tabs(result: TaxResult, book: Book | None = None, lang: Lang | None = None,
             run_at: dt.datetime | None = None) -> list[TabSpec]:
    """The 税务 tab for a result (``lang`` defaults to the book's, else Chinese)."""
    lang = lang or (book.lang if book is not None else "zh")
    columns = standard_columns("tax", lang)
    keys = [c.key for c in columns]
    rows = [[_cell(row, key, lang, result.year) for key in keys] for row in result.rows]
    styles: dict[int, RowStyle] = {}
    for i, row in enumerate(result.rows):
        if row.kind == "annual":
            styles[i] = "total"
        elif WARNING_FLAGS.intersection(row.flags):
            styles[i] = "warning"
    return [TabSpec("tax", tab_name("tax", lang), banner_text(lang, run_at, _notes(result, book, lang)),
                    columns, rows, styles)]


def _cell(row: TaxRow, key: str, lang: str, year: int) -> object:
    if key == "period":
        return annual_label(year, lang) if row.kind == "annual" else row.period
    if key == "threshold_reached":
        if row.threshold_reached is None:
            return ""
        return _YES_NO[lang][0 if row.threshold_reached else 1]
    if key == "basis":
        return row.basis(lang)
    return getattr(row, key)


def _notes(result: TaxResult, book: Book | None, lang: str) -> list[str]:
    r = result.rules
    notes = [ESTIMATE[lang],
             (f"规则 {r.name}（{r.valid_from}–{r.valid_to}）" if lang == "zh"
              else f"Rules {r.name} ({r.valid_from} to {r.valid_to})")]
    notes.extend(n.text(lang) for n in result.notes)
    if book is not None:
        info = book.sheets.get("expenses")
        if info is not None and not info.present:
            notes.append("没有 支出 表：成本费用按 0 计算" if lang == "zh"
                         else "No Expenses sheet: costs are taken as 0")
        notes += left_out_note(book, lang, ("sales", "expenses"))
    return notes


def yuan_text(fen: Fen | None) -> str | None:
    """Money for JSON: 分 as a 元 string with two decimals (``"1234.50"``), ``None`` stays."""
    return None if fen is None else str(fen_to_decimal(fen))


def tax_json(result: TaxResult) -> dict:
    """The ``sheetbook tax --json`` document: money as 元 strings, dates ISO, rates as strings."""
    return {
        "year": result.year,
        "rules": {"name": result.rules.name, "valid_from": result.rules.valid_from.isoformat(),
                  "valid_to": result.rules.valid_to.isoformat()},
        "settings": {
            "taxpayer_type": result.settings.taxpayer_type,
            "vat_period": result.settings.vat_period,
            "pit_method": result.settings.pit_method,
            "location": result.settings.location,
            "prices_include_vat": result.settings.prices_include_vat,
            "has_other_income": result.settings.has_other_income,
        },
        "estimate": ESTIMATE,
        "rows": [_json_row(row) for row in result.rows],
        "notes": [{"code": n.code, "message_zh": n.zh, "message_en": n.en} for n in result.notes],
    }


def _json_row(row: TaxRow) -> dict:
    """One row keyed like the tab's columns (JSON twin of the tab), plus kind, dates and flags."""
    out: dict[str, object] = {}
    for col in RESULT_TABS_BY_KEY["tax"].columns:
        value = row.basis_zh if col.key == "basis" else getattr(row, col.key)
        if value is None or col.kind == "text":
            out[col.key] = value
        elif col.kind == "money":
            out[col.key] = yuan_text(value)
        elif col.kind == "percent":
            out[col.key] = str(value)
        elif col.kind == "date":
            out[col.key] = value.isoformat()
        else:  # pragma: no cover - the tax tab has no other kinds
            out[col.key] = value
    out.update(kind=row.kind, start=row.start.isoformat(), end=row.end.isoformat(),
               basis_en=row.basis_en, flags=list(row.flags))
    return out
