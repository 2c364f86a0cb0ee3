"""The bad books of the corpus: each names exactly its problems, by code, severity and cell.

Every book of ``tests/data`` whose kind is ``bad`` is read and validated (today = 2026-12-04);
the problems found must be exactly the ``expect`` list of its case in ``tests/corpus.py``.
Where a known sheetbook bug breaks that, the case carries the bug and the exact test is an
``xfail(strict=True)``; the looser "every expected problem is there" test still runs.
"""

from __future__ import annotations

import datetime as dt
import re

import pandas as pd
import pytest

import corpus
from sheetbook import problems as P
from sheetbook.reader import read_book
from sheetbook.validate import validate

DATA = corpus.DATA
BAD = [c for c in corpus.CASES if c.kind == "bad" and not c.slow]
READABLE = [c for c in corpus.CASES if c.kind in ("bad", "messy") and not c.slow]


def found(name: str) -> tuple[object, list[P.Problem]]:
    """The book and its problems (cached across the session: do not change the book)."""
    book, problems = corpus.validated(name)
    return book, list(problems)


def triples(problems: list[P.Problem]) -> list[tuple[str, str, str]]:
    return sorted((p.code, p.severity, p.where) for p in problems)


def _param(c: corpus.Case, hides_only: bool):
    marks = []
    if c.bug and (c.bug_hides or not hides_only):
        marks.append(pytest.mark.xfail(strict=True, reason=c.bug))
    return pytest.param(c, id=c.name, marks=marks)


@pytest.mark.parametrize("case", [_param(c, hides_only=True) for c in BAD])
def test_every_expected_problem_is_named(case):
    _, problems = found(case.name)
    got = triples(problems)
    missing = [e for e in case.expect if e not in got]
    assert not missing, f"{case.name}: missing {missing}; found {got}"


@pytest.mark.parametrize("case", [_param(c, hides_only=False) for c in BAD])
def test_exactly_the_expected_problems(case):
    _, problems = found(case.name)
    assert triples(problems) == sorted(case.expect)


@pytest.mark.parametrize("case", READABLE, ids=[c.name for c in READABLE])
def test_problems_are_well_formed(case):
    book, problems = found(case.name)
    sheets = set(book.sheet_order)
    for p in problems:
        assert p.code in P.CATALOG
        assert p.severity == P.CATALOG[p.code][0]
        assert p.severity in ("error", "warning")
        assert p.sheet in sheets
        if p.cell:
            letters, row = re.fullmatch(r"([A-Z]{1,3})(\d+)", p.cell).groups()
            assert int(row) == p.row
        for text in (p.message_zh, p.message_en, p.fix_zh, p.fix_en):
            assert text and "{" not in text and "}" not in text
        assert p.message("en") == p.message_en and p.message() == p.message_zh


def test_good_book_has_no_problem():
    _, problems = found("good.xlsx")
    assert problems == []


# ------------------------------------------------------------------------------ messages


def one(name: str, code: str) -> P.Problem:
    _, problems = found(name)
    hits = [p for p in problems if p.code == code]
    assert len(hits) == 1, triples(problems)
    return hits[0]


def test_bad_money_names_cell_column_and_value():
    p = one("bad_money_typo.xlsx", "cell.bad_money")
    assert (p.sheet, p.cell, p.row, p.column, p.value) == ("销售", "H2", 2, "金额", "12..5")
    assert "12..5" in p.message_zh and "金额" in p.message_zh
    assert P.render(p) == "销售!H2: 金额 不是金额：12..5"


def test_amount_mismatch_names_both_figures():
    p = one("amount_mismatch.xlsx", "sales.amount_mismatch")
    assert "55.00" in p.message_zh and "50.00" in p.message_zh
    assert "55.00" in p.message_en and "50.00" in p.message_en
    p = one("amount_mismatch_discount.xlsx", "sales.amount_mismatch")
    assert "500.00" in p.message_zh and "490.00" in p.message_zh


def test_invoice_gap_names_the_missing_numbers():
    p = one("invoice_gap.xlsx", "sales.invoice_gap")
    assert p.value == "XS005"
    assert "XS003" in p.message_zh and "XS004" in p.message_zh


def test_duplicate_customer_id_names_the_first_row():
    p = one("duplicate_customer_id.xlsx", "customers.duplicate_id")
    assert p.value == "ｃ００１"
    assert "第 2 行" in p.message_zh and "row 2" in p.message_en


def test_duplicate_txn_names_the_first_row():
    p = one("duplicate_txn_payment.xlsx", "txn.duplicate")
    assert p.value == "wx001" and "第 2 行" in p.message_zh


def test_invoice_conflicts_name_the_other_line():
    p = one("invoice_conflict_date.xlsx", "sales.invoice_conflict")
    assert "XS001" in p.message_zh and "2026-03-05" in p.message_zh and "第 2 行" in p.message_zh
    assert p.value == "2026-03-06"
    p = one("invoice_conflict_customer.xlsx", "sales.invoice_conflict")
    assert "C001" in p.message_zh and p.value == "C002"


def test_unknown_applies_to_names_only_the_unknown_invoice():
    p = one("unknown_applies_to.xlsx", "payments.unknown_invoice")
    assert p.value == "XS999"


def test_customer_by_name_says_which_customer():
    p = one("customer_by_name.xlsx", "ref.customer_by_name")
    assert p.value == "王五装饰" and "C003" in p.message_zh
    p = one("customer_by_alias.xlsx", "ref.customer_by_name")
    assert p.value == "老张" and "C001" in p.message_zh


def test_budget_mismatch_names_both_figures():
    p = one("budget_total_mismatch.xlsx", "budget.total_mismatch")
    assert "35,000.00" in p.message_zh and "36,000.00" in p.message_zh


def test_suspected_duplicate_points_at_the_first():
    p = one("suspected_duplicate.xlsx", "rows.suspected_duplicate")
    assert "第 3 行" in p.message_zh and p.value == "490.00"


def test_date_warnings_carry_the_date_and_year():
    p = one("date_future.xlsx", "date.future")
    assert p.value == "2026-12-20"
    p = one("date_outside_year.xlsx", "date.outside_year")
    assert p.value == "2025-12-31" and "2026" in p.message_zh


def test_settings_problems_name_the_item():
    p = one("settings_bad_choice.xlsx", "settings.bad_value")
    assert "纳税人类型" in p.message_zh and "个体户" in p.message_zh
    assert "小规模纳税人" in p.fix_zh
    p = one("settings_unknown_item.xlsx", "settings.unknown_item")
    assert "老板生日" in p.message_zh


def test_choice_error_lists_allowed_values():
    p = one("bad_method.xlsx", "cell.bad_choice")
    assert "微信" in p.fix_zh and "银行转账" in p.fix_zh
    assert p.value == "支票"


def test_missing_column_names_sheet_and_header():
    p = one("header_missing_column.xlsx", "header.missing_column")
    assert p.cell == "" and p.sheet == "销售" and "单号" in p.message_zh


def test_one_error_per_cell():
    """A bad date in a required cell is one problem, not also "required"."""
    _, problems = found("bad_date_impossible.xlsx")
    assert [p.code for p in problems if p.where == "销售!A4"] == ["cell.bad_date"]


# ------------------------------------------------------------------------------ rows and derived values


def test_rows_with_errors_are_left_out_and_warnings_are_not():
    book, _ = found("bad_money_typo.xlsx")
    assert book.valid("sales")["_row"].tolist() == [3, 4, 5]
    assert book.left_out("sales") == 1
    book, _ = found("amount_mismatch.xlsx")
    assert book.left_out("sales") == 0
    book, _ = found("duplicate_txn_payment.xlsx")
    assert book.valid("payments")["_row"].tolist() == [2, 3]


def test_blank_amount_and_due_date_are_derived():
    book, _ = found("good.xlsx")
    sales = book.tables["sales"].set_index("_row")
    assert sales.loc[5, "amount"] == 24000  # 2 × 120.00, typed blank
    assert sales.loc[2, "due_date"] == pd.Timestamp(2026, 4, 4)  # C001: 30 days
    assert sales.loc[4, "due_date"] == pd.Timestamp(2026, 3, 6)  # C002: no terms = due that day
    assert sales.loc[5, "due_date"] == pd.Timestamp(2026, 6, 30)  # typed
    assert sales.loc[4, "amount"] == 49000  # 20 × 25 − 10


def test_alias_and_name_resolve_to_the_customer_id():
    book, _ = found("customer_by_alias.xlsx")
    assert book.tables["payments"].set_index("_row").loc[2, "customer_id"] == "C001"
    book, _ = found("customer_by_name.xlsx")
    assert book.tables["sales"].set_index("_row").loc[5, "customer_id"] == "C003"


def test_validate_twice_gives_the_same_problems():
    book = read_book(DATA / "invoice_conflict_customer.xlsx")
    first = validate(book, today=corpus.TODAY)
    assert validate(book, today=corpus.TODAY) == first


def test_problems_sorted_errors_first():
    _, problems = found("messy_english_errors.xlsx")
    severities = [p.severity for p in problems]
    assert severities == sorted(severities, key=lambda s: s != "error")


def test_future_depends_on_today():
    book = read_book(DATA / "date_future.xlsx")
    assert [p.code for p in validate(book, today=dt.date(2026, 12, 31))] == []


# ------------------------------------------------------------------------------ known gaps


def test_excel_error_values_are_named(tmp_path):
    s = corpus.base()
    corpus.put(s, "销售", 2, "金额", corpus.Cached("=1/0", "#DIV/0!"))
    corpus.put(s, "收款", 3, "日期", corpus.Cached('=VLOOKUP("x",A:A,1,0)', "#N/A"))
    path = tmp_path / "error_values.xlsx"
    path.write_bytes(corpus.book_bytes(s))
    problems = validate(read_book(path), today=corpus.TODAY)
    named = {p.where: p.code for p in problems if p.severity == "error"}
    assert "销售!H2" in named, triples(problems)
    assert named.get("收款!A3") != "cell.required", triples(problems)
