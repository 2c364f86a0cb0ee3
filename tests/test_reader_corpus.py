"""The corpus itself, and the reader's lenient rules one at a time.

- ``tests/data`` is exactly what ``tests/corpus.py`` builds (reproducible, listed in its README,
  small), holds at least 40 bad books and files, and exercises every problem code a book can
  raise;
- the reader finds sheets and headers by name, fills merged cells, spots formulas with no
  cached value, reads optional sheets as empty, leaves unknown sheets alone and never changes
  the file it reads.
"""

from __future__ import annotations

import hashlib

import corpus
from sheetbook import problems as P
from sheetbook.layout import SHEETS_BY_KEY
from sheetbook.reader import (
    _fill_merged,
    find_header,
    formulas_without_value,
    match_sheets,
    read_book,
)
from sheetbook.validate import validate

DATA = corpus.DATA

#: CATALOG codes no book can raise, and why (kept honest: each must still be in the CATALOG).
UNREACHABLE = {
    "book.sheet_missing": "a missing required sheet raises MissingSheetError (CLI exit 2, tested in "
                          "test_badfiles); a missing optional sheet reads as empty, with no problem",
    "cell.bad_percent": "no input column has kind 'percent'; the one percent setting "
                        "(核定应税所得率) reports settings.bad_value",
}


# ------------------------------------------------------------------------------ the corpus


def test_corpus_is_reproducible(tmp_path):
    built = corpus.build_all(tmp_path)
    for path in built:
        committed = DATA / path.name
        assert committed.exists(), f"{path.name} is not committed: run python tests/corpus.py"
        assert corpus.fingerprint(path.read_bytes()) == corpus.fingerprint(committed.read_bytes()), (
            f"{path.name} differs from what tests/corpus.py builds: run python tests/corpus.py")
    assert (tmp_path / "README.md").read_text(encoding="utf-8") == (DATA / "README.md").read_text(
        encoding="utf-8")


def test_every_committed_file_is_a_case_listed_in_the_readme():
    names = {c.name for c in corpus.CASES}
    assert len(names) == len(corpus.CASES), "two cases share a file name"
    on_disk = {p.name for p in DATA.iterdir()} - {"README.md"}
    assert on_disk == names
    readme = (DATA / "README.md").read_text(encoding="utf-8")
    for c in corpus.CASES:
        assert f"`{c.name}`" in readme
        for code, _, where in c.expect:
            assert f"`{code}`" in readme and f"`{where}`" in readme


def test_corpus_is_small():
    sizes = {p.name: p.stat().st_size for p in DATA.iterdir()}
    assert sum(sizes.values()) < 2 << 20
    assert max(sizes.values()) < 64 << 10, max(sizes.items(), key=lambda kv: kv[1])


def test_at_least_forty_bad_books_and_files():
    bad = [c for c in corpus.CASES if c.kind in ("bad", "file")]
    assert len(bad) >= 40
    assert sum(c.kind == "bad" for c in corpus.CASES) >= 40


def test_every_catalog_code_a_book_can_raise_is_in_the_corpus():
    assert set(UNREACHABLE) <= set(P.CATALOG)
    covered = {code for c in corpus.CASES for code, _, _ in c.expect}
    assert covered <= set(P.CATALOG)
    assert set(P.CATALOG) - set(UNREACHABLE) - covered == set()


def test_expected_severities_match_the_catalog():
    for c in corpus.CASES:
        for code, severity, _ in c.expect:
            assert P.CATALOG[code][0] == severity, (c.name, code)


def test_every_code_is_seen_somewhere_in_the_corpus_today():
    """Not only listed: each reachable code is really produced by some corpus book."""
    seen = set()
    for c in corpus.CASES:
        if c.kind in ("bad", "messy") and not c.slow:
            seen |= {p.code for p in corpus.validated(c.name)[1]}
    missing = set(P.CATALOG) - set(UNREACHABLE) - seen - {"sheet.too_many_rows"}
    # cell.formula_no_value is produced by formula_no_value_bare.xlsx even while the openpyxl
    # variant is a known bug
    assert missing == set()


def test_reading_never_changes_the_file(tmp_path):
    for name in ("good.xlsx", "bad_money_typo.xlsx", "messy_merged.xlsx", "formula_no_value.xlsx"):
        path = tmp_path / name
        path.write_bytes((DATA / name).read_bytes())
        before = hashlib.sha256(path.read_bytes()).hexdigest()
        listing = sorted(p.name for p in tmp_path.iterdir())
        validate(read_book(path), today=corpus.TODAY)
        assert hashlib.sha256(path.read_bytes()).hexdigest() == before
        assert sorted(p.name for p in tmp_path.iterdir()) == listing


# ------------------------------------------------------------------------------ sheets


def test_sheets_found_by_chinese_english_and_loose_names():
    found, lang = match_sheets(["客户", "销售", "收款", "备忘"])
    assert found == {"customers": "客户", "sales": "销售", "payments": "收款"} and lang == "zh"
    found, lang = match_sheets(["Customers", "sales", " Payments ", "Budget"])
    assert found["customers"] == "Customers" and found["sales"] == "sales"
    assert found["payments"] == " Payments " and found["budget"] == "Budget" and lang == "en"


def test_optional_sheets_missing_read_as_empty_and_others_are_left_alone(tmp_path):
    s = {k: v for k, v in corpus.base().items() if k in ("客户", "销售", "收款")}
    s["备忘"] = [["这是我自己的笔记"], ["进货要找老李"]]
    s[" 销售 "] = s.pop("销售")
    path = tmp_path / "minimal.xlsx"
    path.write_bytes(corpus.book_bytes(s))
    book = read_book(path)
    assert validate(book, today=corpus.TODAY) == []
    assert book.sheet_name("sales") == " 销售 "
    assert "备忘" in book.sheet_order
    for key in ("settings", "products", "expenses", "budget", "confirmations"):
        assert book.tables[key].empty and not book.sheets[key].present
    assert book.settings.taxpayer_type == "小规模纳税人"
    assert book.fiscal_year == 2026  # the year of the latest entry


def test_an_empty_optional_sheet_reads_as_empty(tmp_path):
    s = corpus.base()
    s["支出"] = []
    path = tmp_path / "blank_expenses.xlsx"
    path.write_bytes(corpus.book_bytes(s))
    assert validate(read_book(path), today=corpus.TODAY) == []


def test_header_only_sheet_has_no_rows_and_no_problem(tmp_path):
    s = corpus.base()
    s["收款"] = [corpus.P_HEAD]
    path = tmp_path / "no_payments.xlsx"
    path.write_bytes(corpus.book_bytes(s))
    book = read_book(path)
    assert validate(book, today=corpus.TODAY) == []
    assert book.tables["payments"].empty


# ------------------------------------------------------------------------------ headers

SALES = SHEETS_BY_KEY["sales"]


def test_header_found_below_title_rows():
    rows = [["销售台账"], [None], ["", "日期", "单号", "客户编号", "金额"], ["", "2026-03-05", "XS1", "C1", 5]]
    hdr, mapping, dups = find_header(SALES, rows)
    assert hdr == 2 and mapping == {"date": 1, "invoice_no": 2, "customer_id": 3, "amount": 4} and dups == []


def test_title_naming_one_column_does_not_win():
    rows = [["客户"], ["客户编号", "客户名称", "电话"], ["C001", "张三", "138"]]
    hdr, mapping, _ = find_header(SHEETS_BY_KEY["customers"], rows)
    assert hdr == 1 and mapping["name"] == 1


def test_duplicate_header_is_reported_and_the_first_is_read():
    rows = [["日期", "单号", "客户编号", "金额", "销售金额"]]
    hdr, mapping, dups = find_header(SALES, rows)
    assert mapping["amount"] == 3 and dups == [("amount", 4)]  # the ignored copy, column E


def test_no_header_at_all():
    assert find_header(SALES, [[1, 2, 3], ["a", "b"]])[0] == -1
    assert find_header(SALES, [])[0] == -1


def test_headers_in_english_with_units_and_stars():
    rows = [["*Date", "Invoice No", "customer id", "Amount (元)"]]
    _, mapping, _ = find_header(SALES, rows)
    assert mapping == {"date": 0, "invoice_no": 1, "customer_id": 2, "amount": 3}


# ------------------------------------------------------------------------------ cells


def test_merged_cells_fill_down_and_across_only_blanks():
    rows = [["h1", "h2"], ["2026-03-05", "XS1"], ["", ""], ["", "keep"]]
    _fill_merged(rows, [((1, 0), (3, 0)), ((1, 1), (2, 1))])
    assert rows == [["h1", "h2"], ["2026-03-05", "XS1"], ["2026-03-05", "XS1"], ["2026-03-05", "keep"]]


def test_merged_range_beyond_the_rows_is_harmless():
    rows = [["a"]]
    _fill_merged(rows, [((5, 0), (9, 0)), ((0, 0), (9, 0))])
    assert rows == [["a"]]


def test_formula_without_cached_value_is_found():
    xml = (b'<sheetData><row r="2"><c r="H2"><f>E2*F2</f></c><c r="I2"><f>1+1</f><v>2</v></c>'
           b'<c r="J2" t="s"><v>3</v></c><c r="K2"/></row></sheetData>')
    assert formulas_without_value(xml) == [("H", 2)]
    assert formulas_without_value(b"<sheetData/>") == []


def test_formula_with_empty_cached_value_is_found():
    xml = b'<row r="2"><c r="H2"><f>E2*F2</f><v /></c><c r="I2"><f>1</f><v></v></c></row>'
    assert formulas_without_value(xml) == [("H", 2), ("I", 2)]


def test_shared_formula_children_without_values_are_found():
    xml = (b'<row r="3"><c r="H3"><f t="shared" ref="H3:H4" si="0">E3*F3</f></c>'
           b'<c r="H4"><f t="shared" si="0"/></c></row>')
    assert formulas_without_value(xml) == [("H", 3), ("H", 4)]


def test_formula_cached_as_empty_text_is_a_value():
    """Excel caches a formula whose result is "" as t="str" with an empty <v>: that is a value
    (guards the fix of the test above against false warnings on =IF(E2="","",E2*F2))."""
    xml = b'<row r="2"><c r="H2" t="str"><f>IF(E2="","",E2*F2)</f><v></v></c></row>'
    assert formulas_without_value(xml) == []
