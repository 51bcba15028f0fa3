"""A site's designated suppliers (定点采购) in the main table.

pk {site}#DESIGNATED  sk {id}   one Query lists a site's designations (tens of them)
"""

from __future__ import annotations

from chalicelib.domain.audit import AuditEvent
from chalicelib.domain.designated import Designation, from_dict, to_dict
from chalicelib.domain.errors import Conflict
from chalicelib.store import keys
from chalicelib.store.models import DesignationItem
from chalicelib.store.tx import AuditedWrite


def _item(d: Designation) -> DesignationItem:
    return DesignationItem(
        pk=keys.designations(d.site_id), sk=d.id, status=d.status.value, version=d.version, data=to_dict(d)
    )


class DynamoDesignationStore:
    """Implements domain.designated.DesignationStore."""

    def get(self, site_id: str, designation_id: str) -> Designation | None:
        try:
            item = DesignationItem.get(keys.designations(site_id), designation_id)
        except DesignationItem.DoesNotExist:
            return None
        return from_dict(item.data) if isinstance(item, DesignationItem) else None

    def for_site(self, site_id: str) -> list[Designation]:
        found = DesignationItem.query(keys.designations(site_id), scan_index_forward=False)
        return [from_dict(i.data) for i in found if isinstance(i, DesignationItem)]

    def create(self, d: Designation, audit: AuditEvent) -> None:
        write = AuditedWrite(audit)
        write.put(
            _item(d), DesignationItem.pk.does_not_exist(), Conflict("定点编号冲突，请重试", code="DESIGNATION_EXISTS")
        )
        write.commit()

    def save(self, d: Designation, expected_version: int, audit: AuditEvent) -> None:
        write = AuditedWrite(audit)
        write.put(
            _item(d),
            DesignationItem.version == expected_version,
            Conflict("定点信息已被他人修改，请刷新后重试", code="DESIGNATION_CHANGED"),
        )
        write.commit()
