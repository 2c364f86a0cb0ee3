"""增值税 and 附加税费 for one filing period of a small-scale taxpayer.

Per period (a quarter or a month):

- 含税销售额 = the sum of 销售 amounts dated in the period (returns are negative);
- 不含税销售额 = 含税 ÷ (1 + 征收率), rounded half-up to 分 once on the period total, when
  设置 销售额含税 = 是; otherwise the amounts already exclude VAT;
- 达到起征点 when 不含税 ≥ the period's threshold (> when the rules file sets
  ``threshold_inclusive = false``); below it no VAT is due; once reached VAT is due on the
  whole amount (增值税法第二十三条): 增值税 = 不含税 × 1%, half-up;
- each surcharge = 增值税 × rate × (1 − 六税两费 halving), one Decimal product rounded half-up to
  分 once (not rounded after each factor); 教育费附加 and 地方教育附加 are 0 when
  财税〔2016〕12号 applies (不含税 ≤ 10万/month, ≤ 30万/quarter).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from ..money import Fen, apply_rate, divide
from .periods import Period
from .rules import Rules


@dataclass(frozen=True)
class VatFigures:
    """增值税 and surcharges of one period.

    Attributes:
        gross_sales: 含税销售额 (分).
        net_sales: 不含税销售额 (分).
        threshold: the period's 起征点 (分).
        reached: 达到起征点.
        at_threshold: 不含税销售额 equals the threshold exactly (the open boundary question).
        near_threshold: within the rules' band of the threshold, either side.
        vat: 增值税.
        urban_tax / edu_surcharge / local_edu_surcharge: the three surcharges.
        edu_exempt: 财税〔2016〕12号 removed education surcharges that would otherwise be due
            (VAT > 0 and sales within the exemption limit: only exactly at the threshold).
    """

    gross_sales: Fen
    net_sales: Fen
    threshold: Fen
    reached: bool
    at_threshold: bool
    near_threshold: bool
    vat: Fen
    urban_tax: Fen
    edu_surcharge: Fen
    local_edu_surcharge: Fen
    edu_exempt: bool


def net_of_vat(gross: Fen, prices_include_vat: bool, rules: Rules) -> Fen:
    """不含税销售额 of a period total: 含税 ÷ (1 + levy rate) half-up, or the amount as is."""
    return divide(gross, 1 + rules.vat.levy_rate) if prices_include_vat else gross


def threshold_for(period: Period, rules: Rules) -> Fen:
    """The 起征点 of a period (30万 a quarter, 10万 a month under cn-2026)."""
    return rules.vat.threshold_quarterly if period.quarterly else rules.vat.threshold_monthly


def threshold_reached(net: Fen, threshold: Fen, inclusive: bool) -> bool:
    """Whether sales reach the threshold (``>=`` when inclusive, else ``>``)."""
    return net >= threshold if inclusive else net > threshold


def near_threshold(net: Fen, threshold: Fen, band: Decimal) -> bool:
    """Whether sales lie within ``band`` × threshold of the threshold (either side)."""
    return abs(Decimal(net - threshold)) <= Decimal(threshold) * band


def surcharge(vat: Fen, rate: Decimal, halving: Decimal) -> Fen:
    """One surcharge: ``vat × rate × (1 − halving)`` as one Decimal product, half-up to 分 once."""
    return apply_rate(vat, rate * (1 - halving))


def period_vat(period: Period, gross: Fen, location: str, prices_include_vat: bool,
               rules: Rules) -> VatFigures:
    """增值税 and surcharges for one period from its 含税销售额 (the sum of its sales)."""
    net = net_of_vat(gross, prices_include_vat, rules)
    threshold = threshold_for(period, rules)
    reached = threshold_reached(net, threshold, rules.vat.threshold_inclusive)
    vat = apply_rate(net, rules.vat.levy_rate) if reached else 0
    s = rules.surcharges
    limit = s.education_exemption_quarterly if period.quarterly else s.education_exemption_monthly
    edu_exempt = s.education_exemption and net <= limit
    return VatFigures(
        gross_sales=gross, net_sales=net, threshold=threshold, reached=reached,
        at_threshold=net == threshold,
        near_threshold=near_threshold(net, threshold, rules.vat.near_threshold_band),
        vat=vat,
        urban_tax=surcharge(vat, s.urban_rate[location], s.halving),
        edu_surcharge=0 if edu_exempt else surcharge(vat, s.education_rate, s.halving),
        local_edu_surcharge=0 if edu_exempt else surcharge(vat, s.local_education_rate, s.halving),
        edu_exempt=edu_exempt and vat > 0,
    )
