"""Statistics (交易数据统计): what each purchase adds to the daily rollups, kept exact.

A purchase counts as a deal (成交) from the day its supplier confirmed it
until it ends early: a declined, cancelled or terminated order leaves the
figures again, even months later. Each counted purchase is flattened into a
`Purchase`, and the `Purchase` into additive counters of one day: totals, by
district, by method and mechanism, by category root, by leaf category, by
buyer and by supplier. Reports add days up; they never re-read purchases.

Exactness under at-least-once delivery: the rollup store keeps, for every
purchase, the counters it last added and the version they came from. A change
is applied as the difference between what the purchase should add now and
what it added before, and only if its version is newer, in one transaction
with that record. A replayed or out-of-order change therefore adds nothing,
and a late correction subtracts exactly what was counted.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable, Mapping
from datetime import date, timedelta
from typing import TYPE_CHECKING, NamedTuple, Protocol

from chalicelib.domain.catalog import ROOT_NAMES
from chalicelib.domain.clock import china_date_text
from chalicelib.domain.purchase import BuyingMode, Mechanism

if TYPE_CHECKING:
    from chalicelib.domain.orders import Order

# The order statuses a deal is in: confirmed by its supplier and not ended early.
DEAL_STATUSES = frozenset({"confirmed", "shipped", "accepted", "settled"})
SEP = "|"


class PurchaseLine(NamedTuple):
    category_key: str  # the site's mall category id, or the national catalog code
    category_name: str
    root: str  # A 货物 / B 工程 / C 服务
    amount_fen: int


class Purchase(NamedTuple):
    """One deal as the statistics see it (mall orders and imported history alike)."""

    site_id: str
    order_no: str
    deal_date: str  # YYYY-MM-DD, China time
    district: str  # the buyer's district code (the site's 市本级 included)
    buyer_uscc: str
    buyer_name: str
    supplier_uscc: str
    supplier_name: str
    supplier_scale: str  # micro | small | medium | large | "" (not declared)
    supplier_district: str  # where the supplier is registered (GB/T 2260): the scale table counts the local ones
    method: BuyingMode
    mechanism: Mechanism
    budget_fen: int
    lines: tuple[PurchaseLine, ...]
    imported: bool = False  # 历史导入: from the old mall

    @property
    def amount_fen(self) -> int:
        return sum(line.amount_fen for line in self.lines)


class Contribution(NamedTuple):
    """What one purchase adds to one day: counters (additive) and labels (names to show)."""

    day: str
    counters: dict[str, int]
    labels: dict[str, str]


def key(*parts: str) -> str:
    return SEP.join(parts)


def contribution(purchase: Purchase) -> Contribution:
    amount = purchase.amount_fen
    district = purchase.district
    counters: dict[str, int] = {}

    def add(name: str, projects: int, fen: int) -> None:
        counters[key(name, "n")] = counters.get(key(name, "n"), 0) + projects
        counters[key(name, "amt")] = counters.get(key(name, "amt"), 0) + fen

    add("t", 1, amount)
    counters["t|bud"] = purchase.budget_fen
    if purchase.imported:
        add("h", 1, amount)
    add(key("d", district), 1, amount)
    add(key("m", district, purchase.method.value, purchase.mechanism.value), 1, amount)
    by_root: dict[str, int] = {}
    by_category: dict[str, int] = {}
    labels: dict[str, str] = {key("b", purchase.buyer_uscc): purchase.buyer_name}
    for line in purchase.lines:
        by_root[line.root] = by_root.get(line.root, 0) + line.amount_fen
        by_category[line.category_key] = by_category.get(line.category_key, 0) + line.amount_fen
        labels[key("c", line.category_key)] = line.category_name
    # A project counts once in each root and each leaf category it holds (seed 000's leaf counts add up
    # to more than its goods total for that reason); its amount splits by line.
    for root, fen in by_root.items():
        add(key("r", district, root), 1, fen)
    for category, fen in by_category.items():
        add(key("c", category), 1, fen)
    add(key("b", purchase.buyer_uscc), 1, amount)
    # The scale table: projects and amount by the supplier's scale and registered district (a scope counts the
    # districts inside it), and each supplier's projects alone, to count the suppliers that traded.
    scale, district = purchase.supplier_scale or "none", purchase.supplier_district or "000000"
    add(key("sc", scale, district), 1, amount)
    counters[key("s", scale, district, purchase.supplier_uscc, "n")] = 1
    return Contribution(purchase.deal_date, counters, labels)


# ---------------------------------------------------------------- applying a change exactly


class Counted(NamedTuple):
    """What the store remembers of one purchase: the version counted and what it added (None: nothing)."""

    version: int
    contribution: Contribution | None


class Delta(NamedTuple):
    day: str
    counters: dict[str, int]  # only non-zero differences


def deltas(before: Contribution | None, after: Contribution | None) -> list[Delta]:
    """What to add to each day so that `before` becomes `after` (negative where it leaves)."""
    by_day: dict[str, dict[str, int]] = {}
    for sign, part in ((-1, before), (1, after)):
        if part is None:
            continue
        into = by_day.setdefault(part.day, {})
        for name, value in part.counters.items():
            into[name] = into.get(name, 0) + sign * value
    found = []
    for day, counters in sorted(by_day.items()):
        changed = {name: value for name, value in counters.items() if value}
        if changed:
            found.append(Delta(day, changed))
    return found


class RollupStore(Protocol):
    def counted(self, site_id: str, fact_id: str) -> Counted | None: ...

    def apply(
        self,
        site_id: str,
        fact_id: str,
        previous: Counted | None,
        now: Counted,
        changes: list[Delta],
        labels: Mapping[str, str],
    ) -> bool:
        """Record `now` for the fact and add the changes to their days, in one transaction, on the
        condition that the fact is still as `previous` saw it. False when another delivery won the race."""

    def pieces(self, site_id: str, first: str, last: str) -> list[tuple[str, dict[str, int], dict[str, str]]]:
        """Counters and labels that together cover the days between two dates (inclusive): whole years, whole
        months and single days (see `tiles`), each piece once."""


class Outcome(NamedTuple):
    applied: bool
    reason: str  # applied | replayed | unchanged | raced


def record(store: RollupStore, site_id: str, fact_id: str, version: int, contributes: Contribution | None) -> Outcome:
    """Make the rollups hold what the purchase at `version` contributes (None: nothing), exactly once."""
    for _attempt in range(5):
        previous = store.counted(site_id, fact_id)
        if previous is not None and previous.version >= version:
            return Outcome(False, "replayed")
        before = previous.contribution if previous else None
        changes = deltas(before, contributes)
        if not changes and previous is not None and before == contributes:
            # Nothing to add; still remember the version so that an older replay stays refused.
            store.apply(site_id, fact_id, previous, Counted(version, contributes), [], {})
            return Outcome(False, "unchanged")
        labels = contributes.labels if contributes else {}
        if store.apply(site_id, fact_id, previous, Counted(version, contributes), changes, labels):
            return Outcome(True, "applied")
    return Outcome(False, "raced")


# ---------------------------------------------------------------- composing days into a period


class Rollup:
    """Counters and labels of a span, with each family's entries parsed once (reports read them many times)."""

    __slots__ = ("_families", "counters", "labels")

    def __init__(self, counters: dict[str, int], labels: dict[str, str]) -> None:
        self.counters = counters
        self.labels = labels
        self._families: dict[str, dict[tuple[str, ...], tuple[int, int]]] | None = None

    def get(self, *parts: str) -> int:
        return self.counters.get(key(*parts), 0)

    def family(self, name: str) -> dict[tuple[str, ...], tuple[int, int]]:
        """All (projects, amount) pairs of one family: key parts after the family -> (n, fen)."""
        if self._families is None:
            found: dict[str, dict[tuple[str, ...], list[int]]] = {}
            for counter, value in self.counters.items():
                parts = counter.split(SEP)
                last = parts[-1]
                if last not in ("n", "amt"):
                    continue
                pair = found.setdefault(parts[0], {}).setdefault(tuple(parts[1:-1]), [0, 0])
                pair[0 if last == "n" else 1] += value
            self._families = {
                fam: {k: (v[0], v[1]) for k, v in pairs.items() if v[0] or v[1]} for fam, pairs in found.items()
            }
        return self._families.get(name, {})


def compose(days: Iterable[tuple[str, Mapping[str, int], Mapping[str, str]]]) -> Rollup:
    counters: dict[str, int] = {}
    labels: dict[str, str] = {}
    for _day, day_counters, day_labels in days:
        for name, value in day_counters.items():
            counters[name] = counters.get(name, 0) + int(value)
        labels.update(day_labels)
    return Rollup({k: v for k, v in counters.items() if v}, labels)


def merge(rollups: Iterable[Rollup]) -> Rollup:
    return compose(("", r.counters, r.labels) for r in rollups)


def entries(rollup: Rollup, family: str) -> dict[tuple[str, ...], tuple[int, int]]:
    """All (projects, amount) pairs of one family: key parts after the family -> (n, fen)."""
    return rollup.family(family)


# ---------------------------------------------------------------- where counters live

GRAINS = ("Y", "M", "D")  # every change is added to its year, its month and its day
SHARDS = 16  # buyers and suppliers are spread over this many items per period (a year's suppliers outgrow one)


def group_of(name: str) -> str:
    """The item of a period a counter or label lives in: 'core', or a buyer or supplier shard ('b07', 's12')."""
    parts = name.split(SEP)
    if parts[0] in ("b", "s"):
        party = parts[-2] if parts[-1] in ("n", "amt") else parts[-1]  # b|{uscc}|amt, s|{scale}|{district}|{uscc}|n
        return f"{parts[0]}{zlib.crc32(party.encode()) % SHARDS:02d}"
    return "core"


def periods_of_day(day: str) -> tuple[str, str, str]:
    """'2024-03-15' -> its year, month and day as the rollup items name them."""
    return day[:4], day[:7], day


def tiles(first: date, last: date) -> list[tuple[str, str, str]]:
    """The fewest pieces that cover [first, last]: (grain, from, to) with whole years, whole months, then days."""
    found: list[tuple[str, str, str]] = []
    day = first
    while day <= last:
        year_end = date(day.year, 12, 31)
        if day.month == 1 and day.day == 1 and year_end <= last:
            found.append(("Y", str(day.year), str(day.year)))
            day = year_end + timedelta(days=1)
            continue
        month_end = (date(day.year + (day.month == 12), day.month % 12 + 1, 1)) - timedelta(days=1)
        if day.day == 1 and month_end <= last:
            found.append(("M", day.strftime("%Y-%m"), day.strftime("%Y-%m")))
            day = month_end + timedelta(days=1)
            continue
        end = min(month_end, last)
        found.append(("D", day.isoformat(), end.isoformat()))
        day = end + timedelta(days=1)
    return found


def root_name(root: str) -> str:
    return ROOT_NAMES.get(root, root)


def day_text(moment_iso: str) -> str:
    return china_date_text(moment_iso)


def days_between(first: date, last: date) -> int:
    return (last - first).days + 1


# ---------------------------------------------------------------- what each kind of item contributes


def category_of(
    line_category_id: str, catalog_code: str, fallback_name: str, names: Mapping[str, str]
) -> tuple[str, str]:
    """(key, name) of a line's leaf category: the site's mall category when it has one, else the national
    catalog code (imported purchases may name only that)."""
    if line_category_id and line_category_id in names:
        return line_category_id, names[line_category_id]
    if catalog_code and catalog_code in names:
        return catalog_code, names[catalog_code]
    return (line_category_id or catalog_code), fallback_name


def purchase_of_order(
    order: Order, names: Mapping[str, str], supplier_scale: str, supplier_district: str
) -> Purchase | None:
    """The deal an order is, or None while it is not one (not yet confirmed, or ended early).

    `names` maps mall category ids and catalog codes to names; the supplier's scale and registered district are
    the profile's (an imported purchase carries the old mall's)."""
    if order.status.value not in DEAL_STATUSES:
        return None
    confirmed = order.milestones.get("confirmed") or order.created_at
    if order.imported is not None:
        supplier_scale, supplier_district = order.imported.supplier_scale, order.imported.supplier_district
    lines = []
    for line in order.lines:
        category, name = category_of(line.category_id, line.catalog_code, line.name, names)
        lines.append(PurchaseLine(category, name, (line.catalog_code or "A")[0], line.amount_fen))
    total = order.total_fen
    return Purchase(
        site_id=order.site_id,
        order_no=order.order_no,
        deal_date=china_date_text(confirmed),
        district=order.buyer_district,
        buyer_uscc=order.buyer_uscc,
        buyer_name=order.buyer_name,
        supplier_uscc=order.supplier_uscc,
        supplier_name=order.supplier_name,
        supplier_scale=supplier_scale,
        supplier_district=supplier_district,
        method=order.method,
        mechanism=order.mechanism,
        budget_fen=max(order.budget_fen, total),
        lines=tuple(lines),
        imported=order.is_imported,
    )


def rating_contribution(target: str, stars_good: bool, at: str) -> Contribution:
    return Contribution(
        china_date_text(at), {key("rt", target, "n"): 1, key("rt", target, "good"): int(stars_good)}, {}
    )


def followup_contribution(opened_at: str, closed: bool, reached: bool = False, satisfied: bool = False) -> Contribution:
    """A poor rating's follow-up: counted when opened; once closed, whether the call reached the buyer and whether
    the buyer was satisfied (满意 or 基本满意): 回访满意率 = satisfied ÷ reached."""
    counts = {"fu|n": 1, "fu|closed": int(closed), "fu|reached": int(reached), "fu|satisfied": int(satisfied)}
    return Contribution(china_date_text(opened_at), counts, {})
