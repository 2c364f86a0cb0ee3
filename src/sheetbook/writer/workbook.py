"""``xl/workbook.xml`` as text: the sheet list, calculation settings, filter names, and the
test of whether a sheet is one of sheetbook's result tabs (its A1 starts with the banner)."""

from __future__ import annotations

import codecs
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass

from ..layout import BANNER
from .package import (
    REL_NS,
    RT,
    RT_OFFICE_DOCUMENT,
    RT_WORKSHEET,
    Rels,
    attrs,
    bad,
    element_re,
    load_rels,
    qattr,
    resolve,
    set_attr,
    start_tag_re,
)
from .zipparts import SourceZip

#: Elements that follow ``definedNames`` / ``calcPr`` in CT_Workbook, in schema order.
_AFTER_DEFINED_NAMES = ("calcPr", "oleSize", "customWorkbookViews", "pivotCaches", "smartTagPr",
                        "smartTagTypes", "webPublishing", "fileRecoveryPr", "webPublishObjects",
                        "extLst")
_SHEET = start_tag_re("sheet")
_FILTER_DB = "_xlnm._FilterDatabase"
_STRICT_OFFICE_DOCUMENT = "http://purl.oclc.org/ooxml/officeDocument/relationships/officeDocument"


@dataclass(frozen=True)
class SheetEntry:
    """A ``<sheet>`` of the workbook.

    Attributes:
        name: the sheet name.
        sheet_id: ``sheetId``.
        rid: the relationship id pointing at the sheet part.
        index: 0-based position in the sheet order (``localSheetId``).
    """

    name: str
    sheet_id: int
    rid: str
    index: int


class Workbook:
    """The workbook part, its rels, and edits to both (as text)."""

    def __init__(self, src: SourceZip) -> None:
        self.src = src
        root = load_rels(src, "")
        if root is None:
            raise bad(src.label, "no _rels/.rels (not an Office package)")
        parts = [t for r, t in root.internal_targets("")
                 if r.type in (RT_OFFICE_DOCUMENT, _STRICT_OFFICE_DOCUMENT)]
        if not parts or not src.has(parts[0]):
            raise bad(src.label, "no workbook part (is this a Word or PowerPoint file?)")
        self.part = src.real_name(parts[0]) or parts[0]
        self.text = src.read_text(self.part)
        self.original = self.text
        self.rels = load_rels(src, self.part) or Rels(None)
        m = re.search(r"<((?:[\w.-]+:)?)workbook\b", self.text)
        if m is None:
            raise bad(src.label, f"{self.part} is not a workbook")
        self.prefix = m.group(1)
        if "http://purl.oclc.org/ooxml/spreadsheetml/main" in self.text[:m.end() + 2000]:
            raise bad(src.label, "Strict Open XML is not supported (save it as a normal .xlsx)")
        m = re.search(r'xmlns:([\w.-]+)\s*=\s*"' + re.escape(REL_NS) + '"', self.text)
        self.r = m.group(1) if m else "r"
        if not m:  # declare it on the root so that new <sheet r:id> elements are valid
            root_tag = start_tag_re("workbook").search(self.text)
            assert root_tag is not None
            self.text = (self.text[:root_tag.start()]
                         + set_attr(root_tag.group(0), "xmlns:r", REL_NS) + self.text[root_tag.end():])

    # ------------------------------------------------------------------------- reading
    def sheets(self) -> list[SheetEntry]:
        """The sheets in book order."""
        block = self._sheets_block()
        out = []
        for i, m in enumerate(_SHEET.finditer(self.text, block[0], block[1])):
            a = attrs(m.group(0))
            try:
                sid = int(a.get("sheetId", "0"))
            except ValueError:
                sid = 0
            out.append(SheetEntry(a.get("name", ""), sid, a.get(f"{self.r}:id", ""), i))
        return out

    def _sheets_block(self) -> tuple[int, int]:
        m = re.search(rf"<{re.escape(self.prefix)}sheets\b[^>]*>(.*?)</{re.escape(self.prefix)}sheets\s*>",
                      self.text, re.S)
        if m is None:
            raise bad(self.src.label, "the workbook lists no sheets")
        return m.start(1), m.end(1)

    def sheet_part(self, sheet: SheetEntry) -> tuple[str, str] | None:
        """``(relationship type, part name)`` of a sheet, or None when its rel is missing."""
        for r in self.rels.items():
            if r.id == sheet.rid and not r.external:
                return r.type, resolve(self.part, r.target)
        return None

    def rel_target(self, rel_type: str) -> str | None:
        """The part of the first workbook relationship of this type."""
        for r, target in self.rels.internal_targets(self.part):
            if r.type == rel_type:
                return target
        return None

    # ------------------------------------------------------------------------- editing
    def add_sheet(self, name: str, rid: str) -> SheetEntry:
        """Append a ``<sheet>`` at the end of the sheet order."""
        sheets = self.sheets()
        sid = max((s.sheet_id for s in sheets), default=0) + 1
        elem = f'<{self.prefix}sheet name="{qattr(name)}" sheetId="{sid}" {self.r}:id="{rid}"/>'
        _, end = self._sheets_block()
        self.text = self.text[:end] + elem + self.text[end:]
        return SheetEntry(name, sid, rid, len(sheets))

    def _insert_before_successor(self, names: tuple[str, ...], elem: str) -> None:
        _, start = self._sheets_block()
        best = None
        for local in names:
            m = re.compile(rf"<{re.escape(self.prefix)}{local}\b").search(self.text, start)
            if m and (best is None or m.start() < best):
                best = m.start()
        if best is None:
            m = re.search(rf"</{re.escape(self.prefix)}workbook\s*>", self.text)
            if m is None:
                raise bad(self.src.label, "unterminated workbook.xml")
            best = m.start()
        self.text = self.text[:best] + elem + self.text[best:]

    def full_calc_on_load(self) -> None:
        """Ask Excel to recalculate every formula when the book is opened."""
        m = start_tag_re("calcPr").search(self.text)
        if m:
            new = set_attr(m.group(0), "fullCalcOnLoad", "1")
            self.text = self.text[:m.start()] + new + self.text[m.end():]
        else:
            self._insert_before_successor(_AFTER_DEFINED_NAMES[1:],
                                          f'<{self.prefix}calcPr fullCalcOnLoad="1"/>')

    def set_filter_range(self, sheet: SheetEntry, ref: str, only_existing: bool = False) -> None:
        """Set the hidden ``_xlnm._FilterDatabase`` name of a sheet to ``ref`` (A1:H10).

        With ``only_existing`` a missing name is not added.
        """
        a, b = ref.split(":") if ":" in ref else (ref, ref)
        formula = qattr_text("'" + sheet.name.replace("'", "''") + "'!" + _abs(a) + ":" + _abs(b))
        p = self.prefix
        elem = (f'<{p}definedName name="{_FILTER_DB}" localSheetId="{sheet.index}" hidden="1">'
                f"{formula}</{p}definedName>")
        for m in element_re("definedName").finditer(self.text):
            a_ = attrs(m.group(0)[:m.group(0).find(">") + 1])
            if a_.get("name") == _FILTER_DB and a_.get("localSheetId") == str(sheet.index):
                self.text = self.text[:m.start()] + elem + self.text[m.end():]
                return
        if only_existing:
            return
        block = re.compile(rf"<{re.escape(p)}definedNames\b[^>]*?(/?)>").search(self.text)
        if block is None:
            self._insert_before_successor(_AFTER_DEFINED_NAMES,
                                          f"<{p}definedNames>{elem}</{p}definedNames>")
        elif block.group(1):  # <definedNames/>
            self.text = (self.text[:block.start()] + f"<{p}definedNames>{elem}</{p}definedNames>"
                         + self.text[block.end():])
        else:
            end = re.compile(rf"</{re.escape(p)}definedNames\s*>").search(self.text, block.end())
            if end is None:
                raise bad(self.src.label, "unterminated definedNames")
            self.text = self.text[:end.start()] + elem + self.text[end.start():]


def qattr_text(value: str) -> str:
    """Text content escaped for XML."""
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _abs(ref: str) -> str:
    m = re.fullmatch(r"([A-Z]+)(\d+)", ref)
    return f"${m.group(1)}${m.group(2)}" if m else ref


# ----------------------------------------------------------------------------- banner test

_SHEETDATA = re.compile(r"<((?:[\w.-]+:)?)sheetData\b[^>]*?(/?)>")
_FIRST_CELL_LIMIT = 4 << 20


def a1_text(src: SourceZip, sheet_part: str, shared_strings: str | None) -> str | None:
    """The text in A1 of a worksheet (inline, shared or formula string), or None.

    Only the start of the part is decompressed (up to the first cell), so this stays cheap on
    a sheet of 100k rows.
    """
    dec = codecs.getincrementaldecoder("utf-8")(errors="replace")
    text = ""
    cell = None
    for chunk in src.iter_chunks(sheet_part, 64 << 10):
        text += dec.decode(chunk)
        sd = _SHEETDATA.search(text)
        if sd:
            if sd.group(2):
                return None
            p = re.escape(sd.group(1))
            rest = text[sd.end():]
            if re.match(rf"\s*</{p}sheetData", rest):
                return None
            row = re.match(rf"\s*<{p}row\b([^>]*?)(/?)>", rest)
            if row:
                if attrs(row.group(1)).get("r", "1") != "1" or row.group(2):
                    return None
                cell = re.compile(rf"<{p}c\b([^>]*?)(?:/>|>(.*?)</{p}c\s*>)", re.S).match(
                    rest, row.end()) or _cell_after_ws(rest, row.end(), p)
                if cell is not None:
                    break
                if re.compile(rf"\s*</{p}row").match(rest, row.end()):
                    return None
        if len(text) > _FIRST_CELL_LIMIT:
            return None
    if cell is None:
        return None
    a = attrs(cell.group(1))
    if a.get("r", "A1").upper() != "A1":
        return None
    body = cell.group(2) or ""
    kind = a.get("t", "n")
    p = re.escape(sd.group(1)) if sd else ""
    if kind == "inlineStr":
        return "".join(_unescape(t) for t in re.findall(
            rf"<{p}t\b[^>]*>(.*?)</{p}t\s*>", body, re.S))
    v = re.search(rf"<{p}v\b[^>]*>(.*?)</{p}v\s*>", body, re.S)
    if v is None:
        return None
    if kind == "str":
        return _unescape(v.group(1))
    if kind == "s" and shared_strings:
        try:
            return shared_string(src, shared_strings, int(v.group(1)))
        except ValueError:
            return None
    return None


def _cell_after_ws(rest: str, pos: int, p: str) -> re.Match[str] | None:
    return re.compile(rf"\s+<{p}c\b([^>]*?)(?:/>|>(.*?)</{p}c\s*>)", re.S).match(rest, pos)


def _unescape(s: str) -> str:
    try:
        return ET.fromstring(f"<t>{s}</t>").text or ""
    except ET.ParseError:
        return s


def shared_string(src: SourceZip, part: str, index: int) -> str | None:
    """Shared string ``index`` (its text runs joined; phonetic runs left out), streamed."""
    n = -1
    skip_depth = 0
    texts: list[str] = []
    try:
        with src.zf.open(src.real_name(part) or part) as fh:
            for event, el in ET.iterparse(fh, events=("start", "end")):
                local = el.tag.rsplit("}", 1)[-1]
                if event == "start":
                    if local == "si":
                        n += 1
                        texts = []
                    elif local == "rPh":
                        skip_depth += 1
                    continue
                if local == "rPh":
                    skip_depth -= 1
                elif local == "t" and n == index and not skip_depth:
                    texts.append(el.text or "")
                elif local == "si":
                    if n == index:
                        return "".join(texts)
                    el.clear()
    except (ET.ParseError, OSError, EOFError, ValueError):
        return None
    return None


def is_banner(text: str | None) -> bool:
    """Whether a cell text is sheetbook's banner (in any language)."""
    return bool(text) and any(text.startswith(b) for b in BANNER.values())  # type: ignore[union-attr]


def shared_strings_part(wb: Workbook) -> str | None:
    """The shared strings part of the book, if any."""
    return wb.rel_target(RT + "sharedStrings")


def is_result_part(wb: Workbook, sheet: SheetEntry) -> bool:
    """Whether this sheet is a worksheet whose A1 carries sheetbook's banner."""
    found = wb.sheet_part(sheet)
    if found is None or found[0] != RT_WORKSHEET or not wb.src.has(found[1]):
        return False
    return is_banner(a1_text(wb.src, found[1], shared_strings_part(wb)))
