"""The words of the template: the 说明 (Guide) sheet and the short UI strings.

Everything a shop owner reads in a fresh book that is not a header lives here, in Chinese and
English. Headers and help texts come from :mod:`sheetbook.layout`; :func:`guide_rows` weaves the
prose below with them, so the guide always lists the sheets and columns the book really has.
The worked example is data (:data:`EXAMPLE`) so a test can check that its figures add up.
"""

from __future__ import annotations

from dataclasses import dataclass

from .layout import METHODS, MONTHS, RESULT_TABS, SETTINGS, SHEETS, SHEETS_BY_KEY, Lang, Setting
from .money import format_yuan

#: Short strings used by the template (titles, messages, footers).
TEXT: dict[str, dict[str, str]] = {
    "zh": {
        "title": "{shop} 账本",
        "subject": "客户、销售、收款、支出和预算",
        "required": "（必填）",
        "choice_error_title": "请从列表中选择",
        "choice_error": "允许的值：{values}",
        "open_choice_error": "不在常用列表中：{values}。也可以使用 预算 表中的类别，确定就点“是”。",
        "customer_error_title": "客户编号不在 客户 表中",
        "customer_error": "请先在 客户 表登记这个客户。收款可以只填付款人，点“是”继续。",
        "footer": "&L&A&R第 &P 页 / 共 &N 页",
        "sheet": "工作表",
        "column": "列",
        "required_mark": "必填",
        "meaning": "说明",
        "item": "设置项",
        "default": "默认值",
        "months_help": "每个月的预算金额（元）",
    },
    "en": {
        "title": "{shop} books",
        "subject": "Customers, sales, payments, expenses and budget",
        "required": " (required)",
        "choice_error_title": "Pick a value from the list",
        "choice_error": "Allowed values: {values}",
        "open_choice_error": "Not a usual value ({values}). Categories named in Budget are fine: click Yes.",
        "customer_error_title": "Customer ID not in Customers",
        "customer_error": "Add the customer to Customers first. A payment may name only the payer: click Yes.",
        "footer": "&L&A&RPage &P of &N",
        "sheet": "Sheet",
        "column": "Column",
        "required_mark": "required",
        "meaning": "Meaning",
        "item": "Setting",
        "default": "Default",
        "months_help": "The budget of each month (yuan)",
    },
}

_INTRO = {
    "zh": [
        "这个工作簿就是你的账本：客户、销售、收款、支出和预算都记在这里。",
        "sheetbook 是一个小程序：它读取这些表，检查录入错误，核对每个客户还欠多少钱（应收账款）、"
        "哪些单据已经付清、欠款拖了多久（账龄），估算增值税和经营所得个税，再把结果写回本工作簿。",
        "绿色标签的表由你填写，sheetbook 只读取、从不修改。"
        "sheetbook 生成的结果页每次运行都会整页重建，请不要在结果页里手工修改。",
        "第一次使用：先在 设置 填写店铺信息，再录入 客户，然后每天记录 销售 和 收款，支出随时记。",
    ],
    "en": [
        "This workbook is your books: customers, sales, payments, expenses and the budget live here.",
        "sheetbook is a small program that reads these sheets, checks them for mistakes, works out "
        "what each customer owes, which invoices are paid and how long debts have been open "
        "(aging), estimates VAT and income tax, and writes its results back into this workbook.",
        "The green tabs are yours: sheetbook reads them and never changes a cell. The tabs "
        "sheetbook writes are rebuilt whole on every run; do not edit them by hand.",
        "First steps: fill in Settings, list your Customers, then record Sales and Payments day "
        "by day and Expenses as they happen.",
    ],
}

_RUN = {
    "zh": [
        ("p", "保存并关闭本文件后，在命令行（Windows 的“命令提示符”或 PowerShell）运行："),
        ("code", "sheetbook validate 账本.xlsx    检查所有表，问题写入 校验结果（点单元格可跳到出错处）"),
        ("code", "sheetbook reconcile 账本.xlsx   核对应收：应收汇总、核销明细、账龄分析、待处理"),
        ("code", "sheetbook tax 账本.xlsx         估算增值税、附加税费和经营所得个税（税务）"),
        ("p", "文件在 Excel、WPS 或 LibreOffice 中打开时，sheetbook 不会写入，请先关闭。"),
        ("p", "按钮：计划在 Excel 中加入“运行”按钮，点一下就能完成上面的工作（开发中）。"),
    ],
    "en": [
        ("p", "Save and close this file, then run in a terminal (Command Prompt or PowerShell):"),
        ("code", "sheetbook validate books.xlsx    check every sheet; problems go to Checks (click a cell to jump)"),
        ("code", "sheetbook reconcile books.xlsx   receivables, allocations, aging and exceptions"),
        ("code", "sheetbook tax books.xlsx         VAT, surcharges and business income tax estimates (Tax)"),
        ("p", "sheetbook will not write a file that is open in Excel, WPS or LibreOffice: close it first."),
        ("p", "Buttons: run-buttons inside Excel are planned, so the commands above become one click."),
    ],
}

_RULES = {
    "zh": [
        "金额以元为单位，精确到分（四舍五入）。可以输入数字，也可以是文字：¥1,234.50、￥88、"
        "1,234.50、-50、(50.00)（括号表示负数）都能读。",
        "日期可以写成 2026-03-05、2026/3/5、2026.3.5、2026年3月5日 或 20260305。"
        "不接受两位年份和 05/03/2026 这种分不清日和月的写法。",
        "负数的含义：销售 数量为负 = 退货；收款 金额为负 = 退款给客户；支出 金额为负 = 收到退款；"
        "期初应收为负 = 客户预付款。",
        "列的顺序可以调整，也可以加自己的列（会被忽略），但不要改列名。"
        "表格会随输入自动扩展；直接在表格下面接着写也能读到。空行会被跳过。",
        "客户编号不区分大小写和全角半角：C001 和 ｃ００１ 是同一个客户。",
        "深绿色表头的列必须填写；浅绿色表头的列可以留空。选中表头可以看到这一列的说明。",
    ],
    "en": [
        "Money is in yuan to the fen (rounded half up). Type a number or text such as ¥1,234.50, "
        "￥88, 1,234.50, -50 or (50.00) (brackets mean negative).",
        "Dates may be typed 2026-03-05, 2026/3/5, 2026.3.5, 2026年3月5日 or 20260305. Two-digit "
        "years and day-first dates such as 05/03/2026 are refused.",
        "Negative numbers: a negative Sales quantity is a return; a negative Payment is a refund "
        "paid back; a negative Expense is a refund received; a negative opening balance is a "
        "customer's prepayment.",
        "Columns may be reordered and you may add your own (they are ignored), but keep the "
        "header names. Tables grow as you type; rows typed just below a table are read too. "
        "Blank rows are skipped.",
        "Customer IDs ignore case and full-width forms: C001 and ｃ００１ are the same customer.",
        "Columns with a dark green header must be filled in; light green ones may be left blank. "
        "Select a header cell to see what its column holds.",
    ],
}


@dataclass(frozen=True)
class Example:
    """The guide's worked example: three invoices, one partial payment, the result.

    Attributes:
        customer: (customer_id, name, terms_days).
        sales: (date, invoice_no, item, quantity, unit_price in 分, amount in 分 or None).
        payment: (date, payer, amount in 分, method).
        allocations: (invoice_no, 分) in the order the payment pays them.
    """

    customer: tuple[str, str, int]
    sales: tuple[tuple[str, str, str, int, int, int | None], ...]
    payment: tuple[str, str, int, str]
    allocations: tuple[tuple[str, int], ...]

    @property
    def total_sales(self) -> int:
        """Sum of the three invoices in 分."""
        return sum(q * p for _, _, _, q, p, _ in self.sales)

    @property
    def closing(self) -> int:
        """What the customer still owes in 分."""
        return self.total_sales - self.payment[2]


EXAMPLE = Example(
    customer=("C001", "恒达装饰工程部", 30),
    sales=(
        ("2026-03-05", "XS2026-00001", "PVC排水管", 50, 2400, 120000),
        ("2026-03-12", "XS2026-00002", "乳胶漆20L", 2, 40000, 80000),
        ("2026-03-20", "XS2026-00003", "电线BV2.5", 5, 10000, None),
    ),
    payment=("2026-03-25", "恒达李经理", 150000, "微信"),
    allocations=(("XS2026-00001", 120000), ("XS2026-00002", 30000)),
)

_EXAMPLE_TEXT = {
    "zh": {
        "intro": "客户 {cid} {name}，账期 {terms} 天。三月开了三张单，第三张的 金额 留空，由 数量×单价 算出：",
        "payment": "3月25日 收到微信付款 {amount}，核销单号 留空，于是先还最早的欠款：",
        "alloc": "{inv} 核销 {amount}",
        "result": "运行 reconcile 后，应收汇总 中这位客户一行（截至 3月31日）：",
        "after": "仍未付的是 XS2026-00002 剩下的 500.00 和 XS2026-00003 的 500.00；账期 30 天，"
                 "分别在 4月11日 和 4月19日 到期，所以 账龄分析 都在 未到期 一栏。",
    },
    "en": {
        "intro": "Customer {cid} {name}, terms {terms} days. Three invoices in March; the third "
                 "leaves Amount blank and it is worked out as quantity × unit price:",
        "payment": "On 25 March a WeChat payment of {amount} arrives with Applies to blank, so it "
                   "pays the oldest debts first:",
        "alloc": "{inv} gets {amount}",
        "result": "After reconcile, this customer's row in Receivables (as of 31 March):",
        "after": "Still open: 500.00 of XS2026-00002 and 500.00 of XS2026-00003. With 30-day "
                 "terms they fall due on 11 and 19 April, so Aging shows both as not yet due.",
    },
}

_HEADINGS = {
    "zh": ["这是什么", "各表怎么填", "sheetbook 生成的结果页（不要手工修改）", "怎么运行",
           "录入规则", "示例：三张单和一笔部分付款"],
    "en": ["What this is", "What to type in each sheet", "Tabs sheetbook writes (do not edit)",
           "How to run it", "Typing money and dates", "Example: three invoices, one partial payment"],
}

#: One row of the guide: (style, cells, link target sheet or None).
#: Styles: title, h1, h2, p, code, th, td.
GuideRow = tuple[str, tuple[str, ...], str | None]


def guide_rows(lang: Lang, shop_name: str | None = None) -> list[GuideRow]:
    """The rows of the 说明 sheet for a book in ``lang``."""
    text, heads = TEXT[lang], _HEADINGS[lang]
    shop = shop_name or "sheetbook"
    rows: list[GuideRow] = [("title", (text["title"].format(shop=shop),), None)]
    rows += [("h1", (heads[0],), None)] + [("p", (p,), None) for p in _INTRO[lang]]
    rows.append(("h1", (heads[1],), None))
    for sheet in SHEETS:
        rows.append(("h2", (sheet.name(lang), _help_of(sheet, lang)), sheet.name(lang)))
        if sheet.key == "settings":
            rows.append(("th", (text["item"], text["default"], text["meaning"]), None))
            rows += [("td", (s.name(lang), setting_default(s, lang), _help_of(s, lang)), None)
                     for s in SETTINGS]
            continue
        rows.append(("th", (text["column"], text["required_mark"], text["meaning"]), None))
        months = [c for c in sheet.columns if c.key in MONTHS]
        for col in sheet.columns:
            if col.key in MONTHS[1:]:
                continue
            name = col.name(lang)
            if col.key == MONTHS[0]:
                name = f"{months[0].name(lang)} … {months[-1].name(lang)}"
            mark = "✔" if col.required else ""
            meaning = text["months_help"] if col.key == MONTHS[0] else _help_of(col, lang)
            rows.append(("td", (name, mark, meaning), None))
    rows.append(("h1", (heads[2],), None))
    for tab in RESULT_TABS:
        rows.append(("td", (tab.name(lang), "", _help_of(tab, lang)), None))
    rows.append(("h1", (heads[3],), None))
    rows += [(style, (line,), None) for style, line in _RUN[lang]]
    rows.append(("h1", (heads[4],), None))
    rows += [("p", (p,), None) for p in _RULES[lang]]
    rows.append(("h1", (heads[5],), None))
    rows += _example_rows(lang)
    return rows


def _help_of(obj, lang: Lang) -> str:
    """``help_en`` in an English book when the layout has one, else ``help_zh``."""
    en = getattr(obj, "help_en", "")
    return (en or obj.help_zh) if lang == "en" else obj.help_zh


def setting_default(s: Setting, lang: Lang) -> str:
    """The default of a 设置 item as typed in a book of ``lang`` (choices translated)."""
    for c in s.choices:
        if c.zh == s.default:
            return c.zh if lang == "zh" else c.en
    return s.default


def _example_rows(lang: Lang) -> list[GuideRow]:
    ex, words = EXAMPLE, _EXAMPLE_TEXT[lang]
    cid, name, terms = ex.customer
    sales = SHEETS_BY_KEY["sales"]
    keys = ("date", "invoice_no", "customer_id", "item", "quantity", "unit_price", "amount")
    rows: list[GuideRow] = [("p", (words["intro"].format(cid=cid, name=name, terms=terms),), None)]
    rows.append(("th", tuple(sales.column(k).name(lang) for k in keys), None))
    for date, inv, item, qty, price, amount in ex.sales:
        shown = format_yuan(amount) if amount is not None else ""
        rows.append(("td", (date, inv, cid, item, str(qty), format_yuan(price), shown), None))
    pay_date, payer, pay_amount, method = ex.payment
    rows.append(("p", (words["payment"].format(amount=format_yuan(pay_amount)),), None))
    payments = SHEETS_BY_KEY["payments"]
    pkeys = ("date", "customer_id", "payer", "amount", "method")
    rows.append(("th", tuple(payments.column(k).name(lang) for k in pkeys), None))
    shown_method = next(c.en for c in METHODS if c.zh == method) if lang == "en" else method
    rows.append(("td", (pay_date, cid, payer, format_yuan(pay_amount), shown_method), None))
    for inv, fen in ex.allocations:
        rows.append(("p", (words["alloc"].format(inv=inv, amount=format_yuan(fen)),), None))
    rows.append(("p", (words["result"],), None))
    tab = next(t for t in RESULT_TABS if t.key == "receivables")
    shown_cols = tab.columns[:6]
    rows.append(("th", tuple(c.name(lang) for c in shown_cols), None))
    figures = (0, ex.total_sales, pay_amount, ex.closing)
    rows.append(("td", (cid, name, *(format_yuan(f) for f in figures)), None))
    rows.append(("p", (words["after"],), None))
    return rows
