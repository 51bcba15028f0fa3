"""A sample export of the old mall, shaped like seed 000's 聊城 2024 figures (demo, tests and bench/stats.py).

Deterministic for a seed: districts, methods, categories and supplier scales are
drawn with seed 000's proportions, so a large sample looks like the year the
report describes. Identifiers are well-formed (统一社会信用代码 with their check
character) but invented: demo data only, never to be reported.
"""

from __future__ import annotations

import csv
import io
import json
import random
from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

from chalicelib.domain.history import CSV_LINE_FIELDS, ORDER_FIELDS
from chalicelib.domain.sites import SiteConfig
from chalicelib.domain.uscc import make_uscc

# Seed 000's 项目数 by district (2024): the weights of the draw.
DISTRICT_PROJECTS = {
    "莘县": 13782, "阳谷县": 7235, "茌平区": 6789, "东昌府区": 10701, "临清市": 7217, "冠县": 4666,
    "高唐县": 4166, "经开区": 1770, "东阿县": 1436, "度假区": 863, "高新区": 519, "市本级": 7397,
}  # fmt: skip
# Seed 000's 项目数量 by price mechanism (全市).
METHOD_PROJECTS = {
    ("supermarket", "direct"): 62312, ("supermarket", "bidding"): 2266, ("supermarket", "reverse_auction"): 62,
    ("batch", "discount_rate"): 1901, ("framework", "framework_direct"): 1056,
}  # fmt: skip
SCALES = {"micro": 2181, "small": 994, "medium": 452, "large": 28}
BUYERS_PER_DISTRICT = 170  # about 2,000 buyer units in a city
LOCAL_SHARE = 0.76  # 50,713 of 66,541 projects went to suppliers registered in 聊城


def _uscc(prefix: str, district: str, n: int) -> str:
    return make_uscc(prefix, district, f"MA{n:07d}")


def _scale_of(n: int) -> str:
    """A supplier has one scale wherever it sells: drawn from its number, with seed 000's proportions."""
    scales, weights = list(SCALES), list(SCALES.values())
    return random.Random(n).choices(scales, weights)[0]


def _region(district: str, city: str) -> str:
    """The 6-digit region a code carries: tenant-local zones (L37150001) sit in the city's own."""
    return district if district.isdigit() else f"{city}00"


def purchases(site: SiteConfig, count: int, year: int, seed: int = 2024, first_no: int = 1) -> Iterator[dict[str, Any]]:
    """`count` purchases of `year` (JSON Lines shape: one purchase with its lines)."""
    rng = random.Random(seed)
    by_name = {d.short_name or d.name: d for d in site.districts}
    districts = [by_name[name] for name in DISTRICT_PROJECTS if name in by_name] or list(site.districts)
    district_weights = [DISTRICT_PROJECTS.get(d.short_name or d.name, 1000) for d in districts]
    methods, method_weights = list(METHOD_PROJECTS), list(METHOD_PROJECTS.values())
    parents = {c.parent_id for c in site.categories}
    leaves = [c for c in site.categories if c.parent_id and c.id not in parents]
    city = site.division_code[:4]
    local_suppliers = [(_uscc("91", f"{city}02", i), _scale_of(i)) for i in range(1, 3656)]
    other_suppliers = [(_uscc("91", "370102", 50_000 + i), _scale_of(50_000 + i)) for i in range(1, 500)]
    buyers = {
        d.code: [
            (_uscc("11", _region(d.code, city), 1000 * j + k), f"{d.short_name or d.name}第{k}采购单位")
            for k in range(1, 30)
        ]
        for j, d in enumerate(districts)
    }
    start = date(year, 1, 1)
    days = (date(year, 12, 31) - start).days + 1
    for n in range(first_no, first_no + count):
        district = rng.choices(districts, district_weights)[0]
        method, mechanism = rng.choices(methods, method_weights)[0]
        local = rng.random() < LOCAL_SHARE
        supplier, scale = rng.choice(local_suppliers if local else other_suppliers)
        registered = supplier[2:8]
        buyer_uscc, buyer_name = rng.choice(buyers[district.code])
        lines: list[dict[str, Any]] = []
        for category in rng.sample(leaves, rng.choice((1, 1, 1, 2, 3))):
            quantity = rng.randint(1, 20)
            cents = rng.randint(20_00, 2_000_00) * quantity
            lines.append(
                {"category": category.name, "quantity": quantity, "amount_yuan": f"{cents // 100}.{cents % 100:02d}"}
            )
        total = sum(int(line["amount_yuan"].replace(".", "")) for line in lines)
        budget = total + (total * rng.randint(0, 25)) // 100 if mechanism != "direct" else total
        yield {
            "order_no": f"JS{year}{n:08d}",
            "site": site.id,
            "district": district.short_name or district.name,
            "buyer_name": buyer_name,
            "buyer_uscc": buyer_uscc,
            "buyer_district": district.code,
            "supplier_name": f"聊城样例供应商{supplier[-6:]}有限公司",
            "supplier_uscc": supplier,
            "supplier_scale": scale,
            "supplier_district": registered,
            "method": method,
            "mechanism": mechanism,
            "budget_yuan": f"{budget // 100}.{budget % 100:02d}",
            "deal_date": (start + timedelta(days=rng.randrange(days))).isoformat(),
            "lines": lines,
        }


def to_jsonl(rows: Iterator[dict[str, Any]] | list[dict[str, Any]]) -> str:
    return "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)


def to_csv(rows: Iterator[dict[str, Any]] | list[dict[str, Any]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([*ORDER_FIELDS, *CSV_LINE_FIELDS])
    for row in rows:
        for line in row["lines"]:
            writer.writerow(
                [row.get(f, "") for f in ORDER_FIELDS] + [line["category"], line["quantity"], line["amount_yuan"]]
            )
    return out.getvalue()
