"""Used nonces of signed integration requests, remembered until their timestamp is stale anyway.

Recording a nonce is part of the write the request makes (a put conditional on
its absence), so a refused request leaves nothing behind; the read here lets a
replay be refused before any work.
"""

from __future__ import annotations

from chalicelib.domain.principals import PROVINCE_SCOPE
from chalicelib.store.models import NonceItem


def nonce_pk(nonce: str) -> str:
    return f"{PROVINCE_SCOPE}#NONCE#{nonce}"


def nonce_used(nonce: str) -> bool:
    try:
        NonceItem.get(nonce_pk(nonce), "NONCE")
    except NonceItem.DoesNotExist:
        return False
    return True
