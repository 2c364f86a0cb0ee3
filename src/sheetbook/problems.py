"""Problems are data: a frozen record with a stable code, a place and a message in two languages.

Every check in sheetbook returns a list of :class:`Problem`; none raises on bad user data.
Messages and fixes live in :data:`CATALOG` (one entry per code), so tests assert on codes and
the texts stay consistent. :func:`render` is the one place that formats a location, e.g.
``销售!F12: 金额不是数字 "12..5"``.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Literal

Severity = Literal["error", "warning"]

#: code → (severity, message zh, message en, fix zh, fix en); templates use str.format fields.
CATALOG: dict[str, tuple[Severity, str, str, str, str]] = {
    "book.sheet_missing": ("error", "缺少工作表 {name}", "Sheet {name} is missing",
                           "按模板添加该工作表", "Add the sheet as in the template"),
    "header.not_found": ("error", "找不到表头（前 {rows} 行中没有 {expected}）",
                         "No header row found (none of the first {rows} rows has {expected})",
                         "在表格第一行写上列名，如 {expected}", "Put the column names, e.g. {expected}, in one row"),
    "header.missing_column": ("error", "缺少必填列 {expected}", "Required column {expected} is missing",
                              "在表头行添加列 {expected}", "Add the column {expected} to the header row"),
    "header.duplicate_column": ("warning", "列 {expected} 出现多次，只读取第一列",
                                "Column {expected} appears more than once; the first is read",
                                "删除或重命名重复的列", "Remove or rename the duplicate column"),
    "cell.required": ("error", "必填项 {column} 为空", "Required cell {column} is empty",
                      "填写 {column}", "Fill in {column}"),
    "cell.bad_money": ("error", "{column} 不是金额：{value}", "{column} is not an amount: {value}",
                       "填写数字金额，如 1234.50", "Type an amount such as 1234.50"),
    "cell.bad_date": ("error", "{column} 不是有效日期：{value}", "{column} is not a valid date: {value}",
                      "按 2026-03-05 的格式填写日期", "Type the date as 2026-03-05"),
    "cell.bad_number": ("error", "{column} 不是数字：{value}", "{column} is not a number: {value}",
                        "填写数字", "Type a number"),
    "cell.bad_int": ("error", "{column} 不是整数：{value}", "{column} is not a whole number: {value}",
                     "填写整数", "Type a whole number"),
    "cell.bad_percent": ("error", "{column} 不是百分比：{value}", "{column} is not a percentage: {value}",
                         "填写百分比，如 10%", "Type a percentage such as 10%"),
    "cell.bad_choice": ("error", "{column} 的值 {value} 不在可选范围内",
                        "{column} value {value} is not one of the allowed values",
                        "可选：{allowed}", "Allowed: {allowed}"),
    "cell.formula_no_value": ("warning", "公式没有计算结果（文件未在表格软件中保存过），按空值读取",
                              "Formula has no cached value (the file was never saved by a spreadsheet); read as empty",
                              "用 Excel 或 WPS 打开并保存一次", "Open and save the book once in Excel or WPS"),
    "cell.error_value": ("error", "{column} 显示错误值 {value}（公式出错），按空值处理",
                         "{column} shows the error value {value} (a failing formula); read as empty",
                         "修正该单元格的公式（如 VLOOKUP 找不到的值），或直接填写数值",
                         "Fix the formula (e.g. a VLOOKUP that finds nothing) or type the value"),
    "cell.negative": ("error", "{column} 不能为负数：{value}", "{column} cannot be negative: {value}",
                      "填写 0 或正数", "Type 0 or a positive number"),
    "sheet.too_many_rows": ("error", "数据行超过 Excel 上限", "More rows than Excel allows",
                            "拆分工作簿", "Split the workbook"),
    "customers.duplicate_id": ("error", "客户编号 {value} 与第 {other} 行重复",
                               "Customer ID {value} duplicates row {other}",
                               "给每个客户一个不同的编号", "Give each customer its own ID"),
    "ref.unknown_customer": ("error", "客户编号 {value} 在 客户 表中不存在",
                             "Customer ID {value} is not in the Customers sheet",
                             "先在 客户 表添加该客户，或改正编号", "Add the customer first, or correct the ID"),
    "ref.customer_by_name": ("warning", "{value} 不是客户编号，按名称/别名匹配到 {customer}",
                             "{value} is not a customer ID; matched {customer} by name or alias",
                             "改为客户编号 {customer}", "Use the customer ID {customer}"),
    "sales.invoice_conflict": ("error", "单号 {invoice} 的各行{what}不一致（第 {other} 行为 {other_value}）",
                               "Lines of invoice {invoice} disagree on {what_en} (row {other} has {other_value})",
                               "同一单号的各行使用相同的日期和客户", "Use one date and one customer per invoice"),
    "sales.amount_mismatch": ("warning", "金额 {value} ≠ 数量×单价−折扣 = {expected}",
                              "Amount {value} ≠ quantity × unit price − discount = {expected}",
                              "核对金额、数量、单价和折扣", "Check amount, quantity, price and discount"),
    "sales.no_amount": ("error", "金额为空，且无法由数量×单价计算",
                        "Amount is empty and cannot be computed from quantity × unit price",
                        "填写金额，或填写数量和单价", "Fill in the amount, or quantity and unit price"),
    "sales.frozen_customer": ("warning", "客户 {value} 的信用状态为 冻结，仍有销售",
                              "Sale to customer {value}, whose credit is frozen",
                              "确认是否应赊销给该客户", "Check whether this customer may buy on credit"),
    "sales.invoice_gap": ("warning", "单号不连续：{value} 之前缺少 {missing}",
                          "Invoice numbers skip: {missing} missing before {value}",
                          "确认是否有漏记的单据", "Check for unrecorded invoices"),
    "payments.zero_amount": ("error", "收款金额为 0", "Payment amount is 0",
                             "填写收到的金额，或删除该行", "Type the amount received, or delete the row"),
    "payments.no_customer": ("error", "客户编号和付款人都为空", "Both customer ID and payer are empty",
                             "填写客户编号或付款人", "Fill in the customer ID or the payer"),
    "payments.unknown_invoice": ("error", "核销单号 {value} 在 销售 表中不存在",
                                 "Applies-to invoice {value} is not in the Sales sheet",
                                 "改正单号，或留空按最早欠款核销", "Correct it, or leave it blank to pay the oldest items"),
    "expenses.zero_amount": ("error", "支出金额为 0", "Expense amount is 0",
                             "填写金额，或删除该行", "Type the amount, or delete the row"),
    "txn.duplicate": ("error", "流水号 {value} 与第 {other} 行重复", "Txn ID {value} duplicates row {other}",
                      "删除重复导入的记录", "Remove the duplicated record"),
    "rows.suspected_duplicate": ("warning", "与第 {other} 行客户、日期、金额相同，可能重复录入",
                                 "Same customer, date and amount as row {other}; possibly entered twice",
                                 "确认不是重复记录；如是两笔不同的款项，可填写流水号区分",
                                 "Check it is not a duplicate; a txn ID tells two payments apart"),
    "date.future": ("warning", "日期 {value} 在今天之后", "Date {value} is in the future",
                    "核对日期", "Check the date"),
    "date.outside_year": ("warning", "日期 {value} 不在会计年度 {year} 内", "Date {value} is outside fiscal year {year}",
                          "核对日期或 设置 的 会计年度", "Check the date or the fiscal year in Settings"),
    "budget.total_mismatch": ("warning", "全年 {value} ≠ 1–12 月合计 {expected}",
                              "Total {value} ≠ sum of months {expected}",
                              "全年应为 1–12 月之和", "The total should be the sum of the months"),
    "settings.bad_value": ("error", "设置项 {item} 的值 {value} 无效", "Setting {item} has an invalid value {value}",
                           "可选：{allowed}", "Allowed: {allowed}"),
    "settings.unknown_item": ("warning", "未知的设置项 {item}，已忽略", "Unknown setting {item} ignored",
                              "核对设置项名称", "Check the item name"),
}


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the book, located to its cell.

    Attributes:
        code: stable identifier (see :data:`CATALOG`); tests assert on it.
        severity: ``error`` (the row is left out of the jobs) or ``warning``.
        sheet: the sheet name as it is in the book ('' for the whole book).
        cell: ``F12`` ('' when the problem is about a sheet or the book).
        row: the sheet row number (1-based), 0 when not about a row.
        column: the column header as in the book ('' when none).
        value: the offending value as text.
        message_zh / message_en: what is wrong.
        fix_zh / fix_en: what to do.
    """

    code: str
    severity: Severity
    sheet: str
    cell: str
    row: int
    column: str
    value: str
    message_zh: str
    message_en: str
    fix_zh: str
    fix_en: str

    @property
    def where(self) -> str:
        """``销售!F12``, ``销售`` or ``''``."""
        if self.sheet and self.cell:
            return f"{self.sheet}!{self.cell}"
        return self.sheet

    def message(self, lang: str = "zh") -> str:
        """The message in the given language."""
        return self.message_en if lang == "en" else self.message_zh

    def fix(self, lang: str = "zh") -> str:
        """The suggested fix in the given language."""
        return self.fix_en if lang == "en" else self.fix_zh

    def as_json(self, lang: str = "zh") -> dict:
        """The JSON shape of the ``validate --json`` contract (plus ``fix``)."""
        return {
            "code": self.code, "severity": self.severity, "sheet": self.sheet, "cell": self.cell,
            "row": self.row, "column": self.column, "value": self.value,
            "message": self.message(lang), "fix": self.fix(lang),
        }

    def as_dict(self) -> dict:
        """Every field."""
        return asdict(self)


class _Blank(dict):
    def __missing__(self, key: str) -> str:
        return ""


def make(code: str, sheet: str = "", cell: str = "", row: int = 0, column: str = "",
         value: object = "", severity: Severity | None = None, **params: object) -> Problem:
    """Build a problem from its catalog entry, filling the message templates from ``params``."""
    default_sev, mzh, men, fzh, fen = CATALOG[code]
    shown = "" if value is None else str(value)
    fields = _Blank(column=column, value=shown, **{k: "" if v is None else str(v) for k, v in params.items()})
    return Problem(
        code=code, severity=severity or default_sev, sheet=sheet, cell=cell, row=row,
        column=column, value=shown, message_zh=mzh.format_map(fields),
        message_en=men.format_map(fields), fix_zh=fzh.format_map(fields), fix_en=fen.format_map(fields),
    )


def render(problem: Problem, lang: str = "zh") -> str:
    """One line: ``销售!F12: 金额 不是金额：12..5``."""
    where = problem.where
    return f"{where}: {problem.message(lang)}" if where else problem.message(lang)


def sort_key(problem: Problem) -> tuple:
    """Errors first, then by sheet, row and cell."""
    return (problem.severity != "error", problem.sheet, problem.row, len(problem.cell), problem.cell, problem.code)


def has_errors(problems: list[Problem]) -> bool:
    """Whether any problem is an error."""
    return any(p.severity == "error" for p in problems)
