"""City sites (分站) as tenants: what each configures, and the rules for changing it.

A site maps its own mall categories (商城品目) onto the national catalog, sets
its purchase limits (采购限额标准), enables purchase methods and defaults for
bidding, and lists the districts (区划) its buyers belong to.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime
from enum import StrEnum
from typing import Any, NamedTuple

from chalicelib.domain.catalog import CATALOG_EDITION, NationalCatalog
from chalicelib.domain.clock import to_iso
from chalicelib.domain.errors import InvalidInput, RuleViolation
from chalicelib.domain.money import format_wan

SITE_ID_PATTERN = re.compile(r"^[a-z]{2,20}$")
THEME_COLOR_PATTERN = re.compile(r"^#[0-9a-fA-F]{6}$")


class PurchaseMethod(StrEnum):
    DIRECT = "direct"
    BIDDING = "bidding"
    REVERSE_AUCTION = "reverse_auction"
    BATCH = "batch"
    FRAMEWORK_DIRECT = "framework_direct"
    FRAMEWORK_BIDDING = "framework_bidding"
    FRAMEWORK_ROTATION = "framework_rotation"
    DESIGNATED = "designated"

    @property
    def label(self) -> str:
        return METHOD_LABELS[self]


METHOD_LABELS: dict[PurchaseMethod, str] = {
    PurchaseMethod.DIRECT: "直购",
    PurchaseMethod.BIDDING: "竞价",
    PurchaseMethod.REVERSE_AUCTION: "反拍",
    PurchaseMethod.BATCH: "批量采购（优惠率）",
    PurchaseMethod.FRAMEWORK_DIRECT: "框架协议·直接选定",
    PurchaseMethod.FRAMEWORK_BIDDING: "框架协议·二次竞价",
    PurchaseMethod.FRAMEWORK_ROTATION: "框架协议·顺序轮候",
    PurchaseMethod.DESIGNATED: "定点采购",
}


# The methods that work end to end (launch, award, order, fulfil, report). The others can be configured for a
# site ahead of time, but they are shown as 暂未开放 and nothing can be launched with them until they are here.
OPEN_METHODS: frozenset[PurchaseMethod] = frozenset(
    {
        PurchaseMethod.DIRECT,
        PurchaseMethod.BIDDING,
        PurchaseMethod.REVERSE_AUCTION,
        PurchaseMethod.BATCH,
        PurchaseMethod.FRAMEWORK_DIRECT,
        PurchaseMethod.FRAMEWORK_BIDDING,
        PurchaseMethod.FRAMEWORK_ROTATION,
        PurchaseMethod.DESIGNATED,
    }
)
NOT_OPEN_LABEL = "暂未开放"


def method_view(method: PurchaseMethod, enabled: bool) -> dict[str, Any]:
    is_open = method in OPEN_METHODS
    state = ("已启用" if enabled else "未启用") if is_open else NOT_OPEN_LABEL
    return {"code": method.value, "label": method.label, "open": is_open, "enabled": enabled, "state_label": state}


def require_method(short_name: str, methods: tuple[PurchaseMethod, ...], method: PurchaseMethod, doing: str) -> None:
    """Refuse launching a method the site has not enabled, or one that does not work yet."""
    if method not in OPEN_METHODS:
        raise RuleViolation(f"{method.label}{NOT_OPEN_LABEL}，不能{doing}", code="METHOD_NOT_OPEN")
    if method not in methods:
        raise RuleViolation(f"{short_name}站点未开通{method.label}", code="METHOD_DISABLED")


class DistrictKind(StrEnum):
    CITY_LEVEL = "city_level"  # 市本级
    COUNTY = "county"  # 区、县、县级市
    FUNCTIONAL_ZONE = "functional_zone"  # 开发区、度假区等功能区


class District(NamedTuple):
    code: str
    name: str
    kind: DistrictKind
    # Where the code comes from: MCA-2024 (GB/T 2260), NBS-2023-statistical-only,
    # or tenant-local for zones that no official list codes (聊城's 经开区 etc.).
    code_source: str
    short_name: str = ""  # as reports print it, e.g. 经开区


class MallCategory(NamedTuple):
    id: str
    name: str
    parent_id: str
    catalog_code: str
    sort: int = 0


class SiteLook(NamedTuple):
    title: str
    theme_color: str
    subtitle: str = ""


class PurchaseLimits(NamedTuple):
    """采购限额标准 of a site, in fen.

    per_order_cap_fen: one order may not exceed it.
    per_plan_cap_fen: one self-built plan may not exceed it.
    annual_category_cap_fen: one buyer's yearly total per 二级品目 through the mall.
    """

    per_order_cap_fen: int
    per_plan_cap_fen: int
    annual_category_cap_fen: int

    def problems(self) -> list[dict[str, str]]:
        found: list[dict[str, str]] = []
        for name in ("per_order_cap_fen", "per_plan_cap_fen", "annual_category_cap_fen"):
            if getattr(self, name) <= 0:
                found.append({"field": name, "message": "限额必须大于 0"})
        if found:
            return found
        if self.per_order_cap_fen > self.per_plan_cap_fen:
            found.append(
                {
                    "field": "per_order_cap_fen",
                    "message": (
                        f"单笔订单限额（{format_wan(self.per_order_cap_fen)} 万元）"
                        f"不能高于单个计划限额（{format_wan(self.per_plan_cap_fen)} 万元）"
                    ),
                }
            )
        if self.per_plan_cap_fen > self.annual_category_cap_fen:
            found.append(
                {
                    "field": "per_plan_cap_fen",
                    "message": (
                        f"单个计划限额（{format_wan(self.per_plan_cap_fen)} 万元）"
                        f"不能高于二级品目年度限额（{format_wan(self.annual_category_cap_fen)} 万元）"
                    ),
                }
            )
        return found


class BiddingDefaults(NamedTuple):
    """What a site allows and suggests for 竞价 and 反拍 (anchors.md B5, B6; the [A] values are each site's to change).

    反拍 here is a real-time open descending auction with an anti-sniping
    extension (docs/architecture.md, "Competitions", says why not ProZorro's rounds).
    """

    bidding_min_suppliers: int  # fewer responders than this at the deadline: 流标
    bidding_response_hours: int  # the default response period
    winner_confirm_working_days: int  # then the award passes to the next ranked
    bidding_min_response_minutes: int = 60
    bidding_max_response_hours: int = 168
    bidding_draw_min: int = 0  # 0: every qualified supplier is invited; n: a random draw of at least n is allowed
    direct_after_failure: int = 1  # 1: after 流标 the buyer may buy directly instead of relaunching
    sme_deduction_bp: int = 1000  # 小微企业价格扣除, basis points (10–20 %, 财库〔2020〕46号 as amended)
    auction_minutes: int = 30  # how long a 反拍 runs before extensions
    auction_extension_window_minutes: int = 3  # a bid this close to the end…
    auction_extension_minutes: int = 5  # …moves the end to this long after the bid
    auction_min_step_bp: int = 50  # basis points of the ceiling: 50 = 0.5 %
    auction_max_step_bp: int = 300
    # 框架协议: no stage-2 purchase when the agreement ends within this many days (ProZorro's 7, anchors.md B4).
    framework_end_margin_days: int = 7

    def problems(self) -> list[dict[str, str]]:
        found: list[dict[str, str]] = []

        def within(name: str, low: int, high: int, message: str) -> None:
            if not low <= getattr(self, name) <= high:
                found.append({"field": name, "message": message})

        within("bidding_min_suppliers", 1, 9, "竞价最少供应商数须在 1 到 9 之间")
        within("bidding_min_response_minutes", 1, 1440, "竞价最短响应时间须在 1 分钟到 24 小时之间")
        within("bidding_max_response_hours", 1, 720, "竞价最长响应时间须在 1 到 720 小时之间")
        within("bidding_response_hours", 1, 720, "竞价默认响应时间须在 1 到 720 小时之间")
        if self.bidding_min_response_minutes > self.bidding_max_response_hours * 60:
            found.append({"field": "bidding_min_response_minutes", "message": "最短响应时间不能长于最长响应时间"})
        elif (
            not self.bidding_min_response_minutes
            <= self.bidding_response_hours * 60
            <= self.bidding_max_response_hours * 60
        ):
            found.append({"field": "bidding_response_hours", "message": "默认响应时间须在最短与最长响应时间之间"})
        within("winner_confirm_working_days", 1, 10, "成交确认期须在 1 到 10 个工作日之间")
        within("bidding_draw_min", 0, 50, "随机抽取的最少邀请数须在 0（不允许抽取）到 50 之间")
        within("direct_after_failure", 0, 1, "流标后直购开关只能是 0 或 1")
        within("sme_deduction_bp", 1000, 2000, "小微企业价格扣除比例须在 10% 到 20% 之间")
        within("framework_end_margin_days", 0, 60, "框架协议到期前停止受理的天数须在 0 到 60 之间")
        within("auction_minutes", 1, 240, "反拍时长须在 1 到 240 分钟之间")
        within("auction_extension_window_minutes", 1, 30, "反拍延时触发窗口须在 1 到 30 分钟之间")
        within("auction_extension_minutes", 1, 30, "反拍每次延时须在 1 到 30 分钟之间")
        if not 1 <= self.auction_min_step_bp <= self.auction_max_step_bp <= 1000:
            found.append(
                {"field": "auction_min_step_bp", "message": "降价幅度下限须大于 0 且不高于上限（上限不超过 10%）"}
            )
        return found


class SiteConfig(NamedTuple):
    id: str
    name: str
    short_name: str
    city_name: str
    division_code: str
    look: SiteLook
    districts: tuple[District, ...]
    methods: tuple[PurchaseMethod, ...]
    limits: PurchaseLimits
    bidding: BiddingDefaults
    categories: tuple[MallCategory, ...]
    catalog_edition: str = CATALOG_EDITION
    version: int = 0
    updated_at: str = ""
    # 分散采购品目: catalog codes outside the centralized catalog, the budget
    # categories a buyer may choose for a self-built plan (seed 003).
    decentralized_categories: tuple[str, ...] = ()
    # 同义词与品牌别名 the site adds to the province's (domain.search_terms): word → what it means here.
    synonyms: tuple[tuple[str, tuple[str, ...]], ...] = ()

    def district(self, code: str) -> District | None:
        return next((d for d in self.districts if d.code == code), None)

    def leaf_categories(self) -> list[MallCategory]:
        parents = {c.parent_id for c in self.categories if c.parent_id}
        return [c for c in self.categories if c.id not in parents]


# ---------------------------------------------------------------- parsing


def _district(raw: Mapping[str, Any]) -> District:
    return District(
        code=str(raw["code"]),
        name=str(raw["name"]),
        kind=DistrictKind(raw["kind"]),
        code_source=str(raw["code_source"]),
        short_name=str(raw.get("short_name", "")),
    )


def _category(raw: Mapping[str, Any]) -> MallCategory:
    return MallCategory(
        id=str(raw["id"]),
        name=str(raw["name"]),
        parent_id=str(raw.get("parent_id", "")),
        catalog_code=str(raw["catalog_code"]),
        sort=int(raw.get("sort", 0)),
    )


def limits_from_dict(raw: Mapping[str, Any]) -> PurchaseLimits:
    return PurchaseLimits(
        per_order_cap_fen=int(raw["per_order_cap_fen"]),
        per_plan_cap_fen=int(raw["per_plan_cap_fen"]),
        annual_category_cap_fen=int(raw["annual_category_cap_fen"]),
    )


def bidding_from_dict(raw: Mapping[str, Any]) -> BiddingDefaults:
    """Missing fields take their defaults; retired ones (an earlier 反拍 design's rounds) are ignored."""
    return BiddingDefaults(**{k: int(raw[k]) for k in BiddingDefaults._fields if k in raw})


def site_from_dict(raw: Mapping[str, Any]) -> SiteConfig:
    """Build a site from its data-file or stored form; raises KeyError/ValueError if malformed."""
    look = raw["look"]
    return SiteConfig(
        id=str(raw["id"]),
        name=str(raw["name"]),
        short_name=str(raw["short_name"]),
        city_name=str(raw["city_name"]),
        division_code=str(raw["division_code"]),
        look=SiteLook(
            title=str(look["title"]), theme_color=str(look["theme_color"]), subtitle=str(look.get("subtitle", ""))
        ),
        districts=tuple(_district(d) for d in raw["districts"]),
        methods=tuple(PurchaseMethod(m) for m in raw["methods"]),
        limits=limits_from_dict(raw["limits"]),
        bidding=bidding_from_dict(raw["bidding"]),
        categories=tuple(_category(c) for c in raw["categories"]),
        catalog_edition=str(raw.get("catalog_edition", CATALOG_EDITION)),
        version=int(raw.get("version", 0)),
        updated_at=str(raw.get("updated_at", "")),
        decentralized_categories=tuple(str(c) for c in raw.get("decentralized_categories", ())),
        synonyms=tuple(
            (str(word), tuple(str(m) for m in ([meant] if isinstance(meant, str) else meant)))
            for word, meant in dict(raw.get("synonyms") or {}).items()
        ),
    )


def site_to_dict(site: SiteConfig) -> dict[str, Any]:
    return {
        "id": site.id,
        "name": site.name,
        "short_name": site.short_name,
        "city_name": site.city_name,
        "division_code": site.division_code,
        "catalog_edition": site.catalog_edition,
        "look": {"title": site.look.title, "theme_color": site.look.theme_color, "subtitle": site.look.subtitle},
        "districts": [_district_dict(d) for d in site.districts],
        "methods": [m.value for m in site.methods],
        "limits": limits_to_dict(site.limits),
        "bidding": site.bidding._asdict(),
        "categories": [
            {"id": c.id, "name": c.name, "parent_id": c.parent_id, "catalog_code": c.catalog_code, "sort": c.sort}
            for c in site.categories
        ],
        "version": site.version,
        "updated_at": site.updated_at,
        "decentralized_categories": list(site.decentralized_categories),
        "synonyms": {word: list(meant) for word, meant in site.synonyms},
    }


def _district_dict(d: District) -> dict[str, str]:
    return {
        "code": d.code,
        "name": d.name,
        "short_name": d.short_name,
        "kind": d.kind.value,
        "code_source": d.code_source,
    }


def limits_to_dict(limits: PurchaseLimits) -> dict[str, int]:
    return limits._asdict()


# ---------------------------------------------------------------- validation


def site_problems(site: SiteConfig, catalog: NationalCatalog, official_districts: Mapping[str, str]) -> list[str]:
    """Everything wrong with a site's configuration; empty when it is sound.

    official_districts maps GB/T 2260 and NBS codes to their names, so that a
    data file cannot carry a made-up or misnamed official code.
    """
    found: list[str] = []
    if not SITE_ID_PATTERN.match(site.id):
        found.append(f"站点标识 {site.id!r} 须为 2–20 位小写字母")
    if not THEME_COLOR_PATTERN.match(site.look.theme_color):
        found.append(f"主题色 {site.look.theme_color!r} 须为 #RRGGBB")
    if official_districts.get(site.division_code) != site.city_name:
        found.append(f"站点区划 {site.division_code} 不是 {site.city_name}")
    found += [f"限额：{p['message']}" for p in site.limits.problems()]
    found += [f"竞价默认值：{p['message']}" for p in site.bidding.problems()]
    if not site.methods:
        found.append("至少启用一种采购方式")
    found += _district_problems(site, official_districts)
    found += _category_problems(site, catalog)
    return found


def _district_problems(site: SiteConfig, official: Mapping[str, str]) -> list[str]:
    found: list[str] = []
    codes = [d.code for d in site.districts]
    if len(codes) != len(set(codes)):
        found.append("区划编码重复")
    for d in site.districts:
        if d.code_source == "tenant-local":
            if d.code in official or not d.code.startswith("L"):
                found.append(f"本地区划编码 {d.code} 须以 L 开头且不与官方编码冲突")
        elif official.get(d.code) is None:
            found.append(f"区划编码 {d.code}（{d.name}）不在官方区划表中")
        elif d.kind is not DistrictKind.CITY_LEVEL and official[d.code] != d.name:
            found.append(f"区划编码 {d.code} 的官方名称是 {official[d.code]}，不是 {d.name}")
    if not any(d.kind is DistrictKind.CITY_LEVEL for d in site.districts):
        found.append("缺少市本级")
    return found


def _category_problems(site: SiteConfig, catalog: NationalCatalog) -> list[str]:
    found: list[str] = []
    ids = [c.id for c in site.categories]
    if len(ids) != len(set(ids)):
        found.append("商城品目编号重复")
    known = set(ids)
    for c in site.categories:
        if c.parent_id and c.parent_id not in known:
            found.append(f"商城品目 {c.name} 的上级 {c.parent_id} 不存在")
        entry = catalog.get(c.catalog_code)
        if entry is None:
            found.append(f"商城品目 {c.name} 对应的品目编码 {c.catalog_code} 不在 2022 版品目分类目录中")
    for code in site.decentralized_categories:
        if catalog.get(code) is None:
            found.append(f"分散采购品目 {code} 不在 2022 版品目分类目录中")
    if not site.decentralized_categories:
        found.append("缺少分散采购品目（自建计划单的预算品目）")
    return found


# ---------------------------------------------------------------- changes


def validated_limits(limits: PurchaseLimits) -> PurchaseLimits:
    problems = limits.problems()
    if problems:
        raise RuleViolation(
            "采购限额设置不合理：" + "；".join(p["message"] for p in problems), code="LIMITS_INVALID", details=problems
        )
    return limits


def validated_methods(methods: tuple[PurchaseMethod, ...]) -> tuple[PurchaseMethod, ...]:
    if not methods:
        raise InvalidInput("至少启用一种采购方式", code="METHODS_EMPTY")
    if len(set(methods)) != len(methods):
        raise InvalidInput("采购方式重复", code="METHODS_DUPLICATE")
    # Keep a stable order so that audit diffs show real changes only.
    order = list(PurchaseMethod)
    return tuple(sorted(methods, key=order.index))


def validated_bidding(bidding: BiddingDefaults) -> BiddingDefaults:
    problems = bidding.problems()
    if problems:
        raise RuleViolation(
            "竞价与反拍规则设置不合理：" + "；".join(p["message"] for p in problems),
            code="BIDDING_RULES_INVALID",
            details=problems,
        )
    return bidding


def with_bidding(site: SiteConfig, bidding: BiddingDefaults, at: datetime) -> SiteConfig:
    return site._replace(bidding=validated_bidding(bidding), version=site.version + 1, updated_at=to_iso(at))


def with_limits(site: SiteConfig, limits: PurchaseLimits, at: datetime) -> SiteConfig:
    return site._replace(limits=validated_limits(limits), version=site.version + 1, updated_at=to_iso(at))


def with_methods(site: SiteConfig, methods: tuple[PurchaseMethod, ...], at: datetime) -> SiteConfig:
    return site._replace(methods=validated_methods(methods), version=site.version + 1, updated_at=to_iso(at))


# ---------------------------------------------------------------- views


def public_view(site: SiteConfig, catalog: NationalCatalog) -> dict[str, Any]:
    """What anyone may read about a site: no internal ids beyond what the UI needs."""
    from chalicelib.domain.spec_templates import required_specs

    categories = []
    leaf_ids = {c.id for c in site.leaf_categories()}
    for c in sorted(site.categories, key=lambda c: (c.sort, c.id)):
        entry = catalog.get(c.catalog_code)
        categories.append(
            {
                "id": c.id,
                "name": c.name,
                "parent_id": c.parent_id,
                "is_leaf": c.id in leaf_ids,
                "catalog_code": c.catalog_code,
                "catalog_name": entry.name if entry else "",
                # What a listing of it must state (the listing form asks for these)
                "spec_params": [p._asdict() for p in required_specs(c.catalog_code)] if c.id in leaf_ids else [],
            }
        )
    return {
        "id": site.id,
        "name": site.name,
        "short_name": site.short_name,
        "city_name": site.city_name,
        "division_code": site.division_code,
        "catalog_edition": site.catalog_edition,
        "look": {"title": site.look.title, "theme_color": site.look.theme_color, "subtitle": site.look.subtitle},
        "districts": [_district_dict(d) for d in site.districts],
        # Enabled by the operator (each says whether it is open yet), then every method there is.
        "methods": [method_view(m, True) for m in site.methods],
        "all_methods": [method_view(m, m in site.methods) for m in PurchaseMethod],
        "limits": limits_to_dict(site.limits),
        "bidding": site.bidding._asdict(),
        "categories": categories,
        "decentralized_categories": [
            {"code": code, "name": entry.name if (entry := catalog.get(code)) else ""}
            for code in site.decentralized_categories
        ],
        "version": site.version,
        "updated_at": site.updated_at,
    }


def site_summary(site: SiteConfig) -> dict[str, Any]:
    return {
        "id": site.id,
        "name": site.name,
        "short_name": site.short_name,
        "division_code": site.division_code,
        "look": {"title": site.look.title, "theme_color": site.look.theme_color, "subtitle": site.look.subtitle},
    }
