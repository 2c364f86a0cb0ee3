"""The naive path: pandas + openpyxl, as a first version of sheetbook would have been written.

``python -m benchmarks.naive BOOK``

1. read: ``pandas.read_excel(engine="openpyxl")`` of every input sheet (one ``ExcelFile``, so the
   workbook is opened once);
2. compute: the same jobs as ``sheetbook reconcile`` — the frames' rows go through sheetbook's
   own header finding and cell conversion (:class:`sheetbook.reader.SheetReader`), then
   validation, reconciliation and the result tabs;
3. write: ``openpyxl.load_workbook`` of the book, the same tabs written as plain cells (money as
   元 floats, links as their text, no styles), ``save`` over the book.

Prints one JSON object with the seconds of each step. Run it on a copy: it overwrites BOOK.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
import time
from decimal import Decimal
from pathlib import Path

RUN_AT = dt.datetime(2026, 12, 4, 9, 0)


def read_rows(book: Path) -> dict[str, list[list[object]]]:
    """Every input sheet as rows of cell values, through pandas.read_excel with openpyxl."""
    import pandas as pd

    from benchmarks.floor import input_sheet_names

    out = {}
    with pd.ExcelFile(book, engine="openpyxl") as xl:
        for name in input_sheet_names(list(xl.sheet_names)):
            frame = pd.read_excel(xl, sheet_name=name, header=None, dtype=object)
            frame = frame.astype(object).where(frame.notna(), "")  # blank cells as calamine gives them
            out[name] = frame.values.tolist()
    return out


def compute(book: Path, sheets: dict[str, list[list[object]]]):
    """The typed tables, problems and result tabs of ``sheetbook reconcile``, from those rows."""
    from sheetbook import problems as P
    from sheetbook.layout import SHEETS
    from sheetbook.model import Book, SheetInfo
    from sheetbook.pipeline import reconcile_job
    from sheetbook.reader import SheetReader, empty_table, latest_year, match_sheets, read_settings
    from sheetbook.validate import checks_tab, validate

    names = list(sheets)
    found, lang = match_sheets(names)
    problems: list[P.Problem] = []
    tables, infos = {}, {}
    for sheet in SHEETS:
        name = found.get(sheet.key)
        if name is None:
            tables[sheet.key], infos[sheet.key] = empty_table(sheet), SheetInfo(key=sheet.key)
            continue
        reader = SheetReader(sheet, name, sheets[name], problems)
        tables[sheet.key], infos[sheet.key] = reader.read(set()), reader.info
    settings = read_settings(tables["settings"], infos["settings"], problems)
    loaded = Book(path=book, lang=lang, settings=settings,
                  fiscal_year=settings.fiscal_year or latest_year(tables), tables=tables,
                  sheets=infos, problems=problems, sheet_order=names)
    validate(loaded, today=RUN_AT.date())
    tabs = [checks_tab(loaded.problems, loaded, lang, RUN_AT)]
    job_tabs, _ = reconcile_job(None)(loaded, lang, RUN_AT, RUN_AT.date())
    return tabs + job_tabs


def plain(value: object, kind: str) -> object:
    """A tab value as a plain openpyxl cell value."""
    if value is None or value == "":
        return None
    if kind == "money":
        return int(value) / 100
    if isinstance(value, Decimal):
        return float(value)
    if hasattr(value, "text") and hasattr(value, "cell"):  # a Link
        return value.text
    return value


def write(book: Path, tabs) -> None:
    """Load the whole book with openpyxl, add the tabs as plain cells, save it."""
    import openpyxl

    wb = openpyxl.load_workbook(book)
    for tab in tabs:
        ws = wb.create_sheet(tab.name)
        ws.append([tab.banner])
        ws.append([c.header for c in tab.columns])
        kinds = [c.kind for c in tab.columns]
        for row in tab.rows:
            ws.append([plain(v, k) for v, k in zip(row, kinds)])
    wb.save(book)


def main(argv: list[str]) -> None:
    """Entry point (see the module docstring)."""
    book = Path(argv[0])
    t0 = time.perf_counter()
    sheets = read_rows(book)
    t1 = time.perf_counter()
    tabs = compute(book, sheets)
    del sheets
    t2 = time.perf_counter()
    write(book, tabs)
    t3 = time.perf_counter()
    print(json.dumps({"read": t1 - t0, "compute": t2 - t1, "write": t3 - t2,
                      "rows_written": sum(len(t.rows) for t in tabs)}))


if __name__ == "__main__":
    main(sys.argv[1:])
