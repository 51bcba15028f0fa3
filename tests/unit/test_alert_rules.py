"""The four 动态预警 patterns on plain values: where each starts, and what it leaves alone."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from chalicelib.domain import alerts
from chalicelib.domain.clock import to_iso

NOW = datetime(2026, 12, 7, 2, 0, tzinfo=UTC)
RULES = alerts.AlertRules()


def buy(no: str, days_ago: int, total: int, *, buyer: str = "B1", supplier: str = "S1", level2: str = "A05040000",
        listings: tuple[str, ...] = ("L1",), ended: bool = False) -> alerts.Purchase:  # fmt: skip
    at = to_iso(NOW - timedelta(days=days_ago))
    return alerts.Purchase(no, at, buyer, f"单位{buyer}", supplier, f"公司{supplier}", level2, total, listings, ended)


def test_splitting_needs_each_order_under_the_limit_and_the_sum_above_it() -> None:
    limit = 1_000_000
    orders = [buy("O1", 20, 400_000), buy("O2", 10, 400_000), buy("O3", 0, 400_000)]
    found = alerts.splitting("lc", orders[-1], orders, RULES, limit, {}, NOW)
    assert found is not None and found.figures["total_fen"] == 1_200_000
    # An order at the limit is not hiding under it; an order outside the window or ended does not count.
    assert alerts.splitting("lc", orders[-1], [*orders[1:], buy("O0", 5, 1_000_000)], RULES, limit, {}, NOW) is None
    assert alerts.splitting("lc", orders[-1], [buy("O1", 31, 400_000), *orders[1:]], RULES, limit, {}, NOW) is None
    ended = [buy("O1", 20, 400_000, ended=True), *orders[1:]]
    assert alerts.splitting("lc", orders[-1], ended, RULES, limit, {}, NOW) is None
    other = [buy("O1", 20, 400_000, level2="A02010000"), *orders[1:]]
    assert alerts.splitting("lc", orders[-1], other, RULES, limit, {}, NOW) is None
    # The same pattern grown by a fourth order keeps its id: one alert, more evidence.
    grown = alerts.splitting("lc", buy("O4", 0, 100_000), [*orders, buy("O4", 0, 100_000)], RULES, limit, {}, NOW)
    assert grown is not None and grown.id == found.id and len(grown.evidence) == 4


def test_concentration_counts_the_suppliers_share_of_the_buyers_spending() -> None:
    mine = [buy(f"O{n}", n, 5_000_000) for n in range(4)]  # 20 万元 to S1
    others = [buy("X1", 3, 1_000_000, supplier="S2")]  # 1 万元 elsewhere: S1 has 95.2 %
    found = alerts.concentration("lc", mine[0], [*mine, *others], RULES, NOW)
    assert found is not None and found.figures["share_bp"] == 9523
    spread = [*mine, buy("X2", 3, 5_000_000, supplier="S2")]  # 80 % exactly: at the threshold, raised
    assert alerts.concentration("lc", mine[0], spread, RULES, NOW) is not None
    spread = [*mine, buy("X2", 3, 6_000_000, supplier="S2")]  # 76.9 %
    assert alerts.concentration("lc", mine[0], spread, RULES, NOW) is None
    small = [buy(f"O{n}", n, 100_000) for n in range(4)]  # 4,000 元: under the 10 万元 floor
    assert alerts.concentration("lc", small[0], small, RULES, NOW) is None


def test_exclusive_is_a_listing_bought_by_one_buyer_only() -> None:
    orders = [buy(f"O{n}", n, 100_000) for n in range(3)]
    [found] = alerts.exclusive("lc", orders[0], orders, {"L1": "定制笔记本"}, RULES, NOW)
    assert found.kind is alerts.AlertKind.EXCLUSIVE and "定制笔记本" in found.explanation
    shared = [*orders, buy("X", 1, 100_000, buyer="B2")]
    assert alerts.exclusive("lc", orders[0], shared, {}, RULES, NOW) == []


def meet(cid: str, days_ago: int, who: tuple[str, ...], winner: str, level2: str = "A02010000") -> alerts.Meeting:
    return alerts.Meeting(cid, to_iso(NOW - timedelta(days=days_ago)), cid, level2, tuple((u, u) for u in who), winner)


def test_a_circle_is_the_same_suppliers_meeting_with_rotating_wins() -> None:
    ring = ("S1", "S2", "S3")
    history = [meet("C1", 60, ring, "S1"), meet("C2", 30, ring, "S2"), meet("C3", 0, ring, "S3")]
    found = alerts.circle("lc", history[-1], history, RULES, {}, NOW)
    assert found is not None and found.figures == {"meetings": 3, "suppliers": 3, "winners": 3}
    # One supplier always winning is not a rotation; an outsider winning breaks the circle.
    same = [meet("C1", 60, ring, "S1"), meet("C2", 30, ring, "S1"), meet("C3", 0, ring, "S1")]
    assert alerts.circle("lc", same[-1], same, RULES, {}, NOW) is None
    broken = [*history[:2], meet("C3", 0, (*ring, "S9"), "S9")]
    assert alerts.circle("lc", broken[-1], broken, RULES, {}, NOW) is None
    # Two meetings are not enough; meetings in another 二级品目 do not count.
    assert alerts.circle("lc", history[-1], history[1:], RULES, {}, NOW) is None
    elsewhere = [meet("C1", 60, ring, "S1", "A05040000"), *history[1:]]
    assert alerts.circle("lc", history[-1], elsewhere, RULES, {}, NOW) is None


def test_padded_accessories_hide_behind_a_fair_main_price() -> None:
    from types import SimpleNamespace

    from chalicelib.domain import prices
    from chalicelib.domain.orders import OrderLine

    def line(name: str, brand: str, model: str, price: int, quantity: int = 1) -> OrderLine:
        return OrderLine("L-" + model, name, brand, model, "LC-0302", "A02010105", price, quantity)

    printer = line("惠普 M1005 激光打印机", "惠普", "M1005", 150_000)
    toner = line("惠普 12A 硒鼓", "惠普", "Q2612A", 68_000, 4)
    order = SimpleNamespace(
        order_no="YC1", site_id="lc", supplier_name="某公司", lines=(printer, toner), total_fen=422_000
    )
    medians = {prices.product_key("惠普", "M1005"): 150_000, prices.product_key("惠普", "Q2612A"): 45_000}
    found = prices.padded_accessories(order, medians, RULES, NOW)
    assert found is not None and found.kind is alerts.AlertKind.ACCESSORY
    assert "“惠普 12A 硒鼓”单价 680.00 元，高于商城成交中位价 450.00 元 51.1%" in found.explanation
    # The main item itself above the market: that is 价格偏高, not padding; no medians: nothing to say.
    dear_main = {**medians, prices.product_key("惠普", "M1005"): 120_000}
    assert prices.padded_accessories(order, dear_main, RULES, NOW) is None
    assert prices.padded_accessories(order, {}, RULES, NOW) is None
    fair = {**medians, prices.product_key("惠普", "Q2612A"): 65_000}  # 4.6 % above: within the margin
    assert prices.padded_accessories(order, fair, RULES, NOW) is None
