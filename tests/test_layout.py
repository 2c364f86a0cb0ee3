"""The layout declaration against the contract text in shared/WORKBOOK.md."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from sheetbook import layout

WORKBOOK_MD = Path(__file__).resolve().parents[2] / "shared" / "WORKBOOK.md"

#: Input sheet headers copied by hand from WORKBOOK.md (so a typo in layout.py is caught).
CONTRACT_INPUT = {
    "客户": ["客户编号", "客户名称", "联系人", "电话", "地址", "信用额度", "账期天数", "信用状态", "别名",
             "期初应收", "标签", "备注"],
    "商品": ["商品编号", "商品名称", "单位", "类别", "标准售价", "单位成本"],
    "销售": ["日期", "单号", "客户编号", "商品", "数量", "单价", "折扣", "金额", "到期日", "备注"],
    "收款": ["日期", "客户编号", "付款人", "金额", "方式", "流水号", "核销单号", "来源", "备注"],
    "支出": ["日期", "类别", "对象", "金额", "方式", "有发票", "流水号", "来源", "备注"],
    "预算": ["类别", "类型", *[f"{m}月" for m in range(1, 13)], "全年"],
    "对账记录": ["客户编号", "对账截止日", "发送日期", "确认日期", "客户确认余额", "结果", "备注"],
    "设置": ["项目", "值", "说明"],
}
CONTRACT_REQUIRED = {
    "客户": {"客户编号", "客户名称"}, "商品": {"商品编号", "商品名称"}, "销售": {"日期", "单号", "客户编号"},
    "收款": {"日期", "金额"}, "支出": {"日期", "类别", "金额"}, "预算": {"类别", "类型"},
    "对账记录": {"客户编号", "对账截止日"},
}


def test_input_sheets_match_contract():
    for sheet in layout.SHEETS:
        assert [c.zh for c in sheet.columns] == CONTRACT_INPUT[sheet.zh], sheet.zh
        if sheet.zh in CONTRACT_REQUIRED:
            assert {c.zh for c in sheet.columns if c.required} == CONTRACT_REQUIRED[sheet.zh]


def test_required_sheets():
    assert layout.REQUIRED_SHEETS == ("customers", "sales", "payments")


def test_settings_keys_match_contract():
    if not WORKBOOK_MD.exists():
        pytest.skip("shared/WORKBOOK.md is not beside the checkout")
    text = WORKBOOK_MD.read_text(encoding="utf-8")
    rows = re.findall(r"^\| (\S+) \| (\w+) \| .* \|$", text.split("### 客户")[0], re.M)
    contract = [(zh, key) for zh, key in rows if zh not in ("项目", "---")]
    assert [(s.zh, s.key) for s in layout.SETTINGS] == contract


def _contract_result_columns() -> dict[str, list[str]]:
    text = WORKBOOK_MD.read_text(encoding="utf-8")
    out = {}
    for m in re.finditer(r"^\| (\S+) \| [^|]+ \| (.+) \|$", text, re.M):
        tab, cols = m.group(1), m.group(2)
        if tab not in {t.zh for t in layout.RESULT_TABS}:
            continue
        cols = re.sub(r"\([^)]*\)", "", cols)
        cols = re.split(r", (?:then|plus) |[—;]", cols)[0]
        names = [c.strip().split(" ")[0] for c in cols.split(",") if c.strip()]
        out[tab] = names
    return out


@pytest.mark.parametrize("tab", ["校验结果", "应收汇总", "核销明细", "账龄分析", "待处理", "预算执行", "税务"])
def test_result_tab_columns_match_contract(tab):
    if not WORKBOOK_MD.exists():
        pytest.skip("shared/WORKBOOK.md is not beside the checkout")
    contract = _contract_result_columns()[tab]
    ours = [t for t in layout.RESULT_TABS if t.zh == tab][0].headers("zh")
    assert ours[: len(contract)] == contract


def test_every_header_has_english_name_and_help():
    for sheet in layout.SHEETS:
        assert sheet.en
        for col in sheet.columns:
            assert col.en and col.help_zh and col.help_en, (sheet.zh, col.zh)
            assert len(col.help_zh) <= 255 and len(col.help_en) <= 255
    for setting in layout.SETTINGS:
        assert bool(setting.help_zh) == bool(setting.help_en), setting.key
    for tab in layout.RESULT_TABS:
        assert tab.help_zh and tab.help_en, tab.key


def test_no_header_spelling_collides_within_a_sheet():
    from sheetbook.text import normalize_header

    for sheet in layout.SHEETS:
        seen: dict[str, str] = {}
        for col in sheet.columns:
            for spelling in {col.zh, col.en, *col.aliases}:
                key = normalize_header(spelling)
                assert seen.setdefault(key, col.key) == col.key, (sheet.zh, spelling)


def test_result_tab_names_do_not_clash_with_input_sheets():
    inputs = {s.zh for s in layout.SHEETS} | {s.en for s in layout.SHEETS}
    assert not inputs & layout.result_tab_names()
