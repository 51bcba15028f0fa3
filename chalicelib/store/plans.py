"""Purchase plans, annual cap usage and plan numbers in the main table."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from chalicelib.domain.audit import AuditEvent
from chalicelib.domain.errors import Conflict, DomainError
from chalicelib.domain.plans import CapUsage, Plan, PlanStatus, after_race_refusal, plan_from_dict, plan_to_dict
from chalicelib.store import keys
from chalicelib.store.documents import fields_of, stamped
from chalicelib.store.models import CapUsageItem, PlanItem, SequenceItem
from chalicelib.store.nonces import nonce_used, remember_nonce
from chalicelib.store.paging import decode_cursor, encode_cursor
from chalicelib.store.tx import AuditedWrite

_VERSION_CONFLICT = Conflict("采购计划已被修改，请刷新后重试", code="VERSION_CONFLICT")


def usage_pk(site_id: str, buyer_uscc: str, year: int, level2: str) -> str:
    return keys.cap_usage(site_id, buyer_uscc, year, level2)


def _item(plan: Plan) -> PlanItem:
    return PlanItem(
        pk=keys.plan(plan.site_id, plan.plan_no),
        sk="PLAN",
        gsi1pk=keys.buyer_plans(plan.site_id, plan.buyer_uscc),
        gsi1sk=keys.sorted_by(plan.created_at, plan.plan_no),
        gsi2pk=keys.site_plans(plan.site_id),
        gsi2sk=keys.sorted_by(plan.created_at, plan.plan_no),
        site_id=plan.site_id,
        plan_no=plan.plan_no,
        buyer_uscc=plan.buyer_uscc,
        status=plan.status.value,
        version=plan.version,
        data=stamped("plan", plan_to_dict(plan)),
        budget_fen=plan.budget_fen,
        committed_fen=plan.committed_fen,
    )


def plan_from_item(item: PlanItem) -> Plan:
    """The document, with what orders have committed taken as it stands."""
    return plan_from_dict(fields_of("plan", item.data))._replace(
        committed_fen=int(item.committed_fen),
        version=int(item.version),
        ordered_quantity=int(item.ordered_quantity or 0),
    )


def refusal_after_race(
    site_id: str, plan_no: str, requested_fen: int, wanted: int = 0, what: str = "本订单"
) -> Callable[[], DomainError]:
    """For a write whose plan condition failed: read the plan as it is now (strongly) and refuse as the read-time
    check would have, so a client sees one code, status and details whichever check caught it."""

    def refuse() -> DomainError:
        try:
            plan: Plan | None = plan_from_item(PlanItem.get(keys.plan(site_id, plan_no), "PLAN", consistent_read=True))
        except PlanItem.DoesNotExist:
            plan = None
        return after_race_refusal(plan, requested_fen, wanted, what)

    return refuse


class DynamoPlanStore:
    """Implements domain.plans.PlanStore."""

    def get(self, site_id: str, plan_no: str) -> Plan | None:
        try:
            return plan_from_item(PlanItem.get(keys.plan(site_id, plan_no), "PLAN"))
        except PlanItem.DoesNotExist:
            return None

    def usage(self, site_id: str, buyer_uscc: str, year: int, level2_code: str) -> CapUsage:
        try:
            used = int(CapUsageItem.get(usage_pk(site_id, buyer_uscc, year, level2_code), "CAP").used_fen)
        except CapUsageItem.DoesNotExist:
            used = 0
        return CapUsage(buyer_uscc, year, level2_code, used)

    def spent(self, site_id: str, buyer_uscc: str, year: int, level2_code: str) -> int:
        """What a buyer's orders took this year in a 二级品目 (the annual cap counts it)."""
        try:
            return int(CapUsageItem.get(usage_pk(site_id, buyer_uscc, year, level2_code), "CAP").spent_fen or 0)
        except CapUsageItem.DoesNotExist:
            return 0

    def _add_cap(self, write: AuditedWrite, site_id: str, cap: tuple[CapUsage, int] | None, amount: int) -> None:
        if cap is None:
            return
        usage, limit = cap
        item = CapUsageItem(pk=usage_pk(site_id, usage.buyer_uscc, usage.year, usage.level2_code), sk="CAP")
        # The read that checked the limit may be stale: the write re-checks it atomically.
        condition = CapUsageItem.used_fen.does_not_exist() | (CapUsageItem.used_fen <= limit - amount)
        write.update(
            item,
            # An update may create the item: it must carry its discriminator like a put would.
            [CapUsageItem.used_fen.add(amount), CapUsageItem.kind.set(CapUsageItem)],
            condition,
            Conflict("同一品目的年度采购限额刚被其他计划占用，请刷新后重试", code="LIMIT_RACE"),
        )

    def create(
        self, plan: Plan, audit: AuditEvent, cap: tuple[CapUsage, int] | None, nonce: tuple[str, int] | None = None
    ) -> None:
        write = AuditedWrite(audit)
        write.put(
            _item(plan), PlanItem.pk.does_not_exist(), Conflict(f"计划 {plan.plan_no} 已存在", code="PLAN_EXISTS")
        )
        self._add_cap(write, plan.site_id, cap, plan.budget_fen)
        remember_nonce(write, nonce)
        write.commit()

    def nonce_used(self, nonce: str) -> bool:
        return nonce_used(nonce)

    def save(self, plan: Plan, previous: Plan, audit: AuditEvent, cap: tuple[CapUsage, int] | None) -> None:
        write = AuditedWrite(audit)
        write.put(_item(plan), PlanItem.version == previous.version, _VERSION_CONFLICT)
        self._add_cap(write, plan.site_id, cap, plan.budget_fen)
        write.commit()

    def next_self_built_number(self, site_id: str, district: str, day: date) -> str:
        """ZJ + 6-digit district + yyyymmdd + 4-digit daily sequence: 20 characters."""
        counter = SequenceItem(pk=keys.sequence(site_id, f"plan-{district}-{day:%Y%m%d}"), sk="SEQ")
        counter.update(actions=[SequenceItem.value.add(1), SequenceItem.kind.set(SequenceItem)])
        return f"ZJ{district[:6]}{day:%Y%m%d}{int(counter.value):04d}"

    def list_for_buyer(
        self, site_id: str, buyer_uscc: str, status: PlanStatus | None, limit: int, cursor: str | None
    ) -> tuple[list[Plan], str | None]:
        partition = keys.buyer_plans(site_id, buyer_uscc)
        return self._list(PlanItem.gsi1, "gsi1pk", partition, status, limit, cursor)

    def list_for_site(
        self, site_id: str, status: PlanStatus | None, limit: int, cursor: str | None
    ) -> tuple[list[Plan], str | None]:
        return self._list(PlanItem.gsi2, "gsi2pk", keys.site_plans(site_id), status, limit, cursor)

    @staticmethod
    def _list(
        index: object, key_name: str, partition: str, status: PlanStatus | None, limit: int, cursor: str | None
    ) -> tuple[list[Plan], str | None]:
        start = decode_cursor(cursor, {key_name: partition})
        condition = PlanItem.status == status.value if status else None
        result = index.query(  # type: ignore[attr-defined]
            partition, filter_condition=condition, scan_index_forward=False, limit=limit, last_evaluated_key=start
        )
        found = [plan_from_item(i) for i in result if isinstance(i, PlanItem)]
        return found, encode_cursor(result.last_evaluated_key)
