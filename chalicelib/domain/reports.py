"""The finance bureau's report (交易数据统计分析报告), table by table as seed 000 prints it.

A report is composed from the daily rollups of its period and of the same
span a year earlier (for 同比); it never reads a purchase. Amounts stay in
fen here; the outputs format 亿元 and 万元 with the seed's two decimals.
Where the seed's own tables disagree (its method table sums to more than its
total), ours stay consistent: every table splits the same deals.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any, NamedTuple

from chalicelib.domain.errors import InvalidInput
from chalicelib.domain.purchase import BuyingMode, Mechanism
from chalicelib.domain.sme import Scale
from chalicelib.domain.stats import Rollup, entries, root_name

_PERIOD = re.compile(r"^(\d{4})(?:-(\d{2}))?$")
FIRST_YEAR = 2015  # the province's first online mall; nothing older can be imported or reported

# Seed 000's method table: 超市采购 (直购, 竞价, 反拍), 批量采购 (优惠率), 框架协议采购 (直接选定, 二次竞价).
SEED_COLUMNS: tuple[tuple[BuyingMode, Mechanism], ...] = (
    (BuyingMode.SUPERMARKET, Mechanism.DIRECT),
    (BuyingMode.SUPERMARKET, Mechanism.BIDDING),
    (BuyingMode.SUPERMARKET, Mechanism.REVERSE_AUCTION),
    (BuyingMode.BATCH, Mechanism.DISCOUNT_RATE),
    (BuyingMode.FRAMEWORK, Mechanism.FRAMEWORK_DIRECT),
    (BuyingMode.FRAMEWORK, Mechanism.FRAMEWORK_BIDDING),
)
SCALE_ORDER = (Scale.MICRO, Scale.SMALL, Scale.MEDIUM, Scale.LARGE)
ROOTS = ("A", "B", "C")


class Period(NamedTuple):
    year: int
    month: int = 0  # 0: the whole year

    @property
    def text(self) -> str:
        return f"{self.year}" if not self.month else f"{self.year}-{self.month:02d}"

    @property
    def label(self) -> str:
        return f"{self.year} 年度" if not self.month else f"{self.year} 年 {self.month} 月"

    @property
    def kind(self) -> str:
        return "month" if self.month else "year"

    @property
    def first(self) -> date:
        return date(self.year, self.month or 1, 1)

    @property
    def last(self) -> date:
        if not self.month:
            return date(self.year, 12, 31)
        following = date(self.year + (self.month == 12), self.month % 12 + 1, 1)
        return following - timedelta(days=1)

    def span(self, today: date) -> tuple[date, date]:
        """The days the report covers: the whole period, or up to today while it is running."""
        return self.first, min(self.last, today)

    @property
    def months(self) -> list[str]:
        return [f"{self.year}-{m:02d}" for m in ([self.month] if self.month else range(1, 13))]


def parse_period(text: str, today: date) -> Period:
    """'2024' or '2024-03'; malformed, before the mall or in the future: a Chinese message."""
    match = _PERIOD.fullmatch(text or "")
    if not match:
        raise InvalidInput(
            "统计期间格式应为年份（如 2024）或年月（如 2024-03）", code="PERIOD_INVALID", details={"field": "period"}
        )
    year, month = int(match.group(1)), int(match.group(2) or 0)
    if match.group(2) and not 1 <= month <= 12:
        raise InvalidInput(f"月份应在 01 到 12 之间：{text}", code="PERIOD_INVALID", details={"field": "period"})
    period = Period(year, month)
    if year < FIRST_YEAR:
        raise InvalidInput(
            f"统计期间不能早于 {FIRST_YEAR} 年：{text}", code="PERIOD_INVALID", details={"field": "period"}
        )
    if period.first > today:
        raise InvalidInput(f"统计期间 {period.label} 尚未开始", code="PERIOD_IN_FUTURE", details={"field": "period"})
    return period


def year_before(day: date) -> date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


class Scope(NamedTuple):
    """Whose report: one site (its districts in the configured order), or the province (its sites)."""

    kind: str  # site | province
    id: str
    name: str  # 聊城 / 全省
    whole_label: str  # 全市 / 全省
    city_level: str  # the 市本级 district code ("" for the province)
    locality: str  # the code prefix of 所在地 for the scale table: the city's (3715), or the province's (37)
    areas: tuple[tuple[str, str], ...]  # (code, short name): districts, or sites for the province


class Market(NamedTuple):
    """Figures of the moment the report is compiled (入驻 suppliers and listings on sale), not of the period."""

    suppliers: int
    small_micro_suppliers: int
    listings: int
    private_suppliers: int = 0  # 民营企业 (seed 000 §一: 民营企业占比)


# ---------------------------------------------------------------- arithmetic


def pct(part: int, whole: int) -> str | None:
    """part / whole in per cent with two decimals, rounded half up on integers; None when whole is 0."""
    if not whole:
        return None
    value = (abs(part) * 20000 + abs(whole)) // (2 * abs(whole))
    sign = "-" if (part < 0) != (whole < 0) and part else ""
    return f"{sign}{value // 100}.{value % 100:02d}"


def growth(current: int, previous: int) -> str | None:
    """同比: (current − previous) / previous, in per cent."""
    return pct(current - previous, previous) if previous else None


def points(current: str | None, previous: str | None) -> str | None:
    """The change of a share in percentage points (同比增加 x%)."""
    if current is None or previous is None:
        return None
    cents = round(float(current) * 100) - round(float(previous) * 100)
    sign = "-" if cents < 0 else ""
    return f"{sign}{abs(cents) // 100}.{abs(cents) % 100:02d}"


# ---------------------------------------------------------------- tables


def _pair(rollup: Rollup, *parts: str) -> tuple[int, int]:
    return rollup.get(*parts, "n"), rollup.get(*parts, "amt")


def _area_rows(
    scope: Scope, current: Mapping[str, tuple[int, int]], previous: Mapping[str, tuple[int, int]]
) -> list[dict[str, Any]]:
    names = dict(scope.areas)
    codes = [c for c in {*current, *previous} if c]
    rows: list[dict[str, Any]] = []
    for code in codes:
        n, amount = current.get(code, (0, 0))
        pn, pamount = previous.get(code, (0, 0))
        rows.append(
            {
                "code": code,
                "name": names.get(code, code),
                "amount_fen": amount,
                "amount_yoy": growth(amount, pamount),
                "projects": n,
                "projects_yoy": growth(n, pn),
                "city_level": code == scope.city_level,
            }
        )
    # As the seed prints it: the areas by amount, 市本级 last and unnumbered.
    order = {code: i for i, (code, _name) in enumerate(scope.areas)}
    rows.sort(key=lambda r: (r["city_level"], -r["amount_fen"], order.get(r["code"], 999), r["code"]))
    for rank, row in enumerate((r for r in rows if not r["city_level"]), start=1):
        row["rank"] = rank
    return rows


def _by_district(rollup: Rollup) -> dict[str, tuple[int, int]]:
    return {parts[0]: pair for parts, pair in entries(rollup, "d").items()}


def _method_columns(current: Rollup) -> list[tuple[BuyingMode, Mechanism]]:
    present = {(BuyingMode(p[1]), Mechanism(p[2])) for p in entries(current, "m")}
    extra = sorted(
        present - set(SEED_COLUMNS), key=lambda c: (list(BuyingMode).index(c[0]), list(Mechanism).index(c[1]))
    )
    return [*SEED_COLUMNS, *extra]


def _method_rows(rollup: Rollup, districts: set[str] | None) -> dict[tuple[str, str], tuple[int, int]]:
    found: dict[tuple[str, str], list[int]] = {}
    for (district, method, mechanism), (n, fen) in entries(rollup, "m").items():
        if districts is None or district in districts:
            pair = found.setdefault((method, mechanism), [0, 0])
            pair[0] += n
            pair[1] += fen
    return {k: (v[0], v[1]) for k, v in found.items()}


def _root_rows(rollup: Rollup, districts: set[str] | None) -> dict[str, tuple[int, int]]:
    found: dict[str, list[int]] = {}
    for (district, root), (n, fen) in entries(rollup, "r").items():
        if districts is None or district in districts:
            pair = found.setdefault(root, [0, 0])
            pair[0] += n
            pair[1] += fen
    return {k: (v[0], v[1]) for k, v in found.items()}


def _scale_rows(rollup: Rollup, locality: str) -> list[dict[str, Any]]:
    """By enterprise scale, of the suppliers registered inside the scope: suppliers that traded, projects, amount."""
    suppliers: dict[str, int] = {}
    for (scale, district, _uscc), (n, _fen) in rollup.family("s").items():
        if n > 0 and district.startswith(locality):
            suppliers[scale] = suppliers.get(scale, 0) + 1
    totals: dict[str, list[int]] = {}
    for (scale, district), (n, fen) in rollup.family("sc").items():
        if district.startswith(locality):
            pair = totals.setdefault(scale, [0, 0])
            pair[0] += n
            pair[1] += fen
    return [
        {
            "scale": scale.value,
            "name": f"{scale.label}企业",
            "suppliers": suppliers.get(scale.value, 0),
            "projects": totals.get(scale.value, [0, 0])[0],
            "amount_fen": totals.get(scale.value, [0, 0])[1],
        }
        for scale in SCALE_ORDER
    ]


def _top(rollup: Rollup, family: str, by_projects: bool, limit: int = 10) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = [
        {"key": parts[0], "name": rollup.labels.get(f"{family}|{parts[0]}", parts[0]), "projects": n, "amount_fen": fen}
        for parts, (n, fen) in entries(rollup, family).items()
        if n > 0
    ]
    if by_projects:
        rows.sort(key=lambda r: (-r["projects"], -r["amount_fen"], r["name"]))
    else:
        rows.sort(key=lambda r: (-r["amount_fen"], -r["projects"], r["name"]))
    return [{"rank": i, **row} for i, row in enumerate(rows[:limit], start=1)]


def _share_of(rollup: Rollup, mode: BuyingMode) -> int:
    return sum(fen for (m, _mech), (_n, fen) in _method_rows(rollup, None).items() if m == mode.value)


def build_report(
    scope: Scope,
    period: Period,
    span: tuple[date, date],
    current: Rollup,
    previous: Rollup,
    market: Market | None,
    compiled_at: str,
    by_area: tuple[Mapping[str, tuple[int, int]], Mapping[str, tuple[int, int]]] | None = None,
) -> dict[str, Any]:
    """Every table of seed 000 for the scope and period. `by_area` gives the province's (current, previous)
    figures per site; a site's come from its districts."""
    projects, amount = _pair(current, "t")
    prev_projects, prev_amount = _pair(previous, "t")
    budget = current.get("t", "bud")
    city = {scope.city_level} if scope.city_level else set()
    areas_now, areas_before = by_area or (_by_district(current), _by_district(previous))

    columns = _method_columns(current)
    method_scopes = [(scope.whole_label, None)] + ([("市本级", city)] if city else [])
    method_table = {
        "columns": [
            {"method": m.value, "method_label": m.label, "mechanism": k.value, "mechanism_label": k.label}
            for m, k in columns
        ],
        "rows": [
            {
                "scope": label,
                "amount_fen": [rows.get((m.value, k.value), (0, 0))[1] for m, k in columns],
                "projects": [rows.get((m.value, k.value), (0, 0))[0] for m, k in columns],
            }
            for label, districts in method_scopes
            for rows in [_method_rows(current, districts)]
        ],
    }
    whole_roots, city_roots = _root_rows(current, None), _root_rows(current, city) if city else {}
    categories = [
        {
            "root": root,
            "name": root_name(root),
            "projects": whole_roots.get(root, (0, 0))[0],
            "amount_fen": whole_roots.get(root, (0, 0))[1],
            "city_level_projects": city_roots.get(root, (0, 0))[0],
            "city_level_amount_fen": city_roots.get(root, (0, 0))[1],
        }
        for root in ROOTS
    ]
    scales = _scale_rows(current, scope.locality)
    scale_total = {
        "suppliers": sum(r["suppliers"] for r in scales),
        "projects": sum(r["projects"] for r in scales),
        "amount_fen": sum(r["amount_fen"] for r in scales),
    }
    sme_projects = sum(r["projects"] for r in scales if r["scale"] in (Scale.MICRO.value, Scale.SMALL.value))
    supermarket, framework, batch = (
        _share_of(current, m) for m in (BuyingMode.SUPERMARKET, BuyingMode.FRAMEWORK, BuyingMode.BATCH)
    )
    before = [_share_of(previous, m) for m in (BuyingMode.SUPERMARKET, BuyingMode.FRAMEWORK, BuyingMode.BATCH)]
    ratings = {
        target: {"total": current.get("rt", target, "n"), "good": current.get("rt", target, "good")}
        for target in ("supplier", "mall", "buyer")
    }
    rated = ratings["supplier"]["total"] + ratings["mall"]["total"]
    good = ratings["supplier"]["good"] + ratings["mall"]["good"]
    return {
        "title": f"{scope.name}政府采购网上商城交易数据统计分析报告（{period.label}）",
        "scope": {"kind": scope.kind, "id": scope.id, "name": scope.name, "whole_label": scope.whole_label},
        "period": {
            "text": period.text,
            "kind": period.kind,
            "label": period.label,
            "first": span[0].isoformat(),
            "last": span[1].isoformat(),
            "complete": span[1] == period.last,
        },
        "compiled_at": compiled_at,
        "totals": {
            "projects": projects,
            "amount_fen": amount,
            "budget_fen": budget,
            "savings_fen": budget - amount,
            "amount_yoy": growth(amount, prev_amount),
            "projects_yoy": growth(projects, prev_projects),
            "previous_projects": prev_projects,
            "previous_amount_fen": prev_amount,
            "imported_projects": current.get("h", "n"),
            "imported_amount_fen": current.get("h", "amt"),
        },
        "areas": {
            "kind": "site" if scope.kind == "province" else "district",
            "rows": _area_rows(scope, areas_now, areas_before),
        },
        "methods": method_table,
        "categories": {"rows": categories, "city_level": bool(city)},
        "scales": {"rows": scales, "total": scale_total},
        "top_categories_by_amount": _top(current, "c", by_projects=False),
        "top_categories_by_projects": _top(current, "c", by_projects=True),
        "top_buyers": _top(current, "b", by_projects=False),
        "small_micro": {
            "suppliers": market.suppliers if market else None,
            "small_micro_suppliers": market.small_micro_suppliers if market else None,
            "suppliers_share": pct(market.small_micro_suppliers, market.suppliers) if market else None,
            "private_share": pct(market.private_suppliers, market.suppliers) if market else None,
            "local_projects": scale_total["projects"],
            "small_micro_projects": sme_projects,
            "projects_share": pct(sme_projects, scale_total["projects"]),
        },
        "market": market._asdict() if market else None,
        "ratings": {
            **ratings,
            "good_rate": pct(good, rated),
            "followups": current.get("fu", "n"),
            "followups_closed": current.get("fu", "closed"),
            "followups_reached": current.get("fu", "reached"),
            "followup_satisfaction": pct(current.get("fu", "satisfied"), current.get("fu", "reached")),
        },
        "narrative": {
            "supermarket_share": pct(supermarket, amount),
            "supermarket_share_change": points(pct(supermarket, amount), pct(before[0], prev_amount)),
            "framework_share": pct(framework, amount),
            "framework_growth": growth(framework, before[1]),
            "batch_share": pct(batch, amount),
            "batch_growth": growth(batch, before[2]),
        },
    }
