"""The link-column fast path writes exactly what the per-value path writes, gaps included."""

from __future__ import annotations

from sheetbook.tabspec import Link
from sheetbook.writer.sheetxml import _column, _slow
from sheetbook.writer.styles import Palette

KINDS = ("text", "money", "date", "int", "percent", "link")
PALETTE = Palette(1, 2, {(k, h): 10 + i for i, (k, h) in enumerate(
    (k, h) for k in KINDS for h in ("", "error", "warning", "good", "total", "muted"))})


def test_links_with_gaps_match_the_slow_path():
    st = PALETTE.cells[("link", "")]
    values = [Link("收款!D3", "收款", "D3"), None, Link("收款!D5", "收款", "D5"), None]
    rnums = ["3", "4", "5", "6"]
    fast = _column("link", "B", st, values, rnums, PALETTE)
    slow = [_slow("link", "B" + r, st, v, PALETTE) for r, v in zip(rnums, values)]
    assert fast == slow
    assert fast[1] == "" and "收款!D3" in fast[0]
