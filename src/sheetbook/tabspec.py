"""Result tabs as data: what a job hands to a port to be written.

A job never writes a file. It returns :class:`TabSpec` objects; the file port
(:mod:`sheetbook.writer`) renders them into sheet XML inside the user's book, and the live port
(xlwings) would render the same spec through Excel. Cell values by column kind:

======== =========================================================================
kind     value in ``rows``
======== =========================================================================
text     ``str`` (``None`` or ``""`` = empty)
money    ``int`` 分 (written as 元 with two decimals, exactly; format ``¥#,##0.00``)
date     ``datetime.date`` (written as an Excel date, format ``yyyy-mm-dd``)
int      ``int``
percent  ``Decimal`` or ``float`` fraction (0.25 = 25%)
link     :class:`Link` (a hyperlink to a cell of the book) or ``str``
======== =========================================================================

Row 1 of the tab is the banner, row 2 the header, data starts on row 3.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

from .layout import BANNER, RESULT_TABS_BY_KEY, Lang

CellKind = Literal["text", "money", "date", "int", "percent", "link"]
RowStyle = Literal["error", "warning", "good", "total", "muted"]
ChartKind = Literal["bar", "column", "line", "pie"]

BANNER_ROW, HEADER_ROW, FIRST_DATA_ROW = 1, 2, 3


@dataclass(frozen=True)
class Link:
    """A hyperlink to a cell of the same book.

    Attributes:
        text: what the cell shows, e.g. ``销售!F12``.
        sheet: the target sheet name.
        cell: the target cell, e.g. ``F12``.
    """

    text: str
    sheet: str
    cell: str

    @property
    def location(self) -> str:
        """The internal hyperlink location, ``'销售'!F12``."""
        return "'" + self.sheet.replace("'", "''") + "'!" + self.cell


@dataclass(frozen=True)
class TabColumn:
    """A column of a result tab.

    Attributes:
        key: stable identifier (JSON key).
        header: the header text written in row 2.
        kind: how values are written and formatted.
        width: column width in characters.
    """

    key: str
    header: str
    kind: CellKind = "text"
    width: int = 12


@dataclass(frozen=True)
class Chart:
    """A chart over the tab's own data.

    Attributes:
        kind: bar (horizontal), column, line or pie.
        title: chart title.
        category: key of the column holding the category labels.
        series: keys of the columns plotted (one series each).
        first_row / last_row: 0-based data rows plotted (default: all data rows).
        anchor: top-left cell where the chart is placed, e.g. ``J3``.
        width / height: size in cells (columns, rows).
    """

    kind: ChartKind
    title: str
    category: str
    series: tuple[str, ...]
    first_row: int = 0
    last_row: int | None = None
    anchor: str = ""
    width: int = 8
    height: int = 16


@dataclass(frozen=True)
class TabSpec:
    """A whole result tab.

    Attributes:
        key: the result tab key (``layout.RESULT_TABS``).
        name: the sheet name written in the book.
        banner: row 1 text (``由 sheetbook 生成…`` plus run time and notes).
        columns: the columns, in order.
        rows: data rows, each a sequence of values aligned with ``columns``.
        row_styles: 0-based data row → a highlight for the whole row.
        cell_styles: (0-based data row, column key) → a highlight for one cell.
        charts: charts placed on the tab.
        freeze: freeze panes below the header (and left of this many columns).
        freeze_cols: number of columns frozen on the left.
    """

    key: str
    name: str
    banner: str
    columns: tuple[TabColumn, ...]
    rows: Sequence[Sequence[object]]
    row_styles: Mapping[int, RowStyle] = field(default_factory=dict)
    cell_styles: Mapping[tuple[int, str], RowStyle] = field(default_factory=dict)
    charts: tuple[Chart, ...] = ()
    freeze: bool = True
    freeze_cols: int = 0

    def column_index(self, key: str) -> int:
        """0-based position of a column."""
        for i, col in enumerate(self.columns):
            if col.key == key:
                return i
        raise KeyError(key)

    def as_records(self) -> list[dict]:
        """Rows as dicts keyed by column key (for ``--json`` and tests)."""
        keys = [c.key for c in self.columns]
        return [dict(zip(keys, row)) for row in self.rows]


def banner_text(lang: Lang, run_at: dt.datetime | None = None, notes: Sequence[str] = ()) -> str:
    """The banner: the do-not-edit sentence, the run time, and any notes."""
    parts = [BANNER[lang]]
    if run_at is not None:
        parts.append(("运行时间 " if lang == "zh" else "Run at ") + run_at.strftime("%Y-%m-%d %H:%M"))
    parts.extend(notes)
    return " ｜ ".join(parts) if lang == "zh" else " | ".join(parts)


def standard_columns(tab_key: str, lang: Lang, extra: Sequence[TabColumn] = (),
                     rename: Mapping[str, str] | None = None) -> tuple[TabColumn, ...]:
    """The contract columns of a result tab in a language, plus extra columns after them."""
    tab = RESULT_TABS_BY_KEY[tab_key]
    rename = rename or {}
    cols = tuple(
        TabColumn(c.key, rename.get(c.key, c.name(lang)), c.kind, c.width)  # type: ignore[arg-type]
        for c in tab.columns
    )
    return cols + tuple(extra)


def tab_name(tab_key: str, lang: Lang) -> str:
    """The sheet name of a result tab."""
    return RESULT_TABS_BY_KEY[tab_key].name(lang)
