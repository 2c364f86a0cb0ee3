"""The demo book: reproducible, realistic enough to exercise every job, and readable everywhere."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from decimal import Decimal

import openpyxl
import pytest

from sheetbook import layout
from sheetbook.demo import generate, payment_fen, write_demo
from sheetbook.money import parse_money
from sheetbook.text import split_list

YEAR = 2026
END = dt.date(YEAR, 11, 30)


@pytest.fixture(scope="module")
def data() -> dict:
    return generate()


def line_amount(line: dict) -> int:
    """数量 × 单价 − 折扣 in 分 (the quantities are whole or half units)."""
    if line.get("amount") is not None:
        return line["amount"]
    gross = Decimal(str(line["quantity"])) * line["unit_price"]
    assert gross == int(gross)
    return int(gross) - (line.get("discount") or 0)


def test_same_seed_same_data_other_seed_other_data(data):
    assert generate() == data
    assert generate(rows=500, seed=3) == generate(rows=500, seed=3)
    assert generate(seed=8) != data


def test_written_demo_is_byte_identical(tmp_path):
    a = write_demo(tmp_path / "a.xlsx", rows=300)
    b = write_demo(tmp_path / "b.xlsx", rows=300)
    assert a.read_bytes() == b.read_bytes()


@pytest.mark.parametrize("rows, customers", [(10, 20), (100, 20), (3000, 60), (5000, 100)])
def test_sizes(rows, customers):
    d = generate(rows=rows, seed=1)
    assert len(d["sales"]) == rows
    assert len(d["customers"]) == customers


def test_rows_use_layout_keys_and_int_money(data):
    assert set(data) == set(layout.INPUT_KEYS)
    for key, rows in data.items():
        if key == "settings":
            continue
        sheet = layout.SHEETS_BY_KEY[key]
        kinds = {c.key: c.kind for c in sheet.columns}
        for row in rows:
            assert set(row) <= set(kinds), (key, set(row) - set(kinds))
            for k, v in row.items():
                if v is None or v == "":
                    continue
                if kinds[k] == "money":
                    assert type(v) is int or (key == "payments" and isinstance(v, str)), (key, k, v)
                elif kinds[k] == "date":
                    assert type(v) is dt.date and dt.date(YEAR, 1, 1) <= v <= END, (key, k, v)
                elif kinds[k] in ("choice", "yesno") and not sheet.column(k).open_choices:
                    assert v in {c.zh for c in sheet.column(k).choices}, (key, k, v)


def test_customers(data):
    customers = data["customers"]
    ids = [c["customer_id"] for c in customers]
    assert len(set(ids)) == len(ids) == 60
    assert len({c["name"] for c in customers}) == 60
    assert any(c["name"].endswith(("工程部", "装修队", "有限公司", "建材店")) for c in customers)
    assert any(c["name"].endswith(("师傅", "老板", "总")) for c in customers)
    status = Counter(c["credit_status"] for c in customers)
    assert status["关注"] >= 1 and status["冻结"] >= 1
    assert {15, 30, 60} <= {c["terms_days"] for c in customers}
    assert any(c["terms_days"] is None for c in customers)
    openings = [c["opening_balance"] for c in customers if c["opening_balance"]]
    assert any(o < 0 for o in openings) and sum(o > 0 for o in openings) >= 10
    aliases = [a for c in customers for a in split_list(c["aliases"])]
    assert len(aliases) == len(set(aliases))
    assert any("***" in a and len(a) <= 6 for a in aliases)  # masked Alipay such as z***3
    assert all(len(c["phone"]) == 11 for c in customers)


def test_products(data):
    products = data["products"]
    assert 50 <= len(products) <= 70
    assert all(0 < p["unit_cost"] < p["list_price"] for p in products)


def test_sales(data):
    sales = data["sales"]
    by_invoice = defaultdict(list)
    for line in sales:
        by_invoice[line["invoice_no"]].append(line)
    numbers = list(by_invoice)
    assert numbers == [f"XS{YEAR}-{i:05d}" for i in range(1, len(numbers) + 1)]
    assert [line["date"] for line in sales] == sorted(line["date"] for line in sales)
    for lines in by_invoice.values():
        assert 1 <= len(lines) <= 5
        assert len({(x["date"], x["customer_id"]) for x in lines}) == 1
    returns = [x for x in sales if x["quantity"] < 0]
    assert 0.01 <= len(returns) / len(sales) <= 0.04
    assert any(x.get("discount") for x in sales)
    filled = [x for x in sales if x.get("amount") is not None]
    assert 0.4 < len(filled) / len(sales) < 0.8
    for x in filled:
        gross = Decimal(str(x["quantity"])) * x["unit_price"]
        assert x["amount"] == gross - (x.get("discount") or 0)
    known = {c["customer_id"] for c in data["customers"]}
    assert {x["customer_id"] for x in sales} <= known
    frozen = {c["customer_id"] for c in data["customers"] if c["credit_status"] == "冻结"}
    assert not frozen & {x["customer_id"] for x in sales}


def test_quarterly_sales_straddle_the_vat_threshold(data):
    quarters = [0] * 4
    for line in data["sales"]:
        quarters[(line["date"].month - 1) // 3] += line_amount(line)
    net = [q * 100 // 101 for q in quarters]  # 1% levy rate: 销售额 = 含税 ÷ 1.01
    threshold = 300_000_00
    assert any(n < threshold for n in net) and any(n > threshold for n in net)


def test_payments(data):
    payments = data["payments"]
    customers = {c["customer_id"]: c for c in data["customers"]}
    invoices = {x["invoice_no"]: x["customer_id"] for x in data["sales"]}
    amounts = [payment_fen(p) for p in payments]
    assert 0 not in amounts
    assert sum(a < 0 for a in amounts) >= 2  # refunds
    assert {p["method"] for p in payments} == {"现金", "微信", "支付宝", "银行转账", "刷卡"}
    texts = [p["amount"] for p in payments if isinstance(p["amount"], str)]
    assert len(texts) >= 2 and any(t.startswith("¥") and "," in t for t in texts)
    assert all(parse_money(t) > 0 for t in texts)
    txns = [p["txn_id"] for p in payments if p.get("txn_id")]
    assert len(txns) == len(set(txns))
    assert all(p.get("txn_id") for p in payments if p["method"] != "现金")
    payer_only = [p for p in payments if not p["customer_id"]]
    assert len(payer_only) >= 5
    alias_owner = {a: cid for cid, c in customers.items() for a in split_list(c["aliases"])}
    alias_owner.update({c["name"]: cid for cid, c in customers.items()})
    assert all(p["payer"] in alias_owner for p in payer_only)
    assert all(p["source"] in ("微信账单", "支付宝账单", "银行流水") for p in payer_only)
    applied = [p for p in payments if p.get("applies_to")]
    assert 0 < len(applied) < len(payments) / 2
    for p in applied:
        assert all(invoices[no] == p["customer_id"] for no in split_list(p["applies_to"]))
    notes = Counter(p.get("notes") for p in payments)
    assert notes["预付货款"] >= 1 and notes["多付，下次抵扣"] >= 1 and notes["先付部分"] >= 1


def test_expenses_and_budget(data):
    expenses = data["expenses"]
    categories = Counter(e["category"] for e in expenses)
    assert {c.zh for c in layout.EXPENSE_CATEGORIES} <= set(categories)
    totals = Counter()
    for e in expenses:
        totals[e["category"]] += e["amount"]
    assert totals.most_common(1)[0][0] == "进货成本"
    assert all(categories[c] >= 11 for c in ("房租", "水电", "工资"))
    assert any(e["amount"] < 0 for e in expenses)
    budget = data["budget"]
    assert {b["kind"] for b in budget} == {"收入", "支出"}
    assert all(isinstance(b[m], int) for b in budget for m in layout.MONTHS)
    extra = {b["category"] for b in budget} - {c.zh for c in layout.EXPENSE_CATEGORIES}
    assert extra & set(categories)  # an expense category taken from 预算 (open list)


def test_confirmations(data):
    rows = data["confirmations"]
    assert len(rows) >= 5
    assert Counter(r.get("result") for r in rows)["不符"] == 1
    assert any("confirmed_on" not in r for r in rows)
    assert all(r["sent_on"] > r["as_of"] for r in rows)


def test_settings(data):
    values = {r["item"]: r["value"] for r in data["settings"]}
    assert values["shop_name"] == "王记五金店" and values["fiscal_year"] == YEAR
    assert len(values["credit_code"]) == 18
    assert set(values) <= {s.key for s in layout.SETTINGS}


def test_written_book_holds_the_data(tmp_path, data):
    book = write_demo(tmp_path / "demo.xlsx")
    wb = openpyxl.load_workbook(book, read_only=True)
    assert wb["设置"]["B2"].value == "王记五金店"
    sales = list(wb["销售"].iter_rows(values_only=True))
    assert len(sales) == 1 + len(data["sales"])
    wb.close()


@pytest.mark.libreoffice
def test_libreoffice_reads_the_demo_and_agrees(libreoffice, tmp_path, data):
    book = write_demo(tmp_path / "demo.xlsx")
    sheets = libreoffice(book)
    for sheet in layout.SHEETS:
        rows = sheets[sheet.zh]
        if sheet.key != "settings":
            assert rows[0] == [c.zh for c in sheet.columns]
    sales = layout.SHEETS_BY_KEY["sales"]
    col = [c.key for c in sales.columns].index("amount")
    lo_sum = sum(Decimal(r[col]) for r in sheets["销售"][1:] if r[col])
    py_sum = sum(x["amount"] for x in data["sales"] if x.get("amount") is not None)
    assert lo_sum * 100 == py_sum
    budget = layout.SHEETS_BY_KEY["budget"]
    keys = [c.key for c in budget.columns]
    for lo_row, row in zip(sheets["预算"][1:], data["budget"]):
        months = sum(row[m] for m in layout.MONTHS)
        assert Decimal(lo_row[keys.index("total")]) * 100 == months
    payments = sheets["收款"]
    amount = [c.key for c in layout.SHEETS_BY_KEY["payments"].columns].index("amount")
    texts = [p["amount"] for p in data["payments"] if isinstance(p["amount"], str)]
    assert texts and all(t in {r[amount] for r in payments[1:]} for t in texts)  # still text
