"""`python -m scheduled backfill --site liaocheng --year 2024`: rebuild a year's rollups from the stored purchases.

Reads every order of the site (the site's order index), recomputes what each
contributes with the same rules as the stream consumer, replaces the year's
day items and the orders' counted records, then recompiles every month and
the year. Ratings and follow-ups are not orders: their counters on the day
items are kept as they are. Run it while the site is quiet: a change the
consumer applies during the rebuild may be overwritten (run it again after).
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from datetime import datetime
from typing import Any, TextIO

from chalicelib.domain import stats
from chalicelib.domain.clock import china_date, utc_now
from chalicelib.domain.reports import Period
from scheduled.progress import ProgressBar

KEPT_FAMILIES = ("rt", "fu")  # counters that come from ratings and follow-ups, not from orders


def site_orders(site_id: str) -> list[Any]:
    from chalicelib.domain.orders import order_from_dict
    from chalicelib.store import keys
    from chalicelib.store.documents import fields_of
    from chalicelib.store.models import OrderItem

    return [
        order_from_dict(fields_of("order", item.data))
        for item in OrderItem.gsi3.query(keys.site_orders(site_id))
        if isinstance(item, OrderItem)
    ]


def _recompute(
    site: Any, year: int, orders: list[Any], bar: Callable[[str, int], ProgressBar]
) -> tuple[dict[str, tuple[dict[str, int], dict[str, str]]], list[tuple[str, stats.Counted]]]:
    """What the year's orders contribute, day by day, with the same rules as the stream consumer."""
    from chalicelib.handlers.stats_tasks import deal_of

    suppliers: dict[str, tuple[str, str]] = {}
    days: dict[str, tuple[dict[str, int], dict[str, str]]] = {}
    facts: list[tuple[str, stats.Counted]] = []
    reading = bar("重算订单", len(orders))
    for order in orders:
        reading.advance()
        purchase = deal_of(site, order, suppliers)
        contribution = stats.contribution(purchase) if purchase else None
        day = contribution.day if contribution else order.created_at[:10]
        if not day.startswith(f"{year}-"):
            continue
        facts.append((f"order#{order.order_no}", stats.Counted(order.version, contribution)))
        if contribution is not None:
            counters, labels = days.setdefault(contribution.day, ({}, {}))
            for name, value in contribution.counters.items():
                counters[name] = counters.get(name, 0) + value
            labels.update(contribution.labels)
    reading.close()
    return days, facts


def run_backfill(
    site_id: str,
    year: int,
    *,
    now: datetime | None = None,
    out: TextIO | None = None,
    progress: Callable[[str, int], ProgressBar] | None = None,
) -> dict[str, Any]:
    from chalicelib.handlers.stats_tasks import compile_one
    from chalicelib.store.sites import DynamoSiteStore
    from chalicelib.store.stats import DynamoRollupStore

    out = out or sys.stdout
    bar = progress or (lambda label, total: ProgressBar(label, total))
    now = now or utc_now()
    site = DynamoSiteStore().get(site_id)
    if site is None:
        raise SystemExit(f"站点 {site_id} 不存在")
    if not 2015 <= year <= china_date(now).year:
        raise SystemExit(f"年度应在 2015 到 {china_date(now).year} 之间：{year}")
    days, facts = _recompute(site, year, site_orders(site_id), bar)
    rollups = DynamoRollupStore()
    for day, counters, labels in rollups.days(site_id, f"{year}-01-01", f"{year}-12-31"):
        kept = {k: v for k, v in counters.items() if k.split("|", 1)[0] in KEPT_FAMILIES}
        if kept:
            into, into_labels = days.setdefault(day, ({}, {}))
            into.update(kept)
            into_labels.update(labels)
    rollups.replace_year(site_id, year, days)
    rollups.put_facts(site_id, facts)
    months = [f"{year}-{m:02d}" for m in range(1, 13) if Period(year, m).first <= china_date(now)]
    compiling = bar("编制报表", len(months) + 1)
    compiled = []
    for period in [Period(year, int(m[5:])) for m in months] + [Period(year)]:
        compiled.append(compile_one(site, period, now))
        compiling.advance()
    compiling.close()
    counted = sum(1 for _f, c in facts if c.contribution is not None)
    print(f"{site.name} {year} 年：重算订单 {counted} 个，日汇总 {len(days)} 天，报表 {len(compiled)} 份。", file=out)
    return {"orders": counted, "days": len(days), "reports": len(compiled)}
