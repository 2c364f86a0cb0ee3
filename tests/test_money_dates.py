"""Unit tests of the value readers: money.parse_money, dates.parse_date, text.normalize_id.

Tables of what a shop owner types, what must come out, and what must be refused; then
hypothesis round trips (any amount in 分 formatted as text reads back to itself; any float
typed with at most two decimals reads exactly).
"""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sheetbook.cells import to_date, to_int, to_money, to_number
from sheetbook.dates import DateError, from_serial, parse_date
from sheetbook.money import MoneyError, floats_to_fen, format_yuan, parse_money, to_fen
from sheetbook.text import clean_text, column_letter, normalize_header, normalize_id

# ------------------------------------------------------------------------------ money

MONEY_OK = [
    ("1,234.50", 123450),
    ("¥1,234.50", 123450),
    ("￥88", 8800),
    ("１２３．４", 12340),
    ("-50", -5000),
    ("(50.00)", -5000),
    ("（50.00）", -5000),  # full-width parentheses (NFKC)
    ("88 ", 8800),
    ("88\t", 8800),
    ("\t 88 \t", 8800),
    ("88元", 8800),
    ("人民币88元", 8800),
    ("RMB 88", 8800),
    ("CNY88.5", 8850),
    ("1,234.5-", -123450),  # trailing minus (accounting exports)
    ("¥-50", -5000),
    ("-¥50", -5000),
    ("－50", -5000),  # full-width minus
    ("+88", 8800),
    ("\u00a088", 8800),  # no-break space
    ("88.", 8800),
    (".5", 50),
    ("0", 0),
    ("0.00", 0),
    ("1.005", 101),  # half-up
    ("1.004", 100),
    ("-1.005", -101),  # half-up is away from zero for negatives
    ("0.015", 2),
    ("12,345,678.90", 1234567890),
    ("¥ 1 234.50", 123450),
    (88, 8800),
    (-3, -300),
    (0.1 + 0.2, 30),
    (1234.5, 123450),
    (19.99, 1999),
    (1.005, 101),  # as typed in Excel, the float 1.005 shows 1.01
    (2.675, 268),  # the float is 2.67499999…; Excel shows 2.68: read as displayed
    (Decimal("12.345"), 1235),
    (None, None),
    ("", None),
    ("   ", None),
    (float("nan"), None),
]

MONEY_BAD = [
    "12..5", "一千", "1,23.4", "1,2345", "abc", "¥", "--", "50-50", "1.2.3", "五块", "10 元 5 角",
    "(50", "50)", "12%", True, False, float("inf"), float("-inf"), dt.date(2026, 3, 5),
    "1e400", "9" * 20,
]


@pytest.mark.parametrize(("typed", "fen"), MONEY_OK, ids=[repr(t) for t, _ in MONEY_OK])
def test_parse_money_reads_every_spelling_exactly(typed, fen):
    assert parse_money(typed) == fen


@pytest.mark.parametrize("typed", MONEY_BAD, ids=[repr(t) for t in MONEY_BAD])
def test_parse_money_refuses_what_is_not_an_amount(typed):
    with pytest.raises(MoneyError):
        parse_money(typed)


def test_parse_money_returns_int_not_float():
    for typed, _ in MONEY_OK:
        fen = parse_money(typed)
        assert fen is None or type(fen) is int


def test_format_yuan():
    assert format_yuan(123450) == "1,234.50"
    assert format_yuan(-5) == "-0.05"
    assert format_yuan(0) == "0.00"
    assert format_yuan(100000000, "¥") == "¥1,000,000.00"
    assert format_yuan(-123450, "¥") == "-¥1,234.50"
    assert format_yuan(None) == ""


def test_to_fen_rounds_half_up():
    assert to_fen(Decimal("0.005")) == 1
    assert to_fen(Decimal("0.0049")) == 0
    assert to_fen(Decimal("-0.005")) == -1


FEN = st.integers(min_value=-(10**15), max_value=10**15)


@settings(max_examples=300, deadline=None)
@given(fen=FEN, sign=st.sampled_from(["", "¥", "￥"]), commas=st.booleans(), pad=st.sampled_from(["", " ", "\t"]))
def test_formatted_yuan_reads_back_to_itself(fen, sign, commas, pad):
    text = format_yuan(fen, sign)
    if not commas:
        text = text.replace(",", "")
    assert parse_money(pad + text + pad) == fen


@settings(max_examples=200, deadline=None)
@given(fen=FEN.filter(lambda f: f != 0))
def test_accounting_negatives_and_fullwidth_read_back(fen):
    plain = format_yuan(abs(fen))
    assert parse_money(f"({plain})") == -abs(fen)
    fullwidth = "".join(chr(ord(c) + 0xFEE0) if c.isdigit() or c in ",." else c for c in format_yuan(fen))
    assert parse_money(fullwidth) == fen
    assert parse_money(format_yuan(fen).replace(",", "") + "元") == fen


CENTS = st.integers(min_value=-(10**13), max_value=10**13)


@settings(max_examples=300, deadline=None)
@given(cents=CENTS)
def test_float_with_two_decimals_reads_exactly(cents):
    value = cents / 100  # the float Excel stores for a number typed with ≤ 2 decimals
    assert parse_money(value) == cents
    assert parse_money(repr(value)) == cents


@settings(max_examples=200, deadline=None)
@given(a=st.integers(-(10**11), 10**11), b=st.integers(-(10**11), 10**11))
def test_float_noise_of_a_sum_does_not_leak(a, b):
    noisy = a / 100 + b / 100  # e.g. 0.1 + 0.2 = 0.30000000000000004, what a formula caches
    assert parse_money(noisy) == a + b


@settings(max_examples=100, deadline=None)
@given(st.lists(CENTS, min_size=1, max_size=50))
def test_vectorised_money_path_equals_the_scalar_one(cents):
    values = [c / 100 for c in cents]
    assert floats_to_fen(np.asarray(values)).tolist() == cents
    series, bad = to_money(values)
    assert bad == []
    assert series.tolist() == cents


def test_to_money_column_mixes_types_and_names_bad_positions():
    series, bad = to_money([1.5, "￥2", None, "", "x", 3, float("nan"), True])
    assert series.tolist()[:2] == [150, 200]
    assert series.tolist()[5] == 300
    assert [pos for pos, _ in bad] == [4, 7]
    assert series.isna().tolist() == [False, False, True, True, True, False, True, True]
    assert str(series.dtype) == "Int64"


# ------------------------------------------------------------------------------ dates

D = dt.date(2026, 3, 5)
DATE_OK = [
    (dt.date(2026, 3, 5), D),
    (dt.datetime(2026, 3, 5, 14, 30), D),
    (46086, D),  # Excel serial number
    (46086.0, D),
    (46086.75, D),  # a serial with a time of day
    ("2026-03-05", D),
    ("2026/3/5", D),
    ("2026.3.5", D),
    ("2026年3月5日", D),
    ("2026年3月5", D),
    ("2026 年 3 月 5 日", D),
    ("20260305", D),
    (20260305, D),
    (20260305.0, D),
    ("2026-03-05 14:30:00", D),
    ("2026-03-05 14:30", D),
    ("2026/3/5 9:05", D),
    ("2026-03-05T14:30:00", D),
    ("2026-03-05 14:30:00.123", D),
    ("２０２６－０３－０５", D),
    ("２０２６年３月５日", D),
    (" 2026-3-5\t", D),
    ("2024-02-29", dt.date(2024, 2, 29)),
    (None, None),
    ("", None),
    ("  ", None),
    (float("nan"), None),
]

DATE_BAD = [
    "2026-02-30",  # impossible
    "2025-02-29",  # not a leap year
    "2026-13-01",
    "2026-00-10",
    "05/03/2026",  # day-first or month-first? never guessed
    "3/5/2026",
    "26-3-5",  # two-digit year
    "3月5日",  # no year
    "2026-03",  # no day
    "下个月",
    "2026-03-05abc",
    "20261305",
    123,  # a serial far before any bookkeeping
    19999,
    100001,
    -5,
    True,
    dt.time(14, 30),
    dt.timedelta(days=3),
]


@pytest.mark.parametrize(("typed", "day"), DATE_OK, ids=[repr(t) for t, _ in DATE_OK])
def test_parse_date_reads_every_spelling(typed, day):
    assert parse_date(typed) == day


@pytest.mark.parametrize("typed", DATE_BAD, ids=[repr(t) for t in DATE_BAD])
def test_parse_date_refuses_to_guess(typed):
    with pytest.raises(DateError):
        parse_date(typed)


def test_serial_numbers_follow_the_1900_system():
    assert from_serial(46086) == dt.date(2026, 3, 5)
    assert from_serial(45658) == dt.date(2025, 1, 1)
    assert from_serial(20000) == dt.date(1954, 10, 3)


DAYS = st.dates(min_value=dt.date(1955, 1, 1), max_value=dt.date(2173, 10, 1))


@settings(max_examples=300, deadline=None)
@given(day=DAYS, style=st.sampled_from(range(8)), hour=st.integers(0, 23), minute=st.integers(0, 59))
def test_any_date_in_any_style_reads_back(day, style, hour, minute):
    y, m, d = day.year, day.month, day.day
    typed: object = [
        f"{y:04d}-{m:02d}-{d:02d}",
        f"{y}/{m}/{d}",
        f"{y}.{m}.{d}",
        f"{y}年{m}月{d}日",
        f"{y:04d}{m:02d}{d:02d}",
        f"{y:04d}-{m:02d}-{d:02d} {hour:02d}:{minute:02d}:00",
        (day - dt.date(1899, 12, 30)).days,
        (day - dt.date(1899, 12, 30)).days + (hour * 60 + minute) / 1440,
    ][style]
    assert parse_date(typed) == day


def test_date_column_is_datetime_at_midnight_with_bad_positions():
    series, bad = to_date(["2026-03-05", dt.datetime(2026, 3, 6, 23, 59), None, "2026-02-30", 46088])
    assert [None if v is None or v != v else v.date() for v in series.tolist()] == [
        dt.date(2026, 3, 5), dt.date(2026, 3, 6), None, None, dt.date(2026, 3, 7)]
    assert [pos for pos, _ in bad] == [3]
    assert all(t.hour == 0 and t.minute == 0 for t in series.dropna())


# ------------------------------------------------------------------------------ ints and numbers


def test_int_and_number_columns():
    ints, bad = to_int(["30", "30天", "45 days", 60.0, "１５", "7.5", "三十", 7.2, True])
    assert ints.tolist()[:5] == [30, 30, 45, 60, 15]
    assert [pos for pos, _ in bad] == [5, 6, 7, 8]
    nums, bad = to_number(["１０", "1,000", "2.5", 3, "-2", "十", None])
    assert nums.tolist()[:5] == [10.0, 1000.0, 2.5, 3.0, -2.0]
    assert math.isnan(nums.tolist()[6])
    assert [pos for pos, _ in bad] == [5]


# ------------------------------------------------------------------------------ ids and text

ID_SAME = [
    ("C001", "c001"),
    ("C001", "ｃ００１"),
    ("C001", "Ｃ001"),
    ("C001", " C001 "),
    ("C001", "C001\t"),
    ("C001", "C００1"),
    ("1001", 1001),
    ("1001", 1001.0),
    ("1001", "１００１"),
    ("张三 五金", "张三  五金"),
    ("张三五金", "张三五金"),
    ("XS-001", "ｘｓ－００１"),
]
ID_DIFFERENT = [("C001", "C01"), ("C001", "C0001"), ("C001", "CO01"), ("1001", 1001.5), ("张三", "张 三")]


@pytest.mark.parametrize(("a", "b"), ID_SAME)
def test_ids_compare_case_and_width_insensitively(a, b):
    assert normalize_id(a) == normalize_id(b)


@pytest.mark.parametrize(("a", "b"), ID_DIFFERENT)
def test_different_ids_stay_different(a, b):
    assert normalize_id(a) != normalize_id(b)


def test_normalize_id_of_nothing():
    assert normalize_id(None) == ""
    assert normalize_id("   ") == ""


ASCII_ID = st.text(alphabet=st.sampled_from("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
                   min_size=1, max_size=12)


@settings(max_examples=200, deadline=None)
@given(ASCII_ID)
def test_any_ascii_id_equals_its_fullwidth_and_other_case(text):
    fullwidth = "".join(chr(ord(c) + 0xFEE0) for c in text)
    assert normalize_id(text.upper()) == normalize_id(text.lower()) == normalize_id(fullwidth)
    assert normalize_id(normalize_id(text)) == normalize_id(text)


def test_headers_normalise_units_stars_and_spaces():
    assert normalize_header("金额（元）") == normalize_header("金额") == normalize_header("*金额")
    assert normalize_header(" 客户 编号 ") == normalize_header("客户编号")
    assert normalize_header("Customer ID") == normalize_header("customer id")


def test_clean_text_and_letters():
    assert clean_text(1001.0) == "1001"
    assert clean_text(" a\t") == "a"
    assert clean_text(None) == clean_text(float("nan")) == ""
    assert [column_letter(i) for i in (0, 25, 26, 701, 702)] == ["A", "Z", "AA", "ZZ", "AAA"]
