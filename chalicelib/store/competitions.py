"""Competitions (竞价 / 反拍) in the main table, their sealing key in KMS and their timer in Step Functions.

The deadline is a condition of every write that responds: a quote is a
transaction with a condition check on the competition (open, started,
`end_at > now`, the supplier in `invited`); a 反拍 bid updates the competition
itself under the same conditions plus "the best price is at least a step
above". Whatever the timer does, DynamoDB refuses what comes late.
"""

from __future__ import annotations

import base64
import contextlib
import json
import re
from collections.abc import Mapping
from typing import Any

from pynamodb.expressions.condition import Condition

from chalicelib.config import get_settings
from chalicelib.domain.audit import AuditEvent
from chalicelib.domain.competitions import (
    ENTITY_COMPETITION,
    RECORD_ENTRY,
    Competition,
    LogEntry,
    SealedQuote,
    Status,
    competition_from_dict,
    competition_to_dict,
)
from chalicelib.domain.errors import Conflict
from chalicelib.domain.plans import PlanStatus
from chalicelib.domain.suppliers import SupplierStatus
from chalicelib.store import keys
from chalicelib.store.aws import client
from chalicelib.store.documents import fields_of, stamped
from chalicelib.store.models import (
    AuditItem,
    CompetitionItem,
    InvitationItem,
    MainItem,
    PlanItem,
    QuoteItem,
    SupplierItem,
)
from chalicelib.store.paging import decode_cursor, encode_cursor
from chalicelib.store.plans import refusal_after_race
from chalicelib.store.tx import AuditedWrite

_VERSION_CONFLICT = Conflict("项目已被他人处理，请刷新后重试", code="VERSION_CONFLICT")
_LATE = Conflict("已过截止时间（或项目已结束），报价未被接受", code="DEADLINE_PASSED")
_NAME_UNSAFE = re.compile(r"[^A-Za-z0-9_-]")


def _state_key(site_id: str, competition_id: str) -> tuple[str, str]:
    return keys.competition(site_id, competition_id), "STATE"


def next_due(c: Competition) -> str:
    """When the timer must next act: the deadline while open, the window's end while an award is offered."""
    if c.status is Status.OPEN:
        return c.end_at
    offer = c.open_offer
    return offer.confirm_by if c.status is Status.CONFIRMING and offer else ""


def _item(c: Competition) -> CompetitionItem:
    sort = keys.sorted_by(c.created_at, c.id)
    due = next_due(c)
    return CompetitionItem(
        # Only running competitions sit on the due index, at their next deadline (the sweep's safety net).
        gsi3pk=keys.competitions_due() if due else None,
        gsi3sk=keys.sorted_by(due, c.site_id, c.id) if due else None,
        pk=keys.competition(c.site_id, c.id),
        sk="STATE",
        gsi1pk=keys.buyer_competitions(c.site_id, c.buyer_uscc),
        gsi1sk=sort,
        gsi2pk=keys.site_competitions(c.site_id),
        gsi2sk=sort,
        site_id=c.site_id,
        competition_id=c.id,
        status=c.status.value,
        version=c.version,
        generation=c.generation,
        starts_at=c.starts_at,
        end_at=c.end_at,
        invited=set(c.invitation.invited),
        best_total_fen=c.best_total_fen,
        best_by=c.best_by,
        bids=c.bids,
        data=stamped("competition", competition_to_dict(c)),
    )


def _with_counters(data: Mapping[str, Any], attributes: Mapping[str, Any]) -> Competition:
    """The document, with what bids change concurrently taken from the item's own attributes."""
    c = competition_from_dict(fields_of("competition", dict(data)))
    return c._replace(
        version=int(attributes.get("version", c.version)),
        end_at=str(attributes.get("end_at", c.end_at)),
        best_total_fen=int(attributes.get("best_total_fen") or 0),
        best_by=str(attributes.get("best_by") or ""),
        bids=int(attributes.get("bids") or 0),
    )


def competition_from_item(item: CompetitionItem) -> Competition:
    attributes = {
        "version": item.version,
        "end_at": item.end_at,
        "best_total_fen": item.best_total_fen,
        "best_by": item.best_by,
        "bids": item.bids,
    }
    return _with_counters(item.data, attributes)


def competition_from_image(image: Mapping[str, Any]) -> Competition:
    """A competition from a stream record's (deserialised) image."""
    return _with_counters(json.loads(image["data"]), image)


def _quote_from_item(item: QuoteItem, competition_id: str) -> SealedQuote:
    data = item.data
    return SealedQuote(
        competition_id,
        str(item.supplier_uscc),
        str(data["supplier_name"]),
        bool(data["small_micro"]),
        str(item.sealed),
        str(item.commitment),
        str(item.submitted_at),
        int(item.revision),
        str(data.get("technical", "")),
    )


def _reserve(write: AuditedWrite, c: Competition, plan_budget_fen: int) -> None:
    # Condition expressions cannot add: the budget is fixed once accepted, so the room left is a constant.
    write.update(
        PlanItem(pk=keys.plan(c.site_id, c.plan_no), sk="PLAN"),
        [PlanItem.committed_fen.add(c.reserved_fen), PlanItem.version.add(1)],
        (PlanItem.status == PlanStatus.ACCEPTED.value) & (PlanItem.committed_fen <= plan_budget_fen - c.reserved_fen),
        refusal_after_race(c.site_id, c.plan_no, c.reserved_fen, what="本项目最高限价"),
    )


def release(write: AuditedWrite, site_id: str, plan_no: str, amount_fen: int) -> None:
    write.update(
        PlanItem(pk=keys.plan(site_id, plan_no), sk="PLAN"),
        [PlanItem.committed_fen.add(-amount_fen), PlanItem.version.add(1)],
        PlanItem.committed_fen >= amount_fen,
        Conflict("采购计划占用金额异常，请联系采购中心", code="PLAN_RESERVATION_MISMATCH"),
    )


def _check_trading(write: AuditedWrite, site_id: str, uscc: str) -> None:
    """The supplier may trade in the site as the write commits (a suspension a moment earlier refuses it)."""
    write.check(
        SupplierItem,
        keys.supplier(uscc),
        "PROFILE",
        (SupplierItem.status == SupplierStatus.ACTIVE.value) & ~SupplierItem.suspended_sites.contains(site_id),
        Conflict("贵公司当前在本站点不可交易（已暂停或清退），不能报价", code="SUPPLIER_NOT_ACTIVE"),
    )


def _respond_condition(c: Competition, uscc: str, now: str) -> Condition:
    condition: Condition = (
        (CompetitionItem.status == Status.OPEN.value)
        & (CompetitionItem.starts_at <= now)
        & (CompetitionItem.end_at > now)
        & CompetitionItem.invited.contains(uscc)
    )
    return condition


# A competition's terms (ceiling, quantity, step, who is invited, when it started) never change once launched: a warm
# function keeps them, so that a bid is one transaction. What does change (status, best price, deadline) is a
# condition of that transaction, never taken from here.
_TERMS: dict[tuple[str, str], Competition] = {}
_TERMS_KEPT = 256


class DynamoCompetitionStore:
    """Implements domain.competitions.CompetitionStore."""

    def terms(self, site_id: str, competition_id: str) -> Competition | None:
        """The competition as last read by this process (its terms are current; its state may not be)."""
        found = _TERMS.get((site_id, competition_id))
        if found is None:
            found = self.get(site_id, competition_id)
            if found is not None:
                if len(_TERMS) >= _TERMS_KEPT:
                    _TERMS.pop(next(iter(_TERMS)))
                _TERMS[(site_id, competition_id)] = found
        return found

    def get(self, site_id: str, competition_id: str) -> Competition | None:
        try:
            return competition_from_item(CompetitionItem.get(*_state_key(site_id, competition_id)))
        except CompetitionItem.DoesNotExist:
            return None

    def create(self, competition: Competition, plan_budget_fen: int, audit: AuditEvent) -> None:
        write = AuditedWrite(audit)
        write.put(
            _item(competition),
            CompetitionItem.pk.does_not_exist(),
            Conflict("项目编号冲突，请重试", code="COMPETITION_ID_CONFLICT"),
        )
        _reserve(write, competition, plan_budget_fen)
        write.commit()
        self._invite(competition)

    def relaunch(
        self, failed: Competition, previous: Competition, new: Competition, audit: AuditEvent, plan_budget_fen: int
    ) -> None:
        write = AuditedWrite(audit)
        write.put(_item(failed), CompetitionItem.version == previous.version, _VERSION_CONFLICT)
        write.put(
            _item(new),
            CompetitionItem.pk.does_not_exist(),
            Conflict("项目编号冲突，请重试", code="COMPETITION_ID_CONFLICT"),
        )
        _reserve(write, new, plan_budget_fen)
        write.commit()
        self._invite(new)

    @staticmethod
    def _invite(c: Competition) -> None:
        """Each invited supplier's inbox entry (idempotent; the competition's `invited` set decides who may quote)."""
        with InvitationItem.batch_write() as batch:
            for uscc in c.invitation.invited:
                batch.save(
                    InvitationItem(
                        pk=keys.competition(c.site_id, c.id),
                        sk=f"INVITE#{uscc}",
                        gsi1pk=keys.supplier_invitations(uscc),
                        gsi1sk=keys.sorted_by(c.created_at, c.site_id, c.id),
                        site_id=c.site_id,
                        competition_id=c.id,
                    )
                )

    def quotes(self, competition: Competition) -> list[SealedQuote]:
        pk = keys.competition(competition.site_id, competition.id)
        return [
            _quote_from_item(i, competition.id)
            for i in QuoteItem.query(pk, QuoteItem.sk.startswith("QUOTE#"))
            if isinstance(i, QuoteItem)
        ]

    def quote_of(self, competition: Competition, uscc: str) -> SealedQuote | None:
        try:
            item = QuoteItem.get(keys.competition(competition.site_id, competition.id), f"QUOTE#{uscc}")
        except QuoteItem.DoesNotExist:
            return None
        return _quote_from_item(item, competition.id)

    def log(self, competition: Competition) -> list[LogEntry]:
        """The record's lines, from the competition's audit events (each quote, revision and bid carries its own)."""
        pk = keys.audit_entity(competition.site_id, ENTITY_COMPETITION, competition.id)
        found = []
        for item in AuditItem.query(pk):
            line = (item.data.get("after") or {}).get(RECORD_ENTRY)
            if line:
                found.append(LogEntry(**line))
        return sorted(found, key=lambda e: e.key)

    def put_quote(self, competition: Competition, quote: SealedQuote, audit: AuditEvent, now: str) -> None:
        pk, sk = _state_key(competition.site_id, competition.id)
        write = AuditedWrite(audit)
        write.check(CompetitionItem, pk, sk, _respond_condition(competition, quote.supplier_uscc, now), _LATE)
        _check_trading(write, competition.site_id, quote.supplier_uscc)
        item = QuoteItem(
            pk=pk,
            sk=f"QUOTE#{quote.supplier_uscc}",
            supplier_uscc=quote.supplier_uscc,
            sealed=quote.sealed,
            commitment=quote.commitment,
            submitted_at=quote.submitted_at,
            revision=quote.revision,
            data={"supplier_name": quote.supplier_name, "small_micro": quote.small_micro, "technical": quote.technical},
        )
        condition = QuoteItem.pk.does_not_exist() if quote.revision == 1 else QuoteItem.revision == quote.revision - 1
        write.put(item, condition, Conflict("报价刚被同时修改，请刷新后重试", code="QUOTE_RACE"))
        write.commit()

    def put_bid(
        self,
        competition: Competition,
        total_fen: int,
        supplier_uscc: str,
        end_at: str,
        audit: AuditEvent,
        now: str,
    ) -> None:
        pk, sk = _state_key(competition.site_id, competition.id)
        write = AuditedWrite(audit)
        step = competition.rule.step_fen
        # The best price is re-checked by DynamoDB: of two bids racing for the same price, one wins.
        beats = (CompetitionItem.bids == 0) | (CompetitionItem.best_total_fen >= total_fen + step)
        actions = [
            CompetitionItem.best_total_fen.set(total_fen),
            CompetitionItem.best_by.set(supplier_uscc),
            CompetitionItem.bids.add(1),
            CompetitionItem.version.add(1),
        ]
        condition = _respond_condition(competition, supplier_uscc, now) & beats
        if end_at > competition.end_at:
            # An extension only ever moves the end later: refused if another bid already moved it further (the
            # caller then reads afresh, and no extension is needed).
            actions += [
                CompetitionItem.end_at.set(end_at),
                CompetitionItem.gsi3sk.set(keys.sorted_by(end_at, competition.site_id, competition.id)),
            ]
            condition = condition & (CompetitionItem.end_at <= end_at)
        write.update(
            CompetitionItem(pk=pk, sk=sk),
            actions,
            condition,
            Conflict("出价未被接受：已有更低的出价或已过截止时间，请刷新后重试", code="BID_OUTBID_OR_LATE"),
        )
        _check_trading(write, competition.site_id, supplier_uscc)
        write.commit()

    def save(self, competition: Competition, previous: Competition, audit: AuditEvent, release_fen: int = 0) -> None:
        write = AuditedWrite(audit)
        write.put(_item(competition), CompetitionItem.version == previous.version, _VERSION_CONFLICT)
        if release_fen:
            release(write, competition.site_id, competition.plan_no, release_fen)
        write.commit()

    # ------------------------------------------------------------ lists

    def for_buyer(
        self, site_id: str, buyer_uscc: str, status: Status | None, limit: int, cursor: str | None
    ) -> tuple[list[Competition], str | None]:
        return self._list(
            CompetitionItem.gsi1, "gsi1pk", keys.buyer_competitions(site_id, buyer_uscc), status, limit, cursor
        )

    def for_site(
        self, site_id: str, status: Status | None, limit: int, cursor: str | None
    ) -> tuple[list[Competition], str | None]:
        return self._list(CompetitionItem.gsi2, "gsi2pk", keys.site_competitions(site_id), status, limit, cursor)

    @staticmethod
    def _list(
        index: Any, key_name: str, partition: str, status: Status | None, limit: int, cursor: str | None
    ) -> tuple[list[Competition], str | None]:
        start = decode_cursor(cursor, {key_name: partition})
        condition = CompetitionItem.status == status.value if status else None
        result = index.query(
            partition, filter_condition=condition, scan_index_forward=False, limit=limit, last_evaluated_key=start
        )
        found = [competition_from_item(i) for i in result if isinstance(i, CompetitionItem)]
        return found, encode_cursor(result.last_evaluated_key)

    def invitations(
        self, supplier_uscc: str, site_id: str, limit: int, cursor: str | None
    ) -> tuple[list[Competition], str | None]:
        """A supplier's invitations in one site, newest first (one Query, then one BatchGetItem)."""
        partition = keys.supplier_invitations(supplier_uscc)
        start = decode_cursor(cursor, {"gsi1pk": partition})
        result = InvitationItem.gsi1.query(partition, scan_index_forward=False, limit=limit, last_evaluated_key=start)
        wanted = [_state_key(i.site_id, i.competition_id) for i in result if isinstance(i, InvitationItem)]
        wanted = [w for w in wanted if w[0].startswith(f"{site_id}#")]
        found = {
            i.competition_id: competition_from_item(i)
            for i in MainItem.batch_get(wanted)
            if isinstance(i, CompetitionItem)
        }
        ordered = [found[w[0].rsplit("#", 1)[1]] for w in wanted if w[0].rsplit("#", 1)[1] in found]
        return ordered, encode_cursor(result.last_evaluated_key)


def rearm_competition_timers(store: DynamoCompetitionStore, timer: StepFunctionsCompetitionTimer) -> int:
    """After a restore (the local run's saved data has no executions): a timer for every running competition."""
    armed = 0
    for item in CompetitionItem.gsi3.query(keys.competitions_due()):
        if isinstance(item, CompetitionItem):
            c = competition_from_item(item)
            if next_due(c):
                timer.arm(c, next_due(c))
                armed += 1
    return armed


def due_competitions(now: str, limit: int = 100) -> list[tuple[str, str]]:
    """(site, id) of running competitions whose next deadline has passed."""
    result = CompetitionItem.gsi3.query(keys.competitions_due(), CompetitionItem.gsi3sk < now, limit=limit)
    return [(i.site_id, i.competition_id) for i in result if isinstance(i, CompetitionItem)]


class S3RecordWriter:
    """Implements domain.awards.RecordWriter: the record as UTF-8 JSON in the reports bucket."""

    def write(self, key: str, document: Mapping[str, Any]) -> None:
        body = json.dumps(document, ensure_ascii=False, indent=1).encode("utf-8")
        client("s3").put_object(
            Bucket=get_settings().reports_bucket, Key=key, Body=body, ContentType="application/json; charset=utf-8"
        )


def record_url(key: str, file_name: str) -> str:
    from chalicelib.store.uploads import signed_link

    return signed_link(get_settings().reports_bucket, key, file_name, inline=True)


class KmsSealer:
    """Implements domain.competitions.Sealer with the quote key: the API may encrypt, only the closing task decrypt."""

    def seal(self, plaintext: bytes, context: Mapping[str, str]) -> str:
        blob = client("kms").encrypt(
            KeyId=get_settings().quote_key_id, Plaintext=plaintext, EncryptionContext=dict(context)
        )["CiphertextBlob"]
        return base64.b64encode(blob).decode()

    def open(self, sealed: str, context: Mapping[str, str]) -> bytes:
        answer = client("kms").decrypt(
            KeyId=get_settings().quote_key_id,
            CiphertextBlob=base64.b64decode(sealed),
            EncryptionContext=dict(context),
        )
        return bytes(answer["Plaintext"])


class StepFunctionsCompetitionTimer:
    """Implements domain.competitions.CompetitionTimer: one execution per competition and generation."""

    @staticmethod
    def execution_name(c: Competition) -> str:
        return _NAME_UNSAFE.sub("-", f"{c.site_id}-{c.id}-g{c.generation}")[:80]

    def arm(self, competition: Competition, wake_at: str) -> None:
        sfn = client("stepfunctions")
        # The name makes a retried start a no-op instead of a second timer.
        with contextlib.suppress(sfn.exceptions.ExecutionAlreadyExists):
            sfn.start_execution(
                stateMachineArn=get_settings().competition_state_machine_arn,
                name=self.execution_name(competition),
                input=json.dumps(
                    {
                        "site_id": competition.site_id,
                        "competition_id": competition.id,
                        "generation": competition.generation,
                        "wake_at": wake_at,
                    }
                ),
            )

    def stop(self, competition: Competition) -> None:
        """Best effort: a timer that is not stopped finds the competition cancelled when it wakes."""
        sfn = client("stepfunctions")
        machine = get_settings().competition_state_machine_arn
        arn = machine.replace(":stateMachine:", ":execution:") + ":" + self.execution_name(competition)
        try:
            sfn.stop_execution(executionArn=arn, cause="competition cancelled")
        except Exception as exc:
            from chalicelib.observability import logger

            logger.warning("competition timer not stopped", extra={"execution": arn, "error": repr(exc)})
