"""The reconcile job's result tabs as :class:`~sheetbook.tabspec.TabSpec` data.

应收汇总 (receivables), 核销明细 (allocations), 账龄分析 (aging) and 待处理 (exceptions), with
exactly the WORKBOOK columns first (``tabspec.standard_columns``) and extra columns after them:

- 应收汇总: one row per customer, largest 期末应收 first (ties in 客户 sheet order), then a 合计
  row (style ``total``; sums of the money columns that add up). Rows over the credit limit are
  ``warning``, frozen customers ``muted``. (``ReconcileResult.receivables`` and the JSON keep
  the 客户 sheet order.)
- 核销明细: 收款行 links to the payment's 金额 cell in 收款 (text: the row number); extra columns
  核销日期 (when the allocation happened), 核销对象 (invoice / opening balance / refund) and
  资金来源 (payment, a return and its 单号, or the opening prepayment).
- 账龄分析: bucket columns named from 账龄分段, then 合计 (= 期末应收), then 预收 (unapplied
  credit, negative); customers sorted by 合计, largest first, then a 合计 row; a column chart
  of the buckets for the first 15 customers.
- 待处理: 单元格 links to the cell concerned; extra column 代码 (the stable finding code).

Every banner carries the as-of date and, when rows were left out because of errors, how many.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import pandas as pd

from ..layout import RESULT_TABS_BY_KEY, Lang
from ..model import Book
from ..money import format_yuan
from ..tabspec import Chart, Link, RowStyle, TabColumn, TabSpec, banner_text, standard_columns
from ..tabspec import tab_name as _tab_name
from ..text import column_letter
from ..validate import left_out_note
from .aging import DEFAULT_BUCKETS, bucket_headers, bucket_keys
from .job import STATUS_EN, ReconcileResult

CHART_CUSTOMERS = 15
_SUMMED = ("opening", "sales", "received", "closing", "unapplied", "over_limit")
_ITEM = {"invoice": ("销售单", "Invoice"), "opening": ("期初应收", "Opening balance")}


def _t(lang: Lang, zh: str, en: str) -> str:
    return en if lang == "en" else zh


def _date(value: object) -> dt.date | None:
    if value is None or value is pd.NaT or pd.isna(value):  # type: ignore[arg-type]
        return None
    return value.date() if isinstance(value, pd.Timestamp | dt.datetime) else value  # type: ignore[return-value]


def _money(value: object) -> int | None:
    return None if value is None or value is pd.NA else int(value)  # type: ignore[call-overload]


def banner_notes(result: ReconcileResult, book: Book, lang: Lang) -> list[str]:
    """The as-of date, and the rows left out of the job because of errors."""
    notes = [_t(lang, "截至 ", "As of ") + result.as_of.isoformat()]
    notes += left_out_note(book, lang, ("sales", "payments", "customers"))
    return notes


def receivables_tab(result: ReconcileResult, book: Book, lang: Lang,
                    run_at: dt.datetime | None = None) -> TabSpec:
    """应收汇总: one row per customer (largest balance first), then a 合计 row."""
    cols = standard_columns("receivables", lang)
    rows: list[list[object]] = []
    styles: dict[int, RowStyle] = {}
    cells: dict[tuple[int, str], RowStyle] = {}
    worst = result.buckets[-1] if result.buckets else DEFAULT_BUCKETS[-1]
    records = result.receivables.to_dict("records")
    order = sorted(range(len(records)), key=lambda i: (-int(records[i]["closing"]), i))
    for i, rec in enumerate(records[j] for j in order):
        row: list[object] = []
        for col in cols:
            v = rec[col.key]
            if col.kind == "money":
                row.append(_money(v))
            elif col.kind == "date":
                row.append(_date(v))
            elif col.key == "status":
                row.append(STATUS_EN.get(v, v) if lang == "en" else v)
            elif col.kind == "int":
                row.append(int(v))
            else:
                row.append(v)
        rows.append(row)
        if (_money(rec["over_limit"]) or 0) > 0:
            styles[i] = "warning"
        elif rec["status"] == "冻结":
            styles[i] = "muted"
        if int(rec["max_days_overdue"]) > worst:
            cells[(i, "max_days_overdue")] = "error"
        if _money(rec["confirm_diff"]):
            cells[(i, "confirm_diff")] = "warning"
    total: list[object] = [None] * len(cols)
    total[0] = _t(lang, "合计", "Total")
    for j, col in enumerate(cols):
        if col.key in _SUMMED:
            total[j] = int(result.totals.get(col.key, 0))
    styles[len(rows)] = "total"
    rows.append(total)
    notes = banner_notes(result, book, lang)
    unmatched = int(result.totals.get("unmatched_payments", 0))
    if unmatched:
        notes.append(_t(lang, f"另有 {format_yuan(unmatched)} 元收款未匹配到客户（见 待处理）",
                        f"{format_yuan(unmatched)} of payments matched no customer (see "
                        "Exceptions)"))
    return TabSpec("receivables", _tab_name("receivables", lang), banner_text(lang, run_at, notes),
                   cols, rows, styles, cells, freeze_cols=2)


def allocations_tab(result: ReconcileResult, book: Book, lang: Lang,
                    run_at: dt.datetime | None = None) -> TabSpec:
    """核销明细: one row per allocation; 收款行 links to the payment in 收款."""
    extra = (TabColumn("applied_on", _t(lang, "核销日期", "Applied on"), "date", 12),
             TabColumn("item", _t(lang, "核销对象", "Paid item"), "text", 12),
             TabColumn("source", _t(lang, "资金来源", "Paid from"), "text", 16))
    cols = standard_columns("allocations", lang, extra)
    a = result.allocations
    links = _payment_links(book, a["pay_row"])
    item = [_item(lang, k, r) for k, r in zip(a["item_kind"].tolist(), a["item_row"].tolist())]
    source = [_source(lang, s, ref) for s, ref in zip(a["source"].tolist(), a["source_ref"].tolist())]
    rule_en = {"单号": "Invoice no", "先进先出": "Oldest first", "预收冲抵": "Credit",
               "退货冲抵": "Return"}
    rules = a["rule"].tolist() if lang == "zh" else [rule_en[r] for r in a["rule"].tolist()]
    rows = list(zip(
        _dates(a["pay_date"]), links, a["txn_id"].tolist(), a["customer_id"].tolist(),
        a["invoice_no"].tolist(), a["amount"].to_numpy(dtype="int64").tolist(), rules,
        _dates(a["applied_on"]), item, source))
    return TabSpec("allocations", _tab_name("allocations", lang),
                   banner_text(lang, run_at, banner_notes(result, book, lang)), cols, rows)


def _payment_links(book: Book, pay_rows: pd.Series) -> list[Link | None]:
    """A link per 收款 row (to its 金额 cell); one Link object per distinct row."""
    sheet = book.sheet_name("payments")
    letter = book.cell("payments", "amount", 1)[:-1]
    blank = pay_rows.isna().to_numpy()
    rows = pay_rows.fillna(0).to_numpy(dtype="int64").tolist()
    made: dict[int, Link] = {}
    out: list[Link | None] = []
    for r, none in zip(rows, blank.tolist()):
        if none:
            out.append(None)
            continue
        link = made.get(r)
        if link is None:
            link = made[r] = Link(str(r), sheet, f"{letter}{r}")
        out.append(link)
    return out


def _item(lang: Lang, kind: str, row: int) -> str:
    if kind == "refund":
        return _t(lang, f"退款（收款第 {row} 行）", f"Refund (payment row {row})")
    return _ITEM[kind][lang == "en"]


def _source(lang: Lang, source: str, ref: str) -> str:
    if source == "return":
        return _t(lang, f"退货 {ref}", f"Return {ref}")
    if source == "opening":
        return _t(lang, "期初预收", "Opening prepayment")
    return "Payment" if lang == "en" else "收款"


def _dates(series: pd.Series) -> list[dt.date | None]:
    """A datetime64 column as dates (numpy converts day precision to ``date`` objects in C)."""
    return series.to_numpy().astype("datetime64[D]").astype(object).tolist()


def aging_columns(buckets: Sequence[int], lang: Lang) -> tuple[TabColumn, ...]:
    """客户编号, 客户名称, the bucket columns, 合计, then the extra 预收 column."""
    credit = (TabColumn("credit", _t(lang, "预收", "Credit"), "money", 13),)
    if tuple(buckets) == DEFAULT_BUCKETS:
        return standard_columns("aging", lang, credit)
    contract = {c.key: c for c in RESULT_TABS_BY_KEY["aging"].columns}
    head = tuple(TabColumn(k, contract[k].name(lang), contract[k].kind, contract[k].width)  # type: ignore[arg-type]
                 for k in ("customer_id", "name"))
    middle = tuple(TabColumn(k, h, "money", 13)
                   for k, h in zip(bucket_keys(buckets), bucket_headers(buckets, lang)))
    total = contract["total"]
    return head + middle + (TabColumn("total", total.name(lang), "money", total.width),) + credit


def aging_tab(result: ReconcileResult, book: Book, lang: Lang,
              run_at: dt.datetime | None = None) -> TabSpec:
    """账龄分析: buckets per customer, a 合计 row and a column chart of the top customers."""
    cols = aging_columns(result.buckets, lang)
    keys = [c.key for c in cols]
    rows: list[list[object]] = [
        [rec[k] if k in ("customer_id", "name") else int(rec[k]) for k in keys]
        for rec in result.aging.to_dict("records")]
    n = len(rows)
    total: list[object] = [_t(lang, "合计", "Total"), None]
    total += [int(result.totals.get(k, 0)) for k in keys[2:]]
    rows.append(total)
    charts: tuple[Chart, ...] = ()
    if n:
        charts = (Chart("column", _t(lang, f"账龄分布（前 {min(n, CHART_CUSTOMERS)} 名客户）",
                                     f"Aging (top {min(n, CHART_CUSTOMERS)} customers)"),
                        "name", tuple(bucket_keys(result.buckets)), 0,
                        min(n, CHART_CUSTOMERS) - 1, f"{column_letter(len(cols) + 1)}3", 10, 18),)
    notes = banner_notes(result, book, lang)
    notes.append(_t(lang, "合计 = 各账龄段 + 预收（负数）= 期末应收",
                    "Total = the buckets + credit (negative) = closing balance"))
    return TabSpec("aging", _tab_name("aging", lang), banner_text(lang, run_at, notes), cols,
                   rows, {n: "total"}, charts=charts, freeze_cols=2)


def exceptions_tab(result: ReconcileResult, book: Book, lang: Lang,
                   run_at: dt.datetime | None = None) -> TabSpec:
    """待处理: one row per finding; 单元格 links to the cell concerned."""
    cols = standard_columns("exceptions", lang,
                            (TabColumn("code", _t(lang, "代码", "Code"), "text", 28),))
    rows = []
    for f in result.exceptions:
        sheet = book.sheet_name(f.sheet)
        cell = book.cell(f.sheet, f.column, f.row)
        rows.append([f.type(lang), sheet, Link(f"{sheet}!{cell}", sheet, cell), f.customer_id,
                     f.amount, f.detail(lang), f.code])
    notes = banner_notes(result, book, lang)
    info = book.sheets.get("confirmations")
    if not (info and info.present):
        notes.append(_t(lang, "无 对账记录 表：未核对客户确认余额，长期未对账按最早未结单计",
                        "No Confirmations sheet: confirmed balances not compared; long-unconfirmed "
                        "balances measured from the oldest open item"))
    return TabSpec("exceptions", _tab_name("exceptions", lang), banner_text(lang, run_at, notes),
                   cols, rows)


def reconcile_tabs(result: ReconcileResult, book: Book, lang: Lang,
                   run_at: dt.datetime | None = None) -> list[TabSpec]:
    """The four result tabs of the reconcile job, in order."""
    return [receivables_tab(result, book, lang, run_at), allocations_tab(result, book, lang, run_at),
            aging_tab(result, book, lang, run_at), exceptions_tab(result, book, lang, run_at)]
