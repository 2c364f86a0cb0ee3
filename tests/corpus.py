"""The acceptance corpus: bad and messy books built from literal rows, deterministically.

Every file of ``tests/data/`` is made here, from rows typed in this module, so a reader of a
test can see exactly what the book holds. Three kinds of case:

- ``bad``: a book sheetbook can read, with problems. ``expect`` lists every problem as
  ``(code, severity, "sheet!cell")`` (or ``"sheet"`` for a problem about a whole sheet); the
  tests assert the problems found are exactly these.
- ``messy``: a valid but ugly book (text money, odd dates, title rows, merged cells …); the tests
  assert the exact values read and that no error is found.
- ``file``: not a book we can read (empty, CSV renamed, legacy .xls, zip bomb, encrypted …);
  the CLI must exit 2 with one line on stderr (``exit`` holds the expected code).

Run ``python tests/corpus.py --out tests/data`` to rebuild the committed files (and their
README). Generated files are byte-for-byte reproducible for a given zlib; tests compare them by
content (zip entry names, sizes and CRCs) so a different zlib build does not matter.
"""

from __future__ import annotations

import argparse
import copy
import datetime as dt
import functools
import hashlib
import io
import random
import re
import shutil
import struct
import sys
import zipfile
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

#: The password of the encrypted corpus book.
PASSWORD = "sheetbook-2026"
#: "Today" for library-level tests (dates must not drift).
TODAY = dt.date(2026, 12, 4)
#: Fixed timestamp for every zip entry and document property.
_STAMP = (1980, 1, 1, 0, 0, 0)

Rows = list[list[object]]
Sheets = dict[str, Rows]


# ------------------------------------------------------------------------------ cell markers


class Formula(str):
    """A cell holding a formula (written by openpyxl: no cached value)."""


@dataclass(frozen=True)
class Serial:
    """A plain number typed in a date column (an Excel serial day number, no date format)."""

    value: float


@dataclass(frozen=True)
class Cached:
    """A formula with the value Excel cached for it (e.g. an error such as ``#N/A``)."""

    formula: str
    value: object


# ------------------------------------------------------------------------------ base book

C_HEAD = ["客户编号", "客户名称", "联系人", "电话", "信用额度", "账期天数", "信用状态", "别名", "期初应收"]
S_HEAD = ["日期", "单号", "客户编号", "商品", "数量", "单价", "折扣", "金额", "到期日", "备注"]
P_HEAD = ["日期", "客户编号", "付款人", "金额", "方式", "流水号", "核销单号", "来源", "备注"]
E_HEAD = ["日期", "类别", "对象", "金额", "方式", "有发票", "流水号", "来源", "备注"]
B_HEAD = ["类别", "类型", *[f"{m}月" for m in range(1, 13)], "全年"]
K_HEAD = ["客户编号", "对账截止日", "发送日期", "确认日期", "客户确认余额", "结果", "备注"]
G_HEAD = ["商品编号", "商品名称", "单位", "类别", "标准售价", "单位成本"]

D = dt.date


def base() -> Sheets:
    """A small, valid book (validates with no problem at all). Sheet rows are 1-based below.

    客户 (A..I): row 2 C001 张三五金 (alias 老张;张三微信, 30 days), row 3 C002 李四建材,
    row 4 C003 王五装饰.
    销售 (A..J): rows 2-3 XS001 (two lines, C001), row 4 XS002 (C002), row 5 XS003 (C003).
    收款 (A..I): row 2 C001 70.00 WX001 → XS001, row 3 C002 490.00 → XS002.
    """
    return copy.deepcopy({
        "设置": [["项目", "值"], ["店铺名称", "王记五金"], ["会计年度", 2026], ["所在地区", "市区"]],
        "客户": [
            C_HEAD,
            ["C001", "张三五金", "张三", "13800000001", 5000, 30, "正常", "老张;张三微信", 0],
            ["C002", "李四建材", "李四", "13800000002", None, None, None, None, 1200.5],
            ["C003", "王五装饰", "王五", "13800000003", 20000, 60, "关注", "王师傅", None],
        ],
        "商品": [
            G_HEAD,
            ["P01", "螺丝", "盒", "五金", 0.5, 0.3],
            ["P02", "钉子", "盒", "五金", 2, 1.2],
        ],
        "销售": [
            S_HEAD,
            [D(2026, 3, 5), "XS001", "C001", "P01", 100, 0.5, None, 50, None, None],
            [D(2026, 3, 5), "XS001", "C001", "P02", 10, 2, None, 20, None, None],
            [D(2026, 3, 6), "XS002", "C002", "水泥", 20, 25, 10, 490, None, "老客户"],
            [D(2026, 4, 1), "XS003", "C003", "油漆", 2, 120, None, None, D(2026, 6, 30), None],
        ],
        "收款": [
            P_HEAD,
            [D(2026, 3, 10), "C001", "张三", 70, "微信", "WX001", "XS001", "手工", None],
            [D(2026, 3, 20), "C002", None, 490, "银行转账", None, "XS002", None, None],
        ],
        "支出": [
            E_HEAD,
            [D(2026, 3, 1), "房租", "房东", 3000, "银行转账", "是", "B001", None, None],
            [D(2026, 3, 15), "水电", "供电局", 412.36, "微信", "否", None, None, None],
        ],
        "预算": [
            B_HEAD,
            ["房租", "支出", *[3000] * 12, 36000],
            ["销售收入", "收入", *[10000] * 12, 120000],
        ],
        "对账记录": [
            K_HEAD,
            ["C002", D(2026, 3, 31), D(2026, 4, 1), D(2026, 4, 3), 1200.5, "相符", None],
        ],
    })


def _col(rows: Rows, header: str) -> int:
    return rows[0].index(header)


def put(sheets: Sheets, sheet: str, row: int, header: str, value: object) -> Sheets:
    """Set the cell under ``header`` on sheet row ``row`` (1-based; the header is row 1)."""
    rows = sheets[sheet]
    c = _col(rows, header)
    while len(rows) < row:
        rows.append([None] * len(rows[0]))
    rows[row - 1][c] = value
    return sheets


def add(sheets: Sheets, sheet: str, **values: object) -> int:
    """Append a row given by header → value (headers spelled as in the book); its sheet row."""
    rows = sheets[sheet]
    new = [None] * len(rows[0])
    for header, value in values.items():
        new[_col(rows, header)] = value
    rows.append(new)
    return len(rows)


def drop_column(sheets: Sheets, sheet: str, header: str) -> Sheets:
    """Remove a column from a sheet."""
    c = _col(sheets[sheet], header)
    sheets[sheet] = [r[:c] + r[c + 1:] for r in sheets[sheet]]
    return sheets


# ------------------------------------------------------------------------------ writers


def _xlsxwriter_book(sheets: Sheets, merges: dict | None = None, tables: dict | None = None,
                     origin: dict | None = None, vba: bytes | None = None) -> bytes:
    """A book written by xlsxwriter (as Excel would store it: dates are date cells)."""
    import xlsxwriter

    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True, "strings_to_numbers": False,
                                   "strings_to_formulas": False, "strings_to_urls": False})
    wb.set_properties({"created": dt.datetime(2026, 1, 1)})
    date_fmt = wb.add_format({"num_format": "yyyy-mm-dd"})
    stamp_fmt = wb.add_format({"num_format": "yyyy-mm-dd hh:mm:ss"})
    for name, rows in sheets.items():
        ws = wb.add_worksheet(name)
        r0, c0 = (origin or {}).get(name, (0, 0))
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                _write_cell(ws, r0 + r, c0 + c, value, date_fmt, stamp_fmt)
        for (fr, fc, lr, lc) in (merges or {}).get(name, ()):
            value = rows[fr - r0][fc - c0]
            ws.merge_range(fr, fc, lr, lc, None)
            _write_cell(ws, fr, fc, value, date_fmt, stamp_fmt)
        for (fr, fc, lr, lc) in (tables or {}).get(name, ()):
            headers = rows[fr - r0][fc - c0: lc - c0 + 1]
            ws.add_table(fr, fc, lr, lc, {"columns": [{"header": h} for h in headers],
                                          "style": "Table Style Light 9"})
    if vba is not None:
        wb.add_vba_project(io.BytesIO(vba), is_stream=True)
    wb.close()
    return buf.getvalue()


def _write_cell(ws, r: int, c: int, value: object, date_fmt, stamp_fmt) -> None:
    if value is None:
        return
    if isinstance(value, Serial):
        ws.write_number(r, c, value.value)
    elif isinstance(value, bool):
        ws.write_boolean(r, c, value)
    elif isinstance(value, dt.datetime):
        ws.write_datetime(r, c, value, stamp_fmt)
    elif isinstance(value, dt.date):
        ws.write_datetime(r, c, dt.datetime.combine(value, dt.time()), date_fmt)
    elif isinstance(value, int | float):
        ws.write_number(r, c, value)
    elif isinstance(value, Formula):
        ws.write_formula(r, c, str(value))
    elif isinstance(value, Cached):
        ws.write_formula(r, c, value.formula, None, value.value)
    else:
        ws.write_string(r, c, str(value))


def _openpyxl_book(sheets: Sheets) -> bytes:
    """A book written by openpyxl: formulas carry no cached value (never opened in Excel)."""
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row, start=1):
                if value is None:
                    continue
                cell = ws.cell(r, c)
                if isinstance(value, Serial):
                    cell.value = value.value
                elif isinstance(value, dt.date) and not isinstance(value, dt.datetime):
                    cell.value = value
                    cell.number_format = "yyyy-mm-dd"
                else:
                    cell.value = str(value) if isinstance(value, Formula) else value
    wb.properties.created = wb.properties.modified = dt.datetime(2026, 1, 1)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


_CORE_DATES = re.compile(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)")


def rezip(data: bytes) -> bytes:
    """Rewrite a zip with fixed timestamps and document dates (deterministic output)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as zi, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zo:
        for info in zi.infolist():
            body = zi.read(info.filename)
            if info.filename == "docProps/core.xml":
                body = _CORE_DATES.sub(rb"\g<1>2026-01-01T00:00:00Z\g<2>", body)
            zo.writestr(zipfile.ZipInfo(info.filename, _STAMP), body,
                        compress_type=info.compress_type)
    return out.getvalue()


def book_bytes(sheets: Sheets, *, engine: str = "xlsxwriter", **kw) -> bytes:
    """The bytes of an .xlsx holding ``sheets`` (name → rows)."""
    data = _openpyxl_book(sheets) if engine == "openpyxl" else _xlsxwriter_book(sheets, **kw)
    return rezip(data)


def make_zip(entries: list[tuple[str, bytes]], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    """A zip of the given (name, bytes) entries, deterministic."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", method) as zo:
        for name, body in entries:
            zo.writestr(zipfile.ZipInfo(name, _STAMP), body, compress_type=method)
    return out.getvalue()


def patch_zip(data: bytes, part: str, fn: Callable[[bytes], bytes]) -> bytes:
    """Rewrite one part of a zip."""
    with zipfile.ZipFile(io.BytesIO(data)) as zi:
        entries = [(i.filename, fn(zi.read(i)) if i.filename == part else zi.read(i))
                   for i in zi.infolist()]
    return make_zip(entries)


def set_declared_size(data: bytes, part: str, size: int) -> bytes:
    """Lie about a part's uncompressed size in both its local and central headers."""
    buf = bytearray(data)
    name = part.encode()
    for sig, size_at, name_len_at, name_at in ((b"PK\x01\x02", 24, 28, 46), (b"PK\x03\x04", 22, 26, 30)):
        pos = 0
        while (pos := buf.find(sig, pos)) >= 0:
            n = struct.unpack_from("<H", buf, pos + name_len_at)[0]
            if bytes(buf[pos + name_at: pos + name_at + n]) == name:
                struct.pack_into("<I", buf, pos + size_at, size)
            pos += 4
    return bytes(buf)


def sheet_part(data: bytes, sheet: str) -> str:
    """The zip part of a sheet (by name) in a book written by xlsxwriter."""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        wb = z.read("xl/workbook.xml").decode()
    names = re.findall(r'<sheet name="([^"]+)"', wb)
    return f"xl/worksheets/sheet{names.index(sheet) + 1}.xml"


@contextmanager
def _fixed_random():
    """Make msoffcrypto's salts, keys and timestamps deterministic (the corpus is reproducible)."""
    from msoffcrypto.method import ecma376_agile
    from msoffcrypto.method.container import ecma376_encrypted

    class _Fixed(dt.datetime):
        @classmethod
        def now(cls, tz=None):
            return cls(2026, 1, 1)

    rng = random.Random(2026)
    saved = ecma376_agile._random_buffer, ecma376_encrypted.datetime
    ecma376_agile._random_buffer = lambda n: bytes(rng.getrandbits(8) for _ in range(n))
    ecma376_encrypted.datetime = _Fixed
    try:
        yield
    finally:
        ecma376_agile._random_buffer, ecma376_encrypted.datetime = saved


def encrypt(data: bytes, password: str = PASSWORD) -> bytes:
    """An .xlsx encrypted the way Excel does it (an OLE file holding EncryptionInfo)."""
    from msoffcrypto.format.ooxml import OOXMLFile

    out = io.BytesIO()
    with _fixed_random():
        OOXMLFile(io.BytesIO(data)).encrypt(password, out)
    return out.getvalue()


def ole_file(streams: dict[str, bytes]) -> bytes:
    """A minimal OLE compound file (CFB v3) holding the given streams (each padded to 4 KiB).

    Enough for olefile and msoffcrypto to recognise it (``Workbook`` → a legacy .xls).
    """
    sector = 512
    end, free, fatsect = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD
    names = list(streams)
    bodies = [streams[n].ljust(max(4096, -(-len(streams[n]) // sector) * sector), b"\0")
              for n in names]
    fat: list[int] = [fatsect, end]  # sector 0: FAT, sector 1: directory
    starts = []
    for body in bodies:
        n = len(body) // sector
        start = len(fat)
        starts.append(start)
        fat += [start + i + 1 for i in range(n - 1)] + [end]
    assert len(fat) <= sector // 4 and len(names) <= 3
    fat += [free] * (sector // 4 - len(fat))

    def entry(name: str, kind: int, child: int, right: int, start: int, size: int) -> bytes:
        raw = name.encode("utf-16-le") + b"\0\0"
        return (raw.ljust(64, b"\0") + struct.pack("<HBB", len(raw), kind, 1)
                + struct.pack("<III", free, right, child) + b"\0" * 16 + b"\0" * 4 + b"\0" * 16
                + struct.pack("<IQ", start, size))

    dirs = entry("Root Entry", 5, 1, free, end, 0)
    for i, (name, start) in enumerate(zip(names, starts)):
        right = i + 2 if i + 1 < len(names) else free
        dirs += entry(name, 2, free, right, start, len(streams[name]) if len(streams[name]) >= 4096
                      else 4096)
    dirs = dirs.ljust(sector, b"\0")
    header = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 16
              + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6) + b"\0" * 6
              + struct.pack("<IIIIIIIII", 0, 1, 1, 0, 4096, end, 0, end, 0)
              + struct.pack("<I", 0) + struct.pack("<I", free) * 108)
    assert len(header) == sector
    return header + struct.pack(f"<{sector // 4}I", *fat) + dirs + b"".join(bodies)


def biff8_workbook() -> bytes:
    """A BIFF8 workbook-globals stream: BOF (Excel 97) … EOF."""
    bof = struct.pack("<HH", 0x0809, 16) + struct.pack("<HHHHII", 0x0600, 0x0005, 0x0DBB, 0x07CC, 0x41, 0x06)
    codepage = struct.pack("<HHH", 0x0042, 2, 1200)
    eof = struct.pack("<HH", 0x000A, 0)
    return bof + codepage + eof


# ------------------------------------------------------------------------------ cases

Expect = tuple[tuple[str, str, str], ...]


@dataclass(frozen=True)
class Case:
    """One corpus file.

    Attributes:
        name: file name in tests/data.
        kind: ``bad`` (a readable book with problems), ``messy`` (valid, ugly), ``file`` (exit 2).
        what: what is in it / wrong with it (README).
        build: returns the file's bytes.
        expect: for ``bad``/``messy``: every problem as (code, severity, where).
        exit: the CLI exit code expected with ``--no-write``.
        stderr: for ``file``: words the one-line message must contain (any of them, lower-cased).
        slow: takes seconds to read (tests run it once).
        bug: a known sheetbook bug makes the exact expectation fail (the tests mark it
            ``xfail(strict=True)`` with this reason); the expectation states the right behaviour.
        bug_hides: the bug also hides or misplaces an expected problem (not only adds one).
    """

    name: str
    kind: str
    what: str
    build: Callable[[], bytes]
    expect: Expect = ()
    exit: int = 0
    stderr: tuple[str, ...] = ()
    slow: bool = False
    bug: str = ""
    bug_hides: bool = False


CASES: list[Case] = []


def case(name: str, kind: str, what: str, expect: Expect = (), *, exit: int | None = None,
         stderr: tuple[str, ...] = (), slow: bool = False, bug: str = "", bug_hides: bool = False):
    """Register a case whose builder is the decorated function."""

    def deco(fn: Callable[[], bytes]) -> Callable[[], bytes]:
        code = exit if exit is not None else (
            2 if kind == "file" else 1 if any(s == "error" for _, s, _ in expect) else 0)
        CASES.append(Case(name, kind, what, fn, tuple(expect), code, stderr, slow, bug, bug_hides))
        return fn

    return deco


def bad(name: str, what: str, *expect: tuple[str, str, str], **kw):
    """A readable book with exactly these problems."""
    return case(name, "bad", what, expect, **kw)


def edit(fn: Callable[[Sheets], object], **kw) -> Callable[[], bytes]:
    """A builder: the base book, changed by ``fn``."""

    def build() -> bytes:
        sheets = base()
        fn(sheets)
        return book_bytes(sheets, **kw)

    return build


def register_edit(name: str, what: str, *expect: tuple[str, str, str], engine: str = "xlsxwriter",
                  **kw):
    """Register a bad case built as base() changed by the decorated function."""

    def deco(fn: Callable[[Sheets], object]):
        bad(name, what, *expect, **kw)(edit(fn, engine=engine))
        return fn

    return deco


E, W = "error", "warning"

# ---- the control


@case("good.xlsx", "messy", "The base book: every sheet, valid. No problem at all.")
def _good() -> bytes:
    return book_bytes(base())


# ---- unreadable cells


@register_edit("bad_money_typo.xlsx", "销售 金额 is the text `12..5`.", ("cell.bad_money", E, "销售!H2"))
def _(s):
    put(s, "销售", 2, "金额", "12..5")


@register_edit("bad_money_words.xlsx", "客户 期初应收 is `一千` (Chinese numerals are not read).",
               ("cell.bad_money", E, "客户!I3"))
def _(s):
    put(s, "客户", 3, "期初应收", "一千")


@register_edit("bad_money_grouping.xlsx", "收款 金额 is `1,23.4` (misplaced thousands separator).",
               ("cell.bad_money", E, "收款!D3"))
def _(s):
    put(s, "收款", 3, "金额", "1,23.4")


@register_edit("bad_money_budget.xlsx", "预算 3月 is `三千` (全年 cannot be checked against an unreadable month).",
               ("cell.bad_money", E, "预算!E2"))
def _(s):
    put(s, "预算", 2, "3月", "三千")


@register_edit("bad_money_discount.xlsx",
               "销售 折扣 is `十元` on a line whose 金额 490 is right (20×25−10): only the bad cell.",
               ("cell.bad_money", E, "销售!G4"))
def _(s):
    put(s, "销售", 4, "折扣", "十元")


@register_edit("bad_date_impossible.xlsx", "销售 日期 is `2026-02-30` (no such day).",
               ("cell.bad_date", E, "销售!A4"))
def _(s):
    put(s, "销售", 4, "日期", "2026-02-30")


@register_edit("bad_date_dayfirst.xlsx", "收款 日期 is `05/03/2026` (day-first: ambiguous, never guessed).",
               ("cell.bad_date", E, "收款!A2"))
def _(s):
    put(s, "收款", 2, "日期", "05/03/2026")


@register_edit("bad_date_two_digit_year.xlsx", "支出 日期 is `26-3-1` (two-digit year).",
               ("cell.bad_date", E, "支出!A3"))
def _(s):
    put(s, "支出", 3, "日期", "26-3-1")


@register_edit("bad_date_small_number.xlsx", "收款 日期 is the number 123 (not a plausible serial date).",
               ("cell.bad_date", E, "收款!A3"))
def _(s):
    put(s, "收款", 3, "日期", Serial(123))


@register_edit("bad_date_due.xlsx", "销售 到期日 is `下个月`.", ("cell.bad_date", E, "销售!I4"))
def _(s):
    put(s, "销售", 4, "到期日", "下个月")


@register_edit("bad_number_qty.xlsx", "销售 数量 is `二十` (金额 is filled, so no other problem).",
               ("cell.bad_number", E, "销售!E4"))
def _(s):
    put(s, "销售", 4, "数量", "二十")


@register_edit("bad_int_terms_words.xlsx", "客户 账期天数 is `三十天`.", ("cell.bad_int", E, "客户!F2"))
def _(s):
    put(s, "客户", 2, "账期天数", "三十天")


@register_edit("bad_int_terms_fraction.xlsx", "客户 账期天数 is 7.5 (not whole days).",
               ("cell.bad_int", E, "客户!F4"))
def _(s):
    put(s, "客户", 4, "账期天数", 7.5)


# ---- required cells


@register_edit("required_invoice_no.xlsx", "销售 row 5 has no 单号.", ("cell.required", E, "销售!B5"))
def _(s):
    put(s, "销售", 5, "单号", None)


@register_edit("required_payment_amount.xlsx", "收款 row 3 has a date but no 金额.",
               ("cell.required", E, "收款!D3"))
def _(s):
    put(s, "收款", 3, "金额", None)


@register_edit("required_customer_name.xlsx", "客户 row 4 has an id but no 客户名称.",
               ("cell.required", E, "客户!B4"))
def _(s):
    put(s, "客户", 4, "客户名称", "  ")


@register_edit("required_product_name.xlsx", "商品 row 3 has no 商品名称; 标准售价 of row 2 is `abc`.",
               ("cell.required", E, "商品!B3"), ("cell.bad_money", E, "商品!E2"))
def _(s):
    put(s, "商品", 3, "商品名称", None)
    put(s, "商品", 2, "标准售价", "abc")


@register_edit("required_expense_category.xlsx", "支出 row 3 has no 类别.", ("cell.required", E, "支出!B3"))
def _(s):
    put(s, "支出", 3, "类别", None)


# ---- customers and references


@register_edit("unknown_customer_sale.xlsx", "销售 客户编号 C999 is not in 客户.",
               ("ref.unknown_customer", E, "销售!C5"))
def _(s):
    put(s, "销售", 5, "客户编号", "C999")


@register_edit("unknown_customer_payment.xlsx", "收款 客户编号 C404 is not in 客户.",
               ("ref.unknown_customer", E, "收款!B3"))
def _(s):
    put(s, "收款", 3, "客户编号", "C404")


@register_edit("unknown_customer_confirmation.xlsx", "对账记录 客户编号 C009 is not in 客户.",
               ("ref.unknown_customer", E, "对账记录!A2"))
def _(s):
    put(s, "对账记录", 2, "客户编号", "C009")


@register_edit("customer_by_alias.xlsx", "收款 客户编号 is `老张`, an alias of C001: matched with a warning.",
               ("ref.customer_by_name", W, "收款!B2"))
def _(s):
    put(s, "收款", 2, "客户编号", "老张")


@register_edit("customer_by_name.xlsx", "销售 客户编号 is `王五装饰`, C003's exact name: matched with a warning.",
               ("ref.customer_by_name", W, "销售!C5"))
def _(s):
    put(s, "销售", 5, "客户编号", "王五装饰")


@register_edit("customer_alias_ambiguous.xlsx",
               "Two customers share the alias `小王`; a payment by `小王` cannot be matched with confidence.",
               ("ref.unknown_customer", E, "收款!B3"))
def _(s):
    put(s, "客户", 3, "别名", "小王")
    put(s, "客户", 4, "别名", "王师傅；小王")
    put(s, "收款", 3, "客户编号", "小王")


@register_edit("duplicate_customer_id.xlsx", "客户 row 5 has id `ｃ００１` (full-width, lower case) = C001.",
               ("customers.duplicate_id", E, "客户!A5"))
def _(s):
    add(s, "客户", 客户编号="ｃ００１", 客户名称="张三五金分店")


@register_edit("duplicate_txn_payment.xlsx", "收款 row 4 repeats 流水号 WX001 (typed `wx001`).",
               ("txn.duplicate", E, "收款!F4"))
def _(s):
    add(s, "收款", 日期=D(2026, 3, 11), 客户编号="C001", 金额=70, 方式="微信", 流水号="wx001")


@register_edit("duplicate_txn_expense.xlsx", "支出 row 4 repeats 流水号 B001.", ("txn.duplicate", E, "支出!G4"))
def _(s):
    add(s, "支出", 日期=D(2026, 4, 1), 类别="房租", 对象="房东", 金额=3000, 流水号="B001")


@register_edit("invoice_conflict_date.xlsx", "The two lines of XS001 have different dates.",
               ("sales.invoice_conflict", E, "销售!A3"))
def _(s):
    put(s, "销售", 3, "日期", D(2026, 3, 6))


@register_edit("invoice_conflict_customer.xlsx", "The two lines of XS001 name different customers.",
               ("sales.invoice_conflict", E, "销售!C3"))
def _(s):
    put(s, "销售", 3, "客户编号", "C002")


@register_edit("unknown_applies_to.xlsx", "收款 核销单号 `XS002;XS999`: XS999 is not an invoice.",
               ("payments.unknown_invoice", E, "收款!G3"))
def _(s):
    put(s, "收款", 3, "核销单号", "XS002;XS999")


@register_edit("payment_zero.xlsx", "收款 金额 is 0.", ("payments.zero_amount", E, "收款!D3"))
def _(s):
    put(s, "收款", 3, "金额", 0)


@register_edit("payment_no_customer.xlsx", "收款 row 3 has neither 客户编号 nor 付款人.",
               ("payments.no_customer", E, "收款!B3"))
def _(s):
    put(s, "收款", 3, "客户编号", None)


@register_edit("expense_zero.xlsx", "支出 金额 is the text `0.00`.", ("expenses.zero_amount", E, "支出!D2"))
def _(s):
    put(s, "支出", 2, "金额", "0.00")


# ---- allowed values


@register_edit("bad_method.xlsx", "收款 方式 is `支票` (not in the list).", ("cell.bad_choice", E, "收款!E2"))
def _(s):
    put(s, "收款", 2, "方式", "支票")


@register_edit("bad_source.xlsx", "收款 来源 is `现金账`.", ("cell.bad_choice", E, "收款!H2"))
def _(s):
    put(s, "收款", 2, "来源", "现金账")


@register_edit("bad_credit_status.xlsx", "客户 信用状态 is `黑名单`.", ("cell.bad_choice", E, "客户!G3"))
def _(s):
    put(s, "客户", 3, "信用状态", "黑名单")


@register_edit("bad_expense_category.xlsx", "支出 类别 `招待费` is neither listed nor named in 预算.",
               ("cell.bad_choice", E, "支出!B3"))
def _(s):
    put(s, "支出", 3, "类别", "招待费")


@register_edit("bad_has_invoice.xlsx", "支出 有发票 is `可能`.", ("cell.bad_choice", E, "支出!F2"))
def _(s):
    put(s, "支出", 2, "有发票", "可能")


@register_edit("bad_budget_kind.xlsx", "预算 类型 is `成本` (must be 收入 / 支出).", ("cell.bad_choice", E, "预算!B2"))
def _(s):
    put(s, "预算", 2, "类型", "成本")


@register_edit("bad_confirm_result.xlsx", "对账记录 结果 is `同意` (must be 相符 / 不符).",
               ("cell.bad_choice", E, "对账记录!F2"))
def _(s):
    put(s, "对账记录", 2, "结果", "同意")


@register_edit("negative_credit_limit.xlsx", "客户 信用额度 is -100.", ("cell.negative", E, "客户!E2"))
def _(s):
    put(s, "客户", 2, "信用额度", -100)


@register_edit("negative_terms.xlsx", "客户 账期天数 is -30.", ("cell.negative", E, "客户!F4"))
def _(s):
    put(s, "客户", 4, "账期天数", -30)


# ---- warnings and derived values


@register_edit("amount_mismatch.xlsx", "销售 金额 55 but 数量×单价−折扣 = 100×0.5 = 50.00.",
               ("sales.amount_mismatch", W, "销售!H2"))
def _(s):
    put(s, "销售", 2, "金额", 55)


@register_edit("amount_mismatch_discount.xlsx", "销售 金额 500 but 20×25−10 = 490.00 (discount forgotten).",
               ("sales.amount_mismatch", W, "销售!H4"))
def _(s):
    put(s, "销售", 4, "金额", 500)


@register_edit("no_amount.xlsx", "销售 row 5: 金额 and 数量 are both blank.", ("sales.no_amount", E, "销售!H5"))
def _(s):
    put(s, "销售", 5, "数量", None)


@register_edit("date_future.xlsx", "收款 日期 2026-12-20 is after today (2026-12-04).",
               ("date.future", W, "收款!A3"))
def _(s):
    put(s, "收款", 3, "日期", D(2026, 12, 20))


@register_edit("date_outside_year.xlsx", "支出 日期 2025-12-31 is outside 会计年度 2026.",
               ("date.outside_year", W, "支出!A2"))
def _(s):
    put(s, "支出", 2, "日期", D(2025, 12, 31))


@register_edit("frozen_customer.xlsx", "C002 is 冻结 and still buys on XS002.",
               ("sales.frozen_customer", W, "销售!C4"))
def _(s):
    put(s, "客户", 3, "信用状态", "冻结")


@register_edit("invoice_gap.xlsx", "单号 XS001, XS002, XS005: XS003…XS004 missing.",
               ("sales.invoice_gap", W, "销售!B5"))
def _(s):
    put(s, "销售", 5, "单号", "XS005")


@register_edit("suspected_duplicate.xlsx", "收款 row 4 = row 3 (C002, 2026-03-20, 490.00, no 流水号).",
               ("rows.suspected_duplicate", W, "收款!D4"))
def _(s):
    add(s, "收款", 日期=D(2026, 3, 20), 客户编号="C002", 金额="490.00", 方式="现金")


@register_edit("budget_total_mismatch.xlsx", "预算 房租 全年 35,000 ≠ 12 × 3,000 = 36,000.",
               ("budget.total_mismatch", W, "预算!O2"))
def _(s):
    put(s, "预算", 2, "全年", 35000)


@register_edit("formula_no_value.xlsx",
               "销售 金额 is the formula `=E2*F2` with no cached value (openpyxl wrote it: `<v />`); "
               "金额 is then computed from 数量×单价.",
               ("cell.formula_no_value", W, "销售!H2"), engine="openpyxl")
def _(s):
    put(s, "销售", 2, "金额", Formula("=E2*F2"))


@register_edit("formula_no_value_required.xlsx",
               "收款 金额 (required) is the formula `=490` with no cached value: a warning, and the "
               "required cell reads as empty.",
               ("cell.formula_no_value", W, "收款!D3"), ("cell.required", E, "收款!D3"), engine="openpyxl")
def _(s):
    put(s, "收款", 3, "金额", Formula("=490"))


@bad("formula_no_value_bare.xlsx",
     "销售 金额 H3 is the formula `=E3*F3` stored with no `<v>` element at all (as some generators "
     "write it); 收款 金额 D2 likewise (`=70`, a required cell).",
     ("cell.formula_no_value", W, "销售!H3"), ("cell.formula_no_value", W, "收款!D2"),
     ("cell.required", E, "收款!D2"))
def _formula_bare() -> bytes:
    s = base()
    put(s, "销售", 3, "金额", Formula("=E3*F3"))
    put(s, "收款", 2, "金额", Formula("=70"))
    data = book_bytes(s)
    for sheet in ("销售", "收款"):
        data = patch_zip(data, sheet_part(data, sheet),
                         lambda x: re.sub(rb"(</f>)<v>[^<]*</v>", rb"\1", x))
    return data


@register_edit("error_values.xlsx",
               "销售 金额 H2 shows #DIV/0! and 收款 日期 A3 shows #N/A (failing formulas with cached error "
               "values): each an error naming the value, never read as a blank to fill in.",
               ("cell.error_value", E, "销售!H2"), ("cell.error_value", E, "收款!A3"))
def _(s):
    put(s, "销售", 2, "金额", Cached("=1/0", "#DIV/0!"))
    put(s, "收款", 3, "日期", Cached('=VLOOKUP("x",A:A,1,0)', "#N/A"))


# ---- headers and settings


@register_edit("header_missing_column.xlsx", "销售 has no 单号 column (收款 核销单号 blanked so nothing cascades).",
               ("header.missing_column", E, "销售"))
def _(s):
    drop_column(s, "销售", "单号")
    for r in (2, 3):
        put(s, "收款", r, "核销单号", None)


@register_edit("header_not_found.xlsx", "收款 holds a title and numbers but no header row.",
               ("header.not_found", E, "收款"))
def _(s):
    s["收款"] = [["2026年收款记录"], [None], [D(2026, 3, 10), "张三", 70], [D(2026, 3, 20), "李四", 490]]


@register_edit("header_duplicate_column.xlsx",
               "客户 has 客户名称 twice (B and J); the first is read, the warning names the duplicate J1.",
               ("header.duplicate_column", W, "客户!J1"))
def _(s):
    s["客户"][0].append("客户名称")
    for row in s["客户"][1:]:
        row.append("旧名称")


@register_edit("settings_bad_choice.xlsx", "设置 纳税人类型 is `个体户`.", ("settings.bad_value", E, "设置!B5"))
def _(s):
    s["设置"].append(["纳税人类型", "个体户"])


@register_edit("settings_bad_year.xlsx", "设置 会计年度 is `26年`.", ("settings.bad_value", E, "设置!B3"))
def _(s):
    put(s, "设置", 3, "值", "26年")


@register_edit("settings_bad_buckets.xlsx", "设置 账龄分段 is `90,60,30` (not increasing).",
               ("settings.bad_value", E, "设置!B5"))
def _(s):
    s["设置"].append(["账龄分段", "90,60,30"])


@register_edit("settings_unknown_item.xlsx", "设置 has an item `老板生日` sheetbook does not know.",
               ("settings.unknown_item", W, "设置!A5"))
def _(s):
    s["设置"].append(["老板生日", "3月5日"])


@bad("layout_offset_errors.xlsx",
     "销售 starts at B3 under a title, with extra columns and blank rows; errors after the blank rows "
     "must name the real cells.",
     ("cell.bad_money", E, "销售!K10"), ("cell.bad_date", E, "销售!C12"))
def _offset_errors() -> bytes:
    s = base()
    head = ["序号", "日期", "单号", "客户编号", "商品", "数量", "单价", "金额", "经手人", "折扣"]
    s["销售"] = [
        ["王记五金 2026 年销售台账"] + [None] * 9,
        [None] * 10,
        head,
        [1, D(2026, 3, 5), "XS001", "C001", "P01", 100, 0.5, 50, "小王", None],
        [2, D(2026, 3, 5), "XS001", "C001", "P02", 10, 2, 20, "小王", None],
        [None] * 10,
        [None] * 10,
        [3, D(2026, 3, 6), "XS002", "C002", "水泥", 20, 25, 490, "小李", "10元"],
        [4, D(2026, 4, 1), "XS003", "C003", "油漆", 2, 120, None, None, "五块"],
        [None, None, None, None, None, None, None, None, "合计行以下是备注", None],
        [5, "4月2日", "XS004", "C003", "油漆", 1, 120, 120, None, None],
    ]
    # written from B2: the header is sheet row 4, 日期 is column C, 折扣 column K; the list rows
    # above land on sheet rows 2…12 (row 10: 折扣 `五块`; row 11: a note only; row 12: `4月2日`)
    return book_bytes(s, origin={"销售": (1, 1)})


# ---- oversized sheet (reads slowly: tested once)


@case("too_many_rows.xlsx", "bad",
      "销售 XML holds a row numbered 1048577, beyond Excel's last row 1048576.",
      (("sheet.too_many_rows", E, "销售"),), slow=True)
def _too_many_rows() -> bytes:
    data = book_bytes(base())
    extra = (b'<row r="1048577"><c r="A1048577" t="inlineStr"><is><t>2026-05-01</t></is></c>'
             b'<c r="B1048577" t="inlineStr"><is><t>XS999</t></is></c></row>')
    return patch_zip(data, sheet_part(data, "销售"), lambda x: x.replace(b"</sheetData>", extra + b"</sheetData>"))


# ------------------------------------------------------------------------------ messy books


@case("messy_money.xlsx", "messy",
      "收款 金额 typed every way: `1,234.50`, `¥1,234.50`, `￥88`, `１２３．４`, `-50`, `(50.00)`, "
      "`88 ` + tab, 0.1+0.2 as a number, `88元`, `人民币88元`, `1,234.5-`, 1.005, `¥ 1 234.50`.")
def _messy_money() -> bytes:
    s = base()
    s["收款"] = [P_HEAD] + [[D(2026, 5, 1 + i), "C001", None, v, "现金", None, None, None, None]
                            for i, v in enumerate(MESSY_MONEY)]
    return book_bytes(s)


#: (cell as typed, 分 expected), in 收款 rows 2, 3, …
MESSY_MONEY_CASES: list[tuple[object, int]] = [
    ("1,234.50", 123450), ("¥1,234.50", 123450), ("￥88", 8800), ("１２３．４", 12340),
    ("-50", -5000), ("(50.00)", -5000), ("88 \t", 8800), (0.1 + 0.2, 30), ("88元", 8800),
    ("人民币88元", 8800), ("1,234.5-", -123450), (1.005, 101), ("¥ 1 234.50", 123450),
    (1234.5, 123450), (19.99, 1999), ("  \t1234.56\t ", 123456), (100000000, 10000000000),
    ("0.01", 1), ("￥-0.5", -50),
]
MESSY_MONEY = [v for v, _ in MESSY_MONEY_CASES]


#: (cell as typed, date expected), in 收款 rows 2, 3, …
MESSY_DATE_CASES: list[tuple[object, dt.date]] = [
    (D(2026, 3, 5), D(2026, 3, 5)),
    (Serial(46086), D(2026, 3, 5)),
    (Serial(46086.6), D(2026, 3, 5)),
    ("2026-03-05", D(2026, 3, 5)),
    ("2026/3/5", D(2026, 3, 5)),
    ("2026.3.5", D(2026, 3, 5)),
    ("2026年3月5日", D(2026, 3, 5)),
    ("20260305", D(2026, 3, 5)),
    (Serial(20260305), D(2026, 3, 5)),
    ("2026-03-05 14:30:00", D(2026, 3, 5)),
    (dt.datetime(2026, 3, 5, 14, 30), D(2026, 3, 5)),
    ("２０２６－０３－０５", D(2026, 3, 5)),
    (" 2026-3-5\t", D(2026, 3, 5)),
    ("2026年03月05日", D(2026, 3, 5)),
    ("2026-11-30", D(2026, 11, 30)),
    ("2026/1/1", D(2026, 1, 1)),
]


@case("messy_dates.xlsx", "messy",
      "收款 日期 typed every way: an Excel date, serial 46086 (and 46086.6), `2026-03-05`, `2026/3/5`, "
      "`2026.3.5`, `2026年3月5日`, `20260305` (text and number), `2026-03-05 14:30:00`, a date-time "
      "cell, full-width digits; each row a different amount.")
def _messy_dates() -> bytes:
    s = base()
    s["收款"] = [P_HEAD] + [[v, "C001", None, 10 + i, "现金", None, None, None, None]
                            for i, (v, _) in enumerate(MESSY_DATE_CASES)]
    return book_bytes(s)


@case("messy_ids.xlsx", "messy",
      "客户编号 typed `c001`, `ｃ００１`, ` C001 `, `C００1` and 核销单号 `xs001` / `ｘｓ００２`: "
      "all match case- and width-insensitively, no warning.")
def _messy_ids() -> bytes:
    s = base()
    put(s, "销售", 2, "客户编号", "c001")
    put(s, "销售", 3, "客户编号", "ｃ００１")
    put(s, "销售", 4, "客户编号", " c002 ")
    put(s, "收款", 2, "客户编号", "C００1")
    put(s, "收款", 2, "核销单号", "xs001")
    put(s, "收款", 3, "核销单号", "ｘｓ００２")
    put(s, "对账记录", 2, "客户编号", "c002\t")
    return book_bytes(s)


@case("messy_numeric_ids.xlsx", "messy",
      "客户编号 typed as numbers in 客户 (1001, 1002.0, 1003) and as text elsewhere (`1001`, `１００２`, "
      "` 1003`); 单号 typed as numbers 20260001…20260003.")
def _messy_numeric_ids() -> bytes:
    s = base()
    for r, cid in ((2, 1001), (3, 1002.0), (4, 1003)):
        put(s, "客户", r, "客户编号", cid)
    for r, cid, inv in ((2, "1001", 20260001), (3, "1001", 20260001), (4, "１００２", 20260002),
                        (5, " 1003", 20260003)):
        put(s, "销售", r, "客户编号", cid)
        put(s, "销售", r, "单号", inv)
    put(s, "收款", 2, "客户编号", 1001)
    put(s, "收款", 2, "核销单号", "20260001")
    put(s, "收款", 3, "客户编号", "1002")
    put(s, "收款", 3, "核销单号", 20260002)
    put(s, "对账记录", 2, "客户编号", 1002)
    return book_bytes(s)


@case("messy_layout.xlsx", "messy",
      "销售 under two title rows, starting at column B, columns reordered, extra columns "
      "(序号, 经手人), blank rows inside, a note-only row and a 合计 row with no required cell.")
def _messy_layout() -> bytes:
    s = base()
    head = ["序号", "金额", "客户编号", "单号", "经手人", "日期", "商品", "数量", "单价", "备注"]
    s["销售"] = [
        ["王记五金 2026 年销售台账", None, None, None, None, None, None, None, None, None],
        [None, None, None, None, None, None, None, None, None, "单位：元"],
        head,
        [1, 50, "C001", "XS001", "小王", D(2026, 3, 5), "P01", 100, 0.5, None],
        [2, 20, "C001", "XS001", "小王", D(2026, 3, 5), "P02", 10, 2, None],
        [None] * 10,
        [None, None, None, None, None, None, None, None, None, "下面是三月份"],
        [3, 490, "C002", "XS002", "小李", D(2026, 3, 6), "水泥", 20, 24.5, None],
        [None] * 10,
        [None] * 10,
        [4, None, "C003", "XS003", None, D(2026, 4, 1), "油漆", 2, 120, None],
        [None, 800, None, None, None, None, "合计", None, None, None],
    ]
    return book_bytes(s, origin={"销售": (0, 1)})


#: messy_layout.xlsx 销售: sheet row → (单号, 金额 分)
MESSY_LAYOUT_ROWS = {4: ("XS001", 5000), 5: ("XS001", 2000), 8: ("XS002", 49000), 11: ("XS003", 24000)}


@case("messy_english.xlsx", "messy",
      "A `--lang en` book: English sheet names, English headers and English choice values "
      "(WeChat, Bank transfer, Frozen, Yes, Expense, Agreed).",
      (("sales.frozen_customer", W, "Sales!C4"),))
def _messy_english() -> bytes:
    return book_bytes(english_book())


def english_book() -> Sheets:
    """The base book in English."""
    return {
        "Settings": [["Item", "Value"], ["shop_name", "Wang's Hardware"], ["fiscal_year", 2026]],
        "Customers": [
            ["Customer ID", "Name", "Contact", "Phone", "Credit limit", "Terms (days)", "Credit status",
             "Aliases", "Opening balance"],
            ["C001", "Zhang Hardware", "Zhang", "138", 5000, 30, "Normal", "Lao Zhang", 0],
            ["C002", "Li Building", "Li", "139", None, None, "Frozen", None, 1200.5],
        ],
        "Sales": [
            ["Date", "Invoice no", "Customer ID", "Item", "Quantity", "Unit price", "Discount", "Amount",
             "Due date", "Notes"],
            [D(2026, 3, 5), "INV-001", "C001", "Screws", 100, 0.5, None, 50, None, None],
            [D(2026, 3, 5), "INV-001", "C001", "Nails", 10, 2, None, 20, None, None],
            [D(2026, 3, 6), "INV-002", "C002", "Cement", 20, 25, 10, None, None, None],
        ],
        "Payments": [
            ["Date", "Customer ID", "Payer", "Amount", "Method", "Txn ID", "Applies to", "Source", "Notes"],
            [D(2026, 3, 10), None, "Lao Zhang", 70, "WeChat", "WX001", "INV-001", "Manual", None],
            [D(2026, 3, 20), "C002", None, "490.00", "Bank transfer", None, None, "Bank statement", None],
        ],
        "Expenses": [
            ["Date", "Category", "Payee", "Amount", "Method", "Has invoice", "Txn ID"],
            [D(2026, 3, 1), "Rent", "Landlord", 3000, "Bank transfer", "Yes", None],
        ],
        "Budget": [
            ["Category", "Kind", *[f"m{m:02d}" for m in range(1, 13)], "Total"],
            ["房租", "Expense", *[3000] * 12, 36000],
        ],
        "Confirmations": [
            ["Customer ID", "As of", "Sent on", "Confirmed on", "Confirmed balance", "Result"],
            ["C002", D(2026, 3, 31), None, None, 1200.5, "Agreed"],
        ],
    }


@case("messy_english_errors.xlsx", "bad",
      "An English book with a bad amount and an unknown customer (messages in English with --lang en).",
      (("cell.bad_money", E, "Sales!H3"), ("ref.unknown_customer", E, "Payments!B3"),
       ("sales.frozen_customer", W, "Sales!C4")))
def _english_errors() -> bytes:
    s = english_book()
    put(s, "Sales", 3, "Amount", "twenty")
    put(s, "Payments", 3, "Customer ID", "C777")
    return book_bytes(s)


@case("messy_aliases.xlsx", "messy",
      "Header aliases: 销售日期 / 销售单号 / 客户 / 品名 / 销售金额, 收款日期 / 交易对方 / 收款金额 / "
      "支付方式 / 交易单号, 客户代码 / 客户名 / 账期 / 期初余额, `金额（元）`, `*日期`, and an "
      "aliased sheet name is not needed (names stay 客户/销售/收款).")
def _messy_aliases() -> bytes:
    s = base()
    s["客户"][0] = ["客户代码", "客户名", "联系人", "联系电话", "信用额度", "账期", "信用状态", "付款人别名", "期初余额"]
    s["销售"][0] = ["销售日期", "销售单号", "客户", "品名", "数量", "单价（元）", "折扣", "销售金额", "到期日", "备注"]
    s["收款"][0] = ["*收款日期", "客户编号", "交易对方", "收款金额", "支付方式", "交易单号", "核销单号", "来源", "备注"]
    s["支出"][0] = ["日期", "类别", "收款方", "金额(元)", "方式", "有发票", "流水号", "来源", "备注"]
    return book_bytes(s)


@case("messy_merged.xlsx", "messy",
      "Invoice XS010 has three lines; its 日期, 单号 and 客户编号 cells are merged over rows 6-8 "
      "(filled down when read).")
def _messy_merged() -> bytes:
    s = base()
    for item, qty, price in (("P01", 10, 0.5), ("P02", 5, 2), ("锤子", 1, 35)):
        add(s, "销售", 日期=D(2026, 5, 8), 单号="XS004", 客户编号="C003", 商品=item, 数量=qty, 单价=price)
    # only the first cell of each merged range keeps its value
    for r in (7, 8):
        for h in ("日期", "单号", "客户编号"):
            put(s, "销售", r, h, None)
    return book_bytes(s, merges={"销售": [(5, 0, 7, 0), (5, 1, 7, 1), (5, 2, 7, 2)]})


@case("messy_table.xlsx", "messy",
      "销售 is an Excel Table over A1:J5; two more lines are typed below it (rows 6-7), "
      "after one blank row (row 8) one more (row 9): all read.")
def _messy_table() -> bytes:
    s = base()
    add(s, "销售", 日期=D(2026, 4, 2), 单号="XS004", 客户编号="C001", 商品="P01", 数量=4, 单价=0.5)
    add(s, "销售", 日期=D(2026, 4, 3), 单号="XS005", 客户编号="C002", 商品="P02", 数量=1, 单价=2)
    s["销售"].append([None] * 10)
    add(s, "销售", 日期=D(2026, 4, 4), 单号="XS006", 客户编号="C003", 金额="33.30")
    return book_bytes(s, tables={"销售": [(0, 0, 4, 9)]})


@case("messy_optional_only.xlsx", "messy",
      "销售 and 收款 rows where only optional cells are filled (备注, 商品, 付款人-less notes) are not data.")
def _messy_optional_only() -> bytes:
    s = base()
    add(s, "销售", 备注="以上为三月数据")
    add(s, "销售", 商品="赠品", 数量=1)
    add(s, "收款", 备注="待核对", 方式="微信")
    add(s, "客户", 电话="13900000000")
    return book_bytes(s)


@case("messy_numbers.xlsx", "messy",
      "Numbers as text: 数量 `１００` / `10` / `2.0e1`; 账期天数 `30天` / `60 days`; 信用额度 `5,000`, "
      "`￥20,000.00`; 单价 `0.5元`.")
def _messy_numbers() -> bytes:
    s = base()
    put(s, "销售", 2, "数量", "１００")
    put(s, "销售", 3, "数量", "10")
    put(s, "销售", 4, "数量", "2.0e1")
    put(s, "销售", 2, "单价", "0.5元")
    put(s, "销售", 5, "数量", "2")
    put(s, "客户", 2, "账期天数", "30天")
    put(s, "客户", 4, "账期天数", "60 days")
    put(s, "客户", 2, "信用额度", "5,000")
    put(s, "客户", 4, "信用额度", "￥20,000.00")
    return book_bytes(s)


@case("messy_macro.xlsm", "messy",
      "The base book saved macro-enabled (.xlsm with an xl/vbaProject.bin, as a book with an "
      "Excel button is): read like any .xlsx.")
def _messy_macro() -> bytes:
    return book_bytes(base(), vba=ole_file({"VBA": b"Attribute VB_Name = \"sheetbook\"\r\n"}))


@case("messy_budget_category.xlsx", "messy",
      "支出 类别 `招待费` is not in the standard list but is named in 预算, so it is allowed.")
def _messy_budget_category() -> bytes:
    s = base()
    put(s, "支出", 3, "类别", "招待费")
    s["预算"].append(["招待费", "支出", *[200] * 12, 2400])
    return book_bytes(s)


@case("messy_settings.xlsx", "messy",
      "设置 typed loosely: 销售额含税 `N`, 有无综合所得 `有`, 核定应税所得率 `10%`, 账龄分段 "
      "`30，60，90，180` (full-width commas), 会计年度 2026.0, 个税征收方式 English `deemed_rate`, "
      "items with a trailing `*` and spaces.")
def _messy_settings() -> bytes:
    s = base()
    s["设置"] = [["项目", "值"], ["店铺名称 ", "王记五金"], ["会计年度", 2026.0], ["销售额含税", "N"],
               ["有无综合所得", "有"], ["核定应税所得率", "10%"], ["账龄分段", "30，60，90，180"],
               ["个税征收方式*", "deemed_rate"], ["所在地区", "县城镇"], ["定额月税额", "￥300"]]
    return book_bytes(s)


# ------------------------------------------------------------------------------ non-book files


def _good_bytes() -> bytes:
    return book_bytes(base())


@case("empty.xlsx", "file", "0 bytes.", stderr=("空", "empty"))
def _empty() -> bytes:
    return b""


@case("random_bytes.xlsx", "file", "4 KiB of random bytes (not a zip).", stderr=("不是", "not"))
def _random() -> bytes:
    return random.Random(7).randbytes(4096)


@case("truncated.xlsx", "file", "The first half of good.xlsx (a cut-off download).", stderr=("损坏", "damaged"))
def _truncated() -> bytes:
    data = _good_bytes()
    return data[: len(data) // 2]


_CSV_ROWS = "日期,单号,客户编号,金额\n2026-03-05,XS001,C001,70\n2026-03-06,XS002,C002,490\n"


@case("csv_utf8.xlsx", "file", "A UTF-8 CSV (with BOM) renamed .xlsx.", stderr=("csv",))
def _csv_utf8() -> bytes:
    return _CSV_ROWS.encode("utf-8-sig")


@case("csv_gbk.xlsx", "file", "A GBK CSV (as saved by Chinese Excel) renamed .xlsx.", stderr=("csv",))
def _csv_gbk() -> bytes:
    return _CSV_ROWS.encode("gbk")


@case("html_table.xlsx", "file", "An HTML table saved as .xlsx (what many web systems export).",
      stderr=("html",))
def _html() -> bytes:
    return ("<html><body><table><tr><td>日期</td><td>金额</td></tr>"
            "<tr><td>2026-03-05</td><td>70</td></tr></table></body></html>").encode()


@case("legacy.xls", "file", "A legacy Excel 97-2003 file: an OLE compound file with a BIFF8 Workbook stream.",
      stderr=(".xls", "xlsx"))
def _legacy() -> bytes:
    return ole_file({"Workbook": biff8_workbook()})


@case("ole_magic_only.xls", "file", "The 8-byte OLE signature and zero padding (a broken .xls).",
      stderr=(".xls", "xlsx"))
def _ole_magic() -> bytes:
    return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 1016


@case("ods_renamed.xlsx", "file", "An OpenDocument spreadsheet (mimetype + content.xml) renamed .xlsx.",
      stderr=("ods", "opendocument"))
def _ods() -> bytes:
    return make_zip([
        ("mimetype", b"application/vnd.oasis.opendocument.spreadsheet"),
        ("META-INF/manifest.xml", b'<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
                                  b'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"/>'),
        ("content.xml", b'<?xml version="1.0" encoding="UTF-8"?><office:document-content '
                        b'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"/>'),
    ], method=zipfile.ZIP_STORED)


@case("docx_renamed.xlsx", "file", "A Word .docx (a zip without xl/workbook.xml) renamed .xlsx.",
      stderr=("xlsx",))
def _docx() -> bytes:
    return make_zip([
        ("[Content_Types].xml", b'<?xml version="1.0" encoding="UTF-8"?><Types '
                                b'xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>'),
        ("word/document.xml", b'<?xml version="1.0" encoding="UTF-8"?><w:document '
                              b'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"/>'),
    ])


@case("xlsb_renamed.xlsx", "file", "A binary .xlsb workbook (xl/workbook.bin) renamed .xlsx.",
      stderr=("xlsb",))
def _xlsb() -> bytes:
    return make_zip([("[Content_Types].xml", b"<Types/>"), ("xl/workbook.bin", b"\x83\x01\x00")])


@case("encrypted.xlsx", "file",
      f"good.xlsx encrypted with the password `{PASSWORD}` (Excel's agile encryption); "
      "no password or a wrong one: exit 2; the right one via --password or SHEETBOOK_PASSWORD: reads.",
      stderr=("密码", "password"))
def _encrypted() -> bytes:
    return encrypt(_good_bytes())


@case("missing_sheet_payments.xlsx", "file", "The book has 客户 and 销售 but no 收款 sheet.",
      stderr=("收款", "payments"))
def _missing_payments() -> bytes:
    s = base()
    del s["收款"]
    return book_bytes(s)


@case("missing_sheet_customers.xlsx", "file", "The book has no 客户 sheet (renamed 客户名单).",
      stderr=("客户", "customers"))
def _missing_customers() -> bytes:
    s = base()
    s = {("客户名单" if k == "客户" else k): v for k, v in s.items()}
    return book_bytes(s)


@case("bomb_declared.xlsx", "file",
      "A zip-bomb shape: the 客户 sheet part declares 3 GiB uncompressed (the file is a few KB).",
      stderr=("zip", "炸弹", "bomb"))
def _bomb_declared() -> bytes:
    data = _good_bytes()
    return set_declared_size(data, sheet_part(data, "客户"), 3 << 30)


@case("bomb_total.xlsx", "file",
      "Three parts each declare 0.9 GiB: no single part is over the limit, together they are.",
      stderr=("zip", "炸弹", "bomb"))
def _bomb_total() -> bytes:
    data = _good_bytes()
    for sheet in ("客户", "销售", "收款"):
        data = set_declared_size(data, sheet_part(data, sheet), 900 << 20)
    return data


@case("bomb_lying.xlsx", "file",
      "The 销售 part is a deflate stream of 5 MiB of spaces (a few KB on disk) whose headers "
      "declare 4 KiB: inflating must stop, not trust the header.",
      stderr=("zip", "炸弹", "bomb", "损坏", "damaged"))
def _bomb_lying() -> bytes:
    data = _good_bytes()
    part = sheet_part(data, "销售")
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        xml = z.read(part)
    pad = b" " * (5 << 20)
    huge = xml.replace(b"<sheetData>", b"<sheetData>" + pad, 1)
    data = patch_zip(data, part, lambda _: huge)
    return set_declared_size(data, part, 4096)


_LOL = ('<!DOCTYPE worksheet [<!ENTITY lol "lol">'
        + "".join(f'<!ENTITY lol{i} "' + (f"&lol{i - 1};" if i > 1 else "&lol;") * 10 + '">'
                  for i in range(1, 10)) + "]>").encode()


def _with_entities(prolog_pad: bytes) -> bytes:
    data = _good_bytes()
    part = sheet_part(data, "客户")

    def fn(xml: bytes) -> bytes:
        xml = xml.replace(b"?>", b"?>" + prolog_pad + _LOL, 1)
        return re.sub(rb'<c r="B2" t="s"><v>\d+</v></c>', b'<c r="B2" t="inlineStr"><is><t>&lol9;</t></is></c>',
                      xml, count=1)

    return patch_zip(data, part, fn)


@case("entity_expansion.xlsx", "file",
      "The 客户 sheet XML declares a DOCTYPE with nested entities (billion laughs) and uses &lol9;.",
      stderr=("doctype", "实体", "entit"))
def _entities() -> bytes:
    return _with_entities(b"")


@case("entity_expansion_late.xlsx", "file",
      "As entity_expansion.xlsx, but the DOCTYPE comes after a 5 KB comment in the prolog.",
      stderr=("doctype", "实体", "entit", "无法读取", "cannot be read"))
def _entities_late() -> bytes:
    return _with_entities(b"<!--" + b"x" * 5000 + b"-->")


@case("broken_workbook_xml.xlsx", "file", "A zip with the book's parts but xl/workbook.xml is not XML.",
      stderr=("无法读取", "cannot be read", "损坏", "damaged"))
def _broken_workbook_xml() -> bytes:
    return patch_zip(_good_bytes(), "xl/workbook.xml", lambda x: x[: len(x) // 2])


# ------------------------------------------------------------------------------ test-time files


def many_entries_zip(n: int = 10_001) -> bytes:
    """A zip with ``n`` tiny parts besides a workbook's (over the 10,000-entry limit); ~1 MB."""
    with zipfile.ZipFile(io.BytesIO(_good_bytes())) as z:
        entries = [(i.filename, z.read(i)) for i in z.infolist()]
    entries += [(f"x/{i}", b"") for i in range(n)]
    return make_zip(entries, method=zipfile.ZIP_STORED)


# ------------------------------------------------------------------------------ reading (cached)

DATA = Path(__file__).parent / "data"


@functools.cache
def validated(name: str):
    """(book, problems) of a committed corpus book, read and validated once per test session.

    Shared by the test modules: callers must not change the book (read it afresh to do that).
    """
    from sheetbook.reader import read_book
    from sheetbook.validate import validate

    book = read_book(DATA / name)
    return book, tuple(validate(book, today=TODAY))


# ------------------------------------------------------------------------------ running the CLI

#: Memory the CLI may use on any file (peak resident set size).
PEAK_LIMIT = 2 << 30
_LAUNCH = (
    "import resource, runpy, sys\n"
    "lim = int(sys.argv.pop(1))\n"
    "resource.setrlimit(resource.RLIMIT_AS, (lim, lim))\n"
    "sys.argv[0] = 'sheetbook'\n"
    "runpy.run_module('sheetbook', run_name='__main__', alter_sys=True)\n"
)


@dataclass(frozen=True)
class CliRun:
    """What one run of ``python -m sheetbook …`` did."""

    args: tuple[str, ...]
    code: int
    stdout: str
    stderr: str
    seconds: float
    peak_bytes: int

    @property
    def stderr_lines(self) -> list[str]:
        """Non-empty lines written to stderr."""
        return [line for line in self.stderr.splitlines() if line.strip()]


def cli_env(**extra: str) -> dict[str, str]:
    """The environment for a CLI run: no password or debug switch leaking in from outside."""
    import os

    env = {k: v for k, v in os.environ.items() if k not in ("SHEETBOOK_PASSWORD", "SHEETBOOK_DEBUG")}
    env["PYTHONIOENCODING"] = "utf-8"
    env.update(extra)
    return env


def run_cli(*args: str, env: dict[str, str] | None = None, timeout: float = 60,
            address_space: int = 4 << 30) -> CliRun:
    """Run the real CLI (``python -m sheetbook``) in a child process.

    The child's address space is capped (a safety net: a runaway read fails instead of eating the
    machine) and its peak RSS is measured with ``wait4``; the run is killed after ``timeout``.
    """
    import os
    import subprocess
    import tempfile
    import time

    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.monotonic()
        proc = subprocess.Popen([sys.executable, "-c", _LAUNCH, str(address_space), *args],
                                stdin=subprocess.DEVNULL, stdout=out, stderr=err,
                                env=env if env is not None else cli_env())
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.monotonic() - start > timeout:
                proc.kill()
                os.wait4(proc.pid, 0)
                proc.returncode = -9
                raise TimeoutError(f"sheetbook {' '.join(args)} ran over {timeout} s")
            time.sleep(0.02)
        seconds = time.monotonic() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return CliRun(tuple(args), proc.returncode, out.read().decode("utf-8", "replace"),
                      err.read().decode("utf-8", "replace"), seconds, usage.ru_maxrss * 1024)


# ------------------------------------------------------------------------------ build


def by_name(name: str) -> Case:
    """The case with this file name."""
    for c in CASES:
        if c.name == name:
            return c
    raise KeyError(name)


def build(c: Case, out: Path) -> Path:
    """Write one case's file into ``out``."""
    path = out / c.name
    path.write_bytes(c.build())
    return path


def build_all(out: str | Path) -> list[Path]:
    """Write every case into ``out`` and its README.md; returns the files written."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    paths = [build(c, out) for c in CASES]
    (out / "README.md").write_text(readme(), encoding="utf-8")
    return paths


def readme() -> str:
    """tests/data/README.md: each file, what is wrong with it, what sheetbook must say."""
    lines = [
        "# The acceptance corpus (generated — do not edit)",
        "",
        "Built by `python tests/corpus.py --out tests/data` from the literal rows in",
        "`tests/corpus.py`. The base book (`good.xlsx`) has every input sheet and no problem;",
        "each bad book changes a cell or two of it. `where` is `sheet!cell`, or the sheet for a",
        "problem about a whole sheet. Library tests validate with today = "
        f"{TODAY.isoformat()}; the CLI is run with `--no-write`.",
        "",
        "Larger hostile files (10,001 zip entries, missing file, a folder) are made at test time",
        "in a temporary folder, not committed.",
        "",
    ]
    titles = {"bad": "Bad books (readable; exactly these problems)",
              "messy": "Valid but messy books (exact values asserted in tests/test_messy_books.py)",
              "file": "Files that are not readable books (CLI exit 2, one line on stderr)"}
    for kind in ("bad", "messy", "file"):
        lines += [f"## {titles[kind]}", ""]
        if kind == "file":
            lines += ["| file | what is wrong | exit |", "|---|---|---|"]
        else:
            lines += ["| file | what is in it | expected problems (code, severity, where) | exit |",
                      "|---|---|---|---|"]
        for c in CASES:
            if c.kind != kind:
                continue
            what = c.what.replace("|", "\\|")
            if kind == "file":
                lines.append(f"| `{c.name}` | {what} | {c.exit} |")
            else:
                exp = "<br>".join(f"`{code}` {sev} `{where}`" for code, sev, where in c.expect) or "none"
                if c.bug:
                    exp += "<br>**known bug** (test is xfail strict): " + c.bug.replace("|", "\\|")
                lines.append(f"| `{c.name}` | {what} | {exp} | {c.exit} |")
        lines.append("")
    return "\n".join(lines)


def fingerprint(data: bytes) -> object:
    """What must not change between two builds: zip entries (name, size, CRC), else the bytes."""
    if data[:4] == b"PK\x03\x04":
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as z:
                return [(i.filename, i.file_size, i.CRC) for i in z.infolist()]
        except zipfile.BadZipFile:
            pass
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" and len(data) > 4096:
        try:
            import msoffcrypto

            office = msoffcrypto.OfficeFile(io.BytesIO(data))
            if office.format == "ooxml" and office.is_encrypted():
                office.load_key(password=PASSWORD)
                out = io.BytesIO()
                office.decrypt(out)
                return ("encrypted", fingerprint(out.getvalue()))
        except Exception:  # noqa: BLE001 - not an encrypted book: compare bytes
            pass
    return hashlib.sha256(data).hexdigest()


def main(argv: list[str] | None = None) -> int:
    """``python tests/corpus.py --out tests/data``."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default=str(Path(__file__).parent / "data"), help="output folder")
    ap.add_argument("--clean", action="store_true", help="remove the folder's files first")
    args = ap.parse_args(argv)
    out = Path(args.out)
    if args.clean and out.exists():
        shutil.rmtree(out)
    paths = build_all(out)
    total = sum(p.stat().st_size for p in paths)
    print(f"{len(paths)} files, {total:,} bytes in {out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
