"""Adding and rebuilding result tabs: the plan behind :func:`~sheetbook.writer.write_tabs`.

A spec whose name (compared case-insensitively, as Excel does) matches no sheet is appended at
the end of the sheet order as ``xl/worksheets/sheetN.xml``. A spec matching a sheet whose A1
carries sheetbook's banner is rebuilt in place: same position, same part, same ``sheetId``;
the parts only that sheet reached (its drawing, charts, comments …) are dropped and its new
drawing and charts written. A spec matching any other sheet is a :class:`ClashError`.

``xl/calcChain.xml`` is dropped (Excel rebuilds it) and ``fullCalcOnLoad`` set, so formulas
elsewhere in the book that read a result tab are recomputed when the book opens.
``docProps/app.xml`` is left alone: its list of sheet titles is informational, Excel and
LibreOffice ignore it when loading and Excel rewrites it on the next save.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Sequence

from ..errors import ClashError, WriteError
from ..layout import RESULT_TAB_COLOR
from ..tabspec import HEADER_ROW, TabSpec
from . import charts, sheetxml
from .book import Edit
from .package import (
    CT_CHART,
    CT_DRAWING,
    CT_STYLES,
    CT_WORKSHEET,
    RT_CALC_CHAIN,
    RT_CHART,
    RT_DRAWING,
    RT_STYLES,
    RT_WORKSHEET,
    ContentTypes,
    Rels,
    reachable,
    relative,
    rels_name,
    resolve,
)
from .report import WriteReport
from .styles import StyleSheet
from .workbook import SheetEntry, Workbook, a1_text, is_banner, shared_strings_part
from .zipparts import SourceZip

_BAD_NAME = re.compile(r"[\[\]:*?/\\\x00-\x1f\ud800-\udfff\ufffe\uffff]")
CT_PART = "[Content_Types].xml"


def check_specs(specs: Sequence[TabSpec]) -> None:
    """Refuse specs Excel could not hold: bad or duplicate sheet names, unknown chart columns."""
    seen: set[str] = set()
    for spec in specs:
        name = spec.name
        if not name or len(name) > 31 or _BAD_NAME.search(name) or name[0] == "'" \
                or name[-1] == "'" or name.casefold() == "history":
            raise WriteError(f"工作表名「{name}」在 Excel 中无效", f"Invalid Excel sheet name {name!r}")
        if name.casefold() in seen:
            raise WriteError(f"工作表「{name}」重复", f"Sheet {name!r} appears twice")
        seen.add(name.casefold())
        keys = {c.key for c in spec.columns}
        for chart in spec.charts:
            missing = [k for k in (chart.category, *chart.series) if k not in keys]
            if missing:
                raise ValueError(f"{name}: chart {chart.title!r} uses unknown columns {missing}")
            if chart.kind not in ("bar", "column", "line", "pie"):
                raise ValueError(f"{name}: unknown chart kind {chart.kind!r}")


def clash(name: str) -> ClashError:
    """The error for a user's own sheet carrying a result tab's name."""
    return ClashError(
        f"工作表「{name}」不是 sheetbook 生成的，请把它改名（如 {name}-我的）后再运行；未做任何更改",
        f"The sheet '{name}' was not made by sheetbook: rename it (e.g. '{name}-mine') and run "
        "again; nothing was changed")


class _Names:
    """Allocates unused part names (``xl/charts/chart{}.xml`` → the smallest free number)."""

    def __init__(self, taken: set[str]) -> None:
        self.taken = taken

    def new(self, pattern: str) -> str:
        """Reserve and return the first free name of the pattern."""
        n = 1
        while pattern.format(n).casefold() in self.taken:
            n += 1
        name = pattern.format(n)
        self.taken.add(name.casefold())
        return name


def plan_tabs(src: SourceZip, specs: Sequence[TabSpec]) -> tuple[Edit, WriteReport]:
    """The edit that adds or rebuilds each spec's tab, and the report of it."""
    wb = Workbook(src)
    ct_name = src.real_name(CT_PART) or CT_PART
    ct = ContentTypes(src.read_text(ct_name))
    sst = shared_strings_part(wb)
    by_name = {s.name.casefold(): s for s in wb.sheets()}
    report = WriteReport(path=src.label)  # type: ignore[arg-type]
    targets: list[tuple[TabSpec, SheetEntry | None, str | None]] = []
    for spec in specs:
        entry = by_name.get(spec.name.casefold())
        if entry is None:
            targets.append((spec, None, None))
            report.added.append(spec.name)
            continue
        found = wb.sheet_part(entry)
        if found is None or found[0] != RT_WORKSHEET or not src.has(found[1]) \
                or not is_banner(a1_text(src, found[1], sst)):
            raise clash(entry.name)
        targets.append((spec, entry, src.real_name(found[1])))
        report.replaced.append(entry.name)

    edit = Edit()
    if not targets:
        return edit, report
    # Parts reached only through the tabs being rebuilt become garbage.
    old: set[str] = set()
    edited: dict[str, Rels] = {rels_name(wb.part): wb.rels}
    for _, _, part in targets:
        if part:
            old |= reachable(src, [part], {}, set()) - {part.casefold()}
            edited[rels_name(part)] = Rels(None)
    for rel in [r for r in wb.rels.items() if r.type == RT_CALC_CHAIN]:
        wb.rels.remove(rel.id)
        old.add(resolve(wb.part, rel.target).casefold())
    if old:
        still = reachable(src, [""], edited, set())
        for key in sorted(old - still):
            real = src.real_name(key)
            if real:
                edit.delete.add(real)

    names = _Names({e.name.casefold() for e in src.entries} - {d.casefold() for d in edit.delete})
    styles_part = wb.rel_target(RT_STYLES)
    styles = StyleSheet(src.read_text(styles_part) if styles_part and src.has(styles_part) else None)
    if styles.created:
        styles_part = posixpath.join(posixpath.dirname(wb.part), "styles.xml")
        if styles_part.casefold() in names.taken:
            styles_part = names.new(posixpath.join(posixpath.dirname(wb.part), "styles{}.xml"))
        names.taken.add(styles_part.casefold())
        wb.rels.add(RT_STYLES, relative(wb.part, styles_part))
        ct.set_override(styles_part, CT_STYLES)
    palette = styles.palette()
    base = posixpath.dirname(wb.part)
    for spec, entry, part in targets:
        if part is None:
            part = names.new(posixpath.join(base, "worksheets", "sheet{}.xml"))
            entry = wb.add_sheet(spec.name, wb.rels.add(RT_WORKSHEET, relative(wb.part, part)))
        assert entry is not None
        ct.set_override(part, CT_WORKSHEET)
        drawing_rid = _plan_charts(spec, part, edit, ct, names, base) if spec.charts else None
        edit.parts[part] = _renderer(spec, palette, drawing_rid)
        last_col, last_row = sheetxml.dimension(spec)
        wb.set_filter_range(entry, f"A{HEADER_ROW}:{last_col}{max(last_row, HEADER_ROW)}")
    wb.full_calc_on_load()
    # Overrides of parts written again keep their place; only those of dropped parts go.
    written = {n.casefold() for n in edit.parts}
    for name in sorted(edit.delete):
        if name.casefold() not in written:
            ct.remove_override(name)

    if wb.text != wb.original:
        edit.parts[wb.part] = wb.text.encode("utf-8")
    if wb.rels.text != wb.rels.original:
        edit.parts[rels_name(wb.part)] = wb.rels.text.encode("utf-8")
    if styles.changed and styles_part:
        edit.parts[styles_part] = styles.text.encode("utf-8")
        report.styles_added = True
    if ct.text != ct.original:
        edit.parts[ct_name] = ct.text.encode("utf-8")
    return edit, report


def _renderer(spec: TabSpec, palette, drawing_rid: str | None):  # noqa: ANN001, ANN202
    return lambda: sheetxml.render(spec, palette, drawing_rid, RESULT_TAB_COLOR)


def _plan_charts(spec: TabSpec, sheet_part: str, edit: Edit, ct: ContentTypes, names: _Names,
                 base: str) -> str:
    """Add a drawing with the tab's charts; returns the sheet's relationship id for it."""
    drawing = names.new(posixpath.join(base, "drawings", "drawing{}.xml"))
    sheet_rels = Rels(None)
    rid = sheet_rels.add(RT_DRAWING, relative(sheet_part, drawing))
    drawing_rels = Rels(None)
    chart_rids = []
    for chart in spec.charts:
        part = names.new(posixpath.join(base, "charts", "chart{}.xml"))
        chart_rids.append(drawing_rels.add(RT_CHART, relative(drawing, part)))
        edit.parts[part] = charts.chart_xml(spec, chart)
        ct.set_override(part, CT_CHART)
    edit.parts[drawing] = charts.drawing_xml(spec, chart_rids)
    ct.set_override(drawing, CT_DRAWING)
    edit.parts[rels_name(drawing)] = drawing_rels.text.encode("utf-8")
    edit.parts[rels_name(sheet_part)] = sheet_rels.text.encode("utf-8")
    return rid
