"""The template: derived from the layout, stable, and pleasant to type into."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from sheetbook import guide, layout
from sheetbook.errors import ExistsError
from sheetbook.template import (
    BUDGET_TEMPLATE_ROWS,
    CUSTOMER_IDS_NAME,
    build_book,
    fen_to_float,
    init_book,
    settings_columns,
    table_name,
    write_template,
)

ROOT = Path(__file__).resolve().parents[1]
COMMITTED = ROOT / "workbook_template.xlsx"

# Literal headers copied from shared/WORKBOOK.md, so a typo in layout.py is caught here.
CONTRACT = {
    "zh": {
        "客户": ["客户编号", "客户名称", "联系人", "电话", "地址", "信用额度", "账期天数", "信用状态",
                 "别名", "期初应收", "标签", "备注"],
        "销售": ["日期", "单号", "客户编号", "商品", "数量", "单价", "折扣", "金额", "到期日", "备注"],
        "收款": ["日期", "客户编号", "付款人", "金额", "方式", "流水号", "核销单号", "来源", "备注"],
    },
}


def sheet_names(lang: str) -> list[str]:
    return [layout.GUIDE_SHEET[lang]] + [s.name(lang) for s in layout.SHEETS]


def headers(sheet: layout.Sheet, lang: str) -> list[str]:
    cols = settings_columns() if sheet.key == "settings" else sheet.columns
    return [c.name(lang) for c in cols]


def book_facts(path: Path) -> dict:
    """What a user sees of a book's structure: everything the drift test compares."""
    wb = openpyxl.load_workbook(path)
    facts: dict = {"sheets": wb.sheetnames, "names": {
        n: d.attr_text for n, d in wb.defined_names.items()}}
    for ws in wb.worksheets:
        ps = ws.page_setup
        facts[ws.title] = {
            "header": [c.value for c in ws[1]],
            "tables": sorted((t.name, t.ref, t.tableStyleInfo.name) for t in ws.tables.values()),
            "validations": sorted(
                (dv.type or "", dv.formula1 or "", str(dv.sqref), dv.errorStyle or "",
                 dv.promptTitle or "", dv.prompt or "")
                for dv in ws.data_validations.dataValidation),
            "column_formats": {
                openpyxl.utils.get_column_letter(i): (d.number_format, d.width)
                for d in ws.column_dimensions.values() for i in range(d.min, d.max + 1)},
            "row2_formats": [c.number_format for c in ws[2]],
            "freeze": ws.freeze_panes,
            "print": (ps.paperSize, ps.orientation, ps.fitToWidth, ps.fitToHeight,
                      ws.sheet_properties.pageSetUpPr.fitToPage if ws.sheet_properties.pageSetUpPr
                      else None, ws.print_title_rows),
            "tab": ws.sheet_properties.tabColor.rgb if ws.sheet_properties.tabColor else None,
            "values": [[c.value for c in row] for row in ws.iter_rows(max_row=60)],
        }
    wb.close()
    return facts


@pytest.fixture(scope="module")
def zh_book(tmp_path_factory) -> Path:
    return write_template(tmp_path_factory.mktemp("tpl") / "zh.xlsx", "zh")


@pytest.fixture(scope="module")
def en_book(tmp_path_factory) -> Path:
    return build_book(tmp_path_factory.mktemp("tpl") / "en.xlsx", "en", "Wang Hardware",
                      fiscal_year=2026)


def test_committed_template_has_not_drifted(zh_book):
    """workbook_template.xlsx is regenerated whenever the layout or the builder changes."""
    assert COMMITTED.exists(), "run: python -c \"from sheetbook.template import write_template; " \
                               "write_template('workbook_template.xlsx','zh')\""
    assert book_facts(COMMITTED) == book_facts(zh_book)


def test_builds_are_byte_identical(tmp_path):
    a = write_template(tmp_path / "a.xlsx")
    b = write_template(tmp_path / "b.xlsx")
    assert a.read_bytes() == b.read_bytes()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_sheet_and_header_names_come_from_the_layout(lang, zh_book, en_book):
    wb = openpyxl.load_workbook(zh_book if lang == "zh" else en_book, read_only=True)
    assert wb.sheetnames == sheet_names(lang)
    for sheet in layout.SHEETS:
        row1 = next(wb[sheet.name(lang)].iter_rows(max_row=1, values_only=True))
        assert list(row1) == headers(sheet, lang)
    wb.close()


def test_headers_match_the_contract_literally(zh_book):
    wb = openpyxl.load_workbook(zh_book, read_only=True)
    for name, expected in CONTRACT["zh"].items():
        assert list(next(wb[name].iter_rows(max_row=1, values_only=True))) == expected
    assert wb.sheetnames == ["说明", "设置", "客户", "商品", "销售", "收款", "支出", "预算", "对账记录"]
    wb.close()
    en = [s.en for s in layout.SHEETS]
    assert en == ["Settings", "Customers", "Products", "Sales", "Payments", "Expenses", "Budget",
                  "Confirmations"]
    assert [c.en for c in layout.SHEETS_BY_KEY["payments"].columns] == [
        "Date", "Customer ID", "Payer", "Amount", "Method", "Txn ID", "Applies to", "Source", "Notes"]


def test_every_input_sheet_is_a_formatted_table(zh_book):
    facts = book_facts(zh_book)
    for sheet in layout.SHEETS:
        f = facts[sheet.zh]
        assert [t[0] for t in f["tables"]] == [table_name(sheet)]
        assert table_name(sheet).isascii()
        assert f["freeze"] == "A2"
        assert f["tab"] == "FF" + layout.INPUT_TAB_COLOR
        paper, orientation, _, fit_height, fit, titles = f["print"]
        assert (paper, fit, fit_height, titles) == (9, True, 0, "$1:$1")
        assert orientation == ("landscape" if sheet.landscape else "portrait")
        if sheet.key == "settings":
            continue
        for j, col in enumerate(sheet.columns):
            letter = openpyxl.utils.get_column_letter(j + 1)
            number_format, width = f["column_formats"][letter]
            if col.number_format:
                assert number_format == col.number_format
                assert f["row2_formats"][j] == col.number_format
            assert round(width) == col.width + 1  # Excel's padding


def test_money_and_date_formats():
    sales = layout.SHEETS_BY_KEY["sales"]
    assert sales.column("amount").number_format == "¥#,##0.00"
    assert sales.column("date").number_format == "yyyy-mm-dd"


def validations(facts: dict, sheet_name: str) -> dict[str, tuple]:
    """Data validations of a sheet keyed by their range."""
    return {v[2]: v for v in facts[sheet_name]["validations"]}


def test_dropdowns(zh_book):
    facts = book_facts(zh_book)
    pay = validations(facts, "收款")
    assert pay["E2:E1048576"][:2] == ("list", '"现金,微信,支付宝,银行转账,刷卡,其他"')
    assert pay["E2:E1048576"][3] in ("", "stop")
    assert pay["H2:H1048576"][1] == '"手工,微信账单,支付宝账单,银行流水"'
    for name, letter in (("销售", "C"), ("收款", "B"), ("对账记录", "A")):
        v = validations(facts, name)[f"{letter}2:{letter}1048576"]
        assert v[:2] == ("list", CUSTOMER_IDS_NAME) and v[3] == "warning"
    assert facts["names"][CUSTOMER_IDS_NAME] == "客户!$A$2:$A$5001"
    exp = validations(facts, "支出")
    assert exp["B2:B1048576"][3] == "warning"  # open list: 预算 categories are allowed
    assert exp["B2:B1048576"][1] == '"' + ",".join(c.zh for c in layout.EXPENSE_CATEGORIES) + '"'
    assert exp["F2:F1048576"][1] == '"是,否"'
    assert validations(facts, "客户")["H2:H1048576"][1] == '"正常,关注,冻结"'
    assert validations(facts, "预算")["B2:B1048576"][1] == '"收入,支出"'
    assert validations(facts, "对账记录")["F2:F1048576"][1] == '"相符,不符"'


def test_header_cells_carry_the_help_text(zh_book, en_book):
    for book, lang in ((zh_book, "zh"), (en_book, "en")):
        facts = book_facts(book)
        for sheet in layout.SHEETS:
            cols = settings_columns() if sheet.key == "settings" else sheet.columns
            by_cell = validations(facts, sheet.name(lang))
            for j, col in enumerate(cols):
                cell = f"{openpyxl.utils.get_column_letter(j + 1)}1"
                help_text = (col.help_en or col.help_zh) if lang == "en" else col.help_zh
                if not help_text or help_text == col.name(lang):
                    assert cell not in by_cell
                    continue
                kind, _, _, _, title, prompt = by_cell[cell]
                assert kind == "" and prompt == help_text[:255]
                assert title.startswith(col.name(lang))
                assert (guide.TEXT[lang]["required"] in title) == col.required


def test_settings_sheet(en_book, tmp_path):
    book = build_book(tmp_path / "s.xlsx", "zh", "王记五金店", fiscal_year=2026)
    facts = book_facts(book)
    rows = facts["设置"]["values"][1: 1 + len(layout.SETTINGS)]
    assert [r[0] for r in rows] == [s.zh for s in layout.SETTINGS]
    values = {s.key: r[1] for s, r in zip(layout.SETTINGS, rows)}
    assert values["shop_name"] == "王记五金店" and values["fiscal_year"] == 2026
    for s in layout.SETTINGS:
        if s.key not in ("shop_name", "fiscal_year"):
            assert (values[s.key] or "") == s.default, s.key
    assert [r[2] or "" for r in rows] == [s.help_zh for s in layout.SETTINGS]
    dropdowns = validations(facts, "设置")
    for i, s in enumerate(layout.SETTINGS, start=2):
        if s.choices:
            assert dropdowns[f"B{i}"][1] == '"' + ",".join(c.zh for c in s.choices) + '"'
    en_rows = book_facts(en_book)["Settings"]["values"][1: 1 + len(layout.SETTINGS)]
    en_values = {r[0]: r[1] for r in en_rows}
    assert en_values["taxpayer_type"] == "small-scale" and en_values["shop_name"] == "Wang Hardware"


def test_budget_total_is_a_formula_on_template_rows(zh_book):
    wb = openpyxl.load_workbook(zh_book)
    ws = wb["预算"]
    total = layout.SHEETS_BY_KEY["budget"].columns.index(layout.SHEETS_BY_KEY["budget"].column("total"))
    letter = openpyxl.utils.get_column_letter(total + 1)
    for r in range(2, BUDGET_TEMPLATE_ROWS + 2):
        assert ws[f"{letter}{r}"].value == f"=SUM(C{r}:N{r})"
    assert ws[f"{letter}{BUDGET_TEMPLATE_ROWS + 2}"].value is None
    assert ws.tables[table_name(layout.SHEETS_BY_KEY["budget"])].ref == f"A1:O{BUDGET_TEMPLATE_ROWS + 1}"
    wb.close()


def test_document_properties(tmp_path):
    book = build_book(tmp_path / "p.xlsx", "zh", "王记五金店")
    wb = openpyxl.load_workbook(book, read_only=True)
    assert wb.properties.title == "王记五金店 账本"
    wb.close()
    import zipfile

    app = zipfile.ZipFile(book).read("docProps/app.xml").decode()
    assert "<Company>王记五金店</Company>" in app


def test_data_rows_are_written_typed(tmp_path):
    data = {
        "customers": [{"customer_id": "C001", "name": "恒达", "credit_limit": 1234567,
                       "terms_days": 30, "credit_status": "关注", "phone": "13800000000"}],
        "payments": [
            {"date": dt.date(2026, 3, 5), "customer_id": "C001", "amount": 150050, "method": "微信",
             "txn_id": "4200001234202603051234567890"},
            {"date": dt.date(2026, 3, 6), "payer": "z***3", "amount": "¥1,234.50", "method": "支付宝"},
        ],
        "budget": [{"category": "房租", "kind": "支出", **{m: 800000 for m in layout.MONTHS}}],
    }
    for lang in ("zh", "en"):
        book = build_book(tmp_path / f"{lang}.xlsx", lang, data=data)
        wb = openpyxl.load_workbook(book)
        cust = wb[layout.SHEETS_BY_KEY["customers"].name(lang)]
        assert cust["F2"].value == 12345.67 and cust["F2"].number_format == "¥#,##0.00"
        assert cust["D2"].value == "13800000000"
        assert cust["H2"].value == ("关注" if lang == "zh" else "Watch")
        pay = wb[layout.SHEETS_BY_KEY["payments"].name(lang)]
        assert pay["A2"].value == dt.datetime(2026, 3, 5) and pay["A2"].number_format == "yyyy-mm-dd"
        assert pay["D2"].value == 1500.5 and pay["D3"].value == "¥1,234.50"
        assert pay["F2"].value == "4200001234202603051234567890"
        assert pay["E2"].value == ("微信" if lang == "zh" else "WeChat")
        assert pay.tables[table_name(layout.SHEETS_BY_KEY["payments"])].ref == "A1:I3"
        wb.close()


@given(st.integers(min_value=-(2**53) + 1, max_value=2**53 - 1))
def test_fen_to_float_is_the_decimal_value(fen):
    assert fen_to_float(fen) == float(Decimal(fen) / 100)
    assert repr(fen_to_float(fen)) == repr(float(Decimal(fen) / 100))


def test_fen_to_float_refuses_floats():
    with pytest.raises(TypeError):
        fen_to_float(1.5)


def test_init_book_never_overwrites(tmp_path):
    path = tmp_path / "账本.xlsx"
    init_book(path, shop_name="王记五金店")
    before = path.read_bytes()
    with pytest.raises(ExistsError) as err:
        init_book(path)
    assert "已存在" in err.value.message("zh") and "exists" in err.value.message("en")
    assert path.read_bytes() == before
    wb = openpyxl.load_workbook(path, read_only=True)
    assert wb.sheetnames == sheet_names("zh")
    wb.close()


def test_guide_covers_sheets_tabs_commands_and_rules(zh_book):
    wb = openpyxl.load_workbook(zh_book, read_only=True)
    text = "\n".join(str(v) for row in wb["说明"].iter_rows(values_only=True) for v in row if v)
    wb.close()
    for sheet in layout.SHEETS:
        assert sheet.zh in text and sheet.help_zh in text
    for tab in layout.RESULT_TABS:
        assert tab.zh in text and tab.help_zh in text
    for command in ("validate", "reconcile", "tax"):
        assert f"sheetbook {command} 账本.xlsx" in text
    for sample in ("¥1,234.50", "2026/3/5", "2026年3月5日"):
        assert sample in text


def test_guide_example_adds_up():
    ex = guide.EXAMPLE
    assert len(ex.sales) == 3
    assert sum(a for _, a in ex.allocations) == ex.payment[2]
    assert ex.closing == ex.total_sales - ex.payment[2] == 100000
    for _, _, _, qty, price, amount in ex.sales:
        assert amount is None or amount == qty * price
    rows = guide.guide_rows("en")
    assert all(isinstance(cell, str) for _, cells, _ in rows for cell in cells)
    assert any("WeChat" in cells for _, cells, _ in rows)


@pytest.mark.libreoffice
def test_libreoffice_opens_the_template(libreoffice, zh_book, en_book):
    for book, lang in ((zh_book, "zh"), (en_book, "en")):
        sheets = libreoffice(book)
        assert list(sheets) == sheet_names(lang)
        for sheet in layout.SHEETS:
            assert sheets[sheet.name(lang)][0] == headers(sheet, lang)
        budget = sheets[layout.SHEETS_BY_KEY["budget"].name(lang)]
        assert [r[-1] for r in budget[1: BUDGET_TEMPLATE_ROWS + 1]] == ["0"] * BUDGET_TEMPLATE_ROWS
