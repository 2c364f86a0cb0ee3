"""A seeded demo book: a year of trade at 王记五金店, a fictional hardware shop.

:func:`generate` returns rows per sheet key (the ``data`` shape of
:func:`sheetbook.template.build_book`): money as int 分, dates as ``datetime.date``, choice
values in Chinese. :func:`write_demo` writes them to a book. The same ``(rows, seed, year)``
always gives the same book: every random draw comes from one ``random.Random(seed)`` and every
loop runs over lists in a fixed order.

The book is meant to exercise sheetbook: credit and cash customers, partial payments,
overpayments, prepayments, returns and refunds, payments that only name a payer (as imported
bills look), amounts typed as text, a confirmation that disagrees, expenses in every category
(including the non-deductible ones) and quarterly sales that cross the 30万 VAT threshold in
some quarters of the default 3,000-row book.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .layout import MONTHS
from .money import format_yuan, parse_money

Row = dict[str, Any]

SHOP = "王记五金店"
#: Relative trade per month (Spring Festival in February; quiet November).
_MONTH_WEIGHT = (1.0, 0.5, 1.0, 1.2, 1.3, 1.2, 1.1, 1.0, 1.3, 1.1, 1.0)

_SURNAMES = ("王w李l张z刘l陈c杨y黄h赵z吴w周z徐x孙s马m朱z胡h郭g何h林l高g罗l郑z梁l谢x宋s唐t"
             "许x韩h冯f邓d曹c彭p曾z肖x田t董d袁y潘p蒋j蔡c余y杜d叶y程c魏w苏s吕l丁d任r沈s姚y")
_GIVEN = ("建国 建华 志强 海波 国平 秀英 丽华 文军 永红 春梅 小军 伟 磊 军 勇 杰 涛 明 超 芳 敏 静 强 "
          "鹏 辉 刚 平 斌 金龙 玉兰 德明 卫东").split()
_TITLES = ("师傅", "老板", "姐", "哥", "总", "工")
_TRADES = ("水电", "木工", "泥瓦", "油漆", "装修", "安装")
_WORDS = ("恒达 鑫源 宏盛 永安 金鼎 华美 顺发 利民 东方 佳和 锦绣 伟业 盛世 德丰 富康 嘉禾 瑞祥 天成 "
          "兴旺 长城 明辉 博雅 安居 美家 广源 新锐 万通 隆昌 协力 众诚").split()
_KINDS = ("装饰工程部 装修队 建材店 水电安装部 家具厂 物业服务中心 门窗厂 工程队 五金配件店 灯饰店 "
          "装饰设计工作室 建筑工程有限公司 空调安装部 木业加工厂 防水工程部").split()
_AREAS = ("城东", "城西", "城南", "城北", "江南", "新区", "开发区", "老街")
_ROADS = ("解放路", "人民路", "五金大道", "建设路", "胜利街", "工业路", "南苑路", "永康街")
_TAGS = ("装修队", "零售", "批发", "物业", "工程")

#: (name, unit, category, list price in 0.1 元)
_PRODUCTS = (
    ("PPR水管20mm", "米", "水暖", 65), ("PPR水管25mm", "米", "水暖", 98),
    ("PVC排水管110", "根", "水暖", 380), ("PVC排水管50", "根", "水暖", 180),
    ("水龙头", "个", "水暖", 680), ("角阀", "个", "水暖", 220), ("生料带", "卷", "水暖", 25),
    ("三通接头", "个", "水暖", 35), ("弯头", "个", "水暖", 28), ("地漏", "个", "水暖", 350),
    ("花洒套装", "套", "水暖", 2680), ("不锈钢软管60cm", "根", "水暖", 150),
    ("电线BV1.5", "卷", "电工", 1580), ("电线BV2.5", "卷", "电工", 2350),
    ("电线BV4", "卷", "电工", 3680), ("开关面板", "个", "电工", 128), ("五孔插座", "个", "电工", 158),
    ("LED灯泡9W", "个", "电工", 99), ("LED吸顶灯", "个", "电工", 1280), ("空气开关", "个", "电工", 320),
    ("电工胶布", "卷", "电工", 30), ("PVC线管20", "根", "电工", 45), ("配电箱", "个", "电工", 850),
    ("网线", "箱", "电工", 3200),
    ("冲击电钻", "台", "工具", 2990), ("角磨机", "台", "工具", 1890), ("羊角锤", "把", "工具", 280),
    ("卷尺5米", "把", "工具", 120), ("螺丝刀套装", "套", "工具", 450), ("扳手套装", "套", "工具", 880),
    ("老虎钳", "把", "工具", 250), ("水平尺", "把", "工具", 350), ("切割片", "片", "工具", 45),
    ("钻头套装", "套", "工具", 380), ("铝合金人字梯", "把", "工具", 2600), ("铁锹", "把", "工具", 320),
    ("不锈钢合页", "个", "五金件", 85), ("门吸", "个", "五金件", 120), ("柜门拉手", "个", "五金件", 98),
    ("抽屉滑轨", "副", "五金件", 280), ("挂钩", "个", "五金件", 25),
    ("防盗门锁", "套", "锁具", 3800), ("室内门锁", "套", "锁具", 850), ("挂锁", "把", "锁具", 180),
    ("膨胀螺丝M8", "盒", "紧固件", 250), ("自攻螺丝", "盒", "紧固件", 150), ("钢钉", "斤", "紧固件", 65),
    ("乳胶漆20L", "桶", "油漆涂料", 4200), ("木器漆", "桶", "油漆涂料", 1800),
    ("防水涂料", "桶", "油漆涂料", 2600), ("腻子粉", "袋", "油漆涂料", 280),
    ("玻璃胶", "支", "油漆涂料", 180), ("发泡胶", "瓶", "油漆涂料", 220),
    ("水泥P.O42.5", "袋", "建材", 320), ("黄沙", "袋", "建材", 80), ("石膏板", "张", "建材", 380),
    ("瓷砖胶", "袋", "建材", 450), ("轻钢龙骨", "根", "建材", 125),
    ("劳保手套", "双", "劳保", 35), ("安全帽", "顶", "劳保", 250), ("防尘口罩", "盒", "劳保", 350),
)
_EXTRAS = (("送货费", 3000), ("切割加工费", 1500), ("安装辅料", 2000))
_SUPPLIERS = ("永康市金马五金制造有限公司", "佛山市联塑管业经销部", "广州珠江电线电缆有限公司",
              "上海立邦涂料经销部", "义乌市宏达工具批发行", "温州市正泰电器经销部", "本地水泥砂石站")


@dataclass
class _Customer:
    id: str
    name: str
    company: bool
    contact: str
    phone: str
    terms: int
    style: str  # cash / monthly / slow
    weight: float
    price_factor: float
    status: str = ""
    limit: int | None = None
    opening: int = 0
    wechat: str = ""
    alipay: str = ""
    bank: str = ""
    address: str = ""
    invoices: list[tuple[dt.date, str, int]] = field(default_factory=list)


def generate(rows: int = 3000, seed: int = 7, year: int = 2026) -> dict[str, list[Row]]:
    """A year of trade as rows per sheet key (see the module docstring)."""
    rng = random.Random(seed)
    end = dt.date(year, 11, 30)
    n_customers = min(2000, max(20, rows // 50))
    customers = _customers(rng, n_customers, year)
    products = _products(rng)
    sales = _sales(rng, rows, customers, products, year, end)
    _credit_limits(rng, customers)
    payments, payer_only = _payments(rng, customers, year, end)
    data: dict[str, list[Row]] = {
        "settings": _settings(year),
        "customers": [_customer_row(c) for c in customers],
        "products": products,
        "sales": sales,
        "payments": payments,
        "expenses": _expenses(rng, sales, products, year, end),
        "budget": _budget(rng, sales, year),
        "confirmations": _confirmations(rng, customers, payments, payer_only, year),
    }
    return data


def write_demo(path: str | Path, rows: int = 3000, seed: int = 7, year: int = 2026) -> Path:
    """Write the demo book to ``path`` and return the path."""
    from .template import build_book

    return build_book(path, "zh", SHOP, generate(rows, seed, year), fiscal_year=year)


# ---------------------------------------------------------------------------- customers


def _person(rng: random.Random) -> tuple[str, str]:
    """A full name and the pinyin initial of its surname."""
    i = rng.randrange(len(_SURNAMES) // 2)
    return _SURNAMES[2 * i] + rng.choice(_GIVEN), _SURNAMES[2 * i + 1]


def _unique(rng: random.Random, used: set[str], candidates: list[str]) -> str:
    """A random candidate not used yet (numbered when all are taken); marks it used."""
    free = [c for c in candidates if c not in used]
    if free:
        name = rng.choice(free)
    else:
        base, n = rng.choice(candidates), 2
        while f"{base}{n}" in used:
            n += 1
        name = f"{base}{n}"
    used.add(name)
    return name


def _phone(rng: random.Random) -> str:
    prefix = rng.choice(("138", "139", "135", "136", "158", "159", "187", "188", "177", "199"))
    return f"{prefix}{rng.randrange(10**8):08d}"


def _customers(rng: random.Random, n: int, year: int) -> list[_Customer]:
    used: set[str] = set()  # customer names and aliases: no payer name is ambiguous
    width = max(3, len(str(n)))
    out: list[_Customer] = []
    for i in range(1, n + 1):
        company = rng.random() < 0.6
        contact, initial = _person(rng)
        surname = contact[0]
        if company:
            area = rng.choice(_AREAS) if rng.random() < 0.3 else ""
            name = _unique(rng, used, [f"{area}{w}{rng.choice(_KINDS)}"
                                       for w in rng.sample(_WORDS, 4)])
            style = rng.choices(("monthly", "cash", "slow"), (70, 22, 8))[0]
        else:
            trade = rng.choice(_TRADES)
            name = _unique(rng, used, [surname + t for t in _TITLES] + [
                contact, f"{surname}{rng.choice(_TITLES)}（{trade}）"])
            style = rng.choices(("cash", "monthly", "slow"), (75, 18, 7))[0]
        terms = 0 if style == "cash" else rng.choice((15, 30, 30, 60) if company else (15, 30))
        c = _Customer(
            id=f"C{i:0{width}d}", name=name, company=company, contact=contact, phone=_phone(rng),
            terms=terms, style=style, weight=rng.lognormvariate(0, 0.8) * (2.2 if company else 1),
            price_factor=rng.choice((1.0, 1.0, 1.0, 0.95, 0.9)) if company else 1.0,
        )
        if style == "slow":
            c.status = "冻结" if rng.random() < 0.3 else "关注"
            if c.status == "冻结":
                c.weight = 0.0
        elif rng.random() < 0.8:
            c.status = "正常" if rng.random() < 0.5 else ""
        if style != "cash" and rng.random() < 0.85:
            c.limit = rng.choice((5000, 10000, 20000, 30000, 50000, 80000)) * 100
        r = rng.random()
        if c.status == "冻结":
            c.opening = rng.randrange(8000, 40000) * 100
        elif style != "cash" and r < 0.45:
            c.opening = rng.randrange(500, 30000) * 100 + rng.choice((0, 0, 50))
        if rng.random() < 0.7:
            trade = rng.choice(_TRADES)
            if company:
                short = name[len(area): len(area) + 2]
                nicks = [f"{short}{surname}经理", f"A{short}{trade}", f"{contact}-{short}"]
            else:
                nicks = [f"老{surname}{rng.randrange(10, 99)}", f"{surname}师傅{trade}",
                         f"{contact}{rng.choice(('', '🔧', '-装修'))}"]
            c.wechat = _unique(rng, used, nicks)
        if rng.random() < 0.5:
            c.alipay = _unique(rng, used, [
                f"{initial}***{rng.randrange(10)}",
                f"{initial}{rng.choice('hgaeiu')}***{rng.randrange(10)}",
                f"{c.phone[:3]}****{c.phone[-4:]}"])
        if style != "cash" or rng.random() < 0.3:
            own = name if company and rng.random() < 0.5 else contact
            if own in (name, c.wechat) or own not in used:
                c.bank = own
                used.add(own)
        c.address = f"{rng.choice(_AREAS)}{rng.choice(_ROADS)}{rng.randrange(1, 300)}号"
        out.append(c)
    for c in rng.sample([c for c in out if c.opening == 0 and not c.status], max(2, n // 25)):
        c.opening = -rng.randrange(5, 30) * 100_00  # paid in advance last year: 预收
    return out


def _credit_limits(rng: random.Random, customers: list[_Customer]) -> None:
    """Limits that fit each customer's trade (set after the sales), a few of them too tight."""
    for c in customers:
        if c.limit is None:
            continue
        months: dict[int, int] = {}
        for day, _, total in c.invoices:
            months[day.month] = months.get(day.month, 0) + total
        peak = max(months.values(), default=0) + max(c.opening, 0)
        cover = 0.9 if rng.random() < 0.1 else 1.5 + c.terms / 30
        c.limit = max(5000_00, -(-int(peak * cover) // 5000_00) * 5000_00)


def _customer_row(c: _Customer) -> Row:
    aliases = ";".join(dict.fromkeys(a for a in (c.wechat, c.alipay, c.bank) if a and a != c.name))
    return {
        "customer_id": c.id, "name": c.name, "contact": c.contact, "phone": c.phone,
        "address": c.address,
        "credit_limit": c.limit, "terms_days": c.terms if c.terms or c.style != "cash" else None,
        "credit_status": c.status, "aliases": aliases, "opening_balance": c.opening or None,
        "tags": _TAGS[0 if c.company and c.style == "monthly" else (1 if not c.company else 2 + len(c.name) % 3)],
        "notes": {"冻结": "欠款未清，暂停赊销", "关注": "付款较慢"}.get(c.status, ""),
    }


def _products(rng: random.Random) -> list[Row]:
    out = []
    for i, (name, unit, category, dime) in enumerate(_PRODUCTS, start=1):
        price = dime * 10
        cost = round(price * rng.uniform(0.62, 0.8))
        out.append({"product_id": f"P{i:03d}", "name": name, "unit": unit, "category": category,
                    "list_price": price, "unit_cost": cost})
    return out


# ---------------------------------------------------------------------------- sales


def _dates(rng: random.Random, n: int, year: int, end: dt.date) -> list[dt.date]:
    days, weights = [], []
    day = dt.date(year, 1, 1)
    while day <= end:
        days.append(day)
        weights.append(_MONTH_WEIGHT[day.month - 1] * (0.6 if day.weekday() == 6 else 1.0))
        day += dt.timedelta(days=1)
    cum, total = [], 0.0
    for w in weights:
        total += w
        cum.append(total)
    return sorted(rng.choices(days, cum_weights=cum, k=n))


def _quantity(rng: random.Random, unit: str, price: int, company: bool) -> int | float:
    top = max(1, min(80, int(100000 / price)))
    if company:
        top = max(1, int(top * 1.6))
    q = 1 + int(rng.random() ** 2.2 * top)
    if unit == "米" and rng.random() < 0.3:
        return q + 0.5
    return q


def _sales(rng, rows, customers, products, year, end) -> list[Row]:
    sizes: list[int] = []  # lines per invoice; 0 marks a one-line return
    total_lines = 0
    while total_lines < rows:
        size = 0 if rng.random() < 0.055 else rng.choices((1, 2, 3, 4, 5), (30, 25, 20, 15, 10))[0]
        size = min(size, rows - total_lines)
        sizes.append(size)
        total_lines += max(size, 1)
    dates = _dates(rng, len(sizes), year, end)
    cum, total = [], 0.0
    for c in customers:
        total += c.weight
        cum.append(total)
    bought: dict[str, list[Row]] = {}
    out: list[Row] = []
    for k, (size, day) in enumerate(zip(sizes, dates), start=1):
        inv = f"XS{year}-{k:05d}"
        cust = rng.choices(customers, cum_weights=cum)[0]
        while cust.status == "冻结":  # frozen for last year's debt: no sales this year
            cust = rng.choices(customers, cum_weights=cum)[0]
        history = bought.get(cust.id)
        if size == 0 and history:
            lines = [_return_line(rng, rng.choice(history), day, inv)]
        else:
            lines = [_line(rng, cust, day, inv, p) for p in rng.sample(products, max(size, 1))]
            if rng.random() < 0.03:
                name, price = rng.choice(_EXTRAS)
                lines[-1] = {"date": day, "invoice_no": inv, "customer_id": cust.id,
                             "item": name, "quantity": 1, "unit_price": price, "amount": price}
            bought.setdefault(cust.id, []).extend(lines)
        invoice_total = sum(_line_amount(x) for x in lines)
        cust.invoices.append((day, inv, invoice_total))
        out.extend(lines)
    return out


def _line(rng, cust: _Customer, day, inv, product: Row) -> Row:
    price = product["list_price"]
    if cust.price_factor != 1.0:
        price = max(10, round(price * cust.price_factor / 10) * 10)
    qty = _quantity(rng, product["unit"], price, cust.company)
    gross = int(qty * 2) * price // 2
    discount = None
    if rng.random() < 0.08 and gross > 2000:
        if rng.random() < 0.6:
            discount = gross % 1000 or 500  # 抹零
        else:
            discount = round(gross * 0.05 / 100) * 100
        discount = min(discount, gross // 2) or None
    line: Row = {"date": day, "invoice_no": inv, "customer_id": cust.id,
                 "item": product["product_id"], "quantity": qty, "unit_price": price}
    if discount:
        line["discount"] = discount
    if rng.random() < 0.65:
        line["amount"] = gross - (discount or 0)
    if rng.random() < 0.04 and cust.terms:
        due = (day.replace(day=1) + dt.timedelta(days=32 * (1 + cust.terms // 30))).replace(day=1)
        due -= dt.timedelta(days=1)
        if due <= dt.date(day.year, 11, 30):
            line["due_date"] = due
            line["notes"] = "约定月底结算"
    elif rng.random() < 0.04:
        line["notes"] = rng.choice(("送货上门", "需开发票", "工地自提", "老客户"))
    return line


def _return_line(rng, original: Row, day, inv) -> Row:
    qty = original["quantity"]
    back = -max(1, min(int(qty), 1 + int(rng.random() * qty / 2)))
    line = {"date": day, "invoice_no": inv, "customer_id": original["customer_id"],
            "item": original["item"], "quantity": back, "unit_price": original["unit_price"],
            "notes": f"退货，原单 {original['invoice_no']}"}
    if rng.random() < 0.5:
        line["amount"] = back * original["unit_price"]
    return line


def _line_amount(line: Row) -> int:
    if line.get("amount") is not None:
        return line["amount"]
    return int(line["quantity"] * 2) * line["unit_price"] // 2 - (line.get("discount") or 0)


# ---------------------------------------------------------------------------- payments

_CASH_METHODS = (("现金", 25), ("微信", 45), ("支付宝", 20), ("刷卡", 10))
_CREDIT_METHODS = (("银行转账", 70), ("微信", 20), ("支付宝", 10))
_BILL_SOURCE = {"微信": "微信账单", "支付宝": "支付宝账单", "银行转账": "银行流水"}


def _payments(rng, customers, year, end) -> tuple[list[Row], set[str]]:
    """Payments by each customer's habit; also the ids of customers with payer-only rows."""
    raw: list[tuple[dt.date, int, Row]] = []
    seq = 0

    def pay(cust, day, amount, method, applies="", notes=""):
        nonlocal seq
        if day > end or amount == 0:
            return
        seq += 1
        raw.append((day, seq, {"date": day, "customer_id": cust.id, "amount": amount,
                               "method": method, "applies_to": applies, "notes": notes,
                               "_cust": cust}))

    start = dt.date(year, 1, 1)
    for c in customers:
        if c.opening > 0 and c.style != "slow":
            pay(c, start + dt.timedelta(days=rng.randrange(5, 80)), c.opening,
                _method(rng, c), notes="结清上年欠款")
        if c.style == "cash":
            _pay_cash(rng, c, pay)
        elif c.style == "monthly":
            _pay_monthly(rng, c, pay)
        else:
            _pay_slow(rng, c, pay, end)
    raw.sort(key=lambda t: (t[0], t[1]))
    out: list[Row] = []
    payer_only: set[str] = set()
    used: set[str] = set()
    for _day, _, row in raw:
        cust = row.pop("_cust")
        if _channel(rng, row, cust, used):
            payer_only.add(cust.id)
        out.append(row)
    _text_amounts(rng, out)
    return out, payer_only


def _method(rng, c: _Customer) -> str:
    table = _CASH_METHODS if c.style == "cash" else _CREDIT_METHODS
    return rng.choices([m for m, _ in table], [w for _, w in table])[0]


def _pay_cash(rng, c: _Customer, pay) -> None:
    for day, _inv, total in c.invoices:
        r = rng.random()
        if total < 0:
            if rng.random() < 0.5:
                pay(c, day, total, rng.choice(("现金", "微信")), notes="退货退款")
        elif r < 0.82:
            pay(c, day, total, _method(rng, c))
        elif r < 0.94:
            part = max(100, total * rng.randrange(4, 8) // 1000 * 100)
            pay(c, day, part, _method(rng, c), notes="先付部分")
            pay(c, day + dt.timedelta(days=rng.randrange(3, 25)), total - part, _method(rng, c))
        elif r < 0.97:
            up = -(-total // 10000) * 10000
            pay(c, day, up, _method(rng, c), notes="多付，下次抵扣")
        else:
            before = max(day - dt.timedelta(days=rng.randrange(3, 15)), dt.date(day.year, 1, 1))
            pay(c, before, -(-total // 50000) * 50000, "银行转账", notes="预付货款")


def _pay_monthly(rng, c: _Customer, pay) -> None:
    months: dict[tuple[int, int], list[tuple[dt.date, str, int]]] = {}
    for item in c.invoices:
        months.setdefault((item[0].year, item[0].month), []).append(item)
    carry = 0
    for (y, m), items in sorted(months.items()):
        total = sum(t for _, _, t in items) + carry
        if total <= 0:
            carry = total
            continue
        month_end = dt.date(y + m // 12, m % 12 + 1, 1) - dt.timedelta(days=1)
        day = month_end + dt.timedelta(days=c.terms + rng.randrange(-10, 16))
        r = rng.random()
        applies = ""
        if r < 0.6:
            amount = total
            if len(items) <= 4 and rng.random() < 0.35 and carry == 0:
                applies = ";".join(inv for _, inv, _ in items)
        elif r < 0.85:
            amount = total * rng.randrange(5, 9) // 1000 * 100
        elif r < 0.93:
            amount = -(-total // 100000) * 100000
        else:
            amount = 0
        carry = total - amount
        pay(c, day, amount, _method(rng, c), applies)


def _pay_slow(rng, c: _Customer, pay, end) -> None:
    owed = c.opening
    events = sorted(c.invoices)
    day = dt.date(end.year, 1, 1) + dt.timedelta(days=rng.randrange(20, 60))
    k = 0
    while day <= end:
        while k < len(events) and events[k][0] <= day:
            owed += events[k][2]
            k += 1
        if owed > 0:
            amount = max(50000, owed * rng.randrange(3, 6) // 10 // 50000 * 50000)
            pay(c, day, min(amount, owed), _method(rng, c), notes="分期还款")
            owed -= min(amount, owed)
        day += dt.timedelta(days=rng.randrange(30, 75))


def _txn(rng, method: str, day: dt.date, used: set[str]) -> str:
    while True:
        ymd = day.strftime("%Y%m%d")
        if method == "微信":
            txn = f"42000{rng.randrange(10**5):05d}{ymd}{rng.randrange(10**10):010d}"
        elif method == "支付宝":
            txn = f"{ymd}2200{rng.randrange(10**16):016d}"
        elif method == "刷卡":
            txn = f"POS{ymd}{rng.randrange(10**6):06d}"
        else:
            txn = f"{ymd}{rng.randrange(10**12):012d}"
        if txn not in used:
            used.add(txn)
            return txn


def _channel(rng, row: Row, c: _Customer, used: set[str]) -> bool:
    """Payer, 流水号 and 来源 as the channel shows them; True when only the payer is named."""
    method = row["method"]
    if method != "现金":
        row["txn_id"] = _txn(rng, method, row["date"], used)
    alias = {"微信": c.wechat, "支付宝": c.alipay, "银行转账": c.bank}.get(method, "")
    if alias and row["amount"] > 0 and not row["applies_to"] and rng.random() < 0.12:
        row["customer_id"] = ""
        row["payer"] = alias
        row["source"] = _BILL_SOURCE[method]
        return True
    if method != "现金" and rng.random() < 0.6:
        row["payer"] = alias or c.contact
    row["source"] = "手工" if rng.random() < 0.7 else ""
    return False


def _text_amounts(rng, payments: list[Row]) -> None:
    big = [p for p in payments if p["amount"] >= 100000 and not p.get("applies_to")]
    for i, p in enumerate(rng.sample(big, min(3, len(big)))):
        p["amount"] = format_yuan(p["amount"], "¥" if i < 2 else "")


# ---------------------------------------------------------------------------- expenses and budget


def _expenses(rng, sales, products, year, end) -> list[Row]:
    cost = {p["product_id"]: p["unit_cost"] for p in products}
    cogs = [0] * 12
    for s in sales:
        if s["item"] in cost:
            cogs[s["date"].month - 1] += int(s["quantity"] * cost[s["item"]])
    out: list[Row] = []
    used: set[str] = set()

    def add(day, category, payee, amount, method, invoice="是", notes=""):
        if day > end:
            return
        row = {"date": day, "category": category, "payee": payee, "amount": amount,
               "method": method, "has_invoice": invoice, "notes": notes,
               "source": "手工" if method == "现金" else rng.choice(("手工", "手工", _BILL_SOURCE.get(method, "手工")))}
        if method != "现金":
            row["txn_id"] = _txn(rng, method, day, used)
        out.append(row)

    for m in range(1, end.month + 1):
        first = dt.date(year, m, 1)
        target = max(cogs[m - 1], 100000) * rng.uniform(0.9, 1.1)
        n = max(3, int(target // 4_000_000))
        for _ in range(n):
            add(first + dt.timedelta(days=rng.randrange(28)), "进货成本", rng.choice(_SUPPLIERS),
                int(target / n) // 100 * 100, rng.choice(("银行转账", "银行转账", "微信")),
                "是" if rng.random() < 0.8 else "否")
        add(first + dt.timedelta(days=4), "房租", "陈国强（房东）", 800000, "银行转账", "否")
        add(first + dt.timedelta(days=19), "水电", "国网供电公司", rng.randrange(600, 1300) * 100,
            "微信")
        add(first + dt.timedelta(days=21), "水电", "自来水公司", rng.randrange(80, 200) * 100, "微信")
        add(first + dt.timedelta(days=9), "工资", "店员 刘小红", 520000, "银行转账", "否")
        add(first + dt.timedelta(days=9), "工资", "送货员 何军", 460000, "现金", "否")
        for _ in range(2):
            add(first + dt.timedelta(days=rng.randrange(28)), "运输",
                rng.choice(("货拉拉", "德邦物流", "安能物流")), rng.randrange(80, 800) * 100, "微信")
        if m % 2 == 0:
            add(first + dt.timedelta(days=rng.randrange(28)), "营销推广",
                rng.choice(("美团推广", "抖音本地推广", "传单印刷")), rng.randrange(300, 2000) * 100, "支付宝")
            add(first + dt.timedelta(days=rng.randrange(28)), "办公",
                rng.choice(("收银纸和打印纸", "宽带费", "文具")), rng.randrange(50, 400) * 100, "微信")
        if m % 3 == 0:
            add(first + dt.timedelta(days=rng.randrange(28)), "设备维护",
                rng.choice(("切割机维修", "电脑维修", "货架加固")), rng.randrange(150, 1200) * 100, "现金", "否")
            add(first + dt.timedelta(days=rng.randrange(28)), "其他",
                rng.choice(("垃圾清运费", "银行手续费", "消防器材年检")), rng.randrange(50, 500) * 100, "微信")
        if m in (1, 4, 7, 10):
            quarter_sales = sum(_line_amount(s) for s in sales
                                if (s["date"].month - 1) // 3 == (m - 1) // 3 - 1 and m > 1)
            if quarter_sales > 30_300_000:
                vat = quarter_sales * 100 // 101 // 100
                add(first + dt.timedelta(days=12), "增值税", "国家税务总局", vat, "银行转账", "否",
                    "上季度增值税")
                add(first + dt.timedelta(days=12), "税费", "国家税务总局", vat * 6 // 100, "银行转账",
                    "否", "附加税费")
            add(first + dt.timedelta(days=13), "个人所得税", "国家税务总局",
                rng.randrange(500, 2500) * 100, "银行转账", "否", "经营所得个税预缴")
    add(dt.date(year, 3, 18), "税费", "国家税务总局", 12000, "银行转账", "否", "印花税")
    add(dt.date(year, 5, 21), "罚款", "交警支队", 20000, "微信", "否", "送货车违停罚款")
    for m, what in ((2, "家里年货"), (6, "孩子学费"), (9, "私家车加油")):
        add(dt.date(year, m, 15), "个人消费", what, rng.randrange(500, 5000) * 100, "微信", "否")
    add(dt.date(year, 9, 25), "员工福利", "中秋月饼", 60000, "微信", "否")
    add(dt.date(year, 4, 8), "进货成本", _SUPPLIERS[0], -150000, "银行转账", "是", "退货退款")
    add(dt.date(year, 8, 12), "增值税", "国家税务总局", 38600, "银行转账", "否", "代开专用发票税款")
    out.sort(key=lambda r: r["date"])
    return out


def _budget(rng, sales, year) -> list[Row]:
    monthly = [0] * 12
    for s in sales:
        monthly[s["date"].month - 1] += _line_amount(s)
    avg = sum(monthly) // 11 or 100000
    income = [round(avg * w * rng.uniform(0.9, 1.1) / 100000) * 100000
              for w in (*_MONTH_WEIGHT, 1.2)]
    rows: list[Row] = [{"category": "销售收入", "kind": "收入", **dict(zip(MONTHS, income))}]
    plan = (("进货成本", 0.7), ("房租", None), ("水电", None), ("工资", None), ("营销推广", 0.01),
            ("运输", 0.01), ("办公", None), ("设备维护", None), ("员工福利", None))
    fixed = {"房租": 800000, "水电": 120000, "工资": 980000, "办公": 20000, "设备维护": 30000,
             "员工福利": 0}
    for category, share in plan:
        if share is None:
            values = [fixed[category]] * 12
            if category == "员工福利":
                values[8] = 60000
        else:
            values = [round(v * share / 10000) * 10000 for v in income]
        rows.append({"category": category, "kind": "支出", **dict(zip(MONTHS, values))})
    return rows


# ---------------------------------------------------------------------------- confirmations


def payment_fen(row: Row) -> int:
    """A demo payment's amount in 分 (some are typed as text, like a user would)."""
    amount = row["amount"]
    return parse_money(amount) if isinstance(amount, str) else amount


def _confirmations(rng, customers, payments, payer_only, year) -> list[Row]:
    """Statements sent to a few credit customers; one disagrees, one is unanswered."""
    paid: dict[str, list[tuple[dt.date, int]]] = {}
    for p in payments:
        paid.setdefault(p["customer_id"], []).append((p["date"], payment_fen(p)))

    def balance(c: _Customer, as_of: dt.date) -> int:
        sold = sum(t for d, _, t in c.invoices if d <= as_of)
        return c.opening + sold - sum(a for d, a in paid.get(c.id, ()) if d <= as_of)

    clean = [c for c in customers if c.style == "monthly" and c.id not in payer_only]
    n = min(len(clean), max(5, len(customers) // 12))
    chosen = sorted(rng.sample(clean, n), key=lambda c: c.id)
    balances = {c.id: (balance(c, dt.date(year, 6, 30)), balance(c, dt.date(year, 9, 30)))
                for c in chosen}
    owing = [k for k, c in enumerate(chosen[:-1]) if balances[c.id][k % 2] > 100000]
    disagree = owing[0] if owing else 0
    out: list[Row] = []
    for k, c in enumerate(chosen):
        as_of = dt.date(year, 6, 30) if k % 2 == 0 else dt.date(year, 9, 30)
        sent = as_of + dt.timedelta(days=rng.randrange(2, 8))
        row: Row = {"customer_id": c.id, "as_of": as_of, "sent_on": sent}
        if k == n - 1:
            row["notes"] = "已发送，未回复"
        else:
            bal = balances[c.id][k % 2]
            row.update(confirmed_on=sent + dt.timedelta(days=rng.randrange(2, 12)),
                       confirmed_balance=bal, result="相符")
            if k == disagree:
                row.update(confirmed_balance=bal - 50000, result="不符",
                           notes=f"客户称 {as_of.month}月{as_of.day - 2}日 转账 500 元，我方未查到")
        out.append(row)
    return out


def _settings(year: int) -> list[Row]:
    values = {
        "shop_name": SHOP, "owner": "王建华", "credit_code": _credit_code("92330784MA2H7K3P1"),
        "phone": "0579-8712 3456", "bank_account": "永康农商银行五金城支行 6230 9100 1234 5678",
        "taxpayer_type": "小规模纳税人", "vat_period": "按季", "pit_method": "查账征收",
        "prices_include_vat": "是", "location": "县城镇", "has_other_income": "否",
        "fiscal_year": year, "aging_buckets": "30,60,90",
        "statement_note": "如有不符，请在收到对账单 7 日内联系王老板 0579-8712 3456。",
    }
    return [{"item": k, "value": v} for k, v in values.items()]


def _credit_code(first17: str) -> str:
    """Append the GB 32100-2015 check character to a 17-character 统一社会信用代码 body."""
    chars = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    weights = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
    total = sum(chars.index(ch) * w for ch, w in zip(first17, weights))
    return first17 + chars[(31 - total % 31) % 31]
