"""Money: integer 分 inside sheetbook, one constructor, one rounding rule.

Cells hold 元 as numbers or text (``1,234.50``, ``¥1,234.50``, ``￥88``, ``１２３．４``,
``-50``, ``(50.00)``). :func:`parse_money` turns any of these into an exact number of 分,
rounded half-up; floats never carry money past this edge. ``Decimal`` is used for scalar
arithmetic with rates (:func:`apply_rate`).
"""

from __future__ import annotations

import math
import re
import unicodedata
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

import numpy as np

Fen = int  #: an amount of money in 分 (1 元 = 100 分)

_CURRENCY = re.compile(r"^(?:人民币|RMB|CNY)\s*|\s*(?:元|RMB|CNY)$", re.IGNORECASE)
_NUMBER = re.compile(r"^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$")
_GROUPED = re.compile(r"^[+-]?\d{1,3}(?:,\d{3})+(?:\.\d*)?$")
_CENT = Decimal("0.01")
_HUNDRED = Decimal(100)


class MoneyError(ValueError):
    """A value that cannot be read as money (caught at the edge and turned into a problem)."""


def to_fen(value: Decimal) -> Fen:
    """Round a Decimal number of 元 half-up to 分."""
    return int((value * _HUNDRED).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def float_to_fen(value: float) -> Fen:
    """An Excel number (a float of 元) as 分, exactly as it displays (shortest repr, half-up)."""
    if not math.isfinite(value):
        raise MoneyError(str(value))
    return to_fen(Decimal(repr(float(value))))


def parse_money(value: object) -> Fen | None:
    """Read a cell as money in 分; ``None`` for an empty cell.

    Accepts numbers, and text with currency signs, thousands separators, full-width digits,
    a trailing minus, or accounting parentheses for negatives. Raises :class:`MoneyError` for
    anything else (the reader turns that into a problem naming the cell).
    """
    if value is None:
        return None
    if isinstance(value, bool):
        raise MoneyError(str(value))
    if isinstance(value, int):
        return value * 100
    if isinstance(value, float):
        if math.isnan(value):
            return None
        return float_to_fen(value)
    if isinstance(value, Decimal):
        return to_fen(value)
    if not isinstance(value, str):
        raise MoneyError(str(value))
    text = unicodedata.normalize("NFKC", value).strip().replace(" ", "").replace("\u00a0", "")
    if not text:
        return None
    negative = False
    if text.startswith("(") and text.endswith(")"):
        negative, text = True, text[1:-1]
    if text.startswith("-") or text.startswith("−"):
        negative, text = not negative, text[1:]
    elif text.startswith("+"):
        text = text[1:]
    text = text.lstrip("¥￥$")
    text = _CURRENCY.sub("", text)
    if text.startswith("-"):
        negative, text = not negative, text[1:]
    if text.endswith("-"):
        negative, text = not negative, text[:-1]
    if "," in text:
        if not _GROUPED.match(text):
            raise MoneyError(value)
        text = text.replace(",", "")
    if not _NUMBER.match(text):
        raise MoneyError(value)
    try:
        amount = Decimal(text)
    except InvalidOperation as exc:  # pragma: no cover - regex guards this
        raise MoneyError(value) from exc
    if not amount.is_finite() or abs(amount) >= Decimal("1e15"):
        raise MoneyError(value)
    fen = to_fen(amount)
    return -fen if negative else fen


def floats_to_fen(values: np.ndarray) -> np.ndarray:
    """Vectorised :func:`float_to_fen` for a float array (NaN not allowed).

    Values typed with at most two decimals are within 1e-6 of a whole number of 分 after
    scaling, so rounding them is exact; any other value goes through the Decimal path.
    """
    scaled = values * 100.0
    rounded = np.rint(scaled)
    out = rounded.astype(np.int64)
    odd = np.abs(scaled - rounded) > 1e-6
    if odd.any():
        for i in np.flatnonzero(odd):
            out[i] = float_to_fen(float(values[i]))
    return out


def fen_to_decimal(fen: Fen) -> Decimal:
    """分 as a Decimal number of 元 with two places."""
    return (Decimal(int(fen)) / _HUNDRED).quantize(_CENT)


def format_yuan(fen: Fen | None, sign: str = "") -> str:
    """分 as text: ``1,234.50`` (``sign`` is put in front, e.g. ``¥``)."""
    if fen is None:
        return ""
    fen = int(fen)
    neg = fen < 0
    whole, cents = divmod(abs(fen), 100)
    return f"{'-' if neg else ''}{sign}{whole:,}.{cents:02d}"


def apply_rate(fen: Fen, rate: Decimal) -> Fen:
    """``fen × rate`` rounded half-up to 分."""
    return int((Decimal(int(fen)) * rate).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def divide(fen: Fen, divisor: Decimal) -> Fen:
    """``fen ÷ divisor`` rounded half-up to 分 (e.g. 含税 ÷ 1.01)."""
    return int((Decimal(int(fen)) / divisor).quantize(Decimal(1), rounding=ROUND_HALF_UP))


_DIGITS = "零壹贰叁肆伍陆柒捌玖"
_UNITS = ["", "拾", "佰", "仟"]
_GROUPS = ["", "万", "亿", "万亿"]


def chinese_uppercase(fen: Fen) -> str:
    """The amount in 中文大写 as printed on a 对账单, e.g. ``壹万贰仟元整``."""
    fen = int(fen)
    prefix = "负" if fen < 0 else ""
    fen = abs(fen)
    yuan, cents = divmod(fen, 100)
    jiao, fen_ = divmod(cents, 10)
    if yuan == 0 and cents == 0:
        return "零元整"
    parts: list[str] = []
    if yuan:
        groups = []
        n = yuan
        while n:
            groups.append(n % 10000)
            n //= 10000
        text = ""
        zero_pending = False
        for gi in range(len(groups) - 1, -1, -1):
            g = groups[gi]
            if g == 0:
                zero_pending = bool(text)
                continue
            gtext = ""
            digits = [g // 1000 % 10, g // 100 % 10, g // 10 % 10, g % 10]
            started = False
            inner_zero = False
            for di, d in enumerate(digits):
                if d == 0:
                    if started:
                        inner_zero = True
                    continue
                if (inner_zero or (not started and zero_pending) or (not started and text and di > 0)):
                    gtext += "零"
                inner_zero = False
                zero_pending = False
                started = True
                gtext += _DIGITS[d] + _UNITS[3 - di]
            text += gtext + _GROUPS[gi]
        parts.append(text + "元")
    if cents == 0:
        parts.append("整")
    else:
        if jiao:
            parts.append(_DIGITS[jiao] + "角")
        elif yuan:
            parts.append("零")
        if fen_:
            parts.append(_DIGITS[fen_] + "分")
        else:
            parts.append("整")
    return prefix + "".join(parts)
