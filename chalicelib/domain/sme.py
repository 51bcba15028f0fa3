"""Enterprise scale (企业规模) from a supplier's declaration, per 工信部联企业〔2011〕300号.

Government procurement favours small and micro enterprises (价格扣除, reserved
shares), so a supplier's declared scale (中小企业声明函) must follow from its
industry, employees, revenue and assets. Thresholds are in 万元 and people.
"""

from __future__ import annotations

from enum import StrEnum
from typing import NamedTuple

FEN_PER_WAN = 1_000_000


class Scale(StrEnum):
    MICRO = "micro"
    SMALL = "small"
    MEDIUM = "medium"
    LARGE = "large"

    @property
    def label(self) -> str:
        return {Scale.MICRO: "微型", Scale.SMALL: "小型", Scale.MEDIUM: "中型", Scale.LARGE: "大型"}[self]


class Metric(StrEnum):
    EMPLOYEES = "employees"
    REVENUE = "revenue"
    ASSETS = "assets"

    @property
    def label(self) -> str:
        return {Metric.EMPLOYEES: "从业人员", Metric.REVENUE: "营业收入", Metric.ASSETS: "资产总额"}[self]

    @property
    def unit(self) -> str:
        return "人" if self is Metric.EMPLOYEES else "万元"


class Declaration(NamedTuple):
    industry: str
    employees: int
    revenue_fen: int
    assets_fen: int

    def value(self, metric: Metric) -> int:
        """People, or whole 万元 rounded down (the thresholds are whole 万元)."""
        if metric is Metric.EMPLOYEES:
            return self.employees
        fen = self.revenue_fen if metric is Metric.REVENUE else self.assets_fen
        return fen // FEN_PER_WAN


class IndustryRule(NamedTuple):
    code: str
    name: str
    metrics: tuple[Metric, ...]
    sme_below: tuple[int, ...]  # below any of these: small, medium or micro (not large)
    medium_at_least: tuple[int, ...]  # all of these or more: medium
    small_at_least: tuple[int, ...]  # all of these or more: small; otherwise micro

    def classify(self, declaration: Declaration) -> Scale:
        values = [declaration.value(m) for m in self.metrics]
        if all(v >= bound for v, bound in zip(values, self.sme_below, strict=True)):
            return Scale.LARGE
        if all(v >= bound for v, bound in zip(values, self.medium_at_least, strict=True)):
            return Scale.MEDIUM
        if all(v >= bound for v, bound in zip(values, self.small_at_least, strict=True)):
            return Scale.SMALL
        return Scale.MICRO

    def criteria(self) -> str:
        """The rule as the standard states it, for the registration form."""

        def terms(bounds: tuple[int, ...], relation: str, joiner: str) -> str:
            parts = [f"{m.label} {b} {m.unit}{relation}" for m, b in zip(self.metrics, bounds, strict=True)]
            return joiner.join(parts)

        return (
            f"{terms(self.sme_below, '以下', '或')}为中小微型企业。其中，"
            f"{terms(self.medium_at_least, '及以上', '且')}为中型；"
            f"{terms(self.small_at_least, '及以上', '且')}为小型；"
            f"{terms(self.small_at_least, '以下', '或')}为微型。"
        )


E, R, A = Metric.EMPLOYEES, Metric.REVENUE, Metric.ASSETS

INDUSTRIES: dict[str, IndustryRule] = {
    r.code: r
    for r in (
        IndustryRule("agriculture", "农、林、牧、渔业", (R,), (20000,), (500,), (50,)),
        IndustryRule("industry", "工业", (E, R), (1000, 40000), (300, 2000), (20, 300)),
        IndustryRule("construction", "建筑业", (R, A), (80000, 80000), (6000, 5000), (300, 300)),
        IndustryRule("wholesale", "批发业", (E, R), (200, 40000), (20, 5000), (5, 1000)),
        IndustryRule("retail", "零售业", (E, R), (300, 20000), (50, 500), (10, 100)),
        IndustryRule("transport", "交通运输业", (E, R), (1000, 30000), (300, 3000), (20, 200)),
        IndustryRule("warehousing", "仓储业", (E, R), (200, 30000), (100, 1000), (20, 100)),
        IndustryRule("postal", "邮政业", (E, R), (1000, 30000), (300, 2000), (20, 100)),
        IndustryRule("accommodation", "住宿业", (E, R), (300, 10000), (100, 2000), (10, 100)),
        IndustryRule("catering", "餐饮业", (E, R), (300, 10000), (100, 2000), (10, 100)),
        IndustryRule("information_transmission", "信息传输业", (E, R), (2000, 100000), (100, 1000), (10, 100)),
        IndustryRule("software_it", "软件和信息技术服务业", (E, R), (300, 10000), (100, 1000), (10, 50)),
        IndustryRule("real_estate", "房地产开发经营", (R, A), (200000, 10000), (1000, 5000), (100, 2000)),
        IndustryRule("property_management", "物业管理", (E, R), (1000, 5000), (300, 1000), (100, 500)),
        IndustryRule("leasing_business", "租赁和商务服务业", (E, A), (300, 120000), (100, 8000), (10, 100)),
        IndustryRule("other", "其他未列明行业", (E,), (300,), (100,), (10,)),
    )
}


def classify(declaration: Declaration) -> Scale:
    """Raises KeyError for an unknown industry (callers validate the code first)."""
    return INDUSTRIES[declaration.industry].classify(declaration)


def is_small_or_micro(scale: Scale) -> bool:
    return scale in (Scale.SMALL, Scale.MICRO)
