"""Valid but messy books: the exact values read, and no error.

Each book of ``tests/data`` whose kind is ``messy`` is what a real shop owner's book looks like
after a year of typing: money as text with signs and separators, dates in every spelling,
ids in full-width or lower case, a title above the header, columns moved, extra columns,
blank rows, merged cells, an Excel Table with rows typed below it, English names, header
aliases. The tests assert the values sheetbook reads, to the 分 and the day, and the sheet row
each record came from.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import corpus
from sheetbook.reader import read_book
from sheetbook.text import column_letter
from sheetbook.validate import validate

MESSY = [c for c in corpus.CASES if c.kind == "messy"]


def book(name: str):
    return corpus.validated(name)[0]


def problems(name: str):
    return list(corpus.validated(name)[1])


def rows(name: str, sheet: str) -> pd.DataFrame:
    return book(name).tables[sheet].set_index("_row")


def day(ts) -> dt.date | None:
    return None if pd.isna(ts) else ts.date()


@pytest.mark.parametrize("case", MESSY, ids=[c.name for c in MESSY])
def test_messy_books_have_no_error_and_only_the_expected_warnings(case):
    found = sorted((p.code, p.severity, p.where) for p in problems(case.name))
    assert found == sorted(case.expect)


def test_money_every_spelling_to_the_fen():
    pay = book("messy_money.xlsx").tables["payments"]
    assert pay["_row"].tolist() == list(range(2, 2 + len(corpus.MESSY_MONEY_CASES)))
    got = [int(v) for v in pay["amount"]]
    want = [fen for _, fen in corpus.MESSY_MONEY_CASES]
    assert got == want
    assert str(pay["amount"].dtype) == "Int64"


def test_dates_every_spelling_to_the_day():
    pay = book("messy_dates.xlsx").tables["payments"]
    assert [day(v) for v in pay["date"]] == [d for _, d in corpus.MESSY_DATE_CASES]
    assert (pay["date"].dt.hour == 0).all() and (pay["date"].dt.minute == 0).all()


def test_ids_match_case_and_width_insensitively():
    b = book("messy_ids.xlsx")
    assert b.tables["sales"]["customer_id"].tolist() == ["C001", "C001", "C002", "C003"]
    assert b.tables["payments"]["customer_id"].tolist() == ["C001", "C002"]
    assert b.tables["confirmations"]["customer_id"].tolist() == ["C002"]
    assert b.valid("payments")["applies_to"].tolist() == ["xs001", "ｘｓ００２"]


def test_numeric_ids_match_their_text():
    b = book("messy_numeric_ids.xlsx")
    assert b.tables["customers"]["customer_id"].tolist() == ["1001", "1002", "1003"]
    assert b.tables["sales"]["customer_id"].tolist() == ["1001", "1001", "1002", "1003"]
    assert b.tables["sales"]["invoice_no"].tolist() == ["20260001", "20260001", "20260002", "20260003"]
    assert b.tables["payments"]["customer_id"].tolist() == ["1001", "1002"]


def test_title_rows_offset_reordered_and_extra_columns():
    b = book("messy_layout.xlsx")
    info = b.sheets["sales"]
    assert info.header_row == 3
    assert info.letters["amount"] == "C" and info.letters["date"] == "G" and info.letters["invoice_no"] == "E"
    assert "序号" not in b.tables["sales"].columns and "经手人" not in b.tables["sales"].columns
    sales = rows("messy_layout.xlsx", "sales")
    assert {r: (sales.loc[r, "invoice_no"], int(sales.loc[r, "amount"])) for r in sales.index} \
        == corpus.MESSY_LAYOUT_ROWS
    assert day(sales.loc[8, "date"]) == dt.date(2026, 3, 6)
    assert sales.loc[8, "unit_price"] == 2450


def test_errors_after_blank_rows_name_the_real_cells():
    found = {(p.code, p.where, p.row) for p in problems("layout_offset_errors.xlsx")}
    assert ("cell.bad_money", "销售!K10", 10) in found
    assert ("cell.bad_date", "销售!C12", 12) in found
    sales = rows("layout_offset_errors.xlsx", "sales")
    assert sales.index.tolist() == [5, 6, 9, 10, 12]
    assert int(sales.loc[9, "discount"]) == 1000  # `10元`


def test_english_book():
    b = book("messy_english.xlsx")
    assert b.lang == "en"
    assert b.sheet_name("sales") == "Sales"
    assert b.settings.shop_name == "Wang's Hardware" and b.fiscal_year == 2026
    assert b.tables["customers"]["credit_status"].tolist() == ["正常", "冻结"]
    pay = b.tables["payments"]
    assert pay["method"].tolist() == ["微信", "银行转账"]
    assert pay["source"].tolist() == ["手工", "银行流水"]
    assert [int(v) for v in pay["amount"]] == [7000, 49000]
    assert b.tables["expenses"]["category"].tolist() == ["房租"]
    assert b.tables["expenses"]["has_invoice"].tolist() == ["是"]
    assert b.tables["budget"]["kind"].tolist() == ["支出"]
    assert int(b.tables["budget"]["m03"].iat[0]) == 300000
    assert b.tables["confirmations"]["result"].tolist() == ["相符"]
    assert int(rows("messy_english.xlsx", "sales").loc[4, "amount"]) == 49000
    warning = problems("messy_english.xlsx")[0]
    assert warning.column == "Customer ID"
    assert warning.message("en") == "Sale to customer C002, whose credit is frozen"


def test_header_aliases():
    b = book("messy_aliases.xlsx")
    assert b.sheets["sales"].headers["date"] == "销售日期"
    assert b.sheets["payments"].headers["amount"] == "收款金额"
    assert b.sheets["payments"].headers["txn_id"] == "交易单号"
    sales = rows("messy_aliases.xlsx", "sales")
    assert sales.loc[2, "item"] == "P01" and sales.loc[4, "unit_price"] == 2500
    assert int(sales.loc[2, "amount"]) == 5000
    pay = rows("messy_aliases.xlsx", "payments")
    assert pay.loc[2, "payer"] == "张三" and pay.loc[2, "txn_id"] == "WX001" and pay.loc[2, "method"] == "微信"
    cust = rows("messy_aliases.xlsx", "customers")
    assert cust.loc[2, "terms_days"] == 30 and cust.loc[2, "aliases"] == "老张;张三微信"
    assert int(cust.loc[3, "opening_balance"]) == 120050
    assert rows("messy_aliases.xlsx", "expenses").loc[2, "payee"] == "房东"


def test_merged_cells_fill_down_over_the_invoice_lines():
    sales = rows("messy_merged.xlsx", "sales")
    for r in (6, 7, 8):
        assert day(sales.loc[r, "date"]) == dt.date(2026, 5, 8)
        assert sales.loc[r, "invoice_no"] == "XS004"
        assert sales.loc[r, "customer_id"] == "C003"
    assert [int(sales.loc[r, "amount"]) for r in (6, 7, 8)] == [500, 1000, 3500]


def test_rows_typed_below_an_excel_table_are_read():
    sales = rows("messy_table.xlsx", "sales")
    assert sales.index.tolist() == [2, 3, 4, 5, 6, 7, 9]
    assert sales.loc[9, "invoice_no"] == "XS006" and int(sales.loc[9, "amount"]) == 3330
    assert int(sales.loc[6, "amount"]) == 200


def test_rows_with_only_optional_cells_are_not_data():
    b = book("messy_optional_only.xlsx")
    assert b.tables["sales"]["_row"].tolist() == [2, 3, 4, 5]
    assert b.tables["payments"]["_row"].tolist() == [2, 3]
    assert b.tables["customers"]["_row"].tolist() == [2, 3, 4]


def test_numbers_typed_as_text():
    sales = rows("messy_numbers.xlsx", "sales")
    assert sales["quantity"].tolist() == [100.0, 10.0, 20.0, 2.0]
    assert sales.loc[2, "unit_price"] == 50
    cust = rows("messy_numbers.xlsx", "customers")
    assert cust["terms_days"].tolist()[0] == 30 and cust.loc[4, "terms_days"] == 60
    assert int(cust.loc[2, "credit_limit"]) == 500000 and int(cust.loc[4, "credit_limit"]) == 2000000


def test_expense_category_named_in_budget_is_allowed():
    exp = rows("messy_budget_category.xlsx", "expenses")
    assert exp.loc[3, "category"] == "招待费"


def test_settings_typed_loosely():
    s = book("messy_settings.xlsx").settings
    assert s.shop_name == "王记五金"
    assert s.fiscal_year == 2026
    assert s.prices_include_vat is False and s.has_other_income is True
    assert s.deemed_profit_rate == Decimal("0.1")
    assert s.aging_buckets == (30, 60, 90, 180)
    assert s.pit_method == "核定应税所得率" and s.location == "县城镇"
    assert s.fixed_monthly_tax == 30000


def test_defaults_when_settings_are_blank():
    s = book("good.xlsx").settings
    assert (s.taxpayer_type, s.vat_period, s.pit_method, s.prices_include_vat, s.aging_buckets) == (
        "小规模纳税人", "按季", "查账征收", True, (30, 60, 90))


def test_good_book_tables_are_typed():
    b = book("good.xlsx")
    sales = b.tables["sales"]
    assert str(sales["amount"].dtype) == "Int64"
    assert str(sales["date"].dtype).startswith("datetime64")
    assert str(sales["quantity"].dtype) == "float64"
    assert str(b.tables["customers"]["terms_days"].dtype) == "Int64"
    assert sales["_row"].tolist() == [2, 3, 4, 5] and sales["_ok"].all()
    assert int(b.tables["expenses"].set_index("_row").loc[3, "amount"]) == 41236
    assert int(b.tables["budget"]["total"].iat[0]) == 3600000


# ------------------------------------------------------------------------------ any layout

LAYOUT = st.fixed_dictionaries({
    "titles": st.integers(0, 4),
    "offset": st.integers(0, 3),
    "order": st.permutations(list(range(len(corpus.S_HEAD)))),
    "extras": st.lists(st.sampled_from(["序号", "经手人", "车牌", "Remarks"]), max_size=2, unique=True),
    "blanks": st.lists(st.integers(0, 4), min_size=4, max_size=4),
    "bad": st.integers(0, 3),
})


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(layout=LAYOUT)
def test_any_layout_reads_the_same_records_from_the_right_rows(tmp_path, layout):
    """Title rows, a column offset, columns in any order, extra columns and blank rows anywhere:
    the same records are read, each from its sheet row, and a bad cell is named where it is."""
    data_rows = [list(r) for r in corpus.base()["销售"][1:]]
    data_rows[layout["bad"]][corpus.S_HEAD.index("金额")] = "12..5"
    head = [corpus.S_HEAD[i] for i in layout["order"]] + layout["extras"]
    width = len(head)

    def arrange(row):
        return [row[i] for i in layout["order"]] + ["x"] * len(layout["extras"])

    rows = [["销售台账"] + [None] * (width - 1)] * layout["titles"] + [head]
    sheet_rows = []
    for record, blanks in zip(data_rows, layout["blanks"]):
        rows += [[None] * width] * blanks
        rows.append(arrange(record))
        sheet_rows.append(len(rows))  # 1-based row within the written block
    s = corpus.base()
    s["销售"] = rows
    path = tmp_path / f"layout_{abs(hash(str(layout)))}.xlsx"
    path.write_bytes(corpus.book_bytes(s, origin={"销售": (0, layout["offset"])}))
    book = read_book(path)
    problems = validate(book, today=corpus.TODAY)
    sales = book.tables["sales"]
    assert sales["_row"].tolist() == sheet_rows
    assert sales["invoice_no"].tolist() == ["XS001", "XS001", "XS002", "XS003"]
    letter = column_letter(layout["offset"] + head.index("金额"))
    assert [(p.code, p.where) for p in problems] == [
        ("cell.bad_money", f"销售!{letter}{sheet_rows[layout['bad']]}")]
    good = [i for i in range(4) if i != layout["bad"]]
    amounts = [5000, 2000, 49000, 24000]
    assert [int(sales["amount"].iat[i]) for i in good] == [amounts[i] for i in good]
