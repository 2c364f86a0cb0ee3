"""Reading a book: every input sheet into a typed table that remembers its cells.

The lenient rules of ``shared/WORKBOOK.md`` live here: sheets and headers found by name
(Chinese, English or an alias) rather than position, the header anywhere in the first rows,
extra columns ignored, blank rows skipped, merged cells filled down, and every value converted
by :mod:`sheetbook.cells`. Nothing here raises on bad data: an unreadable cell becomes a
problem naming it and leaves its row out of the jobs. Only a book that cannot be read at all
raises (see :mod:`sheetbook.container`).

The fast reader (python-calamine) reads the cells; the raw XML of a sheet is scanned only when
it holds formulas, to find those with no cached value (which calamine reports as empty).
"""

from __future__ import annotations

import datetime as dt
import math
import re
import zipfile
from collections.abc import Sequence
from pathlib import Path

import pandas as pd
import python_calamine as pc

from . import problems as P
from .cells import BAD_CODES, convert, is_blank, parse_percent, shown
from .container import (
    OpenedBook,
    Prefetch,
    error_matches,
    match_sheets,
    no_value_matches,
    open_book,
)
from .container import sheet_aliases as sheet_aliases  # re-exported: the reader's API
from .errors import MissingSheetError, NotAWorkbookError
from .layout import SETTINGS, SHEETS, SHEETS_BY_KEY, Setting, Sheet
from .model import Book, Settings, SheetInfo
from .text import clean_text, column_letter, normalize_header, normalize_id

HEADER_SCAN_ROWS = 30
EXCEL_MAX_ROWS = 1_048_576


def _header_keys(sheet: Sheet) -> dict[str, str]:
    table: dict[str, str] = {}
    for col in sheet.columns:
        for spelling in (col.zh, col.en, *col.aliases):
            table.setdefault(normalize_header(spelling), col.key)
    return table


def find_header(sheet: Sheet, rows: Sequence[Sequence[object]]) -> tuple[int, dict[str, int], list[str]]:
    """Find the header row: the row among the first ones naming the most known columns.

    Returns (0-based row index or -1, column key → 0-based column index, the duplicate headers
    as (key, 0-based column index of the ignored copy)).
    """
    names = _header_keys(sheet)
    best = (-1, {}, [])
    best_score = 0
    for r, row in enumerate(rows[:HEADER_SCAN_ROWS]):
        mapping: dict[str, int] = {}
        dups: list[tuple[str, int]] = []
        for c, value in enumerate(row):
            if not isinstance(value, str):
                continue
            key = names.get(normalize_header(value))
            if key is None:
                continue
            if key in mapping:
                dups.append((key, c))
            else:
                mapping[key] = c
        required_hits = sum(1 for k in sheet.required_keys if k in mapping)
        score = len(mapping) + required_hits
        if score > best_score and (required_hits or len(mapping) >= 2):
            best, best_score = (r, mapping, dups), score
    return best


def _fill_merged(rows: list[list[object]], merged: Sequence) -> None:
    for rng in merged or ():
        (r0, c0), (r1, c1) = rng
        if r0 >= len(rows):
            continue
        value = rows[r0][c0] if c0 < len(rows[r0]) else ""
        for r in range(r0, min(r1, len(rows) - 1) + 1):
            for c in range(c0, c1 + 1):
                if c < len(rows[r]) and (r, c) != (r0, c0) and is_blank(rows[r][c]):
                    rows[r][c] = value


def formulas_without_value(xml: bytes) -> list[tuple[str, int]]:
    """Cells (letters, row) holding a formula with no cached value in a sheet's XML."""
    return no_value_matches(xml)


def error_cells(xml: bytes) -> dict[tuple[str, int], str]:
    """Cells (letters, row) holding an Excel error value (``#N/A`` …) → that value."""
    return {(letter, row): value for letter, row, value in error_matches(xml)}


def _sheet_parts(opened: OpenedBook) -> dict[str, str]:
    """Sheet name → its worksheet part path inside the zip."""
    with zipfile.ZipFile(opened.source()) as zf:
        wb = zf.read("xl/workbook.xml").decode("utf-8", "replace")
        rels = zf.read("xl/_rels/workbook.xml.rels").decode("utf-8", "replace")
    targets = {}
    for m in re.finditer(r"<Relationship\b[^>]*>", rels):
        tag = m.group(0)
        rid = re.search(r'Id="([^"]+)"', tag)
        tgt = re.search(r'Target="([^"]+)"', tag)
        if rid and tgt:
            t = tgt.group(1)
            targets[rid.group(1)] = t.lstrip("/") if t.startswith("/") else "xl/" + t
    out = {}
    for m in re.finditer(r"<(?:\w+:)?sheet\b[^>]*>", wb):
        tag = m.group(0)
        name = re.search(r'name="([^"]*)"', tag)
        rid = re.search(r'r:id="([^"]+)"|\bid="([^"]+)"', tag)
        if name and rid:
            from html import unescape

            out[unescape(name.group(1))] = targets.get(rid.group(1) or rid.group(2), "")
    return out


class SheetReader:
    """Reads one input sheet into a typed table plus problems."""

    def __init__(self, sheet: Sheet, name: str, rows: list[list[object]], problems: list[P.Problem]):
        self.sheet, self.name, self.rows, self.problems = sheet, name, rows, problems
        self.info = SheetInfo(key=sheet.key, name=name)

    def read(self, no_value_cells: set[tuple[str, int]],
             errors: dict[tuple[str, int], str] | None = None) -> pd.DataFrame:
        """Find the header, pick the data rows, convert each column.

        ``no_value_cells`` hold formulas without a cached value (a warning each); ``errors`` hold
        Excel error values such as ``#N/A`` (an error each). Both read as empty cells, but count
        as filled when deciding which rows are data.
        """
        sheet, rows = self.sheet, self.rows
        errors = errors or {}
        hdr, mapping, dups = find_header(sheet, rows)
        if hdr < 0 and not any(not is_blank(v) for r in rows[:HEADER_SCAN_ROWS] for v in r):
            return empty_table(sheet)  # a blank sheet is an empty table, not a problem
        if hdr < 0:
            expected = "、".join(sheet.column(k).zh for k in sheet.required_keys)
            self.problems.append(P.make("header.not_found", sheet=self.name, rows=HEADER_SCAN_ROWS,
                                        expected=expected))
            return empty_table(sheet)
        header_row = rows[hdr]
        self.info.header_row = hdr + 1
        self.info.letters = {k: column_letter(c) for k, c in mapping.items()}
        self.info.headers = {k: clean_text(header_row[c]) for k, c in mapping.items()}
        for key, c in dups:  # name the ignored column, the one to remove or rename
            self.problems.append(P.make("header.duplicate_column", sheet=self.name,
                                        cell=f"{column_letter(c)}{hdr + 1}", row=hdr + 1,
                                        expected=self.info.headers[key]))
        missing = [k for k in sheet.required_keys if k not in mapping]
        for key in missing:
            col = sheet.column(key)
            self.problems.append(P.make("header.missing_column", sheet=self.name,
                                        expected=f"{col.zh} / {col.en}"))
        if missing:
            return empty_table(sheet)
        body = rows[hdr + 1:]
        if hdr + 1 + len(body) > EXCEL_MAX_ROWS:
            self.problems.append(P.make("sheet.too_many_rows", sheet=self.name))
            body = body[: EXCEL_MAX_ROWS - hdr - 1]
        columns, width = _columns(body)
        first = hdr + 2  # sheet row of body[0]
        special = no_value_cells | set(errors) if errors else no_value_cells
        keep = _data_rows(columns, [mapping[k] for k in sheet.required_keys], special, first, len(body))
        data_pos = None if keep is None else [i for i, k in enumerate(keep) if k]
        if data_pos is None:  # every row holds data: take the columns as they are
            sheet_rows = list(range(first, first + len(body)))
        else:
            sheet_rows = [first + i for i in data_pos]
        n = len(sheet_rows)
        table: dict[str, object] = {}
        ok = [True] * n
        no_value_by_letter: dict[str, list[int]] = {}
        if no_value_cells:
            in_table = set(sheet_rows)
            for letter, r in sorted(no_value_cells, key=lambda lr: lr[1]):
                if r in in_table:
                    no_value_by_letter.setdefault(letter, []).append(r)
        for col in sheet.columns:
            c = mapping.get(col.key)
            if c is not None and c < width:
                raw = columns[c] if data_pos is None else [columns[c][i] for i in data_pos]
            else:
                raw = [""] * n
            values, bad = convert(col, raw)
            table[col.key] = values
            letter = column_letter(c) if c is not None else ""
            header = self.info.headers.get(col.key, col.zh)
            for pos, value in bad:
                ok[pos] = False
                r = sheet_rows[pos]
                self.problems.append(P.make(BAD_CODES[col.kind], sheet=self.name, cell=f"{letter}{r}", row=r,
                                            column=header, value=shown(value)))
            if c is not None:
                for r in no_value_by_letter.get(letter, ()):
                    self.problems.append(P.make("cell.formula_no_value", sheet=self.name,
                                                cell=f"{letter}{r}", row=r, column=header))
                if errors:
                    self._error_values(errors, letter, header, sheet_rows, ok)
        frame = pd.DataFrame(table)
        frame.insert(0, "_row", pd.Series(sheet_rows, dtype="int64"))
        frame["_ok"] = pd.Series(ok, dtype=bool)
        return frame


    def _error_values(self, errors: dict[tuple[str, int], str], letter: str, header: str,
                      sheet_rows: list[int], ok: list[bool]) -> None:
        """An error problem for each Excel error value (``#N/A`` …) in this column's data rows."""
        position = None
        for (col, r), value in errors.items():
            if col != letter:
                continue
            if position is None:
                position = {row: i for i, row in enumerate(sheet_rows)}
            i = position.get(r)
            if i is not None:
                ok[i] = False
                self.problems.append(P.make("cell.error_value", sheet=self.name, cell=f"{letter}{r}", row=r,
                                            column=header, value=value))


def _columns(body: list[list[object]]) -> tuple[list[tuple], int]:
    """Rows → columns (short rows padded with ''), and the width."""
    if not body:
        return [], 0
    lengths = set(map(len, body))
    width = max(lengths)
    if len(lengths) > 1:
        body = [r + [""] * (width - len(r)) if len(r) < width else r for r in body]
    return list(zip(*body)), width


def _filled(column: Sequence[object]) -> list[bool]:
    """Per cell: not blank (the list form of ``not is_blank``)."""
    return [(v.strip() != "") if type(v) is str else not is_blank(v) for v in column]


def _all_filled(column: Sequence[object]) -> bool:
    """Whether no cell of the column is blank (fast paths for the usual one-type columns)."""
    types = set(map(type, column))
    if types <= {dt.date, dt.datetime, int}:
        return True
    if types == {str}:
        return all(map(str.strip, column))
    if types == {float}:
        return not any(map(math.isnan, column))
    return all(_filled(column))


def _data_rows(columns: list[tuple], req_idx: list[int], no_value_cells: set[tuple[str, int]],
               first: int, n: int) -> list[bool] | None:
    """Which body rows hold data: a required cell filled, or holding a formula with no value.

    None when every row does (the usual case, so the columns need no filtering).
    """
    if any(c < len(columns) and _all_filled(columns[c]) for c in req_idx):
        return None  # a required cell filled on every row
    keep: list[bool] | None = None
    for c in req_idx:
        if c < len(columns):
            filled = _filled(columns[c])
            keep = filled if keep is None else [a or b for a, b in zip(keep, filled)]
    if keep is None:
        keep = [False] * n
    if no_value_cells:
        req_letters = {column_letter(c) for c in req_idx}
        for letter, r in no_value_cells:
            if letter in req_letters and first <= r < first + n:
                keep[r - first] = True
    return None if all(keep) else keep


def empty_table(sheet: Sheet) -> pd.DataFrame:
    """A typed table with no rows."""
    from .cells import convert as _convert

    table = {"_row": pd.Series([], dtype="int64")}
    for col in sheet.columns:
        table[col.key] = _convert(col, [])[0]
    frame = pd.DataFrame(table)
    frame["_ok"] = pd.Series([], dtype=bool)
    return frame


def read_settings(frame: pd.DataFrame, info: SheetInfo, problems: list[P.Problem]) -> Settings:
    """The 设置 sheet's item/value rows → :class:`Settings` (defaults for blanks)."""
    by_name: dict[str, Setting] = {}
    for s in SETTINGS:
        by_name[normalize_header(s.zh)] = s
        by_name[normalize_header(s.key)] = s
    values: dict[str, object] = {}
    for _, rec in frame.iterrows():
        item = rec["item"]
        setting = by_name.get(normalize_header(item))
        row = int(rec["_row"])
        cell = f"{info.letters.get('value', 'B')}{row}"
        if setting is None:
            problems.append(P.make("settings.unknown_item", sheet=info.name, cell=f"{info.letters.get('item', 'A')}{row}",
                                   row=row, item=item))
            continue
        raw = rec["value"]
        if is_blank(raw):
            continue
        try:
            values[setting.key] = _setting_value(setting, raw)
        except (ValueError, ArithmeticError):
            allowed = " / ".join(c.zh for c in setting.choices) or setting.kind
            problems.append(P.make("settings.bad_value", sheet=info.name, cell=cell, row=row,
                                   column=info.headers.get("value", "值"), value=raw, item=setting.zh,
                                   allowed=allowed))
    return Settings(**values)


def _setting_value(setting: Setting, raw: str) -> object:
    from .cells import choice_lookup
    from .money import MoneyError, parse_money

    if setting.choices:
        canon = choice_lookup(setting.choices).get(normalize_id(raw))
        if canon is None:
            raise ValueError(raw)
        return canon == "是" if setting.kind == "yesno" else canon
    if setting.kind == "percent":
        return parse_percent(raw)
    if setting.kind == "money":
        try:
            return parse_money(raw)
        except MoneyError as exc:
            raise ValueError(raw) from exc
    if setting.kind == "int":
        from decimal import Decimal

        d = Decimal(str(raw).strip())
        if d != d.to_integral_value() or not 1900 <= d <= 2200:
            raise ValueError(raw)
        return int(d)
    if setting.key == "aging_buckets":
        parts = [int(p) for p in re.split(r"[,，;；、\s]+", str(raw).strip()) if p]
        if not parts or any(p <= 0 for p in parts) or parts != sorted(set(parts)):
            raise ValueError(raw)
        return tuple(parts)
    return str(raw)


def read_book(path: str | Path, password: str | None = None, prefetch: Prefetch | None = None) -> Book:
    """Read every input sheet of a book into typed tables (see :mod:`sheetbook.model`).

    Raises a :class:`~sheetbook.errors.BookError` when the file is not a readable workbook or a
    required sheet is missing; every other problem is recorded in ``book.problems``.

    ``prefetch`` (a :class:`~sheetbook.container.Prefetch` of the same book and password,
    started earlier) supplies the opened book and the sheets' cells read in the background;
    the result is the same as without it.
    """
    if prefetch is not None and not prefetch.matches(path, password):
        prefetch.close()
        prefetch = None
    try:
        return _read_book(path, password, prefetch)
    finally:
        if prefetch is not None:
            prefetch.close()


def _cannot_read(opened: OpenedBook, exc: Exception) -> NotAWorkbookError:
    return NotAWorkbookError(f"{opened.path.name}: 工作簿无法读取（{exc}）",
                             f"{opened.path.name}: the workbook cannot be read ({exc})")


def _open_calamine(opened: OpenedBook):
    try:
        return pc.CalamineWorkbook.from_filelike(opened.source()) if opened.data is not None \
            else pc.CalamineWorkbook.from_path(str(opened.path))
    except Exception as exc:  # noqa: BLE001 - calamine raises many types for broken books
        raise _cannot_read(opened, exc) from None


def _read_book(path: str | Path, password: str | None, prefetch: Prefetch | None) -> Book:
    wb = None
    if prefetch is not None:
        opened = prefetch.opened()
        names, error = prefetch.sheet_names()
        if error is not None:
            raise _cannot_read(opened, error) from None
    else:
        opened = open_book(path, password)
        wb = _open_calamine(opened)
        names = list(wb.sheet_names)
    found, lang = match_sheets(names)
    missing = [SHEETS_BY_KEY[k] for k in ("customers", "sales", "payments") if k not in found]
    if missing:
        which = "、".join(s.zh for s in missing)
        which_en = ", ".join(s.en for s in missing)
        raise MissingSheetError(
            f"{opened.path.name}: 缺少必需的工作表 {which}；请用 sheetbook init 生成的模板，或把工作表改成这些名称",
            f"{opened.path.name}: missing required sheet(s) {which_en}; start from `sheetbook init` or rename the sheets")
    problems: list[P.Problem] = []
    parts = _sheet_parts(opened) if found else {}
    tables: dict[str, pd.DataFrame] = {}
    infos: dict[str, SheetInfo] = {}
    with zipfile.ZipFile(opened.source()) as zf:
        names_in_zip = set(zf.namelist())
        for sheet in SHEETS:
            name = found.get(sheet.key)
            if name is None:
                tables[sheet.key] = empty_table(sheet)
                infos[sheet.key] = SheetInfo(key=sheet.key)
                continue
            item = _prefetched(prefetch, name)
            if item is not None:
                _, rows, merged, error = item
                del item
            else:
                if wb is None:
                    wb = _open_calamine(opened)
                rows, merged, error = _read_sheet(wb, name)
            if error is not None:
                raise NotAWorkbookError(f"{opened.path.name}: 工作表 {name} 无法读取（{error}）",
                                        f"{opened.path.name}: sheet {name} cannot be read ({error})") from None
            if rows and type(rows[0]) is not list:  # rows are mutated (merged cells)
                rows = [list(r) for r in rows]
            _fill_merged(rows, merged)
            part = parts.get(name, "")
            no_value: set[tuple[str, int]] = set()
            errors: dict[tuple[str, int], str] = {}
            if part in opened.no_value:  # scanned while the container checked the part
                no_value = set(opened.no_value[part])
                errors = {(letter, row): value for letter, row, value in opened.errors.get(part, ())}
            elif part and part in names_in_zip:
                xml = zf.read(part)
                no_value, errors = set(formulas_without_value(xml)), error_cells(xml)
                del xml
            reader = SheetReader(sheet, name, rows, problems)
            del rows  # the reader holds the only reference: freed with it, before the next sheet
            tables[sheet.key] = reader.read(no_value, errors)
            infos[sheet.key] = reader.info
            del reader
    settings = read_settings(tables["settings"], infos["settings"], problems)
    fiscal_year = settings.fiscal_year or latest_year(tables)
    return Book(path=opened.path, lang=lang, settings=settings, fiscal_year=fiscal_year,
                tables=tables, sheets=infos, problems=problems, sheet_order=names,
                password=opened.password)


def _read_sheet(wb, name: str) -> tuple[list | None, object, Exception | None]:
    """A sheet's rows of cell values and merged ranges, or the error reading it."""
    try:
        ws = wb.get_sheet_by_name(name)
        rows = ws.to_python(skip_empty_area=False)
        merged = ws.merged_cell_ranges
        del ws  # the sheet's own copy of the cells: not needed once they are Python values
        return rows, merged, None
    except Exception as exc:  # noqa: BLE001
        return None, None, exc


def _prefetched(prefetch: Prefetch | None, name: str):
    """The prefetched sheet ``name`` (skipping any read ahead that is not needed), or None."""
    while prefetch is not None:
        item = prefetch.take()
        if item is None:
            return None
        if item[0] == name:
            return item
    return None


def latest_year(tables: dict[str, pd.DataFrame]) -> int:
    """The year of the latest dated entry (sales, payments, expenses), else this year."""
    latest = None
    for key in ("sales", "payments", "expenses"):
        dates = tables[key]["date"].dropna()
        if len(dates):
            m = dates.max()
            latest = m if latest is None or m > latest else latest
    return int(latest.year) if latest is not None else dt.date.today().year
