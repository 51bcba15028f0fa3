"""Listings, plans and orders written through the app's own domain and stores.

Used three ways: the demo run (orders in every state for 聊城, so that the
buyer, supplier, operator and finance pages have something to show), the
order tests and the order benchmark (one listing and one plan, exactly as
specified).
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any

from chalicelib.domain import listings as listing_rules
from chalicelib.domain import orders as order_rules
from chalicelib.domain import plans as plan_rules
from chalicelib.domain import ratings as rating_rules
from chalicelib.domain.clock import china_date, utc_now
from chalicelib.domain.orgs import OrgKind
from chalicelib.domain.principals import PROVINCE_SCOPE, Principal, Role
from scheduled.demo_market import demo_supplier_uscc, imported_listing
from scheduled.seed import demo_uscc

SITE = "liaocheng"
BUREAU_NAME = "聊城市教育和体育局"
BUREAU = demo_uscc(BUREAU_NAME, "371500", OrgKind.AGENCY)  # liaocheng.buyer's unit
BUREAU_BUYER = Principal("demo-bureau", "liaocheng.buyer", "张敏", Role.BUYER, SITE, BUREAU, BUREAU_NAME, "371500")
DELIVERY = {"address": "聊城市东昌府区东昌路 1 号教育局 302 室", "contact": "张敏", "phone": "0635-8241234"}


def supplier_code(username: str) -> str:
    from scheduled.demo_catalog import SUPPLIERS

    return demo_supplier_uscc(next(d for d in SUPPLIERS if d.username == username))


def supplier_principal(username: str) -> Principal:
    from chalicelib.store.suppliers import DynamoSupplierStore

    supplier = DynamoSupplierStore().get(supplier_code(username))
    assert supplier is not None, username
    name = supplier.profile.name
    return Principal(f"demo-{username}", username, name, Role.SUPPLIER, PROVINCE_SCOPE, supplier.uscc, name, "")


def add_listing(
    username: str,
    category_id: str,
    name: str,
    model: str,
    price_fen: int,
    stock: int,
    site_id: str = SITE,
    at: datetime | None = None,
) -> str:
    """A listing on sale (since `at`), delivered to every district of the site; returns its id."""
    from chalicelib.store.listings import DynamoListingStore
    from chalicelib.store.sites import DynamoSiteStore
    from chalicelib.store.suppliers import DynamoSupplierStore

    site = DynamoSiteStore().get(site_id)
    supplier = DynamoSupplierStore().get(supplier_code(username))
    assert site is not None and supplier is not None
    category = next(c for c in site.leaf_categories() if c.id == category_id)
    now = at or utc_now()
    draft = listing_rules.ListingDraft(
        category_id=category.id,
        name=name,
        brand=name.split()[0],
        model=model,
        specs=(listing_rules.Spec("规格", "标准"),),
        price_fen=price_fen,
        reference_price_fen=price_fen * 11 // 10,
        reference_source="京东自营",
        stock=stock,
        delivery_districts=tuple(d.code for d in site.districts),
        images=(),
        certificates=(),
    )
    listing, audit = imported_listing(site, supplier, category, draft, uuid.uuid4().hex, 0, f"导入在售商品 {name}", now)
    DynamoListingStore().import_new([listing], [audit])
    return str(listing.id)


def add_plan(
    number: int,
    budget_fen: int,
    catalog_code: str = "A05040000",
    accept: bool = True,
    quantity: int = 1,
    unit: str = "批",
) -> str:
    """A one-line plan pushed for 聊城市教育和体育局 and (by default) accepted by it; returns its number. Its line is
    the whole 二级品目 by default (办公用品, 1 批): any office supplies, in no counted quantity."""
    from chalicelib.store.plans import DynamoPlanStore
    from chalicelib.store.reference import national_catalog
    from chalicelib.store.sites import DynamoSiteStore

    site = DynamoSiteStore().get(SITE)
    assert site is not None
    now = utc_now()
    today = china_date(now)
    plan_no = f"371500200101{today.year}{number:04d}"
    catalog = national_catalog()
    item = catalog.get(catalog_code)
    new = plan_rules.NewPushedPlan(
        plan_no=plan_no,
        name=f"{item.name if item else '办公用品'}采购",
        business_year=today.year,
        business_month=today.month,
        purchase_method=plan_rules.PlanMethod.ONLINE_SUPERMARKET,
        division_code="371500",
        buyer_uscc=BUREAU,
        buyer_name=BUREAU_NAME,
        funding_department="教科文科",
        planned_date=today.isoformat(),
        deadline_date=f"{today.year}-12-31",
        funds={"general_budget": budget_fen},
        line=plan_rules.PlanLine(
            catalog_code, "", item.name if item else "办公用品", quantity, unit, budget_fen // quantity, budget_fen
        ),
    )
    store = DynamoPlanStore()
    plan_rules.receive_pushed(store, site, new, catalog, now)
    if accept:
        level2 = catalog.get(plan_rules.level2_of(catalog_code))
        plan_rules.accept(store, site, BUREAU_BUYER, plan_no, level2.name if level2 else "", now)
    return plan_no


def new_order(plan_no: str, supplier: str, lines: list[tuple[str, int]], note: str = "") -> order_rules.NewOrder:
    expected = (utc_now() + timedelta(days=5)).date().isoformat()
    return order_rules.NewOrder(
        plan_no, supplier_code(supplier), tuple(lines), order_rules.Delivery(**DELIVERY, expected_date=expected), note
    )


# ---------------------------------------------------------------- the demo run

# (supplier, category, product, model, price 分, quantity, how far the order has come, stars for the supplier)
_DEMO_ORDERS: tuple[tuple[str, str, str, str, int, int, str, int], ...] = (
    ("supplier.demo", "LC-0102", "得力 封箱胶带 48mm", "DL-30213", 650, 40, "settled", 5),
    ("supplier.demo", "LC-0103", "得力 固体胶 21g", "DL-7102", 350, 60, "accepted", 4),
    ("supplier.lc04", "LC-0104", "晨光 长尾票夹 41mm", "CG-ABS92", 1_200, 20, "accepted", 2),
    ("supplier.lc04", "LC-0105", "晨光 A4 档案盒 55mm", "CG-ADM94", 900, 50, "shipped", 0),
    ("supplier.demo", "LC-0105", "得力 A4 档案盒 75mm", "DL-5683", 1_100, 30, "confirmed", 0),
    ("supplier.lc02", "LC-0102", "齐心 透明胶带 18mm", "QX-JD18", 300, 100, "pending_confirmation", 0),
    ("supplier.lc04", "LC-0103", "晨光 液体胶 50ml", "CG-AWG97", 250, 40, "declined", 0),
    ("supplier.demo", "LC-0104", "得力 燕尾夹 32mm", "DL-8554", 600, 30, "cancelled", 0),
    ("supplier.lc02", "LC-0105", "齐心 A4 档案盒 35mm", "QX-A1235", 700, 40, "terminated", 0),
)


def seed_demo_orders(start: datetime | None = None) -> int:
    """Orders of 聊城市教育和体育局 in every state, from a self-built 文具 plan (re-runs add nothing).

    The orders are placed two days apart from `start` on, and each moves on over the following days,
    so that every timeline reads in order and nothing happens later than now.
    """
    from chalicelib.store.orders import DynamoOrderStore
    from chalicelib.store.plans import DynamoPlanStore
    from chalicelib.store.sites import DynamoSiteStore

    start = start or utc_now() - timedelta(days=18)
    orders_store = DynamoOrderStore()
    if orders_store.list_for_buyer(SITE, BUREAU, order_rules.OrderFilter(), 1, None)[0]:
        return 0
    site = DynamoSiteStore().get(SITE)
    if site is None:
        return 0
    plans = DynamoPlanStore().list_for_buyer(SITE, BUREAU, plan_rules.PlanStatus.ACCEPTED, 50, None)[0]
    plan = next((p for p in plans if p.budget_category == "A05040401"), None)  # 办公文具采购（第四季度）
    if plan is None:
        return 0
    placed = 0
    for index, (supplier, category, product, model, price, quantity, reach, stars) in enumerate(_DEMO_ORDERS):
        listing = add_listing(supplier, category, product, model, price, quantity * 20, at=start - timedelta(days=1))
        at = start + timedelta(days=2 * index, hours=1, minutes=17 * index)  # about 09:00 in China
        order = order_rules.place(
            orders_store, SITE, BUREAU_BUYER, new_order(plan.plan_no, supplier, [(listing, quantity)]), at
        )
        _advance(orders_store, order, supplier_principal(supplier), reach, stars, at)
        placed += 1
    return placed


def _advance(
    store: Any,
    order: order_rules.Order,
    seller: Principal,
    reach: str,
    stars: int,
    placed: datetime,
    buyer: Principal = BUREAU_BUYER,
) -> None:
    """Move a demo order on as a supplier and a buyer would over a few days; `reach` is where it ends:
    a step of the lifecycle, or declined, cancelled or terminated on the way."""
    if reach == "declined":
        order_rules.decline(store, seller, order, "该规格暂时缺货，无法按期供货", placed + timedelta(hours=3))
        return
    if reach == "cancelled":
        order_rules.cancel(store, buyer, order, "计划调整，暂不采购", placed + timedelta(hours=1))
        return
    steps = ["confirmed", "shipped", "accepted", "settled", "terminated"]
    if reach not in steps:
        return
    order = order_rules.confirm(store, seller, order, placed + timedelta(hours=2))
    if reach == "terminated":
        order = order_rules.request_termination(
            store, buyer, order, "供应商逾期一周仍未发货", placed + timedelta(days=8)
        )
        center = center_of(buyer.tenant)
        order_rules.decide_termination(
            store, center, order, True, "经核实供应商逾期未履约，同意终止", placed + timedelta(days=9)
        )
        return
    if reach == "confirmed":
        return
    order = order_rules.ship(
        store,
        seller,
        order,
        order_rules.Shipment("德邦物流", f"DPK30215{order.order_no[-5:]}"),
        placed + timedelta(days=1),
    )
    if reach == "shipped":
        return
    now = placed + timedelta(days=3)
    order = order_rules.accept(store, buyer, order, order_rules.Acceptance(True, "数量、规格与订单一致，验收合格"), now)
    if stars:
        from chalicelib.store.ratings import DynamoRatingStore

        comment = "送货及时，包装完好" if stars >= 4 else "到货比约定晚了两天"
        rating_rules.rate(
            DynamoRatingStore(),
            buyer,
            order,
            rating_rules.RatingTarget.SUPPLIER,
            stars,
            comment,
            now + timedelta(hours=1),
        )
    if reach == "settled":
        paid = placed + timedelta(days=6)
        order_rules.settle(store, order, order.total_fen, f"ZF{paid:%Y%m%d}{order.order_no[-6:]}", paid)


def center_of(site_id: str) -> Principal:
    from scheduled.seed import demo_users

    user = next(u for u in demo_users([site_id]) if u.username == f"{site_id}.center")
    return Principal(
        f"demo-{site_id}-center",
        user.username,
        user.name,
        Role.CENTER_ADMIN,
        site_id,
        user.org_id,
        user.org_name,
        user.district,
    )


# The other five sites: one buyer unit each, a self-built 办公用品 plan, orders in every state from the
# province-wide sellers that list there. (category name, product, model, price 分, quantity, reach, stars)
_SITE_ORDERS: tuple[tuple[str, str, str, int, int, str, int], ...] = (
    ("复印纸", "得力 A4 复印纸 70g 500张/包", "DL-7055", 2_450, 40, "settled", 5),
    ("签字笔", "晨光 中性笔 0.5mm 12支/盒", "CG-K35", 1_680, 20, "accepted", 4),
    ("档案盒", "齐心 A4 档案盒 55mm", "QX-A1248", 850, 60, "shipped", 0),
    ("复印纸", "晨光 A4 复印纸 80g 500张/包", "CG-APYVN", 2_980, 30, "confirmed", 0),
    ("签字笔", "得力 签字笔 0.7mm 12支/盒", "DL-S30", 1_250, 10, "pending_confirmation", 0),
    ("档案盒", "得力 A4 档案盒 75mm", "DL-5683", 1_100, 20, "declined", 0),
    ("复印纸", "齐心 A4 复印纸 70g 500张/包", "QX-C4770", 2_300, 15, "cancelled", 0),
    ("签字笔", "晨光 按动中性笔 0.5mm 12支/盒", "CG-GP1008", 1_480, 25, "terminated", 0),
)


def seed_other_sites_orders(start: datetime) -> int:
    """Orders in every state in each of the other five sites (re-runs add nothing)."""
    from chalicelib.store.orders import DynamoOrderStore
    from chalicelib.store.plans import DynamoPlanStore
    from chalicelib.store.reference import national_catalog
    from chalicelib.store.sites import DynamoSiteStore
    from scheduled.demo_market import DEMO_SITE_SELLERS
    from scheduled.seed import demo_users

    orders_store, plans_store, catalog = DynamoOrderStore(), DynamoPlanStore(), national_catalog()
    placed = 0
    for site_id, sellers in DEMO_SITE_SELLERS.items():
        site = DynamoSiteStore().get(site_id)
        if site is None or sellers is None:
            continue
        user = next(u for u in demo_users([site_id]) if u.username == f"{site_id}.buyer")
        buyer = Principal(
            f"demo-{site_id}-buyer",
            user.username,
            user.name,
            Role.BUYER,
            site_id,
            user.org_id,
            user.org_name,
            user.district,
        )
        if orders_store.list_for_buyer(site_id, buyer.org_id, order_rules.OrderFilter(), 1, None)[0]:
            continue
        today = china_date(start)
        new_plan = plan_rules.NewSelfBuiltPlan(
            "办公用品采购（第四季度）",
            today.year,
            today.month,
            plan_rules.PlanMethod.ONLINE_SUPERMARKET,
            "A05040401",
            6_000_000,
            today.isoformat(),
            "示例自建计划",
        )
        plan = plan_rules.create_self_built(plans_store, site, buyer, new_plan, catalog, start)
        leaves = {c.name: c for c in site.leaf_categories()}
        delivery = order_rules.Delivery(
            f"{site.city_name}教育局 2 号楼 305 室",
            user.name,
            "0631-5230000" if site_id == "weihai" else "0531-8600000",
            (china_date(utc_now()) + timedelta(days=5)).isoformat(),
        )
        for index, (category, product, model, price, quantity, reach, stars) in enumerate(_SITE_ORDERS):
            if category not in leaves:
                continue
            seller = sellers[index % len(sellers)]
            listing = add_listing(
                seller, leaves[category].id, product, model, price, quantity * 20, site_id, start - timedelta(days=1)
            )
            at = start + timedelta(days=2 * index, hours=1, minutes=13 * index)
            new = order_rules.NewOrder(plan.plan_no, supplier_code(seller), ((listing, quantity),), delivery, "")
            order = order_rules.place(orders_store, site_id, buyer, new, at)
            _advance(orders_store, order, supplier_principal(seller), reach, stars, at, buyer)
            placed += 1
    return placed
