"""Demo suppliers, their listings in each site and buyers' plans, for `make run` and the tests.

Not for production: `scheduled/seed.py --sites-only` seeds a real deployment. The
data itself is in scheduled/demo_data/catalog.toml (scheduled/demo_catalog.py).
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Any, NamedTuple

import boto3

from chalicelib.domain.audit import new_event
from chalicelib.domain.clock import china_date, to_iso, utc_now
from chalicelib.domain.orgs import OrgKind
from chalicelib.domain.principals import PROVINCE_SCOPE, SYSTEM_ACTOR, Role
from chalicelib.domain.uscc import make_uscc
from chalicelib.store.sites import DynamoSiteStore
from scheduled.demo_catalog import PENDING_SUPPLIERS, PRODUCTS, SUPPLIERS, DemoSupplier, Product
from scheduled.seed import DemoUser, demo_uscc, demo_users, seed_users


def _tiny_pdf(title: str) -> bytes:
    """A valid one-page PDF naming the document, standing in for a scanned licence."""
    text = title.encode("ascii", "ignore") or b"document"
    stream = b"BT /F1 18 Tf 72 720 Td (" + text + b") Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = b"%PDF-1.4\n"
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += str(number).encode() + b" 0 obj\n" + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 " + str(len(objects) + 1).encode() + b"\n0000000000 65535 f \n"
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += b"trailer\n<< /Size " + str(len(objects) + 1).encode() + b" /Root 1 0 R >>\nstartxref\n"
    return out + str(xref).encode() + b"\n%%EOF\n"


def _operator() -> Any:
    from chalicelib.domain.principals import Principal

    return Principal(
        "system", "system", "数据初始化", Role.PROVINCE_ADMIN, PROVINCE_SCOPE, "", "山东省公共资源交易中心", ""
    )


def _demo_profile(demo: DemoSupplier) -> Any:
    from chalicelib.domain.sme import Declaration
    from chalicelib.domain.suppliers import Contact, SupplierProfile

    return SupplierProfile(
        name=demo.name,
        legal_representative=demo.legal_rep,
        registered_address=demo.address,
        home_district=demo.region,
        ownership=demo.ownership,
        scale=demo.scale,
        declaration=Declaration(
            demo.industry, demo.employees, demo.revenue_wan * 1_000_000, demo.assets_wan * 1_000_000
        ),
        contact=Contact(demo.legal_rep, demo.phone, f"{demo.username.replace('.', '_')}@example.com"),
    )


def demo_supplier_uscc(demo: DemoSupplier) -> str:
    return make_uscc("91", demo.region, demo.subject)


def seed_demo_suppliers(pool_id: str | None, now: datetime | None = None) -> int:
    """Register the demo suppliers with a licence, approve them (one stays pending); logins if a pool is given."""
    import uuid as _uuid

    from chalicelib.config import get_settings
    from chalicelib.domain import suppliers as supplier_rules
    from chalicelib.store.reference import official_districts
    from chalicelib.store.suppliers import DynamoSupplierStore

    now = now or utc_now()
    store = DynamoSupplierStore()
    s3 = boto3.client("s3")
    created = 0
    for demo in (*SUPPLIERS, *PENDING_SUPPLIERS):
        uscc = demo_supplier_uscc(demo)
        if store.get(uscc) is None:
            supplier_rules.register(store, uscc, demo.username, _demo_profile(demo), official_districts(), now)
            doc_id = _uuid.uuid5(_uuid.NAMESPACE_URL, uscc).hex
            key = f"supplier-docs/{uscc}/{doc_id}"
            s3.put_object(
                Bucket=get_settings().uploads_bucket,
                Key=key,
                Body=_tiny_pdf(f"Business licence {uscc}"),
                ContentType="application/pdf",
            )
            owner = _supplier_principal(demo, uscc)
            document = supplier_rules.Document(
                doc_id,
                supplier_rules.DocumentKind.BUSINESS_LICENSE,
                "营业执照.pdf",
                "application/pdf",
                1024,
                key,
                to_iso(now),
            )
            supplier_rules.add_document(store, owner, document, now)
            if demo not in PENDING_SUPPLIERS:
                supplier_rules.review(store, _operator(), uscc, True, "资质齐全，准予入驻", now)
            created += 1
    if pool_id:
        users = [
            DemoUser(d.username, d.legal_rep, Role.SUPPLIER, PROVINCE_SCOPE, demo_supplier_uscc(d), d.name, d.region)
            for d in (*SUPPLIERS, *PENDING_SUPPLIERS)
        ]
        seed_users(pool_id, users)
    return created


def _supplier_principal(demo: DemoSupplier, uscc: str) -> Any:
    from chalicelib.domain.principals import Principal

    return Principal(
        demo.username, demo.username, demo.legal_rep, Role.SUPPLIER, PROVINCE_SCOPE, uscc, demo.name, demo.region
    )


def _spread(seed: str, low: int, high: int) -> int:
    """A stable pseudo-random number in [low, high] for demo variety."""
    return low + int(hashlib.sha256(seed.encode()).hexdigest()[:8], 16) % (high - low + 1)


# Which suppliers list in each site (all of them in 聊城; a few province-wide sellers elsewhere).
DEMO_SITE_SELLERS = {
    "liaocheng": None,
    "jinan": ("supplier.demo", "supplier.lc04", "supplier.lc12"),
    "weihai": ("supplier.lc04", "supplier.lc12", "supplier.lc05"),
    "zibo": ("supplier.demo", "supplier.lc04"),
    "rizhao": ("supplier.lc04", "supplier.lc12"),
    "linyi": ("supplier.demo", "supplier.lc04", "supplier.lc05", "supplier.lc12"),
}


def _demo_listing(
    site: Any, demo: DemoSupplier, supplier: Any, category: Any, product: Product, now: datetime
) -> tuple[Any, Any]:
    """One imported listing on sale (with its audit event), priced a little under its reference price."""
    import uuid as _uuid

    from chalicelib.domain import listings as rules
    from scheduled.demo_pictures import picture_keys

    seed = f"{site.id}|{demo.username}|{product.brand}|{product.model}|{category.name}"
    base = product.price_fen
    near = [d.code for d in site.districts if d.code in (demo.region, site.division_code)]
    districts = tuple(near) if demo.scale.value == "micro" and near else tuple(d.code for d in site.districts)
    certificates: tuple[Any, ...] = ()
    if product.energy:
        number = f"CQC24{_spread(seed, 1000000, 9999999)}"
        certificates = (rules.Certificate(rules.CertificateKind.ENERGY_SAVING, number, "2028-06-30"),)
    draft = rules.ListingDraft(
        category_id=category.id,
        name=product.name,
        brand=product.brand,
        model=product.model,
        specs=tuple(rules.Spec(k, v) for k, v in product.specs),
        price_fen=base * _spread(seed + "p", 90, 100) // 100,
        reference_price_fen=base * 108 // 100,
        reference_source="京东自营 2026-11",
        stock=_spread(seed + "s", 20, 2000),
        delivery_districts=districts,
        images=picture_keys(site.id, supplier.uscc, seed, product, category.name),
        certificates=certificates,
    )
    rules.check_draft(site, draft, china_date(now))
    listing_id = _uuid.uuid5(_uuid.NAMESPACE_URL, seed).hex
    summary = f"从旧版商城迁移在售商品 {draft.name}（含历史销量）"
    return imported_listing(site, supplier, category, draft, listing_id, _spread(seed + "v", 0, 600), summary, now)


def imported_listing(
    site: Any, supplier: Any, category: Any, draft: Any, listing_id: str, sales: int, summary: str, now: datetime
) -> tuple[Any, Any]:
    """A listing put on sale without review (a migration or a fixture), with the audit event that says so."""
    from chalicelib.domain import listings as rules

    listing = rules.Listing(
        id=listing_id,
        site_id=site.id,
        supplier=rules.SupplierRef(supplier.uscc, supplier.profile.name, supplier.profile.scale.value),
        draft=draft,
        category_name=category.name,
        catalog_code=category.catalog_code,
        status=rules.ListingStatus.ACTIVE,
        status_reason="",
        sales=sales,
        created_at=to_iso(now),
        updated_at=to_iso(now),
        version=1,
    )
    audit = new_event(
        tenant=site.id,
        entity_type=rules.ENTITY_LISTING,
        entity_id=listing.id,
        action="listing.imported",
        summary=summary,
        actor=SYSTEM_ACTOR,
        at=now,
        after=rules.listing_to_dict(listing),
    )
    return listing, audit


def seed_demo_listings(now: datetime | None = None) -> int:
    """Import the demo products as listings on sale, with history carried over from the old mall."""
    from chalicelib.store.listings import DynamoListingStore
    from chalicelib.store.suppliers import DynamoSupplierStore

    now = now or utc_now()
    suppliers_by_code = DynamoSupplierStore().get_many([demo_supplier_uscc(d) for d in SUPPLIERS])
    pairs: list[tuple[Any, Any]] = []
    for site_id, sellers in DEMO_SITE_SELLERS.items():
        site = DynamoSiteStore().get(site_id)
        if site is None:
            continue
        leaves = {c.name: c for c in site.leaf_categories()}
        for demo in SUPPLIERS:
            supplier = suppliers_by_code.get(demo_supplier_uscc(demo))
            if (sellers is not None and demo.username not in sellers) or supplier is None or not supplier.is_active:
                continue
            for line in demo.lines:
                if line in leaves:
                    pairs.extend(
                        _demo_listing(site, demo, supplier, leaves[line], p, now) for p in PRODUCTS.get(line, ())
                    )
    store = DynamoListingStore()
    return sum(
        store.import_new([x for x, _ in pairs[i : i + 100]], [a for _, a in pairs[i : i + 100]])
        for i in range(0, len(pairs), 100)
    )


class DemoPlan(NamedTuple):
    """One of 聊城's pushed plans (a unit in a district, one catalog line)."""

    unit: str
    district: str
    unit_code: str  # 4 digits of the plan number
    name: str
    catalog_code: str
    item: str
    quantity: int
    measure: str
    unit_price_fen: int
    status: str  # what the unit does with it: pending, accepted, returned


DEMO_PLANS = (
    DemoPlan(
        "聊城市教育和体育局",
        "371500",
        "2001",
        "台式计算机采购项目",
        "A02010105",
        "台式计算机",
        40,
        "台",
        480000,
        "pending",
    ),
    DemoPlan(
        "聊城市教育和体育局", "371500", "2001", "办公用纸采购", "A05040101", "复印纸", 200, "箱", 15000, "pending"
    ),
    DemoPlan(
        "聊城市教育和体育局",
        "371500",
        "2001",
        "笔记本电脑采购",
        "A02010108",
        "便携式计算机",
        10,
        "台",
        520000,
        "accepted",
    ),
    DemoPlan(
        "莘县教育和体育局",
        "371522",
        "3105",
        "学校物业管理服务",
        "C21040000",
        "物业管理服务",
        12,
        "月",
        3800000,
        "accepted",
    ),
    DemoPlan(
        "临清市公安局", "371581", "4210", "视频监控设备采购", "A02091107", "视频监控设备", 60, "台", 48000, "pending"
    ),
    DemoPlan(
        "高唐县公安局",
        "371526",
        "5112",
        "公务用车加油",
        "C23120302",
        "车辆加油、添加燃料服务",
        10000,
        "升",
        700,
        "accepted",
    ),
    DemoPlan(
        "聊城市茌平区第三中学",
        "371503",
        "6033",
        "试卷纸采购",
        "A05040199",
        "其他纸制文具",
        100,
        "箱",
        18000,
        "accepted",
    ),
    DemoPlan("阳谷县实验中学", "371521", "7021", "办公家具采购", "A05010201", "办公桌", 30, "张", 90000, "returned"),
)


def seed_demo_plans(now: datetime | None = None) -> int:
    """Plans pushed for 聊城 units in several districts and 市本级, in every status, and two self-built ones."""
    from chalicelib.domain import plans as plan_rules
    from chalicelib.domain.principals import Principal
    from chalicelib.store.plans import DynamoPlanStore
    from chalicelib.store.reference import national_catalog

    now = now or utc_now()
    today = china_date(now)  # plan numbers and years are China dates
    site = DynamoSiteStore().get("liaocheng")
    if site is None:
        return 0
    store = DynamoPlanStore()
    catalog = national_catalog()
    created = 0
    for number, demo in enumerate(DEMO_PLANS, 1):
        unit, district, code, name, catalog_code, item, qty, measure, price, status = demo
        plan_no = f"{district}{code}01{today.year}{number:04d}"
        if store.get(site.id, plan_no) is not None:
            continue
        kind = OrgKind.INSTITUTION if "中学" in unit else OrgKind.AGENCY
        uscc = demo_uscc(unit, district, kind)
        amount = qty * price
        new = plan_rules.NewPushedPlan(
            plan_no=plan_no,
            name=name,
            business_year=today.year,
            business_month=today.month,
            purchase_method=plan_rules.PlanMethod.ONLINE_SUPERMARKET,
            division_code=district,
            buyer_uscc=uscc,
            buyer_name=unit,
            funding_department="教科文科",
            planned_date=today.isoformat(),
            deadline_date=f"{today.year}-12-31",
            funds={"general_budget": amount},
            line=plan_rules.PlanLine(catalog_code, "", item, qty, measure, price, amount),
        )
        plan_rules.receive_pushed(store, site, new, catalog, now)
        buyer = Principal(f"demo-{code}", f"demo-{code}", "采购经办人", Role.BUYER, site.id, uscc, unit, district)
        if status == "accepted":
            level2 = catalog.get(plan_rules.level2_of(catalog_code))
            plan_rules.accept(store, site, buyer, plan_no, level2.name if level2 else "", now)
        elif status == "returned":
            plan_rules.return_plan(store, site.id, buyer, plan_no, "品目与实际需求不符，请修改后重新备案", now)
        created += 1
    bureau = next(u for u in demo_users(["liaocheng"]) if u.username == "liaocheng.buyer")
    buyer = Principal(
        "demo-bureau",
        bureau.username,
        bureau.name,
        Role.BUYER,
        "liaocheng",
        bureau.org_id,
        bureau.org_name,
        bureau.district,
    )
    if not store.list_for_buyer(site.id, bureau.org_id, plan_rules.PlanStatus.ACCEPTED, 50, None)[0] or created:
        for title, category, amount in (
            ("办公文具采购（第四季度）", "A05040401", 2_000_000),
            ("会议服务", "C22010200", 5_000_000),
        ):
            new_self = plan_rules.NewSelfBuiltPlan(
                title,
                today.year,
                today.month,
                plan_rules.PlanMethod.ONLINE_SUPERMARKET,
                category,
                amount,
                today.isoformat(),
                "示例自建计划",
            )
            plan_rules.create_self_built(store, site, buyer, new_self, catalog, now)
            created += 1
    return created
