"""Violation reports and complaints in the main table.

{site}#COMPLAINT#{id}   COMPLAINT   gsi1 {site}#COMPLAINTS · gsi2 the complainant's · gsi3 the respondent's
"""

from __future__ import annotations

from chalicelib.domain import complaints
from chalicelib.domain.audit import AuditEvent
from chalicelib.domain.credit import CreditEntry
from chalicelib.domain.errors import Conflict
from chalicelib.store import keys
from chalicelib.store.models import ComplaintItem
from chalicelib.store.tx import AuditedWrite

_CHANGED = Conflict("该投诉已被他人处理，请刷新后重试", code="COMPLAINT_CHANGED")


def _item(c: complaints.Complaint) -> ComplaintItem:
    sort = keys.sorted_by(c.created_at, c.id)
    return ComplaintItem(
        pk=keys.complaint(c.site_id, c.id),
        sk="COMPLAINT",
        gsi1pk=keys.site_complaints(c.site_id),
        gsi1sk=sort,
        gsi2pk=keys.complainant_complaints(c.complainant.uscc),
        gsi2sk=keys.sorted_by(c.site_id, sort),
        gsi3pk=keys.respondent_complaints(c.respondent.uscc),
        gsi3sk=keys.sorted_by(c.site_id, sort),
        status=c.status.value,
        version=c.version,
        data=complaints.complaint_to_dict(c),
    )


class DynamoComplaintStore:
    """Implements domain.complaints.ComplaintStore."""

    def get(self, site_id: str, complaint_id: str) -> complaints.Complaint | None:
        try:
            item = ComplaintItem.get(keys.complaint(site_id, complaint_id), "COMPLAINT")
        except ComplaintItem.DoesNotExist:
            return None
        return complaints.complaint_from_dict(item.data)

    def of_site(self, site_id: str) -> list[complaints.Complaint]:
        found = ComplaintItem.gsi1.query(keys.site_complaints(site_id), scan_index_forward=False, limit=200)
        return [complaints.complaint_from_dict(i.data) for i in found if isinstance(i, ComplaintItem)]

    def of_party(self, site_id: str, uscc: str) -> list[complaints.Complaint]:
        """What a unit filed and what it must answer, in one site."""
        filed = ComplaintItem.gsi2.query(
            keys.complainant_complaints(uscc), ComplaintItem.gsi2sk.startswith(f"{site_id}#"), limit=200
        )
        answered = ComplaintItem.gsi3.query(
            keys.respondent_complaints(uscc), ComplaintItem.gsi3sk.startswith(f"{site_id}#"), limit=200
        )
        found = {
            i.data["id"]: complaints.complaint_from_dict(i.data)
            for i in [*filed, *answered]
            if isinstance(i, ComplaintItem)
        }
        return sorted(found.values(), key=lambda c: c.created_at, reverse=True)

    def create(self, complaint: complaints.Complaint, audit: AuditEvent) -> None:
        write = AuditedWrite(audit)
        write.put(_item(complaint), ComplaintItem.pk.does_not_exist(), _CHANGED)
        write.commit()

    def save(self, complaint: complaints.Complaint, expected_version: int, audit: AuditEvent) -> None:
        write = AuditedWrite(audit)
        write.put(_item(complaint), ComplaintItem.version == expected_version, _CHANGED)
        write.commit()

    def decide(
        self,
        complaint: complaints.Complaint,
        expected_version: int,
        audit: AuditEvent,
        entry: tuple[CreditEntry, AuditEvent] | None,
    ) -> None:
        """The decision and the credit measure an upheld report leads to, in one transaction."""
        from chalicelib.store.models import CreditEntryItem
        from chalicelib.store.supervision import credit_entry_item

        write = AuditedWrite(audit, (entry[1],) if entry else ())
        write.put(_item(complaint), ComplaintItem.version == expected_version, _CHANGED)
        if entry is not None:
            write.put(credit_entry_item(entry[0]), CreditEntryItem.pk.does_not_exist(), _CHANGED)
        write.commit()
