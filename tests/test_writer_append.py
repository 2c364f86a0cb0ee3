"""append_rows on the sheets users really have: styled empty rows below the data, a plain
autofilter, formulas, tables with a totals row, prefixed XML, every kind of value."""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
import xlsxwriter
from python_calamine import CalamineWorkbook

from sheetbook.errors import MissingSheetError, WriteError
from sheetbook.writer import append_rows, list_backups
from test_writer_books import file_state, parts


def _book(path: Path, *, totals: bool = False) -> Path:
    wb = xlsxwriter.Workbook(str(path))
    date = wb.add_format({"num_format": "yyyy/mm/dd"})
    yellow = wb.add_format({"bg_color": "#FFFF00"})
    ws = wb.add_worksheet("收款")
    ws.write_row(0, 0, ["日期", "客户编号", "金额", "备注"])
    ws.write_datetime(1, 0, dt.datetime(2026, 1, 5), date)
    ws.write_row(1, 1, ["C001", 100.5, "首笔"])
    ws.write_datetime(2, 0, dt.datetime(2026, 1, 6), date)
    ws.write_row(2, 1, ["C002"])
    ws.write_formula(2, 2, "=C2*2", None, 201)
    ws.write_blank(3, 0, None, yellow)  # styled, empty: rows 4 and 5 are not "used"
    ws.write_blank(4, 3, None, yellow)
    ws.write_blank(9, 0, None, yellow)  # row 10, far below
    ws.autofilter("A1:D3")
    other = wb.add_worksheet("支出")
    other.add_table("A1:C3", {"name": "支出表", "total_row": totals,
                              "columns": [{"header": "日期"}, {"header": "类别"}, {"header": "金额"}]})
    wb.close()
    return path


def test_rows_go_below_the_last_value_replacing_styled_empty_rows(tmp_path):
    book = _book(tmp_path / "b.xlsx")
    before = parts(book)
    new = [[dt.date(2026, 2, 1), "C003", Decimal("12.30"), "微信"],
           [dt.datetime(2026, 2, 2, 18, 0), "C004", -7, None],
           [None, "C005", 0.1, True]]
    report = append_rows(book, "收款", new)
    assert (report.first_row, report.appended, report.tables) == (4, 3, [])
    after = parts(book)
    xml = after["xl/worksheets/sheet1.xml"].decode()
    rows = re.findall(r'<row r="(\d+)"', xml)
    assert rows == ["1", "2", "3", "4", "5", "6", "10"]
    assert '<autoFilter ref="A1:D6"/>' in xml and '<dimension ref="A1:D10"/>' in xml
    old = before["xl/worksheets/sheet1.xml"].decode()
    assert '<dimension ref="A1:D10"/>' in old  # row 10 was already the last row element
    assert xml[:xml.index('<row r="4"')] == old[:old.index('<row r="4"')]
    assert xml[xml.index('<row r="10"'):] == old[old.index('<row r="10"'):].replace("A1:D3", "A1:D6")
    assert "_xlnm._FilterDatabase" in after["xl/workbook.xml"].decode()
    assert "'收款'!$A$1:$D$6</definedName>" in after["xl/workbook.xml"].decode()
    for name in before:
        if name not in ("xl/worksheets/sheet1.xml", "xl/workbook.xml", "xl/styles.xml"):
            assert after[name] == before[name], name

    ws = openpyxl.load_workbook(book)["收款"]
    assert [c.value for c in ws[4]] == [dt.datetime(2026, 2, 1), "C003", 12.3, "微信"]
    assert [c.value for c in ws[5]] == [dt.datetime(2026, 2, 2, 18), "C004", -7, None]
    assert [c.value for c in ws[6]] == [None, "C005", 0.1, True]
    assert ws["A4"].number_format == "yyyy/mm/dd"  # the date format of the row above
    assert ws["A10"].fill.fgColor.rgb == "FFFFFF00"
    cal = CalamineWorkbook.from_path(str(book)).get_sheet_by_name("收款").to_python()
    assert cal[3] == [dt.date(2026, 2, 1), "C003", 12.3, "微信"]


def test_table_is_extended_and_dates_get_a_date_format(tmp_path):
    book = _book(tmp_path / "b.xlsx")
    report = append_rows(book, "支出", [[dt.date(2026, 3, 1), "房租", 3000]])
    assert report.tables == [] and report.first_row == 2 and report.styles_added
    ws = openpyxl.load_workbook(book)["支出"]
    assert ws.tables["支出表"].ref == "A1:C3"  # the table's empty rows are filled first
    assert ws["A2"].value == dt.datetime(2026, 3, 1) and ws["A2"].number_format == "yyyy-mm-dd"
    report = append_rows(book, "支出", [[dt.date(2026, 3, 2), "水电", 88]] * 3)
    assert report.first_row == 3 and not report.styles_added and report.tables == ["支出表"]
    assert openpyxl.load_workbook(book)["支出"].tables["支出表"].ref == "A1:C5"


def test_table_with_totals_row_refuses(tmp_path):
    book = _book(tmp_path / "b.xlsx", totals=True)
    append_rows(book, "支出", [["x", "y", 1]])  # the table's first data row is empty: fine
    before = file_state(book)
    with pytest.raises(WriteError, match="汇总行"):
        append_rows(book, "支出", [["x", "y", 1]] * 3)
    assert file_state(book) == before


def test_missing_sheet_and_nothing_to_append(tmp_path):
    book = _book(tmp_path / "b.xlsx")
    with pytest.raises(MissingSheetError):
        append_rows(book, "没有这个表", [["x"]])
    before = file_state(book)
    report = append_rows(book, "收款", [])
    assert report.appended == 0 and file_state(book) == before and list_backups(book) == []


def test_unsupported_value_is_refused_before_writing(tmp_path):
    book = _book(tmp_path / "b.xlsx")
    before = file_state(book)
    with pytest.raises(TypeError):
        append_rows(book, "收款", [[object()]])
    assert file_state(book) == before


def test_append_to_prefixed_sheet(tmp_path):
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    book = tmp_path / "p.xlsx"
    with zipfile.ZipFile(book, "w") as z:
        z.writestr("[Content_Types].xml",
                   '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                   '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                   '<Default Extension="xml" ContentType="application/xml"/>'
                   '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
                   '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
                   "</Types>")
        z.writestr("_rels/.rels",
                   '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                   f'<Relationship Id="rId1" Type="{rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>')
        z.writestr("xl/workbook.xml", f'<x:workbook xmlns:x="{main}" xmlns:r="{rel}"><x:sheets>'
                   '<x:sheet name="销售" sheetId="1" r:id="rId1"/></x:sheets></x:workbook>')
        z.writestr("xl/_rels/workbook.xml.rels",
                   '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                   f'<Relationship Id="rId1" Type="{rel}/worksheet" Target="worksheets/sheet1.xml"/>'
                   "</Relationships>")
        z.writestr("xl/worksheets/sheet1.xml",
                   f'<x:worksheet xmlns:x="{main}"><x:dimension ref="A1"/><x:sheetData>'
                   '<x:row r="1"><x:c r="A1" t="inlineStr"><x:is><x:t>单号</x:t></x:is></x:c></x:row>'
                   "</x:sheetData></x:worksheet>")
    append_rows(book, "销售", [["INV1", 5]])
    xml = parts(book)["xl/worksheets/sheet1.xml"].decode()
    assert '<x:row r="2"><x:c r="A2" t="inlineStr"><x:is><x:t>INV1</x:t></x:is></x:c>' in xml
    assert '<x:dimension ref="A1:B2"/>' in xml
    ws = openpyxl.load_workbook(book)["销售"]
    assert [[c.value for c in r] for r in ws.iter_rows()] == [["单号", None], ["INV1", 5]]


def test_header_style_is_not_lent_to_data_and_column_formats_apply(tmp_path):
    path = tmp_path / "h.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    bold = wb.add_format({"bold": True, "bg_color": "#DDEBF7"})
    money = wb.add_format({"num_format": "¥#,##0.00"})
    ws = wb.add_worksheet("支出")
    ws.set_column("C:C", 12, money)
    ws.add_table("A1:C2", {"name": "支出表", "columns": [
        {"header": h, "header_format": bold} for h in ("日期", "类别", "金额")]})
    wb.close()
    append_rows(path, "支出", [[dt.date(2026, 1, 1), "房租", 3000], [dt.date(2026, 1, 2), "水电", 12.5]])
    ws = openpyxl.load_workbook(path)["支出"]
    assert ws["A1"].font.b
    for row in (2, 3):
        assert not ws[f"B{row}"].font.b and ws[f"B{row}"].fill.fgColor.rgb != "FFDDEBF7"
        assert ws[f"C{row}"].number_format == "¥#,##0.00"
        assert ws[f"A{row}"].number_format == "yyyy-mm-dd"
    assert ws.tables["支出表"].ref == "A1:C3"


TEMPLATE = Path(__file__).resolve().parents[1] / "workbook_template.xlsx"


@pytest.mark.skipif(not TEMPLATE.exists(), reason="the template is built by another module")
def test_append_into_the_projects_template_uses_its_preformatted_row(tmp_path):
    book = tmp_path / "t.xlsx"
    book.write_bytes(TEMPLATE.read_bytes())
    wb = openpyxl.load_workbook(book)
    header = [c.value for c in wb["销售"][1]]
    blank_formats = [c.number_format for c in wb["销售"][2]]
    row = [dt.date(2026, 1, 2), "INV1", "C001", "螺丝", 2, 150]
    append_rows(book, "销售", [row, row])
    ws = openpyxl.load_workbook(book)["销售"]
    assert [c.value for c in ws[1]] == header
    assert [c.value for c in ws[2]][:6] == [dt.datetime(2026, 1, 2), "INV1", "C001", "螺丝", 2, 150]
    assert [c.number_format for c in ws[2]][1:6] == blank_formats[1:6]
    assert not ws["B2"].font.b and not ws["B3"].font.b
    (table,) = ws.tables.values()
    assert table.ref.endswith("3")
