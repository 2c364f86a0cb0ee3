"""The 依据 column: which rule and which announcement each row's figures come from.

The wording is code; every number and citation comes from the rules file, so a new year's file
changes the text without a code change. Each function returns ``(zh, en)``.
"""

from __future__ import annotations

from decimal import Decimal

from ..model import Settings
from ..money import Fen, format_yuan
from .periods import Period
from .pit import DEEMED_RATE, FIXED_QUOTA, PitFigures
from .rules import Rules
from .vat import VatFigures

ZH_SEP, EN_SEP = "；", "; "
LOCATION_EN = {"市区": "city", "县城镇": "county town", "其他": "elsewhere"}


def pct(rate: Decimal) -> str:
    """A rate as a percentage without trailing zeros: ``Decimal('0.01')`` → ``1%``."""
    text = f"{rate * 100:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text + "%"


def wan(fen: Fen) -> str:
    """An amount in 万元 for the Chinese text: 30000000 分 → ``30万``."""
    text = f"{Decimal(fen) / 1000000:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text + "万"


def yuan(fen: Fen) -> str:
    """An amount in 元 with separators: ``5,000``; cents only when present."""
    text = format_yuan(fen)
    return text[:-3] if text.endswith(".00") else text


def period_basis(p: Period, v: VatFigures, f: PitFigures, settings: Settings, rules: Rules,
                 location: str, flags: tuple[str, ...]) -> tuple[str, str]:
    """The 依据 of a filing period's row: VAT, surcharges (when due), income tax, flags, deadline."""
    vr, s = rules.vat, rules.surcharges
    span_zh, span_en = ("季度", "quarterly") if p.quarterly else ("月", "monthly")
    zh = [f"小规模纳税人 {pct(vr.levy_rate)}，{span_zh} {wan(v.threshold)} 起征点（{vr.levy_source.zh}）",
          f"达到起征点全额计征（{vr.threshold_source.zh}）"]
    en = [f"Small-scale {pct(vr.levy_rate)}, {span_en} threshold {yuan(v.threshold)} "
          f"({vr.levy_source.en})", f"taxed in full once reached ({vr.threshold_source.en})"]
    if v.vat:
        zh.append(f"城建税 {pct(s.urban_rate[location])}（{location}）、教育费附加 {pct(s.education_rate)}、"
                  f"地方教育附加 {pct(s.local_education_rate)}，附加税费减半（{s.halving_source.zh}）")
        en.append(f"urban tax {pct(s.urban_rate[location])} ({LOCATION_EN[location]}), education "
                  f"{pct(s.education_rate)}, local education {pct(s.local_education_rate)}, halved "
                  f"({s.halving_source.en})")
    if "vat.edu_exempt" in flags:
        zh.append(f"教育费附加、地方教育附加免征（{s.education_exemption_source.zh}）")
        en.append(f"education surcharges exempt ({s.education_exemption_source.en})")
    _pit_basis(zh, en, settings, rules, f)
    _flag_basis(zh, en, v, rules, flags)
    _deadline_basis(zh, en, rules, "deadline.extended" in flags)
    return ZH_SEP.join(zh), EN_SEP.join(en)


def _pit_basis(zh: list[str], en: list[str], settings: Settings, rules: Rules,
               f: PitFigures) -> None:
    pr = rules.pit
    if settings.pit_method == FIXED_QUOTA:
        amount = yuan(settings.fixed_monthly_tax) if settings.fixed_monthly_tax is not None else "未填写"
        zh.append(f"经营所得 定期定额 每月 {amount} 元（核定定额通知书；按核定税额缴纳，视为已含减半优惠）")
        en.append(f"Business income fixed quota {amount} a month (quota notice; taken as net "
                  "of the halving)")
        return
    zh.append(f"经营所得 累计预缴（{pr.prepay_source.zh}）")
    en.append(f"business income prepaid cumulatively ({pr.prepay_source.en})")
    if settings.pit_method == DEEMED_RATE:
        rate = pct(settings.deemed_profit_rate) if settings.deemed_profit_rate is not None else "未填写"
        zh.append(f"核定应税所得率 {rate}：应纳税所得额 = 收入 × 应税所得率，不扣成本费用和减除费用")
        en.append(f"deemed profit rate {rate}: taxable = income × rate, no costs or deduction")
    elif settings.has_other_income:
        zh.append("有综合所得，经营所得不再减除费用")
        en.append("owner has other (comprehensive) income: no basic deduction here")
    else:
        zh.append(f"减除费用 {yuan(pr.monthly_deduction)} 元/月，自本年首笔记录的月份起算（{pr.deduction_source.zh}）")
        en.append(f"basic deduction {yuan(pr.monthly_deduction)} a month from the first month with "
                  f"an entry ({pr.deduction_source.en})")
    zh.append(f"个体工商户 {wan(pr.relief_cap)} 以内部分减半（{pr.relief_source.zh}）")
    en.append(f"sole-trader halving on the first {yuan(pr.relief_cap)} ({pr.relief_source.en})")


def _flag_basis(zh: list[str], en: list[str], v: VatFigures, rules: Rules,
                flags: tuple[str, ...]) -> None:
    band = pct(rules.vat.near_threshold_band)
    if "vat.at_threshold" in flags:
        how = "达到" if rules.vat.threshold_inclusive else "未达到"
        zh.append(f"⚠ 销售额恰好等于起征点，按“{how}”处理（增值税法第二十三条边界未见权威解释，规则文件 threshold_inclusive 可改）")
        en.append(f"⚠ sales exactly at the threshold, treated as {'reached' if rules.vat.threshold_inclusive else 'not reached'} "
                  "(no authoritative reading of VAT Law Art. 23; see threshold_inclusive)")
    elif "vat.near_threshold" in flags:
        zh.append(f"⚠ 不含税销售额在起征点 ±{band} 以内，请核对")
        en.append(f"⚠ sales within ±{band} of the threshold; check them")
    if "pit.floored" in flags:
        zh.append("本期计算结果为负，按 0 预缴；多缴部分在以后各期抵减，年度汇算时退还")
        en.append("negative this period: 0 is prepaid; the excess offsets later periods and is "
                  "refunded at the annual settlement")
    if "pit.over_quota" in flags:
        q = rules.pit.over_quota_source
        ratio = pct(rules.pit.over_quota_ratio)
        zh.append(f"⚠ 销售额超过定额（定额按起征点 {wan(v.threshold)} 估计，超定额幅度 {ratio}；{q.zh}），应按实际经营额申报")
        en.append(f"⚠ sales above the quota (quota taken as the {yuan(v.threshold)} threshold, "
                  f"margin {ratio}; {q.en}): declare the actual amount")


def _deadline_basis(zh: list[str], en: list[str], rules: Rules, extended: bool) -> None:
    d = rules.deadlines
    if extended:
        zh.append(f"截止日已按节假日顺延（{d.holidays_source.zh}）")
        en.append(f"deadline extended for holidays ({d.holidays_source.en})")
    elif not d.holidays:
        zh.append("截止日未按节假日顺延")
        en.append("holiday extensions not applied")


def annual_basis(year: int, settings: Settings, rules: Rules,
                 settle: Fen | None) -> tuple[str, str]:
    """The 依据 of the annual row."""
    a = rules.deadlines.annual_source
    zh = ["全年合计：增值税及附加为各期之和，经营所得为全年累计"]
    en = ["Year: VAT and surcharges are the sum of the periods; income tax is year-to-date"]
    if settings.pit_method == FIXED_QUOTA:
        zh.append("定期定额：全年税额为各期定额之和")
        en.append("fixed quota: the year's tax is the sum of the periods' quota")
    else:
        zh.append(f"本期应补税额 = 汇算清缴应补（退）税额，次年{rules.deadlines.annual_month}月"
                  f"{rules.deadlines.annual_day}日前办理（{a.zh}）")
        en.append(f"tax due = the annual settlement (negative = refund), by "
                  f"{rules.deadlines.annual_day}/{rules.deadlines.annual_month} of the next year ({a.en})")
        if settings.pit_method == DEEMED_RATE:
            zh.append("核定征收是否需要汇算以主管税务机关为准")
            en.append("whether a deemed-rate taxpayer files the annual settlement is for the tax office to say")
    if settle is not None and settle < 0:
        zh.append(f"已预缴多于全年应纳，可退 {yuan(-settle)} 元")
        en.append(f"prepaid more than the year's tax: {yuan(-settle)} refundable")
    if not rules.deadlines.holidays:
        zh.append("截止日未按节假日顺延")
        en.append("holiday extensions not applied")
    return ZH_SEP.join(zh), EN_SEP.join(en)


def general_taxpayer(rules: Rules) -> tuple[str, str]:
    """The 依据 of a row left blank because the taxpayer is not small-scale."""
    return (f"一般纳税人：本表只估算小规模纳税人（规则 {rules.name}），请以电子税务局为准",
            f"General taxpayer: only small-scale taxpayers are estimated (rules {rules.name}); "
            "use the e-Tax Bureau")
