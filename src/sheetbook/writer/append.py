"""Appending rows of values to an input sheet: the plan behind
:func:`~sheetbook.writer.append_rows`.

The sheet part is read twice as a stream, never whole. The first pass finds the last row that
holds a value (a ``<v>``, inline string or formula), the style of each of its cells, trailing
rows without values, the ``<dimension>`` and the sheet's ``<autoFilter>``. The second pass
copies the part byte for byte and splices in: the new rows after the last used row (trailing
value-less rows they land on are dropped), the extended dimension and autoFilter. An Excel Table
(ListObject) that holds the last used row gets its ``ref`` and ``autoFilter`` extended.

A new cell takes the style of the pre-formatted empty cell it lands on (templates format blank
table rows), else of the cell above (unless that is a table or filter header), else of its
column; a date gets a ``yyyy-mm-dd`` format unless one of those already shows a date. Values
are never formulas: a text starting with ``=`` is written as text.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from ..errors import MissingSheetError, WriteError
from ..text import column_letter
from .book import Edit
from .package import (
    RT_STYLES,
    RT_TABLE,
    RT_WORKSHEET,
    attrs,
    bad,
    load_rels,
    set_attr,
    start_tag_re,
)
from .report import WriteReport
from .sheetxml import MAX_ROWS, clean_text, date_serial, number_text
from .styles import StyleSheet
from .workbook import Workbook
from .zipparts import SourceZip

_REF = re.compile(r"\$?([A-Z]{1,3})\$?(\d+)(?::\$?([A-Z]{1,3})\$?(\d+))?")


def _col_index(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n - 1


def _split_ref(ref: str) -> tuple[int, int, int, int] | None:
    """``A1:F5`` → (first col, first row, last col, last row), 0-based columns."""
    m = _REF.fullmatch(ref.strip().upper())
    if not m:
        return None
    c1, r1 = _col_index(m.group(1)), int(m.group(2))
    c2, r2 = (_col_index(m.group(3)), int(m.group(4))) if m.group(3) else (c1, r1)
    return c1, r1, c2, r2


def _join_ref(c1: int, r1: int, c2: int, r2: int) -> str:
    return f"{column_letter(c1)}{r1}:{column_letter(c2)}{r2}"


@dataclass
class Scan:
    """What the first pass learned about a worksheet part (offsets in decompressed bytes)."""

    prefix: bytes = b""
    dimension: tuple[int, int, str] | None = None  # start, end, the start tag
    sheet_data: tuple[int, int] | None = None  # the <sheetData> start tag (or the empty element)
    empty_sheet_data: bool = False
    last_used: int = 0  # sheet row number of the last row holding a value (0 = none)
    cut: int = 0  # where the new rows go (end of the last used row)
    above: dict[int, str] = field(default_factory=dict)  # column → style of the last used row
    trailing: list[tuple[int, int, int]] = field(default_factory=list)  # (row, start, end)
    trailing_styles: dict[int, dict[int, str]] = field(default_factory=dict)  # row → col → style
    col_styles: dict[int, str] = field(default_factory=dict)  # <col style> by column
    auto_filter: tuple[int, int, str] | None = None  # the sheet-level autoFilter start tag


def scan_sheet(chunks: Iterable[bytes], label: str) -> Scan:
    """First pass over a worksheet's XML (streamed)."""
    s = Scan()
    buf, base, state = b"", 0, "head"
    row_re = close_re = sd_close = None
    last_row = 0
    last_body = b""
    for chunk in chunks:
        buf += chunk
        if state == "head":
            m = re.search(rb"<((?:[\w.-]+:)?)sheetData\b[^>]*?(/?)>", buf)
            if m is None:
                continue
            s.prefix = m.group(1)
            d = re.search(rb"<(?:[\w.-]+:)?dimension\b[^>]*>", buf[:m.start()])
            if d:
                s.dimension = (d.start(), d.end(), d.group(0).decode("utf-8"))
            s.sheet_data = (m.start(), m.end())
            s.col_styles = _col_styles(buf[:m.start()])
            s.cut = m.end()
            p = re.escape(s.prefix)
            row_re = re.compile(rb"\s*<" + p + rb"row\b([^>]*?)(/?)>")
            close_re = re.compile(rb"</" + p + rb"row\s*>")
            sd_close = re.compile(rb"\s*</" + p + rb"sheetData\s*>")
            if m.group(2):
                s.empty_sheet_data = True
                state, base, buf = "tail", m.end(), buf[m.end():]
            else:
                state, base, buf = "rows", m.end(), buf[m.end():]
        if state == "rows":
            assert row_re and close_re and sd_close
            pos = 0
            while True:
                m = row_re.match(buf, pos)
                if m:
                    if m.group(2):
                        end, body = m.end(), b""
                    else:
                        c = close_re.search(buf, m.end())
                        if c is None:
                            break
                        end, body = c.end(), buf[m.end():c.start()]
                    r_attr = re.search(rb'\br\s*=\s*["\'](\d+)', m.group(1))
                    row = int(r_attr.group(1)) if r_attr else last_row + 1
                    last_row = row
                    if re.search(rb"<(?:[\w.-]+:)?(?:v|is|f)\b", body):
                        s.last_used, s.cut, last_body = row, base + end, body
                        s.trailing, s.trailing_styles = [], {}
                    else:
                        s.trailing.append((row, base + m.start(), base + end))
                        if body:
                            s.trailing_styles[row] = _cell_styles(body)
                    pos = end
                    continue
                c = sd_close.match(buf, pos)
                if c:
                    state = "tail"
                    base, buf = base + c.end(), buf[c.end():]
                    break
                if len(buf) - pos > 64 and not buf[pos:].strip().startswith(b"<"):
                    raise bad(label, "unexpected content in sheetData")
                if len(buf) - pos > (8 << 20):
                    raise bad(label, "a row longer than 8 MB")
                break
            if state == "rows":
                buf, base = buf[pos:], base + pos
        if state == "tail":
            af = re.search(rb"<(?:[\w.-]+:)?autoFilter\b[^>]*>", buf)
            if af:
                s.auto_filter = (base + af.start(), base + af.end(), af.group(0).decode("utf-8"))
                break
            keep = buf[-256:]
            base, buf = base + len(buf) - len(keep), keep
    if s.sheet_data is None:
        raise bad(label, "a worksheet without sheetData")
    if state == "rows":
        raise bad(label, "unterminated sheetData")
    s.above = _cell_styles(last_body)
    return s


def _cell_styles(row_body: bytes) -> dict[int, str]:
    """Column → style index of the cells of one row."""
    out = {}
    col = 0
    for cm in re.finditer(rb"<(?:[\w.-]+:)?c\b([^>]*?)/?>", row_body):
        a = attrs(cm.group(1).decode("utf-8"))
        ref = _split_ref(a["r"]) if "r" in a else None
        col = ref[0] if ref else col
        if "s" in a:
            out[col] = a["s"]
        col += 1
    return out


def _col_styles(head: bytes) -> dict[int, str]:
    """Column → the default style the sheet's ``<cols>`` gives it."""
    out = {}
    for cm in re.finditer(rb"<(?:[\w.-]+:)?col\b([^>]*?)/?>", head):
        a = attrs(cm.group(1).decode("utf-8"))
        if "style" in a and a.get("min", "").isdigit() and a.get("max", "").isdigit():
            for c in range(int(a["min"]) - 1, min(int(a["max"]), 1024)):
                out[c] = a["style"]
    return out


def splice(chunks: Iterable[bytes], edits: list[tuple[int, int, bytes]]) -> Iterator[bytes]:
    """The stream with each ``(start, end, new)`` byte range replaced (ranges disjoint)."""
    edits = sorted(edits)
    k = 0
    pos = 0  # offset of the current chunk
    skip_until = 0  # input before this offset has been replaced
    for chunk in chunks:
        end = pos + len(chunk)
        cur = max(pos, skip_until)
        while k < len(edits) and edits[k][0] < end:
            start, stop, new = edits[k]
            if start > cur:
                yield chunk[cur - pos:start - pos]
            yield new
            cur = skip_until = max(cur, stop)
            k += 1
        if cur < end:
            yield chunk[cur - pos:]
        pos = end
    for _, _, new in edits[k:]:
        yield new


def cell_xml(p: str, ref: str, style: str | None, value: object) -> str | None:
    """One appended cell (None for an empty value). ``p`` is the sheet's namespace prefix."""
    if value is None or value == "":
        return None
    s = f' s="{style}"' if style not in (None, "0") else ""
    if isinstance(value, str):
        t = clean_text(value)
        space = ' xml:space="preserve"' if t[:1].isspace() or t[-1:].isspace() else ""
        return f'<{p}c r="{ref}"{s} t="inlineStr"><{p}is><{p}t{space}>{t}</{p}t></{p}is></{p}c>'
    if isinstance(value, bool):
        return f'<{p}c r="{ref}"{s} t="b"><{p}v>{int(value)}</{p}v></{p}c>'
    if isinstance(value, dt.date):
        return f'<{p}c r="{ref}"{s}><{p}v>{date_serial(value)}</{p}v></{p}c>'
    if isinstance(value, int | float | Decimal):
        num = number_text(value)
        return None if num is None else f'<{p}c r="{ref}"{s}><{p}v>{num}</{p}v></{p}c>'
    raise TypeError(f"cannot append {type(value).__name__} value {value!r} (cell {ref})")


def plan_append(src: SourceZip, sheet_name: str, rows: list[list[object]]) -> tuple[Edit, WriteReport]:
    """The edit that appends ``rows`` below the last used row of ``sheet_name``."""
    wb = Workbook(src)
    entry = next((s for s in wb.sheets() if s.name.casefold() == sheet_name.casefold()), None)
    found = wb.sheet_part(entry) if entry else None
    if entry is None or found is None or found[0] != RT_WORKSHEET or not src.has(found[1]):
        raise MissingSheetError(f"工作簿中没有工作表「{sheet_name}」",
                                f"The workbook has no worksheet '{sheet_name}'")
    part = src.real_name(found[1]) or found[1]
    scan = scan_sheet(src.iter_chunks(part), src.label)
    first = scan.last_used + 1
    last = scan.last_used + len(rows)
    if last > MAX_ROWS:
        raise WriteError(f"「{entry.name}」追加后超过 Excel 的最大行数",
                         f"'{entry.name}' would exceed Excel's row limit")
    report = WriteReport(path=src.label, sheet=entry.name, appended=len(rows),  # type: ignore[arg-type]
                         first_row=first)
    edit = Edit()
    if not rows:
        return edit, report

    styles_part = wb.rel_target(RT_STYLES)
    styles = StyleSheet(src.read_text(styles_part)) if styles_part and src.has(styles_part) else None
    rels = load_rels(src, part)
    tables = [t for rel, t in (rels.internal_targets(part) if rels else [])
              if rel.type == RT_TABLE and src.has(t)]
    # Header rows (of a table or the autoFilter) do not lend their style to data.
    headers = {box[1] for box in (_split_ref(_table_ref(src, t)) for t in tables) if box}
    if scan.auto_filter and (box := _split_ref(attrs(scan.auto_filter[2]).get("ref", ""))):
        headers.add(box[1])
    above = {} if scan.last_used in headers else scan.above
    new_rows = _rows_xml(rows, first, scan, above, styles)
    width = max(len(r) for r in rows)

    edits: list[tuple[int, int, bytes]] = []
    if scan.empty_sheet_data:
        assert scan.sheet_data is not None
        start, end = scan.sheet_data
        p = scan.prefix
        edits.append((start, end, b"<" + p + b"sheetData>" + new_rows + b"</" + p + b"sheetData>"))
    else:
        edits.append((scan.cut, scan.cut, new_rows))
        edits += [(a, b, b"") for row, a, b in scan.trailing if first <= row <= last]
    if scan.dimension:
        start, end, tag = scan.dimension
        box = _split_ref(attrs(tag).get("ref", "")) or (0, 1, 0, 1)
        if scan.last_used == 0:
            box = (0, 1, 0, 1)
        new_ref = _join_ref(box[0], box[1], max(box[2], width - 1), max(box[3], last))
        edits.append((start, end, set_attr(tag, "ref", new_ref).encode("utf-8")))
    filter_ref = None
    if scan.auto_filter:
        start, end, tag = scan.auto_filter
        filter_ref = _extend(attrs(tag).get("ref", ""), scan.last_used, last)
        if filter_ref:
            edits.append((start, end, set_attr(tag, "ref", filter_ref).encode("utf-8")))
    edit.parts[part] = lambda: splice(src.iter_chunks(part), list(edits))

    for target in tables:
        name, text = _extend_table(src, target, scan.last_used, last)
        if text is not None:
            edit.parts[src.real_name(target) or target] = text.encode("utf-8")
            report.tables.append(name)
    if filter_ref:
        wb.set_filter_range(entry, filter_ref, only_existing=True)
        if wb.text != wb.original:
            edit.parts[wb.part] = wb.text.encode("utf-8")
    if styles is not None and styles.changed and styles_part:
        edit.parts[src.real_name(styles_part) or styles_part] = styles.text.encode("utf-8")
        report.styles_added = True
    return edit, report


def _rows_xml(rows: list[list[object]], first: int, scan: Scan, above: dict[int, str],
             styles: StyleSheet | None) -> bytes:
    """The new rows. A cell's style comes from the pre-formatted empty row it replaces, else
    the row above, else its column; a date gets a date format unless that style shows one."""
    p = scan.prefix.decode("utf-8")
    is_date: dict[str, bool] = {}

    def shows_date(style: str) -> bool:
        if style not in is_date:
            is_date[style] = style.isdigit() and styles is not None and styles.is_date_xf(int(style))
        return is_date[style]

    out = []
    for i, values in enumerate(rows):
        r = first + i
        own = scan.trailing_styles.get(r, {})
        cells = []
        for j, v in enumerate(values):
            found = [s for s in (own.get(j), above.get(j), scan.col_styles.get(j)) if s]
            style = found[0] if found else None
            if isinstance(v, dt.date) and styles is not None:
                style = next((s for s in found if shows_date(s)), None) or str(styles.date_xf())
            cell = cell_xml(p, f"{column_letter(j)}{r}", style, v)
            if cell:
                cells.append(cell)
        out.append(f'<{p}row r="{r}">{"".join(cells)}</{p}row>')
    return "".join(out).encode("utf-8")


def _table_ref(src: SourceZip, part: str) -> str:
    root = start_tag_re("table").search(src.read_text(part))
    return attrs(root.group(0)).get("ref", "") if root else ""


def _extend(ref: str, last_used: int, new_last: int) -> str | None:
    """A range holding the last used row, extended down to ``new_last`` (None: leave it)."""
    box = _split_ref(ref)
    if box is None or last_used == 0 or not box[1] <= last_used <= box[3] or box[3] >= new_last:
        return None
    return _join_ref(box[0], box[1], box[2], new_last)


def _extend_table(src: SourceZip, part: str, last_used: int, new_last: int) -> tuple[str, str | None]:
    """Extend an Excel Table that holds the last used row; returns (name, new part text)."""
    text = src.read_text(part)
    root = start_tag_re("table").search(text)
    if root is None:
        return part, None
    a = attrs(root.group(0))
    name = a.get("displayName") or a.get("name") or part
    new_ref = _extend(a.get("ref", ""), last_used, new_last)
    if new_ref is None:
        return name, None
    if a.get("totalsRowCount", "0") not in ("", "0"):
        raise WriteError(f"表格 {name} 有汇总行，无法在其下方追加；请先关闭汇总行",
                         f"Table {name} has a totals row; turn it off before appending")
    text = text[:root.start()] + set_attr(root.group(0), "ref", new_ref) + text[root.end():]
    af = start_tag_re("autoFilter").search(text)
    if af:
        text = text[:af.start()] + set_attr(af.group(0), "ref", new_ref) + text[af.end():]
    return name, text
