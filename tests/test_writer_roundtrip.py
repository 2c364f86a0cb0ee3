"""End to end: result tabs written twice into real macro books, then read back by openpyxl,
python-calamine and LibreOffice; every part sheetbook does not own compared byte for byte."""

from __future__ import annotations

import datetime as dt
import posixpath
import re
import shutil
import zipfile
from types import SimpleNamespace

import openpyxl
import pytest
from python_calamine import CalamineWorkbook

from sheetbook.layout import RESULT_TAB_COLOR
from sheetbook.tabspec import Chart
from sheetbook.writer import append_rows, result_sheets, write_tabs
from test_writer_books import (
    AGING_CHART,
    LISTING_PARTS,
    RUN_AT,
    make_macro_book,
    parts,
    raw_entries,
    sales_rows,
    spec,
    xlwings_book,
)

N_SALES = 30
NEW_SALES = [[dt.date(2026, 12, 1), "INV90001", "C001", "垫片", 2, 1.5, 3.0],
             [dt.date(2026, 12, 2), "INV90002", "C002", "=1+1", 1, 2.25, 2.25]]


def _specs():
    return [spec(charts=(AGING_CHART,)),
            spec("账龄分析", n=4, key="aging",
                 charts=(Chart("pie", "占比", "customer_id", ("balance",)),
                         Chart("bar", "横条", "customer_id", ("balance", "days")),
                         Chart("line", "走势", "due", ("balance",))))]


@pytest.fixture(scope="module")
def shop(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("shop")
    book = make_macro_book(tmp / "shop.xlsm", N_SALES)
    original, original_raw = parts(book), raw_entries(book)
    first = write_tabs(book, _specs())
    after1, bytes1 = parts(book), book.read_bytes()
    second = write_tabs(book, _specs())
    return SimpleNamespace(book=book, original=original, original_raw=original_raw, first=first,
                           second=second, after1=after1, bytes1=bytes1, after2=parts(book),
                           raw2=raw_entries(book))


@pytest.fixture(scope="module")
def appended(shop, tmp_path_factory):
    book = tmp_path_factory.mktemp("app") / "shop.xlsm"
    shutil.copyfile(shop.book, book)
    before = parts(book)
    report = append_rows(book, "销售", NEW_SALES)
    return SimpleNamespace(book=book, before=before, after=parts(book), report=report)


@pytest.fixture(scope="module")
def lo_shop(appended, libreoffice):
    return libreoffice(appended.book)


# ------------------------------------------------------------------------------ preservation


def test_every_part_sheetbook_does_not_own_is_byte_identical(shop):
    for name, data in shop.original.items():
        if name in LISTING_PARTS:
            continue
        assert shop.after2[name] == data, name
        assert shop.raw2[name] == shop.original_raw[name], f"{name} was recompressed"


def test_only_listing_parts_and_new_parts_changed(shop):
    changed = {n for n in shop.original if shop.after2.get(n) != shop.original[n]}
    assert changed <= LISTING_PARTS
    assert "xl/styles.xml" in changed and "xl/workbook.xml" in changed
    new = set(shop.after2) - set(shop.original)
    assert {"xl/worksheets/sheet5.xml", "xl/worksheets/sheet6.xml"} <= new
    assert all(re.match(r"xl/(worksheets|drawings|charts)/", n) for n in new)


def test_book_stays_macro_enabled(shop):
    ct = shop.after2["[Content_Types].xml"].decode()
    assert 'PartName="/xl/workbook.xml" ContentType="application/vnd.ms-excel.sheet.macroEnabled.main+xml"' in ct
    assert shop.after2["xl/vbaProject.bin"] == shop.original["xl/vbaProject.bin"]
    assert "vbaProject.bin" in shop.after2["xl/_rels/workbook.xml.rels"].decode()


def test_second_write_rebuilds_in_place_and_changes_nothing(shop):
    assert shop.first.added == ["应收汇总", "账龄分析"] and shop.first.replaced == []
    assert shop.second.added == [] and shop.second.replaced == ["应收汇总", "账龄分析"]
    assert shop.book.read_bytes() == shop.bytes1  # same specs → the very same file
    assert not shop.second.styles_added
    wb = openpyxl.load_workbook(shop.book, read_only=True)
    assert wb.sheetnames == ["按钮", "客户", "销售", "我的笔记", "应收汇总", "账龄分析"]
    wb.close()


def test_listing_parts_are_edited_as_text(shop):
    old, new = shop.original["xl/workbook.xml"].decode(), shop.after2["xl/workbook.xml"].decode()
    head = old[:old.index("</sheets>")]
    assert new.startswith(head)
    for name in ("税率", "销售金额"):
        assert re.search(rf'<definedName name="{name}">[^<]*</definedName>', old).group(0) in new
    old_ct = shop.original["[Content_Types].xml"].decode()
    for elem in re.findall(r"<(?:Default|Override)\b[^>]*/>", old_ct):
        assert elem in shop.after2["[Content_Types].xml"].decode()
    assert 'fullCalcOnLoad="1"' in new


def test_no_orphans_and_no_dangling_references(shop):
    p = shop.after2
    ct = p["[Content_Types].xml"].decode()
    for part in re.findall(r'PartName="/([^"]+)"', ct):
        assert part in p, f"override for missing {part}"
    reached = {"[Content_Types].xml"}
    todo = [""]
    while todo:
        part = todo.pop()
        folder, base = posixpath.split(part)
        rels = posixpath.join(folder, "_rels", base + ".rels")
        if rels not in p:
            continue
        reached.add(rels)
        for target, mode in re.findall(r'Target="([^"]+)"(?:\s+TargetMode="(\w+)")?', p[rels].decode()):
            if mode == "External":
                continue
            name = posixpath.normpath(posixpath.join(folder, target)) if not target.startswith("/") \
                else target[1:]
            assert name in p, f"{rels} points at missing {name}"
            if name not in reached:
                reached.add(name)
                todo.append(name)
    assert set(p) == reached, f"orphans: {set(p) - reached}"


def test_dropping_charts_on_rerun_drops_their_parts(shop, tmp_path):
    book = tmp_path / "b.xlsm"
    shutil.copyfile(shop.book, book)
    write_tabs(book, [spec(), spec("账龄分析", n=4, key="aging")])  # no charts this time
    p = parts(book)
    assert not [n for n in p if n.startswith("xl/charts/chart") and n not in shop.original]
    assert "xl/worksheets/_rels/sheet5.xml.rels" not in p
    assert "xl/charts/chart1.xml" in p  # the user's chart on 按钮 stays
    assert "drawing2.xml" not in p["[Content_Types].xml"].decode()
    assert set(n for n in p if n not in shop.original) == {"xl/worksheets/sheet5.xml",
                                                          "xl/worksheets/sheet6.xml"}


# ------------------------------------------------------------------------------ readers


def test_openpyxl_reads_values_formats_and_sheet_settings(shop):
    wb = openpyxl.load_workbook(shop.book)
    ws = wb["应收汇总"]
    assert ws["A1"].value.startswith("由 sheetbook 生成") and ws["A1"].font.b
    assert [c.value for c in ws[2]] == ["客户编号", "期末应收", "到期日", "逾期天数", "回款率", "单元格"]
    assert ws["B3"].value == 1234.56 and ws["B3"].number_format == "¥#,##0.00"
    assert ws["B4"].value == -0.05
    assert ws["C3"].value == dt.datetime(2026, 3, 5) and ws["C3"].number_format == "yyyy-mm-dd"
    assert ws["D3"].value == 12 and ws["D3"].number_format == "0"
    assert ws["E3"].value == 0.25 and ws["E3"].number_format == "0.00%"
    assert ws["F3"].value == "销售!G2" and ws["F3"].hyperlink.location == "'销售'!G2"
    assert ws.freeze_panes == "A3"
    assert ws.auto_filter.ref == f"A2:F{ws.max_row}"
    assert ws.sheet_properties.tabColor.rgb == "FF" + RESULT_TAB_COLOR
    assert ws["B3"].fill.fgColor.rgb == "FFC6EFCE"  # good
    assert ws["A4"].fill.fgColor.rgb == "FFFFC7CE"  # error row
    total = ws.max_row
    assert ws[f"A{total}"].value == "合计" and ws[f"A{total}"].font.b
    assert ws[f"A{total}"].border.top.style == "thin"
    assert ws.column_dimensions["B"].width == pytest.approx(14.71)


def test_calamine_reads_the_new_tabs(shop):
    wb = CalamineWorkbook.from_path(str(shop.book))
    rows = wb.get_sheet_by_name("应收汇总").to_python()
    assert rows[2][:5] == ["C001", 1234.56, dt.date(2026, 3, 5), 12, 0.25]
    assert rows[3][1] == -0.05 and rows[3][4] == 0.125
    aging = wb.get_sheet_by_name("账龄分析").to_python()
    assert aging[-1][0] == "合计"


def test_libreoffice_reads_tabs_appended_rows_and_recalculates(lo_shop):
    tab = lo_shop["应收汇总"]
    assert tab[0][0].startswith("由 sheetbook 生成")
    assert tab[2][:4] == ["C001", "1234.56", "2026-03-05", "12"]
    assert float(tab[2][4].rstrip("%")) / 100 == 0.25
    assert tab[3][1] == "-0.05"
    sales = lo_shop["销售"]
    assert len(sales) == 1 + N_SALES + len(NEW_SALES)
    assert sales[-1][:4] == ["2026-12-02", "INV90002", "C002", "=1+1"]
    assert sales[-1][6] == "2.25"
    expected = sum(r[6] for r in sales_rows(N_SALES))
    assert float(lo_shop["我的笔记"][0][1]) == expected


def test_result_sheets_are_recognised(shop):
    assert result_sheets(shop.book) == ["应收汇总", "账龄分析"]


# ------------------------------------------------------------------------------ append


def test_append_extends_the_table_and_keeps_old_rows(appended):
    assert appended.report.first_row == N_SALES + 2 and appended.report.appended == 2
    assert appended.report.tables == ["销售表"]
    old = appended.before["xl/worksheets/sheet3.xml"].decode()
    new = appended.after["xl/worksheets/sheet3.xml"].decode()
    last = N_SALES + 3
    assert f'<dimension ref="A1:G{last}"/>' in new
    added = re.findall(rf'<row r="(?:{last - 1}|{last})">.*?</row>', new)
    assert len(added) == 2
    stripped = new.replace("".join(added), "").replace(f'ref="A1:G{last}"', f'ref="A1:G{last - 2}"')
    assert stripped == old
    table = appended.after["xl/tables/table1.xml"].decode()
    assert f'ref="A1:G{last}"' in table and f'<autoFilter ref="A1:G{last}"/>' in table
    for name, data in appended.before.items():
        if name not in ("xl/worksheets/sheet3.xml", "xl/tables/table1.xml"):
            assert appended.after[name] == data, name


def test_appended_values_read_back(appended):
    ws = openpyxl.load_workbook(appended.book)["销售"]
    row = [c.value for c in ws[N_SALES + 3]]
    assert row == [dt.datetime(2026, 12, 2), "INV90002", "C002", "=1+1", 1, 2.25, 2.25]
    assert ws.cell(N_SALES + 3, 4).data_type == "s"  # text, never a formula
    assert ws.cell(N_SALES + 2, 1).number_format == "yyyy-mm-dd"
    assert ws.tables["销售表"].ref == f"A1:G{N_SALES + 3}"
    cal = CalamineWorkbook.from_path(str(appended.book)).get_sheet_by_name("销售").to_python()
    assert cal[-1] == [dt.date(2026, 12, 2), "INV90002", "C002", "=1+1", 1, 2.25, 2.25]


# ------------------------------------------------------------------------------ the Excel-saved book


@pytest.fixture(scope="module")
def excel_saved(tmp_path_factory):
    book = xlwings_book(tmp_path_factory.mktemp("xlw"))
    original = parts(book)
    write_tabs(book, _specs())
    append_rows(book, "Sheet1", [["名称", "金额"], ["螺丝", 12.5]])
    second = write_tabs(book, _specs())
    return SimpleNamespace(book=book, original=original, after=parts(book), second=second)


def test_excel_saved_parts_survive_two_runs(excel_saved):
    for name, data in excel_saved.original.items():
        if name in LISTING_PARTS or name == "xl/worksheets/sheet1.xml":
            continue
        assert excel_saved.after[name] == data, name
    wb_xml = excel_saved.after["xl/workbook.xml"].decode()
    assert 'mc:Ignorable="x15 xr xr6 xr10 xr2"' in wb_xml
    assert '<sheet name="Sheet1" sheetId="1" r:id="rId3" />' in wb_xml
    assert wb_xml.count("<sheet ") == 4
    assert excel_saved.second.replaced == ["应收汇总", "账龄分析"]
    with zipfile.ZipFile(excel_saved.book) as z:
        assert z.testzip() is None


def test_excel_saved_book_reads_everywhere(excel_saved, libreoffice):
    lo = libreoffice(excel_saved.book)
    assert lo["Sheet1"] == [["名称", "金额"], ["螺丝", "12.5"]]
    assert lo["应收汇总"][2][1] == "1234.56"
    ws = openpyxl.load_workbook(excel_saved.book, keep_vba=True)["应收汇总"]
    assert ws["B3"].value == 1234.56
    cal = CalamineWorkbook.from_path(str(excel_saved.book))
    assert cal.get_sheet_by_name("Sheet1").to_python() == [["名称", "金额"], ["螺丝", 12.5]]


def test_banner_run_time_is_the_only_difference_between_runs(tmp_path):
    book = make_macro_book(tmp_path / "b.xlsm")
    write_tabs(book, [spec()])
    first = parts(book)
    later = spec(banner=spec().banner.replace(RUN_AT.strftime("%H:%M"), "23:59"))
    write_tabs(book, [later])
    second = parts(book)
    diff = [n for n in first if first[n] != second[n]]
    assert diff == ["xl/worksheets/sheet5.xml"]
    assert first[diff[0]].replace(b"09:30", b"23:59") == second[diff[0]]
