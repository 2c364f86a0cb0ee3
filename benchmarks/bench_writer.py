"""Writing a 100k-row result tab into a busy shop's book: sheetbook's writer vs openpyxl.

Usage::

    python benchmarks/bench_writer.py [--rows 100000] [--repeat 2] [--keep DIR]

Builds (once, with xlsxwriter) a book with 2,000 customers and ``--rows`` sales lines of 9
columns, then, each method in a fresh process and interleaved:

- ``sheetbook``: :func:`sheetbook.writer.write_tabs` adds an allocations-like tab of ``--rows``
  rows × 8 columns (date, int, three texts, money, text, money) to a copy of the book;
- ``openpyxl``: ``load_workbook`` + a new sheet with the same cells and number formats + ``save``;
- ``floor``: rendering the same tab's XML and deflating it in memory, no book at all (the least
  any writer must do).

Reports the median wall time and peak RSS of each, and the ratios.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CHILD = r"""
import datetime as dt, json, resource, sys, time, zlib
from pathlib import Path
method, book, out, n = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3]), int(sys.argv[4])

def tab_rows():
    start = dt.date(2026, 1, 1)
    return [[start + dt.timedelta(days=i % 365), i + 2, f"WX{i:010d}", f"C{i % 2000:04d}",
             f"INV{i:06d}", (i * 7919) % 10_000_000 - 5000, "先进先出", i * 13 % 100_000]
            for i in range(n)]

HEAD = ["收款日期", "收款行", "流水号", "客户编号", "单号", "核销金额", "规则", "未核销"]
KINDS = ["date", "int", "text", "text", "text", "money", "text", "money"]
t0 = time.perf_counter()
if method in ("sheetbook", "floor"):
    from sheetbook.tabspec import TabColumn, TabSpec, banner_text
    cols = tuple(TabColumn(f"c{i}", h, k, 12) for i, (h, k) in enumerate(zip(HEAD, KINDS)))
    spec = TabSpec("allocations", "核销明细", banner_text("zh"), cols, tab_rows())
    t0 = time.perf_counter()
    if method == "sheetbook":
        from sheetbook.writer import write_tabs
        write_tabs(book, [spec], out=out)
    else:
        from sheetbook.writer import sheetxml, styles, zipparts
        pal = styles.StyleSheet(None).palette()
        comp, size = zlib.compressobj(zipparts.COMPRESS_LEVEL, zlib.DEFLATED, -15), 0
        for chunk in sheetxml.render(spec, pal, None, "1565C0"):
            size += len(comp.compress(chunk))
        size += len(comp.flush())
else:
    import openpyxl
    rows = tab_rows()
    t0 = time.perf_counter()
    wb = openpyxl.load_workbook(book)
    ws = wb.create_sheet("核销明细")
    ws.append(["由 sheetbook 生成"])
    ws.append(HEAD)
    fmts = {"date": "yyyy-mm-dd", "int": "0", "money": "¥#,##0.00"}
    for r in rows:
        vals = [v / 100 if k == "money" else v for v, k in zip(r, KINDS)]
        ws.append(vals)
    for j, k in enumerate(KINDS):
        if k in fmts:
            for (cell,) in ws.iter_rows(min_row=3, min_col=j + 1, max_col=j + 1):
                cell.number_format = fmts[k]
    wb.save(out)
elapsed = time.perf_counter() - t0
print(json.dumps({"seconds": elapsed,
                  "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def build_book(path: Path, rows: int) -> None:
    """A book like a busy shop's year: 2,000 customers and ``rows`` sales lines."""
    import datetime as dt

    import xlsxwriter

    wb = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    date = wb.add_format({"num_format": "yyyy-mm-dd"})
    money = wb.add_format({"num_format": "#,##0.00"})
    cust = wb.add_worksheet("客户")
    cust.write_row(0, 0, ["客户编号", "客户名称", "账期天数"])
    for i in range(2000):
        cust.write_row(i + 1, 0, [f"C{i:04d}", f"客户{i}", 30])
    sales = wb.add_worksheet("销售")
    sales.write_row(0, 0, ["日期", "单号", "客户编号", "商品", "数量", "单价", "折扣", "金额", "备注"])
    start = dt.datetime(2026, 1, 1)
    for i in range(rows):
        r = i + 1
        sales.write_datetime(r, 0, start + dt.timedelta(days=i % 365), date)
        sales.write_row(r, 1, [f"INV{i:06d}", f"C{i % 2000:04d}", f"商品{i % 300}", 1 + i % 9])
        sales.write_number(r, 5, 10 + i % 90 + 0.5, money)
        sales.write_number(r, 6, 0, money)
        sales.write_number(r, 7, (1 + i % 9) * (10 + i % 90 + 0.5), money)
        sales.write_string(r, 8, "")
    wb.close()


def run(method: str, book: Path, out: Path, rows: int) -> dict:
    """One measurement in a fresh Python process."""
    res = subprocess.run([sys.executable, "-c", CHILD, method, str(book), str(out), str(rows)],
                         check=True, capture_output=True, text=True)
    return json.loads(res.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print the medians and ratios."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=100_000)
    ap.add_argument("--repeat", type=int, default=2)
    ap.add_argument("--keep", type=Path, default=None, help="keep the books in this folder")
    ap.add_argument("--skip-openpyxl", action="store_true")
    args = ap.parse_args(argv)
    tmp = Path(tempfile.mkdtemp(prefix="bench-writer-")) if args.keep is None else args.keep
    tmp.mkdir(parents=True, exist_ok=True)
    book = tmp / f"shop-{args.rows}.xlsx"
    if not book.exists():
        t = time.perf_counter()
        build_book(book, args.rows)
        print(f"built {book.name} ({book.stat().st_size / 1e6:.1f} MB) in {time.perf_counter() - t:.1f} s")
    methods = ["floor", "sheetbook"] + ([] if args.skip_openpyxl else ["openpyxl"])
    results: dict[str, list[dict]] = {m: [] for m in methods}
    for i in range(args.repeat):
        for m in methods:
            r = run(m, book, tmp / f"out-{m}.xlsx", args.rows)
            results[m].append(r)
            print(f"run {i + 1} {m:10s} {r['seconds']:7.2f} s {r['rss_mb']:7.0f} MB", flush=True)
    med = {m: (statistics.median(r["seconds"] for r in rs), max(r["rss_mb"] for r in rs))
           for m, rs in results.items()}
    print(f"\n{args.rows:,} sales lines in the book; a {args.rows:,} × 8 result tab written")
    for m, (sec, rss) in med.items():
        print(f"  {m:10s} median {sec:7.2f} s   peak RSS {rss:7.0f} MB")
    if "openpyxl" in med:
        print(f"  openpyxl / sheetbook: {med['openpyxl'][0] / med['sheetbook'][0]:.1f}x time, "
              f"{med['openpyxl'][1] / med['sheetbook'][1]:.1f}x memory")
    print(f"  sheetbook / floor: {med['sheetbook'][0] / med['floor'][0]:.2f}x time")
    if args.keep is None:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
