"""Seed the city sites from their data files, demo buyer organisations and demo users.

Sites are created only when absent, so a restart never undoes an operator's
edits. Run against AWS (with credentials and the stage's environment) to seed
a fresh deployment's sites:

    .venv/bin/python -m scheduled.seed --sites-only
"""

from __future__ import annotations

import argparse
import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import boto3

from chalicelib.domain.audit import new_event
from chalicelib.domain.clock import to_iso, utc_now
from chalicelib.domain.errors import Conflict
from chalicelib.domain.orgs import BuyerOrg, OrgKind
from chalicelib.domain.principals import PROVINCE_SCOPE, SYSTEM_ACTOR, Role
from chalicelib.domain.sites import site_to_dict
from chalicelib.domain.uscc import make_uscc
from chalicelib.store.orgs import DynamoOrgStore
from chalicelib.store.site_files import all_site_configs
from chalicelib.store.sites import DynamoSiteStore

DEMO_PASSWORD = "Yuncai2026demo"

# Buyer units from seed 000's ranking of 聊城 buyers, with the district each sits in.
LIAOCHENG_BUYERS: list[tuple[str, str, OrgKind]] = [
    ("聊城市教育和体育局", "371500", OrgKind.AGENCY),
    ("聊城市人民医院", "371500", OrgKind.INSTITUTION),
    ("聊城市公安局", "371500", OrgKind.AGENCY),
    ("莘县教育和体育局", "371522", OrgKind.AGENCY),
    ("阳谷县实验中学", "371521", OrgKind.INSTITUTION),
    ("临清市公安局", "371581", OrgKind.AGENCY),
    ("临清市人民政府办公室", "371581", OrgKind.AGENCY),
    ("高唐县公安局", "371526", OrgKind.AGENCY),
    ("聊城市公安局东昌府分局", "371502", OrgKind.AGENCY),
    ("莘县王庄集镇人民政府", "371522", OrgKind.AGENCY),
    ("聊城市茌平区第三中学", "371503", OrgKind.INSTITUTION),
]

# One buyer unit per other site: its education bureau at city level.
OTHER_BUYERS: dict[str, tuple[str, OrgKind]] = {
    "weihai": ("威海市教育局", OrgKind.AGENCY),
    "jinan": ("济南市教育局", OrgKind.AGENCY),
    "zibo": ("淄博市教育局", OrgKind.AGENCY),
    "rizhao": ("日照市教育局", OrgKind.AGENCY),
    "linyi": ("临沂市教育局", OrgKind.AGENCY),
}

CENTER_NAMES = {
    "liaocheng": "聊城市公共资源交易中心",
    "weihai": "威海市政府采购中心",
    "jinan": "济南市公共资源交易中心",
    "zibo": "淄博市公共资源交易中心",
    "rizhao": "日照市公共资源交易中心",
    "linyi": "临沂市公共资源交易中心",
}


def demo_uscc(name: str, district: str, kind: OrgKind) -> str:
    """A well-formed code (GB 32100 check character) derived from the name: demo data only."""
    authority = {OrgKind.AGENCY: "11", OrgKind.INSTITUTION: "12", OrgKind.ASSOCIATION: "13"}[kind]
    digest = hashlib.sha256(name.encode()).hexdigest()
    subject = "MB" + str(int(digest, 16))[:7]
    region = district if district.isdigit() else district[1:7]
    return make_uscc(authority, region, subject)


@dataclass(frozen=True)
class DemoUser:
    username: str
    name: str
    role: Role
    tenant: str
    org_id: str
    org_name: str
    district: str


def demo_users(site_ids: list[str]) -> list[DemoUser]:
    users = [
        DemoUser(
            "supplier.demo",
            "王磊",
            Role.SUPPLIER,
            PROVINCE_SCOPE,
            make_uscc("91", "371502", "MA3C7K2X1"),
            "聊城市东昌府区鑫诚办公用品有限公司",
            "371502",
        ),
        DemoUser(
            "province.admin",
            "李静",
            Role.PROVINCE_ADMIN,
            PROVINCE_SCOPE,
            make_uscc("12", "370000", "MB1234567"),
            "山东省公共资源交易中心",
            "370000",
        ),
    ]
    names = {"buyer": "张敏", "center": "赵强", "finance": "刘洋"}
    for site_id in site_ids:
        if site_id == "liaocheng":
            org_name, district, kind = LIAOCHENG_BUYERS[0]
        else:
            org_name, kind = OTHER_BUYERS[site_id]
            district = ""
        site_district = district or _city_code(site_id)
        users.append(
            DemoUser(
                f"{site_id}.buyer",
                names["buyer"],
                Role.BUYER,
                site_id,
                demo_uscc(org_name, site_district, kind),
                org_name,
                site_district,
            )
        )
        if site_id == "liaocheng":
            # A county unit too: what one buyer unit may see of another's plans and orders is tested with it.
            county_name, county, county_kind = LIAOCHENG_BUYERS[3]
            users.append(
                DemoUser(
                    "liaocheng.buyer2",
                    "孙丽",
                    Role.BUYER,
                    site_id,
                    demo_uscc(county_name, county, county_kind),
                    county_name,
                    county,
                )
            )
        center = CENTER_NAMES[site_id]
        users.append(
            DemoUser(
                f"{site_id}.center",
                names["center"],
                Role.CENTER_ADMIN,
                site_id,
                demo_uscc(center, site_district, OrgKind.INSTITUTION),
                center,
                site_district,
            )
        )
        finance = f"{_city_name(site_id)}财政局"
        users.append(
            DemoUser(
                f"{site_id}.finance",
                names["finance"],
                Role.FINANCE,
                site_id,
                demo_uscc(finance, site_district, OrgKind.AGENCY),
                finance,
                site_district,
            )
        )
    return users


_SITES_CACHE: dict[str, Any] = {}


def _site(site_id: str) -> Any:
    if not _SITES_CACHE:
        _SITES_CACHE.update({s.id: s for s in all_site_configs()})
    return _SITES_CACHE[site_id]


def _city_code(site_id: str) -> str:
    return str(_site(site_id).division_code)


def _city_name(site_id: str) -> str:
    return str(_site(site_id).city_name)


def seed_sites(now: datetime | None = None) -> list[str]:
    """Create each site from its data file unless it exists; returns the ids created."""
    now = now or utc_now()
    store = DynamoSiteStore()
    created = []
    for site in all_site_configs():
        site = site._replace(updated_at=to_iso(now))
        audit = new_event(
            tenant=site.id,
            entity_type="site",
            entity_id=site.id,
            action="site.seeded",
            summary="按站点配置文件初始化站点",
            actor=SYSTEM_ACTOR,
            at=now,
            after={
                "version": site.version,
                "methods": site_to_dict(site)["methods"],
                "limits": site_to_dict(site)["limits"],
            },
        )
        if store.create_if_absent(site, audit):
            created.append(site.id)
    return created


def seed_orgs(now: datetime | None = None) -> int:
    """Create the demo buyer units unless they exist; returns how many were created."""
    now = now or utc_now()
    store = DynamoOrgStore()
    wanted = [("liaocheng", name, district, kind) for name, district, kind in LIAOCHENG_BUYERS]
    wanted += [(site_id, name, _city_code(site_id), kind) for site_id, (name, kind) in OTHER_BUYERS.items()]
    created = 0
    for number, (site_id, name, district, kind) in enumerate(wanted):
        org = BuyerOrg(
            site_id=site_id,
            uscc=demo_uscc(name, district, kind),
            name=name,
            district=district,
            kind=kind,
            contact_name="采购经办人",
            contact_phone=f"1380635{number:04d}",
            created_at=to_iso(now),
            created_by="system",
        )
        audit = new_event(
            tenant=site_id,
            entity_type="buyer_org",
            entity_id=org.uscc,
            action="buyer_org.seeded",
            summary=f"初始化采购单位 {name}",
            actor=SYSTEM_ACTOR,
            at=now,
            after=org.to_dict(),
        )
        try:
            store.create(org, audit)
            created += 1
        except Conflict:
            pass
    return created


def seed_users(pool_id: str, users: list[DemoUser], password: str = DEMO_PASSWORD) -> int:
    """Create demo users with a permanent password, each in its role's group."""
    idp = boto3.client("cognito-idp")
    created = 0
    for user in users:
        try:
            idp.admin_get_user(UserPoolId=pool_id, Username=user.username)
            continue
        except idp.exceptions.UserNotFoundException:
            pass
        idp.admin_create_user(
            UserPoolId=pool_id,
            Username=user.username,
            MessageAction="SUPPRESS",
            UserAttributes=[
                {"Name": "name", "Value": user.name},
                {"Name": "custom:tenant", "Value": user.tenant},
                {"Name": "custom:org_id", "Value": user.org_id},
                {"Name": "custom:org_name", "Value": user.org_name},
                {"Name": "custom:district", "Value": user.district},
            ],
        )
        idp.admin_set_user_password(UserPoolId=pool_id, Username=user.username, Password=password, Permanent=True)
        idp.admin_add_user_to_group(UserPoolId=pool_id, Username=user.username, GroupName=user.role.value)
        created += 1
    return created


def seed_all(pool_id: str) -> dict[str, Any]:
    sites = seed_sites()
    orgs = seed_orgs()
    users = seed_users(pool_id, demo_users([s.id for s in all_site_configs()]))
    return {"sites_created": sites, "orgs_created": orgs, "users_created": users}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sites-only", action="store_true", help="seed sites from their data files, nothing else")
    args = parser.parse_args()
    if args.sites_only:
        print({"sites_created": seed_sites()})


if __name__ == "__main__":
    main()


# ---------------------------------------------------------------- demo catalog, suppliers and plans


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


def _demo_profile(demo: Any) -> Any:
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


def demo_supplier_uscc(demo: Any) -> str:
    return make_uscc("91", demo.region, demo.subject)


def seed_demo_suppliers(pool_id: str | None, now: datetime | None = None) -> int:
    """Register the demo suppliers with a licence, approve them (one stays pending); logins if a pool is given."""
    import uuid as _uuid

    from chalicelib.config import get_settings
    from chalicelib.domain import suppliers as supplier_rules
    from chalicelib.store.reference import official_districts
    from chalicelib.store.suppliers import DynamoSupplierStore
    from scheduled.demo_catalog import PENDING_SUPPLIERS, SUPPLIERS

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


def _supplier_principal(demo: Any, uscc: str) -> Any:
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


def _demo_listing(site: Any, demo: Any, supplier: Any, category: Any, product: Any, now: datetime) -> tuple[Any, Any]:
    """One imported listing on sale (with its audit event), priced a little under its reference price."""
    import uuid as _uuid

    from chalicelib.domain import listings as rules

    seed = f"{site.id}|{demo.username}|{product.brand}|{product.model}|{category.name}"
    base = round(product.price_yuan * 100)
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
        images=(),
        certificates=certificates,
    )
    rules.check_draft(site, draft, now.date())
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
    from chalicelib.store.sites import DynamoSiteStore
    from chalicelib.store.suppliers import DynamoSupplierStore
    from scheduled.demo_catalog import PRODUCTS, SUPPLIERS

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


# 聊城's pushed plans (unit, district, 4-digit unit code, name, catalog code, item, quantity, unit, unit price yuan, status).
DEMO_PLANS = (
    (
        "聊城市教育和体育局",
        "371500",
        "2001",
        "台式计算机采购项目",
        "A02010105",
        "台式计算机",
        40,
        "台",
        4800,
        "pending",
    ),
    ("聊城市教育和体育局", "371500", "2001", "办公用纸采购", "A05040101", "复印纸", 200, "箱", 150, "pending"),
    ("聊城市教育和体育局", "371500", "2001", "笔记本电脑采购", "A02010108", "便携式计算机", 10, "台", 5200, "accepted"),
    (
        "莘县教育和体育局",
        "371522",
        "3105",
        "学校物业管理服务",
        "C21040000",
        "物业管理服务",
        12,
        "月",
        38000,
        "accepted",
    ),
    ("临清市公安局", "371581", "4210", "视频监控设备采购", "A02091107", "视频监控设备", 60, "台", 480, "pending"),
    (
        "高唐县公安局",
        "371526",
        "5112",
        "公务用车加油",
        "C23120302",
        "车辆加油、添加燃料服务",
        10000,
        "升",
        7,
        "accepted",
    ),
    ("聊城市茌平区第三中学", "371503", "6033", "试卷纸采购", "A05040199", "其他纸制文具", 100, "箱", 180, "accepted"),
    ("阳谷县实验中学", "371521", "7021", "办公家具采购", "A05010201", "办公桌", 30, "张", 900, "returned"),
)


def seed_demo_plans(now: datetime | None = None) -> int:
    """Plans pushed for 聊城 units in several districts and 市本级, in every status, and two self-built ones."""
    from chalicelib.domain import plans as plan_rules
    from chalicelib.domain.principals import Principal
    from chalicelib.store.plans import DynamoPlanStore
    from chalicelib.store.reference import national_catalog
    from chalicelib.store.sites import DynamoSiteStore

    now = now or utc_now()
    site = DynamoSiteStore().get("liaocheng")
    if site is None:
        return 0
    store = DynamoPlanStore()
    catalog = national_catalog()
    created = 0
    for number, (unit, district, code, name, catalog_code, item, qty, measure, price, status) in enumerate(
        DEMO_PLANS, 1
    ):
        plan_no = f"{district}{code}01{now.year}{number:04d}"
        if store.get(site.id, plan_no) is not None:
            continue
        kind = OrgKind.INSTITUTION if "中学" in unit else OrgKind.AGENCY
        uscc = demo_uscc(unit, district, kind)
        amount = qty * price * 100
        new = plan_rules.NewPushedPlan(
            plan_no=plan_no,
            name=name,
            business_year=now.year,
            business_month=now.month,
            purchase_method=plan_rules.PlanMethod.ONLINE_SUPERMARKET,
            division_code=district,
            buyer_uscc=uscc,
            buyer_name=unit,
            funding_department="教科文科",
            planned_date=now.date().isoformat(),
            deadline_date=f"{now.year}-12-31",
            funds={"general_budget": amount},
            line=plan_rules.PlanLine(catalog_code, "", item, qty, measure, price * 100, amount),
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
                now.year,
                now.month,
                plan_rules.PlanMethod.ONLINE_SUPERMARKET,
                category,
                amount,
                now.date().isoformat(),
                "示例自建计划",
            )
            plan_rules.create_self_built(store, site, buyer, new_self, catalog, now)
            created += 1
    return created


def seed_demo(pool_id: str | None) -> dict[str, int]:
    """The demo history, laid out over the last three weeks so that timelines read in order:
    suppliers and listings first, then plans, then orders moving on day by day."""
    from scheduled.sample_orders import seed_demo_orders

    start = utc_now() - timedelta(days=21)
    return {
        "suppliers": seed_demo_suppliers(pool_id, start),
        "listings": seed_demo_listings(start),
        "plans": seed_demo_plans(start + timedelta(days=1)),
        "orders": seed_demo_orders(start + timedelta(days=2)),
    }
