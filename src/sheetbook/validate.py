"""The validate job: every problem of a book, by its cell, and the 校验结果 tab.

Stages, each adding problems to one list (nothing raises on bad data):
reading (:mod:`sheetbook.reader`) → schemas (:mod:`sheetbook.schemas`) → derived values
(:mod:`sheetbook.derive`) → cross-sheet checks (:mod:`sheetbook.checks`). Rows with an error are
then marked (``_ok`` = False) so the jobs run on valid rows only.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

from . import problems as P
from .checks import CHECKS
from .derive import derive_sales, resolve_customers
from .layout import INPUT_KEYS, SHEETS_BY_KEY, Lang
from .model import Book
from .schemas import check_schema
from .tabspec import Link, TabSpec, banner_text, standard_columns, tab_name


def validate(book: Book, today: dt.date | None = None) -> list[P.Problem]:
    """Run every check on a book read by :func:`sheetbook.reader.read_book`.

    Returns the sorted problems (also stored in ``book.problems``) and marks rows with errors
    so that :meth:`Book.valid` leaves them out.
    """
    today = today or dt.date.today()
    found = list(book.problems)
    for key in INPUT_KEYS:
        if key != "settings":
            found += check_schema(book, key)
    found += resolve_customers(book)
    found += derive_sales(book)
    for check in CHECKS:
        found += check(book, today)
    problems = dedupe(found)
    mark_rows(book, problems)
    problems.sort(key=P.sort_key)
    book.problems = problems
    return problems


def dedupe(problems: list[P.Problem]) -> list[P.Problem]:
    """One error per cell (the first found: a bad date is not also "required"), no exact repeats."""
    seen_cells: set[tuple[str, str]] = set()
    seen: set[tuple] = set()
    out = []
    for p in problems:
        sig = (p.code, p.sheet, p.cell, p.value)
        if sig in seen:
            continue
        if p.severity == "error" and p.cell:
            if (p.sheet, p.cell) in seen_cells:
                continue
            seen_cells.add((p.sheet, p.cell))
        seen.add(sig)
        out.append(p)
    return out


def mark_rows(book: Book, problems: list[P.Problem]) -> None:
    """Set ``_ok`` = False on every row that has an error."""
    by_name = {info.name: key for key, info in book.sheets.items() if info.name}
    bad: dict[str, set[int]] = {}
    for p in problems:
        if p.severity == "error" and p.row and p.sheet in by_name:
            bad.setdefault(by_name[p.sheet], set()).add(p.row)
    for key, rows in bad.items():
        frame = book.tables[key]
        if len(frame):
            frame["_ok"] = frame["_ok"] & ~frame["_row"].isin(rows)


def counts(problems: list[P.Problem]) -> dict[str, int]:
    """{"error": n, "warning": m}."""
    c = Counter(p.severity for p in problems)
    return {"error": c.get("error", 0), "warning": c.get("warning", 0)}


def left_out_note(book: Book, lang: Lang, keys: tuple[str, ...] = INPUT_KEYS) -> list[str]:
    """A banner note saying how many rows of these sheets were left out because of errors.

    Empty when none were: e.g. ``销售 3 行、收款 1 行因错误未计入（见 校验结果）``.
    """
    parts = []
    for key in keys:
        n = book.left_out(key) if key in book.tables else 0
        if n:
            name = book.sheet_name(key)
            parts.append(f"{name} {n} 行" if lang == "zh" else f"{n} {name} rows")
    if not parts:
        return []
    checks = tab_name("checks", lang)
    return ["、".join(parts) + f"因错误未计入（见 {checks}）" if lang == "zh"
            else " and ".join(parts) + f" left out because of errors (see {checks})"]


def checks_tab(problems: list[P.Problem], book: Book, lang: Lang,
               run_at: dt.datetime | None = None) -> TabSpec:
    """The 校验结果 tab: one row per problem, errors first, each cell a hyperlink to the problem."""
    sev = {"error": "错误", "warning": "警告"} if lang == "zh" else {"error": "Error", "warning": "Warning"}
    rows, styles = [], {}
    for i, p in enumerate(problems):
        cell: object = p.where
        if p.sheet and p.cell:
            cell = Link(p.where, p.sheet, p.cell)
        rows.append((sev[p.severity], p.sheet, cell, p.column, p.value, p.message(lang), p.fix(lang), p.code))
        styles[i] = "error" if p.severity == "error" else "warning"
    c = counts(problems)
    summary = (f"错误 {c['error']} 个，警告 {c['warning']} 个" if lang == "zh"
               else f"{c['error']} error(s), {c['warning']} warning(s)")
    return TabSpec(key="checks", name=tab_name("checks", lang), banner=banner_text(lang, run_at, [summary]),
                   columns=standard_columns("checks", lang), rows=rows, row_styles=styles)


def sheet_label(key: str, lang: Lang) -> str:
    """A layout sheet's name in a language."""
    return SHEETS_BY_KEY[key].name(lang)
