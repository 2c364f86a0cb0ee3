"""The I/O floor: the fast reader alone, then the bare writer, in a process of its own.

``python -m benchmarks.floor prepare BOOK SPECS``
    computes the result tabs ``sheetbook reconcile`` writes for BOOK (校验结果 plus the four
    reconcile tabs, with a fixed run time) and pickles them to SPECS. Not timed.

``python -m benchmarks.floor run BOOK SPECS``
    reads every input sheet of BOOK with python-calamine (cells as Python values, nothing
    converted or checked), then writes the pickled tabs into BOOK with
    :func:`sheetbook.writer.write_tabs`, exactly as the CLI would (atomic, with a backup).
    Prints one JSON object: ``read`` and ``write`` seconds, and ``load`` (the seconds spent
    unpickling the tabs, which the runner subtracts: they are not I/O). This process imports
    neither pandas nor any sheetbook module that needs it.
"""

from __future__ import annotations

import json
import pickle
import sys
import time
from pathlib import Path

#: the run time written in every banner, so the tabs are the same on every run
RUN_AT = (2026, 12, 4, 9, 0)


def prepare(book: Path, specs: Path) -> None:
    """Compute the tabs of ``sheetbook reconcile`` for ``book`` and pickle them."""
    import datetime as dt

    from sheetbook.pipeline import load, reconcile_job, tab_lang
    from sheetbook.validate import checks_tab

    now = dt.datetime(*RUN_AT)
    loaded = load(book, today=now.date())
    lang = tab_lang(loaded, None)
    tabs = [checks_tab(loaded.problems, loaded, lang, now)]
    job_tabs, _ = reconcile_job(None)(loaded, lang, now, now.date())
    tabs += job_tabs
    with specs.open("wb") as fh:
        pickle.dump(tabs, fh, protocol=pickle.HIGHEST_PROTOCOL)


def input_sheet_names(names: list[str]) -> list[str]:
    """The book's sheets that are input sheets of the layout (all but the guide and results)."""
    from sheetbook.layout import SHEETS
    from sheetbook.text import normalize_header

    known = {normalize_header(n) for s in SHEETS for n in (s.zh, s.en, *s.aliases)}
    return [n for n in names if normalize_header(n) in known]


def run(book: Path, specs: Path) -> dict:
    """Read every input sheet with calamine, then write the tabs; return the timings."""
    t0 = time.perf_counter()
    import python_calamine as pc

    wb = pc.CalamineWorkbook.from_path(str(book))
    cells = 0
    for name in input_sheet_names(list(wb.sheet_names)):
        rows = wb.get_sheet_by_name(name).to_python(skip_empty_area=False)
        cells += sum(map(len, rows))
    del wb, rows
    t1 = time.perf_counter()
    with specs.open("rb") as fh:
        tabs = pickle.load(fh)
    t2 = time.perf_counter()
    from sheetbook.writer import write_tabs

    write_tabs(book, tabs)
    t3 = time.perf_counter()
    return {"read": t1 - t0, "load": t2 - t1, "write": t3 - t2, "cells": cells,
            "rows_written": sum(len(t.rows) for t in tabs)}


def main(argv: list[str]) -> None:
    """Entry point (see the module docstring)."""
    what, book, specs = argv[0], Path(argv[1]), Path(argv[2])
    if what == "prepare":
        prepare(book, specs)
    elif what == "run":
        print(json.dumps(run(book, specs)))
    else:
        raise SystemExit(f"unknown command {what!r}")


if __name__ == "__main__":
    main(sys.argv[1:])
