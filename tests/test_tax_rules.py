"""The tax rules file: loaded as exact Decimals and 分, chosen by year, strict about typos."""

from __future__ import annotations

import datetime as dt
import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from sheetbook.errors import SheetbookError
from sheetbook.tax.rules import RULES_DIR, RulesError, load_rules, read_rules

CN_2026 = RULES_DIR / "cn-2026.toml"


def test_2026_rules_are_the_sourced_facts():
    r = load_rules(2026)
    assert r.name == "cn-2026"
    assert r.vat.levy_rate == Decimal("0.01") and r.vat.statutory_rate == Decimal("0.03")
    assert "2026年第10号" in r.vat.levy_source.zh
    # 30万/quarter and 10万/month, in 分.
    assert r.vat.threshold_quarterly == 300_000_00 and r.vat.threshold_monthly == 100_000_00
    assert r.vat.threshold_inclusive is True
    assert r.vat.near_threshold_band == Decimal("0.01")
    s = r.surcharges
    assert s.urban_rate == {"市区": Decimal("0.07"), "县城镇": Decimal("0.05"), "其他": Decimal("0.01")}
    assert (s.education_rate, s.local_education_rate, s.halving) == (
        Decimal("0.03"), Decimal("0.02"), Decimal("0.5"))
    assert s.education_exemption is True
    assert "2023年第12号" in s.halving_source.zh
    p = r.pit
    assert [(b.upto, b.rate, b.quick_deduction) for b in p.brackets] == [
        (30_000_00, Decimal("0.05"), 0), (90_000_00, Decimal("0.10"), 1_500_00),
        (300_000_00, Decimal("0.20"), 10_500_00), (500_000_00, Decimal("0.30"), 40_500_00),
        (None, Decimal("0.35"), 65_500_00)]
    assert p.monthly_deduction == 5_000_00 and p.relief_cap == 2_000_000_00
    assert p.relief_rate == Decimal("0.5")
    assert r.deadlines.filing_day == 15 and (r.deadlines.annual_month, r.deadlines.annual_day) == (3, 31)
    assert r.deadlines.holidays == {}


def test_every_rate_is_a_decimal_and_every_amount_int():
    r = load_rules(2026)
    for rate in (r.vat.levy_rate, r.vat.statutory_rate, r.vat.near_threshold_band,
                 r.surcharges.halving, r.pit.relief_rate, r.pit.over_quota_ratio,
                 *r.surcharges.urban_rate.values(), *(b.rate for b in r.pit.brackets)):
        assert isinstance(rate, Decimal)
    for amount in (r.vat.threshold_monthly, r.pit.relief_cap, r.pit.monthly_deduction,
                   *(b.quick_deduction for b in r.pit.brackets)):
        assert type(amount) is int


def test_bracket_lookup_upper_bounds_are_inclusive():
    pit = load_rules(2026).pit
    assert pit.bracket(30_000_00).rate == Decimal("0.05")
    assert pit.bracket(30_000_01).rate == Decimal("0.10")
    assert pit.bracket(0).rate == Decimal("0.05")
    assert pit.bracket(10**12).rate == Decimal("0.35")


@pytest.mark.parametrize("year", [2026, 2027])
def test_the_file_covers_2026_and_2027(year):
    assert load_rules(year).name == "cn-2026"


@pytest.mark.parametrize("year", [2025, 2028])
def test_a_year_without_a_file_is_a_clear_error(year):
    with pytest.raises(RulesError) as info:
        load_rules(year)
    assert isinstance(info.value, SheetbookError)
    assert str(year) in info.value.zh and "cn-2026" in info.value.en


def _variant(tmp_path: Path, name: str, **replace: str) -> Path:
    text = CN_2026.read_text(encoding="utf-8")
    for old, new in replace.items():
        assert old in text, old
        text = text.replace(old, new)
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_new_year_is_a_new_file_not_new_code(tmp_path):
    shutil.copy(CN_2026, tmp_path / "cn-2026.toml")
    _variant(tmp_path, "cn-2028.toml", **{
        'name = "cn-2026"': 'name = "cn-2028"',
        "valid_from = 2026-01-01": "valid_from = 2028-01-01",
        "valid_to = 2027-12-31": "valid_to = 2028-12-31",
        'levy_rate = "0.01"': 'levy_rate = "0.03"',
    })
    r = load_rules(2028, tmp_path)
    assert r.name == "cn-2028" and r.vat.levy_rate == Decimal("0.03")
    assert load_rules(2026, tmp_path).name == "cn-2026"


def test_the_latest_covering_file_wins(tmp_path):
    shutil.copy(CN_2026, tmp_path / "cn-2026.toml")
    _variant(tmp_path, "cn-2027.toml", **{'name = "cn-2026"': 'name = "cn-2027"',
                                          "valid_from = 2026-01-01": "valid_from = 2027-01-01"})
    assert load_rules(2027, tmp_path).name == "cn-2027"
    assert load_rules(2026, tmp_path).name == "cn-2026"


@pytest.mark.parametrize("old, new, key", [
    ('levy_rate = "0.01"', "levy_rate = 0.01", "levy_rate"),          # a float: refused
    ('levy_rate = "0.01"', 'levy_rate = "1%"', "levy_rate"),          # not a fraction
    ("quick_deduction = 1500 }", "quick_deduction = 1600 }", "brackets"),  # discontinuous table
    ("threshold_quarterly = 300000", 'threshold_quarterly = "300000.001"', "threshold_quarterly"),
    ("threshold_inclusive = true", 'threshold_inclusive = "yes"', "threshold_inclusive"),
    ('"其他" = "0.01" }', '"乡村" = "0.01" }', "urban_rate"),
    ("holidays = []", "holidays = [2026-10-15]", "holidays"),
])
def test_a_malformed_file_names_the_key(tmp_path, old, new, key):
    path = _variant(tmp_path, "bad.toml", **{old: new})
    with pytest.raises(RulesError) as info:
        read_rules(path)
    assert key in info.value.en and "bad.toml" in info.value.zh


def test_holiday_extensions_are_read_as_dates(tmp_path):
    path = _variant(tmp_path, "h.toml", **{
        "holidays = []": "holidays = [{ statutory = 2026-10-15, extended = 2026-10-23 }]"})
    assert read_rules(path).deadlines.holidays == {dt.date(2026, 10, 15): dt.date(2026, 10, 23)}


def test_unreadable_toml_is_a_rules_error(tmp_path):
    path = tmp_path / "broken.toml"
    path.write_text("name = ", encoding="utf-8")
    with pytest.raises(RulesError):
        read_rules(path)
