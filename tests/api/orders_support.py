"""Shared set-up for the order tests: listings on sale and an accepted plan, written through the app's own stores."""

from __future__ import annotations

import uuid
from typing import Any, NamedTuple

from chalicelib.domain import listings as listing_rules
from chalicelib.domain import plans as plan_rules
from chalicelib.domain.audit import new_event
from chalicelib.domain.clock import to_iso, utc_now
from chalicelib.domain.orgs import OrgKind
from chalicelib.domain.principals import SYSTEM_ACTOR, Principal, Role
from chalicelib.store.listings import DynamoListingStore, listing_pk
from chalicelib.store.models import AuditItem, CapUsageItem, ListingItem, OrderItem, PlanItem
from chalicelib.store.plans import DynamoPlanStore, usage_pk
from chalicelib.store.reference import national_catalog
from chalicelib.store.sites import DynamoSiteStore
from chalicelib.store.suppliers import DynamoSupplierStore
from scheduled.seed import demo_supplier_uscc, demo_uscc

SITE = "liaocheng"
BUREAU = demo_uscc("聊城市教育和体育局", "371500", OrgKind.AGENCY)  # liaocheng.buyer's unit
BUREAU_DISTRICT = "371500"
COPY_PAPER = "LC-0107"  # 复印纸, A05040101 (二级品目 A05040000)
PEN = "LC-0101"  # 签字笔, A05040402 (same 二级品目)
DELIVERY = {"address": "聊城市东昌府区东昌路 1 号教育局 302 室", "contact": "张敏", "phone": "0635-8241234"}


def supplier_code(username: str) -> str:
    from scheduled.demo_catalog import SUPPLIERS

    return demo_supplier_uscc(next(d for d in SUPPLIERS if d.username == username))


def add_listing(
    username: str, category_id: str, name: str, model: str, price_fen: int, stock: int, site_id: str = SITE
) -> str:
    """A listing on sale, delivered to every district of the site; returns its id."""
    site = DynamoSiteStore().get(site_id)
    assert site is not None
    supplier = DynamoSupplierStore().get(supplier_code(username))
    assert supplier is not None
    category = next(c for c in site.leaf_categories() if c.id == category_id)
    now = utc_now()
    draft = listing_rules.ListingDraft(
        category_id=category.id,
        name=name,
        brand="得力",
        model=model,
        specs=(listing_rules.Spec("规格", "A4 70g 500张/包"),),
        price_fen=price_fen,
        reference_price_fen=price_fen * 11 // 10,
        reference_source="京东自营",
        stock=stock,
        delivery_districts=tuple(d.code for d in site.districts),
        images=(),
        certificates=(),
    )
    listing = listing_rules.Listing(
        id=uuid.uuid4().hex,
        site_id=site.id,
        supplier=listing_rules.SupplierRef(supplier.uscc, supplier.profile.name, supplier.profile.scale.value),
        draft=draft,
        category_name=category.name,
        catalog_code=category.catalog_code,
        status=listing_rules.ListingStatus.ACTIVE,
        status_reason="",
        sales=0,
        created_at=to_iso(now),
        updated_at=to_iso(now),
        version=1,
    )
    audit = new_event(
        tenant=site.id,
        entity_type=listing_rules.ENTITY_LISTING,
        entity_id=listing.id,
        action="listing.imported",
        summary="测试商品",
        actor=SYSTEM_ACTOR,
        at=now,
        after=listing_rules.listing_to_dict(listing),
    )
    assert DynamoListingStore().import_new([listing], [audit]) == 1
    return listing.id


def add_plan(number: int, budget_fen: int, catalog_code: str = "A05040101", accept: bool = True) -> str:
    """A plan pushed for 聊城市教育和体育局 (one line), accepted by the unit; returns its number."""
    site = DynamoSiteStore().get(SITE)
    assert site is not None
    now = utc_now()
    plan_no = f"371500200101{now.year}{number:04d}"
    new = plan_rules.NewPushedPlan(
        plan_no=plan_no,
        name="办公用纸采购",
        business_year=now.year,
        business_month=now.month,
        purchase_method=plan_rules.PlanMethod.ONLINE_SUPERMARKET,
        division_code="371500",
        buyer_uscc=BUREAU,
        buyer_name="聊城市教育和体育局",
        funding_department="教科文科",
        planned_date=now.date().isoformat(),
        deadline_date=f"{now.year}-12-31",
        funds={"general_budget": budget_fen},
        line=plan_rules.PlanLine(catalog_code, "", "复印纸", 1, "批", budget_fen, budget_fen),
    )
    store = DynamoPlanStore()
    plan_rules.receive_pushed(store, site, new, national_catalog(), now)
    if accept:
        buyer = Principal(
            "t-buyer", "liaocheng.buyer", "张敏", Role.BUYER, SITE, BUREAU, "聊城市教育和体育局", "371500"
        )
        plan_rules.accept(store, site, buyer, plan_no, "办公消耗用品及类似物品", now)
    return plan_no


class Ledger(NamedTuple):
    """What an order touches, read straight from the tables."""

    committed_fen: int
    spent_fen: int
    stock: dict[str, int]
    sales: dict[str, int]
    orders: int
    audit_events: int


def ledger(plan_no: str, listing_ids: list[str], year: int | None = None) -> Ledger:
    plan = PlanItem.get(f"{SITE}#PLAN#{plan_no}", "PLAN")
    year = year or utc_now().year
    try:
        spent = int(CapUsageItem.get(usage_pk(SITE, BUREAU, year, plan.data["level2_code"]), "CAP").spent_fen or 0)
    except CapUsageItem.DoesNotExist:
        spent = 0
    items = {i.listing_id: i for i in ListingItem.batch_get([(listing_pk(SITE, x), "LISTING") for x in listing_ids])}
    return Ledger(
        committed_fen=int(plan.committed_fen),
        spent_fen=spent,
        stock={x: int(items[x].stock) for x in listing_ids},
        sales={x: int(items[x].sales) for x in listing_ids},
        orders=sum(1 for _ in OrderItem.scan()),
        audit_events=sum(1 for _ in AuditItem.scan()),
    )


def order_body(plan_no: str, supplier: str, lines: list[tuple[str, int]], **changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "plan_no": plan_no,
        "supplier_uscc": supplier_code(supplier),
        "lines": [{"listing_id": lid, "quantity": qty} for lid, qty in lines],
        "delivery": {**DELIVERY, "expected_date": utc_now().date().isoformat()},
        "note": "请工作日送货",
    }
    body.update(changes)
    return body
