"""Buyer organisations (采购单位): government units that buy through a site.

Each belongs to one district of the site. Its 统一社会信用代码 identifies it,
so a site cannot register the same unit twice.
"""

from __future__ import annotations

import re
from datetime import datetime
from enum import StrEnum
from typing import Any, NamedTuple, Protocol

from chalicelib.domain.audit import AuditEvent, new_event
from chalicelib.domain.clock import to_iso
from chalicelib.domain.errors import InvalidInput, NotFound
from chalicelib.domain.principals import Principal
from chalicelib.domain.sites import SiteConfig
from chalicelib.domain.uscc import uscc_problem

ENTITY_ORG = "buyer_org"
PHONE_PATTERN = re.compile(r"^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$")


class OrgKind(StrEnum):
    AGENCY = "机关"
    INSTITUTION = "事业单位"
    ASSOCIATION = "团体组织"


class BuyerOrg(NamedTuple):
    site_id: str
    uscc: str
    name: str
    district: str
    kind: OrgKind
    contact_name: str
    contact_phone: str
    created_at: str
    created_by: str

    def to_dict(self, site: SiteConfig | None = None) -> dict[str, Any]:
        district = site.district(self.district) if site else None
        return {
            "site_id": self.site_id,
            "uscc": self.uscc,
            "name": self.name,
            "district": self.district,
            "district_name": district.name if district else "",
            "kind": self.kind.value,
            "contact_name": self.contact_name,
            "contact_phone": self.contact_phone,
            "created_at": self.created_at,
            "created_by": self.created_by,
        }


class NewOrg(NamedTuple):
    uscc: str
    name: str
    district: str
    kind: OrgKind
    contact_name: str
    contact_phone: str


class OrgStore(Protocol):
    def create(self, org: BuyerOrg, audit: AuditEvent) -> None:
        """Raise Conflict(ORG_EXISTS) when the site already has this code."""

    def list(self, site_id: str, district: str | None) -> list[BuyerOrg]: ...

    def get(self, site_id: str, uscc: str) -> BuyerOrg | None: ...

    def save(self, org: BuyerOrg, audit: AuditEvent) -> None:
        """Replace a unit that exists (its contact); Conflict when it is gone."""


def register_org(
    store: OrgStore, site: SiteConfig, actor: Principal, new: NewOrg, now: datetime, request_id: str = ""
) -> BuyerOrg:
    problems = []
    uscc_error = uscc_problem(new.uscc)
    if uscc_error:
        problems.append({"field": "uscc", "message": uscc_error})
    if site.district(new.district) is None:
        problems.append({"field": "district", "message": f"区划 {new.district} 不属于{site.short_name}站点"})
    if not PHONE_PATTERN.match(new.contact_phone):
        problems.append({"field": "contact_phone", "message": "联系电话应为手机号或带区号的固定电话"})
    if problems:
        raise InvalidInput(
            "采购单位信息有误：" + "；".join(p["message"] for p in problems), code="VALIDATION_FAILED", details=problems
        )
    org = BuyerOrg(
        site_id=site.id,
        uscc=new.uscc,
        name=new.name,
        district=new.district,
        kind=new.kind,
        contact_name=new.contact_name,
        contact_phone=new.contact_phone,
        created_at=to_iso(now),
        created_by=actor.username,
    )
    audit = new_event(
        tenant=site.id,
        entity_type=ENTITY_ORG,
        entity_id=org.uscc,
        action="buyer_org.created",
        summary=f"新增采购单位 {org.name}",
        actor=actor.as_actor(),
        at=now,
        after=org.to_dict(),
        request_id=request_id,
    )
    store.create(org, audit)
    return org


def list_orgs(store: OrgStore, site: SiteConfig, district: str | None) -> list[BuyerOrg]:
    if district is not None and site.district(district) is None:
        raise NotFound(f"区划 {district} 不属于{site.short_name}站点", code="DISTRICT_NOT_FOUND")
    return store.list(site.id, district)


def update_contact(
    store: OrgStore,
    site: SiteConfig,
    actor: Principal,
    uscc: str,
    contact_name: str,
    contact_phone: str,
    now: datetime,
    request_id: str = "",
) -> BuyerOrg:
    """The operator keeps a unit's contact current (the person orders and notices reach)."""
    org = store.get(site.id, uscc)
    if org is None:
        raise NotFound("采购单位不存在", code="ORG_NOT_FOUND")
    name, phone = contact_name.strip(), contact_phone.strip()
    problems = []
    if not 2 <= len(name) <= 30:
        problems.append({"field": "contact_name", "message": "联系人为 2–30 个字"})
    if not PHONE_PATTERN.match(phone):
        problems.append({"field": "contact_phone", "message": "联系电话应为手机号或带区号的固定电话"})
    if problems:
        raise InvalidInput(
            "联系人信息有误：" + "；".join(p["message"] for p in problems), code="VALIDATION_FAILED", details=problems
        )
    updated = org._replace(contact_name=name, contact_phone=phone)
    if updated == org:
        return org
    audit = new_event(
        tenant=site.id,
        entity_type=ENTITY_ORG,
        entity_id=org.uscc,
        action="buyer_org.updated",
        summary=f"修改采购单位 {org.name} 的联系人",
        actor=actor.as_actor(),
        at=now,
        before={"contact_name": org.contact_name, "contact_phone": org.contact_phone},
        after={"contact_name": name, "contact_phone": phone},
        request_id=request_id,
    )
    store.save(updated, audit)
    return updated
