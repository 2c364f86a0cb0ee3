"""The few cell formats sheetbook needs, added to ``xl/styles.xml`` once.

The palette is fixed: banner, header, and every column kind (text, money, date, int, percent,
link) crossed with every highlight (none, error, warning, good, total, muted). Each font, fill,
border, number format and cell format is looked up first by meaning (attributes and children,
in any order) and only added when the book has no equal one, so a second run finds them all and
leaves ``styles.xml`` byte-identical. The part is edited as text: new elements go before the
closing tag of their list and the list's ``count`` is updated; nothing else is touched.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass

from ..layout import FORMATS, RESULT_TAB_COLOR
from .package import attrs, element_re, qattr, set_attr

KINDS = ("text", "money", "date", "int", "percent", "link")
HIGHLIGHTS = ("", "error", "warning", "good", "total", "muted")
_FILLS = {"error": "FFFFC7CE", "warning": "FFFFEB9C", "good": "FFC6EFCE",
          "header": "FFDDEBF7", "banner": "FF" + RESULT_TAB_COLOR}
_LINK_COLOR, _MUTED_COLOR, _WHITE = "FF0563C1", "FF808080", "FFFFFFFF"
#: Number formats built into Excel (no numFmt element needed).
_BUILTIN = {"General": 0, "0": 1, "0.00": 2, "#,##0": 3, "#,##0.00": 4, "0%": 9, "0.00%": 10}
_DATE_BUILTINS = set(range(14, 23)) | set(range(27, 37)) | set(range(45, 48)) | set(range(50, 59))

MINIMAL_STYLES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<fonts count="1"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>")


def _key(fragment: str) -> object:
    """An order-insensitive key of an element: its local name, attributes and children."""
    try:
        el = ET.fromstring(re.sub(r"<(/?)[\w.-]+:", r"<\1", fragment))
    except ET.ParseError:
        return fragment

    def walk(e: ET.Element) -> object:
        attrib = tuple(sorted((k.rsplit("}", 1)[-1], v) for k, v in e.attrib.items()
                              if not k.startswith("{http://www.w3.org")))
        return (e.tag.rsplit("}", 1)[-1], attrib, tuple(sorted(map(repr, map(walk, e)))))

    return walk(el)


class StyleSheet:
    """``xl/styles.xml`` as text with find-or-add of fonts, fills, borders, formats and xfs."""

    def __init__(self, text: str | None) -> None:
        self.created = text is None
        self.text = text if text is not None else MINIMAL_STYLES
        self.original = self.text
        m = re.search(r"<((?:[\w.-]+:)?)styleSheet\b", self.text)
        self.p = m.group(1) if m else ""
        self._cache: dict[str, tuple[list[str], dict[object, int]]] = {}

    # ------------------------------------------------------------------------- generic lists
    def _block(self, container: str) -> re.Match[str] | None:
        return element_re(container).search(self.text)

    def _items(self, container: str, item: str) -> list[str]:
        """The item elements of a list (cached; kept current by :meth:`_find_or_add`)."""
        if container not in self._cache:
            block = self._block(container)
            found = [] if block is None else [
                m.group(0) for m in element_re(item).finditer(block.group(0))
                if m.group(0).startswith(f"<{self.p}{item}")]
            self._cache[container] = (found, {})
        return self._cache[container][0]

    def _keys(self, container: str, item: str) -> dict[object, int]:
        items = self._items(container, item)
        keys = self._cache[container][1]
        if not keys and items:
            for i, existing in enumerate(items):
                keys.setdefault(_key(existing), i)
        return keys

    def _find_or_add(self, container: str, item: str, fragment: str, after: tuple[str, ...]) -> int:
        keys = self._keys(container, item)
        key = _key(fragment)
        if key in keys:
            return keys[key]
        items = self._items(container, item)
        p = self.p
        block = self._block(container)
        if block is None:
            self._insert_list(container, after, fragment)
        else:
            whole = block.group(0)
            start = whole[:whole.find(">") + 1]
            if start.endswith("/>"):
                new = f"{start[:-2].rstrip()}>{fragment}</{p}{container}>"
            else:
                close = whole.rfind("</")
                new = whole[:close] + fragment + whole[close:]
            new_start = set_attr(new[:new.find(">") + 1], "count", str(len(items) + 1))
            new = new_start + new[new.find(">") + 1:]
            self.text = self.text[:block.start()] + new + self.text[block.end():]
        items.append(fragment)
        keys[key] = len(items) - 1
        return len(items) - 1

    def _insert_list(self, container: str, after: tuple[str, ...], fragment: str) -> None:
        """Insert a missing list after the last present predecessor (or first in the sheet)."""
        p = self.p
        pos = None
        for prev in after:
            b = self._block(prev)
            if b is not None:
                pos = b.end()
                break
        if pos is None:
            root = re.search(rf"<{re.escape(p)}styleSheet\b[^>]*>", self.text)
            assert root is not None
            pos = root.end()
        self.text = (self.text[:pos] + f'<{p}{container} count="1">{fragment}</{p}{container}>'
                     + self.text[pos:])

    # ------------------------------------------------------------------------- pieces
    def num_fmt(self, code: str) -> int:
        """The id of a number format, adding a ``numFmt`` when the book lacks it."""
        if code in _BUILTIN:
            return _BUILTIN[code]
        used = []
        for item in self._items("numFmts", "numFmt"):
            a = attrs(item)
            fid = int(a.get("numFmtId", "0"))
            used.append(fid)
            if a.get("formatCode") == code:
                return fid
        new_id = max([163, *used]) + 1
        frag = f'<{self.p}numFmt numFmtId="{new_id}" formatCode="{qattr(code)}"/>'
        self._find_or_add("numFmts", "numFmt", frag, ())
        return new_id

    def _font(self, bold: bool = False, underline: bool = False, color: str | None = None) -> int:
        """A font like the book's default font (font 0), made bold, underlined or coloured."""
        p = self.p
        fonts = self._items("fonts", "font")
        base = fonts[0] if fonts else f'<{p}font><{p}sz val="11"/><{p}name val="Calibri"/></{p}font>'
        inner = "" if base.endswith("/>") else base[base.find(">") + 1:base.rfind("</")]
        drop = "b|u|color" if color else "b|u"
        inner = re.sub(rf"<{re.escape(p)}(?:{drop})\b[^>]*?(?:/>|>.*?</{re.escape(p)}(?:{drop})\s*>)",
                       "", inner, flags=re.S)
        head = (f"<{p}b/>" if bold else "") + (f"<{p}u/>" if underline else "")
        tail = f'<{p}color rgb="{color}"/>' if color else ""
        return self._find_or_add("fonts", "font", f"<{p}font>{head}{inner}{tail}</{p}font>",
                                 ("numFmts",))

    def _fill(self, rgb: str) -> int:
        p = self.p
        frag = (f'<{p}fill><{p}patternFill patternType="solid"><{p}fgColor rgb="{rgb}"/>'
                f'<{p}bgColor indexed="64"/></{p}patternFill></{p}fill>')
        return self._find_or_add("fills", "fill", frag, ("fonts", "numFmts"))

    def _top_border(self) -> int:
        p = self.p
        frag = (f'<{p}border><{p}left/><{p}right/><{p}top style="thin"><{p}color auto="1"/></{p}top>'
                f"<{p}bottom/><{p}diagonal/></{p}border>")
        return self._find_or_add("borders", "border", frag, ("fills", "fonts", "numFmts"))

    def _xf(self, num_fmt: int, font: int, fill: int, border: int) -> int:
        a = f'numFmtId="{num_fmt}" fontId="{font}" fillId="{fill}" borderId="{border}" xfId="0"'
        for name, on in (("applyNumberFormat", num_fmt), ("applyFont", font),
                         ("applyFill", fill), ("applyBorder", border)):
            if on:
                a += f' {name}="1"'
        return self._find_or_add("cellXfs", "xf", f"<{self.p}xf {a}/>",
                                 ("cellStyleXfs", "borders", "fills", "fonts", "numFmts"))

    # ------------------------------------------------------------------------- palette
    def palette(self) -> Palette:
        """Every style index a result tab uses (adding what the book lacks)."""
        banner = self._xf(0, self._font(bold=True, color=_WHITE), self._fill(_FILLS["banner"]), 0)
        header = self._xf(0, self._font(bold=True), self._fill(_FILLS["header"]), 0)
        cells: dict[tuple[str, str], int] = {}
        for kind in KINDS:
            fmt = self.num_fmt(FORMATS[kind]) if kind in FORMATS else 0
            for hl in HIGHLIGHTS:
                link = kind == "link"
                font = self._font(bold=hl == "total", underline=link,
                                  color=_MUTED_COLOR if hl == "muted" else _LINK_COLOR if link else None)
                fill = self._fill(_FILLS[hl]) if hl in ("error", "warning", "good") else 0
                border = self._top_border() if hl == "total" else 0
                cells[(kind, hl)] = self._xf(fmt, font, fill, border)
        return Palette(banner, header, cells)

    def date_xf(self) -> int:
        """A plain ``yyyy-mm-dd`` cell format (for dates appended to an input sheet)."""
        return self._xf(self.num_fmt(FORMATS["date"]), 0, 0, 0)

    def is_date_xf(self, index: int) -> bool:
        """Whether cell format ``index`` displays a date."""
        xfs = self._items("cellXfs", "xf")
        if not 0 <= index < len(xfs):
            return False
        fid = int(attrs(xfs[index][:xfs[index].find(">") + 1]).get("numFmtId", "0"))
        if fid in _DATE_BUILTINS:
            return True
        for item in self._items("numFmts", "numFmt"):
            a = attrs(item)
            if a.get("numFmtId") == str(fid):
                code = re.sub(r'"[^"]*"|\[[^\]]*\]|\\.', "", a.get("formatCode", ""))
                return bool(re.search(r"[ymd]", code, re.I)) and "#" not in code
        return False

    @property
    def changed(self) -> bool:
        """Whether anything was added."""
        return self.created or self.text != self.original


@dataclass(frozen=True)
class Palette:
    """Style indexes of a result tab.

    Attributes:
        banner: row 1.
        header: row 2.
        cells: (column kind, highlight or "") → cell format index.
    """

    banner: int
    header: int
    cells: dict[tuple[str, str], int]
