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
from datetime import datetime
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

# The demo accounts' people, distinct in every site (a buyer, the centre's operator, the finance officer).
SITE_PEOPLE: dict[str, dict[str, str]] = {
    "liaocheng": {"buyer": "张敏", "center": "赵强", "finance": "刘洋"},
    "weihai": {"buyer": "于海燕", "center": "丛培军", "finance": "毕晓东"},
    "jinan": {"buyer": "王雪梅", "center": "李振华", "finance": "高建国"},
    "zibo": {"buyer": "孙立新", "center": "翟文涛", "finance": "韩秀英"},
    "rizhao": {"buyer": "厉娜", "center": "秦志刚", "finance": "牟丽华"},
    "linyi": {"buyer": "庄晓燕", "center": "颜廷伟", "finance": "徐玉兰"},
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
    for site_id in site_ids:
        names = SITE_PEOPLE.get(site_id, SITE_PEOPLE["liaocheng"])
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
