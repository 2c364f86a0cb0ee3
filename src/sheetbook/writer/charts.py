"""Charts of a result tab as DrawingML parts: one drawing per tab, one chart part per chart.

Every series refers to the tab's own cells (``'账龄分析'!$C$3:$C$20``), so Excel and LibreOffice
draw from the data and redraw when it changes; a value cache with the same figures is embedded
for viewers that do not compute. Bar (horizontal), column, line and pie are supported.
"""

from __future__ import annotations

import datetime as dt
import re

from ..tabspec import FIRST_DATA_ROW, HEADER_ROW, Chart, Link, TabSpec
from ..text import column_letter
from .sheetxml import attr_text, clean_text, date_serial, money_text, number_text

_NS_C = "http://schemas.openxmlformats.org/drawingml/2006/chart"
_NS_A = "http://schemas.openxmlformats.org/drawingml/2006/main"
_NS_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_NS_XDR = "http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing"
_XML_DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_EMU_PER_COL, _EMU_PER_ROW = 609600, 190500  # only used for the nominal frame size
_CAT_AX, _VAL_AX = 500000001, 500000002


def _sheet_ref(sheet: str, col: int, first: int, last: int | None = None) -> str:
    q = "'" + sheet.replace("'", "''") + "'!"
    letter = column_letter(col)
    if last is None:
        return f"{q}${letter}${first}"
    return f"{q}${letter}${first}:${letter}${last}"


def _rows(spec: TabSpec, chart: Chart) -> tuple[int, int]:
    """0-based first and last data rows plotted (last ≥ first)."""
    n = len(spec.rows)
    first = max(0, min(chart.first_row, max(n - 1, 0)))
    last = n - 1 if chart.last_row is None else min(chart.last_row, n - 1)
    return first, max(first, last)


def _cache_value(kind: str, value: object) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, Link):
        return value.text
    if kind == "money" and isinstance(value, int) and not isinstance(value, bool):
        return money_text(value)
    if isinstance(value, dt.date):
        return date_serial(value) if kind == "date" else value.isoformat()
    if isinstance(value, str):
        return value
    try:
        return number_text(value)
    except (TypeError, ValueError):
        return str(value)


def _data_ref(spec: TabSpec, chart: Chart, key: str, numeric: bool) -> str:
    col = spec.column_index(key)
    kind = spec.columns[col].kind
    first, last = _rows(spec, chart)
    f = _sheet_ref(spec.name, col, FIRST_DATA_ROW + first, FIRST_DATA_ROW + last)
    values = [row[col] if col < len(row) else None for row in spec.rows[first:last + 1]]
    pts = []
    for i, v in enumerate(values):
        text = _cache_value(kind, v)
        if text is None:
            continue
        if numeric and not re.fullmatch(r"-?[0-9.]+(?:[eE][-+]?\d+)?", text):
            continue
        pts.append(f'<c:pt idx="{i}"><c:v>{clean_text(text)}</c:v></c:pt>')
    count = f'<c:ptCount val="{len(values)}"/>'
    if numeric:
        fmt = {"money": "#,##0.00", "percent": "0.00%", "date": "yyyy-mm-dd"}.get(kind, "General")
        return (f"<c:numRef><c:f>{clean_text(f)}</c:f><c:numCache><c:formatCode>{fmt}</c:formatCode>"
                f"{count}{''.join(pts)}</c:numCache></c:numRef>")
    return f"<c:strRef><c:f>{clean_text(f)}</c:f><c:strCache>{count}{''.join(pts)}</c:strCache></c:strRef>"


def _series(spec: TabSpec, chart: Chart) -> str:
    cat_col = spec.column_index(chart.category)
    cat_numeric = spec.columns[cat_col].kind in ("date", "int")
    out = []
    for i, key in enumerate(chart.series):
        col = spec.column_index(key)
        name = _sheet_ref(spec.name, col, HEADER_ROW)
        tx = (f"<c:tx><c:strRef><c:f>{clean_text(name)}</c:f><c:strCache><c:ptCount val=\"1\"/>"
              f'<c:pt idx="0"><c:v>{clean_text(spec.columns[col].header)}</c:v></c:pt>'
              "</c:strCache></c:strRef></c:tx>")
        extra = ""
        if chart.kind in ("bar", "column"):
            extra = '<c:invertIfNegative val="0"/>'
        elif chart.kind == "line":
            extra = '<c:marker><c:symbol val="none"/></c:marker>'
        cat = f"<c:cat>{_data_ref(spec, chart, chart.category, cat_numeric)}</c:cat>"
        val = f"<c:val>{_data_ref(spec, chart, key, True)}</c:val>"
        smooth = '<c:smooth val="0"/>' if chart.kind == "line" else ""
        out.append(f'<c:ser><c:idx val="{i}"/><c:order val="{i}"/>{tx}{extra}{cat}{val}{smooth}</c:ser>')
    return "".join(out)


def _axes(horizontal: bool) -> str:
    cat_pos, val_pos = ("l", "b") if horizontal else ("b", "l")
    return (f'<c:catAx><c:axId val="{_CAT_AX}"/><c:scaling><c:orientation val="minMax"/></c:scaling>'
            f'<c:delete val="0"/><c:axPos val="{cat_pos}"/><c:numFmt formatCode="General" sourceLinked="1"/>'
            '<c:majorTickMark val="out"/><c:minorTickMark val="none"/><c:tickLblPos val="nextTo"/>'
            f'<c:crossAx val="{_VAL_AX}"/><c:crosses val="autoZero"/><c:auto val="1"/>'
            '<c:lblAlgn val="ctr"/><c:lblOffset val="100"/><c:noMultiLvlLbl val="0"/></c:catAx>'
            f'<c:valAx><c:axId val="{_VAL_AX}"/><c:scaling><c:orientation val="minMax"/></c:scaling>'
            f'<c:delete val="0"/><c:axPos val="{val_pos}"/><c:majorGridlines/>'
            '<c:numFmt formatCode="General" sourceLinked="1"/><c:majorTickMark val="out"/>'
            '<c:minorTickMark val="none"/><c:tickLblPos val="nextTo"/>'
            f'<c:crossAx val="{_CAT_AX}"/><c:crosses val="autoZero"/>'
            '<c:crossBetween val="between"/></c:valAx>')


def chart_xml(spec: TabSpec, chart: Chart) -> bytes:
    """The chart part (``xl/charts/chartN.xml``) of one chart."""
    ser = _series(spec, chart)
    axes_ids = f'<c:axId val="{_CAT_AX}"/><c:axId val="{_VAL_AX}"/>'
    if chart.kind in ("bar", "column"):
        direction = "bar" if chart.kind == "bar" else "col"
        plot = (f'<c:barChart><c:barDir val="{direction}"/><c:grouping val="clustered"/>'
                f'<c:varyColors val="0"/>{ser}<c:gapWidth val="150"/>{axes_ids}</c:barChart>'
                + _axes(chart.kind == "bar"))
    elif chart.kind == "line":
        plot = (f'<c:lineChart><c:grouping val="standard"/><c:varyColors val="0"/>{ser}'
                f'<c:marker val="1"/>{axes_ids}</c:lineChart>' + _axes(False))
    elif chart.kind == "pie":
        plot = (f'<c:pieChart><c:varyColors val="1"/>{ser}<c:firstSliceAng val="0"/></c:pieChart>')
    else:
        raise ValueError(f"unknown chart kind {chart.kind!r}")
    title = (f"<c:title><c:tx><c:rich><a:bodyPr/><a:lstStyle/><a:p><a:pPr><a:defRPr/></a:pPr>"
             f"<a:r><a:t>{clean_text(chart.title)}</a:t></a:r></a:p></c:rich></c:tx>"
             f'<c:overlay val="0"/></c:title><c:autoTitleDeleted val="0"/>') if chart.title else \
        '<c:autoTitleDeleted val="1"/>'
    xml = (f'{_XML_DECL}<c:chartSpace xmlns:c="{_NS_C}" xmlns:a="{_NS_A}" xmlns:r="{_NS_R}">'
           f'<c:roundedCorners val="0"/><c:chart>{title}<c:plotArea><c:layout/>{plot}</c:plotArea>'
           '<c:legend><c:legendPos val="b"/><c:overlay val="0"/></c:legend>'
           '<c:plotVisOnly val="1"/><c:dispBlanksAs val="gap"/></c:chart></c:chartSpace>')
    return xml.encode("utf-8")


def _anchor(spec: TabSpec, index: int, chart: Chart) -> tuple[int, int]:
    """0-based (column, row) of a chart's top-left cell."""
    m = re.fullmatch(r"\$?([A-Za-z]{1,3})\$?(\d+)", chart.anchor.strip()) if chart.anchor else None
    if m:
        col = 0
        for ch in m.group(1).upper():
            col = col * 26 + ord(ch) - 64
        return col - 1, int(m.group(2)) - 1
    top = FIRST_DATA_ROW - 1 + sum(c.height + 1 for c in spec.charts[:index])
    return len(spec.columns) + 1, top


def drawing_xml(spec: TabSpec, chart_rids: list[str]) -> bytes:
    """The drawing part placing each chart of a tab (rel ids in chart order)."""
    anchors = []
    for i, (chart, rid) in enumerate(zip(spec.charts, chart_rids)):
        col, row = _anchor(spec, i, chart)
        w, h = max(chart.width, 1), max(chart.height, 1)
        anchors.append(
            '<xdr:twoCellAnchor editAs="oneCell">'
            f"<xdr:from><xdr:col>{col}</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>{row}</xdr:row>"
            "<xdr:rowOff>0</xdr:rowOff></xdr:from>"
            f"<xdr:to><xdr:col>{col + w}</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>{row + h}</xdr:row>"
            "<xdr:rowOff>0</xdr:rowOff></xdr:to>"
            f'<xdr:graphicFrame macro=""><xdr:nvGraphicFramePr><xdr:cNvPr id="{i + 2}" '
            f'name="{attr_text(chart.title or f"Chart {i + 1}")}"/><xdr:cNvGraphicFramePr/>'
            '</xdr:nvGraphicFramePr><xdr:xfrm><a:off x="0" y="0"/>'
            f'<a:ext cx="{w * _EMU_PER_COL}" cy="{h * _EMU_PER_ROW}"/></xdr:xfrm>'
            f'<a:graphic><a:graphicData uri="{_NS_C}"><c:chart xmlns:c="{_NS_C}" r:id="{rid}"/>'
            "</a:graphicData></a:graphic></xdr:graphicFrame><xdr:clientData/></xdr:twoCellAnchor>")
    xml = (f'{_XML_DECL}<xdr:wsDr xmlns:xdr="{_NS_XDR}" xmlns:a="{_NS_A}" xmlns:r="{_NS_R}">'
           + "".join(anchors) + "</xdr:wsDr>")
    return xml.encode("utf-8")
