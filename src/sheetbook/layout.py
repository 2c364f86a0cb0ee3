"""The workbook contract, declared once.

Every sheet and column of ``shared/WORKBOOK.md`` is declared here: Chinese and English names,
aliases, type, whether it is required, allowed values, number format, width and help text. The
template, the reader, the pandera schemas, the result-tab writers and the ``说明`` sheet are all
derived from these declarations; no header string is typed anywhere else in the code.

Vocabulary:

- an *input sheet* belongs to the user (sheetbook reads it, never writes a cell of it);
- a *result tab* belongs to sheetbook (rebuilt whole on every run);
- a column ``key`` is the stable English identifier used in DataFrames and JSON.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Kind = Literal["text", "id", "money", "date", "int", "number", "percent", "choice", "yesno"]
Lang = Literal["zh", "en"]

MONEY_FORMAT = "¥#,##0.00"
DATE_FORMAT = "yyyy-mm-dd"
PERCENT_FORMAT = "0.00%"
INT_FORMAT = "0"
NUMBER_FORMAT = "General"  # "#,##0.###" shows a whole 3 as "3." in Excel

FORMATS: dict[str, str] = {
    "money": MONEY_FORMAT,
    "date": DATE_FORMAT,
    "percent": PERCENT_FORMAT,
    "int": INT_FORMAT,
    "number": NUMBER_FORMAT,
}


@dataclass(frozen=True)
class Choice:
    """One allowed value of a choice column.

    Attributes:
        zh: the canonical value (what the tables hold after reading).
        en: the value shown in an English book; also accepted when reading.
        aliases: other spellings accepted when reading.
    """

    zh: str
    en: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Column:
    """One column of an input sheet.

    Attributes:
        key: stable English identifier (DataFrame column, JSON key).
        zh: Chinese header.
        en: English header.
        kind: how cells are read and formatted.
        required: a data row must fill it (``*`` in the contract).
        choices: allowed values for ``choice`` columns.
        aliases: other headers accepted when reading.
        width: column width in the template (characters).
        help_zh: help text (input message in the template, 说明 sheet).
        help_en: the same in English.
        open_choices: the choice list is a suggestion (values outside it are allowed).
    """

    key: str
    zh: str
    en: str
    kind: Kind = "text"
    required: bool = False
    choices: tuple[Choice, ...] = ()
    aliases: tuple[str, ...] = ()
    width: int = 12
    help_zh: str = ""
    help_en: str = ""
    open_choices: bool = False

    def name(self, lang: Lang) -> str:
        """The header in the given language."""
        return self.zh if lang == "zh" else self.en

    @property
    def number_format(self) -> str | None:
        """The Excel number format for this column's cells, if any."""
        return FORMATS.get(self.kind)

    def choice_values(self, lang: Lang) -> list[str]:
        """The allowed values as shown in a book of the given language."""
        return [c.zh if lang == "zh" else c.en for c in self.choices]


@dataclass(frozen=True)
class Setting:
    """One key of the 设置 sheet.

    Attributes:
        key: stable identifier (also the English item name).
        zh: the Chinese item name.
        kind: how the value is read.
        default: default value as typed in the template ("" = none).
        choices: allowed values, if any.
        help_zh / help_en: explanation.
    """

    key: str
    zh: str
    kind: Kind = "text"
    default: str = ""
    choices: tuple[Choice, ...] = ()
    help_zh: str = ""
    help_en: str = ""

    def name(self, lang: Lang) -> str:
        """The item name in the given language."""
        return self.zh if lang == "zh" else self.key


@dataclass(frozen=True)
class Sheet:
    """An input sheet.

    Attributes:
        key: stable identifier.
        zh / en: sheet names.
        columns: the columns in template order.
        required: the book must have this sheet.
        aliases: other sheet names accepted.
        help_zh: what the sheet is for (说明 sheet).
        landscape: print landscape.
        help_en: the same in English.
    """

    key: str
    zh: str
    en: str
    columns: tuple[Column, ...]
    required: bool = False
    aliases: tuple[str, ...] = ()
    help_zh: str = ""
    landscape: bool = False
    help_en: str = ""

    def name(self, lang: Lang) -> str:
        """The sheet name in the given language."""
        return self.zh if lang == "zh" else self.en

    def column(self, key: str) -> Column:
        """The column with this key."""
        for col in self.columns:
            if col.key == key:
                return col
        raise KeyError(f"{self.key}.{key}")

    @property
    def required_keys(self) -> tuple[str, ...]:
        """Keys of the required columns."""
        return tuple(c.key for c in self.columns if c.required)


@dataclass(frozen=True)
class ResultColumn:
    """One column of a result tab.

    Attributes:
        key: stable identifier (JSON key).
        zh / en: headers.
        kind: text, money, date, int, percent or link.
        width: column width.
    """

    key: str
    zh: str
    en: str
    kind: str = "text"
    width: int = 12

    def name(self, lang: Lang) -> str:
        """The header in the given language."""
        return self.zh if lang == "zh" else self.en


@dataclass(frozen=True)
class ResultTab:
    """A tab sheetbook writes (rebuilt whole on every run).

    Attributes:
        key: stable identifier.
        zh / en: sheet names.
        columns: the contract columns (a tab may add more after them).
        help_zh / help_en: what it shows (说明 sheet).
    """

    key: str
    zh: str
    en: str
    columns: tuple[ResultColumn, ...] = field(default_factory=tuple)
    help_zh: str = ""
    help_en: str = ""

    def name(self, lang: Lang) -> str:
        """The sheet name in the given language."""
        return self.zh if lang == "zh" else self.en

    def headers(self, lang: Lang) -> list[str]:
        """The column headers in the given language."""
        return [c.name(lang) for c in self.columns]


def _choices(*pairs: tuple[str, str]) -> tuple[Choice, ...]:
    return tuple(Choice(zh, en) for zh, en in pairs)


YES_NO = (Choice("是", "Yes", ("y", "yes", "true", "1", "有")), Choice("否", "No", ("n", "no", "false", "0", "无")))
METHODS = _choices(
    ("现金", "Cash"), ("微信", "WeChat"), ("支付宝", "Alipay"), ("银行转账", "Bank transfer"),
    ("刷卡", "Card"), ("其他", "Other"),
)
CREDIT_STATUS = _choices(("正常", "Normal"), ("关注", "Watch"), ("冻结", "Frozen"))
SOURCES = _choices(("手工", "Manual"), ("微信账单", "WeChat bill"), ("支付宝账单", "Alipay bill"),
                   ("银行流水", "Bank statement"))
EXPENSE_CATEGORIES = _choices(
    ("进货成本", "Purchases"), ("房租", "Rent"), ("水电", "Utilities"), ("工资", "Wages"),
    ("营销推广", "Marketing"), ("设备维护", "Maintenance"), ("运输", "Transport"),
    ("办公", "Office"), ("税费", "Taxes and fees"), ("其他", "Other"),
    ("增值税", "VAT"), ("个人所得税", "Income tax"), ("罚款", "Fines"), ("个人消费", "Personal"),
)
#: Expense categories recorded but not deductible for 经营所得.
NON_DEDUCTIBLE = frozenset({"增值税", "个人所得税", "罚款", "个人消费"})
BUDGET_KINDS = _choices(("收入", "Income"), ("支出", "Expense"))
CONFIRM_RESULTS = _choices(("相符", "Agreed"), ("不符", "Disagreed"))
MONTHS = tuple(f"m{m:02d}" for m in range(1, 13))

# ---------------------------------------------------------------------------------- settings

SETTINGS: tuple[Setting, ...] = (
    Setting("shop_name", "店铺名称", help_zh="印在对账单和报表上的店名", help_en="Shop name printed on statements and reports"),
    Setting("owner", "经营者"),
    Setting("credit_code", "统一社会信用代码", help_zh="18 位", help_en="18 characters"),
    Setting("phone", "联系电话"),
    Setting("bank_account", "开户行及账号"),
    Setting("taxpayer_type", "纳税人类型", "choice", "小规模纳税人",
            _choices(("小规模纳税人", "small-scale"), ("一般纳税人", "general"))),
    Setting("vat_period", "增值税申报期", "choice", "按季",
            _choices(("按季", "quarterly"), ("按月", "monthly"))),
    Setting("pit_method", "个税征收方式", "choice", "查账征收",
            _choices(("查账征收", "audited"), ("核定应税所得率", "deemed_rate"),
                     ("定期定额", "fixed_quota"))),
    Setting("deemed_profit_rate", "核定应税所得率", "percent",
            help_zh="个税征收方式为 核定应税所得率 时填写，如 10%", help_en="With the deemed-profit method, e.g. 10%"),
    Setting("fixed_monthly_tax", "定额月税额", "money", help_zh="个税征收方式为 定期定额 时填写", help_en="With the fixed-quota method"),
    Setting("prices_include_vat", "销售额含税", "yesno", "是", YES_NO,
            help_zh="销售表的金额是否含增值税", help_en="Do Sales amounts include VAT?"),
    Setting("location", "所在地区", "choice", "市区",
            _choices(("市区", "city"), ("县城镇", "county_town"), ("其他", "other")),
            help_zh="决定城市维护建设税税率 7% / 5% / 1%", help_en="Sets the urban construction tax rate 7% / 5% / 1%"),
    Setting("has_other_income", "有无综合所得", "yesno", "否", YES_NO,
            help_zh="有工资等综合所得时填 是（经营所得不再减除每年 60,000 元）", help_en="Yes when the owner has salary income (then no 60,000/year deduction here)"),
    Setting("fiscal_year", "会计年度", "int", help_zh="留空 = 最近一笔记录所在年份", help_en="Blank = the year of the latest entry"),
    Setting("aging_buckets", "账龄分段", "text", "30,60,90", help_zh="逾期天数分段，逗号分隔", help_en="Days-overdue bucket limits, comma separated"),
    Setting("statement_note", "对账单备注", help_zh="打印在对账单底部的文字", help_en="Text printed at the foot of statements"),
)

# ---------------------------------------------------------------------------------- sheets

_ID_HELP = "客户编号必须在 客户 表中存在"
_ID_HELP_EN = "Must be a customer ID in the Customers sheet"

SHEETS: tuple[Sheet, ...] = (
    Sheet("settings", "设置", "Settings", (
        Column("item", "项目", "Item", required=True, width=18, help_zh="设置项名称，勿改",
               help_en="Setting name; do not change"),
        Column("value", "值", "Value", width=30, help_zh="设置值；留空使用默认值",
               help_en="Value; blank = default"),
        Column("help", "说明", "Help", width=50, help_zh="这一项的说明（sheetbook 不读取）",
               help_en="What the setting means (not read by sheetbook)"),
    ), help_zh="店铺信息和计算参数（纳税人类型、申报期、所在地区等）。", help_en="Shop details and calculation settings (taxpayer type, filing period, location…)."),
    Sheet("customers", "客户", "Customers", (
        Column("customer_id", "客户编号", "Customer ID", "id", True, aliases=("客户代码", "编号"),
               width=12, help_zh="唯一编号，如 C001（不区分大小写和全半角）",
               help_en="Unique id such as C001"),
        Column("name", "客户名称", "Name", required=True, aliases=("客户", "名称", "客户名"),
               width=24, help_zh="客户全称", help_en="Customer name"),
        Column("contact", "联系人", "Contact", width=10, help_zh="联系人姓名", help_en="Contact person"),
        Column("phone", "电话", "Phone", width=14, aliases=("联系电话",), help_zh="联系电话", help_en="Phone number"),
        Column("address", "地址", "Address", width=28, help_zh="对账单上的地址", help_en="Address printed on statements"),
        Column("credit_limit", "信用额度", "Credit limit", "money", width=14,
               help_zh="最多可赊欠的金额；留空 = 不限", help_en="Blank = no limit"),
        Column("terms_days", "账期天数", "Terms (days)", "int", width=10, aliases=("账期",),
               help_zh="销售后多少天到期；留空 = 当天到期", help_en="Blank = due on the sale date"),
        Column("credit_status", "信用状态", "Credit status", "choice", choices=CREDIT_STATUS,
               width=10, help_zh="正常 / 关注 / 冻结；留空 = 正常", help_en="Normal / Watch / Frozen; blank = Normal"),
        Column("aliases", "别名", "Aliases", width=24, aliases=("付款人别名",),
               help_zh="微信昵称、支付宝账户、银行户名等，用 ; 分隔，用于匹配导入的收款",
               help_en="Names this customer pays under, separated by ;"),
        Column("opening_balance", "期初应收", "Opening balance", "money", width=14,
               aliases=("期初余额",), help_zh="会计年度第一天的欠款；负数 = 预收",
               help_en="Owed on the first day of the book; negative = prepaid"),
        Column("tags", "标签", "Tags", width=10, help_zh="自由分类", help_en="Free tags"),
        Column("notes", "备注", "Notes", width=20, help_zh="备注", help_en="Notes"),
    ), required=True, help_zh="每个客户一行。客户编号唯一。", help_en="One row per customer; IDs are unique.", landscape=True),
    Sheet("products", "商品", "Products", (
        Column("product_id", "商品编号", "Product ID", "id", True, width=12, help_zh="唯一编号", help_en="Unique id"),
        Column("name", "商品名称", "Name", required=True, width=22, help_zh="商品名称", help_en="Product name"),
        Column("unit", "单位", "Unit", width=8, help_zh="个、箱、米……", help_en="piece, box, metre…"),
        Column("category", "类别", "Category", width=12, help_zh="商品分类", help_en="Product category"),
        Column("list_price", "标准售价", "List price", "money", width=12, help_zh="标准售价", help_en="List price"),
        Column("unit_cost", "单位成本", "Unit cost", "money", width=12,
               help_zh="进价，用于计算毛利", help_en="Purchase cost, for margins"),
    ), help_zh="可选。商品清单，用于毛利分析。", help_en="Optional. The product list, for margins."),
    Sheet("sales", "销售", "Sales", (
        Column("date", "日期", "Date", "date", True, aliases=("销售日期", "开单日期"), width=12,
               help_zh="销售日期，如 2026-03-05", help_en="Sale date"),
        Column("invoice_no", "单号", "Invoice no", "id", True, aliases=("销售单号", "发票号", "单据号"),
               width=12, help_zh="同一单号的多行是同一张单的明细", help_en="Lines of one invoice share it"),
        Column("customer_id", "客户编号", "Customer ID", "id", True, aliases=("客户",), width=12,
               help_zh=_ID_HELP, help_en=_ID_HELP_EN),
        Column("item", "商品", "Item", width=20, aliases=("商品名称", "品名"),
               help_zh="商品编号或名称", help_en="Product id or name"),
        Column("quantity", "数量", "Quantity", "number", width=8, help_zh="负数 = 退货", help_en="Negative = a return"),
        Column("unit_price", "单价", "Unit price", "money", width=12, help_zh="单价（元）", help_en="Unit price (yuan)"),
        Column("discount", "折扣", "Discount", "money", width=10, help_zh="折扣金额；留空 = 0", help_en="Discount amount; blank = 0"),
        Column("amount", "金额", "Amount", "money", width=14, aliases=("销售金额",),
               help_zh="留空 = 数量×单价−折扣", help_en="Blank = quantity × unit price − discount"),
        Column("due_date", "到期日", "Due date", "date", width=12,
               help_zh="留空 = 日期 + 客户账期天数", help_en="Blank = date + the customer's terms"),
        Column("notes", "备注", "Notes", width=20, help_zh="备注", help_en="Notes"),
    ), required=True, help_zh="每行一条销售明细（退货写负数量）。", help_en="One row per invoice line (returns: negative quantity).", landscape=True),
    Sheet("payments", "收款", "Payments", (
        Column("date", "日期", "Date", "date", True, aliases=("收款日期", "交易时间"), width=12,
               help_zh="收款日期", help_en="Date received"),
        Column("customer_id", "客户编号", "Customer ID", "id", width=12, aliases=("客户",),
               help_zh="可留空，但需填写付款人以便匹配", help_en="May be blank when the payer is filled (matched automatically)"),
        Column("payer", "付款人", "Payer", width=16, aliases=("交易对方", "对方户名"),
               help_zh="银行、微信、支付宝记录上的付款人名称", help_en="Payer name as on the bank, WeChat or Alipay record"),
        Column("amount", "金额", "Amount", "money", True, aliases=("收款金额",), width=14,
               help_zh="收到的金额；负数 = 退款给客户", help_en="Negative = refund paid back"),
        Column("method", "方式", "Method", "choice", choices=METHODS, width=10,
               aliases=("收款方式", "支付方式"), help_zh="现金 / 微信 / 支付宝 / 银行转账 / 刷卡 / 其他", help_en="Cash / WeChat / Alipay / Bank transfer / Card / Other"),
        Column("txn_id", "流水号", "Txn ID", "id", width=22, aliases=("交易单号", "交易号"),
               help_zh="平台交易号，不可重复", help_en="Platform transaction number; unique"),
        Column("applies_to", "核销单号", "Applies to", width=16,
               help_zh="本笔收款支付的单号，多个用 ; 分隔；留空 = 先还最早的欠款", help_en="Invoices this payment pays, separated by ;; blank = oldest first"),
        Column("source", "来源", "Source", "choice", choices=SOURCES, width=10,
               help_zh="手工 / 微信账单 / 支付宝账单 / 银行流水（导入时自动填写）", help_en="Manual / WeChat bill / Alipay bill / Bank statement (set by imports)"),
        Column("notes", "备注", "Notes", width=20, help_zh="备注", help_en="Notes"),
    ), required=True, help_zh="客户付来的每笔钱一行（退款给客户写负数）。", help_en="One row per payment received (refunds paid back: negative).", landscape=True),
    Sheet("expenses", "支出", "Expenses", (
        Column("date", "日期", "Date", "date", True, width=12, help_zh="支出日期", help_en="Date paid"),
        Column("category", "类别", "Category", "choice", True, choices=EXPENSE_CATEGORIES,
               open_choices=True, width=12,
               help_zh="进货成本、房租、水电……；增值税/个人所得税/罚款/个人消费不能在经营所得中扣除", help_en="Purchases, rent, utilities…; VAT, income tax, fines and personal spending are not deductible"),
        Column("payee", "对象", "Payee", width=16, aliases=("收款方",), help_zh="付给谁", help_en="Paid to"),
        Column("amount", "金额", "Amount", "money", True, width=14,
               help_zh="支出金额；负数 = 收到的退款", help_en="Amount paid; negative = a refund received"),
        Column("method", "方式", "Method", "choice", choices=METHODS, width=10, help_zh="付款方式", help_en="Payment method"),
        Column("has_invoice", "有发票", "Has invoice", "yesno", choices=YES_NO, width=8,
               help_zh="是 / 否", help_en="Yes / No"),
        Column("txn_id", "流水号", "Txn ID", "id", width=22, help_zh="交易号，不可重复", help_en="Transaction number; unique"),
        Column("source", "来源", "Source", "choice", choices=SOURCES, width=10, help_zh="来源", help_en="Source"),
        Column("notes", "备注", "Notes", width=20, help_zh="备注", help_en="Notes"),
    ), help_zh="每笔经营支出一行。", help_en="One row per business expense.", landscape=True),
    Sheet("budget", "预算", "Budget", (
        Column("category", "类别", "Category", required=True, width=14,
               help_zh="收入或支出类别，支出类别与 支出 表一致", help_en="Income or expense category (as used in Expenses)"),
        Column("kind", "类型", "Kind", "choice", True, choices=BUDGET_KINDS, width=8,
               help_zh="收入 / 支出", help_en="Income / Expense"),
        *(Column(f"m{m:02d}", f"{m}月", f"m{m:02d}", "money", width=11,
                 aliases=(f"{m:02d}月", f"{m} 月"), help_zh=f"{m}月预算", help_en=f"Budget for month {m}")
          for m in range(1, 13)),
        Column("total", "全年", "Total", "money", width=13, aliases=("合计",),
               help_zh="公式：1–12 月合计", help_en="Formula: sum of the 12 months"),
    ), help_zh="每个类别一行，按月填写预算。", help_en="One row per category, budget by month.", landscape=True),
    Sheet("confirmations", "对账记录", "Confirmations", (
        Column("customer_id", "客户编号", "Customer ID", "id", True, width=12, help_zh=_ID_HELP, help_en=_ID_HELP_EN),
        Column("as_of", "对账截止日", "As of", "date", True, width=12, help_zh="对账单截止日期", help_en="Statement date"),
        Column("sent_on", "发送日期", "Sent on", "date", width=12, help_zh="对账单发出日期", help_en="Date the statement was sent"),
        Column("confirmed_on", "确认日期", "Confirmed on", "date", width=12,
               help_zh="客户确认日期", help_en="Date the customer confirmed"),
        Column("confirmed_balance", "客户确认余额", "Confirmed balance", "money", width=14,
               help_zh="客户确认的欠款金额", help_en="Balance the customer confirmed"),
        Column("result", "结果", "Result", "choice", choices=CONFIRM_RESULTS, width=8,
               help_zh="相符 / 不符", help_en="Agreed / Disagreed"),
        Column("notes", "备注", "Notes", width=24, help_zh="不符原因等", help_en="Reason for a disagreement"),
    ), help_zh="发出和确认的对账单记录（诉讼时效 3 年，自最近一次催收或确认起算）。", help_en="Statements sent and confirmed (the 3-year limitation period restarts with each demand or acknowledgement)."),
)

SHEETS_BY_KEY: dict[str, Sheet] = {s.key: s for s in SHEETS}
INPUT_KEYS: tuple[str, ...] = tuple(s.key for s in SHEETS)
REQUIRED_SHEETS: tuple[str, ...] = tuple(s.key for s in SHEETS if s.required)

GUIDE_SHEET = {"zh": "说明", "en": "Guide"}

# ---------------------------------------------------------------------------------- result tabs


def _rc(*cols: tuple) -> tuple[ResultColumn, ...]:
    return tuple(ResultColumn(*c) for c in cols)


RESULT_TABS: tuple[ResultTab, ...] = (
    ResultTab("checks", "校验结果", "Checks", _rc(
        ("severity", "级别", "Severity", "text", 8), ("sheet", "工作表", "Sheet", "text", 10),
        ("cell", "单元格", "Cell", "link", 14), ("column", "列", "Column", "text", 12),
        ("value", "值", "Value", "text", 16), ("message", "问题", "Problem", "text", 48),
        ("fix", "建议", "Fix", "text", 40), ("code", "代码", "Code", "text", 22),
    ), "每个问题一行，点击单元格可跳转。", "One row per problem; click the cell to jump to it."),
    ResultTab("receivables", "应收汇总", "Receivables", _rc(
        ("customer_id", "客户编号", "Customer ID", "text", 12),
        ("name", "客户名称", "Name", "text", 22),
        ("opening", "期初应收", "Opening", "money", 13),
        ("sales", "本期销售", "Sales", "money", 13),
        ("received", "本期收款", "Received", "money", 13),
        ("closing", "期末应收", "Closing", "money", 13),
        ("unapplied", "未核销预收", "Unapplied credit", "money", 13),
        ("credit_limit", "信用额度", "Credit limit", "money", 13),
        ("over_limit", "超出额度", "Over limit", "money", 12),
        ("oldest_open", "最早未结单日期", "Oldest open", "date", 13),
        ("max_days_overdue", "最长逾期天数", "Max days overdue", "int", 11),
        ("last_confirmed", "最近确认日期", "Last confirmed", "date", 13),
        ("confirm_diff", "确认差异", "Confirmation diff", "money", 12),
        ("status", "状态", "Status", "text", 10),
    ), "每个客户的期初、销售、收款和期末欠款。", "Each customer's opening balance, sales, payments and closing balance."),
    ResultTab("allocations", "核销明细", "Allocations", _rc(
        ("pay_date", "收款日期", "Payment date", "date", 12),
        ("pay_row", "收款行", "Payment row", "link", 10),
        ("txn_id", "流水号", "Txn ID", "text", 20),
        ("customer_id", "客户编号", "Customer ID", "text", 12),
        ("invoice_no", "单号", "Invoice no", "text", 12),
        ("amount", "核销金额", "Allocated", "money", 13),
        ("rule", "规则", "Rule", "text", 10),
    ), "每笔收款冲抵了哪些单据。", "Which invoices each payment paid."),
    ResultTab("aging", "账龄分析", "Aging", _rc(
        ("customer_id", "客户编号", "Customer ID", "text", 12),
        ("name", "客户名称", "Name", "text", 22),
        ("not_due", "未到期", "Not due", "money", 13),
        ("b1", "1-30天", "1-30 days", "money", 13),
        ("b2", "31-60天", "31-60 days", "money", 13),
        ("b3", "61-90天", "61-90 days", "money", 13),
        ("b4", "90天以上", "Over 90 days", "money", 13),
        ("total", "合计", "Total", "money", 13),
    ), "未收款按逾期天数分段（分段见 设置 的 账龄分段）。", "Open amounts by days overdue (buckets from Settings)."),
    ResultTab("exceptions", "待处理", "Exceptions", _rc(
        ("type", "类型", "Type", "text", 16), ("sheet", "工作表", "Sheet", "text", 10),
        ("cell", "单元格", "Cell", "link", 12), ("customer_id", "客户编号", "Customer ID", "text", 12),
        ("amount", "金额", "Amount", "money", 13), ("detail", "说明", "Detail", "text", 60),
    ), "需要人工查看的收款和客户。", "Payments and customers that need a look."),
    ResultTab("budget", "预算执行", "Budget vs actual", _rc(
        ("category", "类别", "Category", "text", 14), ("kind", "类型", "Kind", "text", 8),
        ("month", "月份", "Month", "text", 10), ("budget", "预算", "Budget", "money", 13),
        ("actual", "实际", "Actual", "money", 13), ("variance", "差异", "Variance", "money", 13),
        ("rate", "执行率", "Rate", "percent", 10),
    ), "预算与实际对比。", "Budget against actual."),
    ResultTab("tax", "税务", "Tax", _rc(
        ("period", "期间", "Period", "text", 12),
        ("gross_sales", "含税销售额", "Sales incl. VAT", "money", 14),
        ("net_sales", "不含税销售额", "Sales excl. VAT", "money", 14),
        ("threshold_reached", "达到起征点", "Threshold reached", "text", 10),
        ("vat", "增值税", "VAT", "money", 12),
        ("urban_tax", "城市维护建设税", "Urban construction tax", "money", 12),
        ("edu_surcharge", "教育费附加", "Education surcharge", "money", 12),
        ("local_edu_surcharge", "地方教育附加", "Local education surcharge", "money", 12),
        ("cum_income", "累计收入", "Cumulative income", "money", 14),
        ("cum_costs", "累计成本费用", "Cumulative costs", "money", 14),
        ("cum_deduction", "累计减除费用", "Cumulative deduction", "money", 14),
        ("cum_taxable", "累计应纳税所得额", "Cumulative taxable income", "money", 14),
        ("rate", "税率", "Rate", "percent", 8),
        ("quick_deduction", "速算扣除数", "Quick deduction", "money", 12),
        ("cum_tax", "累计应纳税额", "Cumulative tax", "money", 13),
        ("cum_relief", "累计减免税额", "Cumulative relief", "money", 13),
        ("cum_prepaid", "累计已预缴", "Cumulative prepaid", "money", 13),
        ("tax_due", "本期应补税额", "Tax due this period", "money", 13),
        ("deadline", "申报截止日", "Filing deadline", "date", 12),
        ("basis", "依据", "Basis", "text", 60),
    ), "增值税、附加税费和经营所得个税的估算。", "Estimates of VAT, surcharges and business income tax."),
    ResultTab("summary", "汇总", "Summary", _rc(
        ("item", "项目", "Item", "text", 20), ("value", "数值", "Value", "money", 14),
    ), "全年概览。", "The year at a glance."),
    ResultTab("income_statement", "利润表", "Income statement", _rc(
        ("month", "月份", "Month", "text", 10), ("income", "收入", "Income", "money", 14),
        ("costs", "成本费用", "Costs", "money", 14), ("profit", "利润", "Profit", "money", 14),
    ), "按月和全年累计的利润。", "Profit by month and year to date."),
    ResultTab("cash_flow", "现金流量", "Cash flow", _rc(
        ("month", "月份", "Month", "text", 10), ("method", "方式", "Method", "text", 10),
        ("receipts", "收入", "Receipts", "money", 14), ("payments", "支出", "Payments", "money", 14),
        ("net", "净额", "Net", "money", 14),
    ), "按方式和月份的收支。", "Receipts and payments by method and month."),
)

RESULT_TABS_BY_KEY: dict[str, ResultTab] = {t.key: t for t in RESULT_TABS}

BANNER = {
    "zh": "由 sheetbook 生成，请勿手工修改；下次运行会覆盖",
    "en": "Generated by sheetbook; do not edit by hand, the next run overwrites it",
}

#: Colours (ARGB without alpha) for tab colours.
INPUT_TAB_COLOR = "2E7D32"
RESULT_TAB_COLOR = "1565C0"


def result_tab_names() -> set[str]:
    """Every name (both languages) a result tab may carry."""
    return {t.zh for t in RESULT_TABS} | {t.en for t in RESULT_TABS}


def setting(key: str) -> Setting:
    """The 设置 item with this key."""
    for s in SETTINGS:
        if s.key == key:
            return s
    raise KeyError(key)
