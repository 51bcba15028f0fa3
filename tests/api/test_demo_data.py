"""The demo data `make run` loads looks like a real mall (issue 3: several hundred listings, every scale)."""

from __future__ import annotations

from collections import Counter

import pytest

from chalicelib.domain.clock import to_iso, utc_now
from chalicelib.domain.listings import ListingStatus
from chalicelib.domain.orders import OrderFilter
from chalicelib.domain.sme import Scale
from chalicelib.store.audit_log import DynamoAuditLog
from chalicelib.store.listings import DynamoListingStore
from chalicelib.store.orders import DynamoOrderStore
from chalicelib.store.plans import DynamoPlanStore
from chalicelib.store.suppliers import DynamoSupplierStore
from scheduled import demo, demo_market
from scheduled.demo_catalog import PENDING_SUPPLIERS, SUPPLIERS

pytestmark = pytest.mark.slow

SEED_000_LEADERS = [
    "笔记本",
    "签字笔",
    "胶带",
    "插排",
    "胶水",
    "鼓粉盒",
    "试卷纸",
    "台式计算机",
    "视频监控设备",
    "家具（定制）",
]


def test_demo_catalog_suppliers_and_plans(seeded: dict, aws: dict[str, str]) -> None:  # type: ignore[type-arg]
    counts = demo.seed_demo(None)
    assert counts["suppliers"] == len(SUPPLIERS) + len(PENDING_SUPPLIERS)
    assert counts["listings"] >= 300
    suppliers = DynamoSupplierStore().get_many(
        [demo_market.demo_supplier_uscc(d) for d in (*SUPPLIERS, *PENDING_SUPPLIERS)]
    )
    assert {s.profile.scale for s in suppliers.values()} == set(Scale)
    assert sum(s.is_active for s in suppliers.values()) == len(SUPPLIERS)
    store = DynamoListingStore()
    listings = [x for s in suppliers.values() for x in store.of_supplier_everywhere(s.uscc)]
    assert len(listings) == counts["listings"] + counts["orders"]  # each demo order brings its own listing
    in_liaocheng = Counter(x.category_name for x in listings if x.site_id == "liaocheng")
    assert all(in_liaocheng[name] > 0 for name in SEED_000_LEADERS), in_liaocheng
    assert all(x.draft.price_fen <= x.draft.reference_price_fen for x in listings)
    # Every demo product has its drawn picture, processed like an upload: a main picture and a thumbnail.
    pictured = [x for x in listings if x.draft.images]
    assert len(pictured) == counts["listings"]
    from chalicelib.domain.media import main_key, thumb_key
    from tests.api.test_listing_images import media_object

    first = pictured[0].draft.images[0]
    assert media_object(main_key(first))[:3] == b"\xff\xd8\xff" and media_object(thumb_key(first))
    # Each site's front page has the centre's notices, training material and FAQ.
    assert counts["bulletins"] == 6 * 11
    # The province's framework agreements of seed 000 §(三) (复印纸, 液晶显示器), open for stage 2 everywhere.
    assert counts["agreements"] == 2
    # Seed 002's three 特色场馆 in every site, with demo products in them.
    assert counts["pavilions"] == 6 * 3
    placed = [x for x in DynamoListingStore().by_status("liaocheng", ListingStatus.ACTIVE, 100, None)[0] if x.pavilions]
    assert {p for x in placed for p in x.pavilions} == {"lu-quality", "rural-revival", "epidemic"}
    plans, _ = DynamoPlanStore().list_for_site("liaocheng", None, 100, None)
    assert {p.district for p in plans} >= {"371500", "371522", "371581", "371526", "371503", "371521"}
    assert {p.status.value for p in plans} == {"pending_acceptance", "accepted", "returned"}
    assert {p.source.value for p in plans} == {"pushed", "self_built"}
    assert counts["history"] == 2 * demo.DEMO_HISTORY_PER_YEAR  # 聊城's old-mall years (历史导入)
    listed, _ = DynamoOrderStore().list_for_site("liaocheng", OrderFilter(), 100, None)
    orders = [o for o in listed if not o.is_imported]
    every_state = {
        "pending_confirmation",
        "confirmed",
        "shipped",
        "accepted",
        "settled",
        "declined",
        "cancelled",
        "terminated",
    }
    assert len(orders) == 9 and {o.status.value for o in orders} == every_state
    # Every other site has its own buyer, plan and orders in every state, from sellers listed there.
    total = len(orders)
    buyers = {"张敏"}
    for site_id in ("jinan", "weihai", "zibo", "rizhao", "linyi"):
        found, _ = DynamoOrderStore().list_for_site(site_id, OrderFilter(), 100, None)
        assert {o.status.value for o in found} == every_state, site_id
        assert {o.site_id for o in found} == {site_id} and len({o.buyer_name for o in found}) == 1
        buyers.add(found[0].delivery.contact)
        total += len(found)
    assert counts["orders"] == total == 9 + 5 * 8
    assert len(buyers) == 6  # distinct people in each site
    [settled] = [o for o in orders if o.status.value == "settled"]
    history = DynamoAuditLog().entity_history("liaocheng", "order", settled.order_no)
    assert [e["action"] for e in history] == [
        "order.placed",
        "order.confirmed",
        "order.shipped",
        "order.accepted",
        "order.rated.supplier",
        "order.settled",
    ]
    assert history[-1]["at"] < to_iso(utc_now())
    plan = DynamoPlanStore().get("liaocheng", orders[0].plan_no)
    # Declined, cancelled and terminated orders gave their budget back.
    live = [o for o in orders if not o.status.releases_budget]
    assert plan is not None and plan.committed_fen == sum(o.total_fen for o in live)
    # Seeding twice adds nothing (a restart of `make run` must not undo anyone's changes).
    again = {
        "suppliers": 0,
        "listings": 0,
        "plans": 0,
        "orders": 0,
        "history": 0,
        "bulletins": 0,
        "agreements": 0,
        "pavilions": 0,
    }
    assert demo.seed_demo(None) == again
