"""Used nonces of signed integration requests, remembered until their timestamp is stale anyway.

Recording a nonce is part of the write the request makes (a put conditional on
its absence), so a refused request leaves nothing behind; the read here lets a
replay be refused before any work.
"""

from __future__ import annotations

from chalicelib.domain.errors import Conflict
from chalicelib.store import keys
from chalicelib.store.models import NonceItem
from chalicelib.store.tx import AuditedWrite


def nonce_pk(nonce: str) -> str:
    return keys.nonce(nonce)


def nonce_used(nonce: str) -> bool:
    try:
        NonceItem.get(nonce_pk(nonce), "NONCE")
    except NonceItem.DoesNotExist:
        return False
    return True


def remember_nonce(write: AuditedWrite, nonce: tuple[str, int] | None) -> None:
    """Add the nonce (value, expiry as unix seconds) to the request's write, refused if already there."""
    if nonce is None:
        return
    value, expires_at = nonce
    write.put(
        NonceItem(pk=nonce_pk(value), sk="NONCE", expires_at=expires_at),
        NonceItem.pk.does_not_exist(),
        Conflict("请求已处理过（nonce 重复）", code="NONCE_USED"),
    )
