"""Terminal rendering for the CLI (rich): problems grouped by sheet, job summaries, what was written.

Only presentation lives here; every figure comes from the result tabs or the problems, so the
terminal shows the same facts as the workbook and ``--json``.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from rich.console import Console
from rich.table import Table

from .money import format_yuan
from .problems import Problem
from .tabspec import Link, TabSpec
from .validate import counts

MAX_PROBLEMS_SHOWN = 200


def console() -> Console:
    """A console; when output is piped, a fixed wide width instead of rich's 80 columns."""
    import sys

    width = None if sys.stdout.isatty() else 160
    return Console(highlight=False, soft_wrap=False, width=width)


def print_problems(problems: list[Problem], lang: str = "zh") -> None:
    """Problems grouped by sheet, errors first, with counts."""
    con = console()
    c = counts(problems)
    if not problems:
        con.print("[green]" + ("没有发现问题" if lang == "zh" else "No problems found") + "[/green]")
        return
    by_sheet: dict[str, list[Problem]] = defaultdict(list)
    for p in problems:
        by_sheet[p.sheet or ("工作簿" if lang == "zh" else "Book")].append(p)
    shown = 0
    for sheet, items in by_sheet.items():
        errs = sum(p.severity == "error" for p in items)
        title = (f"{sheet}：错误 {errs}，警告 {len(items) - errs}" if lang == "zh"
                 else f"{sheet}: {errs} error(s), {len(items) - errs} warning(s)")
        table = Table(title=title, title_justify="left", show_lines=False)
        for head in (("级别", "单元格", "问题", "建议") if lang == "zh" else ("Level", "Cell", "Problem", "Fix")):
            table.add_column(head, overflow="fold")
        for p in items:
            if shown >= MAX_PROBLEMS_SHOWN:
                break
            shown += 1
            level = ("[red]错误[/red]" if lang == "zh" else "[red]error[/red]") if p.severity == "error" \
                else ("[yellow]警告[/yellow]" if lang == "zh" else "[yellow]warning[/yellow]")
            table.add_row(level, p.where, p.message(lang), p.fix(lang))
        con.print(table)
    if len(problems) > shown:
        con.print(f"… 另有 {len(problems) - shown} 个问题，见 校验结果 表或 --json" if lang == "zh"
                  else f"… {len(problems) - shown} more; see the Checks tab or --json")
    con.print(f"错误 {c['error']} 个，警告 {c['warning']} 个" if lang == "zh"
              else f"{c['error']} error(s), {c['warning']} warning(s)")


def cell_text(value: object, kind: str) -> str:
    """A tab value as terminal text."""
    if value is None or value == "":
        return ""
    if kind == "money":
        return format_yuan(int(value))
    if kind == "percent":
        return f"{Decimal(str(value)) * 100:.2f}%"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Link):
        return value.text
    return str(value)


def print_tab(tab: TabSpec, keys: list[str] | None = None, limit: int = 15, title: str | None = None) -> None:
    """A result tab (some columns, the first rows and the last one) as a terminal table."""
    cols = [c for c in tab.columns if keys is None or c.key in keys]
    idx = [tab.columns.index(c) for c in cols]
    table = Table(title=title or tab.name, title_justify="left")
    for c in cols:
        table.add_column(c.header, justify="right" if c.kind in ("money", "int", "percent") else "left",
                         overflow="fold")
    rows = list(tab.rows)
    picked = rows if len(rows) <= limit + 1 else rows[:limit] + [rows[-1]]
    for row in picked:
        table.add_row(*(cell_text(row[i], c.kind) for i, c in zip(idx, cols)))
    console().print(table)
    if len(rows) > len(picked):
        console().print(f"（共 {len(rows)} 行，见工作簿 {tab.name} 表）")


def _tab(result, key: str) -> TabSpec | None:
    return next((t for t in result.tabs if t.key == key), None)


def print_reconcile(result, lang: str = "zh") -> None:
    """Receivables (largest first is how the tab sorts) and the exception count."""
    tab = _tab(result, "receivables")
    if tab is not None:
        print_tab(tab, ["customer_id", "name", "opening", "sales", "received", "closing", "max_days_overdue", "status"])
    exc = _tab(result, "exceptions")
    if exc is not None:
        console().print(f"待处理事项 {len(exc.rows)} 条（见 {exc.name} 表）" if lang == "zh"
                        else f"{len(exc.rows)} exception(s) (see the {exc.name} tab)")


def print_tax(result, lang: str = "zh") -> None:
    """The tax periods with the key figures."""
    tab = _tab(result, "tax")
    if tab is not None:
        print_tab(tab, ["period", "gross_sales", "net_sales", "vat", "urban_tax", "cum_taxable", "tax_due", "deadline"],
                  limit=14)


def print_written(result, lang: str = "zh") -> None:
    """What the writer did (or would do), and where the backup is."""
    report = result.report
    con = console()
    if report is None:
        return
    describe = getattr(report, "describe", None)
    if describe is not None:
        for line in describe(lang):
            con.print(line)
