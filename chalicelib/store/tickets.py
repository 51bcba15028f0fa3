"""The service desk's tickets in the main table.

{site}#TICKET#{id}   TICKET   gsi1 {site}#TICKETS (by when it came in) · gsi2 {site}#ASKER#{uscc}#TICKETS
"""

from __future__ import annotations

from chalicelib.domain import service_desk
from chalicelib.domain.audit import AuditEvent
from chalicelib.domain.errors import Conflict
from chalicelib.store import keys
from chalicelib.store.models import TicketItem
from chalicelib.store.tx import AuditedWrite

_CHANGED = Conflict("该咨询已被他人处理，请刷新后重试", code="TICKET_CHANGED")
MAX_MONTH = 5000  # tickets one month's figures read at most (40 calls a day is about 1,200)


def _item(t: service_desk.Ticket) -> TicketItem:
    sort = keys.sorted_by(t.created_at, t.id)
    return TicketItem(
        pk=keys.ticket(t.site_id, t.id),
        sk="TICKET",
        gsi1pk=keys.site_tickets(t.site_id),
        gsi1sk=sort,
        gsi2pk=keys.asker_tickets(t.site_id, t.asker_org) if t.asker_org else None,
        gsi2sk=sort if t.asker_org else None,
        status=t.status.value,
        version=t.version,
        data=service_desk.ticket_to_dict(t),
    )


class DynamoTicketStore:
    """Implements domain.service_desk.TicketStore."""

    def get(self, site_id: str, ticket_id: str) -> service_desk.Ticket | None:
        try:
            item = TicketItem.get(keys.ticket(site_id, ticket_id), "TICKET")
        except TicketItem.DoesNotExist:
            return None
        return service_desk.ticket_from_dict(item.data)

    def between(self, site_id: str, start: str, end: str) -> list[service_desk.Ticket]:
        found = TicketItem.gsi1.query(
            keys.site_tickets(site_id), TicketItem.gsi1sk.between(start, end), scan_index_forward=False, limit=MAX_MONTH
        )
        return [service_desk.ticket_from_dict(i.data) for i in found if isinstance(i, TicketItem)]

    def open_ones(self, site_id: str) -> list[service_desk.Ticket]:
        found = TicketItem.gsi1.query(
            keys.site_tickets(site_id), filter_condition=TicketItem.status == "open", scan_index_forward=True, limit=500
        )
        return [service_desk.ticket_from_dict(i.data) for i in found if isinstance(i, TicketItem)]

    def of_asker(self, site_id: str, uscc: str) -> list[service_desk.Ticket]:
        found = TicketItem.gsi2.query(keys.asker_tickets(site_id, uscc), scan_index_forward=False, limit=200)
        return [service_desk.ticket_from_dict(i.data) for i in found if isinstance(i, TicketItem)]

    def create(self, ticket: service_desk.Ticket, audit: AuditEvent) -> None:
        write = AuditedWrite(audit)
        write.put(_item(ticket), TicketItem.pk.does_not_exist(), _CHANGED)
        write.commit()

    def save(self, ticket: service_desk.Ticket, expected_version: int, audit: AuditEvent) -> None:
        write = AuditedWrite(audit)
        write.put(_item(ticket), TicketItem.version == expected_version, _CHANGED)
        write.commit()
