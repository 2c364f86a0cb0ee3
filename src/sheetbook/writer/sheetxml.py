"""A :class:`~sheetbook.tabspec.TabSpec` rendered as worksheet XML, streamed in chunks.

Row 1 holds the banner, row 2 the header (with an autofilter over header and data), data starts
on row 3. Values are written by column kind: money from integer 分 as exact decimal text
(``123456`` → ``<v>1234.56</v>``, no float on the way), dates as Excel serial numbers, percents
and ints as numbers, links as text with an internal hyperlink. Text is XML-escaped, characters
that XML 1.0 forbids are dropped, Excel's ``_xHHHH_`` escapes are protected, and text longer
than Excel's cell limit (32,767 UTF-16 code units) is cut.

The XML is produced as a join of per-row strings, ``CHUNK_ROWS`` rows at a time, so a 100k-row
tab is never held whole.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Iterator, Sequence
from decimal import Decimal

from ..tabspec import FIRST_DATA_ROW, HEADER_ROW, Link, TabSpec
from ..text import column_letter
from .styles import Palette

CHUNK_ROWS = 2000
MAX_CELL_CHARS = 32767
#: Excel refuses more hyperlinks than this on one sheet; further link cells keep their text.
MAX_HYPERLINKS = 65530
MAX_ROWS = 1_048_576
EXCEL_EPOCH = dt.date(1899, 12, 30)
_EPOCH_ORDINAL = EXCEL_EPOCH.toordinal()

_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_EXCEL_ESCAPE = re.compile(r"(_x[0-9A-Fa-f]{4}_)")
#: Text needing care: illegal characters, Excel escapes, XML specials, edge whitespace (the
#: values of a column are joined with newlines before the search).
_ATTR_SLOW = re.compile('[\x00-\x1f\ud800-\udfff\ufffe\uffff&<>"]|_x[0-9A-Fa-f]{4}_')
_TEXT_SLOW = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff&<>]|_x[0-9A-Fa-f]{4}_"
                        "|\n\\s|\\s\n")

HEAD = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">')


def clean_text(value: str) -> str:
    """Text made safe for a cell: illegal XML characters dropped, ``_xHHHH_`` protected,
    cut to 32,767 characters, then XML-escaped."""
    if _ILLEGAL.search(value):
        value = _ILLEGAL.sub("", value)
    if "_x" in value:
        value = _EXCEL_ESCAPE.sub(r"_x005F\1", value)
    if len(value) > MAX_CELL_CHARS // 2:  # Excel counts UTF-16 code units
        units = value.encode("utf-16-le", "surrogatepass")
        if len(units) > 2 * MAX_CELL_CHARS:
            value = units[:2 * MAX_CELL_CHARS].decode("utf-16-le", "ignore")
    if "&" in value or "<" in value or ">" in value:
        value = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return value


def attr_text(value: str) -> str:
    """Text for a double-quoted attribute."""
    return (clean_text(value).replace('"', "&quot;").replace("\n", "&#10;")
            .replace("\r", "&#13;").replace("\t", "&#9;"))


def inline(ref: str, style: int, text: str) -> str:
    """An inline-string cell."""
    t = clean_text(text)
    if t[:1].isspace() or t[-1:].isspace():
        return f'<c r="{ref}" s="{style}" t="inlineStr"><is><t xml:space="preserve">{t}</t></is></c>'
    return f'<c r="{ref}" s="{style}" t="inlineStr"><is><t>{t}</t></is></c>'


def money_text(fen: int) -> str:
    """Integer 分 as exact decimal 元: ``123456`` → ``1234.56``, ``-5`` → ``-0.05``."""
    whole, cents = divmod(abs(fen), 100)
    return f"{'-' if fen < 0 else ''}{whole}.{cents:02d}"


def date_serial(value: dt.date) -> str:
    """An Excel serial (1900 date system) for a date or datetime."""
    days = value.toordinal() - _EPOCH_ORDINAL
    if isinstance(value, dt.datetime):
        secs = value.hour * 3600 + value.minute * 60 + value.second + value.microsecond / 1e6
        if secs:
            return repr(days + secs / 86400)
    return str(days)


def number_text(value: object) -> str | None:
    """A number as ``<v>`` text (None for NaN/inf, which a cell cannot hold)."""
    if isinstance(value, Decimal):
        if not value.is_finite():
            return None
        return format(value, "f")
    f = float(value)  # type: ignore[arg-type]
    if not math.isfinite(f):
        return None
    if isinstance(value, int):
        return str(value)
    return repr(f)


def _value_xml(kind: str, ref: str, style: int, value: object) -> str | None:
    """A cell for one value (None when the cell stays empty).

    ``str`` is always text (a text in a money column, such as ``—``, is kept as it is); a number
    in a text column stays a number; ``bool`` is written as ``TRUE``/``FALSE`` text; a float in
    a money column is refused (money is int 分).
    """
    if value is None or value == "":
        return None
    if isinstance(value, str):
        return inline(ref, style, value)
    if isinstance(value, bool):
        return inline(ref, style, "TRUE" if value else "FALSE")
    if kind == "money":
        if isinstance(value, Decimal | float):
            raise TypeError(f"money cell {ref} holds {value!r}; money must be int 分")
        return f'<c r="{ref}" s="{style}"><v>{money_text(int(value))}</v></c>'  # type: ignore[call-overload]
    if isinstance(value, dt.date):
        if kind in ("date", "int", "percent"):
            return f'<c r="{ref}" s="{style}"><v>{date_serial(value)}</v></c>'
        return inline(ref, style, value.isoformat())
    if isinstance(value, Link):
        return inline(ref, style, value.text)
    if kind in ("int", "percent", "date") or isinstance(value, int | float | Decimal):
        try:
            num = number_text(value)
        except (TypeError, ValueError):
            return inline(ref, style, str(value))
        return None if num is None else f'<c r="{ref}" s="{style}"><v>{num}</v></c>'
    return inline(ref, style, str(value))


def dimension(spec: TabSpec) -> tuple[str, int]:
    """``(last column letter, last row)`` of a tab."""
    return column_letter(max(len(spec.columns), 1) - 1), HEADER_ROW + len(spec.rows)


def render(spec: TabSpec, palette: Palette, drawing_rid: str | None,
           tab_color: str) -> Iterator[bytes]:
    """The worksheet XML of a tab, as UTF-8 chunks."""
    n = len(spec.columns)
    if HEADER_ROW + len(spec.rows) > MAX_ROWS:
        raise ValueError(f"{spec.name}: {len(spec.rows)} rows exceed Excel's sheet size")
    letters = [column_letter(i) for i in range(max(n, 1))]
    last_col, last_row = dimension(spec)
    yield (_head(spec, letters, last_col, last_row, tab_color)
           + _title_rows(spec, palette, letters)).encode("utf-8")
    styled = _styled_rows(spec)
    links: list[str] = []
    rows = spec.rows
    for start in range(0, len(rows), CHUNK_ROWS):
        chunk = rows[start:start + CHUNK_ROWS]
        yield _render_chunk(spec, palette, letters, start, chunk, styled, links).encode("utf-8")
    out = ["</sheetData>", f'<autoFilter ref="A{HEADER_ROW}:{last_col}{max(last_row, HEADER_ROW)}"/>']
    if links:
        out.append("<hyperlinks>" + "".join(links) + "</hyperlinks>")
    out.append('<pageMargins left="0.5" right="0.5" top="0.6" bottom="0.6" header="0.3" '
               'footer="0.3"/>')
    orientation = "landscape" if n > 6 else "portrait"
    # A4, fit to one page wide (as many pages tall as needed).
    out.append(f'<pageSetup paperSize="9" orientation="{orientation}" fitToWidth="1" fitToHeight="0"/>')
    if drawing_rid:
        out.append(f'<drawing r:id="{drawing_rid}"/>')
    out.append("</worksheet>")
    yield "".join(out).encode("utf-8")


def _styled_rows(spec: TabSpec) -> dict[int, dict[int, str]]:
    """0-based data row → {column index: highlight} for every highlighted cell of the tab."""
    n = len(spec.columns)
    out: dict[int, dict[int, str]] = {}
    for row, hl in spec.row_styles.items():
        if hl:
            out[row] = dict.fromkeys(range(n), hl)
    index = {c.key: i for i, c in enumerate(spec.columns)}
    for (row, key), hl in spec.cell_styles.items():
        if key in index and hl:
            out.setdefault(row, {})[index[key]] = hl
    return out


def _render_chunk(spec: TabSpec, palette: Palette, letters: list[str], start: int,
                  chunk: Sequence[Sequence[object]], styled: dict[int, dict[int, str]],
                  links: list[str]) -> str:
    """Rows ``start …`` of the tab: built column by column, then joined row by row."""
    n = len(spec.columns)
    if any(len(r) != n for r in chunk):
        chunk = [tuple(r[:n]) + (None,) * (n - len(r)) for r in chunk]
    rnums = [str(FIRST_DATA_ROW + start + k) for k in range(len(chunk))]
    columns = list(zip(*chunk)) if chunk else [() for _ in range(n)]
    cells = []
    for j, col in enumerate(spec.columns):
        values = columns[j]
        cells.append(_column(col.kind, letters[j], palette.cells[(col.kind, "")], values, rnums,
                             palette))
        if col.kind == "link":
            _collect_links(letters[j], values, rnums, links)
    for k in range(len(chunk)):
        hls = styled.get(start + k)
        if not hls:
            continue
        for j, col in enumerate(spec.columns):
            hl = hls.get(j)
            if hl:
                style = palette.cells[(_style_kind(col.kind, chunk[k][j]), hl)]
                ref = letters[j] + rnums[k]
                cells[j][k] = _value_xml(col.kind, ref, style, chunk[k][j]) or f'<c r="{ref}" s="{style}"/>'
    return "".join([f'<row r="{r}">{"".join(row)}</row>' for r, row in zip(rnums, zip(*cells))]) \
        if n else "".join(f'<row r="{r}"/>' for r in rnums)


def _style_kind(kind: str, value: object) -> str:
    """Plain text in a link column is styled as text (no hyperlink to look like one)."""
    return "text" if kind == "link" and not isinstance(value, Link) else kind


def _slow(kind: str, ref: str, style: int, value: object, palette: Palette) -> str:
    style = palette.cells[(_style_kind(kind, value), "")] if kind == "link" else style
    return _value_xml(kind, ref, style, value) or ""


def _column(kind: str, letter: str, st: int, values: Sequence[object], rnums: list[str],
            palette: Palette) -> list[str]:
    """The cells of one column for a chunk of rows ('' for an empty cell)."""
    if kind == "link" and all(type(v) is Link or v is None for v in values):
        # Links with gaps (a None is an empty cell) stay on the fast path.
        texts = ["" if v is None else v.text for v in values]  # type: ignore[union-attr]
        if not _text_needs_care(texts):
            return [f'<c r="{letter}{r}" s="{st}" t="inlineStr"><is><t>{t}</t></is></c>' if t else ""
                    for r, t in zip(rnums, texts)]
    if kind in ("text", "link"):
        if _text_needs_care([v for v in values if type(v) is str]):
            return [_slow(kind, letter + r, st, v, palette) for r, v in zip(rnums, values)]
        if kind == "link":
            tst = palette.cells[("text", "")]
            return [(f'<c r="{letter}{r}" s="{tst}" t="inlineStr"><is><t>{v}</t></is></c>' if v else "")
                    if type(v) is str else _slow(kind, letter + r, st, v, palette)
                    for r, v in zip(rnums, values)]
        return [(f'<c r="{letter}{r}" s="{st}" t="inlineStr"><is><t>{v}</t></is></c>' if v else "")
                if type(v) is str else _slow(kind, letter + r, st, v, palette)
                for r, v in zip(rnums, values)]
    if kind == "money":
        return [(f'<c r="{letter}{r}" s="{st}"><v>{v // 100}.{v % 100:02d}</v></c>' if v >= 0 else
                 f'<c r="{letter}{r}" s="{st}"><v>-{-v // 100}.{-v % 100:02d}</v></c>')
                if type(v) is int else _slow(kind, letter + r, st, v, palette)
                for r, v in zip(rnums, values)]
    if kind == "date":
        return [f'<c r="{letter}{r}" s="{st}"><v>{v.toordinal() - _EPOCH_ORDINAL}</v></c>'
                if type(v) is dt.date else _slow(kind, letter + r, st, v, palette)
                for r, v in zip(rnums, values)]
    if kind == "int":
        return [f'<c r="{letter}{r}" s="{st}"><v>{v}</v></c>'
                if type(v) is int else _slow(kind, letter + r, st, v, palette)
                for r, v in zip(rnums, values)]
    if kind == "percent":
        return [f'<c r="{letter}{r}" s="{st}"><v>{v!r}</v></c>'
                if type(v) is float and v - v == 0 else _slow(kind, letter + r, st, v, palette)
                for r, v in zip(rnums, values)]
    return [_slow(kind, letter + r, st, v, palette) for r, v in zip(rnums, values)]


def _text_needs_care(strings: list[str]) -> bool:
    """Whether any of these texts needs escaping, cleaning, cutting or ``xml:space``."""
    strings = [t for t in strings if t]
    return bool(_TEXT_SLOW.search("\n" + "\n".join(strings) + "\n")) \
        or max(map(len, strings), default=0) > MAX_CELL_CHARS // 2


def _collect_links(letter: str, values: Sequence[object], rnums: list[str], links: list[str]) -> None:
    """Hyperlink elements for the Link values of a column (up to Excel's limit per sheet)."""
    found = [(r, v) for r, v in zip(rnums, values) if isinstance(v, Link)]
    room = MAX_HYPERLINKS - len(links)
    if room <= 0 or not found:
        return
    found = found[:room]
    joined = "".join([v.location + v.text for _, v in found])
    if _ATTR_SLOW.search(joined):
        links.extend(f'<hyperlink ref="{letter}{r}" location="{attr_text(v.location)}" '
                     f'display="{attr_text(v.text)}"/>' for r, v in found)
    else:
        links.extend(f'<hyperlink ref="{letter}{r}" location="{v.location}" display="{v.text}"/>'
                     for r, v in found)


def _head(spec: TabSpec, letters: list[str], last_col: str, last_row: int, tab_color: str) -> str:
    parts = [HEAD, f'<sheetPr><tabColor rgb="FF{tab_color}"/><pageSetUpPr fitToPage="1"/></sheetPr>',
             f'<dimension ref="A1:{last_col}{last_row}"/>']
    if spec.freeze:
        xs = max(0, min(spec.freeze_cols, len(spec.columns)))
        top_left = f"{letters[xs] if xs < len(letters) else 'A'}{FIRST_DATA_ROW}"
        pane = "bottomRight" if xs else "bottomLeft"
        x_attr = f' xSplit="{xs}"' if xs else ""
        parts.append(f'<sheetViews><sheetView workbookViewId="0"><pane{x_attr} ySplit="{HEADER_ROW}" '
                     f'topLeftCell="{top_left}" activePane="{pane}" state="frozen"/>'
                     f'<selection pane="{pane}" activeCell="{top_left}" sqref="{top_left}"/>'
                     "</sheetView></sheetViews>")
    else:
        parts.append('<sheetViews><sheetView workbookViewId="0"/></sheetViews>')
    parts.append('<sheetFormatPr defaultRowHeight="15"/>')
    if spec.columns:
        parts.append("<cols>" + "".join(
            f'<col min="{i + 1}" max="{i + 1}" width="{_width(c.width)}" customWidth="1"/>'
            for i, c in enumerate(spec.columns)) + "</cols>")
    parts.append("<sheetData>")
    return "".join(parts)


def _title_rows(spec: TabSpec, palette: Palette, letters: list[str]) -> str:
    """Row 1 (the banner in A1; the rest of the row only carries its fill) and row 2 (headers)."""
    banner = [inline("A1", palette.banner, spec.banner)]
    banner += [f'<c r="{letters[j]}1" s="{palette.banner}"/>' for j in range(1, len(spec.columns))]
    header = [inline(f"{letters[j]}{HEADER_ROW}", palette.header, c.header)
              for j, c in enumerate(spec.columns)]
    return (f'<row r="1">{"".join(banner)}</row>'
            f'<row r="{HEADER_ROW}">{"".join(header)}</row>')


def _width(chars: int) -> str:
    return f"{max(1.0, float(chars)) + 0.71:.2f}".rstrip("0").rstrip(".")
