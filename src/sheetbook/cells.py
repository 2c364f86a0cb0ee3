"""Column converters: raw cell values (as the fast reader gives them) → typed columns.

Each converter takes the list of raw values of one column (data rows only) and returns the
typed values plus the positions that could not be read. They are lenient in the ways the
contract promises (text numbers, full-width digits, currency signs, many date spellings) and
strict where guessing would be wrong. Repeated strings are parsed once (a cache per column):
ids, dates and choices repeat a lot in real books.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Callable, Sequence
from decimal import Decimal, InvalidOperation

import numpy as np
import pandas as pd

from .dates import DateError, parse_date
from .layout import Choice, Column
from .money import MoneyError, floats_to_fen, parse_money
from .text import clean_text, normalize_id

Bad = list[tuple[int, object]]  #: (position in the column, raw value) that could not be read


def is_blank(value: object) -> bool:
    """An empty cell: None, '', whitespace, or NaN."""
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, float):
        return value != value
    return False


def _generic(values: Sequence[object], parse: Callable[[object], object], errors: tuple) -> tuple[list, Bad]:
    out: list = [None] * len(values)
    bad: Bad = []
    cache: dict[str, object] = {}
    for i, v in enumerate(values):
        if is_blank(v):
            continue
        if isinstance(v, str):
            hit = cache.get(v, cache)
            if hit is cache:
                try:
                    hit = parse(v)
                except errors:
                    hit = _BAD
                cache[v] = hit
            if hit is _BAD:
                bad.append((i, v))
            else:
                out[i] = hit
            continue
        try:
            out[i] = parse(v)
        except errors:
            bad.append((i, v))
    return out, bad


_BAD = object()


def to_money(values: Sequence[object]) -> tuple[pd.Series, Bad]:
    """Money column → Int64 分; numbers take a vectorised exact path."""
    n = len(values)
    out = np.zeros(n, dtype=np.int64)
    mask = np.zeros(n, dtype=bool)  # True = missing
    floats_idx: list[int] = []
    floats_val: list[float] = []
    rest_idx: list[int] = []
    for i, v in enumerate(values):
        t = type(v)
        if t is float:
            if v != v:
                mask[i] = True
            else:
                floats_idx.append(i)
                floats_val.append(v)
        elif t is int:
            out[i] = v * 100
        else:
            rest_idx.append(i)
    if floats_idx:
        arr = np.asarray(floats_val, dtype=np.float64)
        finite = np.isfinite(arr) & (np.abs(arr) < 1e13)
        if finite.all():
            out[np.asarray(floats_idx)] = floats_to_fen(arr)
        else:
            rest_idx.extend(floats_idx)
    bad: Bad = []
    if rest_idx:
        parsed, bad_rest = _generic([values[i] for i in rest_idx], _money_or_error, (MoneyError,))
        for j, i in enumerate(rest_idx):
            if parsed[j] is None:
                mask[i] = True
            else:
                out[i] = parsed[j]
        bad = [(rest_idx[j], raw) for j, raw in bad_rest]
        for i, _ in bad:
            mask[i] = True
    return pd.Series(pd.arrays.IntegerArray(out, mask)), bad


def _money_or_error(v: object) -> int | None:
    return parse_money(v)


def _date_value(v: object) -> dt.date | None:
    t = type(v)
    if t is dt.date:
        return v  # type: ignore[return-value]
    if t is dt.datetime:
        return v.date()  # type: ignore[union-attr]
    return parse_date(v)


def to_date(values: Sequence[object]) -> tuple[pd.Series, Bad]:
    """Date column → datetime64[s] at midnight (NaT when blank or unreadable)."""
    parsed, bad = _generic(values, _date_value, (DateError, ValueError, OverflowError))
    days = np.array(parsed, dtype="datetime64[D]") if parsed else np.array([], dtype="datetime64[D]")
    return pd.Series(days.astype("datetime64[s]")), bad


def _int_value(v: object) -> int:
    if isinstance(v, bool):
        raise ValueError(v)
    if isinstance(v, int):
        return v
    if isinstance(v, float):
        if v.is_integer():
            return int(v)
        raise ValueError(v)
    text = unicodedata.normalize("NFKC", str(v)).strip().replace(",", "")
    for suffix in ("天", "days", "day"):
        text = text.removesuffix(suffix).strip()
    d = Decimal(text)
    if d != d.to_integral_value():
        raise ValueError(v)
    return int(d)


def to_int(values: Sequence[object]) -> tuple[pd.Series, Bad]:
    """Whole-number column → Int64."""
    parsed, bad = _generic(values, _int_value, (ValueError, InvalidOperation))
    return pd.Series(parsed, dtype="Int64"), bad


def _number_value(v: object) -> float:
    if isinstance(v, bool):
        raise ValueError(v)
    if isinstance(v, int | float):
        return float(v)
    text = unicodedata.normalize("NFKC", str(v)).strip().replace(",", "")
    return float(Decimal(text))


def to_number(values: Sequence[object]) -> tuple[pd.Series, Bad]:
    """Number column (数量) → float64 (NaN when blank). Not money: never multiplied as float."""
    parsed, bad = _generic(values, _number_value, (ValueError, InvalidOperation))
    return pd.Series([np.nan if p is None else p for p in parsed], dtype="float64"), bad


def parse_percent(v: object) -> Decimal:
    """``10%``, ``0.1``, ``10`` (read as 10%) → Decimal fraction."""
    if isinstance(v, bool):
        raise ValueError(v)
    if isinstance(v, int | float):
        d = Decimal(repr(v))
    else:
        text = unicodedata.normalize("NFKC", str(v)).strip()
        if text.endswith("%"):
            return Decimal(text[:-1].strip()) / 100
        d = Decimal(text)
    return d / 100 if d > 1 else d


def to_text(values: Sequence[object]) -> tuple[pd.Series, Bad]:
    """Text or id column → str, '' for blank."""
    return pd.Series([v.strip() if type(v) is str else clean_text(v) for v in values], dtype=object), []


def choice_lookup(choices: Sequence[Choice]) -> dict[str, str]:
    """Every accepted spelling (normalised) → the canonical value."""
    table: dict[str, str] = {}
    for c in choices:
        for spelling in (c.zh, c.en, *c.aliases):
            table[normalize_id(spelling)] = c.zh
    return table


def to_choice(values: Sequence[object], choices: Sequence[Choice]) -> tuple[pd.Series, Bad]:
    """Choice column → canonical value; values outside the list are kept as typed.

    Whether a value outside the list is an error is the schema's decision (some lists are open).
    """
    table = choice_lookup(choices)
    out = []
    for v in values:
        text = clean_text(v)
        out.append(table.get(normalize_id(text), text) if text else "")
    return pd.Series(out, dtype=object), []


def convert(column: Column, values: Sequence[object]) -> tuple[pd.Series, Bad]:
    """Convert one column's raw values by the column's kind."""
    kind = column.kind
    if kind == "money":
        return to_money(values)
    if kind == "date":
        return to_date(values)
    if kind == "int":
        return to_int(values)
    if kind == "number":
        return to_number(values)
    if kind in ("choice", "yesno"):
        return to_choice(values, column.choices)
    return to_text(values)


BAD_CODES = {"money": "cell.bad_money", "date": "cell.bad_date", "int": "cell.bad_int",
             "number": "cell.bad_number", "percent": "cell.bad_percent"}


def shown(value: object) -> str:
    """A raw value as text for a problem message."""
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return clean_text(value) if not isinstance(value, str) else value.strip()
