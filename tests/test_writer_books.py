"""Books for the writer tests, built here from literal rows, plus checks that they really hold
what the preservation tests claim to preserve (VBA, buttons, images, charts, comments …).

The other ``test_writer_*`` modules import the builders from this module.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import shutil
import struct
import zipfile
import zlib
from decimal import Decimal
from pathlib import Path

import xlsxwriter

from sheetbook.layout import BANNER
from sheetbook.tabspec import Chart, Link, TabColumn, TabSpec, banner_text

XLWINGS_XLSM = Path(__import__("xlwings").__file__).parent / "quickstart_standalone.xlsm"
RUN_AT = dt.datetime(2026, 12, 4, 9, 30)
#: Parts sheetbook may rewrite in a book it did not make (everything else must be identical).
LISTING_PARTS = {"[Content_Types].xml", "xl/workbook.xml", "xl/_rels/workbook.xml.rels",
                 "xl/styles.xml", "xl/calcChain.xml"}
SALES_HEADER = ["日期", "单号", "客户编号", "商品", "数量", "单价", "金额"]


def sales_rows(n: int) -> list[list[object]]:
    """``n`` sales lines (dates as real dates, money as 元 floats typed by a user)."""
    return [[dt.date(2026, 1, 1) + dt.timedelta(days=i % 300), f"INV{i:05d}", f"C{i % 7:03d}",
             "螺丝", 3 + i % 5, 12.5, (3 + i % 5) * 12.5] for i in range(n)]


def png_bytes(width: int = 4, height: int = 3) -> bytes:
    """A small red PNG made here (no image file is committed)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))
    raw = b"".join(b"\x00" + b"\xff\x00\x00" * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def vba_project(tmp: Path) -> Path:
    """The BSD-licensed VBA project shipped inside xlwings' quickstart .xlsm."""
    out = tmp / "vbaProject.bin"
    if not out.exists():
        with zipfile.ZipFile(XLWINGS_XLSM) as z:
            out.write_bytes(z.read("xl/vbaProject.bin"))
    return out


def make_macro_book(path: Path, n_sales: int = 30, *, user_sheet: str | None = None,
                    result_banner_sheet: str | None = None) -> Path:
    """An .xlsm made with xlsxwriter carrying everything a user's book may hold.

    VBA project, a form button running a macro, an image, a chart, comments, data validation,
    defined names, a formula reading 销售, and an Excel Table on 销售. ``user_sheet`` adds a
    user's own sheet of that name (no banner); ``result_banner_sheet`` adds a sheet whose A1
    holds the banner as a *shared* string (as after Excel re-saved a result tab).
    """
    wb = xlsxwriter.Workbook(str(path))
    wb.add_vba_project(str(vba_project(path.parent)))
    wb.set_vba_name("ThisWorkbook")
    money = wb.add_format({"num_format": "#,##0.00"})
    date = wb.add_format({"num_format": "yyyy-mm-dd"})
    panel = wb.add_worksheet("按钮")
    panel.set_vba_name("Sheet1")
    panel.insert_button("B2", {"macro": "SampleCall", "caption": "运行 sheetbook", "width": 160})
    panel.insert_image("B6", "logo.png", {"image_data": io.BytesIO(png_bytes())})
    panel.write_comment("A1", "用户的批注")
    panel.write("A1", "按钮面板")
    cust = wb.add_worksheet("客户")
    cust.set_vba_name("Sheet2")
    cust.write_row(0, 0, ["客户编号", "客户名称", "信用状态"])
    for i in range(7):
        cust.write_row(i + 1, 0, [f"C{i:03d}", f"客户{i}", "正常"])
    cust.data_validation("C2:C100", {"validate": "list", "source": ["正常", "关注", "冻结"]})
    sales = wb.add_worksheet("销售")
    sales.set_vba_name("Sheet3")
    rows = sales_rows(n_sales)
    sales.add_table(0, 0, n_sales, len(SALES_HEADER) - 1, {
        "name": "销售表", "columns": [{"header": h} for h in SALES_HEADER], "data": rows})
    sales.set_column("A:A", 12, date)
    sales.set_column("F:G", 10, money)
    sales.write_comment("G1", "金额 = 数量 × 单价")
    chart = wb.add_chart({"type": "column"})
    chart.add_series({"name": "金额", "categories": f"=销售!$B$2:$B${n_sales + 1}",
                      "values": f"=销售!$G$2:$G${n_sales + 1}"})
    panel.insert_chart("E6", chart)
    notes = wb.add_worksheet("我的笔记")
    notes.set_vba_name("Sheet4")
    notes.write("A1", "销售合计")
    notes.write_formula("B1", f"=SUM(销售!G2:G{n_sales + 1})")
    wb.define_name("税率", "=0.03")
    wb.define_name("销售金额", f"=销售!$G$2:$G${n_sales + 1}")
    if user_sheet:
        mine = wb.add_worksheet(user_sheet)
        mine.set_vba_name("Sheet5")
        mine.write_row(0, 0, ["我自己的表", "不要动"])
    if result_banner_sheet:
        old = wb.add_worksheet(result_banner_sheet)
        old.set_vba_name("Sheet6")
        old.write("A1", banner_text("zh", RUN_AT))  # a shared string, as Excel saves it
        old.write_row(1, 0, ["旧表头"])
        old.insert_image("D4", "old.png", {"image_data": io.BytesIO(png_bytes(2, 2))})
    wb.close()
    return path


def xlwings_book(tmp: Path) -> Path:
    """A copy of the Excel-saved macro book shipped with xlwings."""
    out = tmp / "quickstart.xlsm"
    shutil.copyfile(XLWINGS_XLSM, out)
    return out


def spec(name: str = "应收汇总", n: int = 5, *, charts: tuple[Chart, ...] = (),
         banner: str | None = None, key: str = "receivables") -> TabSpec:
    """A result tab with every column kind, highlights and (optionally) charts."""
    cols = (TabColumn("customer_id", "客户编号", "text", 12),
            TabColumn("balance", "期末应收", "money", 14),
            TabColumn("due", "到期日", "date", 12),
            TabColumn("days", "逾期天数", "int", 10),
            TabColumn("rate", "回款率", "percent", 10),
            TabColumn("cell", "单元格", "link", 12))
    rows: list[list[object]] = [
        ["C001", 123456, dt.date(2026, 3, 5), 12, Decimal("0.25"), Link("销售!G2", "销售", "G2")],
        ["C002", -5, dt.date(2026, 12, 31), 0, 0.125, Link("销售!G3", "销售", "G3")],
    ]
    rows += [[f"C{i:03d}", i * 1001, dt.date(2026, 1, 1) + dt.timedelta(days=i), i, i / 100, None]
             for i in range(3, n + 1)]
    rows.append(["合计", sum(r[1] for r in rows), None, None, None, None])  # type: ignore[misc]
    return TabSpec(key, name, banner or banner_text("zh", RUN_AT), cols, rows,
                   row_styles={1: "error", len(rows) - 1: "total"},
                   cell_styles={(0, "balance"): "good"}, charts=charts)


AGING_CHART = Chart("column", "期末应收", "customer_id", ("balance",))


def parts(path: Path) -> dict[str, bytes]:
    """Every zip entry's decompressed bytes."""
    with zipfile.ZipFile(path) as z:
        return {n: z.read(n) for n in z.namelist()}


def raw_entries(path: Path) -> dict[str, bytes]:
    """Every zip entry's *compressed* bytes as stored (to prove entries were not recompressed)."""
    out = {}
    with zipfile.ZipFile(path) as z, open(path, "rb") as fh:
        for info in z.infolist():
            fh.seek(info.header_offset)
            head = fh.read(30)
            n, m = struct.unpack("<2H", head[26:30])
            fh.seek(info.header_offset + 30 + n + m)
            out[info.filename] = fh.read(info.compress_size)
    return out


def file_state(path: Path) -> tuple[bytes, int]:
    """A file's bytes and mtime (to prove nothing was written)."""
    return path.read_bytes(), os.stat(path).st_mtime_ns


# ------------------------------------------------------------------------------ the books


def test_macro_book_holds_what_the_preservation_tests_compare(tmp_path):
    book = make_macro_book(tmp_path / "shop.xlsm")
    names = set(parts(book))
    for expected in ("xl/vbaProject.bin", "xl/tables/table1.xml", "xl/charts/chart1.xml",
                     "xl/comments1.xml", "xl/drawings/vmlDrawing1.vml", "xl/media/image1.png",
                     "xl/drawings/drawing1.xml", "xl/sharedStrings.xml", "xl/theme/theme1.xml"):
        assert expected in names
    p = parts(book)
    assert b"SampleCall" in b"".join(v for k, v in p.items() if k.endswith(".vml"))
    assert b"dataValidation" in p["xl/worksheets/sheet2.xml"]
    assert b"macroEnabled" in p["[Content_Types].xml"]
    assert "税率".encode() in p["xl/workbook.xml"]


def test_shared_string_banner_book(tmp_path):
    book = make_macro_book(tmp_path / "b.xlsm", result_banner_sheet="应收汇总")
    p = parts(book)
    assert BANNER["zh"].encode() in p["xl/sharedStrings.xml"]
    assert BANNER["zh"].encode() not in p["xl/worksheets/sheet5.xml"]


def test_xlwings_book_is_excel_saved():
    with zipfile.ZipFile(XLWINGS_XLSM) as z:
        assert b"Microsoft Excel" in z.read("docProps/app.xml")
        assert "xl/vbaProject.bin" in z.namelist()
