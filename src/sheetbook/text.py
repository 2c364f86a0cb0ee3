"""Text helpers shared by the reader and the jobs: id normalisation and cell names."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_SPACES = re.compile(r"\s+")


@lru_cache(maxsize=1 << 18)
def _normalize_str(value: str) -> str:
    return _SPACES.sub(" ", unicodedata.normalize("NFKC", value)).strip().casefold()


def normalize_id(value: object) -> str:
    """The comparison key of an id: NFKC (full-width → half-width), trimmed, case-folded."""
    if value is None:
        return ""
    if type(value) is str:
        return _normalize_str(value)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return _normalize_str(str(value))


def normalize_header(value: object) -> str:
    """The comparison key of a header cell: NFKC, no spaces, no ``*``, case-folded."""
    if value is None:
        return ""
    text = unicodedata.normalize("NFKC", str(value))
    text = text.replace("*", "").replace("（", "(").replace("）", ")")
    text = re.sub(r"\(.*?\)$", "", text.strip())  # "金额(元)" -> "金额"
    return _SPACES.sub("", text).casefold()


def clean_text(value: object) -> str:
    """A text cell as a trimmed string ('' for empty); whole floats lose their ``.0``."""
    if value is None:
        return ""
    if isinstance(value, float):
        if value != value:  # NaN
            return ""
        if value.is_integer():
            return str(int(value))
    return str(value).strip().strip("\t").strip()


def column_letter(index: int) -> str:
    """0-based column index → Excel letters (0 → A, 26 → AA)."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def quote_sheet(name: str) -> str:
    """A sheet name as it appears in a formula reference (quoted when needed)."""
    if re.fullmatch(r"[A-Za-z_\u4e00-\u9fff][\w\u4e00-\u9fff]*", name):
        return name
    return "'" + name.replace("'", "''") + "'"


def split_list(value: str) -> list[str]:
    """Split ``a;b；c`` (half- or full-width semicolons, also commas) into trimmed parts."""
    parts = re.split(r"[;；,，、]", value or "")
    return [p.strip() for p in parts if p.strip()]
