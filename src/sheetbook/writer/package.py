"""The package's listing parts, read and edited as text.

``[Content_Types].xml``, the ``.rels`` parts and ``xl/workbook.xml`` are edited by string surgery,
never re-serialised: Excel's namespace prefixes, ``mc:Ignorable`` lists, extension lists and
attribute order survive untouched, and the edit is exactly the elements added or removed.

Elements are matched with an optional namespace prefix (some producers write ``<x:sheet>``), and
new elements are written with the same prefix as their siblings.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from urllib.parse import unquote
from xml.sax.saxutils import escape, unescape

from ..errors import NotAWorkbookError
from .zipparts import SourceZip

REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
RT = REL_NS + "/"
RT_WORKSHEET = RT + "worksheet"
RT_OFFICE_DOCUMENT = RT + "officeDocument"
RT_STYLES = RT + "styles"
RT_DRAWING = RT + "drawing"
RT_CHART = RT + "chart"
RT_CALC_CHAIN = RT + "calcChain"
RT_TABLE = RT + "table"
CT_WORKSHEET = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
CT_STYLES = "application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"
CT_DRAWING = "application/vnd.openxmlformats-officedocument.drawing+xml"
CT_CHART = "application/vnd.openxmlformats-officedocument.drawingml.chart+xml"

_ATTR = re.compile(r'([\w:.-]+)\s*=\s*(?:"([^"]*)"|\'([^\']*)\')')


def attrs(tag: str) -> dict[str, str]:
    """The attributes of one start tag, unescaped (``{"name": "销售", "r:id": "rId3"}``)."""
    return {m.group(1): unescape(m.group(2) if m.group(2) is not None else m.group(3),
                                 {"&quot;": '"', "&apos;": "'"})
            for m in _ATTR.finditer(tag)}


def qattr(value: str) -> str:
    """A value escaped for a double-quoted attribute."""
    return escape(value, {'"': "&quot;", "\n": "&#10;", "\r": "&#13;", "\t": "&#9;"})


def element_re(local: str) -> re.Pattern[str]:
    """A pattern for an empty or non-empty element ``local`` (any prefix); group 1 = prefix."""
    return re.compile(
        rf"<((?:[\w.-]+:)?){local}\b[^>]*?(?:/>|>.*?</\1{local}\s*>)", re.S)


def start_tag_re(local: str) -> re.Pattern[str]:
    """A pattern for the start tag (or empty tag) of ``local``; group 1 = prefix."""
    return re.compile(rf"<((?:[\w.-]+:)?){local}\b[^>]*>")


def set_attr(tag: str, name: str, value: str) -> str:
    """A start tag with one attribute set (added before the closing ``>`` or ``/>``)."""
    pat = re.compile(rf'(\s{re.escape(name)}\s*=\s*)(?:"[^"]*"|\'[^\']*\')')
    if pat.search(tag):
        return pat.sub(lambda m: f'{m.group(1)}"{qattr(value)}"', tag, count=1)
    end = len(tag) - (2 if tag.endswith("/>") else 1)
    while end > 0 and tag[end - 1].isspace():
        end -= 1
    return f'{tag[:end]} {name}="{qattr(value)}"{tag[end:]}'


def bad(label: str, why: str) -> NotAWorkbookError:
    """A one-line "cannot read this workbook" error."""
    return NotAWorkbookError(f"无法读取工作簿 {label}：{why}", f"Cannot read the workbook {label}: {why}")


# ----------------------------------------------------------------------------- parts & rels

def rels_name(part: str) -> str:
    """The relationships part of a part: ``xl/workbook.xml`` → ``xl/_rels/workbook.xml.rels``."""
    folder, base = posixpath.split(part)
    return posixpath.join(folder, "_rels", base + ".rels")


def resolve(source_part: str, target: str) -> str:
    """A relationship target as a zip entry name (relative to the source part's folder)."""
    target = unquote(target.split("#", 1)[0])
    if target.startswith("/"):
        return posixpath.normpath(target.lstrip("/"))
    return posixpath.normpath(posixpath.join(posixpath.dirname(source_part), target))


def relative(source_part: str, target_part: str) -> str:
    """The relative target from one part to another."""
    return posixpath.relpath(target_part, posixpath.dirname(source_part) or ".")


@dataclass(frozen=True)
class Rel:
    """One relationship.

    Attributes:
        id: ``rId3``.
        type: the relationship type URI.
        target: the target as written.
        external: ``TargetMode="External"``.
        text: the element as written in the rels part.
    """

    id: str
    type: str
    target: str
    external: bool
    text: str


_REL = element_re("Relationship")


class Rels:
    """A ``.rels`` part held as text, with add and remove by id."""

    EMPTY = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
             '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
             "</Relationships>")

    def __init__(self, text: str | None) -> None:
        self.text = text if text is not None else self.EMPTY
        self.original = text

    def items(self) -> list[Rel]:
        """Every relationship, in document order."""
        out = []
        for m in _REL.finditer(self.text):
            a = attrs(m.group(0)[:m.group(0).find(">") + 1])
            out.append(Rel(a.get("Id", ""), a.get("Type", ""), a.get("Target", ""),
                           a.get("TargetMode", "") == "External", m.group(0)))
        return out

    def internal_targets(self, source_part: str) -> list[tuple[Rel, str]]:
        """``(rel, entry name)`` for every internal relationship."""
        return [(r, resolve(source_part, r.target)) for r in self.items() if not r.external]

    def new_id(self) -> str:
        """An unused ``rIdN``."""
        used = {r.id for r in self.items()}
        n = 1
        while f"rId{n}" in used:
            n += 1
        return f"rId{n}"

    def add(self, rel_type: str, target: str) -> str:
        """Add a relationship; returns its id."""
        rid = self.new_id()
        m = re.search(r"</((?:[\w.-]+:)?)Relationships\s*>", self.text)
        elem = (f'<{m.group(1) if m else ""}Relationship Id="{rid}" Type="{qattr(rel_type)}" '
                f'Target="{qattr(target)}"/>')
        if m:
            self.text = self.text[:m.start()] + elem + self.text[m.start():]
        else:  # <Relationships .../> (empty element)
            root = start_tag_re("Relationships").search(self.text)
            if root is None:
                raise ValueError("not a relationships part")
            prefix = root.group(1)
            self.text = (self.text[:root.start()] + root.group(0)[:-2].rstrip() + ">" + elem
                         + f"</{prefix}Relationships>" + self.text[root.end():])
        return rid

    def remove(self, rel_id: str) -> None:
        """Remove the relationship with this id."""
        for r in self.items():
            if r.id == rel_id:
                self.text = self.text.replace(r.text, "", 1)
                return


# ----------------------------------------------------------------------------- content types

_OVERRIDE = element_re("Override")
_DEFAULT = element_re("Default")


class ContentTypes:
    """``[Content_Types].xml`` held as text."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.original = text

    def _overrides(self) -> list[tuple[str, str]]:
        return [(attrs(m.group(0)).get("PartName", ""), m.group(0))
                for m in _OVERRIDE.finditer(self.text)]

    def type_of(self, part: str) -> str | None:
        """The content type of a zip entry (Override, else Default by extension)."""
        key = "/" + part.casefold()
        for name, elem in self._overrides():
            if name.casefold() == key:
                return attrs(elem).get("ContentType")
        ext = posixpath.splitext(part)[1].lstrip(".").casefold()
        for m in _DEFAULT.finditer(self.text):
            a = attrs(m.group(0))
            if a.get("Extension", "").casefold() == ext:
                return a.get("ContentType")
        return None

    def set_override(self, part: str, content_type: str) -> None:
        """Ensure an Override for ``part`` with this content type."""
        key = "/" + part.casefold()
        for name, elem in self._overrides():
            if name.casefold() == key:
                if attrs(elem).get("ContentType") != content_type:
                    self.text = self.text.replace(elem, set_attr(
                        elem[:elem.find(">") + 1], "ContentType", content_type)
                        + elem[elem.find(">") + 1:], 1)
                return
        m = re.search(r"</((?:[\w.-]+:)?)Types\s*>", self.text)
        if m is None:
            raise ValueError("bad [Content_Types].xml")
        elem = (f'<{m.group(1)}Override PartName="/{qattr(part)}" '
                f'ContentType="{qattr(content_type)}"/>')
        self.text = self.text[:m.start()] + elem + self.text[m.start():]

    def remove_override(self, part: str) -> None:
        """Drop the Override of a part that no longer exists."""
        key = "/" + part.casefold()
        for name, elem in self._overrides():
            if name.casefold() == key:
                self.text = self.text.replace(elem, "", 1)


# ----------------------------------------------------------------------------- the package graph

def load_rels(src: SourceZip, part: str, edited: dict[str, Rels] | None = None) -> Rels | None:
    """The rels of a part (an edited copy when there is one), or None."""
    name = rels_name(part)
    if edited is not None and name in edited:
        return edited[name]
    real = src.real_name(name)
    return Rels(src.read_text(real)) if real else None


def reachable(src: SourceZip, roots: list[str], edited: dict[str, Rels],
              dropped: set[str]) -> set[str]:
    """Every part reachable from ``roots`` through internal relationships (and their rels).

    ``edited`` overrides rels parts by name; parts in ``dropped`` are treated as absent.
    """
    seen: set[str] = set()
    todo = list(roots)
    while todo:
        part = todo.pop()
        key = part.casefold()
        if key in seen or part in dropped:
            continue
        seen.add(key)
        rels = load_rels(src, part, edited)
        if rels is None:
            continue
        if rels.original is not None or rels.items():
            seen.add(rels_name(part).casefold())
        todo.extend(t for _, t in rels.internal_targets(part))
    return seen
