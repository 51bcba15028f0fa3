"""动态预警 in the main table, and the reads the detection needs (a buyer's, a supplier's orders; a site's biddings).

{site}#ALERT#{id}     ALERT          gsi1 {site}#ALERTS#{status}, newest first: the queue
{site}#ALERT_RULES    RULES
"""

from __future__ import annotations

from chalicelib.domain import alerts
from chalicelib.domain.audit import AuditEvent
from chalicelib.domain.competitions import Competition
from chalicelib.domain.errors import Conflict
from chalicelib.domain.orders import Order, order_from_dict
from chalicelib.domain.prices import Observation, observation_from_dict
from chalicelib.store import keys
from chalicelib.store.documents import fields_of
from chalicelib.store.models import AlertItem, AlertRulesItem, CompetitionItem, OrderItem, PriceObservationItem
from chalicelib.store.tx import AuditedWrite

_CHANGED = Conflict("该预警已被他人处理，请刷新后重试", code="ALERT_CHANGED")
MAX_READ = 1000  # purchases one detection reads at most (a buyer's window, a supplier's in a site)


def _item(a: alerts.Alert) -> AlertItem:
    return AlertItem(
        pk=keys.alert(a.site_id, a.id),
        sk="ALERT",
        gsi1pk=keys.site_alerts(a.site_id, a.status.value),
        gsi1sk=keys.sorted_by(a.raised_at, a.id),
        status=a.status.value,
        version=a.version,
        data=alerts.alert_to_dict(a),
    )


class DynamoAlertStore:
    """Implements domain.alerts.AlertStore."""

    def rules(self, site_id: str) -> alerts.AlertRules:
        try:
            item = AlertRulesItem.get(keys.alert_rules(site_id), "RULES")
        except AlertRulesItem.DoesNotExist:
            return alerts.AlertRules()
        return alerts.rules_from_dict(item.data)

    def save_rules(self, site_id: str, rules: alerts.AlertRules, expected_version: int, audit: AuditEvent) -> None:
        item = AlertRulesItem(pk=keys.alert_rules(site_id), sk="RULES", version=rules.version, data=rules._asdict())
        condition = (
            AlertRulesItem.pk.does_not_exist() if expected_version == 0 else AlertRulesItem.version == expected_version
        )
        write = AuditedWrite(audit)
        write.put(item, condition, Conflict("预警阈值已被他人修改，请刷新后重试", code="THRESHOLDS_CHANGED"))
        write.commit()

    def get(self, site_id: str, alert_id: str) -> alerts.Alert | None:
        try:
            item = AlertItem.get(keys.alert(site_id, alert_id), "ALERT")
        except AlertItem.DoesNotExist:
            return None
        return alerts.alert_from_dict(item.data)

    def queue(self, site_id: str, status: alerts.AlertStatus, limit: int = 100) -> list[alerts.Alert]:
        found = AlertItem.gsi1.query(keys.site_alerts(site_id, status.value), scan_index_forward=False, limit=limit)
        return [alerts.alert_from_dict(i.data) for i in found if isinstance(i, AlertItem)]

    def raise_or_grow(self, alert: alerts.Alert, audit: AuditEvent) -> bool:
        current = self.get(alert.site_id, alert.id)
        if current is not None and current.status is not alerts.AlertStatus.OPEN:
            return False  # handled: a later purchase of the same pattern does not reopen it
        if current is not None and current.evidence == alert.evidence:
            return False  # a repeat of the same change
        write = AuditedWrite(audit)
        if current is None:
            write.put(_item(alert), AlertItem.pk.does_not_exist(), _CHANGED)
        else:
            grown = alert._replace(raised_at=current.raised_at, version=current.version + 1)
            write.put(_item(grown), AlertItem.version == current.version, _CHANGED)
        write.commit()
        return True

    def save(self, alert: alerts.Alert, expected_version: int, audit: AuditEvent) -> None:
        write = AuditedWrite(audit)
        write.put(_item(alert), AlertItem.version == expected_version, _CHANGED)
        write.commit()

    # ---------------------------------------------------------------- what the detection reads

    def buyer_orders_since(self, site_id: str, buyer_uscc: str, since: str) -> list[Order]:
        found = OrderItem.gsi1.query(
            keys.buyer_orders(site_id, buyer_uscc), OrderItem.gsi1sk >= since, scan_index_forward=False, limit=MAX_READ
        )
        return [order_from_dict(fields_of("order", i.data)) for i in found if isinstance(i, OrderItem)]

    def supplier_orders_since(self, site_id: str, supplier_uscc: str, since: str) -> list[Order]:
        found = OrderItem.gsi2.query(
            keys.supplier_orders(supplier_uscc),
            OrderItem.gsi2sk.between(f"{site_id}#{since}", f"{site_id}#~"),
            scan_index_forward=False,
            limit=MAX_READ,
        )
        return [order_from_dict(fields_of("order", i.data)) for i in found if isinstance(i, OrderItem)]

    def competitions_since(self, site_id: str, since: str) -> list[Competition]:
        from chalicelib.store.competitions import competition_from_item

        found = CompetitionItem.gsi2.query(
            keys.site_competitions(site_id), CompetitionItem.gsi2sk >= since, scan_index_forward=False, limit=MAX_READ
        )
        return [competition_from_item(i) for i in found if isinstance(i, CompetitionItem)]

    # ---------------------------------------------------------------- price observations (domain.prices)

    def observe(self, add: list[Observation], remove: list[Observation]) -> None:
        """Idempotent: an observation's key is its deal line, so a repeated change writes the same item again."""
        with PriceObservationItem.batch_write() as batch:
            for o in add:
                batch.save(PriceObservationItem(pk=keys.price_observations(o.product), sk=_sort(o), data=o._asdict()))
            for o in remove:
                batch.delete(PriceObservationItem(pk=keys.price_observations(o.product), sk=_sort(o)))

    def observations(self, product: str, since: str) -> list[Observation]:
        found = PriceObservationItem.query(
            keys.price_observations(product), PriceObservationItem.sk >= since, limit=MAX_READ
        )
        return [observation_from_dict(i.data) for i in found if isinstance(i, PriceObservationItem)]

    def open_invitations(self, supplier_uscc: str, site_id: str, since: str) -> list[Competition]:
        """The running competitions of a site the supplier was invited to since a moment."""
        from chalicelib.store.competitions import competition_from_item
        from chalicelib.store.models import InvitationItem

        invited = InvitationItem.gsi1.query(
            keys.supplier_invitations(supplier_uscc), InvitationItem.gsi1sk >= since, limit=100
        )
        wanted = [
            (keys.competition(i.site_id, i.competition_id), "STATE")
            for i in invited
            if isinstance(i, InvitationItem) and i.site_id == site_id
        ]
        found = [competition_from_item(c) for c in CompetitionItem.batch_get(wanted) if isinstance(c, CompetitionItem)]
        return [c for c in found if c.status.value == "open"]


def _sort(o: Observation) -> str:
    return keys.sorted_by(o.at, o.site_id, o.order_no, str(o.line))
