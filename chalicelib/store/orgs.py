"""Buyer organisations in the main table."""

from __future__ import annotations

from chalicelib.domain.audit import AuditEvent
from chalicelib.domain.errors import Conflict
from chalicelib.domain.orgs import BuyerOrg, OrgKind
from chalicelib.store import keys
from chalicelib.store.models import BuyerOrgItem
from chalicelib.store.tx import AuditedWrite


def _pk(site_id: str) -> str:
    return keys.orgs(site_id)


def _item(org: BuyerOrg) -> BuyerOrgItem:
    return BuyerOrgItem(
        pk=_pk(org.site_id),
        sk=org.uscc,
        gsi1pk=keys.orgs_in_district(org.site_id, org.district),
        gsi1sk=keys.sorted_by(org.name, org.uscc),
        site_id=org.site_id,
        uscc=org.uscc,
        name=org.name,
        district=org.district,
        created_at=org.created_at,
        data={
            "kind": org.kind.value,
            "contact_name": org.contact_name,
            "contact_phone": org.contact_phone,
            "created_by": org.created_by,
        },
    )


def _org(item: BuyerOrgItem) -> BuyerOrg:
    return BuyerOrg(
        site_id=item.site_id,
        uscc=item.uscc,
        name=item.name,
        district=item.district,
        kind=OrgKind(item.data["kind"]),
        contact_name=item.data["contact_name"],
        contact_phone=item.data["contact_phone"],
        created_at=item.created_at,
        created_by=item.data.get("created_by", ""),
    )


class DynamoOrgStore:
    """Implements domain.orgs.OrgStore."""

    def create(self, org: BuyerOrg, audit: AuditEvent) -> None:
        write = AuditedWrite(audit)
        write.put(
            _item(org),
            BuyerOrgItem.pk.does_not_exist(),
            Conflict(f"统一社会信用代码 {org.uscc} 的采购单位已存在", code="ORG_EXISTS"),
        )
        write.commit()

    def list(self, site_id: str, district: str | None) -> list[BuyerOrg]:
        if district is None:
            items = BuyerOrgItem.query(_pk(site_id))
        else:
            items = BuyerOrgItem.gsi1.query(keys.orgs_in_district(site_id, district))
        orgs = [_org(i) for i in items if isinstance(i, BuyerOrgItem)]
        return sorted(orgs, key=lambda o: (o.district, o.name))

    def get(self, site_id: str, uscc: str) -> BuyerOrg | None:
        try:
            item = BuyerOrgItem.get(_pk(site_id), uscc)
        except BuyerOrgItem.DoesNotExist:
            return None
        return _org(item) if isinstance(item, BuyerOrgItem) else None

    def save(self, org: BuyerOrg, audit: AuditEvent) -> None:
        write = AuditedWrite(audit)
        write.put(_item(org), BuyerOrgItem.pk.exists(), Conflict("采购单位已不存在，请刷新", code="ORG_NOT_FOUND"))
        write.commit()
