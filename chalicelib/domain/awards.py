"""A competition's award becomes an order, through the same commit as every purchase; its record is published.

Runs after the winner confirms (a queued stream consumer): the order number is
derived from the competition, so a second run finds the order already placed
rather than placing another, and the competition is marked awarded on its
version. The order takes its amount from the plan in place of the
competition's reservation, in the order's own transaction.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any, NamedTuple, Protocol

from chalicelib.domain import orders
from chalicelib.domain.audit import new_event
from chalicelib.domain.clock import china_date, parse_iso, to_iso
from chalicelib.domain.competitions import (
    ENTITY_COMPETITION,
    Competition,
    CompetitionStore,
    Status,
    awarded_line,
    later_entries,
    record_document,
    record_entries,
    record_key,
)
from chalicelib.domain.errors import Conflict, DomainError
from chalicelib.domain.plans import Plan
from chalicelib.domain.principals import SYSTEM_ACTOR, Principal, Role
from chalicelib.domain.purchase import BuyingMode, OrderSource, SourceKind
from chalicelib.domain.sites import SiteConfig
from chalicelib.domain.suppliers import Supplier


class AwardInputs(NamedTuple):
    site: SiteConfig | None
    plan: Plan | None
    supplier: Supplier | None
    spent_fen: int


class RecordWriter(Protocol):
    def write(self, key: str, document: Mapping[str, Any]) -> None: ...


def award_order_no(c: Competition) -> str:
    """YC + the day it was confirmed + 10 digits of the competition's hash: the same competition, the same order."""
    digits = int(hashlib.sha256(c.id.encode()).hexdigest(), 16) % 10**10
    return f"YC{china_date(parse_iso(c.updated_at)):%Y%m%d}{digits:010d}"


def _buyer(c: Competition) -> Principal:
    return Principal(
        user_id="",
        username=c.buyer_user,
        display_name="",
        role=Role.BUYER,
        tenant=c.site_id,
        org_id=c.buyer_uscc,
        org_name=c.buyer_name,
        district=c.buyer_district,
    )


def _priced(c: Competition) -> tuple[orders.Priced, orders.NewOrder]:
    winner, unit, _ = awarded_line(c)
    line = orders.OrderLine(
        listing_id=c.item.listing_id,
        name=c.title,
        brand="",
        model=c.item.spec[:60],
        category_id=c.item.category_id,
        catalog_code=c.item.catalog_code,
        unit_price_fen=unit,
        quantity=c.item.quantity,
        tracks_stock=False,  # delivered against the award, not from a listing's stock
    )
    # 二次竞价 buys under the framework agreement; 竞价 and 反拍 in the 超市.
    mode = BuyingMode.FRAMEWORK if c.agreement_no else BuyingMode.SUPERMARKET
    refs = (c.id, c.agreement_no) if c.agreement_no else (c.id,)
    priced = orders.Priced((line,), mode, c.mechanism, OrderSource(SourceKind.BIDDING, refs))
    d = c.delivery
    new = orders.NewOrder(
        plan_no=c.plan_no,
        supplier_uscc=winner,
        lines=(),
        delivery=orders.Delivery(d.address, d.contact, d.phone, d.expected_date),
        note=f"{c.kind.label}项目 {c.id} 成交，项目记录摘要 {c.close_digest[:16]}…",
    )
    return priced, new


def place_award(
    order_store: orders.OrderStore,
    store: CompetitionStore,
    records: RecordWriter,
    read: Callable[[Competition], AwardInputs],
    c: Competition,
    now: datetime,
) -> Competition | None:
    """The confirmed award's order (once), then the competition awarded with its record; None if already done."""
    if c.status is not Status.CONFIRMED:
        return None
    inputs = read(c)
    order_no = award_order_no(c)
    failure = ""
    if inputs.site is None or inputs.plan is None or inputs.supplier is None:
        failure = "站点、采购计划或供应商已不存在"
    else:
        priced, new = _priced(c)
        try:
            orders.commit(
                order_store,
                inputs.site,
                inputs.plan,
                inputs.supplier,
                _buyer(c),
                priced,
                new,
                inputs.spent_fen,
                now,
                reserved_fen=c.reserved_fen,
                order_no=order_no,
                actor=SYSTEM_ACTOR,
            )
        except Conflict as exc:
            if exc.code != "ORDER_NO_CONFLICT":  # that one: placed by an earlier run
                failure = exc.message
        except DomainError as exc:
            failure = exc.message
    if failure:
        done = c._replace(status=Status.FAILED, outcome=f"成交后生成订单失败：{failure}", reserved_fen=0)
        action, summary, release = "competition.failed", done.outcome, c.reserved_fen
    else:
        done = c._replace(status=Status.AWARDED, order_no=order_no, reserved_fen=0)
        action, summary, release = "competition.awarded", f"成交，生成订单 {order_no}", 0
    done = publish_record(records, store, done._replace(version=c.version + 1, updated_at=to_iso(now)))
    audit = new_event(
        tenant=c.site_id,
        entity_type=ENTITY_COMPETITION,
        entity_id=c.id,
        action=action,
        summary=summary,
        actor=SYSTEM_ACTOR,
        at=now,
        before={"status": c.status.value},
        after={"status": done.status.value, "order_no": done.order_no, "record_digest": done.record_digest},
    )
    try:
        store.save(done, c, audit, release_fen=release)
    except Conflict:
        return None
    return done


def publish_record(records: RecordWriter, store: CompetitionStore, c: Competition) -> Competition:
    """Write the hash-chained record of an ended competition to S3; the competition keeps its key and digest."""
    chained = record_entries(c, store.log(c), later_entries(c))
    key = record_key(c)
    records.write(key, record_document(c, chained))
    return c._replace(record_key=key, record_digest=str(chained[-1]["hash"]))


def record_ended(records: RecordWriter, store: CompetitionStore, c: Competition, now: datetime) -> Competition | None:
    """A failed or cancelled competition gets its record too (an awarded one got it with its order)."""
    if c.status not in (Status.FAILED, Status.CANCELLED) or c.record_key:
        return None
    done = publish_record(records, store, c._replace(version=c.version + 1, updated_at=to_iso(now)))
    audit = new_event(
        tenant=c.site_id,
        entity_type=ENTITY_COMPETITION,
        entity_id=c.id,
        action="competition.recorded",
        summary=f"项目记录已归档，摘要 {done.record_digest}",
        actor=SYSTEM_ACTOR,
        at=now,
        after={"record_key": done.record_key, "record_digest": done.record_digest},
    )
    try:
        store.save(done, c, audit)
    except Conflict:
        return None
    return done
