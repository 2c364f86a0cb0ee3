"""The writer's pieces: exact money text, text cleaning, styles found again, zip entries copied
raw (stored, data descriptors), prefixed XML, calcChain, charts, hyperlink limits."""

from __future__ import annotations

import datetime as dt
import io
import re
import xml.etree.ElementTree as ET
import zipfile
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st
from python_calamine import CalamineWorkbook

from sheetbook.money import fen_to_decimal
from sheetbook.tabspec import Chart, Link, TabColumn, TabSpec, banner_text
from sheetbook.writer import is_result_sheet, write_tabs
from sheetbook.writer.sheetxml import MAX_HYPERLINKS, clean_text, date_serial, money_text
from sheetbook.writer.styles import StyleSheet
from test_writer_books import make_macro_book, parts, raw_entries, spec, xlwings_book


@given(st.integers(min_value=-10**17, max_value=10**17))
def test_money_text_is_exact(fen):
    text = money_text(fen)
    assert Decimal(text) == Decimal(fen) / 100
    assert text == str(fen_to_decimal(fen))


def test_money_examples():
    assert [money_text(f) for f in (123456, -5, 0, 100, -100, 99)] == \
        ["1234.56", "-0.05", "0.00", "1.00", "-1.00", "0.99"]


def test_date_serials():
    assert date_serial(dt.date(2026, 3, 5)) == "46086"
    assert date_serial(dt.date(1900, 3, 1)) == "61"
    assert date_serial(dt.datetime(2026, 3, 5, 12, 0)) == "46086.5"


def test_clean_text():
    assert clean_text("a & b <c>") == "a &amp; b &lt;c&gt;"
    assert clean_text("\x01bad\x0b\ud800") == "bad"
    assert clean_text("_x0041_") == "_x005F_x0041_"
    assert len(clean_text("x" * 40000)) == 32767
    assert len(clean_text("😀" * 20000).encode("utf-16-le")) == 2 * 32766  # no half pair


def test_tricky_text_reads_back(tmp_path):
    book = xlwings_book(tmp_path)
    values = ["_x0041_", "a & b <c>", "\x01bad\x02", "  lead", "tail  ", "emoji 😀", "x" * 40000,
              "line1\nline2", "=SUM(A1)"]
    tab = TabSpec("k", "文本", banner_text("zh"), (TabColumn("a", "A"),), [[v] for v in values])
    write_tabs(book, [tab])
    got = [r[0] for r in CalamineWorkbook.from_path(str(book)).get_sheet_by_name("文本").to_python()[2:]]
    assert got == ["_x0041_", "a & b <c>", "bad", "  lead", "tail  ", "emoji 😀", "x" * 32767,
                   "line1\nline2", "=SUM(A1)"]
    ws = openpyxl.load_workbook(book)["文本"]
    assert ws["A11"].data_type == "s"


def test_ragged_rows_and_odd_values(tmp_path):
    book = xlwings_book(tmp_path)
    cols = (TabColumn("a", "A"), TabColumn("m", "M", "money"), TabColumn("p", "P", "percent"),
            TabColumn("d", "D", "date"), TabColumn("i", "I", "int"))
    rows = [["short"], ["long", 1, 0.5, dt.date(2026, 1, 2), 3, "extra", "more"],
            [None, None, float("nan"), dt.datetime(2026, 1, 2, 6), Decimal("7")],
            ["text in money", "—", Decimal("0.125"), "未知", True], [5, 250, 1, None, None]]
    write_tabs(book, [TabSpec("k", "杂", banner_text("zh"), cols, rows)])
    got = CalamineWorkbook.from_path(str(book)).get_sheet_by_name("杂").to_python()
    assert got[1] == ["A", "M", "P", "D", "I"]
    assert got[2] == ["short", "", "", "", ""]
    assert got[3] == ["long", 0.01, 0.5, dt.date(2026, 1, 2), 3]
    assert got[4][2] == "" and got[4][3] == dt.datetime(2026, 1, 2, 6) and got[4][4] == 7
    assert got[5] == ["text in money", "—", 0.125, "未知", "TRUE"]
    assert got[6] == [5, 2.5, 1, "", ""]  # a number in a text column stays a number


def test_money_as_float_is_refused(tmp_path):
    book = xlwings_book(tmp_path)
    tab = TabSpec("k", "钱", banner_text("zh"), (TabColumn("m", "M", "money"),), [[1.5]])
    with pytest.raises(TypeError, match="int 分"):
        write_tabs(book, [tab])


def test_hyperlinks_stop_at_excels_limit(tmp_path):
    book = xlwings_book(tmp_path)
    n = MAX_HYPERLINKS + 20
    rows = [[Link(f"销售!A{i}", "销售", f"A{i}")] for i in range(n)]
    write_tabs(book, [TabSpec("checks", "校验结果", banner_text("zh"), (TabColumn("c", "单元格", "link"),), rows)])
    xml = parts(book)["xl/worksheets/sheet3.xml"].decode()
    assert xml.count("<hyperlink ") == MAX_HYPERLINKS
    assert xml.count("t=\"inlineStr\"") == n + 2  # every cell keeps its text


# ------------------------------------------------------------------------------ styles


def test_palette_is_found_again_after_excel_reorders_attributes(tmp_path):
    book = make_macro_book(tmp_path / "b.xlsm")
    first = StyleSheet(parts(book)["xl/styles.xml"].decode())
    pal = first.palette()
    assert first.changed
    resaved = re.sub(r"<xf ([^>]*?)/>",
                     lambda m: "<xf " + " ".join(reversed(m.group(1).split())) + " ></xf>", first.text)
    again = StyleSheet(resaved)
    assert again.palette() == pal and not again.changed
    root = ET.fromstring(first.text.encode())
    ns = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
    for tag in ("numFmts", "fonts", "fills", "borders", "cellXfs"):
        el = root.find(f"m:{tag}", ns)
        assert int(el.get("count")) == len(el)


def test_prefixed_styles_get_prefixed_elements():
    text = ('<x:styleSheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            '<x:fonts count="1"><x:font><x:sz val="11"/><x:name val="宋体"/></x:font></x:fonts>'
            '<x:fills count="2"><x:fill><x:patternFill patternType="none"/></x:fill>'
            '<x:fill><x:patternFill patternType="gray125"/></x:fill></x:fills>'
            '<x:borders count="1"><x:border/></x:borders>'
            '<x:cellXfs count="1"><x:xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></x:cellXfs>'
            "</x:styleSheet>")
    sheet = StyleSheet(text)
    pal = sheet.palette()
    root = ET.fromstring(sheet.text)
    ns = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
    assert [c.tag for c in root] == [ns + t for t in ("numFmts", "fonts", "fills", "borders", "cellXfs")]
    assert len(root.find(ns + "cellXfs")) == max(pal.cells.values()) + 1
    fonts = root.find(ns + "fonts")
    assert all(f.find(ns + "name").get("val") == "宋体" for f in fonts)


# ------------------------------------------------------------------------------ zip surgery


def _rezip(src: Path, dst: Path, *, stored=(), descriptor=False, extra=None, edit=None):
    """Rewrite a zip (some entries stored, with data descriptors, extra entries, text edits)."""
    buf = io.BytesIO()

    class Unseekable(io.RawIOBase):
        def writable(self):
            return True

        def write(self, b):
            return buf.write(b)

    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(Unseekable() if descriptor else buf, "w") as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            if edit and info.filename in edit:
                data = edit[info.filename](data.decode()).encode()
            method = zipfile.ZIP_STORED if info.filename in stored else zipfile.ZIP_DEFLATED
            if descriptor:
                zi = zipfile.ZipInfo(info.filename, info.date_time)
                zi.compress_type = method
                with zout.open(zi, "w") as fh:
                    fh.write(data)
            else:
                zout.writestr(info.filename, data, compress_type=method)
        for name, data in (extra or {}).items():
            zout.writestr(name, data)
    dst.write_bytes(buf.getvalue())
    return dst


def test_stored_entries_and_data_descriptors_are_copied_raw(tmp_path):
    book = _rezip(make_macro_book(tmp_path / "a.xlsm"), tmp_path / "b.xlsm",
                  stored={"xl/media/image1.png", "xl/vbaProject.bin"}, descriptor=True)
    with zipfile.ZipFile(book) as z:
        assert all(i.flag_bits & 0x08 for i in z.infolist())
    raw_before, before = raw_entries(book), parts(book)
    write_tabs(book, [spec()])
    raw_after = raw_entries(book)
    for name in raw_before:
        if name not in ("[Content_Types].xml", "xl/workbook.xml", "xl/_rels/workbook.xml.rels",
                        "xl/styles.xml"):
            assert raw_after[name] == raw_before[name], name
    with zipfile.ZipFile(book) as z:
        assert z.testzip() is None
        assert z.getinfo("xl/media/image1.png").compress_type == zipfile.ZIP_STORED
        assert z.read("xl/vbaProject.bin") == before["xl/vbaProject.bin"]
    assert openpyxl.load_workbook(book)["应收汇总"]["B3"].value == 1234.56


def test_calc_chain_is_dropped_with_its_rel_and_content_type(tmp_path):
    chain = ('<calcChain xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
             '<c r="B1" i="4"/></calcChain>')
    rel = ('<Relationship Id="rId99" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
           'relationships/calcChain" Target="calcChain.xml"/></Relationships>')
    ov = ('<Override PartName="/xl/calcChain.xml" ContentType="application/vnd.openxmlformats-'
          'officedocument.spreadsheetml.calcChain+xml"/></Types>')
    book = _rezip(make_macro_book(tmp_path / "a.xlsm"), tmp_path / "b.xlsm",
                  extra={"xl/calcChain.xml": chain},
                  edit={"xl/_rels/workbook.xml.rels": lambda t: t.replace("</Relationships>", rel),
                        "[Content_Types].xml": lambda t: t.replace("</Types>", ov)})
    assert "xl/calcChain.xml" in parts(book)
    write_tabs(book, [spec()])
    p = parts(book)
    assert "xl/calcChain.xml" not in p
    assert b"calcChain" not in p["xl/_rels/workbook.xml.rels"]
    assert b"calcChain" not in p["[Content_Types].xml"]
    assert b'fullCalcOnLoad="1"' in p["xl/workbook.xml"]


def test_prefixed_workbook_xml(tmp_path):
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    book = tmp_path / "prefixed.xlsx"
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
        z.writestr("xl/workbook.xml",
                   f'<x:workbook xmlns:x="{main}" xmlns:rr="{rel}"><x:sheets>'
                   '<x:sheet name="销售" sheetId="1" rr:id="rId1"/></x:sheets></x:workbook>')
        z.writestr("xl/_rels/workbook.xml.rels",
                   '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                   f'<Relationship Id="rId1" Type="{rel}/worksheet" Target="/xl/worksheets/sheet1.xml"/>'
                   "</Relationships>")
        z.writestr("xl/worksheets/sheet1.xml",
                   f'<x:worksheet xmlns:x="{main}"><x:sheetData><x:row r="1"><x:c r="A1" t="inlineStr">'
                   "<x:is><x:t>日期</x:t></x:is></x:c></x:row></x:sheetData></x:worksheet>")
    write_tabs(book, [spec()])
    p = parts(book)
    assert b'<x:sheet name="\xe5\xba\x94\xe6\x94\xb6\xe6\xb1\x87\xe6\x80\xbb" sheetId="2" rr:id="rId3"/>' in p["xl/workbook.xml"]
    assert "xl/styles.xml" in p  # the book had no styles part: one was added (rId2)
    wb = openpyxl.load_workbook(book)
    assert wb.sheetnames == ["销售", "应收汇总"]
    assert wb["应收汇总"]["B3"].value == 1234.56 and wb["应收汇总"]["B3"].number_format == "¥#,##0.00"
    assert is_result_sheet(book, "应收汇总") and not is_result_sheet(book, "销售")


# ------------------------------------------------------------------------------ charts


@pytest.mark.parametrize("kind", ["bar", "column", "line", "pie"])
def test_chart_parts_refer_to_the_tabs_own_cells(tmp_path, kind):
    book = xlwings_book(tmp_path)
    write_tabs(book, [spec(n=6, charts=(Chart(kind, "标题", "customer_id", ("balance", "days"),
                                              first_row=1, last_row=4, anchor="J5"),))])
    p = parts(book)
    chart = p["xl/charts/chart1.xml"].decode()
    root = ET.fromstring(chart)
    c = "{http://schemas.openxmlformats.org/drawingml/2006/chart}"
    plot = root.find(f"{c}chart/{c}plotArea")
    tag = {"bar": "barChart", "column": "barChart", "line": "lineChart", "pie": "pieChart"}[kind]
    assert plot.find(c + tag) is not None
    refs = [f.text for f in root.iter(c + "f")]
    assert "'应收汇总'!$A$4:$A$7" in refs and "'应收汇总'!$B$4:$B$7" in refs
    assert "'应收汇总'!$B$2" in refs and "'应收汇总'!$D$4:$D$7" in refs
    drawing = p["xl/drawings/drawing1.xml"].decode()
    assert "<xdr:col>9</xdr:col>" in drawing and "<xdr:row>4</xdr:row>" in drawing
    assert b"drawing1.xml" in p["xl/worksheets/_rels/sheet3.xml.rels"]
