"""Column converters: raw cell values (as the fast reader gives them) → typed columns.

Each converter takes the list of raw values of one column (data rows only) and returns the
typed values plus the positions that could not be read. They are lenient in the ways the
contract promises (text numbers, full-width digits, currency signs, many date spellings) and
strict where guessing would be wrong. Repeated strings are parsed once (a cache per column):
ids, dates and choices repeat a lot in real books.
"""

from __future__ import annotations

import datetime as dt
import sys
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


_BAD = object()
_MISS = object()
_DATE, _DATETIME = dt.date, dt.datetime
#: Types whose equal values always parse alike, so one parse per distinct value is enough
#: (numbers are left out: ``1 == 1.0 == True`` would share a cache entry but not a parse).
_MEMO_TYPES = (str, _DATE, _DATETIME)
_MEMO_SET = frozenset(_MEMO_TYPES)


def _generic(values: Sequence[object], parse: Callable[[object], object], errors: tuple) -> tuple[list, Bad]:
    """Parse each non-blank value; one parse per distinct string or date (they repeat a lot)."""
    if values and set(map(type, values)) <= _MEMO_SET:
        return _by_distinct(values, parse, errors)
    out: list = [None] * len(values)
    bad: Bad = []
    memo: dict[object, object] = {}
    memo_get = memo.get
    for i, v in enumerate(values):
        t = type(v)
        if t is str or t is _DATE or t is _DATETIME:
            hit = memo_get(v, _MISS)
            if hit is _MISS:
                if t is str and not v.strip():  # type: ignore[union-attr]
                    hit = None
                else:
                    try:
                        hit = parse(v)
                    except errors:
                        hit = _BAD
                memo[v] = hit
        elif t is float:
            if v != v:  # NaN: blank
                continue
            try:
                hit = parse(v)
            except errors:
                hit = _BAD
        else:
            if is_blank(v):
                continue
            try:
                hit = parse(v)
            except errors:
                hit = _BAD
        if hit is _BAD:
            bad.append((i, v))
        elif hit is not None:
            out[i] = hit
    return out, bad


def _by_distinct(values: Sequence[object], parse: Callable[[object], object], errors: tuple) -> tuple[list, Bad]:
    """:func:`_generic` for a column of strings and dates only: parse each distinct value once,
    then look every cell up (no Python-level loop over the cells)."""
    memo: dict[object, object] = {}
    for v in set(values):
        if type(v) is str and not v.strip():  # type: ignore[union-attr]
            memo[v] = None
            continue
        try:
            memo[v] = parse(v)
        except errors:
            memo[v] = _BAD
    out = list(map(memo.__getitem__, values))
    if not any(hit is _BAD for hit in memo.values()):
        return out, []
    bad: Bad = [(i, v) for i, (v, hit) in enumerate(zip(values, out)) if hit is _BAD]
    for i, _ in bad:
        out[i] = None
    return out, bad


_EMPTY_AS_NAN = {"": float("nan")}


def _numbers_or_none(values: Sequence[object], types: set[type]) -> list[float] | None:
    """The column as floats when it holds only numbers and empty cells ('' → NaN), else None."""
    if types == {float}:
        return values  # type: ignore[return-value]
    if types == {float, str}:
        floats = list(map(_EMPTY_AS_NAN.get, values, values))  # '' → NaN, the rest unchanged
        if set(map(type, floats)) == {float}:
            return floats
    return None


def to_money(values: Sequence[object]) -> tuple[pd.Series, Bad]:
    """Money column → Int64 分; numbers take a vectorised exact path."""
    n = len(values)
    out = np.zeros(n, dtype=np.int64)
    mask = np.zeros(n, dtype=bool)  # True = missing
    types = set(map(type, values))
    numbers = _numbers_or_none(values, types)
    if numbers is not None:  # blank cells are NaN and NaN is blank: the same column as floats
        values, types = numbers, {float}
    if types == {float}:  # the common case: every cell a number (NaN = blank)
        floats_idx = None
        arr = np.array(values, dtype=np.float64)
        rest_idx: list[int] = []
    else:
        floats_idx = [i for i, v in enumerate(values) if type(v) is float]
        arr = np.array([values[i] for i in floats_idx], dtype=np.float64)
        if int in types:
            ints_idx = [i for i, v in enumerate(values) if type(v) is int]
            out[ints_idx] = [values[i] * 100 for i in ints_idx]
        rest_idx = [i for i, v in enumerate(values) if type(v) is not float and type(v) is not int]
        if str in types:  # empty cells ('') are blank: no need to parse them
            empty = [i for i in rest_idx if values[i] == "" and type(values[i]) is str]
            if empty:
                mask[empty] = True
                rest_idx = [i for i in rest_idx if not (values[i] == "" and type(values[i]) is str)]
    if len(arr):
        nan = np.isnan(arr)
        finite = ~nan
        values_ok = arr[finite]
        if (np.abs(values_ok) < 1e13).all():  # also False for ±inf
            fen = np.zeros(len(arr), dtype=np.int64)
            fen[finite] = floats_to_fen(values_ok)
            if floats_idx is None:
                out, mask = fen, nan
            else:
                idx = np.asarray(floats_idx, dtype=np.intp)
                out[idx] = fen
                mask[idx] = nan
        else:
            # as before the fast path: NaN is blank, every other float is parsed one by one
            idx = list(range(n)) if floats_idx is None else floats_idx
            flags = nan.tolist()
            mask[[i for i, f in zip(idx, flags) if f]] = True
            rest_idx += [i for i, f in zip(idx, flags) if not f]
    bad: Bad = []
    if rest_idx:
        parsed, bad_rest = _generic([values[i] for i in rest_idx], _money_or_error, (MoneyError,))
        where = np.asarray(rest_idx, dtype=np.intp)
        missing = np.array([p is None for p in parsed], dtype=bool)  # blank or unreadable
        mask[where[missing]] = True
        out[where[~missing]] = [p for p in parsed if p is not None]
        bad = [(rest_idx[j], raw) for j, raw in bad_rest]
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


_UNIX_ORDINAL = dt.date(1970, 1, 1).toordinal()
_NAT = np.iinfo(np.int64).min


def _date_days(v: object) -> int | None:
    """A cell as days since 1970-01-01 (None when blank)."""
    d = _date_value(v)
    return None if d is None else d.toordinal() - _UNIX_ORDINAL


def to_date(values: Sequence[object]) -> tuple[pd.Series, Bad]:
    """Date column → datetime64[s] at midnight (NaT when blank or unreadable)."""
    parsed, bad = _generic(values, _date_days, (DateError, ValueError, OverflowError))
    days = np.array([_NAT if p is None else p for p in parsed], dtype=np.int64).view("datetime64[D]")
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
    numbers = _numbers_or_none(values, set(map(type, values)))
    if numbers is not None:  # every cell a number or blank ('' and NaN → NaN)
        return pd.Series(np.array(numbers, dtype=np.float64)), []
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
    if values and set(map(type, values)) == {str}:
        # one object per distinct text (interned): ids and names repeat, and the reader gives each
        # cell its own copy (≈ 100 MB less at 300k rows)
        return pd.Series(list(map(sys.intern, map(str.strip, values))), dtype=object), []
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
    memo: dict[str, str] = {}  # strings only: 1 == 1.0 == True would share an entry

    def one(v: object) -> str:
        text = clean_text(v)
        return table.get(normalize_id(text), text) if text else ""

    if values and set(map(type, values)) == {str}:
        memo = {v: one(v) for v in set(values)}
        return pd.Series(list(map(memo.__getitem__, values)), dtype=object), []
    out = []
    for v in values:
        if type(v) is str:
            hit = memo.get(v)
            if hit is None:
                hit = memo[v] = one(v)
            out.append(hit)
        else:
            out.append(one(v))
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
