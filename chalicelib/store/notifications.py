"""Units' inboxes (站内信) in the main table, and the delivery channels outside the mall.

pk INBOX#{unit}  sk NOTICE#{id}          one notice; put only if absent (a replay adds nothing)
gsi1 INBOX#{unit} / {at}#{id}            the inbox, newest first
gsi2 UNREAD#{unit} / {at}#{id}           only while unread: the badge is a count of this partition
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from typing import Any

from pynamodb.exceptions import PutError, UpdateError

from chalicelib.domain.errors import NotFound
from chalicelib.domain.notifications import Notice, notice_from_dict
from chalicelib.observability import logger
from chalicelib.store.models import NoticeItem
from chalicelib.store.paging import decode_cursor, encode_cursor

READ_ALL_BATCH = 100


def _inbox(unit: str) -> str:
    return f"INBOX#{unit}"


def _unread(unit: str) -> str:
    return f"UNREAD#{unit}"


def _conditional_failed(exc: PutError | UpdateError) -> bool:
    return bool(exc.cause_response_code == "ConditionalCheckFailedException")


class DynamoInbox:
    """Implements domain.notifications.Inbox, and what the message centre reads."""

    def deliver(self, notices: Iterable[Notice]) -> int:
        new = 0
        for notice in notices:
            sort = f"{notice.at}#{notice.id}"
            item = NoticeItem(
                pk=_inbox(notice.recipient),
                sk=f"NOTICE#{notice.id}",
                gsi1pk=_inbox(notice.recipient),
                gsi1sk=sort,
                gsi2pk=_unread(notice.recipient),
                gsi2sk=sort,
                recipient=notice.recipient,
                notice_id=notice.id,
                data=notice.to_dict(),
            )
            try:
                item.save(condition=NoticeItem.pk.does_not_exist())
                new += 1
            except PutError as exc:
                if not _conditional_failed(exc):
                    raise
        return new

    def page(self, unit: str, unread_only: bool, limit: int, cursor: str | None) -> tuple[list[Notice], str | None]:
        index, partition, name = (
            (NoticeItem.gsi2, _unread(unit), "gsi2pk") if unread_only else (NoticeItem.gsi1, _inbox(unit), "gsi1pk")
        )
        start = decode_cursor(cursor, {name: partition})
        result = index.query(partition, scan_index_forward=False, limit=limit, last_evaluated_key=start)
        found = [_notice(i) for i in result if isinstance(i, NoticeItem)]
        return found, encode_cursor(result.last_evaluated_key)

    def unread_count(self, unit: str) -> int:
        return int(NoticeItem.gsi2.count(_unread(unit)))

    def mark_read(self, unit: str, notice_id: str, at: str) -> Notice:
        item = NoticeItem(pk=_inbox(unit), sk=f"NOTICE#{notice_id}")
        try:
            item.update(
                actions=[NoticeItem.read_at.set(at), NoticeItem.gsi2pk.remove(), NoticeItem.gsi2sk.remove()],
                condition=NoticeItem.pk.exists() & NoticeItem.read_at.does_not_exist(),
            )
        except UpdateError as exc:
            if not _conditional_failed(exc):
                raise
            try:
                item = NoticeItem.get(_inbox(unit), f"NOTICE#{notice_id}")
            except NoticeItem.DoesNotExist as missing:
                raise NotFound("消息不存在", code="NOTICE_NOT_FOUND") from missing
            return _notice(item)  # read already: reading twice changes nothing
        return _notice(NoticeItem.get(_inbox(unit), f"NOTICE#{notice_id}"))

    def mark_all_read(self, unit: str, at: str) -> int:
        """Up to READ_ALL_BATCH at a time (the client repeats while more remain)."""
        done = 0
        for item in NoticeItem.gsi2.query(_unread(unit), limit=READ_ALL_BATCH):
            if isinstance(item, NoticeItem):
                self.mark_read(unit, item.notice_id, at)
                done += 1
        return done


def _notice(item: NoticeItem) -> Notice:
    notice = notice_from_dict(dict(item.data))
    return notice._replace(read_at=item.read_at or "")


class LogChannel:
    """Locally and wherever no gateway is configured: say what would have been sent, send nothing."""

    def __init__(self, name: str) -> None:
        self.name = name

    def send(self, notice: Notice) -> None:
        logger.info(
            "notice not sent outside the mall (channel disabled)",
            extra={"channel": self.name, "notice": notice.id, "recipient": notice.recipient, "kind": notice.kind.value},
        )


def channels() -> list[Any]:
    """The delivery channels switched on by NOTIFY_CHANNELS ("sms,email"); none by default. A real SMS or
    e-mail gateway is an adapter with `send(notice)` registered here (see docs/architecture.md, 站内信)."""
    wanted = [c.strip() for c in os.environ.get("NOTIFY_CHANNELS", "").split(",") if c.strip()]
    return [LogChannel(name) for name in wanted]
